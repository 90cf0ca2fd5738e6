//! CSRF protection: a random token kept in the (encrypted) session and repeated in
//! every state-changing form; a request whose token does not match changes nothing.

use actix_session::Session;
use base64::Engine;

use crate::error::AppError;

const KEY: &str = "csrf_token";

/// The session's token, created on first use.
pub fn token(session: &Session) -> String {
    if let Ok(Some(existing)) = session.get::<String>(KEY) {
        return existing;
    }
    rotate(session)
}

/// Replaces the token (at sign-in, so a token seen before sign-in is worthless after).
pub fn rotate(session: &Session) -> String {
    let bytes: [u8; 32] = rand::random();
    let fresh = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    // Inserting a String into the session cannot fail to serialise.
    let _ = session.insert(KEY, &fresh);
    fresh
}

/// Accepts the request only if `submitted` equals the session's token.
pub fn verify(session: &Session, submitted: &str) -> Result<(), AppError> {
    let expected = session
        .get::<String>(KEY)
        .ok()
        .flatten()
        .ok_or(AppError::Csrf)?;
    if constant_time_eq(expected.as_bytes(), submitted.as_bytes()) {
        Ok(())
    } else {
        Err(AppError::Csrf)
    }
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

#[cfg(test)]
mod tests {
    #[test]
    fn comparison_needs_every_byte() {
        assert!(super::constant_time_eq(b"abc", b"abc"));
        assert!(!super::constant_time_eq(b"abc", b"abd"));
        assert!(!super::constant_time_eq(b"abc", b"ab"));
    }
}
