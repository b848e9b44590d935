//! The browser's entry into grantscope: file contents keyed by name in, plain JS objects out.
//!
//! The functions here only convert between JS values and the core's types; ingestion is
//! `grantscope-core`, rendering `grantscope-report`. Results are the objects the CLI prints with
//! `--format json`, as plain objects (maps arrive as objects, never as `Map`s). Errors cross the boundary as `JsError` with the CLI's message.
//!
//! The page keeps one [`Analysis`] per export: it parses once (`Analysis.load`), runs the rules
//! (`check`), and then answers the graph explorer (`explore`, `findingGraph`, `search`) and the
//! downloads (`render`) without parsing again.

use std::collections::{HashMap, HashSet, VecDeque};

use chrono::NaiveDate;
use grantscope_core::config::Config;
use grantscope_core::findings::Report;
use grantscope_core::graph::{AccessGraph, EdgeKind, Node, NodeKind};
use grantscope_core::ingest::{self, InputFile, Limits, Loaded, ParsedFile};
use grantscope_core::rules::{self, ALL_RULES};
use grantscope_core::score::{Exposure, score};
use grantscope_report::{Inventory, PostureOptions, SourcePaths};
use js_sys::{Array, ArrayBuffer, JSON, Object, Reflect, Uint8Array};
use petgraph::Direction;
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;
use serde::Serialize;
use serde_json::json;
use wasm_bindgen::prelude::*;

#[wasm_bindgen(typescript_custom_section)]
const TS_TYPES: &str = r#"
/** Input files: `{ "users.json": bytes | text, ... }` or `[{ name, bytes }, ...]`. */
export type InputFiles =
  | Record<string, Uint8Array | ArrayBuffer | string>
  | Array<{ name: string; bytes: Uint8Array | ArrayBuffer | string }>;

/** `grantscope.toml` text, the same document as a JSON object, or nothing for the defaults. */
export type ConfigInput = string | Record<string, unknown> | null | undefined;

/** The report `grantscope check --format json` prints (schemas/report.schema.json). */
export type Report = {
  schemaVersion: string;
  tool: { name: string; version: string };
  asOf: string;
  inputs: Array<{ name: string; bytes: number; status: "loaded" | "expanded" | "skipped" | "failed"; [key: string]: unknown }>;
  warnings: Array<{ kind: string; file: string; line: number; path?: string | null; message: string }>;
  findings: Finding[];
  coverage: Array<{ ruleId: string; ruleName: string; category: string; status: "evaluated" | "notEvaluated" | "disabled"; reason?: string; findings: number }>;
  summary: { total: number; bySeverity: Record<string, number>; byCategory: Record<string, number>; rulesEvaluated: number; rulesNotEvaluated: number; rulesDisabled: number };
  [key: string]: unknown;
};

export type EntityRef = { kind: string; id: string; displayName?: string; source?: { file: string; pointer: string; line: number } };

export type Finding = {
  ruleId: string; ruleName: string; category: string; severity: string; message: string;
  subject: EntityRef; related: EntityRef[]; evidence: Record<string, unknown>; remediation: string; fingerprint: string;
};

/** One rule of the catalog, as `grantscope rules --format json` lists it. */
export type RuleInfo = {
  id: string; name: string; category: string; defaultSeverity: string; summary: string;
  needs: string[]; options: unknown; docs: string; remediation: string; since: string; docsUrl: string;
};

/** Output formats of `render`. */
export type Format = "json" | "csv" | "sarif" | "markdown";

/** A node of the explorer graph; `key` is `kind:id`. */
export type GraphNode = { key: string; kind: string; id: string; label: string; degree: number };
/** An edge of the explorer graph, `source` → `target` (node keys). */
export type GraphEdge = { key: string; source: string; target: string; kind: string };
/** A neighbourhood: the nodes around `center`, the edges among them, what was left out. */
export type Neighbourhood = {
  center: string | null;
  nodes: GraphNode[];
  edges: GraphEdge[];
  /** Neighbours not shown, per node and edge kind. */
  omitted: Array<{ node: string; edgeKind: string; direction: "in" | "out"; count: number }>;
  /** For a finding: the nodes and edges of the path that proves it. */
  highlight: { nodes: string[]; edges: string[] };
  /** For a finding: the entities it names that are not in the graph (assignments, audit events). */
  outside: EntityRef[];
};
"#;

#[wasm_bindgen(start)]
pub fn start() {
    #[cfg(feature = "console_error_panic_hook")]
    console_error_panic_hook::set_once();
}

/// The page's limits: the CLI's, but at most 512 MiB in all after decompression. The export and
/// everything built from it live in one tab (the files in the worker, the model and the file
/// being parsed in this module's memory), so a zip that expands within the CLI's 4 GiB could
/// still exhaust it.
/// `www/src/files.ts` refuses drops over the same budget before reading them
/// (`crates/grantscope-core/tests/page_limits.rs` keeps the two equal).
const PAGE_LIMITS: Limits = Limits {
    max_total_bytes: 512 * 1024 * 1024,
    ..Limits::DEFAULT
};

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
    let loaded = ingest::load(files, &PAGE_LIMITS);
    let errors: Vec<String> = loaded.report.errors().map(ToString::to_string).collect();
    if !errors.is_empty() {
        return Err(JsError::new(&errors.join("\n")));
    }
    to_js(&Inventory::new(&loaded))
}

/// Every rule grantscope ships, in id order: what `grantscope rules --format json` prints, plus
/// the default `remediation`, `since` and the documentation page (`docsUrl`).
///
/// # Errors
/// Never in practice (serialising static metadata).
#[wasm_bindgen(js_name = listRules, unchecked_return_type = "RuleInfo[]")]
pub fn list_rules() -> Result<JsValue, JsError> {
    let list: Vec<serde_json::Value> = ALL_RULES
        .iter()
        .map(|r| {
            let m = r.meta();
            json!({
                "id": m.id,
                "name": m.name,
                "category": m.category,
                "defaultSeverity": m.default_severity,
                "summary": m.summary,
                "needs": m.needs,
                "options": r.default_options(),
                "docs": m.docs,
                "remediation": m.remediation,
                "since": m.since,
                "docsUrl": grantscope_report::rule_docs_url(m.id),
            })
        })
        .collect();
    to_js(&list)
}

/// The configuration every analysis starts from, as the JSON form of `grantscope.toml`: every
/// rule on with its default options, no separation-of-duties rules, no privileged resources.
/// Passing it back to [`analyze`] gives the same report as passing nothing.
///
/// # Errors
/// Never in practice (serialising static metadata).
#[wasm_bindgen(js_name = defaultConfig)]
pub fn default_config() -> Result<JsValue, JsError> {
    // Inserted one by one: `collect()` would compile one more copy of the sort (module size).
    let mut rules = serde_json::Map::new();
    for r in ALL_RULES.iter() {
        rules.insert(
            r.meta().name.to_owned(),
            json!({ "level": "on", "options": r.default_options() }),
        );
    }
    to_js(&json!({
        "rules": rules,
        "separation-of-duties": [],
        "privileged-resources": { "match": [] },
    }))
}

/// Loads the files and runs every rule: the report `grantscope check --format json` prints for
/// the same files. A file that fails to load is reported in `inputs[]` (status `failed`) and
/// the rest is still analysed, as the CLI does (it then exits 2).
///
/// `asOf` (`YYYY-MM-DD`) overrides the configuration's `as-of`; without either, today.
///
/// # Errors
/// When `files` has the wrong shape or is empty, the configuration is invalid, or `asOf` is not
/// a date.
#[wasm_bindgen(unchecked_return_type = "Report")]
pub fn analyze(
    #[wasm_bindgen(unchecked_param_type = "InputFiles")] files: JsValue,
    #[wasm_bindgen(unchecked_param_type = "ConfigInput")] config: JsValue,
    #[wasm_bindgen(js_name = asOf)] as_of: Option<String>,
) -> Result<JsValue, JsError> {
    let mut analysis = Analysis::load(files)?;
    analysis.check(config, as_of)
}

/// Renders a report (as returned by [`analyze`], or a saved JSON report) in a download format:
/// `json`, `csv`, `sarif` or `markdown`. The output is byte for byte what
/// `grantscope check --format FORMAT` writes for the same report. (The CI-only formats, JUnit
/// and GitHub annotations, and the terminal text are left out of the browser build.)
///
/// # Errors
/// When the report does not have the report's shape, or the format is unknown.
#[wasm_bindgen]
pub fn render(
    #[wasm_bindgen(unchecked_param_type = "Report")] report: JsValue,
    #[wasm_bindgen(unchecked_param_type = "Format")] format: &str,
) -> Result<String, JsError> {
    let text = JSON::stringify(&report)
        .map_err(|_| JsError::new("the report cannot be converted to JSON"))?
        .as_string()
        .ok_or_else(|| JsError::new("expected a report object"))?;
    let report: Report =
        serde_json::from_str(&text).map_err(|e| JsError::new(&format!("invalid report: {e}")))?;
    render_report(&report, format)
}

fn render_report(report: &Report, format: &str) -> Result<String, JsError> {
    let paths = SourcePaths::default();
    match format {
        "json" => grantscope_report::render_report_json(report).map_err(into_error),
        "csv" => grantscope_report::render_csv(report).map_err(into_error),
        "sarif" => grantscope_report::render_sarif(report, &paths).map_err(into_error),
        "markdown" => Ok(grantscope_report::render_markdown(report)),
        "html" => Err(JsError::new(
            "the HTML report needs the export as well as the report: use Analysis.render(\"html\")",
        )),
        other => Err(JsError::new(&format!(
            "unknown format `{other}`; expected json, csv, sarif, markdown or html"
        ))),
    }
}

/// An export handed over one file at a time (`new Loader()`, `add` per file, `finish`): each
/// file is parsed as it arrives and its bytes are let go, so this module's memory holds one file
/// and the model rather than the whole export, and the page can show progress between files.
/// The result is [`Analysis::load`]'s for the same files in the same order.
#[wasm_bindgen]
#[derive(Default)]
pub struct Loader {
    parts: Vec<ParsedFile>,
}

#[wasm_bindgen]
impl Loader {
    #[wasm_bindgen(constructor)]
    #[must_use]
    pub fn new() -> Loader {
        Loader::default()
    }

    /// Parses one file. A zip is kept as it is and expanded by `finish`, against the limit of
    /// all files together.
    ///
    /// # Errors
    /// When `bytes` is not a `Uint8Array`, an `ArrayBuffer` or a string. (A file that does not
    /// load is recorded, not an error: `finish` reports it with the rest.)
    pub fn add(
        &mut self,
        name: String,
        #[wasm_bindgen(unchecked_param_type = "Uint8Array | ArrayBuffer | string")] bytes: JsValue,
    ) -> Result<(), JsError> {
        let bytes = contents(&name, &bytes)?;
        self.push(InputFile::new(name, bytes));
        Ok(())
    }

    fn push(&mut self, file: InputFile) {
        self.parts.push(ingest::parse_file(file, &PAGE_LIMITS));
    }

    /// Puts the files together into an [`Analysis`], as `load` does.
    ///
    /// # Errors
    /// When no file was added.
    pub fn finish(self) -> Result<Analysis, JsError> {
        let loaded = ingest::assemble(self.parts, &PAGE_LIMITS);
        if loaded.report.files.is_empty() {
            return Err(JsError::new("no input files found"));
        }
        Ok(Analysis {
            loaded,
            config: Config::default(),
            report: None,
            explorer: None,
        })
    }
}

/// One export in the page: parsed once, checked, then explored and rendered.
#[wasm_bindgen]
pub struct Analysis {
    loaded: Loaded,
    config: Config,
    report: Option<Report>,
    explorer: Option<Explorer>,
}

#[wasm_bindgen]
impl Analysis {
    /// Parses the files (zips are expanded). Files that fail to load are recorded, not fatal.
    ///
    /// # Errors
    /// When `files` has the wrong shape, or holds no file at all.
    pub fn load(
        #[wasm_bindgen(unchecked_param_type = "InputFiles")] files: JsValue,
    ) -> Result<Analysis, JsError> {
        let mut loader = Loader::new();
        for file in input_files(&files)? {
            loader.push(file);
        }
        loader.finish()
    }

    /// What the files contain (as [`inventory`], but also when some files failed).
    ///
    /// # Errors
    /// Never in practice.
    #[wasm_bindgen(unchecked_return_type = "Inventory")]
    pub fn inventory(&self) -> Result<JsValue, JsError> {
        to_js(&Inventory::new(&self.loaded))
    }

    /// The load errors, one line per failed file, as the CLI prints them
    /// (`FILE:LINE:COL: at PATH: MESSAGE`).
    #[wasm_bindgen(js_name = loadErrors)]
    #[must_use]
    pub fn load_errors(&self) -> Vec<String> {
        self.loaded
            .report
            .errors()
            .map(ToString::to_string)
            .collect()
    }

    /// Runs every rule with `config` (see [`analyze`]) and returns the report.
    ///
    /// # Errors
    /// When the configuration is invalid or `asOf` is not a date.
    #[wasm_bindgen(unchecked_return_type = "Report")]
    pub fn check(
        &mut self,
        #[wasm_bindgen(unchecked_param_type = "ConfigInput")] config: JsValue,
        #[wasm_bindgen(js_name = asOf)] as_of: Option<String>,
    ) -> Result<JsValue, JsError> {
        let config = parse_config(&config)?;
        let as_of = match as_of.as_deref() {
            Some(s) => parse_date(s)?,
            None => config.as_of.unwrap_or_else(today),
        };
        let report = rules::run(&self.loaded, &config, as_of);
        let js = to_js(&report)?;
        self.config = config;
        self.report = Some(report);
        self.explorer = None;
        Ok(js)
    }

    /// The last report in a download format: those of [`render`], and `html`, the posture
    /// report `grantscope report` writes (one self-contained page: score, grades, top risks,
    /// remediation plan, inventory), which needs the export itself as well as the report.
    ///
    /// # Errors
    /// Before `check`, or when the format is unknown.
    pub fn render(
        &self,
        #[wasm_bindgen(unchecked_param_type = "Format | \"html\"")] format: &str,
    ) -> Result<String, JsError> {
        let report = self.checked()?;
        if format == "html" {
            let options = PostureOptions {
                client: None,
                prepared_by: None,
            };
            return Ok(grantscope_report::render_posture_html(
                report,
                &self.loaded.snapshot,
                &self.config,
                &options,
            ));
        }
        render_report(report, format)
    }

    /// The posture score of the last report (overall score and grade, one per area), as the
    /// posture report computes it (docs/SCORING.md).
    ///
    /// # Errors
    /// Before `check`.
    pub fn score(&self) -> Result<JsValue, JsError> {
        let report = self.checked()?;
        to_js(&score(report, &Exposure::of(&self.loaded.snapshot)))
    }

    /// The neighbourhood of one entity (`kind` as in the report: `accessPackage`, `user`, …):
    /// its neighbours, and with `depth` 2 (the default) what those policies, packages and
    /// resources connect to in turn (eligible subjects, approvers, grants, incompatibilities),
    /// at most `limit` neighbours (default 40) per node and edge kind.
    ///
    /// # Errors
    /// When the entity is not in the graph.
    #[wasm_bindgen(unchecked_return_type = "Neighbourhood")]
    pub fn explore(
        &mut self,
        kind: &str,
        id: &str,
        depth: Option<u32>,
        limit: Option<u32>,
    ) -> Result<JsValue, JsError> {
        let explorer = self.explorer()?;
        let center = explorer
            .find(kind, id)
            .ok_or_else(|| JsError::new(&format!("no {kind} `{id}` in the export")))?;
        let mut view = View::default();
        explorer.neighbourhood(
            center,
            depth.unwrap_or(2),
            limit.map_or(DEFAULT_LIMIT, |l| l as usize),
            &mut view,
        );
        to_js(&explorer.output(Some(center), &view, &[], &[], Vec::new()))
    }

    /// The graph that proves a finding (by fingerprint): its subject and related entities, the
    /// shortest connections between them (highlighted), and their direct neighbours.
    ///
    /// # Errors
    /// Before `check`, or when no finding has that fingerprint.
    #[wasm_bindgen(js_name = findingGraph, unchecked_return_type = "Neighbourhood")]
    pub fn finding_graph(&mut self, fingerprint: &str) -> Result<JsValue, JsError> {
        let finding = self
            .checked()?
            .findings
            .iter()
            .find(|f| f.fingerprint == fingerprint)
            .cloned()
            .ok_or_else(|| JsError::new(&format!("no finding with fingerprint `{fingerprint}`")))?;
        let explorer = self.explorer()?;
        let mut path = Vec::new();
        let mut outside = Vec::new();
        for entity in std::iter::once(&finding.subject).chain(&finding.related) {
            match explorer.find(entity.kind.name(), &entity.id) {
                Some(ix) if !path.contains(&ix) => path.push(ix),
                Some(_) => {}
                None => outside.push(entity.clone()),
            }
        }
        let mut view = View::default();
        for &ix in &path {
            explorer.neighbourhood(ix, 1, FINDING_LIMIT, &mut view);
        }
        let mut highlight_nodes = path.clone();
        let mut highlight_edges = Vec::new();
        for pair in path.windows(2) {
            if let Some((nodes, edges)) = explorer.connect(pair[0], pair[1], CONNECT_HOPS) {
                for n in nodes {
                    view.add(n);
                    if !highlight_nodes.contains(&n) {
                        highlight_nodes.push(n);
                    }
                }
                highlight_edges.extend(edges);
            }
        }
        to_js(&explorer.output(
            path.first().copied(),
            &view,
            &highlight_nodes,
            &highlight_edges,
            outside,
        ))
    }

    /// Entities whose name or id contains `query` (case-insensitive), best matches first:
    /// the graph explorer's picker. `kind` restricts the search to one kind.
    ///
    /// # Errors
    /// Before `check`.
    #[wasm_bindgen(unchecked_return_type = "GraphNode[]")]
    pub fn search(
        &mut self,
        query: &str,
        kind: Option<String>,
        limit: Option<u32>,
    ) -> Result<JsValue, JsError> {
        let explorer = self.explorer()?;
        let kind = kind.as_deref().filter(|k| !k.is_empty());
        let wanted = kind.and_then(node_kind);
        if kind.is_some() && wanted.is_none() {
            return Err(JsError::new(&format!(
                "unknown entity kind `{}`",
                kind.unwrap_or_default()
            )));
        }
        let q = query.trim().to_lowercase();
        let mut hits: Vec<(u8, &str, NodeIndex)> = explorer
            .graph
            .node_indices()
            .filter_map(|ix| {
                let node = &explorer.graph[ix];
                if wanted.is_some_and(|k| k != node.kind) || node.kind == NodeKind::Audience {
                    return None;
                }
                let label = node.label.to_lowercase();
                let rank = if q.is_empty() || label == q || node.id.to_lowercase() == q {
                    0
                } else if label.starts_with(&q) {
                    1
                } else if label.contains(&q) || node.id.to_lowercase().contains(&q) {
                    2
                } else {
                    return None;
                };
                Some((rank, node.label.as_str(), ix))
            })
            .collect();
        grantscope_core::order::sort_by(&mut hits, |a, b| {
            a.0.cmp(&b.0)
                .then_with(|| {
                    kind_order(explorer.graph[a.2].kind).cmp(&kind_order(explorer.graph[b.2].kind))
                })
                .then_with(|| a.1.cmp(b.1))
        });
        let limit = limit.map_or(50, |l| l as usize);
        let nodes: Vec<GraphNode> = hits
            .into_iter()
            .take(limit)
            .map(|(_, _, ix)| explorer.node(ix))
            .collect();
        to_js(&nodes)
    }
}

impl Analysis {
    fn checked(&self) -> Result<&Report, JsError> {
        self.report
            .as_ref()
            .ok_or_else(|| JsError::new("call check() before using the report"))
    }

    /// The explorer graph, built on first use and kept (the rules build their own).
    fn explorer(&mut self) -> Result<&Explorer, JsError> {
        self.checked()?;
        if self.explorer.is_none() {
            let graph = AccessGraph::build(&self.loaded.snapshot, &self.config);
            self.explorer = Some(Explorer::new(graph.graph));
        }
        self.explorer
            .as_ref()
            .ok_or_else(|| JsError::new("the graph could not be built"))
    }
}

/// Neighbours shown per node and edge kind in `explore`.
const DEFAULT_LIMIT: usize = 40;
/// Neighbours shown per node and edge kind around a finding's entities.
const FINDING_LIMIT: usize = 12;
/// Longest connection searched between two entities of a finding.
const CONNECT_HOPS: usize = 4;
/// Most nodes in one view, whatever the limits.
const MAX_NODES: usize = 300;

/// Edges followed on the second step of `explore`: the structure of access (who may request,
/// who approves, what is granted), not the directory (members, managers, holders).
fn structural(kind: EdgeKind) -> bool {
    matches!(
        kind,
        EdgeKind::PolicyOf
            | EdgeKind::EligibleVia
            | EdgeKind::Approves
            | EdgeKind::Grants
            | EdgeKind::IncompatibleWith
    )
}

fn kind_name(kind: NodeKind) -> &'static str {
    match kind {
        NodeKind::User => "user",
        NodeKind::Group => "group",
        NodeKind::ServicePrincipal => "servicePrincipal",
        NodeKind::ConnectedOrganization => "connectedOrganization",
        NodeKind::Catalog => "catalog",
        NodeKind::AccessPackage => "accessPackage",
        NodeKind::AssignmentPolicy => "assignmentPolicy",
        NodeKind::Resource => "resource",
        NodeKind::Audience => "audience",
    }
}

fn node_kind(name: &str) -> Option<NodeKind> {
    [
        NodeKind::User,
        NodeKind::Group,
        NodeKind::ServicePrincipal,
        NodeKind::ConnectedOrganization,
        NodeKind::Catalog,
        NodeKind::AccessPackage,
        NodeKind::AssignmentPolicy,
        NodeKind::Resource,
        NodeKind::Audience,
    ]
    .into_iter()
    .find(|k| kind_name(*k) == name)
}

/// The picker lists packages first, then policies, resources, groups, users.
fn kind_order(kind: NodeKind) -> u8 {
    match kind {
        NodeKind::AccessPackage => 0,
        NodeKind::AssignmentPolicy => 1,
        NodeKind::Resource => 2,
        NodeKind::Catalog => 3,
        NodeKind::Group => 4,
        NodeKind::ConnectedOrganization => 5,
        NodeKind::User => 6,
        NodeKind::ServicePrincipal => 7,
        NodeKind::Audience => 8,
    }
}

fn edge_name(kind: EdgeKind) -> &'static str {
    match kind {
        EdgeKind::MemberOf => "memberOf",
        EdgeKind::Manages => "manages",
        EdgeKind::EligibleVia => "eligibleVia",
        EdgeKind::Approves => "approves",
        EdgeKind::Grants => "grants",
        EdgeKind::Holds => "holds",
        EdgeKind::IncompatibleWith => "incompatibleWith",
        EdgeKind::Sponsors => "sponsors",
        EdgeKind::PolicyOf => "policyOf",
        EdgeKind::InCatalog => "inCatalog",
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct GraphNode {
    key: String,
    kind: &'static str,
    id: String,
    label: String,
    degree: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct GraphEdge {
    key: String,
    source: String,
    target: String,
    kind: &'static str,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Omitted {
    node: String,
    edge_kind: &'static str,
    direction: &'static str,
    count: usize,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Highlight {
    nodes: Vec<String>,
    edges: Vec<String>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Neighbourhood {
    center: Option<String>,
    nodes: Vec<GraphNode>,
    edges: Vec<GraphEdge>,
    omitted: Vec<Omitted>,
    highlight: Highlight,
    outside: Vec<grantscope_core::findings::EntityRef>,
}

/// The nodes picked for one view, in the order they were reached.
#[derive(Default)]
struct View {
    nodes: Vec<NodeIndex>,
    seen: HashSet<NodeIndex>,
    omitted: Vec<(NodeIndex, EdgeKind, Direction, usize)>,
}

impl View {
    fn add(&mut self, ix: NodeIndex) -> bool {
        if self.seen.contains(&ix) {
            return true;
        }
        if self.nodes.len() >= MAX_NODES {
            return false;
        }
        self.seen.insert(ix);
        self.nodes.push(ix);
        true
    }
}

/// The explorer graph of the last check, owned, with an index by kind and id.
struct Explorer {
    graph: DiGraph<Node, EdgeKind>,
    index: HashMap<(NodeKind, String), NodeIndex>,
}

impl Explorer {
    fn new(graph: DiGraph<Node, EdgeKind>) -> Self {
        let index = graph
            .node_indices()
            .map(|ix| ((graph[ix].kind, graph[ix].id.clone()), ix))
            .collect();
        Explorer { graph, index }
    }

    fn find(&self, kind: &str, id: &str) -> Option<NodeIndex> {
        let kind = node_kind(kind)?;
        self.index.get(&(kind, id.to_owned())).copied()
    }

    fn key(&self, ix: NodeIndex) -> String {
        let node = &self.graph[ix];
        format!("{}:{}", kind_name(node.kind), node.id)
    }

    fn node(&self, ix: NodeIndex) -> GraphNode {
        let node = &self.graph[ix];
        GraphNode {
            key: self.key(ix),
            kind: kind_name(node.kind),
            id: node.id.clone(),
            label: node.label.clone(),
            degree: self.graph.neighbors_undirected(ix).count(),
        }
    }

    /// Neighbours of `ix` grouped by edge kind and direction, each group sorted by label, the
    /// groups in a stable order.
    fn groups(&self, ix: NodeIndex) -> Vec<(EdgeKind, Direction, Vec<NodeIndex>)> {
        let mut groups: Vec<(EdgeKind, Direction, Vec<NodeIndex>)> = Vec::new();
        for dir in [Direction::Outgoing, Direction::Incoming] {
            for e in self.graph.edges_directed(ix, dir) {
                let other = if dir == Direction::Outgoing {
                    e.target()
                } else {
                    e.source()
                };
                let kind = *e.weight();
                match groups.iter_mut().find(|g| g.0 == kind && g.1 == dir) {
                    Some(g) => g.2.push(other),
                    None => groups.push((kind, dir, vec![other])),
                }
            }
        }
        for g in &mut groups {
            grantscope_core::order::sort_by(&mut g.2, |a, b| {
                let (a, b) = (&self.graph[*a], &self.graph[*b]);
                a.label.cmp(&b.label).then_with(|| a.id.cmp(&b.id))
            });
            g.2.dedup();
        }
        grantscope_core::order::sort_by_key(&mut groups, |g| {
            (edge_name(g.0), g.1 == Direction::Incoming)
        });
        groups
    }

    /// Adds `center` and up to `depth` steps around it (the steps after the first only along
    /// [`structural`] edges and not through people, groups or catalogs, which have many).
    fn neighbourhood(&self, center: NodeIndex, depth: u32, limit: usize, view: &mut View) {
        view.add(center);
        let mut frontier = vec![center];
        for step in 0..depth {
            let mut next = Vec::new();
            for &ix in &frontier {
                if step > 0
                    && matches!(
                        self.graph[ix].kind,
                        NodeKind::User | NodeKind::Group | NodeKind::Catalog | NodeKind::Audience
                    )
                {
                    continue;
                }
                for (kind, dir, members) in self.groups(ix) {
                    if step > 0 && !structural(kind) {
                        continue;
                    }
                    let mut shown = 0;
                    for &other in &members {
                        let fresh = !view.seen.contains(&other);
                        if shown == limit || !view.add(other) {
                            break;
                        }
                        shown += 1;
                        if fresh {
                            next.push(other);
                        }
                    }
                    if shown < members.len() {
                        view.omitted.push((ix, kind, dir, members.len() - shown));
                    }
                }
            }
            frontier = next;
        }
    }

    /// The shortest connection from `a` to `b` ignoring edge direction, at most `hops` edges:
    /// its inner nodes and the keys of its edges.
    fn connect(
        &self,
        a: NodeIndex,
        b: NodeIndex,
        hops: usize,
    ) -> Option<(Vec<NodeIndex>, Vec<String>)> {
        let mut prev: HashMap<NodeIndex, (NodeIndex, petgraph::graph::EdgeIndex)> = HashMap::new();
        let mut queue = VecDeque::from([(a, 0usize)]);
        let mut seen = HashSet::from([a]);
        while let Some((ix, d)) = queue.pop_front() {
            if ix == b {
                break;
            }
            if d == hops {
                continue;
            }
            for dir in [Direction::Outgoing, Direction::Incoming] {
                for e in self.graph.edges_directed(ix, dir) {
                    let other = if dir == Direction::Outgoing {
                        e.target()
                    } else {
                        e.source()
                    };
                    if seen.insert(other) {
                        prev.insert(other, (ix, e.id()));
                        queue.push_back((other, d + 1));
                    }
                }
            }
        }
        if !seen.contains(&b) {
            return None;
        }
        let mut nodes = Vec::new();
        let mut edges = Vec::new();
        let mut at = b;
        while at != a {
            let (from, edge) = prev[&at];
            edges.push(self.edge_key(edge));
            if from != a {
                nodes.push(from);
            }
            at = from;
        }
        Some((nodes, edges))
    }

    fn edge_key(&self, edge: petgraph::graph::EdgeIndex) -> String {
        let (s, t) = self.graph.edge_endpoints(edge).unwrap_or_default();
        format!(
            "{}|{}|{}",
            self.key(s),
            edge_name(self.graph[edge]),
            self.key(t)
        )
    }

    fn output(
        &self,
        center: Option<NodeIndex>,
        view: &View,
        highlight_nodes: &[NodeIndex],
        highlight_edges: &[String],
        outside: Vec<grantscope_core::findings::EntityRef>,
    ) -> Neighbourhood {
        let nodes: Vec<GraphNode> = view.nodes.iter().map(|&ix| self.node(ix)).collect();
        let mut edges = Vec::new();
        let mut keys = HashSet::new();
        for &ix in &view.nodes {
            for e in self.graph.edges_directed(ix, Direction::Outgoing) {
                if view.seen.contains(&e.target()) {
                    let key = self.edge_key(e.id());
                    if keys.insert(key.clone()) {
                        edges.push(GraphEdge {
                            key,
                            source: self.key(ix),
                            target: self.key(e.target()),
                            kind: edge_name(*e.weight()),
                        });
                    }
                }
            }
        }
        Neighbourhood {
            center: center.map(|c| self.key(c)),
            nodes,
            edges,
            omitted: view
                .omitted
                .iter()
                .map(|&(ix, kind, dir, count)| Omitted {
                    node: self.key(ix),
                    edge_kind: edge_name(kind),
                    direction: if dir == Direction::Outgoing {
                        "out"
                    } else {
                        "in"
                    },
                    count,
                })
                .collect(),
            highlight: Highlight {
                nodes: highlight_nodes.iter().map(|&ix| self.key(ix)).collect(),
                edges: highlight_edges.to_vec(),
            },
            outside,
        }
    }
}

fn parse_config(config: &JsValue) -> Result<Config, JsError> {
    if config.is_undefined() || config.is_null() {
        return Ok(Config::default());
    }
    if let Some(text) = config.as_string() {
        return Config::from_toml(&text)
            .map_err(|e| JsError::new(&format!("grantscope.toml: {e}")));
    }
    let text = JSON::stringify(config)
        .ok()
        .and_then(|t| t.as_string())
        .ok_or_else(|| JsError::new("expected the configuration as TOML text or an object"))?;
    let value: serde_json::Value = serde_json::from_str(&text).map_err(into_error)?;
    if !value.is_object() {
        return Err(JsError::new(
            "expected the configuration as TOML text or an object",
        ));
    }
    Config::from_json(value).map_err(|e| JsError::new(&format!("configuration: {e}")))
}

fn parse_date(s: &str) -> Result<NaiveDate, JsError> {
    grantscope_core::dates::parse_date(s).ok_or_else(|| {
        JsError::new(&format!(
            "invalid asOf `{s}`: expected a date such as 2026-11-01"
        ))
    })
}

/// Today in UTC, from the JS clock (the core never reads one).
fn today() -> NaiveDate {
    let date = js_sys::Date::new_0();
    NaiveDate::from_ymd_opt(
        i32::try_from(date.get_utc_full_year()).unwrap_or(1970),
        date.get_utc_month() + 1,
        date.get_utc_date(),
    )
    .unwrap_or_default()
}

/// A plain JS object (maps as objects, as `Serializer::json_compatible()` gives), made by
/// `JSON.parse` of serde_json's text: one serialiser in the binary instead of two, and the
/// engine's parser builds large reports faster than object-by-object calls across the boundary.
fn to_js<T: Serialize + ?Sized>(value: &T) -> Result<JsValue, JsError> {
    let text = serde_json::to_string(value).map_err(into_error)?;
    JSON::parse(&text).map_err(|_| JsError::new("internal error: invalid JSON"))
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
