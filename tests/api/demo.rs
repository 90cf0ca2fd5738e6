//! The demo data reproduces the article: Lạng Sơn provincial agencies' bloc, 2022.

use crate::helpers::*;

#[test]
fn the_bloc_reviewer_sees_the_article_figures() {
    let app = TestApp::spawn_demo();
    let khoi = app.signed_in("khoi", DEMO_PASSWORD);
    let duk = app.unit_id("DUK");

    let stats = khoi.get("/api/v1/stats?year=2022").json();
    assert_eq!(
        stats["unit_id"], duk,
        "the reviewer's scope root by default"
    );
    assert_eq!(stats["registered"], 94);
    assert_eq!(stats["completed"], 61);
    let actual = stats["actual_value_vnd"].as_i64().expect("actual value");
    assert!(actual > 6_000_000_000 && actual < 7_000_000_000, "{actual}");
    assert!(stats["expected_units"].as_i64().expect("expected") > 0);
    assert_eq!(
        stats["registered_units"], stats["expected_units"],
        "100% of the units registered"
    );
    let sum = ["in_progress", "completed", "cancelled"]
        .iter()
        .map(|key| stats[key].as_i64().expect("count"))
        .sum::<i64>();
    assert!(sum <= 94);

    let page = khoi.get("/dashboard?year=2022");
    assert_eq!(page.status, 200);
    assert_eq!(page.figure("registered").as_deref(), Some("94"));
    assert_eq!(page.figure("completed").as_deref(), Some("61"));
    assert_eq!(
        page.figure("actual_value_headline").as_deref(),
        Some("hơn 6 tỷ đồng")
    );
    assert_eq!(page.figure("completion_rate").as_deref(), Some("64,9%"));
    assert_eq!(page.figure("coverage_rate").as_deref(), Some("100%"));
    let actual_text = page.figure("actual_value").expect("actual value");
    assert!(
        actual_text.starts_with("6.")
            && actual_text.ends_with(" đ")
            && actual_text.len() == "6.012.500.000 đ".len(),
        "{actual_text}"
    );
    assert!(page.attribute_values("data-missing-unit").is_empty());
    let expected = stats["expected_units"].as_i64().expect("expected");
    assert_eq!(
        page.figure("coverage"),
        Some(format!("{expected}/{expected}"))
    );

    // 2021 is smaller and not fully covered; the other bloc is not in the reviewer's figures.
    let stats_2021 = khoi.get("/api/v1/stats?year=2021").json();
    assert!(stats_2021["registered_units"].as_i64() < stats_2021["expected_units"].as_i64());
    assert!(
        !khoi
            .get("/dashboard?year=2021")
            .attribute_values("data-missing-unit")
            .is_empty()
    );
    assert_eq!(
        khoi.get(&format!(
            "/dashboard?year=2022&unit={}",
            app.unit_id("DUK-DN")
        ))
        .status,
        404
    );
    let listed = khoi
        .get("/api/v1/initiatives?year=2022&per_page=1000")
        .json();
    assert_eq!(listed.as_array().expect("array").len(), 94);
}

#[test]
fn a_demo_secretary_sees_only_their_units_subtree() {
    let app = TestApp::spawn_demo();
    let stc = app.signed_in("stc", DEMO_PASSWORD);
    let units = stc.get("/api/v1/units").json();
    let mut codes: Vec<&str> = units
        .as_array()
        .expect("array")
        .iter()
        .map(|u| u["code"].as_str().expect("code"))
        .collect();
    codes.sort_unstable();
    assert_eq!(codes, ["STC", "STC-GCS", "STC-NS", "STC-VP"]);
    let stats = stc.get("/api/v1/stats?year=2022").json();
    assert_eq!(stats["unit_id"], app.unit_id("STC"));
    let registered = stats["registered"].as_i64().expect("registered");
    assert!(registered > 0 && registered < 94, "{registered}");
    let listed = stc.get("/api/v1/initiatives?year=2022").json();
    assert_eq!(listed.as_array().expect("array").len() as i64, registered);
    let own: Vec<i64> = units
        .as_array()
        .expect("array")
        .iter()
        .map(|u| u["id"].as_i64().expect("id"))
        .collect();
    assert!(
        listed
            .as_array()
            .expect("array")
            .iter()
            .all(|item| own.contains(&item["unit_id"].as_i64().expect("unit")))
    );
    let page = stc.get("/initiatives?year=2022");
    assert_eq!(page.total(), Some(registered));

    for code in ["DUK", "SYT", "SYT-VP", "TU-LS", "DL-LS"] {
        let id = app.unit_id(code);
        assert_eq!(
            stc.get(&format!("/dashboard?year=2022&unit={id}")).status,
            404,
            "{code}"
        );
        assert_eq!(
            stc.get(&format!("/api/v1/stats?year=2022&unit={id}"))
                .status,
            404,
            "{code}"
        );
    }
    assert_eq!(
        stc.get(&format!(
            "/dashboard?year=2022&unit={}",
            app.unit_id("STC-VP")
        ))
        .status,
        200
    );
    let dashboard = stc.get("/dashboard?year=2022");
    assert_eq!(dashboard.figure("registered"), Some(registered.to_string()));

    // The admin demo account works too, and sees everything.
    let admin = app.signed_in("admin", DEMO_PASSWORD);
    assert_eq!(admin.get("/admin/units").status, 200);
}
