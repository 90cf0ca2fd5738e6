//! Administration: the unit tree, the user accounts and the failed sign-ins (admins
//! only), and spreadsheet imports (admins; reviewers for their bloc's initiatives).

pub mod imports;
pub mod sign_ins;
pub mod units;
pub mod users;

use actix_web::HttpResponse;
use actix_web::http::StatusCode;
use serde::Serialize;
use tera::{Context, Tera};

use crate::app::Saved;
use crate::error::AppError;
use crate::web::forms::{FieldErrors, busy_as_form_error};
use crate::web::render_status;

/// The shared end of a unit's or an account's write: what was saved, or the messages the
/// form comes back with, the use case's refusals (put beside their fields by `messages`)
/// or the busy database's. Any other failure stays an error.
fn saved<T, R>(
    written: Result<Saved<T, R>, AppError>,
    messages: fn(&[R]) -> FieldErrors,
) -> Result<Result<T, FieldErrors>, AppError> {
    Ok(match busy_as_form_error(written)? {
        Ok(Saved::Done(value)) => Ok(value),
        Ok(Saved::Refused(refusals)) => Err(messages(&refusals)),
        Err(busy) => Err(busy),
    })
}

/// A unit's or an account's form shown (again): `context` holds its pickers; `editing`
/// is the id edited, `None` on the new form; `status` says why it is shown (see
/// `web::unit_picker::form_status`).
fn render_form(
    tera: &Tera,
    mut context: Context,
    template: &str,
    status: StatusCode,
    form: &impl Serialize,
    errors: &FieldErrors,
    editing: Option<i32>,
) -> Result<HttpResponse, AppError> {
    context.insert("form", form);
    context.insert("errors", errors);
    context.insert("editing", &editing);
    render_status(tera, status, template, &context)
}
