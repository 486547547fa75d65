//! Finding topics and sections from what a learner types.

use crate::content::{Catalog, Section, Topic};

pub const MAX_MATCHES: usize = 5;

fn words(s: &str) -> Vec<String> {
    s.to_lowercase()
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

fn score(topic: &Topic, query: &str, qwords: &[String]) -> u32 {
    let q = query.trim().to_lowercase();
    if topic.id.as_str() == q {
        return 1000;
    }
    if topic.title.to_lowercase() == q {
        return 900;
    }
    let mut hay = words(&topic.title);
    hay.extend(words(topic.id.as_str()));
    let mut total = 0;
    let mut matched = 0;
    for w in qwords {
        let best = hay
            .iter()
            .map(|h| {
                if h == w {
                    10
                } else if h.starts_with(w.as_str()) && w.len() >= 2 {
                    5
                } else if w.len() >= 3 && h.contains(w.as_str()) {
                    2
                } else {
                    0
                }
            })
            .max()
            .unwrap_or(0);
        if best > 0 {
            matched += 1;
        }
        total += best;
    }
    // Every word must match something, so "tcp handshake" doesn't list all of TCP.
    if matched < qwords.len() { 0 } else { total }
}

/// Best matches first, at most [`MAX_MATCHES`].
pub fn find_topics<'a>(catalog: &'a Catalog, query: &str) -> Vec<&'a Topic> {
    let qwords = words(query);
    if qwords.is_empty() && query.trim().is_empty() {
        return Vec::new();
    }
    let mut scored: Vec<(u32, usize, &Topic)> = catalog
        .topics()
        .iter()
        .enumerate()
        .map(|(i, t)| (score(t, query, &qwords), i, t))
        .filter(|(s, _, _)| *s > 0)
        .collect();
    scored.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    scored
        .into_iter()
        .take(MAX_MATCHES)
        .map(|(_, _, t)| t)
        .collect()
}

/// A section by number (`7`), slug (`sql-databases`) or title (`Database – SQL`).
pub fn find_section<'a>(catalog: &'a Catalog, query: &str) -> Option<&'a Section> {
    let q = query.trim().to_lowercase();
    if let Ok(n) = q.parse::<u8>() {
        return catalog.sections().iter().find(|s| s.number == n);
    }
    catalog
        .sections()
        .iter()
        .find(|s| s.slug == q || s.title.to_lowercase() == q)
}
