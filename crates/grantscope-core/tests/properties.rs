//! Property tests: v1.0 and beta shapes normalise alike; fingerprints survive file order, renames
//! and display-name changes; adding a clean entity never removes a finding; nesting and manager
//! cycles terminate and resolve like a plain reachability search.

mod common;

use std::collections::{BTreeSet, HashMap, HashSet};

use grantscope_core::config::Config;
use grantscope_core::graph::AccessGraph;
use grantscope_core::ingest::{InputFile, Limits, load};
use grantscope_core::model::{Group, ObjectKind, ObjectRef, Snapshot, User, UserType};
use grantscope_core::rules::run;
use proptest::prelude::*;
use serde_json::{Value, json};

/// Primary user ids, backup user ids, timeout days, escalation days.
type Stage = (Vec<u8>, Vec<u8>, u8, Option<u8>);

/// Group count, nesting edges, membership edges, manager edges.
type Nesting = (
    usize,
    Vec<(usize, usize)>,
    Vec<(usize, usize)>,
    Vec<(usize, usize)>,
);

/// A policy drawn from the features both API versions can express (reference §6.6).
#[derive(Debug, Clone)]
struct PolicySpec {
    scope: usize,
    self_add: bool,
    can_extend: bool,
    /// (primary user ids, backup user ids, timeout days, escalation days) per stage
    stages: Vec<Stage>,
    duration_days: Option<u16>,
    review: Option<(usize, bool, bool)>,
}

const SCOPES: [(&str, &str); 6] = [
    ("notSpecified", "NoSubjects"),
    ("allMemberUsers", "AllExistingDirectoryMemberUsers"),
    ("allDirectoryUsers", "AllExistingDirectorySubjects"),
    ("allExternalUsers", "AllExternalSubjects"),
    (
        "allConfiguredConnectedOrganizationUsers",
        "AllConfiguredConnectedOrganizationSubjects",
    ),
    ("specificDirectoryUsers", "SpecificDirectorySubjects"),
];
const RECURRENCE: [(&str, u32, &str); 3] = [
    ("absoluteMonthly", 1, "monthly"),
    ("absoluteMonthly", 3, "quarterly"),
    ("absoluteYearly", 1, "annual"),
];

fn uid(n: u8) -> String {
    format!("00000000-0000-0000-0000-{n:012}")
}

fn v1(p: &PolicySpec) -> Value {
    let user = |n: &u8| json!({"@odata.type": "#microsoft.graph.singleUser", "userId": uid(*n)});
    json!({
        "id": "p1",
        "displayName": "policy",
        "accessPackage": {"id": "pkg"},
        "allowedTargetScope": SCOPES[p.scope].0,
        "specificAllowedTargets": if p.scope == 5 { json!([user(&1)]) } else { json!([]) },
        "expiration": match p.duration_days {
            Some(d) => json!({"type": "afterDuration", "duration": format!("P{d}D")}),
            None => json!({"type": "noExpiration"}),
        },
        "requestorSettings": {
            "enableTargetsToSelfAddAccess": p.self_add,
            "enableTargetsToSelfUpdateAccess": p.can_extend,
        },
        "requestApprovalSettings": {
            "isApprovalRequiredForAdd": !p.stages.is_empty(),
            "isApprovalRequiredForUpdate": false,
            "stages": p.stages.iter().map(|(primary, backup, timeout, escalation)| json!({
                "durationBeforeAutomaticDenial": format!("P{timeout}D"),
                "isEscalationEnabled": escalation.is_some(),
                "durationBeforeEscalation": format!("P{}D", escalation.unwrap_or(0)),
                "primaryApprovers": primary.iter().map(user).collect::<Vec<_>>(),
                "fallbackPrimaryApprovers": backup.iter().map(user).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        },
        "reviewSettings": match p.review {
            Some((r, self_review, keep)) => json!({
                "isEnabled": true,
                "isSelfReview": self_review,
                "expirationBehavior": if keep { "keepAccess" } else { "removeAccess" },
                "schedule": {
                    "startDateTime": "2026-01-01T00:00:00Z",
                    "expiration": {"type": "afterDuration", "duration": "P14D"},
                    "recurrence": {"pattern": {"type": RECURRENCE[r].0, "interval": RECURRENCE[r].1}}
                }
            }),
            None => json!({"isEnabled": false}),
        },
    })
}

fn beta(p: &PolicySpec) -> Value {
    let user = |n: &u8, backup: bool| json!({"@odata.type": "#microsoft.graph.singleUser", "id": uid(*n), "isBackup": backup});
    json!({
        "id": "p1",
        "displayName": "policy",
        "accessPackageId": "pkg",
        "canExtend": p.can_extend,
        "durationInDays": p.duration_days.unwrap_or(0),
        "expirationDateTime": null,
        "requestorSettings": {
            "scopeType": SCOPES[p.scope].1,
            "acceptRequests": p.self_add,
            "allowedRequestors": if p.scope == 5 { json!([user(&1, false)]) } else { json!([]) },
        },
        "requestApprovalSettings": {
            "isApprovalRequired": !p.stages.is_empty(),
            "isApprovalRequiredForExtension": false,
            "approvalMode": if p.stages.is_empty() { "NoApproval" } else { "Serial" },
            "approvalStages": p.stages.iter().map(|(primary, backup, timeout, escalation)| json!({
                "approvalStageTimeOutInDays": timeout,
                "isEscalationEnabled": escalation.is_some(),
                "escalationTimeInMinutes": u32::from(escalation.unwrap_or(0)) * 1440,
                "primaryApprovers": primary.iter().map(|n| user(n, false))
                    .chain(backup.iter().map(|n| user(n, true))).collect::<Vec<_>>(),
            })).collect::<Vec<_>>(),
        },
        "accessReviewSettings": match p.review {
            Some((r, self_review, keep)) => json!({
                "isEnabled": true,
                "reviewerType": if self_review { "Self" } else { "Reviewers" },
                "accessReviewTimeoutBehavior": if keep { "keepAccess" } else { "removeAccess" },
                "startDateTime": "2026-01-01T00:00:00Z",
                "durationInDays": 14,
                "recurrenceType": RECURRENCE[r].2,
            }),
            None => Value::Null,
        },
    })
}

fn policy_spec() -> impl Strategy<Value = PolicySpec> {
    let stage = (
        prop::collection::vec(1u8..9, 1..3),
        prop::collection::vec(10u8..19, 0..2),
        1u8..30,
        prop::option::of(1u8..10),
    );
    (
        0..SCOPES.len(),
        any::<bool>(),
        any::<bool>(),
        prop::collection::vec(stage, 0..3),
        prop::option::of(1u16..800),
        prop::option::of((0..RECURRENCE.len(), any::<bool>(), any::<bool>())),
    )
        .prop_map(
            |(scope, self_add, can_extend, stages, duration_days, review)| PolicySpec {
                scope,
                self_add,
                can_extend,
                stages,
                duration_days,
                review,
            },
        )
}

fn without_source(mut v: Value) -> Value {
    if let Some(m) = v.as_object_mut() {
        m.remove("source");
    }
    v
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::with_cases(200) })]

    #[test]
    fn v1_and_beta_policies_normalise_alike(spec in policy_spec()) {
        let a = load([InputFile::new("v1.json", v1(&spec).to_string())], &Limits::default());
        let b = load([InputFile::new("beta.json", beta(&spec).to_string())], &Limits::default());
        prop_assert!(!a.report.has_errors() && !b.report.has_errors());
        let pa = without_source(serde_json::to_value(&a.snapshot.policies["p1"]).unwrap());
        let pb = without_source(serde_json::to_value(&b.snapshot.policies["p1"]).unwrap());
        prop_assert_eq!(pa, pb);
    }
}

fn contoso_files() -> Vec<InputFile> {
    common::read_dir(&common::fixtures().join("tenants/contoso"))
}

/// (rule id, fingerprint) of every finding on the (edited) files.
fn findings(files: Vec<InputFile>, edit: impl FnOnce(&mut Snapshot)) -> BTreeSet<(String, String)> {
    let config = common::config_of(&common::fixtures().join("tenants/contoso"));
    let mut loaded = load(files, &Limits::default());
    edit(&mut loaded.snapshot);
    run(&loaded, &config, common::as_of(&config))
        .findings
        .into_iter()
        .map(|f| (f.rule_id, f.fingerprint))
        .collect()
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::with_cases(12) })]

    #[test]
    fn fingerprints_survive_order_renames_and_names(
        order in Just(()).prop_perturb(|_, mut rng| {
            let mut v: Vec<usize> = (0..contoso_files().len()).collect();
            for i in (1..v.len()).rev() {
                let j = (rng.next_u32() as usize) % (i + 1);
                v.swap(i, j);
            }
            v
        }),
        prefix in "[a-z]{1,8}",
        suffix in "[A-Za-z <>\"&]{0,12}",
    ) {
        let base = findings(contoso_files(), |_| {});
        let files = contoso_files();
        let shuffled: Vec<InputFile> = order
            .iter()
            .map(|&i| {
                let f = &files[i];
                let keep = f.name.contains("Members-");
                let name = if keep { format!("{prefix}/{}", f.name) } else { format!("{prefix}/file-{i}.json") };
                InputFile::new(name, f.bytes.clone())
            })
            .collect();
        let moved = findings(shuffled, |s| {
            for u in s.users.values_mut() {
                u.display_name = Some(format!("{}{suffix}", u.display_name.clone().unwrap_or_default()));
            }
            for g in s.groups.values_mut() {
                g.display_name = Some(suffix.clone());
            }
        });
        prop_assert_eq!(base, moved);
    }

    /// Clean users, unused groups (with existing members), catalogs and service principals never
    /// remove a finding. The one designed exception: GS104 measures a population as a share of
    /// all enabled users, so more users can bring a group under the threshold; it is left out.
    #[test]
    fn adding_clean_entities_never_removes_a_finding(users in 0usize..20, groups in 0usize..5) {
        let keep = |set: BTreeSet<(String, String)>| -> BTreeSet<String> {
            set.into_iter().filter(|(rule, _)| rule != "GS104").map(|(_, fp)| fp).collect()
        };
        let base = keep(findings(contoso_files(), |_| {}));
        let grown = keep(findings(contoso_files(), |s| {
            let manager = s.users.values().find(|u| u.manager_known && u.manager_id.is_none() && !u.is_guest()).map(|u| u.id.clone());
            let someone = s.users.keys().next().cloned().unwrap_or_default();
            for i in 0..users {
                let id = format!("ffffffff-ffff-0000-0000-{i:012}");
                s.users.insert(id.clone(), User {
                    id,
                    display_name: Some(format!("Clean {i}")),
                    user_type: Some(UserType::Member),
                    account_enabled: Some(true),
                    manager_known: true,
                    manager_id: manager.clone(),
                    ..User::default()
                });
            }
            for i in 0..groups {
                let id = format!("eeeeeeee-eeee-0000-0000-{i:012}");
                s.groups.insert(id.clone(), Group {
                    id,
                    display_name: Some(format!("Unused {i}")),
                    members: Some(vec![ObjectRef { id: someone.clone(), kind: ObjectKind::User }]),
                    ..Group::default()
                });
            }
        }));
        prop_assert!(base.is_subset(&grown), "lost: {:?}", base.difference(&grown).collect::<Vec<_>>());
    }
}

/// Random nesting (with cycles) and random manager links: the graph terminates and its transitive
/// membership equals a plain breadth-first search.
fn nesting() -> impl Strategy<Value = Nesting> {
    (2usize..30).prop_flat_map(|n| {
        (
            Just(n),
            prop::collection::vec((0..n, 0..n), 0..60),
            prop::collection::vec((0..n, 0..40usize), 0..80),
            prop::collection::vec((0..40usize, 0..40usize), 0..40),
        )
    })
}

proptest! {
    #![proptest_config(ProptestConfig { failure_persistence: None, ..ProptestConfig::with_cases(150) })]

    #[test]
    fn nesting_and_manager_cycles_terminate((n, nest, members, managers) in nesting()) {
        let mut s = Snapshot::default();
        for u in 0..40usize {
            let id = format!("u{u:02}");
            s.users.insert(id.clone(), User { id, manager_known: true, ..User::default() });
        }
        for (u, m) in &managers {
            if let Some(user) = s.users.get_mut(&format!("u{u:02}")) {
                user.manager_id = Some(format!("u{m:02}"));
            }
        }
        let mut children: HashMap<usize, Vec<usize>> = HashMap::new();
        let mut direct: HashMap<usize, Vec<usize>> = HashMap::new();
        for (a, b) in &nest { children.entry(*a).or_default().push(*b); }
        for (g, u) in &members { direct.entry(*g).or_default().push(*u); }
        for g in 0..n {
            let mut list: Vec<ObjectRef> = children.get(&g).into_iter().flatten()
                .map(|c| ObjectRef { id: format!("g{c:02}"), kind: ObjectKind::Group }).collect();
            list.extend(direct.get(&g).into_iter().flatten()
                .map(|u| ObjectRef { id: format!("u{u:02}"), kind: ObjectKind::User }));
            let id = format!("g{g:02}");
            s.groups.insert(id.clone(), Group { id, members: Some(list), ..Group::default() });
        }
        let graph = AccessGraph::build(&s, &Config::default());
        for g in 0..n {
            // Oracle: BFS over the nesting.
            let mut seen = HashSet::from([g]);
            let mut queue = vec![g];
            let mut users = BTreeSet::new();
            while let Some(x) = queue.pop() {
                users.extend(direct.get(&x).into_iter().flatten().map(|u| format!("u{u:02}")));
                for c in children.get(&x).into_iter().flatten() {
                    if seen.insert(*c) { queue.push(*c); }
                }
            }
            let got: BTreeSet<String> = graph.group_users(&format!("g{g:02}")).iter()
                .map(|&i| graph.user(i).id.clone()).collect();
            prop_assert_eq!(got, users);
        }
        // Manager chains with cycles: walking any number of levels terminates.
        for i in 0..40u32 {
            let _ = graph.manager_of(i, 50);
        }
        // Every reported manager cycle is a real cycle.
        for cycle in &graph.manager_cycles {
            prop_assert!(!cycle.is_empty());
        }
    }
}
