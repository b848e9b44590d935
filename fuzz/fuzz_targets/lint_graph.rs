#![no_main]
//! Arbitrary bytes as a Graph request body for an assignment policy (`grantscope lint
//! policy.json --context contoso`): linting gives findings or a failed file, never a panic.

#[path = "tenant.rs"]
mod tenant;

use grantscope_core::config::Config;
use grantscope_core::ingest::InputFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let files = [InputFile::new("policy.json", data)];
    let report = grantscope_core::lint::lint(
        &files,
        Some(tenant::contoso()),
        &Config::default(),
        tenant::as_of(),
    );
    // The lint file is the first input, whatever became of it.
    assert_eq!(report.inputs.first().map(|f| f.name.as_str()), Some("policy.json"));
});
