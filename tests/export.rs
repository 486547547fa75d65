//! /export: the CSV of answers and the Anki file of missed questions parse back (with the `csv`
//! crate) into exactly what the store holds, through the core on a real SQLite file, and the
//! console saves both files.

mod support;

use std::path::Path;
use std::sync::Arc;
use studybot::content::{Catalog, load_catalog};
use studybot::core::messages::ExportMsg;
use studybot::core::quiz::OptionLetter;
use studybot::core::{
    App, ChatKind, Command, Ctx, FileKind, Msg, Platform, Reply, SeededIds, Timezone,
};
use support::*;

/// The real curriculum: its prompts and options have commas, quotes and apostrophes, so the
/// files' quoting is exercised for real.
fn real_catalog() -> Catalog {
    load_catalog(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("content"),
        false,
    )
    .expect("the curriculum is valid")
}

fn app(store: studybot::store::Store, catalog: Catalog) -> App {
    App::new(
        Arc::new(catalog),
        store,
        Arc::new(SeededIds::new(7)),
        Timezone::UTC,
    )
}

fn at(ctx: &Ctx, now: &str) -> Ctx {
    Ctx {
        now: utc(now),
        ..ctx.clone()
    }
}

/// Asks for a quiz from `target` and answers it right or wrong.
async fn answer_one(app: &App, ctx: &Ctx, target: &str, right: bool) {
    let r = app.respond(ctx, Command::Quiz(Some(target.into()))).await;
    let card = r
        .quiz
        .clone()
        .unwrap_or_else(|| panic!("no quiz: {}", r.plain_text()));
    app.respond(
        ctx,
        Command::Answer {
            quiz_id: Some(card.quiz_id),
            letter: pick(&card, right),
        },
    )
    .await;
}

/// A stored answer, read straight from the database.
#[derive(Debug, sqlx::FromRow)]
struct Stored {
    answered_at: String,
    study_day: String,
    topic_id: String,
    question_idx: i64,
    choice: i64,
    correct: bool,
    xp: i64,
}

async fn stored_answers(url: &str, user: &str) -> Vec<Stored> {
    let pool = sqlx::SqlitePool::connect(url).await.unwrap();
    let rows = sqlx::query_as(
        "SELECT a.answered_at AS answered_at, a.study_day AS study_day, q.topic_id AS topic_id,
                q.question_idx AS question_idx, a.choice AS choice, a.correct AS correct, a.xp AS xp
         FROM answers a JOIN quizzes q ON q.id = a.quiz_id JOIN users u ON u.id = a.user_id
         WHERE u.external_id = ? ORDER BY a.id",
    )
    .bind(user)
    .fetch_all(&pool)
    .await
    .unwrap();
    pool.close().await;
    rows
}

fn lettered(i: usize, text: &str) -> String {
    format!("{}) {text}", OptionLetter::from_index(i).unwrap().as_char())
}

fn file<'a>(r: &'a Reply, suffix: &str) -> &'a [u8] {
    let f = r
        .files
        .iter()
        .find(|f| f.name.ends_with(suffix))
        .unwrap_or_else(|| panic!("no {suffix} file in {r:?}"));
    assert_eq!(f.kind, FileKind::Document);
    &f.bytes
}

/// The CSV's records, header first.
fn csv_records(bytes: &[u8]) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect()
}

/// The Anki file's header lines and its notes (front, back, tags).
fn anki_notes(bytes: &[u8]) -> (Vec<String>, Vec<Vec<String>>) {
    let text = std::str::from_utf8(bytes).unwrap();
    let header = text
        .lines()
        .take_while(|l| l.starts_with('#'))
        .map(str::to_string)
        .collect();
    let notes = csv::ReaderBuilder::new()
        .delimiter(b'\t')
        .comment(Some(b'#'))
        .has_headers(false)
        .from_reader(bytes)
        .records()
        .map(|r| r.unwrap().iter().map(str::to_string).collect())
        .collect();
    (header, notes)
}

// SQLite only: it reads the schema and rows of the file directly.
#[tokio::test]
async fn the_csv_holds_every_stored_answer_and_the_anki_file_each_missed_question_once() {
    let (_d, store, url) = temp_store().await;
    let catalog = real_catalog();
    let app = app(store, catalog.clone());
    let me = private("ana", "2026-03-02T09:00:00Z");
    answer_one(&app, &at(&me, "2026-03-02T09:00:00Z"), "http-https", false).await;
    answer_one(&app, &at(&me, "2026-03-02T09:05:00Z"), "http-https", true).await;
    answer_one(&app, &at(&me, "2026-03-03T22:30:00Z"), "security", false).await;
    answer_one(&app, &at(&me, "2026-03-04T07:00:00Z"), "security", true).await;
    answer_one(&app, &at(&me, "2026-03-04T07:10:00Z"), "api-design", false).await;
    // Someone else's answers are not in Ana's export.
    answer_one(
        &app,
        &private("ben", "2026-03-04T08:00:00Z"),
        "security",
        false,
    )
    .await;

    let r = app
        .respond(&at(&me, "2026-03-05T10:00:00Z"), Command::Export)
        .await;
    let stored = stored_answers(&url, "ana").await;
    assert_eq!(stored.len(), 5);
    let missed: std::collections::BTreeSet<(String, i64)> = stored
        .iter()
        .filter(|a| !a.correct)
        .map(|a| (a.topic_id.clone(), a.question_idx))
        .collect();
    assert_eq!(
        r.plain_text(),
        Msg::Export(ExportMsg::ExportDone {
            answers: 5,
            missed: missed.len()
        })
        .english()
    );
    assert_eq!(
        r.files.iter().map(|f| f.name.as_str()).collect::<Vec<_>>(),
        [
            "studybot-answers-2026-03-05.csv",
            "studybot-missed-2026-03-05.txt"
        ]
    );

    let records = csv_records(file(&r, ".csv"));
    assert_eq!(
        records[0],
        [
            "time",
            "study_day",
            "section",
            "topic",
            "question",
            "chosen",
            "answer",
            "correct",
            "xp"
        ]
    );
    assert_eq!(records.len(), 1 + stored.len());
    for (row, a) in records[1..].iter().zip(&stored) {
        let topic = catalog.topic(&a.topic_id).unwrap();
        let q = &topic.questions()[a.question_idx as usize];
        let choice = a.choice as usize;
        let time = chrono::DateTime::parse_from_rfc3339(&row[0]).unwrap();
        assert_eq!(
            time,
            chrono::DateTime::parse_from_rfc3339(&a.answered_at).unwrap()
        );
        assert_eq!(row[1], a.study_day);
        assert_eq!(row[2], catalog.section_of(topic).title);
        assert_eq!(row[3], topic.title);
        assert_eq!(row[4], q.prompt);
        assert_eq!(row[5], lettered(choice, &q.options[choice]));
        assert_eq!(row[6], lettered(q.answer, &q.options[q.answer]));
        assert_eq!(row[7], a.correct.to_string());
        assert_eq!(row[7] == "true", choice == q.answer);
        assert_eq!(row[8], a.xp.to_string());
    }

    let (header, notes) = anki_notes(file(&r, ".txt"));
    assert_eq!(header[..2], ["#separator:tab", "#html:false"]);
    assert!(header.contains(&"#columns:Front\tBack\tTags".to_string()));
    assert_eq!(notes.len(), missed.len());
    for ((topic_id, idx), note) in stored
        .iter()
        .filter(|a| !a.correct)
        .map(|a| (a.topic_id.as_str(), a.question_idx))
        .zip(&notes)
    {
        let topic = catalog.topic(topic_id).unwrap();
        let q = &topic.questions()[idx as usize];
        assert_eq!(note.len(), 3);
        let front: Vec<&str> = note[0].lines().collect();
        assert_eq!(front[0], q.prompt);
        for (i, o) in q.options.iter().enumerate() {
            assert!(front.contains(&lettered(i, o).as_str()), "{front:?}");
        }
        assert_eq!(
            note[1],
            format!(
                "{}\n\n{}",
                lettered(q.answer, &q.options[q.answer]),
                q.explanation
            )
        );
        let tags: Vec<&str> = note[2].split(' ').collect();
        assert!(
            tags.contains(&topic_id) && tags.contains(&"studybot"),
            "{tags:?}"
        );
    }
}

both_engines! {
#[tokio::test]
async fn a_learner_who_missed_nothing_gets_the_csv_alone() {
    let (_d, store, _) = temp_store().await;
    let app = app_with(store, Timezone::UTC);
    let me = private("ana", "2026-03-02T09:00:00Z");
    answer_one(&app, &me, "alpha", true).await;
    let r = app.respond(&me, Command::Export).await;
    assert_eq!(r.files.len(), 1, "{r:?}");
    assert_eq!(csv_records(file(&r, ".csv")).len(), 2);
    assert_eq!(
        r.plain_text(),
        Msg::Export(ExportMsg::ExportDone {
            answers: 1,
            missed: 0
        })
        .english()
    );
}
}

both_engines! {
#[tokio::test]
async fn nothing_to_export_says_so_without_files() {
    let (_d, store, _) = temp_store().await;
    let app = app_with(store, Timezone::UTC);
    let r = app
        .respond(&private("new", "2026-03-02T09:00:00Z"), Command::Export)
        .await;
    assert!(r.files.is_empty());
    assert_eq!(
        r.plain_text(),
        Msg::Export(ExportMsg::ExportEmpty).english()
    );
}
}

both_engines! {
#[tokio::test]
async fn exports_are_refused_in_groups_except_where_the_answer_is_private() {
    let (_d, store, _) = temp_store().await;
    let app = app_with(store, Timezone::UTC);
    let in_group = member("g", "ana", false, "2026-03-02T09:00:00Z");
    answer_one(&app, &in_group, "alpha", false).await;
    let r = app.respond(&in_group, Command::Export).await;
    assert!(r.files.is_empty());
    assert_eq!(
        r.plain_text(),
        Msg::Export(ExportMsg::ExportInPrivate).english()
    );
    // Discord answers /export ephemerally: only the asker sees it.
    let discord = Ctx {
        platform: Platform::Discord,
        caps: studybot::adapters::discord::CAPABILITIES,
        chat_kind: ChatKind::Group,
        ..private("ana-dc", "2026-03-02T09:00:00Z")
    };
    answer_one(&app, &discord, "alpha", false).await;
    let r = app.respond(&discord, Command::Export).await;
    assert_eq!(r.files.len(), 2, "{r:?}");
}
}

/// The console saves both files into `EXPORT_DIR`; the saved CSV parses.
#[test]
fn the_console_saves_both_export_files() {
    let dir = tempfile::tempdir().unwrap();
    // Two quizzes of the first topic answered A: at least one of its questions has another
    // answer, but which ones come is random, so only the CSV is certain.
    let out = process::run_console(
        &dir.path().join("c.db"),
        dir.path(),
        "2026-03-04T10:00:00Z",
        b"/quiz alpha\nA\n/quiz alpha\nB\n/export\n",
    );
    let stdout = String::from_utf8_lossy(&out.stdout);
    let saved: Vec<&str> = stdout
        .lines()
        .filter_map(|l| l.split("saved to ").nth(1))
        .collect();
    assert!(!saved.is_empty() && saved.len() <= 2, "{stdout}");
    let csv = std::fs::read(saved[0]).unwrap();
    assert!(saved[0].ends_with("studybot-answers-2026-03-04.csv"));
    assert_eq!(csv_records(&csv).len(), 3, "a header and two answers");
}
