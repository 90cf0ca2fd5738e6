//! Bulk review from "Chờ xem xét": ticked registrations approved, or ticked reports
//! accepted, at once; each with the one-by-one checks and its own history line, and a
//! result page that says which were done and which were refused, and why.

use crate::helpers::*;
use crate::workflow::{history_actions, history_lines};

/// The checkbox values (`{id}.{version}`) the inbox offers under `name`, in its order.
fn ticks(page: &Page, name: &str) -> Vec<String> {
    page.select(&format!("input[type=checkbox][name={name}]"), |input| {
        input.value().attr("value").unwrap_or_default().to_owned()
    })
}

fn id_of(tick: &str) -> i32 {
    tick.split('.')
        .next()
        .and_then(|id| id.parse().ok())
        .expect("an id")
}

/// The ids a result page lists under `data-{kind}` ("done" or "refused").
fn listed(page: &Page, kind: &str) -> Vec<i32> {
    page.attribute_values(&format!("data-{kind}"))
        .iter()
        .filter_map(|id| id.parse().ok())
        .collect()
}

/// The line of the result page for initiative `id`, as text.
fn line_of(page: &Page, kind: &str, id: i32) -> String {
    page.element_html(&format!("data-{kind}=\"{id}\""))
        .map(|html| text_of(&html))
        .unwrap_or_else(|| panic!("no {kind} line for {id}: {}", page.body))
}

/// Every initiative row and audit entry except those of `ids`: what must not change.
fn all_but(app: &TestApp, ids: &[i32]) -> String {
    let list = ids.iter().map(i32::to_string).collect::<Vec<_>>().join(",");
    app.text(&format!(
        "SELECT concat_ws('|', \
           (SELECT string_agg(i::text, ';' ORDER BY i.id) FROM initiatives i WHERE i.id NOT IN ({list})), \
           (SELECT string_agg(a.id::text, ';' ORDER BY a.id) FROM audit_log a \
              WHERE NOT (a.entity = 'initiative' AND a.entity_id IN ({list})))) AS v"
    ))
    .unwrap_or_default()
}

fn bulk(client: &Client, step: &str, name: &str, values: &[String]) -> Page {
    let mut fields: Vec<(&str, &str)> = vec![("step", step)];
    fields.extend(values.iter().map(|value| (name, value.as_str())));
    client.post_form_csrf("/review/bulk", &fields)
}

#[test]
fn bulk_approval_of_five_approves_four_and_says_why_the_fifth_was_refused() {
    let (app, fx) = app_with_fixture();
    let reviewer = app.signed_in(REV_A, PASSWORD);
    let admin = app.signed_in(ADMIN, PASSWORD);
    for title in ["Chờ duyệt 1", "Chờ duyệt 2", "Chờ duyệt 3", "Chờ duyệt 4"] {
        initiative_in_state(&app, &fx, title, "pending_approval");
    }
    let inbox = reviewer.get("/review");
    assert_eq!(inbox.status, 200);
    assert!(text_of(&inbox.body).contains("Duyệt các mục đã chọn"));
    let chosen = ticks(&inbox, "approve");
    assert_eq!(chosen.len(), 5, "five registrations wait: {chosen:?}");
    assert!(ticks(&inbox, "accept").is_empty(), "no report waits");
    let ids: Vec<i32> = chosen.iter().map(|tick| id_of(tick)).collect();

    // Another reviewer (here the administrator) approves the third meanwhile.
    let taken = ids[2];
    let page = admin.post_form_csrf(&format!("/initiatives/{taken}/approve"), &[]);
    assert_eq!(page.status, 303, "{}", page.body);
    let audits: Vec<i64> = ids.iter().map(|id| app.audit_count(*id)).collect();
    let others = all_but(&app, &ids);
    let taken_row = format!("{:?}", app.initiative(taken));

    let result = bulk(&reviewer, "approve", "approve", &chosen);
    assert_eq!(result.status, 200, "{}", result.body);
    let approved: Vec<i32> = ids.iter().copied().filter(|id| *id != taken).collect();
    assert_eq!(listed(&result, "done"), approved, "the four, by id");
    assert_eq!(listed(&result, "refused"), [taken]);
    let refused = line_of(&result, "refused", taken);
    assert!(
        refused.contains(&app.initiative(taken).title)
            && refused.contains("Chỉ duyệt được đăng ký đang chờ duyệt"),
        "the refused one is named with its reason: {refused}"
    );
    assert!(
        text_of(&result.body).contains("Đã duyệt 4 mục; 1 mục không thực hiện được."),
        "{}",
        text_of(&result.body)
    );

    for (id, before) in ids.iter().zip(&audits) {
        if *id == taken {
            assert_eq!(
                app.audit_count(*id),
                *before,
                "nothing more on the refused one"
            );
            assert_eq!(format!("{:?}", app.initiative(*id)), taken_row);
            continue;
        }
        assert_eq!(app.review(*id), "approved", "#{id}");
        assert_eq!(app.audit_count(*id), before + 1, "#{id}: one history line");
        let detail = reviewer.get(&format!("/initiatives/{id}"));
        assert_eq!(
            history_actions(&detail).last().map(String::as_str),
            Some("Duyệt đăng ký")
        );
        let line = history_lines(&detail).pop().unwrap_or_default();
        assert!(line.contains("Người dùng khoi.a"), "{line}");
    }
    assert_eq!(all_but(&app, &ids), others, "nothing else changed");
    assert!(reviewer.get("/review").initiative_rows().is_empty());

    // Sent again: every one is refused now, and nothing changes.
    let before = snapshot(&app);
    let again = bulk(&reviewer, "approve", "approve", &chosen);
    assert_eq!(again.status, 200);
    assert!(listed(&again, "done").is_empty());
    assert_eq!(listed(&again, "refused"), ids);
    assert_eq!(snapshot(&app), before);
}

#[test]
fn bulk_review_refuses_what_is_outside_the_scope_ones_own_and_stale_versions() {
    let (app, fx) = app_with_fixture();
    let reviewer_b = app.signed_in(REV_B, PASSWORD);
    let admin = app.signed_in(ADMIN, PASSWORD);
    let waiting = fx.item(4);
    let version = app.initiative(waiting).version;
    let title = app.initiative(waiting).title;

    // Bloc B's reviewer, with an id of bloc A: not found, and its title is not shown.
    let before = snapshot(&app);
    let page = bulk(
        &reviewer_b,
        "approve",
        "approve",
        &[format!("{waiting}.{version}")],
    );
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(listed(&page, "refused"), [waiting]);
    let line = line_of(&page, "refused", waiting);
    assert!(line.contains("Không tìm thấy"), "{line}");
    assert!(!page.body.contains(&title), "the title does not leak");
    assert!(!page.body.contains("Chi bộ Sở Thử"), "nor its unit");
    assert_eq!(snapshot(&app), before);

    // One's own registration is refused; the other one ticked with it is approved.
    let page = admin.post_form_csrf("/initiatives", &pairs(&initiative_form(fx.c2)));
    assert_eq!(page.status, 303, "{}", page.body);
    let own = id_from_location(&page);
    let own_version = app.initiative(own).version;
    let page = bulk(
        &admin,
        "approve",
        "approve",
        &[
            format!("{own}.{own_version}"),
            format!("{waiting}.{version}"),
        ],
    );
    assert_eq!(page.status, 200, "{}", page.body);
    assert_eq!(listed(&page, "done"), [waiting]);
    assert_eq!(listed(&page, "refused"), [own]);
    assert!(line_of(&page, "refused", own).contains("không thể tự duyệt"));
    assert_eq!(app.review(own), "pending_approval");
    assert_eq!(app.review(waiting), "approved");

    // A report changed since the page showed it (returned and reported again): refused.
    let reviewer = app.signed_in(REV_A, PASSWORD);
    let report = initiative_in_state(&app, &fx, "Đã báo cáo", "pending_acceptance");
    let stale = format!("{report}.{}", app.initiative(report).version - 1);
    let before = snapshot(&app);
    let page = bulk(&reviewer, "accept", "accept", &[stale]);
    assert_eq!(listed(&page, "refused"), [report]);
    assert!(line_of(&page, "refused", report).contains("đã thay đổi"));
    assert_eq!(snapshot(&app), before);
    // With the version the inbox shows, it is accepted.
    let inbox = reviewer.get("/review");
    let page = bulk(&reviewer, "accept", "accept", &ticks(&inbox, "accept"));
    assert_eq!(listed(&page, "done"), [report]);
    assert!(text_of(&page.body).contains("Đã nghiệm thu 1 mục."));
    assert_eq!(app.initiative(report).status.as_str(), "completed");
}

#[test]
fn bulk_review_says_what_is_wrong_with_an_empty_or_oversized_choice() {
    let (app, fx) = app_with_fixture();
    let reviewer = app.signed_in(REV_A, PASSWORD);
    let before = snapshot(&app);
    let page = bulk(&reviewer, "approve", "approve", &[]);
    assert_eq!(page.status, 422);
    assert!(
        page.refusal()
            .unwrap_or_default()
            .contains("Chưa chọn mục nào")
    );
    let many: Vec<String> = (1..=101).map(|id| format!("{id}.1")).collect();
    let page = bulk(&reviewer, "approve", "approve", &many);
    assert_eq!(page.status, 422);
    assert!(
        page.refusal()
            .unwrap_or_default()
            .contains("tối đa 100 mục; bạn đã chọn 101"),
        "{:?}",
        page.refusal()
    );
    for bad in ["abc", "1", "1.x", ""] {
        let page = bulk(&reviewer, "approve", "approve", &[bad.to_owned()]);
        assert_eq!(page.status, 400, "{bad:?}");
    }
    let page = bulk(
        &reviewer,
        "delete",
        "approve",
        &[format!("{}.1", fx.item(4))],
    );
    assert_eq!(page.status, 400);
    // Without a token, or as a secretary: refused.
    let tick = format!("{}.{}", fx.item(4), app.initiative(fx.item(4)).version);
    let page = reviewer.post_form("/review/bulk", &[("step", "approve"), ("approve", &tick)]);
    assert_eq!(page.status, 403);
    let secretary = app.signed_in(SEC_C1, PASSWORD);
    assert_eq!(bulk(&secretary, "approve", "approve", &[tick]).status, 403);
    assert_eq!(snapshot(&app), before);
}

#[test]
fn the_inbox_shows_cost_or_value_and_how_long_each_has_waited() {
    use diesel::prelude::*;
    let (app, fx) = app_with_fixture();
    let reviewer = app.signed_in(REV_A, PASSWORD);
    let report = initiative_in_state(&app, &fx, "Đã báo cáo", "pending_acceptance");
    let waiting = fx.item(4);
    diesel::sql_query(format!(
        "UPDATE initiatives SET review_changed_at = now() - interval '3 days' WHERE id = {waiting}"
    ))
    .execute(&mut app.db())
    .expect("backdated");
    let inbox = reviewer.get("/review");
    let row = |id: i32| {
        inbox
            .element_html(&format!("data-initiative=\"{id}\""))
            .map(|html| text_of(&html))
            .unwrap_or_default()
    };
    let headers = inbox.select("th[scope=col]", |th| th.text().collect::<String>());
    assert!(headers.iter().any(|h| h == "Đơn vị gửi"), "{headers:?}");
    assert!(headers.iter().any(|h| h == "Chờ từ"), "{headers:?}");
    assert!(!headers.iter().any(|h| h == "Từ"), "{headers:?}");
    assert!(
        headers.iter().any(|h| h == "Kinh phí dự kiến"),
        "{headers:?}"
    );
    assert!(
        headers.iter().any(|h| h == "Giá trị thực hiện"),
        "{headers:?}"
    );
    assert!(row(waiting).contains("20.000.000 đ"), "{}", row(waiting));
    assert!(row(waiting).contains("3 ngày"), "{}", row(waiting));
    assert!(row(report).contains("1.500.000 đ"), "{}", row(report));
    assert!(row(report).contains("Hôm nay"), "{}", row(report));
}

#[test]
fn xem_tiep_on_a_waiting_initiative_opens_the_next_one_in_the_inbox_order() {
    let (app, fx) = app_with_fixture();
    let reviewer = app.signed_in(REV_A, PASSWORD);
    let secretary = app.signed_in(SEC_C2, PASSWORD);
    let second = initiative_in_state(&app, &fx, "Chờ duyệt thứ hai", "pending_approval");
    let report = initiative_in_state(&app, &fx, "Chờ nghiệm thu", "pending_acceptance");
    let inbox = reviewer.get("/review");
    assert_eq!(inbox.initiative_rows(), [fx.item(4), second, report]);
    let next = |client: &Client, id: i32| -> Vec<String> {
        client
            .get(&format!("/initiatives/{id}"))
            .attribute_values("data-next-waiting")
    };
    // Through the approvals, then on to the reports; the last one has nothing after it.
    assert_eq!(next(&reviewer, fx.item(4)), [second.to_string()]);
    assert_eq!(next(&reviewer, second), [report.to_string()]);
    assert_eq!(next(&reviewer, report), [fx.item(4).to_string()]);
    let page = reviewer.get(&format!("/initiatives/{}", fx.item(4)));
    assert!(text_of(&page.body).contains("Xem tiếp ›"));
    // Once approved it leaves the queue; what is not waiting has no "Xem tiếp".
    let page = reviewer.post_form_csrf(&format!("/initiatives/{}/approve", fx.item(4)), &[]);
    assert_eq!(page.status, 303);
    assert!(next(&reviewer, fx.item(4)).is_empty());
    assert_eq!(next(&reviewer, report), [second.to_string()]);
    // A secretary gets none.
    assert!(next(&secretary, second).is_empty());
}
