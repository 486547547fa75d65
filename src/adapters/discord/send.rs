//! Rendered messages as serenity builders, retries, and error text that never carries a URL
//! (webhook and interaction URLs contain the interaction token).

use super::render::{ButtonKind, EmbedOut, Outgoing};
use serenity::all::{
    ButtonStyle, CreateActionRow, CreateAllowedMentions, CreateAttachment, CreateButton,
    CreateEmbed, CreateEmbedFooter, CreateInteractionResponseFollowup,
    CreateInteractionResponseMessage, CreateMessage, EditInteractionResponse, HttpError,
};
use std::future::Future;
use std::time::Duration;

/// Attempts per request: network failures, 429s and 5xx are tried again this often in all.
const MAX_ATTEMPTS: u32 = 4;
/// First wait after a failure; doubled each time.
const FIRST_BACKOFF: Duration = Duration::from_millis(250);
/// Wait after a 429 when serenity's own limiter is off (behind a proxy), which hands the 429 back
/// without its `retry_after`.
const RATE_LIMITED_WAIT: Duration = Duration::from_secs(1);

/// Nothing the bot sends may ping: `{"parse": [], "users": [], "roles": []}`.
pub fn no_mentions() -> CreateAllowedMentions {
    CreateAllowedMentions::new()
}

pub fn embed(e: &EmbedOut) -> CreateEmbed {
    let mut out = CreateEmbed::new();
    if let Some(t) = &e.title {
        out = out.title(t);
    }
    if !e.description.is_empty() {
        out = out.description(&e.description);
    }
    for f in &e.fields {
        out = out.field(&f.name, &f.value, false);
    }
    if let Some(f) = &e.footer {
        out = out.footer(CreateEmbedFooter::new(f));
    }
    out
}

fn rows(o: &Outgoing) -> Vec<CreateActionRow> {
    o.rows
        .iter()
        .map(|row| {
            CreateActionRow::Buttons(
                row.iter()
                    .map(|b| {
                        CreateButton::new(&b.custom_id)
                            .label(&b.label)
                            .style(match b.kind {
                                ButtonKind::Answer => ButtonStyle::Primary,
                                ButtonKind::Normal => ButtonStyle::Secondary,
                                ButtonKind::Danger => ButtonStyle::Danger,
                            })
                    })
                    .collect(),
            )
        })
        .collect()
}

fn embeds(o: &Outgoing) -> Vec<CreateEmbed> {
    o.embeds.iter().map(embed).collect()
}

/// Fills an interaction answer builder (first response or follow-up: serenity's two types share
/// these methods but no trait) with a message, never mentioning anyone.
macro_rules! interaction_message {
    ($builder:expr, $o:expr, $ephemeral:expr) => {{
        let mut m = $builder
            .embeds(embeds($o))
            .components(rows($o))
            .ephemeral($ephemeral)
            .allowed_mentions(no_mentions());
        if let Some(c) = &$o.content {
            m = m.content(c);
        }
        m
    }};
}

/// The first answer to an interaction.
pub fn response_message(o: &Outgoing, ephemeral: bool) -> CreateInteractionResponseMessage {
    interaction_message!(CreateInteractionResponseMessage::new(), o, ephemeral)
}

/// The files of a message as uploads (multipart `files[n]`), in order.
pub fn attachments(o: &Outgoing) -> Vec<CreateAttachment> {
    o.files
        .iter()
        .map(|f| CreateAttachment::bytes(f.bytes.clone(), f.name.clone()))
        .collect()
}

/// The answer to a deferred interaction. An edit lists its new files in `attachments` (as
/// serenity's own `execute` does); the uploads themselves go with the request.
pub fn edit_original(o: &Outgoing) -> EditInteractionResponse {
    attachments(o).into_iter().fold(
        EditInteractionResponse::new()
            .content(o.content.clone().unwrap_or_default())
            .embeds(embeds(o))
            .components(rows(o))
            .allowed_mentions(no_mentions()),
        EditInteractionResponse::new_attachment,
    )
}

/// A further message of a long answer.
pub fn followup(o: &Outgoing, ephemeral: bool) -> CreateInteractionResponseFollowup {
    interaction_message!(CreateInteractionResponseFollowup::new(), o, ephemeral)
}

/// A message the bot posts on its own (a push).
pub fn channel_message(o: &Outgoing) -> CreateMessage {
    let mut m = CreateMessage::new()
        .embeds(embeds(o))
        .components(rows(o))
        .allowed_mentions(no_mentions());
    if let Some(c) = &o.content {
        m = m.content(c);
    }
    m
}

/// A message as the JSON body Discord receives (for `studybot preview`).
pub fn message_json(o: &Outgoing) -> serde_json::Value {
    serde_json::to_value(channel_message(o)).unwrap_or_default()
}

/// A change to a message the bot posted (a quiz round's countdown, its closing): embeds and
/// buttons are replaced (none given: taken away), the text only when given.
pub fn message_edit(o: &Outgoing) -> serenity::all::EditMessage {
    let mut m = serenity::all::EditMessage::new()
        .embeds(embeds(o))
        .components(rows(o))
        .allowed_mentions(no_mentions());
    if let Some(c) = &o.content {
        m = m.content(c);
    }
    m
}

/// The HTTP status of a failed request, if Discord answered.
pub fn status(e: &serenity::Error) -> Option<u16> {
    match e {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(r)) => Some(r.status_code.as_u16()),
        _ => None,
    }
}

/// A failure as one log-safe line: status, Discord's code and message, never the URL.
pub fn describe(e: &serenity::Error) -> String {
    match e {
        serenity::Error::Http(HttpError::UnsuccessfulRequest(r)) => format!(
            "{} {} (code {}): {}",
            r.method, r.status_code, r.error.code, r.error.message
        ),
        serenity::Error::Http(HttpError::Request(r)) => {
            let kind = if r.is_timeout() {
                "timed out"
            } else if r.is_connect() {
                "could not connect"
            } else {
                "request failed"
            };
            match std::error::Error::source(r) {
                Some(cause) => format!("network error: {kind}: {cause}"),
                None => format!("network error: {kind}"),
            }
        }
        other => other.to_string(),
    }
}

/// How long to wait before trying `e` again, or `None` if trying again cannot help.
fn retry_after(e: &serenity::Error, attempt: u32) -> Option<Duration> {
    let backoff = FIRST_BACKOFF * 2u32.pow(attempt.saturating_sub(1));
    match e {
        serenity::Error::Http(HttpError::Request(_)) => Some(backoff),
        serenity::Error::Http(HttpError::UnsuccessfulRequest(r)) => match r.status_code.as_u16() {
            429 => Some(RATE_LIMITED_WAIT.max(backoff)),
            500..=599 => Some(backoff),
            _ => None,
        },
        _ => None,
    }
}

/// Runs a request, trying again after network failures, 429s and 5xx (0.25 s, 0.5 s, 1 s apart);
/// other errors come back at once.
pub async fn with_retry<T, F, Fut>(what: &str, make: F) -> serenity::Result<T>
where
    F: Fn() -> Fut,
    Fut: Future<Output = serenity::Result<T>>,
{
    use crate::ops::metrics::{OUTBOUND_SECONDS, RATE_LIMITED, RETRIED};
    const PLATFORM: (&str, &str) = ("platform", "discord");
    let mut attempt = 0;
    loop {
        attempt += 1;
        let started = std::time::Instant::now();
        let answer = make().await;
        metrics::histogram!(OUTBOUND_SECONDS, &[PLATFORM]).record(started.elapsed());
        let e = match answer {
            Ok(v) => return Ok(v),
            Err(e) => e,
        };
        if matches!(&e, serenity::Error::Http(HttpError::UnsuccessfulRequest(r)) if r.status_code.as_u16() == 429)
        {
            metrics::counter!(RATE_LIMITED, &[PLATFORM]).increment(1);
        }
        match retry_after(&e, attempt) {
            Some(wait) if attempt < MAX_ATTEMPTS => {
                metrics::counter!(RETRIED, &[PLATFORM]).increment(1);
                tracing::warn!(error = %describe(&e), ?wait, "discord: {what} failed, retrying");
                tokio::time::sleep(wait).await;
            }
            _ => return Err(e),
        }
    }
}
