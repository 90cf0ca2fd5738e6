//! Finding units without loading the tree: one level of children, a search by name or
//! code (diacritic-insensitive, through the trigram index of migration 000009), and
//! bounded counts. Every query is limited to the scope and to a page of rows, so pickers,
//! the admin tree and the API cost the same at a cell and at the root of 250,000 units.

use std::collections::HashMap;

use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Integer, Text};
use serde::Serialize;

use crate::domain::Scope;
use crate::schema::units;
use crate::store::units::Unit;
use crate::store::{initiative_list, unit_in_scope};

/// A unit as a list shows it: with its place in the tree and how many units lie below it.
#[derive(Debug, Clone, Serialize)]
pub struct UnitListed {
    #[serde(flatten)]
    pub unit: Unit,
    /// The ids from the root down to the unit ("1.2.17").
    #[serde(skip)]
    pub path: String,
    /// Units anywhere below this one (not counting itself).
    pub sub_units: i64,
}

impl UnitListed {
    /// The ids of the unit's ancestors, root first (the unit itself left out).
    fn ancestor_ids(&self) -> impl Iterator<Item = i32> + '_ {
        self.path
            .split('.')
            .filter_map(|id| id.parse::<i32>().ok())
            .filter(move |id| *id != self.unit.id)
    }
}

/// Which units a page of units holds.
#[derive(Debug, Clone, Copy)]
pub enum Listing<'a> {
    /// The direct children of a unit, in name order (`None`: the top-level units).
    ChildrenOf(Option<i32>),
    /// Units whose name or code contains the text, in id order.
    Matching(&'a str),
    /// Every unit, in id order.
    All,
}

/// One page of units of the scope, and whether more follow.
#[derive(Debug, Clone, Default)]
pub struct UnitPage {
    pub units: Vec<UnitListed>,
    /// The last unit of the page when another page follows (the keyset cursor).
    pub next_after: Option<i32>,
}

/// Search text shorter than this many characters matches codes only, exactly: shorter
/// text gives the trigram index nothing to look up.
pub const MIN_SEARCH_CHARS: usize = 3;

/// Whether the search text is long enough for a search by name.
pub fn searchable(text: &str) -> bool {
    text.trim().chars().count() >= MIN_SEARCH_CHARS
}

/// Up to `limit` units of the scope after the unit `after` (keyset, in the listing's
/// order). `active_only` leaves out deactivated units, as pickers for new data do.
pub fn page(
    conn: &mut PgConnection,
    scope: Scope,
    listing: Listing<'_>,
    active_only: bool,
    after: Option<i32>,
    limit: i64,
) -> QueryResult<UnitPage> {
    let mut query = units::table
        .filter(unit_in_scope(scope))
        .select(listed_columns())
        .into_boxed();
    if active_only {
        query = query.filter(units::active.eq(true));
    }
    query = match listing {
        Listing::ChildrenOf(parent) => {
            query = match parent {
                Some(parent) => query.filter(units::parent_id.eq(parent)),
                None => query.filter(units::parent_id.is_null()),
            };
            if let Some(after) = after {
                query = query.filter(
                    sql::<diesel::sql_types::Bool>(
                        "(search_key(units.name), units.id) > \
                         (SELECT search_key(cursor_unit.name), cursor_unit.id FROM units cursor_unit WHERE cursor_unit.id = ",
                    )
                    .bind::<Integer, _>(after)
                    .sql(")"),
                );
            }
            query
                .order(sql::<Text>("search_key(units.name)"))
                .then_order_by(units::id)
        }
        Listing::Matching(text) => {
            let text = text.trim();
            query = if searchable(text) {
                query.filter(initiative_list::contains(initiative_list::UNIT_TEXT, text))
            } else {
                query.filter(units::code.eq(text.to_uppercase()))
            };
            if let Some(after) = after {
                query = query.filter(units::id.gt(after));
            }
            query.order(units::id)
        }
        Listing::All => {
            if let Some(after) = after {
                query = query.filter(units::id.gt(after));
            }
            query.order(units::id)
        }
    };
    let mut units: Vec<UnitListed> = query
        .limit(limit + 1)
        .load::<ListedRow>(conn)?
        .into_iter()
        .map(UnitListed::from)
        .collect();
    let next_after = if units.len() as i64 > limit {
        units.truncate(usize::try_from(limit).unwrap_or(0));
        units.last().map(|listed| listed.unit.id)
    } else {
        None
    };
    Ok(UnitPage { units, next_after })
}

/// The number of units in the scope, counted up to `cap` and no further (so a scope of
/// 250,000 units costs no more than one of `cap`).
pub fn count_up_to(
    conn: &mut PgConnection,
    scope: Scope,
    active_only: bool,
    cap: i64,
) -> QueryResult<i64> {
    let mut query = units::table
        .filter(unit_in_scope(scope))
        .select(units::id)
        .into_boxed();
    if active_only {
        query = query.filter(units::active.eq(true));
    }
    // A small subtree (its size is in the roll-ups) is counted without a LIMIT: with one,
    // the planner expects the matches early and reads the whole table for a cell's one.
    if let Scope::Subtree(root) = scope {
        #[derive(QueryableByName)]
        struct Size {
            #[diesel(sql_type = BigInt)]
            units: i64,
        }
        let size = diesel::sql_query("SELECT units FROM subtree_units WHERE unit_id = $1")
            .bind::<Integer, _>(root)
            .get_result::<Size>(conn)
            .optional()?
            .map_or(0, |size| size.units);
        if size <= cap {
            return Ok((query.load::<i32>(conn)?.len() as i64).min(cap));
        }
    }
    Ok(query.limit(cap).load::<i32>(conn)?.len() as i64)
}

/// For each listed unit, the names of its ancestors inside the scope, top first
/// ("Tỉnh ủy An Giang › Đảng ủy Khối …"): one query for the whole page.
pub fn ancestor_names(
    conn: &mut PgConnection,
    scope: Scope,
    listed: &[UnitListed],
) -> QueryResult<HashMap<i32, Vec<String>>> {
    let mut ids: Vec<i32> = listed.iter().flat_map(UnitListed::ancestor_ids).collect();
    ids.sort_unstable();
    ids.dedup();
    let names: HashMap<i32, String> = units::table
        .filter(units::id.eq_any(&ids))
        .filter(unit_in_scope(scope))
        .select((units::id, units::name))
        .load::<(i32, String)>(conn)?
        .into_iter()
        .collect();
    Ok(listed
        .iter()
        .map(|unit| {
            let chain = unit
                .ancestor_ids()
                .filter_map(|id| names.get(&id).cloned())
                .collect();
            (unit.unit.id, chain)
        })
        .collect())
}

/// One unit of the scope as a list shows it.
pub fn listed_in_scope(
    conn: &mut PgConnection,
    scope: Scope,
    id: i32,
) -> QueryResult<Option<UnitListed>> {
    units::table
        .filter(units::id.eq(id))
        .filter(unit_in_scope(scope))
        .select(listed_columns())
        .first::<ListedRow>(conn)
        .optional()
        .map(|row| row.map(UnitListed::from))
}

type ListedColumns = (
    diesel::dsl::AsSelect<Unit, diesel::pg::Pg>,
    diesel::expression::SqlLiteral<Text>,
    diesel::expression::SqlLiteral<BigInt>,
);
type ListedRow = (Unit, String, i64);

impl From<ListedRow> for UnitListed {
    fn from((unit, path, sub_units): ListedRow) -> UnitListed {
        UnitListed {
            unit,
            path,
            sub_units,
        }
    }
}

/// The unit, its path as text, and its number of sub-units.
fn listed_columns() -> ListedColumns {
    (
        Unit::as_select(),
        sql::<Text>("units.path::text"),
        // Kept by the roll-up triggers; the unit itself is one of its subtree's units.
        sql::<BigInt>(
            "COALESCE((SELECT subtree.units - 1 FROM subtree_units subtree \
             WHERE subtree.unit_id = units.id), 0)",
        ),
    )
}
