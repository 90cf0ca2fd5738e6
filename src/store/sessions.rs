//! Server-side sessions: one row per signed-in browser, found by the SHA-256 of the
//! token its cookie holds (the token itself is never stored).

use chrono::{DateTime, TimeDelta, Utc};
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Timestamptz};
use serde::Serialize;

use crate::config::SessionLimits;
use crate::domain::Role;
use crate::schema::{sessions, users};
use crate::store::write_transaction;

/// How stale `last_seen_at` may get before a request refreshes it. Refreshing it at
/// every request would make every page view a write; once a minute costs one write a
/// minute per active person and makes the idle timeout at most a minute late.
pub const LAST_SEEN_PRECISION: TimeDelta = TimeDelta::minutes(1);

/// Which sessions are alive at `now`: seen after `seen_after` (the idle timeout) and
/// begun after `begun_after` (the absolute timeout).
#[derive(Debug, Clone, Copy)]
pub struct Alive {
    pub now: DateTime<Utc>,
    pub seen_after: DateTime<Utc>,
    pub begun_after: DateTime<Utc>,
}

impl Alive {
    pub fn at(now: DateTime<Utc>, limits: SessionLimits) -> Alive {
        Alive {
            now,
            seen_after: now - limits.idle,
            begun_after: now - limits.absolute,
        }
    }
}

/// The signed-in user of a session, as every request reads it.
#[derive(Debug, Clone, Queryable)]
pub struct SessionUser {
    pub session_id: i64,
    pub last_seen_at: DateTime<Utc>,
    pub user_id: i32,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit_id: Option<i32>,
    pub must_change_password: bool,
}

/// A session as the account page lists it.
#[derive(Debug, Clone, Queryable, Serialize)]
pub struct SessionListed {
    pub id: i64,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub user_agent: String,
    pub ip: Option<String>,
}

#[derive(Debug, Clone, Insertable)]
#[diesel(table_name = sessions)]
pub struct NewSession<'a> {
    pub token_hash: &'a [u8],
    pub user_id: i32,
    pub created_at: DateTime<Utc>,
    pub last_seen_at: DateTime<Utc>,
    pub user_agent: &'a str,
    pub ip: Option<&'a str>,
}

/// How many idle sessions of anyone a sign-in deletes, so the table does not fill with
/// the sessions of people who never come back, and no sign-in waits on a long delete.
const SWEEP_BATCH: i64 = 100;

/// The active user of a live session, in one query by the unique token hash and the
/// users' primary key. Refreshes `last_seen_at` when it is older than
/// [`LAST_SEEN_PRECISION`] (a second statement, about once a minute per session).
pub fn find_user(
    conn: &mut PgConnection,
    token_hash: &[u8],
    alive: Alive,
) -> QueryResult<Option<SessionUser>> {
    let found = sessions::table
        .inner_join(users::table)
        .filter(sessions::token_hash.eq(token_hash))
        .filter(users::active.eq(true))
        .filter(sessions::last_seen_at.gt(alive.seen_after))
        .filter(sessions::created_at.gt(alive.begun_after))
        .select((
            sessions::id,
            sessions::last_seen_at,
            users::id,
            users::username,
            users::display_name,
            users::role,
            users::unit_id,
            users::must_change_password,
        ))
        .first::<SessionUser>(conn)
        .optional()?;
    if let Some(found) = &found
        && found.last_seen_at < alive.now - LAST_SEEN_PRECISION
    {
        diesel::update(sessions::table.filter(sessions::id.eq(found.session_id)))
            .set(sessions::last_seen_at.eq(alive.now))
            .execute(conn)?;
    }
    Ok(found)
}

/// Starts a session at sign-in, in one transaction: ends the one it replaces (the
/// browser's previous session, if any), deletes the user's dead sessions and a bounded
/// batch of anyone's idle ones, and records the sign-in time on the account.
pub fn start(
    conn: &mut PgConnection,
    session: &NewSession,
    replaced: Option<&[u8]>,
    alive: Alive,
) -> QueryResult<i64> {
    write_transaction(conn, |conn| {
        // The account's row first, then its sessions: the order in which a password
        // change or a deactivation takes them too, so they cannot deadlock.
        diesel::update(users::table.filter(users::id.eq(session.user_id)))
            .set(users::last_sign_in_at.eq(alive.now))
            .execute(conn)?;
        if let Some(replaced) = replaced {
            diesel::delete(sessions::table.filter(sessions::token_hash.eq(replaced)))
                .execute(conn)?;
        }
        diesel::delete(
            sessions::table
                .filter(sessions::user_id.eq(session.user_id))
                .filter(
                    sessions::last_seen_at
                        .le(alive.seen_after)
                        .or(sessions::created_at.le(alive.begun_after)),
                ),
        )
        .execute(conn)?;
        diesel::sql_query(
            "DELETE FROM sessions WHERE id IN \
               (SELECT id FROM sessions WHERE last_seen_at <= $1 ORDER BY last_seen_at LIMIT $2)",
        )
        .bind::<Timestamptz, _>(alive.seen_after)
        .bind::<BigInt, _>(SWEEP_BATCH)
        .execute(conn)?;
        diesel::insert_into(sessions::table)
            .values(session)
            .returning(sessions::id)
            .get_result(conn)
    })
}

/// Ends the session with this token hash (sign-out, or a dead session presented).
pub fn end(conn: &mut PgConnection, token_hash: &[u8]) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::token_hash.eq(token_hash))).execute(conn)
}

/// Ends every session of a user, inside the caller's transaction when there is one.
pub fn end_all(conn: &mut PgConnection, user_id: i32) -> QueryResult<usize> {
    diesel::delete(sessions::table.filter(sessions::user_id.eq(user_id))).execute(conn)
}

/// Ends every session of a user but `keep`, the one making the request.
pub fn end_others(conn: &mut PgConnection, user_id: i32, keep: i64) -> QueryResult<usize> {
    diesel::delete(
        sessions::table
            .filter(sessions::user_id.eq(user_id))
            .filter(sessions::id.ne(keep)),
    )
    .execute(conn)
}

/// The live sessions of a user, the most recently used first.
pub fn list_alive(
    conn: &mut PgConnection,
    user_id: i32,
    alive: Alive,
) -> QueryResult<Vec<SessionListed>> {
    sessions::table
        .filter(sessions::user_id.eq(user_id))
        .filter(sessions::last_seen_at.gt(alive.seen_after))
        .filter(sessions::created_at.gt(alive.begun_after))
        .select((
            sessions::id,
            sessions::created_at,
            sessions::last_seen_at,
            sessions::user_agent,
            sessions::ip,
        ))
        .order((sessions::last_seen_at.desc(), sessions::id.desc()))
        .load(conn)
}
