import * as fs from 'fs';
import * as path from 'path';
import { countParameters, UnknownFamilyError } from '../index';
import { ModelConfig } from '../../types';

const FIXTURES = path.resolve(__dirname, '../../../../../shared/fixtures/configs');
const config = (name: string): ModelConfig => JSON.parse(fs.readFileSync(path.join(FIXTURES, name + '.json'), 'utf8'));

describe('countParameters on published configs', () => {
  // The numbers `sum(p.numel() for p in model.parameters())` prints for these configs under
  // transformers 5.24 on the meta device (tests/test_params_vs_transformers.py checks every
  // catalog model the same way).
  it.each([
    ['Llama-2-7b-hf', 6738415616, 'llama'],
    ['Qwen2.5-0.5B', 494032768, 'qwen2'],
    ['bert-base-chinese', 102290312, 'bert'],
    ['gpt2-chinese-cluecorpussmall', 102068736, 'gpt2']
  ])('%s has %d parameters', (name, total, family) => {
    const count = countParameters(config(name));
    expect(count.total).toBe(total);
    expect(count.family).toBe(family);
  });

  it('ChatGLM3-6B has 6,243,584,000: its fp16 index total_size 12,487,168,064 bytes less the 64-byte rotary inv_freq buffer', () => {
    expect(countParameters(config('chatglm3-6b')).total * 2 + 32 * 2).toBe(12487168064);
  });

  it('splits the total into the parts memory needs, and the parts add up', () => {
    const c = countParameters(config('Llama-2-7b-hf'));
    expect(c.embedding).toBe(32000 * 4096);
    expect(c.lm_head).toBe(32000 * 4096);
    expect(c.tied).toBe(false);
    expect(c.embedding + c.lm_head + c.linear + c.norms_and_biases + c.other).toBe(c.total);
    expect(c.linear_layers.map(l => l.name)).toEqual(['q_proj', 'k_proj', 'v_proj', 'o_proj', 'gate_proj', 'up_proj', 'down_proj']);
    // The QLoRA paper's LoRA on all linear layers of LLaMA-7B, r=64: 160M parameters… at r=16, ¼ of that.
    const loraR16 = c.linear_layers.reduce((s, l) => s + 16 * (l.in_features + l.out_features) * l.count, 0);
    expect(loraR16).toBe(39976960);
  });

  it('a tied head (Qwen2.5-0.5B) costs no parameters of its own', () => {
    const c = countParameters(config('Qwen2.5-0.5B'));
    expect(c.tied).toBe(true);
    expect(c.lm_head).toBe(0);
  });

  it('a Mixture-of-Experts model counts total and active parameters', () => {
    const mixtral: ModelConfig = {
      architectures: ['MixtralForCausalLM'], model_type: 'mixtral', hidden_size: 4096, intermediate_size: 14336,
      num_attention_heads: 32, num_key_value_heads: 8, num_hidden_layers: 32, num_local_experts: 8, num_experts_per_tok: 2,
      vocab_size: 32000, tie_word_embeddings: false
    };
    const c = countParameters(mixtral);
    // Mixtral 8x7B: "47B total, 13B active" (Mistral AI's announcement).
    expect(c.total).toBe(46702792704);
    // Active: all but 6 of 8 experts per layer (32 × 6 × 3 × 4096 × 14336 = 33,822,867,456).
    expect(c.moe?.active_total).toBe(46702792704 - 33822867456);
  });

  it('names an unknown family instead of guessing', () => {
    expect(() => countParameters({ model_type: 'rwkv', architectures: ['RwkvForCausalLM'] })).toThrow(UnknownFamilyError);
    expect(() => countParameters({ model_type: 'rwkv', architectures: ['RwkvForCausalLM'] })).toThrow(/"rwkv"/);
    expect(() => countParameters({ ...config('bert-base-chinese'), architectures: ['BertForMultipleChoice'] })).toThrow(/BertForMultipleChoice/);
  });

  it('says which field a broken config lacks', () => {
    const broken = { ...config('Llama-2-7b-hf') };
    delete broken.hidden_size;
    expect(() => countParameters(broken)).toThrow(/hidden_size/);
  });
});
