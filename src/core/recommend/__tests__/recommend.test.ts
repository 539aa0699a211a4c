import { MODELS } from '../../catalog';
import { findGpu } from '../../gpu';
import { ModelEntry } from '../../types';
import { recommendModels, describeRecommendation } from '../index';

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
    expect(describeRecommendation(recs[0])).toMatch(/fits Tesla T4 with QLoRA at 1,024 tokens/);
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
});
