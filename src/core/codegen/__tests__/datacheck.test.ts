/**
 * "Check your data" (issue 20 item 4): the step's cell as the generator writes it — off by default,
 * offered to --steps and the sidebar; its figures from the plan (length, batch, the speed estimate's
 * tokens/s); the Train cell reading the opt-in only where the check is there; the record the sidebar
 * reads back. The cell itself runs in tests/test_cells_run_datacheck.py.
 */
import { CellRequest, CellRequestError, defaultSteps, parseSteps, planOf, renderCells, STEPS } from '..';
import { DATA_CHECK_FILE, parseDataCheck } from '../datacheck';
import { findModel } from '../../catalog';
import { findGpu } from '../../gpu';
import { planSpeed } from '../../speed';

const model = (id: string) => findModel(id)!;
const qwen = model('Qwen/Qwen2.5-7B-Instruct');
const t4: CellRequest = { model: qwen, gpu: findGpu('t4'), method: 'qlora', steps: ['source', 'check', 'quantize', 'load', 'lora', 'train'] };
const cell = (request: CellRequest, step: string, type: 'code' | 'markdown' = 'code') => renderCells(request).find(c => c.step === step && c.cell_type === type)!.source;

describe('the data check step', () => {
  it('comes before the model loads, and only when asked for', () => {
    expect(STEPS.indexOf('check')).toBe(STEPS.indexOf('source') + 1);
    expect(STEPS.indexOf('check')).toBeLessThan(STEPS.indexOf('train'));
    for (const method of ['qlora', 'lora', 'full', 'inference'] as const) expect(defaultSteps(method, false, method === 'qlora')).not.toContain('check');
    expect(parseSteps(['train', 'check'])).toEqual(['check', 'train']);
    expect(renderCells({ model: qwen, gpu: findGpu('t4'), method: 'qlora' }).map(c => c.step)).not.toContain('check');
  });

  it('measures against the plan: its length, batch and accumulation, and the speed estimate of a T4', () => {
    const plan = planOf(t4);
    const speed = planSpeed(qwen, findGpu('t4'), plan);
    if (speed === null || speed.kind !== 'training' || !plan.known) throw new Error('Qwen2.5-7B QLoRA on a T4 has a plan and a speed');
    const code = cell(t4, 'check');
    expect(code).toContain('USE_SUGGESTED_LENGTH = False');
    expect(code).toContain(`max_length = ${plan.settings.seqLen}  # the plan's length`);
    expect(code).toContain(`batch, accumulation, processes = ${plan.settings.batch}, ${plan.settings.gradAccum}, 1`);
    expect(code).toContain(`tokens_per_second = ${Math.round(speed.tokens_per_second)}  #`);
    // A Colab T4: an epoch that outlasts a 12-hour session is said.
    expect(code).toContain('if epoch_seconds > 0.9 * 43200:');
    expect(code).toContain('from trl import is_conversational, maybe_convert_to_chatml');
    expect(code).toContain(`os.path.join("outputs/Qwen2.5-7B-Instruct-qlora", "${DATA_CHECK_FILE}")`);
    // The tokenizer is the model's own, set up as the load cell sets it (a BERT tokenizer's [SEP] as eos).
    expect(code).toContain('tokenizer = AutoTokenizer.from_pretrained(model_path)');
    expect(code).toContain('eos_from_sep = tokenizer.eos_token is None');
    const markdown = cell(t4, 'check', 'markdown');
    expect(markdown).toMatch(/^## Check your data\n/);
    expect(markdown).toContain('`max_length` = 1,024 would cut');
    expect(markdown).toContain('`outputs/Qwen2.5-7B-Instruct-qlora/data_check.json`');
    expect(markdown).toContain('`USE_SUGGESTED_LENGTH = True`');
  });

  it('has no time on a CPU or in a simulation, and reads the same data as the Train cell', () => {
    const simulated = cell({ ...t4, simulateOnCpu: true, dataset: 'my/data' }, 'check');
    expect(simulated).toContain('tokens_per_second = None');
    expect(simulated).not.toContain('epoch_seconds > 0.9');
    expect(simulated).toContain('dataset_name = "my/data"\n    dataset = load_dataset(dataset_name, split="train")');
    const zh = { ...t4, dataLanguage: 'zh' };
    // Chinese data: the sample rows, chosen by the tokenizer's chat template, inside the check's try.
    expect(cell(zh, 'check')).toContain('    if dataset_name is None:\n        if tokenizer.chat_template:');
    expect(cell(zh, 'train')).toContain('if dataset_name is None:\n    if tokenizer.chat_template:');
  });

  it('lets the Train cell take the suggested length only with the check there', () => {
    const withCheck = cell(t4, 'train');
    expect(withCheck).toContain('if globals().get("USE_SUGGESTED_LENGTH") and globals().get("suggested_length"):');
    expect(withCheck).toContain('max_length=max_length,');
    const without = cell({ ...t4, steps: ['source', 'quantize', 'load', 'lora', 'train'] }, 'train');
    expect(without).not.toContain('USE_SUGGESTED_LENGTH');
    expect(without).toContain('max_length = 1024  # longer samples are cut here');
    // The classifier reads it through the same tokenize function the check calls with max_length=None.
    const bert = { model: model('bert-base-chinese'), gpu: findGpu('t4'), method: 'lora' as const, task: 'classification' as const, steps: ['check', 'train'] };
    const check = cell(bert, 'check');
    const train = cell(bert, 'train');
    const tokenize = 'def tokenize(batch, max_length):\n    # Longer texts are cut at max_length (None: nothing is cut, as the data check measures).\n    return tokenizer(batch["text"], truncation=max_length is not None, max_length=max_length)';
    expect(train).toContain(tokenize);
    expect(check).toContain(tokenize.replace(/\n/g, '\n    ').replace(/^/, '    '));
    expect(check).toContain('kept.map(tokenize, batched=True, fn_kwargs={"max_length": None})');
    expect(train).toContain('USE_SUGGESTED_LENGTH');
  });

  it('offers no opt-in where one length does not cut: extractive QA, and a launched run', () => {
    const qa: CellRequest = { model: model('bert-base-chinese'), gpu: findGpu('t4'), method: 'lora', task: 'qa', steps: ['check', 'train'] };
    expect(cell(qa, 'check')).not.toContain('USE_SUGGESTED_LENGTH');
    expect(cell(qa, 'check', 'markdown')).toContain('split into overlapping windows, not cut');
    expect(cell(qa, 'train')).not.toContain('USE_SUGGESTED_LENGTH');
    const launched: CellRequest = { model: model('Qwen/Qwen2.5-14B-Instruct'), gpu: findGpu('2xt4'), method: 'qlora', steps: ['source', 'check', 'launch'] };
    const code = cell(launched, 'check');
    expect(code).not.toContain('USE_SUGGESTED_LENGTH');
    expect(code).toContain('batch, accumulation, processes = ');
    expect(code).toMatch(/batch, accumulation, processes = \d+, \d+, 2/);
    expect(code).toContain('× 2 GPUs');
    expect(cell(launched, 'check', 'markdown')).toContain("take the sidebar's offer and insert the cells again");
  });

  it('names the model itself without the source step, and refuses inference', () => {
    const alone = renderCells({ ...t4, steps: ['check'] });
    expect(alone.map(c => c.step)).toEqual(['title', 'check', 'check']);
    expect(alone[2].source).toContain('model_path = "Qwen/Qwen2.5-7B-Instruct"  #');
    expect(alone[1].source).toContain('was left out');
    // A mirror is more than one line: the source step comes along, and says why.
    const mirror = renderCells({ ...t4, steps: ['check'], source: 'mirror' });
    expect(mirror.map(c => c.step)).toEqual(['title', 'source', 'source', 'check', 'check']);
    expect(mirror[1].source).toContain('Added because the step "Check your data" needs it.');
    expect(() => renderCells({ model: qwen, gpu: findGpu('t4'), method: 'inference', steps: ['check'] })).toThrow(CellRequestError);
  });

  it('prints in the user’s language', () => {
    const code = cell({ ...t4, language: 'zh-Hant' }, 'check');
    expect(code).toContain('"suggest": "95 % 的樣本不超過 {length} 個 token。"');
    expect(code).toContain('# 訓練前檢查你的資料');
    expect(cell({ ...t4, language: 'zh-Hans' }, 'check', 'markdown')).toMatch(/^## 检查你的数据\n/);
  });
});

describe('the data check record, as the sidebar reads it', () => {
  const good = {
    kind: 'model-advisor data check', version: 1, model: 'Qwen/Qwen2.5-7B-Instruct', max_length: 1024, rows: 52000, measured: 2000,
    percentiles: { p50: 310, p90: 980, p95: 1420, p99: 2400, p100: 5100 }, cut: 140, suggested_length: 1420, problems: 0
  };
  it('gives the figures of a record for the model planned for', () => {
    const { kind, version, ...figures } = good;
    expect([kind, version]).toEqual(['model-advisor data check', 1]);
    expect(parseDataCheck(JSON.stringify(good), 'Qwen/Qwen2.5-7B-Instruct')).toEqual({ ok: true, record: figures });
  });
  it('ignores, and says why, a record that is missing, corrupt or from another model', () => {
    expect(parseDataCheck(null, 'x')).toEqual({ ok: false, reason: 'missing' });
    expect(parseDataCheck('{"kind": "model-advisor data check", "version": 1, ', 'x')).toEqual({ ok: false, reason: 'corrupt' });
    expect(parseDataCheck(JSON.stringify({ ...good, suggested_length: -3 }), good.model)).toEqual({ ok: false, reason: 'corrupt' });
    expect(parseDataCheck(JSON.stringify({ ...good, percentiles: { p50: 'a' } }), good.model)).toEqual({ ok: false, reason: 'corrupt' });
    expect(parseDataCheck(JSON.stringify({ ...good, kind: 'something else' }), good.model)).toEqual({ ok: false, reason: 'corrupt' });
    expect(parseDataCheck(JSON.stringify(good), 'Qwen/Qwen3-8B')).toEqual({ ok: false, reason: 'other-model', message: 'Qwen/Qwen2.5-7B-Instruct' });
  });
});
