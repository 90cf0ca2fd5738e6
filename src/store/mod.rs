//! All SQL lives here, one file per aggregate. Functions take a connection and plain
//! values; nothing here knows about HTTP. Every query that reads user-visible data is
//! limited to a [`Scope`] inside the SQL itself.

pub mod audit;
pub mod carry_over;
pub mod deadlines;
pub mod evidence;
pub mod home;
pub mod imports;
pub mod initiative_list;
pub mod initiatives;
pub mod list_sorted;
pub mod prepared;
pub mod report_settings;
pub mod scoped;
pub mod sessions;
pub mod sign_ins;
pub mod stats;
pub mod tx;
pub mod unit_search;
pub mod units;
pub mod users;

pub use scoped::InScope;
pub use tx::{read_snapshot, write_transaction};

use diesel::dsl::sql;
use diesel::expression::BoxableExpression;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Integer, Text};

use crate::domain::Scope;

/// `units.path` lies inside `scope`: the one condition that limits what a user sees.
pub(crate) fn unit_in_scope<QS>(scope: Scope) -> Box<dyn BoxableExpression<QS, Pg, SqlType = Bool>>
where
    QS: 'static,
{
    match scope {
        Scope::Everything => Box::new(sql::<Bool>("TRUE")),
        Scope::Subtree(root) => Box::new(
            sql::<Bool>("units.path <@ (SELECT scope_root.path FROM units scope_root WHERE scope_root.id = ")
                .bind::<Integer, _>(root)
                .sql(")"),
        ),
    }
}

/// `units.path` lies in the subtree of unit `root`.
pub(crate) fn unit_in_subtree<QS>(root: i32) -> Box<dyn BoxableExpression<QS, Pg, SqlType = Bool>>
where
    QS: 'static,
{
    Box::new(
        sql::<Bool>("units.path <@ (SELECT subtree_root.path FROM units subtree_root WHERE subtree_root.id = ")
            .bind::<Integer, _>(root)
            .sql(")"),
    )
}

/// `units.path` is unit `unit_id`'s path or an ancestor's (the unit and every unit above it).
pub(crate) fn unit_above_or_at<QS>(
    unit_id: i32,
) -> Box<dyn BoxableExpression<QS, Pg, SqlType = Bool>>
where
    QS: 'static,
{
    Box::new(
        sql::<Bool>("units.path @> (SELECT target.path FROM units target WHERE target.id = ")
            .bind::<Integer, _>(unit_id)
            .sql(")"),
    )
}

/// Names who makes the changes in this transaction (and why), for the audit triggers.
pub fn set_actor(
    conn: &mut PgConnection,
    actor_id: Option<i32>,
    reason: Option<&str>,
) -> QueryResult<()> {
    diesel::sql_query(
        "SELECT set_config('lamtheobac.actor_id', $1, true), set_config('lamtheobac.reason', $2, true)",
    )
    .bind::<Text, _>(actor_id.map(|id| id.to_string()).unwrap_or_default())
    .bind::<Text, _>(reason.unwrap_or_default())
    .execute(conn)?;
    Ok(())
}

/// The database answers a query (the health check).
pub fn ping(conn: &mut PgConnection) -> QueryResult<()> {
    diesel::sql_query("SELECT 1").execute(conn).map(drop)
}

/// True when the error is a unique-key violation (a code or username already taken).
/// Runs `work` in a savepoint of the caller's transaction: `None` when it broke a unique
/// index (a key taken by a concurrent write), which leaves the transaction usable.
pub fn unless_unique_violation<T>(
    conn: &mut PgConnection,
    work: impl FnOnce(&mut PgConnection) -> QueryResult<T>,
) -> QueryResult<Option<T>> {
    match conn.transaction(work) {
        Ok(done) => Ok(Some(done)),
        Err(error) if is_unique_violation(&error) => Ok(None),
        Err(error) => Err(error),
    }
}

pub fn is_unique_violation(error: &diesel::result::Error) -> bool {
    matches!(
        error,
        diesel::result::Error::DatabaseError(diesel::result::DatabaseErrorKind::UniqueViolation, _)
    )
}
