/**
 * Ministral 3 (transformers 5.24 models/ministral3, models/mistral3, models/pixtral). The
 * published checkpoints are `mistral3` (Mistral3ForConditionalGeneration): a Pixtral vision
 * encoder, a projector and a `ministral3` text model. transformers has no causal-LM class for a
 * mistral3 config (MODEL_FOR_CAUSAL_LM_MAPPING_NAMES lists ministral3 only), so the cells load it
 * with AutoModelForImageTextToText (MODEL_FOR_IMAGE_TEXT_TO_TEXT_MAPPING_NAMES "mistral3"): the
 * vision encoder is loaded, and counted, with the text model.
 */
import { ModelConfig } from '../../types';
import { dim, embedding, flag, linear, norm, Part } from '../parts';
import { decoderHead } from './heads';
import { textConfig } from './current';

/**
 * The text model (ministral3/modeling_ministral3.py Ministral3Attention:111-126, Ministral3MLP:178-186,
 * decoder layer :221-222, Ministral3Model:322-332): Llama's layout without biases, head_dim from the
 * config (Ministral3Config defaults: configuration_ministral3.py:73-91, untied head).
 */
function ministral3Text(t: ModelConfig): { parts: Part[]; hidden: number; vocab: number } {
  const H = dim(t, 'hidden_size', 4096);
  const L = dim(t, 'num_hidden_layers', 34);
  const heads = dim(t, 'num_attention_heads', 32);
  const kv = dim(t, 'num_key_value_heads', 8);
  const hd = typeof t.head_dim === 'number' && t.head_dim > 0 ? t.head_dim : Math.floor(H / heads);
  const I = dim(t, 'intermediate_size', 14336);
  const vocab = dim(t, 'vocab_size', 131072);
  return {
    hidden: H,
    vocab,
    parts: [
      linear('q_proj', H, heads * hd, false, L),
      linear('k_proj', H, kv * hd, false, L),
      linear('v_proj', H, kv * hd, false, L),
      linear('o_proj', heads * hd, H, false, L),
      linear('gate_proj', H, I, false, L),
      linear('up_proj', H, I, false, L),
      linear('down_proj', I, H, false, L),
      norm('input_layernorm+post_attention_layernorm', H, 2 * L),
      embedding('embed_tokens', vocab, H),
      norm('norm', H, 1)
    ]
  };
}

/**
 * Pixtral's encoder (pixtral/modeling_pixtral.py PixtralVisionModel:378-392: a Conv2d patch
 * embedding without bias, ln_pre; per layer q/k/v/o of H × H without bias (:175-178), a gated MLP
 * (:230-232), attention_norm and ffn_norm (:264-267)) and Mistral3MultiModalProjector
 * (mistral3/modeling_mistral3.py:108-125: an RMSNorm, the patch merger's merging_layer of
 * H·m² → H (:82), linear_1 vision × feature layers → text and linear_2 text → text, biased when
 * `multimodal_projector_bias`). PixtralVisionConfig defaults (configuration_pixtral.py:43-53).
 */
function pixtralWithProjector(c: ModelConfig, textHidden: number): Part[] {
  const v = (c.vision_config ?? {}) as ModelConfig;
  const H = dim(v, 'hidden_size', 1024);
  const I = dim(v, 'intermediate_size', 4096);
  const L = dim(v, 'num_hidden_layers', 24);
  const patch = dim(v, 'patch_size', 16);
  const channels = dim(v, 'num_channels', 3);
  const merge = dim(c, 'spatial_merge_size', 2);
  const featureLayers = Array.isArray(c.vision_feature_layer) ? c.vision_feature_layer.length : 1;
  const projBias = flag(c, 'multimodal_projector_bias', false);
  return [
    { kind: 'other', name: 'vision.patch_conv', params: channels * patch * patch * H, count: 1 },
    norm('vision.ln_pre', H, 1),
    linear('vision.q_proj', H, H, false, L),
    linear('vision.k_proj', H, H, false, L),
    linear('vision.v_proj', H, H, false, L),
    linear('vision.o_proj', H, H, false, L),
    linear('vision.gate_proj', H, I, false, L),
    linear('vision.up_proj', H, I, false, L),
    linear('vision.down_proj', I, H, false, L),
    norm('vision.attention_norm+ffn_norm', H, 2 * L),
    norm('projector.norm', H, 1),
    linear('projector.patch_merger.merging_layer', H * merge * merge, H, false, 1),
    linear('projector.linear_1', H * featureLayers, textHidden, projBias, 1),
    linear('projector.linear_2', textHidden, textHidden, projBias, 1)
  ];
}

/** `ministral3` (Ministral3ForCausalLM) and `mistral3` (Mistral3ForConditionalGeneration, its head tied only if the config says so). */
export function ministral3(c: ModelConfig, family: string, architecture: string): Part[] {
  const t = textConfig(c);
  const text = ministral3Text(t);
  // Mistral3Config's tie_word_embeddings defaults to True (configuration_mistral3.py:98) but the
  // published Ministral 3 configs give their own value; the text class's default is False.
  const tied = family === 'mistral3' ? c.tie_word_embeddings ?? true : t.tie_word_embeddings;
  const parts = [...text.parts, ...decoderHead({ ...c, tie_word_embeddings: tied }, family, architecture, text.hidden, text.vocab, false)];
  if (family === 'mistral3' && /ForConditionalGeneration$/.test(architecture)) parts.push(...pixtralWithProjector(c, text.hidden));
  return parts;
}
