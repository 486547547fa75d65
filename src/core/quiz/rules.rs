//! Quiz rules: option letters, scoring, and which question to ask next.

use crate::content::{Catalog, Difficulty, Topic};
use crate::core::messages::GeneralMsg;
use crate::core::messages::{ECHO_CHARS, Msg, clip};
use std::collections::HashSet;
use std::fmt;

/// One of the four options, A–D.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OptionLetter(u8);

impl OptionLetter {
    pub fn parse(s: &str) -> Result<OptionLetter, Msg> {
        let t = s.trim().trim_end_matches([')', '.']);
        let mut chars = t.chars();
        match (chars.next(), chars.next()) {
            (Some(c), None) if ('a'..='d').contains(&c.to_ascii_lowercase()) => {
                Ok(OptionLetter(c.to_ascii_lowercase() as u8 - b'a'))
            }
            _ => Err(Msg::General(GeneralMsg::NotAnOption(clip(
                s.trim(),
                ECHO_CHARS,
            )))),
        }
    }

    pub fn from_index(i: usize) -> Option<OptionLetter> {
        (i < 4).then_some(OptionLetter(i as u8))
    }

    pub fn index(self) -> usize {
        usize::from(self.0)
    }

    pub fn as_char(self) -> char {
        char::from(b'A' + self.0)
    }
}

impl fmt::Display for OptionLetter {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.as_char())
    }
}

/// XP for a correct answer: harder questions earn more. Wrong answers earn none.
pub fn xp_for(difficulty: Difficulty, correct: bool) -> i64 {
    if correct {
        10 * i64::from(difficulty.level())
    } else {
        0
    }
}

/// How many of the chat's latest questions a new quiz avoids repeating.
pub const AVOID_RECENT: usize = 12;

/// Picks a (topic index, question index) among `topics`, avoiding the recently asked questions
/// when possible; `roll` supplies the randomness.
pub fn pick_question<'a>(
    topics: &[&'a Topic],
    recent: &HashSet<(String, usize)>,
    roll: u64,
) -> Option<(&'a Topic, usize)> {
    let all: Vec<(&Topic, usize)> = topics
        .iter()
        .flat_map(|t| (0..t.questions().len()).map(move |q| (*t, q)))
        .collect();
    let fresh: Vec<(&Topic, usize)> = all
        .iter()
        .copied()
        .filter(|(t, q)| !recent.contains(&(t.id.as_str().to_string(), *q)))
        .collect();
    let pool = if fresh.is_empty() { &all } else { &fresh };
    if pool.is_empty() {
        return None;
    }
    Some(pool[(roll % pool.len() as u64) as usize])
}

/// The topics a chat's quiz draws from: those it has seen that have questions; before it has seen
/// any, the written topics up to its current one; failing that, the first written topic.
pub fn default_pool<'a>(catalog: &'a Catalog, seen: &[String], current: usize) -> Vec<&'a Topic> {
    let seen: Vec<&Topic> = seen
        .iter()
        .filter_map(|id| catalog.topic(id))
        .filter(|t| !t.questions().is_empty())
        .collect();
    if !seen.is_empty() {
        return seen;
    }
    let upto: Vec<&Topic> = catalog
        .topics()
        .iter()
        .take(current + 1)
        .filter(|t| !t.questions().is_empty())
        .collect();
    if !upto.is_empty() {
        return upto;
    }
    catalog
        .topics()
        .iter()
        .filter(|t| !t.questions().is_empty())
        .take(1)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_parse_in_either_case_with_common_punctuation() {
        assert_eq!(OptionLetter::parse("b").unwrap().index(), 1);
        assert_eq!(OptionLetter::parse(" D ").unwrap().index(), 3);
        assert_eq!(OptionLetter::parse("C)").unwrap().as_char(), 'C');
        assert_eq!(OptionLetter::parse("a.").unwrap().index(), 0);
    }

    #[test]
    fn anything_but_a_to_d_is_not_an_option() {
        for bad in ["E", "", "AB", "1", "ä", "\u{0}"] {
            assert!(
                matches!(
                    OptionLetter::parse(bad),
                    Err(Msg::General(GeneralMsg::NotAnOption(_)))
                ),
                "{bad:?}"
            );
        }
        let Err(Msg::General(GeneralMsg::NotAnOption(echo))) =
            OptionLetter::parse(&"x".repeat(10_000))
        else {
            panic!()
        };
        assert!(echo.chars().count() <= ECHO_CHARS + 1);
    }

    #[test]
    fn harder_questions_earn_more_and_wrong_answers_earn_nothing() {
        assert!(xp_for(Difficulty::Apply, true) > xp_for(Difficulty::Recall, true));
        assert_eq!(xp_for(Difficulty::Apply, false), 0);
    }
}
