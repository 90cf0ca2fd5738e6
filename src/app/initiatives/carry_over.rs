//! Chuyển tiếp sang năm sau: an unfinished initiative registered again for the next year
//! in one action, linked to the original, which stays in its year as unfinished.

use diesel::PgConnection;

use crate::app::Error;
use crate::app::initiatives::{locked_for, registration_closed};
use crate::auth::CurrentUser;
use crate::domain::registration::RegistrationClosed;
use crate::domain::workflow::{self, ReasonProblem, Refusal, Step};
use crate::store;
pub use crate::store::carry_over::CarryOutcome;

/// How a carry-over went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Carried {
    /// The next year's initiative, waiting for the bloc's approval.
    Done { id: i32, year: i32 },
    /// The workflow does not allow it now.
    Refused(Refusal),
    /// The reason, optional, is not text a person typed.
    BadReason(ReasonProblem),
    /// The next year's registration is closed to the person.
    Closed(RegistrationClosed),
    /// The store found it carried, changed, its unit inactive or no next year
    /// (never `Carried` or `NotFound` here).
    NotCarried(CarryOutcome),
}

/// Carries initiative `id` (not found outside the person's scope) into the next year;
/// `reason` (normalized, may be empty) goes into both histories.
pub fn carry_over(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    id: i32,
    reason: &str,
) -> Result<Carried, Error> {
    store::write_transaction(conn, |conn| {
        let (item, allowed) = locked_for(conn, actor, id, Step::CarryOver)?;
        if let Err(refusal) = allowed {
            return Ok(Carried::Refused(refusal));
        }
        if let Some(problem) = workflow::reason_problem(reason, false) {
            return Ok(Carried::BadReason(problem));
        }
        let next_year = item.initiative.year + 1;
        if let Some(closed) =
            registration_closed(conn, actor.role, item.initiative.unit_id, next_year)?
        {
            return Ok(Carried::Closed(closed));
        }
        let reason = Some(reason).filter(|reason| !reason.is_empty());
        Ok(
            match store::carry_over::carry_over(conn, actor.id, &item, reason)? {
                CarryOutcome::Carried(new_id) => Carried::Done {
                    id: new_id,
                    year: next_year,
                },
                CarryOutcome::NotFound => return Err(Error::NotFound),
                other => Carried::NotCarried(other),
            },
        )
    })
}
