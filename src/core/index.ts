/**
 * The core, as the shells (JupyterLab sidebar, notebook widget, CLI) see it: pure functions
 * and data, no DOM, no JupyterLab. Each wing's own index.ts says what it offers; this file
 * only gathers them.
 */
export * from './types';
export { MODELS, findModel, validateCatalog, modelFromConfig, CatalogError } from './catalog';
export { countParameters, modelParts, UnknownFamilyError, KNOWN_FAMILIES, REMOTE_CODE_FAMILIES } from './params';
export type { ParamCount } from './params';
export { GPU_PROFILES, findGpu, gpuFromReport, parseMemorySize, capabilities } from './gpu';
export type { GpuReportLike } from './gpu';
export { estimateMemory, planTraining, planMaxSeqLen, planMaxBatch, launches, defaultSettings, availableMib, OPTIMIZERS } from './memory';
export type { EstimateSettings, MemoryEstimate, FitVerdict, LoadingEstimate, Optimizer, Plan, KnownPlan, UnknownPlan } from './memory';
export { estimateSpeed, planSpeed, runSeconds, epochSeconds, peakFor, linkName, sessionWarnings, sessionWarningText, platformOf, SESSION_LIMITS } from './speed';
export type { SpeedEstimate, TrainingSpeed, InferenceSpeed, SessionWarning, Platform } from './speed';
export { recommendModels, describeRecommendation, sizeBand } from './recommend';
export type { Recommendation, RecommendRequest, Reason } from './recommend';
export { parseGpuReport } from './report';
export type { GpuReport, ParsedGpuReport } from './report';
export { renderCells, toPercentScript, toNotebook, pythonLiteral, CellRequestError } from './codegen';
export type { Cell, CellRequest, WeightSource } from './codegen';
