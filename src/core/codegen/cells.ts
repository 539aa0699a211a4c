/**
 * `renderCells`: the notebook cells for one model, runtime and method — a markdown cell
 * explaining each step, then the step's code, filled from python_snippets/ by `renderSnippet`.
 */
import type { Method, Task } from '../types';
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
  DEFAULT_MAX_STEPS,
  learningRate,
  loadDtype,
  nanMessage,
  optimizerFor,
  packagesToInstall,
  quantBits,
  requiredPackages,
  SAVE_STEPS,
  TorchDtype
} from './plan';
import { availableMib, cellsAttention, CellsAttention, estimateMemory, EstimateSettings, launches, Plan, planTraining } from '../memory';
import { UnknownFamilyError } from '../params';
import { trainTime } from './time';
import { launchCells } from './launch';
import { remoteTrainingProblem } from './remote';
import { modelForTask, NER_LABELS, NER_PROMPT, PromptLanguage, QA_TRY, qaPrompt, qaStride, sampleExtractiveQa, sampleGenerativeQa, sampleNer, sampleSeq2seqQa } from './tasks';
import { DataLanguage, HUB_CHAT_DATASET, HUB_CLASSIFICATION_DATASET, HUB_TEXT_DATASET, sampleClassification, sampleGeneration, sampleTranslation, toDataLanguage } from './samples';

/** Every step, in the order the cells run. */
export const STEPS = ['install', 'login', 'source', 'quantize', 'load', 'lora', 'train', 'launch', 'try', 'save'] as const;
export type Step = (typeof STEPS)[number];

const DEFAULT_MIRROR = 'https://hf-mirror.com';
/** The "try it" prompt, in the data's language (Chinese in the script the interface uses). */
const DEFAULT_PROMPT = {
  en: 'Explain in two sentences what fine-tuning a language model means.',
  'zh-Hans': '用两句话解释什么是微调语言模型。',
  'zh-Hant': '用兩句話解釋什麼是微調語言模型。'
};
const DEFAULT_CLASSIFY_PROMPT = {
  en: 'This movie was a delight from start to finish.',
  'zh-Hans': '这部电影从头到尾都很精彩。',
  'zh-Hant': '這部電影從頭到尾都很精彩。'
};
/** The first run's length (60 steps, codegen/time.ts) and its checkpoints (SAVE_STEPS, codegen/plan.ts). */
export { DEFAULT_MAX_STEPS } from './time';
/**
 * Without a GPU the training cell is a smoke test (batch 1, 10 steps): it shows every cell runs,
 * in minutes, not a run of hours. Decided here, so the panel, the CLI and `model_advisor.cells()`
 * write the same cells for the same machine (issue 21).
 */
const CPU_SMOKE_STEPS = 10;

/** The steps of a first run when the user set none. */
function firstRunSteps(request: CellRequest): number {
  return request.maxSteps ?? (request.gpu.backend === 'cpu' ? CPU_SMOKE_STEPS : DEFAULT_MAX_STEPS);
}
const MAX_NEW_TOKENS = 128;

/**
 * The steps a method needs when the user does not choose. Several GPUs training with
 * accelerate launch (`launched`): the launched processes load and train the model, so the
 * notebook itself loads nothing onto the GPUs.
 */
export function defaultSteps(method: Method, gated: boolean, quantized: boolean, source: string = 'hf', launched = false): Step[] {
  return STEPS.filter(step => {
    if (launched && !['install', 'login', 'source', 'launch'].includes(step)) return false;
    if (step === 'launch') return launched;
    // ModelScope downloads need no Hugging Face token.
    if (step === 'login') return gated && source !== 'modelscope';
    if (step === 'quantize') return quantized;
    if (step === 'lora') return method === 'lora' || method === 'qlora';
    if (step === 'train' || step === 'save') return method !== 'inference';
    return true;
  });
}

/**
 * bitsandbytes' 4- and 8-bit layers live on a GPU: transformers refuses a device map that would put
 * any of them on the CPU or the disk (quantizers/quantizer_bnb_4bit.py:70-74, quantizer_bnb_8bit.py:71-75),
 * so device_map="auto" cannot spill them. A quantized model whose weights alone pass the GPUs' memory is
 * refused here, with the reason, instead of failing in the load cell.
 */
function quantizedMustFit(request: CellRequest, settings: EstimateSettings, bits: 4 | 8 | null): void {
  const { model, gpu } = request;
  if (bits === null || gpu.backend === 'cpu') return;
  let weights: number | undefined;
  try {
    weights = estimateMemory(modelForTask(model, request.task), gpu, settings).breakdown.weights;
  } catch (e) {
    if (e instanceof UnknownFamilyError) return; // no count of its weights: the load cell will tell
    throw e;
  }
  const available = availableMib(gpu) * Math.max(1, gpu.count);
  if (weights !== undefined && weights > available) {
    const where = gpu.count > 1 ? `the ${gib(available)} GiB of ${gpu.count} × ${gpu.name}` : `the ${gib(available)} GiB of a ${gpu.name}`;
    throw new CellRequestError(
      `${model.id} in ${bits}-bit needs ${gib(weights)} GiB for its weights alone, more than ${where}: bitsandbytes' ${bits}-bit layers cannot be spilled to the CPU (transformers refuses such a device map). Choose a GPU with more memory, several GPUs, or a smaller model`
    );
  }
}

function gib(mib: number): string {
  return (mib / 1024).toFixed(1);
}

/** The shape of everything the templates need, decided once. */
interface Decisions {
  lang: Language;
  dataLang: DataLanguage;
  /** The language the "try it" input is written in (the data's; Chinese in the interface's script). */
  promptLang: PromptLanguage;
  task: Task;
  head: Head;
  plan: Plan;
  bits: 4 | 8 | null;
  gpuRuntime: boolean; // the model is placed on a CUDA/ROCm GPU: device_map="auto"
  simulate: boolean; // the GPU's recipe, the model on the CPU (--simulate-on-cpu)
  compute: TorchDtype; // the target's compute dtype (4-bit compute, merge, "try it" autocast)
  mixed: TorchDtype; // mixed precision while training: the compute dtype on a GPU recipe, else float32
  attention: CellsAttention;
  modelPath: string;
  dataset: string | null; // null: the default, chosen in the cell by the tokenizer and data language
  saveDir: string;
  prompt: string;
  steps: Step[];
  /** Steps the user did not tick that a ticked one needs, with the step that needs them. */
  added: Partial<Record<Step, Step>>;
  /** The load cell defines model_path itself (the source step was left out). */
  loadDefinesPath: boolean;
}

/**
 * Every subset of steps runs: a step another one needs comes along (and its markdown says why),
 * except the plain hub source, which the load cell replaces with one line.
 */
function withDependencies(asked: Step[], method: Method, bits: 4 | 8 | null, source: string, localPath: boolean): { steps: Step[]; added: Partial<Record<Step, Step>>; loadDefinesPath: boolean } {
  const have = new Set(asked);
  const added: Partial<Record<Step, Step>> = {};
  const need = (step: Step, by: Step) => {
    if (!have.has(step)) {
      have.add(step);
      added[step] = by;
    }
  };
  for (const by of ['lora', 'train', 'try', 'save'] as const) if (have.has(by)) need('load', by);
  if (have.has('train') && (method === 'lora' || method === 'qlora')) need('lora', 'train');
  if (have.has('load') && bits !== null) need('quantize', 'load');
  let loadDefinesPath = false;
  if (have.has('load') && !have.has('source')) {
    if (source === 'hf' || localPath) loadDefinesPath = true;
    else need('source', 'load'); // the mirror or ModelScope is more than one line
  }
  return { steps: STEPS.filter(s => have.has(s)), added, loadDefinesPath };
}

/**
 * The plan the cells follow: the one the caller made (the panel's chosen plan), else the memory
 * wing's `planTraining` for the request — the same function the cards, `fit` and `check()` use.
 */
export function planOf(request: CellRequest): Plan {
  const { model, gpu, method } = request;
  if (request.plan !== undefined) {
    if (request.plan.settings.method !== method) throw new CellRequestError(`the plan given is for ${request.plan.settings.method}, the cells for ${method}`);
    return request.plan;
  }
  try {
    // Priced with the head these cells load for the task (an encoder's NER or QA head). A family
    // that overflows fp16 computes (and loads) in fp32 on a GPU without bf16: the plan's own rule.
    return planTraining(modelForTask(model, request.task), gpu, method, request.settings ?? {}, request.strategy ?? 'auto');
  } catch (e) {
    // A strategy these GPUs or settings cannot use is the user's to change.
    if (e instanceof Error && /the [\w-]+ strategy /.test(e.message)) throw new CellRequestError(e.message);
    throw e;
  }
}

/** The plan's figures the cells print: the total (what nvidia-smi would show) and without the CUDA context (torch.cuda.max_memory_allocated()). */
function planFigures(plan: Plan): { totalMib: number; tensorMib: number } | null {
  if (!plan.known) return null;
  return { totalMib: plan.total_mib, tensorMib: plan.total_mib - (plan.breakdown.cuda_context ?? 0) };
}

/** gpt-oss: a config whose `quantization_config` says MXFP4 (its experts as published). */
function publishedInMxfp4(config: Record<string, unknown>): boolean {
  const q = config.quantization_config;
  return q !== null && typeof q === 'object' && String((q as Record<string, unknown>).quant_method ?? '').toLowerCase() === 'mxfp4';
}

function decide(request: CellRequest): Decisions {
  const { model, gpu, method } = request;
  const lang = request.language ?? 'en';
  // The data's language: as asked, else the interface's.
  const dataLang = toDataLanguage(request.dataLanguage ?? (lang === 'en' ? 'en' : 'zh'));
  const task = chooseTask(model, request.task);
  const head = chooseHead(model, task);
  const plan = planOf(request);
  const bits = quantBits(method, plan.settings);
  if (bits !== null && !gpu.bnb_4bit) {
    throw new CellRequestError(`${gpu.name} cannot run bitsandbytes ${bits}-bit (needs CUDA compute capability 6.0+ or a CPU); choose --method lora or full`);
  }
  if (bits !== null && publishedInMxfp4(model.config)) {
    // transformers raises when a BitsAndBytesConfig meets a checkpoint quantized otherwise
    // (quantizers/auto.py `merge_quantization_configs`: "The model is quantized with Mxfp4Config
    // but you are passing a BitsAndBytesConfig config"). Without the MXFP4 kernels it loads the
    // experts dequantized to bf16 (quantizers/quantizer_mxfp4.py), which LoRA trains on.
    throw new CellRequestError(`${model.id} is published with MXFP4 experts: transformers refuses a bitsandbytes ${bits}-bit config for it; choose --method lora (it loads the experts in bf16)`);
  }
  quantizedMustFit(request, plan.settings, bits);
  const name = (request.modelPath ?? model.id).split(/[\/]/).filter(Boolean).pop() ?? 'model';
  const onGpu = gpu.backend === 'cuda' || gpu.backend === 'rocm';
  const simulate = request.simulateOnCpu === true && gpu.backend !== 'cpu';
  const compute = computeDtype(gpu, model);
  const source = request.source ?? 'hf';
  const asked = request.steps ? parseSteps(request.steps) : defaultSteps(method, model.gated, bits !== null, source, launches(plan));
  const promptLang = dataLang === 'en' ? 'en' : lang === 'zh-Hant' ? 'zh-Hant' : 'zh-Hans';
  return {
    lang,
    dataLang,
    promptLang,
    task,
    head,
    plan,
    bits,
    gpuRuntime: onGpu && !simulate,
    simulate,
    compute,
    mixed: onGpu || simulate ? compute : 'float32',
    attention: cellsAttention(model),
    modelPath: request.modelPath ?? model.id,
    dataset: request.dataset ?? null,
    saveDir: request.saveDir ?? `outputs/${name}-${method}`,
    prompt: request.prompt ?? defaultPrompt(head, task, promptLang),
    ...withDependencies(asked, method, bits, source, request.modelPath !== undefined)
  };
}

/** What "try it" asks when the user gives no prompt: a text to classify or tag, a question, or a prompt to continue. */
function defaultPrompt(head: Head, task: Task, lang: PromptLanguage): string {
  if (head === 'classification') return DEFAULT_CLASSIFY_PROMPT[lang];
  if (head === 'token') return NER_PROMPT[lang];
  if (head === 'qa') return QA_TRY[lang].question;
  // A generative model answers a question from a context written into its prompt.
  if (task === 'qa') return qaPrompt(lang, QA_TRY[lang].context, QA_TRY[lang].question);
  return DEFAULT_PROMPT[lang];
}

/**
 * Without a dataset of the user's, the built-in sample rows: for Chinese data, translation (no hub
 * dataset has the "source"/"target" columns the seq2seq cell reads), NER and question answering
 * (the rows show the exact columns those cells read: a chat dataset would not).
 */
function usesSampleRows(d: Decisions): boolean {
  return d.dataLang === 'zh' || d.head === 'seq2seq' || d.head === 'token' || d.head === 'qa' || d.task === 'qa';
}

/** Generative QA: a decoder or an encoder–decoder asked for question answering (it writes the answer). */
const generativeQa = (d: Decisions) => d.task === 'qa' && (d.head === 'causal' || d.head === 'seq2seq');

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

function torch(dtype: string): PythonValue {
  return pythonCode(`torch.${dtype}`);
}

/** The hub environment (mirror, cache folder): set before huggingface_hub is first imported. */
function hubEnvironment(request: CellRequest, values: Record<string, PythonValue>, flags: Record<string, boolean>): void {
  const source = request.source ?? 'hf';
  flags.MIRROR = source === 'mirror' && request.modelPath === undefined;
  flags.CACHE_DIR = request.cacheDir !== undefined;
  if (flags.MIRROR) values.MIRROR_URL = request.mirrorUrl ?? DEFAULT_MIRROR;
  if (request.cacheDir !== undefined) values.CACHE_DIR = request.cacheDir;
}

/**
 * peft's "all-linear" leaves out only the output embeddings and, for SEQ_CLS, the classifier
 * (peft tuners_utils.py `_maybe_include_all_linear_layers`): a token-classification or QA head would
 * get an adapter, and then TOKEN_CLS / QUESTION_ANS's modules_to_save refuses the wrapped Linear
 * ("modules_to_save cannot be applied to modules of type lora.Linear", peft utils/other.py:360).
 */
const HEAD_MODULES: Partial<Record<Head, string[]>> = { token: ['classifier', 'score'], qa: ['qa_outputs'] };

const isAdapter = (method: Method) => method === 'lora' || method === 'qlora';

/** One step's code. */
function code(step: Step, request: CellRequest, d: Decisions): string {
  const { gpu, method, model } = request;
  const s = d.plan.settings;
  const values: Record<string, PythonValue> = {};
  const flags: Record<string, boolean> = {};
  const training = method !== 'inference';
  const optimizer = optimizerFor(gpu, s);
  switch (step) {
    case 'install': {
      // A ZeRO launch needs DeepSpeed itself (accelerate imports it for a DEEPSPEED config).
      const deepspeed = d.steps.includes('launch') && launches(d.plan) && d.plan.strategy.startsWith('zero');
      const packages = packagesToInstall(requiredPackages(d.head, method, d.bits, training, request.source ?? 'hf', optimizer, deepspeed), request.report);
      flags.PACKAGES = packages.length > 0;
      if (packages.length) values.PACKAGES = packages;
      return renderSnippet('install', values, flags, d.lang);
    }
    case 'login': {
      // huggingface_hub reads HF_ENDPOINT and HF_HOME once, at import (huggingface_hub/constants.py):
      // the login cell sets them itself, before its import.
      flags.MODELSCOPE = (request.source ?? 'hf') === 'modelscope';
      if (!flags.MODELSCOPE) values.LICENSE_PAGE = `https://huggingface.co/${model.id}`;
      hubEnvironment(request, values, flags);
      return renderSnippet('login', values, flags, d.lang);
    }
    case 'source': {
      const source = request.source ?? 'hf';
      const modelscope = source === 'modelscope' && request.modelPath === undefined;
      if (modelscope && !model.modelscope_id) {
        throw new CellRequestError(`${model.id} has no ModelScope id in the catalog; use --source hf or mirror`);
      }
      flags.MODELSCOPE = modelscope;
      hubEnvironment(request, values, flags);
      if (modelscope) values.MODELSCOPE_ID = model.modelscope_id as string;
      else values.MODEL_PATH = d.modelPath;
      warningsFlag(values, flags, sourceWarnings(request, d));
      return renderSnippet('source', values, flags, d.lang);
    }
    case 'quantize':
      if (d.bits === null) throw new CellRequestError(`the quantize step is for --method qlora (or 4/8-bit inference), not ${method}`);
      flags.FOUR_BIT = d.bits === 4;
      if (d.bits === 4) values.COMPUTE_DTYPE = torch(d.compute);
      // transformers keeps only the output embeddings and the last parameter's module out of
      // bitsandbytes (get_keys_to_not_convert); a task head ("classifier.bias" is the last
      // parameter, which names no module) would be quantized and peft could not train it.
      flags.NEW_HEAD = d.head === 'classification' || d.head === 'token' || d.head === 'qa';
      if (flags.NEW_HEAD) values.SKIP_MODULES = ['classifier', 'score', 'pooler.dense', 'qa_outputs'];
      return renderSnippet('quantize', values, flags, d.lang);
    case 'load': {
      const classifier = d.head === 'classification' || d.head === 'token';
      Object.assign(flags, {
        QUANTIZE: d.bits !== null,
        GPU: d.gpuRuntime,
        NUM_LABELS: d.head === 'classification',
        LABEL_NAMES: d.head === 'token',
        CLASSIFIER: classifier,
        REMOTE_CODE: model.trust_remote_code,
        ATTENTION: d.attention.impl !== null,
        DEFINE_PATH: d.loadDefinesPath,
        // A tokenizer without an eos (GPT2-chinese's BERT one): TRL appends eos_token to each text
        // (trl/trainer/sft_trainer.py:1292-1297, str.endswith(None) raises), so [SEP] serves.
        EOS_FROM_SEP: d.head === 'causal'
      });
      if (flags.EOS_FROM_SEP) values.EOS_NOTE = t(d.lang, 'load.eos_sep', { token: '{token}' });
      Object.assign(values, { AUTO_CLASS: pythonCode(AUTO_CLASS[d.head]), DTYPE: torch(loadDtype(gpu, method, model)) });
      if (d.attention.impl !== null) values.ATTENTION = d.attention.impl;
      if (d.loadDefinesPath) values.MODEL_PATH = d.modelPath;
      if (d.head === 'classification') values.NUM_LABELS = request.numLabels ?? 2;
      if (d.head === 'token') values.LABEL_NAMES = [...NER_LABELS];
      warningsFlag(values, flags, loadWarnings(request, d));
      return renderSnippet('load', values, flags, d.lang);
    }
    case 'lora':
      if (!isAdapter(method)) throw new CellRequestError(`the lora step is for --method lora or qlora, not ${method}`);
      return renderSnippet(
        'lora',
        { LORA_R: s.loraR, LORA_ALPHA: s.loraAlpha, TASK_TYPE: LORA_TASK_TYPE[d.head], ...(HEAD_MODULES[d.head] ? { HEAD_MODULES: HEAD_MODULES[d.head] } : {}) },
        { QUANTIZE: method === 'qlora', CHECKPOINTING: s.gradientCheckpointing, HEAD_MODULES: HEAD_MODULES[d.head] !== undefined },
        d.lang
      );
    case 'train': {
      if (!training) throw new CellRequestError('the train step needs a training method: --method lora, qlora or full');
      const remote = d.head === 'causal' ? remoteTrainingProblem(model) : null;
      if (remote !== null) throw new CellRequestError(t(d.lang, `cells.remote.${remote.family}`, { model: model.id, instead: remote.instead.join(', ') }));
      const format = d.dataset === null ? null : localDataFormat(d.dataset);
      // The built-in sample rows: Chinese data, and translation (no hub dataset has the
      // "source"/"target" columns the seq2seq cell reads).
      const sample = d.dataset === null && usesSampleRows(d);
      Object.assign(flags, {
        LOCAL_DATA: format !== null,
        HUB_DATA: d.dataset !== null && format === null,
        SAMPLE: sample,
        DEFAULT_HUB: d.dataset === null && !sample,
        CPU: gpu.backend === 'cpu' || d.simulate,
        SIMULATE: d.simulate,
        // accelerate 1.15 turns fp16 autocast on only off the CPU (accelerator.py:565-567: native_amp
        // needs device.type != "cpu"); bf16 it autocasts on a CPU too. The fp16 simulation adds it.
        CPU_FP16: d.simulate && d.mixed === 'float16',
        SFT: d.head === 'causal' // TRL's SFTConfig, which also cuts the samples (max_length)
      });
      Object.assign(values, {
        OUTPUT_DIR: d.saveDir,
        BATCH: s.batch,
        GRAD_ACCUM: s.gradAccum,
        SEQ_LEN: s.seqLen,
        MAX_STEPS: firstRunSteps(request),
        SAVE_STEPS: SAVE_STEPS,
        LEARNING_RATE: learningRate(method),
        OPTIMIZER: optimizer,
        CHECKPOINTING: s.gradientCheckpointing,
        BF16: d.mixed === 'bfloat16',
        FP16: d.mixed === 'float16',
        ARGS_CLASS: pythonCode(d.head === 'causal' ? 'SFTConfig' : 'TrainingArguments'),
        NAN_MESSAGE: nanMessage(d.lang, request.model, method, d.mixed)
      });
      if (d.dataset !== null) values.DATASET = d.dataset;
      if (format !== null) values.DATA_FORMAT = format;
      // Every trainer ends the same way: the measured peak beside our estimate, and with
      // device_map="auto" over several GPUs each GPU's peak beside its share (the busiest decides an OOM).
      const perGpu = d.plan.known && d.plan.strategy === 'device-map' ? d.plan.spread.per_gpu.map(g => g.total_mib - (g.breakdown.cuda_context ?? 0)) : null;
      const peakValues: Record<string, PythonValue> = { ESTIMATE_MIB: planFigures(d.plan)?.tensorMib ?? null };
      if (perGpu !== null) peakValues.PER_GPU_MIB = perGpu;
      const peak = renderSnippet('train_peak', peakValues, { SIMULATE: d.simulate, PER_GPU: perGpu !== null }, d.lang);
      let train: string;
      if (d.head === 'token') {
        if (sample) values.SAMPLE_ROWS = sampleNer(d.dataLang);
        // The score comes after the peak: predicting is not part of what the estimate prices.
        return [renderSnippet('train_ner', values, flags, d.lang), peak, renderSnippet('eval_ner', {}, { CPU_FP16: flags.CPU_FP16 }, d.lang)].join('\n');
      } else if (d.head === 'qa') {
        if (sample) values.SAMPLE_ROWS = sampleExtractiveQa(d.dataLang);
        values.STRIDE = qaStride(s.seqLen);
        train = renderSnippet('train_qa', values, flags, d.lang);
      } else if (d.head === 'causal') {
        flags.QUANTIZE = method === 'qlora' && d.steps.includes('lora');
        const rows = d.task === 'qa' ? sampleGenerativeQa(d.dataLang) : sampleGeneration();
        if (sample) Object.assign(values, { SAMPLE_CHAT: rows.chat, SAMPLE_TEXT: rows.text });
        if (flags.DEFAULT_HUB) Object.assign(values, { HUB_CHAT: HUB_CHAT_DATASET, HUB_TEXT: HUB_TEXT_DATASET });
        train = renderSnippet('train_sft', values, flags, d.lang);
      } else if (d.head === 'seq2seq') {
        if (sample) values.SAMPLE_ROWS = d.task === 'qa' ? sampleSeq2seqQa(d.dataLang) : sampleTranslation(d.dataLang);
        if (flags.DEFAULT_HUB) throw new Error('translation always has sample rows');
        train = renderSnippet('train_seq2seq', values, flags, d.lang);
      } else {
        if (sample) values.SAMPLE_ROWS = sampleClassification();
        if (flags.DEFAULT_HUB) values.HUB_DATASET = HUB_CLASSIFICATION_DATASET;
        train = renderSnippet('train_classifier', values, flags, d.lang);
      }
      // Every trainer ends the same way: the measured peak beside our estimate.
      return train + '\n' + peak;
    }
    case 'launch':
      throw new Error('the launch step renders its cells in launchCells');
    case 'try': {
      // Outside training nothing casts: the fp32 adapters and classifier copy meet 16-bit
      // activations, so "try it" runs under the same autocast as training did.
      const autocast = d.mixed !== 'float32';
      flags.AUTOCAST = autocast;
      if (autocast) values.COMPUTE_DTYPE = torch(d.mixed);
      if (d.head === 'causal' || d.head === 'seq2seq') {
        // Qwen3's template has a reasoning switch; other (and remote-code) tokenizers may refuse the keyword.
        const thinking = /^qwen3/.test(String(model.config.model_type ?? ''));
        return renderSnippet('try_generate', { ...values, PROMPT: d.prompt, MAX_NEW_TOKENS: request.maxNewTokens ?? MAX_NEW_TOKENS }, { ...flags, SEQ2SEQ: d.head === 'seq2seq', THINKING: thinking }, d.lang);
      }
      if (d.head === 'classification') return renderSnippet('try_classify', { ...values, PROMPT: d.prompt }, flags, d.lang);
      if (d.head === 'token') return renderSnippet('try_ner', { ...values, PROMPT: d.prompt }, { ...flags, CHARACTERS: d.dataLang === 'zh' }, d.lang);
      // A question of the user's (--prompt) is asked of the same sample context: edit both in the cell.
      return renderSnippet('try_qa', { ...values, QUESTION: d.prompt, CONTEXT: QA_TRY[d.promptLang].context, SEQ_LEN: s.seqLen }, flags, d.lang);
    }
    case 'save': {
      const adapter = isAdapter(method) && d.steps.includes('lora');
      Object.assign(flags, { ADAPTER: adapter, NUM_LABELS: adapter && d.head === 'classification', LABEL_NAMES: adapter && d.head === 'token', REMOTE_CODE: adapter && model.trust_remote_code, GPU: adapter && d.gpuRuntime });
      values.SAVE_DIR = d.saveDir;
      if (adapter) Object.assign(values, { AUTO_CLASS: pythonCode(AUTO_CLASS[d.head]), MERGE_DTYPE: torch(d.compute) });
      if (adapter && d.head === 'classification') values.NUM_LABELS = request.numLabels ?? 2;
      return renderSnippet('save', values, flags, d.lang);
    }
  }
}

/** A decoder known to ship a BERT tokenizer (no eos): its config or catalog notes name it (uer/gpt2-chinese-*). */
function bertTokenizer(model: CellRequest['model']): boolean {
  return /^Bert/.test(String(model.config.tokenizer_class ?? '')) || /BertTokenizer/.test(model.notes ?? '');
}

/** One step's markdown, in the user's language; user values only through `markdownValue`. */
function markdown(step: Step, request: CellRequest, d: Decisions): string {
  const { lang } = d;
  const s = d.plan.settings;
  const tr = (key: MessageKey, values: Record<string, string | number> = {}) => t(lang, key, values);
  const onOff = (b: boolean) => tr(b ? 'cells.on' : 'cells.off');
  const body = ((): string => {
    switch (step) {
      case 'install':
        return tr('cells.install');
      case 'login':
        return tr((request.source ?? 'hf') === 'modelscope' ? 'cells.login.modelscope' : 'cells.login', { model: markdownValue(request.model.id) });
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
        return tr('cells.quantize', { bits: d.bits ?? 4, compute: d.compute });
      case 'load': {
        const device = tr(d.gpuRuntime ? 'cells.load.gpu' : 'cells.load.cpu');
        let text =
          d.bits !== null
            ? tr('cells.load.quantized', { bits: d.bits === 4 ? '4-bit NF4' : '8-bit', dtype: loadDtype(request.gpu, request.method, request.model), device })
            : tr('cells.load', { dtype: loadDtype(request.gpu, request.method, request.model), device });
        if (request.gpu.backend !== 'cpu' && d.compute === 'float32') text += '\n\n' + tr('cells.load.fp32', { family: markdownValue(String(request.model.config.model_type)) });
        if (d.head === 'causal' && bertTokenizer(request.model)) text += '\n\n' + tr('cells.load.sep');
        if (d.attention.why === 'no_sdpa') text += '\n\n' + tr('cells.load.eager', { family: markdownValue(String(request.model.config.model_type)) });
        if (d.attention.why === 'remote') text += '\n\n' + tr('cells.load.attn.remote');
        if (d.attention.why === 'unknown') text += '\n\n' + tr('cells.load.attn.unknown', { family: markdownValue(String(request.model.config.model_type ?? '?')) });
        if (d.loadDefinesPath) text += '\n\n' + tr('cells.load.path', { path: markdownValue(d.modelPath) });
        return text;
      }
      case 'lora':
        return tr('cells.lora', { r: s.loraR, alpha: s.loraAlpha });
      case 'train': {
        const figures = planFigures(d.plan);
        const steps = firstRunSteps(request);
        let text = tr(request.method === 'full' ? 'cells.train.full' : 'cells.train', {
          batch: s.batch,
          accum: s.gradAccum,
          seq: s.seqLen,
          optim: optimizerFor(request.gpu, s),
          checkpointing: onOff(s.gradientCheckpointing),
          // A run shorter than the checkpoint interval writes none: the sentence says so, not "a checkpoint every 20".
          run: steps < SAVE_STEPS ? tr('cells.train.short', { steps, save_steps: SAVE_STEPS }) : tr('cells.train.run', { steps, save_steps: SAVE_STEPS })
        });
        text +=
          '\n\n' +
          (figures === null
            ? tr('cells.train.noestimate')
            : tr('cells.train.estimate', { estimate: figures.tensorMib.toLocaleString('en-US'), context: (figures.totalMib - figures.tensorMib).toLocaleString('en-US') }));
        text += trainTime(request, d.plan, d.lang, d.simulate);
        if (d.head === 'token') text += '\n\n' + tr('cells.train.ner');
        if (d.head === 'qa') text += '\n\n' + tr('cells.train.qa', { seq: s.seqLen, stride: qaStride(s.seqLen) });
        if (generativeQa(d)) text += '\n\n' + tr(d.head === 'seq2seq' ? 'cells.train.qa.seq2seq' : 'cells.train.qa.generative');
        if (request.dataset === undefined) {
          const sample = usesSampleRows(d);
          text += '\n\n' + (sample ? tr('cells.train.sample') : tr(d.head === 'classification' ? 'cells.train.hub.classify' : 'cells.train.hub', { chat: markdownValue(HUB_CHAT_DATASET), text: markdownValue(HUB_TEXT_DATASET) }));
        }
        return text;
      }
      case 'launch':
        throw new Error('the launch step renders its cells in launchCells');
      case 'try':
        return tr(d.head === 'classification' ? 'cells.try.classify' : d.head === 'token' ? 'cells.try.ner' : d.head === 'qa' ? 'cells.try.qa' : 'cells.try');
      case 'save': {
        const adapter = isAdapter(request.method) && d.steps.includes('lora');
        return tr('cells.save', { dir: markdownValue(d.saveDir), adapter: adapter ? tr('cells.save.adapter') : '' });
      }
    }
  })();
  const by = d.added[step];
  return by === undefined ? body : body + '\n\n' + tr('cells.added', { step: tr(`ui.step.${by}` as MessageKey) });
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
  if (request.maxNewTokens !== undefined && !(Number.isInteger(request.maxNewTokens) && request.maxNewTokens >= 1)) {
    throw new CellRequestError(`max new tokens must be a whole number ≥ 1, not ${request.maxNewTokens}`);
  }
  if (request.numLabels !== undefined && !(Number.isInteger(request.numLabels) && request.numLabels >= 2)) {
    throw new CellRequestError(`the number of labels must be a whole number ≥ 2, not ${request.numLabels}`);
  }
  for (const [what, v] of [['model path', request.modelPath], ['dataset', request.dataset], ['save folder', request.saveDir], ['cache folder', request.cacheDir]] as const) {
    if (v !== undefined && v.trim() === '') throw new CellRequestError(`the ${what} is empty`);
  }
  const d = decide(request);
  let title = t(d.lang, 'cells.title', {
    model: markdownValue(request.modelPath ?? request.model.id),
    gpu: markdownValue(request.gpu.name),
    method: t(d.lang, `cells.method.${request.method}` as MessageKey)
  });
  if (d.simulate) title += '\n\n' + t(d.lang, 'cells.simulate', { gpu: markdownValue(request.gpu.name), compute: d.mixed });
  const cells: Cell[] = [{ cell_type: 'markdown', source: title, step: 'title' }];
  for (const step of d.steps) {
    if (step === 'launch') {
      // Several GPUs: the engine's config, the training script and accelerate launch (launch.ts).
      const dataset = d.dataset ?? HUB_CHAT_DATASET;
      cells.push(...launchCells(request, d.plan, d.lang, dataset, localDataFormat(dataset), d.saveDir));
      continue;
    }
    cells.push({ cell_type: 'markdown', source: markdown(step, request, d), step });
    cells.push({ cell_type: 'code', source: code(step, request, d), step });
  }
  return cells;
}
