//! What the Bot API does with `parse_mode: "HTML"`: only its tags, properly nested, and every
//! `&` `<` `>` that is text escaped; otherwise "Bad Request: can't parse entities". The text
//! after parsing must hold 1–4096 characters (UTF-16 units).

/// Tags the Bot API accepts (core.telegram.org/bots/api#html-style).
const TAGS: [&str; 16] = [
    "b",
    "strong",
    "i",
    "em",
    "u",
    "ins",
    "s",
    "strike",
    "del",
    "a",
    "code",
    "pre",
    "tg-spoiler",
    "span",
    "blockquote",
    "tg-emoji",
];
/// Named entities the Bot API accepts; numeric ones are all accepted.
const ENTITIES: [(&str, char); 4] = [("lt", '<'), ("gt", '>'), ("amp", '&'), ("quot", '"')];

/// The parsed text's length in UTF-16 units, or the Bot API's complaint.
pub fn check_html(text: &str, max: usize) -> Result<usize, String> {
    let mut open: Vec<String> = Vec::new();
    let mut plain = String::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        match c {
            '<' => {
                let end = rest.find('>').ok_or_else(|| {
                    format!("can't parse entities: unclosed tag at {:?}", clip(rest))
                })?;
                let inner = &rest[1..end];
                if let Some(name) = inner.strip_prefix('/') {
                    let name = name.trim().to_ascii_lowercase();
                    if open.pop().as_deref() != Some(name.as_str()) {
                        return Err(format!(
                            "can't parse entities: unexpected end tag </{name}>"
                        ));
                    }
                } else {
                    let name = inner
                        .split(|c: char| c.is_whitespace())
                        .next()
                        .unwrap_or("")
                        .to_ascii_lowercase();
                    if !TAGS.contains(&name.as_str()) {
                        return Err(format!(
                            "can't parse entities: unsupported start tag {name:?}"
                        ));
                    }
                    open.push(name);
                }
                rest = &rest[end + 1..];
            }
            '>' => return Err("can't parse entities: unescaped '>'".to_string()),
            '&' => {
                let end = rest
                    .find(';')
                    .filter(|e| *e <= 10)
                    .ok_or_else(|| format!("can't parse entities: bare '&' at {:?}", clip(rest)))?;
                let name = &rest[1..end];
                let ch = if let Some(num) = name.strip_prefix('#') {
                    let n = match num.strip_prefix(['x', 'X']) {
                        Some(hex) => u32::from_str_radix(hex, 16).ok(),
                        None => num.parse().ok(),
                    };
                    n.and_then(char::from_u32)
                } else {
                    ENTITIES.iter().find(|(n, _)| *n == name).map(|(_, c)| *c)
                };
                plain.push(
                    ch.ok_or_else(|| format!("can't parse entities: unknown entity &{name};"))?,
                );
                rest = &rest[end + 1..];
            }
            c => {
                plain.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    if let Some(tag) = open.pop() {
        return Err(format!(
            "can't parse entities: can't find end tag corresponding to <{tag}>"
        ));
    }
    let len = plain.encode_utf16().count();
    if plain.trim().is_empty() {
        return Err("message text is empty".to_string());
    }
    if len > max {
        return Err("message is too long".to_string());
    }
    Ok(len)
}

fn clip(s: &str) -> String {
    s.chars().take(20).collect()
}
