use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{DIRECT_ASSIGN, Decision, actor_name, actor_ref, decision_package_ref, event_json};
use crate::declare_rule;
use crate::rules::{Findings, Rule, RuleContext, audit_ref, request_ref};

declare_rule! {
    /// ## What it does
    /// Looks through the entitlement-management audit log for requests approved by their own
    /// requestor: an `Approve access package assignment request` event whose actor is the user
    /// who made the request. The requestor is the actor of the `User requests access package
    /// assignment` event with the same correlation id, else the requestor of the exported
    /// assignment request the event names, else the event's `User` target. It also flags
    /// `Administrator directly assigns user to access package` events where the actor assigned
    /// themselves. Failed events are ignored.
    ///
    /// ## Why is this risky?
    /// It is the separation-of-duties failure approval exists to prevent, and it already
    /// happened: someone granted themselves access, with no second person involved. Each finding
    /// is a concrete event to investigate, and a sign that approver or administrator roles are
    /// scoped too widely.
    ///
    /// ## Example
    /// ```json
    /// [
    ///   { "activityDisplayName": "User requests access package assignment", "correlationId": "c1",
    ///     "initiatedBy": { "user": { "id": "<zoe>" } } },
    ///   { "activityDisplayName": "Approve access package assignment request", "correlationId": "c1",
    ///     "initiatedBy": { "user": { "id": "<zoe>" } } }
    /// ]
    /// ```
    ///
    /// ## Remediation
    /// Review the assignment (Identity Governance → Entitlement management → Access packages →
    /// the package → Assignments) and remove it if it was not justified. Then make sure the user
    /// is not an approver of a policy they can request under, and limit who holds the Access
    /// package assignment manager or Identity Governance Administrator roles.
    ///
    /// ## References
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-logs-and-reporting
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-reports
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-delegate
    pub SelfApprovedRequest {
        id: "GS204",
        name: "self-approved-request",
        category: Approval,
        severity: Critical,
        summary: "A user approved their own access package request or assigned a package to themselves",
        remediation: "Review and if needed remove the assignment, and take the user out of the approvers or administrators of the packages they can request",
        needs: [AuditEvents],
        since: "0.1.0",
    }
}

/// This rule has no options.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {}

impl Rule for SelfApprovedRequest {
    type Options = Options;

    fn check(&self, ctx: &RuleContext<'_>, _options: &Options, out: &mut Findings) {
        let s = ctx.snapshot;
        let all = ctx.decisions();
        // One finding per (user, request, kind): several approval stages of one request that the
        // requestor approved are one incident.
        let mut groups: BTreeMap<(&str, &str, bool), Vec<&Decision<'_>>> = BTreeMap::new();
        for d in all.iter().filter(|d| d.actor == d.requestor) {
            let assign = d.event.is_activity(DIRECT_ASSIGN);
            groups
                .entry((d.actor.as_str(), d.request_key.as_str(), assign))
                .or_default()
                .push(d);
        }
        for ((_, request_key, assign), mut list) in groups {
            crate::order::sort_by(&mut list, |a, b| {
                (a.time, &a.event.id).cmp(&(b.time, &b.event.id))
            });
            let Some(first) = list.first() else {
                continue;
            };
            let who = actor_name(s, first);
            let package = first
                .package_name
                .as_deref()
                .or(first.package_id.as_deref());
            let what = package.map_or_else(
                || "an access package".to_owned(),
                |p| format!("access package \"{p}\""),
            );
            let message = if assign {
                format!("{who} directly assigned themselves {what}")
            } else {
                format!("{who} approved their own request for {what}")
            };
            let mut draft = ctx
                .finding(out, actor_ref(s, first), message)
                .evidence(
                    "kind",
                    if assign {
                        "selfAssignment"
                    } else {
                        "selfApproval"
                    },
                )
                .evidence("requestorFrom", first.requestor_from.as_str())
                .evidence(
                    "events",
                    list.iter().map(|d| event_json(d.event)).collect::<Vec<_>>(),
                )
                .evidence("accessPackageId", &first.package_id)
                .key(request_key);
            if let Some(upn) = first
                .event
                .actor_user
                .as_ref()
                .and_then(|a| a.user_principal_name.as_deref())
            {
                draft = draft.evidence("userPrincipalName", upn);
            }
            if let Some(r) = &first.request_id {
                draft = draft.evidence("requestId", r).related(request_ref(s, r));
            }
            if let Some(r) = decision_package_ref(s, first) {
                draft = draft.related(r);
            }
            for d in &list {
                draft = draft.related(audit_ref(s, &d.event.id));
            }
            out.push(draft);
        }
    }
}
