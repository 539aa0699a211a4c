/**
 * The core's answers in the sidebar's words: a recommendation as a list row, an estimate as a
 * table, a reason code as a sentence. Pure formatting — the views call these, jest checks them.
 */
import type { FitVerdict, MemoryEstimate, Method, Recommendation, Reason, Task } from '../core';
import type { Step } from '../core/codegen';
import { Language, MessageKey, t } from '../core/i18n';
import { formatMiB } from './format';

const REASON_KEYS: Record<Reason['code'], MessageKey> = {
  fits: 'ui.reason.fits',
  tight: 'ui.reason.tight',
  size_band: 'ui.reason.size_band',
  cpu_slow: 'ui.reason.cpu_slow',
  chinese: 'ui.reason.chinese',
  language: 'ui.reason.language',
  recent: 'ui.reason.recent',
  license: 'ui.reason.license',
  gated: 'ui.reason.gated',
  remote_code: 'ui.reason.remote_code'
};

/** The estimate's terms (src/core/memory/estimate.ts `priceSettings`), in the order they are paid. */
const TERM_KEYS: Record<string, MessageKey> = {
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
  allocator_overhead: 'ui.term.allocator_overhead'
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

const METHOD_KEYS: Record<Method | 'auto', MessageKey> = {
  auto: 'ui.method_auto',
  inference: 'ui.method_inference',
  full: 'ui.method_full',
  lora: 'ui.method_lora',
  qlora: 'ui.method_qlora'
};

const STEP_KEYS: Record<Step, MessageKey> = {
  install: 'ui.step.install',
  login: 'ui.step.login',
  source: 'ui.step.source',
  quantize: 'ui.step.quantize',
  load: 'ui.step.load',
  lora: 'ui.step.lora',
  train: 'ui.step.train',
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

export function methodName(lang: Language, method: Method | 'auto'): string {
  return t(lang, METHOD_KEYS[method]);
}

/** "Chinese" / "中文" / "中文": the browser's own names for ISO 639-1 codes, in the sidebar's language. */
export function languageName(lang: Language, code: string): string {
  try {
    return new Intl.DisplayNames([lang], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** One reason, translated from its code and values (never from its English text). */
export function reasonText(lang: Language, reason: Reason): string {
  const values: Record<string, string | number> = { ...reason.values };
  if (typeof values.method === 'string' && values.method in METHOD_KEYS) values.method = methodName(lang, values.method as Method);
  if (typeof values.language === 'string') values.language = languageName(lang, values.language);
  return t(lang, REASON_KEYS[reason.code], values);
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
}

export function modelRow(lang: Language, r: Recommendation): ModelRow {
  return {
    id: r.model.id,
    verdict: r.estimate.verdict,
    verdictText: verdictText(lang, r.estimate.verdict, r.estimate.total_mib, r.estimate.available_mib),
    // The fit reason repeats the verdict line with the batch and length behind it; keep it.
    reasons: r.reasons.map(reason => reasonText(lang, reason))
  };
}

export interface TermRow {
  term: string;
  label: string;
  mib: number;
}

/** The breakdown's non-zero terms, translated, in the estimate's order; a term we do not know keeps its name. */
export function breakdownRows(lang: Language, estimate: MemoryEstimate): TermRow[] {
  return Object.entries(estimate.breakdown)
    .filter(([, mib]) => mib > 0)
    .map(([term, mib]) => ({ term, label: term in TERM_KEYS ? t(lang, TERM_KEYS[term]) : term, mib }));
}
