//! What every kind of import does, row by row: read a row's cells (no database),
//! compare the rows with what is stored, and write the changes. [`RowImporter`] is the
//! one shape of units, accounts and initiatives; [`plan_each`] the loop they share,
//! collecting each row's line in the preview, its write and its errors.

use chrono::NaiveDate;
use diesel::{PgConnection, QueryResult};

use crate::imports::columns::{Column, Table};
use crate::imports::sheet::{Cell, GridRow};
use crate::imports::{
    ApplyError, Change, Context, NewAccount, PreviewRow, RowCheck, RowError, Rows,
    TemporaryPassword, read_rows,
};

/// One kind of import.
pub trait RowImporter {
    /// A row whose cells all read.
    type Row: Clone + std::fmt::Debug;
    /// One write.
    type Step;
    /// The columns the kind reads.
    const COLUMNS: &'static [Column];
    /// The column a row is matched by: a code, a username, a reference.
    const KEY: &'static str;

    /// A row's key, when its cell reads as one (for the rows that repeat a key).
    fn key(cell: &Cell) -> Option<String>;

    /// Reads one row's cells, noting every problem in `check`; `today` (in Vietnam)
    /// bounds dates.
    fn read_row(
        table: &Table,
        grid_row: &GridRow,
        check: &mut RowCheck<'_>,
        today: NaiveDate,
    ) -> Option<Self::Row>;

    /// Compares the rows with what is stored inside the target; writes nothing.
    fn plan(
        conn: &mut PgConnection,
        rows: Rows<Self::Row>,
        context: &Context,
    ) -> QueryResult<Planned<Self::Step>>;

    /// Writes the steps inside the caller's transaction, which has named the actor.
    fn apply(
        conn: &mut PgConnection,
        steps: Vec<Self::Step>,
        writer: &Writer<'_>,
    ) -> Result<Vec<NewAccount>, ApplyError>;

    /// Reads every row of the table (no database).
    fn read(table: &Table, today: NaiveDate) -> Rows<Self::Row> {
        read_rows(table, Self::KEY, Self::key, |grid_row, check| {
            Self::read_row(table, grid_row, check, today)
        })
    }
}

/// Who writes, and the temporary passwords of the accounts created (hashed beforehand).
pub struct Writer<'a> {
    pub actor_id: i32,
    pub passwords: &'a [TemporaryPassword],
}

/// What a kind's planner found: the preview's rows, the errors, and the writes.
pub struct Planned<S> {
    pub rows: Vec<PreviewRow>,
    pub errors: Vec<RowError>,
    pub steps: Vec<S>,
}

/// One row's line in the preview and its write.
pub struct RowPlan<S> {
    preview: PreviewRow,
    step: Option<S>,
}

impl<S> RowPlan<S> {
    /// A row that creates (`existed` false) or updates: a new one is always written, a
    /// stored one only when something changes (`step` is called only then).
    pub fn new(
        row: usize,
        key: &str,
        name: &str,
        existed: bool,
        changes: Vec<Change>,
        step: impl FnOnce() -> S,
    ) -> RowPlan<S> {
        let written = !existed || !changes.is_empty();
        RowPlan {
            preview: PreviewRow::new(row, key, name, existed, changes),
            step: written.then(step),
        }
    }
}

/// Plans every item with `plan_row`, each with its own [`RowCheck`] (its row's number
/// given by `number`), after the `errors` found so far: an item that notes an error, or
/// gives no plan, gets no line and no write.
pub fn plan_each<T, S>(
    items: impl IntoIterator<Item = T>,
    mut errors: Vec<RowError>,
    number: impl Fn(&T) -> usize,
    mut plan_row: impl FnMut(T, &mut RowCheck<'_>) -> Option<RowPlan<S>>,
) -> Planned<S> {
    let mut rows = Vec::new();
    let mut steps = Vec::new();
    for item in items {
        let mut check = RowCheck::new(number(&item), &mut errors);
        let planned = plan_row(item, &mut check);
        if let Some(planned) = planned.filter(|_| !check.failed()) {
            rows.push(planned.preview);
            steps.extend(planned.step);
        }
    }
    Planned {
        rows,
        errors,
        steps,
    }
}
