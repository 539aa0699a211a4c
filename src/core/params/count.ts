/** `countParameters`: which family a config belongs to, and its exact parameter count. */
import { ModelConfig } from '../types';
import { bertLike, marian, t5 } from './families/encoders';
import { bloom, gemma, glm, gpt2, llamaLike, mixtral, phi, phi3, qwenMoe } from './families/decoders';
import { baichuan, chatglm, internlm2, qwenV1 } from './families/remote';
import { countedArchitecture, gemma3, glm4Moe, gptOss, olmo3, qwen35, qwen3Next, smollm3 } from './families/current';
import { gemma3n, gemma4 } from './families/gemma4';
import { ministral3 } from './families/ministral3';
import { ParamCount, Part, sumParts, UnknownFamilyError } from './parts';

type Layout = (config: ModelConfig, family: string, architecture: string) => Part[];

/** model_type → layout. Yi and the DeepSeek-R1 distills publish model_type llama / qwen2. */
const FAMILIES: Readonly<Record<string, Layout>> = {
  llama: llamaLike,
  mistral: llamaLike,
  qwen2: llamaLike,
  qwen3: llamaLike,
  gemma: gemma,
  gemma2: gemma,
  phi3: phi3,
  phi: phi,
  glm: glm,
  glm4: glm,
  mixtral: mixtral,
  qwen2_moe: qwenMoe,
  qwen3_moe: qwenMoe,
  gemma3_text: gemma3,
  gemma3: gemma3,
  qwen3_5_text: qwen35,
  qwen3_5: qwen35,
  qwen3_next: qwen3Next,
  gpt_oss: gptOss,
  olmo3: olmo3,
  smollm3: smollm3,
  glm4_moe: glm4Moe,
  gemma3n: gemma3n,
  gemma3n_text: gemma3n,
  gemma4: gemma4,
  gemma4_text: gemma4,
  ministral3: ministral3,
  mistral3: ministral3,
  gpt2: gpt2,
  bloom: bloom,
  bert: bertLike,
  roberta: bertLike,
  'xlm-roberta': bertLike,
  marian: marian,
  t5: t5,
  mt5: t5,
  chatglm: chatglm,
  baichuan: baichuan,
  qwen: qwenV1,
  internlm2: internlm2
};

/** Families whose modeling code is in the model's repository, not in transformers. */
export const REMOTE_CODE_FAMILIES: readonly string[] = ['chatglm', 'baichuan', 'qwen', 'internlm2'];
export const KNOWN_FAMILIES: readonly string[] = Object.keys(FAMILIES);

/** Parts of the model, for callers that need more than the sums (e.g. per-layer sizes). */
export function modelParts(config: ModelConfig): { family: string; architecture: string; parts: Part[] } {
  const family = typeof config.model_type === 'string' ? config.model_type : '';
  const architecture = Array.isArray(config.architectures) && typeof config.architectures[0] === 'string' ? config.architectures[0] : '';
  if (!family) throw new UnknownFamilyError(architecture || '(none)', 'config.json has no model_type');
  const layout = FAMILIES[family];
  if (!layout) throw new UnknownFamilyError(family, `known families: ${KNOWN_FAMILIES.join(', ')}`);
  if (!architecture) throw new UnknownFamilyError(family, 'config.json has no architectures[0]');
  // A vision-language checkpoint whose causal-LM class is its text model alone (Qwen3.5) is
  // counted as that class: what `AutoModelForCausalLM` in our cells builds from it.
  return { family, architecture: countedArchitecture(family, architecture), parts: layout(config, family, architecture) };
}

/**
 * The exact number of parameters of the class in `architectures[0]`, from config.json alone:
 * what `sum(p.numel() for p in model.parameters())` prints (tied tensors once).
 */
export function countParameters(config: ModelConfig): ParamCount {
  const { family, architecture, parts } = modelParts(config);
  return sumParts(family, architecture, parts);
}
