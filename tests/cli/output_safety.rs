//! Output safety: `fixtures/hostile` names a user, a disabled user holding an assignment, a group,
//! a catalog, two resources, an access package and a policy with each hostile payload (script
//! tags, attribute breakouts, `javascript:` URLs, spreadsheet formulas, terminal escape sequences,
//! bidi overrides, line breaks, workflow commands, XML breakouts…), and findings of seven rules
//! name them. Every renderer runs on it and its output is read the way its consumer reads it:
//! a terminal, a JSON parser, a spreadsheet's CSV reader, a CommonMark/GFM renderer, the GitHub
//! Actions runner's command syntax, a strict XML parser, and headless Chromium for the HTML. `lint`
//! runs on policies named with the payloads (against the tenant) and `diff` on the tenant against
//! Contoso, in every format they have.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use grantscope_tests::{grantscope, run_with_limit, workspace_root};

const HOSTILE: &str = "fixtures/hostile";

/// Every payload of the tenant: the display names of its users, in order.
fn payloads() -> Vec<String> {
    let text = std::fs::read_to_string(workspace_root().join(HOSTILE).join("users.json")).unwrap();
    let users: serde_json::Value = serde_json::from_str(&text).unwrap();
    let mut names: Vec<String> = Vec::new();
    for u in users["value"].as_array().unwrap() {
        let name = u["displayName"].as_str().unwrap().to_owned();
        if !names.contains(&name) {
            names.push(name);
        }
    }
    assert!(names.len() >= 20, "{names:?}");
    names
}

/// stdout of a grantscope run that must exit with `code`.
fn stdout_of(args: &[&str], code: i32) -> String {
    let out = grantscope(args).output().unwrap();
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert_eq!(out.status.code(), Some(code), "{args:?}: {stderr}");
    let colour = args.contains(&"always");
    assert_terminal_safe(&format!("stderr of {args:?}"), &stderr, colour);
    String::from_utf8(out.stdout).unwrap()
}

/// `check fixtures/hostile --format FORMAT` (exit 1: it has findings).
fn check(format: &str) -> String {
    stdout_of(&["check", HOSTILE, "--format", format], 1)
}

/// A character that acts on a terminal or reorders text: C0 controls but tab and line feed
/// (carriage return included: it overwrites the line), DEL, C1 controls, bidi embeddings,
/// overrides and isolates, and the line and paragraph separators.
fn is_dangerous(c: char) -> bool {
    matches!(c, '\u{0}'..='\u{8}' | '\u{b}'..='\u{1f}' | '\u{7f}'..='\u{9f}'
        | '\u{202a}'..='\u{202e}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
}

/// No dangerous character anywhere; with `sgr`, grantscope's own colours (`ESC [ digits ; m`)
/// are allowed and nothing else.
fn assert_terminal_safe(what: &str, text: &str, sgr: bool) {
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if sgr && c == '\u{1b}' {
            let rest = &text[i + 1..];
            let end = rest
                .find(|c: char| !(c.is_ascii_digit() || c == ';' || c == '['))
                .unwrap_or(rest.len());
            if rest.starts_with('[') && rest[end..].starts_with('m') {
                for _ in 0..=end {
                    chars.next();
                }
                continue;
            }
        }
        assert!(
            !is_dangerous(c),
            "{what}: U+{:04X} at byte {i}: {:?}",
            u32::from(c),
            &text[i.saturating_sub(40)..(i + 40).min(text.len())]
        );
    }
}

/// What `sanitize_terminal` makes of a payload: its controls as visible escapes.
fn visible(payload: &str) -> String {
    payload
        .chars()
        .map(|c| match c {
            '\t' => "\\t".to_owned(),
            '\n' => "\\n".to_owned(),
            '\r' => "\\r".to_owned(),
            c if is_dangerous(c) => format!("\\u{{{:x}}}", u32::from(c)),
            c => c.to_string(),
        })
        .collect()
}

#[test]
fn terminal_output_shows_controls_as_visible_escapes() {
    let payloads = payloads();
    for args in [
        &["check", HOSTILE][..],
        &["check", HOSTILE, "--color", "never"],
        &["inventory", HOSTILE],
    ] {
        let code = if args[0] == "check" { 1 } else { 0 };
        let out = stdout_of(args, code);
        assert_terminal_safe(&format!("{args:?}"), &out, false);
        if args[0] == "check" {
            for p in &payloads {
                assert!(out.contains(&visible(p)), "{args:?} lacks {:?}", visible(p));
            }
        }
    }
    // Forced colour: grantscope's own styles, and none of the data's sequences.
    for args in [
        &["check", HOSTILE, "--color", "always"][..],
        &["inventory", HOSTILE, "--color", "always"],
    ] {
        let code = if args[0] == "check" { 1 } else { 0 };
        let out = stdout_of(args, code);
        assert!(out.contains("\u{1b}["), "{args:?} has no colour");
        assert_terminal_safe(&format!("{args:?}"), &out, true);
    }
}

/// Every string in a JSON value.
fn strings(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::String(s) => out.push(s.clone()),
        serde_json::Value::Array(a) => a.iter().for_each(|v| strings(v, out)),
        serde_json::Value::Object(o) => {
            for (k, v) in o {
                out.push(k.clone());
                strings(v, out);
            }
        }
        _ => {}
    }
}

/// JSON output is safe to print (controls, bidi overrides and separators are `\u` escapes), valid,
/// and holds every payload exactly, for whoever reads it.
fn assert_json_faithful(what: &str, text: &str, payloads: &[String]) -> serde_json::Value {
    assert_terminal_safe(what, text, false);
    let value: serde_json::Value =
        serde_json::from_str(text).unwrap_or_else(|e| panic!("{what} is not JSON: {e}"));
    let mut all = Vec::new();
    strings(&value, &mut all);
    for p in payloads {
        assert!(
            all.iter().any(|s| s == p || s.contains(p.as_str())),
            "{what} lacks {p:?}"
        );
    }
    value
}

#[test]
fn json_outputs_are_valid_faithful_and_ascii_where_it_matters() {
    let payloads = payloads();
    for (what, text) in [
        ("check json", check("json")),
        ("check sarif", check("sarif")),
        (
            "inventory json",
            stdout_of(&["inventory", HOSTILE, "--format", "json"], 0),
        ),
    ] {
        assert_json_faithful(what, &text, &payloads);
    }
    // Each kind of object carries each payload as its display name in the check report.
    let report: serde_json::Value = serde_json::from_str(&check("json")).unwrap();
    for kind in [
        "user",
        "group",
        "catalog",
        "resource",
        "accessPackage",
        "assignmentPolicy",
    ] {
        let mut names = Vec::new();
        for f in report["findings"].as_array().unwrap() {
            for e in std::iter::once(&f["subject"]).chain(f["related"].as_array().unwrap()) {
                if e["kind"] == kind {
                    names.push(e["displayName"].as_str().unwrap_or_default().to_owned());
                }
            }
        }
        for p in &payloads {
            assert!(names.contains(p), "no {kind} named {p:?} in a finding");
        }
    }
}

/// No CSV cell would be evaluated by a spreadsheet, and every payload is a `subjectName`,
/// neutralised with a leading apostrophe where it would be a formula.
fn assert_csv_safe(what: &str, text: &str, payloads: &[String]) {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(true)
        .from_reader(text.as_bytes());
    let headers = reader.headers().unwrap().clone();
    let name_column = headers.iter().position(|h| h == "subjectName").unwrap();
    let mut names = Vec::new();
    let mut rows = 0;
    for record in reader.records() {
        let record = record.unwrap();
        assert_eq!(record.len(), headers.len());
        for cell in &record {
            assert!(
                !cell.starts_with(['=', '+', '-', '@', '\t', '\r']),
                "{what}: a spreadsheet would evaluate {cell:?}"
            );
            // Inside a cell, only tab and line breaks (quoted) are left of the controls.
            for c in cell.chars() {
                assert!(
                    !is_dangerous(c) || c == '\t' || c == '\r',
                    "{what}: U+{:04X} in {cell:?}",
                    u32::from(c)
                );
            }
        }
        names.push(record[name_column].to_owned());
        rows += 1;
    }
    assert!(rows >= payloads.len(), "{what}: {rows} rows");
    // The names are there, neutralised with a leading apostrophe where they would be formulas.
    for p in payloads {
        let kept: String = p
            .chars()
            .map(|c| {
                if is_dangerous(c) && c != '\t' && c != '\r' {
                    '\u{fffd}'
                } else {
                    c
                }
            })
            .collect();
        let expected = if kept.starts_with(['=', '+', '-', '@', '\t', '\r']) {
            format!("'{kept}")
        } else {
            kept
        };
        assert!(
            names.contains(&expected),
            "{what}: no subjectName {expected:?}"
        );
    }
}

#[test]
fn csv_cells_are_never_formulas() {
    assert_csv_safe("check csv", &check("csv"), &payloads());
}

/// The HTML elements a renderer may produce from grantscope's Markdown: its own layout. Anything
/// else (script, img, svg, iframe, a raw `<a>` from the data…) came from the export.
const MARKDOWN_TAGS: &[&str] = &[
    "p",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "table",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "br",
    "details",
    "summary",
    "strong",
    "em",
    "code",
    "pre",
    "ul",
    "ol",
    "li",
    "a",
    "hr",
    "blockquote",
    "sub",
    "sup",
    "del",
    "input",
];

/// Renders Markdown as GitHub does (CommonMark with tables, strikethrough, task lists) and
/// returns the problems of the HTML: elements and attributes the data must not create.
fn markdown_problems(markdown: &str) -> (String, Vec<String>) {
    use pulldown_cmark::{Options, Parser, html};
    let options = Options::ENABLE_TABLES
        | Options::ENABLE_STRIKETHROUGH
        | Options::ENABLE_TASKLISTS
        | Options::ENABLE_GFM;
    let mut rendered = String::new();
    html::push_html(&mut rendered, Parser::new_ext(markdown, options));
    let mut problems = Vec::new();
    let mut rest = rendered.as_str();
    while let Some(start) = rest.find('<') {
        let end = rest[start..]
            .find('>')
            .map_or(rest.len(), |e| start + e + 1);
        let tag = &rest[start..end];
        let name: String = tag
            .trim_start_matches(['<', '/'])
            .chars()
            .take_while(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_lowercase();
        if !MARKDOWN_TAGS.contains(&name.as_str()) {
            problems.push(format!("element {tag}"));
        }
        let lower = tag.to_ascii_lowercase();
        for attr in lower.split_whitespace().skip(1) {
            // GFM writes a table column's alignment as a style; nothing else has one.
            let alignment = attr.starts_with("style=\"text-align:");
            if attr.starts_with("on")
                || attr.starts_with("src=")
                || (attr.starts_with("style=") && !alignment)
            {
                problems.push(format!("attribute in {tag}"));
            }
            if let Some(href) = attr.strip_prefix("href=") {
                let href = href.trim_matches(|c| c == '"' || c == '\'' || c == '>');
                // Only grantscope's own links: anchors and the rules' documentation.
                if !(href.starts_with('#') || href.starts_with("https://grantscope.dev/")) {
                    problems.push(format!("link {tag}"));
                }
            }
        }
        rest = &rest[end..];
    }
    (rendered, problems)
}

/// Markdown renders to grantscope's own elements only, and shows the payloads as text.
fn assert_markdown_safe(what: &str, markdown: &str) {
    assert_terminal_safe(what, markdown, false);
    let (html, problems) = markdown_problems(markdown);
    // A word joiner keeps `@name` from becoming a mention; it is invisible.
    let html = html.replace('\u{2060}', "");
    assert!(problems.is_empty(), "{what}: {problems:#?}");
    // The payloads are shown, as text (HTML-escaped by the renderer where needed).
    for p in [
        "<script>alert(1)</script>",
        "=cmd|' /C calc'!A0",
        "@SUM(1+1)",
    ] {
        let shown = p
            .replace('&', "&amp;")
            .replace('<', "&lt;")
            .replace('>', "&gt;");
        assert!(
            html.contains(&shown),
            "{what}: {p:?} is not shown as {shown:?}"
        );
    }
}

#[test]
fn markdown_renders_the_data_as_text() {
    assert!(payloads().iter().any(|p| p.contains('|')));
    assert_markdown_safe("check markdown", &check("markdown"));
    assert_markdown_safe(
        "report markdown",
        &stdout_of(&["report", HOSTILE, "--format", "markdown"], 0),
    );
    // The checker finds what it is meant to find.
    let (_, problems) = markdown_problems(
        "<script>x</script>\n\n[a](javascript:b) <img src=x onerror=y> <svg onload=z> <b style=\"x\">",
    );
    assert_eq!(problems.len(), 10, "{problems:#?}");
    assert!(
        problems.contains(&"link <a href=\"javascript:b\">".to_owned()),
        "{problems:#?}"
    );
}

/// GitHub workflow commands: only grantscope's annotations (on files under `files`), one per
/// finding and per rule not evaluated in `report` (its JSON), and the summary; none forged.
fn assert_github_safe(what: &str, text: &str, files: &str, report: &serde_json::Value) {
    assert_terminal_safe(what, text, false);
    assert!(!text.contains('\r'));
    let mut annotations = 0;
    for line in text.lines() {
        let Some(rest) = line.strip_prefix("::") else {
            // Plain log lines (the summary) never start a command.
            assert!(!line.trim_start().starts_with("::"), "{what}: {line}");
            continue;
        };
        let (command, rest) = rest.split_once([' ', ':']).unwrap();
        assert!(
            ["error", "warning", "notice"].contains(&command),
            "{what}: unknown command {command} in {line}"
        );
        // Properties end at the first `::`; each is a known key with an escaped value.
        let (properties, message) = rest.split_once("::").unwrap_or(("", rest));
        for property in properties.split(',').filter(|p| !p.is_empty()) {
            let (key, value) = property.split_once('=').unwrap();
            assert!(
                ["file", "line", "endLine", "col", "endColumn", "title"].contains(&key),
                "{what}: property {key} in {line}"
            );
            assert!(!value.contains([':', ',']), "{what}: {key}={value}");
            // Every command is grantscope's: its file is one of the inputs (a payload such as
            // `::error file=x,line=1::pwned` never starts a line).
            if key == "file" {
                assert!(value.starts_with(files), "{what}: {line}");
            }
        }
        // What the runner decodes from the message has no line break of the data's own.
        assert!(!message.contains('\n'));
        annotations += 1;
    }
    let not_evaluated = report["coverage"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] != "evaluated")
        .count();
    assert_eq!(
        annotations,
        report["findings"].as_array().unwrap().len() + not_evaluated + 1,
        "{what}: annotations"
    );
    // `%0A` from the export is data: escaped as %250A, so the runner shows it, not a new line.
    assert!(text.contains("%250A"), "{what}");
    assert!(text.contains("a\\nb"), "{what}");
}

#[test]
fn github_annotations_cannot_forge_commands() {
    let report: serde_json::Value = serde_json::from_str(&check("json")).unwrap();
    assert_github_safe(
        "check github",
        &check("github"),
        "fixtures/hostile/",
        &report,
    );
}

/// JUnit is well-formed XML 1.0 with one test case per rule of `report` (its JSON) and the
/// payloads as text.
fn assert_junit_safe(what: &str, xml: &str, payloads: &[String], report: &serde_json::Value) {
    assert_terminal_safe(what, xml, false);
    let doc = roxmltree::Document::parse(xml)
        .unwrap_or_else(|e| panic!("{what}: JUnit is not XML 1.0: {e}"));
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "testsuites");
    let cases: Vec<_> = root
        .descendants()
        .filter(|n| n.has_tag_name("testcase"))
        .collect();
    let rules = report["coverage"].as_array().unwrap().len();
    assert!(rules >= 30, "{rules} rules");
    assert_eq!(cases.len(), rules, "{what}: one test case per rule");
    // No element was injected: every test case is a rule.
    for case in &cases {
        let name = case.attribute("name").unwrap();
        assert!(name.starts_with("GS"), "{what}: test case {name:?}");
    }
    let text: String = root
        .descendants()
        .filter_map(|n| n.text())
        .collect::<Vec<_>>()
        .join("\n");
    for p in payloads {
        assert!(
            text.contains(&visible(p)),
            "{what}: JUnit lacks {:?}",
            visible(p)
        );
    }
}

#[test]
fn junit_is_well_formed_xml_with_the_data_as_text() {
    let report: serde_json::Value = serde_json::from_str(&check("json")).unwrap();
    assert_junit_safe("check junit", &check("junit"), &payloads(), &report);
}

/// Writes one Graph request body per payload into `dir`: a policy named with the payload, for
/// the hostile tenant's access package of the same payload, requestable by the members of its
/// group and approved by its user — who is a member, so GS201 and GS207 name the policy, the
/// package and the user (resolved from `--context fixtures/hostile`).
fn write_lint_inputs(dir: &Path, payloads: &[String]) {
    let _ = std::fs::remove_dir_all(dir);
    std::fs::create_dir_all(dir).unwrap();
    // The ids of generate.py: kind 1 users, 3 groups, 7 access packages.
    let id = |kind: u8, i: usize| format!("00000000-0000-4000-8{kind}00-{i:012}");
    for (i, name) in payloads.iter().enumerate() {
        let body = serde_json::json!({
            "displayName": name,
            "description": name,
            "accessPackage": { "id": id(7, i) },
            "allowedTargetScope": "specificDirectoryUsers",
            "specificAllowedTargets": [{
                "@odata.type": "#microsoft.graph.groupMembers",
                "groupId": id(3, i),
                "description": name,
            }],
            "expiration": { "type": "noExpiration" },
            "requestApprovalSettings": {
                "isApprovalRequiredForAdd": true,
                "isApprovalRequiredForUpdate": false,
                "isRequestorJustificationRequired": false,
                "stages": [{
                    "durationBeforeAutomaticDenial": "P14D",
                    "isApproverJustificationRequired": false,
                    "isEscalationEnabled": false,
                    "primaryApprovers": [{
                        "@odata.type": "#microsoft.graph.singleUser",
                        "userId": id(1, i),
                        "description": name,
                    }],
                    "fallbackPrimaryApprovers": [],
                    "escalationApprovers": [],
                    "fallbackEscalationApprovers": [],
                }],
            },
            "reviewSettings": { "isEnabled": false },
        });
        std::fs::write(
            dir.join(format!("policy-{i:02}.json")),
            serde_json::to_string_pretty(&body).unwrap(),
        )
        .unwrap();
    }
}

#[test]
fn lint_outputs_are_safe_in_every_format() {
    let payloads = payloads();
    // Relative to the workspace root, where the binary runs.
    let dir = "target/output-safety-lint";
    write_lint_inputs(&workspace_root().join(dir), &payloads);
    let lint = |args: &[&str]| {
        let mut all = vec!["lint", dir, "--context", HOSTILE, "--as-of", "2026-11-01"];
        all.extend_from_slice(args);
        stdout_of(&all, 1)
    };
    for colour in ["never", "always"] {
        let text = lint(&["--color", colour]);
        assert_terminal_safe("lint text", &text, colour == "always");
        for p in &payloads {
            assert!(text.contains(&visible(p)), "lint lacks {:?}", visible(p));
        }
    }
    let report = assert_json_faithful("lint json", &lint(&["--format", "json"]), &payloads);
    // Each payload names a policy, a package and a user in the findings.
    for kind in ["user", "accessPackage", "assignmentPolicy"] {
        for p in &payloads {
            let named = report["findings"].as_array().unwrap().iter().any(|f| {
                std::iter::once(&f["subject"])
                    .chain(f["related"].as_array().unwrap())
                    .any(|e| e["kind"] == kind && e["displayName"] == p.as_str())
            });
            assert!(named, "lint: no {kind} named {p:?} in a finding");
        }
    }
    assert_json_faithful("lint sarif", &lint(&["--format", "sarif"]), &payloads);
    assert_csv_safe("lint csv", &lint(&["--format", "csv"]), &payloads);
    assert_markdown_safe("lint markdown", &lint(&["--format", "markdown"]));
    assert_github_safe(
        "lint github",
        &lint(&["--format", "github"]),
        &format!("{dir}/"),
        &report,
    );
    assert_junit_safe(
        "lint junit",
        &lint(&["--format", "junit"]),
        &payloads,
        &report,
    );
    std::fs::remove_dir_all(workspace_root().join(dir)).unwrap();
}

#[test]
fn diff_outputs_are_safe_in_every_format() {
    let payloads = payloads();
    // Every hostile package, policy and finding is new against Contoso.
    let diff = |args: &[&str]| {
        let mut all = vec![
            "diff",
            "fixtures/tenants/contoso",
            HOSTILE,
            "--as-of",
            "2026-11-01",
            "--no-config",
        ];
        all.extend_from_slice(args);
        stdout_of(&all, 0)
    };
    for colour in ["never", "always"] {
        let text = diff(&["--color", colour]);
        assert_terminal_safe("diff text", &text, colour == "always");
        for p in &payloads {
            assert!(text.contains(&visible(p)), "diff lacks {:?}", visible(p));
        }
    }
    let json = assert_json_faithful("diff json", &diff(&["--format", "json"]), &payloads);
    for p in &payloads {
        let added = json["changes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["kind"] == "packageAdded" && c["subject"]["displayName"] == p.as_str());
        assert!(added, "diff json: package {p:?} is not added");
    }
    assert_markdown_safe("diff markdown", &diff(&["--format", "markdown"]));
}

/// A program on the PATH, or the path in `env`.
fn program(env: &str, names: &[&str], install: &str) -> PathBuf {
    if let Some(p) = std::env::var_os(env) {
        return PathBuf::from(p);
    }
    let path = std::env::var_os("PATH").unwrap_or_default();
    for dir in std::env::split_paths(&path) {
        for name in names {
            let candidate = dir.join(name);
            if candidate.is_file() {
                return candidate;
            }
        }
    }
    panic!(
        "`{}` is needed to load the HTML report in a browser but was not found on the PATH. \
         Install it ({install}; scripts/test.sh does), or set {env} to its path.",
        names[0]
    );
}

/// Loads `html` in headless Chromium with `tests/cli/html_probe.mjs` and returns what it saw.
fn probe(html: &Path, bypass_csp: bool) -> serde_json::Value {
    let chromium = program(
        "GRANTSCOPE_CHROMIUM",
        &[
            "chromium",
            "chromium-browser",
            "google-chrome",
            "google-chrome-stable",
        ],
        "Debian/Ubuntu: `apt-get install -y chromium`",
    );
    let node = program("GRANTSCOPE_NODE", &["node"], "Node.js 20 or later");
    let playwright = workspace_root().join("www/node_modules/playwright-core");
    assert!(
        playwright.is_dir(),
        "playwright-core is needed to drive Chromium: run `npm ci --prefix www` \
         (scripts/test.sh does)"
    );
    let mut command = Command::new(node);
    command
        .arg(workspace_root().join("tests/cli/html_probe.mjs"))
        .arg(html)
        .arg(chromium);
    if bypass_csp {
        command.arg("--bypass-csp");
    }
    let output = run_with_limit(command, Duration::from_secs(300));
    assert!(
        output.status.success(),
        "the HTML probe failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

/// What a page loaded by `probe` must not have done, as readable problems.
fn html_problems(seen: &serde_json::Value, title: &str) -> Vec<String> {
    let mut problems = Vec::new();
    if seen["title"] != title {
        problems.push(format!("title changed to {}", seen["title"]));
    }
    if seen["pwned"] != false {
        problems.push("a script set window.pwned".to_owned());
    }
    for list in ["dialogs", "errors", "handlers", "outside"] {
        if !seen[list].as_array().unwrap().is_empty() {
            problems.push(format!("{list}: {}", seen[list]));
        }
    }
    let requests = seen["requests"].as_array().unwrap();
    if requests.len() != 1 || requests[0] != seen["url"] {
        problems.push(format!(
            "requests beyond the file itself: {}",
            seen["requests"]
        ));
    }
    for element in [
        "script", "img", "iframe", "object", "embed", "link", "base", "form",
    ] {
        if seen["elements"][element] != 0 {
            problems.push(format!("{} <{element}>", seen["elements"][element]));
        }
    }
    problems
}

#[test]
fn html_report_runs_no_script_and_gains_no_element_in_chromium() {
    let payloads = payloads();
    let dir = workspace_root().join("target/output-safety");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let html_file = dir.join("report.html");
    stdout_of(
        &["report", HOSTILE, "--output", html_file.to_str().unwrap()],
        0,
    );
    let html = std::fs::read_to_string(&html_file).unwrap();
    assert_terminal_safe("report html", &html, false);
    let title = html
        .split("<title>")
        .nth(1)
        .and_then(|t| t.split("</title>").next())
        .unwrap()
        .replace("&amp;", "&");
    // The template's own SVG charts; a name cannot add one.
    let own_svgs = html.matches("<svg").count();
    for bypass_csp in [false, true] {
        let seen = probe(&html_file, bypass_csp);
        let problems = html_problems(&seen, &title);
        assert!(
            problems.is_empty(),
            "bypass_csp={bypass_csp}: {problems:#?}"
        );
        assert_eq!(seen["elements"]["svg"], own_svgs);
        // The names are on the page as text.
        let text = seen["text"].as_str().unwrap();
        for p in &payloads {
            if !p.chars().any(|c| c.is_control() || is_dangerous(c)) {
                assert!(text.contains(p.as_str()), "the page does not show {p:?}");
            }
        }
    }

    // The probe finds what it is meant to find: the same payloads, unescaped.
    let unsafe_page = dir.join("unsafe.html");
    std::fs::write(
        &unsafe_page,
        format!(
            "<!doctype html><html><head><meta http-equiv=\"Content-Security-Policy\" \
             content=\"default-src 'none'\"><title>{title}</title></head><body>{}</body></html>",
            payloads[..5].join("<br>")
        ),
    )
    .unwrap();
    let strict = html_problems(&probe(&unsafe_page, false), &title);
    assert!(
        strict.iter().any(|p| p.contains("<script>"))
            && strict.iter().any(|p| p.contains("handlers")),
        "{strict:#?}"
    );
    let bypassed = html_problems(&probe(&unsafe_page, true), &title);
    assert!(
        bypassed.iter().any(|p| p.starts_with("title changed"))
            && bypassed.iter().any(|p| p.contains("window.pwned")),
        "{bypassed:#?}"
    );
    std::fs::remove_dir_all(dir).unwrap();
}
