//! Rendering a check report in the requested formats and writing it to standard output and files
//! (`check` and `convert` share this).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use grantscope_core::findings::Report;
use grantscope_report::{
    SourcePaths, TextOptions, render_csv, render_github, render_junit, render_markdown,
    render_report_json, render_report_text, render_sarif,
};

use crate::args::{OutputArgs, ReportFormat};
use crate::printer;

/// How a command renders its report as text (`check` and `lint` read differently).
pub(crate) type TextRenderer = fn(&Report, TextOptions) -> String;

/// Renders the report in one format, with `text` for the text format.
pub(crate) fn render(
    report: &Report,
    format: ReportFormat,
    styled: bool,
    paths: &SourcePaths,
    text: TextRenderer,
) -> Result<String> {
    Ok(match format {
        ReportFormat::Text => text(report, TextOptions { styled }),
        ReportFormat::Json => render_report_json(report).context("cannot serialise the report")?,
        ReportFormat::Sarif => render_sarif(report, paths).context("cannot serialise SARIF")?,
        ReportFormat::Junit => render_junit(report),
        ReportFormat::Markdown => render_markdown(report),
        ReportFormat::Github => render_github(report, paths),
        ReportFormat::Csv => render_csv(report).context("cannot write CSV")?,
    })
}

/// Refuses two reports aimed at one file before any work is done (the second would silently
/// replace the first).
pub(crate) fn check_destinations(args: &OutputArgs) -> Result<()> {
    let mut seen: BTreeSet<PathBuf> = BTreeSet::new();
    let files = args
        .output
        .iter()
        .chain(args.output_format.iter().map(|spec| &spec.file));
    for file in files {
        if !seen.insert(normalise(file)) {
            bail!(
                "`{}` is named by more than one --output/--output-format",
                file.display()
            );
        }
    }
    Ok(())
}

/// The path without `.` components (`./a` and `a` are one file).
fn normalise(path: &Path) -> PathBuf {
    path.components()
        .filter(|c| !matches!(c, std::path::Component::CurDir))
        .collect()
}

/// The `--path-prefix`, else `default` (check: the only PATH, when it is a folder).
pub(crate) fn source_paths(args: &OutputArgs, default: Option<&Path>) -> SourcePaths {
    match (&args.path_prefix, default) {
        (Some(prefix), _) => SourcePaths::new(prefix),
        (None, Some(dir)) => SourcePaths::new(&dir.to_string_lossy()),
        (None, None) => SourcePaths::default(),
    }
}

/// Writes every `--output-format` file, then `--format` to `--output` or standard output.
pub(crate) fn emit(report: &Report, args: &OutputArgs, paths: &SourcePaths) -> Result<()> {
    emit_with(report, args, paths, render_report_text)
}

/// [`emit`], with `text` rendering the text format.
pub(crate) fn emit_with(
    report: &Report,
    args: &OutputArgs,
    paths: &SourcePaths,
    text_format: TextRenderer,
) -> Result<()> {
    for spec in &args.output_format {
        let text = render(report, spec.format, false, paths, text_format)?;
        write_file(&spec.file, &text)?;
    }
    match &args.output {
        Some(path) => {
            let text = render(report, args.format, false, paths, text_format)?;
            write_file(path, &text)?;
        }
        None => {
            let styled = printer::stdout_is_styled();
            let text = render(report, args.format, styled, paths, text_format)?;
            printer::stdout(&text)?;
        }
    }
    Ok(())
}

fn write_file(path: &Path, text: &str) -> Result<()> {
    std::fs::write(path, text)
        .with_context(|| format!("cannot write the report to {}", path.display()))
}
