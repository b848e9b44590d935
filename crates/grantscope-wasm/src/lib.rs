//! The browser's entry into grantscope: file contents keyed by name in, plain JS objects out.
//!
//! The functions here only convert between JS values and the core's types; ingestion is
//! `grantscope-core`, rendering `grantscope-report`. Results are the objects the CLI prints with
//! `--format json`, serialised with `Serializer::json_compatible()` so that maps arrive as plain
//! objects. Errors cross the boundary as `JsError` with a readable message.

use grantscope_core::ingest::{self, InputFile, Limits};
use grantscope_report::Inventory;
use js_sys::{Array, ArrayBuffer, Object, Reflect, Uint8Array};
use serde::Serialize;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
/** Input files: `{ "users.json": bytes | text, ... }` or `[{ name, bytes }, ...]`. */
export type InputFiles =
  | Record<string, Uint8Array | ArrayBuffer | string>
  | Array<{ name: string; bytes: Uint8Array | ArrayBuffer | string }>;
"#;

#[wasm_bindgen(start)]
pub fn start() {
    #[cfg(feature = "console_error_panic_hook")]
    console_error_panic_hook::set_once();
}

/// The grantscope version, e.g. `0.1.0`.
#[wasm_bindgen]
#[must_use]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}

/// What the files contain: the object `grantscope inventory --format json` prints
/// (`schemaVersion`, `summary`, `files`, `warnings`, `datasets`, `counts`).
///
/// # Errors
/// When `files` has the wrong shape, or when a file fails to load (as the CLI exits with 2): the
/// message then has one line per failed file, `FILE:LINE:COL: at PATH: MESSAGE`.
#[wasm_bindgen(unchecked_return_type = "Inventory")]
pub fn inventory(
    #[wasm_bindgen(unchecked_param_type = "InputFiles")] files: JsValue,
) -> Result<JsValue, JsError> {
    let files = input_files(&files)?;
    let loaded = ingest::load(files, &Limits::default());
    let errors: Vec<String> = loaded.report.errors().map(ToString::to_string).collect();
    if !errors.is_empty() {
        return Err(JsError::new(&errors.join("\n")));
    }
    to_js(&Inventory::new(&loaded))
}

fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    value
        .serialize(&serde_wasm_bindgen::Serializer::json_compatible())
        .map_err(into_error)
}

fn into_error<E: std::fmt::Display>(err: E) -> JsError {
    JsError::new(&err.to_string())
}

/// Accepts `{name: contents}` or `[{name, bytes}]`; contents may be bytes or text.
fn input_files(files: &JsValue) -> Result<Vec<InputFile>, JsError> {
    if Array::is_array(files) {
        let mut out = Vec::new();
        for (index, item) in Array::from(files).iter().enumerate() {
            if !item.is_object() {
                return Err(JsError::new(&format!(
                    "files[{index}]: expected an object {{name, bytes}}"
                )));
            }
            let name = Reflect::get(&item, &JsValue::from_str("name"))
                .ok()
                .and_then(|n| n.as_string())
                .ok_or_else(|| JsError::new(&format!("files[{index}]: `name` must be a string")))?;
            let bytes = Reflect::get(&item, &JsValue::from_str("bytes"))
                .map_err(|_| JsError::new(&format!("{name}: missing `bytes`")))?;
            out.push(InputFile::new(name.clone(), contents(&name, &bytes)?));
        }
        Ok(out)
    } else if files.is_object() {
        let mut out = Vec::new();
        for entry in Object::entries(&Object::from(files.clone())).iter() {
            let entry = Array::from(&entry);
            let name = entry.get(0).as_string().unwrap_or_default();
            let bytes = contents(&name, &entry.get(1))?;
            out.push(InputFile::new(name, bytes));
        }
        Ok(out)
    } else {
        Err(JsError::new(
            "expected files as an object {name: contents} or an array [{name, bytes}]",
        ))
    }
}

fn contents(name: &str, value: &JsValue) -> Result<Vec<u8>, JsError> {
    if let Some(text) = value.as_string() {
        Ok(text.into_bytes())
    } else if let Some(bytes) = value.dyn_ref::<Uint8Array>() {
        Ok(bytes.to_vec())
    } else if let Some(buffer) = value.dyn_ref::<ArrayBuffer>() {
        Ok(Uint8Array::new(buffer).to_vec())
    } else {
        Err(JsError::new(&format!(
            "{name}: expected a Uint8Array, an ArrayBuffer or a string"
        )))
    }
}
