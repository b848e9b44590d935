#![no_main]
//! Arbitrary bytes as a Terraform plan (`terraform show -json`, as `grantscope lint plan.json
//! --context contoso`): linting gives findings or a failed file, never a panic.

#[path = "tenant.rs"]
mod tenant;

use grantscope_core::config::Config;
use grantscope_core::ingest::InputFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let files = [InputFile::new("plan.json", data)];
    let report = grantscope_core::lint::lint(
        &files,
        Some(tenant::contoso()),
        &Config::default(),
        tenant::as_of(),
    );
    // The lint file is the first input, whatever became of it.
    assert_eq!(report.inputs.first().map(|f| f.name.as_str()), Some("plan.json"));
});
