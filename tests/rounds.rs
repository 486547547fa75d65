//! Timed group quiz rounds. The rules through the core and the scheduler with a fixed clock that
//! the tests move (first answer counts, faster right answers score more, one round per chat,
//! deadlines advance the round, scoreboards, failures, restarts); then a round with three users
//! through the built binary against the fake Telegram server, restarted mid-round, and the
//! Discord round target against the fake Discord REST API.

mod support;

use chrono::Duration;
use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use studybot::core::quiz::OptionLetter;
use studybot::core::{
    App, ChatKind, Clock, Command, Ctx, FixedClock, Platform, Reply, RoundDelivery, RoundQuestion,
    RoundStep, Timezone,
};
use studybot::scheduler::{RoundTarget, Scheduler, SchedulerConfig};
use studybot::store::Store;
use support::*;

const T0: &str = "2026-03-02T10:00:00Z";
const GROUP: &str = "g1";

/// A platform that records every step it is asked to play; posts can be made to fail.
#[derive(Default)]
struct Recorder {
    steps: Mutex<Vec<RoundStep>>,
    fail: AtomicBool,
    next_ref: AtomicU64,
}

impl RoundTarget for Recorder {
    fn play<'a>(
        &'a self,
        _chat: &'a str,
        step: &'a RoundStep,
    ) -> Pin<Box<dyn Future<Output = RoundDelivery> + Send + 'a>> {
        Box::pin(async move {
            self.steps.lock().unwrap().push(step.clone());
            if self.fail.load(Ordering::SeqCst) {
                return Err("Forbidden: bot was kicked from the group chat".into());
            }
            Ok(match step {
                RoundStep::Post {
                    question: Some(_), ..
                } => Some(format!("m{}", self.next_ref.fetch_add(1, Ordering::SeqCst))),
                _ => None,
            })
        })
    }
}

impl Recorder {
    fn take(&self) -> Vec<RoundStep> {
        std::mem::take(&mut self.steps.lock().unwrap())
    }
}

/// The core, the scheduler and a recording platform over one store, at a clock the test moves.
struct World {
    app: App,
    clock: Arc<FixedClock>,
    scheduler: Scheduler,
    platform: Arc<Recorder>,
}

impl World {
    fn new(store: Store) -> World {
        World::at(store, utc(T0))
    }

    /// A fresh process over the same store: what a restart is.
    fn at(store: Store, now: chrono::DateTime<chrono::Utc>) -> World {
        let app = app_with(store, Timezone::UTC);
        let clock = Arc::new(FixedClock::new(now));
        let platform = Arc::new(Recorder::default());
        let scheduler = Scheduler::new(app.clone(), clock.clone(), SchedulerConfig::default())
            .with_round_target(Platform::Telegram, platform.clone());
        World {
            app,
            clock,
            scheduler,
            platform,
        }
    }

    fn advance(&self, secs: i64) {
        self.clock.advance(Duration::seconds(secs));
    }

    fn who(&self, user: &str) -> Ctx {
        let mut ctx = member(GROUP, user, user == "admin", T0);
        ctx.now = self.clock.now();
        ctx
    }

    /// `/round …`, then the few seconds until its first question is due.
    async fn start(&self, user: &str, cmd: Command) -> String {
        let reply = self.say(user, cmd).await;
        self.advance(studybot::core::round::START_SECS);
        reply
    }

    async fn say(&self, user: &str, cmd: Command) -> String {
        self.app.respond(&self.who(user), cmd).await.plain_text()
    }

    /// One scheduler tick; returns the steps it played.
    async fn tick(&self) -> Vec<RoundStep> {
        self.scheduler.rounds_due().await.unwrap();
        self.platform.take()
    }

    async fn answer(&self, user: &str, q: &RoundQuestion, right: bool) -> String {
        let i = if right {
            q.card.correct
        } else {
            (q.card.correct + 1) % 4
        };
        self.say(
            user,
            Command::Answer {
                quiz_id: Some(q.card.quiz_id),
                letter: OptionLetter::from_index(i).unwrap(),
            },
        )
        .await
    }
}

fn round(n: u32, source: Option<&str>) -> Command {
    Command::Round(studybot::core::round::RoundRequest {
        questions: n,
        source: source.map(str::to_string),
    })
}

/// The single post among `steps`: (closed question, text, new question).
fn post(steps: &[RoundStep]) -> (Option<RoundQuestion>, Reply, Option<RoundQuestion>) {
    assert_eq!(steps.len(), 1, "{steps:#?}");
    match &steps[0] {
        RoundStep::Post {
            closed,
            text,
            question,
        } => (closed.clone(), text.clone(), question.clone()),
        other => panic!("not a post: {other:?}"),
    }
}

both_engines! {
#[tokio::test]
async fn a_round_posts_one_question_at_a_time_and_each_deadline_moves_it_on() {
    let (_d, store, _) = temp_store().await;
    let w = World::new(store);
    let started = w.start("ana", round(2, Some("basics"))).await;
    assert!(
        started.starts_with("Quiz round: 2 questions from Basics, 30 seconds each."),
        "{started}"
    );

    let (closed, text, q1) = post(&w.tick().await);
    assert_eq!(closed, None);
    let q1 = q1.unwrap();
    assert_eq!((q1.number, q1.total, q1.open_secs), (1, 2, 30));
    assert_eq!(
        text.plain_text(),
        format!("Question 1 of 2 · {}", q1.card.topic_title)
    );
    assert!(w.tick().await.is_empty(), "nothing more until time passes");

    // Every 10 s a countdown (for platforms without a timer of their own).
    w.advance(10);
    let steps = w.tick().await;
    assert!(
        matches!(&steps[..], [RoundStep::Countdown { seconds_left: 20, answered: 0, question }] if question.number == 1 && question.message_ref.as_deref() == Some("m0")),
        "{steps:?}"
    );
    w.advance(10);
    assert!(matches!(
        &w.tick().await[..],
        [RoundStep::Countdown {
            seconds_left: 10,
            ..
        }]
    ));
    // The question closes 30 s after it was posted, plus 2 s for late deliveries.
    w.advance(10);
    assert!(matches!(
        &w.tick().await[..],
        [RoundStep::Countdown {
            seconds_left: 0,
            ..
        }]
    ));
    w.advance(1);
    assert!(w.tick().await.is_empty());
    w.advance(1);
    let (closed, text, q2) = post(&w.tick().await);
    assert_eq!(closed.map(|c| c.number), Some(1));
    let text = text.plain_text();
    assert!(text.starts_with("Time's up! The answer was "), "{text}");
    assert!(text.contains("Nobody answered this one."), "{text}");
    let q2 = q2.unwrap();
    assert!(
        text.ends_with(&format!("Question 2 of 2 · {}", q2.card.topic_title)),
        "{text}"
    );
    assert_ne!(
        (q1.card.quiz_id, q1.card.prompt.clone()),
        (q2.card.quiz_id, q2.card.prompt.clone())
    );

    w.advance(32);
    let steps = w.tick().await;
    let tail: Vec<&RoundStep> = steps
        .iter()
        .filter(|s| matches!(s, RoundStep::Post { .. }))
        .collect();
    let (closed, text, next) = post(&tail.into_iter().cloned().collect::<Vec<_>>());
    assert_eq!(closed.map(|c| c.number), Some(2));
    assert_eq!(next, None, "two questions were asked");
    assert!(
        text.plain_text()
            .ends_with("Round over! Final scores\nNobody answered in this round."),
        "{}",
        text.plain_text()
    );
    w.advance(60);
    assert!(w.tick().await.is_empty(), "the round is over");
    let again = w.say("ben", round(1, None)).await;
    assert!(again.starts_with("Quiz round: 1 question"), "{again}");
}
}

both_engines! {
#[tokio::test]
async fn each_members_first_answer_counts_and_faster_right_answers_score_more() {
    let (_d, store, _) = temp_store().await;
    let w = World::new(store);
    w.start("ana", round(1, Some("alpha"))).await;
    let (_, _, q) = post(&w.tick().await);
    let q = q.unwrap();

    w.advance(3);
    let ana = w.answer("ana", &q, true).await;
    assert!(ana.starts_with("Correct! +"), "{ana}");
    assert!(ana.contains("Round: +950 points"), "3 s of 30: {ana}");
    w.advance(2);
    let cy = w.answer("cy", &q, false).await;
    assert!(cy.contains("Round: +0 points"), "{cy}");
    w.advance(7);
    let ben = w.answer("ben", &q, true).await;
    assert!(ben.contains("Round: +800 points"), "12 s of 30: {ben}");
    let again = w.answer("ana", &q, false).await;
    assert!(again.starts_with("You already answered"), "{again}");

    w.advance(20);
    let (_, text, next) = post(&w.tick().await);
    assert_eq!(next, None);
    let text = text.plain_text();
    for line in [
        "2 of 3 answered right.",
        "Fastest right answer: ana (+950).",
        "Round over! Final scores",
        "- 1. ana: 950 points (1 of 1 right)",
        "- 2. ben: 800 points (1 of 1 right)",
        "- 3. cy: 0 points (0 of 1 right)",
        "Winner: ana with 950 points!",
    ] {
        assert!(text.contains(line), "{line:?} in\n{text}");
    }
    // Round answers are ordinary answers: streak, XP and progress count them, once.
    let progress = w.say("ana", Command::Progress).await;
    assert!(
        progress.contains("In all: 1 answer, 100% right"),
        "{progress}"
    );
    let streak = w.say("ben", Command::Streak).await;
    assert!(streak.starts_with("Streak: 1 day"), "{streak}");
}
}

both_engines! {
#[tokio::test]
async fn an_answer_counts_until_the_question_closes_and_not_after() {
    let (_d, store, _) = temp_store().await;
    let w = World::new(store);
    w.start("ana", round(2, Some("basics"))).await;
    let (_, _, q) = post(&w.tick().await);
    let q = q.unwrap();
    // 31 s: past the open period but within the grace for late deliveries: half points.
    w.advance(31);
    let late = w.answer("ana", &q, true).await;
    assert!(late.contains("Round: +500 points"), "{late}");
    // 33 s: closed, even though the scheduler has not ticked yet.
    w.advance(2);
    let too_late = w.answer("ben", &q, true).await;
    assert!(
        too_late.starts_with("Time's up for this question"),
        "{too_late}"
    );
    let (_, text, q2) = post(&w.tick().await);
    assert!(text.plain_text().contains("1 of 1 answered right."));
    // The closed question stays closed while the next one is open.
    let again = w.answer("ben", &q, true).await;
    assert!(again.starts_with("Time's up for this question"), "{again}");
    let on_time = w.answer("ben", &q2.unwrap(), true).await;
    assert!(on_time.contains("Round: +1000 points"), "{on_time}");
}
}

both_engines! {
#[tokio::test]
async fn a_chat_runs_one_round_at_a_time_and_the_schema_enforces_it() {
    let (_d, store, _) = temp_store().await;
    let w = World::new(store.clone());
    w.start("ana", round(5, None)).await;
    w.tick().await;
    let second = w.say("ben", round(3, None)).await;
    assert_eq!(
        second,
        "A round is already running here (question 1 of 5). /round stop ends it."
    );
    // Another group can play at the same time.
    let elsewhere = w
        .app
        .respond(&member("g2", "cy", false, T0), round(1, None))
        .await
        .plain_text();
    assert!(elsewhere.starts_with("Quiz round"), "{elsewhere}");
    // Below the core: the store refuses a second running round in the chat.
    let mut tx = store.begin().await.unwrap();
    let chat = tx
        .upsert_chat(Platform::Telegram, GROUP, ChatKind::Group, utc(T0))
        .await
        .unwrap();
    let user = tx
        .upsert_user(Platform::Telegram, "ben", "ben", utc(T0))
        .await
        .unwrap();
    let again = tx
        .create_round(chat.id, None, 3, 30, user.id, utc(T0))
        .await
        .unwrap();
    assert_eq!(again, None);
}
}

both_engines! {
#[tokio::test]
async fn rounds_are_for_groups() {
    let (_d, store, _) = temp_store().await;
    let app = app_with(store, Timezone::UTC);
    let r = app
        .respond(&private("ana", T0), round(5, None))
        .await
        .plain_text();
    assert!(r.starts_with("Quiz rounds are for groups"), "{r}");
}
}

both_engines! {
#[tokio::test]
async fn a_post_that_fails_ends_the_round_with_a_note_and_the_scores_kept() {
    let (_d, store, _) = temp_store().await;
    let w = World::new(store);
    w.start("ana", round(3, Some("basics"))).await;
    let (_, _, q1) = post(&w.tick().await);
    w.advance(4);
    w.answer("ana", &q1.unwrap(), true).await;
    // The bot is removed from the group: the next post fails.
    w.platform.fail.store(true, Ordering::SeqCst);
    w.advance(30);
    let steps = w.tick().await;
    assert_eq!(steps.len(), 2, "the failed post, then the note: {steps:#?}");
    let (_, note, question) = post(&steps[1..]);
    assert_eq!(question, None);
    let note = note.plain_text();
    assert!(
        note.starts_with("The round stopped: a message could not be sent here."),
        "{note}"
    );
    assert!(
        note.contains("- 1. ana: 933 points (1 of 1 right)"),
        "{note}"
    );
    w.platform.fail.store(false, Ordering::SeqCst);
    w.advance(60);
    assert!(w.tick().await.is_empty(), "the round is over, not stuck");
    let again = w.say("ana", round(1, None)).await;
    assert!(again.starts_with("Quiz round"), "{again}");
}
}

both_engines! {
#[tokio::test]
async fn after_a_restart_the_open_question_keeps_its_time_and_the_round_goes_on() {
    let (_d, store, _) = temp_store().await;
    let w = World::new(store.clone());
    w.start("ana", round(2, Some("basics"))).await;
    let (_, _, q1) = post(&w.tick().await);
    let q1 = q1.unwrap();
    w.advance(2);
    w.answer("ana", &q1, true).await;
    let stopped_at = w.clock.now();
    drop(w);

    // The new process comes back 6 s later: nothing to recover, the question is still open.
    let w = World::at(store, stopped_at + Duration::seconds(6));
    assert_eq!(
        w.scheduler.recover_rounds().await.unwrap(),
        Default::default()
    );
    let ben = w.answer("ben", &q1, true).await;
    assert!(ben.contains("Round: +867 points"), "8 s of 30: {ben}");
    w.advance(24);
    let (closed, text, q2) = post(&w.tick().await);
    assert_eq!(closed.unwrap().card.quiz_id, q1.card.quiz_id);
    let text = text.plain_text();
    assert!(text.contains("- 1. ana: 967 points"), "{text}");
    assert!(text.contains("- 2. ben: 867 points"), "{text}");
    assert_eq!(q2.unwrap().number, 2);
}
}

both_engines! {
#[tokio::test]
async fn a_post_cut_off_by_a_stop_is_sent_again_at_start() {
    let (_d, store, _) = temp_store().await;
    let w = World::new(store.clone());
    w.say("ana", round(2, None)).await;
    // The process claims the first question and stops before the platform confirms it.
    assert!(
        w.app
            .rounds()
            .due_round_jobs(utc(T0))
            .await
            .unwrap()
            .is_empty(),
        "not yet"
    );
    let claimed = w
        .app
        .rounds()
        .due_round_jobs(utc(T0) + Duration::seconds(3))
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    drop(w);

    let w = World::at(store, utc(T0) + Duration::seconds(20));
    w.scheduler.recover_rounds().await.unwrap();
    let (_, text, q) = post(&w.platform.take());
    let q = q.unwrap();
    assert_eq!(q.number, 1);
    let RoundStep::Post {
        question: Some(first),
        ..
    } = &claimed[0].step
    else {
        panic!()
    };
    assert_eq!(
        q.card.quiz_id, first.card.quiz_id,
        "the same question again"
    );
    assert!(
        text.plain_text().ends_with("Sent again after a restart."),
        "{}",
        text.plain_text()
    );
    // Its time counts from the new post.
    w.advance(30);
    assert!(matches!(&w.tick().await[..], [RoundStep::Countdown { .. }]));
    w.advance(2);
    assert!(matches!(
        &w.tick().await[..],
        [RoundStep::Post {
            question: Some(_),
            ..
        }]
    ));
}
}

both_engines! {
#[tokio::test]
async fn a_round_whose_question_closed_long_before_a_restart_ends_with_the_scores_so_far() {
    let (_d, store, _) = temp_store().await;
    let w = World::new(store.clone());
    w.start("ana", round(5, Some("basics"))).await;
    let (_, _, q1) = post(&w.tick().await);
    w.advance(1);
    w.answer("ben", &q1.unwrap(), true).await;
    drop(w);

    let w = World::at(store, utc(T0) + Duration::minutes(10));
    w.scheduler.recover_rounds().await.unwrap();
    let (closed, text, next) = post(&w.tick().await);
    assert_eq!(closed.map(|c| c.number), Some(1));
    assert_eq!(next, None);
    let text = text.plain_text();
    assert!(
        text.contains("The round was interrupted (the bot was offline) and ends here."),
        "{text}"
    );
    assert!(text.contains("Winner: ben with 983 points!"), "{text}");
    let again = w.say("ana", round(1, None)).await;
    assert!(again.starts_with("Quiz round"), "{again}");
}
}

both_engines! {
#[tokio::test]
async fn round_stop_is_for_the_starter_or_an_admin_and_closes_the_open_question() {
    let (_d, store, _) = temp_store().await;
    let w = World::new(store);
    assert_eq!(
        w.say("ana", Command::RoundStop).await,
        "No round is running here. Start one with /round."
    );
    w.start("ana", round(5, None)).await;
    let (_, _, q1) = post(&w.tick().await);
    let q1 = q1.unwrap();
    w.answer("ben", &q1, true).await;
    let refused = w.say("ben", Command::RoundStop).await;
    assert!(
        refused.starts_with("Only the member who started"),
        "{refused}"
    );
    let stopped = w.say("ana", Command::RoundStop).await;
    assert!(
        stopped.starts_with("Round stopped after question 1 of 5.\nRound over! Final scores"),
        "{stopped}"
    );
    assert!(
        stopped.contains("Winner: ben with 1000 points!"),
        "{stopped}"
    );
    let late = w.answer("cy", &q1, true).await;
    assert!(late.starts_with("Time's up for this question"), "{late}");
    w.advance(60);
    assert!(w.tick().await.is_empty());
    // An admin may stop someone else's round.
    w.say("ben", round(2, None)).await;
    let by_admin = w.say("admin", Command::RoundStop).await;
    assert!(by_admin.starts_with("Round stopped"), "{by_admin}");
}
}

// ---- a round through the built binary against the fake Telegram server ----

mod telegram_round {
    use super::*;
    use serde_json::{Value, json};
    use std::path::{Path, PathBuf};
    use support::process::BotProcess;
    use support::telegram::{FakeTelegram, poll_answer, text_message};

    const TOKEN: &str = "123456789:AAEroundTOKEN_0123456789abcdef";
    const GROUP: i64 = -4201;
    const ANA: i64 = 51;
    const BEN: i64 = 52;
    const CY: i64 = 53;

    /// The bot, its database and the clock file the test moves.
    struct Harness {
        tg: FakeTelegram,
        bot: Option<BotProcess>,
        dir: tempfile::TempDir,
        store: Store,
    }

    impl Harness {
        async fn start() -> Harness {
            let tg = FakeTelegram::start(TOKEN).await;
            let dir = tempfile::tempdir().unwrap();
            let mut h = Harness {
                tg,
                bot: None,
                store: Store::open(&db_url(dir.path())).await.unwrap(),
                dir,
            };
            h.set_clock(0);
            h.spawn().await;
            h
        }

        fn clock_file(&self) -> PathBuf {
            self.dir.path().join("now")
        }

        /// Moves the bot's clock to `secs` after T0 (written whole, then renamed into place).
        fn set_clock(&self, secs: i64) {
            let t = (utc(T0) + Duration::seconds(secs)).to_rfc3339();
            let tmp = self.dir.path().join("now.tmp");
            std::fs::write(&tmp, t).unwrap();
            std::fs::rename(&tmp, self.clock_file()).unwrap();
        }

        async fn spawn(&mut self) {
            let before = self.tg.calls("setMyCommands").len();
            self.bot = Some(BotProcess::spawn(
                self.dir.path(),
                &[
                    ("TELEGRAM_BOT_TOKEN", TOKEN.to_string()),
                    ("TELEGRAM_API_URL", self.tg.url.clone()),
                    ("DATABASE_URL", db_url(self.dir.path())),
                    ("CONTENT_DIR", fixture_dir().display().to_string()),
                    (
                        "STUDYBOT_CLOCK_FILE",
                        self.clock_file().display().to_string(),
                    ),
                ],
            ));
            self.tg
                .wait_for("setMyCommands", 30, |c| {
                    c.iter().filter(|c| c.method == "setmycommands").count() > before
                })
                .await;
        }

        /// The `n`-th quiz poll the bot sent (1-based): its request body.
        async fn poll(&self, n: usize) -> Value {
            let calls = self
                .tg
                .wait_for(&format!("quiz poll {n}"), 20, |c| {
                    c.iter().filter(|c| c.method == "sendpoll" && c.ok).count() >= n
                })
                .await;
            calls
                .into_iter()
                .filter(|c| c.method == "sendpoll" && c.ok)
                .nth(n - 1)
                .unwrap()
                .body
        }

        /// Waits until round question `number` is open (its post confirmed in the store), so
        /// moving the clock after this cannot move its opening time.
        async fn wait_open(&self, number: i64) {
            self.wait_store(&format!("question {number} open"), |tx| {
                Box::pin(async move {
                    tx.round_question(1, number)
                        .await
                        .unwrap()
                        .is_some_and(|q| q.opened_at.is_some())
                })
            })
            .await;
        }

        /// Waits until the quiz behind poll `n` has `count` answers recorded.
        async fn wait_answers(&self, n: usize, count: i64) {
            self.wait_store(&format!("{count} answers to poll {n}"), move |tx| {
                Box::pin(async move {
                    match tx.quiz_by_ref(&format!("telegram:poll-{n}")).await.unwrap() {
                        Some(q) => tx.answer_count(q.id).await.unwrap() >= count,
                        None => false,
                    }
                })
            })
            .await;
        }

        async fn wait_store(
            &self,
            what: &str,
            check: impl Fn(&mut studybot::store::Tx) -> Pin<Box<dyn Future<Output = bool> + Send + '_>>,
        ) {
            for _ in 0..400 {
                let mut tx = self.store.begin().await.unwrap();
                let done = check(&mut tx).await;
                drop(tx);
                if done {
                    return;
                }
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            panic!("timed out waiting for {what}");
        }

        /// A member votes in poll `n`: right or wrong.
        fn vote(&self, n: usize, poll: &Value, from: i64, name: &str, right: bool) {
            let correct = poll["correct_option_id"].as_u64().unwrap() as u8;
            let option = if right { correct } else { (correct + 1) % 4 };
            self.tg
                .push(poll_answer(&format!("poll-{n}"), from, name, option));
        }

        /// Waits for the `n`-th message in the group and returns it.
        async fn text(&self, n: usize) -> String {
            self.tg.wait_texts(GROUP, n).await[n - 1].clone()
        }
    }

    fn db_url(dir: &Path) -> String {
        format!("sqlite://{}", dir.join("round.db").display())
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn three_members_play_a_round_through_telegram_polls_across_a_restart() {
        let mut h = Harness::start().await;
        h.tg.push(text_message(GROUP, ANA, "Ana", "/round 3 basics"));
        let started = h.text(1).await;
        assert!(
            started.starts_with("Quiz round: 3 questions from Basics, 30 seconds each."),
            "{started}"
        );
        assert!(
            h.tg.calls("sendPoll").is_empty(),
            "the announcement comes first"
        );
        h.set_clock(3);

        // Question 1: a heading, then a quiz poll that Telegram closes after 30 s.
        let p1 = h.poll(1).await;
        assert_eq!(
            (&p1["type"], &p1["is_anonymous"], &p1["open_period"]),
            (&json!("quiz"), &json!(false), &json!(30))
        );
        assert!(h.text(2).await.starts_with("<b>Question 1 of 3 · "));
        h.wait_open(1).await;
        h.set_clock(6);
        h.vote(1, &p1, ANA, "Ana", true);
        h.vote(1, &p1, BEN, "Ben", false);
        h.wait_answers(1, 2).await;

        // The bot is killed mid-question and comes back: the question is still open.
        drop(h.bot.take());
        h.spawn().await;
        h.set_clock(9);
        h.vote(1, &p1, CY, "Cy", true);
        h.wait_answers(1, 3).await;

        // Time's up (30 s + 2 s grace): results and scores, then question 2.
        h.set_clock(35);
        let results = h.text(3).await;
        for part in [
            "Time's up! The answer was ",
            "2 of 3 answered right.",
            "Fastest right answer: Ana (+950).",
            "<b>Scores after question 1 of 3</b>",
            "• 1. Ana: 950 points (1 of 1 right)",
            "• 2. Cy: 900 points (1 of 1 right)",
            "• 3. Ben: 0 points (0 of 1 right)",
            "<b>Question 2 of 3 · ",
        ] {
            assert!(results.contains(part), "{part:?} in\n{results}");
        }
        let p2 = h.poll(2).await;
        assert_ne!(p2["question"], p1["question"]);
        h.wait_open(2).await;
        h.set_clock(37);
        h.vote(2, &p2, ANA, "Ana", true);
        h.wait_answers(2, 1).await;
        h.set_clock(43);
        h.vote(2, &p2, BEN, "Ben", true);
        h.vote(2, &p2, CY, "Cy", false);
        h.wait_answers(2, 3).await;
        // A second vote of the same member changes nothing (the scores below show it).
        h.vote(2, &p2, CY, "Cy", true);

        h.set_clock(67);
        let results = h.text(4).await;
        assert!(
            results.contains("• 1. Ana: 1917 points (2 of 2 right)"),
            "{results}"
        );
        let p3 = h.poll(3).await;
        h.wait_open(3).await;
        h.set_clock(68);
        h.vote(3, &p3, CY, "Cy", true);
        h.vote(3, &p3, ANA, "Ana", false);
        h.wait_answers(3, 2).await;
        // Ben answers after the question closed: it does not count.
        h.set_clock(100);
        let last = h.text(5).await;
        h.vote(3, &p3, BEN, "Ben", true);
        for part in [
            "<b>Round over! Final scores</b>",
            "• 1. Ana: 1917 points (2 of 3 right)",
            "• 2. Cy: 1883 points (2 of 3 right)",
            "• 3. Ben: 867 points (1 of 2 right)",
            "Winner: Ana with 1917 points!",
        ] {
            assert!(last.contains(part), "{part:?} in\n{last}");
        }
        let bot = h.bot.as_ref().unwrap();
        for _ in 0..400 {
            if bot.logs().contains("a poll answer did not count") {
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        let refused = bot
            .logs()
            .lines()
            .find(|l| l.contains("a poll answer did not count"))
            .map(str::to_string)
            .unwrap_or_default();
        assert!(
            refused.contains("poll-3") && refused.contains("Time's up for this question"),
            "{}",
            bot.logs()
        );
        assert_eq!(h.tg.calls("sendPoll").len(), 3, "three questions, no more");
        let mut tx = h.store.begin().await.unwrap();
        let q3 = tx.quiz_by_ref("telegram:poll-3").await.unwrap().unwrap();
        assert_eq!(tx.answer_count(q3.id).await.unwrap(), 2, "Ben was too late");
        drop(tx);
        // Round answers are ordinary answers: Cy's streak started.
        h.tg.push(text_message(GROUP, CY, "Cy", "/streak"));
        let streak = h.text(6).await;
        assert!(streak.starts_with("Streak: 1 day"), "{streak}");
    }
}

// ---- a round through the built binary against the fake Discord (gateway + REST) ----

mod discord_round {
    use super::*;
    use serde_json::Value;
    use std::path::{Path, PathBuf};
    use support::discord::{
        CHANNEL, FakeDiscord, GUILD, VIEW_AND_SEND, Who, custom_ids, is_ephemeral, opt, plain,
    };
    use support::process::BotProcess;

    const TOKEN: &str = "MTIzNDU2Nzg5MDEyMzQ1Njc4.RoUnDs.fakeDiscordRoundSecret_0123456789";

    struct Harness {
        dc: FakeDiscord,
        _bot: BotProcess,
        dir: tempfile::TempDir,
        store: Store,
    }

    fn db_url(dir: &Path) -> String {
        format!("sqlite://{}", dir.join("dc-round.db").display())
    }

    fn who(id: u64, name: &str) -> Who {
        support::discord::member(id, name, VIEW_AND_SEND)
    }

    fn footer(message: &Value) -> String {
        message["embeds"][0]["footer"]["text"]
            .as_str()
            .unwrap_or("")
            .to_string()
    }

    impl Harness {
        async fn start() -> Harness {
            let dc = FakeDiscord::start(TOKEN).await;
            let dir = tempfile::tempdir().unwrap();
            let store = Store::open(&db_url(dir.path())).await.unwrap();
            let clock: PathBuf = dir.path().join("now");
            std::fs::write(&clock, T0).unwrap();
            let bot = BotProcess::spawn(
                dir.path(),
                &[
                    ("DISCORD_TOKEN", TOKEN.to_string()),
                    ("DISCORD_API_URL", dc.url.clone()),
                    ("DISCORD_GUILD_ID", GUILD.to_string()),
                    ("DATABASE_URL", db_url(dir.path())),
                    ("CONTENT_DIR", fixture_dir().display().to_string()),
                    ("STUDYBOT_CLOCK_FILE", clock.display().to_string()),
                ],
            );
            dc.wait_for_registration().await;
            Harness {
                dc,
                _bot: bot,
                dir,
                store,
            }
        }

        fn set_clock(&self, secs: i64) {
            let t = (utc(T0) + Duration::seconds(secs)).to_rfc3339();
            let tmp = self.dir.path().join("now.tmp");
            std::fs::write(&tmp, t).unwrap();
            std::fs::rename(&tmp, self.dir.path().join("now")).unwrap();
        }

        /// Waits until round question `number` is posted and open; returns its message.
        async fn open_question(&self, number: i64) -> Value {
            for _ in 0..400 {
                let mut tx = self.store.begin().await.unwrap();
                let q = tx.round_question(1, number).await.unwrap();
                drop(tx);
                if let Some(q) = q.filter(|q| q.opened_at.is_some()) {
                    let id: u64 = q.message_ref.unwrap().parse().unwrap();
                    return self.dc.message(id);
                }
                tokio::time::sleep(std::time::Duration::from_millis(50)).await;
            }
            panic!("question {number} never opened");
        }

        /// Clicks `right` or a wrong option of a round question; returns the private answer.
        async fn click(&self, who: &Who, question: &Value, right: bool) -> Value {
            let buttons = custom_ids(question);
            let text = plain(question);
            // The fixture's question N of a topic has option N as its answer.
            let n: usize = text
                .split("question ")
                .nth(1)
                .and_then(|rest| rest.split('?').next())
                .and_then(|n| n.parse().ok())
                .unwrap();
            let i = if right { n - 1 } else { n % 4 };
            let sent = self.dc.click(who, question, &buttons[i]);
            self.dc.reply(&sent).await
        }

        /// Waits until the stored message `id` satisfies `pred`.
        async fn wait_message(&self, what: &str, id: &Value, pred: impl Fn(&Value) -> bool) {
            let id: u64 = id["id"].as_str().unwrap().parse().unwrap();
            self.dc
                .wait(what, 20, |v| v.message(id).filter(|m| pred(m)).cloned())
                .await;
        }

        /// Waits for a message posted to the channel whose text contains `part`.
        async fn posted(&self, part: &str) -> String {
            let path = format!("/api/v10/channels/{CHANNEL}/messages");
            let calls = self
                .dc
                .wait_for(part, 20, |calls| {
                    calls.iter().any(|c| {
                        c.method == "POST" && c.path == path && plain(&c.body).contains(part)
                    })
                })
                .await;
            calls
                .iter()
                .filter(|c| c.method == "POST" && c.path == path)
                .map(|c| plain(&c.body))
                .find(|t| t.contains(part))
                .unwrap()
        }
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_round_plays_through_discord_buttons_with_a_countdown_and_closes_each_question() {
        let h = Harness::start().await;
        let (ana, ben, cy) = (who(2001, "Ana"), who(2002, "Ben"), who(2003, "Cy"));
        let sent = h.dc.slash(
            &ana,
            "round",
            vec![opt("questions", "2"), opt("from", "basics")],
        );
        let started = h.dc.reply(&sent).await;
        assert!(
            plain(&started).starts_with("Quiz round: 2 questions from Basics"),
            "{started}"
        );
        assert!(
            !is_ephemeral(&started),
            "the whole channel sees the round start"
        );
        h.set_clock(3);

        let q1 = h.open_question(1).await;
        assert_eq!(custom_ids(&q1).len(), 4);
        assert_eq!(footer(&q1), "30 s left · 0 answered");
        h.posted("Question 1 of 2 · ").await;

        h.set_clock(6);
        let a = h.click(&ana, &q1, true).await;
        assert!(is_ephemeral(&a));
        assert!(plain(&a).contains("Round: +950 points"), "{a}");
        let b = h.click(&ben, &q1, false).await;
        assert!(plain(&b).contains("Round: +0 points"), "{b}");
        let again = h.click(&ana, &q1, false).await;
        assert!(plain(&again).starts_with("You already answered"), "{again}");

        // A click updates the count under the question (keeping the countdown)...
        h.wait_message("the answer count", &q1, |m| {
            footer(m) == "27 s left · 2 answered"
        })
        .await;
        // ...and the countdown edits the question every 10 s.
        h.set_clock(13);
        h.wait_message("the countdown at 20 s", &q1, |m| {
            footer(m) == "20 s left · 2 answered"
        })
        .await;

        // Time's up: the buttons go, the footer tells the answer, results and scores follow.
        h.set_clock(35);
        h.wait_message("question 1 closed", &q1, |m| {
            custom_ids(m).is_empty() && footer(m).starts_with("Time's up · the answer was ")
        })
        .await;
        let results = h.posted("Scores after question 1 of 2").await;
        for part in [
            "1 of 2 answered right.",
            "Fastest right answer: Ana (+950).",
            "• 1. Ana: 950 points (1 of 1 right)",
            "• 2. Ben: 0 points (0 of 1 right)",
            "Question 2 of 2 · ",
        ] {
            assert!(results.contains(part), "{part:?} in\n{results}");
        }
        let late = h.click(&cy, &q1, true).await;
        assert!(
            plain(&late).starts_with("Time's up for this question"),
            "{late}"
        );

        let q2 = h.open_question(2).await;
        h.set_clock(36);
        h.click(&cy, &q2, true).await;
        h.click(&ben, &q2, true).await;
        h.set_clock(67);
        let last = h.posted("Round over! Final scores").await;
        for part in [
            "• 1. Ben: 983 points (1 of 2 right)\n• 1. Cy: 983 points (1 of 1 right)",
            "• 3. Ana: 950 points (1 of 1 right)",
            "Winners: Ben, Cy with 983 points each!",
        ] {
            assert!(last.contains(part), "{part:?} in\n{last}");
        }
    }
}
