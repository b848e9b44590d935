//! `grantscope collect`: runs the export recipe (docs/EXPORT-RECIPE.md) against Microsoft Graph
//! and writes its files. Network code lives here, in the CLI, never in the core.
//!
//! Order: the collection-wide requests (paged through `@odata.nextLink`, one file per page),
//! then the per-catalog and per-package requests, then the members of every group those name,
//! then the direct members of the groups that nest groups; the per-object requests go 20 to a
//! `POST /$batch`.

pub(crate) mod auth;
pub(crate) mod http;
pub(crate) mod manifest;
pub(crate) mod progress;
pub(crate) mod recipe;
pub(crate) mod writer;

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::time::{Duration, Instant};

use anyhow::{Result, anyhow};
use serde_json::Value;

use self::http::{Failure, Graph, SubRequest};
use self::manifest::{RequestRecord, Status};
use self::progress::Progress;
use self::recipe::Dataset;
use self::writer::{OutDir, page_name};

/// Most requests in one `$batch` (Graph's limit).
pub(crate) const BATCH_SIZE: usize = 20;

/// What to collect.
pub(crate) struct Plan {
    /// The datasets whose files are written.
    pub(crate) save: BTreeSet<Dataset>,
    /// `activityDateTime ge …` for the audit log.
    pub(crate) audit_since: Option<String>,
    pub(crate) resume: bool,
    /// Retries of network errors and 5xx answers per request.
    pub(crate) retries: u32,
}

impl Plan {
    /// The datasets to fetch: those saved and, transitively, those whose ids they need.
    pub(crate) fn needed(&self) -> BTreeSet<Dataset> {
        let mut needed = self.save.clone();
        let mut stack: Vec<Dataset> = needed.iter().copied().collect();
        while let Some(dataset) = stack.pop() {
            for prerequisite in dataset.prerequisites() {
                if needed.insert(*prerequisite) {
                    stack.push(*prerequisite);
                }
            }
        }
        needed
    }
}

/// The ids that the per-object requests are made for, gathered from the pages as they arrive.
#[derive(Debug, Default)]
struct Found {
    catalogs: BTreeSet<String>,
    packages: BTreeSet<String>,
    /// Groups named by policies, approvers, sponsors, incompatibilities or catalog resources.
    groups: BTreeSet<String>,
    /// Groups whose transitive members include groups.
    nesting: BTreeSet<String>,
}

impl Found {
    fn scan(&mut self, dataset: Dataset, object_id: Option<&str>, page: &Value) {
        let items = page.get("value").and_then(Value::as_array);
        let ids = || {
            items
                .into_iter()
                .flatten()
                .filter_map(|item| item.get("id")?.as_str())
                .map(str::to_owned)
        };
        match dataset {
            Dataset::Catalogs => self.catalogs.extend(ids()),
            Dataset::AccessPackages => self.packages.extend(ids()),
            Dataset::IncompatibleGroups => self.groups.extend(ids()),
            Dataset::AssignmentPolicies
            | Dataset::ConnectedOrganizations
            | Dataset::GuestSponsors => walk_groups(page, &mut self.groups),
            Dataset::CatalogResources => {
                for item in items.into_iter().flatten() {
                    let is_group = item
                        .get("originSystem")
                        .and_then(Value::as_str)
                        .is_some_and(|s| s.eq_ignore_ascii_case("AadGroup"));
                    if let (true, Some(id)) =
                        (is_group, item.get("originId").and_then(Value::as_str))
                    {
                        self.groups.insert(id.to_owned());
                    }
                }
            }
            Dataset::GroupMembers => {
                let nests = items
                    .into_iter()
                    .flatten()
                    .any(|item| odata_type(item).is_some_and(|t| t == "group"));
                if let (true, Some(id)) = (nests, object_id) {
                    self.nesting.insert(id.to_owned());
                }
            }
            _ => {}
        }
    }

    /// The objects a per-object dataset is requested for, sorted.
    fn objects(&self, dataset: Dataset) -> Vec<String> {
        let set = match dataset {
            Dataset::CatalogResources => &self.catalogs,
            Dataset::IncompatibleAccessPackages | Dataset::IncompatibleGroups => &self.packages,
            Dataset::GroupMembers => &self.groups,
            Dataset::GroupDirectMembers => &self.nesting,
            _ => return Vec::new(),
        };
        set.iter().filter(|id| is_plain_id(id)).cloned().collect()
    }
}

/// Only ids that can stand in a URL path as they are (Graph ids are GUIDs; this keeps a hostile
/// or odd value from changing the request).
fn is_plain_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 128
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
        && id != "."
        && id != ".."
}

/// `group` for `#microsoft.graph.group`.
fn odata_type(item: &Value) -> Option<&str> {
    let t = item.get("@odata.type")?.as_str()?;
    let t = t.strip_prefix('#').unwrap_or(t);
    Some(t.strip_prefix("microsoft.graph.").unwrap_or(t))
}

/// Every group that a policy, connected organisation or guest names: `groupMembers` subject
/// sets (allowed requestors, approvers, reviewers) by `groupId`, and group objects (sponsors).
fn walk_groups(value: &Value, groups: &mut BTreeSet<String>) {
    match value {
        Value::Object(map) => {
            match odata_type(value) {
                Some(t) if t.eq_ignore_ascii_case("groupMembers") => {
                    if let Some(id) = map.get("groupId").and_then(Value::as_str) {
                        groups.insert(id.to_owned());
                    }
                }
                Some("group") => {
                    if let Some(id) = map.get("id").and_then(Value::as_str) {
                        groups.insert(id.to_owned());
                    }
                }
                _ => {}
            }
            for child in map.values() {
                walk_groups(child, groups);
            }
        }
        Value::Array(items) => {
            for item in items {
                walk_groups(item, groups);
            }
        }
        _ => {}
    }
}

/// The number of items a page holds: its `value` list, or 1 for a single entity.
fn item_count(page: &Value) -> usize {
    page.get("value")
        .and_then(Value::as_array)
        .map_or(1, Vec::len)
}

/// One per-object request waiting for its batch.
struct Job {
    dataset: Dataset,
    object_id: String,
    request: String,
    attempts: u32,
    transient: u32,
    throttled: u32,
    not_before: Instant,
}

/// Runs a plan; keeps every request's record for the manifest, even when it stops early.
pub(crate) struct Collector<'a> {
    graph: &'a Graph,
    out: &'a OutDir,
    plan: &'a Plan,
    progress: Progress,
    found: Found,
    pub(crate) records: Vec<RequestRecord>,
    /// Called after each phase with the records so far (writes an interim manifest).
    checkpoint: &'a dyn Fn(&[RequestRecord]) -> Result<()>,
}

impl<'a> Collector<'a> {
    pub(crate) fn new(
        graph: &'a Graph,
        out: &'a OutDir,
        plan: &'a Plan,
        progress: Progress,
        checkpoint: &'a dyn Fn(&[RequestRecord]) -> Result<()>,
    ) -> Collector<'a> {
        Collector {
            graph,
            out,
            plan,
            progress,
            found: Found::default(),
            records: Vec::new(),
            checkpoint,
        }
    }

    /// Collects everything the plan needs. An error stops the run (the token was rejected, the
    /// folder cannot be written); request failures are recorded and the run goes on.
    pub(crate) fn run(&mut self) -> Result<()> {
        let needed = self.plan.needed();
        let collections: Vec<Dataset> = Dataset::ALL
            .into_iter()
            .filter(|d| !d.is_per_object() && needed.contains(d))
            .collect();
        self.progress.add_requests(collections.len());
        for dataset in collections {
            let request = dataset
                .request(self.plan.audit_since.as_deref())
                .ok_or_else(|| anyhow!("{} has no collection request", dataset.name()))?;
            self.progress.fetching(dataset.name());
            let record = self.collection(dataset, None, &request)?;
            self.progress.done(record.items);
            self.records.push(record);
        }
        (self.checkpoint)(&self.records)?;

        let phases: [&[Dataset]; 3] = [
            &[
                Dataset::CatalogResources,
                Dataset::IncompatibleAccessPackages,
                Dataset::IncompatibleGroups,
            ],
            &[Dataset::GroupMembers],
            &[Dataset::GroupDirectMembers],
        ];
        for phase in phases {
            let mut jobs = Vec::new();
            for dataset in phase.iter().copied().filter(|d| needed.contains(d)) {
                for object_id in self.found.objects(dataset) {
                    let request = dataset
                        .object_request(&object_id)
                        .ok_or_else(|| anyhow!("{} has no per-object request", dataset.name()))?;
                    jobs.push(Job {
                        dataset,
                        object_id,
                        request,
                        attempts: 0,
                        transient: 0,
                        throttled: 0,
                        not_before: Instant::now(),
                    });
                }
            }
            self.batched(jobs)?;
            (self.checkpoint)(&self.records)?;
        }
        self.progress.fetching("done");
        Ok(())
    }

    /// A collection whose files are complete in the folder (`--resume`), scanned for ids.
    fn already_complete(
        &mut self,
        dataset: Dataset,
        object_id: Option<&str>,
        request: &str,
    ) -> Option<RequestRecord> {
        if !self.plan.resume {
            return None;
        }
        let pages = self.out.complete_pages(&dataset.stem(object_id))?;
        let mut record = RequestRecord::new(dataset, object_id, request);
        record.status = Status::AlreadyComplete;
        for (name, page) in &pages {
            record.items += item_count(page);
            record.files.push(name.clone());
            self.found.scan(dataset, object_id, page);
        }
        Some(record)
    }

    /// A collection-wide request, all its pages.
    fn collection(
        &mut self,
        dataset: Dataset,
        object_id: Option<&str>,
        request: &str,
    ) -> Result<RequestRecord> {
        if let Some(record) = self.already_complete(dataset, object_id, request) {
            return Ok(record);
        }
        let mut record = RequestRecord::new(dataset, object_id, request);
        let first = self.graph.get(&self.graph.url(request));
        match first {
            Ok(body) => self.pages(&mut record, dataset, object_id, body)?,
            Err(failure) => {
                fatal_if_unauthorized(&failure)?;
                record.fail(&failure, failure.status == Some(403));
                self.out.remove_pages(&dataset.stem(object_id))?;
            }
        }
        Ok(record)
    }

    /// Saves (or only scans) the first page and every page after it.
    fn pages(
        &mut self,
        record: &mut RequestRecord,
        dataset: Dataset,
        object_id: Option<&str>,
        first: Vec<u8>,
    ) -> Result<()> {
        let save = self.plan.save.contains(&dataset);
        let stem = dataset.stem(object_id);
        // Pages of an earlier run are replaced, never mixed with these.
        self.out.remove_pages(&stem)?;
        let mut body = first;
        for number in 1.. {
            let page: Value = match serde_json::from_slice(&body) {
                Ok(page @ Value::Object(_)) => page,
                _ => {
                    let failure =
                        Failure::other(format!("page {number} of the answer is not a JSON object"));
                    record.fail(&failure, false);
                    self.out.remove_pages(&stem)?;
                    return Ok(());
                }
            };
            record.items += item_count(&page);
            if save {
                let name = page_name(&stem, number);
                self.out.write(&name, &body)?;
                record.files.push(name);
            }
            self.found.scan(dataset, object_id, &page);
            let Some(next) = page.get("@odata.nextLink").and_then(Value::as_str) else {
                break;
            };
            match self.graph.get(next) {
                Ok(next_body) => body = next_body,
                Err(mut failure) => {
                    fatal_if_unauthorized(&failure)?;
                    failure.message = format!("page {}: {}", number + 1, failure.message);
                    record.fail(&failure, false);
                    self.out.remove_pages(&stem)?;
                    return Ok(());
                }
            }
        }
        if !save {
            record.status = Status::NotSaved;
            record.reason = Some(format!(
                "excluded, fetched only for the objects that other datasets are requested for \
                 ({} items)",
                record.items
            ));
        }
        Ok(())
    }

    /// Per-object requests, 20 to a `$batch`; throttled and failed ones are sent again in later
    /// batches, after their `Retry-After` or backoff.
    fn batched(&mut self, jobs: Vec<Job>) -> Result<()> {
        self.progress.add_requests(jobs.len());
        let mut queue = VecDeque::new();
        for job in jobs {
            match self.already_complete(job.dataset, Some(&job.object_id), &job.request) {
                Some(record) => {
                    self.progress.done(record.items);
                    self.records.push(record);
                }
                None => queue.push_back(job),
            }
        }
        // Records in the order of the jobs, whatever order the answers come in.
        let mut done: BTreeMap<usize, RequestRecord> = BTreeMap::new();
        let mut order = 0usize;
        let mut queue: VecDeque<(usize, Job)> = queue
            .into_iter()
            .map(|job| {
                order += 1;
                (order, job)
            })
            .collect();
        while !queue.is_empty() {
            let earliest = queue.iter().map(|(_, j)| j.not_before).min();
            if let Some(wait) = earliest.and_then(|t| t.checked_duration_since(Instant::now())) {
                std::thread::sleep(wait);
            }
            let now = Instant::now();
            let mut batch = Vec::new();
            let mut later = VecDeque::new();
            while let Some((n, job)) = queue.pop_front() {
                if batch.len() < BATCH_SIZE && job.not_before <= now {
                    batch.push((n, job));
                } else {
                    later.push_back((n, job));
                }
            }
            queue = later;
            let requests: Vec<SubRequest> = batch
                .iter()
                .enumerate()
                .map(|(i, (_, job))| SubRequest {
                    id: (i + 1).to_string(),
                    url: job.request.clone(),
                })
                .collect();
            let names: BTreeSet<&str> = batch.iter().map(|(_, j)| j.dataset.name()).collect();
            self.progress.fetching(&format!(
                "$batch of {}: {}",
                batch.len(),
                names.into_iter().collect::<Vec<_>>().join(", ")
            ));
            let answers = match self.graph.batch(&requests) {
                Ok(answers) => answers,
                Err(failure) => {
                    fatal_if_unauthorized(&failure)?;
                    for (n, job) in batch {
                        let mut record =
                            RequestRecord::new(job.dataset, Some(&job.object_id), &job.request);
                        let mut failure = failure.clone();
                        failure.message = format!("$batch: {}", failure.message);
                        record.fail(&failure, false);
                        self.progress.done(0);
                        done.insert(n, record);
                    }
                    continue;
                }
            };
            let mut answers: BTreeMap<String, http::SubResponse> =
                answers.into_iter().map(|a| (a.id.clone(), a)).collect();
            for (i, (n, mut job)) in batch.into_iter().enumerate() {
                job.attempts += 1;
                let answer = answers.remove(&(i + 1).to_string());
                let (status, retry_after, body) = match answer {
                    Some(a) => (Some(a.status), a.retry_after, a.body),
                    None => (None, None, None),
                };
                let body_bytes = body.as_ref().map_or(&b""[..], |b| b.get().as_bytes());
                let mut record =
                    RequestRecord::new(job.dataset, Some(&job.object_id), &job.request);
                match status {
                    Some(200..=299) => {
                        self.pages(
                            &mut record,
                            job.dataset,
                            Some(&job.object_id),
                            body_bytes.to_vec(),
                        )?;
                    }
                    Some(429 | 503) if job.throttled < http::MAX_THROTTLED => {
                        job.throttled += 1;
                        let wait = retry_after.unwrap_or_else(|| http::backoff(job.throttled));
                        self.progress.waiting(wait, "throttled by Graph");
                        job.not_before = Instant::now() + wait;
                        queue.push_back((n, job));
                        continue;
                    }
                    None | Some(500..) if job.transient < self.plan.retries => {
                        job.transient += 1;
                        let wait = retry_after
                            .unwrap_or_else(|| http::backoff(job.transient))
                            .min(Duration::from_secs(300));
                        self.progress.waiting(wait, "Graph failed a request");
                        job.not_before = Instant::now() + wait;
                        queue.push_back((n, job));
                        continue;
                    }
                    Some(status) => {
                        let failure = Failure::from_answer(status, body_bytes, job.attempts);
                        fatal_if_unauthorized(&failure)?;
                        // Forbidden (no permission or licence) or gone since it was listed.
                        record.fail(&failure, matches!(status, 403 | 404));
                    }
                    None => {
                        let mut failure =
                            Failure::other("the $batch answer left this request out".to_owned());
                        failure.attempts = job.attempts;
                        record.fail(&failure, false);
                    }
                }
                self.progress.done(record.items);
                done.insert(n, record);
            }
        }
        self.records.extend(done.into_values());
        Ok(())
    }
}

/// A rejected token stops the run: every other request would be rejected too.
fn fatal_if_unauthorized(failure: &Failure) -> Result<()> {
    if failure.status == Some(401) {
        return Err(anyhow!(
            "Graph rejected the access token ({}); sign in again (or get a fresh token) and run \
             with --resume to fetch what is missing",
            failure.message
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_are_found_wherever_a_policy_names_them() {
        let policy = serde_json::json!({"value": [{
            "specificAllowedTargets": [{"@odata.type": "#microsoft.graph.groupMembers", "groupId": "g1"}],
            "requestApprovalSettings": {"stages": [{
                "primaryApprovers": [{"@odata.type": "#microsoft.graph.groupMembers", "groupId": "g2"},
                                     {"@odata.type": "#microsoft.graph.singleUser", "userId": "u1"}],
                "fallbackPrimaryApprovers": [{"@odata.type": "microsoft.graph.groupMembers", "groupId": "g3"}]
            }]},
            "accessPackage": {"id": "p1"}
        }]});
        let mut found = Found::default();
        found.scan(Dataset::AssignmentPolicies, None, &policy);
        let sponsors = serde_json::json!({"value": [{"internalSponsors": [
            {"@odata.type": "#microsoft.graph.group", "id": "g4"},
            {"@odata.type": "#microsoft.graph.user", "id": "u2"}]}]});
        found.scan(Dataset::ConnectedOrganizations, None, &sponsors);
        let resources = serde_json::json!({"value": [
            {"originSystem": "AadGroup", "originId": "g5"},
            {"originSystem": "SharePointOnline", "originId": "https://x"}]});
        found.scan(Dataset::CatalogResources, Some("c1"), &resources);
        found.scan(
            Dataset::IncompatibleGroups,
            Some("p1"),
            &serde_json::json!({"value": [{"id": "g6"}, {"id": "../me"}]}),
        );
        assert_eq!(
            found.objects(Dataset::GroupMembers),
            ["g1", "g2", "g3", "g4", "g5", "g6"]
        );
        found.scan(
            Dataset::GroupMembers,
            Some("g1"),
            &serde_json::json!({"value": [{"@odata.type": "#microsoft.graph.group", "id": "g2"}]}),
        );
        found.scan(
            Dataset::GroupMembers,
            Some("g2"),
            &serde_json::json!({"value": [{"@odata.type": "#microsoft.graph.user", "id": "u"}]}),
        );
        assert_eq!(found.objects(Dataset::GroupDirectMembers), ["g1"]);
    }

    #[test]
    fn prerequisites_are_fetched_but_only_selected_datasets_saved() {
        let plan = Plan {
            save: [Dataset::GroupDirectMembers].into_iter().collect(),
            audit_since: None,
            resume: false,
            retries: 0,
        };
        let needed: Vec<_> = plan.needed().into_iter().map(Dataset::name).collect();
        assert_eq!(
            needed,
            [
                "catalogs",
                "catalogResources",
                "accessPackages",
                "assignmentPolicies",
                "connectedOrganizations",
                "incompatibleGroups",
                "guestSponsors",
                "groupMembers",
                "groupDirectMembers"
            ]
        );
    }
}
