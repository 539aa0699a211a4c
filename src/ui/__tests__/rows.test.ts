import { findGpu, GPU_PROFILES, planTraining, recommendModels, findModel, TASKS } from '../../core';
import { LANGUAGES } from '../../core/i18n';
import { breakdownRows, languageName, modelRow, reasonText } from '../rows';

describe('a recommendation as the sidebar lists it', () => {
  const t4 = findGpu('t4');

  it('Qwen2.5-7B-Instruct on a T4 with QLoRA: the verdict against 15.0 GiB, reasons in words', () => {
    const r = recommendModels({ task: 'chat', language: 'zh', gpu: t4, method: 'qlora' }).find(x => x.model.id === 'Qwen/Qwen2.5-7B-Instruct')!;
    const en = modelRow('en', r);
    expect(en.verdict).toBe('fits');
    expect(en.verdictText).toMatch(/^Fits: \d+\.\d GiB of 15\.0 GiB$/);
    expect(en.reasons).toContain('strong Chinese (5/5)');
    expect(en.reasons[0]).toMatch(/^fits Tesla T4 with QLoRA \(4-bit\) at 1024 tokens, batch \d+ \(about \d+\.\d GiB\)$/);
    const zh = modelRow('zh-Hans', r);
    expect(zh.verdictText).toMatch(/^放得下：需要 \d+\.\d GiB，可用 15\.0 GiB$/);
    expect(zh.reasons).toContain('中文能力强（5/5）');
  });

  // Every reason any GPU profile can produce, for every task and a few data languages, reads
  // as a sentence in each language: no slot left empty, no English left in the Chinese lists.
  it.each(LANGUAGES)('translates every reason code in %s', lang => {
    const codes = new Set<string>();
    for (const gpu of GPU_PROFILES) {
      for (const task of TASKS) {
        for (const language of ['zh', 'en', 'ja']) {
          for (const r of recommendModels({ task, language, gpu })) {
            for (const reason of r.reasons) {
              codes.add(reason.code);
              const text = reasonText(lang, reason);
              expect(text).not.toMatch(/\{\w+\}/);
              if (lang !== 'en' && reason.code !== 'remote_code') expect(text).not.toBe(reason.text);
            }
          }
        }
      }
    }
    expect([...codes].sort()).toEqual(['chinese', 'cpu_slow', 'fits', 'gated', 'language', 'license', 'recent', 'remote_code', 'size_band', 'tight']);
  });

  it('names data languages in the sidebar’s language', () => {
    expect(languageName('en', 'zh')).toBe('Chinese');
    expect(languageName('zh-Hans', 'zh')).toBe('中文');
    expect(languageName('zh-Hant', 'ja')).toBe('日文');
  });
});

describe('the breakdown table', () => {
  it.each(['inference', 'full', 'lora', 'qlora'] as const)('%s: every non-zero term has a translated name, and they add up to the total', method => {
    const model = findModel('Qwen/Qwen2.5-7B-Instruct')!;
    const { estimate } = planTraining(model, findGpu('a100-80gb'), method);
    for (const lang of LANGUAGES) {
      const rows = breakdownRows(lang, estimate);
      expect(rows.length).toBeGreaterThan(2);
      for (const row of rows) expect(row.label).not.toBe(row.term);
      expect(rows.reduce((sum, row) => sum + row.mib, 0)).toBe(estimate.total_mib);
    }
    expect(breakdownRows('en', estimate)[0]).toEqual({ term: 'weights', label: 'Weights', mib: estimate.breakdown.weights });
  });
});
