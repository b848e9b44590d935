//! grantscope-synth: a seeded generator of realistic synthetic Entra ID entitlement-management
//! tenants, with a ground-truth manifest of the problems it planted.
//!
//! ```text
//! grantscope-synth --tier M --seed 7 --out target/synth/M-7
//! ```
//!
//! The same seed and size always give byte-identical files. A tenant has departments with heads
//! and teams (and a CEO without a manager), guests from partner organisations (connected
//! organisations whose domain identity sources match the guests' mail domains), nested groups,
//! a catalog per department, packages with 1–6 resources, a mix of policy variants, assignments
//! with churn, requests and an audit log consistent with them, and long-tailed sign-in activity.
//!
//! Output: the export-recipe layout (docs/EXPORT-RECIPE.md) as Graph v1.0 response pages, plus
//! `manifest.json` (the planted problems: rule id → finding subject ids, the background that fires
//! for structural reasons, the rates) and `grantscope.toml` (as-of date, the
//! separation-of-duties rule and the privileged resources the plants rely on). grantscope skips
//! both files when it reads the folder.

mod access;
mod build;
mod entraexporter;
mod events;
mod ids;
mod json;
mod model;
mod names;
mod plant;
mod recipe;
mod rng;
mod time;

use std::collections::BTreeMap;
use std::io;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::model::Tenant;

/// Every rule id grantscope ships; the manifest lists each (a rule without plants would be an
/// untested rule).
pub const RULES: [&str; 35] = [
    "GS101", "GS102", "GS103", "GS104", "GS105", "GS201", "GS202", "GS203", "GS204", "GS205",
    "GS206", "GS207", "GS301", "GS302", "GS303", "GS304", "GS305", "GS311", "GS312", "GS313",
    "GS314", "GS401", "GS402", "GS403", "GS404", "GS501", "GS502", "GS503", "GS504", "GS505",
    "GS506", "GS601", "GS602", "GS603", "GS604",
];

/// A preset size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum Tier {
    /// 300 users, 3,000 assignments, 3,000 audit events.
    S,
    /// 10,000 users, 100,000 assignments, 100,000 audit events.
    M,
    /// 100,000 users, 1,000,000 assignments, 1,000,000 audit events.
    L,
}

impl Tier {
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Tier::S => "S",
            Tier::M => "M",
            Tier::L => "L",
        }
    }

    /// Parses `S`, `M` or `L` (any case).
    #[must_use]
    pub fn parse(s: &str) -> Option<Tier> {
        match s.to_ascii_uppercase().as_str() {
            "S" => Some(Tier::S),
            "M" => Some(Tier::M),
            "L" => Some(Tier::L),
            _ => None,
        }
    }
}

/// What to generate.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Spec {
    pub users: usize,
    pub assignments: usize,
    pub audit_events: usize,
    pub seed: u64,
}

/// Bumped whenever the generated files change, so cached tenants are regenerated.
pub const REVISION: u32 = 1;

fn generator() -> String {
    format!("grantscope-synth {} r{REVISION}", env!("CARGO_PKG_VERSION"))
}

/// The smallest tenant that still has every structure the plants need.
pub const MIN_USERS: usize = 150;

impl Spec {
    #[must_use]
    pub fn tier(tier: Tier, seed: u64) -> Spec {
        let users = match tier {
            Tier::S => 300,
            Tier::M => 10_000,
            Tier::L => 100_000,
        };
        Spec::custom(users, seed)
    }

    /// `users` users with ten assignments and ten audit events per user (the tiers' ratio).
    #[must_use]
    pub fn custom(users: usize, seed: u64) -> Spec {
        let users = users.max(MIN_USERS);
        Spec {
            users,
            assignments: users * 10,
            audit_events: users * 10,
            seed,
        }
    }
}

/// The output layout.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Format {
    /// docs/EXPORT-RECIPE.md: Graph v1.0 response pages.
    Recipe,
    /// `Export-Entra -Type EntitlementManagement,Users`: one beta object per file.
    EntraExporter,
}

impl Format {
    #[must_use]
    pub fn parse(s: &str) -> Option<Format> {
        match s.to_ascii_lowercase().as_str() {
            "recipe" | "graph" | "v1.0" => Some(Format::Recipe),
            "entraexporter" | "entra-exporter" => Some(Format::EntraExporter),
            _ => None,
        }
    }
}

/// Entity counts of a generated tenant.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Counts {
    pub users: usize,
    pub guests: usize,
    pub groups: usize,
    pub catalogs: usize,
    pub resources: usize,
    pub access_packages: usize,
    pub assignment_policies: usize,
    pub assignments: usize,
    pub active_assignments: usize,
    pub connected_organizations: usize,
    pub audit_events: usize,
    pub files: usize,
    pub bytes: u64,
}

/// A background finding: subjects the structure cannot avoid, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Background {
    pub subjects: Vec<String>,
    pub reason: String,
}

/// `manifest.json`: the ground truth of a generated tenant.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Manifest {
    pub generator: String,
    pub spec: Spec,
    pub tier: Option<Tier>,
    pub format: Format,
    pub as_of: String,
    pub counts: Counts,
    /// grantscope.toml, as written beside the files.
    pub config: String,
    /// Rule id → sorted subject ids of the findings the plants must produce.
    pub planted: BTreeMap<String, Vec<String>>,
    /// Rule id → findings that fire for structural reasons (documented, expected to be small).
    pub background: BTreeMap<String, Background>,
    /// Rule id → how many plants and how they were chosen.
    pub rates: BTreeMap<String, String>,
}

impl Manifest {
    /// Reads `manifest.json` from a generated folder.
    ///
    /// # Errors
    /// When the file is missing or not a manifest.
    pub fn read(dir: &Path) -> io::Result<Manifest> {
        let text = std::fs::read_to_string(dir.join("manifest.json"))?;
        serde_json::from_str(&text).map_err(io::Error::other)
    }

    /// Every (rule, subject) pair a correct analysis may report: planted ∪ background.
    #[must_use]
    pub fn allowed(&self) -> BTreeMap<String, Vec<String>> {
        let mut out = self.planted.clone();
        for (rule, bg) in &self.background {
            let v = out.entry(rule.clone()).or_default();
            v.extend(bg.subjects.iter().cloned());
            v.sort();
            v.dedup();
        }
        out
    }
}

fn config_toml(t: &Tenant, label: &str) -> String {
    let privileged: Vec<String> = t
        .privileged_match
        .iter()
        .map(|m| format!("\"{m}\""))
        .collect();
    format!(
        "# grantscope configuration of a synthetic tenant ({label}), written by grantscope-synth\n\
         as-of = \"{}\"\n\n\
         [[separation-of-duties]]\n\
         name = \"payments\"\n\
         sides = [[\"{}\"], [\"{}\"]]\n\n\
         [privileged-resources]\n\
         match = [{}]\n",
        time::date(t.as_of),
        t.sod_sides.0,
        t.sod_sides.1,
        privileged.join(", ")
    )
}

/// Builds the tenant in memory.
fn build_tenant(spec: &Spec) -> Tenant {
    let mut t = Tenant {
        seed: spec.seed,
        as_of: build::as_of(),
        tenant_id: ids::id(spec.seed, ids::K::Tenant, 0),
        audit_events: spec.audit_events,
        ..Tenant::default()
    };
    let mut b = build::Builder::new(&mut t, spec.seed);
    build::directory(&mut b, spec.users.max(MIN_USERS));
    build::configuration(&mut b);
    plant::configuration(&mut b);
    let mut used = Vec::new();
    let modes = plant::users(&mut b, &mut used);
    access::generate(&mut b, spec.assignments, &modes);
    plant::assignments(&mut b, &mut used, &modes);
    build::mark_exported_groups(&mut t);
    for v in t.expect.planted.values_mut() {
        v.sort();
        v.dedup();
    }
    t
}

fn counts(t: &Tenant) -> Counts {
    Counts {
        users: t.users.len(),
        guests: t.users.iter().filter(|u| u.guest).count(),
        groups: t.groups.len(),
        catalogs: t.catalogs.len(),
        resources: t.resources.len(),
        access_packages: t.packages.len(),
        assignment_policies: t.policies.len(),
        assignments: t.assignments.len(),
        active_assignments: t.assignments.iter().filter(|a| a.state.active()).count(),
        connected_organizations: t.orgs.len(),
        audit_events: t.audit_events,
        files: 0,
        bytes: 0,
    }
}

fn manifest(
    t: &Tenant,
    spec: &Spec,
    tier: Option<Tier>,
    format: Format,
    written: &recipe::Written,
) -> Manifest {
    let label = match tier {
        Some(tier) => format!("tier {}, seed {}", tier.name(), spec.seed),
        None => format!("{} users, seed {}", spec.users, spec.seed),
    };
    let mut c = counts(t);
    c.files = written.files;
    c.bytes = written.bytes;
    Manifest {
        generator: generator(),
        spec: *spec,
        tier,
        format,
        as_of: time::date(t.as_of),
        counts: c,
        config: config_toml(t, &label),
        planted: t
            .expect
            .planted
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect(),
        background: t
            .expect
            .background
            .iter()
            .map(|(k, (s, r))| {
                (
                    (*k).to_owned(),
                    Background {
                        subjects: s.clone(),
                        reason: r.clone(),
                    },
                )
            })
            .collect(),
        rates: t
            .expect
            .rates
            .iter()
            .map(|(k, v)| ((*k).to_owned(), v.clone()))
            .collect(),
    }
}

/// Generates a tenant into `out` (created if needed; existing generated files are overwritten),
/// with `manifest.json` and `grantscope.toml` beside the export files, and returns the manifest.
///
/// # Errors
/// When the folder cannot be written.
pub fn generate(
    spec: &Spec,
    tier: Option<Tier>,
    format: Format,
    out: &Path,
) -> io::Result<Manifest> {
    let t = build_tenant(spec);
    std::fs::create_dir_all(out)?;
    let written = match format {
        Format::Recipe => recipe::write(&t, out, false)?,
        Format::EntraExporter => entraexporter::write(&t, out, false)?,
    };
    let manifest = manifest(&t, spec, tier, format, &written);
    std::fs::write(out.join("grantscope.toml"), &manifest.config)?;
    let text = serde_json::to_string_pretty(&manifest).map_err(io::Error::other)?;
    std::fs::write(out.join("manifest.json"), text + "\n")?;
    Ok(manifest)
}

/// Generates a tenant in memory: the export files (path relative to the folder they would be
/// written to, bytes), and the manifest. For sizes that do not fit on disk (tier L is several
/// GB) and for benchmarks that should not depend on the disk.
#[must_use]
pub fn generate_in_memory(
    spec: &Spec,
    tier: Option<Tier>,
    format: Format,
) -> (Manifest, Vec<(String, Vec<u8>)>) {
    let t = build_tenant(spec);
    let written = match format {
        Format::Recipe => recipe::write(&t, Path::new(""), true),
        Format::EntraExporter => entraexporter::write(&t, Path::new(""), true),
    }
    .unwrap_or_default();
    let manifest = manifest(&t, spec, tier, format, &written);
    (manifest, written.memory.unwrap_or_default())
}

/// The folder of a cached tenant: `<root>/<tier>-<seed>` (or `<users>u-<seed>`), plus
/// `-entraexporter` for that format.
#[must_use]
pub fn cache_dir(root: &Path, spec: &Spec, tier: Option<Tier>, format: Format) -> PathBuf {
    let base = match tier {
        Some(t) => format!("{}-{}", t.name(), spec.seed),
        None => format!("{}u-{}", spec.users, spec.seed),
    };
    match format {
        Format::Recipe => root.join(base),
        Format::EntraExporter => root.join(format!("{base}-entraexporter")),
    }
}

/// Generates the tenant into `dir` unless a manifest of the same spec and generator version is
/// already there (benchmarks and tests share `target/synth/`).
///
/// # Errors
/// When the folder cannot be written.
pub fn ensure(spec: &Spec, tier: Option<Tier>, format: Format, dir: &Path) -> io::Result<Manifest> {
    if let Ok(m) = Manifest::read(dir)
        && m.spec == *spec
        && m.format == format
        && m.generator == generator()
    {
        return Ok(m);
    }
    if dir.exists() {
        std::fs::remove_dir_all(dir)?;
    }
    generate(spec, tier, format, dir)
}
