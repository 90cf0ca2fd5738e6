//! Checks on free text that every input path shares: forms and spreadsheet imports.
//! Text is stored in NFC ([`normalized`]), and characters no one means to type are
//! refused with a message naming the character and where it stands
//! ([`hidden_character_problem`]): control characters, the invisible ones that reorder
//! text on screen (“Mô hình” + U+202E + “gnp.exe” shows as “Mô hình exe.png”), zero-width ones
//! and U+FFFD, which stands for bytes that were not UTF-8.

use icu_normalizer::ComposingNormalizerBorrowed;

/// The text as stored: trimmed, in Unicode normal form C (a Vietnamese letter typed as
/// a base letter and combining marks becomes the one precomposed letter).
pub fn normalized(text: &str) -> String {
    ComposingNormalizerBorrowed::new_nfc()
        .normalize(text.trim())
        .into_owned()
}

/// The text in Unicode normal form C, untrimmed (for passwords, whose spaces count).
pub fn composed(text: &str) -> std::borrow::Cow<'_, str> {
    ComposingNormalizerBorrowed::new_nfc().normalize(text)
}

/// A character that must not be stored, and where it stands (from 1, in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct HiddenCharacter {
    pub character: char,
    pub position: usize,
}

/// The first character of `text` that must not be stored; line breaks and tabs are
/// allowed in multi-line fields.
pub fn hidden_character(text: &str, multiline: bool) -> Option<HiddenCharacter> {
    text.chars()
        .position(|character| {
            character_name(character).is_some()
                && !(multiline && matches!(character, '\n' | '\r' | '\t'))
        })
        .and_then(|index| {
            text.chars().nth(index).map(|character| HiddenCharacter {
                character,
                position: index + 1,
            })
        })
}

/// True when text holds a character that must not be stored (see [`hidden_character`]).
pub fn has_invalid_characters(text: &str, multiline: bool) -> bool {
    hidden_character(text, multiline).is_some()
}

/// The message for a field (`label`, as the form shows it) holding such a character:
/// “Tiêu đề chứa ký tự điều khiển ẩn U+202E (đảo chiều văn bản) ở vị trí 7; hãy xoá nó.”
pub fn hidden_character_problem(label: &str, text: &str, multiline: bool) -> Option<String> {
    let found = hidden_character(text, multiline)?;
    let code = u32::from(found.character);
    let name = character_name(found.character).unwrap_or("ký tự điều khiển");
    let what = if found.character == '\u{FFFD}' {
        "ký tự lỗi"
    } else {
        "ký tự điều khiển ẩn"
    };
    Some(format!(
        "{label} chứa {what} U+{code:04X} ({name}) ở vị trí {}; hãy xoá nó.",
        found.position
    ))
}

/// What the character is, for people, when it is one that must not be stored.
fn character_name(character: char) -> Option<&'static str> {
    Some(match character {
        '\t' => "dấu tab",
        '\n' | '\r' => "xuống dòng",
        '\u{0}' => "ký tự rỗng NUL",
        '\u{202A}' => "mở đoạn trái sang phải",
        '\u{202B}' => "mở đoạn phải sang trái",
        '\u{202C}' => "đóng đoạn định chiều",
        '\u{202D}' => "ép chiều trái sang phải",
        '\u{202E}' => "đảo chiều văn bản",
        '\u{2066}' => "cô lập chiều trái sang phải",
        '\u{2067}' => "cô lập chiều phải sang trái",
        '\u{2068}' => "cô lập chiều theo nội dung",
        '\u{2069}' => "đóng cô lập chiều",
        '\u{200B}' => "khoảng trắng không độ rộng",
        '\u{200C}' => "ký tự không nối, không độ rộng",
        '\u{200D}' => "ký tự nối, không độ rộng",
        '\u{200E}' => "dấu chiều trái sang phải",
        '\u{200F}' => "dấu chiều phải sang trái",
        '\u{061C}' => "dấu chiều chữ Ả Rập",
        '\u{FEFF}' => "dấu BOM, khoảng trắng không độ rộng",
        '\u{2028}' => "ngắt dòng Unicode",
        '\u{2029}' => "ngắt đoạn Unicode",
        '\u{2060}'..='\u{2064}' => "ký tự vô hình không độ rộng",
        '\u{206A}'..='\u{206F}' => "ký tự định dạng ẩn",
        '\u{FFF9}'..='\u{FFFB}' => "ký tự chú thích ẩn",
        '\u{FFFD}' => "thay cho byte không đọc được",
        character if character.is_control() => "ký tự điều khiển",
        _ => return None,
    })
}

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
        assert!(has_invalid_characters("a\u{85}b", true)); // C1: next line
    }

    #[test]
    fn bidirectional_and_zero_width_characters_are_named_with_their_place() {
        assert_eq!(
            hidden_character_problem("Tiêu đề", "Mô hình\u{202E}gnp.exe", false).as_deref(),
            Some(
                "Tiêu đề chứa ký tự điều khiển ẩn U+202E (đảo chiều văn bản) ở vị trí 8; hãy xoá nó."
            )
        );
        for character in [
            '\u{200B}', '\u{FEFF}', '\u{2066}', '\u{200F}', '\u{061C}', '\u{2029}',
        ] {
            let text = format!("Chi{character} bộ");
            assert_eq!(
                hidden_character(&text, true),
                Some(HiddenCharacter {
                    character,
                    position: 4
                }),
                "U+{:04X}",
                u32::from(character)
            );
        }
        assert_eq!(hidden_character_problem("Tên", "Chi bộ 1", false), None);
        // Emoji and Vietnamese stay.
        assert_eq!(hidden_character("Góc học tập 📚 “Bác Hồ”", false), None);
    }

    #[test]
    fn text_is_stored_trimmed_and_composed() {
        let decomposed = "Mo\u{0302} hi\u{0300}nh ";
        assert_eq!(normalized(decomposed), "Mô hình");
        assert_eq!(normalized(" Mô hình "), "Mô hình");
    }
}
