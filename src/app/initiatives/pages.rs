//! What the initiatives' pages read: the list with its filters, the detail page with its
//! history, and the edit form. Each page's reads come from one snapshot.

use diesel::PgConnection;

use crate::app::Error;
use crate::app::initiatives::{History, registration_closed, request};
use crate::app::selection::year_choices;
use crate::app::unit_picker::{PickerInput, UnitPicker};
use crate::auth::{CurrentUser, permissions};
use crate::domain::registration::RegistrationClosed;
use crate::domain::workflow::{self, Refusal, Step};
use crate::domain::{Review, Role, Scope, Year};
use crate::store;
use crate::store::carry_over::CarryLinks;
use crate::store::evidence::Evidence;
use crate::store::initiative_list::{self, InitiativeFilter};
use crate::store::initiatives::InitiativeListed;
use crate::store::list_sorted::{self, ListTotals, SortedRequest};

/// Which page of the list, and how its unit picker and year choice stand.
#[derive(Debug, Clone)]
pub struct ListRequest {
    pub filter: InitiativeFilter,
    /// The sort, where the page starts and how many rows it skips (see
    /// `store::list_sorted::SortedRequest`).
    pub sorted: SortedRequest,
    /// Counting stops here (see `store::initiative_list::count_up_to`).
    pub count_cap: i64,
    pub year: Option<Year>,
    /// The unit filter as the form holds it, and the picker's buttons.
    pub unit_value: String,
    pub picker: PickerInput,
}

/// One page of the list with everything around it.
#[derive(Debug)]
pub struct ListPage {
    pub page: initiative_list::ListPage<InitiativeListed>,
    /// How many match (up to the cap), and their sums.
    pub totals: ListTotals,
    pub unit_picker: UnitPicker,
    pub years: Vec<i32>,
}

/// The list page: a filter on a unit outside the scope is not found.
pub fn list(
    conn: &mut PgConnection,
    scope: Scope,
    request: &ListRequest,
) -> Result<ListPage, Error> {
    store::read_snapshot(conn, |conn| {
        let filter = &request.filter;
        if let Some(unit_id) = filter.unit_id {
            store::units::find_in_scope(conn, scope, unit_id)?.ok_or(Error::NotFound)?;
        }
        let page = list_sorted::page(conn, scope, filter, &request.sorted)?;
        let totals = list_sorted::totals(conn, scope, filter, request.count_cap)?;
        let unit_picker = UnitPicker::load(
            conn,
            scope,
            false,
            "unit",
            &request.unit_value,
            &request.picker,
        )?;
        let years = year_choices(store::stats::years(conn, scope)?, request.year);
        Ok(ListPage {
            page,
            totals,
            unit_picker,
            years,
        })
    })
}

/// Everything the detail page shows.
#[derive(Debug)]
pub struct Detail {
    pub item: InitiativeListed,
    /// Newest first, removed ones included (the page says so).
    pub evidence: Vec<Evidence>,
    pub history: History,
    /// The initiative of the year before it carries over, and the one it was carried into.
    pub links: CarryLinks,
    /// When the person may carry it over but the next year's registration is closed to
    /// them: why not.
    pub carry_over_closed: Option<RegistrationClosed>,
    /// For a reviewer on an initiative waiting for them: the next one waiting, in the
    /// inbox's order ("Xem tiếp").
    pub next_waiting: Option<i32>,
}

/// The initiative after `item` in the reviewer's inbox: the next one in its queue
/// (oldest step first), or else the first of the other queue. None for a secretary, or
/// when `item` does not wait for review.
fn next_waiting(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    item: &InitiativeListed,
) -> Result<Option<i32>, Error> {
    let initiative = &item.initiative;
    let (queue, other) = match initiative.review {
        Review::PendingApproval => (Review::PendingApproval, Review::PendingAcceptance),
        Review::PendingAcceptance => (Review::PendingAcceptance, Review::PendingApproval),
        _ => return Ok(None),
    };
    if actor.role == Role::Secretary {
        return Ok(None);
    }
    let scope = actor.scope();
    let position = (initiative.review_changed_at, initiative.id);
    let after = store::initiatives::in_review_states(conn, scope, &[queue], Some(position), 1)?;
    let next = match after.into_iter().next() {
        Some(row) => Some(row),
        None => store::initiatives::in_review_states(conn, scope, &[other], None, 1)?
            .into_iter()
            .next(),
    };
    Ok(next.map(|row| row.initiative.id))
}

/// The detail page of an initiative in the person's scope.
pub fn detail(conn: &mut PgConnection, actor: &CurrentUser, id: i32) -> Result<Detail, Error> {
    let scope = actor.scope();
    store::read_snapshot(conn, |conn| {
        let item = store::initiatives::find_in_scope(conn, scope, id)?
            .ok_or(Error::NotFound)?
            .into_inner();
        let history = History::read(conn, id)?;
        let carry_over_closed = if workflow::check(Step::CarryOver, request(actor, &item)).is_ok() {
            registration_closed(
                conn,
                actor.role,
                item.initiative.unit_id,
                item.initiative.year + 1,
            )?
        } else {
            None
        };
        Ok(Detail {
            next_waiting: next_waiting(conn, actor, &item)?,
            evidence: store::evidence::list(conn, id)?,
            history,
            links: store::carry_over::links(conn, scope, id)?,
            carry_over_closed,
            item,
        })
    })
}

/// The registration form's unit picker (active units only) for what the form holds.
pub fn form_picker(
    conn: &mut PgConnection,
    scope: Scope,
    unit_value: &str,
    input: &PickerInput,
) -> Result<UnitPicker, Error> {
    UnitPicker::load(conn, scope, true, "unit_id", unit_value, input)
}

/// The edit form of an initiative, or why it cannot be edited now.
#[derive(Debug)]
pub enum EditForm {
    Shown {
        current: Box<InitiativeListed>,
        unit_picker: Box<UnitPicker>,
    },
    /// The workflow does not allow an edit now: the detail page says why.
    Refused(Refusal),
}

/// The edit form: not found outside the scope, forbidden to those who do not edit.
/// `typed`: the unit field and picker buttons as sent (a picker search), else the
/// form shows the stored unit.
pub fn edit_form(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    id: i32,
    typed: Option<(&str, &PickerInput)>,
) -> Result<EditForm, Error> {
    let scope = actor.scope();
    store::read_snapshot(conn, |conn| {
        let current = store::initiatives::find_in_scope(conn, scope, id)?
            .ok_or(Error::NotFound)?
            .into_inner();
        if !permissions::can_edit_initiatives(actor) {
            return Err(Error::Forbidden);
        }
        if let Err(refusal) = workflow::check(Step::Edit, request(actor, &current)) {
            return Ok(EditForm::Refused(refusal));
        }
        let stored_unit = current.initiative.unit_id.to_string();
        let no_buttons = PickerInput::default();
        let (unit_value, input) = typed.unwrap_or((&stored_unit, &no_buttons));
        let unit_picker = form_picker(conn, scope, unit_value, input)?;
        Ok(EditForm::Shown {
            current: Box::new(current),
            unit_picker: Box::new(unit_picker),
        })
    })
}
