//! Discord shard ranges with the built binary: two processes on one SQLite file, one running
//! shard 0 and one shard 1 of 2, against the fake gateway, which routes a guild's events to shard
//! `(guild_id >> 22) % 2` and DMs to shard 0.

mod support;

use serde_json::Value;
use std::time::Duration;
use support::discord::{FakeDiscord, GUILD, Sent, VIEW_AND_SEND, Who, dm, member, shard_of};
use support::process::BotProcess;

const TOKEN: &str = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GhJkLm.fakeDiscordSecret_0123456789abcdefXYZ";
/// A second guild, on the other shard of two than [`GUILD`].
const OTHER_GUILD: u64 = GUILD + (1 << 22);
const OTHER_CHANNEL: u64 = 810_000_000_000_000_777;

fn spawn_range(dir: &std::path::Path, db: &str, dc: &FakeDiscord, range: &str) -> BotProcess {
    BotProcess::spawn(
        dir,
        &[
            ("DISCORD_TOKEN", TOKEN.to_string()),
            ("DISCORD_API_URL", dc.url.clone()),
            ("DISCORD_GUILD_ID", GUILD.to_string()),
            ("DISCORD_SHARDS", range.to_string()),
            ("DISCORD_SHARD_COUNT", "2".to_string()),
            ("DATABASE_URL", db.to_string()),
            ("CONTENT_DIR", support::fixture_dir().display().to_string()),
            ("STUDYBOT_NOW", "2026-03-02T10:00:00Z".to_string()),
            (
                "RUST_LOG",
                "info,studybot::adapters::discord=debug".to_string(),
            ),
        ],
    )
}

/// The shard the fake delivers `sent`'s interaction on.
fn shard(sent: &Sent) -> u64 {
    shard_of(&sent.payload, 2)
}

/// The process's log without terminal colour codes.
fn logs(bot: &BotProcess) -> String {
    let mut out = String::new();
    let mut rest = bot.logs();
    while let Some(start) = rest.find('\u{1b}') {
        out.push_str(&rest[..start]);
        let end = rest[start..]
            .find('m')
            .map_or(rest.len(), |e| start + e + 1);
        rest = rest.split_off(end);
    }
    out.push_str(&rest);
    out
}

async fn wait_log(bot: &BotProcess, needle: &str) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while !logs(bot).contains(needle) {
        assert!(
            tokio::time::Instant::now() < deadline,
            "no {needle:?} in:\n{}",
            logs(bot)
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

both_engines! {
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_processes_with_one_shard_each_get_their_guilds_and_answer_each_interaction_once() {
    let dc = FakeDiscord::start(TOKEN).await;
    dc.add_guild(OTHER_GUILD);
    let (shared, db) = support::engines::TestDb::new(support::engines::current()).await;
    let dir = &shared.dir;
    // Migrated once before either starts: two processes migrating one new database at once race.
    studybot::store::Store::open(&db).await.unwrap().close().await;
    let zero = spawn_range(dir.path(), &db, &dc, "0-0");
    let one = spawn_range(dir.path(), &db, &dc, "1-1");
    dc.wait("both shards identified", 40, |v| {
        (v.identified() >= 2).then_some(())
    })
    .await;
    let mut identifies = dc.identifies();
    identifies.sort();
    assert_eq!(
        identifies,
        [[0, 2], [1, 2]],
        "each process identified its one shard"
    );
    dc.wait_for_registration().await;

    // Each process was given its own guild at connect.
    assert_eq!(
        shard_of(&serde_json::json!({"guild_id": GUILD.to_string()}), 2),
        1
    );
    wait_log(&zero, &format!("guild={OTHER_GUILD}")).await;
    wait_log(&one, &format!("guild={GUILD}")).await;
    assert!(!logs(&zero).contains(&format!("guild={GUILD}")));
    assert!(!logs(&one).contains(&format!("guild={OTHER_GUILD}")));

    let other = |id: u64, name: &str| Who {
        guild: Some(OTHER_GUILD),
        channel: OTHER_CHANNEL,
        ..member(id, name, VIEW_AND_SEND)
    };
    let mut sent = Vec::new();
    for i in 0..5 {
        sent.push(dc.slash(&member(2000 + i, "Ana", VIEW_AND_SEND), "streak", vec![]));
        sent.push(dc.slash(&other(3000 + i, "Ben"), "streak", vec![]));
    }
    sent.push(dc.slash(&dm(4000, "Cleo"), "streak", vec![]));
    for s in &sent {
        let reply: Value = dc.reply(s).await;
        assert!(reply["embeds"].is_array() || reply["content"].is_string());
        assert_eq!(dc.callbacks(s).len(), 1, "one response to {}", s.id);
        let (mine, theirs) = if shard(s) == 0 {
            (&zero, &one)
        } else {
            (&one, &zero)
        };
        wait_log(mine, &format!("interaction={}", s.id)).await;
        assert!(
            !logs(theirs).contains(&format!("interaction={}", s.id)),
            "interaction {} reached the other process",
            s.id
        );
    }

    // A replay of an interaction on the other shard (after a reshard) is recognised there
    // through the shared events table: still one response.
    let replayed = dc.slash(&member(2100, "Dora", VIEW_AND_SEND), "streak", vec![]);
    dc.reply(&replayed).await;
    dc.dispatch_on(0, "INTERACTION_CREATE", replayed.payload.clone());
    wait_log(&zero, "discord: interaction already handled").await;
    assert_eq!(dc.callbacks(&replayed).len(), 1, "no second response");

    let registrations = dc
        .calls()
        .into_iter()
        .filter(|c| c.method == "PUT" && c.path.ends_with("/commands"))
        .count();
    assert_eq!(
        registrations, 1,
        "only the process with shard 0 registers commands"
    );
    for bot in [zero, one] {
        assert_eq!(bot.terminate(Duration::from_secs(30)).await, Some(0));
    }
}
}
