/**
 * A model as a list of parts, and the sum that turns parts into a `ParamCount`. Each family
 * (families/*.ts) only says which parts its class builds; this file does the arithmetic once.
 */
import { ModelConfig } from '../types';

/** An `nn.Linear` (or GPT-2's `Conv1D`): the layers bitsandbytes quantizes and LoRA targets. */
export interface LinearPart {
  kind: 'linear';
  name: string;
  in_features: number;
  out_features: number;
  bias: boolean;
  count: number;
}
/** A token/position embedding table (`nn.Embedding`). */
export interface EmbeddingPart {
  kind: 'embedding';
  name: string;
  rows: number;
  dim: number;
  count: number;
}
/** Norm weights (and LayerNorm biases): `size` parameters each. */
export interface NormPart {
  kind: 'norm';
  name: string;
  size: number;
  count: number;
}
/**
 * The output projection to the vocabulary (or the task head's last layer). bitsandbytes keeps
 * it unquantized (`get_keys_to_not_convert`: output embeddings, tied and last modules) and
 * LoRA's "all-linear" skips it. A tied head shares the embedding's tensor: no parameters.
 */
export interface HeadPart {
  kind: 'head';
  name: string;
  in_features: number;
  out_features: number;
  bias: boolean;
  tied: boolean;
}
/**
 * Parameters that are neither Linear nor embedding nor norm: MoE experts stored as 3-D
 * tensors (transformers 5 `MixtralExperts.gate_up_proj`), routers, T5's relative bias table.
 * bitsandbytes only replaces `type(module) is nn.Linear` (integrations/bitsandbytes.py,
 * `replace_with_bnb_linear`), so these stay in the compute dtype under 4-bit loading.
 */
export interface OtherPart {
  kind: 'other';
  name: string;
  params: number;
  count: number;
  /** MoE expert weights: only `active` of `experts` run per token. */
  experts?: { experts: number; active: number };
}

export type Part = LinearPart | EmbeddingPart | NormPart | HeadPart | OtherPart;

export interface ParamCount {
  family: string;
  architecture: string;
  /** Every parameter of the class in `architectures[0]`, tied tensors once (= `sum(p.numel() for p in model.parameters())`). */
  total: number;
  embedding: number;
  /** The output head's own weight and bias; 0 when tied to the embedding. */
  lm_head: number;
  norms_and_biases: number;
  /** Weights of the Linear layers bitsandbytes quantizes (all Linear except the head). */
  linear: number;
  /** Everything else (MoE experts as 3-D tensors, routers, relative-position tables). */
  other: number;
  tied: boolean;
  moe?: { experts: number; active_total: number };
  linear_layers: Array<{ name: string; in_features: number; out_features: number; count: number }>;
}

export class UnknownFamilyError extends Error {
  constructor(readonly family: string, detail = '') {
    super(`unknown model family ${JSON.stringify(family)}${detail ? ': ' + detail : ''}; parameters cannot be counted exactly, so no estimate is given`);
    this.name = 'UnknownFamilyError';
  }
}

/** A config field as a positive number: the first of `names` present, else the default, else an error. */
export function dim(config: ModelConfig, names: string | string[], fallback?: number): number {
  for (const name of typeof names === 'string' ? [names] : names) {
    const v = config[name];
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return v;
  }
  if (fallback !== undefined) return fallback;
  const list = typeof names === 'string' ? names : names.join(' or ');
  throw new Error(`config.json lacks ${list} (needed to count ${String(config.model_type ?? 'the model')}'s parameters)`);
}

export function flag(config: ModelConfig, name: string, fallback: boolean): boolean {
  const v = config[name];
  return typeof v === 'boolean' ? v : fallback;
}

export function linear(name: string, inF: number, outF: number, bias: boolean, count: number): LinearPart {
  return { kind: 'linear', name, in_features: inF, out_features: outF, bias, count };
}
export function embedding(name: string, rows: number, d: number, count = 1): EmbeddingPart {
  return { kind: 'embedding', name, rows, dim: d, count };
}
export function norm(name: string, size: number, count: number): NormPart {
  return { kind: 'norm', name, size, count };
}
export function head(name: string, inF: number, outF: number, bias: boolean, tied: boolean): HeadPart {
  return { kind: 'head', name, in_features: inF, out_features: outF, bias, tied };
}

/** Labels of a classification head, as transformers reads them: id2label's size, else num_labels, else 2. */
export function numLabels(config: ModelConfig): number {
  const id2label = config.id2label;
  if (id2label && typeof id2label === 'object') return Object.keys(id2label).length;
  return dim(config, 'num_labels', 2);
}

export function sumParts(family: string, architecture: string, parts: Part[]): ParamCount {
  const count: ParamCount = {
    family,
    architecture,
    total: 0,
    embedding: 0,
    lm_head: 0,
    norms_and_biases: 0,
    linear: 0,
    other: 0,
    tied: false,
    linear_layers: []
  };
  let experts = 0;
  let activeExperts = 0;
  for (const p of parts) {
    switch (p.kind) {
      case 'linear':
        if (p.count === 0) break;
        count.linear += p.in_features * p.out_features * p.count;
        if (p.bias) count.norms_and_biases += p.out_features * p.count;
        count.linear_layers.push({ name: p.name, in_features: p.in_features, out_features: p.out_features, count: p.count });
        break;
      case 'embedding':
        count.embedding += p.rows * p.dim * p.count;
        break;
      case 'norm':
        count.norms_and_biases += p.size * p.count;
        break;
      case 'head':
        if (p.tied) count.tied = true;
        else count.lm_head += p.in_features * p.out_features;
        // A tied decoder's own bias (BERT's MLM head) is still a separate parameter.
        if (p.bias) count.lm_head += p.out_features;
        break;
      case 'other':
        count.other += p.params * p.count;
        if (p.experts) {
          experts += p.params * p.count;
          activeExperts += (p.params * p.count * p.experts.active) / p.experts.experts;
        }
        break;
    }
  }
  count.total = count.embedding + count.lm_head + count.norms_and_biases + count.linear + count.other;
  if (experts > 0) count.moe = { experts, active_total: Math.round(count.total - experts + activeExperts) };
  return count;
}
