//! Rules of the `eligibility` category: who can ask for access.
//!
//! Also the policy helpers the `review` rules share: how a policy and its package are named in
//! messages, which privileged resources a policy's package grants, and the population evidence.

pub mod any_external_user;
pub mod broad_requestor_scope;
pub mod external_without_approval;
pub mod oversized_eligible_group;
pub mod privileged_self_service;

use serde_json::json;

use super::{Draft, DynRule, RuleContext, package_ref};
use crate::findings::EntityRef;
use crate::graph::{Grant, Population};
use crate::model::{AssignmentPolicy, Dataset, TargetScope};

pub(super) static RULES: &[&dyn DynRule] = &[
    &broad_requestor_scope::BroadRequestorScope,
    &any_external_user::AnyExternalUser,
    &external_without_approval::ExternalWithoutApproval,
    &oversized_eligible_group::OversizedEligibleGroup,
    &privileged_self_service::PrivilegedSelfService,
];

/// `Policy "Name"` (or `Policy <id>` when the policy has no display name).
pub(crate) fn policy_label(p: &AssignmentPolicy) -> String {
    match p.display_name.as_deref().filter(|n| !n.trim().is_empty()) {
        Some(name) => format!("Policy \"{name}\""),
        None => format!("Policy {}", p.id),
    }
}

/// `access package "Name"`, `access package <id>` without a name, or `an unknown access
/// package` when the policy does not say which package it governs.
pub(crate) fn package_label(ctx: &RuleContext<'_>, p: &AssignmentPolicy) -> String {
    let Some(id) = p.access_package_id.as_deref() else {
        return "an unknown access package".to_owned();
    };
    match ctx
        .snapshot
        .access_packages
        .get(id)
        .and_then(|pkg| pkg.display_name.as_deref())
        .filter(|n| !n.trim().is_empty())
    {
        Some(name) => format!("access package \"{name}\""),
        None => format!("access package {id}"),
    }
}

/// The package a policy governs, as a related entity.
pub(crate) fn package_related(ctx: &RuleContext<'_>, p: &AssignmentPolicy) -> Option<EntityRef> {
    p.access_package_id
        .as_deref()
        .map(|id| package_ref(ctx.snapshot, id))
}

/// The privileged grants of the policy's package: `None` when that cannot be known (role scopes
/// were not exported), empty when the package is unknown or grants nothing privileged.
pub(crate) fn privileged_grants<'g>(
    ctx: &RuleContext<'g>,
    p: &AssignmentPolicy,
) -> Option<Vec<&'g Grant>> {
    if !ctx.snapshot.has(Dataset::ResourceRoleScopes) {
        return None;
    }
    let graph: &'g crate::graph::AccessGraph<'g> = ctx.graph;
    Some(
        p.access_package_id
            .as_deref()
            .map(|pkg| graph.grants(pkg).iter().filter(|g| g.privileged).collect())
            .unwrap_or_default(),
    )
}

/// Evidence for privileged grants: one object per grant, in the graph's (sorted) order.
pub(crate) fn privileged_evidence(grants: &[&Grant]) -> serde_json::Value {
    grants
        .iter()
        .map(|g| {
            json!({
                "resourceId": g.resource_id,
                "resource": g.resource_name,
                "groupId": g.group_id,
                "role": g.role_name,
                "reason": g.privileged_reason,
            })
        })
        .collect()
}

/// Related entities for privileged grants: their resources (or groups), deduplicated later.
pub(crate) fn privileged_related(ctx: &RuleContext<'_>, grants: &[&Grant]) -> Vec<EntityRef> {
    grants
        .iter()
        .filter_map(|g| match (&g.resource_id, &g.group_id) {
            (Some(r), _) => Some(super::resource_ref(ctx.snapshot, r)),
            (None, Some(gr)) => Some(super::group_ref(ctx.snapshot, gr)),
            (None, None) => None,
        })
        .collect()
}

/// Adds the eligible population (`population`) to a finding, with a note when users were not
/// exported (the member and guest counts are then 0 because nobody could be counted).
pub(crate) fn with_population(ctx: &RuleContext<'_>, mut draft: Draft, pop: &Population) -> Draft {
    draft = draft.evidence("population", pop.evidence());
    if !ctx.snapshot.has(Dataset::Users) {
        draft = draft.evidence(
            "populationNotCounted",
            "users were not exported, so members and guests in the population cannot be counted",
        );
    }
    draft
}

/// The groups a policy's population is drawn from, as related entities.
pub(crate) fn population_groups(ctx: &RuleContext<'_>, pop: &Population) -> Vec<EntityRef> {
    pop.groups
        .iter()
        .map(|g| super::group_ref(ctx.snapshot, g))
        .collect()
}

/// Adds what is known about the package's privilege to a finding: `privilegedPackage` (true,
/// false, or null with a note when role scopes were not exported), the privileged resources as
/// evidence, and those resources as related entities.
pub(crate) fn with_privilege(
    ctx: &RuleContext<'_>,
    mut draft: Draft,
    privileged: Option<&[&Grant]>,
) -> Draft {
    draft = draft.evidence("privilegedPackage", privileged.map(|g| !g.is_empty()));
    match privileged {
        None => {
            draft = draft.evidence(
                "privilegedPackageUnknown",
                "resource role scopes were not exported, so privileged resources cannot be recognised",
            );
        }
        Some(grants) if !grants.is_empty() => {
            draft = draft.evidence("privilegedResources", privileged_evidence(grants));
            for r in privileged_related(ctx, grants) {
                draft = draft.related(r);
            }
        }
        Some(_) => {}
    }
    draft
}

/// Approval stages that have at least one primary approver, when approval is required for new
/// requests; 0 when it is not.
pub(crate) fn approval_stages(p: &AssignmentPolicy) -> usize {
    match &p.approval {
        Some(a) if a.required_for_add => a
            .stages
            .iter()
            .filter(|s| !s.primary_approvers.is_empty())
            .count(),
        _ => 0,
    }
}

/// Who a broad or external scope lets in, in words.
pub(crate) fn audience(pop: &Population) -> String {
    match pop.scope {
        Some(TargetScope::AllMemberUsers) => "every member user".to_owned(),
        Some(TargetScope::AllDirectoryUsers) => {
            "every user in the directory (guests included)".to_owned()
        }
        Some(TargetScope::AllExternalUsers) => "anyone from any organisation".to_owned(),
        Some(TargetScope::AllConfiguredConnectedOrganizationUsers) => {
            "users of every configured connected organisation".to_owned()
        }
        Some(TargetScope::SpecificConnectedOrganizationUsers) => {
            let n = pop.connected_organizations.len();
            format!(
                "users of {n} connected organisation{}",
                if n == 1 { "" } else { "s" }
            )
        }
        _ if pop.unbounded_external => "users of connected organisations".to_owned(),
        _ if pop.guests > 0 => {
            let n = pop.guests;
            format!("{n} guest user{}", if n == 1 { "" } else { "s" })
        }
        _ => "its eligible users".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{ApprovalSettings, ApprovalStage, SubjectSet};

    #[test]
    fn stages_count_only_required_stages_with_primary_approvers() {
        let approver = SubjectSet::SingleUser {
            user_id: "u".into(),
        };
        let mut p = AssignmentPolicy {
            approval: Some(ApprovalSettings {
                required_for_add: true,
                stages: vec![
                    ApprovalStage {
                        primary_approvers: vec![approver.clone()],
                        ..ApprovalStage::default()
                    },
                    ApprovalStage::default(),
                ],
                ..ApprovalSettings::default()
            }),
            ..AssignmentPolicy::default()
        };
        assert_eq!(approval_stages(&p), 1);
        if let Some(a) = p.approval.as_mut() {
            a.required_for_add = false;
        }
        assert_eq!(approval_stages(&p), 0);
    }
}
