//! Decks and reports end to end: the built binary's `deck` and `content reports` commands, and a
//! deck studied through the console, on a real SQLite file.

mod support;

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use studybot::content::deck::{DeckQuestion, parse_deck};
use support::fixture_dir;

const BIN: &str = env!("CARGO_BIN_EXE_studybot");
const NOW: &str = "2026-03-02T10:00:00Z";

fn example() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("docs/example-deck.csv")
}

fn studybot(db: &Path, now: &str) -> Command {
    let mut c = Command::new(BIN);
    c.env("DATABASE_URL", format!("sqlite://{}", db.display()))
        .env("CONTENT_DIR", fixture_dir())
        .env("STUDYBOT_NOW", now)
        .env("RUST_LOG", "warn")
        .env_remove("TELEGRAM_BOT_TOKEN")
        .env_remove("DISCORD_TOKEN")
        .env_remove("DEFAULT_TIMEZONE")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    c
}

fn run(db: &Path, args: &[&str], input: &[u8]) -> Output {
    let mut child = studybot(db, NOW).args(args).spawn().unwrap();
    child.stdin.take().unwrap().write_all(input).unwrap();
    child.wait_with_output().unwrap()
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn questions(name: &str, bytes: &[u8]) -> Vec<DeckQuestion> {
    parse_deck(name, bytes).unwrap().questions
}

/// The right letter for the quiz printed last: its prompt looked up among `deck`'s questions.
fn right_letter(printed: &str, deck: &[DeckQuestion]) -> char {
    let q = printed
        .lines()
        .rev()
        .find_map(|l| deck.iter().find(|q| q.question.prompt == l.trim()))
        .expect("a deck question was printed");
    (b'A' + q.question.answer as u8) as char
}

async fn scalar(db: &Path, sql: &str) -> i64 {
    let pool = sqlx::SqlitePool::connect(&format!("sqlite://{}", db.display()))
        .await
        .unwrap();
    let v: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
        .fetch_one(&pool)
        .await
        .unwrap();
    pool.close().await;
    v
}

#[test]
fn a_deck_imported_and_exported_on_the_command_line_comes_back_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let path = example();
    let imported = run(
        &db,
        &["deck", "import", path.to_str().unwrap(), "--public"],
        b"",
    );
    assert!(imported.status.success(), "{}", err(&imported));
    assert!(
        out(&imported).contains("Imported deck example-deck (example-deck) with 9 questions"),
        "{}",
        out(&imported)
    );
    let exported = run(&db, &["deck", "export", "example-deck"], b"");
    assert!(exported.status.success(), "{}", err(&exported));
    let source = questions("example.csv", &std::fs::read(&path).unwrap());
    let back = questions("back.csv", &exported.stdout);
    assert_eq!(back.len(), source.len());
    for (a, b) in source.iter().zip(&back) {
        assert_eq!(a.question.fingerprint(), b.question.fingerprint());
        assert_eq!(a.question.explanation, b.question.explanation);
        assert_eq!(a.question.difficulty, b.question.difficulty);
        assert_eq!(a.topic, b.topic);
    }
    // An unknown id is refused with a message and a non-zero exit.
    let missing = run(&db, &["deck", "export", "nope"], b"");
    assert!(!missing.status.success());
    assert!(err(&missing).contains("no deck `nope`"));
}

#[test]
fn a_bad_deck_file_is_refused_with_every_problem_by_line_and_nothing_stored() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let bad = dir.path().join("bad.csv");
    std::fs::write(
        &bad,
        "question,option_a,option_b,option_c,option_d,answer,explanation\n\
         Fine?,yes,no,,,A,Fine.\n\
         Out of range?,a,b,,,C,e\n\
         Twice?,same,SAME,,,A,e\n\
         <b>Bold</b> & more?,a,b,,,A,e\n",
    )
    .unwrap();
    let o = run(&db, &["deck", "import", bad.to_str().unwrap()], b"");
    assert!(!o.status.success());
    let e = err(&o);
    let name = bad.display();
    assert!(
        e.contains(&format!("{name}:3: answer C is not one of the 2 options")),
        "{e}"
    );
    assert!(
        e.contains(&format!("{name}:4: option `SAME` appears twice")),
        "{e}"
    );
    assert!(
        e.contains(&format!(
            "{name}:1: 2 valid questions; a deck needs at least 3"
        )),
        "{e}"
    );
    assert!(e.contains("nothing imported"), "{e}");
    let none = run(&db, &["deck", "export", "bad"], b"");
    assert!(!none.status.success(), "a refused deck is not stored");

    // A 10 MB file is refused unread; a binary file renamed .csv is named as such.
    let big = dir.path().join("big.csv");
    std::fs::write(&big, vec![b'a'; 10 * 1024 * 1024]).unwrap();
    let o = run(&db, &["deck", "import", big.to_str().unwrap()], b"");
    assert!(!o.status.success());
    assert!(
        err(&o).contains("a deck file is at most 1048576 (1 MB)"),
        "{}",
        err(&o)
    );
    let png = dir.path().join("picture.csv");
    std::fs::write(&png, b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\xff\xfe").unwrap();
    let o = run(&db, &["deck", "import", png.to_str().unwrap()], b"");
    assert!(!o.status.success());
    assert!(err(&o).contains("not valid UTF-8"), "{}", err(&o));

    // The curriculum's name is not a deck id.
    let o = run(
        &db,
        &[
            "deck",
            "import",
            example().to_str().unwrap(),
            "--id",
            "backend",
        ],
        b"",
    );
    assert!(!o.status.success());
    assert!(
        err(&o).contains("\"backend\" is the built-in curriculum's name"),
        "{}",
        err(&o)
    );
}

#[tokio::test]
async fn a_console_chat_studies_a_deck_with_streaks_reviews_progress_and_reports() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("d.db");
    let deck_file = dir.path().join("mock.csv");
    std::fs::copy(example(), &deck_file).unwrap();
    let deck = questions("mock.csv", &std::fs::read(&deck_file).unwrap());
    let import = format!(
        "/deck import {}\n/deck use mock\n/deck list\n/today\n/quiz\n",
        deck_file.display()
    );
    let first = run(&db, &[], import.as_bytes());
    let text = out(&first);
    assert!(
        text.contains("Imported deck mock (mock) with 9 questions"),
        "{text}"
    );
    assert!(text.contains("This chat now studies mock"), "{text}");
    assert!(
        text.contains("mock: mock (9 questions) (this chat's track)"),
        "{text}"
    );
    // /today on a deck's track is a question from the deck, as /quiz is.
    assert_eq!(text.matches("Quiz · mock · ").count(), 2, "{text}");
    let letter = right_letter(&text, &deck);

    let answered = run(
        &db,
        &[],
        format!("{letter}\n/progress\n/report typo\n/report typo\n").as_bytes(),
    );
    let text = out(&answered);
    assert!(text.contains("Correct! +"), "{text}");
    assert!(text.contains("Your streak has started: 1 day."), "{text}");
    assert!(text.contains("[Report: /report]"), "{text}");
    assert!(
        text.contains("Decks\n  - mock: 1 question answered, 100% right"),
        "{text}"
    );
    assert!(text.contains("Thank you: your report is stored"), "{text}");
    assert!(
        text.contains("You already reported this question"),
        "{text}"
    );
    // The answer made a review card of the deck question, like a curriculum answer does.
    assert_eq!(
        scalar(
            &db,
            "SELECT COUNT(*) FROM review_cards WHERE topic_id = 'deck:mock' AND retired = 0"
        )
        .await,
        1
    );
    assert!(scalar(&db, "SELECT xp FROM users").await > 0);

    // The maintainers' listing: grouped by question, with the reason.
    let listed = run(&db, &["content", "reports", "--since", "2026-03-01"], b"");
    assert!(listed.status.success(), "{}", err(&listed));
    let listing = out(&listed);
    assert!(listing.starts_with("deck:mock #"), "{listing}");
    assert!(listing.contains(": 1 report: "), "{listing}");
    assert!(listing.contains("  1 × typo"), "{listing}");
    assert!(!listing.contains("stale"), "{listing}");
    let later = run(&db, &["content", "reports", "--since", "2026-03-03"], b"");
    assert_eq!(out(&later).trim(), "No reports.");

    // Re-importing with the answered question reworded (and moved to the end): the card of the
    // changed question retires, the report shows as stale, the others are untouched.
    let answered_prompt = text_of_answered(&deck, letter, &out(&first));
    let mut lines: Vec<String> = std::fs::read_to_string(&deck_file)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    let at = lines
        .iter()
        .position(|l| l.contains(&answered_prompt))
        .unwrap();
    let changed = lines
        .remove(at)
        .replacen(&answered_prompt, "Reworded question?", 1);
    lines.push(changed);
    std::fs::write(&deck_file, lines.join("\n")).unwrap();
    let again = run(
        &db,
        &[],
        format!("/deck import {}\n", deck_file.display()).as_bytes(),
    );
    let said = out(&again).split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(
        said.contains("Review cards kept: 0; retired because their question changed or left: 1"),
        "{said}"
    );
    let listing = out(&run(&db, &["content", "reports"], b""));
    assert!(listing.contains("stale"), "{listing}");
}

/// The prompt of the quiz that was answered (printed last in `printed`).
fn text_of_answered(deck: &[DeckQuestion], _letter: char, printed: &str) -> String {
    printed
        .lines()
        .rev()
        .find_map(|l| deck.iter().find(|q| q.question.prompt == l.trim()))
        .map(|q| q.question.prompt.clone())
        .unwrap()
}

both_engines! {
#[tokio::test]
async fn a_group_on_a_deck_gets_deck_questions_in_its_daily_push_and_its_rounds() {
    use chrono::Duration;
    use studybot::core::deck::DeckImport;
    use studybot::core::{RoundStep, Timezone, parse_command};
    let (_dir, store, _url) = support::temp_store().await;
    let app = support::app_with(store, Timezone::parse("UTC").unwrap());
    let bytes = std::fs::read(example()).unwrap();
    let file = DeckImport {
        file_name: "mock.csv",
        bytes: &bytes,
        id: None,
        title: Some("Mock interview"),
        public: true,
    };
    app.import_deck(file, support::utc(NOW))
        .await
        .unwrap()
        .unwrap();
    let admin = support::member("g1", "ana", true, NOW);
    let cmd = |t: &str| parse_command(t, &Default::default()).unwrap().unwrap();
    let used = app.respond(&admin, cmd("/deck use mock")).await;
    assert!(
        used.plain_text().contains("now studies Mock interview"),
        "{}",
        used.plain_text()
    );
    app.respond(&admin, cmd("/subscribe 09:00 UTC")).await;

    // The push is a question from the deck, not a curriculum topic.
    let jobs = app
        .schedules()
        .claim_due_pushes(support::utc("2026-03-03T09:00:01Z"), Duration::hours(6), 10)
        .await
        .unwrap();
    assert_eq!(jobs.len(), 1);
    let card = jobs[0].reply.quiz.as_ref().expect("a question");
    assert!(card.topic_title.starts_with("Mock interview"), "{card:?}");
    assert!(
        jobs[0]
            .reply
            .plain_text()
            .contains("A question from Mock interview")
    );

    // A round with no source plays the deck.
    let started = app.respond(&admin, cmd("/round 2")).await;
    assert!(
        started.plain_text().contains("Mock interview"),
        "{}",
        started.plain_text()
    );
    let steps = app
        .rounds()
        .due_round_jobs(support::utc(NOW) + Duration::seconds(5))
        .await
        .unwrap();
    let RoundStep::Post {
        question: Some(q), ..
    } = &steps[0].step
    else {
        panic!("the first question: {steps:?}")
    };
    assert!(q.card.topic_title.starts_with("Mock interview"), "{q:?}");
    assert!(
        questions("mock.csv", &bytes)
            .iter()
            .any(|d| d.question.prompt == q.card.prompt)
    );
}
}
