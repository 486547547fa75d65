//! Shared test helpers: a fixture curriculum, a fresh SQLite file per test, contexts.
#![allow(dead_code)]

pub mod discord;
pub mod process;
pub mod telegram;

use chrono::{DateTime, Utc};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use studybot::content::{Catalog, load_catalog};
use studybot::core::{App, ChatKind, Ctx, Platform, SeededIds, Timezone};
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

/// A store on a fresh SQLite file; keep the TempDir alive as long as the store.
pub async fn temp_store() -> (tempfile::TempDir, Store, String) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("test.db").display());
    let store = Store::open(&url).await.unwrap();
    (dir, store, url)
}

pub fn app_with(store: Store, default_tz: Timezone) -> App {
    App::new(
        Arc::new(fixture_catalog()),
        store,
        Arc::new(SeededIds::new(42)),
        default_tz,
    )
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
    }
}
