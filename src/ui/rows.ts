/**
 * The core's answers in the sidebar's words: a recommendation as a list row, an estimate as a
 * table, a reason or advice code as a sentence. Pure formatting — the views call these, jest checks them.
 */
import type { FitVerdict, GpuProfile, KnownPlan, ModelEntry, Recommendation, Task } from '../core';
import { DEFAULT_MAX_STEPS } from '../core/codegen';
import type { Step } from '../core/codegen';
import type { Advice, Term } from '../core/memory';
import { linkName, planSpeed, Platform, runSeconds, sessionWarnings, sessionWarningText } from '../core/speed';
import { formatDuration, Language, MessageKey, t } from '../core/i18n';
import { formatCount, formatMiB } from './format';
import { gpuName, languageName, methodName } from '../core/i18n/names';
import { reasonText } from '../core/recommend/reasons';
import { adviceText, warningText } from '../core/memory/advice';

// The names and the words of reasons, advice and warnings are the core's: the CLI prints the same sentences in English.
export { adviceText, gpuName, languageName, methodName, reasonText, warningText };

/** The estimate's terms (src/core/memory/estimate.ts `priceSettings`), in the order they are paid. */
const TERM_KEYS: Record<Term, MessageKey> = {
  weights: 'ui.term.weights',
  quantization_constants: 'ui.term.quantization_constants',
  adapters: 'ui.term.adapters',
  gradients: 'ui.term.gradients',
  optimizer: 'ui.term.optimizer',
  autocast_weight_copies: 'ui.term.autocast_weight_copies',
  activations: 'ui.term.activations',
  logits: 'ui.term.logits',
  kv_cache: 'ui.term.kv_cache',
  cuda_context: 'ui.term.cuda_context',
  allocator_overhead: 'ui.term.allocator_overhead',
  ddp_gradient_buckets: 'ui.term.ddp_gradient_buckets',
  fsdp_gathered_units: 'ui.term.fsdp_gathered_units',
  zero_buckets: 'ui.term.zero_buckets'
};

const TASK_KEYS: Record<Task, MessageKey> = {
  generation: 'ui.task_generation',
  chat: 'ui.task_chat',
  classification: 'ui.task_classification',
  ner: 'ui.task_ner',
  qa: 'ui.task_qa',
  translation: 'ui.task_translation',
  code: 'ui.task_code'
};

const STEP_KEYS: Record<Step, MessageKey> = {
  install: 'ui.step.install',
  login: 'ui.step.login',
  source: 'ui.step.source',
  check: 'ui.step.check',
  quantize: 'ui.step.quantize',
  load: 'ui.step.load',
  lora: 'ui.step.lora',
  train: 'ui.step.train',
  launch: 'ui.step.launch',
  try: 'ui.step.try',
  save: 'ui.step.save'
};

const VERDICT_KEYS: Record<FitVerdict, MessageKey> = { fits: 'ui.verdict_fits', tight: 'ui.verdict_tight', no: 'ui.verdict_no' };

export function taskName(lang: Language, task: Task): string {
  return t(lang, TASK_KEYS[task]);
}

export function stepName(lang: Language, step: Step): string {
  return t(lang, STEP_KEYS[step]);
}

/**
 * Advice that describes rather than asks for a change (the GPU computes in fp16; the total
 * against the free memory): shown beside the verdict, so "What to change" holds only changes
 * the user can make in this panel.
 */
const NOTE_CODES: ReadonlySet<Advice['code']> = new Set(['no_bf16', 'needs_close', 'needs_more']);

export function isChange(advice: Advice): boolean {
  return !NOTE_CODES.has(advice.code);
}

/** "Fits: 10.2 GiB of 15.0 GiB" — the verdict with the estimated total against what the GPU has. */
export function verdictText(lang: Language, verdict: FitVerdict, totalMib: number, availableMib: number): string {
  return t(lang, VERDICT_KEYS[verdict], { total: formatMiB(totalMib), available: formatMiB(availableMib) });
}

export interface ModelRow {
  id: string;
  verdict: FitVerdict;
  verdictText: string;
  reasons: string[];
  /** For the card's small bar; absent when there is no estimate. */
  totalMib?: number;
  availableMib?: number;
  /** "about 25 min for the first 60 steps": absent without a time estimate (inference, no figures for the GPU). */
  timeText?: string;
}

/** The time of the cells' first run on the card, or undefined. */
function cardTime(lang: Language, model: ModelEntry, gpu: GpuProfile, plan: KnownPlan): string | undefined {
  const speed = planSpeed(model, gpu, plan);
  if (speed === null || speed.kind !== 'training') return undefined;
  return t(lang, 'speed.card', { time: formatDuration(lang, runSeconds(speed, DEFAULT_MAX_STEPS)), steps: DEFAULT_MAX_STEPS });
}

/** A recommendation as its card; with the GPU, the card also says how long the first run takes. */
export function modelRow(lang: Language, r: Recommendation, gpu?: GpuProfile): ModelRow {
  // Several GPUs: the verdict is the busiest GPU's under the strategy the reasons name.
  // The card says what the plan says (the busiest GPU's on several), as the Estimate section does.
  const { plan } = r;
  return {
    id: r.model.id,
    verdict: plan.verdict,
    verdictText: verdictText(lang, plan.verdict, plan.total_mib, plan.available_mib),
    totalMib: plan.total_mib,
    availableMib: plan.available_mib,
    // The fit reason repeats the verdict line with the batch and length behind it; keep it.
    reasons: r.reasons.map(reason => reasonText(lang, reason)),
    ...(gpu ? { timeText: cardTime(lang, r.model, gpu, plan) } : {})
  };
}

/** The Estimate section's "Time": how fast, the first run, the link assumed, the sessions, where the figures come from. */
export interface TimeView {
  lines: string[];
  warnings: string[];
  basis: string | null;
}

export function timeView(lang: Language, model: ModelEntry, gpu: GpuProfile, plan: KnownPlan, platform: Platform | null): TimeView {
  const speed = planSpeed(model, gpu, plan);
  if (speed === null) return { lines: [t(lang, 'ui.speed.none', { gpu: gpu.name })], warnings: [], basis: null };
  const basis = t(lang, 'ui.speed.basis', { gpu: gpu.name, tflops: formatCount(speed.peak_tflops) });
  if (speed.kind === 'inference') {
    const rate = (x: number) => formatCount(Math.round(x));
    return { lines: [t(lang, 'ui.speed.generate', { prefill: rate(speed.prefill_tokens_per_second), decode: rate(speed.decode_tokens_per_second) })], warnings: [], basis };
  }
  const gpus = gpu.count > 1 ? `${gpu.count} × ${gpu.name}` : gpu.name;
  const run = runSeconds(speed, DEFAULT_MAX_STEPS);
  const lines = [
    t(lang, 'ui.speed.rate', { tokens: formatCount(Math.round(speed.tokens_per_second)), gpus, step_tokens: formatCount(speed.tokens_per_step), step: formatDuration(lang, speed.seconds_per_step) }),
    t(lang, 'ui.speed.run', { steps: DEFAULT_MAX_STEPS, time: formatDuration(lang, run) })
  ];
  if (speed.interconnect !== null) lines.push(t(lang, 'ui.speed.link', { link: linkName(speed.interconnect), gbs: speed.interconnect.gbs }));
  const warnings = sessionWarnings(platform, run, null, DEFAULT_MAX_STEPS, speed.seconds_per_step).map(w => sessionWarningText(lang, w));
  return { lines, warnings, basis };
}

export interface TermRow {
  term: string;
  label: string;
  mib: number;
}

/** The breakdown's non-zero terms, translated, in the estimate's order; a term we do not know keeps its name. */
export function breakdownRows(lang: Language, breakdown: Readonly<Record<string, number>>): TermRow[] {
  return Object.entries(breakdown)
    .filter(([, mib]) => mib > 0)
    .map(([term, mib]) => ({ term, label: term in TERM_KEYS ? t(lang, TERM_KEYS[term as Term]) : term, mib }));
}
