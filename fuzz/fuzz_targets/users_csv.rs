#![no_main]
//! Arbitrary bytes as `exportUsers.csv`: loading and checking never panics, hangs or overflows.

#[path = "common.rs"]
mod common;

use grantscope_core::ingest::InputFile;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    common::check(vec![InputFile::new("exportUsers.csv", data)]);
});
