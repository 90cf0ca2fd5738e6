//! The unit tree's administration (admins only): list it a level or a search at a time,
//! add a unit, edit one (its form also moves it under another parent and deactivates or
//! reactivates it), and merge one unit into another.

use diesel::PgConnection;

use crate::app::Error;
use crate::app::unit_picker::{Offered, PickerInput, UnitPicker, offer};
use crate::auth::CurrentUser;
use crate::domain::Year;
use crate::store::unit_search::Listing;
use crate::store::{self, InScope, write_transaction};

use serde::Serialize;

pub use crate::store::units::{MergeError, MergePreview, Unit, UnitFields};

/// Why a unit's form cannot be saved as it stands, by what the tree holds now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Refusal {
    /// Another unit has this code.
    CodeTaken,
    /// The chosen parent does not exist (or lies outside the person's scope).
    ParentMissing,
    /// The chosen parent is the unit itself or lies below it.
    ParentInsideUnit,
}

/// What became of a unit's form.
pub type Saved = crate::app::Saved<Unit, Refusal>;

/// What became of a merge.
#[derive(Debug)]
pub enum Merged {
    /// The unit merged (now inactive), and the name of the unit that took it in.
    Done { absorbed: Unit, into_name: String },
    /// Nothing was written: what the merge would move, to be confirmed (`changed`: a
    /// confirmation came for figures that are no longer these).
    Preview { plan: MergePlan, changed: bool },
    /// Nothing was written; never [`MergeError::Database`] (that is an [`Error`]).
    Refused(MergeError),
}

/// A merge as it would be done now, shown before it is confirmed.
#[derive(Debug, Serialize)]
pub struct MergePlan {
    pub absorbed_name: String,
    pub into_name: String,
    pub from_year: i32,
    #[serde(flatten)]
    pub preview: MergePreview,
    /// The total of `preview.moving_by_year`.
    pub moving: i64,
    /// What the confirmation sends back (see [`MergePreview::fingerprint`]).
    pub confirm: String,
}

/// Units per page of the admin tree.
pub const TREE_PAGE: i64 = 100;

/// One page of the admin tree: a level (the children of a unit, or the top-level units)
/// or the units matching a search.
#[derive(Debug)]
pub struct TreePage {
    /// The units above the listed level, down to its parent; empty for a search.
    pub breadcrumb: Vec<Unit>,
    pub rows: Vec<Offered>,
    /// The last unit shown, when more follow.
    pub next_after: Option<i32>,
}

/// The two unit pickers of a unit's page: its parent, and the unit to merge it into.
#[derive(Debug)]
pub struct UnitPickers {
    pub parent: UnitPicker,
    pub into: UnitPicker,
}

/// Units and user accounts are kept by admins only.
pub(crate) fn require_admin(actor: &CurrentUser) -> Result<(), Error> {
    if actor.is_admin() {
        Ok(())
    } else {
        Err(Error::Forbidden)
    }
}

/// The unit, if it lies in the person's scope.
pub fn find(conn: &mut PgConnection, actor: &CurrentUser, id: i32) -> Result<Unit, Error> {
    Ok(in_scope(conn, actor, id)?.into_inner())
}

/// A page of the tree: the children of `parent` (by default the top-level units) or,
/// when `search` is not empty, the units matching it; after unit `after`.
pub fn tree(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    parent: Option<i32>,
    search: &str,
    after: Option<i32>,
) -> Result<TreePage, Error> {
    let scope = actor.scope();
    store::read_snapshot(conn, |conn| {
        let (breadcrumb, listing) = if search.is_empty() {
            let breadcrumb = match parent {
                Some(parent) => {
                    find(conn, actor, parent)?;
                    store::units::path_in_scope(conn, scope, parent)?
                }
                None => Vec::new(),
            };
            (breadcrumb, Listing::ChildrenOf(parent))
        } else {
            (Vec::new(), Listing::Matching(search))
        };
        let page = store::unit_search::page(conn, scope, listing, false, after, TREE_PAGE)?;
        let rows = offer(conn, scope, page.units)?;
        Ok(TreePage {
            breadcrumb,
            rows,
            next_after: page.next_after,
        })
    })
}

/// The pickers for a unit's parent (`parent`: its value and the picker's input) and for
/// the unit to merge it into (only an active unit can take in another one).
pub fn pickers(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    parent: (&str, &PickerInput),
    into: (&str, &PickerInput),
) -> Result<UnitPickers, Error> {
    let scope = actor.scope();
    Ok(UnitPickers {
        parent: UnitPicker::load(conn, scope, false, "parent_id", parent.0, parent.1)?,
        into: UnitPicker::load(conn, scope, true, "into", into.0, into.1)?,
    })
}

/// What the tree says against a unit's form (`editing`: the unit edited, `None` for a
/// new one): its code another unit's, its parent missing or inside the unit. Asked by
/// [`create`] and [`update`] inside their transaction, and by the form when it comes
/// back with other mistakes, so that the person reads every message at once.
pub fn refusals(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    editing: Option<i32>,
    code: Option<&str>,
    parent_id: Option<i32>,
) -> Result<Vec<Refusal>, Error> {
    let mut refusals = Vec::new();
    if let Some(code) = code
        && let Some(existing) = store::units::find_by_code(conn, code)?
        && Some(existing.id) != editing
    {
        refusals.push(Refusal::CodeTaken);
    }
    if let Some(parent_id) = parent_id {
        if store::units::find_in_scope(conn, actor.scope(), parent_id)?.is_none() {
            refusals.push(Refusal::ParentMissing);
        } else if let Some(unit_id) = editing
            && store::units::is_in_subtree(conn, unit_id, parent_id)?
        {
            refusals.push(Refusal::ParentInsideUnit);
        }
    }
    Ok(refusals)
}

/// Adds a unit, unless the tree refuses it.
pub fn create(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    fields: &UnitFields,
) -> Result<Saved, Error> {
    require_admin(actor)?;
    write_transaction(conn, |conn| {
        let refused = refusals(conn, actor, None, Some(&fields.code), fields.parent_id)?;
        if !refused.is_empty() {
            return Ok(Saved::Refused(refused));
        }
        Ok(saved(store::units::insert_unless_code_taken(
            conn, actor.id, fields,
        )?))
    })
}

/// Changes unit `id`: its code, name and kind, its parent (the subtree moves with it) and
/// whether it is active; unless the tree refuses it. [`Error::NotFound`] outside the scope.
pub fn update(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    id: i32,
    fields: &UnitFields,
) -> Result<Saved, Error> {
    require_admin(actor)?;
    write_transaction(conn, |conn| {
        let unit = in_scope(conn, actor, id)?;
        let refused = refusals(conn, actor, Some(id), Some(&fields.code), fields.parent_id)?;
        if !refused.is_empty() {
            return Ok(Saved::Refused(refused));
        }
        Ok(saved(store::units::update_unless_code_taken(
            conn, actor.id, &unit, fields,
        )?))
    })
}

fn saved(written: Option<Unit>) -> Saved {
    match written {
        Some(unit) => Saved::Done(unit),
        // Someone took the code between the check and the save.
        None => Saved::Refused(vec![Refusal::CodeTaken]),
    }
}

/// The unit, if it lies in the person's scope: the proof a write to it takes.
pub(crate) fn in_scope(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    id: i32,
) -> Result<InScope<Unit>, Error> {
    store::units::find_in_scope(conn, actor.scope(), id)?.ok_or(Error::NotFound)
}

/// Merges unit `absorbed` into unit `into` from `from_year` on (see
/// `store::units::merge`) once `confirmed` carries the figures of its preview as they
/// still are; otherwise only says what it would move. One transaction with the scope
/// check of the absorbed unit.
pub fn merge(
    conn: &mut PgConnection,
    actor: &CurrentUser,
    absorbed: i32,
    into: i32,
    from_year: Year,
    confirmed: Option<&str>,
) -> Result<Merged, Error> {
    require_admin(actor)?;
    let from_year = from_year.get();
    write_transaction(conn, |conn| {
        let unit = in_scope(conn, actor, absorbed)?;
        let preview = match store::units::merge_preview(conn, &unit, into, from_year) {
            Ok(preview) => preview,
            Err(MergeError::Database(error)) => return Err(error.into()),
            Err(refusal) => return Ok(Merged::Refused(refusal)),
        };
        let into_name = store::units::find_in_scope(conn, actor.scope(), into)?
            .map(|target| target.into_inner().name)
            .unwrap_or_default();
        // The receiving unit and the year too: a confirmation is for this merge only.
        let confirm = format!("{into}-{from_year}-{}", preview.fingerprint());
        if confirmed != Some(confirm.as_str()) {
            let plan = MergePlan {
                absorbed_name: unit.into_inner().name,
                into_name,
                from_year,
                moving: preview.moving(),
                preview,
                confirm,
            };
            let changed = confirmed.is_some();
            return Ok(Merged::Preview { plan, changed });
        }
        match store::units::merge(conn, actor.id, &unit, into, from_year) {
            Ok(()) => Ok(Merged::Done {
                absorbed: unit.into_inner(),
                into_name,
            }),
            Err(MergeError::Database(error)) => Err(error.into()),
            Err(refusal) => Ok(Merged::Refused(refusal)),
        }
    })
}
