//! Who holds what: assignments with churn (delivered and expired, a few still delivering or
//! failed), through the policies their users are eligible for, with the approvers of each stage,
//! plus requests that did not lead to an assignment.

use std::collections::HashSet;

use crate::build::Builder;
use crate::model::{AState, Assignment, End, Exp, Ix, OpenRequest, Pool, Set, Via};
use crate::plant::Mode;
use crate::time::{DAY, HOUR};

/// Packages by pool, for the background loop.
struct Pools {
    dept: Vec<Vec<Ix>>,
    team: Vec<Vec<Ix>>,
    org: Vec<Vec<Ix>>,
    leadership: Vec<Ix>,
    exec: Vec<Ix>,
    loose: Vec<Ix>,
    /// Each package's administrator policy, if it has one besides its main policy.
    admin_policy: Vec<Option<Ix>>,
}

impl Pools {
    fn new(b: &Builder<'_>) -> Self {
        let mut p = Pools {
            dept: vec![Vec::new(); b.t.departments.len()],
            team: vec![Vec::new(); b.t.teams.len()],
            org: vec![Vec::new(); b.t.orgs.len()],
            leadership: Vec::new(),
            exec: Vec::new(),
            loose: Vec::new(),
            admin_policy: vec![None; b.t.packages.len()],
        };
        for (q, pol) in b.t.policies.iter().enumerate() {
            if pol.via == Via::Admin
                && b.t.packages[pol.package as usize].main_policy != Some(q as Ix)
            {
                p.admin_policy[pol.package as usize] = Some(q as Ix);
            }
        }
        for (i, pkg) in b.t.packages.iter().enumerate() {
            let i = i as Ix;
            // Auto-assigned packages are handed out by the policy itself, not by chance.
            if pkg
                .main_policy
                .is_some_and(|q| b.t.policies[q as usize].auto)
            {
                continue;
            }
            match pkg.pool {
                Pool::Dept(d) => p.dept[d].push(i),
                Pool::Team(t) => p.team[t as usize].push(i),
                Pool::Org(o) => p.org[o as usize].push(i),
                Pool::Leadership => p.leadership.push(i),
                Pool::ExecStaff => p.exec.push(i),
                Pool::LooseGuests => p.loose.push(i),
                Pool::None => {}
            }
        }
        p
    }

    /// The packages user `u` may be given, most popular first.
    fn eligible(&self, b: &Builder<'_>, u: Ix, out: &mut Vec<Ix>) {
        out.clear();
        let user = b.t.user(u);
        if user.guest {
            match user.org {
                Some(o) => out.extend(&self.org[o as usize]),
                None => out.extend(&self.loose),
            }
            return;
        }
        if user.dept == Some(0) {
            out.extend(&self.exec);
            if u == b.t.ceo {
                out.extend(&self.leadership);
            }
            return;
        }
        if let Some(d) = user.dept {
            out.extend(&self.dept[d]);
        }
        if let Some(t) = user.team {
            out.extend(&self.team[t as usize]);
        }
        if user.level == 3 {
            out.extend(&self.leadership);
        }
    }
}

fn pick_from_group(b: &mut Builder<'_>, g: Ix, not: Ix) -> Option<Ix> {
    let users: Vec<Ix> = b.t.groups[g as usize]
        .users
        .iter()
        .copied()
        .filter(|&u| u != not && b.t.user(u).enabled)
        .collect();
    (!users.is_empty()).then(|| *b.rng.pick(&users))
}

fn resolve(b: &mut Builder<'_>, sets: &[Set], user: Ix, policy: Ix) -> Option<Ix> {
    for set in sets {
        let found = match set {
            Set::User(u) if *u != user && b.t.user(*u).enabled => Some(*u),
            Set::Group(g) => pick_from_group(b, *g, user),
            Set::Manager(_) => {
                b.t.user(user)
                    .manager
                    .filter(|&m| m != user && b.t.user(m).enabled)
            }
            Set::InternalSponsors => {
                let org = b.t.policies[policy as usize]
                    .targets
                    .iter()
                    .find_map(|s| match s {
                        Set::Org(o) => Some(*o),
                        _ => None,
                    });
                org.and_then(|o| {
                    b.t.orgs[o as usize].internal.iter().find_map(|s| match s {
                        crate::model::SponsorRef::User(u) if *u != user => Some(*u),
                        _ => None,
                    })
                })
            }
            _ => None,
        };
        if found.is_some() {
            return found;
        }
    }
    None
}

/// The users who decided an assignment of `policy` for `user`: one approver per stage (the
/// fallback when the primary cannot), or the administrator who assigned it.
pub(crate) fn approvers(b: &mut Builder<'_>, policy: Ix, user: Ix) -> [Option<Ix>; 2] {
    let mut out = [None, None];
    match b.t.policies[policy as usize].via {
        Via::Admin => {
            let admins: Vec<Ix> = b.t.admins.iter().copied().filter(|&a| a != user).collect();
            out[0] = Some(*b.rng.pick(&admins));
        }
        Via::Auto => {}
        Via::Request => {
            let stages = b.t.policies[policy as usize].stages.clone();
            for (i, st) in stages.iter().take(2).enumerate() {
                out[i] = resolve(b, &st.primary, user, policy)
                    .or_else(|| resolve(b, &st.fallback, user, policy));
            }
        }
    }
    out
}

fn duration_days(exp: Exp) -> i64 {
    match exp {
        Exp::Days(d) => d,
        Exp::Never | Exp::Until(_) => 365,
    }
}

/// A start and end for an assignment of `policy` to `user`, active or not.
fn schedule(b: &mut Builder<'_>, user: Ix, policy: Ix, active: bool) -> (i64, i64) {
    let as_of = b.t.as_of;
    let days = duration_days(b.t.policies[policy as usize].exp);
    let created = b.t.user(user).created;
    if active {
        let hi = as_of - HOUR;
        let lo = (as_of - days * DAY + DAY).max(created + HOUR).min(hi);
        let start = b.rng.range(lo, hi);
        (start, start + days * DAY)
    } else {
        let hi = as_of - DAY;
        let lo = (as_of - 1100 * DAY).max(created + 2 * DAY).min(hi);
        let end = b.rng.range(lo, hi);
        ((end - days * DAY).max(created + HOUR).min(end - HOUR), end)
    }
}

fn push(b: &mut Builder<'_>, user: Ix, package: Ix, policy: Ix, active: bool) {
    let (start, end) = schedule(b, user, policy, active);
    let state = if active {
        if b.rng.chance(0.004) {
            AState::Delivering
        } else {
            AState::Delivered
        }
    } else if b.rng.chance(0.003) {
        AState::DeliveryFailed
    } else {
        AState::Expired
    };
    let actors = approvers(b, policy, user);
    b.t.assignments.push(Assignment {
        user,
        package,
        policy,
        state,
        start,
        end: End::At(end),
        actors,
    });
}

/// The policy an assignment of `package` goes through: usually the main one, sometimes the
/// package's administrator policy.
fn policy_for(b: &mut Builder<'_>, pools: &Pools, package: Ix) -> Ix {
    let main = b.t.packages[package as usize].main_policy.unwrap_or(0);
    match pools.admin_policy[package as usize] {
        Some(admin) if b.rng.chance(0.15) => admin,
        _ => main,
    }
}

/// Background assignments until `target` exist.
pub(crate) fn generate(b: &mut Builder<'_>, target: usize, modes: &[Mode]) {
    let pools = Pools::new(b);
    let n_users = b.t.users.len();
    let mut active: HashSet<(Ix, Ix)> = HashSet::new();
    let holds =
        |modes: &[Mode], u: Ix| matches!(modes[u as usize], Mode::Normal | Mode::Disabled505);

    // Auto-assignment: everyone in the department.
    for p in 0..b.t.packages.len() as Ix {
        let Some(q) = b.t.packages[p as usize].main_policy else {
            continue;
        };
        if !b.t.policies[q as usize].auto {
            continue;
        }
        let Pool::Dept(d) = b.t.packages[p as usize].pool else {
            continue;
        };
        for u in 0..n_users as Ix {
            if b.t.user(u).dept == Some(d) {
                let on = holds(modes, u);
                push(b, u, p, q, on);
                if on {
                    active.insert((u, p));
                }
            }
        }
    }

    // Every guest gets one package of their organisation (or the loose-guest package).
    let mut eligible = Vec::new();
    for u in 0..n_users as Ix {
        if !b.t.user(u).guest {
            continue;
        }
        pools.eligible(b, u, &mut eligible);
        if eligible.is_empty() {
            continue;
        }
        let p = *b.rng.pick(&eligible);
        let q = policy_for(b, &pools, p);
        let on = holds(modes, u);
        push(b, u, p, q, on);
        if on {
            active.insert((u, p));
        } else if modes[u as usize] == Mode::NoAccess504 && b.rng.chance(0.5) {
            push(b, u, p, q, false);
        }
    }

    // Everyone else, by chance: a popular head of each user's package list.
    let mut guard = 0usize;
    while b.t.assignments.len() < target && guard < target * 20 {
        guard += 1;
        let u = b.rng.below(n_users) as Ix;
        if b.t.user(u).guest && !b.rng.chance(0.4) {
            continue;
        }
        pools.eligible(b, u, &mut eligible);
        if eligible.is_empty() {
            continue;
        }
        let k = b.rng.below(eligible.len()).min(b.rng.below(eligible.len()));
        let p = eligible[k];
        let q = policy_for(b, &pools, p);
        let on = holds(modes, u) && !active.contains(&(u, p)) && b.rng.chance(0.72);
        push(b, u, p, q, on);
        if on {
            active.insert((u, p));
        }
    }

    // Packages only administrators assign must have a holder, or they are dead (GS603).
    let mut held = vec![false; b.t.packages.len()];
    let mut accepting = vec![false; b.t.packages.len()];
    for a in &b.t.assignments {
        held[a.package as usize] |= a.state.active();
    }
    for q in &b.t.policies {
        accepting[q.package as usize] |= q.self_add || q.auto;
    }
    for p in 0..b.t.packages.len() as Ix {
        let pool = b.t.packages[p as usize].pool;
        if pool == Pool::None || accepting[p as usize] || held[p as usize] {
            continue;
        }
        let candidates: Vec<Ix> = (0..n_users as Ix)
            .filter(|&u| {
                modes[u as usize] == Mode::Normal && {
                    pools.eligible(b, u, &mut eligible);
                    eligible.contains(&p)
                }
            })
            .collect();
        if candidates.is_empty() {
            continue;
        }
        let u = *b.rng.pick(&candidates);
        let q = b.t.packages[p as usize].main_policy.unwrap_or(0);
        let (start, end) = schedule(b, u, q, true);
        let actors = approvers(b, q, u);
        b.t.assignments.push(Assignment {
            user: u,
            package: p,
            policy: q,
            state: AState::Delivered,
            start,
            end: End::At(end),
            actors,
        });
        active.insert((u, p));
    }

    // Requests that are still pending or were denied.
    let open = (target / 50).max(2);
    let mut made = 0;
    let mut guard = 0;
    while made < open && guard < open * 50 {
        guard += 1;
        let u = b.rng.below(n_users) as Ix;
        if modes[u as usize] != Mode::Normal || b.t.user(u).guest {
            continue;
        }
        pools.eligible(b, u, &mut eligible);
        let requestable: Vec<Ix> = eligible
            .iter()
            .copied()
            .filter(|&p| {
                b.t.packages[p as usize]
                    .main_policy
                    .is_some_and(|q| b.t.policies[q as usize].via == Via::Request)
            })
            .collect();
        if requestable.is_empty() {
            continue;
        }
        let p = *b.rng.pick(&requestable);
        let q = b.t.packages[p as usize].main_policy.unwrap_or(0);
        let pending = b.rng.chance(0.4);
        let created = b.t.as_of
            - if pending {
                b.rng.range(HOUR, 14 * DAY)
            } else {
                b.rng.range(2 * DAY, 80 * DAY)
            };
        let denied_by = if pending { None } else { approvers(b, q, u)[0] };
        b.t.open_requests.push(OpenRequest {
            user: u,
            package: p,
            policy: q,
            created,
            denied_by,
        });
        made += 1;
    }
}
