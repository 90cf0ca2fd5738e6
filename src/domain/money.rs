//! `Vnd`: a non-negative amount of whole Vietnamese đồng, and parsing of amounts users type.
//!
//! The đồng has no minor unit, so an amount is a whole number held in an `i64`; the type
//! keeps it from ever being negative. Parsing follows Vietnamese habits: `.` (or a space)
//! separates thousands and `,` is a decimal comma, which an amount of đồng cannot have.

use std::fmt;
use std::str::FromStr;

use crate::domain::format::{fold_diacritics, vnd_full};

/// An amount of whole Vietnamese đồng; never negative.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default, serde::Serialize)]
#[serde(transparent)]
pub struct Vnd(i64);

/// Why a typed amount was refused. `message_vi` gives the sentence to show in a form.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum MoneyError {
    /// Nothing was typed; callers may treat this as "not given".
    #[error("no amount given")]
    Empty,
    /// A minus sign was typed.
    #[error("amount is negative")]
    Negative,
    /// A comma was typed: in Vietnamese it is a decimal comma, and đồng has no fraction.
    #[error("amount has a decimal comma; đồng has no minor unit")]
    DecimalComma,
    /// Thousands separators that do not split the digits into groups of three.
    #[error("thousands separators must split the digits into groups of three")]
    BadGrouping,
    /// Something other than digits, separators and a unit.
    #[error("amount is not a whole number of đồng")]
    Invalid,
    /// More than [`Vnd::MAX_INPUT`]; almost surely a typing slip.
    #[error("amount is larger than 10^15 đồng")]
    TooLarge,
}

impl MoneyError {
    /// A clear Vietnamese sentence to show beside the form field.
    pub fn message_vi(&self) -> &'static str {
        match self {
            MoneyError::Empty => "Hãy nhập số tiền (đồng), ví dụ 6.000.000.",
            MoneyError::Negative => "Số tiền không được là số âm.",
            MoneyError::DecimalComma => {
                "Số tiền tính bằng đồng, không có phần lẻ sau dấu phẩy; \
                 hãy dùng dấu chấm để tách hàng nghìn, ví dụ 6.000.000."
            }
            MoneyError::BadGrouping => {
                "Dấu chấm tách hàng nghìn phải chia số thành từng nhóm 3 chữ số, \
                 ví dụ 6.000.000."
            }
            MoneyError::Invalid => "Số tiền phải là số nguyên đồng, không âm, ví dụ 6.000.000.",
            MoneyError::TooLarge => {
                "Số tiền quá lớn (tối đa 1.000.000.000.000.000 đồng), hãy kiểm tra lại."
            }
        }
    }
}

/// Units a user may type after the number, already folded to lower-case ASCII by
/// [`fold_diacritics`] (so `đ`, `Đồng`, `VNĐ`, `VND` and `dong` all match).
/// Longest first: "vnd" must be tried before its own tail "d".
const UNIT_SUFFIXES: [&str; 3] = ["vnd", "dong", "d"];

impl Vnd {
    /// Zero đồng.
    pub const ZERO: Vnd = Vnd(0);

    /// The largest amount [`Vnd::parse`] accepts: 10^15 đồng. Far above any real budget
    /// in this app, and far below `i64::MAX`, so sums of many amounts cannot overflow.
    pub const MAX_INPUT: Vnd = Vnd(1_000_000_000_000_000);

    /// Wraps a number of đồng; `None` if it is negative.
    pub fn new(dong: i64) -> Option<Vnd> {
        (dong >= 0).then_some(Vnd(dong))
    }

    /// The amount in đồng (never negative).
    pub fn dong(self) -> i64 {
        self.0
    }

    /// Sum of two amounts; `None` on `i64` overflow.
    pub fn checked_add(self, other: Vnd) -> Option<Vnd> {
        self.0.checked_add(other.0).map(Vnd)
    }

    /// Difference of two amounts; `None` if it would be negative.
    pub fn checked_sub(self, other: Vnd) -> Option<Vnd> {
        self.0.checked_sub(other.0).and_then(Vnd::new)
    }

    /// Sum of many amounts (e.g. a dashboard total); `None` on `i64` overflow.
    pub fn checked_sum<I: IntoIterator<Item = Vnd>>(amounts: I) -> Option<Vnd> {
        amounts
            .into_iter()
            .try_fold(Vnd::ZERO, |acc, v| acc.checked_add(v))
    }

    /// Parses an amount as a Vietnamese user types it.
    ///
    /// Accepted: `6.000.000`, `6 000 000` (any space, including non-breaking and narrow
    /// no-break spaces), `6000000`, with an optional unit after it: `đ`, `đồng`, `VND`,
    /// `vnđ` in any case (also typed without diacritics), and surrounding whitespace.
    ///
    /// Refused: empty input ([`MoneyError::Empty`], so a caller can read it as "not
    /// given"), a minus sign, any comma (`6,5`, `1.000,50`, and also `6,000,000`, since a
    /// Vietnamese reader takes the comma as a decimal mark), separators not in groups of
    /// three (`6.00.000`), mixed dot and space separators, any other character, and
    /// amounts over [`Vnd::MAX_INPUT`].
    pub fn parse(input: &str) -> Result<Vnd, MoneyError> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(MoneyError::Empty);
        }
        // Folding turns "Đồng"/"VNĐ" into "dong"/"vnd" and leaves digits alone; it also
        // removes stray combining marks that a Vietnamese IME can leave behind.
        let folded = fold_diacritics(trimmed);
        let mut number = folded.as_str();
        if let Some(rest) = UNIT_SUFFIXES.iter().find_map(|s| number.strip_suffix(s)) {
            number = rest.trim_end();
        }
        // '−' (U+2212) and '–' (U+2013) come from pasting out of documents.
        if let Some(rest) = number.strip_prefix(['-', '−', '–']) {
            return if rest.trim().is_empty() {
                Err(MoneyError::Invalid)
            } else {
                Err(MoneyError::Negative)
            };
        }
        if number.contains(',') {
            return Err(MoneyError::DecimalComma);
        }
        if number.is_empty()
            || !number
                .chars()
                .all(|c| c.is_ascii_digit() || c == '.' || c.is_whitespace())
        {
            return Err(MoneyError::Invalid);
        }
        let has_dot = number.contains('.');
        let has_space = number.chars().any(char::is_whitespace);
        if has_dot && has_space {
            return Err(MoneyError::BadGrouping);
        }
        // Only one kind of separator is present now; every whitespace kind counts as a space.
        let groups: Vec<&str> = number
            .split(|c: char| c == '.' || c.is_whitespace())
            .collect();
        check_grouping(&groups)?;

        let limit = Vnd::MAX_INPUT.0;
        let mut value: i64 = 0;
        for digit in groups.iter().flat_map(|g| g.bytes()) {
            // Checked against the cap at every digit, so a long string cannot overflow.
            value = value * 10 + i64::from(digit - b'0');
            if value > limit {
                return Err(MoneyError::TooLarge);
            }
        }
        Ok(Vnd(value))
    }

    /// An amount held in a spreadsheet's number cell: a whole, non-negative number of
    /// đồng, at most [`Vnd::MAX_INPUT`] (far below 2^53, so the float is exact).
    pub fn from_number(value: f64) -> Result<Vnd, MoneyError> {
        if !value.is_finite() {
            Err(MoneyError::Invalid)
        } else if value < 0.0 {
            Err(MoneyError::Negative)
        } else if value.fract() != 0.0 {
            Err(MoneyError::DecimalComma)
        } else if value > Vnd::MAX_INPUT.0 as f64 {
            Err(MoneyError::TooLarge)
        } else {
            // Whole, finite and within range: the conversion is exact.
            Ok(Vnd(value as i64))
        }
    }
}

/// Checks that separated digit groups read as thousands: the first has 1–3 digits and
/// does not start with 0, every later one exactly 3. A single group may be any length.
fn check_grouping(groups: &[&str]) -> Result<(), MoneyError> {
    let [first, rest @ ..] = groups else {
        return Err(MoneyError::Invalid);
    };
    if rest.is_empty() {
        return Ok(());
    }
    // A leading "0." looks like an English decimal point ("0.500"), not a thousands dot.
    let first_ok = (1..=3).contains(&first.len()) && !first.starts_with('0');
    if first_ok && rest.iter().all(|g| g.len() == 3) {
        Ok(())
    } else {
        Err(MoneyError::BadGrouping)
    }
}

impl FromStr for Vnd {
    type Err = MoneyError;

    fn from_str(s: &str) -> Result<Vnd, MoneyError> {
        Vnd::parse(s)
    }
}

impl fmt::Display for Vnd {
    /// `6.012.500.000 đ`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&vnd_full(self.0))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn spreadsheet_numbers_are_whole_dong() {
        assert_eq!(Vnd::from_number(1_500_000.0), Ok(Vnd(1_500_000)));
        assert_eq!(Vnd::from_number(0.0), Ok(Vnd::ZERO));
        assert_eq!(Vnd::from_number(-1.0), Err(MoneyError::Negative));
        assert_eq!(Vnd::from_number(1.5), Err(MoneyError::DecimalComma));
        assert_eq!(Vnd::from_number(1e16), Err(MoneyError::TooLarge));
        assert_eq!(Vnd::from_number(f64::NAN), Err(MoneyError::Invalid));
    }

    fn ok(s: &str) -> i64 {
        match Vnd::parse(s) {
            Ok(v) => v.dong(),
            Err(e) => panic!("{s:?} refused: {e}"),
        }
    }

    #[test]
    fn constructs() {
        assert_eq!(Vnd::new(0), Some(Vnd::ZERO));
        assert_eq!(Vnd::new(6_000_000).map(Vnd::dong), Some(6_000_000));
        assert_eq!(Vnd::new(-1), None);
        assert_eq!(Vnd::new(i64::MIN), None);
        assert_eq!(Vnd::default(), Vnd::ZERO);
    }

    #[test]
    fn arithmetic() {
        let a = Vnd(5);
        let b = Vnd(7);
        assert_eq!(a.checked_add(b), Some(Vnd(12)));
        assert_eq!(Vnd(i64::MAX).checked_add(Vnd(1)), None);
        assert_eq!(b.checked_sub(a), Some(Vnd(2)));
        assert_eq!(a.checked_sub(b), None);
        assert_eq!(Vnd::checked_sum([a, b, Vnd(1)]), Some(Vnd(13)));
        assert_eq!(Vnd::checked_sum([]), Some(Vnd::ZERO));
        assert_eq!(Vnd::checked_sum([Vnd(i64::MAX), Vnd(1)]), None);
        assert!(Vnd(1) < Vnd(2));
    }

    #[test]
    fn displays_and_serializes() {
        assert_eq!(Vnd(6_012_500_000).to_string(), "6.012.500.000 đ");
        assert_eq!(Vnd::ZERO.to_string(), "0 đ");
        assert_eq!(
            serde_json::to_string(&Vnd(6_012_500_000)).ok().as_deref(),
            Some("6012500000")
        );
    }

    #[test]
    fn parses_common_forms() {
        assert_eq!(ok("6.000.000"), 6_000_000);
        assert_eq!(ok("6 000 000"), 6_000_000);
        assert_eq!(ok("6\u{00A0}000\u{00A0}000"), 6_000_000);
        assert_eq!(ok("6\u{202F}000\u{202F}000"), 6_000_000);
        assert_eq!(ok("6\u{2009}000\u{00A0}000"), 6_000_000);
        assert_eq!(ok("6000000"), 6_000_000);
        assert_eq!(ok("  6.012.500.000  "), 6_012_500_000);
        assert_eq!(ok("0"), 0);
        assert_eq!(ok("500"), 500);
        assert_eq!(ok("1.000"), 1000);
        assert_eq!(ok("12.500"), 12_500);
        assert_eq!(ok("120.500.000"), 120_500_000);
        assert_eq!(ok("007"), 7);
    }

    #[test]
    fn parses_units() {
        for s in [
            "6.000.000đ",
            "6.000.000 đ",
            "6.000.000 Đ",
            "6.000.000 đồng",
            "6.000.000 Đồng",
            "6.000.000 ĐỒNG",
            "6.000.000đồng",
            "6.000.000 VND",
            "6.000.000 vnd",
            "6.000.000 VNĐ",
            "6.000.000 vnđ",
            "6.000.000 dong",
            "6000000 d",
            "6 000 000 đ",
            // Decomposed "đồng": o + circumflex + grave.
            "6.000.000 đo\u{0302}\u{0300}ng",
            " 6.000.000 đ\n",
        ] {
            assert_eq!(ok(s), 6_000_000, "{s:?}");
        }
    }

    #[test]
    fn refuses_empty() {
        assert_eq!(Vnd::parse(""), Err(MoneyError::Empty));
        assert_eq!(Vnd::parse("   \t"), Err(MoneyError::Empty));
        assert_eq!(Vnd::parse("\u{00A0}"), Err(MoneyError::Empty));
        // A unit with no number is a mistake, not "not given".
        assert_eq!(Vnd::parse("đ"), Err(MoneyError::Invalid));
        assert_eq!(Vnd::parse("VND"), Err(MoneyError::Invalid));
    }

    #[test]
    fn refuses_decimal_comma() {
        for s in ["6,5", "1.000,50", "6,000,000", "1.000,00", "6,5 tỷ", "0,5"] {
            assert_eq!(Vnd::parse(s), Err(MoneyError::DecimalComma), "{s:?}");
        }
    }

    #[test]
    fn refuses_bad_grouping() {
        for s in [
            "6.00.000",
            "6.0000.000",
            "6000.000.000",
            "6.5",
            "0.500",
            "6..000",
            "6.000.",
            ".600",
            "6  000",
            "6.000 000",
            "6 00 000",
        ] {
            assert_eq!(Vnd::parse(s), Err(MoneyError::BadGrouping), "{s:?}");
        }
    }

    #[test]
    fn refuses_negative() {
        for s in ["-6.000.000", "-1", "−500", "– 500 đ", "-0"] {
            assert_eq!(Vnd::parse(s), Err(MoneyError::Negative), "{s:?}");
        }
        assert_eq!(Vnd::parse("-"), Err(MoneyError::Invalid));
    }

    #[test]
    fn refuses_non_digits() {
        for s in [
            "abc",
            "6tr",
            "6 triệu",
            "6e6",
            "+6000",
            "6.000.000 USD",
            "đ 6.000.000",
            "６０００",
            "6.000.000 đđ",
            "0x10",
            "6_000",
        ] {
            assert_eq!(Vnd::parse(s), Err(MoneyError::Invalid), "{s:?}");
        }
    }

    #[test]
    fn caps_size() {
        assert_eq!(ok("1.000.000.000.000.000"), 1_000_000_000_000_000);
        assert_eq!(
            Vnd::parse("1.000.000.000.000.001"),
            Err(MoneyError::TooLarge)
        );
        assert_eq!(
            Vnd::parse("99999999999999999999999999999999999999999"),
            Err(MoneyError::TooLarge)
        );
        assert_eq!(ok("0000000000000000000000000001"), 1);
    }

    #[test]
    fn from_str_matches_parse() {
        assert_eq!("6.000.000 đ".parse::<Vnd>(), Ok(Vnd(6_000_000)));
        assert_eq!("".parse::<Vnd>(), Err(MoneyError::Empty));
    }

    #[test]
    fn messages_are_vietnamese_sentences() {
        for e in [
            MoneyError::Empty,
            MoneyError::Negative,
            MoneyError::DecimalComma,
            MoneyError::BadGrouping,
            MoneyError::Invalid,
            MoneyError::TooLarge,
        ] {
            let m = e.message_vi();
            assert!(m.ends_with('.'), "{m}");
            assert!(!m.contains("  "), "{m}");
        }
        assert_eq!(
            MoneyError::Invalid.message_vi(),
            "Số tiền phải là số nguyên đồng, không âm, ví dụ 6.000.000."
        );
    }
}
