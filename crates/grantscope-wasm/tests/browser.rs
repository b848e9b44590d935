//! The JS API in headless Chromium (the page's engine), run by wasm-bindgen-test with
//! `CHROMEDRIVER=/usr/bin/chromedriver` (scripts/test.sh; `webdriver.json` has Chromium's flags).
#![cfg(target_arch = "wasm32")]

use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

mod analysis;

#[wasm_bindgen_test]
fn version_is_the_crate_version() {
    assert_eq!(grantscope_wasm::version(), env!("CARGO_PKG_VERSION"));
}

#[wasm_bindgen_test]
fn bytes_from_a_file_reader_are_accepted() {
    // The page passes `Uint8Array`s read from `File`s.
    let text = r#"{"@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users", "value": [{"id": "u1", "displayName": "A", "userType": "Member"}]}"#;
    let bytes = js_sys::Uint8Array::from(text.as_bytes());
    let files = js_sys::Object::new();
    js_sys::Reflect::set(&files, &"users.json".into(), &bytes).unwrap();
    let report = grantscope_wasm::analyze(
        files.into(),
        wasm_bindgen::JsValue::NULL,
        Some("2026-11-01".into()),
    )
    .unwrap();
    let inputs = js_sys::Reflect::get(&report, &"inputs".into()).unwrap();
    assert_eq!(js_sys::Array::from(&inputs).length(), 1);
}
