//! Registration and reporting deadlines, and registration reopened for a unit.

use chrono::NaiveDate;
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::Integer;
use serde::Serialize;

use crate::domain::Scope;
use crate::schema::{deadlines, registration_reopenings, units};
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

/// Whether registration was reopened for this unit or a unit above it.
pub fn is_reopened(conn: &mut PgConnection, unit_id: i32, year: i32) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        registration_reopenings::table
            .inner_join(units::table)
            .filter(registration_reopenings::year.eq(year))
            .filter(unit_above_or_at(unit_id)),
    ))
    .get_result(conn)
}

/// Reopens registration for a year for a unit looked up in the actor's scope (and the
/// units under it), inside the caller's transaction; reopening twice changes nothing.
pub fn reopen(
    conn: &mut PgConnection,
    actor_id: i32,
    unit: &InScope<Unit>,
    year: i32,
) -> QueryResult<()> {
    diesel::insert_into(registration_reopenings::table)
        .values((
            registration_reopenings::year.eq(year),
            registration_reopenings::unit_id.eq(unit.id),
            registration_reopenings::reopened_by.eq(actor_id),
        ))
        .on_conflict_do_nothing()
        .execute(conn)?;
    Ok(())
}

/// The units (by id) under `under` (or itself) reopened for a year, for the buttons of
/// its dashboard's list of units that have not registered.
pub fn reopened_units(conn: &mut PgConnection, under: i32, year: i32) -> QueryResult<Vec<i32>> {
    registration_reopenings::table
        .inner_join(units::table)
        .filter(registration_reopenings::year.eq(year))
        .filter(unit_in_scope(Scope::Subtree(under)))
        .select(registration_reopenings::unit_id)
        .load(conn)
}
