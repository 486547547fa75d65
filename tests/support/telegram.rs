//! A fake Telegram Bot API server on 127.0.0.1 that speaks the real wire format:
//! `POST /bot<token>/<method>` (method names case-insensitive), `{"ok":…,"result":…}` answers,
//! long-polled `getUpdates` confirmed by `offset`, and injectable failures (429 with
//! `retry_after`, 403, 5xx). It records every call the bot makes.
#![allow(dead_code)]

use axum::Router;
use axum::body::Bytes;
use axum::extract::{FromRequest, Multipart, Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use serde_json::{Value, json};
use std::collections::{HashMap, HashSet, VecDeque};
use std::sync::{Arc, Mutex};
use std::time::Duration;
use tokio::sync::Notify;

use super::telegram_html::parse_html;

pub const BOT_ID: i64 = 7_000_001;
pub const BOT_USERNAME: &str = "studybot_test";

#[path = "telegram_entities.rs"]
pub mod html;

/// Stands for a lone UTF-16 surrogate (`\ud800`) in a fake's JSON: serde_json cannot hold one in
/// a string, so the fakes put it into the serialized text in place of this marker.
pub const LONE_SURROGATE: &str = "\u{e000}lone-surrogate\u{e000}";

/// The serialized `v`, with every [`LONE_SURROGATE`] marker as a lone surrogate escape.
pub fn json_with_surrogates(v: &serde_json::Value) -> String {
    v.to_string().replace(LONE_SURROGATE, "\\ud800")
}

/// One call the bot made.
#[derive(Debug, Clone)]
pub struct Call {
    pub method: String,
    /// The JSON body, or a multipart upload's text fields (each read as JSON where it parses,
    /// so `chat_id` is a number as in a JSON call).
    pub body: Value,
    /// Whether the fake answered `ok: true`.
    pub ok: bool,
    /// Files of a multipart upload (`sendPhoto`, `sendDocument`).
    pub files: Vec<Upload>,
    /// When the fake received it (benches time replies with it).
    pub at: std::time::Instant,
}

/// One file part of a multipart request.
#[derive(Debug, Clone)]
pub struct Upload {
    /// The form field (`photo`, `document`).
    pub field: String,
    pub file_name: Option<String>,
    pub bytes: Vec<u8>,
}

/// Reads a `multipart/form-data` body: text fields into a JSON object, file parts as uploads.
pub async fn read_multipart(content_type: &str, body: Bytes) -> (Value, Vec<Upload>) {
    let request = axum::http::Request::builder()
        .header(header::CONTENT_TYPE, content_type)
        .body(axum::body::Body::from(body))
        .unwrap();
    let mut form = Multipart::from_request(request, &()).await.unwrap();
    let mut fields = serde_json::Map::new();
    let mut files = Vec::new();
    while let Some(part) = form.next_field().await.unwrap() {
        let field = part.name().unwrap_or("").to_string();
        let file_name = part.file_name().map(str::to_string);
        let bytes = part.bytes().await.unwrap().to_vec();
        if file_name.is_some() {
            files.push(Upload {
                field,
                file_name,
                bytes,
            });
        } else {
            let text = String::from_utf8_lossy(&bytes).into_owned();
            let value = serde_json::from_str(&text).unwrap_or(Value::String(text));
            fields.insert(field, value);
        }
    }
    (Value::Object(fields), files)
}

#[derive(Default)]
struct Inner {
    updates: Vec<Value>,
    /// Updates to hand out again regardless of the offset.
    forced: Vec<Value>,
    next_update_id: i64,
    confirmed: i64,
    calls: Vec<Call>,
    next_message_id: i64,
    next_poll_id: i64,
    admins: HashSet<(i64, i64)>,
    /// Chats that blocked the bot: sends there answer 403.
    blocked: HashSet<i64>,
    /// Added to every send, so a test can stop the bot in the middle of a fan-out.
    send_delay: Duration,
    /// Like Telegram's flood control: more sends than this in any trailing second get a 429.
    rate_limit: Option<usize>,
    recent_sends: VecDeque<std::time::Instant>,
    /// 429 answers given by the rate limit.
    limited: usize,
    failures: HashMap<String, VecDeque<(u16, Value)>>,
    /// While set, every call answers 502 Bad Gateway (Telegram unreachable behind a proxy).
    unavailable: bool,
    /// Why sends with invalid HTML were refused.
    bad_entities: Vec<String>,
    /// When each update was first handed out by `getUpdates`.
    handed_out: HashMap<i64, std::time::Instant>,
    /// Calls per method, so a bench can wait for thousands of them without copying `calls`.
    counts: HashMap<String, usize>,
    /// Files members sent, by file id: `getFile` describes them, `/file/bot<token>/<path>` serves
    /// them.
    hosted: HashMap<String, Vec<u8>>,
    /// File downloads served.
    downloads: usize,
    /// The webhook set with setWebhook (its body), until deleteWebhook.
    webhook: Option<Value>,
    /// `getUpdates` calls being answered now (long polls waiting for updates).
    polling: usize,
    /// `getUpdates` calls refused with 409 because another one was in flight.
    conflicts: usize,
}

struct Shared {
    token: String,
    inner: Mutex<Inner>,
    changed: Notify,
}

pub struct FakeTelegram {
    pub url: String,
    shared: Arc<Shared>,
}

impl FakeTelegram {
    pub async fn start(token: &str) -> FakeTelegram {
        let shared = Arc::new(Shared {
            token: token.to_string(),
            inner: Mutex::new(Inner {
                next_update_id: 1,
                next_message_id: 1,
                next_poll_id: 1,
                ..Inner::default()
            }),
            changed: Notify::new(),
        });
        let app = Router::new()
            .route("/{bot}/{method}", axum::routing::post(handle))
            .route("/file/{bot}/{*path}", axum::routing::get(download))
            .with_state(shared.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        FakeTelegram { url, shared }
    }

    fn with<T>(&self, f: impl FnOnce(&mut Inner) -> T) -> T {
        let out = f(&mut self.shared.inner.lock().unwrap());
        self.shared.changed.notify_waiters();
        out
    }

    /// Makes `bytes` a file members can send (as `file_id`), served by `getFile` and the file URL.
    pub fn host_file(&self, file_id: &str, bytes: Vec<u8>) {
        self.with(|s| s.hosted.insert(file_id.to_string(), bytes));
    }

    /// How many files the bot downloaded.
    pub fn downloads(&self) -> usize {
        self.with(|s| s.downloads)
    }

    /// Queues an update (its `update_id` is assigned here) and returns that id.
    pub fn push(&self, mut update: Value) -> i64 {
        self.with(|s| {
            let id = s.next_update_id;
            s.next_update_id += 1;
            update["update_id"] = json!(id);
            s.updates.push(update);
            id
        })
    }

    /// Delivers an update again with the next `getUpdates`, whatever the offset, as Telegram
    /// does when a crash kept the bot from confirming a batch.
    pub fn redeliver(&self, update_id: i64) {
        self.with(|s| {
            if let Some(u) = s
                .updates
                .iter()
                .find(|u| u["update_id"] == json!(update_id))
                .cloned()
            {
                s.forced.push(u);
            }
        })
    }

    pub fn make_admin(&self, chat: i64, user: i64) {
        self.with(|s| {
            s.admins.insert((chat, user));
        })
    }

    pub fn block_chat(&self, chat: i64) {
        self.with(|s| {
            s.blocked.insert(chat);
        })
    }

    /// Answers 429 (`retry_after` 1) to any send beyond `per_second` in a trailing second.
    pub fn enforce_rate(&self, per_second: usize) {
        self.with(|s| s.rate_limit = Some(per_second))
    }

    /// Every call answers 502 until [`FakeTelegram::answer_again`].
    pub fn stop_answering(&self) {
        self.with(|s| s.unavailable = true)
    }

    pub fn answer_again(&self) {
        self.with(|s| s.unavailable = false)
    }

    /// How many sends the rate limit refused.
    /// The complaints about messages whose HTML the Bot API would refuse.
    pub fn bad_entities(&self) -> Vec<String> {
        self.with(|s| s.bad_entities.clone())
    }

    pub fn rate_limited(&self) -> usize {
        self.with(|s| s.limited)
    }

    /// `getUpdates` calls answered 409 Conflict because another one was in flight: two pollers
    /// on one token.
    pub fn conflicts(&self) -> usize {
        self.with(|s| s.conflicts)
    }

    pub fn set_send_delay(&self, delay: Duration) {
        self.with(|s| s.send_delay = delay)
    }

    /// The next `n` calls of `method` answer 429 with `retry_after` 1, as Telegram's flood
    /// control does.
    pub fn flood_next(&self, method: &str, n: usize) {
        for _ in 0..n {
            self.fail_next(
                method,
                429,
                json!({"ok": false, "error_code": 429, "description": "Too Many Requests: retry after 1",
                       "parameters": {"retry_after": 1}}),
            );
        }
    }

    /// The next call of `method` answers with this HTTP status and error body.
    pub fn fail_next(&self, method: &str, status: u16, body: Value) {
        self.with(|s| {
            s.failures
                .entry(method.to_lowercase())
                .or_default()
                .push_back((status, body))
        })
    }

    pub fn calls(&self, method: &str) -> Vec<Call> {
        self.with(|s| {
            s.calls
                .iter()
                .filter(|c| c.method == method.to_lowercase())
                .cloned()
                .collect()
        })
    }

    /// Waits until `pred` holds for the calls made so far, or panics after `secs`.
    pub async fn wait_for(
        &self,
        what: &str,
        secs: u64,
        pred: impl Fn(&[Call]) -> bool,
    ) -> Vec<Call> {
        let deadline = tokio::time::Instant::now() + Duration::from_secs(secs);
        loop {
            let notified = self.shared.changed.notified();
            // Read without `with`, which notifies: that would wake our own `notified` at once
            // and turn this wait into a busy loop that never reaches the deadline.
            let calls = self.shared.inner.lock().unwrap().calls.clone();
            if pred(&calls) {
                return calls;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                let methods: Vec<String> = calls
                    .iter()
                    .map(|c| format!("{} {}", c.method, c.body))
                    .collect();
                panic!(
                    "timed out waiting for {what}; calls so far:\n{}",
                    methods.join("\n")
                );
            }
        }
    }

    /// Files uploaded to `chat` with `method` (`sendPhoto`, `sendDocument`), with the call's
    /// fields (caption), in order.
    pub fn uploads(&self, chat: i64, method: &str) -> Vec<(Value, Upload)> {
        self.calls(method)
            .into_iter()
            .filter(|c| c.ok && c.body["chat_id"] == json!(chat))
            .flat_map(|c| c.files.into_iter().map(move |f| (c.body.clone(), f)))
            .collect()
    }

    /// Texts sent to `chat` with sendMessage, in order.
    pub fn texts(&self, chat: i64) -> Vec<String> {
        self.calls("sendMessage")
            .into_iter()
            .filter(|c| c.body["chat_id"] == json!(chat))
            .filter_map(|c| c.body["text"].as_str().map(str::to_string))
            .collect()
    }

    /// Waits for the `n`-th sendMessage to `chat` and returns all texts sent there.
    pub async fn wait_texts(&self, chat: i64, n: usize) -> Vec<String> {
        self.wait_for(&format!("{n} messages to chat {chat}"), 20, |calls| {
            calls
                .iter()
                .filter(|c| c.method == "sendmessage" && c.body["chat_id"] == json!(chat))
                .count()
                >= n
        })
        .await;
        self.texts(chat)
    }

    /// How many calls of `method` were made so far (cheap: no copy of the calls).
    pub fn count(&self, method: &str) -> usize {
        let st = self.shared.inner.lock().unwrap();
        st.counts.get(&method.to_lowercase()).copied().unwrap_or(0)
    }

    /// When `getUpdates` first handed out the update `update_id`.
    pub fn handed_out_at(&self, update_id: i64) -> Option<std::time::Instant> {
        self.shared
            .inner
            .lock()
            .unwrap()
            .handed_out
            .get(&update_id)
            .copied()
    }

    /// The body of the setWebhook call in force (`None` before one or after deleteWebhook).
    pub fn webhook(&self) -> Option<Value> {
        self.with(|s| s.webhook.clone())
    }

    /// The update id Telegram would now consider confirmed (the highest `offset - 1` seen).
    pub fn confirmed(&self) -> i64 {
        self.with(|s| s.confirmed)
    }
}

// ---- update builders (the JSON Telegram sends) ----

pub fn user(id: i64, name: &str) -> Value {
    json!({"id": id, "is_bot": false, "first_name": name, "language_code": "en"})
}

/// A message update (see [`text_message`]) as sent from an app set to `code` (the sender's
/// `language_code`, e.g. `hi`).
pub fn in_language(mut update: Value, code: &str) -> Value {
    update["message"]["from"]["language_code"] = json!(code);
    update
}

pub fn chat(id: i64) -> Value {
    if id > 0 {
        json!({"id": id, "type": "private", "first_name": "Learner"})
    } else if id < -1_000_000_000_000 {
        json!({"id": id, "type": "supergroup", "title": "Study group"})
    } else {
        json!({"id": id, "type": "group", "title": "Study group"})
    }
}

pub fn text_message(chat_id: i64, from: i64, name: &str, text: &str) -> Value {
    let mut message = json!({
        "message_id": 100 + from, "date": 1_772_400_000, "chat": chat(chat_id), "from": user(from, name), "text": text
    });
    if text.starts_with('/') {
        let len = text
            .split_whitespace()
            .next()
            .unwrap_or("")
            .encode_utf16()
            .count();
        message["entities"] = json!([{"type": "bot_command", "offset": 0, "length": len}]);
    }
    json!({"message": message})
}

/// A member sends a document (`file_id`, `size` bytes as Telegram reports it) with a caption.
pub fn document_message(
    chat_id: i64,
    from: i64,
    name: &str,
    caption: &str,
    file_id: &str,
    file_name: &str,
    size: u64,
) -> Value {
    let mut update = text_message(chat_id, from, name, caption);
    let message = update["message"].as_object_mut().unwrap();
    message.remove("text");
    if let Some(entities) = message.remove("entities") {
        message.insert("caption_entities".into(), entities);
    }
    message.insert("caption".into(), json!(caption));
    message.insert(
        "document".into(),
        json!({"file_id": file_id, "file_unique_id": format!("u-{file_id}"), "file_name": file_name,
               "mime_type": "text/csv", "file_size": size}),
    );
    update
}

/// A member answers an earlier document message with `text`.
pub fn reply_to_document(
    chat_id: i64,
    from: i64,
    name: &str,
    text: &str,
    document: &Value,
) -> Value {
    let mut update = text_message(chat_id, from, name, text);
    update["message"]["message_id"] = json!(500 + from);
    update["message"]["reply_to_message"] = document["message"].clone();
    update
}

pub fn poll_answer(poll_id: &str, from: i64, name: &str, option: u8) -> Value {
    json!({"poll_answer": {"poll_id": poll_id, "user": user(from, name), "option_ids": [option]}})
}

pub fn callback(chat_id: i64, from: i64, name: &str, data: &str) -> Value {
    json!({"callback_query": {
        "id": format!("cb{from}{}", data.len()), "from": user(from, name), "chat_instance": "ci", "data": data,
        "message": {"message_id": 1, "date": 1_772_400_000, "chat": chat(chat_id),
                    "from": {"id": BOT_ID, "is_bot": true, "first_name": "StudyBot", "username": BOT_USERNAME},
                    "text": "topic"}
    }})
}

pub fn migrate(old_chat: i64, new_chat: i64) -> Value {
    json!({"message": {"message_id": 5, "date": 1_772_400_000, "chat": chat(old_chat),
                       "from": user(1, "Admin"), "migrate_to_chat_id": new_chat}})
}

/// The bot's own membership in `chat` changed to `status` (`left`, `kicked`, `member`, …).
pub fn my_membership(chat_id: i64, status: &str) -> Value {
    let bot =
        json!({"id": BOT_ID, "is_bot": true, "first_name": "StudyBot", "username": BOT_USERNAME});
    json!({"my_chat_member": {
        "chat": chat(chat_id), "from": user(1, "Admin"), "date": 1_772_400_000,
        "old_chat_member": {"status": "member", "user": bot.clone()},
        "new_chat_member": {"status": status, "user": bot, "until_date": 0}
    }})
}

// ---- the server ----

fn ok(result: Value) -> Response {
    (
        StatusCode::OK,
        axum::Json(json!({"ok": true, "result": result})),
    )
        .into_response()
}

fn err(status: u16, body: Value) -> Response {
    let code = StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    (code, axum::Json(body)).into_response()
}

async fn handle(
    State(s): State<Arc<Shared>>,
    Path((bot, method)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    if bot != format!("bot{}", s.token) {
        return err(
            401,
            json!({"ok": false, "error_code": 401, "description": "Unauthorized"}),
        );
    }
    let method = method.to_lowercase();
    let content_type = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    let (body, files) = if content_type.starts_with("multipart/form-data") {
        read_multipart(content_type, body).await
    } else {
        (
            serde_json::from_slice(&body).unwrap_or(json!({})),
            Vec::new(),
        )
    };
    if s.inner.lock().unwrap().unavailable {
        s.inner.lock().unwrap().calls.push(Call {
            method: method.clone(),
            body: body.clone(),
            ok: false,
            files,
            at: std::time::Instant::now(),
        });
        s.changed.notify_waiters();
        let down = json!({"ok": false, "error_code": 502, "description": "Bad Gateway"});
        return err(502, down);
    }
    if method == "getupdates" {
        if s.inner.lock().unwrap().webhook.is_some() {
            // As Telegram: polling and a webhook exclude each other.
            let conflict = json!({"ok": false, "error_code": 409,
                "description": "Conflict: can't use getUpdates method while webhook is active; use deleteWebhook to delete the webhook first"});
            return err(409, conflict);
        }
        return get_updates(&s, &body).await;
    }
    let delay = s.inner.lock().unwrap().send_delay;
    if method.starts_with("send") && !delay.is_zero() {
        tokio::time::sleep(delay).await;
    }
    let response = {
        let mut st = s.inner.lock().unwrap();
        let chat = body["chat_id"].as_i64().unwrap_or(0);
        let failure = st.failures.get_mut(&method).and_then(VecDeque::pop_front);
        let now = std::time::Instant::now();
        while st
            .recent_sends
            .front()
            .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(1))
        {
            st.recent_sends.pop_front();
        }
        let over_limit =
            method.starts_with("send") && st.rate_limit.is_some_and(|l| st.recent_sends.len() >= l);
        let (ok, response) = if let Some((status, e)) = failure {
            (false, err(status, e))
        } else if over_limit {
            st.limited += 1;
            let flood = json!({"ok": false, "error_code": 429, "description": "Too Many Requests: retry after 1",
                               "parameters": {"retry_after": 1}});
            (false, err(429, flood))
        } else if let Some(why) = check_parse_mode(&method, &body)
            .err()
            .map(|e| format!("can't parse entities: {e}"))
            .or_else(|| bad_entities(&method, &body))
        {
            st.bad_entities.push(why.clone());
            let bad = json!({"ok": false, "error_code": 400, "description": format!("Bad Request: {why}")});
            (false, err(400, bad))
        } else if method.starts_with("send") && st.blocked.contains(&chat) {
            let forbidden = json!({"ok": false, "error_code": 403, "description": "Forbidden: bot was blocked by the user"});
            (false, err(403, forbidden))
        } else {
            if method.starts_with("send") {
                st.recent_sends.push_back(now);
            }
            (true, answer(&mut st, &method, &body))
        };
        *st.counts.entry(method.clone()).or_default() += 1;
        st.calls.push(Call {
            method: method.clone(),
            body: body.clone(),
            ok,
            files,
            at: now,
        });
        response
    };
    s.changed.notify_waiters();
    response
}

/// A text sent with `parse_mode=HTML` must parse as Telegram parses it (see `telegram_html`).
fn check_parse_mode(method: &str, body: &Value) -> Result<(), String> {
    let html = body["parse_mode"].as_str() == Some("HTML");
    let text = match method {
        "sendmessage" | "editmessagetext" => body["text"].as_str(),
        _ => body["caption"].as_str(),
    };
    match (html, text) {
        (true, Some(text)) => parse_html(text).map(drop),
        _ => Ok(()),
    }
}

/// What the Bot API refuses in an HTML message or caption (see `telegram_html`).
fn bad_entities(method: &str, body: &Value) -> Option<String> {
    if body["parse_mode"].as_str() != Some("HTML") {
        return None;
    }
    let (text, max) = match method {
        "sendmessage" | "editmessagetext" => (body["text"].as_str().unwrap_or(""), 4096),
        "sendphoto" | "senddocument" => (body["caption"].as_str()?, 1024),
        _ => return None,
    };
    html::check_html(text, max).err()
}

fn bot_user() -> Value {
    json!({"id": BOT_ID, "is_bot": true, "first_name": "StudyBot", "username": BOT_USERNAME})
}

fn answer(st: &mut Inner, method: &str, body: &Value) -> Response {
    match method {
        "getme" => {
            let mut me = bot_user();
            for (k, v) in [
                ("can_join_groups", true),
                ("can_read_all_group_messages", false),
                ("supports_inline_queries", false),
                ("can_connect_to_business", false),
                ("has_main_web_app", false),
            ] {
                me[k] = json!(v);
            }
            ok(me)
        }
        "getwebhookinfo" => {
            let url = st.webhook.as_ref().map_or(json!(""), |w| w["url"].clone());
            ok(json!({"url": url, "has_custom_certificate": false, "pending_update_count": 0}))
        }
        "setwebhook" => {
            st.webhook = Some(body.clone());
            ok(json!(true))
        }
        "deletewebhook" => {
            st.webhook = None;
            ok(json!(true))
        }
        "setmycommands" | "answercallbackquery" => ok(json!(true)),
        "sendmessage" => {
            let id = st.next_message_id;
            st.next_message_id += 1;
            let chat_id = body["chat_id"].as_i64().unwrap_or(0);
            ok(
                json!({"message_id": id, "date": 1_772_400_000, "chat": chat(chat_id), "from": bot_user(),
                      "text": body["text"].clone()}),
            )
        }
        "sendpoll" => {
            let id = st.next_message_id;
            st.next_message_id += 1;
            let poll_id = format!("poll-{}", st.next_poll_id);
            st.next_poll_id += 1;
            let chat_id = body["chat_id"].as_i64().unwrap_or(0);
            let options: Vec<Value> = body["options"]
                .as_array()
                .cloned()
                .unwrap_or_default()
                .into_iter()
                .enumerate()
                .map(|(i, o)| json!({"text": o["text"].clone(), "voter_count": 0, "persistent_id": i.to_string()}))
                .collect();
            let poll = json!({
                "id": poll_id, "question": body["question"].clone(), "options": options, "total_voter_count": 0,
                "is_closed": false, "is_anonymous": body["is_anonymous"].as_bool().unwrap_or(true),
                "type": body["type"].as_str().unwrap_or("regular"), "allows_multiple_answers": false,
                "allows_revoting": false, "correct_option_id": body["correct_option_id"].clone(),
                "explanation": body["explanation"].clone()
            });
            ok(
                json!({"message_id": id, "date": 1_772_400_000, "chat": chat(chat_id), "from": bot_user(), "poll": poll}),
            )
        }
        "sendphoto" | "senddocument" => {
            let id = st.next_message_id;
            st.next_message_id += 1;
            let chat_id = body["chat_id"].as_i64().unwrap_or(0);
            let file = json!({"file_id": format!("file-{id}"), "file_unique_id": format!("u{id}")});
            let mut message = json!({"message_id": id, "date": 1_772_400_000, "chat": chat(chat_id),
                                     "from": bot_user(), "caption": body["caption"].clone()});
            if method == "sendphoto" {
                let mut size = file;
                size["width"] = json!(960);
                size["height"] = json!(960);
                message["photo"] = json!([size]);
            } else {
                message["document"] = file;
            }
            ok(message)
        }
        "getfile" => {
            let id = body["file_id"].as_str().unwrap_or("");
            match st.hosted.get(id) {
                Some(bytes) => ok(json!({"file_id": id, "file_unique_id": format!("u-{id}"),
                                         "file_size": bytes.len(), "file_path": format!("documents/{id}.csv")})),
                None => err(
                    400,
                    json!({"ok": false, "error_code": 400, "description": "Bad Request: invalid file_id"}),
                ),
            }
        }
        "getchatmember" => {
            let chat_id = body["chat_id"].as_i64().unwrap_or(0);
            let user_id = body["user_id"].as_i64().unwrap_or(0);
            let member = if st.admins.contains(&(chat_id, user_id)) {
                json!({"status": "creator", "user": user(user_id, "Admin"), "is_anonymous": false})
            } else {
                json!({"status": "member", "user": user(user_id, "Member")})
            };
            ok(member)
        }
        other => err(
            404,
            json!({"ok": false, "error_code": 404, "description": format!("Not Found: method {other}")}),
        ),
    }
}

/// `GET /file/bot<token>/documents/<file_id>.csv`: a hosted file's bytes.
async fn download(
    State(s): State<Arc<Shared>>,
    Path((bot, path)): Path<(String, String)>,
) -> Response {
    if bot != format!("bot{}", s.token) {
        return err(
            401,
            json!({"ok": false, "error_code": 401, "description": "Unauthorized"}),
        );
    }
    let id = path
        .trim_start_matches("documents/")
        .trim_end_matches(".csv")
        .to_string();
    let mut st = s.inner.lock().unwrap();
    match st.hosted.get(&id).cloned() {
        Some(bytes) => {
            st.downloads += 1;
            (StatusCode::OK, bytes).into_response()
        }
        None => err(
            404,
            json!({"ok": false, "error_code": 404, "description": "Not Found"}),
        ),
    }
}

/// Counts a `getUpdates` in flight until the answer is sent or the client went away (axum
/// drops the handler then).
struct InFlight<'a>(&'a Shared);

impl Drop for InFlight<'_> {
    fn drop(&mut self) {
        self.0.inner.lock().unwrap().polling -= 1;
    }
}

async fn get_updates(s: &Shared, body: &Value) -> Response {
    {
        let mut st = s.inner.lock().unwrap();
        if st.polling > 0 {
            // As Telegram: one poller per token.
            st.conflicts += 1;
            st.calls.push(Call {
                method: "getupdates".into(),
                body: body.clone(),
                ok: false,
                files: Vec::new(),
                at: std::time::Instant::now(),
            });
            drop(st);
            s.changed.notify_waiters();
            let conflict = json!({"ok": false, "error_code": 409,
                "description": "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running"});
            return err(409, conflict);
        }
        st.polling += 1;
    }
    let _in_flight = InFlight(s);
    let offset = body["offset"].as_i64().unwrap_or(0);
    let timeout = body["timeout"].as_u64().unwrap_or(0).min(2);
    let deadline = tokio::time::Instant::now() + Duration::from_secs(timeout);
    loop {
        let notified = s.changed.notified();
        {
            let mut st = s.inner.lock().unwrap();
            st.calls.push(Call {
                method: "getupdates".into(),
                body: body.clone(),
                ok: true,
                files: Vec::new(),
                at: std::time::Instant::now(),
            });
            st.confirmed = st.confirmed.max(offset - 1);
            let confirmed = st.confirmed;
            let mut ready: Vec<Value> = std::mem::take(&mut st.forced);
            let forced_count = ready.len();
            ready.extend(
                st.updates
                    .iter()
                    .filter(|u| u["update_id"].as_i64().unwrap_or(0) > confirmed)
                    .cloned(),
            );
            if let Some(limit) = body["limit"].as_u64() {
                // Like Telegram: at most `limit` updates; forced ones left out come next time.
                let limit = usize::try_from(limit).unwrap_or(usize::MAX).max(1);
                if ready.len() > limit {
                    let rest = ready.split_off(limit);
                    st.forced
                        .extend(rest.into_iter().take(forced_count.saturating_sub(limit)));
                }
            }
            if !ready.is_empty() || timeout == 0 {
                let now = std::time::Instant::now();
                for u in &ready {
                    let id = u["update_id"].as_i64().unwrap_or(0);
                    st.handed_out.entry(id).or_insert(now);
                }
                let body = json_with_surrogates(&json!({"ok": true, "result": ready}));
                return (
                    StatusCode::OK,
                    [(header::CONTENT_TYPE, "application/json")],
                    body,
                )
                    .into_response();
            }
        }
        if tokio::time::timeout_at(deadline, notified).await.is_err() {
            return ok(json!([]));
        }
    }
}
