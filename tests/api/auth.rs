//! Signing in and out, and who is let in.

use crate::helpers::*;

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
    let before = client.session_cookie().expect("a session cookie before sign-in");

    let page = client.sign_in(SEC_C1, PASSWORD);
    assert_eq!(page.status, 303);
    assert_eq!(page.location.as_deref(), Some("/dashboard"));
    let after = client.session_cookie().expect("a session cookie after sign-in");
    assert_ne!(before, after, "the session cookie must change at sign-in");
    assert_eq!(client.get("/dashboard").status, 200);

    let page = client.sign_out();
    assert_eq!(page.status, 303);
    assert_eq!(page.location.as_deref(), Some("/login"));
    let page = client.get("/dashboard");
    assert_eq!(page.status, 303);
    assert_eq!(page.location.as_deref(), Some("/login"));
}
