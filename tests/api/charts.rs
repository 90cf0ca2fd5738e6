//! The dashboard's charts, its comparison with the previous year and the year
//! selectors, against the hand-built fixture (see `helpers::Fixture`): bloc A has seven
//! initiatives in 2022 (four completed, 173.750.000 đ) and one in 2023 (in progress).

use lamtheobac::domain::workflow::Step;
use lamtheobac::domain::{Field, Status, UnitKind};

use crate::helpers::*;

/// A piece of a page, to search inside it with the `Page` helpers.
fn fragment(html: String) -> Page {
    Page {
        status: 200,
        location: None,
        content_type: "text/html".to_owned(),
        headers: Vec::new(),
        body: html,
    }
}

/// The block of the page that holds the chart `name` (`data-chart="NAME"`).
fn chart_block(page: &Page, name: &str) -> Page {
    let html = page
        .element_html(&format!("data-chart=\"{name}\""))
        .unwrap_or_else(|| panic!("no chart {name} on the page: {}", page.body));
    fragment(html)
}

/// The cells of the row carrying `marker`, as text.
fn cells(page: &Page, marker: &str) -> Vec<String> {
    let html = page
        .element_html(marker)
        .unwrap_or_else(|| panic!("no {marker} in {}", page.body));
    html.replace("</td>", "\u{1}")
        .replace("</th>", "\u{1}")
        .split('\u{1}')
        .map(text_of)
        .filter(|text| !text.is_empty())
        .collect()
}

fn figure(page: &Page, name: &str) -> String {
    page.figure(name)
        .unwrap_or_else(|| panic!("no data-figure=\"{name}\" on the page"))
}

/// The SVG named by the heading `title_id`: it must be an image labelled by a heading
/// on the page whose text is `title`, and it is returned as HTML.
fn svg_titled(page: &Page, title_id: &str, title: &str) -> String {
    let svg = page
        .element_html(&format!("data-svg=\"{title_id}\""))
        .unwrap_or_else(|| panic!("no SVG for {title_id}"));
    assert!(svg.starts_with("<svg"), "{svg}");
    assert!(svg.contains("role=\"img\""), "{svg}");
    assert!(
        svg.contains(&format!("aria-labelledby=\"{title_id}\"")),
        "{svg}"
    );
    assert!(svg.contains("viewBox=\"0 0 360 "), "{svg}");
    assert!(svg.contains("width=\"100%\""), "{svg}");
    let heading = page
        .element_html(&format!("id=\"{title_id}\""))
        .unwrap_or_else(|| panic!("no element with id {title_id}"));
    assert!(heading.starts_with("<h"), "a visible heading: {heading}");
    assert_eq!(text_of(&heading), title);
    svg
}

/// The texts written in an SVG (its `<text>` elements), in order.
fn svg_texts(svg: &str) -> Vec<String> {
    svg.split("<text")
        .skip(1)
        .filter_map(|rest| {
            let start = rest.find('>')? + 1;
            let end = rest.find("</text>")?;
            Some(text_of(&rest[start..end]))
        })
        .collect()
}

fn dashboard(client: &Client, year: i32, unit: i32) -> Page {
    let page = client.get(&format!("/dashboard?year={year}&unit={unit}"));
    assert_eq!(page.status, 200, "{}", page.body);
    page
}

#[test]
fn the_status_chart_matches_the_dashboard_figures() {
    let (app, fx) = app_with_fixture();
    let page = dashboard(&app.signed_in(REV_A, PASSWORD), 2022, fx.ka);
    let block = chart_block(&page, "status");
    let svg = svg_titled(&page, "status-title", "Tình trạng thực hiện năm 2022");
    // One shape per status that has initiatives, each with a tooltip.
    assert_eq!(svg.matches("<rect").count(), 4, "{svg}");
    assert!(
        svg.contains("<title>Hoàn thành: 4 (57,1%)</title>"),
        "{svg}"
    );
    // The completed segment is 4/7 of the 360 units.
    assert!(svg.contains("width=\"205.7\""), "{svg}");

    // The table behind it: a caption, row headers, and the dashboard's own figures.
    let table = block
        .element_html("class=\"figures-table\"")
        .expect("a table behind the chart");
    assert!(table.contains("<caption>Tình trạng thực hiện năm 2022 – Đảng ủy Khối A</caption>"));
    assert!(table.contains("<th scope=\"col\">Tình trạng</th>"));
    assert!(block.body.contains("<summary>Xem bảng số liệu</summary>"));
    for (key, label, figure_name, share) in [
        ("completed", "Hoàn thành", "completed", "57,1%"),
        ("in_progress", "Đang thực hiện", "in_progress", "14,3%"),
        ("not_started", "Chưa bắt đầu", "not_started", "14,3%"),
        ("cancelled", "Không thực hiện", "cancelled", "14,3%"),
    ] {
        let row = cells(&block, &format!("data-chart-row=\"{key}\""));
        assert_eq!(row, [label, &figure(&page, figure_name), share], "{key}");
    }
    let total = cells(&block, "data-chart-row=\"total\"");
    assert_eq!(total[1], figure(&page, "registered"));
    assert_eq!(total[1], "7");
    // The review steps, which cut across the statuses, are written under the chart.
    assert!(
        text_of(&block.body)
            .contains("Trong đó chờ duyệt đăng ký: 1; đã báo cáo, chờ nghiệm thu: 0"),
        "{}",
        block.body
    );
}

#[test]
fn the_completion_chart_has_one_bar_per_child_with_its_rate() {
    let (app, fx) = app_with_fixture();
    let page = dashboard(&app.signed_in(REV_A, PASSWORD), 2022, fx.ka);
    let block = chart_block(&page, "completion");
    let svg = svg_titled(
        &page,
        "completion-title",
        "Tỷ lệ hoàn thành năm 2022 theo đơn vị trực thuộc",
    );
    // Name, then rate, for each child, ranked by the rate it charts, highest first
    // (the two at 100% in the table's order; X, inactive and empty, is left out, as in
    // the table).
    assert_eq!(
        svg_texts(&svg),
        [
            "Ban Đại diện",
            "100%",
            "Đoàn Thanh niên Khối A",
            "100%",
            "Đảng bộ Cải cách",
            "66,7%",
            "Chi bộ Sở Thử",
            "0%",
        ]
    );
    for (code, row) in [
        ("C1", ["Đảng bộ Cải cách", "2", "3", "66,7%"]),
        ("C2", ["Chi bộ Sở Thử", "0", "2", "0%"]),
        ("M", ["Đoàn Thanh niên Khối A", "1", "1", "100%"]),
        ("N", ["Ban Đại diện", "1", "1", "100%"]),
    ] {
        assert_eq!(cells(&block, &format!("data-chart-row=\"{code}\"")), row);
        // The same rate as the drill-down table below it.
        let drill_down = cells(&page, &format!("data-child-unit=\"{code}\""));
        assert_eq!(drill_down[4], row[3], "{code}");
    }

    // Inside C1: C1 itself did 1 of 1, C1A 1 of 2, C1B registered nothing (last).
    let page = dashboard(&app.signed_in(REV_A, PASSWORD), 2022, fx.c1);
    let svg = svg_titled(
        &page,
        "completion-title",
        "Tỷ lệ hoàn thành năm 2022 theo đơn vị trực thuộc",
    );
    assert_eq!(
        svg_texts(&svg),
        [
            "Trực tiếp tại Đảng bộ Cải cách",
            "100%",
            "Chi bộ Văn phòng",
            "50,0%",
            "Chi bộ Kế toán",
            "chưa đăng ký"
        ]
    );

    // A unit without children has no chart by child.
    let page = dashboard(&app.signed_in(REV_A, PASSWORD), 2022, fx.m);
    assert!(page.element_html("data-chart=\"completion\"").is_none());
}

#[test]
fn the_field_chart_shows_registrations_and_value_per_field() {
    let (app, fx) = app_with_fixture();
    let page = dashboard(&app.signed_in(REV_A, PASSWORD), 2022, fx.ka);
    let block = chart_block(&page, "fields");
    let svg = svg_titled(
        &page,
        "fields-chart-title",
        "Số đăng ký và giá trị thực hiện năm 2022 theo lĩnh vực",
    );
    let texts = svg_texts(&svg);
    assert_eq!(
        texts.len(),
        6 * 3,
        "a name and two figures per field: {texts:?}"
    );
    assert_eq!(texts[..3], ["Chuyên môn, nghiệp vụ", "2", "127,25 triệu"]);
    assert_eq!(texts[3..6], ["Cải cách hành chính", "1", "45,5 triệu"]);
    assert_eq!(
        texts[9..12],
        ["Văn hóa công sở \"sáng – xanh – sạch – đẹp\"", "1", "0 đ"]
    );
    for (field, registered, value) in [
        ("professional", "2", "127.250.000 đ"),
        ("admin_reform", "1", "45.500.000 đ"),
        ("serving_people", "1", "0 đ"),
        ("cultural_office", "1", "0 đ"),
        ("social_welfare", "1", "0 đ"),
        ("other", "1", "1.000.000 đ"),
    ] {
        let row = cells(&block, &format!("data-chart-row=\"{field}\""));
        assert_eq!(row[1..], [registered, value], "{field}");
        // The same figures as the table by field.
        let table = cells(&page, &format!("data-field=\"{field}\""));
        assert_eq!((table[1].as_str(), table[4].as_str()), (registered, value));
    }
}

#[test]
fn the_trend_covers_the_years_with_data_up_to_the_selected_one() {
    let (app, fx) = app_with_fixture();
    let client = app.signed_in(REV_A, PASSWORD);
    let page = dashboard(&client, 2023, fx.ka);
    let block = chart_block(&page, "trend");
    assert_eq!(
        text_of(&page.element_html("id=\"trend-title\"").unwrap_or_default()),
        "Qua các năm 2022–2023"
    );
    let counts = svg_titled(
        &page,
        "trend-counts-title",
        "Số mô hình, công trình đăng ký và hoàn thành",
    );
    // Axis 0–8 by 2, then per year the registered and completed columns and the year.
    assert_eq!(
        svg_texts(&counts),
        ["0", "2", "4", "6", "8", "7", "4", "2022", "1", "0", "2023"]
    );
    let value = svg_titled(
        &page,
        "trend-value-title",
        "Giá trị thực hiện (đã hoàn thành)",
    );
    let texts = svg_texts(&value);
    assert!(texts.ends_with(&[
        "173,75 triệu".to_owned(),
        "2022".to_owned(),
        "0 đ".to_owned(),
        "2023".to_owned()
    ]));
    assert_eq!(texts[0], "0", "the value axis starts at zero: {texts:?}");

    assert_eq!(block.attribute_values("data-trend-year"), ["2022", "2023"]);
    assert_eq!(
        cells(&block, "data-trend-year=\"2022\""),
        ["2022", "7", "4", "57,1%", "173.750.000 đ", "4/5"]
    );
    assert_eq!(
        cells(&block, "data-trend-year=\"2023\""),
        [
            "2023",
            &figure(&page, "registered"),
            &figure(&page, "completed"),
            "0%",
            &figure(&page, "actual_value"),
            &figure(&page, "coverage")
        ]
    );

    // For 2022 the trend starts at 2022: nothing earlier has data.
    let page = dashboard(&client, 2022, fx.ka);
    let block = chart_block(&page, "trend");
    assert_eq!(block.attribute_values("data-trend-year"), ["2022"]);
    assert!(text_of(&block.body).contains("Chưa có số liệu các năm trước 2022."));

    // A later year without data comes after the years with data, as zeros.
    let page = dashboard(&client, 2025, fx.ka);
    let block = chart_block(&page, "trend");
    assert_eq!(
        block.attribute_values("data-trend-year"),
        ["2022", "2023", "2024", "2025"]
    );
    assert_eq!(
        cells(&block, "data-trend-year=\"2024\""),
        ["2024", "0", "0", "0%", "0 đ", "0/5"]
    );
}

#[test]
fn the_trend_shows_at_most_five_years() {
    let (app, fx) = app_with_fixture();
    {
        let mut conn = app.db();
        create_initiative(
            &mut conn,
            fx.sec_c2,
            Spec {
                unit_id: fx.c2,
                year: 2015,
                title: "Hộp thư góp ý",
                field: Field::ServingPeople,
                status: Status::Registered,
                estimated: 1_000_000,
                actual: None,
            },
        );
    }
    let page = dashboard(&app.signed_in(REV_A, PASSWORD), 2023, fx.ka);
    let block = chart_block(&page, "trend");
    assert_eq!(
        block.attribute_values("data-trend-year"),
        ["2019", "2020", "2021", "2022", "2023"]
    );
    // 2022 is in the selector; 2015 too, since it has data.
    let years = page.attribute_values("value");
    assert!(years.contains(&"2015".to_owned()), "{years:?}");
}

#[test]
fn the_comparison_shows_the_change_from_the_previous_year() {
    let (app, fx) = app_with_fixture();
    let client = app.signed_in(REV_A, PASSWORD);

    // 2023 against 2022: everything fell.
    let page = dashboard(&client, 2023, fx.ka);
    assert_eq!(
        text_of(
            &page
                .element_html("id=\"comparison-title\"")
                .unwrap_or_default()
        ),
        "So với năm 2022"
    );
    let table = page.element_html("data-comparison").expect("a comparison");
    assert!(table.contains("<th scope=\"col\" class=\"num\">Năm 2022</th>"));
    assert!(table.contains("<th scope=\"col\" class=\"num\">Năm 2023</th>"));
    let row = |key: &str| cells(&page, &format!("data-comparison-row=\"{key}\""));
    assert_eq!(
        row("registered"),
        ["Mô hình, công trình đăng ký", "7", "1", "giảm 6 (85,7%)"]
    );
    assert_eq!(row("completed")[1..], ["4", "0", "giảm 4 (100%)"]);
    assert_eq!(
        row("value")[1..],
        ["173.750.000 đ", "0 đ", "giảm 173,75 triệu đồng (100%)"]
    );
    assert_eq!(
        row("coverage")[1..],
        [
            "4/5 (80,0%)",
            "1/5 (20,0%)",
            "giảm 3 đơn vị (60,0 điểm phần trăm)"
        ]
    );
    // The current column shows the dashboard's own figures.
    assert_eq!(row("registered")[2], figure(&page, "registered"));
    assert_eq!(row("value")[2], figure(&page, "actual_value"));

    // 2022 against 2021, which has no data: dashes, and a sentence saying why.
    let page = dashboard(&client, 2022, fx.ka);
    for key in ["registered", "completed", "value", "coverage"] {
        let cells = cells(&page, &format!("data-comparison-row=\"{key}\""));
        assert_eq!(cells[1], "—", "{key}");
        assert_eq!(cells[3], "—", "{key}");
    }
    assert_eq!(cells(&page, "data-comparison-row=\"registered\"")[2], "7");
    assert!(page.element_html("data-no-previous").is_some());
}

#[test]
fn the_comparison_shows_increases_and_no_change() {
    let (app, fx) = app_with_fixture();
    {
        // 2021: C2 completed one work worth exactly what bloc A delivered in 2022.
        let mut conn = app.db();
        let conn = &mut conn;
        let id = create_initiative(
            conn,
            fx.sec_c2,
            Spec {
                unit_id: fx.c2,
                year: 2021,
                title: "Sửa nhà văn hóa thôn",
                field: Field::SocialWelfare,
                status: Status::InProgress,
                estimated: 150_000_000,
                actual: None,
            },
        );
        take_step(conn, fx.rev_a, id, Step::Approve, StepExtras::default());
        let evidence = [stored_evidence(&app, "bien-ban.pdf", SAMPLE_PDF)];
        complete_through_workflow(
            conn,
            id,
            fx.sec_c2,
            fx.rev_a,
            173_750_000,
            date(2021, 11, 15),
            &evidence,
        );
    }
    let page = dashboard(&app.signed_in(REV_A, PASSWORD), 2022, fx.ka);
    let row = |key: &str| cells(&page, &format!("data-comparison-row=\"{key}\""));
    assert_eq!(row("registered")[1..], ["1", "7", "tăng 6 (600,0%)"]);
    assert_eq!(row("completed")[1..], ["1", "4", "tăng 3 (300,0%)"]);
    assert_eq!(
        row("value")[1..],
        ["173.750.000 đ", "173.750.000 đ", "không đổi"]
    );
    assert_eq!(
        row("coverage")[1..],
        [
            "1/5 (20,0%)",
            "4/5 (80,0%)",
            "tăng 3 đơn vị (60,0 điểm phần trăm)"
        ]
    );
    assert!(page.element_html("data-no-previous").is_none());
    // The trend now starts in 2021.
    let block = chart_block(&page, "trend");
    assert_eq!(block.attribute_values("data-trend-year"), ["2021", "2022"]);
}

#[test]
fn a_year_without_data_shows_messages_instead_of_charts() {
    let (app, fx) = app_with_fixture();
    let client = app.signed_in(REV_A, PASSWORD);
    let page = dashboard(&client, 2024, fx.ka);
    let message = page
        .element_html("data-no-chart=\"status\"")
        .expect("a message instead of the status chart");
    assert_eq!(
        text_of(&message),
        "Năm 2024 chưa có mô hình, công trình nào được đăng ký nên chưa có biểu đồ."
    );
    for absent in [
        "data-svg=\"status-title\"",
        "data-chart=\"completion\"",
        "data-chart=\"fields\"",
    ] {
        assert!(page.element_html(absent).is_none(), "{absent} is drawn");
    }
    // The trend still shows the earlier years (2024 as zeros), and no shape is drawn
    // with a size that is not a number.
    assert!(
        page.element_html("data-svg=\"trend-counts-title\"")
            .is_some()
    );
    assert!(!page.body.contains("NaN") && !page.body.contains("inf\""));

    // A unit that never registered anything: no SVG at all, a message for each.
    let page = dashboard(&client, 2024, fx.c1b);
    assert!(!page.body.contains("<svg"), "{}", page.body);
    assert!(page.element_html("data-no-chart=\"status\"").is_some());
    let trend = page
        .element_html("data-no-chart=\"trend\"")
        .expect("a message instead of the trend");
    assert_eq!(
        text_of(&trend),
        "Chưa có mô hình, công trình nào được đăng ký trong các năm 2022–2024."
    );
}

#[test]
fn a_unit_outside_the_scope_is_still_not_found() {
    let (app, fx) = app_with_fixture();
    let reviewer_b = app.signed_in(REV_B, PASSWORD);
    for path in [
        format!("/dashboard?year=2022&unit={}", fx.ka),
        format!("/dashboard?year=2023&unit={}", fx.c2),
        format!("/dashboard?unit={}", fx.tu),
    ] {
        let page = reviewer_b.get(&path);
        assert_eq!(page.status, 404, "{path}");
        assert!(!page.body.contains("<svg"), "{path}");
        assert!(!page.body.contains("Chi bộ Sở Thử"), "{path}");
    }
    let secretary = app.signed_in(SEC_C2, PASSWORD);
    let page = secretary.get(&format!("/dashboard?year=2022&unit={}", fx.c1));
    assert_eq!(page.status, 404);
    // The secretary's own unit works, with its charts.
    let page = dashboard(&secretary, 2022, fx.c2);
    assert!(page.element_html("data-svg=\"status-title\"").is_some());
}

#[test]
fn names_are_escaped_and_long_ones_cut_with_the_full_name_kept() {
    let (app, fx) = app_with_fixture();
    let name = "Chi bộ <b>Trung tâm</b> & \"Phục vụ hành chính công\" tỉnh Lạng Sơn nhiệm kỳ mới";
    {
        let mut conn = app.db();
        let conn = &mut conn;
        let unit = create_unit(
            conn,
            "LONG",
            name,
            UnitKind::GrassrootsCell,
            Some(fx.ka),
            true,
        );
        let id = create_initiative(
            conn,
            fx.admin,
            Spec {
                unit_id: unit,
                year: 2022,
                title: "Nhà đại đoàn kết",
                field: Field::SocialWelfare,
                status: Status::InProgress,
                estimated: 6_500_000_000,
                actual: None,
            },
        );
        take_step(conn, fx.rev_a, id, Step::Approve, StepExtras::default());
        let evidence = [stored_evidence(&app, "bien-ban.pdf", SAMPLE_PDF)];
        complete_through_workflow(
            conn,
            id,
            fx.admin,
            fx.rev_a,
            6_012_500_000,
            date(2022, 11, 15),
            &evidence,
        );
    }
    let page = dashboard(&app.signed_in(REV_A, PASSWORD), 2022, fx.ka);
    assert!(!page.body.contains("<b>Trung"), "the name is escaped");
    let svg = svg_titled(
        &page,
        "completion-title",
        "Tỷ lệ hoàn thành năm 2022 theo đơn vị trực thuộc",
    );
    let escaped = escape(name);
    assert!(
        svg.contains(&format!("<title>{escaped}</title>")),
        "the full name is the tooltip: {svg}"
    );
    let shown = svg_texts(&svg)
        .into_iter()
        .find(|text| text.starts_with("Chi bộ <b>Trung"))
        .expect("the unit has a bar");
    assert!(shown.ends_with('…'), "{shown}");
    assert!(shown.chars().count() <= 46, "{shown}");
    assert!(name.starts_with(shown.trim_end_matches('…')));

    // Six billion đồng in the field chart and the trend, the Vietnamese way.
    let fields = svg_titled(
        &page,
        "fields-chart-title",
        "Số đăng ký và giá trị thực hiện năm 2022 theo lĩnh vực",
    );
    let texts = svg_texts(&fields);
    let welfare = texts
        .iter()
        .position(|text| text == "An sinh xã hội")
        .expect("the welfare row");
    assert_eq!(texts[welfare + 1..welfare + 3], ["2", "6,01 tỷ"]);
    let block = chart_block(&page, "fields");
    assert_eq!(
        cells(&block, "data-chart-row=\"social_welfare\"")[1..],
        ["2", "6.012.500.000 đ"]
    );
    let trend = svg_titled(
        &page,
        "trend-value-title",
        "Giá trị thực hiện (đã hoàn thành)",
    );
    let texts = svg_texts(&trend);
    // 6.012.500.000 + 173.750.000 on an axis up to 8 tỷ.
    assert_eq!(texts[..5], ["0", "2 tỷ", "4 tỷ", "6 tỷ", "8 tỷ"]);
    assert!(texts.contains(&"6,19 tỷ".to_owned()), "{texts:?}");
    assert_eq!(figure(&page, "actual_value"), "6.186.250.000 đ");
}

#[test]
fn the_year_selectors_keep_the_unit_and_work_without_script() {
    let (app, fx) = app_with_fixture();
    let client = app.signed_in(REV_A, PASSWORD);

    // The dashboard: a GET form to itself that carries the unit, with the years.
    let page = dashboard(&client, 2023, fx.c1);
    let picker = page
        .element_html("class=\"year-picker\"")
        .expect("a year picker");
    assert!(picker.contains("method=\"get\" action=\"/dashboard\""));
    assert!(picker.contains(&format!(
        "<input type=\"hidden\" name=\"unit\" value=\"{}\">",
        fx.c1
    )));
    assert!(picker.contains("<option value=\"2023\" selected>2023</option>"));
    assert!(picker.contains("<option value=\"2022\">2022</option>"));
    assert!(picker.contains("<button type=\"submit\""));
    // Submitting it is a plain GET: the other year, same unit.
    let page = dashboard(&client, 2022, fx.c1);
    assert_eq!(figure(&page, "registered"), "3");
    assert!(
        page.body
            .contains("Đảng bộ Cải cách <span class=\"year-tag\">năm 2022</span>")
    );

    // The list from the dashboard's link: the year and the unit are both selected,
    // even for a year that has nothing yet.
    for year in [2022, 2024] {
        let page = client.get(&format!("/initiatives?year={year}&unit={}", fx.c1));
        assert_eq!(page.status, 200);
        let filters = page.element_html("class=\"filters\"").expect("filters");
        assert!(filters.contains("method=\"get\" action=\"/initiatives\""));
        assert!(
            filters.contains(&format!(
                "<option value=\"{year}\" selected>{year}</option>"
            )),
            "{year} is selected"
        );
        assert!(
            filters.contains(&format!("<option value=\"{}\" selected>", fx.c1)),
            "the unit is kept"
        );
    }
    // The link from the dashboard to its list carries both.
    let page = dashboard(&client, 2024, fx.c1);
    assert!(
        page.body
            .contains(&format!("/initiatives?year=2024&amp;unit={}", fx.c1))
    );
}
