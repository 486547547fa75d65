//! Learners' reports of bad questions.

use super::{Done, StoreResult, Tx};
use chrono::{DateTime, Utc};

/// One report as stored (who sent it is left out: listings show counts and reasons).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ReportRow {
    pub topic_id: String,
    pub question_idx: i64,
    pub question_hash: String,
    pub prompt: String,
    pub reason: String,
    pub created_at: DateTime<Utc>,
}

/// A report to store.
#[derive(Debug, Clone)]
pub struct NewReport<'a> {
    pub user_id: i64,
    pub topic_id: &'a str,
    pub question_idx: i64,
    pub question_hash: &'a str,
    pub prompt: &'a str,
    pub reason: &'a str,
}

const REPORT_COLUMNS: &str = "topic_id, question_idx, question_hash, prompt, reason, created_at";

impl Tx {
    /// Stores a report unless this learner already reported this question (the UNIQUE key
    /// decides); returns whether it is new.
    pub async fn insert_report(
        &mut self,
        r: &NewReport<'_>,
        now: DateTime<Utc>,
    ) -> StoreResult<bool> {
        let done = on!(self, |db| {
            sqlx::query(
            "INSERT INTO reports (user_id, topic_id, question_idx, question_hash, prompt, reason, created_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7)
             ON CONFLICT (user_id, topic_id, question_idx, question_hash) DO NOTHING",
        )
        .bind(r.user_id)
        .bind(r.topic_id)
        .bind(r.question_idx)
        .bind(r.question_hash)
        .bind(r.prompt)
        .bind(r.reason)
        .bind(now)
        .execute(db).await.map(Done::from)
        })?;
        Ok(done.rows_affected() == 1)
    }

    /// How many reports this learner sent since `since` (the rate limit).
    pub async fn reports_since(&mut self, user_id: i64, since: DateTime<Utc>) -> StoreResult<i64> {
        Ok(on!(self, |db| sqlx::query_scalar(
            "SELECT COUNT(*) FROM reports WHERE user_id = $1 AND created_at >= $2",
        )
        .bind(user_id)
        .bind(since)
        .fetch_one(db)
        .await)?)
    }

    /// Reports since `since` (all when `None`), optionally of one topic id, newest first.
    pub async fn reports(
        &mut self,
        since: Option<DateTime<Utc>>,
        topic_id: Option<&str>,
    ) -> StoreResult<Vec<ReportRow>> {
        let sql = format!(
            "SELECT {REPORT_COLUMNS} FROM reports
             WHERE ($1 IS NULL OR created_at >= $1) AND ($2 IS NULL OR topic_id = $2)
             ORDER BY created_at DESC, id DESC"
        );
        Ok(on!(self, |db| sqlx::query_as(sqlx::AssertSqlSafe(sql))
            .bind(since)
            .bind(topic_id)
            .fetch_all(db)
            .await)?)
    }
}
