/**
 * The few `node:fs` calls the command line makes, over files handed in by Python (the engine
 * has no disk). The bundle for Python maps `node:fs` here (scripts/build-widget.mjs).
 */
let files = new Map<string, string>();
let out = new Map<string, string>();

function missing(path: string): Error {
  const e = new Error(`ENOENT: no such file or directory, open '${path}'`) as Error & { code: string };
  e.code = 'ENOENT';
  return e;
}

/** Start a run with these files (absolute paths) and nothing written. */
export function mount(given: Record<string, string>): void {
  files = new Map(Object.entries(given));
  out = new Map();
}

export function written(): Record<string, string> {
  return Object.fromEntries(out);
}

function isDir(path: string): boolean {
  const prefix = path.endsWith('/') ? path : path + '/';
  return [...files.keys()].some(f => f.startsWith(prefix));
}

export function existsSync(path: string): boolean {
  return files.has(path) || out.has(path) || isDir(path);
}

export function statSync(path: string): { isDirectory(): boolean; isFile(): boolean } {
  if (!existsSync(path)) throw missing(path);
  const dir = !files.has(path) && !out.has(path);
  return { isDirectory: () => dir, isFile: () => !dir };
}

export function readFileSync(path: string, _encoding?: unknown): string {
  const text = files.get(path) ?? out.get(path);
  if (text === undefined) throw missing(path);
  return text;
}

export function writeFileSync(path: string, text: string): void {
  out.set(path, String(text));
}
