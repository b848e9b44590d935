//! `grantscope collect --out DIR`: sign in (or take a token), run the export recipe against
//! Graph, write the files and `manifest.json`, and say what was collected and what was not.

use std::collections::BTreeSet;
use std::io::Write;

use anstyle::AnsiColor;
use anyhow::{Context, Result, bail};
use grantscope_report::sanitize_terminal;

use crate::ExitStatus;
use crate::args::CollectArgs;
use std::cell::RefCell;

use crate::collect::auth::{AccessToken, DeviceFlow, RefreshToken};
use crate::collect::http::{self, Graph, Renew};
use crate::collect::manifest::{self, Manifest, RequestRecord, Status, Summary};
use crate::collect::progress::Progress;
use crate::collect::recipe::Dataset;
use crate::collect::writer::OutDir;
use crate::collect::{Collector, Plan};

pub(crate) fn collect(args: &CollectArgs) -> Result<ExitStatus> {
    let started = chrono::Utc::now();
    let graph_url = args
        .graph_url
        .clone()
        .unwrap_or_else(|| args.cloud.graph_url().to_owned());
    let login_url = args
        .login_url
        .clone()
        .unwrap_or_else(|| args.cloud.login_url().to_owned());
    for (flag, url) in [("--graph-url", &graph_url), ("--login-url", &login_url)] {
        if !http::is_safe_endpoint(url) {
            bail!(
                "{flag} `{url}` must be an https URL (plain http only to this machine): tokens \
                 are never sent in clear"
            );
        }
    }

    let save: BTreeSet<Dataset> = if args.include.is_empty() {
        Dataset::ALL.into_iter().collect()
    } else {
        args.include.iter().copied().collect()
    };
    let save: BTreeSet<Dataset> = save
        .into_iter()
        .filter(|d| !args.exclude.contains(d))
        .collect();
    if save.is_empty() {
        bail!("--include and --exclude leave nothing to collect");
    }
    let audit_since = args.since.map(|days| {
        (started - chrono::Duration::days(i64::from(days)))
            .format("%Y-%m-%dT00:00:00Z")
            .to_string()
    });
    let plan = Plan {
        save,
        audit_since,
        resume: args.resume,
        retries: args.retries,
    };

    let out = OutDir::open(&args.out, args.resume)?;
    let agent = http::agent();
    let (token, renew) = match (&args.token_env, &args.client_id) {
        (Some(var), _) => (AccessToken::from_env(var)?, None),
        (None, Some(client_id)) => {
            let flow = DeviceFlow {
                agent: agent.clone(),
                login_url: login_url.clone(),
                tenant: args
                    .tenant
                    .clone()
                    .unwrap_or_else(|| "organizations".to_owned()),
                client_id: client_id.clone(),
                scope: args.cloud.scope(),
            };
            let tokens = flow.sign_in(|message| {
                let mut err = anstream::stderr().lock();
                let _ = writeln!(err, "{}", sanitize_terminal(message));
            })?;
            let renew = tokens.refresh.map(|refresh| renewal(flow, refresh));
            (tokens.access, renew)
        }
        (None, None) => bail!("pass --client-id (to sign in) or --token-env VAR (a token)"),
    };

    let tenant_id = tenant_of(&token, args.tenant.as_deref())?;
    if args.resume {
        check_same_tenant(&out, tenant_id.as_deref())?;
    }

    let progress = Progress::stderr();
    let mut graph = Graph::new(agent, &graph_url, token, args.retries, progress.clone());
    if let Some(renew) = renew {
        graph = graph.with_renewal(renew);
    }
    let graph_root = graph.url("");
    let manifest = |records: &[RequestRecord], finished: bool| Manifest {
        manifest_version: manifest::MANIFEST_VERSION,
        tool: manifest::Tool {
            name: "grantscope",
            version: env!("CARGO_PKG_VERSION"),
        },
        tenant_id: tenant_id.clone(),
        cloud: args.cloud.name(),
        graph_url: graph_root.clone(),
        started_at: started.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        finished_at: finished
            .then(|| chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true)),
        complete: finished && records.iter().all(|r| r.status != Status::Failed),
        options: manifest::Options {
            datasets: plan.save.iter().map(|d| d.name()).collect(),
            audit_logs_since: plan.audit_since.clone(),
            resume: plan.resume,
        },
        summary: Summary::of(records),
        requests: records.to_vec(),
        failures: records
            .iter()
            .filter(|r| matches!(r.status, Status::Skipped | Status::Failed))
            .cloned()
            .collect(),
    };
    let write_manifest = |records: &[RequestRecord], finished: bool| -> Result<()> {
        let json = serde_json::to_vec_pretty(&manifest(records, finished))
            .context("cannot serialise the manifest")?;
        out.write(manifest::FILE_NAME, &json)
    };
    let checkpoint = |records: &[RequestRecord]| write_manifest(records, false);

    let mut collector = Collector::new(&graph, &out, &plan, progress.clone(), &checkpoint);
    let result = collector.run();
    progress.finish();
    write_manifest(&collector.records, result.is_ok())?;
    result?;

    let records = &collector.records;
    report(records, &out)?;
    if records.iter().any(|r| r.status == Status::Failed) {
        Ok(ExitStatus::Error)
    } else {
        Ok(ExitStatus::Success)
    }
}

/// Renews the access token with the refresh token (keeping the newest refresh token).
fn renewal(flow: DeviceFlow, refresh: RefreshToken) -> Renew {
    let refresh = RefCell::new(refresh);
    Box::new(move || {
        let tokens = flow.refresh(&refresh.borrow())?;
        if let Some(newer) = tokens.refresh {
            *refresh.borrow_mut() = newer;
        }
        Ok(tokens.access)
    })
}

/// The tenant for the manifest: the token's `tid`, which must agree with `--tenant` when that
/// is an id.
fn tenant_of(token: &AccessToken, flag: Option<&str>) -> Result<Option<String>> {
    let from_token = token.tenant_id();
    let flag_id = flag
        .filter(|t| t.len() == 36 && t.chars().all(|c| c.is_ascii_hexdigit() || c == '-'))
        .map(str::to_ascii_lowercase);
    match (from_token, flag_id) {
        (Some(token), Some(flag)) if token != flag => bail!(
            "the token was issued by tenant {token}, not by --tenant {flag}: get a token for \
             that tenant"
        ),
        (Some(token), _) => Ok(Some(token)),
        (None, Some(flag)) => Ok(Some(flag)),
        (None, None) => Ok(flag.map(str::to_owned)),
    }
}

/// `--resume` continues a collection of the same tenant only.
fn check_same_tenant(out: &OutDir, tenant: Option<&str>) -> Result<()> {
    let path = out.root().join(manifest::FILE_NAME);
    let Ok(bytes) = std::fs::read(&path) else {
        return Ok(());
    };
    let earlier: manifest::Earlier = serde_json::from_slice(&bytes)
        .with_context(|| format!("{} is not a grantscope manifest", path.display()))?;
    if let (Some(earlier), Some(now)) = (earlier.tenant_id.as_deref(), tenant)
        && earlier != now
    {
        bail!(
            "{} holds a collection of tenant {earlier}, not {now}: --resume continues the same \
             tenant's collection (choose another folder)",
            out.root().display()
        );
    }
    Ok(())
}

/// The outcome on the terminal: skipped and failed requests on stderr, a summary on stdout.
fn report(records: &[RequestRecord], out: &OutDir) -> Result<()> {
    let summary = Summary::of(records);
    {
        let mut err = anstream::stderr().lock();
        let warning = AnsiColor::Yellow.on_default().bold();
        let error = AnsiColor::Red.on_default().bold();
        for record in records {
            let (style, label) = match record.status {
                Status::Skipped => (warning, "skipped"),
                Status::Failed => (error, "failed"),
                _ => continue,
            };
            writeln!(
                err,
                "{style}{label}{style:#}: {}: {}",
                record.file,
                sanitize_terminal(record.reason.as_deref().unwrap_or("no reason recorded"))
            )?;
        }
        if summary.skipped > 0 {
            writeln!(
                err,
                "{warning}note{warning:#}: `grantscope check` reports the rules that need what \
                 was skipped as not evaluated (manifest.json lists why)"
            )?;
        }
        if summary.failed > 0 {
            writeln!(
                err,
                "{error}error{error:#}: {} of {} requests failed; run the same command with \
                 --resume to fetch only what is missing",
                summary.failed, summary.requests
            )?;
        }
    }
    let mut text = format!(
        "Collected {} files ({} items) into {}",
        summary.files,
        summary.items,
        sanitize_terminal(&out.root().display().to_string())
    );
    let mut parts = Vec::new();
    if summary.already_complete > 0 {
        parts.push(format!(
            "{} requests already complete",
            summary.already_complete
        ));
    }
    if summary.skipped > 0 {
        parts.push(format!("{} skipped", summary.skipped));
    }
    if summary.failed > 0 {
        parts.push(format!("{} failed", summary.failed));
    }
    if !parts.is_empty() {
        text.push_str(&format!(" ({})", parts.join(", ")));
    }
    text.push_str(&format!(
        "\nManifest: {}\n",
        sanitize_terminal(&out.root().join(manifest::FILE_NAME).display().to_string())
    ));
    crate::printer::stdout(&text)?;
    Ok(())
}
