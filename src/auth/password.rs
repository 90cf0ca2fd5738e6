//! Password hashing with argon2id at OWASP's recommended cost (19 MiB, 2 passes, 1 lane).

use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use argon2::{Algorithm, Argon2, Params, Version};

use crate::domain::text::composed;

/// The shortest password a person may choose, in characters (after NFC).
pub const MIN_LENGTH: usize = 12;
pub const MAX_LENGTH: usize = 200;

fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password, in Unicode normal form C (a keyboard that types “ệ” as “e” and two
/// combining marks gives the same password), into a PHC string
/// (`$argon2id$v=19$m=19456,t=2,p=1$…`). Slow on purpose: call it through
/// `auth::hashing`.
pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(hasher()
        .hash_password(composed(password).as_bytes(), &salt)?
        .to_string())
}

/// Checks a password against a stored hash; a malformed hash never matches. The
/// password is compared in normal form C, and as typed when that differs: hashes made
/// before passwords were normalised hold them as typed.
pub fn verify(password: &str, stored_hash: &str) -> bool {
    let Ok(parsed) = PasswordHash::new(stored_hash) else {
        return false;
    };
    let matches = |typed: &str| hasher().verify_password(typed.as_bytes(), &parsed).is_ok();
    let normal = composed(password);
    matches(&normal) || (normal != password && matches(password))
}

/// A hash of a random password, verified against when the username is unknown, so
/// that a wrong username costs as long as a wrong password and reveals nothing.
pub fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| {
        let random: [u8; 16] = rand::random();
        hash(&format!("{random:?}")).unwrap_or_default()
    })
}

/// A temporary password for an account an import creates, shown once to the admin:
/// three groups of four lower-case letters and digits, without the look-alikes 0/o and
/// 1/l/i (about 59 bits of entropy). Drawn again in the rare case that the policy
/// refuses it (a common word between digits, say).
pub fn temporary() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::rng();
    let mut draw = || {
        let mut password = String::with_capacity(14);
        for group in 0..3 {
            if group > 0 {
                password.push('-');
            }
            for _ in 0..4 {
                password.push(char::from(ALPHABET[rng.random_range(0..ALPHABET.len())]));
            }
        }
        password
    };
    let mut password = draw();
    for _ in 0..100 {
        if weakness(&password, "", "").is_none() {
            break;
        }
        password = draw();
    }
    password
}

pub const CONTROL_CHARACTERS: &str =
    "Mật khẩu không được chứa ký tự điều khiển (như NUL, tab, xuống dòng).";
pub const ONLY_SPACES: &str = "Mật khẩu không được chỉ gồm khoảng trắng.";
pub const TOO_SHORT: &str =
    "Mật khẩu phải có ít nhất 12 ký tự (khoảng trắng và chữ có dấu đều được tính).";
pub const TOO_LONG: &str = "Mật khẩu dài quá 200 ký tự.";
pub const REPEATED: &str = "Mật khẩu không được chỉ lặp lại một ký tự hay một nhóm ký tự ngắn (như aaaaaaaaaaaa, abcabcabcabc).";
pub const SEQUENCE: &str =
    "Mật khẩu không được là một dãy liên tiếp (như 1234567890, abcdefghijkl).";
pub const COMMON: &str = "Mật khẩu này nằm trong danh sách mật khẩu phổ biến mà kẻ gian thử đầu tiên. Hãy chọn mật khẩu khác, ví dụ một câu dễ nhớ.";
pub const CONTAINS_USERNAME: &str = "Mật khẩu không được chứa tên đăng nhập.";
pub const CONTAINS_NAME: &str = "Mật khẩu không được chứa họ tên của người dùng.";

/// Why a new password is refused, in Vietnamese; `None` when it is acceptable. Any
/// character may be used, spaces and Vietnamese letters included, but not control
/// characters; it needs [`MIN_LENGTH`] to [`MAX_LENGTH`] characters (counted after NFC,
/// so a letter with its marks is one), and must not be on the list of common passwords
/// (compared without case, as typed, without its spaces, and without digits or symbols
/// added at either end), one character or a short group repeated, a run like
/// `1234567890` or `abcdefghijkl`, nor contain the `username` or the `display_name`
/// (without case or diacritics). Either may be empty when there is no account yet.
pub fn weakness(password: &str, username: &str, display_name: &str) -> Option<&'static str> {
    if password.chars().any(char::is_control) {
        return Some(CONTROL_CHARACTERS);
    }
    if !password.is_empty() && password.chars().all(char::is_whitespace) {
        return Some(ONLY_SPACES);
    }
    let composed = composed(password);
    let length = composed.chars().count();
    if length < MIN_LENGTH {
        return Some(TOO_SHORT);
    }
    if length > MAX_LENGTH {
        return Some(TOO_LONG);
    }
    let lowered = composed.to_lowercase();
    let compact: String = lowered.chars().filter(|c| !c.is_whitespace()).collect();
    if is_repetition(&compact) {
        return Some(REPEATED);
    }
    if is_run(&compact) {
        return Some(SEQUENCE);
    }
    let folded = letters_and_digits(password);
    if is_common(&lowered)
        || is_common(&compact)
        || is_common(without_padding(&lowered))
        || folded == letters_and_digits(EXAMPLE)
    {
        return Some(COMMON);
    }
    let contains = |personal: &str, shortest: usize| {
        let personal = letters_and_digits(personal);
        personal.chars().count() >= shortest && folded.contains(&personal)
    };
    if contains(username, 3) {
        return Some(CONTAINS_USERNAME);
    }
    if contains(display_name, 4) {
        return Some(CONTAINS_NAME);
    }
    None
}

/// The example passphrase the forms' hint gives ("Ít nhất 12 ký tự; nên dùng một câu dễ
/// nhớ, ví dụ …"): refused itself, since everyone reads it.
pub const EXAMPLE: &str = "Mùa thu Hà Nội có hoa sữa";

/// Lower case without diacritics, letters and digits only: `Nguyễn Văn A` → `nguyenvana`.
fn letters_and_digits(text: &str) -> String {
    crate::domain::format::fold_diacritics(text)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .collect()
}

/// `aaaaaaaaaaaa`, `abababababab`, `abcabcabcabc`: one to three characters repeated.
fn is_repetition(text: &str) -> bool {
    let characters: Vec<char> = text.chars().collect();
    (1..=3).any(|period| {
        characters.len() >= 2 * period
            && characters
                .iter()
                .zip(characters.iter().skip(period))
                .all(|(a, b)| a == b)
    })
}

/// `1234567890`, `0987654321`, `abcdefghijkl`, `zyxwvutsrqpo`: each character the
/// next (or each the previous) of the one before; digits wrap from 9 to 0.
fn is_run(text: &str) -> bool {
    let characters: Vec<char> = text.chars().collect();
    let steps: Vec<i64> = characters
        .windows(2)
        .map(|pair| match (pair[0], pair[1]) {
            ('9', '0') => 1,
            ('0', '9') => -1,
            (a, b) => i64::from(u32::from(b)) - i64::from(u32::from(a)),
        })
        .collect();
    !steps.is_empty()
        && (steps.iter().all(|step| *step == 1) || steps.iter().all(|step| *step == -1))
}

/// A common password with digits, symbols or spaces added at either end
/// (`password2024!`, `!!iloveyou`): what is left in the middle, when at least four
/// characters are.
fn without_padding(text: &str) -> &str {
    let core = text.trim_matches(|c: char| {
        c.is_ascii_digit() || c.is_ascii_punctuation() || c.is_whitespace()
    });
    if core.chars().count() >= 4 {
        core
    } else {
        text
    }
}

/// Whether `candidate` (lower case) is on the shipped list (see common-passwords.md).
fn is_common(candidate: &str) -> bool {
    static LIST: std::sync::OnceLock<Vec<&'static str>> = std::sync::OnceLock::new();
    let list = LIST.get_or_init(|| {
        let mut list: Vec<&'static str> = include_str!("common-passwords.txt")
            .lines()
            .filter(|line| !line.is_empty())
            .collect();
        list.sort_unstable();
        list.dedup();
        list
    });
    list.binary_search(&candidate).is_ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_are_argon2id_and_verify_only_the_right_password() {
        let stored = hash("mật khẩu đúng").expect("hash");
        assert!(stored.starts_with("$argon2id$v=19$m=19456,t=2,p=1$"));
        assert!(verify("mật khẩu đúng", &stored));
        assert!(!verify("mật khẩu sai", &stored));
        assert!(!verify("anything", "not a hash"));
    }

    #[test]
    fn a_password_typed_with_combining_marks_is_the_same_password() {
        // “Việt” as V, i, e + U+0323 (dot below) + U+0302 (circumflex), t.
        let decomposed = "Vie\u{323}\u{302}t Nam mu\u{300}a thu";
        let stored = hash("Việt Nam mùa thu").expect("hash");
        assert!(verify(decomposed, &stored));
        let stored = hash(decomposed).expect("hash");
        assert!(verify("Việt Nam mùa thu", &stored));
        // A hash made from the decomposed text as typed (before normalising) still opens.
        let salt = SaltString::generate(&mut OsRng);
        let legacy = hasher()
            .hash_password(decomposed.as_bytes(), &salt)
            .expect("hash")
            .to_string();
        assert!(verify(decomposed, &legacy));
    }

    #[test]
    fn temporary_passwords_are_strong_enough_and_differ() {
        let first = temporary();
        assert_eq!(first.chars().count(), 14);
        for _ in 0..200 {
            assert_eq!(weakness(&temporary(), "", ""), None);
        }
        assert_ne!(first, temporary());
    }

    #[test]
    fn the_issue_s_weak_passwords_are_refused_each_with_its_reason() {
        let refused = |password: &str| weakness(password, "bi.thu.c1", "Nguyễn Văn An");
        assert_eq!(refused("aaaaaaaaaa"), Some(TOO_SHORT));
        assert_eq!(refused("aaaaaaaaaaaa"), Some(REPEATED));
        assert_eq!(refused("ab ab ab ab ab ab"), Some(REPEATED));
        assert_eq!(refused("1234567890"), Some(TOO_SHORT));
        assert_eq!(refused("123456789012"), Some(SEQUENCE));
        assert_eq!(refused("abcdefghijkl"), Some(SEQUENCE));
        assert_eq!(refused("0987654321 "), Some(TOO_SHORT));
        assert_eq!(refused("password12"), Some(TOO_SHORT));
        assert_eq!(refused("password1234"), Some(COMMON));
        assert_eq!(refused("PassWord2024!"), Some(COMMON));
        assert_eq!(refused("Q1W2E3R4T5Y6"), Some(COMMON));
        assert_eq!(refused("qwerty 123456"), Some(COMMON));
        assert_eq!(refused("          "), Some(ONLY_SPACES));
        assert_eq!(refused("                    "), Some(ONLY_SPACES));
        assert_eq!(refused(&"\0".repeat(12)), Some(CONTROL_CHARACTERS));
        assert_eq!(refused("mật khẩu\tdài đủ rồi"), Some(CONTROL_CHARACTERS));
        assert_eq!(refused("bi.thu.c1"), Some(TOO_SHORT));
        assert_eq!(refused("Bi.Thu.C1-2026-moi"), Some(CONTAINS_USERNAME));
        assert_eq!(refused("toi la nguyen van an"), Some(CONTAINS_NAME));
        assert_eq!(refused("Tôi là NGUYỄN VĂN AN đây"), Some(CONTAINS_NAME));
        assert_eq!(refused(&"x".repeat(201)), Some(TOO_LONG));
        assert_eq!(refused(""), Some(TOO_SHORT));
    }

    #[test]
    fn passphrases_with_spaces_and_vietnamese_are_welcome() {
        for good in [
            "Mùa thu Hà Nội",
            "đủ dài rồi đấy",
            "mat-khau-kiem-thu-1",
            "Tôi yêu Hà Nội 2024",
            "correct horse battery staple",
        ] {
            assert_eq!(weakness(good, "bi.thu.c1", "Nguyễn Văn An"), None, "{good}");
        }
        // Twelve letters once composed: a decomposed "ệ" is one character, not three.
        // The forms' own example is refused, and every form that asks for a new
        // password gives it.
        assert_eq!(weakness("mùa thu hà nội có hoa sữa!", "", ""), Some(COMMON));
        for form in [
            include_str!("../../templates/account/password.html"),
            include_str!("../../templates/admin/user_form.html"),
        ] {
            assert!(form.contains(&format!("ví dụ “{EXAMPLE}”")));
        }
        let decomposed = "Ha\u{0300} No\u{0323}\u{0302}i đe\u{0323}p";
        assert_eq!(decomposed.chars().count(), 14);
        assert_eq!(weakness(decomposed, "", ""), Some(TOO_SHORT));
        assert_eq!(weakness("Việt Nam đẹp", "", ""), None);
    }
}
