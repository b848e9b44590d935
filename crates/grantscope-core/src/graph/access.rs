//! Effective access: what each package grants (resource roles resolved to resources and, for
//! groups, to the group object) and who holds which package through an active assignment.

use std::collections::HashMap;

use serde::Serialize;

use super::{AccessGraph, UserIdx};
use crate::config::Config;
use crate::model::{Resource, ResourceRoleScope, Snapshot};

/// One resource role a package grants.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Grant {
    pub role_scope_id: String,
    pub resource_id: Option<String>,
    pub resource_name: Option<String>,
    pub origin_system: Option<String>,
    /// For group resources: the group whose membership (or ownership) is granted.
    pub group_id: Option<String>,
    pub role_name: Option<String>,
    pub privileged: bool,
    /// Why the resource counts as privileged.
    pub privileged_reason: Option<String>,
}

impl Grant {
    /// Whether this grant makes the holder a member (not only an owner) of `group`.
    #[must_use]
    pub fn is_membership_of(&self, group: &str) -> bool {
        self.group_id.as_deref() == Some(group)
            && self
                .role_name
                .as_deref()
                .is_none_or(|r| r.eq_ignore_ascii_case("Member"))
    }

    /// Names this grant answers to in configuration: resource id and name, group id, role.
    fn names(&self) -> Vec<String> {
        let mut v = Vec::new();
        v.extend(self.resource_id.clone());
        v.extend(self.resource_name.clone());
        v.extend(self.group_id.clone());
        if let (Some(r), Some(role)) = (&self.resource_name, &self.role_name) {
            v.push(format!("{r}/{role}"));
        }
        v
    }

    /// Whether a configured name (resource display name or id, group id, `Resource/Role`) matches.
    #[must_use]
    pub fn matches(&self, name: &str) -> bool {
        self.names().iter().any(|n| n.eq_ignore_ascii_case(name))
    }
}

fn is_group_system(s: Option<&str>) -> bool {
    s.is_some_and(|s| s.eq_ignore_ascii_case("AadGroup"))
}

fn resolve_resource<'s>(
    s: &'s Snapshot,
    by_origin: &HashMap<&'s str, &'s Resource>,
    rs: &ResourceRoleScope,
) -> Option<&'s Resource> {
    let role = rs.role.as_ref();
    let scope = rs.scope.as_ref();
    role.and_then(|r| r.resource_id.as_deref())
        .or_else(|| scope.and_then(|sc| sc.resource_id.as_deref()))
        .and_then(|id| s.resources.get(id))
        .or_else(|| {
            scope
                .and_then(|sc| sc.origin_id.as_deref())
                .and_then(|o| by_origin.get(o).copied())
        })
        .or_else(|| {
            role.and_then(|r| r.origin_id.as_deref())
                .and_then(|o| o.split_once('_'))
                .and_then(|(_, o)| by_origin.get(o).copied())
        })
}

fn grant(
    s: &Snapshot,
    by_origin: &HashMap<&str, &Resource>,
    config: &Config,
    rs: &ResourceRoleScope,
) -> Grant {
    let resource = resolve_resource(s, by_origin, rs);
    let role = rs.role.as_ref();
    let origin_system = resource
        .and_then(|r| r.origin_system.clone())
        .or_else(|| role.and_then(|r| r.origin_system.clone()));
    let group_id = if is_group_system(origin_system.as_deref()) {
        resource
            .and_then(|r| r.origin_id.clone())
            .or_else(|| rs.scope.as_ref().and_then(|sc| sc.origin_id.clone()))
            .or_else(|| {
                role.and_then(|r| r.origin_id.as_deref())
                    .and_then(|o| o.split_once('_'))
                    .map(|(_, g)| g.to_owned())
            })
    } else {
        None
    };
    let mut g = Grant {
        role_scope_id: rs.id.clone(),
        resource_id: resource.map(|r| r.id.clone()),
        resource_name: resource.and_then(|r| r.display_name.clone()).or_else(|| {
            group_id
                .as_ref()
                .and_then(|id| s.groups.get(id))
                .and_then(|g| g.display_name.clone())
        }),
        origin_system,
        group_id,
        role_name: role.and_then(|r| r.display_name.clone()),
        privileged: false,
        privileged_reason: None,
    };
    let group = g.group_id.as_ref().and_then(|id| s.groups.get(id));
    let reason = if group.is_some_and(|gr| gr.is_assignable_to_role == Some(true)) {
        Some("role-assignable group".to_owned())
    } else if g
        .role_name
        .as_deref()
        .is_some_and(|r| r.eq_ignore_ascii_case("Owner"))
    {
        Some("Owner role".to_owned())
    } else {
        config
            .privileged_resources
            .matches
            .iter()
            .find(|m| {
                g.matches(m)
                    || group
                        .and_then(|gr| gr.display_name.as_deref())
                        .is_some_and(|n| n.eq_ignore_ascii_case(m))
            })
            .map(|m| format!("matches privileged-resources entry `{m}`"))
    };
    g.privileged = reason.is_some();
    g.privileged_reason = reason;
    g
}

pub(crate) fn compute(g: &mut AccessGraph<'_>, config: &Config) {
    let s = g.snapshot;
    let by_origin: HashMap<&str, &Resource> = s
        .resources
        .values()
        .filter_map(|r| r.origin_id.as_deref().map(|o| (o, r)))
        .collect();
    for p in s.access_packages.values() {
        let mut grants: Vec<Grant> = p
            .resource_role_scopes
            .iter()
            .flatten()
            .map(|rs| grant(s, &by_origin, config, rs))
            .collect();
        crate::order::sort(&mut grants);
        grants.dedup();
        g.grants.insert(p.id.as_str(), grants);
    }
    // One pass over the assignments gives what rules would otherwise each rebuild: who holds
    // what, and which assignments (active or not) each user has.
    let n = g.users.len();
    let mut holdings: Vec<Vec<&str>> = vec![Vec::new(); n];
    let mut holders: HashMap<&str, Vec<UserIdx>> = HashMap::new();
    let mut active: Vec<Vec<&str>> = vec![Vec::new(); n];
    let mut active_by_package: Vec<Vec<(&str, &str)>> = vec![Vec::new(); n];
    let mut inactive: Vec<usize> = vec![0; n];
    // `assignments` is a BTreeMap: ids arrive sorted.
    for a in s.assignments.values() {
        let Some(u) = a
            .target_object_id
            .as_deref()
            .and_then(|user| g.user_index.get(user).copied())
        else {
            continue;
        };
        if !a.is_active() {
            inactive[u as usize] += 1;
            continue;
        }
        active[u as usize].push(a.id.as_str());
        let Some(pkg) = a.access_package_id.as_deref() else {
            continue;
        };
        holdings[u as usize].push(pkg);
        holders.entry(pkg).or_default().push(u);
        active_by_package[u as usize].push((pkg, a.id.as_str()));
    }
    for h in &mut holdings {
        h.sort_unstable();
        h.dedup();
    }
    for list in &mut active_by_package {
        list.sort_unstable();
    }
    // Sorting each list in place: the visiting order cannot reach any output.
    #[allow(clippy::iter_over_hash_type)]
    for list in holders.values_mut() {
        list.sort_unstable();
        list.dedup();
    }
    g.holdings = holdings;
    g.holders = holders;
    g.active_assignments = active;
    g.active_by_package = active_by_package;
    g.inactive_assignments = inactive;
}
