//! Initiatives: registering, editing with optimistic concurrency, listing and finding,
//! always inside the caller's scope.

use chrono::{DateTime, NaiveDate, Utc};
use diesel::dsl::sql;
use diesel::expression::BoxableExpression;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::sql_types::{Bool, Integer, Nullable, Text, Timestamptz};
use serde::Serialize;

use crate::domain::Scope;
use crate::domain::initiative::InitiativeDraft;
use crate::domain::workflow::{Review, Transition};
use crate::domain::{Field, InitiativeKind, Status, Vnd};
use crate::schema::{initiatives, units};
pub use crate::store::initiative_list::InitiativeFilter;
use crate::store::prepared::prepared;
use crate::store::units::Unit;
use crate::store::{InScope, set_actor, unit_in_scope, write_transaction};

#[derive(Debug, Clone, Queryable, QueryableByName, Selectable, Serialize)]
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
    pub review: Review,
    pub review_changed_at: DateTime<Utc>,
    pub review_note: Option<String>,
    pub result_summary: String,
    /// The initiative of the year before that this one carries over, if any.
    pub carried_from_id: Option<i32>,
    /// Mã: stable across exports and imports.
    pub reference: String,
}

/// An initiative with the name of its unit, as lists show it.
#[derive(Debug, Clone, Serialize)]
pub struct InitiativeListed {
    #[serde(flatten)]
    pub initiative: Initiative,
    pub unit_name: String,
    /// The initiative this one was carried into the next year as, if any.
    pub carried_over_to: Option<i32>,
}

/// The id of the initiative carried over from `initiatives.id`, read with the row.
pub(crate) fn carried_over_to() -> diesel::expression::SqlLiteral<Nullable<Integer>> {
    sql::<Nullable<Integer>>(
        "(SELECT carried.id FROM initiatives carried WHERE carried.carried_from_id = initiatives.id)",
    )
}

impl InitiativeListed {
    pub(crate) fn from_row(
        (initiative, unit_name, carried_over_to): ListedRow,
    ) -> InitiativeListed {
        InitiativeListed {
            initiative,
            unit_name,
            carried_over_to,
        }
    }
}

pub(crate) type ListedRow = (Initiative, String, Option<i32>);

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

/// An initiative with its unit's code and name, as the exports write it.
#[derive(Debug, Clone, QueryableByName)]
pub struct InitiativeExported {
    #[diesel(embed)]
    pub initiative: Initiative,
    #[diesel(sql_type = Text)]
    pub unit_code: String,
    #[diesel(sql_type = Text)]
    pub unit_name: String,
}

/// Calls `each` with every initiative of `year` in the subtree of `unit_id`, if that
/// unit lies in the scope, in the annual summary's order: a unit's children as the
/// summary and the dashboard list them, each child's subtree together, the unit's own
/// initiatives after its children's, and within a unit by reference (MH-3 before MH-12);
/// see `sql/list_in_summary_order.sql`. Rows are read one at a time, so memory stays
/// flat however many there are. Stops early when `each` returns false (the person
/// downloading went away).
pub fn for_each_in_summary_order(
    conn: &mut PgConnection,
    scope: Scope,
    unit_id: i32,
    year: i32,
    mut each: impl FnMut(InitiativeExported) -> bool,
) -> QueryResult<()> {
    let top = match scope {
        Scope::Everything => unit_id,
        Scope::Subtree(root) => root,
    };
    let rows = prepared(include_str!("sql/list_in_summary_order.sql"))
        .int(unit_id)
        .int(year)
        .int(top)
        .load_iter::<InitiativeExported, diesel::pg::PgRowByRowLoadingMode>(conn)?;
    for row in rows {
        if !each(row?) {
            break;
        }
    }
    Ok(())
}

/// One initiative with its unit's name, if it lies in the scope.
pub fn find_in_scope(
    conn: &mut PgConnection,
    scope: Scope,
    id: i32,
) -> QueryResult<Option<InScope<InitiativeListed>>> {
    let row: Option<ListedRow> = initiatives::table
        .inner_join(units::table)
        .filter(initiatives::id.eq(id))
        .filter(unit_in_scope(scope))
        .select((Initiative::as_select(), units::name, carried_over_to()))
        .first(conn)
        .optional()?;
    Ok(row.map(|row| InScope::checked(InitiativeListed::from_row(row))))
}

/// [`find_in_scope`] for a write, inside the caller's transaction: the initiative's row
/// is locked first (its unit's row is not), so that what the write then checks (the
/// review state, the version, the unit and with it the scope) stays as it was read
/// until the transaction ends.
pub fn lock_in_scope(
    conn: &mut PgConnection,
    scope: Scope,
    id: i32,
) -> QueryResult<Option<InScope<InitiativeListed>>> {
    let locked = initiatives::table
        .filter(initiatives::id.eq(id))
        .select(initiatives::id)
        .for_update()
        .first::<i32>(conn)
        .optional()?;
    match locked {
        Some(_) => find_in_scope(conn, scope, id),
        None => Ok(None),
    }
}

/// Registers an initiative; returns its id. The caller has checked the unit is in scope.
/// The initiative is registered for `unit`, the unit looked up in the person's scope
/// (whatever unit the draft names).
pub fn insert(
    conn: &mut PgConnection,
    actor_id: i32,
    unit: &InScope<Unit>,
    draft: &InitiativeDraft,
) -> QueryResult<i32> {
    let draft = InitiativeDraft {
        unit_id: unit.id,
        ..draft.clone()
    };
    write_transaction(conn, |conn| {
        set_actor(conn, Some(actor_id), None)?;
        insert_row(conn, actor_id, &draft, None)
    })
}

/// What a spreadsheet import sets besides a registration's columns.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportedState {
    /// Mã: kept as the file gives it.
    pub reference: String,
    /// The review state the import settles on (an import is a reviewer's or admin's act).
    pub review: Review,
    pub result_summary: String,
}

/// Registers an initiative inside the caller's transaction, which has named the actor;
/// the path of [`insert`], with an import's reference, review state and summary.
pub fn insert_row(
    conn: &mut PgConnection,
    actor_id: i32,
    draft: &InitiativeDraft,
    imported: Option<&ImportedState>,
) -> QueryResult<i32> {
    diesel::insert_into(initiatives::table)
        .values((
            InitiativeColumns::from(draft),
            initiatives::created_by.eq(actor_id),
            initiatives::updated_by.eq(actor_id),
            imported.map(|state| initiatives::reference.eq(&state.reference)),
            imported.map(|state| initiatives::review.eq(state.review)),
            imported.map(|state| initiatives::result_summary.eq(&state.result_summary)),
        ))
        .returning(initiatives::id)
        .get_result(conn)
}

/// Overwrites an initiative with an import's values inside the caller's transaction:
/// a new version, and the review state the import settles on (its note cleared and its
/// time stamped when it changes). The reference stays.
pub fn update_imported(
    conn: &mut PgConnection,
    actor_id: i32,
    id: i32,
    draft: &InitiativeDraft,
    state: &ImportedState,
    review_changed: bool,
) -> QueryResult<usize> {
    let no_note: Option<String> = None;
    diesel::update(initiatives::table.filter(initiatives::id.eq(id)))
        .set((
            InitiativeColumns::from(draft),
            initiatives::result_summary.eq(&state.result_summary),
            initiatives::review.eq(state.review),
            review_changed.then_some(initiatives::review_changed_at.eq(diesel::dsl::now)),
            review_changed.then_some(initiatives::review_note.eq(no_note)),
            initiatives::updated_by.eq(actor_id),
            initiatives::updated_at.eq(diesel::dsl::now),
            initiatives::version.eq(initiatives::version + 1),
        ))
        .execute(conn)
}

/// The initiatives with these references, each with the one it was carried into (if
/// any), wherever they are: the caller decides what lies in its scope.
pub fn by_references(
    conn: &mut PgConnection,
    references: &[String],
) -> QueryResult<Vec<(Initiative, Option<i32>)>> {
    initiatives::table
        .filter(initiatives::reference.eq_any(references))
        .select((Initiative::as_select(), carried_over_to()))
        .load(conn)
}

/// Saves an edit of an initiative found in scope, only if its row is still at
/// `expected_version` (no lost updates) and no completion report is waiting or
/// accepted. Returns whether it was saved.
pub fn update(
    conn: &mut PgConnection,
    actor_id: i32,
    initiative: &InScope<InitiativeListed>,
    expected_version: i32,
    draft: &InitiativeDraft,
) -> QueryResult<bool> {
    let id = initiative.initiative.id;
    write_transaction(conn, |conn| {
        set_actor(conn, Some(actor_id), None)?;
        let saved = diesel::update(
            initiatives::table
                .filter(initiatives::id.eq(id))
                .filter(initiatives::version.eq(expected_version))
                .filter(
                    initiatives::review.ne_all(vec![Review::PendingAcceptance, Review::Accepted]),
                ),
        )
        .set((
            InitiativeColumns::from(draft),
            initiatives::updated_by.eq(actor_id),
            initiatives::updated_at.eq(diesel::dsl::now),
            initiatives::version.eq(initiatives::version + 1),
        ))
        .execute(conn)?;
        Ok(saved == 1)
    })
}

/// What a secretary reports when a work is done.
#[derive(Debug, Clone)]
pub struct CompletionReport {
    pub actual_value: Vnd,
    pub completion_date: NaiveDate,
    pub result_summary: String,
}

/// The columns a workflow step changes; `None` leaves a column as it is.
#[derive(AsChangeset)]
#[diesel(table_name = initiatives)]
struct WorkflowChange<'a> {
    review: Review,
    review_note: Option<Option<&'a str>>,
    status: Option<Status>,
    actual_value_vnd: Option<Option<i64>>,
    completion_date: Option<Option<NaiveDate>>,
    result_summary: Option<&'a str>,
}

/// One workflow step: the state change, the reason (returns and reopenings), the
/// report's figures and any new evidence files.
#[derive(Clone, Copy)]
pub struct StepChange<'a> {
    pub transition: Transition,
    pub reason: Option<&'a str>,
    pub report: Option<&'a CompletionReport>,
    pub files: &'a [crate::store::evidence::NewEvidence],
}

impl StepChange<'_> {
    /// A step with nothing but the state change.
    pub fn only(transition: Transition) -> StepChange<'static> {
        StepChange {
            transition,
            reason: None,
            report: None,
            files: &[],
        }
    }
}

/// How a workflow step went.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum StepOutcome {
    Done,
    /// The initiative is no longer in the state the step leaves from (someone else
    /// acted first).
    StateChanged,
    /// A completion report needs at least one evidence file.
    NoEvidence,
}

/// Takes one workflow step on an initiative found in scope, in one transaction: the
/// state change (only if the row is still in `transition.from`), the report's figures
/// and the new evidence files. The audit log records who, when and `reason`.
pub fn take_step(
    conn: &mut PgConnection,
    actor_id: i32,
    initiative: &InScope<InitiativeListed>,
    step: &StepChange<'_>,
) -> QueryResult<StepOutcome> {
    let id = initiative.initiative.id;
    let StepChange {
        transition,
        reason,
        report,
        files: new_files,
    } = *step;
    write_transaction(conn, |conn| {
        // Hold the row so that no file is removed between counting and the step.
        initiatives::table
            .filter(initiatives::id.eq(id))
            .select(initiatives::id)
            .for_update()
            .first::<i32>(conn)
            .optional()?;
        if report.is_some()
            && new_files.is_empty()
            && crate::store::evidence::active_count(conn, id)? == 0
        {
            return Ok(StepOutcome::NoEvidence);
        }
        set_actor(conn, Some(actor_id), reason)?;
        let returned = Review::RETURNED.contains(&transition.to);
        let change = WorkflowChange {
            review: transition.to,
            review_note: Some(if returned { reason } else { None }),
            status: transition.status,
            actual_value_vnd: report.map(|report| Some(report.actual_value.dong())),
            completion_date: report.map(|report| Some(report.completion_date)),
            result_summary: report.map(|report| report.result_summary.as_str()),
        };
        // A carried-over initiative is reported in its new year only (see workflow).
        let not_carried_over = sql::<Bool>(if report.is_some() {
            "NOT EXISTS (SELECT 1 FROM initiatives carried WHERE carried.carried_from_id = initiatives.id)"
        } else {
            "TRUE"
        });
        let changed = diesel::update(
            initiatives::table
                .filter(initiatives::id.eq(id))
                .filter(initiatives::review.eq(transition.from))
                .filter(not_carried_over),
        )
        .set((
            change,
            initiatives::review_changed_at.eq(diesel::dsl::now),
            initiatives::updated_by.eq(actor_id),
            initiatives::updated_at.eq(diesel::dsl::now),
            initiatives::version.eq(initiatives::version + 1),
        ))
        .execute(conn)?;
        if changed == 0 {
            return Ok(StepOutcome::StateChanged);
        }
        crate::store::evidence::insert(conn, id, actor_id, new_files)?;
        Ok(StepOutcome::Done)
    })
}

/// Where a page of an inbox starts: after the row whose review state changed at this
/// moment, with this id (the inboxes' order).
pub type InboxPosition = (DateTime<Utc>, i32);

/// The initiatives in scope in the given review states, oldest step first (the inboxes):
/// at most `limit` of them, after `after`. Each state is read on its own, in the order of
/// its index, and the pages merged: an index gives no order across several states.
pub fn in_review_states(
    conn: &mut PgConnection,
    scope: Scope,
    states: &[Review],
    after: Option<InboxPosition>,
    limit: i64,
) -> QueryResult<Vec<InitiativeListed>> {
    let whole_tree = crate::store::initiative_list::reaches_whole_tree(conn, scope, None)?;
    let mut rows = Vec::new();
    for state in states {
        rows.extend(in_review_state(
            conn, scope, *state, after, whole_tree, limit,
        )?);
    }
    rows.sort_by_key(|row: &InitiativeListed| {
        (row.initiative.review_changed_at, row.initiative.id)
    });
    rows.truncate(usize::try_from(limit).unwrap_or(0));
    Ok(rows)
}

fn in_review_state(
    conn: &mut PgConnection,
    scope: Scope,
    state: Review,
    after: Option<InboxPosition>,
    whole_tree: bool,
    limit: i64,
) -> QueryResult<Vec<InitiativeListed>> {
    let mut query = initiatives::table
        .inner_join(units::table)
        .into_boxed()
        .filter(unit_in_scope(scope))
        .filter(initiatives::review.eq(state));
    if let Some((changed_at, id)) = after {
        query = query.filter(
            sql::<Bool>("(initiatives.review_changed_at, initiatives.id) > (")
                .bind::<Timestamptz, _>(changed_at)
                .sql(", ")
                .bind::<Integer, _>(id)
                .sql(")"),
        );
    }
    // As on the list (see initiative_list): over the whole tree the index on (review,
    // review_changed_at, id) gives the page in order; inside a subtree the rows are found
    // through its units and sorted, which the `+ 0`s ask PostgreSQL to do.
    query = if whole_tree {
        query.order((initiatives::review_changed_at.asc(), initiatives::id.asc()))
    } else {
        query.order((
            sql::<Timestamptz>("initiatives.review_changed_at + interval '0 seconds'").asc(),
            (initiatives::id + 0).asc(),
        ))
    };
    let rows: Vec<ListedRow> = query
        .limit(limit)
        .select((Initiative::as_select(), units::name, carried_over_to()))
        .load(conn)?;
    Ok(rows.into_iter().map(InitiativeListed::from_row).collect())
}

/// `review` is one of `states`; one state is compared with `=`, so that the index on
/// (review, review_changed_at, id) also gives the order.
pub(crate) fn in_states<QS: 'static>(
    states: &[Review],
) -> Box<dyn BoxableExpression<QS, Pg, SqlType = Bool>> {
    let codes: Vec<&'static str> = states.iter().map(|state| state.as_str()).collect();
    match codes.as_slice() {
        [code] => Box::new(sql::<Bool>("initiatives.review = ").bind::<Text, _>(*code)),
        codes => Box::new(
            sql::<Bool>("initiatives.review = ANY(")
                .bind::<diesel::sql_types::Array<Text>, _>(codes.to_vec())
                .sql(")"),
        ),
    }
}

/// How many initiatives in scope are in the given review states, counting no further
/// than `cap` (the inboxes' headings). With every unit in scope the units are not joined.
pub fn count_in_review_states_up_to(
    conn: &mut PgConnection,
    scope: Scope,
    states: &[Review],
    cap: i64,
) -> QueryResult<i64> {
    use crate::store::initiative_list::OverRows;
    match scope {
        Scope::Everything => {
            let capped = initiatives::table
                .filter(in_states::<initiatives::table>(states))
                .select(initiatives::id)
                .limit(cap);
            OverRows::count(capped).get_result(conn)
        }
        Scope::Subtree(_) => {
            let capped = initiatives::table
                .inner_join(units::table)
                .into_boxed()
                .filter(unit_in_scope(scope))
                .filter(in_states(states))
                .select(initiatives::id)
                .limit(cap);
            OverRows::count(capped).get_result(conn)
        }
    }
}

/// Deletes an initiative and its evidence records for good (admins only). Returns the
/// hashes of files no other record refers to, so their bytes can be removed too;
/// `None` when there was no such initiative.
pub fn purge(conn: &mut PgConnection, actor_id: i32, id: i32) -> QueryResult<Option<Vec<String>>> {
    use crate::schema::evidence_files;
    write_transaction(conn, |conn| {
        set_actor(conn, Some(actor_id), Some("purge"))?;
        let hashes: Vec<String> =
            diesel::delete(evidence_files::table.filter(evidence_files::initiative_id.eq(id)))
                .returning(evidence_files::sha256)
                .get_results(conn)?;
        let deleted =
            diesel::delete(initiatives::table.filter(initiatives::id.eq(id))).execute(conn)?;
        if deleted == 0 {
            return Ok(None);
        }
        let mut orphans = Vec::new();
        for hash in hashes {
            if !orphans.contains(&hash) && !crate::store::evidence::is_referenced(conn, &hash)? {
                orphans.push(hash);
            }
        }
        Ok(Some(orphans))
    })
}
