//! Spaced-repetition review through the core against a real SQLite file, with fixed instants:
//! FSRS due dates as the rs-fsrs scheduler computes them, /review, duplicate answers, and the
//! daily reminder through the scheduler.

mod support;

use chrono::{DateTime, Utc};
use rs_fsrs::{Card, FSRS, Parameters, Rating};
use std::sync::Arc;
use studybot::core::messages::ReviewMsg;
use studybot::core::quiz::OptionLetter;
use studybot::core::{
    App, ChatKind, Command, Ctx, FixedClock, Msg, NativeAnswer, Platform, Reply, Timezone,
};
use studybot::scheduler::{Scheduler, SchedulerConfig};
use studybot::store::{ReviewCardRow, ReviewLogRow};
use support::*;

/// The crate's own scheduler, set up as the README documents: default FSRS-5 weights, 90 %
/// retention, whole-day (long-term) intervals, no fuzz.
fn crate_fsrs() -> FSRS {
    FSRS::new(Parameters {
        enable_short_term: false,
        enable_fuzz: false,
        ..Parameters::default()
    })
}

fn new_card(at: DateTime<Utc>) -> Card {
    Card {
        due: at,
        last_review: at,
        ..Card::default()
    }
}

fn at(ctx: &Ctx, now: &str) -> Ctx {
    Ctx {
        now: utc(now),
        ..ctx.clone()
    }
}

/// A quiz as posed: its id, the question (topic, index), the right and a wrong letter.
struct Posed {
    id: i64,
    topic: String,
    question: i64,
    right: OptionLetter,
    wrong: OptionLetter,
}

async fn posed(app: &App, reply: &Reply) -> Posed {
    let card = reply
        .quiz
        .clone()
        .unwrap_or_else(|| panic!("no quiz in {reply:?}"));
    let mut tx = app.store().begin().await.unwrap();
    let row = tx.quiz(card.quiz_id).await.unwrap().unwrap();
    tx.commit().await.unwrap();
    Posed {
        id: card.quiz_id,
        topic: row.topic_id,
        question: row.question_idx,
        right: OptionLetter::from_index(card.correct).unwrap(),
        wrong: OptionLetter::from_index((card.correct + 1) % 4).unwrap(),
    }
}

async fn quiz(app: &App, ctx: &Ctx, target: &str) -> Posed {
    let r = app
        .respond(ctx, Command::Quiz(Some(target.to_string())))
        .await;
    posed(app, &r).await
}

async fn answer(app: &App, ctx: &Ctx, quiz_id: i64, letter: OptionLetter) -> Reply {
    app.respond(
        ctx,
        Command::Answer {
            quiz_id: Some(quiz_id),
            letter,
        },
    )
    .await
}

async fn user_id(app: &App, ctx: &Ctx) -> i64 {
    user_row(app, ctx).await.id
}

async fn card(app: &App, ctx: &Ctx, q: &Posed) -> ReviewCardRow {
    let uid = user_id(app, ctx).await;
    let mut tx = app.store().begin().await.unwrap();
    let c = tx.review_card(uid, &q.topic, q.question).await.unwrap();
    tx.commit().await.unwrap();
    c.expect("answering made a card")
}

async fn log(app: &App, ctx: &Ctx) -> Vec<ReviewLogRow> {
    let uid = user_id(app, ctx).await;
    let mut tx = app.store().begin().await.unwrap();
    let l = tx.review_log(uid).await.unwrap();
    tx.commit().await.unwrap();
    l
}

fn assert_card_is(row: &ReviewCardRow, want: &Card) {
    assert_eq!(row.due_at, want.due, "due date");
    assert_eq!(row.stability, want.stability, "stability");
    assert_eq!(row.difficulty, want.difficulty, "difficulty");
    assert_eq!(row.state, want.state as i64, "state");
    assert_eq!(row.reps, i64::from(want.reps), "reps");
    assert_eq!(row.lapses, i64::from(want.lapses), "lapses");
}

both_engines! {
#[tokio::test]
async fn due_dates_are_what_the_fsrs_scheduler_computes_for_the_same_answers() {
    let (_d, store, _) = temp_store().await;
    let app = app_with(store, Timezone::UTC);
    let fsrs = crate_fsrs();
    let t0 = "2026-03-02T10:00:00Z";
    let me = private("ana", t0);
    // First answer, right: Good on a new card.
    let q = quiz(&app, &me, "alpha").await;
    answer(&app, &me, q.id, q.right).await;
    let mut want = fsrs.next(new_card(utc(t0)), utc(t0), Rating::Good).card;
    assert_card_is(&card(&app, &me, &q).await, &want);

    // When it is due, /review poses it; a wrong answer is Again.
    let t1 = want.due;
    let later = Ctx {
        now: t1,
        ..me.clone()
    };
    let r = app.respond(&later, Command::Review).await;
    let rq = posed(&app, &r).await;
    assert_eq!((&rq.topic, rq.question), (&q.topic, q.question));
    answer(&app, &later, rq.id, rq.wrong).await;
    want = fsrs.next(want, t1, Rating::Again).card;
    assert_card_is(&card(&app, &me, &q).await, &want);

    // Right after wrong: Hard. Then right again: Good.
    for rating in [Rating::Hard, Rating::Good] {
        let t = want.due;
        let ctx = Ctx {
            now: t,
            ..me.clone()
        };
        let r = app.respond(&ctx, Command::Review).await;
        let rq = posed(&app, &r).await;
        answer(&app, &ctx, rq.id, rq.right).await;
        want = fsrs.next(want, t, rating).card;
        assert_card_is(&card(&app, &me, &q).await, &want);
    }

    let ratings: Vec<i64> = log(&app, &me).await.iter().map(|l| l.rating).collect();
    assert_eq!(
        ratings,
        [
            Rating::Good as i64,
            Rating::Again as i64,
            Rating::Hard as i64,
            Rating::Good as i64
        ]
    );
}
}

both_engines! {
#[tokio::test]
async fn a_wrong_answer_brings_the_card_back_sooner_and_hard_sooner_than_good() {
    let (_d, store, _) = temp_store().await;
    let app = app_with(store, Timezone::UTC);
    let t0 = "2026-03-02T10:00:00Z";
    let ana = member("g", "ana", false, t0);
    let bob = member("g", "bob", false, t0);
    let q = quiz(&app, &ana, "alpha").await;
    answer(&app, &ana, q.id, q.right).await;
    answer(&app, &bob, q.id, q.wrong).await;
    let (right, wrong) = (card(&app, &ana, &q).await, card(&app, &bob, &q).await);
    assert!(
        wrong.due_at < right.due_at,
        "wrong {} vs right {}",
        wrong.due_at,
        right.due_at
    );

    // Bob gets it right next time: Hard, which comes back sooner than Good would have.
    let t1 = wrong.due_at;
    let bob1 = Ctx {
        now: t1,
        ..bob.clone()
    };
    let q2 = quiz(&app, &bob1, "alpha").await;
    let q2 = if (q2.topic.as_str(), q2.question) == (q.topic.as_str(), q.question) {
        q2
    } else {
        // The quiz picked another alpha question; answer the same one through a fresh quiz row.
        let mut tx = app.store().begin().await.unwrap();
        let chat = tx
            .upsert_chat(Platform::Telegram, "g", ChatKind::Group, t1)
            .await
            .unwrap();
        let id = tx
            .create_quiz(chat.id, &q.topic, q.question as usize, None, t1)
            .await
            .unwrap();
        tx.commit().await.unwrap();
        Posed { id, ..q }
    };
    let before = studybot::core::review::card_of(&wrong);
    answer(&app, &bob1, q2.id, q2.right).await;
    let hard = card(&app, &bob, &q2).await;
    assert_eq!(hard.last_rating, Rating::Hard as i64);
    let options = crate_fsrs().repeat(before, t1);
    assert_eq!(hard.due_at, options[&Rating::Hard].card.due);
    assert!(hard.due_at < options[&Rating::Good].card.due);
}
}

both_engines! {
#[tokio::test]
async fn review_serves_due_cards_one_after_another_then_says_when_the_next_is_due() {
    let (_d, store, _) = temp_store().await;
    let app = app_with(store, Timezone::UTC);
    // 22:00 in New York on Sunday 03-01 is already Monday in UTC.
    let t0 = "2026-03-02T03:00:00Z";
    let me = private("ana", t0);
    let ny = Timezone::parse("America/New_York").unwrap();
    assert_eq!(
        app.respond(&me, Command::Review).await.plain_text(),
        Msg::Review(ReviewMsg::ReviewNoCards).english()
    );
    app.respond(&me, Command::Timezone(ny)).await;
    let a = quiz(&app, &me, "alpha").await;
    answer(&app, &me, a.id, a.wrong).await;
    let b = quiz(&app, &me, "beta").await;
    answer(&app, &me, b.id, b.wrong).await;

    // Nothing due yet: the next due day, in the learner's zone.
    let first_due = card(&app, &me, &a)
        .await
        .due_at
        .min(card(&app, &me, &b).await.due_at);
    let day = first_due
        .with_timezone(&ny.tz())
        .format("%a %Y-%m-%d")
        .to_string();
    assert_eq!(day, "Mon 2026-03-02", "the New York day, not UTC's 03-03");
    assert_eq!(
        app.respond(&me, Command::Review).await.plain_text(),
        Msg::Review(ReviewMsg::ReviewNothingDue {
            when: day,
            timezone: "America/New_York".into()
        })
        .english()
    );

    // Monday morning in New York both are due: served one after another.
    let mon = at(&me, "2026-03-02T13:00:00Z");
    let r = app.respond(&mon, Command::Review).await;
    assert!(
        r.plain_text().contains("Review (2 cards due)"),
        "{}",
        r.plain_text()
    );
    let first = posed(&app, &r).await;
    let r = answer(&app, &mon, first.id, first.right).await;
    assert!(r.plain_text().starts_with("Correct!"), "{}", r.plain_text());
    assert!(r.plain_text().contains("Review (1 card due)"));
    let second = posed(&app, &r).await;
    assert_ne!(
        (&first.topic, first.question),
        (&second.topic, second.question)
    );
    let r = answer(&app, &mon, second.id, second.right).await;
    assert!(r.quiz.is_none());
    let next = card(&app, &me, &a)
        .await
        .due_at
        .min(card(&app, &me, &b).await.due_at);
    let when = next
        .with_timezone(&ny.tz())
        .format("%a %Y-%m-%d")
        .to_string();
    assert!(
        r.plain_text().ends_with(
            &Msg::Review(ReviewMsg::ReviewAllDone {
                when: when.clone(),
                timezone: "America/New_York".into()
            })
            .english()
        ),
        "{}",
        r.plain_text()
    );
    assert_eq!(
        app.respond(&mon, Command::Review).await.plain_text(),
        Msg::Review(ReviewMsg::ReviewNothingDue {
            when,
            timezone: "America/New_York".into()
        })
        .english()
    );
}
}

both_engines! {
#[tokio::test]
async fn review_is_refused_in_a_telegram_group_but_served_privately_on_discord() {
    let (_d, store, _) = temp_store().await;
    let app = app_with(store, Timezone::UTC);
    let g = member("g", "ana", false, "2026-03-02T10:00:00Z");
    assert_eq!(
        app.respond(&g, Command::Review).await.plain_text(),
        Msg::Review(ReviewMsg::ReviewInPrivate).english()
    );
    let discord = Ctx {
        platform: Platform::Discord,
        caps: studybot::adapters::discord::CAPABILITIES,
        ..g.clone()
    };
    assert_eq!(
        app.respond(&discord, Command::Review).await.plain_text(),
        Msg::Review(ReviewMsg::ReviewNoCards).english()
    );
}
}

both_engines! {
#[tokio::test]
async fn a_duplicate_answer_never_reviews_twice() {
    let (_d, store, _) = temp_store().await;
    let app = app_with(store, Timezone::UTC);
    let t0 = "2026-03-02T10:00:00Z";
    let me = private("ana", t0);
    let q = quiz(&app, &me, "alpha").await;
    // The same platform event delivered twice, then a second answer to the same quiz.
    let event = Ctx {
        event: Some("update-1".into()),
        ..me.clone()
    };
    answer(&app, &event, q.id, q.wrong).await;
    assert!(answer(&app, &event, q.id, q.wrong).await.is_empty());
    answer(&app, &at(&me, "2026-03-02T10:05:00Z"), q.id, q.right).await;
    // A native answer (Telegram poll) to the same quiz, twice.
    app.attach_quiz_ref(Platform::Telegram, q.id, "poll-1")
        .await
        .unwrap();
    for _ in 0..2 {
        app.answer_native(NativeAnswer {
            platform: Platform::Telegram,
            quiz_ref: "poll-1",
            user_id: "ana",
            user_name: "ana",
            option: q.right.index(),
            now: utc("2026-03-02T10:06:00Z"),
            lang: studybot::core::Lang::English,
        })
        .await
        .unwrap();
    }
    let c = card(&app, &me, &q).await;
    assert_eq!((c.reps, c.last_rating), (1, Rating::Again as i64));
    assert_eq!(log(&app, &me).await.len(), 1);
    let want = crate_fsrs()
        .next(new_card(utc(t0)), utc(t0), Rating::Again)
        .card;
    assert_eq!(c.due_at, want.due);
}
}

both_engines! {
#[tokio::test]
async fn a_vote_in_someone_elses_private_quiz_poll_records_nothing() {
    let (_d, store, _) = temp_store().await;
    let app = app_with(store, Timezone::UTC);
    let me = private("ana", "2026-03-02T10:00:00Z");
    let q = quiz(&app, &me, "alpha").await;
    app.attach_quiz_ref(Platform::Telegram, q.id, "poll-1")
        .await
        .unwrap();
    // A forwarded poll keeps its id: Eve can vote in Ana's private quiz.
    let vote = |user: &'static str| NativeAnswer {
        platform: Platform::Telegram,
        quiz_ref: "poll-1",
        user_id: user,
        user_name: user,
        option: q.right.index(),
        now: utc("2026-03-02T10:01:00Z"),
        lang: studybot::core::Lang::English,
    };
    let eve = app.answer_native(vote("eve")).await.unwrap().unwrap();
    assert!(eve.is_empty(), "{eve:?}");
    assert_eq!(app.quizzes().quiz_answer_count(q.id).await.unwrap(), 0);
    // Ana's own vote still counts.
    let ana = app.answer_native(vote("ana")).await.unwrap().unwrap();
    assert!(!ana.is_empty());
    assert_eq!(app.quizzes().quiz_answer_count(q.id).await.unwrap(), 1);
}
}

both_engines! {
#[tokio::test]
async fn a_reminder_is_claimed_once_a_day_and_sent_at_the_local_hour_across_dst() {
    let (_d, store, _) = temp_store().await;
    let app = app_with(store, Timezone::UTC);
    let clock = Arc::new(FixedClock::new(utc("2026-03-27T10:00:00Z")));
    let rec = Arc::new(Recorder::default());
    let s = Scheduler::new(app.clone(), clock.clone(), SchedulerConfig::default())
        .with_target(Platform::Telegram, rec.clone());
    let tick = |now: &str| {
        clock.set(utc(now));
        s.remind_due()
    };

    // Ana in Berlin gets two cards wrong on Friday; they are due on Saturday.
    let ana = private("ana", "2026-03-27T10:00:00Z");
    let berlin = Timezone::parse("Europe/Berlin").unwrap();
    app.respond(&ana, Command::Timezone(berlin)).await;
    for topic in ["alpha", "beta"] {
        let q = quiz(&app, &ana, topic).await;
        answer(&app, &ana, q.id, q.wrong).await;
    }
    let set = app
        .respond(
            &ana,
            studybot::core::parse_command("/remind 08:30", &Default::default())
                .unwrap()
                .unwrap(),
        )
        .await;
    assert_eq!(
        set.plain_text(),
        Msg::Review(ReviewMsg::RemindSet {
            at: "08:30".into(),
            timezone: "Europe/Berlin".into()
        })
        .english()
    );
    // Bob has a reminder and nothing due: he is not messaged.
    let bob = private("bob", "2026-03-27T10:00:00Z");
    app.respond(
        &bob,
        Command::Remind(Some(studybot::core::DailyAt::DEFAULT)),
    )
    .await;

    // Saturday 08:30 CET is 07:30 UTC.
    assert_eq!(tick("2026-03-28T07:29:59Z").await.unwrap().sent, 0);
    assert_eq!(tick("2026-03-28T07:30:00Z").await.unwrap().sent, 1);
    assert_eq!(tick("2026-03-28T07:30:05Z").await.unwrap().sent, 0);
    {
        let sent = rec.sent.lock().unwrap();
        assert_eq!(sent[0].0, "chat-ana");
        assert_eq!(
            sent[0].1.plain_text(),
            Msg::Review(ReviewMsg::ReviewReminder { cards: 2 }).english()
        );
        assert_eq!(sent[0].1.buttons[0].action, studybot::core::Action::Review);
    }
    // Moving the reminder later the same day does not remind twice that day.
    let moved = at(&ana, "2026-03-28T07:45:00Z");
    app.respond(
        &moved,
        Command::Remind(Some(studybot::core::DailyAt::parse("09:00").unwrap())),
    )
    .await;
    assert_eq!(tick("2026-03-28T08:00:00Z").await.unwrap().sent, 0);
    // Sunday the clocks go forward (CEST, UTC+2): 09:00 is 07:00 UTC.
    assert_eq!(tick("2026-03-29T06:59:59Z").await.unwrap().sent, 0);
    assert_eq!(tick("2026-03-29T07:00:00Z").await.unwrap().sent, 1);
    assert_eq!(rec.sent.lock().unwrap().len(), 2);

    // Moving to New York keeps 09:00, now New York's (EDT, UTC-4): 13:00 UTC.
    app.respond(
        &at(&ana, "2026-03-29T08:00:00Z"),
        Command::Timezone(Timezone::parse("America/New_York").unwrap()),
    )
    .await;
    assert_eq!(tick("2026-03-30T07:00:00Z").await.unwrap().sent, 0);
    assert_eq!(tick("2026-03-30T13:00:00Z").await.unwrap().sent, 1);

    // Off means off.
    app.respond(&at(&ana, "2026-03-30T14:00:00Z"), Command::Remind(None))
        .await;
    assert_eq!(tick("2026-03-31T13:00:00Z").await.unwrap().sent, 0);
    assert_eq!(rec.sent.lock().unwrap().len(), 3);
}
}

both_engines! {
#[tokio::test]
async fn reminders_are_only_for_telegram_private_chats() {
    let (_d, store, _) = temp_store().await;
    let app = app_with(store, Timezone::UTC);
    let at9 = Command::Remind(Some(studybot::core::DailyAt::DEFAULT));
    let discord_dm = Ctx {
        platform: Platform::Discord,
        caps: studybot::adapters::discord::CAPABILITIES,
        chat_kind: ChatKind::Private,
        ..private("ana", "2026-03-02T10:00:00Z")
    };
    let group = member("g", "ana", false, "2026-03-02T10:00:00Z");
    for ctx in [&discord_dm, &group] {
        assert_eq!(
            app.respond(ctx, at9.clone()).await.plain_text(),
            Msg::Review(ReviewMsg::RemindTelegramOnly).english()
        );
    }
    let me = private("ana", "2026-03-02T10:00:00Z");
    assert_eq!(
        app.respond(&me, Command::Remind(None)).await.plain_text(),
        Msg::Review(ReviewMsg::RemindWasOff).english()
    );
    app.respond(&me, at9).await;
    assert_eq!(
        app.respond(&me, Command::Remind(None)).await.plain_text(),
        Msg::Review(ReviewMsg::RemindOff).english()
    );
}
}

/// Polls `probe` every 50 ms until it returns something, or panics after 20 s.
async fn eventually<T>(what: String, probe: impl Fn() -> Option<T>) -> T {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        if let Some(v) = probe() {
            return v;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "timed out waiting for {what}"
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// The built binary against the fake Bot API: a reminder due at start arrives in the learner's
/// private chat with a "Review now" button; the button serves the first due card as a quiz poll,
/// answering that poll brings the next one, and then /review says when the next card is due.
#[tokio::test(flavor = "multi_thread")]
async fn on_telegram_a_reminder_leads_to_review_polls_one_after_another() {
    use support::process::BotProcess;
    use support::telegram::{FakeTelegram, callback, poll_answer, text_message};

    const TOKEN: &str = "123456789:AAEtestTOKENvalue_0123456789abcdef";
    const ANA: i64 = 42;
    let now = utc("2026-03-02T10:00:00Z");
    let dir = tempfile::tempdir().unwrap();
    let url = format!("sqlite://{}", dir.path().join("tg.db").display());
    let store = studybot::store::Store::open(&url).await.unwrap();
    let ana_id = {
        // Ana has two cards due since yesterday and a reminder whose time came a minute ago.
        let mut tx = store.begin().await.unwrap();
        let chat = tx
            .upsert_chat(Platform::Telegram, "42", ChatKind::Private, now)
            .await
            .unwrap();
        let user = tx
            .upsert_user(Platform::Telegram, "42", "Ana", now)
            .await
            .unwrap();
        let yesterday = now - chrono::Duration::days(1);
        let catalog = fixture_catalog();
        for topic in ["alpha", "beta"] {
            let reviewed = studybot::core::review::review(None, Rating::Good, yesterday);
            let hash = catalog.topic(topic).unwrap().questions()[0].fingerprint();
            let mut update = reviewed.update(user.id, topic, 0, &hash);
            update.due_at = yesterday;
            tx.save_review_card(&update).await.unwrap();
        }
        tx.set_reminder(
            user.id,
            chat.id,
            "09:59",
            "UTC",
            Some(now - chrono::Duration::minutes(1)),
            now,
        )
        .await
        .unwrap();
        tx.commit().await.unwrap();
        user.id
    };
    let server = FakeTelegram::start(TOKEN).await;
    let tg = &server;
    let _bot = BotProcess::spawn(
        dir.path(),
        &[
            ("TELEGRAM_BOT_TOKEN", TOKEN.to_string()),
            ("TELEGRAM_API_URL", tg.url.clone()),
            ("DATABASE_URL", url.clone()),
            ("CONTENT_DIR", fixture_dir().display().to_string()),
            ("STUDYBOT_NOW", "2026-03-02T10:00:00Z".to_string()),
        ],
    );
    let texts = move |n: usize| {
        eventually(format!("{n} messages"), move || {
            let t = tg.texts(ANA);
            (t.len() >= n).then_some(t)
        })
    };
    let reminder = texts(1).await[0].clone();
    assert!(
        reminder.contains(&Msg::Review(ReviewMsg::ReviewReminder { cards: 2 }).english()),
        "{reminder}"
    );
    let sent = tg.calls("sendMessage");
    assert_eq!(
        sent[0].body["reply_markup"]["inline_keyboard"][0][0]["callback_data"],
        "review"
    );

    // The correct options of the polls sent so far, once there are `n`.
    let polls = move |n: usize| {
        eventually(format!("{n} polls"), move || {
            let polls = tg.calls("sendPoll");
            (polls.len() >= n).then(|| {
                polls
                    .iter()
                    .map(|c| {
                        assert_eq!(c.body["chat_id"], serde_json::json!(ANA));
                        c.body["correct_option_id"].as_u64().unwrap() as u8
                    })
                    .collect::<Vec<u8>>()
            })
        })
    };
    tg.push(callback(ANA, ANA, "Ana", "review"));
    let first = polls(1).await[0];
    tg.push(poll_answer("poll-1", ANA, "Ana", first));
    let second = polls(2).await[1];
    let sent = tg.texts(ANA);
    assert!(
        sent.iter().any(|t| t.contains("Review (1 card due)")),
        "{sent:?}"
    );
    tg.push(poll_answer("poll-2", ANA, "Ana", second));

    // Once both answers are reviewed (the log says so), nothing is due until tomorrow.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    loop {
        let mut tx = store.begin().await.unwrap();
        let reviews = tx.review_log(ana_id).await.unwrap();
        tx.commit().await.unwrap();
        if reviews.len() == 2 {
            assert!(reviews.iter().all(|r| r.rating == Rating::Good as i64));
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{reviews:?}");
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    let before = tg.texts(ANA).len();
    tg.push(text_message(ANA, ANA, "Ana", "/review"));
    let last = texts(before + 1).await[before].clone();
    assert!(last.starts_with("Nothing to review now"), "{last}");
    assert_eq!(tg.calls("sendPoll").len(), 2, "no further poll");
}

/// The fixture curriculum with one question's prompt reworded: the same topic and index, a new
/// question.
fn catalog_with_reworded(
    topic: &str,
    index: usize,
) -> (tempfile::TempDir, studybot::content::Catalog) {
    let dir = tempfile::tempdir().unwrap();
    for entry in std::fs::read_dir(fixture_dir()).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.path().join(entry.file_name())).unwrap();
    }
    let before = fixture_catalog();
    let old = &before.topic(topic).unwrap().questions()[index].prompt;
    let file = dir.path().join("00-basics.toml");
    let text = std::fs::read_to_string(&file).unwrap();
    let needle = format!("prompt = \"{old}\"");
    assert!(text.contains(&needle), "{needle} is in the fixture");
    let text = text.replace(&needle, &format!("prompt = \"{old} (reworded)\""));
    std::fs::write(&file, text).unwrap();
    let catalog = studybot::content::load_catalog(dir.path(), false).unwrap();
    (dir, catalog)
}

both_engines! {
#[tokio::test]
async fn a_card_whose_question_was_rewritten_stops_being_due_and_the_new_question_starts_fresh() {
    let (_d, store, _) = temp_store().await;
    let app = app_with(store.clone(), Timezone::UTC);
    let t0 = "2026-03-02T10:00:00Z";
    let me = private("ana", t0);
    let q = quiz(&app, &me, "alpha").await;
    answer(&app, &me, q.id, q.wrong).await;
    let old = card(&app, &me, &q).await;
    assert!(!old.retired);
    // Nothing changed: nothing retires.
    assert_eq!(app.reviews().retire_changed_cards().await.unwrap(), 0);

    // The content is rewritten: the question at that index is a different question now.
    let (_content, catalog) = catalog_with_reworded(&q.topic, q.question as usize);
    let app = App::new(
        Arc::new(catalog),
        store,
        Arc::new(studybot::core::SeededIds::new(42)),
        Timezone::UTC,
    );
    assert_eq!(app.reviews().retire_changed_cards().await.unwrap(), 1);
    assert!(card(&app, &me, &q).await.retired);
    // When the old card would have been due, /review has nothing to serve.
    let later = at(&me, &(old.due_at + chrono::Duration::days(1)).to_rfc3339());
    let r = app.respond(&later, Command::Review).await;
    assert!(r.quiz.is_none(), "a retired card is not served: {r:?}");
    assert_eq!(
        r.plain_text(),
        Msg::Review(ReviewMsg::ReviewNoCards).english()
    );

    // Answering the new question at that index starts a fresh card (one review, not two).
    let mut tx = app.store().begin().await.unwrap();
    let chat = tx
        .upsert_chat(
            Platform::Telegram,
            &later.chat_id,
            ChatKind::Private,
            later.now,
        )
        .await
        .unwrap();
    let id = tx
        .create_quiz(chat.id, &q.topic, q.question as usize, None, later.now)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    answer(&app, &later, id, q.right).await;
    let fresh = card(&app, &me, &q).await;
    assert!(!fresh.retired);
    assert_eq!(
        (fresh.reps, fresh.lapses),
        (1, 0),
        "a new card, not the old one's history"
    );
    assert_ne!(fresh.question_hash, old.question_hash);
}
}
