//! The review steps that need no file: approve, return (with a reason), resubmit,
//! accept and reopen (`app::initiatives::review`). A refused step comes back to the
//! detail page, read again as it stands.

use actix_session::Session;
use actix_web::{HttpResponse, web};
use serde::Deserialize;
use tera::Tera;

use crate::app::initiatives::review::{self, Stepped};
use crate::auth::{CurrentUser, csrf};
use crate::db::{self, PgPool};
use crate::domain::workflow::{self, Step};
use crate::error::AppError;
use crate::web::forms::normalized;
use crate::web::initiatives::detail::{self, Feedback};
use crate::web::{flash, see_other};

#[derive(Deserialize)]
pub struct StepForm {
    #[serde(default)]
    csrf_token: String,
    #[serde(default)]
    reason: String,
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
    let actor = user.clone();
    let typed = reason.clone();
    let taken = db::run_app(&pool, move |conn| {
        review::take(conn, &actor, id, step, &typed)
    })
    .await;
    let answer = match taken {
        Ok(Stepped::Done) => {
            flash(&session, done_message(step));
            return Ok(see_other(&format!("/initiatives/{id}")));
        }
        Ok(Stepped::Refused(refusal)) => Feedback::refused(refusal),
        Ok(Stepped::BadReason(problem)) => Feedback::bad_reason(&reason, problem),
        Ok(Stepped::StateChanged) => Feedback::state_changed(),
        Err(AppError::Busy) if workflow::needs_reason(step) => Feedback::busy(&reason),
        Err(AppError::Busy) => Feedback::busy(""),
        Err(error) => return Err(error),
    };
    detail::refused(&tera, &pool, &session, &user, id, answer).await
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
