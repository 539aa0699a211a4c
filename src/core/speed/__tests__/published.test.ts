/**
 * The time estimate against published runs (bench/speed/measurements.json): on the series the
 * constants of rates.ts were NOT set on, the median ratio per method stays near 1 and no point is
 * off by more than 2× — except the ones docs/accuracy-speed.md names as the model's
 * known weakness (transformers' generate with a cache of 16k+ tokens).
 */
import * as fs from 'fs';
import * as path from 'path';
import { findModel, modelFromConfig } from '../../catalog';
import { capabilities, findGpu } from '../../gpu';
import { defaultSettings, EstimateSettings } from '../../memory';
import { GpuProfile, Method, ModelEntry } from '../../types';
import { estimateSpeed, SpeedEstimate } from '../index';

const bench = (file: string) => JSON.parse(fs.readFileSync(path.resolve(__dirname, '../../../../bench', file), 'utf8'));
const DATA = bench('speed/measurements.json');
const MODELS = { ...bench('accuracy/measurements.json').models, ...DATA.models };

interface Series {
  id: string;
  method: string;
  tuned: boolean;
  gpu?: string;
  gpu_profile?: { name: string; memory_mib: number; compute_capability: string };
  /** false: the source leaves settings out (the 2× rule is for well-documented points). */
  fully_stated?: boolean;
  strategy?: string;
  metric: string;
  fit: Partial<EstimateSettings> & { method: Method };
  points: Array<Record<string, unknown> & { model: string; measured: number }>;
}

const modelOf = (id: string): ModelEntry => (MODELS[id] ? modelFromConfig(MODELS[id], id) : (findModel(id) as ModelEntry));
const gpuOf = (s: Series, p: Record<string, unknown>): GpuProfile => {
  const spec = (p.gpu as string | undefined) ?? (p.gpu_profile ? undefined : s.gpu);
  if (spec) return findGpu(spec);
  const g = (p.gpu_profile as Series['gpu_profile']) ?? s.gpu_profile!;
  return { id: g.name, name: g.name, backend: 'cuda', count: 1, memory_mib: g.memory_mib, compute_capability: g.compute_capability, ...capabilities('cuda', g.compute_capability) };
};
const value = (e: SpeedEstimate, metric: string): number => {
  if (e.kind === 'training') return metric === 'seconds_per_step' ? e.seconds_per_step : e.tokens_per_second;
  return metric === 'generated_per_second' ? e.generated_tokens / e.seconds : (e.prompt_tokens + e.generated_tokens) / e.seconds;
};

/** The points of a series that are checks: a point marked `tuned` set a constant (rates.ts AWQ_LINEAR_SECONDS) and is left out. */
function ratios(series: Series): Array<{ ratio: number; promptLen: number; model: string; weights?: unknown }> {
  return series.points.filter(p => p.tuned !== true).map(p => {
    const m = modelOf(p.model);
    const gpu = gpuOf(series, p);
    const wanted: Partial<EstimateSettings> = { ...series.fit, recipe: { ...(series.fit.recipe ?? {}) } };
    for (const k of ['seqLen', 'promptLen', 'batch'] as const) if (p[k] !== undefined) (wanted as Record<string, unknown>)[k] = p[k];
    if (p.weights !== undefined) wanted.recipe = { ...wanted.recipe, weights: p.weights as 'awq-int4' };
    const s = defaultSettings(m, gpu, series.fit.method, wanted);
    const e = estimateSpeed(m, gpu, s, (series.strategy ?? (gpu.count > 1 ? 'ddp' : 'single')) as 'single')!;
    const v = value(e, series.metric);
    return { ratio: series.metric === 'seconds_per_step' ? p.measured / v : v / p.measured, promptLen: Number(p.promptLen ?? 0), model: p.model, weights: p.weights };
  });
}
const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

const series: Series[] = DATA.series;

it('has at least 40 published points, most of them not tuned to', () => {
  const points = series.reduce((n, s) => n + s.points.length, 0);
  const held = series.filter(s => !s.tuned).reduce((n, s) => n + s.points.length, 0);
  expect(points).toBeGreaterThanOrEqual(40);
  expect(held).toBeGreaterThanOrEqual(40);
});

describe.each(series.filter(s => !s.tuned).map(s => [s.id, s] as const))('held out: %s', (_id, s) => {
  it('fully stated: median within ±35 %, every point within 2× (generation with a 16k+ cache excepted)', () => {
    const r = ratios(s);
    if (s.fully_stated !== false) expect(Math.abs(median(r.map(x => x.ratio)) - 1)).toBeLessThanOrEqual(0.35);
    const far = r.filter(x => x.promptLen < 14336 && (x.ratio > 2 || x.ratio < 0.5));
    expect(s.fully_stated === false ? [] : far).toEqual([]);
  });
});

// The goal: ±20 % per method on the points no constant was set on (generation was 1.21 until
// AutoAWQ's cost per call was priced; docs/accuracy-speed.md).
it('per method, over the fully stated held-out points: median within ±20 %', () => {
  const byMethod = new Map<string, number[]>();
  for (const s of series.filter(x => !x.tuned && x.fully_stated !== false)) {
    const key = s.fit.method === 'inference' ? 'inference' : s.fit.method;
    byMethod.set(key, [...(byMethod.get(key) ?? []), ...ratios(s).map(x => x.ratio)]);
  }
  const off = [...byMethod].filter(([, r]) => Math.abs(median(r) - 1) > 0.2).map(([k, r]) => `${k}: ${median(r).toFixed(2)}`);
  expect(off).toEqual([]);
});

// AutoAWQ's Python around each 4-bit Linear (rates.ts AWQ_LINEAR_SECONDS), set on Qwen2-1.5B's AWQ
// rows: the other models' AWQ rows of the same table, where the CPU sets the pace, within ±15 %
// (1.29–1.39 without it).
it('AWQ rows held out (Qwen2-0.5B and Qwen2-7B, prompts up to 6,144 tokens): within ±15 %', () => {
  const awq = ratios(series.find(s => s.id === 'qwen2-speed-int4')!).filter(r => r.weights === 'awq-int4' && r.promptLen <= 6144);
  expect(awq.map(r => r.model).sort()).toEqual(['Qwen/Qwen2-0.5B-Instruct', 'Qwen/Qwen2-0.5B-Instruct', 'Qwen/Qwen2-7B-Instruct', 'Qwen/Qwen2-7B-Instruct']);
  expect(awq.filter(r => Math.abs(r.ratio - 1) > 0.15).map(r => `${r.model} at ${r.promptLen}: ${r.ratio.toFixed(2)}`)).toEqual([]);
});
