/**
 * What a card can do, from its compute capability alone. We never ask torch: on a T4 (7.5)
 * `torch.cuda.is_bf16_supported()` answers True because bf16 is emulated, and training in
 * emulated bf16 is slow and was the classic "bf16 on Colab" trap — fp16 is right there.
 */
import { GpuProfile } from '../types';

export type Capabilities = Pick<GpuProfile, 'bf16' | 'bnb_4bit' | 'flash_attention_2'>;

/** "8.6" → 8.6; null or garbage → null. */
export function capabilityNumber(cc: string | null | undefined): number | null {
  if (cc === null || cc === undefined) return null;
  const m = /^\s*(\d+)\.(\d+)\s*$/.exec(cc);
  return m ? Number(m[1]) + Number(m[2]) / 10 : null;
}

export function capabilities(backend: GpuProfile['backend'], cc: string | null): Capabilities {
  if (backend === 'cpu') {
    // bitsandbytes 0.47+ runs NF4 quantize/forward/backward on x86-64 CPUs (API-NOTES);
    // training on a CPU is fp32 (no autocast speed-up worth the risk).
    return { bf16: false, bnb_4bit: true, flash_attention_2: false };
  }
  if (backend === 'mps') {
    // bitsandbytes ships no MPS 4-bit kernels; FlashAttention 2 is CUDA-only.
    return { bf16: false, bnb_4bit: false, flash_attention_2: false };
  }
  const n = capabilityNumber(cc);
  return {
    // Native bf16 tensor cores start with Ampere (8.0).
    bf16: n !== null && n >= 8.0,
    // bitsandbytes 0.48+ wheels are built for sm60 and up; 4-bit needs ≥ 6.0 (API-NOTES).
    // An unknown capability on CUDA: assume a card from the last eight years can.
    bnb_4bit: n === null ? true : n >= 6.0,
    // FlashAttention 2 supports Ampere, Ada and Hopper (≥ 8.0) only; below that we use "sdpa".
    flash_attention_2: n !== null && n >= 8.0
  };
}
