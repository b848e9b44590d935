//! Renderers shared by the grantscope CLI and the browser build.
//!
//! Pure functions from core data to text: no I/O, no clock, no environment, so that the native and
//! the wasm build produce identical output. Anything that comes from an export is treated as
//! hostile and escaped for the destination format ([`sanitize_terminal`] for terminals).

// Exports are hostile input: library code never unwraps, expects or panics (tests may).
#![forbid(unsafe_code)]
#![cfg_attr(
    not(test),
    deny(clippy::unwrap_used, clippy::expect_used, clippy::panic)
)]

mod check;
mod common;
mod csv;
mod diff;
mod github;
mod inventory;
mod junit;
mod lint;
mod markdown;
mod posture;
mod sanitize;
mod sarif;

pub use check::{render_report_json, render_report_text};
pub use common::{RULE_DOCS_BASE, SourcePaths, TOOL_URI, rule_docs_url};
pub use csv::{CSV_COLUMNS, csv_neutralise, render_csv};
pub use diff::{render_diff_json, render_diff_markdown, render_diff_text};
pub use github::{github_command, github_escape_data, github_escape_property, render_github};
pub use inventory::{
    Counts, INVENTORY_SCHEMA_VERSION, Inventory, Summary, TextOptions, render_inventory_json,
    render_inventory_text,
};
pub use junit::{render_junit, xml_escape};
pub use lint::{lint_location, render_lint_text};
pub use markdown::{markdown_escape, render_markdown};
pub use posture::escape::{html as posture_html_escape, markdown as posture_markdown_escape};
pub use posture::{PostureOptions, render_posture_html, render_posture_markdown};
pub use sanitize::{json_escape_controls, sanitize_terminal};
pub use sarif::{SARIF_FINGERPRINT_KEY, render_sarif, sarif_level};
