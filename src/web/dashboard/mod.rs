//! GET /dashboard: the figures for one unit's subtree and one year, their charts, the
//! comparison with the year before and the trend over the last years.

mod charts;
mod comparison;

use actix_session::Session;
use actix_web::{HttpResponse, web};
use diesel::{PgConnection, QueryResult};
use serde::{Deserialize, Serialize};
use tera::Tera;

use crate::auth::CurrentUser;
use crate::db::{self, PgPool};
use crate::domain::today_in_vietnam;
use crate::error::AppError;
use crate::store::deadlines::Deadline;
use crate::store::stats::{
    ChildFigures, Coverage, FieldFigures, Headline, MissingUnit, Overdue, UnitToFollowUp,
};
use crate::store::units::Unit;
use crate::store::{self};
use crate::web::selection::{parse_unit, parse_year, resolve_unit, resolve_year};
use crate::web::{page_context, render};
use charts::{ChartData, DashboardCharts};
use comparison::Comparison;

/// How many years the trend shows, the selected one included.
const TREND_YEARS: i32 = 5;

#[derive(Deserialize)]
pub struct DashboardQuery {
    year: Option<String>,
    unit: Option<String>,
}

#[derive(Serialize)]
struct Dashboard {
    #[serde(flatten)]
    figures: Figures,
    charts: DashboardCharts,
}

/// Everything the page reads from the database, in one snapshot.
#[derive(Serialize)]
struct Figures {
    unit: Unit,
    breadcrumb: Vec<Unit>,
    year: i32,
    years: Vec<i32>,
    headline: Headline,
    coverage: Coverage,
    missing_units: Vec<MissingUnit>,
    /// False when too many units are missing to list here: the page gives the count and
    /// the per-child table shows where they are.
    missing_listed: bool,
    missing_count: i64,
    children: Vec<ChildFigures>,
    /// Figures of initiatives registered by the unit itself rather than a child.
    direct: Option<Headline>,
    fields: Vec<FieldFigures>,
    deadline: Option<Deadline>,
    /// Today is past the registration deadline.
    registration_closed: bool,
    /// Today is past the reporting deadline.
    reporting_overdue: bool,
    /// Units (among the missing) whose registration a reviewer reopened.
    reopened: Vec<i32>,
    not_reported: Vec<UnitToFollowUp>,
    not_reported_listed: bool,
    overdue: Vec<Overdue>,
    overdue_listed: bool,
    comparison: Comparison,
    /// The figures of the last years up to the selected one, oldest first.
    trend: Vec<YearFigures>,
}

/// The headline and coverage of one year, for the comparison and the trend.
pub use crate::store::stats::YearFigures;

/// Follow-up lists are for a committee that will call the people on them: above this
/// many entries (a province or the whole country) the page shows the count and lets the
/// reader drill down instead of listing thousands of names.
const FOLLOW_UP_LIST_MAX: i64 = 500;

/// GET /dashboard?year=Y&unit=ID: the unit's figures for the year (default: the scope's
/// top unit and its newest year), drawn and compared with the years before.
pub async fn show(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
    query: web::Query<DashboardQuery>,
) -> Result<HttpResponse, AppError> {
    let requested_year = parse_year(query.year.as_deref())?;
    let requested_unit = parse_unit(query.unit.as_deref())?;
    let scope = user.scope();
    // One trip, one snapshot: every figure on the page agrees with every other.
    let figures = db::run(&pool, move |conn| {
        store::read_snapshot(conn, |conn| {
            if requested_unit.is_none() && store::units::default_root(conn, scope)?.is_none() {
                return Ok(None);
            }
            read_figures(conn, scope, requested_unit, requested_year).map(Some)
        })
    })
    .await?;
    let mut context = page_context(&session, Some(&user));
    // The charts are laid out after the connection has gone back to the pool.
    let dashboard = figures.map(|figures| {
        let charts = DashboardCharts::build(&ChartData {
            unit_name: &figures.unit.name,
            headline: &figures.headline,
            children: &figures.children,
            direct: figures.direct.as_ref(),
            fields: &figures.fields,
            trend: &figures.trend,
        });
        Dashboard { figures, charts }
    });
    let has_dashboard = dashboard.is_some();
    context.insert("dashboard", &dashboard);
    if has_dashboard {
        crate::web::forms::insert_initiative_choices(&mut context);
    }
    render(&tera, "dashboard.html", &context)
}

/// The unit's figures for the year, with what the page lists and compares.
fn read_figures(
    conn: &mut PgConnection,
    scope: crate::domain::Scope,
    requested_unit: Option<i32>,
    requested_year: Option<crate::domain::Year>,
) -> Result<Figures, AppError> {
    let unit = resolve_unit(conn, scope, requested_unit)?;
    let (year, years) = resolve_year(conn, scope, requested_year)?;
    let year = year.get();
    let today = today_in_vietnam();
    let (trend, previous) = trend_and_previous(conn, unit.id, year, &years, today)?;
    let current = trend
        .last()
        .cloned()
        .ok_or(diesel::result::Error::NotFound)?;
    let (headline, coverage) = (current.headline.clone(), current.coverage.clone());
    let children = store::stats::by_child(conn, unit.id, year)?;
    let direct = store::stats::direct_figures(&headline, &children);
    let fields = store::stats::by_field(conn, unit.id, year)?;
    let deadline = store::deadlines::for_unit(conn, unit.id, year)?;
    let past = |date: Option<chrono::NaiveDate>| date.is_some_and(|date| today > date);
    let registration_closed = past(deadline.as_ref().and_then(|d| d.registration_deadline));
    let reporting_overdue = past(deadline.as_ref().and_then(|d| d.reporting_deadline));
    let missing = coverage.expected_units - coverage.registered_units;
    let missing_listed = missing <= FOLLOW_UP_LIST_MAX;
    let not_reported_listed = headline.awaiting_report <= FOLLOW_UP_LIST_MAX;
    let overdue_listed = headline.overdue <= FOLLOW_UP_LIST_MAX;
    Ok(Figures {
        not_reported: if not_reported_listed && headline.awaiting_report > 0 {
            store::stats::not_reported(conn, unit.id, year)?
        } else {
            Vec::new()
        },
        not_reported_listed,
        overdue: if overdue_listed && headline.overdue > 0 {
            store::stats::overdue(conn, unit.id, year, today)?
        } else {
            Vec::new()
        },
        overdue_listed,
        // Only the missing units' "reopen" buttons need them.
        reopened: if registration_closed && missing_listed && missing > 0 {
            store::deadlines::reopened_units(conn, unit.id, year)?
        } else {
            Vec::new()
        },
        registration_closed,
        reporting_overdue,
        deadline,
        breadcrumb: store::units::path_in_scope(conn, scope, unit.id)?,
        missing_units: if missing_listed && missing > 0 {
            store::stats::missing_units(conn, unit.id, year)?
        } else {
            Vec::new()
        },
        missing_listed,
        missing_count: missing,
        comparison: comparison::compare(&current, &previous),
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

/// The trend (up to [`TREND_YEARS`] years ending with `current`, oldest first, from the
/// first year with data in scope) and the year just before `current`.
fn trend_and_previous(
    conn: &mut PgConnection,
    unit_id: i32,
    year: i32,
    years: &[i32],
    today: chrono::NaiveDate,
) -> QueryResult<(Vec<YearFigures>, YearFigures)> {
    let first = years.iter().copied().min().unwrap_or(year);
    let start = first.max(year - TREND_YEARS + 1).min(year);
    // One query for the trend and the year before (which may lie before the trend).
    let mut figures = store::stats::by_year(conn, unit_id, start.min(year - 1), year, today)?;
    let previous = figures
        .iter()
        .find(|figures| figures.year == year - 1)
        .cloned()
        .ok_or(diesel::result::Error::NotFound)?;
    figures.retain(|figures| figures.year >= start);
    Ok((figures, previous))
}
