//! Wire types → canonical model. This is the one place where v1.0 and beta differ (reference
//! §6.6): each field takes the v1.0 spelling when present, else the beta one. Unknown enum
//! values are kept verbatim and reported as warnings.

use crate::model::{
    AccessPackage, ActorApp, ActorUser, ApprovalSettings, ApprovalStage, Assignment,
    AssignmentPolicy, AssignmentRequest, AuditEvent, AuditTarget, AutomaticRequestSettings,
    Catalog, ConnectedOrganization, DurationSecs, Expiration, ExpirationType, Group,
    IdentitySource, ModifiedProperty, ObjectKind, ObjectRef, OpenEnum, Recurrence,
    RecurrencePatternType, RequestorSettings, Resource, ResourceRole, ResourceRoleScope,
    ResourceScope, ReviewSettings, Schedule, ServicePrincipal, Settings, SignInActivity, SourceRef,
    Subject, SubjectSet, SubjectType, Timestamp, User,
};

use super::json::Item;
use super::report::{LoadWarning, WarningKind};
use super::wire::{
    WAccessPackage, WApproval, WAssignment, WAudit, WAutomatic, WCatalog, WConnectedOrganization,
    WExpiration, WGroup, WPolicy, WRef, WRequest, WRequestorSettings, WResource, WReview, WRole,
    WRoleScope, WSchedule, WScope, WServicePrincipal, WSettings, WStage, WSubject, WSubjectSet,
    WUser,
};

/// Where the object being normalised came from, and where its warnings go.
pub(crate) struct Ctx<'a> {
    pub(crate) file: &'a str,
    pub(crate) line: u32,
    pub(crate) at: At<'a>,
    pub(crate) warnings: &'a mut Vec<LoadWarning>,
}

/// Where the object is written: an item of a document (its pointer and path are written only
/// when needed, not for every item), or a pointer and path given as they are.
pub(crate) enum At<'a> {
    Item(&'a Item<'a>),
    Given {
        pointer: &'a str,
        /// JSONPath of the object (`$.value[3]`).
        path: &'a str,
    },
}

impl Ctx<'_> {
    fn pointer(&self) -> String {
        match &self.at {
            At::Item(item) => item.pointer(),
            At::Given { pointer, .. } => (*pointer).to_owned(),
        }
    }

    fn path(&self) -> String {
        match &self.at {
            At::Item(item) => item.path(),
            At::Given { path, .. } => (*path).to_owned(),
        }
    }

    pub(crate) fn source(&self) -> SourceRef {
        SourceRef {
            file: self.file.to_owned(),
            pointer: self.pointer(),
            line: self.line,
        }
    }

    pub(crate) fn warn(&mut self, kind: WarningKind, field: &str, message: String) {
        let mut path = self.path();
        if !field.is_empty() {
            path.push('.');
            path.push_str(field);
        }
        self.warnings.push(LoadWarning {
            kind,
            file: self.file.to_owned(),
            line: self.line,
            path: Some(path),
            message,
        });
    }

    /// The object's id, or a synthetic one (`<file>#<pointer>`) with a warning when it has none
    /// (Graph POST bodies, for example).
    fn id(&mut self, id: Option<String>, what: &str) -> String {
        match id {
            Some(id) if !id.trim().is_empty() => id,
            _ => {
                let synthetic = format!("{}#{}", self.file, self.pointer());
                self.warn(
                    WarningKind::MissingId,
                    "id",
                    format!(
                        "this {what} has no id; it is kept under the synthetic id `{synthetic}`"
                    ),
                );
                synthetic
            }
        }
    }

    fn enum_of<E: OpenEnum>(&mut self, field: &str, value: Option<String>) -> Option<E> {
        let value = value?;
        let parsed = E::parse_open(&value);
        if !parsed.known() {
            self.warn(
                WarningKind::UnknownEnumValue,
                field,
                format!("unknown value `{value}`; kept verbatim, rules treat it conservatively"),
            );
        }
        Some(parsed)
    }

    /// Graph returns at most 20 items of an `$expand`ed collection.
    fn check_expand<T>(&mut self, field: &str, list: &[T]) {
        if list.len() == 20 {
            self.warn(
                WarningKind::PossiblyTruncatedExpand,
                field,
                "this expanded list has exactly 20 items, Graph's $expand limit: it may be \
                 truncated; export the navigation separately to be sure"
                    .to_owned(),
            );
        }
    }
}

/// `#microsoft.graph.singleUser` → `singleuser`.
fn type_key(odata_type: Option<&str>) -> String {
    odata_type
        .unwrap_or("")
        .trim_start_matches('#')
        .trim_start_matches("microsoft.graph.")
        .to_ascii_lowercase()
}

pub(crate) fn object_kind(odata_type: Option<&str>) -> ObjectKind {
    match type_key(odata_type).as_str() {
        "user" => ObjectKind::User,
        "group" => ObjectKind::Group,
        "serviceprincipal" => ObjectKind::ServicePrincipal,
        _ => ObjectKind::Unknown,
    }
}

pub(crate) fn object_refs(list: &[WRef]) -> Vec<ObjectRef> {
    list.iter()
        .filter_map(|r| {
            r.id.clone().map(|id| ObjectRef {
                id,
                kind: object_kind(r.odata_type.as_deref()),
            })
        })
        .collect()
}

fn level(ctx: &mut Ctx<'_>, field: &str, v: Option<i64>) -> u32 {
    match v {
        None => 1,
        Some(n) => u32::try_from(n).unwrap_or_else(|_| {
            ctx.warn(
                WarningKind::UnsupportedValue,
                field,
                format!("managerLevel {n} is out of range; treated as 1"),
            );
            1
        }),
    }
}

fn subject_set(ctx: &mut Ctx<'_>, field: &str, w: &WSubjectSet) -> SubjectSet {
    let key = type_key(w.odata_type.as_deref());
    let id = |primary: &Option<String>| primary.clone().or_else(|| w.id.clone());
    let key = if key.is_empty() {
        // No @odata.type: infer from the fields present.
        if w.user_id.is_some() {
            "singleuser".to_owned()
        } else if w.group_id.is_some() {
            "groupmembers".to_owned()
        } else if w.connected_organization_id.is_some() {
            "connectedorganizationmembers".to_owned()
        } else if w.manager_level.is_some() {
            "requestormanager".to_owned()
        } else {
            key
        }
    } else {
        key
    };
    let missing = |ctx: &mut Ctx<'_>, what: &str| {
        ctx.warn(
            WarningKind::UnresolvedReference,
            field,
            format!("a {what} subject set without an id; nobody can be resolved from it"),
        );
        String::new()
    };
    match key.as_str() {
        "singleuser" => SubjectSet::SingleUser {
            user_id: id(&w.user_id).unwrap_or_else(|| missing(ctx, "singleUser")),
        },
        "groupmembers" => SubjectSet::GroupMembers {
            group_id: id(&w.group_id).unwrap_or_else(|| missing(ctx, "groupMembers")),
        },
        "connectedorganizationmembers" => SubjectSet::ConnectedOrganizationMembers {
            connected_organization_id: id(&w.connected_organization_id)
                .unwrap_or_else(|| missing(ctx, "connectedOrganizationMembers")),
        },
        "requestormanager" => SubjectSet::RequestorManager {
            manager_level: level(ctx, field, w.manager_level),
        },
        "targetmanager" => SubjectSet::TargetManager {
            manager_level: level(ctx, field, w.manager_level),
        },
        "internalsponsors" => SubjectSet::InternalSponsors,
        "externalsponsors" => SubjectSet::ExternalSponsors,
        "targetusersponsors" => SubjectSet::TargetUserSponsors,
        "targetapplicationowners" => SubjectSet::TargetApplicationOwners,
        "targetagentidentitysponsorsorowners" => SubjectSet::TargetAgentIdentitySponsorsOrOwners,
        "attributerulemembers" => SubjectSet::AttributeRuleMembers {
            membership_rule: w.membership_rule.clone().unwrap_or_default(),
        },
        "singleserviceprincipal" => SubjectSet::SingleServicePrincipal {
            service_principal_id: id(&w.service_principal_id)
                .unwrap_or_else(|| missing(ctx, "singleServicePrincipal")),
        },
        _ => {
            let odata_type = w.odata_type.clone().unwrap_or_default();
            ctx.warn(
                WarningKind::UnknownEnumValue,
                field,
                format!("unknown subject set type `{odata_type}`; kept verbatim, nobody is resolved from it"),
            );
            SubjectSet::Other { odata_type }
        }
    }
}

fn subject_sets(
    ctx: &mut Ctx<'_>,
    field: &str,
    list: Option<&Vec<WSubjectSet>>,
) -> Vec<SubjectSet> {
    list.map(|l| {
        l.iter()
            .enumerate()
            .map(|(i, w)| subject_set(ctx, &format!("{field}[{i}]"), w))
            .collect()
    })
    .unwrap_or_default()
}

/// Beta keeps backup approvers in the same list with `isBackup: true`; v1.0 has separate lists.
fn split_backup(
    ctx: &mut Ctx<'_>,
    field: &str,
    list: Option<&Vec<WSubjectSet>>,
) -> (Vec<SubjectSet>, Vec<SubjectSet>) {
    let mut primary = Vec::new();
    let mut backup = Vec::new();
    for (i, w) in list.into_iter().flatten().enumerate() {
        let set = subject_set(ctx, &format!("{field}[{i}]"), w);
        if w.is_backup == Some(true) {
            backup.push(set);
        } else {
            primary.push(set);
        }
    }
    (primary, backup)
}

fn expiration(ctx: &mut Ctx<'_>, field: &str, w: &WExpiration) -> Expiration {
    let kind = ctx
        .enum_of::<ExpirationType>(&format!("{field}.type"), w.kind.clone())
        .unwrap_or(match (w.duration, w.end_date_time) {
            (Some(_), _) => ExpirationType::AfterDuration,
            (None, Some(_)) => ExpirationType::AfterDateTime,
            (None, None) => ExpirationType::NotSpecified,
        });
    Expiration {
        kind,
        duration: w.duration,
        end: w.end_date_time,
    }
}

fn schedule(ctx: &mut Ctx<'_>, field: &str, w: &WSchedule) -> Schedule {
    Schedule {
        start: w.start_date_time,
        expiration: w
            .expiration
            .as_ref()
            .map(|e| expiration(ctx, &format!("{field}.expiration"), e)),
        recurrence: w.recurrence.as_ref().and_then(|r| {
            let p = r.pattern.as_ref()?;
            let pattern = ctx.enum_of::<RecurrencePatternType>(
                &format!("{field}.recurrence.pattern.type"),
                p.kind.clone(),
            )?;
            Some(Recurrence {
                pattern,
                interval: p.interval.and_then(|i| u32::try_from(i).ok()).unwrap_or(1),
            })
        }),
    }
}

fn days(n: Option<i64>) -> Option<DurationSecs> {
    n.map(DurationSecs::from_days)
}

fn stage(ctx: &mut Ctx<'_>, field: &str, w: &WStage) -> ApprovalStage {
    let (primary, mut fallback) = split_backup(
        ctx,
        &format!("{field}.primaryApprovers"),
        w.primary_approvers.as_ref(),
    );
    let (escalation, mut fallback_escalation) = split_backup(
        ctx,
        &format!("{field}.escalationApprovers"),
        w.escalation_approvers.as_ref(),
    );
    fallback.extend(subject_sets(
        ctx,
        &format!("{field}.fallbackPrimaryApprovers"),
        w.fallback_primary_approvers.as_ref(),
    ));
    fallback_escalation.extend(subject_sets(
        ctx,
        &format!("{field}.fallbackEscalationApprovers"),
        w.fallback_escalation_approvers.as_ref(),
    ));
    ApprovalStage {
        duration_before_automatic_denial: w
            .duration_before_automatic_denial
            .or_else(|| days(w.approval_stage_time_out_in_days)),
        is_approver_justification_required: w.is_approver_justification_required.unwrap_or(false),
        is_escalation_enabled: w.is_escalation_enabled.unwrap_or(false),
        duration_before_escalation: w.duration_before_escalation.or_else(|| {
            w.escalation_time_in_minutes
                .map(|m| DurationSecs(m.saturating_mul(60)))
        }),
        primary_approvers: primary,
        fallback_primary_approvers: fallback,
        escalation_approvers: escalation,
        fallback_escalation_approvers: fallback_escalation,
    }
}

fn approval(ctx: &mut Ctx<'_>, w: &WApproval) -> Option<ApprovalSettings> {
    let field = "requestApprovalSettings";
    let (stages_field, stages) = match (&w.stages, &w.approval_stages) {
        (Some(s), _) => ("stages", s),
        (None, Some(s)) => ("approvalStages", s),
        (None, None) => ("stages", &Vec::new()),
    };
    let stages: Vec<ApprovalStage> = stages
        .iter()
        .enumerate()
        .map(|(i, s)| stage(ctx, &format!("{field}.{stages_field}[{i}]"), s))
        .collect();
    let settings = ApprovalSettings {
        required_for_add: w
            .is_approval_required_for_add
            .or(w.is_approval_required)
            .unwrap_or(false),
        required_for_update: w
            .is_approval_required_for_update
            .or(w.is_approval_required_for_extension)
            .unwrap_or(false),
        requestor_justification_required: w.is_requestor_justification_required.unwrap_or(false),
        stages,
    };
    (settings.required_for_add || settings.required_for_update || !settings.stages.is_empty())
        .then_some(settings)
}

/// Beta `recurrenceType` → pattern and interval.
fn beta_recurrence(ctx: &mut Ctx<'_>, field: &str, s: &str) -> Recurrence {
    let (pattern, interval) = match s.to_ascii_lowercase().as_str() {
        "weekly" => (RecurrencePatternType::Weekly, 1),
        "monthly" => (RecurrencePatternType::AbsoluteMonthly, 1),
        "quarterly" => (RecurrencePatternType::AbsoluteMonthly, 3),
        "semiannually" | "semiannual" | "halfyearly" => (RecurrencePatternType::AbsoluteMonthly, 6),
        "annual" | "annually" | "yearly" => (RecurrencePatternType::AbsoluteYearly, 1),
        _ => {
            ctx.warn(
                WarningKind::UnknownEnumValue,
                field,
                format!("unknown review recurrence `{s}`; kept verbatim"),
            );
            (RecurrencePatternType::Other(s.to_owned()), 1)
        }
    };
    Recurrence { pattern, interval }
}

fn review(ctx: &mut Ctx<'_>, field: &str, w: &WReview) -> Option<ReviewSettings> {
    if w.is_enabled != Some(true) {
        return None;
    }
    let (primary, mut fallback) = split_backup(
        ctx,
        &format!("{field}.primaryReviewers"),
        w.primary_reviewers.as_ref().or(w.reviewers.as_ref()),
    );
    fallback.extend(subject_sets(
        ctx,
        &format!("{field}.fallbackReviewers"),
        w.fallback_reviewers.as_ref(),
    ));
    let schedule = match &w.schedule {
        Some(s) => Some(schedule(ctx, &format!("{field}.schedule"), s)),
        None if w.recurrence_type.is_some()
            || w.start_date_time.is_some()
            || w.duration_in_days.is_some() =>
        {
            Some(Schedule {
                start: w.start_date_time,
                expiration: w.duration_in_days.map(|d| Expiration {
                    kind: ExpirationType::AfterDuration,
                    duration: Some(DurationSecs::from_days(d)),
                    end: None,
                }),
                recurrence: w
                    .recurrence_type
                    .as_deref()
                    .map(|r| beta_recurrence(ctx, &format!("{field}.recurrenceType"), r)),
            })
        }
        None => None,
    };
    let is_self_review = w.is_self_review.unwrap_or_else(|| {
        w.reviewer_type
            .as_deref()
            .is_some_and(|t| t.eq_ignore_ascii_case("Self"))
    });
    Some(ReviewSettings {
        is_enabled: true,
        is_recommendation_enabled: w
            .is_recommendation_enabled
            .or(w.is_access_recommendation_enabled)
            .unwrap_or(false),
        is_reviewer_justification_required: w
            .is_reviewer_justification_required
            .or(w.is_approval_justification_required)
            .unwrap_or(false),
        is_self_review,
        expiration_behavior: ctx.enum_of(
            &format!("{field}.expirationBehavior"),
            w.expiration_behavior
                .clone()
                .or_else(|| w.access_review_timeout_behavior.clone()),
        ),
        primary_reviewers: primary,
        fallback_reviewers: fallback,
        schedule,
    })
}

fn requestor_settings(
    ctx: &mut Ctx<'_>,
    w: &WRequestorSettings,
    can_extend: Option<bool>,
) -> RequestorSettings {
    RequestorSettings {
        self_add: w
            .enable_targets_to_self_add_access
            .or(w.accept_requests)
            .unwrap_or(false),
        self_update: w
            .enable_targets_to_self_update_access
            .or(can_extend)
            .unwrap_or(false),
        self_remove: w.enable_targets_to_self_remove_access.unwrap_or(false),
        allow_custom_assignment_schedule: w.allow_custom_assignment_schedule.unwrap_or(false),
        on_behalf_add: w
            .enable_on_behalf_requestors_to_add_access
            .or(w.is_on_behalf_allowed)
            .unwrap_or(false),
        on_behalf_update: w
            .enable_on_behalf_requestors_to_update_access
            .unwrap_or(false),
        on_behalf_remove: w
            .enable_on_behalf_requestors_to_remove_access
            .unwrap_or(false),
        on_behalf_requestors: subject_sets(
            ctx,
            "requestorSettings.onBehalfRequestors",
            w.on_behalf_requestors.as_ref(),
        ),
    }
}

fn automatic(w: &WAutomatic) -> AutomaticRequestSettings {
    AutomaticRequestSettings {
        request_access_for_allowed_targets: w.request_access_for_allowed_targets.unwrap_or(false),
        remove_access_when_target_leaves_allowed_targets: w
            .remove_access_when_target_leaves_allowed_targets
            .unwrap_or(false),
        grace_period_before_access_removal: w.grace_period_before_access_removal,
    }
}

pub(crate) fn policy(
    ctx: &mut Ctx<'_>,
    w: WPolicy,
    package_hint: Option<&str>,
) -> AssignmentPolicy {
    let id = ctx.id(w.id.clone(), "policy");
    let scope_raw = w.allowed_target_scope.clone().or_else(|| {
        w.requestor_settings
            .as_ref()
            .and_then(|r| r.scope_type.clone())
    });
    let scope_field = if w.allowed_target_scope.is_some() {
        "allowedTargetScope"
    } else {
        "requestorSettings.scopeType"
    };
    let allowed_target_scope = ctx.enum_of(scope_field, scope_raw);
    let specific_allowed_targets = match (&w.specific_allowed_targets, &w.requestor_settings) {
        (Some(t), _) => subject_sets(ctx, "specificAllowedTargets", Some(t)),
        (None, Some(r)) => subject_sets(
            ctx,
            "requestorSettings.allowedRequestors",
            r.allowed_requestors.as_ref(),
        ),
        (None, None) => Vec::new(),
    };
    let expiration = match &w.expiration {
        Some(e) => Some(expiration(ctx, "expiration", e)),
        None => match (w.expiration_date_time, w.duration_in_days) {
            (Some(end), _) => Some(Expiration {
                kind: ExpirationType::AfterDateTime,
                duration: None,
                end: Some(end),
            }),
            (None, Some(d)) if d > 0 => Some(Expiration {
                kind: ExpirationType::AfterDuration,
                duration: Some(DurationSecs::from_days(d)),
                end: None,
            }),
            (None, Some(_)) => Some(Expiration {
                kind: ExpirationType::NoExpiration,
                duration: None,
                end: None,
            }),
            (None, None) => None,
        },
    };
    let requestor_settings = match &w.requestor_settings {
        Some(r) => Some(requestor_settings(ctx, r, w.can_extend)),
        None => w.can_extend.map(|c| RequestorSettings {
            self_update: c,
            ..RequestorSettings::default()
        }),
    };
    let approval = w
        .request_approval_settings
        .as_ref()
        .and_then(|a| approval(ctx, a));
    let review = match (&w.review_settings, &w.access_review_settings) {
        (Some(r), _) => review(ctx, "reviewSettings", r),
        (None, Some(r)) => review(ctx, "accessReviewSettings", r),
        (None, None) => None,
    };
    AssignmentPolicy {
        id,
        display_name: w.display_name,
        description: w.description,
        access_package_id: w
            .access_package
            .and_then(|p| p.id)
            .or(w.access_package_id)
            .or_else(|| package_hint.map(str::to_owned)),
        catalog_id: w.catalog.or(w.access_package_catalog).and_then(|c| c.id),
        allowed_target_scope,
        specific_allowed_targets,
        expiration,
        requestor_settings,
        approval,
        review,
        automatic_request: w.automatic_request_settings.as_ref().map(automatic),
        created: w.created_date_time,
        modified: w.modified_date_time,
        source: ctx.source(),
    }
}

fn role(w: &WRole, resource_hint: Option<&str>) -> Option<ResourceRole> {
    Some(ResourceRole {
        id: w.id.clone()?,
        display_name: w.display_name.clone(),
        description: w.description.clone(),
        origin_id: w.origin_id.clone(),
        origin_system: w.origin_system.clone(),
        resource_id: w
            .resource
            .as_ref()
            .and_then(|r| r.id.clone())
            .or_else(|| resource_hint.map(str::to_owned)),
    })
}

fn scope(w: &WScope, resource_hint: Option<&str>) -> Option<ResourceScope> {
    Some(ResourceScope {
        id: w.id.clone()?,
        display_name: w.display_name.clone(),
        description: w.description.clone(),
        origin_id: w.origin_id.clone(),
        origin_system: w.origin_system.clone(),
        is_root_scope: w.is_root_scope,
        resource_id: w
            .resource
            .as_ref()
            .and_then(|r| r.id.clone())
            .or_else(|| resource_hint.map(str::to_owned)),
    })
}

pub(crate) fn role_scope(w: &WRoleScope) -> ResourceRoleScope {
    let role = w.role.as_ref().and_then(|r| role(r, None));
    let scope = w.scope.as_ref().and_then(|s| scope(s, None));
    let id = w.id.clone().unwrap_or_else(|| {
        format!(
            "{}_{}",
            role.as_ref().map_or("", |r| r.id.as_str()),
            scope.as_ref().map_or("", |s| s.id.as_str())
        )
    });
    ResourceRoleScope { id, role, scope }
}

pub(crate) fn resource(ctx: &mut Ctx<'_>, w: WResource, catalog_hint: Option<&str>) -> Resource {
    let id = ctx.id(w.id.clone(), "resource");
    let mut roles: Vec<ResourceRole> = w
        .roles
        .iter()
        .flatten()
        .filter_map(|r| role(r, Some(&id)))
        .collect();
    let mut scopes: Vec<ResourceScope> = w
        .scopes
        .iter()
        .flatten()
        .filter_map(|s| scope(s, Some(&id)))
        .collect();
    crate::order::sort(&mut roles);
    crate::order::sort(&mut scopes);
    Resource {
        catalog_id: w
            .catalog
            .and_then(|c| c.id)
            .or(w.catalog_id)
            .or_else(|| catalog_hint.map(str::to_owned)),
        display_name: w.display_name,
        description: w.description,
        origin_id: w.origin_id,
        origin_system: w.origin_system,
        roles,
        scopes,
        source: ctx.source(),
        id,
    }
}

pub(crate) fn access_package(ctx: &mut Ctx<'_>, w: WAccessPackage) -> AccessPackage {
    let id = ctx.id(w.id.clone(), "access package");
    let resource_role_scopes = w.resource_role_scopes.as_ref().map(|l| {
        let mut v: Vec<ResourceRoleScope> = l.iter().map(role_scope).collect();
        crate::order::sort(&mut v);
        v
    });
    let incompatible_access_packages = w.incompatible_access_packages.as_ref().map(|l| {
        ctx.check_expand("incompatibleAccessPackages", l);
        l.iter().filter_map(|r| r.id.clone()).collect()
    });
    let incompatible_groups = w.incompatible_groups.as_ref().map(|l| {
        ctx.check_expand("incompatibleGroups", l);
        l.iter().filter_map(|r| r.id.clone()).collect()
    });
    AccessPackage {
        id,
        display_name: w.display_name,
        description: w.description,
        is_hidden: w.is_hidden,
        catalog_id: w.catalog.and_then(|c| c.id).or(w.catalog_id),
        created: w.created_date_time,
        modified: w.modified_date_time,
        resource_role_scopes,
        incompatible_access_packages,
        incompatible_groups,
        source: ctx.source(),
    }
}

pub(crate) fn catalog(ctx: &mut Ctx<'_>, w: WCatalog) -> Catalog {
    Catalog {
        id: ctx.id(w.id, "catalog"),
        display_name: w.display_name,
        description: w.description,
        catalog_type: ctx.enum_of("catalogType", w.catalog_type),
        state: ctx.enum_of(
            if w.state.is_some() {
                "state"
            } else {
                "catalogStatus"
            },
            w.state.or(w.catalog_status),
        ),
        is_externally_visible: w.is_externally_visible,
        created: w.created_date_time,
        modified: w.modified_date_time,
        source: ctx.source(),
    }
}

pub(crate) fn subject(ctx: &mut Ctx<'_>, w: &WSubject) -> Option<Subject> {
    let id = w.id.clone()?;
    let raw_type = w.subject_type.clone().or_else(|| w.kind.clone());
    Some(Subject {
        id,
        object_id: w.object_id.clone().filter(|s| !s.is_empty()),
        display_name: w.display_name.clone(),
        email: w.email.clone(),
        principal_name: w.principal_name.clone(),
        subject_type: ctx.enum_of::<SubjectType>("subjectType", raw_type),
        connected_organization_id: w
            .connected_organization_id
            .clone()
            .or_else(|| w.connected_organization.as_ref().and_then(|c| c.id.clone())),
        source: ctx.source(),
    })
}

pub(crate) fn assignment(ctx: &mut Ctx<'_>, w: WAssignment) -> (Assignment, Option<Subject>) {
    let id = ctx.id(w.id.clone(), "assignment");
    let subject = w.target.as_ref().and_then(|t| subject(ctx, t));
    let state_field = if w.state.is_some() {
        "state"
    } else {
        "assignmentState"
    };
    let assignment = Assignment {
        id,
        state: ctx.enum_of(state_field, w.state.or(w.assignment_state)),
        status: w.status.or(w.assignment_status),
        access_package_id: w.access_package.and_then(|p| p.id).or(w.access_package_id),
        policy_id: w
            .assignment_policy
            .or(w.access_package_assignment_policy)
            .and_then(|p| p.id)
            .or(w.assignment_policy_id),
        catalog_id: w.catalog_id,
        target_subject_id: w.target.as_ref().and_then(|t| t.id.clone()).or(w.target_id),
        target_object_id: w
            .target
            .as_ref()
            .and_then(|t| t.object_id.clone())
            .filter(|s| !s.is_empty()),
        target_display_name: w.target.and_then(|t| t.display_name),
        schedule: w.schedule.as_ref().map(|s| schedule(ctx, "schedule", s)),
        expired: w.expired_date_time,
        source: ctx.source(),
    };
    (assignment, subject)
}

pub(crate) fn request(ctx: &mut Ctx<'_>, w: WRequest) -> (AssignmentRequest, Vec<Subject>) {
    let id = ctx.id(w.id.clone(), "assignment request");
    let mut subjects = Vec::new();
    if let Some(s) = w.requestor.as_ref().and_then(|r| subject(ctx, r)) {
        subjects.push(s);
    }
    if let Some(s) = w
        .assignment
        .as_ref()
        .and_then(|a| a.target.as_ref())
        .and_then(|t| subject(ctx, t))
    {
        subjects.push(s);
    }
    let state_field = if w.state.is_some() {
        "state"
    } else {
        "requestState"
    };
    let request = AssignmentRequest {
        id,
        request_type: ctx.enum_of("requestType", w.request_type),
        state: ctx.enum_of(state_field, w.state.or(w.request_state)),
        status: w.status.or(w.request_status),
        access_package_id: w.access_package.and_then(|p| p.id).or(w.access_package_id),
        assignment_id: w.assignment.as_ref().and_then(|a| a.id.clone()),
        requestor_subject_id: w.requestor.as_ref().and_then(|r| r.id.clone()),
        requestor_object_id: w
            .requestor
            .as_ref()
            .and_then(|r| r.object_id.clone())
            .filter(|s| !s.is_empty()),
        requestor_display_name: w.requestor.and_then(|r| r.display_name),
        created: w.created_date_time,
        completed: w.completed_date_time.or(w.completed_date),
        justification: w.justification,
        schedule: w.schedule.as_ref().map(|s| schedule(ctx, "schedule", s)),
        source: ctx.source(),
    };
    (request, subjects)
}

/// `0001-01-01T00:00:00Z` means "never" in `signInActivity`.
fn real(t: Option<Timestamp>) -> Option<Timestamp> {
    t.filter(|t| chrono::Datelike::year(t) > 1)
}

/// Facts a users file contributes beyond the users themselves.
#[derive(Debug, Default, Clone, Copy)]
pub(crate) struct UserFacts {
    pub(crate) has_profile: bool,
    pub(crate) has_sign_in: bool,
    pub(crate) has_manager: bool,
    pub(crate) has_sponsors: bool,
}

pub(crate) fn user(ctx: &mut Ctx<'_>, w: WUser, facts: &mut UserFacts) -> User {
    facts.has_profile |= w.display_name.is_some()
        || w.user_principal_name.is_some()
        || w.user_type.is_some()
        || w.account_enabled.is_some();
    facts.has_sign_in |= w.sign_in_activity.is_some();
    facts.has_manager |= w.manager.is_some();
    facts.has_sponsors |= w.sponsors.is_some();
    if let Some(s) = &w.sponsors {
        ctx.check_expand("sponsors", s);
    }
    User {
        id: ctx.id(w.id, "user"),
        display_name: w.display_name,
        user_principal_name: w.user_principal_name,
        mail: w.mail,
        user_type: ctx.enum_of("userType", w.user_type),
        account_enabled: w.account_enabled,
        created: w.created_date_time,
        creation_type: w.creation_type,
        external_user_state: ctx.enum_of("externalUserState", w.external_user_state),
        external_user_state_changed: w.external_user_state_change_date_time,
        department: w.department,
        job_title: w.job_title,
        sign_in_activity: w.sign_in_activity.flatten().map(|s| SignInActivity {
            last_sign_in: real(s.last_sign_in_date_time),
            last_non_interactive_sign_in: real(s.last_non_interactive_sign_in_date_time),
            last_successful_sign_in: real(s.last_successful_sign_in_date_time),
        }),
        manager_known: w.manager.is_some(),
        manager_id: w.manager.flatten().and_then(|m| m.id),
        sponsors: w.sponsors.as_deref().map(object_refs),
        source: ctx.source(),
    }
}

pub(crate) fn group(ctx: &mut Ctx<'_>, w: WGroup) -> Group {
    Group {
        id: ctx.id(w.id, "group"),
        display_name: w.display_name,
        description: w.description,
        group_types: w.group_types.unwrap_or_default(),
        is_assignable_to_role: w.is_assignable_to_role,
        membership_rule: w.membership_rule,
        security_enabled: w.security_enabled,
        mail_enabled: w.mail_enabled,
        members: w.members.as_deref().map(object_refs),
        transitive_members: w.transitive_members.as_deref().map(object_refs),
        source: ctx.source(),
    }
}

pub(crate) fn service_principal(ctx: &mut Ctx<'_>, w: WServicePrincipal) -> ServicePrincipal {
    ServicePrincipal {
        id: ctx.id(w.id, "service principal"),
        app_id: w.app_id,
        display_name: w.display_name,
        service_principal_type: w.service_principal_type,
        source: ctx.source(),
    }
}

pub(crate) fn connected_organization(
    ctx: &mut Ctx<'_>,
    w: WConnectedOrganization,
) -> ConnectedOrganization {
    if let Some(s) = &w.internal_sponsors {
        ctx.check_expand("internalSponsors", s);
    }
    if let Some(s) = &w.external_sponsors {
        ctx.check_expand("externalSponsors", s);
    }
    let mut identity_sources: Vec<IdentitySource> = w
        .identity_sources
        .iter()
        .flatten()
        .map(|s| IdentitySource {
            kind: s
                .odata_type
                .as_deref()
                .unwrap_or("")
                .trim_start_matches('#')
                .trim_start_matches("microsoft.graph.")
                .to_owned(),
            tenant_id: s.tenant_id.clone(),
            domain_name: s.domain_name.clone(),
            display_name: s.display_name.clone(),
        })
        .collect();
    crate::order::sort(&mut identity_sources);
    ConnectedOrganization {
        id: ctx.id(w.id, "connected organization"),
        display_name: w.display_name,
        description: w.description,
        state: ctx.enum_of("state", w.state),
        identity_sources,
        internal_sponsors: w.internal_sponsors.as_deref().map(object_refs),
        external_sponsors: w.external_sponsors.as_deref().map(object_refs),
        created: w.created_date_time,
        modified: w.modified_date_time,
        source: ctx.source(),
    }
}

pub(crate) fn settings(ctx: &mut Ctx<'_>, w: WSettings) -> Settings {
    Settings {
        external_user_lifecycle_action: ctx.enum_of(
            "externalUserLifecycleAction",
            w.external_user_lifecycle_action,
        ),
        duration_until_external_user_deleted_after_blocked: w
            .duration_until_external_user_deleted_after_blocked
            .or_else(|| days(w.days_until_external_user_deleted_after_blocked)),
        source: ctx.source(),
    }
}

pub(crate) fn audit(ctx: &mut Ctx<'_>, w: WAudit) -> AuditEvent {
    let initiated = w.initiated_by.unwrap_or_default();
    AuditEvent {
        id: ctx.id(w.id, "audit event"),
        category: w.category,
        correlation_id: w.correlation_id,
        activity: w.activity_display_name.unwrap_or_default(),
        time: w.activity_date_time,
        logged_by_service: w.logged_by_service,
        operation_type: w.operation_type,
        result: ctx.enum_of("result", w.result),
        result_reason: w.result_reason,
        actor_user: initiated.user.map(|u| ActorUser {
            id: u.id,
            display_name: u.display_name,
            user_principal_name: u.user_principal_name,
            ip_address: u.ip_address,
        }),
        actor_app: initiated.app.map(|a| ActorApp {
            app_id: a.app_id,
            display_name: a.display_name,
            service_principal_id: a.service_principal_id,
            service_principal_name: a.service_principal_name,
        }),
        targets: w
            .target_resources
            .into_iter()
            .flatten()
            .map(|t| AuditTarget {
                id: t.id,
                display_name: t.display_name,
                kind: t.kind,
                user_principal_name: t.user_principal_name,
                modified_properties: t
                    .modified_properties
                    .into_iter()
                    .flatten()
                    .map(|p| ModifiedProperty {
                        display_name: p.display_name,
                        old_value: p.old_value,
                        new_value: p.new_value,
                    })
                    .collect(),
            })
            .collect(),
        additional_details: w
            .additional_details
            .into_iter()
            .flatten()
            .map(|kv| (kv.key.unwrap_or_default(), kv.value.unwrap_or_default()))
            .collect(),
        source: ctx.source(),
    }
}
