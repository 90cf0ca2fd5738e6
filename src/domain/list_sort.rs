//! How the initiatives list is sorted, which review states it filters on, and where a
//! page of it starts: the cursor carries the row's year, sort key and id, so the next
//! page continues exactly where this one stopped whatever the sort.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::workflow::Review;

/// Longer input is not a cursor this application wrote (a title is at most a few hundred
/// characters).
const MAX_CURSOR_LENGTH: usize = 2048;

/// The columns the list sorts on. Every sort ends with the initiative's id, so no two
/// rows tie; with every year listed, the newest year comes first whatever the column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SortColumn {
    /// Registration order (the id): the default, newest first.
    Newest,
    /// The unit's name (then the unit, so a unit's rows stay together).
    Unit,
    Title,
    /// Kinh phí dự kiến.
    Cost,
    /// Giá trị thực hiện; none yet sorts below zero.
    Value,
    /// The progress status's code.
    Status,
    Due,
    /// Last change (`updated_at`).
    Updated,
}

impl SortColumn {
    pub const ALL: &'static [SortColumn] = &[
        SortColumn::Newest,
        SortColumn::Unit,
        SortColumn::Title,
        SortColumn::Cost,
        SortColumn::Value,
        SortColumn::Status,
        SortColumn::Due,
        SortColumn::Updated,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            SortColumn::Newest => "newest",
            SortColumn::Unit => "unit",
            SortColumn::Title => "title",
            SortColumn::Cost => "cost",
            SortColumn::Value => "value",
            SortColumn::Status => "status",
            SortColumn::Due => "due",
            SortColumn::Updated => "updated",
        }
    }

    pub fn parse(code: &str) -> Option<SortColumn> {
        SortColumn::ALL
            .iter()
            .copied()
            .find(|column| column.as_str() == code)
    }

    /// The direction a first click on the column's header asks for: amounts and
    /// changes largest or latest first, names and dates in reading order.
    pub fn first_direction(self) -> Direction {
        match self {
            SortColumn::Newest | SortColumn::Cost | SortColumn::Value | SortColumn::Updated => {
                Direction::Descending
            }
            SortColumn::Unit | SortColumn::Title | SortColumn::Status | SortColumn::Due => {
                Direction::Ascending
            }
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Ascending,
    Descending,
}

impl Direction {
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Ascending => "asc",
            Direction::Descending => "desc",
        }
    }

    pub fn parse(code: &str) -> Option<Direction> {
        match code {
            "asc" => Some(Direction::Ascending),
            "desc" => Some(Direction::Descending),
            _ => None,
        }
    }

    pub fn reversed(self) -> Direction {
        match self {
            Direction::Ascending => Direction::Descending,
            Direction::Descending => Direction::Ascending,
        }
    }
}

/// A sort of the list: a column and a direction.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ListSort {
    pub column: SortColumn,
    pub direction: Direction,
}

impl Default for ListSort {
    fn default() -> ListSort {
        ListSort {
            column: SortColumn::Newest,
            direction: Direction::Descending,
        }
    }
}

impl ListSort {
    /// The sort a link asks for; anything unknown is the default sort, not an error
    /// (an old or edited link still shows the list).
    pub fn parse(column: Option<&str>, direction: Option<&str>) -> ListSort {
        let Some(column) = column.map(str::trim).and_then(SortColumn::parse) else {
            return ListSort::default();
        };
        let direction = direction
            .map(str::trim)
            .and_then(Direction::parse)
            .unwrap_or_else(|| column.first_direction());
        ListSort { column, direction }
    }
}

/// The review-state filter of the list, one choice per label of the exported list's
/// "Tình trạng xem xét" column (both returns read "Bị trả lại").
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReviewFilter {
    PendingApproval,
    /// Approved: under way, or owing its completion report.
    Approved,
    PendingAcceptance,
    Accepted,
    Returned,
}

impl ReviewFilter {
    pub const ALL: &'static [ReviewFilter] = &[
        ReviewFilter::PendingApproval,
        ReviewFilter::Approved,
        ReviewFilter::PendingAcceptance,
        ReviewFilter::Accepted,
        ReviewFilter::Returned,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            ReviewFilter::PendingApproval => "pending_approval",
            ReviewFilter::Approved => "approved",
            ReviewFilter::PendingAcceptance => "pending_acceptance",
            ReviewFilter::Accepted => "accepted",
            ReviewFilter::Returned => "returned",
        }
    }

    pub fn parse(code: &str) -> Option<ReviewFilter> {
        ReviewFilter::ALL
            .iter()
            .copied()
            .find(|filter| filter.as_str() == code)
    }

    /// The review states the choice stands for.
    pub fn states(self) -> &'static [Review] {
        match self {
            ReviewFilter::PendingApproval => &[Review::PendingApproval],
            ReviewFilter::Approved => &[Review::Approved],
            ReviewFilter::PendingAcceptance => &[Review::PendingAcceptance],
            ReviewFilter::Accepted => &[Review::Accepted],
            ReviewFilter::Returned => Review::RETURNED,
        }
    }

    /// The label: the exported list's, so the page and the file name a state alike.
    pub fn label_vi(self) -> &'static str {
        self.states()[0].report_label_vi()
    }
}

/// The value of a row's sort key, as the cursor carries it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SortValue {
    /// Newest: the id is the key.
    None,
    Text(String),
    Number(i64),
    Date(NaiveDate),
    Moment(DateTime<Utc>),
    /// The unit's name and id.
    Unit(String, i32),
}

/// A row's place in a sorted list: its year, its sort key and its id.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListPosition {
    pub year: i32,
    pub value: SortValue,
    pub id: i32,
}

impl ListPosition {
    /// The opaque text of page links: the column, then the keys, URL-safe.
    pub fn encode(&self, column: SortColumn) -> String {
        let value = match &self.value {
            SortValue::None => String::new(),
            SortValue::Text(text) => text.clone(),
            SortValue::Number(number) => number.to_string(),
            SortValue::Date(date) => date.format("%Y-%m-%d").to_string(),
            SortValue::Moment(moment) => moment.timestamp_micros().to_string(),
            SortValue::Unit(name, unit_id) => format!("{unit_id}.{name}"),
        };
        let text = format!("{}.{}.{}.{value}", column.as_str(), self.year, self.id);
        URL_SAFE_NO_PAD.encode(text)
    }

    /// Reads a cursor of a list sorted on `column`; `None` for anything else (a forged
    /// text, or a cursor of another sort: the page then starts at the beginning).
    pub fn decode(column: SortColumn, text: &str) -> Option<ListPosition> {
        if text.is_empty() || text.len() > MAX_CURSOR_LENGTH {
            return None;
        }
        let bytes = URL_SAFE_NO_PAD.decode(text).ok()?;
        let text = std::str::from_utf8(&bytes).ok()?;
        let mut parts = text.splitn(4, '.');
        if parts.next()? != column.as_str() {
            return None;
        }
        let year = number(parts.next()?)?;
        let id = number(parts.next()?)?;
        let value = parts.next()?;
        let value = match column {
            SortColumn::Newest => value.is_empty().then_some(SortValue::None)?,
            SortColumn::Title | SortColumn::Status => SortValue::Text(value.to_owned()),
            SortColumn::Cost | SortColumn::Value => SortValue::Number(number(value)?),
            SortColumn::Due => SortValue::Date(NaiveDate::parse_from_str(value, "%Y-%m-%d").ok()?),
            SortColumn::Updated => {
                SortValue::Moment(DateTime::from_timestamp_micros(number(value)?)?)
            }
            SortColumn::Unit => {
                let (unit_id, name) = value.split_once('.')?;
                SortValue::Unit(name.to_owned(), number(unit_id)?)
            }
        };
        Some(ListPosition { year, value, id })
    }
}

/// A number as `encode` writes it: digits with at most a leading '-'.
fn number<T: std::str::FromStr>(text: &str) -> Option<T> {
    let digits = text.strip_prefix('-').unwrap_or(text);
    if digits.is_empty() || !digits.bytes().all(|byte| byte.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_position_reads_back_under_its_own_sort_only() {
        let moment = DateTime::from_timestamp_micros(1_764_000_000_123_456).unwrap_or_default();
        let cases = [
            (SortColumn::Newest, SortValue::None),
            (
                SortColumn::Title,
                SortValue::Text("Cải cách. hành chính".into()),
            ),
            (SortColumn::Cost, SortValue::Number(-5)),
            (SortColumn::Due, SortValue::Date(NaiveDate::MIN)),
            (SortColumn::Updated, SortValue::Moment(moment)),
            (SortColumn::Unit, SortValue::Unit("Chi bộ 1.2".into(), 7)),
        ];
        for (column, value) in cases {
            let position = ListPosition {
                year: 2026,
                value,
                id: 42,
            };
            let text = position.encode(column);
            assert_eq!(ListPosition::decode(column, &text), Some(position));
            let other = if column == SortColumn::Cost {
                SortColumn::Value
            } else {
                SortColumn::Cost
            };
            assert_eq!(ListPosition::decode(other, &text), None, "{column:?}");
        }
        for forged in ["", "!!", "bmV3ZXN0LjIwMjYuNDI", "Y29zdC4yMDI2LjQyLisx"] {
            assert_eq!(ListPosition::decode(SortColumn::Cost, forged), None);
        }
    }

    #[test]
    fn unknown_sorts_are_the_default() {
        assert_eq!(ListSort::parse(Some("x"), Some("asc")), ListSort::default());
        assert_eq!(
            ListSort::parse(Some("cost"), Some("sideways")),
            ListSort {
                column: SortColumn::Cost,
                direction: Direction::Descending
            }
        );
    }
}
