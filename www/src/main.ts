// The page: intake (drop zone, pickers, example), progress, and the three result views. All
// analysis happens in the worker; this thread only reads files and draws.
import "./style.css";
import { byId, h, plural } from "./dom";
import { describe, fromDrop, fromInput, normalise, read, refusal, sizes, type Picked } from "./files";
import { FindingsView } from "./findings";
import { GraphView } from "./graph";
import { FORMATS } from "./labels";
import type { Analysed, GraphNode, Neighbourhood, Request, Response, RuleInfo, Stage } from "./protocol";
import type { FindingsPage } from "./query";
import { renderSummary } from "./summary";

type Pending = { resolve: (v: unknown) => void; reject: (e: Error) => void };

const worker = new Worker(new URL("./worker.ts", import.meta.url), { type: "module" });
const pending = new Map<number, Pending>();
let nextId = 1;
let rules: RuleInfo[] = [];
let current: Analysed | null = null;
let analysing = 0;

const el = {
  version: byId("version"),
  dropzone: byId("dropzone"),
  fileInput: byId<HTMLInputElement>("file-input"),
  folderInput: byId<HTMLInputElement>("folder-input"),
  example: byId<HTMLButtonElement>("example"),
  progress: byId("progress"),
  progressLabel: byId("progress-label"),
  progressBar: byId<HTMLProgressElement>("progress-bar"),
  error: byId("error"),
  results: byId("results"),
  downloads: byId("download-buttons"),
  summary: byId("panel-summary"),
  findingsPanel: byId("panel-findings"),
  graphPanel: byId("panel-graph"),
};

function request<T>(req: Omit<Request, "id"> & { type: Request["type"] }): Promise<T> {
  const id = nextId++;
  return new Promise<T>((resolve, reject) => {
    pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
    worker.postMessage({ ...req, id } as Request);
  });
}

const graph = new GraphView(el.graphPanel, {
  search: (query, k) => request<GraphNode[]>({ type: "search", query, kind: k } as Request),
  explore: (k, entity) => request<Neighbourhood>({ type: "explore", kind: k, entity } as Request),
});

const findings = new FindingsView(el.findingsPanel, {
  query: (query) => request<FindingsPage>({ type: "findings", query } as Request),
  openGraph: async (f) => {
    try {
      const view = await request<Neighbourhood>({ type: "findingGraph", fingerprint: f.fingerprint } as Request);
      selectTab("graph");
      graph.draw(view, `${f.ruleId}: ${f.message}`);
    } catch (e) {
      showError((e as Error).message);
    }
  },
  openEntity: async (e) => {
    selectTab("graph");
    try {
      await graph.explore(e.kind, e.id);
    } catch (err) {
      showError((err as Error).message);
    }
  },
});

// --- tabs ------------------------------------------------------------------------------------

const TABS = ["summary", "findings", "graph"] as const;
type Tab = (typeof TABS)[number];

function selectTab(tab: Tab, focus = false) {
  for (const t of TABS) {
    const button = byId(`tab-${t}`);
    const panel = byId(`panel-${t}`);
    const on = t === tab;
    button.setAttribute("aria-selected", String(on));
    button.tabIndex = on ? 0 : -1;
    panel.hidden = !on;
    panel.tabIndex = on ? 0 : -1;
    if (on && focus) button.focus();
  }
  if (tab === "graph") graph.shown();
}

for (const t of TABS) {
  const button = byId(`tab-${t}`);
  button.addEventListener("click", () => selectTab(t));
  button.addEventListener("keydown", (e) => {
    const i = TABS.indexOf(t);
    let next: number | null = null;
    if (e.key === "ArrowRight") next = (i + 1) % TABS.length;
    if (e.key === "ArrowLeft") next = (i + TABS.length - 1) % TABS.length;
    if (e.key === "Home") next = 0;
    if (e.key === "End") next = TABS.length - 1;
    if (next !== null) {
      e.preventDefault();
      selectTab(TABS[next], true);
    }
  });
}

// --- progress and errors ---------------------------------------------------------------------

const STAGES: Stage[] = ["reading", "parsing", "analysing"];

function progress(stage: Stage, detail: string) {
  el.progress.hidden = false;
  el.progressLabel.textContent = detail;
  el.progressBar.value = STAGES.indexOf(stage) + 0.5;
  for (const li of Array.from(el.progress.querySelectorAll("li"))) {
    const i = STAGES.indexOf(li.getAttribute("data-stage") as Stage);
    li.className = i < STAGES.indexOf(stage) ? "done" : i === STAGES.indexOf(stage) ? "active" : "";
  }
}

function showError(message: string) {
  el.error.hidden = false;
  el.error.replaceChildren(h("strong", {}, "Could not analyse the export. "), message);
}

function busy(on: boolean) {
  el.example.disabled = on || !rules.length;
  el.fileInput.disabled = on;
  el.folderInput.disabled = on;
  el.dropzone.classList.toggle("busy", on);
  document.documentElement.dataset.state = on ? "analysing" : current ? "analysed" : "idle";
}

// --- analysis --------------------------------------------------------------------------------

async function analyse(run: (id: number) => void) {
  const id = nextId++;
  analysing = id;
  el.error.hidden = true;
  busy(true);
  try {
    const result = await new Promise<Analysed>((resolve, reject) => {
      pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      run(id);
    });
    if (analysing !== id) return;
    show(result);
  } catch (e) {
    showError((e as Error).message);
  } finally {
    if (analysing === id) {
      el.progress.hidden = true;
      busy(false);
    }
  }
}

async function analysePicked(picked: Picked[]) {
  const files = normalise(picked);
  if (!files.length) {
    showError("No files were found in what was dropped.");
    return;
  }
  // Before a byte is read: a drop of hundreds of megabytes must not take the tab down.
  const refused = refusal(files, await sizes(files));
  if (refused) {
    showError(refused);
    return;
  }
  const source = describe(picked);
  await analyse(async (id) => {
    progress("reading", `Reading ${plural(files.length, "file")}…`);
    try {
      const contents = await read(files, (done, total) => {
        if (done % 20 === 0 || done === total) progress("reading", `Reading files: ${done} of ${total}…`);
      });
      worker.postMessage({ type: "analyze", id, files: contents, source } as Request, contents.map((f) => f.bytes as ArrayBuffer));
    } catch (e) {
      pending.get(id)?.reject(new Error(`A file could not be read: ${(e as Error).message}`));
      pending.delete(id);
    }
  });
}

function show(result: Analysed) {
  current = result;
  graph.reset();
  const { report } = result;
  renderSummary(
    el.summary,
    result,
    rules,
    (severity) => {
      findings.only({ severity });
      selectTab("findings", true);
    },
    (category) => {
      findings.only({ category });
      selectTab("findings", true);
    },
    (asOf) => {
      void analyse((id) => {
        progress("analysing", `Running the rules as of ${asOf}…`);
        worker.postMessage({ type: "recheck", id, asOf } as Request);
      });
    },
  );
  findings.show(result.rulesFound, rules);
  byId("tab-findings").textContent = `Findings (${report.summary.total.toLocaleString("en")})`;
  el.downloads.replaceChildren(
    ...result.formats.map((f) =>
      h("button", { type: "button", class: "button small", "data-format": f, onclick: () => void download(f) }, FORMATS[f]?.label ?? f),
    ),
  );
  el.results.hidden = false;
  selectTab("summary");
  byId("results-title").textContent = `Results for ${result.source}`;
  document.documentElement.dataset.state = "analysed";
  byId("results-title").scrollIntoView({ block: "start" });
}

async function download(format: string) {
  if (!current) return;
  try {
    const text = await request<string>({ type: "render", format } as Request);
    const meta = FORMATS[format] ?? { ext: format, mime: "text/plain" };
    const url = URL.createObjectURL(new Blob([text], { type: `${meta.mime};charset=utf-8` }));
    const a = h("a", { href: url, download: `grantscope-report-${current.report.asOf}.${meta.ext}` });
    document.body.appendChild(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10_000);
  } catch (e) {
    showError((e as Error).message);
  }
}

// --- the worker ------------------------------------------------------------------------------

worker.onmessage = (event: MessageEvent<Response>) => {
  const msg = event.data;
  switch (msg.type) {
    case "ready":
      rules = msg.rules;
      el.version.textContent = `grantscope ${msg.version} · ${plural(rules.length, "rule")} · runs offline in this page`;
      el.example.disabled = false;
      document.documentElement.dataset.ready = "true";
      break;
    case "failed":
      el.version.textContent = msg.message;
      showError(msg.message);
      document.documentElement.dataset.ready = "failed";
      break;
    case "progress":
      if (msg.id === analysing) progress(msg.stage, msg.detail);
      break;
    case "analysed":
    case "reply": {
      const p = pending.get(msg.id);
      pending.delete(msg.id);
      p?.resolve(msg.type === "analysed" ? msg.result : msg.value);
      break;
    }
    case "error": {
      const p = pending.get(msg.id);
      pending.delete(msg.id);
      p?.reject(new Error(msg.message));
      break;
    }
  }
};
worker.onerror = (e) => {
  const message = `The analyser stopped: ${e.message || "unknown error"}`;
  showError(message);
  for (const [id, p] of pending) {
    p.reject(new Error(message));
    pending.delete(id);
  }
};

// --- intake ----------------------------------------------------------------------------------

el.fileInput.addEventListener("change", () => {
  const list = el.fileInput.files;
  if (list?.length) void analysePicked(fromInput(list));
  el.fileInput.value = "";
});
el.folderInput.addEventListener("change", () => {
  const list = el.folderInput.files;
  if (list?.length) void analysePicked(fromInput(list));
  el.folderInput.value = "";
});
el.example.addEventListener("click", () => {
  void analyse((id) => {
    progress("parsing", "Loading the example tenant…");
    worker.postMessage({ type: "example", id } as Request);
  });
});

for (const type of ["dragenter", "dragover"]) {
  el.dropzone.addEventListener(type, (e) => {
    e.preventDefault();
    el.dropzone.classList.add("over");
  });
}
el.dropzone.addEventListener("dragleave", () => el.dropzone.classList.remove("over"));
el.dropzone.addEventListener("drop", (e) => {
  e.preventDefault();
  el.dropzone.classList.remove("over");
  const data = (e as DragEvent).dataTransfer;
  if (!data) return;
  const picking = fromDrop(data);
  void picking.then(analysePicked, (err: Error) => showError(`The drop could not be read: ${err.message}`));
});
// A drop anywhere else must not navigate away from the page (and its results).
window.addEventListener("dragover", (e) => e.preventDefault());
window.addEventListener("drop", (e) => e.preventDefault());
