//! What both chat renderers do with a reply's text blocks: mark them up in the platform's syntax
//! (escaping every piece of content or user text), cut a block too long for one message between
//! lines or characters without splitting an escape sequence, and pack the pieces into messages
//! under the platform's limit. Each platform describes its markup once with [`Markup`].

use crate::core::Block;

/// A platform's text markup and how it counts length.
pub struct Markup {
    /// Escapes text so nothing in it formats, links or mentions.
    escape: fn(&str) -> String,
    /// How long a character is once escaped, in the platform's unit.
    escaped_len: fn(char) -> usize,
    /// The length of already-marked-up text, in the platform's unit.
    len: fn(&str) -> usize,
    /// Opening and closing bold, then opening and closing italic.
    tags: [&'static str; 4],
}

impl Markup {
    pub const fn new(
        escape: fn(&str) -> String,
        escaped_len: fn(char) -> usize,
        len: fn(&str) -> usize,
        tags: [&'static str; 4],
    ) -> Markup {
        Markup {
            escape,
            escaped_len,
            len,
            tags,
        }
    }

    pub fn escape(&self, s: &str) -> String {
        (self.escape)(s)
    }
    fn escaped_len(&self, c: char) -> usize {
        (self.escaped_len)(c)
    }
    fn len(&self, s: &str) -> usize {
        (self.len)(s)
    }
    pub fn bold(&self, s: &str) -> String {
        format!("{}{}{}", self.tags[0], self.escape(s), self.tags[1])
    }
    pub fn italic(&self, s: &str) -> String {
        format!("{}{}{}", self.tags[2], self.escape(s), self.tags[3])
    }
}

/// One block in the platform's markup.
pub fn block_markup(m: &Markup, b: &Block) -> String {
    match b {
        Block::Heading(s) | Block::Subheading(s) => m.bold(s),
        Block::Paragraph(s) => m.escape(s.trim_end()),
        Block::List(items) => items
            .iter()
            .map(|i| format!("• {}", m.escape(i)))
            .collect::<Vec<_>>()
            .join("\n"),
        Block::Note(s) => m.italic(s),
    }
}

/// A block's text without markup, for the rare block too long for one message.
pub fn block_plain(b: &Block) -> String {
    match b {
        Block::Heading(s) | Block::Subheading(s) | Block::Paragraph(s) | Block::Note(s) => {
            s.clone()
        }
        Block::List(items) => items
            .iter()
            .map(|i| format!("• {i}"))
            .collect::<Vec<_>>()
            .join("\n"),
    }
}

/// Cuts plain text into escaped parts whose length is at most `limit`: between lines where
/// possible, else between characters (never inside an escape sequence, since escaping happens
/// after the cut). Blank parts are dropped.
pub fn split_escaped(m: &Markup, text: &str, limit: usize) -> Vec<String> {
    let mut parts = Vec::new();
    for line in text.lines() {
        let mut cur = String::new();
        let mut len = 0;
        for c in line.chars() {
            if len + m.escaped_len(c) > limit {
                parts.push(m.escape(&std::mem::take(&mut cur)));
                len = 0;
            }
            cur.push(c);
            len += m.escaped_len(c);
        }
        if !cur.trim().is_empty() {
            parts.push(m.escape(&cur));
        }
    }
    parts
}

/// The blocks as marked-up pieces of at most `limit` each; blank pieces are dropped.
pub fn pieces<'a>(
    m: &Markup,
    blocks: impl Iterator<Item = &'a Block>,
    limit: usize,
) -> Vec<String> {
    let mut out = Vec::new();
    for b in blocks {
        let text = block_markup(m, b);
        if m.len(&text) <= limit {
            if !text.trim().is_empty() {
                out.push(text);
            }
        } else {
            out.extend(split_escaped(m, &block_plain(b), limit));
        }
    }
    out
}

/// Joins pieces with blank lines into messages of at most `limit` each.
pub fn pack(m: &Markup, pieces: &[String], limit: usize) -> Vec<String> {
    let mut chunks = Vec::new();
    let mut cur = String::new();
    for p in pieces {
        if !cur.is_empty() && m.len(&cur) + 2 + m.len(p) > limit {
            chunks.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push_str("\n\n");
        }
        cur.push_str(p);
    }
    if !cur.is_empty() {
        chunks.push(cur);
    }
    chunks
}
