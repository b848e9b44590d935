//! The output folder: response pages written atomically (a hidden temporary file renamed into
//! place, so a partial file never has a recipe name), the pages of a collection found again on
//! `--resume`, and stale pages removed.

use std::collections::BTreeSet;
use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde_json::Value;

/// The file name of page `page` (1-based) of a collection: `users.json`, `users.2.json`, ….
pub(crate) fn page_name(stem: &str, page: usize) -> String {
    if page <= 1 {
        format!("{stem}.json")
    } else {
        format!("{stem}.{page}.json")
    }
}

/// Whether `name` is a page of `stem` (`users.json`, `users.7.json`; not `usersX.json`).
fn is_page_of(name: &str, stem: &str) -> bool {
    let Some(rest) = name.strip_prefix(stem) else {
        return false;
    };
    if rest == ".json" {
        return true;
    }
    rest.strip_prefix('.')
        .and_then(|r| r.strip_suffix(".json"))
        .is_some_and(|n| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

/// The hidden temporary name a page is written under before it is renamed.
fn partial_name(name: &str) -> String {
    format!(".{name}.partial")
}

pub(crate) struct OutDir {
    root: PathBuf,
}

impl OutDir {
    /// Opens (creating it if needed) the output folder. Without `resume` it must be empty, so
    /// that no file of another collection is mixed into this one.
    pub(crate) fn open(root: &Path, resume: bool) -> Result<OutDir> {
        fs::create_dir_all(root)
            .with_context(|| format!("cannot create the output folder {}", root.display()))?;
        let dir = OutDir {
            root: root.to_path_buf(),
        };
        let names = dir.names()?;
        // Leftovers of an interrupted write are never complete.
        for name in names.iter().filter(|n| n.ends_with(".partial")) {
            fs::remove_file(root.join(name))
                .with_context(|| format!("cannot remove {}", root.join(name).display()))?;
        }
        let others: Vec<_> = names.iter().filter(|n| !n.ends_with(".partial")).collect();
        if !resume && !others.is_empty() {
            bail!(
                "the output folder {} is not empty: pass --resume to continue a collection \
                 there, or choose an empty folder",
                root.display()
            );
        }
        Ok(dir)
    }

    pub(crate) fn root(&self) -> &Path {
        &self.root
    }

    fn names(&self) -> Result<BTreeSet<String>> {
        let mut names = BTreeSet::new();
        let entries = fs::read_dir(&self.root)
            .with_context(|| format!("cannot list {}", self.root.display()))?;
        for entry in entries {
            let entry = entry.with_context(|| format!("cannot list {}", self.root.display()))?;
            if let Ok(name) = entry.file_name().into_string() {
                names.insert(name);
            }
        }
        Ok(names)
    }

    /// Writes a file atomically: a hidden temporary file, flushed to disk, then renamed.
    pub(crate) fn write(&self, name: &str, bytes: &[u8]) -> Result<()> {
        let partial = self.root.join(partial_name(name));
        let target = self.root.join(name);
        let write = || -> io::Result<()> {
            let mut file = fs::File::create(&partial)?;
            file.write_all(bytes)?;
            file.sync_all()?;
            drop(file);
            fs::rename(&partial, &target)
        };
        write().with_context(|| format!("cannot write {}", target.display()))
    }

    /// Removes every page of `stem` (before a collection is fetched again, and after one
    /// failed, so the folder never holds a partial collection).
    pub(crate) fn remove_pages(&self, stem: &str) -> Result<()> {
        for name in self.names()? {
            if is_page_of(&name, stem) {
                let path = self.root.join(&name);
                fs::remove_file(&path)
                    .with_context(|| format!("cannot remove {}", path.display()))?;
            }
        }
        Ok(())
    }

    /// The pages of `stem` when the collection on disk is complete: page 1 exists and every
    /// page with an `@odata.nextLink` is followed by the next one, all parsing as JSON. `None`
    /// when anything is missing or unreadable (the collection is fetched again).
    pub(crate) fn complete_pages(&self, stem: &str) -> Option<Vec<(String, Value)>> {
        let mut pages = Vec::new();
        for page in 1.. {
            let name = page_name(stem, page);
            let bytes = fs::read(self.root.join(&name)).ok()?;
            let value: Value = serde_json::from_slice(&bytes).ok()?;
            let more = value.get("@odata.nextLink").is_some_and(Value::is_string);
            pages.push((name, value));
            if !more {
                break;
            }
        }
        Some(pages)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn temp(name: &str) -> PathBuf {
        let dir =
            std::env::temp_dir().join(format!("grantscope-writer-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        dir
    }

    #[test]
    fn page_names_follow_the_recipe() {
        assert_eq!(page_name("users", 1), "users.json");
        assert_eq!(page_name("users", 2), "users.2.json");
        assert_eq!(page_name("groupMembers-g1", 3), "groupMembers-g1.3.json");
        assert!(is_page_of("users.json", "users"));
        assert!(is_page_of("users.12.json", "users"));
        assert!(!is_page_of("users.x.json", "users"));
        assert!(!is_page_of("usersX.json", "users"));
        assert!(!is_page_of("groupMembers-g1.json", "groupMembers-g"));
    }

    #[test]
    fn a_collection_is_complete_only_when_its_last_page_is_there() {
        let root = temp("chain");
        let dir = OutDir::open(&root, false).unwrap();
        dir.write("users.json", br#"{"value":[1],"@odata.nextLink":"x"}"#)
            .unwrap();
        assert!(dir.complete_pages("users").is_none());
        // A partial write of page 2 does not count.
        fs::write(root.join(".users.2.json.partial"), b"{\"val").unwrap();
        assert!(dir.complete_pages("users").is_none());
        dir.write("users.2.json", br#"{"value":[2]}"#).unwrap();
        let pages = dir.complete_pages("users").unwrap();
        assert_eq!(pages.len(), 2);
        assert_eq!(pages[1].0, "users.2.json");
        // Reopening removes the leftover and needs --resume.
        assert!(OutDir::open(&root, false).is_err());
        let dir = OutDir::open(&root, true).unwrap();
        assert!(!root.join(".users.2.json.partial").exists());
        dir.remove_pages("users").unwrap();
        assert!(dir.names().unwrap().is_empty());
        fs::remove_dir_all(root).unwrap();
    }
}
