//! Decks and reports through the real serenity client against the fake Discord: a deck attached
//! to `/deck import` (downloaded from the attachment's URL), used as the channel's track, answered
//! with buttons, and a question reported with the verdict's Report button.

mod support;

use serde_json::Value;
use support::discord::*;
use support::process::BotProcess;

const TOKEN: &str = "MTIzNDU2Nzg5MDEyMzQ1Njc4.GhJkLm.fakeDiscordSecret_0123456789abcdefXYZ";
const MANAGE_GUILD: u64 = 32;

const DECK: &str = "question,option_a,option_b,option_c,option_d,answer,explanation\n\
Who gets pinged by @everyone in a deck?,Nobody,Everyone,,,A,Mentions in user text are never parsed.\n\
Which port is HTTPS?,443,80,,,A,443 is HTTPS.\n\
Is UDP connectionless?,Yes,No,,,A,UDP has no handshake.\n";

async fn start() -> (FakeDiscord, BotProcess, tempfile::TempDir) {
    let dc = FakeDiscord::start(TOKEN).await;
    let dir = tempfile::tempdir().unwrap();
    let bot = BotProcess::spawn(
        dir.path(),
        &[
            ("DISCORD_TOKEN", TOKEN.to_string()),
            ("DISCORD_API_URL", dc.url.clone()),
            ("DISCORD_GUILD_ID", GUILD.to_string()),
            (
                "DATABASE_URL",
                format!("sqlite://{}", dir.path().join("dc.db").display()),
            ),
            ("CONTENT_DIR", support::fixture_dir().display().to_string()),
            ("STUDYBOT_NOW", "2026-03-02T10:00:00Z".to_string()),
        ],
    );
    dc.wait_for_registration().await;
    (dc, bot, dir)
}

#[tokio::test(flavor = "multi_thread")]
async fn an_attached_deck_becomes_the_channels_track_and_a_verdict_can_be_reported() {
    let (dc, _bot, _dir) = start().await;
    let admin = member(1001, "Ana", MANAGE_GUILD);
    let learner = member(1002, "Ben", 0);
    let file = || ("mock.csv", DECK.as_bytes().to_vec(), DECK.len() as u64);

    // A member without Manage Server may not import; nothing is downloaded for them.
    let sent = dc.slash_with_file(
        &learner,
        "deck",
        vec![opt("action", "import")],
        "file",
        file(),
    );
    assert!(plain(&dc.reply(&sent).await).contains("admin"));
    assert_eq!(dc.downloads(), 0);
    // A 10 MB attachment is refused before the download.
    let big = ("big.csv", b"x".to_vec(), 10 * 1024 * 1024);
    let sent = dc.slash_with_file(&admin, "deck", vec![opt("action", "import")], "file", big);
    assert!(plain(&dc.reply(&sent).await).contains("a deck file is at most 1048576 bytes"));
    assert_eq!(dc.downloads(), 0);

    let sent = dc.slash_with_file(
        &admin,
        "deck",
        vec![opt("action", "import")],
        "file",
        file(),
    );
    let imported = plain(&dc.reply(&sent).await);
    assert!(
        imported.contains("Imported deck mock (mock) with 3 questions"),
        "{imported}"
    );
    assert_eq!(dc.downloads(), 1);
    let sent = dc.slash(
        &admin,
        "deck",
        vec![opt("action", "use"), opt("id", "mock")],
    );
    assert!(plain(&dc.reply(&sent).await).contains("now studies mock"));

    // /quiz draws from the deck: two option buttons.
    let sent = dc.slash(&learner, "quiz", vec![]);
    let quiz = dc.reply(&sent).await;
    let ids = custom_ids(&quiz);
    let answers: Vec<&String> = ids.iter().filter(|i| i.starts_with("a:")).collect();
    assert_eq!(answers.len(), 2, "{ids:?}");
    assert!(plain(&quiz).contains("mock"), "{}", plain(&quiz));
    let quiz_id = answers[0].split(':').nth(1).unwrap().to_string();

    // The verdict (only the learner sees it) carries the Report button.
    let verdict = {
        let sent = dc.click(&learner, &quiz, &format!("a:{quiz_id}:A"));
        dc.reply(&sent).await
    };
    assert!(is_ephemeral(&verdict));
    assert!(plain(&verdict).contains("Correct!"), "{}", plain(&verdict));
    assert!(
        custom_ids(&verdict).contains(&format!("r:{quiz_id}")),
        "{:?}",
        custom_ids(&verdict)
    );
    let ask = {
        let sent = dc.click(&learner, &verdict, &format!("r:{quiz_id}"));
        dc.reply(&sent).await
    };
    assert!(plain(&ask).contains("What is wrong with this question?"));
    assert_eq!(
        custom_ids(&ask),
        ["w", "u", "o", "t"].map(|c| format!("rr:{quiz_id}:{c}"))
    );
    let thanks = {
        let sent = dc.click(&learner, &ask, &format!("rr:{quiz_id}:u"));
        dc.reply(&sent).await
    };
    assert!(
        plain(&thanks).contains("your report is stored"),
        "{}",
        plain(&thanks)
    );
    // The same learner again: one report per question.
    let sent = dc.slash(&learner, "report", vec![opt("reason", "still unclear")]);
    assert!(plain(&dc.reply(&sent).await).contains("already reported"));

    // The admin of the channel that imported it sees the deck's reports.
    let sent = dc.slash(
        &admin,
        "deck",
        vec![opt("action", "reports"), opt("id", "mock")],
    );
    let reports = plain(&dc.reply(&sent).await);
    assert!(reports.contains("1 × unclear"), "{reports}");
    // The export comes back as a CSV attachment.
    let sent = dc.slash(
        &learner,
        "deck",
        vec![opt("action", "export"), opt("id", "mock")],
    );
    let exported: Value = dc.reply(&sent).await;
    let names: Vec<&str> = exported["attachments"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|a| a["filename"].as_str())
        .collect();
    assert_eq!(names, ["deck-mock.csv"]);
}
