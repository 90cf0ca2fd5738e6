//! The HTTP side: routes, page rendering and one module per feature. Handlers are
//! thin: read the input, get the user, check permission, one store call, render.

pub mod account;
pub mod admin;
pub mod api;
pub mod assets;
pub mod charts;
pub mod client_ip;
pub mod dashboard;
pub mod deadlines;
pub mod errors;
pub mod exports;
pub mod forms;
pub mod health;
pub mod help;
pub mod home;
pub mod inbox;
pub mod initiatives;
pub mod login;
pub mod multipart;
pub mod paging;
pub mod report_settings;
pub mod selection;
pub mod template_filters;
pub mod templates;
pub mod unit_picker;

use actix_session::Session;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use tera::{Context, Tera};

use crate::auth::{CurrentUser, csrf};
use crate::error::AppError;

/// Every route of the application.
pub fn routes(config: &mut web::ServiceConfig) {
    config
        .route("/", web::get().to(login::home))
        .route("/healthz", web::get().to(health::healthz))
        .route("/static/{file}", web::get().to(assets::serve))
        .route("/help", web::get().to(help::show))
        .route("/login", web::get().to(login::show))
        .route("/login", web::post().to(login::submit))
        .route("/logout", web::post().to(login::logout))
        .route("/home", web::get().to(home::show))
        .route("/dashboard", web::get().to(dashboard::show))
        .route(
            "/dashboard/follow-up/{list}",
            web::get().to(dashboard::follow_up),
        )
        .route("/initiatives", web::get().to(initiatives::list))
        .route("/initiatives", web::post().to(initiatives::create))
        .route("/initiatives/new", web::get().to(initiatives::new_form))
        .route("/initiatives/export.csv", web::get().to(exports::list_csv))
        .route(
            "/initiatives/export.xlsx",
            web::get().to(exports::list_xlsx),
        )
        .route("/initiatives/{id}", web::get().to(initiatives::show))
        .route("/initiatives/{id}", web::post().to(initiatives::update))
        .route(
            "/initiatives/{id}/edit",
            web::get().to(initiatives::edit_form),
        )
        .route(
            "/initiatives/{id}/approve",
            web::post().to(initiatives::review::approve),
        )
        .route(
            "/initiatives/{id}/return",
            web::post().to(initiatives::review::return_to_unit),
        )
        .route(
            "/initiatives/{id}/resubmit",
            web::post().to(initiatives::review::resubmit),
        )
        .route(
            "/initiatives/{id}/report",
            web::post().to(initiatives::evidence::report),
        )
        .route(
            "/initiatives/{id}/accept",
            web::post().to(initiatives::review::accept),
        )
        .route(
            "/initiatives/{id}/reopen",
            web::post().to(initiatives::review::reopen),
        )
        .route(
            "/initiatives/{id}/carry-over",
            web::post().to(initiatives::carry_over::carry_over),
        )
        .route(
            "/initiatives/{id}/evidence",
            web::post().to(initiatives::evidence::add),
        )
        .route(
            "/initiatives/{id}/evidence/{file_id}/remove",
            web::post().to(initiatives::evidence::remove),
        )
        .route(
            "/initiatives/{id}/purge",
            web::post().to(initiatives::evidence::purge),
        )
        .route(
            "/evidence/{file_id}",
            web::get().to(initiatives::evidence::download),
        )
        .route(
            "/evidence/{file_id}/thumbnail",
            web::get().to(initiatives::evidence::thumbnail),
        )
        .route("/review", web::get().to(inbox::review))
        .route("/review/bulk", web::post().to(inbox::bulk))
        .route("/returned", web::get().to(inbox::returned))
        .route("/deadlines", web::get().to(deadlines::show))
        .route("/deadlines", web::post().to(deadlines::save))
        .route("/deadlines/reopen", web::post().to(deadlines::reopen))
        .route("/reports/settings", web::get().to(report_settings::show))
        .route("/reports/settings", web::post().to(report_settings::save))
        .route("/account", web::get().to(account::show))
        .route(
            "/account/sessions/end-others",
            web::post().to(account::end_other_sessions),
        )
        .route("/account/password", web::get().to(account::password_form))
        .route(
            "/account/password",
            web::post().to(account::change_password),
        )
        .route("/admin/units", web::get().to(admin::units::list))
        .route("/admin/units", web::post().to(admin::units::create))
        .route("/admin/units/new", web::get().to(admin::units::new_form))
        .route("/admin/units/{id}", web::post().to(admin::units::update))
        .route(
            "/admin/units/{id}/merge",
            web::post().to(admin::units::merge),
        )
        .route(
            "/admin/units/{id}/edit",
            web::get().to(admin::units::edit_form),
        )
        .route("/admin/users", web::get().to(admin::users::list))
        .route("/admin/users", web::post().to(admin::users::create))
        .route("/admin/users/new", web::get().to(admin::users::new_form))
        .route("/admin/users/{id}", web::post().to(admin::users::update))
        .route(
            "/admin/users/{id}/edit",
            web::get().to(admin::users::edit_form),
        )
        .route(
            "/admin/users/{id}/password",
            web::post().to(admin::users::reset_password),
        )
        .route("/admin/sign-ins", web::get().to(admin::sign_ins::list))
        .route("/admin/imports", web::get().to(admin::imports::form))
        .route("/admin/imports", web::post().to(admin::imports::upload))
        .route(
            "/admin/imports/template/{kind}",
            web::get().to(admin::imports::template),
        )
        .route(
            "/admin/imports/{id}",
            web::get().to(admin::imports::preview),
        )
        .route(
            "/admin/imports/{id}/confirm",
            web::post().to(admin::imports::confirm),
        )
        .route("/exports/annual.xlsx", web::get().to(exports::annual_xlsx))
        .route("/exports/annual.docx", web::get().to(exports::annual_docx))
        .route(
            "/exports/initiatives.csv",
            web::get().to(exports::initiatives_csv),
        )
        .route("/reports/annual", web::get().to(exports::annual_report))
        .route(
            "/reports/annual.pdf",
            web::get().to(exports::annual_report_pdf),
        )
        .route(
            "/reports/print.css",
            web::get().to(exports::print_stylesheet),
        )
        .route("/api/v1/stats", web::get().to(api::stats))
        .route("/api/v1/units", web::get().to(api::units))
        .route("/api/v1/initiatives", web::get().to(api::initiatives));
}

const FLASH_KEY: &str = "flash";

/// The context every page starts from: the user, the CSRF token for its forms and
/// the one-off message left by the previous request.
pub fn page_context(session: &Session, user: Option<&CurrentUser>) -> Context {
    let mut context = Context::new();
    context.insert("csrf_token", &csrf::token(session));
    if let Some(user) = user {
        context.insert("current_user", user);
        context.insert("role_label", user.role.label_vi());
        context.insert(
            "can_edit",
            &crate::auth::permissions::can_edit_initiatives(user),
        );
    }
    if let Ok(Some(message)) = session.get::<String>(FLASH_KEY) {
        session.remove(FLASH_KEY);
        context.insert("flash", &message);
    }
    context
}

/// Leaves a message for the next page the person sees ("Đã lưu…").
pub fn flash(session: &Session, message: &str) {
    let _ = session.insert(FLASH_KEY, message);
}

/// Renders a template with status 200.
pub fn render(tera: &Tera, template: &str, context: &Context) -> Result<HttpResponse, AppError> {
    render_status(tera, StatusCode::OK, template, context)
}

pub fn render_status(
    tera: &Tera,
    status: StatusCode,
    template: &str,
    context: &Context,
) -> Result<HttpResponse, AppError> {
    let body = tera.render(template, context)?;
    Ok(HttpResponse::build(status)
        .content_type("text/html; charset=utf-8")
        .body(body))
}

/// Post/redirect/get: 303 See Other to `location`.
pub fn see_other(location: &str) -> HttpResponse {
    HttpResponse::SeeOther()
        .insert_header((header::LOCATION, location))
        .finish()
}
