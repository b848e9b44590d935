//! Parsing files one by one (`parse_file`, as the CLI does on several threads) and putting them
//! together (`assemble`) gives exactly what `load` gives for the same files in the same order:
//! the same model, the same per-file verdicts, the same warnings — also when the limit of all
//! files together runs out part way, and for zips, malformed files and duplicates across files.

mod common;

use std::path::{Path, PathBuf};

use grantscope_core::ingest::{InputFile, Limits, assemble, load, parse_file};

fn sorted(dir: &Path) -> Vec<PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    v.sort();
    v
}

fn files_of(path: &Path) -> Vec<InputFile> {
    if path.is_dir() {
        common::read_dir(path)
    } else {
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        vec![InputFile::new(name, std::fs::read(path).unwrap())]
    }
}

fn assert_same(files: Vec<InputFile>, limits: &Limits, what: &str) {
    let sequential = load(files.clone(), limits);
    // Parsed in reverse order (as threads may finish), assembled in the given order.
    let mut parts: Vec<_> = files
        .into_iter()
        .rev()
        .map(|f| parse_file(f, limits))
        .collect();
    parts.reverse();
    let assembled = assemble(parts, limits);
    assert!(
        sequential == assembled,
        "{what}: assemble differs from load"
    );
}

#[test]
fn assembling_parsed_files_gives_what_loading_them_gives() {
    let fixtures = common::fixtures();
    let mut everything = Vec::new();
    for tenant in [
        "contoso",
        "contoso-beta",
        "contoso-csv",
        "contoso-entraexporter",
    ] {
        let files = common::read_dir(&fixtures.join("tenants").join(tenant));
        assert_same(files.clone(), &Limits::default(), tenant);
        everything.extend(files);
    }
    for kind in ["json", "csv", "zip"] {
        for entry in sorted(&fixtures.join("malformed").join(kind)) {
            let name = entry.display().to_string();
            if name.ends_with(".md") || name.ends_with(".py") {
                continue;
            }
            let files = files_of(&entry);
            assert_same(files.clone(), &Limits::default(), &name);
            everything.extend(files);
        }
    }
    // Every fixture at once (duplicates across tenants, conflicting copies), and with a limit of
    // all files together that runs out part way through, zips included.
    assert_same(everything.clone(), &Limits::default(), "everything");
    let total: u64 = everything.iter().map(|f| f.bytes.len() as u64).sum();
    for share in [3, 2] {
        let limits = Limits {
            max_total_bytes: total / share,
            ..Limits::default()
        };
        assert_same(everything.clone(), &limits, "everything, limited");
    }
}
