//! What Telegram and a load balancer in front of several bot instances do together in webhook
//! mode: each update is POSTed to one instance with the secret header, and an answer that is not
//! 2xx (or a refused connection) makes it go again, to the next instance, after a pause.
#![allow(dead_code)]

use serde_json::Value;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// The header Telegram sends the webhook's `secret_token` in.
pub const SECRET_HEADER: &str = "X-Telegram-Bot-Api-Secret-Token";
/// Pause before a refused update goes again.
const RETRY_PAUSE: Duration = Duration::from_millis(200);
/// Attempts per update before the balancer gives up (Telegram keeps trying for much longer).
const MAX_ATTEMPTS: usize = 200;

/// `POST path` with a JSON body and, when given, the secret header: the status, or `None` when
/// the connection failed.
pub async fn post(addr: SocketAddr, path: &str, secret: Option<&str>, body: &str) -> Option<u16> {
    let mut stream = tokio::net::TcpStream::connect(addr).await.ok()?;
    let secret = secret.map_or(String::new(), |s| format!("{SECRET_HEADER}: {s}\r\n"));
    let request = format!(
        "POST {path} HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\n\
         Content-Length: {}\r\n{secret}Connection: close\r\n\r\n{body}",
        body.len()
    );
    stream.write_all(request.as_bytes()).await.ok()?;
    let mut answer = Vec::new();
    stream.read_to_end(&mut answer).await.ok()?;
    let answer = String::from_utf8_lossy(&answer);
    answer.split_whitespace().nth(1)?.parse().ok()
}

/// The balancer: instances behind one webhook URL's path, and what it saw.
pub struct Balancer {
    pub instances: Vec<SocketAddr>,
    pub path: String,
    pub secret: String,
    /// Attempts answered with something other than 2xx (or not at all).
    pub refused: AtomicUsize,
    /// Attempts answered 2xx.
    pub accepted: AtomicUsize,
}

impl Balancer {
    pub fn new(instances: Vec<SocketAddr>, path: &str, secret: &str) -> Balancer {
        Balancer {
            instances,
            path: path.to_string(),
            secret: secret.to_string(),
            refused: AtomicUsize::new(0),
            accepted: AtomicUsize::new(0),
        }
    }

    /// Delivers `update` until an instance answers 2xx, starting with instance `first` (mod the
    /// count) and moving to the next after each refusal; returns the instance that took it.
    pub async fn deliver(&self, first: usize, update: &Value) -> usize {
        let body = update.to_string();
        for attempt in 0..MAX_ATTEMPTS {
            let i = (first + attempt) % self.instances.len();
            let status = post(self.instances[i], &self.path, Some(&self.secret), &body).await;
            if status.is_some_and(|s| (200..300).contains(&s)) {
                self.accepted.fetch_add(1, Ordering::SeqCst);
                return i;
            }
            self.refused.fetch_add(1, Ordering::SeqCst);
            tokio::time::sleep(RETRY_PAUSE).await;
        }
        panic!("no instance accepted update {}", update["update_id"]);
    }
}
