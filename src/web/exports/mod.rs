//! The annual summary for download and print: XLSX, CSV, a printable page and a PDF,
//! for a unit in the user's scope and a year (404 outside the scope). The list of
//! initiatives comes from the list page's own scoped query, read row by row into a
//! temporary file that the browser is sent from at its own pace ([`spool`]); a person
//! runs at most two downloads at once ([`running`]).

mod running;
mod spool;

use std::io::{self, Write};

use actix_session::Session;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use tera::Tera;

pub use running::{EXPORTS_PER_PERSON, RunningExports};
pub use spool::{SPOOL_CAP_BYTES, keep_socket};

use crate::auth::CurrentUser;
use crate::config::ReportSettings;
use crate::db::{self, ExportPool, PgPool};
use crate::domain::Scope;
use crate::domain::{Year, today_in_vietnam};
use crate::error::AppError;
use crate::exports::csv::CsvList;
use crate::exports::pdf;
use crate::exports::summary::{self, AnnualSummary};
use crate::exports::xlsx::XlsxExport;
use crate::store;
use crate::store::initiatives::{InitiativeExported, InitiativeFilter};
use crate::store::units::Unit;
use crate::web::selection::{parse_unit, parse_year, resolve_unit, resolve_year};
use crate::web::{page_context, render};

const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

#[derive(Deserialize)]
pub struct ExportQuery {
    year: Option<String>,
    unit: Option<String>,
}

/// The unit and year asked for, resolved inside the user's scope.
struct Selection {
    scope: Scope,
    unit: Unit,
    year: i32,
}

/// Reads the requested unit and year from the query string (400 when malformed).
fn requested(query: &ExportQuery) -> Result<(Option<i32>, Option<Year>), AppError> {
    Ok((
        parse_unit(query.unit.as_deref())?,
        parse_year(query.year.as_deref())?,
    ))
}

/// The requested unit (404 outside the scope) and year, on a pooled connection.
fn resolve(
    conn: &mut diesel::PgConnection,
    scope: Scope,
    (unit, year): (Option<i32>, Option<Year>),
) -> Result<Selection, AppError> {
    let unit = resolve_unit(conn, scope, unit)?;
    let (year, _) = resolve_year(conn, scope, year)?;
    Ok(Selection {
        scope,
        unit,
        year: year.get(),
    })
}

async fn select(
    pool: &PgPool,
    user: &CurrentUser,
    query: &ExportQuery,
) -> Result<Selection, AppError> {
    let requested = requested(query)?;
    let scope = user.scope();
    db::run(pool, move |conn| resolve(conn, scope, requested)).await
}

/// The selection and its summary, in one trip to the database.
async fn load_summary(
    pool: &PgPool,
    user: &CurrentUser,
    query: &ExportQuery,
    reports: &ReportSettings,
) -> Result<(Selection, AnnualSummary), AppError> {
    let requested = requested(query)?;
    let scope = user.scope();
    let place = reports.place.clone();
    db::run(pool, move |conn| {
        let selection = resolve(conn, scope, requested)?;
        // The whole chain up to the root, beyond the user's scope: the header names the
        // organisation above the unit and the province the report is written in.
        let breadcrumb = store::units::path_in_scope(conn, Scope::Everything, selection.unit.id)?;
        let summary = summary::load(
            conn,
            selection.unit.clone(),
            &breadcrumb,
            selection.year,
            place.as_deref(),
            today_in_vietnam(),
        )?;
        Ok((selection, summary))
    })
    .await
}

/// GET /exports/annual.xlsx?year=Y&unit=ID: sheets "Tổng hợp" and "Danh sách".
pub async fn annual_xlsx(
    request: HttpRequest,
    pool: web::Data<PgPool>,
    exports: web::Data<ExportPool>,
    running: web::Data<RunningExports>,
    reports: web::Data<ReportSettings>,
    user: CurrentUser,
    query: web::Query<ExportQuery>,
) -> Result<HttpResponse, AppError> {
    let ticket = running.begin(user.id)?;
    let lease = exports.lease()?;
    let (selection, summary) = load_summary(&pool, &user, &query, &reports).await?;
    let file_name = format!("{}.xlsx", summary.file_stem);
    let margins = reports.margins;
    let stall_limit = running.stall_limit();
    let body = spool::spooled_download(&request, stall_limit, ticket, lease, move |conn, out| {
        let mut workbook = XlsxExport::new(&summary, &margins).map_err(io::Error::other)?;
        write_list(conn, &selection, |row| {
            workbook.push(row).map_err(io::Error::other)
        })?;
        workbook.finish(out).map_err(io::Error::other)
    })?;
    Ok(download(XLSX_TYPE, &file_name).streaming(body))
}

/// GET /exports/initiatives.csv?year=Y&unit=ID: the list, for Excel.
pub async fn initiatives_csv(
    request: HttpRequest,
    pool: web::Data<PgPool>,
    exports: web::Data<ExportPool>,
    running: web::Data<RunningExports>,
    user: CurrentUser,
    query: web::Query<ExportQuery>,
) -> Result<HttpResponse, AppError> {
    let ticket = running.begin(user.id)?;
    let lease = exports.lease()?;
    let selection = select(&pool, &user, &query).await?;
    let file_name = format!("danh-sach-{}-{}.csv", selection.year, selection.unit.code);
    let stall_limit = running.stall_limit();
    let body = spool::spooled_download(&request, stall_limit, ticket, lease, move |conn, out| {
        let mut list = CsvList::new(out)?;
        write_list(conn, &selection, |row| list.push(row))?;
        list.into_inner().flush()
    })?;
    Ok(download("text/csv; charset=utf-8", &file_name).streaming(body))
}

/// GET /reports/annual?year=Y&unit=ID: the report as a page to print on A4.
pub async fn annual_report(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    reports: web::Data<ReportSettings>,
    session: Session,
    user: CurrentUser,
    query: web::Query<ExportQuery>,
) -> Result<HttpResponse, AppError> {
    let (_, summary) = load_summary(&pool, &user, &query, &reports).await?;
    let mut context = page_context(&session, Some(&user));
    context.insert("summary", &summary);
    context.insert("margins", &reports.margins);
    render(&tera, "reports/annual.html", &context)
}

/// GET /reports/print.css: the printed page's size and margins, from the settings.
pub async fn print_stylesheet(reports: web::Data<ReportSettings>) -> HttpResponse {
    let m = reports.margins;
    HttpResponse::Ok()
        .content_type("text/css; charset=utf-8")
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(format!(
            "@page {{ size: A4 portrait; margin: {}mm {}mm {}mm {}mm; }}\n",
            m.top, m.right, m.bottom, m.left
        ))
}

/// GET /reports/annual.pdf?year=Y&unit=ID: the printable report as a PDF file.
pub async fn annual_report_pdf(
    pool: web::Data<PgPool>,
    reports: web::Data<ReportSettings>,
    user: CurrentUser,
    query: web::Query<ExportQuery>,
) -> Result<HttpResponse, AppError> {
    let (_, summary) = load_summary(&pool, &user, &query, &reports).await?;
    let file_name = format!("{}.pdf", summary.file_stem);
    let (margins, font_dir) = (reports.margins, reports.font_dir.clone());
    let bytes = web::block(move || pdf::render(&summary, &margins, &font_dir)).await??;
    Ok(download("application/pdf", &file_name).body(bytes))
}

/// Hands every initiative of the selection to `push`, in tree order, stopping at the
/// first failure (a full disk, a reader gone away).
fn write_list(
    conn: &mut diesel::PgConnection,
    selection: &Selection,
    mut push: impl FnMut(&InitiativeExported) -> io::Result<()>,
) -> io::Result<()> {
    let filter = InitiativeFilter {
        year: Some(selection.year),
        unit_id: Some(selection.unit.id),
        ..InitiativeFilter::default()
    };
    let mut failure = None;
    store::initiatives::for_each_in_tree_order(conn, selection.scope, &filter, |row| {
        match push(&row) {
            Ok(()) => true,
            Err(error) => {
                failure = Some(error);
                false
            }
        }
    })
    .map_err(io::Error::other)?;
    failure.map_or(Ok(()), Err)
}

/// A file download. Already-compressed files are sent as they are.
fn download(content_type: &str, file_name: &str) -> actix_web::HttpResponseBuilder {
    let mut response = HttpResponse::Ok();
    response
        .content_type(content_type)
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{file_name}\""),
        ))
        .insert_header((header::CACHE_CONTROL, "private, no-store"));
    if !content_type.starts_with("text/") {
        response.insert_header((header::CONTENT_ENCODING, "identity"));
    }
    response
}
