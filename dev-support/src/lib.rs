//! What runs beside the server but is not the server: a throw-away PostgreSQL server
//! ([`private_postgres`]), the demo's data and loader ([`demo`]), the national-size
//! benchmark data set ([`bench_seed`]), and the `demo` and `bench-seed` commands that use
//! them ([`commands`]).
//!
//! The integration tests use this crate as a dev-dependency. The `lamtheobac` binary
//! compiles these same files in as its module `dev` when its default feature `dev` is
//! on (see src/main.rs): a Cargo dependency from the server's package on this crate
//! would be a cycle, since this crate depends on the server's library. Paths inside
//! this crate are therefore written relative (`super::`), never from `crate::`, and the
//! server is always reached as `lamtheobac::`.

pub mod bench_seed;
pub mod commands;
pub mod demo;
pub mod private_postgres;
