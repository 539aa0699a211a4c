/**
 * The memory wing: what a model needs on a GPU, term by term (`estimateMemory`), and the
 * training settings the generated cells use so that it fits, and how several GPUs share it (`planTraining`: the one plan).
 */
export { estimateMemory, withConfigRecipe, priceSettings, availableMib, verdictFor, RecipeError } from './estimate';
export { planTraining, planMaxSeqLen, planMaxBatch, strategiesAt, launches, defaultSettings, defaultDtype, defaultOptimizer, EFFECTIVE_BATCH, DEFAULT_SEQ_LEN } from './plan';
export type { Plan, KnownPlan, UnknownPlan } from './plan';
export { computeDtype, computeOf, weightBytes, BYTES, cudaContextBytes, allocatorAllowance, loraParams, layerActivationBytesPerToken, kbitPreparationExtraBytes, NF4_DOUBLE_QUANT_CONSTANT_BITS } from './terms';
export { modelShape } from './shape';
export type { Shape } from './shape';
export { estimateLoading } from './loading';
export { OPTIMIZERS, TERMS } from './types';
export { cellsAttention, pricedAttention, DEFAULT_RECIPE, ATTENTIONS, LOSSES, PRECISIONS, PRE_QUANTIZED, KV_CACHE_DTYPES, recipeOf, keepsLastLogitsOnly, parseLoraTargets, preQuantizedFromConfig, targetedLayers } from './recipe';
export type { CellsAttention, Recipe, Attention, Loss, Precision, PreQuantized, KvCacheDtype, LoraTargets } from './recipe';
export { estimateStrategy, strategiesFor, strategyLabel, strategyName, engineOf, offloads, MULTI_GPU_STRATEGIES } from './strategies';
export type { Strategy, StrategyEstimate, GpuShare, Placement, Engine } from './strategies';
export type { Term, EstimateSettings, MemoryEstimate, FitVerdict, LoadingEstimate, Optimizer, Advice, LoadingWarning } from './types';
