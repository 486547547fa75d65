//! Reports: learners flag a bad question; the maintainers (and a deck's importer) see them
//! grouped by question. The rules, the /report use case and their messages.

pub mod messages;
pub mod rules;
pub(in crate::core) mod usecase;

pub use rules::*;
