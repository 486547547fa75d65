//! /subscribe, /unsubscribe, /timezone: chat settings, for admins in groups.

use crate::core::app::App;
use crate::core::context::{ChatKind, Ctx};
use crate::core::error::Error;
use crate::core::messages::Msg;
use crate::core::reply::Reply;
use crate::core::time::{DailyAt, Timezone};

impl App {
    fn require_admin(ctx: &Ctx) -> Result<(), Error> {
        if ctx.may_change_settings() {
            Ok(())
        } else {
            Err(Msg::AdminOnly.into())
        }
    }

    /// Daily at `at` (default 09:00) in `timezone` (default: the chat's, else the bot's default).
    pub(in crate::core) async fn subscribe(
        &self,
        ctx: &Ctx,
        at: Option<DailyAt>,
        timezone: Option<Timezone>,
    ) -> Result<Reply, Error> {
        Self::require_admin(ctx)?;
        let (mut tx, chat, _user) = self.enter(ctx).await?;
        let tz = timezone.unwrap_or_else(|| self.chat_tz(&chat));
        let at = at.unwrap_or(DailyAt::DEFAULT);
        if timezone.is_some() {
            tx.set_chat_timezone(chat.id, tz.name()).await?;
        }
        tx.upsert_subscription(chat.id, &at.cron(), tz.name(), ctx.now)
            .await?;
        tx.commit().await?;
        Ok(Reply::text(
            Msg::Subscribed {
                at: at.to_string(),
                timezone: tz.to_string(),
            }
            .to_string(),
        ))
    }

    pub(in crate::core) async fn unsubscribe(&self, ctx: &Ctx) -> Result<Reply, Error> {
        Self::require_admin(ctx)?;
        let (mut tx, chat, _user) = self.enter(ctx).await?;
        let had = tx.delete_subscription(chat.id).await?;
        tx.commit().await?;
        Ok(Reply::text(
            if had {
                Msg::Unsubscribed
            } else {
                Msg::NotSubscribed
            }
            .to_string(),
        ))
    }

    /// Sets the chat's zone (and the subscription's); in a private chat also the user's own.
    pub(in crate::core) async fn set_timezone(
        &self,
        ctx: &Ctx,
        tz: Timezone,
    ) -> Result<Reply, Error> {
        Self::require_admin(ctx)?;
        let (mut tx, chat, user) = self.enter(ctx).await?;
        tx.set_chat_timezone(chat.id, tz.name()).await?;
        tx.set_subscription_timezone(chat.id, tz.name()).await?;
        if ctx.chat_kind == ChatKind::Private {
            tx.set_user_timezone(user.id, tz.name()).await?;
        }
        tx.commit().await?;
        Ok(Reply::text(
            Msg::TimezoneSet {
                timezone: tz.to_string(),
            }
            .to_string(),
        ))
    }
}
