//! Admin pages for units: list as a tree, create, edit, move (change parent) and deactivate.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use diesel::PgConnection;
use serde::{Deserialize, Serialize};
use tera::{Context, Tera};
use validator::Validate;

use crate::auth::{CurrentUser, csrf, permissions};
use crate::db::{self, PgPool};
use crate::domain::Scope;
use crate::domain::{UnitKind, unit};
use crate::error::AppError;
use crate::store;
use crate::store::unit_search::Listing;
use crate::store::units::{Unit, UnitFields};
use crate::web::forms::{
    FieldErrors, NotANumber, checkbox, choices, form_error_if_busy, labels, optional_id,
};
use crate::web::selection::parse_unit;
use crate::web::unit_picker::{PickerInput, UnitPicker, form_status, offer, search_text};
use crate::web::{flash, page_context, render, render_status, see_other};

#[derive(Debug, Clone, Default, Deserialize, Serialize, Validate)]
#[serde(default)]
pub struct UnitForm {
    code: String,
    #[validate(length(min = 1, max = 300, message = "Tên đơn vị cần có từ 1 đến 300 ký tự."))]
    name: String,
    kind: String,
    parent_id: String,
    expected_to_register: Option<String>,
    active: Option<String>,
    #[serde(skip_serializing)]
    csrf_token: String,
    #[serde(flatten)]
    picker: PickerInput,
}

impl UnitForm {
    fn from_unit(unit: &Unit) -> UnitForm {
        UnitForm {
            code: unit.code.clone(),
            name: unit.name.clone(),
            kind: unit.kind.as_str().to_owned(),
            parent_id: unit.parent_id.map(|id| id.to_string()).unwrap_or_default(),
            expected_to_register: unit.expected_to_register.then(|| "on".to_owned()),
            active: unit.active.then(|| "on".to_owned()),
            csrf_token: String::new(),
            picker: PickerInput::default(),
        }
    }

    /// Parses the form; `editing` is the unit being edited (it cannot become its own descendant).
    fn parse(
        &self,
        conn: &mut PgConnection,
        editing: Option<i32>,
    ) -> Result<Result<UnitFields, FieldErrors>, AppError> {
        let mut errors = FieldErrors::default();
        if let Err(validation) = self.validate() {
            errors.add_validation(&validation);
        }
        let code = match unit::normalize_code(&self.code) {
            Ok(code) => {
                if let Some(existing) = store::units::find_by_code(conn, &code)?
                    && Some(existing.id) != editing
                {
                    errors.add("code", unit::CODE_TAKEN);
                }
                code
            }
            Err(problem) => {
                errors.add("code", problem);
                String::new()
            }
        };
        let name = crate::domain::text::normalized(&self.name);
        if let Some(problem) = unit::name_problem(&name) {
            errors.add("name", problem);
        }
        let kind = UnitKind::parse(self.kind.trim());
        if kind.is_none() {
            errors.add("kind", "Hãy chọn loại tổ chức trong danh sách.");
        }
        let parent_id = match optional_id(&self.parent_id) {
            Err(NotANumber) => {
                errors.add("parent_id", "Đơn vị cấp trên không hợp lệ.");
                None
            }
            Ok(None) => None,
            Ok(Some(parent_id)) => {
                if store::units::find_in_scope(conn, Scope::Everything, parent_id)?.is_none() {
                    errors.add("parent_id", "Đơn vị cấp trên không tồn tại.");
                } else if let Some(unit_id) = editing
                    && store::units::is_in_subtree(conn, unit_id, parent_id)?
                {
                    errors.add(
                        "parent_id",
                        "Không thể chuyển đơn vị vào chính nó hoặc đơn vị cấp dưới của nó.",
                    );
                }
                Some(parent_id)
            }
        };
        Ok(match kind {
            Some(kind) if errors.is_empty() => Ok(UnitFields {
                code,
                name,
                kind,
                parent_id,
                expected_to_register: checkbox(&self.expected_to_register),
                active: checkbox(&self.active),
            }),
            _ => Err(errors),
        })
    }
}

/// The two unit pickers of a unit's page: its parent, and the unit to merge it into.
struct Pickers {
    parent: UnitPicker,
    into: UnitPicker,
}

impl Pickers {
    fn load(
        conn: &mut PgConnection,
        form: &UnitForm,
        merge: &MergeForm,
    ) -> Result<Pickers, AppError> {
        let scope = Scope::Everything;
        Ok(Pickers {
            parent: UnitPicker::load(
                conn,
                scope,
                false,
                "parent_id",
                &form.parent_id,
                &form.picker,
            )?,
            // Only an active unit can take in another one.
            into: UnitPicker::load(conn, scope, true, "into", &merge.into, &merge.picker)?,
        })
    }
}

fn code_taken() -> FieldErrors {
    let mut errors = FieldErrors::default();
    errors.add("code", unit::CODE_TAKEN);
    errors
}

fn render_form(
    tera: &Tera,
    mut context: Context,
    status: StatusCode,
    form: &UnitForm,
    errors: &FieldErrors,
    pickers: &Pickers,
    editing: Option<i32>,
) -> Result<HttpResponse, AppError> {
    context.insert("form", form);
    context.insert("errors", errors);
    context.insert("parent_picker", &pickers.parent);
    context.insert("into_picker", &pickers.into);
    context.insert("editing", &editing);
    if !context.contains_key("merge") {
        context.insert("merge", &MergeForm::default());
        context.insert("merge_errors", &FieldErrors::default());
    }
    context.insert(
        "unit_kinds",
        &choices(UnitKind::ALL, UnitKind::as_str, UnitKind::label_vi),
    );
    render_status(tera, status, "admin/unit_form.html", &context)
}

/// Units per page of the admin tree.
const TREE_PAGE: i64 = 100;

#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub struct TreeQuery {
    parent: Option<String>,
    after: Option<String>,
    q: Option<String>,
}

/// GET /admin/units[?parent=ID][&q=TEXT][&after=ID]: one level of the tree (the children
/// of `parent`, by default the top-level units) or the units matching `q`, a page at a
/// time; never the whole tree.
pub async fn list(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
    query: web::Query<TreeQuery>,
) -> Result<HttpResponse, AppError> {
    permissions::require_admin(&user)?;
    let parent = parse_unit(query.parent.as_deref())?;
    let after = parse_unit(query.after.as_deref())?;
    let text = search_text(query.q.as_deref().unwrap_or_default());
    let searched = text.clone();
    let (breadcrumb, page, rows) = db::run(&pool, move |conn| {
        let scope = Scope::Everything;
        let (breadcrumb, listing) = if searched.is_empty() {
            let breadcrumb = match parent {
                Some(parent) => {
                    store::units::find_in_scope(conn, scope, parent)?.ok_or(AppError::NotFound)?;
                    store::units::path_in_scope(conn, scope, parent)?
                }
                None => Vec::new(),
            };
            (breadcrumb, Listing::ChildrenOf(parent))
        } else {
            (Vec::new(), Listing::Matching(&searched))
        };
        let mut page = store::unit_search::page(conn, scope, listing, false, after, TREE_PAGE)?;
        let rows = offer(conn, scope, std::mem::take(&mut page.units))?;
        Ok((breadcrumb, page, rows))
    })
    .await?;
    // Links keep what is listed: the search, or the unit whose children these are.
    let link = |after: Option<i32>| {
        let mut pairs = Vec::new();
        if !text.is_empty() {
            pairs.push(("q", text.clone()));
        } else if let Some(parent) = parent {
            pairs.push(("parent", parent.to_string()));
        }
        pairs.extend(after.map(|after| ("after", after.to_string())));
        let query = serde_urlencoded::to_string(&pairs).unwrap_or_default();
        format!("/admin/units?{query}")
    };
    let next = page.next_after.map(|after| link(Some(after)));
    let first = after.map(|_| link(None));
    let mut context = page_context(&session, Some(&user));
    context.insert("breadcrumb", &breadcrumb);
    context.insert("rows", &rows);
    context.insert("q", &text);
    context.insert("first", &first);
    context.insert("next", &next);
    context.insert(
        "unit_kind_labels",
        &labels(UnitKind::ALL, UnitKind::as_str, UnitKind::label_vi),
    );
    render(&tera, "admin/units.html", &context)
}

/// GET /admin/units/new
pub async fn new_form(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
) -> Result<HttpResponse, AppError> {
    permissions::require_admin(&user)?;
    let form = UnitForm {
        expected_to_register: Some("on".to_owned()),
        active: Some("on".to_owned()),
        ..UnitForm::default()
    };
    let blank = form.clone();
    let pickers = db::run(&pool, move |conn| {
        Pickers::load(conn, &blank, &MergeForm::default())
    })
    .await?;
    let context = page_context(&session, Some(&user));
    render_form(
        &tera,
        context,
        StatusCode::OK,
        &form,
        &FieldErrors::default(),
        &pickers,
        None,
    )
}

/// What a unit form's submission came to.
enum Submitted {
    Saved(Unit),
    /// Shown again: after a picker search (200, no errors) or with the errors (422).
    Again(StatusCode, FieldErrors, Box<Pickers>),
}

/// Saves the unit form (`editing`: the unit edited, `None` for a new one), unless the
/// person only searched in the parent picker.
fn save_unit_form(
    conn: &mut PgConnection,
    actor_id: i32,
    editing: Option<i32>,
    submitted: &UnitForm,
) -> Result<Submitted, AppError> {
    let again = |conn: &mut PgConnection, status, errors| {
        let pickers = Pickers::load(conn, submitted, &MergeForm::default())?;
        Ok(Submitted::Again(status, errors, Box::new(pickers)))
    };
    if submitted.picker.is_browsing() {
        return again(conn, StatusCode::OK, FieldErrors::default());
    }
    let fields = match submitted.parse(conn, editing)? {
        Ok(fields) => fields,
        Err(errors) => return again(conn, StatusCode::UNPROCESSABLE_ENTITY, errors),
    };
    let saved = match editing {
        Some(id) => store::units::update(conn, actor_id, id, &fields),
        None => store::units::insert(conn, Some(actor_id), &fields),
    };
    match saved {
        Ok(unit) => Ok(Submitted::Saved(unit)),
        // Someone took the code between the check and the save.
        Err(error) if store::is_unique_violation(&error) => {
            again(conn, StatusCode::UNPROCESSABLE_ENTITY, code_taken())
        }
        Err(error) => {
            let errors = form_error_if_busy(error)?;
            again(conn, errors.status(), errors)
        }
    }
}

/// Redirects after a save, or shows the form again.
fn answer_unit_form(
    tera: &Tera,
    session: &Session,
    user: &CurrentUser,
    form: &UnitForm,
    editing: Option<i32>,
    submitted: Submitted,
) -> Result<HttpResponse, AppError> {
    match submitted {
        Submitted::Saved(unit) => {
            let verb = if editing.is_some() { "lưu" } else { "thêm" };
            flash(session, &format!("Đã {verb} đơn vị {}.", unit.name));
            Ok(see_other(&tree_page_of(unit.parent_id)))
        }
        Submitted::Again(status, errors, pickers) => {
            let context = page_context(session, Some(user));
            render_form(tera, context, status, form, &errors, &pickers, editing)
        }
    }
}

/// The page of the admin tree that lists the children of `parent`.
fn tree_page_of(parent: Option<i32>) -> String {
    match parent {
        Some(parent) => format!("/admin/units?parent={parent}"),
        None => "/admin/units".to_owned(),
    }
}

/// POST /admin/units
pub async fn create(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
    form: web::Form<UnitForm>,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&session, &form.csrf_token)?;
    permissions::require_admin(&user)?;
    let actor_id = user.id;
    let form = form.into_inner();
    let submitted = form.clone();
    let outcome = db::run(&pool, move |conn| {
        save_unit_form(conn, actor_id, None, &submitted)
    })
    .await?;
    answer_unit_form(&tera, &session, &user, &form, None, outcome)
}

/// GET /admin/units/{id}/edit
pub async fn edit_form(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
    id: web::Path<i32>,
) -> Result<HttpResponse, AppError> {
    permissions::require_admin(&user)?;
    let id = id.into_inner();
    let (form, pickers) = db::run(&pool, move |conn| {
        let unit =
            store::units::find_in_scope(conn, Scope::Everything, id)?.ok_or(AppError::NotFound)?;
        let form = UnitForm::from_unit(&unit);
        let pickers = Pickers::load(conn, &form, &MergeForm::default())?;
        Ok((form, pickers))
    })
    .await?;
    let context = page_context(&session, Some(&user));
    render_form(
        &tera,
        context,
        StatusCode::OK,
        &form,
        &FieldErrors::default(),
        &pickers,
        Some(id),
    )
}

/// POST /admin/units/{id}
pub async fn update(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
    id: web::Path<i32>,
    form: web::Form<UnitForm>,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&session, &form.csrf_token)?;
    permissions::require_admin(&user)?;
    let id = id.into_inner();
    let actor_id = user.id;
    let form = form.into_inner();
    let submitted = form.clone();
    let outcome = db::run(&pool, move |conn| {
        store::units::find_in_scope(conn, Scope::Everything, id)?.ok_or(AppError::NotFound)?;
        save_unit_form(conn, actor_id, Some(id), &submitted)
    })
    .await?;
    answer_unit_form(&tera, &session, &user, &form, Some(id), outcome)
}

/// The merge form on a unit's edit page.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct MergeForm {
    into: String,
    from_year: String,
    #[serde(skip_serializing)]
    csrf_token: String,
    #[serde(flatten)]
    picker: PickerInput,
}

impl Default for MergeForm {
    fn default() -> Self {
        MergeForm {
            into: String::new(),
            from_year: crate::domain::Year::current().get().to_string(),
            csrf_token: String::new(),
            picker: PickerInput::default(),
        }
    }
}

/// What the merge form says beside the receiving unit when the store refused the merge.
fn merge_refusal_message(refusal: &store::units::MergeError) -> &'static str {
    use store::units::MergeError;
    match refusal {
        MergeError::SameUnit => "Không thể sáp nhập một đơn vị vào chính nó.",
        MergeError::IntoOwnSubtree => "Đơn vị nhận phải nằm ngoài đơn vị bị sáp nhập.",
        MergeError::NotFound => "Không tìm thấy đơn vị.",
        MergeError::InactiveTarget => "Đơn vị nhận đã ngừng hoạt động.",
        // Answered as an error (or a busy form) before a message is asked for.
        MergeError::Database(_) => crate::error::INTERNAL_MESSAGE,
    }
}

/// POST /admin/units/{id}/merge: the unit joins another one (see `store::units::merge`).
pub async fn merge(
    tera: web::Data<Tera>,
    pool: web::Data<PgPool>,
    session: Session,
    user: CurrentUser,
    id: web::Path<i32>,
    form: web::Form<MergeForm>,
) -> Result<HttpResponse, AppError> {
    csrf::verify(&session, &form.csrf_token)?;
    permissions::require_admin(&user)?;
    let id = id.into_inner();
    let actor_id = user.id;
    let form = form.into_inner();
    let mut errors = FieldErrors::default();
    let into = match optional_id(&form.into) {
        Ok(Some(into)) => Some(into),
        _ => {
            errors.add("into", "Hãy chọn đơn vị nhận sáp nhập.");
            None
        }
    };
    let from_year = crate::domain::Year::parse(form.from_year.trim());
    if from_year.is_none() {
        errors.add("from_year", "Năm phải là số từ 2000 đến 2100.");
    }
    let browsing = form.picker.is_browsing();
    let submitted = form.clone();
    let (unit, outcome) = db::run(&pool, move |conn| {
        let unit =
            store::units::find_in_scope(conn, Scope::Everything, id)?.ok_or(AppError::NotFound)?;
        let outcome = match (into, from_year) {
            _ if browsing => Err(FieldErrors::default()),
            (Some(into), Some(year)) if errors.is_empty() => {
                match store::units::merge(conn, actor_id, id, into, year.get()) {
                    Ok(()) => Ok(store::units::find_in_scope(conn, Scope::Everything, into)?),
                    Err(store::units::MergeError::Database(error)) => {
                        Err(form_error_if_busy(error)?)
                    }
                    Err(refusal) => {
                        let mut errors = FieldErrors::default();
                        errors.add("into", merge_refusal_message(&refusal));
                        Err(errors)
                    }
                }
            }
            _ => Err(errors),
        };
        let outcome = match outcome {
            Ok(target) => Ok(target),
            Err(errors) => {
                let pickers = Pickers::load(conn, &UnitForm::from_unit(&unit), &submitted)?;
                Err((errors, pickers))
            }
        };
        Ok((unit, outcome))
    })
    .await?;
    match outcome {
        Ok(target) => {
            let target = target
                .map(|target| target.into_inner().name)
                .unwrap_or_default();
            flash(
                &session,
                &format!("Đã sáp nhập {} vào {target}.", unit.name),
            );
            Ok(see_other("/admin/units"))
        }
        Err((errors, pickers)) => {
            let status = form_status(browsing, &errors);
            let mut context = page_context(&session, Some(&user));
            context.insert("merge", &form);
            context.insert("merge_errors", &errors);
            render_form(
                &tera,
                context,
                status,
                &UnitForm::from_unit(&unit),
                &FieldErrors::default(),
                &pickers,
                Some(id),
            )
        }
    }
}
