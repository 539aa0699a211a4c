/**
 * The GPU wing: the runtimes we know (`GPU_PROFILES`), finding one from what a user typed
 * (`findGpu`), and turning the kernel probe's report into a profile (`gpuFromReport`).
 */
export { GPU_PROFILES, GPU_ALIASES } from './profiles';
export { findGpu, gpuFromReport, parseMemorySize } from './find';
export type { GpuReportLike } from './find';
export { capabilities, capabilityNumber } from './capabilities';
export type { Capabilities } from './capabilities';
