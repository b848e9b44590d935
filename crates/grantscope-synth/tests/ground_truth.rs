//! Ground truth: grantscope finds every problem the generator planted (recall 100%) and nothing
//! else but the documented background (precision 100%), with every rule evaluated.
//!
//! Tier S always runs. Tier M runs in release builds (`cargo test --release -p grantscope-synth`,
//! about 10 s); debug builds run a 2,000-user tenant instead, which exercises the same plants
//! at the same rates. `GRANTSCOPE_SYNTH_M=1` forces the real M in debug too.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use grantscope_core::config::Config;
use grantscope_core::findings::CoverageStatus;
use grantscope_core::ingest::{FileOutcome, InputFile, Limits, load};
use grantscope_core::rules::run;
use grantscope_synth::{Format, Manifest, RULES, Spec, Tier, generate};

fn out_dir(name: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR"))
        .join("synth-ground-truth")
        .join(name);
    if dir.exists() {
        std::fs::remove_dir_all(&dir).unwrap();
    }
    dir
}

pub fn read_dir(dir: &Path) -> Vec<InputFile> {
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    names.sort();
    names
        .into_iter()
        .filter(|p| p.is_file())
        .map(|p| {
            InputFile::new(
                p.file_name().unwrap().to_string_lossy().into_owned(),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect()
}

fn check(spec: &Spec, tier: Option<Tier>, name: &str) -> Manifest {
    let dir = out_dir(name);
    let manifest = generate(spec, tier, Format::Recipe, &dir).unwrap();
    let loaded = load(read_dir(&dir), &Limits::default());
    let failed: Vec<_> = loaded
        .report
        .files
        .iter()
        .filter(|f| matches!(f.outcome, FileOutcome::Failed { .. }))
        .collect();
    assert!(failed.is_empty(), "files that did not load: {failed:#?}");
    assert!(
        loaded.report.warnings.is_empty(),
        "load warnings: {:#?}",
        &loaded.report.warnings[..loaded.report.warnings.len().min(20)]
    );

    let config = Config::from_toml(&manifest.config).unwrap();
    let report = run(&loaded, &config, config.as_of.unwrap());
    let not_evaluated: Vec<_> = report
        .coverage
        .iter()
        .filter(|c| c.status != CoverageStatus::Evaluated)
        .map(|c| format!("{} {:?} {:?}", c.rule_id, c.status, c.reason))
        .collect();
    assert!(
        not_evaluated.is_empty(),
        "rules not evaluated: {not_evaluated:#?}"
    );

    let mut found: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for f in &report.findings {
        found
            .entry(f.rule_id.clone())
            .or_default()
            .insert(f.subject.id.clone());
    }
    let allowed = manifest.allowed();
    let mut missed = Vec::new();
    let mut unexpected = Vec::new();
    for rule in RULES {
        let planted = manifest.planted.get(rule).cloned().unwrap_or_default();
        if planted.is_empty() {
            missed.push(format!("{rule}: nothing planted"));
        }
        let got = found.get(rule).cloned().unwrap_or_default();
        for s in &planted {
            if !got.contains(s) {
                missed.push(format!("{rule} {s}"));
            }
        }
        let ok: BTreeSet<&String> = allowed
            .get(rule)
            .map(|v| v.iter().collect())
            .unwrap_or_default();
        for s in &got {
            if !ok.contains(s) {
                let f = report
                    .findings
                    .iter()
                    .find(|f| f.rule_id == rule && &f.subject.id == s)
                    .unwrap();
                unexpected.push(format!("{rule} {s}: {}", f.message));
            }
        }
    }
    assert!(
        missed.is_empty() && unexpected.is_empty(),
        "recall: {} planted findings missed:\n{}\nprecision: {} unexpected findings:\n{}",
        missed.len(),
        missed.join("\n"),
        unexpected.len(),
        unexpected
            .iter()
            .take(60)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    let background: usize = manifest.background.values().map(|b| b.subjects.len()).sum();
    let planted: usize = manifest.planted.values().map(Vec::len).sum();
    assert!(
        background * 10 <= planted,
        "background ({background}) must stay small next to the plants ({planted})"
    );
    manifest
}

#[test]
fn tier_s_findings_are_exactly_the_plants() {
    let m = check(&Spec::tier(Tier::S, 7), Some(Tier::S), "S-7");
    assert_eq!(m.counts.users, 300);
}

#[test]
fn another_seed_too() {
    check(&Spec::tier(Tier::S, 11), Some(Tier::S), "S-11");
}

#[test]
fn tier_m_findings_are_exactly_the_plants() {
    let full = !cfg!(debug_assertions) || std::env::var_os("GRANTSCOPE_SYNTH_M").is_some();
    if full {
        let m = check(&Spec::tier(Tier::M, 7), Some(Tier::M), "M-7");
        assert_eq!(m.counts.users, 10_000);
        assert_eq!(m.counts.audit_events, 100_000);
    } else {
        check(&Spec::custom(2_000, 7), None, "2000u-7");
    }
}
