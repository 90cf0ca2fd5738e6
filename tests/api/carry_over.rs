//! Carrying an unfinished initiative into the next year: one action makes one linked
//! initiative of the next year, waiting for approval; everything else is refused with
//! a message and stores nothing.

use std::sync::Barrier;

use lamtheobac::domain::{Field, InitiativeKind, Status};

use crate::helpers::*;

fn carry(client: &Client, id: i32, reason: &str) -> Page {
    client.post_form_csrf(
        &format!("/initiatives/{id}/carry-over"),
        &[("reason", reason)],
    )
}

fn carry_button(id: i32) -> String {
    format!("action=\"/initiatives/{id}/carry-over\"")
}

/// The initiatives carried over from `id`.
fn carried_from(app: &TestApp, id: i32) -> i64 {
    app.count_where(&format!(
        "SELECT count(*) AS n FROM initiatives WHERE carried_from_id = {id}"
    ))
}

/// The id of the initiative carried over from `id`.
fn carried_id(app: &TestApp, id: i32) -> i32 {
    i32::try_from(app.count_where(&format!(
        "SELECT id::bigint AS n FROM initiatives WHERE carried_from_id = {id}"
    )))
    .expect("an id")
}

/// Refused with `status`, the message on the detail page, and nothing stored.
fn assert_refused(app: &TestApp, page: &Page, status: u16, before: &str, message: &str) {
    assert_eq!(page.status, status, "{}", page.body);
    let refusal = page.refusal().unwrap_or_default();
    assert!(refusal.contains(message), "{refusal}");
    assert_eq!(snapshot(app), before, "nothing stored");
}

#[test]
fn an_unfinished_initiative_is_carried_into_the_next_year_once_and_both_pages_link() {
    let (app, fx) = app_with_fixture();
    let original = fx.item(3); // C1A, 2022, in progress, approved, 01/02–30/11/2022
    let before = app.initiative(original);
    let secretary = app.signed_in(SEC_C1, PASSWORD);

    let page = secretary.get(&format!("/initiatives/{original}"));
    assert!(page.body.contains(&carry_button(original)), "the button");
    assert!(page.body.contains("Chuyển tiếp sang năm 2023"));

    let initiatives = app.count("initiatives");
    let page = carry(&secretary, original, "Chưa đủ kinh phí trong năm 2022.");
    assert_eq!(page.status, 303, "{}", page.body);
    let new_id = id_from_location(&page);
    assert_eq!(
        app.count("initiatives"),
        initiatives + 1,
        "exactly one more"
    );
    assert_eq!(carried_from(&app, original), 1);

    let carried = app.initiative(new_id);
    assert_eq!(carried.carried_from_id, Some(original));
    assert_eq!(carried.year, 2023);
    assert_eq!(carried.unit_id, fx.c1a);
    assert_eq!(carried.kind, InitiativeKind::Model);
    assert_eq!(carried.field, Field::SocialWelfare);
    assert_eq!(carried.title, before.title);
    assert_eq!(carried.description, before.description);
    assert_eq!(carried.estimated_cost_vnd, 30_000_000);
    assert_eq!(carried.start_date, date(2023, 1, 1));
    assert_eq!(carried.due_date, date(2023, 12, 31));
    assert_eq!(carried.status, Status::InProgress, "it was in progress");
    assert_eq!(carried.review.as_str(), "pending_approval");
    assert_eq!(carried.actual_value_vnd, None);
    assert_eq!(carried.completion_date, None);
    assert_eq!(carried.created_by, fx.sec_c1);

    // The original stays in 2022, unfinished and untouched.
    let after = app.initiative(original);
    assert_eq!(after.year, 2022);
    assert_eq!(after.status, Status::InProgress);
    assert_eq!(after.version, before.version);
    assert_eq!(after.carried_from_id, None);

    // The new page links back, says why, and tells what happens next.
    let shown = secretary.follow(&page);
    assert_eq!(shown.status, 200);
    let link = shown
        .element_html(&format!("data-carried-from=\"{original}\""))
        .expect("the link back");
    assert!(text_of(&link).contains("Chuyển tiếp từ năm 2022"), "{link}");
    assert!(link.contains(&format!("href=\"/initiatives/{original}\"")));
    assert!(
        text_of(&shown.body).contains("Đã chuyển tiếp sang năm 2023"),
        "flash"
    );
    assert_eq!(shown.review().as_deref(), Some("pending_approval"));
    let text = text_of(&shown.body);
    assert!(text.contains("Chuyển tiếp từ năm trước"), "history");
    assert!(text.contains("Lý do: Chưa đủ kinh phí trong năm 2022."));
    assert!(
        !shown.body.contains(&carry_button(new_id)),
        "not before approval"
    );

    // The original's page links forward; it can be carried, reported, moved no more.
    let page = secretary.get(&format!("/initiatives/{original}"));
    let link = page
        .element_html(&format!("data-carried-to=\"{new_id}\""))
        .expect("the link forward");
    assert!(
        text_of(&link).contains("Đã chuyển tiếp sang năm 2023"),
        "{link}"
    );
    assert!(link.contains(&format!("href=\"/initiatives/{new_id}\"")));
    assert!(
        !page.body.contains(&carry_button(original)),
        "no second button"
    );
    assert!(
        !page.body.contains("/report\""),
        "reported in 2023, not 2022"
    );
    let text = text_of(&page.body);
    assert!(
        text.contains("Chuyển tiếp sang năm sau · Người dùng bithu.c1"),
        "{text}"
    );
    assert!(text.contains("Chuyển tiếp sang năm – 2023"), "{text}");
    assert!(text.contains("Lý do: Chưa đủ kinh phí trong năm 2022."));

    // The list marks both.
    let list = secretary.get("/initiatives");
    assert!(
        list.element_html(&format!("data-initiative=\"{new_id}\""))
            .is_some_and(|row| row.contains("data-carried-from")),
    );
    assert!(
        list.element_html(&format!("data-initiative=\"{original}\""))
            .is_some_and(|row| row.contains("data-carried-over")),
    );

    // A second carry, by anyone, is refused and stores nothing.
    let before = snapshot(&app);
    for person in [&secretary, &app.signed_in(REV_A, PASSWORD)] {
        let page = carry(person, original, "");
        assert_refused(
            &app,
            &page,
            409,
            &before,
            "đã được chuyển tiếp sang năm sau",
        );
    }
    let report = secretary.post_multipart_csrf(
        &format!("/initiatives/{original}/report"),
        &report_parts(
            "1.000.000",
            "15/12/2022",
            "Xong.",
            &[pdf_part("bien-ban.pdf")],
        ),
    );
    assert_eq!(report.status, 409, "{}", report.body);
    assert_eq!(snapshot(&app), before);
    // Neither of the pair moves to another year.
    for id in [original, new_id] {
        let form = with(edit_form_of(&app, id), "year", "2024");
        let page = secretary.post_form_csrf(&format!("/initiatives/{id}"), &pairs(&form));
        assert_eq!(page.status, 422, "{}", page.body);
        assert!(
            page.field_error("year")
                .unwrap_or_default()
                .contains("chuyển tiếp")
        );
        assert_eq!(snapshot(&app), before);
    }

    // The bloc approves the new year's registration like any other.
    let reviewer = app.signed_in(REV_A, PASSWORD);
    let page = reviewer.post_form_csrf(&format!("/initiatives/{new_id}/approve"), &[]);
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(app.review(new_id), "approved");
}

#[test]
fn a_reviewer_or_an_admin_carries_keeping_a_later_due_date_and_a_returned_report() {
    let (app, fx) = app_with_fixture();
    let secretary = app.signed_in(SEC_C2, PASSWORD);
    let reviewer = app.signed_in(REV_A, PASSWORD);
    let admin = app.signed_in(ADMIN, PASSWORD);

    // Registered (not started) with a due date in the next year, then approved.
    let form = with(
        with(initiative_form(fx.c2), "due_date", "30/06/2023"),
        "start_date",
        "01/09/2022",
    );
    let page = secretary.post_form_csrf("/initiatives", &pairs(&form));
    assert_eq!(page.status, 303, "{}", page.body);
    let id = id_from_location(&page);
    assert_eq!(
        reviewer
            .post_form_csrf(&format!("/initiatives/{id}/approve"), &[])
            .status,
        303
    );
    let page = carry(&reviewer, id, "");
    assert_eq!(page.status, 303, "{}", page.body);
    let carried = app.initiative(id_from_location(&page));
    assert_eq!(carried.start_date, date(2023, 1, 1));
    assert_eq!(carried.due_date, date(2023, 6, 30), "kept");
    assert_eq!(carried.status, Status::Registered);
    assert_eq!(carried.estimated_cost_vnd, 6_000_000);
    assert_eq!(carried.review.as_str(), "pending_approval");
    assert_eq!(carried.created_by, fx.rev_a);
    // No reason given: none recorded.
    assert_eq!(
        app.count_where(&format!(
            "SELECT count(*) AS n FROM audit_log WHERE entity_id = {id} AND after ? 'carried_over_to' \
             AND reason IS NULL AND actor_id = {}",
            fx.rev_a
        )),
        1
    );

    // A completion report that was returned means unfinished: it can be carried.
    let returned = initiative_in_state(&app, &fx, "Kết quả chưa đạt", "returned_completion");
    let page = admin.get(&format!("/initiatives/{returned}"));
    assert!(page.body.contains(&carry_button(returned)));
    let page = carry(&admin, returned, "Làm tiếp năm sau.");
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(carried_from(&app, returned), 1);
    let carried = app.initiative(carried_id(&app, returned));
    assert_eq!(
        carried.actual_value_vnd, None,
        "the returned report stays behind"
    );
    assert_eq!(carried.result_summary, "");
}

#[test]
fn pending_completed_cancelled_and_reported_initiatives_are_not_carried() {
    let (app, fx) = app_with_fixture();
    let admin = app.signed_in(ADMIN, PASSWORD);
    let cases = [
        (fx.item(1), "đã hoàn thành"),
        (fx.item(4), "chưa được duyệt"),
        (fx.item(5), "Không thực hiện"),
        (
            initiative_in_state(&app, &fx, "Bị trả lại", "returned_registration"),
            "chưa được duyệt",
        ),
        (
            initiative_in_state(&app, &fx, "Chờ nghiệm thu", "pending_acceptance"),
            "chờ nghiệm thu",
        ),
    ];
    let before = snapshot(&app);
    for (id, message) in cases {
        let page = admin.get(&format!("/initiatives/{id}"));
        assert!(!page.body.contains(&carry_button(id)), "#{id}: no button");
        let page = carry(&admin, id, "Thử chuyển tiếp.");
        assert_refused(&app, &page, 409, &before, message);
    }
}

#[test]
fn outside_the_scope_is_404_and_a_missing_csrf_token_is_refused() {
    let (app, fx) = app_with_fixture();
    let original = fx.item(3); // C1A, under KA
    let before = snapshot(&app);
    for outsider in [SEC_C2, SEC_B1, REV_B] {
        let client = app.signed_in(outsider, PASSWORD);
        let page = carry(&client, original, "");
        assert_eq!(page.status, 404, "{outsider}: {}", page.body);
    }
    let secretary = app.signed_in(SEC_C1, PASSWORD);
    assert_eq!(carry(&secretary, 999_999, "").status, 404);
    let path = format!("/initiatives/{original}/carry-over");
    assert_eq!(secretary.post_form(&path, &[("reason", "")]).status, 403);
    let page = secretary.post_form(&path, &[("csrf_token", "gia-mao")]);
    assert_eq!(page.status, 403);
    let signed_out = app.client().post_form(&path, &[]);
    assert_eq!(signed_out.location.as_deref(), Some("/login"), "signed out");
    // A reason with a control character is a form error beside it.
    let page = carry(&secretary, original, "Lý do\u{7}");
    assert_eq!(page.status, 422, "{}", page.body);
    assert_eq!(page.field_errors(), ["reason"]);
    assert_eq!(snapshot(&app), before);
}

#[test]
fn after_the_next_year_s_registration_deadline_a_secretary_needs_it_reopened() {
    let (app, fx) = app_with_fixture();
    let original = fx.item(3);
    let reviewer = app.signed_in(REV_A, PASSWORD);
    let secretary = app.signed_in(SEC_C1, PASSWORD);
    let page = reviewer.post_form_csrf(
        "/deadlines",
        &[
            ("unit", &fx.ka.to_string()),
            ("year", "2023"),
            ("registration_deadline", "31/03/2023"),
            ("reporting_deadline", "15/12/2023"),
        ],
    );
    assert_eq!(page.status, 303, "{}", page.body);

    // The secretary sees why instead of the button, and a POST is refused.
    let page = secretary.get(&format!("/initiatives/{original}"));
    assert!(!page.body.contains(&carry_button(original)));
    let closed = page
        .element_html("data-carry-over-closed")
        .map(|html| text_of(&html))
        .unwrap_or_default();
    assert!(closed.contains("hết hạn đăng ký năm 2023"), "{closed}");
    let before = snapshot(&app);
    let page = carry(&secretary, original, "");
    assert_refused(
        &app,
        &page,
        409,
        &before,
        "hết hạn đăng ký năm 2023 (ngày 31/03/2023)",
    );

    // Reopened for the unit (until today), the secretary carries it.
    let today = lamtheobac::domain::today_in_vietnam()
        .format("%d/%m/%Y")
        .to_string();
    let page = reviewer.post_form_csrf(
        "/deadlines/reopen",
        &[
            ("unit", &fx.c1a.to_string()),
            ("year", "2023"),
            ("until", &today),
        ],
    );
    assert_eq!(page.status, 303, "{}", page.body);
    let page = carry(&secretary, original, "");
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(carried_from(&app, original), 1);
}

#[test]
fn an_initiative_of_a_unit_no_longer_working_is_not_carried() {
    let (app, fx) = app_with_fixture();
    deactivate_unit(&mut app.db(), fx.c1a);
    let admin = app.signed_in(ADMIN, PASSWORD);
    let before = snapshot(&app);
    let page = carry(&admin, fx.item(3), "");
    assert_refused(&app, &page, 409, &before, "ngừng hoạt động");
}

#[test]
fn the_deadline_binds_secretaries_only() {
    let (app, fx) = app_with_fixture();
    let reviewer = app.signed_in(REV_A, PASSWORD);
    let page = reviewer.post_form_csrf(
        "/deadlines",
        &[
            ("unit", &fx.ka.to_string()),
            ("year", "2023"),
            ("registration_deadline", "31/03/2023"),
            ("reporting_deadline", ""),
        ],
    );
    assert_eq!(page.status, 303, "{}", page.body);
    let page = carry(&reviewer, fx.item(3), "");
    assert_eq!(page.status, 303, "{}", page.body);
}

#[test]
fn many_carries_at_once_make_exactly_one() {
    let (app, fx) = app_with_fixture();
    let original = fx.item(3);
    let people: Vec<Client> = (0..8)
        .map(|n| app.signed_in([SEC_C1, REV_A, ADMIN][n % 3], PASSWORD))
        .collect();
    let barrier = Barrier::new(people.len());
    let statuses: Vec<u16> = std::thread::scope(|scope| {
        let handles: Vec<_> = people
            .iter()
            .map(|person| {
                let token = person.csrf_token();
                let barrier = &barrier;
                scope.spawn(move || {
                    barrier.wait();
                    person
                        .post_form(
                            &format!("/initiatives/{original}/carry-over"),
                            &[("csrf_token", &token), ("reason", "Cùng lúc")],
                        )
                        .status
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|handle| handle.join().expect("a thread"))
            .collect()
    });
    let mut sorted = statuses.clone();
    sorted.sort_unstable();
    assert_eq!(sorted[0], 303, "{statuses:?}");
    assert!(
        sorted[1..].iter().all(|status| *status == 409),
        "{statuses:?}"
    );
    assert_eq!(carried_from(&app, original), 1);
    assert_eq!(
        app.count_where(&format!(
            "SELECT count(*) AS n FROM audit_log WHERE entity_id = {original} \
             AND after ? 'carried_over_to'"
        )),
        1,
        "one line in the original's history"
    );
}

#[test]
fn the_database_refuses_a_second_carry_or_one_from_a_pending_state() {
    use diesel::prelude::*;
    let (app, fx) = app_with_fixture();
    let mut conn = app.db();
    let insert_copy = |conn: &mut diesel::PgConnection, from: i32| {
        diesel::sql_query(format!(
            "INSERT INTO initiatives (year, kind, title, field, unit_id, status, start_date, \
               due_date, created_by, updated_by, carried_from_id) \
             SELECT year + 1, kind, title, field, unit_id, 'registered', start_date + 365, \
               due_date + 365, created_by, created_by, id FROM initiatives WHERE id = {from}"
        ))
        .execute(conn)
    };
    for refused in [fx.item(4), fx.item(1), fx.item(5)] {
        let error = insert_copy(&mut conn, refused).expect_err("refused");
        assert!(
            error.to_string().contains("cannot be carried over"),
            "{error}"
        );
    }
    insert_copy(&mut conn, fx.item(3)).expect("the first carry");
    let error = insert_copy(&mut conn, fx.item(3)).expect_err("a second carry");
    assert!(
        error.to_string().contains("initiatives_carried_from_key"),
        "{error}"
    );
    // Not from itself (the trigger or the CHECK, whichever speaks first).
    diesel::sql_query(format!(
        "UPDATE initiatives SET carried_from_id = id WHERE id = {}",
        fx.item(9)
    ))
    .execute(&mut conn)
    .expect_err("not from itself");
    assert_eq!(app.initiative(fx.item(9)).carried_from_id, None);
}

#[test]
fn purging_the_original_keeps_the_carried_one_unlinked() {
    let (app, fx) = app_with_fixture();
    let original = fx.item(3);
    let admin = app.signed_in(ADMIN, PASSWORD);
    let page = carry(&admin, original, "");
    assert_eq!(page.status, 303, "{}", page.body);
    let new_id = id_from_location(&page);
    let page = admin.post_form_csrf(&format!("/initiatives/{original}/purge"), &[]);
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(app.initiative(new_id).carried_from_id, None);
    let page = admin.get(&format!("/initiatives/{new_id}"));
    assert_eq!(page.status, 200);
    assert!(page.attribute_values("data-carried-from").is_empty());
}
