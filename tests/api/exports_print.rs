//! How the annual workbook prints and in what order its list comes: the list of the
//! XLSX and the CSV in the summary's order (children as the dashboard lists them, each
//! subtree together, then by reference read as a number), and the workbook's print
//! setup read back from its XML and printed by LibreOffice: the list landscape, fit to
//! the page's width over several pages, its header row on each, "Trang 2/3" at the foot.

use std::io::{Cursor, Read};

use calamine::{Data, Reader, Xlsx};
use diesel::prelude::*;
use lamtheobac::domain::UnitKind;
use lamtheobac::exports::columns;

use crate::helpers::*;

/// The fixture (see `helpers::fixture`) with, under KA, a cell "Chi bộ Xây dựng" whose
/// code "AA" comes first as text but whose name comes last of KA's cells, holding three
/// initiatives whose references are, in the order they were registered, KT-10, KT-2 and
/// KT-1; and `long` initiatives with long titles for C2.
fn fixture_for_the_list(long: usize) -> (TestApp, Fixture) {
    let (app, fx) = app_with_fixture();
    let mut conn = app.db();
    let aa = create_unit(
        &mut conn,
        "AA",
        "Chi bộ Xây dựng",
        UnitKind::GrassrootsCell,
        Some(fx.ka),
        true,
    );
    let ids = register_many(&mut conn, fx.admin, aa, 2022, 3, "Công trình của chi bộ");
    for (id, reference) in ids.iter().zip(["KT-10", "KT-2", "KT-1"]) {
        use lamtheobac::schema::initiatives;
        diesel::update(initiatives::table.find(id))
            .set(initiatives::reference.eq(reference))
            .execute(&mut conn)
            .expect("set the reference");
    }
    register_many(
        &mut conn,
        fx.admin,
        fx.c2,
        2022,
        long,
        "Mô hình “Dân vận khéo” trong cải cách thủ tục hành chính, nâng cao chất lượng \
         phục vụ người dân và doanh nghiệp tại bộ phận một cửa của cơ quan, số",
    );
    (app, fx)
}

/// The workbook's sheet `name` as rows of text.
fn sheet_text(bytes: &[u8], name: &str) -> Vec<Vec<String>> {
    let mut workbook: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("an XLSX file");
    let range = workbook.worksheet_range(name).expect("the sheet");
    range
        .rows()
        .map(|row| {
            row.iter()
                .map(|cell| match cell {
                    Data::Empty => String::new(),
                    other => other.to_string(),
                })
                .collect()
        })
        .collect()
}

/// The list's rows under its header, as (unit code, reference).
fn listed(rows: &[Vec<String>]) -> Vec<(String, String)> {
    let head = rows
        .iter()
        .position(|row| row.first().map(String::as_str) == Some(columns::NUMBER))
        .expect("the list's header row");
    rows[head + 1..]
        .iter()
        .map(|row| (row[2].clone(), row[1].clone()))
        .collect()
}

/// The unit codes of `rows` with each run of the same unit once.
fn unit_runs(rows: &[(String, String)]) -> Vec<String> {
    let mut runs: Vec<String> = Vec::new();
    for (unit, _) in rows {
        if runs.last() != Some(unit) {
            runs.push(unit.clone());
        }
    }
    runs
}

/// One part of the workbook's package (e.g. `xl/worksheets/sheet2.xml`) as text.
fn package_part(bytes: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(bytes.to_vec())).expect("a ZIP");
    let mut part = archive.by_name(name).expect("the part");
    let mut text = String::new();
    part.read_to_string(&mut text).expect("UTF-8 XML");
    text
}

/// The first element `<name …>` in `xml`, attributes included.
fn element<'a>(xml: &'a str, name: &str) -> &'a str {
    let start = xml
        .find(&format!("<{name} "))
        .or_else(|| xml.find(&format!("<{name}>")))
        .unwrap_or_else(|| panic!("no <{name}> in the XML"));
    let end = start + xml[start..].find('>').expect("a closed tag");
    &xml[start..=end]
}

/// The value of `attribute` in the tag `tag`, if it is there.
fn attribute<'a>(tag: &'a str, attribute: &str) -> Option<&'a str> {
    let key = format!(" {attribute}=\"");
    let start = tag.find(&key)? + key.len();
    Some(&tag[start..start + tag[start..].find('"')?])
}

#[test]
fn the_list_comes_in_the_order_of_the_summary_then_by_reference() {
    let (app, fx) = fixture_for_the_list(12);
    let reviewer = app.signed_in(REV_A, PASSWORD);
    let workbook = reviewer.download(&format!("/exports/annual.xlsx?year=2022&unit={}", fx.ka));
    assert_eq!(workbook.status, 200);
    let csv = reviewer.download(&format!(
        "/exports/initiatives.csv?year=2022&unit={}",
        fx.ka
    ));
    assert_eq!(csv.status, 200);
    // The first columns (STT, Mã, Mã đơn vị) hold no comma, quote or line break: split
    // on commas, the cells read later may be cut.
    let csv_rows: Vec<Vec<String>> = std::str::from_utf8(&csv.bytes[3..])
        .expect("UTF-8")
        .split("\r\n")
        .filter(|line| !line.is_empty())
        .map(|line| line.split(',').map(str::to_owned).collect())
        .collect();

    // The summary's rows: KA's children as the dashboard lists them (the committee
    // first, then the cells by name, then the mass organisation).
    let summary = sheet_text(&workbook.bytes, columns::SUMMARY_SHEET);
    let head = summary
        .iter()
        .position(|row| row[0] == "STT")
        .expect("the summary's header row");
    let children: Vec<&str> = summary[head + 1..]
        .iter()
        .take_while(|row| row[1] != "Tổng cộng")
        .map(|row| row[1].as_str())
        .collect();
    assert_eq!(
        children,
        [
            "Đảng bộ Cải cách",
            "Ban Đại diện",
            "Chi bộ Sở Thử",
            "Chi bộ Xây dựng",
            "Đoàn Thanh niên Khối A"
        ]
    );

    let xlsx = listed(&sheet_text(&workbook.bytes, columns::LIST_SHEET));
    let csv = listed(&csv_rows);
    for (name, rows) in [("XLSX", &xlsx), ("CSV", &csv)] {
        assert_eq!(rows.len(), 7 + 3 + 12, "{name}: every initiative once");
        // Each child's subtree together and in the summary's order: C1's cell C1A,
        // then C1's own; N, C2, AA, M. Not the units' ids read as text, not their codes.
        assert_eq!(
            unit_runs(rows),
            ["C1A", "C1", "N", "C2", "AA", "M"],
            "{name}: the units in the summary's order"
        );
        let references = |unit: &str| -> Vec<&str> {
            rows.iter()
                .filter(|(code, _)| code == unit)
                .map(|(_, reference)| reference.as_str())
                .collect()
        };
        assert_eq!(
            references("AA"),
            ["KT-1", "KT-2", "KT-10"],
            "{name}: by reference, its number read as a number"
        );
        let c2 = references("C2");
        let numbers: Vec<u32> = c2
            .iter()
            .map(|reference| {
                reference
                    .strip_prefix("MH-")
                    .and_then(|n| n.parse().ok())
                    .expect("MH-<n>")
            })
            .collect();
        assert!(
            numbers.windows(2).all(|pair| pair[0] < pair[1]) && numbers[0] < 10,
            "{name}: MH-4 before MH-12: {c2:?}"
        );
    }
}

#[test]
fn the_workbook_prints_the_list_fit_to_width_with_its_header_and_page_numbers() {
    let (app, fx) = fixture_for_the_list(70);
    let reviewer = app.signed_in(REV_A, PASSWORD);
    let workbook = reviewer.download(&format!("/exports/annual.xlsx?year=2022&unit={}", fx.ka));
    assert_eq!(workbook.status, 200);
    let bytes = &workbook.bytes;

    // The package: sheet1 is "Tổng hợp", sheet2 "Danh sách".
    let book = package_part(bytes, "xl/workbook.xml");
    let sheets: Vec<&str> = book
        .match_indices("<sheet ")
        .map(|(at, _)| attribute(element(&book[at..], "sheet"), "name").expect("a name"))
        .collect();
    assert_eq!(sheets, [columns::SUMMARY_SHEET, columns::LIST_SHEET]);
    for (part, orientation) in [("sheet1", "portrait"), ("sheet2", "landscape")] {
        let xml = package_part(bytes, &format!("xl/worksheets/{part}.xml"));
        assert!(
            element(&xml, "sheetPr").contains("<pageSetUpPr fitToPage=\"1\"/>")
                || xml.contains("<sheetPr><pageSetUpPr fitToPage=\"1\"/></sheetPr>"),
            "{part}: fit to page"
        );
        let setup = element(&xml, "pageSetup");
        assert_eq!(attribute(setup, "paperSize"), Some("9"), "{part}: A4");
        assert_eq!(attribute(setup, "orientation"), Some(orientation), "{part}");
        // One page wide (1 is the default of fitToWidth), as many tall as it takes.
        assert!(
            matches!(attribute(setup, "fitToWidth"), None | Some("1")),
            "{part}: {setup}"
        );
        assert_eq!(
            attribute(setup, "fitToHeight"),
            Some("0"),
            "{part}: {setup}"
        );
        // REPORT_MARGINS_MM's defaults, 20/20/30/15 mm (top, bottom, left, right).
        let margins = element(&xml, "pageMargins");
        for (side, mm) in [
            ("top", 20.0),
            ("bottom", 20.0),
            ("left", 30.0),
            ("right", 15.0),
        ] {
            let inches: f64 = attribute(margins, side)
                .and_then(|value| value.parse().ok())
                .expect("a margin");
            assert!(
                (inches * 25.4 - mm).abs() < 0.01,
                "{part}: {side} {margins}"
            );
        }
        assert!(
            xml.contains("<oddFooter>&amp;CTrang &amp;P/&amp;N</oddFooter>"),
            "{part}: page numbers at the foot"
        );
    }
    // The list's header row (row 4) is repeated on every printed page.
    assert!(
        book.contains(
            "<definedName name=\"_xlnm.Print_Titles\" localSheetId=\"1\">'Danh sách'!$4:$4</definedName>"
        ),
        "{book}"
    );
    // The titles wrap: the style of the first title cell (F5) wraps its text.
    let list = package_part(bytes, "xl/worksheets/sheet2.xml");
    let title_cell = element(&list, "c r=\"F5\"");
    let style: usize = attribute(title_cell, "s")
        .and_then(|s| s.parse().ok())
        .expect("a style");
    let styles = package_part(bytes, "xl/styles.xml");
    let cell_formats = &styles[styles.find("<cellXfs").expect("cellXfs")..];
    let format = cell_formats
        .split("<xf ")
        .nth(style + 1)
        .expect("the cell's format");
    assert!(
        format.contains("wrapText=\"1\""),
        "the title wraps: {format}"
    );

    // LibreOffice opens it and prints the list over several pages, each with the
    // header row and its number.
    let pdf = libreoffice_pdf(bytes, "xlsx");
    let info = poppler(&pdf, "pdfinfo", &[]);
    let pages: usize = info
        .lines()
        .find_map(|line| line.strip_prefix("Pages:"))
        .and_then(|count| count.trim().parse().ok())
        .expect("a page count");
    assert!(pages <= 20, "{pages} pages");
    let texts: Vec<String> = (1..=pages)
        .map(|page| {
            let page = page.to_string();
            poppler(&pdf, "pdftotext", &["-f", &page, "-l", &page])
        })
        .collect();
    let first_of_list = texts
        .iter()
        .position(|text| text.contains("DANH SÁCH MÔ HÌNH, CÔNG TRÌNH"))
        .expect("the list's first page");
    assert!(
        texts[0].contains("BÁO CÁO TỔNG HỢP"),
        "the summary comes first"
    );
    assert!(
        pages >= first_of_list + 2,
        "the list takes more than one page: {pages} pages, the list from page {}",
        first_of_list + 1
    );
    for (index, text) in texts.iter().enumerate() {
        assert!(
            text.contains(&format!("Trang {}/{pages}", index + 1)),
            "page {} is numbered: {text}",
            index + 1
        );
    }
    for (index, text) in texts.iter().enumerate().skip(first_of_list) {
        for header in ["STT", "Mã đơn vị", "Kết quả đạt được"] {
            assert!(
                text.contains(header),
                "page {} repeats the header {header:?}: {text}",
                index + 1
            );
        }
    }
    assert!(
        texts[first_of_list + 1].contains("Dân vận khéo")
            && !texts[first_of_list + 1].contains("DANH SÁCH MÔ HÌNH"),
        "the list's second page goes on with its rows under the repeated header"
    );
}
