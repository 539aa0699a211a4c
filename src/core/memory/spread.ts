/**
 * `planSpread`: on a runtime with several GPUs, which strategy and which settings the cells use —
 * the first strategy (fastest first, offload last) whose busiest GPU fits, at the largest batch
 * that fits. One GPU keeps `planTraining` exactly (the `single` strategy).
 */
import { GpuProfile, Method, ModelEntry } from '../types';
import { estimateMemory } from './estimate';
import { defaultSettings, planTraining } from './plan';
import { estimateStrategy, Strategy, StrategyEstimate, strategiesFor } from './strategies';
import { EstimateSettings, MemoryEstimate } from './types';

export interface SpreadPlan {
  settings: EstimateSettings;
  /** One process's estimate at these settings (its loading, its advice for one GPU). */
  estimate: MemoryEstimate;
  /** Per GPU under the chosen strategy. */
  spread: StrategyEstimate;
  /** A strategy whose GPUs would have been fine but whose offload the runtime's RAM cannot hold. */
  ram_short: StrategyEstimate | null;
}

const RANK = { fits: 0, tight: 1, no: 2 } as const;

/** `asked`: a strategy the user chose, or `auto`. Throws for a strategy these settings cannot use. */
export function planSpread(model: ModelEntry, gpu: GpuProfile, method: Method, wanted: Partial<EstimateSettings> = {}, asked: Strategy | 'auto' = 'auto'): SpreadPlan {
  if (gpu.count <= 1 && (asked === 'auto' || asked === 'single')) {
    const { settings, estimate } = planTraining(model, gpu, method, wanted);
    return { settings, estimate, spread: estimateStrategy(model, gpu, settings, 'single'), ram_short: null };
  }
  if (gpu.count <= 1) throw new Error(`the ${asked} strategy spreads training over several GPUs; ${gpu.name} is one (give --gpu 2xt4, 8xh100-80gb, …)`);
  const probe = defaultSettings(model, gpu, method, wanted);
  const allowed = strategiesFor(probe);
  if (asked !== 'auto' && !allowed.includes(asked)) {
    throw new Error(`the ${asked} strategy does not apply to ${method}${probe.dtype === 'int8' ? ' with int8 weights' : ''}: use one of ${allowed.join(', ')}`);
  }
  const candidates = asked === 'auto' ? allowed : [asked];
  const batches = wanted.batch !== undefined ? [wanted.batch] : [8, 4, 2, 1];
  let best: { settings: EstimateSettings; spread: StrategyEstimate } | null = null;
  let ram_short: StrategyEstimate | null = null;
  for (const strategy of candidates) {
    for (const batch of batches) {
      const settings = defaultSettings(model, gpu, method, { ...wanted, batch });
      const spread = estimateStrategy(model, gpu, settings, strategy);
      if (spread.verdict === 'fits') return { settings, estimate: estimateMemory(model, gpu, settings), spread, ram_short };
      if (spread.gpu_verdict === 'fits' && spread.ram_verdict === 'no' && ram_short === null) ram_short = spread;
      const better = best === null || RANK[spread.verdict] < RANK[best.spread.verdict] || (spread.verdict === best.spread.verdict && spread.busiest_mib < best.spread.busiest_mib);
      if (better) best = { settings, spread };
    }
  }
  const chosen = best as { settings: EstimateSettings; spread: StrategyEstimate };
  return { settings: chosen.settings, estimate: estimateMemory(model, gpu, chosen.settings), spread: chosen.spread, ram_short };
}
