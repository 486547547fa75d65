//! Whole-database operations for admins: a liveness query, online backups, WAL checkpoints.

use super::{
    Done, Engine, Pool, Store, StoreError, StoreOptions, StoreResult, connect_options, open_error,
};
use sqlx::Connection;
use sqlx::sqlite::{SqliteConnection, SqlitePoolOptions};
use std::path::Path;

#[derive(Debug, thiserror::Error)]
pub enum BackupError {
    #[error("{0} exists; pass --force to overwrite it")]
    Exists(String),
    #[error("cannot replace {path}: {reason}")]
    Replace {
        path: String,
        reason: std::io::Error,
    },
    #[error("the backup path {0} is not valid UTF-8")]
    Path(String),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What a WAL checkpoint did, in pages.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Checkpoint {
    /// Whether a reader or writer kept the checkpoint from finishing.
    pub busy: bool,
    pub wal_pages: i64,
    pub checkpointed: i64,
}

impl Store {
    /// Opens an existing database without creating or migrating it: for backups taken from
    /// another process while the bot runs (a newer binary must not migrate a live file).
    pub async fn attach(url: &str) -> StoreResult<Store> {
        if Engine::of_url(url)? == Engine::Postgres {
            return Store::open_postgres(url, StoreOptions::default(), false).await;
        }
        let options = connect_options(url)?.create_if_missing(false);
        let pool = SqlitePoolOptions::new()
            .max_connections(1)
            .connect_with(options.clone())
            .await
            .map_err(open_error(url))?;
        let reader = super::readers(options.clone(), 1)
            .await
            .map_err(open_error(url))?;
        Ok(Store {
            pool: Pool::Sqlite(pool),
            reader: Pool::Sqlite(reader),
            options: Some(options),
            writer: None,
        })
    }

    /// A trivial query, for health checks.
    pub async fn ping(&self) -> StoreResult<()> {
        on_pool!(&self.reader, |db| sqlx::query("SELECT 1")
            .execute(db)
            .await
            .map(Done::from))?;
        Ok(())
    }

    /// A consistent copy of the live database in `path` (`VACUUM INTO`: one read transaction,
    /// so it holds everything committed before it started and nothing half-written). Writers go
    /// on meanwhile. An existing file is kept unless `force`.
    pub async fn backup_into(&self, path: &Path, force: bool) -> Result<u64, BackupError> {
        let Some(options) = &self.options else {
            return Err(StoreError::SqliteOnly("backup").into());
        };
        let shown = path.display().to_string();
        let target = path
            .to_str()
            .ok_or_else(|| BackupError::Path(shown.clone()))?;
        if path.exists() {
            if !force {
                return Err(BackupError::Exists(shown));
            }
            // VACUUM INTO refuses a non-empty file.
            std::fs::remove_file(path).map_err(|reason| BackupError::Replace {
                path: shown.clone(),
                reason,
            })?;
        }
        // On a connection of its own: a long copy must not hold a writing connection, and
        // the reading ones are `query_only`, which refuses `VACUUM INTO`.
        let mut conn = SqliteConnection::connect_with(options)
            .await
            .map_err(StoreError::from)?;
        sqlx::query("VACUUM INTO ?")
            .bind(target)
            .execute(&mut conn)
            .await
            .map_err(StoreError::from)?;
        conn.close().await.map_err(StoreError::from)?;
        Ok(std::fs::metadata(path).map(|m| m.len()).unwrap_or(0))
    }

    /// Copies the WAL back into the database file and truncates it, so the file alone is
    /// complete (for a shutdown, or before copying the file).
    pub async fn checkpoint(&self) -> StoreResult<Checkpoint> {
        let Pool::Sqlite(pool) = &self.pool else {
            return Err(StoreError::SqliteOnly("a WAL checkpoint"));
        };
        let (busy, wal_pages, checkpointed): (i64, i64, i64) =
            sqlx::query_as("PRAGMA wal_checkpoint(TRUNCATE)")
                .fetch_one(pool)
                .await?;
        Ok(Checkpoint {
            busy: busy != 0,
            wal_pages,
            checkpointed,
        })
    }

    /// Quiz rounds running now, in every chat.
    pub async fn running_round_count(&self) -> StoreResult<i64> {
        let (n,): (i64,) = on_pool!(&self.reader, |db| sqlx::query_as(
            "SELECT COUNT(*) FROM rounds WHERE state = 'running'"
        )
        .fetch_one(db)
        .await)?;
        Ok(n)
    }
}
