//! The stylesheet and icons, compiled into the binary and cached by browsers.

use actix_web::http::header;
use actix_web::{HttpResponse, web};

use crate::error::AppError;

const ASSETS: &[(&str, &str, &str)] = &[
    (
        "app.css",
        "text/css; charset=utf-8",
        include_str!("../../static/css/app.css"),
    ),
    (
        "report.css",
        "text/css; charset=utf-8",
        include_str!("../../static/css/report.css"),
    ),
    (
        "favicon.svg",
        "image/svg+xml",
        include_str!("../../static/img/favicon.svg"),
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
