//! `grantscope check PATH...`: load, run every rule, render, and exit 0/1/2.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use grantscope_core::config::Config;
use grantscope_core::findings::Severity;
use grantscope_core::ingest::{self, Limits, Loaded};
use grantscope_core::rules::run;

use crate::ExitStatus;
use crate::args::CheckArgs;
use crate::config;
use crate::input::read_paths;
use crate::output;
use crate::printer;

fn parse_date(s: &str) -> Result<NaiveDate> {
    NaiveDate::parse_from_str(s, "%Y-%m-%d")
        .with_context(|| format!("invalid --as-of `{s}`: expected a date such as 2026-11-01"))
}

/// The configuration: none with `--no-config`, else the `--config` file, else the
/// `grantscope.toml` discovered from the paths and the current folder, else the defaults.
pub(crate) fn resolve_config(
    paths: &[PathBuf],
    explicit: Option<&Path>,
    no_config: bool,
) -> Result<Config> {
    if no_config {
        return Ok(Config::default());
    }
    match explicit
        .map(Path::to_path_buf)
        .or_else(|| config::discover(paths))
    {
        Some(path) => config::read(&path),
        None => Ok(Config::default()),
    }
}

/// The analysis date: `--as-of`, else the configuration's, else today (UTC).
pub(crate) fn resolve_as_of(arg: Option<&str>, config: &Config) -> Result<NaiveDate> {
    match arg {
        Some(s) => parse_date(s),
        None => Ok(config
            .as_of
            .unwrap_or_else(|| chrono::Utc::now().date_naive())),
    }
}

/// Reads the paths (notes about skipped entries go to stderr) and loads them; an error when no
/// file was found at all.
pub(crate) fn load_paths(paths: &[PathBuf]) -> Result<Loaded> {
    let inputs = read_paths(paths)?;
    printer::notes(&inputs.notes)?;
    let loaded = ingest::load(inputs.files, &Limits::default());
    if loaded.report.files.is_empty() {
        bail!(
            "no input files found in {}",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    Ok(loaded)
}

pub(crate) fn check(args: &CheckArgs) -> Result<ExitStatus> {
    output::check_destinations(&args.outputs)?;
    let config = resolve_config(&args.paths, args.config.as_deref(), args.no_config)?;
    let as_of = resolve_as_of(args.as_of.as_deref(), &config)?;
    let fail_on: Severity = args
        .fail_on
        .map(Into::into)
        .or(config.fail_on)
        .unwrap_or(Severity::Info);

    let loaded = load_paths(&args.paths)?;
    let report = run(&loaded, &config, as_of);

    // File names in the report are relative to a folder PATH: say which, for sarif and github.
    let folder = match args.paths.as_slice() {
        [only] if only.is_dir() => Some(only.as_path()),
        _ => None,
    };
    let paths = output::source_paths(&args.outputs, folder);
    output::emit(&report, &args.outputs, &paths)?;

    let errors: Vec<_> = loaded.report.errors().collect();
    if !errors.is_empty() {
        printer::load_errors(&errors, loaded.report.files.len())?;
        return Ok(ExitStatus::Error);
    }
    let failing = report
        .findings
        .iter()
        .filter(|f| f.severity >= fail_on)
        .count();
    if failing > 0 && !args.exit_zero {
        printer::threshold(failing, fail_on)?;
        return Ok(ExitStatus::Failure);
    }
    Ok(ExitStatus::Success)
}
