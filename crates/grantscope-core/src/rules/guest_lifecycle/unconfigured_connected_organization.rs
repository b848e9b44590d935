use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::quoted;
use crate::declare_rule;
use crate::model::{ConnectedOrganizationState, SubjectSet};
use crate::rules::{Findings, Rule, RuleContext, organization_ref, package_ref, policy_ref};

declare_rule! {
    /// ## What it does
    /// Flags connected organisations that are not properly set up. Both findings have the
    /// connected organisation as subject:
    /// - an assignment policy names the organisation in its requestor scope
    ///   (`connectedOrganizationMembers` in `specificAllowedTargets`) while the organisation is in
    ///   state `proposed` — one finding per policy, with the policy as related entity;
    /// - the organisation has no internal sponsor (`internalSponsors` exported and empty).
    ///   When sponsors were not exported (no `$expand=internalSponsors`), nothing is said.
    ///
    /// ## Why is this risky?
    /// Entitlement management creates a *proposed* connected organisation by itself when a user
    /// from an unknown organisation is approved through an "all external users" policy; nobody
    /// reviewed it. Granting a policy to such an organisation treats an unvetted domain or tenant
    /// as a trusted partner. Internal sponsors are the people accountable for a partner: they
    /// approve on its behalf and are the ones to ask whether its users still need access. An
    /// organisation without one has no owner, and its guests no one to vouch for them.
    ///
    /// ## Example
    /// ```json
    /// { "id": "…", "displayName": "contoso-partner.example", "state": "proposed",
    ///   "identitySources": [ { "@odata.type": "#microsoft.graph.domainIdentitySource",
    ///                          "domainName": "contoso-partner.example" } ],
    ///   "internalSponsors": [], "externalSponsors": [] }
    /// ```
    ///
    /// ## Remediation
    /// In the Entra admin center, open Identity Governance → Entitlement management → Connected
    /// organizations → the organisation: review it and set its state to configured (or remove the
    /// policy's reference and delete the organisation), and add at least one internal sponsor.
    ///
    /// ## References
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-organization
    /// - https://learn.microsoft.com/graph/api/resources/connectedorganization
    pub UnconfiguredConnectedOrganization {
        id: "GS506",
        name: "unconfigured-connected-organization",
        category: GuestLifecycle,
        severity: Low,
        summary: "Connected organisation that is only proposed but targeted by a policy, or has no internal sponsor",
        remediation: "Review the connected organisation: configure it (or stop targeting it) and add an internal sponsor (Entitlement management → Connected organizations)",
        needs: [ConnectedOrganizations, AssignmentPolicies],
        since: "0.1.0",
    }
}

/// This rule has no options.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {}

impl Rule for UnconfiguredConnectedOrganization {
    type Options = Options;

    /// An organisation whose sponsors were not exported cannot be told apart from one without
    /// sponsors (EntraExporter writes no file for an empty list): not evaluated, never passed.
    fn applicable(&self, ctx: &RuleContext<'_>) -> Result<(), String> {
        let unknown: Vec<&str> = ctx
            .snapshot
            .connected_organizations
            .values()
            .filter(|o| o.internal_sponsors.is_none())
            .map(|o| o.id.as_str())
            .collect();
        if unknown.is_empty() {
            Ok(())
        } else {
            Err(format!(
                "the internal sponsors of {} connected organisation(s) were not exported (e.g. {}); export connectedOrganizations.json with $expand=internalSponsors,externalSponsors",
                unknown.len(),
                unknown[0]
            ))
        }
    }

    fn check(&self, ctx: &RuleContext<'_>, _options: &Options, out: &mut Findings) {
        let s = ctx.snapshot;
        // Policies targeting each organisation (policy id order, deduplicated).
        let mut targeted_by: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
        for p in s.policies.values() {
            for set in &p.specific_allowed_targets {
                if let SubjectSet::ConnectedOrganizationMembers {
                    connected_organization_id,
                } = set
                {
                    let list = targeted_by
                        .entry(connected_organization_id.as_str())
                        .or_default();
                    if list.last() != Some(&p.id.as_str()) {
                        list.push(p.id.as_str());
                    }
                }
            }
        }
        for o in s.connected_organizations.values() {
            let org = quoted(o.display_name.as_deref(), &o.id);
            if o.state == Some(ConnectedOrganizationState::Proposed) {
                for &policy_id in targeted_by
                    .get(o.id.as_str())
                    .map_or(&[][..], Vec::as_slice)
                {
                    let policy = s.policies.get(policy_id);
                    let policy_name =
                        quoted(policy.and_then(|p| p.display_name.as_deref()), policy_id);
                    let package_id = policy.and_then(|p| p.access_package_id.as_deref());
                    let message = format!(
                        "Connected organization {org} is only proposed (never reviewed) but policy {policy_name} lets its users request access"
                    );
                    let mut d = ctx
                        .finding(out, organization_ref(s, &o.id), message)
                        .related(policy_ref(s, policy_id))
                        .evidence("state", "proposed")
                        .evidence("policyId", policy_id)
                        .evidence("accessPackageId", package_id)
                        .evidence(
                            "policySelfService",
                            policy.is_some_and(crate::model::AssignmentPolicy::is_self_service),
                        )
                        .key(policy_id);
                    if let Some(pkg) = package_id {
                        d = d.related(package_ref(s, pkg));
                    }
                    out.push(d);
                }
            }
            if o.internal_sponsors.as_ref().is_some_and(Vec::is_empty) {
                let message = format!("Connected organization {org} has no internal sponsor");
                let d = ctx
                    .finding(out, organization_ref(s, &o.id), message)
                    .evidence("internalSponsorCount", 0)
                    .evidence(
                        "externalSponsorCount",
                        o.external_sponsors.as_ref().map(Vec::len),
                    )
                    .evidence("state", o.state.as_ref().map(|x| x.as_str().to_owned()))
                    .evidence(
                        "targetingPolicyIds",
                        targeted_by
                            .get(o.id.as_str())
                            .map_or(&[][..], Vec::as_slice),
                    );
                out.push(d);
            }
        }
    }
}
