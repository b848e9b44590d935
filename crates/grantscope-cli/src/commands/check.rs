//! `grantscope check PATH...`: load, run every rule, apply waivers and the baseline, render, and
//! exit 0/1/2.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use grantscope_core::baseline::Baseline;
use grantscope_core::config::Config;
use grantscope_core::findings::{Report, Severity};
use grantscope_core::ingest::{Limits, Loaded};
use grantscope_core::rules::run;
use grantscope_core::waivers::{self, WAIVERS_FILE, Waiver, WaiverStatus};

use crate::ExitStatus;
use crate::args::{CheckArgs, ReportFormat};
use crate::config;
use crate::input::{list_paths, load_plan};
use crate::output;
use crate::printer;
use crate::progress::Progress;

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
    match config_path(paths, explicit, no_config) {
        Some(path) => config::read(&path),
        None => Ok(Config::default()),
    }
}

/// The configuration file in use, if any (see [`resolve_config`]).
fn config_path(paths: &[PathBuf], explicit: Option<&Path>, no_config: bool) -> Option<PathBuf> {
    if no_config {
        return None;
    }
    explicit
        .map(Path::to_path_buf)
        .or_else(|| config::discover(paths))
}

/// A path as people typed it: relative to the current folder when it is inside it.
fn relative(path: &Path) -> PathBuf {
    std::env::current_dir()
        .ok()
        .and_then(|cwd| {
            let cwd = std::fs::canonicalize(cwd).ok()?;
            path.strip_prefix(cwd).ok().map(Path::to_path_buf)
        })
        .unwrap_or_else(|| path.to_path_buf())
}

/// The waivers of a run: none with `--no-waivers`; else the configuration's `[[waivers]]`, then
/// those of the `--waivers` file, or of the `grantscope-waivers.toml` next to the configuration
/// file.
fn resolve_waivers(
    args: &CheckArgs,
    config_file: Option<&Path>,
    config: &Config,
) -> Result<Vec<Waiver>> {
    if args.no_waivers {
        return Ok(Vec::new());
    }
    let mut all = Vec::new();
    if let Some(file) = config_file {
        let name = relative(file).display().to_string();
        all.extend(
            config
                .waivers(&name)
                .map_err(|e| anyhow::anyhow!("{name}: {e}"))?,
        );
    }
    let file = args.waivers.clone().or_else(|| {
        config_file
            .and_then(Path::parent)
            .map(|dir| dir.join(WAIVERS_FILE))
            .filter(|f| f.is_file())
    });
    if let Some(file) = file {
        let name = relative(&file).display().to_string();
        let text = std::fs::read_to_string(&file)
            .with_context(|| format!("cannot read the waivers file {name}"))?;
        all.extend(waivers::from_toml(&text, &name).map_err(|e| anyhow::anyhow!("{name}: {e}"))?);
    }
    Ok(all)
}

/// Reads a baseline file written by `grantscope baseline`.
fn read_baseline(path: &Path) -> Result<Baseline> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("cannot read the baseline file {}", path.display()))?;
    Baseline::from_json(&text).map_err(|e| anyhow::anyhow!("{}: {e}", path.display()))
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

/// Lists the paths (notes about skipped entries go to stderr) and loads them within `limits`;
/// an error when no file was found at all.
pub(crate) fn load_paths(paths: &[PathBuf], limits: &Limits) -> Result<Loaded> {
    let plan = list_paths(paths)?;
    printer::notes(&plan.notes)?;
    let message = format!(
        "loading {} {}",
        plan.len(),
        if plan.len() == 1 { "file" } else { "files" }
    );
    let loaded = load_plan(plan, limits, &message)?;
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

/// Runs every rule, with a spinner on stderr for large inputs.
pub(crate) fn analyse(loaded: &Loaded, config: &Config, as_of: NaiveDate) -> Report {
    let bytes = loaded.report.files.iter().map(|f| f.bytes).sum::<u64>();
    let spinner = Progress::spinner(bytes, "analysing the export");
    let report = run(loaded, config, as_of);
    spinner.finish();
    report
}

pub(crate) fn check(args: &CheckArgs) -> Result<ExitStatus> {
    output::check_destinations(&args.outputs)?;
    let config_file = config_path(&args.paths, args.config.as_deref(), args.no_config);
    let config = match &config_file {
        Some(path) => config::read(path)?,
        None => Config::default(),
    };
    let as_of = resolve_as_of(args.as_of.as_deref(), &config)?;
    let waivers = resolve_waivers(args, config_file.as_deref(), &config)?;
    let baseline = args.baseline.as_deref().map(read_baseline).transpose()?;
    let fail_on: Severity = args
        .fail_on
        .map(Into::into)
        .or(config.fail_on)
        .unwrap_or(Severity::Info);

    let loaded = load_paths(&args.paths, &args.load.limits())?;
    let mut report = analyse(&loaded, &config, as_of);
    if !waivers.is_empty() {
        waivers::apply(&mut report, &waivers, as_of);
    }
    if let Some(baseline) = &baseline {
        baseline.annotate(&mut report);
    }

    // File names in the report are relative to a folder PATH: say which, for sarif and github.
    let folder = match args.paths.as_slice() {
        [only] if only.is_dir() => Some(only.as_path()),
        _ => None,
    };
    let paths = output::source_paths(&args.outputs, folder);
    output::emit(&report, &args.outputs, &paths)?;
    // The text report on standard output lists them already.
    if !(args.outputs.format == ReportFormat::Text && args.outputs.output.is_none()) {
        for w in &report.waivers {
            if w.status != WaiverStatus::Applied {
                printer::warning(&w.describe())?;
            }
        }
    }

    let errors: Vec<_> = loaded.report.errors().collect();
    if !errors.is_empty() {
        printer::load_errors(&errors, loaded.report.files.len())?;
        return Ok(ExitStatus::Error);
    }
    let failing = report
        .counted_findings()
        .iter()
        .filter(|f| f.severity >= fail_on)
        .count();
    let not_counted = report
        .findings
        .iter()
        .filter(|f| f.severity >= fail_on)
        .count()
        - failing;
    if failing > 0 && !args.exit_zero {
        printer::threshold_not_counting(failing, not_counted, fail_on)?;
        return Ok(ExitStatus::Failure);
    }
    let fixed = report.baseline.as_ref().map_or(0, |b| b.fixed.len());
    if args.strict_baseline && fixed > 0 && !args.exit_zero {
        printer::stale_baseline(fixed)?;
        return Ok(ExitStatus::Failure);
    }
    Ok(ExitStatus::Success)
}
