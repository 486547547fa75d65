//! What each part of the running bot last reported, and the verdict `/healthz` gives on it.

use serde::Serialize;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

pub use crate::config::HealthWindows;

/// Signs of life, as milliseconds since the process started (0 = never).
#[derive(Debug)]
pub struct Health {
    started: Instant,
    telegram_enabled: AtomicBool,
    /// Webhook mode: contact is a webhook delivery or a `getWebhookInfo` answer.
    telegram_webhook: AtomicBool,
    telegram_polled: AtomicU64,
    /// Polling mode, and another instance holds the poller lock: this one stands by.
    telegram_standby: AtomicBool,
    discord_enabled: AtomicBool,
    discord_connected: AtomicBool,
    scheduler_enabled: AtomicBool,
    scheduler_ticked: AtomicU64,
}

/// The process's one health record.
pub fn health() -> &'static Health {
    static HEALTH: OnceLock<Health> = OnceLock::new();
    HEALTH.get_or_init(|| Health {
        started: Instant::now(),
        telegram_enabled: AtomicBool::new(false),
        telegram_webhook: AtomicBool::new(false),
        telegram_polled: AtomicU64::new(0),
        telegram_standby: AtomicBool::new(false),
        discord_enabled: AtomicBool::new(false),
        discord_connected: AtomicBool::new(false),
        scheduler_enabled: AtomicBool::new(false),
        scheduler_ticked: AtomicU64::new(0),
    })
}

/// One part's state in the `/healthz` answer.
#[derive(Debug, Clone, Serialize, PartialEq, Eq)]
pub struct PartState {
    pub ok: bool,
    /// What is wrong, or what was last seen.
    pub detail: String,
}

/// The `/healthz` answer: every part that runs in this process, and the overall verdict.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub status: &'static str,
    pub parts: std::collections::BTreeMap<&'static str, PartState>,
}

impl Report {
    pub fn ok(&self) -> bool {
        self.status == "ok"
    }
}

impl Health {
    fn now_ms(&self) -> u64 {
        u64::try_from(self.started.elapsed().as_millis())
            .unwrap_or(u64::MAX)
            .max(1)
    }

    /// Telegram runs in this process: `/healthz` reports on it.
    pub fn telegram_enabled(&self) {
        self.telegram_enabled.store(true, Ordering::Relaxed);
    }

    /// Updates arrive by webhook: contact is reported by [`Health::telegram_polled`] on every
    /// delivery with the right secret and every `getWebhookInfo` answer.
    pub fn telegram_by_webhook(&self) {
        self.telegram_webhook.store(true, Ordering::Relaxed);
    }

    /// A `getUpdates` call answered successfully (with or without updates), or in webhook mode
    /// a delivery or `getWebhookInfo` answer.
    pub fn telegram_polled(&self) {
        self.telegram_polled.store(self.now_ms(), Ordering::Relaxed);
    }

    /// Polling mode: whether this instance stands by while another one polls (healthy: it
    /// takes over when that one stops), or polls itself (judged by its `getUpdates`).
    pub fn telegram_standby(&self, standby: bool) {
        self.telegram_standby.store(standby, Ordering::Relaxed);
    }

    pub fn discord_enabled(&self) {
        self.discord_enabled.store(true, Ordering::Relaxed);
    }

    /// The gateway connected (READY or RESUMED) or dropped.
    pub fn discord_connected(&self, up: bool) {
        self.discord_connected.store(up, Ordering::Relaxed);
    }

    pub fn scheduler_enabled(&self) {
        self.scheduler_enabled.store(true, Ordering::Relaxed);
    }

    pub fn scheduler_ticked(&self) {
        self.scheduler_ticked
            .store(self.now_ms(), Ordering::Relaxed);
    }

    /// How long ago `stamp` was, if ever.
    fn age(&self, stamp: &AtomicU64) -> Option<Duration> {
        match stamp.load(Ordering::Relaxed) {
            0 => None,
            ms => Some(Duration::from_millis(self.now_ms().saturating_sub(ms))),
        }
    }

    fn recent(&self, stamp: &AtomicU64, window: Duration, what: &str) -> PartState {
        match self.age(stamp) {
            Some(age) if age <= window => PartState {
                ok: true,
                detail: format!("{what} {:.1}s ago", age.as_secs_f64()),
            },
            Some(age) => PartState {
                ok: false,
                detail: format!(
                    "no {what} for {:.0}s (window {}s)",
                    age.as_secs_f64(),
                    window.as_secs()
                ),
            },
            None => PartState {
                ok: false,
                detail: format!("no {what} yet"),
            },
        }
    }

    /// The verdict on every part running here; `database` is the outcome of a trivial query.
    pub fn report(&self, windows: &HealthWindows, database: Result<(), String>) -> Report {
        let mut parts = std::collections::BTreeMap::new();
        parts.insert(
            "database",
            match database {
                Ok(()) => PartState {
                    ok: true,
                    detail: "reachable".into(),
                },
                Err(why) => PartState {
                    ok: false,
                    detail: why,
                },
            },
        );
        if self.telegram_enabled.load(Ordering::Relaxed) {
            let what = if self.telegram_webhook.load(Ordering::Relaxed) {
                "webhook delivery or getWebhookInfo"
            } else {
                "successful getUpdates"
            };
            let state = if self.telegram_standby.load(Ordering::Relaxed) {
                PartState {
                    ok: true,
                    detail: "standby: another instance polls Telegram".into(),
                }
            } else {
                self.recent(&self.telegram_polled, windows.telegram, what)
            };
            parts.insert("telegram", state);
        }
        if self.discord_enabled.load(Ordering::Relaxed) {
            let up = self.discord_connected.load(Ordering::Relaxed);
            parts.insert(
                "discord",
                PartState {
                    ok: up,
                    detail: if up {
                        "gateway connected"
                    } else {
                        "gateway not connected"
                    }
                    .into(),
                },
            );
        }
        if self.scheduler_enabled.load(Ordering::Relaxed) {
            let state = self.recent(&self.scheduler_ticked, windows.scheduler, "scheduler tick");
            parts.insert("scheduler", state);
        }
        let ok = parts.values().all(|p| p.ok);
        Report {
            status: if ok { "ok" } else { "unhealthy" },
            parts,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fresh() -> Health {
        Health {
            started: Instant::now() - Duration::from_secs(100),
            telegram_enabled: AtomicBool::new(true),
            telegram_webhook: AtomicBool::new(false),
            telegram_polled: AtomicU64::new(0),
            telegram_standby: AtomicBool::new(false),
            discord_enabled: AtomicBool::new(false),
            discord_connected: AtomicBool::new(false),
            scheduler_enabled: AtomicBool::new(false),
            scheduler_ticked: AtomicU64::new(0),
        }
    }

    #[test]
    fn a_part_that_never_reported_is_unhealthy_and_named() {
        let h = fresh();
        let r = h.report(&HealthWindows::default(), Ok(()));
        assert!(!r.ok());
        assert!(!r.parts["telegram"].ok && r.parts["database"].ok);
        assert!(
            !r.parts.contains_key("discord"),
            "discord is not configured"
        );
    }

    #[test]
    fn a_recent_poll_is_healthy_and_an_old_one_is_not() {
        let h = fresh();
        h.telegram_polled();
        assert!(h.report(&HealthWindows::default(), Ok(())).ok());
        h.telegram_polled.store(1, Ordering::Relaxed);
        let r = h.report(&HealthWindows::default(), Ok(()));
        assert!(!r.ok() && r.parts["telegram"].detail.contains("window 60s"));
    }

    #[test]
    fn a_standby_poller_is_healthy_until_it_polls_itself() {
        let h = fresh();
        h.telegram_standby(true);
        let r = h.report(&HealthWindows::default(), Ok(()));
        assert!(r.ok() && r.parts["telegram"].detail.starts_with("standby"));
        h.telegram_standby(false);
        assert!(!h.report(&HealthWindows::default(), Ok(())).ok());
    }

    #[test]
    fn a_failed_database_query_makes_the_whole_answer_unhealthy() {
        let h = fresh();
        h.telegram_polled();
        let r = h.report(&HealthWindows::default(), Err("timed out".into()));
        assert_eq!((r.status, r.parts["database"].ok), ("unhealthy", false));
    }
}
