//! Dashboard figures against the hand-built fixture (see `helpers::Fixture`).

use crate::helpers::*;

fn figure(page: &Page, name: &str) -> String {
    page.figure(name)
        .unwrap_or_else(|| panic!("no data-figure=\"{name}\" on the page: {}", page.body))
}

fn missing_units(page: &Page) -> Vec<String> {
    let mut codes = page.attribute_values("data-missing-unit");
    codes.sort();
    codes
}

fn child_rows(page: &Page) -> Vec<String> {
    let mut codes: Vec<String> = page
        .attribute_values("data-child-unit")
        .into_iter()
        .filter(|code| !code.is_empty())
        .collect();
    codes.sort();
    codes
}

/// The cells of a table row, as text.
fn row_cells(page: &Page, marker: &str) -> Vec<String> {
    let html = page
        .element_html(marker)
        .unwrap_or_else(|| panic!("no {marker} on the page"));
    html.replace("</td>", "\u{1}")
        .replace("</th>", "\u{1}")
        .split('\u{1}')
        .map(text_of)
        .filter(|text| !text.is_empty())
        .collect()
}

#[test]
fn bloc_figures_for_a_year_match_the_hand_computed_ones() {
    let (app, fx) = app_with_fixture();
    let client = app.signed_in(REV_A, PASSWORD);
    let page = client.get(&format!("/dashboard?year=2022&unit={}", fx.ka));
    assert_eq!(page.status, 200);

    // Bloc A, 2022: items 1–7 (item 8 is bloc B's, item 9 is 2023's).
    assert_eq!(figure(&page, "registered"), "7");
    assert_eq!(figure(&page, "in_progress"), "1"); // #3
    assert_eq!(figure(&page, "completed"), "4"); // #1, #2, #6, #7
    assert_eq!(figure(&page, "cancelled"), "1"); // #5
    assert_eq!(figure(&page, "not_started"), "1"); // #4
    assert_eq!(figure(&page, "awaiting_approval"), "1"); // #4
    assert_eq!(figure(&page, "awaiting_acceptance"), "0");
    // 4 / 7 = 57,14…% (the demo's 61/94 = 64,9% shows the rate is over all registered)
    assert_eq!(figure(&page, "completion_rate"), "57,1%");
    // 100.000.000 + 50.000.000 + 30.000.000 + 20.000.000 + 10.000.000 + 5.000.000 + 1.000.000
    assert_eq!(figure(&page, "estimated_cost"), "216.000.000 đ");
    // completed only: 120.000.000 + 45.500.000 + 7.250.000 + 1.000.000
    assert_eq!(figure(&page, "actual_value"), "173.750.000 đ");
    // 173,75 triệu rounds to 174 triệu, which is more than the amount.
    assert_eq!(figure(&page, "actual_value_headline"), "gần 174 triệu đồng");
    // Expected and active: C1, C1A, C1B, C2, M (X is inactive, N and the bloc are not
    // expected); registered: C1, C1A, C2 (a cancelled one still counts), M.
    assert_eq!(figure(&page, "coverage"), "4/5");
    assert_eq!(figure(&page, "coverage_rate"), "80,0%");
    assert_eq!(missing_units(&page), ["C1B"]);
    assert!(
        page.body.contains("Chi bộ Kế toán"),
        "the missing unit is named"
    );

    // One row per child that is active or has figures; X (inactive, nothing) is left out.
    assert_eq!(child_rows(&page), ["C1", "C2", "M", "N"]);
    let c1 = row_cells(&page, "data-child-unit=\"C1\"");
    // C1's subtree: #1, #2 (completed), #3 (in progress); 2 of 3 = 66,7%;
    // 120.000.000 + 45.500.000; expected C1, C1A, C1B of which C1, C1A registered.
    assert_eq!(
        c1,
        [
            "Đảng bộ Cải cách",
            "3",
            "1",
            "2",
            "66,7%",
            "165.500.000 đ",
            "2/3"
        ]
    );
    let c2 = row_cells(&page, "data-child-unit=\"C2\"");
    assert_eq!(c2, ["Chi bộ Sở Thử", "2", "0", "0", "0%", "0 đ", "1/1"]);
    let n = row_cells(&page, "data-child-unit=\"N\"");
    assert_eq!(
        n,
        ["Ban Đại diện", "1", "0", "1", "100%", "1.000.000 đ", "–"]
    );
    let link = format!("/dashboard?year=2022&amp;unit={}", fx.c1);
    let row = page.element_html("data-child-unit=\"C1\"").expect("C1 row");
    assert!(
        row.contains(&link) || row.contains(&link.replace("&amp;", "&")),
        "drill-down link in {row}"
    );

    // By field: professional = #1 and #6, both completed.
    let professional = row_cells(&page, "data-field=\"professional\"");
    assert_eq!(
        professional[1..],
        ["2", "2", "105.000.000 đ", "127.250.000 đ"]
    );
    let social = row_cells(&page, "data-field=\"social_welfare\"");
    assert_eq!(social[1..], ["1", "0", "30.000.000 đ", "0 đ"]);
    let sport = row_cells(&page, "data-field=\"other\"");
    assert_eq!(sport[1..], ["1", "1", "1.000.000 đ", "1.000.000 đ"]);
    assert_eq!(
        page.attribute_values("data-field").len(),
        6,
        "every field has a row"
    );
}

#[test]
fn drilling_down_into_a_child_shows_its_subtree() {
    let (app, fx) = app_with_fixture();
    let client = app.signed_in(REV_A, PASSWORD);
    let page = client.get(&format!("/dashboard?year=2022&unit={}", fx.c1));
    assert_eq!(page.status, 200);
    assert_eq!(figure(&page, "registered"), "3");
    assert_eq!(figure(&page, "completed"), "2");
    assert_eq!(figure(&page, "in_progress"), "1");
    assert_eq!(figure(&page, "cancelled"), "0");
    assert_eq!(figure(&page, "completion_rate"), "66,7%"); // 2 / 3
    assert_eq!(figure(&page, "estimated_cost"), "180.000.000 đ"); // 100 + 50 + 30 triệu
    assert_eq!(figure(&page, "actual_value"), "165.500.000 đ"); // 120 + 45,5 triệu
    assert_eq!(figure(&page, "coverage"), "2/3");
    assert_eq!(figure(&page, "coverage_rate"), "66,7%");
    assert_eq!(missing_units(&page), ["C1B"]);
    assert_eq!(child_rows(&page), ["C1A", "C1B"]);
    assert_eq!(
        row_cells(&page, "data-child-unit=\"C1A\"")[1..],
        ["2", "1", "1", "50,0%", "45.500.000 đ", "1/1"]
    );
    assert_eq!(
        row_cells(&page, "data-child-unit=\"C1B\"")[1..],
        ["0", "0", "0", "0%", "0 đ", "0/1"]
    );
    // The breadcrumb leads back up to the reviewer's bloc, not above it.
    assert!(
        page.body.contains(&format!("unit={}\"", fx.ka)),
        "link back to the bloc"
    );
    assert!(
        !page.body.contains("Tỉnh ủy Thử nghiệm"),
        "nothing above the scope is shown"
    );

    // A leaf unit.
    let page = client.get(&format!("/dashboard?year=2022&unit={}", fx.m));
    assert_eq!(figure(&page, "registered"), "1");
    assert_eq!(figure(&page, "actual_value"), "7.250.000 đ");
    assert_eq!(figure(&page, "coverage"), "1/1");
    assert_eq!(figure(&page, "coverage_rate"), "100%");
    assert!(missing_units(&page).is_empty());
}

#[test]
fn other_years_and_a_year_with_nothing() {
    let (app, fx) = app_with_fixture();
    let client = app.signed_in(REV_A, PASSWORD);

    let page = client.get(&format!("/dashboard?year=2023&unit={}", fx.ka));
    assert_eq!(figure(&page, "registered"), "1");
    assert_eq!(figure(&page, "in_progress"), "1");
    assert_eq!(figure(&page, "completed"), "0");
    assert_eq!(figure(&page, "estimated_cost"), "3.000.000 đ");
    assert_eq!(figure(&page, "coverage"), "1/5");
    assert_eq!(missing_units(&page), ["C1", "C1A", "C1B", "M"]);

    let page = client.get(&format!("/dashboard?year=2024&unit={}", fx.ka));
    assert_eq!(page.status, 200);
    for name in [
        "registered",
        "in_progress",
        "completed",
        "cancelled",
        "not_started",
    ] {
        assert_eq!(figure(&page, name), "0", "{name}");
    }
    assert_eq!(figure(&page, "completion_rate"), "0%");
    assert_eq!(figure(&page, "estimated_cost"), "0 đ");
    assert_eq!(figure(&page, "actual_value"), "0 đ");
    assert_eq!(figure(&page, "coverage"), "0/5");
    assert_eq!(figure(&page, "coverage_rate"), "0%");
    assert_eq!(missing_units(&page), ["C1", "C1A", "C1B", "C2", "M"]);

    // The other bloc's figures, seen by its reviewer, do not include this bloc's.
    let other = app.signed_in(REV_B, PASSWORD);
    let page = other.get("/dashboard?year=2022");
    assert_eq!(figure(&page, "registered"), "1");
    assert_eq!(figure(&page, "actual_value"), "888.000.000 đ");
    assert_eq!(figure(&page, "actual_value_headline"), "888 triệu đồng");
    assert_eq!(figure(&page, "coverage"), "1/1");
    assert_eq!(figure(&page, "coverage_rate"), "100%");

    // The admin sees the province: both blocs together.
    let admin = app.signed_in(ADMIN, PASSWORD);
    let page = admin.get(&format!("/dashboard?year=2022&unit={}", fx.tu));
    assert_eq!(figure(&page, "registered"), "8");
    // 173.750.000 + 888.000.000
    assert_eq!(figure(&page, "actual_value"), "1.061.750.000 đ");
    assert_eq!(figure(&page, "coverage"), "5/6");
    assert_eq!(child_rows(&page), ["KA", "KB"]);
}

#[test]
fn the_dashboard_follows_changes_made_through_the_forms() {
    let (app, fx) = app_with_fixture();
    let reviewer = app.signed_in(REV_A, PASSWORD);
    let secretary = app.signed_in(SEC_C1, PASSWORD);
    // C1B registers its first initiative: coverage becomes complete.
    let page = secretary.post_form_csrf("/initiatives", &pairs(&initiative_form(fx.c1b)));
    assert_eq!(page.status, 303, "{}", page.body);
    let page = reviewer.get(&format!("/dashboard?year=2022&unit={}", fx.ka));
    assert_eq!(figure(&page, "registered"), "8");
    assert_eq!(figure(&page, "not_started"), "2");
    assert_eq!(figure(&page, "coverage"), "5/5");
    assert_eq!(figure(&page, "coverage_rate"), "100%");
    assert!(missing_units(&page).is_empty());
    assert_eq!(figure(&page, "awaiting_approval"), "2"); // #4 and the new one

    // #3 cannot be marked completed in the edit form: completed is what acceptance makes.
    let id = fx.item(3);
    let before = snapshot(&app);
    let form = edit_form_of(&app, id);
    let form = with(
        with(
            with(form, "status", "completed"),
            "completion_date",
            "30/11/2022",
        ),
        "actual_value_vnd",
        "4.500.000",
    );
    let page = secretary.post_form_csrf(&format!("/initiatives/{id}"), &pairs(&form));
    assert_eq!(page.status, 422, "{}", page.body);
    assert_eq!(page.field_errors(), ["status"]);
    assert_eq!(snapshot(&app), before);

    // Reported with 4.500.000 đ and a record: it waits for acceptance, not yet completed.
    let page = secretary.post_multipart_csrf(
        &format!("/initiatives/{id}/report"),
        &report_parts(
            "4.500.000",
            "30/11/2022",
            "Trao 30 suất học bổng.",
            &[pdf_part("bien-ban.pdf")],
        ),
    );
    assert_eq!(page.status, 303, "{}", page.body);
    let page = reviewer.get(&format!("/dashboard?year=2022&unit={}", fx.ka));
    assert_eq!(figure(&page, "completed"), "4");
    assert_eq!(figure(&page, "in_progress"), "1");
    assert_eq!(figure(&page, "awaiting_acceptance"), "1");
    assert_eq!(figure(&page, "actual_value"), "173.750.000 đ");

    // Accepted: actual value 173.750.000 + 4.500.000.
    let page = reviewer.post_form_csrf(&format!("/initiatives/{id}/accept"), &[]);
    assert_eq!(page.status, 303, "{}", page.body);
    let page = reviewer.get(&format!("/dashboard?year=2022&unit={}", fx.ka));
    assert_eq!(figure(&page, "completed"), "5");
    assert_eq!(figure(&page, "in_progress"), "0");
    assert_eq!(figure(&page, "awaiting_acceptance"), "0");
    assert_eq!(figure(&page, "actual_value"), "178.250.000 đ");
    assert_eq!(figure(&page, "completion_rate"), "62,5%"); // 5 / 8
}

#[derive(diesel::QueryableByName)]
struct Setting {
    #[diesel(sql_type = diesel::sql_types::Text)]
    value: String,
}

/// The dashboard reads its figures through `store::read_snapshot`: one READ ONLY,
/// REPEATABLE READ transaction, so a total and its parts come from the same moment and
/// a registration committed between two reads cannot make them disagree.
#[test]
fn reads_in_one_snapshot_see_one_moment_and_cannot_write() {
    use diesel::prelude::*;
    let app = TestApp::spawn();
    let mut conn = app.db();
    let mut other = app.db();
    let seen: Result<(String, String, i64, i64), diesel::result::Error> =
        lamtheobac::store::read_snapshot(&mut conn, |conn| {
            let show = |conn: &mut PgConnection, name: &str| {
                diesel::sql_query(format!("SELECT current_setting('{name}') AS value"))
                    .get_result::<Setting>(conn)
                    .map(|setting| setting.value)
            };
            let isolation = show(conn, "transaction_isolation")?;
            let read_only = show(conn, "transaction_read_only")?;
            let count = |conn: &mut PgConnection| {
                diesel::sql_query("SELECT count(*)::text AS value FROM units")
                    .get_result::<Setting>(conn)
                    .map(|setting| setting.value.parse::<i64>().unwrap_or(-1))
            };
            let first = count(conn)?;
            // Another connection commits a new unit between the two reads.
            diesel::sql_query(
                "INSERT INTO units (code, name, kind, path, expected_to_register, active) \
                 VALUES ('SNAP', 'Đơn vị chụp', 'province_committee', '1', false, true)",
            )
            .execute(&mut other)?;
            let second = count(conn)?;
            Ok((isolation, read_only, first, second))
        });
    let (isolation, read_only, first, second) = seen.expect("the snapshot reads");
    assert_eq!(isolation, "repeatable read");
    assert_eq!(read_only, "on");
    assert_eq!(
        first, second,
        "the second read saw the other connection's commit"
    );
    let write: Result<usize, diesel::result::Error> =
        lamtheobac::store::read_snapshot(&mut conn, |conn| {
            diesel::sql_query("DELETE FROM units").execute(conn)
        });
    assert!(write.is_err(), "a write inside the snapshot went through");
}

/// The child rows in page order (not sorted by the test).
fn child_rows_in_order(page: &Page) -> Vec<String> {
    page.attribute_values("data-child-unit")
        .into_iter()
        .filter(|code| !code.is_empty())
        .collect()
}

#[test]
fn the_headline_keeps_the_coverage_of_a_year_not_fully_registered() {
    let (app, fx) = app_with_fixture();
    let client = app.signed_in(REV_A, PASSWORD);
    // Bloc A, 2022: 4 of its 5 expected units registered.
    let page = client.get(&format!("/dashboard?year=2022&unit={}", fx.ka));
    let summary = figure(&page, "summary");
    assert!(
        summary.starts_with(
            "Năm 2022, 4/5 tổ chức đảng, đơn vị trực thuộc (80,0%) đăng ký 7 mô hình, công trình"
        ),
        "{summary}"
    );
    // A unit whose every expected unit registered keeps the report's "100%".
    let page = client.get(&format!("/dashboard?year=2022&unit={}", fx.m));
    let summary = figure(&page, "summary");
    assert!(
        summary.starts_with("Năm 2022, 100% tổ chức đảng, đơn vị trực thuộc đăng ký 1 "),
        "{summary}"
    );
}

#[test]
fn the_child_table_sorts_by_any_column_with_links_in_its_headers() {
    let (app, fx) = app_with_fixture();
    let client = app.signed_in(REV_A, PASSWORD);
    let base = format!("/dashboard?year=2022&unit={}", fx.ka);
    // The units' own order (by kind, then name) when nothing is asked for.
    let page = client.get(&base);
    assert_eq!(child_rows_in_order(&page), ["C1", "N", "C2", "M"]);
    assert_eq!(
        page.attribute_values("aria-sort"),
        ["none"; 7],
        "every header says it is not sorted"
    );
    // C1 3 registered, C2 2, M 1, N 1 (ties keep the units' order).
    let by = |sort: &str, dir: &str| {
        let page = client.get(&format!("{base}&sort={sort}&dir={dir}"));
        assert_eq!(page.status, 200, "{sort} {dir}");
        page
    };
    assert_eq!(
        child_rows_in_order(&by("registered", "desc")),
        ["C1", "C2", "N", "M"]
    );
    assert_eq!(
        child_rows_in_order(&by("registered", "asc")),
        ["N", "M", "C2", "C1"]
    );
    // Rates: C1 66,7%, C2 0%, M 100%, N 100%.
    let page = by("rate", "desc");
    assert_eq!(child_rows_in_order(&page), ["N", "M", "C1", "C2"]);
    let rate_header = page
        .element_html("data-sort-column=\"rate\"")
        .expect("rate header");
    assert!(
        rate_header.contains("aria-sort=\"descending\""),
        "{rate_header}"
    );
    // Its link turns the order round; the others sort largest first.
    assert!(
        rate_header.contains("sort=rate&amp;dir=asc"),
        "{rate_header}"
    );
    let value_header = page
        .element_html("data-sort-column=\"value\"")
        .expect("value header");
    assert!(
        value_header.contains("aria-sort=\"none\""),
        "{value_header}"
    );
    assert!(
        value_header.contains("sort=value&amp;dir=desc"),
        "{value_header}"
    );
    // A sorted table is shown open.
    assert!(page.body.contains("data-disclosure=\"children\" open"));
    // Value: C1 165,5 triệu, M 7,25 triệu, N 1 triệu, C2 0.
    assert_eq!(
        child_rows_in_order(&by("value", "desc")),
        ["C1", "M", "N", "C2"]
    );
    // Names in Vietnamese alphabetical order, diacritics folded: Ban, Chi, Đảng, Đoàn.
    assert_eq!(
        child_rows_in_order(&by("unit", "asc")),
        ["N", "C2", "C1", "M"]
    );
    // Coverage: C2 1/1 and M 1/1, then C1 2/3, then N with nothing expected.
    assert_eq!(
        child_rows_in_order(&by("coverage", "desc")),
        ["C2", "M", "C1", "N"]
    );
    for bad in ["sort=title", "sort=rate&dir=up", "sort=%27%3B"] {
        let page = client.get(&format!("{base}&{bad}"));
        assert_eq!(page.status, 400, "{bad}");
        assert!(page.body.contains("Yêu cầu không hợp lệ."), "{bad}");
    }
}

#[test]
fn follow_up_lists_show_five_and_lead_to_the_whole_list() {
    let (app, fx) = app_with_fixture();
    let admin = app.signed_in(ADMIN, PASSWORD);
    // 2024: nobody registered; the province expects six units (five in bloc A, B1).
    let page = admin.get(&format!("/dashboard?year=2024&unit={}", fx.tu));
    assert_eq!(figure(&page, "missing_units"), "6");
    assert_eq!(page.attribute_values("data-missing-unit").len(), 5);
    let see_all = page
        .text_at("[data-see-all=\"missing\"]")
        .expect("Xem tất cả");
    assert_eq!(see_all, "Xem tất cả (6)");
    let link = format!("/dashboard/follow-up/missing?year=2024&amp;unit={}", fx.tu);
    assert!(page.body.contains(&link), "link to the whole list");

    let full = admin.get(&link.replace("&amp;", "&"));
    assert_eq!(full.status, 200);
    assert!(full.body.contains("Đơn vị chưa đăng ký năm 2024"));
    let mut codes = full.attribute_values("data-missing-unit");
    codes.sort();
    assert_eq!(codes, ["B1", "C1", "C1A", "C1B", "C2", "M"]);
    // One page holds them all; a page past the end is not found, a bad one refused.
    assert!(full.page_link("next").is_none());
    let past = admin.get(&format!(
        "/dashboard/follow-up/missing?year=2024&unit={}&page=2",
        fx.tu
    ));
    assert_eq!(past.status, 404);
    for bad in ["page=abc", "page=0", "page=-1"] {
        let page = admin.get(&format!(
            "/dashboard/follow-up/missing?year=2024&unit={}&{bad}",
            fx.tu
        ));
        assert_eq!(page.status, 400, "{bad}");
    }
    assert_eq!(admin.get("/dashboard/follow-up/everything").status, 404);

    // Five or fewer: all listed, no link.
    let reviewer = app.signed_in(REV_A, PASSWORD);
    let page = reviewer.get(&format!("/dashboard?year=2024&unit={}", fx.ka));
    assert_eq!(page.attribute_values("data-missing-unit").len(), 5);
    assert!(!page.body.contains("data-see-all"));
    // The whole list keeps to the reviewer's scope: bloc B's unit is not theirs.
    let page = reviewer.get(&format!(
        "/dashboard/follow-up/missing?year=2024&unit={}",
        fx.kb
    ));
    assert_eq!(page.status, 404);
    assert!(!page.body.contains("data-missing-unit"));
    let page = reviewer.get(&format!(
        "/dashboard/follow-up/missing?year=2024&unit={}",
        fx.ka
    ));
    assert_eq!(page.attribute_values("data-missing-unit").len(), 5);
}

#[test]
fn a_cell_does_not_list_itself_as_its_only_child() {
    let (app, fx) = app_with_fixture();
    let client = app.signed_in(REV_A, PASSWORD);
    // M has no children: its figures are the page's own.
    let page = client.get(&format!("/dashboard?year=2022&unit={}", fx.m));
    assert_eq!(figure(&page, "registered"), "1");
    assert!(page.attribute_values("data-child-unit").is_empty());
    assert!(!page.body.contains("Theo đơn vị trực thuộc"));
    assert!(!page.body.contains("Trực tiếp tại"));
    // A unit with children still shows what it registered itself beside them.
    let page = client.get(&format!("/dashboard?year=2022&unit={}", fx.c1));
    assert!(page.body.contains("Trực tiếp tại Đảng bộ Cải cách"));
}
