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
//! A single statement committed on its own (an event claim, a poll id, a push confirmation) is
//! run by the task itself, without lending the connection: one hand-off fewer per statement.
//!
//! What each caller still gets: its own use case is atomic (a failure or a dropped [`Lease`] rolls
//! back to its savepoint, and the others of the batch commit), isolated (use cases run one after
//! another, as before), and durable when [`Lease::commit`] returns `Ok`. A failed COMMIT fails
//! every use case of the batch, none of which had been told it was done; a crash loses only work
//! nobody had been told was done.

use super::{StoreError, StoreResult};
use sqlx::sqlite::{SqliteArguments, SqliteConnection};
use sqlx::{Connection, Executor};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{mpsc, oneshot};

/// Most use cases in one transaction: bounds the wait of the batch's first caller.
const MAX_BATCH: usize = 64;

/// Longest a use case waits for its turn before failing (as SQLite's busy timeout did): a stuck
/// holder, or a use case asking for a second write transaction while it holds one, fails the
/// waiter instead of hanging it.
const TURN_TIMEOUT: Duration = Duration::from_secs(30);

enum Request {
    /// A use case of several statements: lend it the connection, inside a savepoint of its own.
    Lease(oneshot::Sender<StoreResult<Lease>>),
    /// One statement, atomic by itself: the task runs it (no savepoint, no lending) and answers
    /// with the rows it changed once the batch has committed.
    Execute {
        sql: &'static str,
        args: SqliteArguments,
        reply: oneshot::Sender<StoreResult<u64>>,
    },
    Close(oneshot::Sender<()>),
}

/// Someone waiting for the batch's COMMIT.
enum Waiter {
    UseCase(oneshot::Sender<StoreResult<()>>),
    Statement(oneshot::Sender<StoreResult<u64>>, u64),
}

impl Waiter {
    fn tell(self, result: Result<(), &Arc<sqlx::Error>>) {
        let failed = |e: &Arc<sqlx::Error>| StoreError::Commit(e.clone());
        match self {
            Waiter::UseCase(w) => w.send(result.map_err(failed)).ok(),
            Waiter::Statement(w, rows) => w.send(result.map(|()| rows).map_err(failed)).ok(),
        };
    }
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
        let (reply, rx) = oneshot::channel();
        self.ask(Request::Lease(reply), rx).await
    }

    /// Runs one statement with the current batch; the rows it changed, once committed.
    pub(crate) async fn execute(
        &self,
        sql: &'static str,
        args: SqliteArguments,
    ) -> StoreResult<u64> {
        let (reply, rx) = oneshot::channel();
        self.ask(Request::Execute { sql, args, reply }, rx).await
    }

    async fn ask<T>(
        &self,
        request: Request,
        answer: oneshot::Receiver<StoreResult<T>>,
    ) -> StoreResult<T> {
        self.requests
            .send(request)
            .map_err(|_| StoreError::Closed)?;
        match tokio::time::timeout(TURN_TIMEOUT, answer).await {
            Ok(Ok(result)) => result,
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
    waiting: Vec<Waiter>,
}

impl Batch {
    /// The statements that end the last caller's savepoint and start the next caller's work.
    fn prefix(&self, savepoint: bool) -> String {
        let mut sql = String::new();
        if !self.open {
            sql.push_str("BEGIN IMMEDIATE;");
        }
        match self.savepoint {
            Savepoint::None => {}
            Savepoint::Release => sql.push_str("RELEASE member;"),
            Savepoint::RollBack => sql.push_str("ROLLBACK TO member; RELEASE member;"),
        }
        if savepoint {
            sql.push_str("SAVEPOINT member;");
        }
        sql
    }

    /// Opens the transaction if needed, ends the last caller's savepoint and opens the next
    /// one's. A failure here fails the whole open batch (its transaction is in an unknown state).
    async fn start(&mut self, conn: &mut SqliteConnection, savepoint: bool) -> StoreResult<()> {
        let prefix = self.prefix(savepoint);
        if !prefix.is_empty()
            && let Err(e) = conn
                .execute(sqlx::raw_sql(sqlx::AssertSqlSafe(prefix)))
                .await
        {
            if self.open {
                self.fail(conn, e).await;
                return Err(StoreError::Unexpected(
                    "the transaction this use case would have joined failed",
                ));
            }
            conn.execute("ROLLBACK").await.ok();
            return Err(e.into());
        }
        self.open = true;
        self.savepoint = Savepoint::None;
        Ok(())
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
        metrics::histogram!(crate::ops::metrics::DB_BATCH_SIZE).record(self.waiting.len() as f64);
        match conn.execute(sqlx::raw_sql(sql)).await {
            Ok(_) => {
                for w in self.waiting.drain(..) {
                    w.tell(Ok(()));
                }
                self.open = false;
                self.savepoint = Savepoint::None;
            }
            Err(e) => self.fail(conn, e).await,
        }
    }

    /// The transaction failed: roll back what is left and fail everyone who waited for it.
    async fn fail(&mut self, conn: &mut SqliteConnection, e: sqlx::Error) {
        tracing::error!(error = %e, use_cases = self.waiting.len(), "database: a group commit failed; none of its use cases was recorded");
        // The transaction may already be gone (SQLite rolls back by itself on some errors).
        conn.execute("ROLLBACK").await.ok();
        let e = Arc::new(e);
        for w in self.waiting.drain(..) {
            w.tell(Err(&e));
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
        let reply = match request {
            Some(Request::Lease(reply)) => reply,
            Some(Request::Execute { sql, args, reply }) => {
                execute(&mut conn, &mut batch, sql, args, reply).await;
                continue;
            }
            // Closed, or every handle gone: commit what is pending and stop.
            stop => {
                batch.commit(&mut conn).await;
                conn.close().await.ok();
                if let Some(Request::Close(done)) = stop {
                    done.send(()).ok();
                }
                return;
            }
        };
        if reply.is_closed() {
            continue; // the caller stopped waiting (timed out or cancelled)
        }
        if let Err(e) = batch.start(&mut conn, true).await {
            reply.send(Err(e)).ok();
            continue;
        }
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
                batch.waiting.push(Waiter::UseCase(done));
                batch.savepoint = Savepoint::Release;
            }
            Outcome::Rollback => batch.savepoint = Savepoint::RollBack,
        }
    }
}

/// One statement in the open batch. A failing statement undoes only itself (SQLite rolls back
/// the statement, not the transaction) and fails only its caller.
async fn execute(
    conn: &mut SqliteConnection,
    batch: &mut Batch,
    sql: &'static str,
    args: SqliteArguments,
    reply: oneshot::Sender<StoreResult<u64>>,
) {
    if let Err(e) = batch.start(conn, false).await {
        reply.send(Err(e)).ok();
        return;
    }
    match sqlx::query_with(sql, args).execute(&mut *conn).await {
        Ok(done) => batch
            .waiting
            .push(Waiter::Statement(reply, done.rows_affected())),
        // A constraint refusal undoes only this statement. Anything else (a full disk, an I/O
        // error) may have rolled back the whole transaction: fail the batch rather than let
        // later statements run outside it.
        Err(e) if is_constraint(&e) => {
            reply.send(Err(e.into())).ok();
        }
        Err(e) => {
            reply
                .send(Err(StoreError::Unexpected("a statement failed mid-batch")))
                .ok();
            batch.fail(conn, e).await;
        }
    }
}

fn is_constraint(e: &sqlx::Error) -> bool {
    matches!(e, sqlx::Error::Database(d) if !matches!(d.kind(), sqlx::error::ErrorKind::Other))
}
