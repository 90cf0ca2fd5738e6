//! Keyset cursors: where the next page of a list starts, as a short opaque text for
//! links and the API. A cursor is only a position in the list's order; the query that
//! reads the page still applies the reader's scope, so a forged cursor shows nothing new.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// Longer input is not a cursor this application wrote.
const MAX_LENGTH: usize = 64;

/// A position in a list: the sort keys of the row the page starts after (or before).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cursor<const N: usize>(pub [i64; N]);

impl<const N: usize> Cursor<N> {
    /// The text carried in links: the keys, URL-safe, without padding.
    pub fn encode(&self) -> String {
        let keys: Vec<String> = self.0.iter().map(i64::to_string).collect();
        URL_SAFE_NO_PAD.encode(keys.join("."))
    }

    /// Reads a cursor back; `None` for anything [`Cursor::encode`] did not write.
    pub fn decode(text: &str) -> Option<Cursor<N>> {
        if text.is_empty() || text.len() > MAX_LENGTH {
            return None;
        }
        let bytes = URL_SAFE_NO_PAD.decode(text).ok()?;
        let text = std::str::from_utf8(&bytes).ok()?;
        let mut keys = [0; N];
        let mut parts = text.split('.');
        for key in &mut keys {
            let part = parts.next()?;
            // Only what `encode` writes: no sign but a leading '-', no spaces, no '+'.
            if part.is_empty() || part.starts_with('+') {
                return None;
            }
            *key = part.parse().ok()?;
        }
        parts.next().is_none().then_some(Cursor(keys))
    }
}

/// Where a page of a list starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PageStart<K> {
    /// The beginning of the list.
    First,
    /// The rows that follow this position in the list's order ("Trang sau").
    After(K),
    /// The rows that come just before this position ("Trang trước").
    Before(K),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_cursor_reads_back_as_written() {
        for keys in [
            [0, 0],
            [1, -1],
            [i64::MAX, i64::MIN],
            [1_764_000_000_123_456, 42],
        ] {
            let cursor = Cursor(keys);
            let text = cursor.encode();
            assert!(
                text.bytes()
                    .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_'),
                "{text} fits in a URL as it is"
            );
            assert_eq!(Cursor::decode(&text), Some(cursor));
        }
        assert_eq!(
            Cursor::<1>::decode(&Cursor([7]).encode()),
            Some(Cursor([7]))
        );
    }

    #[test]
    fn anything_else_is_not_a_cursor() {
        let two = Cursor([5, 6]).encode();
        for text in [
            "",
            "!!!",
            "abc def",
            "%FF",
            &"A".repeat(65),
            // Valid base64 of the wrong content: one key, three keys, not numbers.
            &URL_SAFE_NO_PAD.encode("5"),
            &URL_SAFE_NO_PAD.encode("5.6.7"),
            &URL_SAFE_NO_PAD.encode("a.b"),
            &URL_SAFE_NO_PAD.encode("5..6"),
            &URL_SAFE_NO_PAD.encode("+5.6"),
            &URL_SAFE_NO_PAD.encode(" 5.6"),
            &URL_SAFE_NO_PAD.encode("99999999999999999999.1"),
            &URL_SAFE_NO_PAD.encode([0xff, 0xfe]),
        ] {
            assert_eq!(Cursor::<2>::decode(text), None, "{text}");
        }
        assert_eq!(Cursor::<1>::decode(&two), None, "two keys are not one");
    }
}
