//! The JS API, run under Node by wasm-bindgen-test:
//! `CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner cargo test -p grantscope-wasm --target wasm32-unknown-unknown`.
#![cfg(target_arch = "wasm32")]

use js_sys::{Array, JSON, Object, Reflect, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

const USERS: &str = r#"{
  "@odata.context": "https://graph.microsoft.com/v1.0/$metadata#users",
  "value": [
    { "id": "00000000-0000-4000-8000-000000000001", "displayName": "Alice", "userType": "Member" },
    { "id": "00000000-0000-4000-8000-000000000002", "displayName": "Bob", "userType": "Guest" },
    { "id": "00000000-0000-4000-8000-000000000003", "displayName": "Carol", "userType": "Guest" }
  ]
}"#;

fn get(value: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(value.clone(), |v, key| {
        Reflect::get(&v, &JsValue::from_str(key)).unwrap()
    })
}

fn object(entries: &[(&str, JsValue)]) -> JsValue {
    let object = Object::new();
    for (key, value) in entries {
        Reflect::set(&object, &JsValue::from_str(key), value).unwrap();
    }
    object.into()
}

#[wasm_bindgen_test]
fn version_is_the_crate_version() {
    assert_eq!(grantscope_wasm::version(), env!("CARGO_PKG_VERSION"));
}

#[wasm_bindgen_test]
fn inventory_of_text_keyed_by_name() {
    let files = object(&[("users.json", JsValue::from_str(USERS))]);
    let inventory = grantscope_wasm::inventory(files).unwrap();
    assert_eq!(get(&inventory, "schemaVersion").as_f64(), Some(1.0));
    assert_eq!(get(&inventory, "counts.users").as_f64(), Some(3.0));
    assert_eq!(get(&inventory, "counts.guests").as_f64(), Some(2.0));
    assert!(get(&inventory, "counts.groups").is_null());
    let files = Array::from(&get(&inventory, "files"));
    assert_eq!(files.length(), 1);
    assert_eq!(
        get(&files.get(0), "status").as_string().as_deref(),
        Some("loaded")
    );
    // A plain JSON-compatible object: maps are objects, not `Map`s.
    let text = JSON::stringify(&inventory).unwrap().as_string().unwrap();
    assert!(text.contains(r#""datasets":["users"]"#), "{text}");
}

#[wasm_bindgen_test]
fn inventory_of_bytes_in_an_array() {
    let bytes = Uint8Array::from(USERS.as_bytes());
    let entry = object(&[
        ("name", JsValue::from_str("export/users.json")),
        ("bytes", bytes.into()),
    ]);
    let files = Array::of1(&entry);
    let inventory = grantscope_wasm::inventory(files.into()).unwrap();
    assert_eq!(get(&inventory, "summary.loaded").as_f64(), Some(1.0));
    assert_eq!(get(&inventory, "counts.users").as_f64(), Some(3.0));
}

#[wasm_bindgen_test]
fn bad_json_is_an_error_naming_the_file() {
    let files = object(&[
        ("users.json", JsValue::from_str(USERS)),
        (
            "broken.json",
            JsValue::from_str("{\"value\": [ {\"id\": 1,, } ]}"),
        ),
    ]);
    let error = grantscope_wasm::inventory(files).unwrap_err();
    let error: JsValue = error.into();
    let message = error
        .dyn_ref::<js_sys::Error>()
        .expect("a JS Error")
        .message()
        .as_string()
        .unwrap();
    assert!(message.starts_with("broken.json:1:"), "{message}");
}

#[wasm_bindgen_test]
fn wrong_shapes_are_errors() {
    assert!(grantscope_wasm::inventory(JsValue::from_f64(1.0)).is_err());
    let files = object(&[("users.json", JsValue::from_f64(3.0))]);
    assert!(grantscope_wasm::inventory(files).is_err());
    let files = Array::of1(&JsValue::from_str("users.json"));
    assert!(grantscope_wasm::inventory(files.into()).is_err());
}

mod analysis;
