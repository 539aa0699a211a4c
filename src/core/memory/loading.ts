/**
 * Loading is part of fitting: the download, the disk it lands on, and the CPU RAM that
 * `from_pretrained` needs on the way to the GPU.
 */
import { GpuProfile, ModelEntry } from '../types';
import { BYTES, MIB } from './terms';
import { warning } from './advice';
import { LoadingEstimate, LoadingWarning } from './types';

/**
 * Python, torch and transformers imported, plus the CUDA runtime's host side: about 1.5 GiB
 * of RAM before any weight is read.
 */
export const PROCESS_RAM_MIB = 1536;

/**
 * transformers' `save_pretrained` default `max_shard_size` is 5 GB (older uploads used 10 GB:
 * Llama-2's shards are ~9.9 GB). When the catalog does not know the largest shard we assume
 * the current default.
 */
const DEFAULT_SHARD_BYTES = 5e9;

export function estimateLoading(model: ModelEntry, params: number, gpu: GpuProfile): LoadingEstimate {
  const ckpt = model.checkpoint;
  const dtype = ckpt?.dtype ?? 'bf16';
  const downloadBytes = ckpt?.total_bytes ?? params * BYTES[dtype];
  const download_mib = Math.ceil(downloadBytes / MIB);
  const shardBytes = ckpt?.largest_shard_bytes ?? Math.min(downloadBytes, DEFAULT_SHARD_BYTES);
  // Weights go to the GPU shard by shard (`device_map`), so RAM holds one shard at a time — a
  // safetensors shard once (memory-mapped), a pickled .bin shard twice (torch.load's tensors,
  // then the dtype-converted copy handed to the model). On a CPU-only runtime the whole model
  // ends up in RAM.
  const onCpu = gpu.backend === 'cpu' || gpu.backend === 'mps';
  const shardCopies = ckpt?.format === 'bin' ? 2 : 1;
  const peak_ram_mib = Math.ceil(PROCESS_RAM_MIB + (onCpu ? downloadBytes + shardBytes * (shardCopies - 1) : shardBytes * shardCopies) / MIB);
  const warnings: LoadingWarning[] = [];
  if (gpu.ram_mib !== undefined && peak_ram_mib > gpu.ram_mib) {
    const shard_mib = shardBytes / MIB;
    warnings.push(warning('ram', { need_mib: peak_ram_mib, shard_mib, ram_mib: gpu.ram_mib }));
  }
  if (gpu.disk_free_mib !== undefined && download_mib > gpu.disk_free_mib) {
    warnings.push(warning('disk', { download_mib, free_mib: gpu.disk_free_mib }));
  }
  return {
    download_mib,
    largest_shard_mib: ckpt?.largest_shard_bytes !== undefined ? Math.ceil(ckpt.largest_shard_bytes / MIB) : null,
    peak_ram_mib,
    disk_mib: download_mib,
    warnings
  };
}
