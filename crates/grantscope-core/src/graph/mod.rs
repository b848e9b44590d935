//! The access graph: users, groups, service principals, connected organisations, catalogs,
//! packages, policies and resources as a petgraph, plus the facts rules share, computed once:
//! transitive group membership (cycle-safe, expanded lazily and memoised per group), each
//! policy's eligible population, each stage's approvers resolved to users, each user's effective
//! access and assignments, and the approval-power graph whose cycles (strongly connected
//! components) are approval loops.
//!
//! Complexity (docs/COMPLEXITY.md has the details and the figures): building is linear in the
//! directory objects, references and assignments, plus the size of what it materialises — each
//! expanded group's closure once, each policy's explicit population and approver sets. Indexes
//! built here (holdings, holders, assignments per user, guests per domain, subjects per
//! organisation) let rules answer per-user and per-policy questions without rescanning the
//! assignments or the directory.

mod access;
mod approvers;
mod eligibility;
mod membership;
mod power;

pub use access::Grant;
pub use approvers::{ApproverSet, StageApprovers};
pub use eligibility::Population;
pub use power::{ApprovalEdge, ManagerLookup};

use std::collections::HashMap;

use petgraph::graph::{DiGraph, NodeIndex};
use serde::Serialize;

use crate::config::Config;
use crate::model::{Snapshot, User};

/// Index of a user in [`AccessGraph::users`] (the snapshot's id order).
pub type UserIdx = u32;

/// A node of the explorer graph.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Node {
    pub kind: NodeKind,
    pub id: String,
    pub label: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum NodeKind {
    User,
    Group,
    ServicePrincipal,
    ConnectedOrganization,
    Catalog,
    AccessPackage,
    AssignmentPolicy,
    Resource,
    /// A population that is not a directory object ("all member users", "any external user").
    Audience,
}

/// An edge of the explorer graph.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum EdgeKind {
    /// member → group (direct, or transitive when only that was exported)
    MemberOf,
    /// manager → user
    Manages,
    /// policy → subject set (user, group, organisation, audience) that may request
    EligibleVia,
    /// approver (user, group, audience) → policy
    Approves,
    /// package → resource
    Grants,
    /// user → package (active assignment)
    Holds,
    /// package → package or group it lists as incompatible
    IncompatibleWith,
    /// sponsor → user or organisation
    Sponsors,
    /// policy → package it governs
    PolicyOf,
    /// package → catalog
    InCatalog,
}

/// The access graph over one snapshot.
pub struct AccessGraph<'s> {
    pub snapshot: &'s Snapshot,
    /// Users in id order; `UserIdx` indexes this.
    pub users: Vec<&'s User>,
    user_index: HashMap<&'s str, UserIdx>,
    /// Group structure and the lazily computed transitive closures.
    membership: membership::Membership<'s>,
    /// Eligible population of each policy.
    populations: HashMap<&'s str, Population>,
    /// Approvers of each policy's stages.
    approvers: HashMap<&'s str, Vec<StageApprovers>>,
    /// What each package grants.
    grants: HashMap<&'s str, Vec<Grant>>,
    /// Packages each user holds through an active assignment, sorted.
    holdings: Vec<Vec<&'s str>>,
    /// Holders of each package, sorted.
    holders: HashMap<&'s str, Vec<UserIdx>>,
    /// Ids of each user's active assignments (with or without a package), in id order.
    active_assignments: Vec<Vec<&'s str>>,
    /// Each user's active assignments with a package as (package id, assignment id), sorted.
    active_by_package: Vec<Vec<(&'s str, &'s str)>>,
    /// How many of each user's assignments are not active.
    inactive_assignments: Vec<usize>,
    /// "Holding P gives approval power over Q" edges, sorted.
    pub approval_edges: Vec<ApprovalEdge>,
    /// Cycles of the approval-power graph (strongly connected components), each sorted.
    pub approval_cycles: Vec<Vec<String>>,
    /// Cycles in the manager chain, each sorted by user id.
    pub manager_cycles: Vec<Vec<UserIdx>>,
    /// Enabled users (members and guests) in the directory.
    pub enabled_users: usize,
    /// The explorer graph.
    pub graph: DiGraph<Node, EdgeKind>,
    /// Explorer nodes by kind and id (looked up by `&str`, without allocating).
    nodes: HashMap<NodeKind, HashMap<String, NodeIndex>>,
}

impl<'s> AccessGraph<'s> {
    /// Builds the graph and every shared fact.
    #[must_use]
    pub fn build(snapshot: &'s Snapshot, config: &Config) -> Self {
        let users: Vec<&User> = snapshot.users.values().collect();
        let user_index: HashMap<&str, UserIdx> = users
            .iter()
            .enumerate()
            .map(|(i, u)| (u.id.as_str(), UserIdx::try_from(i).unwrap_or(UserIdx::MAX)))
            .collect();
        let enabled_users = users.iter().filter(|u| u.is_enabled()).count();
        let mut g = AccessGraph {
            snapshot,
            users,
            user_index,
            membership: membership::Membership::default(),
            populations: HashMap::new(),
            approvers: HashMap::new(),
            grants: HashMap::new(),
            holdings: Vec::new(),
            holders: HashMap::new(),
            active_assignments: Vec::new(),
            active_by_package: Vec::new(),
            inactive_assignments: Vec::new(),
            approval_edges: Vec::new(),
            approval_cycles: Vec::new(),
            manager_cycles: Vec::new(),
            enabled_users,
            graph: DiGraph::new(),
            nodes: HashMap::new(),
        };
        membership::compute(&mut g);
        access::compute(&mut g, config);
        eligibility::compute(&mut g);
        approvers::compute(&mut g);
        power::compute(&mut g);
        g.build_explorer();
        g
    }

    /// The index of a user id, if the user is in the export.
    #[must_use]
    pub fn user_idx(&self, id: &str) -> Option<UserIdx> {
        self.user_index.get(id).copied()
    }

    /// The user at an index.
    #[must_use]
    pub fn user(&self, idx: UserIdx) -> &'s User {
        self.users[idx as usize]
    }

    /// Transitive user members of a group (empty when unknown or empty).
    #[must_use]
    pub fn group_users(&self, group: &str) -> &[UserIdx] {
        self.membership
            .closure(group)
            .map_or(&[], |c| c.users.as_slice())
    }

    /// Whether the export says who is in the group (its direct or transitive members were
    /// exported). A dynamic group's rule alone does not count: it cannot be evaluated offline.
    #[must_use]
    pub fn membership_known(&self, group: &str) -> bool {
        self.snapshot
            .groups
            .get(group)
            .is_some_and(|g| g.members.is_some() || g.transitive_members.is_some())
    }

    /// Groups a group contains, transitively.
    #[must_use]
    pub fn group_descendants(&self, group: &str) -> &[&'s str] {
        self.membership
            .closure(group)
            .map_or(&[], |c| c.descendants.as_slice())
    }

    /// Whether `user` is a transitive member of `group`.
    #[must_use]
    pub fn is_member(&self, user: UserIdx, group: &str) -> bool {
        self.group_users(group).binary_search(&user).is_ok()
    }

    /// The eligible population of a policy.
    #[must_use]
    pub fn population(&self, policy: &str) -> Option<&Population> {
        self.populations.get(policy)
    }

    /// The resolved approvers of each stage of a policy.
    #[must_use]
    pub fn stage_approvers(&self, policy: &str) -> &[StageApprovers] {
        self.approvers.get(policy).map_or(&[], Vec::as_slice)
    }

    /// What a package grants (resource roles, resolved to resources where possible).
    #[must_use]
    pub fn grants(&self, package: &str) -> &[Grant] {
        self.grants.get(package).map_or(&[], Vec::as_slice)
    }

    /// Whether a package grants a privileged resource.
    #[must_use]
    pub fn is_privileged_package(&self, package: &str) -> bool {
        self.grants(package).iter().any(|g| g.privileged)
    }

    /// Packages a user holds through active assignments.
    #[must_use]
    pub fn holdings(&self, user: UserIdx) -> &[&'s str] {
        self.holdings.get(user as usize).map_or(&[], Vec::as_slice)
    }

    /// Users holding a package through active assignments.
    #[must_use]
    pub fn holders(&self, package: &str) -> &[UserIdx] {
        self.holders.get(package).map_or(&[], Vec::as_slice)
    }

    /// Ids of the active assignments that target a user, in id order (including those that do
    /// not name their package).
    #[must_use]
    pub fn active_assignments(&self, user: UserIdx) -> &[&'s str] {
        self.active_assignments
            .get(user as usize)
            .map_or(&[], Vec::as_slice)
    }

    /// Ids of a user's active assignments to one package, in id order.
    #[must_use]
    pub fn active_assignments_to(&self, user: UserIdx, package: &str) -> Vec<&'s str> {
        let list = self
            .active_by_package
            .get(user as usize)
            .map_or(&[][..], Vec::as_slice);
        let start = list.partition_point(|(p, _)| *p < package);
        list[start..]
            .iter()
            .take_while(|(p, _)| *p == package)
            .map(|(_, id)| *id)
            .collect()
    }

    /// How many of the assignments that target a user are not active (expired, failed…).
    #[must_use]
    pub fn inactive_assignments(&self, user: UserIdx) -> usize {
        self.inactive_assignments
            .get(user as usize)
            .copied()
            .unwrap_or(0)
    }

    /// The manager `level` steps up from `user`.
    #[must_use]
    pub fn manager_of(&self, user: UserIdx, level: u32) -> ManagerLookup {
        power::manager_of(self, user, level)
    }

    /// The explorer node of an entity.
    #[must_use]
    pub fn node(&self, kind: NodeKind, id: &str) -> Option<NodeIndex> {
        self.nodes.get(&kind).and_then(|m| m.get(id)).copied()
    }

    fn add_node(&mut self, kind: NodeKind, id: &str, label: Option<&str>) -> NodeIndex {
        if let Some(ix) = self.node(kind, id) {
            return ix;
        }
        let ix = self.graph.add_node(Node {
            kind,
            id: id.to_owned(),
            label: label.unwrap_or(id).to_owned(),
        });
        self.nodes
            .entry(kind)
            .or_default()
            .insert(id.to_owned(), ix);
        ix
    }

    fn edge(&mut self, from: (NodeKind, &str), to: (NodeKind, &str), kind: EdgeKind) {
        let a = self.add_node(from.0, from.1, None);
        let b = self.add_node(to.0, to.1, None);
        self.graph.add_edge(a, b, kind);
    }

    /// Builds the explorer graph from the snapshot and the computed facts.
    fn build_explorer(&mut self) {
        let s = self.snapshot;
        for u in s.users.values() {
            self.add_node(NodeKind::User, &u.id, u.display_name.as_deref());
        }
        for gr in s.groups.values() {
            self.add_node(NodeKind::Group, &gr.id, gr.display_name.as_deref());
        }
        for sp in s.service_principals.values() {
            self.add_node(
                NodeKind::ServicePrincipal,
                &sp.id,
                sp.display_name.as_deref(),
            );
        }
        for o in s.connected_organizations.values() {
            self.add_node(
                NodeKind::ConnectedOrganization,
                &o.id,
                o.display_name.as_deref(),
            );
        }
        for c in s.catalogs.values() {
            self.add_node(NodeKind::Catalog, &c.id, c.display_name.as_deref());
        }
        for r in s.resources.values() {
            self.add_node(NodeKind::Resource, &r.id, r.display_name.as_deref());
        }
        for p in s.access_packages.values() {
            self.add_node(NodeKind::AccessPackage, &p.id, p.display_name.as_deref());
        }
        for p in s.policies.values() {
            self.add_node(NodeKind::AssignmentPolicy, &p.id, p.display_name.as_deref());
        }
        for gr in s.groups.values() {
            let members = gr.members.as_ref().or(gr.transitive_members.as_ref());
            for m in members.into_iter().flatten() {
                let kind = match m.kind {
                    crate::model::ObjectKind::Group => NodeKind::Group,
                    crate::model::ObjectKind::ServicePrincipal => NodeKind::ServicePrincipal,
                    _ => NodeKind::User,
                };
                self.edge((kind, &m.id), (NodeKind::Group, &gr.id), EdgeKind::MemberOf);
            }
        }
        for u in s.users.values() {
            if let Some(m) = &u.manager_id {
                self.edge(
                    (NodeKind::User, m),
                    (NodeKind::User, &u.id),
                    EdgeKind::Manages,
                );
            }
            for sp in u.sponsors.iter().flatten() {
                let kind = if sp.kind == crate::model::ObjectKind::Group {
                    NodeKind::Group
                } else {
                    NodeKind::User
                };
                self.edge((kind, &sp.id), (NodeKind::User, &u.id), EdgeKind::Sponsors);
            }
        }
        for o in s.connected_organizations.values() {
            for sp in o
                .internal_sponsors
                .iter()
                .chain(o.external_sponsors.iter())
                .flatten()
            {
                let kind = if sp.kind == crate::model::ObjectKind::Group {
                    NodeKind::Group
                } else {
                    NodeKind::User
                };
                self.edge(
                    (kind, &sp.id),
                    (NodeKind::ConnectedOrganization, &o.id),
                    EdgeKind::Sponsors,
                );
            }
        }
        for p in s.access_packages.values() {
            if let Some(c) = &p.catalog_id {
                self.edge(
                    (NodeKind::AccessPackage, &p.id),
                    (NodeKind::Catalog, c),
                    EdgeKind::InCatalog,
                );
            }
            let resources: Vec<String> = self
                .grants(&p.id)
                .iter()
                .filter_map(|g| g.resource_id.clone())
                .collect();
            for r in resources {
                self.edge(
                    (NodeKind::AccessPackage, &p.id),
                    (NodeKind::Resource, &r),
                    EdgeKind::Grants,
                );
            }
            for q in p.incompatible_access_packages.iter().flatten() {
                self.edge(
                    (NodeKind::AccessPackage, &p.id),
                    (NodeKind::AccessPackage, q),
                    EdgeKind::IncompatibleWith,
                );
            }
            for q in p.incompatible_groups.iter().flatten() {
                self.edge(
                    (NodeKind::AccessPackage, &p.id),
                    (NodeKind::Group, q),
                    EdgeKind::IncompatibleWith,
                );
            }
        }
        for p in s.policies.values() {
            if let Some(pkg) = &p.access_package_id {
                self.edge(
                    (NodeKind::AssignmentPolicy, &p.id),
                    (NodeKind::AccessPackage, pkg),
                    EdgeKind::PolicyOf,
                );
            }
            for target in eligibility::audience_nodes(p) {
                self.edge(
                    (NodeKind::AssignmentPolicy, &p.id),
                    (target.0, &target.1),
                    EdgeKind::EligibleVia,
                );
            }
            for stage in &p
                .approval
                .as_ref()
                .map(|a| a.stages.clone())
                .unwrap_or_default()
            {
                for set in stage
                    .primary_approvers
                    .iter()
                    .chain(&stage.fallback_primary_approvers)
                    .chain(&stage.escalation_approvers)
                    .chain(&stage.fallback_escalation_approvers)
                {
                    let (kind, id) = eligibility::subject_node(set);
                    self.edge(
                        (kind, &id),
                        (NodeKind::AssignmentPolicy, &p.id),
                        EdgeKind::Approves,
                    );
                }
            }
        }
        for (i, held) in self.holdings.clone().into_iter().enumerate() {
            let uid = self.users[i].id.clone();
            for pkg in held {
                self.edge(
                    (NodeKind::User, &uid),
                    (NodeKind::AccessPackage, pkg),
                    EdgeKind::Holds,
                );
            }
        }
    }
}
