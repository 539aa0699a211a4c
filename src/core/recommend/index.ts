/** The recommendation wing: which catalog models suit a task, a language and a GPU, ranked, with reasons. */
export { recommendModels, describeRecommendation, sizeBand, speaks, CATALOG_DATE, CURRENT_MONTHS, isCurrent } from './recommend';
export { strategyLabel } from '../memory';
export type { Recommendation, RecommendRequest, Reason } from './recommend';
