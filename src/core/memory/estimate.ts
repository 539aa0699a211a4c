/**
 * `estimateMemory`: the breakdown, the verdict against the memory this runtime can give, the
 * longest sequence that fits, and what to change when it does not.
 */
import { GpuProfile, ModelEntry } from '../types';
import { countParameters, ParamCount } from '../params';
import { estimateLoading } from './loading';
import { modelShape, Shape } from './shape';
import {
  activationBytes,
  allocatorAllowance,
  computeDtype,
  computeOf,
  cudaContextBytes,
  kvCacheBytes,
  logitsBytes,
  loraParams,
  MIB,
  optimizerBytes,
  optimizerStepBytes,
  trainedParamBytes,
  weightBytes
} from './terms';
import { pricedAttention, DEFAULT_RECIPE, preQuantizedFromConfig, recipeOf, recipeProblem, targetedLayers } from './recipe';
import { advice } from './advice';
import { Advice, EstimateSettings, FitVerdict, MemoryEstimate } from './types';

interface Priced {
  breakdown: Record<string, number>;
  total_mib: number;
}

/**
 * The trained parameters and, for Adafactor, the rows plus columns of their matrices: the
 * adapters of the targeted Linear layers, or every parameter for full fine-tuning.
 */
function trainedParams(count: ParamCount, shape: Shape, s: EstimateSettings): { trained: number; factored: number } {
  if (s.method === 'inference') return { trained: 0, factored: 0 };
  if (s.method === 'full') {
    const matrices = count.linear_layers.reduce((sum, l) => sum + (l.in_features + l.out_features) * l.count, 0);
    // Embedding and head tables are matrices too (vocab + hidden each); norms and biases are
    // vectors kept whole; 3-D experts are counted whole (an overestimate, rare).
    const tables = (count.embedding > 0 ? shape.vocab + shape.hidden : 0) + (count.lm_head > 0 ? shape.vocab + shape.hidden : 0);
    return { trained: count.total, factored: matrices + tables + count.norms_and_biases + count.other };
  }
  const layers = targetedLayers(count, recipeOf(s.recipe).loraTargets);
  const r = s.loraR;
  return {
    trained: loraParams(count, r, recipeOf(s.recipe).loraTargets),
    factored: layers.reduce((sum, l) => sum + (r + l.in_features + r + l.out_features) * l.count, 0)
  };
}

/** Per decoder layer, the input widths of the Linear layers LoRA adapts (what its dropout keeps). */
function loraInputWidth(count: ParamCount, shape: Shape, s: EstimateSettings): number {
  const layers = targetedLayers(count, recipeOf(s.recipe).loraTargets);
  return shape.layers > 0 ? layers.reduce((sum, l) => sum + l.in_features * l.count, 0) / shape.layers : 0;
}

/** The breakdown alone (MiB, rounded up per term), for one set of settings and its recipe. */
export function priceSettings(count: ParamCount, shape: Shape, gpu: GpuProfile, s: EstimateSettings): Priced {
  const recipe = recipeOf(s.recipe);
  const w = weightBytes(count, s, gpu);
  const training = s.method !== 'inference';
  const { trained, factored } = trainedParams(count, shape, s);
  const adapters = s.method === 'lora' || s.method === 'qlora' ? trained : 0;
  // What the optimizer updates: the adapters (fp32, per the recipe; bf16 in pure bf16) or, for
  // full fine-tuning, every parameter (fp32 master weights and gradients under AMP).
  const gradients = training ? trained * trainedParamBytes(s) : 0;
  // Terms that count only what exceeds another (the fused head's, the optimizer step's, the
  // autocast copies') are taken in whole MiB of whole MiB, so that the rounded total still
  // grows with the sequence and the batch: the larger of two, not a difference rounded twice.
  const ceilMib = (b: number) => Math.ceil(b / MIB) * MIB;
  const activations = ceilMib(activationBytes(shape, s, gpu, loraInputWidth(count, shape, s)));
  // The fused head's peak beyond the activations' (terms.ts fusedHeadPeakBytes); a model whose
  // head is its embedding (no lm_head of its own) sums their gradients at the end of backward.
  const logits = logitsBytes(shape, s, gpu, count.lm_head === 0 && count.embedding > 0, activations);
  // The optimizer's states, plus what its step allocates beyond the freed activations and logits.
  const stepExtra = training ? Math.max(0, ceilMib(optimizerStepBytes(s, gpu, trained, 0)) - activations - logits) : 0;
  const optimizer = training ? optimizerBytes(s, trained, factored) + stepExtra : 0;
  // torch.autocast caches the 16-bit copy of each fp32 weight it casts for the length of the
  // forward (autocast weight cache): full mixed-precision training holds both copies. The cache
  // empties when the forward leaves autocast (the Trainer's compute_loss_context_manager wraps
  // the forward only), so they count only beyond what the head and the optimizer step add later.
  const copies = s.method === 'full' && recipe.precision === 'amp' && computeOf(s, gpu) !== 'fp32' ? count.total * 2 : 0;
  const autocastCopies = recipe.loss === 'fused' && shape.sftHead ? Math.max(0, ceilMib(copies) - logits - stepExtra) : copies;
  const kv = kvCacheBytes(shape, s, gpu);
  const bytes: Record<string, number> = {
    weights: w.weights,
    quantization_constants: w.quantization_constants,
    adapters: adapters * trainedParamBytes(s),
    gradients,
    optimizer,
    autocast_weight_copies: autocastCopies,
    activations,
    logits,
    kv_cache: kv,
    cuda_context: cudaContextBytes(gpu)
  };
  bytes.allocator_overhead = allocatorAllowance(bytes);
  const breakdown: Record<string, number> = {};
  let total = 0;
  for (const [k, v] of Object.entries(bytes)) {
    const mib = Math.ceil(v / MIB);
    breakdown[k] = mib;
    total += mib;
  }
  return { breakdown, total_mib: total };
}

/** A recipe that cannot be priced for this method and model (the message says why, in the user's words). */
export class RecipeError extends Error {}

/**
 * A base published pre-quantized (GPTQ, AWQ, FP8 in `quantization_config`) is priced as stored
 * unless the recipe says otherwise; adapters on it are LoRA whatever the method was called.
 */
export function withConfigRecipe(model: ModelEntry, s: EstimateSettings, gpu: GpuProfile): EstimateSettings {
  // The family's compute format on this GPU (fp32 for one that overflows fp16 on a T4), unless the plan set it.
  let settings = s.compute === undefined ? { ...s, compute: computeDtype(gpu, model.config) } : s;
  // What the cells do for this family, unless the user said otherwise.
  if (s.recipe?.attention === undefined && pricedAttention(model) !== DEFAULT_RECIPE.attention) {
    settings = { ...settings, recipe: { ...settings.recipe, attention: pricedAttention(model) } };
  }
  if (s.recipe?.weights !== undefined) return settings;
  const pre = preQuantizedFromConfig(model.config);
  if (pre === null) return settings;
  return {
    ...settings,
    method: s.method === 'qlora' ? 'lora' : s.method,
    recipe: { ...settings.recipe, weights: pre.weights, weightsGroupSize: s.recipe?.weightsGroupSize ?? pre.groupSize }
  };
}

/** The memory one device can give us: what the probe saw free, else what it has. */
export function availableMib(gpu: GpuProfile): number {
  return gpu.free_mib ?? gpu.memory_mib;
}

/**
 * QLoRA needs bitsandbytes' 4-bit kernels: on a GPU without them (compute capability below 6.0,
 * a size-only GPU of unknown kind) it does not run at any size, whatever the memory says.
 */
export function qloraCannotRun(s: Pick<EstimateSettings, 'method'>, gpu: GpuProfile): boolean {
  return s.method === 'qlora' && !gpu.bnb_4bit;
}

export function verdictFor(total: number, available: number): FitVerdict {
  if (total <= 0.9 * available) return 'fits';
  return total <= available ? 'tight' : 'no';
}

/** Binary search on seqLen: the longest that stays within the available memory at this batch. */
function maxSeqLen(count: ParamCount, shape: Shape, gpu: GpuProfile, s: EstimateSettings, limit: number): number | null {
  const available = availableMib(gpu);
  return longestThatFits(n => priceSettings(count, shape, gpu, { ...s, seqLen: n }).total_mib <= available, limit);
}

/** The largest n in 1..limit with fitsAt(n), memory growing with n (binary search); null if even 1 does not fit. */
export function longestThatFits(fitsAt: (n: number) => boolean, limit: number): number | null {
  if (!fitsAt(1)) return null;
  let lo = 1;
  let hi = Math.max(1, limit);
  if (fitsAt(hi)) return hi;
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (fitsAt(mid)) lo = mid;
    else hi = mid;
  }
  return lo;
}

/** What to change, cheapest change first, each with the number it would reach. */
function adviceFor(model: ModelEntry, count: ParamCount, shape: Shape, gpu: GpuProfile, s: EstimateSettings, total: number, verdict: FitVerdict, maxSeq: number | null): Advice[] {
  const out: Advice[] = [];
  const available = availableMib(gpu);
  if (qloraCannotRun(s, gpu)) {
    const capability = gpu.compute_capability;
    out.push(capability ? advice('no_4bit_capability', { gpu: gpu.name, capability }) : advice('no_4bit', { gpu: gpu.name }));
  }
  // A GPU known by its size only (`--gpu 80GiB`) has unknown capabilities: nothing to claim.
  if (s.method !== 'inference' && s.method !== 'full' && gpu.backend === 'cuda' && !gpu.bf16 && gpu.compute_capability !== null) {
    out.push(advice('no_bf16', { gpu: gpu.name }));
  }
  if (verdict === 'fits') return out;
  const tryWith = (change: Partial<EstimateSettings>) => priceSettings(count, shape, gpu, { ...s, ...change }).total_mib;
  out.push(advice(verdict === 'tight' ? 'needs_close' : 'needs_more', { method: s.method, model: model.id, seq_len: s.seqLen, batch: s.batch, total_mib: total, available_mib: available }));
  // Each alternative: its code, the MiB it would reach, and what else its sentence names.
  const alternative = (code: Advice['code'], mib: number, values: Record<string, string | number> = {}) => out.push(advice(code, { ...values, total_mib: mib }));
  if (s.method !== 'inference' && !s.gradientCheckpointing) {
    alternative('checkpointing', tryWith({ gradientCheckpointing: true }));
  }
  if (s.batch > 1) {
    const accum = s.batch * s.gradAccum;
    alternative('batch_one', tryWith({ batch: 1, gradAccum: accum }), { accum });
  }
  if (maxSeq !== null && maxSeq < s.seqLen && maxSeq >= 64) {
    out.push(advice('shorten', { seq_len: maxSeq, batch: s.batch }));
  }
  if ((s.method === 'full' || s.method === 'lora') && s.optimizer === 'adamw_torch') {
    alternative('optimizer_8bit', tryWith({ optimizer: 'paged_adamw_8bit' }));
  }
  if (s.method === 'full') {
    const loraMib = tryWith({ method: 'lora', dtype: computeOf(s, gpu), optimizer: 'adamw_torch' });
    alternative('lora_instead', loraMib);
  }
  if ((s.method === 'full' || s.method === 'lora') && gpu.bnb_4bit) {
    const qloraMib = tryWith({ method: 'qlora', dtype: 'nf4', optimizer: gpu.backend === 'cuda' ? 'paged_adamw_8bit' : 'adamw_torch', gradientCheckpointing: true });
    alternative('qlora_instead', qloraMib);
  }
  if (s.method === 'inference' && (s.dtype === 'fp32' || s.dtype === 'bf16' || s.dtype === 'fp16') && gpu.bnb_4bit) {
    alternative('load_4bit', tryWith({ dtype: 'nf4' }));
  }
  out.push(advice('smaller_model'));
  return out;
}

/**
 * The memory a model needs on this GPU with these settings: every term in MiB, the verdict
 * against the free memory (or total when unknown), the longest sequence that fits, advice in
 * plain words, and what loading costs in download, disk and RAM.
 */
export function estimateMemory(model: ModelEntry, gpu: GpuProfile, asked: EstimateSettings): MemoryEstimate {
  const count = countParameters(model.config);
  const shape = modelShape(model.config);
  const settings = withConfigRecipe(model, asked, gpu);
  const problem = recipeProblem(settings.method, recipeOf(settings.recipe), count);
  if (problem !== null) throw new RecipeError(problem);
  const priced = priceSettings(count, shape, gpu, settings);
  const available = availableMib(gpu);
  const verdict = qloraCannotRun(settings, gpu) ? 'no' : verdictFor(priced.total_mib, available);
  const limit = Math.max(settings.seqLen, model.context_length || 0);
  const max_seq_len = qloraCannotRun(settings, gpu) ? null : maxSeqLen(count, shape, gpu, settings, limit);
  return {
    params: count.total,
    method: settings.method,
    recipe: recipeOf(settings.recipe),
    total_mib: priced.total_mib,
    breakdown: priced.breakdown,
    verdict,
    max_seq_len,
    advice: adviceFor(model, count, shape, gpu, settings, priced.total_mib, verdict, max_seq_len),
    loading: estimateLoading(model, count.total, gpu),
    available_mib: available
  };
}
