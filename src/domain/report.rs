//! What a Party report says besides its figures: the document abbreviation of the
//! issuing body (the "ĐUK" of "Số 25-BC/ĐUK"), the number line, the signer's block and
//! the limits of the report settings a reviewer fills in per unit and year.

use chrono::NaiveDate;

use crate::domain::UnitKind;
use crate::domain::text::hidden_character_problem;

/// The issuing body's abbreviation each kind of unit uses in its number line, in one
/// place. A unit whose own usage differs stores an override (`units.document_abbreviation`);
/// a kind without one (a mass organisation is not a Party body) falls back to the
/// unit's code.
pub const ABBREVIATIONS: &[(UnitKind, &str)] = &[
    (UnitKind::CentralCommittee, "TW"),
    (UnitKind::ProvinceCommittee, "TU"),
    (UnitKind::BlocCommittee, "ĐUK"),
    // The committees that replaced the blocs and districts sign as a Đảng ủy.
    (UnitKind::ProvinceAgenciesCommittee, "ĐU"),
    (UnitKind::ProvinceGovernmentCommittee, "ĐU"),
    (UnitKind::CommuneCommittee, "ĐU"),
    (UnitKind::GrassrootsCommittee, "ĐU"),
    (UnitKind::GrassrootsCell, "CB"),
    (UnitKind::AttachedCell, "CB"),
];

/// The abbreviation of a unit: its own override, else its kind's, else its code.
pub fn abbreviation<'a>(kind: UnitKind, override_: Option<&'a str>, code: &'a str) -> &'a str {
    override_
        .map(str::trim)
        .filter(|text| !text.is_empty())
        .or_else(|| {
            ABBREVIATIONS
                .iter()
                .find(|(candidate, _)| *candidate == kind)
                .map(|(_, abbreviation)| *abbreviation)
        })
        .unwrap_or(code)
}

/// `Số 25-BC/ĐUK`, or `Số    -BC/ĐUK` with room for the number written in by hand.
pub fn number_line(number: Option<i32>, abbreviation: &str) -> String {
    match number {
        Some(number) => format!("Số {number}-BC/{abbreviation}"),
        None => format!("Số {}-BC/{abbreviation}", "\u{00A0}".repeat(6)),
    }
}

/// The day a report is dated when its settings give none: the unit's reporting deadline
/// for the year, or 31 December of the year; never the day it is downloaded.
pub fn default_report_date(year: i32, reporting_deadline: Option<NaiveDate>) -> NaiveDate {
    reporting_deadline
        .or_else(|| NaiveDate::from_ymd_opt(year, 12, 31))
        .unwrap_or_default()
}

text_enum! {
    /// Who signs the report for the standing committee.
    SignerPosition {
        Secretary = "secretary", "Bí thư";
        Deputy = "deputy", "Phó Bí thư (ký thay Bí thư)";
    }
}

// `text_enum!` declares the enum, so `#[derive(Default)]` cannot be put on it.
#[allow(clippy::derivable_impls)]
impl Default for SignerPosition {
    fn default() -> Self {
        SignerPosition::Secretary
    }
}

impl SignerPosition {
    /// The capitalised lines above the name: the body signed for ("T/M BAN THƯỜNG VỤ",
    /// "T/M ĐẢNG ỦY", "T/M CHI BỘ"; see [`signing_body`]) over "BÍ THƯ", or over
    /// "K/T BÍ THƯ" and "PHÓ BÍ THƯ" (Hướng dẫn 36-HD/VPTW).
    pub fn signature_lines(self, kind: UnitKind) -> Vec<&'static str> {
        let mut lines = vec![signing_body(kind)];
        match self {
            SignerPosition::Secretary => lines.push("BÍ THƯ"),
            SignerPosition::Deputy => lines.extend(["K/T BÍ THƯ", "PHÓ BÍ THƯ"]),
        }
        lines
    }
}

/// On whose behalf ("thay mặt") a unit's report is signed: a committee with a standing
/// committee signs for it, a grassroots committee for its executive committee, a cell
/// for the cell.
pub fn signing_body(kind: UnitKind) -> &'static str {
    match kind {
        // A Đảng ủy with a standing committee (the new provincial and commune ones, like a
        // bloc's) signs for it: the default arm.
        UnitKind::GrassrootsCommittee => "T/M ĐẢNG ỦY",
        UnitKind::GrassrootsCell | UnitKind::AttachedCell => "T/M CHI BỘ",
        _ => "T/M BAN THƯỜNG VỤ",
    }
}

/// The longest document number, and the text limits (the database checks the same).
pub const NUMBER_MAX: i32 = 99_999;
pub const PLACE_MAX_CHARS: usize = 100;
pub const SIGNER_MAX_CHARS: usize = 100;
pub const RECIPIENTS_MAX_CHARS: usize = 2_000;
pub const SECTION_MAX_CHARS: usize = 20_000;
pub const ABBREVIATION_MAX_CHARS: usize = 20;

pub const NUMBER_RULE: &str = "Số văn bản là số nguyên từ 1 đến 99999 (để trống nếu chưa có số).";

/// A document number typed in a form or a query string; `Ok(None)` when left empty.
pub fn parse_number(input: &str) -> Result<Option<i32>, &'static str> {
    let text = input.trim();
    if text.is_empty() {
        return Ok(None);
    }
    match text.parse::<i32>() {
        Ok(number) if (1..=NUMBER_MAX).contains(&number) => Ok(Some(number)),
        _ => Err(NUMBER_RULE),
    }
}

/// Why an abbreviation cannot be stored (letters, digits and "-", up to 20), or `None`.
pub fn abbreviation_problem(text: &str) -> Option<String> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    let fits = text.chars().count() <= ABBREVIATION_MAX_CHARS
        && text.chars().all(|c| c.is_alphanumeric() || c == '-');
    if fits {
        None
    } else {
        Some("Ký hiệu gồm chữ cái, chữ số và dấu gạch, tối đa 20 ký tự (ví dụ ĐUK).".to_owned())
    }
}

/// Why a text field of the settings cannot be stored, or `None`.
pub fn text_problem(label: &str, text: &str, max_chars: usize, multiline: bool) -> Option<String> {
    if text.chars().count() > max_chars {
        return Some(format!("{label} tối đa {max_chars} ký tự."));
    }
    hidden_character_problem(label, text, multiline)
}

/// The non-empty lines of a text typed one item a line (Nơi nhận) or one paragraph a
/// line (the sections), trimmed.
pub fn lines(text: &str) -> Vec<String> {
    text.lines()
        .map(str::trim)
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_committees_of_2025_number_as_a_dang_uy_and_sign_for_their_standing_committee() {
        for kind in [
            UnitKind::ProvinceAgenciesCommittee,
            UnitKind::ProvinceGovernmentCommittee,
            UnitKind::CommuneCommittee,
        ] {
            assert_eq!(abbreviation(kind, None, "CODE"), "ĐU", "{kind:?}");
            assert_eq!(signing_body(kind), "T/M BAN THƯỜNG VỤ", "{kind:?}");
        }
    }

    #[test]
    fn a_cell_signs_for_the_cell_and_a_grassroots_committee_for_its_committee() {
        assert_eq!(
            SignerPosition::Secretary.signature_lines(UnitKind::GrassrootsCell),
            ["T/M CHI BỘ", "BÍ THƯ"]
        );
        assert_eq!(
            SignerPosition::Deputy.signature_lines(UnitKind::GrassrootsCommittee),
            ["T/M ĐẢNG ỦY", "K/T BÍ THƯ", "PHÓ BÍ THƯ"]
        );
        assert_eq!(
            SignerPosition::Secretary.signature_lines(UnitKind::BlocCommittee),
            ["T/M BAN THƯỜNG VỤ", "BÍ THƯ"]
        );
    }

    #[test]
    fn every_party_kind_has_its_abbreviation_and_a_unit_may_override_it() {
        assert_eq!(abbreviation(UnitKind::BlocCommittee, None, "DUK"), "ĐUK");
        assert_eq!(abbreviation(UnitKind::GrassrootsCommittee, None, "X"), "ĐU");
        assert_eq!(abbreviation(UnitKind::GrassrootsCell, None, "X"), "CB");
        assert_eq!(abbreviation(UnitKind::ProvinceCommittee, None, "X"), "TU");
        assert_eq!(
            abbreviation(UnitKind::GrassrootsCell, Some("STC"), "X"),
            "STC"
        );
        assert_eq!(
            abbreviation(UnitKind::GrassrootsCell, Some("  "), "X"),
            "CB"
        );
        assert_eq!(abbreviation(UnitKind::MassOrganization, None, "CDK"), "CDK");
    }

    #[test]
    fn the_number_line_has_the_number_or_room_for_it() {
        assert_eq!(number_line(Some(25), "ĐUK"), "Số 25-BC/ĐUK");
        let blank = number_line(None, "ĐUK");
        assert!(blank.starts_with("Số \u{a0}") && blank.ends_with("-BC/ĐUK"));
    }

    #[test]
    fn the_default_date_is_the_deadline_or_the_last_day_of_the_year() {
        let deadline = NaiveDate::from_ymd_opt(2022, 12, 15);
        assert_eq!(
            default_report_date(2022, deadline),
            deadline.unwrap_or_default()
        );
        assert_eq!(
            default_report_date(2022, None),
            NaiveDate::from_ymd_opt(2022, 12, 31).unwrap_or_default()
        );
    }

    #[test]
    fn numbers_and_abbreviations_are_checked() {
        assert_eq!(parse_number(" 25 "), Ok(Some(25)));
        assert_eq!(parse_number(""), Ok(None));
        assert_eq!(parse_number("0"), Err(NUMBER_RULE));
        assert_eq!(parse_number("25a"), Err(NUMBER_RULE));
        assert_eq!(abbreviation_problem("ĐUK"), None);
        assert!(abbreviation_problem("Đ U K").is_some());
        assert_eq!(lines(" a \n\n b\r\n"), vec!["a".to_owned(), "b".to_owned()]);
    }
}
