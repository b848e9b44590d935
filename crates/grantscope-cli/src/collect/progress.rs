//! The progress bar on stderr (requests done of those known so far, items fetched, what is being
//! fetched or waited for); hidden when stderr is not a terminal.

use std::io::IsTerminal;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};

#[derive(Clone)]
pub(crate) struct Progress {
    bar: ProgressBar,
    items: Arc<AtomicU64>,
}

impl Progress {
    /// A bar on stderr when it is a terminal (and not `--quiet`), else nothing.
    pub(crate) fn stderr() -> Progress {
        if crate::printer::is_quiet() || !std::io::stderr().is_terminal() {
            return Progress::hidden();
        }
        let bar = ProgressBar::with_draw_target(Some(0), ProgressDrawTarget::stderr());
        let style = ProgressStyle::with_template(
            "{spinner} {pos}/{len} requests · {prefix} items · {elapsed} · {wide_msg}",
        )
        .unwrap_or_else(|_| ProgressStyle::default_spinner());
        bar.set_style(style);
        bar.set_prefix("0");
        bar.enable_steady_tick(Duration::from_millis(120));
        Progress {
            bar,
            items: Arc::default(),
        }
    }

    pub(crate) fn hidden() -> Progress {
        Progress {
            bar: ProgressBar::hidden(),
            items: Arc::default(),
        }
    }

    /// More requests became known (the per-object requests, once their objects are listed).
    pub(crate) fn add_requests(&self, count: usize) {
        self.bar.inc_length(count as u64);
    }

    /// A request finished (whatever its outcome), with the items it brought.
    pub(crate) fn done(&self, items: usize) {
        let total = self.items.fetch_add(items as u64, Ordering::Relaxed) + items as u64;
        self.bar.set_prefix(total.to_string());
        self.bar.inc(1);
    }

    /// What is being fetched now.
    pub(crate) fn fetching(&self, what: &str) {
        self.bar.set_message(what.to_owned());
    }

    /// A pause before a retry.
    pub(crate) fn waiting(&self, wait: Duration, why: &str) {
        self.bar.set_message(format!(
            "{why}: retrying in {} s",
            wait.as_secs_f32().ceil()
        ));
    }

    pub(crate) fn finish(&self) {
        self.bar.finish_and_clear();
    }
}
