//! The only place with SQL: a SQLite file (the default) or a PostgreSQL database, through sqlx,
//! migrated at start. The SQL is written once for both engines (`$N` parameters, `ON CONFLICT`,
//! `RETURNING`); [`on!`] compiles each query once per engine, so binds and rows stay typed.
//!
//! Every use case runs in one [`Tx`]. On SQLite it starts with `BEGIN IMMEDIATE` so a
//! read-then-write transaction takes the write lock up front instead of failing with
//! `SQLITE_BUSY_SNAPSHOT`.
//!
//! SQLite lets one connection write at a time. On SQLite every write goes through one writing
//! connection owned by a task ([`writer`]) that lends it to one use case at a time and commits
//! consecutive use cases together (group commit), each in a savepoint of its own: a use case
//! waits for its turn in an async queue instead of SQLite's busy handler, and a burst pays for
//! one WAL commit per batch instead of one per use case (BENCHMARKS.md, issue 15). Reads that
//! need no write lock (`/streak`, leaderboards, backups, health checks) use a separate pool of
//! reading connections, which WAL lets run beside the writer. Connections are not pinged before
//! use: they are local files, and the ping cost a thread hand-off per transaction.
//!
//! On PostgreSQL, transactions run at READ COMMITTED and serialize where they must on row locks:
//! every use case first upserts its chat and its learner (`ON CONFLICT … DO UPDATE` locks the
//! row until commit), so two updates of one learner or one chat run one after the other, as on
//! SQLite, while different chats run in parallel. Uniqueness that must never double (one answer
//! per quiz and learner, one push per fire) is a constraint on both engines.

/// Runs one sqlx expression on the engine this transaction is on. `$body` names the connection
/// `$c` and is compiled once per engine; both arms must produce the same type (map an
/// `execute` result with `Done::from`).
macro_rules! on {
    ($tx:expr, |$c:ident| $body:expr) => {
        match &mut $tx.conn {
            $crate::store::Conn::Sqlite(t) => {
                let $c = &mut **t;
                $body
            }
            $crate::store::Conn::Postgres(t) => {
                let $c = &mut **t;
                $body
            }
        }
    };
}

/// [`on!`] for a statement outside a transaction, on one of the store's pools.
macro_rules! on_pool {
    ($pool:expr, |$c:ident| $body:expr) => {
        match $pool {
            $crate::store::Pool::Sqlite(p) => {
                let $c = p;
                $body
            }
            $crate::store::Pool::Postgres(p) => {
                let $c = p;
                $body
            }
        }
    };
}

/// One statement committed on its own (on SQLite, run by the writer with the current group
/// commit): `write_one!(store, SQL, [binds…])` is a `StoreResult<u64>` of the rows it changed,
/// `Ok` only once the statement is durable. The SQL is written once for both engines.
macro_rules! write_one {
    ($store:expr, $sql:expr, [$($arg:expr),* $(,)?]) => {
        match (&$store.writer, &$store.pool) {
            (Some(w), _) => {
                let mut args = sqlx::sqlite::SqliteArguments::default();
                $(
                    sqlx::Arguments::add(&mut args, $arg)
                        .map_err(|e| $crate::store::StoreError::Sql(sqlx::Error::Encode(e)))?;
                )*
                w.execute($sql, args).await
            }
            (None, pool) => on_pool!(pool, |p| sqlx::query($sql)
                $(.bind($arg))*
                .execute(p)
                .await
                .map(|r| r.rows_affected())
                .map_err($crate::store::StoreError::from)),
        }
    };
}

mod accounts;
mod chats;
pub mod copy;
mod decks;
mod events;
mod forget;
mod history;
mod leader;
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
mod writer;

pub use accounts::{AccountRow, LinkCodeRow};
pub use copy::{CopyError, CopyReport, copy_database};
pub use decks::{DeckQuestionRow, DeckRow, NewDeck, Reimport};
pub use forget::Forgotten;
pub use history::AnswerHistoryRow;
pub use leader::{LEADER_CHECK, Leadership, leader_key};
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
use sqlx::postgres::{PgConnectOptions, PgPoolOptions, PgQueryResult};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteQueryResult,
    SqliteSynchronous,
};
use sqlx::{PgPool, Postgres, Sqlite, SqlitePool, Transaction};
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
    /// A group commit failed: none of the use cases in it was recorded.
    #[error("database error at commit: {0}")]
    Commit(std::sync::Arc<sqlx::Error>),
    #[error("the database stayed busy for {0:?}; try again")]
    Busy(Duration),
    #[error("the database is closed")]
    Closed,
    #[error("{0} works on SQLite only; on PostgreSQL use the server's tools (pg_dump, VACUUM)")]
    SqliteOnly(&'static str),
    #[error(
        "DATABASE_URL {0:?} names no engine studybot knows: use sqlite://FILE or postgres://USER@HOST/DB"
    )]
    UnknownEngine(String),
}

pub type StoreResult<T> = Result<T, StoreError>;

/// Which database engine a store is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    /// The engine a `DATABASE_URL` names, by its scheme.
    pub fn of_url(url: &str) -> StoreResult<Engine> {
        if url.starts_with("sqlite:") {
            Ok(Engine::Sqlite)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Engine::Postgres)
        } else {
            Err(StoreError::UnknownEngine(url.to_string()))
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Engine::Sqlite => "sqlite",
            Engine::Postgres => "postgres",
        }
    }
}

/// How the store connects, beyond the URL. The defaults suit one bot on a small machine.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StoreOptions {
    /// PostgreSQL: connections in the pool (SQLite writes through one connection, with group
    /// commit, and reads through [`READERS`]).
    pub max_connections: u32,
    /// PostgreSQL: the server cancels a statement running longer than this
    /// (`statement_timeout`), so a stuck query fails one update instead of holding its locks.
    pub statement_timeout: Duration,
}

impl Default for StoreOptions {
    fn default() -> Self {
        StoreOptions {
            max_connections: 10,
            statement_timeout: Duration::from_secs(30),
        }
    }
}

/// A pool on one engine; see [`on_pool!`].
#[derive(Clone, Debug)]
pub(crate) enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl Pool {
    async fn close(&self) {
        match self {
            Pool::Sqlite(p) => p.close().await,
            Pool::Postgres(p) => p.close().await,
        }
    }
}

#[derive(Clone, Debug)]
pub struct Store {
    /// Where writes go.
    pool: Pool,
    /// Where reads go that must not queue behind writes: on SQLite connections with
    /// `PRAGMA query_only`, so a write by mistake fails loudly instead of taking the lock; on
    /// PostgreSQL the same pool as writes.
    reader: Pool,
    /// SQLite: how to open another connection (a backup's).
    options: Option<SqliteConnectOptions>,
    /// SQLite: the task that owns the writing connection; `None` on PostgreSQL and for a store
    /// attached to a live file, whose writes take the file's lock like any other process's.
    writer: Option<writer::Writer>,
}

/// SQLite connections besides the writer's, for migrations and checkpoints.
const MAINTENANCE: u32 = 1;

/// How many read-only connections to keep: reads are short, and the machine we size for has two
/// cores.
const READERS: u32 = 4;

impl Store {
    /// Opens (creating if missing) and migrates the database at `url` (`sqlite://path` or
    /// `postgres://user@host/db`) with the default options.
    pub async fn open(url: &str) -> StoreResult<Store> {
        Store::open_with(url, StoreOptions::default()).await
    }

    /// Opens and migrates the database at `url`.
    pub async fn open_with(url: &str, opts: StoreOptions) -> StoreResult<Store> {
        match Engine::of_url(url)? {
            Engine::Sqlite => Store::open_sqlite(url).await,
            Engine::Postgres => Store::open_postgres(url, opts, true).await,
        }
    }

    async fn open_sqlite(url: &str) -> StoreResult<Store> {
        let open_err = open_error(url);
        let options = connect_options(url)?
            .create_if_missing(true)
            .journal_mode(SqliteJournalMode::Wal)
            // NORMAL survives process crashes; only a power loss can roll back the last commits.
            .synchronous(SqliteSynchronous::Normal)
            .foreign_keys(true);
        let pool = SqlitePoolOptions::new()
            .max_connections(MAINTENANCE)
            .test_before_acquire(false)
            .connect_with(options.clone())
            .await
            .map_err(&open_err)?;
        sqlx::migrate!("./migrations/sqlite").run(&pool).await?;
        let reader = readers(options.clone(), READERS).await.map_err(&open_err)?;
        let writing = sqlx::ConnectOptions::connect(&options)
            .await
            .map_err(open_err)?;
        Ok(Store {
            pool: Pool::Sqlite(pool),
            reader: Pool::Sqlite(reader),
            options: Some(options),
            writer: Some(writer::Writer::start(writing)),
        })
    }

    /// Connects to PostgreSQL; `migrate` is false for a store attached to a live database.
    async fn open_postgres(url: &str, opts: StoreOptions, migrate: bool) -> StoreResult<Store> {
        let open_err = open_error(url);
        let timeout_ms = opts.statement_timeout.as_millis().to_string();
        let options = PgConnectOptions::from_str(url)
            .map_err(&open_err)?
            .application_name("studybot")
            .options([("statement_timeout", timeout_ms.as_str())]);
        let pool = PgPoolOptions::new()
            .max_connections(opts.max_connections.max(1))
            .acquire_timeout(Duration::from_secs(10))
            .connect_with(options)
            .await
            .map_err(open_err)?;
        if migrate {
            sqlx::migrate!("./migrations/postgres").run(&pool).await?;
        }
        Ok(Store {
            pool: Pool::Postgres(pool.clone()),
            reader: Pool::Postgres(pool),
            options: None,
            writer: None,
        })
    }

    pub fn engine(&self) -> Engine {
        match self.pool {
            Pool::Sqlite(_) => Engine::Sqlite,
            Pool::Postgres(_) => Engine::Postgres,
        }
    }

    /// Starts a read transaction on a reading connection: one consistent snapshot that never
    /// waits for the writer. It offers the same methods as a write transaction; a write through
    /// it fails (`query_only` on SQLite, `READ ONLY` on PostgreSQL). Commit or drop it to end it.
    pub async fn read(&self) -> StoreResult<Tx> {
        let conn = match &self.reader {
            Pool::Sqlite(p) => Conn::Sqlite(SqliteTx::Pool(p.begin().await?)),
            Pool::Postgres(p) => Conn::Postgres(
                p.begin_with("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
                    .await?,
            ),
        };
        Ok(Tx {
            conn,
            timer: TxTimer::default(),
        })
    }

    /// Starts a write transaction. Dropping the [`Tx`] without [`Tx::commit`] rolls it back.
    pub async fn begin(&self) -> StoreResult<Tx> {
        let asked = std::time::Instant::now();
        let conn = match (&self.writer, &self.pool) {
            (Some(w), _) => Conn::Sqlite(SqliteTx::Write(w.begin().await?)),
            (None, Pool::Sqlite(p)) => {
                Conn::Sqlite(SqliteTx::Pool(p.begin_with("BEGIN IMMEDIATE").await?))
            }
            (None, Pool::Postgres(p)) => Conn::Postgres(p.begin().await?),
        };
        metrics::histogram!(crate::ops::metrics::DB_BEGIN_SECONDS).record(asked.elapsed());
        Ok(Tx {
            conn,
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
        // On a reader: every command asks this first, and must not queue behind writes.
        Ok(on_pool!(&self.reader, |db| sqlx::query_as(
            "SELECT (SELECT u.lang FROM accounts a JOIN users u ON u.id = a.user_id
                     WHERE a.platform = $1 AND a.external_id = $2),
                    (SELECT lang FROM chats WHERE platform = $1 AND external_id = $3)",
        )
        .bind(platform)
        .bind(user)
        .bind(chat)
        .fetch_one(db)
        .await)?)
    }

    pub async fn close(&self) {
        if let Some(w) = &self.writer {
            w.close().await;
        }
        self.reader.close().await;
        self.pool.close().await;
    }
}

/// A pool of read-only connections to the same file (opened after the writer migrated it).
async fn readers(options: SqliteConnectOptions, n: u32) -> Result<SqlitePool, sqlx::Error> {
    SqlitePoolOptions::new()
        .max_connections(n)
        .test_before_acquire(false)
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

/// The options every SQLite connection shares: the URL and how long to wait for a lock.
fn connect_options(url: &str) -> StoreResult<SqliteConnectOptions> {
    Ok(SqliteConnectOptions::from_str(url)
        .map_err(open_error(url))?
        .busy_timeout(Duration::from_secs(10)))
}

/// A transaction on one engine; see [`on!`].
pub(crate) enum Conn {
    Sqlite(SqliteTx),
    Postgres(Transaction<'static, Postgres>),
}

/// A SQLite transaction: a use case's turn on the writing connection, or a transaction on a
/// pooled connection (reads, and writes of a store attached to a live file).
pub(crate) enum SqliteTx {
    Write(writer::Lease),
    Pool(Transaction<'static, Sqlite>),
}

impl std::ops::Deref for SqliteTx {
    type Target = sqlx::SqliteConnection;
    fn deref(&self) -> &sqlx::SqliteConnection {
        match self {
            SqliteTx::Write(l) => l,
            SqliteTx::Pool(t) => t,
        }
    }
}

impl std::ops::DerefMut for SqliteTx {
    fn deref_mut(&mut self) -> &mut sqlx::SqliteConnection {
        match self {
            SqliteTx::Write(l) => l,
            SqliteTx::Pool(t) => t,
        }
    }
}

/// What a statement changed, the same on both engines.
pub(crate) struct Done {
    rows: u64,
}

impl Done {
    pub(crate) fn rows_affected(&self) -> u64 {
        self.rows
    }
}

impl From<SqliteQueryResult> for Done {
    fn from(r: SqliteQueryResult) -> Done {
        Done {
            rows: r.rows_affected(),
        }
    }
}

impl From<PgQueryResult> for Done {
    fn from(r: PgQueryResult) -> Done {
        Done {
            rows: r.rows_affected(),
        }
    }
}

/// One transaction; the query methods live in the sibling modules, grouped by table.
pub struct Tx {
    conn: Conn,
    timer: TxTimer,
}

impl Tx {
    pub fn engine(&self) -> Engine {
        match self.conn {
            Conn::Sqlite(_) => Engine::Sqlite,
            Conn::Postgres(_) => Engine::Postgres,
        }
    }

    /// `FOR UPDATE OF alias SKIP LOCKED` on PostgreSQL, where instances share work by skipping
    /// rows another transaction holds; nothing on SQLite, whose writer is alone anyway.
    fn skip_locked(&self, alias: &str) -> String {
        match self.engine() {
            Engine::Sqlite => String::new(),
            Engine::Postgres => format!(" FOR UPDATE OF {alias} SKIP LOCKED"),
        }
    }

    pub async fn commit(self) -> StoreResult<()> {
        let Tx { conn, mut timer } = self;
        match conn {
            Conn::Sqlite(SqliteTx::Write(l)) => l.commit().await?,
            Conn::Sqlite(SqliteTx::Pool(t)) => t.commit().await?,
            Conn::Postgres(t) => t.commit().await?,
        }
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
