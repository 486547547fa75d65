//! `studybot store copy` (issue 20): a SQLite database with real data, made through the core,
//! copied to PostgreSQL and back into a new SQLite file, keeps every row of every table; the app
//! on the PostgreSQL copy answers /streak and /progress as on the original; a non-empty target is
//! refused. The PostgreSQL half skips without `STUDYBOT_TEST_POSTGRES`.

mod support;

use sqlx::{Row, SqlitePool, ValueRef};
use studybot::core::deck::{DeckCmd, DeckImport};
use studybot::core::link::{LinkCode, LinkRequest};
use studybot::core::{App, Command, Ctx, DailyAt, Reply, Timezone};
use studybot::core::{ParseOptions, TopicStatus};
use studybot::store::copy::TABLES;
use studybot::store::{CopyError, Engine, Store, copy_database};
use support::engines::TestDb;
use support::*;

const DECK: &str = "question,option_a,option_b,option_c,option_d,answer,explanation\n\
Which port is HTTPS?,443,80,,,A,443 is HTTPS.\n\
Is UDP connectionless?,Yes,No,,,A,UDP has no handshake.\n\
Which port is SSH?,22,21,,,A,22 is SSH.\n";

async fn run(app: &App, ctx: &Ctx, cmd: Command) -> Reply {
    app.respond(ctx, cmd).await
}

async fn say(app: &App, ctx: &Ctx, text: &str) -> String {
    app.respond_text(ctx, text, &ParseOptions::default())
        .await
        .map(|r| r.plain_text())
        .unwrap_or_default()
}

/// One quiz answered by `ctx`'s user, right or wrong.
async fn study(app: &App, ctx: &Ctx, right: bool) {
    let r = run(app, ctx, Command::Quiz(None)).await;
    let card = r.quiz.clone().unwrap_or_else(|| panic!("no quiz: {r:?}"));
    let cmd = Command::Answer {
        quiz_id: Some(card.quiz_id),
        letter: pick(&card, right),
    };
    run(app, ctx, cmd).await;
}

fn on(ctx: &Ctx, day: u32) -> Ctx {
    Ctx {
        now: utc(&format!("2026-03-{day:02}T10:00:00Z")),
        ..ctx.clone()
    }
}

/// Ana's private chat on the day the tests look at.
fn ana() -> Ctx {
    private("ana", "2026-03-06T10:00:00Z")
}

/// Fills the database as learners would: a five-day streak with right and wrong answers, review
/// cards and a review quiz, a reminder, a topic status, a group with a subscription
/// studying its own deck (a chat pointing at a deck) and a report, an event id, a linked Discord account, a
/// pending link code and a wrong one.
async fn seed(app: &App) {
    let me = ana();
    for day in 2..=5 {
        study(app, &on(&me, day), true).await;
        study(app, &on(&me, day), false).await;
    }
    run(app, &me, Command::Remind(Some(DailyAt::DEFAULT))).await;
    let mark = Command::Mark {
        status: TopicStatus::Later,
        topic: None,
    };
    run(app, &me, mark).await;
    run(app, &on(&me, 2), Command::Today).await;
    let review = run(app, &on(&me, 6), Command::Review).await;
    let card = review.quiz.clone().expect("a due review card");
    let answer = Command::Answer {
        quiz_id: Some(card.quiz_id),
        letter: pick(&card, true),
    };
    run(app, &on(&me, 6), answer).await;

    let admin = member("group-1", "bob", true, "2026-03-05T12:00:00Z");
    let subscribe = Command::Subscribe {
        at: None,
        timezone: None,
    };
    run(app, &admin, subscribe).await;
    let file = DeckImport {
        file_name: "mock.csv",
        bytes: DECK.as_bytes(),
        id: None,
        title: None,
        public: false,
    };
    let imported = app.respond_import(&admin, file).await.plain_text();
    assert!(imported.contains("Imported deck"), "{imported}");
    run(app, &admin, Command::Deck(DeckCmd::Use("mock".into()))).await;
    let in_group = Ctx {
        event: Some("update-77".into()),
        ..member("group-1", "ana", false, "2026-03-05T12:00:00Z")
    };
    study(app, &in_group, true).await;
    study(app, &admin, false).await;
    let report = Command::Report {
        quiz_id: None,
        reason: Some("the answer looks wrong".into()),
    };
    run(app, &admin, report).await;

    let code = say(app, &discord_dm("ana", "2026-03-05T10:00:00Z"), "/link").await;
    let code: String = code
        .split("Your link code: ")
        .nth(1)
        .unwrap_or_else(|| panic!("no code in {code}"))
        .chars()
        .take(8)
        .collect();
    let preview = say(app, &on(&me, 5), &format!("/link {code}")).await;
    assert!(preview.starts_with("Join these"), "{preview}");
    say(app, &on(&me, 5), &format!("/link {code} confirm")).await;
    say(app, &discord_dm("carl", "2026-03-05T10:00:00Z"), "/link").await;
    let wrong = LinkRequest::Enter {
        code: LinkCode::parse("ABCD-2345").unwrap(),
        confirm: false,
    };
    run(
        app,
        &discord_dm("dora", "2026-03-05T10:00:00Z"),
        Command::Link(wrong),
    )
    .await;
}

/// Every table's rows, rendered with their storage class and sorted, from a SQLite file.
async fn rows_of(url: &str) -> Vec<(String, Vec<String>)> {
    let db = SqlitePool::connect(url).await.unwrap();
    let mut all = Vec::new();
    for table in TABLES {
        let n: i64 = sqlx::query_scalar(sqlx::AssertSqlSafe(format!(
            "SELECT COUNT(*) FROM pragma_table_info('{table}')"
        )))
        .fetch_one(&db)
        .await
        .unwrap();
        let order = (1..=n).map(|i| i.to_string()).collect::<Vec<_>>().join(",");
        let rows = sqlx::query(sqlx::AssertSqlSafe(format!(
            "SELECT * FROM {table} ORDER BY {order}"
        )))
        .fetch_all(&db)
        .await
        .unwrap();
        let rendered = rows
            .iter()
            .map(|row| {
                (0..row.len())
                    .map(|i| {
                        let raw = row.try_get_raw(i).unwrap();
                        if raw.is_null() {
                            return "NULL".to_string();
                        }
                        let class = raw.type_info().to_string();
                        match class.as_str() {
                            "INTEGER" => format!("{}", row.get::<i64, _>(i)),
                            "REAL" => format!("{:?}", row.get::<f64, _>(i)),
                            "TEXT" => format!("{:?}", row.get::<String, _>(i)),
                            _ => format!("{:?}", row.get::<Vec<u8>, _>(i)),
                        }
                        .pipe(|v| format!("{class}:{v}"))
                    })
                    .collect::<Vec<_>>()
                    .join(" | ")
            })
            .collect();
        all.push((table.to_string(), rendered));
    }
    db.close().await;
    all
}

trait Pipe: Sized {
    fn pipe<T>(self, f: impl FnOnce(Self) -> T) -> T {
        f(self)
    }
}
impl<T> Pipe for T {}

/// A SQLite database seeded through the core; its directory, URL and the app on it.
async fn seeded() -> (TestDb, String, App) {
    let (db, url) = TestDb::new(Engine::Sqlite).await;
    let app = app_with(Store::open(&url).await.unwrap(), Timezone::UTC);
    seed(&app).await;
    (db, url, app)
}

/// The seeded data has rows in nearly every table (pushes and rounds need the scheduler).
fn assert_filled(rows: &[(String, Vec<String>)]) {
    let chats = &rows.iter().find(|(t, _)| t == "chats").unwrap().1;
    assert!(
        chats.iter().any(|c| c.contains("TEXT:\"mock\"")),
        "a chat studies the deck (a key copied after its table): {chats:?}"
    );
    let empty: Vec<&str> = rows
        .iter()
        .filter(|(_, r)| r.is_empty())
        .map(|(t, _)| t.as_str())
        .collect();
    assert_eq!(
        empty,
        [
            "pushes",
            "review_reminder_days",
            "rounds",
            "round_questions",
            "round_answers"
        ],
        "tables the seed leaves empty"
    );
}

fn assert_same(a: &[(String, Vec<String>)], b: &[(String, Vec<String>)]) {
    for ((table, left), (_, right)) in a.iter().zip(b) {
        assert_eq!(left, right, "rows of {table} differ");
    }
}

#[tokio::test]
async fn sqlite_to_sqlite_keeps_every_row_and_a_non_empty_target_is_refused() {
    let (_src, from, _app) = seeded().await;
    let original = rows_of(&from).await;
    assert_filled(&original);
    let (_dst, to) = TestDb::new(Engine::Sqlite).await;
    let report = copy_database(&from, &to).await.unwrap();
    assert_eq!(report.tables.len(), TABLES.len());
    let expected: i64 = original.iter().map(|(_, r)| r.len() as i64).sum();
    assert_eq!(report.total(), expected);
    assert_same(&original, &rows_of(&to).await);

    let again = copy_database(&from, &to).await.unwrap_err();
    assert!(
        matches!(&again, CopyError::TargetNotEmpty { table, .. } if table == "users"),
        "{again:?}"
    );
    let msg = again.to_string();
    assert!(
        msg.contains("table users has") && msg.contains("copy into an empty database"),
        "{msg}"
    );
    // Nothing was added by the refused copy.
    assert_same(&original, &rows_of(&to).await);
}

#[tokio::test]
async fn sqlite_to_postgres_and_back_keeps_every_row_and_the_app_answers_the_same() {
    support::engines::run_on(Engine::Postgres, async {
        let (_src, from, app) = seeded().await;
        let original = rows_of(&from).await;
        assert_filled(&original);
        let (_pg, pg_url) = TestDb::new(Engine::Postgres).await;
        let to_pg = copy_database(&from, &pg_url).await.unwrap();
        assert_eq!((to_pg.from, to_pg.to), (Engine::Sqlite, Engine::Postgres));
        let (_back, back) = TestDb::new(Engine::Sqlite).await;
        let to_sqlite = copy_database(&pg_url, &back).await.unwrap();
        assert_eq!(to_pg.tables, to_sqlite.tables);
        assert_same(&original, &rows_of(&back).await);

        let pg_app = app_with(Store::open(&pg_url).await.unwrap(), Timezone::UTC);
        for ctx in [ana(), discord_dm("ana", "2026-03-06T10:00:00Z")] {
            for cmd in [Command::Streak, Command::Progress] {
                let want = run(&app, &ctx, cmd.clone()).await.plain_text();
                let got = run(&pg_app, &ctx, cmd).await.plain_text();
                assert_eq!(got, want);
            }
        }
        assert!(
            run(&pg_app, &ana(), Command::Streak)
                .await
                .plain_text()
                .starts_with("Streak: 5 days"),
        );
        // The identity sequences moved past the copied ids: new rows get fresh ids.
        study(&pg_app, &on(&ana(), 6), true).await;
        study(&pg_app, &discord_dm("erin", "2026-03-06T10:00:00Z"), true).await;

        let again = copy_database(&from, &pg_url).await.unwrap_err();
        assert!(again.to_string().contains("table users has"), "{again}");
    })
    .await
}
