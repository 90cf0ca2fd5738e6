//! Evidence files and the completion report, which carries them: adding and removing
//! files, reporting completion, reading a file for download, and an admin's purge.
//! The files themselves are received and stored (`crate::evidence`) before any of
//! these runs; here only their records are written.

use chrono::NaiveDate;
use diesel::PgConnection;

use crate::app::Error;
use crate::app::initiatives::locked_for;
use crate::auth::CurrentUser;
use crate::domain::workflow::{Refusal, Step};
use crate::evidence::StoredFile;
use crate::store;
use crate::store::evidence::{Evidence, EvidenceChange, NewEvidence};
use crate::store::initiatives::{CompletionReport, StepChange, StepOutcome};

/// How adding or removing files went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Changed {
    Done,
    /// The workflow does not allow changing the evidence now.
    Refused(Refusal),
    /// Adding needs at least one file.
    NoFiles,
    /// A reviewer acted on the initiative meanwhile: nothing changed.
    StateChanged,
}

/// The records of stored files, as the store writes them.
pub fn new_evidence(files: &[StoredFile]) -> Vec<NewEvidence> {
    files
        .iter()
        .map(|file| NewEvidence {
            sha256: file.sha256.clone(),
            original_name: file.original_name.clone(),
            content_type: file.kind.mime(),
            size_bytes: i64::try_from(file.size_bytes).unwrap_or(i64::MAX),
        })
        .collect()
}

/// Adds files to initiative `id` (not found outside the person's scope).
pub fn add(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    id: i32,
    files: &[NewEvidence],
) -> Result<Changed, Error> {
    store::write_transaction(conn, |conn| {
        let (item, allowed) = locked_for(conn, actor, id, Step::ChangeEvidence)?;
        if let Err(refusal) = allowed {
            return Ok(Changed::Refused(refusal));
        }
        if files.is_empty() {
            return Ok(Changed::NoFiles);
        }
        Ok(match store::evidence::add(conn, actor.id, &item, files)? {
            EvidenceChange::Done => Changed::Done,
            _ => Changed::StateChanged,
        })
    })
}

/// Removes file `file_id` of initiative `id` from its list (its bytes stay until the
/// initiative is purged); not found when either is missing or outside the scope.
pub fn remove(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    id: i32,
    file_id: i32,
) -> Result<Changed, Error> {
    store::write_transaction(conn, |conn| {
        let (item, allowed) = locked_for(conn, actor, id, Step::ChangeEvidence)?;
        if let Err(refusal) = allowed {
            return Ok(Changed::Refused(refusal));
        }
        match store::evidence::remove(conn, actor.id, &item, file_id)? {
            EvidenceChange::Done => Ok(Changed::Done),
            EvidenceChange::NoSuchFile => Err(Error::NotFound),
            EvidenceChange::StateChanged => Ok(Changed::StateChanged),
        }
    })
}

/// How a completion report went.
#[derive(Debug)]
pub enum Reported<E> {
    Done,
    Refused(Refusal),
    /// The report's fields are wrong: what `parse` said, and whether the report has no
    /// evidence either (so both are said at once).
    Invalid {
        problems: E,
        no_evidence: bool,
    },
    /// A report needs at least one evidence file, new or kept.
    NoEvidence,
    StateChanged,
}

/// Báo cáo hoàn thành on initiative `id` with these new files. `parse` reads the
/// report's fields once the initiative's start date is known (a completion cannot come
/// before it); it may run again if the transaction is retried.
pub fn report<E>(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    id: i32,
    files: &[NewEvidence],
    parse: impl Fn(NaiveDate) -> Result<CompletionReport, E>,
) -> Result<Reported<E>, Error> {
    store::write_transaction(conn, |conn| {
        let (item, allowed) = locked_for(conn, actor, id, Step::Report)?;
        let transition = match allowed {
            Ok(transition) => transition,
            Err(refusal) => return Ok(Reported::Refused(refusal)),
        };
        let report = match parse(item.initiative.start_date) {
            Ok(report) => report,
            Err(problems) => {
                let no_evidence = files.is_empty() && store::evidence::active_count(conn, id)? == 0;
                return Ok(Reported::Invalid {
                    problems,
                    no_evidence,
                });
            }
        };
        let change = StepChange {
            transition,
            reason: None,
            report: Some(&report),
            files,
        };
        Ok(
            match store::initiatives::take_step(conn, actor.id, &item, &change)? {
                StepOutcome::Done => Reported::Done,
                StepOutcome::NoEvidence => Reported::NoEvidence,
                StepOutcome::StateChanged => Reported::StateChanged,
            },
        )
    })
}

/// The files of these that no record refers to (any more, or yet): their bytes can go.
/// A file whose use cannot be read is kept.
pub fn unreferenced(conn: &mut PgConnection, files: Vec<StoredFile>) -> Vec<StoredFile> {
    files
        .into_iter()
        .filter(|file| !store::evidence::is_referenced(conn, &file.sha256).unwrap_or(true))
        .collect()
}

/// One file's record, if its initiative lies in the person's scope.
pub fn file_in_scope(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    file_id: i32,
) -> Result<Evidence, Error> {
    store::evidence::find_in_scope(conn, actor.scope(), file_id)?.ok_or(Error::NotFound)
}

/// Deletes initiative `id` and its evidence records for good (admins only). Returns the
/// hashes of the files no other record uses, whose bytes can be removed too.
pub fn purge(conn: &mut PgConnection, actor: &CurrentUser, id: i32) -> Result<Vec<String>, Error> {
    if !actor.is_admin() {
        return Err(Error::Forbidden);
    }
    store::initiatives::purge(conn, actor.id, id)?.ok_or(Error::NotFound)
}
