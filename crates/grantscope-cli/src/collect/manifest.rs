//! `manifest.json`: what a collection asked Graph, which files hold the answers, how many items
//! each brought, and what could not be collected and why. Never any token.

use serde::{Deserialize, Serialize};

use super::http::Failure;
use super::recipe::Dataset;

/// Version of the manifest's shape (bumped on incompatible changes).
pub(crate) const MANIFEST_VERSION: u32 = 1;

pub(crate) const FILE_NAME: &str = "manifest.json";

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Manifest {
    pub(crate) manifest_version: u32,
    pub(crate) tool: Tool,
    /// The tenant the token was issued by (else `--tenant`), when known.
    pub(crate) tenant_id: Option<String>,
    pub(crate) cloud: &'static str,
    /// The Graph version root the requests went to.
    pub(crate) graph_url: String,
    /// When the collection started and ended (UTC, RFC 3339).
    pub(crate) started_at: String,
    pub(crate) finished_at: Option<String>,
    /// True when every request was answered (collected, already complete, or skipped for a
    /// missing permission or licence); false when a request failed or the run stopped early.
    pub(crate) complete: bool,
    pub(crate) options: Options,
    pub(crate) summary: Summary,
    /// Every request, in the order it was made.
    pub(crate) requests: Vec<RequestRecord>,
    /// The requests that were skipped or failed, with why (also in `requests`).
    pub(crate) failures: Vec<RequestRecord>,
}

#[derive(Debug, Serialize)]
pub(crate) struct Tool {
    pub(crate) name: &'static str,
    pub(crate) version: &'static str,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Options {
    /// The datasets saved (`--include` less `--exclude`).
    pub(crate) datasets: Vec<&'static str>,
    /// `--since`: audit events from this time on (else all that the tenant keeps).
    pub(crate) audit_logs_since: Option<String>,
    pub(crate) resume: bool,
}

#[derive(Debug, Default, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Summary {
    pub(crate) requests: usize,
    pub(crate) collected: usize,
    pub(crate) already_complete: usize,
    pub(crate) skipped: usize,
    pub(crate) failed: usize,
    pub(crate) files: usize,
    pub(crate) items: usize,
}

/// What became of one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) enum Status {
    /// Fetched and saved in this run.
    Collected,
    /// Its files were already complete in the folder (`--resume`): not fetched again.
    AlreadyComplete,
    /// Fetched only because another dataset needs its ids; not saved (excluded).
    NotSaved,
    /// Not collected, and the export is still usable: no permission or licence (403), or the
    /// object was deleted after it was listed (404). The rules that need it are reported as
    /// not evaluated.
    Skipped,
    /// Not collected after the retries: run again with `--resume`.
    Failed,
}

#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct RequestRecord {
    pub(crate) dataset: &'static str,
    /// The catalog, package or group of a per-object request.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) object_id: Option<String>,
    /// `GET /users?$select=…`, relative to `graphUrl`.
    pub(crate) request: String,
    /// The recipe's file for it (its first page).
    pub(crate) file: String,
    /// The files holding its pages (empty when nothing was saved).
    pub(crate) files: Vec<String>,
    pub(crate) items: usize,
    pub(crate) status: Status,
    /// How many times it was sent in this run (retries included).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) attempts: Option<u32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) http_status: Option<u16>,
    /// Graph's error code.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) error_code: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) reason: Option<String>,
}

impl RequestRecord {
    pub(crate) fn new(dataset: Dataset, object_id: Option<&str>, request: &str) -> RequestRecord {
        RequestRecord {
            dataset: dataset.name(),
            object_id: object_id.map(str::to_owned),
            request: format!("GET {request}"),
            file: super::writer::page_name(&dataset.stem(object_id), 1),
            files: Vec::new(),
            items: 0,
            status: Status::Collected,
            attempts: None,
            http_status: None,
            error_code: None,
            reason: None,
        }
    }

    /// Marks it skipped or failed for `failure`; `gap` says the export is usable without it.
    pub(crate) fn fail(&mut self, failure: &Failure, gap: bool) {
        self.status = if gap { Status::Skipped } else { Status::Failed };
        self.files.clear();
        self.items = 0;
        self.attempts = Some(failure.attempts);
        self.http_status = failure.status;
        self.error_code.clone_from(&failure.code);
        self.reason = Some(failure.message.clone());
    }
}

impl Summary {
    pub(crate) fn of(records: &[RequestRecord]) -> Summary {
        let mut summary = Summary {
            requests: records.len(),
            ..Summary::default()
        };
        for record in records {
            match record.status {
                Status::Collected => summary.collected += 1,
                Status::AlreadyComplete => summary.already_complete += 1,
                Status::NotSaved => {}
                Status::Skipped => summary.skipped += 1,
                Status::Failed => summary.failed += 1,
            }
            summary.files += record.files.len();
            if record.status != Status::NotSaved {
                summary.items += record.items;
            }
        }
        summary
    }
}

/// The part of an earlier manifest that `--resume` checks.
#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase")]
pub(crate) struct Earlier {
    pub(crate) tenant_id: Option<String>,
}
