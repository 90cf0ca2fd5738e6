//! Who is asking and what they may do: passwords, the session, CSRF tokens, the
//! signed-in user and the permission rules.

pub mod csrf;
pub mod password;
pub mod permissions;
pub mod session;

pub use permissions::Scope;
pub use session::CurrentUser;
