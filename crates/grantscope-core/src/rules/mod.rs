//! The rule engine: one file per rule (declared with [`declare_rule!`]), a registry
//! ([`ALL_RULES`]), and [`run`], which turns a snapshot into a [`Report`].
//!
//! Rules read a [`RuleContext`] (snapshot, access graph, configuration, as-of date) and push
//! findings; they never do I/O, never read the clock and never panic on bad data. A rule whose
//! datasets are missing is reported as not evaluated, with the reason — never as passed.

mod context;
mod refs;

pub mod approval;
pub mod eligibility;
pub mod expiration;
pub mod guest_lifecycle;
pub mod hygiene;
pub mod review;
pub mod separation_of_duties;

pub use context::{Draft, Findings, RuleContext};
pub use refs::*;

use std::sync::LazyLock;

use chrono::NaiveDate;
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::config::{Config, Level};
use crate::findings::{
    Category, CoverageStatus, Report, RuleCoverage, SCHEMA_VERSION, Severity, Summary, ToolInfo,
    sort_findings,
};
use crate::graph::AccessGraph;
use crate::ingest::Loaded;
use crate::model::Dataset;

/// Everything known about a rule without running it.
#[derive(Debug)]
pub struct RuleMeta {
    /// `GS` + three digits; stable, never reused.
    pub id: &'static str,
    /// kebab-case name of the risky pattern ("allow broad-requestor-scope").
    pub name: &'static str,
    pub category: Category,
    pub default_severity: Severity,
    /// One line: what the rule detects.
    pub summary: &'static str,
    /// Markdown with the sections What it does, Why is this risky?, Example, Remediation, References.
    pub docs: &'static str,
    /// The default remediation text attached to each finding.
    pub remediation: &'static str,
    /// Datasets without which the rule cannot run.
    pub needs: &'static [Dataset],
    pub since: &'static str,
}

/// Gives a rule's metadata; implemented by [`declare_rule!`].
pub trait RuleInfo {
    fn meta(&self) -> &'static RuleMeta;
}

/// A rule. `Options` is its `[rules.<name>.options]` table (kebab-case, unknown keys rejected).
pub trait Rule: RuleInfo + Send + Sync + 'static {
    type Options: DeserializeOwned + Serialize + Default;

    /// A precondition beyond the datasets in `needs` (e.g. "some user has sign-in data");
    /// `Err(reason)` reports the rule as not evaluated.
    fn applicable(&self, _ctx: &RuleContext<'_>) -> Result<(), String> {
        Ok(())
    }

    fn check(&self, ctx: &RuleContext<'_>, options: &Self::Options, out: &mut Findings);
}

/// Object-safe view of a rule, for the registry.
pub trait DynRule: Send + Sync {
    fn meta(&self) -> &'static RuleMeta;
    fn default_options(&self) -> serde_json::Value;
    /// Checks an options table; the error names the offending key.
    fn validate_options(&self, options: &serde_json::Value) -> Result<(), String>;
    fn applicable(&self, ctx: &RuleContext<'_>) -> Result<(), String>;
    fn run(
        &self,
        ctx: &RuleContext<'_>,
        options: &serde_json::Value,
        out: &mut Findings,
    ) -> Result<(), String>;
}

fn parse_options<T: DeserializeOwned>(v: &serde_json::Value) -> Result<T, String> {
    let v = if v.is_null() {
        serde_json::Value::Object(serde_json::Map::new())
    } else {
        v.clone()
    };
    serde_json::from_value(v).map_err(|e| e.to_string())
}

impl<R: Rule> DynRule for R {
    fn meta(&self) -> &'static RuleMeta {
        RuleInfo::meta(self)
    }

    fn default_options(&self) -> serde_json::Value {
        serde_json::to_value(R::Options::default()).unwrap_or(serde_json::Value::Null)
    }

    fn validate_options(&self, options: &serde_json::Value) -> Result<(), String> {
        parse_options::<R::Options>(options).map(|_| ())
    }

    fn applicable(&self, ctx: &RuleContext<'_>) -> Result<(), String> {
        Rule::applicable(self, ctx)
    }

    fn run(
        &self,
        ctx: &RuleContext<'_>,
        options: &serde_json::Value,
        out: &mut Findings,
    ) -> Result<(), String> {
        let options = parse_options::<R::Options>(options)?;
        self.check(ctx, &options, out);
        Ok(())
    }
}

/// Declares a rule struct and its metadata. The doc comment becomes `RuleMeta::docs`.
#[macro_export]
macro_rules! declare_rule {
    (
        $(#[doc = $doc:expr])*
        pub $name:ident {
            id: $id:literal,
            name: $rname:literal,
            category: $category:ident,
            severity: $severity:ident,
            summary: $summary:literal,
            remediation: $remediation:literal,
            needs: [$($need:ident),* $(,)?],
            since: $since:literal $(,)?
        }
    ) => {
        $(#[doc = $doc])*
        #[derive(Debug, Clone, Copy, Default)]
        pub struct $name;

        impl $crate::rules::RuleInfo for $name {
            fn meta(&self) -> &'static $crate::rules::RuleMeta {
                static META: $crate::rules::RuleMeta = $crate::rules::RuleMeta {
                    id: $id,
                    name: $rname,
                    category: $crate::findings::Category::$category,
                    default_severity: $crate::findings::Severity::$severity,
                    summary: $summary,
                    docs: concat!($($doc, "\n"),*),
                    remediation: $remediation,
                    needs: &[$($crate::model::Dataset::$need),*],
                    since: $since,
                };
                &META
            }
        }
    };
}

/// Every rule grantscope ships, in id order. Each category module lists its own rules.
pub static ALL_RULES: LazyLock<Vec<&'static dyn DynRule>> = LazyLock::new(|| {
    let mut v: Vec<&'static dyn DynRule> = [
        eligibility::RULES,
        approval::RULES,
        expiration::RULES,
        review::RULES,
        separation_of_duties::RULES,
        guest_lifecycle::RULES,
        hygiene::RULES,
    ]
    .concat();
    crate::order::sort_by_key(&mut v, |r| r.meta().id);
    v
});

/// Finds a rule by id (`GS101`) or name (`broad-requestor-scope`), case-insensitively.
#[must_use]
pub fn find_rule(key: &str) -> Option<&'static dyn DynRule> {
    ALL_RULES
        .iter()
        .copied()
        .find(|r| r.meta().id.eq_ignore_ascii_case(key) || r.meta().name.eq_ignore_ascii_case(key))
}

/// Runs every enabled rule over a loaded export and assembles the report.
#[must_use]
pub fn run(loaded: &Loaded, config: &Config, as_of: NaiveDate) -> Report {
    let graph = AccessGraph::build(&loaded.snapshot, config);
    let ctx = RuleContext::new(&loaded.snapshot, &graph, config, as_of);
    let mut findings = Vec::new();
    let mut coverage = Vec::with_capacity(ALL_RULES.len());
    for &rule in ALL_RULES.iter() {
        let meta = rule.meta();
        let setting = config.rule(meta);
        let (status, reason, count) = if setting.level == Level::Off {
            (
                CoverageStatus::Disabled,
                Some("turned off in the configuration".to_owned()),
                0,
            )
        } else if let Some(reason) = missing_data(&ctx, meta) {
            (CoverageStatus::NotEvaluated, Some(reason), 0)
        } else if let Err(reason) = rule.applicable(&ctx) {
            (CoverageStatus::NotEvaluated, Some(reason), 0)
        } else {
            let mut out = Findings::new(meta, setting.severity_override());
            match rule.run(&ctx, &setting.options, &mut out) {
                Ok(()) => {
                    let produced = out.into_vec();
                    let n = produced.len();
                    findings.extend(produced);
                    (CoverageStatus::Evaluated, None, n)
                }
                Err(e) => (
                    CoverageStatus::NotEvaluated,
                    Some(format!("invalid options: {e}")),
                    0,
                ),
            }
        };
        coverage.push(RuleCoverage {
            rule_id: meta.id.to_owned(),
            rule_name: meta.name.to_owned(),
            category: meta.category,
            status,
            reason,
            findings: count,
        });
    }
    sort_findings(&mut findings);
    let summary = Summary::of(&findings, &coverage);
    Report {
        schema_version: SCHEMA_VERSION.to_owned(),
        tool: ToolInfo {
            name: "grantscope".to_owned(),
            version: env!("CARGO_PKG_VERSION").to_owned(),
        },
        as_of: as_of.to_string(),
        inputs: loaded.report.files.clone(),
        warnings: loaded.report.warnings.clone(),
        findings,
        coverage,
        summary,
        suppressions: Vec::new(),
        waivers: Vec::new(),
        baseline: None,
    }
}

fn missing_data(ctx: &RuleContext<'_>, meta: &RuleMeta) -> Option<String> {
    let missing: Vec<Dataset> = meta
        .needs
        .iter()
        .copied()
        .filter(|d| !ctx.snapshot.has(*d))
        .collect();
    if missing.is_empty() {
        return None;
    }
    let names: Vec<&str> = missing.iter().map(|d| d.name()).collect();
    let hints: Vec<&str> = missing.iter().map(|d| d.recipe_hint()).collect();
    Some(format!(
        "needs {} which the export does not contain; add {}",
        names.join(", "),
        hints.join("; ")
    ))
}
