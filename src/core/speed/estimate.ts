/**
 * `estimateSpeed`: how long a step takes, from the same (model, GPU, settings, strategy) the
 * memory estimate prices. Training: FLOPs per token (flops.ts) over the share of the card's
 * peak a step reaches (rates.ts), plus what does not scale with FLOPs — the fixed cost of each
 * micro-batch, QLoRA's dequantization, the optimizer's update, and with several GPUs the
 * traffic each strategy adds. Generation: the prefill from its FLOPs, each new token from the
 * bytes it reads (every weight and the KV cache) over the memory bandwidth.
 *
 * Every time is at least what the peak allows: the achieved share is below 1 by construction,
 * and a test holds every catalog model to it on every card.
 */
import { countParameters } from '../params';
import { GpuProfile, ModelEntry } from '../types';
import { EstimateSettings, loraParams, Plan, modelShape, recipeOf, Strategy, weightBytes, withConfigRecipe, BYTES, computeOf } from '../memory';
import { decodeFlopsPerToken, prefillFlopsPerToken, trainingFlopsPerToken } from './flops';
import { GpuPeak, Interconnect, peakFor } from './peaks';
import {
  AWQ_LINEAR_SECONDS,
  CACHE_BANDWIDTH_SHARE,
  DECODE_BANDWIDTH_SHARE,
  DECODE_LAYER_SECONDS,
  DECODE_TOKEN_SECONDS,
  EAGER_ATTENTION_SHARE,
  ELEMENTWISE_BANDWIDTH_SHARE,
  GPTQ_DEQUANT_BYTES,
  LAYER_PASS_SECONDS,
  matmulShare,
  MICRO_STEP_SECONDS,
  NF4_DEQUANT_BYTES,
  sizeShare,
  ZERO3_HOOK_SECONDS
} from './rates';

/** Seconds of one optimizer step, by what they are spent on (per GPU; the GPUs work at once). */
export interface StepSeconds {
  compute: number;
  overhead: number;
  dequantize: number;
  optimizer: number;
  communication: number;
}

export interface TrainingSpeed {
  kind: 'training';
  /** All GPUs together. */
  tokens_per_second: number;
  seconds_per_step: number;
  /** Tokens of one optimizer step, all GPUs together: batch × accumulation × length × processes. */
  tokens_per_step: number;
  flops_per_token: number;
  /** What one GPU does per second, and the most it could. */
  achieved_tflops: number;
  peak_tflops: number;
  step: StepSeconds;
  strategy: Strategy;
  processes: number;
  /** The link assumed between the cards; null on one GPU. */
  interconnect: Interconnect | null;
  /** Where the card's figures come from. */
  peak_source: string;
}

export interface InferenceSpeed {
  kind: 'inference';
  /** Prompt tokens per second (the whole batch). */
  prefill_tokens_per_second: number;
  /** Generated tokens per second (the whole batch), at the average length of the cache. */
  decode_tokens_per_second: number;
  prompt_tokens: number;
  generated_tokens: number;
  /** The prefill and the generation of every new token, in seconds. */
  seconds: number;
  peak_tflops: number;
  bandwidth_gbs: number;
  peak_source: string;
}

export type SpeedEstimate = TrainingSpeed | InferenceSpeed;

/** Optimizer bytes moved per trained parameter in one update (read and write of weight, gradient, states). */
function optimizerTraffic(s: EstimateSettings): number {
  switch (s.optimizer) {
    case 'adamw_torch':
      return 28; // read p, g, m, v (4 B each), write p, m, v
    case 'adamw_8bit':
    case 'paged_adamw_8bit':
      return 16; // 1-byte states (block-wise), 4-byte weight and gradient
    case 'adafactor':
      return 16;
    case 'sgd':
      return 12;
  }
}

/** How many processes share the work: one per GPU, except `device-map` (one process drives every card). */
function processesOf(strategy: Strategy, gpu: GpuProfile): number {
  if (strategy === 'single' || strategy === 'device-map') return 1;
  return Math.max(1, gpu.count);
}

/** DeepSpeed's CPU Adam and torch's CPU optimizer step: parameters updated per second on a cloud VM's few cores. */
const CPU_OPTIMIZER_PARAMS_PER_SECOND = 3e8;
/** GPU ↔ CPU copies of offloaded states (pinned memory over PCIe), GB/s. */
const HOST_LINK_GBS = 10;

function communicationSeconds(strategy: Strategy, n: number, link: Interconnect, accum: number, trained: number, gradBytes: number, paramBytes: number): { seconds: number; optimizerShare: number; cpuSeconds: number } {
  if (n <= 1 || strategy === 'single' || strategy === 'device-map') return { seconds: 0, optimizerShare: 1, cpuSeconds: 0 };
  const bw = link.gbs * 1e9;
  const share = (n - 1) / n;
  const allReduce = (bytes: number) => (2 * share * bytes) / bw; // ring all-reduce
  const oneWay = (bytes: number) => (share * bytes) / bw; // all-gather or reduce-scatter
  const offloaded = strategy.endsWith('-offload');
  // Offloaded states: gradients go down, updated 16-bit weights come back, and the CPU updates them.
  const host = offloaded ? (trained * (gradBytes + 2)) / n / (HOST_LINK_GBS * 1e9) : 0;
  const cpuSeconds = offloaded ? trained / n / CPU_OPTIMIZER_PARAMS_PER_SECOND : 0;
  switch (strategy) {
    case 'ddp':
      // One all-reduce of the trained gradients per optimizer step (accelerate skips the sync
      // while accumulating: Accelerator.accumulate → no_sync).
      return { seconds: allReduce(trained * gradBytes), optimizerShare: 1, cpuSeconds: 0 };
    case 'zero2':
    case 'zero2-offload':
      // Gradients reduce-scattered every micro-batch; the updated shards all-gathered once per step.
      return { seconds: accum * oneWay(trained * gradBytes) + oneWay(trained * 2) + host, optimizerShare: 1 / n, cpuSeconds };
    case 'fsdp':
    case 'fsdp-offload':
    case 'zero3':
    case 'zero3-offload': {
      // Weights all-gathered for the forward and again for the backward of every micro-batch;
      // gradients reduce-scattered each micro-batch. Offloaded FSDP brings the weights from the CPU.
      const gather = 2 * oneWay(paramBytes);
      const fromHost = strategy === 'fsdp-offload' ? (2 * paramBytes) / n / (HOST_LINK_GBS * 1e9) : 0;
      return { seconds: accum * (gather + fromHost + oneWay(trained * gradBytes)) + host, optimizerShare: 1 / n, cpuSeconds };
    }
    default:
      return { seconds: 0, optimizerShare: 1, cpuSeconds: 0 };
  }
}

function trainingSpeed(model: ModelEntry, gpu: GpuProfile, s: EstimateSettings, strategy: Strategy, peak: GpuPeak): TrainingSpeed {
  const count = countParameters(model.config);
  const shape = modelShape(model.config);
  const recipe = recipeOf(s.recipe);
  const flops = trainingFlopsPerToken(count, shape, s, recipe);
  const microTokens = s.batch * s.seqLen;
  const rate = peak.tflops16 * 1e12 * matmulShare(gpu) * sizeShare(shape.hidden, microTokens);
  const attentionRate = recipe.attention === 'eager' ? rate * EAGER_ATTENTION_SHARE : rate;
  const computeMicro = ((flops.total - flops.attention) * microTokens) / rate + (flops.attention * microTokens) / attentionRate;
  const passes = 2 + (s.gradientCheckpointing ? 1 : 0);
  // The CPU launches while the GPU computes: only the launch time the GPU does not cover is lost.
  const hooks = strategy === 'zero3' || strategy === 'zero3-offload' ? ZERO3_HOOK_SECONDS : 0;
  const launchMicro = (LAYER_PASS_SECONDS + hooks) * shape.layers * passes;
  const elementwise = peak.bandwidth_gbs * 1e9 * ELEMENTWISE_BANDWIDTH_SHARE;
  // 4-bit bases are dequantized in every pass over every quantized weight, whatever the batch.
  const dequantBytes = s.method === 'qlora' ? NF4_DEQUANT_BYTES : recipe.weights === 'gptq-int4' || recipe.weights === 'awq-int4' ? GPTQ_DEQUANT_BYTES : 0;
  const dequantMicro = (count.linear * dequantBytes * passes) / elementwise;
  const overheadMicro = MICRO_STEP_SECONDS + Math.max(0, launchMicro - computeMicro - dequantMicro);
  const trained = s.method === 'full' ? count.total : loraParams(count, s.loraR, recipe.loraTargets);
  const gradBytes = recipe.precision === 'pure-bf16' ? 2 : 4;
  // What an FSDP/ZeRO-3 gather moves: 16-bit weights (mixed-precision gathers), or the 4-bit storage.
  const w = weightBytes(count, s, gpu);
  const paramBytes = s.method === 'full' ? count.total * BYTES[computeOf(s, gpu) === 'fp32' ? 'fp32' : 'bf16'] : w.weights + w.quantization_constants;
  const processes = processesOf(strategy, gpu);
  const comm = communicationSeconds(strategy, processes, peak.link, s.gradAccum, trained, gradBytes, paramBytes);
  const optimizer = (trained * optimizerTraffic(s) * comm.optimizerShare) / elementwise + comm.cpuSeconds;
  const step: StepSeconds = {
    compute: s.gradAccum * computeMicro,
    overhead: s.gradAccum * overheadMicro,
    dequantize: s.gradAccum * dequantMicro,
    optimizer,
    communication: comm.seconds
  };
  const seconds = step.compute + step.overhead + step.dequantize + step.optimizer + step.communication;
  const tokensPerGpu = microTokens * s.gradAccum;
  const tokens = tokensPerGpu * processes;
  return {
    kind: 'training',
    tokens_per_second: tokens / seconds,
    seconds_per_step: seconds,
    tokens_per_step: tokens,
    flops_per_token: flops.total,
    achieved_tflops: (flops.total * tokensPerGpu) / seconds / 1e12,
    peak_tflops: peak.tflops16,
    step,
    strategy,
    processes,
    interconnect: processes > 1 ? peak.link : null,
    peak_source: peak.source
  };
}

function inferenceSpeed(model: ModelEntry, gpu: GpuProfile, s: EstimateSettings, peak: GpuPeak): InferenceSpeed {
  const count = countParameters(model.config);
  const shape = modelShape(model.config);
  const recipe = recipeOf(s.recipe);
  const prompt = s.promptLen !== undefined && s.promptLen > 0 ? Math.min(s.promptLen, s.seqLen) : s.seqLen;
  const generated = Math.max(0, s.seqLen - prompt);
  // Python launches each layer's kernels; AutoAWQ's Linears add their own host cost per call (rates.ts).
  const awqLinears = recipe.weights === 'awq-int4' ? count.linear_layers.reduce((n, l) => n + l.count, 0) : 0;
  const launch = DECODE_LAYER_SECONDS * shape.layers + AWQ_LINEAR_SECONDS * awqLinears;
  const bandwidth = peak.bandwidth_gbs * 1e9;
  const prefillTokens = s.batch * prompt;
  const prefillRate = peak.tflops16 * 1e12 * matmulShare(gpu) * sizeShare(shape.hidden, prefillTokens);
  const prefill = (prefillTokens * prefillFlopsPerToken(count, shape, prompt, recipe)) / prefillRate + launch;
  // One new token reads every weight once and the whole cache so far; at batch > 1 the weights are shared.
  const w = weightBytes(count, s, gpu);
  const cacheBytes = recipe.kvCacheDtype === 'fp8' ? 1 : BYTES[computeOf(s, gpu)];
  const context = prompt + Math.max(1, generated) / 2;
  const kv = shape.encoderOnly ? 0 : 2 * shape.layers * shape.kvWidth * context * cacheBytes * s.batch;
  const memory = (w.weights + w.quantization_constants) / (bandwidth * DECODE_BANDWIDTH_SHARE) + kv / (bandwidth * CACHE_BANDWIDTH_SHARE);
  const math = (s.batch * decodeFlopsPerToken(count, shape, context)) / (peak.tflops16 * 1e12 * matmulShare(gpu));
  // As in training, the GPU works while Python launches the next layers: the longer of the two.
  const perToken = Math.max(memory, math, launch) + DECODE_TOKEN_SECONDS;
  return {
    kind: 'inference',
    prefill_tokens_per_second: prefillTokens / prefill,
    decode_tokens_per_second: s.batch / perToken,
    prompt_tokens: prompt,
    generated_tokens: generated,
    seconds: prefill + generated * perToken,
    peak_tflops: peak.tflops16,
    bandwidth_gbs: peak.bandwidth_gbs,
    peak_source: peak.source
  };
}

/**
 * The time of a step at these settings, or null where we have no figures for the card (a CPU,
 * Apple silicon, a GPU known only by its size). `strategy` is the one the plan chose ("single"
 * on one GPU); the settings are the plan's, priced with the recipe the memory estimate prices.
 */
export function estimateSpeed(model: ModelEntry, gpu: GpuProfile, asked: EstimateSettings, strategy: Strategy = 'single'): SpeedEstimate | null {
  const peak = peakFor(gpu);
  if (peak === null) return null;
  const settings = withConfigRecipe(model, asked, gpu);
  if (settings.method === 'inference') return inferenceSpeed(model, gpu, settings, peak);
  return trainingSpeed(model, gpu, settings, strategy, peak);
}

/**
 * The time of the plan: its settings under its strategy. Null for a plan without an estimate (a
 * family the counter does not know) and for a runtime without figures.
 */
export function planSpeed(model: ModelEntry, gpu: GpuProfile, plan: Plan): SpeedEstimate | null {
  if (!plan.known) return null;
  return estimateSpeed(model, gpu, plan.settings, plan.strategy);
}

/** Seconds for `steps` optimizer steps. */
export function runSeconds(speed: TrainingSpeed, steps: number): number {
  return speed.seconds_per_step * steps;
}

/** Seconds for one pass over `tokens` of data (all GPUs together). */
export function epochSeconds(speed: TrainingSpeed, tokens: number): number {
  return tokens / speed.tokens_per_second;
}
