// The graph explorer: pick a package, policy, user, group or resource and see its neighbourhood
// (who may request it through which policy, who approves, what it grants, who holds it, what it
// is incompatible with); from a finding, the path that proves it is highlighted.
import cytoscape from "cytoscape";
import { h, plural } from "./dom";
import { EDGES, GRAPH_KINDS, kind } from "./labels";
import type { GraphNode, Neighbourhood } from "../pkg/grantscope_wasm.js";

export type GraphHooks = {
  search: (query: string, kind: string) => Promise<GraphNode[]>;
  explore: (kind: string, id: string) => Promise<Neighbourhood>;
};

const NODE_STYLE: Record<string, { color: string; shape: cytoscape.Css.NodeShape }> = {
  user: { color: "#2563eb", shape: "ellipse" },
  group: { color: "#7c3aed", shape: "round-rectangle" },
  servicePrincipal: { color: "#0e7490", shape: "diamond" },
  connectedOrganization: { color: "#a16207", shape: "hexagon" },
  catalog: { color: "#475569", shape: "barrel" },
  accessPackage: { color: "#b91c1c", shape: "round-rectangle" },
  assignmentPolicy: { color: "#c2410c", shape: "tag" },
  resource: { color: "#15803d", shape: "rectangle" },
  audience: { color: "#be185d", shape: "star" },
};

const EDGE_COLOR: Record<string, string> = {
  memberOf: "#94a3b8",
  manages: "#737373",
  eligibleVia: "#c2410c",
  approves: "#7c3aed",
  grants: "#15803d",
  holds: "#2563eb",
  incompatibleWith: "#dc2626",
  sponsors: "#a16207",
  policyOf: "#f97316",
  inCatalog: "#cbd5e1",
};

const HIGHLIGHT = "#f59e0b";

function shorten(label: string): string {
  return label.length > 28 ? `${label.slice(0, 27)}…` : label;
}

export class GraphView {
  private cy: cytoscape.Core | null = null;
  private canvas!: HTMLElement;
  private title!: HTMLElement;
  private list!: HTMLElement;
  private results!: HTMLElement;
  private omitted!: HTMLElement;
  private kindSelect!: HTMLSelectElement;
  private query!: HTMLInputElement;
  private current: Neighbourhood | null = null;
  private built = false;
  private searchSeq = 0;

  constructor(private panel: HTMLElement, private hooks: GraphHooks) {}

  reset() {
    this.current = null;
    if (this.built) {
      this.cy?.elements().remove();
      this.title.textContent = "Pick an entity to explore";
      this.list.replaceChildren();
      this.omitted.replaceChildren();
      this.results.replaceChildren();
      this.query.value = "";
    }
  }

  private build() {
    if (this.built) return;
    this.built = true;
    this.kindSelect = h("select", { id: "graph-kind" }, h("option", { value: "" }, "Any kind"), ...GRAPH_KINDS.map((k) => h("option", { value: k }, kind(k))));
    let timer = 0;
    const run = () => {
      clearTimeout(timer);
      timer = window.setTimeout(() => void this.search(), 120);
    };
    this.kindSelect.addEventListener("change", run);
    this.query = h("input", { id: "graph-query", type: "search", placeholder: "Name or id", autocomplete: "off", oninput: run, "aria-controls": "graph-results" });
    this.results = h("ul", { id: "graph-results", class: "graph-results", "aria-label": "Matching entities" });
    this.title = h("h3", { id: "graph-title", "aria-live": "polite" }, "Pick an entity to explore");
    this.canvas = h("div", { class: "graph-canvas", id: "graph-canvas", role: "img", "aria-label": "Graph of the selected entity's neighbourhood; the same connections are listed below it" });
    this.omitted = h("p", { class: "muted small" });
    this.list = h("div", { class: "graph-list" });
    const legend = h(
      "div",
      { class: "legend", "aria-label": "Legend" },
      h("h4", {}, "Legend"),
      h("ul", { class: "legend-nodes" }, ...Object.keys(NODE_STYLE).map((k) => h("li", {}, h("span", { class: `swatch node-${k}`, "aria-hidden": "true" }), kind(k)))),
      h("ul", { class: "legend-edges" }, ...Object.keys(EDGE_COLOR).map((k) => h("li", {}, h("span", { class: `line edge-${k}`, "aria-hidden": "true" }), EDGES[k]))),
      h("p", { class: "small" }, h("span", { class: "line highlight", "aria-hidden": "true" }), "proves the finding"),
    );
    this.panel.replaceChildren(
      h(
        "div",
        { class: "graph-layout" },
        h(
          "div",
          { class: "graph-side" },
          h("div", { class: "field" }, h("label", { for: "graph-kind" }, "Kind"), this.kindSelect),
          h("div", { class: "field" }, h("label", { for: "graph-query" }, "Find an entity"), this.query),
          this.results,
          legend,
        ),
        h("div", { class: "graph-main" }, this.title, this.canvas, this.omitted, h("details", { class: "graph-text", open: true }, h("summary", {}, "Connections as a list"), this.list)),
      ),
    );
    this.cy = cytoscape({
      container: this.canvas,
      elements: [],
      minZoom: 0.2,
      maxZoom: 3,
      style: [
        {
          selector: "node",
          style: {
            label: "data(short)",
            "font-size": 10,
            "text-valign": "bottom",
            "text-margin-y": 3,
            "text-wrap": "ellipsis",
            "text-max-width": "120px",
            color: "#1e293b",
            width: 22,
            height: 22,
            "background-color": "data(color)",
            shape: "data(shape)" as unknown as cytoscape.Css.NodeShape,
            "border-width": 0,
          },
        },
        { selector: "node.center", style: { width: 34, height: 34, "font-weight": "bold", "border-width": 3, "border-color": "#0f172a" } },
        { selector: "node.path", style: { "border-width": 4, "border-color": HIGHLIGHT } },
        {
          selector: "edge",
          style: {
            width: 1.5,
            "line-color": "data(color)",
            "target-arrow-color": "data(color)",
            "target-arrow-shape": "triangle",
            "curve-style": "bezier",
            "arrow-scale": 0.8,
            label: "",
          },
        },
        { selector: "edge.dashed", style: { "line-style": "dashed" } },
        { selector: "edge.path", style: { width: 4, "line-color": HIGHLIGHT, "target-arrow-color": HIGHLIGHT, label: "data(label)", "font-size": 9, "text-background-color": "#fff", "text-background-opacity": 1 } },
        { selector: "node:selected", style: { "border-width": 3, "border-color": "#0ea5e9" } },
      ],
    });
    this.cy.on("tap", "node", (e) => {
      const data = e.target.data() as { kind: string; entity: string };
      if (data.kind !== "audience") void this.explore(data.kind, data.entity);
    });
  }

  /** Called when the tab is shown: cytoscape needs a laid-out container. */
  shown() {
    this.build();
    this.cy?.resize();
    if (this.current) this.cy?.fit(undefined, 30);
  }

  private async search() {
    const seq = ++this.searchSeq;
    const q = this.query.value;
    const nodes = await this.hooks.search(q, this.kindSelect.value);
    if (seq !== this.searchSeq) return;
    this.results.replaceChildren(
      ...nodes.map((n) =>
        h(
          "li",
          {},
          h("button", { type: "button", class: "result", onclick: () => void this.explore(n.kind, n.id) }, h("span", { class: `swatch node-${n.kind}`, "aria-hidden": "true" }), h("span", {}, n.label), h("span", { class: "muted small" }, ` ${kind(n.kind)} · ${plural(n.degree, "link")}`)),
        ),
      ),
    );
    if (!nodes.length) this.results.appendChild(h("li", { class: "muted small" }, "No match."));
  }

  async explore(k: string, id: string) {
    this.build();
    const view = await this.hooks.explore(k, id);
    this.draw(view, null);
  }

  /** Draws a neighbourhood; `title` replaces the default heading (a finding's message). */
  draw(view: Neighbourhood, title: string | null) {
    this.build();
    this.current = view;
    const byKey = new Map(view.nodes.map((n) => [n.key, n]));
    const center = view.center ? byKey.get(view.center) : undefined;
    this.title.textContent = title ?? (center ? `${kind(center.kind)}: ${center.label}` : "Graph");
    const pathNodes = new Set(view.highlight.nodes);
    const pathEdges = new Set(view.highlight.edges);

    // Rings by distance from the centre (or from the proving path): a fast, readable layout.
    const adjacent = new Map<string, string[]>();
    for (const e of view.edges) {
      adjacent.set(e.source, [...(adjacent.get(e.source) ?? []), e.target]);
      adjacent.set(e.target, [...(adjacent.get(e.target) ?? []), e.source]);
    }
    const level = new Map<string, number>();
    const start = pathNodes.size ? [...pathNodes] : view.center ? [view.center] : [];
    const queue = [...start];
    for (const s of start) level.set(s, 0);
    while (queue.length) {
      const at = queue.shift()!;
      for (const next of adjacent.get(at) ?? []) {
        if (!level.has(next)) {
          level.set(next, (level.get(at) ?? 0) + 1);
          queue.push(next);
        }
      }
    }
    const maxLevel = Math.max(0, ...level.values()) + 1;

    const elements: cytoscape.ElementDefinition[] = [
      ...view.nodes.map((n) => ({
        group: "nodes" as const,
        data: { id: n.key, kind: n.kind, entity: n.id, label: n.label, short: shorten(n.label), color: NODE_STYLE[n.kind]?.color ?? "#64748b", shape: NODE_STYLE[n.kind]?.shape ?? "ellipse", level: level.get(n.key) ?? maxLevel },
        classes: [n.key === view.center ? "center" : "", pathNodes.has(n.key) ? "path" : ""].join(" ").trim(),
      })),
      ...view.edges.map((e) => ({
        group: "edges" as const,
        data: { id: e.key, source: e.source, target: e.target, kind: e.kind, label: EDGES[e.kind] ?? e.kind, color: EDGE_COLOR[e.kind] ?? "#94a3b8" },
        classes: [pathEdges.has(e.key) ? "path" : "", e.kind === "incompatibleWith" || e.kind === "manages" ? "dashed" : ""].join(" ").trim(),
      })),
    ];
    // cytoscape keys nodes by `id` (here `kind:id`); the entity id is `entity`.
    const cy = this.cy!;
    cy.elements().remove();
    cy.add(elements);
    cy.layout({
      name: "concentric",
      concentric: (n: cytoscape.NodeSingular) => maxLevel - Number(n.data("level")),
      levelWidth: () => 1,
      minNodeSpacing: 18,
      animate: false,
    } as cytoscape.LayoutOptions).run();
    cy.fit(undefined, 30);

    this.omitted.textContent = view.omitted.length
      ? `Not shown: ${view.omitted.map((o) => `${o.count} more “${EDGES[o.edgeKind] ?? o.edgeKind}” of ${byKey.get(o.node)?.label ?? o.node}`).join("; ")}.`
      : "";

    const label = (key: string) => byKey.get(key)?.label ?? key;
    const rows = [...view.edges].sort((a, b) => Number(pathEdges.has(b.key)) - Number(pathEdges.has(a.key)));
    this.list.replaceChildren(
      view.outside.length ? h("p", { class: "small" }, `Also named by the finding (not graph nodes): ${view.outside.map((e) => `${kind(e.kind)} ${e.displayName ?? e.id}`).join("; ")}.`) : "",
      h(
        "table",
        { class: "plain small", id: "graph-edges" },
        h("caption", { class: "visually-hidden" }, "Connections shown in the graph"),
        h("thead", {}, h("tr", {}, h("th", { scope: "col" }, "From"), h("th", { scope: "col" }, "Relation"), h("th", { scope: "col" }, "To"))),
        h(
          "tbody",
          {},
          ...rows.map((e) =>
            h(
              "tr",
              { class: pathEdges.has(e.key) ? "path" : "" },
              h("td", {}, this.nodeButton(byKey.get(e.source))),
              h("td", {}, EDGES[e.kind] ?? e.kind, pathEdges.has(e.key) ? h("strong", {}, " (proof)") : ""),
              h("td", {}, this.nodeButton(byKey.get(e.target)) ?? label(e.target)),
            ),
          ),
        ),
      ),
    );
  }

  private nodeButton(n: GraphNode | undefined): HTMLElement | string {
    if (!n) return "";
    if (n.kind === "audience") return h("span", {}, n.label, h("span", { class: "muted" }, ` (${kind(n.kind)})`));
    return h("button", { type: "button", class: "link", onclick: () => void this.explore(n.kind, n.id), title: `${kind(n.kind)} ${n.id}` }, n.label, h("span", { class: "muted" }, ` (${kind(n.kind)})`));
  }
}
