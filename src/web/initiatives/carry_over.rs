//! Chuyển tiếp sang năm sau (`app::initiatives::carry_over`): an unfinished initiative
//! registered again for the next year in one action, linked to the original, which
//! stays in its year as unfinished.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use tera::Tera;

use crate::app::initiatives::carry_over::{self, Carried, CarryOutcome};
use crate::auth::{CurrentUser, csrf};
use crate::db::{self, PgPool};
use crate::domain::carry_over::ALREADY_CARRIED;
use crate::error::AppError;
use crate::web::forms::normalized;
use crate::web::initiatives::detail::{self, Feedback, STATE_CHANGED};
use crate::web::initiatives::registration_closed_message;
use crate::web::{flash, see_other};

#[derive(Deserialize)]
pub struct CarryOverForm {
    #[serde(default)]
    csrf_token: String,
    /// Optional: why it goes on next year ("chưa đủ kinh phí", say).
    #[serde(default)]
    reason: String,
}

/// POST /initiatives/{id}/carry-over: creates the next year's initiative, waiting for
/// the bloc's approval, and links the two. Refusals come back to the detail page.
pub async fn carry_over(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
    id: web::Path<i32>,
    form: web::Form<CarryOverForm>,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&session, &form.csrf_token)?;
    let id = id.into_inner();
    let reason = normalized(&form.into_inner().reason);
    let actor = user.clone();
    let typed = reason.clone();
    let carried = db::run_app(&pool, move |conn| {
        carry_over::carry_over(conn, &actor, id, &typed)
    })
    .await;
    let conflict = |message: &str| Feedback::refusal(StatusCode::CONFLICT, message);
    let answer = match carried {
        Ok(Carried::Done { id, year }) => {
            flash(
                &session,
                &format!(
                    "Đã chuyển tiếp sang năm {year}. Đăng ký năm {year} chờ {} duyệt.",
                    user.reviewer_name
                ),
            );
            return Ok(see_other(&format!("/initiatives/{id}")));
        }
        Ok(Carried::Refused(refusal)) => Feedback::refused(refusal),
        Ok(Carried::BadReason(problem)) => Feedback::bad_reason(&reason, problem),
        Ok(Carried::Closed(closed)) => conflict(&registration_closed_message(closed)),
        // The page as it is now shows the link, if someone carried it first.
        Ok(Carried::NotCarried(outcome)) => conflict(match outcome {
            CarryOutcome::AlreadyCarried => ALREADY_CARRIED,
            CarryOutcome::UnitInactive => {
                "Đơn vị đã ngừng hoạt động nên không đăng ký được cho năm sau."
            }
            CarryOutcome::NoNextYear => "Ứng dụng chỉ theo dõi đến năm 2100.",
            CarryOutcome::StateChanged | CarryOutcome::Carried(_) | CarryOutcome::NotFound => {
                STATE_CHANGED
            }
        }),
        Err(AppError::Busy) => Feedback::busy(&reason),
        Err(error) => return Err(error),
    };
    detail::refused(&tera, &pool, &session, &user, id, answer).await
}
