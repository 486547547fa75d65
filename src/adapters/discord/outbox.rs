//! Messages the bot sends on its own (pushes, answer counts), all through one process-wide
//! limiter that keeps them under Discord's global limit of 50 requests per second. Interaction
//! responses do not pass here: Discord does not count them against the global limit.

use super::render::{FOOTER_LIMIT, Outgoing, fit_plain, render};
use super::send::{channel_message, describe, message_edit, no_mentions, status, with_retry};
use crate::config::DiscordConfig;
use crate::core::Reply;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use serenity::all::{ChannelId, CreateEmbed, CreateEmbedFooter, EditMessage, Embed, MessageId};
use serenity::http::{Http, HttpBuilder};
use std::num::NonZeroU32;
use std::sync::{Arc, OnceLock};

/// Default of `DISCORD_RATE_LIMIT`: Discord allows 50 requests per second per bot (the global
/// rate limit, Discord developer docs → Topics → Rate Limits → Global Rate Limit).
pub const DEFAULT_RATE_LIMIT: u32 = 50;

/// The process-wide limiter, set once (from `DISCORD_RATE_LIMIT`, else the default).
static LIMITER: OnceLock<GlobalLimiter> = OnceLock::new();

/// The process-wide limiter for bot-initiated Discord requests.
#[derive(Debug)]
pub struct GlobalLimiter {
    per_second: u32,
    /// `None`: no limit (`DISCORD_RATE_LIMIT=0`).
    limiter: Option<DefaultDirectRateLimiter>,
}

/// At most `per_second` requests in any one second: four fifths as the steady rate and the rest
/// as a burst (50 → 40/s + a burst of 10), so even right after an idle spell no second sees more
/// than `per_second`.
fn quota(per_second: NonZeroU32) -> Quota {
    let burst = NonZeroU32::new(per_second.get() / 5).unwrap_or(NonZeroU32::MIN);
    let steady = NonZeroU32::new(per_second.get() - burst.get()).unwrap_or(NonZeroU32::MIN);
    Quota::per_second(steady).allow_burst(burst)
}

impl GlobalLimiter {
    /// A limiter for `per_second` requests in any one second; 0 means no limit.
    pub fn new(per_second: u32) -> GlobalLimiter {
        GlobalLimiter {
            per_second,
            limiter: NonZeroU32::new(per_second).map(|n| RateLimiter::direct(quota(n))),
        }
    }

    /// Sets the process-wide limiter to `per_second` (`DISCORD_RATE_LIMIT`). The first call (or
    /// the first [`GlobalLimiter::get`]) decides; a later, different value is logged and ignored,
    /// since two limiters would together exceed Discord's limit.
    pub fn configure(per_second: u32) -> &'static GlobalLimiter {
        let limiter = LIMITER.get_or_init(|| GlobalLimiter::new(per_second));
        if limiter.per_second != per_second {
            tracing::warn!(
                requested = per_second,
                kept = limiter.per_second,
                "discord: the request limiter is already set up; keeping its rate"
            );
        }
        limiter
    }

    /// The one limiter of this process: every [`Outbox`] shares it.
    pub fn get() -> &'static GlobalLimiter {
        LIMITER.get_or_init(|| GlobalLimiter::new(DEFAULT_RATE_LIMIT))
    }

    /// Requests per second it allows (0 = unlimited).
    pub fn per_second(&self) -> u32 {
        self.per_second
    }

    /// Waits until one more request fits under the limit.
    pub async fn until_ready(&self) {
        if let Some(limiter) = &self.limiter {
            limiter.until_ready().await;
        }
    }
}

/// Why a send failed.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// 403 or 404: the bot may not post there (any more). Stop sending to this channel rather than
    /// retrying: too many 401/403/429 answers get the bot's IP banned for a while.
    #[error("Discord refused the channel (HTTP {status})")]
    Gone { status: u16 },
    #[error("Discord request failed: {0}")]
    Failed(String),
}

fn classify(e: &serenity::Error) -> SendError {
    match status(e) {
        Some(s @ (403 | 404)) => SendError::Gone { status: s },
        _ => SendError::Failed(describe(e)),
    }
}

/// The REST client for `config`: with `DISCORD_API_URL`, requests go to that origin and
/// serenity's own per-route limiter is off (it would bypass the proxy, which then does the
/// limiting); without it, serenity's limiter stays on.
pub fn build_http(config: &DiscordConfig) -> Http {
    let builder = HttpBuilder::new(config.token.expose()).default_allowed_mentions(no_mentions());
    match &config.api_url {
        Some(origin) => builder.proxy(origin).ratelimiter_disabled(true).build(),
        None => builder.build(),
    }
}

/// Sends replies into channels on the bot's own initiative. Cheap to clone.
#[derive(Clone)]
pub struct Outbox {
    http: Arc<Http>,
}

impl Outbox {
    /// An outbox with its own REST client (for the push scheduler); it shares the process-wide
    /// limiter with every other outbox, setting that up at `config.rate_limit` if it is not yet.
    pub fn new(config: &DiscordConfig) -> Outbox {
        GlobalLimiter::configure(config.rate_limit);
        Outbox::with_http(Arc::new(build_http(config)))
    }

    pub fn with_http(http: Arc<Http>) -> Outbox {
        Outbox { http }
    }

    /// Posts a reply (a daily topic, a quiz with its buttons) to a channel, as one or more
    /// messages. Answers to pushed quizzes arrive as button clicks like any other quiz.
    pub async fn send_topic(&self, channel_id: u64, reply: &Reply) -> Result<(), SendError> {
        if channel_id == 0 {
            return Err(SendError::Gone { status: 404 });
        }
        let channel = ChannelId::new(channel_id);
        for o in render(reply) {
            self.post(channel, &o).await?;
        }
        Ok(())
    }

    async fn post(&self, channel: ChannelId, o: &Outgoing) -> Result<(), SendError> {
        let message = channel_message(o);
        with_retry("sending a message", || async {
            GlobalLimiter::get().until_ready().await;
            channel.send_message(&*self.http, message.clone()).await
        })
        .await
        .map(|_| ())
        .map_err(|e| classify(&e))
    }

    /// Posts one rendered message and returns its id (a quiz round edits it later).
    pub async fn post_message(&self, channel_id: u64, o: &Outgoing) -> Result<u64, SendError> {
        if channel_id == 0 {
            return Err(SendError::Gone { status: 404 });
        }
        let message = channel_message(o);
        with_retry("sending a message", || async {
            GlobalLimiter::get().until_ready().await;
            ChannelId::new(channel_id)
                .send_message(&*self.http, message.clone())
                .await
        })
        .await
        .map(|m| m.id.get())
        .map_err(|e| classify(&e))
    }

    /// Replaces a posted message's embeds and buttons (see `send::message_edit`).
    pub async fn edit_message(
        &self,
        channel_id: u64,
        message_id: u64,
        o: &Outgoing,
    ) -> Result<(), SendError> {
        if channel_id == 0 || message_id == 0 {
            return Err(SendError::Gone { status: 404 });
        }
        let edit = message_edit(o);
        with_retry("editing a message", || async {
            GlobalLimiter::get().until_ready().await;
            ChannelId::new(channel_id)
                .edit_message(&*self.http, MessageId::new(message_id), edit.clone())
                .await
        })
        .await
        .map(|_| ())
        .map_err(|e| classify(&e))
    }

    /// Rewrites the footer of a quiz message (its last embed) to show how many have answered
    /// (`footer`: `render::quiz_footer`, or a quiz round's countdown).
    pub async fn show_answer_count(
        &self,
        channel: ChannelId,
        message: MessageId,
        current: &[Embed],
        footer: &str,
    ) -> Result<(), SendError> {
        let mut embeds: Vec<CreateEmbed> = current.iter().cloned().map(CreateEmbed::from).collect();
        let Some(last) = embeds.pop() else {
            return Ok(());
        };
        embeds.push(last.footer(CreateEmbedFooter::new(fit_plain(footer, FOOTER_LIMIT))));
        let edit = EditMessage::new()
            .embeds(embeds)
            .allowed_mentions(no_mentions());
        with_retry("updating the answer count", || async {
            GlobalLimiter::get().until_ready().await;
            channel
                .edit_message(&*self.http, message, edit.clone())
                .await
        })
        .await
        .map(|_| ())
        .map_err(|e| classify(&e))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn the_limiter_lets_a_burst_through_and_never_more_than_50_in_a_second() {
        let q = quota(NonZeroU32::new(DEFAULT_RATE_LIMIT).unwrap());
        assert_eq!(
            (q.burst_size().get(), q.replenish_interval()),
            (10, Duration::from_millis(25))
        );
        let limiter = GlobalLimiter::new(DEFAULT_RATE_LIMIT).limiter.unwrap();
        for _ in 0..10 {
            assert!(limiter.check().is_ok());
        }
        assert!(limiter.check().is_err(), "the burst is used up");
    }

    #[test]
    fn steady_rate_plus_burst_never_exceeds_the_configured_rate() {
        for n in 2..=500 {
            let q = quota(NonZeroU32::new(n).unwrap());
            let steady = (1e9 / q.replenish_interval().as_nanos() as f64).round() as u32;
            assert!(
                steady >= 1 && steady + q.burst_size().get() <= n,
                "{n}: {q:?}"
            );
        }
    }

    #[tokio::test]
    async fn zero_switches_the_limit_off() {
        let off = GlobalLimiter::new(0);
        assert!(off.limiter.is_none());
        for _ in 0..1000 {
            off.until_ready().await;
        }
    }
}
