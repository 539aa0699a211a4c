/**
 * A user brings their own config.json: it becomes a row with honest defaults, or a clear error.
 */
import * as fs from 'fs';
import * as path from 'path';
import { CatalogError, findModel, modelFromConfig, validateCatalog } from '..';

const FIXTURES = path.resolve(__dirname, '../../../../../shared/fixtures/configs');
const read = (file: string): unknown => JSON.parse(fs.readFileSync(path.join(FIXTURES, file), 'utf8'));

describe('modelFromConfig on published configs', () => {
  it('makes a Llama 2 config.json a generation model with unknown language and licence', () => {
    const m = modelFromConfig(read('Llama-2-7b-hf.json'), 'my-org/llama-2-7b-finetuned');
    expect(m).toMatchObject({
      id: 'my-org/llama-2-7b-finetuned',
      tasks: ['generation'],
      languages: [],
      chinese: 0,
      trust_remote_code: false,
      context_length: 4096,
      released: 'unknown',
      checkpoint: { dtype: 'fp16' }
    });
    expect(m.config.hidden_size).toBe(4096);
  });

  it('reads the context of each family from its own field (seq_length, n_positions, max_position_embeddings)', () => {
    expect(modelFromConfig(read('chatglm3-6b.json'), './chatglm3').context_length).toBe(8192);
    expect(modelFromConfig(read('gpt2-chinese-cluecorpussmall.json'), 'uer/gpt2-chinese-cluecorpussmall').context_length).toBe(1024);
    expect(modelFromConfig(read('Qwen2.5-0.5B.json'), 'Qwen/Qwen2.5-0.5B').context_length).toBe(32768);
  });

  it("reads a vision-language config's context from its text_config (Qwen3.5, Gemma 3), not the 2,048 assumed", () => {
    const qwen35 = findModel('Qwen/Qwen3.5-9B');
    expect(qwen35).toBeDefined();
    const mine = modelFromConfig(qwen35!.config, './my-qwen3.5');
    expect(mine.context_length).toBe(qwen35!.context_length);
    expect(mine.notes).not.toMatch(/2048 tokens assumed/);
  });

  it('gives an encoder the fine-tuning tasks an encoder is used for', () => {
    expect(modelFromConfig(read('bert-base-chinese.json'), 'bert-base-chinese').tasks).toEqual(['classification', 'ner', 'qa']);
  });

  it('adds chat to a generator whose id says instruct or chat', () => {
    expect(modelFromConfig(read('Qwen2.5-0.5B.json'), 'someone/Qwen2.5-0.5B-Instruct-sft').tasks).toEqual(['generation', 'chat']);
  });

  it('needs trust_remote_code exactly when the config maps classes to the repository code (auto_map)', () => {
    const glm = read('chatglm3-6b.json') as Record<string, unknown>;
    expect(modelFromConfig(glm, 'THUDM/chatglm3-6b').trust_remote_code).toBe(false);
    const withMap = { ...glm, auto_map: { AutoModel: 'modeling_chatglm.ChatGLMForConditionalGeneration' } };
    expect(modelFromConfig(withMap, 'THUDM/chatglm3-6b').trust_remote_code).toBe(true);
  });

  it('accepts the text of config.json as well as the parsed object', () => {
    const text = fs.readFileSync(path.join(FIXTURES, 'Qwen2.5-0.5B.json'), 'utf8');
    expect(modelFromConfig(text, '/models/qwen').config.vocab_size).toBe(151936);
  });

  it('makes rows the catalog accepts as user rows (local directories included)', () => {
    const rows = [modelFromConfig(read('Llama-2-7b-hf.json'), '/home/me/llama'), modelFromConfig(read('bert-base-chinese.json'), '~/bert')];
    expect(validateCatalog(rows)).toHaveLength(2);
    expect(findModel('/home/me/llama', rows)?.config.model_type).toBe('llama');
  });

  it('says when it had to assume a context length', () => {
    const t5 = { architectures: ['T5ForConditionalGeneration'], model_type: 't5', d_model: 512 };
    const m = modelFromConfig(t5, 'google-t5/t5-small');
    expect(m.context_length).toBe(2048);
    expect(m.notes).toContain('2048 tokens assumed');
    expect(m.tasks).toEqual(['translation', 'generation']);
  });
});

describe('modelFromConfig on broken input', () => {
  it.each([
    [null, 'must be a JSON object (the contents of config.json), got null'],
    [[1, 2], 'must be a JSON object (the contents of config.json), got an array'],
    [42, 'must be a JSON object (the contents of config.json), got number']
  ])('refuses %p as a config', (config, message) => {
    expect(() => modelFromConfig(config, 'me/model')).toThrow(CatalogError);
    expect(() => modelFromConfig(config, 'me/model')).toThrow(`the config.json of me/model ${message}`);
  });

  it('refuses text that is not JSON, saying so', () => {
    expect(() => modelFromConfig('{"model_type": "llama",', 'me/model')).toThrow('the config.json of me/model is not valid JSON');
  });

  it('refuses a config without architectures or model_type, naming what is missing', () => {
    expect(() => modelFromConfig({ model_type: 'llama' }, 'me/model')).toThrow('has no "architectures" (e.g. ["LlamaForCausalLM"])');
    expect(() => modelFromConfig({ architectures: ['LlamaForCausalLM'] }, 'me/model')).toThrow('has no "model_type" (e.g. "llama")');
    expect(() => modelFromConfig({ architectures: [], model_type: 'llama' }, 'me/model')).toThrow('architectures must be a non-empty list of class names, got []');
  });

  it('refuses sizes that are not positive integers', () => {
    const bad = { architectures: ['LlamaForCausalLM'], model_type: 'llama', hidden_size: '4096', num_hidden_layers: 0 };
    expect(() => modelFromConfig(bad, 'me/model')).toThrow('hidden_size must be a positive integer, got "4096"');
    expect(() => modelFromConfig(bad, 'me/model')).toThrow('num_hidden_layers must be a positive integer, got number');
  });

  it.each([
    ['', 'a model needs an id'],
    ['   ', 'a model needs an id'],
    ['https://huggingface.co/Qwen/Qwen2.5-7B', 'is a URL'],
    ['Qwen/Qwen2.5 7B', 'is neither a Hugging Face id'],
    ['a/b/c', 'is neither a Hugging Face id'],
    ['owner/../etc', 'is neither a Hugging Face id'],
    ['-owner/name', 'is neither a Hugging Face id']
  ])('refuses the id %p', (id, message) => {
    expect(() => modelFromConfig(read('Llama-2-7b-hf.json'), id)).toThrow(message);
  });
});
