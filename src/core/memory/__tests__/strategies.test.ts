/**
 * Several GPUs: every catalog model × multi-GPU profile × method × strategy gives one whole
 * breakdown per GPU, each term placed; sharding never grows a GPU's share when GPUs are added;
 * DDP is the one-GPU figure plus its all-reduce buckets; offload moves bytes into the RAM.
 */
import { MODELS } from '../../catalog';
import { findGpu } from '../../gpu';
import { Method, METHODS, ModelEntry } from '../../types';
import { defaultSettings, estimateMemory, estimateStrategy, KnownPlan, planTraining, Strategy, strategiesFor } from '../index';
import type { GpuProfile } from '../../types';

/** The one plan, with its estimate (every catalog family is counted). */
function planSpread(m: ModelEntry, gpu: GpuProfile, method: Method, wanted = {}, asked: Strategy | 'auto' = 'auto'): KnownPlan {
  const plan = planTraining(m, gpu, method, wanted, asked);
  if (!plan.known) throw new Error(plan.reason);
  return plan;
}

const MULTI = ['kaggle-2xt4', '8xh100-80gb'];
const model = (id: string): ModelEntry => MODELS.find(m => m.id === id)!;
const settingsFor = (m: ModelEntry, gpuSpec: string, method: Method) => defaultSettings(m, findGpu(gpuSpec), method, { seqLen: 512 });

describe.each(MODELS.map(m => [m.id, m] as const))('%s on several GPUs', (_id, m) => {
  it('every strategy: one breakdown per GPU that adds up, every term placed, nothing negative', () => {
    // Problems are collected and compared once: a million expect() calls would take minutes.
    const problems: string[] = [];
    for (const spec of MULTI) {
      const gpu = findGpu(spec);
      for (const method of METHODS) {
        const s = settingsFor(m, spec, method);
        for (const strategy of strategiesFor(s)) {
          const e = estimateStrategy(m, gpu, s, strategy);
          const where = `${spec} ${method} ${strategy}`;
          if (e.per_gpu.length !== gpu.count) problems.push(`${where}: ${e.per_gpu.length} shares`);
          for (const share of e.per_gpu) {
            const sum = Object.values(share.breakdown).reduce((a, b) => a + b, 0);
            if (sum !== share.total_mib) problems.push(`${where}: GPU ${share.index} terms add to ${sum}, total ${share.total_mib}`);
            for (const [term, mib] of Object.entries(share.breakdown)) {
              if (!(Number.isFinite(mib) && mib >= 0)) problems.push(`${where}: ${term} = ${mib}`);
              if (e.placement[term] === undefined || e.placement[term] === 'cpu_ram') problems.push(`${where}: ${term} placed ${e.placement[term]}`);
            }
          }
          for (const term of Object.keys(e.cpu.breakdown)) if (e.placement[term] !== 'cpu_ram') problems.push(`${where}: RAM term ${term} placed ${e.placement[term]}`);
          if (e.busiest_mib !== Math.max(...e.per_gpu.map(g => g.total_mib))) problems.push(`${where}: busiest`);
        }
      }
    }
    expect(problems).toEqual([]);
  });

  it('DDP holds on each GPU exactly what one GPU holds, plus all-reduce buckets the size of the gradients', () => {
    for (const method of ['full', 'lora', 'qlora'] as Method[]) {
      const s = settingsFor(m, '2xa100-80gb', method);
      const one = estimateMemory(m, findGpu('a100-80gb'), s);
      const ddp = estimateStrategy(m, findGpu('2xa100-80gb'), s, 'ddp');
      for (const share of ddp.per_gpu) {
        const { ddp_gradient_buckets, ...rest } = share.breakdown;
        expect(rest).toEqual(one.breakdown);
        expect(ddp_gradient_buckets).toBe(one.breakdown.gradients);
      }
    }
  });

  it('FSDP and ZeRO-3 never give a GPU more to hold when GPUs are added', () => {
    for (const method of ['full', 'lora', 'qlora'] as Method[]) {
      const s = settingsFor(m, 'a100-80gb', method);
      for (const strategy of ['fsdp', 'fsdp-offload', 'zero3', 'zero3-offload', 'zero2'] as Strategy[]) {
        let last = Infinity;
        for (const n of [2, 3, 4, 8, 16]) {
          const e = estimateStrategy(m, findGpu(`${n}xa100-80gb`), s, strategy);
          expect(e.busiest_mib).toBeLessThanOrEqual(last);
          last = e.busiest_mib;
        }
      }
    }
  });
});

describe('offload', () => {
  it.each([
    ['Qwen/Qwen2.5-14B-Instruct', 'full'],
    ['Qwen/Qwen2.5-14B-Instruct', 'lora'],
    ['Qwen/Qwen2.5-7B-Instruct', 'qlora'],
    ['meta-llama/Llama-3.1-8B-Instruct', 'full']
  ] as Array<[string, Method]>)('%s %s: every term that leaves the GPUs reaches the RAM whole', (id, method) => {
    const gpu = findGpu('4xa100-80gb');
    const s = settingsFor(model(id), '4xa100-80gb', method);
    for (const [off, on] of [
      ['fsdp', 'fsdp-offload'],
      ['zero2', 'zero2-offload'],
      ['zero3', 'zero3-offload']
    ] as Array<[Strategy, Strategy]>) {
      const kept = estimateStrategy(model(id), gpu, s, off);
      const moved = estimateStrategy(model(id), gpu, s, on);
      expect(moved.busiest_mib).toBeLessThan(kept.busiest_mib);
      const offloaded = Object.keys(moved.cpu.breakdown).filter(term => term !== 'processes');
      expect(offloaded.length).toBeGreaterThan(0);
      for (const term of offloaded) {
        expect(moved.placement[term]).toBe('cpu_ram');
        for (const share of moved.per_gpu) expect(share.breakdown[term] ?? 0).toBe(0);
        // Summed over the GPUs it was on; one MiB of rounding per GPU at most.
        const onGpus = kept.per_gpu.reduce((sum, g) => sum + (g.breakdown[term] ?? 0), 0);
        expect(moved.cpu.breakdown[term]).toBeGreaterThanOrEqual(onGpus - gpu.count);
      }
    }
  });

  it('judges the RAM when the runtime says how much it has', () => {
    const m = model('Qwen/Qwen2.5-14B-Instruct');
    const gpu = { ...findGpu('2xt4'), ram_mib: 29 * 1024 };
    const s = settingsFor(m, '2xt4', 'full');
    const e = estimateStrategy(m, gpu, s, 'zero3-offload');
    expect(e.cpu.total_mib).toBeGreaterThan(29 * 1024);
    expect(e.ram_verdict).toBe('no');
    expect(e.verdict).toBe('no');
    expect(estimateStrategy(m, findGpu('2xa100-80gb'), s, 'zero3-offload').ram_verdict).toBeNull();
  });
});

describe('planTraining on several GPUs', () => {
  it('Qwen2.5-14B QLoRA on Kaggle’s 2×T4: a whole 4-bit copy fits each T4 (at batch 2: TRL’s fused head builds no logits), so DDP; sharding holds less', () => {
    const m = model('Qwen/Qwen2.5-14B-Instruct');
    const gpu = findGpu('2xt4');
    const plan = planSpread(m, gpu, 'qlora');
    expect(plan.spread).toMatchObject({ strategy: 'ddp', verdict: 'fits', processes: 2 });
    expect(plan.settings.batch).toBe(2);
    expect(plan.spread.per_gpu).toHaveLength(2);
    for (const strategy of ['fsdp', 'zero3', 'fsdp-offload', 'zero3-offload'] as Strategy[]) {
      expect(estimateStrategy(m, gpu, plan.settings, strategy).busiest_mib).toBeLessThan(plan.spread.busiest_mib);
    }
  });

  it('one GPU keeps today’s plan, as one share', () => {
    const m = model('Qwen/Qwen2.5-7B-Instruct');
    const plan = planSpread(m, findGpu('t4'), 'qlora');
    expect(plan.spread.strategy).toBe('single');
    expect(plan.spread.per_gpu[0].breakdown).toEqual(plan.estimate.breakdown);
    expect(() => planSpread(m, findGpu('t4'), 'qlora', {}, 'fsdp')).toThrow(/several GPUs/);
  });

  it('a model that fits one card trains as DDP on two; inference splits the layers', () => {
    const m = model('Qwen/Qwen2.5-7B-Instruct');
    expect(planSpread(m, findGpu('2xa100-80gb'), 'lora').spread.strategy).toBe('ddp');
    const inference = planSpread(m, findGpu('2xt4'), 'inference');
    expect(inference.spread.strategy).toBe('device-map');
    expect(inference.spread.processes).toBe(1);
  });

  it('refuses a strategy the engine cannot run for these weights', () => {
    const m = model('Qwen/Qwen2.5-7B-Instruct');
    expect(() => planSpread(m, findGpu('2xt4'), 'inference', {}, 'fsdp')).toThrow(/does not apply to inference/);
  });
});
