// Filtering, sorting and paging the findings. It runs in the worker, next to the report, so that
// a report of tens of thousands of findings never crosses to the page's main thread whole.
import type { Finding } from "../pkg/grantscope_wasm.js";
import { category, severityRank } from "./labels";

export type SortKey = "severity" | "rule" | "category" | "message" | "subject";

export type FindingsQuery = {
  severity: string;
  category: string;
  rule: string;
  text: string;
  sort: SortKey;
  dir: 1 | -1;
  grouped: boolean;
  /** Rules whose group is collapsed (their rows are left out of the page). */
  collapsed: string[];
  limit: number;
};

export type FindingsPage = {
  rows: Finding[];
  /** Findings that match the filters. */
  matched: number;
  total: number;
  /** With `grouped`: every rule among the matches, in order, with its count. */
  groups: Array<{ ruleId: string; ruleName: string; count: number }>;
};

function matches(f: Finding, q: FindingsQuery): boolean {
  if (q.severity && f.severity !== q.severity) return false;
  if (q.category && f.category !== q.category) return false;
  if (q.rule && f.ruleId !== q.rule) return false;
  if (q.text) {
    const needle = q.text.toLowerCase();
    const hay = [f.message, f.ruleId, f.ruleName, f.subject.id, f.subject.displayName ?? "", f.subject.source?.file ?? "", ...f.related.map((r) => `${r.displayName ?? ""}\n${r.id}`)].join("\n").toLowerCase();
    if (!hay.includes(needle)) return false;
  }
  return true;
}

function compare(a: Finding, b: Finding, key: SortKey): number {
  switch (key) {
    case "severity":
      return severityRank(a.severity) - severityRank(b.severity);
    case "rule":
      return a.ruleId.localeCompare(b.ruleId);
    case "category":
      return category(a.category).localeCompare(category(b.category));
    case "message":
      return a.message.localeCompare(b.message);
    case "subject":
      return (a.subject.displayName ?? a.subject.id).toLowerCase().localeCompare((b.subject.displayName ?? b.subject.id).toLowerCase());
  }
}

export function queryFindings(findings: Finding[], q: FindingsQuery): FindingsPage {
  // Report order (severity, rule, subject) breaks ties: the sort is stable.
  const list = findings.filter((f) => matches(f, q));
  list.sort((a, b) => compare(a, b, q.sort) * q.dir);
  const groups: FindingsPage["groups"] = [];
  let rows = list;
  if (q.grouped) {
    list.sort((a, b) => a.ruleId.localeCompare(b.ruleId));
    for (const f of list) {
      const last = groups[groups.length - 1];
      if (last && last.ruleId === f.ruleId) last.count++;
      else groups.push({ ruleId: f.ruleId, ruleName: f.ruleName, count: 1 });
    }
    const collapsed = new Set(q.collapsed);
    rows = list.filter((f) => !collapsed.has(f.ruleId));
  }
  return { rows: rows.slice(0, q.limit), matched: list.length, total: findings.length, groups };
}
