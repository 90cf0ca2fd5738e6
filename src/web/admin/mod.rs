//! Administration: the unit tree and the user accounts (admins only).

pub mod units;
pub mod users;
