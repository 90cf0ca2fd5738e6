//! The stylesheet, icons and the help page's screenshots, compiled into the binary and
//! cached by browsers.

use actix_web::http::header;
use actix_web::{HttpResponse, web};

use crate::error::AppError;

const CSS: &str = "text/css; charset=utf-8";
const PNG: &str = "image/png";

/// Name under /static/, content type, bytes. The screenshots are the browser suite's
/// own (docs/screenshots/, rewritten by e2e/run.sh), included from there rather than
/// copied, so the help page shows the pages as they are.
const ASSETS: &[(&str, &str, &[u8])] = &[
    ("app.css", CSS, include_bytes!("../../static/css/app.css")),
    (
        "report.css",
        CSS,
        include_bytes!("../../static/css/report.css"),
    ),
    (
        "favicon.svg",
        "image/svg+xml",
        include_bytes!("../../static/img/favicon.svg"),
    ),
    (
        "screenshot-home-phone.png",
        PNG,
        include_bytes!("../../docs/screenshots/home-phone.png"),
    ),
    (
        "screenshot-menu-open-phone.png",
        PNG,
        include_bytes!("../../docs/screenshots/menu-open-phone.png"),
    ),
    (
        "screenshot-form-errors-phone.png",
        PNG,
        include_bytes!("../../docs/screenshots/form-errors-phone.png"),
    ),
    (
        "screenshot-review-inbox-phone.png",
        PNG,
        include_bytes!("../../docs/screenshots/review-inbox-phone.png"),
    ),
    (
        "screenshot-bulk-result-phone.png",
        PNG,
        include_bytes!("../../docs/screenshots/bulk-result-phone.png"),
    ),
    (
        "screenshot-import-preview-phone.png",
        PNG,
        include_bytes!("../../docs/screenshots/import-preview-phone.png"),
    ),
];

/// GET /static/{file}
pub async fn serve(file: web::Path<String>) -> Result<HttpResponse, AppError> {
    let (_, content_type, body) = ASSETS
        .iter()
        .find(|(name, _, _)| *name == file.as_str())
        .ok_or(AppError::NotFound)?;
    Ok(HttpResponse::Ok()
        .content_type(*content_type)
        .insert_header((header::CACHE_CONTROL, "public, max-age=3600"))
        .body(*body))
}
