use serde::{Deserialize, Serialize};

use super::{
    approval_stages, package_label, package_related, policy_label, privileged_grants,
    with_population, with_privilege,
};
use crate::declare_rule;
use crate::rules::{Findings, Rule, RuleContext, policy_ref};

declare_rule! {
    /// ## What it does
    /// Flags a self-service policy on an access package that holds a privileged resource — a
    /// role-assignable group (`isAssignableToRole`), the `Owner` role of a group or
    /// application, or a resource matched by `[privileged-resources]` in the configuration —
    /// when requests pass fewer than `min-stages` (default 2) approval stages. A stage counts
    /// when approval is required (`isApprovalRequiredForAdd`) and the stage has a primary
    /// approver.
    ///
    /// ## Why is this risky?
    /// Privileged access should never depend on one person's click. With a single stage, one
    /// approver (who may be compromised, careless, or the requestor's friend) grants admin
    /// rights; with none, anyone in scope grants them to themselves.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "displayName": "Helpdesk admins",
    ///   "allowedTargetScope": "specificDirectoryUsers",
    ///   "requestorSettings": { "enableTargetsToSelfAddAccess": true },
    ///   "requestApprovalSettings": {
    ///     "isApprovalRequiredForAdd": true,
    ///     "stages": [ { "primaryApprovers": [ { "@odata.type": "#microsoft.graph.requestorManager", "managerLevel": 1 } ] } ]
    ///   },
    ///   "accessPackage": { "id": "…grants a role-assignable group…" }
    /// }
    /// ```
    ///
    /// ## Remediation
    /// In the Entra admin center, open Identity Governance → Entitlement management → Access
    /// packages → the package → Policies → the policy → Requests, set "Require approval" to Yes
    /// and "How many stages" to 2 (or 3), with a security owner in the last stage; or make the
    /// policy admin-assigned only.
    ///
    /// ## References
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-access-package-approval-policy
    /// - https://learn.microsoft.com/entra/identity/role-based-access-control/groups-concept
    pub PrivilegedSelfService {
        id: "GS105",
        name: "privileged-self-service",
        category: Eligibility,
        severity: High,
        summary: "Privileged access package can be requested with too few approval stages",
        remediation: "Require at least two approval stages for packages that grant privileged resources, or allow only administrators to assign them (Identity Governance → Entitlement management → Access packages → Policies → Requests)",
        needs: [AssignmentPolicies, ResourceRoleScopes],
        since: "0.1.0",
    }
}

/// Options of `privileged-self-service`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {
    /// Fewest approval stages a self-service request for a privileged package must pass.
    pub min_stages: u32,
}

impl Default for Options {
    fn default() -> Self {
        Options { min_stages: 2 }
    }
}

impl Rule for PrivilegedSelfService {
    type Options = Options;

    fn check(&self, ctx: &RuleContext<'_>, options: &Options, out: &mut Findings) {
        let min = usize::try_from(options.min_stages).unwrap_or(usize::MAX);
        for p in ctx.snapshot.policies.values() {
            if !p.is_self_service() {
                continue;
            }
            let Some(grants) = privileged_grants(ctx, p) else {
                continue;
            };
            if grants.is_empty() {
                continue;
            }
            let stages = approval_stages(p);
            if stages >= min {
                continue;
            }
            let Some(pop) = ctx.graph.population(&p.id) else {
                continue;
            };
            let how = match stages {
                0 => "without approval".to_owned(),
                1 => "with a single approval stage".to_owned(),
                n => format!("with only {n} approval stages"),
            };
            let message = format!(
                "{} lets users request privileged {} {how}",
                policy_label(p),
                package_label(ctx, p),
            );
            let mut draft = ctx
                .finding(out, policy_ref(ctx.snapshot, &p.id), message)
                .evidence("approvalRequired", p.approval_required())
                .evidence("approvalStages", stages)
                .evidence("minStages", options.min_stages);
            draft = with_population(ctx, draft, pop);
            draft = with_privilege(ctx, draft, Some(&grants));
            if let Some(pkg) = package_related(ctx, p) {
                draft = draft.related(pkg);
            }
            out.push(draft);
        }
    }
}
