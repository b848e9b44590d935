//! The posture score: a deterministic 0–100 score and an A–F grade, overall and for each of six
//! areas, computed from a [`Report`] (findings and coverage) and the size of the tenant
//! ([`Exposure`]). `docs/SCORING.md` explains the method in prose; the constants below are the
//! method, and the posture report prints them in its appendix.
//!
//! In short, for each area:
//!
//! 1. **Deductions.** Every (rule, severity) pair that has findings deducts
//!    `points(severity) × (1 + SPREAD × share)` from 100, where `share` (0–1) is the part of the
//!    objects of the subjects' kind that the rule hit at that severity (3 of 30 policies = 0.1).
//!    A first finding costs the base points; a rule that hits every policy costs three times as
//!    much. Informational findings cost nothing.
//! 2. **Severity ceiling.** An open critical finding caps the area at 59 (F); an open high one
//!    at 79 (C).
//! 3. **Coverage cap.** A rule that did not run (data missing, or turned off in the
//!    configuration) caps the area at `100 × rules that ran ÷ rules of the area`, and marks the
//!    area *incomplete*. An area where no rule ran is *not graded*.
//!
//! The area score is the floor of the smallest of the three. The overall score is the floor of
//! the mean of the six area scores (a not-graded area counts as 0), capped by the worst ceiling.
//! Adding a finding never raises a score; a rule that did not run never scores better than the
//! same rule run clean.

use std::collections::{BTreeMap, BTreeSet};

use serde::{Deserialize, Serialize};

use crate::findings::{Category, CoverageStatus, Finding, Report, Severity};
use crate::model::{EntityKind, Snapshot};

/// Changes whenever a constant or a step of the method changes, so that scores from different
/// versions are not compared as if they were the same measure.
pub const METHOD_VERSION: &str = "1";

/// Base points a (rule, severity) pair deducts from its area.
#[must_use]
pub fn severity_points(severity: Severity) -> f64 {
    match severity {
        Severity::Critical => 25.0,
        Severity::High => 12.0,
        Severity::Medium => 5.0,
        Severity::Low => 2.0,
        Severity::Info => 0.0,
    }
}

/// How much more a rule deducts when it hits every object of its kind rather than one.
pub const SPREAD: f64 = 2.0;

/// The highest score an area (and the overall score) can have while a finding of this severity
/// is open, if any.
#[must_use]
pub fn severity_ceiling(severity: Severity) -> Option<u32> {
    match severity {
        Severity::Critical => Some(59),
        Severity::High => Some(79),
        _ => None,
    }
}

/// Lowest score of each grade, best first; below the last one is F.
pub const GRADE_FLOORS: [(Grade, u32); 4] = [
    (Grade::A, 90),
    (Grade::B, 80),
    (Grade::C, 70),
    (Grade::D, 60),
];

/// The six areas of the posture report. Each groups one or two rule categories.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Area {
    Eligibility,
    Approval,
    ExpirationAndReview,
    SeparationOfDuties,
    GuestLifecycle,
    Hygiene,
}

impl Area {
    pub const ALL: [Area; 6] = [
        Area::Eligibility,
        Area::Approval,
        Area::ExpirationAndReview,
        Area::SeparationOfDuties,
        Area::GuestLifecycle,
        Area::Hygiene,
    ];

    /// The area a rule category belongs to.
    #[must_use]
    pub fn of(category: Category) -> Area {
        match category {
            Category::Eligibility => Area::Eligibility,
            Category::Approval => Area::Approval,
            Category::Expiration | Category::Review => Area::ExpirationAndReview,
            Category::SeparationOfDuties => Area::SeparationOfDuties,
            Category::GuestLifecycle => Area::GuestLifecycle,
            Category::Hygiene => Area::Hygiene,
        }
    }

    /// The rule categories of this area.
    #[must_use]
    pub fn categories(self) -> &'static [Category] {
        match self {
            Area::Eligibility => &[Category::Eligibility],
            Area::Approval => &[Category::Approval],
            Area::ExpirationAndReview => &[Category::Expiration, Category::Review],
            Area::SeparationOfDuties => &[Category::SeparationOfDuties],
            Area::GuestLifecycle => &[Category::GuestLifecycle],
            Area::Hygiene => &[Category::Hygiene],
        }
    }

    /// The stable kebab-case name (`expiration-and-review`).
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Area::Eligibility => "eligibility",
            Area::Approval => "approval",
            Area::ExpirationAndReview => "expiration-and-review",
            Area::SeparationOfDuties => "separation-of-duties",
            Area::GuestLifecycle => "guest-lifecycle",
            Area::Hygiene => "hygiene",
        }
    }

    /// The heading people read (`Expiration & review`).
    #[must_use]
    pub fn title(self) -> &'static str {
        match self {
            Area::Eligibility => "Eligibility",
            Area::Approval => "Approval",
            Area::ExpirationAndReview => "Expiration & review",
            Area::SeparationOfDuties => "Separation of duties",
            Area::GuestLifecycle => "Guest lifecycle",
            Area::Hygiene => "Hygiene",
        }
    }

    /// One line: the question the area answers.
    #[must_use]
    pub fn question(self) -> &'static str {
        match self {
            Area::Eligibility => {
                "Who can ask for access, and is that audience as small as it should be?"
            }
            Area::Approval => {
                "Does every request reach an independent approver, and did it in practice?"
            }
            Area::ExpirationAndReview => {
                "Does access end on its own, and is it re-certified while it lasts?"
            }
            Area::SeparationOfDuties => {
                "Can one person hold access that should be split between people?"
            }
            Area::GuestLifecycle => "Do external accounts leave when their need ends?",
            Area::Hygiene => "Is the configuration free of broken references and dead objects?",
        }
    }
}

impl std::fmt::Display for Area {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A letter grade.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Grade {
    A,
    B,
    C,
    D,
    F,
}

impl Grade {
    /// The grade of a 0–100 score ([`GRADE_FLOORS`]).
    #[must_use]
    pub fn of(score: u32) -> Grade {
        GRADE_FLOORS
            .iter()
            .find(|(_, floor)| score >= *floor)
            .map_or(Grade::F, |(g, _)| *g)
    }

    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Grade::A => "A",
            Grade::B => "B",
            Grade::C => "C",
            Grade::D => "D",
            Grade::F => "F",
        }
    }
}

impl std::fmt::Display for Grade {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether an area (or the overall score) rests on every rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ScoreStatus {
    /// Every rule of the area ran.
    Complete,
    /// Some rules did not run: the score is capped by the coverage and may hide problems.
    Incomplete,
    /// No rule of the area ran: no score, no grade.
    NotGraded,
}

/// The objects a share is measured against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Basis {
    Policies,
    /// Active assignments.
    Assignments,
    Users,
    Guests,
    AccessPackages,
    Resources,
    Catalogs,
    ConnectedOrganizations,
    /// Tenant-wide findings (and anything else): one object.
    Tenant,
}

impl Basis {
    /// What a finding's share is measured against: the kind of its subject; users in a
    /// guest-lifecycle finding are measured against the guests.
    #[must_use]
    pub fn of(finding: &Finding) -> Basis {
        match finding.subject.kind {
            EntityKind::AssignmentPolicy => Basis::Policies,
            EntityKind::Assignment => Basis::Assignments,
            EntityKind::User if finding.category == Category::GuestLifecycle => Basis::Guests,
            EntityKind::User => Basis::Users,
            EntityKind::AccessPackage => Basis::AccessPackages,
            EntityKind::Resource => Basis::Resources,
            EntityKind::Catalog => Basis::Catalogs,
            EntityKind::ConnectedOrganization => Basis::ConnectedOrganizations,
            _ => Basis::Tenant,
        }
    }

    /// Plural noun for people ("policies").
    #[must_use]
    pub fn noun(self) -> &'static str {
        match self {
            Basis::Policies => "policies",
            Basis::Assignments => "active assignments",
            Basis::Users => "users",
            Basis::Guests => "guests",
            Basis::AccessPackages => "access packages",
            Basis::Resources => "catalog resources",
            Basis::Catalogs => "catalogs",
            Basis::ConnectedOrganizations => "connected organisations",
            Basis::Tenant => "tenant",
        }
    }
}

/// How many objects of each kind the export holds: the denominators of the shares.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Exposure {
    pub policies: usize,
    pub active_assignments: usize,
    pub users: usize,
    pub guests: usize,
    pub access_packages: usize,
    pub resources: usize,
    pub catalogs: usize,
    pub connected_organizations: usize,
}

impl Exposure {
    /// Counts the objects of a snapshot.
    #[must_use]
    pub fn of(snapshot: &Snapshot) -> Exposure {
        Exposure {
            policies: snapshot.policies.len(),
            active_assignments: snapshot
                .assignments
                .values()
                .filter(|a| a.is_active())
                .count(),
            users: snapshot.users.len(),
            guests: snapshot.users.values().filter(|u| u.is_guest()).count(),
            access_packages: snapshot.access_packages.len(),
            resources: snapshot.resources.len(),
            catalogs: snapshot.catalogs.len(),
            connected_organizations: snapshot.connected_organizations.len(),
        }
    }

    /// The number of objects of a basis, at least 1 (an empty basis makes every hit count fully).
    #[must_use]
    pub fn size(&self, basis: Basis) -> usize {
        let n = match basis {
            Basis::Policies => self.policies,
            Basis::Assignments => self.active_assignments,
            Basis::Users => self.users,
            Basis::Guests => self.guests,
            Basis::AccessPackages => self.access_packages,
            Basis::Resources => self.resources,
            Basis::Catalogs => self.catalogs,
            Basis::ConnectedOrganizations => self.connected_organizations,
            Basis::Tenant => 1,
        };
        n.max(1)
    }
}

/// What one rule at one severity deducted from its area.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Deduction {
    pub rule_id: String,
    pub rule_name: String,
    pub severity: Severity,
    /// Findings of this rule at this severity.
    pub findings: usize,
    /// Distinct subjects among them.
    pub subjects: usize,
    /// The kind of objects the share is measured against (the first subject's, when mixed).
    pub basis: Basis,
    pub basis_size: usize,
    /// Σ 1 / size of each subject's basis, at most 1.
    pub share: f64,
    /// `severity_points × (1 + SPREAD × share)`.
    pub points: f64,
}

/// The score of one area.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AreaScore {
    pub area: Area,
    pub status: ScoreStatus,
    /// `None` when not graded.
    pub score: Option<u32>,
    pub grade: Option<Grade>,
    /// 100 minus every deduction, at least 0 (before the ceiling and the coverage cap).
    pub raw: f64,
    /// The ceiling of the most severe open finding, if any.
    pub ceiling: Option<u32>,
    /// `100 × rules_evaluated ÷ rules_total` (100 when complete).
    pub coverage_cap: u32,
    pub rules_total: usize,
    pub rules_evaluated: usize,
    /// Rule ids that did not run (not evaluated or turned off), in id order.
    pub rules_not_run: Vec<String>,
    pub findings: usize,
    pub by_severity: BTreeMap<Severity, usize>,
    /// Largest first, then by rule id and severity.
    pub deductions: Vec<Deduction>,
}

/// The overall score.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct OverallScore {
    pub score: u32,
    pub grade: Grade,
    /// Complete only when every area is complete.
    pub status: ScoreStatus,
    /// The worst severity ceiling of any area, if any.
    pub ceiling: Option<u32>,
}

/// The posture score of a report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PostureScore {
    pub method_version: String,
    pub overall: OverallScore,
    /// One per area, in [`Area::ALL`] order.
    pub areas: Vec<AreaScore>,
    pub exposure: Exposure,
}

impl PostureScore {
    /// The score of an area.
    #[must_use]
    pub fn area(&self, area: Area) -> &AreaScore {
        // `areas` always holds every area, in order.
        &self.areas[Area::ALL.iter().position(|a| *a == area).unwrap_or(0)]
    }
}

fn round2(x: f64) -> f64 {
    (x * 100.0).round() / 100.0
}

/// Floors a non-negative score to an integer in 0..=100.
fn floor_score(x: f64) -> u32 {
    // Clamped to 0..=100 first, so the conversion cannot truncate or wrap.
    #[allow(clippy::cast_possible_truncation, clippy::cast_sign_loss)]
    let s = x.clamp(0.0, 100.0).floor() as u32;
    s
}

/// Scores a report. Pure and deterministic: same report and exposure, same score.
#[must_use]
pub fn score(report: &Report, exposure: &Exposure) -> PostureScore {
    let areas: Vec<AreaScore> = Area::ALL
        .iter()
        .map(|&area| score_area(area, report, exposure))
        .collect();
    let ceiling = areas.iter().filter_map(|a| a.ceiling).min();
    let sum: u32 = areas.iter().map(|a| a.score.unwrap_or(0)).sum();
    let mean = f64::from(sum) / f64::from(u32::try_from(areas.len()).unwrap_or(1).max(1));
    let mut overall = floor_score(mean);
    if let Some(c) = ceiling {
        overall = overall.min(c);
    }
    let status = if areas.iter().all(|a| a.status == ScoreStatus::Complete) {
        ScoreStatus::Complete
    } else {
        ScoreStatus::Incomplete
    };
    PostureScore {
        method_version: METHOD_VERSION.to_owned(),
        overall: OverallScore {
            score: overall,
            grade: Grade::of(overall),
            status,
            ceiling,
        },
        areas,
        exposure: *exposure,
    }
}

fn score_area(area: Area, report: &Report, exposure: &Exposure) -> AreaScore {
    let in_area = |c: Category| Area::of(c) == area;
    let coverage: Vec<_> = report
        .coverage
        .iter()
        .filter(|c| in_area(c.category))
        .collect();
    let rules_total = coverage.len();
    let rules_evaluated = coverage
        .iter()
        .filter(|c| c.status == CoverageStatus::Evaluated)
        .count();
    let rules_not_run: Vec<String> = coverage
        .iter()
        .filter(|c| c.status != CoverageStatus::Evaluated)
        .map(|c| c.rule_id.clone())
        .collect();

    // (rule id, severity) → findings; BTreeMap keeps the order deterministic.
    let mut groups: BTreeMap<(&str, Severity), Vec<&Finding>> = BTreeMap::new();
    let mut by_severity = BTreeMap::new();
    let mut findings = 0;
    for f in report.findings.iter().filter(|f| in_area(f.category)) {
        findings += 1;
        *by_severity.entry(f.severity).or_insert(0) += 1;
        groups
            .entry((f.rule_id.as_str(), f.severity))
            .or_default()
            .push(f);
    }

    let mut deductions: Vec<Deduction> = groups
        .into_iter()
        .map(|((rule_id, severity), fs)| {
            let mut subjects = BTreeSet::new();
            let mut share = 0.0;
            for f in &fs {
                if subjects.insert((f.subject.kind, f.subject.id.as_str())) {
                    #[allow(clippy::cast_precision_loss)]
                    let n = exposure.size(Basis::of(f)) as f64;
                    share += 1.0 / n;
                }
            }
            let share = share.min(1.0);
            let basis = Basis::of(fs[0]);
            Deduction {
                rule_id: rule_id.to_owned(),
                rule_name: fs[0].rule_name.clone(),
                severity,
                findings: fs.len(),
                subjects: subjects.len(),
                basis,
                basis_size: exposure.size(basis),
                share: round2(share),
                points: severity_points(severity) * (1.0 + SPREAD * share),
            }
        })
        .collect();
    let total: f64 = deductions.iter().map(|d| d.points).sum();
    for d in &mut deductions {
        d.points = round2(d.points);
    }
    crate::order::sort_by(&mut deductions, |a, b| {
        b.points
            .total_cmp(&a.points)
            .then_with(|| a.rule_id.cmp(&b.rule_id))
            .then_with(|| b.severity.cmp(&a.severity))
    });

    let raw = (100.0 - total).max(0.0);
    let ceiling = by_severity
        .keys()
        .filter_map(|s| severity_ceiling(*s))
        .min();
    // rules_evaluated ≤ rules_total, so this is at most 100; no rule at all caps nothing.
    let coverage_cap = (rules_evaluated * 100)
        .checked_div(rules_total)
        .map_or(100, |c| u32::try_from(c).unwrap_or(100));
    let (status, score) = if rules_total > 0 && rules_evaluated == 0 {
        (ScoreStatus::NotGraded, None)
    } else {
        let mut s = floor_score(raw).min(coverage_cap);
        if let Some(c) = ceiling {
            s = s.min(c);
        }
        let status = if rules_evaluated < rules_total {
            ScoreStatus::Incomplete
        } else {
            ScoreStatus::Complete
        };
        (status, Some(s))
    };
    AreaScore {
        area,
        status,
        score,
        grade: score.map(Grade::of),
        raw: round2(raw),
        ceiling,
        coverage_cap,
        rules_total,
        rules_evaluated,
        rules_not_run,
        findings,
        by_severity,
        deductions,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::findings::{EntityRef, RuleCoverage, Summary, ToolInfo};
    use crate::rules::ALL_RULES;

    fn report(findings: Vec<Finding>, not_run: &[&str]) -> Report {
        let coverage: Vec<RuleCoverage> = ALL_RULES
            .iter()
            .map(|r| {
                let m = r.meta();
                let run = !not_run.contains(&m.id);
                RuleCoverage {
                    rule_id: m.id.to_owned(),
                    rule_name: m.name.to_owned(),
                    category: m.category,
                    status: if run {
                        CoverageStatus::Evaluated
                    } else {
                        CoverageStatus::NotEvaluated
                    },
                    reason: (!run).then(|| "needs data".to_owned()),
                    findings: findings.iter().filter(|f| f.rule_id == m.id).count(),
                }
            })
            .collect();
        let summary = Summary::of(&findings, &coverage);
        Report {
            schema_version: "1".into(),
            tool: ToolInfo {
                name: "grantscope".into(),
                version: "0".into(),
            },
            as_of: "2026-11-01".into(),
            inputs: vec![],
            warnings: vec![],
            findings,
            coverage,
            summary,
            suppressions: vec![],
            waivers: vec![],
            baseline: None,
        }
    }

    fn finding(rule_id: &str, severity: Severity, kind: EntityKind, id: &str) -> Finding {
        let meta = ALL_RULES
            .iter()
            .find(|r| r.meta().id == rule_id)
            .expect("a registered rule")
            .meta();
        Finding {
            rule_id: rule_id.into(),
            rule_name: meta.name.into(),
            category: meta.category,
            severity,
            message: "m".into(),
            subject: EntityRef::new(kind, id),
            related: vec![],
            evidence: BTreeMap::new(),
            remediation: String::new(),
            fingerprint: format!("{rule_id}-{id}"),
        }
    }

    fn exposure() -> Exposure {
        Exposure {
            policies: 30,
            active_assignments: 40,
            users: 40,
            guests: 10,
            access_packages: 28,
            resources: 20,
            catalogs: 3,
            connected_organizations: 3,
        }
    }

    #[test]
    fn clean_tenant_with_every_rule_run_is_100_a() {
        for exp in [Exposure::default(), exposure()] {
            let s = score(&report(vec![], &[]), &exp);
            assert_eq!(s.overall.score, 100);
            assert_eq!(s.overall.grade, Grade::A);
            assert_eq!(s.overall.status, ScoreStatus::Complete);
            for a in &s.areas {
                assert_eq!(
                    (a.score, a.grade, a.status),
                    (Some(100), Some(Grade::A), ScoreStatus::Complete)
                );
                assert!(a.rules_total > 0, "{} has rules", a.area);
            }
        }
    }

    #[test]
    fn every_category_has_an_area_and_areas_cover_every_category() {
        for c in Category::ALL {
            assert!(Area::of(c).categories().contains(&c));
        }
        let n: usize = Area::ALL.iter().map(|a| a.categories().len()).sum();
        assert_eq!(n, Category::ALL.len());
    }

    #[test]
    fn grades_follow_the_floors() {
        assert_eq!(Grade::of(100), Grade::A);
        assert_eq!(Grade::of(90), Grade::A);
        assert_eq!(Grade::of(89), Grade::B);
        assert_eq!(Grade::of(70), Grade::C);
        assert_eq!(Grade::of(60), Grade::D);
        assert_eq!(Grade::of(59), Grade::F);
        assert_eq!(Grade::of(0), Grade::F);
    }

    #[test]
    fn deduction_grows_with_the_share_of_objects_hit() {
        let one = score(
            &report(
                vec![finding(
                    "GS301",
                    Severity::Medium,
                    EntityKind::AssignmentPolicy,
                    "p0",
                )],
                &[],
            ),
            &exposure(),
        );
        let d = &one.area(Area::ExpirationAndReview).deductions[0];
        assert_eq!(d.basis, Basis::Policies);
        assert_eq!(d.basis_size, 30);
        // 5 × (1 + 2 × 1/30) = 5.33…
        assert!((d.points - 5.33).abs() < 0.01, "{}", d.points);
        assert_eq!(one.area(Area::ExpirationAndReview).score, Some(94));

        let all: Vec<Finding> = (0..30)
            .map(|i| {
                finding(
                    "GS301",
                    Severity::Medium,
                    EntityKind::AssignmentPolicy,
                    &format!("p{i}"),
                )
            })
            .collect();
        let s = score(&report(all, &[]), &exposure());
        let a = s.area(Area::ExpirationAndReview);
        assert!((a.deductions[0].points - 15.0).abs() < 1e-9);
        assert_eq!(a.score, Some(85));
        // Two findings on the same subject count once.
        let twice = vec![
            finding(
                "GS301",
                Severity::Medium,
                EntityKind::AssignmentPolicy,
                "p0",
            ),
            finding(
                "GS301",
                Severity::Medium,
                EntityKind::AssignmentPolicy,
                "p0",
            ),
        ];
        let s2 = score(&report(twice, &[]), &exposure());
        assert_eq!(s2.area(Area::ExpirationAndReview).score, Some(94));
    }

    #[test]
    fn critical_and_high_findings_cap_the_area_and_the_overall_score() {
        let s = score(
            &report(
                vec![finding("GS401", Severity::Critical, EntityKind::User, "u1")],
                &[],
            ),
            &exposure(),
        );
        let a = s.area(Area::SeparationOfDuties);
        assert_eq!(a.ceiling, Some(59));
        assert_eq!(a.score, Some(59));
        assert_eq!(a.grade, Some(Grade::F));
        assert_eq!(s.overall.score, 59);
        let s = score(
            &report(
                vec![finding(
                    "GS102",
                    Severity::High,
                    EntityKind::AssignmentPolicy,
                    "p1",
                )],
                &[],
            ),
            &exposure(),
        );
        assert_eq!(s.area(Area::Eligibility).score, Some(79));
        assert_eq!(s.overall.grade, Grade::C);
    }

    #[test]
    fn info_findings_cost_nothing() {
        let s = score(
            &report(
                vec![finding("GS602", Severity::Info, EntityKind::Resource, "r1")],
                &[],
            ),
            &exposure(),
        );
        assert_eq!(s.area(Area::Hygiene).score, Some(100));
        assert_eq!(s.area(Area::Hygiene).findings, 1);
    }

    #[test]
    fn an_area_without_any_rule_run_is_not_graded() {
        let sod: Vec<&str> = ALL_RULES
            .iter()
            .map(|r| r.meta())
            .filter(|m| m.category == Category::SeparationOfDuties)
            .map(|m| m.id)
            .collect();
        let s = score(&report(vec![], &sod), &exposure());
        let a = s.area(Area::SeparationOfDuties);
        assert_eq!(a.status, ScoreStatus::NotGraded);
        assert_eq!((a.score, a.grade), (None, None));
        assert_eq!(a.rules_not_run.len(), sod.len());
        // It counts as 0 in the overall mean: 5 × 100 / 6.
        assert_eq!(s.overall.score, 83);
        assert_eq!(s.overall.status, ScoreStatus::Incomplete);
    }

    #[test]
    fn a_rule_that_did_not_run_caps_its_area_and_never_raises_a_score() {
        let s = score(&report(vec![], &["GS501"]), &exposure());
        let a = s.area(Area::GuestLifecycle);
        assert_eq!(a.status, ScoreStatus::Incomplete);
        assert_eq!(a.rules_not_run, vec!["GS501".to_owned()]);
        assert_eq!(
            a.coverage_cap,
            100 * (a.rules_total - 1) as u32 / a.rules_total as u32
        );
        assert_eq!(a.score, Some(a.coverage_cap));
        assert_eq!(s.overall.status, ScoreStatus::Incomplete);

        // For every rule and every set of other findings: not running it never scores better
        // than running it and finding nothing.
        let base = sample_findings();
        for rule in ALL_RULES.iter().map(|r| r.meta().id) {
            let others: Vec<Finding> = base.iter().filter(|f| f.rule_id != rule).cloned().collect();
            let ran = score(&report(others.clone(), &[]), &exposure());
            let skipped = score(&report(others, &[rule]), &exposure());
            assert!(skipped.overall.score <= ran.overall.score, "{rule}");
            for (x, y) in skipped.areas.iter().zip(&ran.areas) {
                assert!(
                    x.score.unwrap_or(0) <= y.score.unwrap_or(0),
                    "{rule} {}",
                    x.area
                );
            }
        }
    }

    /// A varied set of findings: every rule, several severities and subjects.
    fn sample_findings() -> Vec<Finding> {
        let kinds = [
            EntityKind::AssignmentPolicy,
            EntityKind::User,
            EntityKind::Assignment,
            EntityKind::AccessPackage,
            EntityKind::Tenant,
        ];
        let mut out = Vec::new();
        for (i, r) in ALL_RULES.iter().enumerate() {
            let m = r.meta();
            for j in 0..(i % 4 + 1) {
                let sev = Severity::ALL[(i + j) % 5];
                out.push(finding(
                    m.id,
                    sev,
                    kinds[(i + j) % kinds.len()],
                    &format!("s{}", (i * 7 + j) % 9),
                ));
            }
        }
        out
    }

    #[test]
    fn adding_a_finding_never_raises_any_score() {
        // Add the sample findings one at a time, in a scrambled but fixed order.
        let mut pool = sample_findings();
        let mut state: u64 = 0x9e37_79b9_7f4a_7c15;
        let mut current = Vec::new();
        let mut prev = score(&report(vec![], &["GS205"]), &exposure());
        while !pool.is_empty() {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let pick = usize::try_from(state >> 33).unwrap_or(0) % pool.len();
            current.push(pool.swap_remove(pick));
            let next = score(&report(current.clone(), &["GS205"]), &exposure());
            assert!(
                next.overall.score <= prev.overall.score,
                "overall rose after {:?}",
                current.last()
            );
            for (n, p) in next.areas.iter().zip(&prev.areas) {
                assert!(
                    n.score <= p.score,
                    "{} rose after {:?}",
                    n.area,
                    current.last()
                );
                assert!(n.raw <= p.raw);
            }
            prev = next;
        }
        assert_eq!(prev.overall.grade, Grade::F);
    }

    #[test]
    fn score_is_deterministic_and_serialisable() {
        let r = report(sample_findings(), &["GS501"]);
        let a = serde_json::to_string(&score(&r, &exposure())).unwrap();
        let b = serde_json::to_string(&score(&r, &exposure())).unwrap();
        assert_eq!(a, b);
        let back: PostureScore = serde_json::from_str(&a).unwrap();
        assert_eq!(serde_json::to_string(&back).unwrap(), a);
        assert!(a.contains("\"area\":\"expiration-and-review\""));
        assert!(a.contains("\"status\":\"incomplete\""));
    }
}
