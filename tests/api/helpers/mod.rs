//! What the tests share: the harness (a database and a running application per test),
//! a browser-like client, readers for the pages it gets, the forms a browser sends, and
//! the hand-built fixture. Every test file takes them all with `use crate::helpers::*;`.

mod client;
mod fixture;
mod forms;
mod harness;
mod pages;

pub use client::*;
pub use fixture::*;
pub use forms::*;
pub use harness::*;
pub use pages::*;
