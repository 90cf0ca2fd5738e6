//! The review steps that need no file: approve, return (with a reason), resubmit,
//! accept and reopen. Each is checked against the workflow rules and taken only if
//! the initiative is still in the state the page showed.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use tera::Tera;

use crate::auth::{CurrentUser, csrf};
use crate::db::{self, PgPool};
use crate::domain::workflow::{self, Step};
use crate::error::AppError;
use crate::store;
use crate::store::initiatives::{StepChange, StepOutcome};
use crate::web::forms::{busy_as_form_error, hidden_character_problem, normalized};
use crate::web::initiatives::detail::{self, Detail, Feedback};
use crate::web::{flash, see_other};

#[derive(Deserialize)]
pub struct StepForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    reason: String,
}

pub const REASON_MAX_CHARS: usize = 2000;

/// What happened, for the page that follows.
enum Answer {
    Done,
    Refused(StatusCode, Feedback),
}

async fn take(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
    id: i32,
    form: StepForm,
    step: Step,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&session, &form.csrf_token)?;
    let reason = normalized(&form.reason);
    let needs_reason = matches!(step, Step::Return | Step::Reopen);
    let actor = user.clone();
    let (answer, detail) = db::run(&pool, move |conn| {
        let detail = detail::load(conn, &actor, id)?;
        let request = detail::request(&actor, &detail.item);
        let transition = match workflow::check(step, request) {
            Ok(transition) => transition,
            Err(refusal) => {
                let (status, feedback) = Feedback::refused(refusal);
                return Ok((Answer::Refused(status, feedback), Some(detail)));
            }
        };
        if needs_reason {
            let problem = if reason.is_empty() {
                Some("Hãy ghi lý do để đơn vị biết cần sửa gì.".to_owned())
            } else if reason.chars().count() > REASON_MAX_CHARS {
                Some("Lý do dài quá 2.000 ký tự.".to_owned())
            } else {
                hidden_character_problem("Lý do", &reason, true)
            };
            if let Some(problem) = problem {
                let mut feedback = Feedback {
                    reason: reason.clone(),
                    ..Feedback::default()
                };
                feedback.errors.add("reason", problem);
                return Ok((
                    Answer::Refused(StatusCode::UNPROCESSABLE_ENTITY, feedback),
                    Some(detail),
                ));
            }
        }
        let reason = needs_reason.then_some(reason.as_str());
        let change = StepChange {
            reason,
            ..StepChange::only(transition)
        };
        let taken = store::initiatives::take_step(conn, actor.id, actor.scope(), id, &change);
        let outcome = match busy_as_form_error(taken)? {
            Ok(outcome) => outcome,
            Err(_) => {
                let (status, feedback) = Feedback::busy(reason.unwrap_or_default());
                return Ok((Answer::Refused(status, feedback), Some(detail)));
            }
        };
        Ok(match outcome {
            StepOutcome::Done => (Answer::Done, None),
            _ => {
                let feedback = Feedback {
                    refusal: Some(STATE_CHANGED.to_owned()),
                    ..Feedback::default()
                };
                // Show the page as it is now, not as it was.
                (
                    Answer::Refused(StatusCode::CONFLICT, feedback),
                    Some(detail::load(conn, &actor, id)?),
                )
            }
        })
    })
    .await?;
    match (answer, detail) {
        (Answer::Done, _) => {
            flash(&session, done_message(step));
            Ok(see_other(&format!("/initiatives/{id}")))
        }
        (Answer::Refused(status, feedback), Some(detail)) => {
            render_refusal(&tera, &session, &user, &detail, status, &feedback)
        }
        (Answer::Refused(..), None) => Err(AppError::NotFound),
    }
}

pub const STATE_CHANGED: &str = "Mô hình, công trình vừa được người khác cập nhật nên thao tác chưa thực hiện. Hãy xem lại trạng thái hiện tại.";

fn render_refusal(
    tera: &Tera,
    session: &Session,
    user: &CurrentUser,
    detail: &Detail,
    status: StatusCode,
    feedback: &Feedback,
) -> Result<HttpResponse, AppError> {
    detail::render(tera, session, user, detail, status, feedback)
}

fn done_message(step: Step) -> &'static str {
    match step {
        Step::Approve => "Đã duyệt đăng ký.",
        Step::Return => "Đã trả lại kèm lý do.",
        Step::Resubmit => "Đã gửi lại đăng ký để duyệt.",
        Step::Accept => "Đã nghiệm thu: mô hình, công trình được tính là hoàn thành.",
        Step::Reopen => "Đã mở lại để đơn vị sửa và báo cáo lại.",
        Step::Report => "Đã gửi báo cáo hoàn thành để nghiệm thu.",
        Step::Edit | Step::ChangeEvidence => "Đã lưu thay đổi.",
        Step::CarryOver => "Đã chuyển tiếp sang năm sau.",
    }
}

macro_rules! step_handler {
    ($(#[$doc:meta])* $name:ident, $step:expr) => {
        $(#[$doc])*
        pub async fn $name(
            tera: web::Data<Tera>,
            pool: web::Data<PgPool>,
            session: Session,
            user: CurrentUser,
            id: web::Path<i32>,
            form: web::Form<StepForm>,
        ) -> Result<HttpResponse, AppError> {
            take(tera, pool, session, user, id.into_inner(), form.into_inner(), $step).await
        }
    };
}

step_handler!(
    /// POST /initiatives/{id}/approve: Duyệt đăng ký.
    approve,
    Step::Approve
);
step_handler!(
    /// POST /initiatives/{id}/return: returns a registration or a report, with a reason.
    return_to_unit,
    Step::Return
);
step_handler!(
    /// POST /initiatives/{id}/resubmit: sends a corrected registration again.
    resubmit,
    Step::Resubmit
);
step_handler!(
    /// POST /initiatives/{id}/accept: Nghiệm thu; from now on it counts as completed.
    accept,
    Step::Accept
);
step_handler!(
    /// POST /initiatives/{id}/reopen: opens an accepted initiative for correction.
    reopen,
    Step::Reopen
);
