// The findings tab: a sortable, filterable table (severity, category, rule, text), optionally
// grouped by rule, and a detail panel with the evidence, the remediation, the related entities
// and the rule's documentation.
import { h, markdown, plural } from "./dom";
import { CATEGORIES, GRAPH_KINDS, SEVERITIES, category, kind } from "./labels";
import type { EntityRef, Finding, RuleInfo } from "../pkg/grantscope_wasm.js";
import type { FindingsPage, FindingsQuery, SortKey } from "./query";

const PAGE = 100;

export type FindingsHooks = {
  query: (query: FindingsQuery) => Promise<FindingsPage>;
  openGraph: (finding: Finding) => void;
  openEntity: (entity: EntityRef) => void;
};

export class FindingsView {
  private rulesFound: Array<{ ruleId: string; ruleName: string }> = [];
  private seq = 0;
  private rules = new Map<string, RuleInfo>();
  private sort: { key: SortKey; dir: 1 | -1 } = { key: "severity", dir: 1 };
  private filter = { severity: "", category: "", rule: "", query: "" };
  private grouped = false;
  private shown = PAGE;
  private selected: string | null = null;
  private collapsed = new Set<string>();
  private tbody!: HTMLTableSectionElement;
  private status!: HTMLElement;
  private more!: HTMLButtonElement;
  private detail!: HTMLElement;
  private controls!: { severity: HTMLSelectElement; category: HTMLSelectElement; rule: HTMLSelectElement; query: HTMLInputElement; grouped: HTMLInputElement };
  private headers = new Map<SortKey, HTMLElement>();

  constructor(private panel: HTMLElement, private hooks: FindingsHooks) {}

  show(rulesFound: Array<{ ruleId: string; ruleName: string }>, rules: RuleInfo[]) {
    this.rulesFound = rulesFound;
    this.collapsed.clear();
    this.rules = new Map(rules.map((r) => [r.id, r]));
    this.selected = null;
    this.shown = PAGE;
    this.filter = { severity: "", category: "", rule: "", query: "" };
    this.build();
    this.update();
  }

  /** Filters to one severity or category (from the summary). */
  only(filter: { severity?: string; category?: string }) {
    this.filter.severity = filter.severity ?? "";
    this.filter.category = filter.category ?? "";
    this.controls.severity.value = this.filter.severity;
    this.controls.category.value = this.filter.category;
    this.shown = PAGE;
    this.update();
  }

  private build() {
    this.headers.clear();
    const select = (label: string, id: string, options: [string, string][], onchange: (v: string) => void) => {
      const el = h("select", { id, onchange: (e: Event) => onchange((e.target as HTMLSelectElement).value) }, h("option", { value: "" }, "All"), ...options.map(([value, text]) => h("option", { value }, text)));
      return { el, wrap: h("div", { class: "field" }, h("label", { for: id }, label), el) };
    };
    const ruleIds = this.rulesFound.map((r) => r.ruleId);
    const severity = select("Severity", "filter-severity", SEVERITIES.map((s) => [s, s]), (v) => this.set({ severity: v }));
    const cat = select("Category", "filter-category", Object.keys(CATEGORIES).map((c) => [c, category(c)]), (v) => this.set({ category: v }));
    const rule = select("Rule", "filter-rule", ruleIds.map((id) => [id, `${id} ${this.rules.get(id)?.name ?? ""}`]), (v) => this.set({ rule: v }));
    let timer = 0;
    const query = h("input", {
      id: "filter-query",
      type: "search",
      placeholder: "Message, name, id, file…",
      autocomplete: "off",
      oninput: (e: Event) => {
        clearTimeout(timer);
        const value = (e.target as HTMLInputElement).value;
        timer = window.setTimeout(() => this.set({ query: value }), 120);
      },
    });
    const grouped = h("input", {
      id: "group-by-rule",
      type: "checkbox",
      onchange: (e: Event) => {
        this.grouped = (e.target as HTMLInputElement).checked;
        this.shown = PAGE;
        this.update();
      },
    });
    grouped.checked = this.grouped;
    this.controls = { severity: severity.el, category: cat.el, rule: rule.el, query, grouped };

    const header = (key: SortKey, label: string) => {
      const th = h("th", { scope: "col", "aria-sort": "none" }, h("button", { type: "button", class: "sort", onclick: () => this.sortBy(key) }, label, h("span", { class: "arrow", "aria-hidden": "true" })));
      this.headers.set(key, th);
      return th;
    };
    this.tbody = h("tbody");
    this.status = h("p", { class: "muted", id: "findings-status", role: "status", "aria-live": "polite" });
    this.more = h("button", { type: "button", class: "button secondary", onclick: () => this.showMore() }, "Show more");
    this.detail = h("aside", { class: "detail", id: "finding-detail", "aria-label": "Finding detail", tabindex: "-1" }, h("p", { class: "muted" }, "Select a finding to see its evidence."));

    this.panel.replaceChildren(
      h(
        "div",
        { class: "filters", role: "search", "aria-label": "Filter findings" },
        severity.wrap,
        cat.wrap,
        rule.wrap,
        h("div", { class: "field grow" }, h("label", { for: "filter-query" }, "Search"), query),
        h("div", { class: "field check" }, grouped, h("label", { for: "group-by-rule" }, "Group by rule")),
      ),
      this.status,
      h(
        "div",
        { class: "findings-layout" },
        h(
          "div",
          { class: "table-wrap" },
          h(
            "table",
            { class: "findings", id: "findings-table" },
            h("caption", { class: "visually-hidden" }, "Findings (column headers sort)"),
            h("thead", {}, h("tr", {}, header("severity", "Severity"), header("rule", "Rule"), header("message", "Finding"), header("subject", "Subject"), header("category", "Category"))),
            this.tbody,
          ),
          this.more,
        ),
        this.detail,
      ),
    );
  }

  private set(change: Partial<FindingsView["filter"]>) {
    Object.assign(this.filter, change);
    this.shown = PAGE;
    this.update();
  }

  private sortBy(key: SortKey) {
    this.sort = this.sort.key === key ? { key, dir: this.sort.dir === 1 ? -1 : 1 } : { key, dir: 1 };
    this.update();
  }

  private showMore() {
    this.shown += PAGE;
    this.update();
  }

  private update() {
    for (const [key, th] of this.headers) {
      th.setAttribute("aria-sort", key === this.sort.key ? (this.sort.dir === 1 ? "ascending" : "descending") : "none");
    }
    const seq = ++this.seq;
    const query: FindingsQuery = {
      severity: this.filter.severity,
      category: this.filter.category,
      rule: this.filter.rule,
      text: this.filter.query,
      sort: this.sort.key,
      dir: this.sort.dir,
      grouped: this.grouped,
      collapsed: [...this.collapsed],
      limit: this.shown,
    };
    this.panel.setAttribute("aria-busy", "true");
    void this.hooks.query(query).then((page) => {
      if (seq !== this.seq) return;
      this.panel.removeAttribute("aria-busy");
      this.render(page);
    });
  }

  private render(page: FindingsPage) {
    const rows: HTMLElement[] = [];
    if (this.grouped) {
      let i = 0;
      for (const g of page.groups) {
        const collapsed = this.collapsed.has(g.ruleId);
        if (!collapsed && i >= page.rows.length) break;
        rows.push(this.groupRow(g.ruleId, g.ruleName, g.count, !collapsed));
        if (collapsed) continue;
        while (i < page.rows.length && page.rows[i].ruleId === g.ruleId) rows.push(this.row(page.rows[i++]));
      }
    } else {
      rows.push(...page.rows.map((f) => this.row(f)));
    }
    this.tbody.replaceChildren(...rows);
    const { total, matched } = page;
    this.status.textContent = matched === total ? `${plural(total, "finding")}` : `${plural(matched, "finding")} of ${total.toLocaleString("en")} match the filters`;
    const collapsedCount = page.groups.filter((g) => this.collapsed.has(g.ruleId)).reduce((n, g) => n + g.count, 0);
    const remaining = matched - collapsedCount - page.rows.length;
    this.more.hidden = remaining <= 0;
    this.more.textContent = `Show more (${remaining.toLocaleString("en")} not shown)`;
  }

  private groupRow(ruleId: string, ruleName: string, n: number, open: boolean): HTMLElement {
    return h(
      "tr",
      { class: "group-row" },
      h(
        "th",
        { colspan: 5, scope: "rowgroup" },
        h(
          "button",
          {
            type: "button",
            class: "group-toggle",
            "aria-expanded": String(open),
            onclick: () => {
              if (this.collapsed.has(ruleId)) this.collapsed.delete(ruleId);
              else this.collapsed.add(ruleId);
              this.update();
            },
          },
          h("span", { class: "rule-id" }, ruleId),
          ` ${ruleName} — ${plural(n, "finding")}`,
        ),
      ),
    );
  }

  private row(f: Finding): HTMLTableRowElement {
    const subject = f.subject.displayName ?? f.subject.id;
    const tr = h(
      "tr",
      { class: f.fingerprint === this.selected ? "selected" : "", "data-fingerprint": f.fingerprint },
      h("td", {}, h("span", { class: `sev sev-${f.severity}` }, f.severity)),
      h("td", { class: "nowrap" }, h("span", { class: "rule-id" }, f.ruleId), h("div", { class: "muted small" }, f.ruleName)),
      h("td", {}, h("button", { type: "button", class: "link finding-open", onclick: () => this.open(f) }, f.message)),
      h("td", {}, h("span", { class: "muted small" }, kind(f.subject.kind)), h("div", { class: "subject" }, subject)),
      h("td", { class: "small" }, category(f.category)),
    );
    return tr;
  }

  open(f: Finding) {
    this.selected = f.fingerprint;
    for (const tr of Array.from(this.tbody.querySelectorAll("tr[data-fingerprint]"))) {
      tr.classList.toggle("selected", tr.getAttribute("data-fingerprint") === f.fingerprint);
    }
    const rule = this.rules.get(f.ruleId);
    const entity = (e: EntityRef, role: string) =>
      h(
        "li",
        {},
        h("span", { class: "muted small" }, `${role} · ${kind(e.kind)}`),
        h("div", {}, e.displayName ?? e.id),
        h("div", { class: "muted small mono" }, e.id, e.source ? ` · ${e.source.file}:${e.source.line}` : ""),
        GRAPH_KINDS.includes(e.kind) ? h("button", { type: "button", class: "link small", onclick: () => this.hooks.openEntity(e) }, `Explore this ${kind(e.kind).toLowerCase()}`) : null,
      );
    const evidence = Object.entries(f.evidence);
    this.detail.replaceChildren(
      h("h3", { id: "detail-title" }, f.message),
      h("p", {}, h("span", { class: `sev sev-${f.severity}` }, f.severity), " ", h("span", { class: "rule-id" }, f.ruleId), ` ${f.ruleName} · ${category(f.category)}`),
      h("div", { class: "actions" }, h("button", { type: "button", class: "button", id: "open-finding-graph", onclick: () => this.hooks.openGraph(f) }, "Show the proof in the graph")),
      h("h4", {}, "Remediation"),
      h("p", {}, f.remediation),
      h("h4", {}, "Entities"),
      h("ul", { class: "entities" }, entity(f.subject, "Subject"), ...f.related.map((r) => entity(r, "Related"))),
      h("h4", {}, "Evidence"),
      evidence.length
        ? h("dl", { class: "evidence" }, ...evidence.flatMap(([k, v]) => [h("dt", {}, k), h("dd", {}, typeof v === "string" || typeof v === "number" || typeof v === "boolean" ? String(v) : h("pre", {}, JSON.stringify(v, null, 2)))]))
        : h("p", { class: "muted" }, "None."),
      h("p", { class: "muted small mono" }, `Fingerprint ${f.fingerprint}`),
      rule ? h("details", { class: "rule-docs" }, h("summary", {}, `About ${rule.id} ${rule.name}`), h("p", {}, rule.summary), markdown(rule.docs)) : "",
    );
    this.detail.focus();
  }
}
