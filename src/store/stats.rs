//! Figures for a unit's subtree and a year (dashboards, the stats API, the year
//! lists, the reviewers' badge). The SQL is in `sql/`. Callers check that the unit is
//! in the user's scope first (in the same closure).
//!
//! The figures come from the roll-up tables that the database keeps up to date in the
//! same transaction as every change (migration `..._rollups`), so their cost follows the
//! number of rows shown, not the number of initiatives. [`rebuild`] recounts them.

use diesel::prelude::*;
use diesel::sql_types::{BigInt, Bool, Date, Integer, Nullable, Text};
use serde::Serialize;

use crate::domain::Scope;
use crate::domain::{Field, UnitKind};
use crate::store::prepared::prepared;

/// The headline counts and sums. `registered` counts every initiative of the year.
#[derive(Debug, Clone, Default, QueryableByName, Serialize)]
pub struct Headline {
    #[diesel(sql_type = BigInt)]
    pub registered: i64,
    #[diesel(sql_type = BigInt)]
    pub not_started: i64,
    #[diesel(sql_type = BigInt)]
    pub in_progress: i64,
    #[diesel(sql_type = BigInt)]
    pub completed: i64,
    #[diesel(sql_type = BigInt)]
    pub cancelled: i64,
    #[diesel(sql_type = BigInt)]
    pub estimated_cost_vnd: i64,
    /// Only completed initiatives count.
    #[diesel(sql_type = BigInt)]
    pub actual_value_vnd: i64,
    #[diesel(sql_type = BigInt)]
    pub awaiting_approval: i64,
    #[diesel(sql_type = BigInt)]
    pub awaiting_acceptance: i64,
    /// Approved (or completion returned) and neither completed nor cancelled: a
    /// completion report is owed.
    #[diesel(sql_type = BigInt)]
    pub awaiting_report: i64,
    /// Past the due date and neither completed nor cancelled.
    #[diesel(sql_type = BigInt)]
    pub overdue: i64,
}

#[derive(Debug, Clone, Default, QueryableByName, Serialize)]
pub struct Coverage {
    #[diesel(sql_type = BigInt)]
    pub expected_units: i64,
    #[diesel(sql_type = BigInt)]
    pub registered_units: i64,
}

#[derive(Debug, Clone, QueryableByName, Serialize)]
pub struct MissingUnit {
    #[diesel(sql_type = Integer)]
    pub id: i32,
    #[diesel(sql_type = Text)]
    pub code: String,
    #[diesel(sql_type = Text)]
    pub name: String,
    /// The names of the unit's secretaries, for following up.
    #[diesel(sql_type = Nullable<Text>)]
    pub secretaries: Option<String>,
    /// How many the whole list holds (every row carries it).
    #[diesel(sql_type = BigInt)]
    pub total: i64,
}

/// A unit that still owes completion reports.
#[derive(Debug, Clone, QueryableByName, Serialize)]
pub struct UnitToFollowUp {
    #[diesel(sql_type = Integer)]
    pub id: i32,
    #[diesel(sql_type = Text)]
    pub code: String,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = BigInt)]
    pub owed: i64,
    #[diesel(sql_type = Nullable<Text>)]
    pub secretaries: Option<String>,
    /// How many the whole list holds (every row carries it).
    #[diesel(sql_type = BigInt)]
    pub total: i64,
}

#[derive(Debug, Clone, QueryableByName, Serialize)]
pub struct Overdue {
    #[diesel(sql_type = Integer)]
    pub id: i32,
    #[diesel(sql_type = Text)]
    pub title: String,
    #[diesel(sql_type = Date)]
    pub due_date: chrono::NaiveDate,
    #[diesel(sql_type = Text)]
    pub unit_name: String,
    /// How many the whole list holds (every row carries it).
    #[diesel(sql_type = BigInt)]
    pub total: i64,
}

#[derive(Debug, Clone, QueryableByName, Serialize)]
pub struct ChildFigures {
    #[diesel(sql_type = Integer)]
    pub unit_id: i32,
    #[diesel(sql_type = Text)]
    pub code: String,
    #[diesel(sql_type = Text)]
    pub name: String,
    #[diesel(sql_type = Text)]
    pub kind: UnitKind,
    #[diesel(sql_type = Bool)]
    pub active: bool,
    #[diesel(sql_type = Bool)]
    pub has_children: bool,
    #[diesel(sql_type = BigInt)]
    pub registered: i64,
    #[diesel(sql_type = BigInt)]
    pub in_progress: i64,
    #[diesel(sql_type = BigInt)]
    pub completed: i64,
    #[diesel(sql_type = BigInt)]
    pub cancelled: i64,
    #[diesel(sql_type = BigInt)]
    pub estimated_cost_vnd: i64,
    #[diesel(sql_type = BigInt)]
    pub actual_value_vnd: i64,
    #[diesel(sql_type = BigInt)]
    pub expected_units: i64,
    #[diesel(sql_type = BigInt)]
    pub registered_units: i64,
}

#[derive(Debug, Clone, QueryableByName, Serialize)]
pub struct FieldFigures {
    #[diesel(sql_type = Text)]
    pub field: Field,
    #[diesel(sql_type = BigInt)]
    pub registered: i64,
    #[diesel(sql_type = BigInt)]
    pub completed: i64,
    #[diesel(sql_type = BigInt)]
    pub estimated_cost_vnd: i64,
    #[diesel(sql_type = BigInt)]
    pub actual_value_vnd: i64,
}

/// The headline figures and coverage of one year.
#[derive(Debug, Clone, QueryableByName, Serialize)]
pub struct YearFigures {
    #[diesel(sql_type = Integer)]
    pub year: i32,
    #[diesel(embed)]
    pub headline: Headline,
    #[diesel(embed)]
    pub coverage: Coverage,
}

/// The figures of the subtree of `unit_id` for every year from `first` to `last`
/// (oldest first, zeros where nothing was registered), in one query. What is overdue
/// today is counted for `last` only.
pub fn by_year(
    conn: &mut PgConnection,
    unit_id: i32,
    first: i32,
    last: i32,
    today: chrono::NaiveDate,
) -> QueryResult<Vec<YearFigures>> {
    prepared(include_str!("sql/by_year.sql"))
        .int(unit_id)
        .int(first)
        .int(last)
        .date(today)
        .load(conn)
}

/// The figures of the subtree of `unit_id` for one year.
pub fn for_year(
    conn: &mut PgConnection,
    unit_id: i32,
    year: i32,
    today: chrono::NaiveDate,
) -> QueryResult<YearFigures> {
    by_year(conn, unit_id, year, year, today)?
        .pop()
        .ok_or(diesel::result::Error::NotFound)
}

/// A slice of a follow-up list: at most `limit` rows after the first `offset`.
#[derive(Debug, Clone, Copy)]
pub struct Slice {
    pub limit: i32,
    pub offset: i32,
}

/// The units that still owe completion reports, by name.
pub fn not_reported(
    conn: &mut PgConnection,
    unit_id: i32,
    year: i32,
    slice: Slice,
) -> QueryResult<Vec<UnitToFollowUp>> {
    prepared(concat!(
        include_str!("sql/follow_up_walk.sql"),
        include_str!("sql/not_reported.sql"),
        "\n LIMIT $3 OFFSET $4"
    ))
    .int(unit_id)
    .int(year)
    .int(slice.limit)
    .int(slice.offset)
    .load(conn)
}

/// The initiatives past their due date and still open, the most overdue first.
pub fn overdue(
    conn: &mut PgConnection,
    unit_id: i32,
    year: i32,
    today: chrono::NaiveDate,
    slice: Slice,
) -> QueryResult<Vec<Overdue>> {
    prepared(concat!(
        include_str!("sql/follow_up_walk.sql"),
        include_str!("sql/overdue.sql"),
        "\n LIMIT $4 OFFSET $5"
    ))
    .int(unit_id)
    .int(year)
    .date(today)
    .int(slice.limit)
    .int(slice.offset)
    .load(conn)
}

/// The units expected to register that have not, by name.
pub fn missing_units(
    conn: &mut PgConnection,
    unit_id: i32,
    year: i32,
    slice: Slice,
) -> QueryResult<Vec<MissingUnit>> {
    prepared(concat!(
        include_str!("sql/follow_up_walk.sql"),
        include_str!("sql/missing_units.sql"),
        "\n LIMIT $3 OFFSET $4"
    ))
    .int(unit_id)
    .int(year)
    .int(slice.limit)
    .int(slice.offset)
    .load(conn)
}

pub fn by_child(
    conn: &mut PgConnection,
    unit_id: i32,
    year: i32,
) -> QueryResult<Vec<ChildFigures>> {
    prepared(include_str!("sql/by_child.sql"))
        .int(unit_id)
        .int(year)
        .load(conn)
}

/// One row per field, in the order of [`Field::ALL`], including fields with nothing.
pub fn by_field(
    conn: &mut PgConnection,
    unit_id: i32,
    year: i32,
) -> QueryResult<Vec<FieldFigures>> {
    let found: Vec<FieldFigures> = prepared(include_str!("sql/by_field.sql"))
        .int(unit_id)
        .int(year)
        .load(conn)?;
    Ok(Field::ALL
        .iter()
        .map(|field| {
            found
                .iter()
                .find(|row| row.field == *field)
                .cloned()
                .unwrap_or(FieldFigures {
                    field: *field,
                    registered: 0,
                    completed: 0,
                    estimated_cost_vnd: 0,
                    actual_value_vnd: 0,
                })
        })
        .collect())
}

/// What the unit registered itself: its totals less its children's.
pub fn direct_figures(total: &Headline, children: &[ChildFigures]) -> Option<Headline> {
    let sum = |pick: fn(&ChildFigures) -> i64| children.iter().map(pick).sum::<i64>();
    let direct = Headline {
        registered: total.registered - sum(|child| child.registered),
        in_progress: total.in_progress - sum(|child| child.in_progress),
        completed: total.completed - sum(|child| child.completed),
        cancelled: total.cancelled - sum(|child| child.cancelled),
        estimated_cost_vnd: total.estimated_cost_vnd - sum(|child| child.estimated_cost_vnd),
        actual_value_vnd: total.actual_value_vnd - sum(|child| child.actual_value_vnd),
        ..Headline::default()
    };
    (direct.registered > 0).then_some(direct)
}

/// Recounts every roll-up from the raw rows (after a bulk load, or to repair).
pub fn rebuild(conn: &mut PgConnection) -> QueryResult<()> {
    diesel::sql_query("SELECT rebuild_rollups()").execute(conn)?;
    Ok(())
}

/// The years that have initiatives in the scope, newest first.
pub fn years(conn: &mut PgConnection, scope: Scope) -> QueryResult<Vec<i32>> {
    #[derive(QueryableByName)]
    struct YearRow {
        #[diesel(sql_type = Integer)]
        year: i32,
    }
    let rows: Vec<YearRow> = match scope {
        Scope::Everything => prepared(
            "SELECT DISTINCT year FROM subtree_stats
              WHERE unit_id = ANY (ARRAY(SELECT id FROM units WHERE parent_id IS NULL))
                AND registered > 0
              ORDER BY year DESC",
        )
        .load(conn)?,
        Scope::Subtree(root) => prepared(
            "SELECT DISTINCT year FROM subtree_stats
              WHERE unit_id = $1 AND registered > 0
              ORDER BY year DESC",
        )
        .int(root)
        .load(conn)?,
    };
    Ok(rows.into_iter().map(|row| row.year).collect())
}

/// What waits for a reviewer in the scope, every year together (the menu's badge).
pub fn awaiting_review(conn: &mut PgConnection, scope: Scope) -> QueryResult<i64> {
    Ok(badges(conn, scope)?.waiting)
}

/// What was returned to the secretaries of the scope for a correction, every year
/// together (the secretaries' badge).
pub fn returned(conn: &mut PgConnection, scope: Scope) -> QueryResult<i64> {
    Ok(badges(conn, scope)?.returned)
}

#[derive(QueryableByName)]
struct Badges {
    #[diesel(sql_type = BigInt)]
    waiting: i64,
    #[diesel(sql_type = BigInt)]
    returned: i64,
}

/// The menu badges: sums over the scope's roll-up rows, whatever lies below.
fn badges(conn: &mut PgConnection, scope: Scope) -> QueryResult<Badges> {
    match scope {
        Scope::Everything => prepared(
            "SELECT coalesce(sum(awaiting_approval + awaiting_acceptance), 0)::bigint AS waiting,
                    coalesce(sum(returned), 0)::bigint AS returned
               FROM subtree_stats
              WHERE unit_id = ANY (ARRAY(SELECT id FROM units WHERE parent_id IS NULL))",
        )
        .get_result(conn),
        Scope::Subtree(root) => prepared(
            "SELECT coalesce(sum(awaiting_approval + awaiting_acceptance), 0)::bigint AS waiting,
                    coalesce(sum(returned), 0)::bigint AS returned
               FROM subtree_stats
              WHERE unit_id = $1",
        )
        .int(root)
        .get_result(conn),
    }
}
