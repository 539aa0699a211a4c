/**
 * `recommendModels`: the catalog ranked for a task, a language and a GPU. The seed's decision
 * flow is the backbone — under 8 GB: QLoRA and a small model; 8–16 GB: QLoRA and 3–7B; over
 * 16 GB: 7–13B — and every candidate must actually fit by the memory estimate, at the
 * settings the cells would use, so a current model that fits beats the flow's size band.
 */
import { MODELS } from '../catalog';
import { estimateStrategy, planTraining, strategyLabel, EstimateSettings, KnownPlan, MemoryEstimate, Strategy, StrategyEstimate } from '../memory';
import { countParameters } from '../params';
import { reason } from './reasons';
import { modelForTask, remoteStackFor, remoteTrainingProblem } from '../codegen';
import { GpuProfile, Method, ModelEntry, Task } from '../types';

/** One reason, as data the UI can translate, plus its English rendering. */
export interface Reason {
  code:
    | 'fits'
    | 'tight'
    | 'size_band'
    | 'cpu_slow'
    | 'chinese'
    | 'language'
    | 'script' // tuned for the script asked (zh-Hant: Breeze, TAIDE)
    | 'reasoning' // a reasoning model (thinks aloud before each answer)
    | 'recent'
    | 'license'
    | 'gated'
    | 'remote_code'
    | 'remote_no_train' // its own code does not train with our cells (ChatGLM and Baichuan relatives)
    | 'remote_old_stack' // its own code trains on the older stack its repository states (ChatGLM3, GLM-4, Baichuan2)
    // Several GPUs (values: gpus, gpu, strategy — a `strategyLabel` — method, seq_len, batch, per_gpu_gib):
    | 'spread_fits'
    | 'spread_tight'
    | 'spread_only' // gpus, gpu, strategy, ddp_gib: a full copy per GPU would not fit
    | 'offload_ram'; // strategy, need_gib, ram_gib: an offload the runtime's RAM cannot hold
  values: Record<string, string | number>;
  text: string;
}

export interface Recommendation {
  model: ModelEntry;
  method: Method;
  params: number;
  /** The plan the cells, the Estimate section and `fit` use for this model and method: its verdict is the card's. */
  plan: KnownPlan;
  /** The plan's settings, one process's estimate and each GPU's share (`single` on one GPU). */
  settings: EstimateSettings;
  estimate: MemoryEstimate;
  spread: StrategyEstimate;
  score: number;
  reasons: Reason[];
}

export interface RecommendRequest {
  task: Task;
  /** ISO 639-1: "zh", "en", …; Chinese data may name its script: "zh-Hant" (Traditional), "zh-Hans" (Simplified). */
  language: string;
  gpu: GpuProfile;
  method?: Method;
  /** The sequence length the user trains at; each model's verdict is for it (default: the plan's own). */
  seqLen?: number;
  /** The batch the user set; default: the largest that fits (the plan's). */
  batch?: number;
  /** On several GPUs: a strategy the user chose; default `auto`. */
  strategy?: Strategy | 'auto';
  /** Defaults to the catalog; the user's own rows can be added. */
  models?: readonly ModelEntry[];
  limit?: number;
}

const GiB = 1024;

/**
 * The seed's size bands by the memory a card has (< 8 GB: small; 8–16 GB: 3–7B; > 16 GB:
 * 7–13B), in exact billions of parameters: a "7B" is 6.7–8.2B today (Llama-3.1-8B, Qwen3-8B),
 * a "13B/14B" up to 14.8B (Qwen3-14B), a "small" one up to 4B (Phi-3.5-mini, Qwen3-4B).
 */
export function sizeBand(gpu: GpuProfile): { min: number; max: number } {
  // Without a GPU, RAM decides what fits but not what is sensible: a CPU trains a 7B model at
  // minutes per step. Small models let a learner run every cell before renting a GPU.
  if (gpu.backend === 'cpu') return { min: 0, max: 1.8 };
  const mib = gpu.free_mib ?? gpu.memory_mib;
  // Several GPUs: FSDP/ZeRO pool their memory, so the band follows the sum; past 48 GiB in
  // all (2×A100-80GB, a node of H100s) the 27–72B models people spread over GPUs.
  if (gpu.count > 1 && mib * gpu.count > 48 * GiB) return { min: 27, max: 75 };
  if (gpu.count > 1 && mib * gpu.count > 16 * GiB) return { min: 6.5, max: 15 };
  if (mib < 8 * GiB) return { min: 0, max: 4.1 };
  if (mib <= 16 * GiB) return { min: 3, max: 9 };
  return { min: 6.5, max: 15 };
}

/** QLoRA up to 16 GB (and wherever 4-bit runs when LoRA would not fit); LoRA above. */
function methodFor(model: ModelEntry, gpu: GpuProfile, asked: Method | undefined, wanted: Partial<EstimateSettings>): Method {
  if (asked) return asked;
  const mib = gpu.free_mib ?? gpu.memory_mib;
  if (!gpu.bnb_4bit) return 'lora';
  if (mib <= 16 * GiB) return 'qlora';
  return planTraining(model, gpu, 'lora', wanted).verdict === 'fits' ? 'lora' : 'qlora';
}

/**
 * Whether a model reads data in `language`. Chinese rows say "zh" (both scripts) or, for a
 * model tuned for one script, "zh-Hant" / "zh-Hans"; asking for plain "zh" takes either.
 */
export function speaks(model: ModelEntry, language: string): boolean {
  if (model.languages.length === 0 || model.languages.includes(language)) return true;
  if (language === 'zh') return model.languages.some(l => l.startsWith('zh-'));
  return language.startsWith('zh-') && model.languages.includes('zh');
}

/** A model tuned for the script asked (Breeze, TAIDE for zh-Hant) beats a general Chinese model of its size. */
/**
 * "A current model" (issue 19): released in the 12 months up to the catalog's date, the newest
 * `released` of models.json (Gemma 4, 2026-04; recommend.test.ts checks the two agree, so a newer
 * row moves this date on purpose). Current models get the full freshness points (3) and say so;
 * a model of the 12 months before 1.5, of the 12 before those 1 (Breeze and TAIDE, whose
 * Traditional-Chinese tuning still puts them first for zh-Hant data); older ones none.
 */
export const CATALOG_DATE = '2026-04';
export const CURRENT_MONTHS = 12;

/** Whole months from `released` (YYYY-MM) to the catalog's date; null for "unknown". */
export function monthsBeforeCatalog(released: string): number | null {
  const m = /^(\d{4})-(\d{2})$/.exec(released);
  if (m === null) return null;
  const [cy, cm] = CATALOG_DATE.split('-').map(Number);
  return (cy - Number(m[1])) * 12 + (cm - Number(m[2]));
}

export function isCurrent(released: string): boolean {
  const age = monthsBeforeCatalog(released);
  return age !== null && age < CURRENT_MONTHS;
}

const SCRIPT_BONUS = 4;
/** A reasoning model thinks aloud before every answer: slow and wordy as an assistant, so others rank first. */
const REASONING_PENALTY = 3;


function billions(n: number): string {
  return (n / 1e9).toFixed(n < 1e9 ? 2 : 1) + 'B';
}

export function recommendModels(request: RecommendRequest): Recommendation[] {
  const { task, language, gpu } = request;
  const band = sizeBand(gpu);
  const candidates = (request.models ?? MODELS).filter(m => m.tasks.includes(task) && speaks(m, language));
  const wanted: Partial<EstimateSettings> = {
    ...(request.seqLen !== undefined ? { seqLen: request.seqLen } : {}),
    ...(request.batch !== undefined ? { batch: request.batch } : {})
  };
  const ranked: Recommendation[] = [];
  for (const model of candidates) {
    // A length beyond what the model reads is not a setting it can be estimated at: leave it out.
    if (request.seqLen !== undefined && model.context_length > 0 && request.seqLen > model.context_length) continue;
    // A family we cannot count (a user's own config) has no estimate, so we cannot say it
    // fits: it is not recommended, and stays choosable by id where the caller offers that.
    // Priced with the head the cells load for the task (an encoder's NER or QA head).
    const loaded = modelForTask(model, task);
    const method = methodFor(loaded, gpu, request.method, wanted);
    const planned = planTraining(loaded, gpu, method, wanted, request.strategy ?? 'auto');
    if (!planned.known) continue;
    const { settings, estimate, spread, verdict } = planned;
    const multi = planned.strategy !== 'single';
    if (verdict === 'no') continue;
    const params = countParameters(model.config).total;
    const b = params / 1e9;
    const reasons: Reason[] = [];
    if (multi) reasons.push(...spreadReasons(model, gpu, method, settings, spread, planned.ram_short));
    else
      reasons.push(reason(verdict === 'fits' ? 'fits' : 'tight', { gpu: gpu.name, method, seq_len: settings.seqLen, batch: settings.batch, total_gib: Number((planned.total_mib / 1024).toFixed(1)) }));
    let score = 0;
    if (gpu.backend === 'cpu') {
      // Only small models are worth a CPU's time (see sizeBand); say why the list is small.
      if (b > band.max) continue;
      score += 3;
      reasons.push(reason('cpu_slow', { params: billions(params) }));
    } else if (b >= band.min && b <= band.max) {
      score += 3;
      reasons.push(reason('size_band', { params: billions(params), min: band.min, max: band.max }));
    } else {
      // Bigger than the band but fitting is still good (a stronger model); much smaller is weaker.
      score += b > band.max ? 1.5 : Math.max(0, 2 - (band.min - b));
    }
    if (language === 'zh' || language.startsWith('zh-')) {
      score += model.chinese;
      if (model.chinese >= 4) reasons.push(reason('chinese', { stars: model.chinese }));
      if (language !== 'zh' && model.languages.includes(language)) {
        score += SCRIPT_BONUS;
        reasons.push(reason('script', { language }));
      }
    } else if (model.languages.includes(language)) {
      score += 2;
      reasons.push(reason('language', { language }));
    }
    const age = monthsBeforeCatalog(model.released);
    if (age !== null && age < CURRENT_MONTHS) {
      score += 3;
      reasons.push(reason('recent', { released: model.released }));
    } else if (age !== null && age < 3 * CURRENT_MONTHS) {
      score += age < 2 * CURRENT_MONTHS ? 1.5 : 1;
    }
    if (model.reasoning) {
      score -= REASONING_PENALTY;
      reasons.push(reason('reasoning', {}));
    }
    if (verdict === 'tight') score -= 2;
    if (model.gated) {
      score -= 0.5;
      reasons.push(reason('gated', {}));
    }
    if (model.trust_remote_code) {
      score -= 1;
      reasons.push(reason('remote_code', {}));
    }
    // Its own code cannot be trained by our cells (codegen/remote.ts): not a first pick to fine-tune.
    const untrainable = method !== 'inference' ? remoteTrainingProblem(model) : null;
    if (untrainable !== null) {
      score -= 4;
      reasons.push(reason('remote_no_train', { instead: untrainable.instead[0] }));
    }
    // Its cells install the stack its repository states (codegen/remoteStack.ts), not run here: a
    // native model on the current stack comes first when both fit.
    const stack = method !== 'inference' ? remoteStackFor(model) : null;
    if (stack !== null) {
      score -= 2;
      reasons.push(reason('remote_old_stack', { transformers: stack.transformers, successor: stack.successor }));
    }
    if (!model.commercial) reasons.push(reason('license', { license: model.license }));
    ranked.push({ model, method, params, plan: planned, settings, estimate, spread, score, reasons });
  }
  ranked.sort((a, b) => b.score - a.score || b.params - a.params);
  return ranked.slice(0, request.limit ?? ranked.length);
}

const gibOf = (mib: number) => Number((mib / 1024).toFixed(1));

/** Why this strategy: it fits at this size per GPU; only a sharded one fits; an offload the RAM cannot hold. */
function spreadReasons(model: ModelEntry, gpu: GpuProfile, method: Method, settings: EstimateSettings, spread: StrategyEstimate, ramShort: StrategyEstimate | null): Reason[] {
  const gpus = spread.gpus;
  const perGpu = gibOf(spread.busiest_mib);
  const reasons: Reason[] = [
    reason(spread.verdict === 'fits' ? 'spread_fits' : 'spread_tight', { gpus, gpu: gpu.name, strategy: strategyLabel(spread.strategy, method), method, seq_len: settings.seqLen, batch: settings.batch, per_gpu_gib: perGpu })
  ];
  if (spread.strategy !== 'ddp' && method !== 'inference') {
    const ddp = estimateStrategy(model, gpu, settings, 'ddp');
    if (ddp.verdict === 'no') {
      reasons.push(reason('spread_only', { gpus, gpu: gpu.name, strategy: strategyLabel(spread.strategy, method), ddp_gib: gibOf(ddp.busiest_mib) }));
    }
  }
  if (ramShort && ramShort.cpu.available_mib !== null) {
    reasons.push(reason('offload_ram', { strategy: strategyLabel(ramShort.strategy, method), need_gib: gibOf(ramShort.cpu.total_mib), ram_gib: gibOf(ramShort.cpu.available_mib) }));
  }
  return reasons;
}

/** One line per recommendation, in English: "Qwen/Qwen2.5-7B-Instruct — fits Tesla T4 with QLoRA …; strong Chinese". */
export function describeRecommendation(r: Recommendation): string {
  return `${r.model.id} — ${r.reasons.map(x => x.text).join('; ')}`;
}
