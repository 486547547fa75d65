//! /report: a learner flags the question of a quiz, with a reason (a button or their words).

use crate::core::app::Reports;
use crate::core::context::Ctx;
use crate::core::error::Error;
use crate::core::messages::{Msg, ReportMsg, clip};
use crate::core::reply::{Action, Reply};
use crate::core::report::{REASON_CHARS, REPORTS_PER_DAY, ReportReason};
use crate::store::NewReport;
use chrono::Duration;

impl Reports<'_> {
    /// Reports the quiz's question (the chat's latest quiz when `quiz_id` is `None`). Without a
    /// reason, asks for one with a button per common reason.
    pub(in crate::core) async fn report(
        &self,
        ctx: &Ctx,
        quiz_id: Option<i64>,
        reason: Option<String>,
    ) -> Result<Reply, Error> {
        let (mut tx, chat, user) = self.enter(ctx).await?;
        let quiz = self
            .quizzes()
            .chat_quiz(&mut tx, &chat, quiz_id)
            .await?
            .ok_or(Msg::Report(ReportMsg::NoQuiz))?;
        let Some(reason) = reason
            .map(|r| clip(r.trim(), REASON_CHARS))
            .filter(|r| !r.is_empty())
        else {
            tx.commit().await?;
            let mut r = Reply::text(Msg::Report(ReportMsg::AskReason).render(ctx.lang));
            for reason in ReportReason::ALL {
                r.button(
                    reason.label().render(ctx.lang),
                    Action::ReportReason {
                        quiz_id: quiz.id,
                        reason,
                    },
                );
            }
            return Ok(r);
        };
        let posed = self
            .posed(&mut tx, &quiz.topic_id, quiz.question_idx)
            .await?
            .ok_or(Msg::Report(ReportMsg::Gone))?;
        if tx
            .reports_since(user.id, ctx.now - Duration::days(1))
            .await?
            >= REPORTS_PER_DAY
        {
            return Err(Msg::Report(ReportMsg::TooMany {
                per_day: REPORTS_PER_DAY,
            })
            .into());
        }
        let hash = posed.question.fingerprint();
        let new = tx
            .insert_report(
                &NewReport {
                    user_id: user.id,
                    topic_id: &posed.topic_id,
                    question_idx: quiz.question_idx,
                    question_hash: &hash,
                    prompt: &posed.question.prompt,
                    reason: &reason,
                },
                ctx.now,
            )
            .await?;
        tx.commit().await?;
        let msg = if new {
            tracing::info!(topic = %posed.topic_id, idx = quiz.question_idx, "a question was reported");
            ReportMsg::Thanks
        } else {
            ReportMsg::AlreadyReported
        };
        Ok(Reply::text(Msg::Report(msg).render(ctx.lang)))
    }
}
