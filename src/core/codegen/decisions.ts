/**
 * What a request's cells are, decided once: the plan, the head and task, the steps (with those a
 * ticked step needs), the dtypes, the data, the first run's length. Each step's record
 * (steps.ts) reads these decisions and decides nothing of its own.
 */
import type { Method, Task } from '../types';
import { Language } from '../i18n';
import { CellRequest, CellRequestError } from './request';
import {
  Head,
  chooseHead,
  chooseTask,
  computeDtype,
  DEFAULT_MAX_STEPS,
  optimizerFor,
  quantBits,
  TORCH_DTYPE,
  TorchDtype
} from './plan';
import { availableMib, cellsAttention, CellsAttention, estimateMemory, EstimateSettings, launches, Optimizer, Plan, planTraining } from '../memory';
import { UnknownFamilyError } from '../params';
import { modelForTask, NER_PROMPT, PromptLanguage, QA_TRY, qaPrompt } from './tasks';
import { DataLanguage, toDataLanguage } from './samples';
import { RemoteStack, remoteStackFor } from './remoteStack';

/** Every step, in the order the cells run. */
export const STEPS = ['install', 'login', 'source', 'check', 'quantize', 'load', 'lora', 'train', 'launch', 'try', 'save'] as const;
export type Step = (typeof STEPS)[number];


export const DEFAULT_MIRROR = 'https://hf-mirror.com';
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
export const MAX_NEW_TOKENS = 128;


/**
 * The steps a method needs when the user does not choose. Several GPUs training with
 * accelerate launch (`launched`): the launched processes load and train the model, so the
 * notebook itself loads nothing onto the GPUs.
 */
export function defaultSteps(method: Method, gated: boolean, quantized: boolean, source: string = 'hf', launched = false): Step[] {
  return STEPS.filter(step => {
    // The data check is the user's to add (datacheck.ts says why).
    if (step === 'check') return false;
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

export function gib(mib: number): string {
  return (mib / 1024).toFixed(1);
}

/** The shape of everything the templates need, decided once. */
export interface Decisions {
  lang: Language;
  dataLang: DataLanguage;
  /** The language the "try it" input is written in (the data's; Chinese in the interface's script). */
  promptLang: PromptLanguage;
  task: Task;
  head: Head;
  plan: Plan;
  bits: 4 | 8 | null;
  /** A training method (lora, qlora, full), not inference. */
  training: boolean;
  /** LoRA or QLoRA with its lora step: the cells train and save an adapter. */
  adapter: boolean;
  /** A new task head on an encoder: sequence or token classification. */
  classifier: boolean;
  gpuRuntime: boolean; // the model is placed on a CUDA/ROCm GPU: device_map="auto"
  simulate: boolean; // the GPU's recipe, the model on the CPU (--simulate-on-cpu)
  /** The training cell runs on the CPU (no GPU, or the simulation): accelerate's CPU path. */
  onCpu: boolean;
  compute: TorchDtype; // the target's compute dtype (4-bit compute, merge, "try it" autocast)
  mixed: TorchDtype; // mixed precision while training: the compute dtype on a GPU recipe, else float32
  attention: CellsAttention;
  /** Where the weights come from: the Hub, its mirror or ModelScope. */
  source: string;
  modelPath: string;
  dataset: string | null; // null: the default, chosen in the cell by the tokenizer and data language
  /** The local dataset's `load_dataset` format (json, csv), or null for a Hub dataset or none. */
  format: string | null;
  /** No dataset given, and this task's cells ship sample rows (`usesSampleRows`). */
  sample: boolean;
  saveDir: string;
  prompt: string;
  /** The first run's optimizer steps (`firstRunSteps`). */
  maxSteps: number;
  /** The optimizer the cells name (`optimizerFor`: the paged/8-bit ones only on CUDA). */
  optimizer: Optimizer;
  /** Remote code that runs on the older stack its repository states (codegen/remoteStack.ts), or null. */
  stack: RemoteStack | null;
  steps: Step[];
  /** Steps the user did not tick that a ticked one needs, with the step that needs them. */
  added: Partial<Record<Step, Step>>;
  /** The load cell defines model_path itself (the source step was left out). */
  loadDefinesPath: boolean;
  /** The data check defines model_path itself (the source step was left out). */
  checkDefinesPath: boolean;
}

/**
 * Every subset of steps runs: a step another one needs comes along (and its markdown says why),
 * except the plain hub source, which the load cell replaces with one line.
 */
function withDependencies(
  asked: Step[],
  method: Method,
  bits: 4 | 8 | null,
  source: string,
  localPath: boolean
): { steps: Step[]; added: Partial<Record<Step, Step>>; loadDefinesPath: boolean; checkDefinesPath: boolean } {
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
  // The load cell and the data check (which loads only the tokenizer) need model_path.
  const definesPath = { load: false, check: false };
  for (const by of ['check', 'load'] as const) {
    if (!have.has(by) || have.has('source')) continue;
    if (source === 'hf' || localPath) definesPath[by] = true;
    else need('source', by); // the mirror or ModelScope is more than one line
  }
  return { steps: STEPS.filter(s => have.has(s)), added, loadDefinesPath: definesPath.load, checkDefinesPath: definesPath.check };
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
    // Remote code on its own stack trains in one process (the launched script is the current
    // stack's): over several GPUs, with device_map="auto" unless the user asks otherwise.
    const strategy = request.strategy ?? (gpu.count > 1 && method !== 'inference' && remoteStackFor(model) !== null ? 'device-map' : 'auto');
    return planTraining(modelForTask(model, request.task), gpu, method, request.settings ?? {}, strategy);
  } catch (e) {
    // A strategy these GPUs or settings cannot use is the user's to change.
    if (e instanceof Error && /the [\w-]+ strategy /.test(e.message)) throw new CellRequestError(e.message);
    throw e;
  }
}

/** gpt-oss: a config whose `quantization_config` says MXFP4 (its experts as published). */
function publishedInMxfp4(config: Record<string, unknown>): boolean {
  const q = config.quantization_config;
  return q !== null && typeof q === 'object' && String((q as Record<string, unknown>).quant_method ?? '').toLowerCase() === 'mxfp4';
}

export function decide(request: CellRequest): Decisions {
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
  // The plan's compute format (memory/terms.ts computeDtype), by its torch name.
  const compute = plan.settings.compute !== undefined ? TORCH_DTYPE[plan.settings.compute] : computeDtype(gpu, model);
  const source = request.source ?? 'hf';
  const asked = request.steps ? parseSteps(request.steps) : defaultSteps(method, model.gated, bits !== null, source, launches(plan));
  const promptLang = dataLang === 'en' ? 'en' : lang === 'zh-Hant' ? 'zh-Hant' : 'zh-Hans';
  const dataset = request.dataset ?? null;
  const chosen = withDependencies(asked, method, bits, source, request.modelPath !== undefined);
  const training = method !== 'inference';
  return {
    lang,
    dataLang,
    promptLang,
    task,
    head,
    plan,
    bits,
    training,
    adapter: (method === 'lora' || method === 'qlora') && chosen.steps.includes('lora'),
    classifier: head === 'classification' || head === 'token',
    gpuRuntime: onGpu && !simulate,
    simulate,
    onCpu: gpu.backend === 'cpu' || simulate,
    compute,
    mixed: onGpu || simulate ? compute : 'float32',
    attention: cellsAttention(model),
    source,
    modelPath: request.modelPath ?? model.id,
    dataset,
    format: dataset === null ? null : localDataFormat(dataset),
    sample: dataset === null && usesSampleRows(dataLang, head, task),
    saveDir: request.saveDir ?? `outputs/${name}-${method}`,
    prompt: request.prompt ?? defaultPrompt(head, task, promptLang),
    maxSteps: firstRunSteps(request),
    optimizer: optimizerFor(gpu, plan.settings),
    stack: head === 'causal' ? remoteStackFor(model) : null,
    ...chosen
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
function usesSampleRows(dataLang: DataLanguage, head: Head, task: Task): boolean {
  return dataLang === 'zh' || head === 'seq2seq' || head === 'token' || head === 'qa' || task === 'qa';
}

/** Generative QA: a decoder or an encoder–decoder asked for question answering (it writes the answer). */
export const generativeQa = (d: Decisions) => d.task === 'qa' && (d.head === 'causal' || d.head === 'seq2seq');

const LOCAL_DATA_FORMAT: Record<string, string> = { json: 'json', jsonl: 'json', csv: 'csv' };

/** A dataset is a local file when it ends in .json/.jsonl/.csv; `load_dataset` names the format. */
export function localDataFormat(dataset: string): string | null {
  const m = /\.(jsonl|json|csv)$/i.exec(dataset);
  return m ? LOCAL_DATA_FORMAT[m[1].toLowerCase()] : null;
}

/** Read and order the steps a user asked for; an unknown name is an error that lists the known ones. */
export function parseSteps(steps: readonly string[]): Step[] {
  for (const s of steps) {
    if (!(STEPS as readonly string[]).includes(s)) throw new CellRequestError(`unknown step ${JSON.stringify(s)}; the steps are ${STEPS.join(', ')}`);
  }
  return STEPS.filter(s => steps.includes(s));
}
