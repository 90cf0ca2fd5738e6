//! Evidence and completion reports: upload (multipart), remove, download, and the
//! report step itself, which carries files; plus an admin's purge of an initiative.

use actix_multipart::Multipart;
use actix_session::Session;
use actix_web::http::{StatusCode, header};
use actix_web::{HttpResponse, web};
use tera::Tera;

use crate::auth::{CurrentUser, csrf, permissions};
use crate::db::{self, PgPool};
use crate::domain::format::parse_date;
use crate::domain::initiative;
use crate::domain::workflow::{self, Step};
use crate::domain::{Vnd, money::MoneyError};
use crate::error::AppError;
use crate::evidence::{
    EvidenceStore, EvidenceType, MultipartForm, StoredFile, UploadError, read_multipart,
};
use crate::store;
use crate::store::evidence::EvidenceChange;
use crate::store::evidence::NewEvidence;
use crate::store::initiatives::{CompletionReport, StepChange, StepOutcome};
use crate::web::forms::busy_as_form_error;
use crate::web::initiatives::detail::{self, Detail, Feedback};
use crate::web::initiatives::review::STATE_CHANGED;
use crate::web::{flash, see_other};

fn new_evidence(files: &[StoredFile]) -> Vec<NewEvidence> {
    files
        .iter()
        .map(|file| NewEvidence {
            sha256: file.sha256.clone(),
            original_name: file.original_name.clone(),
            content_type: file.kind.mime(),
            size_bytes: i64::try_from(file.size_bytes).unwrap_or(i64::MAX),
        })
        .collect()
}

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

/// Parses the report's own fields; errors go beside each field.
fn parse_report(
    fields: &std::collections::HashMap<String, String>,
    start_date: chrono::NaiveDate,
    feedback: &mut Feedback,
) -> Option<CompletionReport> {
    let field = |name: &str| fields.get(name).map(String::as_str).unwrap_or_default();
    for name in ["actual_value_vnd", "completion_date", "result_summary"] {
        feedback
            .report
            .insert(name.to_owned(), field(name).to_owned());
    }
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
    Some(CompletionReport {
        actual_value: actual_value?,
        completion_date: completion_date?,
        result_summary: summary,
    })
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

/// What an upload led to: done, or the page again with why not.
type Refused = Option<(StatusCode, Feedback, Detail)>;

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
    let received = receive(payload, &store, &session).await?;
    let actor = user.clone();
    let files_store = store.clone();
    let outcome = db::run(&pool, move |conn| {
        let stored = received
            .as_ref()
            .map(|form| form.files.clone())
            .unwrap_or_default();
        let outcome = record(conn, &actor, id, step, received);
        if !matches!(outcome, Ok(None)) {
            // Nothing was recorded: remove the bytes this request brought, unless another
            // record uses the same content by now.
            let orphans: Vec<StoredFile> = stored
                .into_iter()
                .filter(|file| !store::evidence::is_referenced(conn, &file.sha256).unwrap_or(true))
                .collect();
            files_store.discard(&orphans);
        }
        outcome
    })
    .await?;
    match outcome {
        None => {
            let message = if step == Step::Report {
                "Đã gửi báo cáo hoàn thành để Ban Thường vụ Khối nghiệm thu."
            } else {
                "Đã thêm minh chứng."
            };
            flash(&session, message);
            Ok(see_other(&format!("/initiatives/{id}")))
        }
        Some((status, feedback, detail)) => {
            detail::render(&tera, &session, &user, &detail, status, &feedback)
        }
    }
}

/// Checks the step and records the files (and, for a report, the step itself).
fn record(
    conn: &mut diesel::PgConnection,
    actor: &CurrentUser,
    id: i32,
    step: Step,
    received: Result<MultipartForm, UploadError>,
) -> Result<Refused, AppError> {
    let detail = detail::load(conn, actor, id)?;
    let mut feedback = Feedback::default();
    let form = match received {
        Ok(form) => form,
        Err(error) => {
            if matches!(error, UploadError::Io(_)) {
                // Answered on the page, not as an AppError: logged here, once.
                let chain = crate::error::cause_chain(&error);
                tracing::error!(error = %chain, "evidence upload failed");
            }
            feedback
                .errors
                .add("files", super::upload_refusal::message(&error));
            return Ok(Some((
                super::upload_refusal::status(&error),
                feedback,
                detail,
            )));
        }
    };
    let transition = match workflow::check(step, detail::request(actor, &detail.item)) {
        Ok(transition) => transition,
        Err(refusal) => {
            let (status, feedback) = Feedback::refused(refusal);
            return Ok(Some((status, feedback, detail)));
        }
    };
    let files = new_evidence(&form.files);
    if step == Step::ChangeEvidence {
        if files.is_empty() {
            feedback
                .errors
                .add("files", "Hãy chọn ít nhất một tệp minh chứng.");
            return Ok(Some((StatusCode::UNPROCESSABLE_ENTITY, feedback, detail)));
        }
        let checked = detail.item.initiative.review;
        return Ok(
            match store::evidence::add(conn, id, actor.id, checked, &files)? {
                EvidenceChange::Done => None,
                _ => {
                    feedback.refusal = Some(STATE_CHANGED.to_owned());
                    Some((StatusCode::CONFLICT, feedback, detail))
                }
            },
        );
    }
    let report = parse_report(
        &form.fields,
        detail.item.initiative.start_date,
        &mut feedback,
    );
    let Some(report) = report.filter(|_| feedback.errors.is_empty()) else {
        return Ok(Some((StatusCode::UNPROCESSABLE_ENTITY, feedback, detail)));
    };
    let change = StepChange {
        transition,
        reason: None,
        report: Some(&report),
        files: &files,
    };
    let taken = store::initiatives::take_step(conn, actor.id, actor.scope(), id, &change);
    let outcome = match busy_as_form_error(taken)? {
        Ok(outcome) => outcome,
        Err(errors) => {
            feedback.errors = errors;
            return Ok(Some((feedback.errors.status(), feedback, detail)));
        }
    };
    match outcome {
        StepOutcome::Done => Ok(None),
        StepOutcome::NoEvidence => {
            feedback.errors.add(
                "files",
                "Báo cáo hoàn thành cần ít nhất một tệp minh chứng (ảnh, biên bản, tài liệu).",
            );
            Ok(Some((StatusCode::UNPROCESSABLE_ENTITY, feedback, detail)))
        }
        StepOutcome::StateChanged => {
            feedback.refusal = Some(STATE_CHANGED.to_owned());
            Ok(Some((StatusCode::CONFLICT, feedback, detail)))
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
    let refused: Refused = db::run(&pool, move |conn| {
        let detail = detail::load(conn, &actor, id)?;
        if let Err(refusal) =
            workflow::check(Step::ChangeEvidence, detail::request(&actor, &detail.item))
        {
            let (status, feedback) = Feedback::refused(refusal);
            return Ok(Some((status, feedback, detail)));
        }
        let checked = detail.item.initiative.review;
        match store::evidence::remove(conn, actor.id, id, checked, file_id)? {
            EvidenceChange::Done => Ok(None),
            EvidenceChange::NoSuchFile => Err(AppError::NotFound),
            EvidenceChange::StateChanged => {
                let feedback = Feedback {
                    refusal: Some(STATE_CHANGED.to_owned()),
                    ..Feedback::default()
                };
                // The page as it stands now, after the reviewer's step.
                let detail = detail::load(conn, &actor, id)?;
                Ok(Some((StatusCode::CONFLICT, feedback, detail)))
            }
        }
    })
    .await?;
    match refused {
        None => {
            flash(&session, "Đã gỡ tệp minh chứng.");
            Ok(see_other(&format!("/initiatives/{id}")))
        }
        Some((status, feedback, detail)) => {
            detail::render(&tera, &session, &user, &detail, status, &feedback)
        }
    }
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
    let scope = user.scope();
    let file = db::run(&pool, move |conn| {
        store::evidence::find_in_scope(conn, scope, file_id)?.ok_or(AppError::NotFound)
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
    let actor_id = user.id;
    let orphans = db::run(&pool, move |conn| {
        store::initiatives::purge(conn, actor_id, id)?.ok_or(AppError::NotFound)
    })
    .await?;
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
