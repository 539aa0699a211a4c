/**
 * The estimate's advice and loading warnings: a code and its raw values, and their words — in
 * `i18n` only. The English text each carries (what `fit` prints) is `adviceText('en', …)` of the
 * message the panel shows in its language, so the two cannot drift.
 */
import type { Method } from '../types';
import { Language, MessageKey, t } from '../i18n';
import { formatCount, gpuName } from '../i18n/names';
import type { Advice, LoadingWarning } from './types';

const ADVICE_KEYS: Record<Advice['code'], MessageKey> = {
  no_4bit: 'ui.advice.no_4bit',
  no_4bit_capability: 'ui.advice.no_4bit_capability',
  no_bf16: 'ui.advice.no_bf16',
  needs_close: 'ui.advice.needs_close',
  needs_more: 'ui.advice.needs_more',
  checkpointing: 'ui.advice.checkpointing',
  batch_one: 'ui.advice.batch_one',
  shorten: 'ui.advice.shorten',
  optimizer_8bit: 'ui.advice.optimizer_8bit',
  lora_instead: 'ui.advice.lora_instead',
  qlora_instead: 'ui.advice.qlora_instead',
  load_4bit: 'ui.advice.load_4bit',
  smaller_model: 'ui.advice.smaller_model'
};

const WARNING_KEYS: Record<LoadingWarning['code'], MessageKey> = { ram: 'ui.warning.ram', disk: 'ui.warning.disk' };

/** The method inside an advice sentence ("full fine-tuning of …"), lower case in English. */
const ADVICE_METHOD_KEYS: Record<Method, MessageKey> = {
  inference: 'ui.advice.method_inference',
  full: 'ui.advice.method_full',
  lora: 'ui.advice.method_lora',
  qlora: 'ui.advice.method_qlora'
};

/** Memory in an advice sentence: always GiB with one decimal, thousands grouped ("2,374.5 GiB"). */
export function formatGiB(mib: number): string {
  return `${(mib / 1024).toLocaleString('en-US', { minimumFractionDigits: 1, maximumFractionDigits: 1 })} GiB`;
}

/** The raw values as the sentence shows them: `x_mib` fills slot `{x}` in GiB, `seq_len` grouped, `gpu` and `method` their words. */
function adviceValues(lang: Language, values: Record<string, string | number>): Record<string, string | number> {
  const out: Record<string, string | number> = {};
  for (const [name, value] of Object.entries(values)) {
    if (name.endsWith('_mib') && typeof value === 'number') out[name.slice(0, -4)] = formatGiB(value);
    else if (name === 'seq_len' && typeof value === 'number') out[name] = formatCount(value);
    else if (name === 'gpu' && typeof value === 'string') out[name] = gpuName(lang, value);
    else if (name === 'method' && typeof value === 'string' && value in ADVICE_METHOD_KEYS) out[name] = t(lang, ADVICE_METHOD_KEYS[value as Method]);
    else out[name] = value;
  }
  return out;
}

/** One piece of advice in `lang`, from its code and values (never from its English text). */
export function adviceText(lang: Language, advice: Pick<Advice, 'code' | 'values'>): string {
  return t(lang, ADVICE_KEYS[advice.code], adviceValues(lang, advice.values));
}

/** One loading warning (RAM, disk) in `lang`, from its code and values. */
export function warningText(lang: Language, warning: Pick<LoadingWarning, 'code' | 'values'>): string {
  return t(lang, WARNING_KEYS[warning.code], adviceValues(lang, warning.values));
}

/** Advice with its English words. */
export function advice(code: Advice['code'], values: Record<string, string | number> = {}): Advice {
  return { code, values, text: adviceText('en', { code, values }) };
}

/** A loading warning with its English words. */
export function warning(code: LoadingWarning['code'], values: Record<string, string | number>): LoadingWarning {
  return { code, values, text: warningText('en', { code, values }) };
}
