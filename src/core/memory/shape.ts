/**
 * The few dimensions activations and the KV cache depend on, read from any family's config
 * under its own names (hidden_size / n_embd / d_model, …).
 */
import { ModelConfig } from '../types';
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
  /** Encoder-only models (BERT family) keep no KV cache when generating. */
  encoderOnly: boolean;
  /** The attention our cells load this family with, when the recipe names none (recipe.ts). */
  cellsAttention: Attention;
}

function num(c: ModelConfig, names: string[]): number | undefined {
  for (const n of names) {
    const v = c[n];
    if (typeof v === 'number' && v > 0) return v;
  }
  return undefined;
}

export function modelShape(config: ModelConfig): Shape {
  // A vision-language config (Gemma 3, Qwen3.5) keeps its decoder's sizes in `text_config`:
  // activations, logits and the KV cache are the text model's.
  const text = config.text_config;
  const c: ModelConfig = text !== null && typeof text === 'object' && !Array.isArray(text) ? { ...config, ...(text as ModelConfig), model_type: config.model_type } : config;
  const hidden = num(c, ['hidden_size', 'n_embd', 'n_embed', 'd_model']) ?? 0;
  const heads = num(c, ['num_attention_heads', 'n_head', 'num_heads']) ?? 1;
  const headDim = num(c, ['head_dim', 'kv_channels', 'd_kv']) ?? hidden / heads;
  const kvHeads = c.multi_query_attention === true ? num(c, ['multi_query_group_num']) ?? heads : num(c, ['num_key_value_heads']) ?? heads;
  const family = String(c.model_type ?? '');
  return {
    hidden,
    // SwiGLU families name the width of one branch; ChatGLM's ffn_hidden_size likewise; GPT-2/BLOOM use 4h.
    intermediate: num(c, ['intermediate_size', 'ffn_hidden_size', 'd_ff', 'n_inner', 'encoder_ffn_dim']) ?? 4 * hidden,
    layers: (num(c, ['num_hidden_layers', 'num_layers', 'n_layer', 'encoder_layers']) ?? 0) + (num(c, ['num_decoder_layers', 'decoder_layers']) ?? 0),
    vocab: num(c, ['padded_vocab_size', 'vocab_size']) ?? 0,
    heads,
    kvWidth: kvHeads * headDim,
    encoderOnly: ['bert', 'roberta', 'xlm-roberta'].includes(family),
    cellsAttention: pricedAttention({ config: c })
  };
}
