//! Spaced-repetition review: the FSRS rules, the /review and /remind use cases, and their messages.

pub mod messages;
pub mod rules;
pub(in crate::core) mod usecase;

pub use rules::*;
pub use usecase::ReminderJob;
