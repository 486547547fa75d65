//! Limits every piece of content must respect. They come from the chat platforms, so a topic that
//! passes the validator can always be sent.

/// One place for the numbers, each with where it comes from.
pub struct Limits;

impl Limits {
    /// Summary length in words: enough to teach, short enough to read in about three minutes.
    pub const SUMMARY_WORDS: std::ops::RangeInclusive<usize> = 80..=200;
    pub const KEY_POINTS: std::ops::RangeInclusive<usize> = 3..=5;
    /// Key points, pitfalls: one sentence each.
    pub const POINT_CHARS: usize = 300;
    pub const EXAMPLE_CHARS: usize = 1200;
    /// A written topic needs this many questions so a quiz can avoid repeating itself.
    pub const MIN_QUESTIONS: usize = 3;
    /// `--strict` (CI) wants one more, so quizzes and reviews rarely repeat a question.
    pub const STRICT_MIN_QUESTIONS: usize = 4;
    /// Telegram `sendPoll`: question 1–300 characters.
    pub const PROMPT_CHARS: usize = 300;
    /// Telegram allows 100 per poll option, Discord 80 per button label: the smaller wins.
    pub const OPTION_CHARS: usize = 80;
    /// Exactly four options, labelled A–D everywhere.
    pub const OPTIONS: usize = 4;
    /// Telegram quiz `explanation`: 0–200 characters, at most 2 line feeds.
    pub const EXPLANATION_CHARS: usize = 200;
    pub const EXPLANATION_LINE_FEEDS: usize = 2;
}

/// Characters as the platforms count them for these limits (Unicode scalar values; the content is
/// plain text, where this equals what users see).
pub fn chars(s: &str) -> usize {
    s.chars().count()
}

pub fn words(s: &str) -> usize {
    s.split_whitespace().count()
}

/// A stable id: lowercase ASCII letters and digits in dash-separated words, at most 60 bytes so
/// `q:<id>` fits in Telegram callback data (64 bytes).
pub fn is_slug(s: &str) -> bool {
    !s.is_empty()
        && s.len() <= 60
        && s.split('-').all(|w| {
            !w.is_empty()
                && w.bytes()
                    .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        })
}

/// What is wrong with a free-text field (already reflowed): empty, too long, control characters.
/// Shared by the curriculum loader and deck files, so both apply the same platform limits.
pub fn text_problems(v: &str, what: &str, max_chars: usize) -> Vec<String> {
    let mut out = Vec::new();
    if v.is_empty() {
        out.push(format!("{what} is empty"));
    } else if chars(v) > max_chars {
        out.push(format!(
            "{what} has {} characters; the limit is {max_chars}",
            chars(v)
        ));
    }
    if v.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        out.push(format!("{what} contains a control character"));
    }
    out
}

/// Options that repeat an earlier one (case aside), by index, with the problem.
pub fn repeated_options(options: &[String]) -> Vec<(usize, String)> {
    options
        .iter()
        .enumerate()
        .filter(|(i, o)| {
            options[..*i]
                .iter()
                .any(|p| p.to_lowercase() == o.to_lowercase())
        })
        .map(|(i, o)| (i, format!("option `{o}` appears twice")))
        .collect()
}

/// Telegram's quiz explanation allows at most two line feeds.
pub fn explanation_problem(explanation: &str) -> Option<&'static str> {
    (explanation.matches('\n').count() > Limits::EXPLANATION_LINE_FEEDS)
        .then_some("explanation has more than 2 line breaks (Telegram's limit)")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slugs_are_lowercase_dash_separated_words() {
        assert!(is_slug("tcp-vs-udp"));
        assert!(is_slug("http2"));
        assert!(!is_slug("TCP"));
        assert!(!is_slug("a--b"));
        assert!(!is_slug("-a"));
        assert!(!is_slug(""));
        assert!(!is_slug("a b"));
    }

    #[test]
    fn words_counts_whitespace_separated_runs() {
        assert_eq!(words("  one two\nthree  "), 3);
        assert_eq!(words(""), 0);
    }
}
