//! Sending replies: HTML text with inline buttons, quiz polls, and retries that wait out 429s.

use super::render::{MESSAGE_LIMIT, poll_question, render_html};
use super::throttle::Throttle;
use crate::core::messages::clip;
use crate::core::ports::Posted;
use crate::core::{Attachment, FileKind, Lang, QuizCard, Reply};
use std::future::IntoFuture;
use std::sync::Arc;
use std::time::Duration;
use teloxide::RequestError;
use teloxide::prelude::*;
use teloxide::types::{
    InlineKeyboardButton, InlineKeyboardMarkup, InputFile, InputPollOption, ParseMode, PollType,
};

/// Attempts per request: a 429 is waited out this often, a network failure retried with backoff.
const MAX_ATTEMPTS: u32 = 5;
/// Longest `retry_after` the bot's own sends (pushes, rounds, reminders) wait out; longer ones
/// give up and log.
const MAX_RETRY_AFTER: Duration = Duration::from_secs(120);
/// Longest wait in answering a learner's command: past this the learner has moved on, and a
/// handler stuck behind a long 429 would hold up the updates after it.
pub const REPLY_MAX_WAIT: Duration = Duration::from_secs(5);
/// Bot API: a photo or document caption is 0–1024 characters after entity parsing (we send
/// captions as plain text).
const CAPTION_LIMIT: usize = 1024;

/// Runs a request, waiting out `429 retry_after` and retrying network failures with backoff
/// (0.5 s, 1 s, 2 s, …). Other API errors are returned at once.
pub async fn with_retry<F, R, T>(make: F) -> Result<T, RequestError>
where
    F: Fn() -> R,
    R: IntoFuture<Output = Result<T, RequestError>>,
{
    with_retry_within(MAX_RETRY_AFTER, make).await
}

/// [`with_retry`], giving up rather than waiting longer than `max_wait` at once.
pub async fn with_retry_within<F, R, T>(max_wait: Duration, make: F) -> Result<T, RequestError>
where
    F: Fn() -> R,
    R: IntoFuture<Output = Result<T, RequestError>>,
{
    use crate::ops::metrics::{OUTBOUND_SECONDS, RATE_LIMITED, RETRIED};
    const PLATFORM: (&str, &str) = ("platform", "telegram");
    let mut attempt = 0;
    loop {
        attempt += 1;
        let started = std::time::Instant::now();
        let answer = make().await;
        metrics::histogram!(OUTBOUND_SECONDS, &[PLATFORM]).record(started.elapsed());
        if matches!(answer, Err(RequestError::RetryAfter(_))) {
            metrics::counter!(RATE_LIMITED, &[PLATFORM]).increment(1);
        }
        let wait = match answer {
            Err(RequestError::RetryAfter(secs))
                if attempt < MAX_ATTEMPTS && secs.duration() <= max_wait =>
            {
                tracing::warn!(seconds = secs.seconds(), "telegram: rate limited, waiting");
                secs.duration()
            }
            Err(e) if attempt < MAX_ATTEMPTS && is_transient(&e) => {
                let backoff = Duration::from_millis(500 << (attempt - 1)).min(max_wait);
                tracing::warn!(error = %e, ?backoff, "telegram: transient error, retrying");
                backoff
            }
            other => return other,
        };
        metrics::counter!(RETRIED, &[PLATFORM]).increment(1);
        tokio::time::sleep(wait).await;
    }
}

/// Network failures, 5xx answers and a proxy's non-JSON error page pass; the request is
/// sent again. teloxide has no variant (and keeps no status code) for a 5xx answer: it arrives as
/// `ApiError::Unknown` with the server's description, which for these is the status text.
fn is_transient(e: &RequestError) -> bool {
    const SERVER_ERRORS: [&str; 4] = [
        "Internal Server Error",
        "Bad Gateway",
        "Service Unavailable",
        "Gateway Timeout",
    ];
    match e {
        RequestError::Network(_) | RequestError::InvalidJson { .. } | RequestError::Io(_) => true,
        RequestError::Api(teloxide::ApiError::Unknown(text)) => {
            SERVER_ERRORS.iter().any(|t| text.contains(t))
        }
        _ => false,
    }
}

#[derive(Clone)]
pub struct Sender {
    bot: Bot,
    /// Limits for sends the bot starts itself; replies to users are not throttled.
    throttle: Option<Arc<Throttle>>,
}

impl Sender {
    pub fn new(bot: Bot) -> Sender {
        Sender {
            bot,
            throttle: None,
        }
    }

    /// The same sender, waiting for `throttle` before every message.
    pub fn throttled(&self, throttle: Arc<Throttle>) -> Sender {
        Sender {
            throttle: Some(throttle),
            ..self.clone()
        }
    }

    /// A throttled sender sends on the bot's own initiative and may wait out long rate limits;
    /// an unthrottled one answers a learner and gives up after a few seconds.
    fn max_wait(&self) -> Duration {
        if self.throttle.is_some() {
            MAX_RETRY_AFTER
        } else {
            REPLY_MAX_WAIT
        }
    }

    async fn wait_turn(&self, chat: ChatId) {
        if let Some(t) = &self.throttle {
            t.wait(chat).await;
        }
    }

    pub fn bot(&self) -> &Bot {
        &self.bot
    }

    /// Sends a reply to a command; failures are logged (the bot keeps serving) and returned to
    /// the dispatcher's error log.
    pub async fn send(
        &self,
        chat: ChatId,
        reply: &Reply,
    ) -> Result<Option<Posted>, Box<dyn std::error::Error + Send + Sync>> {
        self.send_reply(chat, reply)
            .await
            .map_err(|e| Box::new(e) as _)
    }

    /// Sends every message of a reply; the first failure stops and is returned. Returns the
    /// quiz it posted, if any, by its poll id.
    pub async fn send_reply(
        &self,
        chat: ChatId,
        reply: &Reply,
    ) -> Result<Option<Posted>, RequestError> {
        if reply.is_empty() {
            return Ok(None);
        }
        // A quiz with only a note above it is one poll, the note in its question.
        let question = reply.quiz.as_ref().and_then(|c| poll_question(reply, c));
        let messages = match question {
            Some(_) => Vec::new(),
            None => render_html(reply, MESSAGE_LIMIT),
        };
        let keyboard = keyboard(reply);
        let last = messages.len().saturating_sub(1);
        for (i, text) in messages.iter().enumerate() {
            let markup = (i == last).then(|| keyboard.clone()).flatten();
            self.wait_turn(chat).await;
            let sent = with_retry_within(self.max_wait(), || {
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
                return Err(e);
            }
        }
        for file in &reply.files {
            self.send_file(chat, file).await?;
        }
        match &reply.quiz {
            Some(card) => {
                let question = question.as_deref().unwrap_or(&card.prompt);
                self.send_poll(chat, card, question, None, reply.lang).await
            }
            None => Ok(None),
        }
    }

    /// A file uploaded from memory (multipart): a picture with `sendPhoto`, anything else with
    /// `sendDocument`, its caption as plain text.
    async fn send_file(&self, chat: ChatId, file: &Attachment) -> Result<(), RequestError> {
        self.wait_turn(chat).await;
        let input = || InputFile::memory(file.bytes.clone()).file_name(file.name.clone());
        // The limit counts UTF-16 units and a character is at most two: half of it in
        // characters always fits.
        let caption = file
            .caption
            .as_deref()
            .map(|c| clip(c, CAPTION_LIMIT / 2 - 1));
        let sent = match file.kind {
            FileKind::Photo => with_retry_within(self.max_wait(), || {
                let req = self.bot.send_photo(chat, input());
                match caption.clone() {
                    Some(c) => req.caption(c),
                    None => req,
                }
            })
            .await
            .map(drop),
            FileKind::Document => with_retry_within(self.max_wait(), || {
                let req = self.bot.send_document(chat, input());
                match caption.clone() {
                    Some(c) => req.caption(c),
                    None => req,
                }
            })
            .await
            .map(drop),
        };
        sent.inspect_err(|e| {
            tracing::error!(error = %e, chat = chat.0, file = %file.name, "telegram: sending a file failed")
        })
    }

    /// A native quiz poll, returned with its poll id, which the caller stores so `poll_answer`
    /// updates find the quiz. With `open_period` (seconds, 5–600) Telegram closes it and shows a
    /// timer (quiz rounds).
    pub(super) async fn send_quiz(
        &self,
        chat: ChatId,
        card: &QuizCard,
        open_period: Option<u32>,
        lang: Lang,
    ) -> Result<Option<Posted>, RequestError> {
        self.send_poll(chat, card, &card.prompt, open_period, lang)
            .await
    }

    /// [`Sender::send_quiz`] asking `question` (the prompt, perhaps under a note); its Report
    /// button in `lang`.
    async fn send_poll(
        &self,
        chat: ChatId,
        card: &QuizCard,
        question: &str,
        open_period: Option<u32>,
        lang: Lang,
    ) -> Result<Option<Posted>, RequestError> {
        self.wait_turn(chat).await;
        let options: Vec<InputPollOption> = card
            .options
            .iter()
            .map(|o| InputPollOption::new(o.clone()))
            .collect();
        let open_period = open_period.map(|s| u16::try_from(s.clamp(5, 600)).unwrap_or(600));
        let sent = with_retry_within(self.max_wait(), || {
            let req = self
                .bot
                .send_poll(chat, question.to_string(), options.clone())
                .type_(PollType::Quiz)
                .is_anonymous(false)
                .correct_option_id(u8::try_from(card.correct).unwrap_or(0))
                .explanation(card.explanation.clone())
                .reply_markup(report_keyboard(card.quiz_id, lang));
            match open_period {
                Some(secs) => req.open_period(secs),
                None => req,
            }
        })
        .await
        .inspect_err(|e| tracing::error!(error = %e, chat = chat.0, "telegram: sendPoll failed"))?;
        Ok(sent.poll().map(|poll| Posted {
            quiz_id: card.quiz_id,
            platform_ref: poll.id.0.clone(),
        }))
    }
}

/// Telegram shows a quiz poll's verdict in the poll itself: its Report button sits under it.
fn report_keyboard(quiz_id: i64, lang: Lang) -> InlineKeyboardMarkup {
    let label = crate::core::Msg::Report(crate::core::messages::ReportMsg::Button).render(lang);
    let action = crate::core::Action::Report { quiz_id };
    InlineKeyboardMarkup::new([[InlineKeyboardButton::callback(label, action.encode())]])
}

/// One button per row, so labels stay readable on phones; the short done / later / skip
/// buttons of a topic share one row.
/// The reply's `reply_markup` as the Bot API receives it (for `studybot preview`).
pub fn keyboard_json(reply: &Reply) -> Option<serde_json::Value> {
    keyboard(reply).and_then(|k| serde_json::to_value(k).ok())
}

fn keyboard(reply: &Reply) -> Option<InlineKeyboardMarkup> {
    if reply.buttons.is_empty() {
        return None;
    }
    let mut rows: Vec<Vec<InlineKeyboardButton>> = Vec::new();
    let mut marks_row: Option<usize> = None;
    for b in &reply.buttons {
        let button = InlineKeyboardButton::callback(b.label.clone(), b.action.encode());
        match (&b.action, marks_row) {
            (crate::core::Action::Mark { .. }, Some(i)) => rows[i].push(button),
            (crate::core::Action::Mark { .. }, None) => {
                marks_row = Some(rows.len());
                rows.push(vec![button]);
            }
            _ => rows.push(vec![button]),
        }
    }
    Some(InlineKeyboardMarkup::new(rows))
}
