//! The "which unit, which year" choice that the dashboard, the list, the API and the
//! exports share, resolved inside the person's scope.

use diesel::PgConnection;

use crate::app::Error;
use crate::domain::{Scope, Year};
use crate::store::units::Unit;
use crate::store::{self, InScope};

/// The requested unit if it lies in scope (else 404), or the scope's own top unit.
pub fn resolve_unit(
    conn: &mut PgConnection,
    scope: Scope,
    requested: Option<i32>,
) -> Result<Unit, Error> {
    let unit = match requested {
        Some(unit_id) => store::units::find_in_scope(conn, scope, unit_id)?,
        None => store::units::default_root(conn, scope)?,
    };
    unit.map(InScope::into_inner).ok_or(Error::NotFound)
}

/// The requested year, or the newest year with data in scope, or this year.
pub fn resolve_year(
    conn: &mut PgConnection,
    scope: Scope,
    requested: Option<Year>,
) -> Result<(Year, Vec<i32>), Error> {
    let years = store::stats::years(conn, scope)?;
    let year = requested
        .or_else(|| years.first().copied().and_then(Year::new))
        .unwrap_or_else(Year::current);
    Ok((year, year_choices(years, Some(year))))
}

/// What a year selector offers: the years with data, the selected one and this year,
/// newest first, so that the selected year is always among the choices.
pub fn year_choices(mut years: Vec<i32>, selected: Option<Year>) -> Vec<i32> {
    for extra in selected.into_iter().chain([Year::current()]).map(Year::get) {
        if !years.contains(&extra) {
            years.push(extra);
        }
    }
    years.sort_unstable_by(|a, b| b.cmp(a));
    years
}
