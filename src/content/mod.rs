//! The curriculum: TOML files under `content/`, loaded and validated into an immutable [`Catalog`].

mod checklist;
pub mod deck;
mod load;
mod model;
pub mod prose;
pub mod quality;
mod rules;

pub use checklist::{Checklist, ChecklistSection};
pub use load::{CheckOutcome, ContentError, ContentErrors, check_catalog, load_catalog};
pub use model::{Catalog, Coverage, Difficulty, Question, Section, Topic, TopicBody, TopicId};
pub use rules::{Limits, is_slug as is_topic_id};
