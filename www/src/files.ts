// Turning what the user gives (a drop of files and folders, the file and folder pickers) into
// named files, as the CLI names them: paths relative to the folder given, `/` separators, hidden
// files and folders left out.
import type { InFile } from "./protocol";

export type Picked = { path: string; file: File };

const MiB = 1024 * 1024;

/**
 * Sizes checked before a byte is read (from the sizes the browser reports, so a huge drop costs
 * nothing). `fileBytes` and `totalBytes` are the CLI's limits (grantscope-core's
 * `ingest::Limits::DEFAULT`; crates/grantscope-core/tests/page_limits.rs keeps them equal).
 * `pageBytes` is the page's own: the export and everything built from it live in this tab's
 * memory (the file contents in the worker, the model in the wasm memory, which also holds the
 * file being parsed: the worker hands files over one at a time), so a larger export is for the
 * command line.
 */
export const LIMITS = {
  fileBytes: 512 * MiB,
  totalBytes: 4096 * MiB,
  pageBytes: 512 * MiB,
};

function mib(bytes: number): string {
  return `${(bytes / MiB).toLocaleString("en", { maximumFractionDigits: 1 })} MiB`;
}

/** Yields to the page's event loop (a macrotask, so input and painting get their turn). */
function pause(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}

/**
 * The size of each file, asked for in slices of a few milliseconds: for a file from a folder,
 * Chromium fetches its size from the disk on this thread (about 0.1 ms a file), so asking for
 * thousands at once would freeze the page for a quarter of a second.
 */
export async function sizes(picked: Picked[]): Promise<number[]> {
  const out: number[] = [];
  let slice = performance.now();
  for (const p of picked) {
    out.push(p.file.size);
    if (performance.now() - slice > 20) {
      await pause();
      slice = performance.now();
    }
  }
  return out;
}

/**
 * Why what was picked is not read, or null when it may be: a file over the limit per file, or
 * more in all than the page analyses. `size` holds each file's size (see `sizes`). The message
 * says what to do instead.
 */
export function refusal(picked: Picked[], size: number[]): string | null {
  const cli = `Run the command line on it instead (grantscope check FOLDER), which reads up to ${mib(LIMITS.fileBytes)} per file and ${mib(LIMITS.totalBytes)} in all.`;
  const big = picked.flatMap((p, i) => (size[i] > LIMITS.fileBytes ? [`${p.path} (${mib(size[i])})`] : []));
  if (big.length) {
    return `${big.join(", ")} ${big.length === 1 ? "is" : "are"} larger than the ${mib(LIMITS.fileBytes)} limit per file, so nothing was read. Exports are saved one Graph page per file: a file this large is not one.`;
  }
  const total = size.reduce((n, b) => n + b, 0);
  if (total > LIMITS.pageBytes) {
    return `The export is ${mib(total)} in ${picked.length.toLocaleString("en")} file${picked.length === 1 ? "" : "s"}; this page analyses at most ${mib(LIMITS.pageBytes)} in all, because the export and everything built from it must fit in this tab's memory. Nothing was read. ${cli}`;
  }
  return null;
}

function hidden(path: string): boolean {
  return path.split("/").some((part) => part.startsWith("."));
}

/** Files from `<input type=file>` (with `webkitdirectory`, paths come from webkitRelativePath). */
export function fromInput(list: FileList): Picked[] {
  return Array.from(list).map((file) => ({ path: file.webkitRelativePath || file.name, file }));
}

function readEntries(reader: FileSystemDirectoryReader): Promise<FileSystemEntry[]> {
  return new Promise((resolve, reject) => reader.readEntries(resolve, reject));
}

function entryFile(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

async function walk(entry: FileSystemEntry, out: Picked[]): Promise<void> {
  if (entry.isFile) {
    out.push({ path: entry.fullPath.replace(/^\//, ""), file: await entryFile(entry as FileSystemFileEntry) });
  } else if (entry.isDirectory) {
    const reader = (entry as FileSystemDirectoryEntry).createReader();
    // readEntries returns the entries in batches until it returns none.
    for (;;) {
      const batch = await readEntries(reader);
      if (!batch.length) break;
      for (const child of batch) await walk(child, out);
    }
  }
}

/** Files and folders (recursively) from a drop. */
export async function fromDrop(data: DataTransfer): Promise<Picked[]> {
  // The entries must be taken while the event is being dispatched.
  const entries: FileSystemEntry[] = [];
  const loose: File[] = [];
  for (const item of Array.from(data.items)) {
    if (item.kind !== "file") continue;
    const entry = item.webkitGetAsEntry?.();
    if (entry) entries.push(entry);
    else {
      const file = item.getAsFile();
      if (file) loose.push(file);
    }
  }
  if (!entries.length && !loose.length) {
    loose.push(...Array.from(data.files));
  }
  const out: Picked[] = loose.map((file) => ({ path: file.name, file }));
  for (const entry of entries) await walk(entry, out);
  return out;
}

/** Drops hidden files, strips the one folder everything is in, and sorts by path. */
export function normalise(picked: Picked[]): Picked[] {
  let files = picked.filter((p) => !hidden(p.path));
  const first = files.map((p) => p.path.split("/"));
  if (first.length && first.every((parts) => parts.length > 1 && parts[0] === first[0][0])) {
    files = files.map((p) => ({ ...p, path: p.path.slice(p.path.indexOf("/") + 1) }));
  }
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

/** The folder (or file) name to show for what was picked. */
export function describe(picked: Picked[]): string {
  const roots = new Set(picked.map((p) => p.path.split("/")[0]));
  if (roots.size === 1 && picked.length > 1) return `folder ${[...roots][0]}`;
  if (picked.length === 1) return picked[0].path;
  return `${picked.length} files`;
}

export async function read(picked: Picked[], progress: (done: number, total: number) => void): Promise<InFile[]> {
  const out: InFile[] = [];
  let done = 0;
  for (const p of picked) {
    out.push({ name: p.path, bytes: await p.file.arrayBuffer() });
    done++;
    progress(done, picked.length);
  }
  return out;
}
