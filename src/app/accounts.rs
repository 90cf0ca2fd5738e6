//! A person's own account: signing in (the throttle, then the password, then the
//! session), changing the password, and their sessions.
//!
//! Passwords are hashed and checked by the caller between these steps, on the bounded
//! hashing path and with no pooled connection held: each step here is one trip.

use std::net::IpAddr;

use diesel::PgConnection;

use crate::app::Error;
use crate::auth::session::Opening;
use crate::domain::throttle::{Attempt, Limits};
use crate::store;
pub use crate::store::sessions::{Alive, SessionListed};
pub use crate::store::sign_ins::Admission;
pub use crate::store::users::User;

/// What the throttle said of a sign-in attempt, with the account it names when the
/// attempt may go ahead.
#[derive(Debug)]
pub enum SignInStart {
    /// The attempt may check its password (it counts as a failure until
    /// [`signed_in`] or [`forget_attempt`] says otherwise). `account` is `None` when no
    /// account has the name; the caller checks a dummy hash then, so that both paths
    /// take the same time.
    Go { pending: i64, account: Option<User> },
    /// The attempt must wait this long more; no password is checked.
    Wait { left: std::time::Duration },
}

/// The first step of a sign-in: the throttle's verdict on `attempt` (before any hashing,
/// and whether or not the account exists), then the account named `username` (`None`:
/// what was typed can be no account's name).
pub fn start_sign_in(
    conn: &mut PgConnection,
    limits: &Limits,
    attempt: &Attempt,
    username: Option<&str>,
) -> Result<SignInStart, Error> {
    let pending = match store::sign_ins::admit(conn, limits, attempt)? {
        Admission::Go { pending } => pending,
        Admission::Wait { left } => return Ok(SignInStart::Wait { left }),
    };
    let account = match username {
        Some(username) => store::users::find_by_username(conn, username)?,
        None => None,
    };
    Ok(SignInStart::Go { pending, account })
}

/// What a checked password leads to.
#[derive(Debug, Clone, Copy)]
pub enum SignInVerdict<'a> {
    /// The right password of this active account: the session may start.
    Accepted(&'a User),
    /// The right password, but the account is locked.
    Locked,
    /// No such account, or the wrong password: the two are not told apart.
    Refused,
}

/// The rule of sign-in, once the password has been checked against `account`'s hash
/// (or a dummy one).
pub fn verdict(account: Option<&User>, password_matches: bool) -> SignInVerdict<'_> {
    match account {
        Some(account) if password_matches && account.active => SignInVerdict::Accepted(account),
        Some(_) if password_matches => SignInVerdict::Locked,
        _ => SignInVerdict::Refused,
    }
}

/// The last step of an accepted sign-in, in one transaction: the admitted attempt and
/// the account's earlier failures stop counting, and the session `opening` starts for
/// `user_id` (replacing the browser's previous one).
pub fn signed_in(
    conn: &mut PgConnection,
    limits: &Limits,
    pending: i64,
    attempt: &Attempt,
    user_id: i32,
    opening: &Opening,
) -> Result<(), Error> {
    store::write_transaction(conn, |conn| {
        store::sign_ins::succeeded(conn, limits, pending, &attempt.username)?;
        store::sessions::start(
            conn,
            &opening.row(user_id),
            opening.replaced(),
            opening.alive(),
        )?;
        Ok(())
    })
}

/// The admitted attempt `pending` checked no password after all (hashing was busy): it
/// does not count.
pub fn forget_attempt(conn: &mut PgConnection, pending: i64) -> Result<(), Error> {
    Ok(store::sign_ins::forget(conn, pending)?)
}

/// The first step of a password change: the person's active account (not found once
/// locked), and the throttle's verdict on checking its current password from `address`.
/// The current password is guessed no faster here than at sign-in: the same throttle,
/// on the same account, before any hashing.
pub fn start_password_change(
    conn: &mut PgConnection,
    limits: &Limits,
    user_id: i32,
    address: IpAddr,
) -> Result<(User, Attempt, Admission), Error> {
    let account = store::users::find_active(conn, user_id)?.ok_or(Error::NotFound)?;
    let attempt = Attempt::new(&account.username, address);
    let admission = store::sign_ins::admit(conn, limits, &attempt)?;
    Ok((account, attempt, admission))
}

/// The current password was right: the attempt and the account's earlier failures
/// stop counting.
pub fn current_password_checked(
    conn: &mut PgConnection,
    limits: &Limits,
    pending: i64,
    attempt: &Attempt,
) -> Result<(), Error> {
    Ok(store::sign_ins::succeeded(
        conn,
        limits,
        pending,
        &attempt.username,
    )?)
}

/// Stores the person's own new password (hashed by the caller): it is no longer
/// temporary, and every session of theirs but `current` ends.
pub fn set_own_password(
    conn: &mut PgConnection,
    user_id: i32,
    password_hash: &str,
    current: i64,
) -> Result<(), Error> {
    store::users::set_own_password(conn, user_id, password_hash, current)?;
    Ok(())
}

/// The person's live sessions, the most recently used first.
pub fn sessions(
    conn: &mut PgConnection,
    user_id: i32,
    alive: Alive,
) -> Result<Vec<SessionListed>, Error> {
    Ok(store::sessions::list_alive(conn, user_id, alive)?)
}

/// Ends every session of the person but `current`; returns how many ended.
pub fn end_other_sessions(
    conn: &mut PgConnection,
    user_id: i32,
    current: i64,
) -> Result<usize, Error> {
    Ok(store::sessions::end_others(conn, user_id, current)?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Role;

    fn account(active: bool) -> User {
        User {
            id: 7,
            username: "bi.thu".to_owned(),
            display_name: "Bí thư".to_owned(),
            password_hash: String::new(),
            role: Role::Secretary,
            unit_id: Some(3),
            active,
            must_change_password: false,
            phone: None,
            email: None,
        }
    }

    #[test]
    fn only_the_right_password_of_an_active_account_signs_in() {
        let (active, locked) = (account(true), account(false));
        assert!(matches!(
            verdict(Some(&active), true),
            SignInVerdict::Accepted(user) if user.id == 7
        ));
        assert!(matches!(
            verdict(Some(&locked), true),
            SignInVerdict::Locked
        ));
        // A locked account with the wrong password learns nothing about being locked.
        assert!(matches!(
            verdict(Some(&locked), false),
            SignInVerdict::Refused
        ));
        assert!(matches!(
            verdict(Some(&active), false),
            SignInVerdict::Refused
        ));
        assert!(matches!(verdict(None, true), SignInVerdict::Refused));
    }
}
