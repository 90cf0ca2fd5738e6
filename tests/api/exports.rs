//! The annual summary exports: the XLSX read back with calamine, the CSV's byte order
//! mark and formula neutralisation, the printable page and the PDF (its text read by
//! poppler's pdftotext), all equal to the dashboard's figures for the same scope.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};
use lamtheobac::domain::{Field, Status};
use lamtheobac::exports::columns;

use crate::helpers::*;

/// The workbook's sheet `name` as rows of cells.
pub(crate) fn sheet(bytes: &[u8], name: &str) -> Vec<Vec<Data>> {
    let mut workbook: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("an XLSX file");
    let range = workbook.worksheet_range(name).expect("the sheet");
    range.rows().map(|row| row.to_vec()).collect()
}

/// The formulas of the summary sheet, by cell.
fn summary_formulas(bytes: &[u8]) -> calamine::Range<String> {
    let mut workbook: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("an XLSX file");
    workbook
        .worksheet_formula(columns::SUMMARY_SHEET)
        .expect("the summary's formulas")
}

fn cell_text(cell: &Data) -> String {
    match cell {
        Data::String(text) => text.clone(),
        Data::Float(f) => f.to_string(),
        Data::Int(i) => i.to_string(),
        Data::Empty => String::new(),
        other => other.to_string(),
    }
}

fn cell_number(cell: &Data) -> i64 {
    match cell {
        Data::Float(f) => *f as i64,
        Data::Int(i) => *i,
        Data::Empty => 0,
        other => panic!("not a number: {other:?}"),
    }
}

/// Splits CSV text into records (RFC 4180: quoted cells may hold commas, quotes and
/// line breaks).
pub(crate) fn csv_records(text: &str) -> Vec<Vec<String>> {
    let mut records = Vec::new();
    let mut record = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                chars.next();
                cell.push('"');
            }
            ('"', true) => quoted = false,
            ('"', false) if cell.is_empty() => quoted = true,
            (',', false) => record.push(std::mem::take(&mut cell)),
            ('\r', false) => {}
            ('\n', false) => {
                record.push(std::mem::take(&mut cell));
                records.push(std::mem::take(&mut record));
            }
            (other, _) => cell.push(other),
        }
    }
    if !cell.is_empty() || !record.is_empty() {
        record.push(cell);
        records.push(record);
    }
    records
}

#[test]
fn the_demo_workbook_reproduces_the_article_and_equals_the_dashboard() {
    let app = TestApp::spawn_demo();
    let khoi = app.signed_in("khoi", DEMO_PASSWORD);
    let duk = app.unit_id("DUK");
    let stats = khoi
        .get(&format!("/api/v1/stats?year=2022&unit={duk}"))
        .json();

    let file = khoi.download(&format!("/exports/annual.xlsx?year=2022&unit={duk}"));
    assert_eq!(file.status, 200);
    assert_eq!(
        file.header("content-type"),
        Some("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    );
    assert!(
        file.header("content-disposition")
            .is_some_and(|value| value.contains("bao-cao-2022-DUK.xlsx")),
        "{:?}",
        file.header("content-disposition")
    );

    let summary = sheet(&file.bytes, columns::SUMMARY_SHEET);
    assert_eq!(cell_text(&summary[0][0]), "ĐẢNG BỘ TỈNH LẠNG SƠN");
    assert_eq!(cell_text(&summary[0][4]), "ĐẢNG CỘNG SẢN VIỆT NAM");
    assert_eq!(cell_text(&summary[1][0]), "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH");
    assert!(cell_text(&summary[1][4]).starts_with("Lạng Sơn, ngày "));
    assert_eq!(
        cell_text(&summary[5][0]),
        "BÁO CÁO TỔNG HỢP KẾT QUẢ XÂY DỰNG MÔ HÌNH, CÔNG TRÌNH “HỌC TẬP VÀ LÀM THEO BÁC” NĂM 2022"
    );
    let narrative = cell_text(&summary[6][0]);
    for phrase in [
        "100% tổ chức đảng",
        "đăng ký xây dựng 94 mô hình, công trình",
        "đến cuối năm 2022 đã hoàn thành 61 mô hình, công trình với tổng trị giá hơn 6 tỷ đồng",
    ] {
        assert!(narrative.contains(phrase), "{phrase:?} in {narrative:?}");
    }

    // The table: a header row, one row per child unit, then the totals.
    let header = summary
        .iter()
        .position(|row| cell_text(&row[0]) == "STT")
        .expect("the table's header row");
    let total = summary
        .iter()
        .position(|row| cell_text(&row[1]) == "Tổng cộng")
        .expect("the totals row");
    let children = &summary[header + 1..total];
    let totals = &summary[total];
    for (column, key) in [
        (2, "registered"),
        (3, "completed"),
        (5, "estimated_cost_vnd"),
        (6, "actual_value_vnd"),
    ] {
        let expected = stats[key].as_i64().expect(key);
        assert_eq!(cell_number(&totals[column]), expected, "total {key}");
        let sum: i64 = children.iter().map(|row| cell_number(&row[column])).sum();
        assert_eq!(sum, expected, "the child rows add up to the total {key}");
    }
    assert_eq!(cell_number(&totals[2]), 94);
    assert_eq!(cell_number(&totals[3]), 61);
    assert_eq!(cell_number(&totals[6]), 6_012_500_000);
    match &totals[4] {
        Data::Float(rate) => assert!((rate - 61.0 / 94.0).abs() < 1e-9, "{rate}"),
        other => panic!("completion rate {other:?}"),
    }
    // The totals are formulas over the rows above them, their figures cached (read above).
    let formulas = summary_formulas(&file.bytes);
    let (first, last) = (header as u32 + 2, total as u32);
    for (column, letter) in [(2, 'C'), (3, 'D'), (5, 'F'), (6, 'G')] {
        assert_eq!(
            formulas
                .get_value((total as u32, column))
                .map(String::as_str),
            Some(format!("SUM({letter}{first}:{letter}{last})").as_str()),
            "the total of column {letter}"
        );
    }
    assert_eq!(
        formulas.get_value((total as u32, 4)).map(String::as_str),
        Some(format!("IF(C{0}=0,0,D{0}/C{0})", total + 1).as_str()),
        "the total completion rate"
    );
    let dashboard = khoi.get(&format!("/dashboard?year=2022&unit={duk}"));
    let shown_children = dashboard.attribute_values("data-child-unit").len();
    if shown_children > 0 {
        assert_eq!(children.len(), shown_children, "one row per child unit");
    }

    // The list: every initiative once, with the same totals.
    let list = sheet(&file.bytes, columns::LIST_SHEET);
    let head = list
        .iter()
        .position(|row| cell_text(&row[0]) == columns::NUMBER)
        .expect("the list's header row");
    let titles: Vec<String> = list[head].iter().map(cell_text).collect();
    assert_eq!(titles, columns::INITIATIVE_LIST.to_vec());
    let rows = &list[head + 1..];
    assert_eq!(rows.len(), 94);
    let estimated: i64 = rows.iter().map(|row| cell_number(&row[8])).sum();
    assert_eq!(
        estimated,
        stats["estimated_cost_vnd"].as_i64().expect("estimated")
    );
    let completed = rows
        .iter()
        .filter(|row| cell_text(&row[10]) == Status::Completed.label_vi())
        .count();
    assert_eq!(completed, 61);
    assert!(
        rows.iter().all(|row| matches!(row[12], Data::DateTime(_))),
        "start dates are real dates"
    );
    let numbers: Vec<i64> = rows.iter().map(|row| cell_number(&row[0])).collect();
    assert_eq!(numbers, (1..=94).collect::<Vec<_>>(), "STT counts the rows");
}

#[test]
fn the_csv_opens_in_excel_as_vietnamese_and_its_formulas_are_inert() {
    let app = TestApp::spawn_demo();
    let duk = app.unit_id("DUK");
    let stc = app.unit_id("STC");
    let mut conn = app.db();
    let author = app.user_id("stc");
    create_initiative(
        &mut conn,
        author,
        Spec {
            unit_id: stc,
            year: 2022,
            title: "=HYPERLINK(\"http://evil.example\",\"Bấm vào đây\")",
            field: Field::Other,
            status: Status::Registered,
            estimated: 1_000_000,
            actual: None,
        },
    );
    let khoi = app.signed_in("khoi", DEMO_PASSWORD);
    let file = khoi.download(&format!("/exports/initiatives.csv?year=2022&unit={duk}"));
    assert_eq!(file.status, 200);
    assert_eq!(file.header("content-type"), Some("text/csv; charset=utf-8"));
    assert!(
        file.bytes.starts_with(b"\xEF\xBB\xBF"),
        "a UTF-8 byte order mark"
    );
    let text = String::from_utf8(file.bytes[3..].to_vec()).expect("UTF-8");
    let records = csv_records(&text);
    assert_eq!(records[0], columns::INITIATIVE_LIST.to_vec());
    assert_eq!(records.len() - 1, 95, "the demo's 94 and the new one");
    let evil = records
        .iter()
        .find(|record| record[5].contains("HYPERLINK"))
        .expect("the new initiative");
    assert_eq!(
        evil[5], "'=HYPERLINK(\"http://evil.example\",\"Bấm vào đây\")",
        "a formula is neutralised with an apostrophe"
    );
    assert!(
        records[1..].iter().all(|record| !record
            .iter()
            .any(|cell| cell.starts_with(['=', '+', '-', '@']))),
        "no cell starts a formula"
    );
    assert!(
        text.contains("Đảng bộ Sở Tài chính"),
        "Vietnamese comes through"
    );
    let total: i64 = records[1..]
        .iter()
        .map(|record| record[8].parse::<i64>().expect("a plain number"))
        .sum();
    let stats = khoi
        .get(&format!("/api/v1/stats?year=2022&unit={duk}"))
        .json();
    assert_eq!(
        total,
        stats["estimated_cost_vnd"].as_i64().expect("estimated")
    );
}

#[test]
fn the_pdf_is_a_real_pdf_with_the_vietnamese_title_and_figures() {
    let app = TestApp::spawn_demo();
    let khoi = app.signed_in("khoi", DEMO_PASSWORD);
    let duk = app.unit_id("DUK");
    let file = khoi.download(&format!("/reports/annual.pdf?year=2022&unit={duk}"));
    assert_eq!(file.status, 200);
    assert_eq!(file.header("content-type"), Some("application/pdf"));
    assert!(file.bytes.starts_with(b"%PDF-"));
    let text = poppler(&file.bytes, "pdftotext", &[]);
    for expected in [
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "ĐẢNG BỘ TỈNH LẠNG SƠN",
        "BÁO CÁO",
        "“Học tập và làm theo Bác” năm 2022",
        "94 mô hình, công trình",
        "hơn 6 tỷ đồng",
        "Tổng cộng",
        "6.012.500.000",
        "T/M BAN THƯỜNG VỤ",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} in the PDF text:\n{text}"
        );
    }
    let info = poppler(&file.bytes, "pdfinfo", &[]);
    assert!(
        info.contains("BÁO CÁO TỔNG HỢP KẾT QUẢ XÂY DỰNG MÔ HÌNH, CÔNG TRÌNH"),
        "{info}"
    );
    assert!(info.contains("595.28 x 841.89 pts (A4)"), "{info}");
}

#[test]
fn the_printable_report_carries_the_party_header_and_the_dashboard_totals() {
    let app = TestApp::spawn_demo();
    let khoi = app.signed_in("khoi", DEMO_PASSWORD);
    let duk = app.unit_id("DUK");
    let page = khoi.get(&format!("/reports/annual?year=2022&unit={duk}"));
    assert_eq!(page.status, 200);
    let text = text_of(&page.body);
    for expected in [
        "ĐẢNG BỘ TỈNH LẠNG SƠN",
        "ĐẢNG ỦY KHỐI CÁC CƠ QUAN TỈNH",
        "ĐẢNG CỘNG SẢN VIỆT NAM",
        "BÁO CÁO",
        "đến cuối năm 2022 đã hoàn thành 61 mô hình, công trình với tổng trị giá hơn 6 tỷ đồng",
        "Tổng cộng 94 61 64,9%",
        "6.012.500.000",
    ] {
        assert!(text.contains(expected), "{expected:?} in {text}");
    }
    assert!(page.body.contains("href=\"/reports/print.css\""));
    let print = khoi.get("/reports/print.css");
    assert!(
        print.body.contains("size: A4") && print.body.contains("20mm 15mm 20mm 30mm"),
        "{}",
        print.body
    );
    // The dashboard links to the report and the four downloads.
    let dashboard = khoi.get(&format!("/dashboard?year=2022&unit={duk}"));
    let links = dashboard.attribute_values("data-export");
    assert_eq!(links, ["report", "pdf", "docx", "xlsx", "csv"]);
}

#[test]
fn a_secretary_exports_only_their_own_unit_and_nobody_exports_outside_their_scope() {
    let app = TestApp::spawn_demo();
    let duk = app.unit_id("DUK");
    let stc = app.unit_id("STC");
    let other_bloc = app.unit_id("DUK-DN");
    let routes = |unit: i32| {
        [
            format!("/exports/annual.xlsx?year=2022&unit={unit}"),
            format!("/exports/initiatives.csv?year=2022&unit={unit}"),
            format!("/reports/annual?year=2022&unit={unit}"),
            format!("/reports/annual.pdf?year=2022&unit={unit}"),
            format!("/exports/annual.docx?year=2022&unit={unit}"),
        ]
    };
    let secretary = app.signed_in("stc", DEMO_PASSWORD);
    for path in routes(duk).iter().chain(routes(other_bloc).iter()) {
        assert_eq!(secretary.download(path).status, 404, "{path}");
    }
    let khoi = app.signed_in("khoi", DEMO_PASSWORD);
    for path in routes(other_bloc) {
        assert_eq!(khoi.download(&path).status, 404, "{path}");
    }
    let visitor = app.client();
    for path in routes(duk) {
        let page = visitor.get(&path);
        assert!(
            page.status == 303
                && page
                    .location
                    .as_deref()
                    .is_some_and(|to| to.starts_with("/login")),
            "{path}: {} {:?}",
            page.status,
            page.location
        );
    }
    for bad in ["year=abc", "unit=x"] {
        let page = khoi.get(&format!("/exports/initiatives.csv?{bad}"));
        assert_eq!(page.status, 400, "{bad}");
    }

    // Without a unit the secretary gets their own: only their unit's rows.
    let own = secretary.download("/exports/annual.xlsx?year=2022");
    assert_eq!(own.status, 200);
    let list = sheet(&own.bytes, columns::LIST_SHEET);
    let head = list
        .iter()
        .position(|row| cell_text(&row[0]) == columns::NUMBER)
        .expect("header row");
    let rows = &list[head + 1..];
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|row| cell_text(&row[2]).starts_with("STC")));
    let stats = secretary
        .get(&format!("/api/v1/stats?year=2022&unit={stc}"))
        .json();
    assert_eq!(
        rows.len() as i64,
        stats["registered"].as_i64().expect("registered")
    );
}

/// The workbook's summary sheet and its list sheet are read in one snapshot
/// (`app::exports::summary_and_list`): an initiative another connection commits after
/// the summary was read and before the list is cannot make the list longer than the
/// summary's total.
#[test]
fn the_summary_and_the_list_of_a_workbook_come_from_one_snapshot() {
    use lamtheobac::app::exports::{self, ReportPlace};
    use lamtheobac::domain::{Scope, Year};
    let (app, fx) = app_with_fixture();
    let mut conn = app.db();
    let mut other = app.db();
    let year = Year::new(2022).expect("year");
    let selection =
        exports::select(&mut conn, Scope::Everything, Some(fx.tu), Some(year)).expect("select");
    let report = ReportPlace {
        place: None,
        today: date(2022, 12, 1),
        date: None,
        number: None,
    };
    let (registered, listed) = exports::summary_and_list(
        &mut conn,
        &selection,
        &report,
        |summary| {
            create_initiative(
                &mut other,
                fx.admin,
                Spec {
                    unit_id: fx.c1,
                    year: 2022,
                    title: "Đăng ký giữa hai lần đọc",
                    field: Field::Other,
                    status: Status::Registered,
                    estimated: 1_000_000,
                    actual: None,
                },
            );
            Ok((summary.total.registered, 0))
        },
        |(_, listed), _| {
            *listed += 1;
            Ok(())
        },
    )
    .expect("the workbook's reads");
    assert_eq!(
        listed, registered,
        "the list saw a registration the summary did not"
    );
    let (after, _) = exports::summary_and_list(
        &mut conn,
        &selection,
        &report,
        |summary| Ok((summary.total.registered, 0)),
        |_, _| Ok(()),
    )
    .expect("the workbook's reads");
    assert_eq!(
        after,
        registered + 1,
        "the next export sees the registration"
    );
}

/// The CSV and the XLSX list say where each initiative stands with the bloc committee
/// ("Tình trạng xem xét"), next to its status: a completion report waiting for
/// acceptance reads "Chờ nghiệm thu", not only "Đang thực hiện" beside a completion
/// date and a value.
#[test]
fn the_csv_and_the_xlsx_list_name_each_review_state() {
    let (app, fx) = app_with_fixture();
    let expected = [
        ("pending_approval", "Chờ duyệt đăng ký"),
        ("returned_registration", "Bị trả lại"),
        ("approved", "Đã duyệt"),
        ("pending_acceptance", "Chờ nghiệm thu"),
        ("returned_completion", "Bị trả lại"),
        ("accepted", "Đã nghiệm thu"),
    ];
    for (state, _) in expected {
        initiative_in_state(&app, &fx, &format!("Xem xét: {state}"), state);
    }
    let reviewer = app.signed_in("khoi.a", PASSWORD);
    let csv = reviewer.download(&format!(
        "/exports/initiatives.csv?year=2022&unit={}",
        fx.ka
    ));
    assert_eq!(csv.status, 200);
    let records = csv_records(std::str::from_utf8(&csv.bytes[3..]).expect("UTF-8"));
    let workbook = reviewer.download(&format!("/exports/annual.xlsx?year=2022&unit={}", fx.ka));
    assert_eq!(workbook.status, 200);
    let list: Vec<Vec<String>> = sheet(&workbook.bytes, columns::LIST_SHEET)
        .iter()
        .map(|row| row.iter().map(cell_text).collect())
        .collect();
    let head = list
        .iter()
        .position(|row| row[0] == columns::NUMBER)
        .expect("the list's header row");
    for (name, rows) in [("CSV", &records[..]), ("XLSX", &list[head..])] {
        assert_eq!(rows[0], columns::INITIATIVE_LIST.to_vec(), "{name}");
        let at = |header: &str| {
            rows[0]
                .iter()
                .position(|title| title == header)
                .expect("a column")
        };
        let review = at(columns::REVIEW);
        assert_eq!(
            review,
            at(columns::STATUS) + 1,
            "{name}: next to the status"
        );
        for (state, label) in expected {
            let title = format!("Xem xét: {state}");
            let row = rows
                .iter()
                .find(|row| row[at(columns::TITLE)] == title)
                .unwrap_or_else(|| panic!("{name}: {title} is listed"));
            assert_eq!(row[review], label, "{name}: {state}");
        }
        let waiting = rows
            .iter()
            .find(|row| row[at(columns::TITLE)] == "Xem xét: pending_acceptance")
            .expect("listed");
        assert_eq!(
            (
                waiting[at(columns::STATUS)].as_str(),
                waiting[review].as_str(),
                !waiting[at(columns::COMPLETION_DATE)].is_empty()
            ),
            (Status::InProgress.label_vi(), "Chờ nghiệm thu", true),
            "{name}: a report waiting for acceptance says so beside its completion date"
        );
        assert!(
            rows[1..].iter().all(|row| !row[review].is_empty()),
            "{name}: every row has a review state"
        );
    }
}
