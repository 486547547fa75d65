//! Push schedules: cron expressions evaluated on the chat's local wall clock, so a 09:00 push
//! stays at 09:00 across daylight saving time. A local time that does not exist (spring-forward
//! gap) fires once when the gap ends; one that exists twice (fall-back overlap) fires once, at
//! its first occurrence.

use crate::core::messages::ScheduleMsg;
use crate::core::messages::{ECHO_CHARS, Msg, clip};
use crate::core::time::{DailyAt, Timezone};
use chrono::{DateTime, Duration, NaiveDateTime, TimeZone, Utc};
use std::fmt;
use std::str::FromStr;

/// Pushes are a daily habit, not a stream: schedules firing more often than this are refused.
pub const MIN_INTERVAL: Duration = Duration::hours(1);
/// Fires scanned when looking for the next one: bounds work for any valid expression.
const SCAN_LIMIT: usize = 2000;

/// A validated cron schedule in the `cron` crate's 6-field form (seconds first).
#[derive(Clone)]
pub struct Schedule {
    expr: String,
    cron: cron::Schedule,
}

impl fmt::Debug for Schedule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Schedule({})", self.expr)
    }
}

impl PartialEq for Schedule {
    fn eq(&self, other: &Schedule) -> bool {
        self.expr == other.expr
    }
}

impl Eq for Schedule {}

impl Schedule {
    /// Daily at a local time.
    pub fn daily(at: DailyAt) -> Schedule {
        Schedule::parse(&at.cron())
            .unwrap_or_else(|_| unreachable!("a daily time is always a valid schedule"))
    }

    /// Accepts the classic 5-field crontab form (`30 8 * * 1-5`) or the 6/7-field form with
    /// seconds first; refuses anything that fires more than once an hour.
    pub fn parse(input: &str) -> Result<Schedule, Msg> {
        let bad = || Msg::Schedule(ScheduleMsg::BadSchedule(clip(input.trim(), ECHO_CHARS)));
        let fields: Vec<&str> = input.split_whitespace().collect();
        let expr = match fields.len() {
            5 => {
                let dow = crontab_weekdays(fields[4]).ok_or_else(bad)?;
                format!(
                    "0 {} {} {} {} {dow}",
                    fields[0], fields[1], fields[2], fields[3]
                )
            }
            6 | 7 => fields.join(" "),
            _ => return Err(bad()),
        };
        let cron = cron::Schedule::from_str(&expr).map_err(|_| bad())?;
        let schedule = Schedule { expr, cron };
        let probe = Utc
            .with_ymd_and_hms(2026, 1, 1, 0, 0, 0)
            .single()
            .ok_or_else(bad)?;
        let fires: Vec<DateTime<Utc>> = schedule.cron.after(&probe).take(400).collect();
        if fires.is_empty() {
            return Err(bad());
        }
        if fires.windows(2).any(|w| w[1] - w[0] < MIN_INTERVAL) {
            return Err(Msg::Schedule(ScheduleMsg::ScheduleTooOften));
        }
        Ok(schedule)
    }

    /// A schedule read back from the store: it was validated when it was saved, so only the
    /// cron syntax is parsed (the frequency check scans hundreds of fires).
    pub fn stored(expr: &str) -> Option<Schedule> {
        let cron = cron::Schedule::from_str(expr).ok()?;
        Some(Schedule {
            expr: expr.to_string(),
            cron,
        })
    }

    /// The stored form.
    pub fn expr(&self) -> &str {
        &self.expr
    }

    /// Local wall-clock fire times after `after` (exclusive), as naive local times.
    fn local_fires_after(&self, after: NaiveDateTime) -> impl Iterator<Item = NaiveDateTime> + '_ {
        self.cron
            .after(&Utc.from_utc_datetime(&after))
            .take(SCAN_LIMIT)
            .map(|t| t.naive_utc())
    }

    /// The instant a local fire time means in `tz`: the first occurrence of a doubled time, the
    /// end of the gap for a skipped one (then `true`: moved).
    fn instant(tz: Timezone, local: NaiveDateTime) -> Option<(DateTime<Utc>, bool)> {
        let zone = tz.tz();
        if let Some(t) = zone.from_local_datetime(&local).earliest() {
            return Some((t.with_timezone(&Utc), false));
        }
        // In a gap: the first minute that exists afterwards (gaps are at most a few hours).
        (1..=24 * 60).find_map(|m| {
            zone.from_local_datetime(&(local + Duration::minutes(m)))
                .earliest()
                .map(|t| (t.with_timezone(&Utc), true))
        })
    }

    /// The first fire strictly after `after`. A fire within [`MIN_INTERVAL`] of the fire before
    /// it is dropped, and so is a fire moved out of a DST gap that comes within it of the next
    /// one (an hourly schedule across a spring-forward change): never two pushes in one hour.
    pub fn next_after(&self, after: DateTime<Utc>, tz: Timezone) -> Option<DateTime<Utc>> {
        // Start a few hours back on the local clock: around an overlap the local time of `after`
        // can lie past a fire that still comes later in real time.
        let local = after.with_timezone(&tz.tz()).naive_local() - Duration::hours(3);
        let mut fires = self
            .local_fires_after(local)
            .filter_map(|l| Self::instant(tz, l))
            .peekable();
        let mut previous: Option<DateTime<Utc>> = None;
        while let Some((t, moved)) = fires.next() {
            // Lord Howe moves its clocks by 30 minutes: two real local hours can be 30 minutes
            // apart, so any fire too close to the one before goes, not only moved ones.
            let crowded = previous.is_some_and(|p| t - p < MIN_INTERVAL)
                || (moved && fires.peek().is_some_and(|(n, _)| *n - t < MIN_INTERVAL));
            if crowded {
                continue;
            }
            if t > after {
                return Some(t);
            }
            previous = Some(t);
        }
        None
    }

    /// The latest fire in `(from, to]`, if any.
    pub fn last_in(
        &self,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        tz: Timezone,
    ) -> Option<DateTime<Utc>> {
        let mut last = None;
        let mut cursor = from;
        while let Some(t) = self.next_after(cursor, tz) {
            if t > to {
                break;
            }
            last = Some(t);
            cursor = t;
        }
        last
    }
}

/// Classic crontab numbers weekdays 0–7 from Sunday (0 and 7), the `cron` crate 1–7 from
/// Sunday: numbers in a 5-field line become names, which both read the same way.
fn crontab_weekdays(field: &str) -> Option<String> {
    const NAMES: [&str; 8] = ["Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
    let mut out = String::new();
    let mut number = String::new();
    let flush = |number: &mut String, out: &mut String| -> Option<()> {
        if !number.is_empty() {
            out.push_str(NAMES.get(number.parse::<usize>().ok()?)?);
            number.clear();
        }
        Some(())
    };
    let mut after_slash = false;
    for c in field.chars() {
        if c.is_ascii_digit() && !after_slash {
            number.push(c);
            continue;
        }
        flush(&mut number, &mut out)?;
        after_slash = c == '/' || (after_slash && c.is_ascii_digit());
        out.push(c);
    }
    flush(&mut number, &mut out)?;
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn fires(s: &Schedule, tz: &str, from: &str, n: usize) -> Vec<String> {
        let tz = Timezone::parse(tz).unwrap();
        let mut t = utc(from);
        let mut out = Vec::new();
        for _ in 0..n {
            t = s.next_after(t, tz).unwrap();
            out.push(t.to_rfc3339());
        }
        out
    }

    #[test]
    fn five_field_crontab_lines_are_accepted_and_get_seconds() {
        assert_eq!(
            Schedule::parse("30 8 * * 1-5").unwrap().expr(),
            "0 30 8 * * Mon-Fri"
        );
        assert_eq!(
            Schedule::parse("0 9 * * 0,6").unwrap().expr(),
            "0 0 9 * * Sun,Sat"
        );
        assert_eq!(
            Schedule::parse("0 9 * * 7").unwrap().expr(),
            "0 0 9 * * Sun"
        );
        assert!(matches!(
            Schedule::parse("0 9 * * 8"),
            Err(Msg::Schedule(ScheduleMsg::BadSchedule(_)))
        ));
        assert_eq!(
            Schedule::parse("0 0 9 * * *").unwrap().expr(),
            "0 0 9 * * *"
        );
    }

    #[test]
    fn garbage_and_too_frequent_schedules_are_refused() {
        assert!(matches!(
            Schedule::parse("every day"),
            Err(Msg::Schedule(ScheduleMsg::BadSchedule(_)))
        ));
        assert!(matches!(
            Schedule::parse("61 * * * *"),
            Err(Msg::Schedule(ScheduleMsg::BadSchedule(_)))
        ));
        assert!(matches!(
            Schedule::parse(""),
            Err(Msg::Schedule(ScheduleMsg::BadSchedule(_)))
        ));
        assert_eq!(
            Schedule::parse("* * * * *"),
            Err(Msg::Schedule(ScheduleMsg::ScheduleTooOften))
        );
        assert_eq!(
            Schedule::parse("*/30 * * * *"),
            Err(Msg::Schedule(ScheduleMsg::ScheduleTooOften))
        );
        assert!(Schedule::parse("0 * * * *").is_ok(), "hourly is the limit");
    }

    #[test]
    fn a_daily_push_stays_at_nine_local_across_spring_forward_in_berlin() {
        let s = Schedule::daily(DailyAt { hour: 9, minute: 0 });
        // Berlin moves to CEST on 2026-03-29.
        assert_eq!(
            fires(&s, "Europe/Berlin", "2026-03-27T12:00:00Z", 3),
            [
                "2026-03-28T08:00:00+00:00",
                "2026-03-29T07:00:00+00:00",
                "2026-03-30T07:00:00+00:00"
            ]
        );
    }

    #[test]
    fn a_daily_push_stays_at_nine_local_across_fall_back_in_new_york() {
        let s = Schedule::daily(DailyAt { hour: 9, minute: 0 });
        // New York returns to EST on 2026-11-01.
        assert_eq!(
            fires(&s, "America/New_York", "2026-10-31T00:00:00Z", 3),
            [
                "2026-10-31T13:00:00+00:00",
                "2026-11-01T14:00:00+00:00",
                "2026-11-02T14:00:00+00:00"
            ]
        );
    }

    #[test]
    fn a_time_in_the_spring_forward_gap_fires_once_when_the_gap_ends() {
        // 02:30 does not exist in New York on 2026-03-08 (02:00 → 03:00 EDT).
        let s = Schedule::daily(DailyAt {
            hour: 2,
            minute: 30,
        });
        assert_eq!(
            fires(&s, "America/New_York", "2026-03-07T00:00:00Z", 3),
            [
                "2026-03-07T07:30:00+00:00",
                "2026-03-08T07:00:00+00:00",
                "2026-03-09T06:30:00+00:00"
            ]
        );
    }

    #[test]
    fn a_time_in_the_fall_back_overlap_fires_once_at_its_first_occurrence() {
        // 01:30 happens twice in New York on 2026-11-01 (EDT, then EST).
        let s = Schedule::daily(DailyAt {
            hour: 1,
            minute: 30,
        });
        assert_eq!(
            fires(&s, "America/New_York", "2026-10-31T12:00:00Z", 3),
            [
                "2026-11-01T05:30:00+00:00",
                "2026-11-02T06:30:00+00:00",
                "2026-11-03T06:30:00+00:00"
            ]
        );
    }

    #[test]
    fn weekday_schedules_skip_weekends_in_the_local_zone() {
        let s = Schedule::parse("0 8 * * 1-5").unwrap();
        // Friday 2026-03-06 08:00 in Kolkata, then Monday 03-09.
        assert_eq!(
            fires(&s, "Asia/Kolkata", "2026-03-05T12:00:00Z", 2),
            ["2026-03-06T02:30:00+00:00", "2026-03-09T02:30:00+00:00"]
        );
    }

    #[test]
    fn the_last_fire_in_a_window_is_found() {
        let s = Schedule::daily(DailyAt { hour: 9, minute: 0 });
        let tz = Timezone::UTC;
        assert_eq!(
            s.last_in(utc("2026-03-01T00:00:00Z"), utc("2026-03-03T10:00:00Z"), tz),
            Some(utc("2026-03-03T09:00:00Z"))
        );
        assert_eq!(
            s.last_in(utc("2026-03-03T09:00:00Z"), utc("2026-03-03T12:00:00Z"), tz),
            None
        );
    }
}
