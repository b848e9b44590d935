// Messages between the page and the analysis worker.
import type { Finding, GraphNode, Neighbourhood, Report, RuleInfo } from "../pkg/grantscope_wasm.js";

import type { FindingsQuery } from "./query";

export type { Finding, GraphNode, Neighbourhood, Report, RuleInfo };

export type Stage = "reading" | "parsing" | "analysing";

/** A file as read from the drop, the pickers or the example bundle. */
export type InFile = { name: string; bytes: ArrayBuffer | string };

export type Request =
  | { type: "analyze"; id: number; files: InFile[]; source: string }
  | { type: "example"; id: number }
  /** Runs the rules again on the export already parsed, evaluated on `asOf` (YYYY-MM-DD). */
  | { type: "recheck"; id: number; asOf: string }
  | { type: "explore"; id: number; kind: string; entity: string }
  | { type: "findingGraph"; id: number; fingerprint: string }
  | { type: "search"; id: number; query: string; kind: string }
  | { type: "render"; id: number; format: string }
  | { type: "findings"; id: number; query: FindingsQuery };

export type ConfigInfo = {
  /** The configuration file used, if any. */
  file: string | null;
  /** Why it could not be used (the analysis then ran with the defaults). */
  error: string | null;
};

/** The posture score (`grantscope report`'s): overall and per area. */
export type PostureScore = {
  overall: { score: number; grade: string; status: string };
  areas: Array<{ area: string; status: string; score: number | null; grade: string | null; findings: number }>;
};

export type Analysed = {
  score: PostureScore | null;
  /** The report without its findings (they stay in the worker: see `findings` requests). */
  report: Report;
  /** Rules that have findings, for the rule filter. */
  rulesFound: Array<{ ruleId: string; ruleName: string }>;
  loadErrors: string[];
  config: ConfigInfo;
  source: string;
  files: number;
  bytes: number;
  millis: { parse: number; check: number };
  /** Output formats the renderers offer, in menu order. */
  formats: string[];
};

export type Response =
  | { type: "ready"; version: string; rules: RuleInfo[]; formats: string[] }
  | { type: "failed"; message: string }
  | { type: "progress"; id: number; stage: Stage; detail: string }
  | { type: "analysed"; id: number; result: Analysed }
  | { type: "reply"; id: number; value: unknown }
  | { type: "error"; id: number; message: string };
