//! Registering, editing and finding initiatives; the history and the audit log.

use crate::helpers::*;

/// The history section of a detail page, as text.
fn history_text(page: &Page) -> String {
    page.element_html("class=\"history\"")
        .map(|html| text_of(&html))
        .unwrap_or_default()
}

/// The `version` the edit form carries.
fn form_version(page: &Page) -> String {
    let at = page.body.find("name=\"version\"").expect("a version field");
    let tag_start = page.body[..at].rfind('<').expect("tag start");
    let tag_end = at + page.body[at..].find('>').expect("tag end");
    let tag = &page.body[tag_start..tag_end];
    let value_at = tag.find("value=\"").expect("a value") + "value=\"".len();
    let value_end = value_at + tag[value_at..].find('"').expect("value end");
    tag[value_at..value_end].to_owned()
}

#[test]
fn registering_with_good_input_stores_it_and_shows_it() {
    let (app, fx) = app_with_fixture();
    let client = app.signed_in(SEC_C1, PASSWORD);
    let form_page = client.get("/initiatives/new");
    assert_eq!(form_page.status, 200);
    assert!(
        form_page.body.contains("name=\"title\""),
        "{}",
        form_page.body
    );

    let count = app.count("initiatives");
    let form = with(
        initiative_form(fx.c1a),
        "title",
        "Mô hình \"Dân vận khéo\" <2022>",
    );
    let page = client.post_form_csrf("/initiatives", &pairs(&form));
    assert_eq!(page.status, 303, "{}", page.body);
    let location = page.location.clone().expect("a Location");
    let id: i32 = location
        .strip_prefix("/initiatives/")
        .and_then(|id| id.parse().ok())
        .unwrap_or_else(|| panic!("unexpected Location {location}"));
    assert_eq!(app.count("initiatives"), count + 1);

    let stored = app.initiative(id);
    assert_eq!(stored.title, "Mô hình \"Dân vận khéo\" <2022>");
    assert_eq!(stored.unit_id, fx.c1a);
    assert_eq!(stored.year, 2022);
    assert_eq!(stored.estimated_cost_vnd, 6_000_000);
    assert_eq!(stored.actual_value_vnd, None);
    assert_eq!(stored.status.as_str(), "registered");
    assert_eq!(stored.start_date, date(2022, 3, 1), "dd/mm/yyyy");
    assert_eq!(stored.due_date, date(2022, 12, 31), "yyyy-mm-dd");
    assert_eq!(stored.created_by, fx.sec_c1);
    assert_eq!(stored.version, 1);

    let detail = client.get(&location);
    assert_eq!(detail.status, 200);
    assert!(
        detail
            .body
            .contains(&escape("Mô hình \"Dân vận khéo\" <2022>")),
        "{}",
        detail.body
    );
    assert!(!detail.body.contains("<2022>"), "the title is escaped");
    assert!(detail.body.contains("Chi bộ Văn phòng"), "the unit name");
    assert!(detail.body.contains("data-status=\"registered\""));
    assert!(detail.body.contains("6.000.000 đ"), "formatted money");
    assert!(
        text_of(&detail.body).contains("01/03/2022 – 31/12/2022"),
        "dates as dd/mm/yyyy"
    );
}

#[test]
fn money_is_read_as_vietnamese_users_type_it() {
    let (app, fx) = app_with_fixture();
    let client = app.signed_in(SEC_C1, PASSWORD);
    for typed in [
        "6.000.000",
        "6 000 000",
        "6000000",
        "6.000.000 đ",
        " 6.000.000 ",
    ] {
        let form = with(
            with(initiative_form(fx.c1), "estimated_cost_vnd", typed),
            "title",
            &format!("Kinh phí {typed}"),
        );
        let page = client.post_form_csrf("/initiatives", &pairs(&form));
        assert_eq!(page.status, 303, "{typed:?}: {}", page.body);
        let id: i32 = page
            .location
            .as_deref()
            .and_then(|l| l.rsplit('/').next())
            .and_then(|id| id.parse().ok())
            .expect("id");
        assert_eq!(
            app.initiative(id).estimated_cost_vnd,
            6_000_000,
            "{typed:?}"
        );
    }
    // The actual value of a completed one, typed with spaces, in the completion report
    // (registering it as completed is refused: see the bad-input test).
    let form = with(initiative_form(fx.c1), "status", "in_progress");
    let page = client.post_form_csrf("/initiatives", &pairs(&form));
    assert_eq!(page.status, 303, "{}", page.body);
    let id = id_from_location(&page);
    let reviewer = app.signed_in(REV_A, PASSWORD);
    let page = reviewer.post_form_csrf(&format!("/initiatives/{id}/approve"), &[]);
    assert_eq!(page.status, 303, "{}", page.body);
    for (typed, dong) in [("6 012 500", 6_012_500), ("6.012.500 đ", 6_012_500)] {
        let page = client.post_multipart_csrf(
            &format!("/initiatives/{id}/report"),
            &report_parts(typed, "20/12/2022", "Xong.", &[pdf_part("bien-ban.pdf")]),
        );
        assert_eq!(page.status, 303, "{typed:?}: {}", page.body);
        assert_eq!(app.initiative(id).actual_value_vnd, Some(dong), "{typed:?}");
        assert_eq!(app.initiative(id).completion_date, Some(date(2022, 12, 20)));
        // Returned, so that it can be reported again.
        let page = reviewer.post_form_csrf(
            &format!("/initiatives/{id}/return"),
            &[("reason", "Bổ sung ảnh.")],
        );
        assert_eq!(page.status, 303, "{}", page.body);
    }
    // A report with money that is not whole đồng is refused beside the value.
    let page = client.post_multipart_csrf(
        &format!("/initiatives/{id}/report"),
        &report_parts(
            "6.012,5",
            "20/12/2022",
            "Xong.",
            &[pdf_part("bien-ban.pdf")],
        ),
    );
    assert_eq!(page.status, 422, "{}", page.body);
    assert_eq!(page.field_errors(), ["actual_value_vnd"]);
    assert!(keeps_value(&page, "6.012,5"));
}

/// What is wrong, the form fields to change, the one field that must carry the error,
/// and whether the typed value must come back in an input.
type Case<'a> = (&'a str, Vec<(&'static str, &'a str)>, &'a str, bool);

#[test]
fn every_kind_of_bad_input_is_refused_beside_its_field_and_nothing_is_stored() {
    let (app, fx) = app_with_fixture();
    let client = app.signed_in(SEC_C1, PASSWORD);
    let long_title = "Ô".repeat(301);
    let long_description = "a".repeat(10_001);
    let outside = fx.c2.to_string();
    let inactive = fx.x.to_string();
    let cases: Vec<Case<'_>> = vec![
        ("empty title", vec![("title", "")], "title", false),
        ("blank title", vec![("title", "   ")], "title", false),
        (
            "title over 300 characters",
            vec![("title", &long_title)],
            "title",
            true,
        ),
        (
            "decimal comma",
            vec![("estimated_cost_vnd", "6,5")],
            "estimated_cost_vnd",
            true,
        ),
        (
            "negative money",
            vec![("estimated_cost_vnd", "-6.000.000")],
            "estimated_cost_vnd",
            true,
        ),
        (
            "money in words",
            vec![("estimated_cost_vnd", "sáu triệu")],
            "estimated_cost_vnd",
            true,
        ),
        (
            "bad grouping",
            vec![("estimated_cost_vnd", "6.00.000")],
            "estimated_cost_vnd",
            true,
        ),
        (
            "absurd amount",
            vec![("estimated_cost_vnd", "99999999999999999999999")],
            "estimated_cost_vnd",
            true,
        ),
        (
            "due before start",
            vec![("start_date", "01/03/2022"), ("due_date", "28/02/2022")],
            "due_date",
            true,
        ),
        (
            "impossible date",
            vec![("start_date", "31/02/2022")],
            "start_date",
            true,
        ),
        (
            "missing start date",
            vec![("start_date", "")],
            "start_date",
            false,
        ),
        (
            "date in words",
            vec![("due_date", "cuối năm")],
            "due_date",
            true,
        ),
        (
            // Completed is what a reviewer's acceptance makes, never a choice in a form,
            // even with a value and a date.
            "registered as completed",
            vec![
                ("actual_value_vnd", "5.000.000"),
                ("completion_date", "15/12/2022"),
                ("status", "completed"),
            ],
            "status",
            false,
        ),
        (
            // The register form hides these inputs, but a posted value is still checked
            // and shown back beside its own field.
            "actual value in words on register",
            vec![("actual_value_vnd", "năm triệu")],
            "actual_value_vnd",
            true,
        ),
        ("year too early", vec![("year", "1999")], "year", true),
        ("year too late", vec![("year", "2101")], "year", true),
        ("year in words", vec![("year", "năm nay")], "year", true),
        ("missing year", vec![("year", "")], "year", false),
        (
            "unknown unit",
            vec![("unit_id", "999999")],
            "unit_id",
            false,
        ),
        (
            "unit not a number",
            vec![("unit_id", "C1")],
            "unit_id",
            false,
        ),
        ("no unit", vec![("unit_id", "")], "unit_id", false),
        (
            "unit outside the secretary's scope",
            vec![("unit_id", &outside)],
            "unit_id",
            false,
        ),
        (
            "inactive unit",
            vec![("unit_id", &inactive)],
            "unit_id",
            false,
        ),
        ("unknown kind", vec![("kind", "boat")], "kind", false),
        ("no kind", vec![("kind", "")], "kind", false),
        ("unknown field", vec![("field", "sports")], "field", false),
        ("unknown status", vec![("status", "done")], "status", false),
        (
            "description over 10.000 characters",
            vec![("description", &long_description)],
            "description",
            false,
        ),
    ];
    let before = snapshot(&app);
    for (what, changes, field, kept) in cases {
        let mut form = initiative_form(fx.c1);
        for (name, value) in &changes {
            form = with(form, name, value);
        }
        let page = client.post_form_csrf("/initiatives", &pairs(&form));
        assert_eq!(page.status, 422, "{what}: {}", page.body);
        assert_eq!(
            page.field_errors(),
            [field],
            "{what}: errors beside the wrong fields"
        );
        let message = page.field_error(field).unwrap_or_default();
        assert!(
            message.chars().count() > 5,
            "{what}: a message, got {message:?}"
        );
        assert!(
            message.chars().any(|c| "ăâđêôơưáàảãạéèóòúùíì".contains(c)),
            "{what}: Vietnamese message, got {message:?}"
        );
        if kept {
            let (name, value) = changes.last().expect("a change");
            assert!(keeps_value(&page, value), "{what}: {name} keeps {value:?}");
        }
        // The other fields are kept too.
        if field != "title" {
            assert!(
                keeps_value(&page, "Mô hình dân vận khéo"),
                "{what}: title kept"
            );
        }
        if field != "description" {
            assert!(
                keeps_value(&page, "Giúp người dân làm thủ tục trực tuyến."),
                "{what}: description kept"
            );
        }
        assert_eq!(snapshot(&app), before, "{what}: nothing stored");
    }

    // The value and the completion date are on the edit form only (the register form no
    // longer shows them): their mistakes are checked there, on #3 (approved, editable).
    let id = fx.item(3);
    for (what, name, value) in [
        ("fractional actual value", "actual_value_vnd", "1.000,50"),
        ("completion before start", "completion_date", "01/01/2022"),
    ] {
        let form = with(edit_form_of(&app, id), name, value);
        let page = client.post_form_csrf(&format!("/initiatives/{id}"), &pairs(&form));
        assert_eq!(page.status, 422, "{what}: {}", page.body);
        assert_eq!(page.field_errors(), [name], "{what}");
        assert!(keeps_value(&page, value), "{what}: {name} keeps {value:?}");
        assert_eq!(snapshot(&app), before, "{what}: nothing stored");
    }

    // Markup typed into a refused form comes back escaped, as typed.
    let form = with(
        with(initiative_form(fx.c1), "title", "<b>\"Mô hình\" & 'X'</b>"),
        "year",
        "1999",
    );
    let page = client.post_form_csrf("/initiatives", &pairs(&form));
    assert_eq!(page.status, 422);
    assert!(
        keeps_value(&page, "<b>\"Mô hình\" & 'X'</b>"),
        "{}",
        page.body
    );
    assert!(!page.body.contains("<b>\"Mô hình\""));
    // Several mistakes at once: each beside its own field.
    let form = with(
        with(with(initiative_form(fx.c1), "title", ""), "year", "1999"),
        "estimated_cost_vnd",
        "abc",
    );
    let page = client.post_form_csrf("/initiatives", &pairs(&form));
    assert_eq!(page.status, 422);
    let mut errors = page.field_errors();
    errors.sort();
    assert_eq!(errors, ["estimated_cost_vnd", "title", "year"]);
    assert_eq!(snapshot(&app), before);
}

#[test]
fn status_changes_are_checked_saved_and_shown_in_the_history() {
    let (app, fx) = app_with_fixture();
    let client = app.signed_in(SEC_C2, PASSWORD);
    let id = fx.item(4); // C2, registered
    let edit = client.get(&format!("/initiatives/{id}/edit"));
    assert_eq!(edit.status, 200);
    assert_eq!(form_version(&edit), "1");
    assert!(
        keeps_value(&edit, "Tiếp dân ngày thứ bảy"),
        "the form shows the stored values"
    );

    // To in progress.
    let form = with(edit_form_of(&app, id), "status", "in_progress");
    let page = client.post_form_csrf(&format!("/initiatives/{id}"), &pairs(&form));
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(page.location, Some(format!("/initiatives/{id}")));
    assert_eq!(app.initiative(id).status.as_str(), "in_progress");
    assert_eq!(app.initiative(id).version, 2);
    let detail = client.follow(&page);
    assert!(detail.body.contains("data-status=\"in_progress\""));
    let history = history_text(&detail);
    assert!(
        history.contains("Trạng thái Đã đăng ký Đang thực hiện"),
        "history: {history}"
    );
    assert!(
        history.contains("Người dùng bithu.c2"),
        "history names who: {history}"
    );

    // To completed in the form: refused beside the status, with the input kept and
    // nothing changed, even with a value and a date.
    let before = snapshot(&app);
    let form = with(
        with(edit_form_of(&app, id), "status", "completed"),
        "actual_value_vnd",
        "18.500.000",
    );
    let form = with(form, "completion_date", "2022-12-20");
    let page = client.post_form_csrf(&format!("/initiatives/{id}"), &pairs(&form));
    assert_eq!(page.status, 422, "{}", page.body);
    assert_eq!(page.field_errors(), ["status"]);
    let message = page.field_error("status").unwrap_or_default();
    assert!(message.contains("Báo cáo hoàn thành"), "{message}");
    assert!(keeps_value(&page, "18.500.000"));
    assert_eq!(snapshot(&app), before);
    assert_eq!(app.initiative(id).status.as_str(), "in_progress");
    assert_eq!(app.initiative(id).version, 2);

    // Completion goes through the workflow: approved, reported with evidence, accepted.
    let reviewer = app.signed_in(REV_A, PASSWORD);
    let page = reviewer.post_form_csrf(&format!("/initiatives/{id}/approve"), &[]);
    assert_eq!(page.status, 303, "{}", page.body);
    let page = client.post_multipart_csrf(
        &format!("/initiatives/{id}/report"),
        &report_parts(
            "18.500.000",
            "2022-12-20",
            "Tiếp 240 lượt công dân.",
            &[pdf_part("bien-ban.pdf")],
        ),
    );
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(
        app.initiative(id).status.as_str(),
        "in_progress",
        "reported, not yet accepted"
    );
    let page = reviewer.post_form_csrf(&format!("/initiatives/{id}/accept"), &[]);
    assert_eq!(page.status, 303, "{}", page.body);
    let stored = app.initiative(id);
    assert_eq!(stored.status.as_str(), "completed");
    assert_eq!(stored.review.as_str(), "accepted");
    assert_eq!(stored.actual_value_vnd, Some(18_500_000));
    assert_eq!(stored.completion_date, Some(date(2022, 12, 20)));
    assert_eq!(stored.version, 5, "edit, approval, report, acceptance");
    let detail = client.follow(&page);
    assert!(detail.body.contains("data-status=\"completed\""));
    assert!(detail.body.contains("18.500.000 đ"));
    let history = history_text(&detail);
    assert!(
        history.contains("Trạng thái Đang thực hiện Hoàn thành"),
        "history: {history}"
    );
    assert!(history.contains("Giá trị thực hiện"), "history: {history}");
    assert!(history.contains("18.500.000 đ"), "history: {history}");
    assert!(history.contains("20/12/2022"), "history: {history}");

    // Back to cancelled: refused while accepted, allowed once a reviewer reopens it.
    let form = with(edit_form_of(&app, id), "status", "cancelled");
    let page = client.post_form_csrf(&format!("/initiatives/{id}"), &pairs(&form));
    assert_eq!(page.status, 409, "{}", page.body);
    assert_eq!(app.initiative(id).status.as_str(), "completed");
    let page = reviewer.post_form_csrf(
        &format!("/initiatives/{id}/reopen"),
        &[("reason", "Đơn vị đề nghị ghi không thực hiện.")],
    );
    assert_eq!(page.status, 303, "{}", page.body);
    let form = with(edit_form_of(&app, id), "status", "cancelled");
    assert_eq!(
        client
            .post_form_csrf(&format!("/initiatives/{id}"), &pairs(&form))
            .status,
        303
    );
    assert_eq!(app.initiative(id).status.as_str(), "cancelled");
}

#[test]
fn a_second_edit_from_the_same_version_gets_409_and_overwrites_nothing() {
    let (app, fx) = app_with_fixture();
    let id = fx.item(3);
    let secretary = app.signed_in(SEC_C1, PASSWORD);
    let admin = app.signed_in(ADMIN, PASSWORD);
    // #3 was registered and approved: version 2.
    let loaded = app.initiative(id).version;
    let first_form = secretary.get(&format!("/initiatives/{id}/edit"));
    let second_form = admin.get(&format!("/initiatives/{id}/edit"));
    assert_eq!(form_version(&first_form), loaded.to_string());
    assert_eq!(form_version(&second_form), loaded.to_string());

    let base = edit_form_of(&app, id);
    let page = secretary.post_form_csrf(
        &format!("/initiatives/{id}"),
        &pairs(&with(
            base.clone(),
            "title",
            "Quỹ khuyến học (bản của bí thư)",
        )),
    );
    assert_eq!(page.status, 303, "{}", page.body);

    let late = with(base, "title", "Quỹ khuyến học (bản của quản trị)");
    let page = admin.post_form_csrf(&format!("/initiatives/{id}"), &pairs(&late));
    assert_eq!(page.status, 409, "{}", page.body);
    assert!(
        keeps_value(&page, "Quỹ khuyến học (bản của quản trị)"),
        "the late input is kept"
    );
    assert!(
        page.body.contains("Quỹ khuyến học (bản của bí thư)"),
        "the current version is shown"
    );
    let stored = app.initiative(id);
    assert_eq!(stored.title, "Quỹ khuyến học (bản của bí thư)");
    assert_eq!(stored.version, loaded + 1);

    // Saving again from the conflict page is a deliberate overwrite of the version seen.
    assert_eq!(form_version(&page), (loaded + 1).to_string());
    let page = admin.post_form_csrf(
        &format!("/initiatives/{id}"),
        &pairs(&with(late, "version", &(loaded + 1).to_string())),
    );
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(
        app.initiative(id).title,
        "Quỹ khuyến học (bản của quản trị)"
    );
    assert_eq!(app.initiative(id).version, loaded + 2);

    // An edit without a version is refused.
    let form: Vec<_> = edit_form_of(&app, id)
        .into_iter()
        .filter(|(name, _)| *name != "version")
        .collect();
    let page = admin.post_form_csrf(
        &format!("/initiatives/{id}"),
        &pairs(&with(form, "title", "Không phiên bản")),
    );
    assert_eq!(page.status, 422);
    assert_eq!(app.initiative(id).version, loaded + 2);
}

#[test]
fn search_matches_with_and_without_diacritics() {
    let (app, fx) = app_with_fixture();
    let admin = app.signed_in(ADMIN, PASSWORD);
    for query in [
        "cai cach",
        "Cải cách",
        "CẢI CÁCH",
        "cai+CACH",
        "thu tuc hanh",
    ] {
        let page = admin.get(&format!("/initiatives?q={}", query.replace(' ', "+")));
        assert_eq!(page.status, 200, "{query}");
        assert_eq!(page.initiative_rows(), [fx.item(1)], "{query}");
        assert_eq!(page.total(), Some(1), "{query}");
    }
    // "một cửa" is in two titles (2022 and 2023).
    let page = admin.get("/initiatives?q=mot%20cua");
    assert_eq!(page.total(), Some(2));
    let mut rows = page.initiative_rows();
    rows.sort();
    assert_eq!(rows, [fx.item(1), fx.item(9)]);
    let page = admin.get("/initiatives?q=mot+cua&year=2023");
    assert_eq!(page.initiative_rows(), [fx.item(9)]);
    // The description is searched too ("Mô tả của Quỹ khuyến học").
    let page = admin.get("/initiatives?q=khuyen%20hoc");
    assert_eq!(page.initiative_rows(), [fx.item(3)]);
    // Nothing matches, and LIKE wildcards match only themselves.
    for query in ["xyz%C3%A1", "%25", "_", "%5C"] {
        let page = admin.get(&format!("/initiatives?q={query}"));
        assert_eq!(page.status, 200, "{query}");
        assert_eq!(page.total(), Some(0), "{query}");
        assert!(page.initiative_rows().is_empty(), "{query}");
    }
    // The search box keeps what was typed.
    let page = admin.get("/initiatives?q=c%E1%BA%A3i+c%C3%A1ch");
    assert!(keeps_value(&page, "cải cách"), "{}", page.body);
}

#[test]
fn the_list_filters_and_pages() {
    let (app, fx) = app_with_fixture();
    let admin = app.signed_in(ADMIN, PASSWORD);
    let page = admin.get("/initiatives");
    assert_eq!(page.total(), Some(9));
    let page = admin.get("/initiatives?year=2022");
    assert_eq!(page.total(), Some(8));
    let page = admin.get("/initiatives?year=2022&status=completed");
    let mut rows = page.initiative_rows();
    rows.sort();
    assert_eq!(
        rows,
        [fx.item(1), fx.item(2), fx.item(6), fx.item(7), fx.item(8)]
    );
    let page = admin.get(&format!("/initiatives?year=2022&unit={}", fx.ka));
    assert_eq!(page.total(), Some(7), "bloc A's subtree");
    let page = admin.get(&format!("/initiatives?unit={}", fx.c1));
    assert_eq!(page.total(), Some(3), "C1 and its cells");
    let page = admin.get(&format!("/initiatives?unit={}&field=social_welfare", fx.c1));
    assert_eq!(page.initiative_rows(), [fx.item(3)]);
    let page = admin.get("/initiatives?kind=work");
    assert_eq!(page.total(), Some(0));
    // Empty filters mean "any".
    let page = admin.get("/initiatives?year=&unit=&status=&field=&kind=&q=&page=");
    assert_eq!(page.total(), Some(9));

    // Pagination: 25 a page, newest first.
    let mut conn = app.db();
    let mut added = Vec::new();
    for number in 0..20 {
        let title = format!("Mô hình bổ sung số {number}");
        added.push(create_initiative(
            &mut conn,
            fx.admin,
            Spec {
                unit_id: fx.m,
                year: 2021,
                title: &title,
                field: lamtheobac::domain::Field::Other,
                status: lamtheobac::domain::Status::Registered,
                estimated: 0,
                actual: None,
            },
        ));
    }
    let first = admin.get("/initiatives");
    assert_eq!(first.total(), Some(29));
    assert_eq!(first.initiative_rows().len(), 25);
    let second = admin.get("/initiatives?page=2");
    assert_eq!(second.initiative_rows().len(), 4);
    let mut all: Vec<i32> = first
        .initiative_rows()
        .into_iter()
        .chain(second.initiative_rows())
        .collect();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 29, "the two pages together show every row once");
    assert!(
        first
            .initiative_rows()
            .contains(added.last().expect("added")),
        "newest first"
    );
    assert!(
        second.initiative_rows().contains(&fx.item(1)),
        "oldest last"
    );
    let beyond = admin.get("/initiatives?page=99");
    assert_eq!(beyond.status, 200);
    assert!(beyond.initiative_rows().is_empty());
}

#[test]
fn the_audit_log_records_who_changed_what_and_cannot_be_altered() {
    let (app, fx) = app_with_fixture();
    let client = app.signed_in(SEC_C1, PASSWORD);
    let page = client.post_form_csrf(
        "/initiatives",
        &pairs(&with(initiative_form(fx.c1b), "title", "Ghi nhật ký")),
    );
    assert_eq!(page.status, 303, "{}", page.body);
    let id: i32 = page
        .location
        .as_deref()
        .and_then(|l| l.rsplit('/').next())
        .and_then(|id| id.parse().ok())
        .expect("id");
    let form = with(edit_form_of(&app, id), "status", "in_progress");
    assert_eq!(
        client
            .post_form_csrf(&format!("/initiatives/{id}"), &pairs(&form))
            .status,
        303
    );

    let created = app.count_where(&format!(
        "SELECT count(*) AS n FROM audit_log WHERE entity = 'initiative' AND entity_id = {id} \
         AND action = 'create' AND actor_id = {} AND after ->> 'title' = 'Ghi nhật ký'",
        fx.sec_c1
    ));
    assert_eq!(created, 1, "the create is logged with its actor");
    let updated = app.count_where(&format!(
        "SELECT count(*) AS n FROM audit_log WHERE entity = 'initiative' AND entity_id = {id} \
         AND action = 'update' AND actor_id = {} AND before ->> 'status' = 'registered' \
         AND after ->> 'status' = 'in_progress'",
        fx.sec_c1
    ));
    assert_eq!(updated, 1, "the update is logged with before and after");

    // Append-only: the database itself refuses to change or remove entries.
    let mut conn = app.db();
    use diesel::RunQueryDsl;
    let entries = app.count("audit_log");
    for statement in [
        "UPDATE audit_log SET actor_id = NULL".to_owned(),
        format!("UPDATE audit_log SET after = '{{}}'::jsonb WHERE entity_id = {id}"),
        "DELETE FROM audit_log".to_owned(),
        format!("DELETE FROM audit_log WHERE entity_id = {id}"),
        "TRUNCATE audit_log".to_owned(),
    ] {
        let result = diesel::sql_query(&statement).execute(&mut conn);
        assert!(result.is_err(), "{statement} must be refused");
    }
    assert_eq!(app.count("audit_log"), entries);
    assert_eq!(
        app.count_where(&format!(
            "SELECT count(*) AS n FROM audit_log WHERE entity_id = {id} AND entity = 'initiative'"
        )),
        2
    );
}
