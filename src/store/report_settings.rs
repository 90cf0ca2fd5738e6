//! A unit's report settings per year, and its own document abbreviation.

use chrono::NaiveDate;
use diesel::prelude::*;
use serde::Serialize;

use crate::domain::report::SignerPosition;
use crate::schema::{report_settings, units};
use crate::store::units::Unit;
use crate::store::{InScope, set_actor};

/// What a reviewer stored for a unit's report of a year.
#[derive(Debug, Clone, Default, PartialEq, Eq, Queryable, Selectable, Insertable, Serialize)]
#[diesel(table_name = report_settings)]
pub struct StoredSettings {
    pub document_number: Option<i32>,
    pub report_date: Option<NaiveDate>,
    pub place: String,
    pub signer_name: String,
    pub signer_position: SignerPosition,
    pub recipients: String,
    pub assessment: String,
    pub next_year: String,
}

/// The settings stored for a unit and year, if any (the caller checked the scope).
pub fn get(
    conn: &mut PgConnection,
    unit_id: i32,
    year: i32,
) -> QueryResult<Option<StoredSettings>> {
    report_settings::table
        .filter(report_settings::unit_id.eq(unit_id))
        .filter(report_settings::year.eq(year))
        .select(StoredSettings::as_select())
        .first(conn)
        .optional()
}

/// The unit's own document abbreviation, if it set one.
pub fn abbreviation(conn: &mut PgConnection, unit_id: i32) -> QueryResult<Option<String>> {
    units::table
        .filter(units::id.eq(unit_id))
        .select(units::document_abbreviation)
        .first(conn)
        .optional()
        .map(Option::flatten)
}

/// Stores the settings of a unit looked up in the actor's scope for a year, and its own
/// abbreviation (`None` clears it), inside the caller's transaction.
pub fn set(
    conn: &mut PgConnection,
    actor_id: i32,
    unit: &InScope<Unit>,
    year: i32,
    settings: &StoredSettings,
    abbreviation: Option<&str>,
) -> QueryResult<()> {
    set_actor(conn, Some(actor_id), None)?;
    diesel::insert_into(report_settings::table)
        .values((
            report_settings::unit_id.eq(unit.id),
            report_settings::year.eq(year),
            settings,
            report_settings::updated_by.eq(actor_id),
        ))
        .on_conflict((report_settings::unit_id, report_settings::year))
        .do_update()
        .set((
            report_settings::document_number.eq(settings.document_number),
            report_settings::report_date.eq(settings.report_date),
            report_settings::place.eq(&settings.place),
            report_settings::signer_name.eq(&settings.signer_name),
            report_settings::signer_position.eq(settings.signer_position),
            report_settings::recipients.eq(&settings.recipients),
            report_settings::assessment.eq(&settings.assessment),
            report_settings::next_year.eq(&settings.next_year),
            report_settings::updated_by.eq(actor_id),
            report_settings::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)?;
    diesel::update(units::table.filter(units::id.eq(unit.id)))
        .filter(units::document_abbreviation.is_distinct_from(abbreviation))
        .set(units::document_abbreviation.eq(abbreviation))
        .execute(conn)?;
    Ok(())
}
