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

/// What autocomplete offers for an option.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Suggest {
    /// Topics by title.
    Topics,
    /// Sections, then topics with questions.
    QuizTargets,
    /// IANA timezones.
    Zones,
}

/// Suggestions for what a learner is typing, as (name shown, value to use), best first, at most
/// `max`: sections and topics for a quiz source, topics, or IANA timezones. Chat menus with
/// autocomplete (Discord) show these; the ranking is the product's, so it lives here.
pub fn suggestions(
    catalog: &Catalog,
    kind: Suggest,
    typed: &str,
    max: usize,
) -> Vec<(String, String)> {
    let q = typed.trim().to_lowercase();
    let mut out: Vec<(String, String)> = Vec::new();
    match kind {
        Suggest::QuizTargets | Suggest::Topics => {
            if kind == Suggest::QuizTargets {
                for s in catalog.sections() {
                    let number = format!("{:02}", s.number);
                    let hit = q.is_empty()
                        || number.starts_with(&q)
                        || s.number.to_string() == q
                        || s.slug.contains(&q)
                        || s.title.to_lowercase().contains(&q);
                    if hit {
                        out.push((format!("{number} · {}", s.title), s.slug.clone()));
                    }
                }
            }
            let quizzable = |t: &Topic| kind == Suggest::Topics || !t.questions().is_empty();
            let best = if q.is_empty() {
                Vec::new()
            } else {
                find_topics(catalog, &q)
            };
            let contains = catalog
                .topics()
                .iter()
                .filter(|t| q.is_empty() || t.title.to_lowercase().contains(&q));
            for t in best.into_iter().chain(contains) {
                if quizzable(t) && !out.iter().any(|(_, v)| v == t.id.as_str()) {
                    out.push((t.title.clone(), t.id.as_str().to_string()));
                }
                if out.len() >= max {
                    break;
                }
            }
        }
        Suggest::Zones => {
            // Whole name first (`europe/b`), then a part of it (`berl`), then anywhere (`erlin`).
            let rank = |name: &str| {
                let n = name.to_lowercase();
                if n.starts_with(&q) {
                    Some(0)
                } else if n.split(['/', '_']).any(|part| part.starts_with(&q)) {
                    Some(1)
                } else {
                    n.contains(&q).then_some(2)
                }
            };
            let mut zones: Vec<(u8, &str)> = chrono_tz::TZ_VARIANTS
                .iter()
                .filter_map(|tz| rank(tz.name()).map(|r| (r, tz.name())))
                .collect();
            zones.sort_by_key(|(r, _)| *r);
            out.extend(
                zones
                    .into_iter()
                    .map(|(_, n)| (n.to_string(), n.to_string())),
            );
        }
    }
    out.truncate(max);
    out
}
