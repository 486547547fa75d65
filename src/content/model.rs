//! The validated, immutable curriculum.

use std::collections::HashMap;
use std::fmt;

/// A topic's stable slug (e.g. `tcp-vs-udp`); only the loader builds these from content.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TopicId(String);

impl TopicId {
    pub(crate) fn new_unchecked(s: impl Into<String>) -> TopicId {
        TopicId(s.into())
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for TopicId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Difficulty {
    Recall = 1,
    Understand = 2,
    Apply = 3,
}

impl Difficulty {
    pub fn from_level(n: i64) -> Option<Difficulty> {
        match n {
            1 => Some(Difficulty::Recall),
            2 => Some(Difficulty::Understand),
            3 => Some(Difficulty::Apply),
            _ => None,
        }
    }
    pub fn level(self) -> u8 {
        self as u8
    }
}

#[derive(Debug, Clone)]
pub struct Question {
    pub prompt: String,
    /// Two to four options (the curriculum always has four; a deck may have fewer).
    pub options: Vec<String>,
    /// Index of the correct option, 0–3.
    pub answer: usize,
    pub explanation: String,
    pub difficulty: Difficulty,
}

impl Question {
    /// A stable fingerprint of what the learner sees and what counts as right (prompt, options,
    /// key): a question whose text or key changes is a new question, so its old review cards
    /// retire instead of scheduling a question the learner never saw. FNV-1a 64, hex; stable
    /// across Rust versions, unlike `DefaultHasher`.
    pub fn fingerprint(&self) -> String {
        const OFFSET: u64 = 0xcbf2_9ce4_8422_2325;
        const PRIME: u64 = 0x0000_0100_0000_01b3;
        let mut h = OFFSET;
        let mut eat = |bytes: &[u8]| {
            for &b in bytes {
                h ^= u64::from(b);
                h = h.wrapping_mul(PRIME);
            }
        };
        eat(self.prompt.as_bytes());
        for o in &self.options {
            eat(&[0]);
            eat(o.as_bytes());
        }
        eat(&[0, u8::try_from(self.answer).unwrap_or(u8::MAX)]);
        format!("{h:016x}")
    }
}

#[derive(Debug, Clone)]
pub struct TopicBody {
    pub summary: String,
    pub key_points: Vec<String>,
    pub example: Option<String>,
    pub pitfalls: Vec<String>,
    pub questions: Vec<Question>,
}

#[derive(Debug, Clone)]
pub struct Topic {
    pub id: TopicId,
    pub title: String,
    /// Index into [`Catalog::sections`].
    pub section: usize,
    /// `None` while the topic is only an outline (title, no teaching text yet).
    pub body: Option<TopicBody>,
}

impl Topic {
    pub fn is_outline(&self) -> bool {
        self.body.is_none()
    }
    pub fn questions(&self) -> &[Question] {
        self.body
            .as_ref()
            .map(|b| b.questions.as_slice())
            .unwrap_or(&[])
    }
}

#[derive(Debug, Clone)]
pub struct Section {
    pub number: u8,
    pub slug: String,
    pub title: String,
    /// Indices into [`Catalog::topics`], contiguous and in teaching order.
    pub topics: std::ops::Range<usize>,
}

/// What `content check` reports.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Coverage {
    pub sections: usize,
    pub sections_complete: usize,
    pub topics: usize,
    pub topics_written: usize,
    pub questions: usize,
}

#[derive(Debug, Clone)]
pub struct Catalog {
    sections: Vec<Section>,
    topics: Vec<Topic>,
    by_id: HashMap<TopicId, usize>,
}

impl Catalog {
    pub(crate) fn new(sections: Vec<Section>, topics: Vec<Topic>) -> Catalog {
        let by_id = topics
            .iter()
            .enumerate()
            .map(|(i, t)| (t.id.clone(), i))
            .collect();
        Catalog {
            sections,
            topics,
            by_id,
        }
    }

    pub fn sections(&self) -> &[Section] {
        &self.sections
    }

    /// Every topic in curriculum order.
    pub fn topics(&self) -> &[Topic] {
        &self.topics
    }

    pub fn section_topics(&self, section: &Section) -> &[Topic] {
        &self.topics[section.topics.clone()]
    }

    pub fn topic(&self, id: &str) -> Option<&Topic> {
        self.by_id
            .get(&TopicId::new_unchecked(id))
            .map(|&i| &self.topics[i])
    }

    /// Position of a topic in curriculum order.
    pub fn position(&self, id: &str) -> Option<usize> {
        self.by_id.get(&TopicId::new_unchecked(id)).copied()
    }

    pub fn first(&self) -> &Topic {
        &self.topics[0]
    }

    /// The topic after `id` in curriculum order, if any.
    pub fn after(&self, id: &str) -> Option<&Topic> {
        self.position(id).and_then(|i| self.topics.get(i + 1))
    }

    pub fn section_of(&self, topic: &Topic) -> &Section {
        &self.sections[topic.section]
    }

    pub fn coverage(&self) -> Coverage {
        Coverage {
            sections: self.sections.len(),
            sections_complete: self
                .sections
                .iter()
                .filter(|s| self.section_topics(s).iter().all(|t| !t.is_outline()))
                .count(),
            topics: self.topics.len(),
            topics_written: self.topics.iter().filter(|t| !t.is_outline()).count(),
            questions: self.topics.iter().map(|t| t.questions().len()).sum(),
        }
    }
}
