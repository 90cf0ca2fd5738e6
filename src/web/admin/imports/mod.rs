//! Spreadsheet imports: the upload form, the preview of a staged file, and its
//! confirmation. Admins import units, accounts and initiatives anywhere; reviewers
//! import initiatives within their subtree.

mod upload;

use actix_multipart::Multipart;
use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use tera::{Context, Tera};

use crate::app::imports::{Batch, Confirmed, Staged, StagedFile, Upload};
use crate::auth::hashing::Hashing;
use crate::auth::{CurrentUser, csrf, password, permissions};
use crate::db::{self, PgPool};
use crate::domain::Scope;
use crate::domain::{ImportKind, today_in_vietnam};
use crate::error::AppError;
use crate::error::ErrorMessage;
use crate::imports::columns::Column;
use crate::imports::sheet::{self, FileProblem};
use crate::imports::{
    self, Applied, Importer, MAX_FILE_BYTES, Preview, READING_ANOTHER, ReadFile, ReadingNow,
    Target, TemporaryPassword,
};

use crate::web::forms::{FieldErrors, NotANumber, choices, optional_id};
use crate::web::unit_picker::{PickerInput, UnitPicker};
use crate::web::{flash, page_context, render, render_status, see_other};

/// What the form had chosen, to show it again.
#[derive(Debug, Clone, Default, Serialize)]
struct Chosen {
    kind: String,
    unit: String,
    #[serde(skip)]
    picker: PickerInput,
}

/// The columns of one kind, for the form page.
#[derive(Serialize)]
struct ColumnDoc {
    kind: ImportKind,
    label: &'static str,
    columns: &'static [Column],
}

/// A staged file as the pages show it.
#[derive(Debug, Clone, Serialize)]
struct BatchShown {
    id: i32,
    file_name: String,
    kind: ImportKind,
    kind_label: &'static str,
    target_name: String,
    created_at: DateTime<Utc>,
    applied_at: Option<DateTime<Utc>>,
}

impl BatchShown {
    fn new(batch: &Batch, target: &Target) -> BatchShown {
        BatchShown {
            id: batch.id,
            file_name: batch.file_name.clone(),
            kind: batch.kind,
            kind_label: batch.kind.label_vi(),
            target_name: target.name(),
            created_at: batch.created_at,
            applied_at: batch.applied_at,
        }
    }
}

fn importer(user: &CurrentUser) -> Importer {
    Importer {
        id: user.id,
        role: user.role,
    }
}

fn render_form(
    tera: &Tera,
    mut context: Context,
    status: StatusCode,
    user: &CurrentUser,
    unit_picker: &UnitPicker,
    chosen: &Chosen,
    errors: &FieldErrors,
) -> Result<HttpResponse, AppError> {
    let kinds = permissions::import_kinds(user);
    let docs: Vec<ColumnDoc> = kinds
        .iter()
        .map(|kind| ColumnDoc {
            kind: *kind,
            label: kind.label_vi(),
            columns: imports::columns_of(*kind),
        })
        .collect();
    context.insert(
        "kinds",
        &choices(&kinds, ImportKind::as_str, ImportKind::label_vi),
    );
    context.insert("column_docs", &docs);
    context.insert("unit_picker", unit_picker);
    context.insert("chosen", chosen);
    context.insert("errors", errors);
    context.insert("whole_tree", &user.is_admin());
    context.insert(
        "max_size",
        &crate::domain::format::file_size(MAX_FILE_BYTES as i64),
    );
    render_status(tera, status, "admin/imports.html", &context)
}

/// The preview page: a staged batch (`batch`), or a file refused at upload (`None`).
fn render_preview(
    tera: &Tera,
    mut context: Context,
    status: StatusCode,
    batch: Option<&BatchShown>,
    preview: Option<&Preview>,
    file_name: &str,
) -> Result<HttpResponse, AppError> {
    let can_confirm = batch.is_some_and(|batch| batch.applied_at.is_none())
        && preview.is_some_and(|preview| !preview.has_errors());
    let kind = preview
        .map(|preview| preview.kind)
        .or(batch.map(|batch| batch.kind));
    context.insert("kind_label", &kind.map(ImportKind::label_vi));
    context.insert("batch", &batch);
    context.insert("preview", &preview);
    context.insert("file_name", file_name);
    context.insert("can_confirm", &can_confirm);
    render_status(tera, status, "admin/import_preview.html", &context)
}

/// The picker of the unit to import into.
async fn load_target_picker(
    pool: &PgPool,
    scope: Scope,
    chosen: &Chosen,
) -> Result<UnitPicker, AppError> {
    let chosen = chosen.clone();
    db::run_app(pool, move |conn| {
        UnitPicker::load(conn, scope, false, "unit", &chosen.unit, &chosen.picker)
    })
    .await
}

/// The form's errors with the target unit's own, and the picker to show them with, in
/// one trip: the unit must be one the person may import into.
async fn form_errors(
    pool: &PgPool,
    scope: Scope,
    unit_id: Option<i32>,
    chosen: &Chosen,
    mut errors: FieldErrors,
) -> Result<(FieldErrors, UnitPicker), AppError> {
    let chosen = chosen.clone();
    db::run_app(pool, move |conn| {
        if crate::app::imports::target(conn, scope, unit_id)?.is_none() {
            if unit_id.is_some() {
                errors.add("unit", "Đơn vị này không thuộc phạm vi quản lý của bạn.");
            } else {
                errors.add("unit", "Hãy chọn đơn vị nhập vào.");
            }
        }
        let picker = UnitPicker::load(conn, scope, false, "unit", &chosen.unit, &chosen.picker)?;
        Ok((errors, picker))
    })
    .await
}

/// GET /admin/imports: the upload form, with the columns of each kind.
pub async fn form(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
) -> Result<HttpResponse, AppError> {
    permissions::require_importer(&user)?;
    let chosen = Chosen {
        kind: ImportKind::Initiatives.as_str().to_owned(),
        unit: user.unit_id.map(|id| id.to_string()).unwrap_or_default(),
        picker: PickerInput::default(),
    };
    let unit_picker = load_target_picker(&pool, user.scope(), &chosen).await?;
    let context = page_context(&session, Some(&user));
    render_form(
        &tera,
        context,
        StatusCode::OK,
        &user,
        &unit_picker,
        &chosen,
        &FieldErrors::default(),
    )
}

/// The page for a request that would read a file while another file of the same
/// person is being read: nothing was done, the person tries again.
fn reading_another() -> HttpResponse {
    let mut response = HttpResponse::TooManyRequests()
        .insert_header((actix_web::http::header::RETRY_AFTER, "5"))
        .finish();
    response
        .extensions_mut()
        .insert(ErrorMessage(READING_ANOTHER.to_owned()));
    response
}

/// An uploaded file read on the blocking pool, before a connection is taken for it:
/// checked against the caps of [`sheet::check_limits`] and, when it passes and its kind
/// is known, read into rows, with its SHA-256.
struct Checked {
    bytes: Vec<u8>,
    read: Result<Option<(ReadFile, String)>, FileProblem>,
}

async fn check_and_read(bytes: Vec<u8>, kind: Option<ImportKind>) -> Result<Checked, AppError> {
    web::block(move || {
        let read = sheet::check_limits(&bytes).map(|()| {
            kind.map(|kind| {
                let file = imports::read(kind, &bytes, today_in_vietnam());
                (file, format!("{:x}", Sha256::digest(&bytes)))
            })
        });
        Checked { bytes, read }
    })
    .await
    .map_err(AppError::from)
}

/// A staged file's content read into rows on the blocking pool.
async fn read_batch(batch: Batch) -> Result<ReadFile, AppError> {
    web::block(move || imports::read(batch.kind, &batch.bytes, today_in_vietnam()))
        .await
        .map_err(AppError::from)
}

/// A staged file read into rows on the blocking pool, before a connection is taken.
async fn read_staged(staged: StagedFile) -> Result<(StagedFile, ReadFile), AppError> {
    web::block(move || {
        let file = imports::read(staged.batch.kind, &staged.batch.bytes, today_in_vietnam());
        (staged, file)
    })
    .await
    .map_err(AppError::from)
}

/// The upload form shown again with `errors`, its picker loaded for what was chosen.
async fn form_again(
    tera: &Tera,
    pool: &PgPool,
    session: &Session,
    user: &CurrentUser,
    chosen: &Chosen,
    status: StatusCode,
    errors: &FieldErrors,
) -> Result<HttpResponse, AppError> {
    let unit_picker = load_target_picker(pool, user.scope(), chosen).await?;
    let context = page_context(session, Some(user));
    render_form(tera, context, status, user, &unit_picker, chosen, errors)
}

/// POST /admin/imports (multipart): checks the file; a clean one is staged and the
/// preview follows, one with errors is shown at once and nothing is kept. A file over
/// the workbook caps, or sent while another of the person's files is being read, gets
/// its message beside the file input.
pub async fn upload(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    reading: web::Data<ReadingNow>,
    session: Session,
    user: CurrentUser,
    payload: Multipart,
) -> Result<HttpResponse, AppError> {
    permissions::require_importer(&user)?;
    let received = upload::read(payload, MAX_FILE_BYTES, |token| {
        csrf::verify(&session, token).is_ok()
    })
    .await;
    let scope = user.scope();
    let (mut received, refusal) = match received {
        Err((upload::Refusal::Csrf, _)) => return Err(AppError::Csrf),
        Err((refusal, received)) => (received, Some(refusal)),
        Ok(received) => (received, None),
    };
    let chosen = Chosen {
        kind: received.field("kind").trim().to_owned(),
        unit: received.field("unit").trim().to_owned(),
        picker: PickerInput {
            unit_q: received.field("unit_q").to_owned(),
            unit_parent: received.field("unit_parent").to_owned(),
            unit_search: received.field("unit_search").to_owned(),
        },
    };
    let mut errors = FieldErrors::default();
    let browsing = chosen.picker.is_browsing();
    // A search in the unit picker shows the form again, with or without a file; nothing
    // is staged.
    let refusal =
        refusal.filter(|refusal| !(browsing && matches!(refusal, upload::Refusal::NoFile)));
    if refusal.is_some() || browsing {
        let status = match refusal {
            Some(refusal) => {
                errors.add(upload::FILE_FIELD, refusal.message_vi());
                refusal.status()
            }
            None => StatusCode::OK,
        };
        return form_again(&tera, &pool, &session, &user, &chosen, status, &errors).await;
    }
    let kind = ImportKind::parse(&chosen.kind);
    match kind {
        None => errors.add("kind", "Hãy chọn loại dữ liệu cần nhập."),
        Some(kind) if !permissions::may_import(&user, kind) => return Err(AppError::Forbidden),
        Some(_) => {}
    }
    let unit_id = match optional_id(&chosen.unit) {
        Ok(unit_id) => unit_id,
        Err(NotANumber) => {
            errors.add("unit", "Đơn vị không hợp lệ.");
            None
        }
    };
    let reading = reading.begin(user.id);
    let readable = kind.filter(|_| errors.is_empty());
    let (status, read) = match &reading {
        None => (StatusCode::TOO_MANY_REQUESTS, Err(READING_ANOTHER)),
        Some(_) => {
            let checked = check_and_read(std::mem::take(&mut received.bytes), readable).await?;
            received.bytes = checked.bytes;
            let read = checked.read.map_err(FileProblem::message_vi);
            (StatusCode::UNPROCESSABLE_ENTITY, read)
        }
    };
    let read = match read {
        Ok(read) => read,
        Err(problem) => {
            errors.add(upload::FILE_FIELD, problem);
            return form_again(&tera, &pool, &session, &user, &chosen, status, &errors).await;
        }
    };
    let staged = match read {
        Some((file, sha256)) => {
            let importer = importer(&user);
            let file_name = crate::evidence::display_name(&received.file_name);
            let bytes = received.bytes;
            db::run_app(&pool, move |conn| {
                let upload = Upload {
                    file_name: &file_name,
                    bytes: &bytes,
                    sha256: &sha256,
                };
                crate::app::imports::stage(conn, importer, scope, unit_id, file, &upload)
            })
            .await?
        }
        // No kind, or a form error: nothing read; the form comes back with the target
        // unit's own error too, as when the unit is not one the person may import into.
        None => Staged::NoTarget,
    };
    let mut context = page_context(&session, Some(&user));
    match staged {
        Staged::Staged(id) => Ok(see_other(&format!("/admin/imports/{id}"))),
        Staged::Refused {
            preview,
            target_name,
        } => {
            context.insert("target_name", &target_name);
            render_preview(
                &tera,
                context,
                StatusCode::UNPROCESSABLE_ENTITY,
                None,
                Some(&preview),
                &crate::evidence::display_name(&received.file_name),
            )
        }
        Staged::NoTarget => {
            let (errors, unit_picker) = form_errors(&pool, scope, unit_id, &chosen, errors).await?;
            render_form(
                &tera,
                context,
                StatusCode::UNPROCESSABLE_ENTITY,
                &user,
                &unit_picker,
                &chosen,
                &errors,
            )
        }
    }
}

/// GET /admin/imports/{id}: what confirming the staged file would do, planned against
/// the data as it is now; only its uploader sees it.
pub async fn preview(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    reading: web::Data<ReadingNow>,
    session: Session,
    user: CurrentUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    permissions::require_importer(&user)?;
    let Some(_reading) = reading.begin(user.id) else {
        return Ok(reading_another());
    };
    let id = id.into_inner();
    let importer = importer(&user);
    let scope = user.scope();
    let staged = db::run_app(&pool, move |conn| {
        crate::app::imports::staged(conn, importer, scope, id)
    })
    .await?;
    let shown = BatchShown::new(&staged.batch, &staged.target);
    let (preview, earlier) = if staged.batch.applied_at.is_some() {
        (None, None)
    } else {
        let (staged, file) = read_staged(staged).await?;
        let previewed = db::run_app(&pool, move |conn| {
            crate::app::imports::preview(conn, importer, &staged, file)
        })
        .await?;
        (Some(previewed.preview), previewed.applied_before)
    };
    let mut context = page_context(&session, Some(&user));
    context.insert("target_name", &shown.target_name);
    context.insert("applied_before", &earlier);
    let status = if preview.as_ref().is_some_and(Preview::has_errors) {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    render_preview(
        &tera,
        context,
        status,
        Some(&shown),
        preview.as_ref(),
        &shown.file_name,
    )
}

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct ConfirmForm {
    csrf_token: String,
}

/// POST /admin/imports/{id}/confirm: applies the staged file in one transaction, or
/// nothing of it when a row no longer goes in; new accounts' passwords are shown here once.
#[allow(clippy::too_many_arguments)]
pub async fn confirm(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    reading: web::Data<ReadingNow>,
    hashing: web::Data<Hashing>,
    session: Session,
    user: CurrentUser,
    id: web::Path<i32>,
    form: web::Form<ConfirmForm>,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&session, &form.csrf_token)?;
    permissions::require_importer(&user)?;
    let Some(_reading) = reading.begin(user.id) else {
        return Ok(reading_another());
    };
    let id = id.into_inner();
    let importer = importer(&user);
    let scope = user.scope();
    let batch = db::run_app(&pool, move |conn| {
        crate::app::imports::own_batch(conn, importer, id)
    })
    .await?;
    let scope_unit_id = batch.scope_unit_id;
    // A file applied already is not read again: the confirmation only says so.
    let file = match batch.applied_at {
        Some(_) => None,
        None => Some(read_batch(batch).await?),
    };
    let (needed, file) = match file {
        Some(file) if file.may_create_accounts() => {
            db::run_app(&pool, move |conn| {
                let needed = crate::app::imports::accounts_to_create(
                    conn,
                    importer,
                    scope,
                    scope_unit_id,
                    &file,
                )?;
                Ok((needed, Some(file)))
            })
            .await?
        }
        file => (0, file),
    };
    let passwords = temporary_passwords(&hashing, needed).await?;
    let (confirmed, staged) = db::run_app(&pool, move |conn| {
        crate::app::imports::confirm(conn, importer, scope, id, file.as_ref(), &passwords)
    })
    .await?;
    let shown = BatchShown::new(&staged.batch, &staged.target);
    let mut context = page_context(&session, Some(&user));
    context.insert("target_name", &shown.target_name);
    match confirmed {
        Confirmed::Applied(applied) => render_result(&tera, context, &shown, &applied),
        Confirmed::Refused(preview) => {
            context.insert("changed_since_preview", &true);
            render_preview(
                &tera,
                context,
                StatusCode::CONFLICT,
                Some(&shown),
                Some(&preview),
                &shown.file_name,
            )
        }
        Confirmed::AlreadyApplied => {
            flash(
                &session,
                "Tệp này đã được nhập rồi; không nhập lại lần nữa.",
            );
            Ok(see_other(&format!("/admin/imports/{id}")))
        }
    }
}

/// `count` temporary passwords and their hashes, a few at a time on the bounded
/// hashing path (so that sign-ins keep their turns meanwhile).
async fn temporary_passwords(
    hashing: &Hashing,
    count: usize,
) -> Result<Vec<TemporaryPassword>, AppError> {
    let at_once = hashing.limits().concurrency.max(1);
    let mut passwords = Vec::with_capacity(count);
    let mut remaining = count;
    while remaining > 0 {
        let batch = remaining.min(at_once);
        let hashed = futures_util::future::join_all((0..batch).map(|_| async {
            let clear = password::temporary();
            let hash = hashing.hash(clear.clone()).await?;
            Ok::<_, AppError>(TemporaryPassword { clear, hash })
        }))
        .await;
        for password in hashed {
            passwords.push(password?);
        }
        remaining -= batch;
    }
    Ok(passwords)
}

fn render_result(
    tera: &Tera,
    mut context: Context,
    batch: &BatchShown,
    applied: &Applied,
) -> Result<HttpResponse, AppError> {
    context.insert("batch", batch);
    context.insert("applied", applied);
    render(tera, "admin/import_result.html", &context)
}

/// GET /admin/imports/template/{kind}: a blank file of that kind, its header row the
/// importer's own columns and one example row (see `imports::template`).
pub async fn template(
    user: CurrentUser,
    kind: web::Path<String>,
) -> Result<HttpResponse, AppError> {
    permissions::require_importer(&user)?;
    let kind = ImportKind::parse(&kind).ok_or(AppError::NotFound)?;
    if !permissions::import_kinds(&user).contains(&kind) {
        return Err(AppError::Forbidden);
    }
    let bytes = web::block(move || crate::imports::template::xlsx(kind))
        .await?
        .map_err(|error| AppError::Internal(Box::new(error)))?;
    let file_name = crate::imports::template::file_name(kind);
    Ok(HttpResponse::Ok()
        .content_type("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        .insert_header((
            actix_web::http::header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{file_name}\""),
        ))
        .body(bytes))
}
