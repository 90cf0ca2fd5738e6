//! Checks on free text that every input path shares: forms and spreadsheet imports.

/// True when text holds characters no one types: control characters (NUL, which
/// PostgreSQL refuses outright, among them) or U+FFFD, which stands for bytes that were
/// not UTF-8. Line breaks and tabs are allowed in multi-line fields.
pub fn has_invalid_characters(text: &str, multiline: bool) -> bool {
    text.chars().any(|character| {
        character == '\u{FFFD}'
            || (character.is_control() && !(multiline && matches!(character, '\n' | '\r' | '\t')))
    })
}

pub const INVALID_CHARACTERS: &str =
    "Nội dung có ký tự không hợp lệ. Hãy nhập lại bằng tiếng Việt có dấu (Unicode).";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_refused_and_line_breaks_only_where_multiline() {
        assert!(!has_invalid_characters("Cải cách hành chính", false));
        assert!(has_invalid_characters("a\u{0}b", true));
        assert!(has_invalid_characters("hỏng \u{FFFD}", false));
        assert!(has_invalid_characters("hai\ndòng", false));
        assert!(!has_invalid_characters("hai\r\ndòng\tvà tab", true));
    }
}
