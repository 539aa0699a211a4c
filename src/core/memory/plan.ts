/**
 * `planTraining`: the settings the generated cells use — per-device batch, gradient
 * accumulation, sequence length, optimizer, checkpointing — chosen so the estimate fits.
 */
import { GpuProfile, Method, ModelEntry, WeightDtype } from '../types';
import { estimateMemory } from './estimate';
import { computeDtype } from './terms';
import { EstimateSettings, MemoryEstimate, Optimizer } from './types';

/** The samples per optimizer step we aim for (batch × accumulation), a common SFT default. */
export const EFFECTIVE_BATCH = 16;
export const DEFAULT_SEQ_LEN = 1024;

/** The weight dtype each method loads with on this GPU (contract: the QLoRA/LoRA/full recipe). */
export function defaultDtype(method: Method, gpu: GpuProfile): WeightDtype {
  if (method === 'qlora') return 'nf4';
  if (method === 'full') return 'fp32';
  return computeDtype(gpu);
}

export function defaultOptimizer(method: Method, gpu: GpuProfile): Optimizer {
  // QLoRA pages its 8-bit states on CUDA (QLoRA paper, "paged optimizers"); on a CPU plain AdamW.
  return method === 'qlora' && gpu.backend === 'cuda' ? 'paged_adamw_8bit' : 'adamw_torch';
}

/** Settings as the cells would use them before any fitting: batch 1, 1,024 tokens, r=16. */
export function defaultSettings(model: ModelEntry, gpu: GpuProfile, method: Method, wanted: Partial<EstimateSettings> = {}): EstimateSettings {
  const context = model.context_length > 0 ? model.context_length : DEFAULT_SEQ_LEN;
  const batch = wanted.batch ?? 1;
  return {
    method,
    dtype: wanted.dtype ?? defaultDtype(method, gpu),
    seqLen: wanted.seqLen ?? Math.min(DEFAULT_SEQ_LEN, context),
    batch,
    gradAccum: wanted.gradAccum ?? Math.max(1, Math.ceil(EFFECTIVE_BATCH / batch)),
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
 * Start from what the user asked for; fill the rest so it fits. The batch grows (8, 4, 2, 1)
 * while it fits, with accumulation keeping the effective batch; full fine-tuning falls back to
 * 8-bit AdamW when fp32 states do not fit; if nothing fits at batch 1, a sequence length the
 * user did not fix shrinks to the longest that does (a multiple of 64).
 */
export function planTraining(model: ModelEntry, gpu: GpuProfile, method: Method, wanted: Partial<EstimateSettings> = {}): { settings: EstimateSettings; estimate: MemoryEstimate } {
  const attempt = (change: Partial<EstimateSettings>) => {
    const settings = defaultSettings(model, gpu, method, { ...wanted, ...change });
    return { settings, estimate: estimateMemory(model, gpu, settings) };
  };
  const batches = wanted.batch !== undefined ? [wanted.batch] : [8, 4, 2, 1];
  const optimizers: Array<Optimizer | undefined> = wanted.optimizer === undefined && method === 'full' ? [undefined, 'adamw_8bit'] : [undefined];
  let last = attempt({ batch: batches[batches.length - 1] });
  for (const optimizer of optimizers) {
    for (const batch of batches) {
      const plan = attempt({ batch, ...(optimizer ? { optimizer } : {}) });
      if (plan.estimate.verdict === 'fits') return plan;
      last = plan;
    }
  }
  if (wanted.seqLen === undefined && last.estimate.max_seq_len !== null && last.estimate.max_seq_len >= 64) {
    const seqLen = Math.floor((last.estimate.max_seq_len * 0.9) / 64) * 64;
    if (seqLen >= 64) {
      const shorter = attempt({ batch: last.settings.batch, optimizer: last.settings.optimizer, seqLen });
      if (shorter.estimate.verdict !== 'no') return shorter;
    }
  }
  return last;
}
