//! Editorial signals a machine can see in a question bank: where the keys sit, whether the right
//! option gives itself away by length or by echoing the prompt, the difficulty mix, and prompts
//! asked twice. They cannot prove a question good, but a section that fails them is guessable.
//! `content check --strict` enforces them and prints the figures.

use super::model::{Difficulty, Question};
use std::collections::BTreeSet;
use std::fmt;

/// Thresholds, each a share of one section's questions.
pub struct Thresholds;

impl Thresholds {
    /// No key position (A–D) may hold more than this share: learners learn "it's usually C".
    pub const MAX_POSITION_SHARE: f64 = 0.35;
    /// The right option may be the single longest in at most this share of questions.
    pub const MAX_LONGEST_SHARE: f64 = 0.30;
    /// The right option may share strictly more prompt words than every distractor in at most
    /// this share (a cheap "echo" signal).
    pub const MAX_ECHO_SHARE: f64 = 0.10;
    /// Every difficulty level holds at least this share of a section's questions.
    pub const MIN_DIFFICULTY_SHARE: f64 = 0.15;
    /// Two prompts whose content-word sets overlap this much (Jaccard) are near-duplicates.
    pub const NEAR_DUPLICATE_JACCARD: f64 = 0.8;
    /// Prompts with fewer content words than this are too short to compare meaningfully.
    pub const MIN_WORDS_TO_COMPARE: usize = 4;
}

/// Short function words that say nothing about a prompt's subject.
const STOPWORDS: &[&str] = &[
    "the", "and", "for", "are", "but", "not", "you", "all", "any", "can", "had", "her", "was",
    "one", "our", "out", "has", "his", "how", "its", "may", "new", "now", "old", "see", "two",
    "way", "who", "did", "get", "let", "put", "say", "she", "too", "use", "with", "that", "this",
    "from", "they", "will", "what", "when", "which", "into", "than", "then", "them", "these",
    "those", "there", "their", "your", "have", "been", "were", "does", "each", "more", "most",
    "some", "such", "only", "also", "just", "like", "over", "very", "about", "after", "before",
    "while", "where", "would", "could", "should", "being", "other", "because", "within", "without",
    "between", "under",
];

/// Lowercased ASCII-alphanumeric words of at least three characters, minus stopwords.
pub fn content_words(s: &str) -> BTreeSet<String> {
    s.to_lowercase()
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| w.len() >= 3 && !STOPWORDS.contains(w))
        .map(str::to_string)
        .collect()
}

/// The right option is strictly longer (in characters) than all three distractors.
pub fn correct_is_longest(q: &Question) -> bool {
    let len = |s: &String| s.chars().count();
    let right = len(&q.options[q.answer]);
    q.options
        .iter()
        .enumerate()
        .all(|(i, o)| i == q.answer || len(o) < right)
}

/// The right option shares strictly more prompt words than every distractor.
pub fn correct_echoes_prompt(q: &Question) -> bool {
    let prompt = content_words(&q.prompt);
    let shared: Vec<usize> = q
        .options
        .iter()
        .map(|o| content_words(o).intersection(&prompt).count())
        .collect();
    shared
        .iter()
        .enumerate()
        .all(|(i, &n)| i == q.answer || n < shared[q.answer])
}

/// Jaccard similarity of two word sets; 0 when both are empty.
pub fn jaccard(a: &BTreeSet<String>, b: &BTreeSet<String>) -> f64 {
    let union = a.union(b).count();
    if union == 0 {
        return 0.0;
    }
    a.intersection(b).count() as f64 / union as f64
}

/// The figures of one section's question bank.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SectionFigures {
    pub questions: usize,
    /// Keys at A, B, C, D.
    pub positions: [usize; 4],
    pub correct_longest: usize,
    pub correct_echoes: usize,
    /// Questions at difficulty 1, 2, 3.
    pub difficulty: [usize; 3],
}

impl SectionFigures {
    pub fn of<'a>(questions: impl IntoIterator<Item = &'a Question>) -> SectionFigures {
        let mut f = SectionFigures::default();
        for q in questions {
            f.questions += 1;
            f.positions[q.answer.min(3)] += 1;
            f.correct_longest += usize::from(correct_is_longest(q));
            f.correct_echoes += usize::from(correct_echoes_prompt(q));
            let level = match q.difficulty {
                Difficulty::Recall => 0,
                Difficulty::Understand => 1,
                Difficulty::Apply => 2,
            };
            f.difficulty[level] += 1;
        }
        f
    }

    fn share(&self, n: usize) -> f64 {
        if self.questions == 0 {
            0.0
        } else {
            n as f64 / self.questions as f64
        }
    }

    /// What breaks a threshold, one sentence each; empty when the section is balanced.
    pub fn problems(&self) -> Vec<String> {
        let mut out = Vec::new();
        if self.questions == 0 {
            return out;
        }
        let pct = |x: f64| format!("{:.0} %", x * 100.0);
        for (i, &n) in self.positions.iter().enumerate() {
            if self.share(n) > Thresholds::MAX_POSITION_SHARE {
                out.push(format!(
                    "{} of {} keys are at {} ({}); at most {} per position",
                    n,
                    self.questions,
                    ["A", "B", "C", "D"][i],
                    pct(self.share(n)),
                    pct(Thresholds::MAX_POSITION_SHARE)
                ));
            }
        }
        if self.share(self.correct_longest) > Thresholds::MAX_LONGEST_SHARE {
            out.push(format!(
                "the right option is the single longest in {} of {} questions ({}); at most {}",
                self.correct_longest,
                self.questions,
                pct(self.share(self.correct_longest)),
                pct(Thresholds::MAX_LONGEST_SHARE)
            ));
        }
        if self.share(self.correct_echoes) > Thresholds::MAX_ECHO_SHARE {
            out.push(format!(
                "the right option echoes the prompt most in {} of {} questions ({}); at most {}",
                self.correct_echoes,
                self.questions,
                pct(self.share(self.correct_echoes)),
                pct(Thresholds::MAX_ECHO_SHARE)
            ));
        }
        for (i, &n) in self.difficulty.iter().enumerate() {
            if self.share(n) < Thresholds::MIN_DIFFICULTY_SHARE {
                out.push(format!(
                    "difficulty {} has {} of {} questions ({}); each level needs at least {}",
                    i + 1,
                    n,
                    self.questions,
                    pct(self.share(n)),
                    pct(Thresholds::MIN_DIFFICULTY_SHARE)
                ));
            }
        }
        out
    }
}

impl fmt::Display for SectionFigures {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let [a, b, c, d] = self.positions;
        let [d1, d2, d3] = self.difficulty;
        write!(
            f,
            "keys A{a} B{b} C{c} D{d}, longest {:.0} %, echo {:.0} %, difficulty {d1}/{d2}/{d3}",
            self.share(self.correct_longest) * 100.0,
            self.share(self.correct_echoes) * 100.0,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn q(prompt: &str, options: [&str; 4], answer: usize, level: Difficulty) -> Question {
        Question {
            prompt: prompt.into(),
            options: options.map(String::from).to_vec(),
            answer,
            explanation: "because".into(),
            difficulty: level,
        }
    }

    #[test]
    fn content_words_drop_short_words_stopwords_and_case() {
        let w = content_words("What does the TCP handshake do, and why? A SYN-ACK.");
        let got: Vec<&str> = w.iter().map(String::as_str).collect();
        assert_eq!(got, ["ack", "handshake", "syn", "tcp", "why"]);
    }

    #[test]
    fn a_right_option_that_ties_for_longest_is_not_the_single_longest() {
        let tie = q("p", ["abcd", "abcd", "ab", "a"], 0, Difficulty::Recall);
        assert!(!correct_is_longest(&tie));
        let longest = q("p", ["abcde", "abcd", "ab", "a"], 0, Difficulty::Recall);
        assert!(correct_is_longest(&longest));
    }

    #[test]
    fn an_option_repeating_the_prompts_key_noun_echoes_it() {
        let echo = q(
            "Requests wait on a database connection. What is exhausted?",
            [
                "The database connection pool",
                "The CPU",
                "Disk space",
                "Memory",
            ],
            0,
            Difficulty::Understand,
        );
        assert!(correct_echoes_prompt(&echo));
        let fair = q(
            "Requests wait on a database connection. What is exhausted?",
            [
                "The pool",
                "The database CPU",
                "The connection timeout",
                "Memory",
            ],
            0,
            Difficulty::Understand,
        );
        assert!(!correct_echoes_prompt(&fair));
    }

    #[test]
    fn a_section_with_most_keys_at_one_position_is_flagged() {
        let qs: Vec<Question> = (0..10)
            .map(|i| {
                let level = [
                    Difficulty::Recall,
                    Difficulty::Understand,
                    Difficulty::Apply,
                ][i % 3];
                q("prompt", ["a", "b", "c", "d"], usize::from(i >= 4), level)
            })
            .collect();
        let f = SectionFigures::of(&qs);
        assert_eq!(f.positions, [4, 6, 0, 0]);
        let problems = f.problems();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems[0].contains("4 of 10 keys are at A"));
        assert!(problems[1].contains("6 of 10 keys are at B"));
    }

    #[test]
    fn a_section_without_hard_questions_is_flagged() {
        let qs: Vec<Question> = (0..8)
            .map(|i| {
                let level = [Difficulty::Recall, Difficulty::Understand][i % 2];
                q("prompt", ["a", "b", "c", "d"], i % 4, level)
            })
            .collect();
        let problems = SectionFigures::of(&qs).problems();
        assert_eq!(problems.len(), 1);
        assert!(problems[0].starts_with("difficulty 3 has 0 of 8"));
    }

    #[test]
    fn jaccard_of_identical_sets_is_one_and_of_disjoint_sets_zero() {
        let a = content_words("tcp handshake syn ack");
        assert_eq!(jaccard(&a, &a), 1.0);
        assert_eq!(jaccard(&a, &content_words("dns resolver cache ttl")), 0.0);
    }
}
