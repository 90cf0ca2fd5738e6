//! GET /home: a secretary's "Việc cần làm" for the current year. Reviewers and admins
//! have the dashboard as their home and are sent there.

use actix_session::Session;
use actix_web::{HttpResponse, web};
use tera::Tera;

use crate::app;
use crate::auth::CurrentUser;
use crate::db::{self, PgPool};
use crate::domain::Role;
use crate::error::AppError;
use crate::web::{page_context, render, see_other};

/// Where a person lands after signing in: a secretary on their to-do page, the others
/// on the dashboard.
pub fn landing(role: Role) -> &'static str {
    match role {
        Role::Secretary => "/home",
        Role::Reviewer | Role::Admin => "/dashboard",
    }
}

/// GET /home
pub async fn show(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
) -> Result<HttpResponse, AppError> {
    if user.role != Role::Secretary {
        return Ok(see_other(landing(user.role)));
    }
    let actor = user.clone();
    let todo = db::run_app(&pool, move |conn| app::home::todo(conn, &actor)).await?;
    let mut context = page_context(&session, Some(&user));
    crate::web::forms::insert_initiative_choices(&mut context);
    context.insert("todo", &todo);
    context.insert("shown", &app::home::SHOWN);
    render(&tera, "home.html", &context)
}
