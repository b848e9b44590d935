//! The posture report as GitHub Flavored Markdown: the same sections as the HTML, with the charts
//! as tables. Every piece of data goes through [`md`].

use std::fmt::Write as _;

use grantscope_core::findings::{EntityRef, Finding, Severity};
use grantscope_core::score::{
    GRADE_FLOORS, METHOD_VERSION, SPREAD, ScoreStatus, severity_ceiling, severity_points,
};

use super::advice::Effort;
use super::escape::markdown as md;
use super::model::Model;
use super::svg::capitalise;
use super::text;

const MAX_TARGETS: usize = 25;

fn status(s: ScoreStatus) -> &'static str {
    match s {
        ScoreStatus::Complete => "complete",
        ScoreStatus::Incomplete => "incomplete",
        ScoreStatus::NotGraded => "not graded",
    }
}

fn sev(s: Severity) -> String {
    format!("**\\[{}\\]**", capitalise(s.as_str()))
}

/// Renders the report.
pub(crate) fn render(m: &Model<'_>) -> String {
    let mut o = String::with_capacity(128 * 1024);
    cover(&mut o, m);
    summary(&mut o, m);
    scores(&mut o, m);
    risks(&mut o, m);
    charts(&mut o, m);
    plan(&mut o, m);
    details(&mut o, m);
    limitations(&mut o, m);
    inventory(&mut o, m);
    method(&mut o, m);
    // One trailing newline, never more.
    while o.ends_with("\n\n") {
        o.pop();
    }
    o
}

fn cover(o: &mut String, m: &Model<'_>) {
    let ov = &m.score.overall;
    o.push_str("# Access governance posture assessment\n\n");
    let _ = writeln!(
        o,
        "Microsoft Entra ID entitlement management \u{b7} **{}**\n",
        md(m.client.as_deref().unwrap_or("Client not named"))
    );
    let _ = writeln!(
        o,
        "**Overall posture: {} / 100, grade {}**{}. {}\n",
        ov.score,
        ov.grade,
        if ov.status == ScoreStatus::Complete {
            ""
        } else {
            " (incomplete: some checks could not run)"
        },
        md(&text::overall_meaning(m))
    );
    o.push_str("| | |\n|---|---|\n");
    let _ = writeln!(o, "| As of | {} |", md(&m.as_of_long()));
    let _ = writeln!(
        o,
        "| Prepared for | {} |",
        md(m.client.as_deref().unwrap_or("—"))
    );
    let _ = writeln!(
        o,
        "| Prepared by | {} |",
        md(m.prepared_by.as_deref().unwrap_or("—"))
    );
    let _ = writeln!(o, "| Data analysed | {} |", md(&text::data_analysed(m)));
    let _ = writeln!(
        o,
        "| Checks | {} of {} checks ran; {} findings |",
        m.rules_evaluated, m.rules_total, m.report.summary.total
    );
    let _ = writeln!(
        o,
        "| Produced with | grantscope {} (offline analysis of exported files; nothing was changed in the tenant) |\n",
        md(&m.report.tool.version)
    );
    o.push_str("*Confidential. This report describes weaknesses in access control; share it only with the people who need it.*\n\n");
}

fn summary(o: &mut String, m: &Model<'_>) {
    o.push_str("## Executive summary\n\n");
    for p in text::summary_paragraphs(m) {
        let _ = writeln!(o, "{}\n", md(&p));
    }
    o.push_str("### What is good\n\n");
    let good = text::good_points(m);
    if good.is_empty() {
        o.push_str(
            "- No area is free of problems yet; the plan below starts with the quickest gains\\.\n",
        );
    }
    for g in good {
        let _ = writeln!(o, "- {}", md(&g));
    }
    o.push_str("\n### The main risks\n\n");
    let mut any = false;
    for r in m.top_risks().take(3) {
        any = true;
        let _ = writeln!(
            o,
            "- {} **{}** {}",
            sev(r.severity),
            md(&text::risk_headline(r)),
            md(r.impact)
        );
    }
    if !any {
        o.push_str("- No risk above informational level was found\\.\n");
    }
    o.push_str("\n### The first three things to do\n\n");
    let todo = text::first_three(m);
    if todo.is_empty() {
        o.push_str(
            "1. Nothing to fix: keep exporting and re\\-running this assessment regularly\\.\n",
        );
    }
    for (i, t) in todo.iter().enumerate() {
        let _ = writeln!(
            o,
            "{}. **{}\\.** {} *Effort: {}\\. Where: {}\\.*",
            i + 1,
            md(&t.title),
            md(&t.why),
            md(t.effort),
            md(&t.where_)
        );
    }
    o.push('\n');
}

fn scores(o: &mut String, m: &Model<'_>) {
    o.push_str("## Posture score by area\n\n");
    let ov = &m.score.overall;
    let _ = writeln!(
        o,
        "Overall: **{} / 100, grade {}** ({}). Each area starts at 100 and loses points for every problem found, more for severe and widespread ones; an open critical finding caps an area at {}, a high one at {}\\. Appendix B gives the method\\.\n",
        ov.score,
        ov.grade,
        status(ov.status),
        severity_ceiling(Severity::Critical).unwrap_or(100),
        severity_ceiling(Severity::High).unwrap_or(100)
    );
    o.push_str("| Area | Score | Grade | Status | Findings | Why this score |\n|---|---:|:---:|---|---:|---|\n");
    for a in &m.score.areas {
        let _ = writeln!(
            o,
            "| **{}** | {} | {} | {} | {} | {} |",
            md(a.area.title()),
            a.score.map_or_else(|| "–".to_owned(), |s| s.to_string()),
            a.grade.map_or("–", |g| g.as_str()),
            status(a.status),
            a.findings,
            md(&text::area_explanation(a))
        );
    }
    o.push('\n');
}

fn risks(o: &mut String, m: &Model<'_>) {
    o.push_str("## Top risks\n\n");
    let mut any = false;
    for (i, r) in m.top_risks().enumerate() {
        any = true;
        let _ = writeln!(
            o,
            "### {}\\. {} {}\n\n**{}**\n\n{} *\\({} {} \u{b7} {}\\)*\n",
            i + 1,
            sev(r.severity),
            md(&text::risk_headline(r)),
            md(r.impact),
            md(&text::found_on(r, 5)),
            md(&r.rule_id),
            md(&r.rule_name),
            md(r.area.title())
        );
    }
    if !any {
        o.push_str("No risk above informational level was found\\.\n\n");
    }
}

fn charts(o: &mut String, m: &Model<'_>) {
    o.push_str("## The tenant at a glance\n\n### Findings by area and severity\n\n| Area |");
    for s in Severity::ALL {
        let _ = write!(o, " {} |", capitalise(s.as_str()));
    }
    o.push_str(" Total |\n|---|---:|---:|---:|---:|---:|---:|\n");
    for (area, counts) in &m.by_area {
        let _ = write!(o, "| {} |", md(area.title()));
        for s in Severity::ALL {
            let _ = write!(o, " {} |", counts.get(&s).copied().unwrap_or(0));
        }
        let _ = writeln!(o, " {} |", counts.values().sum::<usize>());
    }
    o.push_str("\n### Guests by days since last sign\\-in\n\n");
    if !m.sign_in_data {
        o.push_str("Sign\\-in activity was not exported \\(it needs Entra ID P1\\), so guest activity is unknown\\.\n\n");
    }
    o.push_str("| Last sign\\-in | Enabled guests |\n|---|---:|\n");
    for b in &m.guest_activity {
        let _ = writeln!(o, "| {} | {} |", md(&b.label), b.value);
    }
    if m.guests_disabled > 0 {
        let _ = writeln!(
            o,
            "\n{} disabled guests are not counted\\.",
            m.guests_disabled
        );
    }
    o.push_str("\n### Policies by expiration\n\n| Access ends | Policies |\n|---|---:|\n");
    for b in &m.policy_expiry {
        let _ = writeln!(o, "| {} | {} |", md(&b.label), b.value);
    }
    let _ = writeln!(
        o,
        "\n### Eligible population of the {} broadest access packages\n\n| Access package | Members | Guests | Anyone external |\n|---|---:|---:|:---:|",
        m.broadest.len()
    );
    for p in &m.broadest {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} |",
            md(&p.name),
            p.members,
            p.guests,
            if p.unbounded { "yes" } else { "" }
        );
    }
    o.push('\n');
}

fn plan(o: &mut String, m: &Model<'_>) {
    o.push_str("## Remediation plan\n\nActions, not findings: each action resolves every finding of one check, ordered by risk reduction per unit of effort\\. Paths are in the Microsoft Entra admin center\\.\n\n");
    if let Some(t) = text::export_todo(m) {
        let _ = writeln!(
            o,
            "> **Before these actions: {}\\.** {} Where: {}\\.\n",
            md(&t.title),
            md(&t.why),
            md(&t.where_)
        );
    }
    if m.actions.is_empty() {
        o.push_str("Nothing to fix\\.\n\n");
    }
    for (i, a) in m.actions.iter().enumerate() {
        let r = &a.risk;
        let _ = writeln!(
            o,
            "### {}\\. {}\n\n{}\n\n- **Where:** {}\n- **Effort:** {} \u{2014} {}\n- **Risk reduction:** \\+{} points in {}\n- **Resolves:** {} {} of {} {} \\({}, up to {}\\)\n",
            i + 1,
            md(&a.text),
            md(r.impact),
            md(a.advice.where_),
            md(a.effort().label()),
            md(a.effort().meaning()),
            md(&text::points(r.points)),
            md(r.area.title()),
            r.findings,
            if r.findings == 1 {
                "finding"
            } else {
                "findings"
            },
            md(&r.rule_id),
            md(&r.rule_name),
            md(r.area.title()),
            r.severity
        );
        for t in r.subjects.iter().take(MAX_TARGETS) {
            let _ = writeln!(o, "  - {}", md(t));
        }
        if r.subjects.len() > MAX_TARGETS {
            let _ = writeln!(o, "  - and {} more", r.subjects.len() - MAX_TARGETS);
        }
        o.push('\n');
    }
}

fn entity(r: &EntityRef, label: Option<&str>) -> String {
    let name = label
        .map(str::to_owned)
        .or_else(|| r.display_name.clone())
        .unwrap_or_else(|| r.id.clone());
    let mut s = format!("{}: **{}**", md(r.kind.name()), md(&name));
    if name != r.id {
        let _ = write!(s, " \\({}\\)", md(&r.id));
    }
    if let Some(src) = &r.source {
        let _ = write!(s, " — {}\\:{}", md(&src.file), src.line);
    }
    s
}

fn finding(o: &mut String, f: &Finding, label: &str) {
    let _ = writeln!(
        o,
        "#### {} {} {}\n\n{}\n\n- **Subject:** {}",
        sev(f.severity),
        md(&f.rule_id),
        md(&f.rule_name),
        md(&f.message),
        entity(&f.subject, Some(label))
    );
    for r in &f.related {
        let _ = writeln!(o, "- **Related:** {}", entity(r, None));
    }
    if !f.evidence.is_empty() {
        o.push_str("- **Evidence:**\n");
        for (k, v) in &f.evidence {
            let _ = writeln!(o, "  - {}: {}", md(k), md(&text::evidence_value(v)));
        }
    }
    let _ = writeln!(
        o,
        "- **Fix:** {}\n- **Fingerprint:** {}\n",
        md(&f.remediation),
        md(&f.fingerprint)
    );
}

fn details(o: &mut String, m: &Model<'_>) {
    o.push_str("## Findings in detail\n\n");
    for (area, list) in &m.details {
        let a = m.score.area(*area);
        let _ = writeln!(
            o,
            "### {} \u{2014} {}\n\n*{}* {} {}\\.\n",
            md(area.title()),
            a.score.map_or_else(
                || "not graded".to_owned(),
                |s| format!("{s} / 100, grade {}", a.grade.map_or("–", |g| g.as_str()))
            ),
            md(area.question()),
            list.len(),
            if list.len() == 1 {
                "finding"
            } else {
                "findings"
            }
        );
        if !a.rules_not_run.is_empty() {
            let _ = writeln!(
                o,
                "> {} of {} checks of this area did not run \\({}\\): see Limitations\\.\n",
                a.rules_not_run.len(),
                a.rules_total,
                md(&a.rules_not_run.join(", "))
            );
        }
        for (f, label) in list {
            finding(o, f, label);
        }
    }
}

fn limitations(o: &mut String, m: &Model<'_>) {
    let _ = writeln!(
        o,
        "## Limitations\n\nThis assessment reads files exported from the tenant; it shows the configuration and activity they contain, as of {}\\. It never connects to the tenant\\. A check that could not run is reported here, never counted as passed, and caps the score of its area\\.\n",
        md(&m.as_of_long())
    );
    o.push_str("### Data that was not exported\n\n");
    if m.missing_datasets.is_empty() {
        o.push_str("Every dataset grantscope reads was present in the export\\.\n\n");
    } else {
        o.push_str("| Dataset | How to export it |\n|---|---|\n");
        for (d, hint) in &m.missing_datasets {
            let _ = writeln!(o, "| {} | {} |", md(d.name()), md(hint));
        }
        o.push('\n');
    }
    o.push_str("### Checks that did not run\n\n");
    if m.not_run.is_empty() {
        let _ = writeln!(o, "All {} checks ran\\.\n", m.rules_total);
    } else {
        o.push_str("| Check | Status | Why |\n|---|---|---|\n");
        for r in &m.not_run {
            let _ = writeln!(
                o,
                "| {} {} | {} | {} |",
                md(&r.rule_id),
                md(&r.rule_name),
                if r.disabled {
                    "turned off"
                } else {
                    "not evaluated"
                },
                md(&r.reason)
            );
        }
        o.push('\n');
    }
    let _ = writeln!(
        o,
        "### Files\n\n{} files were read, {} were skipped as not being export data, {} could not be read\\.\n",
        m.files_loaded,
        m.files_skipped,
        m.files_failed.len()
    );
    if !m.files_failed.is_empty() || !m.skipped.is_empty() {
        o.push_str("| File | Outcome |\n|---|---|\n");
        for (name, err) in &m.files_failed {
            let _ = writeln!(o, "| {} | failed: {} |", md(name), md(err));
        }
        for (name, reason) in &m.skipped {
            let _ = writeln!(o, "| {} | skipped: {} |", md(name), md(reason));
        }
        o.push('\n');
    }
    let warnings = &m.report.warnings;
    if !warnings.is_empty() {
        let _ = writeln!(
            o,
            "### Warnings while reading the export\n\n{} warnings\\.\n\n| Where | Warning |\n|---|---|",
            warnings.len()
        );
        for w in warnings.iter().take(text::MAX_WARNINGS) {
            let _ = writeln!(o, "| {}\\:{} | {} |", md(&w.file), w.line, md(&w.message));
        }
        if warnings.len() > text::MAX_WARNINGS {
            let _ = writeln!(
                o,
                "| and {} more | see the JSON report |",
                warnings.len() - text::MAX_WARNINGS
            );
        }
        o.push('\n');
    }
    o.push_str("### Boundaries of the method\n\n");
    for b in text::BOUNDARIES {
        let _ = writeln!(o, "- {}", md(b));
    }
    o.push('\n');
}

fn inventory(o: &mut String, m: &Model<'_>) {
    o.push_str("## Appendix A \u{2014} Inventory\n\n### A\\.1 Catalogs, access packages, policies and resources\n\n");
    if m.catalogs.is_empty() {
        o.push_str("No catalog or access package in the export\\.\n\n");
    }
    for c in &m.catalogs {
        let _ = writeln!(o, "#### Catalog: {}\n", md(&c.name));
        if c.packages.is_empty() {
            o.push_str("No access package\\.\n\n");
            continue;
        }
        o.push_str("| Access package | Policy | Who can request | Approval | Expiry | Review |\n|---|---|---|---|---|---|\n");
        for p in &c.packages {
            let mut tags = Vec::new();
            if p.privileged {
                tags.push("privileged".to_owned());
            }
            if p.hidden {
                tags.push("hidden".to_owned());
            }
            tags.push(format!("{} holders", p.holders));
            let grants = if p.resources.is_empty() {
                "nothing exported".to_owned()
            } else {
                p.resources.join(", ")
            };
            let head = format!(
                "**{}** \\({}\\)<br>Grants: {}",
                md(&p.name),
                md(&tags.join(", ")),
                md(&grants)
            );
            if p.policies.is_empty() {
                let _ = writeln!(o, "| {head} | *no policy* | | | | |");
            }
            for (i, x) in p.policies.iter().enumerate() {
                let _ = writeln!(
                    o,
                    "| {} | {} | {} | {} | {} | {} |",
                    if i == 0 { head.as_str() } else { "" },
                    md(&x.name),
                    md(&x.scope),
                    md(&x.approval),
                    md(&x.expiry),
                    md(&x.review)
                );
            }
        }
        o.push('\n');
    }
    o.push_str("### A\\.2 Resources and the packages that grant them\n\n");
    if m.resources.is_empty() {
        o.push_str("No catalog resource in the export\\.\n\n");
    } else {
        o.push_str("| Resource | Type | Catalog | Granted by \\(role\\) |\n|---|---|---|---|\n");
        for r in &m.resources {
            let packages = if r.packages.is_empty() {
                "*no package*".to_owned()
            } else {
                r.packages
                    .iter()
                    .map(|p| md(p))
                    .collect::<Vec<_>>()
                    .join("<br>")
            };
            let _ = writeln!(
                o,
                "| {} | {} | {} | {} |",
                md(&r.name),
                md(&r.kind),
                md(&r.catalog),
                packages
            );
        }
        o.push('\n');
    }
    o.push_str("### A\\.3 Guests\n\n");
    if m.guests.is_empty() {
        o.push_str("No guest in the export\\.\n\n");
    } else {
        o.push_str("| Guest | Email | State | Last sign\\-in | Days | Sponsors | Packages |\n|---|---|---|---|---:|---|---:|\n");
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
                "| {} | {} | {} | {} | {} | {} | {} |",
                md(&g.name),
                md(&g.email),
                md(&state),
                md(&g.last_sign_in),
                g.days.map_or_else(|| "–".to_owned(), |d| d.to_string()),
                md(&g.sponsors),
                g.packages
            );
        }
        o.push('\n');
    }
}

fn method(o: &mut String, m: &Model<'_>) {
    let _ = writeln!(
        o,
        "## Appendix B \u{2014} Scoring method\n\nThe score is computed by a fixed, documented method \\(version {}\\) from the findings and the list of checks that ran; the same export and date always give the same score\\.\n",
        METHOD_VERSION
    );
    let _ = writeln!(
        o,
        "1. **Deductions.** Each area starts at 100\\. Every check that found problems deducts, for each severity it found, *points × \\(1 \\+ {} × share\\)*, where *share* is the part of the objects of that kind it hit \\(guest findings are measured against the guests, tenant settings count as one object\\)\\. Informational findings cost nothing\\.",
        SPREAD
    );
    let _ = writeln!(
        o,
        "2. **Severity ceiling.** While a critical finding is open the area scores at most {}; while a high one is open, at most {}\\.",
        severity_ceiling(Severity::Critical).unwrap_or(100),
        severity_ceiling(Severity::High).unwrap_or(100)
    );
    o.push_str("3. **Missing data.** A check that could not run or was turned off caps the area at 100 × checks that ran ÷ checks of the area, and marks it incomplete; an area where no check ran is not graded\\.\n");
    o.push_str("4. **Result.** The area score is the smallest of the three, rounded down\\.\n\n");
    let _ = writeln!(
        o,
        "**Overall score:** the mean of the six area scores \\(not graded counts as 0\\), rounded down, never above the lowest ceiling of any area\\. **Grades:** {}, F below {}\\.\n",
        GRADE_FLOORS
            .iter()
            .map(|(g, f)| format!("{g} from {f}"))
            .collect::<Vec<_>>()
            .join(", "),
        GRADE_FLOORS.last().map_or(0, |(_, f)| *f)
    );
    o.push_str(
        "| Severity | Base points | Problem everywhere | Area ceiling |\n|---|---:|---:|---:|\n",
    );
    for s in Severity::ALL {
        let base = severity_points(s);
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} |",
            capitalise(s.as_str()),
            md(&text::points(base)),
            md(&text::points(base * (1.0 + SPREAD))),
            severity_ceiling(s).map_or_else(|| "–".to_owned(), |c| c.to_string())
        );
    }
    let _ = writeln!(
        o,
        "\n**Remediation plan order:** risk reduction \\(the points a check deducts\\) ÷ effort, then severity\\. Effort: {}\\.\n",
        md(&Effort::ALL
            .iter()
            .map(|x| format!("{} (weight {}) = {}", x.label(), x.weight(), x.meaning()))
            .collect::<Vec<_>>()
            .join("; "))
    );
    o.push_str("### This report's deductions\n\n| Area | Check | Severity | Objects hit | Share | Points |\n|---|---|---|---:|---:|---:|\n");
    for a in &m.score.areas {
        for d in &a.deductions {
            let _ = writeln!(
                o,
                "| {} | {} {} | {} | {} of {} {} | {} | {} |",
                md(a.area.title()),
                md(&d.rule_id),
                md(&d.rule_name),
                d.severity,
                d.subjects,
                d.basis_size,
                md(d.basis.noun()),
                md(&format!("{:.2}", d.share)),
                md(&text::points(d.points))
            );
        }
    }
    o.push_str("\n| Area | 100 − deductions | Ceiling | Coverage cap | Score |\n|---|---:|---:|---:|---:|\n");
    for a in &m.score.areas {
        let _ = writeln!(
            o,
            "| {} | {} | {} | {} | {} |",
            md(a.area.title()),
            md(&text::points(a.raw)),
            a.ceiling.map_or_else(|| "–".to_owned(), |c| c.to_string()),
            a.coverage_cap,
            a.score.map_or_else(
                || "not graded".to_owned(),
                |s| format!("{s} {}", a.grade.map_or("", |g| g.as_str()))
            )
        );
    }
    o.push('\n');
}
