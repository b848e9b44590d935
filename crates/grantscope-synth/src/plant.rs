//! Planted problems: for every rule, entities built to meet its exact condition (read from
//! `crates/grantscope-core/src/rules/**`) and nothing else, recorded with the finding subject the
//! rule reports (policy, user, assignment, package, resource, organisation or the tenant).
//!
//! Configuration plants live on packages of their own (pool `None`: nobody is assigned them by
//! chance) so that they cannot interact with the background; user plants pick distinct
//! individual contributors; assignment plants edit background assignments.

use crate::build::{Builder, push_org, two_teams};
use crate::model::{
    AState, Assignment, End, Exp, ExtState, GroupKind, GroupRef, Ix, Pool, Scope, Set, SignIn,
    SponsorRef, Stage,
};
use crate::time::{DAY, HOUR};

/// What the background assignment loop may do for a user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Mode {
    Normal,
    /// Disabled but still holding access (GS505).
    Disabled505,
    /// Disabled, every assignment ended (near miss of GS505, GS501, GS504).
    DisabledClean,
    /// Enabled guest whose assignments all ended (GS504).
    NoAccess504,
}

/// How many configuration plants of each rule: one per hundred background packages, at least one.
pub(crate) fn per_rule(packages: usize) -> usize {
    (packages as f64 / 100.0).round().max(1.0) as usize
}

fn plant_package(b: &mut Builder<'_>, dept: usize, what: &str) -> Ix {
    let dname = b.t.departments[dept].name.clone();
    let catalog = b.t.departments[dept].catalog;
    let n = b.t.packages.len();
    let site = b.site_resource(catalog, &format!("{dname} {what} {n}"));
    b.simple_package(
        catalog,
        &format!("{dname} {what} {n}"),
        &format!("{what} ({dname})"),
        Pool::None,
        &[(site, 0)],
    )
}

fn dept_of(b: &Builder<'_>, i: usize) -> usize {
    1 + i % (b.t.departments.len() - 1)
}

fn org_of(n_orgs: usize, i: usize) -> Ix {
    (i % n_orgs) as Ix
}

/// Plants on the configuration: GS101–GS105, GS201–GS203, GS206, GS207, GS301–GS303,
/// GS311–GS314, GS404, GS503, GS506, GS601–GS604.
pub(crate) fn configuration(b: &mut Builder<'_>) {
    let k = per_rule(b.t.packages.len());
    // Only the background organisations (configured, sponsored) are targeted by plants.
    let n_orgs = b.t.orgs.len();
    let gov = b.t.governance_group;
    let rate = format!("{k} (one per hundred background packages, at least one)");
    for rule in [
        "GS101", "GS102", "GS103", "GS104", "GS105", "GS201", "GS202", "GS203", "GS206", "GS207",
        "GS301", "GS302", "GS303", "GS311", "GS312", "GS313", "GS314", "GS404", "GS506", "GS601",
        "GS602", "GS603", "GS604",
    ] {
        b.t.expect.rate(rule, rate.clone());
    }
    for i in 0..k {
        let d = dept_of(b, i);
        let o = org_of(n_orgs, i);

        // GS101: every member may request, without approval (scope allMemberUsers).
        let pkg = plant_package(b, d, "Self-Service Tool");
        let p = b.policy(
            pkg,
            "All members, no approval",
            "Anyone may request",
            Scope::AllMemberUsers,
            Vec::new(),
        );
        let pid = b.t.policies[p as usize].id.clone();
        b.t.expect.plant("GS101", &pid);

        // GS102 (and GS101): anyone from any organisation, approved, reviewed quarterly.
        let pkg = plant_package(b, d, "Open Partner Portal");
        let p = b.policy(
            pkg,
            "Any external user",
            "Self sign-up for any external user",
            Scope::AllExternalUsers,
            Vec::new(),
        );
        let review = b.review(false, 3, vec![Set::Group(gov)]);
        let pol = &mut b.t.policies[p as usize];
        pol.stages = vec![Stage {
            primary: vec![Set::Group(gov)],
            ..Stage::default()
        }];
        pol.exp = Exp::Days(90);
        pol.review = Some(review);
        let pid = pol.id.clone();
        b.t.expect.plant("GS101", &pid);
        b.t.expect.plant("GS102", &pid);

        // GS103: a connected organisation's users, no approval (reviewed, short).
        let pkg = plant_package(b, d, "Partner Self-Service");
        let p = b.partner_policy(pkg, o);
        let pol = &mut b.t.policies[p as usize];
        pol.stages.clear();
        pol.exp = Exp::Days(90);
        let pid = pol.id.clone();
        b.t.expect.plant("GS103", &pid);

        // GS104: All-Staff (most of the directory), or an auto-assignment policy on a dynamic
        // group whose rule matches every user.
        let pkg = plant_package(b, d, "Company Wiki");
        if i % 2 == 0 {
            let all = b.t.all_staff_group;
            let p = b.policy(
                pkg,
                "All staff may request",
                "Everyone in All-Staff",
                Scope::SpecificDirectoryUsers,
                vec![Set::Group(all)],
            );
            let pid = b.t.policies[p as usize].id.clone();
            b.t.expect.plant("GS104", &pid);
        } else {
            let g = b.group(
                &format!("All Users (dynamic) {i}"),
                "Every enabled account",
                GroupKind::Dynamic,
            );
            let members: Vec<Ix> = (0..b.t.users.len() as Ix).collect();
            let grp = &mut b.t.groups[g as usize];
            grp.rule = Some("(user.accountEnabled -eq true)".to_owned());
            grp.users = members;
            let p = b.policy(
                pkg,
                "Everyone (automatic)",
                "Assigned to every enabled account",
                Scope::SpecificDirectoryUsers,
                vec![Set::Group(g)],
            );
            let review = b.review(false, 3, vec![Set::Group(gov)]);
            let pol = &mut b.t.policies[p as usize];
            pol.self_add = false;
            pol.justification = false;
            pol.auto = true;
            pol.via = crate::model::Via::Auto;
            pol.review = Some(review);
            let pid = pol.id.clone();
            b.t.expect.plant("GS104", &pid);
        }

        // GS105: a privileged package with a single approval stage.
        let dname = b.t.departments[d].name.clone();
        let catalog = b.t.departments[d].catalog;
        let pkg = if i % 2 == 0 {
            let (r, _) = b.group_resource(
                catalog,
                &format!("{}-Tier0-Admins-{i}", dname.replace([' ', '&'], "")),
                true,
                GroupKind::Resource,
            );
            b.simple_package(
                catalog,
                &format!("{dname} Tier-0 Admins {i}"),
                "Role-assignable admin group",
                Pool::None,
                &[(r, 0)],
            )
        } else {
            let r = b.app_resource(catalog, &format!("{dname} Billing Owner {i}"));
            b.simple_package(
                catalog,
                &format!("{dname} Billing Ownership {i}"),
                "Owner of the billing app",
                Pool::None,
                &[(r, 1)],
            )
        };
        let p = b.dept_policy(pkg, d);
        b.t.policies[p as usize].review = None;
        let pid = b.t.policies[p as usize].id.clone();
        b.t.expect.plant("GS105", &pid);

        // GS201: approvers inside the population: the department's team leads, or the head as
        // the only primary approver (with a fallback, so GS207 stays silent).
        let pkg = plant_package(b, d, "Team Budget");
        let p = b.dept_policy(pkg, d);
        if i % 2 == 0 {
            let leads: Vec<Ix> = b.t.departments[d]
                .teams
                .iter()
                .map(|&t| b.t.teams[t as usize].lead)
                .collect();
            let g = b.group(
                &format!("{dname} Leads {i}"),
                "Team leads of the department",
                GroupKind::Approvers,
            );
            b.t.groups[g as usize].users = leads;
            b.t.policies[p as usize].stages[0].primary = vec![Set::Group(g)];
        } else {
            let head = b.t.departments[d].head;
            let fb = b.random_gov();
            b.t.policies[p as usize].stages[0] = Stage {
                primary: vec![Set::User(head)],
                fallback: vec![Set::User(fb)],
                ..Stage::default()
            };
        }
        let pid = b.t.policies[p as usize].id.clone();
        b.t.expect.plant("GS201", &pid);

        // GS202: leadership requests, approved by the requestor's manager without a fallback:
        // the CEO has no manager.
        let pkg = plant_package(b, 0, "Strategy Room");
        let lead = b.t.leadership_group;
        let p = b.policy(
            pkg,
            "Leadership, manager approval",
            "Leaders request; their manager approves",
            Scope::SpecificDirectoryUsers,
            vec![Set::Group(lead)],
        );
        b.t.policies[p as usize].stages = vec![Stage {
            primary: vec![Set::Manager(1)],
            ..Stage::default()
        }];
        let pid = b.t.policies[p as usize].id.clone();
        b.t.expect.plant("GS202", &pid);

        // GS203: a package granting membership of its own approver group (length 1), or two
        // packages granting each other's approver groups (length 2).
        let gov_users = b.t.governance.clone();
        if i % 2 == 0 {
            let (r, g) = b.group_resource(
                catalog,
                &format!("{}-Helpdesk-Approvers-{i}", dname.replace([' ', '&'], "")),
                false,
                GroupKind::Approvers,
            );
            b.t.groups[g as usize].users = gov_users.iter().copied().take(2).collect();
            let pkg = b.simple_package(
                catalog,
                &format!("{dname} Helpdesk Tools {i}"),
                "Helpdesk tooling",
                Pool::None,
                &[(r, 0)],
            );
            let p = b.dept_policy(pkg, d);
            b.t.policies[p as usize].stages[0].primary = vec![Set::Group(g)];
            let pid = b.t.policies[p as usize].id.clone();
            b.t.expect.plant("GS203", &pid);
        } else {
            let (r1, g1) = b.group_resource(
                catalog,
                &format!("{}-DW-Approvers-{i}", dname.replace([' ', '&'], "")),
                false,
                GroupKind::Approvers,
            );
            let (r2, g2) = b.group_resource(
                catalog,
                &format!("{}-BI-Approvers-{i}", dname.replace([' ', '&'], "")),
                false,
                GroupKind::Approvers,
            );
            b.t.groups[g1 as usize].users = gov_users.iter().copied().take(2).collect();
            b.t.groups[g2 as usize].users = gov_users.iter().copied().rev().take(2).collect();
            let p1k = b.simple_package(
                catalog,
                &format!("{dname} Data Warehouse {i}"),
                "Warehouse access",
                Pool::None,
                &[(r1, 0)],
            );
            let p2k = b.simple_package(
                catalog,
                &format!("{dname} Analytics Dashboards {i}"),
                "Dashboards",
                Pool::None,
                &[(r2, 0)],
            );
            let p1 = b.dept_policy(p1k, d);
            let p2 = b.dept_policy(p2k, d);
            b.t.policies[p1 as usize].stages[0].primary = vec![Set::Group(g2)];
            b.t.policies[p2 as usize].stages[0].primary = vec![Set::Group(g1)];
            let first = if b.t.packages[p1k as usize].id < b.t.packages[p2k as usize].id {
                p1
            } else {
                p2
            };
            let pid = b.t.policies[first as usize].id.clone();
            b.t.expect.plant("GS203", &pid);
        }

        // GS206: the only primary approver is an empty group, or a disabled user (with a usable
        // fallback: severity medium).
        let pkg = plant_package(b, d, "Legal Review");
        let p = b.dept_policy(pkg, d);
        if i % 2 == 0 {
            let g = b.group(
                &format!("{dname} Reviewers {i}"),
                "Nobody is in this group any more",
                GroupKind::Approvers,
            );
            b.t.policies[p as usize].stages[0].primary = vec![Set::Group(g)];
        } else {
            b.t.policies[p as usize].stages[0] = Stage {
                primary: vec![Set::Group(u32::MAX)],
                fallback: vec![Set::Group(gov)],
                ..Stage::default()
            };
        }
        let pid = b.t.policies[p as usize].id.clone();
        b.t.expect.plant("GS206", &pid);

        // GS207: one single-user approver, no fallback or escalation.
        let pkg = plant_package(b, d, "Expense Approvals");
        let p = b.dept_policy(pkg, d);
        let one = b.random_gov();
        b.t.policies[p as usize].stages[0].primary = vec![Set::User(one)];
        let pid = b.t.policies[p as usize].id.clone();
        b.t.expect.plant("GS207", &pid);

        // GS301: self-service access that never expires (no review: medium).
        let pkg = plant_package(b, d, "Forever Access");
        let p = b.dept_policy(pkg, d);
        b.t.policies[p as usize].exp = Exp::Never;
        b.t.policies[p as usize].review = None;
        let pid = b.t.policies[p as usize].id.clone();
        b.t.expect.plant("GS301", &pid);

        // GS302: two years, or a fixed end 500 days away.
        let pkg = plant_package(b, d, "Long Project");
        let p = b.dept_policy(pkg, d);
        b.t.policies[p as usize].exp = if i % 2 == 0 {
            Exp::Days(730)
        } else {
            Exp::Until(b.t.as_of + 500 * DAY)
        };
        let pid = b.t.policies[p as usize].id.clone();
        b.t.expect.plant("GS302", &pid);

        // GS303: extension without approval while adding needs it.
        let pkg = plant_package(b, d, "Extendable Access");
        let p = b.dept_policy(pkg, d);
        b.t.policies[p as usize].self_update = true;
        b.t.policies[p as usize].update_needs_approval = false;
        let pid = b.t.policies[p as usize].id.clone();
        b.t.expect.plant("GS303", &pid);

        // GS311: a partner policy without reviews.
        let pkg = plant_package(b, d, "Partner Files");
        let p = b.partner_policy(pkg, o);
        b.t.policies[p as usize].review = None;
        let pid = b.t.policies[p as usize].id.clone();
        b.t.expect.plant("GS311", &pid);

        // GS312: internal reviews every two years, or partner reviews every six months.
        let pkg = plant_package(b, d, "Rarely Reviewed");
        let p = if i % 2 == 0 {
            let p = b.dept_policy(pkg, d);
            let r = b.review(true, 2, vec![Set::Group(gov)]);
            b.t.policies[p as usize].review = Some(r);
            p
        } else {
            let p = b.partner_policy(pkg, o);
            if let Some(r) = b.t.policies[p as usize].review.as_mut() {
                r.interval = 6;
            }
            p
        };
        let pid = b.t.policies[p as usize].id.clone();
        b.t.expect.plant("GS312", &pid);

        // GS313: an unanswered review keeps access.
        let pkg = plant_package(b, d, "Sticky Access");
        let p = b.dept_policy(pkg, d);
        let mut r = b.review(true, 1, vec![Set::Group(gov)]);
        r.keep_access = true;
        b.t.policies[p as usize].review = Some(r);
        let pid = b.t.policies[p as usize].id.clone();
        b.t.expect.plant("GS313", &pid);

        // GS314: partners review themselves, or self-review on a privileged package (two
        // stages, so GS105 stays silent).
        let p = if i % 2 == 0 {
            let pkg = plant_package(b, d, "Partner Self Review");
            let p = b.partner_policy(pkg, o);
            if let Some(r) = b.t.policies[p as usize].review.as_mut() {
                r.self_review = true;
                r.reviewers.clear();
            }
            p
        } else {
            let (r, _) = b.group_resource(
                catalog,
                &format!("{}-Ops-Admins-{i}", dname.replace([' ', '&'], "")),
                true,
                GroupKind::Resource,
            );
            let team = b.t.departments[d].teams[0];
            let pkg = b.simple_package(
                catalog,
                &format!("{dname} Ops Admins {i}"),
                "Privileged operations",
                Pool::None,
                &[(r, 0)],
            );
            let p = b.team_policy(pkg, team, true);
            if let Some(r) = b.t.policies[p as usize].review.as_mut() {
                r.self_review = true;
                r.reviewers.clear();
            }
            p
        };
        let pid = b.t.policies[p as usize].id.clone();
        b.t.expect.plant("GS314", &pid);

        // GS404: A lists B as incompatible, B does not list A (held by disjoint teams).
        let (x, y) = two_teams(b, d, i + 2);
        let ra = b.app_resource(catalog, &format!("{dname} Treasury {i}"));
        let rb = b.app_resource(catalog, &format!("{dname} Cash Management {i}"));
        let pa = b.simple_package(
            catalog,
            &format!("{dname} Treasury {i}"),
            "Treasury operations",
            Pool::Team(x),
            &[(ra, 0)],
        );
        b.team_policy(pa, x, false);
        let pb = b.simple_package(
            catalog,
            &format!("{dname} Cash Management {i}"),
            "Cash management",
            Pool::Team(y),
            &[(rb, 0)],
        );
        b.team_policy(pb, y, false);
        b.t.packages[pa as usize].incompatible_packages.push(pb);
        let id = b.t.packages[pa as usize].id.clone();
        b.t.expect.plant("GS404", &id);

        // GS506: a proposed organisation that a policy targets, and a configured one without an
        // internal sponsor.
        let proposed = push_org(
            b,
            &format!("Proposed Partner {i}"),
            &format!("proposed{i}.example"),
            true,
        );
        let pkg = plant_package(b, d, "New Partner Onboarding");
        b.partner_policy(pkg, proposed);
        let oid = b.t.orgs[proposed as usize].id.clone();
        b.t.expect.plant("GS506", &oid);
        let lonely = push_org(
            b,
            &format!("Unsponsored Partner {i}"),
            &format!("unsponsored{i}.example"),
            false,
        );
        b.t.orgs[lonely as usize].internal.clear();
        let oid = b.t.orgs[lonely as usize].id.clone();
        b.t.expect.plant("GS506", &oid);

        // GS601: a deleted user among a policy's approvers, a deleted package listed as
        // incompatible (a deleted group cannot be: incompatibleGroups lists group objects, which
        // grantscope adds to the directory), a catalog resource on a deleted group, a deleted
        // internal sponsor.
        let pkg = plant_package(b, d, "Procurement Portal");
        let p = b.dept_policy(pkg, d);
        let gone = b.deleted_id();
        b.t.policies[p as usize].stages[0]
            .primary
            .push(Set::DeletedUser(gone));
        let pid = b.t.policies[p as usize].id.clone();
        b.t.expect.plant("GS601", &pid);
        let pkg = plant_package(b, d, "Audit Support");
        b.dept_policy(pkg, d);
        let gone = b.deleted_id();
        b.t.packages[pkg as usize].incompatible_deleted.push(gone);
        let id = b.t.packages[pkg as usize].id.clone();
        b.t.expect.plant("GS601", &id);
        let r = b.deleted_group_resource(catalog, &format!("{dname}-Legacy-Readers-{i}"));
        let pkg = plant_package(b, d, "Legacy Reports");
        b.t.packages[pkg as usize].grants.push((r, 0));
        b.dept_policy(pkg, d);
        let rid = b.t.resources[r as usize].id.clone();
        b.t.expect.plant("GS601", &rid);
        let org = push_org(
            b,
            &format!("Former Partner {i}"),
            &format!("former{i}.example"),
            false,
        );
        let gone = b.deleted_id();
        b.t.orgs[org as usize]
            .internal
            .push(SponsorRef::Deleted(gone));
        let oid = b.t.orgs[org as usize].id.clone();
        b.t.expect.plant("GS601", &oid);

        // GS602: a catalog resource no package uses.
        let r = if i % 2 == 0 {
            b.site_resource(catalog, &format!("{dname} Old Intranet {i}"))
        } else {
            b.group_resource(
                catalog,
                &format!("{}-Unused-{i}", dname.replace([' ', '&'], "")),
                false,
                GroupKind::Resource,
            )
            .0
        };
        let rid = b.t.resources[r as usize].id.clone();
        b.t.expect.plant("GS602", &rid);

        // GS603: a package only administrators assign, held by nobody (some past holders), or
        // with no policy at all.
        let pkg = plant_package(b, d, "Retired System");
        if i % 2 == 0 {
            b.admin_policy(pkg);
        }
        let id = b.t.packages[pkg as usize].id.clone();
        b.t.expect.plant("GS603", &id);

        // GS604: a policy whose fixed end date has passed but that still accepts requests.
        let pkg = plant_package(b, d, "Audit 2026");
        let p = b.dept_policy(pkg, d);
        b.t.policies[p as usize].exp = Exp::Until(b.t.as_of - b.rng.range(5, 120) * DAY);
        let pid = b.t.policies[p as usize].id.clone();
        b.t.expect.plant("GS604", &pid);
    }

    // GS503: the tenant lets guests keep their accounts after their last assignment ends.
    b.t.lifecycle_none = true;
    b.t.expect.plant("GS503", "tenant");
    b.t.expect
        .rate("GS503", "the tenant setting (always planted)");
}

/// Distinct candidates for user plants: enabled individual contributors of the departments.
fn contributors(b: &Builder<'_>, used: &[bool]) -> Vec<Ix> {
    b.t.users
        .iter()
        .enumerate()
        .filter(|(i, u)| {
            !u.guest
                && u.level == 1
                && u.dept.unwrap_or(0) > 0
                && !u.admin_only
                && u.enabled
                && !used[*i]
        })
        .map(|(i, _)| i as Ix)
        .collect()
}

fn take(b: &mut Builder<'_>, pool: &mut Vec<Ix>, used: &mut [bool]) -> Option<Ix> {
    while !pool.is_empty() {
        let i = b.rng.below(pool.len());
        let u = pool.swap_remove(i);
        if !used[u as usize] {
            used[u as usize] = true;
            return Some(u);
        }
    }
    None
}

/// Plants on users (before assignments are made): GS203 (a manager cycle), GS501, GS502, GS504,
/// GS505, and the disabled users of GS206's second variant. Returns each user's mode.
pub(crate) fn users(b: &mut Builder<'_>, used: &mut Vec<bool>) -> Vec<Mode> {
    let n = b.t.users.len();
    used.resize(n, false);
    let mut modes = vec![Mode::Normal; n];
    let as_of = b.t.as_of;
    let members = b.t.users.iter().filter(|u| !u.guest).count();
    let mut pool = contributors(b, used);

    // Disabled members: half keep their access (GS505), half hold nothing any more.
    let disabled = (members * 15 / 1000).max(2);
    let keep = disabled.div_ceil(2);
    let mut clean = Vec::new();
    for k in 0..disabled {
        let Some(u) = take(b, &mut pool, used) else {
            break;
        };
        b.t.users[u as usize].enabled = false;
        if k < keep {
            modes[u as usize] = Mode::Disabled505;
            let id = b.t.users[u as usize].id.clone();
            b.t.expect.plant("GS505", &id);
        } else {
            modes[u as usize] = Mode::DisabledClean;
            clean.push(u);
        }
    }
    b.t.expect.rate(
        "GS505",
        format!("{keep} of {disabled} disabled members (1.5% of members) keep active assignments"),
    );
    // GS206's second variant: a disabled single approver (stand-in index u32::MAX).
    let stand_in = clean.first().copied().unwrap_or(b.t.ceo);
    for p in &mut b.t.policies {
        for s in &mut p.stages {
            for set in &mut s.primary {
                if matches!(set, Set::Group(g) if *g == u32::MAX) {
                    *set = Set::User(stand_in);
                }
            }
        }
    }

    // GS203 (manager cycle): an individual contributor recorded as their own manager, on a team
    // that requests with manager approval.
    let k = per_rule(b.t.packages.len()).div_ceil(4);
    for _ in 0..k {
        let Some(u) = take(b, &mut pool, used) else {
            break;
        };
        b.t.users[u as usize].manager = Some(u);
        let team = b.t.users[u as usize].team.unwrap_or(0);
        let dept = b.t.teams[team as usize].dept;
        let pkg = plant_package(b, dept, "Team Tools");
        b.team_policy(pkg, team, false);
        let id = b.t.users[u as usize].id.clone();
        b.t.expect.plant("GS203", &id);
    }

    // Guests.
    // Guests of connected organisations only: the few loose guests keep the package only
    // administrators assign alive (GS603).
    let mut guests: Vec<Ix> = (0..n as Ix)
        .filter(|&i| b.t.users[i as usize].org.is_some() && !used[i as usize])
        .collect();
    let total_guests = guests.len();
    let connected_guests: usize = guests
        .iter()
        .filter(|&&g| b.t.users[g as usize].org.is_some())
        .count();
    let stale = (connected_guests / 10).max(2);
    for k in 0..stale {
        let Some(g) = take(b, &mut guests, used) else {
            break;
        };
        let u = &mut b.t.users[g as usize];
        let age = (as_of - u.created) / DAY;
        if k % 3 == 2 || age < 200 {
            // Never signed in, created long ago.
            u.created = as_of - b.rng.range(200, 900) * DAY;
            u.ext = Some((ExtState::Accepted, u.created + 3 * HOUR));
            u.sign_in = SignIn::Never {
                sentinel: k % 2 == 0,
            };
        } else {
            let d = b.rng.range(120, (age - 10).min(700));
            let t = as_of - d * DAY - b.rng.range(60, DAY - 60);
            u.sign_in = SignIn::Times {
                interactive: Some(t),
                non_interactive: None,
                successful: Some(t),
            };
        }
        let id = u.id.clone();
        b.t.expect.plant("GS501", &id);
    }
    b.t.expect.rate(
        "GS501",
        format!(
            "{stale} guests (10% of connected guests) inactive 120–700 days or never signed in"
        ),
    );
    let pending = (total_guests / 50).max(1);
    for _ in 0..pending {
        let Some(g) = take(b, &mut guests, used) else {
            break;
        };
        let u = &mut b.t.users[g as usize];
        u.created = as_of - b.rng.range(31, 80) * DAY;
        u.ext = Some((ExtState::PendingAcceptance, u.created));
        u.sign_in = SignIn::Null;
        let id = u.id.clone();
        b.t.expect.plant("GS502", &id);
    }
    b.t.expect.rate(
        "GS502",
        format!("{pending} guests (2%) pending acceptance for 31–80 days"),
    );
    // Near misses: pending for less than 30 days; never signed in but new; failed interactive
    // sign-in long ago with a recent non-interactive one.
    for k in 0..(total_guests / 50).max(1) {
        let Some(g) = take(b, &mut guests, used) else {
            break;
        };
        let u = &mut b.t.users[g as usize];
        u.created = as_of - b.rng.range(2, 25) * DAY;
        if k % 2 == 0 {
            u.ext = Some((ExtState::PendingAcceptance, u.created));
        }
        u.sign_in = SignIn::Null;
    }
    for _ in 0..(total_guests / 100).max(1) {
        let Some(g) = take(b, &mut guests, used) else {
            break;
        };
        let u = &mut b.t.users[g as usize];
        let recent = as_of - b.rng.range(1, 20) * DAY;
        u.created = u.created.min(as_of - 300 * DAY);
        u.sign_in = SignIn::Times {
            interactive: Some(as_of - 200 * DAY),
            non_interactive: Some(recent),
            successful: None,
        };
    }
    let no_access = (total_guests / 25).max(1);
    for _ in 0..no_access {
        let Some(g) = take(b, &mut guests, used) else {
            break;
        };
        modes[g as usize] = Mode::NoAccess504;
        let id = b.t.users[g as usize].id.clone();
        b.t.expect.plant("GS504", &id);
    }
    b.t.expect.rate(
        "GS504",
        format!("{no_access} enabled guests (4%) whose assignments all ended"),
    );
    for _ in 0..(total_guests / 50).max(1) {
        let Some(g) = take(b, &mut guests, used) else {
            break;
        };
        let u = &mut b.t.users[g as usize];
        u.enabled = false;
        u.sign_in = SignIn::Times {
            interactive: Some(as_of - 400 * DAY),
            non_interactive: None,
            successful: Some(as_of - 400 * DAY),
        };
        modes[g as usize] = Mode::DisabledClean;
    }
    modes
}

/// Plants on assignments and the audit log (after the background assignments exist): GS204,
/// GS205, GS304, GS305, GS401, GS402, GS403.
pub(crate) fn assignments(b: &mut Builder<'_>, used: &mut [bool], modes: &[Mode]) {
    let as_of = b.t.as_of;
    let n_users = b.t.users.len();
    let mut pool = contributors(b, used);
    pool.retain(|&u| modes[u as usize] == Mode::Normal);

    // GS304 / GS305: active background assignments without an end, or past their end.
    let active: Vec<usize> = (0..b.t.assignments.len())
        .filter(|&a| {
            let x = &b.t.assignments[a];
            x.state == AState::Delivered && modes[x.user as usize] == Mode::Normal
        })
        .collect();
    let k = (active.len() / 500).max(1);
    let mut chosen = Vec::new();
    let mut picks = active.clone();
    b.rng.shuffle(&mut picks);
    for &a in picks.iter().take(2 * k) {
        chosen.push(a);
    }
    let seed = b.seed();
    for (n, &a) in chosen.iter().enumerate() {
        let id = crate::ids::id(seed, crate::ids::K::Assignment, a as u64);
        if n < k {
            b.t.assignments[a].end = End::Never;
            b.t.expect.plant("GS304", &id);
        } else {
            let end = as_of - b.rng.range(1, 90) * DAY - b.rng.range(60, DAY - 60);
            let x = &mut b.t.assignments[a];
            let len = match x.end {
                End::At(e) => e - x.start,
                End::Never => 180 * DAY,
            };
            x.end = End::At(end);
            x.start = end - len;
            b.t.expect.plant("GS305", &id);
        }
    }
    b.t.expect.rate(
        "GS304",
        format!("{k} active assignments (0.2%) without an end date"),
    );
    b.t.expect.rate(
        "GS305",
        format!("{k} active assignments (0.2%) past their end date"),
    );

    // Separation of duties: users who hold both sides.
    let k = (n_users / 2000).max(1);
    let pairs: Vec<(Ix, Ix)> =
        b.t.packages
            .iter()
            .enumerate()
            .filter_map(|(i, p)| {
                let q = *p.incompatible_packages.first()?;
                let back = b.t.packages[q as usize]
                    .incompatible_packages
                    .contains(&(i as Ix));
                (back && (i as Ix) < q).then_some((i as Ix, q))
            })
            .collect();
    let listed: Vec<(Ix, Ix)> =
        b.t.packages
            .iter()
            .enumerate()
            .filter_map(|(i, p)| match p.incompatible_groups.first() {
                Some(GroupRef::Group(g)) if matches!(p.pool, Pool::Team(_)) => Some((i as Ix, *g)),
                _ => None,
            })
            .collect();
    let submit =
        b.t.packages
            .iter()
            .position(|p| p.name == "Payments - Submit")
            .unwrap_or(0) as Ix;
    let approve =
        b.t.packages
            .iter()
            .position(|p| p.name == "Payments - Approve")
            .unwrap_or(0) as Ix;
    for i in 0..k {
        // GS401: a member of A's team also holds B.
        let (a, bb) = pairs[i % pairs.len()];
        if let Some(u) = team_member(b, a, used, modes) {
            ensure_active(b, u, a);
            ensure_active(b, u, bb);
            let id = b.t.users[u as usize].id.clone();
            b.t.expect.plant("GS401", &id);
        }
        // GS402: a member of the listed group holds the package.
        let (p, g) = listed[i % listed.len()];
        let members = b.t.groups[g as usize].users.clone();
        if let Some(&u) = members.iter().find(|&&u| {
            !used[u as usize]
                && modes[u as usize] == Mode::Normal
                && b.t.users[u as usize].level == 1
        }) {
            used[u as usize] = true;
            ensure_active(b, u, p);
            let id = b.t.users[u as usize].id.clone();
            b.t.expect.plant("GS402", &id);
        }
        // GS403: a payments submitter who also approves.
        if let Some(u) = team_member(b, submit, used, modes) {
            ensure_active(b, u, submit);
            ensure_active(b, u, approve);
            let id = b.t.users[u as usize].id.clone();
            b.t.expect.plant("GS403", &id);
        }
    }
    // GS403 (bundle): one package granting both sides, held by nobody.
    let s_r = b.t.packages[submit as usize].grants[0];
    let a_r = b.t.packages[approve as usize].grants[0];
    let fcat = b.t.packages[submit as usize].catalog;
    let bundle = b.simple_package(
        fcat,
        "Finance Ops Bundle",
        "Submit and approve payments (legacy bundle)",
        Pool::None,
        &[s_r, a_r],
    );
    b.dept_policy(bundle, 1);
    let id = b.t.packages[bundle as usize].id.clone();
    b.t.expect.plant("GS403", &id);
    for r in ["GS401", "GS402", "GS403"] {
        b.t.expect.rate(
            r,
            format!("{k} users (one per 2,000 users) holding both sides"),
        );
    }

    // GS505: make sure every planted disabled user still holds something.
    for u in 0..n_users as Ix {
        if modes[u as usize] == Mode::Disabled505
            && !b
                .t
                .assignments
                .iter()
                .any(|a| a.user == u && a.state.active())
        {
            let dept = b.t.users[u as usize].dept.unwrap_or(1);
            if let Some(p) =
                b.t.packages
                    .iter()
                    .position(|p| p.pool == Pool::Dept(dept) && p.main_policy.is_some())
            {
                ensure_active(b, u, p as Ix);
            }
        }
    }

    // GS204 / GS205: self-approval and self-assignment; two users approving each other.
    let k = (n_users / 5000).max(1);
    for i in 0..k {
        let recent = as_of - b.rng.range(2, 8) * DAY;
        if i % 2 == 0 {
            if let Some(u) = take(b, &mut pool, used)
                && let Some(a) = planted_request(b, u, recent)
            {
                b.t.assignments[a as usize].actors = [Some(u), None];
                b.t.planted_events.push(a);
                let id = b.t.users[u as usize].id.clone();
                b.t.expect.plant("GS204", &id);
            }
        } else {
            let admin = b.t.admins[i % b.t.admins.len()];
            let vpn =
                b.t.packages
                    .iter()
                    .position(|p| p.name == "Corporate VPN")
                    .unwrap_or(0) as Ix;
            let policy = b.t.packages[vpn as usize].main_policy.unwrap_or(0);
            let a = b.t.assignments.len() as Ix;
            b.t.assignments.push(Assignment {
                user: admin,
                package: vpn,
                policy,
                state: AState::Delivered,
                start: recent,
                end: End::At(recent + 365 * DAY),
                actors: [Some(admin), None],
            });
            b.t.planted_events.push(a);
            let id = b.t.users[admin as usize].id.clone();
            b.t.expect.plant("GS204", &id);
        }
        let (Some(x), Some(y)) = (take(b, &mut pool, used), take(b, &mut pool, used)) else {
            continue;
        };
        let t1 = as_of - b.rng.range(10, 20) * DAY;
        let t2 = t1 + b.rng.range(1, 9) * DAY;
        if let (Some(a1), Some(a2)) = (planted_request(b, y, t1), planted_request(b, x, t2)) {
            b.t.assignments[a1 as usize].actors = [Some(x), None];
            b.t.assignments[a2 as usize].actors = [Some(y), None];
            b.t.planted_events.extend([a1, a2]);
            let (ix, iy) = (
                b.t.users[x as usize].id.clone(),
                b.t.users[y as usize].id.clone(),
            );
            b.t.expect.plant("GS205", if ix < iy { &ix } else { &iy });
        }
    }
    b.t.expect.rate(
        "GS204",
        format!("{k} users (one per 5,000 users): self-approval or self-assignment"),
    );
    b.t.expect.rate(
        "GS205",
        format!("{k} pairs (one per 5,000 users) approving each other within 10 days"),
    );
}

/// An enabled, unplanted individual contributor of the team package `pkg` is for.
fn team_member(b: &mut Builder<'_>, pkg: Ix, used: &mut [bool], modes: &[Mode]) -> Option<Ix> {
    let Pool::Team(team) = b.t.packages[pkg as usize].pool else {
        return None;
    };
    let members: Vec<Ix> = b.t.teams[team as usize]
        .members
        .iter()
        .copied()
        .filter(|&u| {
            !used[u as usize]
                && modes[u as usize] == Mode::Normal
                && b.t.users[u as usize].level == 1
        })
        .collect();
    let u = *members.first()?;
    used[u as usize] = true;
    Some(u)
}

/// Gives `u` an active assignment of `pkg` through its main policy unless it has one.
fn ensure_active(b: &mut Builder<'_>, u: Ix, pkg: Ix) {
    if b.t
        .assignments
        .iter()
        .any(|a| a.user == u && a.package == pkg && a.state.active())
    {
        return;
    }
    let policy = b.t.packages[pkg as usize].main_policy.unwrap_or(0);
    let start = b.t.as_of - b.rng.range(20, 80) * DAY - b.rng.range(0, DAY);
    let actors = crate::access::approvers(b, policy, u);
    b.t.assignments.push(Assignment {
        user: u,
        package: pkg,
        policy,
        state: AState::Delivered,
        start,
        end: End::At(start + 90 * DAY),
        actors,
    });
}

/// A new assignment for `u` of a department package requested at `time` (one approval stage).
fn planted_request(b: &mut Builder<'_>, u: Ix, time: i64) -> Option<Ix> {
    let dept = b.t.users[u as usize].dept?;
    let candidates: Vec<Ix> = (0..b.t.packages.len() as Ix)
        .filter(|&p| {
            let pk = &b.t.packages[p as usize];
            pk.pool == Pool::Dept(dept)
                && pk.main_policy.is_some_and(|q| {
                    b.t.policies[q as usize].via == crate::model::Via::Request
                        && b.t.policies[q as usize].stages.len() == 1
                })
        })
        .collect();
    // Prefer a package the user does not hold yet (a renewal otherwise).
    let pkg = candidates
        .iter()
        .copied()
        .find(|&p| {
            !b.t.assignments
                .iter()
                .any(|a| a.user == u && a.package == p && a.state.active())
        })
        .or_else(|| candidates.first().copied())?;
    let policy = b.t.packages[pkg as usize].main_policy?;
    let a = b.t.assignments.len() as Ix;
    b.t.assignments.push(Assignment {
        user: u,
        package: pkg,
        policy,
        state: AState::Delivered,
        start: time,
        end: End::At(time + 90 * DAY),
        actors: [None, None],
    });
    Some(a)
}
