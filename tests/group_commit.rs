//! Group commit on SQLite (issue 15): use cases that queue for the writing connection share one
//! transaction, each in its own savepoint. These tests hold one use case open so the others
//! queue behind it and join its batch, then check what each caller was promised: a commit that
//! returned `Ok` is on disk for any other connection to read, a use case that failed or was
//! dropped left nothing behind while the rest of its batch committed, and a caller that gave up
//! waiting does not stall the writer.

use sqlx::sqlite::SqlitePoolOptions;
use std::time::Duration;
use studybot::core::Platform;
use studybot::store::Store;

const NOW: &str = "2026-03-05T10:00:00Z";

fn now() -> chrono::DateTime<chrono::Utc> {
    NOW.parse().unwrap()
}

/// A store on a fresh file, and a connection of another pool to read what is really committed.
async fn fresh() -> (tempfile::TempDir, Store, sqlx::SqlitePool) {
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("group.db").display());
    let store = Store::open(&url).await.unwrap();
    let outside = SqlitePoolOptions::new()
        .max_connections(1)
        .connect(&url)
        .await
        .unwrap();
    (dir, store, outside)
}

async fn recorded(outside: &sqlx::SqlitePool, event: &str) -> bool {
    let n: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM events WHERE event_id = $1")
        .bind(event)
        .fetch_one(outside)
        .await
        .unwrap();
    n == 1
}

/// Holds the writing connection until the returned sender fires, so later callers queue.
async fn hold_writer(
    store: &Store,
) -> (
    tokio::sync::oneshot::Sender<()>,
    tokio::task::JoinHandle<()>,
) {
    let mut tx = store.begin().await.unwrap();
    assert!(
        tx.claim_event(Platform::Telegram, "gate", now())
            .await
            .unwrap()
    );
    let (release, wait) = tokio::sync::oneshot::channel::<()>();
    let held = tokio::spawn(async move {
        wait.await.ok();
        tx.commit().await.unwrap();
    });
    (release, held)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_failed_use_case_rolls_back_alone_and_its_batch_commits() {
    let (_dir, store, outside) = fresh().await;
    let (release, held) = hold_writer(&store).await;
    let mut tasks = Vec::new();
    for i in 0..40 {
        let store = store.clone();
        let outside = outside.clone();
        tasks.push(tokio::spawn(async move {
            let event = format!("e{i}");
            let mut tx = store.begin().await.unwrap();
            assert!(
                tx.claim_event(Platform::Telegram, &event, now())
                    .await
                    .unwrap()
            );
            // A second statement, so a failure undoes more than one.
            assert!(
                tx.claim_event(Platform::Telegram, &format!("{event}-b"), now())
                    .await
                    .unwrap()
            );
            if i % 7 == 3 {
                drop(tx); // the use case failed after writing: nothing of it may stay
                return (event, false);
            }
            tx.commit().await.unwrap();
            // Committed means readable by any other connection, right now.
            assert!(
                recorded(&outside, &event).await,
                "{event} not on disk after commit"
            );
            (event, true)
        }));
    }
    // Let every use case queue behind the held one, so they share its batch.
    tokio::time::sleep(Duration::from_millis(100)).await;
    release.send(()).unwrap();
    held.await.unwrap();
    let mut failed = 0;
    for t in tasks {
        let (event, committed) = t.await.unwrap();
        assert_eq!(recorded(&outside, &event).await, committed, "{event}");
        assert_eq!(
            recorded(&outside, &format!("{event}-b")).await,
            committed,
            "{event}-b"
        );
        failed += usize::from(!committed);
    }
    assert_eq!(failed, 6);
    assert!(recorded(&outside, "gate").await);
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn single_statements_join_the_batch_and_are_durable_when_they_return() {
    let (_dir, store, outside) = fresh().await;
    let (release, held) = hold_writer(&store).await;
    let mut tasks = Vec::new();
    for i in 0..20 {
        let store = store.clone();
        let outside = outside.clone();
        tasks.push(tokio::spawn(async move {
            let event = format!("s{i}");
            assert!(
                store
                    .claim_event(Platform::Telegram, &event, now())
                    .await
                    .unwrap()
            );
            assert!(recorded(&outside, &event).await, "{event} not on disk");
            // The same event again is refused, in or out of a batch.
            assert!(
                !store
                    .claim_event(Platform::Telegram, &event, now())
                    .await
                    .unwrap()
            );
        }));
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    release.send(()).unwrap();
    held.await.unwrap();
    for t in tasks {
        t.await.unwrap();
    }
    store.close().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_caller_that_stops_waiting_does_not_stall_the_writer() {
    let (_dir, store, outside) = fresh().await;
    let (release, held) = hold_writer(&store).await;
    // Queued behind the held use case, then cancelled (a handler dropped at shutdown).
    let gone = {
        let store = store.clone();
        tokio::spawn(async move {
            let mut tx = store.begin().await.unwrap();
            tx.claim_event(Platform::Telegram, "never", now())
                .await
                .unwrap();
            tx.commit().await.unwrap();
        })
    };
    tokio::time::sleep(Duration::from_millis(50)).await;
    gone.abort();
    release.send(()).unwrap();
    held.await.unwrap();
    let mut tx = tokio::time::timeout(Duration::from_secs(20), store.begin())
        .await
        .expect("the writer still lends its connection")
        .unwrap();
    assert!(
        tx.claim_event(Platform::Telegram, "after", now())
            .await
            .unwrap()
    );
    tx.commit().await.unwrap();
    assert!(recorded(&outside, "after").await);
    assert!(!recorded(&outside, "never").await);
    store.close().await;
}
