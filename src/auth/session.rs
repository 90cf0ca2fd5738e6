//! The signed-in user, read from the encrypted session cookie and checked against the
//! database on every request, so a deactivated account loses access at once.

use std::future::Future;
use std::pin::Pin;

use actix_session::{Session, SessionExt};
use actix_web::{FromRequest, HttpRequest, dev::Payload, web};
use serde::Serialize;

use crate::auth::Scope;
use crate::db::{self, PgPool};
use crate::domain::Role;
use crate::error::AppError;
use crate::store;

const USER_KEY: &str = "user_id";

/// A signed-in, active user. Handlers that take it as an argument are for signed-in
/// users only; a visitor is sent to the sign-in page.
#[derive(Debug, Clone, Serialize)]
pub struct CurrentUser {
    pub id: i32,
    pub username: String,
    pub display_name: String,
    pub role: Role,
    pub unit_id: Option<i32>,
    /// How many initiatives wait for this person: registrations and reports to review
    /// (reviewers, admins) or returned ones to correct (secretaries). Shown as a badge.
    pub waiting: i64,
}

impl CurrentUser {
    /// The subtree this user may see. A non-admin without a unit (the database does not
    /// allow one) would see nothing.
    pub fn scope(&self) -> Scope {
        match (self.role, self.unit_id) {
            (Role::Admin, _) => Scope::Everything,
            (_, Some(unit_id)) => Scope::Subtree(unit_id),
            (_, None) => Scope::Subtree(0),
        }
    }

    pub fn is_admin(&self) -> bool {
        self.role == Role::Admin
    }
}

/// The same user for the JSON API, where a visitor gets 401 instead of a redirect.
pub struct ApiUser(pub CurrentUser);

/// Starts a signed-in session: a new session (the old cookie is worthless), a new CSRF token.
pub fn sign_in(session: &Session, user_id: i32) -> Result<(), AppError> {
    // Clear (not purge: a purged session ignores later inserts) and renew, so nothing
    // from before sign-in survives and the cookie changes.
    session.clear();
    session.renew();
    session
        .insert(USER_KEY, user_id)
        .map_err(|error| AppError::Internal(error.to_string().into()))?;
    crate::auth::csrf::rotate(session);
    Ok(())
}

pub fn sign_out(session: &Session) {
    session.purge();
}

async fn load(
    session: Session,
    pool: Option<web::Data<PgPool>>,
    refused: AppError,
    with_badge: bool,
) -> Result<CurrentUser, AppError> {
    let Some(user_id) = session.get::<i32>(USER_KEY).ok().flatten() else {
        return Err(refused);
    };
    let pool = pool.ok_or_else(|| AppError::Internal("no database pool configured".into()))?;
    let user = db::run(&pool, move |conn| {
        let Some(user) = store::users::find_active(conn, user_id)? else {
            return Ok(None);
        };
        let mut current = CurrentUser {
            id: user.id,
            username: user.username,
            display_name: user.display_name,
            role: user.role,
            unit_id: user.unit_id,
            waiting: 0,
        };
        // The badge is for pages; the JSON API has no menu to show it in.
        if !with_badge {
            return Ok(Some(current));
        }
        current.waiting = match current.role {
            Role::Secretary => store::stats::returned(conn, current.scope())?,
            Role::Reviewer | Role::Admin => store::stats::awaiting_review(conn, current.scope())?,
        };
        Ok(Some(current))
    })
    .await?;
    match user {
        Some(user) => Ok(user),
        None => {
            session.purge();
            Err(refused)
        }
    }
}

type Extracted<T> = Pin<Box<dyn Future<Output = Result<T, AppError>>>>;

impl FromRequest for CurrentUser {
    type Error = AppError;
    type Future = Extracted<CurrentUser>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let session = request.get_session();
        let pool = request.app_data::<web::Data<PgPool>>().cloned();
        Box::pin(load(session, pool, AppError::SignInRequired, true))
    }
}

impl FromRequest for ApiUser {
    type Error = AppError;
    type Future = Extracted<ApiUser>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let session = request.get_session();
        let pool = request.app_data::<web::Data<PgPool>>().cloned();
        Box::pin(async move {
            load(session, pool, AppError::Unauthorized, false)
                .await
                .map(ApiUser)
        })
    }
}
