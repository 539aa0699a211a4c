/**
 * The decisions behind the cells, as data: which Auto class, which number formats, which
 * training settings, which packages to install. Pure functions of the request.
 */
import type { GpuProfile, Method, ModelEntry, Task } from '../types';
import { computeDtype as computeFormat } from '../memory';
import type { EstimateSettings } from '../memory';
import { CellRequestError, RuntimeFacts } from './request';
import { t, Language } from '../i18n';

export type { EstimateSettings };

/** What the model's head does, which decides the Auto class, the trainer and the "try it" cell. */
export type Head = 'causal' | 'seq2seq' | 'classification' | 'token' | 'qa';

export const AUTO_CLASS: Record<Head, string> = {
  causal: 'AutoModelForCausalLM',
  seq2seq: 'AutoModelForSeq2SeqLM',
  classification: 'AutoModelForSequenceClassification',
  token: 'AutoModelForTokenClassification',
  qa: 'AutoModelForQuestionAnswering'
};

/**
 * The class the load and merge cells name: the head's Auto class, except for two families whose
 * causal-LM Auto class cannot build the checkpoint for a text fine-tune (transformers 5.24):
 * - Gemma 3n (gemma3n): AutoModelForCausalLM builds Gemma3nForConditionalGeneration, whose vision
 *   tower is a timm MobileNetV5 (TimmWrapperModel: `timm` must be installed) beside a 0.7B audio
 *   tower. Gemma3nForCausalLM loads the text model alone from the same checkpoint:
 *   conversion_mapping.py maps "gemma3n_text" onto "qwen3_5_text"'s
 *   PrefixChange(prefix_to_remove="language_model"), so model.language_model.* lands on model.*
 *   (checked on a tiny checkpoint in that layout: no missing key). params counts that class.
 * - Ministral 3 (mistral3): MODEL_FOR_CAUSAL_LM_MAPPING_NAMES has no "mistral3", so
 *   AutoModelForCausalLM raises "Unrecognized configuration class"; AutoModelForImageTextToText
 *   (MODEL_FOR_IMAGE_TEXT_TO_TEXT_MAPPING_NAMES "mistral3") loads Mistral3ForConditionalGeneration,
 *   Pixtral tower included, which is what params counts.
 */
export function loadClass(model: ModelEntry, head: Head): string {
  const type = String(model.config.model_type ?? '');
  if (head === 'causal' && type === 'gemma3n') return 'Gemma3nForCausalLM';
  if (head === 'causal' && type === 'mistral3') return 'AutoModelForImageTextToText';
  return AUTO_CLASS[head];
}

/** peft's `TaskType` values, which decide what get_peft_model wraps (and which head it keeps trainable). */
export const LORA_TASK_TYPE: Record<Head, string> = {
  causal: 'CAUSAL_LM',
  seq2seq: 'SEQ_2_SEQ_LM',
  classification: 'SEQ_CLS',
  token: 'TOKEN_CLS',
  qa: 'QUESTION_ANS'
};

/**
 * peft's "all-linear" leaves out only the output embeddings and, for SEQ_CLS, the classifier
 * (peft tuners_utils.py `_maybe_include_all_linear_layers`): a token-classification or QA head would
 * get an adapter, and then TOKEN_CLS / QUESTION_ANS's modules_to_save refuses the wrapped Linear
 * ("modules_to_save cannot be applied to modules of type lora.Linear", peft utils/other.py:360).
 */
export const HEAD_MODULES: Partial<Record<Head, string[]>> = { token: ['classifier', 'score'], qa: ['qa_outputs'] };

// Encoder–decoder families whose generation head is AutoModelForSeq2SeqLM (transformers'
// MODEL_FOR_SEQ_TO_SEQ_CAUSAL_LM_MAPPING_NAMES).
const SEQ2SEQ_TYPES = new Set(['t5', 'mt5', 'umt5', 'bart', 'mbart', 'marian', 'pegasus', 'm2m_100', 'nllb-moe', 'led', 'longt5']);
const GENERATIVE_TASKS: readonly Task[] = ['generation', 'chat', 'code', 'translation'];

function isDecoder(model: ModelEntry): boolean {
  const archs = model.config.architectures ?? [];
  // GPT-2 is "GPT2LMHeadModel"; ChatGLM is "ChatGLMModel"/"ChatGLMForConditionalGeneration" with remote code.
  if (archs.some(a => /ForCausalLM$|LMHeadModel$/.test(a))) return true;
  if (model.config.model_type === 'chatglm') return true;
  return model.tasks.some(t => GENERATIVE_TASKS.includes(t)) && !SEQ2SEQ_TYPES.has(String(model.config.model_type));
}

/** The task the cells serve: the one asked for, else the model's first. */
export function chooseTask(model: ModelEntry, task: Task | undefined): Task {
  if (task !== undefined) return task;
  return model.tasks[0] ?? 'generation';
}

/** Which head to load for this model and task; an encoder cannot generate text. */
export function chooseHead(model: ModelEntry, task: Task): Head {
  if (task === 'classification') return 'classification';
  if (task === 'ner') return 'token';
  const seq2seq = SEQ2SEQ_TYPES.has(String(model.config.model_type));
  if (seq2seq) return 'seq2seq';
  if (isDecoder(model)) return 'causal';
  if (task === 'qa') return 'qa';
  throw new CellRequestError(
    `${model.id} is an encoder model (no text generation); choose --task classification, ner or qa`
  );
}

export type TorchDtype = 'float32' | 'bfloat16' | 'float16';

/** The torch name of each compute format. */
export const TORCH_DTYPE: Readonly<Record<'fp32' | 'bf16' | 'fp16', TorchDtype>> = { fp32: 'float32', bf16: 'bfloat16', fp16: 'float16' };


/**
 * The compute format the memory wing prices (memory/terms.ts `computeDtype`: float32 instead of
 * float16 for a family that overflows fp16), by its torch name.
 */
export function computeDtype(gpu: GpuProfile, model: ModelEntry): TorchDtype {
  return TORCH_DTYPE[computeFormat(gpu, model.config)];
}

/** The dtype the base weights load in (the non-quantized ones, under QLoRA). */
export function loadDtype(gpu: GpuProfile, method: Method, model: ModelEntry): TorchDtype {
  // Full fine-tuning keeps fp32 master weights and trains under autocast (the contract's recipe).
  if (method === 'full') return 'float32';
  return computeDtype(gpu, model);
}

/** bitsandbytes' 4-bit (QLoRA, nf4 inference) or 8-bit (int8 inference), or none. */
export function quantBits(method: Method, settings: EstimateSettings): 4 | 8 | null {
  if (method === 'qlora') return 4;
  if (method === 'inference' && settings.dtype === 'nf4') return 4;
  if (method === 'inference' && settings.dtype === 'int8') return 8;
  return null;
}

/** Adam's paged and 8-bit variants live in bitsandbytes' CUDA kernels; elsewhere plain AdamW. */
export function optimizerFor(gpu: GpuProfile, settings: EstimateSettings): EstimateSettings['optimizer'] {
  return gpu.backend === 'cuda' ? settings.optimizer : 'adamw_torch';
}

/**
 * A first run is short: 60 optimizer steps (batch × accumulation × 60 samples) — minutes on a T4,
 * not the ~1,000 of a whole pass — with a checkpoint every 20 steps, so a disconnected Colab
 * (or a Kaggle session, stopped at 12 h) keeps its work. The markdown says how to train longer.
 * The single-GPU cells and the launched script both.
 */
export { DEFAULT_MAX_STEPS } from './time';
export const SAVE_STEPS = 20;

/**
 * What the training's guard says when the loss stops being finite (python_snippets/_train_run.py,
 * multi_gpu_train.py): under fp16 an overflow, in this family's words; in bf16/fp32 the learning
 * rate or the data. {step} and {loss} stay for Python's str.format.
 */
export function nanMessage(lang: Language, model: ModelEntry, method: Method, mixed: TorchDtype): string {
  const lr = learningRate(method);
  const family = String(model.config.model_type ?? model.id);
  return mixed === 'float16'
    ? t(lang, 'train.nan.fp16', { step: '{step}', loss: '{loss}', family, lr })
    : t(lang, 'train.nan', { step: '{step}', loss: '{loss}', dtype: mixed, lr, lower: lr / 10 });
}

/** Learning rates that are usual starting points: LoRA adapters tolerate ~10× more than full weights. */
export function learningRate(method: Method): number {
  return method === 'full' ? 2e-5 : 2e-4;
}

/** A requirement: the pip name, the version range tested together, and why it is needed. */
export interface Requirement {
  name: string;
  min: string; // lowest version tested
  below: string; // next major: APIs may change there
}

// The versions this project's tests run against (constraints.txt); ranges stop at the next
// major release. transformers 5 is required: the cells use `dtype=` and `processing_class=`.
const TESTED: Record<string, Requirement> = {
  transformers: { name: 'transformers', min: '5.24', below: '6' },
  accelerate: { name: 'accelerate', min: '1.15', below: '2' },
  peft: { name: 'peft', min: '0.21', below: '1' },
  trl: { name: 'trl', min: '1.16', below: '2' },
  datasets: { name: 'datasets', min: '5.2', below: '6' },
  bitsandbytes: { name: 'bitsandbytes', min: '0.50', below: '1' },
  modelscope: { name: 'modelscope', min: '1.20', below: '2' },
  // The ZeRO strategies' engine: accelerate imports it only when the config asks for it, and
  // raises "DeepSpeed is not installed" otherwise. pip builds it from its sdist without
  // compiling any op (its setup.py runs without torch, ops are built on first use); the
  // configs the cells write name no DeepSpeed optimizer, so nothing is compiled.
  deepspeed: { name: 'deepspeed', min: '0.19', below: '1' }
};

/** The packages a set of cells needs. */
export function requiredPackages(head: Head, method: Method, bits: 4 | 8 | null, training: boolean, source: string, optimizer = 'adamw_torch', deepspeed = false): Requirement[] {
  const names = ['transformers', 'accelerate'];
  if (method === 'lora' || method === 'qlora') names.push('peft');
  if (training) names.push('datasets');
  if (training && head === 'causal') names.push('trl');
  // An 8-bit or paged optimizer is bitsandbytes' (transformers' Trainer imports it for those names).
  if (bits !== null || (training && /8bit|paged/.test(optimizer))) names.push('bitsandbytes');
  if (source === 'modelscope') names.push('modelscope');
  if (deepspeed) names.push('deepspeed');
  return names.map(n => TESTED[n]);
}

function versionParts(v: string): number[] {
  return v.split(/[.+-]/).map(p => parseInt(p, 10)).map(n => (Number.isFinite(n) ? n : 0));
}

/** a < b, comparing dotted release numbers ("0.50.2" < "0.9" is false). */
export function versionBelow(a: string, b: string): boolean {
  const x = versionParts(a);
  const y = versionParts(b);
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    const d = (x[i] ?? 0) - (y[i] ?? 0);
    if (d !== 0) return d < 0;
  }
  return false;
}

/**
 * The pip requirement strings to install: everything needed, or — with a probe report —
 * only what is missing or outside the tested range. A package the report does not list
 * (datasets, say) is installed, since we cannot tell.
 */
export function packagesToInstall(needed: Requirement[], report: RuntimeFacts | undefined): string[] {
  const have = report?.packages ?? null;
  return needed
    .filter(r => {
      if (have === null) return true;
      const v = have[r.name];
      if (typeof v !== 'string') return true;
      return versionBelow(v, r.min) || !versionBelow(v, r.below);
    })
    .map(r => `${r.name}>=${r.min},<${r.below}`);
}
