//! /subscribe, /schedule, /unsubscribe, /timezone: chat settings, for admins in groups.

use crate::core::app::Schedules;
use crate::core::context::{ChatKind, Ctx};
use crate::core::error::Error;
use crate::core::messages::{GeneralMsg, ScheduleMsg};
use crate::core::messages::{Lang, Msg};
use crate::core::reply::Reply;
use crate::core::schedule::Schedule;
use crate::core::time::{DailyAt, Timezone};
use crate::store::{ChatRow, Scheduled, Tx};
use chrono::{DateTime, Utc};

impl Schedules<'_> {
    fn require_admin(ctx: &Ctx) -> Result<(), Error> {
        if ctx.may_change_settings() {
            Ok(())
        } else {
            Err(Msg::General(GeneralMsg::AdminOnly).into())
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
        let next = save_schedule(&mut tx, &chat, &Schedule::daily(at), tz, ctx.now).await?;
        tx.commit().await?;
        let mut r = Reply::text(
            Msg::Schedule(ScheduleMsg::Subscribed {
                at: at.to_string(),
                timezone: tz.to_string(),
            })
            .render(ctx.lang),
        );
        r.push(next_note(next, tz, ctx.lang));
        Ok(r)
    }

    /// A full cron schedule (e.g. weekdays only) in the chat's zone.
    pub(in crate::core) async fn schedule(
        &self,
        ctx: &Ctx,
        schedule: Schedule,
    ) -> Result<Reply, Error> {
        Self::require_admin(ctx)?;
        let (mut tx, chat, _user) = self.enter(ctx).await?;
        let tz = self.chat_tz(&chat);
        let next = save_schedule(&mut tx, &chat, &schedule, tz, ctx.now).await?;
        tx.commit().await?;
        let mut r = Reply::text(
            Msg::Schedule(ScheduleMsg::Scheduled {
                expr: schedule.expr().to_string(),
                timezone: tz.to_string(),
            })
            .render(ctx.lang),
        );
        r.push(next_note(next, tz, ctx.lang));
        Ok(r)
    }

    pub(in crate::core) async fn unsubscribe(&self, ctx: &Ctx) -> Result<Reply, Error> {
        Self::require_admin(ctx)?;
        let (mut tx, chat, _user) = self.enter(ctx).await?;
        let had = tx
            .delete_scheduled(Scheduled::Subscription, chat.id)
            .await?;
        tx.commit().await?;
        Ok(Reply::text(
            if had {
                Msg::Schedule(ScheduleMsg::Unsubscribed)
            } else {
                Msg::Schedule(ScheduleMsg::NotSubscribed)
            }
            .render(ctx.lang),
        ))
    }

    /// Sets the chat's zone (and re-times its subscription); in a private chat also the user's.
    pub(in crate::core) async fn set_timezone(
        &self,
        ctx: &Ctx,
        tz: Timezone,
    ) -> Result<Reply, Error> {
        Self::require_admin(ctx)?;
        let (mut tx, chat, user) = self.enter(ctx).await?;
        tx.set_chat_timezone(chat.id, tz.name()).await?;
        if let Some(sub) = tx.subscription(chat.id).await? {
            let next = Schedule::stored(&sub.schedule).and_then(|s| s.next_after(ctx.now, tz));
            tx.set_schedule_zone(Scheduled::Subscription, chat.id, tz.name(), next)
                .await?;
        }
        if ctx.chat_kind == ChatKind::Private {
            tx.set_user_timezone(user.id, tz.name()).await?;
            self.reviews()
                .retime_reminder(&mut tx, user.id, tz, ctx.now)
                .await?;
        }
        tx.commit().await?;
        Ok(Reply::text(
            Msg::Schedule(ScheduleMsg::TimezoneSet {
                timezone: tz.to_string(),
            })
            .render(ctx.lang),
        ))
    }
}

/// Stores the schedule with its next fire time; the scheduler picks it up on its next tick.
async fn save_schedule(
    tx: &mut Tx,
    chat: &ChatRow,
    schedule: &Schedule,
    tz: Timezone,
    now: DateTime<Utc>,
) -> Result<Option<DateTime<Utc>>, Error> {
    let next = schedule.next_after(now, tz);
    tx.upsert_subscription(chat.id, schedule.expr(), tz.name(), next, now)
        .await?;
    Ok(next)
}

fn next_note(next: Option<DateTime<Utc>>, tz: Timezone, lang: Lang) -> crate::core::Block {
    let when = next.map(|t| {
        t.with_timezone(&tz.tz())
            .format("%a %Y-%m-%d %H:%M")
            .to_string()
    });
    crate::core::Block::Note(Msg::Schedule(ScheduleMsg::NextPush { when }).render(lang))
}
