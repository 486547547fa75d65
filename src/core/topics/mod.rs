//! Reading the curriculum: the topic card, search, moving on, a learner's done / later / skip marks, and their messages.

pub(in crate::core) mod marks;
pub mod messages;
pub mod search;
pub mod status;
pub(in crate::core) mod usecase;
