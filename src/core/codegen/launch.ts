/**
 * Several GPUs: the cells that train across them with the engine people already use —
 * `accelerate launch` of a written script, with accelerate's config file (its FSDP section,
 * or a DeepSpeed JSON beside it). Accelerate documents this path for notebooks whose kernel
 * must not hold the GPUs itself; the model is loaded by the launched processes, not here.
 * One GPU, and `device_map="auto"` (one process drives every card), keep the usual cells.
 */
import type { GpuProfile, ModelEntry } from '../types';
import { t, Language, MessageKey } from '../i18n';
import { launches, Plan, Strategy, strategyLabel, EstimateSettings } from '../memory';
import { renderSnippet } from './render';
import { pythonCode, pythonTextBlock, PythonValue } from './literal';
import { markdownValue } from './formats';
import { launchTime } from './time';
import { Cell, CellRequest, CellRequestError } from './request';
import { computeDtype, DEFAULT_MAX_STEPS, learningRate, loadDtype, nanMessage, optimizerFor, SAVE_STEPS } from './plan';

export const ACCELERATE_FILE = 'accelerate_config.yaml';
export const DEEPSPEED_FILE = 'ds_config.json';
export const SCRIPT_FILE = 'train_multi_gpu.py';

/**
 * The optimizer the Trainer builds (the DeepSpeed config names none). ZeRO-Offload keeps its
 * states in CPU RAM, where bitsandbytes' CUDA optimizers cannot step: PyTorch's AdamW there,
 * which DeepSpeed accepts once zero_force_ds_cpu_optimizer is off (deepspeed/runtime/engine.py:2342-2346).
 */
function launchOptimizer(gpu: GpuProfile, strategy: Strategy, s: EstimateSettings): EstimateSettings['optimizer'] {
  return strategy.startsWith('zero') && strategy.endsWith('-offload') ? 'adamw_torch' : optimizerFor(gpu, s);
}

function torch(dtype: string): PythonValue {
  return pythonCode(`torch.${dtype}`);
}

const DISTRIBUTED: Record<string, string> = { ddp: 'MULTI_GPU', fsdp: 'FSDP', 'fsdp-offload': 'FSDP' };

/**
 * A CPU rehearsal: a CPU runtime, or `--simulate-on-cpu` — the GPUs' strategy and config, run as
 * that many processes on this CPU (gloo, float32: accelerate's CPU processes take no fp16/bf16 AMP).
 */
function rehearsal(request: CellRequest): boolean {
  return request.gpu.backend === 'cpu' || request.simulateOnCpu === true;
}

/** The config cell: accelerate's YAML, with its FSDP section or a DeepSpeed JSON. */
function configCode(gpu: GpuProfile, model: ModelEntry, strategy: Strategy, s: EstimateSettings, onCpu: boolean, lang: Language): string {
  // accelerate's mixed_precision names; none on a CPU rehearsal, or for a family that computes in fp32.
  const mixed = onCpu ? 'no' : ({ bfloat16: 'bf16', float16: 'fp16', float32: 'no' } as const)[computeDtype(gpu, model)];
  const deepspeed = strategy.startsWith('zero');
  const fsdp = strategy === 'fsdp' || strategy === 'fsdp-offload';
  const values: Record<string, PythonValue> = {
    ACCELERATE_FILE: ACCELERATE_FILE,
    DISTRIBUTED_TYPE: deepspeed ? 'DEEPSPEED' : DISTRIBUTED[strategy],
    NUM_PROCESSES: gpu.count,
    MIXED_PRECISION: mixed,
    USE_CPU: onCpu
  };
  // FSDP checkpoints the activations itself (accelerator.py:1972-1986 wraps each unit); the
  // Trainer's way would all-gather every layer again in backward (training_args.py:692-695).
  if (fsdp) Object.assign(values, { FSDP_OFFLOAD: strategy === 'fsdp-offload', FSDP_EFFICIENT_LOADING: !onCpu, FSDP_CHECKPOINTING: s.gradientCheckpointing });
  const zero3 = strategy === 'zero3' || strategy === 'zero3-offload';
  if (deepspeed) {
    const offload = strategy.endsWith('-offload') ? 'cpu' : 'none';
    Object.assign(values, { DEEPSPEED_FILE: DEEPSPEED_FILE, ZERO_STAGE: zero3 ? 3 : 2, OFFLOAD_OPTIMIZER: offload, ZERO3_INIT: zero3 });
    if (zero3) values.OFFLOAD_PARAM = offload;
  }
  return renderSnippet('multi_gpu_config', values, { FSDP: fsdp, DEEPSPEED: deepspeed, ZERO3: zero3, OFFLOAD: deepspeed && strategy.endsWith('-offload') }, lang);
}

/** The training script itself (python_snippets/multi_gpu_train.py), filled for this model and recipe. */
export function trainingScript(request: CellRequest, strategy: Strategy, s: EstimateSettings, dataset: string, dataFormat: string | null, saveDir: string, lang: Language = 'en'): string {
  const { gpu, method, model } = request;
  const onCpu = rehearsal(request);
  const mixed = onCpu ? 'float32' : computeDtype(gpu, model);
  const lora = method === 'lora' || method === 'qlora';
  const values: Record<string, PythonValue> = {
    MODEL_PATH: request.modelPath ?? model.id,
    OUTPUT_DIR: saveDir,
    DTYPE: torch(onCpu ? 'float32' : loadDtype(gpu, method, model)),
    DATASET: dataset,
    BATCH: s.batch,
    GRAD_ACCUM: s.gradAccum,
    SEQ_LEN: s.seqLen,
    // The single-GPU cells' first run: 60 steps with a checkpoint every 20 (a Kaggle session stops at 12 h).
    MAX_STEPS: request.maxSteps ?? DEFAULT_MAX_STEPS,
    SAVE_STEPS: SAVE_STEPS,
    LEARNING_RATE: learningRate(method),
    OPTIMIZER: launchOptimizer(gpu, strategy, s),
    CHECKPOINTING: s.gradientCheckpointing,
    BF16: mixed === 'bfloat16',
    FP16: mixed === 'float16',
    NAN_MESSAGE: nanMessage(lang, model, method, mixed)
  };
  if (lora) Object.assign(values, { LORA_R: s.loraR, LORA_ALPHA: s.loraAlpha });
  if (method === 'qlora') values.COMPUTE_DTYPE = torch(onCpu ? 'float32' : computeDtype(gpu, model));
  if (dataFormat !== null) values.DATA_FORMAT = dataFormat;
  // DDP and ZeRO-2 keep a whole model per process, on that process's device; FSDP and ZeRO-3
  // place (and shard) it themselves.
  const wholeCopy = strategy === 'ddp' || strategy === 'zero2' || strategy === 'zero2-offload';
  const fsdp = strategy === 'fsdp' || strategy === 'fsdp-offload';
  // TRL casts a 4-bit model's adapters to bfloat16 (trl/trainer/sft_trainer.py:902-911); fp16's
  // grad scaler has no CUDA kernel for bfloat16 gradients (torch/amp/grad_scaler.py:294), so DDP
  // and FSDP put them back in fp32 (FSDP wraps the LoRA layers as their own units,
  // transformers/distributed/fsdp.py:278-279, so their dtype may differ). DeepSpeed casts every
  // parameter to its own fp16/bf16 and keeps fp32 masters (deepspeed/runtime/engine.py:2080-2088).
  const recast = method === 'qlora' && !strategy.startsWith('zero');
  return renderSnippet('multi_gpu_train', values, { LORA: lora, QUANTIZE: method === 'qlora', RECAST: recast, WHOLE_COPY: wholeCopy, FSDP: fsdp, LOCAL_DATA: dataFormat !== null, CPU: onCpu }, lang);
}

/** The launch step: markdown, the config cell, the script cell, the launch cell. */
export function launchCells(request: CellRequest, plan: Plan, lang: Language, dataset: string, dataFormat: string | null, saveDir: string): Cell[] {
  const { gpu, method } = request;
  if (method === 'inference') throw new CellRequestError('the launch step trains: use --method lora, qlora or full');
  if (!launches(plan)) {
    throw new CellRequestError(
      gpu.count <= 1
        ? `the launch step trains on several GPUs; ${gpu.name} is one (give --gpu 2xt4, 8xh100-80gb, …)`
        : `on ${gpu.count} × ${gpu.name} this model trains as one process with device_map="auto" (the train step), not with accelerate launch`
    );
  }
  const { strategy, settings } = plan;
  const perGpu = plan.known ? (plan.total_mib / 1024).toFixed(1) : '?';
  const intro = t(lang, 'cells.launch', {
    gpus: gpu.count,
    gpu: markdownValue(gpu.name),
    strategy: t(lang, `ui.strategy.${strategyLabel(strategy, method)}` as MessageKey),
    per_gpu: perGpu,
    config: ACCELERATE_FILE,
    script: SCRIPT_FILE,
    steps: request.maxSteps ?? DEFAULT_MAX_STEPS,
    save_steps: SAVE_STEPS
  });
  const script = trainingScript(request, strategy, settings, dataset, dataFormat, saveDir, lang);
  return [
    { cell_type: 'markdown', source: intro + launchTime(request, plan, lang, rehearsal(request)), step: 'launch' },
    { cell_type: 'code', source: configCode(gpu, request.model, strategy, settings, rehearsal(request), lang), step: 'launch' },
    { cell_type: 'code', source: renderSnippet('multi_gpu_script', { SCRIPT_FILE: SCRIPT_FILE, SCRIPT: pythonTextBlock(script.replace(/\n*$/, '\n')) }, {}, lang), step: 'launch' },
    { cell_type: 'code', source: renderSnippet('multi_gpu_launch', { ACCELERATE_FILE: ACCELERATE_FILE, SCRIPT_FILE: SCRIPT_FILE, OUTPUT_DIR: saveDir }, {}, lang), step: 'launch' }
  ];
}

