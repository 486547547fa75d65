//! The built binary driven end to end through the console adapter with piped input.

mod support;

use std::io::Write;
use std::process::{Command, Output, Stdio};
use support::{fixture_catalog, fixture_dir};

const BIN: &str = env!("CARGO_BIN_EXE_studybot");

fn studybot(db: &std::path::Path, now: &str) -> Command {
    let mut c = Command::new(BIN);
    c.env("DATABASE_URL", format!("sqlite://{}", db.display()))
        .env("CONTENT_DIR", fixture_dir())
        .env("STUDYBOT_NOW", now)
        .env("RUST_LOG", "warn")
        .env_remove("TELEGRAM_BOT_TOKEN")
        .env_remove("DISCORD_TOKEN")
        .env_remove("DEFAULT_TIMEZONE");
    c
}

fn run_with_input(mut cmd: Command, input: &[u8]) -> Output {
    let mut child = cmd
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

/// The letter of the right answer to the quiz printed last in `out`, looked up in the fixture.
fn right_letter(out: &str) -> char {
    let catalog = fixture_catalog();
    let prompt_line = out
        .lines()
        .rev()
        .find(|l| l.contains(": question "))
        .expect("a quiz was printed");
    let q = catalog
        .topics()
        .iter()
        .flat_map(|t| t.questions())
        .find(|q| q.prompt == prompt_line.trim())
        .expect("the printed prompt is a fixture question");
    (b'A' + q.answer as u8) as char
}

/// Runs `/quiz`, then answers it right, in one process at `now`; returns everything printed.
fn study_session(db: &std::path::Path, now: &str) -> String {
    let quiz = run_with_input(studybot(db, now), b"/quiz\n");
    let letter = right_letter(&stdout(&quiz));
    // A new process answers the latest quiz of the chat: the quiz was stored by the first.
    let answered = run_with_input(studybot(db, now), format!("{letter}\n/streak\n").as_bytes());
    assert!(answered.status.success());
    format!("{}{}", stdout(&quiz), stdout(&answered))
}

#[test]
fn a_piped_session_studies_and_exits_cleanly_at_end_of_input() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let out = run_with_input(
        studybot(&db, "2026-03-02T10:00:00Z"),
        b"/start\n/today\n/quiz\n",
    );
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = stdout(&out);
    assert!(text.contains("Hi "), "{text}");
    assert!(text.contains("Alpha topic\n==========="), "{text}");
    assert!(
        text.contains("  A) Option one\n  B) Option two\n  C) Option three\n  D) Option four"),
        "{text}"
    );
    let letter = right_letter(&text);
    let out = run_with_input(
        studybot(&db, "2026-03-02T10:01:00Z"),
        format!("/answer {letter}\n{letter}\n").as_bytes(),
    );
    let text = stdout(&out);
    assert!(text.contains("Correct! +"), "{text}");
    assert!(text.contains("You already answered this one"), "{text}");
}

#[test]
fn the_streak_is_kept_across_a_restart_on_the_next_day() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let day1 = study_session(&db, "2026-03-02T10:00:00Z");
    assert!(day1.contains("Streak: 1 day (longest 1)"), "{day1}");
    let day2 = study_session(&db, "2026-03-03T10:00:00Z");
    assert!(day2.contains("Streak: 2 days (longest 2)"), "{day2}");
}

#[test]
fn bad_input_gets_clear_messages_and_never_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("s.db");
    let mut input = Vec::new();
    input.extend_from_slice(format!("{}\n", "x".repeat(10_000)).as_bytes());
    input.extend_from_slice(b"/frobnicate\n/answer E\n/timezone Mars/Base\n/subscribe 25:61\n");
    input.extend_from_slice(b"\xff\xfe/today\n\x1b[31m\x07/help\n/topic\n/answer\nE\n\n");
    let out = run_with_input(studybot(&db, "2026-03-02T10:00:00Z"), &input);
    assert!(out.status.success());
    let text = stdout(&out);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    for expected in [
        "That message is too long (over 1000 characters).",
        "I don't know the command /frobnicate.",
        "\"E\" is not an option.",
        "\"Mars/Base\" is not a timezone I know.",
        "\"25:61\" is not a time.",
        "Usage: /topic <words>",
        "Usage: /answer <A-D>",
        "Commands start with /",
    ] {
        assert!(text.contains(expected), "missing {expected:?} in:\n{text}");
    }
}

#[test]
fn an_unwritable_database_path_is_a_one_line_error() {
    let out = run_with_input(
        {
            let mut c = studybot(
                std::path::Path::new("/proc/no/such/dir/x.db"),
                "2026-03-02T10:00:00Z",
            );
            c.env("DATABASE_URL", "sqlite:///proc/no/such/dir/x.db");
            c
        },
        b"/today\n",
    );
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("error: cannot open the database sqlite:///proc/no/such/dir/x.db"),
        "{stderr}"
    );
    assert!(!stderr.contains("panicked"));
}

#[test]
fn a_bad_variable_is_named_in_the_error() {
    let dir = tempfile::tempdir().unwrap();
    let mut c = studybot(&dir.path().join("s.db"), "2026-03-02T10:00:00Z");
    c.env("DEFAULT_TIMEZONE", "Mars/Base");
    let out = run_with_input(c, b"");
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("error: DEFAULT_TIMEZONE: unknown timezone")
    );
}

#[test]
fn broken_content_stops_the_bot_with_file_and_line() {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(fixture_dir()).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    let file = dir.path().join("01-more.toml");
    let text =
        std::fs::read_to_string(&file)
            .unwrap()
            .replacen("difficulty = 1", "difficulty = 7", 1);
    std::fs::write(&file, text).unwrap();
    let mut c = studybot(&dir.path().join("s.db"), "2026-03-02T10:00:00Z");
    c.env("CONTENT_DIR", dir.path());
    let out = run_with_input(c, b"/today\n");
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("01-more.toml:") && stderr.contains("difficulty 7 must be 1, 2 or 3"),
        "{stderr}"
    );
}

#[test]
fn content_check_reports_coverage_and_strict_fails_on_outlines() {
    let ok = Command::new(BIN)
        .args(["content", "check", "--dir"])
        .arg(fixture_dir())
        .output()
        .unwrap();
    assert!(ok.status.success());
    let text = stdout(&ok);
    assert!(
        text.contains("content OK: 2 sections (0 complete), 3/5 topics written, 10 questions"),
        "{text}"
    );
    let strict = Command::new(BIN)
        .args(["content", "check", "--strict", "--dir"])
        .arg(fixture_dir())
        .output()
        .unwrap();
    assert_eq!(strict.status.code(), Some(1));
    let err = String::from_utf8_lossy(&strict.stderr);
    assert!(
        err.contains("00-basics.toml:") && err.contains("`gamma` is still an outline"),
        "{err}"
    );
}
