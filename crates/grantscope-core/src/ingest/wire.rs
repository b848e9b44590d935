//! Wire types: what a Graph v1.0 *or* beta object may contain, as one lenient struct per entity.
//! Field names cover both spellings (beta names as separate fields or aliases); unknown fields
//! are ignored; scalars go through [`super::lenient`]. Normalisation into the model happens in
//! [`super::normalize`], which is where v1.0 and beta differences are resolved.

#![allow(clippy::struct_excessive_bools)]

use serde::Deserialize;

use super::lenient::{double_opt, opt_bool, opt_duration, opt_int, opt_timestamp};
use crate::model::{DurationSecs, Timestamp};

/// Any object with an id and a name (expanded navigation properties, references).
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WRef {
    pub(crate) id: Option<String>,
    pub(crate) display_name: Option<String>,
    #[serde(rename = "@odata.type")]
    pub(crate) odata_type: Option<String>,
    pub(crate) user_type: Option<String>,
}

/// An expanded navigation property of which only the id is used (an assignment's access package
/// and policy): the rest is skipped without being built.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct WId {
    pub(crate) id: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WSignInActivity {
    #[serde(deserialize_with = "opt_timestamp")]
    pub(crate) last_sign_in_date_time: Option<Timestamp>,
    #[serde(deserialize_with = "opt_timestamp")]
    pub(crate) last_non_interactive_sign_in_date_time: Option<Timestamp>,
    #[serde(deserialize_with = "opt_timestamp")]
    pub(crate) last_successful_sign_in_date_time: Option<Timestamp>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WUser {
    pub(crate) id: Option<String>,
    #[serde(rename = "@odata.type")]
    pub(crate) odata_type: Option<String>,
    pub(crate) display_name: Option<String>,
    pub(crate) user_principal_name: Option<String>,
    pub(crate) mail: Option<String>,
    pub(crate) user_type: Option<String>,
    #[serde(deserialize_with = "opt_bool")]
    pub(crate) account_enabled: Option<bool>,
    #[serde(deserialize_with = "opt_timestamp")]
    pub(crate) created_date_time: Option<Timestamp>,
    pub(crate) creation_type: Option<String>,
    pub(crate) external_user_state: Option<String>,
    #[serde(deserialize_with = "opt_timestamp")]
    pub(crate) external_user_state_change_date_time: Option<Timestamp>,
    pub(crate) department: Option<String>,
    pub(crate) job_title: Option<String>,
    /// `Some(None)` = key present with null (signInActivity not available for this user).
    #[serde(deserialize_with = "double_opt")]
    pub(crate) sign_in_activity: Option<Option<WSignInActivity>>,
    /// `Some(None)` = expanded, no manager.
    #[serde(deserialize_with = "double_opt")]
    pub(crate) manager: Option<Option<WRef>>,
    pub(crate) sponsors: Option<Vec<WRef>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WGroup {
    pub(crate) id: Option<String>,
    #[serde(rename = "@odata.type")]
    pub(crate) odata_type: Option<String>,
    pub(crate) display_name: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) group_types: Option<Vec<String>>,
    #[serde(deserialize_with = "opt_bool")]
    pub(crate) is_assignable_to_role: Option<bool>,
    pub(crate) membership_rule: Option<String>,
    #[serde(deserialize_with = "opt_bool")]
    pub(crate) security_enabled: Option<bool>,
    #[serde(deserialize_with = "opt_bool")]
    pub(crate) mail_enabled: Option<bool>,
    pub(crate) members: Option<Vec<WRef>>,
    pub(crate) transitive_members: Option<Vec<WRef>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WServicePrincipal {
    pub(crate) id: Option<String>,
    pub(crate) app_id: Option<String>,
    pub(crate) display_name: Option<String>,
    pub(crate) service_principal_type: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WCatalog {
    pub(crate) id: Option<String>,
    pub(crate) display_name: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) catalog_type: Option<String>,
    pub(crate) state: Option<String>,
    /// beta
    pub(crate) catalog_status: Option<String>,
    #[serde(deserialize_with = "opt_bool")]
    pub(crate) is_externally_visible: Option<bool>,
    #[serde(deserialize_with = "opt_timestamp")]
    pub(crate) created_date_time: Option<Timestamp>,
    #[serde(deserialize_with = "opt_timestamp")]
    pub(crate) modified_date_time: Option<Timestamp>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WRole {
    pub(crate) id: Option<String>,
    pub(crate) display_name: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) origin_id: Option<String>,
    pub(crate) origin_system: Option<String>,
    #[serde(alias = "accessPackageResource")]
    pub(crate) resource: Option<WResource>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WScope {
    pub(crate) id: Option<String>,
    pub(crate) display_name: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) origin_id: Option<String>,
    pub(crate) origin_system: Option<String>,
    #[serde(deserialize_with = "opt_bool")]
    pub(crate) is_root_scope: Option<bool>,
    #[serde(alias = "accessPackageResource")]
    pub(crate) resource: Option<WResource>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WResource {
    pub(crate) id: Option<String>,
    pub(crate) display_name: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) origin_id: Option<String>,
    pub(crate) origin_system: Option<String>,
    #[serde(alias = "accessPackageResourceRoles")]
    pub(crate) roles: Option<Vec<WRole>>,
    #[serde(alias = "accessPackageResourceScopes")]
    pub(crate) scopes: Option<Vec<WScope>>,
    pub(crate) catalog: Option<WRef>,
    pub(crate) catalog_id: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WRoleScope {
    pub(crate) id: Option<String>,
    #[serde(alias = "accessPackageResourceRole")]
    pub(crate) role: Option<WRole>,
    #[serde(alias = "accessPackageResourceScope")]
    pub(crate) scope: Option<WScope>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WAccessPackage {
    pub(crate) id: Option<String>,
    #[serde(rename = "@odata.type")]
    pub(crate) odata_type: Option<String>,
    pub(crate) display_name: Option<String>,
    pub(crate) description: Option<String>,
    #[serde(deserialize_with = "opt_bool")]
    pub(crate) is_hidden: Option<bool>,
    pub(crate) catalog_id: Option<String>,
    #[serde(alias = "accessPackageCatalog")]
    pub(crate) catalog: Option<WRef>,
    #[serde(deserialize_with = "opt_timestamp")]
    pub(crate) created_date_time: Option<Timestamp>,
    #[serde(deserialize_with = "opt_timestamp")]
    pub(crate) modified_date_time: Option<Timestamp>,
    #[serde(alias = "accessPackageResourceRoleScopes")]
    pub(crate) resource_role_scopes: Option<Vec<WRoleScope>>,
    pub(crate) incompatible_access_packages: Option<Vec<WRef>>,
    pub(crate) incompatible_groups: Option<Vec<WRef>>,
    #[serde(alias = "accessPackageAssignmentPolicies")]
    pub(crate) assignment_policies: Option<Vec<WPolicy>>,
}

/// v1.0 `subjectSet` and beta `userSet` in one.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WSubjectSet {
    #[serde(rename = "@odata.type")]
    pub(crate) odata_type: Option<String>,
    pub(crate) user_id: Option<String>,
    pub(crate) group_id: Option<String>,
    pub(crate) connected_organization_id: Option<String>,
    pub(crate) service_principal_id: Option<String>,
    /// beta: the user, group or connected organisation id.
    pub(crate) id: Option<String>,
    #[serde(deserialize_with = "opt_int")]
    pub(crate) manager_level: Option<i64>,
    pub(crate) membership_rule: Option<String>,
    #[serde(deserialize_with = "opt_bool")]
    pub(crate) is_backup: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WExpiration {
    #[serde(rename = "type")]
    pub(crate) kind: Option<String>,
    #[serde(deserialize_with = "opt_duration")]
    pub(crate) duration: Option<DurationSecs>,
    #[serde(deserialize_with = "opt_timestamp")]
    pub(crate) end_date_time: Option<Timestamp>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WPattern {
    #[serde(rename = "type")]
    pub(crate) kind: Option<String>,
    #[serde(deserialize_with = "opt_int")]
    pub(crate) interval: Option<i64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WRange {
    #[serde(rename = "type")]
    pub(crate) kind: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WRecurrence {
    pub(crate) pattern: Option<WPattern>,
    pub(crate) range: Option<WRange>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WSchedule {
    #[serde(deserialize_with = "opt_timestamp")]
    pub(crate) start_date_time: Option<Timestamp>,
    pub(crate) expiration: Option<WExpiration>,
    pub(crate) recurrence: Option<WRecurrence>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WRequestorSettings {
    // v1.0
    #[serde(deserialize_with = "opt_bool")]
    pub(crate) enable_targets_to_self_add_access: Option<bool>,
    #[serde(deserialize_with = "opt_bool")]
    pub(crate) enable_targets_to_self_update_access: Option<bool>,
    #[serde(deserialize_with = "opt_bool")]
    pub(crate) enable_targets_to_self_remove_access: Option<bool>,
    #[serde(deserialize_with = "opt_bool")]
    pub(crate) allow_custom_assignment_schedule: Option<bool>,
    #[serde(deserialize_with = "opt_bool")]
    pub(crate) enable_on_behalf_requestors_to_add_access: Option<bool>,
    #[serde(deserialize_with = "opt_bool")]
    pub(crate) enable_on_behalf_requestors_to_update_access: Option<bool>,
    #[serde(deserialize_with = "opt_bool")]
    pub(crate) enable_on_behalf_requestors_to_remove_access: Option<bool>,
    pub(crate) on_behalf_requestors: Option<Vec<WSubjectSet>>,
    // beta
    pub(crate) scope_type: Option<String>,
    #[serde(deserialize_with = "opt_bool")]
    pub(crate) accept_requests: Option<bool>,
    pub(crate) allowed_requestors: Option<Vec<WSubjectSet>>,
    #[serde(deserialize_with = "opt_bool")]
    pub(crate) is_on_behalf_allowed: Option<bool>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WStage {
    // v1.0
    #[serde(deserialize_with = "opt_duration")]
    pub(crate) duration_before_automatic_denial: Option<DurationSecs>,
    #[serde(deserialize_with = "opt_duration")]
    pub(crate) duration_before_escalation: Option<DurationSecs>,
    pub(crate) fallback_primary_approvers: Option<Vec<WSubjectSet>>,
    pub(crate) fallback_escalation_approvers: Option<Vec<WSubjectSet>>,
    // both
    #[serde(deserialize_with = "opt_bool")]
    pub(crate) is_approver_justification_required: Option<bool>,
    #[serde(deserialize_with = "opt_bool")]
    pub(crate) is_escalation_enabled: Option<bool>,
    pub(crate) primary_approvers: Option<Vec<WSubjectSet>>,
    pub(crate) escalation_approvers: Option<Vec<WSubjectSet>>,
    // beta
    #[serde(deserialize_with = "opt_int")]
    pub(crate) approval_stage_time_out_in_days: Option<i64>,
    #[serde(deserialize_with = "opt_int")]
    pub(crate) escalation_time_in_minutes: Option<i64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WApproval {
    // v1.0
    #[serde(deserialize_with = "opt_bool")]
    pub(crate) is_approval_required_for_add: Option<bool>,
    #[serde(deserialize_with = "opt_bool")]
    pub(crate) is_approval_required_for_update: Option<bool>,
    pub(crate) stages: Option<Vec<WStage>>,
    // both
    #[serde(deserialize_with = "opt_bool")]
    pub(crate) is_requestor_justification_required: Option<bool>,
    // beta
    #[serde(deserialize_with = "opt_bool")]
    pub(crate) is_approval_required: Option<bool>,
    #[serde(deserialize_with = "opt_bool")]
    pub(crate) is_approval_required_for_extension: Option<bool>,
    pub(crate) approval_mode: Option<String>,
    pub(crate) approval_stages: Option<Vec<WStage>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WReview {
    #[serde(deserialize_with = "opt_bool")]
    pub(crate) is_enabled: Option<bool>,
    // v1.0
    #[serde(deserialize_with = "opt_bool")]
    pub(crate) is_recommendation_enabled: Option<bool>,
    #[serde(deserialize_with = "opt_bool")]
    pub(crate) is_reviewer_justification_required: Option<bool>,
    #[serde(deserialize_with = "opt_bool")]
    pub(crate) is_self_review: Option<bool>,
    pub(crate) expiration_behavior: Option<String>,
    pub(crate) primary_reviewers: Option<Vec<WSubjectSet>>,
    pub(crate) fallback_reviewers: Option<Vec<WSubjectSet>>,
    pub(crate) schedule: Option<WSchedule>,
    // beta
    #[serde(deserialize_with = "opt_bool")]
    pub(crate) is_access_recommendation_enabled: Option<bool>,
    #[serde(deserialize_with = "opt_bool")]
    pub(crate) is_approval_justification_required: Option<bool>,
    pub(crate) recurrence_type: Option<String>,
    pub(crate) reviewer_type: Option<String>,
    pub(crate) reviewers: Option<Vec<WSubjectSet>>,
    #[serde(deserialize_with = "opt_timestamp")]
    pub(crate) start_date_time: Option<Timestamp>,
    #[serde(deserialize_with = "opt_int")]
    pub(crate) duration_in_days: Option<i64>,
    pub(crate) access_review_timeout_behavior: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WAutomatic {
    #[serde(deserialize_with = "opt_bool")]
    pub(crate) request_access_for_allowed_targets: Option<bool>,
    #[serde(deserialize_with = "opt_bool")]
    pub(crate) remove_access_when_target_leaves_allowed_targets: Option<bool>,
    #[serde(deserialize_with = "opt_duration")]
    pub(crate) grace_period_before_access_removal: Option<DurationSecs>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WPolicy {
    pub(crate) id: Option<String>,
    pub(crate) display_name: Option<String>,
    pub(crate) description: Option<String>,
    // v1.0
    pub(crate) allowed_target_scope: Option<String>,
    pub(crate) specific_allowed_targets: Option<Vec<WSubjectSet>>,
    pub(crate) expiration: Option<WExpiration>,
    pub(crate) review_settings: Option<WReview>,
    pub(crate) automatic_request_settings: Option<WAutomatic>,
    pub(crate) access_package: Option<WRef>,
    pub(crate) catalog: Option<WRef>,
    // both
    pub(crate) requestor_settings: Option<WRequestorSettings>,
    pub(crate) request_approval_settings: Option<WApproval>,
    #[serde(deserialize_with = "opt_timestamp")]
    pub(crate) created_date_time: Option<Timestamp>,
    #[serde(deserialize_with = "opt_timestamp")]
    pub(crate) modified_date_time: Option<Timestamp>,
    // beta
    pub(crate) access_package_id: Option<String>,
    pub(crate) access_package_catalog: Option<WRef>,
    #[serde(deserialize_with = "opt_bool")]
    pub(crate) can_extend: Option<bool>,
    #[serde(deserialize_with = "opt_int")]
    pub(crate) duration_in_days: Option<i64>,
    #[serde(deserialize_with = "opt_timestamp")]
    pub(crate) expiration_date_time: Option<Timestamp>,
    pub(crate) access_review_settings: Option<WReview>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WSubject {
    pub(crate) id: Option<String>,
    pub(crate) object_id: Option<String>,
    pub(crate) display_name: Option<String>,
    pub(crate) email: Option<String>,
    pub(crate) principal_name: Option<String>,
    pub(crate) subject_type: Option<String>,
    /// beta
    #[serde(rename = "type")]
    pub(crate) kind: Option<String>,
    pub(crate) connected_organization_id: Option<String>,
    pub(crate) connected_organization: Option<WRef>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WAssignment {
    pub(crate) id: Option<String>,
    pub(crate) state: Option<String>,
    pub(crate) status: Option<String>,
    #[serde(deserialize_with = "opt_timestamp")]
    pub(crate) expired_date_time: Option<Timestamp>,
    pub(crate) schedule: Option<WSchedule>,
    pub(crate) target: Option<WSubject>,
    pub(crate) access_package: Option<WId>,
    pub(crate) assignment_policy: Option<WId>,
    // beta
    pub(crate) access_package_id: Option<String>,
    pub(crate) assignment_policy_id: Option<String>,
    pub(crate) catalog_id: Option<String>,
    pub(crate) target_id: Option<String>,
    pub(crate) assignment_state: Option<String>,
    pub(crate) assignment_status: Option<String>,
    pub(crate) access_package_assignment_policy: Option<WId>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WRequest {
    pub(crate) id: Option<String>,
    pub(crate) request_type: Option<String>,
    pub(crate) state: Option<String>,
    pub(crate) status: Option<String>,
    #[serde(deserialize_with = "opt_timestamp")]
    pub(crate) created_date_time: Option<Timestamp>,
    #[serde(deserialize_with = "opt_timestamp")]
    pub(crate) completed_date_time: Option<Timestamp>,
    pub(crate) justification: Option<String>,
    pub(crate) schedule: Option<WSchedule>,
    pub(crate) requestor: Option<WSubject>,
    pub(crate) access_package: Option<WId>,
    #[serde(alias = "accessPackageAssignment")]
    pub(crate) assignment: Option<WAssignmentRef>,
    // beta (also seen in v1.0 documentation pages, reference §17)
    pub(crate) request_state: Option<String>,
    pub(crate) request_status: Option<String>,
    #[serde(deserialize_with = "opt_timestamp")]
    pub(crate) completed_date: Option<Timestamp>,
    pub(crate) access_package_id: Option<String>,
}

/// The `assignment` navigation of a request: an id and, when expanded, its target.
#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WAssignmentRef {
    pub(crate) id: Option<String>,
    pub(crate) target: Option<WSubject>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WIdentitySource {
    #[serde(rename = "@odata.type")]
    pub(crate) odata_type: Option<String>,
    pub(crate) tenant_id: Option<String>,
    pub(crate) domain_name: Option<String>,
    pub(crate) display_name: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WConnectedOrganization {
    pub(crate) id: Option<String>,
    pub(crate) display_name: Option<String>,
    pub(crate) description: Option<String>,
    pub(crate) state: Option<String>,
    pub(crate) identity_sources: Option<Vec<WIdentitySource>>,
    pub(crate) internal_sponsors: Option<Vec<WRef>>,
    pub(crate) external_sponsors: Option<Vec<WRef>>,
    #[serde(deserialize_with = "opt_timestamp")]
    pub(crate) created_date_time: Option<Timestamp>,
    #[serde(deserialize_with = "opt_timestamp")]
    pub(crate) modified_date_time: Option<Timestamp>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WSettings {
    pub(crate) external_user_lifecycle_action: Option<String>,
    #[serde(deserialize_with = "opt_duration")]
    pub(crate) duration_until_external_user_deleted_after_blocked: Option<DurationSecs>,
    #[serde(deserialize_with = "opt_int")]
    pub(crate) days_until_external_user_deleted_after_blocked: Option<i64>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WUserIdentity {
    pub(crate) id: Option<String>,
    pub(crate) display_name: Option<String>,
    pub(crate) user_principal_name: Option<String>,
    pub(crate) ip_address: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WAppIdentity {
    pub(crate) app_id: Option<String>,
    pub(crate) display_name: Option<String>,
    pub(crate) service_principal_id: Option<String>,
    pub(crate) service_principal_name: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WInitiator {
    pub(crate) user: Option<WUserIdentity>,
    pub(crate) app: Option<WAppIdentity>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WModifiedProperty {
    pub(crate) display_name: Option<String>,
    pub(crate) old_value: Option<String>,
    pub(crate) new_value: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WTarget {
    pub(crate) id: Option<String>,
    pub(crate) display_name: Option<String>,
    /// `type`; one documentation example writes `Type` (reference §17).
    #[serde(rename = "type", alias = "Type")]
    pub(crate) kind: Option<String>,
    pub(crate) user_principal_name: Option<String>,
    pub(crate) modified_properties: Option<Vec<WModifiedProperty>>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WKeyValue {
    pub(crate) key: Option<String>,
    pub(crate) value: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub(crate) struct WAudit {
    pub(crate) id: Option<String>,
    pub(crate) category: Option<String>,
    pub(crate) correlation_id: Option<String>,
    pub(crate) activity_display_name: Option<String>,
    #[serde(deserialize_with = "opt_timestamp")]
    pub(crate) activity_date_time: Option<Timestamp>,
    pub(crate) logged_by_service: Option<String>,
    pub(crate) operation_type: Option<String>,
    pub(crate) result: Option<String>,
    pub(crate) result_reason: Option<String>,
    pub(crate) initiated_by: Option<WInitiator>,
    pub(crate) target_resources: Option<Vec<WTarget>>,
    pub(crate) additional_details: Option<Vec<WKeyValue>>,
}
