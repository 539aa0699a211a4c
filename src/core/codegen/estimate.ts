/**
 * The training plan the cells follow: the memory wing's `planTraining` is the one judge of
 * batch, sequence length, optimizer and checkpointing, and its estimate is what the train cell
 * prints beside the measured peak. A model whose family the parameter counter does not know
 * (a user's own config.json) still gets cells, with conservative settings and no estimate.
 */
import type { GpuProfile, Method, ModelEntry } from '../types';
import { planTraining } from '../memory';
import { UnknownFamilyError } from '../params';
import { conservativeSettings, EstimateSettings } from './plan';

export interface Plan {
  settings: EstimateSettings;
  /** The estimate's total, CUDA context included (what nvidia-smi would show); null without an estimate. */
  totalMib: number | null;
  /** The estimate without the CUDA context: comparable to torch.cuda.max_memory_allocated(). */
  tensorMib: number | null;
  verdict: 'fits' | 'tight' | 'no' | 'unknown';
  /** What loading costs, from the estimate: download, largest shard, peak RAM (MiB). */
  loading: { download_mib: number | null; largest_shard_mib: number | null; peak_ram_mib: number } | null;
}

export function planFor(model: ModelEntry, gpu: GpuProfile, method: Method, wanted: Partial<EstimateSettings> = {}): Plan {
  let planned;
  try {
    planned = planTraining(model, gpu, method, wanted);
  } catch (e) {
    // countParameters throws for a family it does not know; the cells do not need the estimate.
    if (!(e instanceof UnknownFamilyError)) throw e;
    const settings = { ...conservativeSettings(model, gpu, method), ...wanted, method };
    return { settings, totalMib: null, tensorMib: null, verdict: 'unknown', loading: null };
  }
  const { settings, estimate } = planned;
  return {
    settings,
    totalMib: estimate.total_mib,
    tensorMib: estimate.total_mib - (estimate.breakdown.cuda_context ?? 0),
    verdict: estimate.verdict,
    loading: estimate.loading
  };
}
