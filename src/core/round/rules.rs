//! Timed group quiz rounds, the rules: how many questions, how long each is open, how an answer
//! scores, how a scoreboard ranks. The use case (core/usecases/round.rs) keeps the state in the
//! store; the scheduler drives the deadlines.

use crate::core::messages::RoundMsg;
use crate::core::messages::{ECHO_CHARS, Msg, clip};
use chrono::Duration;

/// Questions in a round when `/round` names no number.
pub const DEFAULT_QUESTIONS: u32 = 5;
/// The most questions a round may have.
pub const MAX_QUESTIONS: u32 = 20;
/// The first question comes this long after `/round`, so the announcement is read (and sent)
/// first.
pub const START_SECS: i64 = 3;
/// How long each question is open. Telegram's `open_period` allows 5–600 s.
pub const QUESTION_SECS: u32 = 30;
/// Answers are still taken this long after the open period, because a vote cast in the last
/// moment reaches the bot a little later (Telegram delivers `poll_answer` by long polling).
/// Points are counted as if it arrived at the deadline at the latest.
pub const ANSWER_GRACE_SECS: i64 = 2;
/// How often platforms without a native timer get the countdown updated.
pub const COUNTDOWN_EVERY_SECS: i64 = 10;
/// After a restart, a round whose question closed longer ago than this (or whose post was
/// interrupted longer ago) is ended with the scores so far rather than continued.
pub const RESUME_WITHIN_SECS: i64 = 120;
/// Points for a right answer given at once; a right answer at the deadline earns half.
pub const MAX_POINTS: i64 = 1000;

/// What `/round [n] [section]` asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundRequest {
    pub questions: u32,
    /// A section or topic, as typed; `None`: the topics the chat has covered.
    pub source: Option<String>,
}

impl RoundRequest {
    /// `[n] [section or topic]`: a leading number is the question count (so `/round 7` is seven
    /// questions; a section by number needs the count first, `/round 5 7`).
    pub fn parse(words: &[&str]) -> Result<RoundRequest, Msg> {
        let (questions, rest) = match words.split_first() {
            Some((first, rest)) if first.bytes().all(|b| b.is_ascii_digit()) => {
                let n: u32 = first.parse().unwrap_or(u32::MAX);
                if !(1..=MAX_QUESTIONS).contains(&n) {
                    return Err(Msg::Round(RoundMsg::Size {
                        asked: clip(first, ECHO_CHARS),
                        max: MAX_QUESTIONS,
                    }));
                }
                (n, rest)
            }
            _ => (DEFAULT_QUESTIONS, words),
        };
        let source = rest.join(" ");
        Ok(RoundRequest {
            questions,
            source: (!source.is_empty()).then_some(source),
        })
    }
}

/// Points for one answer: `MAX_POINTS × (1 − elapsed / (2 × period))` when right (1000 at once,
/// 500 at the deadline; elapsed is clamped to the period), 0 when wrong. The same shape as
/// Kahoot's: speed matters, but a right answer always beats a wrong one.
pub fn points(correct: bool, elapsed: Duration, period: Duration) -> i64 {
    if !correct {
        return 0;
    }
    let period_ms = period.num_milliseconds().max(1);
    let elapsed_ms = elapsed.num_milliseconds().clamp(0, period_ms);
    // Rounded to the nearest point.
    MAX_POINTS - (MAX_POINTS * elapsed_ms + period_ms) / (2 * period_ms)
}

/// One player's total in a round.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Standing {
    pub name: String,
    pub points: i64,
    pub right: i64,
    pub answered: i64,
}

/// Ranks standings: most points first, then most right answers, then name; equal points and
/// right answers share a rank (1, 1, 3).
pub fn rank(mut standings: Vec<Standing>) -> Vec<(usize, Standing)> {
    standings.sort_by(|a, b| {
        b.points
            .cmp(&a.points)
            .then(b.right.cmp(&a.right))
            .then(a.name.cmp(&b.name))
    });
    let mut out: Vec<(usize, Standing)> = Vec::with_capacity(standings.len());
    for (i, s) in standings.into_iter().enumerate() {
        let place = match out.last() {
            Some((r, prev)) if prev.points == s.points && prev.right == s.right => *r,
            _ => i + 1,
        };
        out.push((place, s));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn secs(s: i64) -> Duration {
        Duration::seconds(s)
    }

    #[test]
    fn a_right_answer_scores_1000_at_once_and_500_at_the_deadline() {
        assert_eq!(points(true, secs(0), secs(30)), 1000);
        assert_eq!(points(true, secs(15), secs(30)), 750);
        assert_eq!(points(true, secs(30), secs(30)), 500);
        assert_eq!(points(true, secs(45), secs(30)), 500, "late is clamped");
        assert_eq!(points(true, secs(-3), secs(30)), 1000, "early is clamped");
        assert_eq!(points(false, secs(0), secs(30)), 0);
    }

    #[test]
    fn faster_right_answers_score_more() {
        let mut last = i64::MAX;
        for ms in (0..=30_000).step_by(1000) {
            let p = points(true, Duration::milliseconds(ms), secs(30));
            assert!(p <= last && p >= 500);
            last = p;
        }
        assert!(points(true, secs(1), secs(30)) > points(true, secs(2), secs(30)));
    }

    #[test]
    fn round_arguments_are_an_optional_count_then_a_source() {
        assert_eq!(
            RoundRequest::parse(&[]),
            Ok(RoundRequest {
                questions: DEFAULT_QUESTIONS,
                source: None
            })
        );
        assert_eq!(
            RoundRequest::parse(&["7"]),
            Ok(RoundRequest {
                questions: 7,
                source: None
            })
        );
        assert_eq!(
            RoundRequest::parse(&["3", "sql", "databases"]),
            Ok(RoundRequest {
                questions: 3,
                source: Some("sql databases".into())
            })
        );
        assert_eq!(
            RoundRequest::parse(&["networking"]),
            Ok(RoundRequest {
                questions: DEFAULT_QUESTIONS,
                source: Some("networking".into())
            })
        );
        for bad in ["0", "21", "99999999999"] {
            assert!(
                matches!(
                    RoundRequest::parse(&[bad]),
                    Err(Msg::Round(RoundMsg::Size { .. }))
                ),
                "{bad}"
            );
        }
    }

    #[test]
    fn standings_rank_by_points_then_right_answers_and_ties_share_a_place() {
        let s = |name: &str, points, right| Standing {
            name: name.into(),
            points,
            right,
            answered: 3,
        };
        let ranked = rank(vec![
            s("cy", 900, 1),
            s("ana", 1800, 2),
            s("ben", 900, 1),
            s("dee", 0, 0),
        ]);
        let places: Vec<(usize, &str)> =
            ranked.iter().map(|(r, s)| (*r, s.name.as_str())).collect();
        assert_eq!(places, [(1, "ana"), (2, "ben"), (2, "cy"), (4, "dee")]);
    }
}
