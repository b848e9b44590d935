//! `grantscope completions SHELL`: the shell completion script (clap_complete).

use anyhow::Result;
use clap::CommandFactory as _;

use crate::ExitStatus;
use crate::args::{Cli, CompletionsArgs};
use crate::printer;

pub(crate) fn completions(args: &CompletionsArgs) -> Result<ExitStatus> {
    let mut command = Cli::command();
    let mut script = Vec::new();
    clap_complete::generate(args.shell, &mut command, "grantscope", &mut script);
    printer::stdout(&String::from_utf8_lossy(&script))?;
    Ok(ExitStatus::Success)
}
