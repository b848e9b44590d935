//! `grantscope report PATH...`: the consultant's posture report, one self-contained HTML file (or
//! the same as Markdown). Configuration, as-of date and loading are those of `check`.

use std::io::Write as _;

use anstyle::{AnsiColor, Style};
use anyhow::{Context, Result};
use grantscope_core::rules::run;
use grantscope_core::score::{Exposure, score};
use grantscope_report::{
    PostureOptions, render_posture_html, render_posture_markdown, sanitize_terminal,
};

use crate::ExitStatus;
use crate::args::{PostureFormat, ReportArgs};
use crate::commands::check::{load_paths, resolve_as_of, resolve_config};
use crate::printer;

pub(crate) fn report(args: &ReportArgs) -> Result<ExitStatus> {
    let config = resolve_config(&args.paths, args.config.as_deref(), args.no_config)?;
    let as_of = resolve_as_of(args.as_of.as_deref(), &config)?;
    let loaded = load_paths(&args.paths, &args.load.limits())?;
    let report = run(&loaded, &config, as_of);

    let options = PostureOptions {
        client: args.client.as_deref(),
        prepared_by: args.prepared_by.as_deref(),
    };
    let rendered = match args.format {
        PostureFormat::Html => render_posture_html(&report, &loaded.snapshot, &config, &options),
        PostureFormat::Markdown => {
            render_posture_markdown(&report, &loaded.snapshot, &config, &options)
        }
    };
    match &args.output {
        Some(path) => {
            std::fs::write(path, rendered)
                .with_context(|| format!("cannot write the report to {}", path.display()))?;
            if printer::is_quiet() {
                return finish(&loaded);
            }
            let overall = score(&report, &Exposure::of(&loaded.snapshot)).overall;
            let bold = Style::new().bold();
            let green = AnsiColor::Green.on_default().bold();
            let mut err = anstream::stderr().lock();
            writeln!(
                err,
                "{green}wrote{green:#} {}: overall {bold}{} / 100, grade {}{bold:#}, {} {}",
                sanitize_terminal(&path.display().to_string()),
                overall.score,
                overall.grade,
                report.summary.total,
                if report.summary.total == 1 {
                    "finding"
                } else {
                    "findings"
                },
            )?;
        }
        None => printer::stdout(&rendered)?,
    }

    finish(&loaded)
}

/// Exit 2 (with the load errors on stderr) when a file failed to load, else 0.
fn finish(loaded: &grantscope_core::ingest::Loaded) -> Result<ExitStatus> {
    let errors: Vec<_> = loaded.report.errors().collect();
    if !errors.is_empty() {
        printer::load_errors(&errors, loaded.report.files.len())?;
        return Ok(ExitStatus::Error);
    }
    Ok(ExitStatus::Success)
}
