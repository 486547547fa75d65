//! Push fan-out benchmark: the real scheduler and Telegram client (teloxide) in-process against
//! the fake Bot API server on 127.0.0.1, over a real SQLite file (or, with `--postgres ADMIN_URL`,
//! a fresh PostgreSQL database).
//!
//! `cargo bench --bench push` (or `-- --chats 10000 --limited-chats 900`). Prints a Markdown
//! table for BENCHMARKS.md. `--instances K`: K app instances (own store, own Telegram client, own
//! scheduler) on the one database run `push_due` at once over the same chats, as bot instances
//! sharing a PostgreSQL database do; on SQLite they queue on the one file. The rate-limited run
//! always uses one instance (the limiter is per process). `--limited-chats 0` skips it.

mod common;
#[path = "../tests/support/telegram.rs"]
mod telegram;
#[path = "../tests/support/telegram_html.rs"]
mod telegram_html;

use common::{BenchDb, arg, load_average, utc};
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

/// Seeds `chats` subscriptions, then times one scheduler round on each of `instances` instances
/// (at once) that together push them all.
async fn run(
    chats: usize,
    rate_limit: u32,
    concurrency: usize,
    enforce: Option<usize>,
    instances: usize,
) -> Run {
    let db = BenchDb::new("bench").await;
    let app = db.app().await;
    seed(&app, chats).await;
    let mut apps = vec![app];
    for _ in 1..instances {
        apps.push(db.app().await);
    }
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
    let clock: Arc<dyn Clock> = Arc::new(FixedClock::new(utc("2026-03-02T09:00:30Z")));
    let mut schedulers = Vec::new();
    for app in &apps {
        let telegram = Telegram::connect(app.clone(), &config).await.unwrap();
        let scheduler = Scheduler::new(
            app.clone(),
            clock.clone(),
            SchedulerConfig {
                concurrency,
                sole_instance: instances == 1,
                ..SchedulerConfig::default()
            },
        )
        .with_target(Platform::Telegram, telegram.pusher(rate_limit));
        schedulers.push(scheduler);
    }
    let start = Instant::now();
    let rounds = futures::future::join_all(schedulers.iter().map(|s| s.push_due())).await;
    let secs = start.elapsed().as_secs_f64();
    let sent = rounds.into_iter().map(|r| r.unwrap().sent).sum();
    for app in &apps {
        app.store().close().await;
    }
    Run {
        chats,
        sent,
        secs,
        limited_429: tg.rate_limited(),
    }
}

/// Only the store side: claiming every due fire (no sends), to see where the time goes.
async fn claim_only(chats: usize) -> (usize, f64) {
    let db = BenchDb::new("claim").await;
    let app = db.app().await;
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
    let secs = start.elapsed().as_secs_f64();
    app.store().close().await;
    (n, secs)
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
    let instances = arg("--instances", 1).max(1);
    let engine = match common::arg_str("--postgres") {
        Some(_) => "PostgreSQL",
        None => "SQLite",
    };
    println!("load average before: {}", load_average());
    let off = run(chats, 0, concurrency, None, instances).await;
    let who = if instances == 1 {
        format!("concurrency {concurrency}")
    } else {
        format!("{instances} instances × concurrency {concurrency}")
    };
    println!("engine: {engine}, instances: {instances}");
    println!("| scenario | chats | pushed | seconds | rate | 429s |");
    println!("|---|---|---|---|---|---|");
    println!(
        "| limiter off, {who} | {} | {} | {:.2} | {:.0} pushes/s | {} |",
        off.chats,
        off.sent,
        off.secs,
        off.sent as f64 / off.secs,
        off.limited_429
    );
    println!("load average after: {}", load_average());
    if limited_chats == 0 {
        return;
    }
    let limit = 30;
    let on = run(
        limited_chats,
        limit,
        concurrency,
        Some(limit as usize),
        1, // Telegram's limit is per bot token, the limiter per process: one instance.
    )
    .await;
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
