//! `grantscope lint`: checks proposed assignment policies before they exist.
//!
//! Inputs are Graph request bodies for an assignment policy, in the v1.0 shape
//! (`accessPackage.id`, `allowedTargetScope`, `expiration`…) or the beta shape (`accessPackageId`,
//! `requestorSettings.scopeType`, `durationInDays`…), one per file, an array of them or a `value`
//! envelope; and Terraform plans (`terraform show -json plan.out`) with
//! `azuread_access_package_assignment_policy` resources (see [`terraform`](self) for the mapping).
//!
//! The proposed policies are put into a snapshot — the tenant export given as context, if any,
//! so that groups, approvers, managers and privileged resources resolve against the real
//! directory — and every rule runs. Only findings about the proposed policies are kept (and
//! findings that merely mention one only when the context alone did not have them), and each
//! points at the file, line and column of the offending field (`subject.source` gives the file,
//! JSON pointer and line; `evidence.location` adds the column and the JSON path). Rules about
//! assignments, users or the audit log are reported as not evaluated: a proposed policy has none.

mod fields;
mod locate;
mod terraform;

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde_json::{Value, json};

use crate::config::Config;
use crate::findings::{
    CoverageStatus, EntityRef, Finding, Report, RuleCoverage, Summary, sort_findings,
};
use crate::ingest::{
    ApiVersion, FileOutcome, FileReport, InputFile, InputFormat, LoadError, LoadWarning, Loaded,
};
use crate::model::{
    AccessPackage, AssignmentPolicy, Catalog, Dataset, EntityKind, Group, ResourceRoleScope,
    SourceRef,
};
use crate::rules::{find_rule, run};

use locate::{Path, Step, jsonpath, key, locate, pointer, position, value_end};

/// The rules whose findings can be about an assignment policy; lint runs these. The others
/// look at assignments, users, requests or the audit log, which a proposed policy does not have.
pub const LINT_RULES: &[&str] = &[
    "GS101", "GS102", "GS103", "GS104", "GS105", "GS201", "GS202", "GS203", "GS206", "GS207",
    "GS301", "GS302", "GS303", "GS311", "GS312", "GS313", "GS314", "GS506", "GS601", "GS604",
];

/// How a proposed policy was written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Shape {
    /// A Graph request body (v1.0 or beta).
    Graph,
    /// A resource of a Terraform plan.
    Terraform,
}

/// A proposed policy and where it is written.
#[derive(Debug, Clone)]
pub(crate) struct Proposal {
    pub(crate) policy: AssignmentPolicy,
    /// Index of its file among the lint inputs.
    pub(crate) file: usize,
    /// Path of the policy object in its file.
    pub(crate) base: Path,
    #[allow(dead_code)]
    pub(crate) shape: Shape,
}

/// Everything read from the lint inputs.
#[derive(Debug, Default)]
pub(crate) struct Parsed {
    pub(crate) proposals: Vec<Proposal>,
    /// Packages, catalogs and groups a Terraform plan creates.
    pub(crate) packages: Vec<AccessPackage>,
    pub(crate) catalogs: Vec<Catalog>,
    pub(crate) groups: Vec<Group>,
    /// What a Terraform plan associates with a package (package id, role scope).
    pub(crate) role_scopes: Vec<(String, ResourceRoleScope)>,
    pub(crate) warnings: Vec<LoadWarning>,
}

/// Property names of an assignment policy body (v1.0 and beta); an object with none of them is
/// not one.
const POLICY_KEYS: [&str; 12] = [
    "allowedTargetScope",
    "specificAllowedTargets",
    "requestorSettings",
    "requestApprovalSettings",
    "expiration",
    "reviewSettings",
    "automaticRequestSettings",
    "accessPackage",
    "accessPackageId",
    "durationInDays",
    "expirationDateTime",
    "accessReviewSettings",
];

/// Property names only the beta shape has.
const BETA_KEYS: [&str; 5] = [
    "accessPackageId",
    "durationInDays",
    "expirationDateTime",
    "canExtend",
    "accessReviewSettings",
];

/// serde_json's message without its " at line X column Y" suffix.
fn describe(err: &serde_json::Error) -> String {
    let msg = err.to_string();
    match msg.rfind(" at line ") {
        Some(i) => msg[..i].to_owned(),
        None => msg,
    }
}

fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Reads one lint input: its text and what it held.
fn read_file(
    index: usize,
    file: &str,
    bytes: &[u8],
    out: &mut Parsed,
) -> Result<(String, FileOutcome), LoadError> {
    let text = crate::ingest::decode_text(file, bytes)?;
    let doc: Value = serde_json::from_str(text.trim_start_matches('\u{feff}'))
        .map_err(|e| LoadError::new(file, describe(&e)).at(to_u32(e.line()), to_u32(e.column())))?;
    let (items, api_version, by) = if terraform::is_plan(&doc) {
        let n = terraform::read(index, file, &text, &doc, out)?;
        (n, ApiVersion::Beta, "terraformPlan")
    } else {
        let (n, v) = graph_bodies(index, file, &text, &doc, out)?;
        (n, v, "policyBody")
    };
    let outcome = FileOutcome::Loaded {
        format: InputFormat::GraphJson,
        dataset: Dataset::AssignmentPolicies,
        api_version: Some(api_version),
        items,
        recognised_by: by.to_owned(),
    };
    Ok((text, outcome))
}

/// Graph request bodies: one object, an array of them, or a `value` envelope.
fn graph_bodies(
    index: usize,
    file: &str,
    text: &str,
    doc: &Value,
    out: &mut Parsed,
) -> Result<(usize, ApiVersion), LoadError> {
    let items: Vec<(Path, &Value)> = match doc {
        Value::Array(a) => a
            .iter()
            .enumerate()
            .map(|(i, v)| (vec![Step::Index(i)], v))
            .collect(),
        Value::Object(o) => match o.get("value") {
            Some(Value::Array(a)) => a
                .iter()
                .enumerate()
                .map(|(i, v)| (vec![key("value"), Step::Index(i)], v))
                .collect(),
            _ => vec![(Vec::new(), doc)],
        },
        _ => {
            return Err(LoadError::new(
                file,
                "expected an assignment policy (a JSON object), an array of them, or a Terraform plan \
                 (terraform show -json)",
            ));
        }
    };
    let single = items.len() == 1 && items.first().is_some_and(|(p, _)| p.is_empty());
    let mut beta = false;
    let mut count = 0;
    for (path, value) in items {
        let pos = locate(text, &path).map_or(locate::Position { line: 0, column: 0 }, |s| {
            position(text, s.value)
        });
        let fail = |message: &str| {
            LoadError::new(file, message)
                .at(pos.line, pos.column)
                .with_path(jsonpath(&path))
        };
        let Some(object) = value.as_object() else {
            return Err(fail("expected an assignment policy (a JSON object) here"));
        };
        if !POLICY_KEYS.iter().any(|k| object.contains_key(*k)) {
            return Err(fail(
                "not an assignment policy body: none of allowedTargetScope, requestorSettings, \
                 requestApprovalSettings, expiration, accessPackage (v1.0) or accessPackageId, \
                 durationInDays (beta) is set",
            ));
        }
        beta |= BETA_KEYS.iter().any(|k| object.contains_key(*k))
            || value.pointer("/requestorSettings/scopeType").is_some();
        let mut body = value.clone();
        if let Value::Object(o) = &mut body
            && o.get("id")
                .and_then(Value::as_str)
                .is_none_or(|s| s.trim().is_empty())
        {
            // POST bodies have no id: name the policy after its place.
            let id = if single {
                file.to_owned()
            } else {
                format!("{file}#{}", pointer(&path))
            };
            o.insert("id".to_owned(), json!(id));
        }
        let policy = crate::ingest::policy_from_json(
            file,
            pos.line,
            &pointer(&path),
            &jsonpath(&path),
            body,
            &mut out.warnings,
        )?;
        out.proposals.push(Proposal {
            policy,
            file: index,
            base: path,
            shape: Shape::Graph,
        });
        count += 1;
    }
    Ok((
        count,
        if beta {
            ApiVersion::Beta
        } else {
            ApiVersion::V1
        },
    ))
}

/// Lints proposed policies (`files`), optionally against a tenant export (`context`), and
/// returns a report of the same shape as `check`'s: its findings are about the proposed
/// policies only; its inputs are the lint files (a file that could not be read is `failed`)
/// followed by the context's; its warnings are those of the lint files.
#[must_use]
pub fn lint(
    files: &[InputFile],
    context: Option<&Loaded>,
    config: &Config,
    as_of: NaiveDate,
) -> Report {
    let mut texts: Vec<(String, String)> = Vec::with_capacity(files.len());
    let mut inputs = Vec::with_capacity(files.len());
    let mut parsed = Parsed::default();
    for (i, f) in files.iter().enumerate() {
        let outcome = match read_file(i, &f.name, &f.bytes, &mut parsed) {
            Ok((text, outcome)) => {
                texts.push((f.name.clone(), text));
                outcome
            }
            Err(error) => {
                texts.push((f.name.clone(), String::new()));
                FileOutcome::Failed { error }
            }
        };
        inputs.push(FileReport {
            name: f.name.clone(),
            bytes: f.bytes.len() as u64,
            outcome,
        });
    }

    let mut base = context.cloned().unwrap_or_default();
    let snapshot = &mut base.snapshot;
    let new_entities = !parsed.packages.is_empty();
    for g in std::mem::take(&mut parsed.groups) {
        snapshot.groups.entry(g.id.clone()).or_insert(g);
    }
    for c in std::mem::take(&mut parsed.catalogs) {
        snapshot.catalogs.entry(c.id.clone()).or_insert(c);
    }
    for p in std::mem::take(&mut parsed.packages) {
        snapshot.access_packages.entry(p.id.clone()).or_insert(p);
    }
    for (package, scope) in std::mem::take(&mut parsed.role_scopes) {
        // Only where what the package grants is known: a package of the plan, or one whose role
        // scopes the context exported (then the plan adds to them).
        if let Some(list) = snapshot
            .access_packages
            .get_mut(&package)
            .and_then(|p| p.resource_role_scopes.as_mut())
        {
            list.push(scope);
        }
    }
    if new_entities {
        snapshot.datasets.insert(Dataset::AccessPackages);
    }
    // Without a tenant, what packages grant is known when every proposal is for a package the
    // plan creates (with what the plan associates with it).
    if context.is_none()
        && !parsed.proposals.is_empty()
        && parsed.proposals.iter().all(|p| {
            p.policy
                .access_package_id
                .as_ref()
                .and_then(|id| snapshot.access_packages.get(id))
                .is_some_and(|pkg| pkg.resource_role_scopes.is_some())
        })
    {
        snapshot.datasets.insert(Dataset::ResourceRoleScopes);
    }
    snapshot.datasets.insert(Dataset::AssignmentPolicies);
    let datasets = snapshot.datasets.clone();
    // Policy id → index of its proposal (a later one with the same id replaces an earlier one).
    let mut proposed: BTreeMap<String, usize> = BTreeMap::new();
    for (k, p) in parsed.proposals.iter().enumerate() {
        proposed.insert(p.policy.id.clone(), k);
    }
    // Against a tenant, all proposals are checked in one run. Without one, each is checked on
    // its own: a group one policy names (and nothing resolves) must not keep the rules that need
    // resolved groups from running on the others.
    let mut batches: Vec<Vec<usize>> = if context.is_some() {
        vec![proposed.values().copied().collect()]
    } else {
        proposed.values().map(|&k| vec![k]).collect()
    };
    if batches.is_empty() {
        // Nothing to lint: one run still gives the coverage.
        batches.push(Vec::new());
    }
    let single = batches.len() <= 1;
    let mut base = Some(base);
    let mut report: Option<Report> = None;
    let mut produced: Vec<Finding> = Vec::new();
    let mut coverages: Vec<Vec<RuleCoverage>> = Vec::new();
    for batch in batches
        .iter()
        .chain(batches.is_empty().then(Vec::new).iter())
    {
        let mut loaded = if single {
            base.take().unwrap_or_default()
        } else {
            base.clone().unwrap_or_default()
        };
        for &k in batch {
            if let Some(p) = parsed.proposals.get(k) {
                loaded
                    .snapshot
                    .policies
                    .insert(p.policy.id.clone(), p.policy.clone());
            }
        }
        let mut r = run(&loaded, config, as_of);
        produced.append(&mut r.findings);
        coverages.push(std::mem::take(&mut r.coverage));
        report.get_or_insert(r);
    }
    let Some(mut report) = report else {
        return run(&Loaded::default(), config, as_of);
    };
    report.coverage = merge_coverage(&coverages, &batches, &parsed.proposals);
    let which = |e: &EntityRef| {
        (e.kind == EntityKind::AssignmentPolicy)
            .then(|| proposed.get(&e.id).copied())
            .flatten()
    };
    let mut kept: Vec<(Finding, usize)> = Vec::new();
    let mut via_related: Vec<(Finding, usize)> = Vec::new();
    for f in produced {
        if !LINT_RULES.contains(&f.rule_id.as_str()) || unknown_only_reference(&f) {
            continue;
        }
        if let Some(k) = which(&f.subject) {
            kept.push((f, k));
        } else if let Some(k) = f.related.iter().find_map(which) {
            via_related.push((f, k));
        }
    }
    if !via_related.is_empty() {
        let before: BTreeSet<String> = context
            .map(|c| {
                run(c, config, as_of)
                    .findings
                    .into_iter()
                    .map(|f| f.fingerprint)
                    .collect()
            })
            .unwrap_or_default();
        kept.extend(
            via_related
                .into_iter()
                .filter(|(f, _)| !before.contains(&f.fingerprint)),
        );
    }
    let mut findings: Vec<Finding> = kept
        .into_iter()
        .map(|(mut f, k)| {
            if let (Some(p), true) = (parsed.proposals.get(k), which(&f.subject).is_some())
                && let Some((name, text)) = texts.get(p.file)
            {
                place(&mut f, p, name, text);
            }
            f
        })
        .collect();
    sort_findings(&mut findings);

    for c in &mut report.coverage {
        let lintable = LINT_RULES.contains(&c.rule_id.as_str());
        c.findings = findings.iter().filter(|f| f.rule_id == c.rule_id).count();
        if !lintable {
            if c.status != CoverageStatus::Disabled {
                c.status = CoverageStatus::NotEvaluated;
                c.reason = Some(
                    "looks at an export's assignments, users, requests or audit log, not at an \
                     assignment policy: lint does not run it"
                        .to_owned(),
                );
            }
        } else if context.is_none()
            && c.status == CoverageStatus::NotEvaluated
            && let Some(rule) = find_rule(&c.rule_id)
        {
            let missing: Vec<&str> = rule
                .meta()
                .needs
                .iter()
                .filter(|d| !datasets.contains(*d))
                .map(|d| d.name())
                .collect();
            c.reason = if missing.is_empty() {
                c.reason.as_ref().map(|r| {
                    format!("{r} (lint with the current tenant export as context to resolve it)")
                })
            } else {
                Some(format!(
                    "needs {}, which proposed policies alone do not provide: lint them together \
                     with the current tenant export as context",
                    missing.join(", ")
                ))
            };
        }
    }
    report.findings = findings;
    report.summary = Summary::of(&report.findings, &report.coverage);
    if let Some(c) = context {
        inputs.extend(c.report.files.iter().cloned());
    }
    report.inputs = inputs;
    let mut warnings = parsed.warnings;
    crate::order::sort(&mut warnings);
    warnings.dedup();
    report.warnings = warnings;
    report
}

/// One coverage entry per rule from the runs of each batch of proposals: evaluated when every
/// run evaluated it; otherwise not evaluated, with the reason — naming the policy when only some
/// policies kept the rule from running.
fn merge_coverage(
    runs: &[Vec<RuleCoverage>],
    batches: &[Vec<usize>],
    proposals: &[Proposal],
) -> Vec<RuleCoverage> {
    let Some(first) = runs.first() else {
        return Vec::new();
    };
    let mut out = first.clone();
    for (i, c) in out.iter_mut().enumerate() {
        let not: Vec<(usize, &RuleCoverage)> = runs
            .iter()
            .enumerate()
            .filter_map(|(b, run)| run.get(i).map(|c| (b, c)))
            .filter(|(_, c)| c.status == CoverageStatus::NotEvaluated)
            .collect();
        let Some((batch, worst)) = not.first() else {
            continue;
        };
        let same = not.len() == runs.len() && not.iter().all(|(_, c)| c.reason == worst.reason);
        c.status = CoverageStatus::NotEvaluated;
        c.reason = if same || runs.len() == 1 {
            worst.reason.clone()
        } else {
            let who = batches
                .get(*batch)
                .and_then(|b| b.first())
                .and_then(|k| proposals.get(*k))
                .map_or_else(String::new, |p| {
                    match p
                        .policy
                        .display_name
                        .as_deref()
                        .filter(|n| !n.trim().is_empty())
                    {
                        Some(name) => format!("policy \"{name}\""),
                        None => format!("policy {}", p.policy.id),
                    }
                });
            let more = if not.len() > 1 {
                format!(" (and {} more)", not.len() - 1)
            } else {
                String::new()
            };
            Some(format!(
                "for {who}{more}: {}",
                worst.reason.as_deref().unwrap_or("")
            ))
        };
    }
    out
}

/// A dangling-reference finding whose only "deleted" objects are approvers or requestors the
/// plan could not name yet (an id known only after apply): not a deleted object at all.
fn unknown_only_reference(f: &Finding) -> bool {
    f.rule_id == "GS601"
        && f.evidence
            .get("missingIds")
            .and_then(Value::as_array)
            .is_some_and(|ids| {
                !ids.is_empty()
                    && ids
                        .iter()
                        .all(|id| id.as_str().is_some_and(|s| s.trim().is_empty()))
            })
}

/// Points a finding about a proposed policy at its offending field: `subject.source` (file,
/// JSON pointer, line) and `evidence.location` (file, line, column, JSON path).
fn place(f: &mut Finding, p: &Proposal, file: &str, text: &str) {
    let mut found: Option<(Path, locate::Spot)> = None;
    if f.rule_id == "GS601" {
        found = missing_id(f, p, text);
    }
    // A value that is too large is never a `null`; an absent setting may well be one.
    let skip_null = matches!(f.rule_id.as_str(), "GS302" | "GS604");
    if found.is_none() {
        for candidate in fields::candidates(&f.rule_id, &f.evidence) {
            let mut full = p.base.clone();
            full.extend(candidate);
            if let Some(spot) = locate(text, &full)
                && !(skip_null
                    && text
                        .get(spot.value..)
                        .is_some_and(|t| t.starts_with("null")))
            {
                found = Some((full, spot));
                break;
            }
        }
    }
    let (path, offset) = match found {
        Some((path, spot)) => (path, spot.name),
        None => {
            let offset = locate(text, &p.base).map_or(0, |s| s.value);
            (p.base.clone(), offset)
        }
    };
    let pos = position(text, offset);
    f.subject.source = Some(SourceRef {
        file: file.to_owned(),
        pointer: pointer(&path),
        line: pos.line,
    });
    f.evidence.insert(
        "location".to_owned(),
        json!({
            "file": file,
            "line": pos.line,
            "column": pos.column,
            "path": jsonpath(&path),
        }),
    );
}

/// For a dangling reference: where the first missing id is written inside the policy.
fn missing_id(f: &Finding, p: &Proposal, text: &str) -> Option<(Path, locate::Spot)> {
    let ids = f.evidence.get("missingIds")?.as_array()?;
    let spot = locate(text, &p.base)?;
    let end = value_end(text, spot.value)?;
    let span = text.get(spot.value..end)?;
    ids.iter()
        .filter_map(Value::as_str)
        .filter(|id| !id.is_empty())
        .find_map(|id| {
            let needle = serde_json::to_string(id).ok()?;
            let at = spot.value + span.find(&needle)?;
            Some((
                p.base.clone(),
                locate::Spot {
                    name: at,
                    value: at,
                },
            ))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn lint_one(name: &str, text: &str) -> Report {
        lint(
            &[InputFile::new(name, text.as_bytes().to_vec())],
            None,
            &Config::default(),
            NaiveDate::from_ymd_opt(2026, 11, 1).unwrap(),
        )
    }

    fn rules_at(report: &Report) -> Vec<(String, u32, u64)> {
        report
            .findings
            .iter()
            .map(|f| {
                let loc = &f.evidence["location"];
                (
                    f.rule_id.clone(),
                    loc["line"].as_u64().unwrap() as u32,
                    loc["column"].as_u64().unwrap(),
                )
            })
            .collect()
    }

    #[test]
    fn v1_body_findings_point_at_fields() {
        let text = r#"{
  "displayName": "Anyone",
  "allowedTargetScope": "allExternalUsers",
  "requestorSettings": {"enableTargetsToSelfAddAccess": true},
  "requestApprovalSettings": {"isApprovalRequiredForAdd": false, "stages": []},
  "expiration": {"type": "noExpiration"},
  "accessPackage": {"id": "pk"}
}"#;
        let report = lint_one("p.json", text);
        let mut got = rules_at(&report);
        got.sort();
        assert_eq!(
            got,
            [
                ("GS101".into(), 3, 3),
                ("GS102".into(), 3, 3),
                ("GS103".into(), 3, 3),
                ("GS301".into(), 6, 18),
                ("GS311".into(), 1, 1),
            ]
        );
        let f = &report.findings[0];
        assert_eq!(f.subject.id, "p.json");
        assert_eq!(
            f.subject.source.as_ref().unwrap().file,
            "p.json",
            "{:?}",
            f.subject
        );
        assert!(report.warnings.is_empty(), "{:?}", report.warnings);
        let gs201 = report
            .coverage
            .iter()
            .find(|c| c.rule_id == "GS201")
            .unwrap();
        assert!(
            gs201.reason.as_deref().unwrap().contains("as context"),
            "{gs201:?}"
        );
        let gs501 = report
            .coverage
            .iter()
            .find(|c| c.rule_id == "GS501")
            .unwrap();
        assert_eq!(gs501.status, CoverageStatus::NotEvaluated);
    }

    #[test]
    fn beta_array_and_errors() {
        let text = r##"[
  {"displayName": "A", "accessPackageId": "pk", "durationInDays": 0,
   "requestorSettings": {"scopeType": "AllExternalSubjects", "acceptRequests": true}},
  {"displayName": "B", "accessPackageId": "pk", "durationInDays": 400,
   "requestorSettings": {"scopeType": "SpecificDirectorySubjects", "acceptRequests": true,
     "allowedRequestors": [{"@odata.type": "#microsoft.graph.singleUser", "id": "u"}]}}
]"##;
        let report = lint_one("b.json", text);
        let got = rules_at(&report);
        assert!(got.contains(&("GS102".into(), 3, 26)), "{got:?}");
        assert!(got.contains(&("GS103".into(), 3, 26)), "{got:?}");
        assert!(got.contains(&("GS301".into(), 2, 49)), "{got:?}");
        assert!(got.contains(&("GS302".into(), 4, 49)), "{got:?}");
        assert!(
            report
                .findings
                .iter()
                .any(|f| f.subject.id == "b.json#/1" && f.rule_id == "GS302")
        );
        match &report.inputs[0].outcome {
            FileOutcome::Loaded {
                api_version, items, ..
            } => {
                assert_eq!(*api_version, Some(ApiVersion::Beta));
                assert_eq!(*items, 2);
            }
            other => panic!("{other:?}"),
        }
        let bad = lint_one("bad.json", "[{\"displayName\": \"x\"}]");
        match &bad.inputs[0].outcome {
            FileOutcome::Failed { error } => {
                assert_eq!((error.line, error.path.as_deref()), (1, Some("$[0]")));
            }
            other => panic!("{other:?}"),
        }
        let syntax = lint_one("s.json", "{\n \"a\": ,\n}");
        assert!(matches!(
            &syntax.inputs[0].outcome,
            FileOutcome::Failed { error } if error.line == 2
        ));
    }
}
