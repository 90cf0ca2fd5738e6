//! Password hashing with argon2id at OWASP's recommended cost (19 MiB, 2 passes, 1 lane).

use argon2::password_hash::{
    PasswordHash, PasswordHasher, PasswordVerifier, SaltString, rand_core::OsRng,
};
use argon2::{Algorithm, Argon2, Params, Version};

/// The shortest password a person may choose.
pub const MIN_LENGTH: usize = 10;
pub const MAX_LENGTH: usize = 200;

fn hasher() -> Argon2<'static> {
    let params = Params::new(19 * 1024, 2, 1, None).unwrap_or_default();
    Argon2::new(Algorithm::Argon2id, Version::V0x13, params)
}

/// Hashes a password into a PHC string (`$argon2id$v=19$m=19456,t=2,p=1$…`).
/// Slow on purpose: call it on the blocking pool.
pub fn hash(password: &str) -> Result<String, argon2::password_hash::Error> {
    let salt = SaltString::generate(&mut OsRng);
    Ok(hasher()
        .hash_password(password.as_bytes(), &salt)?
        .to_string())
}

/// Checks a password against a stored hash; a malformed hash never matches.
pub fn verify(password: &str, stored_hash: &str) -> bool {
    match PasswordHash::new(stored_hash) {
        Ok(parsed) => hasher()
            .verify_password(password.as_bytes(), &parsed)
            .is_ok(),
        Err(_) => false,
    }
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
/// 1/l/i (about 59 bits of entropy).
pub fn temporary() -> String {
    use rand::Rng;
    const ALPHABET: &[u8] = b"abcdefghjkmnpqrstuvwxyz23456789";
    let mut rng = rand::thread_rng();
    let mut password = String::with_capacity(14);
    for group in 0..3 {
        if group > 0 {
            password.push('-');
        }
        for _ in 0..4 {
            password.push(char::from(ALPHABET[rng.gen_range(0..ALPHABET.len())]));
        }
    }
    password
}

/// Why a new password is refused, in Vietnamese; `None` when it is acceptable.
pub fn weakness(password: &str) -> Option<&'static str> {
    let length = password.chars().count();
    if length < MIN_LENGTH {
        Some("Mật khẩu phải có ít nhất 10 ký tự.")
    } else if length > MAX_LENGTH {
        Some("Mật khẩu dài quá 200 ký tự.")
    } else {
        None
    }
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
    fn temporary_passwords_are_strong_enough_and_differ() {
        let first = temporary();
        assert_eq!(first.chars().count(), 14);
        assert!(weakness(&first).is_none());
        assert_ne!(first, temporary());
    }

    #[test]
    fn short_passwords_are_refused() {
        assert!(weakness("ngan").is_some());
        assert!(weakness("đủ dài rồi đấy").is_none());
    }
}
