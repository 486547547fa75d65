//! Work only one instance may do at a time (the Telegram long poller): a PostgreSQL session
//! advisory lock held on a connection of its own.
//!
//! `pg_try_advisory_lock` belongs to the session that took it: it is released when that
//! session ends, whether the process unlocks, exits, or is killed (the kernel closes the socket
//! and the server ends the session). So the connection that took the lock is taken out of the
//! pool ([`sqlx::pool::PoolConnection::detach`]), never handed to other work, and a task pings it
//! every [`LEADER_CHECK`]: if the ping fails, the lock may be gone and the holder hears it
//! through [`Leadership::lost`]. The connection also asks the server for TCP keepalives, so a
//! session whose machine vanished without closing its socket ends within about half a minute
//! instead of the system default of hours.
//!
//! On SQLite there is nothing to coordinate with: leadership is always granted.

use super::{Pool, Store, StoreResult};
use sqlx::{Connection, PgConnection};
use std::time::Duration;
use tokio::sync::watch;

/// How often the holder checks that its lock connection is alive.
pub const LEADER_CHECK: Duration = Duration::from_secs(2);
/// How long one check may take before the lock counts as lost.
const CHECK_TIMEOUT: Duration = Duration::from_secs(5);
/// Server-side TCP keepalives on the lock connection (idle seconds, interval, count): a session
/// whose client vanished ends after about 10 + 5 × 3 s.
const KEEPALIVES: [(&str, &str); 3] = [
    ("tcp_keepalives_idle", "10"),
    ("tcp_keepalives_interval", "5"),
    ("tcp_keepalives_count", "3"),
];

/// The advisory-lock key of a role: FNV-1a (64 bit) of `studybot:` and the role name, stable
/// across builds and Rust versions (unlike `DefaultHasher`), so every instance agrees on it.
pub fn leader_key(role: &str) -> i64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in b"studybot:".iter().chain(role.as_bytes()) {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    i64::from_ne_bytes(h.to_ne_bytes())
}

/// Held leadership of one role; dropping it gives the role up (call [`Leadership::release`] to
/// give it up at once and wait for that).
pub struct Leadership {
    role: String,
    /// Turns false when the lock connection failed a check; `None` on SQLite (always held).
    held: Option<watch::Receiver<bool>>,
    /// PostgreSQL: tells the keeper to unlock and close; `None` on SQLite.
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    keeper: Option<tokio::task::JoinHandle<()>>,
}

impl std::fmt::Debug for Leadership {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Leadership")
            .field("role", &self.role)
            .field("held", &self.is_held())
            .finish()
    }
}

impl Leadership {
    pub fn role(&self) -> &str {
        &self.role
    }

    /// Whether the lock is (as far as the last check knows) still held.
    pub fn is_held(&self) -> bool {
        self.held.as_ref().is_none_or(|h| *h.borrow())
    }

    /// Resolves when the lock connection fails a check (never on SQLite). Whoever holds this
    /// must stop the role's work: another instance may take it over.
    pub async fn lost(&self) {
        let Some(mut held) = self.held.clone() else {
            return std::future::pending().await;
        };
        // An error means the keeper ended without saying so: count that as lost too.
        let _ = held.wait_for(|h| !h).await;
    }

    /// Unlocks and closes the lock connection, so a standby can take over at its next try.
    pub async fn release(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(keeper) = self.keeper.take() {
            let _ = keeper.await;
        }
    }
}

impl Drop for Leadership {
    fn drop(&mut self) {
        // The keeper unlocks and closes on its own; if the runtime is gone first, the process
        // exits and the server ends the session, which releases the lock just the same.
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

impl Store {
    /// Tries to become the one instance doing `role` (e.g. `telegram-poller`): `None` while
    /// another instance holds it. On SQLite always granted (nothing to share it with).
    pub async fn try_lead(&self, role: &str) -> StoreResult<Option<Leadership>> {
        let pool = match &self.pool {
            Pool::Sqlite(_) => {
                return Ok(Some(Leadership {
                    role: role.to_string(),
                    held: None,
                    stop: None,
                    keeper: None,
                }));
            }
            Pool::Postgres(p) => p,
        };
        // A standby asks every few seconds: on a pooled connection, which goes back to the pool
        // unless it took the lock (or failed, when it may hold it: then it is closed).
        let mut pooled = pool.acquire().await?;
        let key = leader_key(role);
        let got = sqlx::query_scalar::<_, bool>("SELECT pg_try_advisory_lock($1)")
            .bind(key)
            .fetch_one(&mut *pooled)
            .await;
        let mut conn = match got {
            Ok(false) => return Ok(None),
            Ok(true) => pooled.detach(),
            Err(e) => {
                let _ = pooled.detach().close().await;
                return Err(e.into());
            }
        };
        for (name, value) in KEEPALIVES {
            // Ignored where unsupported (a Unix socket, or a system without TCP_KEEPIDLE).
            let set = sqlx::query("SELECT set_config($1, $2, false)")
                .bind(name)
                .bind(value)
                .execute(&mut conn)
                .await;
            if let Err(e) = set {
                tracing::debug!(error = %e, setting = name, "leader: keepalive not set");
            }
        }
        let (held_tx, held) = watch::channel(true);
        let (stop, stopped) = tokio::sync::oneshot::channel();
        let keeper = tokio::spawn(keep(conn, key, role.to_string(), held_tx, stopped));
        Ok(Some(Leadership {
            role: role.to_string(),
            held: Some(held),
            stop: Some(stop),
            keeper: Some(keeper),
        }))
    }
}

/// Checks the lock connection every [`LEADER_CHECK`] until told to stop (then unlocks and
/// closes it) or a check fails (then says so and drops it).
async fn keep(
    mut conn: PgConnection,
    key: i64,
    role: String,
    held: watch::Sender<bool>,
    mut stopped: tokio::sync::oneshot::Receiver<()>,
) {
    loop {
        tokio::select! {
            _ = &mut stopped => {
                let unlock = sqlx::query("SELECT pg_advisory_unlock($1)")
                    .bind(key)
                    .execute(&mut conn);
                if tokio::time::timeout(CHECK_TIMEOUT, unlock).await.is_ok() {
                    let _ = tokio::time::timeout(CHECK_TIMEOUT, conn.close()).await;
                }
                let _ = held.send(false);
                tracing::info!(role, "leader: released");
                return;
            }
            _ = tokio::time::sleep(LEADER_CHECK) => {}
        }
        let failure = match tokio::time::timeout(CHECK_TIMEOUT, conn.ping()).await {
            Ok(Ok(())) => continue,
            Ok(Err(e)) => e.to_string(),
            Err(_) => format!("no answer within {CHECK_TIMEOUT:?}"),
        };
        tracing::warn!(role, error = %failure, "leader: lost the lock connection; giving the role up");
        let _ = held.send(false);
        return;
    }
}

#[cfg(test)]
mod tests {
    use super::leader_key;

    #[test]
    fn a_role_has_one_fixed_key() {
        // Instances of different builds must agree: the key is pinned.
        assert_eq!(leader_key("telegram-poller"), leader_key("telegram-poller"));
        assert_ne!(leader_key("telegram-poller"), leader_key("other"));
        assert_eq!(leader_key("telegram-poller"), 6_121_510_439_372_761_593);
    }
}
