//! `check --waivers`: waivers with a reason, an owner and an expiry date, matched by fingerprint
//! or by rule and subject; waived findings shown as waived in every format and not counted for
//! --fail-on; expired and stale waivers reported; the waivers file found next to grantscope.toml;
//! `[[waivers]]` in grantscope.toml.

use std::path::Path;

use insta_cmd::assert_cmd_snapshot;

use crate::consumers::{assert_valid_sarif, parse_junit};
use crate::formats::run;
use crate::variants::{NOAH_GS401, OMAR, With, ZOE, contoso_copy, grantscope_in};

/// Waives contoso's three critical findings: GS401 by fingerprint, Omar's GS204 by rule name and
/// a plain subject id, Zoe's by rule id and `kind:id`.
fn all_critical(zoe_expires: &str) -> String {
    format!(
        r#"# Reviewed by the access governance board, 2026-10-15.
[[waiver]]
fingerprint = "{NOAH_GS401}"
reason = "accepted by the CFO until the ERP migration"
owner = "cfo@contoso.example"
expires = 2027-01-31

[[waiver]]
rule = "self-approved-request"
subject = "{OMAR}"
reason = "break-glass administrator, reviewed quarterly"
owner = "it-security@contoso.example"
expires = "2027-03-31"

[[waiver]]
rule = "GS204"
subject = "user:{ZOE}"
reason = "HR exception for the benefits launch"
owner = "hr@contoso.example"
expires = {zoe_expires}
"#
    )
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

#[test]
fn waived_findings_do_not_count_for_fail_on() {
    let (dir, _) = contoso_copy("waivers-fail-on");
    write(&dir, "waivers.toml", &all_critical("2027-06-30"));
    let args = [
        "check",
        "contoso",
        "--fail-on",
        "critical",
        "--waivers",
        "waivers.toml",
    ];
    let (code, stdout, stderr) = run(grantscope_in(&dir, args));
    assert_eq!((code, stderr.as_str()), (0, ""), "{stdout}");
    assert!(stdout.contains(" · 3 waived (not counted) · "), "{stdout}");
    // Without --waivers the same run fails.
    assert_eq!(run(grantscope_in(&dir, &args[..4])).0, 1);

    // One waiver fewer: its finding counts again.
    let two: String = all_critical("2027-06-30")
        .split("\n\n")
        .take(2)
        .collect::<Vec<_>>()
        .join("\n\n");
    write(&dir, "waivers.toml", &two);
    let (code, github, stderr) = run(grantscope_in(&dir, args).with(&["--format", "github"]));
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        "error: 1 finding at or above `critical` (--fail-on; 2 more waived or baselined, not counted); exiting with 1\n"
    );
    let critical: Vec<&str> = github
        .lines()
        .filter(|l| l.contains("title=GS204 ") || l.contains("title=GS401 "))
        .collect();
    assert_eq!(
        critical,
        [
            r#"::notice file=contoso/users.2.json,line=158,title=GS204 self-approved-request (critical%2C waived)::Omar Haddad directly assigned themselves access package "Vendor Master Data"%0ASubject: user Omar Haddad (d146b802-8705-5c52-b0d2-824fce6cd352)%0ARemediation: Review and if needed remove the assignment, and take the user out of the approvers or administrators of the packages they can request%0ANot counted: waived until 2027-03-31 by it-security@contoso.example: break-glass administrator, reviewed quarterly"#,
            r#"::error file=contoso/users.2.json,line=270,title=GS204 self-approved-request (critical)::Zoe Müller approved their own request for access package "Employee Benefits Portal"%0ASubject: user Zoe Müller (d4ef01cc-e82b-531b-8a25-b2fcad6c1f21)%0ARemediation: Review and if needed remove the assignment, and take the user out of the approvers or administrators of the packages they can request"#,
            r#"::notice file=contoso/users.2.json,line=130,title=GS401 incompatible-packages-held (critical%2C waived)::User "Noah Kim" holds access packages "Vendor Master Data" and "Procurement Portal", which are marked as incompatible%0ASubject: user Noah Kim (3ef3d22e-3bc8-5a22-8915-b543bcef1ea9)%0ARemediation: Remove one of the two assignments (Access package → Assignments) and review how the user obtained both%0ANot counted: waived until 2027-01-31 by cfo@contoso.example: accepted by the CFO until the ERP migration"#,
        ]
    );
}

#[test]
fn reason_owner_and_expires_are_required() {
    let (dir, _) = contoso_copy("waivers-required");
    let full = all_critical("2027-06-30");
    for (key, line) in [
        (
            "reason",
            "reason = \"HR exception for the benefits launch\"\n",
        ),
        ("owner", "owner = \"hr@contoso.example\"\n"),
        ("expires", "expires = 2027-06-30\n"),
    ] {
        write(&dir, "waivers.toml", &full.replace(line, ""));
        let (code, stdout, stderr) = run(grantscope_in(
            &dir,
            ["check", "contoso", "--waivers", "waivers.toml"],
        ));
        assert_eq!(code, 2, "{key}");
        assert!(stdout.is_empty(), "{key}: nothing is analysed");
        assert!(
            stderr.contains(&format!(
                "Cause: waivers.toml: line 15, column 1: [[waiver]] #3 (rule = \"GS204\", subject = \"user:{ZOE}\"): missing required key `{key}`"
            )),
            "{key}: {stderr}"
        );
    }
    write(
        &dir,
        "waivers.toml",
        "[[waiver]]\nrule = \"GS501\"\nsubjct = \"user:x\"\n",
    );
    assert_cmd_snapshot!(grantscope_in(&dir, ["check", "contoso", "--waivers", "waivers.toml"]), @r"
    success: false
    exit_code: 2
    ----- stdout -----

    ----- stderr -----
    grantscope failed
      Cause: waivers.toml: line 3, column 1: unknown key `subjct`; did you mean `subject`?
    ");
    write(
        &dir,
        "waivers.toml",
        "[[waiver]]\nrule = \"GS501\"\nsubject = \"user:x\"\nreason = \"r\"\nowner = \"o\"\nexpires = \"next year\"\n",
    );
    let (code, _, stderr) = run(grantscope_in(
        &dir,
        ["check", "contoso", "--waivers", "waivers.toml"],
    ));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("`expires` must be a date YYYY-MM-DD (e.g. 2027-03-31), not `next year`"),
        "{stderr}"
    );
    let (code, _, stderr) = run(grantscope_in(
        &dir,
        ["check", "contoso", "--waivers", "missing.toml"],
    ));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("cannot read the waivers file missing.toml"),
        "{stderr}"
    );
}

#[test]
fn an_expired_waiver_counts_again_and_is_reported() {
    let (dir, _) = contoso_copy("waivers-expired");
    // contoso is analysed as of 2026-11-01: a waiver ending 2026-10-31 has expired, one ending
    // on 2026-11-01 still applies that day.
    write(&dir, "waivers.toml", &all_critical("2026-10-31"));
    let args = [
        "check",
        "contoso",
        "--fail-on",
        "critical",
        "--waivers",
        "waivers.toml",
    ];
    let (code, stdout, stderr) = run(grantscope_in(&dir, args));
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        "error: 1 finding at or above `critical` (--fail-on; 2 more waived or baselined, not counted); exiting with 1\n"
    );
    let section: Vec<&str> = stdout
        .lines()
        .skip_while(|l| *l != "Waivers that do not apply")
        .take(2)
        .collect();
    assert_eq!(
        section,
        [
            "Waivers that do not apply",
            "  - waiver at waivers.toml:15 (rule GS204, subject user:d4ef01cc-e82b-531b-8a25-b2fcad6c1f21) expired on 2026-10-31: 1 finding counts again (owner hr@contoso.example)"
        ]
    );
    write(&dir, "waivers.toml", &all_critical("2026-11-01"));
    assert_eq!(run(grantscope_in(&dir, args)).0, 0);

    // In other formats the warning goes to stderr too, and the JSON report lists the waiver.
    write(&dir, "waivers.toml", &all_critical("2026-10-31"));
    let (code, stdout, stderr) = run(grantscope_in(&dir, args).with(&["--format", "json"]));
    assert_eq!(code, 1);
    assert!(stderr.starts_with("warning: waiver at waivers.toml:15 (rule GS204, subject user:d4ef01cc-e82b-531b-8a25-b2fcad6c1f21) expired on 2026-10-31"), "{stderr}");
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let statuses: Vec<&str> = report["waivers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w["status"].as_str().unwrap())
        .collect();
    assert_eq!(statuses, ["applied", "applied", "expired"]);
    assert_eq!(report["summary"]["waived"], 2);
    assert_eq!(report["suppressions"].as_array().unwrap().len(), 2);
}

#[test]
fn a_waiver_that_matches_nothing_is_stale() {
    let (dir, _) = contoso_copy("waivers-stale");
    let stale = "[[waiver]]\nrule = \"GS102\"\nsubject = \"assignmentPolicy:00000000-0000-0000-0000-000000000000\"\nreason = \"the policy was deleted in October\"\nowner = \"it@contoso.example\"\nexpires = 2027-06-30\n";
    write(
        &dir,
        "waivers.toml",
        &format!("{}\n{stale}", all_critical("2027-06-30")),
    );
    let (code, stdout, _) = run(grantscope_in(
        &dir,
        [
            "check",
            "contoso",
            "--fail-on",
            "critical",
            "--waivers",
            "waivers.toml",
        ],
    ));
    assert_eq!(code, 0, "a stale waiver is reported, not an error");
    assert!(
        stdout.contains("  - waiver at waivers.toml:22 (rule GS102, subject assignmentPolicy:00000000-0000-0000-0000-000000000000) matches no finding: remove it (owner it@contoso.example)\n"),
        "{stdout}"
    );
    let (_, markdown, _) = run(grantscope_in(
        &dir,
        [
            "check",
            "contoso",
            "--waivers",
            "waivers.toml",
            "--format",
            "markdown",
        ],
    ));
    assert!(
        markdown.contains("## Waivers that do not apply\n\n| Status | Waiver | Owner | Expires | Findings |\n| --- | --- | --- | --- | ---: |\n| stale | waivers\\.toml\\:22<br>rule GS102\\, subject assignmentPolicy\\:00000000\\-0000\\-0000\\-0000\\-000000000000 | it\\@\u{2060}contoso\\.example | 2027\\-06\\-30 | 0 |\n"),
        "{markdown}"
    );
}

#[test]
fn every_format_shows_the_waived_findings() {
    let (dir, _) = contoso_copy("waivers-formats");
    write(&dir, "waivers.toml", &all_critical("2027-06-30"));
    let (code, text, _) = run(grantscope_in(
        &dir,
        [
            "check",
            "contoso",
            "--waivers",
            "waivers.toml",
            "--exit-zero",
            "--output-format",
            "json=r.json",
            "--output-format",
            "sarif=r.sarif",
            "--output-format",
            "junit=r.xml",
            "--output-format",
            "csv=r.csv",
            "--output-format",
            "markdown=r.md",
            "--output-format",
            "github=r.github",
        ],
    ));
    assert_eq!(code, 0);
    let read = |name: &str| std::fs::read_to_string(dir.join(name)).unwrap();
    let report: serde_json::Value = serde_json::from_str(&read("r.json")).unwrap();
    let waived: Vec<&str> = report["suppressions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            assert_eq!(s["kind"], "waiver");
            s["fingerprint"].as_str().unwrap()
        })
        .collect();
    assert_eq!(waived.len(), 3);
    assert!(waived.contains(&NOAH_GS401));

    // text: each waived finding is tagged, with its waiver underneath.
    let tagged: Vec<&str> = text
        .lines()
        .filter(|l| l.starts_with("  - [waived] "))
        .collect();
    assert_eq!(tagged.len(), 3, "{text}");
    assert!(text.contains("    waived until 2027-01-31 by cfo@contoso.example: accepted by the CFO until the ERP migration (waivers.toml:2)\n"));

    // SARIF: the results carry an accepted external suppression; the validator accepts the log.
    let sarif: serde_json::Value = serde_json::from_str(&read("r.sarif")).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    let suppressed: Vec<&serde_json::Value> = results
        .iter()
        .filter(|r| r.get("suppressions").is_some())
        .collect();
    assert_eq!(suppressed.len(), 3);
    let noah = suppressed
        .iter()
        .find(|r| r["partialFingerprints"]["grantscopeFingerprint/v1"] == NOAH_GS401)
        .unwrap();
    assert_eq!(
        noah["suppressions"],
        serde_json::json!([{
            "kind": "external",
            "status": "accepted",
            "justification": "accepted by the CFO until the ERP migration",
            "properties": {
                "kind": "waiver",
                "owner": "cfo@contoso.example",
                "expires": "2027-01-31",
                "source": { "file": "waivers.toml", "line": 2 },
            },
        }])
    );
    assert_valid_sarif(&dir.join("r.sarif"));

    // JUnit (junitparser): the critical rules do not fail; their waived findings are in
    // system-out.
    let junit = parse_junit(&dir.join("r.xml"));
    let cases: Vec<&serde_json::Value> = junit["suites"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["cases"].as_array().unwrap())
        .collect();
    for name in [
        "GS204 self-approved-request",
        "GS401 incompatible-packages-held",
    ] {
        let case = cases.iter().find(|c| c["name"] == name).unwrap();
        assert_eq!(case["results"], serde_json::json!([]), "{name} passes");
        let out = case["systemOut"].as_str().unwrap();
        assert!(out.starts_with("WAIVED: [critical] user "), "{out}");
    }
    let gs401 = cases
        .iter()
        .find(|c| c["name"] == "GS401 incompatible-packages-held")
        .unwrap();
    assert!(gs401["systemOut"].as_str().unwrap().contains(&format!(
        "fingerprint: {NOAH_GS401}\n    waived until 2027-01-31 by cfo@contoso.example"
    )));
    let findings = report["findings"].as_array().unwrap();
    let failing_rules: std::collections::BTreeSet<&str> = findings
        .iter()
        .filter(|f| !waived.contains(&f["fingerprint"].as_str().unwrap()))
        .map(|f| f["ruleId"].as_str().unwrap())
        .collect();
    assert_eq!(junit["failures"], failing_rules.len());

    // CSV (csv reader): a waived column, and the waiver's reason, owner and expiry.
    let mut reader = csv::Reader::from_path(dir.join("r.csv")).unwrap();
    let headers = reader.headers().unwrap().clone();
    let col = |name: &str| headers.iter().position(|h| h == name).unwrap();
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), findings.len());
    for row in &rows {
        let is_waived = waived.contains(&&row[col("fingerprint")]);
        assert_eq!(
            &row[col("waived")],
            if is_waived { "true" } else { "false" }
        );
        assert_eq!(&row[col("baselined")], "false");
        assert_eq!(row[col("waiverOwner")].is_empty(), !is_waived);
    }
    let noah_row = rows
        .iter()
        .find(|r| &r[col("fingerprint")] == NOAH_GS401)
        .unwrap();
    assert_eq!(
        &noah_row[col("waiverReason")],
        "accepted by the CFO until the ERP migration"
    );
    assert_eq!(&noah_row[col("waiverExpires")], "2027-01-31");

    // Markdown: marked in the severity cell, the waiver in the message cell.
    let markdown = read("r.md");
    assert!(markdown.contains(" · 3 waived (not counted) · "));
    assert!(markdown.contains("| Waived (not counted) | 3 |\n"));
    assert_eq!(markdown.matches("| critical<br>*waived* |").count(), 3);
    assert!(markdown.contains("<br>*waived until 2027\\-01\\-31 by cfo\\@\u{2060}contoso\\.example\\: accepted by the CFO until the ERP migration* |"));

    // GitHub: notices, never errors or warnings, for waived findings.
    let github = read("r.github");
    let lines: Vec<&str> = github.lines().filter(|l| l.contains("waived)::")).collect();
    assert_eq!(lines.len(), 3);
    assert!(lines.iter().all(|l| l.starts_with("::notice ")));
    assert!(!github.contains("::error file=contoso/users.2.json,line=130,"));
}

#[test]
fn the_waivers_file_next_to_grantscope_toml_is_used() {
    let (dir, tenant) = contoso_copy("waivers-discovered");
    write(
        &tenant,
        "grantscope-waivers.toml",
        &all_critical("2027-06-30"),
    );
    let args = [
        "check",
        "contoso",
        "--fail-on",
        "critical",
        "--format",
        "json",
    ];
    let (code, stdout, _) = run(grantscope_in(&dir, args));
    assert_eq!(code, 0);
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(
        report["waivers"][0]["source"],
        serde_json::json!({ "file": "contoso/grantscope-waivers.toml", "line": 2 })
    );
    assert_eq!(run(grantscope_in(&dir, args).with(&["--no-waivers"])).0, 1);
    assert_eq!(run(grantscope_in(&dir, args).with(&["--no-config"])).0, 1);
}

#[test]
fn waivers_in_grantscope_toml() {
    let (dir, tenant) = contoso_copy("waivers-config");
    let config = std::fs::read_to_string(tenant.join("grantscope.toml")).unwrap();
    let config_lines = config.lines().count();
    let waivers = all_critical("2027-06-30").replace("[[waiver]]", "[[waivers]]");
    write(&tenant, "grantscope.toml", &format!("{config}\n{waivers}"));
    let args = ["check", "contoso", "--fail-on", "critical"];
    assert_eq!(run(grantscope_in(&dir, args)).0, 0);

    let broken = waivers.replace("owner = \"cfo@contoso.example\"\n", "");
    write(&tenant, "grantscope.toml", &format!("{config}\n{broken}"));
    let (code, _, stderr) = run(grantscope_in(&dir, args));
    assert_eq!(code, 2);
    let line = config_lines + 1 + 2;
    assert!(
        stderr.contains(&format!(
            "grantscope.toml: line {line}, column 1: [[waivers]] #1 (fingerprint = \"{NOAH_GS401}\"): missing required key `owner` (who answers for the decision, e.g. a team's address)"
        )),
        "{stderr}"
    );
}

#[test]
fn the_readme_example_applies_to_contoso() {
    let readme =
        std::fs::read_to_string(grantscope_tests::workspace_root().join("README.md")).unwrap();
    let example: String = readme
        .split("```toml\n# grantscope-waivers.toml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("README has a grantscope-waivers.toml example")
        .to_owned();
    let (dir, tenant) = contoso_copy("waivers-readme");
    write(&tenant, "grantscope-waivers.toml", &example);
    let (code, stdout, stderr) = run(grantscope_in(
        &dir,
        ["check", "contoso", "--exit-zero", "--format", "json"],
    ));
    assert_eq!((code, stderr.as_str()), (0, ""));
    let report: serde_json::Value = serde_json::from_str(&stdout).unwrap();
    let statuses: Vec<(&str, usize)> = report["waivers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| {
            (
                w["status"].as_str().unwrap(),
                w["findings"].as_array().unwrap().len(),
            )
        })
        .collect();
    assert_eq!(statuses, [("applied", 1), ("applied", 1)]);
}
