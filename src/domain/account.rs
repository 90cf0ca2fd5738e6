//! The rules for a user account's username, name and unit, shared by the admin form
//! and the import.

use crate::domain::Role;
use std::borrow::Cow;

use crate::domain::text::hidden_character_problem;

pub const DISPLAY_NAME_MAX_CHARS: usize = 200;

pub const USERNAME_RULE: &str =
    "Tên đăng nhập gồm 2–50 chữ thường không dấu, chữ số, dấu chấm, gạch dưới hoặc gạch ngang.";
pub const USERNAME_TAKEN: &str = "Tên đăng nhập này đã có người dùng.";
pub const DISPLAY_NAME_MISSING: &str = "Hãy nhập họ tên.";
pub const DISPLAY_NAME_LENGTH: &str = "Họ tên cần có từ 1 đến 200 ký tự.";
pub const UNIT_REQUIRED: &str = "Bí thư và người duyệt (Ban Thường vụ) cần có đơn vị phụ trách.";
pub const NOT_YOURSELF: &str = "Bạn không thể tự khóa hoặc bỏ quyền quản trị của chính mình.";

/// The username as stored (lower case, trimmed), or why the input cannot be one.
pub fn normalize_username(input: &str) -> Result<String, &'static str> {
    let username = input.trim().to_lowercase();
    let valid = (2..=50).contains(&username.len())
        && username
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'))
        && username
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric());
    if valid {
        Ok(username)
    } else {
        Err(USERNAME_RULE)
    }
}

pub const PHONE_RULE: &str = "Số điện thoại gồm 9–15 chữ số, có thể bắt đầu bằng +, ví dụ 0912 345 678 hoặc +84 912 345 678.";
pub const EMAIL_RULE: &str = "Thư điện tử chưa đúng dạng, ví dụ ten@tinhuy.gov.vn.";

/// A phone number as stored (digits, with a leading + if typed), `None` when left
/// blank, or why it cannot be one. Spaces, dots, dashes and brackets between digits are
/// dropped: people type numbers grouped. The migration `..._user_contact` checks the
/// stored form again.
pub fn normalize_phone(input: &str) -> Result<Option<String>, &'static str> {
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Ok(None);
    }
    let (plus, rest) = match trimmed.strip_prefix('+') {
        Some(rest) => ("+", rest),
        None => ("", trimmed),
    };
    let mut digits = String::with_capacity(rest.len());
    for c in rest.chars() {
        match c {
            '0'..='9' => digits.push(c),
            ' ' | '.' | '-' | '(' | ')' => {}
            _ => return Err(PHONE_RULE),
        }
    }
    if (9..=15).contains(&digits.len()) {
        Ok(Some(format!("{plus}{digits}")))
    } else {
        Err(PHONE_RULE)
    }
}

/// An e-mail address as stored (trimmed, lower case), `None` when left blank, or why it
/// cannot be one: one @ with a name before it and a domain with a dot after it, no
/// spaces, at most 254 characters (the limit of an address in mail).
pub fn normalize_email(input: &str) -> Result<Option<String>, &'static str> {
    let email = input.trim().to_lowercase();
    if email.is_empty() {
        return Ok(None);
    }
    let valid = email.len() <= 254
        && email.is_ascii()
        && !email
            .chars()
            .any(|c| c.is_ascii_whitespace() || c.is_ascii_control())
        && match email.split_once('@') {
            Some((local, domain)) => {
                !local.is_empty()
                    && !domain.contains('@')
                    && domain.contains('.')
                    && !domain.starts_with('.')
                    && !domain.ends_with('.')
                    && !domain.contains("..")
            }
            None => false,
        };
    if valid {
        Ok(Some(email))
    } else {
        Err(EMAIL_RULE)
    }
}

/// Why a person's name cannot be stored; `None` when it can. It is stored trimmed.
pub fn display_name_problem(name: &str) -> Option<Cow<'static, str>> {
    let trimmed = name.trim();
    if trimmed.is_empty() {
        Some(DISPLAY_NAME_MISSING.into())
    } else if trimmed.chars().count() > DISPLAY_NAME_MAX_CHARS {
        Some(DISPLAY_NAME_LENGTH.into())
    } else {
        hidden_character_problem("Họ tên", trimmed, false).map(Cow::Owned)
    }
}

/// Reviewers and secretaries work within a unit's subtree, so they need one.
pub fn needs_unit(role: Role) -> bool {
    role != Role::Admin
}

/// An admin may not lock themselves out or give up their own admin role.
pub fn is_self_demotion(account_id: i32, actor_id: i32, role: Role, active: bool) -> bool {
    account_id == actor_id && (!active || role != Role::Admin)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_are_lower_case_ascii() {
        assert_eq!(normalize_username(" Bithu.C1 "), Ok("bithu.c1".to_owned()));
        assert_eq!(normalize_username("a"), Err(USERNAME_RULE));
        assert_eq!(normalize_username("bí thư"), Err(USERNAME_RULE));
        assert_eq!(normalize_username(".an"), Err(USERNAME_RULE));
    }

    #[test]
    fn names_and_units() {
        assert_eq!(display_name_problem(" "), Some(DISPLAY_NAME_MISSING.into()));
        assert!(display_name_problem("An\u{200B}").is_some_and(|m| m.contains("U+200B")));
        assert_eq!(display_name_problem("Nguyễn Văn A"), None);
        assert!(needs_unit(Role::Secretary) && !needs_unit(Role::Admin));
        assert!(is_self_demotion(1, 1, Role::Secretary, true));
        assert!(is_self_demotion(1, 1, Role::Admin, false));
        assert!(!is_self_demotion(1, 2, Role::Secretary, false));
    }
}
