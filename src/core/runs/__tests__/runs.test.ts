import { findGpu, findModel, planTraining } from '../..';
import type { KnownPlan } from '../..';
import { verdictFor } from '../../memory';
import { calibrate, calibrationFrom, findCalibration, judgeRecord, parseCalibrations, parseRunRecord, recordPath, withCalibration, withoutCalibration } from '..';

/** A record as python_snippets/train_peak.py writes it after a QLoRA run on a Colab T4. */
function t4Record(change: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    format: 'model-advisor-run',
    version: 1,
    advisor: '0.1.0',
    date: '2026-12-02T18:30:05+00:00',
    model: 'Qwen/Qwen2.5-0.5B-Instruct',
    method: 'qlora',
    settings: { batch: 8, grad_accum: 2, seq_len: 1024, max_steps: 60, gradient_checkpointing: true, dtype: 'nf4' },
    planned_gpu: 'Tesla T4',
    gpu: 'Tesla T4',
    gpu_count: 1,
    simulated: false,
    peak_mib: { measured: 6100, allocated: 5400, estimated: 5000 },
    tokens_per_second: { measured: 3900.5, estimated: 4272 },
    steps: 60,
    tokens: 900000,
    seconds: 230.7,
    ...change
  };
}

const WANTED = { model: 'Qwen/Qwen2.5-0.5B-Instruct', method: 'qlora', gpu: 'Tesla T4' };
const answer = (record: unknown) => ({ path: 'outputs/Qwen2.5-0.5B-Instruct-qlora/model-advisor-run.json', status: 'ok', record });

describe('the run record the train cell leaves', () => {
  it('is read back as written, in the folder the cells save to', () => {
    expect(recordPath('outputs/Qwen2.5-0.5B-Instruct-qlora/')).toBe('outputs/Qwen2.5-0.5B-Instruct-qlora/model-advisor-run.json');
    const state = judgeRecord(answer(t4Record()), WANTED);
    expect(state.kind).toBe('ok');
    if (state.kind === 'ok') expect(state.record.peak_mib).toEqual({ measured: 6100, estimated: 5000 });
  });

  it('a record that is corrupt is ignored with the reason, one line', () => {
    expect(judgeRecord({ path: 'p', status: 'corrupt', message: 'JSONDecodeError: Expecting value: line 1 column 1 (char 0)' }, WANTED)).toEqual({
      kind: 'ignored',
      path: 'p',
      reason: 'corrupt',
      message: 'JSONDecodeError: Expecting value: line 1 column 1 (char 0)'
    });
    for (const [bad, why] of [
      [t4Record({ format: 'something-else' }), 'format'],
      [t4Record({ peak_mib: { measured: '6100', estimated: 5000 } }), 'peak_mib.measured'],
      [t4Record({ settings: { batch: 0, grad_accum: 2, seq_len: 1024, max_steps: 60 } }), 'settings.batch'],
      [t4Record({ gpu: null, gpu_count: 0 }), 'peak_mib.measured: expected null on a CPU run'],
      [t4Record({ date: 'yesterday' }), 'date'],
      [[1, 2], 'the record']
    ] as const) {
      const state = judgeRecord(answer(bad), WANTED);
      expect(state.kind === 'ignored' && state.reason === 'corrupt' && state.message).toContain(why);
    }
    // Fields a newer advisor adds are dropped, not refused.
    expect(parseRunRecord(t4Record({ new_field: 1 })).ok).toBe(true);
  });

  it('a record for another model, method or GPU is ignored and says whose it is', () => {
    expect(judgeRecord(answer(t4Record({ model: 'Qwen/Qwen2.5-1.5B-Instruct' })), WANTED)).toMatchObject({ kind: 'ignored', reason: 'model', model: 'Qwen/Qwen2.5-1.5B-Instruct' });
    expect(judgeRecord(answer(t4Record({ method: 'lora' })), WANTED)).toMatchObject({ kind: 'ignored', reason: 'model', method: 'lora' });
    expect(judgeRecord(answer(t4Record({ gpu: 'NVIDIA L4' })), WANTED)).toMatchObject({ kind: 'ignored', reason: 'gpu', gpu: 'NVIDIA L4', runtime: 'Tesla T4' });
    // torch and nvidia-smi may spell a card apart ("NVIDIA " in front): the same card.
    expect(judgeRecord(answer(t4Record({ gpu: 'NVIDIA A100-SXM4-40GB' })), { ...WANTED, gpu: 'A100-SXM4-40GB' }).kind).toBe('ok');
    // A CPU run belongs to a runtime without a GPU.
    const cpu = t4Record({ gpu: null, gpu_count: 0, simulated: true, peak_mib: { measured: null, estimated: 5000 } });
    expect(judgeRecord(answer(cpu), { ...WANTED, gpu: null }).kind).toBe('ok');
    expect(judgeRecord(answer(cpu), WANTED)).toMatchObject({ kind: 'ignored', reason: 'gpu', gpu: 'CPU' });
    expect(judgeRecord({ path: 'p', status: 'none' }, WANTED)).toEqual({ kind: 'none' });
  });
});

describe('"use the measured peak for this runtime"', () => {
  const record = () => {
    const parsed = parseRunRecord(t4Record());
    if (!parsed.ok) throw new Error(parsed.error);
    return parsed.record;
  };

  it('offers measured over estimated for a one-GPU run, nothing for a CPU run, several GPUs or a ratio no recipe explains', () => {
    expect(calibrationFrom(record())).toEqual({ gpu: 'Tesla T4', model: 'Qwen/Qwen2.5-0.5B-Instruct', method: 'qlora', ratio: 1.22, measured_mib: 6100, estimated_mib: 5000, date: '2026-12-02T18:30:05+00:00' });
    expect(calibrationFrom({ ...record(), gpu: null, peak_mib: { measured: null, estimated: 5000 } })).toBeNull();
    expect(calibrationFrom({ ...record(), gpu_count: 2 })).toBeNull();
    expect(calibrationFrom({ ...record(), peak_mib: { measured: 50000, estimated: 5000 } })).toBeNull();
  });

  it('scales the allocated part of the plan (not the CUDA context) and judges it by the same rule', () => {
    const t4 = findGpu('t4');
    const plan = planTraining(findModel('Qwen/Qwen2.5-7B-Instruct')!, t4, 'qlora', { seqLen: 1024 }) as KnownPlan;
    const context = plan.breakdown.cuda_context;
    expect(context).toBeGreaterThan(0);
    const c = { ...calibrationFrom(record())!, ratio: 2 };
    const figure = calibrate(plan, c)!;
    expect(figure.total_mib).toBe(Math.round(context + (plan.total_mib - context) * 2));
    expect(figure.verdict).toBe(verdictFor(figure.total_mib, plan.available_mib));
    // A 7B QLoRA plan fills most of a T4: twice its tensors do not fit.
    expect(plan.verdict).not.toBe('no');
    expect(figure.verdict).toBe('no');
    // A ratio of 1 is the estimate itself.
    expect(calibrate(plan, { ...c, ratio: 1 })).toMatchObject({ total_mib: plan.total_mib, verdict: plan.verdict });
    // Several GPUs: a one-GPU run says nothing of the busiest card.
    const kaggle = planTraining(findModel('Qwen/Qwen2.5-14B-Instruct')!, findGpu('kaggle-2xt4'), 'qlora', { seqLen: 3072 }) as KnownPlan;
    expect(kaggle.strategy).not.toBe('single');
    expect(calibrate(kaggle, c)).toBeNull();
  });

  it('is kept per GPU, model and method, replaced by a newer run, dropped on request, and read back checked', () => {
    const c = calibrationFrom(record())!;
    const other = { ...c, model: 'Qwen/Qwen2.5-1.5B-Instruct', ratio: 1.1 };
    let list = withCalibration(withCalibration([], other), c);
    expect(findCalibration(list, 'NVIDIA Tesla T4', 'Qwen/Qwen2.5-0.5B-Instruct', 'qlora')).toEqual(c);
    expect(findCalibration(list, 'Tesla T4', 'Qwen/Qwen2.5-0.5B-Instruct', 'lora')).toBeNull();
    expect(findCalibration(list, 'NVIDIA L4', 'Qwen/Qwen2.5-0.5B-Instruct', 'qlora')).toBeNull();
    list = withCalibration(list, { ...c, ratio: 1.3, date: '2026-12-03T09:00:00+00:00' });
    expect(list.map(x => x.ratio)).toEqual([1.3, 1.1]);
    expect(withoutCalibration(list, c)).toEqual([other]);
    expect(parseCalibrations([...list, { ...c, ratio: 'x' }, { ...c, ratio: 40 }, { ...c, method: 'inference' }, null, 'junk'])).toEqual(list);
    expect(parseCalibrations('not a list')).toEqual([]);
  });
});
