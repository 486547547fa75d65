//! Replies as Telegram HTML: every piece of text escaped, long replies split below the limit.

use crate::adapters::text::{Markup, folded_pieces, pack_folded};
use crate::core::{Block, QuizCard, Reply};

/// Telegram: message text is 1–4096 characters after entity parsing (counted in UTF-16 units).
pub const MESSAGE_LIMIT: usize = 4096;

/// Escapes text for `parse_mode=HTML`: `&`, `<` and `>` (quotes only matter inside attributes,
/// which we never fill from text).
pub fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            c => out.push(c),
        }
    }
    out
}

fn utf16_len(s: &str) -> usize {
    s.encode_utf16().count()
}

/// Telegram's HTML parse mode, counted in UTF-16 units as Telegram counts.
const HTML: Markup = Markup::new(
    escape,
    escaped_len,
    utf16_len,
    ["<b>", "</b>", "<i>", "</i>"],
);

fn escaped_len(c: char) -> usize {
    match c {
        '&' => 5,
        '<' | '>' => 4,
        c => c.len_utf16(),
    }
}

/// What wraps a reply's details: a quote shown folded, one tap opens it (Bot API 7.4+).
pub const FOLD: [&str; 2] = ["<blockquote expandable>", "</blockquote>"];

/// The reply's text as HTML messages, each under `limit` UTF-16 units even counting the markup,
/// split between blocks (paragraphs) where possible, else between lines, else inside a line.
/// Details go in an expandable blockquote, closed in the message that opened it.
pub fn render_html(reply: &Reply, limit: usize) -> Vec<String> {
    let room = limit.saturating_sub(utf16_len(FOLD[0]) + utf16_len(FOLD[1]));
    let pieces = folded_pieces(&HTML, reply.blocks.iter(), room);
    pack_folded(&HTML, &pieces, limit, FOLD)
}

/// Bot API `sendPoll`: the question is 1–300 characters.
pub const POLL_QUESTION_LIMIT: usize = 300;

/// A quiz reply's one note ("Quiz · TCP vs UDP") and prompt as one poll question, when the
/// reply has nothing else to show and both fit: one message in a group instead of two. Plain
/// text (a poll question is not parsed as HTML). Anything more (a streak notice before the next
/// review question) stays a message of its own.
pub fn poll_question(reply: &Reply, card: &QuizCard) -> Option<String> {
    if !reply.buttons.is_empty() || !reply.files.is_empty() {
        return None;
    }
    let [Block::Note(note)] = reply.blocks.as_slice() else {
        return None;
    };
    let question = format!("{}\n{}", note.trim(), card.prompt.trim());
    (!note.trim().is_empty() && utf16_len(&question) <= POLL_QUESTION_LIMIT).then_some(question)
}

/// Text as Telegram shows it: tags dropped, entities decoded.
pub fn visible(html: &str) -> String {
    let mut out = String::with_capacity(html.len());
    let mut rest = html;
    while let Some(i) = rest.find(['<', '&']) {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let (end, text) = if rest.starts_with('<') {
            (rest.find('>').map_or(rest.len(), |e| e + 1), "")
        } else {
            let end = rest.find(';').map_or(1, |e| e + 1);
            let text = match &rest[..end] {
                "&lt;" => "<",
                "&gt;" => ">",
                "&amp;" => "&",
                "&quot;" => "\"",
                _ => &rest[..end],
            };
            (end, text)
        };
        out.push_str(text);
        rest = &rest[end..];
    }
    out.push_str(rest);
    out
}

/// How many UTF-16 units Telegram shows before the fold (all of them when nothing is folded).
pub fn shown_before_fold(html: &str) -> usize {
    let front = html.split(FOLD[0]).next().unwrap_or("");
    utf16_len(visible(front).trim_end())
}

/// How many UTF-16 units Telegram counts against the message limit.
pub fn visible_len(html: &str) -> usize {
    utf16_len(&visible(html))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::Block;

    fn reply(blocks: Vec<Block>) -> Reply {
        Reply::of_blocks(blocks)
    }

    #[test]
    fn user_and_content_text_is_escaped() {
        let r = reply(vec![
            Block::Heading("<script>&".into()),
            Block::Paragraph("a < b > c".into()),
        ]);
        assert_eq!(
            render_html(&r, MESSAGE_LIMIT),
            vec!["<b>&lt;script&gt;&amp;</b>\n\na &lt; b &gt; c"]
        );
    }

    #[test]
    fn lists_and_notes_have_their_own_markup() {
        let r = reply(vec![
            Block::List(vec!["x".into(), "<y>".into()]),
            Block::Note("n".into()),
        ]);
        assert_eq!(
            render_html(&r, MESSAGE_LIMIT),
            vec!["• x\n• &lt;y&gt;\n\n<i>n</i>"]
        );
    }

    #[test]
    fn long_replies_split_on_paragraph_boundaries_under_the_limit() {
        let para = "word ".repeat(300); // 1500 chars
        let r = reply((0..6).map(|_| Block::Paragraph(para.clone())).collect());
        let msgs = render_html(&r, MESSAGE_LIMIT);
        assert_eq!(msgs.len(), 3);
        for m in &msgs {
            assert!(utf16_len(m) <= MESSAGE_LIMIT);
            assert_eq!(
                m.matches("word").count(),
                600,
                "two whole paragraphs per message"
            );
        }
    }

    #[test]
    fn a_single_oversized_paragraph_is_cut_and_nothing_is_lost() {
        let text = "é".repeat(10_000);
        let msgs = render_html(&reply(vec![Block::Paragraph(text.clone())]), MESSAGE_LIMIT);
        assert!(msgs.iter().all(|m| utf16_len(m) <= MESSAGE_LIMIT));
        assert_eq!(msgs.concat().replace("\n\n", ""), text);
    }

    #[test]
    fn escaping_that_grows_the_text_still_respects_the_limit() {
        let msgs = render_html(
            &reply(vec![Block::Paragraph("<".repeat(3000))]),
            MESSAGE_LIMIT,
        );
        assert!(msgs.len() >= 3);
        for m in &msgs {
            assert!(utf16_len(m) <= MESSAGE_LIMIT);
            assert_eq!(
                m.matches('&').count(),
                m.matches("&lt;").count(),
                "no entity cut in half"
            );
        }
    }

    #[test]
    fn details_sit_in_an_expandable_blockquote_after_the_front() {
        let r = reply(vec![
            Block::Heading("T".into()),
            Block::Paragraph("front".into()),
            Block::Details(vec![
                Block::Subheading("Example".into()),
                Block::Paragraph("a < b".into()),
            ]),
        ]);
        let msgs = render_html(&r, MESSAGE_LIMIT);
        assert_eq!(
            msgs,
            vec![
                "<b>T</b>\n\nfront\n\n<blockquote expandable><b>Example</b>\n\na &lt; b</blockquote>"
            ]
        );
        assert_eq!(shown_before_fold(&msgs[0]), "T\n\nfront".len());
        assert_eq!(visible(&msgs[0]), "T\n\nfront\n\nExample\n\na < b");
    }

    #[test]
    fn details_too_long_for_one_message_are_folded_in_each_message_that_holds_them() {
        let para = "word ".repeat(300); // 1500 characters
        let mut details: Vec<Block> = (0..5).map(|_| Block::Paragraph(para.clone())).collect();
        details.push(Block::Paragraph("<".repeat(5000)));
        let r = reply(vec![
            Block::Paragraph(para.clone()),
            Block::Details(details),
            Block::Note("after".into()),
        ]);
        let msgs = render_html(&r, MESSAGE_LIMIT);
        assert!(msgs.len() >= 3);
        for m in &msgs {
            assert!(utf16_len(m) <= MESSAGE_LIMIT);
            assert_eq!(
                m.matches(FOLD[0]).count(),
                m.matches(FOLD[1]).count(),
                "{m}"
            );
            assert!(m.find(FOLD[0]) < m.find(FOLD[1]) || !m.contains(FOLD[0]));
        }
        assert!(msgs[0].starts_with("word") && msgs[0].contains(FOLD[0]));
        assert!(
            msgs.last()
                .unwrap()
                .ends_with("</blockquote>\n\n<i>after</i>")
        );
        let words: usize = msgs.iter().map(|m| m.matches("word").count()).sum();
        assert_eq!(words, 6 * 300);
    }

    #[test]
    fn a_quiz_note_folds_into_the_poll_question_when_it_fits() {
        let card = QuizCard {
            quiz_id: 1,
            topic_title: "TCP".into(),
            prompt: "Which one orders bytes?".into(),
            options: vec!["TCP".into(), "UDP".into()],
            correct: 0,
            explanation: String::new(),
        };
        let r = Reply::quiz("Quiz · TCP <vs> UDP", card.clone());
        assert_eq!(
            poll_question(&r, &card).as_deref(),
            Some("Quiz · TCP <vs> UDP\nWhich one orders bytes?")
        );
        let long = Reply::quiz("n".repeat(280), card.clone());
        assert_eq!(poll_question(&long, &card), None, "over 300: two messages");
        let mut with_text = Reply::quiz("Quiz", card.clone());
        with_text.push(Block::Note("Your streak has started: 1 day.".into()));
        assert_eq!(poll_question(&with_text, &card), None);
    }

    #[test]
    fn an_empty_reply_renders_no_message() {
        assert!(render_html(&Reply::default(), MESSAGE_LIMIT).is_empty());
    }
}
