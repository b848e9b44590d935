//! Shared set-up of the benchmarks: reading a fixture tenant into memory once, so that the
//! measured code never touches the disk.

use std::fs;
use std::path::{Path, PathBuf};

use grantscope_core::ingest::InputFile;

/// `fixtures/tenants/<name>` of this checkout.
#[must_use]
pub fn tenant_dir(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../fixtures/tenants")
        .join(name)
}

/// Every file under `dir` (hidden entries skipped), named by its path relative to `dir`, in
/// sorted order: the same inputs `grantscope inventory DIR` passes to the core.
///
/// # Panics
/// If the folder cannot be read: a benchmark without its data must not pass quietly.
#[must_use]
pub fn read_tree(dir: &Path) -> Vec<InputFile> {
    fn walk(dir: &Path, prefix: &str, out: &mut Vec<InputFile>) {
        let mut entries: Vec<_> = fs::read_dir(dir)
            .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
            .map(|e| e.expect("readable directory entry"))
            .collect();
        entries.sort_by_key(fs::DirEntry::file_name);
        for entry in entries {
            let name = entry.file_name().to_string_lossy().into_owned();
            if name.starts_with('.') {
                continue;
            }
            let path = entry.path();
            if path.is_dir() {
                walk(&path, &format!("{prefix}{name}/"), out);
            } else {
                let bytes = fs::read(&path)
                    .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
                out.push(InputFile::new(format!("{prefix}{name}"), bytes));
            }
        }
    }
    let mut out = Vec::new();
    walk(dir, "", &mut out);
    assert!(!out.is_empty(), "no files in {}", dir.display());
    out
}
