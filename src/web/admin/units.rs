//! Admin pages for units: list as a tree, create, edit, move (change parent), deactivate
//! and merge. The work is `app::units`'; here the forms are parsed and answered.

use actix_session::Session;
use actix_web::http::StatusCode;
use actix_web::{HttpResponse, web};
use serde::{Deserialize, Serialize};
use tera::{Context, Tera};

use crate::app;
use crate::app::units::{MergeError, Merged, Refusal, Unit, UnitFields, UnitPickers};
use crate::auth::{CurrentUser, csrf, permissions};
use crate::db::{self, PgPool};
use crate::domain::{UnitKind, Year, unit};
use crate::error::AppError;
use crate::web::forms::{
    FieldErrors, NotANumber, busy_as_form_error, checkbox, choices, labels, optional_id,
};
use crate::web::selection::parse_unit;
use crate::web::unit_picker::{PickerInput, form_status, search_text};
use crate::web::{flash, page_context, render, see_other};

/// The unit form as sent. Its limits are `domain::unit`'s (code, name), which the unit
/// import applies too: no second, declarative copy of them here.
#[derive(Debug, Clone, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct UnitForm {
    code: String,
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

/// A unit form that does not parse: the messages, and the code and parent as far as
/// they parsed, for the checks against the tree (`app::units::refusals`).
struct Rejected {
    errors: FieldErrors,
    code: Option<String>,
    parent_id: Option<i32>,
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

    /// The parent picker's value and input.
    fn parent_choice(&self) -> (&str, &PickerInput) {
        (&self.parent_id, &self.picker)
    }

    /// Parses the form into a unit's values, without the database: whether the code is
    /// free and the parent exists is the use case's to say.
    fn parse(&self) -> Result<UnitFields, Rejected> {
        let mut errors = FieldErrors::default();
        let code = unit::normalize_code(&self.code)
            .map_err(|problem| errors.add("code", problem))
            .ok();
        let name = crate::domain::text::normalized(&self.name);
        if let Some(problem) = unit::name_problem(&name) {
            errors.add("name", problem);
        }
        let kind = UnitKind::parse(self.kind.trim());
        if kind.is_none() {
            errors.add("kind", "Hãy chọn loại tổ chức trong danh sách.");
        }
        let parent_id = optional_id(&self.parent_id)
            .map_err(|NotANumber| errors.add("parent_id", "Đơn vị cấp trên không hợp lệ."))
            .unwrap_or_default();
        match (code, kind) {
            (Some(code), Some(kind)) if errors.is_empty() => Ok(UnitFields {
                code,
                name,
                kind,
                parent_id,
                expected_to_register: checkbox(&self.expected_to_register),
                active: checkbox(&self.active),
            }),
            (code, _) => Err(Rejected {
                errors,
                code,
                parent_id,
            }),
        }
    }
}

/// The tree's refusals of a unit form, beside the fields they concern.
fn refused(refusals: &[Refusal]) -> FieldErrors {
    let mut errors = FieldErrors::default();
    for refusal in refusals {
        match refusal {
            Refusal::CodeTaken => errors.add("code", unit::CODE_TAKEN),
            Refusal::ParentMissing => errors.add("parent_id", "Đơn vị cấp trên không tồn tại."),
            Refusal::ParentInsideUnit => errors.add(
                "parent_id",
                "Không thể chuyển đơn vị vào chính nó hoặc đơn vị cấp dưới của nó.",
            ),
        }
    }
    errors
}

fn render_form(
    tera: &Tera,
    mut context: Context,
    status: StatusCode,
    form: &UnitForm,
    errors: &FieldErrors,
    pickers: &UnitPickers,
    editing: Option<i32>,
) -> Result<HttpResponse, AppError> {
    context.insert("parent_picker", &pickers.parent);
    context.insert("into_picker", &pickers.into);
    if !context.contains_key("merge") {
        context.insert("merge", &MergeForm::default());
        context.insert("merge_errors", &FieldErrors::default());
    }
    context.insert(
        "unit_kinds",
        &choices(UnitKind::ALL, UnitKind::as_str, UnitKind::label_vi),
    );
    let template = "admin/unit_form.html";
    super::render_form(tera, context, template, status, form, errors, editing)
}

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
    let actor = user.clone();
    let page = db::run_app(&pool, move |conn| {
        app::units::tree(conn, &actor, parent, &searched, after)
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
    context.insert("breadcrumb", &page.breadcrumb);
    context.insert("rows", &page.rows);
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
    let (errors, pickers) = form_again(&pool, &user, None, &form, Shown::Blank).await?;
    let context = page_context(&session, Some(&user));
    render_form(
        &tera,
        context,
        StatusCode::OK,
        &form,
        &errors,
        &pickers,
        None,
    )
}

/// Why a unit's form is shown (again).
enum Shown {
    /// Fresh, or after a picker search: no messages.
    Blank,
    /// With these messages (the tree's refusals, or the busy database's).
    Refused(FieldErrors),
    /// It did not parse: its messages, and the tree's on what did.
    Rejected(Rejected),
}

/// The messages and pickers of a unit's form shown again (`editing`: the unit edited,
/// which must still be in scope).
async fn form_again(
    pool: &PgPool,
    user: &CurrentUser,
    editing: Option<i32>,
    form: &UnitForm,
    shown: Shown,
) -> Result<(FieldErrors, UnitPickers), AppError> {
    let actor = user.clone();
    let form = form.clone();
    let (mut errors, checked) = match shown {
        Shown::Blank => (FieldErrors::default(), None),
        Shown::Refused(errors) => (errors, None),
        Shown::Rejected(rejected) => (rejected.errors, Some((rejected.code, rejected.parent_id))),
    };
    let (refusals, pickers) = db::run_app(pool, move |conn| {
        if let Some(id) = editing {
            app::units::find(conn, &actor, id)?;
        }
        let refusals = match checked {
            Some((code, parent_id)) => {
                app::units::refusals(conn, &actor, editing, code.as_deref(), parent_id)?
            }
            None => Vec::new(),
        };
        let merge = MergeForm::default();
        let pickers = app::units::pickers(conn, &actor, form.parent_choice(), merge.choice())?;
        Ok((refusals, pickers))
    })
    .await?;
    errors.extend(refused(&refusals));
    Ok((errors, pickers))
}

/// Saves the unit form (`editing`: the unit edited, `None` for a new one) and redirects,
/// or shows it again: after a search in the parent picker (200, nothing saved), with
/// the mistakes or the tree's refusals (422), or when the database was busy (503).
async fn submit(
    tera: &Tera,
    pool: &PgPool,
    session: &Session,
    user: &CurrentUser,
    editing: Option<i32>,
    form: UnitForm,
) -> Result<HttpResponse, AppError> {
    let browsing = form.picker.is_browsing();
    let shown = match form.parse() {
        _ if browsing => Shown::Blank,
        Ok(fields) => {
            let actor = user.clone();
            let saved = db::run_app(pool, move |conn| match editing {
                Some(id) => app::units::update(conn, &actor, id, &fields),
                None => app::units::create(conn, &actor, &fields),
            })
            .await;
            match super::saved(saved, refused)? {
                Ok(unit) => {
                    let verb = if editing.is_some() { "lưu" } else { "thêm" };
                    flash(session, &format!("Đã {verb} đơn vị {}.", unit.name));
                    return Ok(see_other(&tree_page_of(unit.parent_id)));
                }
                Err(errors) => Shown::Refused(errors),
            }
        }
        Err(rejected) => Shown::Rejected(rejected),
    };
    let (errors, pickers) = form_again(pool, user, editing, &form, shown).await?;
    let status = form_status(browsing, &errors);
    let context = page_context(session, Some(user));
    render_form(tera, context, status, &form, &errors, &pickers, editing)
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
    submit(&tera, &pool, &session, &user, None, form.into_inner()).await
}

/// A unit's edit page: its form as stored, and the pickers (the merge form's as sent).
async fn unit_page(
    pool: &PgPool,
    user: &CurrentUser,
    id: i32,
    merge: &MergeForm,
) -> Result<(UnitForm, UnitPickers), AppError> {
    let actor = user.clone();
    let merge = merge.clone();
    db::run_app(pool, move |conn| {
        let unit = app::units::find(conn, &actor, id)?;
        let form = UnitForm::from_unit(&unit);
        let pickers = app::units::pickers(conn, &actor, form.parent_choice(), merge.choice())?;
        Ok((form, pickers))
    })
    .await
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
    let (form, pickers) = unit_page(&pool, &user, id, &MergeForm::default()).await?;
    let context = page_context(&session, Some(&user));
    let errors = FieldErrors::default();
    render_form(
        &tera,
        context,
        StatusCode::OK,
        &form,
        &errors,
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
    submit(&tera, &pool, &session, &user, Some(id), form.into_inner()).await
}

/// The merge form on a unit's edit page.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(default)]
pub struct MergeForm {
    into: String,
    from_year: String,
    /// The preview's figures, sent back by its confirm button (see `app::units::merge`).
    #[serde(skip_serializing)]
    confirm: String,
    #[serde(skip_serializing)]
    csrf_token: String,
    #[serde(flatten)]
    picker: PickerInput,
}

impl Default for MergeForm {
    fn default() -> Self {
        MergeForm {
            into: String::new(),
            from_year: Year::current().get().to_string(),
            confirm: String::new(),
            csrf_token: String::new(),
            picker: PickerInput::default(),
        }
    }
}

impl MergeForm {
    /// The receiving unit's picker's value and input.
    fn choice(&self) -> (&str, &PickerInput) {
        (&self.into, &self.picker)
    }

    /// The receiving unit and the first year merged, or the messages beside the fields.
    fn parse(&self) -> Result<(i32, Year), FieldErrors> {
        let mut errors = FieldErrors::default();
        let into = optional_id(&self.into).ok().flatten();
        if into.is_none() {
            errors.add("into", "Hãy chọn đơn vị nhận sáp nhập.");
        }
        let from_year = Year::parse(self.from_year.trim());
        if from_year.is_none() {
            errors.add("from_year", "Năm phải là số từ 2000 đến 2100.");
        }
        into.zip(from_year).ok_or(errors)
    }
}

/// What the merge form says beside the receiving unit when the merge was refused.
fn merge_refusal_message(refusal: &MergeError) -> &'static str {
    match refusal {
        MergeError::SameUnit => "Không thể sáp nhập một đơn vị vào chính nó.",
        MergeError::IntoOwnSubtree => "Đơn vị nhận phải nằm ngoài đơn vị bị sáp nhập.",
        MergeError::NotFound => "Không tìm thấy đơn vị.",
        MergeError::InactiveTarget => "Đơn vị nhận đã ngừng hoạt động.",
        // Answered as an error (or a busy form) before a message is asked for.
        MergeError::Database(_) => crate::error::INTERNAL_MESSAGE,
    }
}

/// POST /admin/units/{id}/merge: first shows what the merge would move; the preview's
/// confirm button posts again with its figures, and only then does the unit join the
/// other one (see `app::units::merge`).
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
    let form = form.into_inner();
    let browsing = form.picker.is_browsing();
    let mut plan = None;
    let errors = match form.parse() {
        _ if browsing => FieldErrors::default(),
        Ok((into, from_year)) => {
            let actor = user.clone();
            let confirmed = Some(form.confirm.clone()).filter(|confirm| !confirm.is_empty());
            let merged = db::run_app(&pool, move |conn| {
                app::units::merge(conn, &actor, id, into, from_year, confirmed.as_deref())
            })
            .await;
            match busy_as_form_error(merged)? {
                Ok(Merged::Done {
                    absorbed,
                    into_name,
                }) => {
                    let message = format!("Đã sáp nhập {} vào {into_name}.", absorbed.name);
                    flash(&session, &message);
                    return Ok(see_other("/admin/units"));
                }
                Ok(Merged::Preview {
                    plan: preview,
                    changed,
                }) => {
                    plan = Some((preview, changed));
                    FieldErrors::default()
                }
                Ok(Merged::Refused(refusal)) => {
                    let mut errors = FieldErrors::default();
                    errors.add("into", merge_refusal_message(&refusal));
                    errors
                }
                Err(busy) => busy,
            }
        }
        Err(errors) => errors,
    };
    let (unit_form, pickers) = unit_page(&pool, &user, id, &form).await?;
    let status = form_status(browsing || plan.is_some(), &errors);
    let mut context = page_context(&session, Some(&user));
    context.insert("merge", &form);
    context.insert("merge_errors", &errors);
    if let Some((plan, changed)) = plan {
        context.insert("merge_plan", &plan);
        context.insert("merge_changed", &changed);
    }
    let no_errors = FieldErrors::default();
    render_form(
        &tera,
        context,
        status,
        &unit_form,
        &no_errors,
        &pickers,
        Some(id),
    )
}
