//! The review steps that carry no file: approve, return (with a reason), resubmit,
//! accept and reopen. Each is checked against the workflow on the initiative as it
//! stands, locked, and taken in the same transaction.

use diesel::PgConnection;

use crate::app::Error;
use crate::app::initiatives::locked_for;
use crate::auth::CurrentUser;
use crate::domain::workflow::{self, ReasonProblem, Refusal, Step};
use crate::store;
use crate::store::initiatives::{StepChange, StepOutcome};

/// How a step went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stepped {
    Done,
    /// The workflow does not allow it: not this person's role, or not now.
    Refused(Refusal),
    /// A return or a reopening needs a reason a person typed.
    BadReason(ReasonProblem),
    /// Someone else acted on the initiative meanwhile.
    StateChanged,
}

/// Takes `step` on initiative `id` (not found outside the person's scope); `reason`
/// (normalized) goes with the steps that send it back.
pub fn take(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    id: i32,
    step: Step,
    reason: &str,
) -> Result<Stepped, Error> {
    let needs_reason = workflow::needs_reason(step);
    store::write_transaction(conn, |conn| {
        let (item, allowed) = locked_for(conn, actor, id, step)?;
        let transition = match allowed {
            Ok(transition) => transition,
            Err(refusal) => return Ok(Stepped::Refused(refusal)),
        };
        if needs_reason && let Some(problem) = workflow::reason_problem(reason, true) {
            return Ok(Stepped::BadReason(problem));
        }
        let change = StepChange {
            reason: needs_reason.then_some(reason),
            ..StepChange::only(transition)
        };
        Ok(
            match store::initiatives::take_step(conn, actor.id, &item, &change)? {
                StepOutcome::Done => Stepped::Done,
                StepOutcome::StateChanged | StepOutcome::NoEvidence => Stepped::StateChanged,
            },
        )
    })
}

/// The most initiatives one bulk review takes (the inbox shows fewer on a page).
pub const BULK_MAX: usize = 100;

/// An initiative ticked in the inbox, with the version the page showed of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Ticked {
    pub id: i32,
    pub version: i32,
}

/// How one initiative of a bulk review went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BulkOutcome {
    Done,
    /// The workflow does not allow it (not now, or the person's own registration).
    Refused(Refusal),
    /// It changed after the page showed it (another step, an edit): nothing taken.
    StateChanged,
    /// Missing or outside the person's scope: told apart nowhere, and its title is not shown.
    NotFound,
    /// It lost the race for its row every time it was tried: nothing taken.
    Busy,
}

/// One initiative of a bulk review: what the person may read of it (nothing when it
/// is not found) and how it went.
#[derive(Debug, Clone)]
pub struct BulkItem {
    pub id: i32,
    pub title: Option<String>,
    pub unit_name: Option<String>,
    pub outcome: BulkOutcome,
}

/// Takes `step` (approve or accept: steps without a reason) on each ticked initiative,
/// by id ascending, each in its own transaction with the same checks as one at a time
/// ([`take`]) plus the version the page showed; one refusal leaves the others alone.
/// At most [`BULK_MAX`] ids (the caller says so beyond); repeats count once.
pub fn take_many(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    step: Step,
    ticked: &[Ticked],
) -> Result<Vec<BulkItem>, Error> {
    debug_assert!(!workflow::needs_reason(step), "bulk steps carry no reason");
    let mut ticked = ticked.to_vec();
    ticked.sort_by_key(|item| item.id);
    ticked.dedup_by_key(|item| item.id);
    let mut items = Vec::with_capacity(ticked.len());
    for seen in ticked.into_iter().take(BULK_MAX) {
        let taken = store::write_transaction(conn, |conn| take_seen(conn, actor, step, seen));
        items.push(match taken {
            Ok(item) => item,
            Err(Error::Busy) => BulkItem {
                id: seen.id,
                title: None,
                unit_name: None,
                outcome: BulkOutcome::Busy,
            },
            Err(error) => return Err(error),
        });
    }
    Ok(items)
}

fn take_seen(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    step: Step,
    seen: Ticked,
) -> Result<BulkItem, Error> {
    let (item, allowed) = match locked_for(conn, actor, seen.id, step) {
        Ok(locked) => locked,
        Err(Error::NotFound) => {
            return Ok(BulkItem {
                id: seen.id,
                title: None,
                unit_name: None,
                outcome: BulkOutcome::NotFound,
            });
        }
        Err(error) => return Err(error),
    };
    let outcome = match allowed {
        Err(refusal) => BulkOutcome::Refused(refusal),
        Ok(_) if item.initiative.version != seen.version => BulkOutcome::StateChanged,
        Ok(transition) => {
            match store::initiatives::take_step(
                conn,
                actor.id,
                &item,
                &StepChange::only(transition),
            )? {
                StepOutcome::Done => BulkOutcome::Done,
                StepOutcome::StateChanged | StepOutcome::NoEvidence => BulkOutcome::StateChanged,
            }
        }
    };
    Ok(BulkItem {
        id: seen.id,
        title: Some(item.initiative.title.clone()),
        unit_name: Some(item.unit_name.clone()),
        outcome,
    })
}
