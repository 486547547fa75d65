//! /forget keeps its promise: after `/forget confirm` no row anywhere refers to the learner or
//! their private chat, whatever table the schema holds (a table added later without forget
//! support fails here), while a group's own data stays.

mod support;

use sqlx::{Row, SqlitePool};
use studybot::core::{App, ChatKind, Command, Ctx, DailyAt, TopicStatus, quiz::OptionLetter};
use support::*;

/// Every table of the schema and what /forget does with it. A new table must be added here
/// deliberately, after making /forget handle it (`Tx::forget_user`).
const KNOWN_TABLES: [(&str, &str); 24] = [
    ("chats", "the learner's private chats deleted; groups stay"),
    ("users", "the learner deleted"),
    ("chat_topics", "the private chat's topic history deleted"),
    (
        "quizzes",
        "the private chat's quizzes deleted; group ones lose asked_by",
    ),
    ("answers", "the learner's answers deleted everywhere"),
    ("subscriptions", "the private chat's subscription deleted"),
    ("pushes", "the private chat's pushes deleted"),
    ("events", "platform event ids only: nothing about a person"),
    ("review_cards", "deleted"),
    ("review_log", "deleted"),
    ("review_quizzes", "deleted"),
    ("review_reminders", "deleted"),
    ("review_reminder_days", "deleted"),
    ("topic_status", "deleted"),
    ("rounds", "group rounds stay with started_by cleared"),
    ("round_questions", "go with the private chat's quizzes"),
    ("round_answers", "the learner's round scores deleted"),
    (
        "accounts",
        "the learner's platform accounts, every platform: cascade",
    ),
    ("link_codes", "the accounts' pending link codes: cascade"),
    ("link_failures", "the accounts' wrong link tries: cascade"),
    ("_sqlx_migrations", "the schema's history"),
    ("reports", "the learner's reports deleted"),
    (
        "decks",
        "decks imported in the private chat deleted; group ones lose imported_by",
    ),
    (
        "deck_questions",
        "go with their deck; question text, nothing about a person",
    ),
];

async fn pool(url: &str) -> SqlitePool {
    SqlitePool::connect(url).await.unwrap()
}

async fn tables(db: &SqlitePool) -> Vec<String> {
    sqlx::query_scalar(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
         ORDER BY name",
    )
    .fetch_all(db)
    .await
    .unwrap()
}

/// The (column, table it refers to) of every foreign key of `table`.
async fn foreign_keys(db: &SqlitePool, table: &str) -> Vec<(String, String)> {
    sqlx::query(sqlx::AssertSqlSafe(format!(
        "SELECT \"from\", \"table\" FROM pragma_foreign_key_list('{table}')"
    )))
    .fetch_all(db)
    .await
    .unwrap()
    .iter()
    .map(|r| (r.get::<String, _>(0), r.get::<String, _>(1)))
    .collect()
}

async fn columns(db: &SqlitePool, table: &str) -> Vec<String> {
    sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
        "SELECT name FROM pragma_table_info('{table}')"
    )))
    .fetch_all(db)
    .await
    .unwrap()
}

async fn count(db: &SqlitePool, sql: String, bind: &str) -> i64 {
    sqlx::query_scalar(sqlx::AssertSqlSafe(sql))
        .bind(bind)
        .fetch_one(db)
        .await
        .unwrap()
}

/// Rows, table by table, that refer to user `user` or chat `chat` (internal ids) through a
/// foreign key, or hold one of `texts` (external ids, names) in any column.
async fn references(db: &SqlitePool, user: i64, chat: i64, texts: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for table in tables(db).await {
        for (col, target) in foreign_keys(db, &table).await {
            let id = match target.as_str() {
                "users" => user,
                "chats" => chat,
                _ => continue,
            };
            let sql =
                format!("SELECT COUNT(*) FROM \"{table}\" WHERE \"{col}\" = CAST(? AS INTEGER)");
            let n = count(db, sql, &id.to_string()).await;
            if n > 0 {
                found.push(format!("{table}.{col} = {id}: {n} rows"));
            }
        }
        if table == "users" || table == "chats" {
            let sql = format!("SELECT COUNT(*) FROM \"{table}\" WHERE id = CAST(? AS INTEGER)");
            let id = if table == "users" { user } else { chat };
            let n = count(db, sql, &id.to_string()).await;
            if n > 0 {
                found.push(format!("{table}.id = {id}"));
            }
        }
        for col in columns(db, &table).await {
            for text in texts {
                let sql =
                    format!("SELECT COUNT(*) FROM \"{table}\" WHERE CAST(\"{col}\" AS TEXT) = ?");
                let n = count(db, sql, text).await;
                if n > 0 {
                    found.push(format!("{table}.{col} holds {text:?}: {n} rows"));
                }
            }
        }
    }
    found
}

fn in_group(ctx: &Ctx, group: &str) -> Ctx {
    Ctx {
        chat_id: group.to_string(),
        chat_kind: ChatKind::Group,
        ..ctx.clone()
    }
}

async fn quiz_and_answer(app: &App, ctx: &Ctx) -> i64 {
    let r = app.respond(ctx, Command::Quiz(None)).await;
    let card = r
        .quiz
        .clone()
        .unwrap_or_else(|| panic!("no quiz: {}", r.plain_text()));
    let letter = OptionLetter::from_index(card.correct).unwrap();
    let cmd = Command::Answer {
        quiz_id: Some(card.quiz_id),
        letter,
    };
    app.respond(ctx, cmd).await;
    card.quiz_id
}

// SQLite only: it reads the schema and rows of the file directly.
#[tokio::test]
async fn forget_confirmed_in_a_group_leaves_no_row_about_the_learner_or_their_private_chat() {
    let (_dir, store, url) = temp_store().await;
    let app = app_with(store.clone(), studybot::core::Timezone::UTC);
    let now = "2026-03-02T12:00:00Z";
    let ana = private("ana", now);
    let bob = private("bob", now);
    let ana_g = in_group(&ana, "g1");
    let bob_g = in_group(&bob, "g1");

    // Ana uses everything in her private chat...
    let subscribe = Command::Subscribe {
        at: None,
        timezone: None,
    };
    assert!(
        app.respond(&ana, subscribe)
            .await
            .plain_text()
            .starts_with("Subscribed")
    );
    app.respond(&ana, Command::Today).await;
    let private_quiz = quiz_and_answer(&app, &ana).await;
    let mark = Command::Mark {
        status: TopicStatus::parse("later").unwrap(),
        topic: None,
    };
    app.respond(&ana, mark).await;
    let remind = Command::Remind(Some(DailyAt { hour: 8, minute: 0 }));
    assert!(
        app.respond(&ana, remind)
            .await
            .plain_text()
            .contains("08:00")
    );
    // ...and in a group, with Bob.
    let group_quiz = quiz_and_answer(&app, &ana_g).await;
    let bob_letter = OptionLetter::from_index(0).unwrap();
    let bob_answer = Command::Answer {
        quiz_id: Some(group_quiz),
        letter: bob_letter,
    };
    app.respond(&bob_g, bob_answer).await;
    app.respond(&bob, Command::Today).await;

    // What only the scheduler and rounds write: a push, a reminder day, a review quiz, a round.
    let ana_id = user_row(&app, &ana).await.id;
    let bob_id = user_row(&app, &bob).await.id;
    let mut tx = store.begin().await.unwrap();
    let ana_chat = tx
        .chat_id_of(studybot::core::Platform::Telegram, "chat-ana")
        .await
        .unwrap()
        .unwrap();
    let group = tx
        .chat_id_of(studybot::core::Platform::Telegram, "g1")
        .await
        .unwrap()
        .unwrap();
    tx.claim_push(ana_chat, utc(now), Some("alpha"), utc(now))
        .await
        .unwrap();
    let day = chrono::NaiveDate::from_ymd_opt(2026, 3, 2).unwrap();
    tx.claim_reminder(ana_id, day, utc(now), 1, utc(now))
        .await
        .unwrap();
    tx.mark_review_quiz(private_quiz, ana_id).await.unwrap();
    let round = tx
        .create_round(group, None, 1, 30, ana_id, utc(now))
        .await
        .unwrap()
        .unwrap();
    tx.add_round_question(round, 1, group_quiz).await.unwrap();
    tx.insert_round_answer(group_quiz, ana_id, round, true, 10, 900)
        .await
        .unwrap();
    tx.insert_round_answer(group_quiz, bob_id, round, false, 0, 1200)
        .await
        .unwrap();
    tx.commit().await.unwrap();

    let db = pool(&url).await;
    let texts = ["ana", "chat-ana"];
    let before = references(&db, ana_id, ana_chat, &texts).await;
    for table in [
        "chats",
        "users",
        "chat_topics",
        "quizzes",
        "answers",
        "subscriptions",
        "pushes",
        "review_cards",
        "review_log",
        "review_quizzes",
        "review_reminders",
        "review_reminder_days",
        "topic_status",
        "rounds",
        "round_answers",
    ] {
        assert!(
            before.iter().any(|r| r.starts_with(&format!("{table}."))),
            "the seeding reaches {table}: {before:#?}"
        );
    }

    // Asked and confirmed in the group.
    app.respond(&ana_g, Command::Forget { confirm: false })
        .await;
    let done = app
        .respond(&ana_g, Command::Forget { confirm: true })
        .await
        .plain_text();
    for part in [
        "2 answers",
        "1 round score",
        "1 reminder",
        "1 topic mark",
        "1 private chat",
        "1 subscription",
        "1 push",
        "1 private quiz",
        "2 quizzes and rounds you started in groups stay",
    ] {
        assert!(done.contains(part), "{part:?} in {done}");
    }
    let after = references(&db, ana_id, ana_chat, &texts).await;
    assert!(after.is_empty(), "rows still about the learner: {after:#?}");

    // The group's own data stays: its chat, the quiz (nameless), the round, Bob's answer and score.
    let kept = |sql: &'static str| {
        let db = db.clone();
        async move {
            sqlx::query_scalar::<_, i64>(sql)
                .fetch_one(&db)
                .await
                .unwrap()
        }
    };
    assert_eq!(
        kept("SELECT COUNT(*) FROM chats WHERE external_id = 'g1'").await,
        1
    );
    let nameless = "SELECT COUNT(*) FROM quizzes q JOIN chats c ON c.id = q.chat_id
                    WHERE c.external_id = 'g1' AND q.asked_by IS NULL";
    assert_eq!(kept(nameless).await, 1);
    assert_eq!(
        kept("SELECT COUNT(*) FROM rounds WHERE started_by IS NULL").await,
        1
    );
    assert_eq!(
        kept("SELECT COUNT(*) FROM answers").await,
        1,
        "Bob's answer"
    );
    assert_eq!(
        kept("SELECT COUNT(*) FROM round_answers").await,
        1,
        "Bob's score"
    );
    let bob_chat = "SELECT COUNT(*) FROM chats WHERE external_id = 'chat-bob'";
    assert_eq!(kept(bob_chat).await, 1, "Bob's private chat");
    let ok: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&db)
        .await
        .unwrap();
    assert_eq!(ok, "ok");
}

// SQLite only: it reads the schema and rows of the file directly.
#[tokio::test]
async fn every_table_in_the_schema_is_known_to_forget() {
    let (_dir, _store, url) = temp_store().await;
    let db = pool(&url).await;
    let known: Vec<&str> = KNOWN_TABLES.iter().map(|(t, _)| *t).collect();
    for table in tables(&db).await {
        assert!(
            known.contains(&table.as_str()),
            "table {table} is new: make /forget (Tx::forget_user) handle it, then list it in \
             KNOWN_TABLES"
        );
    }
}

/// The console learner of the issue: subscribed, answered, marked a topic, asked for a review and
/// an export; after /forget confirm the database holds nothing about them and the exported files
/// are gone.
#[test]
fn the_console_learner_is_forgotten_with_their_private_chat_and_exported_files() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("bot.db");
    let exports = dir.path().join("exports");
    let input = b"/subscribe\n/today\n/quiz\nA\n/mark later\n/review\n/export\n/progress card\n\
                  /forget\n/forget confirm\n";
    let out = process::run_console(&db, &exports, "2026-03-02T12:00:00Z", input);
    // The console wraps to 80 columns: compare with the line breaks folded.
    let text = String::from_utf8_lossy(&out.stdout)
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    assert!(out.status.success(), "{text}");
    assert!(text.contains("1 private chat, 1 subscription"), "{text}");
    assert!(
        text.contains("I also deleted 2 saved files.")
            || text.contains("I also deleted 3 saved files."),
        "{text}"
    );
    let left: Vec<_> = std::fs::read_dir(&exports)
        .unwrap()
        .flatten()
        .map(|e| e.file_name())
        .collect();
    assert!(left.is_empty(), "{left:?}");
    let rt = tokio::runtime::Runtime::new().unwrap();
    rt.block_on(async {
        let db = pool(&format!("sqlite://{}", db.display())).await;
        for table in tables(&db).await {
            if table == "_sqlx_migrations" || table == "events" {
                continue;
            }
            let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
                "SELECT COUNT(*) FROM \"{table}\""
            )))
            .fetch_one(&db)
            .await
            .unwrap();
            assert_eq!(n, 0, "{table} still has rows");
        }
    });
}
