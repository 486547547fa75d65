//! Timed group quiz rounds: `/round [n] [section]` and `/round stop`, the steps the scheduler
//! posts (a question open for its period, a countdown, the scoreboard), and scoring an answer.
//!
//! The state lives in the store, so a round survives a restart. The scheduler asks for due steps
//! every tick ([`App::due_round_jobs`]), delivers them through a platform's round target and
//! reports back ([`App::round_delivered`]). A question's clock starts when its post is
//! confirmed. What a restart does: an open question keeps its time (Telegram's poll timer runs
//! on regardless) and the round goes on; a post that was in flight is sent again; a round whose
//! question closed more than [`RESUME_WITHIN_SECS`] before the bot came back ends there, with the
//! scores so far. A post that fails ends the round with a note and the scores kept.

use crate::content::Topic;
use crate::core::app::Rounds;
use crate::core::context::{ChatKind, Ctx, Platform};
use crate::core::deck::{CURRICULUM, DECK_TOPIC_PREFIX, Posed, deck_of_topic};
use crate::core::error::Error;
use crate::core::messages::{Lang, Msg};
use crate::core::messages::{QuizMsg, RoundMsg};
use crate::core::quiz::{AVOID_RECENT, OptionLetter, default_pool, pick_question};
use crate::core::reply::{Block, QuizCard, Reply};
use crate::core::round::{
    ANSWER_GRACE_SECS, COUNTDOWN_EVERY_SECS, QUESTION_SECS, RESUME_WITHIN_SECS, RoundRequest,
    START_SECS, Standing, points, rank,
};
use crate::core::usecases::platform::scoped;
use crate::store::{RoundQuestionRow, RoundRow, RoundState, Tx};
use chrono::{DateTime, Duration, Utc};
use std::collections::HashSet;

/// A round question as the platforms post it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundQuestion {
    pub round_id: i64,
    pub number: u32,
    pub total: u32,
    pub card: QuizCard,
    /// How long the question is open (Telegram: the poll's `open_period`).
    pub open_secs: u32,
    /// What the platform calls the posted question (a Discord message id), once posted.
    pub message_ref: Option<String>,
    /// The chat's language, for what a platform adds to the question (a countdown).
    pub lang: Lang,
}

/// What the scheduler has a platform do for a round.
// A handful of steps per tick, moved once each: boxing the larger variant would buy nothing.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RoundStep {
    /// Post `text` (the last question's results and scores, the next one's heading), then
    /// `question` if there is one, open for its period. `closed` is the question whose time just
    /// ran out: platforms without a native timer take its buttons away.
    Post {
        closed: Option<RoundQuestion>,
        text: Reply,
        question: Option<RoundQuestion>,
    },
    /// The open question has `seconds_left`; platforms without a native timer show it.
    Countdown {
        question: RoundQuestion,
        seconds_left: u32,
        answered: i64,
    },
}

/// One step for one chat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RoundJob {
    pub round_id: i64,
    pub platform: Platform,
    /// The chat's id on its platform.
    pub chat: String,
    pub step: RoundStep,
}

/// How a platform answered a step: the posted question's reference, or why it failed.
pub type RoundDelivery = Result<Option<String>, String>;

/// An answer to a round question that still counts, as `grade` needs it.
pub(in crate::core) struct RoundSlot {
    round_id: i64,
    opened_at: Option<DateTime<Utc>>,
    period: Duration,
}

fn u32_of(v: i64) -> u32 {
    u32::try_from(v).unwrap_or(0)
}

fn letter(i: usize) -> char {
    OptionLetter::from_index(i).map_or('?', |l| l.as_char())
}

impl Rounds<'_> {
    /// `/round [n] [source]`: starts a round in a group; the scheduler posts the first question
    /// within a tick.
    pub(in crate::core) async fn round_start(
        &self,
        ctx: &Ctx,
        req: RoundRequest,
    ) -> Result<Reply, Error> {
        if ctx.chat_kind == ChatKind::Private {
            return Err(Msg::Round(RoundMsg::GroupOnly).into());
        }
        let (mut tx, chat, user) = self.enter(ctx).await?;
        if let Some(r) = tx.running_round(chat.id).await? {
            return Err(Msg::Round(RoundMsg::Running {
                number: u32_of(r.current.max(1)),
                total: u32_of(r.total),
            })
            .into());
        }
        // A deck (named, or the chat's track) is stored as its topic id: the round keeps it
        // even if the chat changes track meanwhile.
        let named_curriculum = req
            .source
            .as_deref()
            .is_some_and(|q| q.trim().eq_ignore_ascii_case(CURRICULUM));
        let deck = match req.source.as_deref() {
            _ if named_curriculum => None,
            Some(q) => self.usable_deck(&mut tx, &chat, q).await?,
            None => self.track_deck(&mut tx, &chat).await?,
        };
        let stored_source = match &deck {
            Some(d) => Some(format!("{DECK_TOPIC_PREFIX}{}", d.id)),
            None if named_curriculum => None,
            None => req.source.clone(),
        };
        // Refuses a source without questions now, not at the first question.
        let source = match (&deck, stored_source.as_deref()) {
            (Some(d), _) => d.title.clone(),
            (None, Some(q)) => {
                self.quizzes().quiz_target(q)?;
                self.source_title(q)
            }
            (None, None) => Msg::Round(RoundMsg::SourceCovered).render(ctx.lang),
        };
        let created = tx
            .create_round(
                chat.id,
                stored_source.as_deref(),
                i64::from(req.questions),
                i64::from(QUESTION_SECS),
                user.id,
                ctx.now,
            )
            .await?;
        let Some(round_id) = created else {
            // Another /round won the race; the unique index kept it to one.
            return Err(Msg::Round(RoundMsg::Running {
                number: 1,
                total: req.questions,
            })
            .into());
        };
        let first_at = ctx.now + Duration::seconds(START_SECS);
        tx.set_round_step(round_id, 0, Some(first_at), ctx.now)
            .await?;
        tx.commit().await?;
        Ok(Reply::text(
            Msg::Round(RoundMsg::Started {
                total: req.questions,
                source,
                secs: QUESTION_SECS,
                start: u32::try_from(START_SECS).unwrap_or(3),
            })
            .render(ctx.lang),
        ))
    }

    /// `/round stop`: ends the chat's round with the scores so far; the one who started it or a
    /// chat admin may.
    pub(in crate::core) async fn round_stop(&self, ctx: &Ctx) -> Result<Reply, Error> {
        let (mut tx, chat, user) = self.enter(ctx).await?;
        let round = tx
            .running_round(chat.id)
            .await?
            .ok_or(Msg::Round(RoundMsg::NotRunning))?;
        if !ctx.is_admin && round.started_by != Some(user.id) {
            return Err(Msg::Round(RoundMsg::StopNotAllowed).into());
        }
        tx.end_round(
            round.id,
            RoundState::Stopped,
            Some("stopped by a member"),
            ctx.now,
        )
        .await?;
        let mut r = Reply::text(
            Msg::Round(RoundMsg::Stopped {
                number: u32_of(round.current),
                total: u32_of(round.total),
            })
            .render(ctx.lang),
        );
        self.final_scores(&mut tx, &round, &mut r).await?;
        tx.commit().await?;
        Ok(r)
    }

    /// A section's or topic's title for the round's announcement.
    fn source_title(&self, q: &str) -> String {
        match crate::core::search::find_section(&self.catalog, q) {
            Some(s) => s.title.clone(),
            None => crate::core::search::find_topics(&self.catalog, q)
                .first()
                .map_or_else(|| q.to_string(), |t| t.title.clone()),
        }
    }

    /// Claims every round step due at `now`, in one transaction: first questions, countdowns,
    /// closing the open question (its results and the scores) and posting the next, the final
    /// scoreboard. A step that posts a question leaves the round waiting for its confirmation.
    pub async fn due_round_jobs(&self, now: DateTime<Utc>) -> Result<Vec<RoundJob>, Error> {
        let mut tx = self.store.begin().await?;
        let mut jobs = Vec::new();
        for round in tx.due_rounds(now).await? {
            if let Some(job) = self.round_step(&mut tx, &round, now).await? {
                jobs.push(job);
            }
        }
        tx.commit().await?;
        Ok(jobs)
    }

    async fn round_step(
        &self,
        tx: &mut Tx,
        round: &RoundRow,
        now: DateTime<Utc>,
    ) -> Result<Option<RoundJob>, Error> {
        let platform = round.platform;
        let job = |step| {
            Some(RoundJob {
                round_id: round.id,
                platform,
                chat: round.external_id.clone(),
                step,
            })
        };
        let current = match tx.round_question(round.id, round.current).await? {
            Some(q) => q,
            None => {
                // Not started: the first question.
                let Some(next) = self.next_round_question(tx, round, now).await? else {
                    return Ok(None);
                };
                return Ok(job(RoundStep::Post {
                    closed: None,
                    text: question_heading(&next),
                    question: Some(next),
                }));
            }
        };
        let closes_at = current.closes_at.unwrap_or(now);
        if now < closes_at {
            let left = closes_at - Duration::seconds(ANSWER_GRACE_SECS) - now;
            let next_at = (now + Duration::seconds(COUNTDOWN_EVERY_SECS)).min(closes_at);
            tx.set_round_step(round.id, round.current, Some(next_at), now)
                .await?;
            let answered = tx.answer_count(current.quiz_id).await?;
            let Some(question) = self.round_question_of(tx, round, &current).await? else {
                return Ok(None);
            };
            return Ok(job(RoundStep::Countdown {
                question,
                seconds_left: u32::try_from(left.num_seconds().max(0)).unwrap_or(0),
                answered,
            }));
        }
        let closed = self.round_question_of(tx, round, &current).await?;
        let mut text = self
            .question_results(tx, &current, round.lang.unwrap_or_default())
            .await?;
        if now - closes_at > Duration::seconds(RESUME_WITHIN_SECS) {
            // The bot was down well past the deadline: end here rather than surprise the chat.
            tx.end_round(round.id, RoundState::Finished, Some("interrupted"), now)
                .await?;
            text.para(Msg::Round(RoundMsg::Interrupted).render(round.lang.unwrap_or_default()));
            self.final_scores(tx, round, &mut text).await?;
            return Ok(job(RoundStep::Post {
                closed,
                text,
                question: None,
            }));
        }
        if round.current >= round.total {
            tx.end_round(round.id, RoundState::Finished, None, now)
                .await?;
            self.final_scores(tx, round, &mut text).await?;
            return Ok(job(RoundStep::Post {
                closed,
                text,
                question: None,
            }));
        }
        self.scores(tx, round, &mut text).await?;
        let Some(next) = self.next_round_question(tx, round, now).await? else {
            // The round ended for want of questions: say so rather than fall silent.
            text.para(Msg::Round(RoundMsg::NoQuestions).render(round.lang.unwrap_or_default()));
            return Ok(job(RoundStep::Post {
                closed,
                text,
                question: None,
            }));
        };
        text.blocks.extend(question_heading(&next).blocks);
        Ok(job(RoundStep::Post {
            closed,
            text,
            question: Some(next),
        }))
    }

    /// Picks and records question `current + 1`, avoiding the chat's recent questions (this
    /// round's included), and marks the round as posting it. A source that lost its questions
    /// (content changed) ends the round.
    async fn next_round_question(
        &self,
        tx: &mut Tx,
        round: &RoundRow,
        now: DateTime<Utc>,
    ) -> Result<Option<RoundQuestion>, Error> {
        if let Some(deck) = round.source.as_deref().and_then(deck_of_topic) {
            let Some(deck) = tx.deck(deck).await? else {
                tx.end_round(round.id, RoundState::Failed, Some("deck removed"), now)
                    .await?;
                return Ok(None);
            };
            let avoid = i64::try_from(AVOID_RECENT).unwrap_or(12).max(round.total);
            let Some(p) = self.pick_from_deck(tx, round.chat_id, &deck, avoid).await? else {
                tx.end_round(round.id, RoundState::Failed, Some("no questions"), now)
                    .await?;
                return Ok(None);
            };
            let number = round.current + 1;
            let quiz_id = tx
                .create_quiz(round.chat_id, &p.topic_id, p.idx, None, now)
                .await?;
            tx.add_round_question(round.id, number, quiz_id).await?;
            tx.set_round_step(round.id, number, None, now).await?;
            return Ok(Some(RoundQuestion {
                round_id: round.id,
                number: u32_of(number),
                total: u32_of(round.total),
                card: QuizCard::of(quiz_id, &p.title, &p.question),
                open_secs: u32_of(round.period_secs),
                message_ref: None,
                lang: round.lang.unwrap_or_default(),
            }));
        }
        let quizzes = self.quizzes();
        let pool: Vec<&Topic> = match round.source.as_deref() {
            Some(q) => quizzes.quiz_target(q).unwrap_or_default(),
            None => {
                let seen = tx.seen_topics(round.chat_id).await?;
                let here = match tx.chat(round.chat_id).await? {
                    Some(chat) => self.position(&chat),
                    None => 0,
                };
                default_pool(&self.catalog, &seen, here)
            }
        };
        let avoid = i64::try_from(AVOID_RECENT).unwrap_or(12).max(round.total);
        let recent: HashSet<(String, usize)> = tx
            .recent_questions(round.chat_id, avoid)
            .await?
            .into_iter()
            .map(|(t, q)| (t, usize::try_from(q).unwrap_or(usize::MAX)))
            .collect();
        let Some((topic, qi)) = pick_question(&pool, &recent, self.ids.next_u64()) else {
            tx.end_round(round.id, RoundState::Failed, Some("no questions"), now)
                .await?;
            return Ok(None);
        };
        let number = round.current + 1;
        let quiz_id = tx
            .create_quiz(round.chat_id, topic.id.as_str(), qi, None, now)
            .await?;
        tx.add_round_question(round.id, number, quiz_id).await?;
        tx.set_round_step(round.id, number, None, now).await?;
        Ok(Some(RoundQuestion {
            round_id: round.id,
            number: u32_of(number),
            total: u32_of(round.total),
            card: card_of(quiz_id, topic, qi),
            open_secs: u32_of(round.period_secs),
            message_ref: None,
            lang: round.lang.unwrap_or_default(),
        }))
    }

    async fn round_question_of(
        &self,
        tx: &mut Tx,
        round: &RoundRow,
        q: &RoundQuestionRow,
    ) -> Result<Option<RoundQuestion>, Error> {
        let Some(p) = self.posed(tx, &q.topic_id, q.question_idx).await? else {
            return Ok(None);
        };
        Ok(Some(RoundQuestion {
            round_id: round.id,
            number: u32_of(q.number),
            total: u32_of(round.total),
            card: QuizCard::of(q.quiz_id, &p.title, &p.question),
            open_secs: u32_of(round.period_secs),
            message_ref: q.message_ref.clone(),
            lang: round.lang.unwrap_or_default(),
        }))
    }

    /// Time's up for a question: the right answer, how many got it, the fastest.
    async fn question_results(
        &self,
        tx: &mut Tx,
        q: &RoundQuestionRow,
        lang: Lang,
    ) -> Result<Reply, Error> {
        let mut r = Reply::default();
        if let Some(Posed { question, .. }) = self.posed(tx, &q.topic_id, q.question_idx).await? {
            r.para(
                Msg::Round(RoundMsg::AnswerWas {
                    letter: letter(question.answer),
                    option: question.options[question.answer].clone(),
                })
                .render(lang),
            );
        }
        let answers = tx.round_answers(q.quiz_id).await?;
        let right = answers.iter().filter(|a| a.correct).count();
        r.para(
            Msg::Round(RoundMsg::QuestionStats {
                right,
                answered: answers.len(),
            })
            .render(lang),
        );
        if let Some(best) = answers.iter().filter(|a| a.correct).max_by(|a, b| {
            a.points
                .cmp(&b.points)
                .then(b.elapsed_ms.cmp(&a.elapsed_ms))
        }) {
            r.para(
                Msg::Round(RoundMsg::Fastest {
                    name: best.display_name.clone(),
                    points: best.points,
                })
                .render(lang),
            );
        }
        Ok(r)
    }

    async fn standings(
        &self,
        tx: &mut Tx,
        round_id: i64,
        lang: Lang,
    ) -> Result<Vec<String>, Error> {
        let scores = tx.round_scores(round_id).await?;
        let ranked = rank(
            scores
                .into_iter()
                .map(|s| Standing {
                    name: s.display_name,
                    points: s.points,
                    right: s.right,
                    answered: s.answered,
                })
                .collect(),
        );
        Ok(ranked
            .into_iter()
            .map(|(place, s)| {
                Msg::Round(RoundMsg::ScoreRow {
                    rank: place,
                    name: s.name,
                    points: s.points,
                    right: s.right,
                    answered: s.answered,
                })
                .render(lang)
            })
            .collect())
    }

    /// The scores after the current question.
    async fn scores(&self, tx: &mut Tx, round: &RoundRow, r: &mut Reply) -> Result<(), Error> {
        let rows = self
            .standings(tx, round.id, round.lang.unwrap_or_default())
            .await?;
        if rows.is_empty() {
            return Ok(());
        }
        r.push(Block::Subheading(
            Msg::Round(RoundMsg::ScoresAfter {
                number: u32_of(round.current),
                total: u32_of(round.total),
            })
            .render(round.lang.unwrap_or_default()),
        ));
        r.push(Block::List(rows));
        Ok(())
    }

    /// The final scoreboard and the winner(s).
    async fn final_scores(
        &self,
        tx: &mut Tx,
        round: &RoundRow,
        r: &mut Reply,
    ) -> Result<(), Error> {
        let scores = tx.round_scores(round.id).await?;
        r.push(Block::Subheading(
            Msg::Round(RoundMsg::Over).render(round.lang.unwrap_or_default()),
        ));
        if scores.is_empty() {
            r.para(Msg::Round(RoundMsg::Nobody).render(round.lang.unwrap_or_default()));
            return Ok(());
        }
        let best = scores.iter().map(|s| s.points).max().unwrap_or(0);
        r.push(Block::List(
            self.standings(tx, round.id, round.lang.unwrap_or_default())
                .await?,
        ));
        if best > 0 {
            let mut winners: Vec<String> = scores
                .iter()
                .filter(|s| s.points == best)
                .map(|s| s.display_name.clone())
                .collect();
            winners.sort();
            r.para(
                Msg::Round(RoundMsg::Winner {
                    names: winners,
                    points: best,
                })
                .render(round.lang.unwrap_or_default()),
            );
        }
        Ok(())
    }

    /// Records what became of a step. A posted question opens now: answers count from here
    /// until its period (plus a grace for late deliveries) is over. A failed post ends the round
    /// and returns a note to try to post (the scores are kept); a failed countdown is only
    /// logged by the caller.
    pub async fn round_delivered(
        &self,
        job: &RoundJob,
        delivery: &RoundDelivery,
        now: DateTime<Utc>,
    ) -> Result<Option<RoundJob>, Error> {
        let RoundStep::Post { question, .. } = &job.step else {
            return Ok(None);
        };
        let mut tx = self.store.begin().await?;
        let Some(round) = tx.round(job.round_id).await? else {
            return Ok(None);
        };
        let running = round.state == RoundState::Running;
        match (delivery, question) {
            (Ok(message_ref), Some(q)) if running && round.current == i64::from(q.number) => {
                let closes_at = now + Duration::seconds(i64::from(q.open_secs) + ANSWER_GRACE_SECS);
                tx.open_round_question(
                    round.id,
                    i64::from(q.number),
                    message_ref.as_deref(),
                    now,
                    closes_at,
                )
                .await?;
                // The platform's id for the posted question (a Telegram poll id) is how native
                // answers find its quiz; stored with the delivery, in one transaction.
                if let Some(r) = message_ref {
                    tx.set_quiz_ref(q.card.quiz_id, &scoped(job.platform, r))
                        .await?;
                }
                let next_at = (now + Duration::seconds(COUNTDOWN_EVERY_SECS)).min(closes_at);
                tx.set_round_step(round.id, round.current, Some(next_at), now)
                    .await?;
                tx.commit().await?;
                Ok(None)
            }
            (Err(reason), _) if running => {
                tx.end_round(round.id, RoundState::Failed, Some(reason), now)
                    .await?;
                let mut text = Reply::text(
                    Msg::Round(RoundMsg::Failed).render(round.lang.unwrap_or_default()),
                );
                self.final_scores(&mut tx, &round, &mut text).await?;
                tx.commit().await?;
                Ok(Some(RoundJob {
                    round_id: round.id,
                    platform: job.platform,
                    chat: job.chat.clone(),
                    step: RoundStep::Post {
                        closed: None,
                        text,
                        question: None,
                    },
                }))
            }
            _ => Ok(None),
        }
    }

    /// At start: rounds whose post was in flight when the process stopped. A recent one is sent
    /// again (the platform may have got it before the stop: at least once); an old one ends with
    /// the scores so far.
    pub async fn recover_rounds(&self, now: DateTime<Utc>) -> Result<Vec<RoundJob>, Error> {
        let mut tx = self.store.begin().await?;
        let mut jobs = Vec::new();
        for round in tx.posting_rounds().await? {
            let platform = round.platform;
            let question = match tx.round_question(round.id, round.current).await? {
                Some(q) => self.round_question_of(&mut tx, &round, &q).await?,
                None => None,
            };
            let fresh = now - round.updated_at <= Duration::seconds(RESUME_WITHIN_SECS);
            let step = match question {
                Some(q) if fresh => {
                    let mut text = question_heading(&q);
                    text.push(Block::Note(
                        Msg::Round(RoundMsg::Resent).render(round.lang.unwrap_or_default()),
                    ));
                    RoundStep::Post {
                        closed: None,
                        text,
                        question: Some(q),
                    }
                }
                _ => {
                    tx.end_round(round.id, RoundState::Finished, Some("interrupted"), now)
                        .await?;
                    let mut text = Reply::text(
                        Msg::Round(RoundMsg::Interrupted).render(round.lang.unwrap_or_default()),
                    );
                    self.final_scores(&mut tx, &round, &mut text).await?;
                    RoundStep::Post {
                        closed: None,
                        text,
                        question: None,
                    }
                }
            };
            jobs.push(RoundJob {
                round_id: round.id,
                platform,
                chat: round.external_id.clone(),
                step,
            });
        }
        tx.commit().await?;
        Ok(jobs)
    }

    /// How many have answered a quiz and the line its message should show under it now, in the
    /// chat's language: the count, or for a round question the countdown while open and the
    /// answer once closed, so an answer count shown on a click never hides the round's timer.
    pub async fn quiz_status(
        &self,
        quiz_id: i64,
        now: DateTime<Utc>,
    ) -> Result<(i64, String), Error> {
        let mut tx = self.store.read().await?;
        let count = tx.answer_count(quiz_id).await?;
        let slot = tx.round_slot(quiz_id).await?;
        let quiz = tx.quiz(quiz_id).await?;
        let lang = match &quiz {
            Some(q) => self.chat_lang(&mut tx, q.chat_id).await?,
            None => Lang::default(),
        };
        let correct = match quiz {
            Some(q) => self
                .posed(&mut tx, &q.topic_id, q.question_idx)
                .await?
                .map(|p| p.question.answer),
            None => None,
        };
        tx.commit().await?;
        let line = match slot.map(|s| match s.closes_at {
            Some(c) if s.state == RoundState::Running && s.current == s.number && now < c => {
                let left = c - Duration::seconds(ANSWER_GRACE_SECS) - now;
                Msg::Round(RoundMsg::Countdown {
                    seconds: u32::try_from(left.num_seconds().max(0)).unwrap_or(0),
                    answered: count,
                })
                .render(lang)
            }
            _ => Msg::Round(RoundMsg::TimeUp {
                letter: correct.map_or('?', letter),
            })
            .render(lang),
        }) {
            Some(line) => line,
            None => Msg::Quiz(QuizMsg::QuizAnswered { count }).render(lang),
        };
        Ok((count, line))
    }

    /// Whether an answer to `quiz_id` is a round answer, and if so whether it still counts: only
    /// the round's current question, and only until it closes.
    pub(in crate::core) async fn round_slot(
        &self,
        tx: &mut Tx,
        quiz_id: i64,
        now: DateTime<Utc>,
    ) -> Result<Option<RoundSlot>, Error> {
        let Some(slot) = tx.round_slot(quiz_id).await? else {
            return Ok(None);
        };
        let open = slot.state == RoundState::Running
            && slot.current == slot.number
            && slot.closes_at.is_none_or(|c| now <= c);
        if !open {
            return Err(Msg::Round(RoundMsg::Closed).into());
        }
        Ok(Some(RoundSlot {
            round_id: slot.round_id,
            opened_at: slot.opened_at,
            period: Duration::seconds(slot.period_secs),
        }))
    }

    /// Scores a first answer to a round question; returns its points.
    pub(in crate::core) async fn score_round_answer(
        &self,
        tx: &mut Tx,
        slot: &RoundSlot,
        quiz_id: i64,
        user_id: i64,
        correct: bool,
        now: DateTime<Utc>,
    ) -> Result<i64, Error> {
        // An answer that beats the post's confirmation (a very fast vote) counts as instant.
        let elapsed = slot
            .opened_at
            .map_or(Duration::zero(), |t| (now - t).max(Duration::zero()));
        let p = points(correct, elapsed, slot.period);
        tx.insert_round_answer(
            quiz_id,
            user_id,
            slot.round_id,
            correct,
            p,
            elapsed.num_milliseconds(),
        )
        .await?;
        Ok(p)
    }
}

fn card_of(quiz_id: i64, topic: &Topic, qi: usize) -> QuizCard {
    QuizCard::new(quiz_id, topic, &topic.questions()[qi])
}

/// "Question 2 of 5 · topic" above a question.
fn question_heading(q: &RoundQuestion) -> Reply {
    let mut r = Reply::default();
    r.push(Block::Subheading(
        Msg::Round(RoundMsg::QuestionHeading {
            number: q.number,
            total: q.total,
            topic: q.card.topic_title.clone(),
        })
        .render(q.lang),
    ));
    r
}
