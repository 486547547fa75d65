//! Decks: a chat studies its own questions beside the curriculum. Parsing deck ids and turning
//! stored deck questions into questions, the /deck use cases, and their messages.

pub mod messages;
pub mod rules;
pub(in crate::core) mod usecase;

pub use rules::*;
pub use usecase::{DeckCmd, DeckImport, Posed, too_big};
