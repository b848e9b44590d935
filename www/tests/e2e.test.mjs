// End-to-end tests of the browser app in headless Chromium (Debian's /usr/bin/chromium, driven by
// playwright-core), against the built site (`cargo xtask web`) served by `cargo xtask serve`.
//
// The auditor's journey: load the page; give it the contoso folder through the folder input and
// see the CLI's finding counts; filter and open a finding; open its graph; download SARIF and
// validate it; load a zip; load a malformed file and see its error while the rest loads. Every
// request of the whole run is recorded: none may leave the page's origin, none may happen after
// the page has loaded. Figures (wasm size, analysis times, longest main-thread task while a
// 10,000-user tenant is analysed) are printed and written to www/test-results/figures.json.
//
// Run: `npm run test:e2e` in www/ (scripts/test.sh does, after `cargo xtask web`).

import { after, before, describe, it } from "node:test";
import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import zlib from "node:zlib";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, serve, syntheticTenant, zip } from "./support.mjs";

const here = path.dirname(fileURLToPath(import.meta.url));
const www = path.resolve(here, "..");
const root = path.resolve(www, "..");
const contoso = path.join(root, "fixtures/tenants/contoso");
const malformed = path.join(root, "fixtures/malformed/json/truncated.json");
const dist = path.join(www, "dist");
const scratch = fs.mkdtempSync(path.join(os.tmpdir(), "grantscope-e2e-"));
const results = path.join(www, "test-results");

/**
 * The budget of the issue (≤ 500 KB gzipped: not met, see README, Browser app), and the guard
 * this test enforces against growth: the size measured on main (659,525 bytes, after the
 * serde_path_to_error, TOML-deserialiser and chrono-format cuts) plus under 1%.
 */
const WASM_BUDGET_GZ = 500_000;
const WASM_GUARD_GZ = 666_000;
const LONG_TASK_LIMIT_MS = 200;

const figures = {};

/** `grantscope check ARGS --format json` through cargo (exit 1 = findings, 2 = a file failed). */
function cli(...args) {
  const bin = process.env.GRANTSCOPE_BIN;
  const [command, argv] = bin ? [bin, args] : ["cargo", ["run", "--quiet", "--package", "grantscope-cli", "--bin", "grantscope", "--", ...args]];
  const out = spawnSync(command, [...argv, "--format", "json"], { cwd: root, encoding: "utf8", maxBuffer: 256 * 1024 * 1024 });
  assert.ok([0, 1, 2].includes(out.status), `grantscope ${args.join(" ")} failed (${out.status}):\n${out.stderr}`);
  return { report: JSON.parse(out.stdout), text: out.stdout };
}

function listFiles(dir) {
  return fs
    .readdirSync(dir, { withFileTypes: true })
    .flatMap((e) => (e.isDirectory() ? listFiles(path.join(dir, e.name)) : [path.join(dir, e.name)]))
    .sort();
}

describe("the browser app", () => {
  let server;
  let browser;
  let context;
  let page;
  let origin;
  const requests = [];
  const problems = [];
  let loaded = false;

  async function analysed(timeout = 120_000) {
    await page.waitForFunction(() => document.documentElement.dataset.state === "analysed", null, { timeout });
  }

  async function startAnalysis(action) {
    await page.evaluate(() => {
      document.documentElement.dataset.state = "waiting";
    });
    await action();
    await analysed();
  }

  /** The counts the page shows: total and per severity. */
  async function shownCounts() {
    return page.evaluate(() => {
      const bySeverity = {};
      for (const card of document.querySelectorAll("[data-severity]")) {
        const n = Number(card.querySelector(".count").textContent.replace(/,/g, ""));
        if (n) bySeverity[card.getAttribute("data-severity")] = n;
      }
      return { total: Number(document.getElementById("total-findings").textContent.replace(/,/g, "")), bySeverity };
    });
  }

  async function downloadText(format) {
    const [download] = await Promise.all([page.waitForEvent("download"), page.click(`#download-buttons [data-format="${format}"]`)]);
    const file = path.join(scratch, download.suggestedFilename());
    await download.saveAs(file);
    return { file, text: fs.readFileSync(file, "utf8") };
  }

  before(async () => {
    assert.ok(fs.existsSync(path.join(dist, "index.html")), "www/dist is missing: run `cargo xtask web` first");
    server = await serve(root, dist);
    origin = new URL(server.url).origin;
    browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
    context = await browser.newContext({ viewport: { width: 1280, height: 800 }, acceptDownloads: true, serviceWorkers: "block" });
    // Every request of every page and worker in the context, for the whole run.
    context.on("request", (r) => requests.push({ url: r.url(), afterLoad: loaded }));
    page = await context.newPage();
    page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
    page.on("console", (m) => {
      if (m.type() === "error") problems.push(`console error: ${m.text()}`);
    });
    page.on("dialog", (d) => {
      problems.push(`a dialog opened (script injection?): ${d.message()}`);
      void d.dismiss();
    });
    // Long main-thread tasks, observed from before the page's own scripts run.
    await page.addInitScript(() => {
      window.__longTasks = [];
      new PerformanceObserver((list) => {
        for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
      }).observe({ type: "longtask", buffered: true });
    });
  });

  after(async () => {
    fs.mkdirSync(results, { recursive: true });
    fs.writeFileSync(path.join(results, "figures.json"), `${JSON.stringify(figures, null, 2)}\n`);
    console.log("figures:", JSON.stringify(figures, null, 2));
    await browser?.close();
    server?.child.kill();
    fs.rmSync(scratch, { recursive: true, force: true });
  });

  it("loads, with a content security policy, and reports the analyser ready", async () => {
    await page.goto(server.url);
    await page.waitForFunction(() => document.documentElement.dataset.ready === "true", null, { timeout: 60_000 });
    await page.waitForLoadState("networkidle");
    loaded = true;
    const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', "content");
    assert.match(csp, /default-src 'self'/);
    assert.match(csp, /connect-src 'self'/);
    assert.match(csp, /script-src 'self' 'wasm-unsafe-eval'/);
    assert.match(await page.textContent("#version"), /grantscope \d+\.\d+\.\d+ · \d+ rules/);
    assert.ok(requests.length > 0);
  });

  it("measures the wasm module", () => {
    const wasm = fs.readdirSync(path.join(dist, "assets")).filter((f) => f.endsWith(".wasm"));
    assert.equal(wasm.length, 1, `one wasm module in dist/assets: ${wasm}`);
    const bytes = fs.readFileSync(path.join(dist, "assets", wasm[0]));
    const gz = zlib.gzipSync(bytes, { level: 9 }).length;
    figures.wasmBytes = bytes.length;
    figures.wasmGzipBytes = gz;
    figures.wasmWithinBudget = gz <= WASM_BUDGET_GZ;
    const scripts = fs.readdirSync(path.join(dist, "assets")).filter((f) => f.endsWith(".js"));
    figures.scriptGzipBytes = Object.fromEntries(scripts.map((f) => [f.replace(/-[\w-]{8}\.js$/, ".js"), zlib.gzipSync(fs.readFileSync(path.join(dist, "assets", f)), { level: 9 }).length]));
    assert.ok(gz <= WASM_GUARD_GZ, `the wasm module grew to ${gz} bytes gzipped`);
  });

  it("analyses the contoso folder from the folder input with the CLI's counts", async () => {
    const expected = cli("check", "fixtures/tenants/contoso");
    const started = Date.now();
    await startAnalysis(() => page.setInputFiles("#folder-input", contoso));
    figures.contosoWallMillis = Date.now() - started;
    const shown = await shownCounts();
    assert.equal(shown.total, expected.report.summary.total);
    assert.deepEqual(shown.bySeverity, expected.report.summary.bySeverity);
    assert.equal(await page.textContent("#tab-findings"), `Findings (${expected.report.summary.total})`);
    figures.contosoFindings = shown.total;
    // The report the page holds is the CLI's, byte for byte (same names, same as-of from the
    // folder's grantscope.toml).
    const json = await downloadText("json");
    assert.equal(json.text, expected.text);
    // A guest named `<script>alert(1)</script>` is shown as text in the explorer (and no dialog
    // opens: `problems` would say so).
    await page.click("#tab-graph");
    await page.fill("#graph-query", "<script>");
    await page.waitForSelector("#graph-results button");
    assert.match(await page.textContent("#graph-results"), /<script>alert\(1\)<\/script>/);
    await page.click("#graph-results button");
    await page.waitForFunction(() => document.getElementById("graph-title").textContent.startsWith("User: <script>"));
    assert.equal(await page.locator("main script").count(), 0);
    await page.fill("#graph-query", "");
  });

  it("filters the findings and opens one, then its graph", async () => {
    const expected = cli("check", "fixtures/tenants/contoso").report;
    await page.click("#tab-findings");
    await page.selectOption("#filter-severity", "critical");
    const critical = expected.findings.filter((f) => f.severity === "critical");
    await page.waitForFunction((n) => document.querySelectorAll("#findings-table tbody tr[data-fingerprint]").length === n, critical.length);
    assert.match(await page.textContent("#findings-status"), new RegExp(`^${critical.length} findings? of ${expected.summary.total} match`));
    // Grouped by rule: one group row per rule.
    await page.check("#group-by-rule");
    const rules = new Set(critical.map((f) => f.ruleId));
    // The table is redrawn when the worker answers: wait for the group rows, then count them.
    await page.waitForSelector("#findings-table tr.group-row");
    assert.equal(await page.locator("#findings-table tr.group-row").count(), rules.size);
    await page.uncheck("#group-by-rule");
    await page.waitForFunction(() => !document.querySelector("#findings-table tr.group-row"));
    // Sorting by rule puts the smallest rule id first.
    await page.click('#findings-table thead button:has-text("Rule")');
    assert.equal(await page.getAttribute('#findings-table thead th:has(button:has-text("Rule"))', "aria-sort"), "ascending");
    const first = [...critical].sort((a, b) => a.ruleId.localeCompare(b.ruleId))[0];
    // Open it with the keyboard.
    const open = page.locator("#findings-table tbody tr[data-fingerprint] button.finding-open").first();
    await open.focus();
    await page.keyboard.press("Enter");
    await page.waitForSelector("#detail-title");
    const fingerprint = await page.getAttribute("#findings-table tbody tr.selected", "data-fingerprint");
    const finding = expected.findings.find((f) => f.fingerprint === fingerprint);
    assert.ok(finding, "the selected row is a finding of the CLI's report");
    assert.equal(finding.ruleId, first.ruleId);
    assert.equal(await page.textContent("#detail-title"), finding.message);
    const detail = await page.textContent("#finding-detail");
    assert.ok(detail.includes(finding.remediation));
    assert.ok(detail.includes(finding.fingerprint));
    // Its graph: the proof highlighted, the subject and related entities in it.
    await page.click("#open-finding-graph");
    await page.waitForSelector("#graph-edges tbody tr");
    assert.equal(await page.getAttribute("#tab-graph", "aria-selected"), "true");
    assert.ok((await page.locator("#graph-edges tr.path").count()) > 0, "the proving path is highlighted");
    assert.ok(await page.locator("#graph-canvas canvas").count(), "cytoscape drew the graph");
    const table = await page.textContent("#graph-edges");
    for (const e of [finding.subject, ...finding.related].filter((e) => ["user", "group", "accessPackage", "assignmentPolicy", "resource"].includes(e.kind))) {
      assert.ok(table.includes(e.displayName ?? e.id), `${e.kind} ${e.displayName ?? e.id} is in the graph`);
    }
    // Pick a package in the explorer: its policies and holders appear.
    const pkg = expected.findings.flatMap((f) => [f.subject, ...f.related]).find((e) => e.kind === "accessPackage");
    await page.selectOption("#graph-kind", "accessPackage");
    await page.fill("#graph-query", pkg.displayName);
    await page.click(`#graph-results button:has-text(${JSON.stringify(pkg.displayName)})`);
    await page.waitForFunction((name) => document.getElementById("graph-title").textContent === `Access package: ${name}`, pkg.displayName);
    assert.match(await page.textContent("#graph-edges"), /policy of/);
    await page.click("#tab-findings");
    await page.selectOption("#filter-severity", "");
  });

  it("downloads SARIF made in the browser, which the SARIF validator accepts", async () => {
    const expected = cli("check", "fixtures/tenants/contoso").report;
    const { file, text } = await downloadText("sarif");
    const sarif = JSON.parse(text);
    assert.equal(sarif.version, "2.1.0");
    assert.equal(sarif.runs[0].tool.driver.name, "grantscope");
    assert.equal(sarif.runs[0].results.length, expected.summary.total);
    for (const r of sarif.runs[0].results) {
      assert.ok(r.ruleId && r.message?.text, "every result has a rule and a message");
      assert.ok(r.locations?.[0]?.physicalLocation?.artifactLocation?.uri, "every result has a file");
    }
    const validator = sarifMultitool();
    if (validator) {
      const log = `${file}.validation.sarif`;
      const out = spawnSync(validator, ["validate", file, "--rule-kind", "Sarif;Gh", "--log", "ForceOverwrite", "--output", log], { encoding: "utf8" });
      assert.equal(out.status, 0, out.stdout + out.stderr);
      const validation = JSON.parse(fs.readFileSync(log, "utf8"));
      const bad = validation.runs[0].results.filter((r) => (r.level ?? "warning") !== "note");
      assert.deepEqual(bad.map((r) => `${r.ruleId}: ${r.message?.text ?? JSON.stringify(r.message)}`), []);
      figures.sarifValidatedBy = "sarif-multitool";
    } else {
      figures.sarifValidatedBy = "required fields only (tests/tools is not installed)";
    }
    // The other downloads are made too.
    const csv = await downloadText("csv");
    assert.equal(csv.text.trim().split("\n").length >= expected.summary.total + 1, true);
    const md = await downloadText("markdown");
    assert.match(md.text, /grantscope/);
    // The posture report: one self-contained page, as `grantscope report` writes it.
    const html = await downloadText("html");
    assert.match(html.text, /^<!doctype html>/i);
    assert.ok(!/<script/i.test(html.text), "the HTML report runs no script");
    assert.match(html.text, /Vendor Master Data/);
    assert.match(await page.textContent("#posture-score"), /Posture score \d+ \/ 100/);
  });

  it("runs the rules again on another date, as `grantscope check --as-of` does", async () => {
    // contoso is still loaded; its grantscope.toml says as-of 2026-11-01.
    const before = cli("check", "fixtures/tenants/contoso");
    const expected = cli("check", "fixtures/tenants/contoso", "--as-of", "2027-06-01");
    assert.notEqual(expected.report.summary.total, before.report.summary.total, "on contoso the date changes the findings");
    await page.click("#tab-summary");
    assert.equal(await page.inputValue("#as-of"), before.report.asOf);
    await page.fill("#as-of", "2027-06-01");
    await startAnalysis(() => page.click('#as-of-form button[type="submit"]'));
    const shown = await shownCounts();
    assert.equal(shown.total, expected.report.summary.total);
    assert.deepEqual(shown.bySeverity, expected.report.summary.bySeverity);
    assert.equal(await page.inputValue("#as-of"), "2027-06-01");
    assert.equal(await page.textContent("#tab-findings"), `Findings (${expected.report.summary.total})`);
    // The downloads follow the new date: the JSON report is the CLI's, byte for byte.
    const json = await downloadText("json");
    assert.equal(json.text, expected.text);
  });

  it("analyses a zip of the export", async () => {
    const archive = path.join(scratch, "contoso.zip");
    fs.writeFileSync(archive, zip(listFiles(contoso).filter((f) => !f.endsWith("grantscope.toml")).map((f) => ({ name: path.relative(contoso, f), bytes: fs.readFileSync(f) }))));
    const config = path.join(contoso, "grantscope.toml");
    const expected = cli("check", archive, "--config", config).report;
    await startAnalysis(() => page.setInputFiles("#file-input", [archive, config]));
    const shown = await shownCounts();
    assert.equal(shown.total, expected.summary.total);
    assert.deepEqual(shown.bySeverity, expected.summary.bySeverity);
    await page.click("#tab-summary");
    const expandedRow = page.locator("#panel-summary tr", { hasText: "contoso.zip" }).first();
    assert.match(await expandedRow.textContent(), /expanded/);
  });

  it("shows which file failed and why, and analyses the rest", async () => {
    const files = [...listFiles(contoso), malformed];
    const expected = cli("check", "fixtures/tenants/contoso", "fixtures/malformed/json/truncated.json");
    assert.ok(expected.report.inputs.some((f) => f.status === "failed"));
    await startAnalysis(() => page.setInputFiles("#file-input", files));
    const alert = await page.textContent("#load-errors");
    assert.match(alert, /1 file could not be read; the rest of the export was analysed/);
    assert.match(alert, /truncated\.json/);
    const failed = expected.report.inputs.find((f) => f.status === "failed");
    assert.ok(alert.includes(failed.error.message), `the CLI's message: ${failed.error.message}`);
    const shown = await shownCounts();
    assert.equal(shown.total, expected.report.summary.total);
    assert.ok(shown.total > 0);
  });

  it("keeps the page responsive while a 10,000-user tenant is analysed", async () => {
    const dir = path.join(scratch, "synthetic");
    const counts = syntheticTenant(dir, { users: 10_000 });
    figures.synthetic = counts;
    await page.click("#tab-summary");
    const t0 = await page.evaluate(() => performance.now());
    const started = Date.now();
    await startAnalysis(() => page.setInputFiles("#folder-input", dir));
    figures.synthetic.wallMillis = Date.now() - started;
    const t1 = await page.evaluate(() => performance.now());
    const tasks = await page.evaluate(([a, b]) => window.__longTasks.filter((t) => t.start + t.duration >= a && t.start <= b), [t0, t1]);
    const longest = Math.max(0, ...tasks.map((t) => t.duration));
    figures.synthetic.longestMainThreadTaskMillis = Math.round(longest);
    figures.synthetic.findings = (await shownCounts()).total;
    figures.synthetic.analysisMillis = await page.evaluate(() => {
      const m = /(\d+) ms \(parsing (\d+) ms, rules (\d+) ms\)/.exec(document.getElementById("panel-summary").textContent);
      return m ? { total: Number(m[1]), parse: Number(m[2]), rules: Number(m[3]) } : null;
    });
    assert.ok(figures.synthetic.findings > 0);
    assert.ok(longest <= LONG_TASK_LIMIT_MS, `a main-thread task took ${longest} ms during the analysis`);
    // The findings table stays usable: pages of rows, not thousands at once.
    await page.click("#tab-findings");
    assert.ok((await page.locator("#findings-table tbody tr").count()) <= 100);
  });

  it("measures the contoso analysis in the worker", async () => {
    // A second load: what it fetches counts as loading, as the first time.
    loaded = false;
    await page.goto(server.url);
    await page.waitForFunction(() => document.documentElement.dataset.ready === "true", null, { timeout: 60_000 });
    await page.waitForLoadState("networkidle");
    loaded = true;
    await startAnalysis(() => page.click("#example"));
    const expected = cli("check", "fixtures/tenants/contoso").report;
    assert.equal((await shownCounts()).total, expected.summary.total, "the bundled example is contoso");
    figures.contosoAnalysisMillis = await page.evaluate(() => {
      const m = /(\d+) ms \(parsing (\d+) ms, rules (\d+) ms\)/.exec(document.getElementById("panel-summary").textContent);
      return m ? { total: Number(m[1]), parse: Number(m[2]), rules: Number(m[3]) } : null;
    });
  });

  it("is usable in a narrow window", async () => {
    await page.setViewportSize({ width: 380, height: 800 });
    await page.click("#tab-findings");
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    assert.ok(overflow <= 1, `the page scrolls sideways by ${overflow}px`);
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  /** Drops `files` ([{ name, base64 }]) on the drop zone, as a drag from the desktop does. */
  async function drop(files) {
    await page.evaluate((files) => {
      const data = new DataTransfer();
      for (const f of files) data.items.add(new File([Uint8Array.from(atob(f.base64), (c) => c.charCodeAt(0))], f.name));
      document.getElementById("dropzone").dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
    }, files);
  }

  /** The error the page shows, once it shows one. */
  async function shownError() {
    await page.waitForFunction(() => !document.getElementById("error").hidden, null, { timeout: 60_000 });
    return page.textContent("#error");
  }

  /** The page still works: the example tenant analyses to the CLI's count. */
  async function stillUsable() {
    await startAnalysis(() => page.click("#example"));
    const expected = cli("check", "fixtures/tenants/contoso").report;
    assert.equal((await shownCounts()).total, expected.summary.total);
  }

  it("reports a zip bomb, 100,000-deep nesting and invalid UTF-8 dropped on it as the CLI does, and stays usable", async () => {
    const names = ["fixtures/malformed/zip/bomb.zip", "fixtures/malformed/json/deep-nesting.json", "fixtures/malformed/json/invalid-utf8.json"];
    const expected = cli("check", ...names, "--no-config").report;
    const failed = expected.inputs.filter((f) => f.status === "failed");
    assert.equal(failed.length, 3, "the CLI refuses all three");
    assert.ok(fs.readFileSync(path.join(root, names[1]), "utf8").startsWith("[".repeat(100_000)), "nesting 100,000 deep");
    await page.click("#tab-summary");
    await startAnalysis(() => drop(names.map((n) => ({ name: path.basename(n), base64: fs.readFileSync(path.join(root, n)).toString("base64") }))));
    const alert = await page.textContent("#load-errors");
    assert.match(alert, /3 files could not be read/);
    for (const f of failed) {
      assert.ok(alert.includes(path.basename(f.name)), `${f.name} is named`);
      assert.ok(alert.includes(f.error.message), `the CLI's message: ${f.error.message}`);
    }
    await stillUsable();
  });

  it("refuses a 520 MiB file and a 520 MiB export before reading them, and stays usable", async () => {
    // Files made in the page from one 1 MiB chunk: nothing that large is written to disk.
    const offer = (sizes) =>
      page.evaluate((sizes) => {
        const chunk = new Uint8Array(1024 * 1024).fill(0x20);
        const data = new DataTransfer();
        sizes.forEach((mib, i) => data.items.add(new File(Array.from({ length: mib }, () => chunk), `users.${i}.json`)));
        document.getElementById("dropzone").dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
      }, sizes);
    await page.evaluate(() => {
      document.documentElement.dataset.state = "waiting";
    });
    await offer([520]);
    let error = await shownError();
    assert.match(error, /users\.0\.json \(520 MiB\) is larger than the 512 MiB limit per file, so nothing was read/);
    assert.equal(await page.evaluate(() => document.documentElement.dataset.state), "waiting", "no analysis started");
    await stillUsable();
    await offer([260, 260]);
    error = await shownError();
    assert.match(error, /The export is 520 MiB in 2 files; this page analyses at most 512 MiB in all/);
    assert.match(error, /grantscope check FOLDER/);
    await stillUsable();
  });

  it("made no request outside its origin, and none after it had loaded", () => {
    const foreign = requests.filter((r) => !r.url.startsWith("blob:") && !r.url.startsWith("data:") && new URL(r.url).origin !== origin);
    assert.deepEqual(foreign, []);
    const late = requests.filter((r) => r.afterLoad && !r.url.startsWith("blob:") && !r.url.startsWith("data:"));
    assert.deepEqual(late, [], "requests after the page had loaded");
    figures.requestsPerLoad = [...new Set(requests.filter((r) => !r.afterLoad).map((r) => new URL(r.url).pathname.replace(/-[\w-]{8}\./, ".")))];
    assert.deepEqual(problems, []);
  });
});

/** The SARIF multitool of tests/tools (installed by scripts/test.sh), if present. */
function sarifMultitool() {
  const tools = path.join(root, "tests/tools");
  if (!fs.existsSync(path.join(tools, "node_modules/@microsoft/sarif-multitool"))) return null;
  const out = spawnSync("node", ["-p", "require('@microsoft/sarif-multitool')"], { cwd: tools, encoding: "utf8" });
  const bin = out.stdout.trim();
  return out.status === 0 && bin && fs.existsSync(bin) ? bin : null;
}
