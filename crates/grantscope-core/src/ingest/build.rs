//! Collects normalised objects from every file, then builds the snapshot in one pass that does
//! not depend on file order: duplicates are merged (partial records field by field, full records
//! must agree), per-parent files are attached, and references are resolved.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{
    AccessPackage, Assignment, AssignmentPolicy, AssignmentRequest, AuditEvent, Catalog,
    ConnectedOrganization, Dataset, Group, ObjectRef, Resource, ResourceRoleScope,
    ServicePrincipal, Settings, Snapshot, SourceRef, Subject, User,
};

use super::report::{LoadWarning, WarningKind};

/// An entity that can be deduplicated by id.
pub(crate) trait Entity: Clone + PartialEq {
    const KIND: &'static str;
    fn id(&self) -> &str;
    fn source(&self) -> &SourceRef;
    fn source_mut(&mut self) -> &mut SourceRef;

    /// Merges a second copy into `self`. The default accepts only identical copies; partial
    /// records (users from several requests) override this to fill gaps. Returns the names of
    /// conflicting fields.
    fn merge(&mut self, other: Self) -> Vec<&'static str> {
        let mut a = self.clone();
        let mut b = other;
        *a.source_mut() = SourceRef::default();
        *b.source_mut() = SourceRef::default();
        if a == b {
            Vec::new()
        } else {
            vec!["(content)"]
        }
    }
}

/// Fills `None` fields of `$a` from `$b`; records a conflict where both are set and differ.
macro_rules! fill {
    ($a:ident, $b:ident, $conflicts:ident; $($field:ident),+ $(,)?) => {
        $(
            match (&$a.$field, $b.$field) {
                (None, v) => $a.$field = v,
                (Some(x), Some(y)) if *x != y => $conflicts.push(stringify!($field)),
                _ => {}
            }
        )+
    };
}

macro_rules! entity {
    ($t:ty, $kind:literal) => {
        impl Entity for $t {
            const KIND: &'static str = $kind;
            fn id(&self) -> &str {
                &self.id
            }
            fn source(&self) -> &SourceRef {
                &self.source
            }
            fn source_mut(&mut self) -> &mut SourceRef {
                &mut self.source
            }
        }
    };
    ($t:ty, $kind:literal, merge($a:ident, $b:ident, $c:ident) $body:block) => {
        impl Entity for $t {
            const KIND: &'static str = $kind;
            fn id(&self) -> &str {
                &self.id
            }
            fn source(&self) -> &SourceRef {
                &self.source
            }
            fn source_mut(&mut self) -> &mut SourceRef {
                &mut self.source
            }
            fn merge(&mut self, other: Self) -> Vec<&'static str> {
                let $a = self;
                let $b = other;
                let mut $c = Vec::new();
                $body
                $c
            }
        }
    };
}

entity!(User, "user", merge(a, b, c) {
    // Point at the user's profile record (users.json), not at a partial one (managers.json).
    if a.display_name.is_none() && a.user_principal_name.is_none()
        && (b.display_name.is_some() || b.user_principal_name.is_some())
    {
        a.source = b.source.clone();
    }
    fill!(a, b, c; display_name, user_principal_name, mail, user_type, account_enabled, created,
        creation_type, external_user_state, external_user_state_changed, department, job_title,
        sign_in_activity, sponsors);
    if b.manager_known {
        if !a.manager_known {
            a.manager_known = true;
            a.manager_id = b.manager_id;
        } else if a.manager_id != b.manager_id {
            c.push("manager");
        }
    }
});
entity!(Group, "group", merge(a, b, c) {
    fill!(a, b, c; display_name, description, is_assignable_to_role, membership_rule,
        security_enabled, mail_enabled, members, transitive_members);
    if a.group_types.is_empty() {
        a.group_types = b.group_types;
    } else if !b.group_types.is_empty() && a.group_types != b.group_types {
        c.push("groupTypes");
    }
});
entity!(AccessPackage, "access package", merge(a, b, c) {
    fill!(a, b, c; display_name, description, is_hidden, catalog_id, created, modified,
        resource_role_scopes, incompatible_access_packages, incompatible_groups);
});
entity!(Subject, "subject", merge(a, b, c) {
    fill!(a, b, c; object_id, display_name, email, principal_name, subject_type,
        connected_organization_id);
});
entity!(ServicePrincipal, "service principal");
entity!(Catalog, "catalog");
entity!(Resource, "resource");
entity!(AssignmentPolicy, "policy");
entity!(Assignment, "assignment");
entity!(AssignmentRequest, "assignment request");
entity!(ConnectedOrganization, "connected organization", merge(a, b, c) {
    fill!(a, b, c; display_name, description, state, created, modified, internal_sponsors,
        external_sponsors);
    if a.identity_sources.is_empty() {
        a.identity_sources = b.identity_sources;
    }
});
entity!(AuditEvent, "audit event");

/// Every normalised object of every file, before deduplication.
#[derive(Debug, Default)]
pub(crate) struct Collector {
    pub(crate) users: Vec<User>,
    pub(crate) user_sponsors: Vec<(String, Vec<ObjectRef>)>,
    pub(crate) groups: Vec<Group>,
    /// (group id, transitive?, members, where they came from)
    pub(crate) group_members: Vec<(String, bool, Vec<ObjectRef>, SourceRef)>,
    pub(crate) service_principals: Vec<ServicePrincipal>,
    pub(crate) catalogs: Vec<Catalog>,
    pub(crate) resources: Vec<Resource>,
    pub(crate) packages: Vec<AccessPackage>,
    pub(crate) role_scopes: Vec<(String, Vec<ResourceRoleScope>, SourceRef)>,
    pub(crate) incompatible_packages: Vec<(String, Vec<String>, SourceRef)>,
    pub(crate) incompatible_groups: Vec<(String, Vec<String>, SourceRef)>,
    pub(crate) policies: Vec<AssignmentPolicy>,
    pub(crate) assignments: Vec<Assignment>,
    pub(crate) requests: Vec<AssignmentRequest>,
    pub(crate) subjects: Vec<Subject>,
    pub(crate) organizations: Vec<ConnectedOrganization>,
    /// (organisation id, internal?, sponsors, where they came from)
    pub(crate) organization_sponsors: Vec<(String, bool, Vec<ObjectRef>, SourceRef)>,
    pub(crate) settings: Vec<Settings>,
    pub(crate) audit_events: Vec<AuditEvent>,
    pub(crate) datasets: BTreeSet<Dataset>,
}

fn warn(warnings: &mut Vec<LoadWarning>, kind: WarningKind, source: &SourceRef, message: String) {
    warnings.push(LoadWarning {
        kind,
        file: source.file.clone(),
        line: source.line,
        path: (!source.pointer.is_empty()).then(|| source.pointer.clone()),
        message,
    });
}

/// Deduplicates by id. Items are first ordered by (id, file, line) so the surviving copy and the
/// warnings do not depend on the order files were given in; copies of one id are then neighbours,
/// merged in one pass, and the map is built from sorted keys (in linear time, not by inserting
/// one key at a time).
///
/// Memory: the items are reordered in their own buffer and merged into (id, item) pairs, after
/// which that buffer is freed; the map is built from the pairs' own vector. At most two copies
/// of the collection exist at a time (it was four, the peak of loading a large export).
fn dedup<T: Entity>(mut items: Vec<T>, warnings: &mut Vec<LoadWarning>) -> BTreeMap<String, T> {
    // Sort small keys, not the entities (hundreds of bytes each); with the one sort instance of
    // `crate::order` (the browser build's size), the index breaking ties. The keys start with the
    // id's first 32 bytes held inline, so most comparisons do not read the id's string at all.
    let (mut order, same_id): (Vec<usize>, Vec<bool>) = {
        let mut keys: Vec<(IdPrefix, &str, &str, u32, usize)> = items
            .iter()
            .enumerate()
            .map(|(i, t)| {
                let id = t.id();
                (
                    id_prefix(id),
                    id,
                    t.source().file.as_str(),
                    t.source().line,
                    i,
                )
            })
            .collect();
        crate::order::sort(&mut keys);
        // Whether each key's id is its predecessor's (the prefixes decide most pairs).
        let same_id = (0..keys.len())
            .map(|i| i > 0 && keys[i - 1].0 == keys[i].0 && keys[i - 1].1 == keys[i].1)
            .collect();
        (keys.into_iter().map(|k| k.4).collect(), same_id)
    };
    crate::order::permute(&mut items, &mut order);
    drop(order);
    // Copies of one id are now neighbours: each later copy is merged into the first. The items'
    // buffer is freed when the loop has taken them all.
    let mut pairs: Vec<(String, T)> = Vec::with_capacity(items.len());
    for (item, same) in items.into_iter().zip(same_id) {
        match pairs.last_mut() {
            Some((_, kept)) if same => {
                let other_source = item.source().clone();
                let conflicts = kept.merge(item);
                if !conflicts.is_empty() {
                    warn(
                        warnings,
                        WarningKind::ConflictingDuplicate,
                        &other_source,
                        format!(
                            "{} `{}` also appears in {} (line {}) with different {}; the first copy is kept",
                            T::KIND,
                            kept.id(),
                            kept.source().file,
                            kept.source().line,
                            conflicts.join(", ")
                        ),
                    );
                }
            }
            _ => pairs.push((item.id().to_owned(), item)),
        }
    }
    // `collect` into a map reuses the vector it is given (sorted already: one pass to check).
    pairs.into_iter().collect()
}

/// The first 32 bytes of an id as two big-endian numbers, zero-padded. Ordering by
/// (prefix, id) is exactly ordering by id: where the prefixes differ they differ as the bytes do
/// (a shorter id's padding sorts before any byte but NUL, and a NUL there ties and falls to the
/// id), and where they are equal the id decides. Generated and Graph ids are 36 bytes, so the
/// prefix decides all but the last four bytes.
type IdPrefix = [u128; 2];

fn id_prefix(id: &str) -> IdPrefix {
    let mut bytes = [0u8; 32];
    let n = id.len().min(32);
    bytes[..n].copy_from_slice(&id.as_bytes()[..n]);
    let mut high = [0u8; 16];
    let mut low = [0u8; 16];
    high.copy_from_slice(&bytes[..16]);
    low.copy_from_slice(&bytes[16..]);
    [u128::from_be_bytes(high), u128::from_be_bytes(low)]
}

fn sorted_unique<T: Ord>(mut v: Vec<T>) -> Vec<T> {
    crate::order::sort(&mut v);
    v.dedup();
    v
}

fn extend_sorted<T: Ord>(slot: &mut Option<Vec<T>>, more: Vec<T>) {
    let mut all = slot.take().unwrap_or_default();
    all.extend(more);
    *slot = Some(sorted_unique(all));
}

impl Collector {
    /// Appends another file's objects after this one's, as if they had been collected here.
    pub(crate) fn absorb(&mut self, other: Collector) {
        self.users.extend(other.users);
        self.user_sponsors.extend(other.user_sponsors);
        self.groups.extend(other.groups);
        self.group_members.extend(other.group_members);
        self.service_principals.extend(other.service_principals);
        self.catalogs.extend(other.catalogs);
        self.resources.extend(other.resources);
        self.packages.extend(other.packages);
        self.role_scopes.extend(other.role_scopes);
        self.incompatible_packages
            .extend(other.incompatible_packages);
        self.incompatible_groups.extend(other.incompatible_groups);
        self.policies.extend(other.policies);
        self.assignments.extend(other.assignments);
        self.requests.extend(other.requests);
        self.subjects.extend(other.subjects);
        self.organizations.extend(other.organizations);
        self.organization_sponsors
            .extend(other.organization_sponsors);
        self.settings.extend(other.settings);
        self.audit_events.extend(other.audit_events);
        self.datasets.extend(other.datasets);
    }

    pub(crate) fn finish(self, warnings: &mut Vec<LoadWarning>) -> Snapshot {
        let mut users = dedup(self.users, warnings);
        let mut groups = dedup(self.groups, warnings);
        let mut packages = dedup(self.packages, warnings);
        let mut organizations = dedup(self.organizations, warnings);
        let subjects = dedup(self.subjects, warnings);

        for (user, sponsors) in self.user_sponsors {
            if let Some(u) = users.get_mut(&user) {
                extend_sorted(&mut u.sponsors, sponsors);
            } else {
                users.insert(
                    user.clone(),
                    User {
                        id: user,
                        sponsors: Some(sorted_unique(sponsors)),
                        ..User::default()
                    },
                );
            }
        }
        for (group, transitive, members, source) in self.group_members {
            let g = groups.entry(group.clone()).or_insert_with(|| Group {
                id: group,
                source,
                ..Group::default()
            });
            let slot = if transitive {
                &mut g.transitive_members
            } else {
                &mut g.members
            };
            extend_sorted(slot, members);
        }
        for (package, scopes, source) in self.role_scopes {
            match packages.get_mut(&package) {
                Some(p) => extend_sorted(&mut p.resource_role_scopes, scopes),
                None => missing_parent(
                    warnings,
                    &source,
                    "access package",
                    &package,
                    "resource role scopes",
                ),
            }
        }
        for (package, ids, source) in self.incompatible_packages {
            match packages.get_mut(&package) {
                Some(p) => extend_sorted(&mut p.incompatible_access_packages, ids),
                None => missing_parent(
                    warnings,
                    &source,
                    "access package",
                    &package,
                    "incompatible access packages",
                ),
            }
        }
        for (package, ids, source) in self.incompatible_groups {
            match packages.get_mut(&package) {
                Some(p) => extend_sorted(&mut p.incompatible_groups, ids),
                None => missing_parent(
                    warnings,
                    &source,
                    "access package",
                    &package,
                    "incompatible groups",
                ),
            }
        }
        for (org, internal, sponsors, source) in self.organization_sponsors {
            match organizations.get_mut(&org) {
                Some(o) => {
                    let slot = if internal {
                        &mut o.internal_sponsors
                    } else {
                        &mut o.external_sponsors
                    };
                    extend_sorted(slot, sponsors);
                }
                None => missing_parent(
                    warnings,
                    &source,
                    "connected organization",
                    &org,
                    "sponsors",
                ),
            }
        }

        let mut policies = dedup(self.policies, warnings);
        let mut assignments = dedup(self.assignments, warnings);
        let mut requests = dedup(self.requests, warnings);

        // Derived references: a policy's or assignment's catalog is its package's catalog.
        let catalog_of = |package: &Option<String>| {
            package
                .as_ref()
                .and_then(|p| packages.get(p))
                .and_then(|p| p.catalog_id.clone())
        };
        for p in policies.values_mut() {
            if p.catalog_id.is_none() {
                p.catalog_id = catalog_of(&p.access_package_id);
            }
        }
        let mut unresolved: BTreeMap<String, Vec<String>> = BTreeMap::new();
        for a in assignments.values_mut() {
            if a.catalog_id.is_none() {
                a.catalog_id = catalog_of(&a.access_package_id);
            }
            if a.target_object_id.is_none()
                && let Some(sid) = &a.target_subject_id
            {
                match subjects.get(sid).and_then(|s| s.object_id.clone()) {
                    Some(oid) => a.target_object_id = Some(oid),
                    None => unresolved
                        .entry(a.source.file.clone())
                        .or_default()
                        .push(a.id.clone()),
                }
            }
        }
        for (file, ids) in unresolved {
            let sample: Vec<&str> = ids.iter().take(3).map(String::as_str).collect();
            warnings.push(LoadWarning {
                kind: WarningKind::UnresolvedReference,
                file,
                line: 0,
                path: None,
                message: format!(
                    "{} assignment(s) name their target only by accessPackageSubject id (beta \
                     `targetId`), which is not a user id, and no subject data resolves it (e.g. {}); \
                     these assignments are kept but not linked to users — export assignments \
                     with `$expand=target`",
                    ids.len(),
                    sample.join(", ")
                ),
            });
        }
        for r in requests.values_mut() {
            if r.requestor_object_id.is_none()
                && let Some(sid) = &r.requestor_subject_id
            {
                r.requestor_object_id = subjects.get(sid).and_then(|s| s.object_id.clone());
            }
        }

        let settings = {
            let mut all = self.settings;
            crate::order::sort_by(&mut all, |a, b| {
                (&a.source.file, a.source.line).cmp(&(&b.source.file, b.source.line))
            });
            let mut it = all.into_iter();
            let first = it.next();
            if let Some(f) = &first {
                for other in it {
                    let (mut x, mut y) = (f.clone(), other.clone());
                    x.source = SourceRef::default();
                    y.source = SourceRef::default();
                    if x != y {
                        warn(
                            warnings,
                            WarningKind::ConflictingDuplicate,
                            &other.source,
                            format!(
                                "entitlement management settings also appear in {} with different values; the first copy is kept",
                                f.source.file
                            ),
                        );
                    }
                }
            }
            first
        };

        Snapshot {
            users,
            groups,
            service_principals: dedup(self.service_principals, warnings),
            catalogs: dedup(self.catalogs, warnings),
            resources: dedup(self.resources, warnings),
            access_packages: packages,
            policies,
            assignments,
            requests,
            subjects,
            connected_organizations: organizations,
            settings,
            audit_events: dedup(self.audit_events, warnings),
            datasets: self.datasets,
        }
    }
}

fn missing_parent(
    warnings: &mut Vec<LoadWarning>,
    source: &SourceRef,
    kind: &str,
    id: &str,
    what: &str,
) {
    warn(
        warnings,
        WarningKind::UnresolvedReference,
        source,
        format!("{what} belong to {kind} `{id}`, which is not in the export; they are ignored"),
    );
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #[test]
        fn prefix_then_id_orders_as_the_id(
            a in "(\\x00|a|b|é|-|0){0,40}",
            b in "(\\x00|a|b|é|-|0){0,40}",
            shared in "[0-9a-f-]{0,36}",
        ) {
            // With and without a long shared start (generated ids share 24 characters).
            for (a, b) in [(a.clone(), b.clone()), (format!("{shared}{a}"), format!("{shared}{b}"))] {
                let ours = (id_prefix(&a), a.as_str()).cmp(&(id_prefix(&b), b.as_str()));
                prop_assert_eq!(ours, a.cmp(&b), "{:?} {:?}", a, b);
                prop_assert_eq!(id_prefix(&a) == id_prefix(&b) && a == b, a == b);
            }
        }
    }
}
