//! /start, /help, /today, /next, /topic.

use crate::content::{Catalog, Topic};
use crate::core::app::Topics;
use crate::core::context::Ctx;
use crate::core::error::Error;
use crate::core::messages::{COMMANDS, ECHO_CHARS, Lang, Msg, clip};
use crate::core::messages::{GeneralMsg, TopicMsg};
use crate::core::reply::{Block, Reply};
use crate::core::search::find_topics;
use crate::core::topics::card::topic_card;

/// A topic as a reply: the card of [`topic_card`]. Pushes use the same card.
pub fn topic_reply(catalog: &Catalog, topic: &Topic, may_advance: bool, lang: Lang) -> Reply {
    topic_card(catalog, topic, may_advance, None, lang)
}

impl Topics<'_> {
    pub(in crate::core) async fn start(&self, ctx: &Ctx) -> Result<Reply, Error> {
        let (tx, _chat, user) = self.enter(ctx).await?;
        tx.commit().await?;
        let c = self.catalog.coverage();
        let mut r = Reply::text(
            Msg::General(GeneralMsg::Welcome {
                name: user.display_name,
                topics: c.topics,
                sections: c.sections,
            })
            .render(ctx.lang),
        );
        r.blocks.extend(self.help(ctx.lang).blocks);
        Ok(r)
    }

    pub(in crate::core) fn help(&self, lang: Lang) -> Reply {
        let mut r = Reply::default();
        r.push(Block::Subheading(
            Msg::General(GeneralMsg::HelpIntro).render(lang),
        ));
        r.push(Block::List(
            COMMANDS
                .iter()
                .map(|c| {
                    let args = if c.args.is_empty() {
                        String::new()
                    } else {
                        format!(" {}", c.args)
                    };
                    let star = if c.admin { " *" } else { "" };
                    format!("/{}{args}: {}{star}", c.name, c.description(lang))
                })
                .collect(),
        ));
        r.push(Block::Note(
            Msg::General(GeneralMsg::HelpAdminNote).render(lang),
        ));
        r
    }

    pub(in crate::core) async fn today(&self, ctx: &Ctx) -> Result<Reply, Error> {
        let (mut tx, chat, _user) = self.enter(ctx).await?;
        // A chat studying a deck: today's study is a question from it.
        if self.track_deck(&mut tx, &chat).await?.is_some() {
            drop(tx);
            return self.quizzes().quiz(ctx, None).await;
        }
        let topic = &self.catalog.topics()[self.position(&chat)];
        tx.mark_topic_seen(chat.id, topic.id.as_str(), ctx.now)
            .await?;
        tx.commit().await?;
        Ok(topic_reply(
            &self.catalog,
            topic,
            ctx.may_change_settings(),
            ctx.lang,
        ))
    }

    /// Moves the chat to the next written topic (outlines are skipped while any written topic
    /// remains ahead).
    pub(in crate::core) async fn next(&self, ctx: &Ctx) -> Result<Reply, Error> {
        if !ctx.may_change_settings() {
            return Err(Msg::General(GeneralMsg::AdminOnly).into());
        }
        let (mut tx, chat, _user) = self.enter(ctx).await?;
        let here = self.position(&chat);
        let ahead = &self.catalog.topics()[here + 1..];
        let Some(topic) = ahead
            .iter()
            .find(|t| !t.is_outline())
            .or_else(|| ahead.first())
        else {
            tx.commit().await?;
            return Ok(Reply::text(
                Msg::Topic(TopicMsg::EndOfCurriculum).render(ctx.lang),
            ));
        };
        tx.set_chat_topic(chat.id, topic.id.as_str()).await?;
        tx.mark_topic_seen(chat.id, topic.id.as_str(), ctx.now)
            .await?;
        tx.commit().await?;
        Ok(topic_reply(&self.catalog, topic, true, ctx.lang))
    }

    /// Looking a topic up is not studying it in the chat: nothing is stored.
    pub(in crate::core) async fn topic(&self, ctx: &Ctx, query: &str) -> Result<Reply, Error> {
        let found = find_topics(&self.catalog, query);
        let Some((best, others)) = found.split_first() else {
            return Err(Msg::Topic(TopicMsg::NoMatch(clip(query, ECHO_CHARS))).into());
        };
        let mut r = topic_reply(&self.catalog, best, false, ctx.lang);
        if !others.is_empty() {
            r.push(Block::Subheading(
                Msg::Topic(TopicMsg::OtherMatches).render(ctx.lang),
            ));
            r.push(Block::List(
                others
                    .iter()
                    .map(|t| format!("{} ({})", t.title, t.id))
                    .collect(),
            ));
        }
        Ok(r)
    }
}
