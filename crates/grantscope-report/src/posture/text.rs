//! The prose of the posture report, shared by the HTML and Markdown renderers (raw text: each
//! renderer escapes it).

use grantscope_core::findings::Severity;
use grantscope_core::score::{AreaScore, Grade, ScoreStatus, severity_ceiling};

use super::advice::advice;
use super::model::{Model, Risk};

/// At most this many load warnings are listed (the JSON report has all of them).
pub(crate) const MAX_WARNINGS: usize = 50;
/// Longest evidence value shown before it is shortened.
const MAX_EVIDENCE: usize = 1500;
/// At most this many "what is good" points.
const MAX_GOOD: usize = 6;

/// What the method cannot see, whatever the export.
pub(crate) const BOUNDARIES: [&str; 5] = [
    "The assessment is a snapshot: it shows the configuration and assignments in the export, not changes made since.",
    "Dynamic group membership rules are not evaluated offline; where only the rule is known, the eligible population is reported as unresolved.",
    "Observed behaviour (self-approval, reciprocal approvals) is only as complete as the audit log exported; Microsoft keeps it 30 days unless it is archived.",
    "Sign-in activity needs Entra ID P1 or P2; without it the guest inactivity check does not run.",
    "Only entitlement management is assessed: access granted outside access packages (direct group membership, app role assignments, directory roles) is out of scope except where a check names it.",
];

pub(crate) fn grade_meaning(g: Grade) -> &'static str {
    match g {
        Grade::A => "Access is well governed: only minor or informational points remain.",
        Grade::B => "Governance is sound, with a few gaps worth closing.",
        Grade::C => {
            "There are material gaps: some access is granted or kept without enough control."
        }
        Grade::D => "There are serious gaps that an auditor would report.",
        Grade::F => {
            "Governance is failing: open problems let people get or keep access without effective control."
        }
    }
}

/// What the overall grade means, with a warning when missing data weighs on it.
pub(crate) fn overall_meaning(m: &Model<'_>) -> String {
    let o = &m.score.overall;
    let not_run = m.rules_total - m.rules_evaluated;
    if o.status == ScoreStatus::Complete || not_run == 0 {
        return grade_meaning(o.grade).to_owned();
    }
    if m.rules_evaluated * 2 < m.rules_total {
        format!(
            "Too little data was exported to assess most areas: {not_run} of {} checks could not run, so this grade reflects missing data more than problems found (see Limitations).",
            m.rules_total
        )
    } else {
        format!(
            "{} Part of this score reflects missing data: {} could not run (see Limitations).",
            grade_meaning(o.grade),
            count(not_run, "check", "checks")
        )
    }
}

/// One of "the first three things to do".
pub(crate) struct Todo {
    pub(crate) title: String,
    pub(crate) why: String,
    pub(crate) effort: &'static str,
    pub(crate) where_: String,
}

/// Completing the export, when checks could not run for lack of data.
pub(crate) fn export_todo(m: &Model<'_>) -> Option<Todo> {
    let missing = m.not_run.iter().filter(|r| !r.disabled).count();
    if missing == 0 {
        return None;
    }
    let datasets: Vec<&str> = m.missing_datasets.iter().map(|(d, _)| d.name()).collect();
    let shown = datasets
        .iter()
        .take(6)
        .copied()
        .collect::<Vec<_>>()
        .join(", ");
    let more = if datasets.len() > 6 {
        format!(" and {} more", datasets.len() - 6)
    } else {
        String::new()
    };
    Some(Todo {
        title: format!(
            "Complete the export so that the {} that could not run can",
            count(missing, "check", "checks")
        ),
        why: "Missing data is never counted as passed: it caps the score of its areas, and any problem there stays invisible until the data is exported.".to_owned(),
        effort: "Low",
        where_: if datasets.is_empty() {
            "the export recipe (docs/EXPORT-RECIPE.md); see Limitations for each check's reason"
                .to_owned()
        } else {
            format!("the export recipe (docs/EXPORT-RECIPE.md): {shown}{more}")
        },
    })
}

/// The first three things to do: completing the export when data is missing, then the plan.
pub(crate) fn first_three(m: &Model<'_>) -> Vec<Todo> {
    let mut out: Vec<Todo> = export_todo(m).into_iter().collect();
    for a in &m.actions {
        if out.len() == 3 {
            break;
        }
        out.push(Todo {
            title: a.text.clone(),
            why: a.risk.impact.to_owned(),
            effort: a.effort().label(),
            where_: a.advice.where_.to_owned(),
        });
    }
    out
}

/// "1 finding" / "3 findings".
pub(crate) fn count(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

/// "40 users (10 guests), 31 groups, … from 161 files".
pub(crate) fn data_analysed(m: &Model<'_>) -> String {
    let mut parts = Vec::new();
    let guests = m
        .counts
        .iter()
        .find(|(l, _)| *l == "guests")
        .and_then(|(_, n)| *n);
    for (label, n) in &m.counts {
        match (*label, n) {
            ("guests", _) | (_, None) => {}
            ("users", Some(n)) => parts.push(match guests {
                Some(g) => format!("{n} users ({g} guests)"),
                None => format!("{n} users"),
            }),
            (label, Some(n)) => parts.push(format!("{n} {label}")),
        }
    }
    let mut s = if parts.is_empty() {
        "no entitlement-management data".to_owned()
    } else {
        parts.join(", ")
    };
    s.push_str(&format!(
        " from {}",
        count(m.files_loaded, "export file", "export files")
    ));
    if !m.missing_datasets.is_empty() {
        s.push_str(&format!(
            "; {} not exported (see Limitations)",
            count(m.missing_datasets.len(), "dataset", "datasets")
        ));
    }
    s
}

/// The opening paragraphs of the executive summary.
pub(crate) fn summary_paragraphs(m: &Model<'_>) -> Vec<String> {
    let o = &m.score.overall;
    let who = m
        .client
        .as_deref()
        .map_or_else(|| "The tenant's".to_owned(), |c| format!("{c}'s"));
    let mut out = vec![format!(
        "{who} entitlement management scores {} out of 100, grade {}, as of {}. {}",
        o.score,
        o.grade,
        m.as_of_long(),
        overall_meaning(m)
    )];
    let sev: Vec<String> = Severity::ALL
        .iter()
        .filter_map(|s| {
            let n = m.severity_count(*s);
            (n > 0).then(|| {
                format!(
                    "{n} {}",
                    if *s == Severity::Info {
                        "informational"
                    } else {
                        s.as_str()
                    }
                )
            })
        })
        .collect();
    let mut p = format!(
        "grantscope ran {} of {} checks on the exported data ({}) and found {}",
        m.rules_evaluated,
        m.rules_total,
        data_analysed(m),
        count(m.report.summary.total, "problem", "problems"),
    );
    if sev.is_empty() {
        p.push('.');
    } else {
        p.push_str(&format!(": {}.", sev.join(", ")));
    }
    if o.status != ScoreStatus::Complete {
        let n = m.rules_total - m.rules_evaluated;
        p.push_str(&format!(
            " {} could not run, so the areas they belong to are capped and marked incomplete; the real picture may be worse (see Limitations).",
            count(n, "check", "checks")
        ));
    }
    out.push(p);
    let graded: Vec<&AreaScore> = m.score.areas.iter().filter(|a| a.score.is_some()).collect();
    if let (Some(best), Some(worst)) = (
        graded
            .iter()
            .max_by_key(|a| (a.score, std::cmp::Reverse(a.area))),
        graded.iter().min_by_key(|a| (a.score, a.area)),
    ) && best.area != worst.area
    {
        out.push(format!(
            "The strongest area is {} ({}, {} / 100); the weakest is {} ({}, {} / 100).",
            best.area.title().to_lowercase(),
            best.grade.map_or("–", |g| g.as_str()),
            best.score.unwrap_or(0),
            worst.area.title().to_lowercase(),
            worst.grade.map_or("–", |g| g.as_str()),
            worst.score.unwrap_or(0),
        ));
    }
    out
}

/// "What is good": areas graded A or B, then checks that ran clean (most important first).
pub(crate) fn good_points(m: &Model<'_>) -> Vec<String> {
    let mut out: Vec<String> = m
        .score
        .areas
        .iter()
        .filter(|a| matches!(a.grade, Some(Grade::A | Grade::B)))
        .map(|a| {
            format!(
                "{} is in good shape (grade {}, {} / 100).",
                a.area.title(),
                a.grade.map_or("–", |g| g.as_str()),
                a.score.unwrap_or(0)
            )
        })
        .collect();
    out.extend(
        m.score
            .areas
            .iter()
            .filter(|a| {
                a.status == ScoreStatus::Complete && !matches!(a.grade, Some(Grade::A | Grade::B))
            })
            .filter(|a| !a.by_severity.keys().any(|s| *s >= Severity::High))
            .map(|a| format!("{}: no critical or high-severity problem.", a.area.title())),
    );
    out.extend(m.good.iter().map(|g| (*g).to_owned()));
    out.truncate(MAX_GOOD);
    out
}

/// "Self-service policy open to all members… (4 policies)".
pub(crate) fn risk_headline(r: &Risk) -> String {
    let a = advice(&r.rule_id);
    format!(
        "{} ({})",
        r.summary,
        count(r.subjects.len(), a.noun.0, a.noun.1)
    )
}

/// "Found on: A, B, C and 2 more."
pub(crate) fn found_on(r: &Risk, max: usize) -> String {
    let shown: Vec<&str> = r.subjects.iter().take(max).map(String::as_str).collect();
    let mut s = format!("Found on: {}", shown.join("; "));
    if r.subjects.len() > max {
        s.push_str(&format!(" and {} more", r.subjects.len() - max));
    }
    s.push('.');
    s
}

/// Points with one decimal.
pub(crate) fn points(x: f64) -> String {
    format!("{x:.1}")
}

/// Why an area has its score, in one line.
pub(crate) fn area_explanation(a: &AreaScore) -> String {
    let mut parts = Vec::new();
    if a.status == ScoreStatus::NotGraded {
        return format!(
            "None of its {} checks could run: see Limitations.",
            a.rules_total
        );
    }
    if a.deductions.is_empty() {
        parts.push("No problem found.".to_owned());
    } else {
        // Per rule (a rule can deduct at several severities), largest first.
        let mut per_rule: Vec<(&str, f64)> = Vec::new();
        for d in &a.deductions {
            match per_rule.iter_mut().find(|(id, _)| *id == d.rule_id) {
                Some((_, p)) => *p += d.points,
                None => per_rule.push((&d.rule_id, d.points)),
            }
        }
        grantscope_core::order::sort_by(&mut per_rule, |x, y| {
            y.1.total_cmp(&x.1).then_with(|| x.0.cmp(y.0))
        });
        let top: Vec<String> = per_rule
            .iter()
            .take(3)
            .filter(|(_, p)| *p > 0.0)
            .map(|(id, p)| format!("{id} −{}", points(*p)))
            .collect();
        if top.is_empty() {
            parts.push("Only informational findings.".to_owned());
        } else {
            parts.push(format!("Largest deductions: {}.", top.join(", ")));
        }
    }
    if let Some(c) = a.ceiling
        && a.score == Some(c)
    {
        let sev = if Some(c) == severity_ceiling(Severity::Critical) {
            "critical"
        } else {
            "high"
        };
        parts.push(format!("Capped at {c} by an open {sev} finding."));
    }
    if !a.rules_not_run.is_empty() {
        parts.push(format!(
            "{} of {} did not run (capped at {}).",
            count(a.rules_not_run.len(), "check", "checks"),
            a.rules_total,
            a.coverage_cap
        ));
    }
    parts.join(" ")
}

/// `key: value; key: value` for an evidence object, one level deep (deeper values as JSON).
fn flat_object(map: &serde_json::Map<String, serde_json::Value>) -> String {
    map.iter()
        .map(|(k, v)| {
            let v = match v {
                serde_json::Value::String(s) => s.clone(),
                serde_json::Value::Null => "—".to_owned(),
                serde_json::Value::Array(a) if a.is_empty() => "none".to_owned(),
                serde_json::Value::Array(a)
                    if a.iter().all(|x| !x.is_object() && !x.is_array()) =>
                {
                    a.iter()
                        .map(|x| x.as_str().map_or_else(|| x.to_string(), str::to_owned))
                        .collect::<Vec<_>>()
                        .join(", ")
                }
                other => other.to_string(),
            };
            format!("{k}: {v}")
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// One line for an evidence value: scalars as they are, lists of scalars joined, objects (and
/// lists of them) as `key: value` pairs; very long values are shortened.
pub(crate) fn evidence_value(v: &serde_json::Value) -> String {
    let text = match v {
        serde_json::Value::Null => "—".to_owned(),
        serde_json::Value::String(s) => s.clone(),
        serde_json::Value::Array(items)
            if items.iter().all(|i| {
                !matches!(
                    i,
                    serde_json::Value::Array(_) | serde_json::Value::Object(_)
                )
            }) =>
        {
            if items.is_empty() {
                "none".to_owned()
            } else {
                items
                    .iter()
                    .map(|i| match i {
                        serde_json::Value::String(s) => s.clone(),
                        other => other.to_string(),
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        }
        serde_json::Value::Object(map) => flat_object(map),
        serde_json::Value::Array(items) => items
            .iter()
            .map(|i| match i {
                serde_json::Value::Object(map) => flat_object(map),
                other => other.to_string(),
            })
            .collect::<Vec<_>>()
            .join(" | "),
        other => other.to_string(),
    };
    let count = text.chars().count();
    if count > MAX_EVIDENCE {
        let cut: String = text.chars().take(MAX_EVIDENCE).collect();
        format!(
            "{cut}… ({} more characters in the JSON report)",
            count - MAX_EVIDENCE
        )
    } else {
        text
    }
}
