//! Command-line arguments (clap derive). Parsing only: resolving and validating happens in the
//! commands.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const EXAMPLES: &str = "\
Examples:
  grantscope inventory ./export                 what a folder of Graph responses contains
  grantscope inventory export.zip               the same, from a zip archive
  grantscope inventory users.json auditLogs.json --format json

Exit codes: 0 success; 2 usage error, unreadable path or a file that failed to load.
Docs: README.md and docs/EXPORT-RECIPE.md (which Graph requests to save, and how).";

const INVENTORY_EXAMPLES: &str = "\
Examples:
  grantscope inventory ./export
  grantscope inventory export.zip more/signInActivity.json
  grantscope inventory ./export --format json > inventory.json

Folders are read recursively in sorted order; hidden entries (.git, .DS_Store) and symlinked
folders are skipped. Zip archives are expanded in memory. Files that are not exports are listed
as skipped, with the reason.

Exit codes: 0 every file loaded or was skipped; 2 usage error, unreadable path, or a file that
failed to load (each error is printed on stderr as FILE:LINE:COL: at JSON-PATH: MESSAGE; the
inventory of the other files is still printed).";

/// Audits Microsoft Entra ID entitlement management from exported files.
///
/// grantscope reads Graph API responses (v1.0 or beta), EntraExporter folders, portal CSV
/// downloads and zips of them. It never connects to a tenant.
#[derive(Debug, Parser)]
#[command(name = "grantscope", version, after_help = EXAMPLES, arg_required_else_help = true)]
pub(crate) struct Cli {
    /// When to colour the output: auto colours a terminal unless NO_COLOR is set.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto, global = true)]
    pub(crate) color: ColorWhen,

    #[command(subcommand)]
    pub(crate) command: Command,
}

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// List what an export contains: each file's dataset, API version and item count (or why it
    /// was skipped or failed), totals per dataset, and the warnings.
    #[command(after_help = INVENTORY_EXAMPLES)]
    Inventory(InventoryArgs),
}

#[derive(Debug, Args)]
pub(crate) struct InventoryArgs {
    /// Export files, folders or .zip archives.
    #[arg(required = true, value_name = "PATH")]
    pub(crate) paths: Vec<PathBuf>,

    /// Output format: text for people, json for machines (a documented object with
    /// `schemaVersion`).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub(crate) format: Format,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    Text,
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ColorWhen {
    Auto,
    Always,
    Never,
}

impl From<ColorWhen> for anstream::ColorChoice {
    fn from(when: ColorWhen) -> Self {
        match when {
            ColorWhen::Auto => anstream::ColorChoice::Auto,
            ColorWhen::Always => anstream::ColorChoice::Always,
            ColorWhen::Never => anstream::ColorChoice::Never,
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::Cli;

    #[test]
    fn clap_definition_is_valid() {
        Cli::command().debug_assert();
    }
}
