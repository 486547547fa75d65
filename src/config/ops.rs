//! Operations settings: `HTTP_ADDR`, `LOG_FORMAT`, the health windows and `SHUTDOWN_TIMEOUT`.

use super::{ConfigError, Problems, duration, invalid};
use std::net::SocketAddr;
use std::time::Duration;

/// How logs are written to stderr.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum LogFormat {
    /// Human-readable lines (the default).
    #[default]
    Text,
    /// One JSON object per line, for log shippers.
    Json,
}

impl LogFormat {
    /// `text` or `json` (any case).
    pub fn parse(s: &str) -> Result<LogFormat, ConfigError> {
        match s.trim().to_ascii_lowercase().as_str() {
            "text" | "" => Ok(LogFormat::Text),
            "json" => Ok(LogFormat::Json),
            _ => Err(invalid("LOG_FORMAT", "must be text or json")),
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            LogFormat::Text => "text",
            LogFormat::Json => "json",
        }
    }
}

/// How recent a sign of life must be for `/healthz` to count a part as up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HealthWindows {
    /// `HEALTH_TELEGRAM_WINDOW`: a successful `getUpdates` at least this recently.
    pub telegram: Duration,
    /// `HEALTH_SCHEDULER_WINDOW`: a scheduler tick at least this recently.
    pub scheduler: Duration,
    /// How long the database may take to answer `SELECT 1`.
    pub database: Duration,
}

impl Default for HealthWindows {
    fn default() -> HealthWindows {
        HealthWindows {
            telegram: Duration::from_secs(60),
            scheduler: Duration::from_secs(30),
            database: Duration::from_secs(2),
        }
    }
}

#[derive(Debug, Clone)]
pub struct OpsConfig {
    /// `HTTP_ADDR`: where the admin server (/healthz, /livez, /metrics) listens; unset = off.
    pub http_addr: Option<SocketAddr>,
    /// `LOG_FORMAT`.
    pub log_format: LogFormat,
    pub health: HealthWindows,
    /// `SHUTDOWN_TIMEOUT`: how long a SIGTERM waits for in-flight work before giving up.
    pub shutdown_timeout: Duration,
}

/// teloxide pauses 10 s inside a request that got a 5xx answer before returning it, and a
/// handler may retry once more after that; 20 s lets such a send finish. (Docker's `stop` waits
/// 10 s before SIGKILL unless told more: compose.yaml sets 30 s.)
pub const DEFAULT_SHUTDOWN_TIMEOUT: Duration = Duration::from_secs(20);

impl Default for OpsConfig {
    fn default() -> OpsConfig {
        OpsConfig {
            http_addr: None,
            log_format: LogFormat::Text,
            health: HealthWindows::default(),
            shutdown_timeout: DEFAULT_SHUTDOWN_TIMEOUT,
        }
    }
}

/// A positive duration like `60s`, `2m` (a bare number is seconds).
fn window(var: &'static str, v: &str) -> Result<Duration, ConfigError> {
    duration(v)
        .and_then(|d| d.to_std().ok())
        .filter(|d| !d.is_zero())
        .ok_or_else(|| invalid(var, "must be a positive duration like 60s or 2m"))
}

pub(super) fn ops_from(var: &dyn Fn(&str) -> Option<String>, p: &mut Problems) -> OpsConfig {
    let d = OpsConfig::default();
    let http_addr = p.or(
        var("HTTP_ADDR").map(|a| {
            a.parse::<SocketAddr>().map(Some).map_err(|_| {
                invalid(
                    "HTTP_ADDR",
                    format!("{a:?} is not an address like 127.0.0.1:8080 or 0.0.0.0:8080"),
                )
            })
        }),
        None,
    );
    let log_format = p.or(
        var("LOG_FORMAT").map(|f| LogFormat::parse(&f)),
        d.log_format,
    );
    let health = HealthWindows {
        telegram: p.or(
            var("HEALTH_TELEGRAM_WINDOW").map(|v| window("HEALTH_TELEGRAM_WINDOW", &v)),
            d.health.telegram,
        ),
        scheduler: p.or(
            var("HEALTH_SCHEDULER_WINDOW").map(|v| window("HEALTH_SCHEDULER_WINDOW", &v)),
            d.health.scheduler,
        ),
        database: d.health.database,
    };
    let shutdown_timeout = p.or(
        var("SHUTDOWN_TIMEOUT").map(|v| window("SHUTDOWN_TIMEOUT", &v)),
        d.shutdown_timeout,
    );
    OpsConfig {
        http_addr,
        log_format,
        health,
        shutdown_timeout,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;

    fn check(pairs: &[(&str, &str)]) -> Result<Config, crate::config::ConfigErrors> {
        let pairs: Vec<(String, String)> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::check_vars(|k| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone()))
    }

    #[test]
    fn the_admin_server_is_off_unless_http_addr_is_set() {
        let c = check(&[]).unwrap();
        assert_eq!(c.ops.http_addr, None);
        assert_eq!(c.ops.log_format, LogFormat::Text);
        let c = check(&[("HTTP_ADDR", "0.0.0.0:8080"), ("LOG_FORMAT", "JSON")]).unwrap();
        assert_eq!(c.ops.http_addr.unwrap().port(), 8080);
        assert_eq!(c.ops.log_format, LogFormat::Json);
    }

    #[test]
    fn health_windows_and_the_shutdown_timeout_take_durations() {
        let c = check(&[
            ("HEALTH_TELEGRAM_WINDOW", "3s"),
            ("HEALTH_SCHEDULER_WINDOW", "2m"),
            ("SHUTDOWN_TIMEOUT", "30"),
        ])
        .unwrap();
        assert_eq!(c.ops.health.telegram, Duration::from_secs(3));
        assert_eq!(c.ops.health.scheduler, Duration::from_secs(120));
        assert_eq!(c.ops.shutdown_timeout, Duration::from_secs(30));
    }

    #[test]
    fn every_bad_variable_is_named_once_in_one_read() {
        let errors = check(&[
            ("HTTP_ADDR", "localhost"),
            ("LOG_FORMAT", "xml"),
            ("HEALTH_TELEGRAM_WINDOW", "0s"),
            ("SHUTDOWN_TIMEOUT", "soon"),
            ("DEFAULT_TIMEZONE", "Moon/Base"),
            ("TELEGRAM_BOT_TOKEN", "nope"),
            ("TELEGRAM_RATE_LIMIT", "fast"),
        ])
        .unwrap_err();
        let vars: Vec<&str> = errors.0.iter().map(|e| e.var).collect();
        assert_eq!(
            vars,
            [
                "DEFAULT_TIMEZONE",
                "TELEGRAM_BOT_TOKEN",
                "TELEGRAM_RATE_LIMIT",
                "HTTP_ADDR",
                "LOG_FORMAT",
                "HEALTH_TELEGRAM_WINDOW",
                "SHUTDOWN_TIMEOUT"
            ]
        );
        assert_eq!(errors.to_string().lines().count(), 7);
    }
}
