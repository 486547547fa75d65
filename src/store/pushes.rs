use super::Delivery;
use super::{Done, StoreResult, SubscriptionRow, Tx};
use crate::core::{Lang, Platform};
use chrono::{DateTime, Utc};
use sqlx::QueryBuilder;
use std::collections::HashSet;

/// Rows per bulk statement: 4 parameters each stays far below SQLite's parameter limit.
const CHUNK: usize = 200;

/// A fire to claim and the topic it will push (`None`: a review question).
#[derive(Debug, Clone)]
pub struct PushClaim<'a> {
    pub chat_id: i64,
    pub fire_at: DateTime<Utc>,
    pub topic: Option<&'a str>,
}

/// A subscription whose next fire time has come, with what is needed to push to its chat.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DueSubscription {
    pub chat_id: i64,
    pub platform: Platform,
    pub external_id: String,
    pub schedule: String,
    pub timezone: String,
    pub next_fire_at: DateTime<Utc>,
    pub current_topic: Option<String>,
    /// The deck the chat studies: its push is a question from it.
    pub deck_id: Option<String>,
    /// Whether the chat has been shown its current topic (`first_topic` when it has none).
    pub current_seen: bool,
    /// The chat's /language.
    pub lang: Option<Lang>,
}

/// A push claimed before a crash and never confirmed.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct UnconfirmedPush {
    pub chat_id: i64,
    pub platform: Platform,
    pub external_id: String,
    pub fire_at: DateTime<Utc>,
    pub topic_id: Option<String>,
    pub lang: Option<Lang>,
}

impl Tx {
    pub async fn upsert_subscription(
        &mut self,
        chat_id: i64,
        schedule: &str,
        timezone: &str,
        next_fire_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        on!(self, |db| {
            sqlx::query(
            "INSERT INTO subscriptions (chat_id, schedule, timezone, active, next_fire_at, updated_at)
             VALUES ($1, $2, $3, TRUE, $4, $5)
             ON CONFLICT (chat_id) DO UPDATE SET schedule = excluded.schedule, timezone = excluded.timezone,
             active = TRUE, paused_reason = NULL, next_fire_at = excluded.next_fire_at, updated_at = excluded.updated_at",
        )
        .bind(chat_id)
        .bind(schedule)
        .bind(timezone)
        .bind(next_fire_at)
        .bind(now)
        .execute(db).await.map(Done::from)
        })?;
        Ok(())
    }

    pub async fn subscription(&mut self, chat_id: i64) -> StoreResult<Option<SubscriptionRow>> {
        Ok(on!(self, |db| {
            sqlx::query_as(
            "SELECT chat_id, schedule, timezone, active, paused_reason, next_fire_at FROM subscriptions
             WHERE chat_id = $1",
        )
        .bind(chat_id)
        .fetch_optional(db).await
        })?)
    }

    /// Active subscriptions due at `now`, earliest first, with what choosing their next topic
    /// needs (one query for the whole batch instead of two per chat).
    pub async fn due_subscriptions(
        &mut self,
        now: DateTime<Utc>,
        first_topic: &str,
        limit: i64,
    ) -> StoreResult<Vec<DueSubscription>> {
        // On PostgreSQL, subscriptions another instance is claiming are skipped, not waited for:
        // instances share a fan-out instead of queueing on the same rows.
        let sql = format!(
            "SELECT s.chat_id AS chat_id, c.platform AS platform, c.external_id AS external_id,
                    s.schedule AS schedule, s.timezone AS timezone, s.next_fire_at AS next_fire_at,
                    c.current_topic AS current_topic, c.deck_id AS deck_id, c.lang AS lang,
                    EXISTS (SELECT 1 FROM chat_topics t WHERE t.chat_id = s.chat_id
                            AND t.topic_id = COALESCE(c.current_topic, $1)) AS current_seen
             FROM subscriptions s JOIN chats c ON c.id = s.chat_id
             WHERE s.active AND s.next_fire_at IS NOT NULL AND s.next_fire_at <= $2
             ORDER BY s.next_fire_at LIMIT $3{}",
            self.skip_locked("s")
        );
        Ok(on!(self, |db| sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(first_topic)
            .bind(now)
            .bind(limit)
            .fetch_all(db)
            .await)?)
    }

    /// Claims the push of one fire; false if it was claimed before. The primary key
    /// (chat_id, fire_at) is what makes a second push of the same fire impossible.
    pub async fn claim_push(
        &mut self,
        chat_id: i64,
        fire_at: DateTime<Utc>,
        topic: Option<&str>,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let r = on!(self, |db| {
            sqlx::query(
            "INSERT INTO pushes (chat_id, fire_at, topic_id, claimed_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
        )
        .bind(chat_id)
        .bind(fire_at)
        .bind(topic)
        .bind(now)
        .execute(db).await.map(Done::from)
        })?;
        Ok(r.rows_affected() == 1)
    }

    /// Pushes claimed at or before `claimed_by` and never confirmed. On PostgreSQL the rows are
    /// locked, skipping those another instance is taking over right now.
    pub async fn unconfirmed_pushes(
        &mut self,
        claimed_by: DateTime<Utc>,
    ) -> StoreResult<Vec<UnconfirmedPush>> {
        let sql = format!(
            "SELECT p.chat_id AS chat_id, c.platform AS platform, c.external_id AS external_id,
                    p.fire_at AS fire_at, p.topic_id AS topic_id, c.lang AS lang
             FROM pushes p JOIN chats c ON c.id = p.chat_id
             WHERE p.outcome IS NULL AND p.claimed_at <= $1 ORDER BY p.fire_at{}",
            self.skip_locked("p")
        );
        Ok(on!(self, |db| sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(claimed_by)
            .fetch_all(db)
            .await)?)
    }

    /// Takes over an unconfirmed claim whose lease ran out (claimed at or before `claimed_by`),
    /// renewing it; false if another instance took it first or it was confirmed meanwhile.
    pub async fn renew_push_claim(
        &mut self,
        chat_id: i64,
        fire_at: DateTime<Utc>,
        claimed_by: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let r = on!(self, |db| sqlx::query(
            "UPDATE pushes SET claimed_at = $1
             WHERE chat_id = $2 AND fire_at = $3 AND outcome IS NULL AND claimed_at <= $4",
        )
        .bind(now)
        .bind(chat_id)
        .bind(fire_at)
        .bind(claimed_by)
        .execute(db)
        .await
        .map(Done::from))?;
        Ok(r.rows_affected() == 1)
    }

    /// Records what became of a push.
    pub async fn finish_push(
        &mut self,
        chat_id: i64,
        fire_at: DateTime<Utc>,
        outcome: Delivery,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        on!(self, |db| {
            sqlx::query("UPDATE pushes SET outcome = $1, sent_at = CASE WHEN $2 = 'sent' THEN $3 END WHERE chat_id = $4 AND fire_at = $5")
            .bind(outcome)
            .bind(outcome)
            .bind(now)
            .bind(chat_id)
            .bind(fire_at)
            .execute(db).await.map(Done::from)
        })?;
        Ok(())
    }

    pub async fn pause_subscription(&mut self, chat_id: i64, reason: &str) -> StoreResult<()> {
        on!(self, |db| sqlx::query(
            "UPDATE subscriptions SET active = FALSE, paused_reason = $1 WHERE chat_id = $2"
        )
        .bind(reason)
        .bind(chat_id)
        .execute(db)
        .await
        .map(Done::from))?;
        Ok(())
    }

    pub async fn topic_seen(&mut self, chat_id: i64, topic: &str) -> StoreResult<bool> {
        let n: i64 = on!(self, |db| sqlx::query_scalar(
            "SELECT COUNT(*) FROM chat_topics WHERE chat_id = $1 AND topic_id = $2",
        )
        .bind(chat_id)
        .bind(topic)
        .fetch_one(db)
        .await)?;
        Ok(n > 0)
    }

    /// The chat's row id by its platform id, if the bot knows the chat.
    pub async fn chat_id_of(
        &mut self,
        platform: Platform,
        external_id: &str,
    ) -> StoreResult<Option<i64>> {
        Ok(on!(self, |db| sqlx::query_scalar(
            "SELECT id FROM chats WHERE platform = $1 AND external_id = $2"
        )
        .bind(platform)
        .bind(external_id)
        .fetch_optional(db)
        .await)?)
    }
}

/// Bulk forms for the fan-out: a few statements per batch instead of a few per chat.
impl Tx {
    /// Claims many fires at once; returns the chats whose claim is new. The primary key
    /// (chat_id, fire_at) makes a second claim of a fire impossible.
    pub async fn claim_pushes(
        &mut self,
        claims: &[PushClaim<'_>],
        now: DateTime<Utc>,
    ) -> StoreResult<HashSet<i64>> {
        let mut won = HashSet::new();
        for chunk in claims.chunks(CHUNK) {
            let ids: Vec<i64> = on!(self, |db| {
                let mut q = QueryBuilder::new(
                    "INSERT INTO pushes (chat_id, fire_at, topic_id, claimed_at) ",
                );
                q.push_values(chunk, |mut row, claim| {
                    row.push_bind(claim.chat_id)
                        .push_bind(claim.fire_at)
                        .push_bind(claim.topic)
                        .push_bind(now);
                });
                q.push(" ON CONFLICT DO NOTHING RETURNING chat_id");
                q.build_query_scalar().fetch_all(db).await
            })?;
            won.extend(ids);
        }
        Ok(won)
    }

    pub async fn set_next_fires(
        &mut self,
        fires: &[(i64, Option<DateTime<Utc>>)],
    ) -> StoreResult<()> {
        for chunk in fires.chunks(CHUNK) {
            on!(self, |db| {
                let mut q =
                    QueryBuilder::new("UPDATE subscriptions SET next_fire_at = v.column2 FROM (");
                q.push_values(chunk, |mut row, (chat, next)| {
                    row.push_bind(*chat).push_bind(*next);
                });
                q.push(") AS v WHERE subscriptions.chat_id = v.column1");
                q.build().execute(db).await.map(Done::from)
            })?;
        }
        Ok(())
    }

    /// Moves chats to the topics pushed to them and records those topics as seen.
    pub async fn advance_chats(
        &mut self,
        moves: &[(i64, &str)],
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        for chunk in moves.chunks(CHUNK) {
            on!(self, |db| {
                let mut q = QueryBuilder::new("UPDATE chats SET current_topic = v.column2 FROM (");
                q.push_values(chunk, |mut row, (chat, topic)| {
                    row.push_bind(*chat).push_bind(*topic);
                });
                q.push(") AS v WHERE chats.id = v.column1");
                q.build().execute(&mut *db).await?;
                let mut q =
                    QueryBuilder::new("INSERT INTO chat_topics (chat_id, topic_id, seen_at) ");
                q.push_values(chunk, |mut row, (chat, topic)| {
                    row.push_bind(*chat).push_bind(*topic).push_bind(now);
                });
                q.push(" ON CONFLICT DO NOTHING");
                q.build().execute(db).await.map(Done::from)
            })?;
        }
        Ok(())
    }
}

impl super::Store {
    /// Marks a push sent in one autocommitted statement: the common case of the fan-out, kept to
    /// a single round trip.
    pub async fn confirm_push(
        &self,
        chat_id: i64,
        fire_at: DateTime<Utc>,
        now: DateTime<Utc>,
    ) -> StoreResult<()> {
        write_one!(
            self,
            "UPDATE pushes SET outcome = 'sent', sent_at = $1 WHERE chat_id = $2 AND fire_at = $3",
            [now, chat_id, fire_at]
        )?;
        Ok(())
    }
}
