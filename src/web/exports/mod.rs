//! The annual summary for download and print: XLSX, CSV, a printable page, a PDF and a DOCX,
//! for a unit in the user's scope and a year (404 outside the scope). The list of
//! initiatives comes from the list page's own scoped query, read row by row into a
//! temporary file that the browser is sent from at its own pace ([`spool`]); a person
//! runs at most two downloads at once ([`running`]).

mod running;
mod spool;

use std::io;

use actix_session::Session;
use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use tera::Tera;

pub use running::{EXPORTS_PER_PERSON, RunningExports};
pub use spool::{SPOOL_CAP_BYTES, keep_socket};

use crate::app::exports::{self as export, ReportPlace, Selection};
use crate::auth::CurrentUser;
use crate::config::ReportSettings;
use crate::db::{self, ExportPool, PgPool};
use crate::domain::format::{DateError, parse_date};
use crate::domain::report;
use crate::domain::{Year, today_in_vietnam};
use crate::error::AppError;
use crate::exports::summary::AnnualSummary;
use crate::exports::{docx, pdf};
use crate::web::initiatives::list::ListQuery;
use crate::web::selection::{parse_unit, parse_year};
use crate::web::{page_context, render};

const XLSX_TYPE: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

#[derive(Deserialize)]
pub struct ExportQuery {
    year: Option<String>,
    unit: Option<String>,
    /// `date=2022-12-15`: the report's date for this one export.
    date: Option<String>,
    /// `number=25`: the document's number for this one export.
    number: Option<String>,
}

/// Reads the requested unit and year from the query string (400 when malformed).
fn requested(query: &ExportQuery) -> Result<(Option<i32>, Option<Year>), AppError> {
    Ok((
        parse_unit(query.unit.as_deref())?,
        parse_year(query.year.as_deref())?,
    ))
}

/// The requested unit (404 outside the scope) and year, resolved before a download
/// starts so that a refusal is a page, not a broken file.
async fn select(
    pool: &PgPool,
    user: &CurrentUser,
    query: &ExportQuery,
) -> Result<Selection, AppError> {
    let (unit, year) = requested(query)?;
    let scope = user.scope();
    db::run_app(pool, move |conn| export::select(conn, scope, unit, year)).await
}

/// The configured place and the query's overrides (400 when malformed).
fn report_place(reports: &ReportSettings, query: &ExportQuery) -> Result<ReportPlace, AppError> {
    let date = match query.date.as_deref().map(parse_date) {
        None | Some(Err(DateError::Empty)) => None,
        Some(Ok(date)) => Some(date),
        Some(Err(_)) => return Err(AppError::BadRequest("date")),
    };
    let number = report::parse_number(query.number.as_deref().unwrap_or_default())
        .map_err(|_| AppError::BadRequest("number"))?;
    Ok(ReportPlace {
        place: reports.place.clone(),
        today: today_in_vietnam(),
        date,
        number,
    })
}

/// The selection's summary, read in one snapshot; the connection is given back before
/// anything is drawn from it.
async fn load_summary(
    pool: &PgPool,
    user: &CurrentUser,
    query: &ExportQuery,
    reports: &ReportSettings,
) -> Result<AnnualSummary, AppError> {
    let (unit, year) = requested(query)?;
    let scope = user.scope();
    let report = report_place(reports, query)?;
    let (_, summary) = db::run_app(pool, move |conn| {
        export::annual_summary(conn, scope, unit, year, &report)
    })
    .await?;
    Ok(summary)
}

/// GET /exports/annual.xlsx?year=Y&unit=ID: sheets "Tổng hợp" and "Danh sách", read
/// in one snapshot on the export connection, packed once it is given back.
pub async fn annual_xlsx(
    request: HttpRequest,
    pool: web::Data<PgPool>,
    exports: web::Data<ExportPool>,
    running: web::Data<RunningExports>,
    reports: web::Data<ReportSettings>,
    user: CurrentUser,
    query: web::Query<ExportQuery>,
) -> Result<HttpResponse, AppError> {
    let report = report_place(&reports, &query)?;
    let ticket = running.begin(user.id)?;
    let lease = exports.lease()?;
    let selection = select(&pool, &user, &query).await?;
    let file_name = format!("{}.xlsx", selection.file_stem());
    let margins = reports.margins;
    let read = move |conn: &mut _, _: &mut _| {
        Ok(export::annual_workbook(
            conn, &selection, &report, &margins,
        )?)
    };
    let file = (XLSX_TYPE, file_name.as_str());
    spooled_file(&request, &running, (ticket, lease), file, read, pack)
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
    let write = move |conn: &mut _, out: &mut _| Ok(export::write_list_csv(conn, &selection, out)?);
    let file = (CSV_TYPE, file_name.as_str());
    spooled_file(&request, &running, (ticket, lease), file, write, |(), _| {
        Ok(())
    })
}

/// A file that `read` writes (a CSV) or fills (a workbook, packed by `finish` once the
/// export connection is given back), sent as it is spooled.
fn spooled_file<R, T, F>(
    request: &HttpRequest,
    running: &RunningExports,
    (ticket, lease): (running::ExportTicket, crate::db::ExportLease),
    (content_type, file_name): (&str, &str),
    read: R,
    finish: F,
) -> Result<HttpResponse, AppError>
where
    R: FnOnce(&mut crate::db::DbConnection, &mut spool::SpoolWriter) -> io::Result<T>
        + Send
        + 'static,
    F: FnOnce(T, &mut spool::SpoolWriter) -> io::Result<()> + Send + 'static,
{
    let stall_limit = running.stall_limit();
    let body = spool::spooled_download(request, stall_limit, ticket, lease, read, finish)?;
    Ok(download(content_type, file_name).streaming(body))
}

/// Packs a workbook at the end of a spooled download.
fn pack(
    workbook: crate::exports::xlsx::XlsxExport,
    out: &mut spool::SpoolWriter,
) -> io::Result<()> {
    workbook.finish(out).map_err(io::Error::other)
}

const CSV_TYPE: &str = "text/csv; charset=utf-8";

/// GET /initiatives/export.csv?…: the initiatives list with the list page's filters and
/// sort, every page of it, streamed as it is read.
pub async fn list_csv(
    request: HttpRequest,
    pool: web::Data<PgPool>,
    exports: web::Data<ExportPool>,
    running: web::Data<RunningExports>,
    user: CurrentUser,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let (scope, filter, sort, slot) = list_export(&pool, &exports, &running, &user, &query).await?;
    let write = move |conn: &mut _, out: &mut _| {
        Ok(export::write_sorted_list_csv(
            conn, scope, &filter, sort, out,
        )?)
    };
    let file = (CSV_TYPE, "danh-sach-mo-hinh-cong-trinh.csv");
    spooled_file(&request, &running, slot, file, write, |(), _| Ok(()))
}

/// GET /initiatives/export.xlsx?…: the same list as a workbook of one sheet.
pub async fn list_xlsx(
    request: HttpRequest,
    pool: web::Data<PgPool>,
    exports: web::Data<ExportPool>,
    running: web::Data<RunningExports>,
    reports: web::Data<ReportSettings>,
    user: CurrentUser,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let (scope, filter, sort, slot) = list_export(&pool, &exports, &running, &user, &query).await?;
    let margins = reports.margins;
    let read = move |conn: &mut _, _: &mut _| {
        Ok(export::sorted_list_workbook(
            conn, scope, &filter, sort, &margins,
        )?)
    };
    let file = (XLSX_TYPE, "danh-sach-mo-hinh-cong-trinh.xlsx");
    spooled_file(&request, &running, slot, file, read, pack)
}

/// What a download of the list needs before it starts: the filter (a unit outside the
/// scope is not found, as on the list page), the sort, and a place among the exports.
async fn list_export(
    pool: &PgPool,
    exports: &ExportPool,
    running: &RunningExports,
    user: &CurrentUser,
    query: &ListQuery,
) -> Result<
    (
        crate::domain::Scope,
        crate::app::initiatives::InitiativeFilter,
        crate::domain::list_sort::ListSort,
        (running::ExportTicket, crate::db::ExportLease),
    ),
    AppError,
> {
    let (filter, _) = query.filter()?;
    let sort = query.sort();
    let scope = user.scope();
    let ticket = running.begin(user.id)?;
    let lease = exports.lease()?;
    let checked = filter.clone();
    db::run_app(pool, move |conn| {
        export::check_list_filter(conn, scope, &checked)
    })
    .await?;
    Ok((scope, filter, sort, (ticket, lease)))
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
    let summary = load_summary(&pool, &user, &query, &reports).await?;
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
    drawn_report(pool, reports, user, query, Drawn::Pdf).await
}

/// GET /exports/annual.docx?year=Y&unit=ID: the same report as a Word document, for
/// the office to finish and sign.
pub async fn annual_docx(
    pool: web::Data<PgPool>,
    reports: web::Data<ReportSettings>,
    user: CurrentUser,
    query: web::Query<ExportQuery>,
) -> Result<HttpResponse, AppError> {
    drawn_report(pool, reports, user, query, Drawn::Docx).await
}

/// The report files drawn from the summary in one piece.
#[derive(Clone, Copy)]
enum Drawn {
    Pdf,
    Docx,
}

/// The selection's summary drawn as a file on the blocking pool (the connection given
/// back first), downloaded as `<file_stem>.pdf` or `.docx`.
async fn drawn_report(
    pool: web::Data<PgPool>,
    reports: web::Data<ReportSettings>,
    user: CurrentUser,
    query: web::Query<ExportQuery>,
    drawn: Drawn,
) -> Result<HttpResponse, AppError> {
    let summary = load_summary(&pool, &user, &query, &reports).await?;
    let (extension, content_type) = match drawn {
        Drawn::Pdf => ("pdf", "application/pdf"),
        Drawn::Docx => ("docx", docx::CONTENT_TYPE),
    };
    let file_name = format!("{}.{extension}", summary.file_stem);
    let bytes = web::block(move || match drawn {
        Drawn::Pdf => Ok(pdf::render(&summary, &reports.margins, &reports.font_dir)?),
        Drawn::Docx => docx::render(&summary, &reports.margins)
            .map_err(|error| AppError::Internal(Box::new(error))),
    })
    .await??;
    Ok(download(content_type, &file_name).body(bytes))
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
