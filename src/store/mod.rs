//! The only place with SQL: a SQLite file through sqlx, migrated at start.
//!
//! Every use case runs in one [`Tx`], started with `BEGIN IMMEDIATE` so a read-then-write
//! transaction takes the write lock up front instead of failing with `SQLITE_BUSY_SNAPSHOT`.
//!
//! SQLite lets one connection write at a time. Writes therefore go through a pool of exactly one
//! connection: a use case waiting to write waits in the pool's queue (async, in order) instead of
//! in SQLite's busy handler, which sleeps 1–100 ms between retries and, with several writing
//! connections, left the lock idle while waiters slept. Reads that need no write lock (`/streak`,
//! leaderboards, backups, health checks) use a separate pool of reading connections, which WAL
//! lets run beside the writer.

mod accounts;
mod chats;
mod decks;
mod events;
mod forget;
mod history;
mod link;
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

pub use accounts::{AccountRow, LinkCodeRow};
pub use decks::{DeckQuestionRow, DeckRow, NewDeck, Reimport};
pub use forget::Forgotten;
pub use history::AnswerHistoryRow;
pub use link::LearnerCounts;
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
    /// A row the use case has just made sure of is not there (a bug, or a concurrent change).
    #[error("database state unexpected: {0}")]
    Unexpected(&'static str),
}

pub type StoreResult<T> = Result<T, StoreError>;

#[derive(Clone, Debug)]
pub struct Store {
    /// The one connection that writes.
    pool: SqlitePool,
    /// Connections for reads that must not queue behind writes (`PRAGMA query_only`, so a write
    /// by mistake fails loudly instead of taking the lock).
    reader: SqlitePool,
    /// How to open another connection (a backup's).
    options: SqliteConnectOptions,
}

/// How many read-only connections to keep: reads are short, and the machine we size for has two
/// cores.
const READERS: u32 = 4;

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
            .max_connections(1)
            .connect_with(options.clone())
            .await
            .map_err(&open_err)?;
        sqlx::migrate!("./migrations").run(&pool).await?;
        let reader = readers(options.clone(), READERS).await.map_err(open_err)?;
        Ok(Store {
            pool,
            reader,
            options,
        })
    }

    /// Starts a read transaction on a reading connection: one consistent snapshot that never
    /// waits for the writer. It offers the same methods as a write transaction; a write through
    /// it fails (`query_only`). Commit or drop it to end it.
    pub async fn read(&self) -> StoreResult<Tx> {
        Ok(Tx {
            tx: self.reader.begin().await?,
            timer: TxTimer::default(),
        })
    }

    /// Starts a write transaction. Dropping the [`Tx`] without [`Tx::commit`] rolls it back.
    pub async fn begin(&self) -> StoreResult<Tx> {
        let asked = std::time::Instant::now();
        let tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        metrics::histogram!(crate::ops::metrics::DB_BEGIN_SECONDS).record(asked.elapsed());
        Ok(Tx {
            tx,
            timer: TxTimer {
                started: Some(std::time::Instant::now()),
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
            "SELECT (SELECT u.lang FROM accounts a JOIN users u ON u.id = a.user_id
                     WHERE a.platform = ?1 AND a.external_id = ?2),
                    (SELECT lang FROM chats WHERE platform = ?1 AND external_id = ?3)",
        )
        .bind(platform)
        .bind(user)
        .bind(chat)
        // On a reader: every command asks this first, and must not queue behind writes.
        .fetch_one(&self.reader)
        .await?)
    }

    pub async fn close(&self) {
        self.reader.close().await;
        self.pool.close().await;
    }
}

/// A pool of read-only connections to the same file (opened after the writer migrated it).
async fn readers(options: SqliteConnectOptions, n: u32) -> Result<SqlitePool, sqlx::Error> {
    SqlitePoolOptions::new()
        .max_connections(n)
        .connect_with(options.create_if_missing(false).pragma("query_only", "ON"))
        .await
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

/// Records how long a write transaction held the write lock, when it ends either way (`started`
/// is `None` for a read transaction, which holds no lock).
#[derive(Default)]
struct TxTimer {
    started: Option<std::time::Instant>,
    committed: bool,
}

impl Drop for TxTimer {
    fn drop(&mut self) {
        let Some(started) = self.started else { return };
        let outcome = if self.committed { "commit" } else { "rollback" };
        metrics::histogram!(crate::ops::metrics::DB_TX_SECONDS, "outcome" => outcome)
            .record(started.elapsed());
    }
}
