//! Deadlines per year and unit (set by reviewers and admins), and reopening
//! registration for a unit after the deadline.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use tera::Tera;

use crate::app;
use crate::app::deadlines::{Deadlines, ReportingBeforeRegistration};
use crate::auth::{CurrentUser, csrf};
use crate::db::{self, PgPool};
use crate::domain::format::{DateError, parse_date};
use crate::domain::{Role, Year};
use crate::error::AppError;
use crate::web::forms::{FieldErrors, busy_as_form_error};
use crate::web::selection::{parse_unit, parse_year};
use crate::web::{flash, page_context, render_status, see_other};

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct DeadlineForm {
    unit: String,
    year: String,
    registration_deadline: String,
    reporting_deadline: String,
    #[serde(skip_serializing)]
    csrf_token: String,
}

#[derive(Deserialize)]
pub struct DeadlineQuery {
    unit: Option<String>,
    year: Option<String>,
}

/// Reviewers and admins set deadlines and report settings.
pub(crate) fn require_reviewer(user: &CurrentUser) -> Result<(), AppError> {
    match user.role {
        Role::Reviewer | Role::Admin => Ok(()),
        Role::Secretary => Err(AppError::Forbidden),
    }
}

fn optional_date(
    input: &str,
    field: &'static str,
    errors: &mut FieldErrors,
) -> Option<chrono::NaiveDate> {
    match parse_date(input) {
        Ok(date) => Some(date),
        Err(DateError::Empty) => None,
        Err(error) => {
            errors.add(field, error.message_vi());
            None
        }
    }
}

/// GET /deadlines?unit=ID&year=Y: the form, filled with what applies now.
pub async fn show(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
    query: web::Query<DeadlineQuery>,
) -> Result<HttpResponse, AppError> {
    require_reviewer(&user)?;
    let requested_unit = parse_unit(query.unit.as_deref())?;
    let year = parse_year(query.year.as_deref())?.unwrap_or_else(Year::current);
    let actor = user.clone();
    let page = db::run_app(&pool, move |conn| {
        app::deadlines::page(conn, &actor, requested_unit, year)
    })
    .await?;
    let (unit, own, inherited) = (page.unit, page.own, page.inherited);
    let date = |date: Option<chrono::NaiveDate>| {
        date.map(crate::domain::format::date_vi).unwrap_or_default()
    };
    let own = own.as_ref();
    let form = DeadlineForm {
        unit: unit.id.to_string(),
        year: year.get().to_string(),
        registration_deadline: date(own.and_then(|deadline| deadline.registration_deadline)),
        reporting_deadline: date(own.and_then(|deadline| deadline.reporting_deadline)),
        csrf_token: String::new(),
    };
    let mut context = page_context(&session, Some(&user));
    context.insert("unit", &unit);
    context.insert("inherited", &inherited);
    context.insert("form", &form);
    context.insert("errors", &FieldErrors::default());
    render_status(&tera, StatusCode::OK, "deadlines.html", &context)
}

/// POST /deadlines: sets the deadlines of a unit in scope for a year.
pub async fn save(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
    form: web::Form<DeadlineForm>,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&session, &form.csrf_token)?;
    require_reviewer(&user)?;
    let form = form.into_inner();
    let mut errors = FieldErrors::default();
    let unit_id = parse_unit(Some(&form.unit))?.ok_or(AppError::BadRequest("unit"))?;
    let year = Year::parse(&form.year);
    if year.is_none() {
        errors.add(
            "year",
            format!("Năm phải là số từ {} đến {}.", Year::MIN, Year::MAX),
        );
    }
    let registration = optional_date(
        &form.registration_deadline,
        "registration_deadline",
        &mut errors,
    );
    let reporting = optional_date(&form.reporting_deadline, "reporting_deadline", &mut errors);
    let deadlines = match Deadlines::new(registration, reporting) {
        Ok(deadlines) => Some(deadlines),
        Err(ReportingBeforeRegistration) => {
            errors.add(
                "reporting_deadline",
                "Hạn báo cáo không được trước hạn đăng ký.",
            );
            None
        }
    };
    let actor = user.clone();
    if let (Some(year), Some(deadlines)) = (year, deadlines)
        && errors.is_empty()
    {
        let set = db::run_app(&pool, move |conn| {
            app::deadlines::set(conn, &actor, unit_id, year, deadlines)
        })
        .await;
        match busy_as_form_error(set)? {
            Ok(unit) => {
                flash(&session, "Đã lưu thời hạn.");
                return Ok(see_other(&format!(
                    "/dashboard?year={}&unit={}",
                    form.year.trim(),
                    unit.id
                )));
            }
            Err(busy) => errors = busy,
        }
    }
    let actor = user.clone();
    let unit = db::run_app(&pool, move |conn| {
        app::deadlines::unit(conn, &actor, unit_id)
    })
    .await?;
    let mut context = page_context(&session, Some(&user));
    context.insert("unit", &unit);
    context.insert("inherited", &Option::<()>::None);
    context.insert("form", &form);
    context.insert("errors", &errors);
    render_status(&tera, errors.status(), "deadlines.html", &context)
}

#[derive(Deserialize)]
pub struct ReopenForm {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    year: String,
    #[serde(default)]
    csrf_token: String,
}

/// POST /deadlines/reopen: lets one unit (and those under it) register after the deadline.
pub async fn reopen(
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
    form: web::Form<ReopenForm>,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&session, &form.csrf_token)?;
    require_reviewer(&user)?;
    let unit_id = parse_unit(Some(&form.unit))?.ok_or(AppError::BadRequest("unit"))?;
    let year = Year::parse(&form.year).ok_or(AppError::BadRequest("year"))?;
    let actor = user.clone();
    let unit = db::run_app(&pool, move |conn| {
        app::deadlines::reopen(conn, &actor, unit_id, year)
    })
    .await?;
    let year = year.get();
    flash(
        &session,
        &format!("Đã mở lại đăng ký năm {year} cho {}.", unit.name),
    );
    Ok(see_other(&format!(
        "/dashboard?year={year}&unit={}",
        unit.parent_id.unwrap_or(unit.id)
    )))
}
