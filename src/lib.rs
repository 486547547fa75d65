//! studybot: a chat bot that turns a backend-engineering curriculum into a daily study habit.
//!
//! `content` loads the curriculum, `core` is the product, `store` the only SQL, `adapters` the
//! chat platforms. `main.rs` wires them together.

pub mod adapters;
pub mod config;
pub mod content;
pub mod core;
pub mod file_clock;
pub mod ops;
pub mod pictures;
pub mod scheduler;
pub mod store;
