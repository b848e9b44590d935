//! `grantscope report`: exit codes, output destinations, Markdown, the committed sample report,
//! self-containment of the HTML, and printing it to PDF with headless Chromium.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use grantscope_tests::{grantscope, run_with_limit, workspace_root};
use insta_cmd::assert_cmd_snapshot;

const CONTOSO: &str = "fixtures/tenants/contoso";
const SAMPLE: &str = "docs/sample-report.html";
/// The arguments that produce `docs/sample-report.html`.
const SAMPLE_ARGS: [&str; 8] = [
    "report",
    CONTOSO,
    "--client",
    "Contoso Ltd",
    "--prepared-by",
    "grantscope",
    "--as-of",
    "2026-11-01",
];

fn stdout_of(args: &[&str]) -> String {
    let out = grantscope(args).output().unwrap();
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

/// A scratch folder under `target/` (kept out of the way of other tests by its name).
fn scratch(name: &str) -> PathBuf {
    let dir = workspace_root().join("target/report-tests").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn help() {
    assert_cmd_snapshot!(grantscope(["report", "--help"]));
}

#[test]
fn a_path_is_required() {
    assert_cmd_snapshot!(grantscope(["report"]), @r"
    success: false
    exit_code: 2
    ----- stdout -----

    ----- stderr -----
    error: the following required arguments were not provided:
      <PATH>...

    Usage: grantscope report <PATH>...

    For more information, try '--help'.
    ");
}

#[test]
fn bad_date_and_unknown_format_exit_2() {
    assert_cmd_snapshot!(grantscope(["report", CONTOSO, "--as-of", "01/11/2026"]), @r"
    success: false
    exit_code: 2
    ----- stdout -----

    ----- stderr -----
    grantscope failed
      Cause: invalid --as-of `01/11/2026`: expected a date such as 2026-11-01
      Cause: input contains invalid characters
    ");
    let out = grantscope(["report", CONTOSO, "--format", "pdf"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("possible values: html, markdown"));
}

#[test]
fn missing_path_exits_2() {
    assert_cmd_snapshot!(grantscope(["report", "no/such/export"]), @r"
    success: false
    exit_code: 2
    ----- stdout -----

    ----- stderr -----
    grantscope failed
      Cause: cannot read `no/such/export`
      Cause: No such file or directory (os error 2)
    ");
}

#[test]
fn findings_do_not_fail_the_report_and_html_goes_to_stdout() {
    let html = stdout_of(&SAMPLE_ARGS);
    assert!(html.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
    assert!(html.ends_with("</html>\n"));
    assert!(
        html.contains("<title>Contoso Ltd — access governance posture as of 2026-11-01</title>")
    );
}

#[test]
fn output_file_is_written_and_stdout_stays_empty() {
    let dir = scratch("output");
    let file = dir.join("report.html");
    let out = grantscope(SAMPLE_ARGS)
        .arg("--output")
        .arg(&file)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.starts_with("wrote "), "{err}");
    assert!(err.contains("/ 100, grade "), "{err}");
    let written = std::fs::read_to_string(&file).unwrap();
    assert_eq!(written, stdout_of(&SAMPLE_ARGS));
}

#[test]
fn markdown_is_the_same_report() {
    let md = stdout_of(&[
        "report",
        CONTOSO,
        "--format",
        "markdown",
        "--client",
        "Contoso Ltd",
    ]);
    assert!(md.starts_with("# Access governance posture assessment\n"));
    for heading in [
        "\n## Executive summary\n",
        "\n### What is good\n",
        "\n### The main risks\n",
        "\n### The first three things to do\n",
        "\n## Posture score by area\n",
        "\n## Top risks\n",
        "\n## The tenant at a glance\n",
        "\n### Guests by days since last sign\\-in\n",
        "\n### Policies by expiration\n",
        "\n## Remediation plan\n",
        "\n## Findings in detail\n",
        "\n## Limitations\n",
        "\n## Appendix A — Inventory\n",
        "\n## Appendix B — Scoring method\n",
    ] {
        assert!(md.contains(heading), "{heading}");
    }
    // contoso's hostile names stay text.
    assert!(md.contains("\\<script\\>alert\\(1\\)\\</script\\>"));
    assert!(md.contains("=HYPERLINK\\(\"http\\://x\"\\)"));
    assert!(
        md.match_indices("<script")
            .all(|(i, _)| md[..i].ends_with('\\')),
        "an unescaped <script"
    );
    assert!(md.ends_with(".\n") || md.ends_with("|\n"));
}

#[test]
fn load_errors_exit_2_after_writing_the_report() {
    let dir = scratch("load-errors");
    let file = dir.join("report.html");
    let out = grantscope([
        "report",
        "tests/data/malformed",
        "--as-of",
        "2026-11-01",
        "--output",
    ])
    .arg(&file)
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8(out.stderr).unwrap();
    assert!(err.contains("failed to load"), "{err}");
    let html = std::fs::read_to_string(&file).unwrap();
    // The report says which files could not be read, and which checks could not run.
    assert!(html.contains("could not be read"));
    assert!(html.contains("failed: "));
    assert!(html.contains("not evaluated"));
}

/// The problems of an HTML file that must stand alone: scripts, event handlers, anything that
/// loads or links outside the file.
fn html_violations(html: &str) -> Vec<String> {
    let mut bad = Vec::new();
    let lower = html.to_ascii_lowercase();
    for needle in [
        "<script", "<img", "<iframe", "<object", "<embed", "<link", "<base", "url(", "@import",
    ] {
        if lower.contains(needle) {
            bad.push(format!("contains `{needle}`"));
        }
    }
    let mut rest = lower.as_str();
    while let Some(start) = rest.find('<') {
        let end = rest[start..].find('>').map_or(rest.len(), |e| start + e);
        let tag = &rest[start..end];
        for attr in tag.split(char::is_whitespace).skip(1) {
            if attr.starts_with("on") && attr.contains('=') {
                bad.push(format!("event handler in `{tag}`"));
            }
            for name in [
                "src=",
                "href=",
                "xlink:href=",
                "action=",
                "formaction=",
                "poster=",
                "data=",
            ] {
                if let Some(value) = attr.strip_prefix(name) {
                    let value = value.trim_matches(|c| c == '"' || c == '\'');
                    if !value.starts_with('#') {
                        bad.push(format!("`{name}` to outside the file in `{tag}`"));
                    }
                    if value.contains("//") || value.starts_with("http") {
                        bad.push(format!("URL in `{tag}`"));
                    }
                }
            }
        }
        rest = &rest[end..];
    }
    bad
}

#[test]
fn contoso_html_has_no_external_url_and_no_script() {
    let html = stdout_of(&SAMPLE_ARGS);
    assert_eq!(html_violations(&html), Vec::<String>::new());
    // A Content-Security-Policy forbids loading anything, even if something slipped through.
    assert!(html.contains(
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">"
    ));
    // The only URL in the file is contoso's hostile group name, escaped as text.
    for scheme in ["http:", "https:", "ftp:", "file:"] {
        for (i, _) in html.match_indices(scheme) {
            assert_eq!(
                &html[i.saturating_sub(6)..(i + 13).min(html.len())],
                "&quot;http://x&quot",
                "unexpected {scheme} at byte {i}"
            );
        }
    }
    assert!(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"));
    // Every in-document link has its target.
    for part in html.split("href=\"#").skip(1) {
        let id = &part[..part.find('"').unwrap()];
        assert!(
            html.contains(&format!("id=\"{id}\"")),
            "no target for #{id}"
        );
    }
    // The violation finder finds what it is meant to find.
    assert_eq!(
        html_violations("<p onclick=\"x()\"><a href=\"https://x\">x</a><img src=x><svg><use xlink:href=\"//x\"/></svg></p>").len(),
        7
    );
}

#[test]
fn sample_report_is_up_to_date() {
    let fresh = stdout_of(&SAMPLE_ARGS);
    let path = workspace_root().join(SAMPLE);
    if std::env::var_os("GRANTSCOPE_BLESS").is_some_and(|v| v == "1") {
        std::fs::write(&path, &fresh).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    if committed != fresh {
        let line = committed
            .lines()
            .zip(fresh.lines())
            .position(|(a, b)| a != b)
            .map_or(
                committed.lines().count().min(fresh.lines().count()) + 1,
                |i| i + 1,
            );
        panic!(
            "{SAMPLE} is stale (first difference on line {line}). Refresh it with\n\n    GRANTSCOPE_BLESS=1 cargo test -p grantscope-tests --test cli report::sample_report_is_up_to_date\n\nor: cargo run -q -- {} > {SAMPLE}",
            SAMPLE_ARGS
                .iter()
                .map(|a| if a.contains(' ') {
                    format!("\"{a}\"")
                } else {
                    (*a).to_owned()
                })
                .collect::<Vec<_>>()
                .join(" ")
        );
    }
}

/// "35 of 35 checks ran; 59 findings", from `check --format json` of the same export.
fn checks_line() -> String {
    let out = grantscope(["check", CONTOSO, "--format", "json"])
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let coverage = report["coverage"].as_array().unwrap();
    let ran = coverage
        .iter()
        .filter(|c| c["status"] == "evaluated")
        .count();
    format!(
        "{ran} of {} checks ran; {} findings",
        coverage.len(),
        report["summary"]["total"]
    )
}

/// A program on the PATH, or the path in `env`.
fn tool(env: &str, names: &[&str], install: &str) -> PathBuf {
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
        "`{}` is needed to check the printed posture report but was not found on the PATH. \
         Install it ({install}; scripts/test.sh does this), or set {env} to its path.",
        names[0]
    );
}

/// Runs a command to completion within `limit`, killing it if it hangs; returns its stdout.
fn run(command: Command, limit: Duration) -> String {
    let shown = format!("{command:?}");
    let output = run_with_limit(command, limit);
    assert!(
        output.status.success(),
        "{shown} failed: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn file_url(path: &Path) -> String {
    let mut url = String::from("file://");
    for c in path.to_string_lossy().chars() {
        match c {
            ' ' => url.push_str("%20"),
            '#' => url.push_str("%23"),
            '?' => url.push_str("%3F"),
            '%' => url.push_str("%25"),
            c => url.push(c),
        }
    }
    url
}

/// Prints the contoso report to PDF in headless Chromium, checks its pages and text, and leaves
/// the PDF and PNGs of the first pages in `target/report-pages/` for a person to look at.
#[test]
fn contoso_report_prints_to_pdf() {
    const APT: &str = "Debian/Ubuntu: `apt-get install -y chromium poppler-utils`";
    let chromium = tool(
        "GRANTSCOPE_CHROMIUM",
        &[
            "chromium",
            "chromium-browser",
            "google-chrome",
            "google-chrome-stable",
        ],
        APT,
    );
    let pdfinfo = tool("GRANTSCOPE_PDFINFO", &["pdfinfo"], APT);
    let pdftotext = tool("GRANTSCOPE_PDFTOTEXT", &["pdftotext"], APT);
    let pdftoppm = tool("GRANTSCOPE_PDFTOPPM", &["pdftoppm"], APT);

    let dir = workspace_root().join("target/report-pages");
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let html = dir.join("contoso.html");
    let pdf = dir.join("contoso.pdf");
    std::fs::write(&html, stdout_of(&SAMPLE_ARGS)).unwrap();

    let profile = dir.join("chromium-profile");
    let mut print = Command::new(&chromium);
    print
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--no-pdf-header-footer",
        ])
        .arg(format!("--user-data-dir={}", profile.display()))
        .arg(format!("--print-to-pdf={}", pdf.display()))
        .arg(file_url(&html));
    run(print, Duration::from_secs(180));
    let _ = std::fs::remove_dir_all(&profile);
    assert!(pdf.is_file(), "Chromium wrote no PDF");

    let mut info = Command::new(&pdfinfo);
    info.arg(&pdf);
    let info = run(info, Duration::from_secs(60));
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no page count in pdfinfo output:\n{info}"));
    assert!(info.contains("(A4)"), "not A4:\n{info}");
    assert!((25..=120).contains(&pages), "{pages} pages");

    let mut text = Command::new(&pdftotext);
    text.args(["-layout"]).arg(&pdf).arg("-");
    let text = run(text, Duration::from_secs(60));
    std::fs::write(dir.join("contoso.txt"), &text).unwrap();
    // Headings may wrap: compare with every run of whitespace as one space.
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    for expected in [
        "Access governance posture assessment",
        "Contoso Ltd",
        "1 November 2026",
        "Executive summary",
        "What is good",
        "The main risks",
        "The first three things to do",
        "Posture score by area",
        "Top risks",
        "The tenant at a glance",
        "Findings by area and severity",
        "Guests by days since their last sign-in",
        "Policies by expiration",
        "Eligible population of the broadest access packages",
        "Remediation plan",
        "Findings in detail",
        "Limitations",
        "Appendix A — Inventory",
        "Appendix B — Scoring method",
        &checks_line(),
        "Company Intranet",
        // Hostile names are printed as the text they are.
        "<script>alert(1)",
        "=HYPERLINK(\"http://x\")",
        // Running header and page numbers (CSS margin boxes).
        "Contoso Ltd · Access governance posture",
        "Confidential",
        &format!("Page 2 of {pages}"),
        &format!("Page {pages} of {pages}"),
    ] {
        assert!(
            text.contains(expected),
            "`{expected}` is not in the PDF text"
        );
    }
    // The overall score printed on the cover is the one the CLI reports.
    let out = grantscope(SAMPLE_ARGS)
        .arg("--output")
        .arg(dir.join("again.html"))
        .output()
        .unwrap();
    let err = String::from_utf8(out.stderr).unwrap();
    let score = err
        .split("overall ")
        .nth(1)
        .and_then(|s| s.split(',').next())
        .unwrap_or_else(|| panic!("no score in {err}"));
    assert!(
        text.contains(&format!("Overall posture {score}")),
        "{score}"
    );
    let _ = std::fs::remove_file(dir.join("again.html"));

    let mut png = Command::new(&pdftoppm);
    png.args(["-png", "-r", "80", "-f", "1", "-l", "8"])
        .arg(&pdf)
        .arg(dir.join("page"));
    run(png, Duration::from_secs(120));
    let pngs = std::fs::read_dir(&dir)
        .unwrap()
        .filter(|e| {
            e.as_ref()
                .is_ok_and(|e| e.file_name().to_string_lossy().ends_with(".png"))
        })
        .count();
    assert_eq!(pngs, 8.min(pages));
}
