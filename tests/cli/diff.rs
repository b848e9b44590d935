//! `grantscope diff OLD NEW` on contoso and a copy of it edited in the test: one policy's
//! expiration removed, a guest (with a hostile name) given an assignment, a scope widened, an
//! approval stage dropped and an incompatibility removed. Each change must be reported, the
//! findings they cause must be new, and `--fail-on-new` must set the exit code.

use std::path::{Path, PathBuf};

use grantscope_tests::{grantscope, workspace_root};
use insta_cmd::assert_cmd_snapshot;
use serde_json::{Value, json};

use crate::formats::{run, scratch};

const CONTOSO: &str = "fixtures/tenants/contoso";
const ENGINEERING_WIKI_POLICY: &str = "8798b77e-70ff-5155-aa7b-ea483b9874ef";
const SALES_CRM_POLICY: &str = "a1e6949a-3788-5e04-b13e-0852cd7c3e7b";
const FINANCE_ADMIN_TWO_STAGE: &str = "fcb7ea40-0d68-5302-a9d8-96b69d9fd220";
const PAYMENTS_APPROVE: &str = "2ba34064-daad-539c-b2ac-aedec7dbba94";
const PAYROLL_SYSTEM: &str = "336cb1e6-79cc-5e84-83d0-5bdfcd3eb57f";
const PARTNER_EXTRANET: &str = "cce1ac88-bde5-5047-a887-29f539180b7b";
const NEW_GUEST: &str = "9f1c0a3e-1111-4222-8333-444455556666";
const NEW_ASSIGNMENT: &str = "0a7d3c1e-5555-4666-8777-888899990000";

fn edit(dir: &Path, file: &str, f: impl FnOnce(&mut Value)) {
    let path = dir.join(file);
    let mut doc: Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    f(&mut doc);
    std::fs::write(&path, serde_json::to_string_pretty(&doc).unwrap()).unwrap();
}

fn item<'a>(doc: &'a mut Value, id: &str) -> &'a mut Value {
    doc["value"]
        .as_array_mut()
        .unwrap()
        .iter_mut()
        .find(|v| v["id"] == id)
        .unwrap_or_else(|| panic!("no {id}"))
}

/// A copy of contoso with the five governance changes of this test.
fn edited_contoso(test: &str) -> PathBuf {
    let dir = scratch(test);
    for entry in std::fs::read_dir(workspace_root().join(CONTOSO)).unwrap() {
        let entry = entry.unwrap();
        std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
    }
    edit(&dir, "assignmentPolicies.json", |doc| {
        // 1. The Engineering Wiki policy (P730D) no longer expires.
        item(doc, ENGINEERING_WIKI_POLICY)["expiration"] =
            json!({"endDateTime": null, "duration": null, "type": "noExpiration"});
        // 2. Sales CRM: from the Sales group to every user of the directory.
        let crm = item(doc, SALES_CRM_POLICY);
        crm["allowedTargetScope"] = json!("allDirectoryUsers");
        crm["specificAllowedTargets"] = json!([]);
        // 3. Finance Admin Access: the second approval stage (Security-Team) is dropped.
        item(doc, FINANCE_ADMIN_TWO_STAGE)["requestApprovalSettings"]["stages"]
            .as_array_mut()
            .unwrap()
            .truncate(1);
    });
    // 4. Payments - Approve no longer lists Payroll System as incompatible.
    edit(
        &dir,
        &format!("incompatibleAccessPackages-{PAYMENTS_APPROVE}.json"),
        |doc| doc["value"] = json!([]),
    );
    // 5. A guest with a hostile name gets Partner Extranet.
    edit(&dir, "users.2.json", |doc| {
        doc["value"].as_array_mut().unwrap().push(json!({
            "id": NEW_GUEST,
            "displayName": "Mallory \u{1b}[31m*pwned*|@all",
            "userPrincipalName": "mallory_evil.example#EXT#@contoso.onmicrosoft.com",
            "mail": "mallory@evil.example",
            "userType": "Guest",
            "accountEnabled": true,
            "createdDateTime": "2026-10-25T10:00:00Z",
            "creationType": "Invitation",
            "externalUserState": "Accepted",
            "externalUserStateChangeDateTime": "2026-10-25T10:05:00Z",
            "department": null,
            "jobTitle": null
        }));
    });
    edit(&dir, "assignments.json", |doc| {
        let mut copy = item(doc, "eb1e7f02-db95-50e6-ba0b-20148d7cb24f").clone();
        copy["id"] = json!(NEW_ASSIGNMENT);
        copy["target"]["id"] = json!("0a7d3c1e-aaaa-4bbb-8ccc-dddddddddddd");
        copy["target"]["objectId"] = json!(NEW_GUEST);
        copy["target"]["displayName"] = json!("Mallory");
        copy["target"]["email"] = json!("mallory@evil.example");
        doc["value"].as_array_mut().unwrap().push(copy);
    });
    dir
}

fn diff_json(new: &Path, extra: &[&str]) -> (i32, Value, String) {
    let mut args = vec![
        "diff".to_owned(),
        CONTOSO.to_owned(),
        new.to_str().unwrap().to_owned(),
        "--format".to_owned(),
        "json".to_owned(),
    ];
    args.extend(extra.iter().map(|s| (*s).to_owned()));
    let (code, stdout, stderr) = run(grantscope(args));
    let diff = serde_json::from_str(&stdout)
        .unwrap_or_else(|e| panic!("{e}: stdout {stdout}\nstderr {stderr}"));
    (code, diff, stderr)
}

fn change<'a>(diff: &'a Value, kind: &str, subject: &str) -> &'a Value {
    diff["changes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["kind"] == kind && c["subject"]["id"] == subject)
        .unwrap_or_else(|| panic!("no {kind} of {subject} in {:#}", diff["changes"]))
}

#[test]
fn every_edit_is_reported() {
    let dir = edited_contoso("diff-every-edit");
    let (code, diff, stderr) = diff_json(&dir, &[]);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(diff["schemaVersion"], "1");

    let c = change(&diff, "expirationRemoved", ENGINEERING_WIKI_POLICY);
    assert_eq!(c["direction"], "riskier");
    assert_eq!(c["before"], json!({"type": "afterDuration", "days": 730}));
    assert_eq!(c["after"], json!({"type": "noExpiration"}));

    let c = change(&diff, "scopeWidened", SALES_CRM_POLICY);
    assert_eq!(c["before"]["scope"], "specificDirectoryUsers");
    assert_eq!(c["after"]["scope"], "allDirectoryUsers");

    let c = change(&diff, "approvalWeakened", FINANCE_ADMIN_TWO_STAGE);
    assert_eq!(c["before"]["stages"], 2);
    assert_eq!(c["after"]["stages"], 1);
    assert!(
        c["message"]
            .as_str()
            .unwrap()
            .contains("1 approval stage instead of 2"),
        "{}",
        c["message"]
    );

    let c = change(&diff, "incompatibilityRemoved", PAYMENTS_APPROVE);
    assert_eq!(c["related"][0]["id"], PAYROLL_SYSTEM);

    let c = change(&diff, "assignmentAdded", NEW_ASSIGNMENT);
    assert_eq!(c["details"]["guest"], true);
    assert_eq!(c["details"]["accessPackageId"], PARTNER_EXTRANET);
    assert!(
        c["message"]
            .as_str()
            .unwrap()
            .starts_with("Guest \"Mallory"),
        "{}",
        c["message"]
    );
    assert_eq!(diff["summary"]["guestAssignmentsAdded"], 1);

    assert_eq!(diff["notCompared"], json!([]));
    // Exactly these five changes: nothing else differs between the two exports.
    assert_eq!(diff["summary"]["changes"], 5, "{:#}", diff["changes"]);

    // Findings: the edits cause new ones, and the expiration that went also fixed one.
    let has = |list: &str, rule: &str, subject: &str| {
        diff["findings"][list]
            .as_array()
            .unwrap()
            .iter()
            .any(|f| f["ruleId"] == rule && f["subject"]["id"] == subject)
    };
    assert!(has("new", "GS105", FINANCE_ADMIN_TWO_STAGE));
    assert!(has("new", "GS301", ENGINEERING_WIKI_POLICY));
    assert!(has("new", "GS101", SALES_CRM_POLICY));
    assert!(has("new", "GS404", PAYROLL_SYSTEM));
    assert!(has("fixed", "GS302", ENGINEERING_WIKI_POLICY));
}

#[test]
fn fail_on_new_sets_the_exit_code() {
    let dir = edited_contoso("diff-fail-on-new");
    let (code, _, stderr) = diff_json(&dir, &["--fail-on-new", "high"]);
    assert_eq!(code, 1);
    assert!(
        stderr.contains("new findings at or above `high` (--fail-on-new); exiting with 1"),
        "{stderr}"
    );
    // Nothing new is critical.
    let (code, _, _) = diff_json(&dir, &["--fail-on-new", "critical"]);
    assert_eq!(code, 0);
}

#[test]
fn identical_exports_have_no_changes() {
    let (code, stdout, stderr) = run(grantscope([
        "diff",
        CONTOSO,
        CONTOSO,
        "--fail-on-new",
        "info",
    ]));
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stdout.starts_with("grantscope diff: 0 changes; 0 new findings, 0 fixed\n"),
        "{stdout}"
    );
    assert!(stdout.contains("  old: fixtures/tenants/contoso (as of 2026-11-01, "));
    assert!(stdout.ends_with("\nNo governance changes.\n"), "{stdout}");
}

/// The text and Markdown renderings, with the scratch folder's path replaced.
fn rendered(format: &str) -> String {
    let dir = edited_contoso(&format!("diff-{format}"));
    let (code, stdout, stderr) = run(grantscope([
        "diff",
        CONTOSO,
        dir.to_str().unwrap(),
        "--format",
        format,
    ]));
    let out =
        format!("exit_code: {code}\n----- stderr -----\n{stderr}----- stdout -----\n{stdout}");
    // Markdown escapes every ASCII punctuation character of the path.
    let path = dir.to_str().unwrap();
    let escaped: String = path
        .chars()
        .flat_map(|c| {
            if c.is_ascii_punctuation() {
                vec!['\\', c]
            } else {
                vec![c]
            }
        })
        .collect();
    out.replace(path, "[NEW]").replace(&escaped, "[NEW]")
}

#[test]
fn text_of_the_edits() {
    let text = rendered("text");
    assert!(!text.contains('\u{1b}'), "terminal escapes are defused");
    insta::assert_snapshot!(text);
}

#[test]
fn markdown_of_the_edits() {
    let md = rendered("markdown");
    assert!(!md.contains("*pwned*") && !md.contains("@all"), "{md}");
    insta::assert_snapshot!(md);
}

#[test]
fn output_file_and_errors() {
    let dir = edited_contoso("diff-output");
    let out = dir.join("diff.json");
    let (code, stdout, _) = run(grantscope([
        Path::new("diff"),
        Path::new(CONTOSO),
        dir.as_path(),
        Path::new("--format"),
        Path::new("json"),
        Path::new("--output"),
        out.as_path(),
    ]));
    assert_eq!(code, 0);
    assert!(stdout.is_empty());
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(written["summary"]["changes"], 5);

    let (code, _, stderr) = run(grantscope(["diff", CONTOSO, "does/not/exist"]));
    assert_eq!(code, 2);
    assert!(
        stderr.contains("cannot read NEW `does/not/exist`"),
        "{stderr}"
    );
}

#[test]
fn diff_help() {
    assert_cmd_snapshot!(grantscope(["diff", "--help"]));
}
