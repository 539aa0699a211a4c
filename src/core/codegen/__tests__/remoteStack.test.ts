/**
 * ChatGLM3-6B, GLM-4-9B-chat and Baichuan2 — remote code the guide recommends first for Chinese —
 * get cells on the stack their own repositories state (codegen/remoteStack.ts; issue 18 item 10):
 * the pins pip resolved together for Python 3.12 (bench/remote/resolved.json), their own loading,
 * LoRA on their own module names, and transformers' Trainer where TRL's fused head cannot serve.
 * The cells run on a ChatGLM3-shaped stand-in in tests/test_cells_run_remote.py.
 */
import * as fs from 'fs';
import * as path from 'path';
import { renderCells, REMOTE_STACKS, remoteStackFor, planOf } from '..';
import type { Cell } from '..';
import { findModel } from '../../catalog';
import { findGpu } from '../../gpu';
import { recommendModels } from '../../recommend';
import { reasonText } from '../../recommend/reasons';

const t4 = findGpu('t4');
const RECORD = JSON.parse(fs.readFileSync(path.join(__dirname, '../../../../bench/remote/resolved.json'), 'utf8'));

const code = (cells: Cell[], step: string) => cells.filter(c => c.step === step && c.cell_type === 'code').map(c => c.source).join('\n');
const text = (cells: Cell[], step: string) => cells.filter(c => c.step === step && c.cell_type === 'markdown').map(c => c.source).join('\n');
/** The requirements the install cell passes to pip. */
function installed(cells: Cell[]): string[] {
  const m = /^packages = (\[.*\])$/m.exec(code(cells, 'install'));
  return m ? (JSON.parse(m[1]) as string[]) : [];
}

describe('the stacks their repositories state', () => {
  it('the pins are the ones pip resolved together for Python 3.12 (the committed dry run)', () => {
    expect(Object.keys(RECORD.stacks).sort()).toEqual(Object.keys(REMOTE_STACKS).sort());
    expect(RECORD.python).toBe('3.12');
    for (const [id, stack] of Object.entries(REMOTE_STACKS)) {
      const record = RECORD.stacks[id];
      expect(record.pins).toEqual(stack.pins);
      for (const [name, version] of Object.entries(stack.pins)) expect(record.resolved[name]).toBe(version);
      expect(record.command).toContain('--python-version 3.12 --only-binary=:all:');
      // Colab keeps its own torch: nothing pins it.
      expect(stack.pins.torch).toBeUndefined();
    }
  });

  it('each model gets its own repository\'s stack; relatives whose code we have not read do not', () => {
    expect(remoteStackFor(findModel('THUDM/chatglm3-6b')!)!.transformers).toBe('4.40.0');
    expect(remoteStackFor(findModel('THUDM/glm-4-9b-chat')!)!.transformers).toBe('4.46.2');
    expect(remoteStackFor(findModel('baichuan-inc/Baichuan2-7B-Chat')!)!.transformers).toBe('4.36.0');
    expect(remoteStackFor(findModel('baichuan-inc/Baichuan2-13B-Base')!)!.id).toBe('baichuan2');
    const glm3 = findModel('THUDM/chatglm3-6b')!;
    expect(remoteStackFor({ ...glm3, id: 'THUDM/chatglm2-6b' })).toBeNull();
    expect(remoteStackFor({ ...glm3, config: { ...glm3.config, padded_vocab_size: 130528 } })).toBeNull();
    expect(remoteStackFor(findModel('internlm/internlm2_5-7b-chat')!)).toBeNull();
    expect(remoteStackFor(findModel('Qwen/Qwen2.5-7B-Instruct')!)).toBeNull();
  });
});

describe('ChatGLM3-6B QLoRA on a T4', () => {
  const cells = renderCells({ model: findModel('THUDM/chatglm3-6b')!, gpu: t4, method: 'qlora' });

  it('installs its stack, pinned, and says to restart and that its own code was not run here', () => {
    expect(installed(cells)).toEqual(['transformers==4.40.0', 'accelerate==0.29.2', 'sentencepiece==0.2.0', 'peft==0.10.0', 'datasets==5.0.1', 'bitsandbytes==0.50.2']);
    expect(code(cells, 'install')).toContain('Restart the runtime now');
    expect(text(cells, 'install')).toContain('THUDM/ChatGLM3 states transformers 4.40.0');
    expect(text(cells, 'install')).toContain('could not be run where these cells were made');
  });

  it('loads with its own code in transformers 4 words, adapts its blocks by their names', () => {
    const load = code(cells, 'load');
    expect(load).toContain('torch_dtype=torch.float16');
    expect(load).not.toMatch(/^\s+dtype=/m);
    expect(load).toContain('trust_remote_code=True');
    expect(load).not.toContain('attn_implementation');
    const lora = code(cells, 'lora');
    expect(lora).toContain('target_modules=["query_key_value", "dense", "dense_h_to_4h", "dense_4h_to_h"]');
    expect(lora).toContain('model.gradient_checkpointing_enable(');
  });

  it("trains with transformers' Trainer and its own loss, and says why not TRL, and what succeeds it", () => {
    const train = code(cells, 'train');
    expect(train).toContain('trainer = Trainer(');
    expect(train).toContain('data_collator=pad_batch');
    expect(train).not.toMatch(/SFTTrainer\(|SFTConfig|from trl/);
    // Argument names of that era: gradient_checkpointing (not activation_checkpointing), no processing_class.
    expect(train).toContain('gradient_checkpointing=True');
    expect(train).not.toMatch(/activation_checkpointing|processing_class|max_length=/);
    expect(train).toContain('optim="paged_adamw_8bit"');
    expect(text(cells, 'train')).toContain('its output layer is `transformer.output_layer`');
    expect(text(cells, 'train')).toContain('THUDM/GLM-4-9B-0414 is its native successor');
    expect(code(cells, 'save')).toContain('torch_dtype=torch.float16');
  });

  it('is priced with the full logits its own forward computes (no fused head)', () => {
    const plan = planOf({ model: findModel('THUDM/chatglm3-6b')!, gpu: t4, method: 'qlora' });
    expect(plan.known && plan.breakdown.logits).toBeGreaterThan(1000);
    const qwen = planOf({ model: findModel('Qwen/Qwen2.5-7B-Instruct')!, gpu: t4, method: 'qlora' });
    expect(qwen.known && qwen.breakdown.logits).toBe(0);
  });

  it('speaks Chinese too', () => {
    const zh = renderCells({ model: findModel('THUDM/chatglm3-6b')!, gpu: t4, method: 'qlora', language: 'zh-Hant' });
    expect(text(zh, 'install')).toContain('產生這些儲存格的環境無法執行模型自帶的程式碼');
    expect(code(zh, 'install')).toContain('請現在重新啟動執行階段');
    expect(text(zh, 'train')).toContain('沒有 `lm_head`');
  });
});

describe('GLM-4-9B-chat and Baichuan2', () => {
  it("GLM-4: transformers 4.46.2 with tiktoken (its tokenizer's library)", () => {
    const cells = renderCells({ model: findModel('THUDM/glm-4-9b-chat')!, gpu: findGpu('a100-40gb'), method: 'lora' });
    expect(installed(cells)).toEqual(['transformers==4.46.2', 'accelerate==1.0.1', 'sentencepiece==0.2.0', 'tiktoken==0.7.0', 'peft==0.14.0', 'datasets==5.0.1']);
    expect(code(cells, 'train')).toContain('bf16=True');
  });

  it('Baichuan2: its tokenizer loads its vocabulary first (Baichuan2#204), LoRA on W_pack and the MLP, NormHead named', () => {
    const cells = renderCells({ model: findModel('baichuan-inc/Baichuan2-7B-Chat')!, gpu: t4, method: 'qlora', language: 'zh-Hans' });
    expect(installed(cells)).toContain('transformers==4.36.0');
    const load = code(cells, 'load');
    expect(load).toContain('get_class_from_dynamic_module("tokenization_baichuan.BaichuanTokenizer", model_path)');
    expect(load.indexOf('tokenizer_class.__init__ = load_vocabulary_first')).toBeLessThan(load.indexOf('AutoTokenizer.from_pretrained('));
    expect(code(cells, 'lora')).toContain('target_modules=["W_pack", "o_proj", "gate_proj", "up_proj", "down_proj"]');
    expect(text(cells, 'train')).toContain('NormHead');
    // A chat in its own role tokens, read from its generation config.
    expect(code(cells, 'train')).toContain('"user_token_id", "assistant_token_id"');
  });

  it('inference cells use the same stack (its tokenizer breaks on the current one too)', () => {
    const cells = renderCells({ model: findModel('THUDM/chatglm3-6b')!, gpu: t4, method: 'inference' });
    expect(installed(cells)).toEqual(['transformers==4.40.0', 'accelerate==0.29.2', 'sentencepiece==0.2.0']);
    expect(cells.some(c => c.step === 'train')).toBe(false);
  });
});

describe('their cards', () => {
  it('a native model ranks above them to fine-tune, and their card names the stack and the successor', () => {
    const list = recommendModels({ task: 'chat', language: 'zh', gpu: t4, method: 'qlora', models: ['THUDM/chatglm3-6b', 'Qwen/Qwen2.5-7B-Instruct'].map(id => findModel(id)!) });
    expect(list.map(r => r.model.id)).toEqual(['Qwen/Qwen2.5-7B-Instruct', 'THUDM/chatglm3-6b']);
    const why = list[1].reasons.find(r => r.code === 'remote_old_stack')!;
    expect(reasonText('en', why)).toBe(
      'its own code trains on the older stack its repository states (transformers 4.40.0, installed by its cells; not run here); THUDM/GLM-4-9B-0414 is the native choice on the current stack'
    );
    expect(list[1].reasons.some(r => r.code === 'remote_no_train')).toBe(false);
  });
});
