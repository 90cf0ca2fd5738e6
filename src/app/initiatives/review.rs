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
