//! Dates as a phone's number pad types them. Every form that takes a date reads
//! "dd/mm/yyyy", "dd-mm-yyyy", "dd.mm.yyyy", "ddmmyyyy", "d/m/yyyy" and the ISO
//! "yyyy-mm-dd" that `<input type="date">` posts, and keeps what it read.

use chrono::Datelike;

use crate::helpers::*;

/// The registration form: start and due dates.
#[test]
fn a_registration_takes_dates_typed_with_dots_or_digits_alone() {
    let (app, fx) = app_with_fixture();
    let secretary = app.signed_in(SEC_C1, PASSWORD);
    let blank = text_of(&secretary.get("/initiatives/new").body);
    let year = lamtheobac::domain::today_in_vietnam().year();
    assert!(
        blank.contains(&format!("ví dụ 15/02/{year} hoặc gõ liền 1502{year}")),
        "the hint gives the form's year: {blank}"
    );
    for (start, due, expected_start, expected_due) in [
        (
            "01.03.2022",
            "31122022",
            date(2022, 3, 1),
            date(2022, 12, 31),
        ),
        (
            "1/3/2022",
            "31-12-2022",
            date(2022, 3, 1),
            date(2022, 12, 31),
        ),
        (
            "01032022",
            "2022-12-30",
            date(2022, 3, 1),
            date(2022, 12, 30),
        ),
    ] {
        let form = with(initiative_form(fx.c1), "start_date", start);
        let form = with(form, "due_date", due);
        let form = with(form, "title", &format!("Mô hình từ {start} đến {due}"));
        let page = secretary.post_form_csrf("/initiatives", &pairs(&form));
        assert_eq!(page.status, 303, "{start} {due}: {}", page.body);
        let stored = app.initiative(id_from_location(&page));
        assert_eq!(
            (stored.start_date, stored.due_date),
            (expected_start, expected_due),
            "{start} {due}"
        );
        let detail = secretary.follow(&page);
        assert!(
            text_of(&detail.body).contains(&expected_start.format("%d/%m/%Y").to_string()),
            "the detail page shows the start date read from {start}: {} {}",
            detail.status,
            text_of(&detail.body)
        );
    }

    // What is not a date is still refused beside its field, and nothing is stored.
    let before = app.count("initiatives");
    let form = with(initiative_form(fx.c1), "start_date", "3122022");
    let page = secretary.post_form_csrf("/initiatives", &pairs(&form));
    assert!(page.has_field_error("start_date"), "{}", page.body);
    assert_eq!(app.count("initiatives"), before);
}

/// The completion report's date.
#[test]
fn a_completion_report_takes_a_date_without_separators() {
    let (app, fx) = app_with_fixture();
    let id = initiative_in_state(&app, &fx, "Báo cáo gõ bằng bàn phím số", "approved");
    let secretary = app.signed_in(SEC_C2, PASSWORD);
    let page = secretary.post_multipart_csrf(
        &format!("/initiatives/{id}/report"),
        &report_parts(
            "7.500.000",
            "15122022",
            "Đã xong.",
            &[pdf_part("bien-ban.pdf")],
        ),
    );
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(app.initiative(id).completion_date, Some(date(2022, 12, 15)));
}

/// The deadlines form and the report settings.
#[test]
fn deadlines_and_the_report_date_take_dots_and_digits_alone() {
    let (app, fx) = app_with_fixture();
    let reviewer = app.signed_in(REV_A, PASSWORD);
    let page = reviewer.post_form_csrf(
        "/deadlines",
        &[
            ("unit", &fx.ka.to_string()),
            ("year", "2023"),
            ("registration_deadline", "31032023"),
            ("reporting_deadline", "15.12.2023"),
        ],
    );
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(
        app.text(&format!(
            "SELECT registration_deadline::text || ' ' || reporting_deadline::text AS v \
             FROM deadlines WHERE unit_id = {} AND year = 2023",
            fx.ka
        ))
        .as_deref(),
        Some("2023-03-31 2023-12-15")
    );

    let page = reviewer.post_form_csrf(
        "/reports/settings",
        &[
            ("unit", &fx.ka.to_string()),
            ("year", "2022"),
            ("report_date", "20.12.2022"),
            ("signer_position", "secretary"),
        ],
    );
    assert_eq!(page.status, 303, "{}", text_of(&page.body));
    let report = reviewer.get(&format!("/reports/annual?year=2022&unit={}", fx.ka));
    assert!(
        text_of(&report.body).contains("ngày 20 tháng 12 năm 2022"),
        "{}",
        report.body
    );
}
