//! Schedules and streaks from arbitrary input: a cron line, a zone and an instant. The next fire
//! is in the future and the one after at least an hour later; a streak never decreases on a
//! study day.
#![no_main]

use chrono::{Duration, TimeZone, Utc};
use libfuzzer_sys::fuzz_target;
use studybot::core::schedule::Schedule;
use studybot::core::streak::Streak;
use studybot::core::Timezone;

fuzz_target!(|input: (&str, u16, i64, Vec<u32>)| {
    let (cron, zone, secs, gaps) = input;
    let zones = chrono_tz_names();
    let tz = Timezone::parse(zones[usize::from(zone) % zones.len()]).unwrap();
    let Some(t) = Utc.timestamp_opt(secs.rem_euclid(4_102_444_800), 0).single() else {
        return;
    };
    if let Ok(s) = Schedule::parse(cron) {
        if let Some(next) = s.next_after(t, tz) {
            assert!(next > t);
            if let Some(after) = s.next_after(next, tz) {
                assert!(after - next >= Duration::hours(1), "{s:?} {tz} {next} {after}");
            }
        }
    }
    let mut streak = Streak::default();
    let mut now = t;
    for gap in gaps.into_iter().take(64) {
        now += Duration::seconds(i64::from(gap % 200_000));
        let day = tz.local_day(now);
        let before = streak.current_on(day);
        streak = streak.record(day).0;
        assert!(streak.current_on(day) >= before.max(1));
    }
});

fn chrono_tz_names() -> &'static [&'static str] {
    &["UTC", "Europe/Berlin", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata",
      "Pacific/Chatham", "America/Santiago", "Asia/Tehran", "Pacific/Kiritimati", "America/St_Johns"]
}
