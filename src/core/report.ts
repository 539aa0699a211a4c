/**
 * The GPU report: what the kernel's probe (`python_snippets/gpu_probe.py`) saw of its runtime,
 * typed and validated. The schema is `schema/gpu-report.schema.json`; this file checks the
 * same rules by hand (no validator dependency in the browser bundle). A report that fails is
 * an error with the reason — the sidebar shows it instead of crashing. Fields this version
 * does not know are dropped, so a newer probe's additions do not break an older sidebar.
 */

/** One NVIDIA GPU as nvidia-smi lists it. null: nvidia-smi could not tell (MIG, old driver). */
export interface GpuInfo {
  index: number;
  name: string; // "Tesla T4"
  memory_total_mib: number | null;
  memory_used_mib: number | null;
  memory_free_mib: number | null;
  compute_capability: string | null; // "7.5"
  driver_version: string | null;
}

export type ReportPlatform = 'colab' | 'kaggle' | 'local';
export type ReportBackend = 'cuda' | 'mps' | 'rocm' | 'cpu';

/** The libraries whose installed version the probe reads (null: not installed). */
export const REPORT_PACKAGES = ['torch', 'transformers', 'peft', 'bitsandbytes', 'trl', 'accelerate', 'modelscope'] as const;
export type ReportPackage = (typeof REPORT_PACKAGES)[number];

/** Something the probe could not learn, and why ("nvidia-smi", "ram", "disk", …). */
export interface ProbeError {
  source: string;
  message: string;
}

export interface GpuReport {
  schema_version: 1;
  platform: ReportPlatform;
  backend: ReportBackend;
  gpus: GpuInfo[];
  ram_total_mib: number | null;
  ram_available_mib: number | null;
  disk_free_mib: number | null;
  disk_path: string | null; // where models are downloaded (or its nearest existing parent)
  python: string;
  packages: Record<ReportPackage, string | null>;
  errors: ProbeError[];
  elapsed_ms: number;
}

export type ParsedGpuReport = { ok: true; report: GpuReport } | { ok: false; error: string };

const PLATFORMS: readonly ReportPlatform[] = ['colab', 'kaggle', 'local'];
const BACKENDS: readonly ReportBackend[] = ['cuda', 'mps', 'rocm', 'cpu'];

/** Thrown inside the parser only; `parseGpuReport` turns it into `{ ok: false }`. */
class InvalidReport extends Error {}

function show(value: unknown): string {
  if (value === undefined) return 'nothing';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
}

function fail(path: string, expected: string, value: unknown): never {
  throw new InvalidReport(`${path}: expected ${expected}, got ${show(value)}`);
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function record(value: unknown, path: string): Record<string, unknown> {
  if (!isRecord(value)) fail(path, 'an object', value);
  return value;
}

function text(value: unknown, path: string): string {
  if (typeof value !== 'string') fail(path, 'a string', value);
  return value;
}

function textOrNull(value: unknown, path: string): string | null {
  return value === null ? null : typeof value === 'string' ? value : fail(path, 'a string or null', value);
}

function count(value: unknown, path: string): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) fail(path, 'a whole number ≥ 0', value);
  return value;
}

function mib(value: unknown, path: string): number | null {
  return value === null ? null : count(value, path);
}

function oneOf<T extends string>(value: unknown, allowed: readonly T[], path: string): T {
  if (!(allowed as readonly unknown[]).includes(value)) fail(path, `one of ${allowed.join(', ')}`, value);
  return value as T;
}

function capability(value: unknown, path: string): string | null {
  if (value !== null && !(typeof value === 'string' && /^\d+\.\d+$/.test(value))) {
    fail(path, 'a compute capability such as "7.5", or null', value);
  }
  return value;
}

function list<T>(value: unknown, path: string, item: (v: unknown, p: string) => T): T[] {
  if (!Array.isArray(value)) fail(path, 'a list', value);
  return value.map((v, i) => item(v, `${path}[${i}]`));
}

function gpu(value: unknown, path: string): GpuInfo {
  const g = record(value, path);
  return {
    index: count(g.index, `${path}.index`),
    name: text(g.name, `${path}.name`),
    memory_total_mib: mib(g.memory_total_mib, `${path}.memory_total_mib`),
    memory_used_mib: mib(g.memory_used_mib, `${path}.memory_used_mib`),
    memory_free_mib: mib(g.memory_free_mib, `${path}.memory_free_mib`),
    compute_capability: capability(g.compute_capability, `${path}.compute_capability`),
    driver_version: textOrNull(g.driver_version, `${path}.driver_version`)
  };
}

function probeError(value: unknown, path: string): ProbeError {
  const e = record(value, path);
  return { source: text(e.source, `${path}.source`), message: text(e.message, `${path}.message`) };
}

function packages(value: unknown, path: string): Record<ReportPackage, string | null> {
  const p = record(value, path);
  const versions = {} as Record<ReportPackage, string | null>;
  for (const name of REPORT_PACKAGES) {
    versions[name] = textOrNull(p[name], `${path}.${name}`);
  }
  return versions;
}

function report(value: unknown): GpuReport {
  const r = record(value, 'report');
  if (r.schema_version !== 1) {
    throw new InvalidReport(
      `schema_version ${show(r.schema_version)} is not supported: this advisor reads GPU reports of version 1`
    );
  }
  const elapsed = r.elapsed_ms;
  if (typeof elapsed !== 'number' || !Number.isFinite(elapsed) || elapsed < 0) fail('elapsed_ms', 'a number ≥ 0', elapsed);
  return {
    schema_version: 1,
    platform: oneOf(r.platform, PLATFORMS, 'platform'),
    backend: oneOf(r.backend, BACKENDS, 'backend'),
    gpus: list(r.gpus, 'gpus', gpu),
    ram_total_mib: mib(r.ram_total_mib, 'ram_total_mib'),
    ram_available_mib: mib(r.ram_available_mib, 'ram_available_mib'),
    disk_free_mib: mib(r.disk_free_mib, 'disk_free_mib'),
    disk_path: textOrNull(r.disk_path, 'disk_path'),
    python: text(r.python, 'python'),
    packages: packages(r.packages, 'packages'),
    errors: list(r.errors, 'errors', probeError),
    elapsed_ms: elapsed
  };
}

/**
 * A probe's output (the JSON line it printed, or a value already parsed) → a typed report,
 * or the reason it is not one. Never throws.
 */
export function parseGpuReport(json: string | unknown): ParsedGpuReport {
  let value: unknown = json;
  if (typeof json === 'string') {
    try {
      value = JSON.parse(json);
    } catch {
      return { ok: false, error: `the probe's output is not JSON: ${show(json)}` };
    }
  }
  try {
    return { ok: true, report: report(value) };
  } catch (e) {
    if (e instanceof InvalidReport) return { ok: false, error: `invalid GPU report: ${e.message}` };
    throw e;
  }
}
