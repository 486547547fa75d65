//! The curriculum: TOML files under `content/`, loaded and validated into an immutable [`Catalog`].

mod checklist;
mod load;
mod model;
mod rules;

pub use checklist::{Checklist, ChecklistSection};
pub use load::{ContentError, ContentErrors, load_catalog};
pub use model::{Catalog, Coverage, Difficulty, Question, Section, Topic, TopicBody, TopicId};
pub use rules::{Limits, is_slug as is_topic_id};
