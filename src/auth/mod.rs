//! Who is asking and what they may do: passwords (and the bounded path that hashes
//! them), the sign-in throttle, the session, CSRF tokens, the signed-in user and the
//! permission rules.

pub mod csrf;
pub mod hashing;
pub mod password;
pub mod permissions;
pub mod session;
pub mod throttle;

pub use session::CurrentUser;
