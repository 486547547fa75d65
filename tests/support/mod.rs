//! Shared test helpers: a fixture curriculum, a fresh database per test, contexts.
#![allow(dead_code)]

pub mod admin;
pub mod discord;
pub mod engines;
pub mod process;
pub mod telegram;
pub mod telegram_html;
pub mod webhook;

use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use studybot::content::{Catalog, load_catalog};
use studybot::core::{App, ChatKind, Ctx, Lang, Platform, SeededIds, Timezone};
use studybot::store::Store;

pub fn fixture_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/content")
}

pub fn fixture_catalog() -> Catalog {
    load_catalog(&fixture_dir(), false).expect("the fixture content is valid")
}

pub fn utc(s: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(s)
        .expect("an RFC 3339 instant")
        .with_timezone(&Utc)
}

/// A store on a fresh database (SQLite, or PostgreSQL in `both_engines!`'s PostgreSQL half);
/// keep the [`engines::TestDb`] alive as long as the store.
pub async fn temp_store() -> (engines::TestDb, Store, String) {
    let (db, url) = engines::TestDb::new(engines::current()).await;
    let store = Store::open(&url).await.unwrap();
    (db, store, url)
}

pub fn app_with(store: Store, default_tz: Timezone) -> App {
    App::new(
        Arc::new(fixture_catalog()),
        store,
        Arc::new(SeededIds::new(42)),
        default_tz,
    )
}

/// The environment of a bot on the fake Telegram server and the fake Discord gateway at once,
/// with the fixture content and the database file `db`; the caller adds its clock.
pub fn env_on_both(
    telegram: &telegram::FakeTelegram,
    tg_token: &str,
    discord: &discord::FakeDiscord,
    dc_token: &str,
    db: &Path,
) -> Vec<(&'static str, String)> {
    vec![
        ("TELEGRAM_BOT_TOKEN", tg_token.to_string()),
        ("TELEGRAM_API_URL", telegram.url.clone()),
        ("DISCORD_TOKEN", dc_token.to_string()),
        ("DISCORD_API_URL", discord.url.clone()),
        ("DISCORD_GUILD_ID", discord::GUILD.to_string()),
        ("DATABASE_URL", format!("sqlite://{}", db.display())),
        ("CONTENT_DIR", fixture_dir().display().to_string()),
    ]
}

/// Creates and migrates the database file `db`, then closes it (before several processes
/// share it: two processes migrating one new file at once race).
pub async fn migrated_file(db: &Path) {
    let store = Store::open(&format!("sqlite://{}", db.display()))
        .await
        .unwrap();
    store.close().await;
}

/// A learner in their private chat.
pub fn private(user: &str, now: &str) -> Ctx {
    Ctx {
        platform: Platform::Telegram,
        caps: studybot::adapters::telegram::CAPABILITIES,
        chat_id: format!("chat-{user}"),
        chat_kind: ChatKind::Private,
        user_id: user.to_string(),
        user_name: user.to_string(),
        is_admin: false,
        now: utc(now),
        event: None,
        lang: Lang::English,
    }
}

/// The learner `user` in their Discord DM (another platform account than [`private`]'s).
pub fn discord_dm(user: &str, now: &str) -> Ctx {
    Ctx {
        platform: Platform::Discord,
        caps: studybot::adapters::discord::CAPABILITIES,
        chat_id: format!("dm-{user}"),
        chat_kind: ChatKind::Private,
        user_id: format!("d-{user}"),
        user_name: format!("{user} on Discord"),
        is_admin: false,
        now: utc(now),
        event: None,
        lang: Lang::English,
    }
}

/// A member of the group `group`.
pub fn member(group: &str, user: &str, admin: bool, now: &str) -> Ctx {
    Ctx {
        platform: Platform::Telegram,
        caps: studybot::adapters::telegram::CAPABILITIES,
        chat_id: group.to_string(),
        chat_kind: ChatKind::Group,
        user_id: user.to_string(),
        user_name: user.to_string(),
        is_admin: admin,
        now: utc(now),
        event: None,
        lang: Lang::English,
    }
}

/// Subscribes each context's chat to a 09:00 UTC daily push through the core, as `/subscribe`
/// would, on the database file `db` (created and migrated if missing).
pub async fn seed_subscriptions(db: &Path, chats: impl Iterator<Item = Ctx>) {
    seed_subscriptions_at(&format!("sqlite://{}", db.display()), chats).await
}

/// [`seed_subscriptions`] on the database at `url` (either engine).
pub async fn seed_subscriptions_at(url: &str, chats: impl Iterator<Item = Ctx>) {
    let store = Store::open(url).await.unwrap();
    let app = App::new(
        Arc::new(fixture_catalog()),
        store.clone(),
        Arc::new(SeededIds::new(1)),
        Timezone::UTC,
    );
    for ctx in chats {
        let at = Some(studybot::core::DailyAt { hour: 9, minute: 0 });
        let reply = app
            .respond(
                &ctx,
                studybot::core::Command::Subscribe { at, timezone: None },
            )
            .await;
        assert!(
            reply.plain_text().starts_with("Subscribed"),
            "{}",
            reply.plain_text()
        );
    }
    store.close().await;
}

/// Subscribes Telegram private chats `1..=n` to a 09:00 UTC push on the database file `db`.
pub async fn seed_private_telegram_chats(db: &Path, n: i64) {
    seed_private_telegram_chats_at(&format!("sqlite://{}", db.display()), n).await
}

/// [`seed_private_telegram_chats`] on the database at `url` (either engine).
pub async fn seed_private_telegram_chats_at(url: &str, n: i64) {
    let chats = (1..=n).map(|chat| Ctx {
        platform: Platform::Telegram,
        caps: studybot::adapters::telegram::CAPABILITIES,
        chat_id: chat.to_string(),
        chat_kind: ChatKind::Private,
        user_id: chat.to_string(),
        user_name: format!("learner {chat}"),
        is_admin: false,
        now: utc("2026-03-02T08:00:00Z"),
        event: None,
        lang: Lang::English,
    });
    seed_subscriptions_at(url, chats).await;
}

/// Whether the chat's subscription is still active in the database file `db`.
pub async fn subscription_active(db: &Path, platform: Platform, chat: &str) -> bool {
    let store = Store::open(&format!("sqlite://{}", db.display()))
        .await
        .unwrap();
    let mut tx = store.begin().await.unwrap();
    let id = tx.chat_id_of(platform, chat).await.unwrap().unwrap();
    let active = tx
        .subscription(id)
        .await
        .unwrap()
        .map(|s| s.active)
        .unwrap_or(false);
    tx.commit().await.unwrap();
    store.close().await;
    active
}

/// A push target that records what it would send; chats listed in `gone` answer as a chat that
/// blocked the bot.
#[derive(Default)]
pub struct Recorder {
    pub sent: std::sync::Mutex<Vec<(String, studybot::core::Reply)>>,
    pub gone: std::sync::Mutex<Vec<String>>,
}

impl studybot::scheduler::PushTarget for Recorder {
    fn deliver<'a>(
        &'a self,
        chat: &'a str,
        reply: &'a studybot::core::Reply,
    ) -> futures::future::BoxFuture<'a, studybot::core::PushOutcome> {
        Box::pin(async move {
            if self.gone.lock().unwrap().iter().any(|g| g == chat) {
                let why = "Forbidden: bot was blocked by the user";
                return studybot::core::PushOutcome::Gone(why.into());
            }
            self.sent
                .lock()
                .unwrap()
                .push((chat.to_string(), reply.clone()));
            studybot::core::PushOutcome::Sent(Vec::new())
        })
    }
}

/// The letter a learner picks for `card`: the right one, or the next one round.
pub fn pick(card: &studybot::core::QuizCard, right: bool) -> studybot::core::quiz::OptionLetter {
    let i = if right {
        card.correct
    } else {
        (card.correct + 1) % 4
    };
    studybot::core::quiz::OptionLetter::from_index(i).unwrap()
}

/// The user row of `ctx`'s user (created if new).
pub async fn user_row(app: &App, ctx: &Ctx) -> studybot::store::UserRow {
    let mut tx = app.store().begin().await.unwrap();
    let u = tx
        .upsert_user(ctx.platform, &ctx.user_id, &ctx.user_name, ctx.now)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    u
}
