//! The product, platform-neutral: commands in, replies out. Knows nothing of chat SDKs or SQL.

mod app;
pub mod clock;
pub mod command;
mod command_text;
pub mod context;
pub mod error;
pub mod limits;
pub mod messages;
pub mod ports;
pub mod registry;
pub mod reply;
pub mod time;
mod usecases;

// Features: each folder holds its rules, use case and messages.
pub mod deck;
pub mod export;
pub mod forget;
pub mod language;
pub mod link;
pub mod progress;
pub mod quiz;
pub mod report;
pub mod review;
pub mod round;
pub mod schedule;
pub mod streak;
pub mod topics;

pub use topics::{search, status};

pub use app::App;
pub use clock::{Clock, FixedClock, IdSource, SeededIds, SystemClock};
pub use command::{Command, ParseOptions, parse_command};
pub use context::{Capabilities, ChatKind, Ctx, Platform, Visibility};
pub use error::Error;
pub use limits::{Limits, Rate};
pub use messages::{Lang, Msg};
pub use reply::{Action, Attachment, Block, Button, FileKind, QuizCard, Reply, made_for_a_learner};
pub use review::ReminderJob;
pub use round::{RoundDelivery, RoundJob, RoundQuestion, RoundStep};
pub use schedule::{PushJob, PushOutcome};
pub use status::TopicStatus;
pub use time::{DailyAt, Timezone};
pub use usecases::NativeAnswer;
