//! The EntitlementManagement audit log (`auditLogs.json`, `GET /auditLogs/directoryAudits`),
//! newest first, consistent with the assignments and requests: each assignment's request,
//! approvals (by the approvers recorded on it), direct assignment or auto-approval, fulfilment and
//! removal; denied and pending requests; and policy updates by administrators. The log keeps the
//! newest events up to the budget (as a bounded export would); the events of planted problems
//! are always kept.

use std::io;
use std::path::Path;

use crate::ids::{K, id};
use crate::json::{Arr, Obj};
use crate::model::{AState, End, Ix, Tenant, Via};
use crate::recipe::{GRAPH, PAGE_AUDIT, Pager, Written};
use crate::rng::mix;
use crate::time::{DAY, HOUR};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Request,
    Approve,
    Fulfill,
    Direct,
    Auto,
    Remove,
    OpenRequest,
    Deny,
    Update,
}

#[derive(Debug, Clone, Copy)]
struct Ev {
    time: i64,
    kind: Kind,
    stage: u8,
    idx: u32,
}

/// Sub-second digits of a timestamp (Graph writes seven), derived from the seed.
pub(crate) fn frac(seed: u64, idx: u64, salt: u64) -> u32 {
    (mix(seed ^ mix(idx.wrapping_mul(31) ^ salt)) % 10_000_000) as u32
}

/// Seconds between an assignment's request and its delivery.
pub(crate) fn decision_delay(t: &Tenant, i: usize) -> i64 {
    let a = &t.assignments[i];
    let h = mix(t.seed ^ 0xDE1A ^ i as u64);
    match t.policies[a.policy as usize].via {
        Via::Request => 600 + (h % (3 * DAY as u64)) as i64,
        Via::Admin => 30 + (h % 600) as i64,
        Via::Auto => 60,
    }
}

fn candidates(t: &Tenant) -> (Vec<Ev>, Vec<Ev>) {
    let mut must_keep = vec![false; t.assignments.len()];
    for &a in &t.planted_events {
        must_keep[a as usize] = true;
    }
    let mut must = Vec::new();
    let mut others = Vec::with_capacity(t.assignments.len() * 4);
    for (i, a) in t.assignments.iter().enumerate() {
        let out = if must_keep[i] { &mut must } else { &mut others };
        let idx = i as u32;
        let delay = decision_delay(t, i);
        let requested = a.start - delay;
        match t.policies[a.policy as usize].via {
            Via::Request => {
                out.push(Ev {
                    time: requested,
                    kind: Kind::Request,
                    stage: 0,
                    idx,
                });
                let stages = a.actors.iter().filter(|x| x.is_some()).count() as i64;
                for (s, actor) in a.actors.iter().enumerate() {
                    if actor.is_some() {
                        let time = requested + delay * (s as i64 + 1) / (stages + 1);
                        out.push(Ev {
                            time,
                            kind: Kind::Approve,
                            stage: s as u8,
                            idx,
                        });
                    }
                }
            }
            Via::Admin => out.push(Ev {
                time: requested,
                kind: Kind::Direct,
                stage: 0,
                idx,
            }),
            Via::Auto => out.push(Ev {
                time: requested,
                kind: Kind::Auto,
                stage: 0,
                idx,
            }),
        }
        if a.state != AState::DeliveryFailed {
            out.push(Ev {
                time: a.start,
                kind: Kind::Fulfill,
                stage: 0,
                idx,
            });
        }
        if let (AState::Expired, End::At(end)) = (a.state, a.end)
            && end < t.as_of
        {
            out.push(Ev {
                time: end,
                kind: Kind::Remove,
                stage: 0,
                idx,
            });
        }
    }
    for (k, r) in t.open_requests.iter().enumerate() {
        let idx = k as u32;
        others.push(Ev {
            time: r.created,
            kind: Kind::OpenRequest,
            stage: 0,
            idx,
        });
        if r.denied_by.is_some() {
            others.push(Ev {
                time: r.created + 6 * HOUR,
                kind: Kind::Deny,
                stage: 0,
                idx,
            });
        }
    }
    (must, others)
}

/// The events of the log, newest first: exactly `t.audit_events` of them.
fn select(t: &Tenant) -> Vec<Ev> {
    let budget = t.audit_events;
    let (must, mut others) = candidates(t);
    let order = |a: &Ev, b: &Ev| {
        b.time
            .cmp(&a.time)
            .then(a.idx.cmp(&b.idx))
            .then((a.kind as u8).cmp(&(b.kind as u8)))
            .then(a.stage.cmp(&b.stage))
    };
    others.sort_unstable_by(order);
    let fillers_wanted = budget / 50;
    let keep = budget.saturating_sub(must.len() + fillers_wanted);
    others.truncate(keep);
    let oldest = others
        .last()
        .map_or(t.as_of - 365 * DAY, |e| e.time)
        .min(t.as_of - DAY);
    let fillers = budget.saturating_sub(must.len() + others.len());
    let mut all = must;
    all.truncate(budget);
    all.extend(others);
    let span = (t.as_of - HOUR - oldest).max(1) as u64;
    for k in 0..fillers {
        let time = oldest + (mix(t.seed ^ 0xF111 ^ k as u64) % span) as i64;
        all.push(Ev {
            time,
            kind: Kind::Update,
            stage: 0,
            idx: k as u32,
        });
    }
    all.sort_unstable_by(order);
    all
}

fn user_actor(t: &Tenant, o: &mut Obj<'_>, u: Ix) {
    let user = t.user(u);
    o.obj("user", |x| {
        x.str("id", &user.id)
            .str("displayName", &user.display)
            .str("userPrincipalName", &user.upn)
            .str("ipAddress", &format!("203.0.113.{}", u % 254 + 1))
            .null("userType")
            .str("homeTenantId", &t.tenant_id)
            .str("homeTenantName", "Contoso");
    })
    .null("app");
}

fn app_actor(o: &mut Obj<'_>) {
    o.null("user").obj("app", |x| {
        x.null("appId")
            .str(
                "displayName",
                "Azure AD Identity Governance - Entitlement Management",
            )
            .null("servicePrincipalId")
            .null("servicePrincipalName");
    });
}

fn target(a: &mut Arr<'_>, id: &str, name: Option<&str>, kind: &str, upn: Option<&str>) {
    a.obj(|o| {
        o.str("id", id)
            .opt_str("displayName", name)
            .str("type", kind)
            .opt_str("userPrincipalName", upn)
            .null("groupType")
            .empty_arr("modifiedProperties");
    });
}

fn user_target(t: &Tenant, a: &mut Arr<'_>, u: Ix) {
    let user = t.user(u);
    target(a, &user.id, Some(&user.display), "User", Some(&user.upn));
}

/// Writes `auditLogs.json` and its pages.
pub(crate) fn write(t: &Tenant, dir: &Path, w: &mut Written) -> io::Result<()> {
    let events = select(t);
    let n_assign = t.assignments.len() as u64;
    let n_open = t.open_requests.len() as u64;
    let mut pages = Pager::new(
        dir,
        "auditLogs",
        "https://graph.microsoft.com/v1.0/$metadata#auditLogs/directoryAudits",
        &format!("{GRAPH}/auditLogs/directoryAudits?$filter=category eq 'EntitlementManagement'"),
        PAGE_AUDIT,
        events.len(),
        w,
    );
    let mut buf = String::new();
    let total = events.len();
    for (pos, e) in events.iter().enumerate() {
        let seq = 10_000_000 + (total - pos) as u64;
        let (corr_ix, salt) = match e.kind {
            Kind::OpenRequest | Kind::Deny => (n_assign + u64::from(e.idx), 7),
            Kind::Update => (n_assign + n_open + u64::from(e.idx), 8),
            _ => (u64::from(e.idx), e.kind as u64),
        };
        let corr = id(t.seed, K::Correlation, corr_ix);
        let (activity, operation) = match e.kind {
            Kind::Request | Kind::OpenRequest => (
                "User requests access package assignment",
                "CreateEntitlementGrantUserAddRequest",
            ),
            Kind::Approve => (
                "Approve access package assignment request",
                "ApproveEntitlementGrantRequest",
            ),
            Kind::Fulfill => (
                "Fulfill access package assignment request",
                "FulfillEntitlementGrantRequest",
            ),
            Kind::Direct => (
                "Administrator directly assigns user to access package",
                "CreateEntitlementGrantAdminAddRequest",
            ),
            Kind::Auto => (
                "Auto approve access package assignment request",
                "AutoApproveEntitlementGrantRequest",
            ),
            Kind::Remove => ("Remove access package assignment", "RemoveEntitlementGrant"),
            Kind::Deny => (
                "Deny access package assignment request",
                "DenyEntitlementGrantRequest",
            ),
            Kind::Update => (
                "Update access package assignment policy",
                "UpdateEntitlementGrantPolicy",
            ),
        };
        buf.clear();
        let mut o = Obj::open(&mut buf);
        o.str("id", &format!("IGA_{corr}_{seq}"))
            .str("category", "EntitlementManagement")
            .str("correlationId", &corr)
            .str("result", "success")
            .str("resultReason", "")
            .str("activityDisplayName", activity)
            .time_frac(
                "activityDateTime",
                e.time,
                frac(t.seed, corr_ix, salt + u64::from(e.stage) * 16),
            )
            .str("loggedByService", "Entitlement Management")
            .str("operationType", operation);
        match e.kind {
            Kind::OpenRequest | Kind::Deny => {
                let r = &t.open_requests[e.idx as usize];
                let policy = &t.policies[r.policy as usize];
                let package = &t.packages[r.package as usize];
                o.obj("initiatedBy", |i| match (e.kind, r.denied_by) {
                    (Kind::Deny, Some(by)) => user_actor(t, i, by),
                    _ => user_actor(t, i, r.user),
                });
                o.arr("targetResources", |a| {
                    user_target(t, a, r.user);
                    target(a, &package.id, Some(&package.name), "AccessPackage", None);
                    target(
                        a,
                        &policy.id,
                        Some(&policy.name),
                        "AccessPackageAssignmentPolicy",
                        None,
                    );
                });
            }
            Kind::Update => {
                let q = (e.idx as usize) % t.policies.len();
                let policy = &t.policies[q];
                let package = &t.packages[policy.package as usize];
                let admin = t.admins[(e.idx as usize) % t.admins.len()];
                o.obj("initiatedBy", |i| user_actor(t, i, admin));
                o.arr("targetResources", |a| {
                    a.obj(|x| {
                        x.str("id", &policy.id)
                            .str("displayName", &policy.name)
                            .str("type", "AccessPackageAssignmentPolicy")
                            .null("userPrincipalName")
                            .null("groupType")
                            .arr("modifiedProperties", |m| {
                                m.obj(|p| {
                                    p.str("displayName", "Description")
                                        .str("oldValue", "\"\"")
                                        .str(
                                            "newValue",
                                            &format!(
                                                "\"{}\"",
                                                policy.description.replace('"', "'")
                                            ),
                                        );
                                });
                            });
                    });
                    target(a, &package.id, Some(&package.name), "AccessPackage", None);
                });
            }
            _ => {
                let ai = e.idx as usize;
                let asg = &t.assignments[ai];
                let policy = &t.policies[asg.policy as usize];
                let package = &t.packages[asg.package as usize];
                let via = policy.via;
                o.obj("initiatedBy", |i| match e.kind {
                    Kind::Request => user_actor(t, i, asg.user),
                    Kind::Approve | Kind::Direct => match asg.actors[e.stage as usize] {
                        Some(actor) => user_actor(t, i, actor),
                        None => app_actor(i),
                    },
                    // The documented quirk: a fulfilled request names its recipient as actor.
                    Kind::Fulfill if via == Via::Request => user_actor(t, i, asg.user),
                    _ => app_actor(i),
                });
                o.arr("targetResources", |a| {
                    user_target(t, a, asg.user);
                    target(a, &package.id, Some(&package.name), "AccessPackage", None);
                    if matches!(e.kind, Kind::Fulfill | Kind::Remove) {
                        target(
                            a,
                            &id(t.seed, K::Assignment, ai as u64),
                            None,
                            "Other",
                            None,
                        );
                    } else {
                        target(
                            a,
                            &policy.id,
                            Some(&policy.name),
                            "AccessPackageAssignmentPolicy",
                            None,
                        );
                    }
                });
            }
        }
        o.empty_arr("additionalDetails");
        o.close();
        pages.push(&buf)?;
    }
    pages.finish()
}
