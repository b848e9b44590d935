//! Renderers shared by the grantscope CLI and the browser build.
//!
//! Pure functions from core data to text: no I/O, no clock, no environment, so that the native and
//! the wasm build produce identical output. Anything that comes from an export is treated as
//! hostile and escaped for the destination format ([`sanitize_terminal`] for terminals).

mod check;
mod inventory;
mod sanitize;

pub use inventory::{
    Counts, INVENTORY_SCHEMA_VERSION, Inventory, Summary, TextOptions, render_inventory_json,
    render_inventory_text,
};
pub use check::{render_report_json, render_report_text};
pub use sanitize::sanitize_terminal;
