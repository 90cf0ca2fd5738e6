//! The signed-in user. The encrypted session cookie holds a random token (beside the
//! CSRF token and the flash message); the `sessions` table holds only its SHA-256.
//! Every request looks the token up there, with the user, so a session ends on the
//! server: at sign-out, after the idle or the absolute timeout, when the password
//! changes, and when the account is locked or its role changes.

use std::future::Future;
use std::pin::Pin;

use actix_session::{Session, SessionExt};
use actix_web::{FromRequest, HttpRequest, dev::Payload, http::header, web};
use base64::Engine;
use rand::{RngCore, TryRngCore};
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::clock::Clock;
use crate::config::SessionLimits;
use crate::db::{self, PgPool};
use crate::domain::Role;
use crate::domain::Scope;
use crate::error::AppError;
use crate::store;
use crate::store::sessions::{Alive, NewSession};

const TOKEN_KEY: &str = "session_token";

/// The longest user agent kept with a session (the account page shows it).
const USER_AGENT_MAX_CHARS: usize = 300;

/// The one page a person with a temporary password may open.
pub const CHANGE_PASSWORD_PATH: &str = "/account/password";

/// How long sessions live, and the clock they are measured against; in app data.
#[derive(Debug, Clone)]
pub struct SessionPolicy {
    pub clock: Clock,
    pub limits: SessionLimits,
}

impl SessionPolicy {
    /// Which sessions are alive now.
    pub fn alive(&self) -> Alive {
        Alive::at(self.clock.now(), self.limits)
    }
}

/// A signed-in, active user. Handlers that take it as an argument are for signed-in
/// users only; a visitor is sent to the sign-in page, and a person whose password is
/// temporary to the page that changes it.
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
    /// The password was set by someone else and must be changed before anything else.
    pub must_change_password: bool,
    /// Who reviews a secretary's work, named after the committee that does
    /// (`domain::reviewing_body`): "Ban Thường vụ Khối", "Ban Thường vụ Đảng ủy xã/phường"…
    pub reviewer_name: &'static str,
    /// The session this request belongs to (its row, not its token).
    #[serde(skip)]
    pub session_id: i64,
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

/// 32 bytes from the operating system's generator, in URL-safe base64. The kernel's
/// generator does not fail once the system has booted; if it ever did, the request
/// panics (and answers 500) rather than hand out a weak token.
fn new_token() -> String {
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.unwrap_err().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn token_hash(token: &str) -> [u8; 32] {
    Sha256::digest(token.as_bytes()).into()
}

fn token_of(session: &Session) -> Option<String> {
    session.get::<String>(TOKEN_KEY).ok().flatten()
}

/// Whether the browser presents a session token (not whether it is still alive).
pub fn has_token(session: &Session) -> bool {
    token_of(session).is_some()
}

fn app_data<T: 'static>(request: &HttpRequest) -> Result<web::Data<T>, AppError> {
    request
        .app_data::<web::Data<T>>()
        .cloned()
        .ok_or_else(|| AppError::Internal("application data missing".into()))
}

/// A signed-in session about to start: the new token for the cookie and the row that
/// `sessions` will hold for it (see `app::accounts::signed_in`, which writes it), taken
/// from the request before the password is checked.
#[derive(Debug)]
pub struct Opening {
    token: String,
    hash: [u8; 32],
    /// The hash of the browser's previous token, whose session this one replaces.
    replaced: Option<[u8; 32]>,
    user_agent: String,
    ip: Option<String>,
    alive: Alive,
}

impl Opening {
    /// A new random token for the browser of `session`. `ip` is the client's address
    /// as far as it can be told.
    pub fn new(
        request: &HttpRequest,
        session: &Session,
        ip: Option<String>,
    ) -> Result<Opening, AppError> {
        let alive = app_data::<SessionPolicy>(request)?.alive();
        let user_agent: String = request
            .headers()
            .get(header::USER_AGENT)
            .and_then(|value| value.to_str().ok())
            .unwrap_or_default()
            .chars()
            .take(USER_AGENT_MAX_CHARS)
            .collect();
        let token = new_token();
        Ok(Opening {
            hash: token_hash(&token),
            token,
            replaced: token_of(session).map(|token| token_hash(&token)),
            user_agent,
            ip,
            alive,
        })
    }

    /// The session's row, for `user_id`.
    pub fn row(&self, user_id: i32) -> NewSession<'_> {
        NewSession {
            token_hash: &self.hash,
            user_id,
            created_at: self.alive.now,
            last_seen_at: self.alive.now,
            user_agent: &self.user_agent,
            ip: self.ip.as_deref(),
        }
    }

    /// The token hash of the session this one replaces.
    pub fn replaced(&self) -> Option<&[u8]> {
        self.replaced.as_ref().map(|hash| &hash[..])
    }

    /// Which sessions are alive at the moment the session starts.
    pub fn alive(&self) -> Alive {
        self.alive
    }

    /// Once the row is written: a new cookie with the new token (the old cookie is
    /// worthless), and a new CSRF token. The session is cleared (not purged: a purged
    /// session ignores later inserts) and renewed, so nothing from before sign-in
    /// survives and the cookie changes.
    pub fn start(self, session: &Session) -> Result<(), AppError> {
        session.clear();
        session.renew();
        session.insert(TOKEN_KEY, self.token)?;
        crate::auth::csrf::rotate(session);
        Ok(())
    }
}

/// Ends the browser's session on the server (a copy of the cookie is worthless after)
/// and forgets the cookie.
pub async fn sign_out(pool: &PgPool, session: &Session) -> Result<(), AppError> {
    let token = token_of(session);
    session.purge();
    if let Some(token) = token {
        let hash = token_hash(&token);
        db::run(pool, move |conn| Ok(store::sessions::end(conn, &hash)?)).await?;
    }
    Ok(())
}

/// What a request needs to find its user, taken from it before the future starts.
struct Lookup {
    session: Session,
    pool: Result<web::Data<PgPool>, AppError>,
    policy: Result<web::Data<SessionPolicy>, AppError>,
    may_change_password_here: bool,
}

impl Lookup {
    fn of(request: &HttpRequest) -> Lookup {
        Lookup {
            session: request.get_session(),
            pool: app_data(request),
            policy: app_data(request),
            may_change_password_here: request.path() == CHANGE_PASSWORD_PATH,
        }
    }
}

async fn load(
    lookup: Lookup,
    refused: AppError,
    with_badge: bool,
) -> Result<CurrentUser, AppError> {
    let Some(token) = token_of(&lookup.session) else {
        return Err(refused);
    };
    let pool = lookup.pool?;
    let alive = lookup.policy?.alive();
    let hash = token_hash(&token);
    let user = db::run(&pool, move |conn| {
        let Some(found) = store::sessions::find_user(conn, &hash, alive)? else {
            // A timed-out session's row goes at once; an ended one is gone already.
            store::sessions::end(conn, &hash)?;
            return Ok(None);
        };
        let mut current = CurrentUser {
            id: found.user_id,
            username: found.username,
            display_name: found.display_name,
            role: found.role,
            unit_id: found.unit_id,
            waiting: 0,
            must_change_password: found.must_change_password,
            reviewer_name: crate::domain::NEUTRAL_REVIEWER,
            session_id: found.session_id,
        };
        // The badge is for pages; the JSON API has no menu to show it in.
        if !with_badge || current.must_change_password {
            return Ok(Some(current));
        }
        if let (Role::Secretary, Some(unit_id)) = (current.role, current.unit_id) {
            let kind = store::units::reviewing_kind(conn, unit_id)?;
            current.reviewer_name = crate::domain::reviewing_body(kind);
        }
        current.waiting = match current.role {
            Role::Secretary => store::stats::returned(conn, current.scope())?,
            Role::Reviewer | Role::Admin => store::stats::awaiting_review(conn, current.scope())?,
        };
        Ok(Some(current))
    })
    .await?;
    match user {
        Some(user) if user.must_change_password && !lookup.may_change_password_here => {
            Err(AppError::PasswordChangeRequired {
                api: matches!(refused, AppError::Unauthorized),
            })
        }
        Some(user) => Ok(user),
        None => {
            lookup.session.purge();
            Err(refused)
        }
    }
}

type Extracted<T> = Pin<Box<dyn Future<Output = Result<T, AppError>>>>;

impl FromRequest for CurrentUser {
    type Error = AppError;
    type Future = Extracted<CurrentUser>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        Box::pin(load(Lookup::of(request), AppError::SignInRequired, true))
    }
}

impl FromRequest for ApiUser {
    type Error = AppError;
    type Future = Extracted<ApiUser>;

    fn from_request(request: &HttpRequest, _: &mut Payload) -> Self::Future {
        let lookup = Lookup::of(request);
        Box::pin(async move {
            load(lookup, AppError::Unauthorized, false)
                .await
                .map(ApiUser)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_long_random_and_stored_hashed() {
        let token = new_token();
        assert_eq!(token.len(), 43, "32 bytes in base64 without padding");
        assert_ne!(token, new_token());
        assert_ne!(token_hash(&token)[..], token.as_bytes()[..32]);
        assert_eq!(token_hash(&token), token_hash(&token));
    }
}
