//! The only place with SQL: a SQLite file through sqlx, migrated at start.
//!
//! Every use case runs in one [`Tx`], started with `BEGIN IMMEDIATE` so a read-then-write
//! transaction takes the write lock up front instead of failing with `SQLITE_BUSY_SNAPSHOT`.

mod chats;
mod events;
mod forget;
mod history;
mod pushes;
mod quizzes;
mod reviews;
mod rounds;
mod rows;
mod scheduled;
mod stats;
mod status;
mod users;

pub use forget::Forgotten;
pub use history::AnswerHistoryRow;
pub use pushes::{DueSubscription, PushClaim, UnconfirmedPush};
pub use reviews::{
    CardQuestion, CardUpdate, DueReminder, ReminderRow, ReviewCardRow, ReviewLogRow,
};
pub use rounds::{OpenRoundQuestion, RoundAnswerRow, RoundQuestionRow, RoundRow, RoundScore};
pub use rows::*;
pub use scheduled::Scheduled;
pub use status::TopicStatusRow;

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
        let open_err = |reason| StoreError::Open {
            url: url.to_string(),
            reason,
        };
        let options = SqliteConnectOptions::from_str(url)
            .map_err(open_err)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // NORMAL survives process crashes; only a power loss can roll back the last commits.
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true)
            .busy_timeout(Duration::from_secs(10));
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
        Ok(Tx {
            tx: self.pool.begin_with("BEGIN IMMEDIATE").await?,
        })
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

/// One transaction; the query methods live in the sibling modules, grouped by table.
pub struct Tx {
    tx: Transaction<'static, Sqlite>,
}

impl Tx {
    pub async fn commit(self) -> StoreResult<()> {
        Ok(self.tx.commit().await?)
    }
}
