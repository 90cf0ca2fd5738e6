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
    // References, unit names and unit codes are searched too, without diacritics.
    let sorted = |page: Page| {
        let mut rows = page.initiative_rows();
        rows.sort_unstable();
        rows
    };
    let reference = app.initiative(fx.item(4)).reference;
    for typed in [reference.clone(), reference.to_lowercase()] {
        let page = admin.get(&format!("/initiatives?q={typed}"));
        assert_eq!(page.initiative_rows(), [fx.item(4)], "{typed}");
    }
    // "Chi bộ Văn phòng" is C1A's name; C1A holds #2 and #3.
    for typed in ["van+phong", "V%C4%83n+Ph%C3%B2ng", "c1a"] {
        let page = admin.get(&format!("/initiatives?q={typed}"));
        assert_eq!(sorted(page), [fx.item(2), fx.item(3)], "{typed}");
    }
    // "Đảng bộ Cải cách" is C1's name: #1 by its unit alone.
    let page = admin.get("/initiatives?q=dang+bo+cai+cach");
    assert_eq!(page.initiative_rows(), [fx.item(1)]);
    // Two letters are too few to look inside words: the exact unit code only, said so.
    let page = admin.get("/initiatives?q=c2");
    assert_eq!(sorted(page.clone()), [fx.item(4), fx.item(5), fx.item(9)]);
    assert!(page.body.contains("data-search-exact"), "{}", page.body);
    assert!(text_of(&page.body).contains("chỉ tìm đúng mã đơn vị"));
    let page = admin.get("/initiatives?q=cai+cach");
    assert!(!page.body.contains("data-search-exact"));
    // Search and the other filters together.
    let page = admin.get("/initiatives?q=c2&year=2023");
    assert_eq!(page.initiative_rows(), [fx.item(9)]);
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
    let page = admin.get("/initiatives?year=&unit=&status=&field=&kind=&q=&page=&after=&before=");
    assert_eq!(page.total(), Some(9));

    // Old offset links are ignored: the first page.
    let page = admin.get("/initiatives?page=2");
    assert_eq!(page.status, 200);
    assert_eq!(page.total(), Some(9));
}

/// Follows the `which` page links from `start` until there is none; the pages visited.
pub(crate) fn walk(client: &Client, start: Page, which: &str) -> Vec<Page> {
    let mut pages = vec![start];
    for _ in 0..20 {
        let Some(link) = pages.last().and_then(|page| page.page_link(which)) else {
            return pages;
        };
        let page = client.get(&link);
        assert_eq!(page.status, 200, "{link}: {}", page.body);
        pages.push(page);
    }
    panic!("more than 20 pages of {which} links");
}

#[test]
fn walking_the_list_forward_and_back_visits_every_initiative_once_in_order() {
    let (app, fx) = app_with_fixture();
    let added = register_many(
        &mut app.db(),
        fx.admin,
        fx.m,
        2021,
        60,
        "Mô hình bổ sung số",
    );
    let admin = app.signed_in(ADMIN, PASSWORD);
    // Newest year first (the fixture's 2022 and 2023 before the added 2021), then
    // newest first within a year.
    let year_of = |id: &i32| {
        if added.contains(id) {
            2021
        } else {
            app.initiative(*id).year
        }
    };
    let mut every: Vec<i32> = fx.items.iter().chain(&added).copied().collect();
    every.sort_by_key(|id| std::cmp::Reverse((year_of(id), *id)));

    // Forward: 25 a page, newest first, each initiative once, the count on every page.
    let first = admin.get("/initiatives");
    assert!(
        first.page_link("previous").is_none(),
        "nothing before page 1"
    );
    assert!(first.page_link("first").is_none());
    let forward = walk(&admin, first, "next");
    let sizes: Vec<usize> = forward
        .iter()
        .map(|page| page.initiative_rows().len())
        .collect();
    assert_eq!(sizes, [25, 25, 19]);
    let seen: Vec<i32> = forward.iter().flat_map(Page::initiative_rows).collect();
    assert_eq!(seen, every, "every initiative once, newest first");
    for page in &forward {
        assert_eq!(page.total(), Some(69));
    }
    assert!(text_of(&forward[1].body).contains("69 mô hình, công trình"));
    let last = forward.last().expect("a last page");
    assert!(
        last.page_link("next").is_none(),
        "nothing after the last page"
    );
    assert_eq!(last.page_link("first").as_deref(), Some("/initiatives"));

    // Back from the last page: the same pages in reverse, ending on the first.
    let backward = walk(&admin, last.clone(), "previous");
    let back_rows: Vec<Vec<i32>> = backward.iter().map(Page::initiative_rows).collect();
    let forward_rows: Vec<Vec<i32>> = forward.iter().rev().map(Page::initiative_rows).collect();
    assert_eq!(back_rows, forward_rows);

    // The links keep the filters: 2021 holds only the added ones.
    let year = walk(&admin, admin.get("/initiatives?year=2021"), "next");
    assert!(year.iter().all(|page| page.initiative_rows().len() <= 25));
    let mut seen: Vec<i32> = year.iter().flat_map(Page::initiative_rows).collect();
    assert_eq!(year.len(), 3);
    seen.reverse();
    assert_eq!(seen, added, "2021 only, each once");
    // Inside a subtree the pages are read another way (through its units): the same walk.
    let bloc = walk(
        &admin,
        admin.get(&format!("/initiatives?unit={}", fx.ka)),
        "next",
    );
    let seen: Vec<i32> = bloc.iter().flat_map(Page::initiative_rows).collect();
    // Bloc A: everything but #8 (bloc B's).
    let mut in_bloc: Vec<i32> = added
        .iter()
        .copied()
        .chain((1..=9).filter(|n| *n != 8).map(|n| fx.item(n)))
        .collect();
    in_bloc.sort_by_key(|id| std::cmp::Reverse((year_of(id), *id)));
    assert_eq!(seen, in_bloc);
}

/// The list's cursor at initiative `id` of `year`, in the default sort.
fn newest_cursor(year: i32, id: i32) -> String {
    use lamtheobac::domain::list_sort::{ListPosition, SortColumn, SortValue};
    ListPosition {
        year,
        value: SortValue::None,
        id,
    }
    .encode(SortColumn::Newest)
}

#[test]
fn a_page_link_that_was_not_written_here_shows_the_first_page() {
    let (app, fx) = app_with_fixture();
    let admin = app.signed_in(ADMIN, PASSWORD);
    let cursor = newest_cursor(2022, fx.item(5));
    let old_style = lamtheobac::domain::cursor::Cursor([i64::from(fx.item(5))]).encode();
    let mut first_page: Vec<i32> = fx.items.clone();
    first_page.sort_by_key(|id| std::cmp::Reverse((app.initiative(*id).year, *id)));
    for query in [
        "after=abc!".to_owned(),
        "after=%FF".to_owned(),
        "before=AAAA".to_owned(),
        "after=MTIzNDU2Nzg5MDEyMw".to_owned(),
        format!("after={old_style}"),
        format!("after={cursor}&before={cursor}"),
        format!("after={}", "A".repeat(3000)),
    ] {
        let page = admin.get(&format!("/initiatives?{query}"));
        assert_eq!(page.status, 200, "{query}: {}", page.body);
        assert_eq!(page.initiative_rows(), first_page, "{query}");
        assert!(page.page_link("previous").is_none(), "{query}");
    }
    // A cursor of another sort starts that sort at its beginning.
    let by_cost = admin.get("/initiatives?sort=cost").initiative_rows();
    let page = admin.get(&format!("/initiatives?sort=cost&after={cursor}"));
    assert_eq!(page.initiative_rows(), by_cost);
    // Fewer than a page before a cursor: the first page, full, with nothing before it.
    let page = admin.get(&format!("/initiatives?before={cursor}"));
    assert_eq!(page.status, 200);
    assert_eq!(page.initiative_rows(), first_page);
    assert!(page.page_link("previous").is_none());
    assert!(page.page_link("first").is_none());
    assert_eq!(page.total(), Some(9));
    // A real cursor with the filters changed around it is fine: it is only a position.
    let page = admin.get(&format!("/initiatives?after={cursor}&year=2022"));
    assert_eq!(page.status, 200);
    let mut rows = page.initiative_rows();
    rows.sort_unstable();
    assert_eq!(rows, (1..=4).map(|n| fx.item(n)).collect::<Vec<_>>());
}

#[test]
fn a_cursor_pointing_outside_the_scope_shows_nothing_from_outside() {
    let (app, fx) = app_with_fixture();
    let secretary = app.signed_in(SEC_C1, PASSWORD);
    let own = [fx.item(1), fx.item(2), fx.item(3)];
    let api_cursor = |id: i32| lamtheobac::domain::cursor::Cursor([i64::from(id)]).encode();
    let cursor = |id: i32| newest_cursor(2022, id);
    // Cursors at other units' initiatives, between them and past every id.
    for id in [
        fx.item(4),
        fx.item(6) + 1,
        fx.item(8),
        fx.item(9) + 1,
        0,
        i32::MAX,
    ] {
        for direction in ["after", "before"] {
            let path = format!("/initiatives?{direction}={}", cursor(id));
            let page = secretary.get(&path);
            assert_eq!(page.status, 200, "{path}");
            let rows = page.initiative_rows();
            assert!(rows.iter().all(|row| own.contains(row)), "{path}: {rows:?}");
            if let Some(total) = page.total() {
                assert!(total <= 3, "{path}: {total}");
            }
        }
        let path = format!("/api/v1/initiatives?after={}", api_cursor(id));
        let items = secretary.get(&path).json();
        let items = items["items"].as_array().expect("items").clone();
        assert!(
            items.iter().all(|item| own
                .map(i64::from)
                .contains(&item["id"].as_i64().expect("id"))),
            "{path}: {items:?}"
        );
    }
    // A cursor does not open another unit's subtree either.
    let page = secretary.get(&format!("/initiatives?unit={}&after={}", fx.c2, cursor(0)));
    assert_eq!(page.status, 404);
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
    app.assert_audit_log_is_append_only(id);
    assert_eq!(
        app.count_where(&format!(
            "SELECT count(*) AS n FROM audit_log WHERE entity_id = {id} AND entity = 'initiative'"
        )),
        2
    );
}

#[test]
fn hidden_control_characters_and_years_outside_2000_to_2100_get_form_errors_and_text_is_stored_composed()
 {
    let (app, fx) = app_with_fixture();
    let client = app.signed_in(SEC_C1, PASSWORD);
    let before = snapshot(&app);
    let count = app.count("initiatives");
    // Shown as "Mô hình exe.png", stored as "Mô hình " + U+202E + "gnp.exe".
    let spoofed = "Mô hình \u{202E}gnp.exe";
    let form = with(initiative_form(fx.c1a), "title", spoofed);
    let page = client.post_form_csrf("/initiatives", &pairs(&form));
    assert_eq!(page.status, 422, "{}", page.body);
    assert_eq!(
        page.field_error("title").as_deref(),
        Some(
            "Tên mô hình, công trình chứa ký tự điều khiển ẩn U+202E (đảo chiều văn bản) ở vị \
             trí 9; hãy xoá nó."
        )
    );
    assert!(keeps_value(&page, spoofed));
    let form = with(initiative_form(fx.c1a), "description", "Mô tả\u{200B} ẩn");
    let page = client.post_form_csrf("/initiatives", &pairs(&form));
    assert_eq!(page.status, 422);
    assert!(
        page.field_error("description")
            .is_some_and(|message| message.contains("U+200B") && message.contains("vị trí 6"))
    );
    for (field, typed) in [("start_date", "01/01/0000"), ("due_date", "31/12/9999")] {
        let form = with(initiative_form(fx.c1a), field, typed);
        let page = client.post_form_csrf("/initiatives", &pairs(&form));
        assert_eq!(page.status, 422, "{field}: {}", page.body);
        assert_eq!(
            page.field_error(field).as_deref(),
            Some("Năm phải từ 2000 đến 2100."),
            "{field}"
        );
        assert!(keeps_value(&page, typed));
    }
    assert_eq!(snapshot(&app), before, "nothing stored");
    assert_eq!(app.count("initiatives"), count);

    // Typed with combining marks (as some keyboards send it), stored composed.
    let decomposed = "Mo\u{0302} hi\u{0300}nh so\u{0302}\u{0301} ho\u{0301}a";
    let form = with(initiative_form(fx.c1a), "title", decomposed);
    let page = client.post_form_csrf("/initiatives", &pairs(&form));
    assert_eq!(page.status, 303, "{}", page.body);
    let stored = app.initiative(id_from_location(&page));
    assert_eq!(stored.title, "Mô hình số hóa");
    assert_eq!(stored.title.chars().count(), 14);
}

#[test]
fn the_error_summary_reads_in_the_forms_order_and_a_blank_title_is_asked_for() {
    let (app, fx) = app_with_fixture();
    let client = app.signed_in(SEC_C1, PASSWORD);
    let form = with(initiative_form(fx.c1), "title", "");
    let form = with(form, "due_date", "01/01/2022");
    let form = with(form, "estimated_cost_vnd", "sáu triệu");
    let page = client.post_form_csrf("/initiatives", &pairs(&form));
    assert_eq!(page.status, 422, "{}", page.body);
    let links = page.select(".error-summary li a", |link| {
        link.value().attr("href").unwrap_or_default().to_owned()
    });
    assert_eq!(
        links,
        ["#title", "#due_date", "#estimated_cost_vnd"],
        "top to bottom, as the fields stand"
    );
    assert_eq!(
        page.field_error("title").as_deref(),
        Some("Hãy nhập tên mô hình, công trình.")
    );
}

#[test]
fn a_registration_asks_only_what_a_registration_has() {
    let (app, fx) = app_with_fixture();
    let client = app.signed_in(SEC_C1, PASSWORD);
    let form_page = client.get("/initiatives/new");
    assert_eq!(form_page.status, 200);
    let count = |css: &str| form_page.select(css, |_| ()).len();
    assert_eq!(
        count("textarea#title"),
        1,
        "a 300-character title gets a box that wraps"
    );
    assert_eq!(
        count("select#status"),
        0,
        "a new registration can only be 'Đã đăng ký'"
    );
    assert_eq!(
        count("input#completion_date"),
        0,
        "nothing is completed before approval"
    );
    assert_eq!(count("input#actual_value_vnd"), 0);

    // A line break typed in the title's box is a space.
    let form = with(
        initiative_form(fx.c1),
        "title",
        "Mô hình dân vận khéo\r\ntrong cải cách",
    );
    let page = client.post_form_csrf("/initiatives", &pairs(&form));
    assert_eq!(page.status, 303, "{}", page.body);
    let id = id_from_location(&page);
    assert_eq!(
        app.initiative(id).title,
        "Mô hình dân vận khéo trong cải cách"
    );

    // Editing it while it waits for approval asks no progress either; once approved, it does.
    let edit = client.get(&format!("/initiatives/{id}/edit"));
    assert_eq!(
        edit.select("select#status", |_| ()).len(),
        0,
        "{}",
        edit.body
    );
    let reviewer = app.signed_in(REV_A, PASSWORD);
    let page = reviewer.post_form_csrf(&format!("/initiatives/{id}/approve"), &[]);
    assert_eq!(page.status, 303, "{}", page.body);
    let edit = client.get(&format!("/initiatives/{id}/edit"));
    assert_eq!(edit.select("select#status", |_| ()).len(), 1);
    assert_eq!(edit.select("input#completion_date", |_| ()).len(), 1);
}
