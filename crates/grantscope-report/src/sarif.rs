//! SARIF 2.1.0, for GitHub code scanning and any other SARIF consumer.
//!
//! - `runs[0].tool.driver.rules[]`: every registered rule, sorted by id, with its summary, the
//!   "What it does" section as `fullDescription`, the whole documentation as `help` (text and
//!   Markdown), `helpUri` ([`rule_docs_url`]), the default severity as
//!   `defaultConfiguration.level` and `properties` {`category`, `tags`, `security-severity`}.
//!   Rule ids that a (saved) report names but this build does not know get a minimal entry.
//! - `results[]`: one per finding, in report order, each with a `physicalLocation` (the export
//!   file and the line where the subject object starts; a finding without a source points at the
//!   first loaded input file, line 1, because GitHub rejects results without a file), the entity
//!   as a `logicalLocation` (`fullyQualifiedName` = `<kind>/<id>`), the related entities that have
//!   a source as `relatedLocations`, `partialFingerprints["grantscopeFingerprint/v1"]`, and
//!   `properties` {`severity`, `category`, `evidence`, `subject`, `related`, `remediation`}.
//! - `invocations[0]`: `executionSuccessful` is false when an input file failed to load (the CLI
//!   exits 2). `toolExecutionNotifications` carry the load errors (`error`), the load warnings and
//!   the rules that could not be evaluated for lack of data (`warning`, with `associatedRule`
//!   and the reason: a rule that did not run is not a rule that passed). Rules turned off in the
//!   configuration are `ruleConfigurationOverrides` with `enabled: false`, plus a
//!   `toolConfigurationNotifications` note.
//!
//! - Waived and baselined findings stay in `results[]` with a `suppressions[]` entry
//!   (`kind: external`, `status: accepted`, the waiver's reason as `justification`, and
//!   `properties` {`kind`: `waiver` | `baseline`, `owner`, `expires`, `source`}); SARIF consumers
//!   (GitHub code scanning among them) treat such results as not open. With a baseline, every
//!   result has a `baselineState` (`new` or `unchanged`) and the fixed entries are listed in the
//!   run's `properties.baseline`. Waivers that expired or match nothing are
//!   `toolConfigurationNotifications` (`warning`).
//!
//! Levels: critical and high → `error`, medium → `warning`, low and info → `note`.

use std::collections::BTreeMap;

use grantscope_core::findings::{
    CoverageStatus, EntityRef, Report, Severity, Suppression, SuppressionKind,
};
use grantscope_core::ingest::FileOutcome;
use grantscope_core::rules::RuleMeta;
use grantscope_core::waivers::WaiverStatus;
use serde_json::{Map, Value, json};

use crate::common::{
    SourcePaths, TOOL_URI, finding_column, finding_location, rule_docs_url, rule_metas,
};

/// The key of grantscope's fingerprint in `partialFingerprints` (bump `/v1` if it ever changes).
pub const SARIF_FINGERPRINT_KEY: &str = "grantscopeFingerprint/v1";

const SARIF_SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The SARIF level of a severity.
#[must_use]
pub fn sarif_level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// GitHub's `security-severity` score (critical > 9.0, high 7.0–8.9, medium 4.0–6.9, low < 4.0).
fn security_severity(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "9.5",
        Severity::High => "8.0",
        Severity::Medium => "5.5",
        Severity::Low => "3.0",
        Severity::Info => "1.0",
    }
}

/// The report as a SARIF 2.1.0 log (pretty-printed, trailing newline). File names become URIs
/// through `paths` (a prefix that makes them relative to the repository root).
///
/// # Errors
/// Only if serialisation fails, which `serde_json` does not do for these values.
pub fn render_sarif(report: &Report, paths: &SourcePaths) -> serde_json::Result<String> {
    let mut s =
        crate::json_escape_controls(serde_json::to_string_pretty(&sarif_value(report, paths))?);
    s.push('\n');
    Ok(s)
}

/// One rule of `rules[]`: from the registry, or a minimal entry for an id it does not know.
struct RuleEntry {
    id: String,
    name: String,
    meta: Option<&'static RuleMeta>,
    /// For unknown rules: the severity of their first finding.
    severity: Severity,
    category: String,
}

fn rule_entries(report: &Report) -> Vec<RuleEntry> {
    let metas = rule_metas();
    let mut entries: BTreeMap<String, RuleEntry> = metas
        .values()
        .map(|m| {
            (
                m.id.to_owned(),
                RuleEntry {
                    id: m.id.to_owned(),
                    name: m.name.to_owned(),
                    meta: Some(m),
                    severity: m.default_severity,
                    category: m.category.as_str().to_owned(),
                },
            )
        })
        .fold(BTreeMap::new(), grantscope_core::order::into_map);
    for f in &report.findings {
        entries
            .entry(f.rule_id.clone())
            .or_insert_with(|| RuleEntry {
                id: f.rule_id.clone(),
                name: f.rule_name.clone(),
                meta: None,
                severity: f.severity,
                category: f.category.as_str().to_owned(),
            });
    }
    for c in &report.coverage {
        entries
            .entry(c.rule_id.clone())
            .or_insert_with(|| RuleEntry {
                id: c.rule_id.clone(),
                name: c.rule_name.clone(),
                meta: None,
                severity: Severity::Medium,
                category: c.category.as_str().to_owned(),
            });
    }
    entries.into_values().collect()
}

/// The text of the docs' "What it does" section, as one paragraph per blank-line-separated block.
fn what_it_does(docs: &str) -> Option<String> {
    let mut lines = docs.lines().skip_while(|l| l.trim() != "## What it does");
    lines.next()?;
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current = String::new();
    for line in lines.take_while(|l| !l.starts_with("## ")) {
        let line = line.trim();
        if line.is_empty() {
            if !current.is_empty() {
                paragraphs.push(std::mem::take(&mut current));
            }
        } else {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(line);
        }
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    (!paragraphs.is_empty()).then(|| paragraphs.join("\n\n"))
}

/// Ends a description with a period, as SARIF consumers expect of sentences.
fn sentence(text: &str) -> String {
    let text = text.trim_end();
    if text.ends_with(['.', '!', '?']) {
        text.to_owned()
    } else {
        format!("{text}.")
    }
}

fn rule_value(entry: &RuleEntry) -> Value {
    let url = rule_docs_url(&entry.id);
    let (summary, full, help_text, help_markdown) = match entry.meta {
        Some(meta) => {
            let full = what_it_does(meta.docs).unwrap_or_else(|| meta.summary.to_owned());
            let markdown = format!("# {} {}\n\n{}", meta.id, meta.name, meta.docs.trim_end());
            (meta.summary.to_owned(), full, markdown.clone(), markdown)
        }
        None => {
            let text = format!(
                "Rule {} ({}) is not known to this version of grantscope. See {url}",
                entry.id, entry.name
            );
            (entry.name.clone(), text.clone(), text.clone(), text)
        }
    };
    json!({
        "id": entry.id,
        "name": entry.name,
        "shortDescription": { "text": sentence(&summary) },
        "fullDescription": { "text": sentence(&full) },
        "help": { "text": help_text, "markdown": help_markdown },
        "helpUri": url,
        "defaultConfiguration": { "level": sarif_level(entry.severity) },
        "properties": {
            "category": entry.category,
            "tags": ["security", "entitlement-management", entry.category],
            "security-severity": security_severity(entry.severity),
        },
    })
}

/// A URI reference for a file name: `/` separators, percent-encoding of everything but
/// unreserved characters, sub-delimiters, `:`, `@` and `/`; absolute paths become `file://` URIs.
fn file_uri(path: &str) -> String {
    let path = path.replace('\\', "/");
    let mut out = String::with_capacity(path.len());
    let is_windows_drive =
        path.len() >= 2 && path.as_bytes()[1] == b':' && path.as_bytes()[0].is_ascii_alphabetic();
    if path.starts_with('/') {
        out.push_str("file://");
    } else if is_windows_drive {
        out.push_str("file:///");
    }
    for (i, b) in path.bytes().enumerate() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b'/'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b'@'
            )
            // A colon in a relative first segment would read as a scheme.
            || (b == b':' && (is_windows_drive && i == 1 || path.starts_with('/')));
        if keep {
            out.push(char::from(b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn physical_location(paths: &SourcePaths, file: &str, line: u32, column: u32) -> Value {
    let mut location = json!({ "artifactLocation": { "uri": file_uri(&paths.path(file)) } });
    if line >= 1 {
        let mut region = json!({ "startLine": line });
        if column >= 1 {
            region["startColumn"] = json!(column);
        }
        location["region"] = region;
    }
    location
}

fn logical_location(entity: &EntityRef) -> Value {
    json!({
        "name": entity.display_name.as_deref().unwrap_or(&entity.id),
        "fullyQualifiedName": format!("{}/{}", entity.kind, entity.id),
        "kind": entity.kind.name(),
    })
}

fn related_locations(paths: &SourcePaths, related: &[EntityRef]) -> Vec<Value> {
    related
        .iter()
        .filter_map(|r| {
            let src = r.source.as_ref().filter(|s| !s.file.is_empty())?;
            Some((r, src))
        })
        .enumerate()
        .map(|(i, (r, src))| {
            json!({
                "id": i + 1,
                "physicalLocation": physical_location(paths, &src.file, src.line.max(1), 0),
                "logicalLocations": [logical_location(r)],
                "message": {
                    "text": format!("{} {}", r.kind, r.display_name.as_deref().unwrap_or(&r.id)),
                },
            })
        })
        .collect()
}

/// A result's `suppressions[]` entry.
fn suppression_value(s: &Suppression) -> Value {
    let justification = match s.kind {
        SuppressionKind::Waiver => s.reason.clone().unwrap_or_else(|| "waived".to_owned()),
        SuppressionKind::Baseline => {
            "Known before: recorded in the grantscope baseline.".to_owned()
        }
    };
    let mut properties = Map::new();
    properties.insert("kind".into(), json!(s.kind.as_str()));
    if let Some(owner) = &s.owner {
        properties.insert("owner".into(), json!(owner));
    }
    if let Some(expires) = &s.expires {
        properties.insert("expires".into(), json!(expires));
    }
    if let Some(source) = &s.source {
        properties.insert("source".into(), json!(source));
    }
    json!({
        "kind": "external",
        "status": "accepted",
        "justification": justification,
        "properties": properties,
    })
}

fn notification(level: &str, text: String) -> Map<String, Value> {
    let mut n = Map::new();
    n.insert("level".into(), json!(level));
    n.insert("message".into(), json!({ "text": text }));
    n
}

fn sarif_value(report: &Report, paths: &SourcePaths) -> Value {
    let entries = rule_entries(report);
    let index: BTreeMap<&str, usize> = entries
        .iter()
        .enumerate()
        .map(|(i, e)| (e.id.as_str(), i))
        .fold(BTreeMap::new(), grantscope_core::order::into_map);
    let rule_ref = |id: &str| json!({ "id": id, "index": index[id] });
    let suppressions = report.suppression_index();

    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let (file, line) = finding_location(report, f);
            let mut result = json!({
                "ruleId": f.rule_id,
                "ruleIndex": index[f.rule_id.as_str()],
                "level": sarif_level(f.severity),
                "message": { "text": sentence(&f.message) },
                "locations": [{
                    "physicalLocation": physical_location(paths, file, line, finding_column(f)),
                    "logicalLocations": [logical_location(&f.subject)],
                }],
                "partialFingerprints": { SARIF_FINGERPRINT_KEY: f.fingerprint },
                "properties": {
                    "severity": f.severity,
                    "category": f.category,
                    "evidence": f.evidence,
                    "subject": f.subject,
                    "related": f.related,
                    "remediation": f.remediation,
                },
            });
            let related = related_locations(paths, &f.related);
            if !related.is_empty() {
                result["relatedLocations"] = Value::Array(related);
            }
            if let Some(s) = suppressions.get(f.fingerprint.as_str()) {
                result["suppressions"] = json!([suppression_value(s)]);
            }
            if let Some(baseline) = &report.baseline {
                result["baselineState"] = json!(if baseline.new.contains(&f.fingerprint) {
                    "new"
                } else {
                    "unchanged"
                });
            }
            result
        })
        .collect();

    let mut execution = Vec::new();
    for file in &report.inputs {
        if let FileOutcome::Failed { error } = &file.outcome {
            let mut n = notification(
                "error",
                sentence(&format!("{} failed to load: {}", file.name, error.message)),
            );
            let name = if error.file.is_empty() {
                &file.name
            } else {
                &error.file
            };
            n.insert(
                "locations".into(),
                json!([{ "physicalLocation": physical_location(paths, name, error.line, error.column) }]),
            );
            execution.push(Value::Object(n));
        }
    }
    for w in &report.warnings {
        let mut n = notification("warning", sentence(&w.message));
        n.insert("descriptor".into(), json!({ "id": w.kind }));
        if !w.file.is_empty() {
            n.insert(
                "locations".into(),
                json!([{ "physicalLocation": physical_location(paths, &w.file, w.line, 0) }]),
            );
        }
        execution.push(Value::Object(n));
    }
    let mut configuration = Vec::new();
    let mut overrides = Vec::new();
    for c in &report.coverage {
        match c.status {
            CoverageStatus::Evaluated => {}
            CoverageStatus::NotEvaluated => {
                let mut n = notification(
                    "warning",
                    sentence(&format!(
                        "{} {} was not evaluated: {}",
                        c.rule_id,
                        c.rule_name,
                        c.reason
                            .as_deref()
                            .unwrap_or("the data it needs is missing")
                    )),
                );
                n.insert("associatedRule".into(), rule_ref(&c.rule_id));
                execution.push(Value::Object(n));
            }
            CoverageStatus::Disabled => {
                let mut n = notification(
                    "note",
                    sentence(&format!(
                        "{} {} is disabled: {}",
                        c.rule_id,
                        c.rule_name,
                        c.reason
                            .as_deref()
                            .unwrap_or("turned off in the configuration")
                    )),
                );
                n.insert("associatedRule".into(), rule_ref(&c.rule_id));
                configuration.push(Value::Object(n));
                overrides.push(json!({
                    "descriptor": rule_ref(&c.rule_id),
                    "configuration": { "enabled": false },
                }));
            }
        }
    }

    for w in &report.waivers {
        if w.status != WaiverStatus::Applied {
            let mut n = notification("warning", sentence(&w.describe()));
            n.insert(
                "descriptor".into(),
                json!({ "id": format!("waiver-{}", w.status.as_str()) }),
            );
            configuration.push(Value::Object(n));
        }
    }

    let mut invocation = json!({
        "executionSuccessful": !report
            .inputs
            .iter()
            .any(|f| matches!(f.outcome, FileOutcome::Failed { .. })),
        "properties": { "asOf": report.as_of },
    });
    if !execution.is_empty() {
        invocation["toolExecutionNotifications"] = Value::Array(execution);
    }
    if !configuration.is_empty() {
        invocation["toolConfigurationNotifications"] = Value::Array(configuration);
    }
    if !overrides.is_empty() {
        invocation["ruleConfigurationOverrides"] = Value::Array(overrides);
    }

    json!({
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": report.tool.name,
                    "version": report.tool.version,
                    "semanticVersion": report.tool.version,
                    "informationUri": TOOL_URI,
                    "rules": entries.iter().map(rule_value).collect::<Vec<_>>(),
                },
            },
            "invocations": [invocation],
            "results": results,
            "properties": run_properties(report),
        }],
    })
}

fn run_properties(report: &Report) -> Value {
    let mut properties = json!({
        "asOf": report.as_of,
        "reportSchemaVersion": report.schema_version,
        "summary": report.summary,
    });
    if !report.waivers.is_empty() {
        properties["waivers"] = json!(report.waivers);
    }
    if let Some(baseline) = &report.baseline {
        properties["baseline"] = json!(baseline);
    }
    properties
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uris_are_encoded() {
        assert_eq!(file_uri("a/b c.json"), "a/b%20c.json");
        assert_eq!(file_uri("x.zip/in#1?.json"), "x.zip/in%231%3F.json");
        assert_eq!(file_uri("/tmp/x.json"), "file:///tmp/x.json");
        assert_eq!(file_uri(r"C:\x\y.json"), "file:///C:/x/y.json");
        assert_eq!(file_uri("ab:c.json"), "ab%3Ac.json");
        assert_eq!(file_uri("100%.json"), "100%25.json");
        assert_eq!(file_uri("é.json"), "%C3%A9.json");
    }

    #[test]
    fn what_it_does_is_the_first_section() {
        let docs = "## What it does\nFlags a\nthing.\n\nMore.\n## Why is this risky?\nBecause.\n";
        assert_eq!(
            what_it_does(docs).as_deref(),
            Some("Flags a thing.\n\nMore.")
        );
        assert_eq!(what_it_does("no sections"), None);
    }

    #[test]
    fn levels() {
        assert_eq!(sarif_level(Severity::Critical), "error");
        assert_eq!(sarif_level(Severity::High), "error");
        assert_eq!(sarif_level(Severity::Medium), "warning");
        assert_eq!(sarif_level(Severity::Low), "note");
        assert_eq!(sarif_level(Severity::Info), "note");
    }
}
