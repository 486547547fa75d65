//! The admin HTTP server (`HTTP_ADDR`): `/healthz`, `/livez` and `/metrics`; and the client the
//! Docker health check runs against it (`studybot healthcheck`), so the image needs no curl.

use super::health::{HealthWindows, health};
use crate::store::Store;
use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use metrics_exporter_prometheus::PrometheusHandle;
use std::net::SocketAddr;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio_util::sync::CancellationToken;

#[derive(Clone)]
struct Admin {
    store: Store,
    windows: HealthWindows,
    metrics: PrometheusHandle,
}

/// A bound HTTP listener and its routes; [`HttpServer::serve`] runs it. The admin server and
/// Telegram's webhook listener are each one.
pub struct HttpServer {
    listener: tokio::net::TcpListener,
    router: Router,
}

impl HttpServer {
    /// Binds `addr` (port 0 picks a free port; the log line names the real one); `var` names
    /// the setting in the error.
    pub async fn bind(addr: SocketAddr, var: &str, router: Router) -> anyhow::Result<HttpServer> {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| anyhow::anyhow!("{var}: cannot listen on {addr}: {e}"))?;
        Ok(HttpServer { listener, router })
    }

    /// The admin server on `HTTP_ADDR`: `/healthz`, `/livez` and `/metrics`.
    pub async fn admin(
        addr: SocketAddr,
        store: Store,
        windows: HealthWindows,
        metrics: PrometheusHandle,
    ) -> anyhow::Result<HttpServer> {
        let router = Router::new()
            .route("/healthz", axum::routing::get(healthz))
            .route("/livez", axum::routing::get(livez))
            .route("/metrics", axum::routing::get(render_metrics))
            .with_state(Admin {
                store,
                windows,
                metrics,
            });
        HttpServer::bind(addr, "HTTP_ADDR", router).await
    }

    pub fn local_addr(&self) -> std::io::Result<SocketAddr> {
        self.listener.local_addr()
    }

    /// Serves until `stop` fires, then finishes the requests in progress (a connection that
    /// arrives later is refused).
    pub async fn serve(self, stop: CancellationToken) -> anyhow::Result<()> {
        axum::serve(self.listener, self.router)
            .with_graceful_shutdown(async move { stop.cancelled().await })
            .await?;
        Ok(())
    }
}

async fn healthz(State(admin): State<Admin>) -> Response {
    let database = match tokio::time::timeout(admin.windows.database, admin.store.ping()).await {
        Ok(Ok(())) => Ok(()),
        Ok(Err(e)) => Err(format!("query failed: {e}")),
        Err(_) => Err(format!(
            "no answer within {} ms",
            admin.windows.database.as_millis()
        )),
    };
    let report = health().report(&admin.windows, database);
    let status = if report.ok() {
        StatusCode::OK
    } else {
        StatusCode::SERVICE_UNAVAILABLE
    };
    (status, axum::Json(report)).into_response()
}

async fn livez() -> &'static str {
    "ok\n"
}

async fn render_metrics(State(admin): State<Admin>) -> Response {
    admin.metrics.run_upkeep();
    (
        [(header::CONTENT_TYPE, "text/plain; version=0.0.4")],
        admin.metrics.render(),
    )
        .into_response()
}

/// `studybot healthcheck`: asks the local admin server's `/healthz`; Ok when it answers 200.
/// A wildcard listen address (`0.0.0.0`, `[::]`) is asked on loopback.
pub async fn check(addr: SocketAddr, within: Duration) -> anyhow::Result<String> {
    let target = match addr {
        SocketAddr::V4(a) if a.ip().is_unspecified() => {
            SocketAddr::from(([127, 0, 0, 1], a.port()))
        }
        SocketAddr::V6(a) if a.ip().is_unspecified() => {
            SocketAddr::from((std::net::Ipv6Addr::LOCALHOST, a.port()))
        }
        other => other,
    };
    let ask = async {
        let mut stream = tokio::net::TcpStream::connect(target).await?;
        let request =
            format!("GET /healthz HTTP/1.1\r\nHost: {target}\r\nConnection: close\r\n\r\n");
        stream.write_all(request.as_bytes()).await?;
        let mut answer = String::new();
        stream.read_to_string(&mut answer).await?;
        Ok::<_, std::io::Error>(answer)
    };
    let answer = tokio::time::timeout(within, ask)
        .await
        .map_err(|_| anyhow::anyhow!("{target}: no answer within {}s", within.as_secs()))?
        .map_err(|e| anyhow::anyhow!("{target}: {e}"))?;
    let status_line = answer.lines().next().unwrap_or("");
    let body = answer.split("\r\n\r\n").nth(1).unwrap_or("").trim();
    if status_line.split_whitespace().nth(1) == Some("200") {
        Ok(body.to_string())
    } else {
        anyhow::bail!("{target}: {status_line}: {body}")
    }
}
