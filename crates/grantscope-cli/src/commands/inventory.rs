//! `grantscope inventory PATH...`: what was loaded from which file.

use anyhow::{Context, Result};
use grantscope_report::{Inventory, TextOptions, render_inventory_json, render_inventory_text};

use crate::ExitStatus;
use crate::args::{Format, InventoryArgs};
use crate::input::{list_paths, load_plan};
use crate::printer;

pub(crate) fn inventory(args: &InventoryArgs) -> Result<ExitStatus> {
    let plan = list_paths(&args.paths)?;
    printer::notes(&plan.notes)?;
    let message = format!(
        "reading {} {}",
        plan.len(),
        if plan.len() == 1 { "file" } else { "files" }
    );
    let loaded = load_plan(plan, &args.load.limits(), &message)?;
    let inventory = Inventory::new(&loaded);
    let output = match args.format {
        Format::Text => render_inventory_text(
            &inventory,
            TextOptions {
                styled: printer::stdout_is_styled(),
            },
        ),
        Format::Json => {
            render_inventory_json(&inventory).context("cannot serialise the inventory")?
        }
    };
    printer::stdout(&output)?;

    let errors: Vec<_> = loaded.report.errors().collect();
    if errors.is_empty() {
        Ok(ExitStatus::Success)
    } else {
        printer::load_errors(&errors, loaded.report.files.len())?;
        Ok(ExitStatus::Error)
    }
}
