//! Unit pickers, the admin tree and /api/v1/units at the size of a real tree: no page lists
//! the whole scope. A scope of more than 50 units gets a search by name or code (without
//! diacritics) and drilling down one level at a time, as radio buttons, bounded to 50.

use diesel::prelude::*;
use std::collections::BTreeSet;

use crate::helpers::*;

/// The most units a picker lists besides the chosen one and the one drilled into.
const SHOWN: usize = 50;

/// Adds `count` cells under `parent` in one statement ("Chi bộ Thôn số 1", code PREFIX-1, …).
fn add_cells(app: &TestApp, parent: i32, prefix: &str, count: u32) {
    diesel::sql_query(format!(
        "INSERT INTO units (code, name, kind, parent_id) \
         SELECT '{prefix}-' || g, 'Chi bộ Thôn số ' || g, 'attached_cell', {parent} \
         FROM generate_series(1, {count}) AS g"
    ))
    .execute(&mut app.db())
    .expect("insert cells");
}

/// The ids of the units a picker page offers as radio buttons.
fn offered(page: &Page) -> Vec<i32> {
    page.attribute_values("data-unit-choice")
        .iter()
        .filter_map(|id| id.parse().ok())
        .collect()
}

/// The registration form as typed, plus the picker's fields.
fn typed_registration(unit: &str, extra: &[(&'static str, &str)]) -> Vec<(&'static str, String)> {
    let mut form = with(initiative_form(0), "unit_id", unit);
    form = with(form, "title", "Mô hình “Chợ 4.0” & thanh toán số");
    for (name, value) in extra {
        form = with(form, name, value);
    }
    form
}

#[test]
fn a_big_scope_searches_units_by_name_without_diacritics_and_keeps_the_typed_form() {
    let (app, fx) = app_with_fixture();
    add_cells(&app, fx.ka, "THON", 120);
    let admin = app.signed_in(ADMIN, PASSWORD);

    let form = admin.get("/initiatives/new");
    assert_eq!(form.status, 200);
    assert!(
        !form.body.contains("<select id=\"unit_id\""),
        "no select of the whole tree"
    );
    assert!(form.body.contains("data-unit-picker=\"unit_id\""));
    assert!(form.body.contains("name=\"unit_q\""));

    // "cai cach" finds "Đảng bộ Cải cách"; nothing is saved; everything typed comes back.
    let before = app.count("initiatives");
    let searched = admin.post_form_csrf(
        "/initiatives",
        &pairs(&typed_registration(
            "",
            &[("unit_q", "cai cach"), ("unit_search", "1")],
        )),
    );
    assert_eq!(searched.status, 200, "{}", searched.body);
    assert_eq!(offered(&searched), [fx.c1]);
    assert!(text_of(&searched.body).contains("Đảng bộ Cải cách"));
    assert!(keeps_value(&searched, "Mô hình “Chợ 4.0” & thanh toán số"));
    assert!(keeps_value(&searched, "cai cach"));
    assert!(keeps_value(&searched, "6.000.000"));
    assert!(searched.field_errors().is_empty(), "a search is no error");
    assert_eq!(app.count("initiatives"), before, "a search saves nothing");

    // "dang uy" finds both blocs "Đảng ủy Khối …" (đ folds to d), and codes match too.
    let page = admin.get("/initiatives?unit_q=dang+uy");
    assert_eq!(offered(&page), [fx.ka, fx.kb]);
    let by_code = admin.get("/initiatives?unit_q=thon-117");
    assert_eq!(offered(&by_code), [app.unit_id("THON-117")]);
    // Text shorter than 3 characters matches a code exactly; LIKE wildcards are literal.
    assert_eq!(offered(&admin.get("/initiatives?unit_q=c2")), [fx.c2]);
    assert!(offered(&admin.get("/initiatives?unit_q=%25%25%25")).is_empty());
    assert!(offered(&admin.get("/initiatives?unit_q=___")).is_empty());

    // Choosing the found unit and saving registers it there.
    let saved = admin.post_form_csrf(
        "/initiatives",
        &pairs(&typed_registration(
            &fx.c1.to_string(),
            &[("unit_q", "cai cach")],
        )),
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    assert_eq!(app.initiative(id_from_location(&saved)).unit_id, fx.c1);
}

#[test]
fn drilling_down_shows_one_level_of_children_and_the_chosen_unit_stays_chosen() {
    let (app, fx) = app_with_fixture();
    add_cells(&app, fx.c1, "THON", 70);
    let admin = app.signed_in(ADMIN, PASSWORD);
    let before = app.count("initiatives");

    let drilled = admin.post_form_csrf(
        "/initiatives",
        &pairs(&typed_registration(
            &fx.c2.to_string(),
            &[("unit_parent", &fx.ka.to_string())],
        )),
    );
    assert_eq!(drilled.status, 200, "{}", drilled.body);
    let choices = offered(&drilled);
    // The chosen unit first, then the bloc itself, then its children: not the grandchildren.
    assert_eq!(choices[..2], [fx.c2, fx.ka]);
    let children: BTreeSet<i32> = choices[2..].iter().copied().collect();
    assert_eq!(
        children,
        BTreeSet::from([fx.c1, fx.m, fx.n]),
        "the active children of the bloc, the chosen C2 above them once"
    );
    assert!(
        drilled
            .body
            .contains(&format!("name=\"unit_id\" value=\"{}\" checked", fx.c2)),
        "C2 stays chosen"
    );
    assert!(keeps_value(&drilled, "Mô hình “Chợ 4.0” & thanh toán số"));
    // C1 has 72 units below it: a button leads there, and its page stops at 50.
    assert!(text_of(&drilled.body).contains("72 đơn vị cấp dưới"));
    let deeper = admin.post_form_csrf(
        "/initiatives",
        &pairs(&typed_registration(
            "",
            &[("unit_parent", &fx.c1.to_string())],
        )),
    );
    let choices = offered(&deeper);
    assert_eq!(choices[0], fx.c1);
    assert_eq!(choices.len(), 1 + SHOWN);
    assert!(deeper.body.contains("data-picker-more"));
    assert!(
        text_of(&deeper.body)
            .contains("Đang xem: Tỉnh ủy Thử nghiệm › Đảng ủy Khối A › Đảng bộ Cải cách"),
        "the way back up is shown"
    );
    assert_eq!(app.count("initiatives"), before, "drilling saves nothing");
}

#[test]
fn a_unit_outside_the_scope_is_never_offered_and_refused_when_posted() {
    let (app, fx) = app_with_fixture();
    add_cells(&app, fx.c1, "THON", 60);
    add_cells(&app, fx.kb, "KHAC", 60);
    let secretary = app.signed_in(SEC_C1, PASSWORD);

    let form = secretary.get("/initiatives/new");
    assert!(form.body.contains("data-unit-picker=\"unit_id\""));
    // The secretary of C1 searches "chi bo": only C1's cells, never Khối B's.
    let found = secretary.get("/initiatives?unit_q=chi+bo");
    let found = offered(&found);
    assert_eq!(found.len(), SHOWN);
    let outside = app.count_where(&format!(
        "SELECT count(*) AS n FROM units WHERE id IN ({}) AND NOT path <@ (SELECT path FROM units WHERE id = {})",
        found
            .iter()
            .map(i32::to_string)
            .collect::<Vec<_>>()
            .join(","),
        fx.c1
    ));
    assert_eq!(outside, 0, "every unit offered lies under C1");
    for text in ["doanh nghiep b", "khac-1", "khoi b"] {
        let page = secretary.get(&format!("/initiatives?unit_q={}", text.replace(' ', "+")));
        assert!(offered(&page).is_empty(), "{text} is outside the scope");
    }
    // Drilling into a unit outside the scope shows the secretary's own unit instead.
    let drilled = secretary.post_form_csrf(
        "/initiatives",
        &pairs(&typed_registration(
            "",
            &[("unit_parent", &fx.kb.to_string())],
        )),
    );
    assert_eq!(drilled.status, 200);
    assert_eq!(offered(&drilled)[0], fx.c1);
    assert!(!offered(&drilled).contains(&fx.b1));

    // Posted anyway: the field's message, the input kept, nothing stored.
    let before = app.count("initiatives");
    let refused = secretary.post_form_csrf(
        "/initiatives",
        &pairs(&typed_registration(&fx.b1.to_string(), &[])),
    );
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert_eq!(
        refused.field_error("unit_id").as_deref(),
        Some("Đơn vị này không thuộc phạm vi quản lý của bạn.")
    );
    assert!(keeps_value(&refused, "Mô hình “Chợ 4.0” & thanh toán số"));
    assert_eq!(app.count("initiatives"), before);
    assert!(
        !text_of(&refused.body).contains("Chi bộ Doanh nghiệp B"),
        "the outside unit is not named"
    );
}

#[test]
fn no_picker_page_lists_more_than_the_bound_however_big_the_tree() {
    let (app, fx) = app_with_fixture();
    add_cells(&app, fx.ka, "THON", 400);
    let admin = app.signed_in(ADMIN, PASSWORD);
    let reviewer = app.signed_in(REV_A, PASSWORD);
    let edit_unit = format!("/admin/units/{}/edit", fx.c1);
    let edit_user = format!("/admin/users/{}/edit", fx.sec_c1);
    let pages: Vec<(&Client, String)> = vec![
        (&admin, "/initiatives/new".to_owned()),
        (&admin, "/initiatives".to_owned()),
        (&admin, "/initiatives?unit_q=chi+bo".to_owned()),
        (&admin, format!("/initiatives/{}/edit", fx.item(4))),
        (&admin, "/admin/imports".to_owned()),
        (&admin, "/admin/units/new".to_owned()),
        (&admin, edit_unit.clone()),
        (&admin, "/admin/users/new".to_owned()),
        (&admin, edit_user.clone()),
        (&reviewer, "/initiatives?unit_q=thon".to_owned()),
        (&reviewer, "/admin/imports".to_owned()),
    ];
    for (client, path) in &pages {
        let page = client.get(path);
        assert_eq!(page.status, 200, "{path}");
        assert!(offered(&page).len() <= SHOWN + 2, "{path}");
        assert!(
            page.body.matches("Chi bộ Thôn số").count() <= SHOWN,
            "{path}: the cells are not all listed"
        );
        assert!(
            page.body.matches("<option").count() < 40,
            "{path}: no select of the tree"
        );
    }
    // Searches in each POST form list at most the bound, and say there is more.
    for (path, fields) in [
        (
            "/initiatives",
            typed_registration("", &[("unit_q", "thon"), ("unit_search", "1")]),
        ),
        (
            "/admin/units",
            vec![
                ("name", "Chi bộ mới".to_owned()),
                ("unit_q", "thon".to_owned()),
                ("unit_search", "1".to_owned()),
            ],
        ),
        (
            &format!("/admin/units/{}/merge", fx.c2),
            vec![
                ("unit_q", "thon".to_owned()),
                ("unit_search", "1".to_owned()),
            ],
        ),
        (
            "/admin/users",
            vec![
                ("username", "moi".to_owned()),
                ("unit_q", "thon".to_owned()),
                ("unit_search", "1".to_owned()),
            ],
        ),
    ] {
        let units = app.count("units");
        let page = admin.post_form_csrf(path, &pairs(&fields));
        assert_eq!(page.status, 200, "{path}: {}", page.body);
        // The merge form's page also shows the unit's parent in the other picker.
        let listed = offered(&page).len();
        assert!((SHOWN..=SHOWN + 1).contains(&listed), "{path}: {listed}");
        assert!(page.body.contains("data-picker-more"), "{path}");
        assert_eq!(app.count("units"), units, "{path}: nothing saved");
    }
    let upload = admin.post_multipart_csrf(
        "/admin/imports",
        &[
            Part::text("kind", "initiatives"),
            Part::text("unit", ""),
            Part::text("unit_q", "thon"),
            Part::text("unit_search", "1"),
        ],
    );
    assert_eq!(upload.status, 200, "{}", upload.body);
    assert_eq!(offered(&upload).len(), SHOWN);
    assert_eq!(app.count("import_batches"), 0, "a search stages nothing");
}

#[test]
fn the_admin_tree_shows_one_level_with_counts_and_pages_by_keyset() {
    let (app, fx) = app_with_fixture();
    add_cells(&app, fx.c2, "THON", 130);
    let admin = app.signed_in(ADMIN, PASSWORD);

    let top = admin.get("/admin/units");
    assert_eq!(top.status, 200);
    assert_eq!(top.attribute_values("data-unit"), ["TU"]);
    let bloc = admin.get(&format!("/admin/units?parent={}", fx.ka));
    let codes = bloc.attribute_values("data-unit");
    let mut sorted = codes.clone();
    sorted.sort();
    assert_eq!(
        sorted,
        ["C1", "C2", "M", "N", "X"],
        "children only, not C1A"
    );
    let breadcrumb = text_of(
        &bloc
            .element_html("aria-label=\"Cấp tổ chức\"")
            .expect("breadcrumb"),
    );
    assert!(
        breadcrumb.contains("Cấp cao nhất Tỉnh ủy Thử nghiệm Đảng ủy Khối A"),
        "{breadcrumb}"
    );
    // By name as Vietnamese readers sort it: "Chi bộ …" before "Đảng bộ …".
    assert_eq!(bloc.attribute_values("data-drill"), ["C2", "C1"]);
    assert!(
        text_of(&bloc.body).contains("130 ›"),
        "C2's sub-units counted"
    );

    // 130 cells under C2: pages of 100, each followed by its `next` link until none.
    let mut seen = Vec::new();
    let mut path = format!("/admin/units?parent={}", fx.c2);
    for _ in 0..5 {
        let page = admin.get(&path);
        assert_eq!(page.status, 200, "{path}");
        let codes = page.attribute_values("data-unit");
        assert!(codes.len() <= 100);
        seen.extend(codes);
        match page.attribute_values("data-next").first() {
            Some(_) => {
                let at = page.body.find("data-next").expect("next link");
                let href_at = page.body[..at].rfind("href=\"").expect("href") + 6;
                let end = href_at + page.body[href_at..].find('"').expect("end");
                path = unescape(&page.body[href_at..end]);
            }
            None => break,
        }
    }
    let unique: BTreeSet<&String> = seen.iter().collect();
    assert_eq!(seen.len(), 130, "every cell once");
    assert_eq!(unique.len(), 130);

    // The search box: diacritic-insensitive, with where each unit lies.
    let found = admin.get("/admin/units?q=cai+cach");
    assert_eq!(found.attribute_values("data-unit"), ["C1"]);
    assert!(text_of(&found.body).contains("Tỉnh ủy Thử nghiệm › Đảng ủy Khối A"));
    assert_eq!(admin.get("/admin/units?parent=999999").status, 404);
    assert_eq!(admin.get("/admin/units?parent=abc").status, 400);
}

#[test]
fn the_units_api_pages_with_a_cursor_until_next_is_null() {
    let (app, fx) = app_with_fixture();
    add_cells(&app, fx.c1, "THON", 25);
    let admin = app.signed_in(ADMIN, PASSWORD);

    let all = app.count("units");
    let mut ids = Vec::new();
    let mut path = "/api/v1/units?limit=7".to_owned();
    let mut pages = 0;
    for _ in 0..20 {
        let page = admin.get(&path).json();
        pages += 1;
        let units = page["units"].as_array().expect("units");
        assert!(units.len() <= 7);
        ids.extend(units.iter().map(|u| u["id"].as_i64().expect("id")));
        match page["next"].as_i64() {
            Some(next) => path = format!("/api/v1/units?limit=7&after={next}"),
            None => break,
        }
    }
    assert_eq!(ids.len() as i64, all, "every unit once");
    assert_eq!(pages, (all + 6) / 7, "stops at the last page");
    let unique: BTreeSet<i64> = ids.iter().copied().collect();
    assert_eq!(unique.len() as i64, all);

    // The default page is 100; a secretary pages through their own subtree only.
    let secretary = app.signed_in(SEC_C1, PASSWORD);
    let own = secretary.get("/api/v1/units").json();
    assert_eq!(own["units"].as_array().expect("units").len(), 28);
    assert_eq!(own["next"], serde_json::Value::Null);

    // Children of one unit by name, and a search.
    let children = admin
        .get(&format!("/api/v1/units?parent={}&limit=2", fx.ka))
        .json();
    assert_eq!(children["units"].as_array().expect("units").len(), 2);
    assert!(children["next"].is_i64());
    let c1 = admin.get("/api/v1/units?q=cai+cach").json();
    assert_eq!(c1["units"][0]["id"], fx.c1);
    assert_eq!(c1["units"][0]["sub_units"], 27);
    assert_eq!(
        secretary
            .get(&format!("/api/v1/units?parent={}", fx.kb))
            .status,
        404,
        "a unit outside the scope"
    );
    for bad in ["limit=0", "limit=1001", "limit=x", "after=x", "parent=x"] {
        assert_eq!(
            admin.get(&format!("/api/v1/units?{bad}")).status,
            400,
            "{bad}"
        );
    }
}
