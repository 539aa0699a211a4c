/**
 * The training plan the cells follow. The memory wing's `planTraining` is the one judge of
 * batch, sequence length, optimizer and checkpointing; until it is wired in, conservative
 * settings stand in (batch 1 × 8, 512 tokens, checkpointing on).
 */
import type { GpuProfile, Method, ModelEntry } from '../types';
import { conservativeSettings, EstimateSettings } from './plan';

export interface Plan {
  settings: EstimateSettings;
  /** The estimate's total, CUDA context included (what nvidia-smi would show). */
  totalMib: number;
  /** The estimate without the CUDA context: comparable to torch.cuda.max_memory_allocated(). */
  tensorMib: number;
  verdict: 'fits' | 'tight' | 'no' | 'unknown';
  loadingWarnings: string[];
}

export function planFor(model: ModelEntry, gpu: GpuProfile, method: Method, wanted: Partial<EstimateSettings> = {}): Plan {
  const settings = { ...conservativeSettings(model, gpu, method), ...wanted, method };
  return { settings, totalMib: 0, tensorMib: 0, verdict: 'unknown', loadingWarnings: [] };
}
