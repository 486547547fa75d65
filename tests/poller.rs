//! One Telegram poller among several instances on one PostgreSQL database: the poller lock in the
//! store, and two built binaries on one fake Bot API server (which answers a second concurrent
//! `getUpdates` with 409 Conflict, as Telegram does). PostgreSQL only: skipped with a note
//! unless `STUDYBOT_TEST_POSTGRES` is set.

mod support;

use std::time::{Duration, Instant};
use studybot::store::{Engine, Store};
use support::admin::{admin_addr, get, scrape, sum, wait_for_log};
use support::engines::{TestDb, run_on};
use support::process::BotProcess;
use support::telegram::*;

const TOKEN: &str = "123456789:AAEtestTOKENvalue_0123456789abcdef";
const ANA: i64 = 42;
const ROLE: &str = "telegram-poller";
const POLLING: &str = "telegram: this instance polls Telegram (holds the poller lock)";
const STANDBY: &str = "telegram: standby: another instance polls Telegram";

/// The store's side: one holder at a time; released or lost, the lock can be taken again.
#[tokio::test(flavor = "multi_thread")]
async fn the_poller_lock_has_one_holder_and_goes_when_its_connection_does() {
    run_on(Engine::Postgres, async {
        let (_db, url) = TestDb::new(Engine::Postgres).await;
        let a = Store::open(&url).await.unwrap();
        let b = Store::open(&url).await.unwrap();

        let held = a
            .try_lead(ROLE)
            .await
            .unwrap()
            .expect("the first instance leads");
        assert!(
            b.try_lead(ROLE).await.unwrap().is_none(),
            "one holder at a time"
        );
        assert!(
            a.try_lead(ROLE).await.unwrap().is_none(),
            "the lock is on a connection of its own, not the pool's: the holder's own store \
             cannot take it twice"
        );
        assert!(b.try_lead("another-role").await.unwrap().is_some());

        held.release().await;
        let held = b
            .try_lead(ROLE)
            .await
            .unwrap()
            .expect("released: the other takes it");

        // The server ends the holder's session (as when its process dies): the holder hears
        // that it lost the role, and the lock is free.
        let killed = support::engines::count(
            &url,
            "SELECT count(pg_terminate_backend(pid)) FROM pg_locks
             WHERE locktype = 'advisory' AND database = (SELECT oid FROM pg_database
                                                         WHERE datname = current_database())",
        )
        .await;
        assert!(killed >= 1, "the lock was held on the server");
        tokio::time::timeout(Duration::from_secs(20), held.lost())
            .await
            .expect("the holder notices the lost connection");
        assert!(!held.is_held());
        assert!(a.try_lead(ROLE).await.unwrap().is_some());
        a.close().await;
        b.close().await;
    })
    .await;
}

/// SQLite has no one to share with: always granted, never lost.
#[tokio::test]
async fn on_sqlite_the_poller_lock_is_always_granted() {
    let (_db, url) = TestDb::new(Engine::Sqlite).await;
    let store = Store::open(&url).await.unwrap();
    let first = store.try_lead(ROLE).await.unwrap().expect("granted");
    assert!(store.try_lead(ROLE).await.unwrap().is_some());
    assert!(first.is_held());
    store.close().await;
}

fn says(line: &serde_json::Value, text: &str) -> bool {
    line["fields"]["message"].as_str() == Some(text)
}

/// The value of the poller gauge on an instance's `/metrics`.
async fn leader_gauge(bot: &BotProcess) -> f64 {
    let samples = scrape(admin_addr(bot).await).await;
    sum(&samples, "studybot_telegram_poller_leader", &[])
}

#[tokio::test(flavor = "multi_thread")]
async fn two_instances_never_poll_at_once_and_a_standby_takes_over_a_killed_poller() {
    run_on(Engine::Postgres, async {
        let (db, url) = TestDb::new(Engine::Postgres).await;
        // Migrated once, before the instances start (two migrating at once would race).
        Store::open(&url).await.unwrap().close().await;
        let tg = FakeTelegram::start(TOKEN).await;
        let env = [
            ("TELEGRAM_BOT_TOKEN", TOKEN.to_string()),
            ("TELEGRAM_API_URL", tg.url.clone()),
            ("DATABASE_URL", url.clone()),
            ("CONTENT_DIR", support::fixture_dir().display().to_string()),
            ("STUDYBOT_NOW", "2026-03-02T10:00:00Z".to_string()),
            ("LOG_FORMAT", "json".to_string()),
            ("HTTP_ADDR", "127.0.0.1:0".to_string()),
        ];
        let mut bots = vec![
            BotProcess::spawn(db.path(), &env),
            BotProcess::spawn(db.path(), &env),
        ];

        // One of them polls, the other stands by: which one is up to the race for the lock.
        let deadline = Instant::now() + Duration::from_secs(30);
        let leader = loop {
            let polls: Vec<usize> = (0..2)
                .filter(|&i| bots[i].logs().contains(POLLING))
                .collect();
            if let [i] = polls[..] {
                break i;
            }
            assert!(
                polls.len() < 2,
                "both instances poll:\n{}\n{}",
                bots[0].logs(),
                bots[1].logs()
            );
            assert!(
                Instant::now() < deadline,
                "no instance polls:\n{}\n{}",
                bots[0].logs(),
                bots[1].logs()
            );
            tokio::time::sleep(Duration::from_millis(50)).await;
        };
        let standby = 1 - leader;
        wait_for_log(&bots[standby], 30, |l| says(l, STANDBY)).await;
        assert_eq!(leader_gauge(&bots[leader]).await, 1.0);
        assert_eq!(leader_gauge(&bots[standby]).await, 0.0);
        let (status, health) = get(admin_addr(&bots[standby]).await, "/healthz").await;
        assert!(
            health.contains("standby: another instance polls Telegram"),
            "{status} {health}"
        );

        // Both run; the learner is answered, and no getUpdates was refused.
        tg.push(text_message(ANA, ANA, "Ana", "/start"));
        let texts = tg.wait_texts(ANA, 1).await;
        assert!(texts[0].starts_with("Hi Ana!"), "{texts:?}");
        // A few long polls more while both run.
        tokio::time::sleep(Duration::from_secs(3)).await;
        assert_eq!(tg.conflicts(), 0, "two pollers fought over getUpdates");
        assert!(
            !bots[standby].logs().contains(POLLING),
            "the standby stays standing by while the poller lives"
        );

        // SIGKILL the poller: no unlock, no goodbye; the server ends its session.
        let killed_at = Instant::now();
        drop(bots.remove(leader));
        let survivor = bots.pop().unwrap();
        tg.push(text_message(ANA, ANA, "Ana", "/help"));
        // wait_texts gives up after 20 s: a bound for the test, not a performance target.
        let texts = tg.wait_texts(ANA, 2).await;
        let took = killed_at.elapsed();
        assert!(texts[1].contains("/quiz"), "{texts:?}");
        wait_for_log(&survivor, 5, |l| says(l, POLLING)).await;
        assert_eq!(leader_gauge(&survivor).await, 1.0);
        assert_eq!(tg.conflicts(), 0, "the takeover fought over getUpdates");
        eprintln!("takeover: the standby answered {took:?} after the poller was killed");
    })
    .await;
}

/// `getUpdates` on the fake over a plain socket: the open connection (the request is sent).
async fn start_get_updates(tg: &FakeTelegram, timeout: u64) -> tokio::net::TcpStream {
    use tokio::io::AsyncWriteExt;
    let addr = tg.url.trim_start_matches("http://");
    let body = format!("{{\"timeout\":{timeout}}}");
    let request = format!(
        "POST /bot{TOKEN}/GetUpdates HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
        body.len()
    );
    let mut stream = tokio::net::TcpStream::connect(addr).await.unwrap();
    stream.write_all(request.as_bytes()).await.unwrap();
    stream
}

/// The answer's status code.
async fn status_of(mut stream: tokio::net::TcpStream) -> u16 {
    use tokio::io::AsyncReadExt;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.unwrap();
    let answer = String::from_utf8_lossy(&answer);
    answer.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// The fake itself: a second `getUpdates` while one is in flight gets 409, as on Telegram; one
/// whose client went away no longer counts (teloxide drops its long poll when it stops, then
/// confirms with one more call).
#[tokio::test(flavor = "multi_thread")]
async fn the_fake_refuses_a_second_concurrent_get_updates() {
    let tg = FakeTelegram::start(TOKEN).await;
    let first = start_get_updates(&tg, 2).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let second = start_get_updates(&tg, 0).await;
    assert_eq!(status_of(second).await, 409);
    assert_eq!(status_of(first).await, 200);
    assert_eq!(tg.conflicts(), 1);

    let abandoned = start_get_updates(&tg, 2).await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    drop(abandoned);
    tokio::time::sleep(Duration::from_millis(200)).await;
    assert_eq!(status_of(start_get_updates(&tg, 0).await).await, 200);
    assert_eq!(tg.conflicts(), 1);
}
