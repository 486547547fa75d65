//! Chat platforms: translate events into core commands, render core replies. Nothing more.

pub mod console;
pub mod discord;
pub mod preview;
pub mod telegram;
pub mod text;
