//! Spaced-repetition review: every answer reviews the learner's card for that question (inside
//! the answer's transaction), /review serves the due cards one after another, and an opt-in
//! daily reminder tells a learner how many are due.

use crate::core::app::Reviews;
use crate::core::context::{ChatKind, Ctx, Platform};
use crate::core::error::Error;
use crate::core::messages::ReviewMsg;
use crate::core::messages::{Lang, Msg};
use crate::core::quiz::usecase::Graded;
use crate::core::reply::{Action, Block, QuizCard, Reply};
use crate::core::review::{card_of, due_before, rating_for, rating_of, review};
use crate::core::schedule::Schedule;
use crate::core::schedule::push::PushOutcome;
use crate::core::time::{DailyAt, Timezone};
use crate::store::{ChatRow, QuizRow, Scheduled, Tx, UserRow};
use chrono::{DateTime, Duration, NaiveDate, Utc};

/// Due cards looked at per /review (the first servable one is asked; the rest are counted).
const DUE_SCAN: i64 = 1000;

/// A daily reminder to deliver.
#[derive(Debug, Clone)]
pub struct ReminderJob {
    pub user_id: i64,
    /// The learner's local day it was claimed for.
    pub local_day: NaiveDate,
    pub platform: Platform,
    /// The private chat's id on its platform (on Telegram, the user's id).
    pub chat: String,
    pub reply: Reply,
}

/// An answer just recorded: its row and whether it was right.
pub(in crate::core) struct Answered {
    pub id: i64,
    pub correct: bool,
}

impl Reviews<'_> {
    /// /review: the learner's next due card as a quiz, or when the next one is due.
    pub(in crate::core) async fn review(&self, ctx: &Ctx) -> Result<Reply, Error> {
        // In a group, only a platform that can answer the asker alone may serve personal cards.
        if ctx.chat_kind == ChatKind::Group && !ctx.caps.private_replies {
            return Err(Msg::Review(ReviewMsg::ReviewInPrivate).into());
        }
        let (mut tx, chat, user) = self.enter(ctx).await?;
        let tz = self.user_tz(&user, &chat);
        let reply = match self
            .serve_review(&mut tx, &chat, &user, ctx.now, ctx.lang)
            .await?
        {
            Some(r) => r,
            None => match tx.next_card_due(user.id).await? {
                None => Reply::text(Msg::Review(ReviewMsg::ReviewNoCards).render(ctx.lang)),
                Some(due) => Reply::text(
                    Msg::Review(ReviewMsg::ReviewNothingDue {
                        when: day_of(due, tz),
                        timezone: tz.to_string(),
                    })
                    .render(ctx.lang),
                ),
            },
        };
        tx.commit().await?;
        Ok(reply)
    }

    /// Poses the user's earliest due card as a quiz in `chat`; `None` when nothing is due.
    async fn serve_review(
        &self,
        tx: &mut Tx,
        chat: &ChatRow,
        user: &UserRow,
        now: DateTime<Utc>,
        lang: Lang,
    ) -> Result<Option<Reply>, Error> {
        let tz = self.user_tz(user, chat);
        let due = tx.due_cards(user.id, due_before(now, tz), DUE_SCAN).await?;
        // Cards of questions no longer in the curriculum or their deck are passed over (and
        // retired at start, or when the deck is replaced).
        let mut servable = Vec::new();
        for c in &due {
            if let Some(p) = self.posed(tx, &c.topic_id, c.question_idx).await?
                && c.question_hash.as_deref() == Some(p.question.fingerprint().as_str())
            {
                servable.push(p);
            }
        }
        let Some(posed) = servable.first() else {
            return Ok(None);
        };
        let quiz_id = tx
            .create_quiz(chat.id, &posed.topic_id, posed.idx, Some(user.id), now)
            .await?;
        tx.mark_review_quiz(quiz_id, user.id).await?;
        let intro = Msg::Review(ReviewMsg::ReviewIntro {
            due: i64::try_from(servable.len()).unwrap_or(i64::MAX),
            topic: posed.title.clone(),
        });
        let r = Reply::quiz(
            intro.render(lang),
            QuizCard::of(quiz_id, &posed.title, &posed.question),
        );
        Ok(Some(r))
    }

    /// Reviews the user's card for the quiz's question with a just-recorded answer, in the
    /// answer's transaction (so an answer refused as a duplicate never reviews). For a quiz that
    /// /review posed, returns what comes next: the next due card, or when one is due again.
    pub(in crate::core) async fn review_answer(
        &self,
        tx: &mut Tx,
        chat: &ChatRow,
        user: &UserRow,
        quiz: &QuizRow,
        answer: Answered,
        graded: &Graded,
    ) -> Result<Option<Reply>, Error> {
        let (now, lang) = (graded.now, graded.lang);
        let Answered {
            id: answer_id,
            correct,
        } = answer;
        let Some(posed) = self.posed(tx, &quiz.topic_id, quiz.question_idx).await? else {
            return Ok(None);
        };
        let hash = posed.question.fingerprint();
        // A card made for an earlier question at this index is replaced by a fresh one.
        let stored = tx
            .review_card(user.id, &quiz.topic_id, quiz.question_idx)
            .await?
            .filter(|c| c.question_hash.as_deref() == Some(hash.as_str()));
        let previous = stored.as_ref().and_then(|c| rating_of(c.last_rating));
        let reviewed = review(
            stored.as_ref().map(card_of),
            rating_for(correct, previous),
            now,
        );
        let update = reviewed.update(user.id, &quiz.topic_id, quiz.question_idx, &hash);
        let card_id = tx.save_review_card(&update).await?;
        tx.log_review(&reviewed.log(user.id, card_id, answer_id, now))
            .await?;
        if !tx.is_review_quiz(quiz.id, user.id).await? {
            return Ok(None);
        }
        if let Some(next) = self.serve_review(tx, chat, user, now, lang).await? {
            return Ok(Some(next));
        }
        let tz = self.user_tz(user, chat);
        Ok(tx.next_card_due(user.id).await?.map(|due| {
            let mut r = Reply::default();
            r.push(Block::Note(
                Msg::Review(ReviewMsg::ReviewAllDone {
                    when: day_of(due, tz),
                    timezone: tz.to_string(),
                })
                .render(lang),
            ));
            r
        }))
    }

    /// Retires the review cards of questions that are no longer in the curriculum (rewritten or
    /// removed), so they stop being due; run once at start. Returns how many cards retired.
    pub async fn retire_changed_cards(&self) -> Result<u64, Error> {
        let mut tx = self.store.begin().await?;
        let mut retired = 0;
        for q in tx.card_questions().await? {
            // Deck cards follow their deck: a re-import moves or retires them.
            if crate::core::deck::deck_of_topic(&q.topic_id).is_some() {
                continue;
            }
            let current = self.catalog.topic(&q.topic_id).and_then(|t| {
                t.questions()
                    .get(usize::try_from(q.question_idx).ok()?)
                    .map(|q| q.fingerprint())
            });
            if current.is_none() || current != q.question_hash {
                retired += tx.retire_cards(&q).await?;
            }
        }
        tx.commit().await?;
        Ok(retired)
    }

    /// /remind HH:MM or /remind off: a daily private message when reviews are due, at a local
    /// time in the learner's zone. Sent only to Telegram private chats, where the chat is the user.
    pub(in crate::core) async fn remind(
        &self,
        ctx: &Ctx,
        at: Option<DailyAt>,
    ) -> Result<Reply, Error> {
        if !ctx.caps.scheduled_private_messages || ctx.chat_kind != ChatKind::Private {
            return Err(Msg::Review(ReviewMsg::RemindTelegramOnly).into());
        }
        let (mut tx, chat, user) = self.enter(ctx).await?;
        let msg = match at {
            None => {
                if tx.delete_scheduled(Scheduled::Reminder, user.id).await? {
                    Msg::Review(ReviewMsg::RemindOff)
                } else {
                    Msg::Review(ReviewMsg::RemindWasOff)
                }
            }
            Some(at) => {
                let tz = self.user_tz(&user, &chat);
                let next = Schedule::daily(at).next_after(ctx.now, tz);
                tx.set_reminder(user.id, chat.id, &at.to_string(), tz.name(), next, ctx.now)
                    .await?;
                Msg::Review(ReviewMsg::RemindSet {
                    at: at.to_string(),
                    timezone: tz.to_string(),
                })
            }
        };
        tx.commit().await?;
        Ok(Reply::text(msg.render(ctx.lang)))
    }

    /// The learner's zone changed: their reminder keeps its local time in the new zone.
    pub(in crate::core) async fn retime_reminder(
        &self,
        tx: &mut Tx,
        user_id: i64,
        tz: Timezone,
        now: DateTime<Utc>,
    ) -> Result<(), Error> {
        let Some(r) = tx.reminder(user_id).await? else {
            return Ok(());
        };
        let next = DailyAt::parse(&r.at)
            .ok()
            .and_then(|at| Schedule::daily(at).next_after(now, tz));
        tx.set_schedule_zone(Scheduled::Reminder, user_id, tz.name(), next)
            .await?;
        Ok(())
    }

    /// Claims up to `limit` due reminders in one transaction and returns those to send: one per
    /// learner per local day (the store's key decides), only when cards are due, and not when the
    /// reminder time passed more than `catchup` ago (the bot was down).
    pub async fn claim_due_reminders(
        &self,
        now: DateTime<Utc>,
        catchup: Duration,
        limit: usize,
    ) -> Result<Vec<ReminderJob>, Error> {
        let mut tx = self.store.begin().await?;
        let limit = i64::try_from(limit).unwrap_or(i64::MAX);
        let mut jobs = Vec::new();
        for r in tx.due_reminders(now, limit).await? {
            let tz = Timezone::parse(&r.timezone).unwrap_or(self.default_tz);
            let schedule = DailyAt::parse(&r.at).ok().map(Schedule::daily);
            let next = schedule.as_ref().and_then(|s| s.next_after(now, tz));
            tx.set_next_fire(Scheduled::Reminder, r.user_id, next)
                .await?;
            if now - r.next_fire_at > catchup {
                tracing::info!(user = r.user_id, fire = %r.next_fire_at, "skipping a review reminder missed by more than PUSH_CATCHUP");
                continue;
            }
            let cards = tx.count_due_cards(r.user_id, due_before(now, tz)).await?;
            let day = tz.local_day(r.next_fire_at);
            let platform = r.platform;
            if cards == 0
                || !tx
                    .claim_reminder(r.user_id, day, r.next_fire_at, cards, now)
                    .await?
            {
                continue;
            }
            let lang = r.lang.unwrap_or_default();
            let mut reply = Reply {
                lang,
                ..Reply::text(Msg::Review(ReviewMsg::ReviewReminder { cards }).render(lang))
            };
            reply.button(
                Msg::Review(ReviewMsg::ButtonReview).render(lang),
                Action::Review,
            );
            jobs.push(ReminderJob {
                user_id: r.user_id,
                local_day: day,
                platform,
                chat: r.external_id,
                reply,
            });
        }
        tx.commit().await?;
        Ok(jobs)
    }

    /// Records a reminder's fate; a learner who blocked the bot has their reminder turned off.
    pub async fn finish_reminder(
        &self,
        job: &ReminderJob,
        outcome: &PushOutcome,
    ) -> Result<(), Error> {
        let mut tx = self.store.begin().await?;
        tx.finish_reminder(job.user_id, job.local_day, outcome.delivery())
            .await?;
        if let PushOutcome::Gone(_) = outcome {
            tx.delete_scheduled(Scheduled::Reminder, job.user_id)
                .await?;
        }
        tx.commit().await?;
        Ok(())
    }
}

/// A due instant as the local day it makes a card reviewable on.
fn day_of(due: DateTime<Utc>, tz: Timezone) -> String {
    due.with_timezone(&tz.tz())
        .format("%a %Y-%m-%d")
        .to_string()
}
