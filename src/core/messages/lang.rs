//! The bot's UI languages, and the plural rules of each.
//!
//! Adding a language: a variant here, then every feature enum's `render` match stops compiling
//! until the language has a form for every message (see `messages/mod.rs`).

use std::fmt;

/// A language the bot speaks around the (English) curriculum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Lang {
    #[default]
    English,
    /// Roman-script Hindi with English technical terms, as the checklist is written.
    Hinglish,
}

impl Lang {
    pub const ALL: [Lang; 2] = [Lang::English, Lang::Hinglish];

    /// The name stored in the database and typed after /language.
    pub fn as_str(self) -> &'static str {
        match self {
            Lang::English => "english",
            Lang::Hinglish => "hinglish",
        }
    }

    /// A stored name back as a language.
    pub fn from_name(s: &str) -> Option<Lang> {
        Lang::ALL.into_iter().find(|l| l.as_str() == s)
    }

    /// What a learner may type after /language: the name, or a short form.
    pub fn parse(s: &str) -> Option<Lang> {
        match s.trim().to_lowercase().as_str() {
            "english" | "en" | "eng" => Some(Lang::English),
            "hinglish" | "hi" | "hindi" => Some(Lang::Hinglish),
            _ => None,
        }
    }

    /// The language a platform locale suggests before the learner chooses (Telegram's
    /// `language_code`, Discord's `locale`): `hi` and `hi-IN` pick Hinglish, anything else English.
    pub fn from_locale(code: Option<&str>) -> Lang {
        match code {
            Some(c) if is_hindi(c) => Lang::Hinglish,
            _ => Lang::English,
        }
    }

    /// The platform locale code whose menus get this language (`None`: the default menu).
    pub fn locale(self) -> Option<&'static str> {
        match self {
            Lang::English => None,
            Lang::Hinglish => Some("hi"),
        }
    }

    /// `n` and a noun in the right number. English nouns take a plural form; Hinglish nouns in
    /// the direct case mostly do not ("1 din", "5 din"), so callers pass the same word twice
    /// there unless an English term is kept ("1 topic", "5 topics").
    pub fn count(self, n: i64, one: &str, many: &str) -> String {
        let word = if n == 1 { one } else { many };
        format!("{n} {word}")
    }
}

/// `hi`, `hi-IN` (Telegram, Discord) or `hi_IN.UTF-8` (a POSIX locale).
fn is_hindi(code: &str) -> bool {
    let code = code.to_ascii_lowercase();
    code == "hi" || code.starts_with("hi-") || code.starts_with("hi_") || code.starts_with("hi.")
}

impl fmt::Display for Lang {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Lang::English => "English",
            Lang::Hinglish => "Hinglish",
        })
    }
}

/// Implements `render(lang)` for a feature's message enum whose `english` and `hinglish` methods
/// write its text. Both methods match exhaustively, so a new variant without a Hinglish form does
/// not compile. There is deliberately no `Display`: a message cannot become text without saying
/// in which language (logs use `render(Lang::English)`).
macro_rules! localized {
    ($t:ty) => {
        impl $t {
            pub fn render(&self, lang: $crate::core::messages::Lang) -> String {
                struct In<'a>(&'a $t, $crate::core::messages::Lang);
                impl std::fmt::Display for In<'_> {
                    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                        match self.1 {
                            $crate::core::messages::Lang::English => self.0.english(f),
                            $crate::core::messages::Lang::Hinglish => self.0.hinglish(f),
                        }
                    }
                }
                In(self, lang).to_string()
            }
        }
    };
}
pub(crate) use localized;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_locales_pick_the_language() {
        for l in Lang::ALL {
            assert_eq!(Lang::from_name(l.as_str()), Some(l));
            assert_eq!(Lang::parse(l.as_str()), Some(l));
        }
        assert_eq!(Lang::parse(" Hinglish "), Some(Lang::Hinglish));
        assert_eq!(Lang::parse("french"), None);
        assert_eq!(Lang::from_locale(Some("hi")), Lang::Hinglish);
        assert_eq!(Lang::from_locale(Some("hi-IN")), Lang::Hinglish);
        assert_eq!(Lang::from_locale(Some("hi_IN.UTF-8")), Lang::Hinglish);
        assert_eq!(Lang::from_locale(Some("C.UTF-8")), Lang::English);
        assert_eq!(Lang::from_locale(Some("en-US")), Lang::English);
        assert_eq!(Lang::from_locale(Some("hu")), Lang::English);
        assert_eq!(Lang::from_locale(None), Lang::English);
    }

    #[test]
    fn counts_use_the_singular_only_for_one() {
        assert_eq!(Lang::English.count(1, "day", "days"), "1 day");
        assert_eq!(Lang::English.count(5, "day", "days"), "5 days");
        assert_eq!(Lang::English.count(0, "day", "days"), "0 days");
        assert_eq!(Lang::Hinglish.count(1, "din", "din"), "1 din");
        assert_eq!(Lang::Hinglish.count(5, "din", "din"), "5 din");
    }
}
