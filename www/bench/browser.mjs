// Measures the browser app on an export folder — by default the synthetic tier M
// (`cargo xtask synth --tier M --seed 7 --out target/synth/M-7`) — beside the native core on
// the same files. A measurement, not a test: it prints the figures and writes them to
// www/test-results/bench-browser.json.
//
// Run after `cargo xtask web` (and, for the native figures,
// `cargo build --release -p grantscope-synth --example pipeline`):
//   npm run bench:browser -- [DIR]
//
// Browser: headless Chromium (Debian's /usr/bin/chromium) on the built site, the folder given to
// the folder input as a user would; the time from choosing the folder to the results on screen,
// the worker's parse and rule times, and the longest main-thread task meanwhile
// (PerformanceObserver "longtask"). Native: the pipeline example (one thread, as the module runs).

import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { CHROMIUM_ARGS, serve } from "../tests/support.mjs";

const www = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const root = path.resolve(www, "..");
const dist = path.join(www, "dist");
const dir = path.resolve(process.argv[2] ?? path.join(root, "target/synth/M-7"));

function walk(d) {
  return fs
    .readdirSync(d, { withFileTypes: true })
    .filter((e) => !e.name.startsWith("."))
    .flatMap((e) => (e.isDirectory() ? walk(path.join(d, e.name)) : [path.join(d, e.name)]));
}

if (!fs.existsSync(path.join(dist, "index.html"))) {
  console.error("www/dist is missing: run `cargo xtask web` first");
  process.exit(2);
}
if (!fs.existsSync(dir)) {
  console.error(`${dir} does not exist: make it with \`cargo xtask synth --tier M --seed 7 --out ${path.relative(root, dir)}\``);
  process.exit(2);
}
const files = walk(dir);
const bytes = files.reduce((n, f) => n + fs.statSync(f).size, 0);
const figures = { dir: path.relative(root, dir) || dir, files: files.length, megabytes: Math.round(bytes / 1e5) / 10, browser: {}, native: null };

const server = await serve(root, dist);
const browser = await chromium.launch({ executablePath: process.env.CHROMIUM ?? "/usr/bin/chromium", args: CHROMIUM_ARGS });
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.addInitScript(() => {
    window.__longTasks = [];
    // When the input's files arrive (Chromium fills the FileList of a folder on this thread).
    document.addEventListener("change", () => (window.__changedAt = performance.now()), { capture: true });
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longTasks.push({ start: e.startTime, duration: e.duration });
    }).observe({ type: "longtask", buffered: true });
  });
  await page.goto(server.url);
  await page.waitForFunction(() => document.documentElement.dataset.ready === "true", null, { timeout: 60_000 });
  const t0 = await page.evaluate(() => performance.now());
  const started = Date.now();
  await page.setInputFiles("#folder-input", dir);
  await page.waitForFunction(() => document.documentElement.dataset.state === "analysed" || !document.getElementById("error").hidden, null, {
    timeout: 30 * 60_000,
    polling: 250,
  });
  const wall = Date.now() - started;
  const error = await page.evaluate(() => (document.getElementById("error").hidden ? null : document.getElementById("error").textContent));
  if (error) throw new Error(`the page refused or failed: ${error}`);
  const t1 = await page.evaluate(() => performance.now());
  const tasks = await page.evaluate(([a, b]) => window.__longTasks.filter((t) => t.start + t.duration >= a && t.start <= b), [t0, t1]);
  const arrived = await page.evaluate(() => window.__changedAt);
  const worker = await page.evaluate(() => {
    const m = /(\d+) ms \(parsing (\d+) ms, rules (\d+) ms\)/.exec(document.getElementById("panel-summary").textContent);
    return m ? { total: Number(m[1]), parse: Number(m[2]), rules: Number(m[3]) } : null;
  });
  figures.browser = {
    wallMillis: wall,
    workerMillis: worker,
    findings: Number((await page.textContent("#total-findings")).replace(/,/g, "")),
    longestMainThreadTaskMillis: Math.round(Math.max(0, ...tasks.map((t) => t.duration))),
    // Main-thread tasks over 50 ms: when (ms after the folder was chosen) and how long.
    longTasks: tasks.map((t) => ({ at: Math.round(t.start - t0), millis: Math.round(t.duration) })),
    // When the page got the files (the input's change event), ms after the folder was chosen:
    // before it, Chromium fills the folder input's FileList on the main thread itself.
    filesArrivedAt: Math.round(arrived - t0),
    // The longest stretch of a main-thread task after the page got the files: what the page's
    // own code (reading, handing over, drawing the results) blocks.
    longestTaskAfterFilesArrivedMillis: Math.round(Math.max(0, ...tasks.map((t) => Math.min(t.duration, t.start + t.duration - arrived)))),
    failedFiles: await page.locator("#load-errors li").count(),
  };
} finally {
  await browser.close();
  server.child.kill();
}

const pipeline = path.join(process.env.CARGO_TARGET_DIR ?? path.join(root, "target"), "release/examples/pipeline");
if (fs.existsSync(pipeline)) {
  const out = spawnSync(pipeline, [dir], { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  const stage = (name) => {
    const m = new RegExp(`^${name}\\s+([\\d.]+) s wall`, "m").exec(out.stdout + out.stderr);
    return m ? Math.round(Number(m[1]) * 1000) : null;
  };
  const findings = /(\d+) findings/.exec(out.stdout + out.stderr);
  figures.native = { loadMillis: stage("load"), checkMillis: stage("check"), pipelineMillis: stage("pipeline"), findings: findings ? Number(findings[1]) : null };
  if (figures.browser.workerMillis && figures.native.pipelineMillis) {
    figures.browserOverNative = Math.round((figures.browser.workerMillis.total / figures.native.pipelineMillis) * 100) / 100;
  }
} else {
  console.error(`(no native figures: build ${path.relative(root, pipeline)} with \`cargo build --release -p grantscope-synth --example pipeline\`)`);
}

fs.mkdirSync(path.join(www, "test-results"), { recursive: true });
fs.writeFileSync(path.join(www, "test-results/bench-browser.json"), `${JSON.stringify(figures, null, 2)}\n`);
console.log(JSON.stringify(figures, null, 2));
