//! Deleting what the bot stores about a learner.

use crate::core::messages::text::plural;
use std::fmt;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ForgetMsg {
    // Forgetting.
    ForgetAsk,
    ForgetDone { answers: u64 },
    ForgetNotAsked,
    ButtonForgetYes,
}

impl fmt::Display for ForgetMsg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ForgetMsg::*;
        match self {
            ForgetAsk => write!(
                f,
                "This deletes your answers, streak and XP for good. To confirm, send /forget confirm \
                 within 10 minutes."
            ),
            ForgetDone { answers } => {
                let n = i64::try_from(*answers).unwrap_or(i64::MAX);
                write!(
                    f,
                    "Done: I deleted your data ({answers} {}). Goodbye!",
                    plural(n, "answer")
                )
            }
            ForgetNotAsked => write!(f, "Send /forget first; then confirm within 10 minutes."),
            ButtonForgetYes => write!(f, "Yes, delete my data"),
        }
    }
}
