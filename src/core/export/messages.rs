//! Exports and saved files.

use crate::core::messages::lang::{Lang, localized};
use crate::core::messages::text::plural;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
#[cfg_attr(test, derive(strum::EnumCount))]
pub enum ExportMsg {
    ExportDone {
        answers: usize,
        missed: usize,
    },
    ExportEmpty,
    ExportInPrivate,
    ExportCsvCaption,
    ExportAnkiCaption,
    /// The console saved a file a reply carried.
    FileSaved {
        what: String,
        path: String,
    },
    FileNotSaved {
        path: String,
        error: String,
    },
    /// After /forget: the files saved for the learner that were deleted.
    FilesErased {
        count: usize,
    },
    FileNotErased(String),
}

localized!(ExportMsg);

impl ExportMsg {
    fn english(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ExportMsg::*;
        match self {
            ExportDone { answers, missed } => {
                let n = |v: usize| i64::try_from(v).unwrap_or(i64::MAX);
                write!(
                    f,
                    "Your export: {answers} {} as a CSV file",
                    plural(n(*answers), "answer")
                )?;
                match missed {
                    0 => write!(
                        f,
                        ". You have missed no question, so there is no Anki file."
                    ),
                    m => write!(
                        f,
                        ", and the {m} {} you missed as a file Anki imports (File → Import).",
                        plural(n(*m), "question")
                    ),
                }
            }
            ExportEmpty => write!(
                f,
                "Nothing to export yet: you have not answered a question. Send /quiz to start."
            ),
            ExportInPrivate => write!(
                f,
                "Your export is personal: send /export to me in a private chat."
            ),
            ExportCsvCaption => write!(f, "All your answers (CSV)"),
            ExportAnkiCaption => write!(f, "Questions you missed, for Anki"),
            FileSaved { what, path } => write!(f, "{what}: saved to {path}"),
            FileNotSaved { path, error } => write!(f, "Could not save {path}: {error}"),
            FilesErased { count } => write!(
                f,
                "I also deleted {count} saved {}.",
                if *count == 1 { "file" } else { "files" }
            ),
            FileNotErased(what) => write!(f, "Could not delete {what}; please delete it yourself."),
        }
    }

    fn hinglish(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ExportMsg::*;
        match self {
            ExportDone { answers, missed } => {
                write!(f, "Tumhara export: {answers} jawab ek CSV file mein")?;
                match missed {
                    0 => write!(
                        f,
                        ". Tumse koi sawaal galat nahi hua, isliye Anki file nahi hai."
                    ),
                    m => write!(
                        f,
                        ", aur jo {m} sawaal galat hue woh ek file mein jise Anki import karta hai \
                         (File → Import)."
                    ),
                }
            }
            ExportEmpty => write!(
                f,
                "Export ke liye abhi kuch nahi: tumne kisi sawaal ka jawab nahi diya. Shuru karne \
                 ke liye /quiz bhejo."
            ),
            ExportInPrivate => write!(
                f,
                "Tumhara export personal hai: /export mujhe private chat mein bhejo."
            ),
            ExportCsvCaption => write!(f, "Tumhare saare jawab (CSV)"),
            ExportAnkiCaption => write!(f, "Galat hue sawaal, Anki ke liye"),
            FileSaved { what, path } => write!(f, "{what}: {path} mein save hua"),
            FileNotSaved { path, error } => write!(f, "{path} save nahi ho paya: {error}"),
            FilesErased { count } => write!(
                f,
                "Maine tumhari {} bhi delete kar di.",
                Lang::Hinglish.count(
                    i64::try_from(*count).unwrap_or(i64::MAX),
                    "saved file",
                    "saved files"
                )
            ),
            FileNotErased(what) => {
                write!(f, "{what} delete nahi ho paya; please khud delete kar do.")
            }
        }
    }
}
