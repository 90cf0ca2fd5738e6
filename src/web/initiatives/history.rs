//! Turns audit-log rows into lines a person reads: "Trạng thái: Đang thực hiện → Hoàn thành".

use std::collections::HashMap;

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;
use serde_json::Value;

use crate::app::initiatives::History;
use crate::domain::format::{date_vi, vnd_full};
use crate::domain::{Field, InitiativeKind, Review, Status};

#[derive(Debug, Serialize)]
pub struct HistoryItem {
    pub at: DateTime<Utc>,
    pub actor: String,
    pub action: &'static str,
    pub changes: Vec<ChangeLine>,
    pub reason: Option<String>,
}

#[derive(Debug, Serialize)]
pub struct ChangeLine {
    pub label: &'static str,
    pub before: String,
    pub after: String,
}

/// The columns shown in the history, in the order of the form, with their labels.
const COLUMNS: &[(&str, &str)] = &[
    ("carried_over_year", "Chuyển tiếp sang năm"),
    ("carried_from_id", "Chuyển tiếp từ"),
    ("review", "Xem xét"),
    ("evidence_added", "Thêm minh chứng"),
    ("evidence_removed", "Gỡ minh chứng"),
    ("title", "Tên"),
    ("kind", "Loại"),
    ("field", "Lĩnh vực"),
    ("year", "Năm"),
    ("unit_id", "Đơn vị"),
    ("status", "Trạng thái"),
    ("estimated_cost_vnd", "Kinh phí dự kiến"),
    ("actual_value_vnd", "Giá trị thực hiện"),
    ("start_date", "Ngày bắt đầu"),
    ("due_date", "Ngày dự kiến hoàn thành"),
    ("completion_date", "Ngày hoàn thành"),
    ("description", "Mô tả"),
    ("result_summary", "Kết quả đạt được"),
];

/// The history's entries as lines, oldest first.
pub fn describe(history: History) -> Vec<HistoryItem> {
    let History {
        entries,
        unit_names,
    } = history;
    let unit_names = &unit_names;
    entries
        .into_iter()
        .map(|entry| {
            let empty = Value::Null;
            let before = entry.before.as_ref().unwrap_or(&empty);
            let after = entry.after.as_ref().unwrap_or(&empty);
            let changes = COLUMNS
                .iter()
                .filter(|(key, _)| after.get(key).is_some() || before.get(key).is_some())
                .map(|(key, label)| ChangeLine {
                    label,
                    before: show(key, before.get(key), unit_names),
                    after: show(key, after.get(key), unit_names),
                })
                .collect();
            HistoryItem {
                at: entry.at,
                actor: entry.actor_name.unwrap_or_else(|| "Hệ thống".to_owned()),
                action: action_label(&entry.action, before, after),
                changes,
                reason: entry.reason,
            }
        })
        .collect()
}

/// The creation of an initiative carried over from the year before.
pub const CARRIED_FROM: &str = "Chuyển tiếp từ năm trước";
/// The line in the original's history when it is carried into the next year.
pub const CARRIED_OVER: &str = "Chuyển tiếp sang năm sau";

/// Names the step an entry records: a workflow step, evidence, or a plain edit.
fn action_label(action: &str, before: &Value, after: &Value) -> &'static str {
    let review = |side: &Value| {
        side.get("review")
            .and_then(Value::as_str)
            .and_then(Review::parse)
    };
    let carried_from = after.get("carried_from_id").is_some_and(|id| !id.is_null());
    match action {
        "create" if carried_from => return CARRIED_FROM,
        "create" => return "Đăng ký",
        "delete" => return "Xóa",
        _ => {}
    }
    if after.get("carried_over_to").is_some() {
        return CARRIED_OVER;
    }
    if after.get("evidence_added").is_some() {
        return "Thêm minh chứng";
    }
    if after.get("evidence_removed").is_some() {
        return "Gỡ minh chứng";
    }
    match (review(before), review(after)) {
        (_, Some(Review::Approved)) => "Duyệt đăng ký",
        (_, Some(Review::ReturnedRegistration)) => "Trả lại đăng ký",
        (_, Some(Review::PendingApproval)) => "Gửi lại để duyệt",
        (_, Some(Review::PendingAcceptance)) => "Báo cáo hoàn thành",
        (_, Some(Review::Accepted)) => "Nghiệm thu",
        (Some(Review::Accepted), Some(Review::ReturnedCompletion)) => "Mở lại",
        (_, Some(Review::ReturnedCompletion)) => "Trả lại kết quả",
        _ => "Cập nhật",
    }
}

fn show(key: &str, value: Option<&Value>, unit_names: &HashMap<i32, String>) -> String {
    let Some(value) = value.filter(|value| !value.is_null()) else {
        return String::new();
    };
    let text = value.as_str();
    match key {
        "kind" => text
            .and_then(InitiativeKind::parse)
            .map(|kind| kind.label_vi().to_owned()),
        "field" => text
            .and_then(Field::parse)
            .map(|field| field.label_vi().to_owned()),
        "status" => text
            .and_then(Status::parse)
            .map(|status| status.label_vi().to_owned()),
        "review" => text
            .and_then(Review::parse)
            .map(|review| review.label_vi().to_owned()),
        "estimated_cost_vnd" | "actual_value_vnd" => value.as_i64().map(vnd_full),
        "start_date" | "due_date" | "completion_date" => text
            .and_then(|text| NaiveDate::parse_from_str(text, "%Y-%m-%d").ok())
            .map(date_vi),
        "carried_from_id" => value
            .as_i64()
            .map(|id| format!("mô hình, công trình số {id}")),
        "unit_id" => value
            .as_i64()
            .and_then(|id| i32::try_from(id).ok())
            .and_then(|id| unit_names.get(&id).cloned()),
        _ => None,
    }
    .unwrap_or_else(|| match value {
        Value::String(text) => text.clone(),
        other => other.to_string(),
    })
}
