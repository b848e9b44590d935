//! Entity references with display name and source, built from the snapshot. Unknown ids (for
//! example a deleted approver) still give a reference, just without a name.

use crate::findings::EntityRef;
use crate::model::{EntityKind, Snapshot};

macro_rules! reference {
    ($fn:ident, $field:ident, $kind:ident) => {
        /// A reference to this entity, named and located when the export has it.
        #[must_use]
        pub fn $fn(s: &Snapshot, id: &str) -> EntityRef {
            let r = EntityRef::new(EntityKind::$kind, id);
            match s.$field.get(id) {
                Some(e) => r.named(e.display_name.as_deref()).at(&e.source),
                None => r,
            }
        }
    };
}

reference!(user_ref, users, User);
reference!(group_ref, groups, Group);
reference!(service_principal_ref, service_principals, ServicePrincipal);
reference!(package_ref, access_packages, AccessPackage);
reference!(policy_ref, policies, AssignmentPolicy);
reference!(catalog_ref, catalogs, Catalog);
reference!(resource_ref, resources, Resource);
reference!(
    organization_ref,
    connected_organizations,
    ConnectedOrganization
);

/// A reference to an assignment (assignments have no display name).
#[must_use]
pub fn assignment_ref(s: &Snapshot, id: &str) -> EntityRef {
    let r = EntityRef::new(EntityKind::Assignment, id);
    match s.assignments.get(id) {
        Some(a) => r.at(&a.source),
        None => r,
    }
}

/// A reference to an assignment request.
#[must_use]
pub fn request_ref(s: &Snapshot, id: &str) -> EntityRef {
    let r = EntityRef::new(EntityKind::AssignmentRequest, id);
    match s.requests.get(id) {
        Some(q) => r.at(&q.source),
        None => r,
    }
}

/// A reference to an audit event, named by its activity.
#[must_use]
pub fn audit_ref(s: &Snapshot, id: &str) -> EntityRef {
    let r = EntityRef::new(EntityKind::AuditEvent, id);
    match s.audit_events.get(id) {
        Some(e) => r.named(Some(&e.activity)).at(&e.source),
        None => r,
    }
}

/// The tenant itself (for tenant-wide findings such as settings).
#[must_use]
pub fn tenant_ref(s: &Snapshot) -> EntityRef {
    let r = EntityRef::new(EntityKind::Tenant, "tenant").named(Some("Tenant settings"));
    match &s.settings {
        Some(settings) => r.at(&settings.source),
        None => r,
    }
}
