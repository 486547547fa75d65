//! What the benches share: command-line numbers, fixed instants, an app on a real SQLite file
//! or, with `--postgres ADMIN_URL`, on a fresh PostgreSQL database dropped at the end.
#![allow(dead_code)]

use sqlx::Connection;
use std::path::Path;
use std::sync::Arc;
use studybot::content::load_catalog;
use studybot::core::{App, SeededIds, Timezone};
use studybot::store::Store;

/// The number after `name` on the command line (`--n 2000`), else `default`.
pub fn arg(name: &str, default: usize) -> usize {
    let args: Vec<String> = std::env::args().collect();
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

pub fn utc(s: &str) -> chrono::DateTime<chrono::Utc> {
    chrono::DateTime::parse_from_rfc3339(s)
        .unwrap()
        .with_timezone(&chrono::Utc)
}

/// The text after `name` on the command line (`--postgres URL`), if given.
pub fn arg_str(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    let i = args.iter().position(|a| a == name)?;
    args.get(i + 1).cloned()
}

/// The database of one bench run: a SQLite file in a scratch directory, or with
/// `--postgres ADMIN_URL` a fresh PostgreSQL database, dropped when this is dropped.
pub struct BenchDb {
    _dir: tempfile::TempDir,
    pub url: String,
    postgres: Option<(String, String)>,
}

impl BenchDb {
    /// A fresh database named after `name` (the file name on SQLite).
    pub async fn new(name: &str) -> BenchDb {
        let dir = tempfile::tempdir().unwrap();
        let Some(admin) = arg_str("--postgres") else {
            let url = format!(
                "sqlite://{}",
                dir.path().join(format!("{name}.db")).display()
            );
            return BenchDb {
                _dir: dir,
                url,
                postgres: None,
            };
        };
        static N: std::sync::atomic::AtomicU32 = std::sync::atomic::AtomicU32::new(0);
        let n = N.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let db = format!("studybot_bench_{}_{n}", std::process::id());
        admin_exec(&admin, &format!("CREATE DATABASE {db}")).await;
        let mut url = url::Url::parse(&admin).expect("--postgres takes a URL");
        url.set_path(&db);
        BenchDb {
            _dir: dir,
            url: url.to_string(),
            postgres: Some((admin, db)),
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.postgres.is_some()
    }

    /// One more app instance (its own store and pools) on this database.
    pub async fn app(&self) -> App {
        app_at(&self.url).await
    }
}

impl Drop for BenchDb {
    fn drop(&mut self) {
        let Some((admin, db)) = self.postgres.take() else {
            return;
        };
        // Drop runs inside the bench's runtime, which cannot be blocked on: a thread of its own.
        let _ = std::thread::spawn(move || {
            tokio::runtime::Builder::new_current_thread()
                .enable_all()
                .build()
                .unwrap()
                .block_on(admin_exec(
                    &admin,
                    &format!("DROP DATABASE IF EXISTS {db} WITH (FORCE)"),
                ))
        })
        .join();
    }
}

async fn admin_exec(admin: &str, sql: &str) {
    let mut c = sqlx::PgConnection::connect(admin)
        .await
        .unwrap_or_else(|e| panic!("cannot reach --postgres {admin}: {e}"));
    sqlx::raw_sql(sqlx::AssertSqlSafe(sql.to_string()))
        .execute(&mut c)
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    let _ = c.close().await;
}

/// The real app (real curriculum, migrated store) on the SQLite file `db`.
pub async fn app_on(db: &Path) -> App {
    app_at(&format!("sqlite://{}", db.display())).await
}

/// The real app (real curriculum, migrated store) on the database at `url`.
pub async fn app_at(url: &str) -> App {
    let store = Store::open(url).await.unwrap();
    let content = Path::new(env!("CARGO_MANIFEST_DIR")).join("content");
    App::new(
        Arc::new(load_catalog(&content, true).unwrap()),
        store,
        Arc::new(SeededIds::new(7)),
        Timezone::UTC,
    )
}

/// The load average now (1, 5, 15 minutes), as printed with every measurement.
pub fn load_average() -> String {
    std::fs::read_to_string("/proc/loadavg")
        .map(|s| s.split_whitespace().take(3).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|_| "unknown".into())
}

/// The `p`-th percentile (0–100) of sorted values.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}
