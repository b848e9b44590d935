#![no_main]
//! Arbitrary text as grantscope.toml: parsing gives a config or an error, never a panic.

use grantscope_core::config::Config;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        let _ = Config::from_toml(text);
    }
});
