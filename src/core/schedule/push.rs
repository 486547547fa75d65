//! Daily pushes: which chats are due, claiming each fire exactly once, and what each push says.

use crate::content::Topic;
use crate::core::app::Schedules;
use crate::core::context::Platform;
use crate::core::error::Error;
use crate::core::messages::{DeckMsg, QuizMsg, ScheduleMsg};
use crate::core::messages::{Lang, Msg};
use crate::core::ports::Posted;
use crate::core::quiz::{default_pool, pick_question};
use crate::core::reply::{Block, QuizCard, Reply};
use crate::core::schedule::Schedule;
use crate::core::time::Timezone;
use crate::core::topics::card::topic_card;
use crate::core::usecases::platform::scoped;
use crate::store::{Delivery, DueSubscription, PushClaim, Scheduled, Tx};
use chrono::{DateTime, Duration, Utc};
use std::collections::{HashMap, HashSet};

/// One push to deliver: where, for which fire, and what.
#[derive(Debug, Clone)]
pub struct PushJob {
    pub chat_id: i64,
    pub platform: Platform,
    /// The chat's id on its platform.
    pub chat: String,
    pub fire_at: DateTime<Utc>,
    pub reply: Reply,
}

/// What became of a push.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PushOutcome {
    /// Delivered; with the quizzes it posted, by their platform ids.
    Sent(Vec<Posted>),
    /// The chat blocked or removed the bot: its subscription is paused.
    Gone(String),
    /// Gave up after retries; the next fire tries again.
    Failed(String),
}

impl PushOutcome {
    /// What the store records of it.
    pub(in crate::core) fn delivery(&self) -> Delivery {
        match self {
            PushOutcome::Sent(_) => Delivery::Sent,
            PushOutcome::Gone(_) => Delivery::Gone,
            PushOutcome::Failed(_) => Delivery::Failed,
        }
    }
}

impl Schedules<'_> {
    /// Claims up to `limit` due fires in one transaction and returns them to send. A fire older
    /// than `catchup` (the bot was down) is skipped with a log line; of several missed fires
    /// only the latest within the window is sent, never a burst of old days.
    pub async fn claim_due_pushes(
        &self,
        now: DateTime<Utc>,
        catchup: Duration,
        limit: usize,
    ) -> Result<Vec<PushJob>, Error> {
        let mut tx = self.store.begin().await?;
        let first = self.catalog.first().id.as_str();
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let due = tx.due_subscriptions(now, first, limit).await?;
        // Most chats share a handful of schedules: parse each once per batch.
        let mut schedules: HashMap<String, Option<Schedule>> = HashMap::new();
        let mut claims: Vec<(PushClaim<'_>, &DueSubscription, usize)> =
            Vec::with_capacity(due.len());
        let mut next_fires = Vec::with_capacity(due.len());
        for sub in &due {
            let tz = Timezone::parse(&sub.timezone).unwrap_or(self.default_tz);
            let Some(schedule) = schedules
                .entry(sub.schedule.clone())
                .or_insert_with(|| Schedule::stored(&sub.schedule))
                .as_ref()
            else {
                tracing::warn!(chat = sub.chat_id, schedule = %sub.schedule, "invalid stored schedule; pausing");
                tx.pause_subscription(sub.chat_id, "invalid schedule")
                    .await?;
                continue;
            };
            next_fires.push((sub.chat_id, schedule.next_after(now, tz)));
            // The latest fire not older than the catch-up window, at or after the scheduled one.
            let window_start = (now - catchup).max(sub.next_fire_at - Duration::seconds(1));
            let Some(fire_at) = schedule.last_in(window_start, now, tz) else {
                tracing::info!(chat = sub.chat_id, fire = %sub.next_fire_at, "skipping a push missed by more than PUSH_CATCHUP");
                continue;
            };
            let here = self.position_of(sub.current_topic.as_deref());
            // A chat studying a deck gets a question from it instead of a topic.
            let topic = match sub.deck_id {
                Some(_) => None,
                None => self
                    .next_push_topic(here, sub.current_seen)
                    .map(|t| t.id.as_str()),
            };
            claims.push((
                PushClaim {
                    chat_id: sub.chat_id,
                    fire_at,
                    topic,
                },
                sub,
                here,
            ));
        }
        let won = tx
            .claim_pushes(
                &claims.iter().map(|(c, _, _)| c.clone()).collect::<Vec<_>>(),
                now,
            )
            .await?;
        tx.set_next_fires(&next_fires).await?;
        let moves: Vec<(i64, &str)> = claims
            .iter()
            .filter(|(c, _, _)| won.contains(&c.chat_id))
            .filter_map(|(c, _, _)| Some((c.chat_id, c.topic?)))
            .collect();
        tx.advance_chats(&moves, now).await?;
        let mut jobs = Vec::with_capacity(won.len());
        for (claim, sub, here) in claims.iter().filter(|(c, _, _)| won.contains(&c.chat_id)) {
            let platform = sub.platform;
            let lang = sub.lang.unwrap_or_default();
            let reply = match claim.topic.and_then(|id| self.catalog.topic(id)) {
                Some(topic) => push_reply(&self.catalog, topic, lang),
                None => {
                    self.review_reply(&mut tx, sub.chat_id, *here, now, lang)
                        .await?
                }
            };
            jobs.push(PushJob {
                chat_id: sub.chat_id,
                platform,
                chat: sub.external_id.clone(),
                fire_at: claim.fire_at,
                reply,
            });
        }
        tx.commit().await?;
        Ok(jobs)
    }

    /// The current topic (at `here`) if the chat has not been shown it yet, else the next
    /// written one; `None` at the end of the curriculum.
    fn next_push_topic(&self, here: usize, current_seen: bool) -> Option<&Topic> {
        let current = &self.catalog.topics()[here];
        if !current.is_outline() && !current_seen {
            return Some(current);
        }
        self.catalog.topics()[here + 1..]
            .iter()
            .find(|t| !t.is_outline())
    }

    /// After the last topic: a review question from what the chat covered. A chat studying a
    /// deck: a question from the deck.
    async fn review_reply(
        &self,
        tx: &mut Tx,
        chat_id: i64,
        position: usize,
        now: DateTime<Utc>,
        lang: Lang,
    ) -> Result<Reply, Error> {
        let deck = match tx.chat(chat_id).await? {
            Some(chat) => self.track_deck(tx, &chat).await?,
            None => None,
        };
        if let Some(deck) = deck {
            let mut r = Reply {
                lang,
                ..Reply::default()
            };
            if let Some(p) = self.pick_from_deck(tx, chat_id, &deck, 0).await? {
                let quiz_id = tx
                    .create_quiz(chat_id, &p.topic_id, p.idx, None, now)
                    .await?;
                let intro = Msg::Deck(DeckMsg::DailyQuestion {
                    title: p.title.clone(),
                });
                r = Reply {
                    lang,
                    ..Reply::quiz(
                        intro.render(lang),
                        QuizCard::of(quiz_id, &p.title, &p.question),
                    )
                };
            }
            return Ok(r);
        }
        let seen = tx.seen_topics(chat_id).await?;
        let pool = default_pool(&self.catalog, &seen, position);
        let mut r = Reply {
            lang,
            ..Reply::text(Msg::Schedule(ScheduleMsg::ReviewPush).render(lang))
        };
        if let Some((topic, qi)) = pick_question(&pool, &HashSet::new(), self.ids.next_u64()) {
            let q = &topic.questions()[qi];
            let quiz_id = tx
                .create_quiz(chat_id, topic.id.as_str(), qi, None, now)
                .await?;
            let intro = Msg::Quiz(QuizMsg::QuizIntro {
                topic: topic.title.clone(),
            });
            let posed = Reply::quiz(intro.render(lang), QuizCard::new(quiz_id, topic, q));
            r.blocks.extend(posed.blocks);
            r.quiz = posed.quiz;
        }
        Ok(r)
    }

    /// Pushes claimed before a crash and never confirmed, to send once more (at-least-once in
    /// that window: the send may have happened before the crash). Those older than `catchup`
    /// are given up.
    ///
    /// Only claims older than `lease` are taken (younger ones may be in flight on another
    /// instance), and each is renewed as it is taken, so two instances never both take one.
    pub async fn unconfirmed_pushes(
        &self,
        now: DateTime<Utc>,
        catchup: Duration,
        lease: Duration,
    ) -> Result<Vec<PushJob>, Error> {
        let mut tx = self.store.begin().await?;
        let mut jobs = Vec::new();
        let expired = now - lease;
        for p in tx.unconfirmed_pushes(expired).await? {
            if !tx
                .renew_push_claim(p.chat_id, p.fire_at, expired, now)
                .await?
            {
                continue;
            }
            if now - p.fire_at > catchup {
                tx.finish_push(p.chat_id, p.fire_at, Delivery::Failed, now)
                    .await?;
                continue;
            }
            let platform = p.platform;
            let Some(chat) = tx.chat(p.chat_id).await? else {
                continue;
            };
            let lang = p.lang.unwrap_or_default();
            let reply = match p.topic_id.as_deref().and_then(|id| self.catalog.topic(id)) {
                Some(t) => push_reply(&self.catalog, t, lang),
                None => {
                    let here = self.position(&chat);
                    self.review_reply(&mut tx, chat.id, here, now, lang).await?
                }
            };
            jobs.push(PushJob {
                chat_id: p.chat_id,
                platform,
                chat: p.external_id,
                fire_at: p.fire_at,
                reply,
            });
        }
        tx.commit().await?;
        Ok(jobs)
    }

    /// Records a push's fate; a chat that is gone has its subscription paused.
    pub async fn finish_push(
        &self,
        job: &PushJob,
        outcome: &PushOutcome,
        now: DateTime<Utc>,
    ) -> Result<(), Error> {
        if *outcome == PushOutcome::Sent(Vec::new()) {
            return Ok(self
                .store
                .confirm_push(job.chat_id, job.fire_at, now)
                .await?);
        }
        let mut tx = self.store.begin().await?;
        tx.finish_push(job.chat_id, job.fire_at, outcome.delivery(), now)
            .await?;
        // A push that posted a quiz (the review question) records how answers will name it, in
        // the same transaction as the delivery.
        if let PushOutcome::Sent(posted) = outcome {
            for p in posted {
                tx.set_quiz_ref(p.quiz_id, &scoped(job.platform, &p.platform_ref))
                    .await?;
            }
        }
        if let PushOutcome::Gone(reason) = outcome {
            tx.pause_subscription(job.chat_id, reason).await?;
        }
        tx.commit().await?;
        Ok(())
    }

    /// The bot was removed from a chat or blocked there: stop pushing to it.
    pub async fn chat_gone(&self, platform: Platform, chat: &str) -> Result<bool, Error> {
        let mut tx = self.store.begin().await?;
        let removed = match tx.chat_id_of(platform, chat).await? {
            Some(id) => tx.delete_scheduled(Scheduled::Subscription, id).await?,
            None => false,
        };
        tx.commit().await?;
        Ok(removed)
    }
}

/// A pushed topic: the topic card with its "Quiz me" button, under a daily heading.
fn push_reply(catalog: &crate::content::Catalog, topic: &Topic, lang: Lang) -> Reply {
    let lead = Block::Note(Msg::Schedule(ScheduleMsg::DailyTopic).render(lang));
    Reply {
        lang,
        ..topic_card(catalog, topic, false, Some(lead), lang)
    }
}
