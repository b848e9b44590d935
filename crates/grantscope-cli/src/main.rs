//! The `grantscope` binary: arguments, reading files, printing and exit codes. All analysis lives in
//! `grantscope-core`, all rendering in `grantscope-report`.

mod args;
mod collect;
mod commands;
mod config;
mod input;
mod output;
mod printer;
mod progress;

use std::io;
use std::process::ExitCode;

use clap::Parser;

use crate::args::{Cli, Command};

/// mimalloc instead of glibc's allocator: files are parsed on worker threads and the model is
/// put together on the main thread, and glibc keeps what one thread frees in that thread's arena,
/// so that the main thread cannot reuse it (tier L: 6.1 GB peak with glibc; see
/// docs/PERFORMANCE.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// How a run ended, as an exit code (ruff and ripgrep conventions).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ExitStatus {
    /// 0: the command did what was asked.
    Success,
    /// 1: `check` found problems at or above the threshold.
    Failure,
    /// 2: usage error, unreadable input, or a file that failed to load.
    Error,
}

impl From<ExitStatus> for ExitCode {
    fn from(status: ExitStatus) -> Self {
        match status {
            ExitStatus::Success => ExitCode::SUCCESS,
            ExitStatus::Failure => ExitCode::from(1),
            ExitStatus::Error => ExitCode::from(2),
        }
    }
}

fn main() -> ExitCode {
    // Usage errors exit with 2 inside `parse`; `--help` and `--version` exit with 0.
    let cli = Cli::parse();
    anstream::ColorChoice::from(cli.color).write_global();
    printer::set_quiet(cli.quiet);

    let result = match &cli.command {
        Command::Check(args) => commands::check::check(args),
        Command::Convert(args) => commands::convert::convert(args),
        Command::Report(args) => commands::report::report(args),
        Command::Inventory(args) => commands::inventory::inventory(args),
        Command::Collect(args) => commands::collect::collect(args),
        Command::Rules(args) => commands::rules::rules(args),
        Command::Explain(args) => commands::rules::explain(args),
        Command::Lint(args) => commands::lint::lint(args),
        Command::Diff(args) => commands::diff::diff(args),
        Command::Baseline(args) => commands::baseline::baseline(args),
        Command::Completions(args) => commands::completions::completions(args),
    };
    match result {
        Ok(status) => status.into(),
        // `grantscope inventory x | head` closing the pipe early is not a failure (ripgrep, ruff).
        Err(error) if is_broken_pipe(&error) => ExitCode::SUCCESS,
        Err(error) => {
            printer::failure(&error);
            ExitStatus::Error.into()
        }
    }
}

fn is_broken_pipe(error: &anyhow::Error) -> bool {
    error.chain().any(|cause| {
        cause
            .downcast_ref::<io::Error>()
            .is_some_and(|e| e.kind() == io::ErrorKind::BrokenPipe)
    })
}
