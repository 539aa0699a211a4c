/**
 * What the user asked the sidebar ("what for", which model, which cells) and what the core
 * answers for it on this runtime. Pure: no JupyterLab, no kernel — the sidebar's model calls
 * `advise` on each change, jest calls it with recorded reports.
 */
import {
  CellRequest,
  WeightSource,
  EstimateSettings,
  GpuProfile,
  GpuReport,
  KnownPlan,
  launches,
  MODELS,
  METHODS as METHOD_LIST,
  GPU_PROFILES,
  TASKS as TASK_LIST,
  Method,
  ModelEntry,
  Plan,
  planMaxBatch,
  planMaxSeqLen,
  planTraining,
  Recommendation,
  recommendModels,
  Task
} from '../../core';
import { defaultSteps, modelForTask, Step, STEPS } from '../../core/codegen';
import { DEFAULT_SEQ_LEN, Optimizer, Recipe } from '../../core/memory';
import type { Language } from '../../core/i18n';
import { isOtherTarget, PlanTarget, RUNTIME_TARGET, targetGpu } from '../targets';

export type MethodChoice = Method | 'auto';

export interface Choices {
  /** The GPU the estimate, the list and the cells are for: this runtime's, or one planned for. */
  target: PlanTarget;
  task: Task;
  /** ISO 639-1 language of the user's data ("en", …); Chinese names its script: "zh-Hant", "zh-Hans". */
  dataLanguage: string;
  method: MethodChoice;
  seqLen: number;
  /** The batch the user set with the slider; null: the largest that fits (the plan's). */
  batch: number | null;
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

/** The languages the catalog's models are trained for, Chinese (each script apart) and English first. */
export const DATA_LANGUAGES: readonly string[] = ['zh-Hant', 'zh-Hans', 'en', 'ja', 'ko', 'fr', 'de', 'es', 'pt', 'it', 'ru', 'vi', 'th', 'ar', 'hi'];


/** The batch slider's end when even a large batch fits (a learner's SFT rarely wants more per step). */
export const MAX_BATCH = 64;

/** Shorter than this no chat template fits; longer than any catalog context is a typo. */
export const MIN_SEQ_LEN = 16;
export const MAX_SEQ_LEN = 131072;

/** How many recommendations the sidebar lists. */
export const LIST_LENGTH = 6;

export function defaultChoices(lang: Language): Choices {
  return { target: RUNTIME_TARGET, task: 'chat', dataLanguage: lang === 'en' ? 'en' : lang, method: 'auto', seqLen: DEFAULT_SEQ_LEN, batch: null, modelId: null, steps: null, recipe: {}, optimizer: null, loraR: null };
}

/**
 * Choices read back from where a host kept them (JupyterLab's state database across a reload):
 * every field checked, anything unknown or malformed left at `base`. Never throws.
 */
export function restoreChoices(saved: unknown, base: Choices): Choices {
  if (typeof saved !== 'object' || saved === null) return base;
  const s = saved as Record<string, unknown>;
  const out: Choices = { ...base };
  if (typeof s.task === 'string' && (TASK_LIST as readonly string[]).includes(s.task)) out.task = s.task as Task;
  if (typeof s.dataLanguage === 'string' && DATA_LANGUAGES.includes(s.dataLanguage)) out.dataLanguage = s.dataLanguage;
  if (s.method === 'auto' || (typeof s.method === 'string' && (METHOD_LIST as readonly string[]).includes(s.method))) out.method = s.method as MethodChoice;
  if (typeof s.seqLen === 'number' && Number.isInteger(s.seqLen) && s.seqLen >= MIN_SEQ_LEN && s.seqLen <= MAX_SEQ_LEN) out.seqLen = s.seqLen;
  if (typeof s.batch === 'number' && Number.isInteger(s.batch) && s.batch >= 1 && s.batch <= MAX_BATCH) out.batch = s.batch;
  if (typeof s.modelId === 'string') out.modelId = s.modelId;
  if (Array.isArray(s.steps) && s.steps.every(x => (STEPS as readonly string[]).includes(x as string))) out.steps = s.steps as Step[];
  const target = s.target as Record<string, unknown> | undefined;
  if (target?.kind === 'runtime') out.target = RUNTIME_TARGET;
  else if (target?.kind === 'profile' && typeof target.id === 'string' && GPU_PROFILES.some(p => p.id === target.id)) out.target = { kind: 'profile', id: target.id };
  else if (target?.kind === 'memory' && typeof target.gib === 'number' && Number.isInteger(target.gib) && target.gib >= 1 && target.gib <= 1024) out.target = { kind: 'memory', gib: target.gib };
  return out;
}

/** The chosen model's plan and the longest length that fits it, or why there is none (a family the counter does not know, a bad length). */
export type EstimateState =
  | { ok: true; plan: KnownPlan; maxSeqLen: number | null }
  | { ok: false; reason: 'seq-len'; min: number; max: number }
  | { ok: false; reason: 'error'; message: string };

export interface Chosen {
  model: ModelEntry;
  method: Method;
  /** False when the user's pick is not (or no longer) in the list. */
  recommended: boolean;
  estimate: EstimateState;
  /** The plan the cells follow (an estimate's, or the conservative one for a family we cannot count); null for a length the model cannot take. */
  plan: Plan | null;
  steps: Step[];
  defaultSteps: Step[];
}

export interface RuntimeAdvice {
  /** The GPU planned for (the runtime's own unless the user chose another). */
  gpu: GpuProfile;
  /** True when `gpu` is not this runtime's: the panel says so, and the cells skip this machine's facts. */
  otherTarget: boolean;
  recommendations: Recommendation[];
  /** The sliders' ends for the chosen model: the longest length and the largest batch that fit. */
  seqLenMax: number;
  batchMax: number;
  /** Null only when nothing is recommended and the user picked nothing. */
  chosen: Chosen | null;
}

/** The longest sequence a model reads; the catalog's context, else the global cap. */
function maxSeqLenFor(model: ModelEntry): number {
  return model.context_length > 0 ? Math.min(model.context_length, MAX_SEQ_LEN) : MAX_SEQ_LEN;
}

/** A length the estimate can take for this model: a whole number from MIN_SEQ_LEN to its context. */
export function validSeqLen(model: ModelEntry | undefined, seqLen: number): boolean {
  return Number.isInteger(seqLen) && seqLen >= MIN_SEQ_LEN && seqLen <= (model ? maxSeqLenFor(model) : MAX_SEQ_LEN);
}

/** The user described their own script ("Your recipe", an optimizer, a LoRA rank): the estimate prices it, the cells stay ours. */
function ownRecipe(choices: Choices): boolean {
  return Object.keys(choices.recipe).length > 0 || choices.optimizer !== null || (choices.loraR !== null && Number.isInteger(choices.loraR) && choices.loraR > 0);
}

/** The settings the user fixed: the length always; the batch (its slider), the recipe, optimizer and LoRA rank when given. */
function wantedFrom(choices: Choices): Partial<EstimateSettings> {
  const wanted: Partial<EstimateSettings> = { seqLen: choices.seqLen };
  if (choices.batch !== null) wanted.batch = choices.batch;
  if (Object.keys(choices.recipe).length > 0) wanted.recipe = choices.recipe;
  if (choices.optimizer !== null) wanted.optimizer = choices.optimizer;
  if (choices.loraR !== null && Number.isInteger(choices.loraR) && choices.loraR > 0) wanted.loraR = choices.loraR;
  return wanted;
}

/** The one plan for the chosen model at the user's settings: what its card, the Estimate section and the cells say. */
function planFor(model: ModelEntry, gpu: GpuProfile, method: Method, choices: Choices): { estimate: EstimateState; plan: Plan | null } {
  const max = maxSeqLenFor(model);
  if (!validSeqLen(model, choices.seqLen)) return { estimate: { ok: false, reason: 'seq-len', min: MIN_SEQ_LEN, max }, plan: null };
  try {
    // The user fixes the length (the batch, if they moved its slider, and their recipe); planTraining fills the rest, as the cells will.
    const plan = planTraining(model, gpu, method, wantedFrom(choices));
    if (!plan.known) return { estimate: { ok: false, reason: 'error', message: plan.reason }, plan };
    return { estimate: { ok: true, plan, maxSeqLen: planMaxSeqLen(model, gpu, plan) }, plan };
  } catch (e) {
    // estimateMemory throws a RecipeError for a recipe the model cannot take (LoRA targets it
    // lacks): an answer, not a crash.
    return { estimate: { ok: false, reason: 'error', message: e instanceof Error ? e.message : String(e) }, plan: null };
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

/**
 * Everything the panel shows below "Plan for", for one runtime report; `models`: the catalog
 * plus the user's own rows. Every card and the estimate are judged at the user's length (and
 * batch), so a card and the estimate of the same model always agree.
 */
export function advise(choices: Choices, report: GpuReport, models: readonly ModelEntry[] = MODELS, keepList?: readonly Recommendation[]): RuntimeAdvice {
  const gpu = targetGpu(choices.target, report);
  const otherTarget = isOtherTarget(choices.target, report);
  const method = choices.method === 'auto' ? undefined : choices.method;
  // An invalid length is flagged at its field; the list then stays at the plan's own lengths.
  const seqLen = validSeqLen(undefined, choices.seqLen) ? choices.seqLen : undefined;
  // While a slider is dragged the list is kept (`keepList`) and only the chosen model is re-estimated; on release it is recomputed.
  const recommendations = keepList
    ? [...keepList]
    : recommendModels({ task: choices.task, language: choices.dataLanguage, gpu, method, models, limit: LIST_LENGTH, seqLen, batch: choices.batch ?? undefined });
  const picked = choices.modelId === null ? undefined : recommendations.find(r => r.model.id === choices.modelId);
  const model = picked?.model ?? (choices.modelId !== null ? models.find(m => m.id === choices.modelId) : undefined) ?? recommendations[0]?.model;
  if (!model) return { gpu, otherTarget, recommendations, seqLenMax: MIN_SEQ_LEN, batchMax: 1, chosen: null };
  const inList = recommendations.find(r => r.model.id === model.id);
  const chosenMethod = method ?? inList?.method ?? autoMethod(model, gpu, choices);
  // Priced with the head the cells load for this task (an encoder's NER or QA head, not its pretraining one).
  const loaded = modelForTask(model, choices.task);
  const { estimate, plan } = planFor(loaded, gpu, chosenMethod, choices);
  const quantized = plan ? plan.settings.dtype === 'nf4' || plan.settings.dtype === 'int8' : chosenMethod === 'qlora';
  // Several GPUs training through accelerate launch: the launch step replaces the in-notebook load and train.
  const launched = plan !== null && launches(plan);
  const defaults = defaultSteps(chosenMethod, model.gated, quantized, undefined, launched);
  const steps = choices.steps ?? defaults;
  const seqLenMax = estimate.ok ? Math.max(MIN_SEQ_LEN, Math.min(maxSeqLenFor(model), estimate.maxSeqLen ?? MIN_SEQ_LEN)) : maxSeqLenFor(model);
  const batchMax = estimate.ok ? planMaxBatch(loaded, gpu, estimate.plan, MAX_BATCH) : 1;
  return { gpu, otherTarget, recommendations, seqLenMax, batchMax, chosen: { model, method: chosenMethod, recommended: inList !== undefined, estimate, plan, steps, defaultSteps: defaults } };
}

/** What the settings say about every insert: where weights come from and where things go. */
export interface Preferences {
  source: WeightSource;
  cacheDir: string; // "" → the libraries' default (~/.cache/huggingface)
  outputDir: string; // the folder trained adapters are saved under
}

export const DEFAULT_PREFERENCES: Preferences = { source: 'hf', cacheDir: '', outputDir: 'outputs' };

/** Where the cells save a run (and its record), relative to the notebook: `<outputDir>/<name>-<method>`. */
export function outputFolder(modelId: string, method: Method, prefs: Preferences = DEFAULT_PREFERENCES): string {
  // A local id ("./", "../models/qwen") names its folder by the last real segment.
  const name = modelId.split('/').filter(s => s !== '' && s !== '.' && s !== '..').pop() ?? 'model';
  const outputDir = prefs.outputDir.trim().replace(/\/+$/, '') || DEFAULT_PREFERENCES.outputDir;
  return `${outputDir}/${name}-${method}`;
}

/**
 * The cells for the ticked steps, as renderCells takes them. For another GPU than the
 * runtime's, `report` is left out: this machine's RAM, disk and installed packages say nothing
 * of the one the cells will run on (the profile's own RAM is used; every package is installed).
 */
export function cellRequest(choices: Choices, chosen: Chosen, gpu: GpuProfile, report: GpuReport | undefined, language: Language, prefs: Preferences = DEFAULT_PREFERENCES): CellRequest {
  return {
    model: chosen.model,
    gpu,
    method: chosen.method,
    task: choices.task,
    steps: STEPS.filter(s => chosen.steps.includes(s)),
    ...(report ? { report } : {}),
    language,
    // The sample data and the "try it" prompt follow the data's language, not the panel's.
    dataLanguage: choices.dataLanguage,
    settings: choices.batch === null ? { seqLen: choices.seqLen } : { seqLen: choices.seqLen, batch: choices.batch },
    // The panel's plan is the cells' — unless the user described their own recipe, which the
    // estimate follows and our cells do not (they then plan for themselves at the same length and batch).
    ...(chosen.plan !== null && !ownRecipe(choices) ? { plan: chosen.plan } : {}),
    source: prefs.source,
    saveDir: outputFolder(chosen.model.id, chosen.method, prefs),
    ...(prefs.cacheDir.trim() ? { cacheDir: prefs.cacheDir.trim() } : {})
  };
}

/** The loading cell(s): where the weights come from, their 4-bit form if the method uses one, and the load. */
export function loadingRequest(choices: Choices, chosen: Chosen, gpu: GpuProfile, report: GpuReport | undefined, language: Language, prefs: Preferences = DEFAULT_PREFERENCES): CellRequest {
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
