//! /streak, /leaderboard.

use crate::core::app::Stats;
use crate::core::context::Ctx;
use crate::core::error::Error;
use crate::core::messages::Msg;
use crate::core::messages::{StatsMsg, StreakMsg};
use crate::core::reply::{Block, Reply};
use crate::core::usecases::streak_of;

/// How many learners a leaderboard lists.
const LEADERS: i64 = 10;

impl Stats<'_> {
    pub(in crate::core) async fn streak(&self, ctx: &Ctx) -> Result<Reply, Error> {
        let (tx, chat, user) = self.enter(ctx).await?;
        tx.commit().await?;
        let today = self.user_tz(&user, &chat).local_day(ctx.now);
        let s = streak_of(&user);
        let mut r = Reply::text(
            Msg::Streak(StreakMsg::Line {
                current: s.current_on(today),
                longest: s.longest,
                freezes: s.freezes,
            })
            .render(ctx.lang),
        );
        let hint = if s.needs_today(today) {
            Msg::Streak(StreakMsg::NeedsToday)
        } else {
            Msg::Streak(StreakMsg::DoneToday)
        };
        r.push(Block::Note(hint.render(ctx.lang)));
        Ok(r)
    }

    pub(in crate::core) async fn leaderboard(&self, ctx: &Ctx) -> Result<Reply, Error> {
        let (mut tx, chat, _user) = self.enter(ctx).await?;
        let week_start = self.chat_tz(&chat).week_start(ctx.now);
        let week = tx.leaderboard(chat.id, Some(week_start), LEADERS).await?;
        let all = tx.leaderboard(chat.id, None, LEADERS).await?;
        tx.commit().await?;
        let mut r = Reply::default();
        for (title, rows) in [
            (Msg::Stats(StatsMsg::LeaderboardWeek), week),
            (Msg::Stats(StatsMsg::LeaderboardAllTime), all),
        ] {
            r.push(Block::Subheading(title.render(ctx.lang)));
            if rows.is_empty() {
                r.para(Msg::Stats(StatsMsg::LeaderboardEmpty).render(ctx.lang));
            } else {
                r.push(Block::List(
                    rows.into_iter()
                        .enumerate()
                        .map(|(i, row)| {
                            Msg::Stats(StatsMsg::LeaderRow {
                                rank: i + 1,
                                name: row.display_name,
                                xp: row.xp,
                                answers: row.answers,
                            })
                            .render(ctx.lang)
                        })
                        .collect(),
                ));
            }
        }
        Ok(r)
    }
}
