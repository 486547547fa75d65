//! Telegram webhook mode with the built binary: a fake load balancer (tests/support/webhook.rs)
//! posts updates to one or two instances sharing one SQLite file, and the fake Bot API counts the
//! replies. `STUDYBOT_WEBHOOK_UPDATES` sets how many updates the load test posts (default 2,000).

mod support;

use futures::StreamExt;
use serde_json::{Value, json};
use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};
use studybot::store::{Engine, Store};
use support::admin::{admin_addr, scrape, sum, wait_for_log, wait_status};
use support::engines::{self, TestDb};
use support::process::BotProcess;
use support::telegram::{FakeTelegram, text_message};
use support::webhook::{Balancer, post};

const TOKEN: &str = "123456789:AAEtestTOKENvalue_0123456789abcdef";
const SECRET: &str = "hook_Secret-0123456789";
const PATH: &str = "/telegram/hook";
const HOOK_URL: &str = "https://bot.example.org/telegram/hook";
/// Telegram's default `max_connections` for a webhook: updates in flight at once.
const IN_FLIGHT: usize = 40;
const WEBHOOK_REQUESTS: &str = "studybot_telegram_webhook_requests_total";

fn updates_to_post() -> usize {
    std::env::var("STUDYBOT_WEBHOOK_UPDATES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(2_000)
}

/// An instance in webhook mode on the database at `db` (a URL), listening on a free port.
fn spawn_instance(dir: &Path, db: &str, tg: &FakeTelegram) -> BotProcess {
    spawn_with(dir, db, tg, &[])
}

fn spawn_with(dir: &Path, db: &str, tg: &FakeTelegram, extra: &[(&str, String)]) -> BotProcess {
    let mut env = vec![
        ("TELEGRAM_BOT_TOKEN", TOKEN.to_string()),
        ("TELEGRAM_API_URL", tg.url.clone()),
        ("TELEGRAM_WEBHOOK_URL", HOOK_URL.to_string()),
        ("TELEGRAM_WEBHOOK_ADDR", "127.0.0.1:0".to_string()),
        ("TELEGRAM_WEBHOOK_SECRET", SECRET.to_string()),
        ("DATABASE_URL", db.to_string()),
        ("CONTENT_DIR", support::fixture_dir().display().to_string()),
        ("HTTP_ADDR", "127.0.0.1:0".to_string()),
        ("LOG_FORMAT", "json".to_string()),
    ];
    env.extend(extra.iter().map(|(k, v)| (*k, v.clone())));
    BotProcess::spawn(dir, &env)
}

/// Where the instance's webhook listens, from its log.
async fn hook_addr(bot: &BotProcess) -> SocketAddr {
    let line = wait_for_log(bot, 30, |l| {
        l["fields"]["message"].as_str() == Some("telegram: webhook listening")
    })
    .await;
    line["fields"]["addr"].as_str().unwrap().parse().unwrap()
}

/// `/streak` from learner `n` in their private chat (chat id = user id = `n`), as update `n`.
fn streak_update(n: i64) -> Value {
    let mut u = text_message(n, n, &format!("learner {n}"), "/streak");
    u["update_id"] = json!(n);
    u
}

/// Replies sent with sendMessage, per chat.
fn replies_per_chat(tg: &FakeTelegram) -> HashMap<i64, usize> {
    let mut per_chat = HashMap::new();
    for call in tg.calls("sendMessage") {
        *per_chat
            .entry(call.body["chat_id"].as_i64().unwrap())
            .or_default() += 1;
    }
    per_chat
}

/// Waits until the fake has answered `n` sendMessage calls in all.
async fn wait_replies(tg: &FakeTelegram, n: usize, secs: u64) {
    let deadline = Instant::now() + Duration::from_secs(secs);
    while tg.count("sendMessage") < n {
        assert!(
            Instant::now() < deadline,
            "{} of {n} replies after {secs}s",
            tg.count("sendMessage")
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

/// Posts updates `ids` through the balancer, `IN_FLIGHT` at a time, the `i`-th first to instance
/// `i` (round robin); every tenth is delivered a second time to another instance after its
/// first answer, as Telegram does when an acknowledgement is lost. Returns the seconds it took.
async fn post_all(lb: &Balancer, ids: std::ops::RangeInclusive<i64>, spread: usize) -> f64 {
    let started = Instant::now();
    futures::stream::iter(ids)
        .for_each_concurrent(IN_FLIGHT, |n| async move {
            let update = streak_update(n);
            let first = usize::try_from(n).unwrap() % spread;
            let took = lb.deliver(first, &update).await;
            if n % 10 == 0 {
                lb.deliver(took + 1, &update).await;
            }
        })
        .await;
    started.elapsed().as_secs_f64()
}

both_engines! {
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_instances_on_one_database_handle_every_webhook_update_exactly_once() {
    let n = i64::try_from(updates_to_post()).unwrap();
    let tg = FakeTelegram::start(TOKEN).await;
    let (shared, db) = TestDb::new(engines::current()).await;
    let dir = &shared.dir;
    let engine = engines::current().as_str();
    // Migrated once before either starts: two processes migrating one new database at once race.
    Store::open(&db).await.unwrap().close().await;
    let a = spawn_instance(dir.path(), &db, &tg);
    let b = spawn_instance(dir.path(), &db, &tg);
    let hooks = vec![hook_addr(&a).await, hook_addr(&b).await];
    let admins = [admin_addr(&a).await, admin_addr(&b).await];

    // Both registered the webhook with the secret and the update kinds polling asks for (each
    // listens first and registers after, so under load the second call may still be coming).
    tg.wait_for("both setWebhook calls", 30, |calls| {
        calls.iter().filter(|c| c.method == "setwebhook").count() >= 2
    })
    .await;
    let set = tg.calls("setWebhook");
    assert_eq!(set.len(), 2, "{set:?}");
    for call in &set {
        assert_eq!(call.body["url"], json!(HOOK_URL));
        assert_eq!(call.body["secret_token"], json!(SECRET));
        let mut kinds: Vec<&str> = call.body["allowed_updates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|k| k.as_str().unwrap())
            .collect();
        kinds.sort();
        assert_eq!(
            kinds,
            ["callback_query", "message", "my_chat_member", "poll_answer"]
        );
    }

    // A wrong or missing secret is refused, counted, and not handled.
    let forged = streak_update(n + 1_000).to_string();
    assert_eq!(
        post(hooks[0], PATH, Some("not-the-secret"), &forged).await,
        Some(401)
    );
    assert_eq!(post(hooks[1], PATH, None, &forged).await, Some(401));

    // One instance first, then both: each update answered once however often it arrives.
    let lb_one = Balancer::new(vec![hooks[0]], PATH, SECRET);
    let half = n / 2;
    let one_secs = post_all(&lb_one, 1..=half, 1).await;
    let lb = Balancer::new(hooks.clone(), PATH, SECRET);
    let two_secs = post_all(&lb, half + 1..=n, 2).await;
    wait_replies(&tg, usize::try_from(n).unwrap(), 60).await;
    println!(
        "webhook (debug build, {engine}): one instance {half} updates in {one_secs:.2}s ({:.0}/s); \
         two instances {} updates in {two_secs:.2}s ({:.0}/s); plus {} redeliveries",
        half as f64 / one_secs,
        n - half,
        (n - half) as f64 / two_secs,
        n / 10
    );

    // The database is held by another writer for longer than the instances' busy timeout:
    // their transactions fail, the updates are answered 500, and the balancer delivers them
    // again until one is handled once the writer is done. (SQLite only: PostgreSQL has no
    // database-wide write lock to hold.)
    let on_sqlite = engines::current() == Engine::Sqlite;
    let store = Store::open(&db).await.unwrap();
    let writer = store.begin().await.unwrap();
    let locked: Vec<i64> = if on_sqlite {
        (n + 1..=n + 4).collect()
    } else {
        Vec::new()
    };
    let delivering = {
        let lb = std::sync::Arc::new(Balancer::new(hooks.clone(), PATH, SECRET));
        let lb2 = lb.clone();
        let ids = locked.clone();
        let task = tokio::spawn(async move {
            let lb = &lb2;
            futures::future::join_all(ids.iter().map(|&id| async move {
                lb.deliver(usize::try_from(id).unwrap(), &streak_update(id))
                    .await
            }))
            .await
        });
        while on_sqlite && lb.refused.load(Ordering::SeqCst) == 0 {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        task
    };
    drop(writer);
    store.close().await;
    delivering.await.unwrap();
    wait_replies(&tg, usize::try_from(n).unwrap() + locked.len(), 60).await;

    let per_chat = replies_per_chat(&tg);
    for chat in (1..=n).chain(locked.iter().copied()) {
        assert_eq!(per_chat.get(&chat), Some(&1), "replies to chat {chat}");
    }
    assert_eq!(
        per_chat.get(&(n + 1_000)),
        None,
        "the forged update was handled"
    );
    assert_eq!(
        tg.calls("sendMessage").len(),
        usize::try_from(n).unwrap() + locked.len()
    );
    assert_eq!(tg.count("getUpdates"), 0, "webhook mode never polls");

    let mut failed = 0.0;
    for (i, admin) in admins.iter().enumerate() {
        let m = scrape(*admin).await;
        assert_eq!(
            sum(&m, WEBHOOK_REQUESTS, &[("outcome", "unauthorized")]),
            1.0,
            "instance {i}"
        );
        failed += sum(&m, WEBHOOK_REQUESTS, &[("outcome", "failed")]);
    }
    assert!(
        failed >= 1.0 || !on_sqlite,
        "the updates refused while the database was held are counted"
    );
    for bot in [a, b] {
        let logs = bot.logs();
        assert!(!logs.contains(SECRET) && !logs.contains(TOKEN));
        assert_eq!(bot.terminate(Duration::from_secs(30)).await, Some(0));
    }
}
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn back_in_polling_mode_the_webhook_is_deleted_and_updates_are_polled() {
    let tg = FakeTelegram::start(TOKEN).await;
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("tg.db").display());
    let hooked = spawn_instance(dir.path(), &db, &tg);
    let hook = hook_addr(&hooked).await;
    // No getUpdates in webhook mode, yet /healthz counts Telegram up: setWebhook answered.
    let health = wait_status(admin_addr(&hooked).await, "/healthz", 200, 20).await;
    assert!(
        health.contains("webhook delivery or getWebhookInfo"),
        "{health}"
    );
    let lb = Balancer::new(vec![hook], PATH, SECRET);
    lb.deliver(0, &streak_update(7)).await;
    wait_replies(&tg, 1, 20).await;
    assert!(tg.webhook().is_some());
    assert_eq!(hooked.terminate(Duration::from_secs(30)).await, Some(0));
    assert!(
        tg.webhook().is_some(),
        "stopping one instance leaves the webhook to the others"
    );
    assert_eq!(tg.count("getUpdates"), 0);

    let polling = BotProcess::spawn(
        dir.path(),
        &[
            ("TELEGRAM_BOT_TOKEN", TOKEN.to_string()),
            ("TELEGRAM_API_URL", tg.url.clone()),
            ("DATABASE_URL", db.clone()),
            ("CONTENT_DIR", support::fixture_dir().display().to_string()),
        ],
    );
    tg.wait_for("deleteWebhook", 30, |calls| {
        calls.iter().any(|c| c.method == "deletewebhook")
    })
    .await;
    assert!(tg.webhook().is_none());
    tg.push(text_message(8, 8, "learner 8", "/streak"));
    wait_replies(&tg, 2, 30).await;
    assert_eq!(replies_per_chat(&tg).get(&8), Some(&1));
    assert_eq!(polling.terminate(Duration::from_secs(30)).await, Some(0));
}

/// Two instances on a fresh database whose Telegram chats `1..=chats` are subscribed to 09:00
/// UTC, both healthy, their clock (a file they read) a minute before the fire.
struct PushHour {
    tg: FakeTelegram,
    clock: std::path::PathBuf,
    bots: Vec<BotProcess>,
    _db: TestDb,
}

async fn push_hour(chats: i64, extra: &[(&str, String)]) -> PushHour {
    let tg = FakeTelegram::start(TOKEN).await;
    let (shared, db) = TestDb::new(engines::current()).await;
    support::seed_private_telegram_chats_at(&db, chats).await;
    let clock = shared.path().join("now");
    std::fs::write(&clock, "2026-03-02T08:59:00Z").unwrap();
    let mut env = vec![("STUDYBOT_CLOCK_FILE", clock.display().to_string())];
    env.extend(extra.iter().map(|(k, v)| (*k, v.clone())));
    let bots = vec![
        spawn_with(shared.path(), &db, &tg, &env),
        spawn_with(shared.path(), &db, &tg, &env),
    ];
    for bot in &bots {
        wait_status(admin_addr(bot).await, "/healthz", 200, 30).await;
    }
    PushHour {
        tg,
        clock,
        bots,
        _db: shared,
    }
}

both_engines! {
/// Both instances are running when the chats' fire comes: each due push is claimed by one of
/// them (the `pushes` primary key; on PostgreSQL they skip each other's locked rows) and sent
/// once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_running_instances_on_one_database_push_each_chat_once() {
    const CHATS: i64 = 1_000;
    let PushHour {
        tg, clock, bots, _db,
    } = push_hour(CHATS, &[("TELEGRAM_RATE_LIMIT", "0".to_string())]).await;
    // 30 s after the chats' 09:00 fire, for both schedulers at once.
    std::fs::write(&clock, "2026-03-02T09:00:30Z").unwrap();
    wait_replies(&tg, usize::try_from(CHATS).unwrap(), 120).await;
    // Both schedulers have ticked again since (a tick is 1 s) and found nothing left to send.
    tokio::time::sleep(Duration::from_secs(3)).await;
    let per_chat = replies_per_chat(&tg);
    for chat in 1..=CHATS {
        assert_eq!(per_chat.get(&chat), Some(&1), "pushes to chat {chat}");
    }
    assert_eq!(per_chat.len(), usize::try_from(CHATS).unwrap());
    // The instances' own counts add up to one push per chat.
    let mut split = Vec::new();
    for bot in &bots {
        let m = scrape(admin_addr(bot).await).await;
        split.push(sum(&m, "studybot_pushes_total", &[("outcome", "sent")]));
    }
    assert_eq!(split.iter().sum::<f64>(), CHATS as f64, "{split:?}");
    println!("pushes sent by each instance: {split:?}");
    for bot in bots {
        assert_eq!(bot.terminate(Duration::from_secs(30)).await, Some(0));
    }
}
}

both_engines! {
/// One of two instances is SIGKILLed in the middle of a fan-out: the other sends the rest once
/// the dead one's claims are past their lease, and at most the sends the dead one had in flight
/// at the kill (its unconfirmed ones) go out twice.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_instance_killed_mid_fan_out_leaves_its_claims_to_the_other() {
    const CHATS: i64 = 1_000;
    const IN_FLIGHT: usize = 8;
    let extra = [
        // Slow enough that the kill lands mid fan-out: about 5 s for each instance's half.
        ("TELEGRAM_RATE_LIMIT", "100".to_string()),
        ("PUSH_CONCURRENCY", IN_FLIGHT.to_string()),
        ("PUSH_LEASE", "2s".to_string()),
    ];
    let PushHour {
        tg,
        clock,
        mut bots,
        _db,
    } = push_hour(CHATS, &extra).await;
    std::fs::write(&clock, "2026-03-02T09:00:30Z").unwrap();
    wait_replies(&tg, 200, 60).await;
    // Kill the instance that sends the most: it holds claims (one instance may claim a whole
    // fan-out before the other looks, its claimer running a batch ahead of its sends).
    let mut sent = Vec::new();
    for bot in &bots {
        let m = scrape(admin_addr(bot).await).await;
        sent.push(sum(&m, "studybot_pushes_total", &[("outcome", "sent")]));
    }
    let busier = usize::from(sent[1] > sent[0]);
    drop(bots.remove(busier)); // SIGKILL
    let survivor = bots.pop().unwrap();
    let at_kill = tg.calls("sendMessage").len();
    // Time moves on past the lease (the bots read the clock from the file).
    std::fs::write(&clock, "2026-03-02T09:01:00Z").unwrap();
    // The survivor finishes its own half, then takes over the dead instance's claims.
    let deadline = Instant::now() + Duration::from_secs(90);
    while replies_per_chat(&tg).len() < usize::try_from(CHATS).unwrap() && Instant::now() < deadline
    {
        tokio::time::sleep(Duration::from_millis(200)).await;
    }
    let per_chat = replies_per_chat(&tg);
    assert_eq!(
        per_chat.len(),
        usize::try_from(CHATS).unwrap(),
        "every chat pushed (at kill: {at_kill} sent); the survivor's log:\n{}",
        survivor.logs().lines().filter(|l| !l.contains("\"INFO\"")).collect::<Vec<_>>().join("\n")
    );
    let twice: usize = per_chat.values().map(|n| n - 1).sum();
    assert!(
        twice <= IN_FLIGHT,
        "{twice} chats pushed twice; at most the {IN_FLIGHT} sends in flight at the kill may be"
    );
    println!(
        "{}: {at_kill} pushes sent when one instance was killed; all {CHATS} chats reached, {twice} twice",
        engines::current().as_str()
    );
    let took_over = survivor.logs().contains("took over pushes whose claim expired");
    assert!(took_over, "the survivor says it took over");
    assert_eq!(survivor.terminate(Duration::from_secs(30)).await, Some(0));
}
}
