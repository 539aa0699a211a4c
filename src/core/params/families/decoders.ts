/**
 * Decoder-only families transformers ships natively. Each layout was read in transformers
 * 5.24's modeling source (models/<family>/modeling_<family>.py) — file named per function.
 */
import { ModelConfig } from '../../types';
import { dim, embedding, flag, linear, norm, Part } from '../parts';
import { decoderHead } from './heads';

interface Attention {
  hidden: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  layers: number;
}

/**
 * When config.json omits head_dim, most config classes derive hidden_size / heads, but some
 * fix a default instead (Qwen3Config 128, GemmaConfig/Gemma2Config 256, GlmConfig/Glm4Config 128).
 */
const HEAD_DIM_DEFAULTS: Readonly<Record<string, number>> = { qwen3: 128, gemma: 256, gemma2: 256, glm: 128, glm4: 128 };

function attentionShape(c: ModelConfig, family = ''): Attention {
  const hidden = dim(c, 'hidden_size');
  const heads = dim(c, 'num_attention_heads');
  const kvHeads = dim(c, 'num_key_value_heads', heads);
  const headDim = typeof c.head_dim === 'number' && c.head_dim > 0 ? c.head_dim : HEAD_DIM_DEFAULTS[family] ?? Math.floor(hidden / heads);
  return { hidden, heads, kvHeads, headDim, layers: dim(c, 'num_hidden_layers') };
}

/** q/k/v/o projections; `qkvBias` on q,k,v and `oBias` on o. */
function attention(a: Attention, layers: number, qkvBias: boolean, oBias: boolean): Part[] {
  return [
    linear('q_proj', a.hidden, a.heads * a.headDim, qkvBias, layers),
    linear('k_proj', a.hidden, a.kvHeads * a.headDim, qkvBias, layers),
    linear('v_proj', a.hidden, a.kvHeads * a.headDim, qkvBias, layers),
    linear('o_proj', a.heads * a.headDim, a.hidden, oBias, layers)
  ];
}

/** SwiGLU MLP: gate_proj, up_proj, down_proj. */
function gatedMlp(hidden: number, inter: number, bias: boolean, layers: number, prefix = ''): Part[] {
  return [
    linear(prefix + 'gate_proj', hidden, inter, bias, layers),
    linear(prefix + 'up_proj', hidden, inter, bias, layers),
    linear(prefix + 'down_proj', inter, hidden, bias, layers)
  ];
}

function body(c: ModelConfig, a: Attention, family: string, architecture: string, tiedByDefault: boolean): Part[] {
  const vocab = dim(c, 'vocab_size');
  return [embedding('embed_tokens', vocab, a.hidden), norm('norm', a.hidden, 1), ...decoderHead(c, family, architecture, a.hidden, vocab, tiedByDefault)];
}

/**
 * Llama and its close relatives (llama/modeling_llama.py, mistral/…, qwen2/…, qwen3/…,
 * yi and the DeepSeek-R1 distills publish llama/qwen2): attention, SwiGLU MLP, two RMSNorms per layer.
 * Qwen2 hard-codes bias on q,k,v (not o); Llama follows `attention_bias` on all four
 * and `mlp_bias` on the MLP; Qwen3 adds per-head RMSNorms `q_norm`/`k_norm` of head_dim.
 */
export function llamaLike(c: ModelConfig, family: string, architecture: string): Part[] {
  const a = attentionShape(c, family);
  const L = a.layers;
  const inter = dim(c, 'intermediate_size');
  const bias = family === 'mistral' ? false : flag(c, 'attention_bias', false);
  const qkvBias = family === 'qwen2' ? true : bias;
  const oBias = family === 'qwen2' ? false : bias;
  const mlpBias = family === 'llama' ? flag(c, 'mlp_bias', false) : false;
  const parts = [...attention(a, L, qkvBias, oBias), ...gatedMlp(a.hidden, inter, mlpBias, L), norm('input_layernorm+post_attention_layernorm', a.hidden, 2 * L)];
  if (family === 'qwen3') parts.push(norm('q_norm+k_norm', a.headDim, 2 * L));
  return [...parts, ...body(c, a, family, architecture, false)];
}

/**
 * Gemma (gemma/modeling_gemma.py): Llama layout, embeddings always tied.
 * Gemma 2 (gemma2/modeling_gemma2.py) adds pre/post-feedforward RMSNorms: four per layer.
 */
export function gemma(c: ModelConfig, family: string, architecture: string): Part[] {
  const a = attentionShape(c, family);
  const L = a.layers;
  const bias = flag(c, 'attention_bias', false);
  const normsPerLayer = family === 'gemma2' ? 4 : 2;
  return [...attention(a, L, bias, bias), ...gatedMlp(a.hidden, dim(c, 'intermediate_size'), false, L), norm('layer norms', a.hidden, normsPerLayer * L), ...body(c, a, family, architecture, true)];
}

/** Phi-3 / Phi-3.5 / Phi-4-mini (phi3/modeling_phi3.py): fused `qkv_proj` and `gate_up_proj`, no biases. */
export function phi3(c: ModelConfig, family: string, architecture: string): Part[] {
  const a = attentionShape(c, family);
  const L = a.layers;
  const inter = dim(c, 'intermediate_size');
  return [
    linear('qkv_proj', a.hidden, (a.heads + 2 * a.kvHeads) * a.headDim, false, L),
    linear('o_proj', a.heads * a.headDim, a.hidden, false, L),
    linear('gate_up_proj', a.hidden, 2 * inter, false, L),
    linear('down_proj', inter, a.hidden, false, L),
    norm('input_layernorm+post_attention_layernorm', a.hidden, 2 * L),
    ...body(c, a, family, architecture, false)
  ];
}

/**
 * Phi-1/1.5/2 (phi/modeling_phi.py): biased q/k/v/dense and fc1/fc2, one LayerNorm (weight +
 * bias) per layer (parallel attention and MLP), optional q/k LayerNorms, `lm_head` with bias.
 */
export function phi(c: ModelConfig, family: string, architecture: string): Part[] {
  const a = attentionShape(c, family);
  const L = a.layers;
  const inter = dim(c, 'intermediate_size');
  const vocab = dim(c, 'vocab_size');
  const parts: Part[] = [
    linear('q_proj', a.hidden, a.heads * a.headDim, true, L),
    linear('k_proj', a.hidden, a.kvHeads * a.headDim, true, L),
    linear('v_proj', a.hidden, a.kvHeads * a.headDim, true, L),
    linear('dense', a.heads * a.headDim, a.hidden, true, L),
    linear('fc1', a.hidden, inter, true, L),
    linear('fc2', inter, a.hidden, true, L),
    norm('input_layernorm', 2 * a.hidden, L),
    embedding('embed_tokens', vocab, a.hidden),
    norm('final_layernorm', 2 * a.hidden, 1)
  ];
  if (flag(c, 'qk_layernorm', false)) parts.push(norm('q_layernorm+k_layernorm', 2 * a.headDim, 2 * L));
  const heads = decoderHead(c, family, architecture, a.hidden, vocab, false);
  // PhiForCausalLM's lm_head has a bias (nn.Linear(..., bias=True)), even when its weight is tied.
  return [...parts, ...heads.map(h => (h.kind === 'head' && h.name === 'lm_head' ? { ...h, bias: true } : h))];
}

/**
 * GLM-4 in transformers (glm/modeling_glm.py, "THUDM/glm-4-9b-chat-hf"; glm4/modeling_glm4.py,
 * GLM-4-0414): q/k/v with `attention_bias` (default True), o without, fused `gate_up_proj`;
 * glm4 adds post-attention and post-MLP RMSNorms (four per layer).
 */
export function glm(c: ModelConfig, family: string, architecture: string): Part[] {
  const a = attentionShape(c, family);
  const L = a.layers;
  const inter = dim(c, 'intermediate_size');
  return [
    ...attention(a, L, flag(c, 'attention_bias', true), false),
    linear('gate_up_proj', a.hidden, 2 * inter, false, L),
    linear('down_proj', inter, a.hidden, false, L),
    norm('layer norms', a.hidden, (family === 'glm4' ? 4 : 2) * L),
    ...body(c, a, family, architecture, false)
  ];
}

/**
 * Mixtral (mixtral/modeling_mixtral.py): Llama attention; each layer's MoE block has a router
 * (`MixtralTopKRouter.weight`, experts × hidden) and `MixtralExperts` holding all experts as
 * 3-D tensors gate_up_proj [E, 2I, H] and down_proj [E, H, I] — not nn.Linear in transformers 5.
 */
export function mixtral(c: ModelConfig, family: string, architecture: string): Part[] {
  const a = attentionShape(c, family);
  const L = a.layers;
  const E = dim(c, 'num_local_experts');
  const k = dim(c, 'num_experts_per_tok');
  const inter = dim(c, 'intermediate_size');
  return [
    ...attention(a, L, false, false),
    { kind: 'other', name: 'router', params: E * a.hidden, count: L },
    { kind: 'other', name: 'experts', params: E * 3 * a.hidden * inter, count: L, experts: { experts: E, active: k } },
    norm('input_layernorm+post_attention_layernorm', a.hidden, 2 * L),
    ...body(c, a, family, architecture, false)
  ];
}

/**
 * Qwen1.5/Qwen2 MoE (qwen2_moe/modeling_qwen2_moe.py) and Qwen3 MoE (qwen3_moe/…): a layer is
 * sparse when it is not in `mlp_only_layers` and (idx+1) % decoder_sparse_step == 0, else a
 * dense SwiGLU of `intermediate_size`. Sparse: router + experts of `moe_intermediate_size`;
 * Qwen2-MoE adds an always-on shared expert and its 1-output gate (both nn.Linear).
 */
export function qwenMoe(c: ModelConfig, family: string, architecture: string): Part[] {
  const a = attentionShape(c, family);
  const L = a.layers;
  const E = dim(c, 'num_experts');
  const k = dim(c, 'num_experts_per_tok');
  const step = dim(c, 'decoder_sparse_step', 1);
  const mlpOnly = Array.isArray(c.mlp_only_layers) ? (c.mlp_only_layers as number[]) : [];
  let sparse = 0;
  for (let i = 0; i < L; i++) if (!mlpOnly.includes(i) && E > 0 && (i + 1) % step === 0) sparse++;
  const dense = L - sparse;
  const moeInter = dim(c, 'moe_intermediate_size');
  const qkvBias = family === 'qwen2_moe' ? flag(c, 'qkv_bias', true) : flag(c, 'attention_bias', false);
  const oBias = family === 'qwen2_moe' ? false : qkvBias;
  const parts: Part[] = [
    ...attention(a, L, qkvBias, oBias),
    ...gatedMlp(a.hidden, dense > 0 ? dim(c, 'intermediate_size') : 0, false, dense),
    { kind: 'other', name: 'router', params: E * a.hidden, count: sparse },
    { kind: 'other', name: 'experts', params: E * 3 * a.hidden * moeInter, count: sparse, experts: { experts: E, active: k } },
    norm('input_layernorm+post_attention_layernorm', a.hidden, 2 * L)
  ];
  if (family === 'qwen2_moe') {
    parts.push(...gatedMlp(a.hidden, dim(c, 'shared_expert_intermediate_size'), false, sparse, 'shared_expert.'));
    parts.push(linear('shared_expert_gate', a.hidden, 1, false, sparse));
  } else {
    parts.push(norm('q_norm+k_norm', a.headDim, 2 * L));
  }
  return [...parts, ...body(c, a, family, architecture, false)];
}

/**
 * GPT-2 (gpt2/modeling_gpt2.py): learned positions, `Conv1D` c_attn/c_proj/c_fc/c_proj with
 * biases (bitsandbytes converts Conv1D too), LayerNorms with bias, head tied by default.
 */
export function gpt2(c: ModelConfig, family: string, architecture: string): Part[] {
  const H = dim(c, ['n_embd', 'hidden_size']);
  const L = dim(c, ['n_layer', 'num_hidden_layers']);
  const inner = typeof c.n_inner === 'number' ? c.n_inner : 4 * H;
  const vocab = dim(c, 'vocab_size');
  return [
    embedding('wte', vocab, H),
    embedding('wpe', dim(c, ['n_positions', 'max_position_embeddings']), H),
    linear('c_attn', H, 3 * H, true, L),
    linear('attn.c_proj', H, H, true, L),
    linear('c_fc', H, inner, true, L),
    linear('mlp.c_proj', inner, H, true, L),
    norm('ln_1+ln_2', 2 * H, 2 * L),
    norm('ln_f', 2 * H, 1),
    ...decoderHead(c, family, architecture, H, vocab, true)
  ];
}

/**
 * BLOOM (bloom/modeling_bloom.py): word embeddings with their own LayerNorm, fused biased
 * query_key_value, biased dense and 4h MLP, LayerNorms with bias, ALiBi (no position table).
 */
export function bloom(c: ModelConfig, family: string, architecture: string): Part[] {
  const H = dim(c, ['hidden_size', 'n_embed']);
  const L = dim(c, ['n_layer', 'num_hidden_layers']);
  const vocab = dim(c, 'vocab_size');
  return [
    embedding('word_embeddings', vocab, H),
    norm('word_embeddings_layernorm', 2 * H, 1),
    linear('query_key_value', H, 3 * H, true, L),
    linear('dense', H, H, true, L),
    linear('dense_h_to_4h', H, 4 * H, true, L),
    linear('dense_4h_to_h', 4 * H, H, true, L),
    norm('input_layernorm+post_attention_layernorm', 2 * H, 2 * L),
    norm('ln_f', 2 * H, 1),
    ...decoderHead(c, family, architecture, H, vocab, true)
  ];
}
