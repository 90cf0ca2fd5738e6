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
    let listed = khoi.get("/api/v1/initiatives?year=2022&limit=1000").json();
    assert_eq!(listed["items"].as_array().expect("array").len(), 94);
    assert_eq!(
        listed["next"],
        serde_json::Value::Null,
        "one page holds them all"
    );
}

#[test]
fn a_demo_secretary_sees_only_their_units_subtree() {
    let app = TestApp::spawn_demo();
    let stc = app.signed_in("stc", DEMO_PASSWORD);
    let units = stc.get("/api/v1/units").json()["units"].clone();
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
    let listed = stc.get("/api/v1/initiatives?year=2022").json()["items"].clone();
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

#[test]
fn the_demo_walks_every_workflow_state_and_keeps_the_article_figures() {
    let app = TestApp::spawn_demo();
    let khoi = app.signed_in("khoi", DEMO_PASSWORD);

    // The article's figures, exactly: only accepted initiatives count as completed.
    let stats = khoi.get("/api/v1/stats?year=2022").json();
    assert_eq!(stats["registered"], 94);
    assert_eq!(stats["completed"], 61);
    assert_eq!(stats["actual_value_vnd"], 6_012_500_000_i64);
    let page = khoi.get("/dashboard?year=2022");
    assert_eq!(
        page.figure("actual_value").as_deref(),
        Some("6.012.500.000 đ")
    );
    assert_eq!(page.figure("completed").as_deref(), Some("61"));
    let duk = app.unit_id("DUK");
    assert_eq!(
        app.count_where(&format!(
            "SELECT count(*) AS n FROM initiatives i JOIN units u ON u.id = i.unit_id \
             WHERE i.year = 2022 AND i.review = 'accepted' \
             AND u.path <@ (SELECT path FROM units WHERE id = {duk})"
        )),
        61,
        "the 61 completed are the 61 accepted"
    );

    // Every state of the workflow is there, in the bloc's 2022 list.
    for state in REVIEW_STATES {
        let n = app.count_where(&format!(
            "SELECT count(*) AS n FROM initiatives i JOIN units u ON u.id = i.unit_id \
             WHERE i.year = 2022 AND i.review = '{state}' \
             AND u.path <@ (SELECT path FROM units WHERE id = {duk})"
        ));
        assert!(n >= 1, "no demo initiative is {state}");
    }
    let awaiting_approval = stats["awaiting_approval"].as_i64().expect("a count");
    let awaiting_acceptance = stats["awaiting_acceptance"].as_i64().expect("a count");
    assert!(
        awaiting_approval >= 1 && awaiting_acceptance >= 1,
        "{stats}"
    );
    assert_eq!(
        page.figure("awaiting_acceptance"),
        Some(awaiting_acceptance.to_string())
    );
    // khoi's inbox holds what waits, and the badge says how much.
    let inbox = khoi.get("/review");
    assert_eq!(inbox.status, 200);
    assert_eq!(
        inbox.initiative_rows().len() as i64,
        awaiting_approval + awaiting_acceptance
    );
    let badge = page
        .element_html("data-badge=\"review\"")
        .map(|html| text_of(&html));
    assert_eq!(
        badge,
        Some((awaiting_approval + awaiting_acceptance).to_string())
    );

    // A returned registration is on its secretary's list, with the reason.
    let returned = app
        .text(
            "SELECT concat(i.id, ' ', lower(u.code)) AS v FROM initiatives i \
             JOIN units u ON u.id = i.unit_id WHERE i.review = 'returned_registration' \
             ORDER BY i.id LIMIT 1",
        )
        .expect("a returned registration");
    let (id, username) = returned.split_once(' ').expect("id and username");
    let secretary = app.signed_in(username, DEMO_PASSWORD);
    let list = secretary.get("/returned");
    assert!(
        list.initiative_rows().contains(&id.parse().expect("an id")),
        "{}",
        list.body
    );
    assert!(text_of(&list.body).contains("Lý do:"));

    // An accepted one has its evidence (served from this test's folder) and its history.
    let accepted: i32 = app
        .text(
            "SELECT min(i.id)::text AS v FROM initiatives i \
             WHERE i.review = 'accepted' AND i.year = 2022",
        )
        .and_then(|id| id.parse().ok())
        .expect("an accepted initiative");
    let detail = khoi.get(&format!("/initiatives/{accepted}"));
    assert_eq!(detail.status, 200);
    let history = detail
        .element_html("class=\"history\"")
        .map(|html| text_of(&html))
        .unwrap_or_default();
    for step in [
        "Đăng ký",
        "Duyệt đăng ký",
        "Báo cáo hoàn thành",
        "Thêm minh chứng",
        "Nghiệm thu",
    ] {
        assert!(history.contains(step), "{step}: {history}");
    }
    let files = detail.attribute_values("data-evidence");
    assert!(!files.is_empty(), "an accepted initiative has evidence");
    for file in files {
        let download = khoi.download(&format!("/evidence/{file}"));
        assert_eq!(download.status, 200, "evidence {file}");
        assert!(!download.bytes.is_empty());
    }
}
