//! The schema's own guarantees on a real SQLite file: the constraints migration 0008 adds, and
//! the foreign-key indexes that deletes and cascades rely on.

mod support;

use support::temp_store;

#[tokio::test]
async fn the_database_refuses_platform_names_and_outcomes_the_code_does_not_know() {
    let (_dir, store, url) = temp_store().await;
    store.close().await;
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    let bad_chat = sqlx::query(
        "INSERT INTO chats (platform, external_id, kind, created_at)
         VALUES ('Telegram', '1', 'private', '2026-01-01T00:00:00Z')",
    )
    .execute(&pool)
    .await
    .unwrap_err();
    assert!(
        bad_chat.to_string().contains("chats.platform must be"),
        "{bad_chat}"
    );
    let bad_user = sqlx::query(
        "INSERT INTO users (platform, external_id, display_name, created_at)
         VALUES ('irc', '1', 'x', '2026-01-01T00:00:00Z')",
    )
    .execute(&pool)
    .await
    .unwrap_err();
    assert!(bad_user.to_string().contains("users.platform must be"));

    // A good chat and push, then an outcome nobody handles.
    sqlx::query(
        "INSERT INTO chats (platform, external_id, kind, created_at)
         VALUES ('telegram', '1', 'private', '2026-01-01T00:00:00Z')",
    )
    .execute(&pool)
    .await
    .unwrap();
    sqlx::query(
        "INSERT INTO pushes (chat_id, fire_at, claimed_at) VALUES (1, '2026-01-01T09:00:00Z', '2026-01-01T09:00:00Z')",
    )
    .execute(&pool)
    .await
    .unwrap();
    let bad_outcome = sqlx::query("UPDATE pushes SET outcome = 'delivered'")
        .execute(&pool)
        .await
        .unwrap_err();
    assert!(bad_outcome.to_string().contains("pushes.outcome must be"));
    sqlx::query("UPDATE pushes SET outcome = 'sent'")
        .execute(&pool)
        .await
        .unwrap();
    pool.close().await;
}

#[tokio::test]
async fn foreign_key_columns_that_deletes_scan_are_indexed() {
    let (_dir, store, url) = temp_store().await;
    store.close().await;
    let pool = sqlx::SqlitePool::connect(&url).await.unwrap();
    for (table, column) in [
        ("quizzes", "asked_by"),
        ("review_log", "user_id"),
        ("review_quizzes", "user_id"),
        ("rounds", "started_by"),
        ("round_answers", "user_id"),
        ("answers", "user_id"),
    ] {
        // The column is the first of some index on the table (so lookups by it use the index).
        let indexed: i64 = sqlx::query_scalar(
            "SELECT COUNT(*) FROM pragma_index_list(?1) AS l
             JOIN pragma_index_info(l.name) AS i ON i.seqno = 0 WHERE i.name = ?2",
        )
        .bind(table)
        .bind(column)
        .fetch_one(&pool)
        .await
        .unwrap();
        assert!(indexed > 0, "{table}.{column} has no index");
    }
    pool.close().await;
}
