//! The annual summary of one unit's subtree: the document header a Party report
//! carries (Hướng dẫn 36-HD/VPTW), one row per child unit, the totals (the dashboard's
//! figures) and the sentence the report opens with. The XLSX, the printable page and
//! the PDF all draw this one value.

use chrono::{Datelike, NaiveDate};
use diesel::PgConnection;
use serde::Serialize;

use crate::domain::UnitKind;
use crate::domain::format::{group_thousands, percent, place_date_line, vnd_headline};
use crate::domain::report::{SignerPosition, number_line};
use crate::store;
use crate::store::stats::{ChildFigures, Coverage, Headline};
use crate::store::units::Unit;

pub const PARTY: &str = "ĐẢNG CỘNG SẢN VIỆT NAM";
pub const DOCUMENT_TYPE: &str = "BÁO CÁO";

/// The header elements of the report, already in the case the layout asks for.
#[derive(Debug, Clone, Serialize)]
pub struct DocumentHeader {
    /// Cơ quan cấp trên, in capitals: `ĐẢNG BỘ TỈNH LẠNG SƠN`. None for a root unit.
    pub superior: Option<String>,
    /// Cơ quan ban hành, in capitals: `ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH`.
    pub issuer: String,
    /// `Số 25-BC/ĐUK`, or `Số      -BC/ĐUK` with room for the number.
    pub number: String,
    pub party: &'static str,
    /// `Lạng Sơn, ngày 15 tháng 12 năm 2022` (without a place when none is known): the
    /// day of the settings, the reporting deadline or 31 December, never the download's.
    pub place_date: String,
    pub document_type: &'static str,
    /// The subject line under BÁO CÁO, in sentence case.
    pub subject: String,
    /// Type and subject on one line in capitals, for the spreadsheet and the PDF's title.
    pub title: String,
}

/// One line of the summary table.
#[derive(Debug, Clone, Serialize)]
pub struct SummaryRow {
    /// STT; None for the totals line.
    pub number: Option<usize>,
    pub unit_id: Option<i32>,
    pub name: String,
    pub registered: i64,
    pub completed: i64,
    /// `64,9%`: completed out of registered.
    pub completion_rate: String,
    pub estimated_cost_vnd: i64,
    pub actual_value_vnd: i64,
}

impl SummaryRow {
    fn new(number: Option<usize>, unit_id: Option<i32>, name: String, figures: Figures) -> Self {
        SummaryRow {
            number,
            unit_id,
            name,
            registered: figures.registered,
            completed: figures.completed,
            completion_rate: percent(figures.completed, figures.registered),
            estimated_cost_vnd: figures.estimated_cost_vnd,
            actual_value_vnd: figures.actual_value_vnd,
        }
    }

    /// The line as the printed table shows it: STT, unit, the figures with their
    /// thousands grouped, the rate (the PDF's and the DOCX's cells).
    pub fn printed_cells(&self) -> [String; 7] {
        [
            self.number.map(|n| n.to_string()).unwrap_or_default(),
            self.name.clone(),
            group_thousands(self.registered),
            group_thousands(self.completed),
            self.completion_rate.clone(),
            group_thousands(self.estimated_cost_vnd),
            group_thousands(self.actual_value_vnd),
        ]
    }

    /// Completed out of registered as a fraction (0.649), for a spreadsheet cell.
    pub fn completion_fraction(&self) -> f64 {
        if self.registered == 0 {
            0.0
        } else {
            self.completed as f64 / self.registered as f64
        }
    }
}

/// The four figures a summary line shows.
#[derive(Debug, Clone, Copy)]
struct Figures {
    registered: i64,
    completed: i64,
    estimated_cost_vnd: i64,
    actual_value_vnd: i64,
}

impl From<&Headline> for Figures {
    fn from(h: &Headline) -> Self {
        Figures {
            registered: h.registered,
            completed: h.completed,
            estimated_cost_vnd: h.estimated_cost_vnd,
            actual_value_vnd: h.actual_value_vnd,
        }
    }
}

impl From<&ChildFigures> for Figures {
    fn from(c: &ChildFigures) -> Self {
        Figures {
            registered: c.registered,
            completed: c.completed,
            estimated_cost_vnd: c.estimated_cost_vnd,
            actual_value_vnd: c.actual_value_vnd,
        }
    }
}

#[derive(Debug, Clone, Serialize)]
pub struct AnnualSummary {
    pub unit: Unit,
    pub year: i32,
    pub header: DocumentHeader,
    pub headline: Headline,
    pub coverage: Coverage,
    /// One line per child unit, then the unit's own initiatives if it has any.
    pub rows: Vec<SummaryRow>,
    /// The whole subtree: equals the dashboard's headline.
    pub total: SummaryRow,
    /// The opening sentence, in the style of the Party's reports.
    pub narrative: String,
    /// Recipients (Nơi nhận), bottom left.
    pub recipients: Vec<String>,
    /// The lines above the signer's name: "T/M BAN THƯỜNG VỤ", "BÍ THƯ".
    pub signature: Vec<&'static str>,
    /// The signer's name (empty: the line is left to write by hand).
    pub signer_name: String,
    /// The assessment section (ưu điểm, hạn chế, nguyên nhân), one paragraph a line.
    pub assessment: Vec<String>,
    /// The next year's tasks, one paragraph a line.
    pub next_year: Vec<String>,
    /// `bao-cao-2022-DUK`: the name the downloads are saved under (ASCII).
    pub file_stem: String,
}

impl AnnualSummary {
    /// The written sections that have text, with their titles, in the order printed
    /// after the figures.
    pub fn sections(&self) -> Vec<(String, &[String])> {
        [
            ("Đánh giá chung".to_owned(), self.assessment.as_slice()),
            (
                format!("Phương hướng, nhiệm vụ năm {}", self.year + 1),
                self.next_year.as_slice(),
            ),
        ]
        .into_iter()
        .filter(|(_, paragraphs)| !paragraphs.is_empty())
        .collect()
    }
}

/// What a report says besides its figures, from the unit's report settings (and the
/// query's overrides), with the defaults already applied.
#[derive(Debug, Clone, Default)]
pub struct ReportDocument {
    pub number: Option<i32>,
    /// The issuing body's abbreviation: "ĐUK".
    pub abbreviation: String,
    pub date: NaiveDate,
    /// The place of the date line; the province above the unit when None.
    pub place: Option<String>,
    pub signer_name: String,
    pub signer_position: SignerPosition,
    /// Nơi nhận, one a line; empty: the superior, the units under it and the office.
    pub recipients: Vec<String>,
    pub assessment: Vec<String>,
    pub next_year: Vec<String>,
}

/// The name a unit's report for `year` is saved under, without the extension (ASCII).
pub fn file_stem(year: i32, unit_code: &str) -> String {
    format!("bao-cao-{year}-{unit_code}")
}

/// Reads the figures of `unit`'s subtree for `year` and lays them out as a report.
/// `breadcrumb` is the unit's chain from the top of the tree down to it (the caller
/// has checked the unit is in the user's scope); `document` is what the settings say.
pub fn load(
    conn: &mut PgConnection,
    unit: Unit,
    breadcrumb: &[Unit],
    year: i32,
    document: &ReportDocument,
    today: NaiveDate,
) -> diesel::QueryResult<AnnualSummary> {
    let figures = store::stats::for_year(conn, unit.id, year, today)?;
    let children = store::stats::by_child(conn, unit.id, year)?;
    let direct = store::stats::direct_figures(&figures.headline, &children);
    Ok(build(
        unit,
        breadcrumb,
        year,
        figures.headline,
        figures.coverage,
        &children,
        direct.as_ref(),
        document,
        today,
    ))
}

#[allow(clippy::too_many_arguments)]
fn build(
    unit: Unit,
    breadcrumb: &[Unit],
    year: i32,
    headline: Headline,
    coverage: Coverage,
    children: &[ChildFigures],
    direct: Option<&Headline>,
    document: &ReportDocument,
    today: NaiveDate,
) -> AnnualSummary {
    let mut rows: Vec<SummaryRow> = children
        .iter()
        .enumerate()
        .map(|(i, child)| {
            SummaryRow::new(
                Some(i + 1),
                Some(child.unit_id),
                child.name.clone(),
                child.into(),
            )
        })
        .collect();
    if let Some(direct) = direct {
        rows.push(SummaryRow::new(
            Some(rows.len() + 1),
            Some(unit.id),
            format!("{} (trực tiếp)", unit.name),
            direct.into(),
        ));
    }
    let total = SummaryRow::new(None, None, "Tổng cộng".to_owned(), (&headline).into());
    let superior_unit = breadcrumb
        .iter()
        .rev()
        .find(|candidate| candidate.id != unit.id);
    let place = document
        .place
        .clone()
        .filter(|place| !place.trim().is_empty())
        .or_else(|| place_from_tree(breadcrumb));
    let header = header(&unit, superior_unit, year, place.as_deref(), document);
    let narrative = narrative(&unit.name, year, &headline, &coverage, today);
    let mut recipients = document.recipients.clone();
    if recipients.is_empty() {
        if let Some(superior) = superior_unit {
            recipients.push(format!("- {} (để báo cáo),", superior.name));
        }
        recipients.push("- Các tổ chức đảng trực thuộc,".to_owned());
        recipients.push("- Lưu Văn phòng.".to_owned());
    }
    let signature = document.signer_position.signature_lines(unit.kind);
    AnnualSummary {
        file_stem: file_stem(year, &unit.code),
        unit,
        year,
        header,
        headline,
        coverage,
        rows,
        total,
        narrative,
        recipients,
        signature,
        signer_name: document.signer_name.trim().to_owned(),
        assessment: document.assessment.clone(),
        next_year: document.next_year.clone(),
    }
}

fn header(
    unit: &Unit,
    superior: Option<&Unit>,
    year: i32,
    place: Option<&str>,
    document: &ReportDocument,
) -> DocumentHeader {
    let date = document.date;
    let subject = format!(
        "tổng hợp kết quả xây dựng mô hình, công trình “Học tập và làm theo Bác” năm {year}"
    );
    let place_date = match place.map(str::trim).filter(|place| !place.is_empty()) {
        Some(place) => place_date_line(place, date),
        // Without a place the line starts at "Ngày": capitalised as a sentence.
        None => {
            let line = place_date_line("", date);
            let line = line.trim_start_matches(", ");
            let mut chars = line.chars();
            chars
                .next()
                .map(|first| first.to_uppercase().chain(chars).collect())
                .unwrap_or_default()
        }
    };
    DocumentHeader {
        superior: superior.map(|superior| organisation_of(superior).to_uppercase()),
        issuer: unit.name.to_uppercase(),
        number: number_line(document.number, &document.abbreviation),
        party: PARTY,
        place_date,
        document_type: DOCUMENT_TYPE,
        title: format!("{DOCUMENT_TYPE} {subject}").to_uppercase(),
        subject: capitalise_first(&subject),
    }
}

fn capitalise_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Committees named after their province or city, and the organisation each heads.
const COMMITTEES: [(&str, &str); 4] = [
    ("Tỉnh ủy ", "Đảng bộ tỉnh "),
    ("Tỉnh uỷ ", "Đảng bộ tỉnh "),
    ("Thành ủy ", "Đảng bộ thành phố "),
    ("Thành uỷ ", "Đảng bộ thành phố "),
];

/// The party organisation a committee leads, as the superior line names it: the
/// committee "Tỉnh ủy Lạng Sơn" heads "Đảng bộ tỉnh Lạng Sơn".
fn organisation_of(unit: &Unit) -> String {
    if unit.kind == UnitKind::CentralCommittee {
        return "Ban Chấp hành Trung ương".to_owned();
    }
    for (committee, organisation) in COMMITTEES {
        if let Some(rest) = unit.name.strip_prefix(committee) {
            return format!("{organisation}{rest}");
        }
    }
    unit.name.clone()
}

/// The province a report is written in, read from the province committee above (or
/// at) the unit: "Tỉnh ủy Lạng Sơn" → "Lạng Sơn".
fn place_from_tree(breadcrumb: &[Unit]) -> Option<String> {
    let province = breadcrumb
        .iter()
        .rev()
        .find(|unit| unit.kind == UnitKind::ProvinceCommittee)?;
    COMMITTEES
        .iter()
        .find_map(|(committee, _)| province.name.strip_prefix(committee))
        .map(str::to_owned)
}

/// The report's opening sentence, stating the figures the way Party reports do: "Năm
/// 2022, 100% tổ chức đảng trực thuộc Đảng ủy Khối các cơ quan tỉnh đã đăng ký xây dựng
/// 94 mô hình, công trình … đến cuối năm 2022 đã hoàn thành 61 mô hình, công trình với
/// tổng trị giá hơn 6 tỷ đồng".
pub fn narrative(
    unit_name: &str,
    year: i32,
    headline: &Headline,
    coverage: &Coverage,
    today: NaiveDate,
) -> String {
    let who = if coverage.expected_units == 0 {
        unit_name.to_owned()
    } else if coverage.registered_units >= coverage.expected_units {
        format!("100% tổ chức đảng, đơn vị trực thuộc {unit_name}")
    } else {
        format!(
            "{}/{} tổ chức đảng, đơn vị trực thuộc {unit_name} ({})",
            group_thousands(coverage.registered_units),
            group_thousands(coverage.expected_units),
            percent(coverage.registered_units, coverage.expected_units)
        )
    };
    if headline.registered == 0 {
        return format!(
            "Năm {year}, {unit_name} chưa có mô hình, công trình “Học tập và làm theo Bác” nào được đăng ký."
        );
    }
    let by_when = if today.year() > year {
        format!("đến cuối năm {year}")
    } else {
        format!("tính đến ngày {}", today.format("%d/%m/%Y"))
    };
    let registered = format!(
        "Năm {year}, {who} đã đăng ký xây dựng {} mô hình, công trình “Học tập và làm theo Bác” với tổng kinh phí dự kiến {}",
        group_thousands(headline.registered),
        vnd_headline(headline.estimated_cost_vnd)
    );
    let completed = if headline.completed == 0 {
        format!("{by_when} chưa có mô hình, công trình nào hoàn thành")
    } else {
        format!(
            "{by_when} đã hoàn thành {} mô hình, công trình với tổng trị giá {}, đạt {} số đăng ký",
            group_thousands(headline.completed),
            vnd_headline(headline.actual_value_vnd),
            percent(headline.completed, headline.registered)
        )
    };
    let continuing = headline.registered - headline.completed - headline.cancelled;
    let continuing = if continuing > 0 {
        format!(
            "; {} mô hình, công trình đang tiếp tục thực hiện",
            group_thousands(continuing)
        )
    } else {
        String::new()
    };
    format!("{registered}; {completed}{continuing}.")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn unit(id: i32, code: &str, name: &str, kind: UnitKind) -> Unit {
        Unit {
            id,
            code: code.to_owned(),
            name: name.to_owned(),
            kind,
            parent_id: None,
            expected_to_register: false,
            active: true,
        }
    }

    fn article_headline() -> Headline {
        Headline {
            registered: 94,
            completed: 61,
            in_progress: 33,
            estimated_cost_vnd: 7_105_000_000,
            actual_value_vnd: 6_012_500_000,
            ..Headline::default()
        }
    }

    fn day(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap_or_default()
    }

    fn dated(date: NaiveDate, place: Option<&str>) -> ReportDocument {
        ReportDocument {
            date,
            place: place.map(str::to_owned),
            abbreviation: "ĐUK".to_owned(),
            ..ReportDocument::default()
        }
    }

    #[test]
    fn the_article_sentence_comes_out_of_the_article_figures() {
        let coverage = Coverage {
            expected_units: 45,
            registered_units: 45,
        };
        let text = narrative(
            "Đảng ủy Khối các cơ quan tỉnh",
            2022,
            &article_headline(),
            &coverage,
            day(2023, 1, 5),
        );
        assert!(
            text.starts_with("Năm 2022, 100% tổ chức đảng, đơn vị trực thuộc Đảng ủy Khối các cơ quan tỉnh đã đăng ký xây dựng 94 mô hình, công trình “Học tập và làm theo Bác”"),
            "{text}"
        );
        assert!(
            text.contains("đến cuối năm 2022 đã hoàn thành 61 mô hình, công trình với tổng trị giá hơn 6 tỷ đồng, đạt 64,9% số đăng ký"),
            "{text}"
        );
        assert!(
            text.contains("33 mô hình, công trình đang tiếp tục thực hiện"),
            "{text}"
        );
    }

    #[test]
    fn partial_coverage_and_a_year_not_over_are_said_as_they_are() {
        let coverage = Coverage {
            expected_units: 48,
            registered_units: 45,
        };
        let mut headline = article_headline();
        headline.completed = 0;
        headline.actual_value_vnd = 0;
        let text = narrative("Khối X", 2026, &headline, &coverage, day(2026, 11, 27));
        assert!(text.contains("45/48 tổ chức đảng, đơn vị trực thuộc Khối X (93,8%)"));
        assert!(
            text.contains("tính đến ngày 27/11/2026 chưa có mô hình, công trình nào hoàn thành")
        );
        assert!(!text.contains("100%"));
    }

    #[test]
    fn nothing_registered_says_so() {
        let text = narrative(
            "Khối X",
            2024,
            &Headline::default(),
            &Coverage::default(),
            day(2025, 1, 1),
        );
        assert_eq!(
            text,
            "Năm 2024, Khối X chưa có mô hình, công trình “Học tập và làm theo Bác” nào được đăng ký."
        );
    }

    #[test]
    fn the_header_follows_the_party_layout() {
        let province = unit(1, "TU-LS", "Tỉnh ủy Lạng Sơn", UnitKind::ProvinceCommittee);
        let bloc = unit(
            2,
            "DUK",
            "Đảng ủy Khối các cơ quan tỉnh",
            UnitKind::BlocCommittee,
        );
        let summary = build(
            bloc.clone(),
            &[province, bloc],
            2022,
            article_headline(),
            Coverage::default(),
            &[],
            None,
            &dated(day(2022, 12, 31), None),
            day(2026, 12, 1),
        );
        let header = summary.header;
        assert_eq!(header.superior.as_deref(), Some("ĐẢNG BỘ TỈNH LẠNG SƠN"));
        assert_eq!(header.issuer, "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH");
        assert_eq!(header.place_date, "Lạng Sơn, ngày 31 tháng 12 năm 2022");
        assert_eq!(
            header.title,
            "BÁO CÁO TỔNG HỢP KẾT QUẢ XÂY DỰNG MÔ HÌNH, CÔNG TRÌNH “HỌC TẬP VÀ LÀM THEO BÁC” NĂM 2022"
        );
        assert!(header.subject.starts_with("Tổng hợp kết quả"));
        assert_eq!(summary.total.completion_rate, "64,9%");
        assert_eq!(summary.file_stem, "bao-cao-2022-DUK");
        assert!(header.number.ends_with("-BC/ĐUK"), "{}", header.number);
        assert_eq!(summary.signature, ["T/M BAN THƯỜNG VỤ", "BÍ THƯ"]);
    }

    #[test]
    fn a_root_unit_has_no_superior_and_a_setting_gives_the_place() {
        let root = unit(
            1,
            "TW",
            "Ban Chấp hành Trung ương",
            UnitKind::CentralCommittee,
        );
        let summary = build(
            root.clone(),
            &[root],
            2025,
            Headline::default(),
            Coverage::default(),
            &[],
            None,
            &dated(day(2026, 2, 3), Some("Hà Nội")),
            day(2026, 2, 3),
        );
        assert_eq!(summary.header.superior, None);
        assert_eq!(
            summary.header.place_date,
            "Hà Nội, ngày 03 tháng 02 năm 2026"
        );
        let unplaced = build(
            unit(5, "X", "Chi bộ X", UnitKind::GrassrootsCell),
            &[],
            2025,
            Headline::default(),
            Coverage::default(),
            &[],
            None,
            &dated(day(2026, 2, 3), None),
            day(2026, 2, 3),
        );
        assert_eq!(unplaced.header.place_date, "Ngày 03 tháng 02 năm 2026");
    }
}
