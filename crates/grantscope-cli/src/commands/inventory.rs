//! `grantscope inventory PATH...`: what was loaded from which file.

use anyhow::{Context, Result};
use grantscope_core::ingest::Limits;
use grantscope_report::{Inventory, TextOptions, render_inventory_json, render_inventory_text};

use crate::ExitStatus;
use crate::args::{Format, InventoryArgs};
use crate::input::read_paths;
use crate::printer;

pub(crate) fn inventory(args: &InventoryArgs) -> Result<ExitStatus> {
    let inputs = read_paths(&args.paths)?;
    printer::notes(&inputs.notes)?;

    let loaded = crate::input::load_files(inputs.files, &Limits::default());
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
