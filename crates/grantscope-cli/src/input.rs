//! Turning command-line paths into loaded exports: files as given, folders walked recursively in
//! sorted order, zip archives passed whole (the core expands them). The files are listed first;
//! then each worker thread reads the next file and parses it at once, so that no more than about
//! one file per thread is held as bytes.

use std::collections::BTreeMap;
use std::fs;
use std::io::Read as _;
use std::num::NonZeroUsize;
use std::path::{Component, Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Mutex, PoisonError, mpsc};

use anyhow::{Context, Result};
use grantscope_core::ingest::{self, FileOutcome, InputFile, Limits, Loaded, ParsedFile};

use crate::progress::Progress;

/// What listing the paths gave: the files to read, and notes for the user about what was left
/// out.
#[derive(Debug, Default)]
pub(crate) struct Plan {
    files: Vec<Planned>,
    pub(crate) notes: Vec<String>,
    /// The size of all files together (as listed; for progress).
    pub(crate) bytes: u64,
}

impl Plan {
    /// How many files were listed.
    pub(crate) fn len(&self) -> usize {
        self.files.len()
    }
}

/// What reading the paths gave: the files, and notes for the user about what was left out.
#[derive(Debug, Default)]
pub(crate) struct Inputs {
    pub(crate) files: Vec<InputFile>,
    pub(crate) notes: Vec<String>,
}

/// A file to read: its name in the report, where it is, and its size as listed.
#[derive(Debug)]
struct Planned {
    name: String,
    path: PathBuf,
    size: u64,
}

/// Lists every path. A path that does not exist or cannot be read is an error: the user named
/// it, so silently leaving it out would make the result look complete when it is not.
pub(crate) fn list_paths(paths: &[PathBuf]) -> Result<Plan> {
    let mut plan = Plan::default();
    for path in paths {
        let metadata =
            fs::metadata(path).with_context(|| format!("cannot read `{}`", path.display()))?;
        if metadata.is_dir() {
            let before = plan.files.len();
            walk(path, "", &mut plan.files, &mut plan.notes)?;
            if plan.files.len() == before {
                plan.notes
                    .push(format!("no files found in `{}`", path.display()));
            }
        } else {
            plan.files.push(Planned {
                name: display_name(path),
                path: path.clone(),
                size: metadata.len(),
            });
        }
    }
    plan.bytes = plan.files.iter().map(|p| p.size).sum();
    Ok(plan)
}

/// Reads every path into memory (for `lint`, whose inputs are small policy files).
pub(crate) fn read_paths(paths: &[PathBuf]) -> Result<Inputs> {
    let plan = list_paths(paths)?;
    let caps = read_caps(&plan.files, &Limits::DEFAULT);
    let mut files = Vec::with_capacity(plan.files.len());
    for (file, cap) in plan.files.into_iter().zip(caps) {
        let bytes = read_bounded(&file.path, cap)
            .with_context(|| format!("cannot read `{}`", file.path.display()))?;
        files.push(InputFile::new(file.name, bytes));
    }
    Ok(Inputs {
        files,
        notes: plan.notes,
    })
}

/// How much of each file to read, decided from the listed sizes before any is read: never more
/// than one byte beyond what ingestion accepts (the per-file limit, and what the files before it
/// leave of the limit of all files together). A larger file then fails in the core with the
/// limit's own message, and a 50 GB file costs no more memory than an accepted one. Only files
/// read whole count against the total, as in the core.
fn read_caps(files: &[Planned], limits: &Limits) -> Vec<u64> {
    let mut remaining = limits.max_total_bytes;
    files
        .iter()
        .map(|file| {
            let cap = limits.max_file_bytes.min(remaining);
            if file.size <= cap {
                remaining -= file.size;
            }
            cap
        })
        .collect()
}

/// Loads the listed files as `ingest::load` would load them all read into memory, byte for byte
/// the same result, but streamed and on every core: each worker thread reads the next file,
/// parses it and drops its bytes, while this thread puts the parts together in the listed order
/// as they arrive (the core itself stays single-threaded, for the browser). So at most about one
/// file per worker is held as bytes, and a parsed part is absorbed into the whole soon after it
/// is made. The first file (in listed order) that cannot be read is the error. A progress bar
/// counts the bytes parsed.
pub(crate) fn load_plan(plan: Plan, limits: &Limits, message: &str) -> Result<Loaded> {
    let listed = plan.bytes;
    let progress = Progress::bytes(plan.bytes, message);
    let caps = read_caps(&plan.files, limits);
    let threads = std::thread::available_parallelism()
        .map_or(1, NonZeroUsize::get)
        .min(plan.files.len())
        .max(1);
    let queue = Mutex::new(plan.files.into_iter().zip(caps).enumerate());
    let failed: Mutex<Option<(usize, anyhow::Error)>> = Mutex::new(None);
    let stop = AtomicBool::new(false);
    // Bounded: when this thread falls behind (it shares the cores with the workers), the workers
    // wait instead of piling parsed parts up.
    let (sender, parts) = mpsc::sync_channel::<(usize, ParsedFile)>(threads * 2);
    let work = |sender: mpsc::SyncSender<(usize, ParsedFile)>| {
        while !stop.load(Ordering::Relaxed) {
            let next = queue.lock().unwrap_or_else(PoisonError::into_inner).next();
            let Some((index, (file, cap))) = next else {
                break;
            };
            match read_bounded(&file.path, cap) {
                Ok(bytes) => {
                    let part = ingest::parse_file(InputFile::new(file.name, bytes), limits);
                    progress.inc(file.size);
                    if sender.send((index, part)).is_err() {
                        break;
                    }
                }
                Err(e) => {
                    // Files are handed out in order, so every earlier file was already taken:
                    // keeping the lowest index reports the first unreadable file, as reading
                    // them one by one would.
                    stop.store(true, Ordering::Relaxed);
                    let error = anyhow::Error::new(e)
                        .context(format!("cannot read `{}`", file.path.display()));
                    let mut slot = failed.lock().unwrap_or_else(PoisonError::into_inner);
                    if slot.as_ref().is_none_or(|(first, _)| index < *first) {
                        *slot = Some((index, error));
                    }
                }
            }
        }
    };
    let mut loaded = std::thread::scope(|scope| {
        for _ in 0..threads {
            let sender = sender.clone();
            scope.spawn(move || work(sender));
        }
        drop(sender);
        // Parts arrive in the order they were finished; hand them on in listed order. The
        // sequence ends when every worker is done (after an unreadable file, possibly early).
        let mut waiting: BTreeMap<usize, ParsedFile> = BTreeMap::new();
        let mut next = 0;
        let in_order = std::iter::from_fn(|| {
            loop {
                if let Some(part) = waiting.remove(&next) {
                    next += 1;
                    return Some(part);
                }
                let (index, part) = parts.recv().ok()?;
                waiting.insert(index, part);
            }
        });
        ingest::assemble(in_order, limits)
    });
    progress.finish();
    if let Some((_, error)) = failed.into_inner().unwrap_or_else(PoisonError::into_inner) {
        return Err(error);
    }
    name_the_option(&mut loaded, listed);
    Ok(loaded)
}

/// The core says which limit of all files together a file did not fit in; the CLI adds how to
/// raise it, with a size that holds the files as listed (zip archives count expanded, so they
/// may need more).
fn name_the_option(loaded: &mut Loaded, listed: u64) {
    const MIB: u64 = 1 << 20;
    const GIB: u64 = 1 << 30;
    let suggestion = if listed >= GIB {
        format!("{}GiB", listed.div_ceil(GIB))
    } else {
        format!("{}MiB", listed.div_ceil(MIB).max(1))
    };
    for file in &mut loaded.report.files {
        if let FileOutcome::Failed { error } = &mut file.outcome
            && error.message.starts_with("the file does not fit in the ")
            && error.message.contains("limit of all files together")
        {
            error.message.push_str(&format!(
                "; raise it with --max-input-size (e.g. --max-input-size {suggestion})"
            ));
        }
    }
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

/// Reads at most `cap` bytes of a file and one more (see [`read_caps`]).
/// The buffer is sized from the file's length, so that it does not grow to twice the file.
fn read_bounded(path: &Path, cap: u64) -> std::io::Result<Vec<u8>> {
    let file = fs::File::open(path)?;
    let limit = cap.saturating_add(1);
    let expected = file.metadata().map_or(0, |m| m.len()).min(limit);
    let mut bytes = Vec::with_capacity(usize::try_from(expected).unwrap_or(0));
    file.take(limit).read_to_end(&mut bytes)?;
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
