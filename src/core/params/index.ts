/**
 * The parameters wing: exact parameter counts from a model's config.json, per family, split
 * into what memory needs to know (embeddings, head, norms and biases, quantizable Linear
 * weights, MoE experts), and the Linear layers LoRA adapts.
 */
export { countParameters, modelParts, KNOWN_FAMILIES, REMOTE_CODE_FAMILIES } from './count';
export { UnknownFamilyError, numLabels } from './parts';
export type { ParamCount, Part } from './parts';
