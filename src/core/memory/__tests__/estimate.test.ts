import { findModel } from '../../catalog';
import { findGpu, gpuFromReport } from '../../gpu';
import { ModelEntry } from '../../types';
import { defaultSettings, estimateMemory, KnownPlan, Plan, planTraining } from '../index';

function known(plan: Plan): KnownPlan {
  if (!plan.known) throw new Error(plan.reason);
  return plan;
}

const model = (id: string): ModelEntry => findModel(id) as ModelEntry;

describe('estimateMemory', () => {
  it('given a T4 and Qwen2.5-7B-Instruct with QLoRA at 1,024 tokens, the verdict is fits', () => {
    const qwen = model('Qwen/Qwen2.5-7B-Instruct');
    const t4 = findGpu('t4');
    const e = estimateMemory(qwen, t4, defaultSettings(qwen, t4, 'qlora', { seqLen: 1024 }));
    expect(e.verdict).toBe('fits');
    expect(e.max_seq_len).toBeGreaterThan(1024);
    // TRL's fused head never builds the 152k-wide logits: the recomputed layer's backward is the
    // larger transient. Priced as a plain Trainer's full fp32 logits, they would dwarf it.
    expect(e.breakdown.logits).toBeLessThan(e.breakdown.activations);
    const standard = estimateMemory(qwen, t4, defaultSettings(qwen, t4, 'qlora', { seqLen: 1024, recipe: { loss: 'standard' } }));
    expect(standard.breakdown.logits).toBeGreaterThan(standard.breakdown.activations);
    expect(e.advice.map(a => a.text).join(' ')).toMatch(/no native bf16.*fp16/);
    expect(e.advice.map(a => a.code)).toEqual(['no_bf16']);
  });

  it('the terms add up to the total', () => {
    const qwen = model('Qwen/Qwen2.5-7B-Instruct');
    for (const method of ['inference', 'full', 'lora', 'qlora'] as const) {
      const e = estimateMemory(qwen, findGpu('l4'), defaultSettings(qwen, findGpu('l4'), method));
      expect(Object.values(e.breakdown).reduce((a, b) => a + b, 0)).toBe(e.total_mib);
    }
  });

  it('judges against free memory when the probe knows it: a busy T4 no longer fits, and says what to change', () => {
    const qwen = model('Qwen/Qwen2.5-7B-Instruct');
    const busy = gpuFromReport({ gpus: [{ name: 'Tesla T4', memory_total_mib: 15360, memory_free_mib: 4611, compute_capability: '7.5' }] });
    const e = estimateMemory(qwen, busy, defaultSettings(qwen, busy, 'qlora'));
    expect(e.verdict).toBe('no');
    expect(e.available_mib).toBe(4611);
    expect(e.advice.some(a => /smaller model/.test(a.text))).toBe(true);
  });

  it('full fine-tuning of a 7B on a T4 does not fit and the advice names LoRA and QLoRA with their sizes', () => {
    const llama = model('meta-llama/Llama-2-7b-hf');
    const t4 = findGpu('t4');
    const e = estimateMemory(llama, t4, defaultSettings(llama, t4, 'full'));
    expect(e.verdict).toBe('no');
    expect(e.max_seq_len).toBeNull();
    expect(e.advice.map(a => a.text).join('\n')).toMatch(/LoRA adapters instead.*GiB[\s\S]*QLoRA \(4-bit base\): about \d+\.\d GiB/);
  });

  it('QLoRA on Apple silicon is refused: bitsandbytes has no 4-bit there', () => {
    const small = model('Qwen/Qwen2.5-0.5B');
    const mac = findGpu('apple-silicon');
    const e = estimateMemory(small, mac, defaultSettings(small, mac, 'qlora'));
    expect(e.verdict).toBe('no');
    expect(e.advice[0].text).toMatch(/4-bit does not run.*LoRA instead/);
    expect(e.advice[0].code).toBe('no_4bit');
  });

  it("warns when 10 GB pickled shards meet Colab's 12.7 GB of RAM", () => {
    const llama = { ...model('meta-llama/Llama-2-7b-hf'), checkpoint: { dtype: 'fp16' as const, total_bytes: 13476839424, largest_shard_bytes: 9976576152, format: 'bin' as const } };
    const e = estimateMemory(llama, findGpu('t4'), defaultSettings(llama, findGpu('t4'), 'qlora'));
    expect(e.loading.largest_shard_mib).toBe(9515);
    expect(e.loading.download_mib).toBe(12853);
    expect(e.loading.warnings[0].text).toMatch(/RAM/);
    expect(e.loading.warnings[0]).toMatchObject({ code: 'ram', values: { need_mib: e.loading.peak_ram_mib } });
    // The same shards as safetensors are memory-mapped: one copy, no warning.
    const mapped = estimateMemory({ ...llama, checkpoint: { ...llama.checkpoint, format: 'safetensors' } }, findGpu('t4'), defaultSettings(llama, findGpu('t4'), 'qlora'));
    expect(mapped.loading.warnings).toEqual([]);
  });
});

describe('planTraining', () => {
  it('picks the largest batch that fits and keeps the effective batch with accumulation', () => {
    const llama = model('meta-llama/Llama-3.2-1B-Instruct');
    const { settings, estimate } = known(planTraining(llama, findGpu('t4'), 'qlora'));
    expect(estimate.verdict).toBe('fits');
    expect(settings.batch * settings.gradAccum).toBe(16);
    expect(settings).toMatchObject({ optimizer: 'paged_adamw_8bit', gradientCheckpointing: true, dtype: 'nf4', loraR: 16, loraAlpha: 32 });
  });

  it('shortens the sequence when nothing else fits, and keeps what the user fixed', () => {
    const qwen = model('Qwen/Qwen2.5-7B-Instruct');
    // 6.5 GiB: an 8 GiB card now holds 1,024 tokens (TRL's fused head builds no logits).
    const small = findGpu('6.5GiB');
    const plan = planTraining(qwen, small, 'qlora', { seqLen: 4096 });
    expect(plan.settings.seqLen).toBe(4096);
    const free = known(planTraining(qwen, small, 'qlora'));
    expect(free.settings.seqLen).toBeLessThan(1024);
    expect(free.estimate.verdict).not.toBe('no');
  });
});

describe('mixture of experts', () => {
  it("Mixtral's experts stay 16-bit under QLoRA: transformers 5 stores them as 3-D tensors bitsandbytes does not replace", () => {
    // Checked on CPU with a tiny Mixtral: after 4-bit loading, q/k/v/o are Params4bit while
    // mlp.experts.gate_up_proj / down_proj remain plain tensors.
    const mixtral = model('mistralai/Mixtral-8x7B-Instruct-v0.1');
    const h100 = findGpu('h100-80gb');
    const e = estimateMemory(mixtral, h100, defaultSettings(mixtral, h100, 'qlora'));
    expect(e.breakdown.weights).toBeGreaterThan(80 * 1024);
    expect(e.verdict).toBe('no');
  });
});
