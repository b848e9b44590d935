//! `grantscope rules` and `grantscope explain RULE`: the catalog, from the rules' own metadata.

use anyhow::{Result, bail};
use grantscope_core::rules::{ALL_RULES, find_rule};
use grantscope_report::sanitize_terminal;

use crate::ExitStatus;
use crate::args::{ExplainArgs, Format, RulesArgs};
use crate::printer;

pub(crate) fn rules(args: &RulesArgs) -> Result<ExitStatus> {
    let text = match args.format {
        Format::Text => {
            let mut out = String::new();
            for r in ALL_RULES.iter() {
                let m = r.meta();
                out.push_str(&format!(
                    "{}  {:<36} {:<21} {:<8} {}\n",
                    m.id,
                    m.name,
                    m.category.as_str(),
                    m.default_severity.as_str(),
                    m.summary
                ));
            }
            out
        }
        Format::Json => {
            let list: Vec<serde_json::Value> = ALL_RULES
                .iter()
                .map(|r| {
                    let m = r.meta();
                    serde_json::json!({
                        "id": m.id,
                        "name": m.name,
                        "category": m.category,
                        "defaultSeverity": m.default_severity,
                        "summary": m.summary,
                        "needs": m.needs,
                        "options": r.default_options(),
                        "docs": m.docs,
                    })
                })
                .collect();
            let mut s = serde_json::to_string_pretty(&list)?;
            s.push('\n');
            s
        }
    };
    printer::stdout(&text)?;
    Ok(ExitStatus::Success)
}

pub(crate) fn explain(args: &ExplainArgs) -> Result<ExitStatus> {
    let Some(rule) = find_rule(&args.rule) else {
        let names = ALL_RULES.iter().flat_map(|r| [r.meta().id, r.meta().name]);
        match grantscope_core::config::nearest(&args.rule, names) {
            Some(n) => bail!(
                "unknown rule `{}`; did you mean `{n}`? (`grantscope rules` lists them)",
                sanitize_terminal(&args.rule)
            ),
            None => bail!(
                "unknown rule `{}` (`grantscope rules` lists them)",
                sanitize_terminal(&args.rule)
            ),
        }
    };
    let m = rule.meta();
    let docs: String = m
        .docs
        .lines()
        .map(|l| l.strip_prefix(' ').unwrap_or(l))
        .collect::<Vec<_>>()
        .join("\n");
    let options = serde_json::to_string_pretty(&rule.default_options())?;
    printer::stdout(&format!(
        "# {} {}\n\nCategory: {} · default severity: {} · needs: {}\n\n{}\n\n## Options (defaults)\n{}\n",
        m.id,
        m.name,
        m.category.as_str(),
        m.default_severity.as_str(),
        m.needs
            .iter()
            .map(|d| d.name())
            .collect::<Vec<_>>()
            .join(", "),
        docs.trim(),
        options
    ))?;
    Ok(ExitStatus::Success)
}
