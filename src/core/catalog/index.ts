/**
 * The catalog wing: the models the advisor knows, with the published config.json fields the
 * estimate reads. Offers
 * - `MODELS`: `models.json`, validated when this module loads (a broken row fails loudly here,
 *   not as a wrong estimate later);
 * - `findModel(id)`: by Hugging Face id or ModelScope id, case-insensitively;
 * - `validateCatalog(rows)`: the same checks for the user's own rows (settings);
 * - `modelFromConfig(config, id)`: a row for any config.json;
 * - `CatalogError`: what all of them throw.
 */
import { ModelEntry } from '../types';
import rows from './models.json';
import { validateCatalog } from './validate';

export { CatalogError, validateCatalog, validateEntry, configProblems, isModelId } from './validate';
export { modelFromConfig, tasksFromArchitecture, idProblem, withFamilyDefaults } from './fromConfig';
export { hubFileUrl, modelFromHub, HF_ENDPOINT, MODELSCOPE_ENDPOINT } from './hub';
export type { HubSource, HubFile, HubAnswer, HubFailure, HubResult } from './hub';

export const MODELS: readonly ModelEntry[] = Object.freeze(validateCatalog(rows as unknown));

/**
 * The catalog row for an id as a user types it: the Hugging Face id ("Qwen/Qwen2.5-7B-Instruct")
 * or the ModelScope one ("qwen/Qwen2.5-7B-Instruct"), in any case. Searches `extra` (the user's own
 * rows) first, so a user's row can stand in for a catalog one.
 */
export function findModel(id: string, extra: readonly ModelEntry[] = []): ModelEntry | undefined {
  const key = id.trim().toLowerCase();
  if (key === '') {
    return undefined;
  }
  const rows = [...extra, ...MODELS];
  // An HF id wins over a ModelScope id that happens to read the same.
  return rows.find(m => m.id.toLowerCase() === key) ?? rows.find(m => m.modelscope_id !== null && m.modelscope_id.toLowerCase() === key);
}
