//! Properties over the entry points hostile input reaches first: the command parser, the button
//! decoder, the content loader, and the streak and schedule math.
//!
//! CI runs a small number of cases per property (`CI_CASES`, a few seconds in all); for a longer
//! local run set `PROPTEST_CASES`, e.g. `PROPTEST_CASES=20000 cargo test --release --test
//! properties` (about a minute on 2 cores).

mod support;

use chrono::{DateTime, Duration, NaiveDate, TimeZone, Utc};
use proptest::prelude::*;
use proptest::test_runner::Config;
use studybot::content::load_catalog;
use studybot::core::quiz::OptionLetter;
use studybot::core::schedule::Schedule;
use studybot::core::streak::Streak;
use studybot::core::{Action, DailyAt, ParseOptions, Timezone, TopicStatus, parse_command};

/// Cases per property in CI.
const CI_CASES: u32 = 256;

fn config(ci: u32) -> Config {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(ci);
    Config {
        cases,
        failure_persistence: None,
        ..Config::default()
    }
}

/// Text that looks like commands often enough to reach past the first checks: a command name
/// (or garbage), then arbitrary Unicode, control characters and lookalikes.
fn command_like() -> impl Strategy<Value = String> {
    let names: Vec<&str> = studybot::core::messages::COMMANDS
        .iter()
        .map(|c| c.name)
        .chain(["top", "tz", "", "TODAY@studybot", "quiz@other"])
        .collect();
    let names = prop::sample::select(names);
    let words = prop::sample::select(vec![
        "card",
        "confirm",
        "off",
        "stop",
        "done",
        "later",
        "skip",
        "08:30",
        "25:00",
        "Europe/Berlin",
        "utc",
        "5",
        "0",
        "21",
        "*",
        "30 8 * * 1-5",
        "*/5 * * * *",
        "alpha",
        "Basics",
        "A",
        "b",
        "\u{202e}",
        "\u{200f}",
        "\u{0}",
        "<b>",
        "&amp;",
        "@everyone",
        "'; DROP TABLE users; --",
    ]);
    prop_oneof![
        any::<String>(),
        (
            names,
            prop::collection::vec(
                prop_oneof![words.prop_map(String::from), any::<String>()],
                0..4
            )
        )
            .prop_map(|(n, w)| format!("/{n} {}", w.join(" "))),
        prop::collection::vec(any::<char>(), 0..1200).prop_map(|c| c.into_iter().collect()),
    ]
}

proptest! {
    #![proptest_config(config(CI_CASES))]

    #[test]
    fn the_parser_never_panics_and_accepted_commands_round_trip(text in command_like(), bare in any::<bool>()) {
        let opts = ParseOptions { bot_name: Some("studybot"), bare_letters: bare };
        if let Ok(Some(cmd)) = parse_command(&text, &opts) {
            let canonical = cmd.to_text();
            let again = parse_command(&canonical, &opts);
            prop_assert_eq!(again, Ok(Some(cmd)), "{:?} became {:?}", text, canonical);
        }
    }

    #[test]
    fn the_button_decoder_never_panics_and_decoded_buttons_round_trip(data in prop_oneof![
        any::<String>(),
        "(q|m|a|next|forget|review)(:[a-z0-9:_-]{0,70})?",
        "a:-?[0-9]{1,20}:[a-dA-D]",
        "m:[dls]:[a-z0-9-]{0,64}",
    ]) {
        if let Some(action) = Action::decode(&data) {
            let encoded = action.encode();
            prop_assert!(encoded.len() <= 64);
            prop_assert_eq!(Action::decode(&encoded), Some(action));
        }
    }

    #[test]
    fn every_button_the_bot_makes_fits_and_decodes_to_itself(
        topic in prop::collection::vec("[a-z0-9]{1,11}", 1..6).prop_map(|w| w.join("-")),
        quiz in any::<i64>(),
        letter in 0usize..4,
        status in prop::sample::select(vec!["done", "later", "skip"]),
    ) {
        prop_assert!(studybot::content::is_topic_id(&topic));
        let letter = OptionLetter::from_index(letter).unwrap();
        let status = TopicStatus::parse(status).unwrap();
        for a in [
            Action::QuizTopic(topic.clone()),
            Action::Mark { status, topic: topic.clone() },
            Action::Answer { quiz_id: quiz, letter },
            Action::NextTopic,
            Action::ForgetConfirm,
            Action::Review,
        ] {
            let encoded = a.encode();
            prop_assert!(encoded.len() <= 64, "{encoded}");
            prop_assert_eq!(Action::decode(&encoded), Some(a));
        }
    }
}

/// One edit to a content file.
#[derive(Debug, Clone)]
enum Mutation {
    Delete { at: usize, len: usize },
    Insert { at: usize, text: String },
    DuplicateLine(usize),
    SwapLines(usize, usize),
    Truncate(usize),
}

fn mutation() -> impl Strategy<Value = Mutation> {
    let toml_bits = prop::sample::select(vec![
        "[[topics]]\n",
        "[[topics.questions]]\n",
        "[section]\n",
        "id = \"alpha\"\n",
        "= ",
        "\"",
        "'''",
        "\n",
        "answer = 7\n",
        "options = []\n",
        "title = \"\"\n",
        "x = 1\n",
        "[",
        "]",
        "#",
        "\u{feff}",
        "\u{0}",
        "difficulty = \"hard\"\n",
    ]);
    prop_oneof![
        (any::<usize>(), 1usize..40).prop_map(|(at, len)| Mutation::Delete { at, len }),
        (
            any::<usize>(),
            prop_oneof![toml_bits.prop_map(String::from), any::<String>()]
        )
            .prop_map(|(at, text)| Mutation::Insert { at, text }),
        any::<usize>().prop_map(Mutation::DuplicateLine),
        (any::<usize>(), any::<usize>()).prop_map(|(a, b)| Mutation::SwapLines(a, b)),
        any::<usize>().prop_map(Mutation::Truncate),
    ]
}

/// The char boundary nearest below `at % (len + 1)`.
fn boundary(s: &str, at: usize) -> usize {
    let mut i = at % (s.len() + 1);
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fn apply(s: &str, m: &Mutation) -> String {
    let mut lines: Vec<&str> = s.split_inclusive('\n').collect();
    match m {
        Mutation::Delete { at, len } => {
            let a = boundary(s, *at);
            let b = boundary(s, (a + len).min(s.len()));
            let b = b.max(a);
            format!("{}{}", &s[..a], &s[b..])
        }
        Mutation::Insert { at, text } => {
            let a = boundary(s, *at);
            format!("{}{text}{}", &s[..a], &s[a..])
        }
        Mutation::DuplicateLine(i) if !lines.is_empty() => {
            let i = i % lines.len();
            lines.insert(i, lines[i]);
            lines.concat()
        }
        Mutation::SwapLines(a, b) if !lines.is_empty() => {
            let n = lines.len();
            lines.swap(a % n, b % n);
            lines.concat()
        }
        Mutation::Truncate(at) => s[..boundary(s, *at)].to_string(),
        _ => s.to_string(),
    }
}

proptest! {
    #![proptest_config(config(CI_CASES / 4))]

    #[test]
    fn the_content_loader_never_panics_on_mutated_toml_and_names_file_and_line(
        file in 0usize..2,
        mutations in prop::collection::vec(mutation(), 1..4),
    ) {
        let dir = tempfile::tempdir().unwrap();
        let src = support::fixture_dir();
        for entry in std::fs::read_dir(&src).unwrap().flatten() {
            std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
        }
        let name = ["00-basics.toml", "01-more.toml"][file];
        let path = dir.path().join(name);
        let original = std::fs::read_to_string(&path).unwrap();
        let mutated = mutations.iter().fold(original, |s, m| apply(&s, m));
        std::fs::write(&path, &mutated).unwrap();
        if let Err(errors) = load_catalog(dir.path(), false) {
            prop_assert!(!errors.0.is_empty());
            for e in &errors.0 {
                prop_assert!(e.file.starts_with(dir.path()), "{e}");
                prop_assert!(e.line >= 1, "{e}");
                let lines = std::fs::read_to_string(&e.file)
                    .map(|t| t.lines().count().max(1))
                    .unwrap_or(1);
                prop_assert!(e.line <= lines + 1, "{e} (the file has {lines} lines)");
                let shown = format!("{}:{}: ", e.file.display(), e.line);
                prop_assert!(e.to_string().starts_with(&shown), "{e}");
            }
        }
    }
}

/// Any IANA zone chrono-tz knows.
fn zone() -> impl Strategy<Value = Timezone> {
    prop::sample::select(chrono_tz::TZ_VARIANTS.to_vec())
        .prop_map(|tz| Timezone::parse(tz.name()).unwrap())
}

/// An instant between 1971 and 2099.
fn instant() -> impl Strategy<Value = DateTime<Utc>> {
    (31_536_000i64..4_102_444_800).prop_map(|s| Utc.timestamp_opt(s, 0).unwrap())
}

/// An instant within six hours of a DST change (spring gaps, autumn overlaps, Lord Howe's
/// half-hour shift, a southern-hemisphere zone).
fn dst_change() -> impl Strategy<Value = (Timezone, DateTime<Utc>)> {
    let changes = prop::sample::select(vec![
        ("Europe/Berlin", "2026-03-29T01:00:00Z"),
        ("Europe/Berlin", "2026-10-25T01:00:00Z"),
        ("America/New_York", "2026-03-08T07:00:00Z"),
        ("America/New_York", "2026-11-01T06:00:00Z"),
        ("Australia/Lord_Howe", "2026-04-04T15:00:00Z"),
        ("Australia/Lord_Howe", "2026-10-03T15:30:00Z"),
        ("America/Santiago", "2026-04-05T03:00:00Z"),
        ("Asia/Tehran", "2022-03-21T20:30:00Z"),
    ]);
    (changes, -6 * 3600i64..6 * 3600).prop_map(|((tz, at), off)| {
        (
            Timezone::parse(tz).unwrap(),
            support::utc(at) + Duration::seconds(off),
        )
    })
}

/// Schedules a chat may set: a daily time, weekdays, every other hour, monthly, hourly.
fn schedule() -> impl Strategy<Value = Schedule> {
    (0u8..24, 0u8..60, 0usize..5).prop_map(|(h, m, kind)| {
        let expr = match kind {
            0 => return Schedule::daily(DailyAt { hour: h, minute: m }),
            1 => format!("{m} {h} * * 1-5"),
            2 => format!("{m} */2 * * *"),
            3 => format!("{m} {h} 1 * *"),
            _ => format!("{m} * * * *"),
        };
        Schedule::parse(&expr).unwrap()
    })
}

proptest! {
    #![proptest_config(config(CI_CASES))]

    #[test]
    fn a_schedules_next_fire_is_in_the_future_and_at_most_one_an_hour(
        s in schedule(), tz in zone(), t in instant(),
    ) {
        let Some(next) = s.next_after(t, tz) else { return Ok(()) };
        prop_assert!(next > t, "{s:?} in {tz} after {t}: {next}");
        if let Some(after) = s.next_after(next, tz) {
            prop_assert!(after - next >= Duration::hours(1), "{s:?} in {tz}: {next} then {after}");
        }
    }

    #[test]
    fn around_dst_changes_the_next_fire_is_in_the_future_and_at_most_one_an_hour(
        s in schedule(), (tz, t) in dst_change(),
    ) {
        let Some(next) = s.next_after(t, tz) else { return Ok(()) };
        prop_assert!(next > t, "{s:?} in {tz} after {t}: {next}");
        if let Some(after) = s.next_after(next, tz) {
            prop_assert!(after - next >= Duration::hours(1), "{s:?} in {tz}: {next} then {after}");
        }
    }

    #[test]
    fn a_streak_never_decreases_on_a_study_day(
        start in instant(),
        steps in prop::collection::vec((0i64..200_000, zone()), 1..40),
        freezes in 0u32..=2,
    ) {
        let mut streak = Streak { freezes, ..Streak::default() };
        let mut t = start;
        for (gap_secs, tz) in steps {
            t += Duration::seconds(gap_secs);
            let day: NaiveDate = tz.local_day(t);
            let before = streak.current_on(day);
            let longest = streak.longest;
            let (after, _) = streak.record(day);
            prop_assert!(after.current_on(day) >= before.max(1), "{streak:?} on {day}: {after:?}");
            prop_assert!(after.longest >= longest);
            prop_assert!(after.freezes <= studybot::core::streak::MAX_FREEZES);
            streak = after;
        }
    }
}
