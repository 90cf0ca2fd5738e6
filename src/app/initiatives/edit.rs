//! Registering an initiative and editing one: the unit must lie in the person's scope,
//! the registration deadline applies wherever it is registered, a carried-over pair
//! stays where it is, and an edit saves only over the version it was loaded from.

use diesel::PgConnection;

use crate::app::Error;
use crate::app::initiatives::{History, locked_for, registration_closed};
use crate::auth::{CurrentUser, permissions};
use crate::domain::carry_over::{self, Placement};
use crate::domain::initiative::InitiativeDraft;
use crate::domain::registration::RegistrationClosed;
use crate::domain::workflow::{Refusal, Step};
use crate::store::initiatives::{InitiativeListed, StepChange, StepOutcome};
use crate::store::units::Unit;
use crate::store::{self, InScope};

/// Why a registration or an edit was not saved, besides what the form itself found.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct NotSaved {
    /// The chosen unit lies outside the scope, or no longer works.
    pub unit_outside: bool,
    /// The registration deadline of the chosen year and unit has passed for the person.
    pub closed: Option<RegistrationClosed>,
    /// One of a carried-over pair cannot change year or unit (`domain::carry_over`).
    pub pair_stays: bool,
}

/// How a registration went.
#[derive(Debug)]
pub enum Registered {
    /// The new initiative's id.
    Saved(i32),
    NotSaved(NotSaved),
}

/// Registers an initiative. `requested_unit`: the unit the form names (when it names
/// one); `draft`: the form parsed, `None` when it has errors of its own, in which case
/// only the unit is checked, so that the form can say everything at once.
pub fn register(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    requested_unit: Option<i32>,
    draft: Option<&InitiativeDraft>,
) -> Result<Registered, Error> {
    if !permissions::can_edit_initiatives(actor) {
        return Err(Error::Forbidden);
    }
    store::write_transaction(conn, |conn| {
        let named = requested_unit.or(draft.map(|draft| draft.unit_id));
        let unit = match named {
            Some(unit_id) => may_register_for(conn, actor, unit_id)?,
            None => None,
        };
        let mut refused = NotSaved {
            unit_outside: named.is_some() && unit.is_none(),
            ..NotSaved::default()
        };
        let (Some(draft), Some(unit)) = (draft, unit) else {
            return Ok(Registered::NotSaved(refused));
        };
        refused.closed = registration_closed(conn, actor.role, unit.id, draft.year.get())?;
        if refused.closed.is_some() {
            return Ok(Registered::NotSaved(refused));
        }
        Ok(Registered::Saved(store::initiatives::insert(
            conn, actor.id, &unit, draft,
        )?))
    })
}

/// The unit, when the person may register for it: it lies in their scope and works.
fn may_register_for(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    unit_id: i32,
) -> Result<Option<InScope<Unit>>, Error> {
    Ok(store::units::find_in_scope(conn, actor.scope(), unit_id)?.filter(|unit| unit.active))
}

/// How an edit went.
#[derive(Debug)]
pub enum Edited {
    Saved,
    /// Saved, and the returned registration sent again for approval, in one transaction.
    SavedAndResubmitted,
    /// The workflow does not allow an edit now: the detail page says why.
    Refused(Refusal),
    /// The form comes back, beside the initiative as it stands.
    NotSaved {
        current: Box<InitiativeListed>,
        not_saved: NotSaved,
    },
    /// Someone saved a newer version since the form was loaded: this one, and the
    /// initiative's history to show what changed.
    Conflict {
        latest: Box<InitiativeListed>,
        history: History,
    },
}

/// Saves an edit of initiative `id`: not found outside the scope, forbidden to those
/// who do not edit. `draft`: the form parsed with the version it was loaded from,
/// `None` when the form has errors of its own (only the unit is checked then).
/// `resubmit`: "Lưu và gửi lại" on a returned registration, which sends it for approval
/// again in the same transaction (refused, with nothing saved, when it cannot be).
pub fn update(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    id: i32,
    requested_unit: Option<i32>,
    draft: Option<(&InitiativeDraft, i32)>,
    resubmit: bool,
) -> Result<Edited, Error> {
    store::write_transaction(conn, |conn| {
        let (current, allowed) = locked_for(conn, actor, id, Step::Edit)?;
        if !permissions::can_edit_initiatives(actor) {
            return Err(Error::Forbidden);
        }
        if let Err(refusal) = allowed {
            return Ok(Edited::Refused(refusal));
        }
        if resubmit && let (_, Err(refusal)) = locked_for(conn, actor, id, Step::Resubmit)? {
            return Ok(Edited::Refused(refusal));
        }
        // An initiative may stay with a unit that has since been deactivated.
        let allowed = match requested_unit {
            Some(unit_id) if unit_id == current.initiative.unit_id => true,
            Some(unit_id) => may_register_for(conn, actor, unit_id)?.is_some(),
            None => true,
        };
        let mut not_saved = NotSaved {
            unit_outside: !allowed,
            ..NotSaved::default()
        };
        let form_again = |current: &InitiativeListed, not_saved| Edited::NotSaved {
            current: Box::new(current.clone()),
            not_saved,
        };
        let Some((draft, version)) = draft.filter(|_| allowed) else {
            return Ok(form_again(&current, not_saved));
        };
        let stored = &current.initiative;
        let linked = stored.carried_from_id.is_some() || current.carried_over_to.is_some();
        match carry_over::placement(
            (stored.year, stored.unit_id),
            (draft.year.get(), draft.unit_id),
            linked,
        ) {
            Placement::Stays => {}
            Placement::PairStays => not_saved.pair_stays = true,
            // Moving it registers it in that year and unit: their deadline applies.
            Placement::Moves => {
                not_saved.closed =
                    registration_closed(conn, actor.role, draft.unit_id, draft.year.get())?;
            }
        }
        if not_saved != NotSaved::default() {
            return Ok(form_again(&current, not_saved));
        }
        if store::initiatives::update(conn, actor.id, &current, version, draft)? {
            if !resubmit {
                return Ok(Edited::Saved);
            }
            // The row stays locked: the saved version is the one sent again.
            let (saved, allowed) = locked_for(conn, actor, id, Step::Resubmit)?;
            let transition = allowed.map_err(|_| Error::Conflict("resubmit after save"))?;
            return match store::initiatives::take_step(
                conn,
                actor.id,
                &saved,
                &StepChange::only(transition),
            )? {
                StepOutcome::Done => Ok(Edited::SavedAndResubmitted),
                _ => Err(Error::Conflict("resubmit after save")),
            };
        }
        // The row is locked since it was read: what was read is the newer version.
        Ok(Edited::Conflict {
            history: History::read(conn, id)?,
            latest: Box::new(current.into_inner()),
        })
    })
}
