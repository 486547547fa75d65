//! /language: the UI language a learner speaks in, and a group's default.

pub mod messages;
pub(in crate::core) mod usecase;
