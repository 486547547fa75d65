//! What a learner and a chat have done: /streak, /progress, /leaderboard as text and as pictures.

pub mod card_messages;
pub(in crate::core) mod cards;
pub mod messages;
pub(in crate::core) mod usecase;
