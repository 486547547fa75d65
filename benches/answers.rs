//! Answer-path benchmark: one learner doing `/quiz` then answering it, N times, through the core
//! (`App::respond`, as the console adapter calls it) on a real SQLite file; and, in the same run,
//! the floor: the same essential rows (the quiz; the answer, the XP/streak update, the review card
//! and its log entry) written by plain SQL through one sqlx connection with the store's pragmas
//! (WAL, `synchronous=NORMAL`, foreign keys), one transaction per command as in the core.
//!
//! `cargo bench --bench answers -- --n 3000`. `--postgres ADMIN_URL` runs the core on a fresh
//! PostgreSQL database instead (the floor is SQLite's and is skipped there). `--instances K
//! --learners L` (default L = K): K app instances (each its own store) on the one database, the
//! L learners spread over them, each learner its own task doing its share of the N pairs, all at
//! once; the rate is all pairs over the wall time.

mod common;

use chrono::Duration;
use common::{BenchDb, app_on, arg, load_average, utc};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{Connection, SqliteConnection};
use std::str::FromStr;
use std::time::Instant;
use studybot::core::quiz::OptionLetter;
use studybot::core::{App, ChatKind, Command, Ctx, Platform};

/// Pairs per second through the core: `n` pairs over `learners` learners on `instances` apps.
async fn core_pairs(n: usize, instances: usize, learners: usize) -> f64 {
    let db = BenchDb::new("answers").await;
    let mut apps = Vec::new();
    for _ in 0..instances {
        apps.push(db.app().await);
    }
    let start = Instant::now();
    let tasks: Vec<_> = (0..learners)
        .map(|j| {
            let share = n / learners + usize::from(j < n % learners);
            tokio::spawn(learner(apps[j % instances].clone(), j, share))
        })
        .collect();
    for task in tasks {
        task.await.unwrap();
    }
    let secs = start.elapsed().as_secs_f64();
    for app in &apps {
        app.store().close().await;
    }
    n as f64 / secs
}

/// One learner doing `/quiz` then answering it, `n` times.
async fn learner(app: App, j: usize, n: usize) {
    let start_at = utc("2026-03-02T08:00:00Z");
    let (chat_id, user_id) = if j == 0 {
        ("console".to_string(), "learner".to_string())
    } else {
        (format!("console-{j}"), format!("learner-{j}"))
    };
    let mut ctx = Ctx {
        platform: Platform::Console,
        caps: studybot::adapters::console::CAPABILITIES,
        chat_id,
        chat_kind: ChatKind::Private,
        user_id,
        user_name: format!("Learner {j}"),
        is_admin: false,
        now: start_at,
        event: None,
        lang: studybot::core::Lang::English,
    };
    let letter = OptionLetter::from_index(0).unwrap();
    for i in 0..n {
        ctx.now = start_at + Duration::seconds(i as i64);
        let quiz = app.respond(&ctx, Command::Quiz(None)).await;
        let quiz_id = quiz.quiz.expect("a quiz").quiz_id;
        let answer = Command::Answer {
            quiz_id: Some(quiz_id),
            letter,
        };
        let reply = app.respond(&ctx, answer).await;
        assert!(!reply.is_empty(), "an answer gets a reply");
    }
}

/// Pairs per second of plain SQL writing the same rows.
async fn floor_pairs(n: usize) -> f64 {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("floor.db");
    // The real schema, made by the store's migrations.
    app_on(&db).await.store().close().await;
    let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", db.display()))
        .unwrap()
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .foreign_keys(true)
        .busy_timeout(std::time::Duration::from_secs(10));
    let mut c = SqliteConnection::connect_with(&options).await.unwrap();
    let now = utc("2026-03-02T08:00:00Z");
    let chat: i64 = sqlx::query_scalar(
        "INSERT INTO chats (platform, external_id, kind, created_at)
         VALUES ('console', 'console', 'private', ?) RETURNING id",
    )
    .bind(now)
    .fetch_one(&mut c)
    .await
    .unwrap();
    let user: i64 = sqlx::query_scalar(
        "INSERT INTO users (platform, external_id, display_name, created_at)
         VALUES ('console', 'learner', 'Learner', ?) RETURNING id",
    )
    .bind(now)
    .fetch_one(&mut c)
    .await
    .unwrap();
    let start = Instant::now();
    for i in 0..n {
        let at = now + Duration::seconds(i as i64);
        let topic = format!("topic-{}", i % 50);
        let question = (i / 50) as i64;
        let quiz: i64 = sqlx::query_scalar(
            "INSERT INTO quizzes (chat_id, topic_id, question_idx, asked_by, created_at)
             VALUES (?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(chat)
        .bind(&topic)
        .bind(question)
        .bind(user)
        .bind(at)
        .fetch_one(&mut c)
        .await
        .unwrap();
        let mut tx = c.begin_with("BEGIN IMMEDIATE").await.unwrap();
        let answer: i64 = sqlx::query_scalar(
            "INSERT INTO answers (quiz_id, user_id, choice, correct, xp, answered_at, study_day)
             VALUES (?, ?, 0, 1, 10, ?, '2026-03-02') RETURNING id",
        )
        .bind(quiz)
        .bind(user)
        .bind(at)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        sqlx::query(
            "UPDATE users SET xp = xp + 10, streak_current = 1, streak_longest = 1,
             last_study_day = '2026-03-02' WHERE id = ?",
        )
        .bind(user)
        .execute(&mut *tx)
        .await
        .unwrap();
        let card: i64 = sqlx::query_scalar(
            "INSERT INTO review_cards (user_id, topic_id, question_idx, question_hash, state,
                due_at, stability, difficulty, elapsed_days, scheduled_days, reps, lapses,
                last_review_at, last_rating)
             VALUES (?, ?, ?, 'h', 1, ?, 1.0, 5.0, 0, 0, 1, 0, ?, 3)
             ON CONFLICT (user_id, topic_id, question_idx) DO UPDATE SET
                state = excluded.state, due_at = excluded.due_at, reps = reps + 1,
                last_review_at = excluded.last_review_at
             RETURNING id",
        )
        .bind(user)
        .bind(&topic)
        .bind(question)
        .bind(at)
        .bind(at)
        .fetch_one(&mut *tx)
        .await
        .unwrap();
        sqlx::query(
            "INSERT INTO review_log (user_id, card_id, answer_id, rating, reviewed_at,
                elapsed_days, scheduled_days, state_before, state_after, stability_before,
                stability_after, difficulty_before, difficulty_after, due_after)
             VALUES (?, ?, ?, 3, ?, 0, 0, 0, 1, 0.0, 1.0, 0.0, 5.0, ?)",
        )
        .bind(user)
        .bind(card)
        .bind(answer)
        .bind(at)
        .bind(at)
        .execute(&mut *tx)
        .await
        .unwrap();
        tx.commit().await.unwrap();
    }
    let secs = start.elapsed().as_secs_f64();
    c.close().await.unwrap();
    n as f64 / secs
}

#[tokio::main]
async fn main() {
    let n = arg("--n", 3000);
    let instances = arg("--instances", 1).max(1);
    let learners = arg("--learners", instances).max(1);
    let postgres = common::arg_str("--postgres").is_some();
    println!("load average before: {}", load_average());
    let core = core_pairs(n, instances, learners).await;
    // The floor is plain SQL on one SQLite connection: it has no PostgreSQL counterpart here.
    let floor = if postgres {
        None
    } else {
        Some(floor_pairs(n).await)
    };
    let engine = if postgres { "PostgreSQL" } else { "SQLite" };
    println!("engine: {engine}, instances: {instances}, learners: {learners}");
    println!("| path | pairs | pairs/s | ms per command |");
    println!("|---|---|---|---|");
    let core_name = if instances == 1 && learners == 1 {
        "core (App::respond: /quiz, then the answer)".to_string()
    } else {
        format!(
            "core (App::respond: /quiz, then the answer), {instances} instances, {learners} learners at once"
        )
    };
    println!("| {core_name} | {n} | {core:.0} | {:.3} |", 500.0 / core);
    match floor {
        Some(floor) => {
            let name = "floor (plain SQL, one connection)";
            println!("| {name} | {n} | {floor:.0} | {:.3} |", 500.0 / floor);
            println!("share: {:.1}% of the floor's pairs/s", 100.0 * core / floor);
        }
        None => println!("floor: skipped on PostgreSQL (it is plain SQL on one SQLite connection)"),
    }
    println!("load average after: {}", load_average());
}
