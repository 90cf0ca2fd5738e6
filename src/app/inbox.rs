//! The work lists' reads: what waits for a reviewer, and what was returned to a
//! secretary, oldest step first, a page at a time from a cursor.

use diesel::PgConnection;

use crate::app::Error;
use crate::domain::{Review, Scope};
use crate::store;
pub use crate::store::initiatives::{InboxPosition, InitiativeListed};

/// How many rows each list shows on a page.
pub const PER_PAGE: i64 = 50;

/// One page of one list: how many wait in all (counted up to the caller's cap) and
/// where the next page starts.
#[derive(Debug)]
pub struct Section {
    pub rows: Vec<InitiativeListed>,
    pub total: i64,
    /// Whether this page is the list's first.
    pub first: bool,
    pub next: Option<InboxPosition>,
}

/// The reviewer's two lists, each from its own cursor, in one snapshot: registrations
/// waiting for approval and reports waiting for acceptance.
pub fn review(
    conn: &mut PgConnection,
    scope: Scope,
    approval_after: Option<InboxPosition>,
    acceptance_after: Option<InboxPosition>,
    count_cap: i64,
) -> Result<(Section, Section), Error> {
    store::read_snapshot(conn, |conn| {
        Ok((
            section(
                conn,
                scope,
                &[Review::PendingApproval],
                approval_after,
                count_cap,
            )?,
            section(
                conn,
                scope,
                &[Review::PendingAcceptance],
                acceptance_after,
                count_cap,
            )?,
        ))
    })
}

/// What reviewers returned, with their reasons, for the secretary to fix.
pub fn returned(
    conn: &mut PgConnection,
    scope: Scope,
    after: Option<InboxPosition>,
    count_cap: i64,
) -> Result<Section, Error> {
    store::read_snapshot(conn, |conn| {
        section(conn, scope, Review::RETURNED, after, count_cap)
    })
}

/// One page of the initiatives in `states`; the total is counted only when the page
/// does not already tell it (a first page with nothing after it).
fn section(
    conn: &mut PgConnection,
    scope: Scope,
    states: &[Review],
    after: Option<InboxPosition>,
    count_cap: i64,
) -> Result<Section, Error> {
    let mut rows = store::initiatives::in_review_states(conn, scope, states, after, PER_PAGE + 1)?;
    let more = rows.len() as i64 > PER_PAGE;
    rows.truncate(PER_PAGE as usize);
    let total = if after.is_none() && !more {
        rows.len() as i64
    } else {
        store::initiatives::count_in_review_states_up_to(conn, scope, states, count_cap)?
    };
    let next = rows
        .last()
        .filter(|_| more)
        .map(|row| (row.initiative.review_changed_at, row.initiative.id));
    Ok(Section {
        rows,
        total,
        first: after.is_none(),
        next,
    })
}
