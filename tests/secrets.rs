//! Secrets never reach the logs: the bot runs at `RUST_LOG=trace` through a session on both fake
//! platforms (commands, a quiz, a poll answer, buttons, an API error), and no log line holds the
//! Telegram token, the Discord token or any part of either that is secret.

mod support;

use serde_json::json;
use support::discord::{self as dc, FakeDiscord};
use support::process::BotProcess;
use support::telegram::{self as tg, FakeTelegram};

const TG_TOKEN: &str = "987654321:AAEsecretTELEGRAMtoken_abcdef0123456789";
const DC_TOKEN: &str = "MTk4NzY1NDMyMTA5ODc2NTQz.GsEcRt.discordSecretPart_0123456789abcdefXYZ";

/// The strings that must not appear: the whole tokens and their secret parts.
fn secrets() -> Vec<&'static str> {
    let tg_secret = TG_TOKEN.split_once(':').unwrap().1;
    let dc_parts: Vec<&str> = DC_TOKEN.split('.').collect();
    vec![TG_TOKEN, tg_secret, DC_TOKEN, dc_parts[1], dc_parts[2]]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn no_log_line_at_trace_level_holds_a_token() {
    let telegram = FakeTelegram::start(TG_TOKEN).await;
    let discord = FakeDiscord::start(DC_TOKEN).await;
    let dir = tempfile::tempdir().unwrap();
    let mut env = support::env_on_both(
        &telegram,
        TG_TOKEN,
        &discord,
        DC_TOKEN,
        &dir.path().join("s.db"),
    );
    env.extend([
        ("STUDYBOT_NOW", "2026-03-02T10:00:00Z".to_string()),
        ("RUST_LOG", "trace".to_string()),
    ]);
    let bot = BotProcess::spawn(dir.path(), &env);
    telegram
        .wait_for("setMyCommands", 60, |c| {
            c.iter().any(|c| c.method == "setmycommands")
        })
        .await;
    discord.wait_for_registration().await;

    // Telegram: commands, a quiz poll and a vote, a button, and a send that fails.
    const ANA: i64 = 42;
    telegram.push(tg::text_message(ANA, ANA, "Ana", "/start"));
    telegram.push(tg::text_message(ANA, ANA, "Ana", "/quiz"));
    telegram
        .wait_for("the quiz poll", 30, |c| {
            c.iter().any(|c| c.method == "sendpoll")
        })
        .await;
    telegram.push(tg::poll_answer("poll-1", ANA, "Ana", 0));
    telegram.push(tg::callback(ANA, ANA, "Ana", "next"));
    let unauthorized = json!({"ok": false, "error_code": 401, "description": "Unauthorized"});
    telegram.fail_next("sendmessage", 401, unauthorized);
    telegram.push(tg::text_message(ANA, ANA, "Ana", "/today"));
    telegram.push(tg::text_message(ANA, ANA, "Ana", "/help"));
    telegram
        .wait_for("the /help answer", 30, |c| {
            c.iter().any(|c| {
                c.method == "sendmessage"
                    && c.body["text"].as_str().unwrap_or("").contains("Commands:")
            })
        })
        .await;

    // Discord: commands, a quiz, a click on its answer, and an interaction callback that fails.
    let ana = dc::member(1001, "Ana", dc::VIEW_AND_SEND);
    discord.reply(&discord.slash(&ana, "today", vec![])).await;
    let quiz = discord.reply(&discord.slash(&ana, "quiz", vec![])).await;
    let first = dc::custom_ids(&quiz)[0].clone();
    discord.reply(&discord.click(&ana, &quiz, &first)).await;
    discord.fail_next(
        "POST",
        "/callback",
        500,
        json!({"message": "oops", "code": 0}),
    );
    let failed = discord.slash(&ana, "streak", vec![]);
    discord
        .wait("the failed callback", 30, |v| {
            v.calls()
                .iter()
                .any(|c| c.path.contains(&failed.token) && c.status == 500)
                .then_some(())
        })
        .await;
    discord.reply(&discord.slash(&ana, "help", vec![])).await;

    let log_path = bot.log.clone();
    let code = bot.terminate(std::time::Duration::from_secs(20)).await;
    assert_eq!(code, Some(0));
    let log = std::fs::read_to_string(log_path).unwrap();
    let lines = log.lines().count();
    assert!(lines > 200, "trace logging is on ({lines} lines)");
    for (n, line) in log.lines().enumerate() {
        for secret in secrets() {
            assert!(
                !line.contains(secret),
                "log line {} holds a secret ({secret:.6}…): {line:.300}",
                n + 1
            );
        }
    }
    // Interaction tokens (the fake's are `itoken-N`) are secrets for 15 minutes: the bot keeps
    // the log targets that print them below debug.
    let interaction_tokens: Vec<&str> = log.lines().filter(|l| l.contains("itoken-")).collect();
    assert!(
        interaction_tokens.is_empty(),
        "{} log lines hold an interaction token, e.g. {:.300}",
        interaction_tokens.len(),
        interaction_tokens[0]
    );
    eprintln!("secrets: {lines} trace log lines, no bot or interaction token in any");
}
