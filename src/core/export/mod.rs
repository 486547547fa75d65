//! A learner's answers as CSV and missed questions as an Anki file.

pub mod messages;
pub(in crate::core) mod usecase;
