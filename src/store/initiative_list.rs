//! The initiatives list and its search, at any size of scope: pages read by keyset (the
//! list's order, which is by id), counts that stop at a cap instead of counting millions
//! of rows, and a search the trigram indexes of migration 000010 answer.

use diesel::dsl::{not, sql};
use diesel::expression::BoxableExpression;
use diesel::pg::Pg;
use diesel::prelude::*;
use diesel::query_builder::{AstPass, Query, QueryFragment, QueryId};
use diesel::sql_types::{BigInt, Bool, Text};

use crate::domain::Scope;
use crate::domain::cursor::PageStart;
use crate::domain::list_sort::ReviewFilter;
use crate::domain::search::SearchText;
use crate::domain::{Field, InitiativeKind, Status};
use crate::schema::{initiatives, units};
use crate::store::initiatives::{Initiative, InitiativeListed, ListedRow, carried_over_to};
use crate::store::{unit_in_scope, unit_in_subtree};

/// What the list page and the API may filter on. `unit_id` means that unit's subtree.
#[derive(Debug, Clone, Default)]
pub struct InitiativeFilter {
    pub year: Option<i32>,
    pub unit_id: Option<i32>,
    pub status: Option<Status>,
    pub field: Option<Field>,
    pub kind: Option<InitiativeKind>,
    pub review: Option<ReviewFilter>,
    pub text: Option<SearchText>,
}

/// One page of a list read by keyset.
#[derive(Debug)]
pub struct ListPage<T> {
    /// In the list's order.
    pub rows: Vec<T>,
    /// Rows come before this page (a page read after a cursor is taken to have some).
    pub has_previous: bool,
    /// Rows come after this page (a page read before a cursor is taken to have some).
    pub has_next: bool,
}

/// One page of the initiatives in scope that match the filter, oldest first (by id, the
/// stable order the API promises), starting at `start` (an id). The list page reads in
/// any sort through `store::list_sorted`.
pub fn page(
    conn: &mut PgConnection,
    scope: Scope,
    filter: &InitiativeFilter,
    start: PageStart<i32>,
    per_page: i64,
) -> QueryResult<ListPage<InitiativeListed>> {
    let reading = Reading::new(conn, scope, filter, start)?;
    let mut ids = Vec::new();
    for &arm in text_arms(filter) {
        ids.extend(reading.ids(conn, scope, filter, arm, per_page + 1)?);
    }
    // The arms are disjoint; each is sorted, together they need sorting once more.
    ids.sort_unstable();
    if !reading.ascending {
        ids.reverse();
    }
    let more = ids.len() as i64 > per_page;
    ids.truncate(usize::try_from(per_page).unwrap_or(0));
    let (has_previous, has_next) = match start {
        PageStart::First => (false, more),
        PageStart::After(_) => (true, more),
        PageStart::Before(_) if (ids.len() as i64) < per_page => {
            // Fewer rows than a page lie before the cursor: they begin the list, so show
            // the first page, full.
            return page(conn, scope, filter, PageStart::First, per_page);
        }
        PageStart::Before(_) => {
            ids.reverse();
            (more, true)
        }
    };
    let rows = listed_in_order(conn, scope, &ids)?;
    Ok(ListPage {
        rows,
        has_previous,
        has_next,
    })
}

/// How many initiatives in scope match the filter, counting no further than `cap`.
pub fn count_up_to(
    conn: &mut PgConnection,
    scope: Scope,
    filter: &InitiativeFilter,
    cap: i64,
) -> QueryResult<i64> {
    let mut total = 0;
    for &arm in text_arms(filter) {
        total += count_arm(conn, scope, filter, arm, cap)?;
    }
    Ok(total.min(cap))
}

/// How one page is read: in which direction, from where, and whether the rows can come
/// in id order straight from the primary key.
struct Reading {
    ascending: bool,
    from: Option<i32>,
    whole_tree: bool,
}

impl Reading {
    fn new(
        conn: &mut PgConnection,
        scope: Scope,
        filter: &InitiativeFilter,
        start: PageStart<i32>,
    ) -> QueryResult<Reading> {
        let (ascending, from) = match start {
            PageStart::First => (true, None),
            PageStart::After(id) => (true, Some(id)),
            PageStart::Before(id) => (false, Some(id)),
        };
        let whole_tree = reaches_whole_tree(conn, scope, filter.unit_id)?;
        Ok(Reading {
            ascending,
            from,
            whole_tree,
        })
    }

    /// The ids of at most `limit` rows of one arm of the search, in reading order.
    fn ids(
        &self,
        conn: &mut PgConnection,
        scope: Scope,
        filter: &InitiativeFilter,
        arm: TextArm,
        limit: i64,
    ) -> QueryResult<Vec<i32>> {
        let mut query = filtered_arm(scope, filter, arm).select(initiatives::id);
        query = match (self.from, self.ascending) {
            (None, _) => query,
            (Some(id), true) => query.filter(initiatives::id.gt(id)),
            (Some(id), false) => query.filter(initiatives::id.lt(id)),
        };
        // Over the whole tree, walking the primary key stops after a page. Inside a
        // subtree that walk could pass most of the country's rows before it found a page
        // of the subtree's, so the subtree's rows are read through its units instead and
        // sorted: `id + 0` keeps PostgreSQL from walking the key, and the cost is the size
        // of the subtree (index only, see migration 000010), never of the country.
        query = match (self.whole_tree, self.ascending) {
            (true, true) => query.order(initiatives::id.asc()),
            (true, false) => query.order(initiatives::id.desc()),
            (false, true) => query.order((initiatives::id + 0).asc()),
            (false, false) => query.order((initiatives::id + 0).desc()),
        };
        query.limit(limit).load(conn)
    }
}

/// True when the rows to list are every unit's: no narrower unit than a root of the tree.
pub(crate) fn reaches_whole_tree(
    conn: &mut PgConnection,
    scope: Scope,
    unit_id: Option<i32>,
) -> QueryResult<bool> {
    let top = match (unit_id, scope) {
        (Some(unit_id), _) | (None, Scope::Subtree(unit_id)) => unit_id,
        (None, Scope::Everything) => return Ok(true),
    };
    let is_root = units::table
        .find(top)
        .select(units::parent_id.is_null())
        .first::<bool>(conn)
        .optional()?;
    Ok(is_root.unwrap_or(false))
}

/// The initiatives with these ids that lie in the scope, in the order of `ids`.
fn listed_in_order(
    conn: &mut PgConnection,
    scope: Scope,
    ids: &[i32],
) -> QueryResult<Vec<InitiativeListed>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let mut rows: Vec<ListedRow> = initiatives::table
        .inner_join(units::table)
        .filter(unit_in_scope(scope))
        .filter(initiatives::id.eq_any(ids))
        .select((Initiative::as_select(), units::name, carried_over_to()))
        .load(conn)?;
    let place: std::collections::HashMap<i32, usize> = ids
        .iter()
        .enumerate()
        .map(|(place, id)| (*id, place))
        .collect();
    rows.sort_by_key(|(initiative, _, _)| place.get(&initiative.id).copied());
    Ok(rows.into_iter().map(InitiativeListed::from_row).collect())
}

/// A search matches an initiative's own text or its unit's. The two halves are read
/// apart, each with its own index, and the second leaves out what the first finds, so
/// their pages merge and their counts add up.
#[derive(Debug, Clone, Copy)]
pub(crate) enum TextArm {
    /// No search, or both halves in one query (the exports).
    Whole,
    /// Title, description or reference.
    Own,
    /// The unit's name or code, where the initiative's own text does not match.
    UnitOnly,
}

pub(crate) fn text_arms(filter: &InitiativeFilter) -> &'static [TextArm] {
    match filter.text {
        Some(_) => &[TextArm::Own, TextArm::UnitOnly],
        None => &[TextArm::Whole],
    }
}

pub(crate) type FilteredQuery = diesel::helper_types::IntoBoxed<
    'static,
    diesel::helper_types::InnerJoin<initiatives::table, units::table>,
    Pg,
>;

/// The filter's conditions on the initiatives' own columns, added to a boxed query
/// whether or not it joins the units.
macro_rules! filter_own_columns {
    ($query:expr, $filter:expr) => {{
        let mut query = $query;
        if let Some(year) = $filter.year {
            query = query.filter(initiatives::year.eq(year));
        }
        if let Some(status) = $filter.status {
            query = query.filter(initiatives::status.eq(status));
        }
        if let Some(field) = $filter.field {
            query = query.filter(initiatives::field.eq(field));
        }
        if let Some(kind) = $filter.kind {
            query = query.filter(initiatives::kind.eq(kind));
        }
        if let Some(review) = $filter.review {
            query = query.filter(initiatives::review.eq_any(review.states().to_vec()));
        }
        query
    }};
}

pub(crate) fn filtered_arm(scope: Scope, filter: &InitiativeFilter, arm: TextArm) -> FilteredQuery {
    let mut query = initiatives::table
        .inner_join(units::table)
        .into_boxed()
        .filter(unit_in_scope(scope));
    if let Some(unit_id) = filter.unit_id {
        query = query.filter(unit_in_subtree(unit_id));
    }
    query = filter_own_columns!(query, filter);
    if let Some(text) = &filter.text {
        query = match arm {
            TextArm::Whole => query.filter(own_text_matches(text).or(unit_text_matches(text))),
            TextArm::Own => query.filter(own_text_matches(text)),
            TextArm::UnitOnly => query
                .filter(unit_text_matches(text))
                .filter(not(own_text_matches(text))),
        };
    }
    query
}

/// How many rows one arm of the filter has, up to `cap`. With every unit in the scope and
/// nothing asked of the unit, the units are not joined: a join would cost as much as
/// the tree is large before the first row was counted.
fn count_arm(
    conn: &mut PgConnection,
    scope: Scope,
    filter: &InitiativeFilter,
    arm: TextArm,
    cap: i64,
) -> QueryResult<i64> {
    let unit_free = matches!(scope, Scope::Everything)
        && filter.unit_id.is_none()
        && !matches!(
            (arm, &filter.text),
            (TextArm::Whole, Some(_)) | (TextArm::UnitOnly, _)
        );
    if unit_free {
        let mut query = initiatives::table.into_boxed();
        query = filter_own_columns!(query, filter);
        if let Some(text) = &filter.text {
            query = query.filter(own_text_matches(text));
        }
        return OverRows::count(query.select(initiatives::id).limit(cap)).get_result(conn);
    }
    let capped = filtered_arm(scope, filter, arm)
        .select(initiatives::id)
        .limit(cap);
    OverRows::count(capped).get_result(conn)
}

/// The texts the trigram indexes of migration 000010 cover; the queries must use the
/// very same expressions for PostgreSQL to use them.
const OWN_TEXT: &str = "search_key(initiatives.title || ' ' || initiatives.description || ' ' || initiatives.reference)";
pub(crate) const UNIT_TEXT: &str = "search_key(units.name || ' ' || units.code)";

pub(crate) type Condition<QS> = Box<dyn BoxableExpression<QS, Pg, SqlType = Bool>>;

fn own_text_matches<QS: 'static>(text: &SearchText) -> Condition<QS> {
    match (text, text.hyphenated_reference()) {
        // "MH3": the text as typed, or the reference "MH-3" (its unique index).
        (SearchText::Substring(typed), Some(reference)) => Box::new(
            contains::<QS>(OWN_TEXT, typed)
                .or(spelled_as::<QS>("initiatives.reference", &reference)),
        ),
        (SearchText::Substring(text), None) => contains(OWN_TEXT, text),
        (SearchText::Exact(text), _) => spelled_as("initiatives.reference", text),
    }
}

fn unit_text_matches<QS: 'static>(text: &SearchText) -> Condition<QS> {
    match text {
        SearchText::Substring(text) => contains(UNIT_TEXT, text),
        SearchText::Exact(text) => spelled_as("units.code", text),
    }
}

/// `column` is `text` as typed or in capitals ("c1" finds the unit "C1"); the unique
/// indexes on codes and references find it at once.
fn spelled_as<QS: 'static>(column: &'static str, text: &str) -> Condition<QS> {
    Box::new(
        sql::<Bool>(column)
            .sql(" IN (")
            .bind::<Text, _>(text.to_owned())
            .sql(", ")
            .bind::<Text, _>(text.to_uppercase())
            .sql(")"),
    )
}

/// `indexed` (a search_key expression) contains `text` without diacritics and case.
/// `%`, `_` and `\` typed by the person match themselves: they are escaped after
/// search_key, which may turn other characters (a full-width ％) into them.
pub(crate) fn contains<QS: 'static>(indexed: &'static str, text: &str) -> Condition<QS> {
    Box::new(
        sql::<Bool>(indexed)
            .sql(" LIKE '%' || replace(replace(replace(search_key(")
            .bind::<Text, _>(text.to_owned())
            .sql(r"), '\', '\\'), '%', '\%'), '_', '\_') || '%'"),
    )
}

/// `SELECT <aggregates> FROM (query) AS capped`: figures over the rows of a query that has
/// its own LIMIT (a count that stops at a cap, or the list's totals).
#[derive(Debug, Clone, Copy)]
pub(crate) struct OverRows<Q, ST> {
    aggregates: &'static str,
    query: Q,
    sql_type: std::marker::PhantomData<ST>,
}

impl<Q> OverRows<Q, BigInt> {
    /// How many rows the query has.
    pub(crate) fn count(query: Q) -> Self {
        OverRows::new("count(*)", query)
    }
}

impl<Q, ST> OverRows<Q, ST> {
    pub(crate) fn new(aggregates: &'static str, query: Q) -> Self {
        OverRows {
            aggregates,
            query,
            sql_type: std::marker::PhantomData,
        }
    }
}

impl<Q: QueryFragment<Pg>, ST> QueryFragment<Pg> for OverRows<Q, ST> {
    fn walk_ast<'b>(&'b self, mut out: AstPass<'_, 'b, Pg>) -> QueryResult<()> {
        out.push_sql("SELECT ");
        out.push_sql(self.aggregates);
        out.push_sql(" FROM (");
        self.query.walk_ast(out.reborrow())?;
        out.push_sql(") AS capped");
        Ok(())
    }
}

impl<Q, ST> QueryId for OverRows<Q, ST> {
    type QueryId = ();
    const HAS_STATIC_QUERY_ID: bool = false;
}

impl<Q, ST: diesel::sql_types::SqlType> Query for OverRows<Q, ST> {
    type SqlType = ST;
}

impl<Q, ST> RunQueryDsl<PgConnection> for OverRows<Q, ST> {}
