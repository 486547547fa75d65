//! One learner on several platforms: `/link` joins accounts, `/unlink` separates one again.

pub mod messages;
pub mod rules;
pub(in crate::core) mod usecase;

pub use rules::{LinkCode, LinkRequest};
