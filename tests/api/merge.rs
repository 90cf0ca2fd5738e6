//! Merging a unit into another ("Sáp nhập"): the first post only shows what would move,
//! in counts; the merge happens when the preview is confirmed with its own figures.

use crate::helpers::*;

/// The text of the preview's line marked `data-preview="{name}"`.
fn preview_line(page: &Page, name: &str) -> String {
    page.text_at(&format!("[data-preview=\"{name}\"]"))
        .unwrap_or_default()
}

/// The confirm button's figures, as the preview's form sends them back.
fn confirm_token(page: &Page) -> String {
    page.select("[data-merge-preview] input[name=confirm]", |input| {
        input.value().attr("value").unwrap_or_default().to_owned()
    })
    .into_iter()
    .next()
    .unwrap_or_default()
}

#[test]
fn a_merge_shows_what_moves_and_waits_for_confirmation() {
    let (app, fx) = app_with_fixture();
    let admin = app.signed_in(ADMIN, PASSWORD);
    let merge = format!("/admin/units/{}/merge", fx.c2);
    let into = fx.b1.to_string();
    let audit = || app.count_where("SELECT count(*) AS n FROM audit_log");
    let before = audit();

    // C2 into B1 from 2022: its three initiatives move (two of 2022, one of 2023), its
    // secretary's account stays; nothing changes yet.
    let preview = admin.post_form_csrf(&merge, &[("into", &into), ("from_year", "2022")]);
    assert_eq!(preview.status, 200, "{}", preview.body);
    let heading = preview
        .text_at("[data-merge-preview] h3")
        .unwrap_or_default();
    assert!(heading.contains("Chi bộ Sở Thử"), "{heading}");
    assert!(heading.contains("Chi bộ Doanh nghiệp B"), "{heading}");
    assert!(heading.contains("2022"), "{heading}");
    let moving = preview_line(&preview, "initiatives");
    assert!(moving.starts_with("3 mô hình"), "{moving}");
    assert!(moving.contains("năm 2022: 2; năm 2023: 1"), "{moving}");
    assert!(preview_line(&preview, "units").starts_with("0 đơn vị"));
    assert!(preview_line(&preview, "users").starts_with("1 tài khoản"));
    assert!(preview_line(&preview, "earlier").starts_with("0 mô hình"));
    assert!(app.unit(fx.c2).active, "a preview merges nothing");
    assert_eq!(app.initiative(fx.item(9)).unit_id, fx.c2);
    assert_eq!(audit(), before);

    // From 2023 the 2022 work stays where it was reported.
    let later = admin.post_form_csrf(&merge, &[("into", &into), ("from_year", "2023")]);
    assert!(preview_line(&later, "initiatives").starts_with("1 mô hình"));
    assert!(preview_line(&later, "earlier").starts_with("2 mô hình"));

    // The confirmation needs the session's CSRF token.
    let token = confirm_token(&preview);
    assert!(!token.is_empty(), "{}", preview.body);
    let forged = admin.post_form(
        &merge,
        &[("into", &into), ("from_year", "2022"), ("confirm", &token)],
    );
    assert!(
        forged.status >= 400 && forged.status < 500,
        "{}",
        forged.status
    );
    assert!(app.unit(fx.c2).active);

    // A confirmation for another year or another receiving unit is only a preview.
    let other_year = admin.post_form_csrf(
        &merge,
        &[("into", &into), ("from_year", "2023"), ("confirm", &token)],
    );
    assert_eq!(other_year.status, 200);
    assert!(other_year.body.contains("Số liệu đã thay đổi"));
    assert!(app.unit(fx.c2).active);

    // The figures change after the preview (a unit is added under C2): the old
    // confirmation shows the new figures instead of merging.
    let added = admin.post_form_csrf(
        "/admin/units",
        &[
            ("name", "Chi bộ Tổ Một"),
            ("code", "c2-to1"),
            ("kind", "attached_cell"),
            ("parent_id", &fx.c2.to_string()),
            ("expected_to_register", "on"),
            ("active", "on"),
        ],
    );
    assert_eq!(added.status, 303, "{}", added.body);
    let stale = admin.post_form_csrf(
        &merge,
        &[("into", &into), ("from_year", "2022"), ("confirm", &token)],
    );
    assert_eq!(stale.status, 200, "{}", stale.body);
    assert!(stale.body.contains("Số liệu đã thay đổi"), "{}", stale.body);
    assert!(preview_line(&stale, "units").starts_with("1 đơn vị"));
    assert!(
        app.unit(fx.c2).active,
        "a stale confirmation merges nothing"
    );

    // Confirmed with the figures shown: merged.
    let done = admin.post_form_csrf(
        &merge,
        &[
            ("into", &into),
            ("from_year", "2022"),
            ("confirm", &confirm_token(&stale)),
        ],
    );
    assert_eq!(done.status, 303, "{}", done.body);
    assert!(!app.unit(fx.c2).active);
    assert_eq!(app.initiative(fx.item(4)).unit_id, fx.b1);
    assert_eq!(app.initiative(fx.item(9)).unit_id, fx.b1);
    let child = app.count_where(&format!(
        "SELECT count(*) AS n FROM units WHERE code = 'C2-TO1' AND parent_id = {}",
        fx.b1
    ));
    assert_eq!(child, 1, "the unit under C2 moved under B1");
}
