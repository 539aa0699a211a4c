/**
 * A recommendation's reasons: a code and its values, and their words — in `i18n` only. The
 * English text a reason carries (what the CLI prints) is `reasonText('en', …)` of the same
 * message the panel shows in its language, so the two cannot drift.
 */
import { Language, MessageKey, t } from '../i18n';
import { formatCount, gpuName, isMethodName, languageName, methodName } from '../i18n/names';
import type { Reason } from './recommend';

const REASON_KEYS: Record<Reason['code'], MessageKey> = {
  fits: 'ui.reason.fits',
  tight: 'ui.reason.tight',
  size_band: 'ui.reason.size_band',
  cpu_slow: 'ui.reason.cpu_slow',
  chinese: 'ui.reason.chinese',
  language: 'ui.reason.language',
  script: 'ui.reason.script',
  reasoning: 'ui.reason.reasoning',
  recent: 'ui.reason.recent',
  license: 'ui.reason.license',
  gated: 'ui.reason.gated',
  remote_code: 'ui.reason.remote_code',
  remote_no_train: 'ui.reason.remote_no_train',
  remote_old_stack: 'ui.reason.remote_old_stack',
  spread_fits: 'ui.reason.spread_fits',
  spread_tight: 'ui.reason.spread_tight',
  spread_only: 'ui.reason.spread_only',
  offload_ram: 'ui.reason.offload_ram'
};

/** One reason in `lang`, from its code and values (never from its English text). */
export function reasonText(lang: Language, reason: Pick<Reason, 'code' | 'values'>): string {
  const values: Record<string, string | number> = { ...reason.values };
  if (typeof values.method === 'string' && isMethodName(values.method)) values.method = methodName(lang, values.method);
  if (typeof values.language === 'string') values.language = languageName(lang, values.language);
  if (typeof values.seq_len === 'number') values.seq_len = formatCount(values.seq_len);
  if (typeof values.gpu === 'string') values.gpu = gpuName(lang, values.gpu);
  // Several GPUs: the strategy's label (`strategyLabel`) has its words as ui.strategy.<label>.
  if (typeof values.strategy === 'string') values.strategy = t(lang, `ui.strategy.${values.strategy}` as MessageKey);
  return t(lang, REASON_KEYS[reason.code], values);
}

/** A reason with its English words. */
export function reason(code: Reason['code'], values: Record<string, string | number> = {}): Reason {
  return { code, values, text: reasonText('en', { code, values }) };
}
