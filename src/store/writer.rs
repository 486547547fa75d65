//! Group commit on SQLite: one task owns the file's one writing connection and lends it to one
//! use case at a time. Consecutive use cases share one database transaction, each inside a
//! savepoint of its own, and the transaction commits when nobody else is waiting to write (or
//! after [`MAX_BATCH`] of them); a use case's commit returns only once that COMMIT has.
//!
//! Why: a SQLite commit writes every page the transaction touched to the WAL, and under a burst
//! most of those pages (the same index leaves, the same table tail) are touched again by the
//! next use case; four connections taking turns at the lock also left it idle while waiters slept
//! in SQLite's busy handler. Measured in BENCHMARKS.md (issue 15, group commit).
//!
//! What each caller still gets: its own use case is atomic (a failure or a dropped [`Lease`] rolls
//! back to its savepoint, and the others of the batch commit), isolated (use cases run one after
//! another, as before), and durable when [`Lease::commit`] returns `Ok`. A failed COMMIT fails
//! every use case of the batch, none of which had been told it was done; a crash loses only work
//! nobody had been told was done.

use super::{StoreError, StoreResult};
use sqlx::sqlite::SqliteConnection;
use sqlx::{Connection, Executor};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};

/// Most use cases in one transaction: bounds the wait of the batch's first caller.
pub(crate) const MAX_BATCH: usize = 64;

/// Longest a use case waits for its turn before failing (as SQLite's busy timeout did): a stuck
/// holder, or a use case asking for a second write transaction while it holds one, fails the
/// waiter instead of hanging it.
const TURN_TIMEOUT: Duration = Duration::from_secs(30);

/// What a caller will do with the connection.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A use case of several statements, inside a savepoint of its own.
    Savepoint,
    /// One statement, atomic by itself: no savepoint needed.
    Single,
}

enum Request {
    Lease {
        kind: Kind,
        reply: oneshot::Sender<StoreResult<Lease>>,
    },
    Close(oneshot::Sender<()>),
}

/// How a caller gave the connection back.
enum Outcome {
    /// Done: tell me when the batch has committed.
    Commit(oneshot::Sender<StoreResult<()>>),
    /// Failed or dropped: undo my savepoint.
    Rollback,
}

struct Returned {
    conn: SqliteConnection,
    outcome: Outcome,
}

/// A handle to the writing task; cheap to clone. The task ends when every handle is gone or
/// [`Writer::close`] is called.
#[derive(Clone, Debug)]
pub(crate) struct Writer {
    requests: mpsc::UnboundedSender<Request>,
}

impl Writer {
    /// Starts the writing task on `conn`, an open connection to the file.
    pub(crate) fn start(conn: SqliteConnection) -> Writer {
        let (requests, rx) = mpsc::unbounded_channel();
        tokio::spawn(run(conn, rx));
        Writer { requests }
    }

    /// The connection for a use case of several statements, inside its own savepoint.
    pub(crate) async fn begin(&self) -> StoreResult<Lease> {
        self.lease(Kind::Savepoint).await
    }

    /// The connection for one statement that commits with the current batch.
    pub(crate) async fn single(&self) -> StoreResult<Lease> {
        self.lease(Kind::Single).await
    }

    async fn lease(&self, kind: Kind) -> StoreResult<Lease> {
        let (reply, rx) = oneshot::channel();
        self.requests
            .send(Request::Lease { kind, reply })
            .map_err(|_| StoreError::Closed)?;
        match tokio::time::timeout(TURN_TIMEOUT, rx).await {
            Ok(Ok(lease)) => lease,
            Ok(Err(_)) => Err(StoreError::Closed),
            Err(_) => Err(StoreError::Busy(TURN_TIMEOUT)),
        }
    }

    /// Commits what is pending, closes the connection and ends the task.
    pub(crate) async fn close(&self) {
        let (done, rx) = oneshot::channel();
        if self.requests.send(Request::Close(done)).is_ok() {
            rx.await.ok();
        }
    }
}

/// The writing connection, lent to one caller. Dropping it without [`Lease::commit`] rolls the
/// caller's work back.
pub(crate) struct Lease {
    conn: Option<SqliteConnection>,
    back: Option<oneshot::Sender<Returned>>,
}

impl Lease {
    /// Gives the connection back and waits until the batch holding this work has committed.
    pub(crate) async fn commit(mut self) -> StoreResult<()> {
        let (done, rx) = oneshot::channel();
        self.give_back(Outcome::Commit(done));
        rx.await.map_err(|_| StoreError::Closed)?
    }

    fn give_back(&mut self, outcome: Outcome) {
        if let (Some(conn), Some(back)) = (self.conn.take(), self.back.take()) {
            // The task waits for it; if the task is gone, so is the connection, which is fine.
            back.send(Returned { conn, outcome }).ok();
        }
    }
}

impl Drop for Lease {
    fn drop(&mut self) {
        self.give_back(Outcome::Rollback);
    }
}

impl std::ops::Deref for Lease {
    type Target = SqliteConnection;
    fn deref(&self) -> &SqliteConnection {
        self.conn
            .as_ref()
            .expect("a lease holds its connection until it ends")
    }
}

impl std::ops::DerefMut for Lease {
    fn deref_mut(&mut self) -> &mut SqliteConnection {
        self.conn
            .as_mut()
            .expect("a lease holds its connection until it ends")
    }
}

/// What the open transaction still has to do about the last caller's savepoint.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Savepoint {
    None,
    Release,
    RollBack,
}

/// The open batch: whether a transaction is open, its savepoint, and who waits for its COMMIT.
struct Batch {
    open: bool,
    savepoint: Savepoint,
    waiting: Vec<oneshot::Sender<StoreResult<()>>>,
}

impl Batch {
    /// The statements that end the last caller's savepoint and start the next caller's work.
    fn prefix(&self, kind: Kind) -> String {
        let mut sql = String::new();
        if !self.open {
            sql.push_str("BEGIN IMMEDIATE;");
        }
        match self.savepoint {
            Savepoint::None => {}
            Savepoint::Release => sql.push_str("RELEASE member;"),
            Savepoint::RollBack => sql.push_str("ROLLBACK TO member; RELEASE member;"),
        }
        if kind == Kind::Savepoint {
            sql.push_str("SAVEPOINT member;");
        }
        sql
    }

    /// Commits the open transaction (if any) and tells everyone waiting how it went.
    async fn commit(&mut self, conn: &mut SqliteConnection) {
        if !self.open {
            return;
        }
        let sql = match self.savepoint {
            Savepoint::RollBack => "ROLLBACK TO member; COMMIT",
            _ => "COMMIT",
        };
        let result = conn.execute(sqlx::raw_sql(sql)).await;
        let waiting = std::mem::take(&mut self.waiting);
        metrics::histogram!(crate::ops::metrics::DB_BATCH_SIZE).record(waiting.len() as f64);
        match result {
            Ok(_) => {
                for w in waiting {
                    w.send(Ok(())).ok();
                }
            }
            Err(e) => self.fail(conn, e, waiting).await,
        }
        self.open = false;
        self.savepoint = Savepoint::None;
    }

    /// The transaction failed: roll back what is left and fail everyone who waited for it.
    async fn fail(
        &mut self,
        conn: &mut SqliteConnection,
        e: sqlx::Error,
        waiting: Vec<oneshot::Sender<StoreResult<()>>>,
    ) {
        tracing::error!(error = %e, use_cases = waiting.len(), "database: a group commit failed; none of its use cases was recorded");
        // The transaction may already be gone (SQLite rolls back by itself on some errors).
        conn.execute("ROLLBACK").await.ok();
        let e = Arc::new(e);
        for w in waiting {
            w.send(Err(StoreError::Commit(e.clone()))).ok();
        }
        self.open = false;
        self.savepoint = Savepoint::None;
    }
}

/// The writing task: lends the connection to each request in turn and commits when the queue
/// runs dry or the batch is full.
async fn run(mut conn: SqliteConnection, mut requests: mpsc::UnboundedReceiver<Request>) {
    let mut batch = Batch {
        open: false,
        savepoint: Savepoint::None,
        waiting: Vec::new(),
    };
    loop {
        if batch.open && batch.waiting.len() >= MAX_BATCH {
            batch.commit(&mut conn).await;
        }
        let request = if batch.open {
            match requests.try_recv() {
                Ok(r) => Some(r),
                Err(mpsc::error::TryRecvError::Empty) => {
                    batch.commit(&mut conn).await;
                    continue;
                }
                Err(mpsc::error::TryRecvError::Disconnected) => None,
            }
        } else {
            requests.recv().await
        };
        let (kind, reply) = match request {
            Some(Request::Lease { kind, reply }) => (kind, reply),
            Some(Request::Close(done)) => {
                batch.commit(&mut conn).await;
                conn.close().await.ok();
                done.send(()).ok();
                return;
            }
            None => {
                batch.commit(&mut conn).await;
                conn.close().await.ok();
                return;
            }
        };
        if reply.is_closed() {
            continue; // the caller stopped waiting (timed out or cancelled)
        }
        let prefix = batch.prefix(kind);
        if !prefix.is_empty()
            && let Err(e) = conn
                .execute(sqlx::raw_sql(sqlx::AssertSqlSafe(prefix)))
                .await
        {
            let waiting = std::mem::take(&mut batch.waiting);
            if batch.open {
                batch.fail(&mut conn, e, waiting).await;
                reply
                    .send(Err(StoreError::Unexpected(
                        "the transaction this use case would have joined failed",
                    )))
                    .ok();
            } else {
                conn.execute("ROLLBACK").await.ok();
                reply.send(Err(e.into())).ok();
            }
            continue;
        }
        batch.open = true;
        batch.savepoint = Savepoint::None;
        let (back, returned) = oneshot::channel();
        let lease = Lease {
            conn: Some(conn),
            back: Some(back),
        };
        // A caller gone meanwhile drops the lease, which sends the connection straight back.
        reply.send(Ok(lease)).ok();
        let Ok(Returned { conn: c, outcome }) = returned.await else {
            // Unreachable: a lease always sends its connection back when it ends.
            tracing::error!("database: the writing connection was lost; writes stop");
            return;
        };
        conn = c;
        match outcome {
            Outcome::Commit(done) => {
                batch.waiting.push(done);
                if kind == Kind::Savepoint {
                    batch.savepoint = Savepoint::Release;
                }
            }
            Outcome::Rollback if kind == Kind::Savepoint => batch.savepoint = Savepoint::RollBack,
            Outcome::Rollback => {}
        }
    }
}
