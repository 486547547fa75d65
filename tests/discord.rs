//! The real serenity client in the built binary against the fake Discord (REST + gateway).

mod support;

use serde_json::{Value, json};
use std::time::Duration;
use studybot::core::messages::COMMANDS;
use support::discord::*;
use support::process::BotProcess;

/// Three dot-separated parts, like a real bot token; the last two must never reach the logs.
const TOKEN: &str = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GhJkLm.fakeDiscordSecret_0123456789abcdefXYZ";
const ANA: u64 = 1001;
const BEN: u64 = 1002;
const CLEO: u64 = 1003;
const DORA: u64 = 1004;

struct Harness {
    dc: FakeDiscord,
    bot: Option<BotProcess>,
    db: String,
    _dir: tempfile::TempDir,
}

impl Harness {
    /// The bot with `DISCORD_GUILD_ID` set, connected and with its commands registered.
    async fn start() -> Harness {
        Harness::start_with(&[("DISCORD_GUILD_ID", GUILD.to_string())]).await
    }

    async fn start_with(extra: &[(&str, String)]) -> Harness {
        let dc = FakeDiscord::start(TOKEN).await;
        let dir = tempfile::tempdir().unwrap();
        let db = format!("sqlite://{}", dir.path().join("dc.db").display());
        let mut env = vec![
            ("DISCORD_TOKEN", TOKEN.to_string()),
            ("DISCORD_API_URL", dc.url.clone()),
            ("DATABASE_URL", db.clone()),
            ("CONTENT_DIR", support::fixture_dir().display().to_string()),
            ("STUDYBOT_NOW", "2026-03-02T10:00:00Z".to_string()),
        ];
        env.extend(extra.iter().map(|(k, v)| (*k, v.clone())));
        let bot = BotProcess::spawn(dir.path(), &env);
        dc.wait_for_registration().await;
        Harness {
            dc,
            bot: Some(bot),
            db,
            _dir: dir,
        }
    }

    /// The bot's registration of its slash commands (the first `PUT …/commands`).
    fn registration(&self) -> Call {
        self.dc
            .calls()
            .into_iter()
            .find(|c| c.method == "PUT" && c.path.ends_with("/commands"))
            .unwrap()
    }

    /// Runs a slash command and returns its complete response message.
    async fn ask(&self, who: &Who, name: &str, options: Vec<Value>) -> Value {
        let sent = self.dc.slash(who, name, options);
        self.dc.reply(&sent).await
    }

    async fn click(&self, who: &Who, message: &Value, custom_id: &str) -> Value {
        let sent = self.dc.click(who, message, custom_id);
        self.dc.reply(&sent).await
    }

    /// Waits until the stored message `id` satisfies `pred`.
    async fn wait_message(&self, what: &str, id: u64, pred: impl Fn(&Value) -> bool) -> Value {
        self.dc
            .wait(what, 20, |v| v.message(id).filter(|m| pred(m)).cloned())
            .await
    }

    fn logs(&self) -> String {
        self.bot.as_ref().map(|b| b.logs()).unwrap_or_default()
    }
}

fn footer(message: &Value) -> String {
    message["embeds"]
        .as_array()
        .and_then(|e| e.last())
        .and_then(|e| e["footer"]["text"].as_str())
        .unwrap_or("")
        .to_string()
}

/// The fixture's question N of a topic has option N as its answer.
fn correct_letter(quiz: &Value) -> char {
    let text = plain(quiz);
    let n: u8 = text
        .split("question ")
        .nth(1)
        .and_then(|rest| rest.split('?').next())
        .and_then(|n| n.parse().ok())
        .unwrap_or_else(|| panic!("a fixture question: {text}"));
    char::from(b'A' + n - 1)
}

fn button(quiz: &Value, letter: char) -> String {
    custom_ids(quiz)
        .into_iter()
        .find(|id| id.ends_with(&format!(":{letter}")))
        .unwrap_or_else(|| panic!("no button {letter} in {quiz}"))
}

fn ana() -> Who {
    member(ANA, "Ana", VIEW_AND_SEND)
}

fn ben() -> Who {
    member(BEN, "Ben", VIEW_AND_SEND)
}

fn cleo_manager() -> Who {
    member(CLEO, "Cleo", VIEW_AND_SEND | MANAGE_GUILD)
}

#[tokio::test(flavor = "multi_thread")]
async fn every_core_command_is_registered_in_the_test_guild_with_options_and_permissions() {
    let h = Harness::start().await;
    let put = h.registration();
    assert_eq!(
        put.path,
        format!("/api/v10/applications/{APP_ID}/guilds/{GUILD}/commands")
    );
    assert_eq!(put.auth.as_deref(), Some(format!("Bot {TOKEN}").as_str()));
    let cmds = put.body.as_array().unwrap();
    let names: Vec<&str> = cmds.iter().map(|c| c["name"].as_str().unwrap()).collect();
    let core: Vec<&str> = COMMANDS.iter().map(|c| c.name).collect();
    assert_eq!(names, core);
    for (c, help) in cmds.iter().zip(COMMANDS) {
        assert_eq!(c["description"], help.description);
        let perms = &c["default_member_permissions"];
        assert_eq!(
            perms.as_str() == Some("32"),
            help.admin,
            "Manage Server exactly on settings: {c}"
        );
    }
    let by_name = |n: &str| cmds.iter().find(|c| c["name"] == n).unwrap();
    assert_eq!(by_name("topic")["options"][0]["autocomplete"], true);
    assert_eq!(by_name("quiz")["options"][0]["autocomplete"], true);
    assert_eq!(
        by_name("answer")["options"][0]["choices"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
    let subscribe: Vec<&str> = by_name("subscribe")["options"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o["name"].as_str().unwrap())
        .collect();
    assert_eq!(subscribe, ["time", "timezone"]);
    assert!(h.logs().contains("discord: connected"), "{}", h.logs());
}

#[tokio::test(flavor = "multi_thread")]
async fn without_a_guild_id_commands_are_registered_globally() {
    let h = Harness::start_with(&[]).await;
    let put =
        h.dc.calls()
            .into_iter()
            .find(|c| c.method == "PUT")
            .unwrap();
    assert_eq!(put.path, format!("/api/v10/applications/{APP_ID}/commands"));
}

#[tokio::test(flavor = "multi_thread")]
async fn today_is_a_topic_embed_with_buttons_that_fit_the_member() {
    let h = Harness::start().await;
    let today = h.ask(&ana(), "today", vec![]).await;
    assert!(!is_ephemeral(&today));
    assert_eq!(today["embeds"][0]["title"], "Alpha topic");
    let text = plain(&today);
    assert!(
        text.contains("Key points") && text.contains("First point."),
        "{text}"
    );
    let marks = ["m:d:alpha", "m:l:alpha", "m:s:alpha"];
    assert_eq!(
        custom_ids(&today),
        [&["q:alpha"][..], &marks[..]].concat(),
        "no Next for a member"
    );
    let managed = h.ask(&cleo_manager(), "today", vec![]).await;
    assert_eq!(
        custom_ids(&managed),
        [&["q:alpha", "next"][..], &marks[..]].concat()
    );

    // "Quiz me on this" posts a quiz for the topic.
    let quiz = h.click(&ana(), &today, "q:alpha").await;
    assert!(plain(&quiz).contains("Alpha topic: question"), "{quiz}");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_quiz_click_answers_privately_once_and_the_question_counts_answers() {
    let h = Harness::start().await;
    let quiz = h.ask(&ana(), "quiz", vec![opt("target", "alpha")]).await;
    assert!(!is_ephemeral(&quiz), "everyone sees the question");
    let ids = custom_ids(&quiz);
    assert_eq!(ids.len(), 4, "{quiz}");
    assert!(ids.iter().all(|id| id.starts_with("a:") && id.len() <= 100));
    assert_eq!(
        footer(&quiz),
        "No answers yet. Pick a letter; only you see whether you were right."
    );
    let right = correct_letter(&quiz);
    let wrong = if right == 'A' { 'B' } else { 'A' };
    let quiz_id = id_of(&quiz);

    let result = h.click(&ana(), &quiz, &button(&quiz, right)).await;
    assert!(is_ephemeral(&result), "only Ana sees her result");
    let text = plain(&result);
    assert!(text.starts_with("Correct! +"), "{text}");
    assert!(
        text.contains("is right for Alpha topic question"),
        "the explanation: {text}"
    );
    h.wait_message("the count of 1", quiz_id, |m| {
        footer(m) == "1 person has answered."
    })
    .await;

    let again = h.click(&ana(), &quiz, &button(&quiz, wrong)).await;
    assert!(is_ephemeral(&again));
    assert_eq!(
        plain(&again),
        format!("You already answered this one ({right}). Send /quiz for another question.")
    );

    let bens = h.click(&ben(), &quiz, &button(&quiz, wrong)).await;
    assert!(is_ephemeral(&bens));
    assert!(
        plain(&bens).starts_with("Not quite. The answer is"),
        "{bens}"
    );
    let counted = h
        .wait_message("the count of 2", quiz_id, |m| {
            footer(m) == "2 people have answered."
        })
        .await;
    assert_eq!(custom_ids(&counted), ids, "the buttons stay");
    let edits: Vec<Call> =
        h.dc.calls()
            .into_iter()
            .filter(|c| c.method == "PATCH" && c.path.ends_with(&format!("/messages/{quiz_id}")))
            .collect();
    assert_eq!(
        edits.len(),
        2,
        "one edit per new answer, none for the refused click"
    );
    assert!(
        edits
            .iter()
            .all(|e| e.body["allowed_mentions"]["parse"] == json!([]))
    );

    let streak = h.ask(&ana(), "streak", vec![]).await;
    assert!(
        plain(&streak).starts_with("Streak: 1 day (longest 1)"),
        "{streak}"
    );
    let progress = h.ask(&ben(), "progress", vec![]).await;
    assert!(
        plain(&progress).contains("In all: 1 answer, 0% right"),
        "{progress}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn settings_need_manage_server_whatever_discord_lets_through() {
    let h = Harness::start().await;
    let refused = h.ask(&ben(), "subscribe", vec![opt("time", "08:00")]).await;
    assert!(is_ephemeral(&refused));
    assert_eq!(plain(&refused), "Only chat admins can change this.");
    let refused = h.ask(&ben(), "next", vec![]).await;
    assert_eq!(plain(&refused), "Only chat admins can change this.");

    let ok = h
        .ask(
            &cleo_manager(),
            "subscribe",
            vec![opt("time", "08:00"), opt("timezone", "Europe/Berlin")],
        )
        .await;
    assert!(
        plain(&ok).starts_with(
            "Subscribed: this chat gets the next topic every day at 08:00 (Europe/Berlin)."
        ),
        "{ok}"
    );
    let admin = member(DORA, "Dora", ADMINISTRATOR);
    let tz = h
        .ask(&admin, "timezone", vec![opt("zone", "Asia/Kolkata")])
        .await;
    assert_eq!(plain(&tz), "Timezone set to Asia/Kolkata.");

    // In a DM the user is their own admin.
    let own = h
        .ask(
            &dm(BEN, "Ben"),
            "timezone",
            vec![opt("zone", "America/New_York")],
        )
        .await;
    assert_eq!(plain(&own), "Timezone set to America/New_York.");
    let bad = h
        .ask(&dm(BEN, "Ben"), "timezone", vec![opt("zone", "Moon/Base")])
        .await;
    assert!(is_ephemeral(&bad) && plain(&bad).contains("not a timezone I know"));
}

#[tokio::test(flavor = "multi_thread")]
async fn hostile_input_and_names_cannot_mention_anyone() {
    let h = Harness::start().await;
    let echo = h
        .ask(
            &ana(),
            "topic",
            vec![opt("words", "@everyone <@123> **x**")],
        )
        .await;
    let content = echo["content"].as_str().unwrap();
    assert!(!content.contains("@everyone"), "{content}");
    assert!(
        content.contains("\\<@\u{200B}123\\>"),
        "the mention is shown, not formed: {content}"
    );
    assert_eq!(
        plain(&echo),
        "No topic matches \"@everyone <@123> **x**\". Try fewer or other words, or a section number like 7."
    );

    let mut here = member(BEN, "Ben", VIEW_AND_SEND);
    here.nick = Some("@here <@&42>".into());
    let quiz = h.ask(&here, "quiz", vec![]).await;
    h.click(&here, &quiz, &button(&quiz, correct_letter(&quiz)))
        .await;
    let board = h.ask(&ana(), "leaderboard", vec![]).await;
    let raw = board.to_string();
    assert!(plain(&board).contains("1. @here <@&42>: "), "{board}");
    assert!(!raw.contains("@here") && !raw.contains("<@&"), "{raw}");

    let messages: Vec<Call> =
        h.dc.calls()
            .into_iter()
            .filter(Call::carries_message)
            .collect();
    assert!(messages.len() >= 4);
    for c in &messages {
        assert_eq!(
            c.message_data()["allowed_mentions"],
            json!({"parse": [], "users": [], "roles": []}),
            "{} {}",
            c.method,
            c.path
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn autocomplete_offers_sections_topics_and_timezones() {
    let h = Harness::start().await;
    let sent = h.dc.autocomplete(&ana(), "quiz", "target", "");
    let choices = h.dc.choices(&sent).await;
    assert_eq!(
        choices[0],
        json!({"name": "00 · Basics", "value": "basics"})
    );
    assert!(choices.iter().any(|c| c["value"] == "alpha"));
    let sent = h.dc.autocomplete(&ana(), "topic", "words", "del");
    assert_eq!(h.dc.choices(&sent).await[0]["value"], "delta");
    let sent = h.dc.autocomplete(&ana(), "timezone", "zone", "berl");
    assert_eq!(h.dc.choices(&sent).await[0]["value"], "Europe/Berlin");
    assert_eq!(
        h.dc.callbacks(&sent)[0]["type"],
        8,
        "an autocomplete result, not a message"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn forged_buttons_are_acknowledged_and_unknown_quizzes_explained() {
    let h = Harness::start().await;
    let today = h.ask(&ana(), "today", vec![]).await;
    let forged = h.dc.click(&ana(), &today, "a:999999:Z");
    h.dc.wait("the acknowledgement", 20, |v| {
        v.calls()
            .iter()
            .any(|c| c.path.contains(&forged.token))
            .then_some(())
    })
    .await;
    assert_eq!(h.dc.callbacks(&forged), [json!({"type": 6, "data": null})]);
    let stale = h.click(&ana(), &today, "a:999999:A").await;
    assert!(is_ephemeral(&stale));
    assert_eq!(
        plain(&stale),
        "There is no quiz to answer here yet. Send /quiz to get one."
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn a_redelivered_interaction_is_answered_and_applied_once() {
    let h = Harness::start_with(&[
        ("DISCORD_GUILD_ID", GUILD.to_string()),
        ("RUST_LOG", "info,studybot=debug".to_string()),
    ])
    .await;
    let next = h.dc.slash(&cleo_manager(), "next", vec![]);
    assert_eq!(h.dc.reply(&next).await["embeds"][0]["title"], "Beta topic");
    h.dc.redeliver(&next);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while !h.logs().contains("discord: interaction already handled") {
        assert!(tokio::time::Instant::now() < deadline, "{}", h.logs());
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    assert_eq!(h.dc.callbacks(&next).len(), 1, "no second response");
    let today = h.ask(&ana(), "today", vec![]).await;
    assert_eq!(today["embeds"][0]["title"], "Beta topic", "moved once");
}

#[tokio::test(flavor = "multi_thread")]
async fn a_slow_command_is_deferred_in_time_and_completed_by_an_edit() {
    let h = Harness::start().await;
    // Hold SQLite's write lock so the bot's transaction waits.
    let store = studybot::store::Store::open(&h.db).await.unwrap();
    let lock = store.begin().await.unwrap();
    let sent = h.dc.slash(&ana(), "today", vec![]);
    h.dc.wait("the deferral", 20, |v| {
        v.calls()
            .iter()
            .any(|c| c.path.contains(&sent.token) && c.body["type"] == 5)
            .then_some(())
    })
    .await;
    drop(lock);
    let today = h.dc.reply(&sent).await;
    assert_eq!(today["embeds"][0]["title"], "Alpha topic");
    assert_eq!(
        h.dc.callbacks(&sent).len(),
        1,
        "the deferral was the only callback"
    );
    let edit =
        h.dc.calls()
            .into_iter()
            .find(|c| c.method == "PATCH" && c.path.ends_with("/messages/@original"))
            .unwrap();
    assert_eq!(edit.body["allowed_mentions"]["parse"], json!([]));
    store.close().await;
}

#[tokio::test(flavor = "multi_thread")]
async fn sigterm_stops_the_bot_cleanly_and_no_token_reaches_the_logs() {
    let mut h = Harness::start_with(&[
        ("DISCORD_GUILD_ID", GUILD.to_string()),
        ("RUST_LOG", "info,studybot=debug".to_string()),
    ])
    .await;
    h.dc.fail_next(
        "POST",
        "/callback",
        500,
        json!({"message": "500: Internal Server Error", "code": 0}),
    );
    let help = h.ask(&ana(), "help", vec![]).await;
    assert!(
        plain(&help).contains("/quiz"),
        "answered after a retry: {help}"
    );
    let bot = h.bot.take().unwrap();
    let log = bot.log.clone();
    assert_eq!(
        bot.terminate(Duration::from_secs(20)).await,
        Some(0),
        "SIGTERM exits 0"
    );
    let logs = std::fs::read_to_string(log).unwrap();
    for expected in [
        "discord: connected",
        "discord: slash commands registered",
        "discord: responding failed, retrying",
        "discord: shutting down",
    ] {
        assert!(logs.contains(expected), "{expected}:\n{logs}");
    }
    for secret in TOKEN.split('.').skip(1) {
        assert!(!logs.contains(secret), "the token leaked into the logs");
    }
    assert!(
        !logs.contains("itoken-"),
        "interaction tokens stay out of the logs too:\n{logs}"
    );
    let calls = h.dc.calls();
    assert!(
        calls
            .iter()
            .filter(|c| !c.path.contains("/interactions/") && !c.path.contains("/webhooks/"))
            .all(|c| c.auth.as_deref() == Some(format!("Bot {TOKEN}").as_str())),
        "every authenticated route got the token"
    );
}

/// At `RUST_LOG=debug` serenity's request spans show interaction tokens (valid 15 minutes), but
/// the bot token stays redacted.
#[tokio::test(flavor = "multi_thread")]
async fn even_debug_logs_keep_the_bot_token_out() {
    let h = Harness::start_with(&[
        ("DISCORD_GUILD_ID", GUILD.to_string()),
        ("RUST_LOG", "debug".to_string()),
    ])
    .await;
    h.ask(&ana(), "today", vec![]).await;
    // Heartbeats are acknowledged: the session stays, nobody reconnects.
    h.dc.wait("two acknowledged heartbeats", 20, |v| {
        (v.heartbeats() >= 2).then_some(())
    })
    .await;
    assert_eq!(h.dc.identified(), 1, "one session, no reconnect");
    let logs = h.logs();
    assert!(logs.contains("DEBUG"), "debug logging is on");
    assert!(
        logs.contains("discord: guild available"),
        "GUILD_CREATE was accepted"
    );
    for secret in TOKEN.split('.').skip(1) {
        assert!(!logs.contains(secret), "the token leaked into the logs");
    }
}

/// The entry point the push scheduler uses, against the fake's REST side.
#[tokio::test(flavor = "multi_thread")]
async fn the_push_outbox_posts_replies_without_mentions_and_reports_gone_channels() {
    use studybot::adapters::discord::{Outbox, SendError};
    use studybot::core::{Block, Reply};
    let dc = FakeDiscord::start(TOKEN).await;
    let config = studybot::config::Config::from_vars(|k| match k {
        "DISCORD_TOKEN" => Some(TOKEN.to_string()),
        "DISCORD_API_URL" => Some(dc.url.clone()),
        _ => None,
    })
    .unwrap();
    let outbox = Outbox::new(&config.discord.unwrap());
    let mut reply = Reply::default();
    reply.push(Block::Heading("Today's topic: @everyone".into()));
    reply.para("Read it <@&1>.");
    outbox.send_topic(CHANNEL, &reply).await.unwrap();
    let posts: Vec<Call> = dc
        .calls()
        .into_iter()
        .filter(|c| c.method == "POST" && c.path == format!("/api/v10/channels/{CHANNEL}/messages"))
        .collect();
    assert_eq!(posts.len(), 1);
    assert_eq!(posts[0].body["allowed_mentions"]["parse"], json!([]));
    assert_eq!(
        posts[0].auth.as_deref(),
        Some(format!("Bot {TOKEN}").as_str())
    );
    let title = posts[0].body["embeds"][0]["title"].as_str().unwrap();
    assert!(!title.contains("@everyone"), "{title}");

    dc.fail_next(
        "POST",
        "/messages",
        403,
        json!({"message": "Missing Access", "code": 50001}),
    );
    let gone = outbox.send_topic(CHANNEL, &reply).await;
    assert!(
        matches!(gone, Err(SendError::Gone { status: 403 })),
        "{gone:?}"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn slash_commands_carry_hinglish_descriptions_and_a_hindi_client_is_answered_in_hinglish() {
    let h = Harness::start().await;
    let put = h.registration();
    let cmds = put.body.as_array().unwrap();
    assert_eq!(cmds.len(), COMMANDS.len());
    for (cmd, help) in cmds.iter().zip(COMMANDS) {
        let hi = cmd["description_localizations"]["hi"].as_str().unwrap();
        assert_eq!(hi, help.hinglish.description, "{}", help.name);
        assert_ne!(hi, cmd["description"].as_str().unwrap(), "{}", help.name);
    }
    let language = cmds.iter().find(|c| c["name"] == "language").unwrap();
    let choices: Vec<&str> = language["options"][0]["choices"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["value"].as_str().unwrap())
        .collect();
    assert_eq!(choices, ["english", "hinglish"]);

    // A member whose client is in Hindi, in a channel whose language nobody set: the channel's
    // messages stay English, what only they see is Hinglish.
    let dora = member(DORA, "Dora", VIEW_AND_SEND);
    let sent = h.dc.slash_in(&dora, "streak", vec![], "hi");
    let streak = plain(&h.dc.reply(&sent).await);
    assert!(streak.contains("Streak: 0 days"), "{streak}");
    let sent =
        h.dc.slash_in(&dora, "mark", vec![opt("status", "maybe")], "hi");
    let refused = h.dc.reply(&sent).await;
    assert!(is_ephemeral(&refused));
    assert!(plain(&refused).contains("koi status nahi hai"), "{refused}");

    // In her DM the bot speaks Hinglish to her.
    let alone = dm(DORA, "Dora");
    let sent = h.dc.slash_in(&alone, "streak", vec![], "hi");
    let streak = plain(&h.dc.reply(&sent).await);
    assert!(streak.contains("Streak: 0 din"), "{streak}");

    // A manager sets the channel's language: its messages switch for everyone.
    let set = h
        .ask(
            &cleo_manager(),
            "language",
            vec![opt("language", "hinglish")],
        )
        .await;
    assert!(
        plain(&set).contains("ab se is chat mein main Hinglish mein baat karunga"),
        "{set}"
    );
    let streak = plain(&h.ask(&ana(), "streak", vec![]).await);
    assert!(streak.contains("Streak: 0 din"), "{streak}");
}
