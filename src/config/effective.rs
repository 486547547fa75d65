//! The effective configuration as `studybot config check` prints it: every variable with the
//! value in force (defaults included), secrets redacted.

use super::Config;

/// Shown instead of a secret's value.
pub const REDACTED: &str = "<set, redacted>";

/// A URL with any password in it replaced (a proxy URL may carry credentials).
fn shown_url(u: &str) -> String {
    match url::Url::parse(u) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("redacted"));
            parsed.to_string()
        }
        _ => u.to_string(),
    }
}

impl Config {
    /// `(variable, effective value)` in the order .env.example lists them.
    pub fn effective(&self) -> Vec<(&'static str, String)> {
        let unset = || "(unset)".to_string();
        let secs = |d: std::time::Duration| format!("{}s", d.as_secs());
        let mut lines = vec![
            ("DATABASE_URL", shown_url(&self.database_url)),
            (
                "DATABASE_MAX_CONNECTIONS",
                self.database.max_connections.to_string(),
            ),
            (
                "DATABASE_STATEMENT_TIMEOUT",
                secs(self.database.statement_timeout),
            ),
            ("CONTENT_DIR", self.content_dir.display().to_string()),
            ("DEFAULT_TIMEZONE", self.default_timezone.name().to_string()),
            ("EXPORT_DIR", self.export_dir.display().to_string()),
            (
                "TELEGRAM_BOT_TOKEN",
                self.telegram
                    .as_ref()
                    .map_or_else(unset, |_| REDACTED.to_string()),
            ),
        ];
        if let Some(t) = &self.telegram {
            lines.push((
                "TELEGRAM_API_URL",
                t.api_url
                    .as_ref()
                    .map_or_else(unset, |u| shown_url(u.as_str())),
            ));
            lines.push(("TELEGRAM_RATE_LIMIT", t.rate_limit.to_string()));
            let hook = t.webhook.as_ref();
            lines.extend([
                (
                    "TELEGRAM_WEBHOOK_URL",
                    hook.map_or_else(
                        || "(unset: long polling)".to_string(),
                        |w| shown_url(w.url.as_str()),
                    ),
                ),
                (
                    "TELEGRAM_WEBHOOK_ADDR",
                    hook.map_or_else(unset, |w| w.addr.to_string()),
                ),
                (
                    "TELEGRAM_WEBHOOK_SECRET",
                    hook.map_or_else(unset, |_| REDACTED.to_string()),
                ),
            ]);
        }
        lines.push((
            "DISCORD_TOKEN",
            self.discord
                .as_ref()
                .map_or_else(unset, |_| REDACTED.to_string()),
        ));
        if let Some(d) = &self.discord {
            lines.push((
                "DISCORD_API_URL",
                d.api_url.as_deref().map_or_else(unset, shown_url),
            ));
            lines.push((
                "DISCORD_GUILD_ID",
                d.guild_id.map_or_else(unset, |g| g.to_string()),
            ));
            lines.push(("DISCORD_RATE_LIMIT", d.rate_limit.to_string()));
            lines.extend([
                (
                    "DISCORD_SHARDS",
                    d.shards.map_or_else(
                        || "(unset: every shard GET /gateway/bot recommends)".to_string(),
                        |r| format!("{}-{}", r.first, r.last),
                    ),
                ),
                (
                    "DISCORD_SHARD_COUNT",
                    d.shards.map_or_else(unset, |r| r.count.to_string()),
                ),
            ]);
        }
        lines.extend([
            (
                "PUSH_CATCHUP",
                format!("{}s", self.push.catchup.num_seconds()),
            ),
            ("PUSH_CONCURRENCY", self.push.concurrency.to_string()),
            ("PUSH_LEASE", format!("{}s", self.push.lease.num_seconds())),
            (
                "HTTP_ADDR",
                self.ops.http_addr.map_or_else(unset, |a| a.to_string()),
            ),
            ("LOG_FORMAT", self.ops.log_format.as_str().to_string()),
            ("HEALTH_TELEGRAM_WINDOW", secs(self.ops.health.telegram)),
            ("HEALTH_SCHEDULER_WINDOW", secs(self.ops.health.scheduler)),
            ("SHUTDOWN_TIMEOUT", secs(self.ops.shutdown_timeout)),
            (
                "STUDYBOT_NOW",
                self.fixed_now.map_or_else(unset, |t| t.to_rfc3339()),
            ),
            (
                "STUDYBOT_CLOCK_FILE",
                self.clock_file
                    .as_ref()
                    .map_or_else(unset, |p| p.display().to_string()),
            ),
        ]);
        lines
    }
}

#[cfg(test)]
mod tests {
    use crate::config::Config;

    #[test]
    fn tokens_are_redacted_and_every_line_names_a_variable() {
        let c = Config::from_vars(|k| match k {
            "TELEGRAM_BOT_TOKEN" => Some("123456:SECRETsecret".into()),
            "DISCORD_TOKEN" => Some("aaa.bbb.ccc".into()),
            _ => None,
        })
        .unwrap();
        let lines = c.effective();
        let text = format!("{lines:?}");
        assert!(!text.contains("SECRETsecret") && !text.contains("aaa.bbb.ccc"));
        assert!(
            lines
                .iter()
                .any(|(k, v)| *k == "TELEGRAM_BOT_TOKEN" && v.contains("redacted"))
        );
        assert!(lines.iter().any(|(k, _)| *k == "HTTP_ADDR"));
    }

    #[test]
    fn a_password_in_a_proxy_url_is_redacted() {
        let c = Config::from_vars(|k| match k {
            "TELEGRAM_BOT_TOKEN" => Some("1:a".into()),
            "TELEGRAM_API_URL" => Some("http://user:hunter2@proxy:8081".into()),
            _ => None,
        })
        .unwrap();
        let text = format!("{:?}", c.effective());
        assert!(
            !text.contains("hunter2") && text.contains("user:redacted@proxy"),
            "{text}"
        );
    }

    #[test]
    fn webhook_and_shard_settings_are_shown_with_the_secret_redacted() {
        let c = Config::from_vars(|k| match k {
            "TELEGRAM_BOT_TOKEN" => Some("1:a".into()),
            "TELEGRAM_WEBHOOK_URL" => Some("https://bot.example.org/tg".into()),
            "TELEGRAM_WEBHOOK_ADDR" => Some("127.0.0.1:8443".into()),
            "TELEGRAM_WEBHOOK_SECRET" => Some("hook-secret-42".into()),
            "DISCORD_TOKEN" => Some("a.b.c".into()),
            "DISCORD_SHARDS" => Some("1-1".into()),
            "DISCORD_SHARD_COUNT" => Some("2".into()),
            _ => None,
        })
        .unwrap();
        let lines: std::collections::HashMap<_, _> = c.effective().into_iter().collect();
        assert_eq!(lines["TELEGRAM_WEBHOOK_URL"], "https://bot.example.org/tg");
        assert_eq!(lines["TELEGRAM_WEBHOOK_ADDR"], "127.0.0.1:8443");
        assert!(lines["TELEGRAM_WEBHOOK_SECRET"].contains("redacted"));
        assert!(!format!("{lines:?}").contains("hook-secret-42"));
        assert_eq!(
            (
                lines["DISCORD_SHARDS"].as_str(),
                lines["DISCORD_SHARD_COUNT"].as_str()
            ),
            ("1-1", "2")
        );
    }
}
