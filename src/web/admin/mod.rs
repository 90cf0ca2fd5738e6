//! Administration: the unit tree and the user accounts (admins only), and spreadsheet
//! imports (admins; reviewers for their bloc's initiatives).

pub mod imports;
pub mod units;
pub mod users;
