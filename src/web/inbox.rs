//! The work lists: what waits for a reviewer (GET /review), and what was returned to
//! a secretary (GET /returned), oldest first, a page at a time ("Xem tiếp"); and the
//! reviewer's bulk approval or acceptance of what they ticked (POST /review/bulk).

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use tera::Tera;

use crate::app;
use crate::app::inbox::InitiativeListed;
use crate::app::initiatives::review::{self, BulkItem, BulkOutcome, Ticked};
use crate::auth::{CurrentUser, csrf};
use crate::db::{self, PgPool};
use crate::domain::Role;
use crate::domain::workflow::Step;
use crate::error::{AppError, BUSY_MESSAGE};
use crate::web::{page_context, paging, render, render_status};

/// Each list of the page reads on from its own cursor.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct InboxQuery {
    approval_after: Option<String>,
    acceptance_after: Option<String>,
    after: Option<String>,
}

/// One page of one list, with how many wait in all (up to the cap) and where the next
/// page starts.
#[derive(Serialize)]
struct Section {
    rows: Vec<Row>,
    total: i64,
    total_capped: bool,
    /// Whether this page is the list's first.
    first: bool,
    next: Option<String>,
}

impl From<app::inbox::Section> for Section {
    fn from(section: app::inbox::Section) -> Section {
        Section {
            rows: section.rows.into_iter().map(Row::from).collect(),
            total: section.total,
            total_capped: section.total >= paging::COUNT_CAP,
            first: section.first,
            next: section.next.map(paging::inbox_cursor),
        }
    }
}

/// One initiative of a list, with how many whole days it has waited in its state.
#[derive(Serialize)]
struct Row {
    #[serde(flatten)]
    listed: InitiativeListed,
    days_waiting: i64,
}

impl From<InitiativeListed> for Row {
    fn from(listed: InitiativeListed) -> Row {
        let days_waiting =
            crate::domain::days_since_in_vietnam(listed.initiative.review_changed_at);
        Row {
            listed,
            days_waiting,
        }
    }
}

/// GET /review: registrations waiting for approval and reports waiting for acceptance.
pub async fn review(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
    query: web::Query<InboxQuery>,
) -> Result<HttpResponse, AppError> {
    if user.role == Role::Secretary {
        return Err(AppError::Forbidden);
    }
    let approval_after = paging::parse_inbox_cursor(query.approval_after.as_deref())?;
    let acceptance_after = paging::parse_inbox_cursor(query.acceptance_after.as_deref())?;
    let scope = user.scope();
    let (registrations, reports) = db::run_app(&pool, move |conn| {
        app::inbox::review(
            conn,
            scope,
            approval_after,
            acceptance_after,
            paging::COUNT_CAP,
        )
    })
    .await?;
    let (registrations, reports) = (Section::from(registrations), Section::from(reports));
    let mut context = page_context(&session, Some(&user));
    crate::web::forms::insert_initiative_choices(&mut context);
    context.insert("mode", "review");
    context.insert("registrations", &registrations);
    context.insert("reports", &reports);
    context.insert("count_shown", &(paging::COUNT_CAP - 1));
    render(&tera, "inbox.html", &context)
}

/// GET /returned: what reviewers returned, with their reasons, for the secretary to fix.
pub async fn returned(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
    query: web::Query<InboxQuery>,
) -> Result<HttpResponse, AppError> {
    crate::auth::permissions::require_initiative_editor(&user)?;
    let after = paging::parse_inbox_cursor(query.after.as_deref())?;
    let scope = user.scope();
    let returned = db::run_app(&pool, move |conn| {
        app::inbox::returned(conn, scope, after, paging::COUNT_CAP)
    })
    .await?;
    let returned = Section::from(returned);
    let mut context = page_context(&session, Some(&user));
    crate::web::forms::insert_initiative_choices(&mut context);
    context.insert("mode", "returned");
    context.insert("returned", &returned);
    context.insert("count_shown", &(paging::COUNT_CAP - 1));
    render(&tera, "inbox.html", &context)
}

/// One line of the bulk review's result page.
#[derive(Serialize)]
struct BulkLine {
    id: i32,
    /// None when the initiative is not found: its title is not the person's to read.
    title: Option<String>,
    unit_name: Option<String>,
    done: bool,
    /// Why it was not taken, in Vietnamese.
    reason: Option<&'static str>,
}

impl From<BulkItem> for BulkLine {
    fn from(item: BulkItem) -> BulkLine {
        let reason = match item.outcome {
            BulkOutcome::Done => None,
            BulkOutcome::Refused(refusal) => Some(refusal.message_vi()),
            BulkOutcome::StateChanged => Some(
                "Mục này đã thay đổi sau khi bạn mở danh sách (có người vừa xử lý hoặc đơn vị vừa sửa). Hãy mở lại để xem.",
            ),
            BulkOutcome::NotFound => {
                Some("Không tìm thấy mô hình, công trình này trong phạm vi của bạn.")
            }
            BulkOutcome::Busy => Some(BUSY_MESSAGE),
        };
        BulkLine {
            id: item.id,
            title: item.title,
            unit_name: item.unit_name,
            done: item.outcome == BulkOutcome::Done,
            reason,
        }
    }
}

/// Reads the ticked boxes named `field` ("{id}.{version}", as the inbox writes them).
fn ticked(form: &[(String, String)], field: &str) -> Result<Vec<Ticked>, AppError> {
    form.iter()
        .filter(|(name, _)| name == field)
        .map(|(_, value)| {
            let (id, version) = value.split_once('.')?;
            Some(Ticked {
                id: id.parse().ok()?,
                version: version.parse().ok()?,
            })
        })
        .map(|item| item.ok_or(AppError::BadRequest("ticked")))
        .collect()
}

/// POST /review/bulk: approves the ticked registrations ("step=approve") or accepts
/// the ticked completion reports ("step=accept") of the inbox, each with its own
/// checks and history line, and says which were done and which were refused, and why.
pub async fn bulk(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
    form: web::Form<Vec<(String, String)>>,
) -> Result<HttpResponse, AppError> {
    let field = |name: &str| {
        form.iter()
            .find(|(key, _)| key == name)
            .map(|(_, value)| value.as_str())
    };
    csrf::verify(&session, field("csrf_token").unwrap_or_default())?;
    if user.role == Role::Secretary {
        return Err(AppError::Forbidden);
    }
    let step = match field("step") {
        Some("approve") => Step::Approve,
        Some("accept") => Step::Accept,
        _ => return Err(AppError::BadRequest("step")),
    };
    let name = if step == Step::Approve {
        "approve"
    } else {
        "accept"
    };
    let chosen = ticked(&form, name)?;
    let mut context = page_context(&session, Some(&user));
    context.insert("step", name);
    let problem = if chosen.is_empty() {
        Some("Chưa chọn mục nào. Hãy đánh dấu các mục cần xử lý rồi bấm nút.".to_owned())
    } else if chosen.len() > review::BULK_MAX {
        Some(format!(
            "Mỗi lần chỉ xử lý được tối đa {} mục; bạn đã chọn {}. Hãy bỏ bớt rồi gửi lại.",
            review::BULK_MAX,
            chosen.len()
        ))
    } else {
        None
    };
    if let Some(problem) = problem {
        context.insert("problem", &problem);
        return render_status(
            &tera,
            StatusCode::UNPROCESSABLE_ENTITY,
            "review_result.html",
            &context,
        );
    }
    let actor = user.clone();
    let items = db::run_app(&pool, move |conn| {
        review::take_many(conn, &actor, step, &chosen)
    })
    .await?;
    let (done, refused): (Vec<BulkLine>, Vec<BulkLine>) = items
        .into_iter()
        .map(BulkLine::from)
        .partition(|line| line.done);
    context.insert("done", &done);
    context.insert("refused", &refused);
    render(&tera, "review_result.html", &context)
}
