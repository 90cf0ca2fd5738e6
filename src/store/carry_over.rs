//! Carrying an unfinished initiative into the next year, and the links between the two.
//! Part of the initiatives aggregate, kept beside it so that file stays readable.

use diesel::prelude::*;
use serde::Serialize;

use crate::domain::Review;
use crate::domain::Scope;
use crate::domain::carry_over::{carried_dates, is_carriable};
use crate::schema::{initiatives, units};
use crate::store::initiatives::{Initiative, InitiativeListed};
use crate::store::{InScope, set_actor, unit_in_scope, write_transaction};

/// One end of a carry-over, as the detail page links to it.
#[derive(Debug, Clone, Copy, Serialize, Queryable)]
pub struct CarryLink {
    pub id: i32,
    pub year: i32,
}

/// Where an initiative came from and where it went, among those in scope.
#[derive(Debug, Clone, Default, Serialize)]
pub struct CarryLinks {
    pub from: Option<CarryLink>,
    pub to: Option<CarryLink>,
}

/// The carry-over links of initiative `id`, limited to the scope.
pub fn links(conn: &mut PgConnection, scope: Scope, id: i32) -> QueryResult<CarryLinks> {
    let from_id: Option<Option<i32>> = initiatives::table
        .filter(initiatives::id.eq(id))
        .select(initiatives::carried_from_id)
        .first(conn)
        .optional()?;
    let from = match from_id.flatten() {
        Some(from_id) => initiatives::table
            .inner_join(units::table)
            .filter(initiatives::id.eq(from_id))
            .filter(unit_in_scope(scope))
            .select((initiatives::id, initiatives::year))
            .first(conn)
            .optional()?,
        None => None,
    };
    let to = initiatives::table
        .inner_join(units::table)
        .filter(initiatives::carried_from_id.eq(id))
        .filter(unit_in_scope(scope))
        .select((initiatives::id, initiatives::year))
        .first(conn)
        .optional()?;
    Ok(CarryLinks { from, to })
}

/// How a carry-over went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CarryOutcome {
    /// The id of the new initiative of the next year.
    Carried(i32),
    /// Gone (purged meanwhile).
    NotFound,
    /// It was carried over already (perhaps a moment ago, by someone else).
    AlreadyCarried,
    /// Its state no longer allows it (someone acted first).
    StateChanged,
    /// Its unit no longer works: nothing can be registered for it.
    UnitInactive,
    /// The next year is past the last one the application keeps.
    NoNextYear,
}

/// Registers the initiative (found in scope) again for the next year, linked to it, in
/// one transaction:
/// the original row is locked and its state checked again, so of two carries at once
/// one goes through and the other finds it carried. The new registration waits for
/// the bloc's approval. The audit log records who, when and `reason` on both.
pub fn carry_over(
    conn: &mut PgConnection,
    actor_id: i32,
    initiative: &InScope<InitiativeListed>,
    reason: Option<&str>,
) -> QueryResult<CarryOutcome> {
    let id = initiative.initiative.id;
    write_transaction(conn, |conn| {
        set_actor(conn, Some(actor_id), reason)?;
        let original: Option<Initiative> = initiatives::table
            .filter(initiatives::id.eq(id))
            .select(Initiative::as_select())
            .for_update()
            .first(conn)
            .optional()?;
        let Some(original) = original else {
            return Ok(CarryOutcome::NotFound);
        };
        let carried: i64 = initiatives::table
            .filter(initiatives::carried_from_id.eq(id))
            .count()
            .get_result(conn)?;
        if carried > 0 {
            return Ok(CarryOutcome::AlreadyCarried);
        }
        if !is_carriable(original.status, original.review) {
            return Ok(CarryOutcome::StateChanged);
        }
        let unit_active: bool = units::table
            .filter(units::id.eq(original.unit_id))
            .select(units::active)
            .first(conn)?;
        if !unit_active {
            return Ok(CarryOutcome::UnitInactive);
        }
        let Some(dates) = carried_dates(original.year, original.start_date, original.due_date)
        else {
            return Ok(CarryOutcome::NoNextYear);
        };
        // ON CONFLICT: the unique index has the last word if a carry slipped in anyway.
        let new_id: Option<i32> = diesel::insert_into(initiatives::table)
            .values((
                initiatives::year.eq(dates.year.get()),
                initiatives::kind.eq(original.kind),
                initiatives::title.eq(&original.title),
                initiatives::field.eq(original.field),
                initiatives::description.eq(&original.description),
                initiatives::unit_id.eq(original.unit_id),
                initiatives::estimated_cost_vnd.eq(original.estimated_cost_vnd),
                initiatives::status.eq(original.status),
                initiatives::start_date.eq(dates.start_date),
                initiatives::due_date.eq(dates.due_date),
                initiatives::review.eq(Review::PendingApproval),
                initiatives::created_by.eq(actor_id),
                initiatives::updated_by.eq(actor_id),
                initiatives::carried_from_id.eq(id),
            ))
            .on_conflict(initiatives::carried_from_id)
            .do_nothing()
            .returning(initiatives::id)
            .get_result(conn)
            .optional()?;
        Ok(new_id.map_or(CarryOutcome::AlreadyCarried, CarryOutcome::Carried))
    })
}
