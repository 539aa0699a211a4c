/**
 * Remote-code models the guide recommends first for Chinese (ChatGLM3-6B, GLM-4-9B-chat,
 * Baichuan2) that our training cells cannot train, with why and what to train instead (issue 18
 * item 10). Read in their own modeling code, not run here (no hub, and their code is theirs):
 *
 * - ChatGLM3 / GLM-4 (`model_type` "chatglm", modeling_chatglm.py): the output layer is
 *   `transformer.output_layer`, there is no `lm_head` and no `get_output_embeddings` override, so
 *   transformers returns None. TRL 1.16's SFTTrainer always adds its fused, tiled LM head
 *   (`trl/trainer/sft_trainer.py:1144` → `trl/trainer/utils.py:1548 add_fused_lm_head`), whose
 *   forward reads `self.get_output_embeddings().weight` (`utils.py:1623`): the first step fails.
 *   Their tokenizers also break on current transformers (zai-org/ChatGLM3#1324: `_pad()` got an
 *   unexpected keyword argument `padding_side`).
 * - Baichuan2 (`model_type` "baichuan", modeling_baichuan.py `NormHead`): in training the head
 *   multiplies by the L2-normalized weight; TRL's fused head multiplies by the raw weight, so the
 *   loss is silently wrong. Its tokenizer breaks on current transformers too
 *   (baichuan-inc/Baichuan2#204: `sp_model`).
 *
 * A working stack for them would be the old transformers each repository pins, with transformers'
 * Trainer instead of TRL's; that stack could not be checked here, so the cells say so plainly and
 * name a native successor the cells do train.
 */
import type { ModelEntry } from '../types';
import { t, Language, MessageKey } from '../i18n';
import { CellRequestError } from './request';
import type { Head } from './plan';

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
export function remoteTrainingProblem(model: Pick<ModelEntry, 'trust_remote_code' | 'config'>): RemoteTrainingProblem | null {
  if (!model.trust_remote_code) return null;
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
