//! Spreadsheet imports of units, user accounts and initiatives.
//!
//! A file is read into grids ([`sheet`]), its columns found ([`columns`]), and each row
//! checked ([`read`], CPU work done before any connection is taken), then compared with
//! what is stored ([`plan`]; [`units`], [`users`], [`initiatives`]): the [`Plan`] says
//! what would be created, changed or left as it is, and every row error. Planning
//! writes nothing. `app::imports::confirm` plans the staged file again inside one
//! transaction and applies it only when no row has an error: a file goes in whole or
//! not at all, and a file imported twice changes nothing the second time.

pub mod cells;
pub mod columns;
pub mod initiatives;
pub mod row_importer;
pub mod sheet;
pub mod template;
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
pub use row_importer::{Planned, RowImporter, RowPlan, Writer, plan_each};

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
}

/// The units inside the target that a file's rows name, by code and by id, and how to
/// name the ones outside.
pub struct UnitsInScope {
    pub by_code: HashMap<String, Unit>,
    pub by_id: HashMap<i32, Unit>,
    /// Codes the file names that exist, but outside the target.
    outside: HashSet<String>,
    target_name: String,
}

impl UnitsInScope {
    /// Looks up inside the target (in the query's WHERE) the units with one of `codes`
    /// (the unit codes the file names) or `ids` (the units of the stored rows the file
    /// matches), and with `ancestors` every unit of the target above them. The codes not
    /// found there are looked up once more anywhere, so that those outside the target
    /// can be told from those that do not exist.
    pub fn load(
        conn: &mut PgConnection,
        target: &Target,
        codes: &[String],
        ids: &[i32],
        ancestors: bool,
    ) -> QueryResult<UnitsInScope> {
        let units: Vec<Unit> =
            store::units::named_in_scope(conn, target.scope(), codes, ids, ancestors)?
                .into_iter()
                .map(store::InScope::into_inner)
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

/// The rows of a file whose cells all read, the errors of the others, and every key the
/// file holds, readable row or not.
#[derive(Debug, Clone)]
pub struct Rows<R> {
    pub rows: Vec<R>,
    pub keys: HashSet<String>,
    pub errors: Vec<RowError>,
    /// The headers of the columns the file has.
    present: HashSet<&'static str>,
}

impl<R> Rows<R> {
    /// Whether the file has this column.
    pub fn has(&self, header: &str) -> bool {
        self.present.contains(header)
    }
}

/// Reads every data row with `read`, and notes the second and later rows that repeat
/// a key (`key` gives a row's key when its cell reads as one).
pub fn read_rows<R>(
    table: &Table,
    key_column: &str,
    key: impl Fn(&sheet::Cell) -> Option<String>,
    read: impl Fn(&sheet::GridRow, &mut RowCheck<'_>) -> Option<R>,
) -> Rows<R> {
    let mut errors = Vec::new();
    let mut first_row: HashMap<String, usize> = HashMap::new();
    let mut rows = Vec::new();
    for grid_row in &table.rows {
        let mut check = RowCheck::new(grid_row.number, &mut errors);
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
    Rows {
        rows,
        keys: first_row.into_keys().collect(),
        errors,
        present: table.headers().collect(),
    }
}

/// The columns an import of `kind` reads.
pub fn columns_of(kind: ImportKind) -> &'static [Column] {
    match kind {
        ImportKind::Units => units::Units::COLUMNS,
        ImportKind::Users => users::Users::COLUMNS,
        ImportKind::Initiatives => initiatives::Initiatives::COLUMNS,
    }
}

/// A file read into rows, without the database: [`plan`] compares them with the data.
#[derive(Debug, Clone)]
pub struct ReadFile {
    pub kind: ImportKind,
    rows: ReadRows,
}

#[derive(Debug, Clone)]
enum ReadRows {
    /// The file could not be read, or lacks a column: nothing to compare.
    Refused(Vec<RowError>),
    Units(Rows<units::Row>),
    Users(Rows<users::Row>),
    Initiatives(Rows<initiatives::Row>),
}

impl ReadFile {
    /// Whether confirming it may create accounts (whose passwords are hashed first).
    pub fn may_create_accounts(&self) -> bool {
        matches!(self.rows, ReadRows::Users(_))
    }
}

/// Reads a file of `kind` and checks every cell; `today` (in Vietnam) bounds completion
/// dates. CPU work only: it runs before a connection is taken.
pub fn read(kind: ImportKind, bytes: &[u8], today: NaiveDate) -> ReadFile {
    let rows = match read_table(kind, bytes) {
        Err(errors) => ReadRows::Refused(errors),
        Ok(table) => match kind {
            ImportKind::Units => ReadRows::Units(units::Units::read(&table, today)),
            ImportKind::Users => ReadRows::Users(users::Users::read(&table, today)),
            ImportKind::Initiatives => {
                ReadRows::Initiatives(initiatives::Initiatives::read(&table, today))
            }
        },
    };
    ReadFile { kind, rows }
}

fn read_table(kind: ImportKind, bytes: &[u8]) -> Result<Table, Vec<RowError>> {
    let grids = sheet::read(bytes).map_err(|problem| vec![RowError::file(problem.message_vi())])?;
    columns::locate(&grids, columns_of(kind))
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
    pub writes: Writes,
}

/// The writes of a [`Plan`].
pub struct Writes(Steps);

impl Plan {
    fn refused(kind: ImportKind, errors: Vec<RowError>) -> Plan {
        Plan {
            preview: Preview::new(kind, Vec::new(), errors),
            writes: Writes(Steps::Nothing),
        }
    }
}

/// Compares a read file with the database; writes nothing.
pub fn plan(conn: &mut PgConnection, file: ReadFile, context: &Context) -> QueryResult<Plan> {
    let kind = file.kind;
    let (rows, errors, steps) = match file.rows {
        ReadRows::Refused(errors) => return Ok(Plan::refused(kind, errors)),
        ReadRows::Units(rows) => plan_as::<units::Units>(conn, rows, context, Steps::Units)?,
        ReadRows::Users(rows) => plan_as::<users::Users>(conn, rows, context, Steps::Users)?,
        ReadRows::Initiatives(rows) => {
            plan_as::<initiatives::Initiatives>(conn, rows, context, Steps::Initiatives)?
        }
    };
    Ok(Plan {
        preview: Preview::new(kind, rows, errors),
        writes: Writes(steps),
    })
}

fn plan_as<I: RowImporter>(
    conn: &mut PgConnection,
    rows: Rows<I::Row>,
    context: &Context,
    steps: fn(Vec<I::Step>) -> Steps,
) -> QueryResult<(Vec<PreviewRow>, Vec<RowError>, Steps)> {
    let planned = I::plan(conn, rows, context)?;
    Ok((planned.rows, planned.errors, steps(planned.steps)))
}

impl Writes {
    /// How many accounts these writes create: each needs a temporary password.
    pub fn accounts_to_create(&self) -> usize {
        match &self.0 {
            Steps::Users(steps) => steps
                .iter()
                .filter(|step| matches!(step, users::Step::Create { .. }))
                .count(),
            _ => 0,
        }
    }

    /// Writes everything inside the caller's transaction, which has named the actor;
    /// new accounts take their passwords from `passwords` (hashed beforehand).
    pub fn apply(
        self,
        conn: &mut PgConnection,
        actor_id: i32,
        passwords: &[TemporaryPassword],
    ) -> Result<Vec<NewAccount>, ApplyError> {
        let writer = Writer {
            actor_id,
            passwords,
        };
        match self.0 {
            Steps::Units(steps) => units::Units::apply(conn, steps, &writer),
            Steps::Users(steps) => users::Users::apply(conn, steps, &writer),
            Steps::Initiatives(steps) => initiatives::Initiatives::apply(conn, steps, &writer),
            Steps::Nothing => Ok(Vec::new()),
        }
    }
}

/// A temporary password for an account an import will create, hashed beforehand (on
/// the bounded hashing path, outside any transaction).
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

/// The file-wide error of a confirmation that lost to a write made meanwhile.
pub const CHANGED_MEANWHILE: &str = "Trong lúc nhập, dữ liệu vừa được người khác thay đổi (một mã \
     hoặc tên đăng nhập vừa được dùng). Chưa có gì được ghi; hãy xem lại và xác nhận lần nữa.";
