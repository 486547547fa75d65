//! Command rate limits in the built binary: a member over the limit hears "slow down" once and
//! then nothing, while buttons still work; expensive commands have their own lower limit.

mod support;

use support::discord::{self as dc, FakeDiscord};
use support::process::BotProcess;
use support::telegram::{self as tg, FakeTelegram};

const TG_TOKEN: &str = "123456789:AAElimitsTOKEN_0123456789abcdef";
const DC_TOKEN: &str = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GhJkLm.limitsDiscordSecret_0123456789abc";

fn limits() -> Vec<(&'static str, String)> {
    vec![
        ("USER_RATE_LIMIT", "3/h".to_string()),
        ("CHAT_RATE_LIMIT", "off".to_string()),
        ("EXPENSIVE_RATE_LIMIT", "1/h".to_string()),
        ("CONTENT_DIR", support::fixture_dir().display().to_string()),
        ("STUDYBOT_NOW", "2026-03-02T10:00:00Z".to_string()),
    ]
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_telegram_member_over_the_limit_hears_it_once_and_buttons_still_work() {
    const ANA: i64 = 42;
    const BEN: i64 = 43;
    let fake = FakeTelegram::start(TG_TOKEN).await;
    let dir = tempfile::tempdir().unwrap();
    let mut env = limits();
    env.extend([
        ("TELEGRAM_BOT_TOKEN", TG_TOKEN.to_string()),
        ("TELEGRAM_API_URL", fake.url.clone()),
        (
            "DATABASE_URL",
            format!("sqlite://{}", dir.path().join("l.db").display()),
        ),
    ]);
    let _bot = BotProcess::spawn(dir.path(), &env);
    fake.wait_for("setMyCommands", 30, |c| {
        c.iter().any(|c| c.method == "setmycommands")
    })
    .await;

    for _ in 0..6 {
        fake.push(tg::text_message(ANA, ANA, "Ana", "/streak"));
    }
    // A button is an answer, not a command: never limited. Updates of a chat are handled in
    // order, so its reply also means the six commands were handled.
    fake.push(tg::callback(ANA, ANA, "Ana", "next"));
    let texts = fake.wait_texts(ANA, 5).await;
    let slow: Vec<&String> = texts.iter().filter(|t| t.contains("Slow down")).collect();
    assert_eq!(slow.len(), 1, "one note: {texts:#?}");
    assert!(slow[0].contains("try again in "), "{}", slow[0]);
    assert_eq!(
        texts.iter().filter(|t| t.starts_with("Streak:")).count(),
        3,
        "{texts:#?}"
    );
    assert!(
        texts[4].contains("Beta topic"),
        "then silence, and the button works: {texts:#?}"
    );

    // Expensive commands: one export an hour here, while cheap commands still go through.
    for text in ["/export", "/export", "/streak"] {
        fake.push(tg::text_message(BEN, BEN, "Ben", text));
    }
    let texts = fake.wait_texts(BEN, 3).await;
    assert!(texts[1].contains("Slow down"), "{texts:#?}");
    assert!(texts[2].starts_with("Streak:"), "{texts:#?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_discord_member_over_the_limit_is_told_privately_and_buttons_still_work() {
    let fake = FakeDiscord::start(DC_TOKEN).await;
    let dir = tempfile::tempdir().unwrap();
    let mut env = limits();
    env.extend([
        ("DISCORD_TOKEN", DC_TOKEN.to_string()),
        ("DISCORD_API_URL", fake.url.clone()),
        ("DISCORD_GUILD_ID", dc::GUILD.to_string()),
        (
            "DATABASE_URL",
            format!("sqlite://{}", dir.path().join("l.db").display()),
        ),
    ]);
    let _bot = BotProcess::spawn(dir.path(), &env);
    fake.wait_for_registration().await;
    let ana = dc::member(1001, "Ana", dc::VIEW_AND_SEND);
    let today = fake.reply(&fake.slash(&ana, "today", vec![])).await;
    fake.reply(&fake.slash(&ana, "streak", vec![])).await;
    fake.reply(&fake.slash(&ana, "streak", vec![])).await;
    let refused = fake.reply(&fake.slash(&ana, "streak", vec![])).await;
    assert!(dc::plain(&refused).contains("Slow down"), "{refused}");
    assert!(dc::is_ephemeral(&refused), "only the member sees it");
    // The topic's "Later" button still works for them.
    let later = dc::custom_ids(&today)
        .into_iter()
        .find(|id| id.starts_with("m:l:"))
        .unwrap();
    let marked = fake.reply(&fake.click(&ana, &today, &later)).await;
    assert!(!dc::plain(&marked).contains("Slow down"), "{marked}");
}
