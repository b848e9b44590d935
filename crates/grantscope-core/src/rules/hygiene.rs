//! Rules of the `hygiene` category: broken or dead configuration.

pub mod dangling_reference;
pub mod dead_package;
pub mod orphaned_catalog_resource;
pub mod policy_past_end_date;

use super::DynRule;
use crate::model::{AssignmentPolicy, TargetScope};

pub(super) static RULES: &[&dyn DynRule] = &[
    &dangling_reference::DanglingReference,
    &orphaned_catalog_resource::OrphanedCatalogResource,
    &dead_package::DeadPackage,
    &policy_past_end_date::PolicyPastEndDate,
];

/// Whether users can ask for access under this policy: self-service requests, or requests made
/// on behalf of others (`enableOnBehalfRequestorsToAddAccess`). Direct-assignment-only policies
/// (`allowedTargetScope: notSpecified`, nothing self-service) accept none.
pub(crate) fn accepts_requests(p: &AssignmentPolicy) -> bool {
    p.is_self_service()
        || (p
            .requestor_settings
            .as_ref()
            .is_some_and(|r| r.on_behalf_add)
            && !matches!(p.allowed_target_scope, Some(TargetScope::NotSpecified)))
}

/// `"name"` or, without a name, the id.
pub(crate) fn quoted(name: Option<&str>, id: &str) -> String {
    match name {
        Some(n) if !n.trim().is_empty() => format!("\"{n}\""),
        _ => id.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::accepts_requests;
    use crate::model::{AssignmentPolicy, RequestorSettings, TargetScope};

    fn policy(scope: TargetScope, self_add: bool, on_behalf_add: bool) -> AssignmentPolicy {
        AssignmentPolicy {
            allowed_target_scope: Some(scope),
            requestor_settings: Some(RequestorSettings {
                self_add,
                on_behalf_add,
                ..RequestorSettings::default()
            }),
            ..AssignmentPolicy::default()
        }
    }

    #[test]
    fn requests_come_from_self_service_or_on_behalf_requestors() {
        assert!(accepts_requests(&policy(
            TargetScope::AllMemberUsers,
            true,
            false
        )));
        assert!(accepts_requests(&policy(
            TargetScope::AllMemberUsers,
            false,
            true
        )));
        assert!(!accepts_requests(&policy(
            TargetScope::AllMemberUsers,
            false,
            false
        )));
        // A direct-assignment scope accepts no requests whatever the flags say.
        assert!(!accepts_requests(&policy(
            TargetScope::NotSpecified,
            true,
            true
        )));
        assert!(!accepts_requests(&AssignmentPolicy::default()));
    }
}
