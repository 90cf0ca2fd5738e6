//! Importing user accounts: matched by username. A new account gets a temporary
//! password, shown once after the import; an import never changes a password.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::{PgConnection, QueryResult};

use crate::domain::{Role, account, unit};
use crate::imports::cells::{self, text};
use crate::imports::columns::{Column, Table};
use crate::imports::sheet::Cell;
use crate::imports::sheet::GridRow;
use crate::imports::{
    ApplyError, Context, NewAccount, Planned, RowCheck, RowImporter, RowPlan, Rows, Target,
    UnitsInScope, Writer, compare, plan_each,
};
use crate::store;
use crate::store::users::{NewUser, UserChanges};

pub const USERNAME: &str = "Tên đăng nhập";
pub const DISPLAY_NAME: &str = "Họ và tên";
pub const ROLE: &str = "Vai trò";
pub const UNIT_CODE: &str = "Mã đơn vị";
pub const ACTIVE: &str = "Hoạt động";

pub const COLUMNS: &[Column] = &[
    Column {
        header: USERNAME,
        required: true,
        ignored: false,
        hint: "2–50 chữ thường không dấu, chữ số, dấu chấm, gạch dưới, gạch ngang. Tài khoản đã có tên này thì được cập nhật (mật khẩu giữ nguyên).",
    },
    Column {
        header: DISPLAY_NAME,
        required: true,
        ignored: false,
        hint: "Tối đa 200 ký tự.",
    },
    Column {
        header: ROLE,
        required: true,
        ignored: false,
        hint: "“Bí thư”, “Ban Thường vụ Khối” (người duyệt, ở bất kỳ cấp ủy nào) hoặc “Quản trị”.",
    },
    Column {
        header: UNIT_CODE,
        required: true,
        ignored: false,
        hint: "Mã đơn vị người dùng phụ trách; phải nằm trong đơn vị nhập vào.",
    },
    Column {
        header: ACTIVE,
        required: false,
        ignored: false,
        hint: "“Có” hoặc “Không” (khóa tài khoản). Để trống: tài khoản mới là “Có”, tài khoản đã có giữ nguyên.",
    },
];

/// One write.
#[derive(Debug, Clone)]
pub enum Step {
    Create {
        username: String,
        display_name: String,
        role: Role,
        unit_id: i32,
        active: bool,
    },
    Update {
        id: i32,
        changes: UserChanges,
    },
}

/// A row whose cells all read.
#[derive(Debug, Clone)]
pub struct Row {
    number: usize,
    username: String,
    display_name: String,
    role: Role,
    unit_code: String,
    active: Option<bool>,
}

fn active_label(active: bool) -> String {
    if active {
        "Hoạt động"
    } else {
        "Đã khóa"
    }
    .to_owned()
}

/// Accounts, matched by username.
pub struct Users;

impl RowImporter for Users {
    type Row = Row;
    type Step = Step;
    const COLUMNS: &'static [Column] = COLUMNS;
    const KEY: &'static str = USERNAME;

    fn key(cell: &Cell) -> Option<String> {
        text(cell)
            .ok()
            .and_then(|name| account::normalize_username(&name).ok())
    }

    fn read_row(
        table: &Table,
        grid_row: &GridRow,
        check: &mut RowCheck<'_>,
        _today: NaiveDate,
    ) -> Option<Row> {
        let cell = |header| table.cell(grid_row, header);
        let username = check.take(
            USERNAME,
            cells::required_text(cell(USERNAME), "Hãy ghi tên đăng nhập.")
                .and_then(|name| account::normalize_username(&name).map_err(str::to_owned)),
        );
        let display_name = check.take(
            DISPLAY_NAME,
            text(cell(DISPLAY_NAME)).and_then(|name| match account::display_name_problem(&name) {
                Some(problem) => Err(problem.into_owned()),
                None => Ok(name),
            }),
        );
        let role = check.require(
            ROLE,
            cells::choice(cell(ROLE), Role::ALL, Role::parse_loose, Role::label_vi),
            "Hãy ghi vai trò.",
        );
        let unit_code = check.take(
            UNIT_CODE,
            cells::required_text(cell(UNIT_CODE), "Hãy ghi mã đơn vị người dùng phụ trách.")
                .and_then(|code| unit::normalize_code(&code).map_err(str::to_owned)),
        );
        let active = check.take(ACTIVE, cells::flag(cell(ACTIVE)));
        Some(Row {
            number: check.row,
            username: username?,
            display_name: display_name?,
            role: role?,
            unit_code: unit_code?,
            active: active?,
        })
    }

    /// Compares the rows with the stored accounts of the same usernames.
    fn plan(
        conn: &mut PgConnection,
        read: Rows<Row>,
        context: &Context,
    ) -> QueryResult<Planned<Step>> {
        let Rows { rows, errors, .. } = read;
        let usernames: Vec<String> = rows.iter().map(|row| row.username.clone()).collect();
        let stored: HashMap<String, store::users::User> =
            store::users::by_usernames(conn, &usernames)?
                .into_iter()
                .map(|user| (user.username.clone(), user))
                .collect();
        let codes: Vec<String> = rows.iter().map(|row| row.unit_code.clone()).collect();
        let stored_units: Vec<i32> = stored.values().filter_map(|user| user.unit_id).collect();
        let in_scope = UnitsInScope::load(conn, &context.target, &codes, &stored_units, false)?;

        let planned = plan_each(
            rows,
            errors,
            |row| row.number,
            |row, check| {
                let unit = check.take(UNIT_CODE, in_scope.find(&row.unit_code).cloned());
                let existing = stored.get(&row.username);
                if let Some(user) = existing {
                    let inside = match (&context.target, user.unit_id) {
                        (Target::Everything, _) => true,
                        (Target::Subtree(_), Some(unit_id)) => {
                            in_scope.by_id.contains_key(&unit_id)
                        }
                        (Target::Subtree(_), None) => false,
                    };
                    if !inside {
                        check.error(
                            USERNAME,
                            format!(
                                "Đã có tài khoản “{}” nhưng thuộc đơn vị ngoài phạm vi nhập ({}).",
                                row.username,
                                context.target.name()
                            ),
                        );
                    }
                    let active = row.active.unwrap_or(user.active);
                    if account::is_self_demotion(user.id, context.importer.id, row.role, active) {
                        check.error(ROLE, account::NOT_YOURSELF);
                    }
                }
                let unit = unit.filter(|_| !check.failed())?;
                Some(match existing {
                    None => RowPlan::new(
                        row.number,
                        &row.username,
                        &row.display_name,
                        false,
                        Vec::new(),
                        || Step::Create {
                            username: row.username.clone(),
                            display_name: row.display_name.clone(),
                            role: row.role,
                            unit_id: unit.id,
                            active: row.active.unwrap_or(true),
                        },
                    ),
                    Some(user) => {
                        let changes = UserChanges {
                            display_name: row.display_name.clone(),
                            role: row.role,
                            unit_id: Some(unit.id),
                            active: row.active.unwrap_or(user.active),
                            // The import has no contact columns: kept as they are.
                            phone: user.phone.clone(),
                            email: user.email.clone(),
                        };
                        let mut shown = Vec::new();
                        compare(
                            &mut shown,
                            DISPLAY_NAME,
                            user.display_name.clone(),
                            changes.display_name.clone(),
                        );
                        compare(
                            &mut shown,
                            ROLE,
                            user.role.label_vi().to_owned(),
                            changes.role.label_vi().to_owned(),
                        );
                        compare(
                            &mut shown,
                            UNIT_CODE,
                            in_scope.code_of(user.unit_id),
                            unit.code.clone(),
                        );
                        compare(
                            &mut shown,
                            ACTIVE,
                            active_label(user.active),
                            active_label(changes.active),
                        );
                        RowPlan::new(
                            row.number,
                            &row.username,
                            &row.display_name,
                            true,
                            shown,
                            || Step::Update {
                                id: user.id,
                                changes,
                            },
                        )
                    }
                })
            },
        );
        Ok(planned)
    }

    /// Writes the steps; each new account gets the next of `passwords` (hashed beforehand,
    /// outside the transaction), returned in clear only to be shown once. Running out of
    /// them means the data changed since they were counted: a conflict, nothing written.
    fn apply(
        conn: &mut PgConnection,
        steps: Vec<Step>,
        writer: &Writer<'_>,
    ) -> Result<Vec<NewAccount>, ApplyError> {
        let mut created = Vec::new();
        let mut passwords = writer.passwords.iter();
        for step in steps {
            match step {
                Step::Create {
                    username,
                    display_name,
                    role,
                    unit_id,
                    active,
                } => {
                    let temporary = passwords.next().ok_or(ApplyError::Conflict)?;
                    store::users::insert_row(
                        conn,
                        &NewUser {
                            username: username.clone(),
                            display_name: display_name.clone(),
                            password_hash: temporary.hash.clone(),
                            role,
                            unit_id: Some(unit_id),
                            active,
                            // A temporary password, shown once: changed at the first sign-in.
                            must_change_password: true,
                            phone: None,
                            email: None,
                        },
                    )?;
                    created.push(NewAccount {
                        username,
                        display_name,
                        password: temporary.clear.clone(),
                    });
                }
                Step::Update { id, changes } => {
                    store::users::update_row(conn, id, &changes)?;
                }
            }
        }
        Ok(created)
    }
}
