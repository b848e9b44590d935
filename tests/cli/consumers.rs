//! grantscope's CI formats read by real consumers:
//!
//! - SARIF by Microsoft's SARIF validator (`@microsoft/sarif-multitool validate`, npm) with both
//!   its SARIF rules and its GitHub code-scanning ingestion rules (`--rule-kind Sarif;Gh`): no error
//!   and no warning is allowed;
//! - JUnit by `junitparser` (PyPI), over Python's strict XML parser (`tests/tools/junit_summary.py`);
//! - CSV by the `csv` crate's reader.
//!
//! The tools live in `tests/tools` and are installed by `scripts/test.sh`. A missing tool fails
//! the test (with the command that installs it): a consumer check that silently skips is no check.

use std::path::{Path, PathBuf};
use std::process::Command;

use grantscope_tests::{grantscope, workspace_root};

use crate::formats::{run, scratch};

const CONTOSO: &str = "fixtures/tenants/contoso";
const HOSTILE: &str = "tests/data/convert/hostile-report.json";

fn tools() -> PathBuf {
    workspace_root().join("tests/tools")
}

/// The SARIF multitool's executable, as `@microsoft/sarif-multitool` resolves it for this platform.
fn sarif_multitool() -> PathBuf {
    let package = tools().join("node_modules/@microsoft/sarif-multitool");
    assert!(
        package.is_dir(),
        "the SARIF validator is not installed: run `npm ci --prefix tests/tools` \
         (scripts/test.sh does), then `chmod u+x` its Sarif.Multitool as scripts/test.sh does"
    );
    let out = Command::new("node")
        .args(["-p", "require('@microsoft/sarif-multitool')"])
        .current_dir(tools())
        .output()
        .expect("node runs (it is needed for the SARIF validator)");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bin = PathBuf::from(String::from_utf8(out.stdout).unwrap().trim());
    assert!(bin.is_file(), "no SARIF multitool at {}", bin.display());
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt as _;
        let mode = std::fs::metadata(&bin).unwrap().permissions().mode();
        assert!(
            mode & 0o100 != 0,
            "{} is not executable (npm 11 does not run its install script): run \
             `chmod u+x {}` (scripts/test.sh does)",
            bin.display(),
            bin.display()
        );
    }
    bin
}

/// Runs the SARIF validator on a file and returns its findings as `(rule, level, message)`.
fn validate_sarif(file: &Path) -> Vec<(String, String, String)> {
    let log = file.with_extension("validation.sarif");
    let out = Command::new(sarif_multitool())
        .arg("validate")
        .arg(file)
        .args([
            "--rule-kind",
            "Sarif;Gh",
            "--log",
            "ForceOverwrite",
            "--output",
        ])
        .arg(&log)
        .output()
        .unwrap();
    let console = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(out.status.success(), "the validator failed:\n{console}");
    let validation: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&log).unwrap()).unwrap();
    // A file the validator could not read at all is reported as an error notification.
    let invocation = &validation["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], true, "{console}");
    validation["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap_or_default().to_owned(),
                // SARIF's default level is "warning".
                r["level"].as_str().unwrap_or("warning").to_owned(),
                r["message"].to_string(),
            )
        })
        .collect()
}

/// Fails unless the SARIF validator accepts `file` with no error and no warning.
pub(crate) fn assert_valid_sarif(file: &Path) {
    let problems: Vec<_> = validate_sarif(file)
        .into_iter()
        .filter(|(_, level, _)| level == "error" || level == "warning")
        .collect();
    assert!(
        problems.is_empty(),
        "the SARIF validator reports for {}:\n{problems:#?}",
        file.display()
    );
}

#[test]
fn sarif_validator_accepts_contoso() {
    let dir = scratch("sarif-contoso");
    let file = dir.join("contoso.sarif");
    let mut command = grantscope(["check", CONTOSO, "--format", "sarif", "--output"]);
    command.arg(&file);
    assert_eq!(run(command).0, 1);
    assert_valid_sarif(&file);
    // And it has what code scanning needs: a file and a line on every result, fingerprints,
    // and a documented rule for each.
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let run0 = &log["runs"][0];
    let rules = run0["tool"]["driver"]["rules"].as_array().unwrap();
    let results = run0["results"].as_array().unwrap();
    assert!(results.len() > 10);
    for r in results {
        let location = &r["locations"][0]["physicalLocation"];
        assert!(
            location["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
                .starts_with(CONTOSO)
        );
        assert!(location["region"]["startLine"].as_u64().unwrap() >= 1);
        assert_eq!(
            r["partialFingerprints"]["grantscopeFingerprint/v1"]
                .as_str()
                .unwrap()
                .len(),
            32
        );
        let rule = &rules[usize::try_from(r["ruleIndex"].as_u64().unwrap()).unwrap()];
        assert_eq!(rule["id"], r["ruleId"]);
        assert!(
            rule["help"]["markdown"]
                .as_str()
                .unwrap()
                .contains("## What it does")
        );
        assert_eq!(
            rule["helpUri"],
            format!(
                "https://grantscope.dev/rules/{}",
                r["ruleId"].as_str().unwrap()
            )
        );
    }
    let ids: Vec<&str> = rules.iter().map(|r| r["id"].as_str().unwrap()).collect();
    let mut sorted = ids.clone();
    sorted.sort_unstable();
    assert_eq!(ids, sorted, "rules[] is sorted by id");
}

#[test]
fn sarif_validator_accepts_load_errors_and_rules_not_evaluated() {
    let dir = scratch("sarif-notifications");
    // A file that fails to load (exit 2), and most rules not evaluated for lack of data.
    let file = dir.join("malformed.sarif");
    let mut command = grantscope([
        "check",
        "tests/data/malformed",
        "--as-of",
        "2026-11-01",
        "--format",
        "sarif",
        "--output",
    ]);
    command.arg(&file);
    assert_eq!(run(command).0, 2);
    assert_valid_sarif(&file);
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    // Hostile data, a rule turned off and a finding without a source, from a saved report.
    let file = dir.join("hostile.sarif");
    let mut command = grantscope(["convert", HOSTILE, "--format", "sarif", "--output"]);
    command.arg(&file);
    assert_eq!(run(command).0, 0);
    assert_valid_sarif(&file);
}

#[test]
fn the_validator_catches_invalid_sarif() {
    // The check above is only worth something if the validator complains about a bad log.
    let dir = scratch("sarif-invalid");
    let file = dir.join("bad.sarif");
    std::fs::write(
        &file,
        r#"{"version":"2.1.0","runs":[{"tool":{"driver":{"name":"x","rules":[{"id":"A"}]}},"results":[{"ruleId":"A","message":{"text":"m"}}]}]}"#,
    )
    .unwrap();
    let errors: Vec<String> = validate_sarif(&file)
        .into_iter()
        .filter(|(_, level, _)| level == "error")
        .map(|(rule, _, _)| rule)
        .collect();
    assert!(errors.iter().any(|r| r.starts_with("GH")), "{errors:?}");
}

/// What junitparser read from a JUnit file (see `tests/tools/junit_summary.py`).
pub(crate) fn parse_junit(file: &Path) -> serde_json::Value {
    let python = tools().join(".venv/bin/python");
    assert!(
        python.is_file(),
        "the JUnit parser is not installed: run `python3 -m venv tests/tools/.venv && \
         tests/tools/.venv/bin/pip install -r tests/tools/requirements.txt` (scripts/test.sh does)"
    );
    let out = Command::new(python)
        .arg(tools().join("junit_summary.py"))
        .arg(file)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "junitparser could not read {}:\n{}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn junit_parser_reads_contoso() {
    let dir = scratch("junit-contoso");
    let xml = dir.join("contoso.xml");
    let json = dir.join("contoso.json");
    let mut command = grantscope(["check", CONTOSO, "--format", "junit", "--output"]);
    command
        .arg(&xml)
        .arg("--output-format")
        .arg(format!("json={}", json.display()));
    assert_eq!(run(command).0, 1);
    let parsed = parse_junit(&xml);
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let coverage = report["coverage"].as_array().unwrap();
    let findings = report["findings"].as_array().unwrap();

    // One test case per rule, in one suite per category.
    assert_eq!(parsed["tests"], coverage.len());
    let cases: Vec<&serde_json::Value> = parsed["suites"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["cases"].as_array().unwrap())
        .collect();
    assert_eq!(cases.len(), coverage.len());
    let mut failures = 0;
    for rule in coverage {
        let id = rule["ruleId"].as_str().unwrap();
        let name = format!("{id} {}", rule["ruleName"].as_str().unwrap());
        let case = cases.iter().find(|c| c["name"] == name.as_str()).unwrap();
        assert_eq!(
            case["classname"],
            format!("grantscope.{}", rule["category"].as_str().unwrap())
        );
        let of_rule: Vec<_> = findings.iter().filter(|f| f["ruleId"] == id).collect();
        let results = case["results"].as_array().unwrap();
        if of_rule.is_empty() {
            assert!(
                results.is_empty() || results[0]["kind"] == "skipped",
                "{name}"
            );
        } else {
            failures += 1;
            assert_eq!(results.len(), 1, "{name}");
            assert_eq!(results[0]["kind"], "failure");
            // The failure lists every subject of the rule.
            let text = results[0]["text"].as_str().unwrap();
            for f in of_rule {
                assert!(text.contains(f["fingerprint"].as_str().unwrap()), "{name}");
                assert!(
                    text.contains(f["subject"]["id"].as_str().unwrap()),
                    "{name}"
                );
            }
        }
    }
    assert_eq!(parsed["failures"], failures);
    // The per-suite counts agree with the cases.
    for suite in parsed["suites"].as_array().unwrap() {
        let cases = suite["cases"].as_array().unwrap();
        let count = |kind: &str| {
            cases
                .iter()
                .filter(|c| {
                    c["results"]
                        .as_array()
                        .unwrap()
                        .iter()
                        .any(|r| r["kind"] == kind)
                })
                .count()
        };
        assert_eq!(suite["tests"], cases.len());
        assert_eq!(suite["failures"], count("failure"));
        assert_eq!(suite["skipped"], count("skipped"));
    }
}

#[test]
fn junit_parser_reads_hostile_names_as_text() {
    let dir = scratch("junit-hostile");
    let xml = dir.join("hostile.xml");
    let mut command = grantscope(["convert", HOSTILE, "--format", "junit", "--output"]);
    command.arg(&xml);
    assert_eq!(run(command).0, 0);
    let parsed = parse_junit(&xml);
    assert_eq!(
        (&parsed["tests"], &parsed["failures"], &parsed["skipped"]),
        (
            &serde_json::json!(5),
            &serde_json::json!(3),
            &serde_json::json!(2)
        )
    );
    let results: Vec<&serde_json::Value> = parsed["suites"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["cases"].as_array().unwrap())
        .flat_map(|c| c["results"].as_array().unwrap())
        .collect();
    let texts: String = results.iter().filter_map(|r| r["text"].as_str()).collect();
    // The markup arrives as text, exactly; controls and line breaks as visible escapes.
    assert!(texts.contains("user <script>alert(1)</script> (users.json:3)"));
    assert!(texts.contains("user \"><img src=x onerror=alert(1)> (users.json:13)"));
    assert!(texts.contains("user =HYPERLINK(\"http://x\")"));
    assert!(texts.contains("user \\u{1b}[2J (users.json:43)"));
    assert!(texts.contains("user a\\nb (users.json:53)"));
    let skipped: Vec<&str> = results
        .iter()
        .filter(|r| r["kind"] == "skipped")
        .map(|r| r["message"].as_str().unwrap())
        .collect();
    assert_eq!(
        skipped,
        [
            "not evaluated: needs <b>users</b> | *externalUserState*\\n& @team",
            "disabled: turned off in the configuration"
        ]
    );
}

#[test]
fn csv_reader_reads_one_row_per_finding() {
    let dir = scratch("csv-contoso");
    let csv_file = dir.join("contoso.csv");
    let json = dir.join("contoso.json");
    let mut command = grantscope(["check", CONTOSO, "--format", "csv", "--output"]);
    command
        .arg(&csv_file)
        .arg("--output-format")
        .arg(format!("json={}", json.display()));
    assert_eq!(run(command).0, 1);
    let report: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&json).unwrap()).unwrap();
    let findings = report["findings"].as_array().unwrap();

    let mut reader = csv::Reader::from_path(&csv_file).unwrap();
    assert_eq!(
        reader.headers().unwrap().iter().collect::<Vec<_>>(),
        [
            "severity",
            "ruleId",
            "ruleName",
            "category",
            "subjectKind",
            "subjectId",
            "subjectName",
            "file",
            "line",
            "message",
            "remediation",
            "fingerprint",
            "waived",
            "waiverReason",
            "waiverOwner",
            "waiverExpires",
            "baselined"
        ]
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), findings.len());
    for (row, f) in rows.iter().zip(findings) {
        assert_eq!(&row[0], f["severity"].as_str().unwrap());
        assert_eq!(&row[1], f["ruleId"].as_str().unwrap());
        assert_eq!(&row[5], f["subject"]["id"].as_str().unwrap());
        assert_eq!(
            &row[7],
            f["subject"]["source"]["file"].as_str().unwrap_or("")
        );
        assert_eq!(&row[9], f["message"].as_str().unwrap());
        assert_eq!(&row[11], f["fingerprint"].as_str().unwrap());
        assert_eq!((&row[12], &row[16]), ("false", "false"));
    }
}

#[test]
fn csv_reader_sees_no_formula_in_hostile_cells() {
    let (code, csv_text, _) = run(grantscope(["convert", HOSTILE, "--format", "csv"]));
    assert_eq!(code, 0);
    let mut reader = csv::Reader::from_reader(csv_text.as_bytes());
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), 7);
    for cell in rows.iter().flat_map(csv::StringRecord::iter) {
        assert!(
            !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
            "{cell:?}"
        );
    }
    let names: Vec<&str> = rows.iter().map(|r| &r[6]).collect();
    assert!(names.contains(&"'=HYPERLINK(\"http://x\")"));
    assert!(names.contains(&"'@SUM(1)"));
    assert!(
        names.contains(&"a\nb"),
        "a line break inside a quoted cell survives"
    );
}
