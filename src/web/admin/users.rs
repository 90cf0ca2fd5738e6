//! Admin pages for user accounts: list, create, edit (role, unit, deactivate) and
//! reset a password. The work is `app::users`'; here the forms are parsed, the
//! passwords hashed (before any connection is taken) and the answers given.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use tera::{Context, Tera};

use crate::app;
use crate::app::unit_picker::UnitPicker;
use crate::app::users::{NewUser, Refusal, User, UserChanges};
use crate::auth::hashing::Hashing;
use crate::auth::{CurrentUser, csrf, password, permissions};
use crate::db::{self, PgPool};
use crate::domain::{Role, UnitKind, account, reviewer_label};
use crate::error::AppError;
use crate::web::forms::{
    FieldErrors, NotANumber, busy_as_form_error, checkbox, choices, labels, optional_id,
};
use crate::web::selection::parse_unit;
use crate::web::unit_picker::{PickerInput, form_status, search_text};
use crate::web::{flash, page_context, render, see_other};

/// The account form as sent. Its limits are `domain::account`'s (username, name) and
/// `auth::password`'s, which the account import applies too: no second, declarative
/// copy of them here.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct UserForm {
    username: String,
    display_name: String,
    role: String,
    unit_id: String,
    phone: String,
    email: String,
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

/// The parts of the form shared by create and edit, parsed; with what did not parse,
/// the messages and the role and unit as far as they parsed (for the use case's checks).
struct Parsed {
    errors: FieldErrors,
    display_name: String,
    phone: Option<String>,
    email: Option<String>,
    role: Option<Role>,
    unit_id: Option<i32>,
}

impl UserForm {
    fn from_user(user: &User) -> UserForm {
        UserForm {
            username: user.username.clone(),
            display_name: user.display_name.clone(),
            role: user.role.as_str().to_owned(),
            unit_id: user.unit_id.map(|id| id.to_string()).unwrap_or_default(),
            phone: user.phone.clone().unwrap_or_default(),
            email: user.email.clone().unwrap_or_default(),
            active: user.active.then(|| "on".to_owned()),
            password: String::new(),
            csrf_token: String::new(),
            picker: PickerInput::default(),
        }
    }

    /// Parses the parts shared by create and edit, without the database.
    fn parse_shared(&self, mut errors: FieldErrors) -> Parsed {
        let display_name = crate::domain::text::normalized(&self.display_name);
        if let Some(problem) = account::display_name_problem(&display_name) {
            errors.add("display_name", problem);
        }
        let phone = account::normalize_phone(&self.phone)
            .map_err(|problem| errors.add("phone", problem))
            .unwrap_or_default();
        let email = account::normalize_email(&self.email)
            .map_err(|problem| errors.add("email", problem))
            .unwrap_or_default();
        let role = Role::parse(self.role.trim());
        if role.is_none() {
            errors.add("role", "Hãy chọn vai trò trong danh sách.");
        }
        let unit_id = match optional_id(&self.unit_id) {
            Ok(None) if role.is_some_and(account::needs_unit) => {
                errors.add("unit_id", account::UNIT_REQUIRED);
                None
            }
            Ok(unit_id) => unit_id,
            Err(NotANumber) => {
                errors.add("unit_id", "Đơn vị không hợp lệ.");
                None
            }
        };
        Parsed {
            errors,
            display_name,
            phone,
            email,
            role,
            unit_id,
        }
    }

    /// Parses a new account: the username and the password's strength, and the shared
    /// parts. The account to create (its hash still to compute), or the messages with
    /// the username and unit as far as they parsed.
    fn parse_new(&self) -> Result<NewUser, (FieldErrors, Option<String>, Option<i32>)> {
        let mut errors = FieldErrors::default();
        let username = account::normalize_username(&self.username)
            .map_err(|problem| errors.add("username", problem))
            .ok();
        let typed_username = self.username.trim().to_lowercase();
        if let Some(problem) =
            password::weakness(&self.password, &typed_username, self.display_name.trim())
        {
            errors.add("password", problem);
        }
        let parsed = self.parse_shared(errors);
        match (username, parsed.role) {
            (Some(username), Some(role)) if parsed.errors.is_empty() => Ok(NewUser {
                username,
                display_name: parsed.display_name,
                password_hash: String::new(),
                role,
                unit_id: parsed.unit_id,
                active: checkbox(&self.active),
                // The admin chose it: the person replaces it at their first sign-in.
                must_change_password: true,
                phone: parsed.phone,
                email: parsed.email,
            }),
            (username, _) => Err((parsed.errors, username, parsed.unit_id)),
        }
    }

    /// Parses a change of an account, or the messages with the role and unit as far as
    /// they parsed.
    fn parse_edit(&self) -> Result<UserChanges, Parsed> {
        let parsed = self.parse_shared(FieldErrors::default());
        match parsed.role {
            Some(role) if parsed.errors.is_empty() => Ok(UserChanges {
                display_name: parsed.display_name,
                role,
                unit_id: parsed.unit_id,
                active: checkbox(&self.active),
                phone: parsed.phone,
                email: parsed.email,
            }),
            _ => Err(parsed),
        }
    }
}

/// The use case's refusals of an account form, beside the fields they concern.
fn refused(refusals: &[Refusal]) -> FieldErrors {
    let mut errors = FieldErrors::default();
    for refusal in refusals {
        match refusal {
            Refusal::UsernameTaken => errors.add("username", account::USERNAME_TAKEN),
            Refusal::UnitMissing => errors.add("unit_id", "Đơn vị không tồn tại."),
            Refusal::NotYourself => errors.add("role", account::NOT_YOURSELF),
        }
    }
    errors
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
    context.insert("unit_picker", unit_picker);
    context.insert("roles", &choices(Role::ALL, Role::as_str, Role::label_vi));
    let template = "admin/user_form.html";
    super::render_form(tera, context, template, status, form, errors, editing)
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ListQuery {
    q: Option<String>,
    after: Option<String>,
}

/// GET /admin/users[?q=TEXT][&after=ID]: the accounts matching `q` (name, username or
/// unit), a page at a time.
pub async fn list(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    permissions::require_admin(&user)?;
    let after = parse_unit(query.after.as_deref())?;
    let text = search_text(query.q.as_deref().unwrap_or_default());
    let searched = text.clone();
    let actor = user.clone();
    let (users, next_after) = db::run_app(&pool, move |conn| {
        app::users::list(conn, &actor, &searched, after)
    })
    .await?;
    let link = |after: Option<i32>| {
        let mut pairs = Vec::new();
        if !text.is_empty() {
            pairs.push(("q", text.clone()));
        }
        pairs.extend(after.map(|after| ("after", after.to_string())));
        let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        format!("/admin/users?{query}")
    };
    let mut context = page_context(&session, Some(&user));
    context.insert("users", &users);
    context.insert("q", &text);
    context.insert("next", &next_after.map(|after| link(Some(after))));
    context.insert("first", &after.map(|_| link(None)));
    context.insert(
        "role_labels",
        &labels(Role::ALL, Role::as_str, Role::label_vi),
    );
    context.insert(
        "reviewer_labels",
        &labels(UnitKind::ALL, UnitKind::as_str, reviewer_label),
    );
    render(&tera, "admin/users.html", &context)
}

/// The unit picker of an account's form shown (again), for what the form holds.
async fn picker_for(
    pool: &PgPool,
    user: &CurrentUser,
    form: &UserForm,
) -> Result<UnitPicker, AppError> {
    let actor = user.clone();
    let form = form.clone();
    db::run_app(pool, move |conn| {
        app::users::unit_picker(conn, &actor, &form.unit_id, &form.picker)
    })
    .await
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
    let picker = picker_for(&pool, &user, &form).await?;
    let context = page_context(&session, Some(&user));
    let errors = FieldErrors::default();
    render_form(
        &tera,
        context,
        StatusCode::OK,
        &form,
        &errors,
        &picker,
        None,
    )
}

/// POST /admin/users: checks the form, hashes the password (on the bounded hashing
/// path, no connection held meanwhile) and creates the account. A search in the unit
/// picker only shows the form again, as typed, nothing saved.
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
    let form = form.into_inner();
    let browsing = form.picker.is_browsing();
    let actor = user.clone();
    let errors = match form.parse_new() {
        _ if browsing => FieldErrors::default(),
        Ok(mut new_user) => {
            let (username, unit_id) = (new_user.username.clone(), new_user.unit_id);
            let checker = actor.clone();
            let refusals = db::run_app(&pool, move |conn| {
                app::users::new_account_refusals(conn, &checker, Some(&username), unit_id)
            })
            .await?;
            if refusals.is_empty() {
                new_user.password_hash = hashing.hash(form.password.clone()).await?;
                let created = db::run_app(&pool, move |conn| {
                    app::users::create(conn, &actor, &new_user)
                })
                .await;
                match super::saved(created, refused)? {
                    Ok(()) => {
                        flash(&session, "Đã tạo tài khoản.");
                        return Ok(see_other("/admin/users"));
                    }
                    Err(errors) => errors,
                }
            } else {
                refused(&refusals)
            }
        }
        Err((mut errors, username, unit_id)) => {
            let refusals = db::run_app(&pool, move |conn| {
                app::users::new_account_refusals(conn, &actor, username.as_deref(), unit_id)
            })
            .await?;
            errors.extend(refused(&refusals));
            errors
        }
    };
    let picker = picker_for(&pool, &user, &form).await?;
    let context = page_context(&session, Some(&user));
    let status = form_status(browsing, &errors);
    render_form(&tera, context, status, &form, &errors, &picker, None)
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
    let actor = user.clone();
    let (form, picker) = db::run_app(&pool, move |conn| {
        let account = app::users::find(conn, &actor, id)?;
        let form = UserForm::from_user(&account);
        let picker = app::users::unit_picker(conn, &actor, &form.unit_id, &form.picker)?;
        Ok((form, picker))
    })
    .await?;
    let context = page_context(&session, Some(&user));
    let errors = FieldErrors::default();
    render_form(
        &tera,
        context,
        StatusCode::OK,
        &form,
        &errors,
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
    let form = form.into_inner();
    let browsing = form.picker.is_browsing();
    let actor = user.clone();
    let (mut errors, rejected) = match form.parse_edit() {
        _ if browsing => (FieldErrors::default(), None),
        Ok(changes) => {
            let actor = actor.clone();
            let saved = db::run_app(&pool, move |conn| {
                app::users::update(conn, &actor, id, &changes)
            })
            .await;
            match super::saved(saved, refused)? {
                Ok(()) => {
                    flash(&session, "Đã lưu tài khoản.");
                    return Ok(see_other("/admin/users"));
                }
                Err(errors) => (errors, None),
            }
        }
        Err(parsed) => (FieldErrors::default(), Some(parsed)),
    };
    let shown = form.clone();
    let active = checkbox(&form.active);
    let checked = rejected
        .as_ref()
        .map(|parsed| (parsed.role, parsed.unit_id));
    let (username, refusals, picker) = db::run_app(&pool, move |conn| {
        let account = app::users::find(conn, &actor, id)?;
        let refusals = match checked {
            Some((role, unit_id)) => {
                app::users::edit_refusals(conn, &actor, id, role, active, unit_id)?
            }
            None => Vec::new(),
        };
        let picker = app::users::unit_picker(conn, &actor, &shown.unit_id, &shown.picker)?;
        Ok((account.username, refusals, picker))
    })
    .await?;
    // The rules' messages come first, as the self-demotion's did beside the role.
    errors.extend(refused(&refusals));
    if let Some(parsed) = rejected {
        errors.extend(parsed.errors);
    }
    let form = UserForm { username, ..form };
    let context = page_context(&session, Some(&user));
    let status = form_status(browsing, &errors);
    render_form(&tera, context, status, &form, &errors, &picker, Some(id))
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
    let actor = user.clone();
    let account = db::run_app(&pool, move |conn| app::users::find(conn, &actor, id)).await?;
    let temporary = password::temporary();
    let hash = hashing.hash(temporary.clone()).await?;
    let actor = user.clone();
    let saved = db::run_app(&pool, move |conn| {
        app::users::reset_password(conn, &actor, id, &hash)
    })
    .await;
    let form = UserForm::from_user(&account);
    if let Err(errors) = busy_as_form_error(saved)? {
        let picker = picker_for(&pool, &user, &form).await?;
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
