//! What a person typed in the list's search box, and which kind of search it asks for.

/// The search box holds at most this many characters; the rest is ignored.
pub const MAX_CHARACTERS: usize = 200;

/// A word needs this many letters or digits before it can be looked up by substring:
/// the trigram index has nothing to go on for shorter text.
const SUBSTRING_WORD: usize = 3;

/// What the list should match.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SearchText {
    /// Anywhere in a title, description or reference, or in the unit's name or code,
    /// with or without diacritics ("cai cach" finds "Cải cách").
    Substring(String),
    /// No word of three letters or digits, too short to look up inside words: a unit's
    /// code or an initiative's reference, exactly ("C1", "MH-3").
    Exact(String),
}

pub const EXACT_ONLY: &str =
    "Từ khóa dưới 3 chữ cái: chỉ tìm đúng mã đơn vị hoặc mã mô hình, công trình.";

impl SearchText {
    /// Reads the search box; `None` when it holds nothing to search for. Characters
    /// PostgreSQL cannot take (NUL) are dropped; past [`MAX_CHARACTERS`] is ignored.
    pub fn parse(input: &str) -> Option<SearchText> {
        let text: String = input
            .chars()
            .filter(|character| *character != '\0')
            .take(MAX_CHARACTERS)
            .collect();
        let text = text.trim();
        if text.is_empty() {
            return None;
        }
        let long_word = text
            .split(|character: char| !character.is_alphanumeric())
            .any(|word| word.chars().count() >= SUBSTRING_WORD);
        Some(if long_word {
            SearchText::Substring(text.to_owned())
        } else {
            SearchText::Exact(text.to_owned())
        })
    }

    pub fn is_exact(&self) -> bool {
        matches!(self, SearchText::Exact(_))
    }

    /// A reference typed without its hyphen ("MH3", "mh12") as the list writes it
    /// ("MH-3"), so that it is found too; `None` for any other text.
    pub fn hyphenated_reference(&self) -> Option<String> {
        let SearchText::Substring(text) = self else {
            return None;
        };
        let digits_at = text.find(|character: char| character.is_ascii_digit())?;
        let (letters, digits) = text.split_at(digits_at);
        let fits = !letters.is_empty()
            && letters
                .chars()
                .all(|character| character.is_ascii_alphabetic())
            && digits.chars().all(|character| character.is_ascii_digit());
        fits.then(|| format!("{}-{digits}", letters.to_uppercase()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_word_of_three_letters_searches_inside_words_and_shorter_text_only_codes() {
        for typed in [
            "cai cach",
            "  Cải cách ",
            "MH-123",
            "mô hình",
            "T01-K1",
            "abc",
        ] {
            assert!(
                matches!(SearchText::parse(typed), Some(SearchText::Substring(_))),
                "{typed}"
            );
        }
        // A whole short reference ("MH-3") is found exactly.
        for typed in ["C1", "MH-3", "ab", "_", "%", "\\", "a b c", "Đà"] {
            assert!(
                matches!(SearchText::parse(typed), Some(SearchText::Exact(_))),
                "{typed}"
            );
        }
        assert_eq!(
            SearchText::parse("mh12").and_then(|text| text.hyphenated_reference()),
            Some("MH-12".to_owned())
        );
        assert_eq!(
            SearchText::parse("MH-12").and_then(|text| text.hyphenated_reference()),
            None
        );
        assert_eq!(SearchText::parse("   "), None);
        assert_eq!(SearchText::parse("\0"), None);
        assert_eq!(
            SearchText::parse("a\0b c"),
            Some(SearchText::Exact("ab c".to_owned()))
        );
        assert_eq!(
            SearchText::parse(&"x".repeat(5000)),
            Some(SearchText::Substring("x".repeat(MAX_CHARACTERS)))
        );
    }
}
