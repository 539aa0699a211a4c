/**
 * The interface's words in three languages: `t(lang, key, values)` over plain tables.
 * Values fill `{name}` slots as given; a caller that puts user input into markdown escapes it
 * first (see codegen/markdown.ts). A key missing in a table falls back to English.
 */
import { EN } from './en';
import { ZH_HANS } from './zh-Hans';
import { ZH_HANT } from './zh-Hant';

export type Language = 'en' | 'zh-Hans' | 'zh-Hant';
export const LANGUAGES: readonly Language[] = ['en', 'zh-Hans', 'zh-Hant'];
export type MessageKey = keyof typeof EN;

const TABLES: Record<Language, Partial<Record<MessageKey, string>>> = { en: EN, 'zh-Hans': ZH_HANS, 'zh-Hant': ZH_HANT };

/** The message for `key` in `lang`, with each `{name}` replaced by `values.name`. */
export function t(lang: Language, key: MessageKey, values: Record<string, string | number> = {}): string {
  const template = TABLES[lang][key] ?? EN[key];
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    if (!(name in values)) throw new Error(`message ${key}: no value for ${whole}`);
    return String(values[name]);
  });
}

/** Read a language setting ("zh-CN" and "zh-TW" included); anything else is English. */
export function toLanguage(spec: string | undefined): Language {
  const s = (spec ?? '').toLowerCase();
  if (s === 'zh-hant' || s === 'zh-tw' || s === 'zh-hk' || s === 'zh_tw' || s === 'zh_hk') return 'zh-Hant';
  if (s.startsWith('zh')) return 'zh-Hans';
  return 'en';
}
