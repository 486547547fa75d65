//! Replies as Discord messages, as plain data: markdown `content` for short text, embeds for topic
//! cards and long text, a quiz card as an embed with one button per option. Pure functions; every
//! piece of user or content text is escaped here, and every Discord limit is a constant here.
//! `send.rs` turns these structs into serenity builders.

use crate::adapters::text::{self, Markup};
use crate::core::messages::QuizMsg;
use crate::core::messages::{Msg, clip};
use crate::core::quiz::OptionLetter;
use crate::core::{Action, Attachment, Block, QuizCard, Reply};

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
pub fn quiz_footer(answered: i64) -> String {
    fit_plain(
        &Msg::Quiz(QuizMsg::QuizAnswered { count: answered }).to_string(),
        FOOTER_LIMIT,
    )
}

/// A quiz question: the prompt and the lettered options; the answer stays secret.
pub fn quiz_embed(card: &QuizCard, answered: i64) -> EmbedOut {
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
        footer: Some(quiz_footer(answered)),
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
        push_embed(&mut out, quiz_embed(card, 0));
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
mod tests {
    use super::*;
    use crate::core::Button;

    fn reply(blocks: Vec<Block>) -> Reply {
        Reply::of_blocks(blocks)
    }

    fn card(quiz_id: i64) -> QuizCard {
        QuizCard {
            quiz_id,
            topic_title: "TCP vs UDP".into(),
            prompt: "Which one *guarantees* order?".into(),
            options: vec!["TCP".into(), "UDP".into(), "Both".into(), "Neither".into()],
            correct: 0,
            explanation: "TCP orders bytes.".into(),
        }
    }

    fn png(name: &str, caption: Option<&str>) -> Attachment {
        Attachment {
            name: name.into(),
            mime: "image/png".into(),
            bytes: vec![0x89, b'P', b'N', b'G'],
            kind: crate::core::FileKind::Photo,
            caption: caption.map(str::to_string),
        }
    }

    #[test]
    fn files_go_with_the_last_message_and_alone_show_their_caption() {
        let mut alone = Reply::default();
        alone.file(png("a.png", Some("Your *progress*")));
        let out = render(&alone);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].content.as_deref(), Some("Your \\*progress\\*"));
        assert_eq!(out[0].files.len(), 1);

        let mut with_text = Reply::text("Your export");
        with_text.file(png("a.csv", Some("CSV")));
        with_text.file(png("b.txt", None));
        let out = render(&with_text);
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].content.as_deref(), Some("Your export"));
        assert_eq!(out[0].files.len(), 2);

        let mut many = Reply::default();
        for i in 0..FILES_PER_MESSAGE + 1 {
            many.file(png(&format!("{i}.png"), None));
        }
        let out = render(&many);
        assert_eq!(
            out.iter().map(|o| o.files.len()).collect::<Vec<_>>(),
            [FILES_PER_MESSAGE, 1]
        );
    }

    fn assert_within_limits(messages: &[Outgoing]) {
        for m in messages {
            if let Some(c) = &m.content {
                assert!(char_len(c) <= CONTENT_LIMIT, "content {}", char_len(c));
            }
            assert!(m.embeds.len() <= EMBEDS_PER_MESSAGE);
            assert!(m.embeds.iter().map(EmbedOut::chars).sum::<usize>() <= EMBEDS_TOTAL_LIMIT);
            for e in &m.embeds {
                assert!(e.fields.len() <= FIELDS_PER_EMBED);
                for f in &e.fields {
                    assert!((1..=FIELD_NAME_LIMIT).contains(&char_len(&f.name)));
                    assert!((1..=FIELD_VALUE_LIMIT).contains(&char_len(&f.value)));
                }
                assert!(char_len(&e.description) <= DESCRIPTION_LIMIT);
                assert!(e.title.as_deref().map_or(0, char_len) <= TITLE_LIMIT);
                assert!(e.footer.as_deref().map_or(0, char_len) <= FOOTER_LIMIT);
            }
            assert!(m.rows.len() <= ROWS_PER_MESSAGE);
            for row in &m.rows {
                assert!(!row.is_empty() && row.len() <= BUTTONS_PER_ROW);
                for b in row {
                    assert!(char_len(&b.label) <= LABEL_LIMIT && !b.label.is_empty());
                    assert!(fits_custom_id(&b.custom_id));
                }
            }
        }
    }

    #[test]
    fn markdown_characters_are_escaped_and_mentions_cannot_form() {
        assert_eq!(
            escape("**bold** _it_ `code` ~~s~~ ||spoiler|| > quote # h - item [l](u)"),
            "\\*\\*bold\\*\\* \\_it\\_ \\`code\\` \\~\\~s\\~\\~ \\|\\|spoiler\\|\\| \\> quote \\# h \\- item \\[l\\]\\(u\\)"
        );
        assert_eq!(escape("a\\b"), "a\\\\b");
        let hostile = escape("@everyone @here <@123> <@&456> <#789>");
        assert!(!hostile.contains("@everyone") && !hostile.contains("@here"));
        assert_eq!(
            hostile.matches('@').count(),
            hostile.matches("@\u{200B}").count(),
            "every @ is broken up"
        );
        assert_eq!(
            hostile.matches('<').count(),
            hostile.matches("\\<").count(),
            "every < is escaped, so no <#channel> or <:emoji:> forms"
        );
        assert_eq!(
            hostile.replace([ZERO_WIDTH_SPACE, '\\'], ""),
            "@everyone @here <@123> <@&456> <#789>",
            "it still reads the same"
        );
    }

    #[test]
    fn short_text_goes_in_content_escaped() {
        let msgs = render(&reply(vec![
            Block::Paragraph("No topic matches \"<@1> **x**\".".into()),
            Block::Note("a note".into()),
        ]));
        assert_eq!(msgs.len(), 1);
        assert_eq!(
            msgs[0].content.as_deref(),
            Some("No topic matches \"\\<@\u{200B}1\\> \\*\\*x\\*\\*\".\n\n*a note*")
        );
        assert!(msgs[0].embeds.is_empty() && msgs[0].rows.is_empty());
    }

    #[test]
    fn a_topic_card_becomes_an_embed_titled_by_its_heading_with_its_buttons() {
        let mut r = reply(vec![
            Block::Heading("TCP vs UDP".into()),
            Block::Note("Networking · topic 3 of 9".into()),
            Block::Paragraph("TCP is reliable.".into()),
            Block::Subheading("Key points".into()),
            Block::List(vec!["Ordered".into(), "Acknowledged".into()]),
        ]);
        r.button("Quiz me on this", Action::QuizTopic("tcp-vs-udp".into()));
        r.button("Next topic", Action::NextTopic);
        let msgs = render(&r);
        assert_eq!(msgs.len(), 1);
        let m = &msgs[0];
        assert_eq!(m.content, None);
        assert_eq!(m.embeds.len(), 1);
        assert_eq!(m.embeds[0].title.as_deref(), Some("TCP vs UDP"));
        assert_eq!(
            m.embeds[0].description,
            "*Networking · topic 3 of 9*\n\nTCP is reliable.\n\n**Key points**\n\n• Ordered\n• Acknowledged"
        );
        let ids: Vec<&str> = m.rows[0].iter().map(|b| b.custom_id.as_str()).collect();
        assert_eq!(ids, ["q:tcp-vs-udp", "next"]);
        assert_within_limits(&msgs);
    }

    #[test]
    fn a_cards_details_become_fields_named_by_their_subheadings() {
        let r = reply(vec![
            Block::Heading("TCP".into()),
            Block::Paragraph("Front.".into()),
            Block::Details(vec![
                Block::Paragraph("More summary.".into()),
                Block::Subheading("Example".into()),
                Block::Paragraph("e".repeat(1500)),
                Block::Subheading("Pitfalls".into()),
                Block::List(vec!["*p*".into()]),
            ]),
        ]);
        let msgs = render(&r);
        assert_within_limits(&msgs);
        assert_eq!(msgs.len(), 1);
        let e = &msgs[0].embeds[0];
        assert_eq!(e.description, "Front.");
        let names: Vec<&str> = e.fields.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(
            names,
            [BLANK_FIELD_NAME, "Example", BLANK_FIELD_NAME, "Pitfalls"]
        );
        assert_eq!(e.fields[0].value, "More summary.");
        assert_eq!(
            e.fields[1].value.len() + e.fields[2].value.len(),
            1500,
            "a long example continues in a field without a name"
        );
        assert_eq!(e.fields[3].value, "• \\*p\\*");
    }

    #[test]
    fn details_beyond_one_message_move_to_further_embeds_and_messages() {
        let details: Vec<Block> = (0..40)
            .flat_map(|i| {
                [
                    Block::Subheading(format!("Part {i}")),
                    Block::Paragraph("x".repeat(900)),
                ]
            })
            .collect();
        let r = reply(vec![Block::Heading("Big".into()), Block::Details(details)]);
        let msgs = render(&r);
        assert_within_limits(&msgs);
        assert!(msgs.len() > 1);
        let fields: usize = msgs
            .iter()
            .flat_map(|m| &m.embeds)
            .map(|e| e.fields.len())
            .sum();
        assert_eq!(fields, 40);
    }

    #[test]
    fn a_quiz_is_an_embed_with_one_lettered_button_per_option() {
        let r = Reply {
            blocks: vec![Block::Note("Quiz · TCP vs UDP".into())],
            quiz: Some(card(9_007_199_254_740_993)),
            buttons: vec![],
            ..Reply::default()
        };
        let msgs = render(&r);
        assert_eq!(msgs.len(), 1);
        let m = &msgs[0];
        assert_eq!(m.content.as_deref(), Some("*Quiz · TCP vs UDP*"));
        let e = &m.embeds[0];
        assert!(
            e.description
                .starts_with("**Which one \\*guarantees\\* order?**\n\n**A** · TCP\n**B** · UDP")
        );
        assert!(!e.description.contains("TCP orders bytes"), "no spoiler");
        assert_eq!(e.footer.as_deref(), Some(quiz_footer(0).as_str()));
        let row = &m.rows[0];
        let labels: Vec<&str> = row.iter().map(|b| b.label.as_str()).collect();
        assert_eq!(labels, ["A", "B", "C", "D"]);
        for (i, b) in row.iter().enumerate() {
            assert_eq!(
                Action::decode(&b.custom_id),
                Some(Action::Answer {
                    quiz_id: 9_007_199_254_740_993,
                    letter: OptionLetter::from_index(i).unwrap()
                })
            );
            assert_eq!(b.kind, ButtonKind::Answer);
        }
        assert_within_limits(&msgs);
    }

    #[test]
    fn the_quiz_footer_counts_answers() {
        assert_eq!(quiz_footer(1), "1 person has answered.");
        assert_eq!(quiz_footer(3), "3 people have answered.");
    }

    #[test]
    fn long_text_is_split_under_the_content_limit_and_nothing_is_lost() {
        let text = "é".repeat(10_000);
        let msgs = render(&reply(vec![Block::Paragraph(text.clone())]));
        assert!(msgs.len() > 1);
        assert_within_limits(&msgs);
        let joined: String = msgs
            .iter()
            .flat_map(|m| {
                m.content
                    .iter()
                    .cloned()
                    .chain(m.embeds.iter().map(|e| e.description.clone()))
            })
            .collect::<Vec<_>>()
            .concat()
            .replace("\n\n", "");
        assert_eq!(joined, text);
    }

    #[test]
    fn a_huge_topic_card_respects_description_embed_and_message_limits() {
        let para = "word ".repeat(700); // 3500 characters
        let mut blocks = vec![Block::Heading("Big".into())];
        blocks.extend((0..12).map(|_| Block::Paragraph(para.clone())));
        let mut r = reply(blocks);
        r.button("Quiz me on this", Action::QuizTopic("big".into()));
        let msgs = render(&r);
        assert!(msgs.len() > 1, "6000 characters per message forces several");
        assert_within_limits(&msgs);
        assert_eq!(msgs[0].embeds[0].title.as_deref(), Some("Big"));
        assert!(msgs.iter().skip(1).all(|m| m.embeds[0].title.is_none()));
        assert!(
            msgs.last().unwrap().rows.len() == 1,
            "buttons on the last message"
        );
        let words: usize = msgs
            .iter()
            .flat_map(|m| &m.embeds)
            .map(|e| e.description.matches("word").count())
            .sum();
        assert_eq!(words, 12 * 700);
    }

    #[test]
    fn escaping_that_grows_text_still_respects_the_limits() {
        let msgs = render(&reply(vec![
            Block::Heading("<".repeat(300)),
            Block::Paragraph("*".repeat(5000)),
        ]));
        assert_within_limits(&msgs);
        let title = msgs[0].embeds[0].title.as_deref().unwrap();
        assert!(title.ends_with("\\<…"), "no escape cut in half: {title}");
        for m in &msgs {
            for e in &m.embeds {
                let d = e.description.replace("\\*", "");
                assert!(!d.contains('*') && !d.contains('\\'), "only whole escapes");
            }
        }
    }

    #[test]
    fn button_labels_are_clipped_to_80_and_custom_ids_checked_against_100() {
        let r = Reply {
            blocks: vec![Block::Paragraph("x".into())],
            quiz: None,
            buttons: vec![Button {
                label: "L".repeat(200),
                action: Action::ForgetConfirm,
            }],
            ..Reply::default()
        };
        let msgs = render(&r);
        let b = &msgs[0].rows[0][0];
        assert_eq!(char_len(&b.label), LABEL_LIMIT);
        assert!(b.label.ends_with('…'));
        assert_eq!(b.kind, ButtonKind::Danger);
        assert!(fits_custom_id(&"x".repeat(100)));
        assert!(!fits_custom_id(&"x".repeat(101)));
        assert!(!fits_custom_id(""));
    }

    #[test]
    fn fitting_clips_with_an_ellipsis_only_when_needed() {
        assert_eq!(fit_escaped("abc", 3), "abc");
        assert_eq!(fit_escaped("abcd", 3), "ab…");
        assert_eq!(fit_escaped("a*b", 3), "a…");
        assert_eq!(fit_plain("abcd", 3), "ab…");
    }

    #[test]
    fn an_empty_reply_renders_no_message() {
        assert!(render(&Reply::default()).is_empty());
    }
}
