import { MODELS } from '../../catalog';
import { findGpu } from '../../gpu';
import { ModelEntry } from '../../types';
import { recommendModels, describeRecommendation, speaks, CATALOG_DATE, CURRENT_MONTHS, isCurrent } from '../index';
import { planTraining } from '../../memory';
import { reasonText } from '../reasons';

describe('recommendModels', () => {
  it('on a T4 for Chinese chat: QLoRA, 3–8B, every pick fits, strongest Chinese first', () => {
    const recs = recommendModels({ task: 'chat', language: 'zh', gpu: findGpu('t4') });
    expect(recs.length).toBeGreaterThan(3);
    for (const r of recs) {
      expect(r.method).toBe('qlora');
      expect(r.estimate.verdict).not.toBe('no');
    }
    expect(recs[0].model.chinese).toBeGreaterThanOrEqual(4);
    expect(recs[0].params).toBeGreaterThan(3e9);
    expect(describeRecommendation(recs[0])).toMatch(/fits Tesla T4 with QLoRA \(4-bit\) at 1,024 tokens/);
  });

  it('under 8 GB: small models only (the seed flow), with reasons as data', () => {
    const recs = recommendModels({ task: 'chat', language: 'en', gpu: findGpu('6GiB') });
    expect(recs.length).toBeGreaterThan(0);
    expect(recs[0].params).toBeLessThan(4.1e9);
    expect(recs[0].reasons[0]).toMatchObject({ code: 'fits', values: { method: 'qlora' } });
  });

  it('over 16 GB: LoRA on a 7–13B model where it fits', () => {
    const recs = recommendModels({ task: 'chat', language: 'zh', gpu: findGpu('a100-40gb') });
    expect(recs[0].method).toBe('lora');
    expect(recs[0].params).toBeGreaterThan(7e9);
  });

  it('respects the method asked for, and leaves out what cannot fit', () => {
    const recs = recommendModels({ task: 'chat', language: 'en', gpu: findGpu('t4'), method: 'full' });
    for (const r of recs) expect(r.params).toBeLessThan(2e9);
  });

  it('passes over a user’s model of a family it cannot estimate, and still ranks the rest', () => {
    const mine: ModelEntry = {
      ...MODELS.find(m => m.id === 'Qwen/Qwen2.5-7B-Instruct')!,
      id: 'me/my-rwkv',
      config: { architectures: ['RwkvForCausalLM'], model_type: 'rwkv', hidden_size: 2048, num_hidden_layers: 24, vocab_size: 50277 }
    };
    const recs = recommendModels({ task: 'chat', language: 'zh', gpu: findGpu('t4'), models: [mine, ...MODELS] });
    expect(recs.map(r => r.model.id)).not.toContain('me/my-rwkv');
    expect(recs.length).toBeGreaterThan(3);
  });

  it('without a GPU: small models only, each saying why, however much RAM the machine has', () => {
    const recs = recommendModels({ task: 'chat', language: 'zh', gpu: { ...findGpu('cpu'), memory_mib: 64 * 1024 } });
    expect(recs.length).toBeGreaterThan(0);
    for (const r of recs) {
      expect(r.params).toBeLessThanOrEqual(1.8e9);
      expect(r.reasons.map(x => x.code)).toContain('cpu_slow');
    }
  });

  it('for Traditional Chinese data on a T4: the Taiwan-tuned models (Breeze, TAIDE) first, and they say why', () => {
    const recs = recommendModels({ task: 'chat', language: 'zh-Hant', gpu: findGpu('t4') });
    expect(recs.slice(0, 2).map(r => r.model.id).sort()).toEqual(['MediaTek-Research/Breeze-7B-Instruct-v1_0', 'taide/Llama3-TAIDE-LX-8B-Chat-Alpha1']);
    expect(recs[0].reasons.map(r => r.code)).toContain('script');
    // General Chinese models still follow; Simplified-only data never gets a Taiwan-tuned model.
    expect(recs.some(r => r.model.id.startsWith('Qwen/'))).toBe(true);
    const simplified = recommendModels({ task: 'chat', language: 'zh-Hans', gpu: findGpu('t4') });
    expect(simplified.some(r => r.model.languages.includes('zh-Hant'))).toBe(false);
    expect(simplified.length).toBeGreaterThan(3);
  });

  it('reads "zh" as either script and "zh-Hant" as Chinese', () => {
    const breeze = MODELS.find(m => m.id === 'MediaTek-Research/Breeze-7B-Instruct-v1_0')!;
    const qwen = MODELS.find(m => m.id === 'Qwen/Qwen2.5-7B-Instruct')!;
    expect([speaks(breeze, 'zh'), speaks(breeze, 'zh-Hant'), speaks(breeze, 'zh-Hans')]).toEqual([true, true, false]);
    expect([speaks(qwen, 'zh'), speaks(qwen, 'zh-Hant'), speaks(qwen, 'zh-Hans')]).toEqual([true, true, true]);
  });

  it('a chat assistant on a CPU: a model made for chat first; the reasoning model says what it is', () => {
    for (const language of ['en', 'zh-Hant']) {
      const recs = recommendModels({ task: 'chat', language, gpu: findGpu('cpu') });
      expect(recs[0].model.reasoning).toBeFalsy();
      const r1 = recs.find(r => r.model.reasoning);
      if (r1) expect(r1.reasons.map(r => r.code)).toContain('reasoning');
    }
  });

  it('without a GPU the cells are a smoke test: batch 1, no accumulation', () => {
    const qwen = MODELS.find(m => m.id === 'Qwen/Qwen2.5-0.5B-Instruct')!;
    const { settings } = planTraining(qwen, findGpu('cpu'), 'lora');
    expect([settings.batch, settings.gradAccum]).toEqual([1, 1]);
  });

  it('judges every model at the length the user trains at, as the estimate does', () => {
    const gpu = findGpu('t4');
    const recs = recommendModels({ task: 'chat', language: 'zh', gpu, seqLen: 8192 });
    expect(recs.length).toBeGreaterThan(0);
    for (const r of recs) {
      expect(r.settings.seqLen).toBe(8192);
      const alone = planTraining(r.model, gpu, r.method, { seqLen: 8192 });
      expect(r.plan.verdict).toBe(alone.verdict);
      expect(alone.known && r.plan.total_mib === alone.total_mib).toBe(true);
    }
    // A model that reads fewer tokens than asked is left out, not estimated at its own length.
    expect(recs.every(r => r.model.context_length === 0 || r.model.context_length >= 8192)).toBe(true);
  });
});

describe('a current model', () => {
  it('is one released in the 12 months up to the catalog date, the newest release in the catalog', () => {
    expect(CATALOG_DATE).toBe(MODELS.map(m => m.released).filter(r => r !== 'unknown').sort().pop());
    expect(CURRENT_MONTHS).toBe(12);
    expect([isCurrent('2026-04'), isCurrent('2025-05'), isCurrent('2025-04'), isCurrent('unknown')]).toEqual([true, true, false, false]);
  });

  it.each([['zh'], ['en']])('on a Colab T4 for %s chat, the top picks are current models that fit and say so; an older one in the top three says why', language => {
    const top = recommendModels({ task: 'chat', language, gpu: findGpu('t4'), limit: 3 });
    expect(isCurrent(top[0].model.released)).toBe(true);
    for (const r of top) {
      expect(r.estimate.verdict).not.toBe('no');
      if (isCurrent(r.model.released)) expect(describeRecommendation(r)).toContain(`a current model (released ${r.model.released})`);
      // Qwen3-8B (2025-04, 12 months before the catalog date) for Chinese: its 5/5 Chinese is the reason.
      else expect(r.reasons.find(x => x.code === 'chinese')?.values.stars).toBe(5);
    }
  });

  it('an older model no longer says it is current', () => {
    const recs = recommendModels({ task: 'chat', language: 'zh', gpu: findGpu('t4') });
    const qwen2 = recs.find(r => r.model.id === 'Qwen/Qwen2-7B-Instruct')!;
    expect(qwen2.reasons.map(x => x.code)).not.toContain('recent');
  });
});

describe('a reason is said once', () => {
  it('the English text the CLI prints is the panel’s English sentence for the same code and values', () => {
    for (const gpu of ['t4', '2xt4', 'cpu'].map(id => findGpu(id))) {
      for (const r of recommendModels({ task: 'chat', language: 'zh-Hant', gpu })) {
        for (const reason of r.reasons) expect(reason.text).toBe(reasonText('en', reason));
      }
    }
  });
});
