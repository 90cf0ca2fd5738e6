//! Signing in and out.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpRequest, HttpResponse, web};
use serde::Deserialize;
use tera::Tera;

use crate::auth::{csrf, password, session};
use crate::db::{self, PgPool};
use crate::error::AppError;
use crate::store;
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

/// GET /: the dashboard for a signed-in person, the sign-in page for anyone else.
pub async fn home(session: Session) -> HttpResponse {
    if session::has_token(&session) {
        see_other("/dashboard")
    } else {
        see_other("/login")
    }
}

/// GET /login
pub async fn show(tera: web::Data<Tera>, session: Session) -> Result<HttpResponse, AppError> {
    if session::has_token(&session) {
        return Ok(see_other("/dashboard"));
    }
    let context = page_context(&session, None);
    render(&tera, "login.html", &context)
}

/// POST /login: checks the password (argon2id, off the async threads) and starts a
/// fresh session. Unknown usernames cost the same time as wrong passwords.
pub async fn submit(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    request: HttpRequest,
    session: Session,
    form: web::Form<LoginForm>,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&session, &form.csrf_token)?;
    let username = form.username.trim().to_lowercase();
    let found = if username.is_empty() || username.len() > 100 || username.contains('\0') {
        None
    } else {
        db::run(&pool, move |conn| {
            Ok(store::users::find_by_username(conn, &username)?)
        })
        .await?
    };
    let stored_hash = found
        .as_ref()
        .map(|user| user.password_hash.clone())
        .unwrap_or_else(|| password::dummy_hash().to_owned());
    let typed = form.password.clone();
    let matches = web::block(move || password::verify(&typed, &stored_hash))
        .await
        .map_err(|error| AppError::Internal(error.to_string().into()))?;

    let refusal = match &found {
        Some(user) if matches && user.active => {
            let ip = request.peer_addr().map(|address| address.ip().to_string());
            session::sign_in(&request, &session, user.id, ip).await?;
            // A temporary password is changed first (every other page would send there).
            let next = if user.must_change_password {
                session::CHANGE_PASSWORD_PATH
            } else {
                "/dashboard"
            };
            return Ok(see_other(next));
        }
        Some(_) if matches => "Tài khoản này đã bị khóa. Hãy liên hệ quản trị hệ thống.",
        _ => "Tên đăng nhập hoặc mật khẩu không đúng.",
    };
    tracing::info!(username = %form.username.trim(), "sign-in refused");
    let mut context = page_context(&session, None);
    context.insert("error", refusal);
    context.insert("username", form.username.trim());
    render_status(
        &tera,
        StatusCode::UNPROCESSABLE_ENTITY,
        "login.html",
        &context,
    )
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
