//! What the benches share: command-line numbers, fixed instants, an app on a real SQLite file
//! or, with `--postgres ADMIN_URL`, on a fresh PostgreSQL database dropped at the end.
#![allow(dead_code)]

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

#[path = "../../tests/support/engines.rs"]
mod engines;

/// The database of one bench run: a SQLite file in a scratch directory, or with
/// `--postgres ADMIN_URL` a fresh PostgreSQL database, dropped when this is dropped.
pub struct BenchDb {
    db: engines::TestDb,
    pub url: String,
    postgres: bool,
}

impl BenchDb {
    /// A fresh database named after `name` (the file name on SQLite).
    pub async fn new(name: &str) -> BenchDb {
        match arg_str("--postgres") {
            Some(admin) => {
                let (db, url) = engines::TestDb::postgres_at(&admin).await;
                BenchDb {
                    db,
                    url,
                    postgres: true,
                }
            }
            None => {
                let (db, _) = engines::TestDb::new(studybot::store::Engine::Sqlite).await;
                let url = format!(
                    "sqlite://{}",
                    db.path().join(format!("{name}.db")).display()
                );
                BenchDb {
                    db,
                    url,
                    postgres: false,
                }
            }
        }
    }

    pub fn is_postgres(&self) -> bool {
        self.postgres
    }

    /// One more app instance (its own store and pools) on this database.
    pub async fn app(&self) -> App {
        app_at(&self.url).await
    }
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

/// CPU seconds this process has used so far (user + system, from `/proc/self/stat`; 0 where
/// there is none). Its growth over a timed window divided by the window's length says how many
/// cores were busy: near 2 on this machine means CPU-bound, well below means waiting.
pub fn cpu_seconds() -> f64 {
    let Ok(stat) = std::fs::read_to_string("/proc/self/stat") else {
        return 0.0;
    };
    // Fields after the command name (which may hold spaces) start at the state, field 3.
    let rest = stat.rsplit_once(')').map_or("", |(_, r)| r);
    let fields: Vec<&str> = rest.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    // utime and stime are fields 14 and 15, in clock ticks of 1/100 s on Linux.
    (ticks(11) + ticks(12)) / 100.0
}

/// The `p`-th percentile (0–100) of sorted values.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let i = ((p / 100.0) * (sorted.len() - 1) as f64).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}
