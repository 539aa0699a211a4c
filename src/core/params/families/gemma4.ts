/**
 * Gemma 3n and Gemma 4 (transformers 5.24: models/gemma3n/modeling_gemma3n.py,
 * models/gemma4/modeling_gemma4.py; line numbers below are of those files). What they bring
 * beyond Gemma 3: per-layer embeddings (a second token table of num_layers × 256 per token, fed
 * into every layer), KV sharing (the last `num_kv_shared_layers` layers reuse an earlier layer's
 * K/V and have no k/v weights), Gemma 3n's AltUp and Laurel blocks, and Gemma 4's wider
 * full-attention heads (`global_head_dim`), K = V on full layers (`attention_k_eq_v`) and a
 * mixture-of-experts block beside the dense MLP (26B-A4B).
 *
 * What the cells load: for a gemma4 config `AutoModelForCausalLM` builds
 * Gemma4ForConditionalGeneration (auto/modeling_auto.py MODEL_FOR_CAUSAL_LM_MAPPING_NAMES
 * "gemma4"), vision tower (and audio tower for the E-sizes) included, so they are counted here.
 * For gemma3n the cells load Gemma3nForCausalLM, the text model alone: the full class's vision
 * tower is a timm MobileNetV5 (TimmWrapperModel, which needs `timm`), and transformers maps the
 * checkpoint's `model.language_model.*` onto the text class (conversion_mapping.py
 * "gemma3n_text" → PrefixChange(prefix_to_remove="language_model")).
 */
import { ModelConfig } from '../../types';
import { dim, embedding, flag, linear, norm, Part } from '../parts';
import { decoderHead } from './heads';
import { textConfig } from './current';

/** The KV sharing of both families (configuration_gemma4.py:226, configuration_gemma3n.py:206): the last layers reuse. */
function sharedLayer(layers: number, shared: number): (i: number) => boolean {
  const first = layers - Math.min(shared, layers);
  return i => i >= first;
}

/** layer_types as the config classes fill them when absent: every `period`-th layer is full attention. */
function layerTypes(t: ModelConfig, layers: number, period: number): string[] {
  if (Array.isArray(t.layer_types) && t.layer_types.length === layers) {
    const types = t.layer_types.map(String);
    // Gemma4TextConfig.__post_init__ forces the last layer to full attention (configuration_gemma4.py:195).
    return types;
  }
  return Array.from({ length: layers }, (_, i) => ((i + 1) % period === 0 ? 'full_attention' : 'sliding_attention'));
}

/** Per-layer embeddings (Gemma3nTextModel:1589-1602, Gemma4TextModel:1566-1580): table, projection, norm. */
function perLayerEmbeddings(t: ModelConfig, hidden: number, layers: number, perLayer: number): Part[] {
  if (perLayer === 0) return [];
  return [
    embedding('embed_tokens_per_layer', dim(t, 'vocab_size_per_layer_input', 262144), layers * perLayer),
    linear('per_layer_model_projection', hidden, layers * perLayer, false, 1),
    norm('per_layer_projection_norm', perLayer, 1),
    // Each decoder layer's gate into and projection out of its slice, and their norm.
    linear('per_layer_input_gate', hidden, perLayer, false, layers),
    linear('per_layer_projection', perLayer, hidden, false, layers),
    norm('post_per_layer_input_norm', hidden, layers)
  ];
}

/**
 * Gemma 3n's text model (Gemma3nTextModel:1565, Gemma3nTextDecoderLayer:1248): per layer q/k/v/o
 * (k, v and k_norm only on layers that keep their own K/V; v_norm has no weight), a GeGLU MLP of
 * that layer's `intermediate_size[i]`, four RMSNorms, AltUp (correct_output_scale, correction and
 * prediction coefficients, modality router and its norm: :988-995) and Laurel (a rank-64 pair and
 * its norm: :923-929); the model's altup projections and unembed projections (n - 1 each, :1604-1610).
 * Gemma3nTextConfig defaults (configuration_gemma3n.py:95-126).
 */
export function gemma3n(c: ModelConfig, family: string, architecture: string): Part[] {
  const t = textConfig(c);
  const H = dim(t, 'hidden_size', 2048);
  const L = dim(t, 'num_hidden_layers', 35);
  const heads = dim(t, 'num_attention_heads', 8);
  const kv = dim(t, 'num_key_value_heads', 2);
  const hd = dim(t, 'head_dim', 256);
  const vocab = dim(t, 'vocab_size', 262400);
  const bias = flag(t, 'attention_bias', false);
  const n = dim(t, 'altup_num_inputs', 4);
  const rank = dim(t, 'laurel_rank', 64);
  const shared = sharedLayer(L, dim(t, 'num_kv_shared_layers', 15));
  const own = Array.from({ length: L }, (_, i) => !shared(i)).filter(Boolean).length;
  const inter = t.intermediate_size;
  const sizes = Array.isArray(inter) ? (inter as number[]) : Array.from({ length: L }, () => dim(t, 'intermediate_size', 16384));
  const parts: Part[] = [
    linear('q_proj', H, heads * hd, bias, L),
    linear('k_proj', H, kv * hd, bias, own),
    linear('v_proj', H, kv * hd, bias, own),
    linear('o_proj', heads * hd, H, bias, L),
    norm('q_norm', hd, L),
    norm('k_norm', hd, own),
    norm('layer norms', H, 4 * L),
    { kind: 'other', name: 'altup.correct_output_scale', params: H, count: L },
    linear('altup.correction_coefs', n, n, false, L),
    linear('altup.prediction_coefs', n, n * n, false, L),
    linear('altup.modality_router', H, n, false, L),
    norm('altup.router_norm', H, L),
    linear('laurel.linear_left', H, rank, false, L),
    linear('laurel.linear_right', rank, H, false, L),
    norm('laurel.post_laurel_norm', H, L),
    ...perLayerEmbeddings(t, H, L, dim(t, 'hidden_size_per_layer_input', 256)),
    linear('altup_projections', H, H, false, n - 1),
    linear('altup_unembed_projections', H, H, false, n - 1),
    embedding('embed_tokens', vocab, H),
    norm('norm', H, 1)
  ];
  // The MLP widths may differ per layer (the E-sizes' MatFormer slices).
  const byWidth = new Map<number, number>();
  for (const w of sizes) byWidth.set(w, (byWidth.get(w) ?? 0) + 1);
  for (const [w, count] of byWidth) {
    parts.push(linear('gate_proj', H, w, false, count), linear('up_proj', H, w, false, count), linear('down_proj', w, H, false, count));
  }
  const tied = c.tie_word_embeddings ?? t.tie_word_embeddings;
  parts.push(...decoderHead({ ...t, tie_word_embeddings: tied }, family, 'Gemma3nForCausalLM', H, vocab, true));
  return parts;
}

/**
 * Gemma 4's text model (Gemma4TextAttention:1141, Gemma4TextMLP:1051, Gemma4TextDecoderLayer:1331,
 * Gemma4TextModel:1535). Full-attention layers use `global_head_dim` (default 512) and, with
 * `attention_k_eq_v`, `num_global_key_value_heads` and no v_proj (configuration_gemma4.py:208-221);
 * KV-sharing layers have neither k nor v; `use_double_wide_mlp` doubles the MLP of the sharing
 * layers. With `enable_moe_block` every layer adds a router (norm without weight, proj, scale,
 * per_expert_scale: :1294-1305), experts as 3-D tensors (gate_up E × 2I × H, down E × H × I:
 * :1263-1264) and three more RMSNorms. Gemma4TextConfig defaults (configuration_gemma4.py).
 */
function gemma4Text(t: ModelConfig): { parts: Part[]; hidden: number; vocab: number } {
  const H = dim(t, 'hidden_size', 2304);
  const L = dim(t, 'num_hidden_layers', 30);
  const heads = dim(t, 'num_attention_heads', 8);
  const kv = dim(t, 'num_key_value_heads', 4);
  const hd = dim(t, 'head_dim', 256);
  const globalHd = dim(t, 'global_head_dim', 512);
  const kEqV = flag(t, 'attention_k_eq_v', false);
  const globalKv = kEqV && typeof t.num_global_key_value_heads === 'number' ? t.num_global_key_value_heads : kv;
  const bias = flag(t, 'attention_bias', false);
  const vocab = dim(t, 'vocab_size', 262144);
  const inter = dim(t, 'intermediate_size', 9216);
  const types = layerTypes(t, L, 6);
  types[L - 1] = 'full_attention';
  const shared = sharedLayer(L, dim(t, 'num_kv_shared_layers', 0));
  const doubleWide = flag(t, 'use_double_wide_mlp', false);
  // A config saved by transformers 5 spells the overrides out as `per_layer_config` (layer index →
  // head_dim / num_key_value_heads); then global_head_dim is not read (configuration_gemma4.py:210).
  const perLayer = t.per_layer_config !== null && typeof t.per_layer_config === 'object' ? (t.per_layer_config as Record<string, ModelConfig>) : undefined;
  const override = (i: number): ModelConfig | undefined =>
    perLayer ? Object.entries(perLayer).find(([key]) => Number(key) === i)?.[1] : types[i] === 'full_attention' ? { head_dim: globalHd, num_key_value_heads: globalKv } : undefined;
  const parts: Part[] = [];
  for (let i = 0; i < L; i++) {
    const full = types[i] !== 'sliding_attention';
    const o = override(i) ?? {};
    const d = dim(o, 'head_dim', hd);
    const k = dim(o, 'num_key_value_heads', kv);
    parts.push(linear('q_proj', H, heads * d, bias, 1), linear('o_proj', heads * d, H, bias, 1), norm('q_norm', d, 1));
    if (!shared(i)) {
      parts.push(linear('k_proj', H, k * d, bias, 1), norm('k_norm', d, 1));
      if (!(kEqV && full)) parts.push(linear('v_proj', H, k * d, bias, 1));
    }
    const w = inter * (doubleWide && shared(i) ? 2 : 1);
    parts.push(linear('gate_proj', H, w, false, 1), linear('up_proj', H, w, false, 1), linear('down_proj', w, H, false, 1));
  }
  parts.push(norm('layer norms', H, 4 * L));
  if (flag(t, 'enable_moe_block', false)) {
    const E = dim(t, 'num_experts');
    const I = dim(t, 'moe_intermediate_size');
    parts.push(
      linear('router.proj', H, E, false, L),
      { kind: 'other', name: 'router.scale+per_expert_scale', params: H + E, count: L },
      { kind: 'other', name: 'experts', params: E * 3 * H * I, count: L, experts: { experts: E, active: dim(t, 'top_k_experts', 8) } },
      norm('moe norms', H, 3 * L)
    );
  }
  parts.push(...perLayerEmbeddings(t, H, L, dim(t, 'hidden_size_per_layer_input', 256)));
  parts.push(embedding('embed_tokens', vocab, H), norm('norm', H, 1));
  return { parts, hidden: H, vocab };
}

/**
 * Gemma 4's vision tower (Gemma4VisionModel:2048): a patch projection (3·p² → H, no bias) and a
 * 2 × position_embedding_size × H position table (:583-584); per layer q/k/v/o and a gated MLP
 * (Gemma4ClippableLinear wraps an nn.Linear without bias; its clip bounds are buffers), q and k
 * norms of head_dim (v_norm has no weight), four RMSNorms (:892-973). `standardize`'s std_bias
 * and std_scale are buffers. Then embed_vision (Gemma4MultimodalEmbedder:2116): one projection
 * into the text width, its norm without weight. Gemma4VisionConfig defaults.
 */
function gemma4Vision(v: ModelConfig, textHidden: number): Part[] {
  const H = dim(v, 'hidden_size', 768);
  const I = dim(v, 'intermediate_size', 3072);
  const L = dim(v, 'num_hidden_layers', 16);
  const heads = dim(v, 'num_attention_heads', 12);
  const kv = dim(v, 'num_key_value_heads', 12);
  const hd = dim(v, 'head_dim', 64);
  const patch = dim(v, 'patch_size', 16);
  return [
    linear('vision.patch_embedder.input_proj', 3 * patch * patch, H, false, 1),
    { kind: 'other', name: 'vision.position_embedding_table', params: 2 * dim(v, 'position_embedding_size', 10240) * H, count: 1 },
    linear('vision.q_proj', H, heads * hd, false, L),
    linear('vision.k_proj', H, kv * hd, false, L),
    linear('vision.v_proj', H, kv * hd, false, L),
    linear('vision.o_proj', heads * hd, H, false, L),
    norm('vision.q_norm+k_norm', hd, 2 * L),
    linear('vision.gate_proj', H, I, false, L),
    linear('vision.up_proj', H, I, false, L),
    linear('vision.down_proj', I, H, false, L),
    norm('vision.layer norms', H, 4 * L),
    linear('embed_vision.embedding_projection', H, textHidden, false, 1)
  ];
}

/**
 * Gemma 4's audio tower (Gemma4AudioModel:1956, a USM conformer): two Conv2d 3 × 3 blocks without
 * bias, each with a LayerNorm without bias (:353-395), an input projection; per layer two
 * feed-forward blocks (h → 4h → h, two RMSNorms each: :411-420), chunked attention (q, k, v,
 * post, relative_k_proj, per_dim_scale: :247-272), a light conv block (linear_start h → 2h, a
 * depthwise Conv1d without bias, linear_end, two RMSNorms: :480-496) and three RMSNorms
 * (:521-533); a biased output projection (:1981); embed_audio's projection into the text width.
 * Gemma4AudioConfig defaults (configuration_gemma4.py:16-75).
 */
function gemma4Audio(a: ModelConfig, textHidden: number): Part[] {
  const H = dim(a, 'hidden_size', 1024);
  const L = dim(a, 'num_hidden_layers', 12);
  const heads = dim(a, 'num_attention_heads', 8);
  const kernel = dim(a, 'conv_kernel_size', 5);
  const ch = Array.isArray(a.subsampling_conv_channels) ? (a.subsampling_conv_channels as number[]) : [128, 32];
  const out = dim(a, 'output_proj_dims', 1536);
  const hd = Math.floor(H / heads);
  return [
    { kind: 'other', name: 'audio.subsample convs', params: ch[0] * 9 + ch[1] * ch[0] * 9, count: 1 },
    norm('audio.subsample layer norms', ch[0] + ch[1], 1),
    linear('audio.input_proj_linear', Math.floor(ch[0] / 4) * ch[1], H, false, 1),
    linear('audio.ffw_layer_1', H, 4 * H, false, 2 * L),
    linear('audio.ffw_layer_2', 4 * H, H, false, 2 * L),
    norm('audio.feed_forward norms', H, 4 * L),
    linear('audio.q_proj', H, heads * hd, false, L),
    linear('audio.k_proj', H, heads * hd, false, L),
    linear('audio.v_proj', H, heads * hd, false, L),
    linear('audio.post', H, H, false, L),
    linear('audio.relative_k_proj', H, heads * hd, false, L),
    { kind: 'other', name: 'audio.per_dim_scale', params: hd, count: L },
    linear('audio.linear_start', H, 2 * H, false, L),
    linear('audio.linear_end', H, H, false, L),
    { kind: 'other', name: 'audio.depthwise_conv1d', params: H * kernel, count: L },
    norm('audio.layer norms', H, 5 * L),
    linear('audio.output_proj', H, out, true, 1),
    linear('embed_audio.embedding_projection', out, textHidden, false, 1)
  ];
}

/**
 * `gemma4_text` (Gemma4ForCausalLM) and `gemma4` (Gemma4ForConditionalGeneration: the text model,
 * its tied head, and the towers its config names — Gemma4Model:2224-2244 builds each only when
 * its sub-config is present).
 */
export function gemma4(c: ModelConfig, family: string, architecture: string): Part[] {
  const t = textConfig(c);
  const text = gemma4Text(t);
  const tied = c.tie_word_embeddings ?? t.tie_word_embeddings;
  const parts = [...text.parts, ...decoderHead({ ...c, tie_word_embeddings: tied }, family, architecture, text.hidden, text.vocab, true)];
  if (family === 'gemma4' && /ForConditionalGeneration$/.test(architecture)) {
    const isObject = (x: unknown): x is ModelConfig => x !== null && typeof x === 'object' && !Array.isArray(x);
    if (isObject(c.vision_config)) parts.push(...gemma4Vision(c.vision_config, text.hidden));
    if (isObject(c.audio_config)) parts.push(...gemma4Audio(c.audio_config, text.hidden));
  }
  return parts;
}
