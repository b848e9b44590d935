// The summary tab: counts by severity and category, what was loaded from each file, warnings,
// and the rules that could not be evaluated (never counted as passed).
import { h, plural } from "./dom";
import { CATEGORIES, SEVERITIES, category } from "./labels";
import type { Analysed, RuleInfo } from "./protocol";

const MAX_WARNINGS = 200;

type Input = Analysed["report"]["inputs"][number];

function inputDetail(f: Input): string {
  switch (f.status) {
    case "loaded":
      return `${String(f.dataset)} · ${plural(Number(f.items), "item")}${f.apiVersion ? ` · ${String(f.apiVersion)}` : ""}`;
    case "expanded":
      return `archive · ${plural(Number(f.entries), "entry", "entries")}`;
    case "skipped":
      return String(f.reason ?? "");
    case "failed": {
      const e = (f.error ?? {}) as { message?: string; line?: number; column?: number; path?: string };
      const where = e.line ? `line ${e.line}${e.column ? `, column ${e.column}` : ""}: ` : "";
      const path = e.path ? `at ${e.path}: ` : "";
      return `${where}${path}${e.message ?? "could not be read"}`;
    }
    default:
      return "";
  }
}

/**
 * The evaluation date: expiry, inactivity and review rules depend on it. Changing it runs the
 * rules again on the export already parsed (as `grantscope check --as-of DATE`).
 */
function asOfForm(asOf: string, onAsOf: (date: string) => void): HTMLElement {
  const input = h("input", { type: "date", id: "as-of", name: "as-of", value: asOf, required: true, "aria-describedby": "as-of-help" });
  const form = h(
    "form",
    { class: "as-of", id: "as-of-form", "aria-label": "Evaluation date" },
    h("label", { class: "visually-hidden", for: "as-of" }, "Evaluate as of"),
    input,
    h("button", { type: "submit", class: "button small" }, "Re-check"),
    h("span", { id: "as-of-help", class: "muted small" }, "Expiry, inactivity and review rules are judged on this date."),
  );
  form.addEventListener("submit", (e) => {
    e.preventDefault();
    if (input.value && input.value !== asOf) onAsOf(input.value);
  });
  return form;
}

export function renderSummary(
  panel: HTMLElement,
  result: Analysed,
  rules: RuleInfo[],
  onSeverity: (s: string) => void,
  onCategory: (c: string) => void,
  onAsOf: (date: string) => void,
) {
  const { report } = result;
  const s = report.summary;
  const failed = report.inputs.filter((f) => f.status === "failed");
  const notEvaluated = report.coverage.filter((c) => c.status === "notEvaluated");
  const disabled = report.coverage.filter((c) => c.status === "disabled");
  const ruleSummary = new Map(rules.map((r) => [r.id, r.summary]));

  const severityCards = h(
    "ul",
    { class: "severity-cards", "aria-label": "Findings by severity" },
    ...SEVERITIES.map((sev) => {
      const n = s.bySeverity[sev] ?? 0;
      return h(
        "li",
        {},
        h(
          "button",
          { type: "button", class: `card sev-${sev}`, "data-severity": sev, disabled: n === 0, onclick: () => onSeverity(sev), "aria-label": `${n} ${sev} findings: show them` },
          h("span", { class: "count" }, n.toLocaleString("en")),
          h("span", { class: "label" }, sev),
        ),
      );
    }),
  );

  const maxCategory = Math.max(1, ...Object.values(s.byCategory));
  const categories = h(
    "table",
    { class: "bars" },
    h("caption", {}, "Findings by category"),
    h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Category"), h("th", { scope: "col" }, "Findings"))),
    h(
      "tbody",
      {},
      ...Object.keys(CATEGORIES).map((c) => {
        const n = s.byCategory[c] ?? 0;
        const bar = h("span", { class: "bar", "aria-hidden": "true" });
        bar.style.setProperty("--share", String(n / maxCategory));
        return h(
          "tr",
          {},
          h("th", { scope: "row" }, n ? h("button", { type: "button", class: "link", onclick: () => onCategory(c) }, category(c)) : category(c)),
          h("td", {}, h("span", { class: "num" }, n.toLocaleString("en")), bar),
        );
      }),
    ),
  );

  const score = result.score;
  const scoreBlock = score
    ? h(
        "div",
        { class: "score", id: "posture-score" },
        h("span", { class: `grade grade-${score.overall.grade}`, "aria-hidden": "true" }, score.overall.grade),
        h(
          "div",
          {},
          h("div", { class: "score-title" }, `Posture score ${score.overall.score} / 100 (grade ${score.overall.grade})`),
          h("div", { class: "muted small" }, score.overall.status === "complete" ? "Every rule could run." : "Partial: some rules could not run for lack of data."),
          h(
            "ul",
            { class: "areas" },
            ...score.areas.map((a) => h("li", {}, `${a.area.replace(/-/g, " ")}: `, a.grade ? h("strong", {}, a.grade) : h("span", { class: "muted" }, "not graded"))),
          ),
        ),
      )
    : null;

  const facts = h(
    "dl",
    { class: "facts" },
    h("dt", {}, "Findings"),
    h("dd", { id: "total-findings" }, s.total.toLocaleString("en")),
    h("dt", {}, "As of"),
    h("dd", {}, asOfForm(report.asOf, onAsOf)),
    h("dt", {}, "Rules"),
    h("dd", {}, `${s.rulesEvaluated} evaluated, ${s.rulesNotEvaluated} not evaluated${s.rulesDisabled ? `, ${s.rulesDisabled} turned off` : ""}`),
    h("dt", {}, "Export"),
    h("dd", {}, `${result.source} · ${plural(report.inputs.length, "file")} · ${(result.bytes / 1024).toLocaleString("en", { maximumFractionDigits: 0 })} KB`),
    h("dt", {}, "Configuration"),
    h("dd", {}, result.config.file ? (result.config.error ? `${result.config.file} could not be used (defaults applied)` : result.config.file) : "defaults (no grantscope.toml)"),
    h("dt", {}, "Analysis time"),
    h("dd", {}, `${Math.round(result.millis.parse + result.millis.check)} ms (parsing ${Math.round(result.millis.parse)} ms, rules ${Math.round(result.millis.check)} ms)`),
  );

  const alerts: HTMLElement[] = [];
  if (failed.length) {
    alerts.push(
      h(
        "div",
        { class: "alert error-box", role: "alert", id: "load-errors" },
        h("h3", {}, `${plural(failed.length, "file")} could not be read; the rest of the export was analysed`),
        h("ul", {}, ...failed.map((f) => h("li", {}, h("strong", {}, f.name), ": ", inputDetail(f)))),
        h("p", {}, "Rules that need the data of these files may report too little. Fix the files and drop the export again."),
      ),
    );
  }
  if (result.config.error) {
    alerts.push(h("div", { class: "alert warn-box", role: "alert" }, h("h3", {}, "The configuration could not be used"), h("p", {}, result.config.error), h("p", {}, "The export was analysed with the default configuration.")));
  }

  const notEvaluatedSection = h(
    "section",
    { "aria-labelledby": "not-evaluated-title", class: "block" },
    h("h3", { id: "not-evaluated-title" }, `Not evaluated (${notEvaluated.length})`),
    notEvaluated.length
      ? h("p", { class: "muted" }, "These rules could not run for lack of data. They are not counted as passed.")
      : h("p", { class: "muted" }, "Every rule had the data it needs."),
    notEvaluated.length
      ? h(
          "table",
          { class: "plain" },
          h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "Rule"), h("th", { scope: "col" }, "Why"))),
          h(
            "tbody",
            {},
            ...notEvaluated.map((c) =>
              h("tr", {}, h("th", { scope: "row" }, h("span", { class: "rule-id" }, c.ruleId), " ", c.ruleName, h("div", { class: "muted small" }, ruleSummary.get(c.ruleId) ?? "")), h("td", {}, c.reason ?? "")),
            ),
          ),
        )
      : null,
    disabled.length ? h("p", { class: "muted" }, `Turned off in the configuration: ${disabled.map((c) => `${c.ruleId} ${c.ruleName}`).join(", ")}.`) : null,
  );

  const files = h(
    "section",
    { "aria-labelledby": "files-title", class: "block" },
    h("h3", { id: "files-title" }, `Files (${report.inputs.length})`),
    h(
      "div",
      { class: "scroll" },
      h(
        "table",
        { class: "plain files" },
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "File"), h("th", { scope: "col" }, "Status"), h("th", { scope: "col" }, "Content"))),
        h(
          "tbody",
          {},
          ...report.inputs.map((f) =>
            h("tr", { class: `status-${f.status}` }, h("th", { scope: "row", class: "filename" }, f.name), h("td", {}, h("span", { class: `pill ${f.status}` }, f.status)), h("td", {}, inputDetail(f))),
          ),
        ),
      ),
    ),
  );

  const warnings = report.warnings;
  const warningsSection = h(
    "section",
    { "aria-labelledby": "warnings-title", class: "block" },
    h("h3", { id: "warnings-title" }, `Load warnings (${warnings.length})`),
    warnings.length
      ? h(
          "ul",
          { class: "warnings" },
          ...warnings.slice(0, MAX_WARNINGS).map((w) => h("li", {}, h("span", { class: "filename" }, `${w.file}${w.line ? `:${w.line}` : ""}`), " ", h("span", { class: "muted" }, `[${w.kind}]`), " ", w.message)),
        )
      : h("p", { class: "muted" }, "None."),
    warnings.length > MAX_WARNINGS ? h("p", { class: "muted" }, `…and ${warnings.length - MAX_WARNINGS} more (all are in the JSON download).`) : null,
  );

  panel.replaceChildren(
    ...alerts,
    h("div", { class: "summary-grid" }, h("section", { class: "block", "aria-label": "Overview" }, scoreBlock, severityCards, facts), h("section", { class: "block" }, categories)),
    notEvaluatedSection,
    files,
    warningsSection,
  );
}
