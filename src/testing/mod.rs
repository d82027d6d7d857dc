//! Test support: writers of the formats loginfix reads, used by the unit tests, the
//! integration tests and the benchmark to build stores the way browsers write them. Built
//! only with the `test-support` feature (the test and bench builds enable it through the
//! crate's dev-dependency on itself), so no release binary carries them.

#![allow(clippy::disallowed_methods)]

pub mod binarycookies;
pub mod chromium;
pub mod firefox;
pub mod leveldb;
pub mod quota;
pub mod regf;
pub mod webkit_cache;
pub mod webkit_origin;
