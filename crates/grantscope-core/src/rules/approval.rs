//! Rules of the `approval` category: can someone approve their own access.
//!
//! Shared here: naming helpers for messages and evidence, the usability of an approver list
//! (GS202, GS206), and the approval decisions observed in the audit log with each request's
//! requestor resolved (GS204, GS205).

pub mod approval_cycle;
pub mod approval_without_approvers;
pub mod approver_in_requestor_population;
pub mod manager_approval_without_manager;
pub mod reciprocal_approvals;
pub mod self_approved_request;
pub mod single_approver_no_fallback;

use std::collections::HashMap;

use serde_json::{Value, json};

use super::{DynRule, RuleContext};
use crate::graph::{AccessGraph, ApproverSet, StageApprovers, UserIdx};
use crate::model::{
    AssignmentPolicy, AssignmentRequest, AuditEvent, AuditResult, Dataset, ObjectKind, ObjectRef,
    Snapshot, SubjectSet, Timestamp, User,
};

pub(super) static RULES: &[&dyn DynRule] = &[
    &approver_in_requestor_population::ApproverInRequestorPopulation,
    &manager_approval_without_manager::ManagerApprovalWithoutManager,
    &approval_cycle::ApprovalCycle,
    &self_approved_request::SelfApprovedRequest,
    &reciprocal_approvals::ReciprocalApprovals,
    &approval_without_approvers::ApprovalWithoutApprovers,
    &single_approver_no_fallback::SingleApproverNoFallback,
];

/// Lists of users in evidence and related entities are cut at this length (with a total).
pub(crate) const MAX_LISTED: usize = 50;

// ---------------------------------------------------------------------------------------------
// Names and evidence

/// A user's name for messages: display name, else UPN, else id.
pub(crate) fn user_name(u: &User) -> &str {
    u.display_name
        .as_deref()
        .or(u.user_principal_name.as_deref())
        .unwrap_or(&u.id)
}

/// `policy "Name" of access package "Package"` (ids only when there is no name).
pub(crate) fn policy_label(s: &Snapshot, p: &AssignmentPolicy) -> String {
    let name = p.display_name.as_deref().unwrap_or(&p.id);
    let package = p
        .access_package_id
        .as_deref()
        .and_then(|id| s.access_packages.get(id))
        .and_then(|pk| pk.display_name.as_deref());
    match package {
        Some(pkg) => format!("policy \"{name}\" of access package \"{pkg}\""),
        None => format!("policy \"{name}\""),
    }
}

/// The text with its first letter in upper case (for messages that start with a label).
pub(crate) fn capitalized(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) => c.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// `{ "id", "displayName" }` of a user in the export.
pub(crate) fn user_json(g: &AccessGraph<'_>, u: UserIdx) -> Value {
    let user = g.user(u);
    json!({ "id": user.id, "displayName": user.display_name })
}

/// At most [`MAX_LISTED`] users as `{id, displayName}`, in the given (sorted) order.
pub(crate) fn users_json(g: &AccessGraph<'_>, users: &[UserIdx]) -> Vec<Value> {
    users
        .iter()
        .take(MAX_LISTED)
        .map(|&u| user_json(g, u))
        .collect()
}

/// The four approver lists of a stage with their Graph v1.0 property names.
pub(crate) fn approver_lists(st: &StageApprovers) -> [(&'static str, &ApproverSet); 4] {
    [
        ("primaryApprovers", &st.primary),
        ("fallbackPrimaryApprovers", &st.fallback_primary),
        ("escalationApprovers", &st.escalation),
        ("fallbackEscalationApprovers", &st.fallback_escalation),
    ]
}

/// Whether anyone can submit a request under the policy (so its approvers matter): requestors
/// may add access themselves or on behalf of others. Unknown requestor settings count as yes.
pub(crate) fn accepts_requests(p: &AssignmentPolicy) -> bool {
    p.requestor_settings
        .as_ref()
        .is_none_or(|r| r.self_add || r.on_behalf_add)
}

// ---------------------------------------------------------------------------------------------
// Approver usability (GS202, GS206)

/// Whether one configured approver (subject set) can act on a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Usability {
    /// Resolves to at least one enabled user (or is resolved per requestor, like the manager).
    Usable,
    /// Cannot be judged from the export (membership not exported, attribute rules…).
    Unknown(&'static str),
    /// Resolves to nobody who can approve.
    Unusable(&'static str),
}

impl Usability {
    /// The status word used in evidence.
    pub(crate) fn status(&self) -> &'static str {
        match self {
            Usability::Usable => "usable",
            Usability::Unknown(why) | Usability::Unusable(why) => why,
        }
    }

    /// Usable, or possibly usable (we cannot tell).
    pub(crate) fn may_approve(&self) -> bool {
        !matches!(self, Usability::Unusable(_))
    }
}

fn group_usability(ctx: &RuleContext<'_>, group: &str) -> Usability {
    let s = ctx.snapshot;
    let g = ctx.graph;
    if !s.groups.contains_key(group) {
        return if s.has(Dataset::Groups) {
            Usability::Unusable("deletedGroup")
        } else {
            Usability::Unknown("groupsNotExported")
        };
    }
    if !g.membership_known(group) {
        return Usability::Unknown("membershipNotExported");
    }
    let users = g.group_users(group);
    if users.is_empty() {
        Usability::Unusable("emptyGroup")
    } else if users.iter().any(|&u| g.user(u).is_enabled()) {
        Usability::Usable
    } else {
        Usability::Unusable("allMembersDisabled")
    }
}

fn user_usability(ctx: &RuleContext<'_>, user: &str) -> Usability {
    match ctx.snapshot.users.get(user) {
        None => Usability::Unusable("deletedUser"),
        Some(u) if !u.is_enabled() => Usability::Unusable("disabledUser"),
        Some(_) => Usability::Usable,
    }
}

fn sponsor_usability(ctx: &RuleContext<'_>, r: &ObjectRef) -> Usability {
    if r.kind == ObjectKind::Group || ctx.snapshot.groups.contains_key(&r.id) {
        group_usability(ctx, &r.id)
    } else {
        user_usability(ctx, &r.id)
    }
}

/// Internal or external sponsors of the policy's connected organisations (all organisations
/// when the policy names none, as the graph resolves them).
fn sponsors_usability(ctx: &RuleContext<'_>, policy: &str, internal: bool) -> Usability {
    let s = ctx.snapshot;
    if !s.has(Dataset::ConnectedOrganizations) {
        return Usability::Unknown("connectedOrganizationsNotExported");
    }
    let named = ctx
        .graph
        .population(policy)
        .map(|p| p.connected_organizations.as_slice())
        .unwrap_or_default();
    let orgs: Vec<&crate::model::ConnectedOrganization> = if named.is_empty() {
        s.connected_organizations.values().collect()
    } else {
        named
            .iter()
            .filter_map(|o| s.connected_organizations.get(o))
            .collect()
    };
    let mut unknown = None;
    for o in orgs {
        let list = if internal {
            &o.internal_sponsors
        } else {
            &o.external_sponsors
        };
        let Some(list) = list else {
            unknown = Some("sponsorsNotExported");
            continue;
        };
        for r in list {
            match sponsor_usability(ctx, r) {
                Usability::Usable => return Usability::Usable,
                Usability::Unknown(why) => unknown = Some(why),
                Usability::Unusable(_) => {}
            }
        }
    }
    match unknown {
        Some(why) => Usability::Unknown(why),
        None => Usability::Unusable("noUsableSponsors"),
    }
}

/// Whether one approver subject set of `policy` can approve.
pub(crate) fn usability(ctx: &RuleContext<'_>, policy: &str, set: &SubjectSet) -> Usability {
    match set {
        SubjectSet::SingleUser { user_id } => user_usability(ctx, user_id),
        SubjectSet::GroupMembers { group_id } => group_usability(ctx, group_id),
        // Resolved per requestor: GS202 checks the manager chain.
        SubjectSet::RequestorManager { .. } | SubjectSet::TargetUserSponsors => Usability::Usable,
        SubjectSet::InternalSponsors => sponsors_usability(ctx, policy, true),
        SubjectSet::ExternalSponsors => sponsors_usability(ctx, policy, false),
        _ => Usability::Unknown("notEvaluable"),
    }
}

/// `[{approver, status}]` for a list of subject sets.
pub(crate) fn usability_json(ctx: &RuleContext<'_>, policy: &str, sets: &[SubjectSet]) -> Value {
    Value::Array(
        sets.iter()
            .map(|set| json!({ "approver": set.describe(), "status": usability(ctx, policy, set).status() }))
            .collect(),
    )
}

// ---------------------------------------------------------------------------------------------
// Observed approvals (GS204, GS205)

pub(crate) const APPROVE: &str = "Approve access package assignment request";
pub(crate) const DIRECT_ASSIGN: &str = "Administrator directly assigns user to access package";
const REQUEST_ACTIVITIES: [&str; 2] = [
    "User requests access package assignment",
    "User requests to extend access package assignment",
];

/// Where a request's requestor was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum RequestorSource {
    /// The actor of the `User requests …` event with the same correlation id.
    RequestEvent,
    /// `requestor` of the exported assignment request a target of the event names.
    AssignmentRequest,
    /// The event's `User` target.
    AuditTarget,
}

impl RequestorSource {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            RequestorSource::RequestEvent => "requestEvent",
            RequestorSource::AssignmentRequest => "assignmentRequest",
            RequestorSource::AuditTarget => "auditTarget",
        }
    }
}

/// One approval decision (or direct assignment) seen in the audit log.
#[derive(Debug, Clone)]
pub(crate) struct Decision<'s> {
    pub(crate) event: &'s AuditEvent,
    /// The actor's object id (resolved through the UPN when the event lacks it).
    pub(crate) actor: String,
    /// The user whose request it was (for a direct assignment: the assigned user).
    pub(crate) requestor: String,
    pub(crate) requestor_from: RequestorSource,
    /// The exported assignment request the event names, if any.
    pub(crate) request_id: Option<String>,
    /// What identifies the request: request id, else a request target id, else the
    /// correlation id, else the event id.
    pub(crate) request_key: String,
    pub(crate) package_id: Option<String>,
    pub(crate) package_name: Option<String>,
    pub(crate) time: Option<Timestamp>,
}

/// Finds users by user principal name (lowercased) when an event carries no object id.
struct UpnIndex<'s>(HashMap<String, &'s str>);

impl<'s> UpnIndex<'s> {
    fn new(s: &'s Snapshot) -> Self {
        UpnIndex(
            s.users
                .values()
                .filter_map(|u| {
                    u.user_principal_name
                        .as_deref()
                        .map(|p| (p.to_ascii_lowercase(), u.id.as_str()))
                })
                .collect(),
        )
    }

    /// The object id, else the id the UPN resolves to, else `upn:<upn>` so equal UPNs compare.
    fn resolve(&self, id: Option<&str>, upn: Option<&str>) -> Option<String> {
        if let Some(id) = id.filter(|i| !i.is_empty()) {
            return Some(id.to_owned());
        }
        let upn = upn.filter(|u| !u.is_empty())?.to_ascii_lowercase();
        Some(match self.0.get(&upn) {
            Some(id) => (*id).to_owned(),
            None => format!("upn:{upn}"),
        })
    }
}

fn succeeded(e: &AuditEvent) -> bool {
    !matches!(e.result, Some(AuditResult::Failure | AuditResult::Timeout))
}

fn actor_of(e: &AuditEvent, upns: &UpnIndex<'_>) -> Option<String> {
    let a = e.actor_user.as_ref()?;
    upns.resolve(a.id.as_deref(), a.user_principal_name.as_deref())
}

fn user_targets<'e>(
    e: &'e AuditEvent,
    upns: &'e UpnIndex<'_>,
) -> impl Iterator<Item = String> + 'e {
    e.targets
        .iter()
        .filter(|t| {
            t.kind
                .as_deref()
                .is_some_and(|k| k.eq_ignore_ascii_case("User"))
        })
        .filter_map(|t| upns.resolve(t.id.as_deref(), t.user_principal_name.as_deref()))
}

/// Every successful approval and direct assignment in the audit log, with the requestor
/// resolved: first from the `User requests …` event of the same correlation id, then from the
/// exported assignment request a target names, then from the event's `User` target. Events whose
/// actor or requestor cannot be resolved are left out. Sorted by event id.
pub(crate) fn decisions(s: &Snapshot) -> Vec<Decision<'_>> {
    let upns = UpnIndex::new(s);
    // correlation id -> requestor (first request event in id order wins).
    let mut requested_by: HashMap<&str, String> = HashMap::new();
    for e in s.audit_events.values() {
        if REQUEST_ACTIVITIES.iter().any(|a| e.is_activity(a))
            && let (Some(c), Some(actor)) = (e.correlation_id.as_deref(), actor_of(e, &upns))
        {
            requested_by.entry(c).or_insert(actor);
        }
    }
    // Audit targets are looked up by id once per event and target: hashing beats a walk down
    // the B-tree of every request when there are a million of them.
    let requests: HashMap<&str, (&String, &AssignmentRequest)> = s
        .requests
        .iter()
        .map(|(id, r)| (id.as_str(), (id, r)))
        .collect();
    let mut out = Vec::new();
    for e in s.audit_events.values() {
        let approve = e.is_activity(APPROVE);
        let assign = e.is_activity(DIRECT_ASSIGN);
        if !(approve || assign) || !succeeded(e) {
            continue;
        }
        let Some(actor) = actor_of(e, &upns) else {
            continue;
        };
        let request = e
            .targets
            .iter()
            .filter_map(|t| t.id.as_deref())
            .find_map(|id| requests.get(id).copied());
        let request_id = request.map(|(id, _)| id.clone());
        let snapshot_requestor = request.and_then(|(_, r)| r.requestor_object_id.clone());
        let resolved = if assign {
            // A direct assignment's "requestor" is the assigned user: self-assignment when the
            // actor is one of the User targets.
            let targets: Vec<String> = user_targets(e, &upns).collect();
            targets
                .iter()
                .find(|t| **t == actor)
                .or(targets.first())
                .cloned()
                .map(|t| (t, RequestorSource::AuditTarget))
        } else {
            e.correlation_id
                .as_deref()
                .and_then(|c| requested_by.get(c))
                .map(|r| (r.clone(), RequestorSource::RequestEvent))
                .or_else(|| snapshot_requestor.map(|r| (r, RequestorSource::AssignmentRequest)))
                .or_else(|| {
                    user_targets(e, &upns)
                        .next()
                        .map(|t| (t, RequestorSource::AuditTarget))
                })
        };
        let Some((requestor, requestor_from)) = resolved else {
            continue;
        };
        let request_target = e
            .targets
            .iter()
            .find(|t| {
                t.kind
                    .as_deref()
                    .is_some_and(|k| k.to_ascii_lowercase().contains("request"))
            })
            .and_then(|t| t.id.clone());
        let request_key = request_id
            .clone()
            .or(request_target)
            .or_else(|| e.correlation_id.clone().filter(|c| !c.is_empty()))
            .unwrap_or_else(|| e.id.clone());
        let package = e.target_of_kind("AccessPackage");
        let package_id = package
            .and_then(|t| t.id.clone())
            .or_else(|| request.and_then(|(_, r)| r.access_package_id.clone()));
        let package_name = package_id
            .as_deref()
            .and_then(|id| s.access_packages.get(id))
            .and_then(|p| p.display_name.clone())
            .or_else(|| package.and_then(|t| t.display_name.clone()));
        out.push(Decision {
            event: e,
            actor,
            requestor,
            requestor_from,
            request_id,
            request_key,
            package_id,
            package_name,
            time: e.time,
        });
    }
    out
}

/// The subject reference of a user id from [`decisions`] (`upn:<upn>` when unresolved).
pub(crate) fn decision_user_ref(s: &Snapshot, id: &str) -> crate::findings::EntityRef {
    if s.users.contains_key(id) {
        return super::user_ref(s, id);
    }
    match id.strip_prefix("upn:") {
        Some(upn) => {
            crate::findings::EntityRef::new(crate::model::EntityKind::User, id).named(Some(upn))
        }
        None => crate::findings::EntityRef::new(crate::model::EntityKind::User, id),
    }
}

/// The package a decision is about: from the export when present, else named by the event.
pub(crate) fn decision_package_ref(
    s: &Snapshot,
    d: &Decision<'_>,
) -> Option<crate::findings::EntityRef> {
    let id = d.package_id.as_deref()?;
    Some(if s.access_packages.contains_key(id) {
        super::package_ref(s, id)
    } else {
        crate::findings::EntityRef::new(crate::model::EntityKind::AccessPackage, id)
            .named(d.package_name.as_deref())
    })
}

/// The actor of a decision as an entity: from the export, else named by the event's UPN.
pub(crate) fn actor_ref(s: &Snapshot, d: &Decision<'_>) -> crate::findings::EntityRef {
    if s.users.contains_key(&d.actor) {
        return super::user_ref(s, &d.actor);
    }
    let upn = d
        .event
        .actor_user
        .as_ref()
        .and_then(|a| a.user_principal_name.as_deref());
    match upn {
        Some(upn) => crate::findings::EntityRef::new(crate::model::EntityKind::User, &d.actor)
            .named(Some(upn)),
        None => decision_user_ref(s, &d.actor),
    }
}

/// A user id from [`decisions`] in words.
pub(crate) fn decision_user_name(s: &Snapshot, id: &str) -> String {
    match s.users.get(id) {
        Some(u) => user_name(u).to_owned(),
        None => id.strip_prefix("upn:").unwrap_or(id).to_owned(),
    }
}

/// Same as [`decision_user_name`] but preferring a name the audit event itself carries.
pub(crate) fn actor_name(s: &Snapshot, d: &Decision<'_>) -> String {
    if s.users.contains_key(&d.actor) {
        return decision_user_name(s, &d.actor);
    }
    d.event
        .actor_user
        .as_ref()
        .and_then(|a| {
            a.display_name
                .clone()
                .or_else(|| a.user_principal_name.clone())
        })
        .unwrap_or_else(|| decision_user_name(s, &d.actor))
}

/// `{id, activity, date, correlationId}` of an audit event.
pub(crate) fn event_json(e: &AuditEvent) -> Value {
    json!({
        "id": e.id,
        "activity": e.activity,
        "date": e.time.map(crate::dates::ymd),
        "correlationId": e.correlation_id,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Config;
    use crate::graph::AccessGraph;
    use crate::model::{ActorUser, AuditTarget, Group};

    fn user(id: &str, upn: &str, enabled: bool) -> User {
        User {
            id: id.into(),
            user_principal_name: Some(upn.into()),
            account_enabled: Some(enabled),
            ..User::default()
        }
    }

    fn event(id: &str, activity: &str, actor: (Option<&str>, &str), corr: &str) -> AuditEvent {
        AuditEvent {
            id: id.into(),
            activity: activity.into(),
            correlation_id: Some(corr.into()),
            actor_user: Some(ActorUser {
                id: actor.0.map(str::to_owned),
                user_principal_name: Some(actor.1.into()),
                ..ActorUser::default()
            }),
            ..AuditEvent::default()
        }
    }

    fn user_target(id: &str) -> AuditTarget {
        AuditTarget {
            id: Some(id.into()),
            kind: Some("User".into()),
            ..AuditTarget::default()
        }
    }

    fn snapshot() -> Snapshot {
        let mut s = Snapshot::default();
        for (id, upn, enabled) in [("a", "a@x", true), ("b", "b@x", true), ("d", "d@x", false)] {
            s.users.insert(id.into(), user(id, upn, enabled));
        }
        s
    }

    #[test]
    fn the_request_event_wins_over_the_user_target() {
        let mut s = snapshot();
        s.audit_events.insert(
            "1".into(),
            event("1", REQUEST_ACTIVITIES[0], (Some("b"), "b@x"), "c1"),
        );
        let mut approve = event("2", APPROVE, (Some("a"), "a@x"), "c1");
        approve.targets.push(user_target("a"));
        s.audit_events.insert("2".into(), approve);
        let d = decisions(&s);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].requestor, "b");
        assert_eq!(d[0].requestor_from, RequestorSource::RequestEvent);
        assert_eq!(d[0].request_key, "c1");
    }

    #[test]
    fn actors_without_ids_resolve_by_upn_and_failures_are_ignored() {
        let mut s = snapshot();
        let mut approve = event(
            "1",
            "APPROVE ACCESS PACKAGE ASSIGNMENT REQUEST",
            (None, "A@X"),
            "c1",
        );
        approve.targets.push(user_target("a"));
        s.audit_events.insert("1".into(), approve.clone());
        approve.id = "2".into();
        approve.result = Some(AuditResult::Failure);
        s.audit_events.insert("2".into(), approve);
        let d = decisions(&s);
        assert_eq!(d.len(), 1);
        assert_eq!(d[0].actor, "a");
        assert_eq!(d[0].requestor, "a");
        assert_eq!(d[0].requestor_from, RequestorSource::AuditTarget);
    }

    #[test]
    fn a_direct_assignment_to_oneself_is_found_among_several_user_targets() {
        let mut s = snapshot();
        let mut assign = event("1", DIRECT_ASSIGN, (Some("a"), "a@x"), "c1");
        assign.targets.push(user_target("b"));
        assign.targets.push(user_target("a"));
        s.audit_events.insert("1".into(), assign);
        let d = decisions(&s);
        assert_eq!(d[0].requestor, "a");
    }

    #[test]
    fn approver_usability() {
        let mut s = snapshot();
        s.datasets.insert(Dataset::Users);
        let members = |ids: &[&str]| {
            Some(
                ids.iter()
                    .map(|id| ObjectRef {
                        id: (*id).into(),
                        kind: ObjectKind::User,
                    })
                    .collect(),
            )
        };
        for (id, m) in [
            ("empty", members(&[])),
            ("disabled", members(&["d"])),
            ("ok", members(&["d", "b"])),
            ("unknown", None),
        ] {
            s.groups.insert(
                id.into(),
                Group {
                    id: id.into(),
                    transitive_members: m,
                    ..Group::default()
                },
            );
        }
        let config = Config::default();
        let g = AccessGraph::build(&s, &config);
        let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap_or_default();
        let ctx = RuleContext::new(&s, &g, &config, date);
        let group = |id: &str| {
            usability(
                &ctx,
                "p",
                &SubjectSet::GroupMembers {
                    group_id: id.into(),
                },
            )
        };
        assert_eq!(group("empty"), Usability::Unusable("emptyGroup"));
        assert_eq!(group("disabled"), Usability::Unusable("allMembersDisabled"));
        assert_eq!(group("ok"), Usability::Usable);
        assert_eq!(
            group("unknown"),
            Usability::Unknown("membershipNotExported")
        );
        // Without the groups dataset a missing group is unknown, with it: deleted.
        assert_eq!(group("gone"), Usability::Unknown("groupsNotExported"));
        let single =
            |id: &str| usability(&ctx, "p", &SubjectSet::SingleUser { user_id: id.into() });
        assert_eq!(single("d"), Usability::Unusable("disabledUser"));
        assert_eq!(single("zz"), Usability::Unusable("deletedUser"));
        assert!(usability(&ctx, "p", &SubjectSet::InternalSponsors).may_approve());
        let mut s2 = s.clone();
        s2.datasets.insert(Dataset::Groups);
        let g2 = AccessGraph::build(&s2, &config);
        let ctx2 = RuleContext::new(&s2, &g2, &config, date);
        assert_eq!(
            usability(
                &ctx2,
                "p",
                &SubjectSet::GroupMembers {
                    group_id: "gone".into()
                }
            ),
            Usability::Unusable("deletedGroup")
        );
    }

    #[test]
    fn capitalized_first_letter() {
        assert_eq!(capitalized("policy \"x\""), "Policy \"x\"");
        assert_eq!(capitalized(""), "");
    }
}
