//! One typed configuration, read once from the environment (and `.env`), validated up front.

mod database;
mod effective;
mod ops;
mod scale;

pub use ops::{HealthWindows, LogFormat, OpsConfig};
pub use scale::{ShardRange, WEBHOOK_PORTS, WebhookConfig, webhook_secret};

use crate::core::Timezone;
use crate::core::limits::{self, Rate};
use chrono::{DateTime, Utc};
use ops::ops_from;
use std::fmt;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
#[error("{var}: {message}")]
pub struct ConfigError {
    pub var: &'static str,
    pub message: String,
}

fn invalid(var: &'static str, message: impl Into<String>) -> ConfigError {
    ConfigError {
        var,
        message: message.into(),
    }
}

/// A token that never shows up in `Debug` output or logs.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(s: impl Into<String>) -> Secret {
        Secret(s.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(<redacted>)")
    }
}

#[derive(Debug, Clone)]
pub struct TelegramConfig {
    pub token: Secret,
    /// `TELEGRAM_RATE_LIMIT`: pushed messages per second overall (0 = no overall limit, for a
    /// rate-limiting proxy in front).
    pub rate_limit: u32,
    /// Another Bot API server (a local `telegram-bot-api`, or a test fake).
    pub api_url: Option<url::Url>,
    /// `TELEGRAM_WEBHOOK_*`: updates arrive by webhook; `None` = long polling (the default).
    pub webhook: Option<WebhookConfig>,
}

#[derive(Debug, Clone)]
pub struct DiscordConfig {
    pub token: Secret,
    /// Origin that replaces `https://discord.com` (an HTTP proxy, or a test fake).
    pub api_url: Option<String>,
    /// Register slash commands to this guild only, for quick testing.
    pub guild_id: Option<u64>,
    /// `DISCORD_RATE_LIMIT`: the most bot-initiated requests (pushes, answer counts) in any one
    /// second, overall (0 = no limit, for a rate-limiting proxy in front).
    pub rate_limit: u32,
    /// `DISCORD_SHARDS` of `DISCORD_SHARD_COUNT`: this process's shards; `None` = every shard
    /// `GET /gateway/bot` recommends, in this process.
    pub shards: Option<ShardRange>,
}

#[derive(Debug, Clone)]
pub struct Config {
    pub database_url: String,
    /// `DATABASE_MAX_CONNECTIONS`, `DATABASE_STATEMENT_TIMEOUT` (PostgreSQL).
    pub database: crate::store::StoreOptions,
    /// `STUDYBOT_CLOCK_FILE`: read the clock from this file on every use (an RFC 3339 instant),
    /// so end-to-end tests can move time in a running bot. Overrides `STUDYBOT_NOW`.
    pub clock_file: Option<PathBuf>,
    pub content_dir: PathBuf,
    pub default_timezone: Timezone,
    pub telegram: Option<TelegramConfig>,
    pub discord: Option<DiscordConfig>,
    /// `PUSH_CATCHUP`, `PUSH_CONCURRENCY`.
    pub push: SchedulerConfig,
    /// `STUDYBOT_NOW`: run with the clock stopped at this instant (for demos and end-to-end tests).
    pub fixed_now: Option<DateTime<Utc>>,
    /// `EXPORT_DIR`: where the console saves pictures and exports (default: the working
    /// directory).
    pub export_dir: PathBuf,
    /// The admin HTTP server, logs, health windows, shutdown.
    pub ops: OpsConfig,
    /// `USER_RATE_LIMIT`, `CHAT_RATE_LIMIT`, `EXPENSIVE_RATE_LIMIT`: typed commands on the chat
    /// platforms (`None` = off).
    pub limits: RateLimits,
}

/// Command rate limits, each `N/min[,burst=B]` or `off` (see `core::limits`).
#[derive(Debug, Clone, Copy)]
pub struct RateLimits {
    pub user: Option<Rate>,
    pub chat: Option<Rate>,
    pub expensive: Option<Rate>,
}

impl RateLimits {
    /// Each bad variable is a problem of its own (and that limit stays off).
    fn from_vars(var: &dyn Fn(&str) -> Option<String>, p: &mut Problems) -> RateLimits {
        let mut rate = |name: &'static str, default: &str| {
            let parsed = Rate::parse(&var(name).unwrap_or_else(|| default.to_string()))
                .map_err(|m| invalid(name, m));
            p.keep(parsed).flatten()
        };
        RateLimits {
            user: rate("USER_RATE_LIMIT", limits::DEFAULT_USER),
            chat: rate("CHAT_RATE_LIMIT", limits::DEFAULT_CHAT),
            expensive: rate("EXPENSIVE_RATE_LIMIT", limits::DEFAULT_EXPENSIVE),
        }
    }
}

pub use database::DEFAULT_DATABASE_URL;
pub const DEFAULT_CONTENT_DIR: &str = "content";

/// Every problem found in one read of the configuration, one per variable.
#[derive(Debug)]
pub struct ConfigErrors(pub Vec<ConfigError>);

impl fmt::Display for ConfigErrors {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let lines: Vec<String> = self.0.iter().map(ToString::to_string).collect();
        f.write_str(&lines.join("\n"))
    }
}

impl std::error::Error for ConfigErrors {}

/// Collects problems while the variables are read, so one run names them all.
#[derive(Default)]
struct Problems(Vec<ConfigError>);

impl Problems {
    fn keep<T>(&mut self, r: Result<T, ConfigError>) -> Option<T> {
        r.map_err(|e| self.0.push(e)).ok()
    }

    /// An optional variable: unset gives `default`, a bad value a problem (and `default`).
    fn or<T>(&mut self, r: Option<Result<T, ConfigError>>, default: T) -> T {
        match r.transpose() {
            Ok(v) => v.unwrap_or(default),
            Err(e) => {
                self.0.push(e);
                default
            }
        }
    }
}

impl Config {
    /// Reads the process environment, after loading `.env` if there is one.
    pub fn from_env() -> Result<Config, ConfigErrors> {
        let _ = dotenvy::dotenv();
        Config::check_vars(|k| std::env::var(k).ok())
    }

    /// Builds the config from any variable source; empty values count as unset. The first
    /// problem, if any (see [`Config::check_vars`] for all of them).
    pub fn from_vars(get: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigError> {
        Config::check_vars(get).map_err(|mut e| e.0.remove(0))
    }

    /// Builds the config from any variable source, naming every bad variable.
    pub fn check_vars(get: impl Fn(&str) -> Option<String>) -> Result<Config, ConfigErrors> {
        let var = |k: &str| {
            get(k)
                .map(|v| v.trim().to_string())
                .filter(|v| !v.is_empty())
        };
        let mut p = Problems::default();

        let (database_url, database) = database::database_from(&var, &mut p);
        let content_dir = PathBuf::from(content_dir_from(&var));
        let default_timezone = p.or(
            var("DEFAULT_TIMEZONE").map(|tz| {
                Timezone::parse(&tz).map_err(|_| {
                    invalid(
                        "DEFAULT_TIMEZONE",
                        format!("unknown timezone {tz:?}; use an IANA name like Europe/Berlin"),
                    )
                })
            }),
            Timezone::UTC,
        );
        let telegram = match var("TELEGRAM_BOT_TOKEN") {
            None => None,
            Some(t) => {
                let token = p.keep(telegram_token(&t));
                let rate_limit = p.or(
                    var("TELEGRAM_RATE_LIMIT").map(|v| {
                        v.parse::<u32>().map_err(|_| {
                            invalid(
                                "TELEGRAM_RATE_LIMIT",
                                "must be messages per second, e.g. 30 (0 = off)",
                            )
                        })
                    }),
                    crate::adapters::telegram::DEFAULT_PER_SECOND,
                );
                let api_url = p.or(
                    var("TELEGRAM_API_URL").map(|u| api_url("TELEGRAM_API_URL", &u).map(Some)),
                    None,
                );
                let webhook = scale::webhook_from(&var, true, &mut p);
                token.map(|token| TelegramConfig {
                    token,
                    rate_limit,
                    api_url,
                    webhook,
                })
            }
        };
        if var("TELEGRAM_BOT_TOKEN").is_none() {
            // Webhook settings without a bot token are a mistake worth naming.
            scale::webhook_from(&var, false, &mut p);
        }
        let mut push = SchedulerConfig::default();
        if let Some(v) = var("PUSH_CATCHUP") {
            push.catchup = p.or(
                Some(duration(&v).ok_or_else(|| {
                    invalid("PUSH_CATCHUP", "must be a duration like 6h, 90m or 3600s")
                })),
                push.catchup,
            );
        }
        if let Some(v) = var("PUSH_LEASE") {
            push.lease = p.or(
                Some(
                    duration(&v)
                        .filter(|d| *d > chrono::Duration::zero())
                        .ok_or_else(|| {
                            invalid(
                                "PUSH_LEASE",
                                "must be a duration like 2m or 120s, more than zero",
                            )
                        }),
                ),
                push.lease,
            );
        }
        push.sole_instance = database_url.starts_with("sqlite:");
        if let Some(v) = var("PUSH_CONCURRENCY") {
            push.concurrency = p.or(
                Some(
                    v.parse::<usize>()
                        .ok()
                        .filter(|n| (1..=1000).contains(n))
                        .ok_or_else(|| {
                            invalid("PUSH_CONCURRENCY", "must be a number from 1 to 1000")
                        }),
                ),
                push.concurrency,
            );
        }
        let discord = match var("DISCORD_TOKEN") {
            None => None,
            Some(t) => {
                let token = p.keep(discord_token(&t));
                let api_url = p.or(
                    var("DISCORD_API_URL").map(|u| {
                        api_url("DISCORD_API_URL", &u)
                            .map(|u| Some(u.as_str().trim_end_matches('/').to_string()))
                    }),
                    None,
                );
                let guild_id = p.or(
                    var("DISCORD_GUILD_ID").map(|g| {
                        g.parse::<u64>()
                            .map(Some)
                            .map_err(|_| invalid("DISCORD_GUILD_ID", "must be a numeric guild id"))
                    }),
                    None,
                );
                let rate_limit = p.or(
                    var("DISCORD_RATE_LIMIT").map(|v| {
                        v.parse::<u32>().map_err(|_| {
                            invalid(
                                "DISCORD_RATE_LIMIT",
                                "must be requests per second, e.g. 50 (0 = off)",
                            )
                        })
                    }),
                    crate::adapters::discord::DEFAULT_RATE_LIMIT,
                );
                let shards = scale::shards_from(&var, &mut p);
                token.map(|token| DiscordConfig {
                    token,
                    api_url,
                    guild_id,
                    rate_limit,
                    shards,
                })
            }
        };
        let clock_file = var("STUDYBOT_CLOCK_FILE").map(PathBuf::from);
        let fixed_now = p.or(
            var("STUDYBOT_NOW").map(|s| {
                DateTime::parse_from_rfc3339(&s)
                    .map(|t| Some(t.with_timezone(&Utc)))
                    .map_err(|_| {
                        invalid(
                            "STUDYBOT_NOW",
                            "must be an RFC 3339 instant like 2026-03-01T09:00:00Z",
                        )
                    })
            }),
            None,
        );
        let export_dir = PathBuf::from(var("EXPORT_DIR").unwrap_or_else(|| ".".to_string()));
        let ops = ops_from(&var, &mut p);
        let limits = RateLimits::from_vars(&var, &mut p);
        if !p.0.is_empty() {
            return Err(ConfigErrors(p.0));
        }
        Ok(Config {
            limits,
            export_dir,
            push,
            database_url,
            database,
            content_dir,
            default_timezone,
            telegram,
            discord,
            clock_file,
            fixed_now,
            ops,
        })
    }
}

/// `6h`, `90m`, `3600s` (or a bare number of seconds).
fn duration(s: &str) -> Option<chrono::Duration> {
    let (num, unit) = s.split_at(s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len()));
    let n: i64 = num.parse().ok()?;
    match unit {
        "" | "s" => chrono::Duration::try_seconds(n),
        "m" => chrono::Duration::try_minutes(n),
        "h" => chrono::Duration::try_hours(n),
        "d" => chrono::Duration::try_days(n),
        _ => None,
    }
}

/// `CONTENT_DIR`, for commands that need nothing else.
pub fn content_dir_from(var: &dyn Fn(&str) -> Option<String>) -> String {
    var("CONTENT_DIR").unwrap_or_else(|| DEFAULT_CONTENT_DIR.to_string())
}

/// Telegram tokens look like `123456:ABC-def_…`; catching a pasted typo here beats a 401 later.
fn telegram_token(t: &str) -> Result<Secret, ConfigError> {
    let ok = t.split_once(':').is_some_and(|(id, rest)| {
        !id.is_empty()
            && id.bytes().all(|b| b.is_ascii_digit())
            && !rest.is_empty()
            && rest
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-')
    });
    if ok {
        Ok(Secret(t.to_string()))
    } else {
        Err(invalid(
            "TELEGRAM_BOT_TOKEN",
            "must look like 123456789:AAE… (from @BotFather)",
        ))
    }
}

/// Discord tokens are three dot-separated parts (serenity checks the same before connecting).
fn discord_token(t: &str) -> Result<Secret, ConfigError> {
    let t = t.strip_prefix("Bot ").unwrap_or(t);
    let parts: Vec<&str> = t.split('.').collect();
    if parts.len() == 3 && parts.iter().all(|p| !p.is_empty()) && !t.contains(char::is_whitespace) {
        Ok(Secret(t.to_string()))
    } else {
        Err(invalid(
            "DISCORD_TOKEN",
            "must be a bot token of three dot-separated parts (Developer Portal → Bot)",
        ))
    }
}

fn api_url(var: &'static str, u: &str) -> Result<url::Url, ConfigError> {
    let trimmed = u.trim_end_matches('/');
    let parsed = url::Url::parse(trimmed).map_err(|e| invalid(var, format!("not a URL ({e})")))?;
    if !matches!(parsed.scheme(), "http" | "https") || parsed.host_str().is_none() {
        return Err(invalid(var, "must be an http:// or https:// URL"));
    }
    Ok(parsed)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn cfg(pairs: &[(&str, &str)]) -> Result<Config, ConfigError> {
        let m: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::from_vars(|k| m.get(k).cloned())
    }

    #[test]
    fn defaults_need_no_variables() {
        let c = cfg(&[]).unwrap();
        assert_eq!(c.database_url, DEFAULT_DATABASE_URL);
        assert_eq!(c.content_dir, PathBuf::from("content"));
        assert_eq!(c.default_timezone, Timezone::UTC);
        assert!(c.telegram.is_none() && c.discord.is_none() && c.fixed_now.is_none());
    }

    #[test]
    fn rate_limits_default_on_and_name_the_variable_when_wrong() {
        let c = cfg(&[]).unwrap();
        assert_eq!(c.limits.user.unwrap().count.get(), 20);
        let c = cfg(&[("USER_RATE_LIMIT", "off"), ("EXPENSIVE_RATE_LIMIT", "1/h")]).unwrap();
        assert!(c.limits.user.is_none());
        assert_eq!(c.limits.expensive.unwrap().per.as_secs(), 3600);
        let e = cfg(&[("CHAT_RATE_LIMIT", "lots")]).unwrap_err();
        assert_eq!(e.var, "CHAT_RATE_LIMIT");
    }

    #[test]
    fn exports_go_to_the_working_directory_unless_export_dir_is_set() {
        assert_eq!(cfg(&[]).unwrap().export_dir, PathBuf::from("."));
        let c = cfg(&[("EXPORT_DIR", " /tmp/cards ")]).unwrap();
        assert_eq!(c.export_dir, PathBuf::from("/tmp/cards"));
    }

    #[test]
    fn each_bad_value_names_its_variable() {
        for (k, v) in [
            ("DATABASE_URL", "mysql://x"),
            ("DEFAULT_TIMEZONE", "Moon/Base"),
            ("TELEGRAM_BOT_TOKEN", "not-a-token"),
            ("DISCORD_TOKEN", "abc"),
            ("STUDYBOT_NOW", "yesterday"),
            ("PUSH_CATCHUP", "six hours"),
            ("PUSH_CONCURRENCY", "0"),
            ("PUSH_LEASE", "0s"),
        ] {
            let e = cfg(&[(k, v)]).unwrap_err();
            assert_eq!(e.var, k);
            assert!(e.to_string().starts_with(k));
        }
        let e = cfg(&[
            ("TELEGRAM_BOT_TOKEN", "123:abc"),
            ("TELEGRAM_API_URL", "ftp://x"),
        ])
        .unwrap_err();
        assert_eq!(e.var, "TELEGRAM_API_URL");
        let e = cfg(&[("DISCORD_TOKEN", "a.b.c"), ("DISCORD_GUILD_ID", "guild")]).unwrap_err();
        assert_eq!(e.var, "DISCORD_GUILD_ID");
    }

    #[test]
    fn push_settings_have_defaults_and_accept_units() {
        let c = cfg(&[]).unwrap();
        assert_eq!(c.push.catchup, chrono::Duration::hours(6));
        let c = cfg(&[("PUSH_CATCHUP", "90m"), ("PUSH_CONCURRENCY", "8")]).unwrap();
        assert_eq!(
            (c.push.catchup, c.push.concurrency),
            (chrono::Duration::minutes(90), 8)
        );
        let t = cfg(&[("TELEGRAM_BOT_TOKEN", "1:a"), ("TELEGRAM_RATE_LIMIT", "0")]).unwrap();
        assert_eq!(t.telegram.unwrap().rate_limit, 0);
        assert_eq!(
            cfg(&[("TELEGRAM_BOT_TOKEN", "1:a"), ("TELEGRAM_RATE_LIMIT", "x")])
                .unwrap_err()
                .var,
            "TELEGRAM_RATE_LIMIT"
        );
    }

    #[test]
    fn the_discord_rate_limit_defaults_to_discords_global_limit_and_can_be_off() {
        let d = cfg(&[("DISCORD_TOKEN", "a.b.c")]).unwrap();
        assert_eq!(d.discord.unwrap().rate_limit, 50);
        let d = cfg(&[("DISCORD_TOKEN", "a.b.c"), ("DISCORD_RATE_LIMIT", "0")]).unwrap();
        assert_eq!(d.discord.unwrap().rate_limit, 0);
        let d = cfg(&[("DISCORD_TOKEN", "a.b.c"), ("DISCORD_RATE_LIMIT", " 20 ")]).unwrap();
        assert_eq!(d.discord.unwrap().rate_limit, 20);
        for bad in ["x", "-1", "2.5"] {
            assert_eq!(
                cfg(&[("DISCORD_TOKEN", "a.b.c"), ("DISCORD_RATE_LIMIT", bad)])
                    .unwrap_err()
                    .var,
                "DISCORD_RATE_LIMIT"
            );
        }
    }

    #[test]
    fn tokens_never_appear_in_debug_output() {
        let c = cfg(&[
            ("TELEGRAM_BOT_TOKEN", "123456:SECRETsecret"),
            ("DISCORD_TOKEN", "aaa.bbb.ccc"),
        ])
        .unwrap();
        let dbg = format!("{c:?}");
        assert!(!dbg.contains("SECRETsecret") && !dbg.contains("aaa.bbb.ccc"));
    }

    #[test]
    fn api_urls_lose_their_trailing_slash() {
        let c = cfg(&[
            ("TELEGRAM_BOT_TOKEN", "1:a"),
            ("TELEGRAM_API_URL", "http://127.0.0.1:8081/"),
        ])
        .unwrap();
        assert_eq!(
            c.telegram.unwrap().api_url.unwrap().as_str(),
            "http://127.0.0.1:8081/"
        );
        let c = cfg(&[
            ("DISCORD_TOKEN", "a.b.c"),
            ("DISCORD_API_URL", "http://127.0.0.1:9/"),
        ])
        .unwrap();
        assert_eq!(c.discord.unwrap().api_url.unwrap(), "http://127.0.0.1:9");
    }
}

/// How the scheduler works through timed work (pushes, reminders, rounds).
#[derive(Debug, Clone)]
pub struct SchedulerConfig {
    /// A fire missed by less than this (the bot was down) is still sent.
    pub catchup: chrono::Duration,
    /// Sends in flight at once across all chats.
    pub concurrency: usize,
    /// How often due subscriptions are looked up; a new subscription takes effect within one tick.
    pub tick: std::time::Duration,
    /// Subscriptions claimed per transaction.
    pub batch: usize,
    /// `PUSH_LEASE`: how long a claimed push belongs to the instance that claimed it. A claim
    /// still unconfirmed after this (its instance died mid-send) is taken over and sent again by
    /// any instance. Longer than a send can take, 429 waits included.
    pub lease: chrono::Duration,
    /// Whether every unconfirmed claim at start is this process's own leftover (one process per
    /// SQLite file), to resend at once instead of after the lease.
    pub sole_instance: bool,
}

impl Default for SchedulerConfig {
    fn default() -> SchedulerConfig {
        SchedulerConfig {
            catchup: chrono::Duration::hours(6),
            concurrency: 32,
            tick: std::time::Duration::from_secs(1),
            batch: 500,
            lease: chrono::Duration::minutes(2),
            sole_instance: true,
        }
    }
}
