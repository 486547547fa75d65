//! Pushes to Discord channels through the outbox (process-wide limiter, no mentions).

use super::outbox::{Outbox, SendError};
use crate::core::{PushOutcome, Reply};
use crate::scheduler::PushTarget;
use futures::future::BoxFuture;

impl PushTarget for Outbox {
    fn deliver<'a>(&'a self, chat: &'a str, reply: &'a Reply) -> BoxFuture<'a, PushOutcome> {
        Box::pin(async move {
            let Ok(channel) = chat.parse::<u64>() else {
                return PushOutcome::Gone(format!("not a Discord channel id: {chat}"));
            };
            match self.send_topic(channel, reply).await {
                Ok(()) => PushOutcome::Sent(Vec::new()),
                Err(e @ SendError::Gone { .. }) => PushOutcome::Gone(e.to_string()),
                Err(e) => PushOutcome::Failed(e.to_string()),
            }
        })
    }
}
