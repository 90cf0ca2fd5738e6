//! The child-unit table sorted by any of its columns (`?sort=…&dir=…`), with the links
//! and `aria-sort` of its column headers; the unit chart ranked by what it charts.

use std::cmp::Ordering;

use serde::Serialize;

use crate::app::dashboard::ChildFigures;
use crate::domain::format;
use crate::error::AppError;

/// The sortable columns, in the table's order: (key, header, numbers first largest).
const COLUMNS: [(&str, &str, bool); 7] = [
    ("unit", "Đơn vị", false),
    ("registered", "Đăng ký", true),
    ("in_progress", "Đang thực hiện", true),
    ("completed", "Hoàn thành", true),
    ("rate", "Tỷ lệ", true),
    ("value", "Giá trị thực hiện", true),
    ("coverage", "Đơn vị đã đăng ký", true),
];

/// A column and a direction, as asked for in the query string.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ChildSort {
    column: &'static str,
    descending: bool,
}

impl ChildSort {
    /// `None` when nothing was asked for (the table keeps the units' own order).
    pub fn parse(sort: Option<&str>, dir: Option<&str>) -> Result<Option<ChildSort>, AppError> {
        let Some(sort) = sort.map(str::trim).filter(|s| !s.is_empty()) else {
            return Ok(None);
        };
        let (column, _, numbers) = COLUMNS
            .iter()
            .find(|(key, _, _)| *key == sort)
            .copied()
            .ok_or(AppError::BadRequest("sort"))?;
        let descending = match dir.map(str::trim).unwrap_or_default() {
            "" => numbers,
            "asc" => false,
            "desc" => true,
            _ => return Err(AppError::BadRequest("dir")),
        };
        Ok(Some(ChildSort { column, descending }))
    }
}

/// One column header: its link (the other direction when it is the sorted column) and
/// its `aria-sort`.
#[derive(Debug, Clone, Serialize)]
pub struct Header {
    pub key: &'static str,
    pub label: &'static str,
    pub numeric: bool,
    /// `sort=…&dir=…`, to put after the page's own parameters.
    pub query: String,
    /// `ascending` or `descending` on the sorted column, else `none`.
    pub aria_sort: &'static str,
    /// What the link does, for screen readers and the tooltip.
    pub hint: String,
}

pub fn headers(current: Option<ChildSort>) -> Vec<Header> {
    COLUMNS
        .iter()
        .map(|&(key, label, numbers)| {
            let sorted = current.filter(|sort| sort.column == key);
            let next_descending = match sorted {
                Some(sort) => !sort.descending,
                None => numbers,
            };
            let dir = if next_descending { "desc" } else { "asc" };
            let order = if next_descending {
                "giảm dần"
            } else {
                "tăng dần"
            };
            Header {
                key,
                label,
                numeric: key != "unit",
                query: format!("sort={key}&dir={dir}"),
                aria_sort: match sorted {
                    Some(sort) if sort.descending => "descending",
                    Some(_) => "ascending",
                    None => "none",
                },
                hint: format!("Sắp xếp theo {} {order}", label.to_lowercase()),
            }
        })
        .collect()
}

/// Sorts the rows; ties keep the units' own order.
pub fn sort(children: &mut [ChildFigures], sort: ChildSort) {
    children.sort_by(|a, b| {
        let order = compare(a, b, sort.column);
        if sort.descending {
            order.reverse()
        } else {
            order
        }
    });
}

fn compare(a: &ChildFigures, b: &ChildFigures, column: &str) -> Ordering {
    match column {
        "registered" => a.registered.cmp(&b.registered),
        "in_progress" => a.in_progress.cmp(&b.in_progress),
        "completed" => a.completed.cmp(&b.completed),
        "rate" => share(a.completed, a.registered).cmp(&share(b.completed, b.registered)),
        "value" => a.actual_value_vnd.cmp(&b.actual_value_vnd),
        "coverage" => share(a.registered_units, a.expected_units)
            .cmp(&share(b.registered_units, b.expected_units)),
        _ => format::loose_key(&a.name).cmp(&format::loose_key(&b.name)),
    }
}

/// A share that compares exactly (`part/whole` as a fraction); nothing out of nothing
/// comes below every share.
#[derive(Debug, Clone, Copy)]
pub struct Share {
    part: i128,
    whole: i128,
}

pub fn share(part: i64, whole: i64) -> Share {
    Share {
        part: i128::from(part),
        whole: i128::from(whole),
    }
}

impl Share {
    fn key(self) -> (bool, i128, i128) {
        (self.whole > 0, self.part, self.whole.max(1))
    }
}

impl PartialEq for Share {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Share {}

impl PartialOrd for Share {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Share {
    fn cmp(&self, other: &Self) -> Ordering {
        let ((a_has, a_part, a_whole), (b_has, b_part, b_whole)) = (self.key(), other.key());
        a_has
            .cmp(&b_has)
            .then_with(|| (a_part * b_whole).cmp(&(b_part * a_whole)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_compare_as_fractions() {
        assert!(share(2, 3) > share(1, 2));
        assert_eq!(share(1, 2), share(2, 4));
        assert!(share(0, 5) > share(0, 0), "nothing registered comes last");
        assert!(share(i64::MAX, i64::MAX) > share(i64::MAX - 1, i64::MAX));
    }

    #[test]
    fn bad_columns_and_directions_are_refused() {
        assert!(ChildSort::parse(Some("title"), None).is_err());
        assert!(ChildSort::parse(Some("rate"), Some("up")).is_err());
        assert_eq!(ChildSort::parse(None, Some("desc")).ok(), Some(None));
        let rate = ChildSort::parse(Some("rate"), None).unwrap().unwrap();
        assert!(rate.descending, "numbers sort largest first by default");
    }
}
