//! The admin's account list: contact fields, search by name, username or unit, pages.

use diesel::connection::SimpleConnection;

use crate::helpers::*;

/// The usernames the account list shows, in its order.
fn listed(page: &Page) -> Vec<String> {
    page.attribute_values("data-user")
}

/// The text of the account's contact cell in the list.
fn contact(page: &Page, username: &str) -> String {
    page.text_at(&format!("tr[data-user=\"{username}\"] [data-contact]"))
        .unwrap_or_default()
}

fn edit_form(fx: &Fixture, phone: &str, email: &str) -> Vec<(&'static str, String)> {
    vec![
        ("display_name", "Người dùng bithu.c2".to_owned()),
        ("role", "secretary".to_owned()),
        ("unit_id", fx.c2.to_string()),
        ("phone", phone.to_owned()),
        ("email", email.to_owned()),
        ("active", "on".to_owned()),
    ]
}

#[test]
fn an_account_keeps_a_phone_and_an_email_checked_beside_the_fields() {
    let (app, fx) = app_with_fixture();
    let admin = app.signed_in(ADMIN, PASSWORD);
    let edit = format!("/admin/users/{}", fx.sec_c2);
    assert_eq!(contact(&admin.get("/admin/users"), SEC_C2), "—");

    let bad = admin.post_form_csrf(&edit, &pairs(&edit_form(&fx, "09-12ab", "bithu@tinhuy")));
    assert_eq!(bad.status, 422, "{}", bad.body);
    let phone = bad.field_error("phone").unwrap_or_default();
    assert!(phone.contains("Số điện thoại"), "{phone}");
    let email = bad.field_error("email").unwrap_or_default();
    assert!(email.contains("Thư điện tử"), "{email}");
    assert!(keeps_value(&bad, "09-12ab") && keeps_value(&bad, "bithu@tinhuy"));
    assert_eq!(
        contact(&admin.get("/admin/users"), SEC_C2),
        "—",
        "nothing saved"
    );

    // Grouped digits and capitals are typed; the number and address are stored plainly.
    let saved = admin.post_form_csrf(
        &edit,
        &pairs(&edit_form(&fx, " 0912 345.678 ", "Bi.Thu@TinhUy.gov.vn")),
    );
    assert_eq!(saved.status, 303, "{}", saved.body);
    let text = contact(&admin.get("/admin/users"), SEC_C2);
    assert!(text.contains("0912345678"), "{text}");
    assert!(text.contains("bi.thu@tinhuy.gov.vn"), "{text}");
    let form = admin.get(&format!("{edit}/edit"));
    assert!(keeps_value(&form, "0912345678") && keeps_value(&form, "bi.thu@tinhuy.gov.vn"));

    // Both are optional: cleared, they are gone.
    let cleared = admin.post_form_csrf(&edit, &pairs(&edit_form(&fx, "", "")));
    assert_eq!(cleared.status, 303, "{}", cleared.body);
    assert_eq!(contact(&admin.get("/admin/users"), SEC_C2), "—");

    // The last sign-in is shown once the person has signed in.
    let last = |page: &Page| {
        page.text_at(&format!("tr[data-user=\"{SEC_B1}\"] [data-last-sign-in]"))
            .unwrap_or_default()
    };
    assert_eq!(last(&admin.get("/admin/users")), "Chưa đăng nhập");
    app.signed_in(SEC_B1, PASSWORD);
    let shown = last(&admin.get("/admin/users"));
    assert!(shown.contains('/') && shown != "Chưa đăng nhập", "{shown}");
}

#[test]
fn accounts_are_found_by_name_username_or_unit_a_page_at_a_time() {
    let (app, fx) = app_with_fixture();
    let admin = app.signed_in(ADMIN, PASSWORD);
    let search = |q: &str| {
        let query = serde_urlencoded::to_string([("q", q)]).expect("query");
        listed(&admin.get(&format!("/admin/users?{query}")))
    };
    // By the unit's name, without diacritics: C2 is "Chi bộ Sở Thử".
    assert_eq!(search("so thu"), vec![SEC_C2]);
    // By the username.
    assert_eq!(search("khoi"), vec![REV_A, REV_B]);
    // By the holder's name, without diacritics ("Người dùng bithu.b1").
    assert_eq!(search("nguoi dung bithu.b"), vec![SEC_B1]);
    // Two letters: the unit's code exactly (C1's secretary, active first).
    assert_eq!(search("c1"), vec![SEC_C1, LOCKED]);
    let none = admin.get("/admin/users?q=kh%C3%B4ng%20c%C3%B3%20ai");
    assert_eq!(none.status, 200);
    assert!(none.body.contains("Không tìm thấy tài khoản nào."));

    // 120 more accounts: the list shows 100, then the rest on the next page.
    let mut conn = app.db();
    conn.batch_execute(&format!(
        "INSERT INTO users (username, display_name, password_hash, role, unit_id) \
         SELECT 'thanhvien' || lpad(g::text, 3, '0'), 'Thành viên ' || g, \
         '$argon2id$unused', 'secretary', {} FROM generate_series(1, 120) g",
        fx.c1a
    ))
    .expect("accounts");
    let first = admin.get("/admin/users");
    let mut seen = listed(&first);
    assert_eq!(seen.len(), 100);
    let mut next = first.page_link("next");
    for _ in 0..5 {
        let Some(link) = next else { break };
        let page = admin.get(&link);
        assert_eq!(page.status, 200);
        seen.extend(listed(&page));
        next = page.page_link("next");
    }
    assert_eq!(seen.len(), 127, "every account once");
    let mut unique = seen.clone();
    unique.sort();
    unique.dedup();
    assert_eq!(unique.len(), 127);
    assert_eq!(
        seen.last().map(String::as_str),
        Some(LOCKED),
        "inactive last"
    );
    // A search pages too, and keeps its text in the link.
    let found = admin.get("/admin/users?q=thanh%20vien");
    assert_eq!(listed(&found).len(), 100);
    let link = found.page_link("next").unwrap_or_default();
    assert!(link.contains("q=thanh+vien"), "{link}");
    assert_eq!(listed(&admin.get(&link)).len(), 20);
}

#[test]
fn the_new_committee_kinds_are_offered_and_a_reviewer_is_named_after_their_committee() {
    let (app, fx) = app_with_fixture();
    let admin = app.signed_in(ADMIN, PASSWORD);
    let form = admin.get("/admin/units/new");
    for label in [
        "Đảng ủy các cơ quan Đảng tỉnh",
        "Đảng ủy UBND tỉnh",
        "Đảng ủy xã/phường",
    ] {
        assert!(text_of(&form.body).contains(label), "{label} offered");
    }
    let created = admin.post_form_csrf(
        "/admin/units",
        &[
            ("name", "Đảng ủy UBND tỉnh Thử nghiệm"),
            ("code", "DU-UBND"),
            ("kind", "province_government_committee"),
            ("parent_id", &fx.tu.to_string()),
            ("active", "on"),
        ],
    );
    assert_eq!(created.status, 303, "{}", created.body);
    let unit = app.unit_id("DU-UBND");
    let account = admin.post_form_csrf(
        "/admin/users",
        &[
            ("username", "btv.ubnd"),
            ("display_name", "Trần Thị Bình"),
            ("role", "reviewer"),
            ("unit_id", &unit.to_string()),
            ("active", "on"),
            ("password", "den-long-ubnd-2026-xanh"),
        ],
    );
    assert_eq!(account.status, 303, "{}", account.body);
    let list = admin.get("/admin/users");
    let role = |username: &str| {
        list.text_at(&format!("tr[data-user=\"{username}\"] [data-role]"))
            .unwrap_or_default()
    };
    assert_eq!(role("btv.ubnd"), "Ban Thường vụ Đảng ủy UBND tỉnh");
    assert_eq!(
        role(REV_A),
        "Ban Thường vụ Khối",
        "a bloc's reviewer as before"
    );
    assert_eq!(role(SEC_C1), "Bí thư");
}
