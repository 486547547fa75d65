//! /language, and which language a reply is written in.

use crate::core::app::{App, Languages};
use crate::core::context::{ChatKind, Ctx, Visibility};
use crate::core::error::Error;
use crate::core::messages::{Lang, LanguageMsg, Msg};
use crate::core::reply::Reply;
use crate::store::{ChatRow, Tx, UserRow};

/// The stored choices that decide a reply's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Choices {
    /// The learner's own /language, if they chose.
    pub learner: Option<Lang>,
    /// The chat's /language (a group's admin choice), if set.
    pub chat: Option<Lang>,
}

impl Choices {
    /// The language of a reply with this visibility. The learner's choice (else their platform's
    /// locale, `hint`) wins in private chats and in replies only they see; a group message is in
    /// the chat's language, else English, so every member reads the same thing.
    pub fn pick(self, ctx: &Ctx, hint: Lang, visibility: Visibility) -> Lang {
        let personal = self.learner.or(self.chat_if_private(ctx)).unwrap_or(hint);
        let alone = visibility == Visibility::Asker && ctx.caps.private_replies;
        if ctx.chat_kind == ChatKind::Private || alone {
            personal
        } else {
            self.chat.unwrap_or_default()
        }
    }

    fn chat_if_private(self, ctx: &Ctx) -> Option<Lang> {
        (ctx.chat_kind == ChatKind::Private)
            .then_some(self.chat)
            .flatten()
    }
}

impl App {
    /// The stored choices for this learner in this chat (nothing is created by asking).
    pub(in crate::core) async fn choices(&self, ctx: &Ctx) -> Result<Choices, Error> {
        let (learner, chat) = self
            .store
            .languages(ctx.platform, &ctx.user_id, &ctx.chat_id)
            .await?;
        Ok(Choices { learner, chat })
    }

    /// `ctx` with `lang` set to the language of a reply of this visibility; the adapter's value
    /// of `lang` is taken as the platform's hint.
    pub(in crate::core) async fn speaking(
        &self,
        ctx: &Ctx,
        visibility: Visibility,
    ) -> Result<(Ctx, Choices), Error> {
        let choices = self.choices(ctx).await?;
        let lang = choices.pick(ctx, ctx.lang, visibility);
        Ok((
            Ctx {
                lang,
                ..ctx.clone()
            },
            choices,
        ))
    }
}

impl App {
    /// The language of what the bot posts to a chat on its own (pushes, rounds, reminders): the
    /// chat's choice (in a private chat, its learner's), else English.
    pub(in crate::core) async fn chat_lang(
        &self,
        tx: &mut Tx,
        chat_id: i64,
    ) -> Result<Lang, Error> {
        Ok(tx
            .chat(chat_id)
            .await?
            .and_then(|c| c.lang)
            .unwrap_or_default())
    }
}

/// The language of a reply to a learner who answered without a command (a native quiz poll):
/// theirs in a private chat (else the platform's `hint`), the chat's in a group.
pub(in crate::core) fn answer_lang(chat: &ChatRow, user: &UserRow, hint: Lang) -> Lang {
    match chat.kind {
        ChatKind::Private => user.lang.or(chat.lang).unwrap_or(hint),
        ChatKind::Group => chat.lang.unwrap_or_default(),
    }
}

impl Languages<'_> {
    /// `/language` shows the language in use; `/language X` saves the learner's choice, or in a
    /// group, an admin's choice for the whole chat.
    pub(in crate::core) async fn language(
        &self,
        ctx: &Ctx,
        choice: Option<Lang>,
    ) -> Result<Reply, Error> {
        let Some(lang) = choice else {
            let msg = LanguageMsg::Current { lang: ctx.lang };
            return Ok(Reply::text(msg.render(ctx.lang)));
        };
        let (mut tx, chat, user) = self.enter(ctx).await?;
        let msg = match ctx.chat_kind {
            ChatKind::Private => {
                // The chat's too: pushes to a private chat know only the chat.
                tx.set_user_lang(user.id, lang).await?;
                tx.set_chat_lang(chat.id, lang).await?;
                LanguageMsg::PersonalSet { lang }
            }
            ChatKind::Group if ctx.is_admin => {
                tx.set_chat_lang(chat.id, lang).await?;
                LanguageMsg::ChatSet { lang }
            }
            ChatKind::Group => {
                tx.set_user_lang(user.id, lang).await?;
                LanguageMsg::PersonalSetInGroup { lang }
            }
        };
        tx.commit().await?;
        // The confirmation is already in the new language where it is the one that applies.
        let shown = match msg {
            LanguageMsg::PersonalSetInGroup { .. } if !ctx.caps.private_replies => ctx.lang,
            _ => lang,
        };
        Ok(Reply::text(Msg::Language(msg).render(shown)))
    }
}
