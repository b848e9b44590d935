//! Tests of `analyze`, `render`, `Analysis`, `listRules` and `defaultConfig`, shared by the
//! Node run (`tests/api.rs`) and the headless-Chromium run (`tests/browser.rs`).

use js_sys::{Array, JSON, Object, Reflect};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_test::wasm_bindgen_test;

fn tenant() -> JsValue {
    let files: [(&str, &str); 5] = [
        (
            "accessPackages.json",
            include_str!(
                "../../../../fixtures/rules/GS401-incompatible-packages-held/fire/listed-one-way/accessPackages.json"
            ),
        ),
        (
            "assignments.json",
            include_str!(
                "../../../../fixtures/rules/GS401-incompatible-packages-held/fire/listed-one-way/assignments.json"
            ),
        ),
        (
            "incompatibleAccessPackages-22222222-0000-0000-0000-000000000001.json",
            include_str!(
                "../../../../fixtures/rules/GS401-incompatible-packages-held/fire/listed-one-way/incompatibleAccessPackages-22222222-0000-0000-0000-000000000001.json"
            ),
        ),
        (
            "incompatibleAccessPackages-22222222-0000-0000-0000-000000000002.json",
            include_str!(
                "../../../../fixtures/rules/GS401-incompatible-packages-held/fire/listed-one-way/incompatibleAccessPackages-22222222-0000-0000-0000-000000000002.json"
            ),
        ),
        (
            "users.json",
            include_str!(
                "../../../../fixtures/rules/GS401-incompatible-packages-held/fire/listed-one-way/users.json"
            ),
        ),
    ];
    let object = Object::new();
    for (name, text) in files {
        Reflect::set(&object, &name.into(), &text.into()).unwrap();
    }
    object.into()
}

fn get(value: &JsValue, path: &str) -> JsValue {
    path.split('.').fold(value.clone(), |v, key| {
        Reflect::get(&v, &JsValue::from_str(key)).unwrap()
    })
}

fn message(error: wasm_bindgen::JsError) -> String {
    let error: JsValue = error.into();
    error
        .dyn_ref::<js_sys::Error>()
        .expect("a JS Error")
        .message()
        .as_string()
        .unwrap()
}

fn with(files: &JsValue, name: &str, text: &str) -> JsValue {
    let copy = Object::assign(&Object::new(), &Object::from(files.clone()));
    Reflect::set(&copy, &name.into(), &text.into()).unwrap();
    copy.into()
}

#[wasm_bindgen_test]
fn rules_are_listed_with_docs() {
    let rules = Array::from(&grantscope_wasm::list_rules().unwrap());
    assert!(rules.length() >= 30, "{}", rules.length());
    let first = rules.get(0);
    assert_eq!(get(&first, "id").as_string().as_deref(), Some("GS101"));
    assert!(
        get(&first, "docs")
            .as_string()
            .unwrap()
            .contains("## What it does")
    );
    assert!(
        get(&first, "docsUrl")
            .as_string()
            .unwrap()
            .ends_with("/GS101")
    );
    assert!(get(&first, "defaultSeverity").is_string());
}

#[wasm_bindgen_test]
fn default_config_gives_the_default_report() {
    let config = grantscope_wasm::default_config().unwrap();
    assert!(get(&config, "rules.broad-requestor-scope.level").is_string());
    let with_default =
        grantscope_wasm::analyze(tenant(), config, Some("2026-11-01".into())).unwrap();
    let without =
        grantscope_wasm::analyze(tenant(), JsValue::UNDEFINED, Some("2026-11-01".into())).unwrap();
    assert_eq!(
        JSON::stringify(&with_default).unwrap(),
        JSON::stringify(&without).unwrap()
    );
}

#[wasm_bindgen_test]
fn analyze_gives_the_cli_report() {
    let report =
        grantscope_wasm::analyze(tenant(), JsValue::NULL, Some("2026-11-01".into())).unwrap();
    assert_eq!(
        get(&report, "schemaVersion").as_string().as_deref(),
        Some("1")
    );
    assert_eq!(
        get(&report, "asOf").as_string().as_deref(),
        Some("2026-11-01")
    );
    assert_eq!(get(&report, "summary.total").as_f64(), Some(5.0));
    assert_eq!(
        get(&report, "summary.bySeverity.critical").as_f64(),
        Some(1.0)
    );
    let findings = Array::from(&get(&report, "findings"));
    let first = findings.get(0);
    assert_eq!(get(&first, "ruleId").as_string().as_deref(), Some("GS401"));
    assert_eq!(
        get(&first, "subject.displayName").as_string().as_deref(),
        Some("Lena Fischer")
    );
    // Evidence maps are plain objects.
    assert!(get(&first, "evidence").is_object());
    assert!(!get(&first, "evidence").is_instance_of::<js_sys::Map>());
}

#[wasm_bindgen_test]
fn the_as_of_date_comes_from_the_argument_then_the_config() {
    let config = "as-of = \"2026-01-15\"\n";
    let report = grantscope_wasm::analyze(tenant(), config.into(), None).unwrap();
    assert_eq!(
        get(&report, "asOf").as_string().as_deref(),
        Some("2026-01-15")
    );
    let report =
        grantscope_wasm::analyze(tenant(), config.into(), Some("2026-03-01".into())).unwrap();
    assert_eq!(
        get(&report, "asOf").as_string().as_deref(),
        Some("2026-03-01")
    );
    let error =
        grantscope_wasm::analyze(tenant(), JsValue::NULL, Some("yesterday".into())).unwrap_err();
    assert_eq!(
        message(error),
        "invalid asOf `yesterday`: expected a date such as 2026-11-01"
    );
}

#[wasm_bindgen_test]
fn config_errors_read_as_the_cli_says_them() {
    let error = grantscope_wasm::analyze(
        tenant(),
        "[rules]\nbroad-requestor-scop = \"off\"\n".into(),
        None,
    )
    .unwrap_err();
    let text = message(error);
    assert!(text.starts_with("grantscope.toml: "), "{text}");
    assert!(
        text.contains("did you mean `broad-requestor-scope`?"),
        "{text}"
    );

    let json = JSON::parse(r#"{"fail-onn": "high"}"#).unwrap();
    let text = message(grantscope_wasm::analyze(tenant(), json, None).unwrap_err());
    assert!(text.starts_with("configuration: "), "{text}");
    assert!(text.contains("fail-on"), "{text}");
}

#[wasm_bindgen_test]
fn a_broken_file_is_reported_and_the_rest_analysed() {
    let files = with(&tenant(), "broken.json", "{\"value\": [ {\"id\": 1,, } ]}");
    let report =
        grantscope_wasm::analyze(files.clone(), JsValue::NULL, Some("2026-11-01".into())).unwrap();
    assert_eq!(get(&report, "summary.total").as_f64(), Some(5.0));
    let inputs = Array::from(&get(&report, "inputs"));
    let broken = inputs
        .iter()
        .find(|i| get(i, "name").as_string().as_deref() == Some("broken.json"))
        .unwrap();
    assert_eq!(
        get(&broken, "status").as_string().as_deref(),
        Some("failed")
    );

    let analysis = grantscope_wasm::Analysis::load(files).unwrap();
    let errors = analysis.load_errors();
    assert_eq!(errors.len(), 1);
    assert!(errors[0].starts_with("broken.json:1:"), "{}", errors[0]);
}

#[wasm_bindgen_test]
fn a_loader_fed_one_file_at_a_time_gives_the_same_report() {
    // Bytes, text and a broken file, handed over one by one as the page's worker does.
    let files = with(&tenant(), "broken.json", "{\"value\": [ {\"id\": 1,, } ]}");
    let expected =
        grantscope_wasm::analyze(files.clone(), JsValue::NULL, Some("2026-11-01".into())).unwrap();
    let mut loader = grantscope_wasm::Loader::new();
    for (index, entry) in Object::entries(&Object::from(files)).iter().enumerate() {
        let entry = Array::from(&entry);
        let name = entry.get(0).as_string().unwrap();
        let text = entry.get(1).as_string().unwrap();
        let contents: JsValue = if index % 2 == 0 {
            js_sys::Uint8Array::from(text.as_bytes()).into()
        } else {
            text.into()
        };
        loader.add(name, contents).unwrap();
    }
    let mut analysis = loader.finish().unwrap();
    assert_eq!(analysis.load_errors().len(), 1);
    let report = analysis
        .check(JsValue::NULL, Some("2026-11-01".into()))
        .unwrap();
    assert_eq!(
        JSON::stringify(&report).unwrap(),
        JSON::stringify(&expected).unwrap()
    );
    // Nothing handed over is an error, as for `analyze`; a value that is not bytes is named.
    let error = grantscope_wasm::Loader::new().finish().err().unwrap();
    assert_eq!(message(error), "no input files found");
    let error = grantscope_wasm::Loader::new()
        .add("users.json".into(), JsValue::from_f64(1.0))
        .unwrap_err();
    assert_eq!(
        message(error),
        "users.json: expected a Uint8Array, an ArrayBuffer or a string"
    );
}

#[wasm_bindgen_test]
fn no_files_is_an_error() {
    let error = grantscope_wasm::analyze(Object::new().into(), JsValue::NULL, None).unwrap_err();
    assert_eq!(message(error), "no input files found");
}

#[wasm_bindgen_test]
fn render_writes_every_format() {
    let report =
        grantscope_wasm::analyze(tenant(), JsValue::NULL, Some("2026-11-01".into())).unwrap();
    let sarif = grantscope_wasm::render(report.clone(), "sarif").unwrap();
    let sarif = JSON::parse(&sarif).unwrap();
    assert_eq!(get(&sarif, "version").as_string().as_deref(), Some("2.1.0"));
    let results = Array::from(
        &Reflect::get(&Array::from(&get(&sarif, "runs")).get(0), &"results".into()).unwrap(),
    );
    assert_eq!(results.length(), 5);

    let json = grantscope_wasm::render(report.clone(), "json").unwrap();
    assert_eq!(
        JSON::stringify(&JSON::parse(&json).unwrap()).unwrap(),
        JSON::stringify(&report).unwrap()
    );
    let csv = grantscope_wasm::render(report.clone(), "csv").unwrap();
    assert_eq!(csv.lines().count(), 6, "{csv}");
    let markdown = grantscope_wasm::render(report.clone(), "markdown").unwrap();
    assert!(markdown.contains("GS401"), "{markdown}");
    let text = message(grantscope_wasm::render(report, "pdf").unwrap_err());
    assert!(text.starts_with("unknown format `pdf`"), "{text}");
}

#[wasm_bindgen_test]
fn an_analysis_renders_and_explores_without_parsing_again() {
    let mut analysis = grantscope_wasm::Analysis::load(tenant()).unwrap();
    assert!(
        analysis.render("json").is_err(),
        "nothing to render before check()"
    );
    let report = analysis
        .check(JsValue::NULL, Some("2026-11-01".into()))
        .unwrap();
    // The posture report and score need the export: only the analysis has them.
    let html = analysis.render("html").unwrap();
    assert!(
        html.to_lowercase().starts_with("<!doctype html>"),
        "{}",
        &html[..80]
    );
    assert!(html.contains("Lena Fischer"));
    assert!(grantscope_wasm::render(report.clone(), "html").is_err());
    let score = analysis.score().unwrap();
    let overall = get(&score, "overall.score").as_f64().unwrap();
    assert!((0.0..=100.0).contains(&overall), "{overall}");
    assert!(get(&score, "overall.grade").is_string());
    assert_eq!(
        analysis.render("json").unwrap(),
        grantscope_wasm::render(report.clone(), "json").unwrap()
    );

    // The user's neighbourhood: the packages they hold.
    let user = "11111111-0000-0000-0000-000000000001";
    let view = analysis.explore("user", user, None, None).unwrap();
    assert_eq!(
        get(&view, "center").as_string(),
        Some(format!("user:{user}"))
    );
    let edges = Array::from(&get(&view, "edges"));
    let holds = edges
        .iter()
        .filter(|e| get(e, "kind").as_string().as_deref() == Some("holds"))
        .count();
    assert_eq!(holds, 2, "{}", JSON::stringify(&view).unwrap());

    // The GS401 finding's graph highlights the user and both packages.
    let first = Array::from(&get(&report, "findings")).get(0);
    let fingerprint = get(&first, "fingerprint").as_string().unwrap();
    let graph = analysis.finding_graph(&fingerprint).unwrap();
    let highlighted = Array::from(&get(&graph, "highlight.nodes"));
    assert_eq!(
        highlighted.length(),
        3,
        "{}",
        JSON::stringify(&graph).unwrap()
    );
    assert!(Array::from(&get(&graph, "highlight.edges")).length() >= 2);

    // The picker finds packages by name.
    let hits = Array::from(&analysis.search("payments", None, None).unwrap());
    assert!(hits.length() >= 2);
    assert_eq!(
        get(&hits.get(0), "kind").as_string().as_deref(),
        Some("accessPackage")
    );
    assert!(analysis.search("x", Some("planet".into()), None).is_err());

    let error = analysis.explore("user", "nobody", None, None).unwrap_err();
    assert_eq!(message(error), "no user `nobody` in the export");
}
