//! Deadlines per year and unit (set by reviewers and admins), and reopening
//! registration for any unit in scope after the deadline, until an end date.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use tera::Tera;

use crate::app;
use crate::app::deadlines::{Deadlines, ReopenPick, ReportingBeforeRegistration};
use crate::auth::{CurrentUser, csrf};
use crate::db::{self, PgPool};
use crate::domain::format::{DateError, date_vi, parse_date};
use crate::domain::{Role, Year, registration, today_in_vietnam};
use crate::error::AppError;
use crate::web::forms::{FieldErrors, busy_as_form_error};
use crate::web::selection::{parse_unit, parse_year};
use crate::web::unit_picker::{PickerInput, form_status};
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

/// GET /deadlines?unit=ID&year=Y: the form, filled with what applies now, and the
/// reopening form.
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
    let shown = Shown {
        unit: requested_unit,
        year,
        deadlines: None,
        deadline_errors: FieldErrors::default(),
        reopen: None,
        reopen_errors: FieldErrors::default(),
    };
    render_page(&tera, &pool, &session, &user, shown, StatusCode::OK).await
}

/// What the deadlines page shows: the forms as typed (`None`: as stored) and their errors.
struct Shown {
    unit: Option<i32>,
    year: Year,
    deadlines: Option<DeadlineForm>,
    deadline_errors: FieldErrors,
    reopen: Option<ReopenForm>,
    reopen_errors: FieldErrors,
}

/// The deadlines page of a unit (by default the top of the scope) with both its forms.
async fn render_page(
    tera: &Tera,
    pool: &PgPool,
    session: &Session,
    user: &CurrentUser,
    shown: Shown,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let actor = user.clone();
    let pick = ReopenPick {
        unit: shown
            .reopen
            .as_ref()
            .map(|form| form.unit.clone())
            .unwrap_or_default(),
        input: shown
            .reopen
            .as_ref()
            .map(|form| form.picker.clone())
            .unwrap_or_default(),
    };
    let (requested_unit, year) = (shown.unit, shown.year);
    let page = db::run_app(pool, move |conn| {
        app::deadlines::page(conn, &actor, requested_unit, year, &pick)
    })
    .await?;
    let date = |date: Option<chrono::NaiveDate>| date.map(date_vi).unwrap_or_default();
    let own = page.own.as_ref();
    let form = shown.deadlines.unwrap_or_else(|| DeadlineForm {
        unit: page.unit.id.to_string(),
        year: year.get().to_string(),
        registration_deadline: date(own.and_then(|deadline| deadline.registration_deadline)),
        reporting_deadline: date(own.and_then(|deadline| deadline.reporting_deadline)),
        csrf_token: String::new(),
    });
    let reopen = shown.reopen.unwrap_or_else(|| ReopenForm {
        unit: page.unit.id.to_string(),
        year: year.get().to_string(),
        until: date_vi(app::deadlines::suggested_reopening_end()),
        page_unit: page.unit.id.to_string(),
        ..ReopenForm::default()
    });
    let mut context = page_context(session, Some(user));
    context.insert("unit", &page.unit);
    context.insert("inherited", &page.inherited);
    context.insert("form", &form);
    context.insert("errors", &shown.deadline_errors);
    context.insert("reopening", &page.reopening);
    context.insert("reopenings", &page.reopenings);
    context.insert("reopenings_shown", &app::deadlines::REOPENINGS_SHOWN);
    context.insert("reopen", &reopen);
    context.insert("reopen_picker", &page.reopen_picker);
    context.insert("reopen_errors", &shown.reopen_errors);
    render_status(tera, status, "deadlines.html", &context)
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
    let status = errors.status();
    let shown = Shown {
        unit: Some(unit_id),
        year: year.unwrap_or_else(Year::current),
        deadlines: Some(form),
        deadline_errors: errors,
        reopen: None,
        reopen_errors: FieldErrors::default(),
    };
    render_page(&tera, &pool, &session, &user, shown, status).await
}

#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ReopenForm {
    unit: String,
    year: String,
    /// The last day the unit may register: "Mở lại đăng ký đến ngày".
    until: String,
    /// The unit whose deadlines page the form is on (absent from the dashboard's buttons).
    page_unit: String,
    #[serde(flatten)]
    picker: PickerInput,
    #[serde(skip_serializing)]
    csrf_token: String,
}

/// The end date typed on a reopening form, or the message to show beside it.
fn reopening_end(input: &str) -> Result<chrono::NaiveDate, String> {
    match parse_date(input) {
        Ok(until) => registration::reopening_until(until, today_in_vietnam())
            .map_err(|refused| refused.message_vi()),
        Err(DateError::Empty) => {
            Err("Hãy nhập ngày kết thúc mở lại đăng ký (dd/mm/yyyy).".to_owned())
        }
        Err(error) => Err(error.message_vi().to_owned()),
    }
}

/// POST /deadlines/reopen: lets one unit in scope (and those under it) register for a
/// year after the deadline, until the end date typed. From the dashboard's buttons or
/// the deadlines page; a form with errors comes back on the deadlines page.
pub async fn reopen(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
    form: web::Form<ReopenForm>,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&session, &form.csrf_token)?;
    require_reviewer(&user)?;
    let form = form.into_inner();
    let year = Year::parse(&form.year).ok_or(AppError::BadRequest("year"))?;
    let browsing = form.picker.is_browsing();
    let mut errors = FieldErrors::default();
    // The unit comes from a hidden field or a picker that always has one chosen: none
    // is a forged request, unless the person is only browsing the picker.
    let unit_id = parse_unit(Some(&form.unit))?;
    if unit_id.is_none() && !browsing {
        return Err(AppError::BadRequest("unit"));
    }
    let until = match reopening_end(&form.until) {
        Ok(until) => Some(until),
        Err(_) if browsing => None,
        Err(message) => {
            errors.add("until", message);
            None
        }
    };
    if let (Some(unit_id), Some(until), false) = (unit_id, until, browsing)
        && errors.is_empty()
    {
        let actor = user.clone();
        let unit = db::run_app(&pool, move |conn| {
            app::deadlines::reopen(conn, &actor, unit_id, year, until)
        })
        .await?;
        let year = year.get();
        flash(
            &session,
            &format!(
                "Đã mở lại đăng ký năm {year} cho {} đến hết ngày {}.",
                unit.name,
                date_vi(until)
            ),
        );
        return Ok(see_other(&format!(
            "/dashboard?year={year}&unit={}",
            unit.parent_id.unwrap_or(unit.id)
        )));
    }
    // Shown on the deadlines page it was sent from, or the reopened unit's.
    let page_unit = parse_unit(Some(&form.page_unit)).ok().flatten().or(unit_id);
    let status = form_status(browsing, &errors);
    let shown = Shown {
        unit: page_unit,
        year,
        deadlines: None,
        deadline_errors: FieldErrors::default(),
        reopen: Some(form),
        reopen_errors: errors,
    };
    render_page(&tera, &pool, &session, &user, shown, status).await
}
