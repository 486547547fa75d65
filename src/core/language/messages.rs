//! What /language says.

use crate::core::messages::Lang;
use crate::core::messages::lang::localized;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(strum::EnumCount))]
pub enum LanguageMsg {
    /// `/language` with no argument: the language in use here and the choices.
    Current { lang: Lang },
    /// A learner's own choice was saved.
    PersonalSet { lang: Lang },
    /// A member's own choice in a group: it applies in private and in replies only they see.
    PersonalSetInGroup { lang: Lang },
    /// An admin set the group's language.
    ChatSet { lang: Lang },
    /// Not a language the bot speaks (the text as typed, clipped).
    Unknown(String),
}

/// "english or hinglish", the words `/language` accepts.
fn choices() -> String {
    let names: Vec<&str> = Lang::ALL.iter().map(|l| l.as_str()).collect();
    names.join(" | ")
}

localized!(LanguageMsg);

impl LanguageMsg {
    fn english(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use LanguageMsg::*;
        match self {
            Current { lang } => write!(
                f,
                "I speak {lang} here. To change it: /language {}",
                choices()
            ),
            PersonalSet { lang } => write!(f, "Done: I speak {lang} with you from now on."),
            PersonalSetInGroup { lang } => write!(
                f,
                "Saved: I speak {lang} with you in private chats and in replies only you see. \
                 The group's own language is set by its admins."
            ),
            ChatSet { lang } => write!(f, "Done: I speak {lang} in this chat from now on."),
            Unknown(s) => write!(
                f,
                "\"{s}\" is not a language I speak. Choose one: /language {}",
                choices()
            ),
        }
    }

    fn hinglish(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use LanguageMsg::*;
        match self {
            Current { lang } => write!(
                f,
                "Yahan main {lang} mein baat karta hoon. Badalne ke liye: /language {}",
                choices()
            ),
            PersonalSet { lang } => {
                write!(f, "Ho gaya: ab se main tumse {lang} mein baat karunga.")
            }
            PersonalSetInGroup { lang } => write!(
                f,
                "Save ho gaya: private chat mein aur sirf tumhe dikhne wale replies mein main tumse \
                 {lang} mein baat karunga. Group ki language uske admins set karte hain."
            ),
            ChatSet { lang } => {
                write!(
                    f,
                    "Ho gaya: ab se is chat mein main {lang} mein baat karunga."
                )
            }
            Unknown(s) => write!(
                f,
                "\"{s}\" language main nahi bolta. Inmein se chuno: /language {}",
                choices()
            ),
        }
    }
}
