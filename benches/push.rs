//! Push fan-out benchmark: the real scheduler and Telegram client (teloxide) in-process against
//! the fake Bot API server on 127.0.0.1, over a real SQLite file.
//!
//! `cargo bench --bench push` (or `-- --chats 10000 --limited-chats 900`). Prints a Markdown
//! table for BENCHMARKS.md.

mod common;
#[path = "../tests/support/telegram.rs"]
mod telegram;
#[path = "../tests/support/telegram_html.rs"]
mod telegram_html;

use common::{app_on, arg, utc};
use std::sync::Arc;
use std::time::Instant;
use studybot::adapters::telegram::Telegram;
use studybot::config::{Secret, TelegramConfig};
use studybot::core::{App, ChatKind, Clock, Command, Ctx, DailyAt, FixedClock, Platform};
use studybot::scheduler::{Scheduler, SchedulerConfig};
use telegram::FakeTelegram;

const TOKEN: &str = "123456789:AAEbenchTOKEN_0123456789abcdef";

async fn seed(app: &App, chats: usize) {
    for chat in 1..=chats {
        let ctx = Ctx {
            platform: Platform::Telegram,
            caps: studybot::adapters::telegram::CAPABILITIES,
            chat_id: chat.to_string(),
            chat_kind: ChatKind::Private,
            user_id: chat.to_string(),
            user_name: format!("learner {chat}"),
            is_admin: false,
            now: utc("2026-03-02T08:00:00Z"),
            event: None,
            lang: studybot::core::Lang::English,
        };
        let at = Some(DailyAt { hour: 9, minute: 0 });
        app.respond(&ctx, Command::Subscribe { at, timezone: None })
            .await;
    }
}

struct Run {
    chats: usize,
    sent: usize,
    secs: f64,
    limited_429: usize,
}

/// Seeds `chats` subscriptions, then times one scheduler round that pushes them all.
async fn run(chats: usize, rate_limit: u32, concurrency: usize, enforce: Option<usize>) -> Run {
    let dir = tempfile::tempdir().unwrap();
    let app = app_on(&dir.path().join("bench.db")).await;
    seed(&app, chats).await;
    let tg = FakeTelegram::start(TOKEN).await;
    if let Some(l) = enforce {
        tg.enforce_rate(l);
    }
    let config = TelegramConfig {
        token: Secret::new(TOKEN),
        rate_limit,
        api_url: Some(url::Url::parse(&tg.url).unwrap()),
        webhook: None,
    };
    let telegram = Telegram::connect(app.clone(), &config).await.unwrap();
    let clock: Arc<dyn Clock> = Arc::new(FixedClock::new(utc("2026-03-02T09:00:30Z")));
    let scheduler = Scheduler::new(
        app.clone(),
        clock,
        SchedulerConfig {
            concurrency,
            ..SchedulerConfig::default()
        },
    )
    .with_target(Platform::Telegram, telegram.pusher(rate_limit));
    let start = Instant::now();
    let round = scheduler.push_due().await.unwrap();
    let secs = start.elapsed().as_secs_f64();
    Run {
        chats,
        sent: round.sent,
        secs,
        limited_429: tg.rate_limited(),
    }
}

/// Only the store side: claiming every due fire (no sends), to see where the time goes.
async fn claim_only(chats: usize) -> (usize, f64) {
    let dir = tempfile::tempdir().unwrap();
    let app = app_on(&dir.path().join("claim.db")).await;
    seed(&app, chats).await;
    let now = utc("2026-03-02T09:00:30Z");
    let start = Instant::now();
    let mut n = 0;
    loop {
        let jobs = app
            .schedules()
            .claim_due_pushes(now, chrono::Duration::hours(6), 500)
            .await
            .unwrap();
        if jobs.is_empty() {
            break;
        }
        n += jobs.len();
    }
    (n, start.elapsed().as_secs_f64())
}

#[tokio::main]
async fn main() {
    if std::env::args().any(|a| a == "--claim-only") {
        let (n, secs) = claim_only(arg("--chats", 10_000)).await;
        println!("claimed {n} in {secs:.2}s = {:.0}/s", n as f64 / secs);
        return;
    }
    let chats = arg("--chats", 10_000);
    let limited_chats = arg("--limited-chats", 900);
    let concurrency = arg("--concurrency", 64);
    let off = run(chats, 0, concurrency, None).await;
    println!("| scenario | chats | pushed | seconds | rate | 429s |");
    println!("|---|---|---|---|---|---|");
    println!(
        "| limiter off, concurrency {concurrency} | {} | {} | {:.2} | {:.0} pushes/s | {} |",
        off.chats,
        off.sent,
        off.secs,
        off.sent as f64 / off.secs,
        off.limited_429
    );
    let limit = 30;
    let on = run(limited_chats, limit, concurrency, Some(limit as usize)).await;
    let rate = on.sent as f64 / on.secs;
    println!(
        "| Telegram limits on ({limit}/s; fake refuses more than {limit} in any second) | {} | {} | {:.2} | {:.2} pushes/s = {:.1}% of the limit | {} |",
        on.chats,
        on.sent,
        on.secs,
        rate,
        100.0 * rate / f64::from(limit),
        on.limited_429
    );
}
