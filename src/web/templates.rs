//! The templates, compiled into the binary so it runs from any folder.

use tera::Tera;

const TEMPLATES: &[(&str, &str)] = &[
    ("base.html", include_str!("../../templates/base.html")),
    ("macros.html", include_str!("../../templates/macros.html")),
    ("charts.html", include_str!("../../templates/charts.html")),
    (
        "dashboard_macros.html",
        include_str!("../../templates/dashboard_macros.html"),
    ),
    ("error.html", include_str!("../../templates/error.html")),
    ("login.html", include_str!("../../templates/login.html")),
    ("help.html", include_str!("../../templates/help.html")),
    (
        "dashboard.html",
        include_str!("../../templates/dashboard.html"),
    ),
    (
        "dashboard_follow_up.html",
        include_str!("../../templates/dashboard_follow_up.html"),
    ),
    (
        "initiatives/list.html",
        include_str!("../../templates/initiatives/list.html"),
    ),
    (
        "initiatives/form.html",
        include_str!("../../templates/initiatives/form.html"),
    ),
    (
        "initiatives/show.html",
        include_str!("../../templates/initiatives/show.html"),
    ),
    (
        "reports/annual.html",
        include_str!("../../templates/reports/annual.html"),
    ),
    (
        "reports/settings.html",
        include_str!("../../templates/reports/settings.html"),
    ),
    ("inbox.html", include_str!("../../templates/inbox.html")),
    ("home.html", include_str!("../../templates/home.html")),
    (
        "review_result.html",
        include_str!("../../templates/review_result.html"),
    ),
    (
        "deadlines.html",
        include_str!("../../templates/deadlines.html"),
    ),
    (
        "account/password.html",
        include_str!("../../templates/account/password.html"),
    ),
    (
        "account/show.html",
        include_str!("../../templates/account/show.html"),
    ),
    (
        "admin/password_reset.html",
        include_str!("../../templates/admin/password_reset.html"),
    ),
    (
        "admin/units.html",
        include_str!("../../templates/admin/units.html"),
    ),
    (
        "admin/unit_form.html",
        include_str!("../../templates/admin/unit_form.html"),
    ),
    (
        "admin/users.html",
        include_str!("../../templates/admin/users.html"),
    ),
    (
        "admin/user_form.html",
        include_str!("../../templates/admin/user_form.html"),
    ),
    (
        "admin/sign_ins.html",
        include_str!("../../templates/admin/sign_ins.html"),
    ),
    (
        "admin/imports.html",
        include_str!("../../templates/admin/imports.html"),
    ),
    (
        "admin/import_preview.html",
        include_str!("../../templates/admin/import_preview.html"),
    ),
    (
        "admin/import_result.html",
        include_str!("../../templates/admin/import_result.html"),
    ),
];

/// Loads every template; HTML output is escaped by default.
pub fn load() -> Result<Tera, tera::Error> {
    let mut tera = Tera::default();
    tera.add_raw_templates(TEMPLATES.iter().copied())?;
    tera.autoescape_on(vec![".html"]);
    crate::web::template_filters::register_filters(&mut tera);
    Ok(tera)
}
