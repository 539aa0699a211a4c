/**
 * The user's own recipe as input: each option moves the term it should, by the amount its
 * library makes it cost, and what a recipe leaves out prices exactly our cells.
 */
import { findModel, modelFromConfig } from '../../catalog';
import { findGpu } from '../../gpu';
import { countParameters } from '../../params';
import { ModelEntry } from '../../types';
import { defaultSettings, estimateMemory, EstimateSettings, kbitPreparationExtraBytes, RecipeError, targetedLayers } from '../index';

const MiB = 2 ** 20;
const model = (id: string): ModelEntry => findModel(id) as ModelEntry;
const llama = model('meta-llama/Llama-2-7b-hf');
const a100 = findGpu('a100-80gb');
const price = (m: ModelEntry, s: Partial<EstimateSettings> & { method: EstimateSettings['method'] }) =>
  estimateMemory(m, a100, { ...defaultSettings(m, a100, s.method), ...s });

describe('the recipe as input', () => {
  it('without a recipe the estimate is what our cells do, and the default recipe changes nothing', () => {
    for (const method of ['inference', 'full', 'lora', 'qlora'] as const) {
      const plain = price(llama, { method });
      const stated = price(llama, { method, recipe: { loraTargets: 'all-linear', kbitPrep: false, attention: 'sdpa', loss: 'fused', precision: 'amp', weights: null, kvCacheDtype: null, transformers: null } });
      expect(stated.breakdown).toEqual(plain.breakdown);
    }
  });

  it('full fine-tuning of a 7B: AMP with fp32 masters and AdamW costs 16 bytes/param + autocast copies; pure bf16 8 bytes/param', () => {
    const params = countParameters(llama.config).total;
    const amp = price(llama, { method: 'full' }).breakdown;
    const bf16 = price(llama, { method: 'full', recipe: { precision: 'pure-bf16' } }).breakdown;
    // AdamW's foreach step adds a transient copy of the second moment beyond the freed activations and logits.
    const stepTemp = (bytes: number, b: Record<string, number>) => (params * bytes) / MiB - b.activations - b.logits;
    expect(amp.weights + amp.gradients + amp.optimizer).toBeCloseTo((16 * params) / MiB + stepTemp(4, amp), -2);
    // The copies live through the forward only: with TRL's fused head the optimizer step's
    // copy of the second moment (4 bytes/param) outgrows them (2 bytes/param); beside a plain
    // Trainer's full logits they are priced whole.
    expect(amp.autocast_weight_copies).toBe(0);
    const standard = price(llama, { method: 'full', recipe: { loss: 'standard' } }).breakdown;
    expect(standard.autocast_weight_copies).toBe(Math.ceil((2 * params) / MiB));
    expect(bf16.weights + bf16.gradients + bf16.optimizer).toBeCloseTo((8 * params) / MiB + stepTemp(2, bf16), -2);
    expect(bf16.autocast_weight_copies).toBe(0);
    // The 8-bit optimizer steps tensor by tensor: no such temporary.
    const eight = price(llama, { method: 'full', optimizer: 'adamw_8bit', recipe: { precision: 'pure-bf16' } }).breakdown;
    expect(eight.optimizer).toBe(Math.ceil((2 * params) / MiB));
  });

  it('optimizers: 8-bit AdamW keeps 2 bytes per trained parameter, Adafactor a row and a column per matrix, SGD nothing', () => {
    const adamw = price(llama, { method: 'full', optimizer: 'adamw_torch' }).breakdown.optimizer;
    const eight = price(llama, { method: 'full', optimizer: 'adamw_8bit' }).breakdown.optimizer;
    const paged = price(llama, { method: 'full', optimizer: 'paged_adamw_8bit' }).breakdown.optimizer;
    const adafactor = price(llama, { method: 'full', optimizer: 'adafactor' }).breakdown.optimizer;
    const sgd = price(llama, { method: 'full', optimizer: 'sgd' }).breakdown.optimizer;
    // AdamW: 8 bytes of fp32 states plus the foreach step's transient (4 bytes beyond the freed activations).
    expect(eight).toBeLessThan(adamw / 4);
    expect(paged).toBe(eight);
    expect(adafactor).toBeLessThan(eight / 50);
    expect(sgd).toBe(0);
  });

  it('LoRA on q and v only trains a fraction of all-linear, and unknown module names are refused with the names the model has', () => {
    const count = countParameters(llama.config);
    expect(targetedLayers(count, ['q_proj', 'v_proj']).map(l => l.name)).toEqual(['q_proj', 'v_proj']);
    expect(targetedLayers(count, 'attention').map(l => l.name)).toEqual(['q_proj', 'k_proj', 'v_proj', 'o_proj']);
    const all = price(llama, { method: 'lora' }).breakdown;
    const qv = price(llama, { method: 'lora', recipe: { loraTargets: ['q_proj', 'v_proj'] } }).breakdown;
    // all-linear on Llama-2-7B at r=16: 40.0 M adapter parameters; q and v: 8.4 M.
    expect(all.adapters).toBe(Math.ceil((39976960 * 4) / MiB));
    expect(qv.adapters).toBe(Math.ceil((8388608 * 4) / MiB));
    expect(qv.activations).toBeLessThan(all.activations);
    expect(() => price(llama, { method: 'lora', recipe: { loraTargets: ['query'] } })).toThrow(RecipeError);
    expect(() => price(llama, { method: 'lora', recipe: { loraTargets: ['query'] } })).toThrow(/no Linear layer named query.*q_proj, k_proj, v_proj, o_proj, gate_proj, up_proj, down_proj/);
  });

  it('prepare_model_for_kbit_training upcasts embeddings and head to fp32 under QLoRA (the extra bytes the paper setup paid)', () => {
    const plain = price(llama, { method: 'qlora' }).breakdown;
    const prepared = price(llama, { method: 'qlora', recipe: { kbitPrep: true } }).breakdown;
    const extra = kbitPreparationExtraBytes(countParameters(llama.config), a100);
    expect(prepared.weights - plain.weights).toBeCloseTo(extra / MiB, -1);
    // Its fp32 embeddings start an fp32 residual stream: the checkpoints double.
    expect(prepared.activations).toBeGreaterThan(plain.activations);
  });

  it('eager attention keeps batch × heads × seq² scores: at 4,096 tokens without checkpointing it dwarfs sdpa', () => {
    const s = { method: 'lora' as const, seqLen: 4096, gradientCheckpointing: false };
    const sdpa = price(llama, s).breakdown.activations;
    const eager = price(llama, { ...s, recipe: { attention: 'eager' } }).breakdown.activations;
    const flash = price(llama, { ...s, recipe: { attention: 'flash' } }).breakdown.activations;
    // 32 layers × 32 heads × 4096² scores × (4 + 2) bytes = 96 GiB, plus the 32 MiB mask.
    expect(eager - sdpa).toBe(32 * 32 * 4096 * 4096 * 6 / MiB + 32);
    expect(flash).toBe(sdpa);
  });

  it('a chunked, fused cross-entropy never builds the fp32 logits (a 152k vocabulary at 4,096 tokens)', () => {
    const qwen = model('Qwen/Qwen2.5-7B-Instruct');
    const standard = price(qwen, { method: 'qlora', seqLen: 4096, recipe: { loss: 'standard' } }).breakdown.logits;
    const chunked = price(qwen, { method: 'qlora', seqLen: 4096, recipe: { loss: 'chunked' } }).breakdown.logits;
    expect(standard).toBeGreaterThan(5000);
    expect(chunked).toBeLessThan(standard / 10);
  });

  it("a GPTQ base read from the config's quantization_config: 4-bit weights with per-group scales, adapters on top as LoRA", () => {
    const qwenConfig = model('Qwen/Qwen2.5-7B-Instruct').config;
    const gptq = modelFromConfig({ ...qwenConfig, quantization_config: { quant_method: 'gptq', bits: 4, group_size: 128 } }, 'Qwen/Qwen2.5-7B-Instruct-GPTQ-Int4');
    const e = estimateMemory(gptq, a100, defaultSettings(gptq, a100, 'qlora'));
    const nf4 = estimateMemory(model('Qwen/Qwen2.5-7B-Instruct'), a100, defaultSettings(gptq, a100, 'qlora'));
    // Same 4-bit payload; GPTQ's fp16 scales and zeros per 128 weights cost more than NF4's double-quantized constants.
    expect(Math.abs(e.breakdown.weights - nf4.breakdown.weights)).toBeLessThan(0.02 * nf4.breakdown.weights);
    expect(e.breakdown.quantization_constants).toBeGreaterThan(nf4.breakdown.quantization_constants);
    expect(() => estimateMemory(gptq, a100, defaultSettings(gptq, a100, 'full'))).toThrow(/cannot be fully fine-tuned/);
  });

  it('inference: an fp8 KV cache halves it; transformers before 4.45 keeps the whole prompt\'s logits', () => {
    const s = { method: 'inference' as const, seqLen: 8192 };
    const kv16 = price(llama, s).breakdown.kv_cache;
    expect(price(llama, { ...s, recipe: { kvCacheDtype: 'fp8' } }).breakdown.kv_cache).toBe(kv16 / 2);
    const current = price(llama, s).breakdown.logits;
    const old = price(llama, { ...s, recipe: { transformers: '4.44.2' } }).breakdown.logits;
    expect(current).toBe(1);
    // 8,192 × 32,000 × (2 + 4) bytes.
    expect(old).toBe(Math.ceil((8192 * 32000 * 6) / MiB));
  });

  it('a GPU known by its size alone does not claim "no bf16"', () => {
    const sized = findGpu('80GiB');
    const e = estimateMemory(llama, sized, defaultSettings(llama, sized, 'lora'));
    expect(e.advice.map(a => a.code)).not.toContain('no_bf16');
    const t4 = findGpu('t4');
    expect(estimateMemory(llama, t4, defaultSettings(llama, t4, 'qlora')).advice.map(a => a.code)).toContain('no_bf16');
  });
});

describe('the default recipe is what the cells do for each family', () => {
  it('Gemma-2 and BLOOM load with eager attention (transformers refuses sdpa for them), others with sdpa', () => {
    const gemma = model('google/gemma-2-2b-it');
    const e = estimateMemory(gemma, a100, defaultSettings(gemma, a100, 'qlora'));
    expect(e.recipe.attention).toBe('eager');
    expect(estimateMemory(gemma, a100, { ...defaultSettings(gemma, a100, 'qlora'), recipe: { attention: 'sdpa' } }).breakdown.activations).toBeLessThan(e.breakdown.activations);
    expect(price(llama, { method: 'qlora' }).recipe.attention).toBe('sdpa');
  });
});

describe('inference: the prompt and what is generated', () => {
  it('a 1-token prompt generating 8,191 tokens keeps the whole KV cache but only a token\'s prefill, under any transformers', () => {
    const whole = price(llama, { method: 'inference', seqLen: 8192, recipe: { transformers: '4.38.2' } }).breakdown;
    const short = price(llama, { method: 'inference', seqLen: 8192, promptLen: 1, recipe: { transformers: '4.38.2' } }).breakdown;
    expect(short.kv_cache).toBe(whole.kv_cache);
    expect(short.logits).toBe(1);
    // 8,192 × 32,000 × (2 + 4) bytes of whole-prompt logits before transformers 4.45.
    expect(whole.logits).toBe(Math.ceil((8192 * 32000 * 6) / MiB));
    expect(short.activations).toBeLessThan(whole.activations / 100);
  });
});
