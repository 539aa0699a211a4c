import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../../cli';

/** Runs the CLI as a user would, capturing stdout, stderr and the exit code. */
async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, s => (out += s), s => (err += s));
  return { code, out, err };
}

const FIXTURES = path.resolve(__dirname, '../../../../shared/fixtures');

describe('model-advisor params', () => {
  it('counts a config.json exactly', async () => {
    const r = await cli('params', path.join(FIXTURES, 'configs/Llama-2-7b-hf.json'), '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ params: 6738415616, family: 'llama', architecture: 'LlamaForCausalLM' });
  });

  it('prints a table without --json', async () => {
    const r = await cli('params', path.join(FIXTURES, 'configs/Qwen2.5-0.5B.json'));
    expect(r.out).toMatch(/parameters\s+494,032,768/);
    expect(r.out).toMatch(/tied to the embeddings/);
  });
});

describe('model-advisor fit', () => {
  it('Qwen2.5-7B-Instruct with QLoRA on a T4 fits, as JSON with _mib terms', async () => {
    const r = await cli('fit', 'Qwen/Qwen2.5-7B-Instruct', '--gpu', 't4', '--method', 'qlora', '--seq-len', '1024', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ params: 7615616512, method: 'qlora', gpu: 't4', verdict: 'fits' });
    expect(Object.keys(j.breakdown)).toEqual(expect.arrayContaining(['weights_mib', 'adapters_mib', 'logits_mib', 'cuda_context_mib']));
    expect(Object.values(j.breakdown as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(j.total_mib);
  });

  it('says how long the first run takes: --json "speed" for training, all GPUs together, and a Time line in words', async () => {
    const j = JSON.parse((await cli('fit', 'Qwen/Qwen2.5-7B-Instruct', '--gpu', 't4', '--method', 'qlora', '--json')).out);
    const s = j.speed;
    expect(s.tokens_per_step).toBe(j.settings.batch * j.settings.gradAccum * j.settings.seqLen);
    expect(s.tokens_per_second * s.seconds_per_step).toBeCloseTo(s.tokens_per_step, 3);
    expect(s.first_run).toEqual({ steps: 60, seconds: 60 * s.seconds_per_step });
    expect(s.achieved_tflops_per_gpu).toBeLessThan(s.peak_tflops);
    expect(s.interconnect).toBeNull();
    const two = JSON.parse((await cli('fit', 'Qwen/Qwen2.5-7B-Instruct', '--gpu', 'kaggle-2xt4', '--method', 'qlora', '--json')).out);
    expect(two.speed.interconnect).toEqual({ link: 'PCIe 3.0 x16', gb_per_second: 10 });
    expect(two.speed.tokens_per_step).toBe(2 * two.settings.batch * two.settings.gradAccum * two.settings.seqLen);
    const text = (await cli('fit', 'Qwen/Qwen2.5-7B-Instruct', '--gpu', 't4', '--method', 'qlora')).out;
    expect(text).toMatch(/^Time: about [\d,]+ tokens\/s; a step of [\d,]+ tokens about \d+ s; the cells' first 60 steps about \d+ min\.$/m);
  });

  it('inference gets prefill and decode speeds; a GPU known by its size alone gets no time', async () => {
    const j = JSON.parse((await cli('fit', 'Qwen/Qwen2.5-7B-Instruct', '--gpu', 'a100-80gb', '--method', 'inference', '--batch', '1', '--seq-len', '2048', '--prompt-len', '1024', '--json')).out);
    expect(Object.keys(j.speed)).toEqual(expect.arrayContaining(['prefill_tokens_per_second', 'decode_tokens_per_second']));
    // One sequence reads the 15 GB of bf16 weights per token: fewer than 2,039 GB/s ÷ 15.2 GB per second.
    expect(j.speed.decode_tokens_per_second).toBeLessThan(134);
    expect(j.speed.prefill_tokens_per_second).toBeGreaterThan(1000);
    const sized = await cli('fit', 'Qwen/Qwen2.5-7B-Instruct', '--gpu', '24GB', '--method', 'lora', '--json');
    expect(JSON.parse(sized.out).speed).toBeNull();
  });

  it('takes a size for --gpu and a config.json for the model, and prints the verdict in words', async () => {
    const r = await cli('fit', path.join(FIXTURES, 'configs/chatglm3-6b.json'), '--gpu', '12GiB', '--method', 'lora');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/total .* → does not fit/);
    expect(r.out).toMatch(/Use QLoRA \(4-bit base\)/);
  });

  it('full fine-tuning of a 7B on a T4: --json lists the advice as sentences, with their codes beside them', async () => {
    const j = JSON.parse((await cli('fit', 'Qwen/Qwen2.5-7B-Instruct', '--gpu', 't4', '--method', 'full', '--json')).out);
    expect(j.verdict).toBe('no');
    expect(j.advice[0]).toMatch(/^full fine-tuning of Qwen\/Qwen2\.5-7B-Instruct at 1,024 tokens × batch \d+ needs about [\d,]+\.\d GiB, more than the 15\.0 GiB available\.$/);
    expect(j.advice[j.advice.length - 1]).toBe('Or choose a smaller model: the recommendations list the ones that fit this GPU.');
    expect(j.advice_codes).toHaveLength(j.advice.length);
    expect(j.advice_codes).toEqual(expect.arrayContaining(['needs_more', 'lora_instead', 'qlora_instead', 'smaller_model']));
    expect(j.loading.warnings).toEqual([]);
    expect(j.loading.warning_codes).toEqual([]);
  });

  it('turning off gradient checkpointing costs memory', async () => {
    // At the same batch: without --batch each plans its own (checkpointing lets a larger one fit).
    const on = JSON.parse((await cli('fit', 'meta-llama/Llama-2-7b-hf', '--gpu', 'a100-80gb', '--method', 'lora', '--batch', '1', '--json')).out);
    const off = JSON.parse((await cli('fit', 'meta-llama/Llama-2-7b-hf', '--gpu', 'a100-80gb', '--method', 'lora', '--batch', '1', '--no-gradient-checkpointing', '--json')).out);
    expect(off.breakdown.activations_mib).toBeGreaterThan(10 * on.breakdown.activations_mib);
  });

  it('reads a probe report instead of a profile', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'advisor-'));
    const report = {
      schema_version: 1, platform: 'colab', backend: 'cuda',
      gpus: [{ index: 0, name: 'Tesla T4', memory_total_mib: 15360, memory_used_mib: 10484, memory_free_mib: 4611, compute_capability: '7.5', driver_version: '550.54.15' }],
      ram_total_mib: 12979, ram_available_mib: 11000, disk_free_mib: 80000, disk_path: '/root', python: '3.11.13',
      packages: { torch: '2.8.0', transformers: '5.24.0', peft: '0.21.2', bitsandbytes: '0.50.2', trl: '1.16.0', accelerate: '1.15.0', modelscope: null },
      errors: [], elapsed_ms: 120
    };
    fs.writeFileSync(path.join(dir, 'probe.json'), JSON.stringify(report));
    const r = await cli('fit', 'Qwen/Qwen2.5-7B-Instruct', '--report', path.join(dir, 'probe.json'), '--method', 'qlora', '--json');
    expect(r.err).toBe('');
    expect(JSON.parse(r.out)).toMatchObject({ gpu: 't4', available_mib: 4611, verdict: 'no' });
  });
});

describe('model-advisor fit on several GPUs', () => {
  it('Qwen2.5-14B QLoRA on 2×T4 names a strategy that fits, with a breakdown for each GPU', async () => {
    const r = await cli('fit', 'Qwen/Qwen2.5-14B-Instruct', '--gpu', '2xt4', '--method', 'qlora', '--json');
    expect(r.err).toBe('');
    const fit = JSON.parse(r.out);
    expect(fit).toMatchObject({ gpu: 'kaggle-2xt4', verdict: 'fits', strategy: 'ddp', gpus: 2, processes: 2 });
    expect(fit.per_gpu_mib).toHaveLength(2);
    for (const g of fit.per_gpu_mib) {
      expect(Object.values(g.breakdown as Record<string, number>).reduce((a, b) => a + b, 0)).toBe(g.total_mib);
      expect(g.total_mib).toBeLessThanOrEqual(fit.available_mib);
    }
    expect(fit.total_mib).toBe(Math.max(...fit.per_gpu_mib.map((g: { total_mib: number }) => g.total_mib)));
    const text = (await cli('fit', 'Qwen/Qwen2.5-14B-Instruct', '--gpu', '2xt4', '--method', 'qlora')).out;
    expect(text).toMatch(/Strategy: DDP/);
    expect(text).toMatch(/total\s+[\d,]+ MiB\s+of 15,360 → fits/);
  });

  it('--strategy picks the engine; FSDP shards what DDP copies', async () => {
    const run = async (strategy: string) => JSON.parse((await cli('fit', 'Qwen/Qwen2.5-14B-Instruct', '--gpu', '2xt4', '--method', 'qlora', '--strategy', strategy, '--json')).out);
    const ddp = await run('ddp');
    const fsdp = await run('fsdp');
    expect(fsdp).toMatchObject({ strategy: 'fsdp', engine: 'accelerate' });
    expect(fsdp.per_gpu_mib[0].breakdown.weights_mib).toBe(Math.ceil(ddp.per_gpu_mib[0].breakdown.weights_mib / 2));
    expect(fsdp.placement.weights).toBe('sharded');
    const offload = await run('zero3-offload');
    expect(offload).toMatchObject({ engine: 'deepspeed' });
    expect(offload.placement.optimizer).toBe('cpu_ram');
    expect(offload.cpu_ram_mib.breakdown.optimizer_mib).toBeGreaterThan(0);
  });

  it('a probe report with two T4s drives the same path, and its RAM judges offload', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'advisor-'));
    const t4 = (index: number) => ({ index, name: 'Tesla T4', memory_total_mib: 15360, memory_used_mib: 3, memory_free_mib: 14927, compute_capability: '7.5', driver_version: '560.35.03' });
    const report = {
      schema_version: 1, platform: 'kaggle', backend: 'cuda', gpus: [t4(0), t4(1)],
      ram_total_mib: 32102, ram_available_mib: 29696, disk_free_mib: 80000, disk_path: '/kaggle/working', python: '3.11.13',
      packages: { torch: '2.8.0', transformers: '5.24.0', peft: '0.21.2', bitsandbytes: '0.50.2', trl: '1.16.0', accelerate: '1.15.0', modelscope: null },
      errors: [], elapsed_ms: 120
    };
    fs.writeFileSync(path.join(dir, 'probe.json'), JSON.stringify(report));
    const fit = JSON.parse((await cli('fit', 'Qwen/Qwen2.5-14B-Instruct', '--report', path.join(dir, 'probe.json'), '--method', 'full', '--strategy', 'zero3-offload', '--json')).out);
    expect(fit).toMatchObject({ gpu: 'kaggle-2xt4', gpus: 2, available_mib: 14927, ram_verdict: 'no', verdict: 'no' });
    expect(fit.cpu_ram_mib).toMatchObject({ available_mib: 29696 });
    expect(fit.cpu_ram_mib.total_mib).toBeGreaterThan(29696);
    const text = (await cli('fit', 'Qwen/Qwen2.5-14B-Instruct', '--report', path.join(dir, 'probe.json'), '--method', 'full')).out;
    expect(text).toMatch(/! (FSDP|DeepSpeed ZeRO-\d) with CPU offload needs [\d.]+ GiB of RAM; this runtime has 29\.0 GiB\./);
  });

  it('recommend on two GPUs says which strategy and how much each GPU holds', async () => {
    const recs = JSON.parse((await cli('recommend', '--gpu', '2xa100-80gb', '--task', 'chat', '--language', 'en', '--json')).out);
    expect(recs.length).toBeGreaterThan(0);
    for (const r of recs) {
      expect(r.per_gpu_mib).toHaveLength(2);
      expect(r.reasons[0].code).toMatch(/^spread_(fits|tight)$/);
    }
  });
});

describe('model-advisor recommend, gpus, models', () => {
  it('recommends for Chinese chat on a T4, with reasons', async () => {
    const r = await cli('recommend', '--gpu', 't4', '--task', 'chat', '--language', 'zh', '--json');
    const recs = JSON.parse(r.out);
    expect(recs.length).toBeGreaterThan(0);
    expect(recs[0]).toMatchObject({ method: 'qlora' });
    expect(recs[0].reasons[0].text).toMatch(/fits Tesla T4 with QLoRA/);
  });

  it('lists GPU profiles and the catalog as tables', async () => {
    expect((await cli('gpus')).out).toMatch(/t4\s+Tesla T4\s+15,360\s+7\.5\s+no\s+yes\s+no/);
    expect((await cli('models')).out).toMatch(/Qwen\/Qwen2\.5-7B-Instruct\s+7\.62B/);
    expect(JSON.parse((await cli('gpus', '--json')).out).length).toBeGreaterThanOrEqual(16);
  });
});

describe('bad input: one line on stderr, exit 2', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'advisor-bad-'));
  fs.writeFileSync(path.join(dir, 'broken.json'), '{"model_type": "llama", ');
  fs.writeFileSync(path.join(dir, 'rwkv.json'), JSON.stringify({ model_type: 'rwkv', architectures: ['RwkvForCausalLM'] }));
  it.each([
    [['fit', 'no/such-model', '--gpu', 't4', '--method', 'qlora'], /unknown model "no\/such-model"/],
    [['fit', 'Qwen/Qwen2.5-7B-Instruct', '--gpu', 'voodoo5', '--method', 'qlora'], /unknown GPU "voodoo5"/],
    [['fit', 'Qwen/Qwen2.5-7B-Instruct', '--gpu', 't4', '--method', 'magic'], /--method must be one of/],
    [['fit', 'Qwen/Qwen2.5-7B-Instruct', '--gpu', 't4', '--method', 'qlora', '--batch', '-2'], /--batch must be a whole number/],
    [['fit', 'Qwen/Qwen2.5-7B-Instruct', '--method', 'qlora'], /--gpu .* is required/],
    [['params', path.join(dir, 'broken.json')], /is not valid JSON/],
    [['params', path.join(dir, 'rwkv.json')], /unknown model family "rwkv"/],
    // The refusal points to the tracer, which builds any family the installed transformers knows.
    [['fit', path.join(dir, 'rwkv.json'), '--gpu', 't4', '--method', 'qlora'], /unknown model family "rwkv".*python -m model_advisor measure MODEL --gpu/],
    [['params', path.join(dir, 'missing.json')], /cannot read/],
    [['recommend', '--gpu', 't4', '--task', 'dance', '--language', 'zh'], /--task must be one of/],
    [['fit', 'Qwen/Qwen2.5-7B-Instruct', '--gpu', 't4', '--method', 'qlora', '--strategy', 'fsdp'], /fsdp strategy spreads training over several GPUs/],
    [['fit', 'Qwen/Qwen2.5-7B-Instruct', '--gpu', '2xt4', '--method', 'inference', '--strategy', 'zero3'], /zero3 strategy does not apply to inference/],
    [['fit', 'Qwen/Qwen2.5-7B-Instruct', '--gpu', '2xt4', '--method', 'qlora', '--strategy', 'pipeline'], /--strategy must be one of auto, ddp, fsdp/],
    [['fit', 'Qwen/Qwen2.5-7B-Instruct', '--gpu', '0xt4', '--method', 'qlora'], /number of GPUs must be between 1 and 64/],
    [['recommend', '--gpu', 't4', '--task', 'chat', '--language', 'zh', '--strategy', 'zero3'], /several GPUs/]
  ])('%j', async (argv, message) => {
    const r = await cli(...(argv as string[]));
    expect(r.code).toBe(2);
    expect(r.out).toBe('');
    expect(r.err).toMatch(message as RegExp);
    expect(r.err.trim().split('\n')).toHaveLength(1);
  });
});

describe('model-advisor fit with your own recipe', () => {
  const fit = (...extra: string[]) => cli('fit', 'meta-llama/Llama-2-7b-hf', '--gpu', 'a100-80gb', '--json', ...extra);

  it('takes every recipe flag by the names scripts use, and reports the recipe it priced', async () => {
    const r = await fit('--method', 'lora', '--optimizer', 'adamw-8bit', '--lora-r', '8', '--lora-alpha', '16', '--lora-targets', 'q_proj,v_proj', '--kbit-prep', '--attention', 'eager', '--loss', 'chunked', '--seq-len', '2048');
    expect(r.err).toBe('');
    const j = JSON.parse(r.out);
    expect(j.settings).toMatchObject({ optimizer: 'adamw_8bit', loraR: 8, loraAlpha: 16, seqLen: 2048 });
    expect(j.recipe).toMatchObject({ loraTargets: ['q_proj', 'v_proj'], kbitPrep: true, attention: 'eager', loss: 'chunked', precision: 'amp', weights: null });
    const plain = JSON.parse((await fit('--method', 'lora', '--seq-len', '2048', '--loss', 'standard')).out);
    expect(j.breakdown.adapters_mib).toBeLessThan(plain.breakdown.adapters_mib);
    expect(j.breakdown.logits_mib).toBeLessThan(plain.breakdown.logits_mib);
  });

  it('pure bf16 full fine-tuning, Adafactor, an fp8 KV cache and an old transformers each change their term', async () => {
    // At fixed settings: the plan would otherwise pick another batch or the 8-bit optimizer for each.
    const amp = JSON.parse((await fit('--method', 'full', '--batch', '1', '--optimizer', 'adamw')).out).total_mib;
    const bf16 = JSON.parse((await fit('--method', 'full', '--batch', '1', '--optimizer', 'adamw', '--precision', 'pure-bf16')).out).total_mib;
    expect(bf16).toBeLessThan(amp * 0.6);
    const ada = JSON.parse((await fit('--method', 'full', '--optimizer', 'adafactor')).out).breakdown.optimizer_mib;
    expect(ada).toBeLessThan(300);
    const kv = (flag: string[]) => fit('--method', 'inference', '--seq-len', '4096', ...flag).then(x => JSON.parse(x.out).breakdown);
    expect((await kv(['--kv-cache-dtype', 'fp8'])).kv_cache_mib).toBe((await kv([])).kv_cache_mib / 2);
    expect((await kv(['--transformers', '4.40.0'])).logits_mib).toBeGreaterThan(700);
  });

  it('refuses a recipe that cannot be, in one line, exit 2', async () => {
    const r = await fit('--method', 'full', '--weights', 'gptq-int4');
    expect(r.code).toBe(2);
    expect(r.err).toMatch(/^model-advisor: a gptq-int4 base cannot be fully fine-tuned/);
    const bad = await fit('--method', 'lora', '--lora-targets', 'query,value');
    expect(bad.code).toBe(2);
    expect(bad.err).toMatch(/no Linear layer named query, value in this model; its Linear layers are: q_proj/);
    const opt = await fit('--method', 'lora', '--optimizer', 'lion');
    expect(opt.err).toMatch(/--optimizer must be one of adamw, adamw-8bit, paged-adamw-8bit, adafactor, sgd/);
  });

  it('a GPU given by its size says its capabilities are unknown instead of claiming no bf16', async () => {
    const r = await cli('fit', 'meta-llama/Llama-2-7b-hf', '--gpu', '80GiB', '--method', 'qlora');
    expect(r.out).toMatch(/Capabilities unknown: a GPU given by its size alone may or may not have bf16/);
    expect(r.out).not.toMatch(/no native bf16/);
  });

  it('`fit --help` prints its own options instead of "--help needs a value"', async () => {
    const r = await cli('fit', '--help');
    expect(r.code).toBe(0);
    for (const flag of ['--optimizer <adamw|adamw-8bit|paged-adamw-8bit|adafactor|sgd>', '--lora-targets', '--kbit-prep', '--attention <eager|sdpa|flash>', '--loss <fused|standard|chunked>', '--precision <amp|pure-bf16>', '--weights <gptq-int4|awq-int4|fp8>', '--kv-cache-dtype <fp16|bf16|fp8>', '--transformers <version>', '--hub']) {
      expect(r.out).toContain(flag);
    }
    const p = await cli('params', '--help');
    expect(p.out).toMatch(/^Usage: model-advisor params <config.json>/);
  });
});
