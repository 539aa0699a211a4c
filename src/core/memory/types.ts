/** The words of the memory wing: what an estimate is asked (settings) and what it answers. */
import { Method, WeightDtype } from '../types';
import { Recipe } from './recipe';

/** transformers `TrainingArguments.optim` names (training_args.py, OptimizerNames). */
export type Optimizer = 'adamw_torch' | 'adamw_8bit' | 'paged_adamw_8bit' | 'adafactor' | 'sgd';
export const OPTIMIZERS: readonly Optimizer[] = ['adamw_torch', 'adamw_8bit', 'paged_adamw_8bit', 'adafactor', 'sgd'];

/** How the generated cells train (or run) the model; the estimate prices exactly these. */
export interface EstimateSettings {
  method: Method;
  dtype: WeightDtype;
  seqLen: number;
  batch: number; // per device
  gradAccum: number;
  loraR: number;
  loraAlpha: number;
  gradientCheckpointing: boolean;
  optimizer: Optimizer;
  /**
   * Inference only: tokens of the prompt, the rest of `seqLen` being generated one at a time.
   * Unset: the whole length is prompt (the largest prefill, what the cells' "try it" bounds).
   */
  promptLen?: number;
  /** The user's own recipe; what it leaves out is what our cells do (recipe.ts, DEFAULT_RECIPE). */
  recipe?: Partial<Recipe>;
  /**
   * The format the run computes in (terms.ts `computeDtype`): the plan sets it from the GPU and the
   * family; unset, the estimate takes the same rule for its model.
   */
  compute?: 'bf16' | 'fp16' | 'fp32';
}

/**
 * Every term a breakdown may hold: one GPU's (estimate.ts `priceSettings`) and what the engines
 * of several GPUs add (strategies.ts). The panel's labels, the strategies' placement and `fit`'s
 * table are keyed by this union, so a new term without a name is a compile error.
 */
export const TERMS = [
  'weights',
  'quantization_constants',
  'adapters',
  'gradients',
  'optimizer',
  'autocast_weight_copies',
  'activations',
  'logits',
  'kv_cache',
  'cuda_context',
  'allocator_overhead',
  'ddp_gradient_buckets',
  'fsdp_gathered_units',
  'zero_buckets'
] as const;
export type Term = (typeof TERMS)[number];

/** fits: below 90 % of the memory we can use; tight: below 100 %; no: above. */
export type FitVerdict = 'fits' | 'tight' | 'no';

/**
 * One piece of advice: a code the sidebar translates, the raw values it needs (memory in MiB
 * under names ending in `_mib`, lengths in tokens, model and GPU names as given) and the English
 * sentence the CLI prints. Like `Reason` in the recommend wing: translate the code, never the text.
 */
export interface Advice {
  code:
    | 'no_4bit' // values: gpu
    | 'no_4bit_capability' // gpu, capability
    | 'no_bf16' // gpu
    | 'needs_close' // method, model, seq_len, batch, total_mib, available_mib (verdict tight)
    | 'needs_more' // the same (verdict no)
    | 'checkpointing' // total_mib
    | 'batch_one' // accum, total_mib
    | 'shorten' // seq_len, batch
    | 'optimizer_8bit' // total_mib
    | 'lora_instead' // total_mib
    | 'qlora_instead' // total_mib
    | 'load_4bit' // total_mib
    | 'smaller_model'; // none
  values: Record<string, string | number>;
  text: string;
}

/** A warning about loading, the same shape as advice. */
export interface LoadingWarning {
  code:
    | 'ram' // need_mib, shard_mib, ram_mib
    | 'disk'; // download_mib, free_mib
  values: Record<string, string | number>;
  text: string;
}

export interface LoadingEstimate {
  /** What the first `from_pretrained` downloads (MiB); null when neither the checkpoint size nor the params are known. */
  download_mib: number | null;
  largest_shard_mib: number | null;
  /** CPU RAM at the peak of loading. */
  peak_ram_mib: number;
  /** Disk the Hugging Face cache needs. */
  disk_mib: number;
  warnings: LoadingWarning[];
}

export interface MemoryEstimate {
  params: number;
  method: Method;
  /** The recipe priced: the user's, completed with our cells' choices and what the config declares. */
  recipe: Recipe;
  total_mib: number;
  /** MiB per term; the terms add up to total_mib. */
  breakdown: Record<string, number>;
  verdict: FitVerdict;
  /** Largest sequence length that does not exceed the memory at this batch; null if none does. */
  max_seq_len: number | null;
  advice: Advice[];
  loading: LoadingEstimate;
  /** The memory the verdict was judged against (free memory when known, else total). */
  available_mib: number;
}
