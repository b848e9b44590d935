use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};
use serde_json::json;

use super::quoted;
use crate::declare_rule;
use crate::findings::EntityRef;
use crate::model::{Dataset, ObjectKind, ObjectRef, Snapshot, SubjectSet};
use crate::rules::expiration::policy_words;
use crate::rules::{
    Findings, Rule, RuleContext, group_ref, organization_ref, package_ref, policy_ref,
    resource_ref, user_ref,
};

declare_rule! {
    /// ## What it does
    /// Flags a policy, access package, catalog resource or connected organisation that refers to
    /// a user, group, connected organisation or access package that is not in the export's
    /// directory data — in practice, an object that was deleted. It looks at a policy's specific
    /// requestors, on-behalf requestors, approvers (primary, fallback, escalation) of every stage
    /// and reviewers; a package's incompatible packages and groups; a group resource's group; and
    /// a connected organisation's sponsors. A kind of object is judged only when it was exported
    /// (users only with `users.json`, groups only with `groups.json`, organisations only with
    /// `connectedOrganizations.json`). One finding per referring object lists every missing id.
    ///
    /// ## Why is this risky?
    /// A deleted approver silently removes a control: the stage may route to nobody, to the
    /// fallback only, or time out. A deleted requestor group or organisation leaves a policy that
    /// nobody understands, and a deleted incompatible group no longer separates duties. The
    /// configuration says one thing while the tenant does another.
    ///
    /// ## Example
    /// ```json
    /// { "primaryApprovers": [ { "@odata.type": "#microsoft.graph.singleUser",
    ///                           "userId": "id-of-a-deleted-user" } ] }
    /// ```
    ///
    /// ## Remediation
    /// In the Entra admin center, open Identity Governance → Entitlement management → Access
    /// packages → the package → Policies (or Separation of duties), or Connected organizations →
    /// the organisation → Sponsors, and replace or remove the deleted object. Remove catalog
    /// resources whose group was deleted (Catalogs → the catalog → Resources).
    ///
    /// ## References
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-access-package-approval-policy
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-access-package-incompatible
    /// - https://learn.microsoft.com/entra/id-governance/entitlement-management-organization
    pub DanglingReference {
        id: "GS601",
        name: "dangling-reference",
        category: Hygiene,
        severity: Medium,
        summary: "Configuration refers to a user, group or connected organisation that no longer exists",
        remediation: "Replace or remove the reference to the deleted object in the policy, package, resource or connected organisation",
        needs: [],
        since: "0.1.0",
    }
}

/// This rule has no options.
#[derive(Debug, Default, Clone, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct Options {}

/// A reference to an object that is not in the export.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
struct Missing {
    /// Where the reference is (`stage 1 primaryApprovers`).
    place: String,
    /// `user`, `group`, `connectedOrganization` or `accessPackage`.
    kind: &'static str,
    id: String,
}

/// Which kinds of objects can be judged missing, given the datasets exported.
struct Directory<'a> {
    s: &'a Snapshot,
    users: bool,
    groups: bool,
    organizations: bool,
}

impl<'a> Directory<'a> {
    fn new(s: &'a Snapshot) -> Self {
        Directory {
            s,
            users: s.has(Dataset::Users),
            groups: s.has(Dataset::Groups),
            organizations: s.has(Dataset::ConnectedOrganizations),
        }
    }

    fn user(&self, id: &str) -> Option<&'static str> {
        (self.users && !self.s.users.contains_key(id)).then_some("user")
    }

    fn group(&self, id: &str) -> Option<&'static str> {
        (self.groups && !self.s.groups.contains_key(id)).then_some("group")
    }

    fn organization(&self, id: &str) -> Option<&'static str> {
        (self.organizations && !self.s.connected_organizations.contains_key(id))
            .then_some("connectedOrganization")
    }

    /// The kind of a missing subject-set member, if it is missing.
    fn subject_set<'r>(&self, set: &'r SubjectSet) -> Option<(&'static str, &'r str)> {
        match set {
            SubjectSet::SingleUser { user_id } => self.user(user_id).map(|k| (k, user_id.as_str())),
            SubjectSet::GroupMembers { group_id } => {
                self.group(group_id).map(|k| (k, group_id.as_str()))
            }
            SubjectSet::ConnectedOrganizationMembers {
                connected_organization_id,
            } => self
                .organization(connected_organization_id)
                .map(|k| (k, connected_organization_id.as_str())),
            _ => None,
        }
    }

    /// The kind of a missing sponsor, if it is missing. A sponsor of unknown type is missing only
    /// when neither users nor groups (nor service principals) contain it and both were exported.
    fn object(&self, r: &ObjectRef) -> Option<&'static str> {
        match r.kind {
            ObjectKind::User => self.user(&r.id),
            ObjectKind::Group => self.group(&r.id),
            ObjectKind::ServicePrincipal => None,
            ObjectKind::Unknown => (self.users
                && self.groups
                && !self.s.users.contains_key(&r.id)
                && !self.s.groups.contains_key(&r.id)
                && !self.s.service_principals.contains_key(&r.id))
            .then_some("directoryObject"),
        }
    }

    fn sets(&self, place: &str, sets: &[SubjectSet], out: &mut Vec<Missing>) {
        for set in sets {
            if let Some((kind, id)) = self.subject_set(set) {
                out.push(Missing {
                    place: place.to_owned(),
                    kind,
                    id: id.to_owned(),
                });
            }
        }
    }

    fn objects(&self, place: &str, refs: &[ObjectRef], out: &mut Vec<Missing>) {
        for r in refs {
            if let Some(kind) = self.object(r) {
                out.push(Missing {
                    place: place.to_owned(),
                    kind,
                    id: r.id.clone(),
                });
            }
        }
    }
}

/// A kind as words in messages.
fn kind_words(kind: &str) -> &str {
    match kind {
        "connectedOrganization" => "connected organisation",
        "accessPackage" => "access package",
        "directoryObject" => "directory object",
        other => other,
    }
}

fn missing_ref(s: &Snapshot, m: &Missing) -> EntityRef {
    match m.kind {
        "group" => group_ref(s, &m.id),
        "connectedOrganization" => organization_ref(s, &m.id),
        "accessPackage" => package_ref(s, &m.id),
        _ => user_ref(s, &m.id),
    }
}

/// Pushes one finding for a referring object, if anything it refers to is missing.
fn report(
    ctx: &RuleContext<'_>,
    out: &mut Findings,
    subject: EntityRef,
    words: String,
    mut missing: Vec<Missing>,
    related: Vec<EntityRef>,
) {
    if missing.is_empty() {
        return;
    }
    crate::order::sort(&mut missing);
    missing.dedup();
    let s = ctx.snapshot;
    let ids: BTreeSet<&str> = missing
        .iter()
        .map(|m| m.id.as_str())
        .fold(BTreeSet::new(), crate::order::into_set);
    let sample: Vec<String> = missing
        .iter()
        .map(|m| (m.kind, m.id.as_str()))
        .fold(BTreeSet::new(), crate::order::into_set)
        .into_iter()
        .take(3)
        .map(|(k, id)| format!("{} {id}", kind_words(k)))
        .collect();
    let more = if ids.len() > sample.len() {
        format!(" and {} more", ids.len() - sample.len())
    } else {
        String::new()
    };
    let noun = if ids.len() == 1 { "object" } else { "objects" };
    let message = format!(
        "{words} refers to {} deleted {noun}: {}{more}",
        ids.len(),
        sample.join(", ")
    );
    let references: Vec<serde_json::Value> = missing
        .iter()
        .map(|m| json!({ "where": m.place, "kind": m.kind, "id": m.id }))
        .collect();
    let mut d = ctx
        .finding(out, subject, message)
        .evidence("missingIds", &ids)
        .evidence("references", references)
        .evidence(
            "note",
            "absent from the exported directory data: deleted, or the export is incomplete",
        );
    for m in &missing {
        d = d.related(missing_ref(s, m));
    }
    for r in related {
        d = d.related(r);
    }
    for id in ids {
        d = d.key(id);
    }
    out.push(d);
}

impl Rule for DanglingReference {
    type Options = Options;

    fn applicable(&self, ctx: &RuleContext<'_>) -> Result<(), String> {
        let s = ctx.snapshot;
        let directory = [
            Dataset::Users,
            Dataset::Groups,
            Dataset::ConnectedOrganizations,
            Dataset::IncompatibleAccessPackages,
        ];
        if directory.iter().any(|d| s.has(*d)) {
            Ok(())
        } else {
            Err("no directory data (users, groups or connected organisations) was exported to check references against".to_owned())
        }
    }

    fn check(&self, ctx: &RuleContext<'_>, _options: &Options, out: &mut Findings) {
        let s = ctx.snapshot;
        let dir = Directory::new(s);

        for p in s.policies.values() {
            let mut missing = Vec::new();
            dir.sets(
                "specificAllowedTargets",
                &p.specific_allowed_targets,
                &mut missing,
            );
            if let Some(r) = &p.requestor_settings {
                dir.sets("onBehalfRequestors", &r.on_behalf_requestors, &mut missing);
            }
            for (i, st) in p.approval.iter().flat_map(|a| a.stages.iter()).enumerate() {
                let n = i + 1;
                dir.sets(
                    &format!("stage {n} primaryApprovers"),
                    &st.primary_approvers,
                    &mut missing,
                );
                dir.sets(
                    &format!("stage {n} fallbackPrimaryApprovers"),
                    &st.fallback_primary_approvers,
                    &mut missing,
                );
                dir.sets(
                    &format!("stage {n} escalationApprovers"),
                    &st.escalation_approvers,
                    &mut missing,
                );
                dir.sets(
                    &format!("stage {n} fallbackEscalationApprovers"),
                    &st.fallback_escalation_approvers,
                    &mut missing,
                );
            }
            if let Some(r) = &p.review {
                dir.sets("primaryReviewers", &r.primary_reviewers, &mut missing);
                dir.sets("fallbackReviewers", &r.fallback_reviewers, &mut missing);
            }
            let related = p
                .access_package_id
                .as_deref()
                .map(|pkg| package_ref(s, pkg))
                .into_iter()
                .collect();
            report(
                ctx,
                out,
                policy_ref(s, &p.id),
                policy_words(ctx, p),
                missing,
                related,
            );
        }

        for p in s.access_packages.values() {
            let mut missing = Vec::new();
            for q in p.incompatible_access_packages.iter().flatten() {
                if !s.access_packages.contains_key(q) {
                    missing.push(Missing {
                        place: "incompatibleAccessPackages".to_owned(),
                        kind: "accessPackage",
                        id: q.clone(),
                    });
                }
            }
            for g in p.incompatible_groups.iter().flatten() {
                if let Some(kind) = dir.group(g) {
                    missing.push(Missing {
                        place: "incompatibleGroups".to_owned(),
                        kind,
                        id: g.clone(),
                    });
                }
            }
            let words = format!(
                "Access package {}",
                quoted(p.display_name.as_deref(), &p.id)
            );
            report(ctx, out, package_ref(s, &p.id), words, missing, Vec::new());
        }

        for r in s.resources.values() {
            let is_group = r
                .origin_system
                .as_deref()
                .is_some_and(|o| o.eq_ignore_ascii_case("AadGroup"));
            let Some(origin) = r.origin_id.as_deref().filter(|_| is_group) else {
                continue;
            };
            let mut missing = Vec::new();
            if let Some(kind) = dir.group(origin) {
                missing.push(Missing {
                    place: "originId".to_owned(),
                    kind,
                    id: origin.to_owned(),
                });
            }
            let words = format!(
                "Catalog resource {}",
                quoted(r.display_name.as_deref(), &r.id)
            );
            report(ctx, out, resource_ref(s, &r.id), words, missing, Vec::new());
        }

        for o in s.connected_organizations.values() {
            let mut missing = Vec::new();
            dir.objects(
                "internalSponsors",
                o.internal_sponsors.as_deref().unwrap_or_default(),
                &mut missing,
            );
            dir.objects(
                "externalSponsors",
                o.external_sponsors.as_deref().unwrap_or_default(),
                &mut missing,
            );
            let words = format!(
                "Connected organisation {}",
                quoted(o.display_name.as_deref(), &o.id)
            );
            report(
                ctx,
                out,
                organization_ref(s, &o.id),
                words,
                missing,
                Vec::new(),
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::Directory;
    use crate::model::{Dataset, Group, ObjectKind, ObjectRef, Snapshot, SubjectSet, User};

    fn snapshot(datasets: &[Dataset]) -> Snapshot {
        let mut s = Snapshot::default();
        s.users.insert(
            "u1".into(),
            User {
                id: "u1".into(),
                ..User::default()
            },
        );
        s.groups.insert(
            "g1".into(),
            Group {
                id: "g1".into(),
                ..Group::default()
            },
        );
        s.datasets.extend(datasets.iter().copied());
        s
    }

    fn obj(id: &str, kind: ObjectKind) -> ObjectRef {
        ObjectRef {
            id: id.into(),
            kind,
        }
    }

    #[test]
    fn only_exported_kinds_are_judged() {
        let s = snapshot(&[Dataset::Users]);
        let d = Directory::new(&s);
        let gone_user = SubjectSet::SingleUser {
            user_id: "u9".into(),
        };
        let gone_group = SubjectSet::GroupMembers {
            group_id: "g9".into(),
        };
        assert_eq!(d.subject_set(&gone_user), Some(("user", "u9")));
        assert_eq!(d.subject_set(&gone_group), None, "groups were not exported");
        assert_eq!(d.object(&obj("u9", ObjectKind::User)), Some("user"));
        assert_eq!(d.object(&obj("u1", ObjectKind::User)), None);
        // A sponsor of unknown type needs both users and groups to be judged.
        assert_eq!(d.object(&obj("x9", ObjectKind::Unknown)), None);
        let s = snapshot(&[Dataset::Users, Dataset::Groups]);
        let d = Directory::new(&s);
        assert_eq!(
            d.object(&obj("x9", ObjectKind::Unknown)),
            Some("directoryObject")
        );
        assert_eq!(d.object(&obj("g1", ObjectKind::Unknown)), None);
        assert_eq!(d.object(&obj("sp", ObjectKind::ServicePrincipal)), None);
    }
}
