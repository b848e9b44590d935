//! `grantscope baseline --output FILE PATH...`: records the findings of an export, so that
//! `check --baseline FILE` fails only on new ones.

use anyhow::{Context, Result};
use grantscope_core::baseline::Baseline;

use crate::ExitStatus;
use crate::args::BaselineArgs;
use crate::commands::check::{analyse, load_paths, resolve_as_of, resolve_config};
use crate::printer;

pub(crate) fn baseline(args: &BaselineArgs) -> Result<ExitStatus> {
    let config = resolve_config(&args.paths, args.config.as_deref(), args.no_config)?;
    let as_of = resolve_as_of(args.as_of.as_deref(), &config)?;
    let loaded = load_paths(&args.paths, &args.load.limits())?;

    // A baseline of a partly loaded export would record too little and hide findings later.
    let errors: Vec<_> = loaded.report.errors().collect();
    if !errors.is_empty() {
        printer::load_errors(&errors, loaded.report.files.len())?;
        return Ok(ExitStatus::Error);
    }

    let report = analyse(&loaded, &config, as_of);
    let baseline = Baseline::from_report(&report);
    let json = baseline
        .to_json()
        .context("cannot serialise the baseline")?;
    std::fs::write(&args.output, json)
        .with_context(|| format!("cannot write the baseline to {}", args.output.display()))?;
    let n = baseline.findings.len();
    printer::wrote(
        &args.output,
        &format!(
            "{n} {} recorded (as of {})",
            if n == 1 { "finding" } else { "findings" },
            baseline.as_of
        ),
    )?;
    Ok(ExitStatus::Success)
}
