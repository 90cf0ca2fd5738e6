//! GET/POST /reports/settings?year=Y&unit=ID: what a unit's annual report says besides
//! its figures (number, date, place, signer, Nơi nhận, the written sections), set by
//! the reviewers and admins whose scope holds the unit.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use tera::Tera;
use validator::Validate;

use crate::app;
use crate::app::report_settings::{SettingsPage, StoredSettings, Unit};
use crate::auth::{CurrentUser, csrf};
use crate::db::{self, PgPool};
use crate::domain::Year;
use crate::domain::format::{DateError, date_vi, parse_date};
use crate::domain::report::{self, SignerPosition};
use crate::error::AppError;
use crate::web::deadlines::require_reviewer;
use crate::web::forms::{FieldErrors, busy_as_form_error};
use crate::web::selection::{parse_unit, parse_year};
use crate::web::{flash, page_context, render_status, see_other};

const PLACE_MAX: u64 = report::PLACE_MAX_CHARS as u64;
const SIGNER_MAX: u64 = report::SIGNER_MAX_CHARS as u64;
const RECIPIENTS_MAX: u64 = report::RECIPIENTS_MAX_CHARS as u64;
const SECTION_MAX: u64 = report::SECTION_MAX_CHARS as u64;

/// The form as typed, shown again with the messages when something is wrong.
#[derive(Debug, Clone, Default, Deserialize, Serialize, Validate)]
#[serde(default)]
pub struct SettingsForm {
    unit: String,
    year: String,
    document_number: String,
    document_abbreviation: String,
    report_date: String,
    #[validate(length(max = PLACE_MAX, message = "Địa danh tối đa 100 ký tự."))]
    place: String,
    #[validate(length(max = SIGNER_MAX, message = "Họ tên người ký tối đa 100 ký tự."))]
    signer_name: String,
    signer_position: String,
    #[validate(length(max = RECIPIENTS_MAX, message = "Nơi nhận tối đa 2.000 ký tự."))]
    recipients: String,
    #[validate(length(max = SECTION_MAX, message = "Phần đánh giá tối đa 20.000 ký tự."))]
    assessment: String,
    #[validate(length(max = SECTION_MAX, message = "Phần phương hướng tối đa 20.000 ký tự."))]
    next_year: String,
    #[serde(skip_serializing)]
    csrf_token: String,
}

impl SettingsForm {
    fn filled(page: &SettingsPage, year: Year) -> SettingsForm {
        let stored = &page.stored;
        SettingsForm {
            unit: page.unit.id.to_string(),
            year: year.to_string(),
            document_number: stored
                .document_number
                .map(|number| number.to_string())
                .unwrap_or_default(),
            document_abbreviation: page.own_abbreviation.clone().unwrap_or_default(),
            report_date: stored.report_date.map(date_vi).unwrap_or_default(),
            place: stored.place.clone(),
            signer_name: stored.signer_name.clone(),
            signer_position: stored.signer_position.as_str().to_owned(),
            recipients: stored.recipients.clone(),
            assessment: stored.assessment.clone(),
            next_year: stored.next_year.clone(),
            csrf_token: String::new(),
        }
    }

    /// The settings and the unit's own abbreviation, or the messages beside the fields.
    fn parse(&self) -> Result<(StoredSettings, Option<String>), FieldErrors> {
        let mut errors = FieldErrors::default();
        if let Err(validation) = self.validate() {
            errors.add_validation(&validation);
        }
        let document_number = report::parse_number(&self.document_number).unwrap_or_else(|rule| {
            errors.add("document_number", rule);
            None
        });
        if let Some(problem) = report::abbreviation_problem(&self.document_abbreviation) {
            errors.add("document_abbreviation", problem);
        }
        let report_date = match parse_date(&self.report_date) {
            Ok(date) => Some(date),
            Err(DateError::Empty) => None,
            Err(error) => {
                errors.add("report_date", error.message_vi());
                None
            }
        };
        let signer_position = SignerPosition::parse(&self.signer_position).unwrap_or_else(|| {
            errors.add("signer_position", "Hãy chọn chức vụ người ký.");
            SignerPosition::Secretary
        });
        let texts = [
            ("place", "Địa danh", &self.place, false),
            ("signer_name", "Họ tên người ký", &self.signer_name, false),
            ("recipients", "Nơi nhận", &self.recipients, true),
            ("assessment", "Đánh giá chung", &self.assessment, true),
            ("next_year", "Phương hướng, nhiệm vụ", &self.next_year, true),
        ];
        for (field, label, text, multiline) in texts {
            if !errors.has(field)
                && let Some(problem) = report::text_problem(label, text, usize::MAX, multiline)
            {
                errors.add(field, problem);
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let abbreviation = Some(self.document_abbreviation.trim().to_owned())
            .filter(|abbreviation| !abbreviation.is_empty());
        let settings = StoredSettings {
            document_number,
            report_date,
            place: self.place.trim().to_owned(),
            signer_name: self.signer_name.trim().to_owned(),
            signer_position,
            recipients: self.recipients.trim().to_owned(),
            assessment: self.assessment.trim().to_owned(),
            next_year: self.next_year.trim().to_owned(),
        };
        Ok((settings, abbreviation))
    }
}

#[derive(Deserialize)]
pub struct SettingsQuery {
    unit: Option<String>,
    year: Option<String>,
}

/// The position choices for the select.
#[derive(Serialize)]
struct Choice {
    value: &'static str,
    label: &'static str,
}

fn render_page(
    tera: &Tera,
    session: &Session,
    user: &CurrentUser,
    status: StatusCode,
    (unit, page): (&Unit, &SettingsPage),
    form: &SettingsForm,
    errors: &FieldErrors,
) -> Result<HttpResponse, AppError> {
    let positions: Vec<Choice> = SignerPosition::ALL
        .iter()
        .map(|position| Choice {
            value: position.as_str(),
            label: position.label_vi(),
        })
        .collect();
    let mut context = page_context(session, Some(user));
    context.insert("unit", unit);
    context.insert("form", form);
    context.insert("errors", errors);
    context.insert("positions", &positions);
    context.insert("kind_abbreviation", &page.kind_abbreviation);
    context.insert("default_date", &date_vi(page.default_date));
    render_status(tera, status, "reports/settings.html", &context)
}

/// GET /reports/settings?unit=ID&year=Y: the form, filled with what is stored.
pub async fn show(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
    query: web::Query<SettingsQuery>,
) -> Result<HttpResponse, AppError> {
    require_reviewer(&user)?;
    let unit_id = parse_unit(query.unit.as_deref())?
        .or(user.unit_id)
        .ok_or(AppError::BadRequest("unit"))?;
    let year = parse_year(query.year.as_deref())?.unwrap_or_else(Year::current);
    let actor = user.clone();
    let page = db::run_app(&pool, move |conn| {
        app::report_settings::page(conn, &actor, unit_id, year)
    })
    .await?;
    let form = SettingsForm::filled(&page, year);
    render_page(
        &tera,
        &session,
        &user,
        StatusCode::OK,
        (&page.unit, &page),
        &form,
        &FieldErrors::default(),
    )
}

/// POST /reports/settings: stores the settings, or shows the form again with the
/// messages and everything as typed (nothing stored).
pub async fn save(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
    form: web::Form<SettingsForm>,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&session, &form.csrf_token)?;
    require_reviewer(&user)?;
    let form = form.into_inner();
    let unit_id = parse_unit(Some(&form.unit))?.ok_or(AppError::BadRequest("unit"))?;
    let year = Year::parse(&form.year).ok_or(AppError::BadRequest("year"))?;
    let mut errors = match form.parse() {
        Ok((settings, abbreviation)) => {
            let actor = user.clone();
            let saved = db::run_app(&pool, move |conn| {
                app::report_settings::save(
                    conn,
                    &actor,
                    unit_id,
                    year,
                    &settings,
                    abbreviation.as_deref(),
                )
            })
            .await;
            match busy_as_form_error(saved)? {
                Ok(unit) => {
                    flash(&session, "Đã lưu thiết lập báo cáo.");
                    return Ok(see_other(&format!(
                        "/reports/settings?year={year}&unit={}",
                        unit.id
                    )));
                }
                Err(busy) => busy,
            }
        }
        Err(errors) => errors,
    };
    let actor = user.clone();
    let page = db::run_app(&pool, move |conn| {
        app::report_settings::page(conn, &actor, unit_id, year)
    })
    .await?;
    if errors.is_empty() {
        errors.add("report_date", "Chưa lưu được, hãy thử lại.");
    }
    render_page(
        &tera,
        &session,
        &user,
        errors.status(),
        (&page.unit, &page),
        &form,
        &errors,
    )
}
