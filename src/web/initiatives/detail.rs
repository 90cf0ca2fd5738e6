//! The detail page: the initiative, its evidence, its links to the years it was carried
//! from or into, the workflow steps the person may take now, and its history. Refused steps come back to this page with a message.

use std::collections::{BTreeMap, HashMap};

use actix_session::Session;
use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use diesel::PgConnection;
use serde::Serialize;
use tera::Tera;

use crate::auth::CurrentUser;
use crate::domain::format::{date_vi, group_thousands};
use crate::domain::workflow::{self, Refusal, Request, Step};
use crate::error::AppError;
use crate::store;
use crate::store::carry_over::CarryLinks;
use crate::store::evidence::Evidence;
use crate::store::initiatives::{Initiative, InitiativeListed};
use crate::web::forms::FieldErrors;
use crate::web::initiatives::history::{self, HistoryItem};
use crate::web::initiatives::registration_closed_message;
use crate::web::{page_context, render_status};

/// Everything the detail page shows, read in one blocking call.
pub struct Detail {
    pub item: InitiativeListed,
    pub evidence: Vec<Evidence>,
    pub history: Vec<HistoryItem>,
    /// The initiative of the year before it carries over, and the one it was carried into.
    pub links: CarryLinks,
    /// When the person may carry it over but the next year's registration deadline
    /// has passed for them: why not.
    pub carry_over_closed: Option<String>,
}

pub fn load(conn: &mut PgConnection, user: &CurrentUser, id: i32) -> Result<Detail, AppError> {
    let item =
        store::initiatives::find_in_scope(conn, user.scope(), id)?.ok_or(AppError::NotFound)?;
    let entries = store::audit::history(conn, "initiative", id)?;
    let names: HashMap<i32, String> = store::units::names(conn, &history::unit_ids(&entries))?
        .into_iter()
        .collect();
    let carry_over_closed = if workflow::check(Step::CarryOver, request(user, &item)).is_ok() {
        registration_closed_message(
            conn,
            user.role,
            item.initiative.unit_id,
            item.initiative.year + 1,
        )?
    } else {
        None
    };
    Ok(Detail {
        evidence: store::evidence::list(conn, id)?,
        history: history::describe(entries, &names),
        links: store::carry_over::links(conn, user.scope(), id)?,
        carry_over_closed,
        item,
    })
}

/// The workflow request this person would make about this initiative.
pub fn request(user: &CurrentUser, item: &InitiativeListed) -> Request {
    Request {
        role: user.role,
        actor_id: user.id,
        created_by: item.initiative.created_by,
        review: item.initiative.review,
        status: item.initiative.status,
        carried_over: item.carried_over_to.is_some(),
    }
}

/// Which steps the page offers: those the rules allow this person now.
fn allowed_steps(user: &CurrentUser, item: &InitiativeListed) -> BTreeMap<&'static str, bool> {
    let request = request(user, item);
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
    context.insert("evidence", &detail.evidence);
    context.insert("history", &detail.history);
    context.insert("allowed", &allowed_steps(user, &detail.item));
    context.insert("feedback", feedback);
    context.insert("report_form", &report_form(feedback, initiative));
    context.insert("is_admin", &user.is_admin());
    context.insert("links", &detail.links);
    context.insert("next_year", &(initiative.year + 1));
    context.insert("carry_over_closed", &detail.carry_over_closed);
    render_status(tera, status, "initiatives/show.html", &context)
}
