//! The cursors that page links and the API carry, read and written in one place.

use chrono::{DateTime, Utc};

use crate::app::inbox::InboxPosition;
use crate::domain::cursor::{Cursor, PageStart};
use crate::error::AppError;

/// Lists count this far and no further: past it the page says "hơn 10.000".
pub const COUNT_CAP: i64 = 10_001;

/// A search counts less far: each row it counts is matched by search_key(), which
/// costs some microseconds a row (past it the page says "hơn 1.000").
pub const SEARCH_COUNT_CAP: i64 = 1_001;

/// The cursor of a list ordered by id.
pub fn id_cursor(id: i32) -> String {
    Cursor([i64::from(id)]).encode()
}

/// Reads an id cursor; anything else is a bad link.
pub fn parse_id_cursor(text: &str) -> Result<i32, AppError> {
    Cursor::<1>::decode(text)
        .and_then(|Cursor([id])| i32::try_from(id).ok())
        .ok_or(AppError::BadCursor)
}

/// Where a list ordered by id starts, from its `after` / `before` parameters (empty
/// means not given). Both at once is a link this application did not write.
pub fn page_start(after: Option<&str>, before: Option<&str>) -> Result<PageStart<i32>, AppError> {
    match (given(after), given(before)) {
        (None, None) => Ok(PageStart::First),
        (Some(after), None) => parse_id_cursor(after).map(PageStart::After),
        (None, Some(before)) => parse_id_cursor(before).map(PageStart::Before),
        (Some(_), Some(_)) => Err(AppError::BadCursor),
    }
}

/// A query parameter's value, unless it is missing or blank.
fn given(value: Option<&str>) -> Option<&str> {
    value.map(str::trim).filter(|value| !value.is_empty())
}

/// The cursor of an inbox: the moment of the row's last review step, and its id.
pub fn inbox_cursor((changed_at, id): InboxPosition) -> String {
    Cursor([changed_at.timestamp_micros(), i64::from(id)]).encode()
}

/// Reads an inbox cursor; empty means the first page.
pub fn parse_inbox_cursor(text: Option<&str>) -> Result<Option<InboxPosition>, AppError> {
    let Some(text) = given(text) else {
        return Ok(None);
    };
    Cursor::<2>::decode(text)
        .and_then(|Cursor([micros, id])| {
            Some((
                DateTime::<Utc>::from_timestamp_micros(micros)?,
                i32::try_from(id).ok()?,
            ))
        })
        .map(Some)
        .ok_or(AppError::BadCursor)
}
