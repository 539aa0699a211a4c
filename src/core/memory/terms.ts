/**
 * Each term of the memory breakdown, in bytes, with the fact it rests on. Each takes the
 * recipe's choice where there is one (recipe.ts); without one they price what the generated
 * cells do (contract: QLoRA/LoRA/full recipe), term by term.
 */
import { GpuProfile, ModelConfig, WeightDtype } from '../types';
import { ParamCount } from '../params';
import { Shape } from './shape';
import { EstimateSettings } from './types';
import { keepsLastLogitsOnly, LoraTargets, overflowsFp16, Recipe, recipeOf, targetedLayers } from './recipe';

export const MIB = 1024 * 1024;

export const BYTES: Readonly<Record<'fp32' | 'bf16' | 'fp16', number>> = { fp32: 4, bf16: 2, fp16: 2 };

export type ComputeFormat = 'bf16' | 'fp16' | 'fp32';

/**
 * The format a run computes in: bf16 where the GPU has it natively (≥ 8.0), fp16 below (T4, V100,
 * P100), fp32 on a CPU — and fp32 on a GPU without bf16 for a family whose activations overflow
 * fp16 (`overflowsFp16`, recipe.ts): the cells load and train it in float32 there. The one rule:
 * the plan's settings carry its answer (`compute`), the cells' torch dtypes are its names.
 */
export function computeDtype(gpu: GpuProfile, config?: ModelConfig): ComputeFormat {
  if (gpu.backend === 'cpu') return 'fp32';
  if (gpu.bf16) return 'bf16';
  return config !== undefined && overflowsFp16(config) ? 'fp32' : 'fp16';
}

/** The compute format of priced settings: the plan's (`settings.compute`), else the GPU's own. */
export function computeOf(s: EstimateSettings, gpu: GpuProfile): ComputeFormat {
  return s.compute ?? computeDtype(gpu);
}

/**
 * NF4 stores 4 bits per weight. Its quantization constants (one absmax per 64 weights) cost
 * 0.5 bit/param in fp32, and double quantization (8-bit constants, one fp32 per 256 of them)
 * lowers that to 0.127 bit/param — QLoRA paper, arXiv 2305.14314, §3 "Double Quantization".
 */
export const NF4_BITS = 4;
export const NF4_DOUBLE_QUANT_CONSTANT_BITS = 0.127;

/**
 * LLM.int8 (bitsandbytes Linear8bitLt): one byte per weight plus one fp32 scale per output row
 * (row-wise absmax, `SCB`).
 */
function int8Constants(count: ParamCount): number {
  return count.linear_layers.reduce((s, l) => s + 4 * l.out_features * l.count, 0);
}

export interface WeightBytes {
  weights: number;
  quantization_constants: number;
}

/**
 * A pre-quantized 4-bit base (GPTQ, AWQ): per Linear, `qweight` packs eight 4-bit values in an
 * int32 (in × out / 2 bytes), `qzeros` packs the zero points the same way per group
 * (in / g × out / 2 bytes), `scales` are fp16 per group and output (2 × in / g × out) — the
 * layouts of auto-gptq's QuantLinear and AutoAWQ's WQLinear_GEMM; GPTQ adds `g_idx`, one int32
 * per input feature. FP8 (transformers FP8Linear / fbgemm) stores one byte per weight with one
 * fp32 scale per 128 × 128 block or per output row: under 0.1 %, counted per row here.
 */
function preQuantizedLinearBytes(count: ParamCount, r: Recipe): WeightBytes {
  const g = r.weightsGroupSize;
  let weights = 0;
  let constants = 0;
  for (const l of count.linear_layers) {
    const n = l.in_features * l.out_features * l.count;
    if (r.weights === 'fp8') {
      weights += n;
      constants += 4 * l.out_features * l.count;
    } else {
      weights += n / 2;
      constants += n / (2 * g) + (2 * n) / g + (r.weights === 'gptq-int4' ? 4 * l.in_features * l.count : 0);
    }
  }
  return { weights, quantization_constants: constants };
}

/**
 * Weights on the device. Quantized dtypes apply only to `count.linear` — bitsandbytes replaces
 * `type(module) is nn.Linear` / Conv1D (transformers integrations/bitsandbytes.py) and skips
 * the output head, tied and last modules (`get_keys_to_not_convert`); GPTQ/AWQ checkpoints
 * quantize the decoder's Linear layers only. Everything else — embeddings, lm_head, norms,
 * biases, and MoE experts stored as 3-D tensors — stays in the compute dtype (the cells keep
 * the norms 16-bit too: fp32 norms broke the "try it" forward outside autocast, issue 8); with
 * `prepare_model_for_kbit_training` (recipe.kbitPrep) every non-quantized 16-bit parameter
 * is fp32 (`kbitPreparationExtraBytes`). Full fine-tuning keeps fp32 master weights under
 * AMP, or bf16 weights in pure bf16.
 */
export function weightBytes(count: ParamCount, s: EstimateSettings, gpu: GpuProfile): WeightBytes {
  const r = recipeOf(s.recipe);
  const compute = BYTES[computeOf(s, gpu)];
  const rest = count.total - count.linear;
  // peft skips the upcast for GPTQ models (utils/other.py, `is_gptq_quantized`).
  const kbitExtra = r.kbitPrep && s.method !== 'full' && s.method !== 'inference' && r.weights !== 'gptq-int4' ? kbitPreparationExtraBytes(count, gpu, s) : 0;
  if (r.weights !== null && s.method !== 'full') {
    const q = preQuantizedLinearBytes(count, r);
    return { weights: q.weights + rest * compute + kbitExtra, quantization_constants: q.quantization_constants };
  }
  const fullDtype = r.precision === 'pure-bf16' ? 'bf16' : 'fp32';
  const dtype: WeightDtype = s.method === 'qlora' ? 'nf4' : s.method === 'full' ? fullDtype : s.dtype;
  switch (dtype) {
    case 'nf4': {
      return { weights: (count.linear * NF4_BITS) / 8 + rest * compute + kbitExtra, quantization_constants: (count.linear * NF4_DOUBLE_QUANT_CONSTANT_BITS) / 8 };
    }
    case 'int8':
      return { weights: count.linear + rest * compute + kbitExtra, quantization_constants: int8Constants(count) };
    default: {
      // On a 16-bit base, prepare_model_for_kbit_training upcasts every parameter.
      const bytes = kbitExtra > 0 ? 4 : BYTES[dtype];
      return { weights: count.total * bytes, quantization_constants: 0 };
    }
  }
}

/**
 * LoRA adds A (r × in) and B (out × r) to every targeted Linear ("all-linear": all but the
 * head, peft `INCLUDE_LINEAR_LAYERS_SHORTHAND`).
 */
export function loraParams(count: ParamCount, r: number, targets: LoraTargets = 'all-linear'): number {
  return targetedLayers(count, targets).reduce((sum, l) => sum + r * (l.in_features + l.out_features) * l.count, 0);
}

/** The bytes a trained parameter (and its gradient) is held in: fp32 masters under AMP, bf16 in pure bf16. */
export function trainedParamBytes(s: EstimateSettings): number {
  return recipeOf(s.recipe).precision === 'pure-bf16' ? 2 : 4;
}

/**
 * Optimizer state, in bytes, for `trained` parameters whose matrices have `factored` rows
 * plus columns in all (what Adafactor keeps).
 * - torch AdamW: exp_avg and exp_avg_sq, each `zeros_like(param)` (torch/optim/adamw.py):
 *   8 bytes beside fp32 masters, 4 beside bf16 parameters (pure bf16).
 * - bitsandbytes 8-bit AdamW: both states block-wise quantized to 8 bits (2 bytes; Dettmers et
 *   al. 2021, arXiv 2110.02861). The paged variant has the same size but can be evicted to CPU
 *   RAM under pressure.
 * - transformers' Adafactor (optimization.py, defaults `beta1=None`): no first moment; the
 *   second moment of a matrix is factored into a row and a column vector, in the gradient's dtype.
 * - torch SGD as Trainer builds it (`optim="sgd"`, momentum 0): no state at all.
 */
export function optimizerBytes(s: EstimateSettings, trained: number, factored: number): number {
  const p = trainedParamBytes(s);
  switch (s.optimizer) {
    case 'adamw_torch':
      return trained * 2 * p;
    case 'adamw_8bit':
    case 'paged_adamw_8bit':
      return trained * 2;
    case 'adafactor':
      return factored * p;
    case 'sgd':
      return 0;
  }
}

/**
 * The optimizer step's own temporaries. torch's AdamW on CUDA takes the foreach path
 * (`_multi_tensor_adamw`, torch/optim/adamw.py), which computes `torch._foreach_sqrt(exp_avg_sq)`
 * for every parameter of a device and dtype at once: a transient copy of the second moment,
 * trained × (state bytes). The step runs after backward has freed the activations and logits,
 * so only what exceeds those adds to the peak (`transientBytes`). bitsandbytes' 8-bit optimizers
 * update tensor by tensor in fused kernels, Adafactor and SGD per parameter: nothing that size.
 */
export function optimizerStepBytes(s: EstimateSettings, gpu: GpuProfile, trained: number, transientBytes: number): number {
  if (s.optimizer !== 'adamw_torch' || gpu.backend !== 'cuda') return 0;
  return Math.max(0, trained * trainedParamBytes(s) - transientBytes);
}

/** Bytes of optimizer state per trained parameter (Adafactor's factored state is not per parameter: ~0). */
export function optimizerBytesPerParam(s: EstimateSettings): number {
  return optimizerBytes(s, 1, 0);
}

/**
 * Activations kept for backward, per token, per decoder layer, in bytes, for the attention path
 * "sdpa" (memory-efficient / flash kernels keep q, k, v, out and the log-sum-exp, never the
 * seq × seq matrix). Counted from what autograd saves (a frozen Linear saves no input):
 * - two RMSNorms each keep their fp32-cast input (LlamaRMSNorm computes in fp32): 2 × 4h;
 * - SDPA keeps q, k, v (k, v repeated to all heads) and its output: 4 × 2h;
 * - the SwiGLU MLP keeps gate, up and act(gate) outputs: 3 × 2i;
 * - LoRA (peft lora.Linear): per targeted Linear, the dropout mask (1 byte) and the dropped
 *   input cast for lora_A (2 bytes): 3 bytes × its input width, summed over the targeted
 *   Linear layers of one decoder layer (`loraInputWidth`; all-linear on Llama: q, k, v, o,
 *   gate, up take h, down takes i);
 * - full fine-tuning instead keeps every Linear's input and the norms' outputs: 4 × 2h + 2i.
 * The QLoRA paper (arXiv 2305.14314, §4) measured 567 MB of such activations per LLaMA-7B
 * sequence without checkpointing vs 18 MB with it: a ratio of ~31 = this sum / 2h.
 */
export function layerActivationBytesPerToken(shape: Shape, s: EstimateSettings, gpu: GpuProfile, loraInputWidth = 6 * shape.hidden + shape.intermediate): number {
  const h = shape.hidden;
  const i = shape.intermediate;
  const base = 2 * 4 * h + 4 * 2 * h + 3 * 2 * i;
  const extra = s.method === 'full' ? 4 * 2 * h + 2 * i : s.method === 'inference' ? 0 : 3 * loraInputWidth;
  // Without autocast (CPU runs fp32) every 2-byte activation is 4 bytes.
  return (base + extra) * (computeOf(s, gpu) === 'fp32' ? 2 : 1);
}

/**
 * Eager attention (`eager_attention_forward` in the modeling files) materialises the scores:
 * `softmax(..., dtype=torch.float32)` keeps its fp32 output for backward, and the matmul with V
 * keeps the probabilities cast back to the compute dtype — 4 + 2 bytes per score, batch × heads
 * × seq² per layer — plus the additive 4-D mask (batch × seq² in the compute dtype) the layers
 * share. sdpa and FlashAttention keep none of it. Inference holds one layer's scores at a time.
 */
export function attentionScoresBytes(shape: Shape, s: EstimateSettings, gpu: GpuProfile): number {
  // Unless the recipe names one, the attention the cells load this family with.
  if ((s.recipe?.attention ?? shape.cellsAttention) !== 'eager') return 0;
  const compute = BYTES[computeOf(s, gpu)];
  if (s.method === 'inference') {
    // The prefill is the one forward that sees the whole prompt at once.
    const p = promptTokens(s);
    return s.batch * shape.heads * p * p * (4 + compute) + s.batch * p * p * compute;
  }
  const scores = s.batch * shape.heads * s.seqLen * s.seqLen;
  const mask = s.batch * s.seqLen * s.seqLen * compute;
  // Sliding-window layers still build the whole seq² scores (the window is a mask on them);
  // linear-attention layers (Gated DeltaNet) build none.
  const softmaxLayers = shape.layerKinds.full + shape.layerKinds.sliding;
  const layersKept = s.gradientCheckpointing ? Math.min(1, softmaxLayers) : softmaxLayers;
  return scores * (4 + compute) * layersKept + mask;
}

/** Inference: the prompt's tokens (all of seqLen unless the settings say how much is generated). */
export function promptTokens(s: EstimateSettings): number {
  return s.promptLen !== undefined && s.promptLen > 0 ? Math.min(s.promptLen, s.seqLen) : s.seqLen;
}

/**
 * The backward of one recomputed decoder layer of an adapter step (LoRA, QLoRA), per token: what
 * is live at its peak beyond the layers' checkpoints, as the tracer lists it (`python -m
 * model_advisor measure`, `at_peak`; bench/oracle). peft casts each targeted Linear's input to
 * the adapters' fp32 and drops it out in fp32 (peft/tuners/lora/layer.py Linear.forward,
 * `_cast_input_dtype`), so backward holds, per targeted input value, the fp32 gradient of that
 * cast and of its dropout beside the 16-bit one: about 7 bytes × the targeted Linear layers'
 * input widths (`loraInputWidth`: 6 h + i for all-linear on Llama). Around them, the recomputed
 * MLP's gate, up and activation outputs and their 16-bit gradients (14 bytes × i) and the
 * attention's q/k/v/out with their gradients and the norms' fp32 statistics (23 bytes × h).
 * Read off Qwen2.5-7B (T4, fp16): it gives Llama-3.1-8B, Llama-3.2-1B, Qwen2.5-1.5B and
 * Mistral-7B within 2 %; Qwen3 (per-head q/k norms) is 4–9 % above it. Eager attention adds its
 * scores (`attentionScoresBytes`).
 */
export function recomputedLayerPeakBytesPerToken(shape: Shape, loraInputWidth = 6 * shape.hidden + shape.intermediate): number {
  return 23 * shape.hidden + 14 * shape.intermediate + 7 * loraInputWidth;
}

/**
 * The residual stream's bytes per value. It starts at the embedding's output, which autocast does
 * not cast (embedding is not on its lower-precision list), and fp32 + fp16 adds promote to fp32: so
 * fp32 after prepare_model_for_kbit_training (fp32 embeddings) or under fp32 master weights (full
 * fine-tuning with AMP), else the compute dtype (16-bit weights, pure bf16, fp32 compute).
 */
export function residualBytes(s: EstimateSettings, gpu: GpuProfile): number {
  const r = recipeOf(s.recipe);
  return r.kbitPrep || (s.method === 'full' && r.precision === 'amp') ? 4 : BYTES[computeOf(s, gpu)];
}

/**
 * Activations of a training step. With gradient checkpointing (non-reentrant) each layer keeps
 * only its input hidden state and one layer at a time is recomputed in full during backward;
 * without it every layer keeps everything. The hidden state is in the compute dtype, except
 * after `prepare_model_for_kbit_training`: its fp32 embeddings start an fp32 residual stream
 * (fp32 + bf16 promotes to fp32 under autocast), so each checkpoint keeps 4 bytes × h. An
 * adapter step's recomputed layer peaks at `recomputedLayerPeakBytesPerToken` in backward.
 */
export function activationBytes(shape: Shape, s: EstimateSettings, gpu: GpuProfile, loraInputWidth?: number): number {
  const tokens = s.batch * s.seqLen;
  const perLayer = layerActivationBytesPerToken(shape, s, gpu, loraInputWidth);
  const scores = attentionScoresBytes(shape, s, gpu);
  if (s.method === 'inference') {
    // The prefill without grad: a layer's temporaries at a time (hidden states and the MLP's
    // width) for every prompt token; each generated token after it costs one position.
    const c = BYTES[computeOf(s, gpu)];
    return s.batch * promptTokens(s) * (4 * c * shape.hidden + 3 * c * shape.intermediate) + scores;
  }
  if (s.gradientCheckpointing) {
    const recomputed = s.method === 'full' || computeOf(s, gpu) === 'fp32' ? perLayer : recomputedLayerPeakBytesPerToken(shape, loraInputWidth);
    return checkpointedInputBytes(shape, s, gpu) + tokens * recomputed + scores;
  }
  return tokens * shape.layers * perLayer + scores;
}

/** TRL's tiles (trl/kernels/chunked_logprob.py TOKEN_CHUNK_SIZE; trl/trainer/utils.py:1506 _CHUNKED_LOGPROB_CHUNK_SIZE). */
export const TRL_TOKEN_CHUNK = 4096;
export const TRL_VOCAB_CHUNK = 32768;

/**
 * What gradient checkpointing keeps of every layer: its input hidden state, batch × seq × hidden,
 * in the residual stream's dtype (`residualBytes`: fp32 after `prepare_model_for_kbit_training`
 * and under full fine-tuning's fp32 weights, else the compute dtype). Zero without checkpointing or for inference. The one
 * source of this term: one GPU's activations and a layer split's per-GPU share both read it.
 */
export function checkpointedInputBytes(shape: Shape, s: EstimateSettings, gpu: GpuProfile): number {
  if (s.method === 'inference' || !s.gradientCheckpointing) return 0;
  return s.batch * s.seqLen * shape.layers * residualBytes(s, gpu) * shape.hidden;
}

/**
 * The peak while TRL's fused head runs (the start of backward, every checkpoint still alive),
 * from ChunkedLogProbFunction (trl/kernels/chunked_logprob.py): it keeps the valid positions'
 * hidden states (`hidden_states[mask]`, a copy: trl/trainer/utils.py:1645), accumulates their
 * gradient in fp32 (`grad_hidden`, N × h × 4) and projects through one (4,096 × 32,768) tile
 * in the compute dtype — the tile is that wide whatever the vocabulary. Full fine-tuning ends its
 * backward with the head's fp32 weight gradient, and, with the embedding tied to the head, the
 * embedding's own gradient and their sum: 3 × V × h × 4 beside the other gradients (traced).
 */
export function fusedHeadPeakBytes(shape: Shape, s: EstimateSettings, gpu: GpuProfile, tiedHead: boolean): number {
  const c = BYTES[computeOf(s, gpu)];
  const res = residualBytes(s, gpu);
  const n = s.batch * s.seqLen;
  const checkpoints = s.gradientCheckpointing ? n * shape.layers * res * shape.hidden : n * shape.layers * layerActivationBytesPerToken(shape, s, gpu);
  const head = checkpoints + n * shape.hidden * (res + 4) + Math.min(n, TRL_TOKEN_CHUNK) * TRL_VOCAB_CHUNK * c;
  const end = s.method === 'full' && tiedHead ? 3 * shape.vocab * shape.hidden * 4 : 0;
  return Math.max(head, end);
}

/**
 * The loss's logits. With TRL's fused head ("fused", what the cells train with) no logits
 * exist: the term is what the head's peak (`fusedHeadPeakBytes`) adds beyond the activations'
 * (a layer's backward), so that activations + logits is the larger of the two.
 * "standard": the head writes batch × seq × vocab in the compute dtype; transformers'
 * `ForCausalLMLoss` upcasts them to fp32 (`logits.float()`, loss_utils.py) and cross-entropy
 * keeps its fp32 log-softmax for backward: compute + 4 + 4 bytes per logit at the end of the
 * forward. Backward then holds that saved output beside nll_loss's fp32 gradient and
 * log_softmax's fp32 input gradient (4 + 4 + 4) — the larger of the two is the peak.
 * For a 152k vocabulary at 1,024 tokens that is ~1.7 GiB — often more than the activations.
 * A chunked, fused linear + cross-entropy (Liger `LigerFusedLinearCrossEntropyLoss`, Unsloth)
 * never builds them: Liger picks chunks of `next_power_of_2(ceil(BT / ceil(V / H)))` tokens,
 * so one chunk's fp32 logits are about BT × H × 4 bytes, at most twice that, beside the fp32
 * gradient of the hidden states it accumulates (BT × H × 4).
 * Inference keeps only the last position's logits (`logits_to_keep=1` in generate, transformers
 * ≥ 4.45); older versions computed, and upcast to fp32, the logits of the whole prompt.
 */
export function logitsBytes(shape: Shape, s: EstimateSettings, gpu: GpuProfile, tiedHead = false, activations?: number): number {
  const r = recipeOf(s.recipe);
  const compute = BYTES[computeOf(s, gpu)];
  const { width, perToken } = shape.head;
  if (width !== shape.vocab || !perToken) {
    // A task head (token classification, extractive QA, a classifier): `width` logits at each
    // position it scores, through the same upcast cross-entropy — kilobytes to a few MiB.
    const positions = perToken ? (s.method === 'inference' ? promptTokens(s) : s.seqLen) : 1;
    return s.batch * positions * width * (s.method === 'inference' ? compute + 4 : Math.max(compute + 4 + 4, 4 + 4 + 4));
  }
  if (s.method === 'inference') {
    return keepsLastLogitsOnly(r.transformers) ? s.batch * shape.vocab * 4 : s.batch * promptTokens(s) * shape.vocab * (compute + 4);
  }
  // In whole MiB (as estimate.ts takes the activations): the larger of two, not a difference rounded twice.
  if (r.loss === 'fused' && shape.sftHead) return Math.max(0, Math.ceil(fusedHeadPeakBytes(shape, s, gpu, tiedHead) / MIB) * MIB - (activations ?? activationBytes(shape, s, gpu)));
  if (r.loss === 'chunked') return s.batch * s.seqLen * shape.hidden * 4 * 3;
  // "standard", and the fused default for a head TRL does not train (an encoder's masked-LM
  // head, an encoder–decoder: transformers' Trainer computes the full logits).
  return s.batch * s.seqLen * shape.vocab * Math.max(compute + 4 + 4, 4 + 4 + 4);
}

/**
 * The cache while generating, in the compute dtype unless the runtime stores it otherwise (an
 * fp8 cache, as vLLM's `kv_cache_dtype="fp8"`: 1 byte):
 * - full-attention layers keep K and V of every token;
 * - sliding-window layers keep the last `sliding_window - 1` tokens of them
 *   (`DynamicSlidingWindowLayer`, transformers cache_utils.py): Gemma 3 (1024 of 5 layers in 6),
 *   gpt-oss (128, every other layer), Gemma 2, OLMo 3;
 * - Gemma 3n / Gemma 4's KV-sharing layers keep none (they read an earlier layer's), and Gemma 4's
 *   full layers are wider (global_head_dim 512);
 * - linear-attention layers (Qwen3.5 / Qwen3-Next Gated DeltaNet, `LinearAttentionLayer`) keep a
 *   state that does not grow: the recurrent state batch × value heads × key dim × value dim,
 *   fp32 (the torch path casts to float32, qwen3_5/modeling_qwen3_5.py
 *   `torch_chunk_gated_delta_rule`), and the conv's last kernel inputs in the compute dtype.
 */
export function kvCacheBytes(shape: Shape, s: EstimateSettings, gpu: GpuProfile): number {
  if (s.method !== 'inference' || shape.encoderOnly) return 0;
  const kv = recipeOf(s.recipe).kvCacheDtype;
  const bytes = kv === null ? BYTES[computeOf(s, gpu)] : kv === 'fp8' ? 1 : 2;
  const { full, sliding, linear } = shape.layerKinds;
  const windowTokens = shape.slidingWindow > 0 ? Math.min(s.seqLen, shape.slidingWindow - 1) : s.seqLen;
  const kvCache =
    2 * s.batch * bytes * ((full - shape.kvShared.full) * shape.kvWidthFull * s.seqLen + (sliding - shape.kvShared.sliding) * shape.kvWidth * windowTokens);
  const state = linear * s.batch * (4 * shape.linearState.recurrent + BYTES[computeOf(s, gpu)] * shape.linearState.conv);
  return kvCache + state;
}

/**
 * The CUDA context (driver, cuBLAS/cuDNN handles, kernels) takes 300–500 MiB before the first
 * tensor; with lazy module loading (CUDA ≥ 11.7) it sits near the low end. None on CPU/MPS.
 */
export function cudaContextBytes(gpu: GpuProfile): number {
  return gpu.backend === 'cuda' ? 400 * MIB : 0;
}

/**
 * PyTorch's caching allocator rounds blocks up (to 2 MiB segments for large tensors, 512-byte
 * blocks for small) and cannot always reuse freed blocks for differently-sized requests: the
 * memory it reserves exceeds what is allocated. We allow 10 % of the step's transient tensors
 * (activations, logits, gradients) — an allowance, not a measurement.
 */
export const FRAGMENTATION_SHARE = 0.1;

/** The terms the allocator's allowance is a share of: what a step allocates and frees. */
export const TRANSIENT_TERMS = ['activations', 'logits', 'gradients', 'kv_cache'] as const;

/** The caching allocator's allowance over one GPU's transient terms (in the terms' own unit). */
export function allocatorAllowance(terms: Readonly<Record<string, number>>): number {
  return FRAGMENTATION_SHARE * TRANSIENT_TERMS.reduce((sum, k) => sum + (terms[k] ?? 0), 0);
}

/**
 * What `peft.prepare_model_for_kbit_training` would add on top of our QLoRA weights: it casts
 * every non-4-bit fp16/bf16 parameter (embeddings, lm_head, norms) to fp32 (peft
 * utils/other.py). Our cells skip it; a recipe with `kbitPrep` adds it to the weights (the
 * QLoRA paper's code called it).
 */
export function kbitPreparationExtraBytes(count: ParamCount, gpu: GpuProfile, s?: EstimateSettings): number {
  const compute = BYTES[s === undefined ? computeDtype(gpu) : computeOf(s, gpu)];
  return (count.total - count.linear) * (4 - compute);
}
