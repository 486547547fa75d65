//! What the benches share: command-line numbers, fixed instants, an app on a real SQLite file.
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

/// The real app (real curriculum, migrated store) on the SQLite file `db`.
pub async fn app_on(db: &Path) -> App {
    let store = Store::open(&format!("sqlite://{}", db.display()))
        .await
        .unwrap();
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
