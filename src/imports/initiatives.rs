//! Importing initiatives: the columns of the export's list ("Danh sách"), so an
//! exported file imports back unchanged. Rows are matched by their reference (Mã).
//!
//! An import is the bloc committee's or an admin's act, so what it brings in counts as
//! reviewed: a new completed initiative is accepted (Đã nghiệm thu), any other new one
//! approved (Đã duyệt đăng ký). A stored one that the file changes becomes accepted when
//! the file says completed; one that was accepted or waiting for acceptance and is no
//! longer completed goes back to approved; otherwise its review state stays. Deadlines
//! for registering do not apply: they bound secretaries, not an import of records.

use std::collections::HashMap;

use chrono::NaiveDate;
use diesel::{PgConnection, QueryResult};

use crate::domain::format::{date_vi, vnd_full};
use crate::domain::initiative::{self, InitiativeDraft};
use std::borrow::Cow;

use crate::domain::text::hidden_character_problem;
use crate::domain::{Field, InitiativeKind, Review, Status, Vnd, Year, carry_over, unit};
use crate::exports::columns::{
    ACTUAL_VALUE, COMPLETION_DATE, DESCRIPTION, DUE_DATE, ESTIMATED_COST, FIELD, KIND, NUMBER,
    REFERENCE, RESULT_SUMMARY, REVIEW, START_DATE, STATUS, TITLE, UNIT_CODE, UNIT_NAME, YEAR,
};
use crate::imports::cells::{self, text};
use crate::imports::columns::{Column, Table};
use crate::imports::sheet::Cell;
use crate::imports::sheet::GridRow;
use crate::imports::{
    ApplyError, Change, Context, NewAccount, Planned, RowCheck, RowImporter, RowPlan, Rows,
    UnitsInScope, Writer, compare, plan_each,
};
use crate::store;
use crate::store::initiatives::{ImportedState, Initiative};

/// The longest reference (the database checks the same).
const REFERENCE_MAX_CHARS: usize = 50;

const fn column(header: &'static str, required: bool, hint: &'static str) -> Column {
    Column {
        header,
        required,
        ignored: false,
        hint,
    }
}

pub const COLUMNS: &[Column] = &[
    Column {
        header: NUMBER,
        required: false,
        ignored: true,
        hint: "Số thứ tự; không dùng khi nhập.",
    },
    column(
        REFERENCE,
        true,
        "Mã riêng của mô hình, công trình (tối đa 50 ký tự), ví dụ MH-125 trong tệp xuất ra. Mã đã có thì dòng đó cập nhật mô hình, công trình ấy; mã mới thì thêm mới.",
    ),
    column(
        UNIT_CODE,
        true,
        "Mã đơn vị đăng ký; phải nằm trong đơn vị nhập vào.",
    ),
    Column {
        header: UNIT_NAME,
        required: false,
        ignored: true,
        hint: "Tên đơn vị, để người đọc; không dùng khi nhập (đơn vị tìm theo mã).",
    },
    column(YEAR, true, "Năm đăng ký, ví dụ 2022."),
    column(TITLE, true, "Tối đa 300 ký tự."),
    column(KIND, true, "“Mô hình” hoặc “Công trình”."),
    column(
        FIELD,
        true,
        "Ví dụ “Cải cách hành chính”, “An sinh xã hội”, “Khác”.",
    ),
    column(
        ESTIMATED_COST,
        false,
        "Số đồng, ví dụ 6000000 hoặc 6.000.000. Để trống: 0.",
    ),
    column(
        ACTUAL_VALUE,
        false,
        "Số đồng; bắt buộc khi trạng thái là “Hoàn thành”.",
    ),
    column(
        STATUS,
        true,
        "“Đã đăng ký”, “Đang thực hiện”, “Hoàn thành” hoặc “Không thực hiện”.",
    ),
    Column {
        header: REVIEW,
        required: false,
        ignored: true,
        hint: "Để người đọc; không dùng khi nhập (tình trạng chỉ đổi khi cấp ủy cấp trên duyệt, nghiệm thu hoặc trả lại).",
    },
    column(
        START_DATE,
        true,
        "Ngày dạng dd/mm/yyyy (hoặc ô ngày của Excel).",
    ),
    column(DUE_DATE, true, "Không trước ngày bắt đầu."),
    column(
        COMPLETION_DATE,
        false,
        "Bắt buộc khi “Hoàn thành”; không trước ngày bắt đầu, không sau hôm nay.",
    ),
    column(DESCRIPTION, false, "Tối đa 10.000 ký tự."),
    column(RESULT_SUMMARY, false, "Tối đa 5.000 ký tự."),
];

/// One write.
#[derive(Debug, Clone)]
pub enum Step {
    Create {
        draft: InitiativeDraft,
        state: ImportedState,
    },
    Update {
        id: i32,
        draft: InitiativeDraft,
        state: ImportedState,
        review_changed: bool,
    },
}

/// A row whose cells all read, before it is compared with what is stored.
#[derive(Debug, Clone)]
pub struct Row {
    number: usize,
    reference: String,
    unit_code: String,
    year: Year,
    title: String,
    kind: InitiativeKind,
    field: Field,
    estimated_cost: Option<Vnd>,
    actual_value: Option<Vnd>,
    status: Status,
    start_date: NaiveDate,
    due_date: NaiveDate,
    completion_date: Option<NaiveDate>,
    description: String,
    result_summary: String,
}

fn checked_text(
    cell: &crate::imports::sheet::Cell,
    problem: fn(&str) -> Option<Cow<'static, str>>,
) -> Result<String, String> {
    text(cell).and_then(|value| match problem(&value) {
        Some(problem) => Err(problem.into_owned()),
        None => Ok(value),
    })
}

fn reference_problem(reference: &str) -> Option<String> {
    if reference.chars().count() > REFERENCE_MAX_CHARS {
        Some("Mã dài quá 50 ký tự.".to_owned())
    } else {
        hidden_character_problem("Mã", reference, false)
    }
}

/// Texts compared as people see them: surrounding spaces and the kind of line break
/// (a browser sends CRLF, a spreadsheet may keep LF) do not make a change.
fn same_text(stored: &str, imported: &str) -> bool {
    stored.trim().replace("\r\n", "\n") == imported.trim().replace("\r\n", "\n")
}

fn money_shown(amount: Option<i64>) -> String {
    amount.map(vnd_full).unwrap_or_else(|| "–".to_owned())
}

fn date_shown(date: Option<NaiveDate>) -> String {
    date.map(date_vi).unwrap_or_else(|| "–".to_owned())
}

/// Long texts are cut in the preview.
fn excerpt(text: &str) -> String {
    const SHOWN: usize = 120;
    let text = text.trim();
    if text.chars().count() <= SHOWN {
        text.to_owned()
    } else {
        format!("{}…", text.chars().take(SHOWN).collect::<String>())
    }
}

fn compare_text(changes: &mut Vec<Change>, column: &'static str, stored: &str, imported: &str) {
    if !same_text(stored, imported) {
        changes.push(Change {
            column,
            before: excerpt(stored),
            after: excerpt(imported),
        });
    }
}

/// What changes between the stored initiative and the row, as people read it.
fn changes(
    stored: &Initiative,
    stored_unit: &str,
    draft: &InitiativeDraft,
    unit_code: &str,
    summary: &str,
) -> Vec<Change> {
    let mut changes = Vec::new();
    compare(
        &mut changes,
        UNIT_CODE,
        stored_unit.to_owned(),
        unit_code.to_owned(),
    );
    compare(
        &mut changes,
        YEAR,
        stored.year.to_string(),
        draft.year.to_string(),
    );
    compare_text(&mut changes, TITLE, &stored.title, &draft.title);
    compare(
        &mut changes,
        KIND,
        stored.kind.label_vi().to_owned(),
        draft.kind.label_vi().to_owned(),
    );
    compare(
        &mut changes,
        FIELD,
        stored.field.label_vi().to_owned(),
        draft.field.label_vi().to_owned(),
    );
    compare(
        &mut changes,
        ESTIMATED_COST,
        money_shown(Some(stored.estimated_cost_vnd)),
        money_shown(Some(draft.estimated_cost.dong())),
    );
    compare(
        &mut changes,
        ACTUAL_VALUE,
        money_shown(stored.actual_value_vnd),
        money_shown(draft.actual_value.map(Vnd::dong)),
    );
    compare(
        &mut changes,
        STATUS,
        stored.status.label_vi().to_owned(),
        draft.status.label_vi().to_owned(),
    );
    compare(
        &mut changes,
        START_DATE,
        date_shown(Some(stored.start_date)),
        date_shown(Some(draft.start_date)),
    );
    compare(
        &mut changes,
        DUE_DATE,
        date_shown(Some(stored.due_date)),
        date_shown(Some(draft.due_date)),
    );
    compare(
        &mut changes,
        COMPLETION_DATE,
        date_shown(stored.completion_date),
        date_shown(draft.completion_date),
    );
    compare_text(
        &mut changes,
        DESCRIPTION,
        &stored.description,
        &draft.description,
    );
    compare_text(
        &mut changes,
        RESULT_SUMMARY,
        &stored.result_summary,
        summary,
    );
    changes
}

/// The review state an import settles on (see the module's documentation).
fn review_after(status: Status, stored: Option<Review>) -> Review {
    match (status, stored) {
        (Status::Completed, _) => Review::Accepted,
        (_, None | Some(Review::Accepted | Review::PendingAcceptance)) => Review::Approved,
        (_, Some(review)) => review,
    }
}

/// Initiatives, matched by reference.
pub struct Initiatives;

impl RowImporter for Initiatives {
    type Row = Row;
    type Step = Step;
    const COLUMNS: &'static [Column] = COLUMNS;
    const KEY: &'static str = REFERENCE;

    fn key(cell: &Cell) -> Option<String> {
        text(cell).ok().filter(|reference| !reference.is_empty())
    }

    fn read_row(
        table: &Table,
        grid_row: &GridRow,
        check: &mut RowCheck<'_>,
        today: NaiveDate,
    ) -> Option<Row> {
        let cell = |header| table.cell(grid_row, header);
        let reference = check.take(
            REFERENCE,
            cells::required_text(
                cell(REFERENCE),
                "Hãy ghi mã riêng cho mỗi dòng (ví dụ KA-2023-01), để lần nhập lại không tạo bản trùng.",
            )
            .and_then(|reference| match reference_problem(&reference) {
                Some(problem) => Err(problem),
                None => Ok(reference),
            }),
        );
        let unit_code = check.take(
            UNIT_CODE,
            cells::required_text(cell(UNIT_CODE), "Hãy ghi mã đơn vị đăng ký.")
                .and_then(|code| unit::normalize_code(&code).map_err(str::to_owned)),
        );
        let year = check.require(YEAR, cells::year(cell(YEAR)), "Hãy ghi năm đăng ký.");
        let title = check.take(TITLE, checked_text(cell(TITLE), initiative::title_problem));
        let kind = check.require(
            KIND,
            cells::choice(
                cell(KIND),
                InitiativeKind::ALL,
                InitiativeKind::parse_loose,
                InitiativeKind::label_vi,
            ),
            "Hãy ghi loại: mô hình hoặc công trình.",
        );
        let field = check.require(
            FIELD,
            cells::choice(cell(FIELD), Field::ALL, Field::parse_loose, Field::label_vi),
            "Hãy ghi lĩnh vực.",
        );
        let status = check.require(
            STATUS,
            cells::choice(
                cell(STATUS),
                Status::ALL,
                Status::parse_loose,
                Status::label_vi,
            ),
            "Hãy ghi trạng thái.",
        );
        let estimated_cost = check.take(ESTIMATED_COST, cells::money(cell(ESTIMATED_COST)));
        let actual_value = check.take(ACTUAL_VALUE, cells::money(cell(ACTUAL_VALUE)));
        let start_date = check.require(
            START_DATE,
            cells::date(cell(START_DATE)),
            "Hãy ghi ngày bắt đầu.",
        );
        let due_date = check.require(
            DUE_DATE,
            cells::date(cell(DUE_DATE)),
            "Hãy ghi ngày dự kiến hoàn thành.",
        );
        let completion_date = check.take(COMPLETION_DATE, cells::date(cell(COMPLETION_DATE)));
        let description = check.take(
            DESCRIPTION,
            checked_text(cell(DESCRIPTION), initiative::description_problem),
        );
        let result_summary = check.take(
            RESULT_SUMMARY,
            checked_text(cell(RESULT_SUMMARY), initiative::result_summary_problem),
        );
        if let (Some(start), Some(due)) = (start_date, due_date)
            && let Some(problem) = initiative::due_date_problem(start, due)
        {
            check.error(DUE_DATE, problem);
        }
        let completed = status == Some(Status::Completed);
        if let (Some(start), Some(Some(done))) = (start_date, completion_date)
            && let Some(problem) =
                initiative::completion_date_problem(start, done, completed.then_some(today))
        {
            check.error(COMPLETION_DATE, problem);
        }
        if completed {
            if actual_value == Some(None) {
                check.error(
                    ACTUAL_VALUE,
                    "Mô hình, công trình hoàn thành cần có giá trị thực hiện (đồng).",
                );
            }
            if completion_date == Some(None) {
                check.error(
                    COMPLETION_DATE,
                    "Mô hình, công trình hoàn thành cần có ngày hoàn thành.",
                );
            }
        }
        Some(Row {
            number: check.row,
            reference: reference?,
            unit_code: unit_code?,
            year: year?,
            title: title?,
            kind: kind?,
            field: field?,
            estimated_cost: estimated_cost?,
            actual_value: actual_value?,
            status: status?,
            start_date: start_date?,
            due_date: due_date?,
            completion_date: completion_date?,
            description: description?,
            result_summary: result_summary?,
        })
    }

    /// Compares the rows with the stored initiatives of the same references.
    fn plan(
        conn: &mut PgConnection,
        read: Rows<Row>,
        context: &Context,
    ) -> QueryResult<Planned<Step>> {
        let Rows {
            rows,
            errors,
            present,
            ..
        } = read;
        // Columns a file leaves out keep what is stored.
        let keeps = |header| !present.contains(header);
        let references: Vec<String> = rows.iter().map(|row| row.reference.clone()).collect();
        let stored: HashMap<String, (Initiative, Option<i32>)> =
            store::initiatives::by_references(conn, &references)?
                .into_iter()
                .map(|(item, carried_to)| (item.reference.clone(), (item, carried_to)))
                .collect();
        let codes: Vec<String> = rows.iter().map(|row| row.unit_code.clone()).collect();
        let stored_units: Vec<i32> = stored.values().map(|(item, _)| item.unit_id).collect();
        let in_scope = UnitsInScope::load(conn, &context.target, &codes, &stored_units, false)?;

        let planned = plan_each(
            rows,
            errors,
            |row| row.number,
            |row, check| {
                let unit = check.take(UNIT_CODE, in_scope.find(&row.unit_code).cloned());
                let existing = stored.get(&row.reference);
                if let Some((item, carried_to)) = existing {
                    if !in_scope.by_id.contains_key(&item.unit_id) {
                        check.error(
                        REFERENCE,
                        format!(
                            "Mã “{}” là của một mô hình, công trình thuộc đơn vị ngoài phạm vi nhập ({}).",
                            row.reference,
                            context.target.name()
                        ),
                    );
                    }
                    let linked = item.carried_from_id.is_some() || carried_to.is_some();
                    let moved = item.year != row.year.get()
                        || unit.as_ref().is_some_and(|unit| unit.id != item.unit_id);
                    if linked && moved {
                        check.error(YEAR, carry_over::PAIR_STAYS);
                    }
                    if carried_to.is_some()
                        && row.status == Status::Completed
                        && item.status != Status::Completed
                    {
                        check.error(STATUS, carry_over::REPORT_IN_NEXT_YEAR);
                    }
                }
                let unit = unit.filter(|_| !check.failed())?;
                let stored_item = existing.map(|(item, _)| item);
                let draft = InitiativeDraft {
                    year: row.year,
                    kind: row.kind,
                    title: row.title.clone(),
                    field: row.field,
                    description: match stored_item {
                        Some(item) if keeps(DESCRIPTION) => item.description.clone(),
                        _ => row.description,
                    },
                    unit_id: unit.id,
                    estimated_cost: match (row.estimated_cost, stored_item) {
                        (_, Some(item)) if keeps(ESTIMATED_COST) => {
                            Vnd::new(item.estimated_cost_vnd).unwrap_or(Vnd::ZERO)
                        }
                        (amount, _) => amount.unwrap_or(Vnd::ZERO),
                    },
                    actual_value: match stored_item {
                        Some(item) if keeps(ACTUAL_VALUE) => {
                            item.actual_value_vnd.and_then(Vnd::new)
                        }
                        _ => row.actual_value,
                    },
                    status: row.status,
                    start_date: row.start_date,
                    due_date: row.due_date,
                    completion_date: match stored_item {
                        Some(item) if keeps(COMPLETION_DATE) => item.completion_date,
                        _ => row.completion_date,
                    },
                };
                let result_summary = match stored_item {
                    Some(item) if keeps(RESULT_SUMMARY) => item.result_summary.clone(),
                    _ => row.result_summary,
                };
                let state = ImportedState {
                    reference: row.reference.clone(),
                    review: review_after(row.status, stored_item.map(|item| item.review)),
                    result_summary,
                };
                Some(match stored_item {
                    None => RowPlan::new(
                        row.number,
                        &row.reference,
                        &row.title,
                        false,
                        Vec::new(),
                        || Step::Create { draft, state },
                    ),
                    Some(item) => {
                        let stored_unit = in_scope.code_of(Some(item.unit_id));
                        let shown = changes(
                            item,
                            &stored_unit,
                            &draft,
                            &unit.code,
                            &state.result_summary,
                        );
                        RowPlan::new(row.number, &row.reference, &row.title, true, shown, || {
                            Step::Update {
                                id: item.id,
                                review_changed: state.review != item.review,
                                draft,
                                state,
                            }
                        })
                    }
                })
            },
        );
        Ok(planned)
    }

    /// Writes the steps through the same store path as registrations: the audit log,
    /// roll-ups and checks of the database apply to each row.
    fn apply(
        conn: &mut PgConnection,
        steps: Vec<Step>,
        writer: &Writer<'_>,
    ) -> Result<Vec<NewAccount>, ApplyError> {
        let actor_id = writer.actor_id;
        for step in steps {
            match step {
                Step::Create { draft, state } => {
                    store::initiatives::insert_row(conn, actor_id, &draft, Some(&state))?;
                }
                Step::Update {
                    id,
                    draft,
                    state,
                    review_changed,
                } => {
                    store::initiatives::update_imported(
                        conn,
                        actor_id,
                        id,
                        &draft,
                        &state,
                        review_changed,
                    )?;
                }
            }
        }
        Ok(Vec::new())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_import_settles_the_review_state() {
        assert_eq!(review_after(Status::Completed, None), Review::Accepted);
        assert_eq!(review_after(Status::InProgress, None), Review::Approved);
        assert_eq!(
            review_after(Status::Completed, Some(Review::PendingApproval)),
            Review::Accepted
        );
        assert_eq!(
            review_after(Status::InProgress, Some(Review::Accepted)),
            Review::Approved
        );
        assert_eq!(
            review_after(Status::Cancelled, Some(Review::PendingAcceptance)),
            Review::Approved
        );
        assert_eq!(
            review_after(Status::Registered, Some(Review::PendingApproval)),
            Review::PendingApproval
        );
    }

    #[test]
    fn texts_compare_as_people_read_them() {
        assert!(same_text("hai\r\ndòng ", "hai\ndòng"));
        assert!(!same_text("hai dòng", "hai  dòng"));
        assert_eq!(excerpt(&"a".repeat(130)).chars().count(), 121);
    }
}
