//! GET /help: "Hướng dẫn sử dụng", what each role does in the year. Public: it holds
//! no figures, and a person who cannot sign in reads it too.

use actix_session::Session;
use actix_web::{HttpResponse, web};
use tera::Tera;

use crate::auth::CurrentUser;
use crate::config::SupportContact;
use crate::error::AppError;
use crate::web::{page_context, render};

/// GET /help, signed in or not (signed in, the header shows the person's menu).
pub async fn show(
    tera: web::Data<Tera>,
    contact: web::Data<SupportContact>,
    session: Session,
    user: Option<CurrentUser>,
) -> Result<HttpResponse, AppError> {
    let mut context = page_context(&session, user.as_ref());
    context.insert("support_contact", &contact.sentence_vi());
    render(&tera, "help.html", &context)
}
