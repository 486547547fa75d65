//! /progress card, /leaderboard card: the data from the store, the sentences from the messages,
//! the drawing in `crate::pictures`.

use crate::core::app::Stats;
use crate::core::context::Ctx;
use crate::core::error::Error;
use crate::core::messages::Msg;
use crate::core::messages::{CardMsg, StatsMsg};
use crate::core::reply::{Attachment, FileKind, Reply};
use crate::core::usecases::{percent, streak_of};
use crate::pictures::{
    self, HEATMAP_WEEKS, LeaderColumn, LeaderEntry, LeaderboardCard, ProgressCard, SectionProgress,
};
use chrono::NaiveDate;
use std::collections::{BTreeMap, HashMap};

/// How many learners each column of the leaderboard card lists.
const LEADERS: i64 = pictures::LEADERBOARD_ROWS as i64;

impl Stats<'_> {
    pub(in crate::core) async fn progress_card(&self, ctx: &Ctx) -> Result<Reply, Error> {
        let (mut tx, chat, user) = self.enter(ctx).await?;
        let today = self.user_tz(&user, &chat).local_day(ctx.now);
        let start = pictures::heatmap_start(today);
        let tallies = tx.user_topic_tallies(user.id).await?;
        let days = tx.user_study_days(user.id, start).await?;
        tx.commit().await?;

        let by_topic: HashMap<&str, (i64, i64)> = tallies
            .iter()
            .map(|t| (t.topic_id.as_str(), (t.answered, t.correct)))
            .collect();
        let sections: Vec<SectionProgress> = self
            .catalog
            .sections()
            .iter()
            .map(|section| {
                let topics = self.catalog.section_topics(section);
                let mut s = SectionProgress {
                    number: section.number,
                    title: section.title.clone(),
                    topics: topics.len(),
                    quizzed: 0,
                    answered: 0,
                    correct: 0,
                };
                for (answered, correct) in topics.iter().filter_map(|t| by_topic.get(t.id.as_str()))
                {
                    s.quizzed += 1;
                    s.answered += answered;
                    s.correct += correct;
                }
                s
            })
            .collect();
        let answered: i64 = sections.iter().map(|s| s.answered).sum();
        let correct: i64 = sections.iter().map(|s| s.correct).sum();
        let days: BTreeMap<NaiveDate, u32> = days
            .into_iter()
            .map(|(d, n)| (d, u32::try_from(n).unwrap_or(u32::MAX)))
            .collect();
        let streak = streak_of(&user);
        let card = ProgressCard {
            title: Msg::Card(CardMsg::ProgressTitle {
                name: user.display_name.clone(),
            })
            .render(ctx.lang),
            subtitle: Msg::Card(CardMsg::ProgressSubtitle {
                xp: user.xp,
                answered,
                accuracy: percent(correct, answered),
                streak: streak.current_on(today),
                longest: streak.longest,
            })
            .render(ctx.lang),
            calendar_title: Msg::Card(CardMsg::CalendarTitle {
                weeks: HEATMAP_WEEKS,
            })
            .render(ctx.lang),
            calendar_notes: vec![
                Msg::Card(CardMsg::StudyDays { days: days.len() }).render(ctx.lang),
                Msg::Card(CardMsg::AnswersInPeriod {
                    answers: days.values().map(|&n| i64::from(n)).sum(),
                })
                .render(ctx.lang),
            ],
            sections_title: Msg::Card(CardMsg::SectionsTitle).render(ctx.lang),
            legend: [CardMsg::LegendLess, CardMsg::LegendMore].map(|m| m.render(ctx.lang)),
            today,
            days,
            sections,
        };
        let mut r = Reply::default();
        r.file(Attachment {
            name: format!("progress-{today}.png"),
            mime: pictures::PNG_MIME.to_string(),
            bytes: draw(card, pictures::render_progress).await,
            kind: FileKind::Photo,
            caption: Some(
                Msg::Card(CardMsg::ProgressCaption {
                    day: today.format("%-d %B %Y").to_string(),
                })
                .render(ctx.lang),
            ),
        });
        Ok(r)
    }

    pub(in crate::core) async fn leaderboard_card(&self, ctx: &Ctx) -> Result<Reply, Error> {
        let (mut tx, chat, _user) = self.enter(ctx).await?;
        let tz = self.chat_tz(&chat);
        let week_start = tz.week_start(ctx.now);
        let week = tx.leaderboard(chat.id, Some(week_start), LEADERS).await?;
        let all = tx.leaderboard(chat.id, None, LEADERS).await?;
        tx.commit().await?;
        let column = |heading: Msg, rows: Vec<crate::store::LeaderRow>| LeaderColumn {
            heading: heading.render(ctx.lang),
            rows: rows
                .into_iter()
                .map(|r| LeaderEntry {
                    name: r.display_name,
                    xp: r.xp,
                    answers: r.answers,
                })
                .collect(),
            empty: Msg::Stats(StatsMsg::LeaderboardEmpty).render(ctx.lang),
        };
        let today = tz.local_day(ctx.now);
        let card = LeaderboardCard {
            title: Msg::Card(CardMsg::LeaderboardTitle).render(ctx.lang),
            subtitle: Msg::Card(CardMsg::LeaderboardSubtitle {
                week_start: tz.local_day(week_start).format("%-d %B %Y").to_string(),
            })
            .render(ctx.lang),
            columns: [
                column(Msg::Stats(StatsMsg::LeaderboardWeek), week),
                column(Msg::Stats(StatsMsg::LeaderboardAllTime), all),
            ],
        };
        let mut r = Reply::default();
        r.file(Attachment {
            name: format!("leaderboard-{today}.png"),
            mime: pictures::PNG_MIME.to_string(),
            bytes: draw(card, pictures::render_leaderboard).await,
            kind: FileKind::Photo,
            caption: Some(Msg::Card(CardMsg::LeaderboardCaption).render(ctx.lang)),
        });
        Ok(r)
    }
}

/// Draws a card off the async worker threads: a PNG is milliseconds of CPU, which would hold up
/// every other update waiting on the same worker. A panic while drawing is passed on as it was.
async fn draw<T: Send + 'static>(card: T, render: fn(&T) -> Vec<u8>) -> Vec<u8> {
    match tokio::task::spawn_blocking(move || render(&card)).await {
        Ok(png) => png,
        Err(e) => std::panic::resume_unwind(e.into_panic()),
    }
}
