#![no_main]
//! Arbitrary bytes as `IdentityGovernance/EntitlementManagement/AccessPackages/p1/AssignmentPolicies/x/x.json`: loading and checking never panics, hangs or overflows.

#[path = "common.rs"]
mod common;

use grantscope_core::ingest::InputFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::check(vec![InputFile::new(
        "IdentityGovernance/EntitlementManagement/AccessPackages/p1/AssignmentPolicies/x/x.json",
        data,
    )]);
});
