//! The posture report as one self-contained HTML file: inline CSS and SVG, no script, no external
//! reference of any kind (a Content-Security-Policy forbids loading anything), readable on screen
//! and printable to A4 with running headers, page numbers and rows that never split.

use std::fmt::Write as _;

use grantscope_core::findings::{EntityRef, Finding, Severity};
use grantscope_core::score::{
    Area, GRADE_FLOORS, Grade, METHOD_VERSION, SPREAD, ScoreStatus, severity_ceiling,
    severity_points,
};

use super::advice::Effort;
use super::escape::{html as e, visible};
use super::model::{Model, Risk};
use super::svg;
use super::text;

/// At most this many targets are listed under an action (every finding is in the details).
const MAX_TARGETS: usize = 25;

const STYLE: &str = r#"
:root { --ink: #1f2933; --muted: #5f6b76; --rule: #d5dbe0; --soft: #f4f6f8; --accent: #0b4f6c; }
* { box-sizing: border-box; }
html { -webkit-print-color-adjust: exact; print-color-adjust: exact; }
body { margin: 0; color: var(--ink); background: #fff; font: 10.5pt/1.45 "Segoe UI", "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif; overflow-wrap: break-word; }
.id, .src, table.ev td, .targets li { overflow-wrap: anywhere; }
main, .cover { max-width: 190mm; margin: 0 auto; padding: 0 6mm; }
h1, h2, h3, h4 { color: var(--accent); line-height: 1.2; break-after: avoid; page-break-after: avoid; }
h2 { font-size: 17pt; margin: 14mm 0 4mm; padding-bottom: 2mm; border-bottom: 2px solid var(--accent); }
h3 { font-size: 12.5pt; margin: 7mm 0 2mm; }
h4 { font-size: 10.5pt; margin: 4mm 0 1mm; color: var(--ink); }
p { margin: 0 0 2.5mm; }
.muted, .id, .src { color: var(--muted); }
.id { font: 8pt/1.3 "DejaVu Sans Mono", "Liberation Mono", monospace; }
.small { font-size: 8.5pt; }
table { width: 100%; border-collapse: collapse; margin: 2mm 0 4mm; font-size: 9pt; }
thead { display: table-header-group; }
tfoot { display: table-footer-group; }
tr { break-inside: avoid; page-break-inside: avoid; }
th, td { text-align: left; vertical-align: top; padding: 1.4mm 2mm; border-bottom: 1px solid var(--rule); }
thead th { background: var(--soft); border-bottom: 1.5px solid #9aa5b1; font-weight: 600; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr.pkg th { background: #e8f1f5; color: var(--accent); font-weight: 600; }
.badge { display: inline-block; padding: 0.2mm 1.8mm; border-radius: 2mm; color: #fff; font-size: 8pt; font-weight: 600; white-space: nowrap; }
.sev-critical { background: #6a1b9a; } .sev-high { background: #c62828; } .sev-medium { background: #e65100; }
.sev-low { background: #1565c0; } .sev-info { background: #78909c; }
.grade { display: inline-block; min-width: 7mm; text-align: center; padding: 0.3mm 1.5mm; border-radius: 1.5mm; color: #fff; font-weight: 700; }
.grade-A { background: #2e7d32; } .grade-B { background: #689f38; } .grade-C { background: #f9a825; color: #1f2933; }
.grade-D { background: #ef6c00; } .grade-F { background: #c62828; } .grade-none { background: #9e9e9e; }
.cover { min-height: 260mm; display: flex; flex-direction: column; justify-content: space-between; padding-top: 24mm; break-after: page; page-break-after: always; }
.cover .kicker { text-transform: uppercase; letter-spacing: 0.12em; color: var(--muted); font-size: 9pt; margin: 0; }
.cover h1 { font-size: 28pt; margin: 3mm 0 2mm; }
.cover .client { font-size: 18pt; margin: 0 0 10mm; }
.cover .headline { display: flex; gap: 10mm; align-items: center; margin: 6mm 0; }
.cover .headline p { font-size: 12pt; margin: 0; }
.cover dl { display: grid; grid-template-columns: 38mm 1fr; gap: 1.5mm 4mm; margin: 0; }
.cover dt { color: var(--muted); }
.cover dd { margin: 0; }
.cover .confidential { border-top: 1px solid var(--rule); padding-top: 3mm; color: var(--muted); font-size: 8.5pt; }
nav.toc { margin-top: 8mm; border-top: 1px solid var(--rule); padding-top: 3mm; }
nav.toc h2 { font-size: 11pt; border: 0; margin: 0 0 2mm; padding: 0; }
nav.toc > ol { columns: 2; column-gap: 10mm; margin: 0; padding-left: 6mm; font-size: 9.5pt; }
nav.toc li { break-inside: avoid; }
nav.toc a { color: var(--ink); text-decoration: none; }
.boxes { display: grid; grid-template-columns: 1fr 1fr; gap: 5mm; margin: 3mm 0 5mm; }
.box { border: 1px solid var(--rule); border-radius: 2mm; padding: 3mm 4mm; background: var(--soft); break-inside: avoid; }
.box h3 { margin-top: 0; font-size: 11pt; }
.box ul, .box ol { margin: 0; padding-left: 5mm; }
.box li { margin-bottom: 1.5mm; }
.box.good { border-left: 4px solid #2e7d32; } .box.bad { border-left: 4px solid #c62828; }
.box.todo { border-left: 4px solid var(--accent); grid-column: 1 / span 2; background: #fff; }
.lead { font-size: 11.5pt; }
figure { margin: 4mm 0 7mm; break-inside: avoid; page-break-inside: avoid; }
figcaption { font-size: 9pt; color: var(--muted); margin-top: 1mm; }
figcaption strong { color: var(--ink); }
svg.chart { width: 100%; height: auto; max-width: 180mm; display: block; }
svg text { font-family: "Segoe UI", "Helvetica Neue", Arial, "Liberation Sans", "DejaVu Sans", sans-serif; font-size: 11px; fill: #1f2933; }
svg text.legend, svg text.axis { font-size: 10px; fill: #5f6b76; }
svg text.inbar { fill: #fff; font-size: 10px; font-weight: 600; }
svg text.value { font-weight: 600; }
svg .guide { stroke: #b0bec5; stroke-dasharray: 2 3; }
svg .baseline { stroke: #90a4ae; }
svg.gauge .gauge-grade { font-size: 44px; font-weight: 700; }
svg.gauge .gauge-score { font-size: 13px; fill: #5f6b76; }
.risk, .action, .finding { border: 1px solid var(--rule); border-radius: 2mm; padding: 2.5mm 4mm; margin: 0 0 3mm; break-inside: avoid; page-break-inside: avoid; }
.risk h3, .action h3 { margin: 0 0 1.5mm; font-size: 11pt; color: var(--ink); }
.risk .impact { font-weight: 600; }
ol.plan { list-style: none; padding: 0; counter-reset: action; }
ol.plan > li { counter-increment: action; }
ol.plan > li h3::before { content: counter(action) ". "; color: var(--accent); }
.action table.kv { margin: 1mm 0 2mm; }
table.kv th { width: 32mm; color: var(--muted); font-weight: normal; background: none; }
ul.targets { margin: 1mm 0 0; padding-left: 5mm; font-size: 9pt; columns: 2; column-gap: 8mm; }
.finding header { display: flex; gap: 3mm; align-items: baseline; flex-wrap: wrap; }
.finding .rule { font-weight: 600; }
.finding .msg { margin: 1mm 0; }
.finding dl { display: grid; grid-template-columns: 22mm 1fr; gap: 0.8mm 3mm; margin: 0; font-size: 9pt; }
.finding dt { color: var(--muted); }
.finding dd { margin: 0; }
table.ev { margin: 0; font-size: 8.5pt; }
table.ev th { width: 40mm; font-weight: normal; color: var(--muted); background: none; border-bottom: 1px dotted var(--rule); }
table.ev td { border-bottom: 1px dotted var(--rule); font-family: "DejaVu Sans Mono", "Liberation Mono", monospace; font-size: 8pt; }
.area-head { display: flex; gap: 4mm; align-items: baseline; }
.note { border-left: 3px solid #f9a825; background: #fffaf0; padding: 2mm 3mm; margin: 2mm 0 4mm; font-size: 9.5pt; break-inside: avoid; }
.empty { color: var(--muted); font-style: italic; }
.nowrap { white-space: nowrap; }
table.scores td:nth-child(3), table.scores td:nth-child(4) { white-space: nowrap; }
table.inv tbody { break-inside: avoid; page-break-inside: avoid; }
.action dl { display: grid; grid-template-columns: 28mm 1fr; gap: 0.6mm 3mm; margin: 1mm 0 1.5mm; font-size: 9pt; }
.action dt { color: var(--muted); }
.action dd { margin: 0; }
.action p { margin-bottom: 1mm; }
figure h3 { margin: 0 0 2mm; font-size: 11pt; }
@media screen { body { background: #eef1f4; } main, .cover { background: #fff; box-shadow: 0 0 4mm rgba(0,0,0,.08); } .cover { margin-top: 8mm; } main { padding-bottom: 12mm; } }
@media print {
  body { font-size: 9.5pt; }
  main, .cover { max-width: none; padding: 0; }
  h2.page { break-before: page; page-break-before: always; margin-top: 0; }
  a { color: inherit; text-decoration: none; }
  .cover { min-height: 0; height: 252mm; padding-top: 10mm; }
}
"#;

/// A CSS string literal that cannot end the string, the rule or the `<style>` element: anything
/// but ASCII letters, digits and spaces becomes a hex escape.
fn css_string(text: &str) -> String {
    let mut out = String::from("\"");
    for c in visible(text).chars() {
        if c.is_ascii_alphanumeric() || c == ' ' {
            out.push(c);
        } else {
            let _ = write!(out, "\\{:x} ", u32::from(c));
        }
    }
    out.push('"');
    out
}

/// The `@page` rules: A4, margins, a running header and footer with page numbers (CSS margin
/// boxes, printed by Chromium 131 and later; older browsers print without them).
fn page_style(m: &Model<'_>) -> String {
    let left = match &m.client {
        Some(c) => format!("{c} \u{b7} Access governance posture"),
        None => "Access governance posture".to_owned(),
    };
    let footer = format!(
        "As of {} \u{b7} grantscope {}",
        m.as_of, m.report.tool.version
    );
    format!(
        "@page {{ size: A4; margin: 18mm 15mm 18mm 15mm;\n  @top-left {{ content: {}; font: 8pt sans-serif; color: #5f6b76; }}\n  @top-right {{ content: \"Confidential\"; font: 8pt sans-serif; color: #5f6b76; }}\n  @bottom-left {{ content: {}; font: 8pt sans-serif; color: #5f6b76; }}\n  @bottom-right {{ content: \"Page \" counter(page) \" of \" counter(pages); font: 8pt sans-serif; color: #5f6b76; }}\n}}\n@page :first {{ @top-left {{ content: none; }} @top-right {{ content: none; }} @bottom-left {{ content: none; }} @bottom-right {{ content: none; }} }}\n",
        css_string(&left),
        css_string(&footer)
    )
}

fn severity_badge(s: Severity) -> String {
    format!(
        "<span class=\"badge sev-{}\">{}</span>",
        s.as_str(),
        svg::capitalise(s.as_str())
    )
}

fn grade_badge(g: Option<Grade>) -> String {
    match g {
        Some(g) => format!("<span class=\"grade grade-{g}\">{g}</span>"),
        None => "<span class=\"grade grade-none\">–</span>".to_owned(),
    }
}

fn status_text(s: ScoreStatus) -> &'static str {
    match s {
        ScoreStatus::Complete => "complete",
        ScoreStatus::Incomplete => "incomplete",
        ScoreStatus::NotGraded => "not graded",
    }
}

/// Renders the report.
pub(crate) fn render(m: &Model<'_>) -> String {
    let mut o = String::with_capacity(256 * 1024);
    let title = match &m.client {
        Some(c) => format!("{c} \u{2014} access governance posture as of {}", m.as_of),
        None => format!("Access governance posture as of {}", m.as_of),
    };
    let _ = write!(
        o,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src 'unsafe-inline'\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<meta name=\"generator\" content=\"grantscope {}\">\n<title>{}</title>\n<style>{STYLE}{}</style>\n</head>\n<body>\n",
        e(&m.report.tool.version),
        e(&title),
        page_style(m)
    );
    cover(&mut o, m);
    o.push_str("<main>\n");
    summary(&mut o, m);
    scores(&mut o, m);
    risks(&mut o, m);
    charts(&mut o, m);
    plan(&mut o, m);
    details(&mut o, m);
    limitations(&mut o, m);
    inventory(&mut o, m);
    method(&mut o, m);
    o.push_str("</main>\n</body>\n</html>\n");
    o
}

fn cover(o: &mut String, m: &Model<'_>) {
    let overall = &m.score.overall;
    o.push_str("<header class=\"cover\">\n<div>\n<p class=\"kicker\">Microsoft Entra ID \u{b7} Entitlement management</p>\n<h1>Access governance posture assessment</h1>\n");
    let _ = writeln!(
        o,
        "<p class=\"client\">{}</p>",
        e(m.client.as_deref().unwrap_or("Client not named"))
    );
    let _ = writeln!(
        o,
        "<div class=\"headline\">{}<p>Overall posture <strong>{} / 100, grade {}</strong>{}.<br>{}</p></div>",
        svg::gauge(overall.score, overall.grade),
        overall.score,
        overall.grade,
        if overall.status == ScoreStatus::Complete {
            ""
        } else {
            " (incomplete: some checks could not run)"
        },
        e(&text::overall_meaning(m))
    );
    o.push_str("<dl>\n");
    let _ = writeln!(o, "<dt>As of</dt><dd>{}</dd>", e(&m.as_of_long()));
    let _ = writeln!(
        o,
        "<dt>Prepared for</dt><dd>{}</dd>",
        e(m.client.as_deref().unwrap_or("—"))
    );
    let _ = writeln!(
        o,
        "<dt>Prepared by</dt><dd>{}</dd>",
        e(m.prepared_by.as_deref().unwrap_or("—"))
    );
    let _ = writeln!(
        o,
        "<dt>Data analysed</dt><dd>{}</dd>",
        e(&text::data_analysed(m))
    );
    let _ = writeln!(
        o,
        "<dt>Checks</dt><dd>{} of {} checks ran; {} findings</dd>",
        m.rules_evaluated, m.rules_total, m.report.summary.total
    );
    let _ = writeln!(
        o,
        "<dt>Produced with</dt><dd>grantscope {} (offline analysis of exported files; nothing was changed in the tenant)</dd>",
        e(&m.report.tool.version)
    );
    o.push_str("</dl>\n");
    toc(o);
    o.push_str("</div>\n");
    let _ = writeln!(
        o,
        "<p class=\"confidential\">Confidential{}. This report describes weaknesses in access control; share it only with the people who need it.</p>\n</header>",
        m.client
            .as_deref()
            .map(|c| format!(": prepared for {}", e(c)))
            .unwrap_or_default()
    );
}

const SECTIONS: [(&str, &str); 10] = [
    ("summary", "Executive summary"),
    ("score", "Posture score by area"),
    ("risks", "Top risks"),
    ("charts", "The tenant at a glance"),
    ("plan", "Remediation plan"),
    ("details", "Findings in detail"),
    ("limitations", "Limitations"),
    ("inventory", "Appendix A \u{2014} Inventory"),
    ("method", "Appendix B \u{2014} Scoring method"),
    ("", ""),
];

fn toc(o: &mut String) {
    o.push_str("<nav class=\"toc\">\n<h2>Contents</h2>\n<ol>\n");
    for (id, title) in SECTIONS.iter().filter(|(id, _)| !id.is_empty()) {
        let _ = write!(o, "<li><a href=\"#{id}\">{}</a>", e(title));
        if *id == "details" {
            let areas: Vec<String> = Area::ALL
                .iter()
                .map(|a| format!("<a href=\"#area-{}\">{}</a>", a.as_str(), e(a.title())))
                .collect();
            let _ = write!(
                o,
                "<br><span class=\"small\">{}</span>",
                areas.join(" \u{b7} ")
            );
        }
        o.push_str("</li>\n");
    }
    o.push_str("</ol>\n</nav>\n");
}

fn h2(o: &mut String, id: &str, new_page: bool) {
    let title = SECTIONS
        .iter()
        .find(|(i, _)| *i == id)
        .map_or(id, |(_, t)| t);
    let _ = writeln!(
        o,
        "<h2 id=\"{id}\"{}>{}</h2>",
        if new_page { " class=\"page\"" } else { "" },
        e(title)
    );
}

fn summary(o: &mut String, m: &Model<'_>) {
    o.push_str("<section>\n");
    h2(o, "summary", false);
    for p in text::summary_paragraphs(m) {
        let _ = writeln!(o, "<p class=\"lead\">{}</p>", e(&p));
    }
    o.push_str("<div class=\"boxes\">\n<div class=\"box good\">\n<h3>What is good</h3>\n<ul>\n");
    let good = text::good_points(m);
    if good.is_empty() {
        o.push_str("<li>No area is free of problems yet; the plan below starts with the quickest gains.</li>\n");
    }
    for g in good {
        let _ = writeln!(o, "<li>{}</li>", e(&g));
    }
    o.push_str("</ul>\n</div>\n<div class=\"box bad\">\n<h3>The main risks</h3>\n<ul>\n");
    let mut any = false;
    for r in m.top_risks().take(3) {
        any = true;
        let _ = writeln!(
            o,
            "<li>{} <strong>{}</strong> {}</li>",
            severity_badge(r.severity),
            e(&text::risk_headline(r)),
            e(r.impact)
        );
    }
    if !any {
        o.push_str("<li>No risk above informational level was found.</li>\n");
    }
    o.push_str(
        "</ul>\n</div>\n<div class=\"box todo\">\n<h3>The first three things to do</h3>\n<ol>\n",
    );
    let todo = text::first_three(m);
    if todo.is_empty() {
        o.push_str(
            "<li>Nothing to fix: keep exporting and re-running this assessment regularly.</li>\n",
        );
    }
    for t in todo {
        let _ = writeln!(
            o,
            "<li><strong>{}.</strong> {} <span class=\"muted\">Effort: {}. Where: {}.</span></li>",
            e(&t.title),
            e(&t.why),
            e(t.effort),
            e(&t.where_)
        );
    }
    o.push_str("</ol>\n</div>\n</div>\n</section>\n");
}

fn scores(o: &mut String, m: &Model<'_>) {
    o.push_str("<section>\n");
    h2(o, "score", true);
    let overall = &m.score.overall;
    let _ = writeln!(
        o,
        "<p>Overall: <strong>{} / 100</strong> {} ({}). Each area starts at 100 and loses points for every problem found, more for severe and widespread ones; an open critical finding caps an area at {}, a high one at {}. Appendix B gives the method.</p>",
        overall.score,
        grade_badge(Some(overall.grade)),
        status_text(overall.status),
        severity_ceiling(Severity::Critical).unwrap_or(100),
        severity_ceiling(Severity::High).unwrap_or(100)
    );
    let _ = writeln!(
        o,
        "<figure>{}<figcaption><strong>Figure 1.</strong> Score per area; dotted lines mark the grade boundaries.</figcaption></figure>",
        svg::area_scores(&m.score.areas)
    );
    o.push_str("<table class=\"scores\">\n<colgroup><col style=\"width:34%\"><col style=\"width:8%\"><col style=\"width:8%\"><col style=\"width:12%\"><col style=\"width:9%\"><col></colgroup>\n<thead><tr><th>Area</th><th class=\"num\">Score</th><th>Grade</th><th>Status</th><th class=\"num\">Findings</th><th>Why this score</th></tr></thead>\n<tbody>\n");
    for a in &m.score.areas {
        let score = a.score.map_or_else(|| "–".to_owned(), |s| s.to_string());
        let _ = writeln!(
            o,
            "<tr><td><strong>{}</strong><br><span class=\"muted small\">{}</span></td><td class=\"num\">{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"small\">{}</td></tr>",
            e(a.area.title()),
            e(a.area.question()),
            score,
            grade_badge(a.grade),
            status_text(a.status),
            a.findings,
            e(&text::area_explanation(a))
        );
    }
    o.push_str("</tbody>\n</table>\n</section>\n");
}

fn risks(o: &mut String, m: &Model<'_>) {
    o.push_str("<section>\n");
    h2(o, "risks", true);
    let top: Vec<&Risk> = m.top_risks().collect();
    if top.is_empty() {
        o.push_str("<p class=\"empty\">No risk above informational level was found.</p>\n");
    } else {
        let _ = writeln!(
            o,
            "<p>The {} most serious problems, most severe first. Each is one check that failed, with what it means for the business and where it was found.</p>",
            top.len()
        );
    }
    for (i, r) in top.iter().enumerate() {
        let _ = write!(
            o,
            "<div class=\"risk\">\n<h3>{}. {} {}</h3>\n<p class=\"impact\">{}</p>\n<p class=\"small\">{} <span class=\"muted\">({} {} \u{b7} {} \u{b7} details under <a href=\"#area-{}\">{}</a>)</span></p>\n</div>\n",
            i + 1,
            severity_badge(r.severity),
            e(&text::risk_headline(r)),
            e(r.impact),
            e(&text::found_on(r, 5)),
            e(&r.rule_id),
            e(&r.rule_name),
            e(r.area.title()),
            r.area.as_str(),
            e(r.area.title())
        );
    }
    o.push_str("</section>\n");
}

fn charts(o: &mut String, m: &Model<'_>) {
    o.push_str("<section>\n");
    h2(o, "charts", true);
    let _ = writeln!(
        o,
        "<figure><h3>Findings by area and severity</h3>{}<figcaption><strong>Figure 2.</strong> Findings by area and severity ({} in total).</figcaption></figure>",
        svg::findings_by_area(&m.by_area),
        m.report.summary.total
    );
    let guest_colours = [
        "#2e7d32", "#7cb342", "#f9a825", "#ef6c00", "#c62828", "#6a1b9a", "#9e9e9e",
    ];
    let guests_caption = if m.sign_in_data {
        format!(
            "Enabled guests by days since their last sign-in (as of {}); guests inactive for more than 90 days are the stale ones.{}",
            m.as_of,
            if m.guests_disabled > 0 {
                format!(
                    " {} not shown.",
                    text::count(
                        m.guests_disabled,
                        "disabled guest is",
                        "disabled guests are"
                    )
                )
            } else {
                String::new()
            }
        )
    } else {
        "Enabled guests: sign-in activity was not exported (it needs Entra ID P1), so their activity is unknown.".to_owned()
    };
    let _ = writeln!(
        o,
        "<figure><h3>Guests by days since their last sign-in</h3>{}<figcaption><strong>Figure 3.</strong> {}</figcaption></figure>",
        svg::buckets(
            "chart-guests",
            "Guests by days since last sign-in",
            &m.guest_activity,
            &guest_colours
        ),
        e(&guests_caption)
    );
    let expiry_colours = [
        "#c62828", "#2e7d32", "#7cb342", "#f9a825", "#ef6c00", "#9e9e9e",
    ];
    let _ = writeln!(
        o,
        "<figure><h3>Policies by expiration</h3>{}<figcaption><strong>Figure 4.</strong> Assignment policies by how long the access they grant lasts (fixed end dates counted from {}).</figcaption></figure>",
        svg::buckets(
            "chart-expiry",
            "Policies by expiration",
            &m.policy_expiry,
            &expiry_colours
        ),
        m.as_of
    );
    let _ = writeln!(
        o,
        "<figure><h3>Eligible population of the broadest access packages</h3>{}<figcaption><strong>Figure 5.</strong> Enabled users who can request (or are automatically given) each of the {} broadest access packages, through all of its policies; a triangle marks packages anyone from outside can request.</figcaption></figure>",
        svg::populations(&m.broadest),
        m.broadest.len()
    );
    o.push_str("</section>\n");
}

fn plan(o: &mut String, m: &Model<'_>) {
    o.push_str("<section>\n");
    h2(o, "plan", true);
    let _ = writeln!(
        o,
        "<p>Actions, not findings: each action resolves every finding of one check. They are ordered by risk reduction per unit of effort (the points the area regains divided by {}), so the quickest gains come first. Paths are in the Microsoft Entra admin center.</p>",
        Effort::ALL
            .iter()
            .map(|x| format!("{} for {} effort", x.weight(), x.label().to_lowercase()))
            .collect::<Vec<_>>()
            .join(", ")
    );
    if let Some(t) = text::export_todo(m) {
        let _ = writeln!(
            o,
            "<p class=\"note\"><strong>Before these actions: {}.</strong> {} Where: {}.</p>",
            e(&t.title),
            e(&t.why),
            e(&t.where_)
        );
    }
    if m.actions.is_empty() {
        o.push_str("<p class=\"empty\">Nothing to fix.</p>\n");
    }
    o.push_str("<ol class=\"plan\">\n");
    for a in &m.actions {
        let r = &a.risk;
        let _ = write!(
            o,
            "<li class=\"action\">\n<h3>{}</h3>\n<p>{}</p>\n<dl>\n<dt>Where</dt><dd>{}</dd>\n<dt>Effort</dt><dd>{} \u{2014} {}</dd>\n<dt>Risk reduction</dt><dd>+{} points in {}</dd>\n<dt>Resolves</dt><dd>{} of check {} {} (most severe: {})</dd>\n</dl>\n<ul class=\"targets\">\n",
            e(&a.text),
            e(r.impact),
            e(a.advice.where_),
            e(a.effort().label()),
            e(a.effort().meaning()),
            text::points(r.points),
            e(r.area.title()),
            e(&text::count(r.findings, "finding", "findings")),
            e(&r.rule_id),
            e(&r.rule_name),
            r.severity
        );
        for t in r.subjects.iter().take(MAX_TARGETS) {
            let _ = writeln!(o, "<li>{}</li>", e(t));
        }
        if r.subjects.len() > MAX_TARGETS {
            let _ = writeln!(
                o,
                "<li class=\"muted\">and {} more (see <a href=\"#area-{}\">{}</a>)</li>",
                r.subjects.len() - MAX_TARGETS,
                r.area.as_str(),
                e(r.area.title())
            );
        }
        o.push_str("</ul>\n</li>\n");
    }
    o.push_str("</ol>\n</section>\n");
}

fn entity(r: &EntityRef, label: Option<&str>) -> String {
    let name = label
        .map(str::to_owned)
        .or_else(|| r.display_name.clone())
        .unwrap_or_else(|| r.id.clone());
    let mut s = format!("{}: <strong>{}</strong>", e(r.kind.name()), e(&name));
    if name != r.id {
        let _ = write!(s, " <span class=\"id\">{}</span>", e(&r.id));
    }
    if let Some(src) = &r.source {
        let _ = write!(
            s,
            " <span class=\"src small\">({}:{})</span>",
            e(&src.file),
            src.line
        );
    }
    s
}

fn finding(o: &mut String, f: &Finding, label: &str) {
    let _ = write!(
        o,
        "<article class=\"finding\" id=\"f-{}\">\n<header>{} <span class=\"rule\">{} {}</span></header>\n<p class=\"msg\">{}</p>\n<dl>\n<dt>Subject</dt><dd>{}</dd>\n",
        e(&f.fingerprint),
        severity_badge(f.severity),
        e(&f.rule_id),
        e(&f.rule_name),
        e(&f.message),
        entity(&f.subject, Some(label))
    );
    if !f.related.is_empty() {
        let related: Vec<String> = f.related.iter().map(|r| entity(r, None)).collect();
        let _ = writeln!(o, "<dt>Related</dt><dd>{}</dd>", related.join("<br>"));
    }
    if !f.evidence.is_empty() {
        o.push_str("<dt>Evidence</dt><dd><table class=\"ev\"><tbody>\n");
        for (k, v) in &f.evidence {
            let _ = writeln!(
                o,
                "<tr><th>{}</th><td>{}</td></tr>",
                e(k),
                e(&text::evidence_value(v))
            );
        }
        o.push_str("</tbody></table></dd>\n");
    }
    let _ = write!(
        o,
        "<dt>Fix</dt><dd>{}</dd>\n<dt>Fingerprint</dt><dd class=\"id\">{}</dd>\n</dl>\n</article>\n",
        e(&f.remediation),
        e(&f.fingerprint)
    );
}

fn details(o: &mut String, m: &Model<'_>) {
    o.push_str("<section>\n");
    h2(o, "details", true);
    o.push_str("<p>Every finding, grouped by area, most severe first, with the facts that prove it (evidence) and the entity it is about. Object ids and source file positions let an administrator find each object in the export and in the admin center.</p>\n");
    for (area, list) in &m.details {
        let a = m.score.area(*area);
        let _ = write!(
            o,
            "<h3 id=\"area-{}\" class=\"area-head\">{} {} <span class=\"muted small\">{} \u{b7} {} {}</span></h3>\n<p class=\"muted\">{}</p>\n",
            area.as_str(),
            e(area.title()),
            grade_badge(a.grade),
            a.score
                .map_or_else(|| "not graded".to_owned(), |s| format!("{s} / 100")),
            list.len(),
            if list.len() == 1 {
                "finding"
            } else {
                "findings"
            },
            e(area.question())
        );
        if !a.rules_not_run.is_empty() {
            let _ = writeln!(
                o,
                "<p class=\"note\">{} of {} checks of this area did not run ({}): see Limitations.</p>",
                a.rules_not_run.len(),
                a.rules_total,
                e(&a.rules_not_run.join(", "))
            );
        }
        if list.is_empty() {
            o.push_str("<p class=\"empty\">No finding in this area.</p>\n");
        }
        for (f, label) in list {
            finding(o, f, label);
        }
    }
    o.push_str("</section>\n");
}

fn limitations(o: &mut String, m: &Model<'_>) {
    o.push_str("<section>\n");
    h2(o, "limitations", true);
    let _ = writeln!(
        o,
        "<p>This assessment reads files exported from the tenant; it shows the configuration and activity they contain, as of {}. It never connects to the tenant. A check that could not run is reported here, never counted as passed, and caps the score of its area.</p>",
        e(&m.as_of_long())
    );
    o.push_str("<h3>Data that was not exported</h3>\n");
    if m.missing_datasets.is_empty() {
        o.push_str("<p>Every dataset grantscope reads was present in the export.</p>\n");
    } else {
        o.push_str(
            "<table>\n<thead><tr><th>Dataset</th><th>How to export it</th></tr></thead>\n<tbody>\n",
        );
        for (d, hint) in &m.missing_datasets {
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td class=\"small\">{}</td></tr>",
                e(d.name()),
                e(hint)
            );
        }
        o.push_str("</tbody>\n</table>\n");
    }
    o.push_str("<h3>Checks that did not run</h3>\n");
    if m.not_run.is_empty() {
        let _ = writeln!(o, "<p>All {} checks ran.</p>", m.rules_total);
    } else {
        o.push_str(
            "<table>\n<thead><tr><th>Check</th><th>Status</th><th>Why</th></tr></thead>\n<tbody>\n",
        );
        for r in &m.not_run {
            let _ = writeln!(
                o,
                "<tr><td>{} {}</td><td>{}</td><td class=\"small\">{}</td></tr>",
                e(&r.rule_id),
                e(&r.rule_name),
                if r.disabled {
                    "turned off"
                } else {
                    "not evaluated"
                },
                e(&r.reason)
            );
        }
        o.push_str("</tbody>\n</table>\n");
    }
    o.push_str("<h3>Files</h3>\n");
    let _ = writeln!(
        o,
        "<p>{} files were read, {} were skipped as not being export data, {} could not be read.</p>",
        m.files_loaded,
        m.files_skipped,
        m.files_failed.len()
    );
    if !m.files_failed.is_empty() || !m.skipped.is_empty() {
        o.push_str("<table>\n<thead><tr><th>File</th><th>Outcome</th></tr></thead>\n<tbody>\n");
        for (name, err) in &m.files_failed {
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td class=\"small\">failed: {}</td></tr>",
                e(name),
                e(err)
            );
        }
        for (name, reason) in &m.skipped {
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td class=\"small\">skipped: {}</td></tr>",
                e(name),
                e(reason)
            );
        }
        o.push_str("</tbody>\n</table>\n");
    }
    let warnings = &m.report.warnings;
    if !warnings.is_empty() {
        let _ = writeln!(
            o,
            "<h3>Warnings while reading the export</h3>\n<p>{} warnings: the data was read, but some of it deserves attention.</p>",
            warnings.len()
        );
        o.push_str("<table>\n<thead><tr><th>Where</th><th>Warning</th></tr></thead>\n<tbody>\n");
        for w in warnings.iter().take(text::MAX_WARNINGS) {
            let _ = writeln!(
                o,
                "<tr><td class=\"small\">{}:{}</td><td class=\"small\">{}</td></tr>",
                e(&w.file),
                w.line,
                e(&w.message)
            );
        }
        if warnings.len() > text::MAX_WARNINGS {
            let _ = writeln!(
                o,
                "<tr><td colspan=\"2\" class=\"muted\">and {} more (see the JSON report)</td></tr>",
                warnings.len() - text::MAX_WARNINGS
            );
        }
        o.push_str("</tbody>\n</table>\n");
    }
    o.push_str("<h3>Boundaries of the method</h3>\n<ul>\n");
    for b in text::BOUNDARIES {
        let _ = writeln!(o, "<li>{}</li>", e(b));
    }
    o.push_str("</ul>\n</section>\n");
}

fn inventory(o: &mut String, m: &Model<'_>) {
    o.push_str("<section>\n");
    h2(o, "inventory", true);
    o.push_str("<h3>A.1 Catalogs, access packages, policies and resources</h3>\n<p>For each catalog, its access packages (what they grant and how many people hold them) and each package's assignment policies: who can request, who approves, when access ends and how it is reviewed.</p>\n");
    if m.catalogs.is_empty() {
        o.push_str("<p class=\"empty\">No catalog or access package in the export.</p>\n");
    }
    for c in &m.catalogs {
        let _ = writeln!(
            o,
            "<h4>Catalog: {} <span class=\"muted small\">({} access {})</span></h4>",
            e(&c.name),
            c.packages.len(),
            if c.packages.len() == 1 {
                "package"
            } else {
                "packages"
            }
        );
        if c.packages.is_empty() {
            o.push_str("<p class=\"empty\">No access package.</p>\n");
            continue;
        }
        o.push_str("<table class=\"inv\">\n<colgroup><col style=\"width:20%\"><col style=\"width:25%\"><col style=\"width:25%\"><col style=\"width:14%\"><col></colgroup>\n<thead><tr><th>Policy</th><th>Who can request</th><th>Approval</th><th>Expiry</th><th>Review</th></tr></thead>\n");
        for p in &c.packages {
            let mut tags = Vec::new();
            if p.privileged {
                tags.push("privileged".to_owned());
            }
            if p.hidden {
                tags.push("hidden".to_owned());
            }
            tags.push(format!(
                "{} {}",
                p.holders,
                if p.holders == 1 { "holder" } else { "holders" }
            ));
            let grants = if p.resources.is_empty() {
                "nothing exported".to_owned()
            } else {
                p.resources.join(", ")
            };
            let _ = writeln!(
                o,
                "<tbody>\n<tr class=\"pkg\"><th colspan=\"5\">{} <span class=\"muted small\">({})</span><br><span class=\"small\">Grants: {}</span></th></tr>",
                e(&p.name),
                e(&tags.join(", ")),
                e(&grants)
            );
            if p.policies.is_empty() {
                o.push_str(
                    "<tr><td colspan=\"5\" class=\"empty\">no assignment policy</td></tr>\n",
                );
            }
            for x in &p.policies {
                let _ = writeln!(
                    o,
                    "<tr><td>{}</td><td class=\"small\">{}</td><td class=\"small\">{}</td><td class=\"small\">{}</td><td class=\"small\">{}</td></tr>",
                    e(&x.name),
                    e(&x.scope),
                    e(&x.approval),
                    e(&x.expiry),
                    e(&x.review)
                );
            }
            o.push_str("</tbody>\n");
        }
        o.push_str("</table>\n");
    }
    o.push_str("<h3>A.2 Resources and the packages that grant them</h3>\n");
    if m.resources.is_empty() {
        o.push_str("<p class=\"empty\">No catalog resource in the export.</p>\n");
    } else {
        o.push_str("<table>\n<thead><tr><th>Resource</th><th>Type</th><th>Catalog</th><th>Granted by (role)</th></tr></thead>\n<tbody>\n");
        for r in &m.resources {
            let packages = if r.packages.is_empty() {
                "<span class=\"empty\">no package</span>".to_owned()
            } else {
                r.packages
                    .iter()
                    .map(|p| e(p))
                    .collect::<Vec<_>>()
                    .join("<br>")
            };
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td class=\"small\">{}</td><td class=\"small\">{}</td><td class=\"small\">{}</td></tr>",
                e(&r.name),
                e(&r.kind),
                e(&r.catalog),
                packages
            );
        }
        o.push_str("</tbody>\n</table>\n");
    }
    o.push_str("<h3>A.3 Guests</h3>\n");
    if m.guests.is_empty() {
        o.push_str("<p class=\"empty\">No guest in the export.</p>\n");
    } else {
        let _ = writeln!(
            o,
            "<p>{} guest accounts. Days are counted to {}.</p>",
            m.guests.len(),
            e(&m.as_of)
        );
        o.push_str("<table>\n<thead><tr><th>Guest</th><th>Email</th><th>State</th><th>Last sign-in</th><th class=\"num\">Days</th><th>Sponsors</th><th class=\"num\">Packages</th></tr></thead>\n<tbody>\n");
        for g in &m.guests {
            let state = if g.enabled {
                g.state.clone()
            } else if g.state.is_empty() {
                "disabled".to_owned()
            } else {
                format!("{}, disabled", g.state)
            };
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td class=\"small\">{}</td><td class=\"small\">{}</td><td class=\"small nowrap\">{}</td><td class=\"num\">{}</td><td class=\"small\">{}</td><td class=\"num\">{}</td></tr>",
                e(&g.name),
                e(&g.email),
                e(&state),
                e(&g.last_sign_in),
                g.days.map_or_else(|| "–".to_owned(), |d| d.to_string()),
                e(&g.sponsors),
                g.packages
            );
        }
        o.push_str("</tbody>\n</table>\n");
    }
    o.push_str("</section>\n");
}

fn method(o: &mut String, m: &Model<'_>) {
    o.push_str("<section>\n");
    h2(o, "method", true);
    let _ = writeln!(
        o,
        "<p>The score is computed by a fixed, documented method (version {}), from the findings and the list of checks that ran; the same export and date always give the same score. The six areas group the rule categories: eligibility; approval; expiration and review; separation of duties; guest lifecycle; hygiene.</p>",
        METHOD_VERSION
    );
    o.push_str("<h3>B.1 How an area is scored</h3>\n<ol>\n");
    let _ = writeln!(
        o,
        "<li><strong>Deductions.</strong> Each area starts at 100. Every check that found problems deducts, for each severity it found, <em>points \u{d7} (1 + {} \u{d7} share)</em>, where <em>share</em> is the part of the objects of that kind that it hit (3 of 30 policies = 0.1; guest findings are measured against the guests, tenant settings count as one object). A single finding costs the base points; a problem everywhere costs three times as much. Informational findings cost nothing.</li>",
        SPREAD
    );
    let _ = writeln!(
        o,
        "<li><strong>Severity ceiling.</strong> While a critical finding is open the area scores at most {}; while a high one is open, at most {}.</li>",
        severity_ceiling(Severity::Critical).unwrap_or(100),
        severity_ceiling(Severity::High).unwrap_or(100)
    );
    o.push_str("<li><strong>Missing data.</strong> A check that could not run (data not exported) or was turned off in the configuration caps the area at 100 \u{d7} checks that ran \u{f7} checks of the area, and marks it incomplete: missing data never scores better than the same check run clean. An area where no check ran is not graded.</li>\n");
    o.push_str("<li><strong>Result.</strong> The area score is the smallest of the three, rounded down.</li>\n</ol>\n");
    let _ = writeln!(
        o,
        "<p><strong>Overall score:</strong> the mean of the six area scores (an area that is not graded counts as 0), rounded down, and never above the lowest ceiling of any area. <strong>Grades:</strong> {}, F below {}.</p>",
        GRADE_FLOORS
            .iter()
            .map(|(g, f)| format!("{g} from {f}"))
            .collect::<Vec<_>>()
            .join(", "),
        GRADE_FLOORS.last().map_or(0, |(_, f)| *f)
    );
    o.push_str("<table>\n<thead><tr><th>Severity</th><th class=\"num\">Base points</th><th class=\"num\">Most points for a problem everywhere</th><th class=\"num\">Area ceiling</th></tr></thead>\n<tbody>\n");
    for s in Severity::ALL {
        let base = severity_points(s);
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            severity_badge(s),
            text::points(base),
            text::points(base * (1.0 + SPREAD)),
            severity_ceiling(s).map_or_else(|| "–".to_owned(), |c| c.to_string())
        );
    }
    o.push_str("</tbody>\n</table>\n<h3>B.2 How the remediation plan is ordered</h3>\n");
    let _ = writeln!(
        o,
        "<p>Each action fixes every finding of one check; its risk reduction is the points that check deducts from its area. Actions are ordered by risk reduction \u{f7} effort, then by severity. Effort levels: {}.</p>",
        Effort::ALL
            .iter()
            .map(|x| format!("{} (weight {}) = {}", x.label(), x.weight(), x.meaning()))
            .collect::<Vec<_>>()
            .join("; ")
    );
    o.push_str("<h3>B.3 This report's deductions</h3>\n<table>\n<thead><tr><th>Area</th><th>Check</th><th>Severity</th><th class=\"num\">Objects hit</th><th class=\"num\">Share</th><th class=\"num\">Points</th></tr></thead>\n<tbody>\n");
    let mut any = false;
    for a in &m.score.areas {
        for d in &a.deductions {
            any = true;
            let _ = writeln!(
                o,
                "<tr><td>{}</td><td>{} {}</td><td>{}</td><td class=\"num\">{} of {} {}</td><td class=\"num\">{:.2}</td><td class=\"num\">{}</td></tr>",
                e(a.area.title()),
                e(&d.rule_id),
                e(&d.rule_name),
                severity_badge(d.severity),
                d.subjects,
                d.basis_size,
                e(d.basis.noun()),
                d.share,
                text::points(d.points)
            );
        }
    }
    if !any {
        o.push_str("<tr><td colspan=\"6\" class=\"empty\">No deduction.</td></tr>\n");
    }
    o.push_str("</tbody>\n</table>\n<table>\n<thead><tr><th>Area</th><th class=\"num\">100 \u{2212} deductions</th><th class=\"num\">Ceiling</th><th class=\"num\">Coverage cap</th><th class=\"num\">Score</th></tr></thead>\n<tbody>\n");
    for a in &m.score.areas {
        let _ = writeln!(
            o,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{} ({} of {} checks)</td><td class=\"num\">{}</td></tr>",
            e(a.area.title()),
            text::points(a.raw),
            a.ceiling.map_or_else(|| "–".to_owned(), |c| c.to_string()),
            a.coverage_cap,
            a.rules_evaluated,
            a.rules_total,
            a.score.map_or_else(
                || "not graded".to_owned(),
                |s| format!("{s} {}", a.grade.map_or("", |g| g.as_str()))
            )
        );
    }
    o.push_str("</tbody>\n</table>\n</section>\n");
}
