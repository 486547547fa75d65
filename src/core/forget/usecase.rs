//! /forget: deleting a learner's data, after a confirmation.

use crate::core::app::Forgetting;
use crate::core::context::{Ctx, Platform};
use crate::core::error::Error;
use crate::core::messages::Msg;
use crate::core::messages::{ForgetMsg, LinkMsg};
use crate::core::reply::{Action, Reply};
use chrono::Duration;

/// How long a /forget request waits for its confirmation.
const CONFIRM_WITHIN_MINUTES: i64 = 10;

impl Forgetting<'_> {
    pub(in crate::core) async fn forget(&self, ctx: &Ctx, confirm: bool) -> Result<Reply, Error> {
        let (mut tx, _chat, user) = self.enter(ctx).await?;
        // A linked learner is forgotten on every platform at once, and is told so.
        let platforms: Vec<_> = tx
            .accounts_of(user.id)
            .await?
            .iter()
            .map(|a| a.platform)
            .collect();
        let everywhere = |text: String, m: fn(Vec<Platform>) -> LinkMsg| match platforms.len() {
            0 | 1 => text,
            _ => format!(
                "{text} {}",
                Msg::Link(m(platforms.clone())).render(ctx.lang)
            ),
        };
        if !confirm {
            tx.set_forget_requested(user.id, Some(ctx.now)).await?;
            tx.commit().await?;
            let ask = Msg::Forget(ForgetMsg::ForgetAsk).render(ctx.lang);
            let mut r = Reply::text(everywhere(ask, LinkMsg::ForgetEverywhere));
            r.button(
                Msg::Forget(ForgetMsg::ButtonForgetYes).render(ctx.lang),
                Action::ForgetConfirm,
            );
            return Ok(r);
        }
        let pending = user.forget_requested_at.is_some_and(|at| {
            at <= ctx.now && ctx.now - at <= Duration::minutes(CONFIRM_WITHIN_MINUTES)
        });
        if !pending {
            tx.commit().await?;
            return Err(Msg::Forget(ForgetMsg::ForgetNotAsked).into());
        }
        let gone = tx.forget_user(user.id).await?;
        tx.commit().await?;
        tracing::info!(
            platform = ctx.platform.as_str(),
            "forget: a learner's data was deleted"
        );
        let done = Msg::Forget(ForgetMsg::ForgetDone(gone)).render(ctx.lang);
        let mut reply = Reply::text(everywhere(done, LinkMsg::ForgottenEverywhere));
        reply.erase_files = true;
        Ok(reply)
    }
}
