//! The report contract: JSON Schema validity, determinism and fingerprint stability.

mod common;

use std::collections::BTreeSet;

use grantscope_core::findings::Report;
use grantscope_core::ingest::{InputFile, Limits, load};
use grantscope_core::rules::run;

fn contoso() -> std::path::PathBuf {
    common::fixtures().join("tenants/contoso")
}

fn check(files: Vec<InputFile>) -> Report {
    let dir = contoso();
    let config = common::config_of(&dir);
    let loaded = load(files, &Limits::default());
    run(&loaded, &config, common::as_of(&config))
}

fn fingerprints(r: &Report) -> BTreeSet<String> {
    r.findings.iter().map(|f| f.fingerprint.clone()).collect()
}

fn schema() -> jsonschema::Validator {
    let path = common::fixtures().join("../schemas/report.schema.json");
    let schema: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

fn assert_valid(report: &Report, what: &str) {
    let value = serde_json::to_value(report).unwrap();
    let validator = schema();
    let errors: Vec<String> = validator
        .iter_errors(&value)
        .map(|e| format!("{} at {}", e, e.instance_path))
        .collect();
    assert!(
        errors.is_empty(),
        "{what}: report does not match the schema:\n{}",
        errors.join("\n")
    );
}

#[test]
fn reports_validate_against_the_checked_in_schema() {
    let report = check(common::read_dir(&contoso()));
    assert!(!report.findings.is_empty());
    assert_valid(&report, "contoso");
    for form in ["contoso-beta", "contoso-entraexporter", "contoso-csv"] {
        let dir = common::fixtures().join("tenants").join(form);
        assert_valid(&check(common::read_dir(&dir)), form);
    }
    // A report with failed, skipped and expanded inputs, too.
    let mut files = common::read_dir(&common::fixtures().join("malformed/json"));
    files.extend(common::read_dir(&common::fixtures().join("malformed/zip")));
    assert_valid(&check(files), "malformed inputs");
}

#[test]
fn schema_rejects_a_broken_report() {
    let report = check(common::read_dir(&contoso()));
    let mut value = serde_json::to_value(&report).unwrap();
    value["findings"][0]["severity"] = serde_json::json!("catastrophic");
    assert!(!schema().is_valid(&value));
}

#[test]
fn output_is_byte_identical_for_identical_input() {
    let a = serde_json::to_string(&check(common::read_dir(&contoso()))).unwrap();
    let b = serde_json::to_string(&check(common::read_dir(&contoso()))).unwrap();
    assert_eq!(a, b);
}

#[test]
fn fingerprints_survive_file_order_and_renames() {
    let base = check(common::read_dir(&contoso()));
    let mut files = common::read_dir(&contoso());
    files.reverse();
    // Every file gets another folder and name, except the ones whose name carries meaning (the
    // recipe's groupMembers-<groupId>.json: that Graph response does not name its group).
    for (i, f) in files.iter_mut().enumerate() {
        let base = f.name.rsplit('/').next().unwrap_or(&f.name).to_owned();
        f.name = if base.starts_with("group") && base.contains("Members-") {
            format!("renamed/{base}")
        } else {
            format!("renamed/page-{i:03}.json")
        };
    }
    let moved = check(files);
    assert_eq!(fingerprints(&base), fingerprints(&moved));
}

#[test]
fn fingerprints_survive_display_name_changes() {
    let base = check(common::read_dir(&contoso()));
    let dir = contoso();
    let config = common::config_of(&dir);
    let mut loaded = load(common::read_dir(&dir), &Limits::default());
    for u in loaded.snapshot.users.values_mut() {
        u.display_name = u.display_name.as_ref().map(|n| format!("{n} (renamed)"));
    }
    for p in loaded.snapshot.access_packages.values_mut() {
        p.display_name = Some("Renamed package".to_owned());
    }
    for p in loaded.snapshot.policies.values_mut() {
        p.display_name = Some("Renamed policy".to_owned());
    }
    let renamed = run(&loaded, &config, common::as_of(&config));
    assert_eq!(fingerprints(&base), fingerprints(&renamed));
}

#[test]
fn unrelated_entities_do_not_change_fingerprints() {
    let base = check(common::read_dir(&contoso()));
    let dir = contoso();
    let config = common::config_of(&dir);
    let mut loaded = load(common::read_dir(&dir), &Limits::default());
    // A clean member user with a manager, and an unused group with a member.
    let manager = loaded
        .snapshot
        .users
        .values()
        .find(|u| !u.is_guest())
        .unwrap()
        .id
        .clone();
    let user = grantscope_core::model::User {
        id: "ffffffff-0000-0000-0000-00000000beef".into(),
        display_name: Some("New Hire".into()),
        user_type: Some(grantscope_core::model::UserType::Member),
        account_enabled: Some(true),
        manager_known: true,
        manager_id: Some(manager),
        ..Default::default()
    };
    loaded.snapshot.users.insert(user.id.clone(), user);
    let grown = run(&loaded, &config, common::as_of(&config));
    let before = fingerprints(&base);
    let after = fingerprints(&grown);
    assert!(
        before.is_subset(&after),
        "lost: {:?}",
        before.difference(&after).collect::<Vec<_>>()
    );
}
