/**
 * One record per step: the markdown that explains it and the code it runs, each read off the
 * request's `Decisions` (decisions.ts). A record decides nothing the decisions already hold (the
 * plan, the head, the dtypes, the data, the first run's length, the optimizer); what only its own
 * template needs (the values and flags of its placeholders) it works out here, once.
 */
import { t, MessageKey } from '../i18n';
import { renderSnippet } from './render';
import { pythonCode, PythonValue } from './literal';
import { markdownValue } from './formats';
import { Cell, CellRequest, CellRequestError } from './request';
import { HEAD_MODULES, loadClass, LORA_TASK_TYPE, learningRate, loadDtype, nanMessage, packagesToInstall, requiredPackages, SAVE_STEPS } from './plan';
import { EstimateSettings, launches, Plan } from '../memory';
import { trainTime } from './time';
import { renderTrainPeak } from './trainPeak';
import { launchCells } from './launch';
import { refuseUntrainable } from './remote';
import { QA_TRY } from './tasks';
import { dataNotes, trainingData } from './data';
import { dataCheckCode, dataCheckMarkdown, suggestedLengthHoles } from './datacheck';
import { loadHoles, quantizeHoles } from './loading';
import { DEFAULT_MIRROR, Decisions, gib, MAX_NEW_TOKENS, Step } from './decisions';
import { remoteLoad, remoteLora, remoteMarkdown, stackPackages } from './remoteStack';

/** What every record reads: the request, its decisions, the plan's settings, and the words of the user's language. */
export interface StepContext {
  request: CellRequest;
  d: Decisions;
  s: EstimateSettings;
  tr: (key: MessageKey, values?: Record<string, string | number>) => string;
}

/** A step of the notebook: a markdown cell, then a code cell. */
interface StepRecord {
  markdown(c: StepContext): string;
  code(c: StepContext): string;
}

/** A step that writes several cells of its own (the several-GPU launch). */
interface CellsRecord {
  cells(c: StepContext): Cell[];
}

type Values = Record<string, PythonValue>;
type Flags = Record<string, boolean>;

function torch(dtype: string): PythonValue {
  return pythonCode(`torch.${dtype}`);
}

function warningsFlag(values: Values, flags: Flags, warnings: string[]): void {
  flags.WARNINGS = warnings.length > 0;
  if (warnings.length) values.WARNINGS = warnings;
}

/** The plan's figures the cells print: the total (what nvidia-smi would show) and without the CUDA context (torch.cuda.max_memory_allocated()). */
function planFigures(plan: Plan): { totalMib: number; tensorMib: number } | null {
  if (!plan.known) return null;
  return { totalMib: plan.total_mib, tensorMib: plan.total_mib - (plan.breakdown.cuda_context ?? 0) };
}

/** Warnings the source step prints: the download against the free disk. */
function sourceWarnings(request: CellRequest, d: Decisions): string[] {
  const total = request.model.checkpoint?.total_bytes;
  const need = (d.plan.known ? d.plan.estimate.loading.download_mib : null) ?? (total === undefined ? null : total / 2 ** 20);
  const disk = request.report?.disk_free_mib ?? request.gpu.disk_free_mib;
  if (request.modelPath !== undefined || need === null || typeof disk !== 'number') return [];
  return need > disk ? [t(d.lang, 'warn.disk', { need: gib(need), free: gib(disk) })] : [];
}

/** Warnings the load step prints first: loading's peak RAM, the whole model on a CPU, the estimate's verdict. */
function loadWarnings(request: CellRequest, d: Decisions): string[] {
  const out: string[] = [];
  const ram = request.report?.ram_available_mib ?? request.gpu.ram_mib;
  const loading = d.plan.known ? d.plan.estimate.loading : null;
  const shard = loading?.largest_shard_mib ?? null;
  if (typeof ram === 'number' && shard !== null && loading && loading.peak_ram_mib > ram) {
    out.push(t(d.lang, 'warn.shard', { need: gib(loading.peak_ram_mib), free: gib(ram) }));
  }
  const total = request.model.checkpoint?.total_bytes;
  if (typeof ram === 'number' && !d.gpuRuntime && total !== undefined && total / 2 ** 20 > ram) {
    out.push(t(d.lang, 'warn.ram', { need: gib(total / 2 ** 20), free: gib(ram) }));
  }
  if (d.plan.known && d.plan.verdict === 'no') out.push(t(d.lang, 'warn.fit', { estimate: d.plan.total_mib }));
  return out;
}

/** The hub environment (mirror, cache folder): set before huggingface_hub is first imported. */
function hubEnvironment(request: CellRequest, d: Decisions, values: Values, flags: Flags): void {
  flags.MIRROR = d.source === 'mirror' && request.modelPath === undefined;
  flags.CACHE_DIR = request.cacheDir !== undefined;
  if (flags.MIRROR) values.MIRROR_URL = request.mirrorUrl ?? DEFAULT_MIRROR;
  if (request.cacheDir !== undefined) values.CACHE_DIR = request.cacheDir;
}

/** A decoder known to ship a BERT tokenizer (no eos): its config or catalog notes name it (uer/gpt2-chinese-*). */
function bertTokenizer(model: CellRequest['model']): boolean {
  return /^Bert/.test(String(model.config.tokenizer_class ?? '')) || /BertTokenizer/.test(model.notes ?? '');
}

const install: StepRecord = {
  markdown: ({ d, tr }) => (d.stack ? remoteMarkdown('install', d.stack, d.lang) : tr('cells.install')),
  code({ request, d }) {
    // A ZeRO launch needs DeepSpeed itself (accelerate imports it for a DEEPSPEED config).
    const deepspeed = d.steps.includes('launch') && launches(d.plan) && d.plan.strategy.startsWith('zero');
    const current = packagesToInstall(requiredPackages(d.head, request.method, d.bits, d.training, d.source, d.optimizer, deepspeed), request.report);
    // Remote code on its own stack: that stack's exact pins (codegen/remoteStack.ts), and a restart after.
    const packages = d.stack ? stackPackages(d.stack, { adapter: request.method === 'lora' || request.method === 'qlora', training: d.training, bitsandbytes: current.some(p => p.startsWith('bitsandbytes')) }, request.report, current) : current;
    const values: Values = {};
    if (packages.length) values.PACKAGES = packages;
    if (packages.length && d.stack) values.RESTART_NOTE = t(d.lang, 'install.restart');
    return renderSnippet('install', values, { PACKAGES: packages.length > 0, PINNED: d.stack !== null }, d.lang);
  }
};

const login: StepRecord = {
  markdown: ({ request, d, tr }) => tr(d.source === 'modelscope' ? 'cells.login.modelscope' : 'cells.login', { model: markdownValue(request.model.id) }),
  code({ request, d }) {
    // huggingface_hub reads HF_ENDPOINT and HF_HOME once, at import (huggingface_hub/constants.py):
    // the login cell sets them itself, before its import.
    const values: Values = {};
    const flags: Flags = { MODELSCOPE: d.source === 'modelscope' };
    if (!flags.MODELSCOPE) values.LICENSE_PAGE = `https://huggingface.co/${request.model.id}`;
    hubEnvironment(request, d, values, flags);
    return renderSnippet('login', values, flags, d.lang);
  }
};

const source: StepRecord = {
  markdown({ request, d, tr }) {
    const line =
      request.modelPath !== undefined
        ? tr('cells.source.local', { path: markdownValue(request.modelPath) })
        : d.source === 'modelscope'
          ? tr('cells.source.modelscope')
          : d.source === 'mirror'
            ? tr('cells.source.mirror', { mirror: markdownValue(request.mirrorUrl ?? DEFAULT_MIRROR) })
            : tr('cells.source.hf');
    return tr('cells.source', { source_line: line });
  },
  code({ request, d }) {
    const modelscope = d.source === 'modelscope' && request.modelPath === undefined;
    if (modelscope && !request.model.modelscope_id) {
      throw new CellRequestError(`${request.model.id} has no ModelScope id in the catalog; use --source hf or mirror`);
    }
    const values: Values = {};
    const flags: Flags = { MODELSCOPE: modelscope };
    hubEnvironment(request, d, values, flags);
    if (modelscope) values.MODELSCOPE_ID = request.model.modelscope_id as string;
    else values.MODEL_PATH = d.modelPath;
    warningsFlag(values, flags, sourceWarnings(request, d));
    return renderSnippet('source', values, flags, d.lang);
  }
};

const quantize: StepRecord = {
  markdown: ({ d, tr }) => tr('cells.quantize', { bits: d.bits ?? 4, compute: d.compute }),
  code({ request, d }) {
    if (d.bits === null) throw new CellRequestError(`the quantize step is for --method qlora (or 4/8-bit inference), not ${request.method}`);
    const { values, flags } = quantizeHoles(d, d.bits, d.compute);
    // FLOAT_STORAGE is the launched script's (FSDP and ZeRO-3 shard only float tensors).
    return renderSnippet('quantize', values, { ...flags, FLOAT_STORAGE: false }, d.lang);
  }
};

const load: StepRecord = {
  markdown({ request, d, tr }) {
    const family = markdownValue(String(request.model.config.model_type ?? '?'));
    const device = tr(d.gpuRuntime ? 'cells.load.gpu' : 'cells.load.cpu');
    const dtype = loadDtype(request.gpu, request.method, request.model);
    let text = d.bits !== null ? tr('cells.load.quantized', { bits: d.bits === 4 ? '4-bit NF4' : '8-bit', dtype, device }) : tr('cells.load', { dtype, device });
    if (request.gpu.backend !== 'cpu' && d.compute === 'float32') text += '\n\n' + tr('cells.load.fp32', { family });
    if (d.head === 'causal' && bertTokenizer(request.model)) text += '\n\n' + tr('cells.load.sep');
    if (d.attention.why === 'no_sdpa') text += '\n\n' + tr('cells.load.eager', { family });
    if (d.attention.why === 'remote') text += '\n\n' + tr('cells.load.attn.remote');
    if (d.attention.why === 'per_part') text += '\n\n' + tr('cells.load.attn.parts');
    if (d.attention.why === 'unknown') text += '\n\n' + tr('cells.load.attn.unknown', { family });
    if (d.loadDefinesPath) text += '\n\n' + tr('cells.load.path', { path: markdownValue(d.modelPath) });
    if (d.stack) text += '\n\n' + remoteMarkdown('load', d.stack, d.lang);
    return text;
  },
  code({ request, d }) {
    if (d.stack) return remoteLoad(d.stack, { dtype: torch(loadDtype(request.gpu, request.method, request.model)), quantize: d.bits !== null, gpu: d.gpuRuntime, modelPath: d.loadDefinesPath ? d.modelPath : null, warnings: loadWarnings(request, d) }, d.lang);
    const load = loadHoles(request, d);
    // WHOLE_COPY is the launched script's (a copy on each process's own GPU).
    const flags: Flags = { ...load.flags, GPU: d.gpuRuntime, DEFINE_PATH: d.loadDefinesPath, WHOLE_COPY: false };
    const values: Values = { ...load.values, DTYPE: torch(loadDtype(request.gpu, request.method, request.model)) };
    if (d.loadDefinesPath) values.MODEL_PATH = d.modelPath;
    warningsFlag(values, flags, loadWarnings(request, d));
    return renderSnippet('load', values, flags, d.lang);
  }
};

const lora: StepRecord = {
  markdown: ({ s, tr }) => tr('cells.lora', { r: s.loraR, alpha: s.loraAlpha }),
  code({ request, d, s }) {
    const { method } = request;
    if (method !== 'lora' && method !== 'qlora') throw new CellRequestError(`the lora step is for --method lora or qlora, not ${method}`);
    if (d.stack) return remoteLora(d.stack, { r: s.loraR, alpha: s.loraAlpha, quantize: method === 'qlora', checkpointing: s.gradientCheckpointing }, d.lang);
    const modules = HEAD_MODULES[d.head];
    return renderSnippet(
      'lora',
      { LORA_R: s.loraR, LORA_ALPHA: s.loraAlpha, TASK_TYPE: LORA_TASK_TYPE[d.head], ...(modules ? { HEAD_MODULES: modules } : {}) },
      { QUANTIZE: method === 'qlora', CHECKPOINTING: s.gradientCheckpointing, HEAD_MODULES: modules !== undefined },
      d.lang
    );
  }
};

const train: StepRecord = {
  markdown({ request, d, s, tr }) {
    const figures = planFigures(d.plan);
    const steps = d.maxSteps;
    let text = tr(request.method === 'full' ? 'cells.train.full' : 'cells.train', {
      batch: s.batch,
      accum: s.gradAccum,
      seq: s.seqLen,
      optim: d.optimizer,
      checkpointing: tr(s.gradientCheckpointing ? 'cells.on' : 'cells.off'),
      // A run shorter than the checkpoint interval writes none: the sentence says so, not "a checkpoint every 20".
      run: steps < SAVE_STEPS ? tr('cells.train.short', { steps, save_steps: SAVE_STEPS }) : tr('cells.train.run', { steps, save_steps: SAVE_STEPS })
    });
    text +=
      '\n\n' +
      (figures === null
        ? tr('cells.train.noestimate')
        : tr('cells.train.estimate', { estimate: figures.tensorMib.toLocaleString('en-US'), context: (figures.totalMib - figures.tensorMib).toLocaleString('en-US') }));
    text += trainTime(request, d.plan, d.lang, d.simulate);
    for (const note of dataNotes(d)) text += '\n\n' + note;
    if (d.stack) text += '\n\n' + remoteMarkdown('train', d.stack, d.lang);
    return text;
  },
  code({ request, d, s }) {
    const { method, model } = request;
    if (!d.training) throw new CellRequestError('the train step needs a training method: --method lora, qlora or full');
    refuseUntrainable(model, d.head, d.lang);
    const data = trainingData(d);
    const flags: Flags = {
      ...data.flags,
      CPU: d.onCpu,
      SIMULATE: d.simulate,
      // accelerate 1.15 turns fp16 autocast on only off the CPU (accelerator.py:565-567: native_amp
      // needs device.type != "cpu"); bf16 it autocasts on a CPU too. The fp16 simulation adds it.
      CPU_FP16: d.simulate && d.mixed === 'float16',
      SFT: d.head === 'causal' // TRL's SFTConfig, which also cuts the samples (max_length)
    };
    const values: Values = {
      OUTPUT_DIR: d.saveDir,
      BATCH: s.batch,
      GRAD_ACCUM: s.gradAccum,
      SEQ_LEN: s.seqLen,
      MAX_STEPS: d.maxSteps,
      SAVE_STEPS: SAVE_STEPS,
      LEARNING_RATE: learningRate(method),
      OPTIMIZER: d.optimizer,
      CHECKPOINTING: s.gradientCheckpointing,
      BF16: d.mixed === 'bfloat16',
      FP16: d.mixed === 'float16',
      ARGS_CLASS: pythonCode(d.head === 'causal' ? 'SFTConfig' : 'TrainingArguments'),
      NAN_MESSAGE: nanMessage(d.lang, model, method, d.mixed),
      ...data.values
    };
    // With the data check: its suggested length, when the user opts in there (datacheck.ts).
    const suggested = suggestedLengthHoles(d.steps, d.head, d.lang);
    Object.assign(flags, suggested.flags);
    Object.assign(values, suggested.values);
    // Every trainer ends the same way: the measured peak beside our estimate, and with
    // device_map="auto" over several GPUs each GPU's peak beside its share (the busiest decides an OOM).
    const perGpu = d.plan.known && d.plan.strategy === 'device-map' ? d.plan.spread.per_gpu.map(g => g.total_mib - (g.breakdown.cuda_context ?? 0)) : null;
    const peak = renderTrainPeak({ request, plan: d.plan, lang: d.lang, simulate: d.simulate, steps: d.maxSteps, tensorMib: planFigures(d.plan)?.tensorMib ?? null, perGpuMib: perGpu });
    let trainer: string;
    if (d.head === 'token') {
      // The score comes after the peak: predicting is not part of what the estimate prices.
      return [renderSnippet('train_ner', values, flags, d.lang), peak, renderSnippet('eval_ner', {}, { CPU_FP16: flags.CPU_FP16 }, d.lang)].join('\n');
    } else if (d.head === 'qa') {
      trainer = renderSnippet('train_qa', values, flags, d.lang);
    } else if (d.head === 'causal') {
      flags.QUANTIZE = method === 'qlora' && d.steps.includes('lora');
      // Remote code on its own stack: transformers' Trainer, with that version's argument names.
      // It cuts at the plan's length itself (train_remote.py), without the data check's opt-in.
      if (d.stack) {
        delete values.ARGS_CLASS;
        delete values.SUGGESTED_NOTE;
      }
      trainer = renderSnippet(d.stack ? 'train_remote' : 'train_sft', values, flags, d.lang);
    } else if (d.head === 'seq2seq') {
      trainer = renderSnippet('train_seq2seq', values, flags, d.lang);
    } else {
      trainer = renderSnippet('train_classifier', values, flags, d.lang);
    }
    // Every trainer ends the same way: the measured peak beside our estimate.
    return trainer + '\n' + peak;
  }
};

/** "Check your data" (datacheck.ts): the Train cell's rows, tokenized as it will, measured before training. */
const check: StepRecord = {
  markdown: ({ request, d }) => dataCheckMarkdown(request, d),
  code: ({ request, d }) => dataCheckCode(request, d)
};

const launch: CellsRecord = {
  // Several GPUs: the engine's config, the training script and accelerate launch (launch.ts),
  // with the head, the data and the loading these decisions give the one-GPU cells.
  cells: ({ request, d }) => launchCells(request, d)
};

const tryIt: StepRecord = {
  markdown: ({ d, tr }) => tr(d.head === 'classification' ? 'cells.try.classify' : d.head === 'token' ? 'cells.try.ner' : d.head === 'qa' ? 'cells.try.qa' : 'cells.try'),
  code({ request, d, s }) {
    // Outside training nothing casts: the fp32 adapters and classifier copy meet 16-bit
    // activations, so "try it" runs under the same autocast as training did.
    const autocast = d.mixed !== 'float32';
    const flags: Flags = { AUTOCAST: autocast };
    const values: Values = autocast ? { COMPUTE_DTYPE: torch(d.mixed) } : {};
    if (d.head === 'causal' || d.head === 'seq2seq') {
      // Qwen3's template has a reasoning switch; other (and remote-code) tokenizers may refuse the keyword.
      const thinking = /^qwen3/.test(String(request.model.config.model_type ?? ''));
      return renderSnippet('try_generate', { ...values, PROMPT: d.prompt, MAX_NEW_TOKENS: request.maxNewTokens ?? MAX_NEW_TOKENS }, { ...flags, SEQ2SEQ: d.head === 'seq2seq', THINKING: thinking }, d.lang);
    }
    if (d.head === 'classification') return renderSnippet('try_classify', { ...values, PROMPT: d.prompt }, flags, d.lang);
    if (d.head === 'token') return renderSnippet('try_ner', { ...values, PROMPT: d.prompt }, { ...flags, CHARACTERS: d.dataLang === 'zh' }, d.lang);
    // A question of the user's (--prompt) is asked of the same sample context: edit both in the cell.
    return renderSnippet('try_qa', { ...values, QUESTION: d.prompt, CONTEXT: QA_TRY[d.promptLang].context, SEQ_LEN: s.seqLen }, flags, d.lang);
  }
};

const save: StepRecord = {
  markdown: ({ d, tr }) => tr('cells.save', { dir: markdownValue(d.saveDir), adapter: d.adapter ? tr('cells.save.adapter') : '' }),
  code({ request, d }) {
    const { adapter } = d;
    const flags: Flags = {
      ADAPTER: adapter,
      NUM_LABELS: adapter && d.head === 'classification',
      LABEL_NAMES: adapter && d.head === 'token',
      REMOTE_CODE: adapter && request.model.trust_remote_code,
      GPU: adapter && d.gpuRuntime,
      TORCH_DTYPE: d.stack !== null // transformers 4's name for dtype, on a remote model's own stack
    };
    const values: Values = { SAVE_DIR: d.saveDir };
    if (adapter) Object.assign(values, { AUTO_CLASS: pythonCode(loadClass(request.model, d.head)), MERGE_DTYPE: torch(d.compute) });
    if (adapter && d.head === 'classification') values.NUM_LABELS = request.numLabels ?? 2;
    return renderSnippet('save', values, flags, d.lang);
  }
};

/** Every step's record, by name: the compiler checks that each step has one. */
const RECORDS: Readonly<Record<Step, StepRecord | CellsRecord>> = { install, login, source, check, quantize, load, lora, train, launch, try: tryIt, save };

/** The cells of one step: its markdown (with the line saying which ticked step brought it along) and its code. */
export function stepCells(step: Step, request: CellRequest, d: Decisions): Cell[] {
  const tr = (key: MessageKey, values: Record<string, string | number> = {}) => t(d.lang, key, values);
  const c: StepContext = { request, d, s: d.plan.settings, tr };
  const record = RECORDS[step];
  if ('cells' in record) return record.cells(c);
  const by = d.added[step];
  const markdown = record.markdown(c);
  return [
    { cell_type: 'markdown', source: by === undefined ? markdown : markdown + '\n\n' + tr('cells.added', { step: tr(`ui.step.${by}` as MessageKey) }), step },
    { cell_type: 'code', source: record.code(c), step }
  ];
}
