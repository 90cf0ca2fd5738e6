//! The annual report as a Word document: what Word reads in its XML (page size and
//! margins, font, the borderless header, the repeated table header, the page-number
//! fields, the settings and the query's overrides), and what LibreOffice prints from it.

use std::io::{Cursor, Read};

use quick_xml::events::Event;

use crate::helpers::*;

/// The margins of the older handbook (25/25/35/15 mm), so the file shows it follows the
/// setting rather than the default.
fn older_margins() -> lamtheobac::config::Margins {
    lamtheobac::config::Margins {
        top: 25.0,
        bottom: 25.0,
        left: 35.0,
        right: 15.0,
    }
}

/// Long enough that the report takes two pages; with characters XML must escape.
const ASSESSMENT: [&str; 4] = [
    "Ưu điểm: các tổ chức đảng trực thuộc đã quán triệt đầy đủ các văn bản chỉ đạo, đăng ký mô hình, công trình đúng thời hạn, nội dung đăng ký bám sát chức năng, nhiệm vụ của cơ quan, đơn vị; nhiều mô hình được triển khai đồng bộ, có cách làm sáng tạo, mang lại hiệu quả thiết thực trong công tác chuyên môn và đời sống của cán bộ, đảng viên.",
    "Hạn chế: một số mô hình chậm tiến độ so với kế hoạch; việc sơ kết, đánh giá kết quả ở một vài chi bộ còn hình thức, chưa nêu rõ số liệu; kinh phí < 5 triệu đồng & minh chứng còn thiếu ở một số hồ sơ, việc báo cáo kết quả chưa kịp thời, chưa đúng mẫu theo hướng dẫn của cấp trên.",
    "Nguyên nhân: một số cấp ủy chưa quan tâm đúng mức đến việc theo dõi, đôn đốc; cán bộ phụ trách kiêm nhiệm nhiều việc, thời gian dành cho công tác tổng hợp còn hạn chế; việc phối hợp giữa các bộ phận chuyên môn trong cơ quan có lúc chưa chặt chẽ, thiếu thường xuyên.",
    "Bài học kinh nghiệm: cấp ủy phải chỉ đạo sát sao từ khâu đăng ký đến khâu nghiệm thu; mỗi mô hình cần có người chịu trách nhiệm, có kế hoạch, tiến độ và sản phẩm cụ thể; thường xuyên biểu dương, nhân rộng các cách làm hay để tạo sức lan tỏa trong toàn Đảng bộ.",
];

fn settings_form(unit: i32) -> Vec<(&'static str, String)> {
    vec![
        ("unit", unit.to_string()),
        ("year", "2022".to_owned()),
        ("document_number", "7".to_owned()),
        ("document_abbreviation", String::new()),
        ("report_date", "10/12/2022".to_owned()),
        ("place", "Lạng Sơn".to_owned()),
        ("signer_name", "Nguyễn Văn Thử".to_owned()),
        ("signer_position", "secretary".to_owned()),
        (
            "recipients",
            "- Ban Thường vụ Tỉnh ủy (để báo cáo),\n- Lưu VP.".to_owned(),
        ),
        ("assessment", ASSESSMENT.join("\n")),
        (
            "next_year",
            "Tiếp tục nhân rộng các mô hình tiêu biểu.".to_owned(),
        ),
    ]
}

/// The fixture's bloc with its 2022 settings saved, and the path of its DOCX with the
/// query's date and number.
fn bloc_docx() -> Vec<u8> {
    let app = TestApp::spawn_with(|settings| settings.reports.margins = older_margins());
    let fx = Fixture::build(&app);
    let reviewer = app.signed_in(REV_A, PASSWORD);
    let saved = reviewer.post_form_csrf("/reports/settings", &pairs(&settings_form(fx.ka)));
    assert_eq!(saved.status, 303, "{}", saved.body);
    let file = reviewer.download(&format!(
        "/exports/annual.docx?year=2022&unit={}&date=2022-12-15&number=25",
        fx.ka
    ));
    assert_eq!(file.status, 200);
    assert_eq!(
        file.header("content-type"),
        Some("application/vnd.openxmlformats-officedocument.wordprocessingml.document")
    );
    assert_eq!(
        file.header("content-disposition"),
        Some("attachment; filename=\"bao-cao-2022-KA.docx\"")
    );
    file.bytes
}

/// One part of the package, as text.
fn part(docx: &[u8], name: &str) -> String {
    let mut archive = zip::ZipArchive::new(Cursor::new(docx)).expect("a ZIP package");
    let mut text = String::new();
    archive
        .by_name(name)
        .unwrap_or_else(|_| panic!("{name} in the package"))
        .read_to_string(&mut text)
        .expect("UTF-8 XML");
    text
}

/// The text of each paragraph (`w:p`) of a part, its runs joined, entities decoded.
fn paragraphs(xml: &str) -> Vec<String> {
    let mut reader = quick_xml::Reader::from_str(xml);
    let mut found = Vec::new();
    let mut current = String::new();
    let mut in_text = false;
    // Every turn reads one event: the part's length bounds the turns.
    for _ in 0..=xml.len() {
        match reader.read_event().expect("well-formed XML") {
            Event::Start(tag) if tag.name().as_ref() == "w:t" => in_text = true,
            Event::End(tag) if tag.name().as_ref() == "w:t" => in_text = false,
            Event::Text(text) if in_text => {
                current.push_str(&text);
            }
            Event::GeneralRef(entity) if in_text => {
                let decoded = quick_xml::escape::resolve_predefined_entity(&entity)
                    .unwrap_or_else(|| panic!("unknown entity {}", &*entity));
                current.push_str(decoded);
            }
            Event::End(tag) if tag.name().as_ref() == "w:p" => {
                found.push(std::mem::take(&mut current));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    found
}

/// The XML of each table (`w:tbl`) of the document, in order.
fn tables(document: &str) -> Vec<&str> {
    document
        .split("<w:tbl>")
        .skip(1)
        .map(|rest| &rest[..rest.find("</w:tbl>").expect("a closed table")])
        .collect()
}

/// The XML of each row (`w:tr`) of a table.
fn rows(table: &str) -> Vec<&str> {
    table.split("<w:tr>").skip(1).collect()
}

#[test]
fn the_docx_is_a4_with_the_set_margins_in_times_new_roman_with_the_layout_word_keeps() {
    let docx = bloc_docx();
    let document = part(&docx, "word/document.xml");
    // A4, and the margins of the settings in twips (25 mm = 1417, 35 mm = 1984, 15 mm = 850).
    assert!(
        document.contains(r#"<w:pgSz w:w="11906" w:h="16838"/>"#),
        "{document}"
    );
    for margin in [
        r#"w:top="1417""#,
        r#"w:bottom="1417""#,
        r#"w:left="1984""#,
        r#"w:right="850""#,
    ] {
        let page_margins = &document[document.find("<w:pgMar").expect("w:pgMar")..];
        let page_margins = &page_margins[..page_margins.find("/>").expect("closed")];
        assert!(page_margins.contains(margin), "{margin} in {page_margins}");
    }
    let styles = part(&docx, "word/styles.xml");
    for script in ["ascii", "hAnsi", "cs", "eastAsia"] {
        let font = format!("w:{script}=\"Times New Roman\"");
        assert!(styles.contains(&font), "{font} in {styles}");
    }

    let tables = tables(&document);
    assert_eq!(tables.len(), 3, "header, figures, signature");
    let (header, figures, signature) = (tables[0], tables[1], tables[2]);
    // The Party header: two columns, no borders.
    assert!(header.contains("ĐẢNG CỘNG SẢN VIỆT NAM") && header.contains("Số 25-BC/ĐUK"));
    assert_eq!(header.matches("<w:gridCol ").count(), 2);
    for table in [header, signature] {
        let borders = &table[table.find("<w:tblBorders>").expect("borders")..];
        let borders = &borders[..borders.find("</w:tblBorders>").expect("closed")];
        assert_eq!(borders.matches(r#"w:val="nil""#).count(), 6, "{borders}");
    }
    // The figures: the header row repeated on every page, no row split, totals once.
    let figure_rows = rows(figures);
    assert!(figure_rows[0].contains(">STT<"), "{}", figure_rows[0]);
    assert!(figure_rows[0].contains("<w:tblHeader/>"));
    assert_eq!(document.matches("<w:tblHeader/>").count(), 1);
    assert!(figure_rows.iter().all(|row| row.contains("<w:cantSplit/>")));
    let last = figure_rows.last().expect("rows");
    assert!(
        last.contains("Tổng cộng") && last.contains("<w:b/>"),
        "{last}"
    );
    assert_eq!(document.matches("Tổng cộng").count(), 1);
    // The signature block: "Nơi nhận:" on the left, the signer on the right.
    let cells: Vec<&str> = signature.split("<w:tc>").skip(1).collect();
    assert_eq!(cells.len(), 2);
    assert!(cells[0].contains("Nơi nhận:") && cells[0].contains("- Lưu VP."));
    assert!(cells[1].contains("T/M BAN THƯỜNG VỤ") && cells[1].contains("Nguyễn Văn Thử"));

    // Body paragraphs are justified.
    let narrative = document
        .split("<w:p>")
        .find(|paragraph| paragraph.contains("Năm 2022,"))
        .expect("the opening paragraph");
    assert!(narrative.contains(r#"<w:jc w:val="both"/>"#), "{narrative}");

    // Page numbers "Trang n/N" from Word's fields.
    let footer = part(&docx, "word/footer1.xml");
    assert!(
        footer.contains("> PAGE <") && footer.contains("> NUMPAGES <"),
        "{footer}"
    );
    assert!(document.contains(r#"<w:footerReference w:type="default" r:id="rId3"/>"#));
}

#[test]
fn the_docx_says_the_chosen_number_and_date_the_signer_and_the_sections() {
    let docx = bloc_docx();
    let text = paragraphs(&part(&docx, "word/document.xml"));
    for expected in [
        "Số 25-BC/ĐUK",
        "Lạng Sơn, ngày 15 tháng 12 năm 2022",
        "BÁO CÁO",
        "Nguyễn Văn Thử",
        "Đánh giá chung",
        ASSESSMENT[1],
        "Phương hướng, nhiệm vụ năm 2023",
        "Tiếp tục nhân rộng các mô hình tiêu biểu.",
        "- Ban Thường vụ Tỉnh ủy (để báo cáo),",
    ] {
        assert!(
            text.iter().any(|paragraph| paragraph == expected),
            "{expected:?} among the paragraphs {text:#?}"
        );
    }
    // The stored number and date give way to the query's for this one export.
    assert!(!text.iter().any(|paragraph| paragraph.contains("Số 7-BC")));
    assert!(
        !text
            .iter()
            .any(|paragraph| paragraph.contains("ngày 10 tháng 12"))
    );
    // The sections come after the figures, the signature after the sections.
    let at = |wanted: &str| text.iter().position(|p| p == wanted).expect(wanted);
    assert!(at("Tổng cộng") < at("Đánh giá chung"));
    assert!(at("Phương hướng, nhiệm vụ năm 2023") < at("Nơi nhận:"));
}

#[test]
fn libreoffice_prints_the_docx_on_two_numbered_pages_with_the_totals_once() {
    let docx = bloc_docx();
    let pdf = libreoffice_pdf(&docx, "docx");
    let pages: usize = poppler(&pdf, "pdfinfo", &[])
        .lines()
        .find_map(|line| line.strip_prefix("Pages:"))
        .and_then(|count| count.trim().parse().ok())
        .expect("a page count");
    assert_eq!(pages, 2);
    let text = poppler(&pdf, "pdftotext", &[]);
    let flowing = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "Số 25-BC/ĐUK",
        "ngày 15 tháng 12 năm 2022",
        "Nguyễn Văn Thử",
        "Đánh giá chung",
        "kinh phí < 5 triệu đồng & minh chứng",
        "Trang 1/2",
        "Trang 2/2",
    ] {
        assert!(flowing.contains(expected), "{expected:?} in:\n{text}");
    }
    assert_eq!(flowing.matches("Tổng cộng").count(), 1, "{text}");
    // LibreOffice sets Times New Roman in its metric twin when it is not installed.
    let fonts = poppler(&pdf, "pdffonts", &[]);
    assert!(
        fonts.contains("TimesNewRoman") || fonts.contains("LiberationSerif"),
        "{fonts}"
    );
}

#[test]
fn outside_the_scope_the_docx_is_not_found_and_a_bad_date_is_400() {
    let (app, fx) = app_with_fixture();
    let other = app.signed_in(REV_B, PASSWORD);
    let path = format!("/exports/annual.docx?year=2022&unit={}", fx.ka);
    assert_eq!(other.download(&path).status, 404);
    let reviewer = app.signed_in(REV_A, PASSWORD);
    for bad in ["date=2022-13-45", "number=-3"] {
        let page = reviewer.download(&format!("{path}&{bad}"));
        assert_eq!(page.status, 400, "{bad}");
    }
    assert_eq!(reviewer.download(&path).status, 200);
}
