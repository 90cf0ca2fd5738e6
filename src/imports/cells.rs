//! One cell into one domain value, with the Vietnamese message when it does not fit.
//! XLSX cells come typed (numbers, dates, booleans); CSV cells are all text. Both are
//! accepted for every column: a date typed as text in Excel, a number in a CSV.

use chrono::NaiveDate;

use crate::domain::format::{DateError, check_date_year, date_vi, loose_key, parse_date};
use crate::domain::money::MoneyError;
use crate::domain::{Vnd, Year};
use crate::imports::sheet::Cell;

/// Why a cell could not be read; the caller adds the row and the column.
pub type CellResult<T> = Result<T, String>;

const FORMULA_ERROR: &str = "Ô có lỗi công thức";

/// The cell as text, trimmed: whole numbers without decimals, dates as dd/mm/yyyy.
pub fn text(cell: &Cell) -> CellResult<String> {
    Ok(match cell {
        Cell::Empty => String::new(),
        Cell::Text(text) => crate::domain::text::normalized(text),
        Cell::Number(number) if number.fract() == 0.0 && number.abs() < 1e15 => {
            format!("{number:.0}")
        }
        Cell::Number(number) => number.to_string(),
        Cell::Date(date) => date_vi(*date),
        Cell::Bool(true) => "Có".to_owned(),
        Cell::Bool(false) => "Không".to_owned(),
        Cell::Error(error) => return Err(format!("{FORMULA_ERROR} ({error}).")),
    })
}

/// Text that must be there.
pub fn required_text(cell: &Cell, missing: &str) -> CellResult<String> {
    let value = text(cell)?;
    if value.is_empty() {
        Err(missing.to_owned())
    } else {
        Ok(value)
    }
}

/// An amount of đồng: a number cell, or text as people type it (`1.500.000`, `1500000 đ`).
/// `None` when the cell is empty.
pub fn money(cell: &Cell) -> CellResult<Option<Vnd>> {
    let parsed = match cell {
        Cell::Number(number) => Vnd::from_number(*number),
        Cell::Date(_) | Cell::Bool(_) => Err(MoneyError::Invalid),
        other => Vnd::parse(&text(other)?),
    };
    match parsed {
        Ok(amount) => Ok(Some(amount)),
        Err(MoneyError::Empty) => Ok(None),
        Err(error) => Err(error.message_vi().to_owned()),
    }
}

/// A date: a date cell, an Excel serial number, or text `dd/mm/yyyy` (also `yyyy-mm-dd`,
/// with a time after it as some programs write). `None` when the cell is empty.
pub fn date(cell: &Cell) -> CellResult<Option<NaiveDate>> {
    const INVALID: &str = "Ngày không hợp lệ, hãy ghi theo dạng dd/mm/yyyy.";
    let in_range = |date: NaiveDate| {
        check_date_year(date)
            .map(Some)
            .map_err(|error| error.message_vi().to_owned())
    };
    match cell {
        Cell::Date(date) => in_range(*date),
        Cell::Number(serial) => from_serial(*serial)
            .ok_or_else(|| INVALID.to_owned())
            .and_then(in_range),
        Cell::Bool(_) => Err(INVALID.to_owned()),
        other => {
            let value = text(other)?;
            // `2022-03-01T00:00:00` or `2022-03-01 00:00:00`: the date part.
            let day_part = match value.split_once(['T', ' ']) {
                Some((day, _)) if day.len() == 10 && day.contains('-') => day,
                _ => value.as_str(),
            };
            match parse_date(day_part) {
                Ok(date) => Ok(Some(date)),
                Err(DateError::Empty) => Ok(None),
                Err(DateError::Invalid) => Err(INVALID.to_owned()),
                Err(error @ DateError::YearOutOfRange) => Err(error.message_vi().to_owned()),
            }
        }
    }
}

/// An Excel serial date (days since 30/12/1899; the time of day is dropped).
fn from_serial(serial: f64) -> Option<NaiveDate> {
    if !serial.is_finite() || !(1.0..2_958_466.0).contains(&serial) {
        return None;
    }
    let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?;
    epoch.checked_add_signed(chrono::Duration::days(serial.floor() as i64))
}

/// A registration year. `None` when the cell is empty.
pub fn year(cell: &Cell) -> CellResult<Option<Year>> {
    let value = text(cell)?;
    if value.is_empty() {
        return Ok(None);
    }
    Year::parse(&value)
        .map(Some)
        .ok_or_else(|| format!("Năm phải là số từ {} đến {}.", Year::MIN, Year::MAX))
}

/// Có/Không (also yes/no, x, 1/0, TRUE/FALSE). `None` when the cell is empty.
pub fn flag(cell: &Cell) -> CellResult<Option<bool>> {
    if let Cell::Bool(value) = cell {
        return Ok(Some(*value));
    }
    let value = loose_key(&text(cell)?);
    match value.as_str() {
        "" => Ok(None),
        "co" | "c" | "x" | "1" | "yes" | "y" | "true" | "dung" => Ok(Some(true)),
        "khong" | "k" | "0" | "no" | "n" | "false" | "sai" => Ok(Some(false)),
        _ => Err("Hãy ghi “Có” hoặc “Không”.".to_owned()),
    }
}

/// One of a closed set of values, by its label or code name (`parse_loose`). `None`
/// when the cell is empty; the message lists what is accepted.
pub fn choice<T: Copy>(
    cell: &Cell,
    all: &[T],
    parse_loose: fn(&str) -> Option<T>,
    label: fn(T) -> &'static str,
) -> CellResult<Option<T>> {
    let value = text(cell)?;
    if value.is_empty() {
        return Ok(None);
    }
    parse_loose(&value).map(Some).ok_or_else(|| {
        let accepted: Vec<String> = all
            .iter()
            .map(|item| format!("“{}”", label(*item)))
            .collect();
        format!(
            "“{value}” không có trong danh sách. Hãy ghi một trong: {}.",
            accepted.join(", ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Status;

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn text_cell(value: &str) -> Cell {
        Cell::Text(value.to_owned())
    }

    #[test]
    fn text_of_typed_cells() {
        assert_eq!(text(&Cell::Number(2022.0)), Ok("2022".to_owned()));
        assert_eq!(text(&Cell::Number(1.5)), Ok("1.5".to_owned()));
        assert_eq!(
            text(&Cell::Date(day(2022, 3, 1))),
            Ok("01/03/2022".to_owned())
        );
        assert_eq!(text(&text_cell("  Chi bộ  ")), Ok("Chi bộ".to_owned()));
        assert!(text(&Cell::Error("#N/A".to_owned())).is_err());
        assert_eq!(
            required_text(&Cell::Empty, "thiếu"),
            Err("thiếu".to_owned())
        );
    }

    #[test]
    fn money_from_numbers_and_text() {
        let dong = |n| Ok(Some(Vnd::new(n).unwrap_or_default()));
        assert_eq!(money(&Cell::Number(1_500_000.0)), dong(1_500_000));
        assert_eq!(money(&text_cell("1.500.000")), dong(1_500_000));
        assert_eq!(money(&text_cell("1500000")), dong(1_500_000));
        assert_eq!(money(&text_cell("1.500.000 đ")), dong(1_500_000));
        assert_eq!(money(&Cell::Empty), Ok(None));
        assert_eq!(money(&text_cell(" ")), Ok(None));
        for bad in [
            Cell::Number(-5.0),
            Cell::Number(10.5),
            text_cell("1,5"),
            text_cell("mười triệu"),
            text_cell("1.50.000"),
            Cell::Date(day(2022, 1, 1)),
        ] {
            assert!(money(&bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn dates_from_date_cells_serials_and_text() {
        let first_of_march = Ok(Some(day(2022, 3, 1)));
        assert_eq!(date(&Cell::Date(day(2022, 3, 1))), first_of_march);
        // 44621 is 01/03/2022 in Excel's 1900 date system.
        assert_eq!(date(&Cell::Number(44621.0)), first_of_march);
        assert_eq!(date(&Cell::Number(44621.75)), first_of_march);
        assert_eq!(date(&text_cell("01/03/2022")), first_of_march);
        assert_eq!(date(&text_cell("1/3/2022")), first_of_march);
        assert_eq!(date(&text_cell("2022-03-01")), first_of_march);
        assert_eq!(date(&text_cell("2022-03-01T00:00:00")), first_of_march);
        assert_eq!(date(&Cell::Empty), Ok(None));
        for bad in [
            text_cell("31/02/2022"),
            text_cell("03/2022"),
            text_cell("hôm qua"),
            Cell::Number(-3.0),
            Cell::Bool(true),
        ] {
            assert!(date(&bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn years_flags_and_choices() {
        assert_eq!(year(&Cell::Number(2022.0)), Ok(Year::new(2022)));
        assert_eq!(year(&text_cell(" 2022 ")), Ok(Year::new(2022)));
        assert_eq!(year(&Cell::Empty), Ok(None));
        assert!(year(&Cell::Number(1999.0)).is_err());
        assert!(year(&Cell::Number(2022.5)).is_err());
        assert_eq!(flag(&text_cell("Có")), Ok(Some(true)));
        assert_eq!(flag(&text_cell("không")), Ok(Some(false)));
        assert_eq!(flag(&Cell::Bool(false)), Ok(Some(false)));
        assert_eq!(flag(&Cell::Number(1.0)), Ok(Some(true)));
        assert_eq!(flag(&Cell::Empty), Ok(None));
        assert!(flag(&text_cell("có lẽ")).is_err());
        let status = |cell: &Cell| choice(cell, Status::ALL, Status::parse_loose, Status::label_vi);
        assert_eq!(
            status(&text_cell("Hoàn thành")),
            Ok(Some(Status::Completed))
        );
        assert_eq!(status(&text_cell("cancelled")), Ok(Some(Status::Cancelled)));
        let refused = status(&text_cell("Xong")).unwrap_err();
        assert!(refused.contains("“Xong”") && refused.contains("“Đang thực hiện”"));
    }
}
