//! Deleting what the bot stores about a learner.

pub mod messages;
pub(in crate::core) mod usecase;
