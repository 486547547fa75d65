//! Operations end to end: the built binary with its admin server against the fake Bot API —
//! health that notices Telegram going away, metrics that count exactly, no token anywhere, an
//! online backup while answers stream in, `config check`, and SIGTERM in the middle of a burst.

mod support;

use serde_json::Value;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;
use support::admin::{admin_addr, get, scrape, sum, wait_status};
use support::process::{BIN, BotProcess};
use support::telegram::*;

const TOKEN: &str = "123456789:AAEopsTOKENsecret_0123456789abcdef";
/// The part of the token after the bot id: the secret half.
const SECRET: &str = "AAEopsTOKENsecret_0123456789abcdef";

struct Ops {
    tg: FakeTelegram,
    bot: Option<BotProcess>,
    dir: tempfile::TempDir,
    addr: SocketAddr,
}

impl Ops {
    async fn start(extra: &[(&str, String)]) -> Ops {
        let tg = FakeTelegram::start(TOKEN).await;
        let dir = tempfile::tempdir().unwrap();
        let mut env = vec![
            ("TELEGRAM_BOT_TOKEN", TOKEN.to_string()),
            ("TELEGRAM_API_URL", tg.url.clone()),
            ("DATABASE_URL", db_url(&dir.path().join("ops.db"))),
            ("CONTENT_DIR", support::fixture_dir().display().to_string()),
            ("STUDYBOT_NOW", "2026-03-02T10:00:00Z".to_string()),
            ("HTTP_ADDR", "127.0.0.1:0".to_string()),
            ("LOG_FORMAT", "json".to_string()),
        ];
        env.extend(extra.iter().cloned());
        let bot = BotProcess::spawn(dir.path(), &env);
        let addr = admin_addr(&bot).await;
        Ops {
            tg,
            bot: Some(bot),
            dir,
            addr,
        }
    }

    fn bot(&self) -> &BotProcess {
        self.bot.as_ref().unwrap()
    }

    fn db(&self) -> PathBuf {
        self.dir.path().join("ops.db")
    }

    fn say(&self, chat: i64, text: &str) -> i64 {
        self.tg.push(text_message(chat, chat, "Learner", text))
    }
}

/// Runs the binary once with `args`, no chat token, and `env`.
fn run_bin(args: &[&str], env: &[(&str, String)]) -> std::process::Output {
    let mut cmd = Command::new(BIN);
    cmd.args(args).env_remove("TELEGRAM_BOT_TOKEN");
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

fn db_url(path: &Path) -> String {
    format!("sqlite://{}", path.display())
}

async fn count(db: &Path, sql: &'static str) -> i64 {
    let pool = sqlx::SqlitePool::connect(&db_url(db)).await.unwrap();
    let (n,): (i64,) = sqlx::query_as(sql).fetch_one(&pool).await.unwrap();
    pool.close().await;
    n
}

/// Polls `sql` until it reaches `at_least` (up to `secs`).
async fn wait_count(db: &Path, sql: &'static str, at_least: i64, secs: u64) -> i64 {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
    loop {
        let n = count(db, sql).await;
        if n >= at_least {
            return n;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{sql}: {n}, waited for {at_least}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

const COMMANDS_TOTAL: &str = "studybot_commands_total";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_names_telegram_when_it_stops_answering_and_metrics_count_every_command() {
    let ops = Ops::start(&[("HEALTH_TELEGRAM_WINDOW", "2s".to_string())]).await;
    let body = wait_status(ops.addr, "/healthz", 200, 30).await;
    let health: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(health["status"], "ok");
    for part in ["database", "telegram", "scheduler"] {
        assert_eq!(health["parts"][part]["ok"], true, "{part}: {health}");
    }
    assert_eq!(get(ops.addr, "/livez").await.0, 200);

    let before = scrape(ops.addr).await;
    let base = sum(&before, COMMANDS_TOTAL, &[("platform", "telegram")]);
    let sent = ["/help", "/today", "/streak", "/progress", "/help"];
    for (i, text) in sent.iter().enumerate() {
        ops.say(500 + i as i64, text);
    }
    for i in 0..sent.len() {
        ops.tg.wait_texts(500 + i as i64, 1).await;
    }
    let after = scrape(ops.addr).await;
    let telegram = [("platform", "telegram")];
    assert_eq!(
        sum(&after, COMMANDS_TOTAL, &telegram) - base,
        sent.len() as f64
    );
    let help = [("platform", "telegram"), ("command", "help")];
    assert_eq!(
        sum(&after, COMMANDS_TOTAL, &help) - sum(&before, COMMANDS_TOTAL, &help),
        2.0
    );
    // The latency histogram saw the same commands, and the other families are there.
    let observed = sum(&after, "studybot_command_duration_seconds_count", &telegram);
    assert_eq!(observed - base, sent.len() as f64);
    for family in [
        "studybot_build_info",
        "studybot_outbound_request_duration_seconds_count",
        "studybot_db_transaction_duration_seconds_count",
        "studybot_telegram_get_updates_total",
        "studybot_scheduler_ticks_total",
        "studybot_quiz_rounds_running",
    ] {
        assert!(after.iter().any(|s| s.name == family), "{family} missing");
    }
    // Bounded labels: no chat or user id shows up as a label value.
    for s in &after {
        for v in s.labels.values() {
            assert!(
                !v.contains("500") && !v.contains("504"),
                "an id as a label: {s:?}"
            );
        }
    }

    ops.tg.stop_answering();
    let body = wait_status(ops.addr, "/healthz", 503, 30).await;
    let health: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(health["status"], "unhealthy");
    assert_eq!(health["parts"]["telegram"]["ok"], false, "{health}");
    assert!(
        health["parts"]["telegram"]["detail"]
            .as_str()
            .unwrap()
            .contains("getUpdates"),
        "{health}"
    );
    assert_eq!(health["parts"]["database"]["ok"], true, "{health}");
    // The Docker health check says the same.
    let check = run_bin(&["healthcheck"], &[("HTTP_ADDR", ops.addr.to_string())]);
    assert_eq!(check.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&check.stderr).contains("503"));

    ops.tg.answer_again();
    wait_status(ops.addr, "/healthz", 200, 60).await;
    let check = run_bin(&["healthcheck"], &[("HTTP_ADDR", ops.addr.to_string())]);
    assert_eq!(check.status.code(), Some(0), "{check:?}");

    // No token in anything the admin server shows, nor in the logs.
    let (_, metrics) = get(ops.addr, "/metrics").await;
    let (_, health) = get(ops.addr, "/healthz").await;
    for text in [&metrics, &health, &ops.bot().logs()] {
        assert!(!text.contains(SECRET), "the token leaked");
    }
    // Every log line is one JSON object.
    for line in ops.bot().logs().lines() {
        assert!(
            serde_json::from_str::<Value>(line).is_ok(),
            "not JSON: {line}"
        );
    }
}

/// Answers every poll in `polls` (poll id, voter) as the voter, one update each.
fn answer_polls(ops: &Ops, polls: &[(String, i64)]) {
    for (poll, voter) in polls {
        ops.tg.push(poll_answer(poll, *voter, "Learner", 0));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_backup_taken_while_answers_stream_in_is_consistent_and_holds_what_was_committed() {
    let ops = Ops::start(&[]).await;
    const LEARNERS: i64 = 60;
    for u in 0..LEARNERS {
        ops.say(1000 + u, "/quiz");
    }
    let polls = ops
        .tg
        .wait_for("a quiz poll per learner", 60, |c| {
            c.iter().filter(|c| c.method == "sendpoll" && c.ok).count() >= LEARNERS as usize
        })
        .await;
    // The fake numbers polls in the order it answered sendPoll.
    let polls: Vec<(String, i64)> = polls
        .iter()
        .filter(|c| c.method == "sendpoll" && c.ok)
        .enumerate()
        .map(|(i, c)| {
            (
                format!("poll-{}", i + 1),
                c.body["chat_id"].as_i64().unwrap(),
            )
        })
        .collect();
    let answers = "SELECT COUNT(*) FROM answers";
    let (first, second) = polls.split_at(40);
    let (during, last) = second.split_at(10);

    answer_polls(&ops, first);
    let committed = wait_count(&ops.db(), answers, 20, 60).await;
    // More answers arrive while the backup runs.
    answer_polls(&ops, during);
    let file = ops.dir.path().join("backup.db");
    let path = file.to_str().unwrap();
    let live = [("DATABASE_URL", db_url(&ops.db()))];
    let out = run_bin(&["backup", path], &live);
    assert_eq!(out.status.code(), Some(0), "{out:?}");
    answer_polls(&ops, last);

    let pool = sqlx::SqlitePool::connect(&db_url(&file)).await.unwrap();
    let (check,): (String,) = sqlx::query_as("PRAGMA integrity_check")
        .fetch_one(&pool)
        .await
        .unwrap();
    assert_eq!(check, "ok");
    let (in_backup,): (i64,) = sqlx::query_as(answers).fetch_one(&pool).await.unwrap();
    pool.close().await;
    assert!(
        in_backup >= committed,
        "{in_backup} answers in the backup, {committed} committed before it"
    );
    assert!(
        in_backup <= 50,
        "answers sent after the backup are not in it"
    );
    // The live database goes on: every answer is recorded, and counted once in /metrics.
    wait_count(&ops.db(), answers, LEARNERS, 60).await;
    let samples = scrape(ops.addr).await;
    let counted = sum(
        &samples,
        "studybot_answers_total",
        &[("platform", "telegram")],
    );
    assert_eq!(counted, LEARNERS as f64);
    eprintln!(
        "backup: {in_backup} answers, {committed} committed before it; {}",
        String::from_utf8_lossy(&out.stdout).trim()
    );

    // An existing file is kept unless --force.
    let again = run_bin(&["backup", path], &live);
    assert_eq!(again.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&again.stderr).contains("--force"));
    let forced = run_bin(&["backup", "--force", path], &live);
    assert_eq!(forced.status.code(), Some(0), "{forced:?}");
    assert_eq!(count(&file, answers).await, LEARNERS);
}

fn config_check(dir: &Path, env: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = Command::new(BIN);
    cmd.args(["config", "check"]).current_dir(dir);
    for var in [
        "TELEGRAM_BOT_TOKEN",
        "DISCORD_TOKEN",
        "HTTP_ADDR",
        "LOG_FORMAT",
        "DATABASE_URL",
        "CONTENT_DIR",
        "DEFAULT_TIMEZONE",
    ] {
        cmd.env_remove(var);
    }
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

#[test]
fn config_check_prints_the_effective_config_or_one_line_per_bad_variable() {
    let dir = tempfile::tempdir().unwrap();
    let content = support::fixture_dir();
    let content = content.to_str().unwrap();
    let good = config_check(
        dir.path(),
        &[
            ("TELEGRAM_BOT_TOKEN", TOKEN),
            ("CONTENT_DIR", content),
            ("HTTP_ADDR", "0.0.0.0:8080"),
        ],
    );
    let stdout = String::from_utf8_lossy(&good.stdout);
    assert_eq!(good.status.code(), Some(0), "{good:?}");
    assert!(
        stdout.contains("TELEGRAM_BOT_TOKEN=<set, redacted>"),
        "{stdout}"
    );
    assert!(stdout.contains("HTTP_ADDR=0.0.0.0:8080"), "{stdout}");
    assert!(stdout.contains("SHUTDOWN_TIMEOUT=20s"), "{stdout}");
    assert!(!stdout.contains(SECRET) && !String::from_utf8_lossy(&good.stderr).contains(SECRET));

    let bad = config_check(
        dir.path(),
        &[
            ("TELEGRAM_BOT_TOKEN", "not-a-token"),
            ("CONTENT_DIR", content),
            ("HTTP_ADDR", "localhost"),
            ("LOG_FORMAT", "xml"),
            ("DEFAULT_TIMEZONE", "Moon/Base"),
        ],
    );
    assert_eq!(bad.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&bad.stderr);
    let lines: Vec<&str> = stderr.lines().collect();
    for var in [
        "DEFAULT_TIMEZONE",
        "TELEGRAM_BOT_TOKEN",
        "HTTP_ADDR",
        "LOG_FORMAT",
    ] {
        assert_eq!(
            lines
                .iter()
                .filter(|l| l.starts_with(&format!("{var}: ")))
                .count(),
            1,
            "{var}: {stderr}"
        );
    }
    assert!(stderr.contains("4 problem(s)"), "{stderr}");
    assert!(
        !stderr.contains("not-a-token"),
        "a bad token is not echoed: {stderr}"
    );

    // `.env` in the working directory is read, as at a start; content that does not load is
    // named by its variable.
    std::fs::write(dir.path().join(".env"), "PUSH_CONCURRENCY=0\n").unwrap();
    let from_file = config_check(dir.path(), &[("CONTENT_DIR", "/nonexistent/content")]);
    assert_eq!(from_file.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&from_file.stderr);
    assert!(
        stderr.lines().any(|l| l.starts_with("PUSH_CONCURRENCY: ")),
        "{stderr}"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn sigterm_during_a_burst_exits_0_with_every_started_handler_finished() {
    let mut ops = Ops::start(&[]).await;
    wait_status(ops.addr, "/healthz", 200, 30).await;
    // Slow sends keep handlers in flight when the signal comes.
    ops.tg.set_send_delay(Duration::from_millis(400));
    const BURST: i64 = 40;
    let ids: Vec<(i64, i64)> = (0..BURST)
        .map(|u| (ops.say(2000 + u, "/streak"), 2000 + u))
        .collect();
    ops.tg
        .wait_for("the burst taken", 30, |calls| {
            calls.iter().any(|c| {
                c.method == "getupdates" && c.body["offset"].as_i64().unwrap_or(0) > ids[0].0
            })
        })
        .await;
    // Handlers are running (the gauge counts them) when the signal comes.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(30);
    let in_flight = loop {
        let n = sum(&scrape(ops.addr).await, "studybot_handlers_in_flight", &[]);
        if n >= 1.0 {
            break n;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "no handler in flight"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    };
    let bot = ops.bot.take().unwrap();
    let log = bot.log.clone();
    assert_eq!(bot.terminate(Duration::from_secs(30)).await, Some(0));

    // Every update Telegram now counts as confirmed was answered: nothing taken was dropped.
    let confirmed = ops.tg.confirmed();
    assert!(confirmed >= ids[0].0, "the first update was confirmed");
    let answered = ids
        .iter()
        .filter(|(_, chat)| !ops.tg.texts(*chat).is_empty())
        .count();
    eprintln!(
        "{in_flight} handlers in flight at SIGTERM; {} of {BURST} updates confirmed, {answered} answered",
        confirmed - ids[0].0 + 1
    );
    for (id, chat) in &ids {
        if *id <= confirmed {
            assert_eq!(
                ops.tg.texts(*chat).len(),
                1,
                "update {id} taken but not answered"
            );
        }
    }
    let logs = std::fs::read_to_string(log).unwrap();
    let steps: Vec<String> = logs
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter_map(|l| l["fields"]["message"].as_str().map(str::to_string))
        .filter(|m| m.starts_with("shutdown:") || m.starts_with("telegram: no longer"))
        .collect();
    let order = [
        "telegram: no longer taking updates",
        "shutdown: adapters and scheduler stopped",
        "shutdown: admin server stopped",
        "shutdown: WAL checkpointed",
        "shutdown: database closed",
    ];
    let positions: Vec<usize> = order
        .iter()
        .map(|o| {
            steps
                .iter()
                .position(|s| s.starts_with(o))
                .unwrap_or_else(|| panic!("{o:?} not logged: {steps:?}"))
        })
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{steps:?}");
    if let Some(done) = logs
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .find(|l| l["fields"]["message"] == "shutdown: database closed; stopped")
    {
        eprintln!("shutdown took {} ms", done["fields"]["ms"]);
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn health_follows_the_discord_gateway_and_metrics_count_slash_commands() {
    use support::discord::{FakeDiscord, GUILD, member};
    const DISCORD_TOKEN: &str =
        "MTIzNDU2Nzg5MDEyMzQ1Njc4.GhJkLm.opsDiscordSecret_0123456789abcdefXYZ";
    let dc = FakeDiscord::start(DISCORD_TOKEN).await;
    let dir = tempfile::tempdir().unwrap();
    let bot = BotProcess::spawn(
        dir.path(),
        &[
            ("DISCORD_TOKEN", DISCORD_TOKEN.to_string()),
            ("DISCORD_API_URL", dc.url.clone()),
            ("DISCORD_GUILD_ID", GUILD.to_string()),
            ("DATABASE_URL", db_url(&dir.path().join("dc.db"))),
            ("CONTENT_DIR", support::fixture_dir().display().to_string()),
            ("STUDYBOT_NOW", "2026-03-02T10:00:00Z".to_string()),
            ("HTTP_ADDR", "127.0.0.1:0".to_string()),
            ("LOG_FORMAT", "json".to_string()),
        ],
    );
    let addr = admin_addr(&bot).await;
    dc.wait_for_registration().await;
    let body = wait_status(addr, "/healthz", 200, 30).await;
    let health: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(health["parts"]["discord"]["ok"], true, "{health}");
    assert!(health["parts"].get("telegram").is_none(), "{health}");

    let discord = [("platform", "discord")];
    let base = sum(&scrape(addr).await, COMMANDS_TOTAL, &discord);
    let ana = member(1001, "Ana", 0);
    for name in ["help", "streak", "today"] {
        let sent = dc.slash(&ana, name, vec![]);
        dc.reply(&sent).await;
    }
    let after = scrape(addr).await;
    assert_eq!(sum(&after, COMMANDS_TOTAL, &discord) - base, 3.0);

    dc.gateway_down();
    let body = wait_status(addr, "/healthz", 503, 30).await;
    let health: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(health["parts"]["discord"]["ok"], false, "{health}");
    dc.gateway_up();
    wait_status(addr, "/healthz", 200, 60).await;

    let (_, metrics) = get(addr, "/metrics").await;
    let (_, health) = get(addr, "/healthz").await;
    for text in [&metrics, &health, &bot.logs()] {
        assert!(!text.contains("opsDiscordSecret"), "the token leaked");
    }
}

/// Polls `/metrics` until `name` (with `labels`) sums to at least `at_least`.
async fn wait_metric(addr: SocketAddr, name: &str, labels: &[(&str, &str)], at_least: f64) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(60);
    loop {
        let got = sum(&scrape(addr).await, name, labels);
        if got >= at_least {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{name}{labels:?} = {got}, waited for {at_least}"
        );
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn pushes_rate_limits_and_scheduler_lag_are_counted_exactly() {
    const CHATS: i64 = 20;
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("push.db");
    support::seed_private_telegram_chats(&db, CHATS).await;
    let tg = FakeTelegram::start(TOKEN).await;
    tg.block_chat(7);
    tg.flood_next("sendMessage", 3);
    let bot = BotProcess::spawn(
        dir.path(),
        &[
            ("TELEGRAM_BOT_TOKEN", TOKEN.to_string()),
            ("TELEGRAM_API_URL", tg.url.clone()),
            ("TELEGRAM_RATE_LIMIT", "0".to_string()),
            ("DATABASE_URL", db_url(&db)),
            ("CONTENT_DIR", support::fixture_dir().display().to_string()),
            // 30 s after every chat's 09:00 fire, on a stopped clock: each push is 30 s late.
            ("STUDYBOT_NOW", "2026-03-02T09:00:30Z".to_string()),
            ("HTTP_ADDR", "127.0.0.1:0".to_string()),
            ("LOG_FORMAT", "json".to_string()),
        ],
    );
    let addr = admin_addr(&bot).await;
    let pushes = "studybot_pushes_total";
    wait_metric(addr, pushes, &[("platform", "telegram")], CHATS as f64).await;
    let m = scrape(addr).await;
    let telegram = |outcome| [("platform", "telegram"), ("outcome", outcome)];
    assert_eq!(sum(&m, pushes, &telegram("sent")), (CHATS - 1) as f64);
    assert_eq!(sum(&m, pushes, &telegram("paused")), 1.0);
    assert_eq!(sum(&m, pushes, &telegram("failed")), 0.0);
    let limited = sum(
        &m,
        "studybot_rate_limited_total",
        &[("platform", "telegram")],
    );
    assert_eq!(limited, 3.0);
    let retried = sum(
        &m,
        "studybot_requests_retried_total",
        &[("platform", "telegram")],
    );
    assert_eq!(retried, 3.0);
    let lag = [("kind", "push")];
    assert_eq!(
        sum(&m, "studybot_scheduler_lag_seconds_count", &lag),
        CHATS as f64
    );
    assert_eq!(
        sum(&m, "studybot_scheduler_lag_seconds_sum", &lag),
        30.0 * CHATS as f64
    );
    // A push 30 s late falls in the 30 s bucket and not below.
    let le = |b| [("kind", "push"), ("le", b)];
    assert_eq!(
        sum(&m, "studybot_scheduler_lag_seconds_bucket", &le("10")),
        0.0
    );
    assert_eq!(
        sum(&m, "studybot_scheduler_lag_seconds_bucket", &le("30")),
        CHATS as f64
    );
    assert_eq!(bot.terminate(Duration::from_secs(30)).await, Some(0));
}
