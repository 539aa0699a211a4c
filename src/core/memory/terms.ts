/**
 * Each term of the memory breakdown, in bytes, with the fact it rests on. These model what the
 * generated cells do (contract: QLoRA/LoRA/full recipe), term by term.
 */
import { GpuProfile, WeightDtype } from '../types';
import { ParamCount } from '../params';
import { Shape } from './shape';
import { EstimateSettings } from './types';

export const MIB = 1024 * 1024;

export const BYTES: Readonly<Record<'fp32' | 'bf16' | 'fp16', number>> = { fp32: 4, bf16: 2, fp16: 2 };

/** The dtype the GPU computes in: bf16 where native (≥ 8.0), fp16 below (T4, V100, P100), fp32 on a CPU. */
export function computeDtype(gpu: GpuProfile): 'bf16' | 'fp16' | 'fp32' {
  if (gpu.backend === 'cpu') return 'fp32';
  return gpu.bf16 ? 'bf16' : 'fp16';
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
 * Weights on the device. Quantized dtypes apply only to `count.linear` — bitsandbytes replaces
 * `type(module) is nn.Linear` / Conv1D (transformers integrations/bitsandbytes.py) and skips
 * the output head, tied and last modules (`get_keys_to_not_convert`). Everything else —
 * embeddings, lm_head, norms, biases, and MoE experts stored as 3-D tensors — stays in the
 * compute dtype. For QLoRA the cells cast only the norm weights to fp32 (we do NOT call
 * `prepare_model_for_kbit_training`, which would upcast embeddings and lm_head too), so the
 * small norms-and-biases share is priced at 4 bytes.
 */
export function weightBytes(count: ParamCount, s: EstimateSettings, gpu: GpuProfile): WeightBytes {
  const compute = BYTES[computeDtype(gpu)];
  const rest = count.total - count.linear;
  const dtype: WeightDtype = s.method === 'qlora' ? 'nf4' : s.method === 'full' ? 'fp32' : s.dtype;
  switch (dtype) {
    case 'nf4': {
      const unquantized = s.method === 'qlora' ? (rest - count.norms_and_biases) * compute + count.norms_and_biases * 4 : rest * compute;
      return { weights: (count.linear * NF4_BITS) / 8 + unquantized, quantization_constants: (count.linear * NF4_DOUBLE_QUANT_CONSTANT_BITS) / 8 };
    }
    case 'int8':
      return { weights: count.linear + rest * compute, quantization_constants: int8Constants(count) };
    default:
      return { weights: count.total * BYTES[dtype], quantization_constants: 0 };
  }
}

/** LoRA adds A (r × in) and B (out × r) to every targeted Linear ("all-linear": all but the head). */
export function loraParams(count: ParamCount, r: number): number {
  return count.linear_layers.reduce((sum, l) => sum + r * (l.in_features + l.out_features) * l.count, 0);
}

/** Bytes of optimizer state per trained parameter. */
export function optimizerBytesPerParam(s: EstimateSettings): number {
  // torch AdamW: exp_avg and exp_avg_sq in fp32 (8 bytes). bitsandbytes 8-bit AdamW: both
  // states block-wise quantized to 8 bits (2 bytes; Dettmers et al. 2021, arXiv 2110.02861).
  // The paged variant has the same size but can be evicted to CPU RAM under pressure.
  return s.optimizer === 'adamw_torch' ? 8 : 2;
}

/**
 * Activations kept for backward, per token, per decoder layer, in bytes, for the attention path
 * "sdpa" (memory-efficient / flash kernels keep q, k, v, out and the log-sum-exp, never the
 * seq × seq matrix). Counted from what autograd saves (a frozen Linear saves no input):
 * - two RMSNorms each keep their fp32-cast input (LlamaRMSNorm computes in fp32): 2 × 4h;
 * - SDPA keeps q, k, v (k, v repeated to all heads) and its output: 4 × 2h;
 * - the SwiGLU MLP keeps gate, up and act(gate) outputs: 3 × 2i;
 * - LoRA (peft lora.Linear): per targeted Linear, the dropout mask (1 byte) and the dropped
 *   input cast for lora_A (2 bytes), on q, k, v, o, gate, up (6 × h inputs) and down (i);
 * - full fine-tuning instead keeps every Linear's input and the norms' outputs: 4 × 2h + 2i.
 * The QLoRA paper (arXiv 2305.14314, §4) measured 567 MB of such activations per LLaMA-7B
 * sequence without checkpointing vs 18 MB with it: a ratio of ~31 = this sum / 2h.
 */
export function layerActivationBytesPerToken(shape: Shape, s: EstimateSettings, gpu: GpuProfile): number {
  const h = shape.hidden;
  const i = shape.intermediate;
  const base = 2 * 4 * h + 4 * 2 * h + 3 * 2 * i;
  const extra = s.method === 'full' ? 4 * 2 * h + 2 * i : s.method === 'inference' ? 0 : 6 * 3 * h + 3 * i;
  // Without autocast (CPU runs fp32) every 2-byte activation is 4 bytes.
  return (base + extra) * (computeDtype(gpu) === 'fp32' ? 2 : 1);
}

/**
 * Activations of a training step. With gradient checkpointing (non-reentrant) each layer keeps
 * only its input hidden state (2 bytes × h per token) and one layer at a time is recomputed in
 * full during backward; without it every layer keeps everything.
 */
export function activationBytes(shape: Shape, s: EstimateSettings, gpu: GpuProfile): number {
  const tokens = s.batch * s.seqLen;
  const perLayer = layerActivationBytesPerToken(shape, s, gpu);
  const hiddenBytes = BYTES[computeDtype(gpu)] * shape.hidden;
  if (s.method === 'inference') {
    // One forward without grad: a layer's temporaries at a time (hidden states and the MLP's width).
    return tokens * (4 * hiddenBytes + 3 * BYTES[computeDtype(gpu)] * shape.intermediate);
  }
  if (s.gradientCheckpointing) return tokens * (shape.layers * hiddenBytes + perLayer);
  return tokens * shape.layers * perLayer;
}

/**
 * The loss's logits. The head writes batch × seq × vocab in the compute dtype (kept in the
 * model output); transformers' `ForCausalLMLoss` upcasts them to fp32 (`logits.float()`), and
 * cross-entropy keeps its fp32 log-softmax for backward, whose gradient is fp32 again.
 * For a 152k vocabulary at 1,024 tokens that is ~1.5 GiB — often more than the activations.
 * Inference keeps only the last position's logits (`logits_to_keep=1` in generate).
 */
export function logitsBytes(shape: Shape, s: EstimateSettings, gpu: GpuProfile): number {
  const compute = BYTES[computeDtype(gpu)];
  if (s.method === 'inference') return s.batch * shape.vocab * 4;
  return s.batch * s.seqLen * shape.vocab * (compute + 4 + 4);
}

/** KV cache while generating: K and V, per layer, per token, in the compute dtype. */
export function kvCacheBytes(shape: Shape, s: EstimateSettings, gpu: GpuProfile): number {
  if (s.method !== 'inference' || shape.encoderOnly) return 0;
  return 2 * shape.layers * shape.kvWidth * s.seqLen * s.batch * BYTES[computeDtype(gpu)];
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

/**
 * What `peft.prepare_model_for_kbit_training` would add on top of our QLoRA weights: it casts
 * every non-4-bit fp16/bf16 parameter (embeddings, lm_head, norms) to fp32 (peft
 * utils/other.py). Our cells skip it, so this is not in the breakdown; it is here to compare
 * with measurements taken with it (the QLoRA paper's code called it).
 */
export function kbitPreparationExtraBytes(count: ParamCount, gpu: GpuProfile): number {
  const compute = BYTES[computeDtype(gpu)];
  return (count.total - count.linear - count.norms_and_biases) * (4 - compute);
}
