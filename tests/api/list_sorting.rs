//! The reviewer's initiatives list: sorting on every column across pages, the newest
//! year first, the review-state filter, the totals, page numbers, the export of exactly
//! the list shown, and the search by reference and unit code.

use lamtheobac::domain::{Field, Status};

use calamine::Data;

use crate::exports::{csv_records, sheet};
use crate::helpers::*;
use crate::initiatives::walk;

/// The sorts of the list and the SQL order a person expects of each (after the year).
const SORTS: [(&str, &str); 8] = [
    ("newest", ""),
    ("unit", "u.name {dir}, u.id {dir},"),
    ("title", "i.title {dir},"),
    ("cost", "i.estimated_cost_vnd {dir},"),
    ("value", "COALESCE(i.actual_value_vnd, -1) {dir},"),
    ("status", "i.status {dir},"),
    ("due", "i.due_date {dir},"),
    ("updated", "i.updated_at {dir},"),
];

/// Adds 40 initiatives over bloc A's units, with costs, values, titles and dates that
/// repeat (ties are broken by the id, across a page boundary too).
fn more_initiatives(app: &TestApp, fx: &Fixture) -> Vec<i32> {
    let mut conn = app.db();
    let units = [fx.c1, fx.c1a, fx.c1b, fx.c2, fx.m, fx.n];
    let titles = ["Ánh sáng", "Bếp ăn", "Cải cách", "Đường hoa", "Ươm mầm"];
    let ids: Vec<i32> = (0..40)
        .map(|n| {
            let title = format!("{} {}", titles[n % titles.len()], n % 3);
            create_initiative(
                &mut conn,
                fx.admin,
                Spec {
                    unit_id: units[n % units.len()],
                    year: if n % 4 == 0 { 2023 } else { 2022 },
                    title: &title,
                    field: Field::Other,
                    status: if n % 2 == 0 {
                        Status::InProgress
                    } else {
                        Status::Registered
                    },
                    estimated: (n as i64 % 7) * 1_000_000,
                    actual: (n % 3 == 0).then_some((n as i64 % 5) * 500_000),
                },
            )
        })
        .collect();
    app.count_where(&format!(
        "WITH changed AS (
            UPDATE initiatives SET due_date = make_date(year, 2 + id % 11, 1 + id % 3),
                                   updated_at = timestamptz '2026-01-01' + (id % 9) * interval '1 day'
             WHERE id >= {} RETURNING 1)
         SELECT count(*) AS n FROM changed",
        ids[0]
    ));
    ids
}

/// The ids of the list in a sort, as the database orders them.
fn expected(app: &TestApp, filter_sql: &str, sort: &str, dir: &str) -> Vec<i32> {
    let key = SORTS
        .iter()
        .find(|(name, _)| *name == sort)
        .map(|(_, key)| key.replace("{dir}", dir))
        .expect("a sort");
    let text = app
        .text(&format!(
            "SELECT string_agg(i.id::text, ',' ORDER BY i.year DESC, {key} i.id {dir}) AS v
               FROM initiatives i JOIN units u ON u.id = i.unit_id WHERE {filter_sql}"
        ))
        .unwrap_or_default();
    text.split(',').filter_map(|id| id.parse().ok()).collect()
}

#[test]
fn every_column_sorts_and_the_next_page_continues_exactly_in_both_directions() {
    let (app, fx) = app_with_fixture();
    more_initiatives(&app, &fx);
    let admin = app.signed_in(ADMIN, PASSWORD);
    // The whole tree, and bloc A (its rows are read through its units, another plan).
    let bloc_sql = format!("u.path <@ (SELECT path FROM units WHERE id = {})", fx.ka);
    for (filter, filter_sql) in [
        (String::new(), "TRUE".to_owned()),
        (format!("unit={}&", fx.ka), bloc_sql),
    ] {
        for (sort, _) in SORTS {
            for dir in ["asc", "desc"] {
                let path = format!("/initiatives?{filter}sort={sort}&dir={dir}");
                let first = admin.get(&path);
                assert_eq!(first.status, 200, "{path}");
                let forward = walk(&admin, first, "next");
                assert!(forward.len() >= 2, "{path}: more than a page");
                let pages: Vec<Vec<i32>> = forward.iter().map(Page::initiative_rows).collect();
                assert_eq!(pages[0].len(), 25, "{path}");
                let seen: Vec<i32> = pages.concat();
                assert_eq!(seen, expected(&app, &filter_sql, sort, dir), "{path}");
                // Back from the last page: the same pages, ending on the first.
                let last = forward.last().expect("a last page").clone();
                let backward = walk(&admin, last, "previous");
                let mut back: Vec<Vec<i32>> = backward.iter().map(Page::initiative_rows).collect();
                back.reverse();
                assert_eq!(back, pages, "{path}: backward");
                // The header says how the list is sorted and links to the other way.
                if sort != "newest" {
                    let aria = if dir == "asc" {
                        "ascending"
                    } else {
                        "descending"
                    };
                    let header = forward[1]
                        .select(&format!("th[aria-sort=\"{aria}\"] a"), |link| {
                            link.value().attr("href").unwrap_or_default().to_owned()
                        });
                    let other = if dir == "asc" { "desc" } else { "asc" };
                    assert_eq!(
                        header,
                        [format!("/initiatives?{filter}sort={sort}&dir={other}")],
                        "{path}"
                    );
                }
            }
        }
    }
}

#[test]
fn every_year_lists_the_newest_year_first_then_the_chosen_sort() {
    let (app, fx) = app_with_fixture();
    register_many(&mut app.db(), fx.admin, fx.m, 2021, 3, "Năm cũ");
    let admin = app.signed_in(ADMIN, PASSWORD);
    for path in ["/initiatives", "/initiatives?sort=title&dir=asc"] {
        let rows = admin.get(path).initiative_rows();
        let years: Vec<i32> = rows.iter().map(|id| app.initiative(*id).year).collect();
        let mut newest_first = years.clone();
        newest_first.sort_by(|a, b| b.cmp(a));
        assert_eq!(years, newest_first, "{path}");
        assert_eq!(years.first(), Some(&2023), "{path}");
        assert_eq!(years.last(), Some(&2021), "{path}");
    }
    // Within 2022, by title.
    let rows = admin
        .get("/initiatives?sort=title&dir=asc")
        .initiative_rows();
    assert_eq!(rows, expected(&app, "TRUE", "title", "asc"));
}

#[test]
fn the_review_state_filter_lists_each_state_with_its_label() {
    let (app, fx) = app_with_fixture();
    for state in REVIEW_STATES {
        initiative_in_state(&app, &fx, &format!("Trạng thái {state}"), state);
    }
    let admin = app.signed_in(ADMIN, PASSWORD);
    for (filter, states, label) in [
        (
            "pending_approval",
            "'pending_approval'",
            "Chờ duyệt đăng ký",
        ),
        ("approved", "'approved'", "Đã duyệt"),
        (
            "pending_acceptance",
            "'pending_acceptance'",
            "Chờ nghiệm thu",
        ),
        ("accepted", "'accepted'", "Đã nghiệm thu"),
        (
            "returned",
            "'returned_registration', 'returned_completion'",
            "Bị trả lại",
        ),
    ] {
        let page = admin.get(&format!("/initiatives?review={filter}"));
        assert_eq!(page.status, 200);
        let wanted = expected(&app, &format!("i.review IN ({states})"), "newest", "desc");
        assert!(!wanted.is_empty(), "{filter}");
        assert_eq!(page.initiative_rows(), wanted, "{filter}");
        let cells = page.select("td[data-label=\"Tình trạng xem xét\"]", text_in);
        assert_eq!(cells.len(), wanted.len());
        assert!(
            cells.iter().all(|cell| cell == label),
            "{filter}: {cells:?}"
        );
        assert_eq!(page.total(), Some(wanted.len() as i64), "{filter}");
    }
}

/// The totals row's figures: count, estimated cost, actual value.
fn totals(page: &Page) -> Option<(i64, i64, i64)> {
    let read = |name: &str| {
        page.attribute_values(name)
            .first()
            .and_then(|value| value.parse().ok())
    };
    Some((read("data-count")?, read("data-cost")?, read("data-value")?))
}

#[test]
fn the_totals_row_adds_up_the_listed_rows() {
    let (app, fx) = app_with_fixture();
    more_initiatives(&app, &fx);
    let admin = app.signed_in(ADMIN, PASSWORD);
    for path in [
        // From the roll-ups: year, unit and field only.
        "/initiatives?year=2023".to_owned(),
        format!("/initiatives?year=2022&unit={}&field=professional", fx.ka),
        // Summed over the matches.
        "/initiatives?status=in_progress&year=2023".to_owned(),
        "/initiatives?q=c%E1%BA%A3i+c%C3%A1ch".to_owned(),
        "/initiatives?review=accepted".to_owned(),
    ] {
        let page = admin.get(&path);
        let rows = page.initiative_rows();
        assert!(!rows.is_empty() && rows.len() < 25, "{path}: one page");
        let listed: Vec<_> = rows.iter().map(|id| app.initiative(*id)).collect();
        let cost: i64 = listed.iter().map(|row| row.estimated_cost_vnd).sum();
        let value: i64 = listed
            .iter()
            .filter(|row| row.status == Status::Completed)
            .filter_map(|row| row.actual_value_vnd)
            .sum();
        assert_eq!(
            totals(&page),
            Some((rows.len() as i64, cost, value)),
            "{path}"
        );
        assert!(text_of(&page.body).contains("Tổng cộng"), "{path}");
    }
    let page = admin.get("/initiatives?year=2022");
    assert!(
        text_of(&page.body).contains("chỉ cộng giá trị của các mô hình, công trình đã hoàn thành"),
        "the page says what the value totals"
    );
}

#[test]
fn over_the_cap_the_totals_say_to_narrow_the_list_instead_of_scanning() {
    let (app, fx) = app_with_fixture();
    // 1,100 copies of #4 (a search counts up to 1,000).
    app.count_where(&format!(
        "WITH copies AS (
            INSERT INTO initiatives (year, kind, title, field, description, unit_id,
                                     estimated_cost_vnd, status, start_date, due_date,
                                     created_by, updated_by, reference)
            SELECT year, kind, title || ' bản ' || g, field, description, unit_id,
                   estimated_cost_vnd, status, start_date, due_date, created_by,
                   updated_by, 'BS-' || g
              FROM initiatives, generate_series(1, 1100) AS g WHERE id = {}
            RETURNING 1)
         SELECT count(*) AS n FROM copies",
        fx.item(4)
    ));
    let admin = app.signed_in(ADMIN, PASSWORD);
    let page = admin.get("/initiatives?q=b%E1%BA%A3n");
    assert_eq!(page.status, 200);
    assert!(totals(&page).is_none(), "no sums over the cap");
    assert!(
        text_of(&page.body).contains("Hơn 1.000 mục – chọn năm, đơn vị để xem tổng"),
        "{}",
        page.body
    );
    // Page numbers: without an exact count, "Trang 1" and the nearby pages.
    assert!(text_of(&page.body).contains("Trang 1"));
    assert!(page.page_link("2").is_some() && page.page_link("3").is_some());
}

#[test]
fn page_numbers_link_nearby_pages_and_count_the_pages() {
    let (app, fx) = app_with_fixture();
    register_many(&mut app.db(), fx.admin, fx.m, 2022, 80, "Trang");
    let admin = app.signed_in(ADMIN, PASSWORD);
    let first = admin.get("/initiatives?year=2022&sort=title&dir=asc");
    // 88 rows: 4 pages.
    assert!(text_of(&first.body).contains("Trang 1/4"), "{}", first.body);
    let third = admin.get(&unescape(&first.page_link("3").expect("a link to page 3")));
    assert!(text_of(&third.body).contains("Trang 3/4"));
    let walked = walk(&admin, first, "next");
    assert_eq!(walked.len(), 4);
    assert_eq!(third.initiative_rows(), walked[2].initiative_rows());
    assert!(text_of(&walked[2].body).contains("Trang 3/4"));
    let back = admin.get(&unescape(
        &walked[2].page_link("previous").expect("a previous link"),
    ));
    assert!(text_of(&back.body).contains("Trang 2/4"));
    assert_eq!(back.initiative_rows(), walked[1].initiative_rows());
}

#[test]
fn the_list_export_holds_exactly_the_lists_rows_in_its_order() {
    let (app, fx) = app_with_fixture();
    more_initiatives(&app, &fx);
    let admin = app.signed_in(ADMIN, PASSWORD);
    for query in [
        format!("unit={}&sort=cost&dir=desc", fx.ka),
        "status=in_progress&sort=unit&dir=asc".to_owned(),
        "q=c%E1%BA%A3i&sort=title&dir=desc".to_owned(),
    ] {
        let first = admin.get(&format!("/initiatives?{query}"));
        let link = first
            .select("[data-list-export=csv]", |link| {
                link.value().attr("href").unwrap_or_default().to_owned()
            })
            .into_iter()
            .next()
            .expect("an export link");
        let listed: Vec<String> = walk(&admin, first, "next")
            .iter()
            .flat_map(Page::initiative_rows)
            .map(|id| app.initiative(id).reference)
            .collect();
        assert!(!listed.is_empty(), "{query}");
        let file = admin.download(&unescape(&link));
        assert_eq!(file.status, 200, "{link}");
        assert_eq!(file.header("content-type"), Some("text/csv; charset=utf-8"));
        let text = String::from_utf8(file.bytes[3..].to_vec()).expect("UTF-8");
        let records = csv_records(&text);
        let exported: Vec<String> = records[1..]
            .iter()
            .map(|record| record[1].clone())
            .collect();
        assert_eq!(exported, listed, "{query}");
        // The workbook: the same rows, under the header row (STT, Mã, …).
        let file = admin.download(&unescape(&link.replace("export.csv", "export.xlsx")));
        assert_eq!(file.status, 200, "{link}");
        let rows = sheet(&file.bytes, "Danh sách");
        let header = rows
            .iter()
            .position(|row| {
                row.first()
                    .is_some_and(|cell| *cell == Data::String("STT".into()))
            })
            .expect("a header row");
        let in_workbook: Vec<String> = rows[header + 1..]
            .iter()
            .map(|row| row[1].to_string())
            .collect();
        assert_eq!(in_workbook, listed, "{query}: XLSX");
    }
    // Another unit's subtree is not found, as on the list page.
    let secretary = app.signed_in(SEC_C1, PASSWORD);
    let file = secretary.download(&format!("/initiatives/export.csv?unit={}", fx.c2));
    assert_eq!(file.status, 404);
}

#[test]
fn the_search_finds_references_and_unit_codes() {
    let (app, fx) = app_with_fixture();
    let admin = app.signed_in(ADMIN, PASSWORD);
    let reference = app.initiative(fx.item(3)).reference;
    for typed in [reference.clone(), reference.to_lowercase()] {
        let page = admin.get(&format!("/initiatives?q={typed}"));
        assert_eq!(page.initiative_rows(), [fx.item(3)], "{typed}");
    }
    // Without the hyphen ("MH3" for "MH-3"), a nice extra.
    let squeezed = reference.replace('-', "").to_lowercase();
    let page = admin.get(&format!("/initiatives?q={squeezed}"));
    assert!(page.initiative_rows().contains(&fx.item(3)), "{squeezed}");
    // A unit's code: its own initiatives and its subtree's.
    let page = admin.get("/initiatives?q=c1a");
    let mut rows = page.initiative_rows();
    rows.sort_unstable();
    assert_eq!(rows, [fx.item(2), fx.item(3)]);
}

#[test]
fn unknown_sorts_directions_and_cursors_give_the_default_list() {
    let (app, _fx) = app_with_fixture();
    let admin = app.signed_in(ADMIN, PASSWORD);
    let default = admin.get("/initiatives").initiative_rows();
    for query in [
        "sort=sideways",
        "sort=%FF&dir=%00",
        "sort=&dir=",
        "dir=asc",
        "after=bm9wZQ",
        "before=%E1%BA",
        "page=0",
        "page=999999",
    ] {
        let page = admin.get(&format!("/initiatives?{query}"));
        assert_eq!(page.status, 200, "{query}: {}", page.body);
        assert_eq!(page.initiative_rows(), default, "{query}");
    }
    // A known column with a bad direction: the column's own first direction.
    let page = admin.get("/initiatives?sort=cost&dir=up");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.initiative_rows(),
        expected(&app, "TRUE", "cost", "desc")
    );
}

/// On a phone the filters fold under "Lọc danh sách": closed on a plain list, open while
/// a filter is set or the unit picker is being used, so a person sees what they chose.
#[test]
fn the_filters_fold_away_until_a_filter_is_set() {
    let (app, _fx) = app_with_fixture();
    let admin = app.signed_in(ADMIN, PASSWORD);
    let open = |path: &str| {
        let page = admin.get(path);
        let boxes = page.select("details[data-filter-box]", |e| {
            (e.value().attr("open").is_some(), text_in(e))
        });
        assert_eq!(boxes.len(), 1, "{path}: one filter box");
        let (open, text) = boxes[0].clone();
        assert!(text.contains("Lọc danh sách"), "{path}: {text}");
        assert!(
            !page
                .select("details[data-filter-box] form.filters", |_| ())
                .is_empty(),
            "{path}: the form is inside the box"
        );
        (open, text.contains("(đang lọc)"))
    };
    assert_eq!(open("/initiatives"), (false, false));
    assert_eq!(open("/initiatives?sort=cost&dir=desc"), (false, false));
    assert_eq!(open("/initiatives?year=2022"), (true, true));
    assert_eq!(open("/initiatives?q=MH-1&review=returned"), (true, true));
    assert_eq!(
        open("/initiatives?unit_q=chi+bo&unit_search=1"),
        (true, false)
    );
}
