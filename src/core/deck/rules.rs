//! Deck ids, and how a deck question is addressed where a curriculum question is: by a topic id
//! (`deck:<id>`) and an index, so quizzes, answers, review cards and rounds take both alike.

use crate::content::deck::DeckQuestion;
use crate::content::{Difficulty, Question, is_topic_id};
use crate::core::messages::{DeckMsg, ECHO_CHARS, Msg, clip};
use crate::store::DeckQuestionRow;
use std::fmt;

/// The built-in curriculum's name in `/deck list` and `/deck use`; no deck may take it.
pub const CURRICULUM: &str = "backend";
/// What a deck question's topic id starts with (a curriculum topic id is a slug: no colon).
pub const DECK_TOPIC_PREFIX: &str = "deck:";
/// Longest deck id: `deck:` + id stays well inside callback data and custom ids.
pub const DECK_ID_MAX: usize = 40;

/// A deck's id: a lowercase slug (like a topic id), at most [`DECK_ID_MAX`] bytes, never `backend`.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct DeckId(String);

impl DeckId {
    pub fn parse(s: &str) -> Result<DeckId, Msg> {
        let id = s.trim().to_ascii_lowercase();
        if id == CURRICULUM {
            return Err(Msg::Deck(DeckMsg::IdIsCurriculum));
        }
        if id.len() > DECK_ID_MAX || !is_topic_id(&id) {
            return Err(Msg::Deck(DeckMsg::BadId(clip(s.trim(), ECHO_CHARS))));
        }
        Ok(DeckId(id))
    }

    /// A deck id from a file name (`Mock Interview.csv` → `mock-interview`), if one can be made.
    pub fn from_file_name(name: &str) -> Result<DeckId, Msg> {
        let stem = std::path::Path::new(name)
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        let slug: String = stem
            .to_ascii_lowercase()
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| !w.is_empty())
            .collect::<Vec<_>>()
            .join("-");
        DeckId::parse(&slug).map_err(|_| Msg::Deck(DeckMsg::BadId(clip(&stem, ECHO_CHARS))))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The topic id its questions are stored under.
    pub fn topic_id(&self) -> String {
        format!("{DECK_TOPIC_PREFIX}{}", self.0)
    }
}

impl fmt::Display for DeckId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// The deck a stored topic id belongs to, if it is a deck's.
pub fn deck_of_topic(topic_id: &str) -> Option<&str> {
    topic_id.strip_prefix(DECK_TOPIC_PREFIX)
}

/// A validated deck question as a row to store at `idx`.
pub fn question_row(idx: usize, q: &DeckQuestion) -> DeckQuestionRow {
    DeckQuestionRow {
        idx: i64::try_from(idx).unwrap_or(i64::MAX),
        topic: q.topic.clone(),
        prompt: q.question.prompt.clone(),
        options: serde_json::to_string(&q.question.options).unwrap_or_default(),
        answer: i64::try_from(q.question.answer).unwrap_or(0),
        explanation: q.question.explanation.clone(),
        difficulty: i64::from(q.question.difficulty.level()),
        hash: q.question.fingerprint(),
    }
}

/// A stored deck question back as a question; `None` for a row that does not parse (edited by hand).
pub fn question_of(row: &DeckQuestionRow) -> Option<DeckQuestion> {
    let options: Vec<String> = serde_json::from_str(&row.options).ok()?;
    let answer = usize::try_from(row.answer).ok()?;
    (answer < options.len()).then_some(())?;
    Some(DeckQuestion {
        topic: row.topic.clone(),
        question: Question {
            prompt: row.prompt.clone(),
            options,
            answer,
            explanation: row.explanation.clone(),
            difficulty: Difficulty::from_level(row.difficulty)?,
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deck_ids_are_slugs_and_never_the_curriculum() {
        assert_eq!(DeckId::parse(" Mock-1 ").unwrap().as_str(), "mock-1");
        assert!(matches!(
            DeckId::parse("backend"),
            Err(Msg::Deck(DeckMsg::IdIsCurriculum))
        ));
        assert!(DeckId::parse("a b").is_err());
        assert!(DeckId::parse(&"a".repeat(41)).is_err());
        assert_eq!(
            DeckId::from_file_name("Mock Interview (v2).csv")
                .unwrap()
                .as_str(),
            "mock-interview-v2"
        );
        assert!(DeckId::from_file_name("Backend.csv").is_err());
    }

    #[test]
    fn a_question_survives_its_row() {
        let q = DeckQuestion {
            topic: Some("SQL".into()),
            question: Question {
                prompt: "<b>Which?</b>".into(),
                options: vec!["=1+1".into(), "two".into()],
                answer: 1,
                explanation: "Because.".into(),
                difficulty: Difficulty::Apply,
            },
        };
        let row = question_row(7, &q);
        assert_eq!(row.hash, q.question.fingerprint());
        let back = question_of(&row).unwrap();
        assert_eq!(back.question.options, q.question.options);
        assert_eq!(back.question.fingerprint(), q.question.fingerprint());
        assert_eq!(deck_of_topic("deck:mock"), Some("mock"));
        assert_eq!(deck_of_topic("tcp-vs-udp"), None);
    }
}
