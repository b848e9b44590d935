#![no_main]
//! Structure-aware: an arbitrary small tenant (users, nested groups with cycles, managers,
//! packages, policies of every scope with arbitrary approvers and expirations, assignments,
//! incompatibilities, audit events) written as Graph v1.0 JSON and run through the whole pipeline.

#[path = "common.rs"]
mod common;

use arbitrary::Arbitrary;
use grantscope_core::ingest::InputFile;
use libfuzzer_sys::fuzz_target;

#[derive(Debug, Arbitrary)]
struct Tenant {
    users: Vec<(bool, bool, Option<u8>, Option<u16>)>,
    groups: Vec<Vec<u8>>,
    nested: Vec<(u8, u8)>,
    policies: Vec<Policy>,
    assignments: Vec<(u8, u8, u8, Option<i16>)>,
    incompatible: Vec<(u8, u8)>,
    approvals: Vec<(u8, u8, u8)>,
}

#[derive(Debug, Arbitrary)]
struct Policy {
    package: u8,
    scope: u8,
    self_add: bool,
    targets: Vec<u8>,
    stages: Vec<(Vec<u8>, Vec<u8>, bool)>,
    expiration_days: Option<i16>,
    review_months: Option<u8>,
}

const SCOPES: [&str; 9] = [
    "notSpecified",
    "specificDirectoryUsers",
    "specificConnectedOrganizationUsers",
    "allMemberUsers",
    "allDirectoryUsers",
    "allExternalUsers",
    "allConfiguredConnectedOrganizationUsers",
    "allDirectoryServicePrincipals",
    "unknownFutureValue",
];

fn id(kind: &str, n: u8) -> String {
    format!("{kind}-{n}")
}

fn set(n: u8) -> String {
    match n % 4 {
        0 => format!(
            r##"{{"@odata.type":"#microsoft.graph.singleUser","userId":"{}"}}"##,
            id("u", n / 4)
        ),
        1 => format!(
            r##"{{"@odata.type":"#microsoft.graph.groupMembers","groupId":"{}"}}"##,
            id("g", n / 4)
        ),
        2 => r##"{"@odata.type":"#microsoft.graph.requestorManager","managerLevel":1}"##.to_owned(),
        _ => r##"{"@odata.type":"#microsoft.graph.internalSponsors"}"##.to_owned(),
    }
}

fn list(items: impl Iterator<Item = String>) -> String {
    format!("[{}]", items.collect::<Vec<_>>().join(","))
}

const CTX: &str = "https://graph.microsoft.com/v1.0/$metadata#";

fn page(context: &str, items: Vec<String>) -> Vec<u8> {
    format!(
        r##"{{"@odata.context":"{CTX}{context}","value":{}}}"##,
        list(items.into_iter())
    )
    .into_bytes()
}

fuzz_target!(|t: Tenant| {
    let mut files = Vec::new();
    let users: Vec<String> = t.users.iter().enumerate().take(64).map(|(i, (guest, enabled, manager, signed_in))| {
        let i = i as u8;
        format!(
            r##"{{"id":"{}","displayName":"user {i}","userType":"{}","accountEnabled":{enabled},"createdDateTime":"2020-01-01T00:00:00Z","manager":{},"signInActivity":{}}}"##,
            id("u", i),
            if *guest { "Guest" } else { "Member" },
            manager.map_or("null".to_owned(), |m| format!(r##"{{"id":"{}"}}"##, id("u", m % 64))),
            signed_in.map_or("null".to_owned(), |d| format!(r##"{{"lastSuccessfulSignInDateTime":"2026-{:02}-01T00:00:00Z"}}"##, 1 + d % 12)),
        )
    }).collect();
    files.push(InputFile::new("users.json", page("users", users)));
    let groups: Vec<String> = (0..t.groups.len().min(32))
        .map(|g| {
            format!(
                r##"{{"id":"{}","displayName":"group {g}","groupTypes":[]}}"##,
                id("g", g as u8)
            )
        })
        .collect();
    files.push(InputFile::new("groups.json", page("groups", groups)));
    for (g, members) in t.groups.iter().enumerate().take(32) {
        let mut items: Vec<String> = members
            .iter()
            .take(32)
            .map(|m| {
                format!(
                    r##"{{"@odata.type":"#microsoft.graph.user","id":"{}"}}"##,
                    id("u", m % 64)
                )
            })
            .collect();
        items.extend(
            t.nested
                .iter()
                .filter(|(a, _)| usize::from(*a % 32) == g)
                .map(|(_, b)| {
                    format!(
                        r##"{{"@odata.type":"#microsoft.graph.group","id":"{}"}}"##,
                        id("g", b % 32)
                    )
                }),
        );
        files.push(InputFile::new(
            format!("groupDirectMembers-{}.json", id("g", g as u8)),
            page("directoryObjects", items),
        ));
    }
    let packages: Vec<String> = (0..8u8).map(|p| format!(
        r##"{{"id":"{}","displayName":"package {p}","resourceRoleScopes":[{{"id":"r{p}_s{p}","role":{{"id":"r{p}","displayName":"Member","originSystem":"AadGroup","originId":"Member_{}"}},"scope":{{"id":"s{p}","originId":"{}","originSystem":"AadGroup"}}}}]}}"##,
        id("p", p), id("g", p), id("g", p))).collect();
    files.push(InputFile::new(
        "accessPackages.json",
        page(
            "identityGovernance/entitlementManagement/accessPackages",
            packages,
        ),
    ));
    let policies: Vec<String> = t.policies.iter().enumerate().take(24).map(|(i, p)| format!(
        r##"{{"id":"{}","accessPackage":{{"id":"{}"}},"allowedTargetScope":"{}","specificAllowedTargets":{},"requestorSettings":{{"enableTargetsToSelfAddAccess":{}}},"requestApprovalSettings":{{"isApprovalRequiredForAdd":{},"stages":{}}},"expiration":{},"reviewSettings":{}}}"##,
        id("pol", i as u8), id("p", p.package % 8), SCOPES[usize::from(p.scope) % SCOPES.len()],
        list(p.targets.iter().take(8).map(|n| set(*n))), p.self_add, !p.stages.is_empty(),
        list(p.stages.iter().take(3).map(|(primary, fallback, escalate)| format!(
            r##"{{"primaryApprovers":{},"fallbackPrimaryApprovers":{},"isEscalationEnabled":{escalate}}}"##,
            list(primary.iter().take(4).map(|n| set(*n))), list(fallback.iter().take(4).map(|n| set(*n)))))),
        p.expiration_days.map_or(r##"{"type":"noExpiration"}"##.to_owned(), |d| format!(r##"{{"type":"afterDuration","duration":"P{d}D"}}"##)),
        p.review_months.map_or(r##"{"isEnabled":false}"##.to_owned(), |m| format!(r##"{{"isEnabled":true,"schedule":{{"recurrence":{{"pattern":{{"type":"absoluteMonthly","interval":{m}}}}}}}}}"##)),
    )).collect();
    files.push(InputFile::new(
        "assignmentPolicies.json",
        page(
            "identityGovernance/entitlementManagement/assignmentPolicies",
            policies,
        ),
    ));
    let assignments: Vec<String> = t.assignments.iter().enumerate().take(128).map(|(i, (u, p, pol, end))| format!(
        r##"{{"id":"a{i}","state":"delivered","target":{{"id":"s{u}","objectId":"{}"}},"accessPackage":{{"id":"{}"}},"assignmentPolicy":{{"id":"{}"}},"schedule":{}}}"##,
        id("u", u % 64), id("p", p % 8), id("pol", pol % 24),
        end.map_or("{}".to_owned(), |d| format!(r##"{{"expiration":{{"type":"afterDateTime","endDateTime":"2026-{:02}-01T00:00:00Z"}}}}"##, 1 + d.unsigned_abs() % 12)),
    )).collect();
    files.push(InputFile::new(
        "assignments.json",
        page(
            "identityGovernance/entitlementManagement/assignments",
            assignments,
        ),
    ));
    for (a, b) in t.incompatible.iter().take(16) {
        let ctx = format!(
            "identityGovernance/entitlementManagement/accessPackages('{}')/incompatibleAccessPackages",
            id("p", a % 8)
        );
        files.push(InputFile::new(
            format!("incompatibleAccessPackages-{}-{b}.json", id("p", a % 8)),
            page(&ctx, vec![format!(r##"{{"id":"{}"}}"##, id("p", b % 8))]),
        ));
    }
    let events: Vec<String> = t.approvals.iter().enumerate().take(64).map(|(i, (actor, target, day))| format!(
        r##"{{"id":"e{i}","category":"EntitlementManagement","correlationId":"c{}","activityDisplayName":"{}","activityDateTime":"2026-10-{:02}T00:00:00Z","initiatedBy":{{"user":{{"id":"{}"}}}},"targetResources":[{{"id":"{}","type":"User"}}]}}"##,
        i / 2, if i % 2 == 0 { "User requests access package assignment" } else { "Approve access package assignment request" },
        1 + day % 28, id("u", actor % 64), id("u", target % 64),
    )).collect();
    files.push(InputFile::new(
        "auditLogs.json",
        page("auditLogs/directoryAudits", events),
    ));
    common::check(files);
});
