//! `DATABASE_URL` and how the store connects: SQLite by default, PostgreSQL for several
//! instances (`DATABASE_MAX_CONNECTIONS`, `DATABASE_STATEMENT_TIMEOUT`; TLS is `sslmode` in the
//! URL, as libpq spells it).

use super::{Problems, duration, invalid};
use crate::store::{Engine, StoreOptions};

pub const DEFAULT_DATABASE_URL: &str = "sqlite://studybot.db";

/// The database URL and the pool settings; each bad variable is a problem of its own.
pub(super) fn database_from(
    var: &dyn Fn(&str) -> Option<String>,
    p: &mut Problems,
) -> (String, StoreOptions) {
    let url = var("DATABASE_URL").unwrap_or_else(|| DEFAULT_DATABASE_URL.to_string());
    match Engine::of_url(&url) {
        Err(_) => p.0.push(invalid(
            "DATABASE_URL",
            "must be sqlite://FILE (the default, sqlite://studybot.db) or postgres://USER@HOST/DB",
        )),
        Ok(Engine::Postgres) if !names_a_user(&url) => p.0.push(invalid(
            "DATABASE_URL",
            "a postgres:// URL must name the user (postgres://USER@HOST/DB)",
        )),
        Ok(_) => {}
    }
    let mut opts = StoreOptions::default();
    opts.max_connections = p.or(
        var("DATABASE_MAX_CONNECTIONS").map(|v| {
            v.parse::<u32>()
                .ok()
                .filter(|n| (1..=1000).contains(n))
                .ok_or_else(|| {
                    invalid(
                        "DATABASE_MAX_CONNECTIONS",
                        "must be a number from 1 to 1000",
                    )
                })
        }),
        opts.max_connections,
    );
    opts.statement_timeout = p.or(
        var("DATABASE_STATEMENT_TIMEOUT").map(|v| {
            duration(&v)
                .and_then(|d| d.to_std().ok())
                .filter(|d| !d.is_zero())
                .ok_or_else(|| {
                    invalid(
                        "DATABASE_STATEMENT_TIMEOUT",
                        "must be a duration like 30s or 2m, more than zero",
                    )
                })
        }),
        opts.statement_timeout,
    );
    (url, opts)
}

/// Whether a postgres URL has a user part: sqlx-postgres is built without `whoami`'s user
/// lookup, so without one it would connect as "anonymous".
fn names_a_user(url: &str) -> bool {
    url::Url::parse(url).is_ok_and(|u| !u.username().is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    fn read(vars: &[(&str, &str)]) -> (String, StoreOptions, Vec<&'static str>) {
        let mut p = Problems::default();
        let get = |k: &str| {
            vars.iter()
                .find(|(n, _)| *n == k)
                .map(|(_, v)| v.to_string())
        };
        let (url, opts) = database_from(&get, &mut p);
        (url, opts, p.0.iter().map(|e| e.var).collect())
    }

    #[test]
    fn sqlite_is_the_default_and_postgres_is_accepted_with_its_settings() {
        let (url, opts, bad) = read(&[]);
        assert_eq!(url, DEFAULT_DATABASE_URL);
        assert_eq!(opts, StoreOptions::default());
        assert!(bad.is_empty());
        let (url, opts, bad) = read(&[
            (
                "DATABASE_URL",
                "postgres://bot@db:5432/studybot?sslmode=require",
            ),
            ("DATABASE_MAX_CONNECTIONS", "25"),
            ("DATABASE_STATEMENT_TIMEOUT", "2m"),
        ]);
        assert!(url.ends_with("sslmode=require"));
        assert_eq!(opts.max_connections, 25);
        assert_eq!(opts.statement_timeout, Duration::from_secs(120));
        assert!(bad.is_empty());
    }

    #[test]
    fn bad_database_settings_name_their_variable() {
        for (k, v) in [
            ("DATABASE_URL", "mysql://root@db/x"),
            ("DATABASE_URL", "postgres://db/studybot"),
            ("DATABASE_MAX_CONNECTIONS", "0"),
            ("DATABASE_STATEMENT_TIMEOUT", "0s"),
            ("DATABASE_STATEMENT_TIMEOUT", "soon"),
        ] {
            let (_, _, bad) = read(&[(k, v)]);
            assert_eq!(bad, vec![k], "{k}={v}");
        }
    }
}
