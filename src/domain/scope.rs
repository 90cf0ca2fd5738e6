//! The part of the unit tree a person may see and change. Every query of the store
//! takes one and puts it in its WHERE clause; `auth` says which one a person has.

/// Everything (admins) or one unit's subtree (the unit and every unit under it).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Everything,
    Subtree(i32),
}
