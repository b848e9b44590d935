// Building DOM from data without ever parsing it as HTML: every string becomes a text node or an
// attribute value, so display names from an export cannot inject markup.

type Child = Node | string | number | null | undefined | false;
type Attrs = Record<string, string | number | boolean | null | undefined | ((e: Event) => void)>;

export function h<K extends keyof HTMLElementTagNameMap>(
  tag: K,
  attrs: Attrs = {},
  ...children: Child[]
): HTMLElementTagNameMap[K] {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === null || value === undefined || value === false) continue;
    if (typeof value === "function") {
      el.addEventListener(key.replace(/^on/, "").toLowerCase(), value as EventListener);
    } else if (key === "class") {
      el.className = String(value);
    } else if (value === true) {
      el.setAttribute(key, "");
    } else {
      el.setAttribute(key, String(value));
    }
  }
  append(el, ...children);
  return el;
}

export function append(el: Node, ...children: Child[]) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    el.appendChild(typeof child === "object" ? child : document.createTextNode(String(child)));
  }
}

export function clear(el: Element) {
  el.replaceChildren();
}

export function byId<T extends HTMLElement = HTMLElement>(id: string): T {
  const el = document.getElementById(id);
  if (!el) throw new Error(`#${id} is missing`);
  return el as T;
}

export function plural(n: number, one: string, many = `${one}s`): string {
  return `${n.toLocaleString("en")} ${n === 1 ? one : many}`;
}

/** Inline `code` spans of a line of Markdown as text and <code> nodes. */
function inline(text: string): Node[] {
  const out: Node[] = [];
  const parts = text.split("`");
  parts.forEach((part, i) => {
    if (!part) return;
    if (i % 2 === 1) out.push(h("code", {}, part));
    else out.push(document.createTextNode(part.replace(/\*\*(.+?)\*\*/g, "$1")));
  });
  return out;
}

/** A small, safe rendering of the rule docs' Markdown: headings, paragraphs, lists, code blocks. */
export function markdown(source: string, headingLevel = 4): HTMLElement {
  const root = h("div", { class: "md" });
  const lines = source.split("\n").map((l) => (l.startsWith(" ") ? l.slice(1) : l));
  let para: string[] = [];
  let list: HTMLUListElement | null = null;
  const flush = () => {
    if (para.length) root.appendChild(h("p", {}, ...inline(para.join(" "))));
    para = [];
    list = null;
  };
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line.startsWith("```")) {
      flush();
      const code: string[] = [];
      for (i++; i < lines.length && !lines[i].startsWith("```"); i++) code.push(lines[i]);
      root.appendChild(h("pre", {}, h("code", {}, code.join("\n"))));
      continue;
    }
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      const level = Math.min(6, headingLevel + heading[1].length - 2);
      root.appendChild(h(`h${Math.max(level, headingLevel)}` as "h4", {}, ...inline(heading[2])));
      continue;
    }
    const item = /^\s*[-*]\s+(.*)$/.exec(line);
    if (item) {
      if (para.length) {
        root.appendChild(h("p", {}, ...inline(para.join(" "))));
        para = [];
      }
      if (!list) {
        list = h("ul");
        root.appendChild(list);
      }
      list.appendChild(h("li", {}, ...inline(item[1])));
      continue;
    }
    if (!line.trim()) {
      flush();
      continue;
    }
    if (list && /^\s+/.test(lines[i])) {
      list.lastElementChild?.append(" ", ...inline(line.trim()));
      continue;
    }
    list = null;
    para.push(line.trim());
  }
  flush();
  return root;
}
