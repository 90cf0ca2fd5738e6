//! The demo data reproduces the article: Lạng Sơn provincial agencies' bloc, 2022.

use chrono::{Datelike, NaiveDate};

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

/// A day as the pages write it: the date of "09:15 14/02/2022".
fn shown_date(text: &str) -> NaiveDate {
    let date = text.split_whitespace().last().unwrap_or_default();
    NaiveDate::parse_from_str(date, "%d/%m/%Y")
        .unwrap_or_else(|error| panic!("{text:?} ends in no dd/mm/yyyy date: {error}"))
}

/// An initiative's history as its page shows it, oldest first: each step and its day.
fn history(client: &Client, id: i32) -> Vec<(String, NaiveDate)> {
    let page = client.get(&format!("/initiatives/{id}"));
    assert_eq!(page.status, 200);
    let mut steps = page.select("ol.history p.when", |when| {
        let text = text_in(when);
        let action = text.split(" · ").next().unwrap_or_default().to_owned();
        (action, shown_date(&text))
    });
    steps.reverse();
    steps
}

/// The day of the first step called `action`.
fn day_of(history: &[(String, NaiveDate)], action: &str) -> NaiveDate {
    history
        .iter()
        .find(|(step, _)| step == action)
        .map(|(_, day)| *day)
        .unwrap_or_else(|| panic!("no {action:?} in {history:?}"))
}

/// The first and the last initiative of `year` accepted in bloc DUK.
fn accepted_in(app: &TestApp, year: i32) -> [i32; 2] {
    let duk = app.unit_id("DUK");
    let id = |order: &str| -> i32 {
        app.text(&format!(
            "SELECT i.id::text AS v FROM initiatives i JOIN units u ON u.id = i.unit_id \
             WHERE i.year = {year} AND i.review = 'accepted' \
             AND u.path <@ (SELECT path FROM units WHERE id = {duk}) ORDER BY i.id {order} LIMIT 1"
        ))
        .and_then(|id| id.parse().ok())
        .expect("an accepted initiative")
    };
    [id("ASC"), id("DESC")]
}

/// Registered by 31 March, approved after, reported after, accepted by 15 December, every
/// step in `year` and in order, the evidence uploaded the day it was reported.
fn assert_history_reads_like(app: &TestApp, client: &Client, year: i32) {
    let date = |month, day| NaiveDate::from_ymd_opt(year, month, day).expect("a date");
    for id in accepted_in(app, year) {
        let steps = history(client, id);
        assert!(
            steps.iter().all(|(_, day)| day.year() == year),
            "every step in {year}: {steps:?}"
        );
        assert!(
            steps.windows(2).all(|pair| pair[0].1 <= pair[1].1),
            "in order: {steps:?}"
        );
        let registered = day_of(&steps, "Đăng ký");
        let approved = day_of(&steps, "Duyệt đăng ký");
        let reported = day_of(&steps, "Báo cáo hoàn thành");
        let accepted = day_of(&steps, "Nghiệm thu");
        assert!(
            registered <= date(3, 31)
                && registered < approved
                && approved < reported
                && reported < accepted
                && accepted <= date(12, 15),
            "{steps:?}"
        );
        assert_eq!(day_of(&steps, "Thêm minh chứng"), reported, "{steps:?}");
        let uploaded = client
            .get(&format!("/initiatives/{id}"))
            .select("li[data-evidence] > div > small", text_in);
        assert!(!uploaded.is_empty(), "the evidence list of {id}");
        for line in uploaded {
            assert_eq!(shown_date(&line), reported, "{line}");
        }
    }
}

#[test]
fn a_demo_initiative_of_2022_has_the_history_of_a_real_2022() {
    let app = TestApp::spawn_demo();
    let khoi = app.signed_in("khoi", DEMO_PASSWORD);
    assert_history_reads_like(&app, &khoi, 2022);
}

#[test]
fn a_demo_initiative_of_2021_has_the_history_of_a_real_2021() {
    let app = TestApp::spawn_demo();
    let khoi = app.signed_in("khoi", DEMO_PASSWORD);
    assert_history_reads_like(&app, &khoi, 2021);
}

#[test]
fn the_inbox_and_the_returned_list_date_the_demo_items_in_2022() {
    let app = TestApp::spawn_demo();
    let khoi = app.signed_in("khoi", DEMO_PASSWORD);
    let since = |client: &Client, path: &str| -> Vec<NaiveDate> {
        let page = client.get(path);
        assert_eq!(page.status, 200, "{path}");
        page.select(
            "td[data-label=\"Chờ từ\"], td[data-label=\"Trả lại lúc\"]",
            |cell| shown_date(&text_in(cell)),
        )
    };
    let waiting = since(&khoi, "/review");
    assert!(waiting.len() >= 3, "{waiting:?}");
    let date = |month, day| NaiveDate::from_ymd_opt(2022, month, day).expect("a date");
    // Waiting for approval since a first-quarter registration, for acceptance since a
    // report sent before the reporting deadline.
    assert!(
        waiting
            .iter()
            .all(|day| *day >= date(1, 1) && *day <= date(12, 15)),
        "{waiting:?}"
    );
    assert!(waiting.iter().any(|day| *day <= date(3, 31)), "{waiting:?}");

    let returned = app
        .text(
            "SELECT string_agg(DISTINCT lower(u.code), ' ') AS v FROM initiatives i \
             JOIN units u ON u.id = i.unit_id WHERE i.year = 2022 \
             AND i.review IN ('returned_registration', 'returned_completion')",
        )
        .expect("returned initiatives");
    let mut seen = 0;
    for username in returned.split(' ') {
        let secretary = app.signed_in(username, DEMO_PASSWORD);
        for day in since(&secretary, "/returned") {
            assert_eq!(day.year(), 2022, "{username}: {day}");
            seen += 1;
        }
    }
    assert!(seen >= 2, "both returns are listed");
}

#[test]
fn the_demo_report_of_2022_is_numbered_dated_signed_and_written() {
    let app = TestApp::spawn_demo();
    let khoi = app.signed_in("khoi", DEMO_PASSWORD);
    let duk = app.unit_id("DUK");
    let file = khoi.download(&format!("/reports/annual.pdf?year=2022&unit={duk}"));
    assert_eq!(file.status, 200);
    let text = poppler(&file.bytes, "pdftotext", &[])
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ");
    for expected in [
        "Số 25-BC/ĐUK",
        "Lạng Sơn, ngày 15 tháng 12 năm 2022",
        "BÍ THƯ",
        // The bloc's reviewer in the demo data signs.
        "Lương Thị Thu Hà",
        "Nơi nhận:",
        "- Ban Thường vụ Tỉnh ủy (b/c),",
        "- Các đảng bộ, chi bộ cơ sở trực thuộc,",
        "- Lưu Văn phòng Đảng ủy Khối.",
        "Đánh giá chung",
        "Ưu điểm:",
        "Hạn chế:",
        "Nguyên nhân:",
        "Phương hướng, nhiệm vụ năm 2023",
    ] {
        assert!(
            text.contains(expected),
            "{expected:?} in the PDF text:\n{text}"
        );
    }
    // The settings page shows what the demo stored, ready to change.
    let settings = khoi.get(&format!("/reports/settings?year=2022&unit={duk}"));
    assert_eq!(settings.status, 200);
    assert!(settings.body.contains("value=\"25\""), "{}", settings.body);
}

#[test]
fn after_the_seed_the_audit_log_is_append_only_and_a_new_step_is_dated_today() {
    let app = TestApp::spawn_demo();
    let khoi = app.signed_in("khoi", DEMO_PASSWORD);
    let waiting: i32 = app
        .text(
            "SELECT min(id)::text AS v FROM initiatives \
             WHERE review = 'pending_approval' AND year = 2022",
        )
        .and_then(|id| id.parse().ok())
        .expect("a registration waiting for approval");
    let answer = khoi.post_form_csrf(&format!("/initiatives/{waiting}/approve"), &[]);
    assert!(answer.status < 400, "{}", answer.status);
    let steps = history(&khoi, waiting);
    let registered = day_of(&steps, "Đăng ký");
    assert_eq!(registered.year(), 2022, "{steps:?}");
    // The seed put the clock back: what happens now is dated now.
    assert_eq!(
        day_of(&steps, "Duyệt đăng ký"),
        lamtheobac::domain::today_in_vietnam(),
        "{steps:?}"
    );

    app.assert_audit_log_is_append_only(waiting);
    assert_eq!(history(&khoi, waiting), steps, "the history did not change");
}
