/**
 * `planTraining`: the one plan for a request — the settings the generated cells use (per-device
 * batch, gradient accumulation, sequence length, optimizer, checkpointing), how several GPUs
 * share the work, and the estimate at those settings. Every surface reads this plan: the cards
 * and the Estimate section, `recommend`, `fit`, `check()`, the cells' markdown and the launch
 * cells. Nothing else chooses a batch, a strategy or a verdict.
 */
import { GpuProfile, Method, ModelConfig, ModelEntry, WeightDtype } from '../types';
import { UnknownFamilyError } from '../params';
import { estimateMemory, longestThatFits } from './estimate';
import { estimateStrategy, Strategy, StrategyEstimate, strategiesFor } from './strategies';
import { computeDtype } from './terms';
import { Advice, EstimateSettings, FitVerdict, MemoryEstimate, Optimizer } from './types';

/** The samples per optimizer step we aim for (batch × accumulation), a common SFT default. */
export const EFFECTIVE_BATCH = 16;
export const DEFAULT_SEQ_LEN = 1024;

/** The weight dtype each method loads with on this GPU (contract: the QLoRA/LoRA/full recipe). */
export function defaultDtype(method: Method, gpu: GpuProfile, config?: ModelConfig): WeightDtype {
  if (method === 'qlora') return 'nf4';
  if (method === 'full') return 'fp32';
  // A family that overflows fp16 loads in fp32 on a GPU without bf16 (terms.ts computeDtype).
  return computeDtype(gpu, config);
}

export function defaultOptimizer(method: Method, gpu: GpuProfile): Optimizer {
  // QLoRA pages its 8-bit states on CUDA (QLoRA paper, "paged optimizers"); on a CPU plain AdamW.
  return method === 'qlora' && gpu.backend === 'cuda' ? 'paged_adamw_8bit' : 'adamw_torch';
}

/** Settings as the cells would use them before any fitting: batch 1, 1,024 tokens, r=16. */
export function defaultSettings(model: ModelEntry, gpu: GpuProfile, method: Method, wanted: Partial<EstimateSettings> = {}): EstimateSettings {
  const context = model.context_length > 0 ? model.context_length : DEFAULT_SEQ_LEN;
  const batch = wanted.batch ?? 1;
  // Without a GPU the cells are a smoke test (does every cell run?), not a training run: one
  // sample per step, no accumulation, so each step takes seconds instead of minutes.
  const effective = gpu.backend === 'cpu' ? 1 : EFFECTIVE_BATCH;
  return {
    method,
    dtype: wanted.dtype ?? defaultDtype(method, gpu, model.config),
    compute: wanted.compute ?? computeDtype(gpu, model.config),
    seqLen: wanted.seqLen ?? Math.min(DEFAULT_SEQ_LEN, context),
    batch,
    gradAccum: wanted.gradAccum ?? Math.max(1, Math.ceil(effective / batch)),
    loraR: wanted.loraR ?? 16,
    loraAlpha: wanted.loraAlpha ?? 2 * (wanted.loraR ?? 16),
    gradientCheckpointing: wanted.gradientCheckpointing ?? method !== 'inference',
    optimizer: wanted.optimizer ?? defaultOptimizer(method, gpu),
    // The user's own recipe travels as given; what it leaves out is our cells' (recipe.ts).
    ...(wanted.recipe !== undefined ? { recipe: wanted.recipe } : {}),
    ...(wanted.promptLen !== undefined ? { promptLen: wanted.promptLen } : {})
  };
}

/**
 * Settings for a model whose family the parameter counter does not know (a user's own
 * config.json): no estimate to fit against, so small and safe — batch 1 × accumulation 8, at
 * most 512 tokens, checkpointing on — and what the user fixed.
 */
function conservativeSettings(model: ModelEntry, gpu: GpuProfile, method: Method, wanted: Partial<EstimateSettings>): EstimateSettings {
  const context = model.context_length > 0 ? model.context_length : 512;
  return defaultSettings(model, gpu, method, { seqLen: Math.min(512, context), gradAccum: wanted.batch === undefined ? 8 : undefined, ...wanted });
}

/** A plan with an estimate behind it. */
export interface KnownPlan {
  known: true;
  settings: EstimateSettings;
  /** How the GPUs share the work; `single` on one GPU. */
  strategy: Strategy;
  /** One process's estimate at these settings: its loading, its recipe, its advice for one GPU. */
  estimate: MemoryEstimate;
  /** Each GPU's memory under the strategy (one share for `single`). */
  spread: StrategyEstimate;
  /** A strategy whose GPUs would have been fine but whose offload the runtime's RAM cannot hold. */
  ram_short: StrategyEstimate | null;
  /** The verdict every surface shows: the busiest GPU's (and the RAM's, when the strategy offloads). */
  verdict: FitVerdict;
  /** The busiest GPU's total and terms (one GPU: the estimate's own). */
  total_mib: number;
  breakdown: Record<string, number>;
  available_mib: number;
  /** Advice that holds under the strategy: one process's, where each GPU holds a whole copy. */
  advice: Advice[];
}

/** A plan for a family the counter cannot count: the cells still run, nothing is estimated. */
export interface UnknownPlan {
  known: false;
  settings: EstimateSettings;
  strategy: Strategy;
  verdict: 'unknown';
  /** Why there is no estimate, in English (the counter's message). */
  reason: string;
}

export type Plan = KnownPlan | UnknownPlan;

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

/** The plan at settings already chosen, under one strategy. */
function planAt(model: ModelEntry, gpu: GpuProfile, settings: EstimateSettings, strategy: Strategy, spread?: StrategyEstimate): KnownPlan {
  const estimate = estimateMemory(model, gpu, settings);
  const s = spread ?? estimateStrategy(model, gpu, settings, strategy);
  const busiest = s.per_gpu.reduce((a, g) => (g.total_mib > a.total_mib ? g : a), s.per_gpu[0]);
  // One process's advice (batch 1, shorter samples, another optimizer …) is priced for one GPU
  // holding everything; under a strategy that splits the state only the GPU's own facts hold.
  const whole = strategy === 'single' || strategy === 'ddp';
  const advice = whole ? estimate.advice : estimate.advice.filter(a => a.code === 'no_4bit' || a.code === 'no_4bit_capability' || a.code === 'no_bf16');
  return {
    known: true,
    settings,
    strategy,
    estimate,
    spread: s,
    ram_short: null,
    verdict: strategy === 'single' ? estimate.verdict : s.verdict,
    total_mib: strategy === 'single' ? estimate.total_mib : busiest.total_mib,
    breakdown: strategy === 'single' ? estimate.breakdown : busiest.breakdown,
    available_mib: strategy === 'single' ? estimate.available_mib : s.available_mib,
    advice
  };
}

/**
 * The plan. `wanted`: what the user fixed (a length, a batch, their recipe); `asked`: a strategy
 * the user chose for several GPUs, or `auto`. Throws the user's error for a strategy these GPUs
 * or settings cannot use, and a RecipeError for a recipe the model cannot take.
 *
 * Start from what the user asked for; fill the rest so it fits. For each strategy in turn
 * (fastest first, offload last; one GPU has only `single`), the batch grows (8, 4, 2, 1; on a
 * CPU 1) while it fits, with accumulation keeping the effective batch; full fine-tuning falls
 * back to 8-bit AdamW when fp32 states do not fit anywhere. When nothing fits, the closest
 * (tight before no, then the least memory on the busiest GPU); and if the user did not fix the
 * length, the longest that fits under its strategy (a multiple of 64).
 */
export function planTraining(model: ModelEntry, gpu: GpuProfile, method: Method, wanted: Partial<EstimateSettings> = {}, asked: Strategy | 'auto' = 'auto'): Plan {
  const candidates = candidatesFor(gpu, defaultSettings(model, gpu, method, wanted), asked);
  try {
    return planKnown(model, gpu, method, wanted, candidates);
  } catch (e) {
    if (!(e instanceof UnknownFamilyError)) throw e;
    // A family the counter does not know (a user's config.json) still gets cells: the strategy
    // asked for, else DDP (it changes nothing about the model), else one GPU.
    const fallback: Strategy = candidates.length === 1 ? candidates[0] : candidates.includes('ddp') ? 'ddp' : candidates[0];
    return { known: false, settings: conservativeSettings(model, gpu, method, wanted), strategy: fallback, verdict: 'unknown', reason: e.message };
  }
}

function planKnown(model: ModelEntry, gpu: GpuProfile, method: Method, wanted: Partial<EstimateSettings>, candidates: Strategy[]): KnownPlan {
  const batches = wanted.batch !== undefined ? [wanted.batch] : gpu.backend === 'cpu' ? [1] : [8, 4, 2, 1];
  const optimizers: Array<Optimizer | undefined> = wanted.optimizer === undefined && method === 'full' ? [undefined, 'adamw_8bit'] : [undefined];
  const settingsAt = (batch: number, optimizer: Optimizer | undefined) => defaultSettings(model, gpu, method, { ...wanted, batch, ...(optimizer ? { optimizer } : {}) });
  let best: { settings: EstimateSettings; spread: StrategyEstimate } | null = null;
  let ram_short: StrategyEstimate | null = null;
  const done = (plan: KnownPlan): KnownPlan => ({ ...plan, ram_short });
  for (const optimizer of optimizers) {
    for (const strategy of candidates) {
      // Memory grows with the batch: when the smallest does not fit, no larger one will. One
      // estimate instead of four for every model that cannot fit (recommendModels tries them all).
      const smallest = settingsAt(batches[batches.length - 1], optimizer);
      const atSmallest = estimateStrategy(model, gpu, smallest, strategy);
      const consider = (settings: EstimateSettings, spread: StrategyEstimate) => {
        if (spread.gpu_verdict === 'fits' && spread.ram_verdict === 'no' && ram_short === null) ram_short = spread;
        if (best === null || RANK[spread.verdict] < RANK[best.spread.verdict] || (spread.verdict === best.spread.verdict && spread.busiest_mib < best.spread.busiest_mib)) best = { settings, spread };
      };
      consider(smallest, atSmallest);
      if (atSmallest.verdict !== 'fits') continue;
      for (const batch of batches.slice(0, -1)) {
        const settings = settingsAt(batch, optimizer);
        const spread = estimateStrategy(model, gpu, settings, strategy);
        if (spread.verdict === 'fits') return done(planAt(model, gpu, settings, strategy, spread));
      }
      return done(planAt(model, gpu, smallest, strategy, atSmallest));
    }
  }
  const closest = best as unknown as { settings: EstimateSettings; spread: StrategyEstimate };
  const plan = done(planAt(model, gpu, closest.settings, closest.spread.strategy, closest.spread));
  if (wanted.seqLen === undefined) {
    const longest = planMaxSeqLen(model, gpu, plan);
    const seqLen = longest === null ? 0 : Math.floor((longest * 0.9) / 64) * 64;
    if (seqLen >= 64 && seqLen < plan.settings.seqLen) {
      const shorter = done(planAt(model, gpu, { ...plan.settings, seqLen }, plan.strategy));
      if (shorter.verdict !== 'no') return shorter;
    }
  }
  return plan;
}

/**
 * The longest sequence whose busiest GPU stays within its memory at the plan's batch and
 * strategy, up to the model's context (or the plan's length, if longer); null if none does.
 */
export function planMaxSeqLen(model: ModelEntry, gpu: GpuProfile, plan: KnownPlan): number | null {
  if (plan.strategy === 'single') return plan.estimate.max_seq_len;
  const limit = Math.max(plan.settings.seqLen, model.context_length || 0);
  return longestThatFits(seqLen => {
    const e = estimateStrategy(model, gpu, { ...plan.settings, seqLen }, plan.strategy);
    return e.busiest_mib <= e.available_mib;
  }, limit);
}

/** The largest batch (up to `cap`) that is not over the memory at the plan's length and strategy; 1 when none is. */
export function planMaxBatch(model: ModelEntry, gpu: GpuProfile, plan: KnownPlan, cap: number): number {
  const fits = (batch: number) => estimateStrategy(model, gpu, defaultSettings(model, gpu, plan.settings.method, { ...plan.settings, batch, gradAccum: undefined }), plan.strategy).verdict !== 'no';
  if (!fits(1)) return 1;
  // Memory grows with the batch: double while it fits, then bisect (about ten estimates).
  let low = 1;
  let high = 2;
  while (high <= cap && fits(high)) {
    low = high;
    high *= 2;
  }
  high = Math.min(high, cap + 1);
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2);
    if (fits(mid)) low = mid;
    else high = mid;
  }
  return low;
}

/** Every strategy these GPUs could use, each at the plan's settings, in the order `auto` tries them (`fit` lists them). */
export function strategiesAt(model: ModelEntry, gpu: GpuProfile, plan: KnownPlan, asked: Strategy | 'auto' = 'auto'): StrategyEstimate[] {
  return candidatesFor(gpu, plan.settings, asked).map(strategy => (strategy === plan.strategy ? plan.spread : estimateStrategy(model, gpu, plan.settings, strategy)));
}

/** Several GPUs training through `accelerate launch`: every strategy but one process (`single`, `device-map`), and only to train. */
export function launches(plan: Plan): boolean {
  return plan.settings.method !== 'inference' && plan.strategy !== 'single' && plan.strategy !== 'device-map';
}
