//! Helpers shared by the HTML forms: per-field messages and lenient parsing of the
//! strings a form sends.

use std::collections::BTreeMap;

use actix_web::http::StatusCode;
use serde::Serialize;

use crate::error::{AppError, BUSY_MESSAGE};

/// Messages keyed by the name of the field they belong beside.
#[derive(Debug, Default, Clone, Serialize)]
pub struct FieldErrors(BTreeMap<&'static str, String>);

impl FieldErrors {
    pub fn add(&mut self, field: &'static str, message: impl Into<String>) {
        self.0.entry(field).or_insert_with(|| message.into());
    }

    /// Adds `other`'s messages beside the fields that have none yet.
    pub fn extend(&mut self, other: FieldErrors) {
        for (field, message) in other.0 {
            self.add(field, message);
        }
    }

    /// The messages with the neutral name of the reviewer (`domain::NEUTRAL_REVIEWER`)
    /// naming `reviewer` instead: the committee that reviews the person's unit.
    pub fn naming_reviewer(&self, reviewer: &str) -> FieldErrors {
        FieldErrors(
            self.0
                .iter()
                .map(|(field, message)| (*field, crate::domain::naming_reviewer(message, reviewer)))
                .collect(),
        )
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.contains_key(field)
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The one message of a form whose change was not saved because the database was
    /// busy with other changes (`error_summary` shows it above the form).
    pub fn busy() -> FieldErrors {
        let mut errors = FieldErrors::default();
        errors.add(BUSY, BUSY_MESSAGE);
        errors
    }

    /// How the form comes back: 503 when nothing was saved because the database was
    /// busy, 422 when the input needs correcting.
    pub fn status(&self) -> StatusCode {
        if self.has(BUSY) {
            StatusCode::SERVICE_UNAVAILABLE
        } else {
            StatusCode::UNPROCESSABLE_ENTITY
        }
    }

    /// Copies the messages of `validator`'s checks (their `message` is Vietnamese).
    pub fn add_validation(&mut self, errors: &validator::ValidationErrors) {
        for (field, field_errors) in errors.field_errors() {
            if let Some(first) = field_errors.first() {
                let message = first
                    .message
                    .as_ref()
                    .map(|message| message.to_string())
                    .unwrap_or_else(|| "Giá trị không hợp lệ.".to_owned());
                if let Some(name) = STATIC_FIELD_NAMES
                    .iter()
                    .find(|name| **name == field.as_ref())
                {
                    self.add(name, message);
                }
            }
        }
    }
}

/// The key of [`FieldErrors::busy`]'s message; no field has this name.
pub const BUSY: &str = "busy";

/// A write that gave up because the database was busy ([`AppError::Busy`]) becomes the
/// form's message, so that the handler shows the form again with what the person sent;
/// every other failure stays an error.
pub fn busy_as_form_error<T, E: Into<AppError>>(
    result: Result<T, E>,
) -> Result<Result<T, FieldErrors>, AppError> {
    match result {
        Ok(value) => Ok(Ok(value)),
        Err(error) => form_error_if_busy(error).map(Err),
    }
}

/// The form's message for a write that gave up because the database was busy; any
/// other failure stays an error (see [`busy_as_form_error`]).
pub fn form_error_if_busy(error: impl Into<AppError>) -> Result<FieldErrors, AppError> {
    match error.into() {
        AppError::Busy => Ok(FieldErrors::busy()),
        error => Err(error),
    }
}

/// validator reports field names as owned strings; the map keeps static names.
const STATIC_FIELD_NAMES: &[&str] = &[
    "title",
    "description",
    "password",
    "new_password",
    "place",
    "signer_name",
    "recipients",
    "assessment",
    "next_year",
];

pub use crate::domain::text::{hidden_character_problem, normalized};

/// A form or query value that should have been a whole number.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct NotANumber;

/// An optional whole number from a form or query string: empty means "not given".
pub fn optional_id(input: &str) -> Result<Option<i32>, NotANumber> {
    let input = input.trim();
    if input.is_empty() {
        Ok(None)
    } else {
        input.parse::<i32>().map(Some).map_err(|_| NotANumber)
    }
}

/// A checkbox sends its value only when ticked.
pub fn checkbox(input: &Option<String>) -> bool {
    input
        .as_deref()
        .is_some_and(|value| !value.is_empty() && value != "false")
}

/// One option of a select list.
#[derive(Debug, Clone, Serialize)]
pub struct Choice {
    pub value: &'static str,
    pub label: &'static str,
}

/// The options for a closed set of values, in their declared order.
pub fn choices<T: Copy>(
    all: &[T],
    value: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> Vec<Choice> {
    all.iter()
        .map(|item| Choice {
            value: value(*item),
            label: label(*item),
        })
        .collect()
}

/// Code → Vietnamese label, for showing stored codes in tables.
pub fn labels<T: Copy>(
    all: &[T],
    value: fn(T) -> &'static str,
    label: fn(T) -> &'static str,
) -> BTreeMap<&'static str, &'static str> {
    all.iter()
        .map(|item| (value(*item), label(*item)))
        .collect()
}

/// Adds the option lists of the initiative forms and filters to a page.
pub fn insert_initiative_choices(context: &mut tera::Context) {
    use crate::domain::{Field, InitiativeKind, Status};
    context.insert(
        "kinds",
        &choices(
            InitiativeKind::ALL,
            InitiativeKind::as_str,
            InitiativeKind::label_vi,
        ),
    );
    context.insert(
        "fields",
        &choices(Field::ALL, Field::as_str, Field::label_vi),
    );
    context.insert(
        "statuses",
        &choices(Status::ALL, Status::as_str, Status::label_vi),
    );
    let editable: Vec<Status> = Status::ALL
        .iter()
        .copied()
        .filter(|status| *status != Status::Completed)
        .collect();
    context.insert(
        "editable_statuses",
        &choices(&editable, Status::as_str, Status::label_vi),
    );
    context.insert(
        "review_labels",
        &labels(
            crate::domain::Review::ALL,
            crate::domain::Review::as_str,
            crate::domain::Review::label_vi,
        ),
    );
    let mut all_labels = BTreeMap::new();
    all_labels.insert(
        "kind",
        labels(
            InitiativeKind::ALL,
            InitiativeKind::as_str,
            InitiativeKind::label_vi,
        ),
    );
    all_labels.insert("field", labels(Field::ALL, Field::as_str, Field::label_vi));
    all_labels.insert(
        "status",
        labels(Status::ALL, Status::as_str, Status::label_vi),
    );
    context.insert("labels", &all_labels);
}
