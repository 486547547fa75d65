//! Burst benchmark: N `/quiz` commands from N private chats, all queued at once on the fake Bot
//! API server (`tests/support/telegram.rs`, 127.0.0.1, same process), answered by
//!
//! 1. studybot's real Telegram adapter (teloxide dispatcher → core → SQLite file → sendPoll), and
//! 2. a bare teloxide bot answering each `/quiz` with one fixed `sendPoll` and no store: the
//!    ceiling for this fake, this client and this machine.
//!
//! A reply's latency runs from the moment `getUpdates` handed its update out to the moment its
//! poll reached the fake. `cargo bench --bench burst -- --n 2000`.

mod common;
#[path = "../tests/support/telegram.rs"]
mod telegram;
#[path = "../tests/support/telegram_html.rs"]
mod telegram_html;

use common::{app_on, arg, cpu_seconds, load_average, percentile};
use std::sync::Arc;
use std::time::{Duration, Instant};
use studybot::adapters::telegram::Telegram;
use studybot::config::{Secret, TelegramConfig};
use studybot::core::{Clock, SystemClock};
use telegram::FakeTelegram;
use teloxide::prelude::*;
use teloxide::types::{InputPollOption, PollType};
use tokio_util::sync::CancellationToken;

const TOKEN: &str = "123456789:AAEbenchTOKEN_0123456789abcdef";
/// Longest a whole burst may take before the bench gives up.
const BURST_LIMIT: Duration = Duration::from_secs(300);

struct Burst {
    n: usize,
    secs: f64,
    /// Seconds from hand-out to the reply's poll, sorted.
    latencies: Vec<f64>,
    /// Process CPU seconds (all threads, the fake server's included) from the bot's start to
    /// the last poll, and the wall seconds of the same span.
    cpu: f64,
    wall: f64,
}

impl Burst {
    fn rate(&self) -> f64 {
        self.n as f64 / self.secs
    }
    fn p(&self, p: f64) -> f64 {
        1000.0 * percentile(&self.latencies, p)
    }
}

/// Queues one `/quiz` from each of `n` private chats; returns (chat, update id) pairs.
fn queue(tg: &FakeTelegram, n: usize) -> Vec<(i64, i64)> {
    (1..=n as i64)
        .map(|chat| {
            let id = tg.push(telegram::text_message(chat, chat, "Learner", "/quiz"));
            (chat, id)
        })
        .collect()
}

/// Waits for a poll in every chat, then measures from the fake's own timestamps.
async fn measure(tg: &FakeTelegram, queued: &[(i64, i64)], started: (f64, Instant)) -> Burst {
    let deadline = Instant::now() + BURST_LIMIT;
    while tg.count("sendPoll") < queued.len() {
        assert!(
            Instant::now() < deadline,
            "burst: only {} of {} polls after {BURST_LIMIT:?}",
            tg.count("sendPoll"),
            queued.len()
        );
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let polls = tg.calls("sendPoll");
    let mut latencies = Vec::with_capacity(queued.len());
    let mut first_out: Option<Instant> = None;
    let mut last_in: Option<Instant> = None;
    for (chat, update) in queued {
        let out = tg.handed_out_at(*update).expect("update handed out");
        let poll = polls
            .iter()
            .find(|c| c.body["chat_id"].as_i64() == Some(*chat))
            .expect("a poll in every chat");
        latencies.push(poll.at.duration_since(out).as_secs_f64());
        first_out = Some(first_out.map_or(out, |f| f.min(out)));
        last_in = Some(last_in.map_or(poll.at, |l| l.max(poll.at)));
    }
    latencies.sort_by(f64::total_cmp);
    Burst {
        n: queued.len(),
        secs: last_in
            .unwrap()
            .duration_since(first_out.unwrap())
            .as_secs_f64(),
        latencies,
        cpu: cpu_seconds() - started.0,
        wall: started.1.elapsed().as_secs_f64(),
    }
}

/// studybot: the real adapter, core and store.
async fn studybot(n: usize) -> Burst {
    let dir = tempfile::tempdir().unwrap();
    let app = app_on(&dir.path().join("burst.db")).await;
    let tg = FakeTelegram::start(TOKEN).await;
    let queued = queue(&tg, n);
    let config = TelegramConfig {
        token: Secret::new(TOKEN),
        rate_limit: 0,
        api_url: Some(url::Url::parse(&tg.url).unwrap()),
        webhook: None,
    };
    let bot = Telegram::connect(app.clone(), &config).await.unwrap();
    let shutdown = CancellationToken::new();
    let clock: Arc<dyn Clock> = Arc::new(SystemClock);
    let started = (cpu_seconds(), Instant::now());
    let running = tokio::spawn(bot.run(clock, shutdown.clone()));
    let burst = measure(&tg, &queued, started).await;
    shutdown.cancel();
    running.await.unwrap().unwrap();
    app.store().close().await;
    burst
}

/// The ceiling: a bare teloxide bot, one fixed sendPoll per `/quiz`, no store.
async fn bare(n: usize) -> Burst {
    let tg = FakeTelegram::start(TOKEN).await;
    let queued = queue(&tg, n);
    let bot = Bot::new(TOKEN).set_api_url(url::Url::parse(&tg.url).unwrap());
    let handler = Update::filter_message().endpoint(|bot: Bot, msg: Message| async move {
        if msg.text() == Some("/quiz") {
            let options = ["A", "B", "C", "D"].map(InputPollOption::new);
            bot.send_poll(msg.chat.id, "Which one?", options)
                .type_(PollType::Quiz)
                .correct_option_id(0)
                .is_anonymous(false)
                .await?;
        }
        Ok::<(), teloxide::RequestError>(())
    });
    let mut dispatcher = Dispatcher::builder(bot, handler)
        .default_handler(|_| async {})
        .build();
    let token = dispatcher.shutdown_token();
    let started = (cpu_seconds(), Instant::now());
    let running = tokio::spawn(async move { dispatcher.dispatch().await });
    let burst = measure(&tg, &queued, started).await;
    // The dispatcher may still be starting if the burst was tiny: retry until it accepts.
    while token.shutdown().is_err() {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    running.await.unwrap();
    burst
}

fn row(name: &str, b: &Burst) {
    println!(
        "| {name} | {} | {:.2} | {:.0} | {:.0} | {:.0} | {:.2} | {:.0} |",
        b.n,
        b.secs,
        b.rate(),
        b.p(50.0),
        b.p(99.0),
        b.cpu / b.wall.max(f64::EPSILON),
        1e6 * b.cpu / b.n as f64
    );
}

#[tokio::main]
async fn main() {
    let n = arg("--n", 2000);
    println!("load average before: {}", load_average());
    let ours = studybot(n).await;
    let ceiling = bare(n).await;
    println!(
        "| bot | updates | seconds | updates/s | p50 ms | p99 ms | cores busy | CPU µs/update |"
    );
    println!("|---|---|---|---|---|---|---|---|");
    row("studybot (adapter + core + SQLite)", &ours);
    row("bare teloxide (fixed sendPoll, no store)", &ceiling);
    println!(
        "share: {:.1}% of the bare bot's updates/s; p99 {:.2}× the bare bot's",
        100.0 * ours.rate() / ceiling.rate(),
        ours.p(99.0) / ceiling.p(99.0).max(f64::EPSILON)
    );
    println!("load average after: {}", load_average());
}
