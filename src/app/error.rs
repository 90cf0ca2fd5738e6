//! The use-case layer's one error type: what can go wrong that is not the person's
//! input (refusals are outcomes, not errors). `web` maps each variant to its answer.

use diesel::result::{DatabaseErrorKind, Error as DieselError};

#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// Missing, or outside the person's scope: the two are told apart nowhere.
    #[error("not found")]
    NotFound,
    /// The person's role does not allow the operation.
    #[error("forbidden")]
    Forbidden,
    /// A write lost a race with other writes as many times as it was tried: nothing saved.
    #[error("busy: the write was rolled back every time it was tried")]
    Busy,
    /// The database cannot be reached.
    #[error("database unavailable: {0}")]
    Unavailable(String),
    /// The change lost to one made meanwhile, and no page shows it: nothing saved. The
    /// text says what was found, for the log; the person reads the web's message.
    #[error("conflict with a change made meanwhile: {0}")]
    Conflict(&'static str),
    #[error("database error")]
    Database(#[source] DieselError),
    #[error(transparent)]
    Internal(Box<dyn std::error::Error + Send + Sync>),
}

impl From<DieselError> for Error {
    fn from(error: DieselError) -> Self {
        match error {
            DieselError::NotFound => Error::NotFound,
            error if crate::store::tx::is_retryable(&error) => Error::Busy,
            DieselError::DatabaseError(DatabaseErrorKind::ClosedConnection, info) => {
                Error::Unavailable(info.message().to_owned())
            }
            other => Error::Database(other),
        }
    }
}

impl crate::store::tx::TransactionError for Error {
    fn is_retryable(&self) -> bool {
        matches!(self, Error::Busy)
    }
}
