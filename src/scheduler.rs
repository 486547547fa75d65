//! All timed work: finds due pushes every tick, claims them in the store, and fans them out to
//! the platforms through their rate-limited push targets; plays quiz rounds (deadlines,
//! countdowns) through the platforms' round targets. Time comes from the injected clock.

/// The settings live with the rest of the configuration (config imports nothing above it).
pub use crate::config::SchedulerConfig;
pub use crate::core::ports::{PushTarget, RoundTarget};
use crate::core::{
    App, Clock, Platform, PushJob, PushOutcome, ReminderJob, RoundDelivery, RoundJob,
};
use crate::ops::metrics as names;
use futures::StreamExt;
use std::collections::HashMap;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use tokio_util::sync::CancellationToken;

/// How often handled event ids older than the platforms' redelivery window are deleted, so the
/// table stays small on a bot that runs for months.
const PRUNE_EVERY: std::time::Duration = std::time::Duration::from_secs(3600);

/// How often the scheduler looks for push claims whose lease ran out (another instance died
/// mid-send); a takeover happens within the lease plus this.
const TAKEOVER_EVERY: std::time::Duration = std::time::Duration::from_secs(5);

#[derive(Clone)]
pub struct Scheduler {
    app: App,
    clock: Arc<dyn Clock>,
    targets: HashMap<&'static str, Arc<dyn PushTarget>>,
    round_targets: HashMap<&'static str, Arc<dyn RoundTarget>>,
    config: SchedulerConfig,
    /// Whether the first look for unconfirmed claims has happened (see `lease_now`).
    took_over: Arc<AtomicBool>,
}

/// What one round of sending did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Round {
    pub sent: usize,
    pub gone: usize,
    pub failed: usize,
}

impl Round {
    fn count(mut self, o: &PushOutcome) -> Round {
        match o {
            PushOutcome::Sent(_) => self.sent += 1,
            PushOutcome::Gone(_) => self.gone += 1,
            PushOutcome::Failed(_) => self.failed += 1,
        }
        self
    }
}

impl Scheduler {
    pub fn new(app: App, clock: Arc<dyn Clock>, config: SchedulerConfig) -> Scheduler {
        Scheduler {
            app,
            clock,
            targets: HashMap::new(),
            round_targets: HashMap::new(),
            config,
            took_over: Arc::new(AtomicBool::new(false)),
        }
    }

    pub fn with_target(mut self, platform: Platform, target: Arc<dyn PushTarget>) -> Scheduler {
        self.targets.insert(platform.as_str(), target);
        self
    }

    /// Resends what a crash left unconfirmed, then pushes due fires every tick until `shutdown`;
    /// sends in flight when it fires are finished first.
    pub async fn run(self, shutdown: CancellationToken) {
        match self.resend_unconfirmed().await {
            Ok(r) if r != Round::default() => {
                tracing::info!(?r, "resent pushes left unconfirmed by a crash")
            }
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "could not resend unconfirmed pushes"),
        }
        let mut last_prune: Option<std::time::Instant> = None;
        let mut last_takeover = std::time::Instant::now();
        loop {
            crate::ops::health().scheduler_ticked();
            metrics::counter!(names::SCHEDULER_TICKS, "loop" => "pushes").increment(1);
            if last_prune.is_none_or(|t| t.elapsed() >= PRUNE_EVERY) {
                last_prune = Some(std::time::Instant::now());
                match self.app.prune(self.clock.now()).await {
                    Ok(n) if n > 0 => tracing::debug!(events = n, "pruned old event ids"),
                    Ok(_) => {}
                    Err(e) => tracing::warn!(error = %e, "could not prune old event ids"),
                }
            }
            if last_takeover.elapsed() >= TAKEOVER_EVERY {
                last_takeover = std::time::Instant::now();
                match self.resend_unconfirmed().await {
                    Ok(r) if r != Round::default() => {
                        tracing::warn!(?r, "took over pushes whose claim expired unconfirmed")
                    }
                    Ok(_) => {}
                    Err(e) => {
                        tracing::error!(error = %e, "could not take over expired push claims")
                    }
                }
            }
            if let Err(e) = self.push_due().await {
                tracing::error!(error = %e, "push round failed; retrying next tick");
            }
            if let Err(e) = self.remind_due().await {
                tracing::error!(error = %e, "review reminder round failed; retrying next tick");
            }
            tokio::select! {
                _ = shutdown.cancelled() => break,
                _ = tokio::time::sleep(self.config.tick) => {}
            }
        }
        tracing::info!("scheduler stopped");
    }

    /// The lease that applies to the next takeover of unconfirmed claims: none for a sole
    /// instance's first look (whatever is unconfirmed then is its own crash's), else the lease.
    fn lease_now(&self) -> chrono::Duration {
        if self.config.sole_instance && !self.took_over.swap(true, Ordering::Relaxed) {
            chrono::Duration::zero()
        } else {
            self.config.lease
        }
    }

    /// Sends again the pushes whose claim's lease ran out unconfirmed: left by a crash of this
    /// process, or by another instance that died mid-send.
    pub async fn resend_unconfirmed(&self) -> Result<Round, crate::core::Error> {
        let jobs = self
            .app
            .schedules()
            .unconfirmed_pushes(self.clock.now(), self.config.catchup, self.lease_now())
            .await?;
        Ok(self.deliver_all(jobs).await)
    }

    /// Claims and sends every due push until none is left. Claiming the next batch overlaps
    /// with sending the current one (a bounded channel keeps the claimer one batch ahead).
    pub async fn push_due(&self) -> Result<Round, crate::core::Error> {
        let (queue, mut jobs) = tokio::sync::mpsc::channel::<PushJob>(self.config.batch.max(1));
        let claimer = async move {
            loop {
                let batch = self
                    .app
                    .schedules()
                    .claim_due_pushes(self.clock.now(), self.config.catchup, self.config.batch)
                    .await?;
                if batch.is_empty() {
                    return Ok(());
                }
                for job in batch {
                    if queue.send(job).await.is_err() {
                        return Ok(());
                    }
                }
            }
        };
        let incoming = futures::stream::poll_fn(|cx| jobs.poll_recv(cx));
        let sender = self.deliver_stream(incoming);
        let (claimed, round): (Result<(), crate::core::Error>, Round) =
            tokio::join!(claimer, sender);
        claimed.map(|()| round)
    }

    /// Claims and sends every due review reminder (one per learner per local day) until none is
    /// left. A reminder is at most once: one that fails is not retried that day.
    pub async fn remind_due(&self) -> Result<Round, crate::core::Error> {
        let mut total = Round::default();
        loop {
            let jobs = self
                .app
                .reviews()
                .claim_due_reminders(self.clock.now(), self.config.catchup, self.config.batch)
                .await?;
            if jobs.is_empty() {
                return Ok(total);
            }
            let round = futures::stream::iter(jobs)
                .map(|job| self.remind(job))
                .buffer_unordered(self.config.concurrency.max(1))
                .fold(Round::default(), |round, o| async move { round.count(&o) })
                .await;
            total.sent += round.sent;
            total.gone += round.gone;
            total.failed += round.failed;
        }
    }

    async fn remind(&self, job: ReminderJob) -> PushOutcome {
        let outcome = match self.targets.get(job.platform.as_str()) {
            Some(target) => target.deliver(&job.chat, &job.reply).await,
            None => PushOutcome::Failed(format!("no {} adapter running", job.platform.as_str())),
        };
        if let PushOutcome::Gone(why) | PushOutcome::Failed(why) = &outcome {
            tracing::warn!(user = job.user_id, reason = %why, "review reminder not delivered");
        }
        if let Err(e) = self.app.reviews().finish_reminder(&job, &outcome).await {
            tracing::error!(error = %e, user = job.user_id, "could not record a review reminder");
        }
        outcome
    }

    async fn deliver_stream(&self, jobs: impl futures::Stream<Item = PushJob>) -> Round {
        jobs.map(|job| self.deliver(job))
            .buffer_unordered(self.config.concurrency.max(1))
            .fold(Round::default(), |mut round, o| async move {
                match o {
                    PushOutcome::Sent(_) => round.sent += 1,
                    PushOutcome::Gone(_) => round.gone += 1,
                    PushOutcome::Failed(_) => round.failed += 1,
                }
                round
            })
            .await
    }

    async fn deliver_all(&self, jobs: Vec<PushJob>) -> Round {
        self.deliver_stream(futures::stream::iter(jobs)).await
    }

    async fn deliver(&self, job: PushJob) -> PushOutcome {
        let late = (self.clock.now() - job.fire_at).num_milliseconds().max(0) as f64 / 1000.0;
        metrics::histogram!(names::SCHEDULER_LAG, "kind" => "push").record(late);
        // A long fan-out is progress, not a stuck scheduler.
        crate::ops::health().scheduler_ticked();
        let outcome = match self.targets.get(job.platform.as_str()) {
            Some(target) => target.deliver(&job.chat, &job.reply).await,
            None => PushOutcome::Failed(format!("no {} adapter running", job.platform.as_str())),
        };
        let label = match &outcome {
            PushOutcome::Sent(_) => "sent",
            PushOutcome::Gone(_) => "paused",
            PushOutcome::Failed(_) => "failed",
        };
        metrics::counter!(names::PUSHES, "platform" => job.platform.as_str(), "outcome" => label)
            .increment(1);
        match &outcome {
            PushOutcome::Sent(_) => {}
            PushOutcome::Gone(why) => {
                tracing::warn!(chat = %job.chat, platform = job.platform.as_str(), reason = %why, "chat is gone; pausing its subscription")
            }
            PushOutcome::Failed(why) => {
                tracing::warn!(chat = %job.chat, platform = job.platform.as_str(), reason = %why, "push failed")
            }
        }
        if let Err(e) = self
            .app
            .schedules()
            .finish_push(&job, &outcome, self.clock.now())
            .await
        {
            tracing::error!(error = %e, chat = %job.chat, "could not record a push; it may be sent again after a restart");
        }
        outcome
    }
}

/// What one tick of quiz rounds did.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct RoundTally {
    pub played: usize,
    pub failed: usize,
}

impl Scheduler {
    pub fn with_round_target(
        mut self,
        platform: Platform,
        target: Arc<dyn RoundTarget>,
    ) -> Scheduler {
        self.round_targets.insert(platform.as_str(), target);
        self
    }

    /// Quiz rounds, in their own loop so a long push fan-out never holds up a question's
    /// deadline: first what a stop left half-posted, then every tick the due steps.
    pub async fn run_rounds(self, shutdown: CancellationToken) {
        match self.recover_rounds().await {
            Ok(t) if t != RoundTally::default() => {
                tracing::info!(?t, "resumed quiz rounds interrupted while posting")
            }
            Ok(_) => {}
            Err(e) => tracing::error!(error = %e, "could not recover quiz rounds"),
        }
        loop {
            metrics::counter!(names::SCHEDULER_TICKS, "loop" => "rounds").increment(1);
            match self.app.store().running_round_count().await {
                Ok(n) => metrics::gauge!(names::ROUNDS_RUNNING).set(n as f64),
                Err(e) => tracing::warn!(error = %e, "could not count running quiz rounds"),
            }
            if let Err(e) = self.rounds_due().await {
                tracing::error!(error = %e, "quiz round tick failed; retrying next tick");
            }
            tokio::select! {
                _ = shutdown.cancelled() => break,
                _ = tokio::time::sleep(self.config.tick) => {}
            }
        }
    }

    /// Plays every round step due now (questions whose time ran out, countdowns, first
    /// questions); rounds in different chats go concurrently.
    pub async fn rounds_due(&self) -> Result<RoundTally, crate::core::Error> {
        let jobs = self.app.rounds().due_round_jobs(self.clock.now()).await?;
        Ok(self.play_all(jobs).await)
    }

    /// Sends again what a stop left half-posted (or ends those rounds); see `App::recover_rounds`.
    pub async fn recover_rounds(&self) -> Result<RoundTally, crate::core::Error> {
        let jobs = self.app.rounds().recover_rounds(self.clock.now()).await?;
        Ok(self.play_all(jobs).await)
    }

    async fn play_all(&self, jobs: Vec<RoundJob>) -> RoundTally {
        futures::stream::iter(jobs)
            .map(|job| self.play(job))
            .buffer_unordered(self.config.concurrency.max(1))
            .fold(RoundTally::default(), |mut t, ok| async move {
                if ok {
                    t.played += 1;
                } else {
                    t.failed += 1;
                }
                t
            })
            .await
    }

    async fn send_step(&self, job: &RoundJob) -> RoundDelivery {
        match self.round_targets.get(job.platform.as_str()) {
            Some(target) => target.play(&job.chat, &job.step).await,
            None => Err(format!("no {} adapter running", job.platform.as_str())),
        }
    }

    /// Plays one step and records it; a failed post ends the round, and its note is tried once.
    async fn play(&self, job: RoundJob) -> bool {
        let delivery = self.send_step(&job).await;
        if let Err(why) = &delivery {
            tracing::warn!(chat = %job.chat, round = job.round_id, reason = %why, "quiz round step failed");
        }
        match self
            .app
            .rounds()
            .round_delivered(&job, &delivery, self.clock.now())
            .await
        {
            Ok(Some(note)) => {
                if let Err(why) = self.send_step(&note).await {
                    tracing::warn!(chat = %job.chat, round = job.round_id, reason = %why, "could not post that the round stopped");
                }
            }
            Ok(None) => {}
            Err(e) => {
                tracing::error!(error = %e, round = job.round_id, "could not record a quiz round step")
            }
        }
        delivery.is_ok()
    }
}
