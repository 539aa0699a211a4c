/**
 * "Measure exactly": the panel's plan traced by the kernel (model_advisor/measure.py, one
 * training step of the pinned libraries on fake tensors), beside the estimate. Pure: what is
 * sent (`measureRequest`), what came back (`parseMeasureAnswer`) and how the two numbers compare
 * (`compareTrace`). A host carries the request to the kernel (src/lab/measure.ts, the widget's
 * "measure" message) and hands back the answer.
 */
import type { GpuProfile, ModelEntry, Plan } from '../../core';
import { allocatorAllowance, availableMib, cudaContextBytes, pricedAttention, verdictFor } from '../../core/memory';
import type { FitVerdict } from '../../core/memory';
import type { HubSource } from '../../core/catalog';

const MIB = 1024 * 1024;

/**
 * Seconds a trace may run before the kernel stops it and the estimate stands: the tracer's own
 * default (model_advisor/measure.py BUDGET_S). Measured on 2 cores, imports included: a 0.5B
 * model 9.9 s, a 7B model 8.3 s; a cold Colab disk can triple the imports.
 */
export const MEASURE_BUDGET_S = 120;

/** What the kernel's tracer takes (measure.py `checked_request`): the config, the plan's settings, the GPU's dtype path. */
export interface MeasureRequest {
  config: Record<string, unknown>;
  settings: {
    method: 'full' | 'lora' | 'qlora';
    seqLen: number;
    batch: number;
    gradAccum: number;
    optimizer: string;
    loraR: number;
    loraAlpha: number;
    gradientCheckpointing: boolean;
  };
  bf16: boolean;
  attention: 'sdpa' | 'eager';
  /** The model's own code runs (trust_remote_code): its Hub id or folder. Only after the user's explicit click. */
  remote?: string;
  source?: HubSource;
  /** Trace at this depth exactly (tests); absent: one and two layers, extrapolated. */
  layers?: number;
}

/** The trace, as measure.py's `trace()` returns it (the fields the panel reads). */
export interface Trace {
  params: number;
  trained_params: number;
  peak_allocated_mib: number;
  parts_mib: Record<string, number>;
  settings: { seq_len: number; batch: number; compute_dtype: string; optimizer: string };
  depth: { layers: number; traced_layers: number[]; extrapolated: boolean };
  analytic: { term: string; why: string; mib: number }[];
  versions: Record<string, string | null>;
}

export type MeasureFailure = 'missing' | 'bad_config' | 'timeout' | 'remote_code' | 'failed' | 'unavailable';

/** The kernel's answer: a trace, or why there is none (the estimate stands). */
export type MeasureAnswer =
  | { ok: true; trace: Trace; seconds: number }
  | { ok: false; code: MeasureFailure; message: string; missing?: string[] };

/** Why the chosen plan cannot be traced here at all: the control says so instead of offering a click. */
export type MeasureRefusal = 'inference' | 'task' | 'gpu' | 'strategy' | 'no-plan';

/** The tasks whose cells train with TRL's SFTTrainer: what the tracer follows (measure.py SFT_TASKS). */
export const TRACED_TASKS: readonly string[] = ['chat', 'generation', 'code'];

/** The request for the chosen model and plan, or why there is none. `remoteRef`: the model's id or folder, sent only when the user allowed its code. */
export function measureRequest(
  model: ModelEntry,
  task: string,
  plan: Plan | null,
  gpu: GpuProfile,
  options: { remoteRef?: string; source?: HubSource } = {}
): { ok: true; request: MeasureRequest } | { ok: false; reason: MeasureRefusal } {
  if (plan === null) return { ok: false, reason: 'no-plan' };
  const s = plan.settings;
  if (s.method === 'inference') return { ok: false, reason: 'inference' };
  if (!TRACED_TASKS.includes(task)) return { ok: false, reason: 'task' };
  if (gpu.backend !== 'cuda') return { ok: false, reason: 'gpu' };
  // One process with the whole model: one GPU, or DDP's copies (each GPU holds all of it).
  if (plan.strategy !== 'single' && plan.strategy !== 'ddp') return { ok: false, reason: 'strategy' };
  // The attention the cells load (recipe.ts cellsAttention; the plan's priced recipe when there is one).
  const attention = plan.known ? plan.estimate.recipe.attention : pricedAttention(model);
  const request: MeasureRequest = {
    config: model.config as Record<string, unknown>,
    settings: {
      method: s.method,
      seqLen: s.seqLen,
      batch: s.batch,
      gradAccum: s.gradAccum,
      optimizer: s.optimizer,
      loraR: s.loraR,
      loraAlpha: s.loraAlpha,
      gradientCheckpointing: s.gradientCheckpointing
    },
    bf16: gpu.bf16,
    attention: attention === 'eager' ? 'eager' : 'sdpa'
  };
  if (options.remoteRef !== undefined) request.remote = options.remoteRef;
  if (options.source !== undefined) request.source = options.source;
  return { ok: true, request };
}

const FAILURES: readonly MeasureFailure[] = ['missing', 'bad_config', 'timeout', 'remote_code', 'failed', 'unavailable'];

/** The kernel's JSON answer, checked: anything malformed is a failure that says so, never a throw. */
export function parseMeasureAnswer(value: unknown): MeasureAnswer {
  const bad = (message: string): MeasureAnswer => ({ ok: false, code: 'failed', message });
  if (typeof value !== 'object' || value === null) return bad('the kernel printed no answer for the trace');
  const a = value as Record<string, unknown>;
  if (a.ok === true) {
    const t = a.trace as Partial<Trace> | undefined;
    if (!t || typeof t.peak_allocated_mib !== 'number' || !Number.isFinite(t.peak_allocated_mib) || typeof t.params !== 'number' || typeof t.parts_mib !== 'object' || t.parts_mib === null) {
      return bad('the trace came back without its peak');
    }
    return { ok: true, trace: t as Trace, seconds: typeof a.seconds === 'number' ? a.seconds : 0 };
  }
  const code = FAILURES.includes(a.code as MeasureFailure) ? (a.code as MeasureFailure) : 'failed';
  const message = typeof a.message === 'string' ? a.message : 'the trace failed';
  const missing = Array.isArray(a.missing) && a.missing.every(m => typeof m === 'string') ? (a.missing as string[]) : undefined;
  return missing ? { ok: false, code, message, missing } : { ok: false, code, message };
}

/** The estimate's allocated part: its total less the CUDA context and the allocator allowance (what the trace counts). */
export function estimatedAllocatedMib(plan: Plan): number | null {
  if (!plan.known) return null;
  const b = plan.estimate.breakdown;
  return plan.estimate.total_mib - (b.cuda_context ?? 0) - (b.allocator_overhead ?? 0);
}

/**
 * A trace as a total on the GPU: what it allocated, plus what the estimate adds on top of any
 * allocation (the CUDA context, the allocator's allowance over the step's transient tensors:
 * terms.ts), judged against the GPU's memory like an estimate. For a family the counter does
 * not know, this is the estimate.
 */
export function tracedTotal(trace: Trace, gpu: GpuProfile): { totalMib: number; availableMib: number; verdict: FitVerdict } {
  const parts = trace.parts_mib;
  const transient = { activations: parts.activations_and_temporaries ?? 0, gradients: parts.gradients ?? 0 };
  const totalMib = Math.round(trace.peak_allocated_mib + cudaContextBytes(gpu) / MIB + allocatorAllowance(transient));
  const available = availableMib(gpu);
  return { totalMib, availableMib: available, verdict: verdictFor(totalMib, available) };
}

/** Traced against estimated: both allocated parts in MiB, and the estimate's share of the trace (1.00 = equal). */
export function compareTrace(trace: Trace, plan: Plan): { tracedMib: number; estimatedMib: number; ratio: number } | null {
  const estimated = estimatedAllocatedMib(plan);
  if (estimated === null || trace.peak_allocated_mib <= 0) return null;
  return { tracedMib: trace.peak_allocated_mib, estimatedMib: estimated, ratio: estimated / trace.peak_allocated_mib };
}

/** What identifies a traced plan: a trace is shown only while the panel's plan is still the one traced. */
export function measureKey(request: MeasureRequest): string {
  const { remote: _remote, ...rest } = request;
  return JSON.stringify(rest);
}
