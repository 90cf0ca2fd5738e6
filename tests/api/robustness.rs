//! Malformed requests never produce a 500: unknown routes, non-numeric ids, bad query
//! strings, invalid UTF-8, huge and missing fields, wrong content types.

use crate::helpers::*;

fn assert_status(page: &Page, expected: u16, what: &str) {
    assert!(page.status < 500, "{what}: {} {}", page.status, page.body);
    assert_eq!(page.status, expected, "{what}: {}", page.body);
}

#[test]
fn malformed_paths_and_query_strings_are_4xx() {
    let (app, fx) = app_with_fixture();
    let admin = app.signed_in(ADMIN, PASSWORD);
    for (path, expected) in [
        ("/nothing-here", 404),
        ("/initiatives/abc", 404),
        ("/initiatives/abc/edit", 404),
        ("/initiatives/-1", 404),
        ("/initiatives/0", 404),
        ("/initiatives/99999999999999999999", 404),
        ("/initiatives/1.5", 404),
        ("/initiatives/%FF", 404),
        ("/admin/units/abc/edit", 404),
        ("/admin/users/%00/edit", 404),
        ("/static/nothing.css", 404),
        ("/static/..%2FCargo.toml", 404),
        ("/dashboard?year=abc", 400),
        ("/dashboard?year=1999", 400),
        ("/dashboard?year=99999999999999999999", 400),
        ("/dashboard?unit=abc", 400),
        ("/dashboard?unit=%FF", 400),
        ("/dashboard?year=%FF%FE", 400),
        ("/dashboard?year=2022&year=2023", 400),
        ("/initiatives?status=done", 400),
        ("/initiatives?field=sports", 400),
        ("/initiatives?kind=boat", 400),
        ("/initiatives?year=abc", 400),
        ("/initiatives?unit=abc", 400),
        ("/initiatives?q=%FF", 200),
        ("/initiatives?q=%E1%BA", 200),
        ("/initiatives?page=abc", 200),
        ("/initiatives?page=-3", 200),
        ("/initiatives?page=99999999999999999999999", 200),
        ("/initiatives?q=%27%3B+DROP+TABLE+initiatives%3B--", 200),
        ("/api/v1/stats?year=%FF", 400),
        ("/api/v1/initiatives?page=%FF", 400),
        ("/api/v1/initiatives?after=%FF", 400),
        ("/initiatives?after=%FF", 200),
        ("/initiatives?before=..", 200),
        ("/initiatives?sort=%FF&dir=up", 200),
        ("/initiatives?review=maybe", 400),
        ("/review?approval_after=%00", 400),
        ("/dashboard?year=2022&unknown=1", 200),
    ] {
        let page = admin.get(path);
        assert_status(&page, expected, path);
    }
    // Long search text is accepted (and ignored past 200 characters), not an error.
    let long = "cai".repeat(1000);
    assert_status(&admin.get(&format!("/initiatives?q={long}")), 200, "long q");
    // Nothing was dropped by the injection attempt.
    assert_eq!(app.count("initiatives"), 9);
    assert_eq!(
        admin.get(&format!("/initiatives/{}", fx.item(1))).status,
        200
    );
    // Methods that do not exist on a route.
    for (method, path) in [
        ("PUT", "/initiatives"),
        ("DELETE", "/initiatives/1"),
        ("PATCH", "/dashboard"),
    ] {
        let page = admin.request(method, path);
        assert!(
            page.status >= 400 && page.status < 500,
            "{method} {path}: {}",
            page.status
        );
    }
}

#[test]
fn malformed_form_bodies_are_4xx_and_store_nothing() {
    let (app, fx) = app_with_fixture();
    let admin = app.signed_in(ADMIN, PASSWORD);
    let token = admin.csrf_token();
    let before = snapshot(&app);
    let form = "application/x-www-form-urlencoded";
    // #3 is approved, so it may be edited: the bodies reach the form's parsing.
    let item = fx.item(3);
    let edit_path = format!("/initiatives/{item}");
    let unit_path = format!("/admin/units/{}", fx.c1);

    // Invalid UTF-8 in percent-escapes, on every kind of form.
    for path in [
        "/initiatives",
        edit_path.as_str(),
        "/admin/units",
        unit_path.as_str(),
        "/admin/users",
        "/account/password",
        "/login",
    ] {
        let body = format!(
            "csrf_token={token}&title=%FF%FE&name=%C3&username=%80&current_password=%FF&description=ok"
        );
        let page = admin.post_raw(path, form, body.as_bytes());
        assert!(
            page.status >= 400 && page.status < 500,
            "{path}: {} {}",
            page.status,
            page.body
        );
        // Raw invalid bytes (not escaped) too.
        let mut raw = format!("csrf_token={token}&title=").into_bytes();
        raw.extend_from_slice(&[0xff, 0xfe, 0x80]);
        let page = admin.post_raw(path, form, &raw);
        assert!(
            page.status >= 400 && page.status < 500,
            "{path} raw: {} {}",
            page.status,
            page.body
        );
    }
    assert_eq!(snapshot(&app), before);
    // A complete registration whose title is not UTF-8: refused beside the title, not
    // stored as replacement characters.
    let good = initiative_form(fx.c1);
    let mut body: Vec<u8> = Vec::new();
    for (name, value) in good.iter().filter(|(name, _)| *name != "title") {
        let encoded: String = value
            .bytes()
            .map(|b| {
                if b.is_ascii_alphanumeric() {
                    (b as char).to_string()
                } else {
                    format!("%{b:02X}")
                }
            })
            .collect();
        body.extend_from_slice(format!("{name}={encoded}&").as_bytes());
    }
    body.extend_from_slice(format!("csrf_token={token}&title=M%F4 h%ECnh").as_bytes());
    let page = admin.post_raw("/initiatives", form, &body);
    assert_status(&page, 422, "latin-1 title");
    assert_eq!(page.field_errors(), ["title"]);
    assert_eq!(snapshot(&app), before);

    // Signing out with a valid token works even if the body also holds garbage.
    let other = app.signed_in(SEC_C1, PASSWORD);
    let other_token = other.csrf_token();
    let mut raw = format!("csrf_token={other_token}&x=").into_bytes();
    raw.extend_from_slice(&[0xff, 0xfe, 0x80]);
    assert_eq!(other.post_raw("/logout", form, &raw).status, 303);
    assert!(!other.is_signed_in());

    // A JSON body, a multipart body, no content type, an empty body.
    let json = format!(r#"{{"csrf_token":"{token}","title":"JSON","year":2022}}"#);
    for (content_type, body) in [
        ("application/json", json.as_bytes()),
        (
            "multipart/form-data; boundary=x",
            b"--x\r\nContent-Disposition: form-data; name=\"title\"\r\n\r\nA\r\n--x--\r\n"
                .as_slice(),
        ),
        ("text/plain", b"title=A".as_slice()),
        (form, b"".as_slice()),
        (form, b"&&&===&".as_slice()),
        (form, b"%".as_slice()),
    ] {
        for path in ["/initiatives", edit_path.as_str(), "/admin/units"] {
            let page = admin.post_raw(path, content_type, body);
            assert!(
                page.status >= 400 && page.status < 500,
                "{path} {content_type}: {} {}",
                page.status,
                page.body
            );
        }
    }
    assert_eq!(snapshot(&app), before);

    // Missing fields: only the token — each form comes back with messages, nothing stored.
    let page = admin.post_form("/initiatives", &[("csrf_token", &token)]);
    assert_status(&page, 422, "empty registration");
    for field in [
        "title",
        "year",
        "kind",
        "field",
        "unit_id",
        "start_date",
        "due_date",
    ] {
        assert!(page.has_field_error(field), "empty registration: {field}");
    }
    let page = admin.post_form(&edit_path, &[("csrf_token", &token)]);
    assert_status(&page, 422, "empty edit");
    let page = admin.post_form("/admin/units", &[("csrf_token", &token)]);
    assert_status(&page, 422, "empty unit");
    let page = admin.post_form("/admin/users", &[("csrf_token", &token)]);
    assert_status(&page, 422, "empty user");
    let page = admin.post_form("/account/password", &[("csrf_token", &token)]);
    assert_status(&page, 422, "empty password change");
    // (An admin's password reset has no field any more: the system makes the password.)
    // Non-numeric ids in the path of a POST.
    let page = admin.post_form("/initiatives/abc", &[("csrf_token", &token)]);
    assert_status(&page, 404, "POST /initiatives/abc");
    let page = admin.post_form("/admin/units/abc", &[("csrf_token", &token)]);
    assert_status(&page, 404, "POST /admin/units/abc");
    assert_eq!(snapshot(&app), before);

    // Fields of the wrong type.
    let wrong_types = initiative_form(fx.c1);
    let wrong_types = with(
        with(with(wrong_types, "year", "2022.5"), "unit_id", "[1]"),
        "version",
        "NaN",
    );
    let page = admin.post_form_csrf("/initiatives", &pairs(&wrong_types));
    assert_status(&page, 422, "wrong types");
    assert_eq!(snapshot(&app), before);
    // Fields repeated.
    let base = initiative_form(fx.c1);
    let mut repeated = pairs(&base);
    repeated.push(("title", "Lần hai"));
    repeated.push(("csrf_token", &token));
    let page = admin.post_form("/initiatives", &repeated);
    assert!(page.status < 500, "repeated fields: {}", page.status);
    if page.status != 303 {
        assert_eq!(snapshot(&app), before);
    }
}

#[test]
fn huge_fields_are_refused_without_a_500() {
    let (app, fx) = app_with_fixture();
    let admin = app.signed_in(ADMIN, PASSWORD);
    let before = snapshot(&app);
    // 200 KB title: within the body limit, refused by validation and kept.
    let big = "a".repeat(200_000);
    let page = admin.post_form_csrf(
        "/initiatives",
        &pairs(&with(initiative_form(fx.c1), "title", &big)),
    );
    assert_status(&page, 422, "200 KB title");
    assert_eq!(page.field_errors(), ["title"]);
    // 1 MB body: over the limit.
    let huge = "a".repeat(1_000_000);
    let page = admin.post_form_csrf(
        "/initiatives",
        &pairs(&with(initiative_form(fx.c1), "description", &huge)),
    );
    assert!(
        page.status >= 400 && page.status < 500,
        "1 MB body: {}",
        page.status
    );
    let page = admin.post_form_csrf("/login", &[("username", &huge), ("password", &huge)]);
    assert!(
        page.status >= 400 && page.status < 500,
        "1 MB sign-in: {}",
        page.status
    );
    // A long username and password within the limit: just a refused sign-in.
    let long = "u".repeat(10_000);
    let visitor = app.client();
    let page = visitor.sign_in(&long, &long);
    assert_status(&page, 422, "long credentials");
    // Huge numbers.
    let page = admin.post_form_csrf(
        "/initiatives",
        &pairs(&with(initiative_form(fx.c1), "year", &"9".repeat(5000))),
    );
    assert_status(&page, 422, "huge year");
    let page = admin.post_form_csrf(
        "/initiatives",
        &pairs(&with(initiative_form(fx.c1), "unit_id", &"9".repeat(5000))),
    );
    assert_status(&page, 422, "huge unit id");
    let page = admin.post_form_csrf(
        &format!("/initiatives/{}", fx.item(3)),
        &pairs(&with(
            edit_form_of(&app, fx.item(3)),
            "version",
            "99999999999999999999",
        )),
    );
    assert!(
        page.status >= 400 && page.status < 500,
        "huge version: {}",
        page.status
    );
    // A long URL.
    let page = admin.get(&format!("/initiatives?q={}", "x".repeat(20_000)));
    assert!(page.status < 500, "long URL: {}", page.status);
    assert_eq!(snapshot(&app), before);
    assert_eq!(app.client().get("/healthz").status, 200, "still healthy");
}

#[test]
fn nul_characters_are_refused_without_a_500() {
    // PostgreSQL cannot hold U+0000 in text, so it must be caught before the database.
    let (app, fx) = app_with_fixture();
    let admin = app.signed_in(ADMIN, PASSWORD);
    let before = snapshot(&app);
    let mut failures = Vec::new();
    let mut check = |what: &str, page: Page| {
        if page.status >= 500 {
            failures.push(format!("{what}: {}", page.status));
        }
    };
    for (name, value) in [
        ("title", "Mô hình\u{0}"),
        ("description", "a\u{0}b"),
        ("estimated_cost_vnd", "6\u{0}000"),
    ] {
        check(
            &format!("POST /initiatives with NUL in {name}"),
            admin.post_form_csrf(
                "/initiatives",
                &pairs(&with(initiative_form(fx.c1), name, value)),
            ),
        );
        check(
            &format!("POST /initiatives/ID with NUL in {name}"),
            admin.post_form_csrf(
                &format!("/initiatives/{}", fx.item(3)),
                &pairs(&with(edit_form_of(&app, fx.item(3)), name, value)),
            ),
        );
    }
    check("GET /initiatives?q=%00", admin.get("/initiatives?q=%00"));
    check(
        "GET /initiatives?q=a%00b",
        admin.get("/initiatives?q=a%00b"),
    );
    check(
        "POST /admin/units with NUL in name",
        admin.post_form_csrf(
            "/admin/units",
            &[
                ("code", "NUL"),
                ("name", "Chi bộ\u{0}"),
                ("kind", "grassroots_cell"),
                ("parent_id", &fx.ka.to_string()),
                ("active", "on"),
            ],
        ),
    );
    check(
        "POST /admin/users with NUL in display name",
        admin.post_form_csrf(
            "/admin/users",
            &[
                ("username", "nul.user"),
                ("display_name", "Tên\u{0}"),
                ("role", "secretary"),
                ("unit_id", &fx.c1.to_string()),
                ("password", "mat-khau-du-dai"),
                ("active", "on"),
            ],
        ),
    );
    check(
        "POST /login with NUL in username",
        app.client().sign_in("quantri\u{0}", PASSWORD),
    );
    check(
        "POST /login with NUL in password",
        app.client().sign_in(ADMIN, "x\u{0}y-mat-khau"),
    );
    assert!(failures.is_empty(), "500 answers:\n{}", failures.join("\n"));
    assert_eq!(snapshot(&app), before);
}

#[test]
fn the_review_and_upload_routes_refuse_malformed_input_without_a_500() {
    let (app, fx) = app_with_fixture();
    let reviewer = app.signed_in(REV_A, PASSWORD);
    let secretary = app.signed_in(SEC_C2, PASSWORD);
    let approved = initiative_in_state(&app, &fx, "Đã duyệt", "approved");
    let pending = initiative_in_state(&app, &fx, "Chờ duyệt", "pending_approval");
    let before = (snapshot(&app), app.stored_files());
    let token = reviewer.csrf_token();
    let form = "application/x-www-form-urlencoded";
    let return_path = format!("/initiatives/{pending}/return");

    let page = reviewer.post_form_csrf(&return_path, &[("reason", "a\u{0}b")]);
    assert_status(&page, 422, "NUL in a reason");
    assert_eq!(page.field_errors(), ["reason"]);
    let page = reviewer.post_raw(
        &return_path,
        form,
        format!("csrf_token={token}&reason=%FF%FE").as_bytes(),
    );
    assert_status(&page, 422, "invalid UTF-8 in a reason");
    let page = reviewer.post_form_csrf(&return_path, &[("reason", &"x".repeat(300_000))]);
    assert!(
        (400..500).contains(&page.status),
        "a huge reason: {}",
        page.status
    );
    for path in [
        "/initiatives/abc/approve",
        "/initiatives/99999999999999999999/accept",
        "/initiatives/1.5/return",
        "/initiatives/abc/evidence/1/remove",
        "/initiatives/1/evidence/abc/remove",
    ] {
        let page = reviewer.post_form_csrf(path, &[("reason", "x")]);
        assert_status(&page, 404, path);
    }
    for (path, query) in [
        ("/deadlines", "unit=abc"),
        ("/deadlines", "year=abc"),
        ("/deadlines", "year=1999"),
    ] {
        let page = reviewer.get(&format!("{path}?{query}"));
        assert_status(&page, 400, query);
    }
    for body in ["unit=abc&year=2022", "unit=&year=2022", "unit=1&year=abc"] {
        let page = reviewer.post_raw(
            "/deadlines/reopen",
            form,
            format!("csrf_token={token}&{body}").as_bytes(),
        );
        assert_status(&page, 400, body);
    }

    // Multipart: NUL and invalid UTF-8 in the fields and in the file name.
    let report_path = format!("/initiatives/{approved}/report");
    let page = secretary.post_multipart_csrf(
        &report_path,
        &report_parts("1.000.000", "01/12/2022", "a\u{0}b", &[pdf_part("a.pdf")]),
    );
    assert_status(&page, 422, "NUL in a summary");
    assert_eq!(page.field_errors(), ["result_summary"]);
    let mut invalid = Part::text("result_summary", "");
    invalid.bytes = vec![0xff, 0xfe, b'A'];
    let page = secretary.post_multipart_csrf(
        &report_path,
        &[
            Part::text("actual_value_vnd", "1.000.000"),
            Part::text("completion_date", "01/12/2022"),
            invalid,
            pdf_part("a.pdf"),
        ],
    );
    assert!(
        (400..500).contains(&page.status),
        "invalid UTF-8 in a summary: {}",
        page.status
    );
    let page = secretary.post_multipart_csrf(
        &report_path,
        &report_parts(
            "1.000.000",
            "01/12/2022",
            &"y".repeat(70_000),
            &[pdf_part("a.pdf")],
        ),
    );
    assert!(
        (400..500).contains(&page.status),
        "a huge field: {}",
        page.status
    );
    let (content_type, mut body) = multipart_body(&[
        Part::text("csrf_token", &secretary.csrf_token()),
        Part::file("QQQ.pdf", "application/pdf", b"%PDF-1.4 invalid name"),
    ]);
    let at = body.windows(3).position(|w| w == b"QQQ").expect("the name");
    body[at] = 0xff;
    body[at + 1] = 0xfe;
    let page = secretary.post_raw(
        &format!("/initiatives/{approved}/evidence"),
        &content_type,
        &body,
    );
    assert!(
        page.status < 500,
        "invalid UTF-8 in a file name: {}",
        page.status
    );
    // A duplicated token, an unknown file input name, a boundary that never comes.
    let page = secretary.post_multipart_csrf(
        &format!("/initiatives/{approved}/evidence"),
        &[Part::text("csrf_token", "x"), pdf_part("a.pdf")],
    );
    assert!(
        (400..500).contains(&page.status),
        "two tokens: {}",
        page.status
    );
    let mut elsewhere = pdf_part("a.pdf");
    elsewhere.name = "other".to_owned();
    let page =
        secretary.post_multipart_csrf(&format!("/initiatives/{approved}/evidence"), &[elsewhere]);
    assert!(
        (400..500).contains(&page.status),
        "a file in another input: {}",
        page.status
    );
    let page = secretary.post_raw(
        &format!("/initiatives/{approved}/evidence"),
        "multipart/form-data; boundary=nothing",
        b"garbage without any boundary",
    );
    assert!(
        (400..500).contains(&page.status),
        "no boundary: {}",
        page.status
    );
    let page = secretary.post_raw(
        &format!("/initiatives/{approved}/evidence"),
        "multipart/form-data",
        b"",
    );
    assert!(
        (400..500).contains(&page.status),
        "no boundary parameter: {}",
        page.status
    );

    // Nothing of it was stored, in the database or on disk.
    assert_eq!((snapshot(&app), app.stored_files()), before);
    assert_eq!(app.client().get("/healthz").status, 200, "still healthy");
}
