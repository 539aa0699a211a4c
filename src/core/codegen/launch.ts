/**
 * Several GPUs: the cells that train across them with the engine people already use —
 * `accelerate launch` of a written script, with accelerate's config file (its FSDP section,
 * or a DeepSpeed JSON beside it). Accelerate documents this path for notebooks whose kernel
 * must not hold the GPUs itself; the model is loaded by the launched processes, not here.
 * One GPU, and `device_map="auto"` (one process drives every card), keep the usual cells.
 */
import type { GpuProfile } from '../types';
import { t, MessageKey } from '../i18n';
import { launches, Strategy, strategyLabel, EstimateSettings } from '../memory';
import { renderSnippet } from './render';
import { pythonCode, pythonTextBlock, PythonValue } from './literal';
import { markdownValue } from './formats';
import { launchTime } from './time';
import { Cell, CellRequest, CellRequestError } from './request';
import { HEAD_MODULES, loadClass, learningRate, loadDtype, LORA_TASK_TYPE, nanMessage, SAVE_STEPS, TorchDtype } from './plan';
import type { Decisions } from './decisions';
import { dataNotes, trainingData } from './data';
import { loadHoles, quantizeHoles } from './loading';
import { refuseLaunchOnOwnStack, refuseUntrainable } from './remote';

export const ACCELERATE_FILE = 'accelerate_config.yaml';
export const DEEPSPEED_FILE = 'ds_config.json';
export const SCRIPT_FILE = 'train_multi_gpu.py';

/**
 * The optimizer the Trainer builds (the DeepSpeed config names none). ZeRO-Offload keeps its
 * states in CPU RAM, where bitsandbytes' CUDA optimizers cannot step: PyTorch's AdamW there,
 * which DeepSpeed accepts once zero_force_ds_cpu_optimizer is off (deepspeed/runtime/engine.py:2342-2346).
 */
function launchOptimizer(strategy: Strategy, d: Decisions): EstimateSettings['optimizer'] {
  return strategy.startsWith('zero') && strategy.endsWith('-offload') ? 'adamw_torch' : d.optimizer;
}

function torch(dtype: string): PythonValue {
  return pythonCode(`torch.${dtype}`);
}

const DISTRIBUTED: Record<string, string> = { ddp: 'MULTI_GPU', fsdp: 'FSDP', 'fsdp-offload': 'FSDP' };

/**
 * The launched processes' mixed precision: the plan's compute format on the GPUs; float32 on a CPU
 * rehearsal (a CPU runtime, or `--simulate-on-cpu`: the GPUs' strategy and config run as that many
 * processes on this CPU, over gloo), since accelerate's CPU processes take no fp16/bf16 AMP.
 */
function launchedMixed(d: Decisions): TorchDtype {
  return d.onCpu ? 'float32' : d.compute;
}

/** The config cell: accelerate's YAML, with its FSDP section or a DeepSpeed JSON. */
function configCode(gpu: GpuProfile, strategy: Strategy, s: EstimateSettings, d: Decisions): string {
  const { onCpu, lang } = d;
  // accelerate's mixed_precision names; none on a CPU rehearsal, or for a family that computes in fp32.
  const mixed = ({ bfloat16: 'bf16', float16: 'fp16', float32: 'no' } as const)[launchedMixed(d)];
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

/**
 * The training script itself (python_snippets/multi_gpu_train.py), filled for this model, head
 * and recipe: the load, quantize and head partials the one-GPU cells include, so a BERT tagger or
 * an mT5 trains on several GPUs with the head, data and loading it would get on one.
 */
function trainingScript(request: CellRequest, strategy: Strategy, s: EstimateSettings, d: Decisions): string {
  const { gpu, method, model } = request;
  const { head, onCpu, bits, lang } = d;
  const mixed = launchedMixed(d);
  const lora = method === 'lora' || method === 'qlora';
  const load = loadHoles(request, d);
  const reads = trainingData(d);
  const values: Record<string, PythonValue> = {
    ...load.values,
    ...reads.values,
    MODEL_PATH: d.modelPath,
    OUTPUT_DIR: d.saveDir,
    DTYPE: torch(onCpu ? 'float32' : loadDtype(gpu, method, model)),
    ARGS_CLASS: pythonCode(head === 'causal' ? 'SFTConfig' : 'TrainingArguments'),
    BATCH: s.batch,
    GRAD_ACCUM: s.gradAccum,
    SEQ_LEN: s.seqLen,
    // The single-GPU cells' first run: 60 steps with a checkpoint every 20 (a Kaggle session stops at 12 h).
    MAX_STEPS: d.maxSteps,
    SAVE_STEPS: SAVE_STEPS,
    LEARNING_RATE: learningRate(method),
    OPTIMIZER: launchOptimizer(strategy, d),
    CHECKPOINTING: s.gradientCheckpointing,
    BF16: mixed === 'bfloat16',
    FP16: mixed === 'float16',
    NAN_MESSAGE: nanMessage(lang, model, method, mixed)
  };
  if (lora) Object.assign(values, { LORA_R: s.loraR, LORA_ALPHA: s.loraAlpha, TASK_TYPE: LORA_TASK_TYPE[head] });
  if (lora && HEAD_MODULES[head]) values.HEAD_MODULES = HEAD_MODULES[head];
  const quantize = bits === null ? null : quantizeHoles(d, bits, mixed);
  if (quantize) Object.assign(values, quantize.values);
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
  const flags = {
    ...load.flags,
    ...reads.flags,
    ...(quantize ? quantize.flags : { FOUR_BIT: false, NEW_HEAD: false }),
    // The packed 4-bit weights in the compute dtype, which FSDP and ZeRO-3 can shard.
    FLOAT_STORAGE: true,
    LORA: lora,
    HEAD_MODULES: lora && HEAD_MODULES[head] !== undefined,
    RECAST: recast,
    WHOLE_COPY: wholeCopy,
    FSDP: fsdp,
    CPU: onCpu,
    // The process's own device (WHOLE_COPY), or the engine's placement: never device_map="auto".
    GPU: false,
    DEFINE_PATH: false,
    WARNINGS: false,
    SFT: head === 'causal',
    CLASSIFY: head === 'classification',
    SEQ2SEQ: head === 'seq2seq',
    TOKEN: head === 'token',
    QA: head === 'qa'
  };
  return renderSnippet('multi_gpu_train', values, flags, lang);
}

/**
 * The launch step: markdown, the config cell, the script cell, the launch cell — with the head,
 * the data and the loading the request's decisions give the one-GPU cells.
 */
export function launchCells(request: CellRequest, d: Decisions): Cell[] {
  const { gpu, method } = request;
  const { plan, lang, saveDir } = d;
  if (method === 'inference') throw new CellRequestError('the launch step trains: use --method lora, qlora or full');
  refuseUntrainable(request.model, d.head, lang);
  refuseLaunchOnOwnStack(request.model, d.head, lang);
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
    steps: d.maxSteps,
    save_steps: SAVE_STEPS
  });
  const script = trainingScript(request, strategy, settings, d);
  // What the script trains, then the one-GPU cells' own sentences about the head and the data.
  const head = t(lang, 'cells.launch.head', { auto: loadClass(request.model, d.head), script: SCRIPT_FILE });
  const notes = [head, ...dataNotes(d)].map(note => '\n\n' + note).join('');
  return [
    { cell_type: 'markdown', source: intro + launchTime(request, plan, lang, d.onCpu, d.maxSteps) + notes, step: 'launch' },
    { cell_type: 'code', source: configCode(gpu, strategy, settings, d), step: 'launch' },
    { cell_type: 'code', source: renderSnippet('multi_gpu_script', { SCRIPT_FILE: SCRIPT_FILE, SCRIPT: pythonTextBlock(script.replace(/\n*$/, '\n')) }, {}, lang), step: 'launch' },
    { cell_type: 'code', source: renderSnippet('multi_gpu_launch', { ACCELERATE_FILE: ACCELERATE_FILE, SCRIPT_FILE: SCRIPT_FILE, OUTPUT_DIR: saveDir }, {}, lang), step: 'launch' }
  ];
}

