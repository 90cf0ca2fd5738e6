//! The detail page: the initiative, its evidence, its links to the years it was carried
//! from or into, the workflow steps the person may take now, and its history. Refused steps come back to this page with a message.

use std::collections::BTreeMap;

use actix_session::Session;
use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use serde::Serialize;
use tera::Tera;

use crate::app::initiatives::{self, CarryLinks, Evidence, Initiative, InitiativeListed, pages};
use crate::auth::CurrentUser;
use crate::db::{self, PgPool};
use crate::domain::format::{date_vi, group_thousands};
use crate::domain::workflow::{self, ReasonProblem, Refusal, Step};
use crate::error::AppError;
use crate::web::forms::{FieldErrors, hidden_character_problem};
use crate::web::initiatives::history::{self, HistoryItem};
use crate::web::initiatives::registration_closed_message;
use crate::web::{page_context, render_status};

/// Everything the detail page shows.
pub struct Detail {
    pub item: InitiativeListed,
    pub evidence: Vec<Evidence>,
    pub history: Vec<HistoryItem>,
    /// The initiative of the year before it carries over, and the one it was carried into.
    pub links: CarryLinks,
    /// When the person may carry it over but the next year's registration deadline
    /// has passed for them: why not.
    pub carry_over_closed: Option<String>,
    /// For a reviewer: the next initiative waiting in the inbox ("Xem tiếp").
    pub next_waiting: Option<i32>,
}

impl From<pages::Detail> for Detail {
    fn from(detail: pages::Detail) -> Detail {
        Detail {
            item: detail.item,
            evidence: detail.evidence,
            history: history::describe(detail.history),
            links: detail.links,
            carry_over_closed: detail.carry_over_closed.map(registration_closed_message),
            next_waiting: detail.next_waiting,
        }
    }
}

/// Reads the detail page of initiative `id` (not found outside the person's scope).
pub async fn load(pool: &PgPool, user: &CurrentUser, id: i32) -> Result<Detail, AppError> {
    let reader = user.clone();
    let detail = db::run_app(pool, move |conn| pages::detail(conn, &reader, id)).await?;
    Ok(Detail::from(detail))
}

/// The detail page as it stands now, with what a refused or half-filled step brings
/// back to it.
pub async fn refused(
    tera: &Tera,
    pool: &PgPool,
    session: &Session,
    user: &CurrentUser,
    id: i32,
    (status, feedback): (StatusCode, Feedback),
) -> Result<HttpResponse, AppError> {
    let detail = load(pool, user, id).await?;
    render(tera, session, user, &detail, status, &feedback)
}

/// Which steps the page offers: those the rules allow this person now.
fn allowed_steps(user: &CurrentUser, item: &InitiativeListed) -> BTreeMap<&'static str, bool> {
    let request = initiatives::request(user, item);
    [
        ("approve", Step::Approve),
        ("return", Step::Return),
        ("resubmit", Step::Resubmit),
        ("report", Step::Report),
        ("accept", Step::Accept),
        ("reopen", Step::Reopen),
        ("edit", Step::Edit),
        ("evidence", Step::ChangeEvidence),
        ("carry_over", Step::CarryOver),
    ]
    .into_iter()
    .map(|(name, step)| (name, workflow::check(step, request).is_ok()))
    .collect()
}

/// What a refused or half-filled action brings back to the page.
#[derive(Default, Serialize)]
pub struct Feedback {
    /// A message about the whole step ("Chỉ duyệt được đăng ký đang chờ duyệt.").
    pub refusal: Option<String>,
    pub errors: FieldErrors,
    /// The report form as typed.
    pub report: BTreeMap<String, String>,
    /// The return/reopen reason as typed.
    pub reason: String,
}

impl Feedback {
    pub fn refused(refusal: Refusal) -> (StatusCode, Feedback) {
        let status = match refusal {
            Refusal::NotYourRole(_) => StatusCode::FORBIDDEN,
            Refusal::NotNow(_) => StatusCode::CONFLICT,
        };
        let feedback = Feedback {
            refusal: Some(refusal.message_vi().to_owned()),
            ..Feedback::default()
        };
        (status, feedback)
    }

    /// A message about the whole step, the page's state as it is.
    pub fn refusal(status: StatusCode, message: impl Into<String>) -> (StatusCode, Feedback) {
        let feedback = Feedback {
            refusal: Some(message.into()),
            ..Feedback::default()
        };
        (status, feedback)
    }

    /// Someone else acted on the initiative first: 409, nothing done.
    pub fn state_changed() -> (StatusCode, Feedback) {
        Feedback::refusal(StatusCode::CONFLICT, STATE_CHANGED)
    }

    /// The reason of a return, a reopening or a carry-over is wrong: 422, as typed.
    pub fn bad_reason(reason: &str, problem: ReasonProblem) -> (StatusCode, Feedback) {
        let mut feedback = Feedback {
            reason: reason.to_owned(),
            ..Feedback::default()
        };
        feedback
            .errors
            .add("reason", reason_message(reason, problem));
        (StatusCode::UNPROCESSABLE_ENTITY, feedback)
    }

    /// The step was not saved because the database was busy (see `FieldErrors::busy`):
    /// the message above the page, the reason as typed.
    pub fn busy(reason: &str) -> (StatusCode, Feedback) {
        let errors = FieldErrors::busy();
        let feedback = Feedback {
            reason: reason.to_owned(),
            errors,
            ..Feedback::default()
        };
        (feedback.errors.status(), feedback)
    }
}

/// Why a step was not taken when someone else acted first.
pub const STATE_CHANGED: &str = "Mô hình, công trình vừa được người khác cập nhật nên thao tác chưa thực hiện. Hãy xem lại trạng thái hiện tại.";

/// A reason's problem as the page says it.
fn reason_message(reason: &str, problem: ReasonProblem) -> String {
    match problem {
        ReasonProblem::Missing => "Hãy ghi lý do để đơn vị biết cần sửa gì.".to_owned(),
        ReasonProblem::TooLong => "Lý do dài quá 2.000 ký tự.".to_owned(),
        ReasonProblem::HiddenCharacter(_) => {
            hidden_character_problem("Lý do", reason, true).unwrap_or_default()
        }
    }
}

/// The report form as typed, or else filled from what is stored.
fn report_form(feedback: &Feedback, initiative: &Initiative) -> BTreeMap<String, String> {
    if !feedback.report.is_empty() {
        return feedback.report.clone();
    }
    BTreeMap::from([
        (
            "actual_value_vnd".to_owned(),
            initiative
                .actual_value_vnd
                .map(group_thousands)
                .unwrap_or_default(),
        ),
        (
            "completion_date".to_owned(),
            initiative.completion_date.map(date_vi).unwrap_or_default(),
        ),
        (
            "result_summary".to_owned(),
            initiative.result_summary.clone(),
        ),
    ])
}

pub fn render(
    tera: &Tera,
    session: &Session,
    user: &CurrentUser,
    detail: &Detail,
    status: StatusCode,
    feedback: &Feedback,
) -> Result<HttpResponse, AppError> {
    let mut context = page_context(session, Some(user));
    crate::web::forms::insert_initiative_choices(&mut context);
    let initiative = &detail.item.initiative;
    context.insert("item", &detail.item);
    context.insert("kind_label", initiative.kind.label_vi());
    context.insert("field_label", initiative.field.label_vi());
    context.insert("status_label", initiative.status.label_vi());
    context.insert("review_label", initiative.review.label_vi());
    context.insert(
        "progress_label",
        workflow::progress_label_vi(initiative.review, initiative.status),
    );
    context.insert(
        "unchanged_since_return",
        &workflow::unchanged_since_return(
            initiative.review,
            initiative.updated_at,
            initiative.review_changed_at,
        ),
    );
    context.insert("evidence", &detail.evidence);
    context.insert("history", &detail.history);
    context.insert("allowed", &allowed_steps(user, &detail.item));
    let named = |text: &str| crate::domain::naming_reviewer(text, user.reviewer_name);
    context.insert(
        "feedback",
        &Feedback {
            refusal: feedback.refusal.as_deref().map(named),
            errors: feedback.errors.naming_reviewer(user.reviewer_name),
            report: feedback.report.clone(),
            reason: feedback.reason.clone(),
        },
    );
    context.insert("report_form", &report_form(feedback, initiative));
    context.insert("is_admin", &user.is_admin());
    context.insert("links", &detail.links);
    context.insert("next_waiting", &detail.next_waiting);
    context.insert("next_year", &(initiative.year + 1));
    context.insert(
        "carry_over_closed",
        &detail.carry_over_closed.as_deref().map(named),
    );
    render_status(tera, status, "initiatives/show.html", &context)
}
