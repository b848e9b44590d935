//! Adversarial exports through `grantscope check`: every input of `fixtures/malformed/`, and the
//! inputs too large to commit, generated here under `target/adversarial/`. Each one either exits 2
//! with a message that names the file, the place and what is wrong, or loads (exit 0 or 1) with
//! its problems reported as warnings — and every run finishes (a run still going after ten minutes
//! fails the test; nothing here asserts timings).

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use grantscope_tests::{grantscope, run_with_limit, workspace_root};

const MALFORMED: &str = "fixtures/malformed";
const GRAPH: &str = "https://graph.microsoft.com/v1.0/$metadata#";

/// What one run printed.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

impl Run {
    fn report(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not a JSON report ({e}); stderr:\n{}",
                self.stderr
            )
        })
    }

    fn warnings(&self) -> Vec<String> {
        self.report()["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|w| w["message"].as_str().unwrap().to_owned())
            .collect()
    }

    fn rules(&self) -> Vec<String> {
        self.report()["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["ruleId"].as_str().unwrap().to_owned())
            .collect()
    }
}

/// `grantscope check PATH --as-of 2026-11-01 --no-config ARGS…`, killed (and the test failed)
/// if it has not finished after ten minutes.
fn check(path: &Path, args: &[&str]) -> Run {
    let mut command = grantscope(["check"]);
    command
        .arg(path)
        .args(["--as-of", "2026-11-01", "--no-config"])
        .args(args);
    run(command, Duration::from_secs(600))
}

fn run(command: Command, limit: Duration) -> Run {
    let output = run_with_limit(command, limit);
    Run {
        code: output
            .status
            .code()
            .expect("grantscope exited normally, not by a signal"),
        stdout: String::from_utf8(output.stdout).expect("stdout is UTF-8"),
        stderr: String::from_utf8(output.stderr).expect("stderr is UTF-8"),
    }
}

/// A scratch folder under `target/adversarial/`, emptied first.
fn scratch(name: &str) -> PathBuf {
    let dir = workspace_root().join("target/adversarial").join(name);
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// How an input of the corpus must end.
enum Expect {
    /// Exit 2; stderr has `FILE[:LINE[:COL]]: [at PATH: ]MESSAGE` with this file (relative to
    /// the path given), place and message.
    Fails {
        file: &'static str,
        place: &'static str,
        message: &'static str,
    },
    /// Loads: this exit code, and a warning containing each of these texts.
    Loads {
        code: i32,
        warnings: &'static [&'static str],
    },
    /// Loads: this exit code, and findings of these rules (among others).
    Finds {
        code: i32,
        rules: &'static [&'static str],
    },
}

use Expect::{Fails, Finds, Loads};

/// Every entry of `fixtures/malformed/{json,csv,zip}` (README.md there says what each one is).
const CORPUS: &[(&str, Expect)] = &[
    (
        "json/conflicting-duplicates",
        Loads {
            code: 0,
            warnings: &[
                "user `u1` also appears in users.2.json (line 4) with different display_name; the first copy is kept",
            ],
        },
    ),
    (
        "json/deep-item.json",
        Fails {
            file: "",
            place: ":2:177: at $.value[0].x: ",
            message: "the JSON is nested more than 128 levels deep, the limit",
        },
    ),
    (
        "json/deep-nesting.json",
        Fails {
            file: "",
            place: ":1:129: at $[0][0][0]: ",
            message: "the JSON is nested more than 128 levels deep, the limit",
        },
    ),
    (
        "json/depth-at-limit.json",
        Loads {
            code: 0,
            warnings: &[],
        },
    ),
    (
        "json/empty.json",
        Fails {
            file: "",
            place: ": ",
            message: "the file is empty: expected JSON or a portal CSV download",
        },
    ),
    (
        "json/expand-limit-20.json",
        Loads {
            code: 0,
            warnings: &["exactly 20 items, Graph's $expand limit: it may be truncated"],
        },
    ),
    (
        "json/float-overflow.json",
        Fails {
            file: "",
            place: ":2:47: at $.value[0].durationInDays: ",
            message: "number out of range",
        },
    ),
    (
        "json/group-members-without-owner.json",
        Loads {
            code: 0,
            warnings: &["a directoryObjects list that does not say whose members it holds"],
        },
    ),
    (
        "json/identical-duplicates",
        Loads {
            code: 0,
            warnings: &[],
        },
    ),
    (
        "json/invalid-utf8.json",
        Fails {
            file: "",
            place: ":1:45: ",
            message: "invalid UTF-8 at byte 44: expected UTF-8 text (or UTF-16 with a byte-order mark)",
        },
    ),
    (
        "json/missing-references",
        Finds {
            code: 1,
            rules: &["GS601"],
        },
    ),
    (
        "json/not-json.json",
        Loads {
            code: 0,
            warnings: &[],
        },
    ),
    (
        "json/number-overflow.json",
        Fails {
            file: "",
            place: ":2:65: at $.value[0].durationInDays: ",
            message: "invalid value: floating point `1e+23`, expected an integer",
        },
    ),
    (
        "json/orphan-incompatibilities",
        Loads {
            code: 0,
            warnings: &[
                "belong to access package `p-missing`, which is not in the export; they are ignored",
            ],
        },
    ),
    (
        "json/placeholder-timestamp.json",
        Fails {
            file: "",
            place: ":9:45: at $.value[0].createdDateTime: ",
            message: "invalid value: string \"String (timestamp)\", expected an ISO 8601 date-time",
        },
    ),
    (
        "json/quirks-tolerated.json",
        Finds {
            code: 1,
            rules: &["GS304"],
        },
    ),
    (
        "json/string-booleans.json",
        Loads {
            code: 1,
            warnings: &["this policy has no id; it is kept under the synthetic id"],
        },
    ),
    (
        "json/trailing-comma.json",
        Fails {
            file: "",
            place: ":3:77: at $.value[0]: ",
            message: "trailing comma: JSON does not allow a `,` before `}` (remove it)",
        },
    ),
    (
        "json/truncated.json",
        Fails {
            file: "",
            place: ":14: at $.value[1]: ",
            message: "EOF while parsing an object",
        },
    ),
    (
        "json/unknown-enum.json",
        Loads {
            code: 0,
            warnings: &["unknown value `teleported`; kept verbatim"],
        },
    ),
    (
        "json/unrecognised.json",
        Loads {
            code: 0,
            warnings: &["unrecognised JSON: no known @odata.context, object shape or file name"],
        },
    ),
    (
        "json/unresolved-targets",
        Loads {
            code: 1,
            warnings: &["name their target only by accessPackageSubject id"],
        },
    ),
    (
        "json/utf16-no-bom.json",
        Fails {
            file: "",
            place: ": ",
            message: "the file looks like UTF-16 without a byte-order mark; save it as UTF-8",
        },
    ),
    (
        "json/wrong-type.json",
        Fails {
            file: "",
            place: ":14:31: at $.value[1].accountEnabled: ",
            message: "invalid value: string \"maybe\", expected a boolean (true or false)",
        },
    ),
    (
        "csv/audit-bad-date.csv",
        Fails {
            file: "",
            place: ":3:1: at row 2, column \"Date (UTC)\": ",
            message: "expected a UTC date and time such as 2026-10-02T09:14:03Z",
        },
    ),
    (
        "csv/audit-embedded-newlines.csv",
        Loads {
            code: 0,
            warnings: &[],
        },
    ),
    (
        "csv/audit-formula-cells.csv",
        Loads {
            code: 0,
            warnings: &[],
        },
    ),
    (
        "csv/audit-header-only.csv",
        Loads {
            code: 0,
            warnings: &[],
        },
    ),
    (
        "csv/audit-localised-data-utc.csv",
        Loads {
            code: 0,
            warnings: &[],
        },
    ),
    (
        "csv/ragged.csv",
        Fails {
            file: "",
            place: ":3: at row 2: ",
            message: "expected 86 fields, found 3: every row must have as many fields as the header",
        },
    ),
    (
        "csv/users-bad-cells.csv",
        Loads {
            code: 0,
            warnings: &[
                "expected True or False, found \"perhaps\"; the field is left empty",
                "found \"the day before\"; the field is left empty",
            ],
        },
    ),
    (
        "csv/users-missing-id.csv",
        Fails {
            file: "",
            place: ":3: at row 2, column \"id\": ",
            message: "the row has no object id: every user needs one",
        },
    ),
    (
        "zip/bomb-lying-header.zip",
        Fails {
            file: "",
            place: ": ",
            message: "entry bomb.json expands to more than 1000 times its compressed size of 10203 bytes, the limit; the archive may be a zip bomb",
        },
    ),
    (
        "zip/bomb.zip",
        Fails {
            file: "",
            place: ": ",
            message: "entry bomb.json expands to more than 1000 times its compressed size of 10203 bytes, the limit; the archive may be a zip bomb",
        },
    ),
    (
        "zip/corrupt-entry.zip",
        Fails {
            file: "",
            place: ": ",
            message: "entry \"users.json\" is corrupt (corrupt deflate stream)",
        },
    ),
    (
        "zip/corrupt.zip",
        Fails {
            file: "",
            place: ": ",
            message: "cannot read the zip archive (invalid Zip archive: Could not find EOCD)",
        },
    ),
    (
        "zip/encrypted.zip",
        Loads {
            code: 0,
            warnings: &["entry \"secret.json\" was ignored because it is encrypted"],
        },
    ),
    (
        "zip/nested-three-deep.zip",
        Fails {
            file: "/level1.zip/level2.zip",
            place: ": ",
            message: "archives nested more than 2 deep are not expanded",
        },
    ),
    (
        "zip/overlap.zip",
        Fails {
            file: "",
            place: ": ",
            message: "entries \"copy00.json\" and \"copy01.json\" overlap (they share compressed data), which no zip tool writes; the archive may be a zip bomb",
        },
    ),
    (
        "zip/traversal.zip",
        Loads {
            code: 0,
            warnings: &[
                "entry \"../evil.json\" was ignored because its path escapes the archive (\"..\")",
                "entry \"/abs.json\" was ignored because its path is absolute",
                "entry \"C:\\windows\\abs.json\" was ignored because its path is absolute",
                "entry \"nested/../../escape.json\" was ignored because its path escapes the archive",
            ],
        },
    ),
];

/// Checks one run against its expectation; returns what is wrong.
fn verdict(name: &str, path: &str, expect: &Expect, text: &Run, json: &Run) -> Option<String> {
    let mut problems = String::new();
    match expect {
        Fails {
            file,
            place,
            message,
        } => {
            let expected = format!("{path}{file}{place}{message}");
            if text.code != 2 || json.code != 2 {
                let _ = write!(
                    problems,
                    "exit {} and {} instead of 2; ",
                    text.code, json.code
                );
            }
            if !text.stderr.lines().any(|l| l.starts_with(&expected)) {
                let _ = write!(problems, "stderr lacks a line starting `{expected}`; ");
            }
            if !text.stderr.contains("error: 1 of ") {
                problems.push_str("stderr does not count the failed file; ");
            }
            // The report of what did load is still printed, and is valid JSON.
            let report = json.report();
            let failed = report["inputs"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|i| i["status"] == "failed")
                .count();
            if failed != 1 {
                let _ = write!(problems, "{failed} inputs failed in the JSON report; ");
            }
        }
        Loads { code, warnings } => {
            if text.code != *code || json.code != *code {
                let _ = write!(
                    problems,
                    "exit {} and {} instead of {code}; ",
                    text.code, json.code
                );
            }
            if text.stderr.contains("failed to load") {
                problems.push_str("a file failed to load; ");
            }
            let got = json.warnings();
            for w in *warnings {
                if !got.iter().any(|g| g.contains(w)) {
                    let _ = write!(problems, "no warning contains `{w}` (warnings: {got:?}); ");
                }
            }
        }
        Finds { code, rules } => {
            if text.code != *code || json.code != *code {
                let _ = write!(
                    problems,
                    "exit {} and {} instead of {code}; ",
                    text.code, json.code
                );
            }
            if text.stderr.contains("failed to load") {
                problems.push_str("a file failed to load; ");
            }
            let got = json.rules();
            for r in *rules {
                if !got.iter().any(|g| g == r) {
                    let _ = write!(problems, "no {r} finding (found {got:?}); ");
                }
            }
        }
    }
    (!problems.is_empty()).then(|| format!("{name}: {problems}\n  stderr: {}", text.stderr.trim()))
}

#[test]
fn every_malformed_input_fails_clearly_or_loads_with_warnings() {
    // The table covers the whole corpus: a new fixture needs its expectation here.
    let mut on_disk = Vec::new();
    for kind in ["json", "csv", "zip"] {
        for entry in std::fs::read_dir(workspace_root().join(MALFORMED).join(kind)).unwrap() {
            let name = entry.unwrap().file_name().to_string_lossy().into_owned();
            if !name.ends_with(".py") && !name.ends_with(".md") {
                on_disk.push(format!("{kind}/{name}"));
            }
        }
    }
    on_disk.sort();
    let mut listed: Vec<String> = CORPUS.iter().map(|(n, _)| (*n).to_owned()).collect();
    listed.sort();
    assert_eq!(
        listed, on_disk,
        "CORPUS must list every fixture of {MALFORMED}"
    );

    let mut problems = Vec::new();
    for (name, expect) in CORPUS {
        let path = format!("{MALFORMED}/{name}");
        let text = check(Path::new(&path), &[]);
        let json = check(Path::new(&path), &["--format", "json"]);
        // Only files fail here; a folder's files would be named relative to it.
        let shown = if Path::new(&path).is_dir() {
            String::new()
        } else {
            path.clone()
        };
        problems.extend(verdict(name, &shown, expect, &text, &json));
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}

/// A Graph collection response.
fn page(context: &str, items: &str) -> String {
    format!("{{\"@odata.context\": \"{GRAPH}{context}\", \"value\": [{items}]}}")
}

fn write(dir: &Path, name: &str, text: &str) {
    std::fs::write(dir.join(name), text).unwrap();
}

#[test]
fn a_50_mb_display_name_loads_and_is_reported() {
    let dir = scratch("long-string");
    let name = "Ä".repeat(25 * 1024 * 1024); // 50 MiB of UTF-8, on one line
    write(
        &dir,
        "catalogs.json",
        &page(
            "identityGovernance/entitlementManagement/catalogs",
            r#"{"id": "c1", "displayName": "General", "catalogType": "userManaged", "state": "published", "isExternallyVisible": false}"#,
        ),
    );
    write(
        &dir,
        "accessPackages.json",
        &page(
            "identityGovernance/entitlementManagement/accessPackages",
            &format!(
                r#"{{"id": "p1", "displayName": "{name}", "isHidden": false, "catalog": {{"id": "c1"}}}}"#
            ),
        ),
    );
    // No policy and no assignment: the package is dead (GS603), and its name is in the finding.
    write(
        &dir,
        "assignmentPolicies.json",
        &page(
            "identityGovernance/entitlementManagement/assignmentPolicies",
            "",
        ),
    );
    write(
        &dir,
        "assignments.json",
        &page("identityGovernance/entitlementManagement/assignments", ""),
    );
    let json = check(&dir, &["--format", "json"]);
    assert_eq!(json.code, 1, "{}", json.stderr);
    assert!(json.stdout.contains(&name));
    assert!(json.rules().contains(&"GS603".to_owned()));
    let text = check(&dir, &[]);
    assert_eq!(text.code, 1, "{}", text.stderr);
    assert!(text.stdout.contains("GS603"));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn more_items_than_the_limit_per_file_are_refused() {
    let dir = scratch("many-items");
    let items = "{},".repeat(1_000_000) + "{}";
    write(&dir, "users.json", &page("users", &items));
    let run = check(&dir, &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "users.json:1:3000084: at $.value: the file holds more than 1000000 items, the limit \
             per file; Graph returns at most 999 per response page: save one file per page"
        ),
        "{}",
        run.stderr
    );
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn a_file_larger_than_the_limit_is_refused_without_reading_it_whole() {
    let dir = scratch("huge-file");
    // A sparse 600 MiB file: no disk space used; the CLI reads 512 MiB and one byte of it.
    let file = std::fs::File::create(dir.join("users.json")).unwrap();
    file.set_len(600 * 1024 * 1024).unwrap();
    drop(file);
    write(&dir, "groups.json", &page("groups", ""));
    let run = check(&dir, &["--format", "json"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("users.json: the file is larger than the 512 MiB limit per file"),
        "{}",
        run.stderr
    );
    // The other file still loaded.
    let inputs = run.report()["inputs"].clone();
    assert_eq!(inputs[0]["status"], "loaded", "{inputs}");
    std::fs::remove_dir_all(dir).unwrap();
}

/// Group `i` of the chain.
fn group(i: usize) -> String {
    format!("00000000-0000-4000-8000-{i:012}")
}

/// User `i` of the chain.
fn user(i: usize) -> String {
    format!("00000000-0000-4000-9000-{i:012}")
}

#[test]
fn chains_100000_long_terminate() {
    const N: usize = 100_000;
    let dir = scratch("chains");
    // Groups: g0 ⊃ g1 ⊃ … ⊃ g99999 ⊃ u0, as direct-member files (the only way to nest).
    let groups: Vec<String> = (0..N)
        .map(|i| {
            format!(
                r#"{{"id": "{}", "displayName": "Chain {i}", "groupTypes": [], "securityEnabled": true, "mailEnabled": false}}"#,
                group(i)
            )
        })
        .collect();
    write(&dir, "groups.json", &page("groups", &groups.join(",")));
    for i in 0..N {
        let member = if i + 1 < N {
            format!(
                r##"{{"@odata.type": "#microsoft.graph.group", "id": "{}"}}"##,
                group(i + 1)
            )
        } else {
            format!(
                r##"{{"@odata.type": "#microsoft.graph.user", "id": "{}", "userType": "Member"}}"##,
                user(0)
            )
        };
        write(
            &dir,
            &format!("groupDirectMembers-{}.json", group(i)),
            &page("directoryObjects(id,userType)", &member),
        );
    }
    // Users: each one's manager is the next, and the last one's is the first (a 100,000-long
    // cycle of managers).
    let users: Vec<String> = (0..N)
        .map(|i| {
            format!(
                r##"{{"id": "{}", "displayName": "User {i}", "userPrincipalName": "u{i}@contoso.example", "userType": "Member", "accountEnabled": true, "manager": {{"@odata.type": "#microsoft.graph.user", "id": "{}"}}}}"##,
                user(i),
                user((i + 1) % N)
            )
        })
        .collect();
    write(&dir, "users.json", &page("users", &users.join(",\n")));
    write(
        &dir,
        "catalogs.json",
        &page(
            "identityGovernance/entitlementManagement/catalogs",
            r#"{"id": "c1", "displayName": "General", "catalogType": "userManaged", "state": "published", "isExternallyVisible": false}"#,
        ),
    );
    write(
        &dir,
        "accessPackages.json",
        &page(
            "identityGovernance/entitlementManagement/accessPackages",
            r#"{"id": "p1", "displayName": "Tools", "isHidden": false, "catalog": {"id": "c1"}}"#,
        ),
    );
    // Requestors: members of g0 (all of the chain); approvers: the manager, and members of the
    // last group of the chain, u0 itself, who is also a requestor.
    let policy = format!(
        r##"{{"id": "pol1", "displayName": "Chain", "allowedTargetScope": "specificDirectoryUsers",
        "specificAllowedTargets": [{{"@odata.type": "#microsoft.graph.groupMembers", "groupId": "{}"}}],
        "requestorSettings": {{"enableTargetsToSelfAddAccess": true}},
        "requestApprovalSettings": {{"isApprovalRequiredForAdd": true, "stages": [{{
            "durationBeforeAutomaticDenial": "P14D",
            "primaryApprovers": [{{"@odata.type": "#microsoft.graph.requestorManager", "managerLevel": 1}}],
            "fallbackPrimaryApprovers": [{{"@odata.type": "#microsoft.graph.groupMembers", "groupId": "{}"}}]}}]}},
        "accessPackage": {{"id": "p1"}}}}"##,
        group(0),
        group(N - 1)
    );
    write(
        &dir,
        "assignmentPolicies.json",
        &page(
            "identityGovernance/entitlementManagement/assignmentPolicies",
            &policy,
        ),
    );
    let run = check(&dir, &["--format", "json"]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    let report = run.report();
    let loaded = report["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["status"] == "loaded")
        .count();
    assert_eq!(loaded, N + 5);
    // The approver group at the end of the chain is found inside the requestor group at its
    // start: the whole chain was followed.
    assert!(
        run.rules().contains(&"GS201".to_owned()),
        "{:?}",
        run.rules()
    );
    std::fs::remove_dir_all(dir).unwrap();
}

/// A stored (uncompressed) zip of empty files, with the zip64 end records that more than 65,535
/// entries need. Written by hand: the tests need no zip library for this.
fn zip_of_empty_files(count: usize) -> Vec<u8> {
    fn u16le(out: &mut Vec<u8>, v: u16) {
        out.extend_from_slice(&v.to_le_bytes());
    }
    fn u32le(out: &mut Vec<u8>, v: u32) {
        out.extend_from_slice(&v.to_le_bytes());
    }
    fn u64le(out: &mut Vec<u8>, v: u64) {
        out.extend_from_slice(&v.to_le_bytes());
    }
    let mut out = Vec::new();
    let mut central = Vec::new();
    for i in 0..count {
        let name = format!("f{i}.json");
        let offset = u32::try_from(out.len()).unwrap();
        // Local file header: version 2.0, no flags, stored, a fixed time, CRC and sizes 0.
        u32le(&mut out, 0x0403_4b50);
        for v in [20, 0, 0, 0x4800, 0x5b42] {
            u16le(&mut out, v);
        }
        for _ in 0..3 {
            u32le(&mut out, 0);
        }
        u16le(&mut out, u16::try_from(name.len()).unwrap());
        u16le(&mut out, 0);
        out.extend_from_slice(name.as_bytes());
        // Its central directory record.
        u32le(&mut central, 0x0201_4b50);
        for v in [20, 20, 0, 0, 0x4800, 0x5b42] {
            u16le(&mut central, v);
        }
        for _ in 0..3 {
            u32le(&mut central, 0);
        }
        u16le(&mut central, u16::try_from(name.len()).unwrap());
        for _ in 0..4 {
            u16le(&mut central, 0); // extra, comment, disk, internal attributes
        }
        u32le(&mut central, 0); // external attributes
        u32le(&mut central, offset);
        central.extend_from_slice(name.as_bytes());
    }
    let central_offset = out.len() as u64;
    let central_size = central.len() as u64;
    out.extend_from_slice(&central);
    let zip64_end = out.len() as u64;
    // Zip64 end of central directory record, then its locator.
    u32le(&mut out, 0x0606_4b50);
    u64le(&mut out, 44);
    u16le(&mut out, 45);
    u16le(&mut out, 45);
    u32le(&mut out, 0);
    u32le(&mut out, 0);
    u64le(&mut out, count as u64);
    u64le(&mut out, count as u64);
    u64le(&mut out, central_size);
    u64le(&mut out, central_offset);
    u32le(&mut out, 0x0706_4b50);
    u32le(&mut out, 0);
    u64le(&mut out, zip64_end);
    u32le(&mut out, 1);
    // End of central directory record, deferring to the zip64 one.
    u32le(&mut out, 0x0605_4b50);
    u16le(&mut out, 0);
    u16le(&mut out, 0);
    u16le(&mut out, 0xFFFF);
    u16le(&mut out, 0xFFFF);
    u32le(&mut out, u32::try_from(central_size).unwrap());
    u32le(&mut out, u32::try_from(central_offset).unwrap());
    u16le(&mut out, 0);
    out
}

#[test]
fn a_zip_with_more_entries_than_the_limit_is_refused() {
    let dir = scratch("many-entries");
    let zip = dir.join("export.zip");
    let mut file = std::fs::File::create(&zip).unwrap();
    file.write_all(&zip_of_empty_files(200_001)).unwrap();
    drop(file);
    let run = check(&zip, &[]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains(
            "export.zip: the archive holds 200001 entries, more than the limit of 200000"
        ),
        "{}",
        run.stderr
    );
    // The same writer, below the limit: the archive is read (its empty files fail as empty).
    std::fs::write(&zip, zip_of_empty_files(3)).unwrap();
    let run = check(&zip, &[]);
    assert!(
        run.stderr.contains("export.zip/f0.json: the file is empty"),
        "{}",
        run.stderr
    );
    std::fs::remove_dir_all(dir).unwrap();
}
