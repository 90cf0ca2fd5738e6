//! A registration as it is about to be stored: every value already parsed and checked.

use chrono::NaiveDate;

use crate::domain::{Field, InitiativeKind, Status, Vnd, Year};

/// The longest title a form accepts (the database refuses longer ones too).
pub const TITLE_MAX_CHARS: usize = 300;
pub const DESCRIPTION_MAX_CHARS: usize = 10_000;

#[derive(Debug, Clone)]
pub struct InitiativeDraft {
    pub year: Year,
    pub kind: InitiativeKind,
    pub title: String,
    pub field: Field,
    pub description: String,
    pub unit_id: i32,
    pub estimated_cost: Vnd,
    pub actual_value: Option<Vnd>,
    pub status: Status,
    pub start_date: NaiveDate,
    pub due_date: NaiveDate,
    pub completion_date: Option<NaiveDate>,
}
