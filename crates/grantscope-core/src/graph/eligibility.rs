//! Eligible populations: who may request under each policy, resolved through nested groups, the
//! directory's members and guests, and connected organisations (whose not-yet-invited users make
//! a population "unbounded").

use std::collections::HashMap;

use serde::Serialize;

use super::{AccessGraph, NodeKind, UserIdx};
use crate::model::{AssignmentPolicy, ConnectedOrganizationState, SubjectSet, TargetScope, User};

/// The users who may request under a policy.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Population {
    pub scope: Option<TargetScope>,
    /// Every member user of the directory.
    pub all_members: bool,
    /// Every guest user of the directory.
    pub all_guests: bool,
    /// Users named or reached through groups and connected organisations, sorted.
    pub users: Vec<UserIdx>,
    pub groups: Vec<String>,
    pub connected_organizations: Vec<String>,
    /// Attribute rules (`attributeRuleMembers`) that cannot be evaluated offline.
    pub attribute_rules: Vec<String>,
    /// Subject sets that could not be resolved (missing objects or membership).
    pub unresolved: Vec<String>,
    /// People not yet in the directory can request (external scopes).
    pub unbounded_external: bool,
    /// Enabled member users in the population.
    pub members: usize,
    /// Enabled guest users in the population.
    pub guests: usize,
}

impl Population {
    #[must_use]
    pub fn contains(&self, g: &AccessGraph<'_>, u: UserIdx) -> bool {
        let user = g.user(u);
        (self.all_members && !user.is_guest())
            || (self.all_guests && user.is_guest())
            || self.users.binary_search(&u).is_ok()
    }

    /// Users from other organisations can request (RULES.md "external-reaching").
    #[must_use]
    pub fn is_external_reaching(&self) -> bool {
        self.unbounded_external || self.all_guests || self.guests > 0
    }

    /// Enabled directory users in the population.
    #[must_use]
    pub fn size(&self) -> usize {
        self.members + self.guests
    }

    /// The evidence object every eligibility finding carries.
    #[must_use]
    pub fn evidence(&self) -> serde_json::Value {
        let mut v = serde_json::json!({
            "scope": self.scope.as_ref().map(TargetScope::as_str),
            "members": self.members,
            "guests": self.guests,
            "unboundedExternal": self.unbounded_external,
            "groups": self.groups,
            "connectedOrganizations": self.connected_organizations,
            "unresolved": self.unresolved,
        });
        if !self.attribute_rules.is_empty() {
            v["attributeRules"] = serde_json::json!(self.attribute_rules);
        }
        v
    }
}

/// The domain a guest comes from: `alias_domain#EXT#@tenant` or the mail domain.
fn guest_domain(u: &User) -> Option<String> {
    if let Some(upn) = &u.user_principal_name
        && let Some((alias, _)) = upn.split_once("#EXT#")
        && let Some((_, domain)) = alias.rsplit_once('_')
    {
        return Some(domain.to_ascii_lowercase());
    }
    u.mail
        .as_deref()
        .and_then(|m| m.rsplit_once('@'))
        .map(|(_, d)| d.to_ascii_lowercase())
}

/// Indexes built once per graph so that resolving a population costs its size, not the
/// directory's: guests by home domain, subject records by connected organisation, each
/// organisation's guests (memoised) and the directory's enabled totals.
pub(crate) struct Index<'s> {
    /// Enabled-or-not guests of the directory by lower-case home domain.
    by_domain: HashMap<String, Vec<UserIdx>>,
    /// Users whose subject record names the organisation, in subject id order.
    subjects_by_org: HashMap<&'s str, Vec<UserIdx>>,
    /// `organization_guests` of each organisation asked about so far.
    org_guests: HashMap<&'s str, Vec<UserIdx>>,
    /// Enabled members and enabled guests in the whole directory.
    totals: (usize, usize),
}

impl<'s> Index<'s> {
    pub(crate) fn new(g: &AccessGraph<'s>) -> Self {
        let mut by_domain: HashMap<String, Vec<UserIdx>> = HashMap::new();
        for (i, u) in g.users.iter().enumerate() {
            if u.is_guest()
                && let Some(d) = guest_domain(u)
            {
                by_domain
                    .entry(d)
                    .or_default()
                    .push(UserIdx::try_from(i).unwrap_or(UserIdx::MAX));
            }
        }
        let mut subjects_by_org: HashMap<&str, Vec<UserIdx>> = HashMap::new();
        for sub in g.snapshot.subjects.values() {
            if let (Some(org), Some(u)) = (
                sub.connected_organization_id.as_deref(),
                sub.object_id.as_deref().and_then(|id| g.user_idx(id)),
            ) {
                subjects_by_org.entry(org).or_default().push(u);
            }
        }
        Index {
            by_domain,
            subjects_by_org,
            org_guests: HashMap::new(),
            totals: enabled_totals(g),
        }
    }

    /// Guests of the directory who belong to a connected organisation (by subject record or
    /// domain), sorted; computed once per organisation.
    fn organization_guests(&mut self, g: &AccessGraph<'s>, org: &str) -> &[UserIdx] {
        let s = g.snapshot;
        let Some((key, o)) = s.connected_organizations.get_key_value(org) else {
            return &[];
        };
        let Index {
            by_domain,
            subjects_by_org,
            org_guests,
            ..
        } = self;
        org_guests.entry(key.as_str()).or_insert_with(|| {
            let mut out: Vec<UserIdx> = subjects_by_org
                .get(org)
                .map_or(&[][..], Vec::as_slice)
                .to_vec();
            for i in &o.identity_sources {
                if let Some(d) = i.domain_name.as_deref() {
                    let d = d.to_ascii_lowercase();
                    out.extend_from_slice(by_domain.get(&d).map_or(&[], Vec::as_slice));
                }
            }
            out.sort_unstable();
            out.dedup();
            out
        })
    }
}

/// Enabled members and enabled guests in the whole directory.
fn enabled_totals(g: &AccessGraph<'_>) -> (usize, usize) {
    let guests = g
        .users
        .iter()
        .filter(|u| u.is_enabled() && u.is_guest())
        .count();
    (g.enabled_users - guests, guests)
}

fn population<'s>(g: &AccessGraph<'s>, index: &mut Index<'s>, p: &AssignmentPolicy) -> Population {
    let s = g.snapshot;
    let mut pop = Population {
        scope: p.allowed_target_scope.clone(),
        ..Population::default()
    };
    let mut orgs: Vec<String> = Vec::new();
    match p.allowed_target_scope {
        Some(TargetScope::AllMemberUsers) => pop.all_members = true,
        Some(TargetScope::AllDirectoryUsers) => {
            pop.all_members = true;
            pop.all_guests = true;
        }
        Some(TargetScope::AllExternalUsers) => {
            pop.all_guests = true;
            pop.unbounded_external = true;
        }
        Some(TargetScope::AllConfiguredConnectedOrganizationUsers) => {
            pop.unbounded_external = true;
            orgs.extend(
                s.connected_organizations
                    .values()
                    .filter(|o| o.state == Some(ConnectedOrganizationState::Configured))
                    .map(|o| o.id.clone()),
            );
        }
        Some(TargetScope::SpecificConnectedOrganizationUsers) => pop.unbounded_external = true,
        _ => {}
    }
    let specific = matches!(
        p.allowed_target_scope,
        Some(TargetScope::SpecificDirectoryUsers | TargetScope::SpecificConnectedOrganizationUsers)
    ) || p.allowed_target_scope.is_none();
    if specific {
        for set in &p.specific_allowed_targets {
            match set {
                SubjectSet::SingleUser { user_id } => match g.user_idx(user_id) {
                    Some(u) => pop.users.push(u),
                    None => pop.unresolved.push(set.describe()),
                },
                SubjectSet::GroupMembers { group_id } => {
                    pop.groups.push(group_id.clone());
                    if g.membership_known(group_id) {
                        pop.users.extend_from_slice(g.group_users(group_id));
                    } else {
                        pop.unresolved.push(set.describe());
                    }
                }
                SubjectSet::ConnectedOrganizationMembers {
                    connected_organization_id,
                } => {
                    pop.unbounded_external = true;
                    orgs.push(connected_organization_id.clone());
                }
                SubjectSet::AttributeRuleMembers { membership_rule } => {
                    pop.attribute_rules.push(membership_rule.clone());
                }
                other => pop.unresolved.push(other.describe()),
            }
        }
    }
    crate::order::sort(&mut orgs);
    orgs.dedup();
    for org in &orgs {
        pop.users
            .extend_from_slice(index.organization_guests(g, org));
    }
    pop.connected_organizations = orgs;
    pop.users.sort_unstable();
    pop.users.dedup();
    crate::order::sort(&mut pop.groups);
    pop.groups.dedup();
    // Counts in O(|explicit users|), not O(directory), per policy.
    let (all_members, all_guests) = index.totals;
    pop.members = if pop.all_members { all_members } else { 0 };
    pop.guests = if pop.all_guests { all_guests } else { 0 };
    for &u in &pop.users {
        let user = g.user(u);
        if !user.is_enabled() {
            continue;
        }
        if user.is_guest() && !pop.all_guests {
            pop.guests += 1;
        } else if !user.is_guest() && !pop.all_members {
            pop.members += 1;
        }
    }
    pop
}

pub(crate) fn compute(g: &mut AccessGraph<'_>) {
    let s = g.snapshot;
    let mut index = Index::new(g);
    let mut all = Vec::with_capacity(s.policies.len());
    for p in s.policies.values() {
        all.push((p.id.as_str(), population(g, &mut index, p)));
    }
    g.populations = all.into_iter().collect();
}

/// The explorer node a subject set points at.
pub(crate) fn subject_node(set: &SubjectSet) -> (NodeKind, String) {
    match set {
        SubjectSet::SingleUser { user_id } => (NodeKind::User, user_id.clone()),
        SubjectSet::GroupMembers { group_id } => (NodeKind::Group, group_id.clone()),
        SubjectSet::ConnectedOrganizationMembers {
            connected_organization_id,
        } => (
            NodeKind::ConnectedOrganization,
            connected_organization_id.clone(),
        ),
        SubjectSet::SingleServicePrincipal {
            service_principal_id,
        } => (NodeKind::ServicePrincipal, service_principal_id.clone()),
        other => (NodeKind::Audience, other.describe()),
    }
}

/// The explorer nodes a policy's requestor scope points at.
pub(crate) fn audience_nodes(p: &AssignmentPolicy) -> Vec<(NodeKind, String)> {
    match &p.allowed_target_scope {
        Some(
            TargetScope::SpecificDirectoryUsers | TargetScope::SpecificConnectedOrganizationUsers,
        )
        | None => p
            .specific_allowed_targets
            .iter()
            .map(subject_node)
            .collect(),
        Some(TargetScope::NotSpecified) => Vec::new(),
        Some(scope) => vec![(NodeKind::Audience, scope.as_str().to_owned())],
    }
}
