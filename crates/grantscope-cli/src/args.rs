//! Command-line arguments (clap derive). Parsing only: resolving and validating happens in the
//! commands.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand, ValueEnum};

const EXAMPLES: &str = "\
Examples:
  grantscope check ./export --as-of 2026-11-01  audit an export (exit 1 on findings)
  grantscope check export.zip --fail-on high    fail only on high and critical findings
  grantscope check ./export --format sarif --output grantscope.sarif
  grantscope lint plan.json --context ./export  lint a proposed policy before rollout
  grantscope diff ./last-month ./export         what changed in governance since last month
  grantscope convert report.json --format markdown
  grantscope report ./export -o report.html     a client's posture report (HTML)
  grantscope explain GS201                      what a rule detects and how to fix it
  grantscope inventory ./export                 what a folder of Graph responses contains
  grantscope inventory export.zip               the same, from a zip archive
  grantscope inventory users.json auditLogs.json --format json
  grantscope collect -o export --client-id APP  export a tenant from Microsoft Graph
  grantscope baseline --output grantscope-baseline.json ./export   record today's findings
  grantscope check ./export --baseline grantscope-baseline.json     fail only on new findings
  grantscope completions bash > /etc/bash_completion.d/grantscope

Exit codes: 0 success (check: nothing at or above --fail-on); 1 check found problems at or
above --fail-on; 2 usage or configuration error, unreadable path or a file that failed to load.
Docs: README.md and docs/EXPORT-RECIPE.md (which Graph requests to save, and how).";

const INVENTORY_EXAMPLES: &str = "\
Examples:
  grantscope inventory ./export
  grantscope inventory export.zip more/signInActivity.json
  grantscope inventory ./export --format json > inventory.json
  grantscope inventory ./big-export --max-input-size 8GiB

Folders are read recursively in sorted order; hidden entries (.git, .DS_Store) and symlinked
folders are skipped. Zip archives are expanded in memory. Files that are not exports are listed
as skipped, with the reason.

Exit codes: 0 every file loaded or was skipped; 2 usage error, unreadable path, or a file that
failed to load (each error is printed on stderr as FILE:LINE:COL: at JSON-PATH: MESSAGE; the
inventory of the other files is still printed).";

/// Audits Microsoft Entra ID entitlement management from exported files.
///
/// grantscope reads Graph API responses (v1.0 or beta), EntraExporter folders, portal CSV
/// downloads and zips of them. Only `grantscope collect` connects to a tenant (read-only), to
/// export it.
#[derive(Debug, Parser)]
#[command(name = "grantscope", version, after_help = EXAMPLES, arg_required_else_help = true)]
pub(crate) struct Cli {
    /// When to colour the output: auto colours a terminal unless NO_COLOR is set.
    #[arg(long, value_enum, value_name = "WHEN", default_value_t = ColorWhen::Auto, global = true)]
    pub(crate) color: ColorWhen,

    /// Print only the results and errors: no notes, summaries of written files or progress bars.
    #[arg(long, short, global = true)]
    pub(crate) quiet: bool,

    #[command(subcommand)]
    pub(crate) command: Command,
}

const CHECK_EXAMPLES: &str = "\
Examples:
  grantscope check fixtures/tenants/contoso
  grantscope check ./export --as-of 2026-11-01 --fail-on high
  grantscope check export.zip --format json --output report.json
  grantscope check ./export --config ci/grantscope.toml
  grantscope check ./export --format markdown --output-format sarif=grantscope.sarif
  grantscope check ./export --waivers ci/grantscope-waivers.toml
  grantscope check ./export --baseline grantscope-baseline.json --strict-baseline
  grantscope check ./big-export --max-input-size 8GiB

Formats: text (people), json (the versioned report, input to `grantscope convert`), sarif (SARIF
2.1.0 for GitHub code scanning), junit (test tabs of Azure DevOps, GitLab, Jenkins), markdown (job
summary, PR comment), github (workflow annotations), csv (spreadsheets; formula cells defused).
--format goes to standard output, or to --output FILE; each --output-format FORMAT=FILE writes one
more report of the same run. File paths in sarif and github output are the export's file names
prefixed with --path-prefix (default: the folder given as PATH, when it is the only PATH), so
that code scanning and annotations find the files in the repository.

Configuration: grantscope.toml is looked up in each PATH (a folder) and its parent folders, then
in the current folder and its parents; --config names one explicitly. Flags override the file.

Waivers accept a finding on purpose: [[waiver]] tables in grantscope-waivers.toml (found next to
grantscope.toml, or named with --waivers), or [[waivers]] in grantscope.toml, each naming the
finding by fingerprint, or by rule and subject (kind:id), with a reason, an owner and an expiry
date (all required). A waived finding is shown as waived in every format and does not count for
--fail-on; an expired waiver no longer applies and is reported, as is one that matches nothing.
--baseline FILE (written by `grantscope baseline`) shows the findings recorded in it as
baselined, counts only the new ones, and lists the fixed ones.

Exit codes: 0 nothing at or above --fail-on (default: any finding); 1 findings at or above it;
2 usage or configuration error, unreadable path, or a file that failed to load (the report of
the rest is still printed). --exit-zero turns 1 into 0. Waived and baselined findings never count;
with --strict-baseline, baseline entries that are fixed (stale) also exit 1.";

const BASELINE_EXAMPLES: &str = "\
Examples:
  grantscope baseline --output grantscope-baseline.json ./export
  grantscope baseline -o grantscope-baseline.json export.zip --as-of 2026-11-01
  grantscope check ./export --baseline grantscope-baseline.json

Records every finding of the export (rule id, fingerprint, subject, severity, message), sorted by
rule id and fingerprint so that a re-recorded baseline diffs cleanly in review. `check --baseline`
then counts only findings that are not in it (by fingerprint, which survives renames and file
order), shows the others as baselined, and lists the entries that are fixed. Record it again
when findings are fixed (`check --strict-baseline` fails until you do). Configuration, as-of and
inputs are those of `check`.

Exit codes: 0 written; 2 usage or configuration error, unreadable path, or a file that failed to
load (nothing is written: a baseline of a partial export would hide findings).";

const RULES_EXAMPLES: &str = "\
Examples:
  grantscope rules
  grantscope rules --format json | jq '.[] | select(.category == \"approval\")'

Exit codes: 0 listed; 2 usage error.";

const EXPLAIN_EXAMPLES: &str = "\
Examples:
  grantscope explain GS201
  grantscope explain stale-guest

Prints the rule's documentation: what it detects, why it is risky, an example, the remediation
and references (the same text as the rule's page).

Exit codes: 0 explained; 2 no rule has that id or name (the nearest one is suggested).";

const COMPLETIONS_EXAMPLES: &str = "\
Examples:
  grantscope completions bash > ~/.local/share/bash-completion/completions/grantscope
  grantscope completions zsh > \"${fpath[1]}/_grantscope\"
  grantscope completions fish > ~/.config/fish/completions/grantscope.fish
  grantscope completions powershell >> $PROFILE

Prints the completion script for SHELL on standard output.

Exit codes: 0 printed; 2 usage error (an unknown shell).";

const CONVERT_EXAMPLES: &str = "\
Examples:
  grantscope check ./export --format json --output report.json
  grantscope convert report.json --format sarif --output grantscope.sarif --path-prefix export
  grantscope convert report.json --format markdown >> \"$GITHUB_STEP_SUMMARY\"
  grantscope convert - --format csv < report.json

Reads a report written by `grantscope check --format json` (schemaVersion 1) and renders it again,
without the export or re-analysing. Formats and --output-format are those of `check`.

Exit codes: 0 written; 2 usage error, unreadable file, or a file that is not a grantscope report
of a schema version this grantscope reads (the error gives the line and column).";

const REPORT_EXAMPLES: &str = "\
Examples:
  grantscope report ./export --client \"Contoso Ltd\" --prepared-by \"Jo Smith\" -o report.html
  grantscope report export.zip --as-of 2026-11-01 --output report.html
  grantscope report ./export --format markdown --output report.md

The HTML file needs nothing else: styles and charts are inline, there is no script and no link
to anything outside the file. Open it in a browser, or print it to PDF (A4, page numbers). The
score and grades are computed by the method in docs/SCORING.md, printed in the report's appendix.
Configuration (grantscope.toml) is found as for `check`.

Exit codes: 0 the report was written (whatever it found); 2 usage or configuration error,
unreadable path, or a file that failed to load (the report of the rest is still written, and
lists the file under Limitations).";

const COLLECT_EXAMPLES: &str = "\
Examples:
  grantscope collect --out ./export --client-id APP_ID --tenant contoso.onmicrosoft.com
  GRAPH_TOKEN=$(az account get-access-token --resource-type ms-graph --query accessToken -o tsv) \\
    grantscope collect --out ./export --token-env GRAPH_TOKEN
  grantscope collect --out ./export --token-env GRAPH_TOKEN --resume     fetch only what is missing
  grantscope collect --out ./export --token-env GRAPH_TOKEN --exclude signInActivity --since 90

Runs every request of the export recipe (docs/EXPORT-RECIPE.md) against Graph v1.0, read-only,
and writes one file per response page, named as the recipe names them, plus manifest.json (tool
version, tenant, time, each request with its files and item count, what was skipped or failed
and why). Per-catalog, per-package and per-group requests go 20 to a $batch. Throttling (429,
503) waits as Retry-After says; network errors and 5xx are retried with backoff. A request that
is forbidden (403: a missing permission or licence, e.g. signInActivity without Entra ID P1) is
skipped and recorded; `check` then reports the rules that need it as not evaluated.

--include/--exclude take the datasets' file names (users, signInActivity, groupMembers …). The
collections that say which catalogs, packages and groups a per-object dataset is requested for
are fetched even when excluded (and then not saved).

Tokens are never written to disk, the manifest, logs or messages. Sign-in needs an app
registration (README: Collect an export) with delegated read-only permissions.

Exit codes: 0 the export is complete (requests skipped for a missing permission or licence are
listed on stderr and in the manifest); 2 usage error, sign-in failed, the token was rejected, or
a request failed after its retries (run again with --resume to fetch only what is missing).";

#[derive(Debug, Subcommand)]
pub(crate) enum Command {
    /// Audit an export: run every rule and report findings, with the rules that could not be
    /// evaluated for lack of data.
    #[command(after_help = CHECK_EXAMPLES)]
    Check(CheckArgs),
    /// Lint proposed assignment policies before they exist: Graph request bodies (v1.0 or beta)
    /// or Terraform plans, optionally against the current tenant export.
    #[command(after_help = LINT_EXAMPLES)]
    Lint(LintArgs),
    /// Compare two exports of a tenant: what changed in governance, and which findings are new
    /// or fixed.
    #[command(after_help = DIFF_EXAMPLES)]
    Diff(DiffArgs),
    /// Render a saved JSON report (from `check --format json`) in another format.
    #[command(after_help = CONVERT_EXAMPLES)]
    Convert(ConvertArgs),
    /// Write the posture report for a client: one self-contained HTML file (or Markdown) with a
    /// score and grade per area, top risks, charts, a remediation plan and an inventory.
    #[command(after_help = REPORT_EXAMPLES)]
    Report(ReportArgs),
    /// List the rules: id, name, category, default severity and what each detects.
    #[command(after_help = RULES_EXAMPLES)]
    Rules(RulesArgs),
    /// Explain a rule: what it detects, why it is risky, an example, remediation, references.
    #[command(after_help = EXPLAIN_EXAMPLES)]
    Explain(ExplainArgs),
    /// Record the findings of an export as a baseline, so that `check --baseline` fails only on
    /// new findings.
    #[command(after_help = BASELINE_EXAMPLES)]
    Baseline(BaselineArgs),
    /// Print a shell completion script.
    #[command(after_help = COMPLETIONS_EXAMPLES)]
    Completions(CompletionsArgs),
    /// List what an export contains: each file's dataset, API version and item count (or why it
    /// was skipped or failed), totals per dataset, and the warnings.
    #[command(after_help = INVENTORY_EXAMPLES)]
    Inventory(InventoryArgs),
    /// Collect an export from Microsoft Graph: every request of the export recipe, saved as the
    /// recipe names its files, with a manifest of what was fetched and what failed.
    #[command(after_help = COLLECT_EXAMPLES)]
    Collect(CollectArgs),
}

#[derive(Debug, Args)]
#[command(group(clap::ArgGroup::new("auth").required(true).args(["client_id", "token_env"])))]
pub(crate) struct CollectArgs {
    /// Folder to write the export to (created if missing; must be empty unless --resume).
    #[arg(long, short, value_name = "DIR")]
    pub(crate) out: PathBuf,

    /// Tenant to sign in to (id or domain); default: the account's home tenant
    /// (`organizations`).
    #[arg(long, value_name = "ID")]
    pub(crate) tenant: Option<String>,

    /// Only audit events of the last DAYS days (default: all that the tenant keeps).
    #[arg(long, value_name = "DAYS", value_parser = clap::value_parser!(u32).range(1..=3650))]
    pub(crate) since: Option<u32>,

    /// Collect only these datasets (comma-separated or repeated; default: all).
    #[arg(long, value_enum, value_delimiter = ',', value_name = "DATASET")]
    pub(crate) include: Vec<crate::collect::recipe::Dataset>,

    /// Leave these datasets out (comma-separated or repeated; the values of --include), e.g.
    /// signInActivity without Entra ID P1.
    #[arg(
        long,
        value_enum,
        value_delimiter = ',',
        value_name = "DATASET",
        hide_possible_values = true
    )]
    pub(crate) exclude: Vec<crate::collect::recipe::Dataset>,

    /// Continue an interrupted collection in --out: files already complete are not fetched again.
    #[arg(long)]
    pub(crate) resume: bool,

    /// Application (client) id of the app registration to sign in with (device code flow).
    #[arg(long, value_name = "ID")]
    pub(crate) client_id: Option<String>,

    /// Use the Graph access token in environment variable VAR instead of signing in (e.g. from
    /// `az account get-access-token --resource-type ms-graph`).
    #[arg(long, value_name = "VAR")]
    pub(crate) token_env: Option<String>,

    /// National cloud: its Graph and sign-in endpoints.
    #[arg(long, value_enum, default_value_t = crate::collect::recipe::Cloud::Global)]
    pub(crate) cloud: crate::collect::recipe::Cloud,

    /// Graph root instead of the cloud's (e.g. https://graph.microsoft.com).
    #[arg(long, value_name = "URL")]
    pub(crate) graph_url: Option<String>,

    /// Identity platform root instead of the cloud's (e.g. https://login.microsoftonline.com).
    #[arg(long, value_name = "URL")]
    pub(crate) login_url: Option<String>,

    /// Retries of a request after a network error or a 5xx answer (with backoff: 1 s, 2 s, 4 s …
    /// up to 32 s). Throttling is retried as long as Graph asks.
    #[arg(long, value_name = "N", default_value_t = 5)]
    pub(crate) retries: u32,
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

    #[command(flatten)]
    pub(crate) load: LoadArgs,
}

#[derive(Debug, Args)]
pub(crate) struct CheckArgs {
    /// Export files, folders or .zip archives.
    #[arg(required = true, value_name = "PATH")]
    pub(crate) paths: Vec<PathBuf>,

    /// The analysis date (YYYY-MM-DD); default: the configuration's as-of, else today (UTC).
    #[arg(long, value_name = "DATE")]
    pub(crate) as_of: Option<String>,

    #[command(flatten)]
    pub(crate) outputs: OutputArgs,

    /// Exit 1 when a finding has this severity or higher (default: the configuration's fail-on,
    /// else info, i.e. any finding).
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub(crate) fail_on: Option<SeverityArg>,

    /// Configuration file (grantscope.toml); default: discovered from PATH and the current folder.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub(crate) config: Option<PathBuf>,

    /// Ignore any grantscope.toml: use the defaults.
    #[arg(long)]
    pub(crate) no_config: bool,

    /// Exit 0 even when findings reach --fail-on (load and usage errors still exit 2).
    #[arg(long)]
    pub(crate) exit_zero: bool,

    /// Waivers file (grantscope-waivers.toml); default: the one next to the configuration file.
    #[arg(long, value_name = "FILE", conflicts_with = "no_waivers")]
    pub(crate) waivers: Option<PathBuf>,

    /// Apply no waivers (neither a waivers file nor [[waivers]] in the configuration).
    #[arg(long)]
    pub(crate) no_waivers: bool,

    /// Baseline file (from `grantscope baseline`): its findings are shown as baselined and do
    /// not count; only new findings do.
    #[arg(long, value_name = "FILE")]
    pub(crate) baseline: Option<PathBuf>,

    /// With --baseline: also exit 1 when baseline entries are fixed (record the baseline again).
    #[arg(long, requires = "baseline")]
    pub(crate) strict_baseline: bool,

    #[command(flatten)]
    pub(crate) load: LoadArgs,
}

#[derive(Debug, Args)]
pub(crate) struct BaselineArgs {
    /// Export files, folders or .zip archives.
    #[arg(required = true, value_name = "PATH")]
    pub(crate) paths: Vec<PathBuf>,

    /// The baseline file to write (e.g. grantscope-baseline.json).
    #[arg(long, short, value_name = "FILE")]
    pub(crate) output: PathBuf,

    /// The analysis date (YYYY-MM-DD); default: the configuration's as-of, else today (UTC).
    #[arg(long, value_name = "DATE")]
    pub(crate) as_of: Option<String>,

    /// Configuration file (grantscope.toml); default: discovered from PATH and the current folder.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub(crate) config: Option<PathBuf>,

    /// Ignore any grantscope.toml: use the defaults.
    #[arg(long)]
    pub(crate) no_config: bool,

    #[command(flatten)]
    pub(crate) load: LoadArgs,
}

#[derive(Debug, Args)]
pub(crate) struct CompletionsArgs {
    /// The shell to print the completion script for.
    #[arg(value_enum, value_name = "SHELL")]
    pub(crate) shell: clap_complete::Shell,
}

/// How exports are loaded (every command that reads one).
#[derive(Debug, Args)]
pub(crate) struct LoadArgs {
    /// The most all input files may hold together (after decompression), e.g. `8GiB`, `500MB`
    /// or a number of bytes; files past it are reported as not loaded. Units: B, KB, MB, GB, TB
    /// (powers of 1000), KiB, MiB, GiB, TiB (powers of 1024).
    #[arg(long, value_name = "SIZE", value_parser = parse_size, default_value = "4GiB")]
    pub(crate) max_input_size: u64,
}

impl LoadArgs {
    /// The core's limits, with the total from `--max-input-size`.
    pub(crate) fn limits(&self) -> grantscope_core::ingest::Limits {
        grantscope_core::ingest::Limits {
            max_total_bytes: self.max_input_size,
            ..grantscope_core::ingest::Limits::DEFAULT
        }
    }
}

/// A size such as `8GiB`, `1.5 GB` or `4096`: a number (decimals allowed) and an optional unit,
/// case-insensitive.
pub(crate) fn parse_size(s: &str) -> Result<u64, String> {
    let text = s.trim();
    let split = text
        .find(|c: char| !c.is_ascii_digit() && c != '.')
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    let unit: u128 = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kb" => 1_000,
        "mb" => 1_000_000,
        "gb" => 1_000_000_000,
        "tb" => 1_000_000_000_000,
        "kib" => 1 << 10,
        "mib" => 1 << 20,
        "gib" => 1 << 30,
        "tib" => 1 << 40,
        other => {
            return Err(format!(
                "unknown unit `{other}` in `{s}`: use B, KB, MB, GB, TB, KiB, MiB, GiB or TiB \
                 (e.g. 8GiB)"
            ));
        }
    };
    let (whole, fraction) = number.split_once('.').unwrap_or((number, ""));
    if whole.is_empty() && fraction.is_empty() || fraction.contains('.') || fraction.len() > 9 {
        return Err(format!(
            "`{s}` is not a size: expected e.g. 8GiB, 500MB or 4096"
        ));
    }
    let whole: u128 = if whole.is_empty() {
        0
    } else {
        whole.parse().map_err(|_| format!("`{s}` is too large"))?
    };
    let scale = 10u128.pow(u32::try_from(fraction.len()).unwrap_or(9));
    let fraction: u128 = if fraction.is_empty() {
        0
    } else {
        fraction
            .parse()
            .map_err(|_| format!("`{s}` is not a size: expected e.g. 8GiB, 500MB or 4096"))?
    };
    let bytes = whole
        .checked_mul(unit)
        .and_then(|w| w.checked_add(fraction * unit / scale))
        .and_then(|b| u64::try_from(b).ok())
        .ok_or_else(|| format!("`{s}` is too large"))?;
    if bytes == 0 {
        return Err("the size must be more than 0 bytes".into());
    }
    Ok(bytes)
}

/// Where a report goes, in which formats (`check` and `convert`).
#[derive(Debug, Args)]
pub(crate) struct OutputArgs {
    /// Output format (of standard output, or of --output).
    #[arg(long, value_enum, default_value_t = ReportFormat::Text)]
    pub(crate) format: ReportFormat,

    /// Write the report to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,

    /// Also write the report in FORMAT to FILE (repeatable: several reports from one run), e.g.
    /// `--output-format sarif=grantscope.sarif`.
    #[arg(long, value_name = "FORMAT=FILE", value_parser = parse_output_spec)]
    pub(crate) output_format: Vec<OutputSpec>,

    /// Prefix for the export's file names in sarif and github output, to make them relative to
    /// the repository root (check's default: the folder given as PATH when it is the only PATH).
    #[arg(long, value_name = "DIR")]
    pub(crate) path_prefix: Option<String>,
}

/// One `--output-format FORMAT=FILE`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct OutputSpec {
    pub(crate) format: ReportFormat,
    pub(crate) file: PathBuf,
}

fn parse_output_spec(s: &str) -> Result<OutputSpec, String> {
    let formats = || {
        ReportFormat::value_variants()
            .iter()
            .filter_map(|v| v.to_possible_value().map(|p| p.get_name().to_owned()))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let Some((format, file)) = s.split_once('=') else {
        return Err(format!(
            "expected FORMAT=FILE, e.g. sarif=grantscope.sarif (formats: {})",
            formats()
        ));
    };
    let format = ReportFormat::from_str(format, true)
        .map_err(|_| format!("unknown format `{format}` (formats: {})", formats()))?;
    if file.is_empty() {
        return Err("the FILE after `=` is empty".into());
    }
    Ok(OutputSpec {
        format,
        file: PathBuf::from(file),
    })
}

#[derive(Debug, Args)]
pub(crate) struct ConvertArgs {
    /// A JSON report written by `grantscope check --format json`; `-` reads standard input.
    #[arg(value_name = "REPORT")]
    pub(crate) report: PathBuf,

    #[command(flatten)]
    pub(crate) outputs: OutputArgs,
}

#[derive(Debug, Args)]
pub(crate) struct RulesArgs {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub(crate) format: Format,
}

#[derive(Debug, Args)]
pub(crate) struct ExplainArgs {
    /// Rule id (GS201) or name (approver-in-requestor-population).
    #[arg(value_name = "RULE")]
    pub(crate) rule: String,
}

const LINT_EXAMPLES: &str = "\
Examples:
  grantscope lint policy.json                         a Graph request body (v1.0 or beta shape)
  grantscope lint policies/ --context ./export        resolve groups, approvers and managers
  terraform show -json plan.out > plan.json && grantscope lint plan.json --context ./export
  grantscope lint plan.json --format sarif --output lint.sarif --fail-on high

Inputs: the JSON body you would POST to Graph for an assignment policy, v1.0 shape
(`accessPackage.id`, `allowedTargetScope`, `expiration`) or beta shape (`accessPackageId`,
`requestorSettings.scopeType`, `durationInDays`), one per file, an array of them or a `value`
envelope; or a Terraform plan as JSON with azuread_access_package_assignment_policy resources
(the plan's azuread_access_package, _catalog, _resource_catalog_association,
_resource_package_association and azuread_group resources are used too). Folders are read for
their .json files. Values a plan knows only after apply are assumed to be the riskier
value, with a warning.

Every rule that looks at assignment policies runs; each finding gives FILE:LINE:COLUMN of the
offending field. Without --context, rules that need the directory (who is in a group, who
approves, managers, privileged resources) are reported as not evaluated. grantscope.toml is found
from --context, the FILES and the current folder, as for `check`; formats are those of `check`.

Exit codes: 0 nothing at or above --fail-on (default: any finding); 1 findings at or above it;
2 usage or configuration error, or a file that could not be read as a policy or plan (the error
gives its line and column). --exit-zero turns 1 into 0.";

const DIFF_EXAMPLES: &str = "\
Examples:
  grantscope diff exports/2026-10 exports/2026-11
  grantscope diff old.zip new.zip --format markdown >> \"$GITHUB_STEP_SUMMARY\"
  grantscope diff ./last-week ./export --format json --output diff.json --fail-on-new high

Lists packages and policies added or removed; requestor scope widened or narrowed (nobody <
specific users or organisations < all members or all configured organisations < all users <
anyone external); approval added, removed, weakened (fewer stages, approvers removed, a
justification or extension approval no longer required) or strengthened; expiration removed,
added, lengthened or shortened; access reviews turned off, on, weakened or strengthened;
incompatible packages and groups added or removed; access to packages gained or lost (guests
called out); and the findings that are new or fixed (by fingerprint). Both exports are checked
with the same configuration and as-of date, so time alone makes nothing new.

Exit codes: 0 done (with --fail-on-new: no new finding at or above it); 1 a new finding at or
above --fail-on-new; 2 usage or configuration error, unreadable path, or a file that failed to
load (the diff of the rest is still printed).";

#[derive(Debug, Args)]
pub(crate) struct LintArgs {
    /// Proposed policies: Graph request bodies (.json), Terraform plans as JSON, or folders of them.
    #[arg(required = true, value_name = "FILE")]
    pub(crate) files: Vec<PathBuf>,

    /// The current tenant export (folder, files or .zip), to resolve groups, approvers, managers
    /// and privileged resources against.
    #[arg(long, value_name = "EXPORT")]
    pub(crate) context: Vec<PathBuf>,

    /// The analysis date (YYYY-MM-DD); default: the configuration's as-of, else today (UTC).
    #[arg(long, value_name = "DATE")]
    pub(crate) as_of: Option<String>,

    #[command(flatten)]
    pub(crate) outputs: OutputArgs,

    /// Exit 1 when a finding has this severity or higher (default: the configuration's fail-on,
    /// else info, i.e. any finding).
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub(crate) fail_on: Option<SeverityArg>,

    /// Configuration file (grantscope.toml); default: discovered from --context, the FILES and the
    /// current folder.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub(crate) config: Option<PathBuf>,

    /// Ignore any grantscope.toml: use the defaults.
    #[arg(long)]
    pub(crate) no_config: bool,

    /// Exit 0 even when findings reach --fail-on (read and usage errors still exit 2).
    #[arg(long)]
    pub(crate) exit_zero: bool,

    #[command(flatten)]
    pub(crate) load: LoadArgs,
}

#[derive(Debug, Args)]
pub(crate) struct DiffArgs {
    /// The earlier export (folder, file or .zip).
    #[arg(value_name = "OLD")]
    pub(crate) old: PathBuf,

    /// The later export.
    #[arg(value_name = "NEW")]
    pub(crate) new: PathBuf,

    /// The analysis date of both checks (YYYY-MM-DD); default: the configuration's as-of, else
    /// today (UTC).
    #[arg(long, value_name = "DATE")]
    pub(crate) as_of: Option<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = DiffFormat::Text)]
    pub(crate) format: DiffFormat,

    /// Write the diff to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,

    /// Exit 1 when a new finding (absent from OLD) has this severity or higher.
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub(crate) fail_on_new: Option<SeverityArg>,

    /// Configuration file (grantscope.toml); default: discovered from NEW, OLD and the current
    /// folder.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub(crate) config: Option<PathBuf>,

    /// Ignore any grantscope.toml: use the defaults.
    #[arg(long)]
    pub(crate) no_config: bool,

    #[command(flatten)]
    pub(crate) load: LoadArgs,
}

/// The formats of a diff.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum DiffFormat {
    /// For people, coloured on a terminal.
    Text,
    /// GitHub Flavored Markdown (job summary, pull-request comment).
    Markdown,
    /// The versioned diff object (`schemaVersion`).
    Json,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum SeverityArg {
    Info,
    Low,
    Medium,
    High,
    Critical,
}

impl From<SeverityArg> for grantscope_core::findings::Severity {
    fn from(s: SeverityArg) -> Self {
        use grantscope_core::findings::Severity;
        match s {
            SeverityArg::Info => Severity::Info,
            SeverityArg::Low => Severity::Low,
            SeverityArg::Medium => Severity::Medium,
            SeverityArg::High => Severity::High,
            SeverityArg::Critical => Severity::Critical,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Format {
    Text,
    Json,
}

#[derive(Debug, Args)]
pub(crate) struct ReportArgs {
    /// Export files, folders or .zip archives.
    #[arg(required = true, value_name = "PATH")]
    pub(crate) paths: Vec<PathBuf>,

    /// Write the report to FILE (default: standard output).
    #[arg(long, short, value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,

    /// The client's name, for the cover and the page headers.
    #[arg(long, value_name = "NAME")]
    pub(crate) client: Option<String>,

    /// Who prepared the report, for the cover.
    #[arg(long, value_name = "NAME")]
    pub(crate) prepared_by: Option<String>,

    /// The analysis date (YYYY-MM-DD); default: the configuration's as-of, else today (UTC).
    #[arg(long, value_name = "DATE")]
    pub(crate) as_of: Option<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = PostureFormat::Html)]
    pub(crate) format: PostureFormat,

    /// Configuration file (grantscope.toml); default: discovered from PATH and the current folder.
    #[arg(long, value_name = "FILE", conflicts_with = "no_config")]
    pub(crate) config: Option<PathBuf>,

    /// Ignore any grantscope.toml: use the defaults.
    #[arg(long)]
    pub(crate) no_config: bool,

    #[command(flatten)]
    pub(crate) load: LoadArgs,
}

/// The formats of the posture report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum PostureFormat {
    /// One self-contained HTML file (inline CSS and SVG, no script), printable to PDF.
    Html,
    /// The same report as GitHub Flavored Markdown (charts as tables).
    Markdown,
}

/// The formats of a check report (`check`, `convert`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum ReportFormat {
    /// For people, coloured on a terminal.
    Text,
    /// The versioned report (schemas/report.schema.json).
    Json,
    /// SARIF 2.1.0 (GitHub code scanning).
    Sarif,
    /// JUnit XML: one test case per rule (Azure DevOps, GitLab, Jenkins).
    Junit,
    /// GitHub Flavored Markdown (job summary, pull-request comment).
    Markdown,
    /// GitHub Actions workflow annotations.
    Github,
    /// One row per finding.
    Csv,
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
    fn sizes_parse_with_units() {
        use super::parse_size;
        assert_eq!(parse_size("4096"), Ok(4096));
        assert_eq!(parse_size("8GiB"), Ok(8 << 30));
        assert_eq!(parse_size("8 gib"), Ok(8 << 30));
        assert_eq!(parse_size("500MB"), Ok(500_000_000));
        assert_eq!(parse_size("1.5GB"), Ok(1_500_000_000));
        assert_eq!(parse_size("0.5KiB"), Ok(512));
        assert_eq!(parse_size("12b"), Ok(12));
        assert_eq!(
            parse_size("4GiB"),
            Ok(grantscope_core::ingest::Limits::DEFAULT.max_total_bytes),
            "the documented default is the core's"
        );
        for bad in [
            "",
            "GiB",
            "8XB",
            "1.2.3GB",
            "0",
            "-1GB",
            "99999999999TiB",
            ".",
        ] {
            assert!(parse_size(bad).is_err(), "{bad:?} was accepted");
        }
    }

    #[test]
    fn clap_definition_is_valid() {
        Cli::command().debug_assert();
    }

    #[test]
    fn every_subcommand_has_examples_and_exit_codes() {
        for sub in Cli::command().get_subcommands() {
            let after = sub
                .get_after_help()
                .map(ToString::to_string)
                .unwrap_or_default();
            assert!(
                after.starts_with("Examples:\n"),
                "`grantscope {} --help` has no examples",
                sub.get_name()
            );
            assert!(
                after.contains("Exit codes:"),
                "`grantscope {} --help` does not give its exit codes",
                sub.get_name()
            );
        }
    }
}
