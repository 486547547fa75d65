//! The same tests on both database engines: SQLite always; PostgreSQL when
//! `STUDYBOT_TEST_POSTGRES` names a server (an admin URL such as
//! `postgres://postgres@127.0.0.1:5432/postgres`), each test on a fresh database dropped after it.
//! The benches include this file too, for their `--postgres` databases.
#![allow(dead_code)]

use std::io::Write;
use std::path::Path;
use std::sync::Once;
use std::sync::atomic::{AtomicU32, Ordering};
use studybot::store::Engine;

/// The variable that enables the PostgreSQL runs.
pub const POSTGRES_VAR: &str = "STUDYBOT_TEST_POSTGRES";

tokio::task_local! {
    /// The engine `temp_store` opens, for the test running in this task.
    static ENGINE: Engine;
}

/// The engine the current test asked for (SQLite unless run by [`both_engines!`]'s PostgreSQL
/// half).
pub fn current() -> Engine {
    ENGINE.try_with(|e| *e).unwrap_or(Engine::Sqlite)
}

/// Runs `test` with `temp_store` on `engine`; on PostgreSQL without a configured server it says
/// so once (on the terminal, past the test harness's capture) and passes without running.
pub async fn run_on(engine: Engine, test: impl std::future::Future<Output = ()>) {
    if engine == Engine::Postgres && admin_url().is_none() {
        static SAID: Once = Once::new();
        SAID.call_once(|| {
            let _ = writeln!(
                std::io::stderr(),
                "note: PostgreSQL runs of the store tests skipped; set {POSTGRES_VAR}=postgres://postgres@127.0.0.1:5432/postgres to run them (.ci/run does)"
            );
        });
        return;
    }
    ENGINE.scope(engine, test).await
}

pub fn admin_url() -> Option<String> {
    std::env::var(POSTGRES_VAR)
        .ok()
        .filter(|v| !v.trim().is_empty())
}

/// A database of one test: its scratch directory, and on PostgreSQL the database to drop.
pub struct TestDb {
    pub dir: tempfile::TempDir,
    postgres: Option<(String, String)>,
}

impl TestDb {
    pub fn path(&self) -> &Path {
        self.dir.path()
    }

    /// A fresh database on `engine`: a file in a new directory, or a new PostgreSQL database.
    pub async fn new(engine: Engine) -> (TestDb, String) {
        let dir = tempfile::tempdir().unwrap();
        match engine {
            Engine::Sqlite => {
                let url = format!("sqlite://{}", dir.path().join("test.db").display());
                (
                    TestDb {
                        dir,
                        postgres: None,
                    },
                    url,
                )
            }
            Engine::Postgres => {
                let admin = admin_url().expect("STUDYBOT_TEST_POSTGRES is set");
                TestDb::postgres_at(&admin).await
            }
        }
    }

    /// A fresh PostgreSQL database created through the server URL `admin` (the benches pass
    /// theirs on the command line).
    pub async fn postgres_at(admin: &str) -> (TestDb, String) {
        let dir = tempfile::tempdir().unwrap();
        let name = fresh_name();
        admin_exec(admin, &format!("CREATE DATABASE {name}")).await;
        let mut url = url::Url::parse(admin).expect("the PostgreSQL admin URL is a URL");
        url.set_path(&name);
        let db = TestDb {
            dir,
            postgres: Some((admin.to_string(), name)),
        };
        (db, url.to_string())
    }
}

impl Drop for TestDb {
    fn drop(&mut self) {
        let Some((admin, name)) = self.postgres.take() else {
            return;
        };
        // Drop runs inside the test's runtime, which cannot be blocked on: a thread of its own.
        let _ = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap()
                .block_on(admin_exec(
                    &admin,
                    &format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"),
                ))
        })
        .join();
    }
}

/// A database name no other test process or test uses now.
fn fresh_name() -> String {
    static N: AtomicU32 = AtomicU32::new(0);
    format!(
        "studybot_test_{}_{}_{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed),
        chrono::Utc::now().timestamp_micros() % 1_000_000
    )
}

async fn admin_exec(admin: &str, sql: &str) {
    use sqlx::Connection;
    let mut c = sqlx::PgConnection::connect(admin)
        .await
        .unwrap_or_else(|e| panic!("cannot reach {POSTGRES_VAR}={admin}: {e}"));
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
        .execute(&mut c)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    let _ = c.close().await;
}

/// Defines each `async fn` once and runs it as two tests, `NAME::sqlite` and `NAME::postgres`;
/// its attributes (`#[tokio::test]` and its flavor, doc comments) go on both.
#[macro_export]
macro_rules! both_engines {
    ($( $(#[$test:meta])+ async fn $name:ident() $body:block )*) => {
        $(
            async fn $name() $body
            mod $name {
                $(#[$test])+
                async fn sqlite() {
                    $crate::support::engines::run_on(studybot::store::Engine::Sqlite, super::$name()).await
                }
                $(#[$test])+
                async fn postgres() {
                    $crate::support::engines::run_on(studybot::store::Engine::Postgres, super::$name()).await
                }
            }
        )*
    };
}

/// One number from a query, on whichever engine `url` names (for tests that look at rows).
pub async fn count(url: &str, sql: &str) -> i64 {
    let sql = sqlx::AssertSqlSafe(sql.to_string());
    if url.starts_with("postgres") {
        let db = sqlx::PgPool::connect(url).await.unwrap();
        let n = sqlx::query_scalar(sql).fetch_one(&db).await.unwrap();
        db.close().await;
        n
    } else {
        let db = sqlx::SqlitePool::connect(url).await.unwrap();
        let n = sqlx::query_scalar(sql).fetch_one(&db).await.unwrap();
        db.close().await;
        n
    }
}
