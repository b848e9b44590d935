use std::collections::{BTreeSet, HashMap};

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{MAX_LISTED, user_json, user_name};
use crate::declare_rule;
use crate::graph::{AccessGraph, ApprovalEdge, UserIdx};
use crate::model::{AssignmentPolicy, Dataset, SubjectSet};
use crate::rules::{Findings, Rule, RuleContext, group_ref, package_ref, policy_ref, user_ref};

declare_rule! {
    /// ## What it does
    /// Finds cycles in the "gives approval power over" graph: holding access package P makes a
    /// user a member of a group (directly or through nesting) that approves requests for package
    /// Q, and so on back to P. The shortest loop is a package that grants membership in its own
    /// approver group. Cycles are the strongly connected components of that graph; the evidence
    /// gives the edges (package → granted group → approver group → policy → package).
    ///
    /// It also flags cycles in the manager chain (A's manager is B, B's manager is A, or a user
    /// who is their own manager) when a policy that approves by `requestorManager` has someone
    /// on the cycle in its eligible population.
    ///
    /// ## Why is this risky?
    /// Whoever gets into such a loop approves the access that keeps them in it: the approvers of
    /// the package are its own holders, so the approval never brings in an outsider and the
    /// group can grow itself. A manager cycle makes people each other's approvers, so requests go
    /// round the loop instead of up to someone accountable.
    ///
    /// ## Example
    /// ```json
    /// {
    ///   "accessPackage": { "id": "<P>", "resourceRoleScopes": [{ "role": { "originId": "Member_<group G>" } }] },
    ///   "policy of P": { "stages": [{ "primaryApprovers": [
    ///     { "@odata.type": "#microsoft.graph.groupMembers", "groupId": "<group G>" }
    ///   ] }] }
    /// }
    /// ```
    ///
    /// ## Remediation
    /// In the Entra admin center, open Identity Governance → Entitlement management → Access
    /// packages → the package → Policies → Edit → Requests and choose an approver group that no
    /// package in the cycle grants; or remove the group from the package's resource roles. For
    /// a manager cycle, correct the manager attribute of the users in the chain.
    ///
    /// ## References
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-access-package-approval-policy
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-access-package-resources
    /// - https://learn.microsoft.com/graph/api/resources/requestormanager
    pub ApprovalCycle {
        id: "GS203",
        name: "approval-cycle",
        category: Approval,
        severity: High,
        summary: "Holding an access package leads, through approver groups or managers, back to approving it",
        remediation: "Break the cycle: approve with a group that no package in the cycle grants, or correct the manager chain",
        needs: [AssignmentPolicies],
        since: "0.1.0",
    }
}

/// This rule has no options.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {}

fn package_name<'s>(ctx: &RuleContext<'s>, id: &'s str) -> &'s str {
    ctx.snapshot
        .access_packages
        .get(id)
        .and_then(|p| p.display_name.as_deref())
        .unwrap_or(id)
}

fn edge_json(e: &ApprovalEdge) -> Value {
    json!({
        "fromPackage": e.from_package,
        "viaGroup": e.via_group,
        "approverGroup": e.approver_group,
        "policy": e.policy,
        "toPackage": e.to_package,
    })
}

fn package_cycles(ctx: &RuleContext<'_>, out: &mut Findings) {
    let s = ctx.snapshot;
    let g = ctx.graph;
    // Each package is in at most one cycle (strongly connected component): one pass over the
    // edges hands every cycle the edges inside it, in edge order.
    let mut cycle_of: HashMap<&str, usize> = HashMap::new();
    for (i, cycle) in g.approval_cycles.iter().enumerate() {
        for p in cycle {
            cycle_of.insert(p.as_str(), i);
        }
    }
    let mut inside: Vec<Vec<&ApprovalEdge>> = vec![Vec::new(); g.approval_cycles.len()];
    for e in &g.approval_edges {
        if let (Some(&a), Some(&b)) = (
            cycle_of.get(e.from_package.as_str()),
            cycle_of.get(e.to_package.as_str()),
        ) && a == b
        {
            inside[a].push(e);
        }
    }
    for (cycle, edges) in g.approval_cycles.iter().zip(inside) {
        // Subject: the first policy (by id) governing the first package of the cycle that one of
        // the cycle's edges leads to.
        let Some(subject) = cycle.iter().find_map(|pkg| {
            edges
                .iter()
                .filter(|e| &e.to_package == pkg)
                .map(|e| e.policy.as_str())
                .min()
        }) else {
            continue;
        };
        let message = match cycle.as_slice() {
            [only] => format!(
                "Access package \"{}\" grants membership in a group that approves its own requests",
                package_name(ctx, only)
            ),
            _ => {
                let names: Vec<String> = cycle
                    .iter()
                    .map(|p| format!("\"{}\"", package_name(ctx, p)))
                    .collect();
                format!(
                    "Holders of access packages {} approve each other's requests in a cycle",
                    and_list(&names)
                )
            }
        };
        let packages: Vec<Value> = cycle
            .iter()
            .map(|p| json!({ "id": p, "displayName": s.access_packages.get(p).and_then(|x| x.display_name.clone()) }))
            .collect();
        let mut draft = ctx
            .finding(out, policy_ref(s, subject), message)
            .evidence("kind", "approverGroup")
            .evidence("length", cycle.len())
            .evidence("packages", packages)
            .evidence(
                "edges",
                edges.iter().map(|e| edge_json(e)).collect::<Vec<_>>(),
            );
        for p in cycle {
            draft = draft.related(package_ref(s, p)).key(p.clone());
        }
        let mut groups: BTreeSet<&str> = BTreeSet::new();
        let mut policies: BTreeSet<&str> = BTreeSet::new();
        for e in &edges {
            groups.insert(&e.via_group);
            groups.insert(&e.approver_group);
            policies.insert(&e.policy);
        }
        for gr in groups {
            draft = draft.related(group_ref(s, gr));
        }
        for p in policies.into_iter().filter(|p| *p != subject) {
            draft = draft.related(policy_ref(s, p));
        }
        out.push(draft);
    }
}

fn uses_manager_approval(p: &AssignmentPolicy) -> bool {
    p.approval.as_ref().is_some_and(|a| {
        a.required_for_add
            && a.stages.iter().any(|st| {
                st.primary_approvers
                    .iter()
                    .chain(&st.fallback_primary_approvers)
                    .chain(&st.escalation_approvers)
                    .chain(&st.fallback_escalation_approvers)
                    .any(|set| matches!(set, SubjectSet::RequestorManager { .. }))
            })
    })
}

/// The cycle walked from its first user along `manager`, at most `len` steps.
fn chain(g: &AccessGraph<'_>, cycle: &[UserIdx]) -> Vec<UserIdx> {
    let Some(&start) = cycle.first() else {
        return Vec::new();
    };
    let mut out = vec![start];
    let mut current = start;
    for _ in 0..cycle.len() {
        let next = g
            .user(current)
            .manager_id
            .as_deref()
            .and_then(|m| g.user_idx(m));
        match next {
            Some(n) if cycle.binary_search(&n).is_ok() => {
                out.push(n);
                if n == start {
                    break;
                }
                current = n;
            }
            _ => break,
        }
    }
    out
}

fn manager_cycles(ctx: &RuleContext<'_>, out: &mut Findings) {
    let s = ctx.snapshot;
    let g = ctx.graph;
    if g.manager_cycles.is_empty() {
        return;
    }
    let manager_policies: Vec<&AssignmentPolicy> = s
        .policies
        .values()
        .filter(|p| uses_manager_approval(p))
        .collect();
    // Which of those policies a user is eligible under, without testing every policy against
    // every cycle: broad scopes by user type, named users through an index.
    let mut all_members: Vec<usize> = Vec::new();
    let mut all_guests: Vec<usize> = Vec::new();
    let mut named: HashMap<UserIdx, Vec<usize>> = HashMap::new();
    for (i, p) in manager_policies.iter().enumerate() {
        let Some(pop) = g.population(&p.id) else {
            continue;
        };
        if pop.all_members {
            all_members.push(i);
        }
        if pop.all_guests {
            all_guests.push(i);
        }
        for &u in &pop.users {
            named.entry(u).or_default().push(i);
        }
    }
    for cycle in &g.manager_cycles {
        // `Population::contains`, turned around: the policies some user of the cycle is in.
        let mut matched: Vec<usize> = Vec::new();
        if cycle.iter().any(|&u| !g.user(u).is_guest()) {
            matched.extend_from_slice(&all_members);
        }
        if cycle.iter().any(|&u| g.user(u).is_guest()) {
            matched.extend_from_slice(&all_guests);
        }
        for u in cycle {
            matched.extend_from_slice(named.get(u).map_or(&[][..], Vec::as_slice));
        }
        matched.sort_unstable();
        matched.dedup();
        let policies: Vec<&AssignmentPolicy> =
            matched.into_iter().map(|i| manager_policies[i]).collect();
        let Some(&first) = cycle.first() else {
            continue;
        };
        if policies.is_empty() {
            continue;
        }
        let walk = chain(g, cycle);
        let names: Vec<&str> = walk.iter().map(|&u| user_name(g.user(u))).collect();
        let message = if cycle.len() == 1 {
            format!(
                "{} is their own manager, and {} by the requestor's manager",
                names.first().copied().unwrap_or_default(),
                policy_count(policies.len())
            )
        } else {
            format!(
                "The manager chain {} is a cycle, and {} by the requestor's manager",
                names.join(" → "),
                policy_count(policies.len())
            )
        };
        let mut draft = ctx
            .finding(out, user_ref(s, &g.user(first).id), message)
            .evidence("kind", "manager")
            .evidence("length", cycle.len())
            .evidence(
                "chain",
                walk.iter().map(|&u| user_json(g, u)).collect::<Vec<_>>(),
            )
            .evidence(
                "policies",
                json!({
                    "total": policies.len(),
                    "ids": policies.iter().take(MAX_LISTED).map(|p| p.id.as_str()).collect::<Vec<_>>(),
                }),
            );
        for &u in cycle {
            let id = &g.user(u).id;
            draft = draft.related(user_ref(s, id)).key(id.clone());
        }
        for p in policies.iter().take(MAX_LISTED) {
            draft = draft.related(policy_ref(s, &p.id));
        }
        out.push(draft);
    }
}

/// "1 policy approves" / "3 policies approve".
fn policy_count(n: usize) -> String {
    if n == 1 {
        "1 policy approves".to_owned()
    } else {
        format!("{n} policies approve")
    }
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

impl Rule for ApprovalCycle {
    type Options = Options;

    fn applicable(&self, ctx: &RuleContext<'_>) -> Result<(), String> {
        let s = ctx.snapshot;
        if s.has(Dataset::ResourceRoleScopes) || s.has(Dataset::Managers) {
            Ok(())
        } else {
            Err("needs what packages grant (accessPackages.json with $expand=resourceRoleScopes($expand=role,scope)) or the users' managers (managers.json)".to_owned())
        }
    }

    fn check(&self, ctx: &RuleContext<'_>, _options: &Options, out: &mut Findings) {
        package_cycles(ctx, out);
        manager_cycles(ctx, out);
    }
}
