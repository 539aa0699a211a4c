/**
 * Every catalog model × method × GPU profile: the estimate never crashes, grows with the
 * sequence length and the batch, and orders the methods QLoRA < LoRA < full.
 */
import { MODELS } from '../../catalog';
import { GPU_PROFILES } from '../../gpu';
import { METHODS } from '../../types';
import { defaultSettings, estimateMemory } from '../index';

describe.each(MODELS.map(m => [m.id, m] as const))('%s', (_id, model) => {
  it('on every profile and method: a whole breakdown, monotonic in seq-len and batch', () => {
    for (const gpu of GPU_PROFILES) {
      for (const method of METHODS) {
        const at = (seqLen: number, batch: number) => estimateMemory(model, gpu, defaultSettings(model, gpu, method, { seqLen, batch }));
        const base = at(256, 1);
        expect(Number.isFinite(base.total_mib)).toBe(true);
        expect(base.total_mib).toBeGreaterThan(0);
        expect(Object.values(base.breakdown).reduce((a, b) => a + b, 0)).toBe(base.total_mib);
        expect(['fits', 'tight', 'no']).toContain(base.verdict);
        expect(at(512, 1).total_mib).toBeGreaterThanOrEqual(base.total_mib);
        expect(at(256, 2).total_mib).toBeGreaterThanOrEqual(base.total_mib);
        if (base.max_seq_len !== null) expect(at(base.max_seq_len, 1).total_mib).toBeLessThanOrEqual(base.available_mib);
      }
      const total = (method: 'full' | 'lora' | 'qlora') => estimateMemory(model, gpu, defaultSettings(model, gpu, method, { seqLen: 512 })).total_mib;
      expect(total('qlora')).toBeLessThan(total('lora'));
      expect(total('lora')).toBeLessThan(total('full'));
    }
  });
});
