//! A person's own account: their sessions (and signing out the other devices), and
//! changing their password.

use actix_session::Session;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use tera::Tera;

use crate::app;
use crate::app::accounts::Admission;
use crate::auth::hashing::{Hashing, HashingError};
use crate::auth::session::SessionPolicy;
use crate::auth::{CurrentUser, csrf, password};
use crate::db::{self, PgPool};
use crate::domain::throttle::{self, Limits};
use crate::error::{AppError, PASSWORD_CHANGE_REQUIRED};
use crate::web::client_ip::{TrustedProxies, client_ip};
use crate::web::forms::{FieldErrors, form_error_if_busy};
use crate::web::{flash, login, page_context, render, render_status, see_other};

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

#[derive(Deserialize)]
pub struct CsrfOnly {
    #[serde(default)]
    csrf_token: String,
}

/// GET /account: the person's live sessions, this one marked.
pub async fn show(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    policy: web::Data<SessionPolicy>,
    session: Session,
    user: CurrentUser,
) -> Result<HttpResponse, AppError> {
    let (user_id, alive) = (user.id, policy.alive());
    let sessions = db::run_app(&pool, move |conn| {
        app::accounts::sessions(conn, user_id, alive)
    })
    .await?;
    let mut context = page_context(&session, Some(&user));
    context.insert("sessions", &sessions);
    context.insert("current_session", &user.session_id);
    render(&tera, "account/show.html", &context)
}

/// POST /account/sessions/end-others: "Đăng xuất khỏi các thiết bị khác".
pub async fn end_other_sessions(
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
    form: web::Form<CsrfOnly>,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&session, &form.csrf_token)?;
    let (user_id, current) = (user.id, user.session_id);
    let ended = db::run_app(&pool, move |conn| {
        app::accounts::end_other_sessions(conn, user_id, current)
    })
    .await?;
    flash(
        &session,
        &format!("Đã đăng xuất {ended} phiên trên các thiết bị khác."),
    );
    Ok(see_other("/account"))
}

/// GET /account/password
pub async fn password_form(
    tera: web::Data<Tera>,
    session: Session,
    user: CurrentUser,
) -> Result<HttpResponse, AppError> {
    let mut context = page_context(&session, Some(&user));
    context.insert("errors", &FieldErrors::default());
    context.insert("must_change_notice", PASSWORD_CHANGE_REQUIRED);
    render(&tera, "account/password.html", &context)
}

/// POST /account/password: needs the current password, then stores the new hash,
/// clears a temporary password's flag and ends the person's other sessions. Both
/// hashes run on the bounded hashing path, with no database connection held meanwhile.
#[allow(clippy::too_many_arguments)]
pub async fn change_password(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    hashing: web::Data<Hashing>,
    limits: web::Data<Limits>,
    trusted: web::Data<TrustedProxies>,
    request: HttpRequest,
    session: Session,
    user: CurrentUser,
    form: web::Form<PasswordForm>,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&session, &form.csrf_token)?;
    let (user_id, current_session) = (user.id, user.session_id);
    let form = form.into_inner();
    let (limits, address) = (*limits.get_ref(), client_ip(&request, &trusted));
    // The current password is guessed no faster here than at sign-in: the same
    // throttle, on the same account, before any hashing.
    let (stored, attempt, admission) = db::run_app(&pool, move |conn| {
        app::accounts::start_password_change(conn, &limits, user_id, address)
    })
    .await?;
    let mut errors = FieldErrors::default();
    let pending = match admission {
        Admission::Go { pending } => pending,
        Admission::Wait { left } => {
            let message = format!(
                "Đã nhập sai mật khẩu quá nhiều lần. Vì an toàn, hãy chờ {} rồi thử lại.",
                throttle::wait_vi(left)
            );
            errors.add("current_password", &message);
            let mut response = password_page(
                &tera,
                &session,
                &user,
                &errors,
                StatusCode::TOO_MANY_REQUESTS,
            )?;
            response.headers_mut().insert(
                header::RETRY_AFTER,
                header::HeaderValue::from(throttle::retry_after_seconds(left)),
            );
            return Ok(response);
        }
    };
    let verified = hashing
        .verify(form.current_password.clone(), stored.password_hash.clone())
        .await;
    match verified {
        Ok(true) => {
            db::run_app(&pool, move |conn| {
                app::accounts::current_password_checked(conn, &limits, pending, &attempt)
            })
            .await?
        }
        Ok(false) => errors.add("current_password", "Mật khẩu hiện tại không đúng."),
        Err(error) => {
            if matches!(error, HashingError::Busy) {
                login::forget(&pool, pending).await?;
            }
            return Err(error.into());
        }
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
        let saved = db::run_app(&pool, move |conn| {
            Ok(app::accounts::set_own_password(
                conn,
                user_id,
                &hash,
                current_session,
            ))
        })
        .await?;
        if let Err(error) = saved {
            errors = form_error_if_busy(error)?;
        }
    }
    if errors.is_empty() {
        flash(
            &session,
            "Đã đổi mật khẩu. Các phiên đăng nhập trên thiết bị khác đã kết thúc.",
        );
        return Ok(see_other(crate::web::home::landing(user.role)));
    }
    password_page(&tera, &session, &user, &errors, errors.status())
}

/// The password form again with its messages (nothing typed is sent back).
fn password_page(
    tera: &Tera,
    session: &Session,
    user: &CurrentUser,
    errors: &FieldErrors,
    status: StatusCode,
) -> Result<HttpResponse, AppError> {
    let mut context = page_context(session, Some(user));
    context.insert("errors", errors);
    context.insert("must_change_notice", PASSWORD_CHANGE_REQUIRED);
    render_status(tera, status, "account/password.html", &context)
}
