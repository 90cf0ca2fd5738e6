//! The secretary's home, "Việc cần làm": what was returned (with the reason), what owes a
//! completion report, what waits for the reviewer, and the unit's deadlines, for the
//! current year; where each role lands after signing in.

use chrono::{Datelike, Duration};
use diesel::RunQueryDsl;
use lamtheobac::domain::workflow::Step;
use lamtheobac::domain::{Field, Status, today_in_vietnam};

use crate::helpers::*;

/// Registers an initiative of `unit_id` for the current year, as `actor`.
fn this_year(app: &TestApp, actor: i32, unit_id: i32, title: &str) -> i32 {
    create_initiative(
        &mut app.db(),
        actor,
        Spec {
            unit_id,
            year: today_in_vietnam().year(),
            title,
            field: Field::ServingPeople,
            status: Status::InProgress,
            estimated: 2_000_000,
            actual: None,
        },
    )
}

/// The bloc's reviewer returns initiative `id` with `reason`.
fn return_with(app: &TestApp, fx: &Fixture, id: i32, reason: &str) {
    let extras = StepExtras {
        reason: Some(reason),
        ..StepExtras::default()
    };
    take_step(&mut app.db(), fx.rev_a, id, Step::Return, extras);
}

fn set_deadlines(app: &TestApp, fx: &Fixture, registration_in: i64, reporting_in: i64) {
    let today = today_in_vietnam();
    let day = |days: i64| {
        (today + Duration::days(days))
            .format("%Y-%m-%d")
            .to_string()
    };
    diesel::sql_query(format!(
        "INSERT INTO deadlines (year, unit_id, registration_deadline, reporting_deadline, \
           updated_by) VALUES ({}, {}, '{}', '{}', {})",
        today.year(),
        fx.ka,
        day(registration_in),
        day(reporting_in),
        fx.rev_a
    ))
    .execute(&mut app.db())
    .expect("set the bloc's deadlines");
}

/// The text of the first element matching `css`, as a person reads it.
fn part(page: &Page, css: &str) -> String {
    page.text_at(css)
        .unwrap_or_else(|| panic!("no {css} in {}", page.body))
}

/// The links of the elements matching `css`.
fn links(page: &Page, css: &str) -> Vec<String> {
    page.select(&format!("{css} a"), |a| {
        a.value().attr("href").unwrap_or_default().to_owned()
    })
}

#[test]
fn the_secretarys_home_lists_returned_owing_and_waiting_work_with_the_deadlines() {
    let (app, fx) = app_with_fixture();
    let returned = this_year(&app, fx.sec_c2, fx.c2, "Sổ tay dân vận");
    return_with(&app, &fx, returned, "Cần ghi rõ số hộ được giúp.");
    let owing = this_year(&app, fx.sec_c2, fx.c2, "Bếp ăn bán trú");
    take_step(
        &mut app.db(),
        fx.rev_a,
        owing,
        Step::Approve,
        StepExtras::default(),
    );
    let waiting = this_year(&app, fx.sec_c2, fx.c2, "Góc đọc sách");
    // Another unit's work is not C2's to do.
    let elsewhere = this_year(&app, fx.sec_c1, fx.c1, "Việc của đơn vị khác");
    return_with(&app, &fx, elsewhere, "Lý do của đơn vị khác.");
    set_deadlines(&app, &fx, 12, 40);

    let page = app.signed_in(SEC_C2, PASSWORD).get("/home");
    assert_eq!(page.status, 200, "{}", page.body);
    let body = &page.body;
    assert!(text_of(body).contains(&format!("Việc cần làm năm {}", today_in_vietnam().year())));

    let returned_part = part(&page, "[data-todo=returned]");
    assert!(returned_part.contains("Sổ tay dân vận"), "{returned_part}");
    assert!(
        returned_part.contains("Lý do: Cần ghi rõ số hộ được giúp."),
        "{returned_part}"
    );
    assert!(
        links(&page, "[data-todo=returned]").contains(&format!("/initiatives/{returned}/edit")),
        "{returned_part}"
    );
    assert!(!body.contains("Việc của đơn vị khác"), "{body}");

    let owing_part = part(&page, "[data-todo=owing_report]");
    let due = today_in_vietnam()
        .with_month(11)
        .and_then(|d| d.with_day(30));
    let due = due.expect("30 November");
    assert!(owing_part.contains("Bếp ăn bán trú"), "{owing_part}");
    assert!(
        owing_part.contains(&format!("Hạn hoàn thành: {}", due.format("%d/%m/%Y"))),
        "{owing_part}"
    );
    assert_eq!(
        owing_part.contains("Quá hạn"),
        today_in_vietnam() > due,
        "{owing_part}"
    );
    assert!(!owing_part.contains("Sổ tay dân vận"), "{owing_part}");

    let waiting_part = part(&page, "[data-todo=waiting]");
    assert!(
        links(&page, "[data-todo=waiting]").contains(&format!("/initiatives/{waiting}")),
        "{waiting_part}"
    );
    assert!(waiting_part.contains("Góc đọc sách"), "{waiting_part}");

    let registration = part(&page, "[data-deadline=registration]");
    assert!(registration.contains("còn 12 ngày"), "{registration}");
    let reporting = part(&page, "[data-deadline=reporting]");
    assert!(reporting.contains("còn 40 ngày"), "{reporting}");
    assert!(body.contains("Đăng ký mô hình, công trình"), "{body}");
    assert!(body.contains("href=\"/dashboard\""), "{body}");
}

#[test]
fn past_deadlines_are_counted_in_days_and_close_the_register_button() {
    let (app, fx) = app_with_fixture();
    set_deadlines(&app, &fx, -3, -1);
    let page = app.signed_in(SEC_C2, PASSWORD).get("/home");
    let body = &page.body;
    let registration = part(&page, "[data-deadline=registration]");
    assert!(registration.contains("đã quá hạn 3 ngày"), "{registration}");
    let reporting = part(&page, "[data-deadline=reporting]");
    assert!(reporting.contains("đã quá hạn 1 ngày"), "{reporting}");
    assert!(!body.contains("data-register"), "{body}");
    assert!(body.contains("Đã hết hạn đăng ký"), "{body}");
}

#[test]
fn an_empty_home_says_so_and_offers_to_register_and_the_years_before() {
    let (app, _fx) = app_with_fixture();
    let body = app.signed_in(SEC_C2, PASSWORD).get("/home").body;
    let year = today_in_vietnam().year();
    assert!(body.contains("Chưa có việc nào cần làm"), "{body}");
    assert!(
        text_of(&body).contains("Hạn đăng ký: chưa đặt thời hạn"),
        "{body}"
    );
    assert!(body.contains("href=\"/initiatives/new\""), "{body}");
    assert!(
        body.contains(&format!("href=\"/initiatives?year={}\"", year - 1)),
        "{body}"
    );
}

#[test]
fn a_secretary_lands_on_the_to_do_page_and_a_reviewer_on_the_dashboard() {
    let (app, _fx) = app_with_fixture();
    let secretary = app.client();
    let signed_in = secretary.sign_in(SEC_C2, PASSWORD);
    assert_eq!(signed_in.location.as_deref(), Some("/home"));
    assert_eq!(secretary.get("/").location.as_deref(), Some("/home"));
    let menu = secretary.get("/dashboard").body;
    assert!(
        menu.contains("<a href=\"/home\">Việc cần làm</a>"),
        "{menu}"
    );

    let reviewer = app.client();
    let signed_in = reviewer.sign_in(REV_A, PASSWORD);
    assert_eq!(signed_in.location.as_deref(), Some("/dashboard"));
    // The address a person bookmarked as home still takes a reviewer to the figures.
    assert_eq!(
        reviewer.get("/home").location.as_deref(),
        Some("/dashboard")
    );
    assert!(!reviewer.get("/dashboard").body.contains("Việc cần làm"));
}

/// Registers an initiative of `unit_id` for `year`, as `actor`.
fn in_year(app: &TestApp, actor: i32, unit_id: i32, year: i32, title: &str) -> i32 {
    create_initiative(
        &mut app.db(),
        actor,
        Spec {
            unit_id,
            year,
            title,
            field: Field::ServingPeople,
            status: Status::InProgress,
            estimated: 2_000_000,
            actual: None,
        },
    )
}

#[test]
fn work_returned_in_earlier_years_is_on_home_and_matches_the_menus_badge() {
    let (app, fx) = app_with_fixture();
    let year = today_in_vietnam().year();
    let earlier = in_year(&app, fx.sec_c2, fx.c2, year - 2, "Tủ sách pháp luật cũ");
    return_with(&app, &fx, earlier, "Bổ sung danh sách sách đã nhận.");
    let current = this_year(&app, fx.sec_c2, fx.c2, "Sổ tay dân vận");
    return_with(&app, &fx, current, "Cần ghi rõ số hộ được giúp.");

    let page = app.signed_in(SEC_C2, PASSWORD).get("/home");
    assert_eq!(page.status, 200, "{}", page.body);
    let returned_part = part(&page, "[data-todo=returned]");
    assert!(
        returned_part.contains("Tủ sách pháp luật cũ"),
        "{returned_part}"
    );
    assert!(
        returned_part.contains(&format!("năm {}", year - 2)),
        "the earlier year is said: {returned_part}"
    );
    assert!(
        returned_part.contains("Lý do: Bổ sung danh sách sách đã nhận."),
        "{returned_part}"
    );
    let edit = format!("href=\"/initiatives/{earlier}/edit\"");
    assert!(page.body.contains(&edit), "it can be corrected from home");
    // The menu's badge counts what home lists, every year together.
    let badge = page
        .element_html("data-badge=\"returned\"")
        .map(|html| text_of(&html));
    let listed = page.select("[data-todo=returned] li[data-initiative]", |_| ());
    assert_eq!(badge.as_deref(), Some(listed.len().to_string().as_str()));
    assert_eq!(listed.len(), 2);
    assert_eq!(
        page.text_at("[data-todo=returned] h2 .count").as_deref(),
        Some("2")
    );
}
