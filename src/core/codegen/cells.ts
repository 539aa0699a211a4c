/**
 * `renderCells`: the notebook cells for one model, runtime and method — a markdown cell
 * explaining each step, then the step's code, filled from python_snippets/ by `renderSnippet`.
 */
import type { Method } from '../types';
import { t, Language, MessageKey } from '../i18n';
import { renderSnippet } from './render';
import { pythonCode, PythonValue } from './literal';
import { markdownValue } from './formats';
import { Cell, CellRequest, CellRequestError } from './request';
import {
  AUTO_CLASS,
  Head,
  LORA_TASK_TYPE,
  chooseHead,
  chooseTask,
  computeDtype,
  learningRate,
  loadDtype,
  optimizerFor,
  packagesToInstall,
  quantBits,
  requiredPackages
} from './plan';
import { planFor, Plan } from './estimate';
import { launchCells, spreadFor } from './launch';

/** Every step, in the order the cells run. */
export const STEPS = ['install', 'login', 'source', 'quantize', 'load', 'lora', 'train', 'launch', 'try', 'save'] as const;
export type Step = (typeof STEPS)[number];

const DEFAULT_MIRROR = 'https://hf-mirror.com';
const DEFAULT_PROMPT: Record<Language, string> = {
  en: 'Explain in two sentences what fine-tuning a language model means.',
  'zh-Hans': '用两句话解释什么是微调语言模型。',
  'zh-Hant': '用兩句話解釋什麼是微調語言模型。'
};
const DEFAULT_DATASET = 'trl-lib/Capybara';
const DEFAULT_CLASSIFICATION_DATASET = 'stanfordnlp/imdb'; // "text" and "label" columns
// No hub dataset has the "source"/"target" columns the seq2seq cell reads: name the user's own file.
const DEFAULT_SEQ2SEQ_DATASET = 'my_translation_pairs.jsonl';

/**
 * The steps a method needs when the user does not choose. Several GPUs training with
 * accelerate launch (`launched`): the launched processes load and train the model, so the
 * notebook itself loads nothing onto the GPUs.
 */
export function defaultSteps(method: Method, gated: boolean, quantized: boolean, launched = false): Step[] {
  if (launched) return STEPS.filter(step => step === 'install' || step === 'source' || step === 'launch' || (step === 'login' && gated));
  return STEPS.filter(step => {
    if (step === 'launch') return false;
    if (step === 'login') return gated;
    if (step === 'quantize') return quantized;
    if (step === 'lora') return method === 'lora' || method === 'qlora';
    if (step === 'train' || step === 'save') return method !== 'inference';
    return true;
  });
}

function gib(mib: number): string {
  return (mib / 1024).toFixed(1);
}

/** The shape of everything the templates need, decided once. */
interface Decisions {
  lang: Language;
  head: Head;
  plan: Plan;
  bits: 4 | 8 | null;
  gpuRuntime: boolean; // CUDA/ROCm: device_map="auto", mixed precision
  modelPath: string;
  dataset: string;
  saveDir: string;
  prompt: string;
}

function decide(request: CellRequest): Decisions {
  const { model, gpu, method } = request;
  const lang = request.language ?? 'en';
  const head = chooseHead(model, chooseTask(model, request.task));
  const plan = planFor(model, gpu, method, request.settings);
  const bits = quantBits(method, plan.settings);
  if (bits !== null && !gpu.bnb_4bit) {
    throw new CellRequestError(`${gpu.name} cannot run bitsandbytes ${bits}-bit (needs CUDA compute capability 6.0+ or a CPU); choose --method lora or full`);
  }
  const name = (request.modelPath ?? model.id).split(/[\\/]/).filter(Boolean).pop() ?? 'model';
  return {
    lang,
    head,
    plan,
    bits,
    gpuRuntime: gpu.backend === 'cuda' || gpu.backend === 'rocm',
    modelPath: request.modelPath ?? model.id,
    dataset: request.dataset ?? (head === 'classification' ? DEFAULT_CLASSIFICATION_DATASET : head === 'seq2seq' ? DEFAULT_SEQ2SEQ_DATASET : DEFAULT_DATASET),
    saveDir: request.saveDir ?? `outputs/${name}-${method}`,
    prompt: request.prompt ?? DEFAULT_PROMPT[lang]
  };
}

const LOCAL_DATA_FORMAT: Record<string, string> = { json: 'json', jsonl: 'json', csv: 'csv' };

/** A dataset is a local file when it ends in .json/.jsonl/.csv; `load_dataset` names the format. */
function localDataFormat(dataset: string): string | null {
  const m = /\.(jsonl|json|csv)$/i.exec(dataset);
  return m ? LOCAL_DATA_FORMAT[m[1].toLowerCase()] : null;
}

function warningsFlag(values: Record<string, PythonValue>, flags: Record<string, boolean>, warnings: string[]): void {
  flags.WARNINGS = warnings.length > 0;
  if (warnings.length) values.WARNINGS = warnings;
}

/** Warnings the source step prints: the download against the free disk. */
function sourceWarnings(request: CellRequest, d: Decisions): string[] {
  const total = request.model.checkpoint?.total_bytes;
  const need = d.plan.loading?.download_mib ?? (total === undefined ? null : total / 2 ** 20);
  const disk = request.report?.disk_free_mib ?? request.gpu.disk_free_mib;
  if (request.modelPath !== undefined || need === null || typeof disk !== 'number') return [];
  return need > disk ? [t(d.lang, 'warn.disk', { need: gib(need), free: gib(disk) })] : [];
}

/** Warnings the load step prints first: loading's peak RAM, the whole model on a CPU, the estimate's verdict. */
function loadWarnings(request: CellRequest, d: Decisions): string[] {
  const out: string[] = [];
  const ram = request.report?.ram_available_mib ?? request.gpu.ram_mib;
  const loading = d.plan.loading;
  const shard = loading?.largest_shard_mib ?? null;
  if (typeof ram === 'number' && shard !== null && loading && loading.peak_ram_mib > ram) {
    out.push(t(d.lang, 'warn.shard', { need: gib(loading.peak_ram_mib), free: gib(ram) }));
  }
  const total = request.model.checkpoint?.total_bytes;
  if (typeof ram === 'number' && !d.gpuRuntime && total !== undefined && total / 2 ** 20 > ram) {
    out.push(t(d.lang, 'warn.ram', { need: gib(total / 2 ** 20), free: gib(ram) }));
  }
  if (d.plan.verdict === 'no' && d.plan.totalMib !== null) out.push(t(d.lang, 'warn.fit', { estimate: d.plan.totalMib }));
  return out;
}

function torch(dtype: string): PythonValue {
  return pythonCode(`torch.${dtype}`);
}

/** One step's code. */
function code(step: Step, request: CellRequest, d: Decisions): string {
  const { gpu, method, model } = request;
  const s = d.plan.settings;
  const values: Record<string, PythonValue> = {};
  const flags: Record<string, boolean> = {};
  const training = method !== 'inference';
  switch (step) {
    case 'install': {
      const packages = packagesToInstall(requiredPackages(d.head, method, d.bits, training, request.source ?? 'hf'), request.report);
      flags.PACKAGES = packages.length > 0;
      if (packages.length) values.PACKAGES = packages;
      return renderSnippet('install', values, flags);
    }
    case 'login':
      return renderSnippet('login', { LICENSE_PAGE: `https://huggingface.co/${model.id}` });
    case 'source': {
      const source = request.source ?? 'hf';
      const modelscope = source === 'modelscope' && request.modelPath === undefined;
      if (modelscope && !model.modelscope_id) {
        throw new CellRequestError(`${model.id} has no ModelScope id in the catalog; use --source hf or mirror`);
      }
      flags.MODELSCOPE = modelscope;
      flags.MIRROR = source === 'mirror' && request.modelPath === undefined;
      flags.CACHE_DIR = request.cacheDir !== undefined;
      if (modelscope) values.MODELSCOPE_ID = model.modelscope_id as string;
      else values.MODEL_PATH = d.modelPath;
      if (flags.MIRROR) values.MIRROR_URL = request.mirrorUrl ?? DEFAULT_MIRROR;
      if (request.cacheDir !== undefined) values.CACHE_DIR = request.cacheDir;
      warningsFlag(values, flags, sourceWarnings(request, d));
      return renderSnippet('source', values, flags);
    }
    case 'quantize':
      if (d.bits === null) throw new CellRequestError(`the quantize step is for --method qlora (or 4/8-bit inference), not ${method}`);
      flags.FOUR_BIT = d.bits === 4;
      if (d.bits === 4) values.COMPUTE_DTYPE = torch(computeDtype(gpu));
      // transformers keeps only the output embeddings and the last parameter's module out of
      // bitsandbytes (get_keys_to_not_convert); a task head ("classifier.bias" is the last
      // parameter, which names no module) would be quantized and peft could not train it.
      flags.NEW_HEAD = d.head === 'classification' || d.head === 'token' || d.head === 'qa';
      if (flags.NEW_HEAD) values.SKIP_MODULES = ['classifier', 'score', 'pooler.dense', 'qa_outputs'];
      return renderSnippet('quantize', values, flags);
    case 'load': {
      const classifier = d.head === 'classification' || d.head === 'token';
      Object.assign(flags, { QUANTIZE: d.bits !== null, GPU: d.gpuRuntime, NUM_LABELS: classifier, REMOTE_CODE: model.trust_remote_code, SDPA: !model.trust_remote_code });
      Object.assign(values, { AUTO_CLASS: pythonCode(AUTO_CLASS[d.head]), DTYPE: torch(loadDtype(gpu, method)) });
      if (classifier) values.NUM_LABELS = request.numLabels ?? 2;
      warningsFlag(values, flags, loadWarnings(request, d));
      return renderSnippet('load', values, flags);
    }
    case 'lora':
      if (method !== 'lora' && method !== 'qlora') throw new CellRequestError(`the lora step is for --method lora or qlora, not ${method}`);
      return renderSnippet(
        'lora',
        { LORA_R: s.loraR, LORA_ALPHA: s.loraAlpha, TASK_TYPE: LORA_TASK_TYPE[d.head] },
        { QUANTIZE: method === 'qlora', CHECKPOINTING: s.gradientCheckpointing }
      );
    case 'train': {
      if (!training) throw new CellRequestError('the train step needs a training method: --method lora, qlora or full');
      if (d.head === 'token' || d.head === 'qa') {
        throw new CellRequestError(`training cells are generated for text generation, translation and classification, not for ${d.head === 'token' ? 'ner' : 'qa'}; leave out the train step`);
      }
      const format = localDataFormat(d.dataset);
      const mixed = d.gpuRuntime ? computeDtype(gpu) : 'float32';
      Object.assign(flags, { LOCAL_DATA: format !== null, CPU: gpu.backend === 'cpu' });
      Object.assign(values, {
        DATASET: d.dataset,
        OUTPUT_DIR: d.saveDir,
        BATCH: s.batch,
        GRAD_ACCUM: s.gradAccum,
        SEQ_LEN: s.seqLen,
        MAX_STEPS: request.maxSteps ?? -1,
        LEARNING_RATE: learningRate(method),
        OPTIMIZER: optimizerFor(gpu, s),
        CHECKPOINTING: s.gradientCheckpointing,
        BF16: mixed === 'bfloat16',
        FP16: mixed === 'float16',
        ESTIMATE_MIB: d.plan.tensorMib
      });
      if (format !== null) values.DATA_FORMAT = format;
      const { ESTIMATE_MIB, ...trainValues } = values;
      let train: string;
      if (d.head === 'causal') {
        flags.QUANTIZE = method === 'qlora';
        train = renderSnippet('train_sft', trainValues, flags);
      } else {
        train = renderSnippet(d.head === 'seq2seq' ? 'train_seq2seq' : 'train_classifier', trainValues, flags);
      }
      // Every trainer ends the same way: the measured peak beside our estimate.
      return train + '\n' + renderSnippet('train_peak', { ESTIMATE_MIB });
    }
    case 'launch':
      throw new Error('the launch step renders its cells in launchCells');
    case 'try':
      if (d.head === 'causal' || d.head === 'seq2seq') return renderSnippet('try_generate', { PROMPT: d.prompt, MAX_NEW_TOKENS: 64 }, { SEQ2SEQ: d.head === 'seq2seq' });
      if (d.head === 'classification') return renderSnippet('try_classify', { PROMPT: d.prompt });
      throw new CellRequestError(`no "try it" cell for ${d.head === 'token' ? 'ner' : 'qa'} yet; leave out the try step`);
    case 'save': {
      const adapter = method === 'lora' || method === 'qlora';
      const classifier = d.head === 'classification' || d.head === 'token';
      Object.assign(flags, { ADAPTER: adapter, NUM_LABELS: adapter && classifier });
      values.SAVE_DIR = d.saveDir;
      if (adapter) Object.assign(values, { AUTO_CLASS: pythonCode(AUTO_CLASS[d.head]), MERGE_DTYPE: torch(computeDtype(gpu)) });
      if (adapter && classifier) values.NUM_LABELS = request.numLabels ?? 2;
      return renderSnippet('save', values, flags);
    }
  }
}

/** One step's markdown, in the user's language; user values only through `markdownValue`. */
function markdown(step: Step, request: CellRequest, d: Decisions): string {
  const { lang } = d;
  const s = d.plan.settings;
  const tr = (key: MessageKey, values: Record<string, string | number> = {}) => t(lang, key, values);
  const onOff = (b: boolean) => tr(b ? 'cells.on' : 'cells.off');
  switch (step) {
    case 'install':
      return tr('cells.install');
    case 'login':
      return tr('cells.login', { model: markdownValue(request.model.id) });
    case 'source': {
      const source = request.source ?? 'hf';
      const line =
        request.modelPath !== undefined
          ? tr('cells.source.local', { path: markdownValue(request.modelPath) })
          : source === 'modelscope'
            ? tr('cells.source.modelscope')
            : source === 'mirror'
              ? tr('cells.source.mirror', { mirror: markdownValue(request.mirrorUrl ?? DEFAULT_MIRROR) })
              : tr('cells.source.hf');
      return tr('cells.source', { source_line: line });
    }
    case 'quantize':
      return tr('cells.quantize', { bits: d.bits ?? 4, compute: computeDtype(request.gpu) });
    case 'load':
      return tr('cells.load', { dtype: loadDtype(request.gpu, request.method), device: tr(d.gpuRuntime ? 'cells.load.gpu' : 'cells.load.cpu') });
    case 'lora':
      return tr('cells.lora', { r: s.loraR, alpha: s.loraAlpha });
    case 'train':
      return tr(request.method === 'full' ? 'cells.train.full' : 'cells.train', {
        batch: s.batch,
        accum: s.gradAccum,
        seq: s.seqLen,
        optim: optimizerFor(request.gpu, s),
        checkpointing: onOff(s.gradientCheckpointing),
        estimate: d.plan.totalMib === null ? '?' : d.plan.totalMib.toLocaleString('en-US')
      });
    case 'launch':
      throw new Error('the launch step renders its cells in launchCells');
    case 'try':
      return tr(d.head === 'classification' ? 'cells.try.classify' : 'cells.try');
    case 'save': {
      const adapter = request.method === 'lora' || request.method === 'qlora';
      return tr('cells.save', { dir: markdownValue(d.saveDir), adapter: adapter ? tr('cells.save.adapter') : '' });
    }
  }
}

/** Read and order the steps a user asked for; an unknown name is an error that lists the known ones. */
export function parseSteps(steps: readonly string[]): Step[] {
  for (const s of steps) {
    if (!(STEPS as readonly string[]).includes(s)) throw new CellRequestError(`unknown step ${JSON.stringify(s)}; the steps are ${STEPS.join(', ')}`);
  }
  return STEPS.filter(s => steps.includes(s));
}

/** The cells for a request: a title, then for each step its markdown and its code. */
export function renderCells(request: CellRequest): Cell[] {
  if (request.maxSteps !== undefined && !(Number.isInteger(request.maxSteps) && request.maxSteps >= 1)) {
    throw new CellRequestError(`max steps must be a whole number ≥ 1, not ${request.maxSteps}`);
  }
  if (request.numLabels !== undefined && !(Number.isInteger(request.numLabels) && request.numLabels >= 2)) {
    throw new CellRequestError(`the number of labels must be a whole number ≥ 2, not ${request.numLabels}`);
  }
  for (const [what, v] of [['model path', request.modelPath], ['dataset', request.dataset], ['save folder', request.saveDir], ['cache folder', request.cacheDir]] as const) {
    if (v !== undefined && v.trim() === '') throw new CellRequestError(`the ${what} is empty`);
  }
  const d = decide(request);
  const steps = request.steps ? parseSteps(request.steps) : defaultSteps(request.method, request.model.gated, d.bits !== null, spreadFor(request) !== null);
  const title = t(d.lang, 'cells.title', {
    model: markdownValue(request.modelPath ?? request.model.id),
    gpu: markdownValue(request.gpu.name),
    method: request.method
  });
  const cells: Cell[] = [{ cell_type: 'markdown', source: title, step: 'title' }];
  for (const step of steps) {
    if (step === 'launch') {
      cells.push(...launchCells(request, d.lang, d.dataset, localDataFormat(d.dataset), d.saveDir));
      continue;
    }
    cells.push({ cell_type: 'markdown', source: markdown(step, request, d), step });
    cells.push({ cell_type: 'code', source: code(step, request, d), step });
  }
  return cells;
}
