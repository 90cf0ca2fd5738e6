//! A registration as it is about to be stored: every value already parsed and checked.

use chrono::NaiveDate;

use std::borrow::Cow;

use crate::domain::text::hidden_character_problem;
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

/// The longest result summary of a completion report.
pub const RESULT_SUMMARY_MAX_CHARS: usize = 5_000;

pub const TITLE_MISSING: &str = "Hãy nhập tên mô hình, công trình.";
pub const TITLE_LENGTH: &str = "Tên mô hình, công trình tối đa 300 ký tự.";
pub const DESCRIPTION_TOO_LONG: &str = "Mô tả dài quá 10.000 ký tự.";
pub const RESULT_SUMMARY_TOO_LONG: &str = "Tóm tắt kết quả dài quá 5.000 ký tự.";
pub const DUE_BEFORE_START: &str = "Ngày dự kiến hoàn thành không được trước ngày bắt đầu.";
pub const COMPLETION_BEFORE_START: &str = "Ngày hoàn thành không được trước ngày bắt đầu.";
pub const COMPLETION_AFTER_TODAY: &str = "Ngày hoàn thành không được sau hôm nay.";

/// Why a title cannot be stored; `None` when it can. It is stored trimmed; characters
/// no one types are refused wherever they stand. (The registration form declares the
/// length with `validator` and asks only [`title_text_problem`]; an import asks this.)
pub fn title_problem(title: &str) -> Option<Cow<'static, str>> {
    let trimmed = title.trim();
    if !trimmed.is_empty() && trimmed.chars().count() > TITLE_MAX_CHARS {
        Some(TITLE_LENGTH.into())
    } else {
        title_text_problem(title)
    }
}

/// What a title's length does not say: it is blank once trimmed, or it holds a
/// character no one types.
pub fn title_text_problem(title: &str) -> Option<Cow<'static, str>> {
    if title.trim().is_empty() {
        Some(TITLE_MISSING.into())
    } else {
        hidden_character_problem("Tên mô hình, công trình", title, false).map(Cow::Owned)
    }
}

/// Why a description (several lines allowed) cannot be stored; `None` when it can.
pub fn description_problem(description: &str) -> Option<Cow<'static, str>> {
    if description.trim().chars().count() > DESCRIPTION_MAX_CHARS {
        Some(DESCRIPTION_TOO_LONG.into())
    } else {
        description_text_problem(description)
    }
}

/// What a description's length does not say: it holds a character no one types.
pub fn description_text_problem(description: &str) -> Option<Cow<'static, str>> {
    hidden_character_problem("Mô tả", description, true).map(Cow::Owned)
}

/// Why a result summary cannot be stored; `None` when it can (empty is allowed here:
/// a completion report asks for one on its own).
pub fn result_summary_problem(summary: &str) -> Option<Cow<'static, str>> {
    if summary.trim().chars().count() > RESULT_SUMMARY_MAX_CHARS {
        Some(RESULT_SUMMARY_TOO_LONG.into())
    } else {
        hidden_character_problem("Tóm tắt kết quả", summary, true).map(Cow::Owned)
    }
}

/// Why the due date cannot go with this start date.
pub fn due_date_problem(start_date: NaiveDate, due_date: NaiveDate) -> Option<&'static str> {
    (due_date < start_date).then_some(DUE_BEFORE_START)
}

/// Why a completion date cannot go with this start date; `today` (in Vietnam) bounds
/// it when the completion is reported, `None` where a later date is only a plan.
pub fn completion_date_problem(
    start_date: NaiveDate,
    completion_date: NaiveDate,
    today: Option<NaiveDate>,
) -> Option<&'static str> {
    if completion_date < start_date {
        Some(COMPLETION_BEFORE_START)
    } else if today.is_some_and(|today| completion_date > today) {
        Some(COMPLETION_AFTER_TODAY)
    } else {
        None
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2022, 3, d).unwrap_or_default()
    }

    #[test]
    fn titles_descriptions_and_summaries() {
        assert_eq!(title_problem("  "), Some(TITLE_MISSING.into()));
        assert_eq!(title_problem(&"ô".repeat(301)), Some(TITLE_LENGTH.into()));
        assert!(title_problem("Tủ sách\t").is_some_and(|message| message.contains("U+0009")));
        assert_eq!(title_problem(" Tủ sách pháp luật "), None);
        assert_eq!(title_text_problem(&"ô".repeat(301)), None);
        assert_eq!(title_text_problem(" "), Some(TITLE_MISSING.into()));
        assert_eq!(description_text_problem(&"a".repeat(10_001)), None);
        assert_eq!(description_problem("hai\ndòng"), None);
        assert_eq!(
            description_problem(&"a".repeat(10_001)),
            Some(DESCRIPTION_TOO_LONG.into())
        );
        assert_eq!(result_summary_problem(""), None);
        assert!(result_summary_problem("\u{0}").is_some_and(|message| message.contains("U+0000")));
    }

    #[test]
    fn dates_keep_their_order() {
        assert_eq!(due_date_problem(day(2), day(1)), Some(DUE_BEFORE_START));
        assert_eq!(due_date_problem(day(2), day(2)), None);
        assert_eq!(
            completion_date_problem(day(2), day(1), None),
            Some(COMPLETION_BEFORE_START)
        );
        assert_eq!(
            completion_date_problem(day(2), day(9), Some(day(5))),
            Some(COMPLETION_AFTER_TODAY)
        );
        assert_eq!(completion_date_problem(day(2), day(9), None), None);
    }
}
