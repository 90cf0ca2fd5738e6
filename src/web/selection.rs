//! The "which unit, which year" choice that the dashboard, the list, the API and the
//! exports share: parsed here, resolved in the person's scope by `app::selection`.

use crate::domain::Year;
use crate::error::AppError;

/// Parses an optional year from a query string; empty means "not given".
pub fn parse_year(input: Option<&str>) -> Result<Option<Year>, AppError> {
    match input.map(str::trim).filter(|value| !value.is_empty()) {
        None => Ok(None),
        Some(value) => Year::parse(value)
            .map(Some)
            .ok_or(AppError::BadRequest("year")),
    }
}

/// Parses an optional unit id from a query string; empty means "not given".
pub fn parse_unit(input: Option<&str>) -> Result<Option<i32>, AppError> {
    crate::web::forms::optional_id(input.unwrap_or_default())
        .map_err(|_| AppError::BadRequest("unit"))
}

pub use crate::app::selection::{resolve_unit, resolve_year, year_choices};
