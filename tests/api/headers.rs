//! The security headers every answer carries: HSTS only when the site is served over
//! HTTPS (COOKIE_SECURE true), and a Permissions-Policy that denies the browser features
//! the application never uses.

use crate::helpers::*;

const HSTS: &str = "max-age=31536000; includeSubDomains";
const DENIED: [&str; 8] = [
    "camera=()",
    "microphone=()",
    "geolocation=()",
    "payment=()",
    "usb=()",
    "accelerometer=()",
    "gyroscope=()",
    "display-capture=()",
];

/// A page, an error page and the health check of `app`.
fn answers(app: &TestApp) -> Vec<(&'static str, Page)> {
    let visitor = app.client();
    vec![
        ("/login", visitor.get("/login")),
        ("/nothing-here", visitor.get("/nothing-here")),
        ("/healthz", visitor.get("/healthz")),
    ]
}

fn assert_permissions_policy(path: &str, page: &Page) {
    let policy = page
        .header("Permissions-Policy")
        .unwrap_or_else(|| panic!("{path}: no Permissions-Policy"));
    for feature in DENIED {
        assert!(policy.contains(feature), "{path}: {feature} in {policy}");
    }
}

#[test]
fn with_secure_cookies_every_answer_asks_for_https_and_denies_browser_features() {
    let app = TestApp::spawn_with(|settings| settings.cookie_secure = true);
    for (path, page) in answers(&app) {
        assert!(page.status < 500, "{path}: {}", page.status);
        assert_eq!(
            page.header("Strict-Transport-Security"),
            Some(HSTS),
            "{path}"
        );
        assert_permissions_policy(path, &page);
    }
}

#[test]
fn over_plain_http_there_is_no_hsts_but_the_features_are_still_denied() {
    let app = TestApp::spawn_with(|settings| settings.cookie_secure = false);
    for (path, page) in answers(&app) {
        assert!(page.status < 500, "{path}: {}", page.status);
        assert_eq!(page.header("Strict-Transport-Security"), None, "{path}");
        assert_permissions_policy(path, &page);
    }
}
