#![no_main]
//! Arbitrary bytes as a Terraform plan (`terraform show -json`, as `grantscope lint plan.json`):
//! linting gives findings or a failed file, never a panic.
//!
//! The first byte chooses the context: when its low three bits are 0, the proposals are resolved
//! against Contoso's directory (`--context`), else linted alone. Linting runs every rule over the
//! context, which makes a run some 15 times slower; one run in eight keeps that path fuzzed while
//! the parser, where the input's shape matters, gets most of the time.

#[path = "tenant.rs"]
mod tenant;

use grantscope_core::config::Config;
use grantscope_core::ingest::InputFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, body)) = data.split_first() else {
        return;
    };
    let context = (mode & 7 == 0).then(tenant::contoso_directory);
    let files = [InputFile::new("plan.json", body)];
    let report = grantscope_core::lint::lint(&files, context, &Config::default(), tenant::as_of());
    // The lint file is the first input, whatever became of it.
    assert_eq!(
        report.inputs.first().map(|f| f.name.as_str()),
        Some("plan.json")
    );
});
