//! Administration: the unit tree, the user accounts and the failed sign-ins (admins
//! only), and spreadsheet imports (admins; reviewers for their bloc's initiatives).

pub mod imports;
pub mod sign_ins;
pub mod units;
pub mod users;
