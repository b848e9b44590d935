//! The approval-power graph ("holding package P puts you in a group that approves package Q")
//! and the manager chain, with their cycles found as strongly connected components.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use petgraph::algo::kosaraju_scc;
use petgraph::graph::DiGraph;
use serde::Serialize;

use super::{AccessGraph, UserIdx};
use crate::model::SubjectSet;

/// One edge of the approval-power graph, with the path that proves it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApprovalEdge {
    /// The package whose holders gain approval power.
    pub from_package: String,
    /// The group membership that package grants.
    pub via_group: String,
    /// The approver group of the other policy (the granted group or a group containing it).
    pub approver_group: String,
    pub policy: String,
    /// The package that policy governs.
    pub to_package: String,
}

/// The result of walking up the manager chain.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ManagerLookup {
    Found(UserIdx),
    /// The export says this user has no manager.
    NoManager,
    /// The manager's id is not among the exported users (deleted, or not exported).
    Missing,
    /// Managers were not exported for this user.
    Unknown,
}

pub(crate) fn manager_of(g: &AccessGraph<'_>, user: UserIdx, level: u32) -> ManagerLookup {
    let mut current = user;
    for _ in 0..level.max(1) {
        let u = g.user(current);
        if !u.manager_known {
            return ManagerLookup::Unknown;
        }
        match u.manager_id.as_deref() {
            None => return ManagerLookup::NoManager,
            Some(m) => match g.user_idx(m) {
                Some(ix) => current = ix,
                None => return ManagerLookup::Missing,
            },
        }
    }
    ManagerLookup::Found(current)
}

fn cycles<N: Clone + Ord>(graph: &DiGraph<N, ()>) -> Vec<Vec<N>> {
    // Kosaraju, not Tarjan: petgraph's Tarjan recurses once per node of a path, so a chain of
    // 100,000 managers overflowed the stack; Kosaraju walks with explicit stacks.
    let mut out: Vec<Vec<N>> = kosaraju_scc(graph)
        .into_iter()
        .filter(|scc| scc.len() > 1 || graph.contains_edge(scc[0], scc[0]))
        .map(|scc| {
            let mut v: Vec<N> = scc.iter().map(|ix| graph[*ix].clone()).collect();
            crate::order::sort(&mut v);
            v
        })
        .collect();
    crate::order::sort(&mut out);
    out
}

pub(crate) fn compute(g: &mut AccessGraph<'_>) {
    let s = g.snapshot;
    // Which packages grant membership of which group.
    let mut granting: HashMap<&str, Vec<&str>> = HashMap::new();
    for p in s.access_packages.values() {
        for grant in g.grants(&p.id) {
            if let Some(group) = grant.group_id.as_deref()
                && grant.is_membership_of(group)
            {
                granting
                    .entry(
                        s.groups
                            .get_key_value(group)
                            .map_or(group, |(k, _)| k.as_str()),
                    )
                    .or_default()
                    .push(p.id.as_str());
            }
        }
    }
    let mut edges: BTreeSet<ApprovalEdge> = BTreeSet::new();
    for q in s.policies.values() {
        let Some(to_package) = q.access_package_id.as_deref() else {
            continue;
        };
        for stage in q.approval.iter().flat_map(|a| a.stages.iter()) {
            let sets = stage
                .primary_approvers
                .iter()
                .chain(&stage.fallback_primary_approvers)
                .chain(&stage.escalation_approvers)
                .chain(&stage.fallback_escalation_approvers);
            for set in sets {
                let SubjectSet::GroupMembers { group_id } = set else {
                    continue;
                };
                let mut inside: Vec<&str> = vec![group_id.as_str()];
                inside.extend_from_slice(g.group_descendants(group_id));
                for via in inside {
                    for from in granting.get(via).into_iter().flatten() {
                        edges.insert(ApprovalEdge {
                            from_package: (*from).to_owned(),
                            via_group: via.to_owned(),
                            approver_group: group_id.clone(),
                            policy: q.id.clone(),
                            to_package: to_package.to_owned(),
                        });
                    }
                }
            }
        }
    }
    let mut graph: DiGraph<String, ()> = DiGraph::new();
    let mut ix: BTreeMap<&str, petgraph::graph::NodeIndex> = BTreeMap::new();
    for e in &edges {
        for p in [&e.from_package, &e.to_package] {
            if !ix.contains_key(p.as_str()) {
                ix.insert(p.as_str(), graph.add_node(p.clone()));
            }
        }
        graph.update_edge(ix[e.from_package.as_str()], ix[e.to_package.as_str()], ());
    }
    g.approval_cycles = cycles(&graph);
    g.approval_edges = edges.into_iter().collect();

    let mut managers: DiGraph<UserIdx, ()> = DiGraph::new();
    let nodes: Vec<_> = (0..g.users.len())
        .map(|i| managers.add_node(UserIdx::try_from(i).unwrap_or(UserIdx::MAX)))
        .collect();
    for (i, u) in g.users.iter().enumerate() {
        if let Some(m) = u.manager_id.as_deref().and_then(|m| g.user_idx(m)) {
            managers.add_edge(nodes[i], nodes[m as usize], ());
        }
    }
    g.manager_cycles = cycles(&managers);
}
