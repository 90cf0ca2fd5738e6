//! The rules for a unit's code and name, shared by the admin form and the import.

use std::borrow::Cow;

use crate::domain::text::hidden_character_problem;

/// The longest unit code (the database checks the same).
pub const CODE_MAX_CHARS: usize = 40;
pub const NAME_MAX_CHARS: usize = 300;

pub const CODE_RULE: &str = "Mã đơn vị gồm chữ cái không dấu, chữ số, dấu gạch; tối đa 40 ký tự.";
pub const CODE_TAKEN: &str = "Mã đơn vị này đã được dùng.";
pub const NAME_MISSING: &str = "Hãy nhập tên đơn vị.";
pub const NAME_LENGTH: &str = "Tên đơn vị cần có từ 1 đến 300 ký tự.";

/// The code as stored (upper case, trimmed), or why the input cannot be one.
pub fn normalize_code(input: &str) -> Result<String, &'static str> {
    let code = input.trim().to_uppercase();
    let valid = !code.is_empty()
        && code.len() <= CODE_MAX_CHARS
        && code
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        && code
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_alphanumeric());
    if valid { Ok(code) } else { Err(CODE_RULE) }
}

/// Why a unit's name cannot be stored; `None` when it can. The name is stored trimmed.
pub fn name_problem(name: &str) -> Option<Cow<'static, str>> {
    let trimmed = name.trim();
    if trimmed.is_empty() {
        Some(NAME_MISSING.into())
    } else if trimmed.chars().count() > NAME_MAX_CHARS {
        Some(NAME_LENGTH.into())
    } else {
        hidden_character_problem("Tên đơn vị", trimmed, false).map(Cow::Owned)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_upper_case_ascii() {
        assert_eq!(normalize_code(" stc-vp "), Ok("STC-VP".to_owned()));
        assert_eq!(normalize_code("DUK_1"), Ok("DUK_1".to_owned()));
        assert_eq!(normalize_code("-A"), Err(CODE_RULE));
        assert_eq!(normalize_code("Sở Tài chính"), Err(CODE_RULE));
        assert_eq!(normalize_code(""), Err(CODE_RULE));
        assert_eq!(normalize_code(&"A".repeat(41)), Err(CODE_RULE));
    }

    #[test]
    fn names_are_needed_and_plain_text() {
        assert_eq!(name_problem("  "), Some(NAME_MISSING.into()));
        assert_eq!(name_problem(&"a".repeat(301)), Some(NAME_LENGTH.into()));
        assert!(name_problem("Chi bộ\u{0}").is_some_and(|message| message.contains("U+0000")));
        assert_eq!(name_problem("Chi bộ Sở Tài chính"), None);
    }
}
