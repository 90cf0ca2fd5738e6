//! GET /dashboard: the figures for one unit's subtree and one year, their charts, the
//! comparison with the year before and the trend over the last years.

mod charts;
mod comparison;

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
}

#[derive(Serialize)]
struct Dashboard {
    #[serde(flatten)]
    figures: Figures,
    comparison: Comparison,
    charts: DashboardCharts,
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
    let scope = user.scope();
    // One trip, one snapshot: every figure on the page agrees with every other.
    let figures = db::run_app(&pool, move |conn| {
        app::dashboard::figures(conn, scope, requested_unit, requested_year)
    })
    .await?;
    let mut context = page_context(&session, Some(&user));
    // The charts are laid out, and the comparison worded, after the connection has
    // gone back to the pool.
    let dashboard = figures.map(|figures| {
        let comparison = comparison::compare(&figures.current, &figures.previous);
        let charts = DashboardCharts::build(&ChartData {
            unit_name: &figures.unit.name,
            headline: &figures.headline,
            children: &figures.children,
            direct: figures.direct.as_ref(),
            fields: &figures.fields,
            trend: &figures.trend,
        });
        Dashboard {
            figures,
            comparison,
            charts,
        }
    });
    let has_dashboard = dashboard.is_some();
    context.insert("dashboard", &dashboard);
    if has_dashboard {
        crate::web::forms::insert_initiative_choices(&mut context);
    }
    render(&tera, "dashboard.html", &context)
}
