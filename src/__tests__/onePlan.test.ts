/**
 * One plan per request (issue 17): the card, the Estimate section, `recommend`, `fit` and the
 * cells all say what `planTraining` decided — the same verdict, the same batch, accumulation and
 * length, the same total. Each "disagreement" test reproduces a case where, before the one plan,
 * two of these surfaces told a user different things.
 */
import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';
import { main } from '../cli';
import { findGpu, findModel, GpuReport, GPU_PROFILES, MODELS, planTraining, recommendModels, renderCells } from '../core';
import type { Method } from '../core';
import { advise, cellRequest, Choices, defaultChoices } from '../ui/panel/choices';
import { modelRow } from '../ui/rows';

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(argv, s => (out += s), s => (err += s));
  return { code, out, err };
}

async function fitJson(...argv: string[]) {
  const r = await cli('fit', ...argv, '--json');
  if (r.code !== 0) throw new Error(r.err);
  return JSON.parse(r.out);
}

/** The training settings a generated notebook uses, read back from its code. */
function cellSettings(source: string): { batch: number; accum: number; seqLen: number } {
  const num = (re: RegExp) => {
    const m = re.exec(source);
    if (!m) throw new Error(`not in the cells: ${re}`);
    return Number(m[1]);
  };
  return { batch: num(/per_device_train_batch_size=(\d+)/), accum: num(/gradient_accumulation_steps=(\d+)/), seqLen: num(/max_length ?= ?(\d+)/) };
}

/** What the train cell states as its estimate (MiB without the CUDA context), or null. */
function statedEstimate(source: string): number | null {
  const m = /estimate_mib = (\d+|None)/.exec(source);
  if (!m) throw new Error('no estimate_mib in the cells');
  return m[1] === 'None' ? null : Number(m[1]);
}

/** A machine with no GPU: the panel's target then says which GPU is planned for. */
const LAPTOP: GpuReport = {
  schema_version: 1,
  platform: 'local',
  backend: 'cpu',
  gpus: [],
  ram_total_mib: 16000,
  ram_available_mib: 12000,
  disk_free_mib: 200000,
  disk_path: '/home',
  python: '3.11.9',
  packages: { torch: null, transformers: null, peft: null, bitsandbytes: null, trl: null, accelerate: null, modelscope: null },
  errors: [],
  elapsed_ms: 50
};

const choicesFor = (profile: string, method: Method, seqLen: number): Choices => ({ ...defaultChoices('en'), target: { kind: 'profile', id: profile }, task: 'chat', dataLanguage: 'zh', method, seqLen });

describe('the five disagreements, each told one way now', () => {
  it("two T4s with LoRA: a card's verdict is the Estimate section's for the same model", () => {
    const choices = choicesFor('kaggle-2xt4', 'lora', 1024);
    const list = advise(choices, LAPTOP).recommendations;
    expect(list.length).toBeGreaterThan(3);
    for (const card of list) {
      const chosen = advise({ ...choices, modelId: card.model.id }, LAPTOP, MODELS, list).chosen!;
      // What the Estimate section shows (EstimateView) against what the card shows (modelRow).
      const shown = chosen.estimate as unknown as { ok: boolean; plan?: { verdict: string; total_mib: number }; estimate?: { verdict: string; total_mib: number } };
      expect(shown.ok).toBe(true);
      const section = shown.plan ?? shown.estimate!;
      const row = modelRow('en', card);
      expect([card.model.id, section.verdict, section.total_mib]).toEqual([card.model.id, row.verdict, row.totalMib]);
    }
  });

  it('fit without --batch reports the batch and accumulation the cells write', async () => {
    const fit = await fitJson('Qwen/Qwen2.5-1.5B-Instruct', '--gpu', 't4', '--method', 'qlora');
    const r = await cli('cells', 'Qwen/Qwen2.5-1.5B-Instruct', '--gpu', 't4', '--method', 'qlora');
    expect(r.code).toBe(0);
    expect(cellSettings(r.out)).toEqual({ batch: fit.settings.batch, accum: fit.settings.gradAccum, seqLen: fit.settings.seqLen });
    expect(fit.settings.batch * fit.settings.gradAccum).toBe(16);
    expect(statedEstimate(r.out)).toBe(fit.total_mib - fit.breakdown.cuda_context_mib);
  });

  it('--gpu t4 with the report of an A100: fit and the cells both plan for the T4', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'advisor-'));
    const a100 = {
      ...LAPTOP,
      platform: 'colab',
      backend: 'cuda',
      gpus: [{ index: 0, name: 'NVIDIA A100-SXM4-40GB', memory_total_mib: 40960, memory_used_mib: 0, memory_free_mib: 40445, compute_capability: '8.0', driver_version: '550.54.15' }]
    };
    const file = path.join(dir, 'a100.json');
    fs.writeFileSync(file, JSON.stringify(a100));
    const fit = await fitJson('Qwen/Qwen2.5-7B-Instruct', '--gpu', 't4', '--report', file, '--method', 'qlora');
    expect(fit.gpu).toBe('t4');
    const r = await cli('cells', 'Qwen/Qwen2.5-7B-Instruct', '--gpu', 't4', '--report', file, '--method', 'qlora');
    expect(r.code).toBe(0);
    expect(r.out).toContain('Tesla T4');
    expect(r.out).toContain('fp16=True');
    expect(cellSettings(r.out)).toEqual({ batch: fit.settings.batch, accum: fit.settings.gradAccum, seqLen: fit.settings.seqLen });
    // The report of the A100 alone still plans for the A100, in both.
    expect((await fitJson('Qwen/Qwen2.5-7B-Instruct', '--report', file, '--method', 'qlora')).gpu).toBe('a100-40gb');
  });

  it('device_map over two T4s: the cells judge the busiest GPU, as fit does', async () => {
    const fit = await fitJson('Qwen/Qwen2.5-32B-Instruct', '--gpu', '2xt4', '--method', 'qlora');
    expect(fit.strategy).toBe('device-map');
    expect(fit.verdict).not.toBe('no');
    const r = await cli('cells', 'Qwen/Qwen2.5-32B-Instruct', '--gpu', '2xt4', '--method', 'qlora');
    expect(r.code).toBe(0);
    expect(r.out).not.toMatch(/does not fit this GPU/);
    expect(statedEstimate(r.out)).toBe(fit.total_mib - fit.breakdown.cuda_context_mib);
    expect(cellSettings(r.out)).toEqual({ batch: fit.settings.batch, accum: fit.settings.gradAccum, seqLen: fit.settings.seqLen });
  });

  it("params fills a config's family defaults as fit does: Mistral without num_key_value_heads", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'advisor-'));
    const file = path.join(dir, 'config.json');
    const config = { architectures: ['MistralForCausalLM'], model_type: 'mistral', hidden_size: 4096, intermediate_size: 14336, num_attention_heads: 32, num_hidden_layers: 32, vocab_size: 32000 };
    fs.writeFileSync(file, JSON.stringify(config));
    const params = JSON.parse((await cli('params', file, '--json')).out).params;
    const fit = await fitJson(file, '--gpu', 'a100-80gb', '--method', 'lora');
    // transformers' own count on the meta device (tests/test_family_defaults.py checks it there too).
    expect(params).toBe(7241732096);
    expect(fit.params).toBe(params);
  });
});

describe('a family that overflows fp16, on a GPU without bf16', () => {
  // Before, the cells priced mT5 and Gemma 3 on a T4 in fp32 (planOf's own rule) while the card,
  // recommend and fit priced them in fp16: two totals for one model. The plan decides it now.
  it.each([
    ['google/mt5-base', 'translation'],
    ['google/gemma-3-1b-it', 'chat']
  ] as const)('%s LoRA on a T4: the card, fit and the cells price the same fp32 run', async (id, task) => {
    const model = findModel(id)!;
    const gpu = findGpu('t4');
    const plan = planTraining(model, gpu, 'lora');
    if (!plan.known) throw new Error(`${id}: no estimate`);
    expect([plan.settings.dtype, plan.settings.compute]).toEqual(['fp32', 'fp32']);
    const fit = await fitJson(id, '--gpu', 't4', '--method', 'lora');
    expect([fit.total_mib, fit.settings.dtype]).toEqual([plan.total_mib, 'fp32']);
    const source = renderCells({ model, gpu, method: 'lora', task }).map(c => c.source).join('\n');
    expect(source).toMatch(/dtype=torch\.float32/);
    expect(statedEstimate(source)).toBe(plan.total_mib - (plan.breakdown.cuda_context ?? 0));
    // The fp32 run costs more than the fp16 one the card used to show.
    const fp16 = planTraining(model, gpu, 'lora', { dtype: 'fp16', compute: 'fp16' });
    expect(fp16.known && plan.total_mib > fp16.total_mib).toBe(true);
  });
});

describe('every surface says what the plan says', () => {
  const gpus = ['t4', 'kaggle-2xt4', 'rtx-4090', 'a100-80gb'];
  const methods: Method[] = ['qlora', 'lora', 'full'];
  const lengths = [512, 2048];
  const cases = gpus.flatMap(g => methods.flatMap(m => lengths.map(l => [g, m, l] as const)));

  it('covers the GPU profiles it names', () => {
    for (const g of gpus) expect(GPU_PROFILES.some(p => p.id === g)).toBe(true);
  });

  it.each(cases)('%s · %s · %i tokens: cards, Estimate, recommend, fit and the cells agree', async (profile, method, seqLen) => {
    const gpu = findGpu(profile);
    const choices = choicesFor(profile, method, seqLen);
    const list = advise(choices, LAPTOP).recommendations;
    // `recommend` is the same list the cards show.
    const recommended = recommendModels({ task: 'chat', language: 'zh', gpu, method, seqLen, limit: 6 });
    expect(list.map(r => [r.model.id, r.plan.verdict, r.plan.total_mib])).toEqual(recommended.map(r => [r.model.id, r.plan.verdict, r.plan.total_mib]));
    // Every chat model of the catalog that reads this length: the cards for those listed, the Estimate section and fit for all.
    const models = MODELS.filter(m => m.tasks.includes('chat') && (m.context_length === 0 || m.context_length >= seqLen)).slice(0, 8);
    let cellsChecked = 0;
    for (const model of [...list.map(r => r.model), ...models]) {
      const chosen = advise({ ...choices, modelId: model.id }, LAPTOP, MODELS, list).chosen!;
      if (!chosen.estimate.ok) throw new Error(`${model.id}: no estimate`);
      const plan = chosen.estimate.plan;
      const card = list.find(r => r.model.id === model.id);
      if (card) expect([model.id, card.plan.verdict, card.plan.total_mib]).toEqual([model.id, plan.verdict, plan.total_mib]);
      const same = planTraining(model, gpu, method, { seqLen });
      expect(same.verdict).toBe(plan.verdict);
      const fit = await fitJson(model.id, '--gpu', profile, '--method', method, '--seq-len', String(seqLen));
      expect([model.id, fit.verdict, fit.total_mib, fit.settings]).toEqual([model.id, plan.verdict, plan.total_mib, plan.settings]);
      if (!card || plan.verdict === 'no') continue;
      // The cells the panel inserts for it: the plan's settings and the plan's total.
      const source = renderCells(cellRequest(choices, chosen, gpu, undefined, 'en')).map(c => c.source).join('\n');
      expect([model.id, cellSettings(source)]).toEqual([model.id, { batch: plan.settings.batch, accum: plan.settings.gradAccum, seqLen: plan.settings.seqLen }]);
      if (/estimate_mib = /.test(source)) expect(statedEstimate(source)).toBe(plan.total_mib - (plan.breakdown.cuda_context ?? 0));
      cellsChecked++;
    }
    if (list.some(r => r.plan.verdict !== 'no')) expect(cellsChecked).toBeGreaterThan(0);
  });
});

describe('a model the counter does not know', () => {
  it('still gets the plan the cells use: conservative settings, no verdict', () => {
    const own = { ...findModel('Qwen/Qwen2.5-7B-Instruct')!, id: 'me/own', config: { model_type: 'my_own_arch', architectures: ['MyOwnForCausalLM'] } };
    const plan = planTraining(own, findGpu('t4'), 'qlora');
    expect(plan.known).toBe(false);
    expect(plan.verdict).toBe('unknown');
    expect(plan.settings).toMatchObject({ batch: 1, gradAccum: 8, seqLen: 512, gradientCheckpointing: true, dtype: 'nf4' });
    const two = planTraining(own, findGpu('2xt4'), 'lora');
    expect(two.strategy).toBe('ddp');
    const source = renderCells({ model: own, gpu: findGpu('t4'), method: 'qlora' }).map(c => c.source).join('\n');
    expect(statedEstimate(source)).toBeNull();
    expect(cellSettings(source)).toEqual({ batch: 1, accum: 8, seqLen: 512 });
  });
});
