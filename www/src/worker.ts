// The analysis worker: owns the wasm module and the current Analysis, so that parsing and the
// rules never run on the page's main thread.
import init, { Analysis, Loader, listRules, version, type Format } from "../pkg/grantscope_wasm.js";
import wasmUrl from "../pkg/grantscope_wasm_bg.wasm?url";
import { exampleFiles } from "./example";
import type { Analysed, Finding, InFile, PostureScore, Request, Response } from "./protocol";
import { queryFindings } from "./query";

const CONFIG_FILE = "grantscope.toml";
/** Formats offered for download, in menu order. */
const FORMATS = ["html", "json", "csv", "sarif", "markdown"];

let analysis: Analysis | null = null;
let findings: Finding[] = [];

function post(message: Response, transfer: Transferable[] = []) {
  (self as unknown as Worker).postMessage(message, transfer);
}

function errorMessage(e: unknown): string {
  if (e instanceof Error) return e.message;
  return String(e);
}

/** The configuration of the export: the `grantscope.toml` nearest to its root, as the CLI finds it. */
function findConfig(files: InFile[]): InFile | null {
  let best: InFile | null = null;
  for (const f of files) {
    const base = f.name.slice(f.name.lastIndexOf("/") + 1);
    if (base !== CONFIG_FILE) continue;
    if (!best || f.name.split("/").length < best.name.split("/").length) best = f;
  }
  return best;
}

function text(bytes: ArrayBuffer | string): string {
  return typeof bytes === "string" ? bytes : new TextDecoder().decode(bytes);
}

/** What the last export was, kept to run the rules again on another date without re-parsing. */
type Export = { config: InFile | null; source: string; files: number; bytes: number; parseMillis: number };
let current: Export | null = null;

function megabytes(n: number): string {
  return `${(n / 1e6).toLocaleString("en", { maximumFractionDigits: 1 })} MB`;
}

function analyze(id: number, files: InFile[], source: string) {
  analysis?.free();
  analysis = null;
  current = null;
  findings = [];
  const size = (f: InFile) => (typeof f.bytes === "string" ? f.bytes.length : f.bytes.byteLength);
  const bytes = files.reduce((n, f) => n + size(f), 0);
  const count = files.length;
  const config = findConfig(files);
  const t0 = performance.now();
  // One file at a time into the module, each let go once parsed: the module's memory holds one
  // file and the model, not the whole export, and the page hears how far parsing has got.
  const loader = new Loader();
  let done = 0;
  let shown = -Infinity;
  const queue: Array<InFile | undefined> = files;
  for (let i = 0; i < count; i++) {
    const f = queue[i] as InFile;
    queue[i] = undefined;
    const now = performance.now();
    if (now - shown > 100) {
      shown = now;
      post({ type: "progress", id, stage: "parsing", detail: `Parsing files: ${i.toLocaleString("en")} of ${count.toLocaleString("en")} (${megabytes(done)} of ${megabytes(bytes)})…` });
    }
    loader.add(f.name, typeof f.bytes === "string" ? f.bytes : new Uint8Array(f.bytes));
    done += size(f);
  }
  const loaded = loader.finish();
  analysis = loaded;
  current = { config, source, files: count, bytes, parseMillis: performance.now() - t0 };
  check(id, loaded, current, undefined);
}

/**
 * Runs the rules on the parsed export and posts the result. `asOf` overrides the configuration's
 * `as-of` (as `grantscope check --as-of` does); without either the rules run as of today.
 */
function check(id: number, loaded: Analysis, exp: Export, asOf: string | undefined) {
  post({ type: "progress", id, stage: "analysing", detail: asOf ? `Running the rules as of ${asOf}…` : "Running the rules…" });
  const t1 = performance.now();
  const config = { file: exp.config ? exp.config.name : null, error: null as string | null };
  let report;
  try {
    report = loaded.check(exp.config ? text(exp.config.bytes) : null, asOf);
  } catch (e) {
    // A broken configuration must not hide the audit: say so, and use the defaults. (An invalid
    // date is not a configuration problem: check() throws it again below, to the caller.)
    config.error = errorMessage(e);
    report = loaded.check(null, asOf);
  }
  const t2 = performance.now();
  let score: PostureScore | null = null;
  try {
    score = loaded.score() as PostureScore;
  } catch {
    score = null;
  }
  findings = report.findings;
  const rulesFound = report.coverage.filter((c) => c.findings > 0).map((c) => ({ ruleId: c.ruleId, ruleName: c.ruleName }));
  const result: Analysed = {
    report: { ...report, findings: [] },
    rulesFound,
    score,
    loadErrors: loaded.loadErrors(),
    config,
    source: exp.source,
    files: exp.files,
    bytes: exp.bytes,
    millis: { parse: exp.parseMillis, check: t2 - t1 },
    formats: FORMATS,
  };
  post({ type: "analysed", id, result });
}

function need(): Analysis {
  if (!analysis) throw new Error("no export has been analysed yet");
  return analysis;
}

function handle(req: Request) {
  try {
    switch (req.type) {
      case "analyze":
        analyze(req.id, req.files, req.source);
        return;
      case "example":
        analyze(req.id, exampleFiles(), "the Contoso example tenant");
        return;
      case "recheck":
        if (!current) throw new Error("no export has been analysed yet");
        check(req.id, need(), current, req.asOf);
        return;
      case "explore":
        post({ type: "reply", id: req.id, value: need().explore(req.kind, req.entity, undefined, undefined) });
        return;
      case "findingGraph":
        post({ type: "reply", id: req.id, value: need().findingGraph(req.fingerprint) });
        return;
      case "search":
        post({ type: "reply", id: req.id, value: need().search(req.query, req.kind || undefined, 60) });
        return;
      case "findings":
        need();
        post({ type: "reply", id: req.id, value: queryFindings(findings, req.query) });
        return;
      case "render":
        post({ type: "reply", id: req.id, value: need().render(req.format as Format) });
        return;
    }
  } catch (e) {
    post({ type: "error", id: req.id, message: errorMessage(e) });
  }
}

const queue: Request[] = [];
let ready = false;
self.onmessage = (event: MessageEvent<Request>) => {
  if (ready) handle(event.data);
  else queue.push(event.data);
};

init({ module_or_path: wasmUrl })
  .then(() => {
    ready = true;
    post({ type: "ready", version: version(), rules: listRules(), formats: FORMATS });
    for (const req of queue.splice(0)) handle(req);
  })
  .catch((e: unknown) => post({ type: "failed", message: `The analyser could not start: ${errorMessage(e)}` }));
