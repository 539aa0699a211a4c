/**
 * 繁體中文 as Taiwan writes it: every message translated, no Simplified-only character (checked
 * with OpenCC's Simplified → Taiwan converter, which leaves Traditional text unchanged), no
 * mainland term where Taiwan has its own, and the spacing of the style guides once the slots
 * are filled — with Latin values ("Tesla T4") and with Chinese ones ("僅 CPU", "英文").
 */
import * as OpenCC from 'opencc-js';
import { EN } from '../en';
import { ZH_HANT } from '../zh-Hant';
import { isWide, MessageKey, t } from '..';
import { MAINLAND } from './taiwan';

const KEYS = Object.keys(EN) as MessageKey[];


/** Values for every slot: a Latin one and a Chinese one, so both spacings are exercised. */
function values(chinese: boolean): Record<string, string | number> {
  const names = new Set(KEYS.flatMap(k => [...EN[k].matchAll(/\{(\w+)\}/g)].map(m => m[1])));
  return Object.fromEntries([...names].map(n => [n, chinese ? '僅 CPU' : n === 'count' ? 3909 : 'Tesla T4']));
}

describe('繁體中文 (zh-Hant)', () => {
  it('translates every message: none is left in English', () => {
    // Identical to English is fine for names and symbols ("LoRA", "{name} · {memory}"), not for words.
    const untranslated = KEYS.filter(k => ZH_HANT[k] === undefined || (ZH_HANT[k] === EN[k] && /[A-Za-z]+ [a-z]+/.test(EN[k].replace(/\{\w+\}/g, ''))));
    expect(untranslated).toEqual([]);
  });

  it('uses no Simplified-only character', () => {
    const toTaiwan = OpenCC.Converter({ from: 'cn', to: 'tw' });
    const simplified = KEYS.flatMap(k => {
      const text = ZH_HANT[k] ?? '';
      return [...text].filter(ch => toTaiwan(ch) !== ch).map(ch => `${k}: ${ch}`);
    });
    expect(simplified).toEqual([]);
  });

  it('uses Taiwanese terms, not mainland ones', () => {
    const found = KEYS.flatMap(k => Object.keys(MAINLAND).filter(word => (ZH_HANT[k] ?? '').includes(word)).map(word => `${k}: ${word} → ${MAINLAND[word]}`));
    expect(found).toEqual([]);
  });

  it('says RAM and GPU memory apart: every 記憶體 is 系統記憶體 or GPU 記憶體', () => {
    const bare = KEYS.filter(k => (ZH_HANT[k] ?? '').replace(/系統記憶體|GPU 記憶體|記憶體配置器|共用記憶體|統一記憶體/g, '').includes('記憶體'));
    expect(bare).toEqual([]);
  });

  it.each([false, true])('spaces Latin words and nothing else, with Chinese values: %s', chinese => {
    const problems: string[] = [];
    for (const k of KEYS) {
      const text = t('zh-Hant', k, values(chinese));
      for (const line of text.split('\n')) {
        const chars = [...line];
        chars.forEach((ch, i) => {
          if (ch !== ' ') return;
          const before = chars[i - 1];
          const after = chars[i + 1];
          if (after === ' ') problems.push(`${k}: two spaces in «${line}»`);
          if (isWide(before) && isWide(after)) problems.push(`${k}: a space between «${before}» and «${after}» in «${line}»`);
        });
        // A Han character touching a Latin letter or digit (the guides want one space there).
        const touching = line.match(/[\u4e00-\u9fff][A-Za-z0-9]|[A-Za-z0-9][\u4e00-\u9fff]/g);
        if (touching && !k.startsWith('cells.')) problems.push(`${k}: no space in ${touching.join(', ')} of «${line}»`);
      }
    }
    expect(problems).toEqual([]);
  });

  it('drops the spaces around a slot only when the value is Chinese', () => {
    expect(t('zh-Hant', 'ui.reason.fits', { gpu: 'Tesla T4', method: 'QLoRA', seq_len: '8,192', batch: 1, total_gib: 10.2 })).toBe(
      '用 QLoRA 在 Tesla T4 上放得下：8,192 個 token，批次大小 1（約 10.2 GiB）'
    );
    expect(t('zh-Hant', 'ui.reason.fits', { gpu: '僅 CPU', method: 'LoRA', seq_len: '1,024', batch: 1, total_gib: 3.1 })).toBe(
      '用 LoRA 在僅 CPU 上放得下：1,024 個 token，批次大小 1（約 3.1 GiB）'
    );
  });
});
