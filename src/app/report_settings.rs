//! A unit's report settings for a year (number, date, place, signer, Nơi nhận, the
//! written sections) and its own document abbreviation, set by the reviewers and admins
//! whose scope holds the unit.

use chrono::NaiveDate;
use diesel::PgConnection;

use crate::app::Error;
use crate::app::deadlines::require_reviewer;
use crate::app::units::in_scope;
use crate::auth::CurrentUser;
use crate::domain::{Year, report};
use crate::store::{self, write_transaction};

pub use crate::store::report_settings::StoredSettings;
pub use crate::store::units::Unit;

/// What the settings page shows of a unit for a year.
#[derive(Debug)]
pub struct SettingsPage {
    pub unit: Unit,
    /// Stored for the year (the defaults when nothing was).
    pub stored: StoredSettings,
    /// The unit's own abbreviation, if it set one.
    pub own_abbreviation: Option<String>,
    /// What the number line uses when the unit sets none: its kind's.
    pub kind_abbreviation: String,
    /// The report's date when the settings give none.
    pub default_date: NaiveDate,
}

/// The settings page of unit `unit_id` (not found outside the scope) for a year, read
/// in one snapshot.
pub fn page(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    unit_id: i32,
    year: Year,
) -> Result<SettingsPage, Error> {
    require_reviewer(actor)?;
    store::read_snapshot(conn, |conn| {
        let unit = in_scope(conn, actor, unit_id)?.into_inner();
        let stored = store::report_settings::get(conn, unit.id, year.get())?.unwrap_or_default();
        let own_abbreviation = store::report_settings::abbreviation(conn, unit.id)?;
        let deadline = store::deadlines::for_unit(conn, unit.id, year.get())?;
        Ok(SettingsPage {
            kind_abbreviation: report::abbreviation(unit.kind, None, &unit.code).to_owned(),
            default_date: report::default_report_date(
                year.get(),
                deadline.and_then(|deadline| deadline.reporting_deadline),
            ),
            unit,
            stored,
            own_abbreviation,
        })
    })
}

/// Stores the settings of unit `unit_id` for a year and its own abbreviation, in one
/// transaction with the scope check; the unit, for the answer.
pub fn save(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    unit_id: i32,
    year: Year,
    settings: &StoredSettings,
    abbreviation: Option<&str>,
) -> Result<Unit, Error> {
    require_reviewer(actor)?;
    write_transaction(conn, |conn| {
        let unit = in_scope(conn, actor, unit_id)?;
        store::report_settings::set(conn, actor.id, &unit, year.get(), settings, abbreviation)?;
        Ok(unit.into_inner())
    })
}
