//! Long polling that reports to `/healthz` and `/metrics`: teloxide's own `Polling` hides
//! whether a `getUpdates` that brought no updates succeeded, which is exactly what health needs.
//! Otherwise it behaves like teloxide's: a webhook is deleted first, a 429 waits `retry_after`,
//! other errors back off exponentially, and stopping confirms what was fetched with one last
//! short call, after every fetched update has been handed to the dispatcher.

use crate::ops::{health, metrics as names};
use futures::stream::BoxStream;
use std::collections::VecDeque;
use std::time::Duration;
use teloxide::RequestError;
use teloxide::errors::AsResponseParameters;
use teloxide::prelude::*;
use teloxide::stop::{StopFlag, StopToken, mk_stop_token};
use teloxide::types::{AllowedUpdate, Update};
use teloxide::update_listeners::{AsUpdateStream, UpdateListener};

/// How long one `getUpdates` waits on the server for updates (teloxide's default).
const LONG_POLL: Duration = Duration::from_secs(10);

pub struct HealthPolling {
    bot: Bot,
    token: StopToken,
    flag: Option<StopFlag>,
    allowed: Option<Vec<AllowedUpdate>>,
}

impl HealthPolling {
    /// Deletes a webhook if one is set (polling and a webhook exclude each other).
    pub async fn new(bot: Bot) -> HealthPolling {
        match bot.get_webhook_info().await {
            Ok(info) if info.url.is_some() => {
                if let Err(e) = bot.delete_webhook().await {
                    tracing::error!(error = %e, "telegram: could not delete the webhook");
                }
            }
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "telegram: getWebhookInfo failed"),
        }
        let (token, flag) = mk_stop_token();
        HealthPolling {
            bot,
            token,
            flag: Some(flag),
            allowed: None,
        }
    }
}

impl UpdateListener for HealthPolling {
    type Err = RequestError;

    fn stop_token(&mut self) -> StopToken {
        self.token.clone()
    }

    fn hint_allowed_updates(&mut self, hint: &mut dyn Iterator<Item = AllowedUpdate>) {
        self.allowed = Some(hint.collect());
    }
}

struct PollState {
    bot: Bot,
    flag: StopFlag,
    allowed: Option<Vec<AllowedUpdate>>,
    offset: i32,
    buffer: VecDeque<Update>,
    errors: u32,
    done: bool,
}

impl<'a> AsUpdateStream<'a> for HealthPolling {
    type StreamErr = RequestError;
    type Stream = BoxStream<'a, Result<Update, RequestError>>;

    fn as_stream(&'a mut self) -> Self::Stream {
        let flag = self.flag.take().unwrap_or_else(|| {
            // A second stream: a fresh stop flag and token.
            let (token, flag) = mk_stop_token();
            self.token = token;
            flag
        });
        let state = PollState {
            bot: self.bot.clone(),
            flag,
            allowed: self.allowed.take(),
            offset: 0,
            buffer: VecDeque::new(),
            errors: 0,
            done: false,
        };
        Box::pin(futures::stream::unfold(state, next))
    }
}

async fn next(mut st: PollState) -> Option<(Result<Update, RequestError>, PollState)> {
    loop {
        if let Some(update) = st.buffer.pop_front() {
            return Some((Ok(update), st));
        }
        if st.done {
            return None;
        }
        let stopping = st.flag.is_stopped();
        let mut request = st.bot.get_updates().offset(st.offset);
        if let Some(allowed) = st.allowed.take() {
            request = request.allowed_updates(allowed);
        }
        let answer = if stopping {
            // Confirms everything fetched so far and returns at once.
            request.timeout(0).limit(1).await
        } else {
            let call = request.timeout(LONG_POLL.as_secs() as u32);
            tokio::select! {
                r = call.into_future() => r,
                _ = &mut st.flag => continue,
            }
        };
        match answer {
            Ok(updates) => {
                health().telegram_polled();
                metrics::counter!(names::POLLS, "outcome" => "ok").increment(1);
                st.errors = 0;
                if stopping {
                    st.done = true;
                    return None;
                }
                if let Some(last) = updates.last() {
                    st.offset = last.id.as_offset();
                }
                st.buffer.extend(updates);
            }
            Err(e) => {
                metrics::counter!(names::POLLS, "outcome" => "error").increment(1);
                if stopping {
                    st.done = true;
                    return Some((Err(e), st));
                }
                let wait = match e.retry_after() {
                    Some(after) => {
                        metrics::counter!(names::RATE_LIMITED, "platform" => "telegram")
                            .increment(1);
                        after.duration()
                    }
                    None => {
                        st.errors = st.errors.saturating_add(1);
                        teloxide::backoff::exponential_backoff_strategy(st.errors - 1)
                    }
                };
                tracing::warn!(error = %e, ?wait, "telegram: getUpdates failed; polling again");
                tokio::select! {
                    _ = tokio::time::sleep(wait) => {}
                    _ = &mut st.flag => {}
                }
                return Some((Err(e), st));
            }
        }
    }
}
