//! Deadlines per year and unit, set by reviewers and admins within their scope, and
//! registration reopened for a unit after its deadline, until an end date.

use chrono::NaiveDate;
use diesel::PgConnection;

use crate::app::Error;
use crate::app::selection::resolve_unit;
use crate::app::unit_picker::{PickerInput, UnitPicker};
use crate::app::units::in_scope;
use crate::auth::CurrentUser;
use crate::domain::{Role, Year, registration, today_in_vietnam};
use crate::store::{self, write_transaction};

pub use crate::store::deadlines::{Deadline, Reopening};
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
    /// The reopening that lets the unit register today, if any (its own or from above).
    pub reopening: Option<Reopening>,
    /// The first [`REOPENINGS_SHOWN`] reopenings running under the unit (or on it).
    pub reopenings: Vec<Reopening>,
    /// The unit picker of the reopening form.
    pub reopen_picker: UnitPicker,
}

/// How many running reopenings the deadlines page lists.
pub const REOPENINGS_SHOWN: i64 = 20;

/// What the reopening form of the deadlines page holds for its unit picker.
#[derive(Debug, Clone, Default)]
pub struct ReopenPick {
    /// The chosen unit as the form holds it; empty: the page's unit.
    pub unit: String,
    pub input: PickerInput,
}

/// Reviewers and admins set deadlines and report settings; secretaries only read them.
pub(crate) fn require_reviewer(actor: &CurrentUser) -> Result<(), Error> {
    match actor.role {
        Role::Reviewer | Role::Admin => Ok(()),
        Role::Secretary => Err(Error::Forbidden),
    }
}

/// The deadlines page of the requested unit (by default the top of the scope) for a
/// year, with the reopenings running under it and the reopening form's unit picker,
/// read in one snapshot.
pub fn page(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    requested_unit: Option<i32>,
    year: Year,
    pick: &ReopenPick,
) -> Result<DeadlinePage, Error> {
    require_reviewer(actor)?;
    let today = today_in_vietnam();
    store::read_snapshot(conn, |conn| {
        let unit = resolve_unit(conn, actor.scope(), requested_unit)?;
        let own = store::deadlines::own(conn, unit.id, year.get())?;
        let inherited = match unit.parent_id {
            Some(parent_id) => store::deadlines::for_unit(conn, parent_id, year.get())?,
            None => None,
        };
        let reopening = store::deadlines::reopening_for(conn, unit.id, year.get(), today)?;
        let reopenings =
            store::deadlines::reopenings_under(conn, unit.id, year.get(), today, REOPENINGS_SHOWN)?;
        let chosen = match pick.unit.trim() {
            "" => unit.id.to_string(),
            typed => typed.to_owned(),
        };
        let reopen_picker =
            UnitPicker::load(conn, actor.scope(), true, "unit", &chosen, &pick.input)?;
        Ok(DeadlinePage {
            unit,
            own,
            inherited,
            reopening,
            reopenings,
            reopen_picker,
        })
    })
}

/// The reopening that lets a secretary's own unit register for `year` after its
/// deadline, if the deadline has passed and one is running (for the register form).
pub fn own_reopening(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    year: Year,
) -> Result<Option<Reopening>, Error> {
    let (Some(unit_id), true) = (actor.unit_id, registration::deadline_binds(actor.role)) else {
        return Ok(None);
    };
    let today = today_in_vietnam();
    store::read_snapshot(conn, |conn| {
        let deadline = store::deadlines::for_unit(conn, unit_id, year.get())?
            .and_then(|deadline| deadline.registration_deadline);
        if deadline.is_none_or(|deadline| today <= deadline) {
            return Ok(None);
        }
        Ok(store::deadlines::reopening_for(
            conn,
            unit_id,
            year.get(),
            today,
        )?)
    })
}

/// The day a reopening offered on a form ends unless the reviewer changes it.
pub fn suggested_reopening_end() -> NaiveDate {
    today_in_vietnam() + chrono::Duration::days(registration::REOPENING_SUGGESTED_DAYS)
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
/// deadline until `until` (checked by `registration::reopening_until`), in one
/// transaction with the scope check; the unit, for the answer.
pub fn reopen(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    unit_id: i32,
    year: Year,
    until: NaiveDate,
) -> Result<Unit, Error> {
    require_reviewer(actor)?;
    write_transaction(conn, |conn| {
        let unit = in_scope(conn, actor, unit_id)?;
        store::deadlines::reopen(conn, actor.id, &unit, year.get(), until)?;
        Ok(unit.into_inner())
    })
}
