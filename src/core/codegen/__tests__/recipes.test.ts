/**
 * Issue 8's failures that show in the generated text (each of these failed on main before the
 * fix); the ones that show only when the cells run are in tests/test_cells_run.py.
 */
import { renderCells, toPercentScript } from '..';
import { findModel } from '../../catalog';
import { findGpu } from '../../gpu';
import type { CellRequest } from '..';

const model = (id: string) => findModel(id)!;
const script = (r: CellRequest) => toPercentScript(renderCells(r));
const cell = (r: CellRequest, step: string, type: 'code' | 'markdown' = 'code') => renderCells(r).find(c => c.step === step && c.cell_type === type)!.source;
const qwen3 = model('Qwen/Qwen3-0.6B');
const t4 = findGpu('t4');

describe('issue 8: labels, defaults and the steps that were broken', () => {
  it('#5 full fine-tuning with an 8-bit optimizer installs bitsandbytes', () => {
    const r: CellRequest = { model: qwen3, gpu: t4, method: 'full', settings: { optimizer: 'adamw_8bit' } };
    expect(cell(r, 'train')).toContain('optim="adamw_8bit"');
    expect(cell(r, 'install')).toContain('bitsandbytes');
  });

  it('#6 the login cell sets the mirror and cache folder before importing huggingface_hub; ModelScope needs no login', () => {
    const llama = model('meta-llama/Llama-3.2-1B-Instruct');
    const login = cell({ model: llama, gpu: t4, method: 'qlora', source: 'mirror', cacheDir: '/data/hf' }, 'login');
    const importAt = login.indexOf('from huggingface_hub import');
    expect(login.indexOf('os.environ["HF_ENDPOINT"]')).toBeGreaterThanOrEqual(0);
    expect(login.indexOf('os.environ["HF_ENDPOINT"]')).toBeLessThan(importAt);
    expect(login.indexOf('os.environ["HF_HOME"]')).toBeLessThan(importAt);
    const ms = { model: model('Qwen/Qwen2.5-7B-Instruct'), gpu: t4, method: 'qlora' as const, source: 'modelscope' as const };
    expect(cell({ ...ms, steps: ['login', 'source'] }, 'login')).not.toContain('huggingface_hub');
  });

  it('#7 the merge trusts remote code where loading did, and loads the base on the GPU after freeing the trained model', () => {
    const glm = script({ model: model('internlm/internlm2_5-7b-chat'), gpu: t4, method: 'qlora' });
    const merge = glm.slice(glm.indexOf('if merge_now:'));
    expect(merge).toContain('trust_remote_code=True');
    expect(merge).toContain('device_map="auto"');
    expect(merge.indexOf('model = trainer = None')).toBeLessThan(merge.indexOf('from_pretrained('));
  });

  it('#8 the peak is reset before training, read as reserved memory on every GPU, beside one estimate', () => {
    const train = cell({ model: qwen3, gpu: t4, method: 'qlora' }, 'train');
    expect(train.indexOf('reset_peak_memory_stats')).toBeLessThan(train.indexOf('trainer.train()'));
    expect(train).toContain('torch.cuda.max_memory_reserved(d) for d in devices');
  });

  it('#9 a first run is short and keeps checkpoints', () => {
    const train = cell({ model: qwen3, gpu: t4, method: 'qlora' }, 'train');
    expect(train).toContain('max_steps=60');
    expect(train).toContain('save_strategy="steps"');
    expect(train).not.toContain('max_steps=-1');
  });

  it('#10 "try it" switches Qwen3\'s reasoning off and leaves room for an answer', () => {
    const tryIt = cell({ model: qwen3, gpu: t4, method: 'qlora' }, 'try');
    expect(tryIt).toContain('enable_thinking=False');
    expect(tryIt).toContain('max_new_tokens=128');
    // Only Qwen3's template has the switch; a remote-code tokenizer may refuse an unknown keyword.
    expect(cell({ model: model('internlm/internlm2_5-7b-chat'), gpu: t4, method: 'qlora' }, 'try')).not.toContain('enable_thinking');
  });

  it('#12 the labels say what is true: 4-bit weights, the method by name, one estimate that says what it counts', () => {
    const r: CellRequest = { model: qwen3, gpu: t4, method: 'qlora' };
    expect(cell(r, 'load', 'markdown')).toContain('4-bit NF4');
    expect(cell(r, 'title', 'markdown')).toContain('QLoRA');
    expect(cell(r, 'title', 'markdown')).not.toContain('(qlora)');
    const md = cell(r, 'train', 'markdown');
    const estimate = /\*\*([\d,]+) MiB\*\*/.exec(md)![1].replace(/,/g, '');
    expect(cell(r, 'train')).toContain(`estimate_mib = ${estimate}`);
    expect(md).toContain('max_memory_reserved');
  });

  it('#13 Chinese data gets a Chinese sample set, marked "replace with your data", and a Chinese prompt', () => {
    const r: CellRequest = { model: qwen3, gpu: t4, method: 'qlora', dataLanguage: 'zh' };
    expect(cell(r, 'train')).toContain('Replace with your data');
    expect(cell(r, 'train')).toContain('微调');
    expect(cell(r, 'train', 'markdown')).toContain('Replace with your data');
    expect(cell(r, 'try')).toContain('用两句话');
    // The interface in Chinese implies Chinese data unless told otherwise.
    expect(cell({ model: qwen3, gpu: t4, method: 'qlora', language: 'zh-Hant' }, 'try')).toContain('用兩句話');
    expect(cell({ model: qwen3, gpu: t4, method: 'qlora', language: 'zh-Hans', dataLanguage: 'en' }, 'try')).toContain('Explain');
  });

  it('#4 the default dataset follows the tokenizer: conversations only with a chat template', () => {
    const train = cell({ model: model('meta-llama/Llama-2-7b-hf'), gpu: t4, method: 'qlora' }, 'train');
    expect(train).toContain('if tokenizer.chat_template else');
  });

  it('#2 Gemma-2 and BLOOM are loaded with eager attention, and the markdown says why; remote code gets no choice', () => {
    for (const id of ['google/gemma-2-2b-it', 'bigscience/bloom-560m']) {
      const r: CellRequest = { model: model(id), gpu: t4, method: 'qlora' };
      expect(cell(r, 'load')).toContain('attn_implementation="eager"');
      expect(cell(r, 'load', 'markdown')).toContain('sdpa');
    }
    const glm: CellRequest = { model: model('internlm/internlm2_5-7b-chat'), gpu: t4, method: 'qlora' };
    expect(cell(glm, 'load')).not.toContain('attn_implementation');
    expect(cell(glm, 'load', 'markdown')).toContain('cannot inspect');
  });

  it('#11 every subset of steps names what it uses: load defines model_path without the source step', () => {
    const load = cell({ model: qwen3, gpu: t4, method: 'qlora', steps: ['load', 'try'] }, 'load');
    expect(load).toContain('model_path = "Qwen/Qwen3-0.6B"');
    const cells = renderCells({ model: qwen3, gpu: t4, method: 'qlora', steps: ['train'] });
    expect(cells.filter(c => c.cell_type === 'code').map(c => c.step)).toEqual(['quantize', 'load', 'lora', 'train']);
    expect(cells.find(c => c.step === 'lora' && c.cell_type === 'markdown')!.source).toContain('Added because the step "Train" needs it');
    // The mirror is more than one line: the source step comes along.
    const mirror = renderCells({ model: qwen3, gpu: t4, method: 'lora', source: 'mirror', steps: ['load'] });
    expect(mirror.map(c => c.step)).toContain('source');
  });
});

describe('--simulate-on-cpu: the GPU recipe, on the CPU', () => {
  it('keeps the T4 recipe (fp16, 4-bit compute, optimizer, attention) but places nothing on a GPU, and says so first', () => {
    const real = renderCells({ model: qwen3, gpu: t4, method: 'qlora' });
    const sim = renderCells({ model: qwen3, gpu: t4, method: 'qlora', simulateOnCpu: true });
    expect(sim[0].source).toContain('simulation on the CPU');
    const s = toPercentScript(sim);
    for (const line of ['bnb_4bit_compute_dtype=torch.float16', 'dtype=torch.float16', 'fp16=True', 'optim="paged_adamw_8bit"', 'attn_implementation="sdpa"']) {
      expect(toPercentScript(real)).toContain(line);
      expect(s).toContain(line);
    }
    expect(s).not.toContain('device_map="auto"');
    expect(s).toContain('use_cpu=True');
  });
  it('keeps the A100 recipe in bfloat16', () => {
    const s = script({ model: qwen3, gpu: findGpu('a100-40gb'), method: 'lora', simulateOnCpu: true });
    expect(s).toContain('bf16=True');
    expect(s).toContain('dtype=torch.bfloat16');
  });
});

describe('a family the renderer cannot serve in full gets the conservative choice and a line saying why', () => {
  it('an unknown native family: no attn_implementation, and the markdown says transformers chooses', () => {
    const base = model('Qwen/Qwen2.5-0.5B');
    const odd = { ...base, id: 'someone/odd-model', config: { ...base.config, model_type: 'oddformer' } };
    const r: CellRequest = { model: odd, gpu: t4, method: 'lora' };
    expect(cell(r, 'load')).not.toContain('attn_implementation');
    expect(cell(r, 'load', 'markdown')).toContain('`oddformer`');
  });
});

describe('every subset of steps the sidebar allows renders, with what it needs', () => {
  it('all 512 subsets for QLoRA on a T4 and LoRA on the CPU', () => {
    const all = ['install', 'login', 'source', 'quantize', 'load', 'lora', 'train', 'try', 'save'];
    const llama = model('meta-llama/Llama-3.2-1B-Instruct');
    for (const [method, gpu] of [['qlora', t4], ['lora', findGpu('cpu')]] as const) {
      for (let mask = 1; mask < 1 << all.length; mask++) {
        const steps = all.filter((_, i) => mask & (1 << i)).filter(s => s !== 'quantize' || method === 'qlora');
        if (steps.length === 0) continue;
        const code = renderCells({ model: llama, gpu, method, steps }).filter(c => c.cell_type === 'code');
        const got = code.map(c => c.step);
        for (const s of steps) expect(got).toContain(s);
        const uses = (s: string) => got.includes(s);
        if (['lora', 'train', 'try', 'save'].some(uses)) expect(uses('load')).toBe(true);
        if (uses('load')) {
          if (method === 'qlora') expect(uses('quantize')).toBe(true);
          expect(uses('source') || code.find(c => c.step === 'load')!.source.includes('model_path = ')).toBe(true);
        }
        if (uses('train')) expect(uses('lora')).toBe(true);
      }
    }
  });
});
