//! Initiatives: the list with filters, registering, the detail page with its
//! history, and editing with status changes.

pub mod carry_over;
pub mod detail;
pub mod evidence;
pub mod form;
pub mod history;
pub mod list;
pub mod review;
pub mod upload_refusal;

pub use list::list;

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use tera::{Context, Tera};

use crate::app::initiatives::edit::{self, Edited, NotSaved, Registered};
use crate::app::initiatives::pages::{self, EditForm};
use crate::app::initiatives::{History, InitiativeListed};
use crate::app::unit_picker::UnitPicker;
use crate::auth::{CurrentUser, csrf, permissions};
use crate::db::{self, PgPool};
use crate::domain::Scope;
use crate::domain::Year;
use crate::domain::registration::RegistrationClosed;
use crate::error::AppError;
use crate::web::forms::{FieldErrors, insert_initiative_choices};
use crate::web::{flash, page_context, render_status, see_other};
use form::InitiativeForm;

/// Everything the register/edit form page shows.
struct FormPage<'a> {
    form: &'a InitiativeForm,
    errors: &'a FieldErrors,
    unit_picker: &'a UnitPicker,
    editing: Option<&'a InitiativeListed>,
    conflict: Option<&'a InitiativeListed>,
}

fn render_form(
    tera: &Tera,
    mut context: Context,
    status: StatusCode,
    page: FormPage<'_>,
) -> Result<HttpResponse, AppError> {
    insert_initiative_choices(&mut context);
    context.insert("form", page.form);
    let reviewer = context
        .get("current_user")
        .and_then(|user| user.get("reviewer_name"))
        .and_then(|name| name.as_str())
        .unwrap_or(crate::domain::NEUTRAL_REVIEWER)
        .to_owned();
    context.insert("errors", &page.errors.naming_reviewer(&reviewer));
    context.insert("unit_picker", page.unit_picker);
    context.insert("editing", &page.editing);
    context.insert("conflict", &page.conflict);
    render_status(tera, status, "initiatives/form.html", &context)
}

/// The last `count` versioned changes of an initiative (evidence files carry no
/// version), as history lines.
fn changes_since(history: History, count: i32) -> Vec<history::HistoryItem> {
    let mut versioned: Vec<_> = history::describe(history)
        .into_iter()
        .filter(|item| {
            item.action != "Thêm minh chứng"
                && item.action != "Gỡ minh chứng"
                && item.action != "Đăng ký"
                && item.action != history::CARRIED_FROM
                && item.action != history::CARRIED_OVER
        })
        .collect();
    let keep = usize::try_from(count).unwrap_or(0).min(versioned.len());
    versioned.split_off(versioned.len() - keep)
}

/// The registration form's unit picker for what the form holds.
async fn form_picker(
    pool: &PgPool,
    scope: Scope,
    form: &InitiativeForm,
) -> Result<UnitPicker, AppError> {
    let (unit_value, input) = (form.unit_id.clone(), form.picker.clone());
    db::run_app(pool, move |conn| {
        pages::form_picker(conn, scope, &unit_value, &input)
    })
    .await
}

/// GET /initiatives/new
pub async fn new_form(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
) -> Result<HttpResponse, AppError> {
    permissions::require_initiative_editor(&user)?;
    let scope = user.scope();
    let default_unit = match scope {
        Scope::Subtree(unit_id) => Some(unit_id),
        Scope::Everything => None,
    };
    let form = InitiativeForm::blank(Year::current(), default_unit);
    let unit_picker = form_picker(&pool, scope, &form).await?;
    let actor = user.clone();
    let reopening = db::run_app(&pool, move |conn| {
        crate::app::deadlines::own_reopening(conn, &actor, Year::current())
    })
    .await?;
    let mut context = page_context(&session, Some(&user));
    context.insert("reopening", &reopening);
    let page = FormPage {
        form: &form,
        errors: &FieldErrors::default(),
        unit_picker: &unit_picker,
        editing: None,
        conflict: None,
    };
    render_form(&tera, context, StatusCode::OK, page)
}

/// POST /initiatives
pub async fn create(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
    form: web::Form<InitiativeForm>,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&session, &form.csrf_token)?;
    permissions::require_initiative_editor(&user)?;
    let form = form.into_inner();
    // A search in the unit picker: the form again, as typed, nothing saved.
    let errors = if form.picker.is_browsing() {
        FieldErrors::default()
    } else {
        let parsed = form.parse();
        let requested_unit = form.requested_unit();
        let draft = parsed.as_ref().ok().cloned();
        let actor = user.clone();
        let registered = db::run_app(&pool, move |conn| {
            edit::register(conn, &actor, requested_unit, draft.as_ref())
        })
        .await;
        match registered {
            Ok(Registered::Saved(id)) => {
                flash(&session, "Đã đăng ký mô hình, công trình.");
                return Ok(see_other(&format!("/initiatives/{id}")));
            }
            Ok(Registered::NotSaved(not_saved)) => form_errors(parsed.err(), not_saved),
            Err(AppError::Busy) => FieldErrors::busy(),
            Err(error) => return Err(error),
        }
    };
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        errors.status()
    };
    let unit_picker = form_picker(&pool, user.scope(), &form).await?;
    let context = page_context(&session, Some(&user));
    let page = FormPage {
        form: &form,
        errors: &errors,
        unit_picker: &unit_picker,
        editing: None,
        conflict: None,
    };
    render_form(&tera, context, status, page)
}

/// The form's own errors and why the use case did not save it, beside their fields.
fn form_errors(parsed: Option<FieldErrors>, not_saved: NotSaved) -> FieldErrors {
    let mut errors = parsed.unwrap_or_default();
    if not_saved.unit_outside {
        errors.add("unit_id", "Đơn vị này không thuộc phạm vi quản lý của bạn.");
    }
    if let Some(closed) = not_saved.closed {
        errors.add("year", registration_closed_message(closed));
    }
    if not_saved.pair_stays {
        // Moving either of a carried-over pair would count the same work twice in a year.
        errors.add("year", crate::domain::carry_over::PAIR_STAYS);
    }
    errors
}

/// Why registering for a unit and year is closed to the person (`domain::registration`),
/// written with the neutral name of the reviewer (`web::initiatives::detail::render` and
/// `render_form` name the secretary's own).
pub(crate) fn registration_closed_message(closed: RegistrationClosed) -> String {
    format!(
        "Đã hết hạn đăng ký năm {} (ngày {}). Hãy đề nghị {} mở lại đăng ký cho đơn vị.",
        closed.year,
        crate::domain::format::date_vi(closed.deadline),
        crate::domain::NEUTRAL_REVIEWER
    )
}

/// GET /initiatives/{id}
pub async fn show(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let detail = detail::load(&pool, &user, id.into_inner()).await?;
    detail::render(
        &tera,
        &session,
        &user,
        &detail,
        StatusCode::OK,
        &detail::Feedback::default(),
    )
}

/// The edit form's page: the form with the initiative as it stands, or the detail page
/// saying why it cannot be edited now. `typed`: the form as sent (a picker search).
async fn edit_page(
    tera: &Tera,
    pool: &PgPool,
    session: &Session,
    user: &CurrentUser,
    id: i32,
    typed: Option<&InitiativeForm>,
    errors: &FieldErrors,
) -> Result<HttpResponse, AppError> {
    let actor = user.clone();
    let sent = typed.map(|form| (form.unit_id.clone(), form.picker.clone()));
    let page = db::run_app(pool, move |conn| {
        let sent = sent.as_ref().map(|(unit, input)| (unit.as_str(), input));
        pages::edit_form(conn, &actor, id, sent)
    })
    .await?;
    let (current, unit_picker) = match page {
        EditForm::Shown {
            current,
            unit_picker,
        } => (current, unit_picker),
        EditForm::Refused(refusal) => {
            let answer = detail::Feedback::refused(refusal);
            return detail::refused(tera, pool, session, user, id, answer).await;
        }
    };
    let stored = InitiativeForm::from_initiative(&current.initiative);
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        errors.status()
    };
    let page = FormPage {
        form: typed.unwrap_or(&stored),
        errors,
        unit_picker: &unit_picker,
        editing: Some(&current),
        conflict: None,
    };
    render_form(tera, page_context(session, Some(user)), status, page)
}

/// GET /initiatives/{id}/edit
pub async fn edit_form(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let no_errors = FieldErrors::default();
    edit_page(
        &tera,
        &pool,
        &session,
        &user,
        id.into_inner(),
        None,
        &no_errors,
    )
    .await
}

/// POST /initiatives/{id}: saves only over the version the form was loaded from.
pub async fn update(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
    id: web::Path<i32>,
    form: web::Form<InitiativeForm>,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&session, &form.csrf_token)?;
    let id = id.into_inner();
    let mut form = form.into_inner();
    if form.picker.is_browsing() {
        // A search in the unit picker: the form again, as typed, nothing saved.
        let no_errors = FieldErrors::default();
        return edit_page(&tera, &pool, &session, &user, id, Some(&form), &no_errors).await;
    }
    let parsed = form.parse();
    let loaded = form.expected_version();
    let draft = parsed.as_ref().ok().cloned().zip(loaded);
    let requested_unit = form.requested_unit();
    let resubmit = form.resubmits();
    let actor = user.clone();
    let edited = db::run_app(&pool, move |conn| {
        let draft = draft.as_ref().map(|(draft, version)| (draft, *version));
        edit::update(conn, &actor, id, requested_unit, draft, resubmit)
    })
    .await;
    let (current, errors) = match edited {
        Ok(Edited::Saved) => {
            flash(&session, "Đã lưu thay đổi.");
            return Ok(see_other(&format!("/initiatives/{id}")));
        }
        Ok(Edited::SavedAndResubmitted) => {
            flash(&session, "Đã lưu và gửi lại đăng ký để duyệt.");
            return Ok(see_other(&format!("/initiatives/{id}")));
        }
        Ok(Edited::Refused(refusal)) => {
            let answer = detail::Feedback::refused(refusal);
            return detail::refused(&tera, &pool, &session, &user, id, answer).await;
        }
        Ok(Edited::Conflict { latest, history }) => {
            // On a conflict, show what others changed since the form was loaded.
            let since = changes_since(history, latest.initiative.version - loaded.unwrap_or(0));
            let unit_picker = form_picker(&pool, user.scope(), &form).await?;
            // Keep the person's input, but let a deliberate second save go over the new version.
            form.version = latest.initiative.version.to_string();
            let page = FormPage {
                form: &form,
                errors: &FieldErrors::default(),
                unit_picker: &unit_picker,
                editing: Some(&latest),
                conflict: Some(&latest),
            };
            let mut context = page_context(&session, Some(&user));
            context.insert("conflict_changes", &since);
            return render_form(&tera, context, StatusCode::CONFLICT, page);
        }
        Ok(Edited::NotSaved { current, not_saved }) => {
            let mut errors = parsed.err();
            if errors.is_none() && loaded.is_none() {
                let mut missing = FieldErrors::default();
                missing.add(
                    "version",
                    "Biểu mẫu thiếu phiên bản dữ liệu. Hãy mở lại trang sửa.",
                );
                errors = Some(missing);
            }
            (current, form_errors(errors, not_saved))
        }
        // Nothing saved: the form again, beside the initiative as it stands now.
        Err(AppError::Busy) => {
            let busy = FieldErrors::busy();
            return edit_page(&tera, &pool, &session, &user, id, Some(&form), &busy).await;
        }
        Err(error) => return Err(error),
    };
    let unit_picker = form_picker(&pool, user.scope(), &form).await?;
    let status = if errors.is_empty() {
        StatusCode::OK
    } else {
        errors.status()
    };
    let page = FormPage {
        form: &form,
        errors: &errors,
        unit_picker: &unit_picker,
        editing: Some(&current),
        conflict: None,
    };
    render_form(&tera, page_context(&session, Some(&user)), status, page)
}
