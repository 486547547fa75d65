//! Per-topic status: what a learner decided about a topic.

use crate::core::messages::TopicMsg;
use crate::core::messages::{ECHO_CHARS, Msg, clip};

/// A learner's decision about one topic. Marking again replaces the old status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TopicStatus {
    /// Studied: counts towards the section's completion in /progress.
    Done,
    /// To come back to: /progress lists it as due.
    Later,
    /// Not for me: neither done nor due.
    Skip,
}

impl TopicStatus {
    pub const ALL: [TopicStatus; 3] = [TopicStatus::Done, TopicStatus::Later, TopicStatus::Skip];

    /// As stored (and as typed after /mark).
    pub fn as_str(self) -> &'static str {
        match self {
            TopicStatus::Done => "done",
            TopicStatus::Later => "later",
            TopicStatus::Skip => "skip",
        }
    }

    /// One character, for button callback data (which holds at most 64 bytes).
    pub fn code(self) -> char {
        match self {
            TopicStatus::Done => 'd',
            TopicStatus::Later => 'l',
            TopicStatus::Skip => 's',
        }
    }

    pub fn from_code(c: &str) -> Option<TopicStatus> {
        TopicStatus::ALL
            .into_iter()
            .find(|s| c.len() == 1 && c.starts_with(s.code()))
    }

    /// A stored value; anything else (a row written by a newer version) is `None`.
    pub fn stored(s: &str) -> Option<TopicStatus> {
        TopicStatus::ALL.into_iter().find(|t| t.as_str() == s)
    }

    /// What a learner types: the status word, case-insensitive, with a few synonyms.
    pub fn parse(s: &str) -> Result<TopicStatus, Msg> {
        match s.trim().to_ascii_lowercase().as_str() {
            "done" | "d" | "finished" => Ok(TopicStatus::Done),
            "later" | "l" | "due" => Ok(TopicStatus::Later),
            "skip" | "s" | "skipped" => Ok(TopicStatus::Skip),
            _ => Err(Msg::Topic(TopicMsg::NotAStatus(clip(s.trim(), ECHO_CHARS)))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn statuses_parse_from_words_in_any_case_and_round_trip_their_codes() {
        assert_eq!(TopicStatus::parse("DONE"), Ok(TopicStatus::Done));
        assert_eq!(TopicStatus::parse(" later "), Ok(TopicStatus::Later));
        assert_eq!(TopicStatus::parse("skip"), Ok(TopicStatus::Skip));
        assert!(matches!(
            TopicStatus::parse("maybe"),
            Err(Msg::Topic(TopicMsg::NotAStatus(_)))
        ));
        for s in TopicStatus::ALL {
            assert_eq!(TopicStatus::from_code(&s.code().to_string()), Some(s));
            assert_eq!(TopicStatus::stored(s.as_str()), Some(s));
        }
        assert_eq!(TopicStatus::from_code("dd"), None);
    }
}
