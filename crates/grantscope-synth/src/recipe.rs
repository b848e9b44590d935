//! Writes a tenant in the export-recipe layout (docs/EXPORT-RECIPE.md): Graph v1.0 response
//! pages, one file per page (`users.json`, `users.2.json`, …) with `@odata.context` and, on every
//! page but the last, `@odata.nextLink`. Entities are streamed to disk page by page.

use std::fs::File;
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

use crate::events;
use crate::ids::{K, id};
use crate::json::{Arr, Obj, object, push_str};
use crate::model::{
    AState, Assignment, End, Exp, ExtState, GroupKind, GroupRef, Ix, Policy, Review, Set, SignIn,
    SponsorRef, Stage, Tenant, Via,
};
use crate::time::{DAY, HOUR};

pub(crate) const GRAPH: &str = "https://graph.microsoft.com/v1.0";
const META: &str = "https://graph.microsoft.com/v1.0/$metadata#";
const EM: &str = "identityGovernance/entitlementManagement";

/// Page sizes: `$top=999` for directory objects, 120 for sign-in activity (Graph's cap), 500
/// for entitlement management, 1000 for audit events.
pub(crate) const PAGE_DIRECTORY: usize = 999;
pub(crate) const PAGE_SIGN_IN: usize = 120;
pub(crate) const PAGE_EM: usize = 500;
pub(crate) const PAGE_AUDIT: usize = 1000;

/// What was written; with `memory` set, files are kept in memory instead of written to disk
/// (named by their path relative to the output folder).
#[derive(Debug, Default, Clone)]
pub(crate) struct Written {
    pub(crate) files: usize,
    pub(crate) bytes: u64,
    pub(crate) memory: Option<Vec<(String, Vec<u8>)>>,
}

impl Written {
    /// Writes a whole file (to disk, or to memory).
    pub(crate) fn put(&mut self, dir: &Path, name: &str, bytes: Vec<u8>) -> io::Result<()> {
        self.files += 1;
        self.bytes += bytes.len() as u64;
        match &mut self.memory {
            Some(m) => m.push((name.to_owned(), bytes)),
            None => std::fs::write(dir.join(name), bytes)?,
        }
        Ok(())
    }
}

/// An open page: a buffered file, or a buffer kept in memory.
enum Sink {
    File(BufWriter<File>),
    Memory(String, Vec<u8>),
}

impl Sink {
    fn write_all(&mut self, bytes: &[u8]) -> io::Result<()> {
        match self {
            Sink::File(f) => f.write_all(bytes),
            Sink::Memory(_, v) => {
                v.extend_from_slice(bytes);
                Ok(())
            }
        }
    }
}

/// Pages of one collection.
pub(crate) struct Pager<'w> {
    dir: PathBuf,
    stem: String,
    context: String,
    next: String,
    page_size: usize,
    total: usize,
    in_page: usize,
    page: usize,
    file: Option<Sink>,
    written: &'w mut Written,
}

fn skiptoken(stem: &str, page: usize) -> String {
    let h = crate::rng::mix(crate::rng::label_hash(stem) ^ page as u64);
    format!("RFNwdAIAAQAAAB{h:016x}{page:06}")
}

impl<'w> Pager<'w> {
    /// `next` is the request URL that `@odata.nextLink` continues.
    pub(crate) fn new(
        dir: &Path,
        stem: &str,
        context: &str,
        next: &str,
        page_size: usize,
        total: usize,
        written: &'w mut Written,
    ) -> Self {
        Pager {
            dir: dir.to_owned(),
            stem: stem.to_owned(),
            context: context.to_owned(),
            next: next.to_owned(),
            page_size,
            total,
            in_page: 0,
            page: 0,
            file: None,
            written,
        }
    }

    fn open(&mut self) -> io::Result<()> {
        let name = if self.page == 0 {
            format!("{}.json", self.stem)
        } else {
            format!("{}.{}.json", self.stem, self.page + 1)
        };
        let mut f = if self.written.memory.is_some() {
            Sink::Memory(name, Vec::with_capacity(1 << 16))
        } else {
            Sink::File(BufWriter::with_capacity(
                1 << 16,
                File::create(self.dir.join(name))?,
            ))
        };
        let mut head = String::from("{\"@odata.context\":");
        push_str(&mut head, &self.context);
        if (self.page + 1) * self.page_size < self.total {
            let sep = if self.next.contains('?') { '&' } else { '?' };
            head.push_str(",\"@odata.nextLink\":");
            push_str(
                &mut head,
                &format!(
                    "{}{sep}$skiptoken={}",
                    self.next,
                    skiptoken(&self.stem, self.page + 1)
                ),
            );
        }
        head.push_str(",\"value\":[");
        f.write_all(head.as_bytes())?;
        self.written.bytes += head.len() as u64;
        self.written.files += 1;
        self.file = Some(f);
        Ok(())
    }

    fn close(&mut self) -> io::Result<()> {
        match self.file.take() {
            Some(Sink::File(mut f)) => {
                f.write_all(b"]}")?;
                f.flush()?;
                self.written.bytes += 2;
            }
            Some(Sink::Memory(name, mut v)) => {
                v.extend_from_slice(b"]}");
                self.written.bytes += 2;
                if let Some(m) = &mut self.written.memory {
                    m.push((name, v));
                }
            }
            None => {}
        }
        Ok(())
    }

    pub(crate) fn push(&mut self, item: &str) -> io::Result<()> {
        if self.file.is_none() {
            self.open()?;
        }
        let f = self
            .file
            .as_mut()
            .ok_or_else(|| io::Error::other("page not open"))?;
        if self.in_page > 0 {
            f.write_all(b",")?;
            self.written.bytes += 1;
        }
        f.write_all(item.as_bytes())?;
        self.written.bytes += item.len() as u64;
        self.in_page += 1;
        if self.in_page == self.page_size {
            self.close()?;
            self.in_page = 0;
            self.page += 1;
        }
        Ok(())
    }

    pub(crate) fn finish(mut self) -> io::Result<()> {
        if self.page == 0 && self.file.is_none() {
            // An empty collection is one page with an empty `value`.
            self.open()?;
        }
        self.close()
    }
}

/// Pre-rendered JSON of objects that are expanded many times.
pub(crate) struct Cache {
    pub(crate) catalog: Vec<String>,
    pub(crate) package: Vec<String>,
    pub(crate) policy: Vec<String>,
}

impl Cache {
    pub(crate) fn new(t: &Tenant) -> Self {
        let catalog = t
            .catalogs
            .iter()
            .map(|c| {
                object(|o| {
                    o.str("id", &c.id)
                        .str("displayName", &c.name)
                        .str("description", &c.description)
                        .str("catalogType", "userManaged")
                        .str("state", "published")
                        .bool("isExternallyVisible", c.external)
                        .time("createdDateTime", c.created)
                        .time("modifiedDateTime", c.created);
                })
            })
            .collect();
        let package = t
            .packages
            .iter()
            .map(|p| {
                object(|o| {
                    o.str("id", &p.id)
                        .str("displayName", &p.name)
                        .str("description", &p.description)
                        .bool("isHidden", p.hidden)
                        .time("createdDateTime", p.created)
                        .time("modifiedDateTime", p.created);
                })
            })
            .collect();
        let policy = t
            .policies
            .iter()
            .map(|p| object(|o| policy_fields(t, o, p)))
            .collect();
        Cache {
            catalog,
            package,
            policy,
        }
    }
}

fn set_json(t: &Tenant, a: &mut Arr<'_>, set: &Set) {
    a.obj(|o| match set {
        Set::User(u) => {
            o.str("@odata.type", "#microsoft.graph.singleUser")
                .str("userId", &t.user(*u).id)
                .str("description", &t.user(*u).display);
        }
        Set::DeletedUser(id) => {
            o.str("@odata.type", "#microsoft.graph.singleUser")
                .str("userId", id)
                .str("description", "Former employee");
        }
        Set::Group(g) => {
            let g = &t.groups[*g as usize];
            o.str("@odata.type", "#microsoft.graph.groupMembers")
                .str("groupId", &g.id)
                .str("description", &g.name);
        }
        Set::Org(x) => {
            let org = &t.orgs[*x as usize];
            o.str(
                "@odata.type",
                "#microsoft.graph.connectedOrganizationMembers",
            )
            .str("connectedOrganizationId", &org.id)
            .str("description", &org.name);
        }
        Set::Manager(level) => {
            o.str("@odata.type", "#microsoft.graph.requestorManager")
                .int("managerLevel", i64::from(*level));
        }
        Set::InternalSponsors => {
            o.str("@odata.type", "#microsoft.graph.internalSponsors");
        }
        Set::AttributeRule(rule, description) => {
            o.str("@odata.type", "#microsoft.graph.attributeRuleMembers")
                .str("description", description)
                .str("membershipRule", rule);
        }
    });
}

fn sets(t: &Tenant, o: &mut Obj<'_>, key: &str, list: &[Set]) {
    o.arr(key, |a| {
        for s in list {
            set_json(t, a, s);
        }
    });
}

fn expiration(o: &mut Obj<'_>, exp: Exp) {
    o.obj("expiration", |e| match exp {
        Exp::Never => {
            e.null("endDateTime")
                .null("duration")
                .str("type", "noExpiration");
        }
        Exp::Days(d) => {
            e.null("endDateTime")
                .str("duration", &format!("P{d}D"))
                .str("type", "afterDuration");
        }
        Exp::Until(t) => {
            e.time("endDateTime", t)
                .null("duration")
                .str("type", "afterDateTime");
        }
    });
}

fn stage_json(t: &Tenant, a: &mut Arr<'_>, st: &Stage) {
    a.obj(|o| {
        o.str("durationBeforeAutomaticDenial", "P14D")
            .bool("isApproverJustificationRequired", false)
            .bool("isEscalationEnabled", !st.escalation.is_empty())
            .str(
                "durationBeforeEscalation",
                if st.escalation.is_empty() {
                    "PT0S"
                } else {
                    "P2D"
                },
            );
        sets(t, o, "primaryApprovers", &st.primary);
        sets(t, o, "fallbackPrimaryApprovers", &st.fallback);
        sets(t, o, "escalationApprovers", &st.escalation);
        o.empty_arr("fallbackEscalationApprovers");
    });
}

fn review_json(t: &Tenant, o: &mut Obj<'_>, r: &Review) {
    o.obj("reviewSettings", |o| {
        o.bool("isEnabled", true)
            .str(
                "expirationBehavior",
                if r.keep_access {
                    "keepAccess"
                } else {
                    "removeAccess"
                },
            )
            .bool("isRecommendationEnabled", true)
            .bool("isReviewerJustificationRequired", true)
            .bool("isSelfReview", r.self_review)
            .obj("schedule", |s| {
                s.time("startDateTime", r.start)
                    .obj("expiration", |e| {
                        e.null("endDateTime")
                            .str("duration", "P14D")
                            .str("type", "afterDuration");
                    })
                    .obj("recurrence", |rc| {
                        rc.obj("pattern", |p| {
                            p.str(
                                "type",
                                if r.yearly {
                                    "absoluteYearly"
                                } else {
                                    "absoluteMonthly"
                                },
                            )
                            .int("interval", i64::from(r.interval))
                            .int("month", 0)
                            .int("dayOfMonth", 0)
                            .empty_arr("daysOfWeek")
                            .str("firstDayOfWeek", "sunday")
                            .str("index", "first");
                        })
                        .obj("range", |g| {
                            g.str("type", "noEnd")
                                .int("numberOfOccurrences", 0)
                                .null("recurrenceTimeZone")
                                .null("startDate")
                                .null("endDate");
                        });
                    });
            });
        sets(t, o, "primaryReviewers", &r.reviewers);
        o.empty_arr("fallbackReviewers");
    });
}

fn policy_fields(t: &Tenant, o: &mut Obj<'_>, p: &Policy) {
    o.str("id", &p.id)
        .str("displayName", &p.name)
        .str("description", &p.description)
        .str("allowedTargetScope", p.scope.as_str())
        .time("createdDateTime", p.created)
        .time("modifiedDateTime", p.created);
    sets(t, o, "specificAllowedTargets", &p.targets);
    expiration(o, p.exp);
    o.obj("requestorSettings", |r| {
        r.bool("enableTargetsToSelfAddAccess", p.self_add)
            .bool("enableTargetsToSelfUpdateAccess", p.self_update)
            .bool("enableTargetsToSelfRemoveAccess", p.self_add)
            .bool("allowCustomAssignmentSchedule", false)
            .bool("enableOnBehalfRequestorsToAddAccess", false)
            .bool("enableOnBehalfRequestorsToUpdateAccess", false)
            .bool("enableOnBehalfRequestorsToRemoveAccess", false)
            .empty_arr("onBehalfRequestors");
    });
    o.obj("requestApprovalSettings", |r| {
        r.bool("isApprovalRequiredForAdd", !p.stages.is_empty())
            .bool("isApprovalRequiredForUpdate", p.update_needs_approval)
            .bool("isRequestorJustificationRequired", p.justification)
            .arr("stages", |a| {
                for st in &p.stages {
                    stage_json(t, a, st);
                }
            });
    });
    match &p.review {
        Some(r) => review_json(t, o, r),
        None => {
            o.null("reviewSettings");
        }
    }
    o.obj("notificationSettings", |n| {
        n.bool("isAssignmentNotificationDisabled", false);
    });
    if p.auto {
        o.obj("automaticRequestSettings", |a| {
            a.bool("requestAccessForAllowedTargets", true)
                .bool("removeAccessWhenTargetLeavesAllowedTargets", true)
                .str("gracePeriodBeforeAccessRemoval", "P7D");
        });
    }
}

/// `accessPackageSubject` of a user (its `id` is not the user's object id).
pub(crate) fn subject(t: &Tenant, o: &mut Obj<'_>, u: Ix) {
    let user = t.user(u);
    o.id("id", t.seed, K::Subject, u64::from(u))
        .str("objectId", &user.id)
        .str("displayName", &user.display)
        .str("email", &user.mail)
        .str("principalName", &user.upn)
        .null("onPremisesSecurityIdentifier")
        .str("subjectType", "user")
        .str(
            "subjectLifecycle",
            if user.guest {
                "governed"
            } else {
                "notGoverned"
            },
        );
}

fn state_words(s: AState) -> (&'static str, &'static str) {
    match s {
        AState::Delivered => ("delivered", "Delivered"),
        AState::Delivering => ("delivering", "Delivering"),
        AState::Expired => ("expired", "Expired"),
        AState::DeliveryFailed => ("deliveryFailed", "DeliveryFailed"),
    }
}

fn assignment_core(t: &Tenant, o: &mut Obj<'_>, ix: usize, a: &Assignment) {
    let (state, status) = state_words(a.state);
    o.id("id", t.seed, K::Assignment, ix as u64)
        .str("state", state)
        .str("status", status);
    assignment_schedule(o, a);
}

/// An assignment's expiry and schedule, the same in Graph responses and EntraExporter files.
pub(crate) fn assignment_schedule(o: &mut Obj<'_>, a: &Assignment) {
    match (a.state, a.end) {
        (AState::Expired, End::At(e)) => o.time("expiredDateTime", e),
        _ => o.null("expiredDateTime"),
    };
    o.obj("schedule", |s| {
        s.time("startDateTime", a.start)
            .null("recurrence")
            .obj("expiration", |e| match a.end {
                End::At(end) => {
                    e.time("endDateTime", end)
                        .null("duration")
                        .str("type", "afterDateTime");
                }
                End::Never => {
                    e.null("endDateTime")
                        .null("duration")
                        .str("type", "noExpiration");
                }
            });
    })
    .empty_arr("customExtensionCalloutInstances");
}

/// The requests kept by Graph: those of the last 180 days (assignments) plus open ones.
pub(crate) fn request_window(t: &Tenant) -> i64 {
    t.as_of - 180 * DAY
}

fn write_directory(t: &Tenant, dir: &Path, w: &mut Written) -> io::Result<()> {
    let n = t.users.len();
    let select = "id,displayName,userPrincipalName,mail,userType,accountEnabled,createdDateTime,creationType,externalUserState,externalUserStateChangeDateTime,department,jobTitle";
    let mut buf = String::new();
    let mut pages = Pager::new(
        dir,
        "users",
        &format!("{META}users({select})"),
        &format!("{GRAPH}/users?$select={select}&$top=999"),
        PAGE_DIRECTORY,
        n,
        w,
    );
    for u in &t.users {
        buf.clear();
        let mut o = Obj::open(&mut buf);
        o.str("id", &u.id)
            .str("displayName", &u.display)
            .str("userPrincipalName", &u.upn)
            .str("mail", &u.mail)
            .str("userType", if u.guest { "Guest" } else { "Member" })
            .bool("accountEnabled", u.enabled)
            .time("createdDateTime", u.created);
        match u.ext {
            Some((state, since)) => {
                o.str("creationType", "Invitation")
                    .str(
                        "externalUserState",
                        if state == ExtState::Accepted {
                            "Accepted"
                        } else {
                            "PendingAcceptance"
                        },
                    )
                    .time("externalUserStateChangeDateTime", since);
            }
            None => {
                o.null("creationType")
                    .null("externalUserState")
                    .null("externalUserStateChangeDateTime");
            }
        }
        match u.dept {
            Some(d) => o.str("department", &t.departments[d].name),
            None => o.null("department"),
        };
        if u.title.is_empty() {
            o.null("jobTitle");
        } else {
            o.str("jobTitle", &u.title);
        }
        o.close();
        pages.push(&buf)?;
    }
    pages.finish()?;

    let mut pages = Pager::new(
        dir,
        "signInActivity",
        &format!("{META}users(id,signInActivity)"),
        &format!("{GRAPH}/users?$select=id,signInActivity"),
        PAGE_SIGN_IN,
        n,
        w,
    );
    for (i, u) in t.users.iter().enumerate() {
        buf.clear();
        let mut o = Obj::open(&mut buf);
        o.str("id", &u.id);
        let rid = |k: u64| id(t.seed, K::RequestId, i as u64 * 4 + k);
        match &u.sign_in {
            SignIn::Null => {
                o.null("signInActivity");
            }
            SignIn::Never { sentinel } => {
                o.obj("signInActivity", |s| {
                    if *sentinel {
                        s.str("lastSignInDateTime", "0001-01-01T00:00:00Z")
                            .null("lastSignInRequestId")
                            .str("lastNonInteractiveSignInDateTime", "0001-01-01T00:00:00Z")
                            .null("lastNonInteractiveSignInRequestId");
                    } else {
                        s.null("lastSignInDateTime")
                            .null("lastSignInRequestId")
                            .null("lastNonInteractiveSignInDateTime")
                            .null("lastNonInteractiveSignInRequestId");
                    }
                    s.null("lastSuccessfulSignInDateTime")
                        .null("lastSuccessfulSignInRequestId");
                });
            }
            SignIn::Times {
                interactive,
                non_interactive,
                successful,
            } => {
                o.obj("signInActivity", |s| {
                    s.opt_time("lastSignInDateTime", *interactive)
                        .opt_str(
                            "lastSignInRequestId",
                            interactive.map(|_| rid(1)).as_deref(),
                        )
                        .opt_time("lastNonInteractiveSignInDateTime", *non_interactive)
                        .opt_str(
                            "lastNonInteractiveSignInRequestId",
                            non_interactive.map(|_| rid(2)).as_deref(),
                        )
                        .opt_time("lastSuccessfulSignInDateTime", *successful)
                        .opt_str(
                            "lastSuccessfulSignInRequestId",
                            successful.map(|_| rid(3)).as_deref(),
                        );
                });
            }
        }
        o.close();
        pages.push(&buf)?;
    }
    pages.finish()?;

    let mut pages = Pager::new(
        dir,
        "managers",
        &format!("{META}users(id,manager(id))"),
        &format!("{GRAPH}/users?$select=id&$expand=manager($select=id)"),
        PAGE_DIRECTORY,
        n,
        w,
    );
    for u in &t.users {
        buf.clear();
        let mut o = Obj::open(&mut buf);
        o.str("id", &u.id);
        if let Some(m) = u.manager {
            o.obj("manager", |m2| {
                m2.str("@odata.type", "#microsoft.graph.user")
                    .str("id", &t.user(m).id);
            });
        }
        o.close();
        pages.push(&buf)?;
    }
    pages.finish()?;

    let guests: Vec<&crate::model::User> = t.users.iter().filter(|u| u.guest).collect();
    let mut pages = Pager::new(
        dir,
        "guestSponsors",
        &format!("{META}users(id,sponsors(id))"),
        &format!(
            "{GRAPH}/users?$filter=userType eq 'Guest'&$select=id&$expand=sponsors($select=id)"
        ),
        PAGE_DIRECTORY,
        guests.len(),
        w,
    );
    for u in guests {
        buf.clear();
        let mut o = Obj::open(&mut buf);
        o.str("id", &u.id).arr("sponsors", |a| {
            for &s in &u.sponsors {
                a.obj(|x| {
                    x.str("@odata.type", "#microsoft.graph.user")
                        .str("id", &t.user(s).id);
                });
            }
        });
        o.close();
        pages.push(&buf)?;
    }
    pages.finish()?;

    let select = "id,displayName,description,groupTypes,isAssignableToRole,membershipRule,securityEnabled,mailEnabled";
    let mut pages = Pager::new(
        dir,
        "groups",
        &format!("{META}groups({select})"),
        &format!("{GRAPH}/groups?$select={select}&$top=999"),
        PAGE_DIRECTORY,
        t.groups.len(),
        w,
    );
    for g in &t.groups {
        buf.clear();
        let mut o = Obj::open(&mut buf);
        o.str("id", &g.id)
            .str("displayName", &g.name)
            .str("description", &g.description)
            .arr("groupTypes", |a| {
                if g.unified {
                    a.str("Unified");
                }
                if g.rule.is_some() {
                    a.str("DynamicMembership");
                }
            });
        if g.role_assignable {
            o.bool("isAssignableToRole", true);
        } else {
            o.null("isAssignableToRole");
        }
        o.opt_str("membershipRule", g.rule.as_deref())
            .bool("securityEnabled", !g.unified)
            .bool("mailEnabled", g.unified);
        o.close();
        pages.push(&buf)?;
    }
    pages.finish()?;

    // Transitive members of every group a policy, approver list or incompatibility uses, and
    // direct members of the groups that nest groups.
    for (gi, g) in t.groups.iter().enumerate() {
        if !g.export_members {
            continue;
        }
        let (users, groups) = transitive(t, gi as Ix);
        let mut pages = Pager::new(
            dir,
            &format!("groupMembers-{}", g.id),
            &format!("{META}directoryObjects(id,userType)"),
            &format!(
                "{GRAPH}/groups/{}/transitiveMembers?$select=id,userType",
                g.id
            ),
            PAGE_DIRECTORY,
            users.len() + groups.len(),
            w,
        );
        for &x in &groups {
            buf.clear();
            let mut o = Obj::open(&mut buf);
            o.str("@odata.type", "#microsoft.graph.group")
                .str("id", &t.groups[x as usize].id);
            o.close();
            pages.push(&buf)?;
        }
        for &u in &users {
            buf.clear();
            let user = t.user(u);
            let mut o = Obj::open(&mut buf);
            o.str("@odata.type", "#microsoft.graph.user")
                .str("id", &user.id)
                .str("userType", if user.guest { "Guest" } else { "Member" });
            o.close();
            pages.push(&buf)?;
        }
        pages.finish()?;
        if !g.groups.is_empty() {
            let mut pages = Pager::new(
                dir,
                &format!("groupDirectMembers-{}", g.id),
                &format!("{META}directoryObjects"),
                &format!("{GRAPH}/groups/{}/members", g.id),
                PAGE_DIRECTORY,
                g.users.len() + g.groups.len(),
                w,
            );
            for &x in &g.groups {
                let ng = &t.groups[x as usize];
                buf.clear();
                let mut o = Obj::open(&mut buf);
                o.str("@odata.type", "#microsoft.graph.group")
                    .str("id", &ng.id)
                    .str("displayName", &ng.name)
                    .str("description", &ng.description);
                o.close();
                pages.push(&buf)?;
            }
            for &u in &g.users {
                let user = t.user(u);
                buf.clear();
                let mut o = Obj::open(&mut buf);
                o.str("@odata.type", "#microsoft.graph.user")
                    .str("id", &user.id)
                    .str("displayName", &user.display)
                    .str("userPrincipalName", &user.upn);
                o.close();
                pages.push(&buf)?;
            }
            pages.finish()?;
        }
    }

    let select = "id,appId,displayName,servicePrincipalType";
    let mut pages = Pager::new(
        dir,
        "servicePrincipals",
        &format!("{META}servicePrincipals({select})"),
        &format!("{GRAPH}/servicePrincipals?$select={select}"),
        PAGE_DIRECTORY,
        t.service_principals.len(),
        w,
    );
    for sp in &t.service_principals {
        let s = object(|o| {
            o.str("id", &sp.id)
                .str("appId", &sp.app_id)
                .str("displayName", &sp.name)
                .str("servicePrincipalType", "Application");
        });
        pages.push(&s)?;
    }
    pages.finish()
}

/// Transitive user members (sorted, deduplicated) and nested groups of a group.
pub(crate) fn transitive(t: &Tenant, g: Ix) -> (Vec<Ix>, Vec<Ix>) {
    let group = &t.groups[g as usize];
    let users: Vec<Ix> = if group.kind == GroupKind::Dynamic {
        (0..t.users.len() as Ix)
            .filter(|&u| t.user(u).enabled)
            .collect()
    } else {
        let mut users = Vec::new();
        let mut groups = Vec::new();
        let mut stack = vec![g];
        let mut seen = vec![g];
        while let Some(x) = stack.pop() {
            users.extend_from_slice(&t.groups[x as usize].users);
            for &c in &t.groups[x as usize].groups {
                if !seen.contains(&c) {
                    seen.push(c);
                    groups.push(c);
                    stack.push(c);
                }
            }
        }
        users.sort_unstable();
        users.dedup();
        return (users, groups);
    };
    (users, Vec::new())
}

fn role_json(o: &mut Obj<'_>, role: &crate::model::Role, system: &str) {
    o.str("id", &role.id)
        .str("displayName", &role.name)
        .opt_str("description", role.description.as_deref())
        .str("originId", &role.origin_id)
        .str("originSystem", system);
}

fn scope_json(o: &mut Obj<'_>, r: &crate::model::Resource, t: &Tenant) {
    o.str("id", &r.scope_id)
        .str("displayName", "Root")
        .str("description", "Root Scope")
        .str("originId", r.origin_id(t))
        .str("originSystem", r.origin_system())
        .bool("isRootScope", true);
}

fn write_management(t: &Tenant, cache: &Cache, dir: &Path, w: &mut Written) -> io::Result<()> {
    let mut pages = Pager::new(
        dir,
        "catalogs",
        &format!("{META}{EM}/catalogs"),
        &format!("{GRAPH}/{EM}/catalogs"),
        PAGE_EM,
        t.catalogs.len(),
        w,
    );
    for c in &cache.catalog {
        pages.push(c)?;
    }
    pages.finish()?;

    let mut by_catalog: Vec<Vec<usize>> = vec![Vec::new(); t.catalogs.len()];
    for (i, r) in t.resources.iter().enumerate() {
        by_catalog[r.catalog as usize].push(i);
    }
    let mut buf = String::new();
    for (c, list) in by_catalog.iter().enumerate() {
        let cid = &t.catalogs[c].id;
        let mut pages = Pager::new(
            dir,
            &format!("catalogResources-{cid}"),
            &format!("{META}{EM}/catalogs('{cid}')/resources(roles(),scopes())"),
            &format!("{GRAPH}/{EM}/catalogs/{cid}/resources?$expand=roles,scopes"),
            PAGE_EM,
            list.len(),
            w,
        );
        for &i in list {
            let r = &t.resources[i];
            buf.clear();
            let mut o = Obj::open(&mut buf);
            o.str("id", &r.id)
                .str("displayName", &r.name)
                .str("description", &r.description)
                .str("originId", r.origin_id(t))
                .str("originSystem", r.origin_system())
                .time("createdDateTime", r.created)
                .time("modifiedDateTime", r.created)
                .empty_arr("attributes")
                .arr("roles", |a| {
                    for role in &r.roles {
                        a.obj(|o| role_json(o, role, r.origin_system()));
                    }
                })
                .arr("scopes", |a| {
                    a.obj(|o| scope_json(o, r, t));
                });
            o.close();
            pages.push(&buf)?;
        }
        pages.finish()?;
    }

    let mut pages = Pager::new(
        dir,
        "accessPackages",
        &format!("{META}{EM}/accessPackages(catalog(),resourceRoleScopes(role(),scope()))"),
        &format!(
            "{GRAPH}/{EM}/accessPackages?$expand=catalog,resourceRoleScopes($expand=role,scope)"
        ),
        PAGE_EM,
        t.packages.len(),
        w,
    );
    for (pi, p) in t.packages.iter().enumerate() {
        buf.clear();
        let short = &cache.package[pi];
        // The short form without its closing brace, then the expansions.
        buf.push_str(&short[..short.len() - 1]);
        buf.push_str(",\"catalog\":");
        buf.push_str(&cache.catalog[p.catalog as usize]);
        buf.push_str(",\"resourceRoleScopes\":");
        let mut a = Arr::open(&mut buf);
        for &(r, role) in &p.grants {
            let res = &t.resources[r as usize];
            let role = &res.roles[role as usize];
            a.obj(|o| {
                o.str("id", &format!("{}_{}", role.id, res.scope_id))
                    .time("createdDateTime", p.created)
                    .obj("role", |o| role_json(o, role, res.origin_system()))
                    .obj("scope", |o| scope_json(o, res, t));
            });
        }
        a.close();
        buf.push('}');
        pages.push(&buf)?;
    }
    pages.finish()?;

    let mut pages = Pager::new(
        dir,
        "assignmentPolicies",
        &format!("{META}{EM}/assignmentPolicies(accessPackage(),catalog())"),
        &format!("{GRAPH}/{EM}/assignmentPolicies?$expand=accessPackage,catalog"),
        PAGE_EM,
        t.policies.len(),
        w,
    );
    for (qi, q) in t.policies.iter().enumerate() {
        buf.clear();
        let body = &cache.policy[qi];
        buf.push_str(&body[..body.len() - 1]);
        buf.push_str(",\"accessPackage\":");
        buf.push_str(&cache.package[q.package as usize]);
        buf.push_str(",\"catalog\":");
        buf.push_str(&cache.catalog[t.packages[q.package as usize].catalog as usize]);
        buf.push('}');
        pages.push(&buf)?;
    }
    pages.finish()?;

    for p in &t.packages {
        let mut pages = Pager::new(
            dir,
            &format!("incompatibleAccessPackages-{}", p.id),
            &format!(
                "{META}{EM}/accessPackages('{}')/incompatibleAccessPackages",
                p.id
            ),
            &format!(
                "{GRAPH}/{EM}/accessPackages/{}/incompatibleAccessPackages",
                p.id
            ),
            PAGE_EM,
            p.incompatible_packages.len() + p.incompatible_deleted.len(),
            w,
        );
        for &q in &p.incompatible_packages {
            pages.push(&cache.package[q as usize])?;
        }
        for gone in &p.incompatible_deleted {
            let s = object(|o| {
                o.str("id", gone)
                    .str("displayName", "Retired package")
                    .null("description")
                    .bool("isHidden", true);
            });
            pages.push(&s)?;
        }
        pages.finish()?;
        let mut pages = Pager::new(
            dir,
            &format!("incompatibleGroups-{}", p.id),
            &format!("{META}{EM}/accessPackages('{}')/incompatibleGroups", p.id),
            &format!("{GRAPH}/{EM}/accessPackages/{}/incompatibleGroups", p.id),
            PAGE_EM,
            p.incompatible_groups.len(),
            w,
        );
        for g in &p.incompatible_groups {
            let GroupRef::Group(g) = g;
            let g = &t.groups[*g as usize];
            let s = object(|o| {
                o.str("id", &g.id)
                    .str("displayName", &g.name)
                    .str("description", &g.description)
                    .bool("securityEnabled", true)
                    .bool("mailEnabled", false);
            });
            pages.push(&s)?;
        }
        pages.finish()?;
    }

    let mut pages = Pager::new(
        dir,
        "connectedOrganizations",
        &format!("{META}{EM}/connectedOrganizations(internalSponsors(),externalSponsors())"),
        &format!("{GRAPH}/{EM}/connectedOrganizations?$expand=internalSponsors,externalSponsors"),
        PAGE_EM,
        t.orgs.len(),
        w,
    );
    for org in &t.orgs {
        let sponsor = |a: &mut Arr<'_>, u: Ix| {
            let user = t.user(u);
            a.obj(|o| {
                o.str("@odata.type", "#microsoft.graph.user")
                    .str("id", &user.id)
                    .empty_arr("businessPhones")
                    .str("displayName", &user.display)
                    .str("givenName", user.given)
                    .opt_str(
                        "jobTitle",
                        (!user.title.is_empty()).then_some(user.title.as_str()),
                    )
                    .str("mail", &user.mail)
                    .null("mobilePhone")
                    .null("officeLocation")
                    .null("preferredLanguage")
                    .str("surname", user.surname)
                    .str("userPrincipalName", &user.upn);
            });
        };
        let s = object(|o| {
            o.str("id", &org.id)
                .str("displayName", &org.name)
                .str("description", &format!("{} ({})", org.name, org.domain))
                .time("createdDateTime", org.created)
                .time("modifiedDateTime", org.created)
                .str(
                    "state",
                    if org.proposed {
                        "proposed"
                    } else {
                        "configured"
                    },
                )
                .arr("identitySources", |a| {
                    if let Some(tid) = &org.tenant_id {
                        a.obj(|o| {
                            o.str("@odata.type", "#microsoft.graph.azureActiveDirectoryTenant")
                                .str("tenantId", tid)
                                .str("displayName", &org.name);
                        });
                    }
                    a.obj(|o| {
                        o.str("@odata.type", "#microsoft.graph.domainIdentitySource")
                            .str("domainName", &org.domain)
                            .str("displayName", &org.domain);
                    });
                })
                .arr("internalSponsors", |a| {
                    for s in &org.internal {
                        match s {
                            SponsorRef::User(u) => sponsor(a, *u),
                            SponsorRef::Deleted(id) => {
                                a.obj(|o| {
                                    o.str("@odata.type", "#microsoft.graph.user").str("id", id);
                                });
                            }
                        }
                    }
                })
                .arr("externalSponsors", |a| {
                    for &u in &org.external {
                        sponsor(a, u);
                    }
                });
        });
        pages.push(&s)?;
    }
    pages.finish()?;

    let settings = object(|o| {
        o.str("@odata.context", &format!("{META}{EM}/settings/$entity"))
            .str("id", "singleton")
            .str(
                "externalUserLifecycleAction",
                if t.lifecycle_none {
                    "none"
                } else {
                    "blockSignInAndDelete"
                },
            )
            .str("durationUntilExternalUserDeletedAfterBlocked", "P30D");
    });
    w.put(dir, "settings.json", settings.into_bytes())?;

    // Assignments: target, accessPackage and assignmentPolicy expanded.
    let mut pages = Pager::new(
        dir,
        "assignments",
        &format!("{META}{EM}/assignments(target(),accessPackage(),assignmentPolicy())"),
        &format!("{GRAPH}/{EM}/assignments?$expand=target,accessPackage,assignmentPolicy"),
        PAGE_EM,
        t.assignments.len(),
        w,
    );
    for (i, a) in t.assignments.iter().enumerate() {
        buf.clear();
        let mut o = Obj::open(&mut buf);
        assignment_core(t, &mut o, i, a);
        o.obj("target", |o| subject(t, o, a.user))
            .raw("accessPackage", &cache.package[a.package as usize])
            .raw("assignmentPolicy", &cache.policy[a.policy as usize]);
        o.close();
        pages.push(&buf)?;
    }
    pages.finish()?;

    // Requests: requestor, accessPackage and assignment expanded.
    let window = request_window(t);
    let recent: Vec<usize> = (0..t.assignments.len())
        .filter(|&i| {
            let a = &t.assignments[i];
            a.start >= window && t.policies[a.policy as usize].via != Via::Auto
        })
        .collect();
    let mut pages = Pager::new(
        dir,
        "assignmentRequests",
        &format!("{META}{EM}/assignmentRequests(requestor(),accessPackage(),assignment())"),
        &format!("{GRAPH}/{EM}/assignmentRequests?$expand=requestor,accessPackage,assignment"),
        PAGE_EM,
        recent.len() + t.open_requests.len(),
        w,
    );
    for &i in &recent {
        let a = &t.assignments[i];
        let via = t.policies[a.policy as usize].via;
        buf.clear();
        let mut o = Obj::open(&mut buf);
        let created = a.start - events::decision_delay(t, i);
        o.id("id", t.seed, K::Request, i as u64)
            .str(
                "requestType",
                if via == Via::Admin {
                    "adminAdd"
                } else {
                    "userAdd"
                },
            )
            .str(
                "state",
                if a.state == AState::DeliveryFailed {
                    "deliveryFailed"
                } else {
                    "delivered"
                },
            )
            .str(
                "status",
                if a.state == AState::DeliveryFailed {
                    "DeliveryFailed"
                } else {
                    "Delivered"
                },
            )
            .time_frac(
                "createdDateTime",
                created,
                events::frac(t.seed, i as u64, 1),
            )
            .time("completedDateTime", a.start)
            .str(
                "justification",
                if via == Via::Admin {
                    "Assigned by an administrator"
                } else {
                    "Needed for my work"
                },
            )
            .obj("schedule", |s| {
                s.time("startDateTime", a.start)
                    .null("recurrence")
                    .obj("expiration", |e| match a.end {
                        End::At(end) => {
                            e.time("endDateTime", end)
                                .null("duration")
                                .str("type", "afterDateTime");
                        }
                        End::Never => {
                            e.null("endDateTime")
                                .null("duration")
                                .str("type", "noExpiration");
                        }
                    });
            })
            .empty_arr("answers")
            .empty_arr("customExtensionCalloutInstances")
            .obj("requestor", |o| subject(t, o, a.user))
            .raw("accessPackage", &cache.package[a.package as usize])
            .obj("assignment", |o| assignment_core(t, o, i, a));
        o.close();
        pages.push(&buf)?;
    }
    for (k, r) in t.open_requests.iter().enumerate() {
        buf.clear();
        let mut o = Obj::open(&mut buf);
        let (state, status) = if r.denied_by.is_some() {
            ("denied", "Denied")
        } else {
            ("pendingApproval", "PendingApproval")
        };
        o.id("id", t.seed, K::Request, (t.assignments.len() + k) as u64)
            .str("requestType", "userAdd")
            .str("state", state)
            .str("status", status)
            .time_frac(
                "createdDateTime",
                r.created,
                events::frac(t.seed, k as u64, 2),
            )
            .opt_time(
                "completedDateTime",
                r.denied_by.map(|_| r.created + 6 * HOUR),
            )
            .str("justification", "Please grant access")
            .obj("schedule", |s| {
                s.null("startDateTime")
                    .null("recurrence")
                    .obj("expiration", |e| {
                        e.null("endDateTime")
                            .null("duration")
                            .str("type", "notSpecified");
                    });
            })
            .empty_arr("answers")
            .empty_arr("customExtensionCalloutInstances")
            .obj("requestor", |o| subject(t, o, r.user))
            .raw("accessPackage", &cache.package[r.package as usize])
            .null("assignment");
        o.close();
        pages.push(&buf)?;
    }
    pages.finish()
}

/// Writes every recipe file of `t` into `dir`.
pub(crate) fn write(t: &Tenant, dir: &Path, memory: bool) -> io::Result<Written> {
    let mut w = Written {
        memory: memory.then(Vec::new),
        ..Written::default()
    };
    let cache = Cache::new(t);
    write_directory(t, dir, &mut w)?;
    write_management(t, &cache, dir, &mut w)?;
    events::write(t, dir, &mut w)?;
    Ok(w)
}
