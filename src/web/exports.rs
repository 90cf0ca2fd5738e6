//! The annual summary for download and print: XLSX, CSV, a printable page and a PDF,
//! for a unit in the user's scope and a year (404 outside the scope). The list of
//! initiatives comes from the list page's own scoped query and is streamed: rows are
//! written to the response as the database hands them over.

use std::io::{self, Write};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use actix_session::Session;
use actix_web::http::header;
use actix_web::web::Bytes;
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use tera::Tera;
use tokio::sync::mpsc;
use tokio::sync::mpsc::error::TrySendError;

use crate::auth::{CurrentUser, Scope};
use crate::config::ReportSettings;
use crate::db::{self, ExportLease, ExportPool, PgPool};
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
/// How much of a download is gathered before it is handed to the connection.
const CHUNK_BYTES: usize = 64 * 1024;
/// Chunks waiting for a slow reader before the database read pauses.
const CHUNKS_IN_FLIGHT: usize = 8;
/// A download whose reader takes no chunk for this long is given up, and its export
/// connection given back: a stalled browser must not keep one for ever.
const READER_STALL_LIMIT: Duration = Duration::from_secs(60);
/// How often a paused download looks whether the reader has taken a chunk.
const READER_POLL: Duration = Duration::from_millis(20);

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
    pool: web::Data<PgPool>,
    exports: web::Data<ExportPool>,
    reports: web::Data<ReportSettings>,
    user: CurrentUser,
    query: web::Query<ExportQuery>,
) -> Result<HttpResponse, AppError> {
    let lease = exports.lease()?;
    let (selection, summary) = load_summary(&pool, &user, &query, &reports).await?;
    let file_name = format!("{}.xlsx", summary.file_stem);
    let margins = reports.margins;
    let body = stream_from_database(lease, move |conn, out| {
        let mut workbook = XlsxExport::new(&summary, &margins).map_err(io::Error::other)?;
        write_list(conn, &selection, |row| {
            workbook.push(row).map_err(io::Error::other)
        })?;
        workbook.finish(out).map_err(io::Error::other)
    });
    Ok(download(XLSX_TYPE, &file_name).streaming(body))
}

/// GET /exports/initiatives.csv?year=Y&unit=ID: the list, for Excel.
pub async fn initiatives_csv(
    pool: web::Data<PgPool>,
    exports: web::Data<ExportPool>,
    user: CurrentUser,
    query: web::Query<ExportQuery>,
) -> Result<HttpResponse, AppError> {
    let lease = exports.lease()?;
    let selection = select(&pool, &user, &query).await?;
    let file_name = format!("danh-sach-{}-{}.csv", selection.year, selection.unit.code);
    let body = stream_from_database(lease, move |conn, out| {
        let mut list = CsvList::new(out)?;
        write_list(conn, &selection, |row| list.push(row))?;
        list.into_inner().flush()
    });
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
    let bytes = web::block(move || pdf::render(&summary, &margins, &font_dir))
        .await
        .map_err(|error| AppError::Internal(format!("PDF task failed: {error}").into()))?
        .map_err(|error| AppError::Internal(error.to_string().into()))?;
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

/// Runs `write` on a blocking thread with the leased export connection, handing what it
/// writes to the response in chunks. A failure half-way (or a reader that stopped
/// reading) is logged and breaks the connection, so the person gets a failed download
/// rather than a file that silently ends early. The lease is given back when `write`
/// ends, however it ends.
fn stream_from_database<F>(
    lease: ExportLease,
    write: F,
) -> impl futures_util::Stream<Item = Result<Bytes, io::Error>>
where
    F: FnOnce(&mut diesel::PgConnection, &mut ChunkSender) -> io::Result<()> + Send + 'static,
{
    let (sender, receiver) = mpsc::channel(CHUNKS_IN_FLIGHT);
    // Set when the file is incomplete: the stream then ends in an error, not quietly.
    let failed = Arc::new(AtomicBool::new(false));
    let failure = Arc::clone(&failed);
    actix_web::rt::task::spawn_blocking(move || {
        let mut out = ChunkSender {
            sender,
            buffer: Vec::with_capacity(CHUNK_BYTES),
        };
        let result = lease
            .connect()
            .map_err(io::Error::other)
            .and_then(|mut conn| write(&mut conn, &mut out))
            .and_then(|()| out.flush());
        drop(lease);
        match result {
            Ok(()) => {}
            Err(error) if error.kind() == io::ErrorKind::BrokenPipe => {}
            Err(error) if error.kind() == io::ErrorKind::TimedOut => {
                tracing::warn!(%error, "export abandoned");
                failure.store(true, Ordering::SeqCst);
            }
            Err(error) => {
                tracing::error!(%error, "export failed half-way");
                failure.store(true, Ordering::SeqCst);
            }
        }
    });
    futures_util::stream::unfold(receiver, move |mut receiver| {
        let failed = Arc::clone(&failed);
        async move {
            match receiver.recv().await {
                Some(chunk) => Some((Ok(chunk), receiver)),
                None if failed.swap(false, Ordering::SeqCst) => Some((
                    Err(io::Error::other("the export failed half-way")),
                    receiver,
                )),
                None => None,
            }
        }
    })
}

/// The writing end of a streamed download: gathers bytes into chunks and waits when the
/// reader is behind, so memory stays bounded however large the file.
pub struct ChunkSender {
    sender: mpsc::Sender<Bytes>,
    buffer: Vec<u8>,
}

impl Write for ChunkSender {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        if self.buffer.len() >= CHUNK_BYTES {
            self.flush()?;
        }
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        if self.buffer.is_empty() {
            return Ok(());
        }
        let mut chunk = Bytes::from(std::mem::replace(
            &mut self.buffer,
            Vec::with_capacity(CHUNK_BYTES),
        ));
        let stalled_at = Instant::now() + READER_STALL_LIMIT;
        loop {
            match self.sender.try_send(chunk) {
                Ok(()) => return Ok(()),
                Err(TrySendError::Closed(_)) => {
                    return Err(io::Error::new(
                        io::ErrorKind::BrokenPipe,
                        "the download was cancelled",
                    ));
                }
                Err(TrySendError::Full(_)) if Instant::now() >= stalled_at => {
                    return Err(io::Error::new(
                        io::ErrorKind::TimedOut,
                        "the reader took nothing for too long",
                    ));
                }
                Err(TrySendError::Full(back)) => {
                    chunk = back;
                    std::thread::sleep(READER_POLL);
                }
            }
        }
    }
}
