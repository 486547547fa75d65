//! Daily pushes through the real serenity client in the built binary against the fake Discord:
//! a 1,000-channel fan-out, a channel the bot lost access to, Discord-shaped 429s, and no mentions
//! on anything pushed.

mod support;

use serde_json::{Value, json};
use std::collections::HashMap;
use std::path::Path;
use std::time::Duration;
use studybot::core::{ChatKind, Ctx, Platform};
use support::discord::*;
use support::process::BotProcess;
use support::{fixture_dir, seed_subscriptions, utc};

/// Three dot-separated parts, like a real bot token.
const TOKEN: &str = "MTIzNDU2Nzg5MDEyMzQ1Njc4.PuShEs.fakeDiscordPushSecret_0123456789abc";
const CHANNELS: u64 = 1000;
/// All channels share the 09:00 UTC fire; the bot runs 30 s after it.
const NOW: &str = "2026-03-02T09:00:30Z";
/// The admin who typed `/subscribe` in every channel.
const ADMIN: u64 = 1001;

/// The id of the `n`th subscribed text channel (a snowflake, as Discord's are).
fn channel(n: u64) -> u64 {
    830_000_000_000_000_000 + n
}

fn messages_path(channel: u64) -> String {
    format!("/channels/{channel}/messages")
}

/// Subscribes channels `1..=n` to a 09:00 UTC push, through the core as `/subscribe` would.
async fn seed(db: &Path, n: u64) {
    let chats = (1..=n).map(|n| Ctx {
        platform: Platform::Discord,
        caps: studybot::adapters::discord::CAPABILITIES,
        chat_id: channel(n).to_string(),
        chat_kind: ChatKind::Group,
        user_id: ADMIN.to_string(),
        user_name: "Cleo".to_string(),
        is_admin: true,
        now: utc("2026-03-02T08:00:00Z"),
        event: None,
        lang: studybot::core::Lang::English,
    });
    seed_subscriptions(db, chats).await;
}

fn start(dir: &Path, dc: &FakeDiscord, extra: &[(&str, String)]) -> BotProcess {
    let mut env = vec![
        ("DISCORD_TOKEN", TOKEN.to_string()),
        ("DISCORD_API_URL", dc.url.clone()),
        ("PUSH_CONCURRENCY", "32".to_string()),
        (
            "DATABASE_URL",
            format!("sqlite://{}", dir.join("push.db").display()),
        ),
        ("CONTENT_DIR", fixture_dir().display().to_string()),
        ("STUDYBOT_NOW", NOW.to_string()),
    ];
    env.extend(extra.iter().map(|(k, v)| (*k, v.clone())));
    BotProcess::spawn(dir, &env)
}

/// A message body's visible text: content, then each embed's title and description.
fn text(body: &Value) -> String {
    let mut parts = vec![body["content"].as_str().unwrap_or("").to_string()];
    for e in body["embeds"].as_array().into_iter().flatten() {
        for field in [&e["title"], &e["description"]] {
            if let Some(s) = field.as_str() {
                parts.push(s.to_string());
            }
        }
    }
    parts.join("\n")
}

/// The bot posting a message into a channel (a push, a retry of one, or a refused attempt).
fn is_post(c: &Call) -> bool {
    c.method == "POST" && c.channel().is_some() && c.path.ends_with("/messages")
}

/// A push of the daily topic: a message whose text carries the "Today's topic" note.
fn is_push(c: &Call) -> bool {
    is_post(c) && text(&c.body).contains("Today's topic")
}

/// Successful daily-topic pushes per channel.
fn pushes_per_channel(calls: &[Call]) -> HashMap<u64, usize> {
    let mut per = HashMap::new();
    for c in calls.iter().filter(|c| c.ok() && is_push(c)) {
        *per.entry(c.channel().unwrap()).or_default() += 1;
    }
    per
}

/// Waits until `expected` channels have their push, then stops the bot (which must exit 0) so no
/// further send can come, and returns every call and the bot's logs.
async fn fan_out(dc: &FakeDiscord, expected: usize, bot: BotProcess) -> (Vec<Call>, String) {
    dc.wait_for("a push to every channel", 90, |calls| {
        pushes_per_channel(calls).len() >= expected
    })
    .await;
    let logs = bot.logs();
    assert_eq!(bot.terminate(Duration::from_secs(15)).await, Some(0));
    (dc.calls(), logs)
}

async fn subscription_active(db: &Path, channel: u64) -> bool {
    support::subscription_active(db, Platform::Discord, &channel.to_string()).await
}

#[tokio::test(flavor = "multi_thread")]
async fn a_thousand_channels_get_exactly_one_push_a_forbidden_channel_is_paused_and_429s_are_waited_out()
 {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("push.db");
    seed(&db, CHANNELS).await;
    let dc = FakeDiscord::start(TOKEN).await;
    let forbidden = channel(7);
    dc.forbid_channel(forbidden);
    // Route-bucket 429s on two channels (one of them twice in a row), then two bot-wide ones
    // for whichever posts come first. Channel-specific ones are queued first so they are the
    // ones those channels meet.
    const ROUTE_RETRY_AFTER: f64 = 0.5;
    const GLOBAL_RETRY_AFTER: f64 = 0.25;
    let limited_channels = [channel(21), channel(42)];
    let limited = [channel(21), channel(42), channel(42)];
    for c in limited {
        dc.rate_limit_next("POST", &messages_path(c), ROUTE_RETRY_AFTER, false);
    }
    for _ in 0..2 {
        dc.rate_limit_next("POST", "/messages", GLOBAL_RETRY_AFTER, true);
    }
    let injected_429s = limited.len() + 2;
    let bot = start(dir.path(), &dc, &[("DISCORD_RATE_LIMIT", "0".to_string())]);

    let (calls, logs) = fan_out(&dc, CHANNELS as usize - 1, bot).await;
    let per = pushes_per_channel(&calls);
    assert_eq!(
        per.len() as u64,
        CHANNELS - 1,
        "every channel but the forbidden one"
    );
    let doubled: Vec<_> = per.iter().filter(|&(_, &n)| n != 1).collect();
    assert!(
        doubled.is_empty(),
        "exactly one push per channel: {doubled:?}"
    );
    assert!(!per.contains_key(&forbidden));
    assert!(
        (1..=CHANNELS).all(|n| n == 7 || per.contains_key(&channel(n))),
        "the pushes went to the subscribed channels"
    );
    // Each push is the chat's first topic with its "Quiz me" button.
    for c in calls.iter().filter(|c| c.ok() && is_push(c)) {
        assert!(text(&c.body).contains("Alpha topic"), "{}", c.body);
        assert!(c.body.to_string().contains("\"q:alpha\""), "{}", c.body);
    }

    // The forbidden channel: refused once, never tried again (retrying 403s gets bots banned).
    let to_forbidden: Vec<&Call> = calls
        .iter()
        .filter(|c| c.channel() == Some(forbidden))
        .collect();
    let refused = to_forbidden.iter().filter(|c| c.status == 403).count();
    assert_eq!(refused, 1, "{to_forbidden:?}");
    assert_eq!(
        to_forbidden.last().unwrap().status,
        403,
        "nothing after the 403"
    );

    // Every injected 429 was met, and each was waited out: the same request came again, no
    // sooner than `retry_after` (a lower bound, not a timing of the run), and then got through.
    let rate_limited: Vec<(usize, &Call)> = calls
        .iter()
        .enumerate()
        .filter(|(_, c)| c.status == 429)
        .collect();
    assert_eq!(rate_limited.len(), injected_429s, "{rate_limited:?}");
    for (i, limited) in &rate_limited {
        let route_limited = limited
            .channel()
            .is_some_and(|c| limited_channels.contains(&c));
        let retry_after = Duration::from_secs_f64(if route_limited {
            ROUTE_RETRY_AFTER
        } else {
            GLOBAL_RETRY_AFTER
        });
        let again = calls[i + 1..]
            .iter()
            .find(|c| c.method == "POST" && c.path == limited.path)
            .unwrap_or_else(|| panic!("no retry after the 429 on {}", limited.path));
        assert!(
            again.at.duration_since(limited.at) >= retry_after,
            "retried {:?} after a 429 with retry_after {retry_after:?}",
            again.at.duration_since(limited.at)
        );
        assert_eq!(again.body, limited.body, "the same message again");
    }
    for c in limited_channels {
        assert_eq!(
            per.get(&c),
            Some(&1),
            "channel {c} got its push after the 429s"
        );
    }

    let waits = logs
        .lines()
        .filter(|l| l.contains("discord: sending a message failed, retrying") && l.contains("429"))
        .count();
    assert_eq!(
        waits, injected_429s,
        "each 429 was logged and waited out:\n{logs}"
    );
    assert!(
        logs.lines()
            .any(|l| l.contains("chat is gone; pausing its subscription")
                && l.contains(&forbidden.to_string())),
        "{logs}"
    );
    for secret in TOKEN.split('.').skip(1) {
        assert!(!logs.contains(secret), "the token leaked into the logs");
    }
    assert!(
        !subscription_active(&db, forbidden).await,
        "the forbidden channel's subscription is paused"
    );
    assert!(
        subscription_active(&db, channel(8)).await,
        "the others stay active"
    );
    assert!(
        subscription_active(&db, channel(21)).await,
        "a 429 pauses nothing"
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn every_push_request_carries_allowed_mentions_that_parse_nothing() {
    // Through the default limiter (`DISCORD_RATE_LIMIT` unset), on a smaller fan-out.
    const FEW: u64 = 100;
    let dir = tempfile::tempdir().unwrap();
    seed(&dir.path().join("push.db"), FEW).await;
    let dc = FakeDiscord::start(TOKEN).await;
    dc.rate_limit_next("POST", "/messages", 0.25, true);
    let bot = start(dir.path(), &dc, &[]);

    let (calls, _) = fan_out(&dc, FEW as usize, bot).await;
    let per = pushes_per_channel(&calls);
    assert_eq!(per.len() as u64, FEW);
    assert!(per.values().all(|&n| n == 1));
    let posts: Vec<&Call> = calls.iter().filter(|c| is_post(c)).collect();
    assert_eq!(
        posts.len() as u64,
        FEW + 1,
        "one push per channel and one retry"
    );
    for c in posts {
        let allowed = &c.body["allowed_mentions"];
        assert_eq!(allowed["parse"], json!([]), "{} {}", c.path, c.body);
        for list in ["users", "roles"] {
            assert!(
                allowed
                    .get(list)
                    .is_none_or(|v| v.as_array().is_some_and(Vec::is_empty)),
                "no {list} may be pinged: {allowed}"
            );
        }
        assert_ne!(allowed["replied_user"], json!(true));
    }
}
