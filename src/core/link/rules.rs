//! Link codes and the merge of two learners' streaks: pure rules, tested at fixed days.

use crate::core::clock::IdSource;
use crate::core::messages::{LinkMsg, Msg};
use crate::core::streak::{MAX_FREEZES, Streak};
use chrono::NaiveDate;
use sha2::{Digest, Sha256};
use std::fmt;

/// Characters of a code: no 0/O, 1/I/L that read alike on a phone.
pub const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKMNPQRSTUVWXYZ23456789";
pub const CODE_LEN: usize = 8;
/// How long a code can be entered.
pub const CODE_VALID_MINUTES: i64 = 10;
/// Wrong or expired codes an account may enter within [`WRONG_TRIES_WINDOW_MINUTES`]...
pub const MAX_WRONG_TRIES: i64 = 5;
pub const WRONG_TRIES_WINDOW_MINUTES: i64 = 10;
/// ...before linking from it is locked for this long.
pub const LOCKOUT_MINUTES: i64 = 60;

/// A one-time code, shown once and stored only as its hash.
#[derive(Clone, PartialEq, Eq)]
pub struct LinkCode(String);

impl LinkCode {
    /// Reads a code as typed: case and dashes do not matter.
    pub fn parse(input: &str) -> Result<LinkCode, Msg> {
        let code: String = input
            .chars()
            .filter(|c| *c != '-')
            .map(|c| c.to_ascii_uppercase())
            .collect();
        let valid = code.len() == CODE_LEN && code.bytes().all(|b| CODE_ALPHABET.contains(&b));
        if valid {
            Ok(LinkCode(code))
        } else {
            Err(Msg::Link(LinkMsg::NotACode))
        }
    }

    /// A fresh code from the injected source (deterministic in tests).
    pub fn generate(ids: &dyn IdSource) -> LinkCode {
        let mut n = ids.next_u64();
        let base = CODE_ALPHABET.len() as u64;
        let code = (0..CODE_LEN)
            .map(|_| {
                let c = CODE_ALPHABET[(n % base) as usize] as char;
                n /= base;
                c
            })
            .collect();
        LinkCode(code)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// What the store keeps: the SHA-256 of the code, hex.
    pub fn hash(&self) -> String {
        Sha256::digest(self.0.as_bytes())
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect()
    }
}

/// Codes are secrets while they are valid: never in logs.
impl fmt::Debug for LinkCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("LinkCode(<redacted>)")
    }
}

/// What `/link` was asked to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkRequest {
    /// Make a code here, to be entered on the other platform.
    Start,
    /// Enter a code made on the other platform: show what merges, or (`confirm`) merge.
    Enter { code: LinkCode, confirm: bool },
}

/// The joined learner's streak on `today` (the learner's local day): the longer current
/// streak if both are alive, else the one that is; longest the larger; freezes the larger,
/// capped. When neither is alive the joined streak starts again at the next study day.
pub fn merge_streaks(a: Streak, b: Streak, today: NaiveDate) -> Streak {
    let (ca, cb) = (a.current_on(today), b.current_on(today));
    let freezes = a.freezes.max(b.freezes).min(MAX_FREEZES);
    let longest = a.longest.max(b.longest);
    let alive = match (ca > 0, cb > 0) {
        (true, true) if cb > ca => Some(b),
        (true, _) => Some(a),
        (false, true) => Some(b),
        (false, false) => None,
    };
    match alive {
        Some(s) => Streak {
            current: s.current,
            longest: longest.max(s.current),
            freezes,
            last_day: s.last_day,
        },
        None => Streak {
            current: 0,
            longest,
            freezes,
            last_day: None,
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::clock::SeededIds;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn streak(current: u32, longest: u32, freezes: u32, last: &str) -> Streak {
        Streak {
            current,
            longest,
            freezes,
            last_day: Some(d(last)),
        }
    }

    #[test]
    fn a_code_is_eight_unambiguous_characters_and_repeats_for_the_same_seed() {
        let (a, b) = (SeededIds::new(3), SeededIds::new(3));
        let (x, y) = (LinkCode::generate(&a), LinkCode::generate(&b));
        assert_eq!(x, y);
        assert_eq!(x.as_str().len(), CODE_LEN);
        assert!(x.as_str().bytes().all(|c| CODE_ALPHABET.contains(&c)));
        assert_ne!(x, LinkCode::generate(&a), "the next code differs");
        for ambiguous in [b'0', b'O', b'1', b'I', b'L'] {
            assert!(!CODE_ALPHABET.contains(&ambiguous));
        }
    }

    #[test]
    fn a_code_is_read_whatever_its_case_and_dashes_and_refused_otherwise() {
        let code = LinkCode::parse("abcd-2345").unwrap();
        assert_eq!(code.as_str(), "ABCD2345");
        for bad in [
            "ABCD234",
            "ABCD23456",
            "ABCD0345",
            "ABCD 2345",
            "ÄBCD2345",
            "",
        ] {
            assert!(LinkCode::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn only_the_hash_of_a_code_is_kept_and_it_never_prints() {
        let code = LinkCode::parse("ABCD2345").unwrap();
        assert_eq!(code.hash().len(), 64);
        assert!(!code.hash().contains("ABCD2345"));
        assert_eq!(format!("{code:?}"), "LinkCode(<redacted>)");
    }

    #[test]
    fn when_both_streaks_are_alive_the_longer_wins() {
        let today = d("2026-03-10");
        let a = streak(3, 3, 0, "2026-03-10");
        let b = streak(5, 9, 1, "2026-03-09");
        let m = merge_streaks(a, b, today);
        assert_eq!((m.current, m.longest, m.freezes), (5, 9, 1));
        assert_eq!(m.last_day, Some(d("2026-03-09")));
        assert_eq!(merge_streaks(b, a, today), m, "whichever side it is on");
    }

    #[test]
    fn a_broken_longer_streak_loses_to_a_live_shorter_one() {
        let today = d("2026-03-10");
        let broken = streak(20, 20, 0, "2026-03-07");
        let alive = streak(2, 2, 0, "2026-03-10");
        let m = merge_streaks(broken, alive, today);
        assert_eq!((m.current, m.longest, m.last_day), (2, 20, Some(today)));
    }

    #[test]
    fn freezes_are_the_larger_count_capped_at_two() {
        let today = d("2026-03-10");
        let m = merge_streaks(
            streak(14, 14, 2, "2026-03-10"),
            streak(7, 7, 1, "2026-03-10"),
            today,
        );
        assert_eq!(m.freezes, MAX_FREEZES);
        let over = Streak {
            freezes: 5,
            ..streak(1, 1, 0, "2026-03-10")
        };
        assert_eq!(merge_streaks(over, Streak::default(), today).freezes, 2);
    }

    #[test]
    fn a_streak_kept_alive_by_its_freezes_counts_as_alive() {
        let today = d("2026-03-10");
        // Missed two days, two freezes held: still alive, and longer.
        let frozen = streak(8, 8, 2, "2026-03-07");
        let m = merge_streaks(frozen, streak(1, 1, 0, "2026-03-10"), today);
        assert_eq!((m.current, m.freezes), (8, 2));
    }

    #[test]
    fn when_neither_is_alive_the_next_study_day_starts_a_new_streak() {
        let today = d("2026-03-10");
        let m = merge_streaks(
            streak(4, 6, 0, "2026-03-01"),
            streak(3, 3, 2, "2026-03-02"),
            today,
        );
        assert_eq!(
            (m.current, m.longest, m.freezes, m.last_day),
            (0, 6, 2, None)
        );
        assert_eq!(m.current_on(today), 0, "the larger freezes revive nothing");
        assert_eq!(m.record(today).0.current, 1);
    }
}
