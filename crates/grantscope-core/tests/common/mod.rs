//! Helpers shared by the integration tests: reading fixture folders into in-memory files.

#![allow(dead_code)]

use std::path::{Path, PathBuf};

use grantscope_core::config::Config;
use grantscope_core::ingest::{InputFile, Limits, Loaded, load};

/// The repository's `fixtures/` folder.
pub(crate) fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../fixtures")
}

/// Every file under `dir`, named by its path relative to `dir` with `/` separators, sorted.
/// `grantscope.toml` and `README.md` are left out (they are not export data).
pub(crate) fn read_dir(dir: &Path) -> Vec<InputFile> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        let mut entries: Vec<_> = std::fs::read_dir(&d)
            .unwrap_or_else(|e| panic!("{}: {e}", d.display()))
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for p in entries {
            if p.is_dir() {
                stack.push(p);
            } else {
                let name = p
                    .strip_prefix(dir)
                    .unwrap()
                    .to_string_lossy()
                    .replace('\\', "/");
                if name == "grantscope.toml" || name.ends_with("README.md") || name.ends_with(".py")
                {
                    continue;
                }
                out.push(InputFile::new(name, std::fs::read(&p).unwrap()));
            }
        }
    }
    out.sort_by(|a, b| a.name.cmp(&b.name));
    out
}

/// Loads a fixture folder.
pub(crate) fn load_dir(dir: &Path) -> Loaded {
    load(read_dir(dir), &Limits::default())
}

/// The folder's `grantscope.toml`, or the default configuration.
pub(crate) fn config_of(dir: &Path) -> Config {
    let path = dir.join("grantscope.toml");
    match std::fs::read_to_string(&path) {
        Ok(text) => Config::from_toml(&text).unwrap_or_else(|e| panic!("{}: {e}", path.display())),
        Err(_) => Config::default(),
    }
}

/// The as-of date fixtures use unless their `grantscope.toml` says otherwise.
pub(crate) fn as_of(config: &Config) -> chrono::NaiveDate {
    config
        .as_of
        .unwrap_or_else(|| chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap())
}
