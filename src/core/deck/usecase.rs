//! /deck list, use, remove, export, reports and import (a chat upload or the command line), and
//! the one way every feature finds the question a quiz names, wherever it lives.

use crate::content::Question;
use crate::content::deck::{DeckFile, DeckQuestion, deck_csv, parse_deck};
use crate::content::{ContentErrors, deck::DeckLimits};
use crate::core::app::{App, Decks};
use crate::core::context::Ctx;
use crate::core::deck::{CURRICULUM, DeckId, deck_of_topic, question_of, question_row};
use crate::core::error::Error;
use crate::core::messages::{DeckMsg, Lang, Msg};
use crate::core::quiz::AVOID_RECENT;
use crate::core::reply::{Attachment, Block, FileKind, Reply};
use crate::core::report::{group_reports, report_lines};
use crate::core::usecases::percent;
use crate::store::{ChatRow, DeckRow, NewDeck, Tx, UserRow};
use chrono::{DateTime, Utc};
use std::collections::HashMap;

/// Problems listed in a chat reply to a deck that does not validate (the rest are counted).
const PROBLEMS_SHOWN: usize = 10;

/// A question to pose or grade, from the curriculum or a deck, with what the quiz stores.
#[derive(Debug, Clone)]
pub struct Posed {
    pub topic_id: String,
    pub idx: usize,
    /// The topic's title, or the deck's (with the question's topic, if it has one).
    pub title: String,
    pub question: Question,
}

/// A deck file to import: from a chat upload or the command line.
#[derive(Debug, Clone, Copy)]
pub struct DeckImport<'a> {
    pub file_name: &'a str,
    pub bytes: &'a [u8],
    /// The id to use; from the file name when absent.
    pub id: Option<&'a str>,
    pub title: Option<&'a str>,
    /// Usable in every chat (command line only).
    pub public: bool,
}

/// What `/deck` was asked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DeckCmd {
    List,
    Use(String),
    Remove(String),
    Export(String),
    Reports(String),
    /// The file comes with the message (an adapter hands it to [`Decks::import_upload`]); on its
    /// own, the command explains how to send one. The id, if given, names the deck.
    Import(Option<String>),
}

impl DeckCmd {
    /// The arguments that ask for it (see `Command::to_text`).
    pub fn to_text(&self) -> String {
        match self {
            DeckCmd::List => "list".into(),
            DeckCmd::Use(id) => format!("use {id}"),
            DeckCmd::Remove(id) => format!("remove {id}"),
            DeckCmd::Export(id) => format!("export {id}"),
            DeckCmd::Reports(id) => format!("reports {id}"),
            DeckCmd::Import(None) => "import".into(),
            DeckCmd::Import(Some(id)) => format!("import {id}"),
        }
    }

    /// Changing the chat's track and importing are for group admins; removing is checked
    /// against the importer too.
    pub fn needs_admin(&self) -> bool {
        matches!(
            self,
            DeckCmd::Use(_) | DeckCmd::Remove(_) | DeckCmd::Import(_) | DeckCmd::Reports(_)
        )
    }
}

impl App {
    /// The question a stored (topic id, index) names, from the curriculum or a deck; `None` when
    /// it is no longer there.
    pub(in crate::core) async fn posed(
        &self,
        tx: &mut Tx,
        topic_id: &str,
        idx: i64,
    ) -> Result<Option<Posed>, Error> {
        let Ok(i) = usize::try_from(idx) else {
            return Ok(None);
        };
        if let Some(deck) = deck_of_topic(topic_id) {
            let Some(row) = tx.deck_question(deck, idx).await? else {
                return Ok(None);
            };
            let Some(d) = tx.deck(deck).await? else {
                return Ok(None);
            };
            return Ok(question_of(&row).map(|q| deck_posed(&d, i, q)));
        }
        Ok(self.catalog.topic(topic_id).and_then(|t| {
            Some(Posed {
                topic_id: topic_id.to_string(),
                idx: i,
                title: t.title.clone(),
                question: t.questions().get(i)?.clone(),
            })
        }))
    }

    /// A deck the chat may use (its own imports and public decks), by a typed id.
    pub(in crate::core) async fn usable_deck(
        &self,
        tx: &mut Tx,
        chat: &ChatRow,
        typed: &str,
    ) -> Result<Option<DeckRow>, Error> {
        let Ok(id) = DeckId::parse(typed) else {
            return Ok(None);
        };
        Ok(tx
            .deck(id.as_str())
            .await?
            .filter(|d| d.public || d.chat_id == Some(chat.id)))
    }

    /// The chat's track when it is a deck it may still use.
    pub(in crate::core) async fn track_deck(
        &self,
        tx: &mut Tx,
        chat: &ChatRow,
    ) -> Result<Option<DeckRow>, Error> {
        match &chat.deck_id {
            Some(id) => self.usable_deck(tx, chat, id).await,
            None => Ok(None),
        }
    }

    /// A question of `deck` for the chat, avoiding the chat's recent questions when it can.
    pub(in crate::core) async fn pick_from_deck(
        &self,
        tx: &mut Tx,
        chat_id: i64,
        deck: &DeckRow,
        avoid: i64,
    ) -> Result<Option<Posed>, Error> {
        let topic = format!("deck:{}", deck.id);
        let recent: Vec<i64> = tx
            .recent_questions(chat_id, avoid.max(AVOID_RECENT as i64))
            .await?
            .into_iter()
            .filter(|(t, _)| *t == topic)
            .map(|(_, i)| i)
            .collect();
        let all: Vec<i64> = (0..deck.questions).collect();
        let fresh: Vec<i64> = all
            .iter()
            .copied()
            .filter(|i| !recent.contains(i))
            .collect();
        let pool = if fresh.is_empty() { &all } else { &fresh };
        if pool.is_empty() {
            return Ok(None);
        }
        let idx = pool[(self.ids.next_u64() % pool.len() as u64) as usize];
        self.posed(tx, &topic, idx).await
    }

    /// Imports a deck from the command line (no chat; `--public` makes it usable everywhere).
    /// `Ok(Err(..))` carries the file's problems; nothing is stored then.
    pub async fn import_deck(
        &self,
        file: DeckImport<'_>,
        now: DateTime<Utc>,
    ) -> Result<Result<Msg, ContentErrors>, Error> {
        let deck = match parse_deck(file.file_name, file.bytes) {
            Ok(d) => d,
            Err(e) => return Ok(Err(e)),
        };
        let id = match file.id {
            Some(id) => DeckId::parse(id)?,
            None => DeckId::from_file_name(file.file_name)?,
        };
        let mut tx = self.store.begin().await?;
        let msg = save(&mut tx, &id, &deck, file, None, now).await?;
        tx.commit().await?;
        Ok(Ok(msg))
    }

    /// A deck as CSV, for the command line; `None` when there is no such deck.
    pub async fn export_deck(&self, id: &str) -> Result<Option<String>, Error> {
        let mut tx = self.store.begin().await?;
        let csv = match tx.deck(id).await? {
            Some(_) => Some(csv_of(&mut tx, id).await?),
            None => None,
        };
        tx.commit().await?;
        Ok(csv)
    }

    /// Removes a deck from the command line; false when there was none.
    pub async fn remove_deck(&self, id: &str) -> Result<bool, Error> {
        let mut tx = self.store.begin().await?;
        let removed = tx.remove_deck(id).await?;
        tx.commit().await?;
        Ok(removed)
    }

    /// Every report since `since` (all when `None`), grouped by question, newest first, as lines.
    pub async fn report_listing(
        &self,
        since: Option<DateTime<Utc>>,
        topic_id: Option<&str>,
        lang: Lang,
    ) -> Result<Vec<String>, Error> {
        let mut tx = self.store.begin().await?;
        let rows = tx.reports(since, topic_id).await?;
        // Today's fingerprint of every reported question, curriculum or deck.
        let mut current: HashMap<(String, i64), String> = HashMap::new();
        for r in &rows {
            let key = (r.topic_id.clone(), r.question_idx);
            if !current.contains_key(&key)
                && let Some(p) = self.posed(&mut tx, &r.topic_id, r.question_idx).await?
            {
                current.insert(key, p.question.fingerprint());
            }
        }
        tx.commit().await?;
        let groups = group_reports(&rows, |t, i| current.get(&(t.to_string(), i)).cloned());
        Ok(report_lines(&groups, lang))
    }
}

impl Decks<'_> {
    pub(in crate::core) async fn deck(&self, ctx: &Ctx, cmd: DeckCmd) -> Result<Reply, Error> {
        match cmd {
            DeckCmd::List => self.list(ctx).await,
            DeckCmd::Use(id) => self.use_deck(ctx, &id).await,
            DeckCmd::Remove(id) => self.remove(ctx, &id).await,
            DeckCmd::Export(id) => self.export(ctx, &id).await,
            DeckCmd::Reports(id) => self.reports(ctx, &id).await,
            DeckCmd::Import(_) => Err(Msg::Deck(DeckMsg::ImportHow).into()),
        }
    }

    async fn list(&self, ctx: &Ctx) -> Result<Reply, Error> {
        let (mut tx, chat, _user) = self.enter(ctx).await?;
        let decks = tx.decks_for_chat(chat.id).await?;
        tx.commit().await?;
        let track = chat.deck_id.as_deref();
        let mut lines = vec![
            Msg::Deck(DeckMsg::ListCurriculum {
                questions: self.catalog.coverage().questions,
                current: track.is_none(),
            })
            .render(ctx.lang),
        ];
        lines.extend(decks.iter().map(|d| {
            Msg::Deck(DeckMsg::ListDeck {
                id: d.id.clone(),
                title: d.title.clone(),
                questions: d.questions,
                current: track == Some(d.id.as_str()),
                public: d.public,
            })
            .render(ctx.lang)
        }));
        let mut r = Reply::default();
        r.push(Block::Subheading(
            Msg::Deck(DeckMsg::ListHeading).render(ctx.lang),
        ));
        r.push(Block::List(lines));
        r.push(Block::Note(Msg::Deck(DeckMsg::ListHint).render(ctx.lang)));
        Ok(r)
    }

    async fn use_deck(&self, ctx: &Ctx, typed: &str) -> Result<Reply, Error> {
        if !ctx.may_change_settings() {
            return Err(Msg::General(crate::core::messages::GeneralMsg::AdminOnly).into());
        }
        let (mut tx, chat, _user) = self.enter(ctx).await?;
        if typed.trim().eq_ignore_ascii_case(CURRICULUM) {
            tx.set_chat_deck(chat.id, None).await?;
            tx.commit().await?;
            return Ok(Reply::text(
                Msg::Deck(DeckMsg::BackToCurriculum).render(ctx.lang),
            ));
        }
        let deck = self.usable(&mut tx, &chat, typed).await?;
        tx.set_chat_deck(chat.id, Some(&deck.id)).await?;
        tx.commit().await?;
        Ok(Reply::text(
            Msg::Deck(DeckMsg::Using { title: deck.title }).render(ctx.lang),
        ))
    }

    /// A usable deck or the user error naming what was typed.
    async fn usable(&self, tx: &mut Tx, chat: &ChatRow, typed: &str) -> Result<DeckRow, Error> {
        DeckId::parse(typed)?;
        self.usable_deck(tx, chat, typed).await?.ok_or_else(|| {
            Msg::Deck(DeckMsg::Unknown(crate::core::messages::clip(
                typed.trim(),
                crate::core::messages::ECHO_CHARS,
            )))
            .into()
        })
    }

    /// The importer, or an admin of the chat the deck was imported in (anyone in their own
    /// private chat is its admin).
    fn owns(ctx: &Ctx, chat: &ChatRow, user: &UserRow, deck: &DeckRow) -> bool {
        deck.imported_by == Some(user.id)
            || (deck.chat_id == Some(chat.id) && ctx.may_change_settings())
    }

    async fn remove(&self, ctx: &Ctx, typed: &str) -> Result<Reply, Error> {
        let (mut tx, chat, user) = self.enter(ctx).await?;
        let deck = self.usable(&mut tx, &chat, typed).await?;
        if !Self::owns(ctx, &chat, &user, &deck) {
            return Err(Msg::Deck(DeckMsg::RemoveNotAllowed).into());
        }
        tx.remove_deck(&deck.id).await?;
        tx.commit().await?;
        Ok(Reply::text(
            Msg::Deck(DeckMsg::Removed { id: deck.id }).render(ctx.lang),
        ))
    }

    async fn export(&self, ctx: &Ctx, typed: &str) -> Result<Reply, Error> {
        let (mut tx, chat, _user) = self.enter(ctx).await?;
        let deck = self.usable(&mut tx, &chat, typed).await?;
        let csv = csv_of(&mut tx, &deck.id).await?;
        tx.commit().await?;
        let mut r = Reply::default();
        r.file(Attachment {
            name: format!("deck-{}.csv", deck.id),
            mime: "text/csv".into(),
            bytes: csv.into_bytes(),
            kind: FileKind::Document,
            caption: Some(Msg::Deck(DeckMsg::ExportCaption { id: deck.id }).render(ctx.lang)),
        });
        Ok(r)
    }

    async fn reports(&self, ctx: &Ctx, typed: &str) -> Result<Reply, Error> {
        let (mut tx, chat, user) = self.enter(ctx).await?;
        let deck = self.usable(&mut tx, &chat, typed).await?;
        if !Self::owns(ctx, &chat, &user, &deck) {
            return Err(Msg::Deck(DeckMsg::OwnerOnly).into());
        }
        tx.commit().await?;
        let topic = format!("deck:{}", deck.id);
        let lines = self.report_listing(None, Some(&topic), ctx.lang).await?;
        let mut r = Reply::default();
        r.push(Block::Subheading(deck.title));
        r.push(Block::List(lines));
        Ok(r)
    }

    /// `/deck import [ID]` with a file a member sent: validated whole, stored in one transaction
    /// (nothing half-imported), usable in this chat. A deck of another chat keeps its id.
    pub async fn import_upload(&self, ctx: &Ctx, file: DeckImport<'_>) -> Result<Reply, Error> {
        if !ctx.may_change_settings() {
            return Err(Msg::General(crate::core::messages::GeneralMsg::AdminOnly).into());
        }
        let deck = match parse_deck(file.file_name, file.bytes) {
            Ok(d) => d,
            Err(errors) => return Ok(invalid_reply(&errors, ctx.lang)),
        };
        let id = match file.id {
            Some(id) => DeckId::parse(id)?,
            None => DeckId::from_file_name(file.file_name)?,
        };
        let (mut tx, chat, user) = self.enter(ctx).await?;
        if let Some(existing) = tx.deck(id.as_str()).await?
            && !Self::owns(ctx, &chat, &user, &existing)
        {
            return Err(Msg::Deck(DeckMsg::IdTaken(id.to_string())).into());
        }
        let msg = save(&mut tx, &id, &deck, file, Some((&chat, &user)), ctx.now).await?;
        tx.commit().await?;
        Ok(Reply::text(msg.render(ctx.lang)))
    }

    /// `/progress`: the learner's answers per deck, apart from the curriculum's sections.
    pub(in crate::core) async fn progress_blocks(
        &self,
        tx: &mut Tx,
        user: &UserRow,
        lang: Lang,
    ) -> Result<Vec<Block>, Error> {
        let tallies = tx.deck_tallies(user.id).await?;
        if tallies.is_empty() {
            return Ok(Vec::new());
        }
        let mut lines = Vec::new();
        for t in tallies {
            let id = deck_of_topic(&t.topic_id)
                .unwrap_or(&t.topic_id)
                .to_string();
            let title = tx.deck(&id).await?.map_or(id, |d| d.title);
            lines.push(
                Msg::Deck(DeckMsg::ProgressLine {
                    title,
                    answered: t.answered,
                    percent: percent(t.correct, t.answered).unwrap_or(0),
                })
                .render(lang),
            );
        }
        Ok(vec![
            Block::Subheading(Msg::Deck(DeckMsg::ProgressHeading).render(lang)),
            Block::List(lines),
        ])
    }
}

/// The reply to a deck file over the size limit, refused before it is read or downloaded.
pub fn too_big(bytes: u64) -> Msg {
    Msg::Deck(DeckMsg::TooBig {
        bytes,
        max: DeckLimits::MAX_BYTES,
    })
}

/// The reply to a deck file that does not validate: how many problems, the first of them.
fn invalid_reply(errors: &ContentErrors, lang: Lang) -> Reply {
    let mut r = Reply::text(
        Msg::Deck(DeckMsg::Invalid {
            problems: errors.0.len(),
        })
        .render(lang),
    );
    r.push(Block::List(
        errors
            .0
            .iter()
            .take(PROBLEMS_SHOWN)
            .map(ToString::to_string)
            .collect(),
    ));
    if errors.0.len() > PROBLEMS_SHOWN {
        r.para(
            Msg::Deck(DeckMsg::MoreProblems {
                more: errors.0.len() - PROBLEMS_SHOWN,
            })
            .render(lang),
        );
    }
    r
}

/// A deck question as posed: titled by its deck (and its topic, when it has one).
fn deck_posed(deck: &DeckRow, idx: usize, q: DeckQuestion) -> Posed {
    let title = match &q.topic {
        Some(t) => format!("{} · {t}", deck.title),
        None => deck.title.clone(),
    };
    Posed {
        topic_id: format!("deck:{}", deck.id),
        idx,
        title,
        question: q.question,
    }
}

async fn csv_of(tx: &mut Tx, id: &str) -> Result<String, Error> {
    let questions: Vec<DeckQuestion> = tx
        .deck_questions(id)
        .await?
        .iter()
        .filter_map(question_of)
        .collect();
    Ok(deck_csv(&questions))
}

/// Stores a validated deck (replacing one of the same id) and says what changed.
async fn save(
    tx: &mut Tx,
    id: &DeckId,
    deck: &DeckFile,
    file: DeckImport<'_>,
    importer: Option<(&ChatRow, &UserRow)>,
    now: DateTime<Utc>,
) -> Result<Msg, Error> {
    let title = file
        .title
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(|t| crate::core::messages::clip(t, DeckLimits::TITLE_CHARS))
        .or_else(|| deck.title.clone())
        .unwrap_or_else(|| id.to_string());
    let rows: Vec<_> = deck
        .questions
        .iter()
        .enumerate()
        .map(|(i, q)| question_row(i, q))
        .collect();
    let done = tx
        .save_deck(
            &NewDeck {
                id: id.as_str(),
                title: &title,
                chat_id: importer.map(|(c, _)| c.id),
                imported_by: importer.map(|(_, u)| u.id),
                public: file.public,
                questions: &rows,
            },
            now,
        )
        .await?;
    let (id, questions) = (id.to_string(), rows.len());
    Ok(Msg::Deck(if done.replaced {
        DeckMsg::Replaced {
            id,
            title,
            questions,
            kept: done.cards_kept,
            retired: done.cards_retired,
        }
    } else {
        DeckMsg::Imported {
            id,
            title,
            questions,
        }
    }))
}
