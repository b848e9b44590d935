//! The inventory: what was loaded from which file, how many of each entity, and the warnings.
//!
//! `grantscope inventory --format json` and the wasm `inventory()` both serialise [`Inventory`],
//! so the browser and the CLI see the same object. Its shape (schema version 1):
//!
//! ```text
//! {
//!   "schemaVersion": 1,
//!   "summary":  { "files": 15, "loaded": 12, "archives": 1, "skipped": 1, "failed": 1,
//!                 "warnings": 3 },
//!   "files":    [ { "name", "bytes", "status": "loaded" | "expanded" | "skipped" | "failed", ... } ],
//!   "warnings": [ { "kind", "file", "line", "path", "message" } ],
//!   "datasets": [ "users", "accessPackages", ... ],
//!   "counts":   { "users": 12, "guests": 4, ..., "auditEvents": null },
//!   "catalogs": [ { "id", "displayName", "accessPackages": [
//!                   { "id", "displayName", "policies", "activeAssignments" } ] } ]
//! }
//! ```
//!
//! `files`, `warnings` and `datasets` are the core's `LoadReport`, field for field. A loaded file
//! carries `format`, `dataset`, `apiVersion` (`v1` | `beta` | null), `items` and `recognisedBy`; an
//! expanded zip archive the number of `entries` (its members follow it, named
//! `archive.zip/inner/path`); a skipped file a `reason`; a failed one an `error` (`file`, `line`,
//! `column`, `path`, `message`).
//! In `counts`, `null` means the dataset was not exported, which is not the same as `0`.
//!
//! `catalogs` lists each catalog (sorted by display name, then id) with its access packages (same
//! order). Packages whose catalog was not exported come under an entry with that catalog's `id`
//! (or `null` when unknown) and a `null` display name. A package's `policies` and
//! `activeAssignments` are `null` when policies or assignments were not exported.

use grantscope_core::ingest::{ApiVersion, FileOutcome, LoadReport, Loaded};
use std::collections::BTreeMap;

use grantscope_core::model::{Dataset, Snapshot};
use serde::Serialize;

/// Bumped whenever a field of the inventory object changes meaning or disappears.
pub const INVENTORY_SCHEMA_VERSION: u32 = 1;

/// The inventory of one load, ready to serialise or render.
#[derive(Debug, Clone, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Inventory<'a> {
    pub schema_version: u32,
    pub summary: Summary,
    #[serde(flatten)]
    pub report: &'a LoadReport,
    pub counts: Counts,
    pub catalogs: Vec<CatalogEntry<'a>>,
}

impl<'a> Inventory<'a> {
    #[must_use]
    pub fn new(loaded: &'a Loaded) -> Self {
        Inventory {
            schema_version: INVENTORY_SCHEMA_VERSION,
            summary: Summary::of(&loaded.report),
            report: &loaded.report,
            counts: Counts::of(&loaded.snapshot),
            catalogs: CatalogEntry::all(&loaded.snapshot),
        }
    }
}

/// How many files ended up in each state.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Summary {
    pub files: usize,
    pub loaded: usize,
    /// Zip archives expanded (their members are counted as files too).
    pub archives: usize,
    pub skipped: usize,
    pub failed: usize,
    pub warnings: usize,
}

impl Summary {
    #[must_use]
    pub fn of(report: &LoadReport) -> Self {
        let mut summary = Summary {
            files: report.files.len(),
            warnings: report.warnings.len(),
            ..Summary::default()
        };
        for file in &report.files {
            match file.outcome {
                FileOutcome::Loaded { .. } => summary.loaded += 1,
                FileOutcome::Expanded { .. } => summary.archives += 1,
                FileOutcome::Skipped { .. } => summary.skipped += 1,
                FileOutcome::Failed { .. } => summary.failed += 1,
            }
        }
        summary
    }
}

/// Entity totals after merging every file. `None` (JSON `null`): the dataset was not exported.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Counts {
    pub users: Option<usize>,
    pub guests: Option<usize>,
    pub groups: Option<usize>,
    pub service_principals: Option<usize>,
    pub catalogs: Option<usize>,
    pub catalog_resources: Option<usize>,
    pub access_packages: Option<usize>,
    pub assignment_policies: Option<usize>,
    /// All assignments, expired and failed ones included.
    pub assignments: Option<usize>,
    /// Assignments in state delivered, partiallyDelivered or delivering.
    pub active_assignments: Option<usize>,
    pub assignment_requests: Option<usize>,
    pub connected_organizations: Option<usize>,
    pub audit_events: Option<usize>,
}

impl Counts {
    #[must_use]
    pub fn of(snapshot: &Snapshot) -> Self {
        // A count is known when its dataset was provided, or when other files brought entities of
        // that kind along (assignments expanding their access package, say).
        let count = |dataset: Dataset, n: usize| (n > 0 || snapshot.has(dataset)).then_some(n);
        let users = count(Dataset::Users, snapshot.users.len());
        Counts {
            users,
            guests: users.map(|_| snapshot.users.values().filter(|u| u.is_guest()).count()),
            groups: count(Dataset::Groups, snapshot.groups.len()),
            service_principals: count(
                Dataset::ServicePrincipals,
                snapshot.service_principals.len(),
            ),
            catalogs: count(Dataset::Catalogs, snapshot.catalogs.len()),
            catalog_resources: count(Dataset::CatalogResources, snapshot.resources.len()),
            access_packages: count(Dataset::AccessPackages, snapshot.access_packages.len()),
            assignment_policies: count(Dataset::AssignmentPolicies, snapshot.policies.len()),
            assignments: count(Dataset::Assignments, snapshot.assignments.len()),
            active_assignments: count(
                Dataset::Assignments,
                snapshot
                    .assignments
                    .values()
                    .filter(|a| a.is_active())
                    .count(),
            ),
            assignment_requests: count(Dataset::AssignmentRequests, snapshot.requests.len()),
            connected_organizations: count(
                Dataset::ConnectedOrganizations,
                snapshot.connected_organizations.len(),
            ),
            audit_events: count(Dataset::AuditEvents, snapshot.audit_events.len()),
        }
    }

    /// The rows of the text rendering: label, count, and an optional detail.
    fn rows(&self) -> [(&'static str, Option<usize>, Option<String>); 11] {
        [
            (
                "users",
                self.users,
                self.guests
                    .map(|g| format!("{g} {}", plural(g, "guest", "guests"))),
            ),
            ("groups", self.groups, None),
            ("service principals", self.service_principals, None),
            ("catalogs", self.catalogs, None),
            ("catalog resources", self.catalog_resources, None),
            ("access packages", self.access_packages, None),
            ("assignment policies", self.assignment_policies, None),
            (
                "assignments",
                self.assignments,
                self.active_assignments.map(|a| format!("{a} active")),
            ),
            ("assignment requests", self.assignment_requests, None),
            (
                "connected organizations",
                self.connected_organizations,
                None,
            ),
            ("audit events", self.audit_events, None),
        ]
    }
}

/// A catalog and the access packages in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CatalogEntry<'a> {
    /// `None` for packages whose catalog the export does not name.
    pub id: Option<&'a str>,
    /// `None` when the catalog itself was not exported (or has no name).
    pub display_name: Option<&'a str>,
    pub access_packages: Vec<PackageEntry<'a>>,
}

/// An access package with how many policies and active assignments it has.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PackageEntry<'a> {
    pub id: &'a str,
    pub display_name: Option<&'a str>,
    /// `None` when policies were not exported.
    pub policies: Option<usize>,
    /// `None` when assignments were not exported.
    pub active_assignments: Option<usize>,
}

impl<'a> CatalogEntry<'a> {
    /// Every catalog with its packages, plus entries for packages in catalogs not exported.
    #[must_use]
    pub fn all(snapshot: &'a Snapshot) -> Vec<Self> {
        let mut policies: BTreeMap<&str, usize> = BTreeMap::new();
        for policy in snapshot.policies.values() {
            if let Some(id) = &policy.access_package_id {
                *policies.entry(id).or_default() += 1;
            }
        }
        let mut active: BTreeMap<&str, usize> = BTreeMap::new();
        for assignment in snapshot.assignments.values().filter(|a| a.is_active()) {
            if let Some(id) = &assignment.access_package_id {
                *active.entry(id).or_default() += 1;
            }
        }
        let has_policies =
            snapshot.has(Dataset::AssignmentPolicies) || !snapshot.policies.is_empty();
        let has_assignments =
            snapshot.has(Dataset::Assignments) || !snapshot.assignments.is_empty();

        let mut entries: BTreeMap<Option<&str>, CatalogEntry<'a>> = snapshot
            .catalogs
            .values()
            .map(|c| {
                let entry = CatalogEntry {
                    id: Some(c.id.as_str()),
                    display_name: c.display_name.as_deref(),
                    access_packages: Vec::new(),
                };
                (Some(c.id.as_str()), entry)
            })
            .fold(BTreeMap::new(), grantscope_core::order::into_map);
        for package in snapshot.access_packages.values() {
            let catalog = package.catalog_id.as_deref();
            entries
                .entry(catalog)
                .or_insert_with(|| CatalogEntry {
                    id: catalog,
                    display_name: None,
                    access_packages: Vec::new(),
                })
                .access_packages
                .push(PackageEntry {
                    id: &package.id,
                    display_name: package.display_name.as_deref(),
                    policies: has_policies
                        .then(|| policies.get(package.id.as_str()).copied().unwrap_or(0)),
                    active_assignments: has_assignments
                        .then(|| active.get(package.id.as_str()).copied().unwrap_or(0)),
                });
        }
        let mut entries: Vec<CatalogEntry<'a>> = entries.into_values().collect();
        for entry in &mut entries {
            grantscope_core::order::sort_by(&mut entry.access_packages, |a, b| {
                (a.display_name.unwrap_or(a.id), a.id).cmp(&(b.display_name.unwrap_or(b.id), b.id))
            });
        }
        // Known catalogs by name; the ones not exported after them.
        grantscope_core::order::sort_by(&mut entries, |a, b| {
            (a.display_name.is_none(), a.display_name, a.id).cmp(&(
                b.display_name.is_none(),
                b.display_name,
                b.id,
            ))
        });
        entries
    }
}

/// How to render text.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct TextOptions {
    /// Emit ANSI styles (bold headings, coloured statuses). Callers decide whether the
    /// destination is a colour terminal; the text itself never contains raw control characters.
    pub styled: bool,
}

impl TextOptions {
    /// `text` in `style` when styling is on, else as it is: the one place text renderers decide.
    pub(crate) fn paint(self, style: anstyle::Style, text: &str) -> String {
        if self.styled {
            format!("{}{text}{}", style.render(), style.render_reset())
        } else {
            text.to_owned()
        }
    }
}

/// Renders the inventory for a person reading a terminal. Every piece of text that comes from
/// the input is passed through [`crate::sanitize_terminal`].
#[must_use]
pub fn render_inventory_text(inventory: &Inventory<'_>, options: TextOptions) -> String {
    use anstyle::{AnsiColor, Style};

    let paint = |style: Style, text: &str| options.paint(style, text);
    let heading = Style::new().bold();
    let dim = Style::new().dimmed();
    let red = AnsiColor::Red.on_default().bold();
    let yellow = AnsiColor::Yellow.on_default();

    let mut out = String::new();
    let s = inventory.summary;
    out.push_str(&format!(
        "{} {} {}: {} loaded, {}{} skipped, {} failed; {} {}\n",
        paint(heading, "Inventory of"),
        s.files,
        plural(s.files, "file", "files"),
        s.loaded,
        if s.archives > 0 {
            format!(
                "{} {} expanded, ",
                s.archives,
                plural(s.archives, "archive", "archives")
            )
        } else {
            String::new()
        },
        s.skipped,
        if s.failed > 0 {
            paint(red, &s.failed.to_string())
        } else {
            s.failed.to_string()
        },
        s.warnings,
        plural(s.warnings, "warning", "warnings"),
    ));

    let report = inventory.report;
    if !report.files.is_empty() {
        out.push('\n');
        out.push_str(&paint(heading, "Files"));
        out.push('\n');
        let names: Vec<String> = report
            .files
            .iter()
            .map(|f| crate::sanitize_terminal(&f.name).into_owned())
            .collect();
        let width = names
            .iter()
            .map(|n| n.chars().count())
            .max()
            .unwrap_or(0)
            .min(60);
        let dataset_width = report
            .files
            .iter()
            .filter_map(|f| match &f.outcome {
                FileOutcome::Loaded { dataset, .. } => Some(dataset.name().len()),
                _ => None,
            })
            .max()
            .unwrap_or(0);
        for (file, name) in report.files.iter().zip(&names) {
            let pad = width.saturating_sub(name.chars().count());
            out.push_str(&format!("  {name}{:pad$}  ", ""));
            match &file.outcome {
                FileOutcome::Loaded {
                    dataset,
                    api_version,
                    items,
                    recognised_by,
                    ..
                } => {
                    let version = match api_version {
                        Some(ApiVersion::V1) => "v1.0",
                        Some(ApiVersion::Beta) => "beta",
                        None => "-",
                    };
                    out.push_str(&format!(
                        "{:<dataset_width$}  {version:<4} {items:>7} {:<5}  {}",
                        dataset.name(),
                        plural(*items, "item", "items"),
                        paint(
                            dim,
                            &format!("(by {})", crate::sanitize_terminal(recognised_by))
                        ),
                    ));
                }
                FileOutcome::Expanded { entries } => {
                    out.push_str(&format!(
                        "zip archive, {entries} {}",
                        plural(*entries, "entry", "entries")
                    ));
                }
                FileOutcome::Skipped { reason } => {
                    out.push_str(&format!(
                        "{} {}",
                        paint(yellow, "skipped:"),
                        crate::sanitize_terminal(reason)
                    ));
                }
                FileOutcome::Failed { error } => {
                    let mut place = String::new();
                    if error.line > 0 {
                        place.push_str(&format!(" at line {}", error.line));
                        if error.column > 0 {
                            place.push_str(&format!(", column {}", error.column));
                        }
                    }
                    if let Some(path) = &error.path {
                        place.push_str(&format!(" ({})", crate::sanitize_terminal(path)));
                    }
                    out.push_str(&format!(
                        "{}{place}: {}",
                        paint(red, "failed"),
                        crate::sanitize_terminal(&error.message)
                    ));
                }
            }
            out.push('\n');
        }
    }

    out.push('\n');
    out.push_str(&paint(heading, "Totals"));
    out.push('\n');
    for (label, count, detail) in inventory.counts.rows() {
        match count {
            Some(n) => {
                out.push_str(&format!("  {label:<24} {n:>9}"));
                if let Some(detail) = detail {
                    out.push_str(&format!("  ({detail})"));
                }
            }
            None => out.push_str(&format!(
                "  {label:<24} {:>9}  {}",
                "-",
                paint(dim, "not exported")
            )),
        }
        out.push('\n');
    }
    let datasets: Vec<&str> = report.datasets.iter().map(|d| d.name()).collect();
    out.push_str(&format!(
        "  datasets present: {}\n",
        if datasets.is_empty() {
            "none".to_owned()
        } else {
            datasets.join(", ")
        }
    ));

    if !inventory.catalogs.is_empty() {
        out.push('\n');
        out.push_str(&paint(heading, "Catalogs and access packages"));
        out.push('\n');
        for catalog in &inventory.catalogs {
            let name = match (catalog.display_name, catalog.id) {
                (Some(name), _) => crate::sanitize_terminal(name).into_owned(),
                (None, Some(id)) => {
                    format!("catalog {} (not exported)", crate::sanitize_terminal(id))
                }
                (None, None) => "(packages without a catalog)".to_owned(),
            };
            let n = catalog.access_packages.len();
            out.push_str(&format!(
                "  {name}  {}\n",
                paint(dim, &format!("{n} {}", plural(n, "package", "packages")))
            ));
            for package in &catalog.access_packages {
                let name = crate::sanitize_terminal(package.display_name.unwrap_or(package.id));
                out.push_str(&format!("    {name}"));
                let mut details = Vec::new();
                if let Some(p) = package.policies {
                    details.push(format!("{p} {}", plural(p, "policy", "policies")));
                }
                if let Some(a) = package.active_assignments {
                    details.push(format!(
                        "{a} active {}",
                        plural(a, "assignment", "assignments")
                    ));
                }
                if !details.is_empty() {
                    out.push_str(&format!("  {}", paint(dim, &details.join(", "))));
                }
                out.push('\n');
            }
        }
    }

    if !report.warnings.is_empty() {
        out.push('\n');
        out.push_str(&paint(
            heading,
            &format!("Warnings ({})", report.warnings.len()),
        ));
        out.push('\n');
        for warning in &report.warnings {
            let mut place = crate::sanitize_terminal(&warning.file).into_owned();
            if warning.line > 0 {
                place.push_str(&format!(":{}", warning.line));
            }
            let kind = serde_json::to_value(warning.kind)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default();
            out.push_str(&format!(
                "  {place}: {} {}",
                paint(yellow, &format!("[{kind}]")),
                crate::sanitize_terminal(&warning.message)
            ));
            if let Some(path) = &warning.path {
                out.push_str(&format!(
                    " {}",
                    paint(dim, &format!("(at {})", crate::sanitize_terminal(path)))
                ));
            }
            out.push('\n');
        }
    }
    out
}

/// Renders the inventory as pretty-printed JSON (the documented object above), with a final newline.
///
/// # Errors
/// Only if serialisation fails, which the types here do not do in practice.
pub fn render_inventory_json(inventory: &Inventory<'_>) -> serde_json::Result<String> {
    let mut json = crate::json_escape_controls(serde_json::to_string_pretty(inventory)?);
    json.push('\n');
    Ok(json)
}

fn plural<'s>(n: usize, one: &'s str, many: &'s str) -> &'s str {
    if n == 1 { one } else { many }
}

#[cfg(test)]
mod tests {
    use grantscope_core::ingest::{FileReport, InputFormat, LoadError, LoadWarning, WarningKind};
    use grantscope_core::model::{AccessPackage, Catalog, User};

    use super::*;

    fn sample() -> Loaded {
        let mut loaded = Loaded::default();
        loaded.report.files = vec![
            FileReport {
                name: "users.json".into(),
                bytes: 120,
                outcome: FileOutcome::Loaded {
                    format: InputFormat::GraphJson,
                    dataset: Dataset::Users,
                    api_version: Some(ApiVersion::V1),
                    items: 2,
                    recognised_by: "@odata.context".into(),
                },
            },
            FileReport {
                name: "notes/\u{1b}[2Jevil\u{202e}nosj.txt".into(),
                bytes: 5,
                outcome: FileOutcome::Skipped {
                    reason: "not an export".into(),
                },
            },
            FileReport {
                name: "broken.json".into(),
                bytes: 7,
                outcome: FileOutcome::Failed {
                    error: LoadError::new("broken.json", "expected value")
                        .at(1, 2)
                        .with_path("$"),
                },
            },
        ];
        loaded.report.warnings = vec![LoadWarning {
            kind: WarningKind::UnknownEnumValue,
            file: "users.json".into(),
            line: 3,
            path: Some("$.value[1].userType".into()),
            message: "unknown userType `Robot\u{1b}[0m`".into(),
        }];
        loaded.report.datasets.insert(Dataset::Users);
        loaded.snapshot.datasets.insert(Dataset::Users);
        for (id, user_type) in [("1", "Member"), ("2", "Guest")] {
            loaded.snapshot.users.insert(
                id.into(),
                User {
                    id: id.into(),
                    user_type: Some(grantscope_core::model::UserType::parse(user_type)),
                    ..User::default()
                },
            );
        }
        loaded.snapshot.catalogs.insert(
            "c1".into(),
            Catalog {
                id: "c1".into(),
                display_name: Some("General".into()),
                ..Catalog::default()
            },
        );
        for (id, name, catalog) in [
            (
                "p2",
                "\u{1b}[1;31mURGENT\u{1b}[0m \u{202e}gnp.exe",
                Some("c1"),
            ),
            ("p1", "Visitors", Some("c1")),
            ("p3", "Orphan", Some("c9")),
        ] {
            loaded.snapshot.access_packages.insert(
                id.into(),
                AccessPackage {
                    id: id.into(),
                    display_name: Some(name.into()),
                    catalog_id: catalog.map(Into::into),
                    ..AccessPackage::default()
                },
            );
        }
        loaded
    }

    #[test]
    fn counts_distinguish_missing_from_empty() {
        let loaded = sample();
        let counts = Counts::of(&loaded.snapshot);
        assert_eq!(counts.users, Some(2));
        assert_eq!(counts.guests, Some(1));
        assert_eq!(counts.groups, None);
        assert_eq!(counts.active_assignments, None);
    }

    #[test]
    fn text_is_plain_and_sanitized() {
        let loaded = sample();
        let text = render_inventory_text(&Inventory::new(&loaded), TextOptions::default());
        assert!(!text.contains('\u{1b}'), "{text}");
        assert!(!text.contains('\u{202e}'), "{text}");
        insta::assert_snapshot!(text);
    }

    #[test]
    fn styled_text_uses_ansi_only_for_our_styles() {
        let loaded = sample();
        let text = render_inventory_text(&Inventory::new(&loaded), TextOptions { styled: true });
        assert!(text.contains("\u{1b}[1m"));
        assert!(text.contains("\\u{1b}[2Jevil\\u{202e}nosj.txt"));
    }

    #[test]
    fn json_shape() {
        let loaded = sample();
        let json = render_inventory_json(&Inventory::new(&loaded)).unwrap();
        insta::assert_snapshot!(json);
    }
}
