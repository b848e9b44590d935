//! `grantscope lint FILE... [--context EXPORT]`: check proposed assignment policies (Graph
//! request bodies, Terraform plans) before they exist, and exit 0/1/2 as `check` does.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result};
use grantscope_core::findings::Severity;
use grantscope_core::ingest::{FileOutcome, InputFile, LoadError};
use grantscope_report::render_lint_text;

use crate::ExitStatus;
use crate::args::LintArgs;
use crate::commands::check::{load_paths, resolve_as_of, resolve_config};
use crate::input::read_paths;
use crate::output;
use crate::printer;

/// `a/./b\c` → `a/b/c`: a path as the user typed it, with `/` separators and no `./`.
fn typed(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    let mut parts: Vec<&str> = text.split('/').filter(|p| *p != ".").collect();
    if parts.len() > 1 && parts.last() == Some(&"") {
        parts.pop();
    }
    parts.join("/")
}

/// The files to lint: each FILE as given, and the `.json` files of each folder (named by their
/// path, so that FILE:LINE:COLUMN opens from the current folder).
fn read_files(paths: &[PathBuf]) -> Result<Vec<InputFile>> {
    let mut files = Vec::new();
    for path in paths {
        let inputs = read_paths(std::slice::from_ref(path))?;
        printer::notes(&inputs.notes)?;
        if path.is_dir() {
            let prefix = typed(path);
            files.extend(
                inputs
                    .files
                    .into_iter()
                    .filter(|f| f.name.to_ascii_lowercase().ends_with(".json"))
                    .map(|f| InputFile::new(format!("{prefix}/{}", f.name), f.bytes)),
            );
        } else {
            files.extend(inputs.files);
        }
    }
    if files.is_empty() {
        anyhow::bail!(
            "no .json file to lint in {}",
            paths
                .iter()
                .map(|p| p.display().to_string())
                .collect::<Vec<_>>()
                .join(", ")
        );
    }
    Ok(files)
}

pub(crate) fn lint(args: &LintArgs) -> Result<ExitStatus> {
    output::check_destinations(&args.outputs)?;
    let mut config_from: Vec<PathBuf> = args.context.clone();
    config_from.extend(args.files.iter().cloned());
    let config = resolve_config(&config_from, args.config.as_deref(), args.no_config)?;
    let as_of = resolve_as_of(args.as_of.as_deref(), &config)?;
    let fail_on: Severity = args
        .fail_on
        .map(Into::into)
        .or(config.fail_on)
        .unwrap_or(Severity::Info);

    let files = read_files(&args.files)?;
    let context = if args.context.is_empty() {
        None
    } else {
        Some(
            load_paths(&args.context, &args.load.limits())
                .context("cannot read the --context export")?,
        )
    };
    let report = grantscope_core::lint::lint(&files, context.as_ref(), &config, as_of);

    let paths = output::source_paths(&args.outputs, None);
    output::emit_with(&report, &args.outputs, &paths, render_lint_text)?;

    let errors: Vec<&LoadError> = report
        .inputs
        .iter()
        .filter_map(|i| match &i.outcome {
            FileOutcome::Failed { error } => Some(error),
            _ => None,
        })
        .collect();
    if !errors.is_empty() {
        printer::load_errors(&errors, report.inputs.len())?;
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn typed_paths_use_slashes() {
        assert_eq!(typed(Path::new("./a/b/")), "a/b");
        assert_eq!(typed(Path::new("a\\b")), "a/b");
        assert_eq!(typed(Path::new("/x/./y")), "/x/y");
    }
}
