//! Staged spreadsheet imports (`import_batches`): the file kept between the preview and
//! the confirmation, readable only by the person who uploaded it, applied at most once.

use chrono::{DateTime, Utc};
use diesel::prelude::*;

use crate::domain::ImportKind;
use crate::schema::import_batches;
use crate::store::write_transaction;

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = import_batches)]
pub struct Batch {
    pub id: i32,
    pub kind: ImportKind,
    pub file_name: String,
    pub bytes: Vec<u8>,
    pub sha256: String,
    /// The unit whose subtree bounds the import; `None`: the whole tree (admins).
    pub scope_unit_id: Option<i32>,
    pub created_by: i32,
    pub created_at: DateTime<Utc>,
    pub applied_at: Option<DateTime<Utc>>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = import_batches)]
pub struct NewBatch<'a> {
    pub kind: ImportKind,
    pub file_name: &'a str,
    pub bytes: &'a [u8],
    pub sha256: &'a str,
    pub scope_unit_id: Option<i32>,
    pub created_by: i32,
}

/// Stages a file; returns the batch's id. Unapplied batches older than a day go first.
pub fn stage(conn: &mut PgConnection, batch: &NewBatch<'_>) -> QueryResult<i32> {
    write_transaction(conn, |conn| {
        delete_stale(conn)?;
        diesel::insert_into(import_batches::table)
            .values(batch)
            .returning(import_batches::id)
            .get_result(conn)
    })
}

/// Deletes the unapplied batches older than a day; returns how many.
pub fn delete_stale(conn: &mut PgConnection) -> QueryResult<usize> {
    diesel::delete(
        import_batches::table
            .filter(import_batches::applied_at.is_null())
            .filter(diesel::dsl::sql::<diesel::sql_types::Bool>(
                "import_batches.created_at < now() - interval '1 day'",
            )),
    )
    .execute(conn)
}

/// A batch its uploader may see; `None` for anyone else's, or one that is gone.
pub fn find_own(conn: &mut PgConnection, id: i32, user_id: i32) -> QueryResult<Option<Batch>> {
    import_batches::table
        .filter(import_batches::id.eq(id))
        .filter(import_batches::created_by.eq(user_id))
        .select(Batch::as_select())
        .first(conn)
        .optional()
}

/// The same, locked until the end of the caller's transaction, so that two
/// confirmations of one batch run one after the other (the second sees it applied).
pub fn lock_own(conn: &mut PgConnection, id: i32, user_id: i32) -> QueryResult<Option<Batch>> {
    import_batches::table
        .filter(import_batches::id.eq(id))
        .filter(import_batches::created_by.eq(user_id))
        .select(Batch::as_select())
        .for_update()
        .first(conn)
        .optional()
}

/// Stamps the batch as applied (inside the transaction that applied it).
pub fn mark_applied(conn: &mut PgConnection, id: i32) -> QueryResult<usize> {
    diesel::update(
        import_batches::table
            .filter(import_batches::id.eq(id))
            .filter(import_batches::applied_at.is_null()),
    )
    .set(import_batches::applied_at.eq(diesel::dsl::now))
    .execute(conn)
}

/// When a file with this content was last imported by anyone, if ever: the preview says so.
pub fn last_applied_same_file(
    conn: &mut PgConnection,
    kind: ImportKind,
    sha256: &str,
) -> QueryResult<Option<DateTime<Utc>>> {
    import_batches::table
        .filter(import_batches::kind.eq(kind))
        .filter(import_batches::sha256.eq(sha256))
        .select(diesel::dsl::max(import_batches::applied_at))
        .first(conn)
}
