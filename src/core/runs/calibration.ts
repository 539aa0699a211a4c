/**
 * "Use the measured peak for this runtime": a calibration the user keeps (the sidebar in
 * JupyterLab's settings, the widget in the browser's storage), per GPU name, model and method,
 * never sent anywhere. It says how far the estimate's allocated part was from what PyTorch held
 * on that GPU for that model: ratio = the measured peak (torch.cuda.max_memory_reserved) over the
 * estimate without the CUDA context — the two figures the train cell prints side by side.
 *
 * How the verdict uses it: the same share of the estimate's allocated part, at whatever settings
 * the user now plans (total = CUDA context + (total − context) × ratio), judged against the same
 * available memory by the same rule (`verdictFor`). The terms of the breakdown stay the
 * estimate's; the list's order and the plan's batch stay the estimator's. Only one-GPU plans and
 * one-GPU runs: a sum over several cards says nothing of the busiest one.
 */
import { verdictFor } from '../memory';
import type { FitVerdict, KnownPlan } from '../memory';
import type { Method } from '../types';
import { RunRecord, sameGpu } from './record';

export interface Calibration {
  gpu: string;
  model: string;
  method: Exclude<Method, 'inference'>;
  /** The measured peak over the estimate (both without the CUDA context). */
  ratio: number;
  measured_mib: number;
  estimated_mib: number;
  /** The run's date (ISO 8601, UTC). */
  date: string;
}

/** A ratio outside this is not a calibration but a different run (another recipe, a leak): not offered. */
const RATIO_RANGE: readonly [number, number] = [0.25, 4];

/** The most calibrations kept (one per GPU × model × method the user trained). */
export const MAX_CALIBRATIONS = 50;

const METHODS = ['qlora', 'lora', 'full'] as const;

/** The calibration a record offers: a one-GPU run with both peaks; null when it offers none. */
export function calibrationFrom(record: RunRecord): Calibration | null {
  const { measured, estimated } = record.peak_mib;
  if (record.gpu === null || record.gpu_count !== 1 || measured === null || estimated === null || estimated <= 0) return null;
  const ratio = measured / estimated;
  if (!(ratio >= RATIO_RANGE[0] && ratio <= RATIO_RANGE[1])) return null;
  return { gpu: record.gpu, model: record.model, method: record.method, ratio: Math.round(ratio * 1000) / 1000, measured_mib: measured, estimated_mib: estimated, date: record.date };
}

function sameKey(a: Pick<Calibration, 'gpu' | 'model' | 'method'>, b: Pick<Calibration, 'gpu' | 'model' | 'method'>): boolean {
  return sameGpu(a.gpu, b.gpu) && a.model === b.model && a.method === b.method;
}

/** The calibration for this GPU, model and method, if the user kept one. */
export function findCalibration(list: readonly Calibration[], gpu: string, model: string, method: Method): Calibration | null {
  return list.find(c => sameKey(c, { gpu, model, method: method as Calibration['method'] })) ?? null;
}

/** The list with `c` in place of any for the same GPU, model and method (newest first, at most MAX_CALIBRATIONS). */
export function withCalibration(list: readonly Calibration[], c: Calibration): Calibration[] {
  return [c, ...list.filter(x => !sameKey(x, c))].slice(0, MAX_CALIBRATIONS);
}

/** The list without the calibration for c's GPU, model and method. */
export function withoutCalibration(list: readonly Calibration[], c: Pick<Calibration, 'gpu' | 'model' | 'method'>): Calibration[] {
  return list.filter(x => !sameKey(x, c));
}

/** Calibrations read back from a setting or the browser's storage: each entry checked, a bad one left out. Never throws. */
export function parseCalibrations(value: unknown): Calibration[] {
  if (!Array.isArray(value)) return [];
  const out: Calibration[] = [];
  for (const v of value.slice(0, MAX_CALIBRATIONS)) {
    if (typeof v !== 'object' || v === null) continue;
    const c = v as Record<string, unknown>;
    const positive = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x > 0;
    if (typeof c.gpu !== 'string' || c.gpu === '' || typeof c.model !== 'string' || c.model === '' || typeof c.date !== 'string') continue;
    if (!(METHODS as readonly unknown[]).includes(c.method) || !positive(c.ratio) || !positive(c.measured_mib) || !positive(c.estimated_mib)) continue;
    if (c.ratio < RATIO_RANGE[0] || c.ratio > RATIO_RANGE[1]) continue;
    out.push({ gpu: c.gpu, model: c.model, method: c.method as Calibration['method'], ratio: c.ratio, measured_mib: c.measured_mib, estimated_mib: c.estimated_mib, date: c.date });
  }
  return out;
}

/** What a calibrated plan says: its total and verdict under the calibration. */
export interface CalibratedFigure {
  total_mib: number;
  verdict: FitVerdict;
  calibration: Calibration;
}

/**
 * The plan's total and verdict with the calibration applied; null for a plan over several GPUs.
 * A plan refused for another reason than memory (QLoRA on a GPU without 4-bit kernels) stays refused.
 */
export function calibrate(plan: KnownPlan, c: Calibration): CalibratedFigure | null {
  if (plan.strategy !== 'single') return null;
  const context = plan.breakdown.cuda_context ?? 0;
  const total = Math.round(context + (plan.total_mib - context) * c.ratio);
  const refusedOtherwise = plan.verdict === 'no' && plan.total_mib <= plan.available_mib;
  return { total_mib: total, verdict: refusedOtherwise ? 'no' : verdictFor(total, plan.available_mib), calibration: c };
}
