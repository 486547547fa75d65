//! The ways out of the core: what the scheduler and use cases call when the bot speaks on its
//! own initiative (a push, a round's next step, a reminder). Adapters implement them; the core
//! and the scheduler only see these traits, so a new platform plugs in without either changing.

use super::reply::Reply;
use super::{PushOutcome, RoundDelivery, RoundStep};
use futures::future::BoxFuture;

/// A quiz a target posted and the platform's own id for it (a Telegram poll id): answers that
/// arrive carrying only that id find the quiz through it. Targets return these so the core stores
/// them in the transaction that records the delivery.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Posted {
    pub quiz_id: i64,
    pub platform_ref: String,
}

/// How a platform delivers a push it did not get asked for.
pub trait PushTarget: Send + Sync {
    /// Sends `reply` to `chat`, waiting out rate limits and retrying transient failures.
    fn deliver<'a>(&'a self, chat: &'a str, reply: &'a Reply) -> BoxFuture<'a, PushOutcome>;
}

/// How a platform plays a quiz round's steps in a chat: posts (text, then a question open for its
/// period) and countdowns. The core decides what and when; the target only renders and sends.
pub trait RoundTarget: Send + Sync {
    /// Plays `step` in `chat`; a posted question comes back with the platform's reference for it
    /// (a message id) when the platform needs one to edit it later.
    fn play<'a>(&'a self, chat: &'a str, step: &'a RoundStep) -> BoxFuture<'a, RoundDelivery>;
}
