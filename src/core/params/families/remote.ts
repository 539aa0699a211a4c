/**
 * Families whose code lives in the model's own repository (`trust_remote_code=True`). Layouts
 * read in each repository's modeling file (named per function); the tests compare our totals
 * with the sizes their authors publish.
 */
import { ModelConfig } from '../../types';
import { dim, embedding, flag, head, linear, norm, Part, UnknownFamilyError } from '../parts';

function onlyCausal(family: string, architecture: string, allowed: string[]): void {
  if (!allowed.includes(architecture)) throw new UnknownFamilyError(family, `architecture ${architecture} is not one we count`);
}

/**
 * ChatGLM2/3 and GLM-4 remote code (THUDM/chatglm3-6b modeling_chatglm.py): word embeddings
 * of `padded_vocab_size`; per layer a fused `query_key_value` of hidden + 2 × kv_channels ×
 * multi_query_group_num outputs (biased when add_qkv_bias), `dense`, SwiGLU `dense_h_to_4h`
 * (2 × ffn_hidden_size) and `dense_4h_to_h`, two RMSNorms; a final norm; an untied
 * `output_layer`. `ChatGLMModel` itself holds the output layer; the rotary `inv_freq` is a buffer.
 */
export function chatglm(c: ModelConfig, family: string, architecture: string): Part[] {
  onlyCausal(family, architecture, ['ChatGLMModel', 'ChatGLMForConditionalGeneration']);
  const H = dim(c, 'hidden_size');
  const L = dim(c, 'num_layers');
  const heads = dim(c, 'num_attention_heads');
  const kvc = dim(c, 'kv_channels', H / heads);
  const F = dim(c, 'ffn_hidden_size');
  const V = dim(c, 'padded_vocab_size');
  const mqa = flag(c, 'multi_query_attention', false);
  const qkvOut = heads * kvc + 2 * kvc * (mqa ? dim(c, 'multi_query_group_num') : heads);
  const biasLinear = flag(c, 'add_bias_linear', false);
  const normSize = flag(c, 'rmsnorm', true) ? H : 2 * H;
  const parts: Part[] = [
    embedding('word_embeddings', V, H),
    linear('query_key_value', H, qkvOut, biasLinear || flag(c, 'add_qkv_bias', false), L),
    linear('dense', heads * kvc, H, biasLinear, L),
    linear('dense_h_to_4h', H, 2 * F, biasLinear, L),
    linear('dense_4h_to_h', F, H, biasLinear, L),
    norm('input_layernorm+post_attention_layernorm', normSize, 2 * L),
    head('output_layer', H, V, false, false)
  ];
  if (flag(c, 'post_layer_norm', true)) parts.push(norm('final_layernorm', normSize, 1));
  return parts;
}

/**
 * Baichuan 2 (baichuan-inc/Baichuan2-7B-Base and -13B-Base modeling_baichuan.py): fused
 * bias-free `W_pack` (3 × hidden), `o_proj`, SwiGLU MLP, two RMSNorms; `lm_head` is a
 * `NormHead` (a plain weight Parameter, never tied). 7B uses RoPE, 13B ALiBi: neither has weights.
 */
export function baichuan(c: ModelConfig, family: string, architecture: string): Part[] {
  onlyCausal(family, architecture, ['BaichuanForCausalLM']);
  const H = dim(c, 'hidden_size');
  const L = dim(c, 'num_hidden_layers');
  const I = dim(c, 'intermediate_size');
  const V = dim(c, 'vocab_size');
  return [
    embedding('embed_tokens', V, H),
    linear('W_pack', H, 3 * H, false, L),
    linear('o_proj', H, H, false, L),
    linear('gate_proj', H, I, false, L),
    linear('up_proj', H, I, false, L),
    linear('down_proj', I, H, false, L),
    norm('input_layernorm+post_attention_layernorm', H, 2 * L),
    norm('norm', H, 1),
    head('lm_head', H, V, false, false)
  ];
}

/**
 * Qwen (v1) (Qwen/Qwen-7B modeling_qwen.py): `c_attn` (3 × projection, biased), `c_proj`
 * (bias-free when no_bias), MLP `w1`, `w2` (hidden → intermediate_size / 2) and `c_proj`
 * back, RMSNorms `ln_1`, `ln_2`, `ln_f`; untied `lm_head`.
 */
export function qwenV1(c: ModelConfig, family: string, architecture: string): Part[] {
  onlyCausal(family, architecture, ['QWenLMHeadModel']);
  const H = dim(c, 'hidden_size');
  const L = dim(c, 'num_hidden_layers');
  const heads = dim(c, 'num_attention_heads');
  const proj = heads * dim(c, 'kv_channels', H / heads);
  const ff = dim(c, 'intermediate_size') / 2;
  const bias = !flag(c, 'no_bias', true);
  const V = dim(c, 'vocab_size');
  return [
    embedding('wte', V, H),
    linear('c_attn', H, 3 * proj, true, L),
    linear('attn.c_proj', proj, H, bias, L),
    linear('w1', H, ff, bias, L),
    linear('w2', H, ff, bias, L),
    linear('mlp.c_proj', ff, H, bias, L),
    norm('ln_1+ln_2', H, 2 * L),
    norm('ln_f', H, 1),
    head('lm_head', H, V, false, false)
  ];
}

/**
 * InternLM2 / 2.5 (internlm/internlm2_5-7b-chat modeling_internlm2.py): fused `wqkv`
 * ((heads + 2 × kv_heads) × head_dim), `wo`, SwiGLU `w1`/`w3`/`w2`, RMSNorms
 * `attention_norm`/`ffn_norm`/`norm`, untied `output`. `bias` (default true) on wqkv and wo.
 */
export function internlm2(c: ModelConfig, family: string, architecture: string): Part[] {
  onlyCausal(family, architecture, ['InternLM2ForCausalLM']);
  const H = dim(c, 'hidden_size');
  const L = dim(c, 'num_hidden_layers');
  const heads = dim(c, 'num_attention_heads');
  const kv = dim(c, 'num_key_value_heads', heads);
  const hd = H / heads;
  const I = dim(c, 'intermediate_size');
  const V = dim(c, 'vocab_size');
  const bias = flag(c, 'bias', true);
  return [
    embedding('tok_embeddings', V, H),
    linear('wqkv', H, (heads + 2 * kv) * hd, bias, L),
    linear('wo', heads * hd, H, bias, L),
    linear('w1', H, I, false, L),
    linear('w3', H, I, false, L),
    linear('w2', I, H, false, L),
    norm('attention_norm+ffn_norm', H, 2 * L),
    norm('norm', H, 1),
    head('output', H, V, false, flag(c, 'tie_word_embeddings', false))
  ];
}
