//! Turning command-line paths into in-memory [`InputFile`]s: files as given, folders walked
//! recursively in sorted order, zip archives passed whole (the core expands them). The files are
//! listed first and then read, with a progress bar on stderr when there is a lot to read.

use std::fs;
use std::io::Read as _;
use std::num::NonZeroUsize;
use std::path::{Component, Path, PathBuf};
use std::sync::{Mutex, PoisonError};

use anyhow::{Context, Result};
use grantscope_core::ingest::{self, InputFile, Limits, Loaded, ParsedFile};

use crate::progress::Progress;

/// What reading the paths gave: the files, and notes for the user about what was left out.
#[derive(Debug, Default)]
pub(crate) struct Inputs {
    pub(crate) files: Vec<InputFile>,
    pub(crate) notes: Vec<String>,
    /// The size of all files together (as listed; for progress).
    pub(crate) bytes: u64,
}

/// A file to read: its name in the report, where it is, and its size as listed.
struct Planned {
    name: String,
    path: PathBuf,
    size: u64,
}

/// Reads every path. A path that does not exist or cannot be read is an error: the user named
/// it, so silently leaving it out would make the result look complete when it is not.
pub(crate) fn read_paths(paths: &[PathBuf]) -> Result<Inputs> {
    let mut inputs = Inputs::default();
    let mut planned = Vec::new();
    for path in paths {
        let metadata =
            fs::metadata(path).with_context(|| format!("cannot read `{}`", path.display()))?;
        if metadata.is_dir() {
            let before = planned.len();
            walk(path, "", &mut planned, &mut inputs.notes)?;
            if planned.len() == before {
                inputs
                    .notes
                    .push(format!("no files found in `{}`", path.display()));
            }
        } else {
            planned.push(Planned {
                name: display_name(path),
                path: path.clone(),
                size: metadata.len(),
            });
        }
    }
    inputs.bytes = planned.iter().map(|p| p.size).sum();
    let progress = Progress::bytes(
        inputs.bytes,
        &format!(
            "reading {} {}",
            planned.len(),
            if planned.len() == 1 { "file" } else { "files" }
        ),
    );
    let mut remaining = Limits::DEFAULT.max_total_bytes;
    for file in planned {
        let bytes = read_bounded(&file.path, &mut remaining)
            .with_context(|| format!("cannot read `{}`", file.path.display()))?;
        progress.inc(file.size);
        inputs.files.push(InputFile::new(file.name, bytes));
    }
    progress.finish();
    Ok(inputs)
}

/// Loads the files as `ingest::load` does, byte for byte the same result, but parses them on
/// every core: each thread takes the next file, parses it and drops its bytes; the parts are then
/// put together in the original order (the core itself stays single-threaded, for the browser).
pub(crate) fn load_files(files: Vec<InputFile>, limits: &Limits) -> Loaded {
    let threads = std::thread::available_parallelism()
        .map_or(1, NonZeroUsize::get)
        .min(files.len());
    if threads <= 1 {
        return ingest::load(files, limits);
    }
    let count = files.len();
    let queue = Mutex::new(files.into_iter().enumerate());
    let done: Mutex<Vec<(usize, ParsedFile)>> = Mutex::new(Vec::with_capacity(count));
    std::thread::scope(|scope| {
        for _ in 0..threads {
            scope.spawn(|| {
                loop {
                    let next = queue.lock().unwrap_or_else(PoisonError::into_inner).next();
                    let Some((index, file)) = next else { break };
                    let part = ingest::parse_file(file, limits);
                    done.lock()
                        .unwrap_or_else(PoisonError::into_inner)
                        .push((index, part));
                }
            });
        }
    });
    let mut done = done.into_inner().unwrap_or_else(PoisonError::into_inner);
    done.sort_unstable_by_key(|(index, _)| *index);
    ingest::assemble(done.into_iter().map(|(_, part)| part), limits)
}

/// Walks `dir`, naming each file by its path relative to the folder the user gave (`prefix`),
/// with `/` separators, as EntraExporter path recognition expects.
fn walk(
    dir: &Path,
    prefix: &str,
    planned: &mut Vec<Planned>,
    notes: &mut Vec<String>,
) -> Result<()> {
    let entries = fs::read_dir(dir).with_context(|| format!("cannot read `{}`", dir.display()))?;
    let mut entries = entries
        .collect::<Result<Vec<_>, _>>()
        .with_context(|| format!("cannot read `{}`", dir.display()))?;
    entries.sort_by_key(fs::DirEntry::file_name);
    for entry in entries {
        let file_name = entry.file_name();
        let file_name = file_name.to_string_lossy();
        if file_name.starts_with('.') {
            continue;
        }
        let path = entry.path();
        let name = format!("{prefix}{file_name}");
        let file_type = entry
            .file_type()
            .with_context(|| format!("cannot read `{}`", path.display()))?;
        let is_dir = if file_type.is_symlink() {
            // Follow links to files; do not descend into linked folders (cycles).
            let target = fs::metadata(&path)
                .with_context(|| format!("cannot follow the link `{}`", path.display()))?;
            if target.is_dir() {
                notes.push(format!(
                    "skipped `{}`: symlinked folders are not followed",
                    path.display()
                ));
                continue;
            }
            false
        } else {
            file_type.is_dir()
        };
        if is_dir {
            walk(&path, &format!("{name}/"), planned, notes)?;
        } else {
            let size = fs::metadata(&path)
                .with_context(|| format!("cannot read `{}`", path.display()))?
                .len();
            planned.push(Planned { name, path, size });
        }
    }
    Ok(())
}

/// Reads a file, but never more than one byte beyond what ingestion accepts (the per-file limit,
/// and what is left of the limit of all files together): a larger file then fails in the core
/// with the limit's own message, and a 50 GB file costs no more memory than an accepted one.
/// Only files read whole count against `remaining`, as in the core.
fn read_bounded(path: &Path, remaining: &mut u64) -> std::io::Result<Vec<u8>> {
    let cap = Limits::DEFAULT.max_file_bytes.min(*remaining);
    let mut bytes = Vec::new();
    fs::File::open(path)?
        .take(cap.saturating_add(1))
        .read_to_end(&mut bytes)?;
    let size = u64::try_from(bytes.len()).unwrap_or(u64::MAX);
    if size <= cap {
        *remaining -= size;
    }
    Ok(bytes)
}

/// The name of a file given directly: its path as typed, without `./`, with `/` separators.
fn display_name(path: &Path) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut absolute = false;
    for component in path.components() {
        match component {
            Component::Prefix(prefix) => parts.push(prefix.as_os_str().to_string_lossy().into()),
            Component::RootDir => absolute = true,
            Component::CurDir => {}
            Component::ParentDir => parts.push("..".into()),
            Component::Normal(part) => parts.push(part.to_string_lossy().into()),
        }
    }
    let joined = parts.join("/");
    if absolute && !cfg!(windows) {
        format!("/{joined}")
    } else {
        joined
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_use_forward_slashes_without_dot() {
        assert_eq!(display_name(Path::new("./a/b.json")), "a/b.json");
        assert_eq!(display_name(Path::new("../x.zip")), "../x.zip");
        assert_eq!(display_name(Path::new("/tmp/x.json")), "/tmp/x.json");
        assert_eq!(display_name(Path::new("users.json")), "users.json");
    }

    #[test]
    fn walks_sorted_skipping_hidden() {
        let root = std::env::temp_dir().join(format!("grantscope-walk-{}", std::process::id()));
        let _ = fs::remove_dir_all(&root);
        for dir in ["b/inner", ".git", "a"] {
            fs::create_dir_all(root.join(dir)).unwrap();
        }
        for file in [
            "b/inner/z.json",
            "b/a.json",
            "a/y.json",
            ".git/HEAD",
            "c.json",
            ".hidden",
        ] {
            fs::write(root.join(file), "{}").unwrap();
        }
        let inputs = read_paths(std::slice::from_ref(&root)).unwrap();
        let names: Vec<&str> = inputs.files.iter().map(|f| f.name.as_str()).collect();
        assert_eq!(names, ["a/y.json", "b/a.json", "b/inner/z.json", "c.json"]);
        fs::remove_dir_all(&root).unwrap();
    }

    #[test]
    fn missing_path_is_an_error() {
        let err = read_paths(&[PathBuf::from("does/not/exist")]).unwrap_err();
        assert_eq!(err.to_string(), "cannot read `does/not/exist`");
    }
}
