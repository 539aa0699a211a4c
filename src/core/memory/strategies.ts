/**
 * Several GPUs: the memory each card holds under the engines people already run —
 * `device_map="auto"` (transformers/accelerate split the layers over the cards), DDP, FSDP full
 * shard (incl. FSDP-QLoRA), DeepSpeed ZeRO-2 and ZeRO-3 — with and without CPU offload. We shard
 * nothing ourselves: each rule below is the engine's own, cited where it is decided.
 *
 * The starting point is the one-process breakdown (`priceSettings`): what one process holds when
 * it trains alone. Each strategy says, term by term, where that term lives — on every GPU, split
 * over the GPUs, on one GPU, or in the CPU RAM — and adds what the engine itself allocates
 * (gathered shards, communication buckets). A term this file does not know (a new one in
 * `priceSettings`) stays whole on every GPU: an overestimate, never an OOM.
 */
import { GpuProfile, ModelEntry } from '../types';
import { countParameters, ParamCount } from '../params';
import { availableMib, priceSettings, qloraCannotRun, verdictFor, withConfigRecipe } from './estimate';
import { PROCESS_RAM_MIB } from './loading';
import { modelShape, Shape } from './shape';
import { allocatorAllowance, BYTES, checkpointedInputBytes, computeOf, MIB } from './terms';
import { EstimateSettings, FitVerdict, Term } from './types';

/** How the work is spread; `single` is one GPU (today's estimate). */
export type Strategy = 'single' | 'device-map' | 'ddp' | 'fsdp' | 'fsdp-offload' | 'zero2' | 'zero2-offload' | 'zero3' | 'zero3-offload';

/** The strategies for several GPUs, in the order `auto` tries them: fastest first, offload last. */
export const MULTI_GPU_STRATEGIES: readonly Strategy[] = ['ddp', 'fsdp', 'zero2', 'zero3', 'device-map', 'fsdp-offload', 'zero2-offload', 'zero3-offload'];

/** Which engine runs a strategy (and so which config file the cells write). */
export type Engine = 'transformers' | 'accelerate' | 'deepspeed';

export function engineOf(strategy: Strategy): Engine {
  if (strategy === 'single' || strategy === 'device-map') return 'transformers';
  return strategy.startsWith('zero') ? 'deepspeed' : 'accelerate';
}

/** Does the strategy move state to the CPU RAM? */
export function offloads(strategy: Strategy): boolean {
  return strategy.endsWith('-offload');
}

/** Where one term of the breakdown lives. */
export type Placement =
  | 'every_gpu' // a whole copy on each GPU
  | 'sharded' // 1/N of it on each GPU
  | 'split_by_layer' // each GPU holds the layers it was given
  | 'first_gpu'
  | 'last_gpu'
  | 'cpu_ram';

export interface GpuShare {
  index: number;
  total_mib: number;
  /** MiB per term on this GPU; the terms add up to total_mib. */
  breakdown: Record<string, number>;
}

export interface StrategyEstimate {
  strategy: Strategy;
  engine: Engine;
  gpus: number;
  /** Training processes: one per GPU, except `device-map` (one process drives every card). */
  processes: number;
  /** One entry per GPU, in device order. */
  per_gpu: GpuShare[];
  /** The fullest GPU: the one the verdict is judged on. */
  busiest_mib: number;
  /** What one GPU can give (the least free memory among them when a probe saw it). */
  available_mib: number;
  /** Where each term lives (terms on the GPUs and in the RAM). */
  placement: Record<string, Placement>;
  /** CPU RAM the training processes hold at the peak: the processes themselves and what is offloaded. */
  cpu: { total_mib: number; breakdown: Record<string, number>; available_mib: number | null };
  gpu_verdict: FitVerdict;
  /** Against the runtime's RAM, when the strategy offloads and the RAM is known; else null. */
  ram_verdict: FitVerdict | null;
  /** The worse of the two. */
  verdict: FitVerdict;
}

/** Which strategies apply to these settings (the engines' own limits). */
export function strategiesFor(settings: EstimateSettings): Strategy[] {
  // Generation has no optimizer to shard: split the layers (accelerate "big model inference").
  if (settings.method === 'inference') return ['device-map'];
  // LLM.int8 weights (int8 Params) are not a float dtype FSDP or ZeRO-3 can flatten and shard;
  // 4-bit can, through bnb_4bit_quant_storage (bitsandbytes docs, "FSDP-QLoRA").
  if (settings.dtype === 'int8') return ['ddp', 'zero2', 'zero2-offload', 'device-map'];
  return [...MULTI_GPU_STRATEGIES];
}

/** Numbers every strategy reads: one process's breakdown and how the weights divide. */
interface Parts {
  single: Record<string, number>;
  count: ParamCount;
  shape: Shape;
  /** The compute dtype's bytes (2 on a GPU). */
  c: number;
  embeddingMib: number;
  headMib: number;
  /** Weights + quantization constants of one decoder layer, as stored. */
  layerMib: number;
  /** Parameters the optimizer updates. */
  trained: number;
}

function parts(count: ParamCount, shape: Shape, gpu: GpuProfile, s: EstimateSettings): Parts {
  const single = priceSettings(count, shape, gpu, s).breakdown;
  const c = BYTES[computeOf(s, gpu)];
  // Embeddings and the head stay unquantized (bitsandbytes skips them) in the compute dtype;
  // full fine-tuning keeps them in fp32 like every weight; LoRA in the dtype it loads.
  const rootBytes = s.method === 'full' ? 4 : s.dtype === 'fp32' || s.dtype === 'bf16' || s.dtype === 'fp16' ? BYTES[s.dtype] : c;
  const embeddingMib = (count.embedding * rootBytes) / MIB;
  const headMib = (count.lm_head * rootBytes) / MIB;
  const layers = Math.max(1, shape.layers);
  const layerMib = Math.max(0, (single.weights ?? 0) + (single.quantization_constants ?? 0) - embeddingMib - headMib) / layers;
  const trained = s.method === 'full' ? count.total : ((single.adapters ?? 0) * MIB) / 4;
  return { single, count, shape, c, embeddingMib, headMib, layerMib, trained };
}

/** Terms `priceSettings` prices that a strategy may place; anything else stays on every GPU. */
const STATE_TERMS: readonly Term[] = ['weights', 'quantization_constants', 'adapters', 'gradients', 'optimizer', 'autocast_weight_copies'];

interface Layout {
  processes: number;
  per_gpu: Array<Record<string, number>>;
  cpu: Record<string, number>;
  placement: Record<string, Placement>;
}

/** The terms each process keeps whole on its own GPU (activations, logits, KV cache, CUDA context, new ones). */
function perProcessTerms(p: Parts): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [k, v] of Object.entries(p.single)) if (!(STATE_TERMS as readonly string[]).includes(k) && k !== 'allocator_overhead') out[k] = v;
  return out;
}

/** The caching allocator's allowance on one GPU, over that GPU's transient tensors (see FRAGMENTATION_SHARE). */
function withOverhead(terms: Record<string, number>): Record<string, number> {
  return { ...terms, allocator_overhead: allocatorAllowance(terms) };
}

/**
 * DDP: every process holds a whole replica (torch DistributedDataParallel; accelerate's
 * MULTI_GPU). DDP also keeps its all-reduce buckets beside the gradients: "gradient_as_bucket_view
 * … the saved memory size will be equal to the total gradients size" (torch/nn/parallel/
 * distributed.py), and neither accelerate nor the Trainer turns that on by default.
 */
function ddp(p: Parts, n: number): Layout {
  const gpu = { ...p.single, ddp_gradient_buckets: p.single.gradients ?? 0 };
  const placement: Record<string, Placement> = {};
  for (const k of Object.keys(gpu)) placement[k] = 'every_gpu';
  return { processes: n, per_gpu: Array.from({ length: n }, () => ({ ...gpu })), cpu: {}, placement };
}

/**
 * device_map="auto": one process; accelerate's `infer_auto_device_map` fills the cards with
 * whole decoder layers, balanced over the GPUs (`get_balanced_memory`), so each card holds its
 * layers (and their LoRA adapters and optimizer states); the embeddings sit on the first card,
 * the head on the last (or with the embeddings when tied: accelerate keeps tied parameters on
 * one device). Only one card computes at a time: each keeps the checkpointed inputs of its own
 * layers plus one layer recomputed; the logits live where the head is.
 */
function deviceMap(p: Parts, n: number, s: EstimateSettings, gpu: GpuProfile): Layout {
  const L = Math.max(1, p.shape.layers);
  const layersOn = (i: number) => Math.floor(L / n) + (i < L % n ? 1 : 0);
  const headGpu = p.count.tied ? 0 : n - 1;
  const single = p.single;
  const layerWeights = Math.max(0, (single.weights ?? 0) - p.embeddingMib - p.headMib);
  // Checkpointing keeps each layer's input hidden state (the rest of `activations` is one layer recomputed).
  const storedInputs = checkpointedInputBytes(p.shape, s, gpu) / MIB;
  const perGpu: Array<Record<string, number>> = [];
  for (let i = 0; i < n; i++) {
    const f = layersOn(i) / L;
    const weights = layerWeights * f + (i === 0 ? p.embeddingMib : 0) + (i === headGpu ? p.headMib : 0);
    // Full fine-tuning trains the embeddings and head too: its states follow the weights.
    const w = s.method === 'full' && single.weights ? weights / single.weights : f;
    const act = single.activations ?? 0;
    const activations = s.method === 'inference' ? act : s.gradientCheckpointing ? storedInputs * f + Math.max(0, act - storedInputs) : act * f;
    const terms: Record<string, number> = { ...perProcessTerms(p) };
    Object.assign(terms, {
      weights,
      quantization_constants: (single.quantization_constants ?? 0) * f,
      adapters: (single.adapters ?? 0) * f,
      gradients: (single.gradients ?? 0) * w,
      optimizer: (single.optimizer ?? 0) * w,
      autocast_weight_copies: (single.autocast_weight_copies ?? 0) * w,
      activations,
      logits: i === headGpu ? single.logits ?? 0 : 0,
      kv_cache: (single.kv_cache ?? 0) * f
    });
    perGpu.push(withOverhead(terms));
  }
  const placement: Record<string, Placement> = {};
  for (const k of Object.keys(perGpu[0])) placement[k] = 'every_gpu';
  for (const k of ['weights', 'quantization_constants', 'adapters', 'gradients', 'optimizer', 'autocast_weight_copies', 'kv_cache']) placement[k] = 'split_by_layer';
  placement.logits = headGpu === 0 ? 'first_gpu' : 'last_gpu';
  return { processes: 1, per_gpu: perGpu, cpu: {}, placement };
}

/** N GPUs with the same terms; offloaded ones go to the RAM once per process. */
function symmetric(n: number, gpu: Record<string, number>, placement: Record<string, Placement>, offloaded: Record<string, number>): Layout {
  const cpu: Record<string, number> = {};
  for (const [k, v] of Object.entries(offloaded)) {
    cpu[k] = v * n;
    placement[k] = 'cpu_ram';
  }
  for (const k of Object.keys(gpu)) placement[k] ??= 'every_gpu';
  return { processes: n, per_gpu: Array.from({ length: n }, () => ({ ...gpu })), cpu, placement };
}

/**
 * FSDP FULL_SHARD (accelerate's FSDP plugin, TRANSFORMER_BASED_WRAP on the decoder layer):
 * parameters, gradients and optimizer states are split 1/N over the GPUs. At run time a unit is
 * all-gathered in the compute dtype (MixedPrecision param_dtype) while it computes, and with
 * BACKWARD_PRE the next one is prefetched: two decoder layers at once. The root unit —
 * embeddings, final norm, head — is not freed after forward ("Do not free the root's parameters
 * in the post-forward for FULL_SHARD", torch/distributed/fsdp/_runtime_utils.py), so it stays
 * gathered for the whole step. Full fine-tuning also holds one unit's unsharded gradient before
 * its reduce-scatter.
 *
 * FSDP-QLoRA: with `bnb_4bit_quant_storage` set to the compute dtype the packed 4-bit weights
 * are a float tensor FSDP can flatten and shard (bitsandbytes docs, "FSDP-QLoRA"); their
 * quantization state (absmax) is not a parameter, so every GPU keeps all of it (bitsandbytes
 * restores it from the module: `fix_4bit_weight_quant_state_from_module`).
 *
 * With `fsdp_offload_params: true` (torch CPUOffload(offload_params=True)) the sharded
 * parameters and their gradients live in the RAM and the optimizer steps there; only the
 * gathered units come to the GPU.
 */
function fsdp(p: Parts, n: number, s: EstimateSettings, offload: boolean): Layout {
  const single = p.single;
  const gatherFactor = s.method === 'full' ? p.c / 4 : 1; // fp32 master shards, gathered in 16-bit
  const rootGathered = ((p.count.embedding + p.count.lm_head) * p.c) / MIB;
  const unit = p.layerMib * gatherFactor;
  const sharded: Record<string, number> = {
    weights: (single.weights ?? 0) / n,
    adapters: (single.adapters ?? 0) / n,
    gradients: (single.gradients ?? 0) / n,
    optimizer: (single.optimizer ?? 0) / n
  };
  const gpu: Record<string, number> = {
    ...(offload ? {} : sharded),
    quantization_constants: single.quantization_constants ?? 0,
    fsdp_gathered_units: rootGathered + 2 * unit + (s.method === 'full' ? unit : 0),
    ...perProcessTerms(p)
  };
  const placement: Record<string, Placement> = offload ? {} : { weights: 'sharded', adapters: 'sharded', gradients: 'sharded', optimizer: 'sharded' };
  return symmetric(n, withOverhead(gpu), placement, offload ? sharded : {});
}

/**
 * DeepSpeed ZeRO (the Trainer/accelerate integration): the model runs in 16-bit (the engine
 * casts it when "bf16"/"fp16" is enabled), and the optimizer keeps an fp32 master copy of each
 * trained parameter beside its states: 2Ψ + 2Ψ + KΨ bytes, K = 12 for Adam (ZeRO paper,
 * arXiv 1910.02054 §3.1, §5). ZeRO-2 splits the gradients and the master+states 1/N; ZeRO-3
 * splits the parameters too (frozen ones included: QLoRA's 4-bit base with quant_storage, as
 * peft documents for "QLoRA and DeepSpeed ZeRO3").
 *
 * What DeepSpeed allocates itself, with the "auto" sizes transformers fills in
 * (`HfTrainerDeepSpeedConfig`: reduce_bucket_size = hidden², stage3_prefetch_bucket_size =
 * 0.9·hidden², stage3_param_persistence_threshold = 10·hidden): one reduce bucket of 16-bit
 * gradients; under ZeRO-3 the largest module gathered whole plus the prefetch bucket, and
 * parameters under the threshold (norms, biases) kept whole on every GPU.
 *
 * Offload ("offload_optimizer"/"offload_param": cpu) moves the master weights and states — and
 * the gradient partitions, which DeepSpeed copies to fp32 for the CPU Adam — and under ZeRO-3
 * the 16-bit parameter partitions to the RAM.
 */
function zero(p: Parts, n: number, s: EstimateSettings, stage: 2 | 3, offload: boolean): Layout {
  const single = p.single;
  const full = s.method === 'full';
  const h = p.shape.hidden;
  // Weights as the engine holds them: full fine-tuning in 16-bit; a LoRA base as it was loaded.
  const weights = full ? (p.count.total * p.c) / MIB : single.weights ?? 0;
  const adapters = full ? 0 : (p.trained * p.c) / MIB;
  // fp32 master + Adam's two fp32 states: the cells' DeepSpeed config names DeepSpeed's own
  // AdamW (FusedAdam; DeepSpeedCPUAdam when offloaded), whatever optimizer one GPU would use.
  const k = 12;
  const optimizer = (p.trained * k) / MIB / n;
  const gradients = (p.trained * p.c) / MIB / n;
  const reduceBucket = (Math.min(p.trained, h * h) * p.c) / MIB;
  const gpu: Record<string, number> = { quantization_constants: single.quantization_constants ?? 0, ...perProcessTerms(p), zero_buckets: reduceBucket };
  const placement: Record<string, Placement> = {};
  const offloaded: Record<string, number> = {};
  if (stage === 2) {
    gpu.weights = weights;
    gpu.adapters = adapters;
  } else {
    const largestLinear = Math.max(0, ...p.count.linear_layers.map(l => l.in_features * l.out_features));
    const otherPerLayer = p.count.other / Math.max(1, p.shape.layers);
    const storedPerLinear = s.method === 'qlora' ? 0.5 : p.c;
    const largestModule = Math.max(p.count.embedding * p.c, p.count.lm_head * p.c, largestLinear * storedPerLinear, otherPerLayer * p.c);
    gpu.zero_buckets += (largestModule + 0.9 * h * h * p.c + p.count.norms_and_biases * p.c) / MIB;
    const params = { weights: weights / n, adapters: adapters / n };
    if (offload) Object.assign(offloaded, params);
    else {
      Object.assign(gpu, params);
      placement.weights = 'sharded';
      placement.adapters = 'sharded';
    }
  }
  if (offload) {
    offloaded.optimizer = optimizer;
    // The CPU Adam reads fp32 gradients: the 16-bit partition is copied up (stage_1_and_2.py, stage3.py).
    offloaded.gradients = (gradients * 4) / p.c;
  } else {
    gpu.optimizer = optimizer;
    gpu.gradients = gradients;
    placement.optimizer = 'sharded';
    placement.gradients = 'sharded';
  }
  return symmetric(n, withOverhead(gpu), placement, offloaded);
}

function layoutFor(strategy: Strategy, p: Parts, n: number, s: EstimateSettings, gpu: GpuProfile): Layout {
  switch (strategy) {
    case 'single':
      return { processes: 1, per_gpu: [{ ...p.single }], cpu: {}, placement: Object.fromEntries(Object.keys(p.single).map(k => [k, 'every_gpu' as Placement])) };
    case 'ddp':
      return ddp(p, n);
    case 'device-map':
      return deviceMap(p, n, s, gpu);
    case 'fsdp':
    case 'fsdp-offload':
      return fsdp(p, n, s, strategy === 'fsdp-offload');
    case 'zero2':
    case 'zero2-offload':
      return zero(p, n, s, 2, strategy === 'zero2-offload');
    case 'zero3':
    case 'zero3-offload':
      return zero(p, n, s, 3, strategy === 'zero3-offload');
  }
}

function rounded(terms: Record<string, number>): { breakdown: Record<string, number>; total: number } {
  const breakdown: Record<string, number> = {};
  let total = 0;
  for (const [k, v] of Object.entries(terms)) {
    const mib = Math.max(0, Math.ceil(v - 1e-9));
    breakdown[k] = mib;
    total += mib;
  }
  return { breakdown, total };
}

const WORSE: Record<FitVerdict, number> = { fits: 0, tight: 1, no: 2 };

/**
 * The memory on each of the runtime's GPUs (and in its RAM) when `strategy` spreads this
 * training over them. `single` (one GPU) is today's estimate, as one GPU share.
 */
export function estimateStrategy(model: ModelEntry, gpu: GpuProfile, asked: EstimateSettings, strategy: Strategy): StrategyEstimate {
  // The family's own recipe (eager attention, a pre-quantized base) and compute format, as one GPU's estimate takes them.
  const settings = withConfigRecipe(model, asked, gpu);
  const count = countParameters(model.config);
  const shape = modelShape(model.config);
  const n = strategy === 'single' ? 1 : Math.max(1, gpu.count);
  const p = parts(count, shape, gpu, settings);
  const layout = layoutFor(strategy, p, n, settings, gpu);
  const per_gpu = layout.per_gpu.map((terms, index) => {
    const r = rounded(terms);
    return { index, total_mib: r.total, breakdown: r.breakdown };
  });
  const cpu = rounded({ processes: PROCESS_RAM_MIB * layout.processes, ...layout.cpu });
  const placement = { ...layout.placement, processes: 'cpu_ram' as Placement };
  const busiest = Math.max(...per_gpu.map(g => g.total_mib));
  const available = availableMib(gpu);
  const gpu_verdict = qloraCannotRun(settings, gpu) ? 'no' : verdictFor(busiest, available);
  const ram = gpu.ram_mib ?? null;
  const ram_verdict = offloads(strategy) && ram !== null ? verdictFor(cpu.total, ram) : null;
  const verdict = ram_verdict !== null && WORSE[ram_verdict] > WORSE[gpu_verdict] ? ram_verdict : gpu_verdict;
  return {
    strategy,
    engine: engineOf(strategy),
    gpus: n,
    processes: layout.processes,
    per_gpu,
    busiest_mib: busiest,
    available_mib: available,
    placement,
    cpu: { total_mib: cpu.total, breakdown: cpu.breakdown, available_mib: ram },
    gpu_verdict,
    ram_verdict,
    verdict
  };
}

/**
 * The strategy as a message key's tail: its id with `_` for `-`, and FSDP over a 4-bit base named
 * as its docs name it (`fsdp_qlora`). Its words, in each language, are `ui.strategy.<label>`.
 */
export function strategyLabel(strategy: Strategy, method?: string): string {
  return strategy === 'fsdp' && method === 'qlora' ? 'fsdp_qlora' : strategy.replace(/-/g, '_');
}

/** The strategy in the words its engine's docs use ("FSDP-QLoRA" when FSDP shards a 4-bit base). */
export function strategyName(strategy: Strategy, method?: string): string {
  const names: Record<Strategy, string> = {
    single: 'one GPU',
    'device-map': 'device_map="auto" (layers split over the GPUs)',
    ddp: 'DDP (a full copy per GPU)',
    fsdp: method === 'qlora' ? 'FSDP-QLoRA' : 'FSDP (full shard)',
    'fsdp-offload': method === 'qlora' ? 'FSDP-QLoRA with CPU offload' : 'FSDP with CPU offload',
    zero2: 'DeepSpeed ZeRO-2',
    'zero2-offload': 'DeepSpeed ZeRO-2 with CPU offload',
    zero3: 'DeepSpeed ZeRO-3',
    'zero3-offload': 'DeepSpeed ZeRO-3 with CPU offload'
  };
  return names[strategy];
}
