//! Importing units: matched by code; a parent may be a unit already stored or another
//! row of the file (before or after it). Every unit must end up inside the target.

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use diesel::{PgConnection, QueryResult};

use crate::domain::Scope;
use crate::domain::{UnitKind, unit};
use crate::imports::cells::{self, text};
use crate::imports::columns::{Column, Table};
use crate::imports::sheet::{Cell, GridRow};
use crate::imports::{
    ApplyError, Context, NewAccount, Planned, RowCheck, RowImporter, RowPlan, Rows, Target,
    UnitsInScope, Writer, compare, plan_each,
};
use crate::store;
use crate::store::units::{Unit, UnitFields};

pub const CODE: &str = "Mã đơn vị";
pub const NAME: &str = "Tên đơn vị";
pub const KIND: &str = "Loại";
pub const PARENT: &str = "Mã đơn vị cấp trên";
pub const EXPECTED: &str = "Phải đăng ký";
pub const ACTIVE: &str = "Hoạt động";

pub const COLUMNS: &[Column] = &[
    Column {
        header: CODE,
        required: true,
        ignored: false,
        hint: "Chữ không dấu, chữ số, dấu gạch; tối đa 40 ký tự. Đơn vị đã có mã này thì được cập nhật.",
    },
    Column {
        header: NAME,
        required: true,
        ignored: false,
        hint: "Tên đầy đủ, tối đa 300 ký tự.",
    },
    Column {
        header: KIND,
        required: true,
        ignored: false,
        hint: "Loại tổ chức, ví dụ “Chi bộ cơ sở”, “Đảng bộ cơ sở”, “Chi bộ trực thuộc”.",
    },
    Column {
        header: PARENT,
        required: true,
        ignored: false,
        hint: "Mã của đơn vị cấp trên: đơn vị đã có hoặc một dòng khác trong tệp (trước hay sau đều được). Để trống chỉ khi nhập vào toàn hệ thống.",
    },
    Column {
        header: EXPECTED,
        required: false,
        ignored: false,
        hint: "“Có” nếu đơn vị phải đăng ký mô hình, công trình hằng năm, “Không” nếu không. Để trống: đơn vị mới là “Có”, đơn vị đã có giữ nguyên.",
    },
    Column {
        header: ACTIVE,
        required: false,
        ignored: false,
        hint: "“Có” hoặc “Không”. Để trống: đơn vị mới là “Có”, đơn vị đã có giữ nguyên.",
    },
];

/// Where a unit hangs.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Parent {
    Top,
    Stored(i32),
    /// A new unit of the same file, by code.
    New(String),
}

/// One write.
#[derive(Debug, Clone)]
pub struct Step {
    /// The unit to update; `None` to create one.
    existing: Option<i32>,
    fields: UnitFields,
    parent: Parent,
    /// Depth in the tree as it will be: parents are written before their children.
    depth: usize,
}

/// A row whose cells all read.
#[derive(Debug, Clone)]
pub struct Row {
    number: usize,
    code: String,
    name: String,
    kind: UnitKind,
    parent: Option<String>,
    expected: Option<bool>,
    active: Option<bool>,
}

fn yes_no(value: bool) -> String {
    if value { "Có" } else { "Không" }.to_owned()
}

/// Units, matched by code.
pub struct Units;

impl RowImporter for Units {
    type Row = Row;
    type Step = Step;
    const COLUMNS: &'static [Column] = COLUMNS;
    const KEY: &'static str = CODE;

    fn key(cell: &Cell) -> Option<String> {
        text(cell)
            .ok()
            .and_then(|code| unit::normalize_code(&code).ok())
    }

    fn read_row(
        table: &Table,
        grid_row: &GridRow,
        check: &mut RowCheck<'_>,
        _today: NaiveDate,
    ) -> Option<Row> {
        let cell = |header| table.cell(grid_row, header);
        let code = check.take(
            CODE,
            cells::required_text(cell(CODE), "Hãy ghi mã đơn vị.")
                .and_then(|code| unit::normalize_code(&code).map_err(str::to_owned)),
        );
        let name = check.take(
            NAME,
            text(cell(NAME)).and_then(|name| match unit::name_problem(&name) {
                Some(problem) => Err(problem.into_owned()),
                None => Ok(name),
            }),
        );
        let kind = check.require(
            KIND,
            cells::choice(
                cell(KIND),
                UnitKind::ALL,
                UnitKind::parse_loose,
                UnitKind::label_vi,
            ),
            "Hãy ghi loại tổ chức.",
        );
        let parent = check.take(
            PARENT,
            text(cell(PARENT)).and_then(|parent| {
                if parent.is_empty() {
                    Ok(None)
                } else {
                    unit::normalize_code(&parent)
                        .map(Some)
                        .map_err(|_| format!("“{parent}” không phải một mã đơn vị."))
                }
            }),
        );
        let expected = check.take(EXPECTED, cells::flag(cell(EXPECTED)));
        let active = check.take(ACTIVE, cells::flag(cell(ACTIVE)));
        Some(Row {
            number: check.row,
            code: code?,
            name: name?,
            kind: kind?,
            parent: parent?,
            expected: expected?,
            active: active?,
        })
    }

    /// Compares the rows with the units stored inside the target.
    fn plan(
        conn: &mut PgConnection,
        read: Rows<Row>,
        context: &Context,
    ) -> QueryResult<Planned<Step>> {
        // Every code the file defines, readable row or not: a child of a row with an error
        // is not blamed for it.
        let Rows {
            rows,
            keys: file_codes,
            mut errors,
            ..
        } = read;
        let mut named: Vec<String> = file_codes.iter().cloned().collect();
        named.extend(rows.iter().filter_map(|row| row.parent.clone()));
        // The units above the named ones too: the tree as it will be is walked up from
        // every row, to find its depth or the loop it would make.
        let in_scope = UnitsInScope::load(conn, &context.target, &named, &[], true)?;
        // The target's own parent lies outside; its row may name it but not change it.
        let target_parent = match &context.target {
            Target::Subtree(target) => match target.parent_id {
                Some(id) => store::units::find_in_scope(conn, Scope::Everything, id)?,
                None => None,
            },
            Target::Everything => None,
        };

        let mut resolved: Vec<(Row, Option<&Unit>, Parent)> = Vec::new();
        for row in rows {
            let mut check = RowCheck::new(row.number, &mut errors);
            let existing = in_scope.by_code.get(&row.code);
            if existing.is_none() && in_scope.is_outside(&row.code) {
                check.error(
                    CODE,
                    format!(
                        "Đã có đơn vị mã “{}” nhưng nằm ngoài phạm vi nhập ({}).",
                        row.code,
                        context.target.name()
                    ),
                );
                continue;
            }
            let parent = resolve_parent(
                &row,
                existing,
                context,
                &in_scope,
                &file_codes,
                target_parent.as_deref(),
            );
            match parent {
                Ok(parent) => resolved.push((row, existing, parent)),
                Err(message) => check.error(PARENT, message),
            }
        }

        // The tree as it will be: each unit's parent by code (None above the top).
        let mut parent_of: HashMap<&str, Option<&str>> = in_scope
            .by_code
            .values()
            .map(|unit| {
                let parent = unit
                    .parent_id
                    .and_then(|id| in_scope.by_id.get(&id))
                    .map(|parent| parent.code.as_str());
                (unit.code.as_str(), parent)
            })
            .collect();
        for (row, _, _) in &resolved {
            parent_of.insert(row.code.as_str(), row.parent.as_deref());
        }
        let number = |(row, _, _): &&(Row, Option<&Unit>, Parent)| row.number;
        let planned = plan_each(
            &resolved,
            errors,
            number,
            |(row, existing, parent), check| {
                let depth = match depth_of(&row.code, &parent_of) {
                    Ok(depth) => depth,
                    Err(cycle) => {
                        check.error(
                        PARENT,
                        format!(
                            "Cấp trên tạo thành vòng lặp ({}): một đơn vị không thể nằm dưới chính nó.",
                            cycle.join(" → ")
                        ),
                    );
                        return None;
                    }
                };
                let fields = UnitFields {
                    code: row.code.clone(),
                    name: row.name.clone(),
                    kind: row.kind,
                    parent_id: None,
                    expected_to_register: row
                        .expected
                        .or(existing.map(|unit| unit.expected_to_register))
                        .unwrap_or(true),
                    active: row
                        .active
                        .or(existing.map(|unit| unit.active))
                        .unwrap_or(true),
                };
                let mut changes = Vec::new();
                if let Some(unit) = existing {
                    compare(&mut changes, NAME, unit.name.clone(), fields.name.clone());
                    compare(
                        &mut changes,
                        KIND,
                        unit.kind.label_vi().to_owned(),
                        fields.kind.label_vi().to_owned(),
                    );
                    let stored_parent = if Some(unit.id) == context.target.unit_id() {
                        target_parent
                            .as_ref()
                            .map(|parent| parent.code.clone())
                            .unwrap_or_default()
                    } else {
                        in_scope.code_of(unit.parent_id)
                    };
                    compare(
                        &mut changes,
                        PARENT,
                        stored_parent,
                        row.parent.clone().unwrap_or_default(),
                    );
                    compare(
                        &mut changes,
                        EXPECTED,
                        yes_no(unit.expected_to_register),
                        yes_no(fields.expected_to_register),
                    );
                    compare(
                        &mut changes,
                        ACTIVE,
                        yes_no(unit.active),
                        yes_no(fields.active),
                    );
                }
                Some(RowPlan::new(
                    row.number,
                    &row.code,
                    &row.name,
                    existing.is_some(),
                    changes,
                    || Step {
                        existing: existing.map(|unit| unit.id),
                        fields,
                        parent: parent.clone(),
                        depth,
                    },
                ))
            },
        );
        Ok(planned)
    }

    /// Writes the steps: new units parents first, then the changes to stored units in
    /// the order of their depth in the new tree, so that no move ever passes through a
    /// loop on the way (the triggers keep paths and roll-ups).
    fn apply(
        conn: &mut PgConnection,
        mut steps: Vec<Step>,
        _writer: &Writer<'_>,
    ) -> Result<Vec<NewAccount>, ApplyError> {
        steps.sort_by_key(|step| (step.existing.is_some(), step.depth));
        let mut created: HashMap<String, i32> = HashMap::new();
        for step in steps {
            let parent_id = match &step.parent {
                Parent::Top => None,
                Parent::Stored(id) => Some(*id),
                Parent::New(code) => Some(*created.get(code).ok_or(ApplyError::Conflict)?),
            };
            let fields = UnitFields {
                parent_id,
                ..step.fields
            };
            match step.existing {
                None => {
                    let unit = store::units::insert_row(conn, &fields)?;
                    created.insert(unit.code, unit.id);
                }
                Some(id) => {
                    store::units::update_row(conn, id, &fields)?;
                }
            }
        }
        Ok(Vec::new())
    }
}

/// Where a row's unit will hang, or why it cannot.
fn resolve_parent(
    row: &Row,
    existing: Option<&Unit>,
    context: &Context,
    in_scope: &UnitsInScope,
    file_codes: &HashSet<String>,
    target_parent: Option<&Unit>,
) -> Result<Parent, String> {
    if let (Target::Subtree(target), Some(unit)) = (&context.target, existing)
        && unit.id == target.id
    {
        // The import's own root stays where it is.
        let current = target_parent.map(|parent| parent.code.as_str());
        return if row.parent.as_deref() == current {
            Ok(target.parent_id.map_or(Parent::Top, Parent::Stored))
        } else {
            Err(format!(
                "“{}” là đơn vị gốc của lần nhập này nên không đổi được cấp trên ở đây.",
                target.name
            ))
        };
    }
    match &row.parent {
        None => match &context.target {
            Target::Everything => Ok(Parent::Top),
            Target::Subtree(target) => Err(format!(
                "Hãy ghi mã đơn vị cấp trên: đơn vị phải nằm trong “{}”.",
                target.name
            )),
        },
        Some(parent) if *parent == row.code => {
            Err("Đơn vị không thể là cấp trên của chính nó.".to_owned())
        }
        Some(parent) => match in_scope.by_code.get(parent) {
            Some(unit) => Ok(Parent::Stored(unit.id)),
            None if file_codes.contains(parent) => Ok(Parent::New(parent.clone())),
            None => Err(format!("Đơn vị cấp trên: {}", in_scope.not_usable(parent))),
        },
    }
}

/// How many parents a unit will have above it inside the import's part of the tree,
/// or the loop its parents make.
fn depth_of(code: &str, parent_of: &HashMap<&str, Option<&str>>) -> Result<usize, Vec<String>> {
    let mut chain = vec![code.to_owned()];
    let mut current = code;
    while let Some(Some(parent)) = parent_of.get(current) {
        if chain.iter().any(|seen| seen == parent) {
            chain.push((*parent).to_owned());
            return Err(chain);
        }
        chain.push((*parent).to_owned());
        current = parent;
    }
    Ok(chain.len() - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depths_and_loops() {
        let parent_of: HashMap<&str, Option<&str>> = [
            ("TU", None),
            ("KA", Some("TU")),
            ("C1", Some("KA")),
            ("X", Some("Y")),
            ("Y", Some("X")),
        ]
        .into_iter()
        .collect();
        assert_eq!(depth_of("TU", &parent_of), Ok(0));
        assert_eq!(depth_of("C1", &parent_of), Ok(2));
        assert_eq!(
            depth_of("X", &parent_of),
            Err(vec!["X".to_owned(), "Y".to_owned(), "X".to_owned()])
        );
    }
}
