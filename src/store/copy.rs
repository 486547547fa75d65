//! `studybot store copy`: every table of one database into an empty database of either engine,
//! so a group that outgrows SQLite moves to PostgreSQL (or back) without losing a streak.
//!
//! Both ends are opened with [`Store::open`], which migrates them to this binary's schema, so
//! their tables and columns are the same; only the column types differ (a SQLite time is text,
//! a PostgreSQL one TIMESTAMPTZ). Each value is read into the Rust type the store itself binds
//! for that column, and sqlx encodes it for the target as the store would have written it.
//!
//! The source is read in one snapshot; the target is written in one transaction, checked (row
//! counts) before it commits: a failed copy leaves the target as empty as it was.

use super::{Engine, Store, StoreError, Tx};
use chrono::{DateTime, NaiveDate, Utc};
use futures::TryStreamExt;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{AssertSqlSafe, QueryBuilder, Row};
use std::collections::BTreeSet;

/// Every table, parents before the tables that refer to them, so each foreign key finds its row
/// (the test `every_table_is_copied_after_the_tables_it_refers_to` checks this against the
/// schema, and a copy refuses a database with a table missing here).
pub const TABLES: [&str; 23] = [
    "users",
    "chats",
    "decks",
    "deck_questions",
    "chat_topics",
    "quizzes",
    "answers",
    "subscriptions",
    "pushes",
    "events",
    "review_cards",
    "review_log",
    "review_quizzes",
    "review_reminders",
    "review_reminder_days",
    "topic_status",
    "rounds",
    "round_questions",
    "round_answers",
    "reports",
    "accounts",
    "link_codes",
    "link_failures",
];

/// Foreign keys that point forward in [`TABLES`] (`chats.deck_id` → `decks`, while
/// `decks.chat_id` → `chats`): inserted as NULL, then set by `id` once every table is in.
pub const DEFERRED: [(&str, &str); 1] = [("chats", "deck_id")];

/// Bound values per INSERT, below SQLite's (32 766) and PostgreSQL's (65 535) limits.
const PARAMS_PER_INSERT: usize = 10_000;

#[derive(Debug, thiserror::Error)]
pub enum CopyError {
    #[error(
        "the {role} URL {url:?} names no engine studybot knows: use sqlite://FILE or postgres://USER@HOST/DB"
    )]
    UnknownEngine { role: &'static str, url: String },
    /// Opening would create an empty file and copy nothing.
    #[error("the source database {0} does not exist")]
    SourceMissing(String),
    #[error("cannot connect to the {role} database {url}: {reason}")]
    Connect {
        role: &'static str,
        url: String,
        reason: sqlx::Error,
    },
    #[error(
        "the {role} database {url} has schema version {version}, which this studybot does not know (a newer studybot wrote it): copy with that version"
    )]
    NewerSchema {
        role: &'static str,
        url: String,
        version: i64,
    },
    #[error("cannot open the {role} database {url}: {error}")]
    Open {
        role: &'static str,
        url: String,
        error: StoreError,
    },
    #[error(
        "schema versions differ: the source is at version {source_version}, the target at {target_version}"
    )]
    SchemaVersions {
        source_version: i64,
        target_version: i64,
    },
    #[error(
        "the target database is not empty: table {table} has {rows} row(s); copy into an empty database (a new SQLite file, or a new PostgreSQL database from createdb)"
    )]
    TargetNotEmpty { table: String, rows: i64 },
    /// A table this module does not list (a migration added it): copying without it would lose
    /// its rows.
    #[error(
        "the {role} database has a table {table} that store copy does not know; add it to store::copy::TABLES"
    )]
    UnknownTable { role: &'static str, table: String },
    #[error("the {role} database has no table {table}")]
    MissingTable { role: &'static str, table: String },
    #[error("column {table}.{column} has type {ty}, which store copy cannot carry")]
    ColumnType {
        table: String,
        column: String,
        ty: String,
    },
    #[error("copying {table}: {reason}")]
    Table { table: String, reason: sqlx::Error },
    #[error(
        "table {table} has {in_source} row(s) in the source but {in_target} in the target; nothing was committed"
    )]
    CountMismatch {
        table: String,
        in_source: i64,
        in_target: i64,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("database error: {0}")]
    Sql(#[from] sqlx::Error),
}

/// What a copy moved: rows per table, in copy order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CopyReport {
    pub from: Engine,
    pub to: Engine,
    pub tables: Vec<(&'static str, i64)>,
}

impl CopyReport {
    pub fn total(&self) -> i64 {
        self.tables.iter().map(|(_, n)| n).sum()
    }
}

/// `url` with any password replaced, for messages.
pub fn redacted(url: &str) -> String {
    match url::Url::parse(url) {
        Ok(mut parsed) if parsed.password().is_some() => {
            let _ = parsed.set_password(Some("redacted"));
            parsed.to_string()
        }
        _ => url.to_string(),
    }
}

/// Copies every table of the database at `from` into the empty database at `to` (either engine
/// each, created and migrated if new), checking that every table has as many rows in both.
pub async fn copy_database(from: &str, to: &str) -> Result<CopyReport, CopyError> {
    let engine = |url: &str, role| {
        Engine::of_url(url).map_err(|_| CopyError::UnknownEngine {
            role,
            url: redacted(url),
        })
    };
    if engine(from, "source")? == Engine::Sqlite {
        let options = super::connect_options(from).map_err(|e| open_error(e, "source", from))?;
        if !options.get_filename().exists() {
            return Err(CopyError::SourceMissing(redacted(from)));
        }
    }
    engine(to, "target")?;
    let source = Store::open(from)
        .await
        .map_err(|e| open_error(e, "source", from))?;
    let target = match Store::open(to).await {
        Ok(t) => t,
        Err(e) => {
            source.close().await;
            return Err(open_error(e, "target", to));
        }
    };
    let copied = copy_between(&source, &target).await;
    source.close().await;
    target.close().await;
    copied
}

fn open_error(e: StoreError, role: &'static str, url: &str) -> CopyError {
    let url = redacted(url);
    match e {
        StoreError::Open { reason, .. } => CopyError::Connect { role, url, reason },
        StoreError::Migrate(sqlx::migrate::MigrateError::VersionMissing(version)) => {
            CopyError::NewerSchema { role, url, version }
        }
        StoreError::UnknownEngine(_) => CopyError::UnknownEngine { role, url },
        error => CopyError::Open { role, url, error },
    }
}

async fn copy_between(source: &Store, target: &Store) -> Result<CopyReport, CopyError> {
    let (source_version, target_version) =
        (schema_version(source).await?, schema_version(target).await?);
    if source_version != target_version {
        return Err(CopyError::SchemaVersions {
            source_version,
            target_version,
        });
    }
    for (store, role) in [(source, "source"), (target, "target")] {
        check_tables(store, role).await?;
    }
    // Read before the target transaction starts: on SQLite it holds the one writing connection.
    let mut plan = Vec::new();
    for table in TABLES {
        plan.push((table, columns(source, target, table).await?));
    }
    let mut src = source.read().await?;
    let mut dst = target.begin().await?;
    for table in TABLES {
        let rows = count(&mut dst, table).await?;
        if rows > 0 {
            return Err(CopyError::TargetNotEmpty {
                table: table.to_string(),
                rows,
            });
        }
    }
    let mut later = Vec::new();
    for (table, columns) in plan {
        copy_table(&mut src, &mut dst, table, &columns, &mut later)
            .await
            .map_err(|reason| CopyError::Table {
                table: table.to_string(),
                reason,
            })?;
    }
    for (table, column, id, value) in later {
        let sql = format!("UPDATE \"{table}\" SET \"{column}\" = $1 WHERE id = $2");
        on!(dst, |c| {
            let q = sqlx::query(AssertSqlSafe(sql));
            bind!(q.bind, value).bind(id).execute(&mut *c).await?;
        });
    }
    if target.engine() == Engine::Postgres {
        reset_identities(&mut dst).await?;
    }
    let mut report = Vec::new();
    for table in TABLES {
        let (in_source, in_target) = (count(&mut src, table).await?, count(&mut dst, table).await?);
        if in_source != in_target {
            return Err(CopyError::CountMismatch {
                table: table.to_string(),
                in_source,
                in_target,
            });
        }
        report.push((table, in_target));
    }
    dst.commit().await?;
    src.commit().await?;
    Ok(CopyReport {
        from: source.engine(),
        to: target.engine(),
        tables: report,
    })
}

/// The newest migration applied (both ends were just migrated by this binary, so they differ
/// only if one had migrations this binary does not know and sqlx let it through).
async fn schema_version(store: &Store) -> Result<i64, sqlx::Error> {
    let sql = "SELECT COALESCE(MAX(version), 0) FROM _sqlx_migrations WHERE success";
    on_pool!(&store.pool, |db| sqlx::query_scalar(sql)
        .fetch_one(db)
        .await)
}

/// Refuses a database whose tables are not exactly [`TABLES`].
async fn check_tables(store: &Store, role: &'static str) -> Result<(), CopyError> {
    let names: Vec<String> =
        on_pool!(&store.pool, |db| sqlx::query_scalar(match store.engine() {
            Engine::Sqlite => {
                "SELECT name FROM sqlite_master WHERE type = 'table'
             AND name NOT LIKE 'sqlite_%' AND name <> '_sqlx_migrations'"
            }
            Engine::Postgres => {
                "SELECT table_name::text FROM information_schema.tables
             WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'
             AND table_name <> '_sqlx_migrations'"
            }
        })
        .fetch_all(db)
        .await)?;
    let have: BTreeSet<&str> = names.iter().map(String::as_str).collect();
    if let Some(t) = have.iter().find(|t| !TABLES.contains(t)) {
        return Err(CopyError::UnknownTable {
            role,
            table: t.to_string(),
        });
    }
    if let Some(t) = TABLES.iter().find(|t| !have.contains(*t)) {
        return Err(CopyError::MissingTable {
            role,
            table: t.to_string(),
        });
    }
    Ok(())
}

async fn count(tx: &mut Tx, table: &str) -> Result<i64, sqlx::Error> {
    let sql = format!("SELECT COUNT(*) FROM \"{table}\"");
    on!(tx, |c| sqlx::query_scalar(AssertSqlSafe(sql))
        .fetch_one(&mut *c)
        .await)
}

/// The Rust type a column's values travel as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Int,
    Real,
    Text,
    Bool,
    Time,
    Date,
    Bytes,
}

/// One value, typed even when NULL: PostgreSQL refuses a NULL bound as the wrong type.
#[derive(Debug, Clone)]
enum Value {
    Int(Option<i64>),
    Real(Option<f64>),
    Text(Option<String>),
    Bool(Option<bool>),
    Time(Option<DateTime<Utc>>),
    Date(Option<NaiveDate>),
    Bytes(Option<Vec<u8>>),
}

impl Value {
    fn is_null(&self) -> bool {
        match self {
            Value::Int(v) => v.is_none(),
            Value::Real(v) => v.is_none(),
            Value::Text(v) => v.is_none(),
            Value::Bool(v) => v.is_none(),
            Value::Time(v) => v.is_none(),
            Value::Date(v) => v.is_none(),
            Value::Bytes(v) => v.is_none(),
        }
    }

    fn null(kind: Kind) -> Value {
        match kind {
            Kind::Int => Value::Int(None),
            Kind::Real => Value::Real(None),
            Kind::Text => Value::Text(None),
            Kind::Bool => Value::Bool(None),
            Kind::Time => Value::Time(None),
            Kind::Date => Value::Date(None),
            Kind::Bytes => Value::Bytes(None),
        }
    }
}

/// Binds a [`Value`] with `$recv.$method(x)` (a query's `bind`, a builder's `push_bind`).
macro_rules! bind {
    ($recv:ident . $method:ident, $value:expr) => {
        match $value {
            Value::Int(x) => $recv.$method(x),
            Value::Real(x) => $recv.$method(x),
            Value::Text(x) => $recv.$method(x),
            Value::Bool(x) => $recv.$method(x),
            Value::Time(x) => $recv.$method(x),
            Value::Date(x) => $recv.$method(x),
            Value::Bytes(x) => $recv.$method(x),
        }
    };
}
use bind;

/// Reads a column of a row of either engine as `kind`.
trait Read {
    fn value(&self, i: usize, kind: Kind) -> Result<Value, sqlx::Error>;
}

macro_rules! impl_read {
    ($row:ty) => {
        impl Read for $row {
            fn value(&self, i: usize, kind: Kind) -> Result<Value, sqlx::Error> {
                Ok(match kind {
                    Kind::Int => Value::Int(self.try_get(i)?),
                    Kind::Real => Value::Real(self.try_get(i)?),
                    Kind::Text => Value::Text(self.try_get(i)?),
                    Kind::Bool => Value::Bool(self.try_get(i)?),
                    Kind::Time => Value::Time(self.try_get(i)?),
                    Kind::Date => Value::Date(self.try_get(i)?),
                    Kind::Bytes => Value::Bytes(self.try_get(i)?),
                })
            }
        }
    };
}
impl_read!(SqliteRow);
impl_read!(PgRow);

/// A table's columns (the target's order) and the type each travels as: PostgreSQL's type when
/// either end is PostgreSQL (SQLite's declared types cannot tell a time from other text), else
/// SQLite's declared type, which copies each value as SQLite stored it.
async fn columns(
    source: &Store,
    target: &Store,
    table: &str,
) -> Result<Vec<(String, Kind)>, CopyError> {
    let typed = if source.engine() == Engine::Postgres && target.engine() == Engine::Sqlite {
        source
    } else {
        target
    };
    let names = column_types(target, table).await?;
    let types = column_types(typed, table).await?;
    names
        .into_iter()
        .map(|(name, _)| {
            let ty = types
                .iter()
                .find(|(n, _)| *n == name)
                .map(|(_, t)| t.as_str())
                .unwrap_or("(missing)");
            let kind = match (typed.engine(), ty.to_ascii_lowercase().as_str()) {
                (Engine::Sqlite, "integer") | (Engine::Postgres, "bigint") => Kind::Int,
                (Engine::Sqlite, "real") | (Engine::Postgres, "double precision") => Kind::Real,
                (Engine::Sqlite, "blob") | (Engine::Postgres, "bytea") => Kind::Bytes,
                (_, "text") => Kind::Text,
                (Engine::Postgres, "boolean") => Kind::Bool,
                (Engine::Postgres, "timestamp with time zone") => Kind::Time,
                (Engine::Postgres, "date") => Kind::Date,
                _ => {
                    return Err(CopyError::ColumnType {
                        table: table.to_string(),
                        column: name,
                        ty: ty.to_string(),
                    });
                }
            };
            Ok((name, kind))
        })
        .collect()
}

/// `(column, declared type)` in column order.
async fn column_types(store: &Store, table: &str) -> Result<Vec<(String, String)>, sqlx::Error> {
    on_pool!(&store.pool, |db| sqlx::query_as(match store.engine() {
        Engine::Sqlite => "SELECT name, type FROM pragma_table_info($1) ORDER BY cid",
        Engine::Postgres =>
            "SELECT column_name::text, data_type::text FROM information_schema.columns
             WHERE table_schema = current_schema() AND table_name = $1 ORDER BY ordinal_position",
    })
    .bind(table)
    .fetch_all(db)
    .await)
}

/// A forward foreign key to set once every table is in: table, column, row id, value.
type Later = (&'static str, &'static str, i64, Value);

/// Streams `table` from the source snapshot into the target transaction in batches.
async fn copy_table(
    src: &mut Tx,
    dst: &mut Tx,
    table: &'static str,
    columns: &[(String, Kind)],
    later: &mut Vec<Later>,
) -> Result<(), sqlx::Error> {
    let list = columns
        .iter()
        .map(|(c, _)| format!("\"{c}\""))
        .collect::<Vec<_>>()
        .join(", ");
    let select = format!("SELECT {list} FROM \"{table}\"");
    let insert = format!("INSERT INTO \"{table}\" ({list}) ");
    let per_batch = (PARAMS_PER_INSERT / columns.len().max(1)).max(1);
    let id = columns.iter().position(|(c, _)| c == "id");
    let deferred: Vec<(usize, &'static str)> = DEFERRED
        .iter()
        .filter(|(t, _)| *t == table)
        .filter_map(|(_, col)| Some((columns.iter().position(|(c, _)| c == col)?, *col)))
        .collect();
    let mut batch: Vec<Vec<Value>> = Vec::with_capacity(per_batch);
    on!(src, |c| {
        let mut rows = sqlx::query(AssertSqlSafe(select)).fetch(&mut *c);
        while let Some(row) = rows.try_next().await? {
            let mut values = columns
                .iter()
                .enumerate()
                .map(|(i, (_, kind))| row.value(i, *kind))
                .collect::<Result<Vec<_>, _>>()?;
            for &(i, column) in &deferred {
                if values[i].is_null() {
                    continue;
                }
                let Some(Value::Int(Some(row_id))) = id.map(|id| values[id].clone()) else {
                    return Err(sqlx::Error::Protocol(format!(
                        "{table}.{column} is set later by id, but {table} has no integer id"
                    )));
                };
                let value = std::mem::replace(&mut values[i], Value::null(columns[i].1));
                later.push((table, column, row_id, value));
            }
            batch.push(values);
            if batch.len() == per_batch {
                insert_batch(dst, &insert, std::mem::take(&mut batch)).await?;
            }
        }
    });
    if !batch.is_empty() {
        insert_batch(dst, &insert, batch).await?;
    }
    Ok(())
}

async fn insert_batch(
    dst: &mut Tx,
    insert: &str,
    rows: Vec<Vec<Value>>,
) -> Result<(), sqlx::Error> {
    on!(dst, |c| {
        let mut q = QueryBuilder::new(insert);
        q.push_values(rows, |mut b, row| {
            for v in row {
                bind!(b.push_bind, v);
            }
        });
        q.build().execute(&mut *c).await?;
    });
    Ok(())
}

/// Moves each identity sequence past the copied ids, so the next row PostgreSQL numbers gets a
/// fresh id instead of colliding with a copied one.
async fn reset_identities(dst: &mut Tx) -> Result<(), sqlx::Error> {
    let super::Conn::Postgres(c) = &mut dst.conn else {
        return Ok(());
    };
    let identities: Vec<(String, String)> = sqlx::query_as(
        "SELECT table_name::text, column_name::text FROM information_schema.columns
         WHERE table_schema = current_schema() AND is_identity = 'YES'",
    )
    .fetch_all(&mut **c)
    .await?;
    for (table, column) in identities {
        let sql = format!(
            "SELECT setval(pg_get_serial_sequence($1, $2), COALESCE(MAX(\"{column}\"), 1),
                           MAX(\"{column}\") IS NOT NULL) FROM \"{table}\""
        );
        sqlx::query(AssertSqlSafe(sql))
            .bind(&table)
            .bind(&column)
            .execute(&mut **c)
            .await?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Every table of the schema is in [`TABLES`], after every table it refers to, except the
    /// foreign keys in [`DEFERRED`].
    #[tokio::test]
    async fn every_table_is_copied_after_the_tables_it_refers_to() {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}", dir.path().join("schema.db").display());
        let store = Store::open(&url).await.unwrap();
        check_tables(&store, "test").await.unwrap();
        let super::super::Pool::Sqlite(pool) = &store.pool else {
            unreachable!()
        };
        for (i, table) in TABLES.iter().enumerate() {
            let keys: Vec<(String, String)> =
                sqlx::query_as("SELECT \"table\", \"from\" FROM pragma_foreign_key_list($1)")
                    .bind(table)
                    .fetch_all(pool)
                    .await
                    .unwrap();
            for (parent, column) in keys {
                let at = TABLES.iter().position(|t| *t == parent).unwrap();
                assert!(
                    at < i || DEFERRED.contains(&(*table, column.as_str())),
                    "{table}.{column} refers to {parent}, which is copied later: reorder TABLES or add it to DEFERRED"
                );
            }
        }
        store.close().await;
    }
}
