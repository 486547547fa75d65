//! /forget: deleting a learner's data, after a confirmation.

use crate::core::app::Forgetting;
use crate::core::context::Ctx;
use crate::core::error::Error;
use crate::core::messages::ForgetMsg;
use crate::core::messages::Msg;
use crate::core::reply::{Action, Reply};
use chrono::Duration;

/// How long a /forget request waits for its confirmation.
const CONFIRM_WITHIN_MINUTES: i64 = 10;

impl Forgetting<'_> {
    pub(in crate::core) async fn forget(&self, ctx: &Ctx, confirm: bool) -> Result<Reply, Error> {
        let (mut tx, _chat, user) = self.enter(ctx).await?;
        if !confirm {
            tx.set_forget_requested(user.id, Some(ctx.now)).await?;
            tx.commit().await?;
            let mut r = Reply::text(Msg::Forget(ForgetMsg::ForgetAsk).render(ctx.lang));
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
        let mut reply = Reply::text(Msg::Forget(ForgetMsg::ForgetDone(gone)).render(ctx.lang));
        reply.erase_files = true;
        Ok(reply)
    }
}
