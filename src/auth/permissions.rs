//! The permission rules, as named functions called at the top of each handler. The
//! scope every query is limited to is `domain::Scope`.

use crate::auth::CurrentUser;
use crate::domain::{ImportKind, Role};
use crate::error::AppError;

/// Registering and editing initiatives: secretaries (in their subtree) and admins.
pub fn can_edit_initiatives(user: &CurrentUser) -> bool {
    matches!(user.role, Role::Admin | Role::Secretary)
}

pub fn require_initiative_editor(user: &CurrentUser) -> Result<(), AppError> {
    if can_edit_initiatives(user) {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Units and user accounts are kept by admins only.
pub fn require_admin(user: &CurrentUser) -> Result<(), AppError> {
    if user.role == Role::Admin {
        Ok(())
    } else {
        Err(AppError::Forbidden)
    }
}

/// Spreadsheet imports: admins import anything; reviewers (the bloc committee) import
/// initiatives within their subtree.
pub fn may_import(user: &CurrentUser, kind: ImportKind) -> bool {
    role_may_import(user.role, kind)
}

/// [`may_import`] for a role, as a confirmation checks it again.
pub fn role_may_import(role: Role, kind: ImportKind) -> bool {
    match role {
        Role::Admin => true,
        Role::Reviewer => kind == ImportKind::Initiatives,
        Role::Secretary => false,
    }
}

/// The kinds of import this user may run, in the order the form offers them.
pub fn import_kinds(user: &CurrentUser) -> Vec<ImportKind> {
    ImportKind::ALL
        .iter()
        .copied()
        .filter(|kind| may_import(user, *kind))
        .collect()
}

/// The import pages: for anyone who may import something.
pub fn require_importer(user: &CurrentUser) -> Result<(), AppError> {
    if import_kinds(user).is_empty() {
        Err(AppError::Forbidden)
    } else {
        Ok(())
    }
}
