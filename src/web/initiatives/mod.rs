//! Initiatives: the list with filters, registering, the detail page with its
//! history, and editing with status changes.

pub mod form;
pub mod history;

use std::collections::HashMap;

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use tera::{Context, Tera};

use crate::auth::{CurrentUser, Scope, csrf, permissions};
use crate::db::{self, PgPool};
use crate::domain::{Field, InitiativeKind, Status, Year};
use crate::error::AppError;
use crate::store;
use crate::store::initiatives::{InitiativeFilter, InitiativeListed, ListOrder, SaveOutcome};
use crate::store::units::UnitInTree;
use crate::web::forms::{FieldErrors, insert_initiative_choices};
use crate::web::selection::{parse_unit, parse_year};
use crate::web::{flash, page_context, render, render_status, see_other};
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
    page: Option<String>,
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

/// GET /initiatives
pub async fn list(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
    query: web::Query<ListQuery>,
) -> Result<HttpResponse, AppError> {
    let query = query.into_inner();
    let filter = InitiativeFilter {
        year: parse_year(query.year.as_deref())?.map(Year::get),
        unit_id: parse_unit(query.unit.as_deref())?,
        status: optional_code(query.status.as_deref(), Status::parse)?,
        field: optional_code(query.field.as_deref(), Field::parse)?,
        kind: optional_code(query.kind.as_deref(), InitiativeKind::parse)?,
        // NUL cannot reach PostgreSQL; other characters simply match nothing.
        text: query
            .q
            .as_deref()
            .filter(|text| text.chars().count() <= 200)
            .map(|text| text.replace('\0', "")),
    };
    let page = query
        .page
        .as_deref()
        .and_then(|page| page.trim().parse::<i64>().ok())
        .filter(|page| (1..=100_000).contains(page))
        .unwrap_or(1);
    let scope = user.scope();
    let (rows, total, units, years) = db::run(&pool, move |conn| {
        if let Some(unit_id) = filter.unit_id {
            store::units::find_in_scope(conn, scope, unit_id)?.ok_or(AppError::NotFound)?;
        }
        let (rows, total) =
            store::initiatives::list(conn, scope, &filter, ListOrder::Newest, page, PER_PAGE)?;
        let units = store::units::tree_in_scope(conn, scope, false)?;
        let years = store::initiatives::years(conn, scope)?;
        Ok((rows, total, units, years))
    })
    .await?;
    let mut context = page_context(&session, Some(&user));
    insert_initiative_choices(&mut context);
    context.insert("rows", &rows);
    context.insert("total", &total);
    context.insert("page", &page);
    context.insert("pages", &((total + PER_PAGE - 1) / PER_PAGE).max(1));
    context.insert("units", &units);
    context.insert("years", &years);
    context.insert("query", &query.as_shown());
    context.insert("page_links", &page_links(&query));
    render(&tera, "initiatives/list.html", &context)
}

/// The list's query string without `page`, for the pagination links.
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
    units: &'a [UnitInTree],
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
    context.insert("units", page.units);
    context.insert("editing", &page.editing);
    context.insert("conflict", &page.conflict);
    render_status(tera, status, "initiatives/form.html", &context)
}

fn editable_unit_ids(units: &[UnitInTree]) -> Vec<i32> {
    units
        .iter()
        .filter(|unit| unit.unit.active)
        .map(|unit| unit.unit.id)
        .collect()
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
    let units = db::run(&pool, move |conn| {
        Ok(store::units::tree_in_scope(conn, scope, true)?)
    })
    .await?;
    let default_unit = match scope {
        Scope::Subtree(unit_id) => Some(unit_id),
        Scope::Everything => None,
    };
    let form = InitiativeForm::blank(Year::current(), default_unit);
    let context = page_context(&session, Some(&user));
    let page = FormPage {
        form: &form,
        errors: &FieldErrors::default(),
        units: &units,
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
    let form = form.into_inner();
    let submitted = form.clone();
    let (units, saved) = db::run(&pool, move |conn| {
        let units = store::units::tree_in_scope(conn, scope, true)?;
        let saved = match submitted.parse(&editable_unit_ids(&units)) {
            Ok(draft) => Ok(store::initiatives::insert(conn, actor_id, &draft)?),
            Err(errors) => Err(errors),
        };
        Ok((units, saved))
    })
    .await?;
    match saved {
        Ok(id) => {
            flash(&session, "Đã đăng ký mô hình, công trình.");
            Ok(see_other(&format!("/initiatives/{id}")))
        }
        Err(errors) => {
            let context = page_context(&session, Some(&user));
            let page = FormPage {
                form: &form,
                errors: &errors,
                units: &units,
                editing: None,
                conflict: None,
            };
            render_form(&tera, context, StatusCode::UNPROCESSABLE_ENTITY, page)
        }
    }
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
    let scope = user.scope();
    let (initiative, history) = db::run(&pool, move |conn| {
        let initiative =
            store::initiatives::find_in_scope(conn, scope, id)?.ok_or(AppError::NotFound)?;
        let entries = store::audit::history(conn, "initiative", id)?;
        let names: HashMap<i32, String> = store::units::names(conn, &history::unit_ids(&entries))?
            .into_iter()
            .collect();
        Ok((initiative, history::describe(entries, &names)))
    })
    .await?;
    let mut context = page_context(&session, Some(&user));
    context.insert("item", &initiative);
    context.insert("kind_label", initiative.initiative.kind.label_vi());
    context.insert("field_label", initiative.initiative.field.label_vi());
    context.insert("status_label", initiative.initiative.status.label_vi());
    context.insert("history", &history);
    render(&tera, "initiatives/show.html", &context)
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
    let (initiative, units) = db::run(&pool, move |conn| {
        let initiative =
            store::initiatives::find_in_scope(conn, scope, id)?.ok_or(AppError::NotFound)?;
        Ok((initiative, store::units::tree_in_scope(conn, scope, true)?))
    })
    .await?;
    permissions::require_initiative_editor(&user)?;
    let form = InitiativeForm::from_initiative(&initiative.initiative);
    let context = page_context(&session, Some(&user));
    let page = FormPage {
        form: &form,
        errors: &FieldErrors::default(),
        units: &units,
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
    let form = form.into_inner();
    let submitted = form.clone();
    let (current, units, outcome) = db::run(&pool, move |conn| {
        let current =
            store::initiatives::find_in_scope(conn, scope, id)?.ok_or(AppError::NotFound)?;
        if !can_edit {
            return Err(AppError::Forbidden);
        }
        let units = store::units::tree_in_scope(conn, scope, true)?;
        let mut allowed = editable_unit_ids(&units);
        // An initiative may stay with a unit that has since been deactivated.
        allowed.push(current.initiative.unit_id);
        let outcome = match (submitted.parse(&allowed), submitted.expected_version()) {
            (Ok(draft), Some(version)) => Ok(store::initiatives::update(
                conn, actor_id, scope, id, version, &draft,
            )?),
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
        Ok((current, units, outcome))
    })
    .await?;
    let context = page_context(&session, Some(&user));
    match outcome {
        Ok(SaveOutcome::Saved) => {
            flash(&session, "Đã lưu thay đổi.");
            Ok(see_other(&format!("/initiatives/{id}")))
        }
        Ok(SaveOutcome::NotFound) => Err(AppError::NotFound),
        Ok(SaveOutcome::Conflict(latest)) => {
            // Keep the person's input, but let a deliberate second save go over the new version.
            let mut form = form;
            form.version = latest.initiative.version.to_string();
            let page = FormPage {
                form: &form,
                errors: &FieldErrors::default(),
                units: &units,
                editing: Some(&latest),
                conflict: Some(&latest),
            };
            render_form(&tera, context, StatusCode::CONFLICT, page)
        }
        Err(errors) => {
            let page = FormPage {
                form: &form,
                errors: &errors,
                units: &units,
                editing: Some(&current),
                conflict: None,
            };
            render_form(&tera, context, StatusCode::UNPROCESSABLE_ENTITY, page)
        }
    }
}
