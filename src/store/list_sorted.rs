//! The initiatives list page in any sort, read by keyset: the newest year first, then
//! the chosen column, then the id. One year at a time, so every page is one index range
//! per year ((year, column, id), migration 001420) over the whole tree, or the subtree's
//! own rows inside a subtree; and the totals of the filtered list, from the roll-ups
//! when they can answer, else summed over the matches up to the count's cap.

use diesel::dsl::sql;
use diesel::prelude::*;
use diesel::sql_types::{BigInt, Date, Integer, Nullable, Text, Timestamptz};

use crate::domain::Scope;
use crate::domain::cursor::PageStart;
use crate::domain::list_sort::{Direction, ListPosition, ListSort, SortColumn, SortValue};
use crate::schema::{initiatives, units};
use crate::store::initiative_list::{
    Condition, InitiativeFilter, ListPage, OverRows, TextArm, filtered_arm, reaches_whole_tree,
    text_arms,
};
use crate::store::initiatives::{
    Initiative, InitiativeExported, InitiativeListed, ListedRow, carried_over_to,
};
use crate::store::unit_in_scope;

/// Which page of the sorted list to read.
#[derive(Debug, Clone)]
pub struct SortedRequest {
    pub sort: ListSort,
    pub start: PageStart<ListPosition>,
    /// Rows to skip from the start: direct links to a page number near the first page
    /// (the caller keeps it under the count's cap, so it stays bounded).
    pub offset: i64,
    pub per_page: i64,
}

/// Where `row` stands in a list sorted on `column` (what its page link carries).
pub fn position(row: &InitiativeListed, column: SortColumn) -> ListPosition {
    let initiative = &row.initiative;
    let value = match column {
        SortColumn::Newest => SortValue::None,
        SortColumn::Unit => SortValue::Unit(row.unit_name.clone(), initiative.unit_id),
        SortColumn::Title => SortValue::Text(initiative.title.clone()),
        SortColumn::Cost => SortValue::Number(initiative.estimated_cost_vnd),
        SortColumn::Value => SortValue::Number(initiative.actual_value_vnd.unwrap_or(NO_VALUE)),
        SortColumn::Status => SortValue::Text(initiative.status.as_str().to_owned()),
        SortColumn::Due => SortValue::Date(initiative.due_date),
        SortColumn::Updated => SortValue::Moment(initiative.updated_at),
    };
    ListPosition {
        year: initiative.year,
        value,
        id: initiative.id,
    }
}

/// What an initiative with no actual value yet sorts as: below every value.
const NO_VALUE: i64 = -1;

/// One page of the initiatives in scope that match the filter, in the request's sort.
pub fn page(
    conn: &mut PgConnection,
    scope: Scope,
    filter: &InitiativeFilter,
    request: &SortedRequest,
) -> QueryResult<ListPage<InitiativeListed>> {
    let sort = request.sort;
    let (direction, from, backward) = match &request.start {
        PageStart::First => (sort.direction, None, false),
        PageStart::After(position) => (sort.direction, Some(position), false),
        PageStart::Before(position) => (sort.direction.reversed(), Some(position), true),
    };
    let whole_tree = reaches_whole_tree(conn, scope, filter.unit_id)?;
    if !whole_tree {
        // Inside a subtree the planner cannot tell how many units `path <@` keeps, and
        // with a parallel plan on offer it scans every unit of the country (50 ms at
        // 50,000 units) instead of taking the subtree from units_path_idx (0.5 ms for a
        // bloc, BENCHMARKS.md). For the rest of this read-only snapshot only.
        diesel::sql_query("SET LOCAL max_parallel_workers_per_gather = 0").execute(conn)?;
    }
    let keys = SortKeys {
        column: sort.column,
        direction,
        opaque: !whole_tree,
    };
    let limit = request.offset + request.per_page + 1;
    let mut years = match filter.year {
        Some(year) => vec![year],
        None => years_newest_first(conn)?,
    };
    if backward {
        years.reverse();
    }
    let mut ids = Vec::new();
    for year in years {
        let keyset = match from {
            Some(position) if position.year == year => Some(position),
            // Years the cursor has already passed in the reading order.
            Some(position) if (year > position.year) != backward => continue,
            _ => None,
        };
        let filter = InitiativeFilter {
            year: Some(year),
            ..filter.clone()
        };
        for &arm in text_arms(&filter) {
            ids.extend(keys.ids(conn, scope, &filter, arm, keyset, limit)?);
        }
        // The year's rows all come before the next year's: enough of them ends the page.
        if ids.len() as i64 >= limit {
            break;
        }
    }
    let mut rows = keys.rows_in_order(conn, scope, &ids, !backward, limit)?;
    let more = rows.len() as i64 > request.offset + request.per_page;
    let skip = usize::try_from(request.offset).unwrap_or(0).min(rows.len());
    rows.drain(..skip);
    rows.truncate(usize::try_from(request.per_page).unwrap_or(0));
    let (has_previous, has_next) = match request.start {
        PageStart::First => (request.offset > 0, more),
        PageStart::After(_) => (true, more),
        PageStart::Before(_) if (rows.len() as i64) < request.per_page => {
            // Fewer rows than a page lie before the cursor: they begin the list, so show
            // the first page, full.
            let first = SortedRequest {
                start: PageStart::First,
                offset: 0,
                ..request.clone()
            };
            return page(conn, scope, filter, &first);
        }
        PageStart::Before(_) => {
            rows.reverse();
            (more, true)
        }
    };
    Ok(ListPage {
        rows,
        has_previous,
        has_next,
    })
}

/// The years that have initiatives, newest first: one index probe a year on
/// initiatives_year_unit_idx, however many rows a year has.
fn years_newest_first(conn: &mut PgConnection) -> QueryResult<Vec<i32>> {
    #[derive(QueryableByName)]
    struct YearRow {
        #[diesel(sql_type = Integer)]
        year: i32,
    }
    let rows: Vec<YearRow> = diesel::sql_query(
        "WITH RECURSIVE listed(year) AS (
             (SELECT year FROM initiatives ORDER BY year DESC LIMIT 1)
             UNION ALL
             SELECT (SELECT i.year FROM initiatives i WHERE i.year < listed.year
                      ORDER BY i.year DESC LIMIT 1)
               FROM listed WHERE listed.year IS NOT NULL)
         SELECT year FROM listed WHERE year IS NOT NULL",
    )
    .load(conn)?;
    Ok(rows.into_iter().map(|row| row.year).collect())
}

/// The sort as SQL: its key expressions and the direction pages are read in.
#[derive(Debug, Clone, Copy)]
struct SortKeys {
    column: SortColumn,
    direction: Direction,
    /// Inside a subtree the keys are written so that no index matches them: PostgreSQL
    /// then reads the subtree's rows through its units and sorts them (the cost of the
    /// subtree) instead of walking the country's index until a page of the subtree's
    /// rows turns up (the cost of the country, for a small unit).
    opaque: bool,
}

impl SortKeys {
    /// The key expressions, the id last.
    fn terms(&self) -> Vec<&'static str> {
        let key: &[&'static str] = match (self.column, self.opaque) {
            (SortColumn::Newest, _) => &[],
            (SortColumn::Unit, false) => &["units.name", "units.id"],
            (SortColumn::Unit, true) => &["(units.name || '')", "(units.id + 0)"],
            (SortColumn::Title, false) => &["initiatives.title"],
            (SortColumn::Title, true) => &["(initiatives.title || '')"],
            (SortColumn::Cost, false) => &["initiatives.estimated_cost_vnd"],
            (SortColumn::Cost, true) => &["(initiatives.estimated_cost_vnd + 0)"],
            (SortColumn::Value, false) => &["COALESCE(initiatives.actual_value_vnd, -1)"],
            (SortColumn::Value, true) => &["(COALESCE(initiatives.actual_value_vnd, -1) + 0)"],
            (SortColumn::Status, false) => &["initiatives.status"],
            (SortColumn::Status, true) => &["(initiatives.status || '')"],
            (SortColumn::Due, false) => &["initiatives.due_date"],
            (SortColumn::Due, true) => &["(initiatives.due_date + 0)"],
            (SortColumn::Updated, false) => &["initiatives.updated_at"],
            (SortColumn::Updated, true) => &["(initiatives.updated_at + interval '0 s')"],
        };
        let id = if self.opaque {
            "(initiatives.id + 0)"
        } else {
            "initiatives.id"
        };
        key.iter().copied().chain([id]).collect()
    }

    fn order_by(&self, terms: &[&str], direction: Direction) -> String {
        let word = match direction {
            Direction::Ascending => " ASC",
            Direction::Descending => " DESC",
        };
        terms
            .iter()
            .map(|term| format!("{term}{word}"))
            .collect::<Vec<_>>()
            .join(", ")
    }

    /// The ids of at most `limit` rows of one arm of the filter (one year), in reading
    /// order, after `keyset` when given.
    fn ids(
        &self,
        conn: &mut PgConnection,
        scope: Scope,
        filter: &InitiativeFilter,
        arm: TextArm,
        keyset: Option<&ListPosition>,
        limit: i64,
    ) -> QueryResult<Vec<i32>> {
        let terms = self.terms();
        let mut query = filtered_arm(scope, filter, arm).select(initiatives::id);
        if let Some(position) = keyset {
            let Some(after) = self.after(&terms, position) else {
                // A cursor whose key does not fit the sort: nothing lies after it.
                return Ok(Vec::new());
            };
            query = query.filter(after);
            if let Some(units_from) = self.units_from(position) {
                query = query.filter(units_from);
            }
        }
        query
            .order(sql::<BigInt>(&self.order_by(&terms, self.direction)))
            .limit(limit)
            .load(conn)
    }

    /// The row comparison "comes after `position` in the reading order".
    fn after<QS: 'static>(&self, terms: &[&str], position: &ListPosition) -> Option<Condition<QS>> {
        let operator = match self.direction {
            Direction::Ascending => ">",
            Direction::Descending => "<",
        };
        let head = format!("({}) {operator} (", terms.join(", "));
        let id = position.id;
        let condition: Condition<QS> = match (&position.value, self.column) {
            (SortValue::None, SortColumn::Newest) => Box::new(
                sql::<diesel::sql_types::Bool>(&head)
                    .bind::<Integer, _>(id)
                    .sql(")"),
            ),
            (SortValue::Text(text), SortColumn::Title | SortColumn::Status) => Box::new(
                sql::<diesel::sql_types::Bool>(&head)
                    .bind::<Text, _>(text.clone())
                    .sql(", ")
                    .bind::<Integer, _>(id)
                    .sql(")"),
            ),
            (SortValue::Number(number), SortColumn::Cost | SortColumn::Value) => Box::new(
                sql::<diesel::sql_types::Bool>(&head)
                    .bind::<BigInt, _>(*number)
                    .sql(", ")
                    .bind::<Integer, _>(id)
                    .sql(")"),
            ),
            (SortValue::Date(date), SortColumn::Due) => Box::new(
                sql::<diesel::sql_types::Bool>(&head)
                    .bind::<Date, _>(*date)
                    .sql(", ")
                    .bind::<Integer, _>(id)
                    .sql(")"),
            ),
            (SortValue::Moment(moment), SortColumn::Updated) => Box::new(
                sql::<diesel::sql_types::Bool>(&head)
                    .bind::<Timestamptz, _>(*moment)
                    .sql(", ")
                    .bind::<Integer, _>(id)
                    .sql(")"),
            ),
            (SortValue::Unit(name, unit_id), SortColumn::Unit) => Box::new(
                sql::<diesel::sql_types::Bool>(&head)
                    .bind::<Text, _>(name.clone())
                    .sql(", ")
                    .bind::<Integer, _>(*unit_id)
                    .sql(", ")
                    .bind::<Integer, _>(id)
                    .sql(")"),
            ),
            _ => return None,
        };
        Some(condition)
    }

    /// Over the whole tree in unit order: the same condition on the units alone, which
    /// their (name, id) index can start from (the three-column one spans two tables).
    fn units_from<QS: 'static>(&self, position: &ListPosition) -> Option<Condition<QS>> {
        let SortValue::Unit(name, unit_id) = &position.value else {
            return None;
        };
        if self.opaque {
            return None;
        }
        let operator = match self.direction {
            Direction::Ascending => ">=",
            Direction::Descending => "<=",
        };
        Some(Box::new(
            sql::<diesel::sql_types::Bool>(&format!("(units.name, units.id) {operator} ("))
                .bind::<Text, _>(name.clone())
                .sql(", ")
                .bind::<Integer, _>(*unit_id)
                .sql(")"),
        ))
    }

    /// The rows with these ids in scope, newest year first when `forward` (else the
    /// reverse), then in the reading order of the keys; at most `limit`.
    fn rows_in_order(
        &self,
        conn: &mut PgConnection,
        scope: Scope,
        ids: &[i32],
        forward: bool,
        limit: i64,
    ) -> QueryResult<Vec<InitiativeListed>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let year = if forward {
            "initiatives.year DESC"
        } else {
            "initiatives.year ASC"
        };
        let plain = SortKeys {
            opaque: false,
            ..*self
        };
        let order = format!("{year}, {}", plain.order_by(&plain.terms(), self.direction));
        let rows: Vec<ListedRow> = initiatives::table
            .inner_join(units::table)
            .filter(unit_in_scope(scope))
            .filter(initiatives::id.eq_any(ids))
            .select((Initiative::as_select(), units::name, carried_over_to()))
            .order(sql::<BigInt>(&order))
            .limit(limit)
            .load(conn)?;
        Ok(rows.into_iter().map(InitiativeListed::from_row).collect())
    }
}

/// Calls `each` with every initiative in scope that matches the filter, in the list's
/// sort (the export of the list): the same filter as the pages, as one query read one
/// row at a time, so memory stays flat however many rows there are. Stops when `each`
/// returns false.
pub fn for_each_sorted(
    conn: &mut PgConnection,
    scope: Scope,
    filter: &InitiativeFilter,
    sort: ListSort,
    mut each: impl FnMut(InitiativeExported) -> bool,
) -> QueryResult<()> {
    let keys = SortKeys {
        column: sort.column,
        direction: sort.direction,
        opaque: false,
    };
    let order = format!(
        "initiatives.year DESC, {}",
        keys.order_by(&keys.terms(), sort.direction)
    );
    let rows = filtered_arm(scope, filter, TextArm::Whole)
        .select((Initiative::as_select(), units::code, units::name))
        .order(sql::<BigInt>(&order))
        .load_iter::<(Initiative, String, String), diesel::pg::PgRowByRowLoadingMode>(conn)?;
    for row in rows {
        let (initiative, unit_code, unit_name) = row?;
        let exported = InitiativeExported {
            initiative,
            unit_code,
            unit_name,
        };
        if !each(exported) {
            break;
        }
    }
    Ok(())
}

/// The totals of a filtered list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct ListTotals {
    pub count: i64,
    pub estimated_cost_vnd: i64,
    /// Of completed initiatives only, as the roll-ups count it.
    pub actual_value_vnd: i64,
    /// More match than the cap: the sums are not shown.
    pub over_cap: bool,
}

/// The totals of the initiatives in scope that match the filter. A filter on year,
/// unit and field only is answered by the roll-ups (a few rows, whatever the scope's
/// size); any other is summed over the matches, reading no more than `cap` of them.
pub fn totals(
    conn: &mut PgConnection,
    scope: Scope,
    filter: &InitiativeFilter,
    cap: i64,
) -> QueryResult<ListTotals> {
    let rollups_answer = filter.status.is_none()
        && filter.kind.is_none()
        && filter.review.is_none()
        && filter.text.is_none();
    if rollups_answer {
        return from_rollups(conn, scope, filter);
    }
    let (mut count, mut cost, mut value) = (0, 0, 0);
    for &arm in text_arms(filter) {
        let capped = filtered_arm(scope, filter, arm)
            .select(sql::<(BigInt, Nullable<BigInt>)>(
                "initiatives.estimated_cost_vnd AS cost, \
                 CASE WHEN initiatives.status = 'completed' \
                      THEN initiatives.actual_value_vnd END AS value",
            ))
            .limit(cap);
        let (arm_count, arm_cost, arm_value): (i64, i64, i64) =
            OverRows::<_, (BigInt, BigInt, BigInt)>::new(
                "count(*), coalesce(sum(cost), 0)::bigint, coalesce(sum(value), 0)::bigint",
                capped,
            )
            .get_result(conn)?;
        count += arm_count;
        cost += arm_cost;
        value += arm_value;
    }
    Ok(ListTotals {
        count: count.min(cap),
        estimated_cost_vnd: cost,
        actual_value_vnd: value,
        over_cap: count >= cap,
    })
}

fn from_rollups(
    conn: &mut PgConnection,
    scope: Scope,
    filter: &InitiativeFilter,
) -> QueryResult<ListTotals> {
    #[derive(QueryableByName)]
    struct Sums {
        #[diesel(sql_type = BigInt)]
        count: i64,
        #[diesel(sql_type = BigInt)]
        cost: i64,
        #[diesel(sql_type = BigInt)]
        value: i64,
    }
    let top = match (filter.unit_id, scope) {
        (Some(unit_id), _) | (None, Scope::Subtree(unit_id)) => Some(unit_id),
        (None, Scope::Everything) => None,
    };
    let sums: Sums = diesel::sql_query(
        "SELECT coalesce(sum(registered), 0)::bigint AS count,
                coalesce(sum(estimated_cost_vnd), 0)::bigint AS cost,
                coalesce(sum(actual_value_vnd), 0)::bigint AS value
           FROM subtree_stats
          WHERE unit_id = ANY (CASE WHEN $1::integer IS NULL
                                    THEN ARRAY(SELECT id FROM units WHERE parent_id IS NULL)
                                    ELSE ARRAY[$1::integer] END)
            AND ($2::integer IS NULL OR year = $2)
            AND ($3::text IS NULL OR field = $3)",
    )
    .bind::<Nullable<Integer>, _>(top)
    .bind::<Nullable<Integer>, _>(filter.year)
    .bind::<Nullable<Text>, _>(filter.field.map(|field| field.as_str()))
    .get_result(conn)?;
    Ok(ListTotals {
        count: sums.count,
        estimated_cost_vnd: sums.cost,
        actual_value_vnd: sums.value,
        over_cap: false,
    })
}
