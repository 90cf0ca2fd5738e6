//! The permission rules, as named functions called at the top of each handler, and
//! the scope every query is limited to.

use crate::auth::CurrentUser;
use crate::domain::Role;
use crate::error::AppError;

/// The part of the unit tree a user may see: everything (admins) or one subtree.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Everything,
    Subtree(i32),
}

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
