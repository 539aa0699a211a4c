/**
 * `planSpread`: on a runtime with several GPUs, which strategy and which settings the cells use —
 * the first strategy (fastest first, offload last) whose busiest GPU fits, at the largest batch
 * that fits. One GPU keeps `planTraining` exactly (the `single` strategy).
 */
import { GpuProfile, Method, ModelEntry } from '../types';
import { estimateMemory, longestThatFits } from './estimate';
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

/** Throws the user's error for a strategy these GPUs or settings cannot use; else the candidates in order. */
function candidatesFor(gpu: GpuProfile, settings: EstimateSettings, asked: Strategy | 'auto'): Strategy[] {
  if (gpu.count <= 1) {
    if (asked === 'auto' || asked === 'single') return ['single'];
    throw new Error(`the ${asked} strategy spreads training over several GPUs; ${gpu.name} is one (give --gpu 2xt4, 8xh100-80gb, …)`);
  }
  const allowed = strategiesFor(settings);
  if (asked !== 'auto' && !allowed.includes(asked)) {
    throw new Error(`the ${asked} strategy does not apply to ${settings.method}${settings.dtype === 'int8' ? ' with int8 weights' : ''}: use one of ${allowed.join(', ')}`);
  }
  return asked === 'auto' ? allowed : [asked];
}

export interface StrategyChoice {
  spread: StrategyEstimate;
  ram_short: StrategyEstimate | null;
  /** Every candidate at these settings, in the order tried. */
  tried: StrategyEstimate[];
}

/**
 * For settings fixed by the user (`fit`): the first strategy that fits, else the one that
 * comes closest (tight before no, then the least memory on the busiest GPU).
 */
export function chooseStrategy(model: ModelEntry, gpu: GpuProfile, settings: EstimateSettings, asked: Strategy | 'auto' = 'auto'): StrategyChoice {
  const tried = candidatesFor(gpu, settings, asked).map(strategy => estimateStrategy(model, gpu, settings, strategy));
  const ram_short = tried.find(e => e.gpu_verdict === 'fits' && e.ram_verdict === 'no') ?? null;
  const fits = tried.find(e => e.verdict === 'fits');
  const closest = [...tried].sort((a, b) => RANK[a.verdict] - RANK[b.verdict] || a.busiest_mib - b.busiest_mib)[0];
  return { spread: fits ?? closest, ram_short, tried };
}

/** The longest sequence whose busiest GPU stays within its memory under this strategy; null if none. */
export function maxSeqLenSpread(model: ModelEntry, gpu: GpuProfile, settings: EstimateSettings, strategy: Strategy, limit: number): number | null {
  return longestThatFits(seqLen => {
    const e = estimateStrategy(model, gpu, { ...settings, seqLen }, strategy);
    return e.busiest_mib <= e.available_mib;
  }, limit);
}

/** `asked`: a strategy the user chose, or `auto`. Throws for a strategy these settings cannot use. */
export function planSpread(model: ModelEntry, gpu: GpuProfile, method: Method, wanted: Partial<EstimateSettings> = {}, asked: Strategy | 'auto' = 'auto'): SpreadPlan {
  if (gpu.count <= 1 && (asked === 'auto' || asked === 'single')) {
    const { settings, estimate } = planTraining(model, gpu, method, wanted);
    return { settings, estimate, spread: estimateStrategy(model, gpu, settings, 'single'), ram_short: null };
  }
  const candidates = candidatesFor(gpu, defaultSettings(model, gpu, method, wanted), asked);
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
