//! The JSON API under /api/v1, against the hand-built fixture.

use serde_json::json;

use crate::helpers::*;

fn ids(value: &serde_json::Value) -> Vec<i64> {
    value
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

#[test]
fn initiatives_are_ordered_by_id_and_paginated() {
    let (app, fx) = app_with_fixture();
    let admin = app.signed_in(ADMIN, PASSWORD);
    let all = admin.get("/api/v1/initiatives?year=2022").json();
    let expected: Vec<i64> = (1..=8).map(|n| i64::from(fx.item(n))).collect();
    assert_eq!(ids(&all), expected);
    assert_eq!(
        all[0],
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
        all[2]["actual_value_vnd"],
        serde_json::Value::Null,
        "not completed: no value"
    );

    let page = |query: &str| {
        ids(&admin
            .get(&format!("/api/v1/initiatives?year=2022&{query}"))
            .json())
    };
    assert_eq!(page("per_page=3"), expected[0..3]);
    assert_eq!(page("per_page=3&page=1"), expected[0..3]);
    assert_eq!(page("per_page=3&page=2"), expected[3..6]);
    assert_eq!(page("per_page=3&page=3"), expected[6..8]);
    assert!(page("per_page=3&page=4").is_empty());
    assert_eq!(page("per_page=1000"), expected);
    assert_eq!(page(&format!("unit={}", fx.c1)), expected[0..3]);
    assert_eq!(
        ids(&admin.get("/api/v1/initiatives").json()).len(),
        9,
        "every year without a year"
    );
    assert_eq!(
        ids(&admin.get("/api/v1/initiatives?year=2023").json()),
        [i64::from(fx.item(9))]
    );
    assert!(ids(&admin.get("/api/v1/initiatives?year=2031").json()).is_empty());

    for query in [
        "per_page=1001",
        "per_page=0",
        "per_page=-5",
        "per_page=abc",
        "page=0",
        "page=abc",
        "year=abc",
        "unit=abc",
        "per_page=99999999999999999999",
    ] {
        let page = admin.get(&format!("/api/v1/initiatives?{query}"));
        assert_eq!(page.status, 400, "{query}: {}", page.body);
        assert!(page.content_type.starts_with("application/json"), "{query}");
    }

    // Many rows: the default page holds 100, the cap is 1000.
    let mut conn = app.db();
    for number in 0..120 {
        let title = format!("Công trình số {number}");
        create_initiative(
            &mut conn,
            fx.admin,
            Spec {
                unit_id: fx.c2,
                year: 2021,
                title: &title,
                field: lamtheobac::domain::Field::Other,
                status: lamtheobac::domain::Status::Registered,
                estimated: 0,
                actual: None,
            },
        );
    }
    let first = ids(&admin.get("/api/v1/initiatives?year=2021").json());
    assert_eq!(first.len(), 100);
    let second = ids(&admin.get("/api/v1/initiatives?year=2021&page=2").json());
    assert_eq!(second.len(), 20);
    assert!(
        first.windows(2).all(|pair| pair[0] < pair[1]),
        "ordered by id"
    );
    assert!(first.last() < second.first(), "page 2 follows page 1");
    assert_eq!(
        ids(&admin
            .get("/api/v1/initiatives?year=2021&per_page=1000")
            .json())
        .len(),
        120
    );
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
