//! User errors become a friendly reply; internal errors are logged and answered with an apology.

use super::messages::Msg;
use crate::store::StoreError;

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Something the user can fix; shown to them as it is.
    #[error("{}", .0.english())]
    User(Msg),
    /// The event was already handled: nothing to do, nothing to say.
    #[error("event already handled")]
    Duplicate,
    #[error(transparent)]
    Store(#[from] StoreError),
}

impl From<Msg> for Error {
    fn from(m: Msg) -> Error {
        Error::User(m)
    }
}
