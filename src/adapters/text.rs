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
        Block::Details(inner) => inner
            .iter()
            .map(|b| block_markup(m, b))
            .collect::<Vec<_>>()
            .join("\n\n"),
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
        Block::Details(inner) => inner
            .iter()
            .map(block_plain)
            .collect::<Vec<_>>()
            .join("\n\n"),
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

/// The blocks as marked-up pieces of at most `limit` each; blank pieces are dropped. Details
/// show inline, piece by piece.
pub fn pieces<'a>(
    m: &Markup,
    blocks: impl Iterator<Item = &'a Block>,
    limit: usize,
) -> Vec<String> {
    folded_pieces(m, blocks, limit)
        .into_iter()
        .map(|p| p.text)
        .collect()
}

/// A marked-up piece of a reply, and whether it sits behind the fold (inside [`Block::Details`]).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Piece {
    pub text: String,
    pub folded: bool,
}

/// [`pieces`], each marked as folded or not.
pub fn folded_pieces<'a>(
    m: &Markup,
    blocks: impl Iterator<Item = &'a Block>,
    limit: usize,
) -> Vec<Piece> {
    let mut out = Vec::new();
    for b in blocks {
        let (inner, folded) = match b {
            Block::Details(inner) => (inner.as_slice(), true),
            b => (std::slice::from_ref(b), false),
        };
        for b in inner {
            let text = block_markup(m, b);
            let texts = if m.len(&text) <= limit {
                vec![text]
            } else {
                split_escaped(m, &block_plain(b), limit)
            };
            out.extend(
                texts
                    .into_iter()
                    .filter(|t| !t.trim().is_empty())
                    .map(|text| Piece { text, folded }),
            );
        }
    }
    out
}

/// Joins pieces with blank lines into messages of at most `limit` each, counting the markup;
/// each run of folded pieces in a message is wrapped in `fold` (opening and closing tags), so
/// every message is balanced on its own.
pub fn pack_folded(m: &Markup, pieces: &[Piece], limit: usize, fold: [&str; 2]) -> Vec<String> {
    let extend = |cur: &str, open: bool, p: &Piece| {
        let mut s = cur.to_string();
        if open && !p.folded {
            s.push_str(fold[1]);
        }
        if !s.is_empty() {
            s.push_str("\n\n");
        }
        if p.folded && !open {
            s.push_str(fold[0]);
        }
        s.push_str(&p.text);
        s
    };
    let closed = |mut s: String, open: bool| {
        if open {
            s.push_str(fold[1]);
        }
        s
    };
    let mut chunks = Vec::new();
    let mut cur = String::new();
    let mut open = false;
    for p in pieces {
        let candidate = extend(&cur, open, p);
        let len = m.len(&candidate) + if p.folded { m.len(fold[1]) } else { 0 };
        if !cur.is_empty() && len > limit {
            chunks.push(closed(std::mem::take(&mut cur), open));
            cur = extend("", false, p);
        } else {
            cur = candidate;
        }
        open = p.folded;
    }
    if !cur.is_empty() {
        chunks.push(closed(cur, open));
    }
    chunks
}

/// Joins pieces with blank lines into messages of at most `limit` each.
pub fn pack(m: &Markup, pieces: &[String], limit: usize) -> Vec<String> {
    let pieces: Vec<Piece> = pieces
        .iter()
        .map(|text| Piece {
            text: text.clone(),
            folded: false,
        })
        .collect();
    pack_folded(m, &pieces, limit, ["", ""])
}
