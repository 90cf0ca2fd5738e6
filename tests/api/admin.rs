//! Administration: the unit tree and user accounts.

use crate::helpers::*;

fn unit_form(
    code: &str,
    name: &str,
    kind: &str,
    parent: Option<i32>,
    expected: bool,
    active: bool,
) -> Vec<(&'static str, String)> {
    let mut form = vec![
        ("code", code.to_owned()),
        ("name", name.to_owned()),
        ("kind", kind.to_owned()),
        (
            "parent_id",
            parent.map(|id| id.to_string()).unwrap_or_default(),
        ),
    ];
    if expected {
        form.push(("expected_to_register", "on".to_owned()));
    }
    if active {
        form.push(("active", "on".to_owned()));
    }
    form
}

fn user_form(
    username: &str,
    role: &str,
    unit: Option<i32>,
    password: &str,
) -> Vec<(&'static str, String)> {
    vec![
        ("username", username.to_owned()),
        ("display_name", format!("Đồng chí {username}")),
        ("role", role.to_owned()),
        ("unit_id", unit.map(|id| id.to_string()).unwrap_or_default()),
        ("active", "on".to_owned()),
        ("password", password.to_owned()),
    ]
}

#[test]
fn admin_creates_edits_moves_and_deactivates_units() {
    let (app, fx) = app_with_fixture();
    let admin = app.signed_in(ADMIN, PASSWORD);
    assert_eq!(admin.get("/admin/units").status, 200);
    assert_eq!(admin.get("/admin/units/new").status, 200);
    assert_eq!(
        admin.get(&format!("/admin/units/{}/edit", fx.c1)).status,
        200
    );

    // Create.
    let units = app.count("units");
    let page = admin.post_form_csrf(
        "/admin/units",
        &pairs(&unit_form(
            "c1c",
            "Chi bộ Tổ chức",
            "attached_cell",
            Some(fx.c1),
            true,
            true,
        )),
    );
    assert_eq!(page.status, 303, "{}", page.body);
    // Back to the tree, at the level of the new unit.
    let level = format!("/admin/units?parent={}", fx.c1);
    assert_eq!(page.location.as_deref(), Some(level.as_str()));
    assert_eq!(app.count("units"), units + 1);
    let c1c = app.unit_id("C1C"); // codes are stored in upper case
    let list = admin.get(&level);
    assert!(list.body.contains("Chi bộ Tổ chức"));
    assert_eq!(
        app.count_where(&format!(
            "SELECT count(*) AS n FROM audit_log WHERE entity = 'unit' AND entity_id = {c1c} AND action = 'create' AND actor_id = {}",
            fx.admin
        )),
        1,
        "the create is logged with the admin as actor"
    );
    // The new cell is in the secretary's scope and counts for coverage at once.
    let secretary = app.signed_in(SEC_C1, PASSWORD);
    let stats = secretary.get("/api/v1/stats?year=2022").json();
    assert_eq!(stats["expected_units"], 4);

    // Refused: bad code, taken code, no name, unknown kind, unknown parent.
    let before = snapshot(&app);
    for (what, form, field) in [
        (
            "code with spaces",
            unit_form("C 1", "Tên", "grassroots_cell", Some(fx.ka), true, true),
            "code",
        ),
        (
            "code with diacritics",
            unit_form("CHIBỘ", "Tên", "grassroots_cell", Some(fx.ka), true, true),
            "code",
        ),
        (
            "empty code",
            unit_form("", "Tên", "grassroots_cell", Some(fx.ka), true, true),
            "code",
        ),
        (
            "taken code",
            unit_form("c2", "Tên", "grassroots_cell", Some(fx.ka), true, true),
            "code",
        ),
        (
            "empty name",
            unit_form("MOI", " ", "grassroots_cell", Some(fx.ka), true, true),
            "name",
        ),
        (
            "unknown kind",
            unit_form("MOI", "Tên", "club", Some(fx.ka), true, true),
            "kind",
        ),
        (
            "unknown parent",
            unit_form("MOI", "Tên", "grassroots_cell", Some(999_999), true, true),
            "parent_id",
        ),
    ] {
        let page = admin.post_form_csrf("/admin/units", &pairs(&form));
        assert_eq!(page.status, 422, "{what}: {}", page.body);
        assert_eq!(page.field_errors(), [field], "{what}");
        assert_eq!(snapshot(&app), before, "{what}: nothing stored");
    }

    // Edit: rename.
    let page = admin.post_form_csrf(
        &format!("/admin/units/{}", fx.c2),
        &pairs(&unit_form(
            "C2",
            "Chi bộ Sở Thử nghiệm",
            "grassroots_cell",
            Some(fx.ka),
            true,
            true,
        )),
    );
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(app.unit(fx.c2).name, "Chi bộ Sở Thử nghiệm");

    // Move C2 to bloc B: its initiatives follow it out of bloc A's figures.
    let reviewer_a = app.signed_in(REV_A, PASSWORD);
    let reviewer_b = app.signed_in(REV_B, PASSWORD);
    let page = admin.post_form_csrf(
        &format!("/admin/units/{}", fx.c2),
        &pairs(&unit_form(
            "C2",
            "Chi bộ Sở Thử nghiệm",
            "grassroots_cell",
            Some(fx.kb),
            true,
            true,
        )),
    );
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(app.unit(fx.c2).parent_id, Some(fx.kb));
    let stats_a = reviewer_a.get("/api/v1/stats?year=2022").json();
    assert_eq!(stats_a["registered"], 5, "bloc A loses #4 and #5");
    let stats_b = reviewer_b.get("/api/v1/stats?year=2022").json();
    assert_eq!(stats_b["registered"], 3, "bloc B gains them");
    assert_eq!(
        reviewer_b
            .get(&format!("/initiatives/{}", fx.item(4)))
            .status,
        200
    );
    assert_eq!(
        reviewer_a
            .get(&format!("/initiatives/{}", fx.item(4)))
            .status,
        404
    );

    // Moving a unit under itself or one of its own descendants is refused.
    let before = snapshot(&app);
    for (what, parent) in [
        ("itself", fx.c1),
        ("its child", fx.c1a),
        ("its grandchild", c1c),
    ] {
        let page = admin.post_form_csrf(
            &format!("/admin/units/{}", fx.c1),
            &pairs(&unit_form(
                "C1",
                "Đảng bộ Cải cách",
                "grassroots_committee",
                Some(parent),
                true,
                true,
            )),
        );
        assert_eq!(page.status, 422, "under {what}: {}", page.body);
        assert_eq!(page.field_errors(), ["parent_id"], "under {what}");
    }
    let page = admin.post_form_csrf(
        &format!("/admin/units/{}", fx.ka),
        &pairs(&unit_form(
            "KA",
            "Đảng ủy Khối A",
            "bloc_committee",
            Some(fx.c1a),
            false,
            true,
        )),
    );
    assert_eq!(page.status, 422, "a bloc under its grandchild");
    assert_eq!(snapshot(&app), before);
    assert_eq!(app.unit(fx.c1).parent_id, Some(fx.ka));

    // Deactivate C1B: it no longer counts as expected, and no longer takes registrations.
    let page = admin.post_form_csrf(
        &format!("/admin/units/{}", fx.c1b),
        &pairs(&unit_form(
            "C1B",
            "Chi bộ Kế toán",
            "attached_cell",
            Some(fx.c1),
            true,
            false,
        )),
    );
    assert_eq!(page.status, 303, "{}", page.body);
    assert!(!app.unit(fx.c1b).active);
    let stats = secretary.get("/api/v1/stats?year=2022").json();
    assert_eq!(stats["expected_units"], 3, "C1, C1A, C1C");
    let page = secretary.post_form_csrf("/initiatives", &pairs(&initiative_form(fx.c1b)));
    assert_eq!(page.status, 422);
    assert_eq!(page.field_errors(), ["unit_id"]);

    // Editing a unit that does not exist.
    let page = admin.post_form_csrf(
        "/admin/units/999999",
        &pairs(&unit_form(
            "ZZ",
            "Không có",
            "grassroots_cell",
            None,
            true,
            true,
        )),
    );
    assert_eq!(page.status, 404);
    assert_eq!(admin.get("/admin/units/999999/edit").status, 404);
}

/// The password the newcomer of the test below chooses for themselves.
const NEWCOMER_PASSWORD: &str = "ngựa ô qua cầu năm 2022";

#[test]
fn admin_creates_edits_deactivates_users_and_resets_passwords() {
    let (app, fx) = app_with_fixture();
    let admin = app.signed_in(ADMIN, PASSWORD);
    assert_eq!(admin.get("/admin/users").status, 200);
    assert_eq!(admin.get("/admin/users/new").status, 200);
    assert_eq!(
        admin
            .get(&format!("/admin/users/{}/edit", fx.sec_c1))
            .status,
        200
    );

    // Create a secretary for C2; they can sign in and see C2 only.
    let page = admin.post_form_csrf(
        "/admin/users",
        &pairs(&user_form(
            "Bi.Thu.Moi",
            "secretary",
            Some(fx.c2),
            "mat-khau-ban-dau",
        )),
    );
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(page.location.as_deref(), Some("/admin/users"));
    let new_id = app.user_id("bi.thu.moi"); // stored in lower case
    assert!(admin.get("/admin/users").body.contains("bi.thu.moi"));
    // The admin chose the password: the newcomer must replace it before anything else.
    let newcomer = app.client();
    let page = newcomer.sign_in("bi.thu.moi", "mat-khau-ban-dau");
    assert_eq!(page.location.as_deref(), Some("/account/password"));
    let page = newcomer.post_form_csrf(
        "/account/password",
        &[
            ("current_password", "mat-khau-ban-dau"),
            ("new_password", NEWCOMER_PASSWORD),
            ("confirm_password", NEWCOMER_PASSWORD),
        ],
    );
    assert_eq!(page.location.as_deref(), Some("/home"), "{}", page.body);
    let stats = newcomer.get("/api/v1/stats?year=2022").json();
    assert_eq!(stats["unit_id"], fx.c2);
    assert_eq!(
        app.count_where(&format!(
            "SELECT count(*) AS n FROM audit_log WHERE entity = 'user' AND entity_id = {new_id} AND action = 'create' AND actor_id = {} AND NOT (after ? 'password_hash')",
            fx.admin
        )),
        1,
        "the create is logged, without the password hash"
    );

    // Refused: taken username (in any case), bad username, short password, no unit for a
    // secretary, unknown unit, unknown role, empty name.
    let before = snapshot(&app);
    let mut empty_name = user_form("nguoi.khac", "secretary", Some(fx.c2), "mat-khau-ban-dau");
    empty_name[1].1 = String::new();
    for (what, form, field) in [
        (
            "taken username",
            user_form("BITHU.C1", "secretary", Some(fx.c2), "mat-khau-ban-dau"),
            "username",
        ),
        (
            "username with a space",
            user_form("bi thu", "secretary", Some(fx.c2), "mat-khau-ban-dau"),
            "username",
        ),
        (
            "username with diacritics",
            user_form("bíthư", "secretary", Some(fx.c2), "mat-khau-ban-dau"),
            "username",
        ),
        (
            "short password",
            user_form("nguoi.khac", "secretary", Some(fx.c2), "ngan"),
            "password",
        ),
        (
            "secretary without a unit",
            user_form("nguoi.khac", "secretary", None, "mat-khau-ban-dau"),
            "unit_id",
        ),
        (
            "unknown unit",
            user_form("nguoi.khac", "reviewer", Some(999_999), "mat-khau-ban-dau"),
            "unit_id",
        ),
        (
            "unknown role",
            user_form("nguoi.khac", "superuser", Some(fx.c2), "mat-khau-ban-dau"),
            "role",
        ),
        ("empty name", empty_name, "display_name"),
    ] {
        let page = admin.post_form_csrf("/admin/users", &pairs(&form));
        assert_eq!(page.status, 422, "{what}: {}", page.body);
        assert_eq!(page.field_errors(), [field], "{what}");
        assert_eq!(snapshot(&app), before, "{what}: nothing stored");
    }

    // Edit: make the newcomer a reviewer of bloc A; their scope follows.
    let edit = |role: &str, unit: i32, active: bool| {
        let mut form = vec![
            ("display_name", "Đồng chí Mới".to_owned()),
            ("role", role.to_owned()),
            ("unit_id", unit.to_string()),
        ];
        if active {
            form.push(("active", "on".to_owned()));
        }
        admin.post_form_csrf(&format!("/admin/users/{new_id}"), &pairs(&form))
    };
    let page = edit("reviewer", fx.ka, true);
    assert_eq!(page.status, 303, "{}", page.body);
    // A role change ends the account's sessions: the newcomer signs in again.
    assert_eq!(newcomer.get("/api/v1/stats?year=2022").status, 401);
    let newcomer = app.signed_in("bi.thu.moi", NEWCOMER_PASSWORD);
    let stats = newcomer.get("/api/v1/stats?year=2022").json();
    assert_eq!(stats["unit_id"], fx.ka);
    assert_eq!(
        newcomer.get("/initiatives/new").status,
        403,
        "a reviewer now"
    );

    // Deactivate: the open session ends, and signing in says the account is locked.
    let page = edit("reviewer", fx.ka, false);
    assert_eq!(page.status, 303, "{}", page.body);
    assert!(!app.user(new_id).active);
    assert_eq!(
        newcomer.get("/dashboard").location.as_deref(),
        Some("/login")
    );
    let page = app.client().sign_in("bi.thu.moi", NEWCOMER_PASSWORD);
    assert_eq!(page.status, 422);
    assert!(page.body.contains("Tài khoản này đã bị khóa"));

    // Reset a password: the system makes a temporary one and shows it once; it works,
    // the old one does not, and it must be changed at sign-in. (The admin no longer
    // types the new password: a field sent anyway is ignored.)
    let page = admin.post_form_csrf(
        &format!("/admin/users/{}/password", fx.sec_c2),
        &[("new_password", "ngan")],
    );
    assert_eq!(page.status, 200, "{}", page.body);
    let temporary = page
        .element_html("data-temporary-password")
        .map(|html| text_of(&html))
        .expect("the temporary password is shown");
    assert_eq!(temporary.chars().count(), 14, "{temporary}");
    assert_eq!(app.client().sign_in(SEC_C2, PASSWORD).status, 422);
    assert_eq!(app.client().sign_in(SEC_C2, "ngan").status, 422);
    assert_eq!(
        app.client().sign_in(SEC_C2, &temporary).location.as_deref(),
        Some("/account/password")
    );
    assert!(
        !admin
            .get(&format!("/admin/users/{}/edit", fx.sec_c2))
            .body
            .contains(&temporary),
        "shown once only"
    );
    assert_eq!(
        app.count_where(&format!(
            "SELECT count(*) AS n FROM audit_log WHERE entity = 'user' AND entity_id = {} AND action = 'update' AND after ->> 'password' = 'changed' AND actor_id = {}",
            fx.sec_c2, fx.admin
        )),
        1
    );

    // An admin cannot lock themselves out.
    let before = snapshot(&app);
    let page = admin.post_form_csrf(
        &format!("/admin/users/{}", fx.admin),
        &[
            ("display_name", "Quản trị"),
            ("role", "admin"),
            ("unit_id", ""),
        ],
    );
    assert_eq!(page.status, 422);
    let page = admin.post_form_csrf(
        &format!("/admin/users/{}", fx.admin),
        &[
            ("display_name", "Quản trị"),
            ("role", "secretary"),
            ("unit_id", &fx.c1.to_string()),
            ("active", "on"),
        ],
    );
    assert_eq!(page.status, 422);
    assert_eq!(snapshot(&app), before);

    // Unknown accounts.
    assert_eq!(admin.get("/admin/users/999999/edit").status, 404);
    let page = admin.post_form_csrf(
        "/admin/users/999999/password",
        &[("new_password", "mat-khau-dat-lai-2022")],
    );
    assert_eq!(page.status, 404);
}

#[test]
fn non_admins_get_403_on_every_admin_route_and_change_nothing() {
    let (app, fx) = app_with_fixture();
    let before = snapshot(&app);
    for username in [SEC_C1, REV_A] {
        let client = app.signed_in(username, PASSWORD);
        for path in [
            "/admin/units".to_owned(),
            "/admin/units/new".to_owned(),
            format!("/admin/units/{}/edit", fx.c1),
            "/admin/users".to_owned(),
            "/admin/users/new".to_owned(),
            format!("/admin/users/{}/edit", fx.sec_c1),
        ] {
            let page = client.get(&path);
            assert_eq!(page.status, 403, "{username} GET {path}");
        }
        let posts: Vec<(String, Vec<(&'static str, String)>)> = vec![
            (
                "/admin/units".to_owned(),
                unit_form(
                    "MOI",
                    "Chi bộ Mới",
                    "grassroots_cell",
                    Some(fx.c1),
                    true,
                    true,
                ),
            ),
            (
                format!("/admin/units/{}", fx.c1),
                unit_form(
                    "C1",
                    "Đổi tên",
                    "grassroots_committee",
                    Some(fx.kb),
                    true,
                    true,
                ),
            ),
            (
                "/admin/users".to_owned(),
                user_form("tu.cap", "admin", None, "mat-khau-tu-cap-quyen"),
            ),
            (
                format!("/admin/users/{}", fx.sec_c1),
                vec![
                    ("display_name", "Tự nâng quyền".to_owned()),
                    ("role", "admin".to_owned()),
                    ("unit_id", String::new()),
                    ("active", "on".to_owned()),
                ],
            ),
            (
                format!("/admin/users/{}/password", fx.admin),
                vec![("new_password", "chiem-quyen-quan-tri".to_owned())],
            ),
        ];
        for (path, form) in posts {
            let page = client.post_form_csrf(&path, &pairs(&form));
            assert_eq!(page.status, 403, "{username} POST {path}");
        }
    }
    assert_eq!(snapshot(&app), before, "nothing changed");
    assert_eq!(
        app.client().sign_in(ADMIN, PASSWORD).status,
        303,
        "the admin's password is intact"
    );
}

#[test]
fn a_unit_name_with_a_hidden_bidirectional_character_gets_a_form_error() {
    let (app, fx) = app_with_fixture();
    let admin = app.signed_in(ADMIN, PASSWORD);
    let units = app.count("units");
    let name = "Chi bộ \u{2067}Tổ chức";
    let page = admin.post_form_csrf(
        "/admin/units",
        &pairs(&unit_form(
            "c1c",
            name,
            "attached_cell",
            Some(fx.c1),
            true,
            true,
        )),
    );
    assert_eq!(page.status, 422, "{}", page.body);
    assert_eq!(
        page.field_error("name").as_deref(),
        Some(
            "Tên đơn vị chứa ký tự điều khiển ẩn U+2067 (cô lập chiều phải sang trái) ở vị trí \
             8; hãy xoá nó."
        )
    );
    assert!(keeps_value(&page, name));
    assert_eq!(app.count("units"), units);
}
