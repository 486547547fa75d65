//! Daily pushes: cron schedules in a chat's zone, /subscribe and friends, the push use cases the scheduler drives, and their messages.

pub mod messages;
pub(in crate::core) mod push;
pub mod rules;
pub(in crate::core) mod settings;

pub use push::{PushJob, PushOutcome};
pub use rules::*;
