//! The JSON API's reads (`web::api` writes the JSON): the same scoped queries as the
//! pages, each request in one snapshot.

use diesel::PgConnection;

use crate::app::Error;
use crate::app::selection::resolve_unit;
use crate::domain::cursor::PageStart;
use crate::domain::{Scope, today_in_vietnam};
use crate::store;
pub use crate::store::initiative_list::{InitiativeFilter, ListPage};
pub use crate::store::initiatives::InitiativeListed;
pub use crate::store::stats::YearFigures;
use crate::store::unit_search::Listing;
pub use crate::store::unit_search::UnitPage;

/// The headline figures and coverage of `requested_unit` (default: the scope's top
/// unit) for `year`, with the unit's id.
pub fn stats(
    conn: &mut PgConnection,
    scope: Scope,
    requested_unit: Option<i32>,
    year: i32,
) -> Result<(i32, YearFigures), Error> {
    store::read_snapshot(conn, |conn| {
        let unit = resolve_unit(conn, scope, requested_unit)?;
        let figures = store::stats::for_year(conn, unit.id, year, today_in_vietnam())?;
        Ok((unit.id, figures))
    })
}

/// A page of the units in scope: those matching `text` by id if it is not empty, else
/// the children of `parent` by name (not found unless it lies in scope), else all of
/// them by id; at most `limit`, after the unit `after`.
pub fn units(
    conn: &mut PgConnection,
    scope: Scope,
    text: &str,
    parent: Option<i32>,
    after: Option<i32>,
    limit: i64,
) -> Result<UnitPage, Error> {
    store::read_snapshot(conn, |conn| {
        let listing = match parent {
            _ if !text.is_empty() => Listing::Matching(text),
            Some(parent) => {
                store::units::find_in_scope(conn, scope, parent)?.ok_or(Error::NotFound)?;
                Listing::ChildrenOf(Some(parent))
            }
            None => Listing::All,
        };
        Ok(store::unit_search::page(
            conn, scope, listing, false, after, limit,
        )?)
    })
}

/// A page of the initiatives in scope matching `filter`, by id (not found when the
/// filter's unit lies outside the scope).
pub fn initiatives(
    conn: &mut PgConnection,
    scope: Scope,
    filter: &InitiativeFilter,
    start: PageStart<i32>,
    limit: i64,
) -> Result<ListPage<InitiativeListed>, Error> {
    store::read_snapshot(conn, |conn| {
        if let Some(unit_id) = filter.unit_id {
            store::units::find_in_scope(conn, scope, unit_id)?.ok_or(Error::NotFound)?;
        }
        Ok(store::initiative_list::page(
            conn, scope, filter, start, limit,
        )?)
    })
}
