/**
 * Families released since 2025 that transformers 5.24 builds natively: Gemma 3, Qwen3.5 and
 * Qwen3-Next (hybrid linear attention), gpt-oss, OLMo 3, SmolLM3, GLM-4.5 (glm4_moe). Each layout
 * was read in models/<family>/modeling_<family>.py of the pinned transformers — file named per
 * function; tests/test_params_vs_transformers.py checks every catalog row on the meta device.
 */
import { ModelConfig } from '../../types';
import { dim, embedding, flag, linear, norm, OtherPart, Part } from '../parts';
import { decoderHead } from './heads';
import { siglipVision } from './vision';

/** A composite (vision-language) config's text half: its `text_config`, else the config itself. */
export function textConfig(c: ModelConfig): ModelConfig {
  const t = c.text_config;
  return t !== null && typeof t === 'object' && !Array.isArray(t) ? (t as ModelConfig) : c;
}

interface Attn {
  hidden: number;
  heads: number;
  kvHeads: number;
  headDim: number;
  layers: number;
}

/**
 * `head_dim` as the attention classes read it: `getattr(config, "head_dim", hidden // heads)`,
 * where the config class may fix a default (`headDimDefault`: Gemma3TextConfig, Qwen3_5TextConfig,
 * Qwen3NextConfig 256; GptOssConfig 64).
 */
function attn(c: ModelConfig, defaults: { headDim?: number; kvHeads?: number; heads?: number } = {}): Attn {
  const hidden = dim(c, 'hidden_size');
  const heads = dim(c, 'num_attention_heads', defaults.heads);
  const kvHeads = dim(c, 'num_key_value_heads', defaults.kvHeads ?? heads);
  const headDim = typeof c.head_dim === 'number' && c.head_dim > 0 ? c.head_dim : defaults.headDim ?? Math.floor(hidden / heads);
  return { hidden, heads, kvHeads, headDim, layers: dim(c, 'num_hidden_layers') };
}

function qkvo(a: Attn, layers: number, bias: boolean, oBias = bias, qWidth = a.heads * a.headDim): Part[] {
  return [
    linear('q_proj', a.hidden, qWidth, bias, layers),
    linear('k_proj', a.hidden, a.kvHeads * a.headDim, bias, layers),
    linear('v_proj', a.hidden, a.kvHeads * a.headDim, bias, layers),
    linear('o_proj', a.heads * a.headDim, a.hidden, oBias, layers)
  ];
}

function swiglu(hidden: number, inter: number, layers: number, prefix = '', bias = false): Part[] {
  return [
    linear(prefix + 'gate_proj', hidden, inter, bias, layers),
    linear(prefix + 'up_proj', hidden, inter, bias, layers),
    linear(prefix + 'down_proj', inter, hidden, bias, layers)
  ];
}

/** Token embedding, final norm and the head (tied or not, as the class and the config say). */
function ends(c: ModelConfig, family: string, architecture: string, hidden: number, vocab: number, tiedByDefault: boolean): Part[] {
  return [embedding('embed_tokens', vocab, hidden), norm('norm', hidden, 1), ...decoderHead(c, family, architecture, hidden, vocab, tiedByDefault)];
}

/**
 * Gemma 3 text (gemma3/modeling_gemma3.py Gemma3TextModel): q/k/v/o with `attention_bias`,
 * per-head `q_norm`/`k_norm`, four RMSNorms a layer, GeGLU MLP; sliding and global layers have
 * the same weights. Gemma3TextConfig defaults (configuration_gemma3.py), which the published
 * text_configs lean on (gemma-3-4b-it gives neither heads nor vocab): vocab 262,208, 8 heads,
 * 4 KV heads, head_dim 256, tied embeddings.
 */
function gemma3Text(t: ModelConfig): { parts: Part[]; hidden: number; vocab: number } {
  const a = attn(t, { headDim: 256, kvHeads: 4, heads: 8 });
  const L = a.layers;
  const vocab = dim(t, 'vocab_size', 262208);
  const bias = flag(t, 'attention_bias', false);
  const parts = [
    ...qkvo(a, L, bias),
    norm('q_norm+k_norm', a.headDim, 2 * L),
    ...swiglu(a.hidden, dim(t, 'intermediate_size'), L),
    norm('layer norms', a.hidden, 4 * L)
  ];
  return { parts, hidden: a.hidden, vocab };
}

/**
 * `gemma3_text` (Gemma3ForCausalLM, the 1B and 270M) and `gemma3` (Gemma3ForConditionalGeneration,
 * 4B–27B): the latter is what `AutoModelForCausalLM` loads for a gemma3 config
 * (auto/modeling_auto.py MODEL_FOR_CAUSAL_LM_MAPPING_NAMES "gemma3"), so the SigLIP vision tower
 * and the projector (`mm_input_projection_weight` vision × text, `mm_soft_emb_norm`) are loaded and counted.
 */
export function gemma3(c: ModelConfig, family: string, architecture: string): Part[] {
  const t = textConfig(c);
  const text = gemma3Text(t);
  const tied = c.tie_word_embeddings ?? t.tie_word_embeddings;
  const head = decoderHead({ ...c, tie_word_embeddings: tied }, family, architecture, text.hidden, text.vocab, true);
  const parts = [...text.parts, embedding('embed_tokens', text.vocab, text.hidden), norm('norm', text.hidden, 1), ...head];
  if (family === 'gemma3' && /ForConditionalGeneration$/.test(architecture)) {
    const v = (c.vision_config ?? {}) as ModelConfig;
    const vh = dim(v, 'hidden_size', 768);
    parts.push(...siglipVision(v, 'vision.'));
    parts.push({ kind: 'other', name: 'vision.mm_input_projection_weight', params: vh * text.hidden, count: 1 });
    parts.push(norm('vision.mm_soft_emb_norm', vh, 1));
  }
  return parts;
}

/**
 * A Gated DeltaNet layer (Qwen3.5 `Qwen3_5GatedDeltaNet`, Qwen3-Next `Qwen3NextGatedDeltaNet`):
 * projections to q, k (key_dim each), v and the output gate z (value_dim each) and the per-head
 * b and a; a depthwise causal conv1d over q, k, v (no bias); `dt_bias`, `A_log` per value head; a
 * gated RMSNorm of the value head dim; `out_proj`. Qwen3-Next fuses the inputs as in_proj_qkvz
 * and in_proj_ba, Qwen3.5 splits them: the same number of weights, but other Linear names.
 */
function gatedDeltaNet(c: ModelConfig, hidden: number, layers: number, fused: boolean): Part[] {
  const kHeads = dim(c, 'linear_num_key_heads', 16);
  const vHeads = dim(c, 'linear_num_value_heads', 32);
  const keyDim = kHeads * dim(c, 'linear_key_head_dim', 128);
  const valueDim = vHeads * dim(c, 'linear_value_head_dim', 128);
  const kernel = dim(c, 'linear_conv_kernel_dim', 4);
  const conv = 2 * keyDim + valueDim;
  const inputs = fused
    ? [linear('in_proj_qkvz', hidden, 2 * keyDim + 2 * valueDim, false, layers), linear('in_proj_ba', hidden, 2 * vHeads, false, layers)]
    : [
        linear('in_proj_qkv', hidden, conv, false, layers),
        linear('in_proj_z', hidden, valueDim, false, layers),
        linear('in_proj_b', hidden, vHeads, false, layers),
        linear('in_proj_a', hidden, vHeads, false, layers)
      ];
  return [
    ...inputs,
    { kind: 'other', name: 'linear_attn.conv1d', params: conv * kernel, count: layers },
    { kind: 'other', name: 'linear_attn.dt_bias+A_log', params: 2 * vHeads, count: layers },
    norm('linear_attn.norm', dim(c, 'linear_value_head_dim', 128), layers),
    linear('linear_attn.out_proj', valueDim, hidden, false, layers)
  ];
}

/** `layer_types` as the config classes fill them: every `full_attention_interval`-th (4) layer is full attention. */
export function hybridLayerTypes(c: ModelConfig, layers: number): string[] {
  if (Array.isArray(c.layer_types) && c.layer_types.length === layers) return c.layer_types.map(String);
  const interval = dim(c, 'full_attention_interval', 4);
  return Array.from({ length: layers }, (_, i) => ((i + 1) % interval === 0 ? 'full_attention' : 'linear_attention'));
}

/**
 * Gated attention of Qwen3.5 / Qwen3-Next (Qwen3_5Attention): q_proj is twice as wide (the query
 * and its output gate), per-head q/k RMSNorms, o_proj back.
 */
function gatedAttention(a: Attn, layers: number, bias: boolean): Part[] {
  return [...qkvo(a, layers, bias, bias, 2 * a.heads * a.headDim), norm('q_norm+k_norm', a.headDim, 2 * layers)];
}

/**
 * Qwen3.5 dense (qwen3_5/modeling_qwen3_5.py): hybrid layers of Gated DeltaNet and gated full
 * attention, a SwiGLU MLP and two RMSNorms each. For a qwen3_5 config `AutoModelForCausalLM`
 * builds `Qwen3_5ForCausalLM` from `text_config` alone (auto_factory.py: a class whose config is
 * the text sub-config gets `config.get_text_config()`; the class ignores `model.visual.*`), so the
 * vision tower of the checkpoint is neither loaded nor counted: we count what the cells load.
 */
export function qwen35(c: ModelConfig, family: string, architecture: string): Part[] {
  const t = textConfig(c);
  const a = attn(t, { headDim: 256 });
  const types = hybridLayerTypes(t, a.layers);
  const full = types.filter(x => x === 'full_attention').length;
  const lin = a.layers - full;
  const vocab = dim(t, 'vocab_size', 248320);
  const arch = /ForConditionalGeneration$/.test(architecture) ? 'Qwen3_5ForCausalLM' : architecture;
  return [
    ...gatedAttention(a, full, flag(t, 'attention_bias', false)),
    ...gatedDeltaNet(t, a.hidden, lin, false),
    ...swiglu(a.hidden, dim(t, 'intermediate_size'), a.layers),
    norm('input_layernorm+post_attention_layernorm', a.hidden, 2 * a.layers),
    ...ends(t, family, arch, a.hidden, vocab, false)
  ];
}

/** The class `countParameters` reports for a config: what the cells' `AutoModelForCausalLM` builds. */
export function countedArchitecture(family: string, architecture: string): string {
  if ((family === 'qwen3_5' || family === 'qwen3_5_text') && /ForConditionalGeneration$/.test(architecture)) return 'Qwen3_5ForCausalLM';
  // Gemma 3n: the cells load the text class (params/families/gemma4.ts says why).
  if ((family === 'gemma3n' || family === 'gemma3n_text') && /ForConditionalGeneration$/.test(architecture)) return 'Gemma3nForCausalLM';
  return architecture;
}

/** MoE experts held as 3-D tensors (transformers 5 `…Experts.gate_up_proj` / `down_proj`): E × 3 × H × I. */
function experts(E: number, k: number, hidden: number, inter: number, layers: number, biasPerExpert = 0): OtherPart {
  return { kind: 'other', name: 'experts', params: E * (3 * hidden * inter + biasPerExpert), count: layers, experts: { experts: E, active: k } };
}

/**
 * Qwen3-Next (qwen3_next/modeling_qwen3_next.py): the hybrid layers of Qwen3.5 (fused input
 * projections), and on every sparse layer a router, `num_experts` experts of
 * `moe_intermediate_size`, an always-on shared expert and its 1-output gate.
 */
export function qwen3Next(c: ModelConfig, family: string, architecture: string): Part[] {
  const a = attn(c, { headDim: 256 });
  const L = a.layers;
  const types = hybridLayerTypes(c, L);
  const full = types.filter(x => x === 'full_attention').length;
  const E = dim(c, 'num_experts', 512);
  const step = dim(c, 'decoder_sparse_step', 1);
  const mlpOnly = Array.isArray(c.mlp_only_layers) ? (c.mlp_only_layers as number[]) : [];
  let sparse = 0;
  for (let i = 0; i < L; i++) if (!mlpOnly.includes(i) && E > 0 && (i + 1) % step === 0) sparse++;
  return [
    ...gatedAttention(a, full, flag(c, 'attention_bias', false)),
    ...gatedDeltaNet(c, a.hidden, L - full, true),
    ...swiglu(a.hidden, sparse < L ? dim(c, 'intermediate_size', 5632) : 0, L - sparse),
    { kind: 'other', name: 'router', params: E * a.hidden, count: sparse },
    experts(E, dim(c, 'num_experts_per_tok', 10), a.hidden, dim(c, 'moe_intermediate_size', 512), sparse),
    ...swiglu(a.hidden, dim(c, 'shared_expert_intermediate_size', 512), sparse, 'shared_expert.'),
    linear('shared_expert_gate', a.hidden, 1, false, sparse),
    norm('input_layernorm+post_attention_layernorm', a.hidden, 2 * L),
    ...ends(c, family, architecture, a.hidden, dim(c, 'vocab_size', 151936), false)
  ];
}

/**
 * gpt-oss (gpt_oss/modeling_gpt_oss.py): biased q/k/v/o (`attention_bias`, default true) and one
 * learned attention sink per head; a biased router; `GptOssExperts` with gate_up [E, H, 2I] + bias
 * [E, 2I] and down [E, I, H] + bias [E, H] (published as MXFP4 blocks, see memory/terms.ts); two
 * RMSNorms a layer; untied head.
 */
export function gptOss(c: ModelConfig, family: string, architecture: string): Part[] {
  const a = attn(c, { headDim: 64, kvHeads: 8 });
  const L = a.layers;
  const E = dim(c, ['num_local_experts', 'num_experts'], 128);
  const I = dim(c, 'intermediate_size', 2880);
  return [
    ...qkvo(a, L, flag(c, 'attention_bias', true)),
    { kind: 'other', name: 'self_attn.sinks', params: a.heads, count: L },
    { kind: 'other', name: 'router', params: E * a.hidden + E, count: L },
    experts(E, dim(c, 'num_experts_per_tok', 4), a.hidden, I, L, 2 * I + a.hidden),
    norm('input_layernorm+post_attention_layernorm', a.hidden, 2 * L),
    ...ends(c, family, architecture, a.hidden, dim(c, 'vocab_size', 201088), false)
  ];
}

/**
 * OLMo 3 (olmo3/modeling_olmo3.py): q/k/v/o with `attention_bias`, q_norm and k_norm over the
 * whole projection (heads × head_dim, unlike Qwen3's per head), post-attention and
 * post-feedforward RMSNorms (no pre-norms), SwiGLU MLP.
 */
export function olmo3(c: ModelConfig, family: string, architecture: string): Part[] {
  const a = attn(c);
  const L = a.layers;
  return [
    ...qkvo(a, L, flag(c, 'attention_bias', false)),
    norm('q_norm', a.heads * a.headDim, L),
    norm('k_norm', a.kvHeads * a.headDim, L),
    ...swiglu(a.hidden, dim(c, 'intermediate_size'), L),
    norm('post_attention_layernorm+post_feedforward_layernorm', a.hidden, 2 * L),
    ...ends(c, family, architecture, a.hidden, dim(c, 'vocab_size'), false)
  ];
}

/**
 * SmolLM3 (smollm3/modeling_smollm3.py): Llama's layout (`attention_bias`, `mlp_bias`), no
 * weights for the NoPE layers; tied embeddings by default (SmolLM3Config).
 */
export function smollm3(c: ModelConfig, family: string, architecture: string): Part[] {
  const a = attn(c, { kvHeads: 4 });
  const L = a.layers;
  return [
    ...qkvo(a, L, flag(c, 'attention_bias', false)),
    ...swiglu(a.hidden, dim(c, 'intermediate_size'), L, '', flag(c, 'mlp_bias', false)),
    norm('input_layernorm+post_attention_layernorm', a.hidden, 2 * L),
    ...ends(c, family, architecture, a.hidden, dim(c, 'vocab_size', 128256), true)
  ];
}

/**
 * GLM-4.5 / 4.6 (glm4_moe/modeling_glm4_moe.py): q/k/v with `attention_bias`, o without,
 * optional per-head q/k norms (`use_qk_norm`); the first `first_k_dense_replace` layers have a
 * dense SwiGLU, the rest a router (kept in fp32: `Glm4MoeTopkRouter.weight` dtype=torch.float32;
 * its `e_score_correction_bias` is a buffer), `n_routed_experts` experts and a shared expert of
 * moe_intermediate_size × n_shared_experts. The multi-token-prediction layer of the checkpoint
 * is not built by transformers (no module reads `num_nextn_predict_layers`).
 */
export function glm4Moe(c: ModelConfig, family: string, architecture: string): Part[] {
  const a = attn(c, { kvHeads: 8 });
  const L = a.layers;
  const dense = Math.min(L, dim(c, 'first_k_dense_replace', 1));
  const sparse = L - dense;
  const E = dim(c, ['n_routed_experts', 'num_local_experts'], 128);
  const moeInter = dim(c, 'moe_intermediate_size', 1408);
  const parts: Part[] = [
    ...qkvo(a, L, flag(c, 'attention_bias', false), false),
    ...swiglu(a.hidden, dim(c, 'intermediate_size', 10944), dense),
    { kind: 'other', name: 'router', params: E * a.hidden, count: sparse },
    experts(E, dim(c, 'num_experts_per_tok', 8), a.hidden, moeInter, sparse),
    ...swiglu(a.hidden, moeInter * dim(c, 'n_shared_experts', 1), sparse, 'shared_experts.'),
    norm('input_layernorm+post_attention_layernorm', a.hidden, 2 * L),
    ...ends(c, family, architecture, a.hidden, dim(c, 'vocab_size', 151552), false)
  ];
  if (flag(c, 'use_qk_norm', false)) parts.push(norm('q_norm+k_norm', a.headDim, 2 * L));
  return parts;
}
