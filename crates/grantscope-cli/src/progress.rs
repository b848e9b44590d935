//! Progress on stderr for large inputs: a bar while files are read, a spinner while they are
//! loaded and analysed. Only when stderr is a terminal, the input is large and `--quiet` is not
//! given, so that logs, pipes and tests never see it.

use std::io::IsTerminal as _;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

use crate::printer;

/// Inputs from this size on get progress (smaller ones are read and analysed in well under a
/// second).
pub(crate) const LARGE_INPUT_BYTES: u64 = 32 * 1024 * 1024;

const BAR: &str = "{msg} [{bar:30}] {bytes}/{total_bytes} ({bytes_per_sec}, {eta} left)";
const SPINNER: &str = "{spinner} {msg} ({elapsed})";

/// A progress bar or spinner, or nothing.
pub(crate) struct Progress {
    bar: Option<ProgressBar>,
}

/// Whether progress is shown for an input of `bytes`.
fn wanted(bytes: u64) -> bool {
    bytes >= LARGE_INPUT_BYTES && !printer::is_quiet() && std::io::stderr().is_terminal()
}

impl Progress {
    /// Nothing is shown.
    pub(crate) fn hidden() -> Progress {
        Progress { bar: None }
    }

    /// A bar over `total` bytes, e.g. while reading files.
    pub(crate) fn bytes(total: u64, message: &str) -> Progress {
        if !wanted(total) {
            return Progress::hidden();
        }
        let bar = ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template(BAR)
            .map(|s| s.progress_chars("=> "))
            .unwrap_or_else(|_| ProgressStyle::default_bar());
        bar.set_style(style);
        bar.set_message(message.to_owned());
        Progress { bar: Some(bar) }
    }

    /// A spinner with a message, for work whose progress is not known (loading, analysing an
    /// input of `bytes`).
    pub(crate) fn spinner(bytes: u64, message: &str) -> Progress {
        if !wanted(bytes) {
            return Progress::hidden();
        }
        let bar = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template(SPINNER)
            .unwrap_or_else(|_| ProgressStyle::default_spinner());
        bar.set_style(style);
        bar.set_message(message.to_owned());
        bar.enable_steady_tick(Duration::from_millis(100));
        Progress { bar: Some(bar) }
    }

    /// Advances a bar.
    pub(crate) fn inc(&self, n: u64) {
        if let Some(bar) = &self.bar {
            bar.inc(n);
        }
    }

    /// Removes the bar from the terminal.
    pub(crate) fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }
}

impl Drop for Progress {
    fn drop(&mut self) {
        self.finish();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_are_valid() {
        assert!(ProgressStyle::with_template(BAR).is_ok());
        assert!(ProgressStyle::with_template(SPINNER).is_ok());
    }

    #[test]
    fn small_inputs_get_no_progress() {
        assert!(
            Progress::bytes(LARGE_INPUT_BYTES - 1, "reading")
                .bar
                .is_none()
        );
        assert!(Progress::spinner(1024, "analysing").bar.is_none());
    }
}
