//! The unit picker's units, read within the person's scope: a plain list when the scope
//! is small; otherwise the chosen unit, a search or one level of the tree at a time
//! (see `web::unit_picker` for how the form uses it).

use diesel::PgConnection;
use serde::{Deserialize, Serialize};

use crate::app::Error;
use crate::domain::Scope;
use crate::store;
use crate::store::unit_search::{Listing, UnitListed};
use crate::store::units::{Unit, UnitInTree};

/// At most this many units are offered at once; a scope this small gets a plain select.
pub const SHOWN_UNITS: i64 = 50;

/// What the browser sent for the picker, besides the chosen unit itself.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct PickerInput {
    /// The search text.
    pub unit_q: String,
    /// "Show the children of this unit" (`top`: the top of the scope); sent by a button only.
    pub unit_parent: String,
    /// The search button.
    #[serde(skip_serializing)]
    pub unit_search: String,
}

impl PickerInput {
    /// The person pressed a picker button: show the form again, save nothing.
    pub fn is_browsing(&self) -> bool {
        !self.unit_search.is_empty() || !self.unit_parent.trim().is_empty()
    }

    fn text(&self) -> String {
        search_text(&self.unit_q)
    }
}

/// A unit offered by the picker, with the chain of units above it.
#[derive(Debug, Clone, Serialize)]
pub struct Offered {
    #[serde(flatten)]
    pub unit: UnitListed,
    /// "Tỉnh ủy An Giang › Đảng ủy Khối …", inside the scope.
    pub above: String,
}

/// Everything the `unit_picker` macro shows.
#[derive(Debug, Clone, Serialize)]
pub struct UnitPicker {
    /// The form field that carries the chosen id.
    pub name: &'static str,
    /// The chosen id as the form holds it.
    pub value: String,
    /// Small scope: every unit, for a plain select.
    pub plain: Option<Vec<UnitInTree>>,
    /// The chosen unit, when it lies in the scope.
    pub chosen: Option<Offered>,
    pub query: String,
    /// The search text was too short to search names (codes are matched exactly).
    pub short_query: bool,
    /// Whether a list of units is shown (a search or one level of the tree).
    pub listed: bool,
    /// Drilling down: the unit whose children are listed, and the units above it.
    pub parent: Option<Offered>,
    pub breadcrumb: Vec<Unit>,
    pub offered: Vec<Offered>,
    /// More units matched than are shown: the person should refine the search.
    pub more: bool,
}

impl UnitPicker {
    /// Builds the picker of field `name` whose value is `value`, inside `scope`.
    /// `active_only`: deactivated units cannot be chosen (registrations, accounts).
    pub fn load(
        conn: &mut PgConnection,
        scope: Scope,
        active_only: bool,
        name: &'static str,
        value: &str,
        input: &PickerInput,
    ) -> Result<UnitPicker, Error> {
        let mut picker = UnitPicker {
            name,
            value: value.trim().to_owned(),
            plain: None,
            chosen: None,
            query: input.unit_q.clone(),
            short_query: false,
            listed: false,
            parent: None,
            breadcrumb: Vec::new(),
            offered: Vec::new(),
            more: false,
        };
        if store::unit_search::count_up_to(conn, scope, active_only, SHOWN_UNITS + 1)?
            <= SHOWN_UNITS
        {
            picker.plain = Some(store::units::tree_in_scope(conn, scope, active_only)?);
            return Ok(picker);
        }
        let chosen = match picker.value.parse::<i32>() {
            Ok(id) => store::unit_search::listed_in_scope(conn, scope, id)?,
            Err(_) => None,
        };
        let text = input.text();
        let requested_parent = input.unit_parent.trim();
        let mut parent = None;
        let listing = if !text.is_empty() && requested_parent.is_empty() {
            picker.short_query = !store::unit_search::searchable(&text);
            Some(Listing::Matching(&text))
        } else if input.is_browsing() {
            parent = top_of(conn, scope, requested_parent)?;
            if let Some(parent) = &parent {
                picker.breadcrumb = store::units::path_in_scope(conn, scope, parent.unit.id)?;
                picker.breadcrumb.pop();
            }
            Some(Listing::ChildrenOf(
                parent.as_ref().map(|parent| parent.unit.id),
            ))
        } else {
            None
        };
        let page = match listing {
            Some(listing) => {
                store::unit_search::page(conn, scope, listing, active_only, None, SHOWN_UNITS)?
            }
            None => Default::default(),
        };
        picker.listed = !page.units.is_empty() || !text.is_empty() || input.is_browsing();
        picker.more = page.next_after.is_some();
        let everything: Vec<UnitListed> = chosen
            .iter()
            .chain(parent.iter())
            .chain(page.units.iter())
            .cloned()
            .collect();
        let mut offered = offer(conn, scope, everything)?.into_iter();
        let chosen = chosen.and_then(|_| offered.next());
        let parent = parent.and_then(|_| offered.next());
        let chosen_id = chosen.as_ref().map(|chosen| chosen.unit.unit.id);
        // The chosen unit and the drilled one have radio buttons of their own above the list.
        let parent_id = parent.as_ref().map(|parent| parent.unit.unit.id);
        picker.offered = offered
            .filter(|offered| {
                let id = Some(offered.unit.unit.id);
                id != chosen_id && id != parent_id
            })
            .collect();
        picker.parent = parent.filter(|parent| Some(parent.unit.unit.id) != chosen_id);
        picker.chosen = chosen;
        Ok(picker)
    }
}

/// The units with the names of the units above them (inside the scope), in one query.
pub fn offer(
    conn: &mut PgConnection,
    scope: Scope,
    units: Vec<UnitListed>,
) -> Result<Vec<Offered>, Error> {
    let names = store::unit_search::ancestor_names(conn, scope, &units)?;
    Ok(units
        .into_iter()
        .map(|unit| {
            let above = names
                .get(&unit.unit.id)
                .map(|chain| chain.join(" › "))
                .unwrap_or_default();
            Offered { unit, above }
        })
        .collect())
}

/// Search text as the queries take it: trimmed, NUL removed (PostgreSQL refuses it),
/// at most 100 characters.
pub fn search_text(input: &str) -> String {
    input
        .trim()
        .chars()
        .filter(|c| *c != '\0')
        .take(100)
        .collect()
}

/// The unit to drill into: the requested one when it lies in the scope; otherwise the
/// top of the scope (the user's own unit, or `None` for the top-level units).
fn top_of(
    conn: &mut PgConnection,
    scope: Scope,
    requested: &str,
) -> Result<Option<UnitListed>, Error> {
    if let Ok(id) = requested.parse::<i32>()
        && let Some(unit) = store::unit_search::listed_in_scope(conn, scope, id)?
    {
        return Ok(Some(unit));
    }
    Ok(match scope {
        Scope::Subtree(root) => store::unit_search::listed_in_scope(conn, scope, root)?,
        Scope::Everything => None,
    })
}
