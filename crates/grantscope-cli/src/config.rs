//! Finding and reading `grantscope.toml` (ruff's `find_settings_toml`: walk up from the inputs,
//! then from the current folder).

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use grantscope_core::config::Config;

pub(crate) const CONFIG_FILE: &str = "grantscope.toml";

/// The first `grantscope.toml` in a PATH folder or its ancestors, then in the current folder or
/// its ancestors.
pub(crate) fn discover(paths: &[PathBuf]) -> Option<PathBuf> {
    let mut starts: Vec<PathBuf> = paths
        .iter()
        .map(|p| {
            if p.is_dir() {
                p.clone()
            } else {
                p.parent().map(Path::to_path_buf).unwrap_or_default()
            }
        })
        .collect();
    if let Ok(cwd) = std::env::current_dir() {
        starts.push(cwd);
    }
    for start in starts {
        let start = if start.as_os_str().is_empty() {
            PathBuf::from(".")
        } else {
            start
        };
        let absolute = std::fs::canonicalize(&start).unwrap_or(start);
        for dir in absolute.ancestors() {
            let candidate = dir.join(CONFIG_FILE);
            if candidate.is_file() {
                return Some(candidate);
            }
        }
    }
    None
}

/// Reads and validates a configuration file; errors name the file, line and key.
pub(crate) fn read(path: &Path) -> Result<Config> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the configuration file {}", path.display()))?;
    Config::from_toml(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
}
