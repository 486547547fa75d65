//! Hostile chat input at scale, end to end: 1,000 generated messages through the fake Telegram
//! server and 1,000 through the fake Discord gateway (oversized text, control characters, RTL
//! marks, HTML and Markdown injection, mention injection, SQL-looking text, lone UTF-16
//! surrogates in the JSON, forged callback data and custom ids for other people's quizzes).
//! Afterwards: no panic, every message the fakes accepted (they refuse HTML and limits the way the
//! platforms do), no mention that could ping, `/today` unchanged, `PRAGMA integrity_check` ok.

mod support;

use serde_json::json;
use sqlx::SqlitePool;
use support::discord::{self as dc, FakeDiscord, Who};
use support::process::BotProcess;
use support::telegram::LONE_SURROGATE;
use support::telegram::html::check_html;
use support::telegram::{self as tg, FakeTelegram};

const TG_TOKEN: &str = "123456789:AAEhostileTOKEN_0123456789abcdef";
const DC_TOKEN: &str = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GhJkLm.hostileDiscordSecret_0123456789abc";
/// Messages per platform.
const PER_PLATFORM: usize = 1000;
/// Marks injected markup: it must reach the chat as text, never as markup.
const INJ: &str = "INJ";

/// A small deterministic generator (xorshift), so a failure replays exactly.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }

    /// Random characters from ranges that break naive code: controls, combining marks, RTL and
    /// zero-width marks, emoji (two UTF-16 units), private use, noncharacters.
    fn unicode(&mut self, n: usize) -> String {
        let ranges: [(u32, u32); 8] = [
            (0x00, 0x1f),
            (0x20, 0x7e),
            (0x300, 0x36f),
            (0x200b, 0x200f),
            (0x202a, 0x202e),
            (0x1f600, 0x1f64f),
            (0xe000, 0xe0ff),
            (0xfff0, 0xffff),
        ];
        (0..n)
            .filter_map(|_| {
                let (a, b) = ranges[self.below(ranges.len())];
                char::from_u32(a + (self.next() % u64::from(b - a + 1)) as u32)
            })
            .collect()
    }
}

/// Arguments a hostile member types.
fn hostile_arg(rng: &mut Rng) -> String {
    match rng.below(10) {
        0 => {
            let n = 100 + rng.below(6000);
            "A".repeat(n)
        }
        1 => format!("x\u{0}\u{1}\u{7f}\u{1b}[2J{}", rng.unicode(5)),
        2 => rng
            .pick(&[
                "\u{202e}ahpla\u{202c}",
                "\u{200f}Europe/Berlin",
                "\u{2066}alpha\u{2069}",
            ])
            .to_string(),
        3 => rng
            .pick(&[
                "<b>INJ</b>",
                "</code><a href=\"http://evil\">INJ</a>",
                "&lt;&amp;INJ&#0;&#xD800;",
                "<i>INJ",
                "<script>INJ</script>",
                "<tg-spoiler>INJ",
            ])
            .to_string(),
        4 => rng
            .pick(&[
                "**INJ** __x__ `y` [z](http://e)",
                "||INJ||",
                "*_~`>#+-=|{}.!INJ",
            ])
            .to_string(),
        5 => rng
            .pick(&[
                "@everyone",
                "@here INJ",
                "<@1001> <@&5> <#7>",
                "@everyone <@!1002>",
            ])
            .to_string(),
        6 => rng
            .pick(&[
                "'; DROP TABLE users; --",
                "1' OR '1'='1",
                "\"); DELETE FROM answers; --",
                "0 9 * * *; DROP TABLE chats",
            ])
            .to_string(),
        7 => {
            let n = 1 + rng.below(60);
            rng.unicode(n)
        }
        8 => rng
            .pick(&[
                "alpha",
                "Basics",
                "08:30",
                "Europe/Berlin",
                "later",
                "5",
                "card",
                "confirm",
            ])
            .to_string(),
        _ => String::new(),
    }
}

/// Commands a hostile member tries: every command of the bot except /help (it marks the end of
/// the storm), an alias and an unknown one.
fn commands() -> Vec<&'static str> {
    studybot::core::messages::COMMANDS
        .iter()
        .map(|c| c.name)
        .filter(|n| *n != "help")
        .chain(["top", "nope"])
        .collect()
}

fn hostile_text(rng: &mut Rng) -> String {
    match rng.below(10) {
        0 => hostile_arg(rng),
        // Astral characters are surrogate pairs in the UTF-16 Telegram counts in. (A lone
        // surrogate in a getUpdates answer stalls teloxide: see the Discord test and the README.)
        1 => "/today \u{1f600}\u{10ffff}\u{1d11e}".to_string(),
        2 => {
            let n = 1 + rng.below(200);
            rng.unicode(n)
        }
        _ => {
            let cmd = rng.pick(&commands());
            let arg = hostile_arg(rng);
            let sep = rng.pick(&[" ", "\u{a0}", "\t", "\u{3000}", "@studybot_test "]);
            format!("/{cmd}{sep}{arg}")
        }
    }
}

const NAMES: [&str; 6] = [
    "<b>Eve</b>",
    "@everyone",
    "\u{202e}evE",
    "Eve & <Co>",
    "'; DROP TABLE users; --",
    "Eve",
];

async fn integrity(db: &str) -> (String, i64) {
    let pool = SqlitePool::connect(db).await.unwrap();
    let ok: String = sqlx::query_scalar("PRAGMA integrity_check")
        .fetch_one(&pool)
        .await
        .unwrap();
    // Answers in someone's private chat by anyone else (forged buttons for their quizzes).
    let foreign: i64 = sqlx::query_scalar(
        "SELECT COUNT(*) FROM answers a JOIN quizzes q ON q.id = a.quiz_id
         JOIN chats c ON c.id = q.chat_id
         WHERE c.kind = 'private' AND c.private_of IS NOT a.user_id",
    )
    .fetch_one(&pool)
    .await
    .unwrap();
    pool.close().await;
    (ok, foreign)
}

fn assert_no_panic(log: &str) {
    assert!(
        !log.contains("panicked"),
        "a panic in the bot's log:\n{log}"
    );
}

#[test]
fn the_html_checker_refuses_what_telegram_refuses() {
    assert_eq!(check_html("<b>a &amp; b</b>", 4096), Ok(5));
    assert_eq!(check_html("&#128512;", 4096), Ok(2));
    for bad in [
        "<b>a",
        "a < b",
        "<script>x</script>",
        "<b><i>x</b></i>",
        "AT&T",
        " ",
    ] {
        assert!(check_html(bad, 4096).is_err(), "{bad}");
    }
    assert!(check_html(&"x".repeat(4097), 4096).is_err());
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_hostile_telegram_updates_change_nothing_they_should_not() {
    const ANA: i64 = 42;
    const EVE: i64 = 44;
    const CLEAN: i64 = 45;
    const GROUP: i64 = -4001;
    let fake = FakeTelegram::start(TG_TOKEN).await;
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("tg.db").display());
    let bot = BotProcess::spawn(
        dir.path(),
        &[
            ("TELEGRAM_BOT_TOKEN", TG_TOKEN.to_string()),
            ("TELEGRAM_API_URL", fake.url.clone()),
            ("DATABASE_URL", db.clone()),
            ("CONTENT_DIR", support::fixture_dir().display().to_string()),
            ("STUDYBOT_NOW", "2026-03-02T10:00:00Z".to_string()),
            // Pushes and polls are not what this test is about; replies are not throttled.
            ("TELEGRAM_RATE_LIMIT", "0".to_string()),
        ],
    );
    fake.wait_for("setMyCommands", 30, |c| {
        c.iter().any(|c| c.method == "setmycommands")
    })
    .await;
    let ask =
        |chat: i64, from: i64, text: &str| fake.push(tg::text_message(chat, from, "Ana", text));

    // Before: /today in a clean chat, and a quiz in Ana's private chat for Eve to forge answers to.
    ask(CLEAN, CLEAN, "/today");
    let today = fake.wait_texts(CLEAN, 1).await[0].clone();
    ask(ANA, ANA, "/quiz");
    fake.wait_for("Ana's quiz poll", 20, |c| {
        c.iter().any(|c| c.method == "sendpoll")
    })
    .await;

    let mut rng = Rng(0x5eed_0f40_5700);
    let chats = [(ANA, ANA), (EVE, EVE), (GROUP, EVE), (GROUP, ANA)];
    for i in 0..PER_PLATFORM {
        let (chat, from) = chats[rng.below(chats.len())];
        let name = NAMES[rng.below(NAMES.len())];
        if i % 5 == 4 {
            // Forged callback data: answers to quizzes of other chats, marks, anything.
            let data = match rng.below(4) {
                0 => format!("a:{}:{}", rng.below(50), rng.pick(&["A", "b", "E", "AA"])),
                1 => format!("m:{}:{}", rng.pick(&["d", "l", "x"]), hostile_arg(&mut rng)),
                2 => rng
                    .pick(&["forget:yes", "review", "next", "q:alpha", "q:../.."])
                    .to_string(),
                _ => hostile_arg(&mut rng),
            };
            fake.push(tg::callback(chat, from, name, &data));
        } else if i % 50 == 7 {
            // Votes in Ana's private quiz poll by someone else, and in polls that do not exist.
            let poll = rng.pick(&["poll-1", "poll-999", "", "\u{202e}"]);
            fake.push(tg::poll_answer(poll, EVE, name, rng.below(12) as u8));
        } else {
            fake.push(tg::text_message(chat, from, name, &hostile_text(&mut rng)));
        }
    }
    // The end of the storm: updates of a chat are handled in order, so /help's answer in every
    // chat comes after everything sent there before.
    let helps = |calls: &[tg::Call], chat: i64| {
        calls
            .iter()
            .filter(|c| c.method == "sendmessage" && c.body["chat_id"].as_i64() == Some(chat))
            .filter(|c| c.body["text"].as_str().unwrap_or("").contains("Commands:"))
            .count()
    };
    for (chat, from) in chats {
        let before = helps(&fake.calls("sendMessage"), chat);
        ask(chat, from, "/help");
        fake.wait_for("the /help sentinel", 120, |c| helps(c, chat) > before)
            .await;
    }
    ask(CLEAN, CLEAN, "/today");
    assert_eq!(
        fake.wait_texts(CLEAN, 2).await[1],
        today,
        "/today after the storm"
    );

    assert_eq!(
        fake.bad_entities(),
        Vec::<String>::new(),
        "HTML Telegram would refuse"
    );
    let sends = fake.calls("sendMessage");
    for c in &sends {
        let text = c.body["text"].as_str().unwrap_or("");
        for raw in [
            "<b>INJ",
            "<i>INJ",
            "<a href=\"http://evil",
            "<script",
            "<tg-spoiler>INJ",
        ] {
            assert!(
                !text.contains(raw),
                "injected markup {raw:?} reached the chat: {text}"
            );
        }
    }
    assert!(
        sends
            .iter()
            .any(|c| c.body["text"].as_str().unwrap_or("").contains(INJ))
    );
    let (ok, foreign) = integrity(&db).await;
    assert_eq!(ok, "ok");
    assert_eq!(foreign, 0, "answers to someone else's private quiz");
    let log = bot.logs();
    assert_no_panic(&log);
    eprintln!(
        "telegram: {PER_PLATFORM} hostile updates, {} messages sent, 0 refused",
        sends.len()
    );
}

/// Interactions sent at once on Discord before waiting for their answers.
const BATCH: usize = 50;

/// Waits until every slash command has its response and every click its callback.
async fn answered(fake: &FakeDiscord, slashes: &mut Vec<dc::Sent>, clicks: &mut Vec<dc::Sent>) {
    for s in slashes.drain(..) {
        fake.reply(&s).await;
    }
    for c in clicks.drain(..) {
        let path = format!("/api/v10/interactions/{}/{}/callback", c.id, c.token);
        fake.wait("a forged click's acknowledgement", 60, |v| {
            v.calls().iter().any(|call| call.path == path).then_some(())
        })
        .await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_thousand_hostile_discord_interactions_change_nothing_they_should_not() {
    let fake = FakeDiscord::start(DC_TOKEN).await;
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("dc.db").display());
    let bot = BotProcess::spawn(
        dir.path(),
        &[
            ("DISCORD_TOKEN", DC_TOKEN.to_string()),
            ("DISCORD_API_URL", fake.url.clone()),
            ("DATABASE_URL", db.clone()),
            ("CONTENT_DIR", support::fixture_dir().display().to_string()),
            ("STUDYBOT_NOW", "2026-03-02T10:00:00Z".to_string()),
            ("DISCORD_GUILD_ID", dc::GUILD.to_string()),
        ],
    );
    fake.wait_for_registration().await;
    let clean = dc::dm(1009, "Clean");
    let today = fake.reply(&fake.slash(&clean, "today", vec![])).await;
    let ana_dm = dc::dm(1001, "Ana");
    let ana_quiz = fake.reply(&fake.slash(&ana_dm, "quiz", vec![])).await;

    let mut rng = Rng(0xd15c_0bad);
    let options: [(&str, &str); 8] = [
        ("topic", "words"),
        ("quiz", "target"),
        ("timezone", "zone"),
        ("subscribe", "timezone"),
        ("mark", "topic"),
        ("round", "from"),
        ("remind", "when"),
        ("answer", "letter"),
    ];
    let mut slashes = Vec::new();
    let mut clicks = Vec::new();
    for i in 0..PER_PLATFORM {
        // In batches, as a busy server sends them: the fake's 250 ms heartbeat would otherwise
        // wait behind hundreds of queued events and serenity restart the shard.
        if i % BATCH == 0 {
            answered(&fake, &mut slashes, &mut clicks).await;
        }
        let name = NAMES[rng.below(NAMES.len())];
        let who = match rng.below(3) {
            0 => dc::dm(1005, name),
            1 => Who {
                nick: Some(name.to_string()),
                ..dc::member(1005, "eve", dc::VIEW_AND_SEND)
            },
            _ => dc::member(1006, name, dc::VIEW_AND_SEND),
        };
        if i % 5 == 4 {
            // Forged custom ids on Ana's quiz message: someone else's quiz, or garbage.
            let id = match rng.below(3) {
                0 => format!("a:{}:{}", rng.below(50), rng.pick(&["A", "b", "E"])),
                1 => rng
                    .pick(&["forget:yes", "review", "m:d:alpha", "q:alpha"])
                    .to_string(),
                _ => hostile_arg(&mut rng).chars().take(100).collect(),
            };
            clicks.push(fake.click(&who, &ana_quiz, &id));
        } else if i % 100 == 13 {
            // A frame serde cannot read: a lone surrogate in an option value.
            let mut arg = hostile_arg(&mut rng);
            arg.push_str(LONE_SURROGATE);
            fake.slash(&who, "topic", vec![dc::opt("words", &arg)]);
        } else {
            let (cmd, opt) = options[rng.below(options.len())];
            let arg: String = hostile_arg(&mut rng).chars().take(6000).collect();
            let opts = if cmd == "mark" {
                vec![dc::opt("status", "later"), dc::opt(opt, &arg)]
            } else {
                vec![dc::opt(opt, &arg)]
            };
            slashes.push(fake.slash(&who, cmd, opts));
        }
    }
    answered(&fake, &mut slashes, &mut clicks).await;
    let after = fake.reply(&fake.slash(&clean, "today", vec![])).await;
    assert_eq!(
        dc::plain(&after),
        dc::plain(&today),
        "/today after the storm"
    );

    let calls = fake.calls();
    let refused: Vec<String> = calls
        .iter()
        .filter(|c| !c.ok())
        .map(|c| format!("{} {} -> {}", c.method, c.path, c.status))
        .collect();
    assert!(
        refused.is_empty(),
        "requests Discord would refuse: {refused:#?}"
    );
    let mut messages = 0;
    for c in calls.iter().filter(|c| c.carries_message()) {
        messages += 1;
        let d = c.message_data();
        assert_eq!(
            d["allowed_mentions"]["parse"],
            json!([]),
            "a message that could ping: {} {d}",
            c.path
        );
        let text = d.to_string();
        assert!(!text.contains("@everyone"), "a raw @everyone: {text}");
    }
    let (ok, foreign) = integrity(&db).await;
    assert_eq!(ok, "ok");
    assert_eq!(foreign, 0, "answers to someone else's private quiz");
    assert_no_panic(&bot.logs());
    eprintln!(
        "discord: {PER_PLATFORM} hostile interactions, {messages} messages sent, 0 refused, 0 pings"
    );
}
