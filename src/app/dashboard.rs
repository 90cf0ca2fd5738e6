//! The dashboard's reads: one unit's subtree for one year, with the year before and the
//! trend over the last years, all in one snapshot (`web::dashboard` lays out the charts
//! and words the comparison once the connection is back in the pool).

use chrono::NaiveDate;
use diesel::PgConnection;
use serde::Serialize;

use crate::app::Error;
use crate::app::selection::{resolve_unit, resolve_year};
use crate::domain::{Scope, Year, today_in_vietnam};
use crate::store;
use crate::store::deadlines::{Deadline, Reopening};
pub use crate::store::stats::{
    ChildFigures, Coverage, FieldFigures, Headline, MissingUnit, Overdue, Slice, UnitToFollowUp,
    YearFigures,
};
use crate::store::units::Unit;

/// How many years the trend shows, the selected one included.
const TREND_YEARS: i32 = 5;

/// Follow-up lists are for a committee that will call the people on them: above this
/// many entries (a province or the whole country) the page shows the count and lets the
/// reader drill down instead of listing thousands of names.
const FOLLOW_UP_LIST_MAX: i64 = 500;

/// The dashboard shows this many entries of each follow-up list, and links to the rest.
pub const FOLLOW_UP_SHOWN: i32 = 5;

/// Entries per page of a follow-up list's own page.
pub const FOLLOW_UP_PAGE: i32 = 50;

const FIRST_ENTRIES: Slice = Slice {
    limit: FOLLOW_UP_SHOWN,
    offset: 0,
};

/// Everything the page reads from the database, in one snapshot.
#[derive(Serialize)]
pub struct Figures {
    pub unit: Unit,
    pub breadcrumb: Vec<Unit>,
    pub year: i32,
    pub years: Vec<i32>,
    pub headline: Headline,
    pub coverage: Coverage,
    /// The first [`FOLLOW_UP_SHOWN`] of the missing units (`missing_count` in all).
    pub missing_units: Vec<MissingUnit>,
    /// False when too many units are missing to list here: the page gives the count and
    /// the per-child table shows where they are.
    pub missing_listed: bool,
    pub missing_count: i64,
    pub children: Vec<ChildFigures>,
    /// Figures of initiatives registered by the unit itself rather than a child.
    pub direct: Option<Headline>,
    pub fields: Vec<FieldFigures>,
    pub deadline: Option<Deadline>,
    /// Today is past the registration deadline.
    pub registration_closed: bool,
    /// Today is past the reporting deadline.
    pub reporting_overdue: bool,
    /// Reopenings running on units among the missing listed.
    pub reopened: Vec<Reopening>,
    /// The reopening that lets the unit itself register after the deadline, if any.
    pub reopening: Option<Reopening>,
    /// The end date the reopening forms offer.
    pub reopen_until: NaiveDate,
    /// The first [`FOLLOW_UP_SHOWN`] units that owe reports, and how many there are.
    pub not_reported: Vec<UnitToFollowUp>,
    pub not_reported_count: i64,
    pub not_reported_listed: bool,
    /// The first [`FOLLOW_UP_SHOWN`] overdue initiatives (`headline.overdue` in all).
    pub overdue: Vec<Overdue>,
    pub overdue_listed: bool,
    /// The selected year's figures (the trend's last), and the year before's, for the
    /// comparison.
    #[serde(skip)]
    pub current: YearFigures,
    #[serde(skip)]
    pub previous: YearFigures,
    /// The figures of the last years up to the selected one, oldest first.
    pub trend: Vec<YearFigures>,
}

/// The figures of `requested_unit` (default: the scope's top unit) for `requested_year`
/// (default: the newest year with data), in one READ ONLY, REPEATABLE READ snapshot, so
/// that every figure on the page agrees with every other. `None` when no unit is asked
/// for and the scope has none.
pub fn figures(
    conn: &mut PgConnection,
    scope: Scope,
    requested_unit: Option<i32>,
    requested_year: Option<Year>,
) -> Result<Option<Figures>, Error> {
    store::read_snapshot(conn, |conn| {
        if requested_unit.is_none() && store::units::default_root(conn, scope)?.is_none() {
            return Ok(None);
        }
        read_figures(conn, scope, requested_unit, requested_year).map(Some)
    })
}

/// The unit's figures for the year, with what the page lists and compares.
fn read_figures(
    conn: &mut PgConnection,
    scope: Scope,
    requested_unit: Option<i32>,
    requested_year: Option<Year>,
) -> Result<Figures, Error> {
    let unit = resolve_unit(conn, scope, requested_unit)?;
    let (year, years) = resolve_year(conn, scope, requested_year)?;
    let year = year.get();
    let today = today_in_vietnam();
    let (trend, previous) = trend_and_previous(conn, unit.id, year, &years, today)?;
    let current = trend.last().cloned().ok_or(Error::NotFound)?;
    let (headline, coverage) = (current.headline.clone(), current.coverage.clone());
    let children = store::stats::by_child(conn, unit.id, year)?;
    let direct = store::stats::direct_figures(&headline, &children);
    let fields = store::stats::by_field(conn, unit.id, year)?;
    let deadline = store::deadlines::for_unit(conn, unit.id, year)?;
    let past = |date: Option<NaiveDate>| date.is_some_and(|date| today > date);
    let registration_closed = past(deadline.as_ref().and_then(|d| d.registration_deadline));
    let reporting_overdue = past(deadline.as_ref().and_then(|d| d.reporting_deadline));
    let missing = coverage.expected_units - coverage.registered_units;
    let missing_listed = missing <= FOLLOW_UP_LIST_MAX;
    let not_reported_listed = headline.awaiting_report <= FOLLOW_UP_LIST_MAX;
    let overdue_listed = headline.overdue <= FOLLOW_UP_LIST_MAX;
    let missing_units = if missing_listed && missing > 0 {
        store::stats::missing_units(conn, unit.id, year, FIRST_ENTRIES)?
    } else {
        Vec::new()
    };
    // Only the missing units' "reopen" buttons need them.
    let reopened = reopened_among(conn, &missing_units, registration_closed, year, today)?;
    let not_reported = if not_reported_listed && headline.awaiting_report > 0 {
        store::stats::not_reported(conn, unit.id, year, FIRST_ENTRIES)?
    } else {
        Vec::new()
    };
    Ok(Figures {
        not_reported_count: not_reported.first().map_or(0, |first| first.total),
        not_reported,
        not_reported_listed,
        overdue: if overdue_listed && headline.overdue > 0 {
            store::stats::overdue(conn, unit.id, year, today, FIRST_ENTRIES)?
        } else {
            Vec::new()
        },
        overdue_listed,
        reopened,
        reopening: if registration_closed {
            store::deadlines::reopening_for(conn, unit.id, year, today)?
        } else {
            None
        },
        reopen_until: crate::app::deadlines::suggested_reopening_end(),
        registration_closed,
        reporting_overdue,
        deadline,
        breadcrumb: store::units::path_in_scope(conn, scope, unit.id)?,
        missing_units,
        missing_listed,
        missing_count: missing,
        current,
        previous,
        coverage,
        fields,
        trend,
        unit,
        year,
        years,
        headline,
        children,
        direct,
    })
}

/// The trend (up to [`TREND_YEARS`] years ending with `year`, oldest first, from the
/// first year with data in scope) and the year just before `year`.
fn trend_and_previous(
    conn: &mut PgConnection,
    unit_id: i32,
    year: i32,
    years: &[i32],
    today: NaiveDate,
) -> Result<(Vec<YearFigures>, YearFigures), Error> {
    let first = years.iter().copied().min().unwrap_or(year);
    let start = first.max(year - TREND_YEARS + 1).min(year);
    // One query for the trend and the year before (which may lie before the trend).
    let mut figures = store::stats::by_year(conn, unit_id, start.min(year - 1), year, today)?;
    let previous = figures
        .iter()
        .find(|figures| figures.year == year - 1)
        .cloned()
        .ok_or(Error::NotFound)?;
    figures.retain(|figures| figures.year >= start);
    Ok((figures, previous))
}

/// Which follow-up list a page shows in full.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowUpList {
    /// Units expected to register that have not.
    Missing,
    /// Units that still owe completion reports.
    NotReported,
    /// Initiatives past their due date and still open.
    Overdue,
}

impl FollowUpList {
    pub fn parse(input: &str) -> Option<FollowUpList> {
        match input {
            "missing" => Some(FollowUpList::Missing),
            "not_reported" => Some(FollowUpList::NotReported),
            "overdue" => Some(FollowUpList::Overdue),
            _ => None,
        }
    }
}

/// One page of a follow-up list: the entries of the kind asked for (the others empty).
#[derive(Serialize)]
pub struct FollowUpPage {
    pub unit: Unit,
    pub breadcrumb: Vec<Unit>,
    pub year: i32,
    pub list: FollowUpList,
    pub missing_units: Vec<MissingUnit>,
    pub not_reported: Vec<UnitToFollowUp>,
    pub overdue: Vec<Overdue>,
    /// How many the whole list holds.
    pub total: i64,
    /// 1-based, and how many pages the list fills (at least 1).
    pub page: i32,
    /// The number of the page's first entry.
    pub first: i64,
    pub pages: i32,
    pub registration_closed: bool,
    pub reopened: Vec<Reopening>,
    /// The end date the reopening buttons offer.
    pub reopen_until: NaiveDate,
}

/// The reopenings running on the listed missing units, once registration is closed.
fn reopened_among(
    conn: &mut PgConnection,
    missing_units: &[MissingUnit],
    registration_closed: bool,
    year: i32,
    today: NaiveDate,
) -> Result<Vec<Reopening>, Error> {
    if !registration_closed || missing_units.is_empty() {
        return Ok(Vec::new());
    }
    let ids: Vec<i32> = missing_units.iter().map(|unit| unit.id).collect();
    Ok(store::deadlines::reopened_among(conn, &ids, year, today)?)
}

/// Page `page` (1-based) of one follow-up list of `requested_unit`'s subtree for
/// `requested_year`, [`FOLLOW_UP_PAGE`] entries a page, in the person's scope.
pub fn follow_up(
    conn: &mut PgConnection,
    scope: Scope,
    requested_unit: Option<i32>,
    requested_year: Option<Year>,
    list: FollowUpList,
    page: i32,
) -> Result<FollowUpPage, Error> {
    store::read_snapshot(conn, |conn| {
        let unit = resolve_unit(conn, scope, requested_unit)?;
        let (year, _) = resolve_year(conn, scope, requested_year)?;
        let year = year.get();
        let today = today_in_vietnam();
        let page = page.max(1);
        let slice = Slice {
            limit: FOLLOW_UP_PAGE,
            offset: (page - 1).saturating_mul(FOLLOW_UP_PAGE),
        };
        let (mut missing_units, mut not_reported, mut overdue) = (vec![], vec![], vec![]);
        let total = match list {
            FollowUpList::Missing => {
                missing_units = store::stats::missing_units(conn, unit.id, year, slice)?;
                missing_units.first().map(|row| row.total)
            }
            FollowUpList::NotReported => {
                not_reported = store::stats::not_reported(conn, unit.id, year, slice)?;
                not_reported.first().map(|row| row.total)
            }
            FollowUpList::Overdue => {
                overdue = store::stats::overdue(conn, unit.id, year, today, slice)?;
                overdue.first().map(|row| row.total)
            }
        };
        // A page past the end holds nothing: there is nothing to show there.
        let total = match total {
            Some(total) => total,
            None if page > 1 => return Err(Error::NotFound),
            None => 0,
        };
        let deadline = store::deadlines::for_unit(conn, unit.id, year)?;
        let registration_closed = deadline
            .and_then(|d| d.registration_deadline)
            .is_some_and(|date| today > date);
        let reopened = reopened_among(conn, &missing_units, registration_closed, year, today)?;
        let pages =
            i32::try_from((total + i64::from(FOLLOW_UP_PAGE) - 1) / i64::from(FOLLOW_UP_PAGE))
                .unwrap_or(i32::MAX)
                .max(1);
        Ok(FollowUpPage {
            breadcrumb: store::units::path_in_scope(conn, scope, unit.id)?,
            unit,
            year,
            list,
            missing_units,
            not_reported,
            overdue,
            total,
            page,
            first: i64::from(slice.offset) + 1,
            pages,
            registration_closed,
            reopened,
            reopen_until: crate::app::deadlines::suggested_reopening_end(),
        })
    })
}
