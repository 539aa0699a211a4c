/**
 * From what the user typed ("t4", "24GB") or what the kernel's probe saw to a `GpuProfile`.
 */
import { GpuProfile } from '../types';
import { capabilities } from './capabilities';
import { GPU_ALIASES, GPU_PROFILES } from './profiles';

/**
 * The parts of a probe report (`src/core/report.ts`, schema/gpu-report.schema.json) that a
 * profile needs. Structural, so any report with these fields maps.
 */
export interface GpuReportLike {
  gpus?: ReadonlyArray<{
    name?: string | null;
    memory_total_mib?: number | null;
    memory_free_mib?: number | null;
    compute_capability?: string | null;
  }> | null;
  /** "cuda" | "mps" | "cpu" when the probe knows; no GPUs and no MPS means CPU. */
  backend?: string | null;
  mps?: boolean | null;
  ram_total_mib?: number | null;
  ram_available_mib?: number | null;
  disk_free_mib?: number | null;
}

const MIB = 1024 * 1024;

/**
 * "24GB", "24GiB", "24g" → 24,576 MiB; "16000MB"/"16000MiB" → 16,000 MiB; else null.
 * GB is read as GiB on purpose: cards are sold as "24 GB" but hold 24 GiB (an RTX 4090
 * reports 24,564 MiB in nvidia-smi, which labels it "MiB"), so a user typing the size on
 * the box means the binary unit; reading 10⁹ bytes would take ~1.6 GiB off a 24 GB card.
 */
export function parseMemorySize(spec: string): number | null {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(gib|gb|g|mib|mb|m)\s*$/i.exec(spec);
  if (!m) return null;
  const value = Number(m[1]);
  const unit = m[2].toLowerCase();
  const bytes = unit.startsWith('g') ? value * 2 ** 30 : value * MIB;
  const mib = Math.floor(bytes / MIB);
  return mib > 0 ? mib : null;
}

/** A card we know only by its memory: assume CUDA, capability unknown (so fp16, sdpa). */
function sizedProfile(spec: string, memory_mib: number): GpuProfile {
  return {
    id: spec.trim().toLowerCase(),
    name: `a GPU with ${memory_mib.toLocaleString('en-US')} MiB`,
    backend: 'cuda',
    count: 1,
    memory_mib,
    compute_capability: null,
    ...capabilities('cuda', null)
  };
}

/** The most GPUs one `<N>x<profile>` may name: a node of 8, or a few nodes' worth. */
export const MAX_GPUS = 64;

/** One card: a profile id, an alias, or a memory size; null when it is none of these. */
function findOneGpu(key: string, spec: string): GpuProfile | null {
  const id = GPU_ALIASES.get(key) ?? key;
  const known = GPU_PROFILES.find(p => p.id === id);
  if (known) return { ...known };
  const mib = parseMemorySize(key);
  return mib !== null ? sizedProfile(spec, mib) : null;
}

/**
 * Several identical cards in one runtime: `2xt4`, `8xh100-80gb`, `4x24GB`. Per-GPU facts stay
 * those of one card; `count` says how many. The system RAM a single-card profile carries
 * (Colab's 12.7 GB beside its T4) belongs to that runtime, not to a node of such cards, so it
 * is dropped — a probe report says what RAM this node has.
 */
function multiGpu(key: string, spec: string): GpuProfile | null {
  const m = /^(\d+)\s*[x×]\s*(.+)$/.exec(key);
  if (!m) return null;
  const count = Number(m[1]);
  if (!Number.isInteger(count) || count < 1 || count > MAX_GPUS) {
    throw new Error(`${JSON.stringify(spec)}: the number of GPUs must be between 1 and ${MAX_GPUS}`);
  }
  const one = findOneGpu(m[2].trim(), m[2].trim());
  if (one === null || one.backend !== 'cuda' || one.count !== 1) return null;
  if (count === 1) return one;
  const { ram_mib: _ram, ...card } = one;
  return { ...card, id: `${count}x${one.id}`, count };
}

/**
 * A profile id, an alias, a memory size, or `<N>x` one of those (several identical GPUs);
 * anything else throws with the ids to choose from.
 */
export function findGpu(spec: string): GpuProfile {
  const key = spec.trim().toLowerCase();
  const found = findOneGpu(key, spec) ?? multiGpu(key, spec);
  if (found) return found;
  throw new Error(
    `unknown GPU ${JSON.stringify(spec)}: give a profile id (${GPU_PROFILES.map(p => p.id).join(', ')}), a size such as 24GB, 24GiB or 12g, or several of one card such as 2xt4 or 8xh100-80gb`
  );
}

function normalName(name: string): string {
  return name.toLowerCase().replace(/^nvidia\s+/, '').replace(/geforce\s+/, '').replace(/[\s_]+/g, '-');
}

/**
 * The probe's view of the runtime as a profile: a known card keeps its profile id (so the
 * advice speaks of "t4"), but memory, free memory and capability always come from the report —
 * the report is the truth about this machine. An unknown card works from its own numbers.
 */
export function gpuFromReport(report: GpuReportLike): GpuProfile {
  const gpus = (report.gpus ?? []).filter(g => typeof g.memory_total_mib === 'number' && g.memory_total_mib > 0);
  const extras: Partial<GpuProfile> = {};
  const ram = report.ram_available_mib ?? report.ram_total_mib;
  if (typeof ram === 'number') extras.ram_mib = ram;
  if (typeof report.disk_free_mib === 'number') extras.disk_free_mib = report.disk_free_mib;

  if (gpus.length === 0) {
    const base = findGpu(report.backend === 'mps' || report.mps ? 'apple-silicon' : 'cpu');
    const profile = { ...base, ...extras };
    // On a CPU the "GPU memory" is the RAM the runtime has.
    if (base.backend === 'cpu' && extras.ram_mib !== undefined) profile.memory_mib = extras.ram_mib;
    return profile;
  }
  const first = gpus[0];
  const name = first.name ?? 'unknown GPU';
  const cc = first.compute_capability ?? null;
  const count = gpus.filter(g => g.name === first.name).length;
  // A profile made for this many of this card (Kaggle's 2×T4) keeps its id; otherwise the one
  // card's profile, named `<N>x<id>` as `--gpu` spells it.
  const exact = GPU_PROFILES.find(p => p.backend === 'cuda' && (p.count ?? 1) === count && normalName(p.name) === normalName(name));
  const card = GPU_PROFILES.find(p => p.backend === 'cuda' && p.count === 1 && normalName(p.name) === normalName(name));
  const match = exact ?? card;
  const baseId = exact?.id ?? card?.id ?? normalName(name);
  const profile: GpuProfile = {
    id: exact || count === 1 ? baseId : `${count}x${baseId}`,
    name,
    backend: 'cuda',
    count,
    memory_mib: first.memory_total_mib as number,
    compute_capability: cc ?? match?.compute_capability ?? null,
    ...capabilities('cuda', cc ?? match?.compute_capability ?? null),
    ...extras
  };
  // The memory our process can still get is the least free memory among the cards we use.
  const free = gpus.slice(0, count).map(g => g.memory_free_mib).filter((f): f is number => typeof f === 'number');
  if (free.length > 0) profile.free_mib = Math.min(...free);
  return profile;
}
