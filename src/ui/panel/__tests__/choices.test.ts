import * as fs from 'fs';
import * as path from 'path';
import { findModel, GpuReport, MODELS, modelFromConfig, renderCells, ModelEntry } from '../../../core';
import { advise, cellRequest, defaultChoices, loadingRequest, toggleStep, Choices, MAX_SEQ_LEN } from '../choices';

/** A fresh Colab T4 as the probe reports it (nvidia-smi fixture "colab-t4": 15,095 MiB free). */
const T4: GpuReport = {
  schema_version: 1,
  platform: 'colab',
  backend: 'cuda',
  gpus: [{ index: 0, name: 'Tesla T4', memory_total_mib: 15360, memory_used_mib: 0, memory_free_mib: 15095, compute_capability: '7.5', driver_version: '550.54.15' }],
  ram_total_mib: 12979,
  ram_available_mib: 11800,
  disk_free_mib: 80000,
  disk_path: '/root/.cache/huggingface',
  python: '3.11.9',
  packages: { torch: '2.5.1', transformers: '4.46.0', peft: null, bitsandbytes: null, trl: null, accelerate: '1.1.0', modelscope: null },
  errors: [],
  elapsed_ms: 120
};

const chatZhQlora: Choices = { ...defaultChoices('zh-Hans'), task: 'chat', dataLanguage: 'zh', method: 'qlora' };

describe('advise: what the sidebar shows for a T4', () => {
  it('lists models that fit, chooses the first until the user picks', () => {
    const advice = advise(chatZhQlora, T4);
    expect(advice.recommendations.length).toBeGreaterThan(0);
    expect(advice.recommendations.every(r => r.estimate.verdict !== 'no' && r.method === 'qlora')).toBe(true);
    expect(advice.chosen?.model.id).toBe(advice.recommendations[0].model.id);
    expect(advice.chosen?.recommended).toBe(true);
  });

  it('Qwen2.5-7B-Instruct with QLoRA at 1,024 tokens fits, and its cells compute in fp16', () => {
    const choices = { ...chatZhQlora, modelId: 'Qwen/Qwen2.5-7B-Instruct' };
    const advice = advise(choices, T4);
    const chosen = advice.chosen!;
    expect(chosen.estimate.ok && chosen.estimate.plan.verdict).toBe('fits');
    expect(chosen.estimate.ok && chosen.estimate.plan.settings.seqLen).toBe(1024);
    expect(chosen.steps).toEqual(['install', 'source', 'quantize', 'load', 'lora', 'train', 'try', 'save']);
    const source = renderCells(cellRequest(choices, chosen, advice.gpu, T4, 'zh-Hans')).map(c => c.source).join('\n');
    expect(source).toContain('"Qwen/Qwen2.5-7B-Instruct"');
    expect(source).toContain('bnb_4bit_compute_dtype=torch.float16');
    expect(source).toContain('fp16=True');
    expect(source).toContain('bf16=False');
  });

  it('an English panel with Chinese data gets the Chinese sample rows and prompt in its cells', () => {
    const english = { ...chatZhQlora, modelId: 'Qwen/Qwen2.5-7B-Instruct' };
    const advice = advise(english, T4);
    const zh = renderCells(cellRequest(english, advice.chosen!, advice.gpu, T4, 'en')).map(c => c.source).join('\n');
    expect(zh).toContain('什么是微调？');
    const en = renderCells(cellRequest({ ...english, dataLanguage: 'en' }, advice.chosen!, advice.gpu, T4, 'en')).map(c => c.source).join('\n');
    expect(en).not.toContain('什么是微调？');
  });

  it('the loading cells are the source, the 4-bit config and the load, for the chosen model', () => {
    const advice = advise(chatZhQlora, T4);
    const cells = renderCells(loadingRequest(chatZhQlora, advice.chosen!, advice.gpu, T4, 'en'));
    expect([...new Set(cells.map(c => c.step))].filter(s => s !== 'title')).toEqual(['source', 'quantize', 'load']);
    expect(cells.map(c => c.source).join('\n')).toContain(`"${advice.chosen!.model.id}"`);
    const inference = { ...chatZhQlora, method: 'inference' as const };
    const plain = advise(inference, T4);
    const steps = renderCells(loadingRequest(inference, plain.chosen!, plain.gpu, T4, 'en')).map(c => c.step);
    expect([...new Set(steps)].filter(s => s !== 'title')).toEqual(['source', 'load']);
  });

  it('the settings decide where weights come from, where they are cached and where the adapter goes', () => {
    const choices = { ...chatZhQlora, modelId: 'Qwen/Qwen2.5-7B-Instruct' };
    const advice = advise(choices, T4);
    const prefs = { source: 'modelscope' as const, cacheDir: ' /content/drive/hf ', outputDir: 'runs/' };
    const request = cellRequest(choices, advice.chosen!, advice.gpu, T4, 'en', prefs);
    expect(request).toMatchObject({ source: 'modelscope', cacheDir: '/content/drive/hf', saveDir: 'runs/Qwen2.5-7B-Instruct-qlora' });
    const source = renderCells(request).map(c => c.source).join('\n');
    // The ModelScope id, not the Hugging Face one, kept in the chosen cache folder.
    expect(source).toContain('os.environ["HF_HOME"] = "/content/drive/hf"');
    expect(source).toContain('snapshot_download("qwen/Qwen2.5-7B-Instruct", cache_dir="/content/drive/hf")');
    expect(source).toContain('output_dir="runs/Qwen2.5-7B-Instruct-qlora"');
    // Empty settings fall back to the libraries' defaults and to outputs/.
    const plain = cellRequest(choices, advice.chosen!, advice.gpu, T4, 'en', { source: 'hf', cacheDir: '', outputDir: '' });
    expect(plain.cacheDir).toBeUndefined();
    expect(plain.saveDir).toBe('outputs/Qwen2.5-7B-Instruct-qlora');
  });

  it('ranks a user’s own catalog row beside the catalog', () => {
    const mine: ModelEntry = { ...findModel('Qwen/Qwen2.5-7B-Instruct')!, id: 'me/qwen-7b-medical', released: '2026-10' };
    const advice = advise(chatZhQlora, T4, [mine, ...MODELS]);
    expect(advice.recommendations.map(r => r.model.id)).toContain('me/qwen-7b-medical');
  });

  it('keeps a pick that left the list, with its own verdict', () => {
    // Full fine-tuning of a 7B model on a T4: not recommended, still the user's model, and "no".
    const advice = advise({ ...chatZhQlora, method: 'full', modelId: 'Qwen/Qwen2.5-7B-Instruct' }, T4);
    expect(advice.recommendations.some(r => r.model.id === 'Qwen/Qwen2.5-7B-Instruct')).toBe(false);
    expect(advice.chosen?.model.id).toBe('Qwen/Qwen2.5-7B-Instruct');
    expect(advice.chosen?.recommended).toBe(false);
    expect(advice.chosen?.estimate.ok && advice.chosen.estimate.plan.verdict).toBe('no');
  });

  it('a length outside 16 … the model’s context is an explicit state, not an estimate', () => {
    for (const seqLen of [NaN, 3, 1024.5, 10_000_000]) {
      const chosen = advise({ ...chatZhQlora, seqLen }, T4).chosen!;
      // Up to the model's context, and never past the panel's 131,072 (Qwen3.5 reads 262,144).
      expect(chosen.estimate).toEqual({ ok: false, reason: 'seq-len', min: 16, max: Math.min(chosen.model.context_length, MAX_SEQ_LEN) });
    }
  });

  it('a model whose family the counter does not know gets a message, not a crash', () => {
    const unknown: ModelEntry = { ...findModel('Qwen/Qwen2.5-7B-Instruct')!, id: 'me/my-own-model', config: { model_type: 'my_own_arch', architectures: ['MyOwnForCausalLM'] } };
    const chosen = advise({ ...chatZhQlora, modelId: unknown.id }, T4, [...MODELS, unknown]).chosen!;
    expect(chosen.model.id).toBe(unknown.id);
    expect(chosen.recommended).toBe(false);
    expect(!chosen.estimate.ok && chosen.estimate.reason === 'error' && chosen.estimate.message).toMatch(/my_own_arch/);
  });

  it('a config.json from the file browser: chosen, estimated, and loaded from its folder', () => {
    // What "Estimate with Model Advisor" on course/mymodel/config.json builds for course/train.ipynb.
    const text = fs.readFileSync(path.resolve(__dirname, '../../../../../shared/fixtures/configs/Qwen2.5-0.5B.json'), 'utf8');
    const mine = modelFromConfig(text, './mymodel');
    const choices = { ...chatZhQlora, modelId: mine.id };
    const chosen = advise(choices, T4, [mine, ...MODELS]).chosen!;
    expect(chosen.model.id).toBe('./mymodel');
    expect(chosen.estimate.ok && chosen.estimate.plan.verdict).toBe('fits');
    const request = { ...loadingRequest(choices, chosen, advise(choices, T4).gpu, T4, 'en'), modelPath: 'mymodel' };
    expect(request.saveDir).toBe('outputs/mymodel-qlora');
    const source = renderCells(request).map(c => c.source).join('\n');
    expect(source).toContain('model_path = "mymodel"');
    expect(source).not.toContain('snapshot_download');
  });

  it('a config.json of a family the counter does not know: chosen, "no estimate", and its cells still render', () => {
    const config = { model_type: 'my_own_arch', architectures: ['MyOwnForCausalLM'], hidden_size: 512, num_hidden_layers: 4, vocab_size: 32000 };
    const mine = modelFromConfig(JSON.stringify(config), './');
    const choices = { ...chatZhQlora, task: 'generation' as const, modelId: mine.id };
    const advice = advise(choices, T4, [mine, ...MODELS]);
    const chosen = advice.chosen!;
    expect(chosen.model.id).toBe('./');
    expect(!chosen.estimate.ok && chosen.estimate.reason).toBe('error');
    const request = { ...cellRequest(choices, chosen, advice.gpu, T4, 'en'), modelPath: '.' };
    // The folder "./" has no name of its own; the adapter still goes to a named folder.
    expect(request.saveDir).toBe(`outputs/model-${chosen.method}`);
    const source = renderCells(request).map(c => c.source).join('\n');
    expect(source).toContain('model_path = "."');
  });

  it('ticking and unticking keeps the cells’ order', () => {
    expect(toggleStep(['load', 'install'], 'source', true)).toEqual(['install', 'source', 'load']);
    expect(toggleStep(['install', 'source', 'load'], 'install', false)).toEqual(['source', 'load']);
  });
});

describe('advise on Kaggle’s two T4s (the probe sees both cards)', () => {
  const t4 = (index: number) => ({ ...T4.gpus[0], index, memory_free_mib: 14927 });
  const KAGGLE: GpuReport = { ...T4, platform: 'kaggle', gpus: [t4(0), t4(1)], ram_total_mib: 32110, ram_available_mib: 30000 };

  it('recommends FSDP-QLoRA for Qwen2.5-14B, and inserts the two-GPU cells: config, script, accelerate launch', () => {
    // At 3,072 tokens (at 1,024 a whole 4-bit copy now fits each T4: TRL's fused head builds no logits).
    const choices = { ...chatZhQlora, modelId: 'Qwen/Qwen2.5-14B-Instruct', seqLen: 3072 };
    const advice = advise(choices, KAGGLE);
    expect(advice.gpu).toMatchObject({ id: 'kaggle-2xt4', count: 2 });
    const row = advice.recommendations.find(r => r.model.id === 'Qwen/Qwen2.5-14B-Instruct')!;
    // 14,927 MiB free per T4: a whole 4-bit copy (DDP, 14.1 GiB) is only "tight", FSDP-QLoRA fits.
    expect(row.spread).toMatchObject({ strategy: 'fsdp', gpus: 2, verdict: 'fits' });
    expect(row.reasons[0]).toMatchObject({ code: 'spread_fits', values: { gpus: 2, strategy: 'fsdp_qlora' } });
    const chosen = advice.chosen!;
    // The launched processes load the model: the notebook itself loads nothing onto the GPUs.
    expect(chosen.steps).toEqual(['install', 'source', 'launch']);
    const source = renderCells(cellRequest(choices, chosen, advice.gpu, KAGGLE, 'en')).map(c => c.source).join('\n');
    expect(source).toContain('"distributed_type": "FSDP"');
    expect(source).toContain('bnb_4bit_quant_storage=torch.float16');
    expect(source).toContain('"num_processes": 2');
    expect(source).toContain('bnb_4bit_compute_dtype=torch.float16');
    expect(source).toContain('"accelerate.commands.launch"');
  });
});

describe('"Your recipe" in the panel prices the user\'s own script, not the cells', () => {
  // At a fixed batch: the plan's batch follows the memory each recipe leaves.
  const base = { ...chatZhQlora, modelId: 'Qwen/Qwen2.5-7B-Instruct', seqLen: 2048, batch: 1 };
  const total = (choices: Choices) => {
    const e = advise(choices, T4).chosen!.estimate;
    if (!e.ok) throw new Error('no estimate');
    return e.plan.estimate;
  };

  it('eager attention and prepare_model_for_kbit_training cost more; a chunked loss less than full logits; the cells stay the same', () => {
    const plain = total(base);
    // The cells' own loss is TRL's fused head: no logits beyond the activations. A plain
    // Trainer's full fp32 logits cost far more, a chunked cross-entropy far less.
    expect(plain.breakdown.logits).toBe(0);
    const standard = total({ ...base, recipe: { loss: 'standard' } });
    expect(total({ ...base, recipe: { attention: 'eager' } }).breakdown.activations).toBeGreaterThan(plain.breakdown.activations);
    expect(total({ ...base, recipe: { kbitPrep: true } }).breakdown.weights).toBeGreaterThan(plain.breakdown.weights);
    expect(total({ ...base, recipe: { loss: 'chunked' } }).breakdown.logits).toBeLessThan(standard.breakdown.logits / 10);
    expect(total({ ...base, optimizer: 'adamw_torch', loraR: 64 }).breakdown.adapters).toBe(4 * plain.breakdown.adapters);
    const withRecipe = { ...base, recipe: { attention: 'eager' as const } };
    const advice = advise(withRecipe, T4);
    expect(renderCells(cellRequest(withRecipe, advice.chosen!, advice.gpu, T4, 'en'))).toEqual(renderCells(cellRequest(base, advise(base, T4).chosen!, advice.gpu, T4, 'en')));
  });

  it('LoRA targets the model lacks are an answer in the estimate, not a crash', () => {
    const e = advise({ ...base, recipe: { loraTargets: ['query', 'value'] } }, T4).chosen!.estimate;
    expect(e).toMatchObject({ ok: false, reason: 'error' });
    expect(!e.ok && e.reason === 'error' && e.message).toMatch(/no Linear layer named query, value/);
  });
});

describe('choices kept across a reload', () => {
  const { defaultChoices, restoreChoices } = jest.requireActual('../choices') as typeof import('../choices');
  it('come back as they were, field by field; anything malformed stays at the default', () => {
    const base = defaultChoices('zh-Hant');
    const saved = { ...base, target: { kind: 'profile', id: 't4' }, task: 'code', dataLanguage: 'en', method: 'qlora', seqLen: 2048, batch: 2, modelId: 'Qwen/Qwen2.5-7B-Instruct', steps: ['load', 'lora'] };
    expect(restoreChoices(JSON.parse(JSON.stringify(saved)), base)).toEqual(saved);
    const broken = restoreChoices({ target: { kind: 'profile', id: 'gpu-from-mars' }, task: 'dance', seqLen: -1, batch: 1e9, steps: ['fly'], method: 7 }, base);
    expect(broken).toEqual(base);
    expect(restoreChoices(null, base)).toBe(base);
  });
});
