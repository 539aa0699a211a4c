/**
 * The arithmetic of one step, from the model's exact parameter counts (src/core/params) and the
 * recipe — no rule of thumb beyond the matrix products themselves:
 * - a Linear layer of n weights costs 2n FLOPs per token forward (one multiply-add per weight);
 *   backward costs 2n for the gradient of its input and 2n for the gradient of its weight
 *   (Kaplan et al. 2020, arXiv 2001.08361 §2.1: C ≈ 6N per token for training);
 * - a frozen base (LoRA, QLoRA) skips the weight gradients: 2n + 2n, while the adapters A (r × in)
 *   and B (out × r) pay the full 6 per weight;
 * - gradient checkpointing runs every decoder layer's forward again during backward
 *   (torch.utils.checkpoint), +2n — except the layer's last product: non-reentrant checkpointing
 *   stops recomputing once every tensor backward needs is back (`set_checkpoint_early_stop`,
 *   on by default), and the MLP's output projection saves its input, not its output (unless a
 *   LoRA adapter sits on it); the head
 *   and the loss are not inside a checkpointed layer;
 * - attention's own products, QKᵀ and (softmax)V, cost 4 × seq × width per token per layer
 *   forward; causal kernels (FlashAttention 2, SDPA's flash and memory-efficient backends with
 *   is_causal) skip the masked half, eager attention computes it all. FlashAttention 2's
 *   backward recomputes the scores: 2.5× its forward (Dao 2023, arXiv 2307.08691 §3.1); a plain
 *   backward is 2×;
 * - the head (hidden × vocab) runs for every token in training, and at inference for the last
 *   position only when transformers keeps only the last logits (≥ 4.45).
 * Embedding lookups, norms, activations and the softmax are memory traffic, not FLOPs: rates.ts
 * prices them as the share of the peak a step does not reach.
 */
import { ParamCount } from '../params';
import { EstimateSettings, keepsLastLogitsOnly, Recipe, Shape, targetedLayers } from '../memory';

export interface StepFlops {
  /** Matrix-product FLOPs of the decoder layers (forward, backward, recomputation). */
  layers: number;
  /** The output head and its gradient. */
  head: number;
  /** Attention's QKᵀ and softmax·V, forward and backward. */
  attention: number;
  /** The LoRA adapters. */
  adapters: number;
  total: number;
}

/** Weights a token meets in the decoder layers' matrix products: every Linear, the active MoE experts, routers. */
export function layerMatmulParams(count: ParamCount): number {
  // sumParts counts `active_total` = total − experts + the experts one token uses.
  const experts = count.moe ? count.moe.experts : 0;
  const activeExperts = count.moe ? count.moe.active_total - (count.total - experts) : 0;
  return count.linear + activeExperts + (count.other - experts);
}

/**
 * The weights of each layer's last product (the MLP's down/output projection, last in the
 * family's list of Linear layers), which recomputation skips; 0 for MoE layers, whose experts
 * are not Linear layers of their own.
 */
function lastProductParams(count: ParamCount, shape: Shape, s: EstimateSettings, recipe: Recipe): number {
  if (count.moe) return 0;
  const perLayer = count.linear_layers.filter(l => l.count === shape.layers);
  const last = perLayer[perLayer.length - 1];
  if (!last) return 0;
  // With an adapter on it, its LoRA A runs after the frozen product and B needs A's output back:
  // the recomputation reaches past the frozen product, which is recomputed after all.
  const adapted = (s.method === 'lora' || s.method === 'qlora') && targetedLayers(count, recipe.loraTargets).some(l => l.name === last.name);
  return adapted ? 0 : last.in_features * last.out_features * last.count;
}

/** The head's weights as a matrix product: its own, or the embedding table it is tied to. */
export function headMatmulParams(count: ParamCount, shape: Shape): number {
  if (count.lm_head > 0) return count.lm_head;
  return count.tied ? shape.vocab * shape.hidden : 0;
}

/** Forward FLOPs of attention's two products for one token that attends to `context` positions, all layers. */
function attentionForward(shape: Shape, context: number): number {
  return 4 * shape.layers * shape.attentionWidth * context;
}

/** The average number of positions a token attends to in a sequence of `seq`, under this attention. */
function attended(seq: number, recipe: Recipe, encoderOnly: boolean): number {
  if (encoderOnly || recipe.attention === 'eager') return seq;
  return (seq + 1) / 2;
}

/** FLOPs per training token at these settings (one micro-batch's tokens each cost this). */
export function trainingFlopsPerToken(count: ParamCount, shape: Shape, s: EstimateSettings, recipe: Recipe): StepFlops {
  const n = layerMatmulParams(count);
  const h = headMatmulParams(count, shape);
  const full = s.method === 'full';
  const recompute = s.gradientCheckpointing ? 1 : 0;
  // forward 2, input gradient 2, weight gradient 2 (full only), recomputation 2.
  const layers = n * (2 + 2 + (full ? 2 : 0)) + 2 * recompute * (n - lastProductParams(count, shape, s, recipe));
  const head = h * (2 + 2 + (full ? 2 : 0));
  const fwd = attentionForward(shape, attended(s.seqLen, recipe, shape.encoderOnly));
  const backward = recipe.attention === 'eager' ? 2 : 2.5;
  const attention = fwd * (1 + backward + recompute);
  let adapters = 0;
  if (s.method === 'lora' || s.method === 'qlora') {
    const a = targetedLayers(count, recipe.loraTargets).reduce((sum, l) => sum + s.loraR * (l.in_features + l.out_features) * l.count, 0);
    adapters = a * (6 + 2 * recompute);
  }
  return { layers, head, attention, adapters, total: layers + head + attention + adapters };
}

/** FLOPs of the prefill per prompt token (no gradients): the layers, attention over the prompt, and the head where it runs. */
export function prefillFlopsPerToken(count: ParamCount, shape: Shape, promptLen: number, recipe: Recipe): number {
  const head = headMatmulParams(count, shape);
  const headPerToken = keepsLastLogitsOnly(recipe.transformers) ? (2 * head) / Math.max(1, promptLen) : 2 * head;
  return 2 * layerMatmulParams(count) + headPerToken + attentionForward(shape, attended(promptLen, recipe, shape.encoderOnly));
}

/** FLOPs of one generated token with `context` positions in the KV cache. */
export function decodeFlopsPerToken(count: ParamCount, shape: Shape, context: number): number {
  return 2 * layerMatmulParams(count) + 2 * headMatmulParams(count, shape) + attentionForward(shape, context);
}
