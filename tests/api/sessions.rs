//! Sessions end on the server: a copied cookie is refused after sign-out, a password
//! change, an admin's reset, the idle and absolute timeouts (the test moves the
//! application's clock) and a deactivation; the account page lists the sessions; a
//! temporary password is changed before anything else.

use chrono::TimeDelta;

use crate::helpers::*;

/// A password a person chooses for themselves in these tests.
const CHOSEN: &str = "cây đa giếng nước sân đình 2022";

/// Whether the cookie `client` holds still opens a page and the API. Each request
/// comes from a fresh copy of it: a refusal makes the browser forget its cookie, a
/// thief keeps theirs.
fn is_refused(client: &Client) -> bool {
    let page = client.copy().get("/dashboard");
    let api = client.copy().get("/api/v1/units");
    match (page.status, api.status) {
        (303, 401) => {
            assert_eq!(page.location.as_deref(), Some("/login"));
            true
        }
        (200, 200) => false,
        other => panic!("a session either works or is refused, got {other:?}"),
    }
}

/// Changes the client's own password from `current` to [`CHOSEN`].
fn change_password(client: &Client, current: &str) -> Page {
    client.post_form_csrf(
        "/account/password",
        &[
            ("current_password", current),
            ("new_password", CHOSEN),
            ("confirm_password", CHOSEN),
        ],
    )
}

#[test]
fn a_copied_cookie_is_refused_after_sign_out() {
    let (app, fx) = app_with_fixture();
    let client = app.signed_in(SEC_C1, PASSWORD);
    let thief = client.copy();
    assert!(
        !is_refused(&thief),
        "the copy works while the session lives"
    );
    let token = thief.csrf_token();

    assert_eq!(client.sign_out().location.as_deref(), Some("/login"));
    assert!(is_refused(&thief));
    // Nor can the copy register an initiative with the token it saw.
    let before = snapshot(&app);
    let form = with(initiative_form(fx.c1), "csrf_token", &token);
    let page = thief.copy().post_form("/initiatives", &pairs(&form));
    assert_eq!(page.location.as_deref(), Some("/login"));
    assert_eq!(snapshot(&app), before, "nothing stored");
}

#[test]
fn a_password_change_ends_the_other_sessions_and_keeps_this_one() {
    let (app, _fx) = app_with_fixture();
    let laptop = app.signed_in(SEC_C1, PASSWORD);
    let phone = app.signed_in(SEC_C1, PASSWORD);
    let page = change_password(&laptop, PASSWORD);
    assert_eq!(page.location.as_deref(), Some("/home"), "{}", page.body);
    assert!(
        text_of(&laptop.follow(&page).body)
            .contains("Các phiên đăng nhập trên thiết bị khác đã kết thúc")
    );
    assert!(!is_refused(&laptop), "the session that changed it goes on");
    assert!(is_refused(&phone), "the other session ended");
}

#[test]
fn an_admin_reset_ends_every_session_of_the_account() {
    let (app, fx) = app_with_fixture();
    let secretary = app.signed_in(SEC_C2, PASSWORD);
    let thief = secretary.copy();
    let admin = app.signed_in(ADMIN, PASSWORD);
    let page = admin.post_form_csrf(&format!("/admin/users/{}/password", fx.sec_c2), &[]);
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(is_refused(&secretary));
    assert!(is_refused(&thief));
    assert!(!is_refused(&admin), "the admin's own session goes on");
}

#[test]
fn a_session_ends_after_thirty_idle_minutes() {
    let (app, _fx) = app_with_fixture();
    let client = app.signed_in(SEC_C1, PASSWORD);
    let thief = client.copy();
    // Used every 29 minutes, it lives on past the first half hour.
    app.clock.advance(TimeDelta::minutes(29));
    assert!(!is_refused(&client));
    app.clock.advance(TimeDelta::minutes(29));
    assert!(!is_refused(&client));
    // Then 31 minutes without a request.
    app.clock.advance(TimeDelta::minutes(31));
    assert!(is_refused(&client));
    assert!(is_refused(&thief));
    assert_eq!(app.count("sessions"), 0, "the dead session's row is gone");
}

#[test]
fn a_session_ends_twelve_hours_after_sign_in_however_busy() {
    let (app, _fx) = app_with_fixture();
    let client = app.signed_in(SEC_C1, PASSWORD);
    let thief = client.copy();
    // A request every 25 minutes for 11 h 40 min: never idle.
    for step in 1..=28 {
        app.clock.advance(TimeDelta::minutes(25));
        assert!(!is_refused(&client), "after {} minutes", step * 25);
    }
    app.clock.advance(TimeDelta::minutes(25));
    assert!(is_refused(&client), "12 h 05 min after sign-in");
    assert!(is_refused(&thief));

    // A clock moved days ahead refuses the next session at once, too.
    let client = app.signed_in(SEC_C1, PASSWORD);
    app.clock.advance(TimeDelta::days(8));
    assert!(is_refused(&client));
}

#[test]
fn deactivation_then_reactivation_does_not_bring_old_cookies_back() {
    let (app, fx) = app_with_fixture();
    let secretary = app.signed_in(SEC_C2, PASSWORD);
    let thief = secretary.copy();
    let admin = app.signed_in(ADMIN, PASSWORD);
    let set_active = |active: bool| {
        let mut form = vec![
            ("display_name", "Người dùng bithu.c2"),
            ("role", "secretary"),
        ];
        let unit = fx.c2.to_string();
        form.push(("unit_id", &unit));
        if active {
            form.push(("active", "on"));
        }
        let page = admin.post_form_csrf(&format!("/admin/users/{}", fx.sec_c2), &form);
        assert_eq!(
            page.location.as_deref(),
            Some("/admin/users"),
            "{}",
            page.body
        );
    };
    set_active(false);
    set_active(true);
    assert!(
        is_refused(&thief),
        "the copy stays dead after re-activation"
    );
    assert!(is_refused(&secretary));

    // Even when the account was locked behind the application's back (straight in
    // the database), re-activating it ends what was open.
    let secretary = app.signed_in(SEC_C2, PASSWORD);
    let thief = secretary.copy();
    let mut conn = app.db();
    diesel::RunQueryDsl::execute(
        diesel::sql_query(format!(
            "UPDATE users SET active = false WHERE id = {}",
            fx.sec_c2
        )),
        &mut conn,
    )
    .expect("lock the account in SQL");
    // (No request in between: a refused request would delete its own session's row.)
    set_active(true);
    assert!(is_refused(&thief));
    assert!(is_refused(&secretary));
    assert!(
        !is_refused(&app.signed_in(SEC_C2, PASSWORD)),
        "a new sign-in works"
    );
}

#[test]
fn the_account_page_lists_the_sessions_and_signs_out_the_other_devices() {
    let (app, _fx) = app_with_fixture();
    let laptop = app.client_named("Mozilla/5.0 (X11; Linux) Firefox/128.0 <b>co quan</b>");
    assert_eq!(laptop.sign_in(SEC_C1, PASSWORD).status, 303);
    let phone = app.client_named("Mozilla/5.0 (Linux; Android 14) Chrome/131.0");
    assert_eq!(phone.sign_in(SEC_C1, PASSWORD).status, 303);
    let someone_else = app.signed_in(SEC_C2, PASSWORD);

    let page = laptop.get("/account");
    assert_eq!(page.status, 200);
    let rows = page.attribute_values("data-session");
    assert_eq!(
        rows.len(),
        2,
        "two sessions of bithu.c1 only: {}",
        page.body
    );
    let current = page
        .element_html("data-current")
        .expect("this session is marked");
    let current = text_of(&current);
    assert!(current.contains("Phiên này"), "{current}");
    assert!(
        current.contains("Firefox/128.0 <b>co quan</b>"),
        "escaped: {current}"
    );
    assert!(current.contains("127.0.0.1"), "{current}");
    let text = text_of(&page.body);
    assert!(text.contains("Android 14"), "{text}");
    // Times as Vietnamese readers write them, in Vietnam time.
    let shown = app
        .text("SELECT to_char(created_at AT TIME ZONE INTERVAL '+07:00', 'HH24:MI DD/MM/YYYY') AS v FROM sessions ORDER BY id LIMIT 1")
        .expect("a session");
    assert!(text.contains(&shown), "{shown} in {text}");
    assert!(
        laptop.get("/dashboard").body.contains("href=\"/account\""),
        "linked from the menu"
    );

    let page = laptop.post_form_csrf("/account/sessions/end-others", &[]);
    assert_eq!(page.location.as_deref(), Some("/account"));
    let page = laptop.follow(&page);
    assert!(text_of(&page.body).contains("Đã đăng xuất 1 phiên trên các thiết bị khác."));
    assert_eq!(page.attribute_values("data-session").len(), 1);
    assert!(is_refused(&phone));
    assert!(!is_refused(&laptop));
    assert!(
        !is_refused(&someone_else),
        "another person's session is not touched"
    );

    // Without the form's token nothing happens.
    let phone = app.signed_in(SEC_C1, PASSWORD);
    let page = laptop.post_form("/account/sessions/end-others", &[("csrf_token", "sai")]);
    assert_eq!(page.status, 403);
    assert!(!is_refused(&phone));
}

#[test]
fn the_cookie_takes_the_host_prefix_when_cookies_are_secure() {
    let app = TestApp::spawn_with(|settings| settings.cookie_secure = true);
    let page = app.client().get("/login");
    let cookie = page.header("set-cookie").expect("a session cookie");
    assert!(cookie.starts_with("__Host-lamtheobac_session="), "{cookie}");
    for attribute in ["Path=/", "Secure", "HttpOnly"] {
        assert!(
            cookie.split("; ").any(|part| part == attribute),
            "{attribute} in {cookie}"
        );
    }
    assert!(!cookie.contains("Domain="), "{cookie}");

    let app = TestApp::spawn();
    let page = app.client().get("/login");
    let cookie = page.header("set-cookie").expect("a session cookie");
    assert!(cookie.starts_with("lamtheobac_session="), "{cookie}");
    assert!(!cookie.contains("Secure"), "{cookie}");
}

#[test]
fn a_temporary_password_must_be_changed_before_anything_else() {
    let (app, fx) = app_with_fixture();
    let admin = app.signed_in(ADMIN, PASSWORD);
    let listed = |username: &str| {
        let list = admin.get("/admin/users");
        let row = list
            .element_html(&format!("data-user=\"{username}\""))
            .expect("the account is listed");
        text_of(&row)
    };
    assert!(
        listed(SEC_C2).contains("Chưa đăng nhập"),
        "{}",
        listed(SEC_C2)
    );
    let page = admin.post_form_csrf(&format!("/admin/users/{}/password", fx.sec_c2), &[]);
    let temporary = page
        .element_html("data-temporary-password")
        .map(|html| text_of(&html))
        .expect("the temporary password is shown");
    let stored = app.user(fx.sec_c2).password_hash;
    assert!(stored.starts_with("$argon2id$") && !stored.contains(&temporary));

    let person = app.client();
    let history = app.count("audit_log");
    let page = person.sign_in(SEC_C2, &temporary);
    assert_eq!(page.location.as_deref(), Some("/account/password"));
    assert_eq!(
        app.count("audit_log"),
        history,
        "a sign-in is not an edit of the account"
    );
    assert!(
        !listed(SEC_C2).contains("Chưa đăng nhập"),
        "the sign-in time is shown"
    );
    let form = person.get("/account/password");
    assert_eq!(form.status, 200);
    assert!(
        text_of(&form.body).contains("Mật khẩu của bạn là mật khẩu tạm thời"),
        "{}",
        form.body
    );
    for path in [
        "/".to_owned(),
        "/dashboard".to_owned(),
        "/initiatives".to_owned(),
        "/initiatives/new".to_owned(),
        format!("/initiatives/{}", fx.item(4)),
        "/account".to_owned(),
        "/review".to_owned(),
    ] {
        let mut page = person.get(&path);
        if path == "/" {
            page = person.follow(&page);
        }
        assert_eq!(page.status, 303, "{path}");
        assert_eq!(
            page.location.as_deref(),
            Some("/account/password"),
            "{path}"
        );
    }
    let api = person.get("/api/v1/units");
    assert_eq!(api.status, 403);
    assert!(
        api.json()["error"]
            .as_str()
            .is_some_and(|message| message.contains("mật khẩu tạm thời")),
        "{}",
        api.body
    );
    assert_eq!(person.get("/static/app.css").status, 200, "assets load");
    let before = snapshot(&app);
    let page = person.post_form_csrf("/initiatives", &pairs(&initiative_form(fx.c2)));
    assert_eq!(page.location.as_deref(), Some("/account/password"));
    assert_eq!(snapshot(&app), before, "nothing stored");

    let page = change_password(&person, &temporary);
    assert_eq!(page.location.as_deref(), Some("/home"), "{}", page.body);
    assert_eq!(person.get("/dashboard").status, 200);
    assert_eq!(person.get("/api/v1/units").status, 200);
    // Signing out is allowed at any time, and the chosen password is not temporary.
    assert_eq!(person.sign_out().location.as_deref(), Some("/login"));
    app.signed_in(SEC_C2, CHOSEN);
}

#[test]
fn the_demo_accounts_keep_their_known_passwords() {
    let app = TestApp::spawn_demo();
    for username in ["admin", "khoi", "stc"] {
        let client = app.signed_in(username, DEMO_PASSWORD);
        assert_eq!(client.get("/dashboard").status, 200, "{username}");
    }
}
