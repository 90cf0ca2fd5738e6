//! The unit picker of every form and filter, without JavaScript: a plain select when the
//! scope is small; otherwise the chosen unit, a search box and one level of the tree at
//! a time as radio buttons. Searching and drilling down submit the form with a button
//! (`unit_search`, `unit_parent`) that the handler treats as "show the form again with
//! these units", never as "save": everything typed comes back, nothing is stored. The
//! units come from `app::unit_picker`.

pub use crate::app::unit_picker::{
    Offered, PickerInput, SHOWN_UNITS, UnitPicker, offer, search_text,
};
use crate::web::forms::FieldErrors;

/// A form shown again after a picker search is no error; one with errors is.
pub fn form_status(browsing: bool, errors: &FieldErrors) -> actix_web::http::StatusCode {
    if browsing {
        actix_web::http::StatusCode::OK
    } else {
        errors.status()
    }
}
