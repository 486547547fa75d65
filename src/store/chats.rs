use super::{ChatRow, Done, StoreResult, Tx};
use crate::core::{ChatKind, Lang, Platform};
use chrono::{DateTime, Utc};

impl Tx {
    /// Finds the chat or creates it; a chat never changes platform or id.
    pub async fn upsert_chat(
        &mut self,
        platform: Platform,
        external_id: &str,
        kind: ChatKind,
        now: DateTime<Utc>,
    ) -> StoreResult<ChatRow> {
        self.enter_chat(platform, external_id, kind, None, now)
            .await
    }

    /// Like [`Tx::upsert_chat`], and a private chat without an owner gets `owner` (what
    /// `/forget` deletes with its learner), in the same statement.
    pub async fn enter_chat(
        &mut self,
        platform: Platform,
        external_id: &str,
        kind: ChatKind,
        owner: Option<i64>,
        now: DateTime<Utc>,
    ) -> StoreResult<ChatRow> {
        let owner = owner.filter(|_| kind == ChatKind::Private);
        Ok(on!(self, |db| {
            sqlx::query_as(
            "INSERT INTO chats (platform, external_id, kind, private_of, created_at)
             VALUES ($1, $2, $3, $4, $5)
             ON CONFLICT (platform, external_id) DO UPDATE SET kind = excluded.kind,
                 private_of = COALESCE(chats.private_of, excluded.private_of)
             RETURNING id, platform, external_id, kind, timezone, current_topic, deck_id, lang, private_of",
        )
        .bind(platform)
        .bind(external_id)
        .bind(kind)
        .bind(owner)
        .bind(now)
        .fetch_one(db).await
        })?)
    }

    /// The chat as stored, without creating it (for commands that only read).
    pub async fn find_chat(
        &mut self,
        platform: Platform,
        external_id: &str,
    ) -> StoreResult<Option<ChatRow>> {
        Ok(on!(self, |db| {
            sqlx::query_as(
            "SELECT id, platform, external_id, kind, timezone, current_topic, deck_id, lang, private_of FROM chats
             WHERE platform = $1 AND external_id = $2",
        )
        .bind(platform)
        .bind(external_id)
        .fetch_optional(db).await
        })?)
    }

    pub async fn chat(&mut self, chat_id: i64) -> StoreResult<Option<ChatRow>> {
        Ok(on!(self, |db| {
            sqlx::query_as(
            "SELECT id, platform, external_id, kind, timezone, current_topic, deck_id, lang, private_of FROM chats WHERE id = $1",
        )
        .bind(chat_id)
        .fetch_optional(db).await
        })?)
    }

    pub async fn set_chat_topic(&mut self, chat_id: i64, topic: &str) -> StoreResult<()> {
        on!(self, |db| sqlx::query(
            "UPDATE chats SET current_topic = $1 WHERE id = $2"
        )
        .bind(topic)
        .bind(chat_id)
        .execute(db)
        .await
        .map(Done::from))?;
        Ok(())
    }

    pub async fn set_chat_lang(&mut self, chat_id: i64, lang: Lang) -> StoreResult<()> {
        on!(self, |db| sqlx::query(
            "UPDATE chats SET lang = $1 WHERE id = $2"
        )
        .bind(lang)
        .bind(chat_id)
        .execute(db)
        .await
        .map(Done::from))?;
        Ok(())
    }

    pub async fn set_chat_timezone(&mut self, chat_id: i64, tz: &str) -> StoreResult<()> {
        on!(self, |db| sqlx::query(
            "UPDATE chats SET timezone = $1 WHERE id = $2"
        )
        .bind(tz)
        .bind(chat_id)
        .execute(db)
        .await
        .map(Done::from))?;
        Ok(())
    }

    /// Records that the chat was shown a topic (the first time counts).
    pub async fn mark_topic_seen(
        &mut self,
        chat_id: i64,
        topic: &str,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        on!(self, |db| {
            sqlx::query(
            "INSERT INTO chat_topics (chat_id, topic_id, seen_at) VALUES ($1, $2, $3) ON CONFLICT DO NOTHING",
        )
        .bind(chat_id)
        .bind(topic)
        .bind(now)
        .execute(db).await.map(Done::from)
        })?;
        Ok(())
    }

    pub async fn seen_topics(&mut self, chat_id: i64) -> StoreResult<Vec<String>> {
        Ok(on!(self, |db| sqlx::query_scalar(
            "SELECT topic_id FROM chat_topics WHERE chat_id = $1 ORDER BY seen_at",
        )
        .bind(chat_id)
        .fetch_all(db)
        .await)?)
    }
}
