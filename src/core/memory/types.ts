/** The words of the memory wing: what an estimate is asked (settings) and what it answers. */
import { Method, WeightDtype } from '../types';

export type Optimizer = 'adamw_torch' | 'adamw_8bit' | 'paged_adamw_8bit';
export const OPTIMIZERS: readonly Optimizer[] = ['adamw_torch', 'adamw_8bit', 'paged_adamw_8bit'];

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
}

/** fits: below 90 % of the memory we can use; tight: below 100 %; no: above. */
export type FitVerdict = 'fits' | 'tight' | 'no';

export interface LoadingEstimate {
  /** What the first `from_pretrained` downloads (MiB); null when neither the checkpoint size nor the params are known. */
  download_mib: number | null;
  largest_shard_mib: number | null;
  /** CPU RAM at the peak of loading. */
  peak_ram_mib: number;
  /** Disk the Hugging Face cache needs. */
  disk_mib: number;
  warnings: string[];
}

export interface MemoryEstimate {
  params: number;
  method: Method;
  total_mib: number;
  /** MiB per term; the terms add up to total_mib. */
  breakdown: Record<string, number>;
  verdict: FitVerdict;
  /** Largest sequence length that does not exceed the memory at this batch; null if none does. */
  max_seq_len: number | null;
  advice: string[];
  loading: LoadingEstimate;
  /** The memory the verdict was judged against (free memory when known, else total). */
  available_mib: number;
}
