/**
 * The catalog's rules, checked by hand so the core needs no JSON-Schema library.
 * They mirror `schema/catalog.schema.json` rule for rule; the jest tests hold the two together
 * (every `required` field of the schema is enforced here) and the pytest proves the schema
 * describes `models.json`.
 */
import { ModelEntry, Task, TASKS } from '../types';

/** A catalog row (or a user's config.json) that cannot be used; the message says which field and why. */
export class CatalogError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CatalogError';
  }
}

/** A Hugging Face id: `owner/name` or a legacy single name (`bert-base-chinese`). */
export const HF_ID = /^([A-Za-z0-9][A-Za-z0-9._-]*\/)?[A-Za-z0-9][A-Za-z0-9._-]*$/;
/** A local model directory, as a user's own rows may name it: /…, ./…, ../…, ~/…, C:\… */
export const LOCAL_PATH = /^(\/|\.\/|\.\.\/|~\/|[A-Za-z]:[\\/])[^\u0000-\u001f]*$/;
/** The schema's id rule: an HF id or a local path. */
export function isModelId(id: string): boolean {
  return id.length <= 1000 && (HF_ID.test(id) || LOCAL_PATH.test(id));
}
const MODELSCOPE_ID = /^[A-Za-z0-9][A-Za-z0-9._-]*\/[A-Za-z0-9][A-Za-z0-9._-]*$/;
// ISO 639 codes; Chinese may name its script (zh-Hant: Traditional, zh-Hans: Simplified, BCP 47).
const LANGUAGE = /^[a-z]{2,3}(-Han[st])?$/;
const RELEASED = /^([0-9]{4}-(0[1-9]|1[0-2])|unknown)$/;
const ARCHITECTURE = /^[A-Za-z_][A-Za-z0-9_]*$/;
const MODEL_TYPE = /^[a-z0-9_-]+$/;

const ENTRY_FIELDS = [
  'id',
  'modelscope_id',
  'tasks',
  'languages',
  'chinese',
  'license',
  'commercial',
  'gated',
  'trust_remote_code',
  'reasoning',
  'context_length',
  'released',
  'checkpoint',
  'config',
  'notes'
] as const;
const REQUIRED_FIELDS = ENTRY_FIELDS.filter(f => f !== 'checkpoint' && f !== 'notes' && f !== 'reasoning');

/** Config fields that are sizes: when present they must be positive integers (schema: PositiveInt). */
export const SIZE_FIELDS = [
  'vocab_size',
  'padded_vocab_size',
  'hidden_size',
  'n_embd',
  'd_model',
  'intermediate_size',
  'ffn_hidden_size',
  'd_ff',
  'num_hidden_layers',
  'num_layers',
  'n_layer',
  'num_attention_heads',
  'num_key_value_heads',
  'head_dim',
  'max_position_embeddings',
  'num_experts',
  'num_local_experts',
  'num_experts_per_tok'
] as const;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isPositiveInt(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1;
}

function describe(value: unknown): string {
  if (value === null) {
    return 'null';
  }
  if (Array.isArray(value)) {
    return 'an array';
  }
  return typeof value === 'string' ? JSON.stringify(value) : typeof value;
}

/**
 * Checks the fields every config.json must have for the estimate: `architectures` (the class
 * whose parameters are counted) and `model_type` (the family). Returns the list of problems.
 */
export function configProblems(config: unknown, where = 'config'): string[] {
  if (!isObject(config)) {
    return [`${where} must be a JSON object (the contents of config.json), got ${describe(config)}`];
  }
  const problems: string[] = [];
  const arch = config.architectures;
  if (arch === undefined) {
    problems.push(`${where} has no "architectures" (e.g. ["LlamaForCausalLM"]): the model class cannot be known`);
  } else if (!Array.isArray(arch) || arch.length === 0 || !arch.every(a => typeof a === 'string' && ARCHITECTURE.test(a))) {
    problems.push(`${where}.architectures must be a non-empty list of class names, got ${JSON.stringify(arch)}`);
  }
  const type = config.model_type;
  if (type === undefined) {
    problems.push(`${where} has no "model_type" (e.g. "llama"): the model family cannot be known`);
  } else if (typeof type !== 'string' || !MODEL_TYPE.test(type)) {
    problems.push(`${where}.model_type must be a lower-case family name such as "qwen2", got ${describe(type)}`);
  }
  for (const field of SIZE_FIELDS) {
    if (field in config && !isPositiveInt(config[field])) {
      problems.push(`${where}.${field} must be a positive integer, got ${describe(config[field])}`);
    }
  }
  if ('tie_word_embeddings' in config && typeof config.tie_word_embeddings !== 'boolean') {
    problems.push(`${where}.tie_word_embeddings must be true or false, got ${describe(config.tie_word_embeddings)}`);
  }
  return problems;
}

function entryProblems(row: unknown, where: string): string[] {
  if (!isObject(row)) {
    return [`${where} must be an object, got ${describe(row)}`];
  }
  const p: string[] = [];
  for (const field of REQUIRED_FIELDS) {
    if (!(field in row)) {
      p.push(`${where} is missing "${field}"`);
    }
  }
  for (const field of Object.keys(row)) {
    if (!(ENTRY_FIELDS as readonly string[]).includes(field)) {
      p.push(`${where} has an unknown field "${field}"`);
    }
  }
  const r = row;
  if ('id' in r && (typeof r.id !== 'string' || !isModelId(r.id))) {
    p.push(`${where}.id must be a Hugging Face id such as "Qwen/Qwen2.5-7B-Instruct" or a local directory, got ${describe(r.id)}`);
  }
  if ('modelscope_id' in r && r.modelscope_id !== null && (typeof r.modelscope_id !== 'string' || !MODELSCOPE_ID.test(r.modelscope_id))) {
    p.push(`${where}.modelscope_id must be "owner/name" or null, got ${describe(r.modelscope_id)}`);
  }
  if ('tasks' in r) {
    const t = r.tasks;
    if (!Array.isArray(t) || t.length === 0 || !t.every(x => TASKS.includes(x as Task)) || new Set(t).size !== t.length) {
      p.push(`${where}.tasks must be a non-empty list of distinct tasks from ${TASKS.join(', ')}, got ${JSON.stringify(t)}`);
    }
  }
  if ('languages' in r) {
    const l = r.languages;
    if (!Array.isArray(l) || !l.every(x => typeof x === 'string' && LANGUAGE.test(x)) || new Set(l).size !== l.length) {
      p.push(`${where}.languages must be distinct ISO 639 codes such as "zh" (or "zh-Hant", "zh-Hans"), got ${JSON.stringify(l)}`);
    }
  }
  if ('chinese' in r && !(typeof r.chinese === 'number' && Number.isInteger(r.chinese) && r.chinese >= 0 && r.chinese <= 5)) {
    p.push(`${where}.chinese must be a whole number of stars from 0 to 5, got ${describe(r.chinese)}`);
  }
  if ('license' in r && !(typeof r.license === 'string' && r.license.length > 0)) {
    p.push(`${where}.license must be a non-empty string`);
  }
  for (const flag of ['commercial', 'gated', 'trust_remote_code', 'reasoning'] as const) {
    if (flag in r && typeof r[flag] !== 'boolean') {
      p.push(`${where}.${flag} must be true or false, got ${describe(r[flag])}`);
    }
  }
  if ('context_length' in r && !isPositiveInt(r.context_length)) {
    p.push(`${where}.context_length must be a positive integer, got ${describe(r.context_length)}`);
  }
  if ('released' in r && !(typeof r.released === 'string' && RELEASED.test(r.released))) {
    p.push(`${where}.released must be YYYY-MM, got ${describe(r.released)}`);
  }
  if ('checkpoint' in r) {
    const c = r.checkpoint;
    if (!isObject(c)) {
      p.push(`${where}.checkpoint must be an object`);
    } else {
      if (!['fp32', 'bf16', 'fp16'].includes(c.dtype as string)) {
        p.push(`${where}.checkpoint.dtype must be fp32, bf16 or fp16, got ${describe(c.dtype)}`);
      }
      for (const k of Object.keys(c)) {
        if (k === 'total_bytes' || k === 'largest_shard_bytes') {
          if (!isPositiveInt(c[k])) {
            p.push(`${where}.checkpoint.${k} must be a positive integer`);
          }
        } else if (k !== 'dtype') {
          p.push(`${where}.checkpoint has an unknown field "${k}"`);
        }
      }
    }
  }
  if ('config' in r) {
    p.push(...configProblems(r.config, `${where}.config`));
  }
  if ('notes' in r && typeof r.notes !== 'string') {
    p.push(`${where}.notes must be a string`);
  }
  return p;
}

/** One row checked on its own; throws a CatalogError listing every problem. */
export function validateEntry(row: unknown, where = 'model'): ModelEntry {
  const problems = entryProblems(row, where);
  if (problems.length > 0) {
    throw new CatalogError(problems.join('; '));
  }
  return row as ModelEntry;
}

/**
 * A whole catalog (models.json, or the user's own rows from settings): a list of valid rows with
 * distinct ids (case-insensitive, since Hugging Face ids are). Throws a CatalogError naming the
 * row and the field of every problem.
 */
export function validateCatalog(rows: unknown): ModelEntry[] {
  if (!Array.isArray(rows)) {
    throw new CatalogError(`a catalog must be a list of models, got ${describe(rows)}`);
  }
  const problems: string[] = [];
  const seen = new Map<string, number>();
  rows.forEach((row, i) => {
    const name = isObject(row) && typeof row.id === 'string' ? `model ${i} (${row.id})` : `model ${i}`;
    problems.push(...entryProblems(row, name));
    if (isObject(row) && typeof row.id === 'string') {
      const key = row.id.toLowerCase();
      if (seen.has(key)) {
        problems.push(`${name} repeats the id of model ${seen.get(key)}`);
      } else {
        seen.set(key, i);
      }
    }
  });
  if (problems.length > 0) {
    throw new CatalogError(problems.join('; '));
  }
  return rows as ModelEntry[];
}
