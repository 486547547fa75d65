//! Sending replies: HTML text with inline buttons, quiz polls, and retries that wait out 429s.

use super::render::{MESSAGE_LIMIT, render_html};
use crate::core::{App, Platform, QuizCard, Reply};
use std::future::IntoFuture;
use std::time::Duration;
use teloxide::RequestError;
use teloxide::prelude::*;
use teloxide::types::{
    InlineKeyboardButton, InlineKeyboardMarkup, InputPollOption, ParseMode, PollType,
};

/// Attempts per request: a 429 is waited out this often, a network failure retried with backoff.
const MAX_ATTEMPTS: u32 = 5;
/// Longest `retry_after` we wait out inside a handler; longer ones give up and log.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(120);

/// Runs a request, waiting out `429 retry_after` and retrying network failures with backoff
/// (0.5 s, 1 s, 2 s, …). Other API errors are returned at once.
pub async fn with_retry<F, R, T>(make: F) -> Result<T, RequestError>
where
    F: Fn() -> R,
    R: IntoFuture<Output = Result<T, RequestError>>,
{
    let mut attempt = 0;
    loop {
        attempt += 1;
        let wait = match make().await {
            Err(RequestError::RetryAfter(secs))
                if attempt < MAX_ATTEMPTS && secs.duration() <= MAX_RETRY_AFTER =>
            {
                tracing::warn!(seconds = secs.seconds(), "telegram: rate limited, waiting");
                secs.duration()
            }
            Err(RequestError::Network(e)) if attempt < MAX_ATTEMPTS => {
                let backoff = Duration::from_millis(500 << (attempt - 1));
                tracing::warn!(error = %e, ?backoff, "telegram: network error, retrying");
                backoff
            }
            other => return other,
        };
        tokio::time::sleep(wait).await;
    }
}

#[derive(Clone)]
pub struct Sender {
    bot: Bot,
    app: App,
}

impl Sender {
    pub fn new(bot: Bot, app: App) -> Sender {
        Sender { bot, app }
    }

    pub fn bot(&self) -> &Bot {
        &self.bot
    }

    /// Sends a reply; failures are logged (the bot keeps serving) and returned for the log.
    pub async fn send(
        &self,
        chat: ChatId,
        reply: &Reply,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        if reply.is_empty() {
            return Ok(());
        }
        let messages = render_html(reply, MESSAGE_LIMIT);
        let keyboard = keyboard(reply);
        let last = messages.len().saturating_sub(1);
        for (i, text) in messages.iter().enumerate() {
            let markup = (i == last).then(|| keyboard.clone()).flatten();
            let sent = with_retry(|| {
                let req = self
                    .bot
                    .send_message(chat, text.clone())
                    .parse_mode(ParseMode::Html);
                match markup.clone() {
                    Some(m) => req.reply_markup(m),
                    None => req,
                }
            })
            .await;
            if let Err(e) = sent {
                tracing::error!(error = %e, chat = chat.0, "telegram: sendMessage failed");
                return Err(Box::new(e));
            }
        }
        if let Some(card) = &reply.quiz {
            self.send_quiz(chat, card).await?;
        }
        Ok(())
    }

    /// A native quiz poll; its poll id is stored so `poll_answer` updates find the quiz.
    async fn send_quiz(
        &self,
        chat: ChatId,
        card: &QuizCard,
    ) -> Result<(), Box<dyn std::error::Error + Send + Sync>> {
        let options: Vec<InputPollOption> = card
            .options
            .iter()
            .map(|o| InputPollOption::new(o.clone()))
            .collect();
        let sent = with_retry(|| {
            self.bot
                .send_poll(chat, card.prompt.clone(), options.clone())
                .type_(PollType::Quiz)
                .is_anonymous(false)
                .correct_option_id(u8::try_from(card.correct).unwrap_or(0))
                .explanation(card.explanation.clone())
        })
        .await
        .map_err(|e| {
            tracing::error!(error = %e, chat = chat.0, "telegram: sendPoll failed");
            e
        })?;
        if let Some(poll) = sent.poll() {
            self.app
                .attach_quiz_ref(Platform::Telegram, card.quiz_id, &poll.id.0)
                .await?;
        }
        Ok(())
    }
}

/// One button per row: labels stay readable on phones.
fn keyboard(reply: &Reply) -> Option<InlineKeyboardMarkup> {
    if reply.buttons.is_empty() {
        return None;
    }
    let rows: Vec<Vec<InlineKeyboardButton>> = reply
        .buttons
        .iter()
        .map(|b| {
            vec![InlineKeyboardButton::callback(
                b.label.clone(),
                b.action.encode(),
            )]
        })
        .collect();
    Some(InlineKeyboardMarkup::new(rows))
}
