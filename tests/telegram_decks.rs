//! Decks and reports through the real teloxide client against the fake Bot API: a deck file sent
//! as a document (downloaded with getFile and the file URL), used as a group's track, answered in
//! quiz polls, and a question reported with the poll's Report button.

mod support;

use serde_json::Value;
use support::process::BotProcess;
use support::telegram::*;

const TOKEN: &str = "123456789:AAEtestTOKENvalue_0123456789abcdef";
const ADMIN: i64 = 42;
const MEMBER: i64 = 43;
const GROUP: i64 = -4001;

const DECK: &str = "question,option_a,option_b,option_c,option_d,answer,explanation\n\
What does <b>bold</b> & co mean in HTML?,Markup,Nothing,,,A,Tags like <b> make text bold.\n\
Which port is HTTPS?,443,80,,,A,443 is HTTPS.\n\
Is UDP connectionless?,Yes,No,,,A,UDP has no handshake.\n";

struct Harness {
    tg: FakeTelegram,
    _bot: BotProcess,
    dir: tempfile::TempDir,
}

impl Harness {
    async fn start() -> Harness {
        let tg = FakeTelegram::start(TOKEN).await;
        let dir = tempfile::tempdir().unwrap();
        let bot = BotProcess::spawn(
            dir.path(),
            &[
                ("TELEGRAM_BOT_TOKEN", TOKEN.to_string()),
                ("TELEGRAM_API_URL", tg.url.clone()),
                (
                    "DATABASE_URL",
                    format!("sqlite://{}", dir.path().join("tg.db").display()),
                ),
                ("CONTENT_DIR", support::fixture_dir().display().to_string()),
                ("STUDYBOT_NOW", "2026-03-02T10:00:00Z".to_string()),
            ],
        );
        tg.wait_for("setMyCommands", 30, |c| {
            c.iter().any(|c| c.method == "setmycommands")
        })
        .await;
        Harness { tg, _bot: bot, dir }
    }

    async fn reply_to(&self, chat: i64, update: Value) -> String {
        let before = self.tg.texts(chat).len();
        self.tg.push(update);
        self.tg.wait_texts(chat, before + 1).await[before].clone()
    }

    async fn ask(&self, chat: i64, from: i64, text: &str) -> String {
        self.reply_to(chat, text_message(chat, from, "Ana", text))
            .await
    }

    async fn db_scalar(&self, sql: &str) -> i64 {
        let url = format!("sqlite://{}", self.dir.path().join("tg.db").display());
        let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
        let v = sqlx::query_scalar(sqlx::AssertSqlSafe(sql.to_string()))
            .fetch_one(&pool)
            .await
            .unwrap();
        pool.close().await;
        v
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn a_group_admin_uploads_a_deck_the_group_studies_it_and_reports_a_question() {
    let h = Harness::start().await;
    h.tg.make_admin(GROUP, ADMIN);
    h.tg.host_file("deck-1", DECK.as_bytes().to_vec());

    // A member may not import; the admin may, with the document's caption.
    let refused = h
        .reply_to(
            GROUP,
            document_message(
                GROUP,
                MEMBER,
                "Ben",
                "/deck import",
                "deck-1",
                "Mock Interview.csv",
                200,
            ),
        )
        .await;
    assert!(refused.contains("admin"), "{refused}");
    assert_eq!(
        h.tg.downloads(),
        0,
        "nothing is downloaded for a member who may not import"
    );
    let imported = h
        .reply_to(
            GROUP,
            document_message(
                GROUP,
                ADMIN,
                "Ana",
                "/deck import",
                "deck-1",
                "Mock Interview.csv",
                200,
            ),
        )
        .await;
    assert!(
        imported.contains("Imported deck mock-interview (mock-interview) with 3 questions"),
        "{imported}"
    );
    assert_eq!(h.tg.downloads(), 1);

    assert!(
        h.ask(GROUP, ADMIN, "/deck use mock-interview")
            .await
            .contains("This chat now studies mock-interview")
    );
    let list = h.ask(GROUP, MEMBER, "/deck list").await;
    assert!(
        list.contains("mock-interview: mock-interview (3 questions) (this chat&#39;s track)")
            || list.contains("mock-interview: mock-interview (3 questions) (this chat's track)"),
        "{list}"
    );

    // /quiz draws from the deck: a quiz poll with the deck's two options and a Report button.
    let before = h.tg.calls("sendPoll").len();
    h.tg.push(text_message(GROUP, MEMBER, "Ben", "/quiz"));
    let calls =
        h.tg.wait_for("sendPoll", 20, |c| {
            c.iter().filter(|c| c.method == "sendpoll").count() > before
        })
        .await;
    let poll = calls
        .iter()
        .filter(|c| c.method == "sendpoll")
        .nth(before)
        .unwrap()
        .body
        .clone();
    assert_eq!(poll["options"].as_array().unwrap().len(), 2, "{poll}");
    let report = poll["reply_markup"]["inline_keyboard"][0][0].clone();
    assert_eq!(report["text"], "Report");
    let data = report["callback_data"].as_str().unwrap().to_string();
    assert!(data.starts_with("r:"), "{data}");
    let quiz_id = data.trim_start_matches("r:").to_string();

    // The member answers right: XP, a streak and a review card, like a curriculum answer.
    let correct = poll["correct_option_id"].as_u64().unwrap() as u8;
    h.tg.push(poll_answer(
        &format!("poll-{}", before + 1),
        MEMBER,
        "Ben",
        correct,
    ));
    for _ in 0..40 {
        if h.db_scalar("SELECT COUNT(*) FROM review_cards WHERE topic_id = 'deck:mock-interview'")
            .await
            == 1
        {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(
        h.db_scalar("SELECT COUNT(*) FROM review_cards WHERE topic_id = 'deck:mock-interview'")
            .await,
        1
    );
    assert_eq!(
        h.db_scalar(&format!(
            "SELECT streak_current FROM users WHERE external_id = '{MEMBER}'"
        ))
        .await,
        1
    );
    assert!(
        h.db_scalar(&format!(
            "SELECT xp FROM users WHERE external_id = '{MEMBER}'"
        ))
        .await
            > 0
    );

    // Report: the button asks for a reason with buttons; a reason button stores the report.
    let ask = h
        .reply_to(GROUP, callback(GROUP, MEMBER, "Ben", &data))
        .await;
    assert!(ask.contains("What is wrong with this question?"), "{ask}");
    let markup = h.tg.calls("sendMessage").last().unwrap().body["reply_markup"].clone();
    let reasons: Vec<&str> = markup["inline_keyboard"]
        .as_array()
        .unwrap()
        .iter()
        .map(|row| row[0]["callback_data"].as_str().unwrap())
        .collect();
    assert_eq!(
        reasons,
        [
            format!("rr:{quiz_id}:w"),
            format!("rr:{quiz_id}:u"),
            format!("rr:{quiz_id}:o"),
            format!("rr:{quiz_id}:t")
        ]
    );
    let thanks = h
        .reply_to(
            GROUP,
            callback(GROUP, MEMBER, "Ben", &format!("rr:{quiz_id}:w")),
        )
        .await;
    assert!(thanks.contains("your report is stored"), "{thanks}");
    assert_eq!(h.db_scalar("SELECT COUNT(*) FROM reports WHERE reason = 'wrong answer' AND topic_id = 'deck:mock-interview'").await, 1);
    // The importer sees the deck's reports.
    let reports = h.ask(GROUP, ADMIN, "/deck reports mock-interview").await;
    assert!(reports.contains("1 × wrong answer"), "{reports}");
    assert!(h.tg.bad_entities().is_empty(), "{:?}", h.tg.bad_entities());
}

#[tokio::test(flavor = "multi_thread")]
async fn a_deck_answered_with_deck_import_is_downloaded_and_bad_or_huge_files_are_refused() {
    let h = Harness::start().await;
    h.tg.host_file("deck-2", DECK.as_bytes().to_vec());
    h.tg.host_file("bad", b"question,option_a,answer\n<i>x</i>,a,A\n".to_vec());
    // In a private chat, answering an earlier document with /deck import ID imports it.
    let doc = document_message(ADMIN, ADMIN, "Ana", "", "deck-2", "whatever.csv", 200);
    h.tg.push(doc.clone());
    let imported = h
        .reply_to(
            ADMIN,
            reply_to_document(ADMIN, ADMIN, "Ana", "/deck import sql-mock", &doc),
        )
        .await;
    assert!(imported.contains("Imported deck sql-mock"), "{imported}");
    // A 10 MB file is refused before anything is downloaded.
    let downloads = h.tg.downloads();
    let huge = h
        .reply_to(
            ADMIN,
            document_message(
                ADMIN,
                ADMIN,
                "Ana",
                "/deck import",
                "big",
                "big.csv",
                10 * 1024 * 1024,
            ),
        )
        .await;
    assert!(
        huge.contains("a deck file is at most 1048576 bytes"),
        "{huge}"
    );
    assert_eq!(h.tg.downloads(), downloads);
    // Every problem of a bad file, by line, with the user's markup escaped.
    let bad = h
        .reply_to(
            ADMIN,
            document_message(ADMIN, ADMIN, "Ana", "/deck import", "bad", "bad.csv", 40),
        )
        .await;
    assert!(bad.contains("The deck was not imported"), "{bad}");
    assert!(
        bad.contains("bad.csv:1: missing column `option_b`"),
        "{bad}"
    );
    assert!(h.tg.bad_entities().is_empty(), "{:?}", h.tg.bad_entities());
    // The export comes back as a CSV document.
    h.tg.push(text_message(ADMIN, ADMIN, "Ana", "/deck export sql-mock"));
    h.tg.wait_for("sendDocument", 20, |c| {
        c.iter().any(|c| c.method == "senddocument")
    })
    .await;
    let (_, file) = h.tg.uploads(ADMIN, "sendDocument").pop().unwrap();
    let text = String::from_utf8(file.bytes).unwrap();
    assert!(
        text.starts_with(
            "question,option_a,option_b,option_c,option_d,answer,explanation,topic,difficulty"
        ),
        "{text}"
    );
    assert!(
        text.contains("What does <b>bold</b> & co mean in HTML?"),
        "{text}"
    );
}
