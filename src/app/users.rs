//! User accounts' administration (admins only): list them, create one, edit one (name,
//! role, unit, locked or not) and set a temporary password. Passwords arrive hashed:
//! hashing is the caller's work, done before a connection is taken.

use diesel::PgConnection;

use crate::app::Error;
use crate::app::unit_picker::{PickerInput, UnitPicker};
use crate::app::units::require_admin;
use crate::auth::CurrentUser;
use crate::domain::{Role, account};
use crate::store::{self, InScope, write_transaction};

pub use crate::store::sign_ins::SignInEvent;
pub use crate::store::users::{NewUser, User, UserChanges, UserListed};

/// Why an account's form cannot be saved as it stands, by what is stored now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Another account has this username.
    UsernameTaken,
    /// The chosen unit does not exist (or lies outside the person's scope).
    UnitMissing,
    /// An admin would lock themselves out or give up their own admin role.
    NotYourself,
}

/// What became of an account's form.
pub type Saved = crate::app::Saved<(), Refusal>;

/// A page of the accounts in the person's scope matching `search` (blank: all), after
/// the account `after`; with the last one's id when more follow.
pub fn list(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    search: &str,
    after: Option<i32>,
) -> Result<(Vec<UserListed>, Option<i32>), Error> {
    require_admin(actor)?;
    let page = store::users::list(conn, actor.scope(), search, after, store::users::LIST_PAGE)?;
    Ok(page)
}

/// The account, if it lies in the person's scope.
pub fn find(conn: &mut PgConnection, actor: &CurrentUser, id: i32) -> Result<User, Error> {
    Ok(in_scope(conn, actor, id)?.into_inner())
}

fn in_scope(conn: &mut PgConnection, actor: &CurrentUser, id: i32) -> Result<InScope<User>, Error> {
    store::users::find_in_scope(conn, actor.scope(), id)?.ok_or(Error::NotFound)
}

/// The picker of an account's unit (active units only): `value` as the form holds it.
pub fn unit_picker(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    value: &str,
    input: &PickerInput,
) -> Result<UnitPicker, Error> {
    UnitPicker::load(conn, actor.scope(), true, "unit_id", value, input)
}

/// What is stored says against a new account: its username taken, its unit missing.
/// Asked by [`create`] inside its transaction, and before the password is hashed (no
/// hashing for a form that comes back), and by a form with other mistakes.
pub fn new_account_refusals(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    username: Option<&str>,
    unit_id: Option<i32>,
) -> Result<Vec<Refusal>, Error> {
    let mut refusals = Vec::new();
    if let Some(username) = username
        && store::users::find_by_username(conn, username)?.is_some()
    {
        refusals.push(Refusal::UsernameTaken);
    }
    refusals.extend(unit_refusal(conn, actor, unit_id)?);
    Ok(refusals)
}

/// What the rules and what is stored say against a change of account `id`: an admin
/// demoting or locking themselves (when the role is known), its unit missing.
pub fn edit_refusals(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    id: i32,
    role: Option<Role>,
    active: bool,
    unit_id: Option<i32>,
) -> Result<Vec<Refusal>, Error> {
    let mut refusals = Vec::new();
    if role.is_some_and(|role| account::is_self_demotion(id, actor.id, role, active)) {
        refusals.push(Refusal::NotYourself);
    }
    refusals.extend(unit_refusal(conn, actor, unit_id)?);
    Ok(refusals)
}

fn unit_refusal(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    unit_id: Option<i32>,
) -> Result<Option<Refusal>, Error> {
    Ok(match unit_id {
        Some(unit_id) if store::units::find_in_scope(conn, actor.scope(), unit_id)?.is_none() => {
            Some(Refusal::UnitMissing)
        }
        _ => None,
    })
}

/// Creates the account (its password already hashed), unless what is stored refuses it.
pub fn create(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    new_user: &NewUser,
) -> Result<Saved, Error> {
    require_admin(actor)?;
    write_transaction(conn, |conn| {
        let refused =
            new_account_refusals(conn, actor, Some(&new_user.username), new_user.unit_id)?;
        if !refused.is_empty() {
            return Ok(Saved::Refused(refused));
        }
        Ok(
            match store::users::insert_unless_taken(conn, actor.id, new_user)? {
                Some(_) => Saved::Done(()),
                // Someone took the username between the check and the save.
                None => Saved::Refused(vec![Refusal::UsernameTaken]),
            },
        )
    })
}

/// Changes account `id`; a change of its role or of locked/unlocked ends its sessions
/// (see `store::users::update_row`). [`Error::NotFound`] outside the scope.
pub fn update(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    id: i32,
    changes: &UserChanges,
) -> Result<Saved, Error> {
    require_admin(actor)?;
    write_transaction(conn, |conn| {
        let account = in_scope(conn, actor, id)?;
        let refused = edit_refusals(
            conn,
            actor,
            id,
            Some(changes.role),
            changes.active,
            changes.unit_id,
        )?;
        if !refused.is_empty() {
            return Ok(Saved::Refused(refused));
        }
        store::users::change(conn, actor.id, &account, changes)?;
        Ok(Saved::Done(()))
    })
}

/// Sets a temporary password (already hashed) on account `id`, which must change it at
/// its next sign-in; every session of the account ends.
pub fn reset_password(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    id: i32,
    password_hash: &str,
) -> Result<(), Error> {
    require_admin(actor)?;
    write_transaction(conn, |conn| {
        let account = in_scope(conn, actor, id)?;
        store::users::reset_password(conn, actor.id, &account, password_hash)?;
        Ok(())
    })
}

/// At most `limit` failed or throttled sign-ins, newest first, older than event
/// `before` when given (the admin page of sign-ins).
pub fn failed_sign_ins(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    before: Option<i64>,
    limit: i64,
) -> Result<Vec<SignInEvent>, Error> {
    require_admin(actor)?;
    Ok(store::sign_ins::recent(conn, before, limit)?)
}
