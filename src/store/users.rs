//! User accounts.

use diesel::prelude::*;
use serde::Serialize;

use crate::domain::Role;
use crate::domain::Scope;
use crate::schema::{units, users};
use crate::store::{
    InScope, sessions, set_actor, unit_in_scope, unless_unique_violation, write_transaction,
};

#[derive(Debug, Clone, Queryable, Selectable)]
#[diesel(table_name = users)]
pub struct User {
    pub id: i32,
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: Role,
    pub unit_id: Option<i32>,
    pub active: bool,
    /// The password was set by someone else: the person must choose their own first.
    pub must_change_password: bool,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// A user as the admin pages list them, without the password hash.
#[derive(Debug, Clone, Queryable, Serialize)]
pub struct UserListed {
    pub id: i32,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit_id: Option<i32>,
    pub unit_name: Option<String>,
    pub unit_kind: Option<crate::domain::UnitKind>,
    pub active: bool,
    pub last_sign_in_at: Option<chrono::DateTime<chrono::Utc>>,
    pub phone: Option<String>,
    pub email: Option<String>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = users)]
pub struct NewUser {
    pub username: String,
    pub display_name: String,
    pub password_hash: String,
    pub role: Role,
    pub unit_id: Option<i32>,
    pub active: bool,
    /// True when someone else chose the password (an admin, an import).
    pub must_change_password: bool,
    pub phone: Option<String>,
    pub email: Option<String>,
}

/// What an admin may change on an account (the password has its own path).
#[derive(Debug, Clone, AsChangeset)]
#[diesel(table_name = users, treat_none_as_null = true)]
pub struct UserChanges {
    pub display_name: String,
    pub role: Role,
    pub unit_id: Option<i32>,
    pub active: bool,
    pub phone: Option<String>,
    pub email: Option<String>,
}

pub fn find_active(conn: &mut PgConnection, id: i32) -> QueryResult<Option<User>> {
    users::table
        .filter(users::id.eq(id))
        .filter(users::active.eq(true))
        .select(User::as_select())
        .first(conn)
        .optional()
}

/// One account, if its unit lies in the scope (an account without a unit only for
/// `Everything`): the proof a write to it takes.
pub fn find_in_scope(
    conn: &mut PgConnection,
    scope: Scope,
    id: i32,
) -> QueryResult<Option<InScope<User>>> {
    let mut query = users::table
        .left_join(units::table)
        .filter(users::id.eq(id))
        .select(User::as_select())
        .into_boxed();
    if scope != Scope::Everything {
        query = query.filter(unit_in_scope(scope));
    }
    Ok(query.first(conn).optional()?.map(InScope::checked))
}

pub fn find(conn: &mut PgConnection, id: i32) -> QueryResult<Option<User>> {
    users::table
        .filter(users::id.eq(id))
        .select(User::as_select())
        .first(conn)
        .optional()
}

/// Usernames are compared in lower case.
pub fn find_by_username(conn: &mut PgConnection, username: &str) -> QueryResult<Option<User>> {
    users::table
        .filter(users::username.eq(username.trim().to_lowercase()))
        .select(User::as_select())
        .first(conn)
        .optional()
}

/// Accounts per page of the admin list.
pub const LIST_PAGE: i64 = 100;

/// The folded text of an account that the trigram index of migration `..._user_contact`
/// covers; the query must use the very same expression for PostgreSQL to use it.
const USER_TEXT: &str = "search_key(users.display_name || ' ' || users.username)";

/// A page of the accounts whose unit lies in the scope (admins without a unit only for
/// `Everything`), active ones first, then by username; after the account `after`
/// (keyset). `search`, when not blank, keeps the accounts whose holder's name, username,
/// or unit's name or code contains it, with or without diacritics (shorter than
/// [`unit_search::MIN_SEARCH_CHARS`](crate::store::unit_search::MIN_SEARCH_CHARS): the
/// username or the unit's code exactly). At most `limit` rows, and the last one's id
/// when more follow.
pub fn list(
    conn: &mut PgConnection,
    scope: Scope,
    search: &str,
    after: Option<i32>,
    limit: i64,
) -> QueryResult<(Vec<UserListed>, Option<i32>)> {
    use crate::store::initiative_list::{UNIT_TEXT, contains};
    use diesel::dsl::sql;
    use diesel::sql_types::{Bool, Integer};
    let mut query = users::table
        .left_join(units::table)
        .select((
            users::id,
            users::username,
            users::display_name,
            users::role,
            users::unit_id,
            units::name.nullable(),
            units::kind.nullable(),
            users::active,
            users::last_sign_in_at,
            users::phone,
            users::email,
        ))
        .order((users::active.desc(), users::username))
        .into_boxed();
    if scope != Scope::Everything {
        query = query.filter(unit_in_scope(scope));
    }
    let search = search.trim();
    if crate::store::unit_search::searchable(search) {
        query = query.filter(contains(USER_TEXT, search).or(contains(UNIT_TEXT, search)));
    } else if !search.is_empty() {
        query = query.filter(
            users::username
                .eq(search.to_lowercase())
                .or(units::code.eq(search.to_uppercase())),
        );
    }
    if let Some(after) = after {
        query = query.filter(
            sql::<Bool>(
                "(NOT users.active, users.username) > \
                 (SELECT NOT cursor_user.active, cursor_user.username FROM users cursor_user WHERE cursor_user.id = ",
            )
            .bind::<Integer, _>(after)
            .sql(")"),
        );
    }
    let mut rows: Vec<UserListed> = query.limit(limit + 1).load(conn)?;
    let next_after = if rows.len() as i64 > limit {
        rows.truncate(usize::try_from(limit).unwrap_or(0));
        rows.last().map(|row| row.id)
    } else {
        None
    };
    Ok((rows, next_after))
}

/// The accounts with these usernames (already in lower case).
pub fn by_usernames(conn: &mut PgConnection, usernames: &[String]) -> QueryResult<Vec<User>> {
    users::table
        .filter(users::username.eq_any(usernames))
        .select(User::as_select())
        .load(conn)
}

pub fn insert(conn: &mut PgConnection, actor_id: Option<i32>, user: &NewUser) -> QueryResult<i32> {
    write_transaction(conn, |conn| {
        set_actor(conn, actor_id, None)?;
        insert_row(conn, user)
    })
}

/// Adds an account as `actor_id`'s change, inside the caller's transaction; `None` when
/// its username was taken by a concurrent write after the use case checked it.
pub fn insert_unless_taken(
    conn: &mut PgConnection,
    actor_id: i32,
    user: &NewUser,
) -> QueryResult<Option<i32>> {
    set_actor(conn, Some(actor_id), None)?;
    unless_unique_violation(conn, |conn| insert_row(conn, user))
}

/// Inserts an account inside the caller's transaction, which has named the actor.
pub fn insert_row(conn: &mut PgConnection, user: &NewUser) -> QueryResult<i32> {
    diesel::insert_into(users::table)
        .values(user)
        .returning(users::id)
        .get_result(conn)
}

pub fn update(
    conn: &mut PgConnection,
    actor_id: i32,
    id: i32,
    changes: &UserChanges,
) -> QueryResult<usize> {
    write_transaction(conn, |conn| {
        set_actor(conn, Some(actor_id), None)?;
        update_row(conn, id, changes)
    })
}

/// Changes an account looked up in the actor's scope, as `actor_id`'s change, inside the
/// caller's transaction (see [`update_row`]).
pub fn change(
    conn: &mut PgConnection,
    actor_id: i32,
    account: &InScope<User>,
    changes: &UserChanges,
) -> QueryResult<usize> {
    set_actor(conn, Some(actor_id), None)?;
    update_row(conn, account.id, changes)
}

/// Changes an account inside the caller's transaction; the password stays as it is.
/// A change of role or of active/locked ends every session of the account: what it
/// may do changed, so it signs in again (and a re-activated account starts afresh).
/// The account's row is locked before its sessions, as at sign-in.
pub fn update_row(conn: &mut PgConnection, id: i32, changes: &UserChanges) -> QueryResult<usize> {
    let before: Option<(Role, bool)> = users::table
        .filter(users::id.eq(id))
        .select((users::role, users::active))
        .for_update()
        .first(conn)
        .optional()?;
    if before.is_some_and(|(role, active)| role != changes.role || active != changes.active) {
        sessions::end_all(conn, id)?;
    }
    diesel::update(users::table.filter(users::id.eq(id)))
        .set((changes, users::updated_at.eq(diesel::dsl::now)))
        .execute(conn)
}

/// A person chooses their own password: it is no longer temporary, and every other
/// session of theirs ends (`current` is the one they are using).
pub fn set_own_password(
    conn: &mut PgConnection,
    id: i32,
    password_hash: &str,
    current: i64,
) -> QueryResult<usize> {
    write_transaction(conn, |conn| {
        set_actor(conn, Some(id), None)?;
        let changed = set_password_row(conn, id, password_hash, false)?;
        sessions::end_others(conn, id, current)?;
        Ok(changed)
    })
}

/// An admin sets a temporary password on an account looked up in their scope, inside
/// the caller's transaction: the person must change it at their next sign-in, and every
/// session of theirs ends now.
pub fn reset_password(
    conn: &mut PgConnection,
    actor_id: i32,
    account: &InScope<User>,
    password_hash: &str,
) -> QueryResult<usize> {
    set_actor(conn, Some(actor_id), None)?;
    let changed = set_password_row(conn, account.id, password_hash, true)?;
    sessions::end_all(conn, account.id)?;
    Ok(changed)
}

fn set_password_row(
    conn: &mut PgConnection,
    id: i32,
    password_hash: &str,
    temporary: bool,
) -> QueryResult<usize> {
    diesel::update(users::table.filter(users::id.eq(id)))
        .set((
            users::password_hash.eq(password_hash),
            users::must_change_password.eq(temporary),
            users::updated_at.eq(diesel::dsl::now),
        ))
        .execute(conn)
}

pub fn count(conn: &mut PgConnection) -> QueryResult<i64> {
    users::table.count().get_result(conn)
}
