// Loads an HTML file in headless Chromium (driven by playwright-core from www/node_modules) and
// prints, as one JSON object, what a hostile name could have made the page do: the title and a
// global the payloads set, dialogs opened, every request, elements that run or load something,
// event-handler attributes, links that leave the page, and the page's text.
//
//   node tests/cli/html_probe.mjs FILE.html CHROMIUM [--bypass-csp]
//
// With --bypass-csp the page's Content-Security-Policy is ignored, so the test checks the
// escaping itself, not only the policy that backs it up. Used by tests/cli/output_safety.rs.
import { createRequire } from "node:module";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

const [file, executablePath, ...flags] = process.argv.slice(2);
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "../..");
const require = createRequire(path.join(root, "www/package.json"));
const { chromium } = require("playwright-core");

// A fresh profile (the --user-data-dir), removed afterwards.
const profile = fs.mkdtempSync(path.join(os.tmpdir(), "grantscope-probe-"));
const context = await chromium.launchPersistentContext(profile, {
  executablePath,
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
  bypassCSP: flags.includes("--bypass-csp"),
  serviceWorkers: "block",
});
try {
  const requests = [];
  const dialogs = [];
  const errors = [];
  context.on("request", (r) => requests.push(r.url()));
  const page = await context.newPage();
  page.on("dialog", async (d) => {
    dialogs.push(`${d.type()}: ${d.message()}`);
    await d.dismiss();
  });
  page.on("pageerror", (e) => errors.push(e.message));
  const url = pathToFileURL(path.resolve(file)).href;
  await page.goto(url, { waitUntil: "load" });
  // Give timers, lazy loads and error handlers a moment to fire.
  await page.waitForTimeout(500);
  const dom = await page.evaluate(() => {
    const count = (selector) => document.querySelectorAll(selector).length;
    const handlers = [];
    const outside = [];
    for (const el of document.querySelectorAll("*")) {
      for (const attr of el.attributes) {
        const name = attr.name.toLowerCase();
        if (name.startsWith("on")) handlers.push(`<${el.localName} ${name}>`);
        if (["href", "src", "xlink:href", "action", "formaction", "poster", "data", "srcset"].includes(name)) {
          if (!attr.value.startsWith("#")) outside.push(`<${el.localName} ${name}="${attr.value}">`);
        }
      }
    }
    return {
      title: document.title,
      pwned: typeof window.pwned !== "undefined",
      elements: {
        script: count("script"),
        img: count("img"),
        svg: count("svg"),
        iframe: count("iframe"),
        object: count("object"),
        embed: count("embed"),
        link: count("link"),
        meta: count("meta"),
        base: count("base"),
        form: count("form"),
        style: count("style"),
        testcase: count("testcase"),
      },
      handlers,
      outside,
      text: document.body ? document.body.innerText : "",
    };
  });
  process.stdout.write(JSON.stringify({ url, requests, dialogs, errors, ...dom }));
} finally {
  await context.close();
  fs.rmSync(profile, { recursive: true, force: true });
}
