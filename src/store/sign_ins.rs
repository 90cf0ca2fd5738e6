//! The log of failed and throttled sign-ins: what the sign-in throttle counts
//! (`auth::throttle` decides) and what the admin page lists.

use chrono::{DateTime, Utc};
use diesel::prelude::*;
use diesel::sql_types::{Double, Nullable, Text, Timestamptz};
use serde::Serialize;

use crate::domain::throttle::{self, Attempt, Limits, Recent, Verdict};
use crate::schema::sign_in_events;

/// What the log says of an attempt about to be checked.
#[derive(Debug, QueryableByName)]
struct RecentRow {
    #[diesel(sql_type = Timestamptz)]
    now: DateTime<Utc>,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    account_failures: i64,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    account_last_failure: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    account_last_throttled: Option<DateTime<Utc>>,
    #[diesel(sql_type = diesel::sql_types::BigInt)]
    address_failures: i64,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    address_last_failure: Option<DateTime<Utc>>,
    #[diesel(sql_type = Nullable<Timestamptz>)]
    address_last_throttled: Option<DateTime<Utc>>,
}

/// How [`admit`] answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Admission {
    /// The attempt may check its password. It is in the log as a failure already (so
    /// that attempts arriving meanwhile count it); [`succeeded`] or [`forget`] take it
    /// back when it turns out otherwise.
    Go { pending: i64 },
    /// The attempt must wait this long more; no password is checked.
    Wait { left: std::time::Duration },
}

/// Advisory lock classes (the first key of `pg_advisory_xact_lock(int, int)`): one
/// account's or one address's attempts are admitted one at a time, so that concurrent
/// attempts cannot all slip in under the limit.
const ACCOUNT_LOCK: i32 = 0x5349_0001;
const ADDRESS_LOCK: i32 = 0x5349_0002;

/// Rows deleted at most per admitted attempt, oldest first.
const PRUNED_PER_ATTEMPT: i64 = 100;

/// Decides whether `attempt` may check a password now, by the log's counts and the
/// database's clock, in one transaction: a throttled attempt is logged (at most once a
/// minute per key, see [`throttle::verdict`]); an admitted one is logged as a failure
/// until it proves otherwise, and a few rows past [`throttle::KEPT_FOR`] are deleted.
pub fn admit(
    conn: &mut PgConnection,
    limits: &Limits,
    attempt: &Attempt,
) -> QueryResult<Admission> {
    conn.transaction(|conn| {
        // Always the account's lock before the address's: no two attempts wait on each other.
        diesel::sql_query("SELECT pg_advisory_xact_lock($1, hashtext($2))")
            .bind::<diesel::sql_types::Integer, _>(ACCOUNT_LOCK)
            .bind::<Text, _>(&attempt.username)
            .execute(conn)?;
        diesel::sql_query("SELECT pg_advisory_xact_lock($1, hashtext($2))")
            .bind::<diesel::sql_types::Integer, _>(ADDRESS_LOCK)
            .bind::<Text, _>(&attempt.address_key)
            .execute(conn)?;
        let row: RecentRow = diesel::sql_query(include_str!("sql/sign_in_recent.sql"))
            .bind::<Text, _>(&attempt.username)
            .bind::<Double, _>(limits.account.window.as_secs_f64())
            .bind::<Text, _>(&attempt.address_key)
            .bind::<Double, _>(limits.address.window.as_secs_f64())
            .get_result(conn)?;
        let account = Recent {
            failures: row.account_failures,
            last_failure: row.account_last_failure,
            last_throttled: row.account_last_throttled,
        };
        let address = Recent {
            failures: row.address_failures,
            last_failure: row.address_last_failure,
            last_throttled: row.address_last_throttled,
        };
        match throttle::verdict(limits, &account, &address, row.now) {
            Verdict::Wait { left, log } => {
                if log {
                    insert(conn, attempt, Outcome::Throttled)?;
                }
                Ok(Admission::Wait { left })
            }
            Verdict::Go => {
                let pending = insert(conn, attempt, Outcome::Failure)?;
                prune(conn)?;
                Ok(Admission::Go { pending })
            }
        }
    })
}

/// What became of an attempt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Outcome {
    Failure,
    Throttled,
}

impl Outcome {
    fn as_str(self) -> &'static str {
        match self {
            Outcome::Failure => "failure",
            Outcome::Throttled => "throttled",
        }
    }
}

fn insert(conn: &mut PgConnection, attempt: &Attempt, outcome: Outcome) -> QueryResult<i64> {
    diesel::insert_into(sign_in_events::table)
        .values((
            sign_in_events::username.eq(&attempt.username),
            sign_in_events::address.eq(&attempt.address),
            sign_in_events::address_key.eq(&attempt.address_key),
            sign_in_events::outcome.eq(outcome.as_str()),
        ))
        .returning(sign_in_events::id)
        .get_result(conn)
}

/// Deletes a few of the rows older than [`throttle::KEPT_FOR`], oldest first.
fn prune(conn: &mut PgConnection) -> QueryResult<usize> {
    diesel::sql_query(
        "DELETE FROM sign_in_events WHERE id IN (SELECT id FROM sign_in_events \
         WHERE at < now() - make_interval(secs => $1) ORDER BY at LIMIT $2)",
    )
    .bind::<Double, _>(throttle::KEPT_FOR.as_secs_f64())
    .bind::<diesel::sql_types::BigInt, _>(PRUNED_PER_ATTEMPT)
    .execute(conn)
}

/// The admitted attempt `pending` signed in: it was no failure, and the account's
/// earlier failures no longer hold its owner back (the address's count keeps them).
pub fn succeeded(
    conn: &mut PgConnection,
    limits: &Limits,
    pending: i64,
    username: &str,
) -> QueryResult<()> {
    conn.transaction(|conn| {
        forget(conn, pending)?;
        diesel::sql_query(
            "UPDATE sign_in_events SET cleared = true WHERE username = $1 \
             AND at > now() - make_interval(secs => $2) AND outcome = 'failure' AND NOT cleared",
        )
        .bind::<Text, _>(username)
        .bind::<Double, _>(limits.account.window.as_secs_f64())
        .execute(conn)?;
        Ok(())
    })
}

/// The admitted attempt `pending` checked no password after all (hashing was busy).
pub fn forget(conn: &mut PgConnection, pending: i64) -> QueryResult<()> {
    diesel::delete(sign_in_events::table.filter(sign_in_events::id.eq(pending))).execute(conn)?;
    Ok(())
}

/// One line of the admin page.
#[derive(Debug, Clone, Queryable, Serialize)]
pub struct SignInEvent {
    pub id: i64,
    pub at: DateTime<Utc>,
    pub username: String,
    pub address: String,
    pub outcome: String,
    pub cleared: bool,
}

/// At most `limit` events, newest first, older than event `before` when given.
pub fn recent(
    conn: &mut PgConnection,
    before: Option<i64>,
    limit: i64,
) -> QueryResult<Vec<SignInEvent>> {
    let mut query = sign_in_events::table
        .select((
            sign_in_events::id,
            sign_in_events::at,
            sign_in_events::username,
            sign_in_events::address,
            sign_in_events::outcome,
            sign_in_events::cleared,
        ))
        .order(sign_in_events::id.desc())
        .limit(limit)
        .into_boxed();
    if let Some(before) = before {
        query = query.filter(sign_in_events::id.lt(before));
    }
    query.load(conn)
}
