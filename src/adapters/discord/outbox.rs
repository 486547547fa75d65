//! Messages the bot sends on its own (pushes, answer counts), all through one process-wide
//! limiter that keeps them under Discord's global limit of 50 requests per second. Interaction
//! responses do not pass here: Discord does not count them against the global limit.

use super::render::{Outgoing, quiz_footer, render};
use super::send::{channel_message, describe, no_mentions, status, with_retry};
use crate::config::DiscordConfig;
use crate::core::Reply;
use governor::{DefaultDirectRateLimiter, Quota, RateLimiter};
use serenity::all::{ChannelId, CreateEmbed, CreateEmbedFooter, EditMessage, Embed, MessageId};
use serenity::http::{Http, HttpBuilder};
use std::num::NonZeroU32;
use std::sync::{Arc, OnceLock};

/// Discord allows 50 requests per second per bot. Steady rate plus burst is the most any one
/// second can see (40 + 10), which leaves nothing over 50 even right after an idle spell.
const STEADY_PER_SECOND: NonZeroU32 = NonZeroU32::new(40).unwrap();
const BURST: NonZeroU32 = NonZeroU32::new(10).unwrap();

/// The process-wide limiter for bot-initiated Discord requests.
#[derive(Debug)]
pub struct GlobalLimiter(DefaultDirectRateLimiter);

impl GlobalLimiter {
    /// The one limiter of this process: every [`Outbox`] shares it.
    pub fn get() -> &'static GlobalLimiter {
        static LIMITER: OnceLock<GlobalLimiter> = OnceLock::new();
        LIMITER.get_or_init(|| {
            GlobalLimiter(RateLimiter::direct(
                Quota::per_second(STEADY_PER_SECOND).allow_burst(BURST),
            ))
        })
    }

    /// Waits until one more request fits under the limit.
    pub async fn until_ready(&self) {
        self.0.until_ready().await;
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
    /// limiter with every other outbox.
    pub fn new(config: &DiscordConfig) -> Outbox {
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

    /// Rewrites the footer of a quiz message (its last embed) to show how many have answered.
    pub async fn show_answer_count(
        &self,
        channel: ChannelId,
        message: MessageId,
        current: &[Embed],
        answered: i64,
    ) -> Result<(), SendError> {
        let mut embeds: Vec<CreateEmbed> = current.iter().cloned().map(CreateEmbed::from).collect();
        let Some(last) = embeds.pop() else {
            return Ok(());
        };
        embeds.push(last.footer(CreateEmbedFooter::new(quiz_footer(answered))));
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

    #[test]
    fn the_limiter_lets_a_burst_through_and_never_more_than_50_in_a_second() {
        let limiter = RateLimiter::direct(Quota::per_second(STEADY_PER_SECOND).allow_burst(BURST));
        for _ in 0..BURST.get() {
            assert!(limiter.check().is_ok());
        }
        assert!(limiter.check().is_err(), "the burst is used up");
        assert!(BURST.get() + STEADY_PER_SECOND.get() <= 50);
    }
}
