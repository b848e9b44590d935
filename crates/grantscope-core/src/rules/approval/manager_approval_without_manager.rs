use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::{MAX_LISTED, accepts_requests, policy_label, usability, usability_json};
use crate::declare_rule;
use crate::graph::{AccessGraph, ManagerLookup, Population, UserIdx};
use crate::model::SubjectSet;
use crate::rules::{Findings, Rule, RuleContext, package_ref, policy_ref, user_ref};

declare_rule! {
    /// ## What it does
    /// Flags an approval stage whose primary approver is the requestor's manager
    /// (`requestorManager`, at its `managerLevel`) and that has no usable fallback primary
    /// approver, when the policy's eligible population contains users for whom that manager
    /// does not work: enabled users with no manager, whose manager is deleted (not in the
    /// directory) or disabled, or who are their own manager (directly or two levels up). External
    /// users who are not in the directory yet (connected-organisation scopes) have no manager
    /// either. The evidence lists these users with the reason.
    ///
    /// With the managers export, a user the export lists without a `manager` counts as having
    /// none (Graph omits the property for users without a manager).
    ///
    /// ## Why is this risky?
    /// A request from someone without a manager goes to nobody and times out, or — the classic —
    /// the CEO's request routes to the CEO. Admins then "fix" it by assigning directly, outside any
    /// approval. Microsoft recommends always adding a fallback approver with manager approval.
    ///
    /// ## Example
    /// ```json
    /// { "stages": [{
    ///   "primaryApprovers": [{ "@odata.type": "#microsoft.graph.requestorManager", "managerLevel": 1 }],
    ///   "fallbackPrimaryApprovers": []
    /// }] }
    /// ```
    ///
    /// ## Remediation
    /// In the Entra admin center, open Identity Governance → Entitlement management → Access
    /// packages → the package → Policies → the policy → Edit → Requests, and under the "Manager
    /// as approver" stage add a fallback approver (a user or group). Fix the manager attribute of
    /// the listed users.
    ///
    /// ## References
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-access-package-approval-policy
    /// - https://learn.microsoft.com/graph/api/resources/requestormanager
    pub ManagerApprovalWithoutManager {
        id: "GS202",
        name: "manager-approval-without-manager",
        category: Approval,
        severity: High,
        summary: "Manager approval without a fallback approver while eligible users have no usable manager",
        remediation: "Add a fallback approver to every stage that approves by the requestor's manager, and fix the manager of the listed users (Entitlement management → Access packages → Policies → Requests)",
        needs: [AssignmentPolicies, Users, Managers],
        since: "0.1.0",
    }
}

/// This rule has no options.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {}

/// Why a user's manager at some level cannot approve.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Problem {
    NoManager,
    NotRecorded,
    Deleted,
    Disabled,
    Self_,
}

impl Problem {
    fn as_str(self) -> &'static str {
        match self {
            Problem::NoManager => "noManager",
            Problem::NotRecorded => "noManagerInExport",
            Problem::Deleted => "managerDeleted",
            Problem::Disabled => "managerDisabled",
            Problem::Self_ => "ownManager",
        }
    }
}

fn problem(g: &AccessGraph<'_>, u: UserIdx, level: u32) -> Option<Problem> {
    match g.manager_of(u, level) {
        ManagerLookup::NoManager => Some(Problem::NoManager),
        ManagerLookup::Unknown => Some(Problem::NotRecorded),
        ManagerLookup::Missing => Some(Problem::Deleted),
        ManagerLookup::Found(m) if m == u => Some(Problem::Self_),
        ManagerLookup::Found(m) if !g.user(m).is_enabled() => Some(Problem::Disabled),
        ManagerLookup::Found(_) => None,
    }
}

/// Enabled users of the directory whose manager at `level` cannot approve, computed once per
/// level for the whole directory (sorted by user index).
/// Enabled users whose manager chain fails at one level, found in one pass over the users.
struct LevelProblems {
    /// Indexed by `UserIdx`: the problem of an enabled user, `None` otherwise.
    of: Vec<Option<Problem>>,
    /// The same, as a list in user order.
    list: Vec<(UserIdx, Problem)>,
}

fn problems_at(g: &AccessGraph<'_>, level: u32) -> LevelProblems {
    let list: Vec<(UserIdx, Problem)> = (0..g.users.len())
        .filter_map(|i| UserIdx::try_from(i).ok())
        .filter(|&u| g.user(u).is_enabled())
        .filter_map(|u| problem(g, u, level).map(|p| (u, p)))
        .collect();
    let mut of = vec![None; g.users.len()];
    for &(u, p) in &list {
        of[u as usize] = Some(p);
    }
    LevelProblems { of, list }
}

/// The users of one population whose manager fails at one level, and how many per reason.
struct Affected {
    users: Vec<(UserIdx, Problem)>,
    reasons: BTreeMap<&'static str, usize>,
}

impl Affected {
    fn new(users: Vec<(UserIdx, Problem)>) -> Self {
        let mut reasons: BTreeMap<&'static str, usize> = BTreeMap::new();
        for (_, why) in &users {
            *reasons.entry(why.as_str()).or_default() += 1;
        }
        Affected { users, reasons }
    }
}

/// Who in `pop` has no usable manager at `level`. A population of specific users costs its
/// size (a lookup per user); a broad one ("all members", "all guests") filters the level's
/// problem list once and is shared by every policy with the same scope and level, so that
/// broad policies do not each scan the directory.
struct Lookup<'g, 's> {
    g: &'g AccessGraph<'s>,
    levels: HashMap<u32, LevelProblems>,
    broad: HashMap<(u32, bool, bool), Rc<Affected>>,
}

impl Lookup<'_, '_> {
    fn affected(&mut self, pop: &Population, level: u32) -> Rc<Affected> {
        let g = self.g;
        let problems = self
            .levels
            .entry(level)
            .or_insert_with(|| problems_at(g, level));
        if !(pop.all_members || pop.all_guests) {
            // Only the named users: `pop.contains` is membership of `pop.users`.
            let users = pop
                .users
                .iter()
                .filter_map(|&u| {
                    problems
                        .of
                        .get(u as usize)
                        .copied()
                        .flatten()
                        .map(|p| (u, p))
                })
                .collect();
            return Rc::new(Affected::new(users));
        }
        let filter = |problems: &LevelProblems| {
            Affected::new(
                problems
                    .list
                    .iter()
                    .copied()
                    .filter(|&(u, _)| pop.contains(g, u))
                    .collect(),
            )
        };
        if !pop.users.is_empty() {
            return Rc::new(filter(problems));
        }
        Rc::clone(
            self.broad
                .entry((level, pop.all_members, pop.all_guests))
                .or_insert_with(|| Rc::new(filter(problems))),
        )
    }
}

impl Rule for ManagerApprovalWithoutManager {
    type Options = Options;

    fn applicable(&self, ctx: &RuleContext<'_>) -> Result<(), String> {
        ctx.require_resolved_groups()
    }

    fn check(&self, ctx: &RuleContext<'_>, _options: &Options, out: &mut Findings) {
        let s = ctx.snapshot;
        let g = ctx.graph;
        let mut lookup = Lookup {
            g,
            levels: HashMap::new(),
            broad: HashMap::new(),
        };
        for p in s.policies.values() {
            if !p.approval_required() || !accepts_requests(p) {
                continue;
            }
            let Some(pop) = g.population(&p.id) else {
                continue;
            };
            let Some(approval) = &p.approval else {
                continue;
            };
            let mut stages: Vec<Value> = Vec::new();
            let mut per_stage: Vec<Rc<Affected>> = Vec::new();
            for (i, stage) in approval.stages.iter().enumerate() {
                let Some(level) = stage.primary_approvers.iter().find_map(|set| match set {
                    SubjectSet::RequestorManager { manager_level } => Some(*manager_level),
                    _ => None,
                }) else {
                    continue;
                };
                // Other primary approvers, or a fallback, still receive the request.
                let others = stage
                    .primary_approvers
                    .iter()
                    .filter(|set| !matches!(set, SubjectSet::RequestorManager { .. }))
                    .any(|set| usability(ctx, &p.id, set).may_approve());
                let fallback = stage
                    .fallback_primary_approvers
                    .iter()
                    .any(|set| usability(ctx, &p.id, set).may_approve());
                if others || fallback {
                    continue;
                }
                let found = lookup.affected(pop, level);
                if found.users.is_empty() && !pop.unbounded_external {
                    continue;
                }
                stages.push(json!({
                    "stage": i + 1,
                    "managerLevel": level,
                    "fallbackPrimaryApprovers": usability_json(ctx, &p.id, &stage.fallback_primary_approvers),
                    "usersWithoutManager": found.users.len(),
                    "reasons": found.reasons,
                    "unboundedExternal": pop.unbounded_external,
                }));
                per_stage.push(found);
            }
            if stages.is_empty() {
                continue;
            }
            // Every affected user once, in user order, with the reason of the first stage that
            // names them. One stage, or stages sharing one list, is used as is, without copying.
            let merged: Vec<(UserIdx, Problem)>;
            let affected: &[(UserIdx, Problem)] = if let [first, rest @ ..] = per_stage.as_slice()
                && rest.iter().all(|x| Rc::ptr_eq(x, first))
            {
                &first.users
            } else {
                let mut all: BTreeMap<UserIdx, Problem> = BTreeMap::new();
                for stage in &per_stage {
                    for &(u, why) in &stage.users {
                        all.entry(u).or_insert(why);
                    }
                }
                merged = all.into_iter().collect();
                &merged
            };
            let label = policy_label(s, p);
            let message = if affected.is_empty() {
                format!(
                    "External users eligible under {label} have no manager in the directory, and its manager approval has no fallback approver"
                )
            } else if affected.len() == 1 {
                let name = affected
                    .first()
                    .map_or("", |&(u, _)| super::user_name(g.user(u)));
                format!(
                    "{name} is eligible under {label} but has no usable manager, and its manager approval has no fallback approver"
                )
            } else {
                format!(
                    "{} users eligible under {label} have no usable manager, and its manager approval has no fallback approver",
                    affected.len()
                )
            };
            let listed: Vec<Value> = affected
                .iter()
                .take(MAX_LISTED)
                .map(|&(u, why)| {
                    let user = g.user(u);
                    json!({
                        "id": user.id,
                        "displayName": user.display_name,
                        "directManagerId": user.manager_id,
                        "reason": why.as_str(),
                    })
                })
                .collect();
            let mut draft = ctx
                .finding(out, policy_ref(s, &p.id), message)
                .evidence("stages", &stages)
                .evidence(
                    "users",
                    json!({ "total": affected.len(), "listed": listed }),
                )
                .evidence("eligiblePopulation", pop.evidence());
            if let Some(pkg) = &p.access_package_id {
                draft = draft.related(package_ref(s, pkg));
            }
            for &(u, _) in affected.iter().take(MAX_LISTED) {
                draft = draft.related(user_ref(s, &g.user(u).id));
            }
            out.push(draft);
        }
    }
}
