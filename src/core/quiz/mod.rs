//! Quizzes: answer letters and picking questions, the /quiz and /answer use cases, and their messages.

pub mod messages;
pub mod rules;
pub(in crate::core) mod usecase;

pub use rules::*;
