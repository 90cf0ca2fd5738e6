//! The JSON API under /api/v1, against the hand-built fixture.

use serde_json::json;

use crate::helpers::*;

/// The ids of a page of `/api/v1/initiatives` (or of a plain list).
fn ids(value: &serde_json::Value) -> Vec<i64> {
    value
        .get("items")
        .unwrap_or(value)
        .as_array()
        .unwrap_or_else(|| panic!("not an array: {value}"))
        .iter()
        .map(|item| item["id"].as_i64().expect("an id"))
        .collect()
}

#[test]
fn stats_give_the_headline_figures_of_the_scope() {
    let (app, fx) = app_with_fixture();
    let client = app.signed_in(REV_A, PASSWORD);
    let page = client.get("/api/v1/stats?year=2022");
    assert_eq!(page.status, 200);
    assert!(
        page.content_type.starts_with("application/json"),
        "{}",
        page.content_type
    );
    // The same figures as the dashboard test, computed by hand in `dashboard.rs`.
    assert_eq!(
        page.json(),
        json!({
            "unit_id": fx.ka,
            "year": 2022,
            "registered": 7,
            "in_progress": 1,
            "completed": 4,
            "cancelled": 1,
            "estimated_cost_vnd": 216_000_000_i64,
            "actual_value_vnd": 173_750_000_i64,
            "expected_units": 5,
            "registered_units": 4,
            // #4 waits for approval; nothing waits for acceptance.
            "awaiting_approval": 1,
            "awaiting_acceptance": 0,
        })
    );
    let page = client.get(&format!("/api/v1/stats?year=2022&unit={}", fx.c1));
    assert_eq!(
        page.json(),
        json!({
            "unit_id": fx.c1,
            "year": 2022,
            "registered": 3,
            "in_progress": 1,
            "completed": 2,
            "cancelled": 0,
            "estimated_cost_vnd": 180_000_000_i64,
            "actual_value_vnd": 165_500_000_i64,
            "expected_units": 3,
            "registered_units": 2,
            "awaiting_approval": 0,
            "awaiting_acceptance": 0,
        })
    );
    // A year with nothing.
    let stats = client.get("/api/v1/stats?year=2030").json();
    assert_eq!(stats["registered"], 0);
    assert_eq!(stats["actual_value_vnd"], 0);
    assert_eq!(stats["expected_units"], 5);
    assert_eq!(stats["registered_units"], 0);
    // Malformed parameters are a 400 in JSON, never a 500.
    for path in [
        "/api/v1/stats?year=abc",
        "/api/v1/stats?year=1999",
        "/api/v1/stats?unit=abc",
        "/api/v1/stats?year=2022&unit=1.5",
    ] {
        let page = client.get(path);
        assert_eq!(page.status, 400, "{path}");
        assert!(page.json().get("error").is_some(), "{path}");
    }
}

#[test]
fn units_lists_the_scope_by_id_parents_first() {
    let (app, fx) = app_with_fixture();
    let client = app.signed_in(REV_A, PASSWORD);
    let units = client.get("/api/v1/units").json()["units"].clone();
    let codes: Vec<&str> = units
        .as_array()
        .expect("array")
        .iter()
        .map(|u| u["code"].as_str().expect("code"))
        .collect();
    // The scope's top first, every parent before its children; the inactive X is listed.
    assert_eq!(codes[0], "KA");
    let mut sorted = codes.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, ["C1", "C1A", "C1B", "C2", "KA", "M", "N", "X"]);
    let position = |id: &serde_json::Value| {
        units
            .as_array()
            .expect("array")
            .iter()
            .position(|u| &u["id"] == id)
    };
    for (index, unit) in units.as_array().expect("array").iter().enumerate().skip(1) {
        let parent = position(&unit["parent_id"]).expect("the parent is in scope");
        assert!(parent < index, "{} comes after its parent", unit["code"]);
    }
    let c1a = units
        .as_array()
        .expect("array")
        .iter()
        .find(|u| u["code"] == "C1A")
        .expect("C1A");
    assert_eq!(
        c1a,
        &json!({
            "id": fx.c1a,
            "code": "C1A",
            "name": "Chi bộ Văn phòng",
            "kind": "attached_cell",
            "parent_id": fx.c1,
            "expected_to_register": true,
            "active": true,
            "sub_units": 0,
        })
    );
    let n = units
        .as_array()
        .expect("array")
        .iter()
        .find(|u| u["code"] == "N")
        .expect("N");
    assert_eq!(n["expected_to_register"], false);

    let admin = app.signed_in(ADMIN, PASSWORD);
    let all = admin.get("/api/v1/units").json()["units"].clone();
    assert_eq!(all.as_array().expect("array").len(), 11);
    assert_eq!(all[0]["code"], "TU");
    assert_eq!(all[0]["parent_id"], serde_json::Value::Null);
}

/// Follows `next` from `first_path` until it is null; the ids of every page.
fn walk_api(client: &Client, first_path: &str) -> Vec<Vec<i64>> {
    let mut pages = Vec::new();
    let mut path = first_path.to_owned();
    for _ in 0..50 {
        let page = client.get(&path);
        assert_eq!(page.status, 200, "{path}: {}", page.body);
        let body = page.json();
        pages.push(ids(&body));
        match body["next"].as_str() {
            Some(next) => {
                let separator = if first_path.contains('?') { '&' } else { '?' };
                path = format!("{first_path}{separator}after={next}");
            }
            None => {
                assert_eq!(body["next"], serde_json::Value::Null);
                return pages;
            }
        }
    }
    panic!("more than 50 pages from {first_path}");
}

#[test]
fn initiatives_are_ordered_by_id_and_paged_with_a_cursor() {
    let (app, fx) = app_with_fixture();
    let admin = app.signed_in(ADMIN, PASSWORD);
    let all = admin.get("/api/v1/initiatives?year=2022").json();
    let expected: Vec<i64> = (1..=8).map(|n| i64::from(fx.item(n))).collect();
    assert_eq!(ids(&all), expected);
    assert_eq!(all["next"], serde_json::Value::Null, "one page holds them");
    assert_eq!(
        all["items"][0],
        json!({
            "id": fx.item(1),
            "unit_id": fx.c1,
            "year": 2022,
            "kind": "model",
            "title": "Cải cách thủ tục hành chính một cửa",
            "field": "professional",
            "status": "completed",
            "estimated_cost_vnd": 100_000_000_i64,
            "actual_value_vnd": 120_000_000_i64,
            // Registered, approved, reported, accepted: each step is a new version.
            "version": 4,
        })
    );
    assert_eq!(
        all["items"][2]["actual_value_vnd"],
        serde_json::Value::Null,
        "not completed: no value"
    );

    // Three at a time: every initiative once, in order, and `next` ends null.
    let pages = walk_api(&admin, "/api/v1/initiatives?year=2022&limit=3");
    assert_eq!(pages, [&expected[0..3], &expected[3..6], &expected[6..8]]);
    let pages = walk_api(&admin, "/api/v1/initiatives?limit=1");
    assert_eq!(pages.len(), 9, "every year without a year, one a page");
    assert_eq!(
        pages.concat(),
        (1..=9).map(|n| i64::from(fx.item(n))).collect::<Vec<_>>()
    );
    // unit= is that unit's subtree.
    assert_eq!(
        walk_api(
            &admin,
            &format!("/api/v1/initiatives?unit={}&limit=2", fx.c1)
        )
        .concat(),
        expected[0..3]
    );
    assert_eq!(
        walk_api(
            &admin,
            &format!("/api/v1/initiatives?unit={}&limit=2", fx.ka)
        )
        .concat(),
        (1..=9)
            .filter(|n| *n != 8)
            .map(|n| i64::from(fx.item(n)))
            .collect::<Vec<_>>(),
        "bloc A: all but bloc B's #8"
    );
    assert_eq!(
        ids(&admin.get("/api/v1/initiatives?year=2023").json()),
        [i64::from(fx.item(9))]
    );
    let none = admin.get("/api/v1/initiatives?year=2031").json();
    assert!(ids(&none).is_empty());
    assert_eq!(none["next"], serde_json::Value::Null);

    for query in [
        "limit=1001",
        "limit=0",
        "limit=-5",
        "limit=abc",
        "limit=99999999999999999999",
        "year=abc",
        "unit=abc",
        "after=abc!",
        "after=%FF",
        "after=MTIzNDU2Nzg5MDEyMw",
        // The offset paging of before: refused rather than the first page again and again.
        "page=2",
        "per_page=10",
    ] {
        let page = admin.get(&format!("/api/v1/initiatives?{query}"));
        assert_eq!(page.status, 400, "{query}: {}", page.body);
        assert!(page.content_type.starts_with("application/json"), "{query}");
        assert!(page.json()["error"].is_string(), "{query}");
    }
    let page = admin.get("/api/v1/initiatives?after=abc!");
    assert!(
        page.json()["error"]
            .as_str()
            .is_some_and(|message| message.contains("Liên kết chuyển trang")),
        "{}",
        page.body
    );

    // Many rows: the default page holds 100, the cap is 1000.
    register_many(&mut app.db(), fx.admin, fx.c2, 2021, 120, "Công trình số");
    let pages = walk_api(&admin, "/api/v1/initiatives?year=2021");
    let sizes: Vec<usize> = pages.iter().map(Vec::len).collect();
    assert_eq!(sizes, [100, 20]);
    let seen = pages.concat();
    assert!(
        seen.windows(2).all(|pair| pair[0] < pair[1]),
        "ordered by id, each once"
    );
    let one = admin.get("/api/v1/initiatives?year=2021&limit=1000").json();
    assert_eq!(ids(&one), seen);
    assert_eq!(one["next"], serde_json::Value::Null);
}

#[test]
fn unknown_api_routes_answer_json_404() {
    let (app, _fx) = app_with_fixture();
    let client = app.signed_in(REV_A, PASSWORD);
    for path in ["/api/v1/nothing", "/api/v2/stats", "/api/v1/initiatives/1"] {
        let page = client.get(path);
        assert_eq!(page.status, 404, "{path}");
        assert!(
            page.content_type.starts_with("application/json"),
            "{path}: {}",
            page.content_type
        );
    }
}
