//! What the tests share: the harness (a database and a running application per test),
//! a browser-like client, readers for the pages it gets, and the hand-built fixture.

mod harness;

pub use harness::*;
