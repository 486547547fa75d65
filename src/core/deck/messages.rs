//! Decks: listing, choosing, importing, exporting and removing them.

use crate::core::messages::lang::{Lang, localized};
use crate::core::messages::text::plural;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(strum::EnumCount))]
pub enum DeckMsg {
    ListHeading,
    /// The built-in curriculum's line in `/deck list`.
    ListCurriculum {
        questions: usize,
        current: bool,
    },
    ListDeck {
        id: String,
        title: String,
        questions: i64,
        current: bool,
        public: bool,
    },
    ListHint,
    Using {
        title: String,
    },
    BackToCurriculum,
    Unknown(String),
    BadId(String),
    IdIsCurriculum,
    Removed {
        id: String,
    },
    RemoveNotAllowed,
    /// Exports and reports of a deck: its importer or an admin of its chat.
    OwnerOnly,
    Imported {
        id: String,
        title: String,
        questions: usize,
    },
    Replaced {
        id: String,
        title: String,
        questions: usize,
        kept: u64,
        retired: u64,
    },
    /// The file did not validate: how many problems, the first ones follow as a list.
    Invalid {
        problems: usize,
    },
    MoreProblems {
        more: usize,
    },
    /// `/deck import` with no file.
    ImportHow,
    TooBig {
        bytes: u64,
        max: usize,
    },
    /// The id belongs to a deck of another chat.
    IdTaken(String),
    DownloadFailed,
    ExportCaption {
        id: String,
    },
    /// Above a quiz drawn from a deck.
    DailyQuestion {
        title: String,
    },
    /// `/progress`: the decks apart from the curriculum.
    ProgressHeading,
    ProgressLine {
        title: String,
        answered: i64,
        percent: u32,
    },
    /// The console could not read the file named in `/deck import PATH`.
    CannotRead {
        path: String,
        error: String,
    },
}

localized!(DeckMsg);

impl DeckMsg {
    fn english(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use DeckMsg::*;
        let here = |current: &bool| if *current { " (this chat's track)" } else { "" };
        match self {
            ListHeading => write!(f, "What this chat can study"),
            ListCurriculum { questions, current } => write!(
                f,
                "backend: the built-in backend curriculum ({questions} questions){}",
                here(current)
            ),
            ListDeck {
                id,
                title,
                questions,
                current,
                public,
            } => write!(
                f,
                "{id}: {title} ({questions} {}{}){}",
                plural(*questions, "question"),
                if *public { ", public" } else { "" },
                here(current)
            ),
            ListHint => write!(
                f,
                "/deck use ID makes a deck the chat's track; /quiz ID asks one question from it."
            ),
            Using { title } => write!(
                f,
                "This chat now studies {title}: /quiz, /round, /today and the daily push draw from it. /deck use backend goes back to the curriculum."
            ),
            BackToCurriculum => write!(f, "This chat is back on the backend curriculum."),
            Unknown(id) => write!(
                f,
                "There is no deck \"{id}\" this chat may use. /deck list shows them."
            ),
            BadId(id) => write!(
                f,
                "\"{id}\" cannot be a deck id: use lowercase letters, digits and dashes (at most 40 characters)."
            ),
            IdIsCurriculum => write!(
                f,
                "\"backend\" is the built-in curriculum's name; give the deck another id."
            ),
            Removed { id } => write!(
                f,
                "Deck {id} is removed; chats that studied it are back on the curriculum."
            ),
            RemoveNotAllowed => write!(
                f,
                "Only the member who imported this deck, or an admin of the chat it was imported in, may remove it."
            ),
            OwnerOnly => write!(
                f,
                "Only the member who imported this deck, or an admin of the chat it was imported in, may see that."
            ),
            Imported {
                id,
                title,
                questions,
            } => write!(
                f,
                "Imported deck {id} ({title}) with {questions} questions. /deck use {id} makes it this chat's track."
            ),
            Replaced {
                id,
                title,
                questions,
                kept,
                retired,
            } => write!(
                f,
                "Replaced deck {id} ({title}): {questions} questions. Review cards kept: {kept}; retired because their question changed or left: {retired}."
            ),
            Invalid { problems } => write!(
                f,
                "The deck was not imported: {problems} {} to fix.",
                plural(i64::try_from(*problems).unwrap_or(i64::MAX), "problem")
            ),
            MoreProblems { more } => write!(f, "… and {more} more."),
            ImportHow => write!(
                f,
                "Send the deck file (.csv or .toml, at most 1 MB) with the caption /deck import, or answer the file with /deck import. The CSV columns: question,option_a,option_b,option_c,option_d,answer,explanation (topic and difficulty optional)."
            ),
            TooBig { bytes, max } => write!(
                f,
                "That file has {bytes} bytes; a deck file is at most {max} bytes (1 MB)."
            ),
            IdTaken(id) => write!(
                f,
                "The id \"{id}\" belongs to a deck of another chat: import with another id, /deck import NEW-ID."
            ),
            DownloadFailed => write!(f, "I could not download that file. Please send it again."),
            ExportCaption { id } => write!(f, "Deck {id} as CSV"),
            DailyQuestion { title } => write!(f, "A question from {title}"),
            ProgressHeading => write!(f, "Decks"),
            ProgressLine {
                title,
                answered,
                percent,
            } => write!(
                f,
                "{title}: {answered} {} answered, {percent}% right",
                plural(*answered, "question")
            ),
            CannotRead { path, error } => write!(f, "Could not read {path}: {error}"),
        }
    }

    fn hinglish(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use DeckMsg::*;
        let here = |current: &bool| if *current { " (is chat ka track)" } else { "" };
        let questions_n = |n: i64| Lang::Hinglish.count(n, "question", "questions");
        match self {
            ListHeading => write!(f, "Yeh chat kya padh sakta hai"),
            ListCurriculum { questions, current } => write!(
                f,
                "backend: built-in backend curriculum ({}){}",
                questions_n(i64::try_from(*questions).unwrap_or(i64::MAX)),
                here(current)
            ),
            ListDeck {
                id,
                title,
                questions,
                current,
                public,
            } => write!(
                f,
                "{id}: {title} ({}{}){}",
                questions_n(*questions),
                if *public { ", public" } else { "" },
                here(current)
            ),
            ListHint => write!(
                f,
                "/deck use ID se deck is chat ka track ban jaata hai; /quiz ID usse ek question \
                 poochta hai."
            ),
            Using { title } => write!(
                f,
                "Ab yeh chat {title} padhta hai: /quiz, /round, /today aur daily push isi se \
                 aayenge. Curriculum pe wapas jaane ke liye /deck use backend bhejo."
            ),
            BackToCurriculum => write!(f, "Yeh chat wapas backend curriculum pe hai."),
            Unknown(id) => write!(
                f,
                "\"{id}\" naam ka koi deck nahi hai jo yeh chat use kar sake. /deck list se \
                 dekho kaunse hain."
            ),
            BadId(id) => write!(
                f,
                "\"{id}\" deck id nahi ban sakta: lowercase letters, digits aur dashes use karo \
                 (zyada se zyada 40 characters)."
            ),
            IdIsCurriculum => write!(
                f,
                "\"backend\" built-in curriculum ka naam hai; deck ko koi aur id do."
            ),
            Removed { id } => write!(
                f,
                "Deck {id} remove ho gaya; jo chats use padh rahe the woh wapas curriculum pe hain."
            ),
            RemoveNotAllowed => write!(
                f,
                "Is deck ko sirf woh member remove kar sakta hai jisne use import kiya, ya us chat \
                 ka admin jahan woh import hua."
            ),
            OwnerOnly => write!(
                f,
                "Yeh sirf woh member dekh sakta hai jisne deck import kiya, ya us chat ka admin \
                 jahan woh import hua."
            ),
            Imported {
                id,
                title,
                questions,
            } => write!(
                f,
                "Deck {id} ({title}) {} ke saath import ho gaya. /deck use {id} se yeh is chat ka \
                 track ban jaayega.",
                questions_n(i64::try_from(*questions).unwrap_or(i64::MAX))
            ),
            Replaced {
                id,
                title,
                questions,
                kept,
                retired,
            } => write!(
                f,
                "Deck {id} ({title}) replace ho gaya: {}. Review cards rakhe gaye: {kept}; \
                 retire hue kyunki unka question badal gaya ya hat gaya: {retired}.",
                questions_n(i64::try_from(*questions).unwrap_or(i64::MAX))
            ),
            Invalid { problems } => write!(
                f,
                "Deck import nahi hua. Theek karo: {}.",
                Lang::Hinglish.count(
                    i64::try_from(*problems).unwrap_or(i64::MAX),
                    "problem",
                    "problems"
                )
            ),
            MoreProblems { more } => write!(f, "… aur {more} baaki hain."),
            ImportHow => write!(
                f,
                "Deck file (.csv ya .toml, zyada se zyada 1 MB) caption /deck import ke saath \
                 bhejo, ya file ke reply mein /deck import bhejo. CSV columns: \
                 question,option_a,option_b,option_c,option_d,answer,explanation (topic aur \
                 difficulty optional)."
            ),
            TooBig { bytes, max } => write!(
                f,
                "Is file mein {bytes} bytes hain; deck file zyada se zyada {max} bytes (1 MB) ki \
                 ho sakti hai."
            ),
            IdTaken(id) => write!(
                f,
                "Id \"{id}\" kisi aur chat ke deck ki hai: dusri id se import karo, /deck import \
                 NEW-ID."
            ),
            DownloadFailed => write!(
                f,
                "Main woh file download nahi kar paya. Please dobara bhejo."
            ),
            ExportCaption { id } => write!(f, "Deck {id} CSV mein"),
            DailyQuestion { title } => write!(f, "{title} se ek question"),
            ProgressHeading => write!(f, "Decks"),
            ProgressLine {
                title,
                answered,
                percent,
            } => write!(
                f,
                "{title}: {} ka jawab diya, {percent}% sahi",
                questions_n(*answered)
            ),
            CannotRead { path, error } => write!(f, "{path} padh nahi paya: {error}"),
        }
    }
}
