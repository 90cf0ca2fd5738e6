//! Signing in and out.

use std::time::Duration;

use actix_session::Session;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use tera::Tera;

use crate::app;
use crate::app::accounts::{SignInStart, SignInVerdict};
use crate::auth::hashing::{Hashing, HashingError};
use crate::auth::session::Opening;
use crate::auth::{csrf, password, session};
use crate::config::SupportContact;
use crate::db::{self, PgPool};
use crate::domain::throttle::{self, Attempt, Limits};
use crate::error::{AppError, HASHING_BUSY_MESSAGE};
use crate::web::client_ip::{TrustedProxies, client_ip};
use crate::web::{page_context, render, render_status, see_other};

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    csrf_token: String,
}

/// GET /: the signed-in person's home (`web::home`: a secretary's to-do page, the
/// dashboard for the others), the sign-in page for anyone else.
pub async fn home(session: Session) -> HttpResponse {
    if session::has_token(&session) {
        see_other("/home")
    } else {
        see_other("/login")
    }
}

/// GET /login
pub async fn show(
    tera: web::Data<Tera>,
    contact: web::Data<SupportContact>,
    session: Session,
) -> Result<HttpResponse, AppError> {
    if session::has_token(&session) {
        return Ok(see_other("/home"));
    }
    let mut context = page_context(&session, None);
    context.insert("support_contact", &contact.sentence_vi());
    render(&tera, "login.html", &context)
}

/// POST /login: checks the throttle (before any hashing), then the password (argon2id,
/// on the bounded hashing path) and starts a fresh session. Unknown usernames are
/// throttled alike and cost the same time as wrong passwords.
#[allow(clippy::too_many_arguments)]
pub async fn submit(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    hashing: web::Data<Hashing>,
    limits: web::Data<Limits>,
    trusted: web::Data<TrustedProxies>,
    contact: web::Data<SupportContact>,
    request: HttpRequest,
    session: Session,
    form: web::Form<LoginForm>,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&session, &form.csrf_token)?;
    let page = LoginPage {
        tera: &tera,
        session: &session,
        contact: &contact,
    };
    let ip = client_ip(&request, &trusted);
    let attempt = Attempt::new(&form.username, ip);
    let username = form.username.trim().to_lowercase();
    let username = (!username.is_empty() && username.len() <= 100 && !username.contains('\0'))
        .then_some(username);
    let (limits, admitted) = (*limits.get_ref(), attempt.clone());
    let started = db::run_app(&pool, move |conn| {
        app::accounts::start_sign_in(conn, &limits, &admitted, username.as_deref())
    })
    .await?;
    let (pending, found) = match started {
        SignInStart::Go { pending, account } => (pending, account),
        SignInStart::Wait { left } => return throttled(&page, &form, &attempt, left),
    };
    let stored_hash = found
        .as_ref()
        .map(|user| user.password_hash.clone())
        .unwrap_or_else(|| password::dummy_hash().to_owned());
    // Hashing holds no connection: the throttle's trip is over, the session's not begun.
    let matches = match hashing.verify(form.password.clone(), stored_hash).await {
        Ok(matches) => matches,
        Err(HashingError::Busy) => {
            forget(&pool, pending).await?;
            return busy(&page, &form);
        }
        Err(error) => return Err(error.into()),
    };

    let refusal = match app::accounts::verdict(found.as_ref(), matches) {
        SignInVerdict::Accepted(user) => {
            let opening = Opening::new(&request, &session, Some(ip.to_string()))?;
            let user_id = user.id;
            let opening = db::run_app(&pool, move |conn| {
                app::accounts::signed_in(conn, &limits, pending, &attempt, user_id, &opening)?;
                Ok(opening)
            })
            .await?;
            opening.start(&session)?;
            // A temporary password is changed first (every other page would send there).
            let next = if user.must_change_password {
                session::CHANGE_PASSWORD_PATH
            } else {
                crate::web::home::landing(user.role)
            };
            return Ok(see_other(next));
        }
        SignInVerdict::Locked => "Tài khoản này đã bị khóa. Hãy liên hệ quản trị hệ thống.",
        SignInVerdict::Refused => "Tên đăng nhập hoặc mật khẩu không đúng.",
    };
    tracing::info!(username = %form.username.trim(), "sign-in refused");
    refused(&page, &form, StatusCode::UNPROCESSABLE_ENTITY, refusal)
}

/// The admitted attempt checked no password: it does not count (the password change
/// calls it too).
pub(crate) async fn forget(pool: &PgPool, pending: i64) -> Result<(), AppError> {
    db::run_app(pool, move |conn| {
        app::accounts::forget_attempt(conn, pending)
    })
    .await
}

/// 429 with `Retry-After`: the same page and message whether or not the account exists.
fn throttled(
    page: &LoginPage<'_>,
    form: &LoginForm,
    attempt: &Attempt,
    left: Duration,
) -> Result<HttpResponse, AppError> {
    tracing::warn!(
        username = %attempt.username,
        address = %attempt.address,
        wait_seconds = throttle::retry_after_seconds(left),
        "sign-in throttled"
    );
    let message = format!(
        "Đã nhập sai quá nhiều lần. Vì an toàn, hãy chờ {} rồi thử lại.",
        throttle::wait_vi(left)
    );
    let mut response = refused(page, form, StatusCode::TOO_MANY_REQUESTS, &message)?;
    response.headers_mut().insert(
        header::RETRY_AFTER,
        header::HeaderValue::from(throttle::retry_after_seconds(left)),
    );
    Ok(response)
}

/// 503: too many passwords are being checked right now; nothing was checked.
fn busy(page: &LoginPage<'_>, form: &LoginForm) -> Result<HttpResponse, AppError> {
    let mut response = refused(
        page,
        form,
        StatusCode::SERVICE_UNAVAILABLE,
        HASHING_BUSY_MESSAGE,
    )?;
    response
        .headers_mut()
        .insert(header::RETRY_AFTER, header::HeaderValue::from(1u64));
    Ok(response)
}

/// What the sign-in page is drawn with when it comes back with a message.
struct LoginPage<'a> {
    tera: &'a Tera,
    session: &'a Session,
    contact: &'a SupportContact,
}

/// The sign-in page again with `message`, the username kept.
fn refused(
    page: &LoginPage<'_>,
    form: &LoginForm,
    status: StatusCode,
    message: &str,
) -> Result<HttpResponse, AppError> {
    let mut context = page_context(page.session, None);
    context.insert("error", message);
    context.insert("username", form.username.trim());
    context.insert("support_contact", &page.contact.sentence_vi());
    render_status(page.tera, status, "login.html", &context)
}

#[derive(Deserialize)]
pub struct LogoutForm {
    #[serde(default)]
    csrf_token: String,
}

/// POST /logout: ends the session on the server too, so a copied cookie is refused.
pub async fn logout(
    pool: web::Data<PgPool>,
    session: Session,
    form: web::Form<LogoutForm>,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&session, &form.csrf_token)?;
    session::sign_out(&pool, &session).await?;
    Ok(see_other("/login"))
}
