//! Everything the CLI writes goes through here. Data from exports has already been escaped by the
//! renderers; anything else that may echo input (file names, error messages) is escaped here.

use std::io::{self, Write};
use std::sync::atomic::{AtomicBool, Ordering};

use anstream::ColorChoice;
use anstyle::{AnsiColor, Style};
use grantscope_core::ingest::LoadError;
use grantscope_report::sanitize_terminal;

static QUIET: AtomicBool = AtomicBool::new(false);

/// `--quiet`: from now on, print only results and errors (no notes, summaries or progress).
pub(crate) fn set_quiet(quiet: bool) {
    QUIET.store(quiet, Ordering::Relaxed);
}

pub(crate) fn is_quiet() -> bool {
    QUIET.load(Ordering::Relaxed)
}

/// Whether standard output will show colours (a terminal, unless NO_COLOR or `--color never`).
pub(crate) fn stdout_is_styled() -> bool {
    !matches!(
        anstream::AutoStream::choice(&io::stdout()),
        ColorChoice::Never
    )
}

/// Writes rendered output to standard output. Errors (a closed pipe) are returned, so that the
/// caller can stop.
pub(crate) fn stdout(text: &str) -> io::Result<()> {
    let mut out = anstream::stdout().lock();
    out.write_all(text.as_bytes())?;
    out.flush()
}

/// Notes about the input that are not errors (a skipped symlinked folder).
pub(crate) fn notes(notes: &[String]) -> io::Result<()> {
    if is_quiet() {
        return Ok(());
    }
    let mut err = anstream::stderr().lock();
    let style = AnsiColor::Yellow.on_default().bold();
    for note in notes {
        writeln!(err, "{style}note{style:#}: {}", sanitize_terminal(note))?;
    }
    Ok(())
}

/// The files that failed to load, one line each as `FILE:LINE:COL: at PATH: MESSAGE`.
pub(crate) fn load_errors(errors: &[&LoadError], files: usize) -> io::Result<()> {
    let mut err = anstream::stderr().lock();
    for error in errors {
        writeln!(err, "{}", sanitize_terminal(&error.to_string()))?;
    }
    let style = AnsiColor::Red.on_default().bold();
    writeln!(
        err,
        "{style}error{style:#}: {} of {files} {} failed to load",
        errors.len(),
        if files == 1 { "file" } else { "files" },
    )
}

/// `grantscope failed` and one `Cause:` line per link of the error chain (ruff's format).
pub(crate) fn failure(error: &anyhow::Error) {
    let mut err = anstream::stderr().lock();
    let bold = Style::new().bold();
    let red = AnsiColor::Red.on_default().bold();
    // If even stderr is gone there is nobody left to tell.
    let _ = writeln!(err, "{red}grantscope failed{red:#}");
    for cause in error.chain() {
        let _ = writeln!(
            err,
            "  {bold}Cause:{bold:#} {}",
            sanitize_terminal(&cause.to_string())
        );
    }
}

/// Why `check` exits 1: how many findings reached the threshold.
pub(crate) fn threshold(
    count: usize,
    fail_on: grantscope_core::findings::Severity,
) -> io::Result<()> {
    threshold_not_counting(count, 0, fail_on)
}

/// [`threshold`], and how many more findings would have reached it were they not waived or
/// baselined.
pub(crate) fn threshold_not_counting(
    count: usize,
    not_counted: usize,
    fail_on: grantscope_core::findings::Severity,
) -> io::Result<()> {
    let mut err = anstream::stderr().lock();
    let style = AnsiColor::Red.on_default().bold();
    writeln!(
        err,
        "{style}error{style:#}: {count} {} at or above `{fail_on}` (--fail-on{}); exiting with 1",
        if count == 1 { "finding" } else { "findings" },
        if not_counted > 0 {
            format!("; {not_counted} more waived or baselined, not counted")
        } else {
            String::new()
        },
    )
}

/// Why `check --strict-baseline` exits 1: baseline entries are fixed.
pub(crate) fn stale_baseline(fixed: usize) -> io::Result<()> {
    let mut err = anstream::stderr().lock();
    let style = AnsiColor::Red.on_default().bold();
    writeln!(
        err,
        "{style}error{style:#}: {fixed} baseline {} fixed (--strict-baseline): record the baseline again with `grantscope baseline`; exiting with 1",
        if fixed == 1 {
            "entry is"
        } else {
            "entries are"
        },
    )
}

/// A warning that is not an error (an expired or stale waiver); not shown with `--quiet`.
pub(crate) fn warning(text: &str) -> io::Result<()> {
    if is_quiet() {
        return Ok(());
    }
    let mut err = anstream::stderr().lock();
    let style = AnsiColor::Yellow.on_default().bold();
    writeln!(err, "{style}warning{style:#}: {}", sanitize_terminal(text))
}

/// What a command wrote (`wrote FILE: …`); not shown with `--quiet`.
pub(crate) fn wrote(path: &std::path::Path, what: &str) -> io::Result<()> {
    if is_quiet() {
        return Ok(());
    }
    let mut err = anstream::stderr().lock();
    let green = AnsiColor::Green.on_default().bold();
    writeln!(
        err,
        "{green}wrote{green:#} {}: {}",
        sanitize_terminal(&path.display().to_string()),
        sanitize_terminal(what)
    )
}
