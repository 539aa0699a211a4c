/** The recommendation wing: which catalog models suit a task, a language and a GPU, ranked, with reasons. */
export { recommendModels, describeRecommendation, sizeBand, strategyLabel } from './recommend';
export type { Recommendation, RecommendRequest, Reason } from './recommend';
