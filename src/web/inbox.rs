//! The work lists: what waits for a reviewer (GET /review), and what was returned to
//! a secretary (GET /returned), oldest first.

use actix_session::Session;
use actix_web::{HttpResponse, web};
use tera::Tera;

use crate::auth::CurrentUser;
use crate::db::{self, PgPool};
use crate::domain::{Review, Role};
use crate::error::AppError;
use crate::store;
use crate::web::{page_context, render};

/// How many rows each list shows at most.
const LIMIT: i64 = 500;

/// GET /review: registrations waiting for approval and reports waiting for acceptance.
pub async fn review(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
) -> Result<HttpResponse, AppError> {
    if user.role == Role::Secretary {
        return Err(AppError::Forbidden);
    }
    let scope = user.scope();
    let (registrations, reports) = db::run(&pool, move |conn| {
        Ok((
            store::initiatives::in_review_states(conn, scope, &[Review::PendingApproval], LIMIT)?,
            store::initiatives::in_review_states(conn, scope, &[Review::PendingAcceptance], LIMIT)?,
        ))
    })
    .await?;
    let mut context = page_context(&session, Some(&user));
    crate::web::forms::insert_initiative_choices(&mut context);
    context.insert("mode", "review");
    context.insert("registrations", &registrations);
    context.insert("reports", &reports);
    render(&tera, "inbox.html", &context)
}

/// GET /returned: what reviewers returned, with their reasons, for the secretary to fix.
pub async fn returned(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
) -> Result<HttpResponse, AppError> {
    crate::auth::permissions::require_initiative_editor(&user)?;
    let scope = user.scope();
    let returned = db::run(&pool, move |conn| {
        Ok(store::initiatives::in_review_states(
            conn,
            scope,
            Review::RETURNED,
            LIMIT,
        )?)
    })
    .await?;
    let mut context = page_context(&session, Some(&user));
    crate::web::forms::insert_initiative_choices(&mut context);
    context.insert("mode", "returned");
    context.insert("returned", &returned);
    render(&tera, "inbox.html", &context)
}
