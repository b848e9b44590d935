//! `grantscope-synth`: generates a synthetic tenant with a ground-truth manifest.

use std::io::Write;
use std::path::PathBuf;
use std::time::Instant;

use anyhow::{Context, bail};
use clap::Parser;
use grantscope_synth::{Format, Spec, Tier, generate};

/// Generate a realistic synthetic Entra ID entitlement-management tenant (Graph v1.0 export
/// recipe or EntraExporter tree) with planted problems for every grantscope rule, listed in
/// manifest.json. The same seed always gives byte-identical files.
#[derive(Debug, Parser)]
#[command(name = "grantscope-synth", version)]
struct Args {
    /// Size preset: S (300 users), M (10,000 users, 100,000 audit events) or L (100,000 users,
    /// 1,000,000 assignments, 1,000,000 audit events).
    #[arg(long, default_value = "S")]
    tier: String,
    /// Custom number of users (overrides --tier); assignments and audit events default to ten per user.
    #[arg(long)]
    users: Option<usize>,
    /// Custom number of assignments.
    #[arg(long)]
    assignments: Option<usize>,
    /// Custom number of audit events.
    #[arg(long)]
    audit_events: Option<usize>,
    /// Random seed.
    #[arg(long, default_value_t = 7)]
    seed: u64,
    /// Output folder (created; generated files in it are overwritten).
    #[arg(long)]
    out: PathBuf,
    /// recipe (Graph v1.0 pages, docs/EXPORT-RECIPE.md) or entraexporter.
    #[arg(long, default_value = "recipe")]
    format: String,
}

fn main() -> anyhow::Result<()> {
    let args = Args::parse();
    let Some(format) = Format::parse(&args.format) else {
        bail!(
            "unknown --format {:?}: expected recipe or entraexporter",
            args.format
        );
    };
    let (mut spec, tier) = match args.users {
        Some(n) => (Spec::custom(n, args.seed), None),
        None => {
            let Some(tier) = Tier::parse(&args.tier) else {
                bail!("unknown --tier {:?}: expected S, M or L", args.tier);
            };
            (Spec::tier(tier, args.seed), Some(tier))
        }
    };
    if let Some(n) = args.assignments {
        spec.assignments = n;
    }
    if let Some(n) = args.audit_events {
        spec.audit_events = n;
    }
    let started = Instant::now();
    let m = generate(&spec, tier, format, &args.out)
        .with_context(|| format!("writing {}", args.out.display()))?;
    let planted: usize = m.planted.values().map(Vec::len).sum();
    let mut err = std::io::stderr().lock();
    writeln!(
        err,
        "wrote {} files ({:.1} MB) to {} in {:.1}s: {} users, {} packages, {} policies, {} assignments, {} audit events; {} planted findings over {} rules (manifest.json)",
        m.counts.files,
        m.counts.bytes as f64 / 1e6,
        args.out.display(),
        started.elapsed().as_secs_f64(),
        m.counts.users,
        m.counts.access_packages,
        m.counts.assignment_policies,
        m.counts.assignments,
        m.counts.audit_events,
        planted,
        m.planted.len(),
    )?;
    Ok(())
}
