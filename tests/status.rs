//! Per-topic status (done / later / skip) through the core against a real SQLite file, and the
//! buttons under a topic through the built binary against the fake Telegram server.

mod support;

use serde_json::Value;
use studybot::core::quiz::OptionLetter;
use studybot::core::{Action, App, Command, Ctx, Reply, Timezone, TopicStatus};
use support::process::BotProcess;
use support::telegram::{FakeTelegram, callback, text_message};
use support::*;

const NOW: &str = "2026-03-02T10:00:00Z";

async fn run(app: &App, ctx: &Ctx, cmd: Command) -> Reply {
    app.respond(ctx, cmd).await
}

fn mark(status: TopicStatus, topic: Option<&str>) -> Command {
    Command::Mark {
        status,
        topic: topic.map(str::to_string),
    }
}

fn at(ctx: &Ctx, now: &str) -> Ctx {
    Ctx {
        now: utc(now),
        ..ctx.clone()
    }
}

/// The done / later / skip buttons of a reply, as (label, action).
fn status_buttons(r: &Reply) -> Vec<(String, Action)> {
    r.buttons
        .iter()
        .filter(|b| matches!(b.action, Action::Mark { .. }))
        .map(|b| (b.label.clone(), b.action.clone()))
        .collect()
}

both_engines! {
#[tokio::test]
async fn every_topic_card_carries_done_later_and_skip_buttons_for_that_topic() {
    let (_d, store, _) = temp_store().await;
    let app = app_with(store, Timezone::UTC);
    let me = private("ana", NOW);
    let today = run(&app, &me, Command::Today).await;
    let want = |topic: &str| {
        vec![
            (
                "Done".to_string(),
                Action::Mark {
                    status: TopicStatus::Done,
                    topic: topic.into(),
                },
            ),
            (
                "Later".to_string(),
                Action::Mark {
                    status: TopicStatus::Later,
                    topic: topic.into(),
                },
            ),
            (
                "Skip".to_string(),
                Action::Mark {
                    status: TopicStatus::Skip,
                    topic: topic.into(),
                },
            ),
        ]
    };
    assert_eq!(status_buttons(&today), want("alpha"));
    let found = run(&app, &me, Command::Topic("delta".into())).await;
    assert_eq!(status_buttons(&found), want("delta"));
    for (_, action) in status_buttons(&today) {
        assert!(action.encode().len() <= 64);
    }
}
}

both_engines! {
#[tokio::test]
async fn mark_without_a_topic_marks_the_chats_current_topic() {
    let (_d, store, _) = temp_store().await;
    let app = app_with(store, Timezone::UTC);
    let me = private("ana", NOW);
    let r = run(&app, &me, mark(TopicStatus::Done, None))
        .await
        .plain_text();
    assert_eq!(
        r,
        "Marked \"Alpha topic\" as done.\nBasics: 1 of 3 topics done."
    );
    let progress = run(&app, &me, Command::Progress).await.plain_text();
    assert!(progress.contains("- 00 Basics: 1/3 done"), "{progress}");
    assert!(
        progress.contains("- 01 More things: 0/2 done"),
        "{progress}"
    );
    assert!(
        progress.contains("Topics done: 1 of 5 (20%)."),
        "{progress}"
    );
}
}

both_engines! {
#[tokio::test]
async fn a_pressed_button_marks_its_topic_for_the_presser_only() {
    let (_d, store, _) = temp_store().await;
    let app = app_with(store, Timezone::UTC);
    let ana = member("g1", "ana", false, NOW);
    let ben = member("g1", "ben", false, NOW);
    // The group moves on to beta; Ana presses "Later" under the alpha card posted before.
    let alpha = run(&app, &ana, Command::Today).await;
    run(&app, &member("g1", "admin", true, NOW), Command::Next).await;
    let (_, later) = status_buttons(&alpha)
        .into_iter()
        .find(|(label, _)| label == "Later")
        .unwrap();
    let r = run(&app, &ana, later.into_command()).await.plain_text();
    assert!(r.starts_with("Marked \"Alpha topic\" for later"), "{r}");
    let ana_progress = run(&app, &ana, Command::Progress).await.plain_text();
    assert!(
        ana_progress.contains("Due (marked for later)\n- Alpha topic (00 Basics)"),
        "{ana_progress}"
    );
    let ben_progress = run(&app, &ben, Command::Progress).await.plain_text();
    assert!(ben_progress.starts_with("Nothing yet."), "{ben_progress}");
}
}

both_engines! {
#[tokio::test]
async fn marking_again_replaces_the_status_so_a_done_topic_is_no_longer_due() {
    let (_d, store, _) = temp_store().await;
    let app = app_with(store, Timezone::UTC);
    let me = private("ana", NOW);
    run(&app, &me, mark(TopicStatus::Later, Some("beta"))).await;
    let before = run(&app, &me, Command::Progress).await.plain_text();
    assert!(before.contains("- Beta topic (00 Basics)"), "{before}");
    assert!(before.contains("00 Basics: 0/3 done"), "{before}");
    run(
        &app,
        &at(&me, "2026-03-03T10:00:00Z"),
        mark(TopicStatus::Done, Some("beta")),
    )
    .await;
    let after = run(&app, &me, Command::Progress).await.plain_text();
    assert!(!after.contains("Due"), "{after}");
    assert!(after.contains("00 Basics: 1/3 done"), "{after}");
}
}

both_engines! {
#[tokio::test]
async fn mark_finds_a_topic_by_words_and_refuses_words_that_match_nothing() {
    let (_d, store, _) = temp_store().await;
    let app = app_with(store, Timezone::UTC);
    let me = private("ana", NOW);
    let r = run(&app, &me, mark(TopicStatus::Skip, Some("delta")))
        .await
        .plain_text();
    assert_eq!(
        r,
        "Skipped \"Delta topic\".\nMore things: 0 of 2 topics done."
    );
    let r = run(&app, &me, mark(TopicStatus::Done, Some("zebra crossing")))
        .await
        .plain_text();
    assert!(r.starts_with("No topic matches \"zebra crossing\""), "{r}");
    let progress = run(&app, &me, Command::Progress).await.plain_text();
    assert!(progress.contains("Skipped: 1 topic."), "{progress}");
    assert!(progress.contains("Topics done: 0 of 5 (0%)."), "{progress}");
}
}

both_engines! {
#[tokio::test]
async fn progress_shows_done_topics_beside_answers_and_accuracy_per_section() {
    let (_d, store, _) = temp_store().await;
    let app = app_with(store, Timezone::UTC);
    let me = private("ana", NOW);
    // One right and one wrong answer in section 00, nothing in 01.
    for right in [true, false] {
        let q = run(&app, &me, Command::Quiz(Some("alpha".into()))).await;
        let card = q.quiz.unwrap();
        let pick = if right {
            card.correct
        } else {
            (card.correct + 1) % 4
        };
        run(
            &app,
            &me,
            Command::Answer {
                quiz_id: Some(card.quiz_id),
                letter: OptionLetter::from_index(pick).unwrap(),
            },
        )
        .await;
    }
    run(&app, &me, mark(TopicStatus::Done, Some("alpha"))).await;
    let progress = run(&app, &me, Command::Progress).await.plain_text();
    assert!(
        progress.starts_with("Your progress (topics done / topics, answers, accuracy)"),
        "{progress}"
    );
    assert!(
        progress.contains("- 00 Basics: 1/3 done, 2 answers, 50% right"),
        "{progress}"
    );
    assert!(
        progress.contains("- 01 More things: 0/2 done\n"),
        "{progress}"
    );
    assert!(
        progress.contains("In all: 2 answers, 50% right"),
        "{progress}"
    );
}
}

both_engines! {
#[tokio::test]
async fn due_topics_are_listed_oldest_first() {
    let (_d, store, _) = temp_store().await;
    let app = app_with(store, Timezone::UTC);
    let me = private("ana", NOW);
    run(
        &app,
        &at(&me, "2026-03-02T12:00:00Z"),
        mark(TopicStatus::Later, Some("delta")),
    )
    .await;
    run(
        &app,
        &at(&me, "2026-03-02T11:00:00Z"),
        mark(TopicStatus::Later, Some("beta")),
    )
    .await;
    let progress = run(&app, &me, Command::Progress).await.plain_text();
    assert!(
        progress.contains(
            "Due (marked for later)\n- Beta topic (00 Basics)\n- Delta topic (01 More things)"
        ),
        "{progress}"
    );
}
}

both_engines! {
#[tokio::test]
async fn forgetting_a_learner_deletes_their_topic_statuses() {
    let (_d, store, _) = temp_store().await;
    let app = app_with(store, Timezone::UTC);
    let me = private("ana", NOW);
    run(&app, &me, mark(TopicStatus::Later, Some("beta"))).await;
    run(&app, &me, Command::Forget { confirm: false }).await;
    run(&app, &me, Command::Forget { confirm: true }).await;
    let progress = run(&app, &me, Command::Progress).await.plain_text();
    assert!(progress.starts_with("Nothing yet."), "{progress}");
}
}

// ---- the buttons through the real Telegram adapter ----

const TOKEN: &str = "123456789:AAEstatusTOKEN_0123456789abcdef";
const GROUP: i64 = -4101;
const ANA: i64 = 42;

#[tokio::test(flavor = "multi_thread")]
async fn telegram_shows_the_status_buttons_in_one_row_and_a_press_marks_the_topic() {
    let tg = FakeTelegram::start(TOKEN).await;
    let dir = tempfile::tempdir().unwrap();
    let _bot = BotProcess::spawn(
        dir.path(),
        &[
            ("TELEGRAM_BOT_TOKEN", TOKEN.to_string()),
            ("TELEGRAM_API_URL", tg.url.clone()),
            (
                "DATABASE_URL",
                format!("sqlite://{}", dir.path().join("st.db").display()),
            ),
            ("CONTENT_DIR", fixture_dir().display().to_string()),
            ("STUDYBOT_NOW", NOW.to_string()),
        ],
    );
    tg.wait_for("setMyCommands", 30, |c| {
        c.iter().any(|c| c.method == "setmycommands")
    })
    .await;
    let menu = tg.calls("setMyCommands")[0].body["commands"].clone();
    assert!(
        menu.as_array()
            .unwrap()
            .iter()
            .any(|c| c["command"] == "mark"),
        "{menu}"
    );

    tg.push(text_message(GROUP, ANA, "Ana", "/today"));
    tg.wait_texts(GROUP, 1).await;
    let card = tg.calls("sendMessage").pop().unwrap().body;
    let rows = card["reply_markup"]["inline_keyboard"].as_array().unwrap();
    let datas = |row: &Value| -> Vec<String> {
        row.as_array()
            .unwrap()
            .iter()
            .map(|b| b["callback_data"].as_str().unwrap().to_string())
            .collect()
    };
    let last = rows.last().unwrap();
    assert_eq!(datas(last), ["m:d:alpha", "m:l:alpha", "m:s:alpha"]);
    assert_eq!(
        datas(&rows[0]),
        ["q:alpha"],
        "other buttons keep their own rows"
    );

    tg.push(callback(GROUP, ANA, "Ana", "m:l:alpha"));
    let texts = tg.wait_texts(GROUP, 2).await;
    assert!(
        texts[1].starts_with("Marked \"Alpha topic\" for later"),
        "{texts:?}"
    );
    tg.push(text_message(GROUP, ANA, "Ana", "/progress"));
    let texts = tg.wait_texts(GROUP, 3).await;
    assert!(
        texts[2].contains("• Alpha topic (00 Basics)"),
        "{}",
        texts[2]
    );
    assert_eq!(
        tg.calls("answerCallbackQuery").len(),
        1,
        "the press is acknowledged"
    );
}
