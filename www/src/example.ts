// The Contoso example tenant (fixtures/tenants/contoso), bundled into the worker at build time so
// that "Try the example tenant" needs no request.
import type { InFile } from "./protocol";

const files = import.meta.glob("../../fixtures/tenants/contoso/*", {
  query: "?raw",
  import: "default",
  eager: true,
}) as Record<string, string>;

export function exampleFiles(): InFile[] {
  return Object.keys(files)
    .sort()
    .map((path) => ({ name: path.slice(path.lastIndexOf("/") + 1), bytes: files[path] }));
}
