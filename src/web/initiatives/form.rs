//! The register/edit form: what the browser sends, kept as typed so it can be shown
//! again, and its parsing into an [`InitiativeDraft`] with a message per wrong field.

use serde::{Deserialize, Serialize};
use validator::Validate;

use crate::app::initiatives::Initiative;
use crate::app::unit_picker::PickerInput;
use crate::domain::format::{DateError, parse_date};
use crate::domain::initiative::{self, InitiativeDraft};
use crate::domain::money::MoneyError;
use crate::domain::{Field, InitiativeKind, Status, Vnd, Year};
use crate::web::forms::{FieldErrors, normalized};

/// The limits the import checks too (`domain::initiative`), as `validator` counts.
const TITLE_MAX: u64 = initiative::TITLE_MAX_CHARS as u64;
const DESCRIPTION_MAX: u64 = initiative::DESCRIPTION_MAX_CHARS as u64;

/// The form's field limits are declared here, with their messages; what a length cannot
/// say (a blank title, characters no one types, dates in order, money) is parsed below.
#[derive(Debug, Clone, Default, Deserialize, Serialize, Validate)]
#[serde(default)]
pub struct InitiativeForm {
    pub year: String,
    pub kind: String,
    // A blank title is said by `title_text_problem` ("Hãy nhập tên…"), not as a length.
    #[validate(length(max = TITLE_MAX, message = "Tên mô hình, công trình tối đa 300 ký tự."))]
    pub title: String,
    pub field: String,
    #[validate(length(max = DESCRIPTION_MAX, message = "Mô tả dài quá 10.000 ký tự."))]
    pub description: String,
    pub unit_id: String,
    pub estimated_cost_vnd: String,
    pub actual_value_vnd: String,
    pub status: String,
    pub start_date: String,
    pub due_date: String,
    pub completion_date: String,
    pub version: String,
    /// `resubmit` from the "Lưu và gửi lại" button of a returned registration.
    #[serde(skip_serializing)]
    pub then: String,
    #[serde(skip_serializing)]
    pub csrf_token: String,
    /// The unit picker's search and drill-down buttons.
    #[serde(flatten)]
    pub picker: PickerInput,
}

impl InitiativeForm {
    /// A blank registration form for this year and the person's unit.
    pub fn blank(year: Year, unit_id: Option<i32>) -> InitiativeForm {
        InitiativeForm {
            year: year.to_string(),
            unit_id: unit_id.map(|id| id.to_string()).unwrap_or_default(),
            status: Status::Registered.as_str().to_owned(),
            ..InitiativeForm::default()
        }
    }

    /// The form filled with a stored initiative, for editing.
    pub fn from_initiative(initiative: &Initiative) -> InitiativeForm {
        let date = |d: chrono::NaiveDate| d.format("%d/%m/%Y").to_string();
        InitiativeForm {
            year: initiative.year.to_string(),
            kind: initiative.kind.as_str().to_owned(),
            title: initiative.title.clone(),
            field: initiative.field.as_str().to_owned(),
            description: initiative.description.clone(),
            unit_id: initiative.unit_id.to_string(),
            estimated_cost_vnd: crate::domain::format::group_thousands(
                initiative.estimated_cost_vnd,
            ),
            actual_value_vnd: initiative
                .actual_value_vnd
                .map(crate::domain::format::group_thousands)
                .unwrap_or_default(),
            status: initiative.status.as_str().to_owned(),
            start_date: date(initiative.start_date),
            due_date: date(initiative.due_date),
            completion_date: initiative.completion_date.map(date).unwrap_or_default(),
            version: initiative.version.to_string(),
            ..InitiativeForm::default()
        }
    }

    /// The version the edit form was loaded from.
    pub fn expected_version(&self) -> Option<i32> {
        self.version.trim().parse().ok()
    }

    /// The unit the form names, if it names one (whether the person may register for
    /// it is the use case's to say).
    /// "Lưu và gửi lại": save, then send the returned registration for approval.
    pub fn resubmits(&self) -> bool {
        self.then == "resubmit"
    }

    pub fn requested_unit(&self) -> Option<i32> {
        self.unit_id.trim().parse().ok()
    }

    /// Parses every field. The unit is only read here; the use case checks it lies in
    /// the person's scope.
    pub fn parse(&self) -> Result<InitiativeDraft, FieldErrors> {
        let mut errors = FieldErrors::default();
        if let Err(validation) = self.validate() {
            errors.add_validation(&validation);
        }
        // The title's box wraps long titles; a line break typed in it is a space.
        let title_line = self
            .title
            .split(['\r', '\n'])
            .map(str::trim)
            .filter(|part| !part.is_empty())
            .collect::<Vec<_>>()
            .join(" ");
        let title = normalized(&title_line);
        if let Some(problem) = initiative::title_text_problem(&title_line) {
            errors.add("title", problem);
        }
        if let Some(problem) = initiative::description_text_problem(&self.description) {
            errors.add("description", problem);
        }
        let year = Year::parse(&self.year);
        if year.is_none() {
            errors.add(
                "year",
                format!("Năm phải là số từ {} đến {}.", Year::MIN, Year::MAX),
            );
        }
        let kind = InitiativeKind::parse(self.kind.trim());
        if kind.is_none() {
            errors.add("kind", "Hãy chọn loại: mô hình hoặc công trình.");
        }
        let field = Field::parse(self.field.trim());
        if field.is_none() {
            errors.add("field", "Hãy chọn lĩnh vực trong danh sách.");
        }
        let status = if self.status.trim().is_empty() {
            Some(Status::Registered)
        } else {
            Status::parse(self.status.trim())
        };
        if status.is_none() {
            errors.add("status", "Hãy chọn trạng thái trong danh sách.");
        }
        let unit_id = self.requested_unit();
        if unit_id.is_none() {
            errors.add("unit_id", "Hãy chọn đơn vị đăng ký.");
        }
        let estimated_cost = match Vnd::parse(&self.estimated_cost_vnd) {
            Ok(amount) => Some(amount),
            Err(MoneyError::Empty) => Some(Vnd::ZERO),
            Err(error) => {
                errors.add("estimated_cost_vnd", error.message_vi());
                None
            }
        };
        let actual_value = match Vnd::parse(&self.actual_value_vnd) {
            Ok(amount) => Some(amount),
            Err(MoneyError::Empty) => None,
            Err(error) => {
                errors.add("actual_value_vnd", error.message_vi());
                None
            }
        };
        let start_date = required_date(
            &self.start_date,
            "start_date",
            "Hãy nhập ngày bắt đầu.",
            &mut errors,
        );
        let due_date = required_date(
            &self.due_date,
            "due_date",
            "Hãy nhập ngày dự kiến hoàn thành.",
            &mut errors,
        );
        let completion_date = match parse_date(&self.completion_date) {
            Ok(date) => Some(date),
            Err(DateError::Empty) => None,
            Err(error) => {
                errors.add("completion_date", error.message_vi());
                None
            }
        };
        if let (Some(start), Some(due)) = (start_date, due_date)
            && let Some(problem) = initiative::due_date_problem(start, due)
        {
            errors.add("due_date", problem);
        }
        if let (Some(start), Some(done)) = (start_date, completion_date)
            && let Some(problem) = initiative::completion_date_problem(start, done, None)
        {
            errors.add("completion_date", problem);
        }
        if status == Some(Status::Completed) {
            // Completed is what a reviewer's acceptance makes it, never a choice in a form.
            errors.add(
                "status",
                "Để ghi nhận hoàn thành, hãy dùng “Báo cáo hoàn thành” kèm minh chứng; cấp ủy cấp trên sẽ nghiệm thu.",
            );
        }

        match (
            year,
            kind,
            field,
            status,
            unit_id,
            estimated_cost,
            start_date,
            due_date,
        ) {
            (
                Some(year),
                Some(kind),
                Some(field),
                Some(status),
                Some(unit_id),
                Some(estimated_cost),
                Some(start_date),
                Some(due_date),
            ) if errors.is_empty() => Ok(InitiativeDraft {
                year,
                kind,
                title,
                field,
                description: normalized(&self.description),
                unit_id,
                estimated_cost,
                actual_value,
                status,
                start_date,
                due_date,
                completion_date,
            }),
            _ => Err(errors),
        }
    }
}

fn required_date(
    input: &str,
    field: &'static str,
    missing: &'static str,
    errors: &mut FieldErrors,
) -> Option<chrono::NaiveDate> {
    match parse_date(input) {
        Ok(date) => Some(date),
        Err(DateError::Empty) => {
            errors.add(field, missing);
            None
        }
        Err(error) => {
            errors.add(field, error.message_vi());
            None
        }
    }
}
