use std::collections::BTreeMap;

use chrono::TimeDelta;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{Decision, actor_ref, decision_package_ref, decision_user_name};
use crate::declare_rule;
use crate::model::Timestamp;
use crate::rules::{Findings, Rule, RuleContext, audit_ref, request_ref};

declare_rule! {
    /// ## What it does
    /// Looks through the entitlement-management audit log for pairs of users who approved each
    /// other's requests: A approved a request of B, and B approved a request of A, within
    /// `window-days` (default 30) of each other. Requestors are resolved as in GS204 (the
    /// `User requests access package assignment` event of the same correlation id, the exported
    /// request, or the event's `User` target). Events without a date are ignored. The evidence
    /// gives the closest pair of approvals.
    ///
    /// ## Why is this risky?
    /// Two people who approve each other defeat separation of duties as surely as
    /// self-approval does, just with a partner: "you approve mine, I approve yours". Auditors
    /// look for exactly this pattern.
    ///
    /// ## Example
    /// ```json
    /// [
    ///   { "activityDisplayName": "Approve access package assignment request", "activityDateTime": "2026-10-05T11:40:00Z",
    ///     "initiatedBy": { "user": { "id": "<isabel>" } }, "targetResources": [{ "type": "User", "id": "<ben>" }] },
    ///   { "activityDisplayName": "Approve access package assignment request", "activityDateTime": "2026-10-12T14:58:00Z",
    ///     "initiatedBy": { "user": { "id": "<ben>" } }, "targetResources": [{ "type": "User", "id": "<isabel>" }] }
    /// ]
    /// ```
    ///
    /// ## Remediation
    /// Review both assignments (Identity Governance → Entitlement management → Access packages →
    /// Assignments). Then change the policies' approvers (Policies → Edit → Requests) so that
    /// the two users do not approve each other, for example with a separate approver group or a
    /// second approval stage.
    ///
    /// ## References
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-logs-and-reporting
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-access-package-approval-policy
    pub ReciprocalApprovals {
        id: "GS205",
        name: "reciprocal-approvals",
        category: Approval,
        severity: High,
        summary: "Two users approved each other's access package requests",
        remediation: "Review both assignments and change the approvers so that the two users do not approve each other's requests",
        needs: [AuditEvents],
        since: "0.1.0",
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    /// The most days between the two approvals for them to count as reciprocal.
    pub window_days: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options { window_days: 30 }
    }
}

/// The closest pair (one from each list, both sorted by time) and its distance.
fn closest<'a, 's>(
    ab: &[(Timestamp, &'a Decision<'s>)],
    ba: &[(Timestamp, &'a Decision<'s>)],
) -> Option<(TimeDelta, &'a Decision<'s>, &'a Decision<'s>)> {
    let (mut i, mut j) = (0, 0);
    let mut best: Option<(TimeDelta, &Decision<'_>, &Decision<'_>)> = None;
    while let (Some(&(ta, a)), Some(&(tb, b))) = (ab.get(i), ba.get(j)) {
        let gap = (ta - tb).abs();
        if best.as_ref().is_none_or(|(g, _, _)| gap < *g) {
            best = Some((gap, a, b));
        }
        if ta <= tb {
            i += 1;
        } else {
            j += 1;
        }
    }
    best
}

fn approval_json(s: &crate::model::Snapshot, d: &Decision<'_>) -> Value {
    json!({
        "approver": d.actor,
        "approverName": decision_user_name(s, &d.actor),
        "requestor": d.requestor,
        "requestorName": decision_user_name(s, &d.requestor),
        "requestorFrom": d.requestor_from.as_str(),
        "date": d.time.map(crate::dates::ymd),
        "eventId": d.event.id,
        "requestId": d.request_id,
        "accessPackageId": d.package_id,
    })
}

impl Rule for ReciprocalApprovals {
    type Options = Options;

    fn check(&self, ctx: &RuleContext<'_>, options: &Options, out: &mut Findings) {
        let s = ctx.snapshot;
        let all = ctx.decisions();
        let window = TimeDelta::days(i64::from(options.window_days));
        let mut by_pair: BTreeMap<(&str, &str), Vec<(Timestamp, &Decision<'_>)>> = BTreeMap::new();
        for d in all {
            if d.actor == d.requestor || !d.event.is_activity(super::APPROVE) {
                continue;
            }
            if let Some(t) = d.time {
                by_pair
                    .entry((d.actor.as_str(), d.requestor.as_str()))
                    .or_default()
                    .push((t, d));
            }
        }
        for list in by_pair.values_mut() {
            crate::order::sort_by(list, |x, y| (x.0, &x.1.event.id).cmp(&(y.0, &y.1.event.id)));
        }
        for (&(a, b), ab) in &by_pair {
            if a >= b {
                continue;
            }
            let Some(ba) = by_pair.get(&(b, a)) else {
                continue;
            };
            let Some((gap, x, y)) = closest(ab, ba) else {
                continue;
            };
            if gap > window {
                continue;
            }
            let days = gap.num_days();
            let message = format!(
                "{} and {} approved each other's access package requests {} apart",
                decision_user_name(s, a),
                decision_user_name(s, b),
                match days {
                    0 => "less than a day".to_owned(),
                    1 => "1 day".to_owned(),
                    n => format!("{n} days"),
                }
            );
            let mut draft = ctx
                .finding(out, actor_ref(s, x), message)
                .evidence("windowDays", options.window_days)
                .evidence("gapDays", days)
                .evidence("approvals", vec![approval_json(s, x), approval_json(s, y)])
                .evidence(
                    "approvalCounts",
                    json!({ "firstApprovedSecond": ab.len(), "secondApprovedFirst": ba.len() }),
                )
                .related(actor_ref(s, y))
                .key(a)
                .key(b);
            for d in [x, y] {
                draft = draft.related(audit_ref(s, &d.event.id));
                if let Some(r) = &d.request_id {
                    draft = draft.related(request_ref(s, r));
                }
                if let Some(p) = decision_package_ref(s, d) {
                    draft = draft.related(p);
                }
            }
            out.push(draft);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::AuditEvent;

    fn at(day: u32) -> Timestamp {
        chrono::NaiveDate::from_ymd_opt(2026, 10, day)
            .and_then(|d| d.and_hms_opt(12, 0, 0))
            .map(|t| t.and_utc())
            .unwrap_or_default()
    }

    #[test]
    fn closest_pair_is_found_across_both_lists() {
        let e = AuditEvent::default();
        let d = |day| Decision {
            event: &e,
            actor: String::new(),
            requestor: String::new(),
            requestor_from: super::super::RequestorSource::RequestEvent,
            request_id: None,
            request_key: String::new(),
            package_id: None,
            package_name: None,
            time: Some(at(day)),
        };
        let (a1, a2, b1) = (d(1), d(20), d(25));
        let ab = vec![(at(1), &a1), (at(20), &a2)];
        let ba = vec![(at(25), &b1)];
        let (gap, x, y) = closest(&ab, &ba).unwrap();
        assert_eq!(gap.num_days(), 5);
        assert_eq!(x.time, Some(at(20)));
        assert_eq!(y.time, Some(at(25)));
    }
}
