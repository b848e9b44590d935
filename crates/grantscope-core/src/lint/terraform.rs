//! Terraform plans (`terraform show -json plan.out`) as lint input: the
//! `azuread_access_package_assignment_policy` resources become proposed policies, and the
//! `azuread_access_package`, `azuread_access_package_catalog` and `azuread_group` resources of the
//! same plan become the packages, catalogs and groups they refer to.
//!
//! The azuread provider writes the Graph **beta** policy shape, and its attribute names map onto
//! it one to one (reference: the provider's `access_package_assignment_policy` resource):
//!
//! | Terraform | Graph beta |
//! |---|---|
//! | `access_package_id` | `accessPackageId` |
//! | `duration_in_days` (unset = 0) / `expiration_date` | `durationInDays` / `expirationDateTime` |
//! | `extension_enabled` (older: `can_extend`) | `canExtend` |
//! | `requestor_settings { scope_type, requests_accepted, requestor {…} }` | `requestorSettings { scopeType, acceptRequests, allowedRequestors }` |
//! | `approval_settings { approval_required, approval_required_for_extension, requestor_justification_required, approval_stage {…} }` | `requestApprovalSettings { isApprovalRequired, isApprovalRequiredForExtension, isRequestorJustificationRequired, approvalStages }` |
//! | `approval_stage { approval_timeout_in_days, approver_justification_required, alternative_approval_enabled, enable_alternative_approval_in_days, primary_approver, alternative_approver }` | `{ approvalStageTimeOutInDays, isApproverJustificationRequired, isEscalationEnabled, escalationTimeInMinutes, primaryApprovers, escalationApprovers }` |
//! | `assignment_review_settings { enabled, review_frequency, review_type, starting_on, duration_in_days, reviewer, access_recommendation_enabled, approver_justification_required, access_review_timeout_behavior }` | `accessReviewSettings { isEnabled, recurrenceType, reviewerType, startDateTime, durationInDays, reviewers, isAccessRecommendationEnabled, isApprovalJustificationRequired, accessReviewTimeoutBehavior }` |
//! | `{ subject_type, object_id, backup }` | `{ "@odata.type": "#microsoft.graph.<subject_type>", id, isBackup }` |
//!
//! Unset optional flags are false, as the provider sends them. Values Terraform knows only after
//! apply (`after_unknown`) are taken conservatively, each with a warning: an unknown flag that
//! grants (requests accepted, extension) is assumed on, one that protects (approval, review) is
//! assumed off, an unknown duration means no expiration; an unknown id is resolved through the
//! plan's configuration references to the resource that will create it (a package or group of
//! the same plan), else left unresolved.

use std::collections::BTreeMap;

use serde_json::{Map, Value, json};

use super::locate::{Path, Step, jsonpath, key, locate, pointer, position};
use super::{Parsed, Proposal, Shape};
use crate::ingest::{LoadError, LoadWarning, WarningKind};
use crate::model::{
    AccessPackage, Catalog, Group, ObjectKind, ObjectRef, ResourceRole, ResourceRoleScope,
    ResourceScope, SourceRef,
};

pub(crate) const POLICY: &str = "azuread_access_package_assignment_policy";
const PACKAGE: &str = "azuread_access_package";
const CATALOG: &str = "azuread_access_package_catalog";
const GROUP: &str = "azuread_group";
const CATALOG_RESOURCE: &str = "azuread_access_package_resource_catalog_association";
const PACKAGE_RESOURCE: &str = "azuread_access_package_resource_package_association";

static NULL: Value = Value::Null;

/// Whether a JSON document is a Terraform plan or state (`terraform show -json`).
pub(crate) fn is_plan(doc: &Value) -> bool {
    doc.get("format_version").is_some()
        && [
            "planned_values",
            "resource_changes",
            "values",
            "terraform_version",
        ]
        .iter()
        .any(|k| doc.get(*k).is_some())
}

/// One resource of the plan: its values as they will be after apply, which of them are still
/// unknown, and where the values are written in the file.
struct Res<'a> {
    address: String,
    kind: String,
    values: &'a Value,
    unknown: &'a Value,
    base: Path,
}

/// The resources the plan creates or keeps: `resource_changes` (with `after_unknown`) when
/// present, else `planned_values`, else `values` (a state). Deleted resources are left out.
fn resources(doc: &Value) -> Vec<Res<'_>> {
    let mut out = Vec::new();
    if let Some(changes) = doc.get("resource_changes").and_then(Value::as_array) {
        for (i, rc) in changes.iter().enumerate() {
            if rc.get("mode").and_then(Value::as_str) == Some("data") {
                continue;
            }
            let change = rc.get("change").unwrap_or(&NULL);
            let actions: Vec<&str> = change
                .get("actions")
                .and_then(Value::as_array)
                .map(|a| a.iter().filter_map(Value::as_str).collect())
                .unwrap_or_default();
            let after = change.get("after").unwrap_or(&NULL);
            if actions == ["delete"] || !after.is_object() {
                continue;
            }
            out.push(Res {
                address: str_of(rc.get("address")).unwrap_or_default(),
                kind: str_of(rc.get("type")).unwrap_or_default(),
                values: after,
                unknown: change.get("after_unknown").unwrap_or(&NULL),
                base: vec![
                    key("resource_changes"),
                    Step::Index(i),
                    key("change"),
                    key("after"),
                ],
            });
        }
        return out;
    }
    for top in ["planned_values", "values"] {
        if let Some(root) = doc.get(top).and_then(|v| v.get("root_module")) {
            module(root, vec![key(top), key("root_module")], &mut out);
            return out;
        }
    }
    out
}

fn module<'a>(m: &'a Value, path: Path, out: &mut Vec<Res<'a>>) {
    for (j, r) in m
        .get("resources")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        if r.get("mode").and_then(Value::as_str) == Some("data") {
            continue;
        }
        let Some(values) = r.get("values").filter(|v| v.is_object()) else {
            continue;
        };
        let mut base = path.clone();
        base.extend([key("resources"), Step::Index(j), key("values")]);
        out.push(Res {
            address: str_of(r.get("address")).unwrap_or_default(),
            kind: str_of(r.get("type")).unwrap_or_default(),
            values,
            unknown: &NULL,
            base,
        });
    }
    for (k, child) in m
        .get("child_modules")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .enumerate()
    {
        let mut p = path.clone();
        p.extend([key("child_modules"), Step::Index(k)]);
        module(child, p, out);
    }
}

fn str_of(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str)
        .filter(|s| !s.is_empty())
        .map(str::to_owned)
}

/// A value and its `after_unknown` twin, walked together.
#[derive(Clone, Copy)]
struct Attr<'a> {
    v: &'a Value,
    u: &'a Value,
}

impl<'a> Attr<'a> {
    fn get(self, k: &str) -> Attr<'a> {
        Attr {
            v: self.v.get(k).unwrap_or(&NULL),
            u: self.u.get(k).unwrap_or(&NULL),
        }
    }

    fn at(self, i: usize) -> Attr<'a> {
        Attr {
            v: self.v.get(i).unwrap_or(&NULL),
            u: self.u.get(i).unwrap_or(&NULL),
        }
    }

    fn unknown(self) -> bool {
        self.u.as_bool() == Some(true)
    }

    /// The elements of a list (a nested block), known or not.
    fn items(self) -> Vec<Attr<'a>> {
        let n = self
            .v
            .as_array()
            .map_or(0, Vec::len)
            .max(self.u.as_array().map_or(0, Vec::len));
        (0..n).map(|i| self.at(i)).collect()
    }

    /// The first block of a `MaxItems: 1` list, or nothing.
    fn block(self) -> Option<Attr<'a>> {
        self.items().into_iter().next()
    }
}

/// The plan's configuration references (`configuration.root_module.resources[].expressions`):
/// how an attribute whose value is unknown was written, e.g. `azuread_group.approvers.object_id`.
struct Config<'a> {
    expressions: BTreeMap<&'a str, &'a Value>,
}

impl<'a> Config<'a> {
    fn new(doc: &'a Value) -> Self {
        let mut expressions = BTreeMap::new();
        for r in doc
            .pointer("/configuration/root_module/resources")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            if let (Some(address), Some(e)) = (
                r.get("address").and_then(Value::as_str),
                r.get("expressions"),
            ) {
                expressions.insert(address, e);
            }
        }
        Config { expressions }
    }

    /// The references of the expression at `attr` in the resource `address`.
    fn references(&self, address: &str, attr: &[Step]) -> Vec<&'a str> {
        let Some(mut e) = self.expressions.get(address).copied() else {
            return Vec::new();
        };
        for step in attr {
            let next = match step {
                Step::Key(k) => e.get(k.as_str()),
                Step::Index(i) => e.get(*i),
            };
            match next {
                Some(n) => e = n,
                None => return Vec::new(),
            }
        }
        e.get("references")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default()
    }
}

/// What reading a plan needs at hand.
struct Reader<'a> {
    file: &'a str,
    text: &'a str,
    config: Config<'a>,
    /// Resource address → the id it will have (known now, else the address itself).
    ids: BTreeMap<String, String>,
    warnings: Vec<LoadWarning>,
}

impl Reader<'_> {
    fn warn(&mut self, kind: WarningKind, at: &[Step], message: String) {
        // An unknown attribute is left out of `after`: point at the nearest part that is written.
        let line = (0..=at.len())
            .rev()
            .find_map(|n| locate(self.text, &at[..n]))
            .map_or(0, |s| position(self.text, s.name).line);
        self.warnings.push(LoadWarning {
            kind,
            file: self.file.to_owned(),
            line,
            path: Some(jsonpath(at)),
            message,
        });
    }

    /// An id attribute: known, or resolved through the configuration's references to a resource
    /// of the plan (its id, or its address while that id is unknown).
    fn id(&mut self, res: &Res<'_>, a: Attr<'_>, attr: &[Step], what: &str) -> Option<String> {
        if let Some(s) = a.v.as_str().filter(|s| !s.is_empty()) {
            return Some(s.to_owned());
        }
        let refs = self.config.references(&res.address, attr);
        for r in &refs {
            let mut candidate: &str = r;
            loop {
                if let Some(id) = self.ids.get(candidate) {
                    return Some(id.clone());
                }
                match candidate.rsplit_once('.') {
                    Some((head, _)) => candidate = head,
                    None => break,
                }
            }
        }
        if a.unknown() || !refs.is_empty() {
            let mut full = res.base.clone();
            full.extend(attr.iter().cloned());
            let message = format!(
                "{what} is known only after apply and refers to nothing in this plan{}; it is left unresolved",
                refs.first()
                    .map(|r| format!(" (`{r}`)"))
                    .unwrap_or_default()
            );
            self.warn(WarningKind::UnresolvedReference, &full, message);
        }
        None
    }

    /// A flag: its value; false when unset (what the provider sends); `if_unknown` (with a
    /// warning) when known only after apply.
    fn flag(&mut self, res: &Res<'_>, a: Attr<'_>, attr: &[Step], if_unknown: bool) -> bool {
        if a.unknown() {
            let mut full = res.base.clone();
            full.extend(attr.iter().cloned());
            self.warn(
                WarningKind::UnsupportedValue,
                &full,
                format!("known only after apply; assumed {if_unknown} (the riskier value)"),
            );
            return if_unknown;
        }
        a.v.as_bool().unwrap_or(false)
    }

    /// An integer; `None` when unset; `if_unknown` (with a warning) when known only after apply.
    fn int(
        &mut self,
        res: &Res<'_>,
        a: Attr<'_>,
        attr: &[Step],
        if_unknown: Option<i64>,
    ) -> Option<i64> {
        if a.unknown() {
            let mut full = res.base.clone();
            full.extend(attr.iter().cloned());
            let assumed = if_unknown.map_or("unset".to_owned(), |n| n.to_string());
            self.warn(
                WarningKind::UnsupportedValue,
                &full,
                format!("known only after apply; assumed {assumed} (the riskier value)"),
            );
            return if_unknown;
        }
        a.v.as_i64()
    }

    fn text_of(&mut self, res: &Res<'_>, a: Attr<'_>, attr: &[Step]) -> Option<String> {
        if a.unknown() {
            let mut full = res.base.clone();
            full.extend(attr.iter().cloned());
            self.warn(
                WarningKind::UnsupportedValue,
                &full,
                "known only after apply; treated as unset".to_owned(),
            );
            return None;
        }
        str_of(Some(a.v))
    }

    /// `requestor`, `primary_approver`, `alternative_approver` or `reviewer` blocks → beta
    /// `userSet`s.
    fn user_sets(&mut self, res: &Res<'_>, list: Attr<'_>, attr: &[Step]) -> Value {
        let mut out = Vec::new();
        for (i, item) in list.items().into_iter().enumerate() {
            let mut here = attr.to_vec();
            here.push(Step::Index(i));
            let Some(subject_type) = str_of(Some(item.get("subject_type").v)) else {
                continue;
            };
            let mut set = Map::new();
            set.insert(
                "@odata.type".to_owned(),
                json!(format!("#microsoft.graph.{}", lower_first(&subject_type))),
            );
            let mut id_attr = here.clone();
            id_attr.push(key("object_id"));
            if let Some(id) = self.id(res, item.get("object_id"), &id_attr, "object_id") {
                set.insert("id".to_owned(), json!(id));
            }
            let mut backup = here.clone();
            backup.push(key("backup"));
            let is_backup = self.flag(res, item.get("backup"), &backup, false);
            set.insert("isBackup".to_owned(), json!(is_backup));
            out.push(Value::Object(set));
        }
        Value::Array(out)
    }

    /// One policy resource as a Graph beta policy body.
    #[allow(clippy::too_many_lines)]
    fn policy(&mut self, res: &Res<'_>) -> Value {
        let root = Attr {
            v: res.values,
            u: res.unknown,
        };
        let mut p = Map::new();
        let id = str_of(res.values.get("id")).unwrap_or_else(|| res.address.clone());
        p.insert("id".to_owned(), json!(id));
        if let Some(n) = str_of(res.values.get("display_name")) {
            p.insert("displayName".to_owned(), json!(n));
        }
        if let Some(d) = str_of(res.values.get("description")) {
            p.insert("description".to_owned(), json!(d));
        }
        if let Some(pkg) = self.id(
            res,
            root.get("access_package_id"),
            &[key("access_package_id")],
            "access_package_id",
        ) {
            p.insert("accessPackageId".to_owned(), json!(pkg));
        }
        // The provider always sends durationInDays (0 when unset): no duration and no date is
        // "no expiration".
        let duration = self
            .int(
                res,
                root.get("duration_in_days"),
                &[key("duration_in_days")],
                Some(0),
            )
            .unwrap_or(0);
        let date = self.text_of(res, root.get("expiration_date"), &[key("expiration_date")]);
        p.insert("durationInDays".to_owned(), json!(duration));
        p.insert("expirationDateTime".to_owned(), json!(date));
        let extend_key = if root.get("can_extend").v.is_null() && !root.get("can_extend").unknown()
        {
            "extension_enabled"
        } else {
            "can_extend"
        };
        let can_extend = self.flag(res, root.get(extend_key), &[key(extend_key)], true);
        p.insert("canExtend".to_owned(), json!(can_extend));

        if let Some(rs) = root.get("requestor_settings").block() {
            let at = [key("requestor_settings"), Step::Index(0)];
            let mut r = Map::new();
            let scope = self
                .text_of(
                    res,
                    rs.get("scope_type"),
                    &[at[0].clone(), at[1].clone(), key("scope_type")],
                )
                .unwrap_or_else(|| "NoSubjects".to_owned());
            r.insert("scopeType".to_owned(), json!(scope));
            let accept_key =
                if rs.get("accept_requests").v.is_null() && !rs.get("accept_requests").unknown() {
                    "requests_accepted"
                } else {
                    "accept_requests"
                };
            let accept = self.flag(
                res,
                rs.get(accept_key),
                &[at[0].clone(), at[1].clone(), key(accept_key)],
                true,
            );
            r.insert("acceptRequests".to_owned(), json!(accept));
            let requestors = self.user_sets(
                res,
                rs.get("requestor"),
                &[at[0].clone(), at[1].clone(), key("requestor")],
            );
            r.insert("allowedRequestors".to_owned(), requestors);
            p.insert("requestorSettings".to_owned(), Value::Object(r));
        }

        if let Some(ap) = root.get("approval_settings").block() {
            let at = vec![key("approval_settings"), Step::Index(0)];
            let sub = |k: &str| {
                let mut v = at.clone();
                v.push(key(k));
                v
            };
            let mut a = Map::new();
            let required = self.flag(
                res,
                ap.get("approval_required"),
                &sub("approval_required"),
                false,
            );
            a.insert("isApprovalRequired".to_owned(), json!(required));
            let for_extension = self.flag(
                res,
                ap.get("approval_required_for_extension"),
                &sub("approval_required_for_extension"),
                false,
            );
            a.insert(
                "isApprovalRequiredForExtension".to_owned(),
                json!(for_extension),
            );
            let justification = self.flag(
                res,
                ap.get("requestor_justification_required"),
                &sub("requestor_justification_required"),
                false,
            );
            a.insert(
                "isRequestorJustificationRequired".to_owned(),
                json!(justification),
            );
            let mut stages = Vec::new();
            for (i, st) in ap.get("approval_stage").items().into_iter().enumerate() {
                let mut here = sub("approval_stage");
                here.push(Step::Index(i));
                let sub2 = |k: &str| {
                    let mut v = here.clone();
                    v.push(key(k));
                    v
                };
                let mut s = Map::new();
                if let Some(days) = st.get("approval_timeout_in_days").v.as_i64() {
                    s.insert("approvalStageTimeOutInDays".to_owned(), json!(days));
                }
                let justify = self.flag(
                    res,
                    st.get("approver_justification_required"),
                    &sub2("approver_justification_required"),
                    false,
                );
                s.insert("isApproverJustificationRequired".to_owned(), json!(justify));
                let alternative = self.flag(
                    res,
                    st.get("alternative_approval_enabled"),
                    &sub2("alternative_approval_enabled"),
                    false,
                );
                s.insert("isEscalationEnabled".to_owned(), json!(alternative));
                if let Some(days) = st.get("enable_alternative_approval_in_days").v.as_i64() {
                    s.insert(
                        "escalationTimeInMinutes".to_owned(),
                        json!(days.saturating_mul(1440)),
                    );
                }
                let primary =
                    self.user_sets(res, st.get("primary_approver"), &sub2("primary_approver"));
                s.insert("primaryApprovers".to_owned(), primary);
                let alternative = self.user_sets(
                    res,
                    st.get("alternative_approver"),
                    &sub2("alternative_approver"),
                );
                s.insert("escalationApprovers".to_owned(), alternative);
                stages.push(Value::Object(s));
            }
            a.insert("approvalStages".to_owned(), Value::Array(stages));
            p.insert("requestApprovalSettings".to_owned(), Value::Object(a));
        }

        if let Some(rv) = root.get("assignment_review_settings").block() {
            let at = vec![key("assignment_review_settings"), Step::Index(0)];
            let sub = |k: &str| {
                let mut v = at.clone();
                v.push(key(k));
                v
            };
            let mut r = Map::new();
            let enabled_key = if rv.get("is_enabled").v.is_null() && !rv.get("is_enabled").unknown()
            {
                "enabled"
            } else {
                "is_enabled"
            };
            let enabled = self.flag(res, rv.get(enabled_key), &sub(enabled_key), false);
            r.insert("isEnabled".to_owned(), json!(enabled));
            for (tf, beta) in [
                ("review_frequency", "recurrenceType"),
                ("review_type", "reviewerType"),
                ("starting_on", "startDateTime"),
                (
                    "access_review_timeout_behavior",
                    "accessReviewTimeoutBehavior",
                ),
            ] {
                if let Some(v) = self.text_of(res, rv.get(tf), &sub(tf)) {
                    r.insert(beta.to_owned(), json!(v));
                }
            }
            if let Some(d) = rv.get("duration_in_days").v.as_i64() {
                r.insert("durationInDays".to_owned(), json!(d));
            }
            for (tf, beta) in [
                (
                    "access_recommendation_enabled",
                    "isAccessRecommendationEnabled",
                ),
                (
                    "approver_justification_required",
                    "isApprovalJustificationRequired",
                ),
            ] {
                let on = self.flag(res, rv.get(tf), &sub(tf), false);
                r.insert(beta.to_owned(), json!(on));
            }
            let reviewers = self.user_sets(res, rv.get("reviewer"), &sub("reviewer"));
            r.insert("reviewers".to_owned(), reviewers);
            p.insert("accessReviewSettings".to_owned(), Value::Object(r));
        }
        Value::Object(p)
    }
}

/// `SingleUser` → `singleUser` (the provider accepts either case).
fn lower_first(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_lowercase().chain(c).collect(),
        None => String::new(),
    }
}

fn source(file: &str, text: &str, path: &[Step]) -> SourceRef {
    SourceRef {
        file: file.to_owned(),
        pointer: pointer(path),
        line: locate(text, path).map_or(0, |s| position(text, s.name).line),
    }
}

/// What the plan adds to packages: `azuread_access_package_resource_package_association`
/// (`access_package_id`, `catalog_resource_association_id`, `access_type` Member or Owner) over
/// `azuread_access_package_resource_catalog_association` (`resource_origin_id`,
/// `resource_origin_system`, e.g. a group's object id and `AadGroup`), as resource role scopes.
fn role_scopes(all: &[Res<'_>], reader: &mut Reader<'_>, out: &mut Parsed) {
    // A catalog association by its id and by its address: (origin id, origin system).
    let mut origins: BTreeMap<String, (String, String)> = BTreeMap::new();
    for r in all.iter().filter(|r| r.kind == CATALOG_RESOURCE) {
        let root = Attr {
            v: r.values,
            u: r.unknown,
        };
        let Some(origin) = reader.id(
            r,
            root.get("resource_origin_id"),
            &[key("resource_origin_id")],
            "resource_origin_id",
        ) else {
            continue;
        };
        let system =
            str_of(r.values.get("resource_origin_system")).unwrap_or_else(|| "AadGroup".to_owned());
        let id = reader.ids.get(&r.address).cloned().unwrap_or_default();
        origins.insert(id, (origin.clone(), system.clone()));
        origins.insert(r.address.clone(), (origin, system));
    }
    for r in all.iter().filter(|r| r.kind == PACKAGE_RESOURCE) {
        let root = Attr {
            v: r.values,
            u: r.unknown,
        };
        let package = reader.id(
            r,
            root.get("access_package_id"),
            &[key("access_package_id")],
            "access_package_id",
        );
        let association = reader.id(
            r,
            root.get("catalog_resource_association_id"),
            &[key("catalog_resource_association_id")],
            "catalog_resource_association_id",
        );
        let (Some(package), Some((origin, system))) =
            (package, association.and_then(|a| origins.get(&a).cloned()))
        else {
            continue;
        };
        let role = str_of(r.values.get("access_type")).unwrap_or_else(|| "Member".to_owned());
        let role_id = format!("{role}_{origin}");
        out.role_scopes.push((
            package,
            ResourceRoleScope {
                id: format!("{role_id}_{origin}"),
                role: Some(ResourceRole {
                    id: role_id.clone(),
                    display_name: Some(role),
                    origin_id: Some(role_id),
                    origin_system: Some(system.clone()),
                    ..ResourceRole::default()
                }),
                scope: Some(ResourceScope {
                    id: origin.clone(),
                    origin_id: Some(origin),
                    origin_system: Some(system),
                    is_root_scope: Some(true),
                    ..ResourceScope::default()
                }),
            },
        ));
    }
}

/// Reads a plan: its policies as proposals, its packages, catalogs and groups as entities.
/// Returns how many policies it held.
pub(crate) fn read(
    index: usize,
    file: &str,
    text: &str,
    doc: &Value,
    out: &mut Parsed,
) -> Result<usize, LoadError> {
    let all = resources(doc);
    let mut reader = Reader {
        file,
        text,
        config: Config::new(doc),
        ids: BTreeMap::new(),
        warnings: Vec::new(),
    };
    for r in &all {
        let id_key = if r.kind == GROUP { "object_id" } else { "id" };
        let id = str_of(r.values.get(id_key)).unwrap_or_else(|| r.address.clone());
        reader.ids.insert(r.address.clone(), id);
    }
    let mut count = 0;
    for r in &all {
        let id = reader.ids.get(&r.address).cloned().unwrap_or_default();
        match r.kind.as_str() {
            POLICY => {
                let body = reader.policy(r);
                let line = locate(text, &r.base).map_or(0, |s| position(text, s.name).line);
                let base = jsonpath(&r.base);
                let mut normalised = Vec::new();
                let policy = crate::ingest::policy_from_json(
                    file,
                    line,
                    &pointer(&r.base),
                    &base,
                    body,
                    &mut normalised,
                )?;
                // Normalisation speaks of the beta body this resource became: an approver without
                // an id was reported above with its Terraform path; other notes name the beta
                // field after the resource's path.
                for mut w in normalised {
                    if w.kind == WarningKind::UnresolvedReference
                        && w.message.contains("subject set without an id")
                    {
                        continue;
                    }
                    if let Some(field) = w
                        .path
                        .as_deref()
                        .and_then(|p| p.strip_prefix(base.as_str()))
                        .map(|f| f.trim_start_matches('.').to_owned())
                        .filter(|f| !f.is_empty())
                    {
                        w.message = format!("{} (Graph beta `{field}`)", w.message);
                    }
                    w.path = Some(base.clone());
                    reader.warnings.push(w);
                }
                out.proposals.push(Proposal {
                    policy,
                    file: index,
                    base: r.base.clone(),
                    shape: Shape::Terraform,
                });
                count += 1;
            }
            PACKAGE => {
                let root = Attr {
                    v: r.values,
                    u: r.unknown,
                };
                let catalog = reader.id(
                    r,
                    root.get("catalog_id"),
                    &[key("catalog_id")],
                    "catalog_id",
                );
                out.packages.push(AccessPackage {
                    id,
                    display_name: str_of(r.values.get("display_name")),
                    description: str_of(r.values.get("description")),
                    is_hidden: r.values.get("hidden").and_then(Value::as_bool),
                    catalog_id: catalog,
                    // A package the plan creates grants exactly what the plan associates with it.
                    resource_role_scopes: Some(Vec::new()),
                    source: source(file, text, &r.base),
                    ..AccessPackage::default()
                });
            }
            CATALOG => out.catalogs.push(Catalog {
                id,
                display_name: str_of(r.values.get("display_name")),
                description: str_of(r.values.get("description")),
                is_externally_visible: r.values.get("externally_visible").and_then(Value::as_bool),
                source: source(file, text, &r.base),
                ..Catalog::default()
            }),
            GROUP => {
                let members = Attr {
                    v: r.values,
                    u: r.unknown,
                }
                .get("members");
                let members = (!members.unknown()).then(|| {
                    members
                        .v
                        .as_array()
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .map(|m| ObjectRef {
                            id: m.to_owned(),
                            kind: ObjectKind::Unknown,
                        })
                        .collect::<Vec<_>>()
                });
                let rule = r
                    .values
                    .pointer("/dynamic_membership/0/rule")
                    .and_then(Value::as_str)
                    .map(str::to_owned);
                out.groups.push(Group {
                    id,
                    display_name: str_of(r.values.get("display_name")),
                    description: str_of(r.values.get("description")),
                    group_types: r
                        .values
                        .get("types")
                        .and_then(Value::as_array)
                        .map(|t| {
                            t.iter()
                                .filter_map(Value::as_str)
                                .map(str::to_owned)
                                .collect()
                        })
                        .unwrap_or_default(),
                    is_assignable_to_role: r
                        .values
                        .get("assignable_to_role")
                        .and_then(Value::as_bool),
                    membership_rule: rule,
                    security_enabled: r.values.get("security_enabled").and_then(Value::as_bool),
                    mail_enabled: r.values.get("mail_enabled").and_then(Value::as_bool),
                    members,
                    transitive_members: None,
                    source: source(file, text, &r.base),
                });
            }
            _ => {}
        }
    }
    role_scopes(&all, &mut reader, out);
    if count == 0 {
        reader.warnings.push(LoadWarning {
            kind: WarningKind::UnrecognisedFile,
            file: file.to_owned(),
            line: 0,
            path: None,
            message: format!("this Terraform plan has no {POLICY} resource to lint"),
        });
    }
    out.warnings.append(&mut reader.warnings);
    Ok(count)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_attributes_and_unknowns() {
        let doc = json!({
            "format_version": "1.2",
            "resource_changes": [
                {"address": "azuread_access_package.p", "mode": "managed", "type": "azuread_access_package",
                 "change": {"actions": ["create"], "after": {"display_name": "New"}, "after_unknown": {"id": true}}},
                {"address": "azuread_access_package_assignment_policy.x", "mode": "managed",
                 "type": "azuread_access_package_assignment_policy",
                 "change": {"actions": ["create"],
                   "after": {"display_name": "X", "duration_in_days": null,
                             "requestor_settings": [{"scope_type": "AllExternalSubjects", "requests_accepted": true, "requestor": []}],
                             "approval_settings": [{"approval_required": true, "approval_stage": [
                                 {"approval_timeout_in_days": 14, "primary_approver": [{"subject_type": "groupMembers", "object_id": "g1", "backup": false}]}]}]},
                   "after_unknown": {"access_package_id": true, "extension_enabled": true}}},
                {"address": "azuread_access_package_assignment_policy.gone", "mode": "managed",
                 "type": "azuread_access_package_assignment_policy",
                 "change": {"actions": ["delete"], "after": null}}
            ],
            "configuration": {"root_module": {"resources": [
                {"address": "azuread_access_package_assignment_policy.x",
                 "expressions": {"access_package_id": {"references": ["azuread_access_package.p.id", "azuread_access_package.p"]}}}
            ]}}
        });
        let text = serde_json::to_string_pretty(&doc).unwrap();
        let mut parsed = Parsed::default();
        assert_eq!(read(0, "plan.json", &text, &doc, &mut parsed).unwrap(), 1);
        let p = &parsed.proposals[0].policy;
        assert_eq!(p.id, "azuread_access_package_assignment_policy.x");
        assert_eq!(
            p.access_package_id.as_deref(),
            Some("azuread_access_package.p")
        );
        assert!(p.is_self_service());
        assert!(
            p.requestor_settings.as_ref().unwrap().self_update,
            "unknown extension assumed on"
        );
        assert!(p.expiration.as_ref().unwrap().is_none());
        assert!(p.approval_required());
        assert_eq!(parsed.packages[0].id, "azuread_access_package.p");
        assert_eq!(parsed.warnings.len(), 1, "{:?}", parsed.warnings);
        assert!(parsed.warnings[0].message.contains("assumed true"));
    }
}
