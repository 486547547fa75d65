//! Settings for running several instances: Telegram webhook mode (`TELEGRAM_WEBHOOK_*`) and
//! Discord shard ranges (`DISCORD_SHARDS`, `DISCORD_SHARD_COUNT`).

use super::{ConfigError, Problems, Secret, invalid};
use std::fmt;
use std::net::SocketAddr;

/// Ports Telegram delivers webhooks to (Bot API, setWebhook: "Ports currently supported for
/// webhooks: 443, 80, 88, 8443").
pub const WEBHOOK_PORTS: [u16; 4] = [443, 80, 88, 8443];
/// Longest `secret_token` setWebhook accepts (Bot API: 1-256 characters).
pub const WEBHOOK_SECRET_MAX: usize = 256;

/// Telegram delivers updates by HTTPS POST instead of being long-polled.
#[derive(Debug, Clone)]
pub struct WebhookConfig {
    /// `TELEGRAM_WEBHOOK_URL`: the public HTTPS URL registered with setWebhook (a load balancer
    /// or reverse proxy in front of the instances). Its path is the path served here.
    pub url: url::Url,
    /// `TELEGRAM_WEBHOOK_ADDR`: where this instance listens (plain HTTP behind the proxy).
    pub addr: SocketAddr,
    /// `TELEGRAM_WEBHOOK_SECRET`: sent as `secret_token`; Telegram returns it in the
    /// `X-Telegram-Bot-Api-Secret-Token` header of every delivery.
    pub secret: Secret,
}

/// `TELEGRAM_WEBHOOK_URL`, `_ADDR` and `_SECRET`: all three or none. `token_set` says whether
/// `TELEGRAM_BOT_TOKEN` is, since a webhook without a bot is a mistake worth naming.
pub(super) fn webhook_from(
    var: &dyn Fn(&str) -> Option<String>,
    token_set: bool,
    p: &mut Problems,
) -> Option<WebhookConfig> {
    let url = var("TELEGRAM_WEBHOOK_URL");
    let addr = var("TELEGRAM_WEBHOOK_ADDR");
    let secret = var("TELEGRAM_WEBHOOK_SECRET");
    let Some(url) = url else {
        for (name, value) in [
            ("TELEGRAM_WEBHOOK_ADDR", &addr),
            ("TELEGRAM_WEBHOOK_SECRET", &secret),
        ] {
            if value.is_some() {
                p.0.push(invalid(
                    name,
                    "only applies in webhook mode: set TELEGRAM_WEBHOOK_URL too (or unset this)",
                ));
            }
        }
        return None;
    };
    if !token_set {
        p.0.push(invalid(
            "TELEGRAM_WEBHOOK_URL",
            "webhook mode needs TELEGRAM_BOT_TOKEN",
        ));
    }
    let url = p.keep(webhook_url(&url));
    let addr = p.keep(
        addr.ok_or_else(|| {
            invalid(
                "TELEGRAM_WEBHOOK_ADDR",
                "required in webhook mode: where this instance listens, e.g. 0.0.0.0:8443",
            )
        })
        .and_then(|a| {
            a.parse::<SocketAddr>().map_err(|_| {
                invalid(
                    "TELEGRAM_WEBHOOK_ADDR",
                    "must be IP:PORT, e.g. 0.0.0.0:8443",
                )
            })
        }),
    );
    let secret = p.keep(
        secret
            .ok_or_else(|| {
                invalid(
                    "TELEGRAM_WEBHOOK_SECRET",
                    "required in webhook mode (1-256 of A-Z a-z 0-9 _ -)",
                )
            })
            .and_then(|s| webhook_secret(&s)),
    );
    Some(WebhookConfig {
        url: url?,
        addr: addr?,
        secret: secret?,
    })
}

/// An HTTPS URL on a port Telegram delivers to.
fn webhook_url(u: &str) -> Result<url::Url, ConfigError> {
    let var = "TELEGRAM_WEBHOOK_URL";
    let parsed = url::Url::parse(u).map_err(|e| invalid(var, format!("not a URL ({e})")))?;
    if parsed.scheme() != "https" || parsed.host_str().is_none() {
        return Err(invalid(
            var,
            "must be an https:// URL (Telegram delivers webhooks over HTTPS only)",
        ));
    }
    let port = parsed.port_or_known_default().unwrap_or(443);
    if !WEBHOOK_PORTS.contains(&port) {
        return Err(invalid(
            var,
            format!("port {port}: Telegram delivers webhooks to ports 443, 80, 88 or 8443 only"),
        ));
    }
    Ok(parsed)
}

/// Telegram's rule for `secret_token`: 1-256 characters of `A-Z a-z 0-9 _ -`.
pub fn webhook_secret(s: &str) -> Result<Secret, ConfigError> {
    let ok = (1..=WEBHOOK_SECRET_MAX).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if ok {
        Ok(Secret::new(s))
    } else {
        Err(invalid(
            "TELEGRAM_WEBHOOK_SECRET",
            "must be 1-256 characters of A-Z a-z 0-9 _ - (Telegram's rule for secret_token)",
        ))
    }
}

/// The shards this process runs: `FIRST..=LAST` of `count` in all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ShardRange {
    pub first: u32,
    pub last: u32,
    pub count: u32,
}

impl fmt::Display for ShardRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}-{} of {}", self.first, self.last, self.count)
    }
}

/// `DISCORD_SHARDS=FIRST-LAST` and `DISCORD_SHARD_COUNT`: both or neither (neither = as many
/// shards as `GET /gateway/bot` recommends, all in this process).
pub(super) fn shards_from(
    var: &dyn Fn(&str) -> Option<String>,
    p: &mut Problems,
) -> Option<ShardRange> {
    match (var("DISCORD_SHARDS"), var("DISCORD_SHARD_COUNT")) {
        (None, None) => None,
        (Some(_), None) => {
            p.0.push(invalid(
                "DISCORD_SHARD_COUNT",
                "required with DISCORD_SHARDS: the total number of shards over all instances",
            ));
            None
        }
        (None, Some(_)) => {
            p.0.push(invalid(
                "DISCORD_SHARDS",
                "required with DISCORD_SHARD_COUNT: this instance's shards as FIRST-LAST, e.g. 0-3",
            ));
            None
        }
        (Some(range), Some(count)) => p.keep(shard_range(&range, &count)),
    }
}

fn shard_range(range: &str, count: &str) -> Result<ShardRange, ConfigError> {
    let count: u32 = count.parse().ok().filter(|c| *c >= 1).ok_or_else(|| {
        invalid(
            "DISCORD_SHARD_COUNT",
            "must be a whole number of at least 1",
        )
    })?;
    let (first, last) = range
        .split_once('-')
        .and_then(|(a, b)| Some((a.trim().parse::<u32>().ok()?, b.trim().parse::<u32>().ok()?)))
        .ok_or_else(|| invalid("DISCORD_SHARDS", "must be FIRST-LAST, e.g. 0-3 (or 2-2)"))?;
    if first > last || last >= count {
        return Err(invalid(
            "DISCORD_SHARDS",
            format!("{first}-{last} must satisfy FIRST <= LAST < DISCORD_SHARD_COUNT ({count})"),
        ));
    }
    Ok(ShardRange { first, last, count })
}

#[cfg(test)]
mod tests {
    use crate::config::{Config, ConfigErrors};
    use std::collections::HashMap;

    fn check(pairs: &[(&str, &str)]) -> Result<Config, ConfigErrors> {
        let m: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Config::check_vars(|k| m.get(k).cloned())
    }

    fn vars_named(e: ConfigErrors) -> Vec<&'static str> {
        e.0.iter().map(|p| p.var).collect()
    }

    const TOKEN: (&str, &str) = ("TELEGRAM_BOT_TOKEN", "1:a");
    const URL: (&str, &str) = ("TELEGRAM_WEBHOOK_URL", "https://bot.example.org/telegram");
    const ADDR: (&str, &str) = ("TELEGRAM_WEBHOOK_ADDR", "0.0.0.0:8443");
    const SECRET: (&str, &str) = ("TELEGRAM_WEBHOOK_SECRET", "s3cret_-X");

    #[test]
    fn long_polling_stays_the_default() {
        let c = check(&[TOKEN]).unwrap();
        assert!(c.telegram.unwrap().webhook.is_none());
    }

    #[test]
    fn webhook_mode_takes_url_addr_and_secret() {
        let c = check(&[TOKEN, URL, ADDR, SECRET]).unwrap();
        let w = c.telegram.unwrap().webhook.unwrap();
        assert_eq!(w.url.path(), "/telegram");
        assert_eq!(w.addr.port(), 8443);
        assert_eq!(w.secret.expose(), "s3cret_-X");
    }

    #[test]
    fn webhook_mode_without_addr_or_secret_names_both() {
        let e = check(&[TOKEN, URL]).unwrap_err();
        assert_eq!(
            vars_named(e),
            ["TELEGRAM_WEBHOOK_ADDR", "TELEGRAM_WEBHOOK_SECRET"]
        );
    }

    #[test]
    fn a_secret_outside_telegrams_alphabet_or_length_is_refused() {
        let long = "a".repeat(257);
        for bad in ["has space", "dots.are.out", "ümlaut", long.as_str()] {
            let e = check(&[TOKEN, URL, ADDR, ("TELEGRAM_WEBHOOK_SECRET", bad)]).unwrap_err();
            assert_eq!(vars_named(e), ["TELEGRAM_WEBHOOK_SECRET"], "{bad:?}");
        }
        let max = "Z".repeat(256);
        assert!(check(&[TOKEN, URL, ADDR, ("TELEGRAM_WEBHOOK_SECRET", &max)]).is_ok());
    }

    #[test]
    fn the_webhook_url_must_be_https_on_a_port_telegram_delivers_to() {
        for bad in [
            "http://bot.example.org/tg",
            "https://bot.example.org:8080/tg",
            "not a url",
        ] {
            let e = check(&[TOKEN, ("TELEGRAM_WEBHOOK_URL", bad), ADDR, SECRET]).unwrap_err();
            assert_eq!(vars_named(e), ["TELEGRAM_WEBHOOK_URL"], "{bad}");
        }
        let ok = ("TELEGRAM_WEBHOOK_URL", "https://bot.example.org:88/tg");
        assert!(check(&[TOKEN, ok, ADDR, SECRET]).is_ok());
    }

    #[test]
    fn webhook_settings_without_a_url_or_a_token_are_named() {
        let e = check(&[TOKEN, ADDR, SECRET]).unwrap_err();
        assert_eq!(
            vars_named(e),
            ["TELEGRAM_WEBHOOK_ADDR", "TELEGRAM_WEBHOOK_SECRET"]
        );
        let e = check(&[URL, ADDR, SECRET]).unwrap_err();
        assert_eq!(vars_named(e), ["TELEGRAM_WEBHOOK_URL"]);
    }

    #[test]
    fn the_webhook_secret_never_appears_in_debug_output() {
        let c = check(&[TOKEN, URL, ADDR, SECRET]).unwrap();
        assert!(!format!("{c:?}").contains("s3cret_-X"));
    }

    const DISCORD: (&str, &str) = ("DISCORD_TOKEN", "a.b.c");

    #[test]
    fn a_shard_range_needs_its_count_and_fits_inside_it() {
        let c = check(&[
            DISCORD,
            ("DISCORD_SHARDS", "2-3"),
            ("DISCORD_SHARD_COUNT", "4"),
        ])
        .unwrap();
        let r = c.discord.unwrap().shards.unwrap();
        assert_eq!((r.first, r.last, r.count), (2, 3, 4));
        assert!(check(&[DISCORD]).unwrap().discord.unwrap().shards.is_none());
        for (pairs, var) in [
            (vec![("DISCORD_SHARDS", "0-1")], "DISCORD_SHARD_COUNT"),
            (vec![("DISCORD_SHARD_COUNT", "2")], "DISCORD_SHARDS"),
            (
                vec![("DISCORD_SHARDS", "1-0"), ("DISCORD_SHARD_COUNT", "2")],
                "DISCORD_SHARDS",
            ),
            (
                vec![("DISCORD_SHARDS", "0-2"), ("DISCORD_SHARD_COUNT", "2")],
                "DISCORD_SHARDS",
            ),
            (
                vec![("DISCORD_SHARDS", "three"), ("DISCORD_SHARD_COUNT", "4")],
                "DISCORD_SHARDS",
            ),
            (
                vec![("DISCORD_SHARDS", "0-0"), ("DISCORD_SHARD_COUNT", "0")],
                "DISCORD_SHARD_COUNT",
            ),
        ] {
            let mut all = vec![DISCORD];
            all.extend(pairs.iter().copied());
            let e = check(&all).unwrap_err();
            assert_eq!(vars_named(e), [var], "{pairs:?}");
        }
    }
}
