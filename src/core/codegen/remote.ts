/**
 * Remote-code models the guide recommends first for Chinese whose training cells cannot be written
 * (issue 18 item 10): the ChatGLM and Baichuan relatives whose stack codegen/remoteStack.ts does not
 * know (ChatGLM-6B and ChatGLM2, Baichuan 1, GLM-4V), with why and what to train instead. ChatGLM3,
 * GLM-4-9B and Baichuan2 get cells on the stack their repositories state (remoteStack.ts, which says
 * why the current stack cannot train them: no lm_head for TRL's fused head, a NormHead it skips,
 * tokenizers that break on current transformers).
 */
import type { ModelEntry } from '../types';
import { t, Language, MessageKey } from '../i18n';
import { CellRequestError } from './request';
import type { Head } from './plan';
import { remoteStackFor } from './remoteStack';

export interface RemoteTrainingProblem {
  /** The message key (cells.remote.<family>) that says why, in the user's language. */
  family: 'chatglm' | 'baichuan';
  /** Native models that train with these cells, in the catalog. */
  instead: string[];
}

/**
 * Native successors: GLM-4-0414 is the `glm4` family transformers ships itself (not yet in our
 * catalog, so named in words); Qwen2.5-7B-Instruct, strong in Chinese, is in the catalog and fits a T4
 * with QLoRA.
 */
const INSTEAD = ['Qwen/Qwen2.5-7B-Instruct', 'THUDM/GLM-4-9B-0414'];

/** Why our training cells cannot train this model, or null when they can. */
export function remoteTrainingProblem(model: Pick<ModelEntry, 'id' | 'trust_remote_code' | 'config'>): RemoteTrainingProblem | null {
  if (!model.trust_remote_code || remoteStackFor(model) !== null) return null;
  const type = String(model.config.model_type ?? '');
  if (type === 'chatglm' || type === 'baichuan') return { family: type, instead: INSTEAD };
  return null;
}

/**
 * Refuse, in the user's language, to train a model our training cannot train, with what to train
 * instead: the one-GPU train step and the launched several-GPU script alike.
 */
export function refuseUntrainable(model: Pick<ModelEntry, 'id' | 'trust_remote_code' | 'config'>, head: Head, lang: Language): void {
  const remote = head === 'causal' ? remoteTrainingProblem(model) : null;
  if (remote !== null) throw new CellRequestError(t(lang, `cells.remote.${remote.family}` as MessageKey, { model: model.id, instead: remote.instead.join(', ') }));
}

/**
 * The launched several-GPU script runs the current stack (TRL, transformers 5): a model whose cells
 * install its own older stack (remoteStack.ts) trains in one process instead, with device_map="auto".
 */
export function refuseLaunchOnOwnStack(model: Pick<ModelEntry, 'id' | 'trust_remote_code' | 'config'>, head: Head, lang: Language): void {
  const stack = head === 'causal' ? remoteStackFor(model) : null;
  if (stack !== null) throw new CellRequestError(t(lang, 'cells.remote.launch', { model: model.id, transformers: stack.transformers }));
}
