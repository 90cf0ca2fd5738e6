//! Deadlines per year and unit, set by reviewers and admins within their scope, and
//! registration reopened for a unit after its deadline.

use chrono::NaiveDate;
use diesel::PgConnection;

use crate::app::Error;
use crate::app::selection::resolve_unit;
use crate::app::units::in_scope;
use crate::auth::CurrentUser;
use crate::domain::{Role, Year};
use crate::store::{self, write_transaction};

pub use crate::store::deadlines::Deadline;
pub use crate::store::units::Unit;

/// A unit's own deadlines for a year; either may be left unset (the nearest unit above
/// that set it decides then). Reporting never ends before registration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Deadlines {
    registration: Option<NaiveDate>,
    reporting: Option<NaiveDate>,
}

/// The reporting deadline falls before the registration deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReportingBeforeRegistration;

impl Deadlines {
    pub fn new(
        registration: Option<NaiveDate>,
        reporting: Option<NaiveDate>,
    ) -> Result<Deadlines, ReportingBeforeRegistration> {
        match (registration, reporting) {
            (Some(registration), Some(reporting)) if reporting < registration => {
                Err(ReportingBeforeRegistration)
            }
            _ => Ok(Deadlines {
                registration,
                reporting,
            }),
        }
    }
}

/// What the deadlines page shows of a unit for a year.
#[derive(Debug)]
pub struct DeadlinePage {
    pub unit: Unit,
    /// The deadlines set on the unit itself.
    pub own: Option<Deadline>,
    /// What applies from the units above it when it sets nothing.
    pub inherited: Option<Deadline>,
}

/// Reviewers and admins set deadlines and report settings; secretaries only read them.
pub(crate) fn require_reviewer(actor: &CurrentUser) -> Result<(), Error> {
    match actor.role {
        Role::Reviewer | Role::Admin => Ok(()),
        Role::Secretary => Err(Error::Forbidden),
    }
}

/// The deadlines page of the requested unit (by default the top of the scope) for a
/// year, read in one snapshot.
pub fn page(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    requested_unit: Option<i32>,
    year: Year,
) -> Result<DeadlinePage, Error> {
    require_reviewer(actor)?;
    store::read_snapshot(conn, |conn| {
        let unit = resolve_unit(conn, actor.scope(), requested_unit)?;
        let own = store::deadlines::own(conn, unit.id, year.get())?;
        let inherited = match unit.parent_id {
            Some(parent_id) => store::deadlines::for_unit(conn, parent_id, year.get())?,
            None => None,
        };
        Ok(DeadlinePage {
            unit,
            own,
            inherited,
        })
    })
}

/// The unit, if it lies in the person's scope (for a form shown again).
pub fn unit(conn: &mut PgConnection, actor: &CurrentUser, id: i32) -> Result<Unit, Error> {
    Ok(in_scope(conn, actor, id)?.into_inner())
}

/// Sets (or clears) unit `unit_id`'s deadlines for a year, in one transaction with the
/// scope check; the unit, for the answer.
pub fn set(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    unit_id: i32,
    year: Year,
    deadlines: Deadlines,
) -> Result<Unit, Error> {
    require_reviewer(actor)?;
    write_transaction(conn, |conn| {
        let unit = in_scope(conn, actor, unit_id)?;
        store::deadlines::set(
            conn,
            actor.id,
            &unit,
            year.get(),
            deadlines.registration,
            deadlines.reporting,
        )?;
        Ok(unit.into_inner())
    })
}

/// Lets unit `unit_id` (and the units under it) register for a year after the
/// deadline, in one transaction with the scope check; the unit, for the answer.
pub fn reopen(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    unit_id: i32,
    year: Year,
) -> Result<Unit, Error> {
    require_reviewer(actor)?;
    write_transaction(conn, |conn| {
        let unit = in_scope(conn, actor, unit_id)?;
        store::deadlines::reopen(conn, actor.id, &unit, year.get())?;
        Ok(unit.into_inner())
    })
}
