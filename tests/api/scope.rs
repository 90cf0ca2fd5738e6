//! Scope: a secretary of one unit and a reviewer of another bloc get 404 for anything
//! outside their subtree, on every route, and change nothing.

use crate::helpers::*;

/// Every read route for an initiative, a unit and the filters, aimed at `unit`/`item`.
fn read_routes(unit: i32, item: i32) -> Vec<String> {
    vec![
        format!("/initiatives/{item}"),
        format!("/initiatives/{item}/edit"),
        format!("/initiatives?unit={unit}"),
        format!("/initiatives?year=2022&unit={unit}&status=completed"),
        format!("/dashboard?unit={unit}"),
        format!("/dashboard?year=2022&unit={unit}"),
        format!("/api/v1/stats?year=2022&unit={unit}"),
        format!("/api/v1/initiatives?year=2022&unit={unit}"),
        format!("/api/v1/initiatives?unit={unit}&limit=10"),
        format!("/exports/annual.xlsx?year=2022&unit={unit}"),
        format!("/exports/initiatives.csv?year=2022&unit={unit}"),
        format!("/reports/annual?year=2022&unit={unit}"),
        format!("/reports/annual.pdf?year=2022&unit={unit}"),
    ]
}

fn assert_not_found(client: &Client, path: &str) {
    let page = client.get(path);
    assert_eq!(page.status, 404, "{path}: {}", page.body);
    if path.starts_with("/api/") {
        assert!(
            page.content_type.starts_with("application/json"),
            "{path}: {}",
            page.content_type
        );
    }
}

#[test]
fn a_secretary_sees_and_changes_only_their_own_subtree() {
    let (app, fx) = app_with_fixture();
    let client = app.signed_in(SEC_C1, PASSWORD);

    // Outside: a sibling unit, the bloc above, the other bloc, the province, a missing unit.
    for (unit, item) in [
        (fx.c2, fx.item(4)),
        (fx.ka, fx.item(6)),
        (fx.m, fx.item(6)),
        (fx.n, fx.item(7)),
        (fx.b1, fx.item(8)),
        (fx.tu, fx.item(9)),
        (999_999, 999_999),
    ] {
        for path in read_routes(unit, item) {
            assert_not_found(&client, &path);
        }
    }

    // Posting an edit to an initiative outside scope: 404 and nothing changed.
    let before = snapshot(&app);
    for item in [fx.item(4), fx.item(6), fx.item(8)] {
        let form = with(edit_form_of(&app, item), "title", "Bị sửa trái phép");
        let page = client.post_form_csrf(&format!("/initiatives/{item}"), &pairs(&form));
        assert_eq!(page.status, 404, "POST /initiatives/{item}");
        // Moving it into the secretary's own unit does not help.
        let form = with(form, "unit_id", &fx.c1.to_string());
        let page = client.post_form_csrf(&format!("/initiatives/{item}"), &pairs(&form));
        assert_eq!(page.status, 404, "POST /initiatives/{item} into own unit");
    }
    assert_eq!(snapshot(&app), before);

    // Registering for a unit outside scope is a form error, not a 404.
    for unit in [fx.c2, fx.ka, fx.b1, fx.tu] {
        let page = client.post_form_csrf("/initiatives", &pairs(&initiative_form(unit)));
        assert_eq!(page.status, 422, "unit {unit}");
        assert_eq!(page.field_errors(), ["unit_id"], "unit {unit}");
    }
    // Moving an own initiative out of scope is a form error too.
    let own = fx.item(3);
    let form = with(edit_form_of(&app, own), "unit_id", &fx.c2.to_string());
    let page = client.post_form_csrf(&format!("/initiatives/{own}"), &pairs(&form));
    assert_eq!(page.status, 422);
    assert_eq!(page.field_errors(), ["unit_id"]);
    assert_eq!(snapshot(&app), before);

    // Inside: the own subtree answers.
    for path in [
        format!("/initiatives/{}", fx.item(1)),
        // #3 is approved and may be edited (#1 and #2 are accepted, so locked).
        format!("/initiatives/{}/edit", fx.item(3)),
        format!("/dashboard?year=2022&unit={}", fx.c1a),
        format!("/api/v1/stats?year=2022&unit={}", fx.c1b),
        "/initiatives/new".to_owned(),
    ] {
        assert_eq!(client.get(&path).status, 200, "{path}");
    }
    // The form offers only units in scope.
    let form = client.get("/initiatives/new");
    for unit in [fx.c1, fx.c1a, fx.c1b] {
        assert!(
            form.body.contains(&format!("value=\"{unit}\"")),
            "unit {unit} offered"
        );
    }
    for unit in [fx.c2, fx.ka, fx.b1, fx.m] {
        assert!(
            !form.body.contains(&format!("<option value=\"{unit}\"")),
            "unit {unit} not offered"
        );
    }

    // The unfiltered list, the dashboard and the API are limited to the subtree.
    let list = client.get("/initiatives");
    assert_eq!(list.total(), Some(3));
    let mut rows = list.initiative_rows();
    rows.sort();
    assert_eq!(rows, [fx.item(1), fx.item(2), fx.item(3)]);
    let search = client.get("/initiatives?q=mot+cua");
    assert_eq!(
        search.initiative_rows(),
        [fx.item(1)],
        "search stays in scope"
    );
    let dashboard = client.get("/dashboard?year=2022");
    assert_eq!(dashboard.figure("registered").as_deref(), Some("3"));
    let stats = client.get("/api/v1/stats?year=2022").json();
    assert_eq!(stats["unit_id"], fx.c1);
    assert_eq!(stats["registered"], 3);
    let units = client.get("/api/v1/units").json()["units"].clone();
    let mut ids: Vec<i64> = units
        .as_array()
        .expect("array")
        .iter()
        .map(|u| u["id"].as_i64().expect("id"))
        .collect();
    ids.sort();
    assert_eq!(
        ids,
        [i64::from(fx.c1), i64::from(fx.c1a), i64::from(fx.c1b)]
    );
    let items = client.get("/api/v1/initiatives").json();
    let ids: Vec<i64> = items["items"]
        .as_array()
        .expect("array")
        .iter()
        .map(|i| i["id"].as_i64().expect("id"))
        .collect();
    assert_eq!(ids, [fx.item(1), fx.item(2), fx.item(3)].map(i64::from));

    // Admin pages are not for secretaries.
    for path in [
        "/admin/units",
        "/admin/users",
        "/admin/units/new",
        "/admin/users/new",
    ] {
        assert_eq!(client.get(path).status, 403, "{path}");
    }
}

#[test]
fn a_reviewer_of_another_bloc_sees_nothing_of_this_one_and_cannot_register() {
    let (app, fx) = app_with_fixture();
    let client = app.signed_in(REV_B, PASSWORD);

    for (unit, item) in [
        (fx.ka, fx.item(1)),
        (fx.c1, fx.item(2)),
        (fx.c2, fx.item(5)),
        (fx.tu, fx.item(9)),
    ] {
        for path in read_routes(unit, item) {
            assert_not_found(&client, &path);
        }
    }
    let before = snapshot(&app);
    let form = with(edit_form_of(&app, fx.item(1)), "status", "cancelled");
    let page = client.post_form_csrf(&format!("/initiatives/{}", fx.item(1)), &pairs(&form));
    assert_eq!(page.status, 404);
    assert_eq!(snapshot(&app), before);

    // Own bloc: reads, but no writes, and no buttons that would lead to a 403.
    let detail = client.get(&format!("/initiatives/{}", fx.item(8)));
    assert_eq!(detail.status, 200);
    assert!(
        !detail
            .body
            .contains(&format!("/initiatives/{}/edit", fx.item(8))),
        "no edit link for a reviewer"
    );
    assert!(
        !detail.body.contains("href=\"/initiatives/new\""),
        "no register link for a reviewer"
    );
    assert_eq!(
        client
            .get(&format!("/dashboard?year=2022&unit={}", fx.b1))
            .status,
        200
    );
    let stats = client.get("/api/v1/stats?year=2022").json();
    assert_eq!(stats["unit_id"], fx.kb);
    assert_eq!(stats["registered"], 1);
    assert_eq!(stats["actual_value_vnd"], 888_000_000_i64);
    let list = client.get("/initiatives");
    assert_eq!(list.initiative_rows(), [fx.item(8)]);
    let units = client.get("/api/v1/units").json()["units"].clone();
    let codes: Vec<&str> = units
        .as_array()
        .expect("array")
        .iter()
        .map(|u| u["code"].as_str().expect("code"))
        .collect();
    assert_eq!(codes, ["KB", "B1"]);

    // A reviewer cannot register or edit, even in their own bloc.
    assert_eq!(client.get("/initiatives/new").status, 403);
    let page = client.post_form_csrf("/initiatives", &pairs(&initiative_form(fx.b1)));
    assert_eq!(page.status, 403);
    assert_eq!(
        client
            .get(&format!("/initiatives/{}/edit", fx.item(8)))
            .status,
        403
    );
    let form = with(edit_form_of(&app, fx.item(8)), "title", "Sửa bởi người xem");
    let page = client.post_form_csrf(&format!("/initiatives/{}", fx.item(8)), &pairs(&form));
    assert_eq!(page.status, 403);
    assert_eq!(snapshot(&app), before, "nothing stored");

    for path in ["/admin/units", "/admin/users"] {
        assert_eq!(client.get(path).status, 403, "{path}");
    }
}

#[test]
fn a_reviewer_of_the_bloc_sees_the_whole_bloc_and_drills_into_any_unit() {
    let (app, fx) = app_with_fixture();
    let client = app.signed_in(REV_A, PASSWORD);
    for unit in [fx.ka, fx.c1, fx.c1a, fx.c2, fx.m, fx.n, fx.x] {
        assert_eq!(
            client
                .get(&format!("/dashboard?year=2022&unit={unit}"))
                .status,
            200,
            "unit {unit}"
        );
    }
    for item in 1..=7 {
        assert_eq!(
            client
                .get(&format!("/initiatives/{}", fx.item(item)))
                .status,
            200,
            "item {item}"
        );
    }
    assert_not_found(&client, &format!("/initiatives/{}", fx.item(8)));
    assert_not_found(&client, &format!("/dashboard?unit={}", fx.tu));
    assert_eq!(client.get("/initiatives?year=2022").total(), Some(7));
}
