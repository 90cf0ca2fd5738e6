//! Spreadsheet imports, one use case a step: stage an uploaded file ([`stage`]), show
//! what a staged one would do ([`preview`]), and apply it ([`confirm`]).
//!
//! The caller reads the file into rows (`imports::read`) before it calls any of these,
//! so no connection is held while a workbook is parsed; it also hashes the temporary
//! passwords of the accounts a confirmation creates, between [`accounts_to_create`] and
//! [`confirm`], so that no password is hashed inside the transaction.

use chrono::{DateTime, Utc};
use diesel::PgConnection;

use crate::app::Error;
use crate::auth::permissions;
use crate::domain::Scope;
use crate::imports::{
    self, Applied, ApplyError, CHANGED_MEANWHILE, Context, Importer, Preview, ReadFile, RowError,
    Target, TemporaryPassword,
};
use crate::store;
pub use crate::store::imports::Batch;
use crate::store::imports::NewBatch;

/// The target for `unit_id` (`None`: the whole tree) if the person may import there.
pub fn target(
    conn: &mut PgConnection,
    scope: Scope,
    unit_id: Option<i32>,
) -> Result<Option<Target>, Error> {
    Ok(Target::resolve(conn, scope, unit_id)?)
}

/// A file as uploaded, with its SHA-256 (worked out before the database is reached).
pub struct Upload<'a> {
    pub file_name: &'a str,
    pub bytes: &'a [u8],
    pub sha256: &'a str,
}

/// What an upload came to.
pub enum Staged {
    /// Kept for its preview.
    Staged(i32),
    /// Row errors: shown, nothing kept.
    Refused {
        preview: Box<Preview>,
        target_name: String,
    },
    /// The unit asked for is not one the person may import into.
    NoTarget,
}

/// Compares the read file with the data inside the target and, when no row has an
/// error, stages it for its preview.
pub fn stage(
    conn: &mut PgConnection,
    importer: Importer,
    scope: Scope,
    unit_id: Option<i32>,
    file: ReadFile,
    upload: &Upload<'_>,
) -> Result<Staged, Error> {
    let Some(target) = Target::resolve(conn, scope, unit_id)? else {
        return Ok(Staged::NoTarget);
    };
    let kind = file.kind;
    let context = Context {
        importer,
        target: target.clone(),
    };
    let plan = store::read_snapshot(conn, |conn| imports::plan(conn, file, &context))?;
    if plan.preview.has_errors() {
        return Ok(Staged::Refused {
            preview: Box::new(plan.preview),
            target_name: target.name(),
        });
    }
    let id = store::imports::stage(
        conn,
        &NewBatch {
            kind,
            file_name: upload.file_name,
            bytes: upload.bytes,
            sha256: upload.sha256,
            scope_unit_id: target.unit_id(),
            created_by: importer.id,
        },
    )?;
    Ok(Staged::Staged(id))
}

/// A staged file of the person's, with the part of the tree it is for.
pub struct StagedFile {
    pub batch: Batch,
    pub target: Target,
}

/// The person's own staged file `batch_id` and its target (not found when it is
/// someone else's, gone, or for a unit no longer in their scope).
pub fn staged(
    conn: &mut PgConnection,
    importer: Importer,
    scope: Scope,
    batch_id: i32,
) -> Result<StagedFile, Error> {
    let batch = own_batch(conn, importer, batch_id)?;
    let target = Target::resolve(conn, scope, batch.scope_unit_id)?.ok_or(Error::NotFound)?;
    Ok(StagedFile { batch, target })
}

/// The person's own staged file `batch_id`, in whatever scope.
pub fn own_batch(
    conn: &mut PgConnection,
    importer: Importer,
    batch_id: i32,
) -> Result<Batch, Error> {
    store::imports::find_own(conn, batch_id, importer.id)?.ok_or(Error::NotFound)
}

/// What confirming a staged file would do now.
pub struct Previewed {
    pub preview: Preview,
    /// When a file with the same content was last imported, if ever.
    pub applied_before: Option<DateTime<Utc>>,
}

/// Compares the staged file (read by the caller from `staged.batch`) with the data as
/// it is now, in one snapshot; writes nothing.
pub fn preview(
    conn: &mut PgConnection,
    importer: Importer,
    staged: &StagedFile,
    file: ReadFile,
) -> Result<Previewed, Error> {
    let context = Context {
        importer,
        target: staged.target.clone(),
    };
    store::read_snapshot(conn, |conn| {
        let applied_before =
            store::imports::last_applied_same_file(conn, staged.batch.kind, &staged.batch.sha256)?;
        let plan = imports::plan(conn, file, &context)?;
        Ok(Previewed {
            preview: plan.preview,
            applied_before,
        })
    })
}

/// How many accounts confirming a staged file would create as the data stands now,
/// so that their temporary passwords can be hashed before [`confirm`] opens its
/// transaction. `file` is the staged file read, `scope_unit_id` the unit it was staged
/// for: 0 when that unit left the person's scope (the confirmation will say so).
pub fn accounts_to_create(
    conn: &mut PgConnection,
    importer: Importer,
    scope: Scope,
    scope_unit_id: Option<i32>,
    file: &ReadFile,
) -> Result<usize, Error> {
    if !file.may_create_accounts() {
        return Ok(0);
    }
    let Some(target) = Target::resolve(conn, scope, scope_unit_id)? else {
        return Ok(0);
    };
    let context = Context { importer, target };
    let plan = store::read_snapshot(conn, |conn| imports::plan(conn, file.clone(), &context))?;
    Ok(plan.writes.accounts_to_create())
}

/// How a confirmation went.
pub enum Confirmed {
    Applied(Applied),
    /// The file no longer goes in cleanly (the data changed since the preview):
    /// nothing was written.
    Refused(Preview),
    /// It was applied before (a second click, another tab).
    AlreadyApplied,
}

/// Why a confirmation's transaction ended without committing.
enum Abort {
    Refused(Box<Preview>),
    Failed(Error),
}

impl From<diesel::result::Error> for Abort {
    fn from(error: diesel::result::Error) -> Abort {
        Abort::Failed(error.into())
    }
}

impl From<Error> for Abort {
    fn from(error: Error) -> Abort {
        Abort::Failed(error)
    }
}

impl store::tx::TransactionError for Abort {
    fn is_retryable(&self) -> bool {
        matches!(self, Abort::Failed(Error::Busy))
    }
}

/// Applies the staged file `batch_id` of `importer` in one transaction: locks it, plans
/// `file` (the batch's own content, read by the caller; `None` when the caller found
/// it applied already) again against the data as it
/// is now, and writes everything or, when any row has an error, nothing. `scope` is
/// the importer's own scope (the target must still be in it). New accounts take their
/// passwords from `passwords` (see [`accounts_to_create`]); when the data changed
/// meanwhile and more are needed, nothing is written and the preview says the data
/// changed. Returns the staged file as it is afterwards too, for the page.
pub fn confirm(
    conn: &mut PgConnection,
    importer: Importer,
    scope: Scope,
    batch_id: i32,
    file: Option<&ReadFile>,
    passwords: &[TemporaryPassword],
) -> Result<(Confirmed, StagedFile), Error> {
    let outcome = store::write_transaction::<Confirmed, Abort, _>(conn, |conn| {
        let batch =
            store::imports::lock_own(conn, batch_id, importer.id)?.ok_or(Error::NotFound)?;
        if batch.applied_at.is_some() {
            return Ok(Confirmed::AlreadyApplied);
        }
        if !permissions::role_may_import(importer.role, batch.kind) {
            return Err(Abort::Failed(Error::Forbidden));
        }
        // Read by the caller unless it found the file applied, which it stays.
        let file = file.ok_or(Error::Conflict("an applied import is never unapplied"))?;
        let target = Target::resolve(conn, scope, batch.scope_unit_id)?.ok_or(Error::NotFound)?;
        let context = Context { importer, target };
        let reason = format!("Nhập từ tệp “{}”", batch.file_name);
        store::set_actor(conn, Some(importer.id), Some(&reason))?;
        let imports::Plan {
            mut preview,
            writes,
        } = imports::plan(conn, file.clone(), &context)?;
        if preview.has_errors() {
            return Err(Abort::Refused(Box::new(preview)));
        }
        let new_accounts = match writes.apply(conn, importer.id, passwords) {
            Ok(accounts) => accounts,
            Err(ApplyError::Conflict) => {
                preview.errors.push(RowError::file(CHANGED_MEANWHILE));
                return Err(Abort::Refused(Box::new(preview)));
            }
            Err(ApplyError::Failed(error)) => return Err(error.into()),
        };
        store::imports::mark_applied(conn, batch.id)?;
        Ok(Confirmed::Applied(Applied {
            counts: preview.counts,
            new_accounts,
        }))
    });
    let confirmed = match outcome {
        Ok(confirmed) => confirmed,
        Err(Abort::Refused(preview)) => Confirmed::Refused(*preview),
        Err(Abort::Failed(error)) => return Err(error),
    };
    Ok((confirmed, staged(conn, importer, scope, batch_id)?))
}
