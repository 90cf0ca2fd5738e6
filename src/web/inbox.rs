//! The work lists: what waits for a reviewer (GET /review), and what was returned to
//! a secretary (GET /returned), oldest first, a page at a time ("Xem tiếp").

use actix_session::Session;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use tera::Tera;

use crate::auth::CurrentUser;
use crate::db::{self, PgPool};
use crate::domain::Scope;
use crate::domain::{Review, Role};
use crate::error::AppError;
use crate::store;
use crate::store::initiatives::{InboxPosition, InitiativeListed};
use crate::web::{page_context, paging, render};

/// How many rows each list shows on a page.
const PER_PAGE: i64 = 50;

/// Each list of the page reads on from its own cursor.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct InboxQuery {
    approval_after: Option<String>,
    acceptance_after: Option<String>,
    after: Option<String>,
}

/// One page of one list, with how many wait in all (up to the cap) and where the next
/// page starts.
#[derive(Serialize)]
struct Section {
    rows: Vec<InitiativeListed>,
    total: i64,
    total_capped: bool,
    /// Whether this page is the list's first.
    first: bool,
    next: Option<String>,
}

fn section(
    conn: &mut diesel::PgConnection,
    scope: Scope,
    states: &[Review],
    after: Option<InboxPosition>,
) -> Result<Section, AppError> {
    let mut rows = store::initiatives::in_review_states(conn, scope, states, after, PER_PAGE + 1)?;
    let more = rows.len() as i64 > PER_PAGE;
    rows.truncate(PER_PAGE as usize);
    let total = if after.is_none() && !more {
        rows.len() as i64
    } else {
        store::initiatives::count_in_review_states_up_to(conn, scope, states, paging::COUNT_CAP)?
    };
    let next = rows
        .last()
        .filter(|_| more)
        .map(|row| paging::inbox_cursor((row.initiative.review_changed_at, row.initiative.id)));
    Ok(Section {
        rows,
        total,
        total_capped: total >= paging::COUNT_CAP,
        first: after.is_none(),
        next,
    })
}

/// GET /review: registrations waiting for approval and reports waiting for acceptance.
pub async fn review(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
    query: web::Query<InboxQuery>,
) -> Result<HttpResponse, AppError> {
    if user.role == Role::Secretary {
        return Err(AppError::Forbidden);
    }
    let approval_after = paging::parse_inbox_cursor(query.approval_after.as_deref())?;
    let acceptance_after = paging::parse_inbox_cursor(query.acceptance_after.as_deref())?;
    let scope = user.scope();
    let (registrations, reports) = db::run(&pool, move |conn| {
        Ok((
            section(conn, scope, &[Review::PendingApproval], approval_after)?,
            section(conn, scope, &[Review::PendingAcceptance], acceptance_after)?,
        ))
    })
    .await?;
    let mut context = page_context(&session, Some(&user));
    crate::web::forms::insert_initiative_choices(&mut context);
    context.insert("mode", "review");
    context.insert("registrations", &registrations);
    context.insert("reports", &reports);
    context.insert("count_shown", &(paging::COUNT_CAP - 1));
    render(&tera, "inbox.html", &context)
}

/// GET /returned: what reviewers returned, with their reasons, for the secretary to fix.
pub async fn returned(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
    query: web::Query<InboxQuery>,
) -> Result<HttpResponse, AppError> {
    crate::auth::permissions::require_initiative_editor(&user)?;
    let after = paging::parse_inbox_cursor(query.after.as_deref())?;
    let scope = user.scope();
    let returned = db::run(&pool, move |conn| {
        section(conn, scope, Review::RETURNED, after)
    })
    .await?;
    let mut context = page_context(&session, Some(&user));
    crate::web::forms::insert_initiative_choices(&mut context);
    context.insert("mode", "returned");
    context.insert("returned", &returned);
    context.insert("count_shown", &(paging::COUNT_CAP - 1));
    render(&tera, "inbox.html", &context)
}
