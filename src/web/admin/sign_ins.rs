//! The admin page of failed and throttled sign-ins, newest first, a page at a time.

use actix_session::Session;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use tera::Tera;

use crate::app;
use crate::app::users::SignInEvent;
use crate::auth::{CurrentUser, permissions};
use crate::db::{self, PgPool};
use crate::domain::format::timestamp_vi;
use crate::domain::throttle::{self, Limits};
use crate::error::AppError;
use crate::web::{page_context, render};

/// Lines on one page.
const PAGE: usize = 100;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct PageQuery {
    /// Events older than this one (the last of the previous page).
    before: Option<i64>,
}

/// One line as shown.
#[derive(Debug, Serialize)]
struct Line {
    at: String,
    username: String,
    address: String,
    outcome: &'static str,
    throttled: bool,
}

impl Line {
    fn new(event: &SignInEvent) -> Line {
        let throttled = event.outcome == "throttled";
        Line {
            at: timestamp_vi(event.at),
            username: event.username.clone(),
            address: event.address.clone(),
            outcome: match (throttled, event.cleared) {
                (true, _) => "Bị chặn tạm thời (quá nhiều lần sai)",
                (false, true) => "Sai tên đăng nhập hoặc mật khẩu (sau đó đã đăng nhập được)",
                (false, false) => "Sai tên đăng nhập hoặc mật khẩu",
            },
            throttled,
        }
    }
}

/// GET /admin/sign-ins
pub async fn list(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    limits: web::Data<Limits>,
    session: Session,
    user: CurrentUser,
    query: web::Query<PageQuery>,
) -> Result<HttpResponse, AppError> {
    permissions::require_admin(&user)?;
    let before = query.before;
    let actor = user.clone();
    let mut events = db::run_app(&pool, move |conn| {
        app::users::failed_sign_ins(conn, &actor, before, PAGE as i64 + 1)
    })
    .await?;
    let more = events.len() > PAGE;
    events.truncate(PAGE);
    let next = more
        .then(|| {
            events
                .last()
                .map(|event| format!("/admin/sign-ins?before={}", event.id))
        })
        .flatten();
    let lines: Vec<Line> = events.iter().map(Line::new).collect();
    let mut context = page_context(&session, Some(&user));
    context.insert("lines", &lines);
    context.insert("next", &next);
    context.insert("first", &before.map(|_| "/admin/sign-ins"));
    context.insert("kept_days", &(throttle::KEPT_FOR.as_secs() / 86_400));
    context.insert("account_free", &limits.account.free_failures);
    context.insert("address_free", &limits.address.free_failures);
    context.insert("window_minutes", &(limits.account.window.as_secs() / 60));
    render(&tera, "admin/sign_ins.html", &context)
}
