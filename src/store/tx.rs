//! The one way a write reaches the database: [`write_transaction`] runs the work in a
//! transaction and, when PostgreSQL gives up on it because of a concurrent transaction
//! (a serialization failure, or a deadlock whose victim it picked), runs it again from
//! the start a bounded number of times. Whatever the work did before the failure was
//! rolled back with it, so an attempt never sees a half of the previous one.
//!
//! # How a deadlock is recognised
//!
//! diesel 2.3 reads the SQLSTATE of a failed statement but turns only a few codes into
//! a [`DatabaseErrorKind`] (`pg/connection/result.rs`): 40001 becomes
//! `SerializationFailure`, while 40P01 (deadlock_detected) falls into the hidden
//! `Unknown` kind, and [`DatabaseErrorInformation`] offers the message, detail and
//! hint but never the code. A deadlock can therefore only be told apart by its
//! message. That text is reliable here because every pooled connection asks for
//! untranslated messages (`lc_messages = 'C'`, see `crate::db`): PostgreSQL then
//! reports a detected deadlock as exactly "deadlock detected". A PL/pgSQL `RAISE`
//! with only the code and no text of its own uses the code ("40P01") or the
//! condition's name ("deadlock_detected") as its message; both count as well.

use std::time::Duration;

use diesel::connection::{AnsiTransactionManager, TransactionManager};
use diesel::prelude::*;
use diesel::result::{DatabaseErrorInformation, DatabaseErrorKind, Error};
use rand::Rng;

/// How many times a write is tried in all before the person is told to send it again.
pub const ATTEMPTS: u32 = 5;

/// The longest pause before the first retry; it doubles for each later one. With five
/// attempts a write waits at most 10 + 20 + 40 + 80 ms in all between them.
const FIRST_BACKOFF_MS: u64 = 10;

/// Runs reads in one READ ONLY, REPEATABLE READ transaction, so that every figure of a
/// page comes from the same snapshot: a total and its parts never disagree because a
/// write committed between two of the reads. Such a transaction cannot fail on a
/// concurrent write, so it is never retried.
pub fn read_snapshot<T, E, F>(conn: &mut PgConnection, reads: F) -> Result<T, E>
where
    F: FnOnce(&mut PgConnection) -> Result<T, E>,
    E: From<Error>,
{
    conn.build_transaction()
        .read_only()
        .repeatable_read()
        .run(reads)
}

/// Errors a write transaction may end with: they must say whether the transaction lost
/// a race with another one (and is worth running again).
pub trait TransactionError: From<Error> {
    fn is_retryable(&self) -> bool;
}

impl TransactionError for Error {
    fn is_retryable(&self) -> bool {
        is_retryable(self)
    }
}

/// True when PostgreSQL rolled the transaction back because of a concurrent one:
/// SQLSTATE 40001 (serialization_failure) or 40P01 (deadlock_detected).
pub fn is_retryable(error: &Error) -> bool {
    match error {
        Error::DatabaseError(DatabaseErrorKind::SerializationFailure, _) => true,
        Error::DatabaseError(_, info) => is_deadlock(info.as_ref()),
        _ => false,
    }
}

/// See the module's documentation for why the message is what is read.
fn is_deadlock(info: &(dyn DatabaseErrorInformation + Send + Sync)) -> bool {
    matches!(
        info.message(),
        "deadlock detected" | "40P01" | "deadlock_detected"
    )
}

/// Runs `work` in a transaction, again from the start (up to [`ATTEMPTS`] in all, after
/// a short random pause) when it fails because of a concurrent transaction. The last
/// failure is returned when every attempt failed.
///
/// Inside a transaction the caller already opened, `work` runs once in a savepoint:
/// only the outermost transaction can be run again, since the locks and snapshot that
/// made it fail belong to it.
pub fn write_transaction<T, E, F>(conn: &mut PgConnection, mut work: F) -> Result<T, E>
where
    E: TransactionError,
    F: FnMut(&mut PgConnection) -> Result<T, E>,
{
    if in_transaction(conn) {
        return conn.transaction(work);
    }
    let mut attempt = 1;
    loop {
        match conn.transaction(&mut work) {
            Err(error) if error.is_retryable() && attempt < ATTEMPTS => {
                tracing::info!(attempt, "write transaction lost a race; trying again");
                std::thread::sleep(backoff(attempt));
                attempt += 1;
            }
            Err(error) if error.is_retryable() => {
                tracing::warn!(attempts = attempt, "write transaction gave up");
                return Err(error);
            }
            outcome => return outcome,
        }
    }
}

fn in_transaction(conn: &mut PgConnection) -> bool {
    !matches!(
        AnsiTransactionManager::transaction_manager_status_mut(conn).transaction_depth(),
        Ok(None)
    )
}

/// A random pause up to twice as long as the one before, so that two transactions that
/// collided do not collide again at once.
fn backoff(attempt: u32) -> Duration {
    let ceiling = FIRST_BACKOFF_MS << (attempt - 1).min(6);
    Duration::from_millis(rand::rng().random_range(ceiling / 2..=ceiling))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn database_error(kind: DatabaseErrorKind, message: &str) -> Error {
        Error::DatabaseError(kind, Box::new(message.to_owned()))
    }

    #[test]
    fn serialization_failures_and_deadlocks_are_retried_other_errors_are_not() {
        assert!(is_retryable(&database_error(
            DatabaseErrorKind::SerializationFailure,
            "could not serialize access due to concurrent update"
        )));
        assert!(is_retryable(&database_error(
            DatabaseErrorKind::Unknown,
            "deadlock detected"
        )));
        assert!(is_retryable(&database_error(
            DatabaseErrorKind::Unknown,
            "40P01"
        )));
        assert!(!is_retryable(&database_error(
            DatabaseErrorKind::UniqueViolation,
            "duplicate key value violates unique constraint"
        )));
        assert!(!is_retryable(&database_error(
            DatabaseErrorKind::Unknown,
            "relation \"deadlock detected\" does not exist"
        )));
        assert!(!is_retryable(&Error::NotFound));
    }

    #[test]
    fn the_pauses_grow_and_stay_short() {
        for attempt in 1..ATTEMPTS {
            let pause = backoff(attempt);
            let ceiling = Duration::from_millis(FIRST_BACKOFF_MS << (attempt - 1));
            assert!(pause <= ceiling && pause >= ceiling / 2, "{pause:?}");
        }
    }
}
