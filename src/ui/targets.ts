/**
 * "Plan for": the GPU the estimate, the ranking and the cells are for — this runtime's (from the
 * probe), one of the core's profiles (tomorrow's Colab T4 from a laptop without a GPU), or a GPU
 * known only by its memory. Pure: the panel keeps the choice, the core does the rest.
 */
import { findGpu, gpuFromReport, GPU_PROFILES } from '../core';
import type { GpuProfile } from '../core';
import type { GpuReport } from '../core/report';

export type PlanTarget = { kind: 'runtime' } | { kind: 'profile'; id: string } | { kind: 'memory'; gib: number };

export const RUNTIME_TARGET: PlanTarget = { kind: 'runtime' };

/** The smallest and largest "a GPU with N GiB" the panel takes. */
export const MIN_TARGET_GIB = 1;
export const MAX_TARGET_GIB = 1024;

export type TargetGroup = 'colab' | 'kaggle' | 'consumer' | 'datacenter' | 'apple' | 'cpu' | 'other';

/** Where each profile is rented or bought; a profile not named here (a new one) shows under "other". */
const GROUP_OF: Record<string, TargetGroup> = {
  t4: 'colab',
  l4: 'colab',
  'a100-40gb': 'colab',
  'kaggle-p100': 'kaggle',
  'kaggle-2xt4': 'kaggle',
  'rtx-3060': 'consumer',
  'rtx-4060-ti-16gb': 'consumer',
  'rtx-3090': 'consumer',
  'rtx-4090': 'consumer',
  'v100-16gb': 'datacenter',
  a10g: 'datacenter',
  'a100-80gb': 'datacenter',
  'h100-80gb': 'datacenter',
  h200: 'datacenter',
  'apple-silicon': 'apple',
  cpu: 'cpu'
};

const GROUP_ORDER: readonly TargetGroup[] = ['colab', 'kaggle', 'consumer', 'datacenter', 'apple', 'cpu', 'other'];

/** The core's profiles grouped for the "Plan for" list, in the order a learner meets them. */
export function targetGroups(profiles: readonly GpuProfile[] = GPU_PROFILES): { group: TargetGroup; profiles: GpuProfile[] }[] {
  return GROUP_ORDER.map(group => ({ group, profiles: profiles.filter(p => (GROUP_OF[p.id] ?? 'other') === group) })).filter(g => g.profiles.length > 0);
}

/** The GPU to plan for: the runtime's own (its free memory included), or a profile as sold (all of its memory free). */
export function targetGpu(target: PlanTarget, report: GpuReport): GpuProfile {
  if (target.kind === 'runtime') return gpuFromReport(report);
  if (target.kind === 'profile') return findGpu(target.id);
  return findGpu(`${target.gib}GiB`);
}

/** True when the target is not the runtime's own GPU: the panel then says the cells are for another machine. */
export function isOtherTarget(target: PlanTarget, report: GpuReport): boolean {
  if (target.kind === 'runtime') return false;
  const here = gpuFromReport(report);
  const there = targetGpu(target, report);
  return here.id !== there.id || here.count !== there.count;
}

/** The select's value for a target: "runtime", a profile id, or "memory". */
export function targetValue(target: PlanTarget): string {
  return target.kind === 'runtime' ? 'runtime' : target.kind === 'profile' ? `profile:${target.id}` : 'memory';
}

/** A typed "N GiB" for a GPU known by its memory: a whole number in range, else null (the field says why). */
export function parseTargetGib(text: string): number | null {
  if (!/^\s*\d+\s*$/.test(text)) return null;
  const gib = Number(text);
  return gib >= MIN_TARGET_GIB && gib <= MAX_TARGET_GIB ? gib : null;
}
