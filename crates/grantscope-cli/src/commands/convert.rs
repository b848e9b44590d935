//! `grantscope convert REPORT --format F`: renders a saved JSON report again, in any format,
//! without the export.

use std::io::Read as _;

use anyhow::{Context, Result, bail};
use grantscope_core::findings::{Report, SCHEMA_VERSION};
use serde::Deserialize;
use serde_json::value::RawValue;

use crate::ExitStatus;
use crate::args::ConvertArgs;
use crate::output;

pub(crate) fn convert(args: &ConvertArgs) -> Result<ExitStatus> {
    output::check_destinations(&args.outputs)?;
    let (name, text) = if args.report.as_os_str() == "-" {
        let mut text = String::new();
        std::io::stdin()
            .read_to_string(&mut text)
            .context("cannot read the report from standard input")?;
        ("<stdin>".to_owned(), text)
    } else {
        let name = args.report.display().to_string();
        let bytes = std::fs::read(&args.report).with_context(|| format!("cannot read `{name}`"))?;
        let text = String::from_utf8(bytes)
            .map_err(|e| anyhow::anyhow!("{name}: not a grantscope report: not UTF-8 ({e})"))?;
        (name, text)
    };
    let report = parse_report(&name, &text)?;
    let paths = output::source_paths(&args.outputs, None);
    output::emit(&report, &args.outputs, &paths)?;
    Ok(ExitStatus::Success)
}

/// Just enough of a report to tell what it is before reading all of it.
#[derive(Deserialize)]
struct Header<'a> {
    #[serde(rename = "schemaVersion", borrow)]
    schema_version: Option<&'a RawValue>,
}

/// Why a schema version is not one this build reads, if it is not.
fn unsupported_version(raw: &RawValue) -> Option<String> {
    match serde_json::from_str::<serde_json::Value>(raw.get()) {
        Ok(serde_json::Value::String(v)) if v == SCHEMA_VERSION => None,
        Ok(serde_json::Value::String(v)) => Some(format!(
            "report schemaVersion \"{v}\" is not supported: this grantscope reads \"{SCHEMA_VERSION}\" \
             (re-run `grantscope check --format json` with this version)"
        )),
        _ => Some(format!(
            "schemaVersion {} is not a report schema version (is this the output of \
             `grantscope inventory`? convert reads `grantscope check --format json`)",
            raw.get()
        )),
    }
}

/// serde_json's message without its " at line L column C" suffix (printed in front instead).
fn message(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let suffix = format!(" at line {} column {}", e.line(), e.column());
    text.strip_suffix(&suffix).unwrap_or(&text).to_owned()
}

/// The 1-based line and column (in characters) of a byte offset.
fn position(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}

/// Parses a saved report: `NAME:LINE:COL: …` errors when it is not JSON, not a report, or of
/// another schema version.
fn parse_report(name: &str, text: &str) -> Result<Report> {
    // serde reads a struct from an array too; a report is an object.
    let start = text.trim_start_matches([' ', '\t', '\n', '\r']);
    if !start.is_empty() && !start.starts_with('{') {
        let (line, column) = position(text, text.len() - start.len());
        bail!("{name}:{line}:{column}: not a grantscope report: expected a JSON object");
    }
    match serde_json::from_str::<Header<'_>>(text) {
        Ok(Header {
            schema_version: Some(raw),
        }) => {
            if let Some(why) = unsupported_version(raw) {
                // The raw value borrows from `text`: its address gives its position.
                let offset = raw.get().as_ptr() as usize - text.as_ptr() as usize;
                let (line, column) = position(text, offset);
                bail!("{name}:{line}:{column}: not a grantscope report: {why}");
            }
        }
        Ok(Header {
            schema_version: None,
        }) => {
            let (line, column) = position(text, text.len() - start.len());
            bail!(
                "{name}:{line}:{column}: not a grantscope report: it has no `schemaVersion` \
                 (reports are written by `grantscope check --format json`)"
            );
        }
        Err(e) => match e.classify() {
            serde_json::error::Category::Syntax | serde_json::error::Category::Eof => bail!(
                "{name}:{}:{}: not valid JSON: {}",
                e.line(),
                e.column(),
                message(&e)
            ),
            _ => bail!(
                "{name}:{}:{}: not a grantscope report: {}",
                e.line(),
                e.column(),
                message(&e)
            ),
        },
    }
    let mut deserializer = serde_json::Deserializer::from_str(text);
    match serde_path_to_error::deserialize::<_, Report>(&mut deserializer) {
        Ok(report) => Ok(report),
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner();
            bail!(
                "{name}:{}:{}: not a grantscope report: at {path}: {}",
                inner.line(),
                inner.column(),
                message(&inner)
            )
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn error(text: &str) -> String {
        parse_report("r.json", text).unwrap_err().to_string()
    }

    #[test]
    fn errors_say_where_and_why() {
        assert_eq!(
            error("{\"schemaVersion\": \"1\",\n  oops"),
            "r.json:2:3: not valid JSON: key must be a string"
        );
        assert_eq!(
            error("\n  [1]"),
            "r.json:2:3: not a grantscope report: expected a JSON object"
        );
        assert!(
            error(" {}")
                .starts_with("r.json:1:2: not a grantscope report: it has no `schemaVersion`")
        );
        assert!(error("{\n  \"schemaVersion\": \"2\"\n}").starts_with(
            "r.json:2:20: not a grantscope report: report schemaVersion \"2\" is not supported"
        ));
        assert!(error("{\"schemaVersion\": 1}").contains("grantscope inventory"));
        assert!(
            error("{\"schemaVersion\": \"1\", \"tool\": 3}").starts_with(
                "r.json:1:32: not a grantscope report: at tool: invalid type: integer `3`"
            )
        );
    }
}
