//! Waivers and the baseline on contoso and on variants of it: one policy's expiration removed (a
//! new GS301), a guest who never signed in added (a new GS501), an incompatibility removed (GS401
//! fixed). The variants are edited in memory with serde_json.

mod common;

use chrono::NaiveDate;
use grantscope_core::baseline::Baseline;
use grantscope_core::findings::{Report, SuppressionKind};
use grantscope_core::ingest::{InputFile, Limits, load};
use grantscope_core::rules::run;
use grantscope_core::waivers::{self, WaiverStatus};
use serde_json::{Value, json};

const FINANCE_POLICY: &str = "204549fa";
const GUEST: &str = "99999999-0000-4000-8000-000000000001";
/// Noah Kim's incompatible packages (GS401).
const VENDOR_MASTER_DATA: &str = "032cf5e8-809f-50cf-b7f5-c0b6428230b8";
const PROCUREMENT_PORTAL: &str = "620011e3-01d6-5583-9201-a4d278d1ded2";

fn contoso_files() -> Vec<InputFile> {
    common::read_dir(&common::fixtures().join("tenants/contoso"))
}

fn check(files: Vec<InputFile>) -> Report {
    let config = common::config_of(&common::fixtures().join("tenants/contoso"));
    run(
        &load(files, &Limits::default()),
        &config,
        common::as_of(&config),
    )
}

fn as_of() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 1).unwrap()
}

/// Edits the JSON of the file named `name`.
fn edit(files: &mut [InputFile], name: &str, f: impl FnOnce(&mut Value)) {
    let file = files.iter_mut().find(|f| f.name == name).unwrap();
    let mut value: Value = serde_json::from_slice(&file.bytes).unwrap();
    f(&mut value);
    file.bytes = serde_json::to_vec_pretty(&value).unwrap();
}

fn without_expiration() -> Vec<InputFile> {
    let mut files = contoso_files();
    edit(&mut files, "assignmentPolicies.json", |v| {
        let policy = v["value"]
            .as_array_mut()
            .unwrap()
            .iter_mut()
            .find(|p| p["id"].as_str().unwrap().starts_with(FINANCE_POLICY))
            .unwrap();
        policy["expiration"] =
            json!({ "type": "noExpiration", "duration": null, "endDateTime": null });
    });
    files
}

fn with_new_guest() -> Vec<InputFile> {
    let mut files = contoso_files();
    edit(&mut files, "users.json", |v| {
        v["value"].as_array_mut().unwrap().push(json!({
            "id": GUEST, "displayName": "Quinn Guest",
            "userPrincipalName": "quinn_tailspin.example#EXT#@contoso.onmicrosoft.com",
            "mail": "quinn@tailspin.example", "userType": "Guest", "accountEnabled": true,
            "createdDateTime": "2025-01-10T09:00:00Z", "creationType": "Invitation",
            "externalUserState": "Accepted", "externalUserStateChangeDateTime": "2025-01-11T09:00:00Z",
        }));
    });
    edit(&mut files, "signInActivity.json", |v| {
        v["value"].as_array_mut().unwrap().push(json!({
            "id": GUEST,
            "signInActivity": { "lastSignInDateTime": null, "lastNonInteractiveSignInDateTime": null,
                                "lastSuccessfulSignInDateTime": null },
        }));
    });
    files
}

fn without_incompatibility() -> Vec<InputFile> {
    let mut files = contoso_files();
    for package in [VENDOR_MASTER_DATA, PROCUREMENT_PORTAL] {
        edit(
            &mut files,
            &format!("incompatibleAccessPackages-{package}.json"),
            |v| v["value"] = json!([]),
        );
    }
    files
}

fn schema(name: &str) -> jsonschema::Validator {
    let path = common::fixtures().join("../schemas").join(name);
    let schema: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    jsonschema::validator_for(&schema).unwrap()
}

fn assert_valid(validator: &jsonschema::Validator, value: &Value, what: &str) {
    let errors: Vec<String> = validator
        .iter_errors(value)
        .map(|e| format!("{e} at {}", e.instance_path))
        .collect();
    assert!(errors.is_empty(), "{what}:\n{}", errors.join("\n"));
}

#[test]
fn the_variants_change_what_the_issue_says() {
    let base = check(contoso_files());
    let new = |r: &Report| -> Vec<String> {
        r.findings
            .iter()
            .filter(|f| !base.findings.iter().any(|b| b.fingerprint == f.fingerprint))
            .map(|f| format!("{} {}", f.rule_id, f.subject.id))
            .collect()
    };
    let policy = check(without_expiration());
    let added = new(&policy);
    assert_eq!(added.len(), 1, "{added:?}");
    assert!(added[0].starts_with(&format!("GS301 {FINANCE_POLICY}")));
    assert_eq!(
        new(&check(with_new_guest())),
        [format!("GS501 {GUEST}"), format!("GS504 {GUEST}")]
    );
    let fixed = check(without_incompatibility());
    assert!(new(&fixed).is_empty());
    let gone: Vec<&str> = base
        .findings
        .iter()
        .filter(|b| {
            !fixed
                .findings
                .iter()
                .any(|f| f.fingerprint == b.fingerprint)
        })
        .map(|f| f.rule_id.as_str())
        .collect();
    assert_eq!(gone, ["GS401"]);
}

#[test]
fn baseline_partitions_new_known_and_fixed() {
    let baseline = Baseline::from_report(&check(contoso_files()));

    let same = check(contoso_files());
    let p = baseline.apply(&same);
    assert!(p.new.is_empty() && p.fixed.is_empty() && p.unchecked.is_empty());
    assert_eq!(p.known.len(), same.findings.len());

    let variant = check(without_expiration());
    let p = baseline.apply(&variant);
    assert_eq!(p.new.len(), 1);
    assert_eq!(p.new[0].rule_id, "GS301");
    assert!(p.fixed.is_empty());

    let variant = check(without_incompatibility());
    let p = baseline.apply(&variant);
    assert!(p.new.is_empty());
    assert_eq!(
        p.fixed
            .iter()
            .map(|e| e.rule_id.as_str())
            .collect::<Vec<_>>(),
        ["GS401"]
    );
}

#[test]
fn annotated_reports_count_only_new_findings() {
    let baseline = Baseline::from_report(&check(contoso_files()));
    let mut report = check(with_new_guest());
    baseline.annotate(&mut report);
    let counted: Vec<&str> = report
        .counted_findings()
        .iter()
        .map(|f| f.rule_id.as_str())
        .collect();
    assert_eq!(counted, ["GS501", "GS504"]);
    assert_eq!(report.summary.baselined, report.findings.len() - 2);
    assert!(
        report
            .suppressions
            .iter()
            .all(|s| s.kind == SuppressionKind::Baseline)
    );
    let outcome = report.baseline.as_ref().unwrap();
    assert_eq!(outcome.new.len(), 2);
    assert_eq!(outcome.known, report.findings.len() - 2);
}

#[test]
fn waivers_by_fingerprint_and_by_rule_and_subject() {
    let mut report = check(contoso_files());
    let gs401 = report
        .findings
        .iter()
        .find(|f| f.rule_id == "GS401")
        .unwrap()
        .clone();
    let text = format!(
        r#"
[[waiver]]
fingerprint = "{}"
reason = "accepted by the CFO until the ERP migration"
owner = "cfo@contoso.example"
expires = 2027-01-31

[[waiver]]
rule = "self-approved-request"
subject = "d146b802-8705-5c52-b0d2-824fce6cd352"
reason = "break-glass administrator"
owner = "it-security@contoso.example"
expires = "2026-11-01"

[[waiver]]
rule = "GS204"
subject = "user:d4ef01cc-e82b-531b-8a25-b2fcad6c1f21"
reason = "expired exception"
owner = "hr@contoso.example"
expires = 2026-10-31

[[waiver]]
rule = "GS102"
subject = "assignmentPolicy:00000000-0000-0000-0000-000000000000"
reason = "the policy was deleted"
owner = "it@contoso.example"
expires = 2027-06-30
"#,
        gs401.fingerprint
    );
    let waivers = waivers::from_toml(&text, "grantscope-waivers.toml").unwrap();
    waivers::apply(&mut report, &waivers, as_of());

    let statuses: Vec<(WaiverStatus, usize)> = report
        .waivers
        .iter()
        .map(|w| (w.status, w.findings.len()))
        .collect();
    assert_eq!(
        statuses,
        [
            (WaiverStatus::Applied, 1),
            // Expires on the analysis date: still applies that day.
            (WaiverStatus::Applied, 1),
            (WaiverStatus::Expired, 1),
            (WaiverStatus::Stale, 0),
        ]
    );
    assert_eq!(report.summary.waived, 2);
    let waived = report.suppression(&gs401).unwrap();
    assert_eq!(waived.kind, SuppressionKind::Waiver);
    assert_eq!(waived.owner.as_deref(), Some("cfo@contoso.example"));
    assert_eq!(waived.source.as_ref().unwrap().line, 2);
    // Of the three critical findings, only the one with the expired waiver still counts.
    let critical: Vec<&str> = report
        .counted_findings()
        .iter()
        .filter(|f| f.severity == grantscope_core::findings::Severity::Critical)
        .map(|f| f.subject.id.as_str())
        .collect();
    assert_eq!(critical, ["d4ef01cc-e82b-531b-8a25-b2fcad6c1f21"]);
    // The findings stay in the report.
    assert_eq!(report.findings.len(), check(contoso_files()).findings.len());
}

#[test]
fn a_waiver_wins_over_the_baseline() {
    let baseline = Baseline::from_report(&check(contoso_files()));
    let mut report = check(contoso_files());
    baseline.annotate(&mut report);
    let text = "[[waiver]]\nrule = \"GS401\"\nsubject = \"user:3ef3d22e-3bc8-5a22-8915-b543bcef1ea9\"\nreason = \"r\"\nowner = \"o\"\nexpires = 2027-01-01\n";
    waivers::apply(
        &mut report,
        &waivers::from_toml(text, "w.toml").unwrap(),
        as_of(),
    );
    assert_eq!(report.summary.waived, 1);
    assert_eq!(report.summary.baselined, report.findings.len() - 1);
    assert_eq!(report.suppressions.len(), report.findings.len());
    // In report order, one per finding.
    for (s, f) in report.suppressions.iter().zip(&report.findings) {
        assert_eq!(s.fingerprint, f.fingerprint);
    }
}

#[test]
fn reports_with_waivers_and_a_baseline_match_the_schema() {
    let report_schema = schema("report.schema.json");
    let baseline = Baseline::from_report(&check(contoso_files()));
    assert_valid(
        &schema("baseline.schema.json"),
        &serde_json::to_value(&baseline).unwrap(),
        "baseline",
    );

    let mut report = check(without_incompatibility());
    let text = "[[waiver]]\nrule = \"GS501\"\nsubject = \"user:5dc2daee-70da-5f3c-b45b-a061edcc438a\"\nreason = \"auditor\"\nowner = \"o@x\"\nexpires = 2027-01-01\n\n[[waiver]]\nrule = \"GS502\"\nsubject = \"nobody\"\nreason = \"r\"\nowner = \"o\"\nexpires = 2026-01-01\n";
    waivers::apply(
        &mut report,
        &waivers::from_toml(text, "grantscope-waivers.toml").unwrap(),
        as_of(),
    );
    baseline.annotate(&mut report);
    let value = serde_json::to_value(&report).unwrap();
    assert_valid(&report_schema, &value, "waived and baselined report");
    assert_eq!(value["summary"]["waived"], 1);
    assert_eq!(value["baseline"]["fixed"][0]["ruleId"], "GS401");

    // Round trip: a saved report keeps its waivers and baseline (`grantscope convert`).
    let back: Report = serde_json::from_value(value.clone()).unwrap();
    assert_eq!(back, report);

    // A waiver suppression must say why, who and until when.
    let mut broken = value;
    let waiver = broken["suppressions"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|s| s["kind"] == "waiver")
        .unwrap();
    waiver.as_object_mut().unwrap().remove("reason");
    assert!(!report_schema.is_valid(&broken));

    // Without waivers or a baseline, the report has none of these keys.
    let plain = serde_json::to_value(check(contoso_files())).unwrap();
    for key in ["suppressions", "waivers", "baseline"] {
        assert!(plain.get(key).is_none(), "{key}");
    }
    assert!(plain["summary"].get("waived").is_none());
}
