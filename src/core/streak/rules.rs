//! Streak rules. A study day is a local calendar day with at least one answer, right or wrong.
//! Every 7 days of streak earn a freeze (at most 2 held); a missed day spends a freeze instead of
//! breaking the streak.

use chrono::NaiveDate;

pub const MAX_FREEZES: u32 = 2;
pub const DAYS_PER_FREEZE: u32 = 7;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Streak {
    pub current: u32,
    pub longest: u32,
    pub freezes: u32,
    pub last_day: Option<NaiveDate>,
}

/// What recording a study day did, for the reply.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StreakChange {
    /// Today was already a study day (or the day lies before the last one, after a zone change).
    Unchanged,
    Started,
    Extended {
        freezes_used: u32,
        freeze_earned: bool,
    },
    /// Missed more days than freezes could cover.
    Restarted {
        missed: u32,
    },
}

impl Streak {
    /// Applies a study day.
    pub fn record(self, day: NaiveDate) -> (Streak, StreakChange) {
        let Some(last) = self.last_day else {
            return (
                Streak {
                    current: 1,
                    longest: self.longest.max(1),
                    freezes: self.freezes,
                    last_day: Some(day),
                },
                StreakChange::Started,
            );
        };
        if day <= last {
            return (self, StreakChange::Unchanged);
        }
        let missed = u32::try_from((day - last).num_days() - 1).unwrap_or(u32::MAX);
        let mut next = Streak {
            last_day: Some(day),
            ..self
        };
        let change = if missed <= self.freezes {
            next.freezes -= missed;
            next.current = self.current.saturating_add(1);
            let earned = next.current.is_multiple_of(DAYS_PER_FREEZE) && next.freezes < MAX_FREEZES;
            if earned {
                next.freezes += 1;
            }
            StreakChange::Extended {
                freezes_used: missed,
                freeze_earned: earned,
            }
        } else {
            next.current = 1;
            StreakChange::Restarted { missed }
        };
        next.longest = next.longest.max(next.current);
        (next, change)
    }

    /// The streak as it stands on `today`: still alive if today or yesterday was a study day, or
    /// if the freezes held cover the days missed since.
    pub fn current_on(&self, today: NaiveDate) -> u32 {
        match self.last_day {
            None => 0,
            Some(last) if today <= last => self.current,
            Some(last) => {
                let missed = (today - last).num_days() - 1;
                if missed <= i64::from(self.freezes) {
                    self.current
                } else {
                    0
                }
            }
        }
    }

    /// Whether today still needs an answer to keep the streak going.
    pub fn needs_today(&self, today: NaiveDate) -> bool {
        self.last_day != Some(today)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn days(start: &str, n: i64) -> Streak {
        let mut s = Streak::default();
        for i in 0..n {
            s = s.record(d(start) + chrono::Duration::days(i)).0;
        }
        s
    }

    #[test]
    fn the_first_study_day_starts_a_streak_of_one() {
        let (s, c) = Streak::default().record(d("2026-03-01"));
        assert_eq!((s.current, s.longest, c), (1, 1, StreakChange::Started));
    }

    #[test]
    fn a_second_answer_on_the_same_day_changes_nothing() {
        let s = days("2026-03-01", 1);
        assert_eq!(s.record(d("2026-03-01")), (s, StreakChange::Unchanged));
    }

    #[test]
    fn consecutive_days_extend_the_streak() {
        let s = days("2026-03-01", 3);
        assert_eq!((s.current, s.longest, s.freezes), (3, 3, 0));
    }

    #[test]
    fn a_missed_day_without_freezes_restarts_at_one_and_keeps_the_longest() {
        let s = days("2026-03-01", 3);
        let (s, c) = s.record(d("2026-03-05"));
        assert_eq!((s.current, s.longest), (1, 3));
        assert_eq!(c, StreakChange::Restarted { missed: 1 });
    }

    #[test]
    fn every_seventh_day_earns_a_freeze_up_to_two() {
        assert_eq!(days("2026-03-01", 6).freezes, 0);
        assert_eq!(days("2026-03-01", 7).freezes, 1);
        assert_eq!(days("2026-03-01", 14).freezes, 2);
        assert_eq!(days("2026-03-01", 21).freezes, 2);
    }

    #[test]
    fn a_freeze_covers_a_missed_day() {
        let s = days("2026-03-01", 7); // last day 03-07, one freeze
        let (s, c) = s.record(d("2026-03-09"));
        assert_eq!((s.current, s.freezes), (8, 0));
        assert_eq!(
            c,
            StreakChange::Extended {
                freezes_used: 1,
                freeze_earned: false
            }
        );
    }

    #[test]
    fn two_freezes_cover_two_missed_days_but_not_three() {
        let s = days("2026-03-01", 14); // last day 03-14, two freezes
        assert_eq!(s.record(d("2026-03-17")).0.current, 15);
        assert_eq!(s.record(d("2026-03-18")).0.current, 1);
    }

    #[test]
    fn a_day_before_the_last_study_day_is_ignored() {
        let s = days("2026-03-01", 2);
        assert_eq!(s.record(d("2026-02-28")).1, StreakChange::Unchanged);
    }

    #[test]
    fn the_shown_streak_lapses_only_when_freezes_cannot_cover_the_gap() {
        let s = days("2026-03-01", 3); // last 03-03, no freezes
        assert_eq!(s.current_on(d("2026-03-03")), 3);
        assert_eq!(s.current_on(d("2026-03-04")), 3);
        assert_eq!(s.current_on(d("2026-03-05")), 0);
        let f = days("2026-03-01", 7); // one freeze
        assert_eq!(f.current_on(d("2026-03-09")), 7);
        assert_eq!(f.current_on(d("2026-03-10")), 0);
    }
}
