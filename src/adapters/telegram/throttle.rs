//! Outgoing-message limits for sends the bot starts itself (pushes), from Telegram's FAQ:
//! about 30 messages per second overall, about 1 per second in one chat, 20 per minute in a group.

use governor::{DefaultDirectRateLimiter, DefaultKeyedRateLimiter, Quota, RateLimiter};
use std::num::NonZeroU32;
use teloxide::types::ChatId;

/// Telegram FAQ: "no more than 20 messages per minute" to one group.
const GROUP_PER_MINUTE: NonZeroU32 = NonZeroU32::new(20).unwrap();
/// Telegram FAQ: "avoid sending more than one message per second" in one chat.
const CHAT_PER_SECOND: NonZeroU32 = NonZeroU32::new(1).unwrap();
/// Telegram FAQ: "not more than about 30 messages per second" in bulk.
pub const DEFAULT_PER_SECOND: u32 = 30;

pub struct Throttle {
    global: Option<DefaultDirectRateLimiter>,
    groups: DefaultKeyedRateLimiter<i64>,
    private: DefaultKeyedRateLimiter<i64>,
}

impl Throttle {
    /// `per_second` = 0 switches the overall limit off (for a rate-limiting proxy, or benchmarks).
    pub fn new(per_second: u32) -> Throttle {
        Throttle {
            // Evenly spaced, no burst: a burst on top of the steady rate would exceed the limit
            // within the first second.
            global: NonZeroU32::new(per_second)
                .map(|n| RateLimiter::direct(Quota::per_second(n).allow_burst(NonZeroU32::MIN))),
            groups: RateLimiter::keyed(Quota::per_minute(GROUP_PER_MINUTE)),
            private: RateLimiter::keyed(
                Quota::per_second(CHAT_PER_SECOND)
                    .allow_burst(NonZeroU32::new(3).unwrap_or(CHAT_PER_SECOND)),
            ),
        }
    }

    /// Waits until one more message to `chat` fits every limit.
    pub async fn wait(&self, chat: ChatId) {
        if chat.0 < 0 {
            self.groups.until_key_ready(&chat.0).await;
        } else {
            self.private.until_key_ready(&chat.0).await;
        }
        if let Some(g) = &self.global {
            g.until_ready().await;
        }
    }
}
