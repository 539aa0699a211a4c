/**
 * The few dimensions activations and the KV cache depend on, read from any family's config
 * under its own names (hidden_size / n_embd / d_model, …).
 */
import { ModelConfig } from '../types';
import { numLabels } from '../params';
import { Attention, pricedAttention } from './recipe';

export interface Shape {
  hidden: number;
  intermediate: number;
  layers: number;
  vocab: number;
  /** Attention heads (query heads): eager attention keeps batch × heads × seq² scores. */
  heads: number;
  /** Width of K (= of V) per token per layer: kv heads × head dim. */
  kvWidth: number;
  /** Width of the queries per token per layer: heads × head dim (attention's FLOPs scale with it). */
  attentionWidth: number;
  /** Encoder-only models (BERT family) keep no KV cache when generating. */
  encoderOnly: boolean;
  /** The attention our cells load this family with, when the recipe names none (recipe.ts). */
  cellsAttention: Attention;
  /**
   * What each decoder layer attends with. Layers of full attention keep a KV cache that grows
   * with every token; sliding-window layers keep at most `slidingWindow` tokens of it; linear
   * attention layers (Gated DeltaNet) keep a fixed-size state instead, whatever the length.
   */
  layerKinds: { full: number; sliding: number; linear: number };
  slidingWindow: number;
  /**
   * Of the full and sliding layers, those that reuse an earlier layer's K/V and keep no cache of
   * their own (Gemma 3n / Gemma 4 `num_kv_shared_layers`: transformers gives them a "dummy" cache
   * layer, cache_utils.py:1979-1985).
   */
  kvShared: { full: number; sliding: number };
  /** Width of K (= of V) per token on full-attention layers: Gemma 4's are wider (global_head_dim). */
  kvWidthFull: number;
  /**
   * Per sequence, per linear-attention layer: the recurrent state (value heads × key head dim ×
   * value head dim, fp32) and the causal conv's last `kernel` inputs (conv_dim × kernel).
   */
  linearState: { recurrent: number; conv: number };
  /**
   * What the head writes, which the loss reads: `width` logits at every token, or once per
   * sequence. A language-model head writes the vocabulary at every token; a task head far less
   * (the architecture says which, as transformers builds it).
   */
  head: { width: number; perToken: boolean };
  /**
   * A decoder-only language model with its LM head: the cells train it with TRL's SFTTrainer,
   * whose fused head never builds the logits (recipe loss "fused"). Encoders (a masked-LM head)
   * and encoder–decoders train with transformers' Trainer and its full logits.
   */
  sftHead: boolean;
}

/**
 * Remote-code families the cells train with transformers' Trainer on the stack their repositories
 * state (codegen/remoteStack.ts: ChatGLM3, GLM-4, Baichuan2): their own forward computes the loss on
 * the full logits, as ChatGLM's upcast to fp32 (modeling_chatglm.py `lm_logits.to(torch.float32)`).
 */
const OWN_LOSS_FAMILIES = new Set(['chatglm', 'baichuan']);

/** Encoder–decoder families (the cells load them with AutoModelForSeq2SeqLM: codegen/plan.ts). */
const ENCODER_DECODER = new Set(['t5', 'mt5', 'umt5', 'bart', 'mbart', 'marian', 'pegasus', 'm2m_100', 'nllb-moe', 'led', 'longt5']);

/**
 * The head of the class `architectures[0]` names (transformers 5.24): token classification writes
 * num_labels per token (bert/modeling_bert.py BertForTokenClassification, `classifier`),
 * extractive QA a start and an end score per token (BertForQuestionAnswering, `qa_outputs`: 2),
 * sequence classification num_labels once per sequence (from the pooled first token).
 */
function headOf(c: ModelConfig, vocab: number): Shape['head'] {
  const architecture = String(c.architectures?.[0] ?? '');
  if (architecture.endsWith('ForTokenClassification')) return { width: numLabels(c), perToken: true };
  if (architecture.endsWith('ForQuestionAnswering')) return { width: 2, perToken: true };
  if (architecture.endsWith('ForSequenceClassification')) return { width: numLabels(c), perToken: false };
  return { width: vocab, perToken: true };
}

/**
 * The layer kinds a config declares (`layer_types`, transformers 5), else the ones its config
 * class fills in when it is left out: Gemma 2 and gpt-oss alternate sliding and full
 * (Gemma2Config / GptOssConfig `__post_init__`), Gemma 3 has one full layer in
 * `sliding_window_pattern` (6, Gemma3TextConfig), OLMo 3 one in four (Olmo3Config), Qwen3.5 and
 * Qwen3-Next one full-attention layer in `full_attention_interval` (4), the rest linear.
 */
function layerKinds(c: ModelConfig, family: string, layers: number): Shape['layerKinds'] & { types: string[] } {
  let types: string[];
  if (Array.isArray(c.layer_types) && c.layer_types.length === layers) {
    types = c.layer_types.map(String);
  } else {
    const every = (n: number, other: string) => Array.from({ length: layers }, (_, i) => ((i + 1) % n === 0 ? 'full_attention' : other));
    if (family === 'gemma2' || family === 'gpt_oss') types = every(2, 'sliding_attention');
    else if (family === 'gemma3n' || family === 'gemma3n_text') types = every(5, 'sliding_attention');
    else if (family === 'gemma4' || family === 'gemma4_text') types = every(6, 'sliding_attention');
    else if (family === 'gemma3' || family === 'gemma3_text') types = every(num(c, ['sliding_window_pattern']) ?? 6, 'sliding_attention');
    else if (family === 'olmo3') types = every(4, 'sliding_attention');
    else if (['qwen3_5', 'qwen3_5_text', 'qwen3_next'].includes(family)) types = every(num(c, ['full_attention_interval']) ?? 4, 'linear_attention');
    else types = Array.from({ length: layers }, () => 'full_attention');
  }
  // Gemma4TextConfig makes the last layer full attention whatever layer_types says (configuration_gemma4.py:195).
  if ((family === 'gemma4' || family === 'gemma4_text') && layers > 0) types[layers - 1] = 'full_attention';
  const sliding = types.filter(t => t === 'sliding_attention' || t === 'chunked_attention').length;
  const linear = types.filter(t => t === 'linear_attention').length;
  return { full: layers - sliding - linear, sliding, linear, types };
}

/**
 * The layers that keep no cache: Gemma 3n and Gemma 4's last `num_kv_shared_layers` reuse the K/V
 * of an earlier layer of their kind (configuration_gemma4.py:226 `kv_sharing_modes`, and
 * configuration_gemma3n.py:206; Gemma3nTextConfig's default is 15 of 35).
 */
function kvSharedLayers(c: ModelConfig, family: string, types: string[]): Shape['kvShared'] {
  const fallback = family === 'gemma3n' || family === 'gemma3n_text' ? 15 : 0;
  const n = Math.min(types.length, typeof c.num_kv_shared_layers === 'number' ? c.num_kv_shared_layers : fallback);
  const shared = types.slice(types.length - n);
  const sliding = shared.filter(t => t === 'sliding_attention' || t === 'chunked_attention').length;
  return { full: shared.filter(t => t === 'full_attention').length, sliding };
}

/**
 * K's width on full-attention layers: Gemma 4 gives them `global_head_dim` (512) and, with
 * `attention_k_eq_v`, `num_global_key_value_heads` (configuration_gemma4.py:208-221), or a saved
 * `per_layer_config` says so per layer (params/families/gemma4.ts counts with the same rule).
 */
function fullLayerKvWidth(c: ModelConfig, family: string, kvHeads: number, headDim: number, types: string[]): number {
  if (family !== 'gemma4' && family !== 'gemma4_text') return kvHeads * headDim;
  const per = c.per_layer_config;
  if (per !== null && typeof per === 'object' && !Array.isArray(per)) {
    const i = types.indexOf('full_attention');
    const o = Object.entries(per as Record<string, ModelConfig>).find(([k]) => Number(k) === i)?.[1] ?? {};
    return (num(o, ['num_key_value_heads']) ?? kvHeads) * (num(o, ['head_dim']) ?? headDim);
  }
  const globalKv = c.attention_k_eq_v === true ? num(c, ['num_global_key_value_heads']) ?? kvHeads : kvHeads;
  return globalKv * (num(c, ['global_head_dim']) ?? 512);
}

function num(c: ModelConfig, names: string[]): number | undefined {
  for (const n of names) {
    const v = c[n];
    if (typeof v === 'number' && v > 0) return v;
  }
  return undefined;
}

/**
 * Text-config defaults a published vision-language config leans on: gemma-3-4b-it's text_config
 * gives neither heads, KV heads, head_dim nor vocab_size (Gemma3TextConfig, configuration_gemma3.py,
 * and params/families/current.ts count with the same values).
 */
const TEXT_CONFIG_DEFAULTS: Readonly<Record<string, ModelConfig>> = {
  gemma3: { num_attention_heads: 8, num_key_value_heads: 4, head_dim: 256, vocab_size: 262208 }
};

export function modelShape(config: ModelConfig): Shape {
  // A vision-language config (Gemma 3, Qwen3.5) keeps its decoder's sizes in `text_config`:
  // activations, logits and the KV cache are the text model's.
  const text = config.text_config;
  const c: ModelConfig =
    text !== null && typeof text === 'object' && !Array.isArray(text)
      ? { ...config, ...(TEXT_CONFIG_DEFAULTS[String(config.model_type)] ?? {}), ...(text as ModelConfig), model_type: config.model_type }
      : config;
  const hidden = num(c, ['hidden_size', 'n_embd', 'n_embed', 'd_model']) ?? 0;
  const heads = num(c, ['num_attention_heads', 'n_head', 'num_heads']) ?? 1;
  const headDim = num(c, ['head_dim', 'kv_channels', 'd_kv']) ?? hidden / heads;
  const kvHeads = c.multi_query_attention === true ? num(c, ['multi_query_group_num']) ?? heads : num(c, ['num_key_value_heads']) ?? heads;
  const family = String(c.model_type ?? '');
  const vocab = num(c, ['padded_vocab_size', 'vocab_size']) ?? 0;
  const layers = (num(c, ['num_hidden_layers', 'num_layers', 'n_layer', 'encoder_layers']) ?? 0) + (num(c, ['num_decoder_layers', 'decoder_layers']) ?? 0);
  const kinds = layerKinds(c, family, layers);
  const keyDim = (num(c, ['linear_num_key_heads']) ?? 16) * (num(c, ['linear_key_head_dim']) ?? 128);
  const valueHeads = num(c, ['linear_num_value_heads']) ?? 32;
  const valueDim = valueHeads * (num(c, ['linear_value_head_dim']) ?? 128);
  return {
    hidden,
    // SwiGLU families name the width of one branch; ChatGLM's ffn_hidden_size likewise; GPT-2/BLOOM use 4h.
    intermediate: num(c, ['intermediate_size', 'ffn_hidden_size', 'd_ff', 'n_inner', 'encoder_ffn_dim']) ?? 4 * hidden,
    layers,
    vocab,
    heads,
    kvWidth: kvHeads * headDim,
    attentionWidth: heads * headDim,
    encoderOnly: ['bert', 'roberta', 'xlm-roberta'].includes(family),
    cellsAttention: pricedAttention({ config: c }),
    layerKinds: { full: kinds.full, sliding: kinds.sliding, linear: kinds.linear },
    slidingWindow: num(c, ['sliding_window']) ?? 0,
    kvShared: kvSharedLayers(c, family, kinds.types),
    kvWidthFull: fullLayerKvWidth(c, family, kvHeads, headDim, kinds.types),
    linearState: {
      recurrent: kinds.linear > 0 ? valueHeads * (num(c, ['linear_key_head_dim']) ?? 128) * (num(c, ['linear_value_head_dim']) ?? 128) : 0,
      conv: kinds.linear > 0 ? (2 * keyDim + valueDim) * (num(c, ['linear_conv_kernel_dim']) ?? 4) : 0
    },
    head: headOf(c, vocab),
    sftHead: !['bert', 'roberta', 'xlm-roberta'].includes(family) && !OWN_LOSS_FAMILIES.has(family) && c.is_encoder_decoder !== true && !ENCODER_DECODER.has(family) && headOf(c, vocab).width === vocab && headOf(c, vocab).perToken
  };
}
