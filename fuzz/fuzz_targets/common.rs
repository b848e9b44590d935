//! Shared by the targets: load the given files and run every rule, as `grantscope check` does.

use grantscope_core::config::Config;
use grantscope_core::ingest::{InputFile, Limits, load};
use grantscope_core::rules::run;

/// Small limits so that one input cannot make a run slow: the properties are the same.
pub fn limits() -> Limits {
    Limits {
        max_file_bytes: 4 * 1024 * 1024,
        max_total_bytes: 16 * 1024 * 1024,
        max_archive_entries: 256,
        max_archive_depth: 2,
        max_items_per_file: 10_000,
        // The rest as in the CLI, so that the depth and expansion checks are fuzzed as shipped.
        ..Limits::DEFAULT
    }
}

pub fn check(files: Vec<InputFile>) {
    let loaded = load(files, &limits());
    let as_of = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap_or_default();
    let report = run(&loaded, &Config::default(), as_of);
    // Every finding must be renderable as JSON: no NaN, no invalid state.
    assert!(report.findings.iter().all(|f| !f.fingerprint.is_empty()));
}
