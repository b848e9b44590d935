//! The documentation inconsistencies of reference §17, one test each: tolerated (loaded with the
//! intended meaning) or rejected with a clear error. docs/EXPORT-RECIPE.md lists the same.

use grantscope_core::ingest::{InputFile, Limits, Loaded, load};
use grantscope_core::model::{AssignmentState, ExpirationType, RequestState, RequestType};

fn one(name: &str, json: &str) -> Loaded {
    load([InputFile::new(name, json)], &Limits::default())
}

const V1: &str =
    "https://graph.microsoft.com/v1.0/$metadata#identityGovernance/entitlementManagement";

#[test]
fn tolerated_beta_names_in_v1_requests() {
    // completedDate, requestState, requestStatus, "AdminAdd" in v1.0 pages.
    let l = one(
        "r.json",
        &format!(
            r##"{{"@odata.context": "{V1}/assignmentRequests", "value": [
        {{"id": "r1", "requestType": "AdminAdd", "requestState": "Delivered", "requestStatus": "Delivered",
          "completedDate": "2019-10-26T22:05:32.2986082Z"}}]}}"##
        ),
    );
    let r = &l.snapshot.requests["r1"];
    assert_eq!(r.request_type, Some(RequestType::AdminAdd));
    assert_eq!(r.state, Some(RequestState::Delivered));
    assert!(r.completed.is_some());
    assert!(l.report.warnings.is_empty(), "{:?}", l.report.warnings);
}

#[test]
fn tolerated_pascal_case_state_and_null_string() {
    // `state eq 'Delivered'` and `"expiredDateTime": "null"`.
    let l = one(
        "a.json",
        &format!(
            r##"{{"@odata.context": "{V1}/assignments", "value": [
        {{"id": "a1", "state": "Delivered", "expiredDateTime": "null"}}]}}"##
        ),
    );
    let a = &l.snapshot.assignments["a1"];
    assert_eq!(a.state, Some(AssignmentState::Delivered));
    assert_eq!(a.expired, None);
}

#[test]
fn tolerated_strings_for_booleans_and_numbers() {
    let l = one(
        "p.json",
        r##"{"id": "p1", "allowedTargetScope": "allMemberUsers",
        "requestorSettings": {"enableTargetsToSelfAddAccess": "true"},
        "requestApprovalSettings": {"isApprovalRequiredForAdd": "true", "stages": [
          {"durationBeforeAutomaticDenial": "P14D", "primaryApprovers": [
            {"@odata.type": "#microsoft.graph.requestorManager", "managerLevel": "1"}]}]},
        "expiration": {"type": "noExpiration"}}"##,
    );
    let p = &l.snapshot.policies["p1"];
    assert!(p.is_self_service());
    assert!(p.approval_required());
    assert_eq!(
        p.expiration.as_ref().unwrap().kind,
        ExpirationType::NoExpiration
    );
}

#[test]
fn tolerated_capital_type_in_audit_targets_and_odata_type_without_hash() {
    let l = one(
        "audit.json",
        r##"{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#auditLogs/directoryAudits",
      "value": [{"id": "e1", "activityDisplayName": "Approve access package assignment request",
        "activityDateTime": "2026-10-01T00:00:00Z", "initiatedBy": {"user": {"id": "u1"}},
        "targetResources": [{"id": "u2", "Type": "User"}]}]}"##,
    );
    assert_eq!(
        l.snapshot.audit_events["e1"].targets[0].kind.as_deref(),
        Some("User")
    );
    let l = one(
        "co.json",
        &format!(
            r##"{{"@odata.context": "{V1}/connectedOrganizations", "value": [
        {{"id": "o1", "state": "configured", "identitySources": [
          {{"@odata.type": "microsoft.graph.azureActiveDirectoryTenant", "tenantId": "t1"}}]}}]}}"##
        ),
    );
    assert_eq!(
        l.snapshot.connected_organizations["o1"].identity_sources[0].kind,
        "azureActiveDirectoryTenant"
    );
}

#[test]
fn kept_verbatim_user_extend_request_type() {
    // The doc text lists `UserExtend`; the schema has no such member: kept, with a warning.
    let l = one(
        "r.json",
        &format!(
            r##"{{"@odata.context": "{V1}/assignmentRequests", "value": [
        {{"id": "r1", "requestType": "UserExtend"}}]}}"##
        ),
    );
    assert_eq!(
        l.snapshot.requests["r1"]
            .request_type
            .as_ref()
            .unwrap()
            .as_str(),
        "UserExtend"
    );
    assert!(
        l.report
            .warnings
            .iter()
            .any(|w| w.message.contains("UserExtend"))
    );
}

#[test]
fn rejected_trailing_comma() {
    let l = one("p.json", "{\"value\": [{\"id\": \"p1\",}]}");
    let e = l.report.errors().next().unwrap();
    assert!(e.message.starts_with("trailing comma"), "{e}");
}

#[test]
fn rejected_placeholder_values() {
    // Resource pages' representations use placeholders such as "String (timestamp)".
    let l = one(
        "u.json",
        r##"{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users",
        "value": [{"id": "u1", "createdDateTime": "String (timestamp)"}]}"##,
    );
    let e = l.report.errors().next().unwrap();
    assert_eq!(e.path.as_deref(), Some("$.value[0].createdDateTime"));
    assert!(e.message.contains("expected an ISO 8601 date-time"), "{e}");
}
