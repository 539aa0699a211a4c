/**
 * The catalog as a user relies on it: every row is valid, every model the seed names is there,
 * the published configs we have on disk match the rows exactly, and lookups work the way people
 * type ids.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CatalogError, findModel, MODELS, validateCatalog } from '..';
import { ModelEntry } from '../../types';

const ROOT = path.resolve(__dirname, '../../../..');
const FIXTURES = path.resolve(ROOT, '../shared/fixtures/configs');
const schema = JSON.parse(fs.readFileSync(path.join(ROOT, 'schema/catalog.schema.json'), 'utf8'));
const clone = (m: ModelEntry): Record<string, unknown> => JSON.parse(JSON.stringify(m));

/** The fixture files: config.json files as published on the Hub, and the catalog row each belongs to. */
const FIXTURE_ROWS: Array<[string, string]> = [
  ['bert-base-chinese.json', 'bert-base-chinese'],
  ['gpt2-chinese-cluecorpussmall.json', 'uer/gpt2-chinese-cluecorpussmall'],
  ['chatglm3-6b.json', 'THUDM/chatglm3-6b'],
  ['Llama-2-7b-hf.json', 'meta-llama/Llama-2-7b-hf'],
  ['Qwen2.5-0.5B.json', 'Qwen/Qwen2.5-0.5B']
];

const LEFT_OUT =
  /(_token_id$|dropout|_pdrop$|^pooler_|^summary_|^(_name_or_path|initializer_range|transformers_version|torch_dtype|use_cache|task_specific_params|tokenizer_class|gradient_checkpointing|output_past|directionality)$)/;

describe('the catalog rows', () => {
  it('all pass validateCatalog, with distinct ids', () => {
    expect(validateCatalog(JSON.parse(JSON.stringify(MODELS)))).toHaveLength(MODELS.length);
    const ids = MODELS.map(m => m.id.toLowerCase());
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('have distinct ModelScope ids', () => {
    const ms = MODELS.map(m => m.modelscope_id?.toLowerCase()).filter(x => x !== undefined);
    expect(new Set(ms).size).toBe(ms.length);
  });

  it.each(FIXTURE_ROWS)('%s: every config field of the row is the published value', (file, id) => {
    const published = JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8'));
    const row = findModel(id);
    expect(row).toBeDefined();
    for (const [field, value] of Object.entries(row!.config)) {
      expect([field, value]).toEqual([field, published[field]]);
    }
    // Only what cannot change the architecture is left out: token ids, dropouts, initialisation,
    // versions, the stored dtype (kept as checkpoint.dtype), BERT's unused pooler_* hints.
    const kept = Object.keys(published).filter(k => !LEFT_OUT.test(k));
    for (const field of kept) {
      expect(row!.config).toHaveProperty([field], published[field]);
    }
  });

  it('carry the stored dtype of fixtures that publish one', () => {
    expect(findModel('THUDM/chatglm3-6b')!.checkpoint?.dtype).toBe('fp16');
    expect(findModel('Qwen/Qwen2.5-0.5B')!.checkpoint?.dtype).toBe('bf16');
  });

  it('mark the remote-code families and the gated repositories', () => {
    expect(findModel('THUDM/chatglm3-6b')!.trust_remote_code).toBe(true);
    // Meta's and the Gemma Terms' repositories ask the user to accept a licence; Gemma 4 is Apache-2.0.
    expect(MODELS.filter(m => m.id.startsWith('meta-llama/') || (m.id.startsWith('google/gemma') && m.license === 'gemma')).every(m => m.gated)).toBe(true);
    expect(MODELS.filter(m => m.id.startsWith('google/gemma-4')).map(m => [m.license, m.gated])).toEqual([
      ['apache-2.0', false],
      ['apache-2.0', false],
      ['apache-2.0', false]
    ]);
    expect(MODELS.filter(m => m.id.startsWith('Qwen/Qwen2.5')).every(m => !m.trust_remote_code && !m.gated)).toBe(true);
  });

  it('count the mixture-of-experts fields for the MoE path', () => {
    const moe = MODELS.filter(m => 'num_experts' in m.config || 'num_local_experts' in m.config);
    expect(moe.length).toBeGreaterThanOrEqual(1);
    for (const m of moe) {
      expect(m.config.num_experts_per_tok).toEqual(expect.any(Number));
    }
  });
});

describe('what the seed asks for', () => {
  it.each([
    'bert-base-chinese',
    'uer/gpt2-chinese-cluecorpussmall',
    'hfl/chinese-llama-2-7b',
    'THUDM/chatglm3-6b',
    'Qwen/Qwen-7B',
    'meta-llama/Llama-2-13b-hf',
    'baichuan-inc/Baichuan2-13B-Base',
    'hfl/chinese-roberta-wwm-ext'
  ])('has the seed model %s under its seed id', id => {
    expect(MODELS.map(m => m.id)).toContain(id);
  });

  it.each([
    ['XLM-RoBERTa', (m: ModelEntry) => m.config.model_type === 'xlm-roberta'],
    ['mBERT', (m: ModelEntry) => m.config.model_type === 'bert' && m.id.includes('multilingual')],
    ['BLOOM', (m: ModelEntry) => m.config.model_type === 'bloom'],
    ['MarianMT between Chinese and English', (m: ModelEntry) => m.config.model_type === 'marian' && m.languages.includes('zh') && m.languages.includes('en')],
    ['T5 / mT5', (m: ModelEntry) => m.config.model_type === 't5' || m.config.model_type === 'mt5'],
    ['Mistral', (m: ModelEntry) => m.config.model_type === 'mistral']
  ])('has a representative of %s', (_family, isOne) => {
    expect(MODELS.filter(isOne).length).toBeGreaterThanOrEqual(1);
  });

  it('has at least 25 models released since 2024', () => {
    expect(MODELS.filter(m => m.released !== 'unknown' && m.released >= '2024-01').length).toBeGreaterThanOrEqual(25);
  });

  it('flags every family that ships its own modelling code as needing trust_remote_code', () => {
    const remote = ['chatglm', 'qwen', 'baichuan', 'internlm2'];
    for (const m of MODELS) {
      expect([m.id, m.trust_remote_code]).toEqual([m.id, remote.includes(m.config.model_type as string)]);
    }
  });

  it('gives translation only to models that can translate, and says when commercial use is not allowed', () => {
    for (const m of MODELS.filter(x => x.tasks.includes('translation'))) {
      expect(['marian', 'mt5', 't5']).toContain(m.config.model_type);
    }
    expect(findModel('Qwen/Qwen2.5-3B-Instruct')!.commercial).toBe(false); // Qwen Research License
  });
});

describe('findModel', () => {
  it('finds a model by its Hugging Face id, in any case and with stray spaces', () => {
    expect(findModel('Qwen/Qwen2.5-7B-Instruct')?.id).toBe('Qwen/Qwen2.5-7B-Instruct');
    expect(findModel('qwen/qwen2.5-7b-instruct')?.id).toBe('Qwen/Qwen2.5-7B-Instruct');
    expect(findModel('  THUDM/ChatGLM3-6B ')?.id).toBe('THUDM/chatglm3-6b');
  });

  it('finds a model by its ModelScope id', () => {
    expect(findModel('ZhipuAI/chatglm3-6b')?.id).toBe('THUDM/chatglm3-6b');
    expect(findModel('zhipuai/CHATGLM3-6B')?.id).toBe('THUDM/chatglm3-6b');
  });

  it('answers undefined for a model it does not know, or an empty id', () => {
    expect(findModel('nobody/no-such-model')).toBeUndefined();
    expect(findModel('')).toBeUndefined();
  });

  it("prefers the user's own rows over the catalog's", () => {
    const mine = { ...MODELS[0], notes: 'my copy' };
    expect(findModel(MODELS[0].id, [mine])?.notes).toBe('my copy');
  });
});

describe('validateCatalog on bad rows', () => {
  const good = () => clone(findModel('Qwen/Qwen2.5-7B-Instruct')!);

  it('refuses what is not a list', () => {
    expect(() => validateCatalog({})).toThrow(CatalogError);
    expect(() => validateCatalog({})).toThrow('a catalog must be a list of models, got object');
  });

  it.each(schema.$defs.ModelEntry.required as string[])('refuses a row without "%s", as the schema does', field => {
    const row = good();
    delete row[field];
    expect(() => validateCatalog([row])).toThrow(`model 0${field === 'id' ? '' : ' (Qwen/Qwen2.5-7B-Instruct)'} is missing "${field}"`);
  });

  it('names the row and the field of each problem', () => {
    const row = good();
    row.chinese = 7;
    row.tasks = ['poetry'];
    (row.config as Record<string, unknown>).hidden_size = -1;
    const err = () => validateCatalog([good(), row]);
    expect(err).toThrow('model 1 (Qwen/Qwen2.5-7B-Instruct).chinese must be a whole number of stars from 0 to 5, got number');
    expect(err).toThrow('model 1 (Qwen/Qwen2.5-7B-Instruct).tasks must be a non-empty list');
    expect(err).toThrow('model 1 (Qwen/Qwen2.5-7B-Instruct).config.hidden_size must be a positive integer, got number');
  });

  it('refuses two rows with the same id, whatever the case', () => {
    const a = good();
    const b = good();
    b.id = 'qwen/QWEN2.5-7B-INSTRUCT';
    expect(() => validateCatalog([a, b])).toThrow('model 1 (qwen/QWEN2.5-7B-INSTRUCT) repeats the id of model 0');
  });

  it('refuses unknown fields and a malformed release date', () => {
    const row = good();
    row.release = '2024-09';
    row.released = 'September 2024';
    expect(() => validateCatalog([row])).toThrow('has an unknown field "release"');
    expect(() => validateCatalog([row])).toThrow('.released must be YYYY-MM, got "September 2024"');
  });

  it('refuses a config without architectures or model_type', () => {
    const row = good();
    delete (row.config as Record<string, unknown>).architectures;
    delete (row.config as Record<string, unknown>).model_type;
    expect(() => validateCatalog([row])).toThrow('has no "architectures"');
    expect(() => validateCatalog([row])).toThrow('has no "model_type"');
  });
});
