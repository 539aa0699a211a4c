/**
 * The user's own recipe: the choices a training script or a serving setup makes that change
 * memory (optimizer aside, which `EstimateSettings.optimizer` already names). Every field is
 * optional in the settings; what is missing is what our generated cells do (`DEFAULT_RECIPE`),
 * so an estimate without a recipe prices exactly our cells.
 */
import { ModelConfig } from '../types';
import { ParamCount } from '../params';

/** `attn_implementation`: "eager" builds the batch × heads × seq² scores; sdpa and flash never do. */
export type Attention = 'eager' | 'sdpa' | 'flash';
export const ATTENTIONS: readonly Attention[] = ['eager', 'sdpa', 'flash'];

/**
 * "fused": TRL's SFTTrainer head, which tiles the projection and never builds the logits (what
 * our cells train with); "standard": transformers' loss on the full logits (a plain Trainer,
 * other stacks); "chunked": a fused linear + cross-entropy (Liger, Unsloth).
 */
export type Loss = 'fused' | 'standard' | 'chunked';
export const LOSSES: readonly Loss[] = ['fused', 'standard', 'chunked'];

/** Full fine-tuning: "amp" keeps fp32 master weights under autocast; "pure-bf16" holds everything in bf16. */
export type Precision = 'amp' | 'pure-bf16';
export const PRECISIONS: readonly Precision[] = ['amp', 'pure-bf16'];

/** A base published already quantized (its config.json carries a `quantization_config`). */
export type PreQuantized = 'gptq-int4' | 'awq-int4' | 'fp8';
export const PRE_QUANTIZED: readonly PreQuantized[] = ['gptq-int4', 'awq-int4', 'fp8'];

export type KvCacheDtype = 'fp16' | 'bf16' | 'fp8';
export const KV_CACHE_DTYPES: readonly KvCacheDtype[] = ['fp16', 'bf16', 'fp8'];

/** Which Linear layers LoRA adapts: every one but the head, the attention projections, or named modules. */
export type LoraTargets = 'all-linear' | 'attention' | readonly string[];

export interface Recipe {
  loraTargets: LoraTargets;
  /** `peft.prepare_model_for_kbit_training` was called (embeddings, head, norms upcast to fp32). */
  kbitPrep: boolean;
  attention: Attention;
  loss: Loss;
  precision: Precision;
  /** null: the base is loaded as the method and dtype say (bitsandbytes or 16-bit). */
  weights: PreQuantized | null;
  /** GPTQ/AWQ group size (`quantization_config.group_size`); 128 is both libraries' default. */
  weightsGroupSize: number;
  /** null: the KV cache is kept in the compute dtype. */
  kvCacheDtype: KvCacheDtype | null;
  /** The runtime's transformers version ("4.44.2"); null: a current one (≥ 4.45). */
  transformers: string | null;
}

/** What our cells do (python_snippets/load.py, lora.py, train_sft.py). */
export const DEFAULT_RECIPE: Readonly<Recipe> = Object.freeze({
  loraTargets: 'all-linear',
  kbitPrep: false,
  attention: 'sdpa',
  // TRL ≥ 1.16 SFTTrainer.__init__ adds its fused LM head (trl/trainer/sft_trainer.py:1144).
  loss: 'fused',
  precision: 'amp',
  weights: null,
  weightsGroupSize: 128,
  kvCacheDtype: null,
  transformers: null
});

/**
 * Attention implementations, read in transformers 5.24: classes with `_supports_sdpa = True`
 * (models/<family>/modeling_<family>.py) take "sdpa"; PreTrainedModel's default is
 * `_supports_sdpa: bool = False` (modeling_utils.py:1125) and `_check_and_adjust_attn_impl` raises
 * for an explicit "sdpa" on such a class (modeling_utils.py:1665) — Gemma-2 (softcapping,
 * gemma2/modeling_gemma2.py:353), BLOOM (no attribute) and gpt-oss (its per-head attention
 * sinks, gpt_oss/modeling_gpt_oss.py:380) get "eager".
 */
export const SDPA_FAMILIES: readonly string[] = [
  'llama', 'mistral', 'mixtral', 'qwen2', 'qwen2_moe', 'qwen3', 'gemma', 'phi3', 'gpt2', 'bert', 't5', 'mt5', 'marian', 'xlm-roberta',
  'gemma3', 'gemma3_text', 'qwen3_5', 'qwen3_5_text', 'qwen3_next', 'olmo3', 'smollm3', 'glm4_moe',
  // Gemma3nPreTrainedModel, Gemma4PreTrainedModel, Ministral3PreTrainedModel, Mistral3PreTrainedModel and
  // PixtralPreTrainedModel set `_supports_sdpa = True` (gemma3n/modeling_gemma3n.py:1332,
  // gemma4/modeling_gemma4.py:1447, ministral3/modeling_ministral3.py:264, mistral3/modeling_mistral3.py:168,
  // pixtral/modeling_pixtral.py:351); a gemma4 config with an audio tower: see cellsAttention.
  'gemma3n', 'gemma3n_text', 'gemma4', 'gemma4_text', 'ministral3', 'mistral3'
];
export const EAGER_FAMILIES: readonly string[] = ['gemma2', 'bloom', 'gpt_oss'];

/**
 * The attention the cells load a model with, and why when they name none: its own code decides
 * (remote code), or a family we have not read (transformers then picks). The estimate prices
 * the same choice (`pricedAttention`).
 */
export interface CellsAttention {
  impl: Attention | null;
  why: 'no_sdpa' | 'remote' | 'unknown' | 'per_part' | null;
}

export function cellsAttention(model: { trust_remote_code?: boolean; config: { model_type?: unknown; audio_config?: unknown } }): CellsAttention {
  const type = String(model.config.model_type ?? '');
  if (model.trust_remote_code) return { impl: null, why: 'remote' };
  // Gemma 4's audio tower (the E-sizes) refuses sdpa (Gemma4AudioModel `_supports_sdpa = False`,
  // gemma4/modeling_gemma4.py:1964): an explicit "sdpa" makes from_pretrained raise, while naming
  // none lets transformers give each part its own (sdpa for the text model and the vision tower,
  // eager for the audio tower) — checked on a tiny Gemma4ForConditionalGeneration.
  const audio = model.config.audio_config;
  if (type === 'gemma4' && audio !== null && typeof audio === 'object') return { impl: null, why: 'per_part' };
  if (EAGER_FAMILIES.includes(type)) return { impl: 'eager', why: 'no_sdpa' };
  if (SDPA_FAMILIES.includes(type)) return { impl: 'sdpa', why: null };
  return { impl: null, why: 'unknown' };
}

/** The attention the estimate prices for a model: the cells' choice; where they leave it to the library, sdpa (transformers' default where a class supports it). */
export function pricedAttention(model: { trust_remote_code?: boolean; config: { model_type?: unknown; audio_config?: unknown } }): Attention {
  return cellsAttention(model).impl ?? 'sdpa';
}

export function recipeOf(partial: Partial<Recipe> | undefined): Recipe {
  return { ...DEFAULT_RECIPE, ...(partial ?? {}) };
}

/**
 * The pre-quantized format a published config declares. transformers reads
 * `quantization_config.quant_method` ("gptq", "awq", "fp8", "fbgemm_fp8") to pick its
 * quantizer (quantizers/auto.py, AUTO_QUANTIZATION_CONFIG_MAPPING); bitsandbytes configs
 * ("bitsandbytes") are loaded 4- or 8-bit on the fly and priced by the method instead.
 */
export function preQuantizedFromConfig(config: ModelConfig): { weights: PreQuantized; groupSize: number } | null {
  const q = config.quantization_config;
  if (q === null || typeof q !== 'object') return null;
  const qc = q as Record<string, unknown>;
  const method = String(qc.quant_method ?? '').toLowerCase();
  const group = typeof qc.group_size === 'number' && qc.group_size > 0 ? qc.group_size : 128;
  const bits = typeof qc.bits === 'number' ? qc.bits : typeof qc.w_bit === 'number' ? qc.w_bit : 4;
  if (method === 'gptq' && bits === 4) return { weights: 'gptq-int4', groupSize: group };
  if (method === 'awq' && bits === 4) return { weights: 'awq-int4', groupSize: group };
  if (method === 'fp8' || method === 'fbgemm_fp8') return { weights: 'fp8', groupSize: group };
  return null;
}

/**
 * Module names that are attention projections in the families we count (params/families):
 * Llama-style q/k/v/o_proj, fused qkv_proj / W_pack / wqkv / query_key_value, GPT-2's c_attn and
 * attn.c_proj, BERT's query/key/value, T5's SelfAttention.q…, BLOOM/ChatGLM/Phi's `dense`.
 */
const ATTENTION_NAMES = new Set(['q_proj', 'k_proj', 'v_proj', 'o_proj', 'qkv_proj', 'W_pack', 'wqkv', 'query_key_value', 'c_attn', 'query', 'key', 'value', 'dense', 'out_proj', 'q', 'k', 'v', 'o']);
function isAttention(name: string): boolean {
  const last = name.split('.').pop() as string;
  return (ATTENTION_NAMES.has(last) && !/^(mlp|intermediate|output|pooler|classifier|mlm)\./.test(name)) || /(^|\.)(attn|self_attn|attention|SelfAttention|EncDecAttention|encoder_attn)\./.test(name);
}

/**
 * peft matches a `target_modules` string against the end of a module's dotted name
 * (tuners_utils.py `check_target_module_exists`: `key == t or key.endswith("." + t)`).
 */
function matches(name: string, target: string): boolean {
  return name === target || name.endsWith('.' + target) || target.endsWith('.' + name);
}

/** The Linear layers LoRA adapts under these targets (never the output head). */
export function targetedLayers(count: ParamCount, targets: LoraTargets): ParamCount['linear_layers'] {
  if (targets === 'all-linear') return count.linear_layers;
  if (targets === 'attention') return count.linear_layers.filter(l => isAttention(l.name));
  return count.linear_layers.filter(l => targets.some(t => matches(l.name, t)));
}

/** "q_proj,v_proj" → ["q_proj", "v_proj"]; the two words stay words. */
export function parseLoraTargets(text: string): LoraTargets {
  const t = text.trim();
  if (t === 'all-linear' || t === 'attention') return t;
  return t.split(',').map(s => s.trim()).filter(s => s !== '');
}

/** "4.44.2" → true when that transformers keeps only the last position's logits in generate. */
export function keepsLastLogitsOnly(version: string | null): boolean {
  if (version === null) return true;
  const m = /^(\d+)\.(\d+)/.exec(version.trim());
  if (!m) return true;
  const [major, minor] = [Number(m[1]), Number(m[2])];
  // `num_logits_to_keep` arrived in transformers 4.45.0 (generate passes 1 during prefill);
  // before it, the prefill forward computed — and upcast — logits for every prompt position.
  return major > 4 || (major === 4 && minor >= 45);
}

/**
 * Why a recipe cannot be priced for this method and model, or null. A user's words, so the
 * shells show them as they are.
 */
export function recipeProblem(method: string, recipe: Recipe, count: ParamCount): string | null {
  if (recipe.weights !== null && method === 'full') {
    return `a ${recipe.weights} base cannot be fully fine-tuned (its weights are frozen integers): use LoRA on it, or a 16-bit base`;
  }
  if (recipe.weights !== null && method === 'qlora') {
    return `a ${recipe.weights} base is already quantized: use --method lora for adapters on it (QLoRA quantizes a 16-bit base with bitsandbytes)`;
  }
  if ((method === 'lora' || method === 'qlora') && Array.isArray(recipe.loraTargets)) {
    const targets = recipe.loraTargets as readonly string[];
    const unknown = targets.filter(t => !count.linear_layers.some(l => matches(l.name, t)));
    if (targets.length === 0 || unknown.length > 0) {
      const names = [...new Set(count.linear_layers.map(l => l.name.split('.').pop() as string))].join(', ');
      return `no Linear layer named ${unknown.length ? unknown.join(', ') : '(none given)'} in this model; its Linear layers are: ${names}`;
    }
  }
  return null;
}

/**
 * Families whose activations pass float16's largest number (65,504), so fp16 training gives an
 * inf and then a nan loss; on a GPU without bfloat16 they compute in float32 instead.
 * - T5, mT5, umT5: Google trained them in bfloat16 ("All of our experiments use bfloat16
 *   activations", google-research/text-to-text-transfer-transformer#539); fp16 fine-tuning gives
 *   nan (transformers#10819, #11735). transformers' fp16 clamps only act on a float16 hidden state
 *   (mt5/modeling_mt5.py:481-521); under autocast the residual stream stays fp32, so they never
 *   fire while the fp16 matmuls overflow.
 * - Gemma-3 (gemma3, gemma3_text): "Gemma 3 is broken with fp16" (transformers#36822), NaN in fp16
 *   inference of Gemma3-4B-it (transformers#39972);
 *   activations reach ~800k (unsloth.ai/blog/gemma3, "Gemma 3 training fixes"), and Unsloth
 *   forces float32 on fp16-only GPUs for it (FORCE_FLOAT32 in unsloth/models/loader.py).
 * - Gemma-2 is not on this list: its attention and final logits are soft-capped
 *   (gemma2/modeling_gemma2.py:237, :520), no fp16 overflow
 *   is reported for it where Gemma-3's is, and Unsloth's float32 list — which names every Gemma after
 *   it (gemma3, gemma3n, later gemma4) — never did. It keeps fp16 on a T4; the training cell's
 *   non-finite-loss guard names the way out if it overflows.
 */
export const FP16_OVERFLOW_TYPES: ReadonlySet<string> = new Set([
  't5', 'mt5', 'umt5', 'gemma3', 'gemma3_text',
  // Gemma 3n and Gemma 4 share Gemma 3's unclamped residual stream and scaled embeddings (their
  // decoder layers are Gemma 3's plus per-layer inputs), and Unsloth's float32 list names both
  // (FORCE_FLOAT32 in unsloth/models/loader.py): float32 on a GPU without bfloat16 as for Gemma 3.
  'gemma3n', 'gemma3n_text', 'gemma4', 'gemma4_text'
]);

export function overflowsFp16(config: ModelConfig): boolean {
  return FP16_OVERFLOW_TYPES.has(String(config.model_type ?? ''));
}
