//! The push scheduler with an injected clock against a real SQLite file. The platform side is a
//! recording push target here; tests/telegram_push.rs drives the real Telegram client.

mod support;

use chrono::Duration;
use std::sync::Arc;
use studybot::core::{App, Command, FixedClock, Platform, Reply, Timezone};
use studybot::scheduler::{Round, Scheduler, SchedulerConfig};
use support::*;

/// What the recorder saw, in the terms these tests check.
trait Sent {
    fn titles(&self) -> Vec<String>;
    fn count(&self) -> usize;
}

impl Sent for Recorder {
    fn titles(&self) -> Vec<String> {
        self.sent
            .lock()
            .unwrap()
            .iter()
            .map(|(_, r)| {
                r.plain_text()
                    .lines()
                    .nth(1)
                    .unwrap_or_default()
                    .to_string()
            })
            .collect()
    }
    fn count(&self) -> usize {
        self.sent.lock().unwrap().len()
    }
}

struct World {
    app: App,
    clock: Arc<FixedClock>,
    rec: Arc<Recorder>,
    _dir: support::engines::TestDb,
    url: String,
}

impl World {
    async fn new(now: &str) -> World {
        let (dir, store, url) = temp_store().await;
        World {
            app: app_with(store, Timezone::UTC),
            clock: Arc::new(FixedClock::new(utc(now))),
            rec: Arc::new(Recorder::default()),
            _dir: dir,
            url,
        }
    }

    fn scheduler(&self) -> Scheduler {
        Scheduler::new(
            self.app.clone(),
            self.clock.clone(),
            SchedulerConfig::default(),
        )
        .with_target(Platform::Telegram, self.rec.clone())
    }

    async fn admin(&self, chat: &str, cmd: Command) -> String {
        let mut ctx = member(chat, "admin", true, "2026-01-01T00:00:00Z");
        ctx.now = studybot::core::Clock::now(self.clock.as_ref());
        self.app.respond(&ctx, cmd).await.plain_text()
    }

    /// Moves the clock and runs one scheduler round.
    async fn at(&self, s: &Scheduler, now: &str) -> Round {
        self.clock.set(utc(now));
        s.push_due().await.unwrap()
    }
}

fn daily(at: &str, tz: &str) -> Command {
    studybot::core::parse_command(&format!("/subscribe {at} {tz}"), &Default::default())
        .unwrap()
        .unwrap()
}

both_engines! {
#[tokio::test]
async fn a_daily_push_fires_at_local_nine_across_dst_in_two_zones() {
    let w = World::new("2026-03-27T12:00:00Z").await;
    w.admin("berlin", daily("09:00", "Europe/Berlin")).await;
    w.admin("newyork", daily("09:00", "America/New_York")).await;
    let s = w.scheduler();
    // Berlin: CET (UTC+1) until 2026-03-29, then CEST (UTC+2).
    assert_eq!(w.at(&s, "2026-03-28T07:59:59Z").await.sent, 0);
    assert_eq!(w.at(&s, "2026-03-28T08:00:00Z").await.sent, 1);
    assert_eq!(w.at(&s, "2026-03-29T06:59:59Z").await.sent, 0);
    assert_eq!(w.at(&s, "2026-03-29T07:00:00Z").await.sent, 1);
    let w2 = World::new("2026-10-30T12:00:00Z").await;
    w2.admin("newyork", daily("09:00", "America/New_York"))
        .await;
    let s2 = w2.scheduler();
    // New York: EDT (UTC-4) until 2026-11-01, then EST (UTC-5).
    assert_eq!(w2.at(&s2, "2026-10-31T13:00:00Z").await.sent, 1);
    assert_eq!(w2.at(&s2, "2026-11-01T13:00:00Z").await.sent, 0);
    assert_eq!(w2.at(&s2, "2026-11-01T14:00:00Z").await.sent, 1);
    // New York's 09:00 on 03-28 happened too (13:00Z, still EDT since 03-08).
    assert_eq!(w.at(&s, "2026-03-29T13:00:00Z").await.sent, 1);
}
}

both_engines! {
#[tokio::test]
async fn a_changed_schedule_applies_to_the_running_scheduler() {
    let w = World::new("2026-03-02T06:00:00Z").await;
    let s = w.scheduler();
    w.admin("g", daily("09:00", "UTC")).await;
    assert_eq!(w.at(&s, "2026-03-02T07:00:00Z").await.sent, 0);
    w.admin("g", daily("10:00", "UTC")).await;
    assert_eq!(
        w.at(&s, "2026-03-02T09:00:00Z").await.sent,
        0,
        "the old time no longer fires"
    );
    assert_eq!(w.at(&s, "2026-03-02T10:00:00Z").await.sent, 1);
    let weekdays = studybot::core::parse_command("/schedule 0 8 * * 1-5", &Default::default())
        .unwrap()
        .unwrap();
    assert!(w.admin("g", weekdays).await.starts_with("Scheduled"));
    assert_eq!(w.at(&s, "2026-03-07T08:00:00Z").await.sent, 0, "Saturday");
    assert_eq!(w.at(&s, "2026-03-09T08:00:00Z").await.sent, 1, "Monday");
    w.admin("g", Command::Unsubscribe).await;
    assert_eq!(w.at(&s, "2026-03-10T08:00:00Z").await.sent, 0);
}
}

both_engines! {
#[tokio::test]
async fn a_fire_missed_during_downtime_is_sent_within_the_catchup_window_only() {
    let w = World::new("2026-03-02T06:00:00Z").await;
    let s = w.scheduler();
    w.admin("g", daily("09:00", "UTC")).await;
    // Down from 08:00 to 14:59: 09:00 is 5h59m old, within the default 6 hours.
    assert_eq!(w.at(&s, "2026-03-02T14:59:00Z").await.sent, 1);
    // Down through 03-03 09:00 until 15:01: more than 6 hours, skipped.
    assert_eq!(w.at(&s, "2026-03-03T15:01:00Z").await.sent, 0);
    // Down for three days: only the latest fire inside the window, never a burst of old days.
    assert_eq!(w.at(&s, "2026-03-07T10:00:00Z").await.sent, 1);
    assert_eq!(w.rec.count(), 2);
}
}

both_engines! {
#[tokio::test]
async fn a_restart_right_after_a_fire_does_not_push_again() {
    let w = World::new("2026-03-02T06:00:00Z").await;
    w.admin("g", daily("09:00", "UTC")).await;
    assert_eq!(w.at(&w.scheduler(), "2026-03-02T09:00:05Z").await.sent, 1);
    // A new process on the same database file.
    let reopened = studybot::store::Store::open(&w.url).await.unwrap();
    let app = app_with(reopened, Timezone::UTC);
    let s = Scheduler::new(app, w.clock.clone(), SchedulerConfig::default())
        .with_target(Platform::Telegram, w.rec.clone());
    assert_eq!(s.resend_unconfirmed().await.unwrap(), Round::default());
    assert_eq!(s.push_due().await.unwrap(), Round::default());
    assert_eq!(w.rec.count(), 1);
}
}

both_engines! {
#[tokio::test]
async fn a_claimed_but_unconfirmed_push_is_sent_once_after_a_crash() {
    let w = World::new("2026-03-02T09:00:01Z").await;
    w.admin("g", daily("09:00", "UTC")).await;
    w.clock.set(utc("2026-03-03T09:00:01Z"));
    // The process claims the fire, then dies before sending.
    let claimed = w
        .app
        .schedules()
        .claim_due_pushes(utc("2026-03-03T09:00:01Z"), Duration::hours(6), 10)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    let s = w.scheduler();
    assert_eq!(s.resend_unconfirmed().await.unwrap().sent, 1);
    assert_eq!(s.resend_unconfirmed().await.unwrap().sent, 0);
    assert_eq!(
        s.push_due().await.unwrap().sent,
        0,
        "the fire itself was claimed already"
    );
    assert_eq!(w.rec.count(), 1);
}
}

both_engines! {
#[tokio::test]
async fn pushes_walk_the_curriculum_skip_outlines_and_then_review() {
    let w = World::new("2026-03-01T12:00:00Z").await;
    w.admin("g", daily("09:00", "UTC")).await;
    let s = w.scheduler();
    for day in 2..=5 {
        assert_eq!(
            w.at(&s, &format!("2026-03-{day:02}T09:00:00Z")).await.sent,
            1
        );
    }
    let titles = w.rec.titles();
    assert_eq!(&titles[..3], ["Alpha topic", "Beta topic", "Delta topic"]);
    let sent: Vec<Reply> = w
        .rec
        .sent
        .lock()
        .unwrap()
        .iter()
        .map(|(_, r)| r.clone())
        .collect();
    let last = &sent[3];
    assert!(
        last.plain_text()
            .starts_with("You have worked through the whole curriculum")
    );
    assert!(last.quiz.is_some(), "the review push carries a question");
    let first = &sent[0];
    assert!(first.buttons.iter().any(|b| b.label == "Quiz me on this"));
    // The chat's /today follows the pushes.
    let today = w.admin("g", Command::Today).await;
    assert!(today.starts_with("Delta topic"), "{today}");
}
}

both_engines! {
#[tokio::test]
async fn a_chat_that_blocked_the_bot_is_paused_not_retried() {
    let w = World::new("2026-03-01T12:00:00Z").await;
    w.admin("g", daily("09:00", "UTC")).await;
    w.admin("h", daily("09:00", "UTC")).await;
    w.rec.gone.lock().unwrap().push("g".into());
    let s = w.scheduler();
    let r = w.at(&s, "2026-03-02T09:00:00Z").await;
    assert_eq!((r.sent, r.gone), (1, 1));
    let r = w.at(&s, "2026-03-03T09:00:00Z").await;
    assert_eq!(
        (r.sent, r.gone),
        (1, 0),
        "the paused chat is not tried again"
    );
    // Subscribing again resumes it.
    w.rec.gone.lock().unwrap().clear();
    w.admin("g", daily("09:00", "UTC")).await;
    assert_eq!(w.at(&s, "2026-03-04T09:00:00Z").await.sent, 2);
}
}

both_engines! {
/// Two instances of the bot on one database (two stores, two schedulers), as with several
/// processes on PostgreSQL: they share the fan-out and every chat gets its push exactly once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_instances_share_a_fan_out_and_push_every_chat_once() {
    let w = World::new("2026-03-02T06:00:00Z").await;
    for i in 0..200 {
        w.admin(&format!("g{i}"), daily("09:00", "UTC")).await;
    }
    w.clock.set(utc("2026-03-02T09:00:05Z"));
    let small = SchedulerConfig {
        batch: 10,
        ..SchedulerConfig::default()
    };
    let first = Scheduler::new(w.app.clone(), w.clock.clone(), small.clone())
        .with_target(Platform::Telegram, w.rec.clone());
    let other_store = studybot::store::Store::open(&w.url).await.unwrap();
    let other_rec = Arc::new(Recorder::default());
    let second = Scheduler::new(app_with(other_store, Timezone::UTC), w.clock.clone(), small)
        .with_target(Platform::Telegram, other_rec.clone());
    let (a, b) = tokio::join!(first.push_due(), second.push_due());
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_eq!(a.sent + b.sent, 200, "{a:?} {b:?}");
    let mut chats: Vec<String> = w.rec.sent.lock().unwrap().iter().map(|(c, _)| c.clone()).collect();
    chats.extend(other_rec.sent.lock().unwrap().iter().map(|(c, _)| c.clone()));
    chats.sort();
    chats.dedup();
    assert_eq!(chats.len(), 200, "every chat once, none twice");
    // Nothing left for either: a second round sends nothing.
    assert_eq!(first.push_due().await.unwrap(), Round::default());
    assert_eq!(second.push_due().await.unwrap(), Round::default());
}
}

both_engines! {
/// A push claimed by an instance that died before confirming it belongs to that instance until
/// its lease runs out; then another instance sends it, once.
#[tokio::test]
async fn a_dead_instances_claim_is_taken_over_after_its_lease_and_only_once() {
    let w = World::new("2026-03-02T09:00:01Z").await;
    w.admin("g", daily("09:00", "UTC")).await;
    let now = utc("2026-03-03T09:00:01Z");
    w.clock.set(now);
    // Instance one claims the fire, then dies before sending.
    let claimed = w
        .app
        .schedules()
        .claim_due_pushes(now, Duration::hours(6), 10)
        .await
        .unwrap();
    assert_eq!(claimed.len(), 1);
    // Instance two has been running all along (its first look is over), on a shared database.
    let shared = SchedulerConfig {
        sole_instance: false,
        lease: Duration::minutes(2),
        ..SchedulerConfig::default()
    };
    let other_store = studybot::store::Store::open(&w.url).await.unwrap();
    let other_rec = Arc::new(Recorder::default());
    let other = Scheduler::new(app_with(other_store, Timezone::UTC), w.clock.clone(), shared)
        .with_target(Platform::Telegram, other_rec.clone());
    assert_eq!(other.resend_unconfirmed().await.unwrap().sent, 0, "still leased");
    w.clock.set(now + Duration::seconds(119));
    assert_eq!(other.resend_unconfirmed().await.unwrap().sent, 0, "still leased");
    w.clock.set(now + Duration::minutes(2));
    assert_eq!(other.resend_unconfirmed().await.unwrap().sent, 1, "lease over");
    assert_eq!(other.resend_unconfirmed().await.unwrap().sent, 0, "confirmed now");
    assert_eq!(other.push_due().await.unwrap().sent, 0, "the fire was claimed");
    assert_eq!(other_rec.count() + w.rec.count(), 1);
}
}
