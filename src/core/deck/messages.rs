//! Decks: listing, choosing, importing, exporting and removing them.

use crate::core::messages::text::plural;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
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

impl fmt::Display for DeckMsg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
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
}
