//! Initiatives: registering, editing with optimistic concurrency, listing and finding,
//! always inside the caller's scope.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Text};
use serde::Serialize;

use crate::auth::Scope;
use crate::domain::initiative::InitiativeDraft;
use crate::domain::{Field, InitiativeKind, Status};
use crate::schema::{initiatives, units};
use crate::store::{set_actor, unit_in_scope, unit_in_subtree};

#[derive(Debug, Clone, Queryable, Selectable, Serialize)]
#[diesel(table_name = initiatives)]
pub struct Initiative {
    pub id: i32,
    pub year: i32,
    pub kind: InitiativeKind,
    pub title: String,
    pub field: Field,
    pub description: String,
    pub unit_id: i32,
    pub estimated_cost_vnd: i64,
    pub actual_value_vnd: Option<i64>,
    pub status: Status,
    pub start_date: NaiveDate,
    pub due_date: NaiveDate,
    pub completion_date: Option<NaiveDate>,
    pub created_by: i32,
    pub updated_by: i32,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    pub version: i32,
}

/// An initiative with the name of its unit, as lists show it.
#[derive(Debug, Clone, Serialize)]
pub struct InitiativeListed {
    #[serde(flatten)]
    pub initiative: Initiative,
    pub unit_name: String,
}

#[derive(Insertable, AsChangeset)]
#[diesel(table_name = initiatives, treat_none_as_null = true)]
struct InitiativeColumns<'a> {
    year: i32,
    kind: InitiativeKind,
    title: &'a str,
    field: Field,
    description: &'a str,
    unit_id: i32,
    estimated_cost_vnd: i64,
    actual_value_vnd: Option<i64>,
    status: Status,
    start_date: NaiveDate,
    due_date: NaiveDate,
    completion_date: Option<NaiveDate>,
}

impl<'a> From<&'a InitiativeDraft> for InitiativeColumns<'a> {
    fn from(draft: &'a InitiativeDraft) -> Self {
        InitiativeColumns {
            year: draft.year.get(),
            kind: draft.kind,
            title: &draft.title,
            field: draft.field,
            description: &draft.description,
            unit_id: draft.unit_id,
            estimated_cost_vnd: draft.estimated_cost.dong(),
            actual_value_vnd: draft.actual_value.map(|value| value.dong()),
            status: draft.status,
            start_date: draft.start_date,
            due_date: draft.due_date,
            completion_date: draft.completion_date,
        }
    }
}

/// What the list page and the API may filter on. `unit_id` means that unit's subtree.
#[derive(Debug, Clone, Default)]
pub struct InitiativeFilter {
    pub year: Option<i32>,
    pub unit_id: Option<i32>,
    pub status: Option<Status>,
    pub field: Option<Field>,
    pub kind: Option<InitiativeKind>,
    /// Matched against title and description, with or without diacritics.
    pub text: Option<String>,
}

#[derive(Debug, Clone, Copy)]
pub enum ListOrder {
    /// Oldest first, stable: what the API promises.
    ById,
    /// Newest first: what people want on the list page.
    Newest,
}

/// One page of the initiatives in scope that match the filter, and how many match in all.
pub fn list(
    conn: &mut PgConnection,
    scope: Scope,
    filter: &InitiativeFilter,
    order: ListOrder,
    page: i64,
    per_page: i64,
) -> QueryResult<(Vec<InitiativeListed>, i64)> {
    let total = filtered(scope, filter).count().get_result(conn)?;
    let query = filtered(scope, filter)
        .select((Initiative::as_select(), units::name))
        .limit(per_page)
        .offset((page.max(1) - 1) * per_page);
    let rows: Vec<(Initiative, String)> = match order {
        ListOrder::ById => query.order(initiatives::id.asc()).load(conn)?,
        ListOrder::Newest => query.order(initiatives::id.desc()).load(conn)?,
    };
    let rows = rows
        .into_iter()
        .map(|(initiative, unit_name)| InitiativeListed {
            initiative,
            unit_name,
        })
        .collect();
    Ok((rows, total))
}

type FilteredQuery = diesel::helper_types::IntoBoxed<
    'static,
    diesel::helper_types::InnerJoin<initiatives::table, units::table>,
    diesel::pg::Pg,
>;

/// The initiatives in scope that match the filter, joined with their units.
fn filtered(scope: Scope, filter: &InitiativeFilter) -> FilteredQuery {
    let mut query = initiatives::table
        .inner_join(units::table)
        .into_boxed()
        .filter(unit_in_scope(scope));
    if let Some(year) = filter.year {
        query = query.filter(initiatives::year.eq(year));
    }
    if let Some(unit_id) = filter.unit_id {
        query = query.filter(unit_in_subtree(unit_id));
    }
    if let Some(status) = filter.status {
        query = query.filter(initiatives::status.eq(status));
    }
    if let Some(field) = filter.field {
        query = query.filter(initiatives::field.eq(field));
    }
    if let Some(kind) = filter.kind {
        query = query.filter(initiatives::kind.eq(kind));
    }
    if let Some(text) = filter
        .text
        .as_deref()
        .map(str::trim)
        .filter(|text| !text.is_empty())
    {
        // unaccent first, then lower: lower() on plain ASCII works in every locale.
        query = query.filter(
            sql::<Bool>(
                "lower(unaccent(initiatives.title || ' ' || initiatives.description)) \
                 LIKE lower(unaccent(",
            )
            .bind::<Text, _>(format!("%{}%", escape_like(text)))
            .sql("))"),
        );
    }
    query
}

/// Makes `%`, `_` and `\\` in a search match themselves.
fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for character in text.chars() {
        if matches!(character, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(character);
    }
    escaped
}

/// One initiative with its unit's name, if it lies in the scope.
pub fn find_in_scope(
    conn: &mut PgConnection,
    scope: Scope,
    id: i32,
) -> QueryResult<Option<InitiativeListed>> {
    let row: Option<(Initiative, String)> = initiatives::table
        .inner_join(units::table)
        .filter(initiatives::id.eq(id))
        .filter(unit_in_scope(scope))
        .select((Initiative::as_select(), units::name))
        .first(conn)
        .optional()?;
    Ok(row.map(|(initiative, unit_name)| InitiativeListed {
        initiative,
        unit_name,
    }))
}

/// Registers an initiative; returns its id. The caller has checked the unit is in scope.
pub fn insert(conn: &mut PgConnection, actor_id: i32, draft: &InitiativeDraft) -> QueryResult<i32> {
    conn.transaction(|conn| {
        set_actor(conn, Some(actor_id), None)?;
        diesel::insert_into(initiatives::table)
            .values((
                InitiativeColumns::from(draft),
                initiatives::created_by.eq(actor_id),
                initiatives::updated_by.eq(actor_id),
            ))
            .returning(initiatives::id)
            .get_result(conn)
    })
}

/// How a save went.
pub enum SaveOutcome {
    Saved,
    /// Someone saved a newer version since the form was loaded; this is the current row.
    Conflict(Box<InitiativeListed>),
    /// Not in the scope (or gone).
    NotFound,
}

/// Saves an edit only if the row is still at `expected_version` (no lost updates).
pub fn update(
    conn: &mut PgConnection,
    actor_id: i32,
    scope: Scope,
    id: i32,
    expected_version: i32,
    draft: &InitiativeDraft,
) -> QueryResult<SaveOutcome> {
    conn.transaction(|conn| {
        set_actor(conn, Some(actor_id), None)?;
        let units_in_scope = units::table.filter(unit_in_scope(scope)).select(units::id);
        let saved = diesel::update(
            initiatives::table
                .filter(initiatives::id.eq(id))
                .filter(initiatives::version.eq(expected_version))
                .filter(initiatives::unit_id.eq_any(units_in_scope)),
        )
        .set((
            InitiativeColumns::from(draft),
            initiatives::updated_by.eq(actor_id),
            initiatives::updated_at.eq(diesel::dsl::now),
            initiatives::version.eq(initiatives::version + 1),
        ))
        .execute(conn)?;
        if saved == 1 {
            return Ok(SaveOutcome::Saved);
        }
        Ok(match find_in_scope(conn, scope, id)? {
            Some(current) => SaveOutcome::Conflict(Box::new(current)),
            None => SaveOutcome::NotFound,
        })
    })
}

/// The years that have initiatives in the scope, newest first.
pub fn years(conn: &mut PgConnection, scope: Scope) -> QueryResult<Vec<i32>> {
    initiatives::table
        .inner_join(units::table)
        .filter(unit_in_scope(scope))
        .select(initiatives::year)
        .distinct()
        .order(initiatives::year.desc())
        .load(conn)
}
