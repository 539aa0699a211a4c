/**
 * How much of the peak a step actually reaches, and what it spends besides matrix products.
 * These are the only fitted numbers of the time estimate. They were set on one published
 * table — Qwen's README, "Profiling of Memory and Speed" (A100-SXM4-80G, LoRA, Q-LoRA and full,
 * 256–8,192 tokens: bench/speed/measurements.json, series marked `tuned`; its 1.8B full run, on
 * DeepSpeed ZeRO-3, set ZERO3_HOOK_SECONDS) and, for generation, the Qwen2 speed benchmark
 * (A100) — and then checked, unchanged, on the other series (PEFT's
 * method comparison on an L40S, the Qwen3 speed benchmark on an H20): docs/accuracy-speed.md.
 *
 * - `matmul`: the share of the 16-bit tensor peak large GEMMs reach in a training step under
 *   PyTorch eager — cuBLAS on an A100 sustains about 70–80 % of 312 TFLOPS on GEMMs of these
 *   shapes; a whole step, with its smaller GEMMs and the kernels between them, less. Turing
 *   (T4) cards throttle at their 70 W limit, well below the datasheet's boost-clock peak.
 * - Small matrices fill the GPU less: the share grows with hidden size as h / (h + H_HALF), and
 *   with the tokens of a micro-batch as t / (t + T_HALF).
 * - Every micro-batch pays a fixed cost that does not shrink with its tokens: Python, the
 *   launch of each layer's kernels in forward, recomputation and backward, the data collator.
 * - QLoRA's bitsandbytes layers dequantize each 4-bit weight to 16 bits in every pass that
 *   uses it (forward, recomputation, backward): `dequantize_4bit` reads ½ byte and writes 2
 *   bytes per weight, then the GEMM reads the 2 bytes again.
 * - Generation in transformers runs one forward per token: at batch 1 it reads every weight
 *   once (memory-bound) and launches each layer's kernels from Python (a fixed cost per layer
 *   that small models never hide).
 */
import { capabilityNumber } from '../gpu';
import { GpuProfile } from '../types';

export const H_HALF = 640;
export const T_HALF = 200;
/**
 * Seconds per micro-batch the GPU waits for whatever its size (the optimizer's bookkeeping, the
 * collator, synchronisation), and the CPU's time to launch one decoder layer's kernels in one
 * pass. The GPU runs what was launched while the CPU launches more, so a micro-batch takes the
 * longer of the two, not their sum.
 */
export const MICRO_STEP_SECONDS = 0.02;
export const LAYER_PASS_SECONDS = 0.0014;
/**
 * DeepSpeed ZeRO-3 fetches and releases each layer's parameters from Python hooks around every
 * module, in every pass, even on one GPU (deepspeed/runtime/zero/parameter_offload.py,
 * pre/post-forward hooks): a launch cost per layer and pass several times eager PyTorch's.
 */
export const ZERO3_HOOK_SECONDS = 0.0035;
/** The share of the bandwidth dequantization and the optimizer's elementwise updates reach. */
export const ELEMENTWISE_BANDWIDTH_SHARE = 0.6;
/** Bytes per weight per pass that QLoRA's dequantization moves (read ½, write 2, the GEMM reads 2). */
export const NF4_DEQUANT_BYTES = 4.5;
/** GPTQ's training kernels (auto-gptq's dequantize-then-matmul path) per weight per pass, as bytes at the elementwise rate. */
export const GPTQ_DEQUANT_BYTES = 12;
/**
 * Generation: the CPU's time per decoder layer per generated token (transformers' Python loop),
 * a fixed cost per token, and the bandwidth share of a batch-1 forward reading the weights.
 * The KV cache is read at a far lower share: transformers' eager generate grows the cache by
 * concatenation and rebuilds masks each step, so a long cache costs several times its bytes.
 */
export const DECODE_LAYER_SECONDS = 0.00075;
export const DECODE_TOKEN_SECONDS = 0.002;
export const DECODE_BANDWIDTH_SHARE = 0.7;
export const CACHE_BANDWIDTH_SHARE = 0.025;
/**
 * AutoAWQ's 4-bit layers cost the CPU more per call than nn.Linear's one `F.linear`: in
 * AutoAWQ 0.2.4 (the version of the Qwen2 benchmark) `WQLinear_GEMM.forward` wraps every call in
 * `torch.no_grad()` and a `torch.autograd.Function` (`WQLinearMMFunction.apply`, which saves its
 * inputs for backward even in inference), casts, reshapes twice, calls the `awq_ext` extension
 * and adds the bias as a separate kernel (awq/modules/linear/gemm.py:16-58, 222-256). At batch 1
 * the CPU sets the pace, so this is a cost per quantized Linear per forward, hidden only once
 * the GPU is the slower side (a long cache). Set on Qwen2-1.5B-Instruct's AWQ rows against its
 * BF16 rows (same table, same A100: +5.1 to +5.9 ms per token over its 196 Linears, prompts up
 * to 14,336 tokens); Qwen2-0.5B's and Qwen2-7B's AWQ rows check it (bench/speed).
 */
export const AWQ_LINEAR_SECONDS = 0.000028;
/** Eager attention materializes the scores and runs softmax and dropout over them: its products run at this share of the GEMM rate. */
export const EAGER_ATTENTION_SHARE = 0.35;

/** The GEMM share of the peak a whole training step reaches, by generation of card. */
export function matmulShare(gpu: GpuProfile): number {
  const cc = capabilityNumber(gpu.compute_capability);
  if (cc === null) return 0.5;
  if (cc < 7) return 0.45; // Pascal: no tensor cores; the fp16 peak is plain FMA throughput
  if (cc < 7.5) return 0.5; // Volta
  if (cc < 8) return 0.35; // Turing T4: a 70 W card that holds well under its boost clock
  if (cc < 8.6) return 0.6; // A100
  if (cc < 9) return 0.55; // Ampere/Ada GeForce and L4/L40S
  return 0.45; // Hopper: eager PyTorch leaves more of its peak unused
}

/** The share for these matrix sizes: a fraction of `matmulShare` that grows with width and tokens. */
export function sizeShare(hidden: number, tokens: number): number {
  return (hidden / (hidden + H_HALF)) * (tokens / (tokens + T_HALF));
}
