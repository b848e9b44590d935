//! Writes a tenant as an EntraExporter tree (`Export-Entra -Type EntitlementManagement,Users`,
//! EntraExporter v3): one beta object per file, `<collection>/<id>/<id>.json`, no `value`
//! envelope and no `@odata.context`, indented as PowerShell 7's `ConvertTo-Json` does.
//!
//! As with a real EntraExporter export, much is missing compared with the recipe (catalogs and
//! their unused resources, requests, incompatibilities, the audit log, sign-in activity,
//! managers, groups and their members, and who an assignment's `targetId` is), so many rules
//! report "not evaluated" on this form; it exists to measure ingestion of a many-small-files
//! tree. Beta has no auto-assignment policies: those policies and their assignments are left out,
//! and a review every two years (no beta `recurrenceType`) is written as `annual`.

use std::io;
use std::path::{Path, PathBuf};

use crate::ids::{K, id};
use crate::json::{Arr, Obj, object};
use crate::model::{AState, Exp, ExtState, Set, SponsorRef, Tenant, Via};
use crate::recipe::{Written, assignment_schedule};

const EM: &str = "IdentityGovernance/EntitlementManagement";
const CREATED_BY: &str = "admin@contoso.example";

/// Re-indents compact JSON the way PowerShell 7's `ConvertTo-Json` writes it (two spaces,
/// `"key": value`, empty arrays as `[]`).
fn indent(compact: &str) -> String {
    let mut out = String::with_capacity(compact.len() * 2);
    let mut depth = 0usize;
    let mut in_str = false;
    let mut escaped = false;
    let newline = |out: &mut String, depth: usize| {
        out.push_str("\r\n");
        for _ in 0..depth {
            out.push_str("  ");
        }
    };
    let mut i = 0;
    let chars: Vec<char> = compact.chars().collect();
    while i < chars.len() {
        let c = chars[i];
        if in_str {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_str = false;
            }
            i += 1;
            continue;
        }
        match c {
            '"' => {
                in_str = true;
                out.push(c);
            }
            '{' | '[' => {
                let close = if c == '{' { '}' } else { ']' };
                if chars.get(i + 1) == Some(&close) {
                    out.push(c);
                    out.push(close);
                    i += 2;
                    continue;
                }
                out.push(c);
                depth += 1;
                newline(&mut out, depth);
            }
            '}' | ']' => {
                depth = depth.saturating_sub(1);
                newline(&mut out, depth);
                out.push(c);
            }
            ',' => {
                out.push(',');
                newline(&mut out, depth);
            }
            ':' => out.push_str(": "),
            _ => out.push(c),
        }
        i += 1;
    }
    out
}

struct Tree<'w> {
    root: PathBuf,
    written: &'w mut Written,
}

impl Tree<'_> {
    /// Writes `<folder>/<name>/<name>.json`.
    fn put(&mut self, folder: &str, name: &str, compact: &str) -> io::Result<()> {
        if self.written.memory.is_none() {
            std::fs::create_dir_all(self.root.join(folder).join(name))?;
        }
        let text = indent(compact);
        self.written.put(
            &self.root,
            &format!("{folder}/{name}/{name}.json"),
            text.into_bytes(),
        )
    }
}

fn user_set(t: &Tenant, a: &mut Arr<'_>, set: &Set, backup: bool) {
    a.obj(|o| match set {
        Set::User(u) => {
            o.str("@odata.type", "#microsoft.graph.singleUser")
                .bool("isBackup", backup)
                .str("id", &t.user(*u).id)
                .str("description", &t.user(*u).display);
        }
        Set::DeletedUser(id) => {
            o.str("@odata.type", "#microsoft.graph.singleUser")
                .bool("isBackup", backup)
                .str("id", id)
                .str("description", "Former employee");
        }
        Set::Group(g) => {
            let g = &t.groups[*g as usize];
            o.str("@odata.type", "#microsoft.graph.groupMembers")
                .bool("isBackup", backup)
                .str("id", &g.id)
                .str("description", &g.name);
        }
        Set::Org(x) => {
            let org = &t.orgs[*x as usize];
            o.str(
                "@odata.type",
                "#microsoft.graph.connectedOrganizationMembers",
            )
            .bool("isBackup", backup)
            .str("id", &org.id)
            .str("description", &org.name);
        }
        Set::Manager(level) => {
            o.str("@odata.type", "#microsoft.graph.requestorManager")
                .bool("isBackup", backup)
                .int("managerLevel", i64::from(*level));
        }
        Set::InternalSponsors => {
            o.str("@odata.type", "#microsoft.graph.internalSponsors")
                .bool("isBackup", backup);
        }
        Set::AttributeRule(rule, description) => {
            o.str("@odata.type", "#microsoft.graph.attributeRuleMembers")
                .str("description", description)
                .str("membershipRule", rule);
        }
    });
}

fn scope_type(p: &crate::model::Policy) -> &'static str {
    use crate::model::Scope;
    match p.scope {
        Scope::NotSpecified => "NoSubjects",
        Scope::SpecificDirectoryUsers => "SpecificDirectorySubjects",
        Scope::SpecificConnectedOrganizationUsers => "SpecificConnectedOrganizationSubjects",
        Scope::AllMemberUsers => "AllExistingDirectoryMemberUsers",
        Scope::AllExternalUsers => "AllExternalSubjects",
    }
}

fn policy(t: &Tenant, p: &crate::model::Policy) -> String {
    object(|o| {
        let (days, until) = match p.exp {
            Exp::Days(d) => (d, None),
            Exp::Never => (0, None),
            Exp::Until(u) => (0, Some(u)),
        };
        o.str("id", &p.id)
            .str("accessPackageId", &t.packages[p.package as usize].id)
            .str("displayName", &p.name)
            .str("description", &p.description)
            .bool("canExtend", p.self_update)
            .int("durationInDays", days)
            .opt_time("expirationDateTime", until)
            .str("createdBy", CREATED_BY)
            .time("createdDateTime", p.created)
            .str("modifiedBy", CREATED_BY)
            .time("modifiedDateTime", p.created)
            .obj("requestorSettings", |r| {
                r.str("scopeType", scope_type(p))
                    .bool("acceptRequests", p.self_add)
                    .arr("allowedRequestors", |a| {
                        for s in &p.targets {
                            user_set(t, a, s, false);
                        }
                    });
            })
            .obj("requestApprovalSettings", |r| {
                let mode = match p.stages.len() {
                    0 => "NoApproval",
                    1 => "SingleStage",
                    _ => "Serial",
                };
                r.bool("isApprovalRequired", !p.stages.is_empty())
                    .bool("isApprovalRequiredForExtension", p.update_needs_approval)
                    .bool("isRequestorJustificationRequired", p.justification)
                    .str("approvalMode", mode)
                    .arr("approvalStages", |a| {
                        for st in &p.stages {
                            a.obj(|s| {
                                s.int("approvalStageTimeOutInDays", 14)
                                    .bool("isApproverJustificationRequired", false)
                                    .bool("isEscalationEnabled", !st.escalation.is_empty())
                                    .int(
                                        "escalationTimeInMinutes",
                                        if st.escalation.is_empty() { 0 } else { 2880 },
                                    )
                                    .arr("primaryApprovers", |a| {
                                        for x in &st.primary {
                                            user_set(t, a, x, false);
                                        }
                                        for x in &st.fallback {
                                            user_set(t, a, x, true);
                                        }
                                    })
                                    .arr("escalationApprovers", |a| {
                                        for x in &st.escalation {
                                            user_set(t, a, x, false);
                                        }
                                    });
                            });
                        }
                    });
            });
        match &p.review {
            None => {
                o.null("accessReviewSettings");
            }
            Some(r) => {
                let recurrence = match (r.yearly, r.interval) {
                    (true, _) => "annual",
                    (false, 1) => "monthly",
                    (false, 3) => "quarterly",
                    (false, _) => "semiAnnually",
                };
                o.obj("accessReviewSettings", |a| {
                    a.bool("isEnabled", true)
                        .str("recurrenceType", recurrence)
                        .str(
                            "reviewerType",
                            if r.self_review { "Self" } else { "Reviewers" },
                        )
                        .time("startDateTime", r.start)
                        .int("durationInDays", 14)
                        .arr("reviewers", |a| {
                            for x in &r.reviewers {
                                user_set(t, a, x, false);
                            }
                        })
                        .bool("isAccessRecommendationEnabled", true)
                        .bool("isApprovalJustificationRequired", true)
                        .str(
                            "accessReviewTimeoutBehavior",
                            if r.keep_access {
                                "keepAccess"
                            } else {
                                "removeAccess"
                            },
                        );
                });
            }
        }
        o.empty_arr("questions");
    })
}

fn package_fields(t: &Tenant, o: &mut Obj<'_>, p: &crate::model::Package) {
    o.str("id", &p.id)
        .str("catalogId", &t.catalogs[p.catalog as usize].id)
        .str("displayName", &p.name)
        .str("description", &p.description)
        .bool("isHidden", p.hidden)
        .bool("isRoleScopesVisible", false)
        .str("createdBy", CREATED_BY)
        .time("createdDateTime", p.created)
        .str("modifiedBy", CREATED_BY)
        .time("modifiedDateTime", p.created);
}

fn sponsor(t: &Tenant, u: crate::model::Ix) -> String {
    let user = t.user(u);
    object(|o| {
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
    })
}

/// Writes the EntraExporter tree of `t` into `dir`.
pub(crate) fn write(t: &Tenant, dir: &Path, memory: bool) -> io::Result<Written> {
    let mut written = Written {
        memory: memory.then(Vec::new),
        ..Written::default()
    };
    let mut tree = Tree {
        root: dir.to_owned(),
        written: &mut written,
    };
    for u in &t.users {
        let s = object(|o| {
            o.str("id", &u.id)
                .null("deletedDateTime")
                .bool("accountEnabled", u.enabled)
                .null("ageGroup")
                .empty_arr("businessPhones")
                .str("companyName", if u.guest { "" } else { "Contoso Ltd" })
                .time("createdDateTime", u.created)
                .opt_str("creationType", u.ext.map(|_| "Invitation"))
                .opt_str("department", u.dept.map(|d| t.departments[d].name.as_str()))
                .str("displayName", &u.display);
            match u.ext {
                Some((state, since)) => {
                    o.str(
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
                    o.null("externalUserState")
                        .null("externalUserStateChangeDateTime");
                }
            }
            o.str("givenName", u.given)
                .opt_str(
                    "jobTitle",
                    (!u.title.is_empty()).then_some(u.title.as_str()),
                )
                .str("mail", &u.mail)
                .str("mailNickname", u.mail.split('@').next().unwrap_or_default())
                .empty_arr("otherMails")
                .str("surname", u.surname)
                .str("userPrincipalName", &u.upn)
                .str("userType", if u.guest { "Guest" } else { "Member" })
                .str(
                    "extensions@odata.context",
                    &format!(
                        "https://graph.microsoft.com/beta/$metadata#users('{}')/extensions",
                        u.id
                    ),
                )
                .empty_arr("extensions");
        });
        tree.put("Users", &u.id, &s)?;
    }
    let packages = format!("{EM}/AccessPackages");
    for p in &t.packages {
        let s = object(|o| package_fields(t, o, p));
        tree.put(&packages, &p.id, &s)?;
        let scopes = object(|o| {
            package_fields(t, o, p);
            o.arr("accessPackageResourceRoleScopes", |a| {
                for &(r, role) in &p.grants {
                    let res = &t.resources[r as usize];
                    let role = &res.roles[role as usize];
                    a.obj(|o| {
                        o.str("id", &format!("{}_{}", role.id, res.scope_id))
                            .str("createdBy", CREATED_BY)
                            .time("createdDateTime", p.created)
                            .str("modifiedBy", CREATED_BY)
                            .time("modifiedDateTime", p.created)
                            .obj("accessPackageResourceRole", |o| {
                                o.str("id", &role.id)
                                    .str("displayName", &role.name)
                                    .opt_str("description", role.description.as_deref())
                                    .str("originSystem", res.origin_system())
                                    .str("originId", &role.origin_id);
                            })
                            .obj("accessPackageResourceScope", |o| {
                                let url = matches!(res.origin, crate::model::Origin::Site(_))
                                    .then(|| res.origin_id(t));
                                o.str("id", &res.scope_id)
                                    .str("displayName", "Root")
                                    .str("description", "Root Scope")
                                    .str("originId", res.origin_id(t))
                                    .str("originSystem", res.origin_system())
                                    .str("roleOriginId", &role.origin_id)
                                    .bool("isRootScope", true)
                                    .opt_str("url", url);
                            });
                    });
                }
            });
        });
        tree.put(
            &format!("{packages}/{}/ResourceScopes", p.id),
            &p.id,
            &scopes,
        )?;
    }
    for q in t.policies.iter().filter(|q| !q.auto) {
        let pkg = &t.packages[q.package as usize].id;
        tree.put(
            &format!("{packages}/{pkg}/AssignmentPolicies"),
            &q.id,
            &policy(t, q),
        )?;
    }
    for (i, a) in t.assignments.iter().enumerate() {
        let q = &t.policies[a.policy as usize];
        if q.via == Via::Auto {
            continue;
        }
        let p = &t.packages[a.package as usize];
        let aid = id(t.seed, K::Assignment, i as u64);
        let (state, status) = match a.state {
            AState::Delivered => ("Delivered", "Delivered"),
            AState::Delivering => ("Delivering", "Delivering"),
            AState::Expired => ("Expired", "ExpiredNotificationTriggered"),
            AState::DeliveryFailed => ("DeliveryFailed", "DeliveryFailed"),
        };
        let s = object(|o| {
            o.str("id", &aid)
                .str("catalogId", &t.catalogs[p.catalog as usize].id)
                .str("accessPackageId", &p.id)
                .str("assignmentPolicyId", &q.id)
                .id("targetId", t.seed, K::Subject, u64::from(a.user))
                .str("assignmentStatus", status)
                .str("assignmentState", state)
                .bool("isExtended", false);
            assignment_schedule(o, a);
        });
        tree.put(&format!("{packages}/{}/Assignments", p.id), &aid, &s)?;
    }
    let orgs = format!("{EM}/ConnectedOrganizations");
    for org in &t.orgs {
        let s = object(|o| {
            o.str("id", &org.id)
                .str("displayName", &org.name)
                .str("description", &format!("{} ({})", org.name, org.domain))
                .str("createdBy", CREATED_BY)
                .time("createdDateTime", org.created)
                .str("modifiedBy", CREATED_BY)
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
                });
        });
        tree.put(&orgs, &org.id, &s)?;
        for sp in &org.internal {
            if let SponsorRef::User(u) = sp {
                tree.put(
                    &format!("{orgs}/{}/InternalSponsors", org.id),
                    &t.user(*u).id,
                    &sponsor(t, *u),
                )?;
            }
        }
        for &u in &org.external {
            tree.put(
                &format!("{orgs}/{}/ExternalSponsors", org.id),
                &t.user(u).id,
                &sponsor(t, u),
            )?;
        }
    }
    let settings = object(|o| {
        o.str(
            "externalUserLifecycleAction",
            if t.lifecycle_none {
                "None"
            } else {
                "BlockSignInAndDelete"
            },
        )
        .int("daysUntilExternalUserDeletedAfterBlocked", 30);
    });
    tree.put(&format!("{EM}/Settings"), "Settings", &settings)?;
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::indent;

    #[test]
    fn indents_like_powershell() {
        let s = indent(r#"{"a":[],"b":{"c":"x,{y}:"},"d":[1,2]}"#);
        assert_eq!(
            s,
            "{\r\n  \"a\": [],\r\n  \"b\": {\r\n    \"c\": \"x,{y}:\"\r\n  },\r\n  \"d\": [\r\n    1,\r\n    2\r\n  ]\r\n}"
        );
        let v: serde_json::Value = serde_json::from_str(&s).unwrap();
        assert_eq!(v["b"]["c"], "x,{y}:");
    }
}
