//! The forms a browser would send: a valid registration, an edit of a stored initiative,
//! a completion report with its files.

use chrono::NaiveDate;

use super::client::Part;
use super::fixture::SAMPLE_PDF;
use super::harness::TestApp;

/// A complete, valid registration form for `unit_id`; override fields as needed.
pub fn initiative_form(unit_id: i32) -> Vec<(&'static str, String)> {
    vec![
        ("year", "2022".to_owned()),
        ("kind", "model".to_owned()),
        ("title", "Mô hình dân vận khéo".to_owned()),
        ("field", "serving_people".to_owned()),
        (
            "description",
            "Giúp người dân làm thủ tục trực tuyến.".to_owned(),
        ),
        ("unit_id", unit_id.to_string()),
        ("estimated_cost_vnd", "6.000.000".to_owned()),
        ("actual_value_vnd", String::new()),
        ("status", "registered".to_owned()),
        ("start_date", "01/03/2022".to_owned()),
        ("due_date", "2022-12-31".to_owned()),
        ("completion_date", String::new()),
    ]
}

/// Replaces (or adds) one field of a form.
pub fn with(
    mut form: Vec<(&'static str, String)>,
    name: &'static str,
    value: &str,
) -> Vec<(&'static str, String)> {
    match form.iter_mut().find(|(key, _)| *key == name) {
        Some(entry) => entry.1 = value.to_owned(),
        None => form.push((name, value.to_owned())),
    }
    form
}

/// A PDF in the `files` input.
pub fn pdf_part(name: &str) -> Part {
    Part::file(name, "application/pdf", SAMPLE_PDF)
}

/// The fields of a completion report (the CSRF token goes first, see
/// [`Client::post_multipart_csrf`]), then its files.
pub fn report_parts(actual: &str, completed_on: &str, summary: &str, files: &[Part]) -> Vec<Part> {
    let mut parts = vec![
        Part::text("actual_value_vnd", actual),
        Part::text("completion_date", completed_on),
        Part::text("result_summary", summary),
    ];
    parts.extend_from_slice(files);
    parts
}

/// Borrows a form for [`Client::post_form`].
pub fn pairs<'a>(form: &'a [(&'static str, String)]) -> Vec<(&'static str, &'a str)> {
    form.iter()
        .map(|(key, value)| (*key, value.as_str()))
        .collect()
}

/// The form an edit page would send for the stored initiative `id`, at its current version.
pub fn edit_form_of(app: &TestApp, id: i32) -> Vec<(&'static str, String)> {
    let item = app.initiative(id);
    let day = |d: NaiveDate| d.format("%d/%m/%Y").to_string();
    vec![
        ("year", item.year.to_string()),
        ("kind", item.kind.as_str().to_owned()),
        ("title", item.title.clone()),
        ("field", item.field.as_str().to_owned()),
        ("description", item.description.clone()),
        ("unit_id", item.unit_id.to_string()),
        ("estimated_cost_vnd", item.estimated_cost_vnd.to_string()),
        (
            "actual_value_vnd",
            item.actual_value_vnd
                .map(|v| v.to_string())
                .unwrap_or_default(),
        ),
        ("status", item.status.as_str().to_owned()),
        ("start_date", day(item.start_date)),
        ("due_date", day(item.due_date)),
        (
            "completion_date",
            item.completion_date.map(day).unwrap_or_default(),
        ),
        ("version", item.version.to_string()),
    ]
}
