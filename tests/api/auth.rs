//! Signing in and out, who is let in, and the CSRF refusal on every state-changing route.

use crate::helpers::*;

const WRONG_CREDENTIALS: &str = "Tên đăng nhập hoặc mật khẩu không đúng.";
const LOCKED_ACCOUNT: &str = "Tài khoản này đã bị khóa";

#[test]
fn healthz_answers_ok() {
    let app = TestApp::spawn();
    let page = app.client().get("/healthz");
    assert_eq!(page.status, 200);
    assert_eq!(page.body, "ok");
}

#[test]
fn sign_in_renews_the_session_and_sign_out_ends_it() {
    let (app, _fx) = app_with_fixture();
    let client = app.client();
    let login = client.get("/login");
    assert_eq!(login.status, 200);
    assert!(login.body.contains("action=\"/login\""), "{}", login.body);
    let cookie_before = client
        .session_cookie()
        .expect("a session cookie before sign-in");
    let token_before = client.csrf_token();

    // Usernames are case-insensitive.
    let page = client.sign_in(&SEC_C1.to_uppercase(), PASSWORD);
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(page.location.as_deref(), Some("/home"));
    let cookie_after = client
        .session_cookie()
        .expect("a session cookie after sign-in");
    assert_ne!(
        cookie_before, cookie_after,
        "the session cookie must change at sign-in"
    );
    let dashboard = client.get("/dashboard");
    assert_eq!(dashboard.status, 200);
    // Private figures are not kept by the browser for the back button after sign-out.
    assert_eq!(dashboard.header("cache-control"), Some("no-store"));
    assert_eq!(client.get("/").location.as_deref(), Some("/home"));
    assert_eq!(client.get("/login").location.as_deref(), Some("/home"));

    // A token seen before sign-in is worthless afterwards.
    let page = client.post_form("/logout", &[("csrf_token", &token_before)]);
    assert_eq!(page.status, 403);
    assert!(client.is_signed_in());

    let page = client.sign_out();
    assert_eq!(page.status, 303);
    assert_eq!(page.location.as_deref(), Some("/login"));
    let page = client.get("/dashboard");
    assert_eq!(page.status, 303);
    assert_eq!(page.location.as_deref(), Some("/login"));
    assert_eq!(client.get("/").location.as_deref(), Some("/login"));
}

#[test]
fn wrong_password_unknown_user_and_locked_account_are_refused() {
    let (app, fx) = app_with_fixture();
    let client = app.client();

    let page = client.sign_in(SEC_C1, "mat-khau-sai-roi");
    assert_eq!(page.status, 422);
    assert!(page.body.contains(WRONG_CREDENTIALS), "{}", page.body);
    assert!(
        keeps_value(&page, SEC_C1),
        "the username is kept: {}",
        page.body
    );
    assert!(!client.is_signed_in());

    let page = client.sign_in("khong.ai.ca", PASSWORD);
    assert_eq!(page.status, 422);
    assert!(page.body.contains(WRONG_CREDENTIALS), "{}", page.body);
    assert!(!client.is_signed_in());

    let page = client.sign_in("", "");
    assert_eq!(page.status, 422);
    assert!(page.body.contains(WRONG_CREDENTIALS), "{}", page.body);

    // A locked account with the right password is told so; with a wrong one it learns nothing.
    let page = client.sign_in(LOCKED, PASSWORD);
    assert_eq!(page.status, 422);
    assert!(page.body.contains(LOCKED_ACCOUNT), "{}", page.body);
    assert!(!client.is_signed_in());
    let page = client.sign_in(LOCKED, "mat-khau-sai-roi");
    assert_eq!(page.status, 422);
    assert!(page.body.contains(WRONG_CREDENTIALS), "{}", page.body);
    assert!(!page.body.contains(LOCKED_ACCOUNT));

    assert!(
        !app.user(fx.locked).active,
        "the locked account stays locked"
    );

    // After all that, the right password still works.
    assert_eq!(client.sign_in(SEC_C1, PASSWORD).status, 303);
}

#[test]
fn signed_out_visitors_are_sent_to_sign_in_and_the_api_says_401() {
    let (app, fx) = app_with_fixture();
    let client = app.client();
    for path in [
        "/dashboard".to_owned(),
        "/dashboard?year=2022".to_owned(),
        "/initiatives".to_owned(),
        "/initiatives/new".to_owned(),
        format!("/initiatives/{}", fx.item(1)),
        format!("/initiatives/{}/edit", fx.item(1)),
        "/account/password".to_owned(),
        "/admin/units".to_owned(),
        "/admin/users".to_owned(),
        format!("/admin/units/{}/edit", fx.c1),
        format!("/admin/users/{}/edit", fx.sec_c1),
    ] {
        let page = client.get(&path);
        assert_eq!(page.status, 303, "{path}");
        assert_eq!(page.location.as_deref(), Some("/login"), "{path}");
    }
    for path in [
        "/api/v1/stats?year=2022",
        "/api/v1/units",
        "/api/v1/initiatives?year=2022",
    ] {
        let page = client.get(path);
        assert_eq!(page.status, 401, "{path}");
        assert!(
            page.content_type.starts_with("application/json"),
            "{path}: {}",
            page.content_type
        );
        assert!(page.json().get("error").is_some(), "{path}: {}", page.body);
    }

    // A signed-out POST stores nothing, even with a valid token of the signed-out session.
    let before = snapshot(&app);
    let form = initiative_form(fx.c1);
    let page = client.post_form_csrf("/initiatives", &pairs(&form));
    assert_eq!(page.status, 303);
    assert_eq!(page.location.as_deref(), Some("/login"));
    assert_eq!(snapshot(&app), before);
}

#[test]
fn a_deactivated_account_loses_access_at_once() {
    let (app, fx) = app_with_fixture();
    let client = app.signed_in(SEC_C2, PASSWORD);
    assert!(client.is_signed_in());
    let mut conn = app.db();
    lamtheobac::store::users::update(
        &mut conn,
        fx.admin,
        fx.sec_c2,
        &lamtheobac::store::users::UserChanges {
            display_name: "Người dùng bithu.c2".to_owned(),
            role: lamtheobac::domain::Role::Secretary,
            unit_id: Some(fx.c2),
            active: false,
            phone: None,
            email: None,
        },
    )
    .expect("deactivate");
    let page = client.get("/dashboard");
    assert_eq!(page.status, 303);
    assert_eq!(page.location.as_deref(), Some("/login"));
    assert_eq!(client.get("/api/v1/units").status, 401);
}

/// Every state-changing route, with a body that would be accepted with a valid token.
fn post_routes(app: &TestApp, fx: &Fixture) -> Vec<(String, Vec<(&'static str, String)>)> {
    vec![
        ("/initiatives".to_owned(), initiative_form(fx.c1)),
        (
            format!("/initiatives/{}", fx.item(3)),
            with(edit_form_of(app, fx.item(3)), "title", "Tên đã sửa"),
        ),
        // The review steps, in an order that each is allowed when its turn comes: #4
        // waits for approval, #1 is accepted, #7 is accepted (and is purged last).
        (
            format!("/initiatives/{}/return", fx.item(4)),
            vec![("reason", "Thiếu mốc thời gian.".to_owned())],
        ),
        (format!("/initiatives/{}/resubmit", fx.item(4)), vec![]),
        (format!("/initiatives/{}/approve", fx.item(4)), vec![]),
        (
            format!("/initiatives/{}/reopen", fx.item(1)),
            vec![("reason", "Sửa giá trị thực hiện.".to_owned())],
        ),
        (
            format!(
                "/initiatives/{}/evidence/{}/remove",
                fx.item(1),
                app.first_evidence(fx.item(1))
            ),
            vec![],
        ),
        (format!("/initiatives/{}/purge", fx.item(7)), vec![]),
        (
            "/deadlines".to_owned(),
            vec![
                ("unit", fx.ka.to_string()),
                ("year", "2023".to_owned()),
                ("registration_deadline", "31/03/2023".to_owned()),
                ("reporting_deadline", "15/12/2023".to_owned()),
            ],
        ),
        (
            "/deadlines/reopen".to_owned(),
            vec![
                ("unit", fx.c2.to_string()),
                ("year", "2023".to_owned()),
                (
                    "until",
                    lamtheobac::domain::today_in_vietnam()
                        .format("%d/%m/%Y")
                        .to_string(),
                ),
            ],
        ),
        (
            "/account/password".to_owned(),
            vec![
                ("current_password", PASSWORD.to_owned()),
                ("new_password", "mat-khau-moi-123".to_owned()),
                ("confirm_password", "mat-khau-moi-123".to_owned()),
            ],
        ),
        ("/account/sessions/end-others".to_owned(), vec![]),
        (
            "/admin/units".to_owned(),
            vec![
                ("code", "MOI".to_owned()),
                ("name", "Chi bộ Mới".to_owned()),
                ("kind", "grassroots_cell".to_owned()),
                ("parent_id", fx.ka.to_string()),
                ("expected_to_register", "on".to_owned()),
                ("active", "on".to_owned()),
            ],
        ),
        (
            format!("/admin/units/{}", fx.c2),
            vec![
                ("code", "C2".to_owned()),
                ("name", "Chi bộ Đổi tên".to_owned()),
                ("kind", "grassroots_cell".to_owned()),
                ("parent_id", fx.kb.to_string()),
                ("expected_to_register", "on".to_owned()),
                ("active", "on".to_owned()),
            ],
        ),
        (
            "/admin/users".to_owned(),
            vec![
                ("username", "nguoi.moi".to_owned()),
                ("display_name", "Người Mới".to_owned()),
                ("role", "secretary".to_owned()),
                ("unit_id", fx.c2.to_string()),
                ("active", "on".to_owned()),
                ("password", "mat-khau-ban-dau-2026".to_owned()),
            ],
        ),
        (
            format!("/admin/users/{}", fx.sec_c2),
            vec![
                ("display_name", "Đã đổi".to_owned()),
                ("role", "reviewer".to_owned()),
                ("unit_id", fx.ka.to_string()),
            ],
        ),
        (
            format!("/admin/users/{}/password", fx.sec_c2),
            vec![("new_password", "mat-khau-dat-lai-1".to_owned())],
        ),
    ]
}

#[test]
fn every_post_without_a_valid_csrf_token_is_refused_and_changes_nothing() {
    let (app, fx) = app_with_fixture();
    let admin = app.signed_in(ADMIN, PASSWORD);
    // A real token, but of another session.
    let stranger_token = app.client().csrf_token();
    let before = snapshot(&app);

    for (path, form) in post_routes(&app, &fx) {
        let missing = admin.post_form(&path, &pairs(&form));
        assert_eq!(missing.status, 403, "{path} without a token");
        for token in ["", "x", stranger_token.as_str()] {
            let mut bad = pairs(&form);
            bad.push(("csrf_token", token));
            let page = admin.post_form(&path, &bad);
            assert_eq!(page.status, 403, "{path} with token {token:?}");
        }
        assert_eq!(snapshot(&app), before, "{path} changed something");
    }

    // Signing out without a token leaves the person signed in.
    assert_eq!(admin.post_form("/logout", &[]).status, 403);
    assert_eq!(
        admin.post_form("/logout", &[("csrf_token", "x")]).status,
        403
    );
    assert!(admin.is_signed_in());

    // Signing in without a token does not sign in, even with the right password.
    let visitor = app.client();
    visitor.get("/login");
    let page = visitor.post_form("/login", &[("username", SEC_C1), ("password", PASSWORD)]);
    assert_eq!(page.status, 403);
    let page = visitor.post_form(
        "/login",
        &[
            ("username", SEC_C1),
            ("password", PASSWORD),
            ("csrf_token", &stranger_token),
        ],
    );
    assert_eq!(page.status, 403);
    assert!(!visitor.is_signed_in());
    // And a visitor who never loaded a page (no session at all) is refused too.
    let fresh = app.client();
    let page = fresh.post_form(
        "/login",
        &[
            ("username", SEC_C1),
            ("password", PASSWORD),
            ("csrf_token", ""),
        ],
    );
    assert_eq!(page.status, 403);
    assert!(!fresh.is_signed_in());

    // The same requests with the right token do go through (the refusals above were
    // about the token, not the bodies).
    for (path, form) in post_routes(&app, &fx) {
        let page = admin.post_form_csrf(&path, &pairs(&form));
        // A password reset answers with the page showing the temporary password once.
        let expected = if path.starts_with("/admin/users/") && path.ends_with("/password") {
            200
        } else {
            303
        };
        assert_eq!(
            page.status, expected,
            "{path} with a valid token: {}",
            page.body
        );
    }
    assert_ne!(snapshot(&app), before);
}

#[test]
fn own_password_change() {
    let (app, _fx) = app_with_fixture();
    let client = app.signed_in(SEC_C1, PASSWORD);
    let form = client.get("/account/password");
    assert_eq!(form.status, 200);
    let before = snapshot(&app);

    let attempt = |current: &str, new: &str, confirm: &str| {
        client.post_form_csrf(
            "/account/password",
            &[
                ("current_password", current),
                ("new_password", new),
                ("confirm_password", confirm),
            ],
        )
    };
    let page = attempt("mat-khau-sai-roi", "mat-khau-moi-123", "mat-khau-moi-123");
    assert_eq!(page.status, 422);
    assert_eq!(page.field_errors(), ["current_password"], "{}", page.body);
    let page = attempt(PASSWORD, "ngan", "ngan");
    assert_eq!(page.status, 422);
    assert_eq!(page.field_errors(), ["new_password"], "{}", page.body);
    let page = attempt(PASSWORD, "mat-khau-moi-123", "mat-khau-moi-456");
    assert_eq!(page.status, 422);
    assert_eq!(page.field_errors(), ["confirm_password"], "{}", page.body);
    assert!(
        page.field_error("confirm_password")
            .is_some_and(|m| !m.is_empty())
    );
    assert_eq!(snapshot(&app), before, "refused changes store nothing");

    let page = attempt(PASSWORD, "mat-khau-moi-123", "mat-khau-moi-123");
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(client.sign_out().status, 303);

    let other = app.client();
    assert_eq!(
        other.sign_in(SEC_C1, PASSWORD).status,
        422,
        "the old password is gone"
    );
    assert_eq!(other.sign_in(SEC_C1, "mat-khau-moi-123").status, 303);
}
