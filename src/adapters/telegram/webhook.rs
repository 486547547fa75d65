//! Webhook mode: Telegram (through a load balancer in front of any number of instances) POSTs
//! each update here. The update is handled before the answer, so a 2xx means it was handled or
//! recorded (the events table makes a redelivered update a no-op); a failure answers 500 and
//! Telegram delivers it again, to this instance or another. Requests without the configured
//! `X-Telegram-Bot-Api-Secret-Token` are refused with 401 and counted.

use super::HandlerResult;
use crate::config::{Secret, WebhookConfig};
use crate::ops::http::HttpServer;
use crate::ops::{health, metrics as names};
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use std::ops::ControlFlow;
use std::sync::Arc;
use std::time::Duration;
use teloxide::dispatching::DpHandlerDescription;
use teloxide::prelude::*;
use teloxide::types::{AllowedUpdate, UpdateKind};
use tokio_util::sync::CancellationToken;

/// The header Telegram puts the webhook's `secret_token` in (Bot API, setWebhook).
pub const SECRET_HEADER: &str = "x-telegram-bot-api-secret-token";
/// How often `getWebhookInfo` is asked, for `/healthz` and to log delivery errors Telegram saw.
const WEBHOOK_CHECK: Duration = Duration::from_secs(20);

/// The update handler tree, the same one polling feeds.
pub type UpdateHandler = dptree::Handler<'static, HandlerResult, DpHandlerDescription>;

#[derive(Clone)]
struct Hook {
    handler: Arc<UpdateHandler>,
    /// The handlers' dependencies (everything but the update itself).
    deps: Arc<dptree::di::DependencyMap>,
    secret: Secret,
}

/// Binds `TELEGRAM_WEBHOOK_ADDR` and routes the webhook URL's path to the handlers. Stopping
/// it finishes the updates being handled; a connection that arrives later is refused, so
/// Telegram delivers its update to another instance.
pub async fn bind(
    config: &WebhookConfig,
    handler: UpdateHandler,
    deps: dptree::di::DependencyMap,
) -> anyhow::Result<HttpServer> {
    let hook = Hook {
        handler: Arc::new(handler),
        deps: Arc::new(deps),
        secret: config.secret.clone(),
    };
    let router = Router::new()
        .route(config.url.path(), axum::routing::post(receive))
        .with_state(hook);
    HttpServer::bind(config.addr, "TELEGRAM_WEBHOOK_ADDR", router).await
}

/// Registers the webhook with Telegram: URL, secret and the same update kinds polling asks for.
pub async fn register(
    bot: &Bot,
    config: &WebhookConfig,
    allowed: &[AllowedUpdate],
) -> anyhow::Result<()> {
    super::send::with_retry(|| {
        bot.set_webhook(config.url.clone())
            .secret_token(config.secret.expose())
            .allowed_updates(allowed.to_vec())
    })
    .await
    .map_err(|e| anyhow::anyhow!("Telegram setWebhook failed: {e}"))?;
    health().telegram_by_webhook();
    health().telegram_polled();
    tracing::info!(url = %config.url, "telegram: webhook registered; not polling");
    Ok(())
}

/// Asks `getWebhookInfo` now and then: a success counts as contact with Telegram for
/// `/healthz`, and a new delivery error Telegram reports is logged.
pub async fn watch(bot: Bot, stop: CancellationToken) {
    let mut last_error = None;
    loop {
        tokio::select! {
            _ = stop.cancelled() => return,
            _ = tokio::time::sleep(WEBHOOK_CHECK) => {}
        }
        match bot.get_webhook_info().await {
            Ok(info) => {
                health().telegram_polled();
                if info.last_error_date.is_some() && info.last_error_date != last_error {
                    tracing::warn!(
                        error = info.last_error_message.as_deref().unwrap_or(""),
                        pending = info.pending_update_count,
                        "telegram: reports a failed webhook delivery"
                    );
                }
                last_error = info.last_error_date;
            }
            Err(e) => tracing::warn!(error = %e, "telegram: getWebhookInfo failed"),
        }
    }
}

/// Compares without stopping at the first difference, so timing tells nothing of the secret.
fn same_secret(given: &[u8], expected: &[u8]) -> bool {
    given.len() == expected.len()
        && given
            .iter()
            .zip(expected)
            .fold(0u8, |acc, (a, b)| acc | (a ^ b))
            == 0
}

fn count(outcome: &'static str) {
    metrics::counter!(names::WEBHOOK_REQUESTS, "outcome" => outcome).increment(1);
}

async fn receive(State(hook): State<Hook>, headers: HeaderMap, body: Bytes) -> StatusCode {
    let given = headers.get(SECRET_HEADER).map(|v| v.as_bytes());
    if !given.is_some_and(|g| same_secret(g, hook.secret.expose().as_bytes())) {
        count("unauthorized");
        tracing::warn!("telegram: refused a webhook request without the right secret");
        return StatusCode::UNAUTHORIZED;
    }
    health().telegram_polled();
    let update: Update = match serde_json::from_slice(&body) {
        Ok(u) => u,
        Err(e) => {
            count("bad_request");
            tracing::warn!(error = %e, "telegram: a webhook body is not an update");
            return StatusCode::BAD_REQUEST;
        }
    };
    if let UpdateKind::Error(_) = update.kind {
        // A kind this teloxide does not know: nothing to do, and no point in a redelivery.
        count("ignored");
        return StatusCode::OK;
    }
    let id = update.id.0;
    let mut deps = (*hook.deps).clone();
    deps.insert(update);
    match hook.handler.dispatch(deps).await {
        ControlFlow::Break(Ok(())) | ControlFlow::Continue(_) => {
            count("ok");
            StatusCode::OK
        }
        ControlFlow::Break(Err(e)) => {
            count("failed");
            tracing::error!(update = id, error = %e, "telegram: update failed; Telegram will deliver it again");
            StatusCode::INTERNAL_SERVER_ERROR
        }
    }
}

#[cfg(test)]
mod tests {
    use super::same_secret;

    #[test]
    fn only_the_exact_secret_matches() {
        assert!(same_secret(b"abc-_9", b"abc-_9"));
        for other in [&b"abc-_8"[..], b"abc-_", b"abc-_99", b""] {
            assert!(!same_secret(other, b"abc-_9"));
        }
    }
}
