//! Every verbatim Microsoft Graph documentation sample loads (one test each), with the dataset
//! it should be recognised as. Documentation examples are often shortened or inconsistent
//! (reference §17); these tests pin down that we tolerate them.

use grantscope_core::ingest::{FileOutcome, InputFile, Limits, load};
use grantscope_core::model::Dataset;

fn load_sample(name: &str) -> (grantscope_core::ingest::Loaded, Dataset, usize) {
    let path = format!(
        "{}/../../fixtures/graph-doc-samples/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    let bytes = std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    let loaded = load([InputFile::new(name, bytes)], &Limits::default());
    let file = &loaded.report.files[0];
    match &file.outcome {
        FileOutcome::Loaded { dataset, items, .. } => {
            let (d, n) = (*dataset, *items);
            (loaded, d, n)
        }
        other => panic!("{name} did not load: {other:?}"),
    }
}

#[test]
fn beta_accesspackage_list_accesspackageresourcerolescopes() {
    let (_, dataset, items) =
        load_sample("beta__accesspackage-list-accesspackageresourcerolescopes.json");
    assert_eq!(dataset, Dataset::AccessPackages);
    assert!(items >= 1);
}

#[test]
fn beta_accesspackageassignment_resource_example() {
    let (_, dataset, items) = load_sample("beta__accesspackageassignment.resource-example.json");
    assert_eq!(dataset, Dataset::Assignments);
    assert!(items >= 1);
}

#[test]
fn beta_accesspackageassignmentpolicy_get_ex2_customextensionhandlers() {
    let (_, dataset, items) =
        load_sample("beta__accesspackageassignmentpolicy-get.ex2-customextensionhandlers.json");
    assert_eq!(dataset, Dataset::AssignmentPolicies);
    assert!(items >= 1);
}

#[test]
fn beta_accesspackageassignmentpolicy_get_ex3_customextensionstagesettings() {
    let (_, dataset, items) = load_sample(
        "beta__accesspackageassignmentpolicy-get.ex3-customextensionstagesettings.json",
    );
    assert_eq!(dataset, Dataset::AssignmentPolicies);
    assert!(items >= 1);
}

#[test]
fn beta_accesspackagesubject_resource_example() {
    let (_, dataset, items) = load_sample("beta__accesspackagesubject.resource-example.json");
    assert_eq!(dataset, Dataset::Subjects);
    assert!(items >= 1);
}

#[test]
fn beta_entitlementmanagement_list_accesspackageassignmentpolicies() {
    let (_, dataset, items) =
        load_sample("beta__entitlementmanagement-list-accesspackageassignmentpolicies.json");
    assert_eq!(dataset, Dataset::AssignmentPolicies);
    assert!(items >= 1);
}

#[test]
fn beta_entitlementmanagement_list_accesspackageassignmentrequests_expand_requestor() {
    let (_, dataset, items) = load_sample(
        "beta__entitlementmanagement-list-accesspackageassignmentrequests.expand-requestor.json",
    );
    assert_eq!(dataset, Dataset::AssignmentRequests);
    assert!(items >= 1);
}

#[test]
fn beta_entitlementmanagement_list_accesspackageassignments() {
    let (_, dataset, items) =
        load_sample("beta__entitlementmanagement-list-accesspackageassignments.json");
    assert_eq!(dataset, Dataset::Assignments);
    assert!(items >= 1);
}

#[test]
fn beta_entitlementmanagement_list_accesspackagecatalogs() {
    let (_, dataset, items) =
        load_sample("beta__entitlementmanagement-list-accesspackagecatalogs.json");
    assert_eq!(dataset, Dataset::Catalogs);
    assert!(items >= 1);
}

#[test]
fn beta_entitlementmanagement_list_accesspackages() {
    let (_, dataset, items) = load_sample("beta__entitlementmanagement-list-accesspackages.json");
    assert_eq!(dataset, Dataset::AccessPackages);
    assert!(items >= 1);
}

#[test]
fn beta_entitlementmanagement_list_connectedorganizations() {
    let (_, dataset, items) =
        load_sample("beta__entitlementmanagement-list-connectedorganizations.json");
    assert_eq!(dataset, Dataset::ConnectedOrganizations);
    assert!(items >= 1);
}

#[test]
fn beta_entitlementmanagement_post_accesspackageassignmentpolicies_ex2_request_twostage_connectedorgs_review()
 {
    let (_, dataset, items) = load_sample(
        "beta__entitlementmanagement-post-accesspackageassignmentpolicies.ex2-request-twostage-connectedorgs-review.json",
    );
    assert_eq!(dataset, Dataset::AssignmentPolicies);
    assert!(items >= 1);
}

#[test]
fn beta_entitlementmanagement_post_accesspackageassignmentpolicies_ex3_response_questions() {
    let (_, dataset, items) = load_sample(
        "beta__entitlementmanagement-post-accesspackageassignmentpolicies.ex3-response-questions.json",
    );
    assert_eq!(dataset, Dataset::AssignmentPolicies);
    assert!(items >= 1);
}

#[test]
fn beta_entitlementmanagement_post_accesspackageassignmentpolicies_ex4_response_noapproval() {
    let (_, dataset, items) = load_sample(
        "beta__entitlementmanagement-post-accesspackageassignmentpolicies.ex4-response-noapproval.json",
    );
    assert_eq!(dataset, Dataset::AssignmentPolicies);
    assert!(items >= 1);
}

#[test]
fn beta_entitlementmanagementsettings_get() {
    let (_, dataset, items) = load_sample("beta__entitlementmanagementsettings-get.json");
    assert_eq!(dataset, Dataset::Settings);
    assert!(items >= 1);
}

#[test]
fn v1_0_accesspackage_list_incompatibleaccesspackages() {
    let (_, dataset, items) =
        load_sample("v1.0__accesspackage-list-incompatibleaccesspackages.json");
    assert_eq!(dataset, Dataset::IncompatibleAccessPackages);
    assert!(items >= 1);
}

#[test]
fn v1_0_accesspackage_list_incompatiblegroups() {
    let (_, dataset, items) = load_sample("v1.0__accesspackage-list-incompatiblegroups.json");
    assert_eq!(dataset, Dataset::IncompatibleGroups);
    assert!(items >= 1);
}

#[test]
fn v1_0_accesspackage_list_resourcerolescopes() {
    // The documented request is `GET accessPackages/{id}?$expand=resourceRoleScopes`: a package.
    let (loaded, dataset, items) = load_sample("v1.0__accesspackage-list-resourcerolescopes.json");
    assert_eq!(dataset, Dataset::AccessPackages);
    let package = &loaded.snapshot.access_packages["933a4822-aed1-445b-9623-62116cd07a39"];
    assert!(!package.resource_role_scopes.as_ref().unwrap().is_empty());
    assert!(loaded.snapshot.has(Dataset::ResourceRoleScopes));
    assert!(items >= 1);
}

#[test]
fn v1_0_accesspackageassignment_additionalaccess_expand_target() {
    let (_, dataset, items) =
        load_sample("v1.0__accesspackageassignment-additionalaccess.expand-target.json");
    assert_eq!(dataset, Dataset::Assignments);
    assert!(items >= 1);
}

#[test]
fn v1_0_accesspackageassignment_get() {
    let (_, dataset, items) = load_sample("v1.0__accesspackageassignment-get.json");
    assert_eq!(dataset, Dataset::Assignments);
    assert!(items >= 1);
}

#[test]
fn v1_0_accesspackageassignmentpolicy_get_ex1_alldirectoryusers_p365d() {
    let (_, dataset, items) =
        load_sample("v1.0__accesspackageassignmentpolicy-get.ex1-alldirectoryusers-P365D.json");
    assert_eq!(dataset, Dataset::AssignmentPolicies);
    assert!(items >= 1);
}

#[test]
fn v1_0_accesspackageassignmentrequest_get() {
    let (_, dataset, items) = load_sample("v1.0__accesspackageassignmentrequest-get.json");
    assert_eq!(dataset, Dataset::AssignmentRequests);
    assert!(items >= 1);
}

#[test]
fn v1_0_accesspackagecatalog_list_resources_ex3_group_roles_scopes() {
    let (_, dataset, items) =
        load_sample("v1.0__accesspackagecatalog-list-resources.ex3-group-roles-scopes.json");
    assert_eq!(dataset, Dataset::CatalogResources);
    assert!(items >= 1);
}

#[test]
fn v1_0_directoryaudit_list_ex1() {
    let (_, dataset, items) = load_sample("v1.0__directoryaudit-list.ex1.json");
    assert_eq!(dataset, Dataset::AuditEvents);
    assert!(items >= 1);
}

#[test]
fn v1_0_directoryaudit_list_ex2_filter_initiatedby() {
    let (_, dataset, items) = load_sample("v1.0__directoryaudit-list.ex2-filter-initiatedby.json");
    assert_eq!(dataset, Dataset::AuditEvents);
    assert!(items >= 1);
}

#[test]
fn v1_0_entitlementmanagement_list_accesspackages() {
    let (_, dataset, items) = load_sample("v1.0__entitlementmanagement-list-accesspackages.json");
    assert_eq!(dataset, Dataset::AccessPackages);
    assert!(items >= 1);
}

#[test]
fn v1_0_entitlementmanagement_list_assignmentrequests() {
    let (_, dataset, items) =
        load_sample("v1.0__entitlementmanagement-list-assignmentrequests.json");
    assert_eq!(dataset, Dataset::AssignmentRequests);
    assert!(items >= 1);
}

#[test]
fn v1_0_entitlementmanagement_list_assignments() {
    let (_, dataset, items) = load_sample("v1.0__entitlementmanagement-list-assignments.json");
    assert_eq!(dataset, Dataset::Assignments);
    assert!(items >= 1);
}

#[test]
fn v1_0_entitlementmanagement_list_catalogs() {
    let (_, dataset, items) = load_sample("v1.0__entitlementmanagement-list-catalogs.json");
    assert_eq!(dataset, Dataset::Catalogs);
    assert!(items >= 1);
}

#[test]
fn v1_0_entitlementmanagement_list_connectedorganizations() {
    let (_, dataset, items) =
        load_sample("v1.0__entitlementmanagement-list-connectedorganizations.json");
    assert_eq!(dataset, Dataset::ConnectedOrganizations);
    assert!(items >= 1);
}

#[test]
fn v1_0_entitlementmanagement_post_assignmentpolicies_ex1_request_direct_noexpiration() {
    let (_, dataset, items) = load_sample(
        "v1.0__entitlementmanagement-post-assignmentpolicies.ex1-request-direct-noexpiration.json",
    );
    assert_eq!(dataset, Dataset::AssignmentPolicies);
    assert!(items >= 1);
}

#[test]
fn v1_0_entitlementmanagement_post_assignmentpolicies_ex2_request_connectedorgs_twostage_review() {
    let (_, dataset, items) = load_sample(
        "v1.0__entitlementmanagement-post-assignmentpolicies.ex2-request-connectedorgs-twostage-review.json",
    );
    assert_eq!(dataset, Dataset::AssignmentPolicies);
    assert!(items >= 1);
}

#[test]
fn v1_0_entitlementmanagement_post_assignmentpolicies_ex3_request_autoassignment_attributerule() {
    let (_, dataset, items) = load_sample(
        "v1.0__entitlementmanagement-post-assignmentpolicies.ex3-request-autoassignment-attributerule.json",
    );
    assert_eq!(dataset, Dataset::AssignmentPolicies);
    assert!(items >= 1);
}

#[test]
fn v1_0_entitlementmanagement_post_assignmentrequests_ex3_response_answers() {
    let (_, dataset, items) = load_sample(
        "v1.0__entitlementmanagement-post-assignmentrequests.ex3-response-answers.json",
    );
    assert_eq!(dataset, Dataset::AssignmentRequests);
    assert!(items >= 1);
}

#[test]
fn v1_0_entitlementmanagement_post_assignmentrequests_ex5_response_betashape_in_v1doc() {
    let (_, dataset, items) = load_sample(
        "v1.0__entitlementmanagement-post-assignmentrequests.ex5-response-betashape-in-v1doc.json",
    );
    assert_eq!(dataset, Dataset::AssignmentRequests);
    assert!(items >= 1);
}

#[test]
fn v1_0_entitlementmanagementsettings_get() {
    let (_, dataset, items) = load_sample("v1.0__entitlementmanagementsettings-get.json");
    assert_eq!(dataset, Dataset::Settings);
    assert!(items >= 1);
}

#[test]
fn v1_0_user_list_ex11_signinactivity() {
    let (_, dataset, items) = load_sample("v1.0__user-list.ex11-signinactivity.json");
    assert_eq!(dataset, Dataset::SignInActivity);
    assert!(items >= 1);
}

#[test]
fn v1_0_user_list_ex4_count_guest_upn() {
    let (_, dataset, items) = load_sample("v1.0__user-list.ex4-count-guest-upn.json");
    assert_eq!(dataset, Dataset::Users);
    assert!(items >= 1);
}
