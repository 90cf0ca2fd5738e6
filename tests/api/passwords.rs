//! The password policy on every form where a new password is chosen: the person's own
//! change and an admin's create and reset. A refused password is a message next to the
//! field, with nothing stored (the old password still works).

use crate::helpers::*;

const HINT: &str = "Ít nhất 12 ký tự; nên dùng một câu dễ nhớ, ví dụ";

fn change_own(client: &Client, new: &str) -> Page {
    client.post_form_csrf(
        "/account/password",
        &[
            ("current_password", PASSWORD),
            ("new_password", new),
            ("confirm_password", new),
        ],
    )
}

#[test]
fn weak_passwords_are_refused_on_the_own_change_each_with_its_reason() {
    let (app, _fx) = app_with_fixture();
    let client = app.signed_in(SEC_C1, PASSWORD);
    let form = client.get("/account/password");
    assert!(form.body.contains(HINT), "{}", form.body);
    let before = snapshot(&app);
    for (new, reason) in [
        ("ngan-qua", "ít nhất 12 ký tự"),
        ("password12", "ít nhất 12 ký tự"),
        ("aaaaaaaaaaaa", "lặp lại"),
        ("1234567890123", "dãy liên tiếp"),
        ("password1234", "phổ biến"),
        ("Iloveyou2024!", "phổ biến"),
        ("            ", "khoảng trắng"),
        ("bithu.c1-nam-2026", "tên đăng nhập"),
        ("mat\u{0}khau-du-dai-roi", "ký tự điều khiển"),
    ] {
        let page = change_own(&client, new);
        assert_eq!(page.status, 422, "{new:?}: {}", page.body);
        assert_eq!(page.field_errors(), ["new_password"], "{new:?}");
        let message = page.field_error("new_password").unwrap_or_default();
        assert!(message.contains(reason), "{new:?}: {message}");
    }
    assert_eq!(snapshot(&app), before, "nothing stored");
    assert_eq!(app.client().sign_in(SEC_C1, PASSWORD).status, 303);
}

#[test]
fn a_twelve_character_vietnamese_passphrase_with_spaces_is_accepted() {
    let (app, _fx) = app_with_fixture();
    let client = app.signed_in(SEC_C1, PASSWORD);
    let page = change_own(&client, "Việt Nam đẹp");
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(app.client().sign_in(SEC_C1, PASSWORD).status, 422);
    assert_eq!(app.client().sign_in(SEC_C1, "Việt Nam đẹp").status, 303);
}

#[test]
fn an_admin_cannot_give_a_weak_password_either() {
    let (app, fx) = app_with_fixture();
    let admin = app.signed_in(ADMIN, PASSWORD);
    let new_form = admin.get("/admin/users/new");
    assert!(new_form.body.contains(HINT));
    let before = snapshot(&app);

    let create = |username: &str, password: &str| {
        admin.post_form_csrf(
            "/admin/users",
            &[
                ("username", username),
                ("display_name", "Trần Thị Bình"),
                ("role", "secretary"),
                ("unit_id", &fx.c2.to_string()),
                ("active", "on"),
                ("password", password),
            ],
        )
    };
    for (password, reason) in [
        ("ngan", "ít nhất 12 ký tự"),
        ("qwerty123456", "phổ biến"),
        ("nguoi.moi.2026", "tên đăng nhập"),
        ("chao chi Tran Thi Binh", "họ tên"),
    ] {
        let page = create("nguoi.moi", password);
        assert_eq!(page.status, 422, "{password}: {}", page.body);
        assert_eq!(page.field_errors(), ["password"], "{password}");
        let message = page.field_error("password").unwrap_or_default();
        assert!(message.contains(reason), "{password}: {message}");
        assert!(
            keeps_value(&page, "nguoi.moi"),
            "the rest of the form is kept"
        );
    }
    assert_eq!(snapshot(&app), before, "no account created");

    // An admin's reset types nothing: the temporary password it shows once passes the
    // policy (tests/api/sessions.rs follows it to the forced change).
    // A good one is taken.
    let page = create("nguoi.moi", "Hoa sữa nở cuối thu");
    assert_eq!(page.status, 303, "{}", page.body);
    assert_eq!(
        app.client()
            .sign_in("nguoi.moi", "Hoa sữa nở cuối thu")
            .status,
        303
    );
}
