//! The initiatives' use cases: registering and editing (`edit`), the review steps
//! (`review`), carrying one into the next year (`carry_over`) and the pages' reads
//! (`pages`). Evidence and the completion report, which carry files, are in
//! `app::evidence`.

pub mod carry_over;
pub mod edit;
pub mod pages;
pub mod review;

use std::collections::HashMap;

use diesel::PgConnection;

use crate::app::Error;
use crate::auth::CurrentUser;
use crate::domain::registration::{self, RegistrationClosed};
use crate::domain::workflow::{self, Refusal, Request, Step, Transition};
use crate::domain::{Role, today_in_vietnam};
use crate::store::audit::AuditEntry;
use crate::store::{self, InScope};
// The rows the use cases return, for `web` to show.
pub use crate::store::carry_over::CarryLinks;
pub use crate::store::evidence::Evidence;
pub use crate::store::initiative_list::{InitiativeFilter, ListPage};
pub use crate::store::initiatives::{CompletionReport, Initiative, InitiativeListed};
pub use crate::store::list_sorted::{ListTotals, SortedRequest, position as list_position};

/// The workflow request this person would make about this initiative.
pub fn request(actor: &CurrentUser, item: &InitiativeListed) -> Request {
    Request {
        role: actor.role,
        actor_id: actor.id,
        created_by: item.initiative.created_by,
        review: item.initiative.review,
        status: item.initiative.status,
        carried_over: item.carried_over_to.is_some(),
    }
}

/// Initiative `id` locked for a write, if it lies in the person's scope (else not
/// found), with what the workflow says of `step` on it as it stands.
pub(crate) fn locked_for(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    id: i32,
    step: Step,
) -> Result<(InScope<InitiativeListed>, Result<Transition, Refusal>), Error> {
    let item =
        store::initiatives::lock_in_scope(conn, actor.scope(), id)?.ok_or(Error::NotFound)?;
    let allowed = workflow::check(step, request(actor, &item));
    Ok((item, allowed))
}

/// The registration deadline rule (`domain::registration`) for one unit and year, with
/// the deadline and the reopening read only when they matter.
fn registration_closed(
    conn: &mut PgConnection,
    role: Role,
    unit_id: i32,
    year: i32,
) -> Result<Option<RegistrationClosed>, Error> {
    if !registration::deadline_binds(role) {
        return Ok(None);
    }
    let deadline = store::deadlines::for_unit(conn, unit_id, year)?
        .and_then(|deadline| deadline.registration_deadline);
    let today = today_in_vietnam();
    registration::closed(year, deadline, today, || {
        store::deadlines::is_reopened(conn, unit_id, year, today).map_err(Error::from)
    })
}

/// An initiative's audit log, oldest first, with the names of the units it mentions
/// (`web` turns it into lines a person reads).
#[derive(Debug, Default)]
pub struct History {
    pub entries: Vec<AuditEntry>,
    pub unit_names: HashMap<i32, String>,
}

impl History {
    fn read(conn: &mut PgConnection, id: i32) -> Result<History, Error> {
        let entries = store::audit::history(conn, "initiative", id)?;
        let unit_names = store::units::names(conn, &unit_ids(&entries))?
            .into_iter()
            .collect();
        Ok(History {
            entries,
            unit_names,
        })
    }
}

/// The unit ids the entries mention, so their names can be looked up in one query.
fn unit_ids(entries: &[AuditEntry]) -> Vec<i32> {
    let mut ids: Vec<i32> = entries
        .iter()
        .flat_map(|entry| [&entry.before, &entry.after])
        .filter_map(|side| side.as_ref()?.get("unit_id")?.as_i64())
        .filter_map(|id| i32::try_from(id).ok())
        .collect();
    ids.sort_unstable();
    ids.dedup();
    ids
}
