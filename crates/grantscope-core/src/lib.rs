//! grantscope core: the canonical model of an Entra ID entitlement-management export, its
//! ingestion from in-memory files, the access graph and the rules.
//!
//! This crate performs no I/O, reads no clock and spawns no threads, so it builds for
//! `wasm32-unknown-unknown` and gives byte-identical results for identical input.

// Exports are hostile input: library code never unwraps, expects or panics (tests may).
#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

pub mod baseline;
pub mod config;
pub mod dates;
pub mod diff;
pub mod findings;
pub mod graph;
pub mod ingest;
pub mod lint;
pub mod model;
pub mod order;
pub mod rules;
pub mod score;
mod toml_doc;
pub mod waivers;
