//! The use cases: one function for each thing a person does (register an initiative,
//! approve it, merge two units, set a deadline, import a sheet, export the report).
//!
//! Each one takes values already parsed into `domain` types and the person acting,
//! opens the request's one transaction (`store::write_transaction`, retried on
//! serialization failures and deadlocks, or `store::read_snapshot` for reads), lets the
//! store check the scope inside its queries, applies the rules of `domain`, and returns
//! what happened as a domain value: done, refused with reasons, a conflict, not found.
//! Nothing here knows HTTP or templates: `web` turns outcomes into pages, statuses and
//! Vietnamese messages. Slow work that needs no database (hashing a password, parsing a
//! file, drawing a chart, writing a PDF) is done by the caller before or after, never
//! while a pooled connection is held.

pub mod accounts;
pub mod api;
pub mod dashboard;
pub mod deadlines;
mod error;
pub mod evidence;
pub mod exports;
pub mod home;
pub mod imports;
pub mod inbox;
pub mod initiatives;
pub mod report_settings;
pub mod selection;
pub mod unit_picker;
pub mod units;
pub mod users;

pub use error::Error;

/// What became of a write that what is stored can refuse: done, or refused for these
/// reasons with nothing written.
#[derive(Debug)]
pub enum Saved<T, R> {
    Done(T),
    Refused(Vec<R>),
}
