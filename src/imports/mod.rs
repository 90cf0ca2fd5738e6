//! Spreadsheet imports of units, user accounts and initiatives.
//!
//! A file is read into grids ([`sheet`]), its columns found ([`columns`]), and each row
//! checked and compared with what is stored ([`units`], [`users`], [`initiatives`]):
//! the [`Plan`] says what would be created, changed or left as it is, and every row
//! error. Planning writes nothing. [`confirm`] plans the staged file again inside one
//! transaction and applies it only when no row has an error: a file goes in whole or
//! not at all, and a file imported twice changes nothing the second time.

pub mod cells;
pub mod columns;
pub mod initiatives;
pub mod sheet;
pub mod units;
pub mod users;

use std::collections::{HashMap, HashSet};
use std::sync::{Mutex, PoisonError};

use chrono::NaiveDate;
use diesel::{PgConnection, QueryResult};
use serde::Serialize;

use crate::domain::Scope;
use crate::domain::{ImportKind, Role};
use crate::store;
use crate::store::units::Unit;
use columns::{Column, Table};

/// What a person reads when a file of theirs is being read already (in another tab,
/// or a second click): one file per person at a time.
pub const READING_ANOTHER: &str = "Đang đọc một tệp khác của bạn, hãy đợi tệp đó xong rồi gửi lại.";

/// The people whose import file is being read right now, so that each reads one at a
/// time: reading a large workbook takes memory and a few seconds, and a person
/// sending the same file from four tabs would take four times that. In-process: one
/// per application (app data), not one per database.
#[derive(Debug, Default)]
pub struct ReadingNow(Mutex<HashSet<i32>>);

/// A file being read for `user_id`; the next may start once this is dropped.
#[derive(Debug)]
pub struct Reading<'a> {
    now: &'a ReadingNow,
    user_id: i32,
}

impl ReadingNow {
    /// `None` while another file of this person is being read.
    pub fn begin(&self, user_id: i32) -> Option<Reading<'_>> {
        let started = self
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .insert(user_id);
        // Made only once the lock is let go, and only when it started: dropping one
        // takes the lock and forgets the person.
        started.then(|| Reading { now: self, user_id })
    }
}

impl Drop for Reading<'_> {
    fn drop(&mut self) {
        let mut users = self.now.0.lock().unwrap_or_else(PoisonError::into_inner);
        users.remove(&self.user_id);
    }
}

/// The largest file accepted.
pub const MAX_FILE_BYTES: usize = 10 * 1024 * 1024;

/// A problem with the file or one of its rows; `row` is the spreadsheet's row number,
/// `column` the column's header (or letter).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RowError {
    pub row: Option<usize>,
    pub column: Option<String>,
    pub message: String,
}

impl RowError {
    /// A problem with the whole file.
    pub fn file(message: impl Into<String>) -> RowError {
        RowError {
            row: None,
            column: None,
            message: message.into(),
        }
    }

    pub fn at(row: usize, column: impl Into<String>, message: impl Into<String>) -> RowError {
        let column = column.into();
        RowError {
            row: Some(row),
            column: (!column.is_empty()).then_some(column),
            message: message.into(),
        }
    }
}

/// The errors of one row, gathered while its cells are read.
pub struct RowCheck<'a> {
    pub row: usize,
    errors: &'a mut Vec<RowError>,
    failed: bool,
}

impl<'a> RowCheck<'a> {
    pub fn new(row: usize, errors: &'a mut Vec<RowError>) -> RowCheck<'a> {
        RowCheck {
            row,
            errors,
            failed: false,
        }
    }

    /// The value, or `None` with the message noted under `column`.
    pub fn take<T>(&mut self, column: &str, result: Result<T, String>) -> Option<T> {
        match result {
            Ok(value) => Some(value),
            Err(message) => {
                self.error(column, message);
                None
            }
        }
    }

    /// A value that must be there: an empty cell gets `missing`.
    pub fn require<T>(
        &mut self,
        column: &str,
        result: Result<Option<T>, String>,
        missing: &str,
    ) -> Option<T> {
        match result {
            Ok(Some(value)) => Some(value),
            Ok(None) => {
                self.error(column, missing);
                None
            }
            Err(message) => {
                self.error(column, message);
                None
            }
        }
    }

    pub fn error(&mut self, column: &str, message: impl Into<String>) {
        self.failed = true;
        self.errors.push(RowError::at(self.row, column, message));
    }

    /// Whether any error was noted for this row.
    pub fn failed(&self) -> bool {
        self.failed
    }
}

/// What the import would do with a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Action {
    Create,
    Update,
    Unchanged,
}

/// One value a row changes, as people read it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Change {
    pub column: &'static str,
    pub before: String,
    pub after: String,
}

/// Adds a change when the value differs.
pub fn compare(changes: &mut Vec<Change>, column: &'static str, before: String, after: String) {
    if before != after {
        changes.push(Change {
            column,
            before,
            after,
        });
    }
}

/// One row of the preview.
#[derive(Debug, Clone, Serialize)]
pub struct PreviewRow {
    pub row: usize,
    /// The matching key: code, username or reference.
    pub key: String,
    pub name: String,
    pub action: Action,
    pub changes: Vec<Change>,
}

impl PreviewRow {
    /// Create when there was nothing, update when something changes, else unchanged.
    pub fn new(row: usize, key: &str, name: &str, existed: bool, changes: Vec<Change>) -> Self {
        let action = match (existed, changes.is_empty()) {
            (false, _) => Action::Create,
            (true, false) => Action::Update,
            (true, true) => Action::Unchanged,
        };
        PreviewRow {
            row,
            key: key.to_owned(),
            name: name.to_owned(),
            action,
            changes,
        }
    }
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub created: usize,
    pub updated: usize,
    pub unchanged: usize,
}

/// What a person sees before confirming: every row and every error.
#[derive(Debug, Clone, Serialize)]
pub struct Preview {
    pub kind: ImportKind,
    pub rows: Vec<PreviewRow>,
    pub errors: Vec<RowError>,
    pub counts: Counts,
}

impl Preview {
    fn new(kind: ImportKind, rows: Vec<PreviewRow>, mut errors: Vec<RowError>) -> Preview {
        let count = |action| rows.iter().filter(|row| row.action == action).count();
        let counts = Counts {
            created: count(Action::Create),
            updated: count(Action::Update),
            unchanged: count(Action::Unchanged),
        };
        // File-wide problems first, then by row, each row's in column order as found.
        errors.sort_by_key(|error| error.row.map_or(0, |row| row + 1));
        Preview {
            kind,
            rows,
            errors,
            counts,
        }
    }

    pub fn has_errors(&self) -> bool {
        !self.errors.is_empty()
    }
}

/// Who imports.
#[derive(Debug, Clone, Copy)]
pub struct Importer {
    pub id: i32,
    pub role: Role,
}

/// The part of the tree the import may touch.
#[derive(Debug, Clone)]
pub enum Target {
    /// The whole tree (admins only).
    Everything,
    /// A unit and everything below it.
    Subtree(Unit),
}

impl Target {
    pub fn scope(&self) -> Scope {
        match self {
            Target::Everything => Scope::Everything,
            Target::Subtree(unit) => Scope::Subtree(unit.id),
        }
    }

    /// As the pages name it.
    pub fn name(&self) -> String {
        match self {
            Target::Everything => "Toàn hệ thống".to_owned(),
            Target::Subtree(unit) => unit.name.clone(),
        }
    }

    pub fn unit_id(&self) -> Option<i32> {
        match self {
            Target::Everything => None,
            Target::Subtree(unit) => Some(unit.id),
        }
    }

    /// The target for `unit_id` (`None`: the whole tree) if the person may import there:
    /// a unit in their scope; the whole tree for admins only.
    pub fn resolve(
        conn: &mut PgConnection,
        scope: Scope,
        unit_id: Option<i32>,
    ) -> QueryResult<Option<Target>> {
        match (unit_id, scope) {
            (None, Scope::Everything) => Ok(Some(Target::Everything)),
            (None, Scope::Subtree(_)) => Ok(None),
            (Some(id), scope) => Ok(store::units::find_in_scope(conn, scope, id)?
                .map(|unit| Target::Subtree(unit.into_inner()))),
        }
    }
}

/// Everything a plan is made against.
#[derive(Debug, Clone)]
pub struct Context {
    pub importer: Importer,
    pub target: Target,
    /// Today in Vietnam: a completion date may not be later.
    pub today: NaiveDate,
}

/// The units inside the target, by code and by id, and how to name the ones outside.
pub struct UnitsInScope {
    pub by_code: HashMap<String, Unit>,
    pub by_id: HashMap<i32, Unit>,
    /// Codes the file names that exist, but outside the target.
    outside: HashSet<String>,
    target_name: String,
}

impl UnitsInScope {
    /// Loads the target's units; `codes` are the unit codes the file names, so those
    /// outside the target can be told from those that do not exist.
    pub fn load(
        conn: &mut PgConnection,
        target: &Target,
        codes: &[String],
    ) -> QueryResult<UnitsInScope> {
        let units: Vec<Unit> = store::units::tree_in_scope(conn, target.scope(), false)?
            .into_iter()
            .map(|entry| entry.unit)
            .collect();
        let by_code: HashMap<String, Unit> = units
            .iter()
            .map(|unit| (unit.code.clone(), unit.clone()))
            .collect();
        let unknown: Vec<String> = codes
            .iter()
            .filter(|code| !by_code.contains_key(*code))
            .cloned()
            .collect();
        let outside = if unknown.is_empty() {
            HashSet::new()
        } else {
            store::units::by_codes(conn, &unknown)?
                .into_iter()
                .map(|unit| unit.code)
                .collect()
        };
        Ok(UnitsInScope {
            by_id: units.into_iter().map(|unit| (unit.id, unit)).collect(),
            by_code,
            outside,
            target_name: target.name(),
        })
    }

    /// Whether a unit code exists outside the target.
    pub fn is_outside(&self, code: &str) -> bool {
        self.outside.contains(code)
    }

    /// Why a code names no unit the import may use.
    pub fn not_usable(&self, code: &str) -> String {
        if self.is_outside(code) {
            format!(
                "Đơn vị mã “{code}” nằm ngoài phạm vi nhập ({}).",
                self.target_name
            )
        } else {
            format!("Không có đơn vị nào mã “{code}” trong hệ thống.")
        }
    }

    /// The unit with this code inside the target.
    pub fn find(&self, code: &str) -> Result<&Unit, String> {
        self.by_code.get(code).ok_or_else(|| self.not_usable(code))
    }

    /// The code of a unit inside the target, for showing a stored unit id.
    pub fn code_of(&self, id: Option<i32>) -> String {
        id.and_then(|id| self.by_id.get(&id))
            .map(|unit| unit.code.clone())
            .unwrap_or_default()
    }
}

/// Reads every data row with `read`, and notes the second and later rows that repeat
/// a key (`key` gives a row's key when its cell reads as one). Returns the rows that
/// read without an error, and every key the file holds, readable row or not.
pub fn read_rows<R>(
    table: &Table,
    errors: &mut Vec<RowError>,
    key_column: &str,
    key: impl Fn(&sheet::Cell) -> Option<String>,
    read: impl Fn(&sheet::GridRow, &mut RowCheck<'_>) -> Option<R>,
) -> (Vec<R>, HashSet<String>) {
    let mut first_row: HashMap<String, usize> = HashMap::new();
    let mut rows = Vec::new();
    for grid_row in &table.rows {
        let mut check = RowCheck::new(grid_row.number, errors);
        if let Some(key) = key(table.cell(grid_row, key_column)) {
            match first_row.get(&key) {
                Some(first) => check.error(
                    key_column,
                    format!("“{key}” trùng với dòng {first}: mỗi dòng cần một mã riêng."),
                ),
                None => {
                    first_row.insert(key, check.row);
                }
            }
        }
        if let Some(row) = read(grid_row, &mut check).filter(|_| !check.failed()) {
            rows.push(row);
        }
    }
    (rows, first_row.into_keys().collect())
}

/// The columns an import of `kind` reads.
pub fn columns_of(kind: ImportKind) -> &'static [Column] {
    match kind {
        ImportKind::Units => units::COLUMNS,
        ImportKind::Users => users::COLUMNS,
        ImportKind::Initiatives => initiatives::COLUMNS,
    }
}

/// What a kind's planner found: the preview's rows, the errors, and the writes.
pub struct Planned<S> {
    pub rows: Vec<PreviewRow>,
    pub errors: Vec<RowError>,
    pub steps: Vec<S>,
}

enum Steps {
    Units(Vec<units::Step>),
    Users(Vec<users::Step>),
    Initiatives(Vec<initiatives::Step>),
    Nothing,
}

/// A checked file: its preview, and the writes that would make it so.
pub struct Plan {
    pub preview: Preview,
    steps: Steps,
}

impl Plan {
    fn refused(kind: ImportKind, errors: Vec<RowError>) -> Plan {
        Plan {
            preview: Preview::new(kind, Vec::new(), errors),
            steps: Steps::Nothing,
        }
    }
}

/// Reads and checks a file against the database; writes nothing.
pub fn plan(
    conn: &mut PgConnection,
    kind: ImportKind,
    bytes: &[u8],
    context: &Context,
) -> QueryResult<Plan> {
    let grids = match sheet::read(bytes) {
        Ok(grids) => grids,
        Err(problem) => {
            return Ok(Plan::refused(
                kind,
                vec![RowError::file(problem.message_vi())],
            ));
        }
    };
    let table = match columns::locate(&grids, columns_of(kind)) {
        Ok(table) => table,
        Err(errors) => return Ok(Plan::refused(kind, errors)),
    };
    let (rows, errors, steps) = match kind {
        ImportKind::Units => {
            let planned = units::plan(conn, &table, context)?;
            (planned.rows, planned.errors, Steps::Units(planned.steps))
        }
        ImportKind::Users => {
            let planned = users::plan(conn, &table, context)?;
            (planned.rows, planned.errors, Steps::Users(planned.steps))
        }
        ImportKind::Initiatives => {
            let planned = initiatives::plan(conn, &table, context)?;
            (
                planned.rows,
                planned.errors,
                Steps::Initiatives(planned.steps),
            )
        }
    };
    Ok(Plan {
        preview: Preview::new(kind, rows, errors),
        steps,
    })
}

/// A temporary password for an account an import will create, hashed beforehand (on
/// the bounded hashing path, outside any transaction); see [`accounts_to_create`].
#[derive(Debug, Clone)]
pub struct TemporaryPassword {
    pub clear: String,
    pub hash: String,
}

/// An account an import created, with the temporary password shown once.
#[derive(Debug, Clone, Serialize)]
pub struct NewAccount {
    pub username: String,
    pub display_name: String,
    pub password: String,
}

/// What a confirmed import did.
#[derive(Debug, Clone, Serialize)]
pub struct Applied {
    pub counts: Counts,
    pub new_accounts: Vec<NewAccount>,
}

/// How a confirmation went.
pub enum Confirmed {
    Applied(Applied),
    /// The file no longer goes in cleanly (the data changed since the preview):
    /// nothing was written.
    Refused(Preview),
    /// It was applied before (a second click, another tab).
    AlreadyApplied,
}

/// Why an import could not be counted or confirmed; the web layer answers each.
#[derive(Debug, thiserror::Error)]
pub enum ImportError {
    /// No staged file with this id was uploaded by this person.
    #[error("no staged import with this id belongs to the importer")]
    BatchNotFound,
    /// The unit the file was staged for is no longer in the importer's scope.
    #[error("the import's target unit is outside the importer's scope")]
    TargetOutOfScope,
    /// The importer's role may not import this kind of data.
    #[error("the importer's role may not import this kind of data")]
    KindNotAllowed,
    #[error("the import failed in the database")]
    Database(#[from] diesel::result::Error),
}

/// Why writing a checked plan failed.
#[derive(Debug)]
pub enum ApplyError {
    /// A code, username or reference the plan found free was taken meanwhile.
    Conflict,
    Failed(diesel::result::Error),
}

impl From<diesel::result::Error> for ApplyError {
    fn from(error: diesel::result::Error) -> ApplyError {
        if store::is_unique_violation(&error) {
            ApplyError::Conflict
        } else {
            ApplyError::Failed(error)
        }
    }
}

const CHANGED_MEANWHILE: &str = "Trong lúc nhập, dữ liệu vừa được người khác thay đổi (một mã \
     hoặc tên đăng nhập vừa được dùng). Chưa có gì được ghi; hãy xem lại và xác nhận lần nữa.";

enum Abort {
    Refused(Box<Preview>),
    Failed(ImportError),
}

impl From<diesel::result::Error> for Abort {
    fn from(error: diesel::result::Error) -> Abort {
        Abort::Failed(error.into())
    }
}

impl store::tx::TransactionError for Abort {
    fn is_retryable(&self) -> bool {
        matches!(self, Abort::Failed(ImportError::Database(error)) if store::tx::is_retryable(error))
    }
}

impl From<ImportError> for Abort {
    fn from(error: ImportError) -> Abort {
        Abort::Failed(error)
    }
}

/// How many accounts confirming the staged batch `batch_id` would create as the data
/// stands now (0 for a batch applied already or of another kind), so that their
/// temporary passwords can be hashed before [`confirm`] opens its transaction.
pub fn accounts_to_create(
    conn: &mut PgConnection,
    batch_id: i32,
    importer: Importer,
    scope: Scope,
    today: NaiveDate,
) -> Result<usize, ImportError> {
    let batch =
        store::imports::find_own(conn, batch_id, importer.id)?.ok_or(ImportError::BatchNotFound)?;
    if batch.applied_at.is_some() || batch.kind != ImportKind::Users {
        return Ok(0);
    }
    let Some(target) = Target::resolve(conn, scope, batch.scope_unit_id)? else {
        return Ok(0);
    };
    let context = Context {
        importer,
        target,
        today,
    };
    let plan = plan(conn, batch.kind, &batch.bytes, &context)?;
    Ok(match plan.steps {
        Steps::Users(steps) => steps
            .iter()
            .filter(|step| matches!(step, users::Step::Create { .. }))
            .count(),
        _ => 0,
    })
}

/// Applies the staged batch `batch_id` of `importer` in one transaction: locks it, plans
/// it again against the data as it is now, and writes everything or, when any row has
/// an error, nothing. `scope` is the importer's own scope (the target must still be in it).
/// New accounts take their passwords from `passwords` (see [`accounts_to_create`]); when
/// the data changed meanwhile and more are needed, nothing is written and the preview
/// says the data changed.
pub fn confirm(
    conn: &mut PgConnection,
    batch_id: i32,
    importer: Importer,
    scope: Scope,
    today: NaiveDate,
    passwords: &[TemporaryPassword],
) -> Result<Confirmed, ImportError> {
    let outcome = store::write_transaction::<Confirmed, Abort, _>(conn, |conn| {
        let batch = store::imports::lock_own(conn, batch_id, importer.id)?
            .ok_or(ImportError::BatchNotFound)?;
        if batch.applied_at.is_some() {
            return Ok(Confirmed::AlreadyApplied);
        }
        if !crate::auth::permissions::role_may_import(importer.role, batch.kind) {
            return Err(Abort::Failed(ImportError::KindNotAllowed));
        }
        let target = Target::resolve(conn, scope, batch.scope_unit_id)?
            .ok_or(ImportError::TargetOutOfScope)?;
        let context = Context {
            importer,
            target,
            today,
        };
        let reason = format!("Nhập từ tệp “{}”", batch.file_name);
        store::set_actor(conn, Some(importer.id), Some(&reason))?;
        let Plan { mut preview, steps } = plan(conn, batch.kind, &batch.bytes, &context)?;
        if preview.has_errors() {
            return Err(Abort::Refused(Box::new(preview)));
        }
        let written = match steps {
            Steps::Units(steps) => units::apply(conn, steps).map(|()| Vec::new()),
            Steps::Users(steps) => users::apply(conn, steps, passwords),
            Steps::Initiatives(steps) => {
                initiatives::apply(conn, importer.id, steps).map(|()| Vec::new())
            }
            Steps::Nothing => Ok(Vec::new()),
        };
        let new_accounts = match written {
            Ok(accounts) => accounts,
            Err(ApplyError::Conflict) => {
                preview.errors.push(RowError::file(CHANGED_MEANWHILE));
                return Err(Abort::Refused(Box::new(preview)));
            }
            Err(ApplyError::Failed(error)) => return Err(Abort::Failed(error.into())),
        };
        store::imports::mark_applied(conn, batch.id)?;
        Ok(Confirmed::Applied(Applied {
            counts: preview.counts,
            new_accounts,
        }))
    });
    match outcome {
        Ok(confirmed) => Ok(confirmed),
        Err(Abort::Refused(preview)) => Ok(Confirmed::Refused(*preview)),
        Err(Abort::Failed(error)) => Err(error),
    }
}
