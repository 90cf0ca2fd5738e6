//! GET /dashboard: the figures for one unit's subtree and one year, their charts, the
//! comparison with the year before and the trend over the last years.

mod charts;
mod comparison;
mod sorting;

use actix_session::Session;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use tera::Tera;

use crate::app;
use crate::app::dashboard::Figures;
use crate::auth::CurrentUser;
use crate::db::{self, PgPool};
use crate::error::AppError;
use crate::web::selection::{parse_unit, parse_year};
use crate::web::{page_context, render};
use charts::{ChartData, DashboardCharts};
use comparison::Comparison;

#[derive(Deserialize)]
pub struct DashboardQuery {
    year: Option<String>,
    unit: Option<String>,
    sort: Option<String>,
    dir: Option<String>,
}

#[derive(Serialize)]
struct Dashboard {
    #[serde(flatten)]
    figures: Figures,
    comparison: Comparison,
    charts: DashboardCharts,
    /// The child-unit table's column headers, with their sorting links.
    child_headers: Vec<sorting::Header>,
    /// The table was sorted on request (it is then shown open).
    child_sorted: bool,
    /// How many entries of a follow-up list the page shows before "Xem tất cả".
    follow_up_shown: i32,
}

/// The headline and coverage of one year, for the comparison and the trend.
pub use crate::app::dashboard::YearFigures;

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
    let child_sort = sorting::ChildSort::parse(query.sort.as_deref(), query.dir.as_deref())?;
    let scope = user.scope();
    // One trip, one snapshot: every figure on the page agrees with every other.
    let figures = db::run_app(&pool, move |conn| {
        app::dashboard::figures(conn, scope, requested_unit, requested_year)
    })
    .await?;
    let mut context = page_context(&session, Some(&user));
    // The charts are laid out, and the comparison worded, after the connection has
    // gone back to the pool.
    let dashboard = figures.map(|mut figures| {
        let comparison = comparison::compare(&figures.current, &figures.previous);
        let charts = DashboardCharts::build(&ChartData {
            unit_name: &figures.unit.name,
            headline: &figures.headline,
            children: &figures.children,
            direct: figures.direct.as_ref(),
            fields: &figures.fields,
            trend: &figures.trend,
        });
        if let Some(order) = child_sort {
            sorting::sort(&mut figures.children, order);
        }
        Dashboard {
            figures,
            comparison,
            charts,
            child_headers: sorting::headers(child_sort),
            child_sorted: child_sort.is_some(),
            follow_up_shown: app::dashboard::FOLLOW_UP_SHOWN,
        }
    });
    let has_dashboard = dashboard.is_some();
    context.insert("dashboard", &dashboard);
    if has_dashboard {
        crate::web::forms::insert_initiative_choices(&mut context);
    }
    render(&tera, "dashboard.html", &context)
}

#[derive(Deserialize)]
pub struct FollowUpQuery {
    year: Option<String>,
    unit: Option<String>,
    page: Option<String>,
}

/// GET /dashboard/follow-up/{list}?year=Y&unit=ID&page=N: one follow-up list of the
/// dashboard (`missing`, `not_reported`, `overdue`) in full, a page at a time.
pub async fn follow_up(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
    list: web::Path<String>,
    query: web::Query<FollowUpQuery>,
) -> Result<HttpResponse, AppError> {
    let list = app::dashboard::FollowUpList::parse(&list).ok_or(AppError::NotFound)?;
    let requested_year = parse_year(query.year.as_deref())?;
    let requested_unit = parse_unit(query.unit.as_deref())?;
    let page = match query
        .page
        .as_deref()
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        None => 1,
        Some(page) => page
            .parse::<i32>()
            .ok()
            .filter(|page| (1..=100_000).contains(page))
            .ok_or(AppError::BadRequest("page"))?,
    };
    let scope = user.scope();
    let follow_up = db::run_app(&pool, move |conn| {
        app::dashboard::follow_up(conn, scope, requested_unit, requested_year, list, page)
    })
    .await?;
    let mut context = page_context(&session, Some(&user));
    let title = match list {
        app::dashboard::FollowUpList::Missing => "Đơn vị chưa đăng ký",
        app::dashboard::FollowUpList::NotReported => "Đơn vị chưa báo cáo kết quả",
        app::dashboard::FollowUpList::Overdue => "Quá hạn chưa hoàn thành",
    };
    context.insert("title", &format!("{title} năm {}", follow_up.year));
    context.insert("f", &follow_up);
    render(&tera, "dashboard_follow_up.html", &context)
}
