//! The secretary's to-do page ("Việc cần làm"): the first few initiatives of a year (or
//! of every year) in some review states, soonest due first, and how many there are in
//! all, in scope.

use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::BigInt;

use crate::domain::workflow::Review;
use crate::domain::{Scope, Status};
use crate::schema::{initiatives, units};
use crate::store::initiatives::{Initiative, InitiativeListed, carried_over_to, in_states};
use crate::store::unit_in_scope;

/// Which of a year's initiatives one list of the page holds.
#[derive(Debug, Clone, Copy)]
pub struct TodoFilter<'a> {
    /// The year, or `None` for every year (what was returned waits whatever its year,
    /// as the menu's badge counts it).
    pub year: Option<i32>,
    pub states: &'a [Review],
    /// Only those still being carried out (neither completed nor given up): what owes a
    /// completion report.
    pub still_running: bool,
}

/// The first `limit` initiatives of the list, soonest due first, and how many the list
/// holds in all (counted in the same query, before the limit).
pub fn first(
    conn: &mut PgConnection,
    scope: Scope,
    filter: TodoFilter<'_>,
    limit: i64,
) -> QueryResult<(Vec<InitiativeListed>, i64)> {
    let mut query = initiatives::table
        .inner_join(units::table)
        .into_boxed()
        .filter(unit_in_scope(scope))
        .filter(in_states(filter.states));
    if let Some(year) = filter.year {
        query = query.filter(initiatives::year.eq(year));
    }
    if filter.still_running {
        query = query
            .filter(initiatives::status.ne(Status::Completed))
            .filter(initiatives::status.ne(Status::Cancelled));
    }
    let rows: Vec<(Initiative, String, Option<i32>, i64)> = query
        .order((initiatives::due_date.asc(), initiatives::id.asc()))
        .limit(limit)
        .select((
            Initiative::as_select(),
            units::name,
            carried_over_to(),
            sql::<BigInt>("count(*) OVER ()"),
        ))
        .load(conn)?;
    let total = rows.first().map_or(0, |row| row.3);
    let listed = rows
        .into_iter()
        .map(|(initiative, unit_name, carried, _)| {
            InitiativeListed::from_row((initiative, unit_name, carried))
        })
        .collect();
    Ok((listed, total))
}
