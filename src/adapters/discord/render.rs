//! Replies as Discord messages, as plain data: markdown `content` for short text, embeds for topic
//! cards and long text, a quiz card as an embed with one button per option. Pure functions; every
//! piece of user or content text is escaped here, and every Discord limit is a constant here.
//! `send.rs` turns these structs into serenity builders.

use crate::adapters::text::{self, Markup};
use crate::core::messages::QuizMsg;
use crate::core::messages::{Msg, clip};
use crate::core::quiz::OptionLetter;
use crate::core::{Action, Attachment, Block, Lang, QuizCard, Reply};

// Limits from the Discord developer docs (Resources → Message: "Create Message", "Embed Limits";
// Interactions → Message Components: "Button", "Action Row").

/// Message `content`: at most 2000 characters.
pub const CONTENT_LIMIT: usize = 2000;
/// Embed `description`: at most 4096 characters.
pub const DESCRIPTION_LIMIT: usize = 4096;
/// Embed `title`: at most 256 characters.
pub const TITLE_LIMIT: usize = 256;
/// Embed field `name`: at most 256 characters.
pub const FIELD_NAME_LIMIT: usize = 256;
/// Embed field `value`: at most 1024 characters.
pub const FIELD_VALUE_LIMIT: usize = 1024;
/// Fields per embed: at most 25.
pub const FIELDS_PER_EMBED: usize = 25;
/// Embed `footer.text`: at most 2048 characters.
pub const FOOTER_LIMIT: usize = 2048;
/// Title, description, fields, footer and author of all embeds of one message: 6000 characters.
pub const EMBEDS_TOTAL_LIMIT: usize = 6000;
/// Embeds per message: at most 10.
pub const EMBEDS_PER_MESSAGE: usize = 10;
/// Button `label`: at most 80 characters.
pub const LABEL_LIMIT: usize = 80;
/// `custom_id`: 1–100 characters.
pub const CUSTOM_ID_LIMIT: usize = 100;
/// Buttons per action row.
pub const BUTTONS_PER_ROW: usize = 5;
/// Action rows per message.
pub const ROWS_PER_MESSAGE: usize = 5;
/// Attachments per message: at most 10.
pub const FILES_PER_MESSAGE: usize = 10;

/// The share of a quiz embed's description a prompt may take (content limits keep prompts far
/// below it; this only guards the description limit).
const PROMPT_BUDGET: usize = 1500;
/// The same for each option.
const OPTION_BUDGET: usize = 500;

/// Markdown that Discord would interpret: escaped with a backslash, which Discord accepts before
/// any punctuation. `<` covers user, role and channel mentions and custom emoji.
const MARKDOWN: &[char] = &[
    '\\', '*', '_', '~', '`', '|', '>', '<', '#', '-', '[', ']', '(', ')',
];
/// Breaks `@everyone` and `@here` without changing how they look. `allowed_mentions` already stops
/// the ping; this also stops the highlight.
const ZERO_WIDTH_SPACE: char = '\u{200B}';

/// One message to send.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Outgoing {
    pub content: Option<String>,
    pub embeds: Vec<EmbedOut>,
    pub rows: Vec<Vec<ButtonOut>>,
    /// Uploaded with the message (multipart); Discord shows pictures inline.
    pub files: Vec<Attachment>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct EmbedOut {
    pub title: Option<String>,
    /// Empty means none.
    pub description: String,
    /// Shown under the description, one titled part each (a topic's example, its pitfalls).
    pub fields: Vec<FieldOut>,
    pub footer: Option<String>,
}

/// An embed field, always full width.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct FieldOut {
    pub name: String,
    pub value: String,
}

impl FieldOut {
    fn chars(&self) -> usize {
        char_len(&self.name) + char_len(&self.value)
    }
}

/// A field name Discord shows as nothing: the field reads as more of the text above it.
const BLANK_FIELD_NAME: &str = "\u{200B}";

impl EmbedOut {
    /// Characters counted against [`EMBEDS_TOTAL_LIMIT`].
    pub fn chars(&self) -> usize {
        self.title.as_deref().map_or(0, char_len)
            + char_len(&self.description)
            + self.fields.iter().map(FieldOut::chars).sum::<usize>()
            + self.footer.as_deref().map_or(0, char_len)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ButtonKind {
    /// An answer option of a quiz.
    Answer,
    Normal,
    /// Something that cannot be undone.
    Danger,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ButtonOut {
    pub label: String,
    pub custom_id: String,
    pub kind: ButtonKind,
}

fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// How many characters `c` becomes once escaped.
fn escaped_len(c: char) -> usize {
    1 + usize::from(MARKDOWN.contains(&c)) + usize::from(c == '@')
}

/// Escapes text for Discord markdown (`content`, embed titles and descriptions): markdown
/// characters get a backslash, `@` a zero-width space after it, so nothing formats or mentions.
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if MARKDOWN.contains(&c) {
            out.push('\\');
        }
        out.push(c);
        if c == '@' {
            out.push(ZERO_WIDTH_SPACE);
        }
    }
    out
}

/// `s` escaped, cut (with `…`) so the escaped text has at most `limit` characters. Cutting happens
/// before escaping, so no escape sequence is split.
pub fn fit_escaped(s: &str, limit: usize) -> String {
    let total: usize = s.chars().map(escaped_len).sum();
    if total <= limit {
        return escape(s);
    }
    let mut kept = String::new();
    let mut len = 0;
    for c in s.chars() {
        if len + escaped_len(c) > limit.saturating_sub(1) {
            break;
        }
        len += escaped_len(c);
        kept.push(c);
    }
    let mut out = escape(&kept);
    out.push('…');
    out
}

/// Text shown where markdown is not rendered (button labels, footers, autocomplete names): only
/// clipped.
pub fn fit_plain(s: &str, limit: usize) -> String {
    if char_len(s) <= limit {
        s.to_string()
    } else {
        clip(s, limit.saturating_sub(1))
    }
}

/// Whether a `custom_id` is one Discord accepts.
pub fn fits_custom_id(id: &str) -> bool {
    (1..=CUSTOM_ID_LIMIT).contains(&char_len(id))
}

/// Discord markdown, counted in characters.
const MARKDOWN_MARKUP: Markup = Markup::new(escape, escaped_len, char_len, ["**", "**", "*", "*"]);

fn pieces<'a>(blocks: impl Iterator<Item = &'a Block>, limit: usize) -> Vec<String> {
    text::pieces(&MARKDOWN_MARKUP, blocks, limit)
}

fn pack(pieces: &[String], limit: usize) -> Vec<String> {
    text::pack(&MARKDOWN_MARKUP, pieces, limit)
}

/// Adds an embed to the last message if it still fits there, else to a new message.
fn push_embed(out: &mut Vec<Outgoing>, embed: EmbedOut) {
    let fits = out.last().is_some_and(|m| {
        m.embeds.len() < EMBEDS_PER_MESSAGE
            && m.embeds.iter().map(EmbedOut::chars).sum::<usize>() + embed.chars()
                <= EMBEDS_TOTAL_LIMIT
    });
    if !fits {
        out.push(Outgoing::default());
    }
    if let Some(last) = out.last_mut() {
        last.embeds.push(embed);
    }
}

/// The footer under a quiz: how many have answered.
pub fn quiz_footer(answered: i64, lang: Lang) -> String {
    fit_plain(
        &Msg::Quiz(QuizMsg::QuizAnswered { count: answered }).render(lang),
        FOOTER_LIMIT,
    )
}

/// A quiz question: the prompt and the lettered options; the answer stays secret.
pub fn quiz_embed(card: &QuizCard, answered: i64, lang: Lang) -> EmbedOut {
    let mut description = format!("**{}**\n", fit_escaped(&card.prompt, PROMPT_BUDGET));
    for (i, option) in card.options.iter().enumerate() {
        let Some(letter) = OptionLetter::from_index(i) else {
            break;
        };
        description.push_str(&format!(
            "\n**{}** · {}",
            letter.as_char(),
            fit_escaped(option, OPTION_BUDGET)
        ));
    }
    EmbedOut {
        title: None,
        description,
        fields: Vec::new(),
        footer: Some(quiz_footer(answered, lang)),
    }
}

/// One button per option, lettered, in one row.
pub(super) fn quiz_row(card: &QuizCard) -> Vec<ButtonOut> {
    (0..card.options.len().min(BUTTONS_PER_ROW))
        .filter_map(OptionLetter::from_index)
        .map(|letter| ButtonOut {
            label: letter.as_char().to_string(),
            custom_id: Action::Answer {
                quiz_id: card.quiz_id,
                letter,
            }
            .encode(),
            kind: ButtonKind::Answer,
        })
        .filter(|b| fits_custom_id(&b.custom_id))
        .collect()
}

fn reply_buttons(reply: &Reply) -> Vec<ButtonOut> {
    reply
        .buttons
        .iter()
        .map(|b| ButtonOut {
            label: fit_plain(&b.label, LABEL_LIMIT),
            custom_id: b.action.encode(),
            kind: match b.action {
                Action::ForgetConfirm => ButtonKind::Danger,
                _ => ButtonKind::Normal,
            },
        })
        .filter(|b| fits_custom_id(&b.custom_id) && !b.label.is_empty())
        .collect()
}

/// Adds a field to the last embed if it still fits there, else to a new embed.
fn push_field(out: &mut Vec<Outgoing>, field: FieldOut) {
    if let Some(m) = out.last_mut() {
        let total: usize = m.embeds.iter().map(EmbedOut::chars).sum();
        if let Some(e) = m.embeds.last_mut()
            && e.fields.len() < FIELDS_PER_EMBED
            && total + field.chars() <= EMBEDS_TOTAL_LIMIT
        {
            e.fields.push(field);
            return;
        }
    }
    push_embed(
        out,
        EmbedOut {
            fields: vec![field],
            ..EmbedOut::default()
        },
    );
}

/// A reply's details as embed fields: each subheading names the field of the blocks after it
/// (blocks before the first have a blank name); a part too long for one field continues in more
/// fields with blank names.
fn detail_fields(details: &[Block]) -> Vec<FieldOut> {
    let mut groups: Vec<(String, Vec<&Block>)> = vec![(BLANK_FIELD_NAME.to_string(), Vec::new())];
    for b in details {
        match (b, groups.last_mut()) {
            (Block::Subheading(s), _) => {
                groups.push((fit_escaped(s, FIELD_NAME_LIMIT), Vec::new()));
            }
            (b, Some((_, blocks))) => blocks.push(b),
            (_, None) => {}
        }
    }
    let mut fields = Vec::new();
    for (name, blocks) in groups {
        let values = pack(
            &pieces(blocks.into_iter(), FIELD_VALUE_LIMIT),
            FIELD_VALUE_LIMIT,
        );
        for (i, value) in values.into_iter().enumerate() {
            let name = if i == 0 {
                name.clone()
            } else {
                BLANK_FIELD_NAME.to_string()
            };
            fields.push(FieldOut { name, value });
        }
    }
    fields
}

/// The reply as Discord messages, in order; the quiz and the buttons go with the last one.
/// Text with a heading (a topic card), details or more than one `content` becomes embeds, the
/// heading the first embed's title, the details its fields; other text is `content`. Discord
/// cannot fold text, so a card's example and pitfalls are titled fields under the description:
/// one message, readable by the whole channel, with nothing more to tap.
pub fn render(reply: &Reply) -> Vec<Outgoing> {
    let title = reply.blocks.iter().find_map(|b| match b {
        Block::Heading(s) => Some(s.as_str()),
        _ => None,
    });
    let details: Vec<&Block> = reply
        .blocks
        .iter()
        .filter_map(|b| match b {
            Block::Details(inner) => Some(inner.iter()),
            _ => None,
        })
        .flatten()
        .collect();
    let mut out: Vec<Outgoing> = Vec::new();
    let all = pieces(reply.blocks.iter(), CONTENT_LIMIT);
    let as_content = title.is_none() && details.is_empty() && pack(&all, CONTENT_LIMIT).len() <= 1;
    if as_content {
        out.extend(pack(&all, CONTENT_LIMIT).into_iter().map(|c| Outgoing {
            content: Some(c),
            ..Outgoing::default()
        }));
    } else {
        let mut skipped_title = false;
        let body = reply.blocks.iter().filter(|b| {
            let is_title = !skipped_title && matches!(b, Block::Heading(_));
            skipped_title |= is_title;
            !is_title && !matches!(b, Block::Details(_))
        });
        let descriptions = pack(&pieces(body, CONTENT_LIMIT), DESCRIPTION_LIMIT);
        let mut title = title.map(|t| fit_escaped(t, TITLE_LIMIT));
        if descriptions.is_empty() && (title.is_some() || !details.is_empty()) {
            push_embed(
                &mut out,
                EmbedOut {
                    title: title.take(),
                    ..EmbedOut::default()
                },
            );
        }
        for description in descriptions {
            push_embed(
                &mut out,
                EmbedOut {
                    title: title.take(),
                    description,
                    ..EmbedOut::default()
                },
            );
        }
        let details: Vec<Block> = details.into_iter().cloned().collect();
        for field in detail_fields(&details) {
            push_field(&mut out, field);
        }
    }
    if let Some(card) = &reply.quiz {
        push_embed(&mut out, quiz_embed(card, 0, reply.lang));
        let row = quiz_row(card);
        if let Some(last) = out.last_mut()
            && !row.is_empty()
        {
            last.rows.push(row);
        }
    }
    let buttons = reply_buttons(reply);
    if !buttons.is_empty() {
        if out.is_empty() {
            out.push(Outgoing::default());
        }
        if let Some(last) = out.last_mut() {
            let free = ROWS_PER_MESSAGE.saturating_sub(last.rows.len());
            last.rows.extend(
                buttons
                    .chunks(BUTTONS_PER_ROW)
                    .take(free)
                    .map(<[ButtonOut]>::to_vec),
            );
        }
    }
    attach_files(&mut out, &reply.files);
    out
}

/// Files go with the last message, at most [`FILES_PER_MESSAGE`] each; a reply of files alone
/// shows their captions as its text (Discord has no captions).
fn attach_files(out: &mut Vec<Outgoing>, files: &[Attachment]) {
    let text_before = !out.is_empty();
    for (i, chunk) in files.chunks(FILES_PER_MESSAGE).enumerate() {
        if out.is_empty() || i > 0 {
            let captions: Vec<&str> = chunk.iter().filter_map(|f| f.caption.as_deref()).collect();
            out.push(Outgoing {
                content: (!text_before && !captions.is_empty())
                    .then(|| fit_escaped(&captions.join("\n"), CONTENT_LIMIT)),
                ..Outgoing::default()
            });
        }
        if let Some(last) = out.last_mut() {
            last.files.extend(chunk.iter().cloned());
        }
    }
}

#[cfg(test)]
#[path = "render_tests.rs"]
mod tests;
