//! The work lists: what waits for a reviewer (GET /review), and what was returned to
//! a secretary (GET /returned), oldest first, a page at a time ("Xem tiếp").

use actix_session::Session;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use tera::Tera;

use crate::app;
use crate::app::inbox::InitiativeListed;
use crate::auth::CurrentUser;
use crate::db::{self, PgPool};
use crate::domain::Role;
use crate::error::AppError;
use crate::web::{page_context, paging, render};

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

impl From<app::inbox::Section> for Section {
    fn from(section: app::inbox::Section) -> Section {
        Section {
            rows: section.rows,
            total: section.total,
            total_capped: section.total >= paging::COUNT_CAP,
            first: section.first,
            next: section.next.map(paging::inbox_cursor),
        }
    }
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
    let (registrations, reports) = db::run_app(&pool, move |conn| {
        app::inbox::review(
            conn,
            scope,
            approval_after,
            acceptance_after,
            paging::COUNT_CAP,
        )
    })
    .await?;
    let (registrations, reports) = (Section::from(registrations), Section::from(reports));
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
    let returned = db::run_app(&pool, move |conn| {
        app::inbox::returned(conn, scope, after, paging::COUNT_CAP)
    })
    .await?;
    let returned = Section::from(returned);
    let mut context = page_context(&session, Some(&user));
    crate::web::forms::insert_initiative_choices(&mut context);
    context.insert("mode", "returned");
    context.insert("returned", &returned);
    context.insert("count_shown", &(paging::COUNT_CAP - 1));
    render(&tera, "inbox.html", &context)
}
