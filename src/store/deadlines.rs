//! Registration and reporting deadlines, and registration reopened for a unit until an
//! end date.

use chrono::NaiveDate;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::Integer;
use serde::Serialize;

use crate::domain::Scope;
use crate::schema::{deadlines, registration_reopenings, units, users};
use crate::store::units::Unit;
use crate::store::{InScope, unit_above_or_at, unit_in_scope};

#[derive(Debug, Clone, Queryable, Serialize)]
pub struct Deadline {
    pub year: i32,
    pub unit_id: i32,
    pub unit_name: String,
    pub registration_deadline: Option<NaiveDate>,
    pub reporting_deadline: Option<NaiveDate>,
}

/// The deadlines that apply to a unit: each one is taken from the nearest unit above it
/// (or the unit itself) that set it, so a unit that sets only its reporting deadline still
/// keeps the registration deadline of its bloc. `unit_id` and `unit_name` name the nearest
/// unit that set either.
pub fn for_unit(conn: &mut PgConnection, unit_id: i32, year: i32) -> QueryResult<Option<Deadline>> {
    let rows: Vec<Deadline> = deadlines::table
        .inner_join(units::table)
        .filter(deadlines::year.eq(year))
        .filter(unit_above_or_at(unit_id))
        .filter(
            deadlines::registration_deadline
                .is_not_null()
                .or(deadlines::reporting_deadline.is_not_null()),
        )
        .order(sql::<Integer>("nlevel(units.path)").desc())
        .select(DEADLINE_COLUMNS)
        .load(conn)?;
    let mut rows = rows.into_iter();
    let Some(mut effective) = rows.next() else {
        return Ok(None);
    };
    for above in rows {
        effective.registration_deadline = effective
            .registration_deadline
            .or(above.registration_deadline);
        effective.reporting_deadline = effective.reporting_deadline.or(above.reporting_deadline);
    }
    Ok(Some(effective))
}

/// The deadlines set on this very unit for a year, if any.
pub fn own(conn: &mut PgConnection, unit_id: i32, year: i32) -> QueryResult<Option<Deadline>> {
    deadlines::table
        .inner_join(units::table)
        .filter(deadlines::year.eq(year))
        .filter(deadlines::unit_id.eq(unit_id))
        .select(DEADLINE_COLUMNS)
        .first(conn)
        .optional()
}

const DEADLINE_COLUMNS: (
    deadlines::year,
    deadlines::unit_id,
    units::name,
    deadlines::registration_deadline,
    deadlines::reporting_deadline,
) = (
    deadlines::year,
    deadlines::unit_id,
    units::name,
    deadlines::registration_deadline,
    deadlines::reporting_deadline,
);

/// Sets (or clears, with `None`) the deadlines of a unit looked up in the actor's
/// scope for a year, inside the caller's transaction.
pub fn set(
    conn: &mut PgConnection,
    actor_id: i32,
    unit: &InScope<Unit>,
    year: i32,
    registration: Option<NaiveDate>,
    reporting: Option<NaiveDate>,
) -> QueryResult<()> {
    diesel::insert_into(deadlines::table)
        .values((
            deadlines::year.eq(year),
            deadlines::unit_id.eq(unit.id),
            deadlines::registration_deadline.eq(registration),
            deadlines::reporting_deadline.eq(reporting),
            deadlines::updated_by.eq(actor_id),
        ))
        .on_conflict((deadlines::year, deadlines::unit_id))
        .do_update()
        .set((
            deadlines::registration_deadline.eq(registration),
            deadlines::reporting_deadline.eq(reporting),
            deadlines::updated_by.eq(actor_id),
            deadlines::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)?;
    Ok(())
}

/// Registration reopened for a unit (and the units under it) for a year, until an end
/// date, by a reviewer. Reopenings are not in the audit log (deadlines are not either):
/// the row itself keeps who reopened it last and when.
#[derive(Debug, Clone, Queryable, Serialize)]
pub struct Reopening {
    pub unit_id: i32,
    pub unit_name: String,
    /// The last day a secretary may register.
    pub until: NaiveDate,
    /// The display name of who reopened it.
    pub reopened_by: String,
}

const REOPENING_COLUMNS: (
    registration_reopenings::unit_id,
    units::name,
    registration_reopenings::until,
    users::display_name,
) = (
    registration_reopenings::unit_id,
    units::name,
    registration_reopenings::until,
    users::display_name,
);

/// Which running reopenings a read wants.
enum Reopened<'a> {
    /// Those that apply to the unit: its own and those of the units above it.
    AboveOrAt(i32),
    /// Those made on one of these units.
    Among(&'a [i32]),
    /// Those made on the unit or the units under it.
    Under(i32),
}

/// The reopenings of a year still running on `today`, latest end first, at most `limit`.
fn running(
    conn: &mut PgConnection,
    which: Reopened<'_>,
    year: i32,
    today: NaiveDate,
    limit: i64,
) -> QueryResult<Vec<Reopening>> {
    let query = registration_reopenings::table
        .inner_join(units::table)
        .inner_join(users::table)
        .into_boxed()
        .filter(registration_reopenings::year.eq(year))
        .filter(registration_reopenings::until.ge(today));
    let query = match which {
        Reopened::AboveOrAt(unit_id) => query.filter(unit_above_or_at(unit_id)),
        Reopened::Among(unit_ids) => {
            query.filter(registration_reopenings::unit_id.eq_any(unit_ids.to_vec()))
        }
        Reopened::Under(unit_id) => query.filter(unit_in_scope(Scope::Subtree(unit_id))),
    };
    query
        .order((registration_reopenings::until.desc(), units::name.asc()))
        .limit(limit)
        .select(REOPENING_COLUMNS)
        .load(conn)
}

/// The reopening that lets a unit register for a year today: its own or one of a unit
/// above it, still running on `today`; the one that lasts longest if several do.
pub fn reopening_for(
    conn: &mut PgConnection,
    unit_id: i32,
    year: i32,
    today: NaiveDate,
) -> QueryResult<Option<Reopening>> {
    let mut rows = running(conn, Reopened::AboveOrAt(unit_id), year, today, 1)?;
    Ok(rows.pop())
}

/// Whether registration is reopened today for this unit or a unit above it.
pub fn is_reopened(
    conn: &mut PgConnection,
    unit_id: i32,
    year: i32,
    today: NaiveDate,
) -> QueryResult<bool> {
    Ok(reopening_for(conn, unit_id, year, today)?.is_some())
}

/// Reopens registration for a year until `until` for a unit looked up in the actor's
/// scope (and the units under it), inside the caller's transaction; reopening it again
/// sets the new end date, and who reopened it.
pub fn reopen(
    conn: &mut PgConnection,
    actor_id: i32,
    unit: &InScope<Unit>,
    year: i32,
    until: NaiveDate,
) -> QueryResult<()> {
    diesel::insert_into(registration_reopenings::table)
        .values((
            registration_reopenings::year.eq(year),
            registration_reopenings::unit_id.eq(unit.id),
            registration_reopenings::reopened_by.eq(actor_id),
            registration_reopenings::until.eq(until),
        ))
        .on_conflict((
            registration_reopenings::year,
            registration_reopenings::unit_id,
        ))
        .do_update()
        .set((
            registration_reopenings::reopened_by.eq(actor_id),
            registration_reopenings::reopened_at.eq(diesel::dsl::now),
            registration_reopenings::until.eq(until),
        ))
        .execute(conn)?;
    Ok(())
}

/// Which of these units have registration reopened on themselves, still running on
/// `today`, for the dashboard's list of units that have not registered (a few ids).
pub fn reopened_among(
    conn: &mut PgConnection,
    unit_ids: &[i32],
    year: i32,
    today: NaiveDate,
) -> QueryResult<Vec<Reopening>> {
    let limit = i64::try_from(unit_ids.len()).unwrap_or(i64::MAX);
    running(conn, Reopened::Among(unit_ids), year, today, limit)
}

/// The first `limit` reopenings still running on `today` for units under `under` (or
/// itself), latest end first, for the deadlines page.
pub fn reopenings_under(
    conn: &mut PgConnection,
    under: i32,
    year: i32,
    today: NaiveDate,
    limit: i64,
) -> QueryResult<Vec<Reopening>> {
    running(conn, Reopened::Under(under), year, today, limit)
}
