//! The dashboard's comparison with the previous year: each figure for both years and
//! the change, written as Vietnamese reports write it ("tăng 12 (14,6%)", "không đổi"):
//! the word says which way, so no minus sign stands beside "giảm".

use serde::Serialize;

use super::YearFigures;
use crate::domain::format;

/// Shown for a change that cannot be computed because the earlier year has no data.
pub const NO_DATA: &str = "—";

#[derive(Debug, Clone, Serialize)]
pub struct Comparison {
    pub year: i32,
    pub previous_year: i32,
    /// Whether anything was registered in the previous year (else every change is "—").
    pub previous_has_data: bool,
    pub rows: Vec<ComparisonRow>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ComparisonRow {
    /// A code name for the row (`registered`, `completed`, `value`, `coverage`).
    pub key: &'static str,
    pub label: &'static str,
    pub previous: String,
    pub current: String,
    pub change: String,
    /// `up`, `down`, `same` or `none`, for styling the change.
    pub direction: &'static str,
}

/// Compares the selected year (`current`) with the year before it (`previous`).
pub fn compare(current: &YearFigures, previous: &YearFigures) -> Comparison {
    let has_data = previous.headline.registered > 0;
    let (now, before) = (&current.headline, &previous.headline);
    let row = |key, label, previous: String, current: String, change: Change| ComparisonRow {
        key,
        label,
        previous: if has_data {
            previous
        } else {
            NO_DATA.to_owned()
        },
        current,
        direction: if has_data { change.direction() } else { "none" },
        change: if has_data {
            change.text
        } else {
            NO_DATA.to_owned()
        },
    };
    let rows = vec![
        row(
            "registered",
            "Mô hình, công trình đăng ký",
            format::group_thousands(before.registered),
            format::group_thousands(now.registered),
            change_in_count(before.registered, now.registered),
        ),
        row(
            "completed",
            "Hoàn thành",
            format::group_thousands(before.completed),
            format::group_thousands(now.completed),
            change_in_count(before.completed, now.completed),
        ),
        row(
            "value",
            "Giá trị thực hiện (đã hoàn thành)",
            format::vnd_full(before.actual_value_vnd),
            format::vnd_full(now.actual_value_vnd),
            change_in_money(before.actual_value_vnd, now.actual_value_vnd),
        ),
        row(
            "coverage",
            "Đơn vị đã đăng ký",
            coverage_text(previous),
            coverage_text(current),
            change_in_coverage(previous, current),
        ),
    ];
    Comparison {
        year: current.year,
        previous_year: previous.year,
        previous_has_data: has_data,
        rows,
    }
}

/// A change as text, and its sign.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Change {
    pub text: String,
    pub sign: std::cmp::Ordering,
}

impl Change {
    fn direction(&self) -> &'static str {
        match self.sign {
            std::cmp::Ordering::Greater => "up",
            std::cmp::Ordering::Less => "down",
            std::cmp::Ordering::Equal => "same",
        }
    }

    fn same() -> Change {
        Change {
            text: "không đổi".to_owned(),
            sign: std::cmp::Ordering::Equal,
        }
    }
}

/// `tăng 12 (14,6%)`, `giảm 3 (25,0%)`, `không đổi`; from zero, just `tăng 5`.
pub fn change_in_count(before: i64, now: i64) -> Change {
    change(before, now, format::group_thousands)
}

/// `tăng 45,5 triệu đồng (35,5%)`, `giảm 656,5 triệu đồng (9,8%)`, `không đổi`.
pub fn change_in_money(before: i64, now: i64) -> Change {
    change(before, now, format::vnd_short)
}

fn change(before: i64, now: i64, amount: fn(i64) -> String) -> Change {
    let difference = i128::from(now) - i128::from(before);
    let sign = difference.cmp(&0);
    let magnitude = i64::try_from(difference.unsigned_abs()).unwrap_or(i64::MAX);
    if sign == std::cmp::Ordering::Equal {
        return Change::same();
    }
    let word = direction_word(sign);
    let text = if before > 0 {
        let relative = format::percent(magnitude, before);
        format!("{word} {} ({relative})", amount(magnitude))
    } else {
        // A percentage of nothing means nothing.
        format!("{word} {}", amount(magnitude))
    };
    Change { text, sign }
}

fn direction_word(sign: std::cmp::Ordering) -> &'static str {
    if sign == std::cmp::Ordering::Less {
        "giảm"
    } else {
        "tăng"
    }
}

/// `4/5 (80,0%)`.
fn coverage_text(figures: &YearFigures) -> String {
    let coverage = &figures.coverage;
    format!(
        "{}/{} ({})",
        coverage.registered_units,
        coverage.expected_units,
        format::percent(coverage.registered_units, coverage.expected_units)
    )
}

/// `tăng 3 đơn vị (60,0 điểm phần trăm)`, `giảm 1 đơn vị (20,0 điểm phần trăm)`: the
/// change in units that registered, and in the share of the units expected to; when the
/// share moves the other way than the count, `tăng 1 đơn vị (tỷ lệ giảm 2,2 điểm phần trăm)`.
pub fn change_in_coverage(before: &YearFigures, now: &YearFigures) -> Change {
    let (before, now) = (&before.coverage, &now.coverage);
    let units = now.registered_units - before.registered_units;
    let points = tenths_of_percent(now.registered_units, now.expected_units)
        - tenths_of_percent(before.registered_units, before.expected_units);
    if units == 0 && points == 0 {
        return Change::same();
    }
    let sign = if units != 0 {
        units.cmp(&0)
    } else {
        points.cmp(&0)
    };
    let points_word = direction_word(points.cmp(&0));
    let points_amount = format!(
        "{} điểm phần trăm",
        format::one_decimal(points.unsigned_abs())
    );
    let units_text = format!("{} {} đơn vị", direction_word(units.cmp(&0)), units.abs());
    let text = match (units, points) {
        // The same units, but more or fewer of them expected to register.
        (0, _) => format!("tỷ lệ {points_word} {points_amount}"),
        (_, 0) => units_text,
        _ if units.cmp(&0) == points.cmp(&0) => format!("{units_text} ({points_amount})"),
        _ => format!("{units_text} (tỷ lệ {points_word} {points_amount})"),
    };
    Change { text, sign }
}

/// A share in tenths of a percent, rounded half up: 4 of 5 → 800.
fn tenths_of_percent(part: i64, whole: i64) -> i128 {
    if whole <= 0 {
        return 0;
    }
    let (part, whole) = (i128::from(part), i128::from(whole));
    (part * 1000 * 2 + whole) / (whole * 2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::app::dashboard::{Coverage, Headline};

    fn figures(
        year: i32,
        registered: i64,
        completed: i64,
        value: i64,
        units: (i64, i64),
    ) -> YearFigures {
        YearFigures {
            year,
            headline: Headline {
                registered,
                completed,
                actual_value_vnd: value,
                ..Headline::default()
            },
            coverage: Coverage {
                registered_units: units.0,
                expected_units: units.1,
            },
        }
    }

    #[test]
    fn counts_change_as_reports_write_it() {
        assert_eq!(change_in_count(82, 94).text, "tăng 12 (14,6%)");
        assert_eq!(change_in_count(12, 9).text, "giảm 3 (25,0%)");
        assert_eq!(change_in_count(7, 7).text, "không đổi");
        assert_eq!(change_in_count(0, 5).text, "tăng 5");
        assert_eq!(change_in_count(7, 0).text, "giảm 7 (100%)");
        assert_eq!(change_in_count(1000, 2234).text, "tăng 1.234 (123,4%)");
        assert_eq!(change_in_count(7, 1).sign, std::cmp::Ordering::Less);
    }

    #[test]
    fn money_changes_in_short_form() {
        assert_eq!(
            change_in_money(128_250_000, 173_750_000).text,
            "tăng 45,5 triệu đồng (35,5%)"
        );
        assert_eq!(
            change_in_money(6_012_500_000, 4_810_000_000).text,
            "giảm 1,2 tỷ đồng (20,0%)"
        );
        assert_eq!(change_in_money(0, 0).text, "không đổi");
        assert_eq!(change_in_money(0, 850_000).text, "tăng 850.000 đồng");
        // No overflow at the extremes.
        assert!(change_in_money(0, i64::MAX).text.starts_with("tăng "));
    }

    #[test]
    fn coverage_changes_in_units_and_points() {
        let before = figures(2022, 7, 4, 0, (4, 5));
        let now = figures(2023, 1, 0, 0, (1, 5));
        assert_eq!(
            change_in_coverage(&before, &now).text,
            "giảm 3 đơn vị (60,0 điểm phần trăm)"
        );
        assert_eq!(
            change_in_coverage(&now, &before).text,
            "tăng 3 đơn vị (60,0 điểm phần trăm)"
        );
        assert_eq!(change_in_coverage(&before, &before).text, "không đổi");
        // Same number of units, but one more expected: the share falls.
        let more_expected = figures(2023, 7, 4, 0, (4, 6));
        assert_eq!(
            change_in_coverage(&before, &more_expected).text,
            "tỷ lệ giảm 13,3 điểm phần trăm"
        );
        // One more unit registered, but three more expected: the share falls.
        let grown = figures(2023, 7, 4, 0, (5, 8));
        assert_eq!(
            change_in_coverage(&before, &grown).text,
            "tăng 1 đơn vị (tỷ lệ giảm 17,5 điểm phần trăm)"
        );
        // No change ever carries a minus sign beside its word.
        for (a, b) in [(&before, &now), (&now, &before), (&before, &grown)] {
            assert!(!change_in_coverage(a, b).text.contains('-'));
        }
        assert!(
            !change_in_money(7_290_000_000, 6_633_500_000)
                .text
                .contains('-')
        );
    }

    #[test]
    fn the_comparison_has_every_row_for_both_years() {
        let before = figures(2022, 7, 4, 173_750_000, (4, 5));
        let now = figures(2023, 1, 0, 0, (1, 5));
        let comparison = compare(&now, &before);
        assert!(comparison.previous_has_data);
        assert_eq!((comparison.year, comparison.previous_year), (2023, 2022));
        let keys: Vec<&str> = comparison.rows.iter().map(|row| row.key).collect();
        assert_eq!(keys, ["registered", "completed", "value", "coverage"]);
        let registered = &comparison.rows[0];
        assert_eq!(
            (registered.previous.as_str(), registered.current.as_str()),
            ("7", "1")
        );
        assert_eq!(registered.change, "giảm 6 (85,7%)");
        assert_eq!(registered.direction, "down");
        assert_eq!(comparison.rows[2].previous, "173.750.000 đ");
        assert_eq!(comparison.rows[2].current, "0 đ");
        assert_eq!(comparison.rows[3].previous, "4/5 (80,0%)");
        assert_eq!(comparison.rows[3].current, "1/5 (20,0%)");
    }

    #[test]
    fn a_previous_year_without_data_shows_dashes() {
        let before = figures(2021, 0, 0, 0, (0, 5));
        let now = figures(2022, 7, 4, 173_750_000, (4, 5));
        let comparison = compare(&now, &before);
        assert!(!comparison.previous_has_data);
        for row in &comparison.rows {
            assert_eq!(row.previous, NO_DATA, "{}", row.key);
            assert_eq!(row.change, NO_DATA, "{}", row.key);
            assert_eq!(row.direction, "none");
        }
        assert_eq!(comparison.rows[0].current, "7");
    }
}
