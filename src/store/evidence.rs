//! Evidence file records (the bytes live in `crate::evidence::EvidenceStore`).

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use serde::Serialize;

use crate::domain::Scope;
use crate::domain::workflow::Review;
use crate::schema::{evidence_files, initiatives, units, users};
use crate::store::initiatives::InitiativeListed;
use crate::store::{InScope, set_actor, unit_in_scope, write_transaction};

/// A file as the detail page lists it.
#[derive(Debug, Clone, Queryable, Serialize)]
pub struct Evidence {
    pub id: i32,
    pub initiative_id: i32,
    pub sha256: String,
    pub original_name: String,
    pub content_type: String,
    pub size_bytes: i64,
    pub uploaded_at: DateTime<Utc>,
    pub uploaded_by_name: String,
    pub removed_at: Option<DateTime<Utc>>,
}

/// A stored file to record against an initiative.
#[derive(Debug, Clone)]
pub struct NewEvidence {
    pub sha256: String,
    pub original_name: String,
    pub content_type: &'static str,
    pub size_bytes: i64,
}

type EvidenceColumns = (
    evidence_files::id,
    evidence_files::initiative_id,
    evidence_files::sha256,
    evidence_files::original_name,
    evidence_files::content_type,
    evidence_files::size_bytes,
    evidence_files::uploaded_at,
    users::display_name,
    evidence_files::removed_at,
);

const COLUMNS: EvidenceColumns = (
    evidence_files::id,
    evidence_files::initiative_id,
    evidence_files::sha256,
    evidence_files::original_name,
    evidence_files::content_type,
    evidence_files::size_bytes,
    evidence_files::uploaded_at,
    users::display_name,
    evidence_files::removed_at,
);

/// Records files against an initiative (inside the caller's transaction, which found it
/// in scope: [`add`] and `initiatives::take_step`).
pub(in crate::store) fn insert(
    conn: &mut PgConnection,
    initiative_id: i32,
    actor_id: i32,
    files: &[NewEvidence],
) -> QueryResult<()> {
    if files.is_empty() {
        return Ok(());
    }
    let rows: Vec<_> = files
        .iter()
        .map(|file| {
            (
                evidence_files::initiative_id.eq(initiative_id),
                evidence_files::sha256.eq(&file.sha256),
                evidence_files::original_name.eq(&file.original_name),
                evidence_files::content_type.eq(file.content_type),
                evidence_files::size_bytes.eq(file.size_bytes),
                evidence_files::uploaded_by.eq(actor_id),
            )
        })
        .collect();
    diesel::insert_into(evidence_files::table)
        .values(rows)
        .execute(conn)?;
    Ok(())
}

/// What adding or removing files outside a workflow step led to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EvidenceChange {
    Done,
    /// The initiative left the review state the change was checked against (a reviewer
    /// acted meanwhile): nothing was changed.
    StateChanged,
    /// No such active file on that initiative.
    NoSuchFile,
}

/// Locks the initiative's row until the transaction ends, so a workflow step cannot run
/// between the check and the change, and tells whether it is still in `expected`.
fn lock_in_state(
    conn: &mut PgConnection,
    initiative_id: i32,
    expected: Review,
) -> QueryResult<bool> {
    initiatives::table
        .filter(initiatives::id.eq(initiative_id))
        .filter(initiatives::review.eq(expected))
        .select(initiatives::id)
        .for_update()
        .first::<i32>(conn)
        .optional()
        .map(|row| row.is_some())
}

/// Adds files to an initiative found in scope, outside a workflow step, as one audited
/// transaction, provided it is still in the review state it was found in (the one the
/// step was checked against).
pub fn add(
    conn: &mut PgConnection,
    actor_id: i32,
    initiative: &InScope<InitiativeListed>,
    files: &[NewEvidence],
) -> QueryResult<EvidenceChange> {
    let (initiative_id, checked) = (initiative.initiative.id, initiative.initiative.review);
    write_transaction(conn, |conn| {
        if !lock_in_state(conn, initiative_id, checked)? {
            return Ok(EvidenceChange::StateChanged);
        }
        set_actor(conn, Some(actor_id), None)?;
        insert(conn, initiative_id, actor_id, files)?;
        Ok(EvidenceChange::Done)
    })
}

/// Files of one initiative, newest first, including removed ones (the page says so).
pub fn list(conn: &mut PgConnection, initiative_id: i32) -> QueryResult<Vec<Evidence>> {
    evidence_files::table
        .inner_join(users::table.on(users::id.eq(evidence_files::uploaded_by)))
        .filter(evidence_files::initiative_id.eq(initiative_id))
        .order(evidence_files::id.desc())
        .select(COLUMNS)
        .load(conn)
}

/// One file, if its initiative lies in the scope.
pub fn find_in_scope(
    conn: &mut PgConnection,
    scope: Scope,
    file_id: i32,
) -> QueryResult<Option<Evidence>> {
    let units_in_scope = units::table.filter(unit_in_scope(scope)).select(units::id);
    let initiatives_in_scope = initiatives::table
        .filter(initiatives::unit_id.eq_any(units_in_scope))
        .select(initiatives::id);
    evidence_files::table
        .inner_join(users::table.on(users::id.eq(evidence_files::uploaded_by)))
        .filter(evidence_files::id.eq(file_id))
        .filter(evidence_files::initiative_id.eq_any(initiatives_in_scope))
        .select(COLUMNS)
        .first(conn)
        .optional()
}

pub fn active_count(conn: &mut PgConnection, initiative_id: i32) -> QueryResult<i64> {
    evidence_files::table
        .filter(evidence_files::initiative_id.eq(initiative_id))
        .filter(evidence_files::removed_at.is_null())
        .count()
        .get_result(conn)
}

/// Marks a file of an initiative found in scope removed (its bytes stay until the
/// initiative is purged), provided the initiative is still in the review state it was
/// found in.
pub fn remove(
    conn: &mut PgConnection,
    actor_id: i32,
    initiative: &InScope<InitiativeListed>,
    file_id: i32,
) -> QueryResult<EvidenceChange> {
    let (initiative_id, checked) = (initiative.initiative.id, initiative.initiative.review);
    write_transaction(conn, |conn| {
        if !lock_in_state(conn, initiative_id, checked)? {
            return Ok(EvidenceChange::StateChanged);
        }
        set_actor(conn, Some(actor_id), None)?;
        let changed = diesel::update(
            evidence_files::table
                .filter(evidence_files::id.eq(file_id))
                .filter(evidence_files::initiative_id.eq(initiative_id))
                .filter(evidence_files::removed_at.is_null()),
        )
        .set((
            evidence_files::removed_at.eq(diesel::dsl::now),
            evidence_files::removed_by.eq(actor_id),
        ))
        .execute(conn)?;
        Ok(if changed == 1 {
            EvidenceChange::Done
        } else {
            EvidenceChange::NoSuchFile
        })
    })
}

/// Whether any record still refers to these bytes.
pub fn is_referenced(conn: &mut PgConnection, sha256: &str) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        evidence_files::table.filter(evidence_files::sha256.eq(sha256)),
    ))
    .get_result(conn)
}
