//! Builds the background tenant: a directory (departments, teams, managers, a CEO without one,
//! guests from partner organisations), catalogs, resources, access packages and policies whose
//! configuration is clean, i.e. no rule fires on it. Problems are added afterwards by
//! [`crate::plant`], so every finding can be traced to a plant.
//!
//! The invariants that keep the background clean (each named after the rules it protects):
//! - approvers are never in the population of the policies they approve (GS201): department
//!   policies are approved by the Access Governance team of the Executive Office, team policies by
//!   the requestor's manager with a governance fallback (GS202, GS206, GS207), partner policies by
//!   the organisation's internal sponsors;
//! - no package grants membership of a group that approves anything (GS203);
//! - approvals flow down a fixed order (governance, assistants and managers approve the people
//!   below them; nobody approved by someone ever approves them back), so there are no reciprocal
//!   or self approvals (GS204, GS205);
//! - every policy that reaches guests requires approval, has quarterly reviews that remove access
//!   and expires within 180 days; internal ones expire within 365 days and are reviewed at most
//!   yearly (GS101–GS105, GS301–GS314);
//! - packages that list each other as incompatible, and the payments separation-of-duties pair, are
//!   held by disjoint teams (GS401–GS404);
//! - every enabled guest holds an active assignment and signed in within 85 days; only individual
//!   contributors are ever disabled, and they then hold nothing (GS501–GS505);
//! - every resource is used, every package accepts requests or has holders, every reference
//!   resolves (GS601–GS604).

use std::collections::HashMap;

use crate::ids::{K, id};
use crate::model::{
    Catalog, Department, Exp, ExtState, Group, GroupKind, GroupRef, Ix, Org, Origin, Package,
    Policy, Pool, Resource, Review, Role, Scope, ServicePrincipal, Set, SignIn, SponsorRef, Stage,
    Team, Tenant, User, Via,
};
use crate::names;
use crate::rng::Rng;
use crate::time::{DAY, HOUR, midnight};

/// The analysis date of every generated tenant.
pub(crate) fn as_of() -> i64 {
    midnight(2026, 11, 1)
}

pub(crate) const DOMAIN: &str = "contoso.example";
pub(crate) const TENANT_DOMAIN: &str = "contoso.onmicrosoft.com";

/// Counters for ids of each kind.
#[derive(Debug, Default)]
pub(crate) struct Counters {
    pub(crate) roles: u64,
    pub(crate) scopes: u64,
    pub(crate) deleted: u64,
}

pub(crate) struct Builder<'t> {
    pub(crate) t: &'t mut Tenant,
    pub(crate) rng: Rng,
    pub(crate) counters: Counters,
    upn_taken: HashMap<String, u32>,
}

fn ascii_slug(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars() {
        let c = match c {
            'ä' | 'á' | 'à' | 'å' | 'ã' => 'a',
            'é' | 'è' | 'ë' | 'É' => 'e',
            'í' | 'ï' => 'i',
            'ö' | 'ó' | 'ø' => 'o',
            'ü' | 'ú' => 'u',
            'ñ' => 'n',
            'ç' | 'ć' => 'c',
            'ř' => 'r',
            'š' => 's',
            'ž' => 'z',
            'ł' => 'l',
            'ý' => 'y',
            c => c,
        };
        if c.is_ascii_alphanumeric() {
            out.push(c.to_ascii_lowercase());
        } else if (c == ' ' || c == '-') && !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    out.trim_end_matches('-').to_owned()
}

/// Days since the last sign-in: a long-tailed (Lomax) distribution: median 1.5 days, one user in
/// ten beyond two weeks, one in a hundred beyond five months.
fn sign_in_days(rng: &mut Rng) -> i64 {
    let u = 1.0 - rng.unit();
    let d = 1.5 * (1.0 / u - 1.0);
    d.min(3000.0) as i64
}

impl<'t> Builder<'t> {
    pub(crate) fn new(t: &'t mut Tenant, seed: u64) -> Self {
        Builder {
            t,
            rng: Rng::new(seed, "build"),
            counters: Counters::default(),
            upn_taken: HashMap::new(),
        }
    }

    pub(crate) fn seed(&self) -> u64 {
        self.t.seed
    }

    pub(crate) fn deleted_id(&mut self) -> String {
        self.counters.deleted += 1;
        id(self.seed(), K::Deleted, self.counters.deleted)
    }

    fn unique_alias(&mut self, given: &str, surname: &str) -> String {
        let base = format!("{}.{}", ascii_slug(given), ascii_slug(surname)).replace('-', "");
        let n = self.upn_taken.entry(base.clone()).or_insert(0);
        *n += 1;
        if *n == 1 { base } else { format!("{base}{n}") }
    }

    /// Adds a member user and returns its index.
    pub(crate) fn member(
        &mut self,
        dept: Option<usize>,
        title: &str,
        level: u8,
        manager: Option<Ix>,
    ) -> Ix {
        let i = self.t.users.len() as Ix;
        let given = *self.rng.pick(names::GIVEN);
        let surname = *self.rng.pick(names::SURNAMES);
        let alias = self.unique_alias(given, surname);
        let upn = format!("{alias}@{DOMAIN}");
        let age_days = match level {
            3 | 4 => self.rng.range(1500, 3000),
            2 => self.rng.range(600, 3000),
            _ => self.rng.range(30, 3000),
        };
        let created = self.t.as_of - age_days * DAY + self.rng.range(8 * HOUR, 17 * HOUR);
        let sign_in = if self.rng.chance(0.015) && level < 2 {
            SignIn::Null
        } else {
            let d = sign_in_days(&mut self.rng).min(age_days - 1);
            let t = self.t.as_of - d * DAY - self.rng.range(60, DAY - 60);
            SignIn::Times {
                interactive: Some(t - self.rng.range(0, 6 * HOUR)),
                non_interactive: Some(t),
                successful: Some(t),
            }
        };
        self.t.users.push(User {
            id: id(self.seed(), K::User, u64::from(i)),
            display: format!("{given} {surname}"),
            given,
            surname,
            upn: upn.clone(),
            mail: upn,
            guest: false,
            org: None,
            dept,
            team: None,
            title: title.to_owned(),
            level,
            manager,
            enabled: true,
            created,
            ext: None,
            sign_in,
            sponsors: Vec::new(),
            admin_only: false,
        });
        i
    }

    /// Adds a guest from `domain` (of connected organisation `org`, if any).
    pub(crate) fn guest(&mut self, org: Option<Ix>, domain: &str) -> Ix {
        let i = self.t.users.len() as Ix;
        let given = *self.rng.pick(names::GIVEN);
        let surname = *self.rng.pick(names::SURNAMES);
        let alias = self.unique_alias(given, surname);
        let age_days = self.rng.range(30, 1500);
        let created = self.t.as_of - age_days * DAY + self.rng.range(8 * HOUR, 17 * HOUR);
        let accepted = created + self.rng.range(600, 2 * DAY);
        // Guests of the background sign in at least every 85 days (GS501).
        let d = sign_in_days(&mut self.rng).min(85).min(age_days - 2).max(0);
        let t = self.t.as_of - d * DAY - self.rng.range(60, DAY - 60);
        self.t.users.push(User {
            id: id(self.seed(), K::User, u64::from(i)),
            display: format!("{given} {surname}"),
            given,
            surname,
            upn: format!("{alias}_{domain}#EXT#@{TENANT_DOMAIN}"),
            mail: format!("{alias}@{domain}"),
            guest: true,
            org,
            dept: None,
            team: None,
            title: String::new(),
            level: 0,
            manager: None,
            enabled: true,
            created,
            ext: Some((ExtState::Accepted, accepted)),
            sign_in: SignIn::Times {
                interactive: Some(t - self.rng.range(0, 3 * HOUR)),
                non_interactive: if self.rng.chance(0.5) { Some(t) } else { None },
                successful: Some(t),
            },
            sponsors: Vec::new(),
            admin_only: false,
        });
        i
    }

    pub(crate) fn group(&mut self, name: &str, description: &str, kind: GroupKind) -> Ix {
        let i = self.t.groups.len() as Ix;
        self.t.groups.push(Group {
            id: id(self.seed(), K::Group, u64::from(i)),
            name: name.to_owned(),
            description: description.to_owned(),
            kind,
            users: Vec::new(),
            groups: Vec::new(),
            role_assignable: false,
            rule: None,
            unified: kind == GroupKind::Department,
            export_members: false,
        });
        i
    }

    fn catalog(&mut self, name: &str, description: &str, external: bool) -> Ix {
        let i = self.t.catalogs.len() as Ix;
        let created = self.t.as_of - self.rng.range(1200, 2000) * DAY;
        self.t.catalogs.push(Catalog {
            id: id(self.seed(), K::Catalog, u64::from(i)),
            name: name.to_owned(),
            description: description.to_owned(),
            created,
            external,
        });
        i
    }

    fn role(&mut self, name: &str, description: Option<String>, origin_id: String) -> Role {
        self.counters.roles += 1;
        Role {
            id: id(self.seed(), K::Role, self.counters.roles),
            name: name.to_owned(),
            description,
            origin_id,
        }
    }

    fn scope_id(&mut self) -> String {
        self.counters.scopes += 1;
        id(self.seed(), K::Scope, self.counters.scopes)
    }

    fn push_resource(
        &mut self,
        catalog: Ix,
        name: &str,
        description: String,
        origin: Origin,
        roles: Vec<Role>,
    ) -> Ix {
        let i = self.t.resources.len() as Ix;
        let scope_id = self.scope_id();
        let created = self.t.catalogs[catalog as usize].created + self.rng.range(1, 300) * DAY;
        self.t.resources.push(Resource {
            id: id(self.seed(), K::Resource, u64::from(i)),
            catalog,
            name: name.to_owned(),
            description,
            origin,
            roles,
            scope_id,
            created,
        });
        i
    }

    /// A group resource (roles Member, Owner) on a new directory group.
    pub(crate) fn group_resource(
        &mut self,
        catalog: Ix,
        name: &str,
        role_assignable: bool,
        kind: GroupKind,
    ) -> (Ix, Ix) {
        let g = self.group(
            name,
            &format!("{name} (granted through access packages)"),
            kind,
        );
        self.t.groups[g as usize].role_assignable = role_assignable;
        let gid = self.t.groups[g as usize].id.clone();
        let roles = vec![
            self.role("Member", None, format!("Member_{gid}")),
            self.role("Owner", None, format!("Owner_{gid}")),
        ];
        let r = self.push_resource(
            catalog,
            name,
            format!("{name} security group"),
            Origin::Group(g),
            roles,
        );
        (r, g)
    }

    /// A group resource whose group has since been deleted from the directory.
    pub(crate) fn deleted_group_resource(&mut self, catalog: Ix, name: &str) -> Ix {
        let gid = self.deleted_id();
        let roles = vec![
            self.role("Member", None, format!("Member_{gid}")),
            self.role("Owner", None, format!("Owner_{gid}")),
        ];
        self.push_resource(
            catalog,
            name,
            format!("{name} security group"),
            Origin::DeletedGroup(gid),
            roles,
        )
    }

    /// An application resource (roles User, Owner) on a new service principal.
    pub(crate) fn app_resource(&mut self, catalog: Ix, name: &str) -> Ix {
        let sp = self.t.service_principals.len() as Ix;
        self.t.service_principals.push(ServicePrincipal {
            id: id(self.seed(), K::ServicePrincipal, u64::from(sp)),
            app_id: id(self.seed(), K::AppId, u64::from(sp)),
            name: name.to_owned(),
        });
        let r1 = id(self.seed(), K::Role, 1_000_000_000 + u64::from(sp) * 2);
        let r2 = id(self.seed(), K::Role, 1_000_000_001 + u64::from(sp) * 2);
        let roles = vec![
            self.role("User", Some(format!("User of {name}")), r1),
            self.role("Owner", Some(format!("Owner of {name}")), r2),
        ];
        self.push_resource(
            catalog,
            name,
            format!("{name} enterprise application"),
            Origin::App(sp),
            roles,
        )
    }

    /// A SharePoint site resource (roles Members, Visitors, Owners).
    pub(crate) fn site_resource(&mut self, catalog: Ix, name: &str) -> Ix {
        let url = format!("https://contoso.sharepoint.com/sites/{}", ascii_slug(name));
        let roles = vec![
            self.role(&format!("{name} Members"), None, "5".to_owned()),
            self.role(&format!("{name} Visitors"), None, "4".to_owned()),
            self.role(&format!("{name} Owners"), None, "3".to_owned()),
        ];
        self.push_resource(
            catalog,
            name,
            format!("{name} SharePoint site"),
            Origin::Site(url),
            roles,
        )
    }

    pub(crate) fn package(&mut self, catalog: Ix, name: &str, description: &str, pool: Pool) -> Ix {
        let i = self.t.packages.len() as Ix;
        let created = self.t.catalogs[catalog as usize].created + self.rng.range(10, 900) * DAY;
        self.t.packages.push(Package {
            id: id(self.seed(), K::Package, u64::from(i)),
            catalog,
            name: name.to_owned(),
            description: description.to_owned(),
            hidden: self.rng.chance(0.05),
            created: created.min(self.t.as_of - 60 * DAY),
            grants: Vec::new(),
            incompatible_packages: Vec::new(),
            incompatible_deleted: Vec::new(),
            incompatible_groups: Vec::new(),
            pool,
            main_policy: None,
        });
        i
    }

    /// A policy with the defaults of a clean request policy; callers adjust the rest.
    pub(crate) fn policy(
        &mut self,
        package: Ix,
        name: &str,
        description: &str,
        scope: Scope,
        targets: Vec<Set>,
    ) -> Ix {
        let i = self.t.policies.len() as Ix;
        let created = self.t.packages[package as usize].created + self.rng.range(0, 30) * DAY;
        let requests = scope != Scope::NotSpecified;
        self.t.policies.push(Policy {
            id: id(self.seed(), K::Policy, u64::from(i)),
            package,
            name: name.to_owned(),
            description: description.to_owned(),
            scope,
            targets,
            self_add: requests,
            self_update: false,
            update_needs_approval: false,
            justification: requests,
            stages: Vec::new(),
            exp: Exp::Days(180),
            review: None,
            auto: false,
            created: created.min(self.t.as_of - 45 * DAY),
            via: if requests { Via::Request } else { Via::Admin },
        });
        if self.t.packages[package as usize].main_policy.is_none() {
            self.t.packages[package as usize].main_policy = Some(i);
        }
        i
    }

    pub(crate) fn review(&mut self, yearly: bool, interval: u32, reviewers: Vec<Set>) -> Review {
        Review {
            yearly,
            interval,
            keep_access: false,
            self_review: false,
            reviewers,
            start: self.t.as_of - self.rng.range(30, 400) * DAY,
        }
    }

    pub(crate) fn random_gov(&mut self) -> Ix {
        *self.rng.pick(&self.t.governance.clone())
    }

    /// A clean department policy: members of the department group, approved by Access Governance.
    pub(crate) fn dept_policy(&mut self, package: Ix, dept: usize) -> Ix {
        let dname = self.t.departments[dept].name.clone();
        let dgroup = self.t.departments[dept].group;
        let p = self.policy(
            package,
            &format!("{dname} members may request"),
            &format!("Anyone in {dname} may request; Access Governance approves"),
            Scope::SpecificDirectoryUsers,
            vec![Set::Group(dgroup)],
        );
        let gov = self.t.governance_group;
        let days = *self.rng.pick(&[90, 180, 365]);
        let review = if self.rng.chance(0.5) {
            Some(self.review(true, 1, vec![Set::Group(gov)]))
        } else {
            None
        };
        let extend = self.rng.chance(0.3);
        let pol = &mut self.t.policies[p as usize];
        pol.stages = vec![Stage {
            primary: vec![Set::Group(gov)],
            ..Stage::default()
        }];
        pol.exp = Exp::Days(days);
        pol.review = review;
        pol.self_update = extend;
        pol.update_needs_approval = extend;
        p
    }

    /// A clean team policy: the team requests, their manager approves, governance is the fallback.
    pub(crate) fn team_policy(&mut self, package: Ix, team: Ix, privileged: bool) -> Ix {
        let tname = self.t.teams[team as usize].name.clone();
        let tgroup = self.t.teams[team as usize].group;
        let p = self.policy(
            package,
            &format!("{tname} (manager approval)"),
            &format!("Members of {tname} request; their manager approves"),
            Scope::SpecificDirectoryUsers,
            vec![Set::Group(tgroup)],
        );
        let fallback = self.random_gov();
        let mut stages = vec![Stage {
            primary: vec![Set::Manager(1)],
            fallback: vec![Set::User(fallback)],
            ..Stage::default()
        }];
        let (days, review) = if privileged {
            let sec = self.t.security_group;
            stages.push(Stage {
                primary: vec![Set::Group(sec)],
                ..Stage::default()
            });
            (90, Some(self.review(false, 3, vec![Set::Group(sec)])))
        } else {
            let review = if self.rng.chance(0.3) {
                let gov = self.t.governance_group;
                Some(self.review(false, 6, vec![Set::Group(gov)]))
            } else {
                None
            };
            (*self.rng.pick(&[90, 180]), review)
        };
        let pol = &mut self.t.policies[p as usize];
        pol.stages = stages;
        pol.exp = Exp::Days(days);
        pol.review = review;
        p
    }

    /// Direct assignment by administrators only.
    pub(crate) fn admin_policy(&mut self, package: Ix) -> Ix {
        let p = self.policy(
            package,
            "Direct assignment by administrators",
            "Only administrators assign this package",
            Scope::NotSpecified,
            Vec::new(),
        );
        self.t.policies[p as usize].exp = Exp::Days(365);
        p
    }

    /// Assigned automatically to a department by attribute rule.
    pub(crate) fn auto_policy(&mut self, package: Ix, dept: usize) -> Ix {
        let dname = self.t.departments[dept].name.clone();
        let rule = format!("(user.department -eq \"{dname}\")");
        let p = self.policy(
            package,
            &format!("{dname} department (automatic)"),
            &format!("Assigned automatically to everyone in {dname}"),
            Scope::SpecificDirectoryUsers,
            vec![Set::AttributeRule(rule, format!("{dname} department"))],
        );
        let pol = &mut self.t.policies[p as usize];
        pol.self_add = false;
        pol.justification = false;
        pol.auto = true;
        pol.exp = Exp::Days(365);
        pol.via = Via::Auto;
        p
    }

    /// Users of a connected organisation request; its internal sponsors approve.
    pub(crate) fn partner_policy(&mut self, package: Ix, org: Ix) -> Ix {
        let oname = self.t.orgs[org as usize].name.clone();
        let p = self.policy(
            package,
            &format!("{oname} users, sponsor approval"),
            &format!("Users of {oname} may request; internal sponsors approve"),
            Scope::SpecificConnectedOrganizationUsers,
            vec![Set::Org(org)],
        );
        let review = self.review(false, 3, vec![Set::InternalSponsors]);
        let days = *self.rng.pick(&[90, 180]);
        let pol = &mut self.t.policies[p as usize];
        pol.stages = vec![Stage {
            primary: vec![Set::InternalSponsors],
            ..Stage::default()
        }];
        pol.exp = Exp::Days(days);
        pol.review = Some(review);
        p
    }

    /// Adds resources to a package: reused from the catalog or new (1–6 in all).
    fn fill_package(&mut self, pkg: Ix, dept_name: &str, app: &str, reusable: &mut Vec<Ix>) {
        let counts = [40.0, 65.0, 80.0, 90.0, 96.0, 100.0];
        let n = self.rng.weighted(&counts) + 1;
        let catalog = self.t.packages[pkg as usize].catalog;
        for k in 0..n {
            let r = if k > 0 && !reusable.is_empty() && self.rng.chance(0.3) {
                *self.rng.pick(reusable)
            } else {
                let noun = *self.rng.pick(names::GROUP_NOUNS);
                let short = dept_name.split([' ', '&']).next().unwrap_or(dept_name);
                let r = match self.rng.below(10) {
                    0..=4 => {
                        self.group_resource(
                            catalog,
                            &format!(
                                "{short}-{}-{noun}-{}",
                                app.replace(' ', ""),
                                self.t.resources.len()
                            ),
                            false,
                            GroupKind::Resource,
                        )
                        .0
                    }
                    5..=7 => self.app_resource(
                        catalog,
                        &format!("{dept_name} {app} {}", self.t.resources.len()),
                    ),
                    _ => self.site_resource(
                        catalog,
                        &format!("{dept_name} {app} Site {}", self.t.resources.len()),
                    ),
                };
                reusable.push(r);
                r
            };
            if !self.t.packages[pkg as usize]
                .grants
                .iter()
                .any(|g| g.0 == r)
            {
                self.t.packages[pkg as usize].grants.push((r, 0));
            }
        }
    }

    /// A package granting `resources` (role 0) in `catalog`.
    pub(crate) fn simple_package(
        &mut self,
        catalog: Ix,
        name: &str,
        description: &str,
        pool: Pool,
        grants: &[(Ix, u8)],
    ) -> Ix {
        let p = self.package(catalog, name, description, pool);
        self.t.packages[p as usize].grants.extend_from_slice(grants);
        p
    }
}

/// Sizes derived from the user count.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Shape {
    pub(crate) guests: usize,
    pub(crate) governance: usize,
    pub(crate) admins: usize,
    pub(crate) departments: usize,
    pub(crate) orgs: usize,
}

impl Shape {
    pub(crate) fn of(users: usize) -> Shape {
        let guests = (users * 8 / 100).max(12);
        let members = users - guests;
        let governance = (users / 2000).clamp(3, 30);
        let admins = (users / 5000).clamp(2, 20);
        let rest = members.saturating_sub(1 + 2 + governance + admins);
        let departments = (((rest as f64).sqrt() / 4.0).round() as usize).clamp(4, 60);
        let orgs = (guests / 25).clamp(3, 24);
        Shape {
            guests,
            governance,
            admins,
            departments,
            orgs,
        }
    }
}

/// The directory: users, departments, teams, groups, connected organisations.
pub(crate) fn directory(b: &mut Builder<'_>, users: usize) {
    let shape = Shape::of(users);
    let members = users - shape.guests;

    // Executive Office: the CEO (no manager), two assistants, Access Governance (approvers) and
    // Identity Operations (administrators).
    let exec_group = b.group(
        "Executive Office",
        "Executive Office department",
        GroupKind::Department,
    );
    let ceo = b.member(Some(0), "Chief Executive Officer", 4, None);
    b.t.ceo = ceo;
    let mut assistants = Vec::new();
    for _ in 0..2 {
        assistants.push(b.member(Some(0), "Executive Assistant", 1, Some(ceo)));
    }
    let gov_lead = b.member(Some(0), "Head of Access Governance", 3, Some(ceo));
    let mut governance = vec![gov_lead];
    for _ in 1..shape.governance {
        governance.push(b.member(Some(0), "Access Governance Analyst", 1, Some(gov_lead)));
    }
    let ops_lead = b.member(Some(0), "Head of Identity Operations", 3, Some(ceo));
    let mut admins = vec![ops_lead];
    for _ in 1..shape.admins.max(2) {
        admins.push(b.member(Some(0), "Identity Administrator", 1, Some(ops_lead)));
    }
    for &u in assistants
        .iter()
        .chain(&governance)
        .chain(&admins)
        .chain([&ceo])
    {
        b.t.users[u as usize].admin_only = u != ceo;
    }
    let gov_group = b.group(
        "Access Governance",
        "Approves access package requests",
        GroupKind::Approvers,
    );
    b.t.groups[gov_group as usize].users = governance.clone();
    let ops_group = b.group(
        "Identity Operations",
        "Identity administrators",
        GroupKind::Team,
    );
    b.t.groups[ops_group as usize].users = admins.clone();
    let sec_group = b.group(
        "Security-Approvers",
        "Second-stage approvers of privileged access",
        GroupKind::Approvers,
    );
    let security: Vec<Ix> = governance
        .iter()
        .copied()
        .take((governance.len() / 3).max(2))
        .collect();
    b.t.groups[sec_group as usize].users = security.clone();
    let asst_group = b.group(
        "Executive-Assistants",
        "Executive assistants",
        GroupKind::Approvers,
    );
    b.t.groups[asst_group as usize].users = assistants.clone();
    {
        let g = &mut b.t.groups[exec_group as usize];
        g.users = vec![ceo];
        g.users.extend(&assistants);
        g.groups = vec![gov_group, ops_group];
    }
    let gov_team = b.t.teams.len() as Ix;
    b.t.teams.push(Team {
        name: "Access Governance".to_owned(),
        dept: 0,
        lead: gov_lead,
        members: governance.clone(),
        group: gov_group,
    });
    let ops_team = b.t.teams.len() as Ix;
    b.t.teams.push(Team {
        name: "Identity Operations".to_owned(),
        dept: 0,
        lead: ops_lead,
        members: admins.clone(),
        group: ops_group,
    });
    for &u in &governance {
        b.t.users[u as usize].team = Some(gov_team);
    }
    for &u in &admins {
        b.t.users[u as usize].team = Some(ops_team);
    }
    let general = b.catalog("General", "Everyday tools and executive services", false);
    b.t.departments.push(Department {
        name: "Executive Office".to_owned(),
        head: ceo,
        group: exec_group,
        teams: vec![gov_team, ops_team],
        catalog: general,
    });
    b.t.governance = governance;
    b.t.security = security;
    b.t.admins = admins;
    b.t.assistants = assistants;
    b.t.governance_group = gov_group;
    b.t.security_group = sec_group;
    b.t.assistants_group = asst_group;

    // Departments with a head, teams with a lead, individual contributors.
    let rest = members - b.t.users.len();
    let weights: Vec<f64> = (0..shape.departments)
        .map(|i| 1.0 / ((i + 1) as f64).sqrt())
        .collect();
    let total: f64 = weights.iter().sum();
    let mut sizes: Vec<usize> = weights
        .iter()
        .map(|w| ((w / total) * rest as f64).floor() as usize)
        .collect();
    let assigned: usize = sizes.iter().sum();
    for k in 0..(rest - assigned) {
        let n = sizes.len();
        sizes[n - 1 - (k % n)] += 1;
    }
    let mut leadership = vec![ceo];
    for (d, &size) in sizes.iter().enumerate() {
        let dept = d + 1;
        let name = if d < names::DEPARTMENTS.len() {
            names::DEPARTMENTS[d].to_owned()
        } else {
            let base = names::DEPARTMENTS[d % names::DEPARTMENTS.len()];
            let region = names::REGIONS[(d / names::DEPARTMENTS.len() - 1) % names::REGIONS.len()];
            format!("{base} {region}")
        };
        let group = b.group(&name, &format!("{name} department"), GroupKind::Department);
        let head = b.member(Some(dept), &format!("Head of {name}"), 3, Some(ceo));
        leadership.push(head);
        b.t.groups[group as usize].users.push(head);
        let catalog = b.catalog(&name, &format!("{name} systems and data"), false);
        let n_teams = ((size.saturating_sub(1)) as f64 / 10.0).round().max(2.0) as usize;
        let mut team_sizes = vec![(size - 1) / n_teams; n_teams];
        for ts in team_sizes.iter_mut().take((size - 1) % n_teams) {
            *ts += 1;
        }
        let mut teams = Vec::new();
        for (k, &ts) in team_sizes.iter().enumerate() {
            let tname = format!("{name} {}", names::TEAMS[k % names::TEAMS.len()]);
            let tname = if k >= names::TEAMS.len() {
                format!("{tname} {}", k / names::TEAMS.len() + 1)
            } else {
                tname
            };
            let lead = b.member(
                Some(dept),
                &format!("{} Lead", names::TEAMS[k % names::TEAMS.len()]),
                2,
                Some(head),
            );
            let tgroup = b.group(&tname, &format!("{tname} team"), GroupKind::Team);
            let team = b.t.teams.len() as Ix;
            let mut members = vec![lead];
            for _ in 1..ts.max(1) {
                let title = *b.rng.pick(names::IC_TITLES);
                members.push(b.member(Some(dept), title, 1, Some(lead)));
            }
            for &u in &members {
                b.t.users[u as usize].team = Some(team);
            }
            b.t.groups[tgroup as usize].users = members.clone();
            b.t.groups[group as usize].groups.push(tgroup);
            b.t.teams.push(Team {
                name: tname,
                dept,
                lead,
                members,
                group: tgroup,
            });
            teams.push(team);
        }
        b.t.departments.push(Department {
            name,
            head,
            group,
            teams,
            catalog,
        });
    }
    let all_staff = b.group(
        "All-Staff",
        "Every employee (nests the department groups)",
        GroupKind::AllStaff,
    );
    let dept_groups: Vec<Ix> = b.t.departments.iter().map(|d| d.group).collect();
    b.t.groups[all_staff as usize].groups = dept_groups;
    b.t.all_staff_group = all_staff;
    let lead_group = b.group(
        "Leadership",
        "The CEO and the department heads",
        GroupKind::Leadership,
    );
    b.t.groups[lead_group as usize].users = leadership;
    b.t.leadership_group = lead_group;

    // Connected organisations and their guests (Zipf shares), plus guests from loose domains.
    for o in 0..shape.orgs {
        let (name, domain) = names::ORGS[o % names::ORGS.len()];
        let (name, domain) = if o < names::ORGS.len() {
            (name.to_owned(), domain.to_owned())
        } else {
            let n = o / names::ORGS.len() + 1;
            (
                format!("{name} {n}"),
                domain.replace(".example", &format!("{n}.example")),
            )
        };
        push_org(b, &name, &domain, false);
    }
    let loose = (shape.guests / 20).max(1);
    let connected = shape.guests - loose;
    let weights: Vec<f64> = (0..shape.orgs)
        .scan(0.0, |acc, i| {
            *acc += 1.0 / (i + 1) as f64;
            Some(*acc)
        })
        .collect();
    let mut per_org = vec![0usize; shape.orgs];
    for k in 0..connected {
        // Every organisation gets at least one guest.
        let o = if k < shape.orgs {
            k
        } else {
            b.rng.weighted(&weights)
        };
        per_org[o] += 1;
    }
    for (o, &n) in per_org.iter().enumerate() {
        let domain = b.t.orgs[o].domain.clone();
        for _ in 0..n {
            let g = b.guest(Some(o as Ix), &domain);
            let sponsor = match &b.t.orgs[o].internal[0] {
                SponsorRef::User(u) => *u,
                SponsorRef::Deleted(_) => ceo,
            };
            b.t.users[g as usize].sponsors = vec![sponsor];
        }
        // The first guest of each organisation is its external sponsor.
        let first = (b.t.users.len() - n) as Ix;
        if n > 0 {
            b.t.orgs[o].external = vec![first];
        }
    }
    for k in 0..loose {
        let domain = names::LOOSE_DOMAINS[k % names::LOOSE_DOMAINS.len()];
        let g = b.guest(None, domain);
        if k < 2 {
            b.t.users[g as usize].display = names::HOSTILE[k].to_owned();
        }
        let admin = b.t.admins[k % b.t.admins.len()];
        b.t.users[g as usize].sponsors = vec![admin];
    }
}

/// A connected organisation with one or two internal sponsors (department heads or leads).
pub(crate) fn push_org(b: &mut Builder<'_>, name: &str, domain: &str, proposed: bool) -> Ix {
    let o = b.t.orgs.len() as Ix;
    let mut internal = Vec::new();
    let n = 1 + b.rng.below(2);
    for _ in 0..n {
        let d = 1 + b.rng.below(b.t.departments.len() - 1);
        let u = if b.rng.chance(0.5) {
            b.t.departments[d].head
        } else {
            let team = *b.rng.pick(&b.t.departments[d].teams.clone());
            b.t.teams[team as usize].lead
        };
        if !internal
            .iter()
            .any(|s| matches!(s, SponsorRef::User(x) if *x == u))
        {
            internal.push(SponsorRef::User(u));
        }
    }
    let seed = b.seed();
    let created = b.t.as_of - b.rng.range(100, 1500) * DAY;
    let tenant_id = b
        .rng
        .chance(0.66)
        .then(|| id(seed, K::OrgTenant, u64::from(o)));
    b.t.orgs.push(Org {
        id: id(seed, K::Organization, u64::from(o)),
        name: name.to_owned(),
        domain: domain.to_owned(),
        tenant_id,
        proposed,
        internal,
        external: Vec::new(),
        created,
    });
    o
}

/// Catalogs, resources, packages and policies of the background.
pub(crate) fn configuration(b: &mut Builder<'_>) {
    let n_depts = b.t.departments.len();
    // Executive Office packages (General catalog).
    let general = b.t.departments[0].catalog;
    let board_site = b.site_resource(general, "Board Portal");
    let board = b.simple_package(
        general,
        "Executive Board Portal",
        "Board papers and minutes",
        Pool::Leadership,
        &[(board_site, 0)],
    );
    let leadership = b.t.leadership_group;
    let assistants = b.t.assistants_group;
    let p = b.policy(
        board,
        "Leadership, assistant approval",
        "The CEO and department heads request; an executive assistant approves",
        Scope::SpecificDirectoryUsers,
        vec![Set::Group(leadership)],
    );
    let review = b.review(true, 1, vec![Set::Group(assistants)]);
    {
        let pol = &mut b.t.policies[p as usize];
        pol.stages = vec![Stage {
            primary: vec![Set::Group(assistants)],
            ..Stage::default()
        }];
        pol.exp = Exp::Days(365);
        pol.review = Some(review);
    }
    let console = b.app_resource(general, "Governance Console");
    let pkg = b.simple_package(
        general,
        "Governance Console",
        "Identity governance tooling",
        Pool::ExecStaff,
        &[(console, 0)],
    );
    b.admin_policy(pkg);
    let vpn = b.app_resource(general, "Corporate VPN");
    let vpn_group = b
        .group_resource(general, "VPN-Users", false, GroupKind::Resource)
        .0;
    let pkg = b.simple_package(
        general,
        "Corporate VPN",
        "Remote network access",
        Pool::ExecStaff,
        &[(vpn, 0), (vpn_group, 0)],
    );
    b.admin_policy(pkg);
    if b.t.users.iter().any(|u| u.guest && u.org.is_none()) {
        let site = b.site_resource(general, "Guest Lounge");
        let pkg = b.simple_package(
            general,
            "Guest Access Basics",
            "Basic collaboration for invited guests",
            Pool::LooseGuests,
            &[(site, 0)],
        );
        b.admin_policy(pkg);
    }

    // Department packages.
    for d in 1..n_depts {
        let dname = b.t.departments[d].name.clone();
        let catalog = b.t.departments[d].catalog;
        let size = b.t.users.iter().filter(|u| u.dept == Some(d)).count();
        let n_pkg = (size / 25).clamp(3, 40);
        let mut reusable: Vec<Ix> = Vec::new();
        let mut has_auto = false;
        for k in 0..n_pkg {
            let app = names::APPS[(k + d * 7) % names::APPS.len()];
            let variant = b.rng.below(100);
            let teams = b.t.departments[d].teams.clone();
            match variant {
                0..=44 => {
                    let pkg = b.package(
                        catalog,
                        &format!("{dname} {app}"),
                        &format!("{app} for {dname}"),
                        Pool::Dept(d),
                    );
                    b.fill_package(pkg, &dname, app, &mut reusable);
                    b.dept_policy(pkg, d);
                    if b.rng.chance(0.3) {
                        b.admin_policy(pkg);
                    }
                }
                45..=69 => {
                    let team = *b.rng.pick(&teams);
                    let tname = b.t.teams[team as usize].name.clone();
                    let pkg = b.package(
                        catalog,
                        &format!("{tname} {app}"),
                        &format!("{app} for the {tname} team"),
                        Pool::Team(team),
                    );
                    b.fill_package(pkg, &dname, app, &mut reusable);
                    b.team_policy(pkg, team, false);
                    if b.rng.chance(0.3) {
                        b.admin_policy(pkg);
                    }
                }
                70..=77 => {
                    let team = *b.rng.pick(&teams);
                    let tname = b.t.teams[team as usize].name.clone();
                    let pkg = b.package(
                        catalog,
                        &format!("{tname} {app} Administration"),
                        &format!("Administer {app}"),
                        Pool::Team(team),
                    );
                    let short = dname.split([' ', '&']).next().unwrap_or(&dname).to_owned();
                    if b.rng.chance(0.5) {
                        let (r, _) = b.group_resource(
                            catalog,
                            &format!(
                                "{short}-{}-Admins-{}",
                                app.replace(' ', ""),
                                b.t.resources.len()
                            ),
                            true,
                            GroupKind::Resource,
                        );
                        b.t.packages[pkg as usize].grants.push((r, 0));
                    } else {
                        let r = b.app_resource(
                            catalog,
                            &format!("{dname} {app} Admin {}", b.t.resources.len()),
                        );
                        b.t.packages[pkg as usize].grants.push((r, 1));
                    }
                    b.fill_package(pkg, &dname, app, &mut reusable);
                    b.team_policy(pkg, team, true);
                    if b.rng.chance(0.3) {
                        b.admin_policy(pkg);
                    }
                }
                78..=89 => {
                    let pkg = b.package(
                        catalog,
                        &format!("{dname} {app} (managed)"),
                        &format!("{app}, assigned by administrators"),
                        Pool::Dept(d),
                    );
                    b.fill_package(pkg, &dname, app, &mut reusable);
                    b.admin_policy(pkg);
                }
                _ if !has_auto => {
                    has_auto = true;
                    let pkg = b.package(
                        catalog,
                        &format!("{dname} Essentials"),
                        &format!("Everything everyone in {dname} needs"),
                        Pool::Dept(d),
                    );
                    b.fill_package(pkg, &dname, app, &mut reusable);
                    b.auto_policy(pkg, d);
                }
                _ => {
                    let pkg = b.package(
                        catalog,
                        &format!("{dname} {app}"),
                        &format!("{app} for {dname}"),
                        Pool::Dept(d),
                    );
                    b.fill_package(pkg, &dname, app, &mut reusable);
                    b.dept_policy(pkg, d);
                }
            }
        }
    }

    // Separation of duties (GS401–GS404): payments in Finance, incompatible pairs, an
    // incompatible group, each held by disjoint teams.
    let finance = 1;
    let fcat = b.t.departments[finance].catalog;
    let fteams = b.t.departments[finance].teams.clone();
    b.t.sod_sides = ("Payments-Submit".to_owned(), "Payments-Approve".to_owned());
    let (submit_r, _) = b.group_resource(fcat, "Payments-Submit", false, GroupKind::Resource);
    let (approve_r, _) = b.group_resource(fcat, "Payments-Approve", false, GroupKind::Resource);
    let submit = b.simple_package(
        fcat,
        "Payments - Submit",
        "Submit payment runs",
        Pool::Team(fteams[0]),
        &[(submit_r, 0)],
    );
    b.team_policy(submit, fteams[0], false);
    let approve = b.simple_package(
        fcat,
        "Payments - Approve",
        "Approve payment runs",
        Pool::Team(fteams[1]),
        &[(approve_r, 0)],
    );
    b.team_policy(approve, fteams[1], false);
    // A privileged package matched by name in the configuration (grantscope.toml).
    let (payroll_r, _) = b.group_resource(fcat, "Payroll-Admins", false, GroupKind::Resource);
    let payroll = b.simple_package(
        fcat,
        "Payroll Administration",
        "Administer payroll",
        Pool::Team(fteams[1]),
        &[(payroll_r, 0)],
    );
    b.team_policy(payroll, fteams[1], true);
    b.t.privileged_match = vec!["Payroll-Admins".to_owned()];

    let n_pairs = (b.t.packages.len() / 80).max(2);
    let mut pairs = Vec::new();
    for i in 0..n_pairs {
        let d = 1 + i % (n_depts - 1);
        let (x, y) = two_teams(b, d, i);
        let dname = b.t.departments[d].name.clone();
        let cat = b.t.departments[d].catalog;
        let ra = b.app_resource(cat, &format!("{dname} Vendor Master {i}"));
        let rb = b.app_resource(cat, &format!("{dname} Purchase Orders {i}"));
        let pa = b.simple_package(
            cat,
            &format!("{dname} Vendor Master Data {i}"),
            "Create and edit vendors",
            Pool::Team(x),
            &[(ra, 0)],
        );
        b.team_policy(pa, x, false);
        let pb = b.simple_package(
            cat,
            &format!("{dname} Purchase Orders {i}"),
            "Raise purchase orders",
            Pool::Team(y),
            &[(rb, 0)],
        );
        b.team_policy(pb, y, false);
        b.t.packages[pa as usize].incompatible_packages.push(pb);
        b.t.packages[pb as usize].incompatible_packages.push(pa);
        pairs.push((pa, pb));
    }
    let n_groups = (b.t.packages.len() / 150).max(1);
    for i in 0..n_groups {
        let d = 1 + (i + 1) % (n_depts - 1);
        let (x, y) = two_teams(b, d, i + 1);
        let dname = b.t.departments[d].name.clone();
        let cat = b.t.departments[d].catalog;
        let r = b.app_resource(cat, &format!("{dname} Ledger Close {i}"));
        let p = b.simple_package(
            cat,
            &format!("{dname} Ledger Close {i}"),
            "Close the ledger",
            Pool::Team(x),
            &[(r, 0)],
        );
        b.team_policy(p, x, false);
        let g = b.t.teams[y as usize].group;
        b.t.packages[p as usize]
            .incompatible_groups
            .push(GroupRef::Group(g));
    }
    b.t.expect.rate(
        "GS401",
        format!("{n_pairs} mutually incompatible package pairs held by disjoint teams"),
    );

    // Partner packages.
    let partners = b.catalog(
        "Partner Collaboration",
        "Resources shared with connected organisations",
        true,
    );
    for o in 0..b.t.orgs.len() as Ix {
        let oname = b.t.orgs[o as usize].name.clone();
        let guests = b.t.users.iter().filter(|u| u.org == Some(o)).count();
        let n = if guests >= 40 { 2 } else { 1 };
        for k in 0..n {
            let site = b.site_resource(partners, &format!("{oname} Extranet {}", k + 1));
            let mut grants = vec![(site, 0)];
            if b.rng.chance(0.5) {
                let (g, _) = b.group_resource(
                    partners,
                    &format!("{}-Partners-{}", oname.replace(' ', ""), k + 1),
                    false,
                    GroupKind::Resource,
                );
                grants.push((g, 0));
            }
            let pkg = b.simple_package(
                partners,
                &format!("{oname} Collaboration {}", k + 1),
                &format!("Shared workspace with {oname}"),
                Pool::Org(o),
                &grants,
            );
            b.partner_policy(pkg, o);
        }
    }
}

/// Two different teams of department `d` (varied by `i`).
pub(crate) fn two_teams(b: &Builder<'_>, d: usize, i: usize) -> (Ix, Ix) {
    let teams = &b.t.departments[d].teams;
    let x = teams[i % teams.len()];
    let y = teams[(i + 1) % teams.len()];
    (x, y)
}

/// Marks every group a policy, approver list, reviewer list or incompatibility names, so that
/// its transitive members are exported (recipe request 16).
pub(crate) fn mark_exported_groups(t: &mut Tenant) {
    let mut mark: Vec<Ix> = Vec::new();
    for p in &t.policies {
        let sets = p
            .targets
            .iter()
            .chain(
                p.stages
                    .iter()
                    .flat_map(|s| s.primary.iter().chain(&s.fallback).chain(&s.escalation)),
            )
            .chain(p.review.iter().flat_map(|r| r.reviewers.iter()));
        for s in sets {
            if let Set::Group(g) = s {
                mark.push(*g);
            }
        }
    }
    for p in &t.packages {
        for g in &p.incompatible_groups {
            let GroupRef::Group(g) = g;
            mark.push(*g);
        }
    }
    for g in mark {
        t.groups[g as usize].export_members = true;
    }
}
