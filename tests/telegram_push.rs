//! Daily pushes through the real teloxide client in the built binary against the fake Bot API:
//! a 1,000-chat fan-out, a blocked chat, rate limits, and a SIGKILL in the middle of it all.

mod support;

use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;
use studybot::core::Platform;
use support::fixture_dir;
use support::process::BotProcess;
use support::telegram::*;

const TOKEN: &str = "123456789:AAEpushTOKEN_0123456789abcdef";
const CHATS: i64 = 1000;
/// All chats share the 09:00 UTC fire; the bot runs 30 s after it.
const NOW: &str = "2026-03-02T09:00:30Z";

/// Subscribes `n` private chats to a 09:00 UTC push, through the core as `/subscribe` would.
async fn seed(db: &Path, n: i64) {
    support::seed_private_telegram_chats(db, n).await;
}

fn start(dir: &Path, tg: &FakeTelegram, concurrency: usize) -> BotProcess {
    BotProcess::spawn(
        dir,
        &[
            ("TELEGRAM_BOT_TOKEN", TOKEN.to_string()),
            ("TELEGRAM_API_URL", tg.url.clone()),
            ("TELEGRAM_RATE_LIMIT", "0".to_string()),
            ("PUSH_CONCURRENCY", concurrency.to_string()),
            (
                "DATABASE_URL",
                format!("sqlite://{}", dir.join("push.db").display()),
            ),
            ("CONTENT_DIR", fixture_dir().display().to_string()),
            ("STUDYBOT_NOW", NOW.to_string()),
        ],
    )
}

/// Pushes received per chat ("Today's topic" messages).
fn pushes_per_chat(tg: &FakeTelegram) -> HashMap<i64, usize> {
    let mut per = HashMap::new();
    for c in tg.calls("sendMessage").into_iter().filter(|c| c.ok) {
        if c.body["text"]
            .as_str()
            .is_some_and(|t| t.starts_with("<i>Today's topic</i>"))
        {
            *per.entry(c.body["chat_id"].as_i64().unwrap()).or_default() += 1;
        }
    }
    per
}

async fn subscription_active(db: &Path, chat: i64) -> bool {
    support::subscription_active(db, Platform::Telegram, &chat.to_string()).await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_thousand_chats_get_exactly_one_push_and_a_blocked_chat_is_paused() {
    let dir = tempfile::tempdir().unwrap();
    seed(&dir.path().join("push.db"), CHATS).await;
    let tg = FakeTelegram::start(TOKEN).await;
    tg.block_chat(7);
    tg.flood_next("sendMessage", 3);
    let bot = start(dir.path(), &tg, 32);
    tg.wait_for("a push to every chat", 60, |_| {
        pushes_per_chat(&tg).len() as i64 >= CHATS - 1
    })
    .await;
    // Stop the bot before looking, so a double push could not still be on its way.
    let logs = bot.logs();
    assert_eq!(bot.terminate(Duration::from_secs(15)).await, Some(0));
    let per = pushes_per_chat(&tg);
    assert_eq!(
        per.len() as i64,
        CHATS - 1,
        "every chat but the blocked one"
    );
    assert!(per.values().all(|&n| n == 1), "exactly one push per chat");
    assert!(!per.contains_key(&7));
    assert!(
        logs.contains("rate limited, waiting"),
        "the 429s were waited out:\n{logs}"
    );
    assert!(
        logs.contains("chat is gone; pausing its subscription"),
        "{logs}"
    );
    assert!(!subscription_active(&dir.path().join("push.db"), 7).await);
    assert!(subscription_active(&dir.path().join("push.db"), 8).await);
}

#[tokio::test(flavor = "multi_thread")]
async fn a_sigkill_in_the_middle_of_a_fan_out_loses_nothing_and_doubles_at_most_the_sends_in_flight()
 {
    const IN_FLIGHT: usize = 4;
    let dir = tempfile::tempdir().unwrap();
    seed(&dir.path().join("push.db"), CHATS).await;
    let tg = FakeTelegram::start(TOKEN).await;
    tg.set_send_delay(Duration::from_millis(10));
    let mut bot = start(dir.path(), &tg, IN_FLIGHT);
    tg.wait_for("the fan-out to be under way", 60, |_| {
        pushes_per_chat(&tg).len() >= 200
    })
    .await;
    drop(bot); // SIGKILL
    let before_restart = pushes_per_chat(&tg).values().sum::<usize>();
    assert!(
        before_restart < CHATS as usize,
        "killed in the middle ({before_restart} sent)"
    );
    tg.set_send_delay(Duration::ZERO);
    bot = start(dir.path(), &tg, IN_FLIGHT);
    tg.wait_for("a push to every chat", 60, |_| {
        pushes_per_chat(&tg).len() as i64 >= CHATS
    })
    .await;
    let logs = bot.logs();
    assert_eq!(bot.terminate(Duration::from_secs(15)).await, Some(0));
    let per = pushes_per_chat(&tg);
    assert_eq!(per.len() as i64, CHATS, "every chat got its push");
    let duplicates: usize = per.values().map(|n| n - 1).sum();
    assert!(
        duplicates <= IN_FLIGHT,
        "{duplicates} duplicates with {IN_FLIGHT} sends in flight"
    );
    assert!(
        logs.contains("resent pushes left unconfirmed by a crash"),
        "{logs}"
    );
}
