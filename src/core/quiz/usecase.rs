//! /quiz and /answer.

use crate::content::Topic;
use crate::core::app::Quizzes;
use crate::core::context::Ctx;
use crate::core::deck::CURRICULUM;
use crate::core::error::Error;
use crate::core::messages::{ECHO_CHARS, Lang, Msg, clip};
use crate::core::messages::{GeneralMsg, ReportMsg};
use crate::core::messages::{QuizMsg, RoundMsg, StreakMsg, TopicMsg};
use crate::core::quiz::{AVOID_RECENT, OptionLetter, default_pool, pick_question, xp_for};
use crate::core::reply::{Action, Block, QuizCard, Reply};
use crate::core::review::usecase::Answered;
use crate::core::search::{find_section, find_topics};
use crate::core::streak::StreakChange;
use crate::core::usecases::{progress_of, streak_of};
use crate::store::{ChatRow, NewAnswer, QuizRow, Tx, UserRow};
use chrono::{DateTime, Utc};
use std::collections::HashSet;

impl Quizzes<'_> {
    /// Poses a question from the chosen section or topic, or from what the chat has covered.
    pub(in crate::core) async fn quiz(
        &self,
        ctx: &Ctx,
        target: Option<&str>,
    ) -> Result<Reply, Error> {
        let (mut tx, chat, user) = self.enter(ctx).await?;
        // A deck: the one named, else the chat's track; `backend` names the curriculum.
        let curriculum = target.is_some_and(|q| q.trim().eq_ignore_ascii_case(CURRICULUM));
        let target = target.filter(|_| !curriculum);
        let deck = match target {
            Some(q) => self.usable_deck(&mut tx, &chat, q).await?,
            None if curriculum => None,
            None => self.track_deck(&mut tx, &chat).await?,
        };
        if let Some(deck) = deck {
            let posed = self
                .pick_from_deck(&mut tx, chat.id, &deck, 0)
                .await?
                .ok_or(Msg::Quiz(QuizMsg::NoQuestions { topic: deck.title }))?;
            let quiz_id = tx
                .create_quiz(chat.id, &posed.topic_id, posed.idx, Some(user.id), ctx.now)
                .await?;
            tx.commit().await?;
            let intro = Msg::Quiz(QuizMsg::QuizIntro {
                topic: posed.title.clone(),
            });
            return Ok(Reply::quiz(
                intro.render(ctx.lang),
                QuizCard::of(quiz_id, &posed.title, &posed.question),
            ));
        }
        let pool: Vec<&Topic> = match target {
            None => {
                let seen = tx.seen_topics(chat.id).await?;
                default_pool(&self.catalog, &seen, self.position(&chat))
            }
            Some(q) => self.quiz_target(q)?,
        };
        let recent: HashSet<(String, usize)> = tx
            .recent_questions(chat.id, AVOID_RECENT as i64)
            .await?
            .into_iter()
            .map(|(t, q)| (t, usize::try_from(q).unwrap_or(usize::MAX)))
            .collect();
        let (topic, qi) = pick_question(&pool, &recent, self.ids.next_u64()).ok_or_else(|| {
            Msg::Quiz(QuizMsg::NoQuestions {
                topic: self.catalog.first().title.clone(),
            })
        })?;
        let question = &topic.questions()[qi];
        let quiz_id = tx
            .create_quiz(chat.id, topic.id.as_str(), qi, Some(user.id), ctx.now)
            .await?;
        tx.commit().await?;
        let intro = Msg::Quiz(QuizMsg::QuizIntro {
            topic: topic.title.clone(),
        });
        Ok(Reply::quiz(
            intro.render(ctx.lang),
            QuizCard::new(quiz_id, topic, question),
        ))
    }

    /// A section (number, slug or title) or the best-matching topic, with questions.
    pub(in crate::core) fn quiz_target(&self, q: &str) -> Result<Vec<&Topic>, Error> {
        if let Some(section) = find_section(&self.catalog, q) {
            let topics: Vec<&Topic> = self
                .catalog
                .section_topics(section)
                .iter()
                .filter(|t| !t.questions().is_empty())
                .collect();
            if topics.is_empty() {
                return Err(Msg::Quiz(QuizMsg::NoQuestions {
                    topic: section.title.clone(),
                })
                .into());
            }
            return Ok(topics);
        }
        let best = *find_topics(&self.catalog, q)
            .first()
            .ok_or_else(|| Msg::Topic(TopicMsg::NoMatch(clip(q, ECHO_CHARS))))?;
        if best.questions().is_empty() {
            return Err(Msg::Quiz(QuizMsg::NoQuestions {
                topic: best.title.clone(),
            })
            .into());
        }
        Ok(vec![best])
    }

    /// Grades an answer and records it with its streak and XP in one transaction; a second answer
    /// of the same user to the same quiz is refused by the store and changes nothing.
    pub(in crate::core) async fn answer(
        &self,
        ctx: &Ctx,
        quiz_id: Option<i64>,
        letter: OptionLetter,
    ) -> Result<Reply, Error> {
        let (mut tx, chat, user) = self.enter(ctx).await?;
        let quiz = self
            .chat_quiz(&mut tx, &chat, quiz_id)
            .await?
            .ok_or(Msg::Quiz(QuizMsg::NoQuizYet))?;
        let graded = Graded {
            letter,
            now: ctx.now,
            lang: ctx.lang,
        };
        self.grade(tx, &chat, &user, &quiz, graded).await
    }

    /// The quiz a button or a typed command means: the one named, else the chat's latest; a
    /// quiz of another chat is none of this chat's business.
    pub(in crate::core) async fn chat_quiz(
        &self,
        tx: &mut Tx,
        chat: &ChatRow,
        quiz_id: Option<i64>,
    ) -> Result<Option<QuizRow>, Error> {
        let quiz = match quiz_id {
            Some(id) => tx.quiz(id).await?,
            None => tx.latest_quiz(chat.id).await?,
        };
        Ok(quiz.filter(|q| q.chat_id == chat.id))
    }

    /// How many learners have answered this quiz, for platforms that show it on the question.
    pub async fn quiz_answer_count(&self, quiz_id: i64) -> Result<i64, Error> {
        let mut tx = self.store.read().await?;
        let count = tx.answer_count(quiz_id).await?;
        tx.commit().await?;
        Ok(count)
    }

    /// Grades and records one answer inside the caller's transaction, then commits it.
    pub(in crate::core) async fn grade(
        &self,
        mut tx: Tx,
        chat: &ChatRow,
        user: &UserRow,
        quiz: &QuizRow,
        graded: Graded,
    ) -> Result<Reply, Error> {
        let Graded { letter, now, lang } = graded;
        let posed = self
            .posed(&mut tx, &quiz.topic_id, quiz.question_idx)
            .await?
            .ok_or(Msg::Quiz(QuizMsg::NoQuizYet))?;
        let question = &posed.question;
        // A deck question may have fewer than four options.
        if letter.index() >= question.options.len() {
            return Err(Msg::General(GeneralMsg::NotAnOption(letter.as_char().to_string())).into());
        }
        let correct = letter.index() == question.answer;
        let day = self.user_tz(user, chat).local_day(now);
        let xp = xp_for(question.difficulty, correct);
        let new = NewAnswer {
            quiz_id: quiz.id,
            user_id: user.id,
            choice: letter.index(),
            correct,
            xp,
            answered_at: now,
            study_day: day,
        };
        // A round question takes answers only while it is open.
        let round = self.rounds().round_slot(&mut tx, quiz.id, now).await?;
        let Some(answer_id) = tx.insert_answer(&new).await? else {
            let before = tx.answer_choice(quiz.id, user.id).await?.unwrap_or(0);
            let letter =
                OptionLetter::from_index(usize::try_from(before).unwrap_or(0)).unwrap_or(letter);
            return Ok(Reply::text(
                Msg::Quiz(QuizMsg::AlreadyAnswered {
                    letter: letter.as_char(),
                })
                .render(lang),
            ));
        };
        let (streak, change) = streak_of(user).record(day);
        tx.save_progress(user.id, &progress_of(user.xp + xp, &streak))
            .await?;
        let round_points = match &round {
            Some(slot) => Some(
                self.rounds()
                    .score_round_answer(&mut tx, slot, quiz.id, user.id, correct, now)
                    .await?,
            ),
            None => None,
        };
        let next_review = self
            .reviews()
            .review_answer(
                &mut tx,
                chat,
                user,
                quiz,
                Answered {
                    id: answer_id,
                    correct,
                },
                &graded,
            )
            .await?;
        tx.commit().await?;
        let platform = chat.platform.as_str();
        let correct_label = if correct { "true" } else { "false" };
        metrics::counter!(crate::ops::metrics::ANSWERS, "platform" => platform, "correct" => correct_label)
            .increment(1);

        let mut r = Reply::default();
        if correct {
            r.para(Msg::Quiz(QuizMsg::Correct { xp }).render(lang));
        } else {
            let right = OptionLetter::from_index(question.answer)
                .map(|l| l.as_char())
                .unwrap_or('?');
            r.para(
                Msg::Quiz(QuizMsg::Wrong {
                    letter: right,
                    option: question.options[question.answer].clone(),
                })
                .render(lang),
            );
        }
        if let Some(points) = round_points {
            r.para(Msg::Round(RoundMsg::Points { points }).render(lang));
        }
        r.para(Msg::Quiz(QuizMsg::ExplanationLine(question.explanation.clone())).render(lang));
        let note = match change {
            StreakChange::Unchanged => None,
            StreakChange::Started => Some(Msg::Streak(StreakMsg::Started).render(lang)),
            StreakChange::Restarted { .. } => Some(Msg::Streak(StreakMsg::Restarted).render(lang)),
            StreakChange::Extended {
                freezes_used,
                freeze_earned,
            } => {
                let mut parts = vec![
                    Msg::Streak(StreakMsg::Extended {
                        days: streak.current,
                    })
                    .render(lang),
                ];
                if freezes_used > 0 {
                    parts.push(
                        Msg::Streak(StreakMsg::FreezeUsed { used: freezes_used }).render(lang),
                    );
                }
                if freeze_earned {
                    parts.push(Msg::Streak(StreakMsg::FreezeEarned).render(lang));
                }
                Some(parts.join(" "))
            }
        };
        if let Some(n) = note {
            r.push(Block::Note(n));
        }
        r.button(
            Msg::Report(ReportMsg::Button).render(lang),
            Action::Report { quiz_id: quiz.id },
        );
        // A /review quiz: the next due card follows (or when one is due again).
        if let Some(next) = next_review {
            r.blocks.extend(next.blocks);
            r.quiz = next.quiz;
        }
        Ok(r)
    }
}

/// An answer to grade: the letter chosen, when, and the language of the verdict.
#[derive(Debug, Clone, Copy)]
pub(in crate::core) struct Graded {
    pub letter: OptionLetter,
    pub now: DateTime<Utc>,
    pub lang: Lang,
}
