//! The consultant's posture report (PRODUCT.md journey 4): one self-contained HTML file, or the
//! same report as Markdown, with a cover, an executive summary generated from the data, a score
//! and grade per area ([`grantscope_core::score`]), the top risks in business terms, charts, a
//! remediation plan grouped by fix, every finding with its evidence, the limitations of the
//! analysis, an inventory appendix and the scoring method.
//!
//! Pure: no I/O, no clock. The same report, snapshot and options give byte-identical output.

mod advice;
pub(crate) mod escape;
mod html;
mod markdown;
mod model;
mod svg;
mod text;

use grantscope_core::config::Config;
use grantscope_core::findings::Report;
use grantscope_core::model::Snapshot;

/// What the cover says beyond the data.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct PostureOptions<'a> {
    /// The client's name (cover, running header).
    pub client: Option<&'a str>,
    /// Who prepared the report.
    pub prepared_by: Option<&'a str>,
}

/// The posture report as one self-contained HTML document (inline CSS and SVG, no script, no
/// external reference). `report` must come from `snapshot` (`rules::run`), with the same
/// `config`.
#[must_use]
pub fn render_posture_html(
    report: &Report,
    snapshot: &Snapshot,
    config: &Config,
    options: &PostureOptions<'_>,
) -> String {
    let m = model::Model::build(
        report,
        snapshot,
        config,
        options.client,
        options.prepared_by,
    );
    html::render(&m)
}

/// The same report as GitHub Flavored Markdown (charts as tables).
#[must_use]
pub fn render_posture_markdown(
    report: &Report,
    snapshot: &Snapshot,
    config: &Config,
    options: &PostureOptions<'_>,
) -> String {
    let m = model::Model::build(
        report,
        snapshot,
        config,
        options.client,
        options.prepared_by,
    );
    markdown::render(&m)
}
