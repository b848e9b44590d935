//! Every CI format fed display names, messages, reasons and file names chosen to break it: HTML
//! and script injection, spreadsheet formulas, mentions, terminal escapes, line breaks and
//! pre-encoded workflow-command escapes. Each format is snapshotted and checked explicitly.

use grantscope_core::findings::{Report, Summary};
use grantscope_report::{
    SourcePaths, render_csv, render_github, render_junit, render_markdown, render_sarif,
};
use serde_json::json;

const HOSTILE: [&str; 7] = [
    "<script>alert(1)</script>",
    "\"><img src=x onerror=alert(1)>",
    "=HYPERLINK(\"http://x\")",
    "@SUM(1)",
    "\u{1b}[2J",
    "a\nb",
    "%0A",
];

fn finding(i: usize, name: &str) -> serde_json::Value {
    let (rule, rule_name, category, severity) = match i % 3 {
        0 => ("GS204", "self-approved-request", "approval", "critical"),
        1 => ("GS501", "stale-guest", "guest-lifecycle", "medium"),
        _ => ("GS601", "dangling-reference", "hygiene", "info"),
    };
    let source = match i {
        // A hostile file name too.
        3 => json!({ "file": "dir/evil,na:me%.json", "pointer": "/value/3", "line": 40 }),
        // No source: a tenant-wide finding.
        6 => serde_json::Value::Null,
        _ => json!({ "file": "users.json", "pointer": format!("/value/{i}"), "line": 3 + 10 * i }),
    };
    let mut subject = json!({
        "kind": "user",
        "id": format!("0000000{i}-0000-0000-0000-000000000000"),
        "displayName": name,
    });
    if !source.is_null() {
        subject["source"] = source;
    }
    json!({
        "ruleId": rule,
        "ruleName": rule_name,
        "category": category,
        "severity": severity,
        "message": format!("{name} approved their own request for {name}"),
        "subject": subject,
        "related": [{
            "kind": "accessPackage",
            "id": "ap-1",
            "displayName": name,
            "source": { "file": "accessPackages.json", "pointer": "/value/0", "line": 4 },
        }],
        "evidence": { "displayName": name, "groups": [name, "Finance | Admins"] },
        "remediation": format!("Remove {name}"),
        "fingerprint": format!("{i:032x}"),
    })
}

fn hostile_report() -> Report {
    let findings: Vec<_> = HOSTILE
        .iter()
        .enumerate()
        .map(|(i, n)| finding(i, n))
        .collect();
    let mut report: Report = serde_json::from_value(json!({
        "schemaVersion": "1",
        "tool": { "name": "grantscope", "version": "0.1.0" },
        "asOf": "2026-11-01",
        "inputs": [
            { "name": "users.json", "bytes": 10, "status": "loaded", "format": "graphJson",
              "dataset": "users", "apiVersion": "v1", "items": 7, "recognisedBy": "@odata.context" },
            { "name": "evil\u{1b}[2J<x>.json", "bytes": 3, "status": "failed",
              "error": { "file": "evil\u{1b}[2J<x>.json", "line": 1, "column": 2, "path": null,
                         "message": "expected value <script>" } },
        ],
        "warnings": [
            { "kind": "unresolved-reference", "file": "users.json", "line": 9, "path": "$.value[1]",
              "message": "manager <script>alert(1)</script>\nnot found" },
        ],
        "findings": findings,
        "coverage": [
            { "ruleId": "GS204", "ruleName": "self-approved-request", "category": "approval",
              "status": "evaluated", "findings": 3 },
            { "ruleId": "GS501", "ruleName": "stale-guest", "category": "guest-lifecycle",
              "status": "evaluated", "findings": 2 },
            { "ruleId": "GS502", "ruleName": "pending-invitation", "category": "guest-lifecycle",
              "status": "notEvaluated", "reason": "needs <b>users</b> | *externalUserState*\n& @team", "findings": 0 },
            { "ruleId": "GS503", "ruleName": "guest-lifecycle-disabled", "category": "guest-lifecycle",
              "status": "disabled", "reason": "turned off in the configuration", "findings": 0 },
            { "ruleId": "GS601", "ruleName": "dangling-reference", "category": "hygiene",
              "status": "evaluated", "findings": 2 },
        ],
        "summary": { "total": 0, "bySeverity": {}, "byCategory": {}, "rulesEvaluated": 0,
                     "rulesNotEvaluated": 0, "rulesDisabled": 0 },
    }))
    .expect("the hostile report is a report");
    report.summary = Summary::of(&report.findings, &report.coverage);
    report
}

/// No raw control character other than a line break (and CR in CSV) reaches the output.
fn assert_no_controls(output: &str, allowed: &[char]) {
    for c in output.chars() {
        assert!(
            !c.is_control() || allowed.contains(&c),
            "raw control character U+{:04X} in output",
            u32::from(c)
        );
    }
}

#[test]
fn sarif_keeps_names_exact_and_valid_json() {
    let report = hostile_report();
    let sarif = render_sarif(&report, &SourcePaths::new("exports/contoso")).unwrap();
    // The rule descriptors come from the registry (their docs change with the rules): the
    // snapshot keeps their ids and names only.
    let mut elided: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let rules = &mut elided["runs"][0]["tool"]["driver"]["rules"];
    *rules = rules
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            json!(format!(
                "{} {}",
                r["id"].as_str().unwrap(),
                r["name"].as_str().unwrap()
            ))
        })
        .collect();
    insta::assert_snapshot!("sarif", serde_json::to_string_pretty(&elided).unwrap());
    assert_no_controls(&sarif, &['\n']);

    let log: serde_json::Value = serde_json::from_str(&sarif).unwrap();
    let results = log["runs"][0]["results"].as_array().unwrap();
    assert_eq!(results.len(), HOSTILE.len());
    for (result, finding) in results.iter().zip(&report.findings) {
        // Data survives exactly: JSON escaping is the only escaping a JSON consumer needs.
        let name = finding.subject.display_name.as_deref().unwrap();
        assert_eq!(
            result["locations"][0]["logicalLocations"][0]["name"],
            json!(name)
        );
        assert_eq!(result["properties"]["subject"]["displayName"], json!(name));
        // Every result has a file and a line, even without a source.
        let physical = &result["locations"][0]["physicalLocation"];
        assert!(physical["artifactLocation"]["uri"].as_str().is_some());
        assert!(physical["region"]["startLine"].as_u64().unwrap() >= 1);
    }
    // The hostile file name is a valid, encoded URI reference.
    let uris: Vec<&str> = results
        .iter()
        .map(|r| {
            r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(uris.contains(&"exports/contoso/dir/evil,na%3Ame%25.json"));
    assert!(uris.contains(&"exports/contoso/users.json"));
    // The finding without a source points at the first loaded input, line 1.
    let sourceless = results
        .iter()
        .find(|r| r["properties"]["subject"]["source"].is_null())
        .unwrap();
    assert_eq!(
        sourceless["locations"][0]["physicalLocation"]["region"]["startLine"],
        1
    );
    // Failed file → unsuccessful execution; not evaluated → warning notification; disabled →
    // an override.
    let invocation = &log["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notes = invocation["toolExecutionNotifications"].as_array().unwrap();
    assert!(notes.iter().any(|n| n["level"] == "error"));
    assert!(
        notes
            .iter()
            .any(|n| n["associatedRule"]["id"] == "GS502" && n["level"] == "warning")
    );
    assert_eq!(
        invocation["ruleConfigurationOverrides"][0]["descriptor"]["id"],
        "GS503"
    );
    assert_eq!(
        invocation["ruleConfigurationOverrides"][0]["configuration"]["enabled"],
        false
    );
}

#[test]
fn junit_escapes_markup_and_drops_invalid_characters() {
    let report = hostile_report();
    let xml = render_junit(&report);
    insta::assert_snapshot!("junit", xml);
    assert_no_controls(&xml, &['\n']);
    assert!(!xml.contains("<script"), "a raw <script> element");
    assert!(!xml.contains("<img"), "a raw <img> element");
    assert!(xml.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    assert!(xml.contains("&quot;&gt;&lt;img src=x onerror=alert(1)&gt;"));
    // ESC is not an XML 1.0 character, and a line break in a name would forge a line: both are
    // shown as escapes.
    assert!(xml.contains("user \\u{1b}[2J (users.json:43)"));
    assert!(xml.contains("user a\\nb (users.json:53)"));
    // Every line of a failure's text is ours: a finding, its id, its fingerprint, a remediation.
    let failures: Vec<&str> = xml
        .split("<failure ")
        .skip(1)
        .map(|f| &f[f.find('>').unwrap() + 1..f.find("</failure>").unwrap()])
        .collect();
    assert_eq!(failures.len(), 3);
    for line in failures.iter().flat_map(|f| f.lines()) {
        assert!(
            line.starts_with('[')
                || line.starts_with("    id: ")
                || line.starts_with("    fingerprint: ")
                || line.starts_with("Remediation: "),
            "{line}"
        );
    }
    // Only our own elements: every `<` starts a known tag.
    for (i, _) in xml.match_indices('<') {
        let tag = &xml[i..];
        assert!(
            [
                "<?xml",
                "<testsuites",
                "</testsuites",
                "<testsuite",
                "</testsuite",
                "<testcase",
                "</testcase",
                "<failure",
                "</failure",
                "<skipped"
            ]
            .iter()
            .any(|t| tag.starts_with(t)),
            "unexpected markup: {}",
            &tag[..tag.len().min(30)]
        );
    }
    assert!(xml.contains(
        "<skipped message=\"not evaluated: needs &lt;b&gt;users&lt;/b&gt; | *externalUserState*\\n&amp; @team\"/>"
    ));
    assert!(xml.contains("<skipped message=\"disabled: turned off in the configuration\"/>"));
}

#[test]
fn markdown_escapes_every_cell() {
    let report = hostile_report();
    let md = render_markdown(&report);
    insta::assert_snapshot!("markdown", md);
    assert_no_controls(&md, &['\n']);
    // The only raw HTML is ours: every `<` not escaped with a backslash starts one of our tags.
    for (i, _) in md.match_indices('<') {
        let backslashes = md[..i].chars().rev().take_while(|c| *c == '\\').count();
        if backslashes % 2 == 1 {
            continue;
        }
        let tag = &md[i..];
        assert!(
            [
                "<details>",
                "</details>",
                "<summary>",
                "</summary>",
                "<strong>",
                "</strong>",
                "<br>"
            ]
            .iter()
            .any(|t| tag.starts_with(t)),
            "raw HTML: {}",
            &tag[..tag.len().min(30)]
        );
    }
    // No mention survives: a word joiner follows every `@`.
    for (i, _) in md.match_indices('@') {
        assert!(md[i + 1..].starts_with('\u{2060}'), "a live @mention");
    }
    // Table rows keep their column count: every unescaped `|` is ours.
    for line in md.lines().filter(|l| l.starts_with('|')) {
        let mut pipes = 0;
        let mut escaped = false;
        for c in line.chars() {
            if c == '|' && !escaped {
                pipes += 1;
            }
            escaped = c == '\\' && !escaped;
        }
        assert!(
            [3, 4, 5].contains(&pipes),
            "a row with {pipes} cell separators: {line}"
        );
        if line.starts_with("| critical")
            || line.starts_with("| medium")
            || line.starts_with("| info")
        {
            assert_eq!(pipes, 5, "{line}");
        }
    }
    // Multi-line data stays on its row.
    assert!(md.contains(r"a\\nb"));
    assert!(md.contains(r#"\=HYPERLINK\(\"http\:\/\/x\"\)"#));
}

#[test]
fn github_commands_cannot_be_forged() {
    let report = hostile_report();
    let out = render_github(&report, &SourcePaths::new("exports/contoso"));
    insta::assert_snapshot!("github", out);
    assert_no_controls(&out, &['\n']);
    let lines: Vec<&str> = out.lines().collect();
    // One command per finding, per rule not evaluated, and the summary: nothing else.
    assert_eq!(lines.len(), HOSTILE.len() + 1 + 1);
    for line in &lines {
        assert!(
            line.starts_with("::error ")
                || line.starts_with("::warning ")
                || line.starts_with("::notice "),
            "{line}"
        );
        // Properties are escaped: the only `::` separates them from the message.
        let (props, _message) = line[2..].split_once("::").unwrap();
        for prop in props.split_once(' ').unwrap().1.split(',') {
            let (key, value) = prop.split_once('=').unwrap();
            assert!(["file", "line", "title"].contains(&key), "{prop}");
            assert!(!value.contains(':') && !value.contains(','), "{prop}");
        }
    }
    // A pre-encoded escape is escaped again, so it shows as typed instead of becoming a newline.
    assert!(out.contains("%250A approved their own request"));
    assert!(out.contains("file=exports/contoso/dir/evil%2Cna%3Ame%25.json,line=40"));
    // The finding without a source has no file.
    assert_eq!(lines.iter().filter(|l| l.contains("file=")).count(), 6);
}

#[test]
fn csv_neutralises_formulas_and_quotes_per_rfc_4180() {
    let report = hostile_report();
    let csv = render_csv(&report).unwrap();
    insta::assert_snapshot!("csv", csv);
    assert_no_controls(&csv, &['\n', '\r']);

    let mut reader = csv::ReaderBuilder::new().from_reader(csv.as_bytes());
    let headers = reader.headers().unwrap().clone();
    assert_eq!(
        headers.iter().collect::<Vec<_>>(),
        grantscope_report::CSV_COLUMNS
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(Result::unwrap).collect();
    assert_eq!(rows.len(), HOSTILE.len());
    let names: Vec<&str> = rows.iter().map(|r| &r[6]).collect();
    assert_eq!(
        names,
        [
            "<script>alert(1)</script>",
            "\"><img src=x onerror=alert(1)>",
            "'=HYPERLINK(\"http://x\")",
            "'@SUM(1)",
            // Terminal controls are replaced: `cat report.csv` must not clear the screen.
            "\u{fffd}[2J",
            "a\nb",
            "%0A",
        ]
    );
    assert_eq!(&rows[3][7], "dir/evil,na:me%.json");
    assert_eq!(&rows[6][7], "", "no source, no file");
    // No cell a spreadsheet would evaluate.
    for row in &rows {
        for cell in row {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "formula cell {cell:?}"
            );
        }
    }
    // Records end with CRLF.
    assert!(csv.ends_with("\r\n"));
}
