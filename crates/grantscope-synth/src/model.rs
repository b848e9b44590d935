//! The generated tenant in memory: compact structs with indices, from which the writers produce
//! Graph JSON. Ids of the numerous entities (assignments, requests, audit events) are derived
//! from their index ([`crate::ids`]) instead of being stored.

use std::collections::BTreeMap;

/// Index into one of the tenant's vectors.
pub(crate) type Ix = u32;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExtState {
    Accepted,
    PendingAcceptance,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum SignIn {
    /// `signInActivity: null` (never signed in, or not recorded).
    Null,
    /// All three timestamps null, or the `0001-01-01T00:00:00Z` sentinel.
    Never { sentinel: bool },
    Times {
        interactive: Option<i64>,
        non_interactive: Option<i64>,
        successful: Option<i64>,
    },
}

#[derive(Debug, Clone)]
pub(crate) struct User {
    pub(crate) id: String,
    pub(crate) display: String,
    pub(crate) given: &'static str,
    pub(crate) surname: &'static str,
    pub(crate) upn: String,
    pub(crate) mail: String,
    pub(crate) guest: bool,
    /// Connected organisation of a guest (by mail domain).
    pub(crate) org: Option<Ix>,
    pub(crate) dept: Option<usize>,
    pub(crate) team: Option<Ix>,
    pub(crate) title: String,
    /// 4 CEO, 3 head, 2 lead, 1 individual contributor, 0 guest.
    pub(crate) level: u8,
    pub(crate) manager: Option<Ix>,
    pub(crate) enabled: bool,
    pub(crate) created: i64,
    pub(crate) ext: Option<(ExtState, i64)>,
    pub(crate) sign_in: SignIn,
    /// Sponsors of a guest.
    pub(crate) sponsors: Vec<Ix>,
    /// Only ever assigned packages by administrators (approvers, admins, assistants).
    pub(crate) admin_only: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum GroupKind {
    Department,
    Team,
    AllStaff,
    Leadership,
    Approvers,
    Dynamic,
    Resource,
}

#[derive(Debug, Clone)]
pub(crate) struct Group {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) description: String,
    pub(crate) kind: GroupKind,
    pub(crate) users: Vec<Ix>,
    pub(crate) groups: Vec<Ix>,
    pub(crate) role_assignable: bool,
    pub(crate) rule: Option<String>,
    pub(crate) unified: bool,
    /// Write `groupMembers-<id>.json` (recipe request 16: groups a policy, approver list or
    /// incompatibility uses).
    pub(crate) export_members: bool,
}

#[derive(Debug, Clone)]
pub(crate) struct ServicePrincipal {
    pub(crate) id: String,
    pub(crate) app_id: String,
    pub(crate) name: String,
}

#[derive(Debug, Clone)]
pub(crate) struct Catalog {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) description: String,
    pub(crate) created: i64,
    pub(crate) external: bool,
}

#[derive(Debug, Clone)]
pub(crate) enum Origin {
    Group(Ix),
    /// A group that was deleted from the directory (dangling reference).
    DeletedGroup(String),
    App(Ix),
    Site(String),
}

#[derive(Debug, Clone)]
pub(crate) struct Role {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) description: Option<String>,
    pub(crate) origin_id: String,
}

#[derive(Debug, Clone)]
pub(crate) struct Resource {
    pub(crate) id: String,
    pub(crate) catalog: Ix,
    pub(crate) name: String,
    pub(crate) description: String,
    pub(crate) origin: Origin,
    pub(crate) roles: Vec<Role>,
    pub(crate) scope_id: String,
    pub(crate) created: i64,
}

impl Resource {
    pub(crate) fn origin_id<'a>(&'a self, t: &'a Tenant) -> &'a str {
        match &self.origin {
            Origin::Group(g) => &t.groups[*g as usize].id,
            Origin::DeletedGroup(id) => id,
            Origin::App(sp) => &t.service_principals[*sp as usize].id,
            Origin::Site(url) => url,
        }
    }

    pub(crate) fn origin_system(&self) -> &'static str {
        match self.origin {
            Origin::Group(_) | Origin::DeletedGroup(_) => "AadGroup",
            Origin::App(_) => "AadApplication",
            Origin::Site(_) => "SharePointOnline",
        }
    }
}

/// Who the background assignment loop may give a package to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Pool {
    Dept(usize),
    Team(Ix),
    Org(Ix),
    Leadership,
    /// Executive staff (approvers, administrators, assistants): administrators assign them.
    ExecStaff,
    LooseGuests,
    /// Planted packages: nobody by chance.
    None,
}

#[derive(Debug, Clone)]
pub(crate) enum GroupRef {
    Group(Ix),
}

#[derive(Debug, Clone)]
pub(crate) struct Package {
    pub(crate) id: String,
    pub(crate) catalog: Ix,
    pub(crate) name: String,
    pub(crate) description: String,
    pub(crate) hidden: bool,
    pub(crate) created: i64,
    /// (resource, role index within the resource).
    pub(crate) grants: Vec<(Ix, u8)>,
    pub(crate) incompatible_packages: Vec<Ix>,
    /// Incompatible packages that have since been deleted (dangling references).
    pub(crate) incompatible_deleted: Vec<String>,
    pub(crate) incompatible_groups: Vec<GroupRef>,
    pub(crate) pool: Pool,
    /// The policy the background loop assigns through.
    pub(crate) main_policy: Option<Ix>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Scope {
    NotSpecified,
    SpecificDirectoryUsers,
    SpecificConnectedOrganizationUsers,
    AllMemberUsers,
    AllExternalUsers,
}

impl Scope {
    pub(crate) fn as_str(self) -> &'static str {
        match self {
            Scope::NotSpecified => "notSpecified",
            Scope::SpecificDirectoryUsers => "specificDirectoryUsers",
            Scope::SpecificConnectedOrganizationUsers => "specificConnectedOrganizationUsers",
            Scope::AllMemberUsers => "allMemberUsers",
            Scope::AllExternalUsers => "allExternalUsers",
        }
    }
}

/// A subject set (requestor, approver or reviewer).
#[derive(Debug, Clone)]
pub(crate) enum Set {
    User(Ix),
    DeletedUser(String),
    Group(Ix),
    Org(Ix),
    Manager(u8),
    InternalSponsors,
    AttributeRule(String, String),
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Stage {
    pub(crate) primary: Vec<Set>,
    pub(crate) fallback: Vec<Set>,
    pub(crate) escalation: Vec<Set>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Exp {
    Never,
    Days(i64),
    Until(i64),
}

#[derive(Debug, Clone)]
pub(crate) struct Review {
    /// `absoluteMonthly` or `absoluteYearly`, and the interval.
    pub(crate) yearly: bool,
    pub(crate) interval: u32,
    pub(crate) keep_access: bool,
    pub(crate) self_review: bool,
    pub(crate) reviewers: Vec<Set>,
    pub(crate) start: i64,
}

/// How assignments under a policy come about (for requests and audit events).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Via {
    Request,
    Admin,
    Auto,
}

#[derive(Debug, Clone)]
pub(crate) struct Policy {
    pub(crate) id: String,
    pub(crate) package: Ix,
    pub(crate) name: String,
    pub(crate) description: String,
    pub(crate) scope: Scope,
    pub(crate) targets: Vec<Set>,
    pub(crate) self_add: bool,
    pub(crate) self_update: bool,
    pub(crate) update_needs_approval: bool,
    pub(crate) justification: bool,
    pub(crate) stages: Vec<Stage>,
    pub(crate) exp: Exp,
    pub(crate) review: Option<Review>,
    pub(crate) auto: bool,
    pub(crate) created: i64,
    pub(crate) via: Via,
}

#[derive(Debug, Clone)]
pub(crate) enum SponsorRef {
    User(Ix),
    Deleted(String),
}

#[derive(Debug, Clone)]
pub(crate) struct Org {
    pub(crate) id: String,
    pub(crate) name: String,
    pub(crate) domain: String,
    pub(crate) tenant_id: Option<String>,
    pub(crate) proposed: bool,
    pub(crate) internal: Vec<SponsorRef>,
    pub(crate) external: Vec<Ix>,
    pub(crate) created: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum AState {
    Delivered,
    Delivering,
    Expired,
    DeliveryFailed,
}

impl AState {
    pub(crate) fn active(self) -> bool {
        matches!(self, AState::Delivered | AState::Delivering)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum End {
    At(i64),
    /// `noExpiration` (granted before the policy had an end).
    Never,
}

#[derive(Debug, Clone)]
pub(crate) struct Assignment {
    pub(crate) user: Ix,
    pub(crate) package: Ix,
    pub(crate) policy: Ix,
    pub(crate) state: AState,
    pub(crate) start: i64,
    pub(crate) end: End,
    /// Who approved each stage (requests), or the administrator who assigned (admin).
    pub(crate) actors: [Option<Ix>; 2],
}

/// A request that did not (yet) lead to an assignment.
#[derive(Debug, Clone)]
pub(crate) struct OpenRequest {
    pub(crate) user: Ix,
    pub(crate) package: Ix,
    pub(crate) policy: Ix,
    pub(crate) created: i64,
    /// Denied by this approver; `None` = still pending approval.
    pub(crate) denied_by: Option<Ix>,
}

#[derive(Debug, Clone)]
pub(crate) struct Department {
    pub(crate) name: String,
    pub(crate) head: Ix,
    pub(crate) group: Ix,
    pub(crate) teams: Vec<Ix>,
    pub(crate) catalog: Ix,
}

#[derive(Debug, Clone)]
pub(crate) struct Team {
    pub(crate) name: String,
    pub(crate) dept: usize,
    pub(crate) lead: Ix,
    pub(crate) members: Vec<Ix>,
    pub(crate) group: Ix,
}

/// Expected findings: rule id → subject ids.
#[derive(Debug, Clone, Default)]
pub(crate) struct Expect {
    pub(crate) planted: BTreeMap<&'static str, Vec<String>>,
    /// Findings the structure cannot avoid, with the reason.
    pub(crate) background: BTreeMap<&'static str, (Vec<String>, String)>,
    /// How each rule's plants were chosen (the rate).
    pub(crate) rates: BTreeMap<&'static str, String>,
}

impl Expect {
    pub(crate) fn plant(&mut self, rule: &'static str, id: &str) {
        self.planted.entry(rule).or_default().push(id.to_owned());
    }

    pub(crate) fn rate(&mut self, rule: &'static str, text: impl Into<String>) {
        self.rates.insert(rule, text.into());
    }
}

/// The whole generated tenant.
#[derive(Debug, Clone, Default)]
pub(crate) struct Tenant {
    pub(crate) seed: u64,
    pub(crate) as_of: i64,
    pub(crate) tenant_id: String,
    pub(crate) users: Vec<User>,
    pub(crate) groups: Vec<Group>,
    pub(crate) service_principals: Vec<ServicePrincipal>,
    pub(crate) catalogs: Vec<Catalog>,
    pub(crate) resources: Vec<Resource>,
    pub(crate) packages: Vec<Package>,
    pub(crate) policies: Vec<Policy>,
    pub(crate) orgs: Vec<Org>,
    pub(crate) assignments: Vec<Assignment>,
    pub(crate) open_requests: Vec<OpenRequest>,
    /// Assignments whose audit events are planted (GS204, GS205): always kept in the log.
    pub(crate) planted_events: Vec<Ix>,
    pub(crate) departments: Vec<Department>,
    pub(crate) teams: Vec<Team>,
    pub(crate) lifecycle_none: bool,
    pub(crate) expect: Expect,
    /// Users by role in the executive department.
    pub(crate) ceo: Ix,
    pub(crate) governance: Vec<Ix>,
    pub(crate) security: Vec<Ix>,
    pub(crate) admins: Vec<Ix>,
    pub(crate) assistants: Vec<Ix>,
    pub(crate) governance_group: Ix,
    pub(crate) security_group: Ix,
    pub(crate) assistants_group: Ix,
    pub(crate) all_staff_group: Ix,
    pub(crate) leadership_group: Ix,
    /// The separation-of-duties rule and privileged-resource names written to grantscope.toml.
    pub(crate) sod_sides: (String, String),
    pub(crate) privileged_match: Vec<String>,
    /// The audit-event budget.
    pub(crate) audit_events: usize,
}

impl Tenant {
    pub(crate) fn user(&self, i: Ix) -> &User {
        &self.users[i as usize]
    }
}
