//! Admin pages for user accounts: list, create, edit (role, unit, deactivate) and
//! reset a password.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use diesel::PgConnection;
use serde::{Deserialize, Serialize};
use tera::{Context, Tera};
use validator::Validate;

use crate::auth::hashing::Hashing;
use crate::auth::{CurrentUser, csrf, password, permissions};
use crate::db::{self, PgPool};
use crate::domain::Scope;
use crate::domain::{Role, account};
use crate::error::AppError;
use crate::store;
use crate::store::users::{NewUser, User, UserChanges};
use crate::web::forms::{
    FieldErrors, NotANumber, checkbox, choices, form_error_if_busy, labels, optional_id,
};
use crate::web::unit_picker::{PickerInput, UnitPicker, form_status};
use crate::web::{flash, page_context, render, render_status, see_other};

#[derive(Debug, Clone, Default, Deserialize, Serialize, Validate)]
#[serde(default)]
pub struct UserForm {
    username: String,
    #[validate(length(min = 1, max = 200, message = "Họ tên cần có từ 1 đến 200 ký tự."))]
    display_name: String,
    role: String,
    unit_id: String,
    active: Option<String>,
    #[serde(skip_serializing)]
    password: String,
    #[serde(skip_serializing)]
    csrf_token: String,
    #[serde(flatten)]
    picker: PickerInput,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ResetForm {
    csrf_token: String,
}

/// The parts of the form shared by create and edit.
struct Checked {
    display_name: String,
    role: Role,
    unit_id: Option<i32>,
}

impl UserForm {
    fn from_user(user: &User) -> UserForm {
        UserForm {
            username: user.username.clone(),
            display_name: user.display_name.clone(),
            role: user.role.as_str().to_owned(),
            unit_id: user.unit_id.map(|id| id.to_string()).unwrap_or_default(),
            active: user.active.then(|| "on".to_owned()),
            password: String::new(),
            csrf_token: String::new(),
            picker: PickerInput::default(),
        }
    }

    fn check(
        &self,
        conn: &mut PgConnection,
        errors: &mut FieldErrors,
    ) -> Result<Option<Checked>, AppError> {
        if let Err(validation) = self.validate() {
            errors.add_validation(&validation);
        }
        let display_name = crate::domain::text::normalized(&self.display_name);
        if let Some(problem) = account::display_name_problem(&display_name) {
            errors.add("display_name", problem);
        }
        let role = Role::parse(self.role.trim());
        if role.is_none() {
            errors.add("role", "Hãy chọn vai trò trong danh sách.");
        }
        let unit_id = match optional_id(&self.unit_id) {
            Ok(Some(unit_id)) => {
                if store::units::find_in_scope(conn, Scope::Everything, unit_id)?.is_none() {
                    errors.add("unit_id", "Đơn vị không tồn tại.");
                }
                Some(unit_id)
            }
            Ok(None) => {
                if role.is_some_and(account::needs_unit) {
                    errors.add("unit_id", account::UNIT_REQUIRED);
                }
                None
            }
            Err(NotANumber) => {
                errors.add("unit_id", "Đơn vị không hợp lệ.");
                None
            }
        };
        Ok(role.filter(|_| errors.is_empty()).map(|role| Checked {
            display_name,
            role,
            unit_id,
        }))
    }
}

impl UserForm {
    /// Checks a new account: the username free, the password strong enough and the
    /// shared parts; the account to insert (its hash still to compute) when all is well.
    fn check_new(
        &self,
        conn: &mut PgConnection,
    ) -> Result<(FieldErrors, Option<NewUser>), AppError> {
        let mut errors = FieldErrors::default();
        let username = match account::normalize_username(&self.username) {
            Ok(username) => {
                if store::users::find_by_username(conn, &username)?.is_some() {
                    errors.add("username", account::USERNAME_TAKEN);
                }
                username
            }
            Err(problem) => {
                errors.add("username", problem);
                String::new()
            }
        };
        let typed_username = self.username.trim().to_lowercase();
        if let Some(problem) =
            password::weakness(&self.password, &typed_username, self.display_name.trim())
        {
            errors.add("password", problem);
        }
        let new_user = self.check(conn, &mut errors)?.map(|checked| NewUser {
            username,
            display_name: checked.display_name,
            password_hash: String::new(),
            role: checked.role,
            unit_id: checked.unit_id,
            active: checkbox(&self.active),
            // The admin chose it: the person replaces it at their first sign-in.
            must_change_password: true,
        });
        Ok((errors, new_user))
    }
}

fn render_form(
    tera: &Tera,
    mut context: Context,
    status: StatusCode,
    form: &UserForm,
    errors: &FieldErrors,
    unit_picker: &UnitPicker,
    editing: Option<i32>,
) -> Result<HttpResponse, AppError> {
    context.insert("form", form);
    context.insert("errors", errors);
    context.insert("unit_picker", unit_picker);
    context.insert("editing", &editing);
    context.insert("roles", &choices(Role::ALL, Role::as_str, Role::label_vi));
    render_status(tera, status, "admin/user_form.html", &context)
}

/// The picker of the account's unit (active units only) for what the form holds.
fn unit_picker(conn: &mut PgConnection, form: &UserForm) -> Result<UnitPicker, AppError> {
    UnitPicker::load(
        conn,
        Scope::Everything,
        true,
        "unit_id",
        &form.unit_id,
        &form.picker,
    )
    .map_err(AppError::from)
}

/// GET /admin/users
pub async fn list(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
) -> Result<HttpResponse, AppError> {
    permissions::require_admin(&user)?;
    let users = db::run(&pool, |conn| {
        Ok(store::users::list(conn, Scope::Everything)?)
    })
    .await?;
    let mut context = page_context(&session, Some(&user));
    context.insert("users", &users);
    context.insert(
        "role_labels",
        &labels(Role::ALL, Role::as_str, Role::label_vi),
    );
    render(&tera, "admin/users.html", &context)
}

/// GET /admin/users/new
pub async fn new_form(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
) -> Result<HttpResponse, AppError> {
    permissions::require_admin(&user)?;
    let form = UserForm {
        role: Role::Secretary.as_str().to_owned(),
        active: Some("on".to_owned()),
        ..UserForm::default()
    };
    let blank = form.clone();
    let picker = db::run(&pool, move |conn| unit_picker(conn, &blank)).await?;
    let context = page_context(&session, Some(&user));
    render_form(
        &tera,
        context,
        StatusCode::OK,
        &form,
        &FieldErrors::default(),
        &picker,
        None,
    )
}

/// POST /admin/users: checks the form, hashes the password (on the bounded hashing
/// path, no connection held meanwhile) and creates the account.
pub async fn create(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    hashing: web::Data<Hashing>,
    session: Session,
    user: CurrentUser,
    form: web::Form<UserForm>,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&session, &form.csrf_token)?;
    permissions::require_admin(&user)?;
    let actor_id = user.id;
    let form = form.into_inner();
    let browsing = form.picker.is_browsing();
    // A search in the unit picker only shows the form again, as typed, nothing saved.
    let mut errors = FieldErrors::default();
    if !browsing {
        let submitted = form.clone();
        let (found, new_user) = db::run(&pool, move |conn| submitted.check_new(conn)).await?;
        errors = found;
        if let Some(mut new_user) = new_user {
            new_user.password_hash = hashing.hash(form.password.clone()).await?;
            errors = db::run(&pool, move |conn| {
                match store::users::insert(conn, Some(actor_id), &new_user) {
                    Ok(_) => Ok(FieldErrors::default()),
                    Err(error) if store::is_unique_violation(&error) => {
                        let mut errors = FieldErrors::default();
                        errors.add("username", account::USERNAME_TAKEN);
                        Ok(errors)
                    }
                    Err(error) => form_error_if_busy(error),
                }
            })
            .await?;
        }
        if errors.is_empty() {
            flash(&session, "Đã tạo tài khoản.");
            return Ok(see_other("/admin/users"));
        }
    }
    let shown = form.clone();
    let picker = db::run(&pool, move |conn| unit_picker(conn, &shown)).await?;
    let context = page_context(&session, Some(&user));
    render_form(
        &tera,
        context,
        form_status(browsing, &errors),
        &form,
        &errors,
        &picker,
        None,
    )
}

/// GET /admin/users/{id}/edit
pub async fn edit_form(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    permissions::require_admin(&user)?;
    let id = id.into_inner();
    let (form, picker) = db::run(&pool, move |conn| {
        let account = store::users::find(conn, id)?.ok_or(AppError::NotFound)?;
        let form = UserForm::from_user(&account);
        let picker = unit_picker(conn, &form)?;
        Ok((form, picker))
    })
    .await?;
    let context = page_context(&session, Some(&user));
    render_form(
        &tera,
        context,
        StatusCode::OK,
        &form,
        &FieldErrors::default(),
        &picker,
        Some(id),
    )
}

/// POST /admin/users/{id}
pub async fn update(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
    id: web::Path<i32>,
    form: web::Form<UserForm>,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&session, &form.csrf_token)?;
    permissions::require_admin(&user)?;
    let id = id.into_inner();
    let actor_id = user.id;
    let submitted = form.into_inner();
    let form = submitted.clone();
    let browsing = form.picker.is_browsing();
    let (errors, picker, username) = db::run(&pool, move |conn| {
        let account = store::users::find(conn, id)?.ok_or(AppError::NotFound)?;
        if browsing {
            let picker = unit_picker(conn, &submitted)?;
            return Ok((FieldErrors::default(), picker, account.username));
        }
        let mut errors = FieldErrors::default();
        let active = checkbox(&submitted.active);
        let role = Role::parse(submitted.role.trim()).unwrap_or(Role::Secretary);
        if account::is_self_demotion(id, actor_id, role, active) {
            errors.add("role", account::NOT_YOURSELF);
        }
        if let Some(checked) = submitted.check(conn, &mut errors)? {
            let changes = UserChanges {
                display_name: checked.display_name,
                role: checked.role,
                unit_id: checked.unit_id,
                active,
            };
            if let Err(error) = store::users::update(conn, actor_id, id, &changes) {
                errors = form_error_if_busy(error)?;
            }
        }
        Ok((errors, unit_picker(conn, &submitted)?, account.username))
    })
    .await?;
    if errors.is_empty() && !browsing {
        flash(&session, "Đã lưu tài khoản.");
        return Ok(see_other("/admin/users"));
    }
    let form = UserForm { username, ..form };
    let context = page_context(&session, Some(&user));
    render_form(
        &tera,
        context,
        form_status(browsing, &errors),
        &form,
        &errors,
        &picker,
        Some(id),
    )
}

/// POST /admin/users/{id}/password: sets a temporary password, shown once on the
/// answer (it is stored only hashed), which the person must change at sign-in; every
/// session of the account ends. It is hashed on the bounded hashing path with no
/// connection held meanwhile.
pub async fn reset_password(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    hashing: web::Data<Hashing>,
    session: Session,
    user: CurrentUser,
    id: web::Path<i32>,
    form: web::Form<ResetForm>,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&session, &form.csrf_token)?;
    permissions::require_admin(&user)?;
    let id = id.into_inner();
    let actor_id = user.id;
    let account = db::run(&pool, move |conn| {
        store::users::find(conn, id)?.ok_or(AppError::NotFound)
    })
    .await?;
    let temporary = password::temporary();
    let hash = hashing.hash(temporary.clone()).await?;
    let saved = db::run(&pool, move |conn| {
        Ok(store::users::reset_password(conn, actor_id, id, &hash))
    })
    .await?;
    let form = UserForm::from_user(&account);
    if let Err(error) = saved {
        let errors = form_error_if_busy(error)?;
        let shown = form.clone();
        let picker = db::run(&pool, move |conn| unit_picker(conn, &shown)).await?;
        let context = page_context(&session, Some(&user));
        return render_form(
            &tera,
            context,
            errors.status(),
            &form,
            &errors,
            &picker,
            Some(id),
        );
    }
    let mut context = page_context(&session, Some(&user));
    context.insert("account", &form);
    context.insert("account_id", &id);
    context.insert("temporary_password", &temporary);
    render(&tera, "admin/password_reset.html", &context)
}
