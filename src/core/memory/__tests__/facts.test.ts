/**
 * Each fact decided once (issue 17, item 3): where two places used to compute the same thing,
 * they now read one function — and these tests hold the surfaces that show it to the same value.
 */
import { MODELS } from '../../catalog';
import { renderCells } from '../../codegen';
import { findGpu } from '../../gpu';
import { defaultSettings, estimateMemory, estimateStrategy, modelShape, pricedAttention } from '../index';
import { checkpointedInputBytes, MIB } from '../terms';
import { adviceText, warningText } from '../advice';

describe('the checkpointed layer inputs', () => {
  it.each([false, true])('a layer split over two T4s keeps the same inputs one GPU would (kbit prep %s)', kbitPrep => {
    const model = MODELS.find(m => m.id === 'Qwen/Qwen2.5-7B-Instruct')!;
    const gpu = findGpu('2xt4');
    const s = defaultSettings(model, gpu, 'qlora', { batch: 2, seqLen: 1024, recipe: kbitPrep ? { kbitPrep: true } : {} });
    const single = estimateMemory(model, gpu, s).breakdown.activations;
    const stored = checkpointedInputBytes(modelShape(model.config), s, gpu) / MIB;
    // fp32 inputs after prepare_model_for_kbit_training: 4 bytes per hidden value, else the compute dtype's 2.
    expect(stored).toBeCloseTo((2 * 1024 * 28 * 3584 * (kbitPrep ? 4 : 2)) / MIB, 6);
    const split = estimateStrategy(model, gpu, s, 'device-map').per_gpu.map(g => g.breakdown.activations);
    // Each GPU holds its layers' inputs and one layer recomputed: the inputs once over both, the rest on each.
    const expected = stored + split.length * (single - stored);
    const sum = split.reduce((a, b) => a + b, 0);
    expect(Math.abs(sum - expected)).toBeLessThanOrEqual(split.length + 1);
  });
});

describe('the attention the cells load with is the attention the estimate prices', () => {
  it.each(MODELS.filter(m => m.tasks.includes('chat')).map(m => [m.id, m] as const))('%s', (_, model) => {
    // A checkpoint published quantized (gpt-oss's MXFP4 experts) has no QLoRA cells: LoRA's.
    const method = model.config.quantization_config ? 'lora' : 'qlora';
    // A model whose 4-bit weights pass a T4's memory gets no cells for it (bitsandbytes cannot
    // spill to the CPU; issue 18 item 14): the first GPU that holds them (an H200 holds every
    // catalog model's, Mixtral's unquantized experts included, except GLM-4.5-Air's 185 GiB of
    // bf16 experts, which take two).
    const fits = (id: string) => { try { renderCells({ model, gpu: findGpu(id), method, steps: ['load'] }); return true; } catch { return false; } };
    const gpu = findGpu(['t4', 'a100-80gb', 'h200', '2xh200'].find(fits) ?? 'h200');
    const source = renderCells({ model, gpu, method, steps: ['load'] }).map(c => c.source).join('\n');
    const named = /attn_implementation="(\w+)"/.exec(source)?.[1] ?? 'sdpa';
    expect(named).toBe(pricedAttention(model));
    expect(estimateMemory(model, gpu, defaultSettings(model, gpu, method)).recipe.attention).toBe(pricedAttention(model));
  });
});

describe('QLoRA without bitsandbytes 4-bit', () => {
  it('is "no" in the estimate and on every GPU of a spread, whatever the memory', () => {
    const model = MODELS.find(m => m.id === 'Qwen/Qwen2.5-0.5B-Instruct')!;
    const gpu = findGpu('apple-silicon');
    const s = defaultSettings(model, gpu, 'qlora');
    expect(estimateMemory(model, gpu, s).verdict).toBe('no');
    expect(estimateMemory(model, gpu, s).max_seq_len).toBeNull();
    expect(estimateStrategy(model, gpu, s, 'single').verdict).toBe('no');
  });
});

describe('advice and warnings are said once', () => {
  it('the English text fit prints is the panel’s English sentence for the same code and values', () => {
    const small = { ...findGpu('t4'), ram_mib: 4000, disk_free_mib: 1000 };
    for (const model of MODELS.filter(m => m.tasks.includes('chat')).slice(0, 12)) {
      for (const method of ['full', 'lora', 'qlora', 'inference'] as const) {
        const e = estimateMemory(model, small, defaultSettings(model, small, method, { seqLen: 4096 }));
        for (const a of e.advice) expect(a.text).toBe(adviceText('en', a));
        for (const w of e.loading.warnings) expect(w.text).toBe(warningText('en', w));
      }
    }
  });
});
