/**
 * A user's own model: any config.json becomes a catalog row with honest defaults (nothing is
 * known about its languages, licence or release, so the row says so rather than guessing).
 */
import { ModelConfig, ModelEntry, Task } from '../types';
import { CatalogError, configProblems, HF_ID, LOCAL_PATH, validateEntry } from './validate';
import familyDefaults from './family-defaults.json';

/**
 * A published config.json may leave out a field whose value is its config class's default
 * (a Mistral config without `num_key_value_heads` has 8, MistralConfig's default — not
 * `num_attention_heads`). Fill the fields the estimate reads from that family's defaults
 * (family-defaults.json, checked against `AutoConfig.for_model` by tests/test_family_defaults.py);
 * a field present, even as null, is the config's own — under any of its names (`_aliases`: a
 * BLOOM config's `n_embed` is its hidden size, a GPT-2 config's `n_embd`). Every command reads a
 * config through this: `params`, `fit`, the cells and the panel count the same model.
 */
export function withFamilyDefaults(config: ModelConfig): ModelConfig {
  const family = typeof config.model_type === 'string' ? config.model_type : '';
  const table = familyDefaults as unknown as Record<string, unknown>;
  const defaults = family.startsWith('_') ? undefined : table[family];
  if (defaults === undefined || defaults === null || typeof defaults !== 'object') return config;
  const groups = ((table._aliases as Record<string, string[][]>)[family] ?? []) as string[][];
  const names = (field: string) => groups.find(g => g.includes(field)) ?? [field];
  const filled: ModelConfig = { ...config };
  for (const [field, value] of Object.entries(defaults as Record<string, unknown>)) {
    if (!names(field).some(name => name in config)) filled[field] = value;
  }
  return filled;
}

/** Encoder-decoder families whose `…ForConditionalGeneration` is a text-to-text (translation) model. */
const SEQ2SEQ_TYPES = ['t5', 'mt5', 'umt5', 'bart', 'mbart', 'marian', 'm2m_100', 'nllb-moe', 'pegasus', 'longt5'];

/**
 * What the class named in `architectures[0]` is for. The suffixes are transformers' naming of task
 * heads (`…ForSequenceClassification`, `…ForTokenClassification`, …); a bare encoder (`BertModel`,
 * `…ForMaskedLM`) is the usual starting point for classification, NER and extractive QA.
 */
export function tasksFromArchitecture(architecture: string, modelType: string, id: string): Task[] {
  const chatty = /(chat|instruct|-it$|-it-)/i.test(id);
  const generative: Task[] = chatty ? ['generation', 'chat'] : ['generation'];
  if (/ForSequenceClassification$/.test(architecture)) {
    return ['classification'];
  }
  if (/ForTokenClassification$/.test(architecture)) {
    return ['ner'];
  }
  if (/ForQuestionAnswering$/.test(architecture)) {
    return ['qa'];
  }
  if (/(ForCausalLM|LMHeadModel)$/.test(architecture) || modelType === 'chatglm') {
    return generative;
  }
  if (/^MarianMTModel$/.test(architecture) || (/ForConditionalGeneration$/.test(architecture) && SEQ2SEQ_TYPES.includes(modelType))) {
    return ['translation', 'generation'];
  }
  if (/ForConditionalGeneration$/.test(architecture)) {
    return generative;
  }
  if (/(ForMaskedLM|ForPreTraining|Model)$/.test(architecture)) {
    return ['classification', 'ner', 'qa'];
  }
  return generative;
}

/** The context length a config publishes, under the names the families use for it. */
function contextLength(config: ModelConfig): number | null {
  // A vision-language config (Gemma 3, Qwen3.5) keeps its decoder's sizes under text_config.
  const text = typeof config.text_config === 'object' && config.text_config !== null ? (config.text_config as ModelConfig) : null;
  for (const source of text ? [config, text] : [config]) {
    for (const field of ['max_position_embeddings', 'seq_length', 'n_positions', 'max_sequence_length', 'n_ctx']) {
      const v = source[field];
      if (typeof v === 'number' && Number.isInteger(v) && v > 0) {
        return v;
      }
    }
  }
  return null;
}

/** `torch_dtype` (transformers 4) or `dtype` (transformers 5) → the checkpoint's storage dtype. */
function checkpointDtype(config: ModelConfig): 'fp32' | 'bf16' | 'fp16' | null {
  const d = config.torch_dtype ?? config.dtype;
  return d === 'float32' ? 'fp32' : d === 'bfloat16' ? 'bf16' : d === 'float16' ? 'fp16' : null;
}

/** Why an id is refused, or null when it is a plausible HF id or local directory. */
export function idProblem(id: unknown): string | null {
  if (typeof id !== 'string' || id.trim() === '') {
    return 'a model needs an id: a Hugging Face id such as "Qwen/Qwen2.5-7B-Instruct" or a local directory such as "./my-model"';
  }
  if (/^[a-z]+:\/\//i.test(id)) {
    return `"${id}" is a URL; give the Hugging Face id ("owner/name") or a local directory instead`;
  }
  if (LOCAL_PATH.test(id)) {
    return null;
  }
  if (!HF_ID.test(id) || id.includes('..') || id.includes('--')) {
    return `"${id}" is neither a Hugging Face id ("owner/name": letters, digits, "-", "_", ".") nor a local directory (starting with /, ./, ../ or ~/)`;
  }
  return null;
}

/**
 * A user's config.json (the parsed object, or its text) and the id it will be loaded by → a row.
 * Defaults: tasks from the architecture, `trust_remote_code` when the config maps its classes to
 * the repository's own code (`auto_map`), no languages, 0 Chinese stars, licence unknown, not for
 * commercial use until the user says so, release unknown.
 */
export function modelFromConfig(config: unknown, id: string): ModelEntry {
  const problem = idProblem(id);
  if (problem !== null) {
    throw new CatalogError(problem);
  }
  let parsed = config;
  if (typeof config === 'string') {
    try {
      parsed = JSON.parse(config);
    } catch (e) {
      throw new CatalogError(`the config.json of ${id} is not valid JSON: ${(e as Error).message}`);
    }
  }
  const problems = configProblems(parsed, `the config.json of ${id}`);
  if (problems.length > 0) {
    throw new CatalogError(problems.join('; '));
  }
  const cfg = withFamilyDefaults(parsed as ModelConfig);
  const architecture = (cfg.architectures as string[])[0];
  const context = contextLength(cfg);
  const dtype = checkpointDtype(cfg);
  const notes: string[] = ['From a user-supplied config.json.'];
  if (context === null) {
    notes.push('The config names no context length; 2048 tokens assumed.');
  }
  const entry: ModelEntry = {
    id,
    modelscope_id: null,
    tasks: tasksFromArchitecture(architecture, cfg.model_type as string, id),
    languages: [],
    chinese: 0,
    license: 'unknown',
    commercial: false,
    gated: false,
    trust_remote_code: typeof cfg.auto_map === 'object' && cfg.auto_map !== null,
    context_length: context ?? 2048,
    released: 'unknown',
    ...(dtype === null ? {} : { checkpoint: { dtype } }),
    config: cfg,
    notes: notes.join(' ')
  };
  return validateEntry(entry, `the model ${id}`);
}
