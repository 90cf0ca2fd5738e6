//! Vietnamese formatting and parsing of money, percentages, dates and search text.
//!
//! Conventions (see `shared/REPORTING.md`): thousands separator `.`, decimal comma,
//! dates `dd/mm/yyyy`, times shown in Vietnam time (UTC+7, no daylight saving).
//! All rounding is done on integers so that figures never drift by a float error.

use chrono::{DateTime, FixedOffset, NaiveDate, Utc};

/// One triệu (million) đồng.
const TRIEU: u128 = 1_000_000;
/// One tỷ (billion) đồng.
const TY: u128 = 1_000_000_000;
/// Vietnam has used UTC+7 all year since 1975, so a fixed offset is exact for our dates.
const VIETNAM_OFFSET_SECS: i32 = 7 * 3600;

/// A file size as Vietnamese readers write it: `850 byte`, `12 KB`, `3,4 MB`.
pub fn file_size(bytes: i64) -> String {
    const KB: i64 = 1024;
    const MB: i64 = 1024 * 1024;
    if bytes < KB {
        format!("{bytes} byte")
    } else if bytes < MB {
        format!("{} KB", (bytes + KB / 2) / KB)
    } else {
        let tenths = (bytes * 10 + MB / 2) / MB;
        if tenths % 10 == 0 {
            format!("{} MB", tenths / 10)
        } else {
            format!("{},{} MB", tenths / 10, tenths % 10)
        }
    }
}

/// Groups the digits of `n` by thousands with dots: `6012500000` → `6.012.500.000`.
///
/// Negative numbers keep a leading `-`: `-1500` → `-1.500`. Works for the whole `i64`
/// range, `i64::MIN` included.
pub fn group_thousands(n: i64) -> String {
    let grouped = group_unsigned(u128::from(n.unsigned_abs()));
    if n < 0 {
        format!("-{grouped}")
    } else {
        grouped
    }
}

/// Groups an unsigned magnitude; the internal helper behind every money format.
fn group_unsigned(n: u128) -> String {
    let digits = n.to_string();
    let len = digits.len();
    let mut out = String::with_capacity(len + len / 3);
    for (i, ch) in digits.chars().enumerate() {
        // A dot goes before every digit that starts a group of three counted from the right.
        if i > 0 && (len - i).is_multiple_of(3) {
            out.push('.');
        }
        out.push(ch);
    }
    out
}

/// The exact amount as shown in tables and forms: `6012500000` → `6.012.500.000 đ`.
pub fn vnd_full(dong: i64) -> String {
    format!("{} đ", group_thousands(dong))
}

/// Sign prefix for a value whose magnitude is formatted separately.
fn sign(dong: i64) -> &'static str {
    if dong < 0 { "-" } else { "" }
}

/// Writes a count of hundredths as `int[,d[d]]` with trailing zeros dropped:
/// `601` → `6,01`, `40240` → `402,4`, `95700` → `957`.
fn hundredths_to_string(hundredths: u128) -> String {
    let int = group_unsigned(hundredths / 100);
    let frac = hundredths % 100;
    if frac == 0 {
        int
    } else if frac.is_multiple_of(10) {
        format!("{int},{}", frac / 10)
    } else {
        format!("{int},{frac:02}")
    }
}

/// Writes a count of tenths as `int[,d]`: `600` → `60`, `125` → `12,5`, `12345` → `1.234,5`.
pub fn tenths_to_string(tenths: u128) -> String {
    let int = group_unsigned(tenths / 10);
    match tenths % 10 {
        0 => int,
        frac => format!("{int},{frac}"),
    }
}

/// Divides and rounds half up (all operands are non-negative magnitudes).
fn div_round(n: u128, d: u128) -> u128 {
    (n + d / 2) / d
}

/// The short form used in running text and dashboards, at most two decimals:
/// `6012500000` → `6,01 tỷ đồng`, `719690000` → `719,69 triệu đồng`,
/// `957000000` → `957 triệu đồng`, `850000` → `850.000 đồng`, `0` → `0 đồng`.
///
/// Amounts under one million are written exactly. A value that rounds up to 1.000 triệu
/// is written `1 tỷ đồng` rather than `1.000 triệu đồng`. This form carries no qualifier;
/// use [`vnd_headline`] where "hơn"/"gần" matters.
pub fn vnd_short(dong: i64) -> String {
    let abs = u128::from(dong.unsigned_abs());
    let s = sign(dong);
    if abs < TRIEU {
        return format!("{s}{} đồng", group_unsigned(abs));
    }
    if abs < TY {
        let hundredths = div_round(abs * 100, TRIEU);
        // 999.995.000 đ and up would print as "1.000 triệu"; readers expect "1 tỷ".
        if hundredths < 1000 * 100 {
            return format!("{s}{} triệu đồng", hundredths_to_string(hundredths));
        }
    }
    let hundredths = div_round(abs * 100, TY);
    format!("{s}{} tỷ đồng", hundredths_to_string(hundredths))
}

/// A report headline figure: rounded to a whole number of tỷ (from 1 tỷ up) or triệu
/// (from 1 triệu up), prefixed by the qualifier that is true of the exact amount:
/// "hơn" when the exact amount is above the rounded figure, "gần" when below, none when
/// equal. `6039000000` → `hơn 6 tỷ đồng`, `5980000000` → `gần 6 tỷ đồng`,
/// `443900000000` → `gần 444 tỷ đồng`, `6000000000` → `6 tỷ đồng`.
///
/// Under one million the exact amount is written (`850.000 đồng`). Rounding is half up,
/// so `1500000000` → `gần 2 tỷ đồng`. Money is never negative in this app; a negative
/// input gets the plain [`vnd_short`] form, since "hơn"/"gần" would be ambiguous.
pub fn vnd_headline(dong: i64) -> String {
    if dong < 0 {
        return vnd_short(dong);
    }
    let exact = u128::from(dong.unsigned_abs());
    if exact < TRIEU {
        return format!("{} đồng", group_unsigned(exact));
    }
    let unit = if exact >= TY { TY } else { TRIEU };
    let mut rounded_value = div_round(exact, unit) * unit;
    let mut unit_name = if unit == TY { "tỷ" } else { "triệu" };
    let mut display_unit = unit;
    // 999,6 triệu rounds to 1.000 triệu, which reads as "1 tỷ".
    if rounded_value >= TY && unit == TRIEU {
        rounded_value = TY;
        unit_name = "tỷ";
        display_unit = TY;
    }
    let qualifier = match exact.cmp(&rounded_value) {
        std::cmp::Ordering::Greater => "hơn ",
        std::cmp::Ordering::Less => "gần ",
        std::cmp::Ordering::Equal => "",
    };
    format!(
        "{qualifier}{} {unit_name} đồng",
        group_unsigned(rounded_value / display_unit)
    )
}

/// A percentage with one decimal and a decimal comma, as Party reports write rates:
/// `61/94` → `64,9%`, `1/2` → `50,0%`, so that "tăng 22,0%" stands beside "tăng 5,6%".
/// Exactly nothing and exactly everything are written as reports write them, `0%` and
/// `100%` (a denominator of `0` gives `0%`): "100,0%" reads as a rounded figure, and
/// those two are exact.
///
/// Rounding is half away from zero, with two guards so the text never claims more than
/// is true: a share that is not complete never shows `100%` (it shows `99,9%`), and a
/// non-zero share never shows `0%` (it shows `0,1%`). Values above 100% are shown as
/// they are (`đạt và vượt`).
pub fn percent(numerator: i64, denominator: i64) -> String {
    if denominator == 0 || numerator == 0 {
        return "0%".to_string();
    }
    if numerator == denominator {
        return "100%".to_string();
    }
    let num = i128::from(numerator);
    let den = i128::from(denominator);
    let negative = (num < 0) != (den < 0);
    let (n, d) = (num.unsigned_abs(), den.unsigned_abs());
    let mut tenths = div_round(n * 1000, d);
    if n < d {
        tenths = tenths.clamp(1, 999);
    }
    let sign = if negative { "-" } else { "" };
    format!("{sign}{}%", one_decimal(tenths))
}

/// Writes a count of tenths always with its decimal: `600` → `60,0`, `12345` → `1.234,5`
/// (rates and percentage points, which reports write with one decimal).
pub fn one_decimal(tenths: u128) -> String {
    format!("{},{}", group_unsigned(tenths / 10), tenths % 10)
}

/// The share as a number between 0 and 100 inclusive, for progress-bar widths.
/// A zero denominator gives 0; results outside the range are clamped.
pub fn percent_value(numerator: i64, denominator: i64) -> f64 {
    if denominator == 0 {
        return 0.0;
    }
    // i64 → f64 may lose precision past 2^53, which does not matter for a bar width.
    let value = numerator as f64 / denominator as f64 * 100.0;
    value.clamp(0.0, 100.0)
}

/// A date as Vietnamese readers write it: `31/12/2022`.
pub fn date_vi(d: NaiveDate) -> String {
    d.format("%d/%m/%Y").to_string()
}

/// A timestamp shown in Vietnam time (UTC+7): `2022-12-31T07:05:00Z` → `14:05 31/12/2022`.
pub fn datetime_vi(dt: DateTime<Utc>) -> String {
    match FixedOffset::east_opt(VIETNAM_OFFSET_SECS) {
        Some(offset) => dt
            .with_timezone(&offset)
            .format("%H:%M %d/%m/%Y")
            .to_string(),
        // Unreachable: 7 h is a valid offset; fall back to UTC rather than panic.
        None => dt.format("%H:%M %d/%m/%Y UTC").to_string(),
    }
}

/// A moment to the second, in Vietnam time (UTC+7): `31/12/2022 23:59:07`.
pub fn timestamp_vi(dt: DateTime<Utc>) -> String {
    match FixedOffset::east_opt(VIETNAM_OFFSET_SECS) {
        Some(offset) => dt
            .with_timezone(&offset)
            .format("%d/%m/%Y %H:%M:%S")
            .to_string(),
        None => dt.format("%d/%m/%Y %H:%M:%S UTC").to_string(),
    }
}

/// The place-date line of an official Party document:
/// `Lạng Sơn, ngày 31 tháng 12 năm 2022`.
///
/// Per Hướng dẫn 36-HD/VPTW, days below 10 and the months January and February take a
/// leading zero: `ngày 03 tháng 4 năm 2018`, `ngày 20 tháng 02 năm 2018`.
pub fn place_date_line(place: &str, d: NaiveDate) -> String {
    use chrono::Datelike;
    let month = d.month();
    // Only 1 and 2 are padded: "tháng 01" cannot later be misread as "tháng 10"/"tháng 11",
    // which is the reason the rule exists.
    let month_text = if month <= 2 {
        format!("{month:02}")
    } else {
        month.to_string()
    };
    format!(
        "{}, ngày {:02} tháng {} năm {}",
        place.trim(),
        d.day(),
        month_text,
        d.year()
    )
}

/// Why a typed date was refused.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum DateError {
    /// Nothing was typed; callers may treat this as "not given".
    #[error("no date given")]
    Empty,
    /// The text is not a real calendar date in an accepted layout.
    #[error("invalid date, expected dd/mm/yyyy")]
    Invalid,
    /// A real date, but its year is outside 2000–2100 (as the
    /// registration year is): 01/01/0000 or 31/12/9999 is a slip of the keyboard.
    #[error("year outside 2000–2100")]
    YearOutOfRange,
}

/// The message for a date whose year is outside the accepted range.
pub const YEAR_OUT_OF_RANGE: &str = "Năm phải từ 2000 đến 2100.";

/// `Err(YearOutOfRange)` for a date outside the years every date of the application
/// keeps to (the same as the registration year's).
pub fn check_date_year(date: NaiveDate) -> Result<NaiveDate, DateError> {
    use chrono::Datelike;
    if crate::domain::Year::new(date.year()).is_some() {
        Ok(date)
    } else {
        Err(DateError::YearOutOfRange)
    }
}

impl DateError {
    /// A sentence to show beside the form field.
    pub fn message_vi(&self) -> &'static str {
        match self {
            DateError::Empty => "Hãy nhập ngày theo dạng dd/mm/yyyy.",
            DateError::Invalid => "Ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy.",
            DateError::YearOutOfRange => YEAR_OUT_OF_RANGE,
        }
    }
}

/// Parses a date typed by a user, day first: `31/12/2022`, `3/4/2018`, `31-12-2022`,
/// `31.12.2022`, or eight digits `31122022` (what a phone's number pad, which often has
/// neither "/" nor "-", can type); or ISO `2022-12-31` (what `<input type="date">`
/// submits). Surrounding whitespace is ignored.
///
/// The year must have four digits (a two-digit year is ambiguous), the day and month one
/// or two (two in the eight-digit form), one separator throughout, and the date must
/// exist (`31/02/2022` is refused).
pub fn parse_date(input: &str) -> Result<NaiveDate, DateError> {
    let s = input.trim();
    if s.is_empty() {
        return Err(DateError::Empty);
    }
    let all_digits = |p: &str, min: usize, max: usize| {
        (min..=max).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit())
    };
    let (year, month, day) = if all_digits(s, 8, 8) {
        (&s[4..], &s[2..4], &s[..2])
    } else {
        let sep = s
            .chars()
            .find(|c| !c.is_ascii_digit())
            .filter(|c| matches!(c, '/' | '-' | '.'))
            .ok_or(DateError::Invalid)?;
        let parts: Vec<&str> = s.split(sep).collect();
        let [a, b, c] = parts.as_slice() else {
            return Err(DateError::Invalid);
        };
        if sep == '-' && all_digits(a, 4, 4) {
            // ISO order. Month and day are two digits in ISO, but a lenient 1-2 does no harm.
            if !all_digits(b, 1, 2) || !all_digits(c, 1, 2) {
                return Err(DateError::Invalid);
            }
            (*a, *b, *c)
        } else {
            if !all_digits(a, 1, 2) || !all_digits(b, 1, 2) || !all_digits(c, 4, 4) {
                return Err(DateError::Invalid);
            }
            (*c, *b, *a)
        }
    };
    // The digit checks above guarantee these parses succeed; map_err keeps it panic-free.
    let year: i32 = year.parse().map_err(|_| DateError::Invalid)?;
    let month: u32 = month.parse().map_err(|_| DateError::Invalid)?;
    let day: u32 = day.parse().map_err(|_| DateError::Invalid)?;
    NaiveDate::from_ymd_opt(year, month, day)
        .ok_or(DateError::Invalid)
        .and_then(check_date_year)
}

/// Lower-cases and strips Vietnamese diacritics so search can match with or without them:
/// `Cải cách Hành chính` → `cai cach hanh chinh`, `Đảng ủy` → `dang uy`.
///
/// Handles precomposed (NFC) letters and decomposed input, whose combining marks
/// (U+0300–U+036F) are dropped. Characters outside Vietnamese are lower-cased and kept.
pub fn fold_diacritics(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars().flat_map(char::to_lowercase) {
        if ('\u{0300}'..='\u{036F}').contains(&ch) {
            continue;
        }
        out.push(fold_char(ch));
    }
    out
}

/// A key for matching what people type against a fixed text, as spreadsheet headers
/// and cells are matched: diacritics folded, lower case, every run of characters other
/// than letters and digits made one space. `Kinh phí dự kiến (đồng)` → `kinh phi du kien dong`.
pub fn loose_key(s: &str) -> String {
    let folded = fold_diacritics(s);
    let spaced: String = folded
        .chars()
        .map(|ch| if ch.is_alphanumeric() { ch } else { ' ' })
        .collect();
    spaced.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Maps one lower-case Vietnamese letter to its bare ASCII letter.
fn fold_char(ch: char) -> char {
    match ch {
        'à' | 'á' | 'ả' | 'ã' | 'ạ' | 'ă' | 'ằ' | 'ắ' | 'ẳ' | 'ẵ' | 'ặ' | 'â' | 'ầ' | 'ấ' | 'ẩ'
        | 'ẫ' | 'ậ' => 'a',
        'è' | 'é' | 'ẻ' | 'ẽ' | 'ẹ' | 'ê' | 'ề' | 'ế' | 'ể' | 'ễ' | 'ệ' => 'e',
        'ì' | 'í' | 'ỉ' | 'ĩ' | 'ị' => 'i',
        'ò' | 'ó' | 'ỏ' | 'õ' | 'ọ' | 'ô' | 'ồ' | 'ố' | 'ổ' | 'ỗ' | 'ộ' | 'ơ' | 'ờ' | 'ớ' | 'ở'
        | 'ỡ' | 'ợ' => 'o',
        'ù' | 'ú' | 'ủ' | 'ũ' | 'ụ' | 'ư' | 'ừ' | 'ứ' | 'ử' | 'ữ' | 'ự' => 'u',
        'ỳ' | 'ý' | 'ỷ' | 'ỹ' | 'ỵ' => 'y',
        // 'ð' (eth) is a common mistyping of đ on old keyboard layouts.
        'đ' | 'ð' => 'd',
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).expect("test dates are valid")
    }

    #[test]
    fn groups_thousands() {
        assert_eq!(group_thousands(0), "0");
        assert_eq!(group_thousands(7), "7");
        assert_eq!(group_thousands(999), "999");
        assert_eq!(group_thousands(1000), "1.000");
        assert_eq!(group_thousands(120_500_000), "120.500.000");
        assert_eq!(group_thousands(6_012_500_000), "6.012.500.000");
        assert_eq!(group_thousands(-1500), "-1.500");
        assert_eq!(group_thousands(-999), "-999");
        assert_eq!(group_thousands(i64::MAX), "9.223.372.036.854.775.807");
        assert_eq!(group_thousands(i64::MIN), "-9.223.372.036.854.775.808");
    }

    #[test]
    fn full_amount() {
        assert_eq!(vnd_full(6_012_500_000), "6.012.500.000 đ");
        assert_eq!(vnd_full(0), "0 đ");
        assert_eq!(vnd_full(500), "500 đ");
    }

    #[test]
    fn short_amount() {
        assert_eq!(vnd_short(6_012_500_000), "6,01 tỷ đồng");
        assert_eq!(vnd_short(6_039_000_000), "6,04 tỷ đồng");
        assert_eq!(vnd_short(719_690_000), "719,69 triệu đồng");
        assert_eq!(vnd_short(957_000_000), "957 triệu đồng");
        assert_eq!(vnd_short(402_400_000_000), "402,4 tỷ đồng");
        assert_eq!(vnd_short(850_000), "850.000 đồng");
        assert_eq!(vnd_short(999_999), "999.999 đồng");
        assert_eq!(vnd_short(0), "0 đồng");
        assert_eq!(vnd_short(1_000_000), "1 triệu đồng");
        assert_eq!(vnd_short(1_004_999), "1 triệu đồng");
        assert_eq!(vnd_short(1_005_000), "1,01 triệu đồng");
        assert_eq!(vnd_short(1_500_000), "1,5 triệu đồng");
        assert_eq!(vnd_short(6_000_000_000), "6 tỷ đồng");
        assert_eq!(vnd_short(1_000_000_000), "1 tỷ đồng");
        // Rounds up across the unit boundary: "1 tỷ", never "1.000 triệu".
        assert_eq!(vnd_short(999_994_999), "999,99 triệu đồng");
        assert_eq!(vnd_short(999_995_000), "1 tỷ đồng");
        assert_eq!(vnd_short(1_500_000_000_000), "1.500 tỷ đồng");
        assert_eq!(vnd_short(-719_690_000), "-719,69 triệu đồng");
        assert_eq!(vnd_short(i64::MIN), "-9.223.372.036,85 tỷ đồng");
    }

    #[test]
    fn headline_amount() {
        assert_eq!(vnd_headline(6_039_000_000), "hơn 6 tỷ đồng");
        assert_eq!(vnd_headline(5_980_000_000), "gần 6 tỷ đồng");
        assert_eq!(vnd_headline(6_000_000_000), "6 tỷ đồng");
        assert_eq!(vnd_headline(443_900_000_000), "gần 444 tỷ đồng");
        assert_eq!(vnd_headline(298_700_000_000), "gần 299 tỷ đồng");
        assert_eq!(vnd_headline(6_000_000_001), "hơn 6 tỷ đồng");
        assert_eq!(vnd_headline(1_500_000_000), "gần 2 tỷ đồng");
        assert_eq!(vnd_headline(719_690_000), "gần 720 triệu đồng");
        assert_eq!(vnd_headline(957_000_000), "957 triệu đồng");
        assert_eq!(vnd_headline(957_400_000), "hơn 957 triệu đồng");
        assert_eq!(vnd_headline(999_600_000), "gần 1 tỷ đồng");
        assert_eq!(vnd_headline(999_400_000), "hơn 999 triệu đồng");
        assert_eq!(vnd_headline(1_000_000), "1 triệu đồng");
        assert_eq!(vnd_headline(850_000), "850.000 đồng");
        assert_eq!(vnd_headline(0), "0 đồng");
        assert_eq!(vnd_headline(1_500_000_000_000), "1.500 tỷ đồng");
        assert_eq!(vnd_headline(-6_039_000_000), "-6,04 tỷ đồng");
        assert_eq!(vnd_headline(i64::MAX), "gần 9.223.372.037 tỷ đồng");
    }

    #[test]
    fn percentages() {
        assert_eq!(percent(61, 94), "64,9%");
        assert_eq!(percent(94, 94), "100%");
        assert_eq!(percent(0, 94), "0%");
        assert_eq!(percent(5, 0), "0%");
        assert_eq!(percent(0, 0), "0%");
        assert_eq!(percent(1, 2), "50,0%");
        assert_eq!(percent(1, 3), "33,3%");
        assert_eq!(percent(2, 3), "66,7%");
        assert_eq!(percent(563_157, 564_000), "99,9%");
        assert_eq!(percent(149, 158), "94,3%");
        assert_eq!(percent(16, 20), "80,0%");
        assert_eq!(percent(22, 100), "22,0%");
        assert_eq!(percent(120, 100), "120,0%");
        assert_eq!(percent(20_000, 1), "2.000.000,0%");
        // Guards: never "100%" unless complete, never "0%" when something was done.
        assert_eq!(percent(1999, 2000), "99,9%");
        assert_eq!(percent(1, 3000), "0,1%");
        assert_eq!(percent(-1, 4), "-25,0%");
        assert_eq!(percent(i64::MAX, i64::MAX), "100%");
        assert_eq!(percent(i64::MIN, 1), "-922.337.203.685.477.580.800,0%");
        assert_eq!(percent(-7, -7), "100%");
    }

    #[test]
    fn percentage_values() {
        assert!((percent_value(61, 94) - 64.893_617).abs() < 1e-5);
        assert_eq!(percent_value(94, 94), 100.0);
        assert_eq!(percent_value(1, 0), 0.0);
        assert_eq!(percent_value(200, 100), 100.0);
        assert_eq!(percent_value(-5, 100), 0.0);
    }

    #[test]
    fn dates() {
        assert_eq!(date_vi(date(2022, 12, 31)), "31/12/2022");
        assert_eq!(date_vi(date(2018, 4, 3)), "03/04/2018");
    }

    #[test]
    fn datetimes_in_vietnam_time() {
        let dt = DateTime::parse_from_rfc3339("2022-12-31T07:05:00Z")
            .expect("valid RFC 3339")
            .with_timezone(&Utc);
        assert_eq!(datetime_vi(dt), "14:05 31/12/2022");
        // Crossing midnight moves the date too.
        let late = DateTime::parse_from_rfc3339("2022-12-31T20:30:00Z")
            .expect("valid RFC 3339")
            .with_timezone(&Utc);
        assert_eq!(datetime_vi(late), "03:30 01/01/2023");
        assert_eq!(timestamp_vi(late), "01/01/2023 03:30:00");
    }

    #[test]
    fn place_date_lines() {
        assert_eq!(
            place_date_line("Lạng Sơn", date(2022, 12, 31)),
            "Lạng Sơn, ngày 31 tháng 12 năm 2022"
        );
        assert_eq!(
            place_date_line("Hà Nội", date(2018, 4, 3)),
            "Hà Nội, ngày 03 tháng 4 năm 2018"
        );
        assert_eq!(
            place_date_line("Hà Nội", date(2018, 2, 20)),
            "Hà Nội, ngày 20 tháng 02 năm 2018"
        );
        assert_eq!(
            place_date_line(" Lạng Sơn ", date(2026, 1, 9)),
            "Lạng Sơn, ngày 09 tháng 01 năm 2026"
        );
        assert_eq!(
            place_date_line("Lạng Sơn", date(2021, 10, 10)),
            "Lạng Sơn, ngày 10 tháng 10 năm 2021"
        );
    }

    #[test]
    fn parses_dates() {
        assert_eq!(parse_date("31/12/2022"), Ok(date(2022, 12, 31)));
        assert_eq!(parse_date("3/4/2018"), Ok(date(2018, 4, 3)));
        assert_eq!(parse_date("03/04/2018"), Ok(date(2018, 4, 3)));
        assert_eq!(parse_date("31-12-2022"), Ok(date(2022, 12, 31)));
        assert_eq!(parse_date("2022-12-31"), Ok(date(2022, 12, 31)));
        assert_eq!(parse_date("  18/5/2021 \n"), Ok(date(2021, 5, 18)));
        assert_eq!(parse_date("29/02/2024"), Ok(date(2024, 2, 29)));
        assert_eq!(parse_date("01.05.2026"), Ok(date(2026, 5, 1)));
        assert_eq!(parse_date("1.5.2026"), Ok(date(2026, 5, 1)));
        assert_eq!(parse_date("30122026"), Ok(date(2026, 12, 30)));
        assert_eq!(parse_date("15022026"), Ok(date(2026, 2, 15)));
    }

    #[test]
    fn refuses_bad_dates() {
        assert_eq!(parse_date(""), Err(DateError::Empty));
        assert_eq!(parse_date("   "), Err(DateError::Empty));
        for bad in [
            "31/02/2022",
            "29/02/2023",
            "32/1/2022",
            "1/13/2022",
            "0/1/2022",
            "31/12/22",
            "31/12/02022",
            "2022/12/31",
            "31/12-2022",
            "31.12-2022",
            "31 12 2022",
            "3122026",
            "301220260",
            "31022026",
            "2026.12.31",
            "31/12/2022/1",
            "a/b/cdef",
            "+1/1/2022",
            "-1/1/2022",
            "2022-13-01",
            "2022-1-",
            "hôm nay",
            "１/１/２０２２",
        ] {
            assert_eq!(parse_date(bad), Err(DateError::Invalid), "{bad}");
        }
        assert_eq!(
            DateError::Invalid.message_vi(),
            "Ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy."
        );
        assert!(!DateError::Empty.message_vi().is_empty());
    }

    #[test]
    fn folds_diacritics() {
        assert_eq!(
            fold_diacritics("Cải cách Hành chính"),
            "cai cach hanh chinh"
        );
        assert_eq!(fold_diacritics("Đảng ủy Khối"), "dang uy khoi");
        assert_eq!(
            fold_diacritics("công sở sáng – xanh – sạch – đẹp"),
            "cong so sang – xanh – sach – dep"
        );
        assert_eq!(
            fold_diacritics("Học tập và làm theo Bác"),
            "hoc tap va lam theo bac"
        );
        assert_eq!(fold_diacritics("PHỤC VỤ NHÂN DÂN"), "phuc vu nhan dan");
        assert_eq!(
            fold_diacritics("Trường Sơn, Lạng Sơn"),
            "truong son, lang son"
        );
        assert_eq!(
            fold_diacritics("ỲÝỶỸỴ ƯỪỨỬỮỰ ƠỜỚỞỠỢ"),
            "yyyyy uuuuuu oooooo"
        );
        assert_eq!(fold_diacritics("ĂẰẮẲẴẶÂẦẤẨẪẬ"), "aaaaaaaaaaaa");
        assert_eq!(fold_diacritics("ÊỀẾỂỄỆ ÌÍỈĨỊ"), "eeeeee iiiii");
        assert_eq!(fold_diacritics("plain ascii 123"), "plain ascii 123");
        assert_eq!(fold_diacritics(""), "");
    }

    #[test]
    fn loose_keys_ignore_case_diacritics_and_punctuation() {
        assert_eq!(
            loose_key("Kinh phí dự kiến (đồng)"),
            "kinh phi du kien dong"
        );
        assert_eq!(loose_key("  Mã   đơn vị "), "ma don vi");
        assert_eq!(loose_key("in_progress"), "in progress");
        assert_eq!(loose_key("–"), "");
    }

    #[test]
    fn folds_decomposed_input() {
        // "Cải cách" in NFD: a + hook above, a + acute.
        let nfd = "Ca\u{0309}i ca\u{0301}ch";
        assert_eq!(fold_diacritics(nfd), "cai cach");
        // ệ as e + circumflex + dot below; ằ as a + breve + grave; ợ as o + horn + dot below.
        assert_eq!(fold_diacritics("e\u{0302}\u{0323}"), "e");
        assert_eq!(fold_diacritics("a\u{0306}\u{0300}"), "a");
        assert_eq!(fold_diacritics("o\u{031B}\u{0323}"), "o");
        // Partly composed: ơ followed by a combining acute.
        assert_eq!(fold_diacritics("\u{01A1}\u{0301}"), "o");
        // Folding NFC and NFD spellings gives the same key.
        assert_eq!(
            fold_diacritics("Đảng bộ"),
            fold_diacritics("\u{0110}a\u{0309}ng bo\u{0302}\u{0323}")
        );
    }
}
