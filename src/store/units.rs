//! Units: the organisation tree.

use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::Integer;
use serde::Serialize;

use crate::domain::Scope;
use crate::domain::UnitKind;
use crate::schema::{units, users};
use crate::store::{InScope, set_actor, unit_in_scope, unless_unique_violation, write_transaction};

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = units)]
pub struct Unit {
    pub id: i32,
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    pub parent_id: Option<i32>,
    pub expected_to_register: bool,
    pub active: bool,
}

/// A unit with its depth below the first unit shown, for indented tree lists.
#[derive(Debug, Clone, Serialize)]
pub struct UnitInTree {
    #[serde(flatten)]
    pub unit: Unit,
    pub depth: usize,
}

/// The columns a person sets when creating or editing a unit.
#[derive(Debug, Clone, Insertable, AsChangeset)]
#[diesel(table_name = units, treat_none_as_null = true)]
pub struct UnitFields {
    pub code: String,
    pub name: String,
    pub kind: UnitKind,
    pub parent_id: Option<i32>,
    pub expected_to_register: bool,
    pub active: bool,
}

/// One unit, if it lies in the scope: the proof a write to it takes.
pub fn find_in_scope(
    conn: &mut PgConnection,
    scope: Scope,
    id: i32,
) -> QueryResult<Option<InScope<Unit>>> {
    let unit = units::table
        .filter(units::id.eq(id))
        .filter(unit_in_scope(scope))
        .select(Unit::as_select())
        .first(conn)
        .optional()?;
    Ok(unit.map(InScope::checked))
}

/// Every unit in the scope, in tree order (parents before children, siblings by name).
pub fn tree_in_scope(
    conn: &mut PgConnection,
    scope: Scope,
    active_only: bool,
) -> QueryResult<Vec<UnitInTree>> {
    let mut query = units::table
        .filter(unit_in_scope(scope))
        .select(Unit::as_select())
        .into_boxed();
    if active_only {
        query = query.filter(units::active.eq(true));
    }
    Ok(tree_order(query.load(conn)?))
}

/// The chain from the top of the scope down to the unit (for breadcrumbs).
pub fn path_in_scope(conn: &mut PgConnection, scope: Scope, id: i32) -> QueryResult<Vec<Unit>> {
    units::table
        .filter(unit_in_scope(scope))
        .filter(crate::store::unit_above_or_at(id))
        .order(sql::<Integer>("nlevel(units.path)"))
        .select(Unit::as_select())
        .load(conn)
}

/// True when `unit_id` is `ancestor_id` or lies below it.
pub fn is_in_subtree(conn: &mut PgConnection, ancestor_id: i32, unit_id: i32) -> QueryResult<bool> {
    diesel::select(diesel::dsl::exists(
        units::table
            .filter(units::id.eq(unit_id))
            .filter(crate::store::unit_in_subtree(ancestor_id)),
    ))
    .get_result(conn)
}

pub fn count(conn: &mut PgConnection) -> QueryResult<i64> {
    units::table.count().get_result(conn)
}

pub fn find_by_code(conn: &mut PgConnection, code: &str) -> QueryResult<Option<Unit>> {
    units::table
        .filter(units::code.eq(code))
        .select(Unit::as_select())
        .first(conn)
        .optional()
}

/// The units with these codes, wherever they are in the tree.
pub fn by_codes(conn: &mut PgConnection, codes: &[String]) -> QueryResult<Vec<Unit>> {
    units::table
        .filter(units::code.eq_any(codes))
        .select(Unit::as_select())
        .load(conn)
}

pub fn insert(
    conn: &mut PgConnection,
    actor_id: Option<i32>,
    fields: &UnitFields,
) -> QueryResult<Unit> {
    write_transaction(conn, |conn| {
        set_actor(conn, actor_id, None)?;
        insert_row(conn, fields)
    })
}

/// Inserts a unit inside the caller's transaction, which has named the actor.
pub fn insert_row(conn: &mut PgConnection, fields: &UnitFields) -> QueryResult<Unit> {
    diesel::insert_into(units::table)
        .values(fields)
        .returning(Unit::as_returning())
        .get_result(conn)
}

pub fn update(
    conn: &mut PgConnection,
    actor_id: i32,
    id: i32,
    fields: &UnitFields,
) -> QueryResult<Unit> {
    write_transaction(conn, |conn| {
        set_actor(conn, Some(actor_id), None)?;
        update_row(conn, id, fields)
    })
}

/// Adds a unit as `actor_id`'s change, inside the caller's transaction; `None` when its
/// code was taken by a concurrent write after the use case checked it.
pub fn insert_unless_code_taken(
    conn: &mut PgConnection,
    actor_id: i32,
    fields: &UnitFields,
) -> QueryResult<Option<Unit>> {
    set_actor(conn, Some(actor_id), None)?;
    unless_unique_violation(conn, |conn| insert_row(conn, fields))
}

/// Changes a unit looked up in the actor's scope (a new parent moves its subtree),
/// inside the caller's transaction; `None` as for [`insert_unless_code_taken`].
pub fn update_unless_code_taken(
    conn: &mut PgConnection,
    actor_id: i32,
    unit: &InScope<Unit>,
    fields: &UnitFields,
) -> QueryResult<Option<Unit>> {
    set_actor(conn, Some(actor_id), None)?;
    unless_unique_violation(conn, |conn| update_row(conn, unit.id, fields))
}

/// Updates a unit (a new parent moves its subtree) inside the caller's transaction.
pub fn update_row(conn: &mut PgConnection, id: i32, fields: &UnitFields) -> QueryResult<Unit> {
    let parent: Option<i32> = units::table
        .find(id)
        .select(units::parent_id)
        .for_no_key_update()
        .get_result(conn)?;
    if parent != fields.parent_id {
        lock_subtree(conn, id)?;
    }
    diesel::update(units::table.filter(units::id.eq(id)))
        .set((fields, units::updated_at.eq(diesel::dsl::now)))
        .returning(Unit::as_returning())
        .get_result(conn)
}

/// Before a move or merge changes anything: waits for every transaction still writing
/// initiatives in `root`'s subtree and holds off new ones (migration
/// `..._rollup_journal`, `rollup_lock_subtree`), so that the move only then takes roll-up
/// rows and no such writer can be waiting for them meanwhile.
fn lock_subtree(conn: &mut PgConnection, root: i32) -> QueryResult<()> {
    diesel::sql_query("SELECT rollup_lock_subtree($1, TRUE)")
        .bind::<diesel::sql_types::Integer, _>(root)
        .execute(conn)?;
    Ok(())
}

/// Siblings are listed by kind (committees before cells before mass organisations),
/// then by name as Vietnamese readers expect ("Đảng bộ" next to "Dân", not after "Z").
pub fn sort_key(unit: &Unit) -> (usize, String, i32) {
    let rank = UnitKind::ALL
        .iter()
        .position(|kind| *kind == unit.kind)
        .unwrap_or(usize::MAX);
    (
        rank,
        crate::domain::format::fold_diacritics(&unit.name),
        unit.id,
    )
}

/// Orders units as a tree. Units whose parent is not in the list are the tops.
pub fn tree_order(units: Vec<Unit>) -> Vec<UnitInTree> {
    use std::collections::{HashMap, HashSet};
    let ids: HashSet<i32> = units.iter().map(|unit| unit.id).collect();
    let mut by_parent: HashMap<Option<i32>, Vec<Unit>> = HashMap::new();
    for unit in units {
        let parent = unit.parent_id.filter(|parent| ids.contains(parent));
        by_parent.entry(parent).or_default().push(unit);
    }
    for siblings in by_parent.values_mut() {
        siblings.sort_by_cached_key(sort_key);
    }
    let mut ordered = Vec::with_capacity(ids.len());
    let mut stack: Vec<(Unit, usize)> = by_parent
        .remove(&None)
        .unwrap_or_default()
        .into_iter()
        .rev()
        .map(|unit| (unit, 0))
        .collect();
    while let Some((unit, depth)) = stack.pop() {
        if let Some(children) = by_parent.remove(&Some(unit.id)) {
            stack.extend(children.into_iter().rev().map(|child| (child, depth + 1)));
        }
        ordered.push(UnitInTree { unit, depth });
    }
    ordered
}

/// The unit a user's pages start from: their own unit, or for an admin the first
/// top-level unit. `None` when there are no units yet.
pub fn default_root(conn: &mut PgConnection, scope: Scope) -> QueryResult<Option<InScope<Unit>>> {
    match scope {
        Scope::Subtree(unit_id) => find_in_scope(conn, scope, unit_id),
        Scope::Everything => {
            let first = units::table
                .filter(units::parent_id.is_null())
                .order((units::active.desc(), units::id))
                .select(Unit::as_select())
                .first(conn)
                .optional()?;
            Ok(first.map(InScope::checked))
        }
    }
}

/// Names of the given units, for showing ids in the history.
pub fn names(conn: &mut PgConnection, ids: &[i32]) -> QueryResult<Vec<(i32, String)>> {
    units::table
        .filter(units::id.eq_any(ids))
        .select((units::id, units::name))
        .load(conn)
}

/// Why a merge was refused (the web layer says it in Vietnamese).
#[derive(Debug, thiserror::Error)]
pub enum MergeError {
    #[error("a unit cannot be merged into itself")]
    SameUnit,
    #[error("the receiving unit is inside the merged unit")]
    IntoOwnSubtree,
    #[error("one of the two units does not exist")]
    NotFound,
    #[error("the receiving unit is inactive")]
    InactiveTarget,
    #[error("the merge failed in the database")]
    Database(#[from] diesel::result::Error),
}

impl crate::store::tx::TransactionError for MergeError {
    fn is_retryable(&self) -> bool {
        matches!(self, MergeError::Database(error) if crate::store::tx::is_retryable(error))
    }
}

/// Refuses a merge the tree does not allow: `units` are the two units' ids and active
/// flags as read (locked by [`merge`], plainly by [`merge_preview`]).
fn check_merge(
    conn: &mut PgConnection,
    absorbed: i32,
    into: i32,
    units: &[(i32, bool)],
) -> Result<(), MergeError> {
    if absorbed == into {
        return Err(MergeError::SameUnit);
    }
    if units.len() != 2 {
        return Err(MergeError::NotFound);
    }
    if units.iter().any(|&(id, active)| id == into && !active) {
        return Err(MergeError::InactiveTarget);
    }
    let inside: bool = diesel::select(diesel::dsl::exists(
        units::table
            .filter(units::id.eq(into))
            .filter(crate::store::unit_in_subtree(absorbed)),
    ))
    .get_result(conn)?;
    if inside {
        return Err(MergeError::IntoOwnSubtree);
    }
    Ok(())
}

/// What a merge would move, in counts (each one query, none listing rows), so the
/// person can check it before confirming.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct MergePreview {
    /// Units directly under the absorbed unit, which move under the receiving unit.
    pub child_units: i64,
    /// Every unit below the absorbed unit (the children's subtrees move with them).
    pub units_below: i64,
    /// The absorbed unit's initiatives from the first year merged on, by year.
    pub moving_by_year: Vec<YearCount>,
    /// Its initiatives of earlier years, which stay with it as reported.
    pub staying_earlier: i64,
    /// Accounts attached to the absorbed unit; they stay attached to it.
    pub users: i64,
    /// Its deadlines and report settings from the first year merged on, which stay
    /// with it (the receiving unit's own apply from then on).
    pub deadlines_and_settings: i64,
}

/// A year and how many initiatives of that year.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Queryable)]
pub struct YearCount {
    pub year: i32,
    pub count: i64,
}

impl MergePreview {
    /// The figures in one line: the confirmation sends it back, and the merge goes ahead
    /// only while the figures are still these.
    pub fn fingerprint(&self) -> String {
        let years: Vec<String> = self
            .moving_by_year
            .iter()
            .map(|row| format!("{}:{}", row.year, row.count))
            .collect();
        format!(
            "u{}-{}-y{}-e{}-a{}-s{}",
            self.child_units,
            self.units_below,
            years.join(","),
            self.staying_earlier,
            self.users,
            self.deadlines_and_settings
        )
    }

    /// How many initiatives move in all.
    pub fn moving(&self) -> i64 {
        self.moving_by_year.iter().map(|row| row.count).sum()
    }
}

/// What merging `absorbed` into `into` from `from_year` on would move, or why it would
/// be refused. Reads only.
pub fn merge_preview(
    conn: &mut PgConnection,
    absorbed: &InScope<Unit>,
    into: i32,
    from_year: i32,
) -> Result<MergePreview, MergeError> {
    use crate::schema::{deadlines, initiatives, report_settings, users};
    let absorbed = absorbed.id;
    let pair: Vec<(i32, bool)> = units::table
        .filter(units::id.eq_any([absorbed, into]))
        .select((units::id, units::active))
        .load(conn)?;
    check_merge(conn, absorbed, into, &pair)?;
    let child_units = units::table
        .filter(units::parent_id.eq(absorbed))
        .count()
        .get_result(conn)?;
    let subtree: i64 = units::table
        .filter(crate::store::unit_in_subtree(absorbed))
        .count()
        .get_result(conn)?;
    let moving_by_year = initiatives::table
        .filter(initiatives::unit_id.eq(absorbed))
        .filter(initiatives::year.ge(from_year))
        .group_by(initiatives::year)
        .order(initiatives::year)
        .select((initiatives::year, diesel::dsl::count_star()))
        .load(conn)?;
    let staying_earlier = initiatives::table
        .filter(initiatives::unit_id.eq(absorbed))
        .filter(initiatives::year.lt(from_year))
        .count()
        .get_result(conn)?;
    let users = users::table
        .filter(users::unit_id.eq(absorbed))
        .count()
        .get_result(conn)?;
    let deadlines: i64 = deadlines::table
        .filter(deadlines::unit_id.eq(absorbed))
        .filter(deadlines::year.ge(from_year))
        .count()
        .get_result(conn)?;
    let settings: i64 = report_settings::table
        .filter(report_settings::unit_id.eq(absorbed))
        .filter(report_settings::year.ge(from_year))
        .count()
        .get_result(conn)?;
    Ok(MergePreview {
        child_units,
        units_below: subtree - 1,
        moving_by_year,
        staying_earlier,
        users,
        deadlines_and_settings: deadlines + settings,
    })
}

/// Merges `absorbed` into `into`, as when two party organisations become one: from
/// `from_year` on, the absorbed unit's initiatives belong to `into` (each change is in
/// their history); its sub-units move under `into`; it is deactivated. Its initiatives of
/// earlier years stay with it, so past years' figures stay as they were reported.
/// One transaction; the roll-ups follow through their triggers. `absorbed` was looked
/// up in the person's scope; `into` is checked under the merge's own lock.
pub fn merge(
    conn: &mut PgConnection,
    actor_id: i32,
    absorbed: &InScope<Unit>,
    into: i32,
    from_year: i32,
) -> Result<(), MergeError> {
    use crate::schema::initiatives;
    let absorbed = absorbed.id;
    if absorbed == into {
        return Err(MergeError::SameUnit);
    }
    write_transaction(conn, |conn| {
        let reason = format!("Sáp nhập đơn vị (từ năm {from_year})");
        set_actor(conn, Some(actor_id), Some(&reason))?;
        // Lock both, in id order, so two merges cannot cross (not FOR UPDATE: that would
        // also hold up every registration's key check on the two units).
        let locked: Vec<(i32, bool)> = units::table
            .filter(units::id.eq_any([absorbed, into]))
            .order(units::id)
            .select((units::id, units::active))
            .for_no_key_update()
            .load(conn)?;
        check_merge(conn, absorbed, into, &locked)?;
        lock_subtree(conn, absorbed)?;
        diesel::update(
            initiatives::table
                .filter(initiatives::unit_id.eq(absorbed))
                .filter(initiatives::year.ge(from_year)),
        )
        .set((
            initiatives::unit_id.eq(into),
            initiatives::updated_by.eq(actor_id),
            initiatives::updated_at.eq(diesel::dsl::now),
            initiatives::version.eq(initiatives::version + 1),
        ))
        .execute(conn)?;
        // The triggers move each child's subtree and its roll-ups.
        diesel::update(units::table.filter(units::parent_id.eq(absorbed)))
            .set((
                units::parent_id.eq(into),
                units::updated_at.eq(diesel::dsl::now),
            ))
            .execute(conn)?;
        diesel::update(units::table.filter(units::id.eq(absorbed)))
            .set((
                units::active.eq(false),
                units::updated_at.eq(diesel::dsl::now),
            ))
            .execute(conn)?;
        Ok(())
    })
}

/// The units inside `scope` that have one of `codes` or one of `ids`, and with
/// `ancestors` every unit inside `scope` above one of them: what the rows of an import
/// name, looked up in the scope itself rather than picked out of the whole subtree.
pub fn named_in_scope(
    conn: &mut PgConnection,
    scope: Scope,
    codes: &[String],
    ids: &[i32],
    ancestors: bool,
) -> QueryResult<Vec<InScope<Unit>>> {
    use diesel::sql_types::{Array, Text};
    let named = if ancestors {
        sql::<diesel::sql_types::Bool>(
            "EXISTS (SELECT 1 FROM units named WHERE units.path @> named.path \
             AND (named.code = ANY(",
        )
        .bind::<Array<Text>, _>(codes)
        .sql(") OR named.id = ANY(")
        .bind::<Array<Integer>, _>(ids)
        .sql(")))")
    } else {
        sql::<diesel::sql_types::Bool>("(units.code = ANY(")
            .bind::<Array<Text>, _>(codes)
            .sql(") OR units.id = ANY(")
            .bind::<Array<Integer>, _>(ids)
            .sql("))")
    };
    let units = units::table
        .filter(unit_in_scope(scope))
        .filter(named)
        .select(Unit::as_select())
        .load(conn)?;
    Ok(units.into_iter().map(InScope::checked).collect())
}

/// The kind of the nearest unit at or above `unit_id` that has an active reviewer: the
/// committee that reviews the unit's work (`None`: only the administrators do).
pub fn reviewing_kind(conn: &mut PgConnection, unit_id: i32) -> QueryResult<Option<UnitKind>> {
    units::table
        .filter(crate::store::unit_above_or_at(unit_id))
        .filter(diesel::dsl::exists(
            users::table
                .filter(users::unit_id.eq(units::id.nullable()))
                .filter(users::role.eq(crate::domain::Role::Reviewer))
                .filter(users::active.eq(true)),
        ))
        .order(sql::<Integer>("nlevel(units.path)").desc())
        .select(units::kind)
        .first(conn)
        .optional()
}
