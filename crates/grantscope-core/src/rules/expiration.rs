//! Rules of the `expiration` category: does access end.

pub mod assignment_past_end;
pub mod assignment_without_end;
pub mod expiration_too_long;
pub mod extension_without_approval;
pub mod policy_without_expiration;

use chrono::Duration;

use super::{DynRule, RuleContext, assignment_ref, package_ref, policy_ref, user_ref};
use crate::model::{
    Assignment, AssignmentPolicy, Expiration, ExpirationType, Recurrence, Schedule, Timestamp,
};
use crate::rules::Draft;

pub(super) static RULES: &[&dyn DynRule] = &[
    &policy_without_expiration::PolicyWithoutExpiration,
    &expiration_too_long::ExpirationTooLong,
    &extension_without_approval::ExtensionWithoutApproval,
    &assignment_without_end::AssignmentWithoutEnd,
    &assignment_past_end::AssignmentPastEnd,
];

/// A date as evidence and in messages (`YYYY-MM-DD`).
pub(crate) fn ymd(t: Timestamp) -> String {
    crate::dates::ymd(t)
}

/// `"name"` or, without a name, the id.
fn quoted(name: Option<&str>, id: &str) -> String {
    match name {
        Some(n) if !n.trim().is_empty() => format!("\"{n}\""),
        _ => id.to_owned(),
    }
}

/// How a policy is named in messages: `policy "Name" of package "Package"`.
pub(crate) fn policy_words(ctx: &RuleContext<'_>, p: &AssignmentPolicy) -> String {
    let policy = quoted(p.display_name.as_deref(), &p.id);
    match p.access_package_id.as_deref() {
        Some(pkg) => {
            let name = ctx
                .snapshot
                .access_packages
                .get(pkg)
                .and_then(|x| x.display_name.as_deref());
            format!("Policy {policy} of package {}", quoted(name, pkg))
        }
        None => format!("Policy {policy}"),
    }
}

/// Whether the policy's requestor population can include users from other organisations.
pub(crate) fn external_reaching(ctx: &RuleContext<'_>, p: &AssignmentPolicy) -> bool {
    ctx.graph
        .population(&p.id)
        .is_some_and(crate::graph::Population::is_external_reaching)
}

/// The recurrence of the policy's access reviews, if reviews are on and recur.
pub(crate) fn review_recurrence(p: &AssignmentPolicy) -> Option<&Recurrence> {
    p.review
        .as_ref()
        .filter(|r| r.is_enabled)
        .and_then(|r| r.schedule.as_ref())
        .and_then(|s| s.recurrence.as_ref())
}

/// A recurrence in words for evidence: `absoluteMonthly/3`.
pub(crate) fn recurrence_words(r: &Recurrence) -> String {
    format!("{}/{}", r.pattern, r.interval)
}

/// The end of an assignment schedule: its `endDateTime`, else start + duration for
/// `afterDuration`. `None` when the schedule does not say.
pub(crate) fn schedule_end(s: &Schedule) -> Option<Timestamp> {
    let e = s.expiration.as_ref()?;
    if let Some(end) = e.end {
        return Some(end);
    }
    if e.kind == ExpirationType::AfterDuration
        && let (Some(start), Some(d)) = (s.start, e.duration)
    {
        return start.checked_add_signed(Duration::seconds(d.0));
    }
    None
}

/// Why an assignment schedule has no end, or `None` when it has one (or the expiration kind is
/// one this version does not know, which is not judged).
pub(crate) fn missing_end(schedule: Option<&Schedule>) -> Option<&'static str> {
    let Some(s) = schedule else {
        return Some("no schedule");
    };
    let Some(e) = &s.expiration else {
        return Some("no expiration in schedule");
    };
    match &e.kind {
        ExpirationType::NoExpiration => Some("noExpiration"),
        ExpirationType::NotSpecified if e.end.is_none() => Some("notSpecified without end date"),
        ExpirationType::AfterDateTime if e.end.is_none() => Some("afterDateTime without end date"),
        ExpirationType::AfterDuration if e.end.is_none() && e.duration.is_none() => {
            Some("afterDuration without duration")
        }
        _ => None,
    }
}

/// The expiration type as evidence (`noExpiration`, `afterDuration`…).
pub(crate) fn expiration_kind(e: Option<&Expiration>) -> String {
    e.map_or_else(|| "missing".to_owned(), |e| e.kind.as_str().to_owned())
}

/// `"<user>"'s assignment to package "<package>"`, the words naming an assignment in messages.
pub(crate) fn assignment_words(ctx: &RuleContext<'_>, a: &Assignment) -> String {
    let s = ctx.snapshot;
    let user = a
        .target_object_id
        .as_deref()
        .and_then(|u| s.users.get(u))
        .and_then(|u| u.display_name.as_deref())
        .or(a.target_display_name.as_deref());
    let user = match (user, a.target_object_id.as_deref()) {
        (Some(n), _) => format!("\"{n}\""),
        (None, Some(id)) => format!("user {id}"),
        (None, None) => "an unresolved subject".to_owned(),
    };
    let package = match a.access_package_id.as_deref() {
        Some(pkg) => quoted(
            s.access_packages
                .get(pkg)
                .and_then(|p| p.display_name.as_deref()),
            pkg,
        ),
        None => "an unknown package".to_owned(),
    };
    format!("Assignment of {user} to package {package}")
}

/// Starts an assignment finding: subject the assignment, related its user, package and policy.
pub(crate) fn assignment_finding(
    ctx: &RuleContext<'_>,
    out: &super::Findings,
    a: &Assignment,
    message: String,
) -> Draft {
    let s = ctx.snapshot;
    let mut d = ctx.finding(out, assignment_ref(s, &a.id), message);
    if let Some(u) = a.target_object_id.as_deref() {
        d = d.related(user_ref(s, u));
    }
    if let Some(p) = a.access_package_id.as_deref() {
        d = d.related(package_ref(s, p));
    }
    if let Some(p) = a.policy_id.as_deref() {
        d = d.related(policy_ref(s, p));
    }
    d.evidence("targetObjectId", a.target_object_id.as_deref())
        .evidence("accessPackageId", a.access_package_id.as_deref())
        .evidence("policyId", a.policy_id.as_deref())
        .evidence("state", a.state.as_ref().map(|x| x.as_str().to_owned()))
}

#[cfg(test)]
mod tests {
    use chrono::{TimeZone, Utc};

    use super::{missing_end, schedule_end};
    use crate::model::{DurationSecs, Expiration, ExpirationType, Schedule};

    fn schedule(kind: ExpirationType, days: Option<i64>, end: Option<(i32, u32, u32)>) -> Schedule {
        Schedule {
            start: Some(Utc.with_ymd_and_hms(2026, 9, 1, 0, 0, 0).unwrap()),
            expiration: Some(Expiration {
                kind,
                duration: days.map(DurationSecs::from_days),
                end: end.map(|(y, m, d)| Utc.with_ymd_and_hms(y, m, d, 0, 0, 0).unwrap()),
            }),
            recurrence: None,
        }
    }

    #[test]
    fn end_is_the_end_date_else_start_plus_duration() {
        let explicit = schedule(ExpirationType::AfterDateTime, None, Some((2026, 12, 1)));
        assert_eq!(
            schedule_end(&explicit),
            Some(Utc.with_ymd_and_hms(2026, 12, 1, 0, 0, 0).unwrap())
        );
        let computed = schedule(ExpirationType::AfterDuration, Some(30), None);
        assert_eq!(
            schedule_end(&computed),
            Some(Utc.with_ymd_and_hms(2026, 10, 1, 0, 0, 0).unwrap())
        );
        let open = schedule(ExpirationType::NoExpiration, None, None);
        assert_eq!(schedule_end(&open), None);
    }

    #[test]
    fn missing_end_reasons() {
        assert_eq!(missing_end(None), Some("no schedule"));
        assert_eq!(
            missing_end(Some(&Schedule::default())),
            Some("no expiration in schedule")
        );
        let none = schedule(ExpirationType::NoExpiration, None, None);
        assert_eq!(missing_end(Some(&none)), Some("noExpiration"));
        let unspecified = schedule(ExpirationType::NotSpecified, None, None);
        assert!(missing_end(Some(&unspecified)).is_some());
        let unspecified_with_end = schedule(ExpirationType::NotSpecified, None, Some((2027, 1, 1)));
        assert_eq!(missing_end(Some(&unspecified_with_end)), None);
        let duration = schedule(ExpirationType::AfterDuration, Some(90), None);
        assert_eq!(missing_end(Some(&duration)), None);
        // An expiration type this version does not know is not judged.
        let unknown = schedule(ExpirationType::Other("future".into()), None, None);
        assert_eq!(missing_end(Some(&unknown)), None);
    }
}
