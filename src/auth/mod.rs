//! Who is asking and what they may do: passwords (and the bounded path that hashes
//! them), the session, CSRF tokens, the signed-in user and the permission rules. The
//! sign-in throttle's rules are `domain::throttle`; its counts are in `store::sign_ins`.

pub mod csrf;
pub mod hashing;
pub mod password;
pub mod permissions;
pub mod session;

pub use session::CurrentUser;
