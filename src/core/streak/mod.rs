//! Study streaks with freezes, counted in the learner's local days, and their messages.

pub mod messages;
pub mod rules;

pub use rules::*;
