//! The help page "Hướng dẫn sử dụng" (public, one section per role, with screenshots),
//! the sign-in page's contact for a forgotten password (SUPPORT_CONTACT) and the
//! header's "Menu" disclosure.

use lamtheobac::config::SupportContact;

use crate::helpers::*;

/// The hrefs of the links inside the header's menu, in page order.
fn menu_links(page: &Page) -> Vec<String> {
    page.select("header details[data-menu] a[href]", |link| {
        link.value().attr("href").unwrap_or_default().to_owned()
    })
}

#[test]
fn the_help_page_is_public_and_walks_each_role_through_the_year() {
    let app = TestApp::spawn();
    let visitor = app.client();
    let sign_in = visitor.get("/login");
    assert!(
        sign_in
            .select("main a[href='/help']", text_in)
            .contains(&"Hướng dẫn sử dụng".to_owned()),
        "the sign-in page does not link to the help"
    );

    let help = visitor.get("/help");
    assert_eq!(help.status, 200, "{}", help.body);
    assert_eq!(help.text_at("h1").as_deref(), Some("Hướng dẫn sử dụng"));
    let roles = help.attribute_values("data-help-role");
    for role in ["secretary", "reviewer", "admin"] {
        assert!(roles.iter().any(|r| r == role), "no section for {role}");
    }
    let secretary = help
        .text_at("[data-help-role=secretary]")
        .unwrap_or_default();
    assert!(secretary.contains("Bí thư chi bộ, đảng ủy cơ sở"));
    assert!(secretary.contains("Gửi báo cáo hoàn thành"));
    let reviewer = help
        .text_at("[data-help-role=reviewer]")
        .unwrap_or_default();
    assert!(reviewer.contains("Duyệt các mục đã chọn"));
    assert!(help.body.contains("15022026"), "no word on typing dates");
    // Public help: no figures, nobody's menu.
    assert!(help.attribute_values("data-figure").is_empty());
    assert!(menu_links(&help).is_empty());

    let shots = help.attribute_values("data-help-shot");
    assert!(
        shots.len() >= 4,
        "the help shows {} screenshots",
        shots.len()
    );
    for shot in shots {
        let image = visitor.download(&format!("/static/screenshot-{shot}.png"));
        assert_eq!(image.status, 200, "screenshot {shot}");
        assert_eq!(
            image.header("content-type"),
            Some("image/png"),
            "screenshot {shot}"
        );
        assert!(image.bytes.starts_with(b"\x89PNG"), "screenshot {shot}");
    }
}

#[test]
fn the_help_page_shows_each_role_its_own_menu() {
    let (app, _fx) = app_with_fixture();
    for (username, own_link) in [
        (SEC_C1, "/returned"),
        (REV_A, "/review"),
        (ADMIN, "/admin/users"),
    ] {
        let person = app.signed_in(username, PASSWORD);
        let help = person.get("/help");
        assert_eq!(help.status, 200, "/help for {username}");
        assert_eq!(help.text_at("h1").as_deref(), Some("Hướng dẫn sử dụng"));
        let links = menu_links(&help);
        assert!(
            links.iter().any(|href| href == own_link),
            "{username}'s menu on the help page: {links:?}"
        );
        assert!(links.iter().any(|href| href == "/help"));
    }
}

#[test]
fn the_sign_in_page_names_whom_to_ask_for_a_forgotten_password() {
    let contact = "Văn phòng Đảng ủy Khối & Tỉnh ủy <b>, điện thoại 0205 3812 345";
    let app = TestApp::spawn_with(|settings| {
        settings.support_contact = SupportContact::new(Some(contact));
    });
    let visitor = app.client();
    let expected = format!("Quên mật khẩu? Liên hệ: {contact}");
    let page = visitor.get("/login");
    assert_eq!(
        page.text_at("[data-support-contact]").as_deref(),
        Some(expected.as_str())
    );
    assert!(!page.body.contains("<b>,"), "the contact is not escaped");
    // Still there after a wrong password, and on the help page.
    let refused = visitor.sign_in("nobody", "wrong-password-1");
    assert_eq!(refused.status, 422);
    assert_eq!(
        refused.text_at("[data-support-contact]").as_deref(),
        Some(expected.as_str())
    );
    let help = visitor.get("/help");
    assert_eq!(
        help.text_at("[data-support-contact]"),
        Some(format!("Liên hệ: {contact}"))
    );
}

#[test]
fn without_a_support_contact_the_sign_in_page_sends_to_the_unit_administrator() {
    let app = TestApp::spawn_with(|settings| {
        settings.support_contact = SupportContact::new(Some("   "));
    });
    let page = app.client().get("/login");
    assert_eq!(
        page.text_at("[data-support-contact]").as_deref(),
        Some("Quên mật khẩu? Hãy liên hệ quản trị viên của đơn vị bạn.")
    );
}

#[test]
fn the_menu_is_a_disclosure_holding_the_links_and_showing_the_count_when_closed() {
    let (app, fx) = app_with_fixture();
    initiative_in_state(&app, &fx, "Chờ duyệt một", "pending_approval");
    initiative_in_state(&app, &fx, "Chờ duyệt hai", "pending_approval");
    let reviewer = app.signed_in(REV_A, PASSWORD);
    let page = reviewer.get("/dashboard");
    assert_eq!(page.status, 200);
    assert_eq!(
        page.select("header details[data-menu]", |_| ()).len(),
        1,
        "the header has no Menu disclosure"
    );
    let summary = page
        .text_at("header details[data-menu] > summary")
        .unwrap_or_default();
    assert!(summary.starts_with("Menu"), "the summary reads {summary:?}");
    let waiting: i64 = page
        .text_at("nav [data-badge=review]")
        .and_then(|count| count.parse().ok())
        .unwrap_or_default();
    assert!(waiting >= 2, "the review link counts {waiting}");
    assert_eq!(
        page.text_at("details[data-menu] > summary [data-badge=menu]"),
        Some(format!(", {waiting} chờ xem xét")),
        "the closed menu does not show what waits"
    );
    let links = menu_links(&page);
    for href in ["/dashboard", "/initiatives", "/review", "/help", "/account"] {
        assert!(links.iter().any(|l| l == href), "{href} not in {links:?}");
    }
    assert_eq!(
        page.select(
            "details[data-menu] nav[aria-label='Chức năng chính']",
            |_| ()
        )
        .len(),
        1
    );
    assert_eq!(
        page.select("details[data-menu] form[action='/logout'] button", |_| ())
            .len(),
        1,
        "the sign-out form is not in the menu"
    );
    // Nothing waiting: no count on the summary.
    let secretary = app.signed_in(SEC_C1, PASSWORD);
    let home = secretary.get("/home");
    assert!(
        home.select("summary [data-badge]", |_| ()).is_empty(),
        "a count with nothing returned"
    );
}
