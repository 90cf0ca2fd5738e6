//! A person changes their own password.

use actix_session::Session;
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use tera::Tera;

use crate::auth::hashing::Hashing;
use crate::auth::{CurrentUser, csrf, password};
use crate::db::{self, PgPool};
use crate::error::AppError;
use crate::store;
use crate::web::forms::{FieldErrors, form_error_if_busy};
use crate::web::{flash, page_context, render, render_status, see_other};

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current_password: String,
    #[serde(default)]
    new_password: String,
    #[serde(default)]
    confirm_password: String,
    #[serde(default)]
    csrf_token: String,
}

/// GET /account/password
pub async fn password_form(
    tera: web::Data<Tera>,
    session: Session,
    user: CurrentUser,
) -> Result<HttpResponse, AppError> {
    let mut context = page_context(&session, Some(&user));
    context.insert("errors", &FieldErrors::default());
    render(&tera, "account/password.html", &context)
}

/// POST /account/password: needs the current password, then stores the new hash. Both
/// hashes run on the bounded hashing path, with no database connection held meanwhile.
pub async fn change_password(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    hashing: web::Data<Hashing>,
    session: Session,
    user: CurrentUser,
    form: web::Form<PasswordForm>,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&session, &form.csrf_token)?;
    let user_id = user.id;
    let form = form.into_inner();
    let stored = db::run(&pool, move |conn| {
        store::users::find_active(conn, user_id)?.ok_or(AppError::NotFound)
    })
    .await?;
    let mut errors = FieldErrors::default();
    if !hashing
        .verify(form.current_password.clone(), stored.password_hash.clone())
        .await?
    {
        errors.add("current_password", "Mật khẩu hiện tại không đúng.");
    }
    if let Some(problem) =
        password::weakness(&form.new_password, &stored.username, &stored.display_name)
    {
        errors.add("new_password", problem);
    }
    if form.new_password != form.confirm_password {
        errors.add("confirm_password", "Hai lần nhập mật khẩu mới không khớp.");
    }
    if errors.is_empty() {
        let hash = hashing.hash(form.new_password.clone()).await?;
        let saved = db::run(&pool, move |conn| {
            Ok(store::users::set_password(conn, user_id, user_id, &hash))
        })
        .await?;
        if let Err(error) = saved {
            errors = form_error_if_busy(error)?;
        }
    }
    if errors.is_empty() {
        flash(&session, "Đã đổi mật khẩu.");
        return Ok(see_other("/dashboard"));
    }
    let mut context = page_context(&session, Some(&user));
    context.insert("errors", &errors);
    render_status(&tera, errors.status(), "account/password.html", &context)
}
