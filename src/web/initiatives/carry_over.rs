//! Chuyển tiếp sang năm sau: an unfinished initiative is registered again for the next
//! year in one action, linked to the original, which stays in its year as unfinished.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use tera::Tera;

use crate::auth::{CurrentUser, csrf};
use crate::db::{self, PgPool};
use crate::domain::carry_over::ALREADY_CARRIED;
use crate::domain::workflow::{self, Step};
use crate::error::AppError;
use crate::store;
use crate::store::carry_over::CarryOutcome;
use crate::web::forms::{busy_as_form_error, hidden_character_problem, normalized};
use crate::web::initiatives::detail::{self, Feedback};
use crate::web::initiatives::review::{REASON_MAX_CHARS, STATE_CHANGED};
use crate::web::{flash, see_other};

#[derive(Deserialize)]
pub struct CarryOverForm {
    #[serde(default)]
    csrf_token: String,
    /// Optional: why it goes on next year ("chưa đủ kinh phí", say).
    #[serde(default)]
    reason: String,
}

/// What happened, for the page that follows.
enum Answer {
    Carried { id: i32, year: i32 },
    Refused(StatusCode, Feedback, Box<detail::Detail>),
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
    let answer = db::run(&pool, move |conn| {
        let detail = detail::load(conn, &actor, id)?;
        let refuse =
            |status, feedback, detail| Ok(Answer::Refused(status, feedback, Box::new(detail)));
        if let Err(refusal) =
            workflow::check(Step::CarryOver, detail::request(&actor, &detail.item))
        {
            let (status, feedback) = Feedback::refused(refusal);
            return refuse(status, feedback, detail);
        }
        if let Some(problem) = reason_problem(&reason) {
            let mut feedback = Feedback {
                reason: reason.clone(),
                ..Feedback::default()
            };
            feedback.errors.add("reason", problem);
            return refuse(StatusCode::UNPROCESSABLE_ENTITY, feedback, detail);
        }
        if let Some(closed) = detail.carry_over_closed.clone() {
            return refuse(StatusCode::CONFLICT, refusal(closed), detail);
        }
        let reason = Some(reason.as_str()).filter(|reason| !reason.is_empty());
        let carried = store::carry_over::carry_over(conn, actor.id, actor.scope(), id, reason);
        let outcome = match busy_as_form_error(carried)? {
            Ok(outcome) => outcome,
            Err(_) => {
                let (status, feedback) = Feedback::busy(reason.unwrap_or_default());
                return refuse(status, feedback, detail);
            }
        };
        let message = match outcome {
            CarryOutcome::Carried(new_id) => {
                return Ok(Answer::Carried {
                    id: new_id,
                    year: detail.item.initiative.year + 1,
                });
            }
            CarryOutcome::NotFound => return Err(AppError::NotFound),
            CarryOutcome::AlreadyCarried => ALREADY_CARRIED,
            CarryOutcome::StateChanged => STATE_CHANGED,
            CarryOutcome::UnitInactive => {
                "Đơn vị đã ngừng hoạt động nên không đăng ký được cho năm sau."
            }
            CarryOutcome::NoNextYear => "Ứng dụng chỉ theo dõi đến năm 2100.",
        };
        // Show the page as it is now (with the link, if someone carried it first).
        refuse(
            StatusCode::CONFLICT,
            refusal(message.to_owned()),
            detail::load(conn, &actor, id)?,
        )
    })
    .await?;
    match answer {
        Answer::Carried { id, year } => {
            flash(
                &session,
                &format!(
                    "Đã chuyển tiếp sang năm {year}. Đăng ký năm {year} chờ Ban Thường vụ Khối duyệt."
                ),
            );
            Ok(see_other(&format!("/initiatives/{id}")))
        }
        Answer::Refused(status, feedback, detail) => {
            detail::render(&tera, &session, &user, &detail, status, &feedback)
        }
    }
}

fn refusal(message: String) -> Feedback {
    Feedback {
        refusal: Some(message),
        ..Feedback::default()
    }
}

/// The reason is optional, but when given it must be text a person typed.
fn reason_problem(reason: &str) -> Option<String> {
    if reason.chars().count() > REASON_MAX_CHARS {
        Some("Lý do dài quá 2.000 ký tự.".to_owned())
    } else {
        hidden_character_problem("Lý do", reason, true)
    }
}
