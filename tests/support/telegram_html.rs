//! Telegram's `parse_mode=HTML` checks, as the Bot API applies them to a message's text: only the
//! documented tags (Bot API "Formatting options": b, strong, i, em, u, ins, s, strike, del, span
//! class="tg-spoiler", tg-spoiler, a href, tg-emoji emoji-id, code, pre, blockquote with an
//! optional `expandable`), every tag closed in order, no blockquote inside a blockquote, every
//! `<`, `>` and `&` outside a tag written as an entity, and at most 4096 characters once parsed.

/// Bot API: message text is 1–4096 characters after entity parsing.
pub const MESSAGE_LIMIT: usize = 4096;

/// Tags and the attributes each may carry.
const ALLOWED: &[(&str, &[&str])] = &[
    ("b", &[]),
    ("strong", &[]),
    ("i", &[]),
    ("em", &[]),
    ("u", &[]),
    ("ins", &[]),
    ("s", &[]),
    ("strike", &[]),
    ("del", &[]),
    ("span", &["class"]),
    ("tg-spoiler", &[]),
    ("a", &["href"]),
    ("tg-emoji", &["emoji-id"]),
    ("code", &["class"]),
    ("pre", &[]),
    ("blockquote", &["expandable"]),
];

/// The parsed text (tags dropped, entities decoded), or Telegram's complaint.
pub fn parse_html(text: &str) -> Result<String, String> {
    let mut out = String::new();
    let mut stack: Vec<String> = Vec::new();
    let mut rest = text;
    let offset = |rest: &str| text.len() - rest.len();
    while let Some(c) = rest.chars().next() {
        match c {
            '<' => {
                let end = rest
                    .find('>')
                    .ok_or_else(|| format!("Unclosed start tag at byte offset {}", offset(rest)))?;
                let tag = &rest[1..end];
                if let Some(name) = tag.strip_prefix('/') {
                    match stack.pop() {
                        Some(open) if open == name.trim() => {}
                        Some(open) => {
                            return Err(format!(
                                "Can't find end tag corresponding to start tag \"{open}\""
                            ));
                        }
                        None => {
                            return Err(format!(
                                "Unmatched end tag at byte offset {}, expected \"</{name}>\"",
                                offset(rest)
                            ));
                        }
                    }
                } else {
                    let mut parts = tag.split_whitespace();
                    let name = parts.next().unwrap_or("");
                    let Some((_, attrs)) = ALLOWED.iter().find(|(n, _)| *n == name) else {
                        return Err(format!(
                            "Unsupported start tag \"{name}\" at byte offset {}",
                            offset(rest)
                        ));
                    };
                    for attr in parts {
                        let key = attr.split('=').next().unwrap_or("");
                        if !attrs.contains(&key) {
                            return Err(format!("Unsupported attribute \"{key}\" of \"{name}\""));
                        }
                    }
                    if name == "blockquote" && stack.iter().any(|t| t == "blockquote") {
                        return Err("Blockquote entities can't be nested".into());
                    }
                    stack.push(name.to_string());
                }
                rest = &rest[end + 1..];
            }
            '&' => {
                let end = rest
                    .find(';')
                    .filter(|&e| e <= 10)
                    .ok_or_else(|| format!("Unescaped & at byte offset {}", offset(rest)))?;
                let entity = &rest[1..end];
                let decoded = match entity {
                    "lt" => '<',
                    "gt" => '>',
                    "amp" => '&',
                    "quot" => '"',
                    e => e
                        .strip_prefix('#')
                        .and_then(|n| match n.strip_prefix('x') {
                            Some(hex) => u32::from_str_radix(hex, 16).ok(),
                            None => n.parse().ok(),
                        })
                        .and_then(char::from_u32)
                        .ok_or_else(|| format!("Unsupported HTML entity \"&{e};\""))?,
                };
                out.push(decoded);
                rest = &rest[end + 1..];
            }
            '>' => return Err(format!("Unescaped > at byte offset {}", offset(rest))),
            c => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    if let Some(open) = stack.pop() {
        return Err(format!(
            "Can't find end tag corresponding to start tag \"{open}\""
        ));
    }
    let len = out.encode_utf16().count();
    if len == 0 {
        return Err("message text is empty".into());
    }
    if len > MESSAGE_LIMIT {
        return Err("message is too long".into());
    }
    Ok(out)
}
