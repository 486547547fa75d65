//! /mark and /progress: per-topic status (done / later / skip) and what it adds up to.

use crate::content::Topic;
use crate::core::app::Topics;
use crate::core::context::Ctx;
use crate::core::error::Error;
use crate::core::messages::{ECHO_CHARS, Msg, clip};
use crate::core::messages::{StatsMsg, TopicMsg};
use crate::core::reply::{Block, Reply};
use crate::core::search::find_topics;
use crate::core::status::TopicStatus;
use crate::core::usecases::percent;
use crate::store::TopicStatusRow;
use std::collections::HashMap;

/// How many due topics /progress lists by name; the rest are counted.
const DUE_LISTED: usize = 10;

/// The statuses that still name a topic of the curriculum, by topic id.
fn by_topic(rows: &[TopicStatusRow]) -> HashMap<&str, TopicStatus> {
    rows.iter()
        .filter_map(|r| Some((r.topic_id.as_str(), TopicStatus::stored(&r.status)?)))
        .collect()
}

impl Topics<'_> {
    /// Sets the learner's status of a topic: the one named (a button carries its exact id), else
    /// the chat's current topic.
    pub(in crate::core) async fn mark(
        &self,
        ctx: &Ctx,
        status: TopicStatus,
        target: Option<&str>,
    ) -> Result<Reply, Error> {
        let (mut tx, chat, user) = self.enter(ctx).await?;
        let topic: &Topic = match target {
            None => &self.catalog.topics()[self.position(&chat)],
            Some(q) => match self.catalog.topic(q) {
                Some(t) => t,
                None => *find_topics(&self.catalog, q)
                    .first()
                    .ok_or_else(|| Msg::Topic(TopicMsg::NoMatch(clip(q, ECHO_CHARS))))?,
            },
        };
        tx.set_topic_status(user.id, topic.id.as_str(), status.as_str(), ctx.now)
            .await?;
        let rows = tx.topic_statuses(user.id).await?;
        tx.commit().await?;
        let statuses = by_topic(&rows);
        let section = self.catalog.section_of(topic);
        let topics = self.catalog.section_topics(section);
        let done = topics
            .iter()
            .filter(|t| statuses.get(t.id.as_str()) == Some(&TopicStatus::Done))
            .count();
        let mut r = Reply::text(
            Msg::Topic(TopicMsg::Marked {
                title: topic.title.clone(),
                status,
            })
            .render(ctx.lang),
        );
        r.push(Block::Note(
            Msg::Topic(TopicMsg::MarkedSection {
                section: section.title.clone(),
                done,
                total: topics.len(),
            })
            .render(ctx.lang),
        ));
        Ok(r)
    }

    /// Per section: topics done, answers and accuracy; then the totals, the topics marked for
    /// later (due) and how many were skipped.
    pub(in crate::core) async fn progress(&self, ctx: &Ctx) -> Result<Reply, Error> {
        let (mut tx, _chat, user) = self.enter_read(ctx).await?;
        let tallies = tx.user_topic_tallies(user.id).await?;
        let rows = tx.topic_statuses(user.id).await?;
        let decks = self
            .decks()
            .progress_blocks(&mut tx, &user, ctx.lang)
            .await?;
        tx.commit().await?;
        if tallies.is_empty() && rows.is_empty() {
            return Ok(Reply::text(
                Msg::Stats(StatsMsg::ProgressEmpty).render(ctx.lang),
            ));
        }
        let answers: HashMap<&str, (i64, i64)> = tallies
            .iter()
            .map(|t| (t.topic_id.as_str(), (t.answered, t.correct)))
            .collect();
        let statuses = by_topic(&rows);
        let mut lines = Vec::new();
        let (mut all_done, mut all_answered, mut all_correct, mut skipped) = (0, 0, 0, 0);
        for section in self.catalog.sections() {
            let topics = self.catalog.section_topics(section);
            let (mut done, mut answered, mut correct) = (0, 0, 0);
            for t in topics {
                match statuses.get(t.id.as_str()) {
                    Some(TopicStatus::Done) => done += 1,
                    Some(TopicStatus::Skip) => skipped += 1,
                    _ => {}
                }
                if let Some((a, c)) = answers.get(t.id.as_str()) {
                    answered += a;
                    correct += c;
                }
            }
            all_done += done;
            all_answered += answered;
            all_correct += correct;
            lines.push(
                Msg::Stats(StatsMsg::ProgressRow {
                    section: format!("{:02} {}", section.number, section.title),
                    done,
                    total: topics.len(),
                    answered,
                    accuracy: percent(correct, answered),
                })
                .render(ctx.lang),
            );
        }
        let mut r = Reply::default();
        r.push(Block::Subheading(
            Msg::Stats(StatsMsg::ProgressTitle).render(ctx.lang),
        ));
        r.push(Block::List(lines));
        r.para(
            Msg::Stats(StatsMsg::ProgressDone {
                done: all_done,
                total: self.catalog.topics().len(),
            })
            .render(ctx.lang),
        );
        r.para(
            Msg::Stats(StatsMsg::ProgressTotal {
                answered: all_answered,
                accuracy: percent(all_correct, all_answered),
                xp: user.xp,
            })
            .render(ctx.lang),
        );
        // Oldest first: what has waited longest comes first.
        let due: Vec<&Topic> = rows
            .iter()
            .filter(|row| TopicStatus::stored(&row.status) == Some(TopicStatus::Later))
            .filter_map(|row| self.catalog.topic(&row.topic_id))
            .collect();
        if !due.is_empty() {
            r.push(Block::Subheading(
                Msg::Stats(StatsMsg::ProgressDue).render(ctx.lang),
            ));
            r.push(Block::List(
                due.iter()
                    .take(DUE_LISTED)
                    .map(|t| {
                        let s = self.catalog.section_of(t);
                        format!("{} ({:02} {})", t.title, s.number, s.title)
                    })
                    .collect(),
            ));
            if due.len() > DUE_LISTED {
                r.para(
                    Msg::Stats(StatsMsg::ProgressDueMore {
                        more: due.len() - DUE_LISTED,
                    })
                    .render(ctx.lang),
                );
            }
        }
        if skipped > 0 {
            r.push(Block::Note(
                Msg::Stats(StatsMsg::ProgressSkipped { count: skipped }).render(ctx.lang),
            ));
        }
        r.blocks.extend(decks);
        Ok(r)
    }
}
