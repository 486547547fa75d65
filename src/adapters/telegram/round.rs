//! Quiz rounds in Telegram groups: the results and scores as a message, each question as a quiz
//! poll with `open_period`, so Telegram shows the timer and closes the poll itself. Countdowns
//! and closing are Telegram's, so those steps send nothing.

use super::push::is_gone;
use super::send::Sender;
use crate::core::{RoundDelivery, RoundStep};
use crate::scheduler::RoundTarget;
use futures::future::BoxFuture;
use teloxide::types::ChatId;

pub struct TelegramRounds {
    pub(super) sender: Sender,
}

impl RoundTarget for TelegramRounds {
    fn play<'a>(&'a self, chat: &'a str, step: &'a RoundStep) -> BoxFuture<'a, RoundDelivery> {
        Box::pin(async move {
            let RoundStep::Post { text, question, .. } = step else {
                return Ok(None);
            };
            let Ok(id) = chat.parse::<i64>() else {
                return Err(format!("not a Telegram chat id: {chat}"));
            };
            let describe = |e: teloxide::RequestError| {
                if is_gone(&e) {
                    format!("the chat is gone: {e}")
                } else {
                    e.to_string()
                }
            };
            self.sender
                .send_reply(ChatId(id), text)
                .await
                .map_err(describe)?;
            let Some(q) = question else {
                return Ok(None);
            };
            // The poll id is the question's reference: the core stores it with the delivery.
            let posted = self
                .sender
                .send_quiz(ChatId(id), &q.card, Some(q.open_secs), q.lang)
                .await
                .map_err(describe)?;
            Ok(posted.map(|p| p.platform_ref))
        })
    }
}
