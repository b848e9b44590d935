//! `grantscope collect` against a mock Graph on 127.0.0.1 serving the contoso fixture: paging,
//! `$batch`, throttling, a dropped connection, a forbidden dataset, the device code flow, resume;
//! the collected folder must load cleanly and give the fixture's findings.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use grantscope_tests::grantscope;
use grantscope_tests::mock_graph::{Faults, MockGraph, TENANT_ID};
use serde_json::Value;

const FIXTURE: &str = "fixtures/tenants/contoso";
const CONFIG: &str = "fixtures/tenants/contoso/grantscope.toml";
const EM: &str = "/identityGovernance/entitlementManagement";

/// A fresh, absent output folder for one test.
fn out_dir(test: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("grantscope-collect-{test}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

/// `grantscope collect --out DIR --graph-url MOCK --login-url MOCK ARGS…`, without proxies from
/// the environment (the mock is on this machine).
fn collect(mock: &MockGraph, out: &Path, args: &[&str]) -> Command {
    let mut command = grantscope(["collect", "--out"]);
    command
        .arg(out)
        .args(["--graph-url", &mock.url(), "--login-url", &mock.url()])
        .args(args);
    for var in [
        "HTTP_PROXY",
        "HTTPS_PROXY",
        "ALL_PROXY",
        "http_proxy",
        "https_proxy",
        "all_proxy",
    ] {
        command.env_remove(var);
    }
    command
}

/// `collect` with the mock's token in `GRAPH_TOKEN`.
fn collect_with_token(mock: &MockGraph, out: &Path, args: &[&str]) -> Output {
    let mut command = collect(mock, out, &["--token-env", "GRAPH_TOKEN"]);
    command.args(args).env("GRAPH_TOKEN", mock.token());
    command.output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn manifest(out: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(out.join("manifest.json")).unwrap()).unwrap()
}

/// The findings (rule, subject, fingerprint) and each rule's coverage status of `check PATH`
/// with the fixture's configuration (its as-of date and separation-of-duties rules).
struct Checked {
    findings: BTreeSet<(String, String, String)>,
    coverage: BTreeMap<String, String>,
}

fn check(path: &Path) -> Checked {
    let out = grantscope([
        "check",
        "--format",
        "json",
        "--exit-zero",
        "--config",
        CONFIG,
    ])
    .arg(path)
    .output()
    .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let findings = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            (
                f["ruleId"].as_str().unwrap().to_owned(),
                f["subject"]["id"].as_str().unwrap().to_owned(),
                f["fingerprint"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    let coverage = report["coverage"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| {
            (
                c["ruleId"].as_str().unwrap().to_owned(),
                c["status"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    Checked { findings, coverage }
}

/// `inventory PATH --format json`, which must load every file: exit 0, nothing on stderr, no
/// failed file, no warning.
fn inventory(path: &Path) -> Value {
    let output = grantscope(["inventory", "--format", "json"])
        .arg(path)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{}", text(&output.stderr));
    assert!(output.stderr.is_empty(), "{}", text(&output.stderr));
    let inventory: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(inventory["summary"]["failed"], 0);
    assert_eq!(inventory["warnings"], serde_json::json!([]));
    inventory
}

/// The collected folder loads cleanly with the fixture's object counts.
fn assert_loads_cleanly(out: &Path) {
    assert_eq!(
        inventory(out)["counts"],
        inventory(Path::new(FIXTURE))["counts"]
    );
}

/// No token (its signature part, secret enough to look for) appears in any output or in any
/// file of the collection.
fn assert_tokens_nowhere(secrets: &[String], out: &Path, outputs: &[&Output]) {
    for secret in secrets {
        for output in outputs {
            assert!(!text(&output.stdout).contains(secret.as_str()));
            assert!(!text(&output.stderr).contains(secret.as_str()));
        }
        for entry in std::fs::read_dir(out).unwrap() {
            let path = entry.unwrap().path();
            let content = text(&std::fs::read(&path).unwrap());
            assert!(!content.contains(secret.as_str()), "{}", path.display());
            assert!(!content.contains("Bearer"), "{}", path.display());
        }
    }
}

fn files(out: &Path) -> BTreeSet<String> {
    std::fs::read_dir(out)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect()
}

#[test]
fn device_code_sign_in_token_renewal_paging_batches_throttling_and_dropped_connections() {
    let mock = MockGraph::start(
        Path::new(FIXTURE),
        7,
        Faults {
            // A 429 with Retry-After: 1 on a collection and on one per-group sub-request.
            throttle_once: vec![format!("{EM}/assignments?"), "/transitiveMembers".into()],
            // A connection closed without an answer on a collection and on a $batch.
            drop_once: vec![format!("{EM}/assignmentRequests?"), "/$batch".into()],
            // The token expires mid-collection: the refresh token renews it.
            expire_token_after: Some(30),
            ..Faults::default()
        },
    );
    let out = out_dir("full");
    let run = collect(
        &mock,
        &out,
        &[
            "--client-id",
            "11111111-2222-3333-4444-555555555555",
            "--tenant",
            TENANT_ID,
        ],
    )
    .output()
    .unwrap();
    let stderr = text(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    // The device code instruction is shown; nothing failed or was skipped.
    assert!(stderr.contains("enter the code MOCKCODE"), "{stderr}");
    assert!(
        !stderr.contains("failed") && !stderr.contains("skipped"),
        "{stderr}"
    );
    assert!(
        text(&run.stdout).starts_with("Collected "),
        "{}",
        text(&run.stdout)
    );
    // devicecode, 2 polls of /token, 1 renewal.
    assert_eq!(mock.count("POST /") - mock.count("POST /v1.0/$batch"), 4);
    assert_eq!(mock.refreshes(), 1);

    // Pages as their own files, named as the recipe says.
    let names = files(&out);
    for name in [
        "catalogs.json",
        "users.json",
        "users.2.json",
        "users.6.json",
        "assignments.7.json",
        "settings.json",
        "signInActivity.json",
        "groupMembers-8b5cff74-00b5-5011-9317-24733c9b7754.json",
        "groupMembers-8b5cff74-00b5-5011-9317-24733c9b7754.5.json",
        "groupDirectMembers-8b5cff74-00b5-5011-9317-24733c9b7754.json",
        "incompatibleGroups-032cf5e8-809f-50cf-b7f5-c0b6428230b8.json",
        "catalogResources-42e9dbc1-10e8-531d-bbba-76256279650f.json",
        "manifest.json",
    ] {
        assert!(names.contains(name), "{name} missing from {names:?}");
    }
    assert!(!names.contains("users.7.json"));
    assert!(!names.iter().any(|n| n.starts_with('.')), "{names:?}");
    // Every group, catalog and package file of the fixture was fetched, no more.
    let fixture_objects: BTreeSet<String> = files(Path::new(&format!(
        "{}/{FIXTURE}",
        grantscope_tests::workspace_root().display()
    )))
    .into_iter()
    .filter(|n| n.contains('-') && n.ends_with(".json"))
    .collect();
    let collected_objects: BTreeSet<String> = names
        .iter()
        .filter(|n| n.contains('-') && n.split('.').count() == 2)
        .cloned()
        .collect();
    assert_eq!(collected_objects, fixture_objects);

    // Per-object requests went 20 to a batch; the faults were retried.
    assert_eq!(mock.largest_batch(), 20);
    assert_eq!(
        mock.count(&format!(
            "GET /v1.0{EM}/assignments?$expand=target,accessPackage,assignmentPolicy"
        )) - mock.count("assignmentPolicy&$skiptoken"),
        2
    );
    assert_eq!(
        mock.count(&format!(
            "GET /v1.0{EM}/assignmentRequests?$expand=requestor,accessPackage,assignment"
        )) - mock.count("assignment&$skiptoken"),
        2
    );

    // The manifest: tool, tenant, each request with its files and items, nothing failed.
    let manifest = manifest(&out);
    assert_eq!(manifest["tool"]["name"], "grantscope");
    assert_eq!(manifest["tenantId"], TENANT_ID);
    assert_eq!(manifest["complete"], true);
    assert_eq!(manifest["failures"], serde_json::json!([]));
    let requests = manifest["requests"].as_array().unwrap();
    let users = requests.iter().find(|r| r["dataset"] == "users").unwrap();
    assert_eq!(users["items"], 41); // 21 + 20: the fixture repeats a user across its pages
    assert_eq!(users["files"].as_array().unwrap().len(), 6);
    assert_eq!(users["status"], "collected");
    assert_eq!(
        requests
            .iter()
            .filter(|r| r["dataset"] == "groupMembers")
            .count(),
        31
    );
    assert_eq!(
        manifest["summary"]["files"].as_u64().unwrap() + 1,
        names.len() as u64
    );

    // The folder loads and gives exactly the fixture's findings.
    assert_loads_cleanly(&out);
    let collected = check(&out);
    let fixture = check(Path::new(FIXTURE));
    assert!(fixture.findings.len() > 50);
    assert_eq!(collected.findings, fixture.findings);
    assert_eq!(collected.coverage, fixture.coverage);

    assert_tokens_nowhere(&mock.secrets(), &out, &[&run]);
    std::fs::remove_dir_all(out).unwrap();
}

#[test]
fn forbidden_sign_in_activity_is_skipped_and_its_rules_are_not_evaluated() {
    let mock = MockGraph::start(
        Path::new(FIXTURE),
        25,
        Faults {
            forbidden: vec!["signInActivity".into()],
            ..Faults::default()
        },
    );
    let out = out_dir("forbidden");
    let run = collect_with_token(&mock, &out, &[]);
    let stderr = text(&run.stderr);
    assert_eq!(run.status.code(), Some(0), "{stderr}");
    assert!(
        stderr.contains("skipped: signInActivity.json: HTTP 403"),
        "{stderr}"
    );
    assert!(
        text(&run.stdout).contains("1 skipped"),
        "{}",
        text(&run.stdout)
    );
    assert!(!out.join("signInActivity.json").exists());

    let manifest = manifest(&out);
    assert_eq!(manifest["complete"], true);
    let failures = manifest["failures"].as_array().unwrap();
    assert_eq!(failures.len(), 1, "{failures:?}");
    assert_eq!(failures[0]["dataset"], "signInActivity");
    assert_eq!(failures[0]["file"], "signInActivity.json");
    assert_eq!(failures[0]["status"], "skipped");
    assert_eq!(failures[0]["httpStatus"], 403);
    assert_eq!(
        failures[0]["errorCode"],
        "Authentication_RequestFromNonPremiumTenantOrB2CTenant"
    );
    assert!(
        failures[0]["reason"]
            .as_str()
            .unwrap()
            .contains("premium license")
    );

    assert_loads_cleanly(&out);
    let collected = check(&out);
    let fixture = check(Path::new(FIXTURE));
    // The rules that need sign-in activity are not evaluated (GS501 stale-guest among them),
    // where the fixture evaluates them; every other rule gives the same findings.
    let not_evaluated: BTreeSet<&String> = collected
        .coverage
        .iter()
        .filter(|(_, status)| status.as_str() == "notEvaluated")
        .map(|(rule, _)| rule)
        .collect();
    assert!(
        not_evaluated.contains(&"GS501".to_owned()),
        "{not_evaluated:?}"
    );
    for rule in &not_evaluated {
        assert_eq!(fixture.coverage[*rule], "evaluated", "{rule}");
    }
    let expected: BTreeSet<_> = fixture
        .findings
        .iter()
        .filter(|(rule, _, _)| !not_evaluated.contains(rule))
        .cloned()
        .collect();
    assert!(expected.len() < fixture.findings.len());
    assert_eq!(collected.findings, expected);

    assert_tokens_nowhere(&mock.secrets(), &out, &[&run]);
    std::fs::remove_dir_all(out).unwrap();
}

#[test]
fn resume_fetches_only_what_is_missing() {
    const GROUP: &str = "12f983fc-88d3-50d6-9909-6fc843a91f94";
    let out = out_dir("resume");
    let assignments = format!("{EM}/assignments?");
    let members = format!("/groups/{GROUP}/transitiveMembers");

    // First run: one collection and one group's members keep failing.
    let failing = MockGraph::start(
        Path::new(FIXTURE),
        10,
        Faults {
            fail_always: vec![assignments.clone(), members.clone()],
            ..Faults::default()
        },
    );
    let first = collect_with_token(&failing, &out, &["--retries", "1"]);
    let stderr = text(&first.stderr);
    assert_eq!(first.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("failed: assignments.json: HTTP 500"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("failed: groupMembers-{GROUP}.json: HTTP 500")),
        "{stderr}"
    );
    assert!(
        stderr.contains("run the same command with --resume"),
        "{stderr}"
    );
    // Each was sent twice (one retry), and nothing of them is on disk.
    assert_eq!(failing.count(&format!("GET /v1.0{assignments}")), 2);
    assert_eq!(failing.count(&format!("BATCH GET {members}")), 2);
    let manifest_1 = manifest(&out);
    assert_eq!(manifest_1["complete"], false);
    assert_eq!(manifest_1["summary"]["failed"], 2);
    assert!(!out.join("assignments.json").exists());
    assert!(!out.join(format!("groupMembers-{GROUP}.json")).exists());
    drop(failing);

    // Without --resume the folder is refused.
    let mock = MockGraph::start(Path::new(FIXTURE), 10, Faults::default());
    let refused = collect_with_token(&mock, &out, &[]);
    assert_eq!(refused.status.code(), Some(2));
    assert!(text(&refused.stderr).contains("pass --resume"));
    assert!(mock.requests().is_empty());

    // An interruption between two pages of users, and a write cut short.
    std::fs::remove_file(out.join("users.3.json")).unwrap();
    std::fs::write(out.join(".users.3.json.partial"), "{\"value\": [").unwrap();

    let second = collect_with_token(&mock, &out, &["--resume"]);
    assert_eq!(second.status.code(), Some(0), "{}", text(&second.stderr));
    let requests = mock.requests();
    let users = format!("GET /v1.0{}", "/users?$select=id,displayName");
    for request in &requests {
        assert!(
            request.starts_with(&format!("GET /v1.0{assignments}"))
                || request.starts_with(&users)
                || request == "POST /v1.0/$batch"
                || request.starts_with(&format!("BATCH GET {members}"))
                || request == &format!("BATCH GET /groups/{GROUP}/members"),
            "fetched again: {request}"
        );
    }
    // assignments: 46 items in pages of 10; users: 41 in pages of 10; the group's members in
    // one batch, then (now that they show it nests groups) its direct members in another.
    assert_eq!(mock.count(&format!("GET /v1.0{assignments}")), 5);
    assert_eq!(mock.count(&users), 5);
    assert_eq!(mock.count("POST /v1.0/$batch"), 2);
    assert_eq!(requests.len(), 5 + 5 + 2 + 2);

    let manifest_2 = manifest(&out);
    assert_eq!(manifest_2["complete"], true);
    assert_eq!(manifest_2["summary"]["collected"], 4);
    assert_eq!(manifest_2["summary"]["failed"], 0);
    assert!(manifest_2["summary"]["alreadyComplete"].as_u64().unwrap() > 100);
    assert!(!files(&out).iter().any(|n| n.starts_with('.')));

    assert_loads_cleanly(&out);
    assert_eq!(check(&out).findings, check(Path::new(FIXTURE)).findings);
    assert_tokens_nowhere(&mock.secrets(), &out, &[&first, &second]);
    std::fs::remove_dir_all(out).unwrap();
}

#[test]
fn include_since_and_prerequisites_not_saved() {
    let mock = MockGraph::start(Path::new(FIXTURE), 50, Faults::default());
    let out = out_dir("include");
    let run = collect_with_token(
        &mock,
        &out,
        &["--include", "groupMembers,auditLogs", "--since", "30"],
    );
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let names = files(&out);
    assert_eq!(
        names
            .iter()
            .filter(|n| n.starts_with("groupMembers-"))
            .count(),
        31
    );
    assert!(names.contains("auditLogs.json"));
    assert_eq!(names.len(), 31 + 2, "{names:?}"); // + auditLogs.json, manifest.json

    let manifest = manifest(&out);
    let since = manifest["options"]["auditLogsSince"].as_str().unwrap();
    assert!(since.ends_with("T00:00:00Z"), "{since}");
    assert_eq!(
        manifest["options"]["datasets"],
        serde_json::json!(["groupMembers", "auditLogs"])
    );
    let requests = manifest["requests"].as_array().unwrap();
    let audit = requests
        .iter()
        .find(|r| r["dataset"] == "auditLogs")
        .unwrap();
    assert_eq!(
        audit["request"],
        format!(
            "GET /auditLogs/directoryAudits?$filter=category eq 'EntitlementManagement' and \
             activityDateTime ge {since}"
        )
    );
    // The mock bounds the events by date as Graph does.
    let events: Value = serde_json::from_slice(
        &std::fs::read(
            grantscope_tests::workspace_root()
                .join(FIXTURE)
                .join("auditLogs.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let expected = events["value"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["activityDateTime"].as_str().unwrap() >= since)
        .count();
    assert_eq!(audit["items"], expected);
    // What groupMembers needs was fetched, not saved; nothing else was asked.
    let not_saved: BTreeSet<&str> = requests
        .iter()
        .filter(|r| r["status"] == "notSaved")
        .map(|r| r["dataset"].as_str().unwrap())
        .collect();
    assert_eq!(
        not_saved,
        BTreeSet::from([
            "catalogs",
            "catalogResources",
            "accessPackages",
            "assignmentPolicies",
            "connectedOrganizations",
            "guestSponsors",
            "incompatibleGroups",
        ])
    );
    assert_eq!(mock.count("GET /v1.0/users?$select=id,displayName"), 0);
    assert_eq!(mock.count("incompatibleAccessPackages"), 0);
    std::fs::remove_dir_all(out).unwrap();
}

#[test]
fn a_rejected_token_stops_the_run_and_leaves_a_manifest() {
    let mock = MockGraph::start(Path::new(FIXTURE), 50, Faults::default());
    let out = out_dir("rejected");
    let mut command = collect(&mock, &out, &["--token-env", "GRAPH_TOKEN"]);
    let wrong = "eyJhbGciOiJub25lIn0.eyJ0aWQiOiJ4In0.not-the-right-signature-5ecret";
    let run = command.env("GRAPH_TOKEN", wrong).output().unwrap();
    let stderr = text(&run.stderr);
    assert_eq!(run.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("Graph rejected the access token (HTTP 401"),
        "{stderr}"
    );
    assert_eq!(mock.requests().len(), 1);
    assert_eq!(manifest(&out)["complete"], false);
    let secret = wrong.rsplit('.').next().unwrap().to_owned();
    assert_tokens_nowhere(&[secret], &out, &[&run]);
    std::fs::remove_dir_all(out).unwrap();
}

#[test]
fn usage_errors_exit_2() {
    let mock = MockGraph::start(Path::new(FIXTURE), 50, Faults::default());
    let out = out_dir("usage");
    // Neither --client-id nor --token-env.
    let run = collect(&mock, &out, &[]).output().unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert!(
        text(&run.stderr).contains("--client-id"),
        "{}",
        text(&run.stderr)
    );
    // The variable is not set.
    let run = collect(&mock, &out, &["--token-env", "GRANTSCOPE_NO_SUCH_VAR"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert!(
        text(&run.stderr).contains("`GRANTSCOPE_NO_SUCH_VAR` (--token-env) is not set"),
        "{}",
        text(&run.stderr)
    );
    // Plain http to another machine would send the token in clear.
    let run = grantscope(["collect", "--out"])
        .arg(&out)
        .args(["--token-env", "PATH", "--graph-url", "http://graph.example"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert!(text(&run.stderr).contains("must be an https URL"));
    // An unknown dataset names the valid ones.
    let run = collect(&mock, &out, &["--token-env", "X", "--exclude", "signins"])
        .output()
        .unwrap();
    assert_eq!(run.status.code(), Some(2));
    assert!(text(&run.stderr).contains("signInActivity"));
    assert!(mock.requests().is_empty());
    let _ = std::fs::remove_dir_all(out);
}

#[test]
fn collect_help() {
    insta_cmd::assert_cmd_snapshot!(grantscope(["collect", "--help"]));
}
