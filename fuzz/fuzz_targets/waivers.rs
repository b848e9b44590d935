#![no_main]
//! Arbitrary text as a waivers file (`grantscope-waivers.toml`) or a baseline file
//! (`grantscope-baseline.json`), chosen by the first byte: parsing gives waivers, a baseline or an
//! error, never a panic; what parses is applied to Contoso's report, which must stay consistent.

#[path = "tenant.rs"]
mod tenant;

use grantscope_core::baseline::Baseline;
use grantscope_core::waivers;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&kind, rest)) = data.split_first() else {
        return;
    };
    let Ok(text) = std::str::from_utf8(rest) else {
        return;
    };
    let mut report = tenant::report().clone();
    let findings = report.findings.len();
    if kind % 2 == 0 {
        let Ok(waivers) = waivers::from_toml(text, "grantscope-waivers.toml") else {
            return;
        };
        waivers::apply(&mut report, &waivers, tenant::as_of());
        // Waivers suppress findings; they never add or remove one.
        assert_eq!(report.findings.len(), findings);
        assert_eq!(report.waivers.len(), waivers.len());
    } else {
        let Ok(baseline) = Baseline::from_json(text) else {
            return;
        };
        let partition = baseline.apply(&report);
        assert_eq!(partition.new.len() + partition.known.len(), findings);
        baseline.annotate(&mut report);
        assert_eq!(report.findings.len(), findings);
        // What was read can be written again.
        assert!(baseline.to_json().is_ok());
    }
});
