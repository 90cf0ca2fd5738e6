//! Proof that the acting person's scope was checked: an [`InScope`] row comes only out
//! of a store query that had the scope in its WHERE clause, and the writes take one.
//! A use case therefore cannot write to a unit or an initiative it did not look up in
//! the person's scope first: the compiler refuses the call.

use std::ops::Deref;

use serde::Serialize;

/// A row read within a scope. Only the store makes one (its constructor is private to
/// `store`); everyone else reads it through `Deref` or takes the row out.
#[derive(Debug, Clone, Serialize)]
#[serde(transparent)]
pub struct InScope<T>(T);

impl<T> InScope<T> {
    /// For the store's scoped queries only.
    pub(in crate::store) fn checked(row: T) -> InScope<T> {
        InScope(row)
    }

    pub fn into_inner(self) -> T {
        self.0
    }
}

impl<T> Deref for InScope<T> {
    type Target = T;

    fn deref(&self) -> &T {
        &self.0
    }
}
