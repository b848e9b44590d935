// Names shown for the report's identifiers.

export const SEVERITIES = ["critical", "high", "medium", "low", "info"] as const;

export const CATEGORIES: Record<string, string> = {
  eligibility: "Eligibility",
  approval: "Approval",
  expiration: "Expiration",
  review: "Access reviews",
  "separation-of-duties": "Separation of duties",
  "guest-lifecycle": "Guest lifecycle",
  hygiene: "Hygiene",
};

export const KINDS: Record<string, string> = {
  user: "User",
  group: "Group",
  servicePrincipal: "Service principal",
  connectedOrganization: "Connected organisation",
  catalog: "Catalog",
  accessPackage: "Access package",
  assignmentPolicy: "Assignment policy",
  resource: "Resource",
  audience: "Audience",
  assignment: "Assignment",
  assignmentRequest: "Request",
  auditEvent: "Audit event",
  tenant: "Tenant",
};

/** Kinds the graph explorer can centre on. */
export const GRAPH_KINDS = [
  "accessPackage",
  "assignmentPolicy",
  "user",
  "group",
  "resource",
  "catalog",
  "connectedOrganization",
  "servicePrincipal",
];

export const EDGES: Record<string, string> = {
  memberOf: "member of",
  manages: "manages",
  eligibleVia: "lets request",
  approves: "approves",
  grants: "grants",
  holds: "holds",
  incompatibleWith: "incompatible with",
  sponsors: "sponsors",
  policyOf: "policy of",
  inCatalog: "in catalog",
};

export const FORMATS: Record<string, { label: string; ext: string; mime: string }> = {
  html: { label: "HTML report", ext: "html", mime: "text/html" },
  json: { label: "JSON", ext: "json", mime: "application/json" },
  csv: { label: "CSV", ext: "csv", mime: "text/csv" },
  sarif: { label: "SARIF", ext: "sarif", mime: "application/sarif+json" },
  markdown: { label: "Markdown", ext: "md", mime: "text/markdown" },
};

export function category(c: string): string {
  return CATEGORIES[c] ?? c;
}

export function kind(k: string): string {
  return KINDS[k] ?? k;
}

export function severityRank(s: string): number {
  const i = SEVERITIES.indexOf(s as (typeof SEVERITIES)[number]);
  return i < 0 ? SEVERITIES.length : i;
}
