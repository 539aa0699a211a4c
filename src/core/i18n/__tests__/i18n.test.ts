import { EN } from '../en';
import { ZH_HANS } from '../zh-Hans';
import { ZH_HANT } from '../zh-Hant';
import { t, toLanguage } from '..';

const slots = (text: string) => [...text.matchAll(/\{(\w+)\}/g)].map(m => m[1]).sort();

describe('the three languages', () => {
  // A learner reading 简体中文 or 繁體中文 never meets an English sentence in the sidebar.
  it.each([
    ['zh-Hans', ZH_HANS],
    ['zh-Hant', ZH_HANT]
  ] as const)('%s translates every message, with the same {slots} as English', (_, table) => {
    const keys = Object.keys(EN) as (keyof typeof EN)[];
    const missing = keys.filter(k => !(k in table));
    expect(missing).toEqual([]);
    for (const k of keys) expect([k, slots(table[k]!)]).toEqual([k, slots(EN[k])]);
  });

  it('fills slots and follows JupyterLab’s language codes', () => {
    expect(t('en', 'ui.gpuLine', { name: 'Tesla T4', memory: '15.0 GiB' })).toBe('Tesla T4 · 15.0 GiB');
    expect(t('zh-Hans', 'ui.noGpu')).toBe('此运行环境没有 NVIDIA GPU');
    expect(t('zh-Hant', 'ui.noGpu')).toBe('此執行環境沒有 NVIDIA GPU');
    expect(toLanguage('zh_CN')).toBe('zh-Hans');
    expect(toLanguage('zh_TW')).toBe('zh-Hant');
    expect(toLanguage('en_US')).toBe('en');
  });

  it('refuses a message whose slot has no value, rather than show "{name}"', () => {
    expect(() => t('en', 'ui.gpuLine', { name: 'Tesla T4' })).toThrow(/memory/);
  });
});
