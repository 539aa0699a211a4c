/**
 * The runtimes our users train on, as their own tools report them. `memory_mib` is what
 * `nvidia-smi --query-gpu=memory.total` prints (MiB) — a "16 GB" T4 reports 15360, not 16384 —
 * read from the recorded answers in ../shared/fixtures/nvidia-smi.json where we have them
 * (T4, L4, A100 40 GB, RTX 3060, RTX 4090, V100) and from the same query on the other cards.
 * The derived capabilities follow from the compute capability (see `capabilities`).
 */
import { GpuProfile } from '../types';
import { capabilities } from './capabilities';

interface CardFacts {
  id: string;
  name: string;
  memory_mib: number;
  compute_capability: string;
  count?: number;
  ram_mib?: number;
  aliases?: string[];
}

// Colab's free runtime shows "12.7 GB" of system RAM (MemTotal ≈ 13,290,000 kB ≈ 12,979 MiB):
// a checkpoint with 10 GB shards cannot be loaded there (issue 3).
const COLAB_FREE_RAM_MIB = 12979;

// Kaggle's T4×2 sessions report 31.36 GiB of system RAM (psutil total, recorded in
// the wandb-metadata.json of public Kaggle runs: "memory": {"total": 31.357559…}): what CPU
// offload can use there, before the probe says what is free.
const KAGGLE_RAM_MIB = 32110;

const CARDS: CardFacts[] = [
  { id: 't4', name: 'Tesla T4', memory_mib: 15360, compute_capability: '7.5', ram_mib: COLAB_FREE_RAM_MIB, aliases: ['colab-t4', 'tesla-t4'] },
  { id: 'l4', name: 'NVIDIA L4', memory_mib: 23034, compute_capability: '8.9', aliases: ['colab-l4'] },
  { id: 'a100-40gb', name: 'NVIDIA A100-SXM4-40GB', memory_mib: 40960, compute_capability: '8.0', aliases: ['a100', 'colab-a100'] },
  { id: 'a100-80gb', name: 'NVIDIA A100-SXM4-80GB', memory_mib: 81920, compute_capability: '8.0' },
  { id: 'h100-80gb', name: 'NVIDIA H100 80GB HBM3', memory_mib: 81559, compute_capability: '9.0', aliases: ['h100'] },
  { id: 'kaggle-p100', name: 'Tesla P100-PCIE-16GB', memory_mib: 16384, compute_capability: '6.0', aliases: ['p100'] },
  { id: 'kaggle-2xt4', name: 'Tesla T4', memory_mib: 15360, compute_capability: '7.5', count: 2, ram_mib: KAGGLE_RAM_MIB, aliases: ['2xt4'] },
  { id: 'v100-16gb', name: 'Tesla V100-SXM2-16GB', memory_mib: 16160, compute_capability: '7.0', aliases: ['v100'] },
  { id: 'rtx-3060', name: 'NVIDIA GeForce RTX 3060', memory_mib: 12288, compute_capability: '8.6', aliases: ['3060'] },
  { id: 'rtx-3090', name: 'NVIDIA GeForce RTX 3090', memory_mib: 24576, compute_capability: '8.6', aliases: ['3090'] },
  { id: 'rtx-4060-ti-16gb', name: 'NVIDIA GeForce RTX 4060 Ti', memory_mib: 16380, compute_capability: '8.9', aliases: ['4060ti', 'rtx-4060-ti'] },
  { id: 'rtx-4090', name: 'NVIDIA GeForce RTX 4090', memory_mib: 24564, compute_capability: '8.9', aliases: ['4090'] },
  { id: 'a10g', name: 'NVIDIA A10G', memory_mib: 23028, compute_capability: '8.6' },
  { id: 'h200', name: 'NVIDIA H200', memory_mib: 143771, compute_capability: '9.0' }
];

function cudaProfile(card: CardFacts): GpuProfile {
  const profile: GpuProfile = {
    id: card.id,
    name: card.name,
    backend: 'cuda',
    count: card.count ?? 1,
    memory_mib: card.memory_mib,
    compute_capability: card.compute_capability,
    ...capabilities('cuda', card.compute_capability)
  };
  if (card.ram_mib !== undefined) profile.ram_mib = card.ram_mib;
  return profile;
}

/**
 * Apple silicon shares one memory between CPU and GPU; PyTorch's MPS backend can use roughly
 * the recommended working set (about ¾ of RAM on a 16 GB Mac). bitsandbytes has no 4-bit MPS
 * kernels we can rely on, so QLoRA is off there.
 */
const APPLE: GpuProfile = {
  id: 'apple-silicon',
  name: 'Apple silicon (16 GB unified memory)',
  backend: 'mps',
  count: 1,
  memory_mib: 12288,
  compute_capability: null,
  ...capabilities('mps', null),
  ram_mib: 16384
};

/** No accelerator: training runs in fp32 in system RAM (bitsandbytes 0.47+ does 4-bit on x86 CPUs). */
const CPU: GpuProfile = {
  id: 'cpu',
  name: 'CPU only',
  backend: 'cpu',
  count: 1,
  memory_mib: 16384,
  compute_capability: null,
  ...capabilities('cpu', null),
  ram_mib: 16384
};

export const GPU_PROFILES: readonly GpuProfile[] = [...CARDS.map(cudaProfile), APPLE, CPU];

/** Other names a user may type for a profile ("colab-t4", "3090", …). */
export const GPU_ALIASES: ReadonlyMap<string, string> = new Map(
  CARDS.flatMap(card => (card.aliases ?? []).map(alias => [alias, card.id] as [string, string])).concat([
    ['mps', 'apple-silicon'],
    ['apple', 'apple-silicon'],
    ['mac', 'apple-silicon'],
    ['none', 'cpu']
  ])
);
