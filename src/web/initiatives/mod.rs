//! Initiatives: the list with filters, registering, the detail page with its
//! history, and editing with status changes.

pub mod carry_over;
pub mod detail;
pub mod evidence;
pub mod form;
pub mod history;
pub mod review;
pub mod upload_refusal;

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use tera::{Context, Tera};

use crate::auth::{CurrentUser, csrf, permissions};
use crate::db::{self, PgPool};
use crate::domain::Scope;
use crate::domain::search::{EXACT_ONLY, SearchText};
use crate::domain::workflow::{self, Step};
use crate::domain::{Field, InitiativeKind, Role, Status, Year, today_in_vietnam};
use crate::error::AppError;
use crate::store;
use crate::store::initiative_list::{self, InitiativeFilter, ListOrder, ListPage};
use crate::store::initiatives::{InitiativeListed, SaveOutcome};
use crate::web::forms::{FieldErrors, busy_as_form_error, insert_initiative_choices};
use crate::web::selection::{parse_unit, parse_year, year_choices};
use crate::web::unit_picker::{PickerInput, UnitPicker};
use crate::web::{flash, page_context, paging, render, render_status, see_other};
use form::InitiativeForm;

const PER_PAGE: i64 = 25;

#[derive(Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct ListQuery {
    year: Option<String>,
    unit: Option<String>,
    status: Option<String>,
    field: Option<String>,
    kind: Option<String>,
    q: Option<String>,
    /// Cursors of the page links (see `web::paging`); old `page=N` links are ignored.
    after: Option<String>,
    before: Option<String>,
    #[serde(flatten)]
    unit_picker: PickerInput,
}

impl ListQuery {
    /// The filter as the form shows it again: every key present, empty when not given.
    fn as_shown(&self) -> std::collections::BTreeMap<&'static str, String> {
        [
            ("year", &self.year),
            ("unit", &self.unit),
            ("status", &self.status),
            ("field", &self.field),
            ("kind", &self.kind),
            ("q", &self.q),
        ]
        .into_iter()
        .map(|(name, value)| (name, value.clone().unwrap_or_default()))
        .collect()
    }
}

/// Parses an optional code from a filter; empty means "any", unknown is a bad request.
fn optional_code<T>(
    input: Option<&str>,
    parse: fn(&str) -> Option<T>,
) -> Result<Option<T>, AppError> {
    match input.map(str::trim).filter(|value| !value.is_empty()) {
        None => Ok(None),
        Some(code) => parse(code).map(Some).ok_or(AppError::BadRequest("filter")),
    }
}

/// The links around one page of the list: cursors of the pages before and after it,
/// and whether it is the first page.
#[derive(Serialize)]
struct PageLinks {
    previous: Option<String>,
    next: Option<String>,
    first: bool,
}

impl PageLinks {
    fn around(page: &ListPage<InitiativeListed>) -> PageLinks {
        let cursor = |row: &InitiativeListed| paging::id_cursor(row.initiative.id);
        PageLinks {
            previous: page.rows.first().map(cursor).filter(|_| page.has_previous),
            next: page.rows.last().map(cursor).filter(|_| page.has_next),
            first: !page.has_previous,
        }
    }
}

/// GET /initiatives
pub async fn list(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let year = parse_year(query.year.as_deref())?;
    let filter = InitiativeFilter {
        year: year.map(Year::get),
        unit_id: parse_unit(query.unit.as_deref())?,
        status: optional_code(query.status.as_deref(), Status::parse)?,
        field: optional_code(query.field.as_deref(), Field::parse)?,
        kind: optional_code(query.kind.as_deref(), InitiativeKind::parse)?,
        text: query.q.as_deref().and_then(SearchText::parse),
    };
    let start = paging::page_start(query.after.as_deref(), query.before.as_deref())?;
    let exact_search = filter.text.as_ref().is_some_and(SearchText::is_exact);
    let cap = match filter.text {
        Some(_) => paging::SEARCH_COUNT_CAP,
        None => paging::COUNT_CAP,
    };
    let scope = user.scope();
    let unit_value = query.unit.clone().unwrap_or_default();
    let picker_input = query.unit_picker.clone();
    let (page, total, unit_picker, years) = db::run(&pool, move |conn| {
        if let Some(unit_id) = filter.unit_id {
            store::units::find_in_scope(conn, scope, unit_id)?.ok_or(AppError::NotFound)?;
        }
        let page = initiative_list::page(conn, scope, &filter, ListOrder::Newest, start, PER_PAGE)?;
        let total = if !page.has_previous && !page.has_next {
            page.rows.len() as i64
        } else {
            initiative_list::count_up_to(conn, scope, &filter, cap)?
        };
        let unit_picker = UnitPicker::load(conn, scope, false, "unit", &unit_value, &picker_input)?;
        let years = year_choices(store::stats::years(conn, scope)?, year);
        Ok((page, total, unit_picker, years))
    })
    .await?;
    let mut context = page_context(&session, Some(&user));
    insert_initiative_choices(&mut context);
    context.insert("links", &PageLinks::around(&page));
    context.insert("rows", &page.rows);
    context.insert("total", &total);
    context.insert("total_capped", &(total >= cap));
    context.insert("count_shown", &(cap - 1));
    context.insert("exact_search", &exact_search.then_some(EXACT_ONLY));
    context.insert("unit_picker", &unit_picker);
    context.insert("years", &years);
    context.insert("query", &query.as_shown());
    context.insert("page_links", &page_links(&query));
    render(&tera, "initiatives/list.html", &context)
}

/// The list's filters as a query string, for the page links to carry.
fn page_links(query: &ListQuery) -> String {
    let pairs = [
        ("year", &query.year),
        ("unit", &query.unit),
        ("status", &query.status),
        ("field", &query.field),
        ("kind", &query.kind),
        ("q", &query.q),
    ];
    pairs
        .iter()
        .filter_map(|(name, value)| {
            let value = value.as_deref().filter(|value| !value.trim().is_empty())?;
            Some(format!("{name}={}", percent_encode(value)))
        })
        .collect::<Vec<_>>()
        .join("&")
}

/// Encodes a query-string value (UTF-8 bytes outside the unreserved set as %XX).
fn percent_encode(value: &str) -> String {
    let mut encoded = String::with_capacity(value.len());
    for byte in value.bytes() {
        if byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~') {
            encoded.push(byte as char);
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    encoded
}

/// Everything the register/edit form page shows.
struct FormPage<'a> {
    form: &'a InitiativeForm,
    errors: &'a FieldErrors,
    unit_picker: &'a UnitPicker,
    editing: Option<&'a InitiativeListed>,
    conflict: Option<&'a InitiativeListed>,
}

fn render_form(
    tera: &Tera,
    mut context: Context,
    status: StatusCode,
    page: FormPage<'_>,
) -> Result<HttpResponse, AppError> {
    insert_initiative_choices(&mut context);
    context.insert("form", page.form);
    context.insert("errors", page.errors);
    context.insert("unit_picker", page.unit_picker);
    context.insert("editing", &page.editing);
    context.insert("conflict", &page.conflict);
    render_status(tera, status, "initiatives/form.html", &context)
}

/// The last `count` versioned changes of an initiative (evidence files carry no
/// version), as history lines.
fn changes_since(
    conn: &mut diesel::PgConnection,
    id: i32,
    count: i32,
) -> Result<Vec<history::HistoryItem>, AppError> {
    let entries = store::audit::history(conn, "initiative", id)?;
    let names: std::collections::HashMap<i32, String> =
        store::units::names(conn, &history::unit_ids(&entries))?
            .into_iter()
            .collect();
    let mut versioned: Vec<_> = history::describe(entries, &names)
        .into_iter()
        .filter(|item| {
            item.action != "Thêm minh chứng"
                && item.action != "Gỡ minh chứng"
                && item.action != "Đăng ký"
                && item.action != history::CARRIED_FROM
                && item.action != history::CARRIED_OVER
        })
        .collect();
    let keep = usize::try_from(count).unwrap_or(0).min(versioned.len());
    Ok(versioned.split_off(versioned.len() - keep))
}

/// The chosen unit when the person may register for it (active, in the scope): the
/// list of allowed units `InitiativeForm::parse` checks the choice against.
fn allowed_unit(
    conn: &mut diesel::PgConnection,
    scope: Scope,
    unit_id: &str,
) -> Result<Vec<i32>, AppError> {
    let Ok(unit_id) = unit_id.trim().parse::<i32>() else {
        return Ok(Vec::new());
    };
    Ok(store::units::find_in_scope(conn, scope, unit_id)?
        .filter(|unit| unit.active)
        .map(|unit| unit.id)
        .into_iter()
        .collect())
}

/// The registration form's unit picker for what the form holds.
fn form_picker(
    conn: &mut diesel::PgConnection,
    scope: Scope,
    form: &InitiativeForm,
) -> Result<UnitPicker, AppError> {
    UnitPicker::load(conn, scope, true, "unit_id", &form.unit_id, &form.picker)
        .map_err(AppError::from)
}

/// GET /initiatives/new
pub async fn new_form(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
) -> Result<HttpResponse, AppError> {
    permissions::require_initiative_editor(&user)?;
    let scope = user.scope();
    let default_unit = match scope {
        Scope::Subtree(unit_id) => Some(unit_id),
        Scope::Everything => None,
    };
    let form = InitiativeForm::blank(Year::current(), default_unit);
    let blank = form.clone();
    let unit_picker = db::run(&pool, move |conn| form_picker(conn, scope, &blank)).await?;
    let context = page_context(&session, Some(&user));
    let page = FormPage {
        form: &form,
        errors: &FieldErrors::default(),
        unit_picker: &unit_picker,
        editing: None,
        conflict: None,
    };
    render_form(&tera, context, StatusCode::OK, page)
}

/// POST /initiatives
pub async fn create(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
    form: web::Form<InitiativeForm>,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&session, &form.csrf_token)?;
    permissions::require_initiative_editor(&user)?;
    let scope = user.scope();
    let actor_id = user.id;
    let role = user.role;
    let form = form.into_inner();
    let submitted = form.clone();
    let outcome = db::run(&pool, move |conn| {
        if submitted.picker.is_browsing() {
            // A search in the unit picker: the form again, as typed, nothing saved.
            let unit_picker = form_picker(conn, scope, &submitted)?;
            return Ok(Err((StatusCode::OK, FieldErrors::default(), unit_picker)));
        }
        let saved = match submitted.parse(&allowed_unit(conn, scope, &submitted.unit_id)?) {
            Ok(draft) => match registration_closed(conn, role, &draft)? {
                Some(errors) => Err(errors),
                None => busy_as_form_error(store::initiatives::insert(conn, actor_id, &draft))?,
            },
            Err(errors) => Err(errors),
        };
        match saved {
            Ok(id) => Ok(Ok(id)),
            Err(errors) => {
                let unit_picker = form_picker(conn, scope, &submitted)?;
                Ok(Err((errors.status(), errors, unit_picker)))
            }
        }
    })
    .await?;
    match outcome {
        Ok(id) => {
            flash(&session, "Đã đăng ký mô hình, công trình.");
            Ok(see_other(&format!("/initiatives/{id}")))
        }
        Err((status, errors, unit_picker)) => {
            let context = page_context(&session, Some(&user));
            let page = FormPage {
                form: &form,
                errors: &errors,
                unit_picker: &unit_picker,
                editing: None,
                conflict: None,
            };
            render_form(&tera, context, status, page)
        }
    }
}

/// After the registration deadline that applies to the unit, a secretary may register
/// only where a reviewer reopened registration. Returns the form error, if any.
fn registration_closed(
    conn: &mut diesel::PgConnection,
    role: Role,
    draft: &crate::domain::initiative::InitiativeDraft,
) -> Result<Option<FieldErrors>, AppError> {
    let message = registration_closed_message(conn, role, draft.unit_id, draft.year.get())?;
    Ok(message.map(|message| {
        let mut errors = FieldErrors::default();
        errors.add("year", message);
        errors
    }))
}

/// The registration deadline rule for one unit and year: why a person with this role
/// cannot register there now, or `None` when they can. Registering, moving an
/// initiative and carrying one over into the next year all follow it.
pub(crate) fn registration_closed_message(
    conn: &mut diesel::PgConnection,
    role: Role,
    unit_id: i32,
    year: i32,
) -> Result<Option<String>, AppError> {
    if role != Role::Secretary {
        return Ok(None);
    }
    let deadline = store::deadlines::for_unit(conn, unit_id, year)?
        .and_then(|deadline| deadline.registration_deadline);
    let Some(deadline) = deadline.filter(|deadline| today_in_vietnam() > *deadline) else {
        return Ok(None);
    };
    if store::deadlines::is_reopened(conn, unit_id, year)? {
        return Ok(None);
    }
    Ok(Some(format!(
        "Đã hết hạn đăng ký năm {year} (ngày {}). Hãy đề nghị Ban Thường vụ Khối mở lại đăng ký cho đơn vị.",
        crate::domain::format::date_vi(deadline)
    )))
}

/// An initiative carried into the next year, and the one it came from, stay in their
/// years and unit: moving either would count the same work twice in one year.
fn carried_pair_stays() -> FieldErrors {
    let mut errors = FieldErrors::default();
    errors.add("year", crate::domain::carry_over::PAIR_STAYS);
    errors
}

/// GET /initiatives/{id}
pub async fn show(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let reader = user.clone();
    let detail = db::run(&pool, move |conn| detail::load(conn, &reader, id)).await?;
    detail::render(
        &tera,
        &session,
        &user,
        &detail,
        StatusCode::OK,
        &detail::Feedback::default(),
    )
}

/// GET /initiatives/{id}/edit
pub async fn edit_form(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    let id = id.into_inner();
    let scope = user.scope();
    let (initiative, form, unit_picker) = db::run(&pool, move |conn| {
        let initiative =
            store::initiatives::find_in_scope(conn, scope, id)?.ok_or(AppError::NotFound)?;
        let form = InitiativeForm::from_initiative(&initiative.initiative);
        let unit_picker = form_picker(conn, scope, &form)?;
        Ok((initiative, form, unit_picker))
    })
    .await?;
    permissions::require_initiative_editor(&user)?;
    if let Err(refusal) = workflow::check(Step::Edit, detail::request(&user, &initiative)) {
        let reader = user.clone();
        let detail = db::run(&pool, move |conn| detail::load(conn, &reader, id)).await?;
        let (status, feedback) = detail::Feedback::refused(refusal);
        return detail::render(&tera, &session, &user, &detail, status, &feedback);
    }
    let context = page_context(&session, Some(&user));
    let page = FormPage {
        form: &form,
        errors: &FieldErrors::default(),
        unit_picker: &unit_picker,
        editing: Some(&initiative),
        conflict: None,
    };
    render_form(&tera, context, StatusCode::OK, page)
}

/// POST /initiatives/{id}: saves only over the version the form was loaded from.
pub async fn update(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
    id: web::Path<i32>,
    form: web::Form<InitiativeForm>,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&session, &form.csrf_token)?;
    let id = id.into_inner();
    let scope = user.scope();
    let actor_id = user.id;
    let can_edit = permissions::can_edit_initiatives(&user);
    let role = user.role;
    let form = form.into_inner();
    let submitted = form.clone();
    let editor = user.clone();
    let answer = db::run(&pool, move |conn| {
        let current =
            store::initiatives::find_in_scope(conn, scope, id)?.ok_or(AppError::NotFound)?;
        if !can_edit {
            return Err(AppError::Forbidden);
        }
        if let Err(refusal) = workflow::check(Step::Edit, detail::request(&editor, &current)) {
            return Ok(Err((refusal, detail::load(conn, &editor, id)?)));
        }
        if submitted.picker.is_browsing() {
            // A search in the unit picker: the form again, as typed, nothing saved.
            return Ok(Ok((current, Err(FieldErrors::default()), Vec::new())));
        }
        let mut allowed = allowed_unit(conn, scope, &submitted.unit_id)?;
        // An initiative may stay with a unit that has since been deactivated.
        allowed.push(current.initiative.unit_id);
        let outcome = match (submitted.parse(&allowed), submitted.expected_version()) {
            (Ok(draft), Some(version)) => {
                // Moving an initiative into another year or unit registers it there: the
                // registration deadline of that year and unit applies as it does on create.
                let moved = draft.year.get() != current.initiative.year
                    || draft.unit_id != current.initiative.unit_id;
                let linked = current.initiative.carried_from_id.is_some()
                    || current.carried_over_to.is_some();
                let closed = if moved && linked {
                    Some(carried_pair_stays())
                } else if moved {
                    registration_closed(conn, role, &draft)?
                } else {
                    None
                };
                match closed {
                    Some(errors) => Err(errors),
                    None => busy_as_form_error(store::initiatives::update(
                        conn, actor_id, scope, id, version, &draft,
                    ))?,
                }
            }
            (Ok(_), None) => {
                let mut errors = FieldErrors::default();
                errors.add(
                    "version",
                    "Biểu mẫu thiếu phiên bản dữ liệu. Hãy mở lại trang sửa.",
                );
                Err(errors)
            }
            (Err(errors), _) => Err(errors),
        };
        // On a conflict, show what others changed since the form was loaded.
        let since = match (&outcome, submitted.expected_version()) {
            (Ok(SaveOutcome::Conflict(latest)), Some(loaded)) => {
                changes_since(conn, id, latest.initiative.version - loaded)?
            }
            _ => Vec::new(),
        };
        Ok(Ok((current, outcome, since)))
    })
    .await?;
    let (current, outcome, since) = match answer {
        Ok(edited) => edited,
        Err((refusal, detail)) => {
            let (status, feedback) = detail::Feedback::refused(refusal);
            return detail::render(&tera, &session, &user, &detail, status, &feedback);
        }
    };
    // The unit picker is read only for a form shown again, not for a save that redirects.
    let shown = form.clone();
    let picker = || db::run(&pool, move |conn| form_picker(conn, scope, &shown));
    let context = page_context(&session, Some(&user));
    match outcome {
        Ok(SaveOutcome::Saved) => {
            flash(&session, "Đã lưu thay đổi.");
            Ok(see_other(&format!("/initiatives/{id}")))
        }
        Ok(SaveOutcome::NotFound) => Err(AppError::NotFound),
        Ok(SaveOutcome::Conflict(latest)) => {
            let unit_picker = picker().await?;
            // Keep the person's input, but let a deliberate second save go over the new version.
            let mut form = form;
            form.version = latest.initiative.version.to_string();
            let page = FormPage {
                form: &form,
                errors: &FieldErrors::default(),
                unit_picker: &unit_picker,
                editing: Some(&latest),
                conflict: Some(&latest),
            };
            let mut context = context;
            context.insert("conflict_changes", &since);
            render_form(&tera, context, StatusCode::CONFLICT, page)
        }
        Err(errors) => {
            let unit_picker = picker().await?;
            let status = if errors.is_empty() {
                StatusCode::OK
            } else {
                errors.status()
            };
            let page = FormPage {
                form: &form,
                errors: &errors,
                unit_picker: &unit_picker,
                editing: Some(&current),
                conflict: None,
            };
            render_form(&tera, context, status, page)
        }
    }
}
