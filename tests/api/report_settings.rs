//! The annual report's settings per unit and year: the page reviewers fill in, what the
//! printed report and the workbook then say, the defaults (never the day of export) and
//! the query's overrides for one export.

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

use crate::helpers::*;

fn settings_form(unit: i32, year: &str) -> Vec<(&'static str, String)> {
    vec![
        ("unit", unit.to_string()),
        ("year", year.to_owned()),
        ("document_number", "25".to_owned()),
        ("document_abbreviation", String::new()),
        ("report_date", "15/12/2022".to_owned()),
        ("place", "Lạng Sơn".to_owned()),
        ("signer_name", "Nguyễn Văn Thử".to_owned()),
        ("signer_position", "deputy".to_owned()),
        (
            "recipients",
            "- Ban Thường vụ Tỉnh ủy (để báo cáo),\n- Lưu VP.".to_owned(),
        ),
        (
            "assessment",
            "Ưu điểm: các chi bộ đăng ký đúng hạn.\nHạn chế: một số mô hình chậm tiến độ."
                .to_owned(),
        ),
        (
            "next_year",
            "Tiếp tục nhân rộng các mô hình tiêu biểu.".to_owned(),
        ),
    ]
}

fn report_text(client: &Client, path: &str) -> String {
    let page = client.get(path);
    assert_eq!(page.status, 200, "{path}: {}", page.body);
    text_of(&page.body)
}

fn summary_sheet_text(bytes: &[u8]) -> String {
    let mut workbook: Xlsx<_> =
        calamine::open_workbook_from_rs(Cursor::new(bytes.to_vec())).expect("an XLSX file");
    let range = workbook.worksheet_range("Tổng hợp").expect("the sheet");
    range
        .rows()
        .flat_map(|row| row.iter())
        .filter_map(|cell| match cell {
            Data::String(text) => Some(text.clone()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

#[test]
fn settings_saved_by_a_reviewer_are_what_the_report_and_the_workbook_say() {
    let (app, fx) = app_with_fixture();
    let reviewer = app.signed_in(REV_A, PASSWORD);
    let dashboard = reviewer.get(&format!("/dashboard?year=2022&unit={}", fx.ka));
    assert!(
        dashboard.body.contains(&format!(
            "href=\"/reports/settings?year=2022&amp;unit={}\"",
            fx.ka
        )),
        "the dashboard links to the settings"
    );
    let form = reviewer.get(&format!("/reports/settings?year=2022&unit={}", fx.ka));
    assert_eq!(form.status, 200, "{}", form.body);
    assert!(form.body.contains("name=\"signer_position\""));
    let fields = settings_form(fx.ka, "2022");
    let saved = reviewer.post_form_csrf("/reports/settings", &pairs(&fields));
    assert_eq!(saved.status, 303, "{}", saved.body);
    let shown = reviewer.follow(&saved);
    assert!(
        text_of(&shown.body).contains("Đã lưu thiết lập báo cáo."),
        "{}",
        shown.body
    );

    let text = report_text(
        &reviewer,
        &format!("/reports/annual?year=2022&unit={}", fx.ka),
    );
    for expected in [
        "Số 25-BC/ĐUK",
        "Lạng Sơn, ngày 15 tháng 12 năm 2022",
        "T/M BAN THƯỜNG VỤ K/T BÍ THƯ PHÓ BÍ THƯ",
        "Nguyễn Văn Thử",
        "- Ban Thường vụ Tỉnh ủy (để báo cáo),",
        "Hạn chế: một số mô hình chậm tiến độ.",
        "Phương hướng, nhiệm vụ năm 2023",
        "Tiếp tục nhân rộng các mô hình tiêu biểu.",
    ] {
        assert!(text.contains(expected), "{expected:?} in {text}");
    }
    assert!(!text.contains("Các tổ chức đảng trực thuộc,"), "{text}");

    // The form shows what is stored.
    let again = reviewer.get(&format!("/reports/settings?year=2022&unit={}", fx.ka));
    assert!(keeps_value(&again, "15/12/2022") && keeps_value(&again, "Nguyễn Văn Thử"));

    let workbook = reviewer.download(&format!("/exports/annual.xlsx?year=2022&unit={}", fx.ka));
    assert_eq!(workbook.status, 200);
    let sheet = summary_sheet_text(&workbook.bytes);
    for expected in [
        "Số 25-BC/ĐUK",
        "Lạng Sơn, ngày 15 tháng 12 năm 2022",
        "Nơi nhận:",
        "- Lưu VP.",
        "PHÓ BÍ THƯ",
        "Nguyễn Văn Thử",
        "Tiếp tục nhân rộng các mô hình tiêu biểu.",
    ] {
        assert!(
            sheet.contains(expected),
            "{expected:?} in the sheet:\n{sheet}"
        );
    }

    // A unit's own abbreviation replaces its kind's.
    let own = with(fields, "document_abbreviation", "STC");
    let saved = reviewer.post_form_csrf("/reports/settings", &pairs(&own));
    assert_eq!(saved.status, 303, "{}", saved.body);
    let text = report_text(
        &reviewer,
        &format!("/reports/annual?year=2022&unit={}", fx.ka),
    );
    assert!(text.contains("Số 25-BC/STC"), "{text}");
}

#[test]
fn without_settings_the_date_is_the_reporting_deadline_or_the_last_day_of_the_year() {
    let (app, fx) = app_with_fixture();
    let reviewer = app.signed_in(REV_A, PASSWORD);
    let path = format!("/reports/annual?year=2022&unit={}", fx.ka);
    let text = report_text(&reviewer, &path);
    assert!(text.contains("ngày 31 tháng 12 năm 2022"), "{text}");
    assert!(text.contains("-BC/ĐUK"), "{text}");
    let today = lamtheobac::domain::today_in_vietnam();
    let export_day = lamtheobac::domain::format::place_date_line("", today);
    assert!(
        !text.contains(export_day.trim_start_matches(", ")),
        "{text}"
    );

    let page = reviewer.post_form_csrf(
        "/deadlines",
        &[
            ("unit", &fx.ka.to_string()),
            ("year", "2022"),
            ("registration_deadline", "31/03/2022"),
            ("reporting_deadline", "10/12/2022"),
        ],
    );
    assert_eq!(page.status, 303, "{}", page.body);
    let text = report_text(&reviewer, &path);
    assert!(text.contains("ngày 10 tháng 12 năm 2022"), "{text}");
    // A cell under the bloc follows the bloc's deadline too.
    let text = report_text(
        &reviewer,
        &format!("/reports/annual?year=2022&unit={}", fx.c1),
    );
    assert!(text.contains("ngày 10 tháng 12 năm 2022"), "{text}");
}

#[test]
fn the_query_overrides_the_date_and_the_number_for_one_export_and_bad_values_are_400() {
    let (app, fx) = app_with_fixture();
    let reviewer = app.signed_in(REV_A, PASSWORD);
    let saved = reviewer.post_form_csrf("/reports/settings", &pairs(&settings_form(fx.ka, "2022")));
    assert_eq!(saved.status, 303, "{}", saved.body);
    let base = format!("year=2022&unit={}", fx.ka);
    let text = report_text(
        &reviewer,
        &format!("/reports/annual?{base}&date=2022-12-20&number=31"),
    );
    assert!(text.contains("Số 31-BC/ĐUK"), "{text}");
    assert!(text.contains("ngày 20 tháng 12 năm 2022"), "{text}");
    // Only for that export: the stored values stay.
    let text = report_text(&reviewer, &format!("/reports/annual?{base}"));
    assert!(text.contains("Số 25-BC/ĐUK") && text.contains("ngày 15 tháng 12 năm 2022"));

    let workbook = reviewer.download(&format!(
        "/exports/annual.xlsx?{base}&date=2022-12-20&number=31"
    ));
    assert_eq!(workbook.status, 200);
    let sheet = summary_sheet_text(&workbook.bytes);
    assert!(sheet.contains("Số 31-BC/ĐUK") && sheet.contains("ngày 20 tháng 12 năm 2022"));
    let pdf = reviewer.download(&format!(
        "/reports/annual.pdf?{base}&date=2022-12-20&number=31"
    ));
    assert_eq!(pdf.status, 200);
    let text = poppler(&pdf.bytes, "pdftotext", &[]);
    for expected in [
        "Số 31-BC/ĐUK",
        "ngày 20 tháng 12 năm 2022",
        "K/T BÍ THƯ",
        "PHÓ BÍ THƯ",
        "Nguyễn Văn Thử",
        "Phương hướng, nhiệm vụ năm 2023",
        "Lưu VP.",
    ] {
        assert!(text.contains(expected), "{expected:?} in the PDF:\n{text}");
    }

    for path in [
        "/reports/annual",
        "/reports/annual.pdf",
        "/exports/annual.xlsx",
    ] {
        for bad in ["date=2022-13-45", "date=abc", "number=-3", "number=1e9"] {
            let page = reviewer.download(&format!("{path}?{base}&{bad}"));
            assert_eq!(page.status, 400, "{path}?{bad}");
        }
    }
}

#[test]
fn a_bad_date_comes_back_beside_its_field_with_the_input_kept_and_nothing_stored() {
    let (app, fx) = app_with_fixture();
    let reviewer = app.signed_in(REV_A, PASSWORD);
    let form = with(settings_form(fx.ka, "2022"), "report_date", "31/02/2022");
    let form = with(form, "document_number", "số 25");
    let page = reviewer.post_form_csrf("/reports/settings", &pairs(&form));
    assert_eq!(page.status, 422, "{}", page.body);
    assert!(page.has_field_error("report_date"), "{}", page.body);
    assert!(page.has_field_error("document_number"), "{}", page.body);
    assert!(keeps_value(&page, "31/02/2022"));
    assert!(keeps_value(&page, "Nguyễn Văn Thử"));
    assert!(keeps_value(
        &page,
        "Tiếp tục nhân rộng các mô hình tiêu biểu."
    ));
    assert_eq!(app.count("report_settings"), 0);
    assert_eq!(
        app.count_where("SELECT count(*) AS n FROM units WHERE document_abbreviation IS NOT NULL"),
        0
    );
}

#[test]
fn outside_the_scope_it_is_not_found_and_without_the_token_it_is_refused() {
    let (app, fx) = app_with_fixture();
    let other = app.signed_in(REV_B, PASSWORD);
    assert_eq!(
        other
            .get(&format!("/reports/settings?year=2022&unit={}", fx.ka))
            .status,
        404
    );
    let page = other.post_form_csrf("/reports/settings", &pairs(&settings_form(fx.ka, "2022")));
    assert_eq!(page.status, 404, "{}", page.body);
    let secretary = app.signed_in(SEC_C1, PASSWORD);
    assert_eq!(
        secretary
            .get(&format!("/reports/settings?year=2022&unit={}", fx.c1))
            .status,
        403
    );
    let reviewer = app.signed_in(REV_A, PASSWORD);
    let page = reviewer.post_form("/reports/settings", &pairs(&settings_form(fx.ka, "2022")));
    assert_eq!(page.status, 403, "{}", page.body);
    assert_eq!(app.count("report_settings"), 0);
}
