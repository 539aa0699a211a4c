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
  return template.replace(/( ?)\{(\w+)\}( ?)/g, (whole: string, before: string, name: string, after: string, at: number) => {
    if (!(name in values)) throw new Error(`message ${key}: no value for {${name}}`);
    const value = String(values[name]);
    // Chinese templates space each {slot} for a Latin value ("在 Tesla T4 上"); a Chinese value
    // ("僅 CPU", "英文") takes no space beside a Han character or full-width punctuation.
    const dropBefore = lang !== 'en' && before !== '' && isWide(template[at - 1]) && isWide(value[0]);
    const dropAfter = lang !== 'en' && after !== '' && isWide(value[value.length - 1]) && isWide(template[at + whole.length]);
    return (dropBefore ? '' : before) + value + (dropAfter ? '' : after);
  });
}

/**
 * Han characters and full-width punctuation. Chinese spacing as Taiwan's and the mainland's
 * style guides agree (Microsoft's Chinese style guides; the Chinese Copywriting Guidelines):
 * one half-width space between a Han character and a Latin word or a number, none between two
 * Han characters, none beside full-width punctuation.
 */
export function isWide(ch: string | undefined): boolean {
  return ch !== undefined && /[\u3000-\u303f\u3400-\u4dbf\u4e00-\u9fff\uff00-\uffef]/.test(ch);
}

/** Read a language setting ("zh-CN" and "zh-TW" included); anything else is English. */
export function toLanguage(spec: string | undefined): Language {
  const s = (spec ?? '').toLowerCase();
  if (s === 'zh-hant' || s === 'zh-tw' || s === 'zh-hk' || s === 'zh_tw' || s === 'zh_hk') return 'zh-Hant';
  if (s.startsWith('zh')) return 'zh-Hans';
  return 'en';
}

/** "1 h 40 min", "25 分钟", "40 秒": a duration as the panel, the CLI and the cells write it, rounded to the minute past one. */
export function formatDuration(lang: Language, seconds: number): string {
  if (seconds < 60) return t(lang, 'time.s', { n: Math.max(1, Math.round(seconds)) });
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return t(lang, 'time.min', { n: minutes });
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m === 0 ? t(lang, 'time.h', { h }) : t(lang, 'time.hmin', { h, m });
}
