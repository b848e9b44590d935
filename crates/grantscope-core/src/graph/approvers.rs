//! Each approval stage's approvers resolved to users: single users, transitive group members and
//! sponsors; the requestor's manager stays symbolic because it depends on who asks.

use std::cell::OnceCell;

use serde::Serialize;

use super::{AccessGraph, UserIdx};
use crate::model::{AssignmentPolicy, ObjectKind, SubjectSet};

/// The approvers of one list (primary, fallback, escalation or fallback escalation).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApproverSet {
    /// The subject sets as configured.
    pub sets: Vec<SubjectSet>,
    /// Resolved users (single users, group members, sponsors), sorted.
    pub users: Vec<UserIdx>,
    /// `requestorManager` at this level, resolved per requestor.
    pub requestor_manager: Option<u32>,
    /// `targetUserSponsors`: the requestor's own sponsors.
    pub requestor_sponsors: bool,
    /// Users, groups or organisations referenced but absent from the export.
    pub missing: Vec<String>,
    /// Groups whose membership is known to be empty.
    pub empty_groups: Vec<String>,
    /// Groups whose membership was not exported.
    pub unresolved_groups: Vec<String>,
}

impl ApproverSet {
    #[must_use]
    pub fn is_empty(&self) -> bool {
        self.sets.is_empty()
    }
}

/// All approvers of one stage.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StageApprovers {
    pub primary: ApproverSet,
    pub fallback_primary: ApproverSet,
    pub escalation: ApproverSet,
    pub fallback_escalation: ApproverSet,
}

impl StageApprovers {
    /// Every resolved approver of the stage, sorted.
    #[must_use]
    pub fn all_users(&self) -> Vec<UserIdx> {
        let mut v: Vec<UserIdx> = [
            &self.primary,
            &self.fallback_primary,
            &self.escalation,
            &self.fallback_escalation,
        ]
        .iter()
        .flat_map(|s| s.users.iter().copied())
        .collect();
        v.sort_unstable();
        v.dedup();
        v
    }

    /// Whether any fallback or escalation approver is configured.
    #[must_use]
    pub fn has_backup(&self) -> bool {
        !self.fallback_primary.is_empty()
            || !self.escalation.is_empty()
            || !self.fallback_escalation.is_empty()
    }
}

fn sponsors(g: &AccessGraph<'_>, orgs: &[String], internal: bool, out: &mut ApproverSet) {
    let s = g.snapshot;
    let selected: Vec<&crate::model::ConnectedOrganization> = if orgs.is_empty() {
        s.connected_organizations.values().collect()
    } else {
        orgs.iter()
            .filter_map(|o| s.connected_organizations.get(o))
            .collect()
    };
    for o in selected {
        let list = if internal {
            &o.internal_sponsors
        } else {
            &o.external_sponsors
        };
        for r in list.iter().flatten() {
            if r.kind == ObjectKind::Group || s.groups.contains_key(&r.id) {
                out.users.extend_from_slice(g.group_users(&r.id));
            } else if let Some(u) = g.user_idx(&r.id) {
                out.users.push(u);
            } else if s.has(crate::model::Dataset::Users) {
                out.missing.push(format!("user:{}", r.id));
            }
        }
    }
}

/// The sponsors of every connected organisation (what `internalSponsors` / `externalSponsors`
/// resolve to when the policy names no organisation), resolved at most once per graph rather
/// than once per approver list: `[internal, external]`.
#[derive(Default)]
struct AllSponsors(OnceCell<[ApproverSet; 2]>);

impl AllSponsors {
    /// Appends exactly what `sponsors(g, &[], internal, out)` would.
    fn extend(&self, g: &AccessGraph<'_>, internal: bool, out: &mut ApproverSet) {
        let both = self.0.get_or_init(|| {
            let mut internal = ApproverSet::default();
            let mut external = ApproverSet::default();
            sponsors(g, &[], true, &mut internal);
            sponsors(g, &[], false, &mut external);
            [internal, external]
        });
        let all = &both[usize::from(!internal)];
        out.users.extend_from_slice(&all.users);
        out.missing.extend_from_slice(&all.missing);
    }
}

fn resolve_sponsors(
    g: &AccessGraph<'_>,
    all: &AllSponsors,
    orgs: &[String],
    internal: bool,
    out: &mut ApproverSet,
) {
    if orgs.is_empty() {
        all.extend(g, internal, out);
    } else {
        sponsors(g, orgs, internal, out);
    }
}

fn resolve(
    g: &AccessGraph<'_>,
    all: &AllSponsors,
    sets: &[SubjectSet],
    orgs: &[String],
) -> ApproverSet {
    let s = g.snapshot;
    let mut out = ApproverSet {
        sets: sets.to_vec(),
        ..ApproverSet::default()
    };
    for set in sets {
        match set {
            SubjectSet::SingleUser { user_id } => match g.user_idx(user_id) {
                Some(u) => out.users.push(u),
                // Only "missing" when users were exported; otherwise we cannot tell.
                None if s.has(crate::model::Dataset::Users) => {
                    out.missing.push(format!("user:{user_id}"))
                }
                None => {}
            },
            SubjectSet::GroupMembers { group_id } => {
                if !s.groups.contains_key(group_id) {
                    if s.has(crate::model::Dataset::Groups) {
                        out.missing.push(format!("group:{group_id}"));
                    } else {
                        out.unresolved_groups.push(group_id.clone());
                    }
                } else if g.membership_known(group_id) {
                    let users = g.group_users(group_id);
                    if users.is_empty() {
                        out.empty_groups.push(group_id.clone());
                    }
                    out.users.extend_from_slice(users);
                } else {
                    out.unresolved_groups.push(group_id.clone());
                }
            }
            SubjectSet::RequestorManager { manager_level } => {
                out.requestor_manager = Some(*manager_level);
            }
            SubjectSet::TargetUserSponsors => out.requestor_sponsors = true,
            SubjectSet::InternalSponsors => resolve_sponsors(g, all, orgs, true, &mut out),
            SubjectSet::ExternalSponsors => resolve_sponsors(g, all, orgs, false, &mut out),
            _ => {}
        }
    }
    out.users.sort_unstable();
    out.users.dedup();
    out
}

fn policy_approvers(
    g: &AccessGraph<'_>,
    all: &AllSponsors,
    p: &AssignmentPolicy,
) -> Vec<StageApprovers> {
    let orgs = g
        .population(&p.id)
        .map(|pop| pop.connected_organizations.clone())
        .unwrap_or_default();
    p.approval
        .iter()
        .flat_map(|a| a.stages.iter())
        .map(|st| StageApprovers {
            primary: resolve(g, all, &st.primary_approvers, &orgs),
            fallback_primary: resolve(g, all, &st.fallback_primary_approvers, &orgs),
            escalation: resolve(g, all, &st.escalation_approvers, &orgs),
            fallback_escalation: resolve(g, all, &st.fallback_escalation_approvers, &orgs),
        })
        .collect()
}

pub(crate) fn compute(g: &mut AccessGraph<'_>) {
    let s = g.snapshot;
    let sponsors = AllSponsors::default();
    let mut all = Vec::with_capacity(s.policies.len());
    for p in s.policies.values() {
        all.push((p.id.as_str(), policy_approvers(g, &sponsors, p)));
    }
    g.approvers = all.into_iter().collect();
}
