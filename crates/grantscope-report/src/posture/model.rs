//! The posture report as data: everything the HTML and Markdown renderers show, computed once
//! from the check report, the snapshot, the access graph and the score. Strings here are raw
//! (unescaped); each renderer escapes them for its format.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use grantscope_core::config::Config;
use grantscope_core::findings::{CoverageStatus, Finding, Report, Severity};
use grantscope_core::graph::AccessGraph;
use grantscope_core::ingest::FileOutcome;
use grantscope_core::model::{
    AssignmentPolicy, Dataset, EntityKind, ExpirationType, ExternalUserState,
    RecurrencePatternType, ReviewExpirationBehavior, Snapshot, SubjectSet, TargetScope,
};
use grantscope_core::score::{Area, Exposure, PostureScore, score};

use super::advice::{Advice, Effort, action_text, advice};

/// How many risks the "top risks" section lists.
pub(crate) const TOP_RISKS: usize = 10;
/// How many packages the eligible-population chart shows.
pub(crate) const BROADEST: usize = 10;

/// One rule's findings seen as one risk.
#[derive(Debug, Clone)]
pub(crate) struct Risk {
    pub(crate) rule_id: String,
    pub(crate) rule_name: String,
    pub(crate) summary: String,
    pub(crate) area: Area,
    /// The most severe finding's severity.
    pub(crate) severity: Severity,
    pub(crate) findings: usize,
    pub(crate) impact: &'static str,
    /// Labels of the subjects, in report order, deduplicated.
    pub(crate) subjects: Vec<String>,
    /// Points this rule deducts from its area.
    pub(crate) points: f64,
}

/// One action of the remediation plan: the fix for every finding of one rule.
#[derive(Debug, Clone)]
pub(crate) struct Action {
    pub(crate) risk: Risk,
    pub(crate) text: String,
    pub(crate) advice: Advice,
    /// Risk reduction ÷ effort weight: the ranking key.
    pub(crate) priority: f64,
}

impl Action {
    pub(crate) fn effort(&self) -> Effort {
        self.advice.effort
    }
}

/// A bar of a chart.
#[derive(Debug, Clone)]
pub(crate) struct Bar {
    pub(crate) label: String,
    pub(crate) value: usize,
}

/// The eligible population of one package (union of its policies).
#[derive(Debug, Clone)]
pub(crate) struct PackagePopulation {
    pub(crate) name: String,
    pub(crate) members: usize,
    pub(crate) guests: usize,
    pub(crate) unbounded: bool,
}

/// One policy in the inventory.
#[derive(Debug, Clone)]
pub(crate) struct PolicyRow {
    pub(crate) name: String,
    pub(crate) scope: String,
    pub(crate) approval: String,
    pub(crate) expiry: String,
    pub(crate) review: String,
}

/// One access package in the inventory.
#[derive(Debug, Clone)]
pub(crate) struct PackageRow {
    pub(crate) name: String,
    pub(crate) hidden: bool,
    pub(crate) privileged: bool,
    pub(crate) holders: usize,
    /// "Resource (role)" for each grant.
    pub(crate) resources: Vec<String>,
    pub(crate) policies: Vec<PolicyRow>,
}

#[derive(Debug, Clone)]
pub(crate) struct CatalogRow {
    pub(crate) name: String,
    pub(crate) packages: Vec<PackageRow>,
}

/// Reverse index: one resource and the packages that grant it.
#[derive(Debug, Clone)]
pub(crate) struct ResourceRow {
    pub(crate) name: String,
    pub(crate) kind: String,
    pub(crate) catalog: String,
    /// "Package (role)".
    pub(crate) packages: Vec<String>,
}

#[derive(Debug, Clone)]
pub(crate) struct GuestRow {
    pub(crate) name: String,
    pub(crate) email: String,
    pub(crate) state: String,
    pub(crate) enabled: bool,
    pub(crate) last_sign_in: String,
    pub(crate) days: Option<i64>,
    pub(crate) sponsors: String,
    pub(crate) packages: usize,
}

/// A rule that did not run.
#[derive(Debug, Clone)]
pub(crate) struct NotRun {
    pub(crate) rule_id: String,
    pub(crate) rule_name: String,
    pub(crate) disabled: bool,
    pub(crate) reason: String,
}

/// Everything the report shows.
pub(crate) struct Model<'a> {
    pub(crate) report: &'a Report,
    pub(crate) score: PostureScore,
    pub(crate) client: Option<String>,
    pub(crate) prepared_by: Option<String>,
    pub(crate) as_of: String,
    /// What was analysed: (label, count), `None` when the dataset was not exported.
    pub(crate) counts: Vec<(&'static str, Option<usize>)>,
    pub(crate) files_loaded: usize,
    pub(crate) files_skipped: usize,
    pub(crate) files_failed: Vec<(String, String)>,
    pub(crate) skipped: Vec<(String, String)>,
    pub(crate) missing_datasets: Vec<(Dataset, &'static str)>,
    pub(crate) not_run: Vec<NotRun>,
    pub(crate) rules_total: usize,
    pub(crate) rules_evaluated: usize,
    /// Sorted most severe first, then by deduction.
    pub(crate) risks: Vec<Risk>,
    /// Sorted by priority.
    pub(crate) actions: Vec<Action>,
    /// What is good: clean rules, most important first.
    pub(crate) good: Vec<&'static str>,
    pub(crate) by_area: Vec<(Area, BTreeMap<Severity, usize>)>,
    pub(crate) guest_activity: Vec<Bar>,
    pub(crate) guests_disabled: usize,
    pub(crate) sign_in_data: bool,
    pub(crate) policy_expiry: Vec<Bar>,
    pub(crate) broadest: Vec<PackagePopulation>,
    pub(crate) catalogs: Vec<CatalogRow>,
    pub(crate) resources: Vec<ResourceRow>,
    pub(crate) guests: Vec<GuestRow>,
    /// Findings per area in report order, each with its subject label.
    pub(crate) details: Vec<(Area, Vec<(&'a Finding, String)>)>,
}

fn name_or(name: Option<&str>, fallback: &str) -> String {
    match name {
        Some(n) if !n.trim().is_empty() => n.to_owned(),
        _ => fallback.to_owned(),
    }
}

/// A person's name for a user id: display name, else UPN, else the id.
fn user_name(s: &Snapshot, id: &str) -> String {
    s.users.get(id).map_or_else(
        || format!("{id} (not in the export)"),
        |u| {
            name_or(
                u.display_name
                    .as_deref()
                    .or(u.user_principal_name.as_deref()),
                id,
            )
        },
    )
}

fn group_name(s: &Snapshot, id: &str) -> String {
    s.groups.get(id).map_or_else(
        || format!("{id} (not in the export)"),
        |g| name_or(g.display_name.as_deref(), id),
    )
}

fn package_name(s: &Snapshot, id: &str) -> String {
    s.access_packages
        .get(id)
        .map_or_else(|| id.to_owned(), |p| name_or(p.display_name.as_deref(), id))
}

fn org_name(s: &Snapshot, id: &str) -> String {
    s.connected_organizations
        .get(id)
        .map_or_else(|| id.to_owned(), |o| name_or(o.display_name.as_deref(), id))
}

/// A readable label for a finding's subject: "Package › Policy", "User → Package", or the name.
pub(crate) fn subject_label(s: &Snapshot, f: &Finding) -> String {
    let subject = &f.subject;
    let fallback = || name_or(subject.display_name.as_deref(), &subject.id);
    match subject.kind {
        EntityKind::AssignmentPolicy => match s.policies.get(&subject.id) {
            Some(p) => {
                let policy = name_or(p.display_name.as_deref(), &p.id);
                match &p.access_package_id {
                    Some(pkg) => format!("{} › {policy}", package_name(s, pkg)),
                    None => policy,
                }
            }
            None => fallback(),
        },
        EntityKind::Assignment => match s.assignments.get(&subject.id) {
            Some(a) => {
                let who = a
                    .target_object_id
                    .as_deref()
                    .filter(|id| s.users.contains_key(*id))
                    .map(|id| user_name(s, id))
                    .or_else(|| a.target_display_name.clone())
                    .unwrap_or_else(|| "unknown user".to_owned());
                let what = a
                    .access_package_id
                    .as_deref()
                    .map_or_else(|| "unknown package".to_owned(), |p| package_name(s, p));
                format!("{who} → {what}")
            }
            None => fallback(),
        },
        _ => fallback(),
    }
}

/// A subject set as people say it.
fn subject_set(s: &Snapshot, set: &SubjectSet) -> String {
    match set {
        SubjectSet::SingleUser { user_id } => user_name(s, user_id),
        SubjectSet::GroupMembers { group_id } => format!("group {}", group_name(s, group_id)),
        SubjectSet::ConnectedOrganizationMembers {
            connected_organization_id,
        } => format!("users of {}", org_name(s, connected_organization_id)),
        SubjectSet::RequestorManager { manager_level } if *manager_level <= 1 => {
            "the requestor's manager".to_owned()
        }
        SubjectSet::RequestorManager { manager_level } => {
            format!("the requestor's manager (level {manager_level})")
        }
        SubjectSet::InternalSponsors => "internal sponsors".to_owned(),
        SubjectSet::ExternalSponsors => "external sponsors".to_owned(),
        SubjectSet::TargetUserSponsors => "the requestor's sponsors".to_owned(),
        SubjectSet::AttributeRuleMembers { membership_rule } => {
            format!("users matching {membership_rule}")
        }
        SubjectSet::TargetManager { manager_level } => {
            format!("the target's manager (level {manager_level})")
        }
        SubjectSet::TargetApplicationOwners => "the application's owners".to_owned(),
        SubjectSet::SingleServicePrincipal {
            service_principal_id,
        } => s.service_principals.get(service_principal_id).map_or_else(
            || service_principal_id.clone(),
            |sp| name_or(sp.display_name.as_deref(), service_principal_id),
        ),
        SubjectSet::TargetAgentIdentitySponsorsOrOwners => "agent sponsors or owners".to_owned(),
        SubjectSet::Other { odata_type } => odata_type.clone(),
    }
}

fn sets(s: &Snapshot, list: &[SubjectSet]) -> String {
    list.iter()
        .map(|x| subject_set(s, x))
        .collect::<Vec<_>>()
        .join(", ")
}

fn scope_text(s: &Snapshot, p: &AssignmentPolicy) -> String {
    let auto = p.is_auto_assignment();
    let base = match &p.allowed_target_scope {
        None | Some(TargetScope::SpecificDirectoryUsers)
            if !p.specific_allowed_targets.is_empty() =>
        {
            sets(s, &p.specific_allowed_targets)
        }
        Some(TargetScope::SpecificConnectedOrganizationUsers) => {
            sets(s, &p.specific_allowed_targets)
        }
        Some(TargetScope::NotSpecified) => "administrators assign (no requests)".to_owned(),
        Some(TargetScope::AllMemberUsers) => "all member users".to_owned(),
        Some(TargetScope::AllDirectoryUsers) => "all users, guests included".to_owned(),
        Some(TargetScope::AllExternalUsers) => "any external user".to_owned(),
        Some(TargetScope::AllConfiguredConnectedOrganizationUsers) => {
            "users of all configured connected organisations".to_owned()
        }
        Some(TargetScope::AllDirectoryServicePrincipals) => "all service principals".to_owned(),
        Some(TargetScope::SpecificDirectoryServicePrincipals) => {
            "specific service principals".to_owned()
        }
        Some(other) => other.as_str().to_owned(),
        None => "not specified".to_owned(),
    };
    if auto {
        format!("automatic: {base}")
    } else if !p.is_self_service()
        && !matches!(p.allowed_target_scope, Some(TargetScope::NotSpecified))
    {
        format!("{base} (requests off)")
    } else {
        base
    }
}

fn approval_text(s: &Snapshot, p: &AssignmentPolicy) -> String {
    let Some(a) = p.approval.as_ref().filter(|a| a.required_for_add) else {
        return "none".to_owned();
    };
    if a.stages.is_empty() {
        return "required, but no stage configured".to_owned();
    }
    a.stages
        .iter()
        .enumerate()
        .map(|(i, st)| {
            let mut t = format!("stage {}: ", i + 1);
            if st.primary_approvers.is_empty() {
                t.push_str("no approver");
            } else {
                t.push_str(&sets(s, &st.primary_approvers));
            }
            let fallback: Vec<SubjectSet> = st
                .fallback_primary_approvers
                .iter()
                .chain(&st.escalation_approvers)
                .chain(&st.fallback_escalation_approvers)
                .cloned()
                .collect();
            if !fallback.is_empty() {
                t.push_str(&format!(" (fallback: {})", sets(s, &fallback)));
            }
            t
        })
        .collect::<Vec<_>>()
        .join("; ")
}

/// Days from `as_of` until a policy's access ends; `None` = never, `Some(None)` = not set.
fn expiry_days(p: &AssignmentPolicy, as_of: Option<NaiveDate>) -> Option<Option<i64>> {
    match p.expiration.as_ref().map(|e| (&e.kind, e)) {
        Some((ExpirationType::NoExpiration, _)) => None,
        Some((ExpirationType::AfterDuration, e)) => Some(e.duration.map(|d| d.days())),
        Some((ExpirationType::AfterDateTime, e)) => Some(
            e.end
                .zip(as_of)
                .map(|(end, as_of)| (end.date_naive() - as_of).num_days()),
        ),
        _ => Some(None),
    }
}

fn expiry_text(p: &AssignmentPolicy) -> String {
    match p.expiration.as_ref() {
        Some(e) => match e.kind {
            ExpirationType::NoExpiration => "never".to_owned(),
            ExpirationType::AfterDuration => e.duration.map_or_else(
                || "after a duration".to_owned(),
                |d| format!("after {} days", d.days()),
            ),
            ExpirationType::AfterDateTime => e.end.map_or_else(
                || "on a date".to_owned(),
                |t| format!("on {}", grantscope_core::dates::ymd(t)),
            ),
            _ => "not set".to_owned(),
        },
        None => "not set".to_owned(),
    }
}

fn review_text(p: &AssignmentPolicy) -> String {
    let Some(r) = p.review.as_ref().filter(|r| r.is_enabled) else {
        return "none".to_owned();
    };
    let mut t = match r.schedule.as_ref().and_then(|s| s.recurrence.as_ref()) {
        Some(rec) => {
            let n = rec.interval.max(1);
            match (&rec.pattern, n) {
                (
                    RecurrencePatternType::AbsoluteMonthly | RecurrencePatternType::RelativeMonthly,
                    1,
                ) => "monthly".to_owned(),
                (
                    RecurrencePatternType::AbsoluteMonthly | RecurrencePatternType::RelativeMonthly,
                    3,
                ) => "quarterly".to_owned(),
                (
                    RecurrencePatternType::AbsoluteMonthly | RecurrencePatternType::RelativeMonthly,
                    6,
                ) => "every 6 months".to_owned(),
                (
                    RecurrencePatternType::AbsoluteMonthly | RecurrencePatternType::RelativeMonthly,
                    n,
                ) => format!("every {n} months"),
                (
                    RecurrencePatternType::AbsoluteYearly | RecurrencePatternType::RelativeYearly,
                    1,
                ) => "yearly".to_owned(),
                (
                    RecurrencePatternType::AbsoluteYearly | RecurrencePatternType::RelativeYearly,
                    n,
                ) => format!("every {n} years"),
                (RecurrencePatternType::Weekly, n) => format!("every {n} week(s)"),
                (RecurrencePatternType::Daily, n) => format!("every {n} day(s)"),
                (RecurrencePatternType::Other(o), _) => o.clone(),
            }
        }
        None => "once".to_owned(),
    };
    if r.is_self_review {
        t.push_str(", self-review");
    }
    if r.expiration_behavior == Some(ReviewExpirationBehavior::KeepAccess) {
        t.push_str(", keeps access if unanswered");
    }
    t
}

fn risk_order(a: &Risk, b: &Risk) -> std::cmp::Ordering {
    b.severity
        .cmp(&a.severity)
        .then_with(|| b.points.total_cmp(&a.points))
        .then_with(|| b.findings.cmp(&a.findings))
        .then_with(|| a.rule_id.cmp(&b.rule_id))
}

impl<'a> Model<'a> {
    pub(crate) fn build(
        report: &'a Report,
        snapshot: &'a Snapshot,
        config: &Config,
        client: Option<&str>,
        prepared_by: Option<&str>,
    ) -> Model<'a> {
        let s = snapshot;
        let graph = AccessGraph::build(snapshot, config);
        let score = score(report, &Exposure::of(snapshot));
        let as_of_date = grantscope_core::dates::parse_date(&report.as_of);
        let clean = |x: Option<&str>| {
            x.map(str::trim)
                .filter(|x| !x.is_empty())
                .map(str::to_owned)
        };

        // Risks: one per rule with findings.
        let mut by_rule: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
        for f in &report.findings {
            by_rule.entry(f.rule_id.as_str()).or_default().push(f);
        }
        let mut risks: Vec<Risk> = by_rule
            .into_iter()
            .map(|(rule_id, fs)| {
                let area = Area::of(fs[0].category);
                let points = score
                    .area(area)
                    .deductions
                    .iter()
                    .filter(|d| d.rule_id == rule_id)
                    .map(|d| d.points)
                    .sum::<f64>();
                let mut seen = BTreeSet::new();
                let subjects = fs
                    .iter()
                    .filter(|f| seen.insert((f.subject.kind, f.subject.id.as_str())))
                    .map(|f| subject_label(s, f))
                    .collect();
                let meta = grantscope_core::rules::find_rule(rule_id).map(|r| r.meta());
                Risk {
                    rule_id: rule_id.to_owned(),
                    rule_name: fs[0].rule_name.clone(),
                    summary: meta.map_or_else(|| fs[0].rule_name.clone(), |m| m.summary.to_owned()),
                    area,
                    severity: fs
                        .iter()
                        .map(|f| f.severity)
                        .max()
                        .unwrap_or(Severity::Info),
                    findings: fs.len(),
                    impact: advice(rule_id).impact,
                    subjects,
                    points: (points * 100.0).round() / 100.0,
                }
            })
            .collect();
        grantscope_core::order::sort_by(&mut risks, risk_order);

        let mut actions: Vec<Action> = risks
            .iter()
            .map(|r| {
                let a = advice(&r.rule_id);
                Action {
                    text: action_text(&a, r.subjects.len()),
                    priority: r.points / a.effort.weight(),
                    advice: a,
                    risk: r.clone(),
                }
            })
            .collect();
        grantscope_core::order::sort_by(&mut actions, |a, b| {
            b.priority
                .total_cmp(&a.priority)
                .then_with(|| b.risk.severity.cmp(&a.risk.severity))
                .then_with(|| a.risk.rule_id.cmp(&b.risk.rule_id))
        });

        // What is good: clean rules that ran, the most severe kind of problem first.
        let mut clean_rules: Vec<(Severity, &str)> = report
            .coverage
            .iter()
            .filter(|c| c.status == CoverageStatus::Evaluated && c.findings == 0)
            .filter_map(|c| {
                grantscope_core::rules::find_rule(&c.rule_id)
                    .map(|r| (r.meta().default_severity, r.meta().id))
            })
            .collect();
        grantscope_core::order::sort_by(&mut clean_rules, |a, b| {
            b.0.cmp(&a.0).then_with(|| a.1.cmp(b.1))
        });
        let good = clean_rules
            .into_iter()
            .map(|(_, id)| advice(id).good)
            .filter(|g| !g.is_empty())
            .collect();

        let by_area = Area::ALL
            .iter()
            .map(|&a| (a, score.area(a).by_severity.clone()))
            .collect();

        // Guests by days since their last sign-in.
        let sign_in_data = s.has_sign_in_data();
        let mut buckets = [0usize; 7];
        let mut guests_disabled = 0;
        for u in s.users.values().filter(|u| u.is_guest()) {
            if !u.is_enabled() {
                guests_disabled += 1;
                continue;
            }
            let i = if sign_in_data {
                match (
                    u.sign_in_activity.as_ref().and_then(|a| a.last_activity()),
                    as_of_date,
                ) {
                    (Some(t), Some(d)) => match days_since(d, t) {
                        ..=30 => 0,
                        31..=90 => 1,
                        91..=180 => 2,
                        181..=365 => 3,
                        _ => 4,
                    },
                    (Some(_), None) => 6,
                    (None, _) => 5,
                }
            } else {
                6
            };
            buckets[i] += 1;
        }
        let guest_activity = [
            "≤ 30 days",
            "31–90 days",
            "91–180 days",
            "181–365 days",
            "> 365 days",
            "never",
            "no data",
        ]
        .iter()
        .zip(buckets)
        .filter(|(l, n)| *n > 0 || !matches!(**l, "no data"))
        .map(|(l, n)| Bar {
            label: (*l).to_owned(),
            value: n,
        })
        .collect();

        // Policies by how long the access they grant lasts.
        let mut exp = [0usize; 6];
        for p in s.policies.values() {
            let i = match expiry_days(p, as_of_date) {
                None => 0,
                Some(Some(d)) if d <= 90 => 1,
                Some(Some(d)) if d <= 180 => 2,
                Some(Some(d)) if d <= 365 => 3,
                Some(Some(_)) => 4,
                Some(None) => 5,
            };
            exp[i] += 1;
        }
        let policy_expiry = [
            "none",
            "≤ 90 days",
            "≤ 180 days",
            "≤ 365 days",
            "longer",
            "not set",
        ]
        .iter()
        .zip(exp)
        .filter(|(l, n)| *n > 0 || **l != "not set")
        .map(|(l, n)| Bar {
            label: (*l).to_owned(),
            value: n,
        })
        .collect();

        // Eligible population per package (the union of its policies').
        let enabled_guests = graph
            .users
            .iter()
            .filter(|u| u.is_enabled() && u.is_guest())
            .count();
        let enabled_members = graph.enabled_users - enabled_guests;
        let mut pops: BTreeMap<&str, (bool, bool, bool, BTreeSet<u32>)> = BTreeMap::new();
        for p in s.policies.values() {
            let (Some(pkg), Some(pop)) = (p.access_package_id.as_deref(), graph.population(&p.id))
            else {
                continue;
            };
            if !p.is_self_service() && !p.is_auto_assignment() {
                continue;
            }
            let e = pops.entry(pkg).or_default();
            e.0 |= pop.all_members;
            e.1 |= pop.all_guests;
            e.2 |= pop.unbounded_external;
            e.3.extend(pop.users.iter().copied());
        }
        let mut broadest: Vec<PackagePopulation> = pops
            .into_iter()
            .map(|(pkg, (all_m, all_g, unbounded, users))| {
                let (mut m, mut g) = (0, 0);
                for u in users {
                    let user = graph.user(u);
                    if user.is_enabled() {
                        if user.is_guest() {
                            g += 1;
                        } else {
                            m += 1;
                        }
                    }
                }
                PackagePopulation {
                    name: package_name(s, pkg),
                    members: if all_m { enabled_members } else { m },
                    guests: if all_g { enabled_guests } else { g },
                    unbounded,
                }
            })
            .filter(|p| p.members + p.guests > 0 || p.unbounded)
            .collect();
        grantscope_core::order::sort_by(&mut broadest, |a, b| {
            (b.members + b.guests)
                .cmp(&(a.members + a.guests))
                .then_with(|| b.unbounded.cmp(&a.unbounded))
                .then_with(|| a.name.cmp(&b.name))
        });
        broadest.truncate(BROADEST);

        let (catalogs, resources) = inventory(s, &graph);
        let guests = guest_rows(s, &graph, as_of_date, sign_in_data);

        // Limitations.
        let mut files_loaded = 0;
        let mut files_skipped = 0;
        let mut files_failed = Vec::new();
        let mut skipped = Vec::new();
        for f in &report.inputs {
            match &f.outcome {
                FileOutcome::Loaded { .. } | FileOutcome::Expanded { .. } => files_loaded += 1,
                FileOutcome::Skipped { reason } => {
                    files_skipped += 1;
                    skipped.push((f.name.clone(), reason.clone()));
                }
                FileOutcome::Failed { error } => {
                    files_failed.push((f.name.clone(), error.to_string()))
                }
            }
        }
        let missing_datasets = Dataset::ALL
            .iter()
            .filter(|d| !s.has(**d))
            .map(|d| (*d, d.recipe_hint()))
            .collect();
        let not_run = report
            .coverage
            .iter()
            .filter(|c| c.status != CoverageStatus::Evaluated)
            .map(|c| NotRun {
                rule_id: c.rule_id.clone(),
                rule_name: c.rule_name.clone(),
                disabled: c.status == CoverageStatus::Disabled,
                reason: c.reason.clone().unwrap_or_default(),
            })
            .collect();

        let count = |d: Dataset, n: usize| s.has(d).then_some(n);
        let counts = vec![
            ("users", count(Dataset::Users, s.users.len())),
            (
                "guests",
                count(
                    Dataset::Users,
                    s.users.values().filter(|u| u.is_guest()).count(),
                ),
            ),
            ("groups", count(Dataset::Groups, s.groups.len())),
            ("catalogs", count(Dataset::Catalogs, s.catalogs.len())),
            (
                "access packages",
                count(Dataset::AccessPackages, s.access_packages.len()),
            ),
            (
                "assignment policies",
                count(Dataset::AssignmentPolicies, s.policies.len()),
            ),
            (
                "assignments",
                count(Dataset::Assignments, s.assignments.len()),
            ),
            (
                "requests",
                count(Dataset::AssignmentRequests, s.requests.len()),
            ),
            (
                "connected organisations",
                count(
                    Dataset::ConnectedOrganizations,
                    s.connected_organizations.len(),
                ),
            ),
            (
                "audit events",
                count(Dataset::AuditEvents, s.audit_events.len()),
            ),
        ];

        let mut details: Vec<(Area, Vec<(&Finding, String)>)> =
            Area::ALL.iter().map(|a| (*a, Vec::new())).collect();
        for f in &report.findings {
            let area = Area::of(f.category);
            if let Some((_, list)) = details.iter_mut().find(|(a, _)| *a == area) {
                list.push((f, subject_label(s, f)));
            }
        }

        Model {
            report,
            client: clean(client),
            prepared_by: clean(prepared_by),
            as_of: report.as_of.clone(),
            counts,
            files_loaded,
            files_skipped,
            files_failed,
            skipped,
            missing_datasets,
            not_run,
            rules_total: report.coverage.len(),
            rules_evaluated: report
                .coverage
                .iter()
                .filter(|c| c.status == CoverageStatus::Evaluated)
                .count(),
            risks,
            actions,
            good,
            by_area,
            guest_activity,
            guests_disabled,
            sign_in_data,
            policy_expiry,
            broadest,
            catalogs,
            resources,
            guests,
            details,
            score,
        }
    }

    /// The risks shown as "top risks": the most severe, informational ones left out.
    pub(crate) fn top_risks(&self) -> impl Iterator<Item = &Risk> {
        self.risks
            .iter()
            .filter(|r| r.severity > Severity::Info)
            .take(TOP_RISKS)
    }

    /// The as-of date as people write it ("1 November 2026").
    pub(crate) fn as_of_long(&self) -> String {
        grantscope_core::dates::parse_date(&self.as_of)
            .map_or_else(|| self.as_of.clone(), grantscope_core::dates::long_date)
    }

    /// Findings per severity over the whole report.
    pub(crate) fn severity_count(&self, s: Severity) -> usize {
        self.report
            .summary
            .by_severity
            .get(&s)
            .copied()
            .unwrap_or(0)
    }
}

fn inventory(s: &Snapshot, graph: &AccessGraph<'_>) -> (Vec<CatalogRow>, Vec<ResourceRow>) {
    let mut catalogs: BTreeMap<(String, String), Vec<PackageRow>> = BTreeMap::new();
    // Reverse index: resource key → (name, kind, catalog, packages).
    let mut reverse: BTreeMap<String, (String, String, String, BTreeSet<String>)> = BTreeMap::new();
    let catalog_name = |id: Option<&str>| -> String {
        id.and_then(|id| s.catalogs.get(id)).map_or_else(
            || "(no catalog)".to_owned(),
            |c| name_or(c.display_name.as_deref(), &c.id),
        )
    };
    for r in s.resources.values() {
        reverse.insert(
            r.id.clone(),
            (
                name_or(r.display_name.as_deref(), &r.id),
                r.origin_system.clone().unwrap_or_default(),
                catalog_name(r.catalog_id.as_deref()),
                BTreeSet::new(),
            ),
        );
    }
    for p in s.access_packages.values() {
        let pname = name_or(p.display_name.as_deref(), &p.id);
        let grants = graph.grants(&p.id);
        let mut resources = Vec::new();
        for g in grants {
            let rname = g
                .resource_name
                .clone()
                .or_else(|| g.resource_id.clone())
                .unwrap_or_else(|| g.role_scope_id.clone());
            let role = g.role_name.clone().unwrap_or_else(|| "role".to_owned());
            resources.push(format!("{rname} ({role})"));
            let key = g
                .resource_id
                .clone()
                .unwrap_or_else(|| format!("name:{rname}"));
            reverse
                .entry(key)
                .or_insert_with(|| {
                    (
                        rname.clone(),
                        g.origin_system.clone().unwrap_or_default(),
                        "(not in an exported catalog)".to_owned(),
                        BTreeSet::new(),
                    )
                })
                .3
                .insert(format!("{pname} ({role})"));
        }
        grantscope_core::order::sort(&mut resources);
        resources.dedup();
        let mut policies: Vec<PolicyRow> = s
            .policies
            .values()
            .filter(|x| x.access_package_id.as_deref() == Some(p.id.as_str()))
            .map(|x| PolicyRow {
                name: name_or(x.display_name.as_deref(), &x.id),
                scope: scope_text(s, x),
                approval: approval_text(s, x),
                expiry: expiry_text(x),
                review: review_text(x),
            })
            .collect();
        grantscope_core::order::sort_by(&mut policies, |a, b| a.name.cmp(&b.name));
        let cat = catalog_name(p.catalog_id.as_deref());
        catalogs
            .entry((cat, p.catalog_id.clone().unwrap_or_default()))
            .or_default()
            .push(PackageRow {
                name: pname,
                hidden: p.is_hidden == Some(true),
                privileged: graph.is_privileged_package(&p.id),
                holders: graph.holders(&p.id).len(),
                resources,
                policies,
            });
    }
    // Catalogs with no package are still part of the inventory.
    for c in s.catalogs.values() {
        catalogs
            .entry((name_or(c.display_name.as_deref(), &c.id), c.id.clone()))
            .or_default();
    }
    let catalogs = catalogs
        .into_iter()
        .map(|((name, _), mut packages)| {
            grantscope_core::order::sort_by(&mut packages, |a, b| a.name.cmp(&b.name));
            CatalogRow { name, packages }
        })
        .collect();
    let mut resources: Vec<ResourceRow> = reverse
        .into_values()
        .map(|(name, kind, catalog, packages)| ResourceRow {
            name,
            kind,
            catalog,
            packages: packages.into_iter().collect(),
        })
        .collect();
    grantscope_core::order::sort_by(&mut resources, |a, b| {
        a.name.cmp(&b.name).then_with(|| a.catalog.cmp(&b.catalog))
    });
    (catalogs, resources)
}

/// Whole days from a timestamp to the start of the as-of date (as the rules count them).
fn days_since(as_of: NaiveDate, t: grantscope_core::model::Timestamp) -> i64 {
    (as_of.and_time(chrono::NaiveTime::MIN).and_utc() - t).num_days()
}

fn guest_rows(
    s: &Snapshot,
    graph: &AccessGraph<'_>,
    as_of: Option<NaiveDate>,
    sign_in_data: bool,
) -> Vec<GuestRow> {
    let mut rows: Vec<GuestRow> = s
        .users
        .values()
        .filter(|u| u.is_guest())
        .map(|u| {
            let last = u.sign_in_activity.as_ref().and_then(|a| a.last_activity());
            let (last_sign_in, days) = match (sign_in_data, last) {
                (false, _) => ("no data".to_owned(), None),
                (true, None) => ("never".to_owned(), None),
                (true, Some(t)) => (
                    grantscope_core::dates::ymd(t),
                    as_of.map(|d| days_since(d, t)),
                ),
            };
            let sponsors = match &u.sponsors {
                None => "not exported".to_owned(),
                Some(list) if list.is_empty() => "none".to_owned(),
                Some(list) => list
                    .iter()
                    .map(|r| {
                        if s.groups.contains_key(&r.id) {
                            format!("group {}", group_name(s, &r.id))
                        } else {
                            user_name(s, &r.id)
                        }
                    })
                    .collect::<Vec<_>>()
                    .join(", "),
            };
            let state = match &u.external_user_state {
                Some(ExternalUserState::PendingAcceptance) => "invitation pending".to_owned(),
                Some(ExternalUserState::Accepted) => "accepted".to_owned(),
                Some(other) => other.as_str().to_owned(),
                None => String::new(),
            };
            GuestRow {
                name: name_or(
                    u.display_name
                        .as_deref()
                        .or(u.user_principal_name.as_deref()),
                    &u.id,
                ),
                email: u
                    .mail
                    .clone()
                    .or_else(|| u.user_principal_name.clone())
                    .unwrap_or_default(),
                state,
                enabled: u.is_enabled(),
                last_sign_in,
                days,
                sponsors,
                packages: graph.user_idx(&u.id).map_or(0, |i| graph.holdings(i).len()),
            }
        })
        .collect();
    grantscope_core::order::sort_by(&mut rows, |a, b| {
        a.name.cmp(&b.name).then_with(|| a.email.cmp(&b.email))
    });
    rows
}
