//! Ingestion: in-memory files (name + bytes) → one [`Snapshot`] plus a [`LoadReport`].
//!
//! Each file is decoded ([`text`]), recognised (from `@odata.context`, then the object shape, then
//! the file name or EntraExporter path), parsed into lenient wire types that accept both v1.0 and
//! beta spellings, normalised into the canonical model and merged. Zip archives are expanded in
//! memory with limits. Nothing here panics on any input: problems become errors per file or
//! warnings.

mod archive;
mod build;
mod csv_audit;
mod csv_users;
mod detect;
pub(crate) mod json;
mod lenient;
mod normalize;
pub mod report;
mod text;
mod wire;

pub use lenient::format_duration;
pub use text::line_col;

pub use report::{
    ApiVersion, FileOutcome, FileReport, InputFormat, LoadError, LoadReport, LoadWarning,
    WarningKind,
};

use crate::model::{Dataset, Snapshot};

/// One input file: its name (a relative path; for EntraExporter trees the path matters) and bytes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputFile {
    pub name: String,
    pub bytes: Vec<u8>,
}

impl InputFile {
    #[must_use]
    pub fn new(name: impl Into<String>, bytes: impl Into<Vec<u8>>) -> Self {
        InputFile {
            name: name.into(),
            bytes: bytes.into(),
        }
    }
}

/// Resource limits, enforced with clear errors, so a hostile export cannot exhaust memory or time.
/// Each one names what it bounds; SECURITY.md and README ("Limits") list the defaults.
///
/// Build non-default limits from the defaults (`Limits { max_file_bytes: …, ..Limits::default() }`)
/// so that a limit added later keeps its default.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Limits {
    /// Largest single file (after decompression), in bytes.
    pub max_file_bytes: u64,
    /// Largest total of all files (after decompression), in bytes.
    pub max_total_bytes: u64,
    /// Most entries one zip archive may hold.
    pub max_archive_entries: usize,
    /// How deep zips may nest inside zips.
    pub max_archive_depth: u32,
    /// Most a zip entry may expand: its size over its compressed size. Deflate cannot exceed
    /// about 1032, and exports compress 5–50 times, so a higher ratio is a zip bomb.
    pub max_expansion_ratio: u64,
    /// Deepest nesting of arrays and objects in a JSON file (Graph responses nest about ten).
    pub max_json_depth: u32,
    /// Most items (objects of a `value` array or a bare array) in one JSON file. Graph pages hold
    /// at most 999, so this only stops a file that would cost memory out of proportion to its size.
    pub max_items_per_file: usize,
}

impl Limits {
    /// The defaults: 512 MiB per file, 4 GiB in all, 200,000 zip entries, zips in zips two
    /// deep, expansion ratio 1000, JSON nesting 128 levels deep, 1,000,000 items per file.
    pub const DEFAULT: Limits = Limits {
        max_file_bytes: 512 * 1024 * 1024,
        max_total_bytes: 4 * 1024 * 1024 * 1024,
        max_archive_entries: 200_000,
        max_archive_depth: 2,
        max_expansion_ratio: 1000,
        max_json_depth: 128,
        max_items_per_file: 1_000_000,
    };
}

impl Default for Limits {
    fn default() -> Self {
        Limits::DEFAULT
    }
}

/// The result of ingestion: the model and what ingestion has to say about it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Loaded {
    pub snapshot: Snapshot,
    pub report: LoadReport,
}

/// Loads every file (and every member of every zip) into one snapshot. Never panics and never
/// fails as a whole: a file that cannot be read is reported as failed, the rest still load.
pub fn load<I: IntoIterator<Item = InputFile>>(files: I, limits: &Limits) -> Loaded {
    let mut state = State {
        limits,
        budget: limits.max_total_bytes,
        collector: build::Collector::default(),
        report: LoadReport::default(),
    };
    for file in files {
        state.add(file, 0);
    }
    state.finish()
}

/// One file parsed on its own by [`parse_file`], to be put together with the others by
/// [`assemble`]. This lets a caller with threads (the CLI) parse files in parallel while the core
/// stays single-threaded (it also runs in the browser).
#[derive(Debug)]
pub struct ParsedFile {
    inner: Parsed,
}

#[derive(Debug)]
enum Parsed {
    /// A zip archive: expanded by `assemble`, in order, against the limit of all files together.
    Deferred(InputFile),
    Done {
        name: String,
        size: u64,
        collector: Box<build::Collector>,
        report: LoadReport,
    },
}

/// Parses one file (not a zip archive: those are left to [`assemble`]). Its bytes are dropped
/// before this returns; what is kept is the file's part of the model.
#[must_use]
pub fn parse_file(file: InputFile, limits: &Limits) -> ParsedFile {
    if archive::is_zip(&file.bytes) {
        return ParsedFile {
            inner: Parsed::Deferred(file),
        };
    }
    let name = file.name.clone();
    let size = file.bytes.len() as u64;
    let mut state = State {
        limits,
        budget: u64::MAX,
        collector: build::Collector::default(),
        report: LoadReport::default(),
    };
    state.add(file, 0);
    ParsedFile {
        inner: Parsed::Done {
            name,
            size,
            collector: Box::new(state.collector),
            report: state.report,
        },
    }
}

/// Puts parsed files together, in the order given, into the same result as [`load`] of the same
/// files in that order (the limit of all files together is applied here, in that order).
pub fn assemble<I: IntoIterator<Item = ParsedFile>>(parts: I, limits: &Limits) -> Loaded {
    let mut state = State {
        limits,
        budget: limits.max_total_bytes,
        collector: build::Collector::default(),
        report: LoadReport::default(),
    };
    for part in parts {
        match part.inner {
            Parsed::Deferred(file) => state.add(file, 0),
            Parsed::Done {
                name,
                size,
                collector,
                report,
            } => {
                // As `add` would: a file over the per-file limit already failed on its own; one
                // that does not fit in what is left of the total fails here and adds nothing.
                if size <= limits.max_file_bytes {
                    if size > state.budget {
                        let err = LoadError::new(
                            &name,
                            format!(
                                "the file does not fit in the {} limit of all files together ({} were left)",
                                archive::human_size(limits.max_total_bytes),
                                archive::human_size(state.budget)
                            ),
                        );
                        state.fail(name, usize::try_from(size).unwrap_or(usize::MAX), err);
                        continue;
                    }
                    state.budget -= size;
                }
                state.collector.absorb(*collector);
                state.report.files.extend(report.files);
                state.report.warnings.extend(report.warnings);
            }
        }
    }
    state.finish()
}

struct State<'l> {
    limits: &'l Limits,
    budget: u64,
    collector: build::Collector,
    report: LoadReport,
}

/// Files that are part of an export folder but not data (READMEs, scripts, manifests).
fn ignored_reason(name: &str) -> Option<&'static str> {
    let base = name.rsplit('/').next().unwrap_or(name).to_ascii_lowercase();
    let ext = base.rsplit_once('.').map_or("", |(_, e)| e);
    if base.starts_with('.') {
        return Some("hidden file");
    }
    match ext {
        "json" | "csv" | "zip" | "txt" if base != "manifest.json" && base != "grantscope.toml" => {
            None
        }
        "md" | "markdown" | "ps1" | "psm1" | "py" | "sh" | "html" | "toml" | "yml" | "yaml" => {
            Some("not an export file")
        }
        _ if base == "manifest.json" => Some("collection manifest, not tenant data"),
        _ => None,
    }
}

impl State<'_> {
    fn finish(mut self) -> Loaded {
        let mut warnings = std::mem::take(&mut self.report.warnings);
        let snapshot = self.collector.finish(&mut warnings);
        crate::order::sort(&mut warnings);
        warnings.dedup();
        let mut report = self.report;
        report.warnings = warnings;
        report.datasets.clone_from(&snapshot.datasets);
        Loaded { snapshot, report }
    }

    fn outcome(&mut self, name: String, bytes: usize, outcome: FileOutcome) {
        self.report.files.push(FileReport {
            name,
            bytes: bytes as u64,
            outcome,
        });
    }

    fn fail(&mut self, name: String, bytes: usize, error: LoadError) {
        self.outcome(name, bytes, FileOutcome::Failed { error });
    }

    fn add(&mut self, file: InputFile, depth: u32) {
        let InputFile { name, bytes } = file;
        let size = bytes.len();
        if size as u64 > self.limits.max_file_bytes {
            let err = LoadError::new(
                &name,
                format!(
                    "the file is larger than the {} limit per file",
                    archive::human_size(self.limits.max_file_bytes)
                ),
            );
            return self.fail(name, size, err);
        }
        if size as u64 > self.budget {
            let err = LoadError::new(
                &name,
                format!(
                    "the file does not fit in the {} limit of all files together ({} were left)",
                    archive::human_size(self.limits.max_total_bytes),
                    archive::human_size(self.budget)
                ),
            );
            return self.fail(name, size, err);
        }
        self.budget -= size as u64;
        if archive::is_zip(&bytes) {
            return self.add_archive(name, &bytes, depth);
        }
        if let Some(reason) = ignored_reason(&name) {
            return self.outcome(
                name,
                size,
                FileOutcome::Skipped {
                    reason: reason.to_owned(),
                },
            );
        }
        let text = match text::decode(&name, &bytes) {
            Ok(t) => t,
            Err(e) => return self.fail(name, size, e),
        };
        let trimmed = text.trim_start();
        let result = if trimmed.starts_with('{') || trimmed.starts_with('[') {
            self.add_json(&name, &text)
        } else if csv_audit::is_audit_csv(&text) {
            let mut events = Vec::new();
            csv_audit::parse_audit_csv(&name, &text, &mut events).map(|n| {
                self.collector.audit_events.extend(events);
                self.collector.datasets.insert(Dataset::AuditEvents);
                FileOutcome::Loaded {
                    format: InputFormat::AuditCsv,
                    dataset: Dataset::AuditEvents,
                    api_version: None,
                    items: n,
                    recognised_by: "header".to_owned(),
                }
            })
        } else if csv_users::is_users_csv(&text) {
            csv_users::parse_users_csv(&name, &text).map(|(users, warnings)| {
                let n = users.len();
                self.collector.users.extend(users);
                self.report.warnings.extend(warnings);
                self.collector.datasets.insert(Dataset::Users);
                FileOutcome::Loaded {
                    format: InputFormat::UsersCsv,
                    dataset: Dataset::Users,
                    api_version: None,
                    items: n,
                    recognised_by: "header".to_owned(),
                }
            })
        } else if trimmed.is_empty() {
            Err(LoadError::new(
                &name,
                "the file is empty: expected JSON or a portal CSV download",
            ))
        } else {
            Ok(FileOutcome::Skipped {
                reason: "not JSON and not a recognised portal CSV (audit log or users download)"
                    .to_owned(),
            })
        };
        drop(text);
        match result {
            Ok(outcome) => self.outcome(name, size, outcome),
            Err(e) => self.fail(name, size, e),
        }
    }

    fn add_archive(&mut self, name: String, bytes: &[u8], depth: u32) {
        let size = bytes.len();
        if depth >= self.limits.max_archive_depth {
            let err = LoadError::new(
                &name,
                format!(
                    "archives nested more than {} deep are not expanded",
                    self.limits.max_archive_depth
                ),
            );
            return self.fail(name, size, err);
        }
        match archive::expand_zip(&name, bytes, self.limits, &mut self.budget) {
            Ok((entries, warnings)) => {
                let count = entries.len();
                self.report.warnings.extend(warnings);
                self.outcome(name, size, FileOutcome::Expanded { entries: count });
                for entry in entries {
                    // Entry bytes were already charged to the budget by expand_zip.
                    self.budget = self.budget.saturating_add(entry.bytes.len() as u64);
                    self.add(entry, depth + 1);
                }
            }
            Err(e) => self.fail(name, size, e),
        }
    }

    fn add_json(&mut self, name: &str, text: &str) -> Result<FileOutcome, LoadError> {
        let doc = json::split(name, text, self.limits)?;
        let from_context = doc.context.as_deref().and_then(detect::from_context);
        if let Some(item) = doc.items.iter().find(|i| !i.raw.get().starts_with('{')) {
            return Err(
                LoadError::new(name, "expected a JSON object (one Graph entity) here")
                    .at(item.line, item.column())
                    .with_path(item.path()),
            );
        }
        let directory_objects = doc
            .context
            .as_deref()
            .is_some_and(|c| c.contains("#directoryObjects"));
        let (kind, by) = if let Some(k) = from_context {
            (k, detect::RecognisedBy::Context)
        } else if let Some(found) = detect::from_exporter_path(name) {
            match found {
                Ok(k) => (k, detect::RecognisedBy::ExporterPath),
                Err(reason) => {
                    return Ok(FileOutcome::Skipped {
                        reason: reason.to_owned(),
                    });
                }
            }
        } else if let Some(k) = (!directory_objects)
            .then(|| doc.items.first().and_then(|i| detect::from_shape(i.raw)))
            .flatten()
        {
            (k, detect::RecognisedBy::Shape)
        } else if let Some(k) = detect::from_file_name(name) {
            (k, detect::RecognisedBy::FileName)
        } else {
            let reason = if directory_objects {
                "a directoryObjects list that does not say whose members it holds; name it \
                 groupMembers-<groupId>.json"
            } else if doc.items.is_empty() {
                "an empty collection whose dataset cannot be told (no recognised @odata.context or file name)"
            } else {
                "unrecognised JSON: no known @odata.context, object shape or file name"
            };
            self.report.warnings.push(LoadWarning {
                kind: WarningKind::UnrecognisedFile,
                file: name.to_owned(),
                line: 0,
                path: None,
                message: format!("{reason}; see docs/EXPORT-RECIPE.md for the expected files"),
            });
            return Ok(FileOutcome::Skipped {
                reason: reason.to_owned(),
            });
        };
        if directory_objects
            && !matches!(
                kind,
                detect::Kind::GroupMembers { .. } | detect::Kind::UserSponsors(_)
            )
        {
            return Ok(FileOutcome::Skipped {
                reason:
                    "a directoryObjects list that does not say whose members it holds; name it \
                         groupMembers-<groupId>.json (see docs/EXPORT-RECIPE.md)"
                        .to_owned(),
            });
        }
        let api_version = doc
            .context
            .as_deref()
            .and_then(detect::api_version_of_context)
            .or_else(|| {
                if by == detect::RecognisedBy::ExporterPath {
                    Some(ApiVersion::Beta)
                } else {
                    Some(sniff_version(&doc.items))
                }
            });
        let format = if by == detect::RecognisedBy::ExporterPath {
            InputFormat::EntraExporter
        } else {
            InputFormat::GraphJson
        };
        let items = doc.items.len();
        let dataset = self.ingest_items(name, &doc.items, &kind)?;
        Ok(FileOutcome::Loaded {
            format,
            dataset,
            api_version,
            items,
            recognised_by: by.as_str().to_owned(),
        })
    }

    #[allow(clippy::too_many_lines)]
    fn ingest_items(
        &mut self,
        file: &str,
        items: &[json::Item<'_>],
        kind: &detect::Kind,
    ) -> Result<Dataset, LoadError> {
        use detect::Kind as K;
        let c = &mut self.collector;
        let warnings = &mut self.report.warnings;
        macro_rules! each {
            ($wire:ty, |$ctx:ident, $w:ident| $body:expr) => {
                for item in items {
                    let $w: $wire = json::parse_item(file, item)?;
                    let mut $ctx = normalize::Ctx {
                        file,
                        line: item.line,
                        at: normalize::At::Item(item),
                        warnings,
                    };
                    $body;
                }
            };
        }
        let dataset = match kind {
            K::Users => {
                let mut facts = normalize::UserFacts::default();
                let first = c.users.len();
                each!(wire::WUser, |ctx, w| c
                    .users
                    .push(normalize::user(&mut ctx, w, &mut facts)));
                // `$expand=manager` omits the key for users without a manager: in a file that
                // carries managers, a user without one is known to have none.
                if facts.has_manager {
                    for u in &mut c.users[first..] {
                        u.manager_known = true;
                    }
                }
                let flags = [
                    (facts.has_sign_in, Dataset::SignInActivity),
                    (facts.has_manager, Dataset::Managers),
                    (facts.has_sponsors, Dataset::Sponsors),
                    (facts.has_profile || items.is_empty(), Dataset::Users),
                ];
                let mut main = None;
                for (on, d) in flags {
                    if on {
                        c.datasets.insert(d);
                        main = main.or(Some(d));
                    }
                }
                return Ok(main.unwrap_or(Dataset::Users));
            }
            K::UserSponsors(user) => {
                let mut refs = Vec::new();
                each!(wire::WRef, |_ctx, w| refs.push(w));
                c.user_sponsors
                    .push((user.clone(), normalize::object_refs(&refs)));
                Dataset::Sponsors
            }
            K::Groups => {
                each!(wire::WGroup, |ctx, w| c
                    .groups
                    .push(normalize::group(&mut ctx, w)));
                Dataset::Groups
            }
            K::GroupMembers { group, transitive } => {
                let mut refs = Vec::new();
                each!(wire::WRef, |_ctx, w| refs.push(w));
                let source = file_source(file);
                c.group_members.push((
                    group.clone(),
                    *transitive,
                    normalize::object_refs(&refs),
                    source,
                ));
                Dataset::GroupMembers
            }
            K::ServicePrincipals => {
                each!(wire::WServicePrincipal, |ctx, w| c
                    .service_principals
                    .push(normalize::service_principal(&mut ctx, w)));
                Dataset::ServicePrincipals
            }
            K::Catalogs => {
                each!(wire::WCatalog, |ctx, w| c
                    .catalogs
                    .push(normalize::catalog(&mut ctx, w)));
                Dataset::Catalogs
            }
            K::CatalogResources(catalog) => {
                each!(wire::WResource, |ctx, w| c
                    .resources
                    .push(normalize::resource(&mut ctx, w, catalog.as_deref())));
                Dataset::CatalogResources
            }
            K::AccessPackages => {
                let mut with_scopes = false;
                let mut with_policies = false;
                for item in items {
                    let mut w: wire::WAccessPackage = json::parse_item(file, item)?;
                    let mut ctx = normalize::Ctx {
                        file,
                        line: item.line,
                        at: normalize::At::Item(item),
                        warnings,
                    };
                    let policies = w.assignment_policies.take();
                    let package = normalize::access_package(&mut ctx, w);
                    with_scopes |= package.resource_role_scopes.is_some();
                    if let Some(policies) = policies {
                        with_policies = true;
                        for p in policies {
                            c.policies
                                .push(normalize::policy(&mut ctx, p, Some(&package.id)));
                        }
                    }
                    c.packages.push(package);
                }
                if with_scopes {
                    c.datasets.insert(Dataset::ResourceRoleScopes);
                }
                if with_policies {
                    c.datasets.insert(Dataset::AssignmentPolicies);
                }
                Dataset::AccessPackages
            }
            K::RoleScopes(package) => {
                let mut scopes = Vec::new();
                each!(wire::WRoleScope, |_ctx, w| scopes
                    .push(normalize::role_scope(&w)));
                let source = file_source(file);
                c.role_scopes.push((package.clone(), scopes, source));
                Dataset::ResourceRoleScopes
            }
            K::IncompatibleAccessPackages(package) => {
                let mut ids = Vec::new();
                each!(wire::WRef, |_ctx, w| ids.extend(w.id));
                match package {
                    Some(p) => c
                        .incompatible_packages
                        .push((p.clone(), ids, file_source(file))),
                    None => warnings.push(ownerless(file, "incompatibleAccessPackages")),
                }
                Dataset::IncompatibleAccessPackages
            }
            K::IncompatibleGroups(package) => {
                let mut ids = Vec::new();
                each!(wire::WGroup, |ctx, w| {
                    let g = normalize::group(&mut ctx, w);
                    ids.push(g.id.clone());
                    c.groups.push(g);
                });
                match package {
                    Some(p) => c
                        .incompatible_groups
                        .push((p.clone(), ids, file_source(file))),
                    None => warnings.push(ownerless(file, "incompatibleGroups")),
                }
                Dataset::IncompatibleGroups
            }
            K::Policies(package) => {
                each!(wire::WPolicy, |ctx, w| c.policies.push(normalize::policy(
                    &mut ctx,
                    w,
                    package.as_deref()
                )));
                Dataset::AssignmentPolicies
            }
            K::Assignments => {
                each!(wire::WAssignment, |ctx, w| {
                    let (a, s) = normalize::assignment(&mut ctx, w);
                    c.assignments.push(a);
                    if let Some(s) = s {
                        c.subjects.push(s);
                        c.datasets.insert(Dataset::Subjects);
                    }
                });
                Dataset::Assignments
            }
            K::Requests => {
                each!(wire::WRequest, |ctx, w| {
                    let (r, subjects) = normalize::request(&mut ctx, w);
                    c.requests.push(r);
                    if !subjects.is_empty() {
                        c.subjects.extend(subjects);
                        c.datasets.insert(Dataset::Subjects);
                    }
                });
                Dataset::AssignmentRequests
            }
            K::Subjects => {
                each!(wire::WSubject, |ctx, w| c
                    .subjects
                    .extend(normalize::subject(&mut ctx, &w)));
                Dataset::Subjects
            }
            K::ConnectedOrganizations => {
                let mut sponsors = false;
                each!(wire::WConnectedOrganization, |ctx, w| {
                    let o = normalize::connected_organization(&mut ctx, w);
                    sponsors |= o.internal_sponsors.is_some() || o.external_sponsors.is_some();
                    c.organizations.push(o);
                });
                let _ = sponsors;
                Dataset::ConnectedOrganizations
            }
            K::OrganizationSponsors {
                organization,
                internal,
            } => {
                let mut refs = Vec::new();
                each!(wire::WRef, |_ctx, w| refs.push(w));
                let source = file_source(file);
                c.organization_sponsors.push((
                    organization.clone(),
                    *internal,
                    normalize::object_refs(&refs),
                    source,
                ));
                Dataset::ConnectedOrganizations
            }
            K::Settings => {
                each!(wire::WSettings, |ctx, w| c
                    .settings
                    .push(normalize::settings(&mut ctx, w)));
                Dataset::Settings
            }
            K::AuditEvents => {
                each!(wire::WAudit, |ctx, w| c
                    .audit_events
                    .push(normalize::audit(&mut ctx, w)));
                Dataset::AuditEvents
            }
        };
        c.datasets.insert(dataset);
        Ok(dataset)
    }
}

/// Decodes a file's bytes as ingestion does (UTF-8 or UTF-16, byte-order mark removed); for
/// `lint`, which reads proposed policies rather than exports.
pub(crate) fn decode_text(file: &str, bytes: &[u8]) -> Result<String, LoadError> {
    text::decode(file, bytes).map(std::borrow::Cow::into_owned)
}

/// One assignment policy in the Graph v1.0 or beta shape (a request body, or a Terraform
/// resource mapped onto the beta shape), normalised into the model as ingestion would; for
/// `lint`. `line`, `pointer` and `path` say where the object is written in `file`.
pub(crate) fn policy_from_json(
    file: &str,
    line: u32,
    pointer: &str,
    path: &str,
    value: serde_json::Value,
    warnings: &mut Vec<LoadWarning>,
) -> Result<crate::model::AssignmentPolicy, LoadError> {
    let w: wire::WPolicy = serde_path_to_error::deserialize(value).map_err(|e| {
        let at = json::jsonpath(path, &e.path().to_string());
        LoadError::new(file, e.into_inner().to_string())
            .at(line, 0)
            .with_path(at)
    })?;
    let mut ctx = normalize::Ctx {
        file,
        line,
        at: normalize::At::Given { pointer, path },
        warnings,
    };
    Ok(normalize::policy(&mut ctx, w, None))
}

/// A per-file source for lists that are attached to another object.
fn file_source(file: &str) -> crate::model::SourceRef {
    crate::model::SourceRef {
        file: file.to_owned(),
        pointer: String::new(),
        line: 1,
    }
}

/// A per-package list whose package neither `@odata.context` nor the file name gives.
fn ownerless(file: &str, what: &str) -> LoadWarning {
    LoadWarning {
        kind: WarningKind::UnresolvedReference,
        file: file.to_owned(),
        line: 0,
        path: None,
        message: format!(
            "this {what} list does not say which access package it belongs to (no @odata.context \
             naming the package); name the file {what}-<packageId>.json to use it"
        ),
    }
}

/// Beta-only property names; a file without context that uses them is a beta response.
fn sniff_version(items: &[json::Item<'_>]) -> ApiVersion {
    const BETA_KEYS: [&str; 10] = [
        "\"accessPackageId\"",
        "\"durationInDays\"",
        "\"assignmentState\"",
        "\"requestState\"",
        "\"catalogStatus\"",
        "\"accessPackageResourceRoleScopes\"",
        "\"targetId\"",
        "\"daysUntilExternalUserDeletedAfterBlocked\"",
        "\"approvalStages\"",
        "\"scopeType\"",
    ];
    let beta = items
        .iter()
        .take(8)
        .any(|i| BETA_KEYS.iter().any(|k| i.raw.get().contains(k)));
    if beta {
        ApiVersion::Beta
    } else {
        ApiVersion::V1
    }
}
