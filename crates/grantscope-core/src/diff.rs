//! What changed in governance between two exports of one tenant (`grantscope diff OLD NEW`).
//!
//! [`diff`] compares two loaded exports and their check reports and lists, as data:
//!
//! - access packages and assignment policies added or removed;
//! - a policy's requestor scope widened, narrowed or changed (see [`scope_breadth`] for the order);
//! - approval added, removed, weakened (fewer stages, primary approvers removed, a justification
//!   or extension approval no longer required) or strengthened;
//! - expiration removed, added, lengthened or shortened;
//! - access reviews turned off or on, weakened or strengthened;
//! - incompatible packages and groups added or removed;
//! - access held (active assignments, per user and package) added or removed, guests called out;
//! - findings new and fixed, matched by fingerprint.
//!
//! Pure and deterministic: changes are ordered by area, kind and subject id; no hash order, no
//! clock (durations given as dates are measured from the new report's as-of date).

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use crate::findings::{EntityRef, Finding, Report, Severity, ToolInfo};
use crate::ingest::Loaded;
use crate::model::{
    AccessPackage, ApprovalSettings, AssignmentPolicy, Dataset, ExpirationType, ReviewSettings,
    Snapshot, SubjectSet, TargetScope, Timestamp,
};
use crate::rules::{assignment_ref, group_ref, package_ref, policy_ref, user_ref};

/// Version of the JSON diff format; changes when its shape does.
pub const DIFF_SCHEMA_VERSION: &str = "1";

/// Which part of the governance a change is about (also the order of sections in output).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Area {
    Packages,
    Policies,
    Eligibility,
    Approval,
    Expiration,
    Review,
    SeparationOfDuties,
    Assignments,
}

impl Area {
    /// Every area, in output order.
    pub const ALL: [Area; 8] = [
        Area::Packages,
        Area::Policies,
        Area::Eligibility,
        Area::Approval,
        Area::Expiration,
        Area::Review,
        Area::SeparationOfDuties,
        Area::Assignments,
    ];

    /// The kebab-case name used in JSON.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Area::Packages => "packages",
            Area::Policies => "policies",
            Area::Eligibility => "eligibility",
            Area::Approval => "approval",
            Area::Expiration => "expiration",
            Area::Review => "review",
            Area::SeparationOfDuties => "separation-of-duties",
            Area::Assignments => "assignments",
        }
    }

    /// A heading for people.
    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            Area::Packages => "Access packages",
            Area::Policies => "Assignment policies",
            Area::Eligibility => "Who can request",
            Area::Approval => "Approval",
            Area::Expiration => "Expiration",
            Area::Review => "Access reviews",
            Area::SeparationOfDuties => "Separation of duties",
            Area::Assignments => "Assignments",
        }
    }
}

/// What kind of change (camelCase in JSON).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ChangeKind {
    PackageAdded,
    PackageRemoved,
    PolicyAdded,
    PolicyRemoved,
    ScopeWidened,
    ScopeNarrowed,
    ScopeChanged,
    ApprovalAdded,
    ApprovalRemoved,
    ApprovalWeakened,
    ApprovalStrengthened,
    ExpirationRemoved,
    ExpirationAdded,
    ExpirationLengthened,
    ExpirationShortened,
    ReviewsDisabled,
    ReviewsEnabled,
    ReviewsWeakened,
    ReviewsStrengthened,
    IncompatibilityAdded,
    IncompatibilityRemoved,
    AssignmentAdded,
    AssignmentRemoved,
}

impl ChangeKind {
    /// The camelCase name used in JSON.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            ChangeKind::PackageAdded => "packageAdded",
            ChangeKind::PackageRemoved => "packageRemoved",
            ChangeKind::PolicyAdded => "policyAdded",
            ChangeKind::PolicyRemoved => "policyRemoved",
            ChangeKind::ScopeWidened => "scopeWidened",
            ChangeKind::ScopeNarrowed => "scopeNarrowed",
            ChangeKind::ScopeChanged => "scopeChanged",
            ChangeKind::ApprovalAdded => "approvalAdded",
            ChangeKind::ApprovalRemoved => "approvalRemoved",
            ChangeKind::ApprovalWeakened => "approvalWeakened",
            ChangeKind::ApprovalStrengthened => "approvalStrengthened",
            ChangeKind::ExpirationRemoved => "expirationRemoved",
            ChangeKind::ExpirationAdded => "expirationAdded",
            ChangeKind::ExpirationLengthened => "expirationLengthened",
            ChangeKind::ExpirationShortened => "expirationShortened",
            ChangeKind::ReviewsDisabled => "reviewsDisabled",
            ChangeKind::ReviewsEnabled => "reviewsEnabled",
            ChangeKind::ReviewsWeakened => "reviewsWeakened",
            ChangeKind::ReviewsStrengthened => "reviewsStrengthened",
            ChangeKind::IncompatibilityAdded => "incompatibilityAdded",
            ChangeKind::IncompatibilityRemoved => "incompatibilityRemoved",
            ChangeKind::AssignmentAdded => "assignmentAdded",
            ChangeKind::AssignmentRemoved => "assignmentRemoved",
        }
    }

    #[must_use]
    pub fn area(self) -> Area {
        use ChangeKind as K;
        match self {
            K::PackageAdded | K::PackageRemoved => Area::Packages,
            K::PolicyAdded | K::PolicyRemoved => Area::Policies,
            K::ScopeWidened | K::ScopeNarrowed | K::ScopeChanged => Area::Eligibility,
            K::ApprovalAdded
            | K::ApprovalRemoved
            | K::ApprovalWeakened
            | K::ApprovalStrengthened => Area::Approval,
            K::ExpirationRemoved
            | K::ExpirationAdded
            | K::ExpirationLengthened
            | K::ExpirationShortened => Area::Expiration,
            K::ReviewsDisabled
            | K::ReviewsEnabled
            | K::ReviewsWeakened
            | K::ReviewsStrengthened => Area::Review,
            K::IncompatibilityAdded | K::IncompatibilityRemoved => Area::SeparationOfDuties,
            K::AssignmentAdded | K::AssignmentRemoved => Area::Assignments,
        }
    }

    /// Whether the change widens access or loosens a control (riskier), or the opposite.
    #[must_use]
    pub fn direction(self) -> Direction {
        use ChangeKind as K;
        match self {
            K::PolicyAdded
            | K::ScopeWidened
            | K::ApprovalRemoved
            | K::ApprovalWeakened
            | K::ExpirationRemoved
            | K::ExpirationLengthened
            | K::ReviewsDisabled
            | K::ReviewsWeakened
            | K::IncompatibilityRemoved
            | K::AssignmentAdded => Direction::Riskier,
            K::PolicyRemoved
            | K::ScopeNarrowed
            | K::ApprovalAdded
            | K::ApprovalStrengthened
            | K::ExpirationAdded
            | K::ExpirationShortened
            | K::ReviewsEnabled
            | K::ReviewsStrengthened
            | K::IncompatibilityAdded
            | K::AssignmentRemoved => Direction::Safer,
            K::PackageAdded | K::PackageRemoved | K::ScopeChanged => Direction::Neutral,
        }
    }
}

impl std::fmt::Display for ChangeKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a change makes the tenant riskier (more access, weaker control) or safer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Direction {
    Riskier,
    Safer,
    Neutral,
}

impl Direction {
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Riskier => "riskier",
            Direction::Safer => "safer",
            Direction::Neutral => "neutral",
        }
    }
}

/// One governance change.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Change {
    pub kind: ChangeKind,
    pub area: Area,
    pub direction: Direction,
    /// One line, no trailing period. Names come from the export: escape before printing.
    pub message: String,
    /// The package, policy or assignment that changed (as in the new export when it exists).
    pub subject: EntityRef,
    pub related: Vec<EntityRef>,
    /// The relevant setting before and after (absent for additions and removals).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub before: Option<Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<Value>,
    /// Facts behind the change (reasons, approvers removed, whether a user is a guest…).
    pub details: BTreeMap<String, Value>,
}

/// One side of the comparison.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DiffSide {
    /// What the caller called this export (the CLI: the path given).
    pub label: String,
    /// The as-of date of its check report.
    pub as_of: String,
    /// Input files that loaded.
    pub files: usize,
    /// Findings of its check report.
    pub findings: usize,
}

/// Findings that appeared and disappeared, matched by fingerprint, in report order.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct FindingChanges {
    pub new: Vec<Finding>,
    pub fixed: Vec<Finding>,
}

/// Counts for the header of every rendering.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct DiffSummary {
    pub changes: usize,
    pub riskier: usize,
    pub safer: usize,
    pub neutral: usize,
    pub by_kind: BTreeMap<ChangeKind, usize>,
    /// Guests who gained access to a package.
    pub guest_assignments_added: usize,
    pub new_findings: usize,
    pub new_findings_by_severity: BTreeMap<Severity, usize>,
    pub fixed_findings: usize,
}

/// The whole result of `grantscope diff`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct GovernanceDiff {
    pub schema_version: String,
    pub tool: ToolInfo,
    pub old: DiffSide,
    pub new: DiffSide,
    /// Ordered by area, kind, subject id and related ids.
    pub changes: Vec<Change>,
    pub findings: FindingChanges,
    pub summary: DiffSummary,
    /// What could not be compared because one export has the data and the other does not
    /// (e.g. `assignments: only in the old export`): its absence is not a removal.
    pub not_compared: Vec<String>,
}

impl GovernanceDiff {
    /// New findings at or above `severity` (for `--fail-on-new`).
    #[must_use]
    pub fn new_findings_at_or_above(&self, severity: Severity) -> usize {
        self.findings
            .new
            .iter()
            .filter(|f| f.severity >= severity)
            .count()
    }
}

/// How widely a requestor scope reaches, from nobody (0) to anyone anywhere (4):
///
/// | breadth | scopes |
/// |---|---|
/// | 0 | `notSpecified`, or a policy that accepts no requests and assigns nobody automatically |
/// | 1 | `specificDirectoryUsers`, `specificConnectedOrganizationUsers`, `specificDirectoryServicePrincipals` |
/// | 2 | `allMemberUsers`, `allConfiguredConnectedOrganizationUsers`, `allDirectoryServicePrincipals`, `allDirectoryAgentIdentities`, unknown values |
/// | 3 | `allDirectoryUsers` (members and guests) |
/// | 4 | `allExternalUsers` (anyone from any organisation) |
///
/// Two different scopes of the same breadth are "changed", neither wider nor narrower; within
/// one specific scope, adding targets widens it and removing them narrows it.
#[must_use]
pub fn scope_breadth(p: &AssignmentPolicy) -> u8 {
    if !p.is_self_service() && !p.is_auto_assignment() {
        return 0;
    }
    match p.allowed_target_scope.as_ref() {
        None | Some(TargetScope::NotSpecified) => 0,
        Some(
            TargetScope::SpecificDirectoryUsers
            | TargetScope::SpecificConnectedOrganizationUsers
            | TargetScope::SpecificDirectoryServicePrincipals,
        ) => 1,
        Some(TargetScope::AllDirectoryUsers) => 3,
        Some(TargetScope::AllExternalUsers) => 4,
        Some(_) => 2,
    }
}

/// Compares two exports of one tenant and their check reports.
#[must_use]
pub fn diff(
    old: &Loaded,
    old_report: &Report,
    new: &Loaded,
    new_report: &Report,
) -> GovernanceDiff {
    let as_of = crate::dates::parse_date(&new_report.as_of);
    let mut cx = Cx {
        old: &old.snapshot,
        new: &new.snapshot,
        as_of,
        out: Vec::new(),
    };
    let mut not_compared = Vec::new();
    let mut both = |d: Dataset| {
        let (o, n) = (old.snapshot.has(d), new.snapshot.has(d));
        if o != n {
            not_compared.push(format!(
                "{}: only in the {} export",
                d.name(),
                if o { "old" } else { "new" }
            ));
        }
        o && n
    };
    let (packages, policies, assignments) = (
        both(Dataset::AccessPackages),
        both(Dataset::AssignmentPolicies),
        both(Dataset::Assignments),
    );
    if packages {
        cx.packages();
        cx.incompatibilities();
    }
    if policies {
        cx.policies();
    }
    if assignments {
        cx.assignments();
    }
    let mut changes = cx.out;
    crate::order::sort_by(&mut changes, |a, b| {
        (a.area, a.kind, &a.subject.id, &a.related).cmp(&(
            b.area,
            b.kind,
            &b.subject.id,
            &b.related,
        ))
    });

    let old_fps: BTreeSet<&str> = old_report
        .findings
        .iter()
        .map(|f| f.fingerprint.as_str())
        .collect();
    let new_fps: BTreeSet<&str> = new_report
        .findings
        .iter()
        .map(|f| f.fingerprint.as_str())
        .collect();
    let findings = FindingChanges {
        new: new_report
            .findings
            .iter()
            .filter(|f| !old_fps.contains(f.fingerprint.as_str()))
            .cloned()
            .collect(),
        fixed: old_report
            .findings
            .iter()
            .filter(|f| !new_fps.contains(f.fingerprint.as_str()))
            .cloned()
            .collect(),
    };
    let summary = summarise(&changes, &findings);
    GovernanceDiff {
        schema_version: DIFF_SCHEMA_VERSION.to_owned(),
        tool: new_report.tool.clone(),
        old: side(old, old_report),
        new: side(new, new_report),
        changes,
        findings,
        summary,
        not_compared,
    }
}

fn side(loaded: &Loaded, report: &Report) -> DiffSide {
    DiffSide {
        label: String::new(),
        as_of: report.as_of.clone(),
        files: loaded
            .report
            .files
            .iter()
            .filter(|f| matches!(f.outcome, crate::ingest::FileOutcome::Loaded { .. }))
            .count(),
        findings: report.findings.len(),
    }
}

fn summarise(changes: &[Change], findings: &FindingChanges) -> DiffSummary {
    let mut s = DiffSummary {
        changes: changes.len(),
        new_findings: findings.new.len(),
        fixed_findings: findings.fixed.len(),
        ..DiffSummary::default()
    };
    for c in changes {
        match c.direction {
            Direction::Riskier => s.riskier += 1,
            Direction::Safer => s.safer += 1,
            Direction::Neutral => s.neutral += 1,
        }
        *s.by_kind.entry(c.kind).or_default() += 1;
        if c.kind == ChangeKind::AssignmentAdded && c.details.get("guest") == Some(&json!(true)) {
            s.guest_assignments_added += 1;
        }
    }
    for f in &findings.new {
        *s.new_findings_by_severity.entry(f.severity).or_default() += 1;
    }
    s
}

/// The comparison in progress.
struct Cx<'a> {
    old: &'a Snapshot,
    new: &'a Snapshot,
    as_of: Option<NaiveDate>,
    out: Vec<Change>,
}

/// `"Name"` or the id when an entity has no name.
fn quoted(name: Option<&str>, id: &str) -> String {
    match name.filter(|n| !n.trim().is_empty()) {
        Some(n) => format!("\"{n}\""),
        None => id.to_owned(),
    }
}

fn package_words(s: &Snapshot, id: &str) -> String {
    let name = s
        .access_packages
        .get(id)
        .and_then(|p| p.display_name.as_deref());
    format!("access package {}", quoted(name, id))
}

fn policy_words(s: &Snapshot, p: &AssignmentPolicy) -> String {
    let mut out = format!("Policy {}", quoted(p.display_name.as_deref(), &p.id));
    if let Some(pkg) = p.access_package_id.as_deref() {
        out.push_str(" of ");
        out.push_str(&package_words(s, pkg));
    }
    out
}

fn user_words(s: &Snapshot, id: &str) -> String {
    match s.users.get(id) {
        Some(u) => {
            let name = u
                .display_name
                .as_deref()
                .or(u.user_principal_name.as_deref());
            quoted(name, id)
        }
        None => id.to_owned(),
    }
}

/// A subject set as people read it: `group "Finance"`, `user "Alice"`, `requestor's manager`.
fn set_words(s: &Snapshot, set: &SubjectSet) -> String {
    match set {
        SubjectSet::SingleUser { user_id } => format!("user {}", user_words(s, user_id)),
        SubjectSet::GroupMembers { group_id } => {
            let name = s
                .groups
                .get(group_id)
                .and_then(|g| g.display_name.as_deref());
            format!("group {}", quoted(name, group_id))
        }
        SubjectSet::ConnectedOrganizationMembers {
            connected_organization_id,
        } => {
            let name = s
                .connected_organizations
                .get(connected_organization_id)
                .and_then(|o| o.display_name.as_deref());
            format!(
                "connected organisation {}",
                quoted(name, connected_organization_id)
            )
        }
        SubjectSet::RequestorManager { manager_level } => {
            if *manager_level <= 1 {
                "requestor's manager".to_owned()
            } else {
                format!("requestor's manager (level {manager_level})")
            }
        }
        other => other.describe(),
    }
}

fn set_ref(s: &Snapshot, set: &SubjectSet) -> Option<EntityRef> {
    match set {
        SubjectSet::SingleUser { user_id } => Some(user_ref(s, user_id)),
        SubjectSet::GroupMembers { group_id } => Some(group_ref(s, group_id)),
        _ => None,
    }
}

/// When assignments from a policy end, for comparison.
#[derive(Debug, Clone, PartialEq)]
enum Expiry {
    Never,
    /// After a duration (days).
    Duration(i64),
    /// On a date.
    Date(Timestamp),
    /// Not exported or not specified: nothing to compare.
    Unknown,
}

impl Expiry {
    fn of(p: &AssignmentPolicy) -> Expiry {
        let Some(e) = &p.expiration else {
            return Expiry::Unknown;
        };
        match e.kind {
            ExpirationType::NoExpiration => Expiry::Never,
            ExpirationType::AfterDuration => e
                .duration
                .map_or(Expiry::Unknown, |d| Expiry::Duration(d.days())),
            ExpirationType::AfterDateTime => e.end.map_or(Expiry::Unknown, Expiry::Date),
            _ => Expiry::Unknown,
        }
    }

    fn json(&self) -> Value {
        match self {
            Expiry::Never => json!({ "type": "noExpiration" }),
            Expiry::Duration(d) => json!({ "type": "afterDuration", "days": d }),
            Expiry::Date(t) => {
                json!({ "type": "afterDateTime", "endDate": crate::dates::ymd(*t) })
            }
            Expiry::Unknown => Value::Null,
        }
    }

    fn words(&self) -> String {
        match self {
            Expiry::Never => "never".to_owned(),
            Expiry::Duration(d) => format!("after {d} days"),
            Expiry::Date(t) => format!("on {}", crate::dates::ymd(*t)),
            Expiry::Unknown => "unknown".to_owned(),
        }
    }

    /// Days of access a new assignment gets, measured from `as_of` for fixed dates.
    fn days(&self, as_of: Option<NaiveDate>) -> Option<i64> {
        match self {
            Expiry::Duration(d) => Some(*d),
            Expiry::Date(t) => as_of.map(|d| (t.date_naive() - d).num_days()),
            Expiry::Never | Expiry::Unknown => None,
        }
    }
}

fn scope_json(p: &AssignmentPolicy) -> Value {
    json!({
        "scope": p.allowed_target_scope.as_ref().map(TargetScope::as_str),
        "selfService": p.is_self_service(),
        "autoAssignment": p.is_auto_assignment(),
        "targets": p.specific_allowed_targets.iter().map(SubjectSet::describe).collect::<Vec<_>>(),
        "breadth": scope_breadth(p),
    })
}

fn scope_words(p: &AssignmentPolicy) -> String {
    if scope_breadth(p) == 0 {
        return "nobody (direct assignment only)".to_owned();
    }
    p.allowed_target_scope
        .as_ref()
        .map_or("an unspecified scope".to_owned(), |s| s.as_str().to_owned())
}

fn approval_json(a: Option<&ApprovalSettings>) -> Value {
    match a {
        None => json!({ "required": false, "stages": 0 }),
        Some(a) => json!({
            "required": a.is_required(),
            "requiredForUpdate": a.required_for_update,
            "requestorJustificationRequired": a.requestor_justification_required,
            "stages": a.stages.len(),
            "primaryApprovers": a.stages.iter().map(|s| s.primary_approvers.iter().map(SubjectSet::describe).collect::<Vec<_>>()).collect::<Vec<_>>(),
        }),
    }
}

fn review_json(r: Option<&ReviewSettings>) -> Value {
    match r.filter(|r| r.is_enabled) {
        None => json!({ "enabled": false }),
        Some(r) => json!({
            "enabled": true,
            "intervalMonths": review_months(r),
            "selfReview": r.is_self_review,
            "expirationBehavior": r.expiration_behavior.as_ref().map(|b| b.as_str().to_owned()),
        }),
    }
}

fn review_months(r: &ReviewSettings) -> Option<f64> {
    r.schedule
        .as_ref()
        .and_then(|s| s.recurrence.as_ref())
        .and_then(crate::model::Recurrence::interval_months)
}

impl Cx<'_> {
    fn push(
        &mut self,
        kind: ChangeKind,
        subject: EntityRef,
        message: String,
        related: Vec<EntityRef>,
        before_after: Option<(Value, Value)>,
        details: BTreeMap<String, Value>,
    ) {
        let mut related = related;
        crate::order::sort(&mut related);
        related.dedup();
        let (before, after) = match before_after {
            Some((b, a)) => (Some(b), Some(a)),
            None => (None, None),
        };
        self.out.push(Change {
            kind,
            area: kind.area(),
            direction: kind.direction(),
            message,
            subject,
            related,
            before,
            after,
            details,
        });
    }

    fn packages(&mut self) {
        let (old, new) = (self.old, self.new);
        for (id, p) in &new.access_packages {
            if !old.access_packages.contains_key(id) {
                let message = format!("Access package {} was added", package_name(p));
                let mut details = BTreeMap::new();
                if let Some(c) = &p.catalog_id {
                    details.insert("catalogId".to_owned(), json!(c));
                }
                self.push(
                    ChangeKind::PackageAdded,
                    package_ref(new, id),
                    message,
                    Vec::new(),
                    None,
                    details,
                );
            }
        }
        for (id, p) in &old.access_packages {
            if !new.access_packages.contains_key(id) {
                let message = format!("Access package {} was removed", package_name(p));
                self.push(
                    ChangeKind::PackageRemoved,
                    package_ref(old, id),
                    message,
                    Vec::new(),
                    None,
                    BTreeMap::new(),
                );
            }
        }
    }

    fn policies(&mut self) {
        let (old, new) = (self.old, self.new);
        for (id, p) in &new.policies {
            match old.policies.get(id) {
                None => {
                    let message = format!(
                        "{} was added: it lets {} request",
                        policy_words(new, p),
                        scope_words(p)
                    );
                    let related = p
                        .access_package_id
                        .iter()
                        .map(|pkg| package_ref(new, pkg))
                        .collect();
                    let mut details = BTreeMap::new();
                    details.insert("scope".to_owned(), scope_json(p));
                    details.insert("approval".to_owned(), approval_json(p.approval.as_ref()));
                    details.insert("expiration".to_owned(), Expiry::of(p).json());
                    details.insert("review".to_owned(), review_json(p.review.as_ref()));
                    self.push(
                        ChangeKind::PolicyAdded,
                        policy_ref(new, id),
                        message,
                        related,
                        None,
                        details,
                    );
                }
                Some(before) => self.policy(before, p),
            }
        }
        for (id, p) in &old.policies {
            if !new.policies.contains_key(id) {
                let message = format!("{} was removed", policy_words(old, p));
                let related = p
                    .access_package_id
                    .iter()
                    .map(|pkg| package_ref(old, pkg))
                    .collect();
                self.push(
                    ChangeKind::PolicyRemoved,
                    policy_ref(old, id),
                    message,
                    related,
                    None,
                    BTreeMap::new(),
                );
            }
        }
    }

    fn policy(&mut self, before: &AssignmentPolicy, after: &AssignmentPolicy) {
        self.scope(before, after);
        self.approval(before, after);
        self.expiration(before, after);
        self.review(before, after);
    }

    fn related_of(&self, p: &AssignmentPolicy) -> Vec<EntityRef> {
        p.access_package_id
            .iter()
            .map(|pkg| package_ref(self.new, pkg))
            .collect()
    }

    fn scope(&mut self, before: &AssignmentPolicy, after: &AssignmentPolicy) {
        let (b, a) = (scope_breadth(before), scope_breadth(after));
        let old_targets: BTreeSet<&SubjectSet> = before.specific_allowed_targets.iter().collect();
        let new_targets: BTreeSet<&SubjectSet> = after.specific_allowed_targets.iter().collect();
        let added: Vec<&SubjectSet> = new_targets.difference(&old_targets).copied().collect();
        let removed: Vec<&SubjectSet> = old_targets.difference(&new_targets).copied().collect();
        let same_scope = before.allowed_target_scope == after.allowed_target_scope;
        let kind = if a > b {
            ChangeKind::ScopeWidened
        } else if a < b {
            ChangeKind::ScopeNarrowed
        } else if !same_scope {
            ChangeKind::ScopeChanged
        } else if a == 0 || (added.is_empty() && removed.is_empty()) {
            return;
        } else if removed.is_empty() {
            ChangeKind::ScopeWidened
        } else if added.is_empty() {
            ChangeKind::ScopeNarrowed
        } else {
            ChangeKind::ScopeChanged
        };
        let what = if a == b && same_scope {
            let mut parts = Vec::new();
            if !added.is_empty() {
                parts.push(format!(
                    "added {}",
                    added
                        .iter()
                        .map(|s| set_words(self.new, s))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            if !removed.is_empty() {
                parts.push(format!(
                    "removed {}",
                    removed
                        .iter()
                        .map(|s| set_words(self.old, s))
                        .collect::<Vec<_>>()
                        .join(", ")
                ));
            }
            format!("({})", parts.join("; "))
        } else {
            format!("from {} to {}", scope_words(before), scope_words(after))
        };
        let verb = match kind {
            ChangeKind::ScopeWidened => "widened",
            ChangeKind::ScopeNarrowed => "narrowed",
            _ => "changed",
        };
        let message = format!(
            "{}: who can request {verb} {what}",
            policy_words(self.new, after)
        );
        let mut related = self.related_of(after);
        related.extend(added.iter().filter_map(|s| set_ref(self.new, s)));
        related.extend(removed.iter().filter_map(|s| set_ref(self.old, s)));
        let mut details = BTreeMap::new();
        if !added.is_empty() {
            details.insert(
                "targetsAdded".to_owned(),
                json!(added.iter().map(|s| s.describe()).collect::<Vec<_>>()),
            );
        }
        if !removed.is_empty() {
            details.insert(
                "targetsRemoved".to_owned(),
                json!(removed.iter().map(|s| s.describe()).collect::<Vec<_>>()),
            );
        }
        self.push(
            kind,
            policy_ref(self.new, &after.id),
            message,
            related,
            Some((scope_json(before), scope_json(after))),
            details,
        );
    }

    fn approval(&mut self, before: &AssignmentPolicy, after: &AssignmentPolicy) {
        let (b, a) = (before.approval_required(), after.approval_required());
        let words = policy_words(self.new, after);
        let ba = Some((
            approval_json(before.approval.as_ref()),
            approval_json(after.approval.as_ref()),
        ));
        let subject = policy_ref(self.new, &after.id);
        match (b, a) {
            (false, false) => {}
            (false, true) => {
                let message = format!("{words} now requires approval");
                let related = self.related_of(after);
                self.push(
                    ChangeKind::ApprovalAdded,
                    subject,
                    message,
                    related,
                    ba,
                    BTreeMap::new(),
                );
            }
            (true, false) => {
                let message = format!("{words} no longer requires approval");
                let related = self.related_of(after);
                self.push(
                    ChangeKind::ApprovalRemoved,
                    subject,
                    message,
                    related,
                    ba,
                    BTreeMap::new(),
                );
            }
            (true, true) => {
                let (Some(old), Some(new)) = (&before.approval, &after.approval) else {
                    return;
                };
                let mut weaker: Vec<String> = Vec::new();
                let mut stronger: Vec<String> = Vec::new();
                let mut related = self.related_of(after);
                let mut removed_json = Vec::new();
                let stages = format!(
                    "{} approval {} instead of {}",
                    new.stages.len(),
                    if new.stages.len() == 1 {
                        "stage"
                    } else {
                        "stages"
                    },
                    old.stages.len()
                );
                if new.stages.len() < old.stages.len() {
                    weaker.push(stages);
                } else if new.stages.len() > old.stages.len() {
                    stronger.push(stages);
                }
                for (i, (os, ns)) in old.stages.iter().zip(&new.stages).enumerate() {
                    let kept: BTreeSet<&SubjectSet> = ns.primary_approvers.iter().collect();
                    let removed: Vec<&SubjectSet> = os
                        .primary_approvers
                        .iter()
                        .filter(|s| !kept.contains(s))
                        .collect();
                    if !removed.is_empty() {
                        weaker.push(format!(
                            "stage {}: {} no longer {}",
                            i + 1,
                            removed
                                .iter()
                                .map(|s| set_words(self.old, s))
                                .collect::<Vec<_>>()
                                .join(", "),
                            if removed.len() == 1 {
                                "approves"
                            } else {
                                "approve"
                            }
                        ));
                        related.extend(removed.iter().filter_map(|s| set_ref(self.old, s)));
                        removed_json.push(json!({
                            "stage": i + 1,
                            "approvers": removed.iter().map(|s| s.describe()).collect::<Vec<_>>(),
                        }));
                    }
                    match (
                        os.is_approver_justification_required,
                        ns.is_approver_justification_required,
                    ) {
                        (true, false) => weaker.push(format!(
                            "stage {}: approvers no longer justify their decision",
                            i + 1
                        )),
                        (false, true) => stronger.push(format!(
                            "stage {}: approvers now justify their decision",
                            i + 1
                        )),
                        _ => {}
                    }
                }
                match (
                    old.requestor_justification_required,
                    new.requestor_justification_required,
                ) {
                    (true, false) => {
                        weaker.push("requestors no longer give a justification".to_owned());
                    }
                    (false, true) => {
                        stronger.push("requestors now give a justification".to_owned());
                    }
                    _ => {}
                }
                match (old.required_for_update, new.required_for_update) {
                    (true, false) => weaker.push("extensions no longer need approval".to_owned()),
                    (false, true) => stronger.push("extensions now need approval".to_owned()),
                    _ => {}
                }
                let (kind, reasons, verb) = if !weaker.is_empty() {
                    (ChangeKind::ApprovalWeakened, &weaker, "weakened")
                } else if !stronger.is_empty() {
                    (ChangeKind::ApprovalStrengthened, &stronger, "strengthened")
                } else {
                    return;
                };
                let message = format!("{words}: approval {verb} ({})", reasons.join("; "));
                let mut details = BTreeMap::new();
                details.insert("weakened".to_owned(), json!(weaker));
                details.insert("strengthened".to_owned(), json!(stronger));
                if !removed_json.is_empty() {
                    details.insert("approversRemoved".to_owned(), json!(removed_json));
                }
                self.push(kind, subject, message, related, ba, details);
            }
        }
    }

    fn expiration(&mut self, before: &AssignmentPolicy, after: &AssignmentPolicy) {
        let (b, a) = (Expiry::of(before), Expiry::of(after));
        if b == Expiry::Unknown || a == Expiry::Unknown || b == a {
            return;
        }
        let words = policy_words(self.new, after);
        let kind = match (&b, &a) {
            (Expiry::Never, _) => ChangeKind::ExpirationAdded,
            (_, Expiry::Never) => ChangeKind::ExpirationRemoved,
            _ => match (b.days(self.as_of), a.days(self.as_of)) {
                (Some(x), Some(y)) if y > x => ChangeKind::ExpirationLengthened,
                (Some(x), Some(y)) if y < x => ChangeKind::ExpirationShortened,
                // Same number of days written differently (a duration vs a date): no change.
                _ => return,
            },
        };
        let message = match kind {
            ChangeKind::ExpirationRemoved => {
                format!("{words}: access no longer expires (it ended {})", b.words())
            }
            ChangeKind::ExpirationAdded => {
                format!("{words}: access now expires {} (it never did)", a.words())
            }
            ChangeKind::ExpirationLengthened => format!(
                "{words}: access lasts longer, ending {} instead of {}",
                a.words(),
                b.words()
            ),
            _ => format!(
                "{words}: access is shorter, ending {} instead of {}",
                a.words(),
                b.words()
            ),
        };
        let related = self.related_of(after);
        let mut details = BTreeMap::new();
        if let (Some(x), Some(y)) = (b.days(self.as_of), a.days(self.as_of)) {
            details.insert("daysBefore".to_owned(), json!(x));
            details.insert("daysAfter".to_owned(), json!(y));
        }
        self.push(
            kind,
            policy_ref(self.new, &after.id),
            message,
            related,
            Some((b.json(), a.json())),
            details,
        );
    }

    fn review(&mut self, before: &AssignmentPolicy, after: &AssignmentPolicy) {
        let words = policy_words(self.new, after);
        let ba = Some((
            review_json(before.review.as_ref()),
            review_json(after.review.as_ref()),
        ));
        let related = self.related_of(after);
        let subject = policy_ref(self.new, &after.id);
        match (
            before.review.as_ref().filter(|r| r.is_enabled),
            after.review.as_ref().filter(|r| r.is_enabled),
        ) {
            (None, None) => {}
            (Some(_), None) => {
                let message = format!("{words}: access reviews were turned off");
                self.push(
                    ChangeKind::ReviewsDisabled,
                    subject,
                    message,
                    related,
                    ba,
                    BTreeMap::new(),
                );
            }
            (None, Some(_)) => {
                let message = format!("{words}: access reviews were turned on");
                self.push(
                    ChangeKind::ReviewsEnabled,
                    subject,
                    message,
                    related,
                    ba,
                    BTreeMap::new(),
                );
            }
            (Some(o), Some(n)) => {
                let mut weaker = Vec::new();
                let mut stronger = Vec::new();
                if let (Some(x), Some(y)) = (review_months(o), review_months(n)) {
                    if y > x {
                        weaker.push(format!("every {y} months instead of every {x}"));
                    } else if y < x {
                        stronger.push(format!("every {y} months instead of every {x}"));
                    }
                }
                match (o.is_self_review, n.is_self_review) {
                    (false, true) => weaker.push("users now review their own access".to_owned()),
                    (true, false) => {
                        stronger.push("users no longer review their own access".to_owned());
                    }
                    _ => {}
                }
                let keeps = |r: &ReviewSettings| {
                    matches!(
                        r.expiration_behavior,
                        Some(crate::model::ReviewExpirationBehavior::KeepAccess)
                    )
                };
                match (keeps(o), keeps(n)) {
                    (false, true) => {
                        weaker.push("an unanswered review now keeps access".to_owned());
                    }
                    (true, false) => {
                        stronger.push("an unanswered review no longer keeps access".to_owned());
                    }
                    _ => {}
                }
                let (kind, reasons, verb) = if !weaker.is_empty() {
                    (ChangeKind::ReviewsWeakened, &weaker, "weakened")
                } else if !stronger.is_empty() {
                    (ChangeKind::ReviewsStrengthened, &stronger, "strengthened")
                } else {
                    return;
                };
                let message = format!("{words}: access reviews {verb} ({})", reasons.join("; "));
                let mut details = BTreeMap::new();
                details.insert("weakened".to_owned(), json!(weaker));
                details.insert("strengthened".to_owned(), json!(stronger));
                self.push(kind, subject, message, related, ba, details);
            }
        }
    }

    fn incompatibilities(&mut self) {
        let (old, new) = (self.old, self.new);
        for (id, after) in &new.access_packages {
            let Some(before) = old.access_packages.get(id) else {
                continue;
            };
            self.incompatible_lists(
                id,
                before.incompatible_access_packages.as_deref(),
                after.incompatible_access_packages.as_deref(),
                "accessPackage",
            );
            self.incompatible_lists(
                id,
                before.incompatible_groups.as_deref(),
                after.incompatible_groups.as_deref(),
                "group",
            );
        }
    }

    fn incompatible_lists(
        &mut self,
        package: &str,
        before: Option<&[String]>,
        after: Option<&[String]>,
        kind: &str,
    ) {
        // A list exported on one side only says nothing about a change.
        let (Some(before), Some(after)) = (before, after) else {
            return;
        };
        let b: BTreeSet<&str> = before.iter().map(String::as_str).collect();
        let a: BTreeSet<&str> = after.iter().map(String::as_str).collect();
        let pkg_words = package_words(self.new, package);
        for (change, set, other_side, s) in [
            (ChangeKind::IncompatibilityAdded, &a, &b, self.new),
            (ChangeKind::IncompatibilityRemoved, &b, &a, self.old),
        ] {
            for other in set.difference(other_side) {
                let (other_ref, other_words) = if kind == "group" {
                    let name = s.groups.get(*other).and_then(|g| g.display_name.as_deref());
                    (
                        group_ref(s, other),
                        format!("group {}", quoted(name, other)),
                    )
                } else {
                    (package_ref(s, other), package_words(s, other))
                };
                let message = if change == ChangeKind::IncompatibilityAdded {
                    format!(
                        "{} now lists {other_words} as incompatible",
                        capital(&pkg_words)
                    )
                } else {
                    format!(
                        "{} no longer lists {other_words} as incompatible",
                        capital(&pkg_words)
                    )
                };
                let mut details = BTreeMap::new();
                details.insert("incompatibleKind".to_owned(), json!(kind));
                details.insert("incompatibleId".to_owned(), json!(other));
                self.push(
                    change,
                    package_ref(self.new, package),
                    message,
                    vec![other_ref],
                    None,
                    details,
                );
            }
        }
    }

    fn assignments(&mut self) {
        let old = holdings(self.old);
        let new = holdings(self.new);
        for (change, from, other, s) in [
            (ChangeKind::AssignmentAdded, &new, &old, self.new),
            (ChangeKind::AssignmentRemoved, &old, &new, self.old),
        ] {
            for ((user, package), assignment) in from {
                if other.contains_key(&(user.clone(), package.clone())) {
                    continue;
                }
                let guest = s.users.get(user).is_some_and(crate::model::User::is_guest)
                    || self
                        .new
                        .users
                        .get(user)
                        .is_some_and(crate::model::User::is_guest);
                let who = format!(
                    "{}{}",
                    if guest { "Guest " } else { "" },
                    user_words(s, user)
                );
                let pkg = package_words(s, package);
                let message = if change == ChangeKind::AssignmentAdded {
                    format!("{who} was assigned {pkg}")
                } else {
                    format!("{who} no longer holds {pkg}")
                };
                let mut related = vec![user_ref(s, user), package_ref(s, package)];
                if let Some(policy) = s
                    .assignments
                    .get(assignment)
                    .and_then(|a| a.policy_id.as_deref())
                {
                    related.push(policy_ref(s, policy));
                }
                let mut details = BTreeMap::new();
                details.insert("guest".to_owned(), json!(guest));
                details.insert("userId".to_owned(), json!(user));
                details.insert("accessPackageId".to_owned(), json!(package));
                self.push(
                    change,
                    assignment_ref(s, assignment),
                    message,
                    related,
                    None,
                    details,
                );
            }
        }
    }
}

fn package_name(p: &AccessPackage) -> String {
    quoted(p.display_name.as_deref(), &p.id)
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// Active assignments as (user object id, package id) → the (smallest) assignment id. An
/// assignment whose target is not resolved to a user keys on its accessPackageSubject id.
fn holdings(s: &Snapshot) -> BTreeMap<(String, String), String> {
    let mut out: BTreeMap<(String, String), String> = BTreeMap::new();
    for a in s.assignments.values().filter(|a| a.is_active()) {
        let Some(package) = a.access_package_id.clone() else {
            continue;
        };
        let user = a
            .target_object_id
            .clone()
            .or_else(|| {
                a.target_subject_id
                    .as_ref()
                    .and_then(|sid| s.subjects.get(sid))
                    .and_then(|sub| sub.object_id.clone())
            })
            .or_else(|| a.target_subject_id.clone());
        let Some(user) = user else { continue };
        out.entry((user, package)).or_insert_with(|| a.id.clone());
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::ingest::{InputFile, Limits, load};
    use crate::rules::run;

    fn loaded(files: &[(&str, Value)]) -> Loaded {
        load(
            files
                .iter()
                .map(|(n, v)| InputFile::new(*n, serde_json::to_vec(v).unwrap())),
            &Limits::default(),
        )
    }

    fn policy(id: &str, extra: Value) -> Value {
        let mut p = json!({
            "id": id,
            "displayName": format!("Policy {id}"),
            "allowedTargetScope": "specificDirectoryUsers",
            "specificAllowedTargets": [{"@odata.type": "#microsoft.graph.groupMembers", "groupId": "g1"}],
            "requestorSettings": {"enableTargetsToSelfAddAccess": true},
            "expiration": {"type": "afterDuration", "duration": "P90D"},
            "requestApprovalSettings": {
                "isApprovalRequiredForAdd": true,
                "isRequestorJustificationRequired": true,
                "stages": [
                    {"primaryApprovers": [{"@odata.type": "#microsoft.graph.singleUser", "userId": "u1"}]},
                    {"primaryApprovers": [{"@odata.type": "#microsoft.graph.singleUser", "userId": "u2"}]}
                ]
            },
            "reviewSettings": {"isEnabled": true, "schedule": {"recurrence": {"pattern": {"type": "absoluteMonthly", "interval": 3}}}},
            "accessPackage": {"id": "pk1"}
        });
        if let (Value::Object(base), Value::Object(more)) = (&mut p, extra) {
            for (k, v) in more {
                base.insert(k, v);
            }
        }
        p
    }

    fn export(policies: Vec<Value>) -> Loaded {
        loaded(&[
            (
                "assignmentPolicies.json",
                json!({"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#identityGovernance/entitlementManagement/assignmentPolicies", "value": policies}),
            ),
            (
                "accessPackages.json",
                json!({"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#identityGovernance/entitlementManagement/accessPackages", "value": [{"id": "pk1", "displayName": "Pkg"}]}),
            ),
        ])
    }

    fn kinds(old: Vec<Value>, new: Vec<Value>) -> Vec<ChangeKind> {
        let (o, n) = (export(old), export(new));
        let date = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        let (ro, rn) = (
            run(&o, &Config::default(), date),
            run(&n, &Config::default(), date),
        );
        diff(&o, &ro, &n, &rn)
            .changes
            .into_iter()
            .map(|c| c.kind)
            .collect()
    }

    #[test]
    fn identical_exports_have_no_changes() {
        assert!(kinds(vec![policy("p1", json!({}))], vec![policy("p1", json!({}))]).is_empty());
    }

    #[test]
    fn scope_breadth_orders_scopes() {
        let widened = kinds(
            vec![policy("p1", json!({}))],
            vec![policy(
                "p1",
                json!({"allowedTargetScope": "allExternalUsers", "specificAllowedTargets": []}),
            )],
        );
        assert_eq!(widened, [ChangeKind::ScopeWidened]);
        let more_targets = kinds(
            vec![policy("p1", json!({}))],
            vec![policy(
                "p1",
                json!({"specificAllowedTargets": [
                    {"@odata.type": "#microsoft.graph.groupMembers", "groupId": "g1"},
                    {"@odata.type": "#microsoft.graph.groupMembers", "groupId": "g2"}]}),
            )],
        );
        assert_eq!(more_targets, [ChangeKind::ScopeWidened]);
        let changed = kinds(
            vec![policy(
                "p1",
                json!({"allowedTargetScope": "allMemberUsers"}),
            )],
            vec![policy(
                "p1",
                json!({"allowedTargetScope": "allConfiguredConnectedOrganizationUsers"}),
            )],
        );
        assert_eq!(changed, [ChangeKind::ScopeChanged]);
    }

    #[test]
    fn approval_weakened_when_a_stage_goes() {
        let one_stage = json!({"requestApprovalSettings": {
            "isApprovalRequiredForAdd": true, "isRequestorJustificationRequired": true,
            "stages": [{"primaryApprovers": [{"@odata.type": "#microsoft.graph.singleUser", "userId": "u1"}]}]}});
        assert_eq!(
            kinds(vec![policy("p1", json!({}))], vec![policy("p1", one_stage)]),
            [ChangeKind::ApprovalWeakened]
        );
        let none =
            json!({"requestApprovalSettings": {"isApprovalRequiredForAdd": false, "stages": []}});
        assert_eq!(
            kinds(
                vec![policy("p1", json!({}))],
                vec![policy("p1", none.clone())]
            ),
            [ChangeKind::ApprovalRemoved]
        );
        assert_eq!(
            kinds(vec![policy("p1", none)], vec![policy("p1", json!({}))]),
            [ChangeKind::ApprovalAdded]
        );
    }

    #[test]
    fn expiration_and_reviews() {
        assert_eq!(
            kinds(
                vec![policy("p1", json!({}))],
                vec![policy(
                    "p1",
                    json!({"expiration": {"type": "noExpiration"}})
                )]
            ),
            [ChangeKind::ExpirationRemoved]
        );
        assert_eq!(
            kinds(
                vec![policy("p1", json!({}))],
                vec![policy(
                    "p1",
                    json!({"expiration": {"type": "afterDuration", "duration": "P365D"}})
                )]
            ),
            [ChangeKind::ExpirationLengthened]
        );
        assert_eq!(
            kinds(
                vec![policy("p1", json!({}))],
                vec![policy(
                    "p1",
                    json!({"reviewSettings": {"isEnabled": false}})
                )]
            ),
            [ChangeKind::ReviewsDisabled]
        );
    }

    #[test]
    fn data_on_one_side_only_is_not_compared() {
        let o = export(vec![policy("p1", json!({}))]);
        let n = loaded(&[(
            "accessPackages.json",
            json!({"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#identityGovernance/entitlementManagement/accessPackages", "value": [{"id": "pk1", "displayName": "Pkg"}]}),
        )]);
        let date = NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
        let d = diff(
            &o,
            &run(&o, &Config::default(), date),
            &n,
            &run(&n, &Config::default(), date),
        );
        assert!(d.changes.is_empty(), "{:?}", d.changes);
        assert_eq!(
            d.not_compared,
            ["assignmentPolicies: only in the old export"]
        );
    }

    #[test]
    fn policies_added_and_removed_are_ordered() {
        let got = kinds(vec![policy("p2", json!({}))], vec![policy("p1", json!({}))]);
        assert_eq!(got, [ChangeKind::PolicyAdded, ChangeKind::PolicyRemoved]);
    }
}
