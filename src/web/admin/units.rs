//! Admin pages for units: list as a tree, create, edit, move (change parent) and deactivate.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use diesel::PgConnection;
use serde::{Deserialize, Serialize};
use tera::{Context, Tera};
use validator::Validate;

use crate::auth::{CurrentUser, Scope, csrf, permissions};
use crate::db::{self, PgPool};
use crate::domain::{UnitKind, unit};
use crate::error::AppError;
use crate::store;
use crate::store::units::{Unit, UnitFields, UnitInTree};
use crate::web::forms::{
    FieldErrors, NotANumber, checkbox, choices, form_error_if_busy, labels, optional_id,
};
use crate::web::{flash, page_context, render, render_status, see_other};

#[derive(Debug, Clone, Default, Deserialize, Serialize, Validate)]
#[serde(default)]
pub struct UnitForm {
    code: String,
    #[validate(length(min = 1, max = 300, message = "Tên đơn vị cần có từ 1 đến 300 ký tự."))]
    name: String,
    kind: String,
    parent_id: String,
    expected_to_register: Option<String>,
    active: Option<String>,
    #[serde(skip_serializing)]
    csrf_token: String,
}

impl UnitForm {
    fn from_unit(unit: &Unit) -> UnitForm {
        UnitForm {
            code: unit.code.clone(),
            name: unit.name.clone(),
            kind: unit.kind.as_str().to_owned(),
            parent_id: unit.parent_id.map(|id| id.to_string()).unwrap_or_default(),
            expected_to_register: unit.expected_to_register.then(|| "on".to_owned()),
            active: unit.active.then(|| "on".to_owned()),
            csrf_token: String::new(),
        }
    }

    /// Parses the form; `editing` is the unit being edited (it cannot become its own descendant).
    fn parse(
        &self,
        conn: &mut PgConnection,
        editing: Option<i32>,
    ) -> Result<Result<UnitFields, FieldErrors>, AppError> {
        let mut errors = FieldErrors::default();
        if let Err(validation) = self.validate() {
            errors.add_validation(&validation);
        }
        let code = match unit::normalize_code(&self.code) {
            Ok(code) => {
                if let Some(existing) = store::units::find_by_code(conn, &code)?
                    && Some(existing.id) != editing
                {
                    errors.add("code", unit::CODE_TAKEN);
                }
                code
            }
            Err(problem) => {
                errors.add("code", problem);
                String::new()
            }
        };
        let name = self.name.trim().to_owned();
        if let Some(problem) = unit::name_problem(&name) {
            errors.add("name", problem);
        }
        let kind = UnitKind::parse(self.kind.trim());
        if kind.is_none() {
            errors.add("kind", "Hãy chọn loại tổ chức trong danh sách.");
        }
        let parent_id = match optional_id(&self.parent_id) {
            Err(NotANumber) => {
                errors.add("parent_id", "Đơn vị cấp trên không hợp lệ.");
                None
            }
            Ok(None) => None,
            Ok(Some(parent_id)) => {
                if store::units::find_in_scope(conn, Scope::Everything, parent_id)?.is_none() {
                    errors.add("parent_id", "Đơn vị cấp trên không tồn tại.");
                } else if let Some(unit_id) = editing
                    && store::units::is_in_subtree(conn, unit_id, parent_id)?
                {
                    errors.add(
                        "parent_id",
                        "Không thể chuyển đơn vị vào chính nó hoặc đơn vị cấp dưới của nó.",
                    );
                }
                Some(parent_id)
            }
        };
        Ok(match kind {
            Some(kind) if errors.is_empty() => Ok(UnitFields {
                code,
                name,
                kind,
                parent_id,
                expected_to_register: checkbox(&self.expected_to_register),
                active: checkbox(&self.active),
            }),
            _ => Err(errors),
        })
    }
}

fn code_taken() -> FieldErrors {
    let mut errors = FieldErrors::default();
    errors.add("code", unit::CODE_TAKEN);
    errors
}

fn render_form(
    tera: &Tera,
    mut context: Context,
    status: StatusCode,
    form: &UnitForm,
    errors: &FieldErrors,
    units: &[UnitInTree],
    editing: Option<i32>,
) -> Result<HttpResponse, AppError> {
    context.insert("form", form);
    context.insert("errors", errors);
    context.insert("units", units);
    context.insert("editing", &editing);
    if !context.contains_key("merge") {
        context.insert("merge", &MergeForm::default());
        context.insert("merge_errors", &FieldErrors::default());
    }
    context.insert(
        "unit_kinds",
        &choices(UnitKind::ALL, UnitKind::as_str, UnitKind::label_vi),
    );
    render_status(tera, status, "admin/unit_form.html", &context)
}

/// GET /admin/units
pub async fn list(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
) -> Result<HttpResponse, AppError> {
    permissions::require_admin(&user)?;
    let units = db::run(&pool, |conn| {
        Ok(store::units::tree_in_scope(conn, Scope::Everything, false)?)
    })
    .await?;
    let mut context = page_context(&session, Some(&user));
    context.insert("units", &units);
    context.insert(
        "unit_kind_labels",
        &labels(UnitKind::ALL, UnitKind::as_str, UnitKind::label_vi),
    );
    render(&tera, "admin/units.html", &context)
}

/// GET /admin/units/new
pub async fn new_form(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
) -> Result<HttpResponse, AppError> {
    permissions::require_admin(&user)?;
    let units = db::run(&pool, |conn| {
        Ok(store::units::tree_in_scope(conn, Scope::Everything, false)?)
    })
    .await?;
    let form = UnitForm {
        expected_to_register: Some("on".to_owned()),
        active: Some("on".to_owned()),
        ..UnitForm::default()
    };
    let context = page_context(&session, Some(&user));
    render_form(
        &tera,
        context,
        StatusCode::OK,
        &form,
        &FieldErrors::default(),
        &units,
        None,
    )
}

/// POST /admin/units
pub async fn create(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
    form: web::Form<UnitForm>,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&session, &form.csrf_token)?;
    permissions::require_admin(&user)?;
    let actor_id = user.id;
    let submitted = form.into_inner();
    let form = submitted.clone();
    let (outcome, units) = db::run(&pool, move |conn| {
        let outcome = match submitted.parse(conn, None)? {
            Ok(fields) => match store::units::insert(conn, Some(actor_id), &fields) {
                Ok(unit) => Ok(unit),
                // Someone took the code between the check and the insert.
                Err(error) if store::is_unique_violation(&error) => Err(code_taken()),
                Err(error) => Err(form_error_if_busy(error)?),
            },
            Err(errors) => Err(errors),
        };
        Ok((
            outcome,
            store::units::tree_in_scope(conn, Scope::Everything, false)?,
        ))
    })
    .await?;
    match outcome {
        Ok(unit) => {
            flash(&session, &format!("Đã thêm đơn vị {}.", unit.name));
            Ok(see_other("/admin/units"))
        }
        Err(errors) => {
            let context = page_context(&session, Some(&user));
            render_form(
                &tera,
                context,
                errors.status(),
                &form,
                &errors,
                &units,
                None,
            )
        }
    }
}

/// GET /admin/units/{id}/edit
pub async fn edit_form(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    permissions::require_admin(&user)?;
    let id = id.into_inner();
    let (unit, units) = db::run(&pool, move |conn| {
        let unit =
            store::units::find_in_scope(conn, Scope::Everything, id)?.ok_or(AppError::NotFound)?;
        Ok((
            unit,
            store::units::tree_in_scope(conn, Scope::Everything, false)?,
        ))
    })
    .await?;
    let context = page_context(&session, Some(&user));
    let form = UnitForm::from_unit(&unit);
    render_form(
        &tera,
        context,
        StatusCode::OK,
        &form,
        &FieldErrors::default(),
        &units,
        Some(id),
    )
}

/// POST /admin/units/{id}
pub async fn update(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
    id: web::Path<i32>,
    form: web::Form<UnitForm>,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&session, &form.csrf_token)?;
    permissions::require_admin(&user)?;
    let id = id.into_inner();
    let actor_id = user.id;
    let submitted = form.into_inner();
    let form = submitted.clone();
    let (outcome, units) = db::run(&pool, move |conn| {
        store::units::find_in_scope(conn, Scope::Everything, id)?.ok_or(AppError::NotFound)?;
        let outcome = match submitted.parse(conn, Some(id))? {
            Ok(fields) => match store::units::update(conn, actor_id, id, &fields) {
                Ok(unit) => Ok(unit),
                Err(error) if store::is_unique_violation(&error) => Err(code_taken()),
                Err(error) => Err(form_error_if_busy(error)?),
            },
            Err(errors) => Err(errors),
        };
        Ok((
            outcome,
            store::units::tree_in_scope(conn, Scope::Everything, false)?,
        ))
    })
    .await?;
    match outcome {
        Ok(unit) => {
            flash(&session, &format!("Đã lưu đơn vị {}.", unit.name));
            Ok(see_other("/admin/units"))
        }
        Err(errors) => {
            let context = page_context(&session, Some(&user));
            render_form(
                &tera,
                context,
                errors.status(),
                &form,
                &errors,
                &units,
                Some(id),
            )
        }
    }
}

/// The merge form on a unit's edit page.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct MergeForm {
    into: String,
    from_year: String,
    #[serde(skip_serializing)]
    csrf_token: String,
}

impl Default for MergeForm {
    fn default() -> Self {
        MergeForm {
            into: String::new(),
            from_year: crate::domain::Year::current().get().to_string(),
            csrf_token: String::new(),
        }
    }
}

/// POST /admin/units/{id}/merge: the unit joins another one (see `store::units::merge`).
pub async fn merge(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
    id: web::Path<i32>,
    form: web::Form<MergeForm>,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&session, &form.csrf_token)?;
    permissions::require_admin(&user)?;
    let id = id.into_inner();
    let actor_id = user.id;
    let form = form.into_inner();
    let mut errors = FieldErrors::default();
    let into = match optional_id(&form.into) {
        Ok(Some(into)) => Some(into),
        _ => {
            errors.add("into", "Hãy chọn đơn vị nhận sáp nhập.");
            None
        }
    };
    let from_year = crate::domain::Year::parse(form.from_year.trim());
    if from_year.is_none() {
        errors.add("from_year", "Năm phải là số từ 2000 đến 2100.");
    }
    let (unit, units, outcome) = db::run(&pool, move |conn| {
        let unit =
            store::units::find_in_scope(conn, Scope::Everything, id)?.ok_or(AppError::NotFound)?;
        let outcome = match (into, from_year) {
            (Some(into), Some(year)) if errors.is_empty() => {
                match store::units::merge(conn, actor_id, id, into, year.get()) {
                    Ok(()) => Ok(into),
                    Err(store::units::MergeError::Database(error)) => {
                        Err(form_error_if_busy(error)?)
                    }
                    Err(refusal) => {
                        let mut errors = FieldErrors::default();
                        errors.add("into", refusal.to_string());
                        Err(errors)
                    }
                }
            }
            _ => Err(errors),
        };
        let units = store::units::tree_in_scope(conn, Scope::Everything, false)?;
        Ok((unit, units, outcome))
    })
    .await?;
    match outcome {
        Ok(into) => {
            let target = units
                .iter()
                .find(|entry| entry.unit.id == into)
                .map(|entry| entry.unit.name.clone())
                .unwrap_or_default();
            flash(
                &session,
                &format!("Đã sáp nhập {} vào {target}.", unit.name),
            );
            Ok(see_other("/admin/units"))
        }
        Err(errors) => {
            let mut context = page_context(&session, Some(&user));
            context.insert("merge", &form);
            context.insert("merge_errors", &errors);
            render_form(
                &tera,
                context,
                errors.status(),
                &UnitForm::from_unit(&unit),
                &FieldErrors::default(),
                &units,
                Some(id),
            )
        }
    }
}
