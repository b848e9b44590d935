//! Entity types of the canonical model. Field names follow Graph v1.0; comments name the beta
//! field where it differs. `Option` means "not present in the export".

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use super::{
    AssignmentState, AuditResult, CatalogState, CatalogType, ConnectedOrganizationState,
    ExpirationType, ExternalUserLifecycleAction, ExternalUserState, RecurrencePatternType,
    RequestState, RequestType, ReviewExpirationBehavior, SourceRef, SubjectSet, SubjectType,
    TargetScope, UserType,
};

/// A UTC timestamp as Graph writes it.
pub type Timestamp = DateTime<Utc>;

/// An ISO 8601 duration normalised to seconds, so that v1.0 `"P14D"` and beta
/// `approvalStageTimeOutInDays: 14` compare equal.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct DurationSecs(pub i64);

impl DurationSecs {
    /// Whole days, rounded down.
    #[must_use]
    pub fn days(self) -> i64 {
        self.0 / 86_400
    }

    #[must_use]
    pub fn from_days(days: i64) -> Self {
        DurationSecs(days.saturating_mul(86_400))
    }
}

/// The kind of an entity, as it appears in findings (`subject.kind`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum EntityKind {
    User,
    Group,
    ServicePrincipal,
    AccessPackage,
    AssignmentPolicy,
    Assignment,
    AssignmentRequest,
    Catalog,
    Resource,
    ConnectedOrganization,
    AuditEvent,
    Tenant,
}

impl EntityKind {
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            EntityKind::User => "user",
            EntityKind::Group => "group",
            EntityKind::ServicePrincipal => "servicePrincipal",
            EntityKind::AccessPackage => "accessPackage",
            EntityKind::AssignmentPolicy => "assignmentPolicy",
            EntityKind::Assignment => "assignment",
            EntityKind::AssignmentRequest => "assignmentRequest",
            EntityKind::Catalog => "catalog",
            EntityKind::Resource => "resource",
            EntityKind::ConnectedOrganization => "connectedOrganization",
            EntityKind::AuditEvent => "auditEvent",
            EntityKind::Tenant => "tenant",
        }
    }
}

impl std::fmt::Display for EntityKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// The kind of a directory object referenced as a member or sponsor.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum ObjectKind {
    User,
    Group,
    ServicePrincipal,
    /// No `@odata.type` given, or one we do not model (devices, contacts…).
    Unknown,
}

/// A reference to a directory object (group member, sponsor).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectRef {
    pub id: String,
    pub kind: ObjectKind,
}

/// `user.signInActivity`. The `0001-01-01T00:00:00Z` "never" sentinel is normalised to `None`.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SignInActivity {
    /// Last interactive sign-in attempt (successful or not).
    pub last_sign_in: Option<Timestamp>,
    /// Last non-interactive sign-in attempt.
    pub last_non_interactive_sign_in: Option<Timestamp>,
    /// Last successful sign-in of either kind (recorded since December 2023).
    pub last_successful_sign_in: Option<Timestamp>,
}

impl SignInActivity {
    /// The best evidence of the last sign-in: the successful one, else the later attempt.
    #[must_use]
    pub fn last_activity(&self) -> Option<Timestamp> {
        self.last_successful_sign_in
            .or_else(|| self.last_sign_in.max(self.last_non_interactive_sign_in))
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct User {
    pub id: String,
    pub display_name: Option<String>,
    pub user_principal_name: Option<String>,
    pub mail: Option<String>,
    pub user_type: Option<UserType>,
    pub account_enabled: Option<bool>,
    pub created: Option<Timestamp>,
    pub creation_type: Option<String>,
    pub external_user_state: Option<ExternalUserState>,
    pub external_user_state_changed: Option<Timestamp>,
    pub department: Option<String>,
    pub job_title: Option<String>,
    pub sign_in_activity: Option<SignInActivity>,
    /// The manager's object id; meaningful only when `manager_known` is true.
    pub manager_id: Option<String>,
    /// True when the export said who (or that nobody) manages this user.
    pub manager_known: bool,
    /// Sponsors' object ids (users or groups); `None` when not exported.
    pub sponsors: Option<Vec<ObjectRef>>,
    pub source: SourceRef,
}

impl User {
    #[must_use]
    pub fn is_guest(&self) -> bool {
        matches!(self.user_type, Some(UserType::Guest))
    }

    /// Enabled unless the export says otherwise.
    #[must_use]
    pub fn is_enabled(&self) -> bool {
        self.account_enabled != Some(false)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Group {
    pub id: String,
    pub display_name: Option<String>,
    pub description: Option<String>,
    pub group_types: Vec<String>,
    pub is_assignable_to_role: Option<bool>,
    pub membership_rule: Option<String>,
    pub security_enabled: Option<bool>,
    pub mail_enabled: Option<bool>,
    /// Direct members, when exported (`/groups/{id}/members`).
    pub members: Option<Vec<ObjectRef>>,
    /// Transitive members, when exported (`/groups/{id}/transitiveMembers`).
    pub transitive_members: Option<Vec<ObjectRef>>,
    pub source: SourceRef,
}

impl Group {
    /// Dynamic membership: `groupTypes` says so, or a non-empty membership rule is set.
    #[must_use]
    pub fn is_dynamic(&self) -> bool {
        self.group_types
            .iter()
            .any(|t| t.eq_ignore_ascii_case("DynamicMembership"))
            || self
                .membership_rule
                .as_deref()
                .is_some_and(|r| !r.trim().is_empty())
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ServicePrincipal {
    pub id: String,
    pub app_id: Option<String>,
    pub display_name: Option<String>,
    pub service_principal_type: Option<String>,
    pub source: SourceRef,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Catalog {
    pub id: String,
    pub display_name: Option<String>,
    pub description: Option<String>,
    pub catalog_type: Option<CatalogType>,
    /// v1.0 `state`; beta `catalogStatus`.
    pub state: Option<CatalogState>,
    pub is_externally_visible: Option<bool>,
    pub created: Option<Timestamp>,
    pub modified: Option<Timestamp>,
    pub source: SourceRef,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceRole {
    pub id: String,
    pub display_name: Option<String>,
    pub description: Option<String>,
    /// e.g. `Member_<groupId>`, `Owner_<groupId>`.
    pub origin_id: Option<String>,
    pub origin_system: Option<String>,
    /// The resource this role belongs to, when the export says so.
    pub resource_id: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceScope {
    pub id: String,
    pub display_name: Option<String>,
    pub description: Option<String>,
    pub origin_id: Option<String>,
    pub origin_system: Option<String>,
    pub is_root_scope: Option<bool>,
    pub resource_id: Option<String>,
}

/// A catalog resource (group, application, SharePoint site…) with its roles and scopes.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Resource {
    pub id: String,
    pub catalog_id: Option<String>,
    pub display_name: Option<String>,
    pub description: Option<String>,
    /// For a group: the group's object id.
    pub origin_id: Option<String>,
    /// `AadGroup`, `AadApplication`, `SharePointOnline`, … (open set).
    pub origin_system: Option<String>,
    pub roles: Vec<ResourceRole>,
    pub scopes: Vec<ResourceScope>,
    pub source: SourceRef,
}

/// A role on a scope of a resource, granted by an access package (`id` = `<roleId>_<scopeId>`).
#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ResourceRoleScope {
    pub id: String,
    pub role: Option<ResourceRole>,
    pub scope: Option<ResourceScope>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AccessPackage {
    pub id: String,
    pub display_name: Option<String>,
    pub description: Option<String>,
    pub is_hidden: Option<bool>,
    /// v1.0 `catalog.id` (expanded); beta `catalogId`.
    pub catalog_id: Option<String>,
    pub created: Option<Timestamp>,
    pub modified: Option<Timestamp>,
    /// What the package grants; `None` when role scopes were not exported.
    pub resource_role_scopes: Option<Vec<ResourceRoleScope>>,
    /// Ids of packages this one lists as incompatible; `None` when not exported.
    pub incompatible_access_packages: Option<Vec<String>>,
    /// Ids of groups this one lists as incompatible; `None` when not exported.
    pub incompatible_groups: Option<Vec<String>>,
    pub source: SourceRef,
}

/// `expirationPattern`: when assignments (or a policy) end.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Expiration {
    #[serde(rename = "type")]
    pub kind: ExpirationType,
    pub duration: Option<DurationSecs>,
    pub end: Option<Timestamp>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Recurrence {
    pub pattern: RecurrencePatternType,
    /// Every `interval` units of the pattern (3 with `absoluteMonthly` = quarterly).
    pub interval: u32,
}

impl Recurrence {
    /// The recurrence interval in months (approximate for daily and weekly patterns), used to
    /// compare review frequencies. `None` for an unknown pattern.
    #[must_use]
    pub fn interval_months(&self) -> Option<f64> {
        let n = f64::from(self.interval.max(1));
        match self.pattern {
            RecurrencePatternType::Daily => Some(n / 30.0),
            RecurrencePatternType::Weekly => Some(n * 7.0 / 30.0),
            RecurrencePatternType::AbsoluteMonthly | RecurrencePatternType::RelativeMonthly => {
                Some(n)
            }
            RecurrencePatternType::AbsoluteYearly | RecurrencePatternType::RelativeYearly => {
                Some(n * 12.0)
            }
            RecurrencePatternType::Other(_) => None,
        }
    }
}

/// `entitlementManagementSchedule` (beta `requestSchedule`).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Schedule {
    pub start: Option<Timestamp>,
    pub expiration: Option<Expiration>,
    pub recurrence: Option<Recurrence>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RequestorSettings {
    /// v1.0 `enableTargetsToSelfAddAccess`; beta `acceptRequests`.
    pub self_add: bool,
    /// v1.0 `enableTargetsToSelfUpdateAccess`; beta `canExtend`.
    pub self_update: bool,
    pub self_remove: bool,
    pub allow_custom_assignment_schedule: bool,
    pub on_behalf_add: bool,
    pub on_behalf_update: bool,
    pub on_behalf_remove: bool,
    pub on_behalf_requestors: Vec<SubjectSet>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApprovalStage {
    /// v1.0 `durationBeforeAutomaticDenial`; beta `approvalStageTimeOutInDays`.
    pub duration_before_automatic_denial: Option<DurationSecs>,
    pub is_approver_justification_required: bool,
    pub is_escalation_enabled: bool,
    /// v1.0 `durationBeforeEscalation`; beta `escalationTimeInMinutes`.
    pub duration_before_escalation: Option<DurationSecs>,
    pub primary_approvers: Vec<SubjectSet>,
    /// Beta: primary approvers with `isBackup: true`.
    pub fallback_primary_approvers: Vec<SubjectSet>,
    pub escalation_approvers: Vec<SubjectSet>,
    /// Beta: escalation approvers with `isBackup: true`.
    pub fallback_escalation_approvers: Vec<SubjectSet>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ApprovalSettings {
    /// v1.0 `isApprovalRequiredForAdd`; beta `isApprovalRequired`.
    pub required_for_add: bool,
    /// v1.0 `isApprovalRequiredForUpdate`; beta `isApprovalRequiredForExtension`.
    pub required_for_update: bool,
    pub requestor_justification_required: bool,
    /// v1.0 `stages`; beta `approvalStages`.
    pub stages: Vec<ApprovalStage>,
}

impl ApprovalSettings {
    /// "Approval required" as RULES.md defines it: the flag plus a stage with a primary approver.
    #[must_use]
    pub fn is_required(&self) -> bool {
        self.required_for_add && self.stages.iter().any(|s| !s.primary_approvers.is_empty())
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ReviewSettings {
    pub is_enabled: bool,
    pub is_recommendation_enabled: bool,
    pub is_reviewer_justification_required: bool,
    /// v1.0 `isSelfReview`; beta `reviewerType: Self`.
    pub is_self_review: bool,
    /// v1.0 `expirationBehavior`; beta `accessReviewTimeoutBehavior`.
    pub expiration_behavior: Option<ReviewExpirationBehavior>,
    pub primary_reviewers: Vec<SubjectSet>,
    pub fallback_reviewers: Vec<SubjectSet>,
    pub schedule: Option<Schedule>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AutomaticRequestSettings {
    pub request_access_for_allowed_targets: bool,
    pub remove_access_when_target_leaves_allowed_targets: bool,
    pub grace_period_before_access_removal: Option<DurationSecs>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AssignmentPolicy {
    pub id: String,
    pub display_name: Option<String>,
    pub description: Option<String>,
    /// v1.0 `accessPackage.id` (expanded); beta `accessPackageId`.
    pub access_package_id: Option<String>,
    pub catalog_id: Option<String>,
    /// v1.0 `allowedTargetScope`; beta `requestorSettings.scopeType`.
    pub allowed_target_scope: Option<TargetScope>,
    /// v1.0 `specificAllowedTargets`; beta `requestorSettings.allowedRequestors`.
    pub specific_allowed_targets: Vec<SubjectSet>,
    /// v1.0 `expiration`; beta `durationInDays` / `expirationDateTime`.
    pub expiration: Option<Expiration>,
    pub requestor_settings: Option<RequestorSettings>,
    /// `None` when no approval is configured (not required and no stages).
    pub approval: Option<ApprovalSettings>,
    /// v1.0 `reviewSettings`; beta `accessReviewSettings`. `None` when reviews are off (beta
    /// writes `null`, v1.0 `isEnabled: false`; both normalise to `None`).
    pub review: Option<ReviewSettings>,
    /// Present only on auto-assignment policies.
    pub automatic_request: Option<AutomaticRequestSettings>,
    pub created: Option<Timestamp>,
    pub modified: Option<Timestamp>,
    pub source: SourceRef,
}

impl AssignmentPolicy {
    /// Requestors can add access themselves.
    #[must_use]
    pub fn is_self_service(&self) -> bool {
        self.requestor_settings.as_ref().is_some_and(|r| r.self_add)
            && !matches!(self.allowed_target_scope, Some(TargetScope::NotSpecified))
    }

    #[must_use]
    pub fn is_auto_assignment(&self) -> bool {
        self.automatic_request.is_some()
    }

    #[must_use]
    pub fn approval_required(&self) -> bool {
        self.approval
            .as_ref()
            .is_some_and(ApprovalSettings::is_required)
    }

    #[must_use]
    pub fn reviews_enabled(&self) -> bool {
        self.review.as_ref().is_some_and(|r| r.is_enabled)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Assignment {
    pub id: String,
    /// v1.0 `state`; beta `assignmentState`.
    pub state: Option<AssignmentState>,
    /// v1.0 `status`; beta `assignmentStatus` (free text).
    pub status: Option<String>,
    pub access_package_id: Option<String>,
    pub policy_id: Option<String>,
    pub catalog_id: Option<String>,
    /// The accessPackageSubject id (beta `targetId`, v1.0 `target.id`).
    pub target_subject_id: Option<String>,
    /// The target's user (or service principal) object id; `None` while unresolved.
    pub target_object_id: Option<String>,
    pub target_display_name: Option<String>,
    pub schedule: Option<Schedule>,
    pub expired: Option<Timestamp>,
    pub source: SourceRef,
}

impl Assignment {
    #[must_use]
    pub fn is_active(&self) -> bool {
        self.state.as_ref().is_some_and(AssignmentState::is_active)
    }

    /// The scheduled end, if the schedule has one.
    #[must_use]
    pub fn scheduled_end(&self) -> Option<Timestamp> {
        self.schedule
            .as_ref()
            .and_then(|s| s.expiration.as_ref())
            .and_then(|e| e.end)
    }
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AssignmentRequest {
    pub id: String,
    pub request_type: Option<RequestType>,
    /// v1.0 `state`; beta `requestState`.
    pub state: Option<RequestState>,
    /// v1.0 `status`; beta `requestStatus`.
    pub status: Option<String>,
    pub access_package_id: Option<String>,
    pub assignment_id: Option<String>,
    pub requestor_subject_id: Option<String>,
    /// The requestor's object id; `None` while unresolved.
    pub requestor_object_id: Option<String>,
    pub requestor_display_name: Option<String>,
    pub created: Option<Timestamp>,
    /// v1.0 `completedDateTime`; beta `completedDate`.
    pub completed: Option<Timestamp>,
    pub justification: Option<String>,
    pub schedule: Option<Schedule>,
    pub source: SourceRef,
}

/// `accessPackageSubject`: who an assignment or request is for. Its `id` is not the user id.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Subject {
    pub id: String,
    pub object_id: Option<String>,
    pub display_name: Option<String>,
    pub email: Option<String>,
    pub principal_name: Option<String>,
    pub subject_type: Option<SubjectType>,
    pub connected_organization_id: Option<String>,
    pub source: SourceRef,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct IdentitySource {
    /// The `@odata.type` without prefix, e.g. `azureActiveDirectoryTenant`.
    pub kind: String,
    pub tenant_id: Option<String>,
    pub domain_name: Option<String>,
    pub display_name: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ConnectedOrganization {
    pub id: String,
    pub display_name: Option<String>,
    pub description: Option<String>,
    pub state: Option<ConnectedOrganizationState>,
    pub identity_sources: Vec<IdentitySource>,
    /// `None` when sponsors were not exported.
    pub internal_sponsors: Option<Vec<ObjectRef>>,
    pub external_sponsors: Option<Vec<ObjectRef>>,
    pub created: Option<Timestamp>,
    pub modified: Option<Timestamp>,
    pub source: SourceRef,
}

/// `entitlementManagementSettings` (a singleton).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Settings {
    pub external_user_lifecycle_action: Option<ExternalUserLifecycleAction>,
    /// v1.0 `durationUntilExternalUserDeletedAfterBlocked`; beta `daysUntilExternalUserDeletedAfterBlocked`.
    pub duration_until_external_user_deleted_after_blocked: Option<DurationSecs>,
    pub source: SourceRef,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActorUser {
    pub id: Option<String>,
    pub display_name: Option<String>,
    pub user_principal_name: Option<String>,
    pub ip_address: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ActorApp {
    pub app_id: Option<String>,
    pub display_name: Option<String>,
    pub service_principal_id: Option<String>,
    pub service_principal_name: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ModifiedProperty {
    pub display_name: Option<String>,
    /// JSON-encoded as Graph writes it (e.g. `"\"False\""`), kept verbatim.
    pub old_value: Option<String>,
    pub new_value: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditTarget {
    pub id: Option<String>,
    pub display_name: Option<String>,
    /// `User`, `Group`, `AccessPackage`, `AccessPackageAssignmentPolicy`, … (open set).
    pub kind: Option<String>,
    pub user_principal_name: Option<String>,
    pub modified_properties: Vec<ModifiedProperty>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct AuditEvent {
    pub id: String,
    pub category: Option<String>,
    pub correlation_id: Option<String>,
    /// `activityDisplayName`, e.g. `Approve access package assignment request`.
    pub activity: String,
    pub time: Option<Timestamp>,
    pub logged_by_service: Option<String>,
    pub operation_type: Option<String>,
    pub result: Option<AuditResult>,
    pub result_reason: Option<String>,
    pub actor_user: Option<ActorUser>,
    pub actor_app: Option<ActorApp>,
    pub targets: Vec<AuditTarget>,
    pub additional_details: Vec<(String, String)>,
    pub source: SourceRef,
}

impl AuditEvent {
    /// Activity names are matched case-insensitively (reference §15).
    #[must_use]
    pub fn is_activity(&self, name: &str) -> bool {
        self.activity.eq_ignore_ascii_case(name)
    }

    /// The first target of a given type (`User`, `AccessPackage`…), matched case-insensitively.
    #[must_use]
    pub fn target_of_kind(&self, kind: &str) -> Option<&AuditTarget> {
        self.targets.iter().find(|t| {
            t.kind
                .as_deref()
                .is_some_and(|k| k.eq_ignore_ascii_case(kind))
        })
    }
}

/// Re-exported for the `ExpirationType` helpers on `Expiration`.
impl Expiration {
    /// No end at all (`noExpiration`), as opposed to "not specified".
    #[must_use]
    pub fn is_none(&self) -> bool {
        self.kind == ExpirationType::NoExpiration
    }
}
