//! A fake Discord on 127.0.0.1: the REST routes the bot uses under `/api/v10` and a plain `ws://`
//! gateway. The gateway sends HELLO, answers IDENTIFY with READY and GUILD_CREATE, acknowledges
//! heartbeats, answers RESUME with RESUMED, and then delivers the INTERACTION_CREATE events a test
//! injects. Sharding as Discord does it: IDENTIFY's `shard: [id, count]` picks the session, and a
//! guild's events go to shard `(guild_id >> 22) % count` (DMs to shard 0). REST checks the bot token (except on interaction and webhook routes, as Discord
//! does), refuses a second callback for one interaction (400, code 40060), checks message limits
//! (400, code 50035), keeps the messages it was sent, and records every call with the status it
//! answered. Tests can inject failures (`fail_next`), Discord-shaped 429s (`rate_limit_next`) and
//! channels the bot lost access to (`forbid_channel`: 403 from then on).
//!
//! The JSON is what serenity 0.12.5 needs to accept it (see ../shared/PLATFORM-NOTES.md).
#![allow(dead_code)]

use super::telegram::{Upload, read_multipart};
use axum::Router;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::ws::{Message as WsMessage, WebSocket, WebSocketUpgrade};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};
use tokio::sync::{Notify, mpsc};

pub const APP_ID: u64 = 900_000_000_000_000_001;
pub const BOT_ID: u64 = APP_ID;
pub const GUILD: u64 = 800_000_000_000_000_001;
/// A text channel in [`GUILD`].
pub const CHANNEL: u64 = 810_000_000_000_000_001;
pub const BOT_NAME: &str = "studybot";
/// Gateway heartbeat interval the fake asks for: short, so every test exercises heartbeats.
const HEARTBEAT_MS: u64 = 250;
const TIMESTAMP: &str = "2026-03-02T10:00:00.000000+00:00";

/// Discord permission bits (as the interaction's `member.permissions` string carries them).
pub const VIEW_AND_SEND: u64 = (1 << 10) | (1 << 11);
pub const MANAGE_GUILD: u64 = 1 << 5;
pub const ADMINISTRATOR: u64 = 1 << 3;

/// One REST call the bot made.
#[derive(Debug, Clone)]
pub struct Call {
    pub method: String,
    pub path: String,
    pub body: Value,
    pub auth: Option<String>,
    /// The HTTP status the fake answered with.
    pub status: u16,
    /// When the request arrived.
    pub at: Instant,
    /// Files uploaded with a multipart request (`payload_json` is the `body`).
    pub files: Vec<Upload>,
}

impl Call {
    /// The message data in the body: a callback's `data`, else the body itself.
    pub fn message_data(&self) -> &Value {
        if self.path.ends_with("/callback") {
            &self.body["data"]
        } else {
            &self.body
        }
    }

    /// Whether this call posts or edits message text.
    pub fn carries_message(&self) -> bool {
        let d = self.message_data();
        d.get("content").is_some() || d.get("embeds").is_some()
    }

    /// Whether the fake answered with a 2xx status.
    pub fn ok(&self) -> bool {
        (200..300).contains(&self.status)
    }

    /// The channel of a `/channels/{id}/…` call.
    pub fn channel(&self) -> Option<u64> {
        self.path
            .strip_prefix("/api/v10/channels/")?
            .split('/')
            .next()?
            .parse()
            .ok()
    }
}

/// Who interacts, and where.
#[derive(Debug, Clone)]
pub struct Who {
    pub user_id: u64,
    pub name: String,
    pub nick: Option<String>,
    /// `None` in a DM.
    pub guild: Option<u64>,
    pub channel: u64,
    pub permissions: u64,
}

/// A member of [`GUILD`] in [`CHANNEL`] with these permissions.
pub fn member(user_id: u64, name: &str, permissions: u64) -> Who {
    Who {
        user_id,
        name: name.to_string(),
        nick: None,
        guild: Some(GUILD),
        channel: CHANNEL,
        permissions,
    }
}

/// The user in their DM with the bot.
pub fn dm(user_id: u64, name: &str) -> Who {
    Who {
        user_id,
        name: name.to_string(),
        nick: None,
        guild: None,
        channel: 700_000_000_000_000_000 + user_id,
        permissions: 0,
    }
}

/// An injected interaction.
#[derive(Debug, Clone)]
pub struct Sent {
    pub id: u64,
    pub token: String,
    pub payload: Value,
}

/// A slash-command string option.
pub fn opt(name: &str, value: &str) -> Value {
    json!({"name": name, "type": 3, "value": value})
}

/// A slash-command boolean option.
pub fn flag(name: &str, value: bool) -> Value {
    json!({"name": name, "type": 5, "value": value})
}

#[derive(Debug, Default)]
struct Interaction {
    id: u64,
    channel: u64,
    /// The callback type the bot answered with (4 message, 5 deferred, 6 ack, 8 autocomplete).
    callback: Option<u64>,
    /// The first response message, once there is one.
    original: Option<u64>,
    /// Set when the response is complete: a type 4 callback, or the edit of a deferral.
    answered: bool,
    choices: Option<Value>,
    followups: Vec<u64>,
}

/// A planned failure: the next `method` call whose path contains `path_part`.
struct Failure {
    method: String,
    path_part: String,
    status: u16,
    body: Value,
    headers: Vec<(&'static str, String)>,
}

#[derive(Default)]
struct Inner {
    calls: Vec<Call>,
    next_id: u64,
    interactions: HashMap<String, Interaction>,
    messages: HashMap<u64, Value>,
    identified: usize,
    heartbeats: usize,
    /// The ready session of each shard.
    gateways: HashMap<u64, mpsc::UnboundedSender<(String, Value)>>,
    /// The shard count the sessions identified with (1 until one says otherwise).
    shard_count: u64,
    /// Every IDENTIFY's `[shard, count]`, in order.
    identifies: Vec<[u64; 2]>,
    /// Events for a shard with no ready session yet.
    pending: Vec<(String, Value)>,
    /// Each shard's session: its last sequence number and the dispatches sent in it, which a
    /// RESUME replays from the client's last seen sequence number, as Discord does (a client
    /// that missed heartbeat ACKs on a loaded machine reconnects and must not lose events).
    sessions: HashMap<u64, SessionLog>,
    /// The guilds the bot is in (sent in READY and GUILD_CREATE by the shard each belongs to).
    guilds: Vec<u64>,
    failures: Vec<Failure>,
    /// Channels the bot may no longer see: every request there answers 403.
    forbidden: HashSet<u64>,
    /// While set, the gateway refuses connections (503 on the upgrade).
    gateway_down: bool,
    /// Files members attached to slash commands, by attachment id, served at their URL.
    attached: HashMap<u64, Vec<u8>>,
    /// Attachment downloads served.
    downloads: usize,
}

#[derive(Default)]
struct SessionLog {
    seq: u64,
    sent: Vec<(u64, String, Value)>,
}

impl Inner {
    /// The next sequence number of `shard`'s session, with the dispatch logged for a RESUME.
    fn dispatch(&mut self, shard: u64, t: &str, d: &Value) -> u64 {
        let log = self.sessions.entry(shard).or_default();
        log.seq += 1;
        log.sent.push((log.seq, t.to_string(), d.clone()));
        log.seq
    }
}

struct Shared {
    token: String,
    ws_url: String,
    inner: Mutex<Inner>,
    changed: Notify,
}

pub struct FakeDiscord {
    pub url: String,
    shared: Arc<Shared>,
}

impl FakeDiscord {
    pub async fn start(token: &str) -> FakeDiscord {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let shared = Arc::new(Shared {
            token: token.to_string(),
            ws_url: format!("ws://{addr}/gateway"),
            inner: Mutex::new(Inner {
                next_id: 1_000_000_000_000_000_001,
                shard_count: 1,
                guilds: vec![GUILD],
                ..Inner::default()
            }),
            changed: Notify::new(),
        });
        let app = Router::new()
            .route("/gateway", axum::routing::get(gateway))
            .route("/attachments/{id}/{name}", axum::routing::get(attachment))
            .fallback(rest)
            .with_state(shared.clone());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        FakeDiscord {
            url: format!("http://{addr}"),
            shared,
        }
    }

    fn with<T>(&self, f: impl FnOnce(&mut Inner) -> T) -> T {
        let out = f(&mut self.shared.inner.lock().unwrap());
        self.shared.changed.notify_waiters();
        out
    }

    /// Waits until `f` returns something, or panics after `secs` with the calls so far.
    pub async fn wait<T>(
        &self,
        what: &str,
        secs: u64,
        f: impl Fn(&InnerView<'_>) -> Option<T>,
    ) -> T {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
        loop {
            let notified = self.shared.changed.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            let (found, calls) = {
                let st = self.shared.inner.lock().unwrap();
                let found = f(&InnerView(&st));
                let calls = if found.is_none() {
                    st.calls
                        .iter()
                        .map(|c| format!("{} {} {}", c.method, c.path, c.body))
                        .collect::<Vec<_>>()
                } else {
                    Vec::new()
                };
                (found, calls)
            };
            if let Some(v) = found {
                return v;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                panic!(
                    "timed out waiting for {what}; calls so far:\n{}",
                    calls.join("\n")
                );
            }
        }
    }

    /// Waits until the bot has registered its slash commands (it is then connected and ready).
    pub async fn wait_for_registration(&self) {
        self.wait_for("slash command registration", 30, |calls| {
            calls
                .iter()
                .any(|c| c.method == "PUT" && c.path.ends_with("/commands"))
        })
        .await;
    }

    /// Waits until `pred` holds for the REST calls made so far.
    pub async fn wait_for(
        &self,
        what: &str,
        secs: u64,
        pred: impl Fn(&[Call]) -> bool,
    ) -> Vec<Call> {
        self.wait(what, secs, |v| pred(&v.0.calls).then(|| v.0.calls.clone()))
            .await
    }

    pub fn calls(&self) -> Vec<Call> {
        self.with(|s| s.calls.clone())
    }

    /// How many IDENTIFYs the gateway accepted.
    pub fn identified(&self) -> usize {
        self.with(|s| s.identified)
    }

    pub fn heartbeats(&self) -> usize {
        self.with(|s| s.heartbeats)
    }

    /// Every IDENTIFY's `[shard, count]`, in order.
    pub fn identifies(&self) -> Vec<[u64; 2]> {
        self.with(|s| s.identifies.clone())
    }

    /// The bot is in `guild` too (from the next IDENTIFY on).
    pub fn add_guild(&self, guild: u64) {
        self.with(|s| s.guilds.push(guild))
    }

    /// The next call with this method whose path contains `path_part` answers with this status
    /// and body.
    pub fn fail_next(&self, method: &str, path_part: &str, status: u16, body: Value) {
        self.with(|s| {
            s.failures.push(Failure {
                method: method.to_string(),
                path_part: path_part.to_string(),
                status,
                body,
                headers: Vec::new(),
            })
        })
    }

    /// The next `method` call whose path contains `path_part` is rate limited, as Discord answers
    /// it: 429 with `retry_after` in float seconds in the body, `Retry-After` (whole seconds,
    /// rounded up) and the `X-RateLimit-*` headers; `global` for the bot-wide 50/s limit, else
    /// the route's bucket.
    pub fn rate_limit_next(&self, method: &str, path_part: &str, retry_after: f64, global: bool) {
        let reset = SystemTime::now()
            .duration_since(UNIX_EPOCH)
            .unwrap_or_default()
            .as_secs_f64()
            + retry_after;
        let mut headers = vec![
            ("retry-after", (retry_after.ceil() as u64).to_string()),
            (
                "x-ratelimit-scope",
                if global { "global" } else { "user" }.to_string(),
            ),
        ];
        if global {
            headers.push(("x-ratelimit-global", "true".to_string()));
        } else {
            headers.extend([
                ("x-ratelimit-limit", "5".to_string()),
                ("x-ratelimit-remaining", "0".to_string()),
                ("x-ratelimit-reset", format!("{reset:.3}")),
                ("x-ratelimit-reset-after", format!("{retry_after:.3}")),
                (
                    "x-ratelimit-bucket",
                    "fakebucket0123456789abcdef".to_string(),
                ),
            ]);
        }
        self.with(|s| {
            s.failures.push(Failure {
                method: method.to_string(),
                path_part: path_part.to_string(),
                status: 429,
                body: json!({
                    "message": "You are being rate limited.",
                    "retry_after": retry_after,
                    "global": global,
                }),
                headers,
            })
        })
    }

    /// The bot loses access to `channel` (removed from the server, channel hidden or deleted):
    /// from now on every request there answers 403, code 50001 "Missing Access".
    /// Closes the gateway connection (a resumable close) and refuses new ones until
    /// [`FakeDiscord::gateway_up`].
    pub fn gateway_down(&self) {
        let mut st = self.shared.inner.lock().unwrap();
        st.gateway_down = true;
        for (_, tx) in st.gateways.drain() {
            let _ = tx.send((CLOSE_GATEWAY.to_string(), Value::Null));
        }
    }

    pub fn gateway_up(&self) {
        self.shared.inner.lock().unwrap().gateway_down = false;
    }

    pub fn forbid_channel(&self, channel: u64) {
        self.with(|s| {
            s.forbidden.insert(channel);
        })
    }

    /// Sends a dispatch event over the gateway, on the shard its guild belongs to (queued until
    /// that shard's session is ready).
    pub fn dispatch(&self, t: &str, d: Value) {
        self.with(|s| {
            let shard = shard_of(&d, s.shard_count);
            let event = (t.to_string(), d);
            match s.gateways.get(&shard) {
                Some(tx) if tx.send(event.clone()).is_ok() => {}
                _ => s.pending.push(event),
            }
        })
    }

    /// Sends a dispatch event on shard `shard` whatever its guild (as a replay after a shard
    /// moved would), queued until that shard's session is ready.
    pub fn dispatch_on(&self, shard: u64, t: &str, d: Value) {
        self.with(|s| {
            let event = (t.to_string(), d);
            match s.gateways.get(&shard) {
                Some(tx) if tx.send(event.clone()).is_ok() => {}
                _ => s.pending.push(event),
            }
        })
    }

    /// A new interaction id and token, known to the REST side.
    fn register(&self, who: &Who) -> (u64, String) {
        self.with(|s| {
            let id = s.next_id;
            s.next_id += 1;
            let token = format!("itoken-{id}");
            s.interactions.insert(
                token.clone(),
                Interaction {
                    id,
                    channel: who.channel,
                    ..Interaction::default()
                },
            );
            (id, token)
        })
    }

    fn interact(&self, kind: u8, who: &Who, data: Value, message: Option<&Value>) -> Sent {
        self.interact_in(kind, who, data, message, "en-US")
    }

    /// An interaction from a client set to `locale` (Discord's `locale` field, e.g. `hi`).
    fn interact_in(
        &self,
        kind: u8,
        who: &Who,
        data: Value,
        message: Option<&Value>,
        locale: &str,
    ) -> Sent {
        let (id, token) = self.register(who);
        let mut payload = interaction(kind, id, &token, who, data);
        payload["locale"] = json!(locale);
        if let Some(m) = message {
            payload["message"] = m.clone();
        }
        self.dispatch("INTERACTION_CREATE", payload.clone());
        Sent { id, token, payload }
    }

    /// A slash command with options (see [`opt`] and [`flag`]).
    pub fn slash(&self, who: &Who, name: &str, options: Vec<Value>) -> Sent {
        self.interact(
            2,
            who,
            json!({"id": command_id(name).to_string(), "name": name, "type": 1, "options": options}),
            None,
        )
    }

    /// A slash command with a file attached to its attachment option `option` (its bytes
    /// served at the attachment's URL on this server; `size` is what Discord reports).
    pub fn slash_with_file(
        &self,
        who: &Who,
        name: &str,
        mut options: Vec<Value>,
        option: &str,
        (filename, bytes, size): (&str, Vec<u8>, u64),
    ) -> Sent {
        let aid = self.with(|s| {
            let id = s.next_id;
            s.next_id += 1;
            s.attached.insert(id, bytes);
            id
        });
        let url = format!("{}/attachments/{aid}/{filename}", self.url);
        options.push(json!({"name": option, "type": 11, "value": aid.to_string()}));
        let file = json!({"id": aid.to_string(), "filename": filename, "size": size, "url": url,
                          "proxy_url": url, "content_type": "text/csv"});
        self.interact(
            2,
            who,
            json!({"id": command_id(name).to_string(), "name": name, "type": 1, "options": options,
                   "resolved": {"attachments": {aid.to_string(): file}}}),
            None,
        )
    }

    /// How many attachments the bot downloaded.
    pub fn downloads(&self) -> usize {
        self.with(|s| s.downloads)
    }

    /// A slash command from a member whose Discord client is set to `locale`.
    pub fn slash_in(&self, who: &Who, name: &str, options: Vec<Value>, locale: &str) -> Sent {
        self.interact_in(
            2,
            who,
            json!({"id": command_id(name).to_string(), "name": name, "type": 1, "options": options}),
            None,
            locale,
        )
    }

    /// A click on a button of `message` (a message object as [`FakeDiscord::message`] returns).
    pub fn click(&self, who: &Who, message: &Value, custom_id: &str) -> Sent {
        self.interact(
            3,
            who,
            json!({"custom_id": custom_id, "component_type": 2}),
            Some(message),
        )
    }

    /// Typing `typed` into option `option` of `/name`.
    pub fn autocomplete(&self, who: &Who, name: &str, option: &str, typed: &str) -> Sent {
        self.interact(
            4,
            who,
            json!({"id": command_id(name).to_string(), "name": name, "type": 1,
                   "options": [{"name": option, "type": 3, "value": typed, "focused": true}]}),
            None,
        )
    }

    /// Delivers an interaction again, as a gateway replay after a reconnect would.
    pub fn redeliver(&self, sent: &Sent) {
        self.dispatch("INTERACTION_CREATE", sent.payload.clone());
    }

    /// The complete response message to an interaction (waits for it).
    pub async fn reply(&self, sent: &Sent) -> Value {
        self.wait(&format!("the response to {}", sent.token), 20, |v| {
            let i = v.0.interactions.get(&sent.token)?;
            if !i.answered {
                return None;
            }
            v.0.messages.get(&i.original?).cloned()
        })
        .await
    }

    /// The follow-up messages of an interaction so far.
    pub fn followups(&self, sent: &Sent) -> Vec<Value> {
        self.with(|s| {
            s.interactions
                .get(&sent.token)
                .map(|i| {
                    i.followups
                        .iter()
                        .filter_map(|m| s.messages.get(m).cloned())
                        .collect()
                })
                .unwrap_or_default()
        })
    }

    /// The autocomplete choices the bot offered (waits for them).
    pub async fn choices(&self, sent: &Sent) -> Vec<Value> {
        self.wait("autocomplete choices", 20, |v| {
            v.0.interactions
                .get(&sent.token)?
                .choices
                .as_ref()
                .and_then(|c| c.as_array().cloned())
        })
        .await
    }

    /// The callback bodies the bot sent for an interaction.
    pub fn callbacks(&self, sent: &Sent) -> Vec<Value> {
        let path = format!("/api/v10/interactions/{}/{}/callback", sent.id, sent.token);
        self.with(|s| {
            s.calls
                .iter()
                .filter(|c| c.path == path)
                .map(|c| c.body.clone())
                .collect()
        })
    }

    /// A stored message, as it is now.
    pub fn message(&self, id: u64) -> Value {
        self.with(|s| s.messages.get(&id).cloned().unwrap_or(Value::Null))
    }
}

/// Read access to the fake's state inside [`FakeDiscord::wait`].
pub struct InnerView<'a>(&'a Inner);

impl InnerView<'_> {
    pub fn calls(&self) -> &[Call] {
        &self.0.calls
    }

    pub fn message(&self, id: u64) -> Option<&Value> {
        self.0.messages.get(&id)
    }

    pub fn identified(&self) -> usize {
        self.0.identified
    }

    pub fn heartbeats(&self) -> usize {
        self.0.heartbeats
    }
}

/// A message's id as a number.
pub fn id_of(message: &Value) -> u64 {
    message["id"]
        .as_str()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0)
}

/// The `custom_id`s of a message's buttons, row by row.
pub fn custom_ids(message: &Value) -> Vec<String> {
    message["components"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|row| row["components"].as_array().cloned().unwrap_or_default())
        .filter_map(|b| b["custom_id"].as_str().map(str::to_string))
        .collect()
}

/// The ephemeral flag (64) is set.
pub fn is_ephemeral(message: &Value) -> bool {
    message["flags"].as_u64().unwrap_or(0) & 64 != 0
}

// ---- payloads (the JSON Discord sends) ----

fn command_id(name: &str) -> u64 {
    950_000_000_000_000_000 + name.bytes().map(u64::from).sum::<u64>()
}

pub fn user_json(id: u64, name: &str) -> Value {
    json!({"id": id.to_string(), "username": name, "global_name": name, "avatar": null,
           "discriminator": "0", "public_flags": 0})
}

fn bot_user() -> Value {
    json!({"id": BOT_ID.to_string(), "username": BOT_NAME, "global_name": null, "avatar": null,
           "discriminator": "0", "bot": true, "verified": true, "mfa_enabled": false, "flags": 0})
}

fn interaction(kind: u8, id: u64, token: &str, who: &Who, data: Value) -> Value {
    let mut v = json!({
        "id": id.to_string(), "application_id": APP_ID.to_string(), "type": kind, "data": data,
        "token": token, "version": 1, "locale": "en-US", "channel_id": who.channel.to_string(),
        "entitlements": [], "attachment_size_limit": 26_214_400,
        "authorizing_integration_owners": {"0": GUILD.to_string()},
    });
    let user = user_json(who.user_id, &who.name);
    match who.guild {
        Some(g) => {
            v["guild_id"] = json!(g.to_string());
            v["guild_locale"] = json!("en-US");
            v["context"] = json!(0);
            v["app_permissions"] = json!(VIEW_AND_SEND.to_string());
            v["member"] = json!({
                "user": user, "nick": who.nick, "avatar": null, "roles": [], "joined_at": TIMESTAMP,
                "premium_since": null, "deaf": false, "mute": false, "flags": 0, "pending": false,
                "permissions": who.permissions.to_string(),
            });
        }
        None => {
            v["user"] = user;
            v["context"] = json!(1);
        }
    }
    v
}

/// Where the fake passes a request's uploads on to the message it stores.
const UPLOADS: &str = "_uploaded_attachments";

fn message_json(id: u64, channel: u64, data: &Value, interaction: bool) -> Value {
    json!({
        "id": id.to_string(), "channel_id": channel.to_string(), "author": bot_user(),
        "content": data["content"].as_str().unwrap_or(""), "timestamp": TIMESTAMP,
        "edited_timestamp": null, "tts": false, "mention_everyone": false, "mentions": [],
        "mention_roles": [], "attachments": data.get(UPLOADS).cloned().unwrap_or(json!([])),
        "embeds": data.get("embeds").cloned().unwrap_or(json!([])),
        "components": data.get("components").cloned().unwrap_or(json!([])),
        "pinned": false, "type": if interaction { 20 } else { 0 },
        "flags": data["flags"].as_u64().unwrap_or(0),
        "webhook_id": if interaction { json!(APP_ID.to_string()) } else { Value::Null },
        "application_id": APP_ID.to_string(),
    })
}

/// Applies an edit: every field the edit names replaces the stored one.
fn merge(message: &mut Value, edit: &Value) {
    for key in ["content", "embeds", "components", "flags"] {
        if let Some(v) = edit.get(key) {
            message[key] = v.clone();
        }
    }
    if let (Some(new), Some(list)) = (
        edit.get(UPLOADS).and_then(Value::as_array),
        message["attachments"].as_array_mut(),
    ) {
        list.extend(new.iter().cloned());
    }
    message["edited_timestamp"] = json!(TIMESTAMP);
}

/// Discord's rule: a guild's events go to shard `(guild_id >> 22) % shard_count`; events without
/// a guild (DMs) to shard 0.
pub fn shard_of(event: &Value, shard_count: u64) -> u64 {
    event["guild_id"]
        .as_str()
        .and_then(|g| g.parse::<u64>().ok())
        .map_or(0, |g| (g >> 22) % shard_count.max(1))
}

fn guild_create(id: u64) -> Value {
    // serenity's `Guild` has no serde defaults: every non-Option field is here.
    let mut g = json!({
        "id": id.to_string(), "name": "Study server", "icon": null, "icon_hash": null,
        "splash": null, "discovery_splash": null, "owner_id": "1", "afk_channel_id": null,
        "afk_timeout": 300, "widget_enabled": false, "widget_channel_id": null,
        "verification_level": 0, "default_message_notifications": 0, "explicit_content_filter": 0,
        "roles": [], "emojis": [], "features": [], "mfa_level": 0, "application_id": null,
        "system_channel_id": null, "system_channel_flags": 0, "rules_channel_id": null,
    });
    let rest = json!({
        "max_presences": null, "max_members": 500_000, "vanity_url_code": null,
        "description": null, "banner": null, "premium_tier": 0, "premium_subscription_count": 0,
        "preferred_locale": "en-US", "public_updates_channel_id": null,
        "max_video_channel_users": 25, "max_stage_video_channel_users": 50, "nsfw_level": 0,
        "stickers": [], "premium_progress_bar_enabled": false, "joined_at": TIMESTAMP,
        "large": false, "unavailable": false, "member_count": 3, "voice_states": [],
    });
    let lists = json!({
        "members": [], "channels": [], "threads": [], "presences": [], "stage_instances": [],
        "guild_scheduled_events": [], "safety_alerts_channel_id": null, "incidents_data": null,
    });
    for part in [rest, lists] {
        if let (Some(g), Value::Object(p)) = (g.as_object_mut(), part) {
            g.extend(p);
        }
    }
    g
}

/// Discord's own checks on a message body; the error text names the broken limit.
fn check_limits(data: &Value) -> Result<(), String> {
    let len = |v: &Value| v.as_str().map_or(0, |s| s.chars().count());
    if len(&data["content"]) > 2000 {
        return Err("content: Must be 2000 or fewer in length.".into());
    }
    let embeds = data["embeds"].as_array().cloned().unwrap_or_default();
    if embeds.len() > 10 {
        return Err("embeds: Must be 10 or fewer in length.".into());
    }
    let mut total = 0;
    for e in &embeds {
        let (t, d, f) = (
            len(&e["title"]),
            len(&e["description"]),
            len(&e["footer"]["text"]),
        );
        if t > 256 || d > 4096 || f > 2048 {
            return Err(format!(
                "embed limits: title {t}, description {d}, footer {f}"
            ));
        }
        total += t + d + f;
        let fields = e["fields"].as_array().cloned().unwrap_or_default();
        if fields.len() > 25 {
            return Err("embeds.fields: Must be 25 or fewer in length.".into());
        }
        for field in &fields {
            let (n, v) = (len(&field["name"]), len(&field["value"]));
            if !(1..=256).contains(&n) || !(1..=1024).contains(&v) {
                return Err(format!("embed field limits: name {n}, value {v}"));
            }
            total += n + v;
        }
    }
    if total > 6000 {
        return Err(format!("embeds: {total} characters in all, over 6000"));
    }
    let rows = data["components"].as_array().cloned().unwrap_or_default();
    if rows.len() > 5 {
        return Err("components: Must be 5 or fewer in length.".into());
    }
    for row in &rows {
        let buttons = row["components"].as_array().cloned().unwrap_or_default();
        if buttons.is_empty() || buttons.len() > 5 {
            return Err("an action row needs 1 to 5 components".into());
        }
        for b in &buttons {
            if len(&b["label"]) > 80 || !(1..=100).contains(&len(&b["custom_id"])) {
                return Err(format!("button limits: {b}"));
            }
        }
    }
    if data["content"].as_str().is_none_or(str::is_empty) && embeds.is_empty() && rows.is_empty() {
        return Err("Cannot send an empty message".into());
    }
    Ok(())
}

// ---- the server ----

fn ok(v: Value) -> Response {
    (StatusCode::OK, axum::Json(v)).into_response()
}

fn no_content() -> Response {
    StatusCode::NO_CONTENT.into_response()
}

fn error(status: u16, code: u64, message: &str) -> Response {
    let status = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (
        status,
        axum::Json(json!({"code": code, "message": message})),
    )
        .into_response()
}

/// `GET /attachments/{id}/{name}`: an attached file's bytes, as Discord's CDN serves them.
async fn attachment(
    State(s): State<Arc<Shared>>,
    axum::extract::Path((id, _name)): axum::extract::Path<(u64, String)>,
) -> Response {
    let mut st = s.inner.lock().unwrap();
    match st.attached.get(&id).cloned() {
        Some(bytes) => {
            st.downloads += 1;
            (StatusCode::OK, bytes).into_response()
        }
        None => StatusCode::NOT_FOUND.into_response(),
    }
}

async fn rest(
    State(s): State<Arc<Shared>>,
    method: Method,
    uri: Uri,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let path = uri.path().replace("%40", "@");
    let content_type = headers
        .get("content-type")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    // Messages with files come as multipart: the JSON in `payload_json`, files in `files[n]`.
    let (body, files) = if content_type.starts_with("multipart/form-data") {
        let (fields, files) = read_multipart(content_type, body).await;
        (fields["payload_json"].clone(), files)
    } else {
        (
            serde_json::from_slice(&body).unwrap_or(Value::Null),
            Vec::new(),
        )
    };
    // What the stored message shows of the files, as Discord's attachment objects.
    let mut stored_body = body.clone();
    if !files.is_empty() {
        let attachments: Vec<Value> = files
            .iter()
            .enumerate()
            .map(|(n, f)| {
                let name = f.file_name.clone().unwrap_or_default();
                let url = format!("https://cdn.fake/attachments/{n}/{name}");
                json!({"id": (990_000_000_000_000_000 + n as u64).to_string(), "filename": name,
                       "size": f.bytes.len(), "url": url, "proxy_url": url})
            })
            .collect();
        let data = if path.ends_with("/callback") {
            &mut stored_body["data"]
        } else {
            &mut stored_body
        };
        data[UPLOADS] = json!(attachments);
    }
    let auth = headers
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .map(str::to_string);
    let at = Instant::now();
    let response = {
        let mut st = s.inner.lock().unwrap();
        let failure = st
            .failures
            .iter()
            .position(|f| f.method == method.as_str() && path.contains(f.path_part.as_str()))
            .map(|i| st.failures.remove(i));
        let response = match failure {
            Some(f) => {
                let code =
                    StatusCode::from_u16(f.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                let mut r = (code, axum::Json(f.body)).into_response();
                for (name, value) in f.headers {
                    if let Ok(v) = axum::http::HeaderValue::from_str(&value) {
                        r.headers_mut()
                            .insert(axum::http::HeaderName::from_static(name), v);
                    }
                }
                r
            }
            None => answer(&s, &mut st, &method, &path, &stored_body, auth.as_deref()),
        };
        st.calls.push(Call {
            method: method.to_string(),
            path,
            body,
            auth,
            status: response.status().as_u16(),
            at,
            files,
        });
        response
    };
    s.changed.notify_waiters();
    response
}

fn answer(
    s: &Shared,
    st: &mut Inner,
    method: &Method,
    path: &str,
    body: &Value,
    auth: Option<&str>,
) -> Response {
    let Some(rest) = path.strip_prefix("/api/v10/") else {
        return error(404, 0, "404: Not Found");
    };
    let segs: Vec<&str> = rest.split('/').collect();
    let open_route = matches!(segs.first(), Some(&"interactions" | &"webhooks"));
    if !open_route && auth != Some(format!("Bot {}", s.token).as_str()) {
        return error(401, 0, "401: Unauthorized");
    }
    if let ["channels", channel, ..] = segs.as_slice()
        && channel
            .parse()
            .is_ok_and(|c: u64| st.forbidden.contains(&c))
    {
        return error(403, 50001, "Missing Access");
    }
    let app = APP_ID.to_string();
    match (method.as_str(), segs.as_slice()) {
        ("GET", ["gateway"]) => ok(json!({"url": s.ws_url})),
        ("GET", ["gateway", "bot"]) => ok(json!({
            "url": s.ws_url, "shards": 1,
            "session_start_limit": {"total": 1000, "remaining": 999, "reset_after": 0, "max_concurrency": 1}
        })),
        ("GET", ["users", "@me"]) => ok(bot_user()),
        ("PUT", ["applications", a, "commands"])
        | ("PUT", ["applications", a, "guilds", _, "commands"])
            if *a == app =>
        {
            let guild = segs.get(3).copied();
            let commands: Vec<Value> = body
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .map(|mut c| {
                    let name = c["name"].as_str().unwrap_or("").to_string();
                    c["id"] = json!(command_id(&name).to_string());
                    c["application_id"] = json!(app);
                    c["version"] = json!("1");
                    c["type"] = json!(c["type"].as_u64().unwrap_or(1));
                    if let Some(g) = guild {
                        c["guild_id"] = json!(g);
                    }
                    c
                })
                .collect();
            ok(json!(commands))
        }
        ("POST", ["interactions", id, token, "callback"]) => callback(st, id, token, body),
        ("POST", ["webhooks", a, token]) if *a == app => {
            if let Err(e) = check_limits(body) {
                return error(400, 50035, &format!("Invalid Form Body: {e}"));
            }
            let Some(channel) = st.interactions.get(*token).map(|i| i.channel) else {
                return error(404, 10015, "Unknown Webhook");
            };
            let id = st.next_id;
            st.next_id += 1;
            let message = message_json(id, channel, body, true);
            st.messages.insert(id, message.clone());
            if let Some(i) = st.interactions.get_mut(*token) {
                i.followups.push(id);
            }
            ok(message)
        }
        (m, ["webhooks", a, token, "messages", "@original"]) if *a == app => {
            let Some(original) = st.interactions.get(*token).and_then(|i| i.original) else {
                return error(404, 10008, "Unknown Message");
            };
            match m {
                "GET" => ok(st.messages[&original].clone()),
                "DELETE" => {
                    st.messages.remove(&original);
                    no_content()
                }
                "PATCH" => {
                    if let Err(e) = check_limits(body) {
                        return error(400, 50035, &format!("Invalid Form Body: {e}"));
                    }
                    let message = st.messages.get_mut(&original).expect("stored");
                    merge(message, body);
                    let message = message.clone();
                    if let Some(i) = st.interactions.get_mut(*token) {
                        i.answered = true;
                    }
                    ok(message)
                }
                _ => error(405, 0, "405: Method Not Allowed"),
            }
        }
        ("POST", ["channels", channel, "messages"]) => {
            if let Err(e) = check_limits(body) {
                return error(400, 50035, &format!("Invalid Form Body: {e}"));
            }
            let id = st.next_id;
            st.next_id += 1;
            let message = message_json(id, channel.parse().unwrap_or(0), body, false);
            st.messages.insert(id, message.clone());
            ok(message)
        }
        ("PATCH", ["channels", _, "messages", id]) => {
            let Some(message) = id.parse().ok().and_then(|id: u64| st.messages.get_mut(&id)) else {
                return error(404, 10008, "Unknown Message");
            };
            merge(message, body);
            let message = message.clone();
            if let Err(e) = check_limits(&message) {
                return error(400, 50035, &format!("Invalid Form Body: {e}"));
            }
            ok(message)
        }
        _ => error(404, 0, "404: Not Found"),
    }
}

fn callback(st: &mut Inner, id: &str, token: &str, body: &Value) -> Response {
    let Some(i) = st.interactions.get(token) else {
        return error(404, 10062, "Unknown interaction");
    };
    if i.id.to_string() != id {
        return error(404, 10062, "Unknown interaction");
    }
    if i.callback.is_some() {
        return error(400, 40060, "Interaction has already been acknowledged.");
    }
    let channel = i.channel;
    let kind = body["type"].as_u64().unwrap_or(0);
    let data = &body["data"];
    if (kind == 4 || kind == 7)
        && let Err(e) = check_limits(data)
    {
        return error(400, 50035, &format!("Invalid Form Body: {e}"));
    }
    let mut original = None;
    let mut answered = false;
    match kind {
        4 => {
            let mid = st.next_id;
            st.next_id += 1;
            st.messages
                .insert(mid, message_json(mid, channel, data, true));
            original = Some(mid);
            answered = true;
        }
        5 => {
            // Discord shows "thinking…" (flag 128) until the response is edited.
            let mid = st.next_id;
            st.next_id += 1;
            let mut placeholder = message_json(mid, channel, &json!({}), true);
            placeholder["flags"] = json!(data["flags"].as_u64().unwrap_or(0) | 128);
            st.messages.insert(mid, placeholder);
            original = Some(mid);
        }
        6..=8 => answered = kind != 6,
        _ => return error(400, 50035, "Invalid Form Body: unknown response type"),
    }
    let i = st.interactions.get_mut(token).expect("checked above");
    i.callback = Some(kind);
    i.original = original;
    i.answered = answered;
    if kind == 8 {
        i.choices = Some(data["choices"].clone());
    }
    no_content()
}

async fn gateway(ws: WebSocketUpgrade, State(s): State<Arc<Shared>>) -> Response {
    if s.inner.lock().unwrap().gateway_down {
        return StatusCode::SERVICE_UNAVAILABLE.into_response();
    }
    ws.on_upgrade(move |socket| session(socket, s))
}

async fn send(socket: &mut WebSocket, v: Value) -> bool {
    socket
        .send(WsMessage::Text(
            super::telegram::json_with_surrogates(&v).into(),
        ))
        .await
        .is_ok()
}

/// One gateway connection: HELLO, then IDENTIFY → READY + GUILD_CREATE (or RESUME → RESUMED),
/// heartbeat ACKs, and the dispatches the test injects.
async fn session(mut socket: WebSocket, s: Arc<Shared>) {
    if !send(
        &mut socket,
        json!({"op": 10, "d": {"heartbeat_interval": HEARTBEAT_MS}}),
    )
    .await
    {
        return;
    }
    let (tx, mut rx) = mpsc::unbounded_channel::<(String, Value)>();
    let mut shard: u64 = 0;
    loop {
        tokio::select! {
            frame = socket.recv() => {
                let text = match frame {
                    Some(Ok(WsMessage::Text(t))) => t.to_string(),
                    Some(Ok(WsMessage::Close(_))) | None | Some(Err(_)) => break,
                    Some(Ok(_)) => continue,
                };
                let Ok(v) = serde_json::from_str::<Value>(&text) else { continue };
                match v["op"].as_u64() {
                    Some(1) => {
                        s.inner.lock().unwrap().heartbeats += 1;
                        s.changed.notify_waiters();
                        if !send(&mut socket, json!({"op": 11})).await { break }
                    }
                    Some(2) => {
                        let token = v["d"]["token"].as_str().unwrap_or("");
                        if token.trim_start_matches("Bot ") != s.token {
                            let _ = socket.send(WsMessage::Close(Some(axum::extract::ws::CloseFrame {
                                code: 4004, reason: "Authentication failed.".into(),
                            }))).await;
                            break;
                        }
                        shard = v["d"]["shard"][0].as_u64().unwrap_or(0);
                        let count = v["d"]["shard"][1].as_u64().unwrap_or(1).max(1);
                        let guilds: Vec<u64> = {
                            let mut st = s.inner.lock().unwrap();
                            st.sessions.insert(shard, SessionLog::default());
                            st.shard_count = count;
                            st.identifies.push([shard, count]);
                            st.guilds.iter().copied().filter(|g| (g >> 22) % count == shard).collect()
                        };
                        let unavailable: Vec<Value> = guilds.iter()
                            .map(|g| json!({"id": g.to_string(), "unavailable": true})).collect();
                        let ready = json!({
                            "v": 10, "user": bot_user(), "guilds": unavailable,
                            "session_id": format!("fake-session-{shard}"), "resume_gateway_url": s.ws_url,
                            "shard": [shard, count], "application": {"id": APP_ID.to_string(), "flags": 0},
                        });
                        let seq = s.inner.lock().unwrap().dispatch(shard, "READY", &ready);
                        if !send(&mut socket, json!({"op": 0, "t": "READY", "s": seq, "d": ready})).await { break }
                        let mut sent = true;
                        for g in guilds {
                            let d = guild_create(g);
                            let seq = s.inner.lock().unwrap().dispatch(shard, "GUILD_CREATE", &d);
                            sent = send(&mut socket, json!({"op": 0, "t": "GUILD_CREATE", "s": seq, "d": d})).await;
                            if !sent { break }
                        }
                        if !sent { break }
                        attach(&s, &tx, shard);
                    }
                    Some(6) => {
                        shard = v["d"]["session_id"].as_str()
                            .and_then(|id| id.strip_prefix("fake-session-"))
                            .and_then(|n| n.parse().ok()).unwrap_or(0);
                        let seen = v["d"]["seq"].as_u64().unwrap_or(0);
                        let missed: Vec<(u64, String, Value)> = s.inner.lock().unwrap()
                            .sessions.get(&shard)
                            .map(|log| log.sent.iter().filter(|(n, _, _)| *n > seen).cloned().collect())
                            .unwrap_or_default();
                        let mut sent = true;
                        for (n, t, d) in missed {
                            sent = send(&mut socket, json!({"op": 0, "t": t, "s": n, "d": d})).await;
                            if !sent { break }
                        }
                        if !sent { break }
                        let seq = s.inner.lock().unwrap().dispatch(shard, "RESUMED", &json!({}));
                        if !send(&mut socket, json!({"op": 0, "t": "RESUMED", "s": seq, "d": {}})).await { break }
                        attach(&s, &tx, shard);
                    }
                    _ => {}
                }
            }
            event = rx.recv() => {
                let Some((t, d)) = event else { break };
                if t == CLOSE_GATEWAY {
                    let _ = socket.send(WsMessage::Close(Some(axum::extract::ws::CloseFrame {
                        code: 4000, reason: "Unknown error.".into(),
                    }))).await;
                    break;
                }
                let seq = s.inner.lock().unwrap().dispatch(shard, &t, &d);
                if !send(&mut socket, json!({"op": 0, "t": t, "s": seq, "d": d})).await { break }
            }
        }
    }
    let mut st = s.inner.lock().unwrap();
    if st.gateways.get(&shard).is_some_and(|g| g.same_channel(&tx)) {
        st.gateways.remove(&shard);
    }
    // Events queued for this session but never sent go to the shard's next session.
    while let Ok(event) = rx.try_recv() {
        match st.gateways.get(&shard) {
            Some(g) => {
                let _ = g.send(event);
            }
            None => st.pending.push(event),
        }
    }
}

/// Makes this session the one dispatches go to, and hands it what was queued meanwhile.
/// An internal event that makes a gateway session close its socket.
const CLOSE_GATEWAY: &str = "__CLOSE__";

fn attach(s: &Shared, tx: &mpsc::UnboundedSender<(String, Value)>, shard: u64) {
    let mut st = s.inner.lock().unwrap();
    st.identified += 1;
    let count = st.shard_count;
    let (mine, others): (Vec<_>, Vec<_>) = std::mem::take(&mut st.pending)
        .into_iter()
        .partition(|(_, d)| shard_of(d, count) == shard);
    st.pending = others;
    for event in mine {
        let _ = tx.send(event);
    }
    st.gateways.insert(shard, tx.clone());
    drop(st);
    s.changed.notify_waiters();
}

/// A message's visible text: content, then each embed's title, description, fields and footer, with
/// markdown escapes and mention breakers removed.
pub fn plain(message: &Value) -> String {
    let mut parts = vec![message["content"].as_str().unwrap_or("").to_string()];
    for e in message["embeds"].as_array().into_iter().flatten() {
        let fields = e["fields"].as_array().into_iter().flatten();
        let field_texts = fields.flat_map(|f| [&f["name"], &f["value"]]);
        for text in [&e["title"], &e["description"]]
            .into_iter()
            .chain(field_texts)
            .chain([&e["footer"]["text"]])
        {
            if let Some(s) = text.as_str() {
                parts.push(s.to_string());
            }
        }
    }
    parts.join("\n").replace(['\\', '\u{200B}'], "")
}
