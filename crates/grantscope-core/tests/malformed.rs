//! Every input under `fixtures/malformed/` gives its expected outcome — an error naming the file,
//! the place and what was expected, or a warning — and nothing panics. Each entry (a file, or a
//! folder loaded as one export) is snapshot-tested: the snapshot is the load report.

mod common;

use std::path::Path;

use grantscope_core::ingest::{FileOutcome, InputFile, Limits, load};

fn entries(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let name = p.file_name().unwrap().to_string_lossy();
            !name.ends_with(".py") && !name.ends_with(".md")
        })
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

#[test]
fn malformed_inputs_give_their_expected_reports() {
    let root = common::fixtures().join("malformed");
    let mut seen = 0;
    for kind in ["json", "csv", "zip"] {
        for entry in entries(&root.join(kind)) {
            let loaded = load(files_of(&entry), &Limits::default());
            let name = format!("{kind}-{}", entry.file_name().unwrap().to_string_lossy());
            let mut settings = insta::Settings::clone_current();
            settings.set_snapshot_suffix(name);
            settings.set_prepend_module_to_snapshot(false);
            settings.bind(|| insta::assert_json_snapshot!("malformed", loaded.report));
            seen += 1;
        }
    }
    assert!(seen >= 30, "only {seen} malformed fixtures found");
}

#[test]
fn errors_name_file_place_and_expectation() {
    let root = common::fixtures().join("malformed/json");
    let cases = [
        ("truncated.json", "$.value[1]", "EOF while parsing"),
        (
            "wrong-type.json",
            "$.value[1].accountEnabled",
            "expected a boolean",
        ),
        ("trailing-comma.json", "$.value[0]", "trailing comma"),
        (
            "placeholder-timestamp.json",
            "$.value[0].createdDateTime",
            "ISO 8601",
        ),
        (
            "number-overflow.json",
            "$.value[0].durationInDays",
            "integer",
        ),
        (
            "deep-nesting.json",
            "$[0]",
            "nested more than 128 levels deep",
        ),
    ];
    for (file, path, expected) in cases {
        let loaded = load(files_of(&root.join(file)), &Limits::default());
        let err = loaded
            .report
            .errors()
            .next()
            .unwrap_or_else(|| panic!("{file}: no error"));
        assert_eq!(err.file, file);
        assert!(err.line > 0, "{file}: no line in {err}");
        assert!(
            err.path.as_deref().is_some_and(|p| p.starts_with(path)),
            "{file}: path {:?} does not start with {path}",
            err.path
        );
        assert!(
            err.message.contains(expected),
            "{file}: `{err}` lacks `{expected}`"
        );
    }
}

#[test]
fn a_bad_file_does_not_stop_the_others() {
    let root = common::fixtures().join("malformed/json");
    let mut files = files_of(&root.join("truncated.json"));
    files.extend(files_of(&root.join("identical-duplicates")));
    let loaded = load(files, &Limits::default());
    assert_eq!(loaded.report.errors().count(), 1);
    assert_eq!(loaded.snapshot.users.len(), 1);
}

/// Inputs too large to commit, built here: each limit gives its own error, and the files within
/// the limits still load.
#[test]
fn generated_inputs_hit_their_limits() {
    let users = |n: usize| {
        let items = vec!["{\"id\": \"u\"}"; n].join(",");
        format!(
            "{{\"@odata.context\": \"https://graph.microsoft.com/v1.0/$metadata#users\", \"value\": [{items}]}}"
        )
    };
    let limits = Limits {
        max_file_bytes: 2000,
        max_total_bytes: 3000,
        max_items_per_file: 50,
        ..Limits::default()
    };
    let files = vec![
        InputFile::new("a.json", users(50)),  // loads
        InputFile::new("b.json", users(51)),  // too many items
        InputFile::new("c.json", users(200)), // larger than a file may be
        InputFile::new("d.json", users(50)),  // loads
        InputFile::new("e.json", users(50)),  // loads
        InputFile::new("f.json", users(50)),  // does not fit in what is left of the total
        InputFile::new("g.json", users(1)),   // still fits
    ];
    let loaded = load(files, &limits);
    let errors: Vec<String> = loaded.report.errors().map(ToString::to_string).collect();
    assert_eq!(
        errors,
        [
            "b.json:1:693: at $.value: the file holds more than 50 items, the limit per file; \
             Graph returns at most 999 per response page: save one file per page",
            "c.json: the file is larger than the 2000 bytes limit per file",
            "f.json: the file does not fit in the 3000 bytes limit of all files together (260 bytes were left)",
        ]
    );
    let loaded_files = loaded
        .report
        .files
        .iter()
        .filter(|f| matches!(f.outcome, FileOutcome::Loaded { .. }))
        .count();
    assert_eq!(loaded_files, 4);

    // A 50 MiB string (a display name) loads, in linear time.
    let name = "Ä".repeat(25 * 1024 * 1024);
    let text = format!(
        "{{\"@odata.context\": \"https://graph.microsoft.com/v1.0/$metadata#users\", \"value\": [{{\"id\": \"u1\", \"displayName\": \"{name}\"}}, {{\"id\": \"u2\"}}]}}"
    );
    let loaded = load([InputFile::new("users.json", text)], &Limits::default());
    assert_eq!(loaded.report.errors().count(), 0);
    assert_eq!(
        loaded.snapshot.users["u1"]
            .display_name
            .as_deref()
            .map(str::len),
        Some(name.len())
    );
}
