//! The rule catalog's consistency and every rule's fixtures.
//!
//! Layout: `fixtures/rules/<ID>-<name>/fire/<case>/` must produce at least one finding of that
//! rule; `fixtures/rules/<ID>-<name>/silent/<case>/` must produce none *and* evaluate the rule
//! (a rule that could not run proves nothing); `not-evaluated/<case>/` must make the engine report
//! the rule as not evaluated (missing data is never a pass). Each case is a small export in the recipe layout,
//! with an optional `grantscope.toml` (as-of defaults to 2026-11-01). Every case's findings of the
//! rule are snapshot-tested.

mod common;

use std::path::Path;

use grantscope_core::findings::{Category, CoverageStatus};
use grantscope_core::rules::{ALL_RULES, run};

fn rule_dir(id: &str, name: &str) -> std::path::PathBuf {
    common::fixtures()
        .join("rules")
        .join(format!("{id}-{name}"))
}

fn cases(dir: &Path) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .map(|it| {
            it.filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.is_dir())
                .collect()
        })
        .unwrap_or_default();
    v.sort();
    v
}

/// Every `src/rules/<category>/<rule>.rs` as `(category folder, file stem)`, sorted.
fn rule_files() -> Vec<(String, String)> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("src/rules");
    let mut out = Vec::new();
    for folder in cases(&root) {
        let category = folder.file_name().unwrap().to_string_lossy().to_string();
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.extension().is_some_and(|e| e == "rs") {
                let stem = path.file_stem().unwrap().to_string_lossy().to_string();
                out.push((category.clone(), stem));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn registry_is_consistent() {
    let mut ids: Vec<&str> = ALL_RULES.iter().map(|r| r.meta().id).collect();
    let n = ids.len();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), n, "duplicate rule ids");

    // One file per rule: `src/rules/<category>/<name>.rs`, with the category's and the rule's
    // kebab-case names in snake_case. Every rule file is registered, and every registered rule
    // lives in the folder of its category.
    let files = rule_files();
    assert!(!files.is_empty(), "no rule files found under src/rules/");
    let mut problems = Vec::new();
    for (folder, stem) in &files {
        if !Category::ALL
            .iter()
            .any(|c| c.as_str().replace('-', "_") == *folder)
        {
            problems.push(format!(
                "src/rules/{folder}/ is not the folder of any category"
            ));
        }
        match ALL_RULES
            .iter()
            .find(|r| r.meta().name.replace('-', "_") == *stem)
        {
            None => problems.push(format!(
                "src/rules/{folder}/{stem}.rs declares no registered rule (no rule is named `{}`); add it to the category's RULES",
                stem.replace('_', "-")
            )),
            Some(r) if r.meta().category.as_str().replace('-', "_") != *folder => {
                problems.push(format!(
                    "{} ({}) lives in src/rules/{folder}/ but its category is {}",
                    r.meta().id,
                    r.meta().name,
                    r.meta().category
                ));
            }
            Some(_) => {}
        }
    }
    for rule in ALL_RULES.iter() {
        let m = rule.meta();
        let file = (
            m.category.as_str().replace('-', "_"),
            m.name.replace('-', "_"),
        );
        if !files.contains(&file) {
            problems.push(format!(
                "{} ({}) has no file src/rules/{}/{}.rs",
                m.id, m.name, file.0, file.1
            ));
        }
    }
    assert!(problems.is_empty(), "\n{}", problems.join("\n"));
    for rule in ALL_RULES.iter().filter(|r| selected(r.meta().id)) {
        let m = rule.meta();
        assert!(
            m.id.len() == 5
                && m.id.starts_with("GS")
                && m.id[2..].chars().all(|c| c.is_ascii_digit()),
            "bad id {}",
            m.id
        );
        assert!(
            m.name.chars().all(|c| c.is_ascii_lowercase() || c == '-'),
            "{}: name must be kebab-case",
            m.id
        );
        for section in [
            "## What it does",
            "## Why is this risky?",
            "## Example",
            "## Remediation",
            "## References",
        ] {
            assert!(m.docs.contains(section), "{} docs lack `{section}`", m.id);
        }
        assert!(
            !m.summary.ends_with('.'),
            "{}: summary ends with a period",
            m.id
        );
        assert!(!m.remediation.is_empty(), "{}: no remediation", m.id);
        assert!(
            !rule.default_options().is_null(),
            "{}: options must serialise to an object",
            m.id
        );
        let dir = rule_dir(m.id, m.name);
        assert!(
            !cases(&dir.join("fire")).is_empty(),
            "{}: no fixtures under {}/fire",
            m.id,
            dir.display()
        );
        assert!(
            !cases(&dir.join("silent")).is_empty(),
            "{}: no fixtures under {}/silent",
            m.id,
            dir.display()
        );
    }
}

/// `GS_RULES=GS1,GS20` limits the fixture run to rules whose id starts with one of the prefixes
/// (handy while writing a rule); unset, every rule runs.
fn selected(id: &str) -> bool {
    match std::env::var("GS_RULES") {
        Ok(list) if !list.trim().is_empty() => list.split(',').any(|p| id.starts_with(p.trim())),
        _ => true,
    }
}

#[test]
fn every_rule_fires_and_stays_silent_on_its_fixtures() {
    let mut failures = Vec::new();
    for rule in ALL_RULES.iter().filter(|r| selected(r.meta().id)) {
        let m = rule.meta();
        let dir = rule_dir(m.id, m.name);
        for case in cases(&dir.join("not-evaluated")) {
            let loaded = common::load_dir(&case);
            let config = common::config_of(&case);
            let report = run(&loaded, &config, common::as_of(&config));
            let coverage = report.coverage.iter().find(|c| c.rule_id == m.id).unwrap();
            if coverage.status != CoverageStatus::NotEvaluated || coverage.reason.is_none() {
                failures.push(format!(
                    "{}: {} should be not evaluated, with a reason",
                    case.display(),
                    m.id
                ));
            }
        }
        for (expect_fire, sub) in [(true, "fire"), (false, "silent")] {
            for case in cases(&dir.join(sub)) {
                let loaded = common::load_dir(&case);
                for e in loaded.report.errors() {
                    failures.push(format!("{}: load error {e}", case.display()));
                }
                let config = common::config_of(&case);
                let report = run(&loaded, &config, common::as_of(&config));
                let coverage = report.coverage.iter().find(|c| c.rule_id == m.id).unwrap();
                let mine: Vec<_> = report
                    .findings
                    .iter()
                    .filter(|f| f.rule_id == m.id)
                    .collect();
                if coverage.status != CoverageStatus::Evaluated {
                    failures.push(format!(
                        "{}: {} not evaluated: {:?}",
                        case.display(),
                        m.id,
                        coverage.reason
                    ));
                } else if expect_fire && mine.is_empty() {
                    failures.push(format!("{}: {} did not fire", case.display(), m.id));
                } else if !expect_fire && !mine.is_empty() {
                    failures.push(format!(
                        "{}: {} fired: {}",
                        case.display(),
                        m.id,
                        mine[0].message
                    ));
                }
                for f in &mine {
                    if f.message.ends_with('.') {
                        failures.push(format!(
                            "{}: message ends with a period: {}",
                            case.display(),
                            f.message
                        ));
                    }
                }
                let case_name = case.file_name().unwrap().to_string_lossy().to_string();
                let mut settings = insta::Settings::clone_current();
                settings.set_snapshot_suffix(format!("{}-{sub}-{case_name}", m.id));
                settings.set_prepend_module_to_snapshot(false);
                settings.bind(|| insta::assert_json_snapshot!("rule", mine));
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}
