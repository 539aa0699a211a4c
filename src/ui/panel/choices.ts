/**
 * What the user asked the sidebar ("what for", which model, which cells) and what the core
 * answers for it on this runtime. Pure: no JupyterLab, no kernel — the sidebar's model calls
 * `advise` on each change, jest calls it with recorded reports.
 */
import {
  CellRequest,
  WeightSource,
  EstimateSettings,
  gpuFromReport,
  GpuProfile,
  GpuReport,
  MemoryEstimate,
  MODELS,
  Method,
  ModelEntry,
  planTraining,
  Recommendation,
  recommendModels,
  Task
} from '../../core';
import { defaultSteps, spreadFor, Step, STEPS } from '../../core/codegen';
import { DEFAULT_SEQ_LEN, Optimizer, Recipe } from '../../core/memory';
import type { Language } from '../../core/i18n';

export type MethodChoice = Method | 'auto';

export interface Choices {
  task: Task;
  /** ISO 639-1 language of the user's data ("zh", "en", …). */
  dataLanguage: string;
  method: MethodChoice;
  seqLen: number;
  /** The model the user picked; null: the top recommendation. */
  modelId: string | null;
  /** Steps the user ticked; null: the defaults for the chosen model and method. */
  steps: Step[] | null;
  /**
   * "Your recipe": what the user's own script does, for the estimate only (the cells keep
   * theirs). Empty: what the cells do. `optimizer` and `loraR` null: as the plan picks them.
   */
  recipe: Partial<Recipe>;
  optimizer: Optimizer | null;
  loraR: number | null;
}

/** The languages the catalog's models are trained for, Chinese and English first. */
export const DATA_LANGUAGES: readonly string[] = ['zh', 'en', 'ja', 'ko', 'fr', 'de', 'es', 'pt', 'it', 'ru', 'vi', 'th', 'ar', 'hi'];

/** Shorter than this no chat template fits; longer than any catalog context is a typo. */
export const MIN_SEQ_LEN = 16;
export const MAX_SEQ_LEN = 131072;

/** How many recommendations the sidebar lists. */
export const LIST_LENGTH = 6;

export function defaultChoices(lang: Language): Choices {
  return { task: 'chat', dataLanguage: lang === 'en' ? 'en' : 'zh', method: 'auto', seqLen: DEFAULT_SEQ_LEN, modelId: null, steps: null, recipe: {}, optimizer: null, loraR: null };
}

/** The estimate for the chosen model, or why there is none (a family the counter does not know, a bad length). */
export type EstimateState =
  | { ok: true; settings: EstimateSettings; estimate: MemoryEstimate }
  | { ok: false; reason: 'seq-len'; min: number; max: number }
  | { ok: false; reason: 'error'; message: string };

export interface Chosen {
  model: ModelEntry;
  method: Method;
  /** False when the user's pick is not (or no longer) in the list. */
  recommended: boolean;
  estimate: EstimateState;
  steps: Step[];
  defaultSteps: Step[];
}

export interface RuntimeAdvice {
  gpu: GpuProfile;
  recommendations: Recommendation[];
  /** Null only when nothing is recommended and the user picked nothing. */
  chosen: Chosen | null;
}

/** The longest sequence a model reads; the catalog's context, else the global cap. */
function maxSeqLenFor(model: ModelEntry): number {
  return model.context_length > 0 ? Math.min(model.context_length, MAX_SEQ_LEN) : MAX_SEQ_LEN;
}

/** The settings the user fixed: the length always; the recipe, optimizer and LoRA rank when given. */
function wantedFrom(choices: Choices): Partial<EstimateSettings> {
  const wanted: Partial<EstimateSettings> = { seqLen: choices.seqLen };
  if (Object.keys(choices.recipe).length > 0) wanted.recipe = choices.recipe;
  if (choices.optimizer !== null) wanted.optimizer = choices.optimizer;
  if (choices.loraR !== null && Number.isInteger(choices.loraR) && choices.loraR > 0) wanted.loraR = choices.loraR;
  return wanted;
}

function estimateFor(model: ModelEntry, gpu: GpuProfile, method: Method, choices: Choices): EstimateState {
  const max = maxSeqLenFor(model);
  const seqLen = choices.seqLen;
  if (!Number.isInteger(seqLen) || seqLen < MIN_SEQ_LEN || seqLen > max) return { ok: false, reason: 'seq-len', min: MIN_SEQ_LEN, max };
  try {
    // The user fixes the length (and their recipe); planTraining picks the batch that fits, as the cells will.
    return { ok: true, ...planTraining(model, gpu, method, wantedFrom(choices)) };
  } catch (e) {
    // countParameters throws UnknownFamilyError for a family it cannot count, estimateMemory a
    // RecipeError for a recipe the model cannot take (LoRA targets it lacks): answers, not crashes.
    return { ok: false, reason: 'error', message: e instanceof Error ? e.message : String(e) };
  }
}

/** "auto" for a model outside the list: what recommendModels would pick for it alone, else by 4-bit support. */
function autoMethod(model: ModelEntry, gpu: GpuProfile, choices: Choices): Method {
  try {
    const alone = recommendModels({ task: choices.task, language: choices.dataLanguage, gpu, models: [model] });
    if (alone.length > 0) return alone[0].method;
  } catch {
    // An unknown family: fall through to the method the runtime allows.
  }
  return gpu.bnb_4bit ? 'qlora' : 'lora';
}

/** Everything the sidebar shows below "What for", for one runtime report; `models`: the catalog plus the user's own rows. */
export function advise(choices: Choices, report: GpuReport, models: readonly ModelEntry[] = MODELS): RuntimeAdvice {
  const gpu = gpuFromReport(report);
  const method = choices.method === 'auto' ? undefined : choices.method;
  const recommendations = recommendModels({ task: choices.task, language: choices.dataLanguage, gpu, method, models, limit: LIST_LENGTH });
  const picked = choices.modelId === null ? undefined : recommendations.find(r => r.model.id === choices.modelId);
  const model = picked?.model ?? (choices.modelId !== null ? models.find(m => m.id === choices.modelId) : undefined) ?? recommendations[0]?.model;
  if (!model) return { gpu, recommendations, chosen: null };
  const inList = recommendations.find(r => r.model.id === model.id);
  const chosenMethod = method ?? inList?.method ?? autoMethod(model, gpu, choices);
  const estimate = estimateFor(model, gpu, chosenMethod, choices);
  const quantized = estimate.ok ? estimate.settings.dtype === 'nf4' || estimate.settings.dtype === 'int8' : chosenMethod === 'qlora';
  // Several GPUs training through accelerate launch: the launch step replaces the in-notebook load and train.
  const launched = gpu.count > 1 && spreadFor({ model, gpu, method: chosenMethod, settings: { seqLen: choices.seqLen } }) !== null;
  const defaults = defaultSteps(chosenMethod, model.gated, quantized, undefined, launched);
  const steps = choices.steps ?? defaults;
  return { gpu, recommendations, chosen: { model, method: chosenMethod, recommended: inList !== undefined, estimate, steps, defaultSteps: defaults } };
}

/** What the settings say about every insert: where weights come from and where things go. */
export interface Preferences {
  source: WeightSource;
  cacheDir: string; // "" → the libraries' default (~/.cache/huggingface)
  outputDir: string; // the folder trained adapters are saved under
}

export const DEFAULT_PREFERENCES: Preferences = { source: 'hf', cacheDir: '', outputDir: 'outputs' };

/** The cells for the ticked steps, as renderCells takes them. */
export function cellRequest(choices: Choices, chosen: Chosen, gpu: GpuProfile, report: GpuReport, language: Language, prefs: Preferences = DEFAULT_PREFERENCES): CellRequest {
  // A local id ("./", "../models/qwen") names its folder by the last real segment.
  const name = chosen.model.id.split('/').filter(s => s !== '' && s !== '.' && s !== '..').pop() ?? 'model';
  const outputDir = prefs.outputDir.trim().replace(/\/+$/, '') || DEFAULT_PREFERENCES.outputDir;
  return {
    model: chosen.model,
    gpu,
    method: chosen.method,
    task: choices.task,
    steps: STEPS.filter(s => chosen.steps.includes(s)),
    report,
    language,
    settings: { seqLen: choices.seqLen },
    source: prefs.source,
    saveDir: `${outputDir}/${name}-${chosen.method}`,
    ...(prefs.cacheDir.trim() ? { cacheDir: prefs.cacheDir.trim() } : {})
  };
}

/** The loading cell(s): where the weights come from, their 4-bit form if the method uses one, and the load. */
export function loadingRequest(choices: Choices, chosen: Chosen, gpu: GpuProfile, report: GpuReport, language: Language, prefs: Preferences = DEFAULT_PREFERENCES): CellRequest {
  const steps: Step[] = chosen.defaultSteps.includes('quantize') ? ['source', 'quantize', 'load'] : ['source', 'load'];
  return { ...cellRequest(choices, chosen, gpu, report, language, prefs), steps };
}

/** Tick or untick one step, starting from the defaults the first time. */
export function toggleStep(current: readonly Step[], step: Step, on: boolean): Step[] {
  const set = new Set(current);
  if (on) set.add(step);
  else set.delete(step);
  return STEPS.filter(s => set.has(s));
}
