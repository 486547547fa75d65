//! Timed quiz rounds in groups: the rules (scoring, pacing), the use case the scheduler and commands drive, and its messages.

pub mod messages;
pub mod rules;
pub(in crate::core) mod usecase;

pub use rules::*;
pub use usecase::{RoundDelivery, RoundJob, RoundQuestion, RoundStep};
