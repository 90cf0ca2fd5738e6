//! Evidence and completion reports: upload (multipart), remove, download, and the
//! report step itself, which carries files; plus an admin's purge of an initiative.

use actix_multipart::Multipart;
use actix_session::Session;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use tera::Tera;

use crate::app::evidence::{self, Changed, Reported};
use crate::app::initiatives::CompletionReport;
use crate::auth::{CurrentUser, csrf, permissions};
use crate::db::{self, PgPool};
use crate::domain::format::parse_date;
use crate::domain::initiative;
use crate::domain::workflow::Step;
use crate::domain::{Vnd, money::MoneyError};
use crate::error::AppError;
use crate::evidence::{EvidenceStore, EvidenceType, UploadError};
use crate::web::initiatives::detail::{self, Feedback};
use crate::web::multipart::{MultipartForm, read_multipart};
use crate::web::{flash, see_other};

/// Reads the multipart body, checking the CSRF token before any file is written.
async fn receive(
    payload: Multipart,
    store: &EvidenceStore,
    session: &Session,
) -> Result<Result<MultipartForm, UploadError>, AppError> {
    let form = read_multipart(payload, store, |token| csrf::verify(session, token).is_ok()).await;
    match form {
        Err(UploadError::Csrf) => Err(AppError::Csrf),
        other => Ok(other),
    }
}

/// The report form as typed, to show again.
fn typed_report(fields: &std::collections::HashMap<String, String>) -> Feedback {
    let mut feedback = Feedback::default();
    for name in ["actual_value_vnd", "completion_date", "result_summary"] {
        let value = fields.get(name).cloned().unwrap_or_default();
        feedback.report.insert(name.to_owned(), value);
    }
    feedback
}

/// Parses the report's own fields; errors go beside each field, with the form as typed.
fn parse_report(
    fields: &std::collections::HashMap<String, String>,
    start_date: chrono::NaiveDate,
) -> Result<CompletionReport, Feedback> {
    let field = |name: &str| fields.get(name).map(String::as_str).unwrap_or_default();
    let mut feedback = typed_report(fields);
    let errors = &mut feedback.errors;
    let actual_value = match Vnd::parse(field("actual_value_vnd")) {
        Ok(value) => Some(value),
        Err(MoneyError::Empty) => {
            errors.add("actual_value_vnd", "Hãy nhập giá trị thực hiện (đồng).");
            None
        }
        Err(error) => {
            errors.add("actual_value_vnd", error.message_vi());
            None
        }
    };
    let today = Some(crate::domain::today_in_vietnam());
    let completion_date = match parse_date(field("completion_date")) {
        Ok(date) => match initiative::completion_date_problem(start_date, date, today) {
            Some(problem) => {
                errors.add("completion_date", problem);
                None
            }
            None => Some(date),
        },
        Err(crate::domain::format::DateError::Empty) => {
            errors.add("completion_date", "Hãy nhập ngày hoàn thành.");
            None
        }
        Err(error) => {
            errors.add("completion_date", error.message_vi());
            None
        }
    };
    let summary = crate::domain::text::normalized(field("result_summary"));
    if summary.is_empty() {
        errors.add("result_summary", "Hãy tóm tắt kết quả đạt được.");
    } else if let Some(problem) = initiative::result_summary_problem(&summary) {
        errors.add("result_summary", problem);
    }
    match (actual_value, completion_date) {
        (Some(actual_value), Some(completion_date)) if feedback.errors.is_empty() => {
            Ok(CompletionReport {
                actual_value,
                completion_date,
                result_summary: summary,
            })
        }
        _ => Err(feedback),
    }
}

/// POST /initiatives/{id}/report (multipart): Báo cáo hoàn thành with value, date,
/// summary and evidence files; it then waits for a reviewer's acceptance.
pub async fn report(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    store: web::Data<EvidenceStore>,
    session: Session,
    user: CurrentUser,
    id: web::Path<i32>,
    payload: Multipart,
) -> Result<HttpResponse, AppError> {
    upload(
        tera,
        pool,
        store,
        session,
        user,
        id.into_inner(),
        payload,
        Step::Report,
    )
    .await
}

/// POST /initiatives/{id}/evidence (multipart): adds evidence files.
pub async fn add(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    store: web::Data<EvidenceStore>,
    session: Session,
    user: CurrentUser,
    id: web::Path<i32>,
    payload: Multipart,
) -> Result<HttpResponse, AppError> {
    upload(
        tera,
        pool,
        store,
        session,
        user,
        id.into_inner(),
        payload,
        Step::ChangeEvidence,
    )
    .await
}

#[allow(clippy::too_many_arguments)]
async fn upload(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    store: web::Data<EvidenceStore>,
    session: Session,
    user: CurrentUser,
    id: i32,
    payload: Multipart,
    step: Step,
) -> Result<HttpResponse, AppError> {
    let form = match receive(payload, &store, &session).await? {
        Ok(form) => form,
        Err(error) => {
            if matches!(error, UploadError::Io(_)) {
                // Answered on the page, not as an AppError: logged here, once.
                let chain = crate::error::cause_chain(&error);
                tracing::error!(error = %chain, "evidence upload failed");
            }
            let mut feedback = Feedback::default();
            feedback
                .errors
                .add("files", super::upload_refusal::message(&error));
            let answer = (super::upload_refusal::status(&error), feedback);
            return detail::refused(&tera, &pool, &session, &user, id, answer).await;
        }
    };
    let actor = user.clone();
    let files_store = store.clone();
    let fields = form.fields.clone();
    let outcome = db::run_app(&pool, move |conn| {
        let files = evidence::new_evidence(&form.files);
        let outcome = if step == Step::ChangeEvidence {
            evidence::add(conn, &actor, id, &files).map(added)
        } else {
            evidence::report(conn, &actor, id, &files, |start_date| {
                parse_report(&form.fields, start_date)
            })
            .map(|outcome| reported(outcome, &form.fields))
        };
        if !matches!(outcome, Ok(None)) {
            // Nothing was recorded: remove the bytes this request brought, unless another
            // record uses the same content by now.
            files_store.discard(&evidence::unreferenced(conn, form.files));
        }
        outcome
    })
    .await;
    let answer = match outcome {
        Ok(None) => {
            let message = if step == Step::Report {
                format!(
                    "Đã gửi báo cáo hoàn thành để {} nghiệm thu.",
                    user.reviewer_name
                )
            } else {
                "Đã thêm minh chứng.".to_owned()
            };
            flash(&session, &message);
            return Ok(see_other(&format!("/initiatives/{id}")));
        }
        Ok(Some(answer)) => answer,
        // A report keeps what was typed; added files are sent again.
        Err(AppError::Busy) if step == Step::Report => {
            let mut feedback = typed_report(&fields);
            feedback.errors = crate::web::forms::FieldErrors::busy();
            (feedback.errors.status(), feedback)
        }
        Err(error) => return Err(error),
    };
    detail::refused(&tera, &pool, &session, &user, id, answer).await
}

/// What the detail page says after files were (not) added; `None` when done.
fn added(changed: Changed) -> Option<(StatusCode, Feedback)> {
    match changed {
        Changed::Done => None,
        Changed::Refused(refusal) => Some(Feedback::refused(refusal)),
        Changed::NoFiles => {
            let mut feedback = Feedback::default();
            feedback
                .errors
                .add("files", "Hãy chọn ít nhất một tệp minh chứng.");
            Some((StatusCode::UNPROCESSABLE_ENTITY, feedback))
        }
        Changed::StateChanged => Some(Feedback::state_changed()),
    }
}

const NO_EVIDENCE: &str =
    "Báo cáo hoàn thành cần ít nhất một tệp minh chứng (ảnh, biên bản, tài liệu).";

/// What the detail page says after a completion report, with the form as typed;
/// `None` when done.
fn reported(
    reported: Reported<Feedback>,
    fields: &std::collections::HashMap<String, String>,
) -> Option<(StatusCode, Feedback)> {
    match reported {
        Reported::Done => None,
        Reported::Refused(refusal) => Some(Feedback::refused(refusal)),
        Reported::Invalid {
            problems: mut feedback,
            no_evidence,
        } => {
            if no_evidence {
                feedback.errors.add("files", NO_EVIDENCE);
            }
            Some((StatusCode::UNPROCESSABLE_ENTITY, feedback))
        }
        Reported::NoEvidence => {
            let mut feedback = typed_report(fields);
            feedback.errors.add("files", NO_EVIDENCE);
            Some((StatusCode::UNPROCESSABLE_ENTITY, feedback))
        }
        Reported::StateChanged => {
            let (status, mut feedback) = Feedback::state_changed();
            feedback.report = typed_report(fields).report;
            Some((status, feedback))
        }
    }
}

#[derive(serde::Deserialize)]
pub struct RemoveForm {
    #[serde(default)]
    csrf_token: String,
}

/// POST /initiatives/{id}/evidence/{file_id}/remove: the file leaves the list (and the
/// history says so); its bytes stay until the initiative is purged.
pub async fn remove(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
    path: web::Path<(i32, i32)>,
    form: web::Form<RemoveForm>,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&session, &form.csrf_token)?;
    let (id, file_id) = path.into_inner();
    let actor = user.clone();
    let removed = db::run_app(&pool, move |conn| {
        evidence::remove(conn, &actor, id, file_id)
    })
    .await?;
    let answer = match removed {
        Changed::Done => {
            flash(&session, "Đã gỡ tệp minh chứng.");
            return Ok(see_other(&format!("/initiatives/{id}")));
        }
        Changed::Refused(refusal) => Feedback::refused(refusal),
        // The page as it stands now, after the reviewer's step.
        Changed::StateChanged | Changed::NoFiles => Feedback::state_changed(),
    };
    detail::refused(&tera, &pool, &session, &user, id, answer).await
}

/// GET /evidence/{file_id}: the file, to people whose scope includes its initiative.
pub async fn download(
    pool: web::Data<PgPool>,
    store: web::Data<EvidenceStore>,
    user: CurrentUser,
    file_id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    serve(pool, store, user, file_id.into_inner(), false).await
}

/// GET /evidence/{file_id}/thumbnail: a small JPEG of an image.
pub async fn thumbnail(
    pool: web::Data<PgPool>,
    store: web::Data<EvidenceStore>,
    user: CurrentUser,
    file_id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    serve(pool, store, user, file_id.into_inner(), true).await
}

async fn serve(
    pool: web::Data<PgPool>,
    store: web::Data<EvidenceStore>,
    user: CurrentUser,
    file_id: i32,
    thumbnail: bool,
) -> Result<HttpResponse, AppError> {
    let file = db::run_app(&pool, move |conn| {
        evidence::file_in_scope(conn, &user, file_id)
    })
    .await?;
    let kind = EvidenceType::from_mime(&file.content_type).ok_or(AppError::NotFound)?;
    let path = if thumbnail {
        store.thumbnail_path(&file.sha256)
    } else {
        store.file_path(&file.sha256)
    }
    .ok_or(AppError::NotFound)?;
    let bytes = web::block(move || std::fs::read(path))
        .await?
        .map_err(|_| AppError::NotFound)?;
    let mut response = HttpResponse::Ok();
    if thumbnail {
        response.content_type("image/jpeg");
    } else {
        response.content_type(kind.mime()).insert_header((
            header::CONTENT_DISPOSITION,
            crate::evidence::content_disposition(kind, &file.original_name),
        ));
    }
    Ok(response
        .insert_header((header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .insert_header((header::CACHE_CONTROL, "private, no-store"))
        .body(bytes))
}

/// POST /initiatives/{id}/purge (admins): deletes the initiative, its evidence records
/// and the bytes no other record uses.
pub async fn purge(
    pool: web::Data<PgPool>,
    store: web::Data<EvidenceStore>,
    session: Session,
    user: CurrentUser,
    id: web::Path<i32>,
    form: web::Form<RemoveForm>,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&session, &form.csrf_token)?;
    permissions::require_admin(&user)?;
    let id = id.into_inner();
    let orphans = db::run_app(&pool, move |conn| evidence::purge(conn, &user, id)).await?;
    let files = store.clone();
    web::block(move || {
        for hash in orphans {
            if let Err(error) = files.remove(&hash) {
                tracing::warn!(%hash, %error, "could not remove a purged evidence file");
            }
        }
    })
    .await?;
    flash(
        &session,
        "Đã xóa hẳn mô hình, công trình và các tệp minh chứng của nó.",
    );
    Ok(see_other("/initiatives"))
}
