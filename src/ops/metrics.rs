//! The Prometheus recorder and the names of every metric studybot exports. Label values are
//! always from a fixed set (command names, platforms, outcomes): never user or chat ids.

use metrics::{describe_counter, describe_gauge, describe_histogram, gauge};
use metrics_exporter_prometheus::{Matcher, PrometheusBuilder, PrometheusHandle};

pub const COMMANDS: &str = "studybot_commands_total";
pub const COMMAND_SECONDS: &str = "studybot_command_duration_seconds";
pub const ANSWERS: &str = "studybot_answers_total";
pub const PUSHES: &str = "studybot_pushes_total";
pub const RATE_LIMITED: &str = "studybot_rate_limited_total";
pub const RETRIED: &str = "studybot_requests_retried_total";
pub const OUTBOUND_SECONDS: &str = "studybot_outbound_request_duration_seconds";
pub const DB_TX_SECONDS: &str = "studybot_db_transaction_duration_seconds";
pub const DB_BEGIN_SECONDS: &str = "studybot_db_begin_wait_seconds";
pub const DB_BATCH_SIZE: &str = "studybot_db_group_commit_size";
pub const SCHEDULER_LAG: &str = "studybot_scheduler_lag_seconds";
pub const SCHEDULER_TICKS: &str = "studybot_scheduler_ticks_total";
pub const ROUNDS_RUNNING: &str = "studybot_quiz_rounds_running";
pub const POLLS: &str = "studybot_telegram_get_updates_total";
pub const POLLER_LEADER: &str = "studybot_telegram_poller_leader";
pub const WEBHOOK_REQUESTS: &str = "studybot_telegram_webhook_requests_total";
pub const HANDLERS_IN_FLIGHT: &str = "studybot_handlers_in_flight";
pub const BUILD_INFO: &str = "studybot_build_info";

/// Latency buckets in seconds, from a fast SQLite statement to a slow send with retries.
const SECONDS_BUCKETS: &[f64] = &[
    0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0,
];
/// Scheduler lag: from on time to the push catch-up window (hours).
const LAG_BUCKETS: &[f64] = &[
    0.1, 0.5, 1.0, 2.0, 5.0, 10.0, 30.0, 60.0, 300.0, 900.0, 3600.0, 21600.0,
];

/// Use cases per group commit (SQLite), up to the writer's batch limit.
const BATCH_BUCKETS: &[f64] = &[1.0, 2.0, 4.0, 8.0, 16.0, 32.0, 64.0];

/// Installs the process-wide recorder (once; later calls fail) and describes every metric.
pub fn install() -> anyhow::Result<PrometheusHandle> {
    let handle = PrometheusBuilder::new()
        .set_buckets(SECONDS_BUCKETS)?
        .set_buckets_for_metric(Matcher::Full(SCHEDULER_LAG.into()), LAG_BUCKETS)?
        .set_buckets_for_metric(Matcher::Full(DB_BATCH_SIZE.into()), BATCH_BUCKETS)?
        .install_recorder()?;
    describe();
    gauge!(BUILD_INFO, "version" => env!("CARGO_PKG_VERSION")).set(1.0);
    Ok(handle)
}

fn describe() {
    describe_counter!(COMMANDS, "Commands handled, by command and platform.");
    describe_histogram!(
        DB_BATCH_SIZE,
        "Use cases committed together in one SQLite transaction (group commit)."
    );
    // Every histogram is in seconds.
    for (name, help) in [
        (
            COMMAND_SECONDS,
            "Time the core took to handle a command, by command and platform.",
        ),
        (
            OUTBOUND_SECONDS,
            "Latency of one outbound request attempt to a chat platform, by platform.",
        ),
        (
            DB_TX_SECONDS,
            "Database transaction time from its start to its commit or rollback, by outcome (on SQLite, the time it held the writing connection).",
        ),
        (
            DB_BEGIN_SECONDS,
            "Time waited to start a write transaction (on SQLite, for the writing connection).",
        ),
        (
            SCHEDULER_LAG,
            "How late due work started: now minus the push's due time, by kind.",
        ),
    ] {
        describe_histogram!(name, metrics::Unit::Seconds, help);
    }
    describe_counter!(
        ANSWERS,
        "Quiz answers recorded, by platform and whether they were right."
    );
    describe_counter!(
        PUSHES,
        "Scheduled pushes by platform and outcome (sent, failed, paused = chat gone)."
    );
    describe_counter!(
        RATE_LIMITED,
        "Outbound requests answered 429 (rate limited), by platform."
    );
    describe_counter!(
        RETRIED,
        "Outbound requests sent again after a 429 or a transient error, by platform."
    );
    describe_counter!(
        SCHEDULER_TICKS,
        "Scheduler ticks, by loop (pushes, rounds)."
    );
    describe_gauge!(ROUNDS_RUNNING, "Quiz rounds running now.");
    describe_counter!(POLLS, "Telegram getUpdates calls, by outcome (ok, error).");
    describe_gauge!(
        POLLER_LEADER,
        "1 while this instance holds the Telegram poller lock and polls, 0 while it stands by."
    );
    describe_counter!(
        WEBHOOK_REQUESTS,
        "Telegram webhook requests, by outcome (ok, failed = 500 for a redelivery, unauthorized = wrong or missing secret, bad_request, ignored)."
    );
    describe_gauge!(
        HANDLERS_IN_FLIGHT,
        "Chat updates being handled right now, by platform."
    );
    describe_gauge!(BUILD_INFO, "Always 1; the version label names the build.");
}

/// Seconds since `start`, for histograms.
pub fn since(start: std::time::Instant) -> f64 {
    start.elapsed().as_secs_f64()
}

/// Counts one update being handled on `platform` while it lives.
pub struct InFlight(&'static str);

impl InFlight {
    pub fn start(platform: &'static str) -> InFlight {
        metrics::gauge!(HANDLERS_IN_FLIGHT, "platform" => platform).increment(1.0);
        InFlight(platform)
    }
}

impl Drop for InFlight {
    fn drop(&mut self) {
        metrics::gauge!(HANDLERS_IN_FLIGHT, "platform" => self.0).decrement(1.0);
    }
}
