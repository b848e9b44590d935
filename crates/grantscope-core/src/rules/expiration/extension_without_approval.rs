use serde::{Deserialize, Serialize};

use super::{external_reaching, policy_words};
use crate::declare_rule;
use crate::rules::{Findings, Rule, RuleContext, package_ref, policy_ref};

declare_rule! {
    /// ## What it does
    /// Flags a policy that requires approval to get access but lets assigned users extend it
    /// themselves without approval (`enableTargetsToSelfUpdateAccess: true` with
    /// `isApprovalRequiredForUpdate: false`; beta `canExtend: true` with
    /// `isApprovalRequiredForExtension: false`).
    ///
    /// ## Why is this risky?
    /// The approval only gates the first grant. Every extension after that is automatic, so the
    /// expiration no longer forces anyone to confirm that the access is still needed: a user can
    /// keep renewing access an approver agreed to for a limited time only.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "requestorSettings": { "enableTargetsToSelfAddAccess": true, "enableTargetsToSelfUpdateAccess": true },
    ///   "requestApprovalSettings": { "isApprovalRequiredForAdd": true, "isApprovalRequiredForUpdate": false,
    ///     "stages": [ { "primaryApprovers": [ { "@odata.type": "#microsoft.graph.requestorManager", "managerLevel": 1 } ] } ] }
    /// }
    /// ```
    ///
    /// ## Remediation
    /// In the Entra admin center, open Identity Governance → Entitlement management → Access
    /// packages → the package → Policies → the policy → Edit → Requests, and turn on "Require
    /// approval for extension requests" (or turn off extensions in the Lifecycle tab).
    ///
    /// ## References
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-access-package-approval-policy
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-access-package-lifecycle-policy
    pub ExtensionWithoutApproval {
        id: "GS303",
        name: "extension-without-approval",
        category: Expiration,
        severity: Medium,
        summary: "Requestors can extend approved access without a new approval",
        remediation: "Require approval for extension requests in the policy (Requests → Require approval for extension requests), or disable extensions",
        needs: [AssignmentPolicies],
        since: "0.1.0",
    }
}

/// This rule has no options.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {}

impl Rule for ExtensionWithoutApproval {
    type Options = Options;

    fn check(&self, ctx: &RuleContext<'_>, _options: &Options, out: &mut Findings) {
        let s = ctx.snapshot;
        for p in s.policies.values() {
            let self_update = p.requestor_settings.as_ref().is_some_and(|r| r.self_update);
            let Some(approval) = &p.approval else {
                continue;
            };
            if !self_update || !approval.is_required() || approval.required_for_update {
                continue;
            }
            let message = format!(
                "{} requires approval to add access but lets requestors extend it without approval",
                policy_words(ctx, p)
            );
            let mut d = ctx
                .finding(out, policy_ref(s, &p.id), message)
                .evidence("selfUpdate", true)
                .evidence("approvalRequiredForAdd", true)
                .evidence("approvalRequiredForUpdate", false)
                .evidence("approvalStages", approval.stages.len())
                .evidence("externalReaching", external_reaching(ctx, p));
            if let Some(pkg) = p.access_package_id.as_deref() {
                d = d.related(package_ref(s, pkg));
            }
            out.push(d);
        }
    }
}
