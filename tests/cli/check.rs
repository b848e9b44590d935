//! `grantscope check`, `rules` and `explain`: formats, exit codes 0/1/2, configuration errors.

use grantscope_tests::grantscope;
use insta_cmd::assert_cmd_snapshot;

fn code(args: &[&str]) -> i32 {
    grantscope(args).output().unwrap().status.code().unwrap()
}

#[test]
fn contoso_exits_1_with_findings_and_0_with_exit_zero() {
    assert_eq!(code(&["check", "fixtures/tenants/contoso"]), 1);
    assert_eq!(
        code(&["check", "fixtures/tenants/contoso", "--exit-zero"]),
        0
    );
}

#[test]
fn fail_on_sets_the_threshold() {
    // contoso's config says fail-on = high; it has critical findings (GS204, GS401).
    assert_eq!(
        code(&["check", "fixtures/tenants/contoso", "--fail-on", "critical"]),
        1
    );
    // A clean export passes any threshold.
    assert_eq!(
        code(&["check", "tests/data/check/clean", "--as-of", "2026-11-01"]),
        0
    );
}

#[test]
fn json_output_is_the_versioned_report() {
    let out = grantscope(["check", "fixtures/tenants/contoso", "--format", "json"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["schemaVersion"], "1");
    assert_eq!(report["asOf"], "2026-11-01");
    assert!(report["findings"].as_array().unwrap().len() > 10);
}

#[test]
fn output_file_is_written() {
    let dir = std::env::temp_dir().join(format!("grantscope-cli-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("report.json");
    let status = grantscope([
        "check",
        "fixtures/tenants/contoso",
        "--format",
        "json",
        "--exit-zero",
        "--output",
    ])
    .arg(&file)
    .output()
    .unwrap();
    assert!(status.status.success());
    assert!(status.stdout.is_empty());
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
    assert_eq!(written["tool"]["name"], "grantscope");
    std::fs::remove_dir_all(dir).ok();
}

#[test]
fn bad_date_exits_2() {
    assert_cmd_snapshot!(grantscope(["check", "tests/data/check/clean", "--as-of", "01/11/2026"]), @r"
    success: false
    exit_code: 2
    ----- stdout -----

    ----- stderr -----
    grantscope failed
      Cause: invalid --as-of `01/11/2026`: expected a date such as 2026-11-01
      Cause: input contains invalid characters
    ");
}

#[test]
fn unknown_config_key_names_the_nearest_valid_one() {
    let out = grantscope(["check", "tests/data/check/typo-config"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(
        err.contains(
            "grantscope.toml: line 2, column 1: unknown key `fail_on`; did you mean `fail-on`?"
        ),
        "{err}"
    );
}

#[test]
fn unknown_rule_option_names_the_nearest_valid_one() {
    let out = grantscope(["check", "tests/data/check/bad-config"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("[rules.stale-guest.options]: unknown key `max-inactive-dayz`; did you mean `max-inactive-days`?"), "{err}");
}

#[test]
fn load_errors_exit_2() {
    assert_eq!(
        code(&["check", "tests/data/malformed", "--as-of", "2026-11-01"]),
        2
    );
}

#[test]
fn rules_lists_every_rule() {
    let out = grantscope(["rules", "--format", "json"]).output().unwrap();
    let rules: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(rules.as_array().unwrap().len(), 35);
}

#[test]
fn explain_prints_the_rule_docs() {
    let out = grantscope(["explain", "guest-lifecycle-disabled"])
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(text.starts_with("# GS503 guest-lifecycle-disabled"));
    assert!(text.contains("## Remediation"));
    let out = grantscope(["explain", "stale-gest"]).output().unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8(out.stderr)
            .unwrap()
            .contains("did you mean `stale-guest`?")
    );
}

#[test]
fn contoso_text_report() {
    assert_cmd_snapshot!(grantscope(["check", "fixtures/tenants/contoso"]));
}

#[test]
fn entraexporter_text_lists_the_rules_that_could_not_run() {
    assert_cmd_snapshot!(grantscope([
        "check",
        "fixtures/tenants/contoso-entraexporter",
        "--fail-on",
        "critical"
    ]));
}

#[test]
fn max_input_size_trips_on_a_small_limit_and_names_the_option() {
    // contoso is about 720 KB; 100 KB holds its first files (in sorted order), not the rest.
    let out = grantscope([
        "check",
        "fixtures/tenants/contoso",
        "--format",
        "json",
        "--max-input-size",
        "100KB",
    ])
    .output()
    .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    // README.md (skipped, but counted) and accessPackages.json fit; the next file does not.
    assert!(
        stderr.contains(
            "assignmentPolicies.json: the file does not fit in the 100000 bytes limit of all \
             files together (22454 bytes were left); raise it with --max-input-size (e.g. \
             --max-input-size 1MiB)"
        ),
        "{stderr}"
    );
    // The files that fitted were loaded; the report of them is still printed.
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let inputs = report["inputs"].as_array().unwrap();
    let loaded = inputs.iter().filter(|i| i["status"] == "loaded").count();
    let failed = inputs.iter().filter(|i| i["status"] == "failed").count();
    assert!(loaded > 0 && failed > 0, "{inputs:?}");
}

#[test]
fn max_input_size_above_the_export_loads_all_of_it() {
    let run = |extra: &[&str]| {
        let mut args = vec!["check", "fixtures/tenants/contoso", "--format", "json"];
        args.extend_from_slice(extra);
        grantscope(args).output().unwrap()
    };
    let default = run(&[]);
    let raised = run(&["--max-input-size", "1 MiB"]);
    assert_eq!(raised.status.code(), Some(1));
    assert!(
        !String::from_utf8_lossy(&raised.stderr).contains("limit"),
        "{}",
        String::from_utf8_lossy(&raised.stderr)
    );
    assert_eq!(
        raised.stdout, default.stdout,
        "the same report as with the default limit"
    );
}

#[test]
fn max_input_size_must_be_a_size() {
    let out = grantscope([
        "check",
        "fixtures/tenants/contoso",
        "--max-input-size",
        "8XB",
    ])
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("unknown unit `xb` in `8XB`"), "{stderr}");
}
