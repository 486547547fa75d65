//! Pushes to Telegram chats: rate-limited sends, and telling a blocked or removed chat (stop)
//! from a transient failure (try again next fire).

use super::send::Sender;
use crate::core::{PushOutcome, Reply};
use crate::scheduler::PushTarget;
use futures::future::BoxFuture;
use teloxide::RequestError;
use teloxide::types::ChatId;

pub struct TelegramPush {
    pub(super) sender: Sender,
}

/// A 403, or a chat Telegram no longer knows: retrying cannot help, the chat must be paused.
/// Decided by teloxide's error variants; teloxide keeps no status code, so a 403 whose text it
/// does not know (`Unknown`) is recognised by Telegram's "Forbidden:" prefix.
pub fn is_gone(e: &RequestError) -> bool {
    use teloxide::ApiError as A;
    match e {
        RequestError::Api(
            A::BotBlocked
            | A::BotKicked
            | A::BotKickedFromSupergroup
            | A::BotKickedFromChannel
            | A::UserDeactivated
            | A::CantInitiateConversation
            | A::ChatNotFound
            | A::GroupDeactivated,
        ) => true,
        RequestError::Api(A::Unknown(text)) => text.starts_with("Forbidden:"),
        _ => false,
    }
}

impl PushTarget for TelegramPush {
    fn deliver<'a>(&'a self, chat: &'a str, reply: &'a Reply) -> BoxFuture<'a, PushOutcome> {
        Box::pin(async move {
            let Ok(id) = chat.parse::<i64>() else {
                return PushOutcome::Gone(format!("not a Telegram chat id: {chat}"));
            };
            match self.sender.send_reply(ChatId(id), reply).await {
                Ok(posted) => PushOutcome::Sent(posted.into_iter().collect()),
                Err(e) if is_gone(&e) => PushOutcome::Gone(e.to_string()),
                Err(e) => PushOutcome::Failed(e.to_string()),
            }
        })
    }
}
