//! `grantscope check` in every report format (on contoso), several reports from one run, file
//! paths for CI (`--path-prefix`), and the usage errors of `--output-format`.

use std::path::{Path, PathBuf};
use std::process::Command;

use grantscope_tests::{grantscope, workspace_root};
use insta_cmd::assert_cmd_snapshot;

const CONTOSO: &str = "fixtures/tenants/contoso";

/// A fresh, empty folder for one test's output files (under Cargo's per-target temp folder).
pub(crate) fn scratch(test: &str) -> PathBuf {
    let dir = Path::new(env!("CARGO_TARGET_TMPDIR")).join(format!("cli-{test}"));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Exit code, stdout and stderr of a command.
pub(crate) fn run(mut command: Command) -> (i32, String, String) {
    let out = command.output().unwrap();
    (
        out.status.code().unwrap(),
        String::from_utf8(out.stdout).unwrap(),
        String::from_utf8(out.stderr).unwrap(),
    )
}

/// A SARIF log with each rule descriptor reduced to `"<id> <name>"`: the descriptors carry the
/// rules' whole documentation, which changes with the rules, not with the renderer (their shape
/// is checked by the SARIF validator in consumers.rs).
pub(crate) fn elide_rule_descriptors(sarif: &str) -> String {
    let mut log: serde_json::Value = serde_json::from_str(sarif).unwrap();
    let rules = &mut log["runs"][0]["tool"]["driver"]["rules"];
    *rules = rules
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            serde_json::json!(format!(
                "{} {}",
                r["id"].as_str().unwrap(),
                r["name"].as_str().unwrap()
            ))
        })
        .collect();
    serde_json::to_string_pretty(&log).unwrap()
}

#[test]
fn contoso_sarif() {
    let (code, stdout, stderr) = run(grantscope(["check", CONTOSO, "--format", "sarif"]));
    assert_eq!(code, 1, "contoso has findings at or above its fail-on");
    insta::assert_snapshot!(format!(
        "exit_code: {code}\n----- stderr -----\n{stderr}----- stdout (rule descriptors elided) -----\n{}",
        elide_rule_descriptors(&stdout)
    ));
}

#[test]
fn contoso_junit() {
    assert_cmd_snapshot!(grantscope(["check", CONTOSO, "--format", "junit"]));
}

#[test]
fn contoso_markdown() {
    assert_cmd_snapshot!(grantscope(["check", CONTOSO, "--format", "markdown"]));
}

#[test]
fn contoso_github() {
    assert_cmd_snapshot!(grantscope(["check", CONTOSO, "--format", "github"]));
}

#[test]
fn contoso_csv() {
    assert_cmd_snapshot!(grantscope(["check", CONTOSO, "--format", "csv"]));
}

#[test]
fn formats_report_rules_that_did_not_run() {
    // Only users, catalogs and packages: most rules cannot be evaluated, and say why.
    let args = [
        "check",
        "tests/data/hostile",
        "--as-of",
        "2026-11-01",
        "--format",
    ];
    let (code, markdown, _) = run(grantscope(args.iter().chain(&["markdown"])));
    assert_eq!(code, 0);
    assert!(markdown.contains("## Not evaluated"));
    assert!(
        markdown.contains(
            "| GS101 broad\\-requestor\\-scope | not evaluated | needs assignmentPolicies"
        )
    );
    let (_, github, _) = run(grantscope(args.iter().chain(&["github"])));
    assert!(github.contains(
        "::warning title=GS101 broad-requestor-scope not evaluated::needs assignmentPolicies"
    ));
    let (_, junit, _) = run(grantscope(args.iter().chain(&["junit"])));
    assert!(junit.contains("<skipped message=\"not evaluated: needs assignmentPolicies"));
    let (_, sarif, _) = run(grantscope(args.iter().chain(&["sarif"])));
    let log: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let notes = log["runs"][0]["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert!(notes.iter().any(|n| n["associatedRule"]["id"] == "GS101"));
}

#[test]
fn several_reports_from_one_run_match_single_runs() {
    let dir = scratch("several");
    let formats = [
        "text", "json", "sarif", "junit", "markdown", "github", "csv",
    ];
    let mut command = grantscope(["check", CONTOSO, "--format", "markdown"]);
    for format in formats {
        command
            .arg("--output-format")
            .arg(format!("{format}={}", dir.join(format).display()));
    }
    let (code, stdout, stderr) = run(command);
    assert_eq!(code, 1, "{stderr}");
    // Standard output still gets --format.
    let (_, markdown, _) = run(grantscope(["check", CONTOSO, "--format", "markdown"]));
    assert_eq!(stdout, markdown);
    // Each file is exactly what a run with that --format prints (text without colour).
    for format in formats {
        let (_, single, _) = run(grantscope(["check", CONTOSO, "--format", format]));
        let written = std::fs::read_to_string(dir.join(format)).unwrap();
        assert_eq!(written, single, "--output-format {format}");
    }
}

#[test]
fn output_sends_format_to_a_file_and_nothing_to_stdout() {
    let dir = scratch("output");
    let sarif = dir.join("report.sarif");
    let csv = dir.join("report.csv");
    let mut command = grantscope([
        "check",
        CONTOSO,
        "--format",
        "sarif",
        "--exit-zero",
        "--output",
    ]);
    command
        .arg(&sarif)
        .arg("--output-format")
        .arg(format!("csv={}", csv.display()));
    let (code, stdout, stderr) = run(command);
    assert_eq!((code, stdout.as_str(), stderr.as_str()), (0, "", ""));
    let log: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&sarif).unwrap()).unwrap();
    assert_eq!(log["version"], "2.1.0");
    assert!(
        std::fs::read_to_string(&csv)
            .unwrap()
            .starts_with("severity,ruleId,")
    );
}

/// Every file an annotation or a SARIF result names exists, relative to where the command ran
/// (the repository root in CI): that is what makes GitHub place them on the file.
fn assert_paths_exist(paths: &[String]) {
    assert!(!paths.is_empty());
    for path in paths {
        assert!(
            workspace_root().join(path).is_file(),
            "{path} does not exist"
        );
    }
}

fn github_files(output: &str) -> Vec<String> {
    output
        .lines()
        .filter_map(|l| {
            l.split_once("file=")?
                .1
                .split_once(',')
                .map(|(f, _)| f.to_owned())
        })
        .collect()
}

fn sarif_files(output: &str) -> Vec<String> {
    let log: serde_json::Value = serde_json::from_str(output).unwrap();
    log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
                .to_owned()
        })
        .collect()
}

#[test]
fn paths_point_at_the_files_in_the_repository() {
    // A folder PATH: its file names are relative to it, so it becomes the prefix.
    let (_, github, _) = run(grantscope(["check", CONTOSO, "--format", "github"]));
    assert_paths_exist(&github_files(&github));
    let (_, sarif, _) = run(grantscope(["check", CONTOSO, "--format", "sarif"]));
    assert_paths_exist(&sarif_files(&sarif));
    // File PATHs are named as typed: no prefix needed.
    let files = [
        "fixtures/tenants/contoso/assignmentPolicies.json",
        "fixtures/tenants/contoso/accessPackages.json",
    ];
    let mut command = grantscope([
        "check",
        "--format",
        "github",
        "--no-config",
        "--as-of",
        "2026-11-01",
    ]);
    command.args(files);
    let (_, github, _) = run(command);
    let named = github_files(&github);
    assert_paths_exist(&named);
    assert!(named.iter().all(|f| files.contains(&f.as_str())));
    // --path-prefix overrides the default (an export checked out elsewhere).
    let (_, github, _) = run(grantscope([
        "check",
        CONTOSO,
        "--format",
        "github",
        "--path-prefix",
        "exports/contoso",
    ]));
    assert!(
        github_files(&github)
            .iter()
            .all(|f| f.starts_with("exports/contoso/"))
    );
}

#[test]
fn output_format_needs_format_equals_file() {
    assert_cmd_snapshot!(grantscope(["check", CONTOSO, "--output-format", "sarif"]), @r"
    success: false
    exit_code: 2
    ----- stdout -----

    ----- stderr -----
    error: invalid value 'sarif' for '--output-format <FORMAT=FILE>': expected FORMAT=FILE, e.g. sarif=grantscope.sarif (formats: text, json, sarif, junit, markdown, github, csv)

    For more information, try '--help'.
    ");
    assert_cmd_snapshot!(grantscope(["check", CONTOSO, "--output-format", "xml=report.xml"]), @r"
    success: false
    exit_code: 2
    ----- stdout -----

    ----- stderr -----
    error: invalid value 'xml=report.xml' for '--output-format <FORMAT=FILE>': unknown format `xml` (formats: text, json, sarif, junit, markdown, github, csv)

    For more information, try '--help'.
    ");
    assert_cmd_snapshot!(grantscope(["check", CONTOSO, "--format", "yaml"]), @r"
    success: false
    exit_code: 2
    ----- stdout -----

    ----- stderr -----
    error: invalid value 'yaml' for '--format <FORMAT>'
      [possible values: text, json, sarif, junit, markdown, github, csv]

    For more information, try '--help'.
    ");
}

#[test]
fn one_file_for_two_reports_is_refused() {
    assert_cmd_snapshot!(grantscope([
        "check", CONTOSO, "--output", "out/r.txt", "--output-format", "sarif=./out/r.txt",
    ]), @r"
    success: false
    exit_code: 2
    ----- stdout -----

    ----- stderr -----
    grantscope failed
      Cause: `./out/r.txt` is named by more than one --output/--output-format
    ");
}

#[test]
fn check_help() {
    assert_cmd_snapshot!(grantscope(["check", "--help"]));
}

/// The commands of README.md → "Use in CI", on contoso instead of `exports/contoso`.
#[test]
fn ci_commands_from_the_readme() {
    // GitHub Actions: annotations on stdout, SARIF, job summary and JSON written in one run.
    let dir = scratch("readme-github");
    let mut command = grantscope(["check", CONTOSO, "--format", "github"]);
    for (format, file) in [
        ("sarif", "grantscope.sarif"),
        ("markdown", "grantscope.md"),
        ("json", "grantscope.json"),
    ] {
        command
            .arg("--output-format")
            .arg(format!("{format}={}", dir.join(file).display()));
    }
    let (code, stdout, _) = run(command);
    assert_eq!(code, 1, "the job fails on findings at or above fail-on");
    assert!(stdout.lines().all(|l| l.starts_with("::")));
    for file in ["grantscope.sarif", "grantscope.md", "grantscope.json"] {
        assert!(dir.join(file).is_file(), "{file}");
    }
    // Azure DevOps and GitLab: JUnit to --output, Markdown beside it.
    let dir = scratch("readme-junit");
    let mut command = grantscope(["check", CONTOSO, "--format", "junit", "--output"]);
    command
        .arg(dir.join("grantscope.xml"))
        .arg("--output-format")
        .arg(format!("markdown={}", dir.join("grantscope.md").display()));
    let (code, stdout, _) = run(command);
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert!(
        std::fs::read_to_string(dir.join("grantscope.xml"))
            .unwrap()
            .starts_with("<?xml")
    );
    assert!(dir.join("grantscope.md").is_file());
}
