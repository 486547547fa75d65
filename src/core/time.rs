//! Timezones and local times, only buildable by parsing.

use super::messages::Msg;
use crate::core::messages::GeneralMsg;
use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use std::fmt;

/// An IANA zone such as `Europe/Berlin`, or `UTC`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Timezone(Tz);

impl Timezone {
    pub const UTC: Timezone = Timezone(Tz::UTC);

    /// Accepts IANA names case-insensitively (`asia/kolkata` works); refuses offsets like `+05:30`
    /// because they ignore daylight saving time.
    pub fn parse(input: &str) -> Result<Timezone, Msg> {
        let s = input.trim();
        if s.is_empty() || s.len() > 64 {
            return Err(Msg::General(GeneralMsg::UnknownTimezone(
                super::messages::clip(s, 64),
            )));
        }
        s.parse::<Tz>()
            .or_else(|_| Tz::from_str_insensitive(s))
            .map(Timezone)
            .map_err(|_| Msg::General(GeneralMsg::UnknownTimezone(s.to_string())))
    }

    pub fn name(&self) -> &'static str {
        self.0.name()
    }

    pub fn tz(&self) -> Tz {
        self.0
    }

    /// The local calendar day at `at` in this zone.
    pub fn local_day(&self, at: DateTime<Utc>) -> NaiveDate {
        at.with_timezone(&self.0).date_naive()
    }

    /// The instant the local week (starting Monday 00:00) containing `at` began.
    pub fn week_start(&self, at: DateTime<Utc>) -> DateTime<Utc> {
        let day = self.local_day(at);
        let monday = day - Duration::days(i64::from(day.weekday().num_days_from_monday()));
        self.start_of_day(monday)
    }

    /// The first instant of a local day (a DST gap at midnight moves it forward).
    pub fn start_of_day(&self, day: NaiveDate) -> DateTime<Utc> {
        let mut t = day.and_time(NaiveTime::MIN);
        for _ in 0..4 {
            if let Some(dt) = self.0.from_local_datetime(&t).earliest() {
                return dt.with_timezone(&Utc);
            }
            t += Duration::minutes(30);
        }
        Utc.from_utc_datetime(&day.and_time(NaiveTime::MIN))
    }
}

impl fmt::Display for Timezone {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A daily local time, `HH:MM`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DailyAt {
    pub hour: u8,
    pub minute: u8,
}

impl DailyAt {
    pub const DEFAULT: DailyAt = DailyAt { hour: 9, minute: 0 };

    pub fn parse(input: &str) -> Result<DailyAt, Msg> {
        let bad = || Msg::General(GeneralMsg::BadTime(super::messages::clip(input, 20)));
        let (h, m) = input.trim().split_once(':').ok_or_else(bad)?;
        if h.is_empty() || h.len() > 2 || m.len() != 2 {
            return Err(bad());
        }
        let hour: u8 = h.parse().map_err(|_| bad())?;
        let minute: u8 = m.parse().map_err(|_| bad())?;
        if hour > 23 || minute > 59 {
            return Err(bad());
        }
        Ok(DailyAt { hour, minute })
    }

    /// The `cron` crate's 6-field form (seconds first): every day at this time.
    pub fn cron(&self) -> String {
        format!("0 {} {} * * *", self.minute, self.hour)
    }

    pub fn looks_like_time(s: &str) -> bool {
        s.contains(':') && s.chars().next().is_some_and(|c| c.is_ascii_digit())
    }
}

impl fmt::Display for DailyAt {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:02}:{:02}", self.hour, self.minute)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn utc(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    #[test]
    fn zone_names_are_accepted_in_any_case() {
        assert_eq!(
            Timezone::parse("asia/kolkata").unwrap().name(),
            "Asia/Kolkata"
        );
        assert_eq!(Timezone::parse("UTC").unwrap(), Timezone::UTC);
    }

    #[test]
    fn unknown_zones_and_offsets_are_refused() {
        assert!(matches!(
            Timezone::parse("Mars/Olympus"),
            Err(Msg::General(GeneralMsg::UnknownTimezone(_)))
        ));
        assert!(Timezone::parse("+05:30").is_err());
        assert!(Timezone::parse("").is_err());
        assert!(Timezone::parse(&"x".repeat(10_000)).is_err());
    }

    #[test]
    fn the_local_day_depends_on_the_zone() {
        let t = utc("2026-03-01T23:30:00Z");
        assert_eq!(
            Timezone::parse("Europe/Berlin")
                .unwrap()
                .local_day(t)
                .to_string(),
            "2026-03-02"
        );
        assert_eq!(
            Timezone::parse("America/New_York")
                .unwrap()
                .local_day(t)
                .to_string(),
            "2026-03-01"
        );
    }

    #[test]
    fn a_week_starts_on_local_monday_midnight() {
        let berlin = Timezone::parse("Europe/Berlin").unwrap();
        // Wednesday 2026-03-04 noon UTC → Monday 2026-03-02 00:00 CET = 2026-03-01T23:00Z.
        assert_eq!(
            berlin.week_start(utc("2026-03-04T12:00:00Z")),
            utc("2026-03-01T23:00:00Z")
        );
    }

    #[test]
    fn a_day_starting_in_a_dst_gap_starts_after_the_gap() {
        // America/Santiago skips from 00:00 to 01:00 on 2026-09-06.
        let santiago = Timezone::parse("America/Santiago").unwrap();
        let day = NaiveDate::from_ymd_opt(2026, 9, 6).unwrap();
        let start = santiago.start_of_day(day);
        assert_eq!(santiago.local_day(start), day);
        assert_eq!(
            start
                .with_timezone(&santiago.tz())
                .format("%H:%M")
                .to_string(),
            "01:00"
        );
    }

    #[test]
    fn daily_times_parse_strictly() {
        assert_eq!(
            DailyAt::parse("07:30").unwrap(),
            DailyAt {
                hour: 7,
                minute: 30
            }
        );
        assert_eq!(DailyAt::parse("7:05").unwrap().to_string(), "07:05");
        for bad in [
            "24:00", "12:60", "1230", "12:3", "ab:cd", "", ":30", "123:00",
        ] {
            assert!(DailyAt::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(DailyAt::parse("09:15").unwrap().cron(), "0 15 9 * * *");
    }
}
