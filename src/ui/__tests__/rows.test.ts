import { defaultSettings, estimateMemory, findGpu, gpuFromReport, GPU_PROFILES, METHODS, MODELS, planTraining, recommendModels, findModel, TASKS } from '../../core';
import type { MemoryEstimate } from '../../core';
import { Language, LANGUAGES } from '../../core/i18n';
import type { Advice, LoadingWarning } from '../../core/memory';
import { adviceText, breakdownRows, languageName, modelRow, reasonText, timeView, warningText, gpuName } from '../rows';

describe('a recommendation as the sidebar lists it', () => {
  const t4 = findGpu('t4');

  it('Qwen2.5-7B-Instruct on a T4 with QLoRA: the verdict against 15.0 GiB, reasons in words', () => {
    const r = recommendModels({ task: 'chat', language: 'zh', gpu: t4, method: 'qlora' }).find(x => x.model.id === 'Qwen/Qwen2.5-7B-Instruct')!;
    const en = modelRow('en', r);
    expect(en.verdict).toBe('fits');
    expect(en.verdictText).toMatch(/^Fits: \d+\.\d GiB of 15\.0 GiB$/);
    expect(en.reasons).toContain('strong Chinese (5/5)');
    expect(en.reasons[0]).toMatch(/^fits Tesla T4 with QLoRA \(4-bit\) at 1,024 tokens, batch \d+ \(about \d+\.\d GiB\)$/);
    const zh = modelRow('zh-Hans', r);
    expect(zh.verdictText).toMatch(/^放得下：需要 \d+\.\d GiB，可用 15\.0 GiB$/);
    expect(zh.reasons).toContain('中文能力强（5/5）');
  });

  it('the card says how long the first run takes, in each language; without the GPU, no time', () => {
    const r = recommendModels({ task: 'chat', language: 'zh', gpu: t4, method: 'qlora' }).find(x => x.model.id === 'Qwen/Qwen2.5-7B-Instruct')!;
    expect(modelRow('en', r, t4).timeText).toMatch(/^about \d+ min for the first 60 steps$/);
    expect(modelRow('zh-Hans', r, t4).timeText).toMatch(/^前 60 步约需 \d+ 分钟$/);
    expect(modelRow('zh-Hant', r, t4).timeText).toMatch(/^前 60 步約需 \d+ 分鐘$/);
    expect(modelRow('en', r).timeText).toBeUndefined();
  });

  it('the Estimate section’s time: tokens/s, a step, the first run, the link on two T4s, and a session warning where a run outlasts Colab', () => {
    const m = findModel('Qwen/Qwen2.5-7B-Instruct')!;
    const plan = planTraining(m, t4, 'qlora');
    if (!plan.known) throw new Error('no plan');
    const view = timeView('en', m, t4, plan, 'colab');
    expect(view.lines[0]).toMatch(/^About [\d,]+ tokens\/s of training on Tesla T4; one step of [\d,]+ tokens takes about \d+ s\.$/);
    expect(view.lines[1]).toMatch(/^The first run, 60 steps: about \d+ min\.$/);
    expect(view.warnings).toEqual([]);
    expect(view.basis).toMatch(/datasheet peak \(65 TFLOPS\)/);
    const two = findGpu('kaggle-2xt4');
    const spread = planTraining(m, two, 'qlora');
    if (!spread.known) throw new Error('no plan');
    expect(timeView('zh-Hant', m, two, spread, 'kaggle').lines).toContain('GPU 之間以 PCIe 3.0 x16（約 10 GB/s）估算。');
    expect(timeView('en', m, findGpu('cpu'), planTraining(m, findGpu('cpu'), 'lora') as never, null).lines).toEqual(['No time estimate: the advisor has no published figures for CPU only.']);
  });

  // Every reason any GPU profile can produce, for every task and a few data languages, reads
  // as a sentence in each language: no slot left empty, no English left in the Chinese lists.
  it.each(LANGUAGES)('translates every reason code in %s', lang => {
    const codes = new Set<string>();
    for (const gpu of GPU_PROFILES) {
      for (const task of TASKS) {
        for (const language of ['zh', 'zh-Hant', 'en', 'ja']) {
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
    // kaggle-2xt4 brings the several-GPU reasons (spread_*; spread_tight since a Gemma 4 row only just fits two T4s); zh-Hant the script reason; the R1 distill the reasoning one; ChatGLM3, GLM-4 and Baichuan2 their own stack's (remote_no_train is a relative's: codegen remote.test.ts).
    expect([...codes].sort()).toEqual(['chinese', 'cpu_slow', 'fits', 'gated', 'language', 'license', 'reasoning', 'recent', 'remote_code', 'remote_old_stack', 'script', 'size_band', 'spread_fits', 'spread_only', 'spread_tight', 'tight']);
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
    const plan = planTraining(model, findGpu('a100-80gb'), method);
    if (!plan.known) throw new Error(plan.reason);
    const { estimate } = plan;
    for (const lang of LANGUAGES) {
      const rows = breakdownRows(lang, estimate.breakdown);
      expect(rows.length).toBeGreaterThan(2);
      for (const row of rows) expect(row.label).not.toBe(row.term);
      expect(rows.reduce((sum, row) => sum + row.mib, 0)).toBe(estimate.total_mib);
    }
    expect(breakdownRows('en', estimate.breakdown)[0]).toEqual({ term: 'weights', label: 'Weights', mib: estimate.breakdown.weights });
  });
});

describe('the estimate’s advice and loading warnings', () => {
  const ALL_CODES = [
    'batch_one', 'checkpointing', 'disk', 'load_4bit', 'lora_instead', 'needs_close', 'needs_more', 'no_4bit', 'no_4bit_capability',
    'no_bf16', 'optimizer_8bit', 'qlora_instead', 'ram', 'shorten', 'smaller_model'
  ];
  // The catalog's GPUs (a Mac among them), a T4 on a runtime short of RAM and disk, a Maxwell
  // card too old for 4-bit (compute capability 5.2); lengths that fit and that do not; the
  // planned settings and a user's batch 4 without checkpointing and with the 32-bit optimizer.
  const maxwell = gpuFromReport({ gpus: [{ name: 'Tesla M60', memory_total_mib: 8129, compute_capability: '5.2' }], ram_available_mib: 3000, disk_free_mib: 2000 });
  const gpus = [...GPU_PROFILES, { ...findGpu('t4'), ram_mib: 4096, disk_free_mib: 3000 }, maxwell];
  const sentences: { advice: Advice | LoadingWarning; kind: 'advice' | 'warning' }[] = [];
  for (const model of MODELS) {
    for (const gpu of gpus) {
      for (const method of METHODS) {
        for (const seqLen of [512, 4096, 65536]) {
          for (const wanted of [{}, { batch: 4, gradientCheckpointing: false, optimizer: 'adamw_torch' as const }]) {
            let e: MemoryEstimate;
            try {
              e = estimateMemory(model, gpu, defaultSettings(model, gpu, method, { seqLen, ...wanted }));
            } catch {
              continue; // a family the counter does not know: no estimate, no advice
            }
            for (const advice of e.advice) sentences.push({ advice, kind: 'advice' });
            for (const advice of e.loading.warnings) sentences.push({ advice, kind: 'warning' });
          }
        }
      }
    }
  }
  const render = (lang: Language, s: (typeof sentences)[number]) => (s.kind === 'advice' ? adviceText(lang, s.advice as Advice) : warningText(lang, s.advice as LoadingWarning));

  it('every code the estimator can give occurs across catalog × methods × GPUs × lengths', () => {
    expect([...new Set(sentences.map(s => s.advice.code))].sort()).toEqual(ALL_CODES);
  });

  // The English table renders the estimator's own sentence, so the key and the text cannot drift.
  it('in English, every sentence from its key is the estimator’s text, word for word', () => {
    // Except "a smaller model": the CLI points at `model-advisor recommend`, the panel at its own list.
    const differ = sentences.filter(s => s.advice.code !== 'smaller_model' && render('en', s) !== s.advice.text).map(s => [render('en', s), s.advice.text]);
    expect(differ.slice(0, 3)).toEqual([]);
  });

  it.each(['zh-Hans', 'zh-Hant'] as const)('in %s, every code is translated: no slot left, no English sentence', lang => {
    const wrong = sentences
      .map(s => ({ code: s.advice.code, text: render(lang, s), english: s.advice.text, names: [s.advice.values.gpu === undefined ? undefined : gpuName(lang, String(s.advice.values.gpu)), s.advice.values.model] }))
      // Names of GPUs and models survive translation as they are ("CPU only" and the Apple profile in the panel's words).
      .filter(r => /\{\w+\}/.test(r.text) || r.text === r.english || r.names.some(name => name !== undefined && !r.text.includes(String(name))));
    expect(wrong.slice(0, 3)).toEqual([]);
  });

  it('writes a huge need as every number is written: grouped, one decimal ("2,374,511.9 GiB", not "2374511.9 GiB")', () => {
    const qwen = findModel('Qwen/Qwen2.5-7B-Instruct')!;
    const t4 = findGpu('t4');
    const e = estimateMemory(qwen, t4, defaultSettings(qwen, t4, 'qlora', { seqLen: 1_000_000_000 }));
    const needs = e.advice.find(a => a.code === 'needs_more')!;
    expect(adviceText('en', needs)).toMatch(/ needs about \d{1,3}(,\d{3})+\.\d GiB, more than the 15\.0 GiB available\.$/);
  });

  it('a 7B fully fine-tuned on a T4, in Simplified and Traditional Chinese', () => {
    const qwen = findModel('Qwen/Qwen2.5-7B-Instruct')!;
    const t4 = findGpu('t4');
    const e = estimateMemory(qwen, t4, defaultSettings(qwen, t4, 'full', { seqLen: 1024 }));
    const needs = e.advice.find(a => a.code === 'needs_more')!;
    expect(adviceText('zh-Hans', needs)).toMatch(/^全参数微调：Qwen\/Qwen2\.5-7B-Instruct，1,024 个 token × 批大小 \d+，显存约需 \d+\.\d GiB，超过了可用的 15\.0 GiB。$/);
    expect(adviceText('zh-Hant', needs)).toMatch(/^全參數微調：Qwen\/Qwen2\.5-7B-Instruct，1,024 個 token × 批次大小 \d+，GPU 記憶體約需 \d+\.\d GiB，超過了可用的 15\.0 GiB。$/);
    const optimizer = e.advice.find(a => a.code === 'optimizer_8bit')!;
    expect(adviceText('zh-Hans', optimizer)).toMatch(/^使用 8 位优化器（paged_adamw_8bit）：显存约 \d+\.\d GiB。$/);
    expect(adviceText('en', optimizer)).toBe(optimizer.text);
  });
});
