//! Reading on a phone: every topic of the real curriculum, sent by the built binary through the
//! fake Telegram server (which parses HTML as Telegram does) and the fake Discord gateway (which
//! checks Discord's limits), reads as reflowed prose with a compact card; `studybot preview` is
//! pinned by snapshots.

mod support;

use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use studybot::content::load_catalog;
use support::discord::{FakeDiscord, GUILD, VIEW_AND_SEND, member, opt, plain};
use support::process::BotProcess;
use support::telegram::{FakeTelegram, text_message};
use support::telegram_html::parse_html;

const TG_TOKEN: &str = "123456789:AAEtestTOKENvalue_0123456789abcdef";
const DC_TOKEN: &str = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GhJkLm.fakeDiscordSecret_0123456789abcdefXYZ";
/// Telegram: at most this many characters show before the expandable blockquote.
const FRONT_LIMIT: usize = 1500;
const FOLD_OPEN: &str = "<blockquote expandable>";

fn real_content() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("content")
}

fn topic_ids(dir: &Path) -> Vec<(String, String)> {
    load_catalog(dir, false)
        .expect("the content is valid")
        .topics()
        .iter()
        .map(|t| (t.id.to_string(), t.title.clone()))
        .collect()
}

/// Blocks of rendered text (split at blank lines) that still hold a single line feed: neither
/// a list (every line a bullet) nor kept code (some line indented).
fn ragged_paragraphs(text: &str) -> Vec<String> {
    text.split("\n\n")
        .filter(|block| {
            let lines: Vec<&str> = block.trim_matches('\n').lines().collect();
            lines.len() > 1
                && !lines.iter().all(|l| l.starts_with("• "))
                && !lines.iter().any(|l| l.starts_with([' ', '\t']))
        })
        .map(str::to_string)
        .collect()
}

#[test]
fn the_fake_parses_html_as_telegram_does_and_refuses_the_rest() {
    assert_eq!(
        parse_html("<b>a &amp; b</b>\n<blockquote expandable>c &lt;d&gt;</blockquote>"),
        Ok("a & b\nc <d>".to_string())
    );
    for bad in [
        "<b>open",
        "<b><i>x</b></i>",
        "</b>",
        "<script>x</script>",
        "<blockquote open>x</blockquote>",
        "<blockquote>a<blockquote>b</blockquote></blockquote>",
        "a < b",
        "a > b",
        "fish & chips",
        "&nbsp;",
        "",
    ] {
        assert!(parse_html(bad).is_err(), "{bad}");
    }
    assert!(parse_html(&"x".repeat(4097)).is_err());
}

#[test]
fn a_paragraph_with_a_single_line_feed_is_caught() {
    assert_eq!(
        ragged_paragraphs("a b\n\n• x\n• y\n\ncode:\n  x"),
        Vec::<String>::new()
    );
    assert_eq!(
        ragged_paragraphs("stores results and\nproduces output."),
        ["stores results and\nproduces output."]
    );
}

#[tokio::test(flavor = "multi_thread")]
async fn every_topic_is_a_compact_well_formed_telegram_card_of_reflowed_prose() {
    let content = real_content();
    let topics = topic_ids(&content);
    assert!(topics.len() >= 200, "the real curriculum: {}", topics.len());
    let tg = FakeTelegram::start(TG_TOKEN).await;
    let dir = tempfile::tempdir().unwrap();
    let _bot = BotProcess::spawn(
        dir.path(),
        &[
            ("TELEGRAM_BOT_TOKEN", TG_TOKEN.to_string()),
            ("TELEGRAM_API_URL", tg.url.clone()),
            (
                "DATABASE_URL",
                format!("sqlite://{}", dir.path().join("tg.db").display()),
            ),
            ("CONTENT_DIR", content.display().to_string()),
            ("STUDYBOT_NOW", "2026-03-02T10:00:00Z".to_string()),
        ],
    );
    tg.wait_for("setMyCommands", 30, |c| {
        c.iter().any(|c| c.method == "setmycommands")
    })
    .await;
    let mut largest_front = 0;
    for (i, (id, title)) in topics.iter().enumerate() {
        // One private chat per topic: a topic's messages are told apart by chat.
        let chat = 10_000 + i64::try_from(i).unwrap();
        tg.push(text_message(chat, chat, "Ana", &format!("/topic {id}")));
        let to_chat = |c: &support::telegram::Call| {
            c.method == "sendmessage" && c.body["chat_id"] == json!(chat)
        };
        // The buttons go with the reply's last message; a refused message ends the wait too.
        let calls = tg
            .wait_for(&format!("the card of {id}"), 20, |calls| {
                calls
                    .iter()
                    .filter(|c| to_chat(c))
                    .any(|c| !c.ok || c.body["reply_markup"].is_object())
            })
            .await;
        let sent: Vec<&support::telegram::Call> = calls.iter().filter(|c| to_chat(c)).collect();
        for c in &sent {
            assert!(
                c.ok,
                "Telegram refused the card of {id}: {}",
                c.body["text"]
            );
        }
        let first = sent[0].body["text"].as_str().unwrap();
        let escaped_title = title
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        assert!(
            first.starts_with(&format!("<b>{escaped_title}</b>")),
            "{id}: {first}"
        );
        let front = parse_html(first.split(FOLD_OPEN).next().unwrap()).unwrap();
        let front_len = front.trim_end().chars().count();
        assert!(
            front_len <= FRONT_LIMIT,
            "{id}: {front_len} characters before the fold"
        );
        largest_front = largest_front.max(front_len);
        for c in &sent {
            let shown = parse_html(c.body["text"].as_str().unwrap()).unwrap();
            assert_eq!(ragged_paragraphs(&shown), Vec::<String>::new(), "{id}");
        }
        let all: String = sent
            .iter()
            .map(|c| c.body["text"].as_str().unwrap())
            .collect();
        assert!(
            all.contains(FOLD_OPEN),
            "{id}: the example and pitfalls are folded"
        );
    }
    println!("largest card front: {largest_front} characters");
}

#[tokio::test(flavor = "multi_thread")]
async fn every_topic_fits_discord_limits_as_one_embed_with_its_details_in_fields() {
    let content = real_content();
    let topics = topic_ids(&content);
    let dc = FakeDiscord::start(DC_TOKEN).await;
    let dir = tempfile::tempdir().unwrap();
    let _bot = BotProcess::spawn(
        dir.path(),
        &[
            ("DISCORD_TOKEN", DC_TOKEN.to_string()),
            ("DISCORD_API_URL", dc.url.clone()),
            (
                "DATABASE_URL",
                format!("sqlite://{}", dir.path().join("dc.db").display()),
            ),
            ("CONTENT_DIR", content.display().to_string()),
            ("STUDYBOT_NOW", "2026-03-02T10:00:00Z".to_string()),
            ("DISCORD_GUILD_ID", GUILD.to_string()),
        ],
    );
    dc.wait_for_registration().await;
    let ana = member(1001, "Ana", VIEW_AND_SEND);
    for (id, title) in &topics {
        // The fake answers 400 to anything over Discord's limits: no reply would come.
        let sent = dc.slash(&ana, "topic", vec![opt("words", id)]);
        let reply: Value = dc.reply(&sent).await;
        let embed = &reply["embeds"][0];
        assert_eq!(
            embed["title"].as_str().map(|t| t.replace('\\', "")),
            Some(title.replace('\\', "")),
            "{id}"
        );
        let fields = embed["fields"].as_array().cloned().unwrap_or_default();
        let names: Vec<&str> = fields.iter().filter_map(|f| f["name"].as_str()).collect();
        assert!(
            names.contains(&"Example") || names.contains(&"Pitfalls"),
            "{id}: {names:?}"
        );
        for part in std::iter::once(embed["description"].clone())
            .chain(fields.iter().map(|f| f["value"].clone()))
        {
            let text = part.as_str().unwrap_or("").replace(['\\', '\u{200B}'], "");
            assert_eq!(ragged_paragraphs(&text), Vec::<String>::new(), "{id}");
        }
        assert!(!plain(&reply).is_empty());
    }
}

/// `studybot preview` on the fixture curriculum (stable while the real content is rewritten).
fn preview(topic: &str, platform: &str) -> String {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_studybot"))
        .args(["preview", topic, "--platform", platform, "--dir"])
        .arg(support::fixture_dir())
        .env_remove("CONTENT_DIR")
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn preview_prints_what_telegram_would_be_sent() {
    let html = preview("alpha", "telegram");
    for message in html
        .split("\n-- telegram message")
        .filter(|m| m.contains('<'))
    {
        let text = message
            .lines()
            .take_while(|l| !l.starts_with("reply_markup: "))
            .collect::<Vec<_>>()
            .join("\n");
        let text = text.trim_start_matches(|c: char| c != '<');
        parse_html(text).unwrap();
    }
    insta::assert_snapshot!(html);
}

#[test]
fn preview_prints_the_discord_message_body() {
    insta::assert_snapshot!(preview("alpha", "discord"));
}

#[test]
fn preview_prints_the_console_text_wrapped_to_80_columns_when_piped() {
    let text = preview("alpha", "console");
    assert!(
        text.lines()
            .all(|l| l.chars().count() <= 80 || l.starts_with("[")),
        "{text}"
    );
    insta::assert_snapshot!(text);
}

#[test]
fn preview_names_an_unknown_topic_and_suggests_one() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_studybot"))
        .args(["preview", "alph", "--dir"])
        .arg(support::fixture_dir())
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("no topic has the id `alph`"), "{err}");
}
