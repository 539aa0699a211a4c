/**
 * The speed wing: how long a training step, a first run or an epoch takes, and how fast a
 * model generates (`estimateSpeed`), from the same model, GPU, settings and strategy as the
 * memory estimate; the cards' peak figures it divides by (`peakFor`).
 */
export { estimateSpeed, planSpeed, runSeconds, epochSeconds } from './estimate';
export type { SpeedEstimate, TrainingSpeed, InferenceSpeed, StepSeconds } from './estimate';
export { peakFor, linkName } from './peaks';
export type { GpuPeak, Interconnect } from './peaks';
export { trainingFlopsPerToken, prefillFlopsPerToken, decodeFlopsPerToken, layerMatmulParams, headMatmulParams } from './flops';
export type { StepFlops } from './flops';
export { SESSION_LIMITS, platformOf, sessionWarnings, sessionWarningText } from './sessions';
export type { Platform, SessionLimit, SessionWarning } from './sessions';
