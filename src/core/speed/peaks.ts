/**
 * What a card can do at most, from its maker's figures: dense 16-bit tensor throughput (the
 * number format our cells compute in: fp16 on Turing and older, bf16 from Ampere on), memory
 * bandwidth, and the link between cards. Nothing here is measured by us; each row names its
 * datasheet. The figures are dense (NVIDIA's headline numbers for Ampere and later assume 2:4
 * sparsity, which training never uses: we halve them) and, for GeForce cards, with FP32
 * accumulation — the mode cuBLAS uses for fp16/bf16 GEMMs in PyTorch (CUBLAS_COMPUTE_32F),
 * which runs at half the FP16-accumulate rate on GeForce parts.
 */
import { GpuProfile } from '../types';

/** How cards talk to each other; `gbs` is the bus bandwidth we assume an all-reduce reaches, per GPU. */
export interface Interconnect {
  kind: 'pcie3' | 'pcie4' | 'pcie5' | 'nvlink2' | 'nvlink3' | 'nvlink4';
  /** GB/s (10⁹ bytes) each GPU moves in a collective: about ⅔ of the link's one-way figure (NCCL's bus bandwidth on such links). */
  gbs: number;
}

export interface GpuPeak {
  /** Dense fp16/bf16 tensor-core TFLOPS with fp32 accumulation (the card's 16-bit peak where it has no tensor cores). */
  tflops16: number;
  /** Memory bandwidth, GB/s. */
  bandwidth_gbs: number;
  link: Interconnect;
  /** The datasheet the figures come from. */
  source: string;
}

const PCIE3: Interconnect = { kind: 'pcie3', gbs: 10 }; // 15.75 GB/s one way (x16)
const PCIE4: Interconnect = { kind: 'pcie4', gbs: 20 }; // 31.5 GB/s one way (x16)
const PCIE5: Interconnect = { kind: 'pcie5', gbs: 40 }; // 63 GB/s one way (x16)
const NVLINK2: Interconnect = { kind: 'nvlink2', gbs: 100 }; // V100 SXM2: 300 GB/s both ways
const NVLINK3: Interconnect = { kind: 'nvlink3', gbs: 200 }; // A100 SXM: 600 GB/s both ways
const NVLINK4: Interconnect = { kind: 'nvlink4', gbs: 300 }; // H100/H200 SXM: 900 GB/s both ways

/** The link as a person names it ("PCIe 3.0 x16", "NVLink 3"). */
export function linkName(link: Interconnect): string {
  return { pcie3: 'PCIe 3.0 x16', pcie4: 'PCIe 4.0 x16', pcie5: 'PCIe 5.0 x16', nvlink2: 'NVLink 2', nvlink3: 'NVLink 3', nvlink4: 'NVLink 4' }[link.kind];
}

/** Matched against the name nvidia-smi prints, first match wins (so "A100 80GB" before "A100"). */
const PEAKS: ReadonlyArray<{ match: RegExp; peak: GpuPeak }> = [
  { match: /\bT4\b/i, peak: { tflops16: 65, bandwidth_gbs: 320, link: PCIE3, source: 'NVIDIA T4 datasheet: 65 TFLOPS mixed-precision FP16/FP32, 320 GB/s, PCIe Gen3 x16' } },
  { match: /\bL40S\b/i, peak: { tflops16: 362, bandwidth_gbs: 864, link: PCIE4, source: 'NVIDIA L40S datasheet: 733 TFLOPS BF16 with sparsity (362 dense), 864 GB/s' } },
  { match: /\bL4\b/i, peak: { tflops16: 121, bandwidth_gbs: 300, link: PCIE4, source: 'NVIDIA L4 datasheet: 242 TFLOPS FP16/BF16 with sparsity (121 dense), 300 GB/s, PCIe Gen4 x16' } },
  { match: /A100.*PCIE.*80|A100.*80.*PCIE/i, peak: { tflops16: 312, bandwidth_gbs: 1935, link: PCIE4, source: 'NVIDIA A100 datasheet: 312 TFLOPS BF16 dense, 80GB PCIe 1,935 GB/s' } },
  { match: /A100.*PCIE/i, peak: { tflops16: 312, bandwidth_gbs: 1555, link: PCIE4, source: 'NVIDIA A100 datasheet: 312 TFLOPS BF16 dense, 40GB PCIe 1,555 GB/s' } },
  { match: /A100.*80/i, peak: { tflops16: 312, bandwidth_gbs: 2039, link: NVLINK3, source: 'NVIDIA A100 datasheet: 312 TFLOPS BF16 dense, 80GB SXM 2,039 GB/s, NVLink 600 GB/s' } },
  { match: /A100/i, peak: { tflops16: 312, bandwidth_gbs: 1555, link: NVLINK3, source: 'NVIDIA A100 datasheet: 312 TFLOPS BF16 dense, 40GB SXM 1,555 GB/s, NVLink 600 GB/s' } },
  { match: /H100.*PCIE/i, peak: { tflops16: 756, bandwidth_gbs: 2000, link: PCIE5, source: 'NVIDIA H100 datasheet: H100 PCIe 1,513 TFLOPS BF16 with sparsity (756 dense), 2 TB/s' } },
  { match: /H100/i, peak: { tflops16: 989, bandwidth_gbs: 3350, link: NVLINK4, source: 'NVIDIA H100 datasheet: H100 SXM 1,979 TFLOPS BF16 with sparsity (989 dense), 3.35 TB/s, NVLink 900 GB/s' } },
  { match: /H200/i, peak: { tflops16: 989, bandwidth_gbs: 4800, link: NVLINK4, source: 'NVIDIA H200 datasheet: 1,979 TFLOPS BF16 with sparsity (989 dense), 4.8 TB/s, NVLink 900 GB/s' } },
  { match: /\bH20\b/i, peak: { tflops16: 148, bandwidth_gbs: 4000, link: NVLINK4, source: 'NVIDIA H20 product brief: 148 TFLOPS BF16 dense, 4.0 TB/s, NVLink 900 GB/s' } },
  { match: /P100/i, peak: { tflops16: 18.7, bandwidth_gbs: 732, link: PCIE3, source: 'NVIDIA Tesla P100 PCIe datasheet: 18.7 TFLOPS FP16 (no tensor cores), 732 GB/s (16 GB)' } },
  { match: /V100.*PCIE/i, peak: { tflops16: 112, bandwidth_gbs: 900, link: PCIE3, source: 'NVIDIA V100 datasheet: PCIe 112 TFLOPS tensor, 900 GB/s' } },
  { match: /V100/i, peak: { tflops16: 125, bandwidth_gbs: 900, link: NVLINK2, source: 'NVIDIA V100 datasheet: SXM2 125 TFLOPS tensor, 900 GB/s, NVLink 300 GB/s' } },
  { match: /A10G/i, peak: { tflops16: 125, bandwidth_gbs: 600, link: PCIE4, source: 'NVIDIA A10 datasheet (AWS publishes no A10G sheet; its FP32 figure matches the A10): 125 TFLOPS BF16 dense, 600 GB/s' } },
  { match: /\bA10\b/i, peak: { tflops16: 125, bandwidth_gbs: 600, link: PCIE4, source: 'NVIDIA A10 datasheet: 250 TFLOPS BF16 with sparsity (125 dense), 600 GB/s' } },
  { match: /RTX 2080 Ti/i, peak: { tflops16: 53.8, bandwidth_gbs: 616, link: PCIE3, source: 'NVIDIA Turing whitepaper, RTX 2080 Ti: 53.8 TFLOPS FP16 tensor with FP32 accumulate (reference clocks), 616 GB/s' } },
  { match: /RTX 3060/i, peak: { tflops16: 25.5, bandwidth_gbs: 360, link: PCIE4, source: 'NVIDIA Ampere GA102 whitepaper rates (GeForce: FP32-accumulate tensor at half the FP16-accumulate 1,024 FLOPs/SM/clock) × 28 SMs × 1.78 GHz; 360 GB/s (RTX 3060 12GB spec)' } },
  { match: /RTX 3090/i, peak: { tflops16: 71, bandwidth_gbs: 936, link: PCIE4, source: 'NVIDIA Ampere GA102 whitepaper, RTX 3090: 71 TFLOPS FP16 tensor with FP32 accumulate (dense), 936 GB/s' } },
  { match: /RTX 4060 Ti/i, peak: { tflops16: 44, bandwidth_gbs: 288, link: PCIE4, source: 'NVIDIA Ada whitepaper rates (RTX 4090: 165.2 TFLOPS FP16 with FP32 accumulate over 128 SMs) × 34 SMs × 2.54 GHz; 288 GB/s (RTX 4060 Ti spec)' } },
  { match: /RTX 4090/i, peak: { tflops16: 165, bandwidth_gbs: 1008, link: { kind: 'pcie4', gbs: 12 }, source: 'NVIDIA Ada whitepaper, RTX 4090: 165.2 TFLOPS FP16 tensor with FP32 accumulate (dense), 1,008 GB/s; GeForce 40-series has no peer-to-peer, so collectives go through host memory' } }
];

/** The card's figures, or null for a runtime we have none for (CPU, Apple silicon, a card known only by its size). */
export function peakFor(gpu: GpuProfile): GpuPeak | null {
  if (gpu.backend !== 'cuda') return null;
  return PEAKS.find(p => p.match.test(gpu.name))?.peak ?? null;
}
