//! `grantscope convert REPORT --format F`: a saved JSON report renders exactly as `check` would
//! have; hostile data stays escaped; files that are not reports are refused with a position.

use std::io::Write as _;
use std::process::Stdio;

use grantscope_tests::grantscope;
use insta_cmd::assert_cmd_snapshot;

use crate::formats::{run, scratch};

const CONTOSO: &str = "fixtures/tenants/contoso";
const HOSTILE: &str = "tests/data/convert/hostile-report.json";

#[test]
fn a_saved_report_renders_as_check_would() {
    let dir = scratch("convert-roundtrip");
    let saved = dir.join("report.json");
    let mut command = grantscope(["check", CONTOSO, "--format", "json", "--output"]);
    command.arg(&saved);
    let (code, _, _) = run(command);
    assert_eq!(code, 1);
    for format in [
        "text", "json", "sarif", "junit", "markdown", "github", "csv",
    ] {
        let (_, direct, _) = run(grantscope(["check", CONTOSO, "--format", format]));
        // check names files relative to the folder it was given; tell convert that folder.
        let mut command = grantscope(["convert", "--format", format, "--path-prefix", CONTOSO]);
        command.arg(&saved);
        let (code, converted, stderr) = run(command);
        assert_eq!(code, 0, "{stderr}");
        assert_eq!(converted, direct, "convert --format {format}");
    }
    // JSON → JSON is the identity.
    let mut command = grantscope(["convert", "--format", "json"]);
    command.arg(&saved);
    assert_eq!(run(command).1, std::fs::read_to_string(&saved).unwrap());
}

#[test]
fn convert_writes_files_like_check() {
    let dir = scratch("convert-files");
    let sarif = dir.join("r.sarif");
    let md = dir.join("r.md");
    let mut command = grantscope(["convert", HOSTILE, "--format", "sarif", "--output"]);
    command
        .arg(&sarif)
        .arg("--output-format")
        .arg(format!("markdown={}", md.display()));
    let (code, stdout, stderr) = run(command);
    assert_eq!((code, stdout.as_str(), stderr.as_str()), (0, "", ""));
    assert!(
        std::fs::read_to_string(&sarif)
            .unwrap()
            .contains("\"version\": \"2.1.0\"")
    );
    assert!(
        std::fs::read_to_string(&md)
            .unwrap()
            .starts_with("# grantscope report")
    );
}

#[test]
fn standard_input_is_read_with_a_dash() {
    let mut child = grantscope(["convert", "-", "--format", "csv"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    let report = std::fs::read(grantscope_tests::workspace_root().join(HOSTILE)).unwrap();
    child.stdin.take().unwrap().write_all(&report).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success());
    let (_, from_file, _) = run(grantscope(["convert", HOSTILE, "--format", "csv"]));
    assert_eq!(String::from_utf8(out.stdout).unwrap(), from_file);
}

#[test]
fn hostile_text() {
    assert_cmd_snapshot!(grantscope(["convert", HOSTILE]));
}

#[test]
fn hostile_junit() {
    assert_cmd_snapshot!(grantscope(["convert", HOSTILE, "--format", "junit"]));
}

#[test]
fn hostile_markdown() {
    assert_cmd_snapshot!(grantscope(["convert", HOSTILE, "--format", "markdown"]));
}

#[test]
fn hostile_github() {
    assert_cmd_snapshot!(grantscope(["convert", HOSTILE, "--format", "github"]));
}

#[test]
fn hostile_csv() {
    assert_cmd_snapshot!(grantscope(["convert", HOSTILE, "--format", "csv"]));
}

#[test]
fn hostile_sarif() {
    let (code, stdout, stderr) = run(grantscope(["convert", HOSTILE, "--format", "sarif"]));
    insta::assert_snapshot!(format!(
        "exit_code: {code}\n----- stderr -----\n{stderr}----- stdout (rule descriptors elided) -----\n{}",
        crate::formats::elide_rule_descriptors(&stdout)
    ));
}

#[test]
fn no_output_reaches_the_terminal_raw() {
    for format in [
        "text", "json", "sarif", "junit", "markdown", "github", "csv",
    ] {
        let (code, stdout, _) = run(grantscope(["convert", HOSTILE, "--format", format]));
        assert_eq!(code, 0);
        assert!(
            !stdout.contains('\u{1b}'),
            "--format {format} prints a raw escape character"
        );
    }
}

#[test]
fn not_json_is_refused_with_its_position() {
    assert_cmd_snapshot!(grantscope(["convert", "tests/data/convert/broken.json"]), @r"
    success: false
    exit_code: 2
    ----- stdout -----

    ----- stderr -----
    grantscope failed
      Cause: tests/data/convert/broken.json:4:26: not valid JSON: key must be a string
    ");
}

#[test]
fn a_json_file_that_is_not_a_report_is_refused() {
    assert_cmd_snapshot!(grantscope(["convert", "tests/data/convert/missing-field.json"]), @r"
    success: false
    exit_code: 2
    ----- stdout -----

    ----- stderr -----
    grantscope failed
      Cause: tests/data/convert/missing-field.json:8:25: not a grantscope report: at findings[0]: missing field `ruleName`
    ");
    assert_cmd_snapshot!(grantscope(["convert", "tests/data/convert/inventory.json"]), @r"
    success: false
    exit_code: 2
    ----- stdout -----

    ----- stderr -----
    grantscope failed
      Cause: tests/data/convert/inventory.json:2:20: not a grantscope report: schemaVersion 1 is not a report schema version (is this the output of `grantscope inventory`? convert reads `grantscope check --format json`)
    ");
    assert_cmd_snapshot!(grantscope(["convert", "fixtures/tenants/contoso/users.json"]), @r"
    success: false
    exit_code: 2
    ----- stdout -----

    ----- stderr -----
    grantscope failed
      Cause: fixtures/tenants/contoso/users.json:1:1: not a grantscope report: it has no `schemaVersion` (reports are written by `grantscope check --format json`)
    ");
}

#[test]
fn another_schema_version_is_refused() {
    assert_cmd_snapshot!(grantscope(["convert", "tests/data/convert/other-version.json", "--format", "sarif"]), @r#"
    success: false
    exit_code: 2
    ----- stdout -----

    ----- stderr -----
    grantscope failed
      Cause: tests/data/convert/other-version.json:2:20: not a grantscope report: report schemaVersion "2" is not supported: this grantscope reads "1" (re-run `grantscope check --format json` with this version)
    "#);
}

#[test]
fn a_missing_file_exits_2() {
    let (code, stdout, stderr) = run(grantscope(["convert", "no/such/report.json"]));
    assert_eq!((code, stdout.as_str()), (2, ""));
    assert!(
        stderr.contains("cannot read `no/such/report.json`"),
        "{stderr}"
    );
}

#[test]
fn convert_help() {
    assert_cmd_snapshot!(grantscope(["convert", "--help"]));
}
