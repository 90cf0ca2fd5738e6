//! The JSON API under /api/v1: the same scoped queries as the pages, for other systems.

use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};

use crate::app;
use crate::app::api::InitiativeFilter;
use crate::auth::session::ApiUser;
use crate::db::{self, PgPool};
use crate::domain::Year;
use crate::error::AppError;
use crate::web::paging;
use crate::web::selection::{parse_unit, parse_year};

#[derive(Deserialize)]
pub struct StatsQuery {
    year: Option<String>,
    unit: Option<String>,
}

#[derive(Serialize)]
struct Stats {
    unit_id: i32,
    year: i32,
    registered: i64,
    in_progress: i64,
    completed: i64,
    cancelled: i64,
    estimated_cost_vnd: i64,
    actual_value_vnd: i64,
    expected_units: i64,
    registered_units: i64,
    awaiting_approval: i64,
    awaiting_acceptance: i64,
}

/// GET /api/v1/stats?year=Y[&unit=ID]: the dashboard's headline figures.
pub async fn stats(
    pool: web::Data<PgPool>,
    ApiUser(user): ApiUser,
    query: web::Query<StatsQuery>,
) -> Result<HttpResponse, AppError> {
    let year = parse_year(query.year.as_deref())?
        .unwrap_or_else(Year::current)
        .get();
    let requested_unit = parse_unit(query.unit.as_deref())?;
    let scope = user.scope();
    let (unit_id, figures) = db::run_app(&pool, move |conn| {
        app::api::stats(conn, scope, requested_unit, year)
    })
    .await?;
    let (headline, coverage) = (figures.headline, figures.coverage);
    Ok(HttpResponse::Ok().json(Stats {
        unit_id,
        year,
        registered: headline.registered,
        in_progress: headline.in_progress,
        completed: headline.completed,
        cancelled: headline.cancelled,
        estimated_cost_vnd: headline.estimated_cost_vnd,
        actual_value_vnd: headline.actual_value_vnd,
        expected_units: coverage.expected_units,
        registered_units: coverage.registered_units,
        awaiting_approval: headline.awaiting_approval,
        awaiting_acceptance: headline.awaiting_acceptance,
    }))
}

#[derive(Serialize)]
struct UnitJson {
    id: i32,
    code: String,
    name: String,
    kind: crate::domain::UnitKind,
    parent_id: Option<i32>,
    expected_to_register: bool,
    active: bool,
    /// Units anywhere below this one.
    sub_units: i64,
}

/// One page of units, and where the next one starts.
#[derive(Serialize)]
struct UnitsPage {
    units: Vec<UnitJson>,
    /// Pass as `after` for the next page; `null` on the last page.
    next: Option<i32>,
}

#[derive(Deserialize)]
pub struct UnitsQuery {
    limit: Option<String>,
    after: Option<String>,
    parent: Option<String>,
    q: Option<String>,
}

/// GET /api/v1/units[?parent=ID|q=TEXT][&limit=N][&after=CURSOR]: a page of the units
/// in the user's scope (by id; the children of `parent` by name; those matching `q` by
/// id), at most `limit` (default 100, at most 1000), with the cursor of the next page.
pub async fn units(
    pool: web::Data<PgPool>,
    ApiUser(user): ApiUser,
    query: web::Query<UnitsQuery>,
) -> Result<HttpResponse, AppError> {
    let limit = positive(query.limit.as_deref(), 100, 1000)?;
    let after = parse_unit(query.after.as_deref()).map_err(|_| AppError::BadRequest("after"))?;
    let parent = parse_unit(query.parent.as_deref())?;
    let text = crate::web::unit_picker::search_text(query.q.as_deref().unwrap_or_default());
    let scope = user.scope();
    let page = db::run_app(&pool, move |conn| {
        app::api::units(conn, scope, &text, parent, after, limit)
    })
    .await?;
    let units = page
        .units
        .into_iter()
        .map(|listed| UnitJson {
            id: listed.unit.id,
            code: listed.unit.code,
            name: listed.unit.name,
            kind: listed.unit.kind,
            parent_id: listed.unit.parent_id,
            expected_to_register: listed.unit.expected_to_register,
            active: listed.unit.active,
            sub_units: listed.sub_units,
        })
        .collect();
    Ok(HttpResponse::Ok().json(UnitsPage {
        units,
        next: page.next_after,
    }))
}

#[derive(Deserialize)]
pub struct InitiativesQuery {
    year: Option<String>,
    unit: Option<String>,
    limit: Option<String>,
    after: Option<String>,
    /// The offset paging this API had before cursors: refused, so that an old client
    /// does not read its first page again and again.
    page: Option<String>,
    per_page: Option<String>,
}

#[derive(Serialize)]
struct InitiativeJson {
    id: i32,
    unit_id: i32,
    year: i32,
    kind: crate::domain::InitiativeKind,
    title: String,
    field: crate::domain::Field,
    status: crate::domain::Status,
    estimated_cost_vnd: i64,
    actual_value_vnd: Option<i64>,
    version: i32,
}

/// One page of initiatives and the cursor of the next (`null` after the last page).
#[derive(Serialize)]
struct InitiativesPage {
    items: Vec<InitiativeJson>,
    next: Option<String>,
}

fn positive(input: Option<&str>, default: i64, max: i64) -> Result<i64, AppError> {
    match input.map(str::trim).filter(|value| !value.is_empty()) {
        None => Ok(default),
        Some(value) => value
            .parse::<i64>()
            .ok()
            .filter(|number| (1..=max).contains(number))
            .ok_or(AppError::BadRequest("limit")),
    }
}

/// GET /api/v1/initiatives?[year=Y][&unit=ID][&limit=N][&after=CURSOR]: the initiatives
/// in scope ordered by id, a page at a time; `next` is the `after` of the next page.
pub async fn initiatives(
    pool: web::Data<PgPool>,
    ApiUser(user): ApiUser,
    query: web::Query<InitiativesQuery>,
) -> Result<HttpResponse, AppError> {
    if query.page.is_some() || query.per_page.is_some() {
        return Err(AppError::BadRequest("page"));
    }
    let filter = InitiativeFilter {
        year: parse_year(query.year.as_deref())?.map(Year::get),
        unit_id: parse_unit(query.unit.as_deref())?,
        ..InitiativeFilter::default()
    };
    let limit = positive(query.limit.as_deref(), 100, 1000)?;
    let start = paging::page_start(query.after.as_deref(), None)?;
    let scope = user.scope();
    let page = db::run_app(&pool, move |conn| {
        app::api::initiatives(conn, scope, &filter, start, limit)
    })
    .await?;
    let next = page
        .rows
        .last()
        .filter(|_| page.has_next)
        .map(|row| paging::id_cursor(row.initiative.id));
    let items = page
        .rows
        .into_iter()
        .map(|row| {
            let item = row.initiative;
            InitiativeJson {
                id: item.id,
                unit_id: item.unit_id,
                year: item.year,
                kind: item.kind,
                title: item.title,
                field: item.field,
                status: item.status,
                estimated_cost_vnd: item.estimated_cost_vnd,
                actual_value_vnd: item.actual_value_vnd,
                version: item.version,
            }
        })
        .collect();
    Ok(HttpResponse::Ok().json(InitiativesPage { items, next }))
}
