//! `grantscope diff OLD NEW`: check both exports with one configuration and as-of date, and
//! report what changed in governance and which findings are new or fixed.

use std::io::Write as _;
use std::path::{Path, PathBuf};

use anstyle::AnsiColor;
use anyhow::{Context, Result};
use grantscope_core::findings::Severity;
use grantscope_core::ingest::LoadError;
use grantscope_core::rules::run;
use grantscope_report::{TextOptions, render_diff_json, render_diff_markdown, render_diff_text};

use crate::ExitStatus;
use crate::args::{DiffArgs, DiffFormat};
use crate::commands::check::{load_paths, resolve_as_of, resolve_config};
use crate::printer;

fn label(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let text = text.strip_prefix("./").unwrap_or(&text);
    text.trim_end_matches('/').to_owned()
}

pub(crate) fn diff(args: &DiffArgs) -> Result<ExitStatus> {
    let config = resolve_config(
        &[args.new.clone(), args.old.clone()],
        args.config.as_deref(),
        args.no_config,
    )?;
    let as_of = resolve_as_of(args.as_of.as_deref(), &config)?;
    let old = load_paths(std::slice::from_ref(&args.old), &args.load.limits())
        .with_context(|| format!("cannot read OLD `{}`", args.old.display()))?;
    let new = load_paths(std::slice::from_ref(&args.new), &args.load.limits())
        .with_context(|| format!("cannot read NEW `{}`", args.new.display()))?;
    let old_report = run(&old, &config, as_of);
    let new_report = run(&new, &config, as_of);
    let mut diff = grantscope_core::diff::diff(&old, &old_report, &new, &new_report);
    diff.old.label = label(&args.old);
    diff.new.label = label(&args.new);

    let render = |styled: bool| -> Result<String> {
        Ok(match args.format {
            DiffFormat::Text => render_diff_text(&diff, TextOptions { styled }),
            DiffFormat::Markdown => render_diff_markdown(&diff),
            DiffFormat::Json => render_diff_json(&diff).context("cannot serialise the diff")?,
        })
    };
    match &args.output {
        Some(path) => write_file(path, &render(false)?)?,
        None => printer::stdout(&render(printer::stdout_is_styled())?)?,
    }

    let errors: Vec<&LoadError> = old.report.errors().chain(new.report.errors()).collect();
    if !errors.is_empty() {
        printer::load_errors(&errors, old.report.files.len() + new.report.files.len())?;
        return Ok(ExitStatus::Error);
    }
    if let Some(threshold) = args.fail_on_new {
        let threshold: Severity = threshold.into();
        let count = diff.new_findings_at_or_above(threshold);
        if count > 0 {
            let mut err = anstream::stderr().lock();
            let style = AnsiColor::Red.on_default().bold();
            writeln!(
                err,
                "{style}error{style:#}: {count} new {} at or above `{threshold}` (--fail-on-new); exiting with 1",
                if count == 1 { "finding" } else { "findings" },
            )?;
            return Ok(ExitStatus::Failure);
        }
    }
    Ok(ExitStatus::Success)
}

fn write_file(path: &PathBuf, text: &str) -> Result<()> {
    std::fs::write(path, text)
        .with_context(|| format!("cannot write the diff to {}", path.display()))
}
