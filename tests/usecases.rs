//! The use cases through the core against a real SQLite file, with fixed instants.

mod support;

use studybot::core::messages::{ForgetMsg, GeneralMsg, QuizMsg, ScheduleMsg, StreakMsg, TopicMsg};
use studybot::core::quiz::OptionLetter;
use studybot::core::{App, Command, Ctx, Msg, Reply, Timezone};
use support::*;

async fn run(app: &App, ctx: &Ctx, cmd: Command) -> Reply {
    app.respond(ctx, cmd).await
}

/// Asks for a quiz and returns (quiz id, the right letter, a wrong letter).
async fn quiz(app: &App, ctx: &Ctx, target: Option<&str>) -> (i64, OptionLetter, OptionLetter) {
    let r = run(app, ctx, Command::Quiz(target.map(str::to_string))).await;
    let card = r.quiz.clone().unwrap_or_else(|| panic!("no quiz in {r:?}"));
    let right = OptionLetter::from_index(card.correct).unwrap();
    let wrong = OptionLetter::from_index((card.correct + 1) % 4).unwrap();
    (card.quiz_id, right, wrong)
}

async fn answer(app: &App, ctx: &Ctx, quiz_id: Option<i64>, letter: OptionLetter) -> String {
    run(app, ctx, Command::Answer { quiz_id, letter })
        .await
        .plain_text()
}

/// One quiz answered (right) by `ctx`'s user at `ctx.now`.
async fn study(app: &App, ctx: &Ctx) {
    let (id, right, _) = quiz(app, ctx, None).await;
    answer(app, ctx, Some(id), right).await;
}

fn at(ctx: &Ctx, now: &str) -> Ctx {
    Ctx {
        now: utc(now),
        ..ctx.clone()
    }
}

both_engines! {
#[tokio::test]
async fn a_second_answer_to_the_same_quiz_is_refused_and_counts_nothing() {
    let (_d, store, _) = temp_store().await;
    let app = app_with(store, Timezone::UTC);
    let me = private("ana", "2026-03-02T10:00:00Z");
    let (id, right, wrong) = quiz(&app, &me, None).await;
    assert!(
        answer(&app, &me, None, right)
            .await
            .starts_with("Correct! +")
    );
    let again = answer(&app, &me, None, wrong).await;
    assert_eq!(
        again,
        Msg::Quiz(QuizMsg::AlreadyAnswered {
            letter: right.as_char()
        })
        .english()
    );
    let again_by_id = answer(&app, &me, Some(id), right).await;
    assert!(again_by_id.starts_with("You already answered"));
    let u = user_row(&app, &me).await;
    assert_eq!((u.streak_current, u.xp > 0), (1, true));
    let progress = run(&app, &me, Command::Progress).await.plain_text();
    assert!(
        progress.contains("In all: 1 answer, 100% right"),
        "{progress}"
    );
}
}

both_engines! {
#[tokio::test]
async fn concurrent_duplicate_answers_are_recorded_exactly_once() {
    let (_d, store, _) = temp_store().await;
    let app = app_with(store, Timezone::UTC);
    let me = private("ana", "2026-03-02T10:00:00Z");
    let (id, right, _) = quiz(&app, &me, None).await;
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let (app, me) = (app.clone(), me.clone());
            tokio::spawn(async move { answer(&app, &me, Some(id), right).await })
        })
        .collect();
    let mut correct = 0;
    for t in tasks {
        if t.await.unwrap().starts_with("Correct") {
            correct += 1;
        }
    }
    assert_eq!(correct, 1);
    let u = user_row(&app, &me).await;
    let first_xp = u.xp;
    assert!(
        first_xp > 0 && first_xp <= 30,
        "xp counted once: {first_xp}"
    );
}
}

both_engines! {
#[tokio::test]
async fn in_a_group_every_member_answers_the_same_quiz_once() {
    let (_d, store, _) = temp_store().await;
    let app = app_with(store, Timezone::UTC);
    let ana = member("g1", "ana", false, "2026-03-02T10:00:00Z");
    let ben = member("g1", "ben", false, "2026-03-02T10:01:00Z");
    let (id, right, wrong) = quiz(&app, &ana, None).await;
    assert!(
        answer(&app, &ana, Some(id), right)
            .await
            .starts_with("Correct")
    );
    assert!(
        answer(&app, &ben, Some(id), wrong)
            .await
            .starts_with("Not quite")
    );
    let board = run(&app, &ben, Command::Leaderboard).await.plain_text();
    assert!(
        board.contains("1. ana: ") && board.contains("2. ben: 0 XP (1 answer)"),
        "{board}"
    );
}
}

both_engines! {
#[tokio::test]
async fn a_quiz_of_another_chat_cannot_be_answered_here() {
    let (_d, store, _) = temp_store().await;
    let app = app_with(store, Timezone::UTC);
    let (id, right, _) = quiz(
        &app,
        &member("g1", "ana", false, "2026-03-02T10:00:00Z"),
        None,
    )
    .await;
    let other = member("g2", "ana", false, "2026-03-02T10:00:00Z");
    assert_eq!(
        answer(&app, &other, Some(id), right).await,
        Msg::Quiz(QuizMsg::NoQuizYet).english()
    );
    assert_eq!(
        answer(&app, &other, None, right).await,
        Msg::Quiz(QuizMsg::NoQuizYet).english()
    );
}
}

both_engines! {
#[tokio::test]
async fn settings_in_groups_are_for_admins_only() {
    let (_d, store, _) = temp_store().await;
    let app = app_with(store, Timezone::UTC);
    let pleb = member("g1", "ben", false, "2026-03-02T10:00:00Z");
    let admin = member("g1", "ana", true, "2026-03-02T10:00:00Z");
    let berlin = Timezone::parse("Europe/Berlin").unwrap();
    for cmd in [
        Command::Next,
        Command::Subscribe {
            at: None,
            timezone: None,
        },
        Command::Unsubscribe,
        Command::Timezone(berlin),
    ] {
        assert_eq!(
            run(&app, &pleb, cmd.clone()).await.plain_text(),
            Msg::General(GeneralMsg::AdminOnly).english(),
            "{cmd:?}"
        );
        assert_ne!(
            run(&app, &admin, cmd.clone()).await.plain_text(),
            Msg::General(GeneralMsg::AdminOnly).english(),
            "{cmd:?}"
        );
    }
    // In a private chat the learner is their own admin.
    let me = private("ben", "2026-03-02T10:00:00Z");
    assert!(
        run(&app, &me, Command::Next)
            .await
            .plain_text()
            .starts_with("Beta topic")
    );
}
}

both_engines! {
#[tokio::test]
async fn next_walks_the_curriculum_skipping_outlines_and_says_when_it_ends() {
    let (_d, store, _) = temp_store().await;
    let app = app_with(store, Timezone::UTC);
    let me = private("ana", "2026-03-02T10:00:00Z");
    assert!(
        run(&app, &me, Command::Today)
            .await
            .plain_text()
            .starts_with("Alpha topic")
    );
    let mut walk = Vec::new();
    for _ in 0..4 {
        let text = run(&app, &me, Command::Next).await.plain_text();
        walk.push(text.lines().next().unwrap_or_default().to_string());
    }
    // Gamma is an outline with written topics after it; Epsilon is an outline with nothing after.
    assert_eq!(
        walk,
        [
            "Beta topic",
            "Delta topic",
            "Epsilon outline",
            &Msg::Topic(TopicMsg::EndOfCurriculum).english()
        ]
    );
    let today = run(&app, &me, Command::Today).await.plain_text();
    assert!(
        today.contains(&Msg::Topic(TopicMsg::OutlineNotice).english()),
        "{today}"
    );
}
}

both_engines! {
#[tokio::test]
async fn outlines_are_never_quizzed_and_say_so() {
    let (_d, store, _) = temp_store().await;
    let app = app_with(store, Timezone::UTC);
    let me = private("ana", "2026-03-02T10:00:00Z");
    let r = run(&app, &me, Command::Quiz(Some("gamma".into()))).await;
    assert!(r.quiz.is_none());
    assert_eq!(
        r.plain_text(),
        Msg::Quiz(QuizMsg::NoQuestions {
            topic: "Gamma outline".into()
        })
        .english()
    );
    let topic = run(&app, &me, Command::Topic("gamma outline".into())).await;
    assert!(
        topic
            .plain_text()
            .contains(&Msg::Topic(TopicMsg::OutlineNotice).english())
    );
    assert!(
        !topic
            .buttons
            .iter()
            .any(|b| matches!(b.action, studybot::core::Action::QuizTopic(_))),
        "no 'Quiz me' under an outline"
    );
}
}

both_engines! {
#[tokio::test]
async fn a_quiz_avoids_the_questions_just_asked() {
    let (_d, store, _) = temp_store().await;
    let app = app_with(store, Timezone::UTC);
    let me = private("ana", "2026-03-02T10:00:00Z");
    let mut prompts = Vec::new();
    for _ in 0..3 {
        let r = run(&app, &me, Command::Quiz(Some("alpha".into()))).await;
        prompts.push(r.quiz.unwrap().prompt);
    }
    prompts.sort();
    prompts.dedup();
    assert_eq!(prompts.len(), 3, "alpha's three questions, each once");
}
}

both_engines! {
#[tokio::test]
async fn quiz_accepts_a_section_number_and_prefers_topics_the_chat_has_seen() {
    let (_d, store, _) = temp_store().await;
    let app = app_with(store, Timezone::UTC);
    let me = private("ana", "2026-03-02T10:00:00Z");
    let r = run(&app, &me, Command::Quiz(Some("1".into()))).await;
    assert_eq!(r.quiz.unwrap().topic_title, "Delta topic");
    // Only Alpha has been shown (by /today): a bare /quiz asks about Alpha.
    run(&app, &me, Command::Today).await;
    for _ in 0..3 {
        assert_eq!(
            run(&app, &me, Command::Quiz(None))
                .await
                .quiz
                .unwrap()
                .topic_title,
            "Alpha topic"
        );
    }
}
}

both_engines! {
#[tokio::test]
async fn answering_without_a_quiz_explains_what_to_do() {
    let (_d, store, _) = temp_store().await;
    let app = app_with(store, Timezone::UTC);
    let me = private("ana", "2026-03-02T10:00:00Z");
    let a = OptionLetter::parse("A").unwrap();
    assert_eq!(
        answer(&app, &me, None, a).await,
        Msg::Quiz(QuizMsg::NoQuizYet).english()
    );
    assert_eq!(
        answer(&app, &me, Some(999), a).await,
        Msg::Quiz(QuizMsg::NoQuizYet).english()
    );
}
}

both_engines! {
#[tokio::test]
async fn a_study_day_follows_the_users_timezone_across_midnight() {
    let (_d, store, _) = temp_store().await;
    let app = app_with(store, Timezone::UTC);
    // 18:00Z is 23:30 in Kolkata; 18:45Z is 00:15 the next day there, still the same day in UTC.
    let kolkata = private("ana", "2026-03-01T12:00:00Z");
    run(
        &app,
        &kolkata,
        Command::Timezone(Timezone::parse("Asia/Kolkata").unwrap()),
    )
    .await;
    let utc_user = private("ben", "2026-03-01T12:00:00Z");
    for ctx in [&kolkata, &utc_user] {
        study(&app, &at(ctx, "2026-03-01T18:00:00Z")).await;
        study(&app, &at(ctx, "2026-03-01T18:45:00Z")).await;
    }
    assert_eq!(user_row(&app, &kolkata).await.streak_current, 2);
    assert_eq!(user_row(&app, &utc_user).await.streak_current, 1);
}
}

both_engines! {
#[tokio::test]
async fn a_group_study_day_uses_the_chats_zone_when_the_user_has_none() {
    let (_d, store, _) = temp_store().await;
    let app = app_with(store, Timezone::UTC);
    let admin = member("g1", "ana", true, "2026-03-01T12:00:00Z");
    run(
        &app,
        &admin,
        Command::Timezone(Timezone::parse("America/Los_Angeles").unwrap()),
    )
    .await;
    // 07:00Z on 03-02 is still 23:00 on 03-01 in Los Angeles: the same local day as 20:00Z on 03-01.
    study(&app, &at(&admin, "2026-03-01T20:00:00Z")).await;
    study(&app, &at(&admin, "2026-03-02T07:00:00Z")).await;
    assert_eq!(user_row(&app, &admin).await.streak_current, 1);
    study(&app, &at(&admin, "2026-03-02T09:00:00Z")).await;
    assert_eq!(user_row(&app, &admin).await.streak_current, 2);
}
}

both_engines! {
#[tokio::test]
async fn streaks_count_local_days_across_daylight_saving_changes() {
    let (_d, store, _) = temp_store().await;
    let app = app_with(store, Timezone::parse("America/New_York").unwrap());
    let me = private("ana", "2026-03-01T12:00:00Z");
    // Spring forward on 2026-03-08: 22:30 EST on 03-07, then 23:30 EDT on 03-08 (a 23-hour day).
    study(&app, &at(&me, "2026-03-08T03:30:00Z")).await;
    study(&app, &at(&me, "2026-03-09T03:30:00Z")).await;
    assert_eq!(user_row(&app, &me).await.streak_current, 2);
    // Fall back on 2026-11-01: 00:30 EDT and 23:30 EST are the same 25-hour local day.
    let fall = private("ben", "2026-10-31T12:00:00Z");
    study(&app, &at(&fall, "2026-11-01T04:30:00Z")).await;
    study(&app, &at(&fall, "2026-11-02T04:30:00Z")).await;
    assert_eq!(user_row(&app, &fall).await.streak_current, 1);
    study(&app, &at(&fall, "2026-11-02T06:00:00Z")).await; // 01:00 EST on 11-02
    assert_eq!(user_row(&app, &fall).await.streak_current, 2);
}
}

both_engines! {
#[tokio::test]
async fn a_freeze_earned_in_a_week_saves_the_streak_over_a_missed_day() {
    let (_d, store, _) = temp_store().await;
    let app = app_with(store, Timezone::UTC);
    let me = private("ana", "2026-03-01T12:00:00Z");
    for day in 1..=7 {
        study(&app, &at(&me, &format!("2026-03-{day:02}T12:00:00Z"))).await;
    }
    let u = user_row(&app, &me).await;
    assert_eq!((u.streak_current, u.streak_freezes), (7, 1));
    // 03-08 missed; 03-09 answered: the freeze covers it.
    let late = at(&me, "2026-03-09T12:00:00Z");
    let (id, right, _) = quiz(&app, &late, None).await;
    let reply = answer(&app, &late, Some(id), right).await;
    assert!(
        reply.contains(&Msg::Streak(StreakMsg::FreezeUsed { used: 1 }).english()),
        "{reply}"
    );
    let u = user_row(&app, &me).await;
    assert_eq!(
        (u.streak_current, u.streak_longest, u.streak_freezes),
        (8, 8, 0)
    );
    // Then two missed days with no freeze: a new streak.
    study(&app, &at(&me, "2026-03-12T12:00:00Z")).await;
    let u = user_row(&app, &me).await;
    assert_eq!((u.streak_current, u.streak_longest), (1, 8));
    let shown = run(&app, &at(&me, "2026-03-12T13:00:00Z"), Command::Streak)
        .await
        .plain_text();
    assert!(shown.starts_with("Streak: 1 day (longest 8)"), "{shown}");
}
}

both_engines! {
#[tokio::test]
async fn the_streak_survives_reopening_the_database() {
    let (_d, store, url) = temp_store().await;
    let app = app_with(store.clone(), Timezone::UTC);
    let me = private("ana", "2026-03-01T12:00:00Z");
    study(&app, &me).await;
    store.close().await;
    drop(app);
    let reopened = studybot::store::Store::open(&url).await.unwrap();
    let app = app_with(reopened, Timezone::UTC);
    study(&app, &at(&me, "2026-03-02T12:00:00Z")).await;
    assert_eq!(user_row(&app, &me).await.streak_current, 2);
}
}

both_engines! {
#[tokio::test]
async fn the_weekly_leaderboard_starts_on_monday_in_the_chats_zone() {
    let (_d, store, _) = temp_store().await;
    let app = app_with(store, Timezone::UTC);
    let ana = member("g1", "ana", true, "2026-03-01T12:00:00Z"); // Sunday
    study(&app, &ana).await;
    let ben = member("g1", "ben", false, "2026-03-02T12:00:00Z"); // Monday
    study(&app, &ben).await;
    let board = run(&app, &ben, Command::Leaderboard).await.plain_text();
    let (week, all) = board.split_once("All time").unwrap();
    assert!(week.contains("1. ben") && !week.contains("ana"), "{board}");
    assert!(all.contains("ana") && all.contains("ben"), "{board}");
}
}

both_engines! {
#[tokio::test]
async fn forget_needs_a_confirmation_and_then_deletes_the_learners_data() {
    let (_d, store, _) = temp_store().await;
    let app = app_with(store, Timezone::UTC);
    let ana = member("g1", "ana", false, "2026-03-02T12:00:00Z");
    study(&app, &ana).await;
    let unasked = run(&app, &ana, Command::Forget { confirm: true })
        .await
        .plain_text();
    assert_eq!(unasked, Msg::Forget(ForgetMsg::ForgetNotAsked).english());
    let ask = run(&app, &ana, Command::Forget { confirm: false }).await;
    assert_eq!(ask.buttons.len(), 1);
    // A confirmation after the window is refused.
    let stale = run(
        &app,
        &at(&ana, "2026-03-02T12:11:00Z"),
        Command::Forget { confirm: true },
    )
    .await;
    assert_eq!(
        stale.plain_text(),
        Msg::Forget(ForgetMsg::ForgetNotAsked).english()
    );
    run(&app, &ana, Command::Forget { confirm: false }).await;
    let done = run(
        &app,
        &at(&ana, "2026-03-02T12:05:00Z"),
        Command::Forget { confirm: true },
    )
    .await;
    let done = done.plain_text();
    assert!(
        done.starts_with("Done: I deleted your data: 1 answer, "),
        "{done}"
    );
    let board = run(&app, &ana, Command::Leaderboard).await.plain_text();
    assert!(!board.contains("ana:"), "{board}");
    assert_eq!(user_row(&app, &ana).await.xp, 0);
}
}

both_engines! {
#[tokio::test]
async fn subscribe_defaults_to_nine_in_the_chats_zone() {
    let (_d, store, _) = temp_store().await;
    let app = app_with(store, Timezone::parse("Europe/Berlin").unwrap());
    let admin = member("g1", "ana", true, "2026-03-02T12:00:00Z");
    let r = run(
        &app,
        &admin,
        Command::Subscribe {
            at: None,
            timezone: None,
        },
    )
    .await
    .plain_text();
    let subscribed = Msg::Schedule(ScheduleMsg::Subscribed {
        at: "09:00".into(),
        timezone: "Europe/Berlin".into(),
    })
    .english();
    // 2026-03-02T12:00Z is 13:00 in Berlin: the next 09:00 is tomorrow's.
    assert_eq!(r, format!("{subscribed}\nNext push: Tue 2026-03-03 09:00"));
    assert_eq!(
        run(&app, &admin, Command::Unsubscribe).await.plain_text(),
        Msg::Schedule(ScheduleMsg::Unsubscribed).english()
    );
    assert_eq!(
        run(&app, &admin, Command::Unsubscribe).await.plain_text(),
        Msg::Schedule(ScheduleMsg::NotSubscribed).english()
    );
}
}

both_engines! {
#[tokio::test]
async fn hostile_display_names_are_stored_clipped_and_without_control_characters() {
    let (_d, store, _) = temp_store().await;
    let app = app_with(store, Timezone::UTC);
    let mut me = member("g1", "x", false, "2026-03-02T12:00:00Z");
    me.user_name = format!("evil\u{0}\u{1b}[2J{}", "n".repeat(500));
    study(&app, &me).await;
    let board = run(&app, &me, Command::Leaderboard).await.plain_text();
    let line = board
        .lines()
        .find(|l| l.starts_with("- 1. evil"))
        .unwrap_or_else(|| panic!("{board}"));
    assert!(!line.chars().any(char::is_control), "{line:?}");
    assert!(line.chars().count() < 120, "{line}");
}
}
