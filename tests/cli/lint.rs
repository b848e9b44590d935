//! `grantscope lint`: proposed policies as Graph v1.0 bodies, beta bodies and a Terraform plan
//! (`fixtures/lint/`), with and without the contoso tenant as context; every finding must point
//! at the line and column of the offending field; formats and exit codes as for `check`.

use std::collections::BTreeSet;
use std::path::Path;

use grantscope_tests::{grantscope, workspace_root};
use insta_cmd::assert_cmd_snapshot;
use serde_json::Value;

use crate::formats::{run, scratch};

const CONTOSO: &str = "fixtures/tenants/contoso";

/// One expected finding: rule, file, line, column, and the text that must start there (the
/// field's name, so the position is checked against the file itself, not just remembered).
type Expected = (&'static str, &'static str, u64, u64, &'static str);

const V1: &[Expected] = &[
    (
        "GS101",
        "fixtures/lint/v1/anyone-external.json",
        7,
        3,
        "\"allowedTargetScope\"",
    ),
    (
        "GS102",
        "fixtures/lint/v1/anyone-external.json",
        7,
        3,
        "\"allowedTargetScope\"",
    ),
    (
        "GS103",
        "fixtures/lint/v1/anyone-external.json",
        7,
        3,
        "\"allowedTargetScope\"",
    ),
    (
        "GS105",
        "fixtures/lint/v1/finance-policies.json",
        29,
        7,
        "\"stages\"",
    ),
    (
        "GS201",
        "fixtures/lint/v1/finance-policies.json",
        42,
        11,
        "\"escalationApprovers\"",
    ),
    (
        "GS202",
        "fixtures/lint/v1/finance-policies.json",
        35,
        11,
        "\"primaryApprovers\"",
    ),
    (
        "GS206",
        "fixtures/lint/v1/finance-policies.json",
        103,
        11,
        "\"primaryApprovers\"",
    ),
    (
        "GS301",
        "fixtures/lint/v1/anyone-external.json",
        10,
        5,
        "\"type\": \"noExpiration\"",
    ),
    (
        "GS302",
        "fixtures/lint/v1/finance-policies.json",
        18,
        7,
        "\"duration\": \"P730D\"",
    ),
    (
        "GS303",
        "fixtures/lint/v1/finance-policies.json",
        22,
        7,
        "\"enableTargetsToSelfUpdateAccess\": true",
    ),
    (
        "GS311",
        "fixtures/lint/v1/anyone-external.json",
        29,
        5,
        "\"isEnabled\": false",
    ),
    (
        "GS314",
        "fixtures/lint/v1/finance-policies.json",
        55,
        7,
        "\"isSelfReview\": true",
    ),
];

const BETA: &[Expected] = &[
    (
        "GS101",
        "fixtures/lint/beta/anyone-external.json",
        9,
        5,
        "\"scopeType\": \"AllExternalSubjects\"",
    ),
    (
        "GS102",
        "fixtures/lint/beta/anyone-external.json",
        9,
        5,
        "\"scopeType\": \"AllExternalSubjects\"",
    ),
    (
        "GS103",
        "fixtures/lint/beta/anyone-external.json",
        9,
        5,
        "\"scopeType\": \"AllExternalSubjects\"",
    ),
    (
        "GS105",
        "fixtures/lint/beta/finance-policies.json",
        26,
        7,
        "\"approvalStages\"",
    ),
    (
        "GS201",
        "fixtures/lint/beta/finance-policies.json",
        38,
        11,
        "\"escalationApprovers\"",
    ),
    (
        "GS202",
        "fixtures/lint/beta/finance-policies.json",
        32,
        11,
        "\"primaryApprovers\"",
    ),
    (
        "GS206",
        "fixtures/lint/beta/finance-policies.json",
        91,
        11,
        "\"primaryApprovers\": []",
    ),
    (
        "GS301",
        "fixtures/lint/beta/anyone-external.json",
        6,
        3,
        "\"durationInDays\": 0",
    ),
    (
        "GS302",
        "fixtures/lint/beta/finance-policies.json",
        7,
        5,
        "\"durationInDays\": 730",
    ),
    (
        "GS303",
        "fixtures/lint/beta/finance-policies.json",
        6,
        5,
        "\"canExtend\": true",
    ),
    (
        "GS311",
        "fixtures/lint/beta/anyone-external.json",
        20,
        3,
        "\"accessReviewSettings\": null",
    ),
    (
        "GS314",
        "fixtures/lint/beta/finance-policies.json",
        52,
        7,
        "\"reviewerType\": \"Self\"",
    ),
];

const TERRAFORM: &[Expected] = &[
    (
        "GS101",
        "fixtures/lint/terraform/plan.json",
        286,
        15,
        "\"scope_type\": \"AllExternalSubjects\"",
    ),
    (
        "GS102",
        "fixtures/lint/terraform/plan.json",
        286,
        15,
        "\"scope_type\": \"AllExternalSubjects\"",
    ),
    (
        "GS103",
        "fixtures/lint/terraform/plan.json",
        286,
        15,
        "\"scope_type\": \"AllExternalSubjects\"",
    ),
    (
        "GS105",
        "fixtures/lint/terraform/plan.json",
        90,
        15,
        "\"approval_stage\"",
    ),
    (
        "GS201",
        "fixtures/lint/terraform/plan.json",
        93,
        19,
        "\"alternative_approver\"",
    ),
    (
        "GS202",
        "fixtures/lint/terraform/plan.json",
        103,
        19,
        "\"primary_approver\"",
    ),
    (
        "GS206",
        "fixtures/lint/terraform/plan.json",
        207,
        19,
        "\"primary_approver\": []",
    ),
    (
        "GS301",
        "fixtures/lint/terraform/plan.json",
        279,
        11,
        "\"duration_in_days\": null",
    ),
    (
        "GS302",
        "fixtures/lint/terraform/plan.json",
        70,
        11,
        "\"duration_in_days\": 730",
    ),
    (
        "GS303",
        "fixtures/lint/terraform/plan.json",
        72,
        11,
        "\"extension_enabled\": true",
    ),
    (
        "GS311",
        "fixtures/lint/terraform/plan.json",
        297,
        11,
        "\"assignment_review_settings\": []",
    ),
    (
        "GS314",
        "fixtures/lint/terraform/plan.json",
        123,
        15,
        "\"review_type\": \"Self\"",
    ),
];

/// The text of `file` from `line`:`column` (1-based, in characters) on.
fn text_at(file: &str, line: u64, column: u64) -> String {
    let text = std::fs::read_to_string(workspace_root().join(file)).unwrap();
    let row = text
        .lines()
        .nth(usize::try_from(line).unwrap() - 1)
        .unwrap();
    row.chars()
        .skip(usize::try_from(column).unwrap() - 1)
        .collect()
}

/// Line `line` (1-based) of a file.
fn text_at_plan(file: &Path, line: u64) -> String {
    let text = std::fs::read_to_string(file).unwrap();
    text.lines()
        .nth(usize::try_from(line).unwrap().saturating_sub(1))
        .unwrap_or_default()
        .to_owned()
}

/// Lints with `args` as JSON; returns the exit code and the report.
fn lint_json(args: &[&str]) -> (i32, Value) {
    let mut all = vec!["lint"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let (code, stdout, stderr) = run(grantscope(all));
    let report = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{e}: stdout {stdout}\nstderr {stderr}"));
    (code, report)
}

/// `(rule, file, line, column)` of every finding, from `evidence.location`.
fn located(report: &Value) -> BTreeSet<(String, String, u64, u64)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            let loc = &f["evidence"]["location"];
            // subject.source carries the same file and line (for SARIF and the other formats).
            assert_eq!(f["subject"]["source"]["file"], loc["file"]);
            assert_eq!(f["subject"]["source"]["line"], loc["line"]);
            (
                f["ruleId"].as_str().unwrap().to_owned(),
                loc["file"].as_str().unwrap().to_owned(),
                loc["line"].as_u64().unwrap(),
                loc["column"].as_u64().unwrap(),
            )
        })
        .collect()
}

fn check_shape(dir: &str, expected: &[Expected]) {
    let (code, report) = lint_json(&[dir, "--context", CONTOSO]);
    assert_eq!(code, 1, "findings at or above the default threshold");
    let want: BTreeSet<(String, String, u64, u64)> = expected
        .iter()
        .map(|(r, f, l, c, _)| ((*r).to_owned(), (*f).to_owned(), *l, *c))
        .collect();
    assert_eq!(located(&report), want, "{dir}");
    for (rule, file, line, column, starts) in expected {
        let found = text_at(file, *line, *column);
        assert!(
            found.starts_with(starts),
            "{rule} points at {file}:{line}:{column}, where the text is `{found}`, not `{starts}`"
        );
    }
    assert!(
        report["warnings"].as_array().unwrap().is_empty(),
        "{}",
        report["warnings"]
    );
}

#[test]
fn v1_bodies_with_context() {
    check_shape("fixtures/lint/v1", V1);
}

#[test]
fn beta_bodies_with_context() {
    check_shape("fixtures/lint/beta", BETA);
}

#[test]
fn terraform_plan_with_context() {
    check_shape("fixtures/lint/terraform", TERRAFORM);
}

#[test]
fn terraform_plan_resolves_new_packages_and_skips_deletions() {
    let (_, report) = lint_json(&["fixtures/lint/terraform/plan.json", "--context", CONTOSO]);
    let subjects: BTreeSet<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["subject"]["id"].as_str().unwrap())
        .collect();
    assert_eq!(
        subjects,
        BTreeSet::from([
            "azuread_access_package_assignment_policy.benefits_hr",
            "azuread_access_package_assignment_policy.finance_admin_leaders",
            "azuread_access_package_assignment_policy.partner_anyone",
        ]),
        "the deleted legacy_contractors policy is not linted"
    );
    // access_package_id is known only after apply: the configuration's reference names the
    // package the plan creates.
    let gs102 = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["ruleId"] == "GS102")
        .unwrap();
    assert!(
        gs102["message"]
            .as_str()
            .unwrap()
            .contains("access package \"Partner self sign-up\""),
        "{}",
        gs102["message"]
    );
    assert_eq!(report["inputs"][0]["recognisedBy"], "terraformPlan");
    assert_eq!(report["inputs"][0]["items"], 3);
}

#[test]
fn minified_plan_positions_are_columns_on_line_one() {
    // `terraform show -json` writes one line; positions are then all about the column.
    let dir = scratch("lint-minified");
    let plan: Value = serde_json::from_str(
        &std::fs::read_to_string(workspace_root().join("fixtures/lint/terraform/plan.json"))
            .unwrap(),
    )
    .unwrap();
    let file = dir.join("plan.json");
    std::fs::write(&file, serde_json::to_string(&plan).unwrap()).unwrap();
    let path = file.to_str().unwrap();
    let (code, report) = lint_json(&[path, "--context", CONTOSO]);
    assert_eq!(code, 1);
    let text = std::fs::read_to_string(&file).unwrap();
    let found = located(&report);
    assert_eq!(found.len(), TERRAFORM.len());
    for (rule, _, line, column) in &found {
        assert_eq!(*line, 1);
        let (_, _, _, _, starts) = TERRAFORM.iter().find(|e| e.0 == rule).unwrap();
        // Minified JSON has no space after the colon.
        let starts = starts.replace("\": ", "\":");
        let at: String = text
            .chars()
            .skip(usize::try_from(*column).unwrap() - 1)
            .collect();
        assert!(
            at.starts_with(&starts),
            "{rule} at column {column}: {}",
            &at[..40]
        );
    }
}

#[test]
fn without_context_directory_rules_are_not_evaluated() {
    let (code, report) = lint_json(&["fixtures/lint/v1"]);
    assert_eq!(code, 1);
    let rules: BTreeSet<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["ruleId"].as_str().unwrap())
        .collect();
    // Each proposal is checked on its own: the group of one does not stop rules on the other.
    for rule in ["GS101", "GS102", "GS103", "GS301", "GS303", "GS311"] {
        assert!(rules.contains(rule), "{rule} in {rules:?}");
    }
    let coverage = report["coverage"].as_array().unwrap();
    let status = |id: &str| {
        coverage
            .iter()
            .find(|c| c["ruleId"] == id)
            .map(|c| {
                (
                    c["status"].as_str().unwrap(),
                    c["reason"].as_str().unwrap_or(""),
                )
            })
            .unwrap()
    };
    // Approvers and eligible users resolve only against a directory.
    for id in ["GS201", "GS202", "GS206", "GS105"] {
        let (s, reason) = status(id);
        assert_eq!(s, "notEvaluated", "{id}");
        assert!(reason.contains("as context"), "{id}: {reason}");
    }
    // ... but a rule that could not run on some proposal says so, naming it.
    let (s, reason) = status("GS103");
    assert_eq!(s, "notEvaluated");
    assert!(
        reason.starts_with("for policy \"Finance Admin Access: leadership self-service\""),
        "{reason}"
    );
    // Rules about assignments and users never apply to a proposed policy.
    let (s, reason) = status("GS501");
    assert_eq!(s, "notEvaluated");
    assert!(reason.contains("lint does not run it"), "{reason}");
}

#[test]
fn v1_text_with_context() {
    assert_cmd_snapshot!(grantscope([
        "lint",
        "fixtures/lint/v1/anyone-external.json",
        "fixtures/lint/v1/finance-policies.json",
        "--context",
        CONTOSO,
    ]));
}

#[test]
fn terraform_text_without_context() {
    assert_cmd_snapshot!(grantscope([
        "lint",
        "fixtures/lint/terraform/plan.json",
        "--as-of",
        "2026-11-01",
    ]));
}

#[test]
fn clean_policy_exits_0_and_thresholds_apply() {
    let (code, stdout, _) = run(grantscope([
        "lint",
        "fixtures/lint/clean",
        "--context",
        CONTOSO,
    ]));
    assert_eq!(code, 0, "{stdout}");
    assert!(
        stdout.contains("Found 0 findings in 1 proposed policy from 1 file"),
        "{stdout}"
    );
    // contoso's beta policies have high findings but nothing critical.
    let (code, _, _) = run(grantscope([
        "lint",
        "fixtures/lint/beta",
        "--context",
        CONTOSO,
        "--fail-on",
        "critical",
    ]));
    assert_eq!(code, 0);
    let (code, _, _) = run(grantscope([
        "lint",
        "fixtures/lint/beta",
        "--context",
        CONTOSO,
        "--exit-zero",
    ]));
    assert_eq!(code, 0);
}

#[test]
fn unreadable_policies_exit_2_with_their_place() {
    let dir = scratch("lint-errors");
    std::fs::write(dir.join("syntax.json"), "{\n  \"displayName\": \"x\",\n}\n").unwrap();
    std::fs::write(
        dir.join("not-a-policy.json"),
        "[\n  {\"displayName\": \"only a name\"}\n]\n",
    )
    .unwrap();
    let (code, stdout, stderr) = run(grantscope([Path::new("lint"), dir.as_path()]));
    assert_eq!(code, 2, "{stdout}");
    let stderr = stderr.replace(dir.to_str().unwrap(), "[DIR]");
    assert!(
        stderr.contains("[DIR]/not-a-policy.json:2:3: at $[0]: not an assignment policy body"),
        "{stderr}"
    );
    assert!(
        stderr.contains("[DIR]/syntax.json:3:1: trailing comma"),
        "{stderr}"
    );
    assert!(stderr.contains("2 of 2 files failed to load"), "{stderr}");
}

#[test]
fn sarif_and_github_point_at_the_fields() {
    let (code, stdout, _) = run(grantscope([
        "lint",
        "fixtures/lint/beta",
        "--context",
        CONTOSO,
        "--format",
        "sarif",
    ]));
    assert_eq!(code, 1);
    let sarif: Value = serde_json::from_str(&stdout).unwrap();
    let places: BTreeSet<(String, String, u64, u64)> = sarif["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let loc = &r["locations"][0]["physicalLocation"];
            (
                r["ruleId"].as_str().unwrap().to_owned(),
                loc["artifactLocation"]["uri"].as_str().unwrap().to_owned(),
                loc["region"]["startLine"].as_u64().unwrap(),
                loc["region"]["startColumn"].as_u64().unwrap(),
            )
        })
        .collect();
    let want: BTreeSet<(String, String, u64, u64)> = BETA
        .iter()
        .map(|(r, f, l, c, _)| ((*r).to_owned(), (*f).to_owned(), *l, *c))
        .collect();
    assert_eq!(places, want);
    let (_, github, _) = run(grantscope([
        "lint",
        "fixtures/lint/beta",
        "--context",
        CONTOSO,
        "--format",
        "github",
    ]));
    assert!(
        github.contains("file=fixtures/lint/beta/finance-policies.json,line=91,col=11,"),
        "{github}"
    );
}

#[test]
fn sarif_validator_accepts_lint() {
    // With and without context: columns, warnings about a plan, rules not evaluated.
    let dir = scratch("lint-sarif");
    for (name, args) in [
        (
            "with-context.sarif",
            vec!["fixtures/lint", "--context", CONTOSO],
        ),
        ("alone.sarif", vec!["fixtures/lint/terraform/plan.json"]),
    ] {
        let file = dir.join(name);
        let mut command = grantscope(["lint"]);
        command
            .args(args)
            .args(["--format", "sarif", "--output"])
            .arg(&file);
        assert_eq!(run(command).0, 1);
        crate::consumers::assert_valid_sarif(&file);
    }
}

#[test]
fn lint_help() {
    assert_cmd_snapshot!(grantscope(["lint", "--help"]));
}

#[test]
fn terraform_group_created_by_the_plan_resolves_as_approver() {
    // A plan that creates an approver group (members: two of Contoso's leaders) and a policy
    // for the Leadership group approved by it: the group's object id is known only after
    // apply, its reference in the configuration names the group, whose planned members make
    // GS201 fire against the context. An approver whose id nothing resolves is a warning.
    const LEADERSHIP: &str = "0248d818-5022-5993-af32-2385563ffad9";
    const OLIVIA: &str = "5d2afb44-5337-5182-886c-60caf356701b";
    const MARCUS: &str = "37979e70-acf0-53f6-802a-3c3bfe5c7f6b";
    let group = "azuread_group.project_approvers";
    let policy = "azuread_access_package_assignment_policy.project";
    let plan = serde_json::json!({
        "format_version": "1.2",
        "resource_changes": [
            {"address": group, "mode": "managed", "type": "azuread_group", "name": "project_approvers",
             "change": {"actions": ["create"],
                "after": {"display_name": "Project approvers", "security_enabled": true,
                          "members": [OLIVIA, MARCUS]},
                "after_unknown": {"id": true, "object_id": true, "members": [false, false]}}},
            {"address": policy, "mode": "managed", "type": "azuread_access_package_assignment_policy",
             "name": "project",
             "change": {"actions": ["create"],
                "after": {
                    "access_package_id": "51a5f62f-2bc4-5184-8109-b7984a1e0e84",
                    "display_name": "Project Atlas: leadership", "duration_in_days": 90,
                    "requestor_settings": [{"scope_type": "SpecificDirectorySubjects", "requests_accepted": true,
                        "requestor": [{"subject_type": "groupMembers", "object_id": LEADERSHIP}]}],
                    "approval_settings": [{"approval_required": true, "approval_stage": [
                        {"approval_timeout_in_days": 14,
                         "primary_approver": [{"subject_type": "groupMembers", "backup": false}],
                         "alternative_approver": [{"subject_type": "singleUser", "backup": false}]}]}]},
                "after_unknown": {"id": true, "approval_settings": [{"approval_stage": [
                    {"primary_approver": [{"object_id": true}],
                     "alternative_approver": [{"object_id": true}]}]}]}}}
        ],
        "configuration": {"root_module": {"resources": [
            {"address": policy, "expressions": {"approval_settings": [{"approval_stage": [
                {"primary_approver": [{"object_id": {"references": [
                    format!("{group}.object_id"), group.to_owned()]}}]}]}]}}
        ]}}
    });
    let dir = scratch("lint-plan-group");
    let file = dir.join("plan.json");
    std::fs::write(&file, serde_json::to_string_pretty(&plan).unwrap()).unwrap();
    let (code, report) = lint_json(&[file.to_str().unwrap(), "--context", CONTOSO]);
    assert_eq!(code, 1);
    let gs201 = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["ruleId"] == "GS201")
        .unwrap_or_else(|| panic!("no GS201 in {:#}", report["findings"]));
    assert_eq!(gs201["evidence"]["approversInPopulation"], 2);
    assert!(
        gs201["evidence"]["location"]["path"]
            .as_str()
            .unwrap()
            .ends_with(".approval_settings[0].approval_stage[0].primary_approver"),
        "{}",
        gs201["evidence"]["location"]
    );
    let warnings = report["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1, "{warnings:#?}");
    assert!(
        warnings[0]["message"]
            .as_str()
            .unwrap()
            .contains("known only after apply and refers to nothing in this plan"),
        "{warnings:#?}"
    );
    assert!(
        warnings[0]["path"]
            .as_str()
            .unwrap()
            .ends_with("alternative_approver[0].object_id")
    );
    // The attribute is not written (unknown values are left out of `after`): the warning's line
    // is that of the approver block.
    let line = warnings[0]["line"].as_u64().unwrap();
    assert!(text_at_plan(&file, line).contains('{'), "line {line}");
}

/// A plan that creates a catalog, a package granting Member of `group` (through catalog and
/// package resource associations) and a self-service policy with one approval stage on it;
/// `extra` resources are added (e.g. the group itself).
fn plan_with_new_package(group: &str, extra: &[Value]) -> Value {
    let cat = "azuread_access_package_catalog.admins";
    let pkg = "azuread_access_package.admin_access";
    let cra = "azuread_access_package_resource_catalog_association.admin_group";
    let pra = "azuread_access_package_resource_package_association.admin_member";
    let pol = "azuread_access_package_assignment_policy.admins";
    let change = |address: &str, kind: &str, after: Value, unknown: Value| {
        serde_json::json!({"address": address, "mode": "managed", "type": kind,
            "change": {"actions": ["create"], "after": after, "after_unknown": unknown}})
    };
    let mut changes = vec![
        change(
            cat,
            "azuread_access_package_catalog",
            serde_json::json!({"display_name": "Admins"}),
            serde_json::json!({"id": true}),
        ),
        change(
            pkg,
            "azuread_access_package",
            serde_json::json!({"display_name": "Admin access"}),
            serde_json::json!({"id": true, "catalog_id": true}),
        ),
        change(
            cra,
            "azuread_access_package_resource_catalog_association",
            serde_json::json!({"resource_origin_system": "AadGroup"}),
            serde_json::json!({"id": true, "catalog_id": true, "resource_origin_id": true}),
        ),
        change(
            pra,
            "azuread_access_package_resource_package_association",
            serde_json::json!({"access_type": "Member"}),
            serde_json::json!({"id": true, "access_package_id": true, "catalog_resource_association_id": true}),
        ),
        change(
            pol,
            "azuread_access_package_assignment_policy",
            serde_json::json!({
            "display_name": "Admins, one stage", "duration_in_days": 30,
            "requestor_settings": [{"scope_type": "AllExistingDirectoryMemberUsers", "requests_accepted": true, "requestor": []}],
            "approval_settings": [{"approval_required": true, "approval_required_for_extension": true, "approval_stage": [
                {"approval_timeout_in_days": 14,
                 "primary_approver": [{"subject_type": "singleUser", "object_id": "f1e39f18-0ec0-5c8e-83ba-5bcdaa994de4", "backup": false}],
                 "alternative_approver": []}]}],
            "assignment_review_settings": []}),
            serde_json::json!({"id": true, "access_package_id": true}),
        ),
    ];
    changes.extend(extra.iter().cloned());
    let refs = |to: &str| serde_json::json!({"references": [format!("{to}.id"), to]});
    serde_json::json!({
        "format_version": "1.2",
        "resource_changes": changes,
        "configuration": {"root_module": {"resources": [
            {"address": pkg, "expressions": {"catalog_id": refs(cat)}},
            {"address": cra, "expressions": {"catalog_id": refs(cat),
                "resource_origin_id": {"references": [format!("{group}.object_id"), group]}}},
            {"address": pra, "expressions": {"access_package_id": refs(pkg),
                "catalog_resource_association_id": refs(cra)}},
            {"address": pol, "expressions": {"access_package_id": refs(pkg)}}
        ]}}
    })
}

#[test]
fn terraform_package_granting_a_role_assignable_group_is_privileged() {
    let dir = scratch("lint-plan-privileged");
    let has_gs105 = |report: &Value| {
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["ruleId"] == "GS105")
    };
    // The package grants Contoso's role-assignable Finance-Admins group, known from the context.
    let mut plan = plan_with_new_package("data.azuread_group.finance_admins", &[]);
    plan["resource_changes"][2]["change"]["after"]["resource_origin_id"] =
        serde_json::json!("9be09b00-eab8-5bff-a498-26759cf36823");
    plan["resource_changes"][2]["change"]["after_unknown"]["resource_origin_id"] =
        serde_json::json!(false);
    let file = dir.join("existing-group.json");
    std::fs::write(&file, serde_json::to_string_pretty(&plan).unwrap()).unwrap();
    let (_, report) = lint_json(&[file.to_str().unwrap(), "--context", CONTOSO]);
    assert!(has_gs105(&report), "{:#}", report["findings"]);

    // The plan creates the role-assignable group itself: no context needed.
    let group = "azuread_group.new_admins";
    let new_group = serde_json::json!({"address": group, "mode": "managed", "type": "azuread_group",
        "change": {"actions": ["create"],
            "after": {"display_name": "New admins", "assignable_to_role": true, "security_enabled": true, "members": []},
            "after_unknown": {"id": true, "object_id": true}}});
    let plan = plan_with_new_package(group, &[new_group]);
    let file = dir.join("new-group.json");
    std::fs::write(&file, serde_json::to_string_pretty(&plan).unwrap()).unwrap();
    let (_, report) = lint_json(&[file.to_str().unwrap(), "--as-of", "2026-11-01"]);
    let gs105 = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["ruleId"] == "GS105")
        .unwrap_or_else(|| panic!("{:#}", report));
    assert_eq!(
        gs105["evidence"]["privilegedResources"][0]["reason"],
        "role-assignable group"
    );
    assert!(
        report["warnings"].as_array().unwrap().is_empty(),
        "{:#}",
        report["warnings"]
    );
}
