//! `grantscope baseline` and `check --baseline`: recorded findings are shown as baselined and not
//! counted, only new findings fail the run, fixed ones are listed (and fail it under
//! --strict-baseline). Shown on variants of contoso.

use std::path::{Path, PathBuf};

use insta_cmd::assert_cmd_snapshot;

use crate::consumers::{assert_valid_sarif, parse_junit};
use crate::formats::run;
use crate::variants::{
    FINANCE_POLICY, NEW_GUEST, With, add_guest, contoso_copy, grantscope_in, remove_expiration,
    remove_incompatibility,
};

/// A scratch folder with a copy of contoso and `base.json`, the baseline of the unchanged copy.
fn recorded(test: &str) -> (PathBuf, PathBuf) {
    let (dir, tenant) = contoso_copy(test);
    let (code, stdout, stderr) = run(grantscope_in(
        &dir,
        ["baseline", "--output", "base.json", "contoso"],
    ));
    assert_eq!((code, stdout.as_str()), (0, ""), "{stderr}");
    (dir, tenant)
}

fn json(dir: &Path, args: &[&str]) -> (i32, serde_json::Value) {
    let (code, stdout, stderr) = run(grantscope_in(dir, args).with(&["--format", "json"]));
    assert!(!stdout.is_empty(), "{stderr}");
    (code, serde_json::from_str(&stdout).unwrap())
}

#[test]
fn baseline_records_every_finding_sorted() {
    let (dir, _) = contoso_copy("baseline-record");
    assert_cmd_snapshot!(grantscope_in(&dir, ["baseline", "-o", "base.json", "contoso"]), @r"
    success: true
    exit_code: 0
    ----- stdout -----

    ----- stderr -----
    wrote base.json: 59 findings recorded (as of 2026-11-01)
    ");
    let baseline: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.join("base.json")).unwrap()).unwrap();
    assert_eq!(baseline["schemaVersion"], "1");
    assert_eq!(baseline["asOf"], "2026-11-01");
    let entries = baseline["findings"].as_array().unwrap();
    let (_, report) = json(&dir, &["check", "contoso", "--exit-zero"]);
    assert_eq!(entries.len(), report["findings"].as_array().unwrap().len());
    let keys: Vec<(&str, &str)> = entries
        .iter()
        .map(|e| {
            assert_eq!(
                e.as_object().unwrap().keys().collect::<Vec<_>>(),
                ["fingerprint", "message", "ruleId", "severity", "subject"]
            );
            assert!(e["subject"].get("source").is_none(), "no line numbers");
            (
                e["ruleId"].as_str().unwrap(),
                e["fingerprint"].as_str().unwrap(),
            )
        })
        .collect();
    let mut sorted = keys.clone();
    sorted.sort_unstable();
    sorted.dedup();
    assert_eq!(
        keys, sorted,
        "sorted by rule id, then fingerprint, no duplicates"
    );

    // Recording again gives the same bytes.
    let first = std::fs::read(dir.join("base.json")).unwrap();
    assert_eq!(
        run(grantscope_in(
            &dir,
            ["baseline", "-o", "again.json", "contoso", "-q"]
        )),
        (0, String::new(), String::new())
    );
    assert_eq!(std::fs::read(dir.join("again.json")).unwrap(), first);
}

#[test]
fn the_unchanged_tenant_passes_its_baseline() {
    let (dir, _) = recorded("baseline-unchanged");
    let (code, stdout, stderr) = run(grantscope_in(
        &dir,
        ["check", "contoso", "--baseline", "base.json"],
    ));
    assert_eq!((code, stderr.as_str()), (0, ""));
    let tail: Vec<&str> = stdout.lines().rev().take(3).collect();
    assert_eq!(
        tail,
        [
            "Found 59 findings (3 critical, 19 high, 19 medium, 15 low, 3 info) · 59 baselined (not counted) · 35 rules evaluated, 0 not evaluated · as of 2026-11-01",
            "",
            "Baseline 59 entries: 0 new, 59 known, 0 fixed",
        ]
    );
    assert_eq!(
        stdout
            .lines()
            .filter(|l| l.starts_with("  - [baselined] "))
            .count(),
        59
    );
    // --strict-baseline has nothing to complain about.
    assert_eq!(
        run(grantscope_in(
            &dir,
            [
                "check",
                "contoso",
                "--baseline",
                "base.json",
                "--strict-baseline"
            ]
        ))
        .0,
        0
    );
}

#[test]
fn a_new_finding_fails_the_run_and_is_the_only_one_listed() {
    let (dir, tenant) = recorded("baseline-new-policy");
    remove_expiration(&tenant);
    let args = ["check", "contoso", "--baseline", "base.json"];
    let (code, stdout, stderr) = run(grantscope_in(&dir, args));
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        "error: 1 finding at or above `info` (--fail-on; 59 more waived or baselined, not counted); exiting with 1\n"
    );
    let section: Vec<&str> = stdout
        .lines()
        .skip_while(|l| !l.starts_with("Baseline "))
        .take_while(|l| !l.is_empty())
        .collect();
    assert_eq!(
        section,
        [
            "Baseline 59 entries: 1 new, 59 known, 0 fixed",
            "  new GS301 policy-without-expiration assignmentPolicy Finance may request (assignmentPolicies.json:251): Policy \"Finance may request\" of package \"Payments - Approve\" grants self-service access that never expires and no recurring review re-certifies it",
        ]
    );

    let (code, report) = json(&dir, &args);
    assert_eq!(code, 1);
    let new = report["baseline"]["new"].as_array().unwrap();
    assert_eq!(new.len(), 1);
    let finding = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["fingerprint"] == new[0])
        .unwrap();
    assert_eq!(finding["ruleId"], "GS301");
    assert!(
        finding["subject"]["id"]
            .as_str()
            .unwrap()
            .starts_with(FINANCE_POLICY)
    );
    assert_eq!(report["summary"]["baselined"], 59);
    assert_eq!(report["baseline"]["fixed"], serde_json::json!([]));

    // The SARIF log marks it new and the others unchanged (and suppressed).
    let (_, sarif, _) = run(grantscope_in(&dir, args).with(&["--format", "sarif"]));
    let sarif: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let new_results: Vec<&serde_json::Value> = results
        .iter()
        .filter(|r| r["baselineState"] == "new")
        .collect();
    assert_eq!(new_results.len(), 1);
    assert_eq!(new_results[0]["ruleId"], "GS301");
    assert!(new_results[0].get("suppressions").is_none());
    for r in results.iter().filter(|r| r["baselineState"] == "unchanged") {
        assert_eq!(r["suppressions"][0]["kind"], "external");
        assert_eq!(r["suppressions"][0]["status"], "accepted");
        assert_eq!(r["suppressions"][0]["properties"]["kind"], "baseline");
    }
}

#[test]
fn a_new_guest_is_new() {
    let (dir, tenant) = recorded("baseline-new-guest");
    add_guest(&tenant);
    let (code, report) = json(
        &dir,
        &[
            "check",
            "contoso",
            "--baseline",
            "base.json",
            "--fail-on",
            "medium",
        ],
    );
    assert_eq!(code, 1, "the never-signed-in guest is a medium GS501");
    let findings = report["findings"].as_array().unwrap();
    let new: Vec<String> = report["baseline"]["new"]
        .as_array()
        .unwrap()
        .iter()
        .map(|fp| {
            let f = findings.iter().find(|f| f["fingerprint"] == *fp).unwrap();
            assert_eq!(f["subject"]["id"], NEW_GUEST);
            format!(
                "{} {}",
                f["ruleId"].as_str().unwrap(),
                f["severity"].as_str().unwrap()
            )
        })
        .collect();
    assert_eq!(new, ["GS501 medium", "GS504 low"]);
    // Below the threshold, the new GS504 alone does not fail the run.
    assert_eq!(
        run(grantscope_in(
            &dir,
            [
                "check",
                "contoso",
                "--baseline",
                "base.json",
                "--fail-on",
                "high"
            ]
        ))
        .0,
        0
    );
}

#[test]
fn fixed_findings_are_listed_and_fail_a_strict_baseline() {
    let (dir, tenant) = recorded("baseline-fixed");
    remove_incompatibility(&tenant);
    let args = ["check", "contoso", "--baseline", "base.json"];
    let (code, stdout, stderr) = run(grantscope_in(&dir, args));
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert!(stdout.contains("Baseline 59 entries: 0 new, 58 known, 1 fixed\n  fixed GS401 user Noah Kim: User \"Noah Kim\" holds access packages \"Vendor Master Data\" and \"Procurement Portal\", which are marked as incompatible\n"), "{stdout}");

    assert_cmd_snapshot!(grantscope_in(&dir, args).args(["--strict-baseline", "--format", "github"]), @r#"
    success: false
    exit_code: 1
    ----- stdout -----
    ::notice title=GS401 fixed since the baseline::user Noah Kim: User "Noah Kim" holds access packages "Vendor Master Data" and "Procurement Portal", which are marked as incompatible
    ::notice title=grantscope::58 findings (2 critical, 19 high, 19 medium, 15 low, 3 info), 58 baselined (not annotated); baseline: 0 new, 1 fixed; 35 rules evaluated, 0 not evaluated; as of 2026-11-01

    ----- stderr -----
    error: 1 baseline entry is fixed (--strict-baseline): record the baseline again with `grantscope baseline`; exiting with 1
    "#);

    let (_, report) = json(&dir, &args);
    let fixed = report["baseline"]["fixed"].as_array().unwrap();
    assert_eq!(fixed.len(), 1);
    assert_eq!(fixed[0]["ruleId"], "GS401");
    assert_eq!(fixed[0]["subject"]["displayName"], "Noah Kim");

    // Markdown: a Baseline section with the fixed entries.
    let (_, markdown, _) = run(grantscope_in(&dir, args).with(&["--format", "markdown"]));
    assert!(markdown.contains("\n## Baseline\n\n59 entries in the baseline: **0 new**, 58 known (not counted), 1 fixed.\n\n### Fixed\n\n| Severity | Rule | Subject | Message |\n| --- | --- | --- | --- |\n| critical | GS401 | user Noah Kim | User \\\"Noah Kim\\\" holds"), "{markdown}");
    // --exit-zero wins over --strict-baseline.
    assert_eq!(
        run(grantscope_in(&dir, args).with(&["--strict-baseline", "--exit-zero"])).0,
        0
    );
}

#[test]
fn baselined_findings_in_junit_csv_and_markdown() {
    let (dir, tenant) = recorded("baseline-formats");
    remove_expiration(&tenant);
    let (code, _, _) = run(grantscope_in(
        &dir,
        [
            "check",
            "contoso",
            "--baseline",
            "base.json",
            "--output-format",
            "junit=r.xml",
            "--output-format",
            "csv=r.csv",
            "--output-format",
            "markdown=r.md",
            "--output-format",
            "sarif=r.sarif",
        ],
    ));
    assert_eq!(code, 1);
    // JUnit: only the new finding's rule fails.
    let junit = parse_junit(&dir.join("r.xml"));
    assert_eq!(junit["failures"], 1);
    let failing: Vec<&serde_json::Value> = junit["suites"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["cases"].as_array().unwrap())
        .filter(|c| !c["results"].as_array().unwrap().is_empty())
        .filter(|c| c["results"][0]["kind"] == "failure")
        .collect();
    assert_eq!(failing.len(), 1);
    assert_eq!(failing[0]["name"], "GS301 policy-without-expiration");
    assert_eq!(
        failing[0]["results"][0]["message"],
        "1 finding (1 medium); 2 baselined not counted"
    );
    assert!(
        failing[0]["systemOut"]
            .as_str()
            .unwrap()
            .starts_with("BASELINED: [high] assignmentPolicy Everyone in the directory")
    );
    // CSV: the baselined column.
    let mut reader = csv::Reader::from_path(dir.join("r.csv")).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.iter().filter(|r| &r[16] == "true").count(), 59);
    assert_eq!(rows.iter().filter(|r| &r[16] == "false").count(), 1);
    // Markdown: the new finding in its own table.
    let markdown = std::fs::read_to_string(dir.join("r.md")).unwrap();
    assert!(markdown.contains("**1 new**, 59 known (not counted), 0 fixed.\n\n### New\n\n| Severity | Rule | Subject | Message |\n| --- | --- | --- | --- |\n| medium | GS301 policy\\-without\\-expiration | assignmentPolicy Finance may request"));
    assert_eq!(markdown.matches("<br>*baselined* |").count(), 59);
    assert_valid_sarif(&dir.join("r.sarif"));
}

#[test]
fn unusable_baselines_are_errors() {
    let (dir, _) = recorded("baseline-errors");
    let (code, _, stderr) = run(grantscope_in(
        &dir,
        ["check", "contoso", "--baseline", "missing.json"],
    ));
    assert_eq!(code, 2);
    assert!(stderr.contains("Cause: cannot read the baseline file missing.json"));

    // A report is not a baseline.
    run(grantscope_in(
        &dir,
        [
            "check",
            "contoso",
            "--exit-zero",
            "--format",
            "json",
            "-o",
            "report.json",
        ],
    ));
    let (code, _, stderr) = run(grantscope_in(
        &dir,
        ["check", "contoso", "--baseline", "report.json"],
    ));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("Cause: report.json: line 8, column 10: not a grantscope baseline: at inputs: unknown field `inputs`, expected one of `schemaVersion`, `tool`, `asOf`, `findings`"),
        "{stderr}"
    );
    std::fs::write(dir.join("other.json"), "{\"schemaVersion\": \"2\"}").unwrap();
    let (code, _, stderr) = run(grantscope_in(
        &dir,
        ["check", "contoso", "--baseline", "other.json"],
    ));
    assert_eq!(code, 2);
    assert!(stderr.contains("baseline schemaVersion \"2\" is not supported"));

    // --strict-baseline needs --baseline.
    let (code, _, stderr) = run(grantscope_in(
        &dir,
        ["check", "contoso", "--strict-baseline"],
    ));
    assert_eq!(code, 2);
    assert!(stderr.contains("--baseline <FILE>"), "{stderr}");
}

#[test]
fn no_baseline_is_written_for_an_export_that_failed_to_load() {
    let (dir, _) = contoso_copy("baseline-load-error");
    std::fs::write(dir.join("contoso/broken.json"), "{\"value\": [").unwrap();
    let (code, stdout, stderr) = run(grantscope_in(
        &dir,
        ["baseline", "--output", "base.json", "contoso"],
    ));
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(stderr.contains("error: 1 of "), "{stderr}");
    assert!(!dir.join("base.json").exists());
}

#[test]
fn readme_commands() {
    // README "Waivers and baselines": record, then check in CI with annotations, SARIF and a job
    // summary; paths as in the README, with the export under exports/contoso.
    let (dir, tenant) = contoso_copy("baseline-readme");
    std::fs::create_dir_all(dir.join("exports")).unwrap();
    std::fs::rename(&tenant, dir.join("exports/contoso")).unwrap();
    let (code, _, stderr) = run(grantscope_in(
        &dir,
        [
            "baseline",
            "--output",
            "grantscope-baseline.json",
            "exports/contoso",
        ],
    ));
    assert_eq!(code, 0, "{stderr}");
    let (code, stdout, stderr) = run(grantscope_in(
        &dir,
        [
            "check",
            "exports/contoso",
            "--baseline",
            "grantscope-baseline.json",
            "--format",
            "github",
            "--output-format",
            "sarif=grantscope.sarif",
            "--output-format",
            "markdown=grantscope.md",
        ],
    ));
    assert_eq!(
        (code, stderr.as_str()),
        (0, ""),
        "nothing new: the job passes"
    );
    assert_eq!(
        stdout
            .lines()
            .filter(|l| !l.starts_with("::notice title=grantscope::"))
            .count(),
        0,
        "no annotation for baselined findings: {stdout}"
    );
    assert!(dir.join("grantscope.sarif").is_file());
    assert!(
        std::fs::read_to_string(dir.join("grantscope.md"))
            .unwrap()
            .contains("\n## Baseline\n")
    );
}
