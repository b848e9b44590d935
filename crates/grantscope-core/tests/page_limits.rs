//! The browser page checks the sizes of what is dropped before reading a byte
//! (`www/src/files.ts`, `LIMITS`): its limits per file and in all must be the CLI's, and its own
//! budget the one the wasm module enforces after decompression (`PAGE_LIMITS`).

use grantscope_core::ingest::Limits;

/// `NAME: N * MiB,` in the page's `LIMITS`, in bytes.
fn page_limit(source: &str, name: &str) -> u64 {
    let start = source
        .find("export const LIMITS = {")
        .expect("files.ts has LIMITS");
    let line = source[start..]
        .lines()
        .find_map(|l| l.trim().strip_prefix(&format!("{name}:")))
        .unwrap_or_else(|| panic!("LIMITS has no {name}"));
    let mib: u64 = line
        .trim()
        .strip_suffix("* MiB,")
        .unwrap_or_else(|| panic!("{name} is not `N * MiB,`: {line}"))
        .trim()
        .parse()
        .unwrap_or_else(|e| panic!("{name}: {e}"));
    mib * 1024 * 1024
}

#[test]
fn the_page_checks_the_cli_limits() {
    let source = include_str!("../../../www/src/files.ts");
    assert_eq!(
        page_limit(source, "fileBytes"),
        Limits::DEFAULT.max_file_bytes
    );
    assert_eq!(
        page_limit(source, "totalBytes"),
        Limits::DEFAULT.max_total_bytes
    );
    // The page's own budget is below the CLI's: the tab holds more than one copy.
    let page = page_limit(source, "pageBytes");
    assert!(page > 0 && page < Limits::DEFAULT.max_total_bytes);
    let wasm = include_str!("../../grantscope-wasm/src/lib.rs");
    let start = wasm
        .find("const PAGE_LIMITS: Limits = Limits {")
        .expect("grantscope-wasm has PAGE_LIMITS");
    let total = wasm[start..]
        .lines()
        .find_map(|l| l.trim().strip_prefix("max_total_bytes:"))
        .expect("PAGE_LIMITS sets max_total_bytes");
    assert_eq!(
        total.trim(),
        format!("{} * 1024 * 1024,", page / 1024 / 1024),
        "PAGE_LIMITS.max_total_bytes"
    );
}
