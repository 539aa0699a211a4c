/**
 * The names sentences put in their slots, in each language: a method, a data language, a GPU
 * profile, a count. Shared by every surface that renders a sentence from a code and its values
 * (the panel, the widget, and the CLI through `t('en', …)`), so each is written once.
 */
import type { Method } from '../types';
import { Language, MessageKey, t } from './index';

const METHOD_KEYS: Record<Method | 'auto', MessageKey> = {
  auto: 'ui.method_auto',
  inference: 'ui.method_inference',
  full: 'ui.method_full',
  lora: 'ui.method_lora',
  qlora: 'ui.method_qlora'
};

export function methodName(lang: Language, method: Method | 'auto'): string {
  return t(lang, METHOD_KEYS[method]);
}

export function isMethodName(value: string): value is Method | 'auto' {
  return value in METHOD_KEYS;
}

/** "Chinese" / "中文": the runtime's own names for ISO 639-1 codes (Intl), in `lang`; the code itself where Intl has none. */
export function languageName(lang: Language, code: string): string {
  try {
    return new Intl.DisplayNames([lang], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

/** The CPU-only profile's name (core/gpu `cpu`), which reasons carry as their "GPU". */
const CPU_NAME = 'CPU only';

/** The Apple profile's name (core/gpu `apple-silicon`). */
const APPLE_NAME = 'Apple silicon (16 GB unified memory)';

/** A GPU profile's name in `lang`: cards keep their own names; "CPU only" and the Apple profile are translated. */
export function gpuName(lang: Language, name: string): string {
  if (name === CPU_NAME) return t(lang, 'ui.gpu.cpu');
  if (name === APPLE_NAME) return t(lang, 'ui.gpu.apple');
  return name;
}

/** A count as every surface writes one: "3,909" (tokens, cells, steps), in every language. */
export function formatCount(n: number): string {
  return n.toLocaleString('en-US');
}
