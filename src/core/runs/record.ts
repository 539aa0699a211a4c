/**
 * The run record: what a training cell measured beside what the plan estimated, left by
 * python_snippets/train_peak.py as `model-advisor-run.json` in the run's output folder and read
 * back silently by python_snippets/run_record.py (through the kernel, as the probe runs). The
 * schema is schema/run-record.schema.json; this file checks the same rules by hand, as
 * report.ts does for the probe. A record that fails, or that is for another model, method or
 * GPU, is an answer that says why — the panel ignores it in one line.
 */
import type { Method } from '../types';

export const RUN_RECORD_FILE = 'model-advisor-run.json';

export interface RunRecord {
  advisor: string;
  /** ISO 8601, UTC. */
  date: string;
  model: string;
  method: Exclude<Method, 'inference'>;
  settings: { batch: number; grad_accum: number; seq_len: number; max_steps: number };
  planned_gpu: string | null;
  /** Where it ran; null: a CPU, so no figure is a GPU's. */
  gpu: string | null;
  gpu_count: number;
  simulated: boolean;
  peak_mib: { measured: number | null; estimated: number | null };
  tokens_per_second: { measured: number | null; estimated: number | null };
  steps: number;
  tokens: number;
  seconds: number;
}

/** What the panel makes of the record for the chosen model, method and runtime. */
export type RecordState =
  | { kind: 'none' }
  | { kind: 'ok'; path: string; record: RunRecord }
  | { kind: 'ignored'; path: string; reason: 'corrupt'; message: string }
  | { kind: 'ignored'; path: string; reason: 'model'; model: string; method: string }
  | { kind: 'ignored'; path: string; reason: 'gpu'; gpu: string; runtime: string };

/** The record file in a run's output folder (server- or kernel-relative, as the cells name it). */
export function recordPath(folder: string): string {
  return `${folder.replace(/\/+$/, '')}/${RUN_RECORD_FILE}`;
}

class InvalidRecord extends Error {}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function fail(path: string, expected: string): never {
  throw new InvalidRecord(`${path}: expected ${expected}`);
}

function str(o: Record<string, unknown>, key: string, path = key): string {
  const v = o[key];
  if (typeof v !== 'string') fail(path, 'a string');
  return v;
}

function strOrNull(o: Record<string, unknown>, key: string, path = key): string | null {
  const v = o[key];
  if (v === null || v === undefined) return null;
  if (typeof v !== 'string') fail(path, 'a string or null');
  return v;
}

function count(o: Record<string, unknown>, key: string, min: number, path = key): number {
  const v = o[key];
  if (typeof v !== 'number' || !Number.isInteger(v) || v < min) fail(path, `a whole number ≥ ${min}`);
  return v;
}

function amount(o: Record<string, unknown>, key: string, path: string, nullable: boolean): number | null {
  const v = o[key];
  if (nullable && v === null) return null;
  if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) fail(path, nullable ? 'a number ≥ 0 or null' : 'a number ≥ 0');
  return v;
}

function pair(o: Record<string, unknown>, key: string): { measured: number | null; estimated: number | null } {
  const p = o[key];
  if (!isObject(p)) fail(key, 'an object');
  return { measured: amount(p, 'measured', `${key}.measured`, true), estimated: amount(p, 'estimated', `${key}.estimated`, true) };
}

/** A record as the train cell writes it, checked field by field; fields this version does not know are dropped. */
export function parseRunRecord(value: unknown): { ok: true; record: RunRecord } | { ok: false; error: string } {
  try {
    if (!isObject(value)) fail('the record', 'a JSON object');
    if (value.format !== 'model-advisor-run') fail('format', '"model-advisor-run"');
    if (value.version !== 1) fail('version', '1');
    const date = str(value, 'date');
    if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}/.test(date)) fail('date', 'an ISO 8601 date');
    const model = str(value, 'model');
    if (model === '') fail('model', 'a model id');
    const method = value.method;
    if (method !== 'qlora' && method !== 'lora' && method !== 'full') fail('method', 'qlora, lora or full');
    const s = value.settings;
    if (!isObject(s)) fail('settings', 'an object');
    const settings = { batch: count(s, 'batch', 1, 'settings.batch'), grad_accum: count(s, 'grad_accum', 1, 'settings.grad_accum'), seq_len: count(s, 'seq_len', 1, 'settings.seq_len'), max_steps: count(s, 'max_steps', -1, 'settings.max_steps') };
    if (typeof value.simulated !== 'boolean') fail('simulated', 'true or false');
    const record: RunRecord = {
      advisor: str(value, 'advisor'),
      date,
      model,
      method,
      settings,
      planned_gpu: strOrNull(value, 'planned_gpu'),
      gpu: strOrNull(value, 'gpu'),
      gpu_count: count(value, 'gpu_count', 0),
      simulated: value.simulated,
      peak_mib: pair(value, 'peak_mib'),
      tokens_per_second: pair(value, 'tokens_per_second'),
      steps: count(value, 'steps', 0),
      tokens: count(value, 'tokens', 0),
      seconds: amount(value, 'seconds', 'seconds', false) as number
    };
    if (record.gpu === null && record.peak_mib.measured !== null) fail('peak_mib.measured', 'null on a CPU run');
    return { ok: true, record };
  } catch (e) {
    if (e instanceof InvalidRecord) return { ok: false, error: e.message };
    throw e;
  }
}

/** A GPU's name as torch and nvidia-smi may spell it ("NVIDIA A100-SXM4-40GB", "Tesla T4"). */
export function sameGpu(a: string | null, b: string | null): boolean {
  const norm = (n: string | null) => (n ?? 'cpu').toLowerCase().replace(/^nvidia\s+/, '').replace(/\s+/g, ' ').trim();
  return norm(a) === norm(b);
}

/** What the panel asked for: the chosen model and method, and the GPU this runtime has (null: none). */
export interface RecordWanted {
  model: string;
  method: string;
  gpu: string | null;
}

/**
 * The reader snippet's answer (one JSON line: `{path, status, record?, message?}`) judged for
 * what the panel shows: the record, nothing, or why it is ignored.
 */
export function judgeRecord(answer: unknown, wanted: RecordWanted): RecordState {
  if (!isObject(answer) || typeof answer.path !== 'string') return { kind: 'none' };
  const path = answer.path;
  if (answer.status === 'none') return { kind: 'none' };
  if (answer.status !== 'ok') return { kind: 'ignored', path, reason: 'corrupt', message: typeof answer.message === 'string' ? answer.message : 'unreadable' };
  const parsed = parseRunRecord(answer.record);
  if (!parsed.ok) return { kind: 'ignored', path, reason: 'corrupt', message: parsed.error };
  const record = parsed.record;
  if (record.model !== wanted.model || record.method !== wanted.method) return { kind: 'ignored', path, reason: 'model', model: record.model, method: record.method };
  if (!sameGpu(record.gpu, wanted.gpu)) return { kind: 'ignored', path, reason: 'gpu', gpu: record.gpu ?? 'CPU', runtime: wanted.gpu ?? 'CPU' };
  return { kind: 'ok', path, record };
}
