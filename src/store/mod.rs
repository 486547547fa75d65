//! The only place with SQL: a SQLite file through sqlx, migrated at start.
//!
//! Every use case runs in one [`Tx`], started with `BEGIN IMMEDIATE` so a read-then-write
//! transaction takes the write lock up front instead of failing with `SQLITE_BUSY_SNAPSHOT`.

mod chats;
mod decks;
mod events;
mod forget;
mod history;
mod maintenance;
mod pushes;
mod quizzes;
mod reports;
mod reviews;
mod rounds;
mod rows;
mod scheduled;
mod stats;
mod status;
mod types;
mod users;

pub use decks::{DeckQuestionRow, DeckRow, NewDeck, Reimport};
pub use forget::Forgotten;
pub use history::AnswerHistoryRow;
pub use maintenance::{BackupError, Checkpoint};
pub use pushes::{DueSubscription, PushClaim, UnconfirmedPush};
pub use reports::{NewReport, ReportRow};
pub use reviews::{
    CardQuestion, CardUpdate, DueReminder, ReminderRow, ReviewCardRow, ReviewLogRow,
};
pub use rounds::{OpenRoundQuestion, RoundAnswerRow, RoundQuestionRow, RoundRow, RoundScore};
pub use rows::*;
pub use scheduled::Scheduled;
pub use status::TopicStatusRow;
pub use types::{Delivery, RoundState};

use crate::core::{Lang, Platform};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Sqlite, SqlitePool, Transaction};
use std::str::FromStr;
use std::time::Duration;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// Not a `#[source]`: the message already carries sqlx's reason, once.
    #[error("cannot open the database {url} (is its directory there and writable?): {reason}")]
    Open { url: String, reason: sqlx::Error },
    #[error("cannot migrate the database: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
    #[error("database error: {0}")]
    Sql(#[from] sqlx::Error),
}

pub type StoreResult<T> = Result<T, StoreError>;

#[derive(Clone, Debug)]
pub struct Store {
    pool: SqlitePool,
}

impl Store {
    /// Opens (creating if missing) and migrates the database at `url` (`sqlite://path`).
    pub async fn open(url: &str) -> StoreResult<Store> {
        let open_err = open_error(url);
        let options = connect_options(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // NORMAL survives process crashes; only a power loss can roll back the last commits.
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(4)
            .connect_with(options)
            .await
            .map_err(open_err)?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        Ok(Store { pool })
    }

    /// Starts a write transaction. Dropping the [`Tx`] without [`Tx::commit`] rolls it back.
    pub async fn begin(&self) -> StoreResult<Tx> {
        let asked = std::time::Instant::now();
        let tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        metrics::histogram!(crate::ops::metrics::DB_BEGIN_SECONDS).record(asked.elapsed());
        Ok(Tx {
            tx,
            timer: TxTimer {
                started: std::time::Instant::now(),
                committed: false,
            },
        })
    }

    /// The stored /language choices of a learner and of a chat, read without a write lock
    /// (every command asks, before it runs).
    pub async fn languages(
        &self,
        platform: Platform,
        user: &str,
        chat: &str,
    ) -> StoreResult<(Option<Lang>, Option<Lang>)> {
        Ok(sqlx::query_as(
            "SELECT (SELECT lang FROM users WHERE platform = ?1 AND external_id = ?2),
                    (SELECT lang FROM chats WHERE platform = ?1 AND external_id = ?3)",
        )
        .bind(platform)
        .bind(user)
        .bind(chat)
        .fetch_one(&self.pool)
        .await?)
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// Turns a connection failure into an error naming the database.
fn open_error(url: &str) -> impl Fn(sqlx::Error) -> StoreError + '_ {
    move |reason| StoreError::Open {
        url: url.to_string(),
        reason,
    }
}

/// The options every connection shares: the URL and how long to wait for a lock.
fn connect_options(url: &str) -> StoreResult<SqliteConnectOptions> {
    Ok(SqliteConnectOptions::from_str(url)
        .map_err(open_error(url))?
        .busy_timeout(Duration::from_secs(10)))
}

/// One transaction; the query methods live in the sibling modules, grouped by table.
pub struct Tx {
    tx: Transaction<'static, Sqlite>,
    timer: TxTimer,
}

impl Tx {
    pub async fn commit(self) -> StoreResult<()> {
        let Tx { tx, mut timer } = self;
        tx.commit().await?;
        timer.committed = true;
        Ok(())
    }
}

/// Records how long a transaction held the write lock, when it ends either way.
struct TxTimer {
    started: std::time::Instant,
    committed: bool,
}

impl Drop for TxTimer {
    fn drop(&mut self) {
        let outcome = if self.committed { "commit" } else { "rollback" };
        metrics::histogram!(crate::ops::metrics::DB_TX_SECONDS, "outcome" => outcome)
            .record(self.started.elapsed());
    }
}
