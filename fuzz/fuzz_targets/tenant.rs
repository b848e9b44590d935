//! The Contoso fixture tenant (`fixtures/tenants/contoso`), loaded once per fuzzing process: the
//! context that lint inputs are resolved against and the report that waivers and baselines are
//! applied to, so that each input reaches the code behind the parser.

use std::sync::OnceLock;

use grantscope_core::config::Config;
use grantscope_core::findings::Report;
use grantscope_core::ingest::{InputFile, Limits, Loaded, load};

/// The fixture's analysis date (its grantscope.toml), so findings do not change with the clock.
pub fn as_of() -> chrono::NaiveDate {
    chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap_or_default()
}

/// The files of the tenant whose names start with one of `prefixes` (all: `&[""]`), loaded.
fn load_contoso(prefixes: &[&str]) -> Loaded {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../fixtures/tenants/contoso");
    let mut names: Vec<_> = std::fs::read_dir(dir)
        .expect("fixtures/tenants/contoso is readable")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .filter(|p| {
            let name = p.file_name().unwrap_or_default().to_string_lossy();
            prefixes.iter().any(|prefix| name.starts_with(prefix))
        })
        .collect();
    names.sort();
    let files = names.into_iter().map(|p| {
        let name = p
            .file_name()
            .unwrap_or_default()
            .to_string_lossy()
            .into_owned();
        InputFile::new(name, std::fs::read(&p).expect("a fixture file is readable"))
    });
    let loaded = load(files, &Limits::default());
    assert!(!loaded.report.has_errors(), "Contoso loads");
    loaded
}

/// The whole tenant.
#[allow(dead_code)]
pub fn contoso() -> &'static Loaded {
    static LOADED: OnceLock<Loaded> = OnceLock::new();
    LOADED.get_or_init(|| load_contoso(&[""]))
}

/// What lint resolves proposals against — the directory, the catalogs and packages with their
/// resources — without the assignments, requests, audit log and sign-ins, so that each input
/// is linted quickly (lint copies its context).
#[allow(dead_code)]
pub fn contoso_directory() -> &'static Loaded {
    static LOADED: OnceLock<Loaded> = OnceLock::new();
    LOADED.get_or_init(|| {
        load_contoso(&[
            "users",
            "groups",
            "groupMembers",
            "groupDirectMembers",
            "managers",
            "servicePrincipals",
            "connectedOrganizations",
            "catalogs",
            "catalogResources",
            "accessPackages",
            "assignmentPolicies",
        ])
    })
}

/// `grantscope check` of the tenant.
#[allow(dead_code)]
pub fn report() -> &'static Report {
    static REPORT: OnceLock<Report> = OnceLock::new();
    REPORT.get_or_init(|| {
        let report = grantscope_core::rules::run(contoso(), &Config::default(), as_of());
        assert!(!report.findings.is_empty(), "Contoso has findings");
        report
    })
}
