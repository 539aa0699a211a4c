/**
 * @jest-environment jsdom
 *
 * "Measure exactly" beside the estimate: what the panel sends for the chosen plan, and what it
 * shows for each answer the kernel gives — a trace (recorded from model_advisor/measure.py for
 * Qwen2.5-0.5B-Instruct, QLoRA on a T4, the panel's own plan), a missing package, a config
 * transformers cannot build, a trace past its budget. The kernel side is tested for real in
 * tests/test_measure_kernel.py; here the host answers as a kernel did.
 */
import * as React from 'react';
import { act, fireEvent, render, screen } from '@testing-library/react';
import { findGpu, findModel, modelFromConfig, planTraining } from '../../../core';
import type { ModelEntry } from '../../../core';
import type { HubResult } from '../../../core/catalog';
import type { Cell } from '../../../core/codegen';
import { Language, LANGUAGES, t } from '../../../core/i18n';
import { T4 } from '../../__tests__/reports';
import { AdvisorModel } from '../advisor';
import { Emitter, PanelHost, RuntimeState } from '../host';
import { compareTrace, MeasureAnswer, measureRequest, MeasureRequest, parseMeasureAnswer, tracedTotal } from '../measure';
import { AdvisorPanel } from '../Panel';
import recorded from './trace-qwen2.5-0.5b-t4-qlora.json';

const TRACE = parseMeasureAnswer(recorded);
const QWEN = 'Qwen/Qwen2.5-0.5B-Instruct';

/** A host whose kernel answers each trace with the next answer given (or the recorded trace). */
class TracingHost implements PanelHost {
  constructor(public answers: MeasureAnswer[] = []) {}
  runtime: RuntimeState = { kind: 'ready', report: T4 };
  readonly changed = new Emitter();
  canInsert = true;
  notebookPath = 'work/notebook.ipynb';
  sent: MeasureRequest[] = [];
  hub: HubResult | null = null;
  refreshRuntime(): void {}
  insertCells(cells: readonly Cell[]) {
    return { count: cells.length };
  }
  async measureExactly(request: MeasureRequest): Promise<MeasureAnswer> {
    this.sent.push(request);
    return this.answers.shift() ?? TRACE;
  }
  async fetchHubModel(): Promise<HubResult> {
    return this.hub!;
  }
}

function panel(host = new TracingHost(), lang: Language = 'en') {
  const advisor = new AdvisorModel(host, lang);
  render(<AdvisorPanel advisor={advisor} />);
  act(() => advisor.update({ modelId: QWEN, method: 'qlora' }));
  return { host, advisor };
}

const click = async (testId: string) => {
  await act(async () => {
    fireEvent.click(screen.getByTestId(testId));
  });
};

describe('the request: the plan the cells follow, for the GPU planned for', () => {
  const model = findModel(QWEN)!;
  const t4 = findGpu('t4')!;

  it('sends the config and the plan’s own settings, fp16 for a T4, bf16 for an A100', () => {
    const plan = planTraining(model, t4, 'qlora', { seqLen: 1024 });
    const built = measureRequest(model, 'chat', plan, t4);
    expect(built.ok).toBe(true);
    const r = (built as { ok: true; request: MeasureRequest }).request;
    expect(r.config).toBe(model.config);
    expect(r.settings).toEqual({
      method: 'qlora',
      seqLen: 1024,
      batch: plan.settings.batch,
      gradAccum: plan.settings.gradAccum,
      optimizer: 'paged_adamw_8bit',
      loraR: plan.settings.loraR,
      loraAlpha: plan.settings.loraAlpha,
      gradientCheckpointing: true
    });
    expect([r.bf16, r.attention, r.remote]).toEqual([false, 'sdpa', undefined]);
    const a100 = findGpu('a100-40gb')!;
    const onA100 = measureRequest(model, 'chat', planTraining(model, a100, 'lora', {}), a100);
    expect(onA100.ok && onA100.request.bf16).toBe(true);
  });

  it('refuses what the tracer does not trace: inference, non-SFT tasks, a CPU, a model spread by FSDP', () => {
    const plan = planTraining(model, t4, 'qlora', {});
    expect(measureRequest(model, 'chat', planTraining(model, t4, 'inference', {}), t4)).toEqual({ ok: false, reason: 'inference' });
    expect(measureRequest(model, 'classification', plan, t4)).toEqual({ ok: false, reason: 'task' });
    const cpu = findGpu('cpu')!;
    expect(measureRequest(model, 'chat', planTraining(model, cpu, 'lora', {}), cpu)).toEqual({ ok: false, reason: 'gpu' });
    const two = findGpu('2xt4')!;
    const big = findModel('Qwen/Qwen2.5-14B-Instruct')!;
    const fsdp = planTraining(big, two, 'qlora', { seqLen: 1024 }, 'fsdp');
    expect(measureRequest(big, 'chat', fsdp, two)).toEqual({ ok: false, reason: 'strategy' });
    expect(measureRequest(model, 'chat', null, t4)).toEqual({ ok: false, reason: 'no-plan' });
  });

  it('the recorded trace is within 1 % of the estimate’s allocated part (the oracle’s bound is 5 %)', () => {
    const plan = planTraining(model, t4, 'qlora', { seqLen: 1024 });
    expect(TRACE.ok).toBe(true);
    const compared = compareTrace((TRACE as { ok: true; trace: any }).trace, plan)!;
    expect(compared.tracedMib).toBe(2106.7);
    expect(Math.abs(compared.ratio - 1)).toBeLessThan(0.01);
  });
});

describe('the answer, checked', () => {
  it('anything malformed is a failure that says so, never a throw', () => {
    for (const bad of [null, 3, 'x', {}, { ok: true }, { ok: true, trace: { peak_allocated_mib: 'lots' } }]) {
      const a = parseMeasureAnswer(bad);
      expect(a.ok).toBe(false);
    }
    expect(parseMeasureAnswer({ ok: false, code: 'missing', missing: ['torch'], message: 'm' })).toEqual({ ok: false, code: 'missing', missing: ['torch'], message: 'm' });
    expect(parseMeasureAnswer({ ok: false, code: 'weird', message: 'm' })).toEqual({ ok: false, code: 'failed', message: 'm' });
  });

  it('a trace as the estimate adds the CUDA context and the allocator’s allowance, and is judged like one', () => {
    const trace = (TRACE as { ok: true; trace: any }).trace;
    const t4 = findGpu('t4')!;
    const total = tracedTotal(trace, t4);
    const transient = trace.parts_mib.activations_and_temporaries + trace.parts_mib.gradients;
    expect(total.totalMib).toBe(Math.round(trace.peak_allocated_mib + 400 + 0.1 * transient));
    expect(total.verdict).toBe('fits');
    expect(tracedTotal({ ...trace, peak_allocated_mib: 15000 }, t4).verdict).toBe('no');
  });
});

describe('the control beside the estimate', () => {
  it('one click: the kernel traces the panel’s plan, and the panel shows traced against estimated, no weights downloaded', async () => {
    const { host, advisor } = panel();
    const button = screen.getByTestId('model-advisor-measure-button') as HTMLButtonElement;
    expect(button.textContent).toBe('Measure exactly');
    expect(screen.getByText(/No weights are downloaded/)).toBeTruthy();
    await click('model-advisor-measure-button');
    const state = advisor.advice;
    const plan = state.kind === 'ready' ? state.advice.chosen!.plan! : null;
    expect(host.sent).toHaveLength(1);
    expect(host.sent[0].settings.seqLen).toBe(plan!.settings.seqLen);
    expect(host.sent[0].settings.batch).toBe(plan!.settings.batch);
    expect(screen.getByTestId('model-advisor-measure-traced').textContent).toBe('Traced: 2,107 MiB allocated');
    expect(screen.getByTestId('model-advisor-measure-estimated').textContent).toMatch(/^Estimated: 2,1\d\d MiB allocated/);
    expect(screen.getByTestId('model-advisor-measure-ratio').textContent).toMatch(/^Estimate ÷ trace: 1\.0\d$/);
    expect(screen.getByText(/No weights were downloaded/)).toBeTruthy();
  });

  it('a trace belongs to its plan: another length shows the control again, coming back shows the trace', async () => {
    const { host, advisor } = panel();
    await click('model-advisor-measure-button');
    act(() => advisor.update({ seqLen: 512 }));
    expect(screen.queryByTestId('model-advisor-measure-traced')).toBeNull();
    act(() => advisor.update({ seqLen: 1024 }));
    expect(screen.getByTestId('model-advisor-measure-traced')).toBeTruthy();
    expect(host.sent).toHaveLength(1);
  });

  it.each([
    [{ ok: false, code: 'missing', missing: ['torch', 'trl'], message: 'this kernel cannot import torch, trl' }, 'Measure exactly needs torch trl in this kernel (pip install torch trl). The estimate stands.'],
    [{ ok: false, code: 'bad_config', message: "transformers 5.24.0 has no 'x' model type: it cannot build this config" }, "The kernel's transformers cannot build this config: transformers 5.24.0 has no 'x' model type: it cannot build this config. The estimate stands."],
    [{ ok: false, code: 'timeout', message: 'the trace took longer than 120 s and was stopped' }, 'The trace ran past its time budget and was stopped (the trace took longer than 120 s and was stopped). The estimate stands.']
  ] as [MeasureAnswer, string][])('a failed trace is one line, and the estimate stands: %j', async (answer, line) => {
    panel(new TracingHost([answer]));
    await click('model-advisor-measure-button');
    const error = screen.getByTestId('model-advisor-measure-error');
    expect(error.textContent).toBe(line);
    expect(error.dataset.code).toBe(answer.ok ? '' : answer.code);
    expect(screen.getByTestId('model-advisor-verdict')).toBeTruthy(); // the estimate is still there
  });

  it('a host without a kernel crossing says where it runs; a plan for a CPU says why not', () => {
    const host = new TracingHost();
    const advisor = new AdvisorModel({ ...host, changed: host.changed, refreshRuntime() {}, insertCells: host.insertCells, measureExactly: undefined } as PanelHost, 'en');
    render(<AdvisorPanel advisor={advisor} />);
    act(() => advisor.update({ modelId: QWEN, method: 'qlora' }));
    expect(screen.getByText(t('en', 'ui.measure.noKernel'))).toBeTruthy();
    act(() => advisor.update({ target: { kind: 'profile', id: 'cpu' }, method: 'lora' }));
    expect(screen.getByText(t('en', 'ui.measure.refused.gpu'))).toBeTruthy();
  });
});

describe('a model whose architecture is its own code (trust_remote_code)', () => {
  it('the first click says the code will run with the user’s permissions; only the second sends for it', async () => {
    const host = new TracingHost();
    const { advisor } = panel(host);
    act(() => advisor.update({ modelId: 'THUDM/chatglm3-6b', method: 'qlora' }));
    expect(screen.getByTestId('model-advisor-measure-button').textContent).toBe("Measure exactly (runs the model's own code)…");
    await click('model-advisor-measure-button');
    expect(host.sent).toHaveLength(0);
    expect(screen.getByTestId('model-advisor-measure-warning').textContent).toMatch(/THUDM\/chatglm3-6b .* runs it in this kernel's Python, with your permissions/);
    const confirm = screen.getByTestId('model-advisor-measure-confirm');
    expect(document.activeElement).toBe(confirm); // the keyboard lands on the choice
    await click('model-advisor-measure-confirm');
    expect(host.sent).toHaveLength(1);
    expect(host.sent[0].remote).toBe('THUDM/chatglm3-6b');
  });
});

describe('a Hub model of a family the estimator does not count', () => {
  const olmo2: ModelEntry = {
    ...findModel(QWEN)!,
    id: 'allenai/OLMo-2-0425-1B',
    config: { model_type: 'olmo2', architectures: ['Olmo2ForCausalLM'], hidden_size: 2048, intermediate_size: 8192, num_hidden_layers: 16, num_attention_heads: 16, num_key_value_heads: 16, vocab_size: 100352 },
    trust_remote_code: false
  };

  it('is chosen, and traced at once: the trace is its estimate, judged against the GPU', async () => {
    const host = new TracingHost();
    host.hub = { ok: true, model: olmo2 };
    const advisor = new AdvisorModel(host, 'en');
    render(<AdvisorPanel advisor={advisor} />);
    await act(async () => advisor.useHubModel(olmo2.id));
    expect(host.sent).toHaveLength(1);
    expect(host.sent[0].config.model_type).toBe('olmo2');
    expect(screen.getByTestId('model-advisor-measure-traced').textContent).toMatch(/the trace is the estimate: 2,107 MiB allocated/);
    expect(screen.getByTestId('model-advisor-measure-verdict').textContent).toMatch(/^Fits: /);
  });
});

describe('a local folder of a family the estimator does not count (its config.json from the file browser)', () => {
  const olmo2 = { model_type: 'olmo2', architectures: ['Olmo2ForCausalLM'], hidden_size: 2048, intermediate_size: 8192, num_hidden_layers: 16, num_attention_heads: 16, num_key_value_heads: 16, vocab_size: 100352 };

  it('is chosen and traced at once, as from the Hub: the trace is its estimate', async () => {
    const host = new TracingHost();
    const advisor = new AdvisorModel(host, 'en');
    render(<AdvisorPanel advisor={advisor} />);
    await act(async () => advisor.useLocalModel(modelFromConfig(JSON.stringify(olmo2), './olmo'), 'work/olmo'));
    expect(host.sent).toHaveLength(1);
    expect(host.sent[0].config.model_type).toBe('olmo2');
    expect(host.sent[0].remote).toBeUndefined();
    expect(screen.getByTestId('model-advisor-measure-traced').textContent).toMatch(/the trace is the estimate: 2,107 MiB allocated/);
    expect(screen.getByTestId('model-advisor-measure-verdict').textContent).toMatch(/^Fits: /);
  });

  it('chosen before the kernel has said what GPU it has (a right-click as the notebook opens): traced once it has', async () => {
    const host = new TracingHost();
    host.runtime = { kind: 'probing', busy: false };
    const advisor = new AdvisorModel(host, 'en');
    render(<AdvisorPanel advisor={advisor} />);
    await act(async () => advisor.useLocalModel(modelFromConfig(JSON.stringify(olmo2), './olmo'), 'work/olmo'));
    expect(host.sent).toHaveLength(0);
    await act(async () => {
      host.runtime = { kind: 'ready', report: T4 };
      host.changed.emit();
    });
    expect(host.sent).toHaveLength(1);
    expect(screen.getByTestId('model-advisor-measure-traced').textContent).toMatch(/the trace is the estimate/);
    // Once: the runtime changing again does not trace again.
    await act(async () => host.changed.emit());
    expect(host.sent).toHaveLength(1);
  });

  it('a folder whose architecture is its own code waits for the warned click, then sends the folder', async () => {
    const host = new TracingHost();
    const advisor = new AdvisorModel(host, 'en');
    render(<AdvisorPanel advisor={advisor} />);
    const own = { ...olmo2, model_type: 'mystery', architectures: ['MysteryForCausalLM'], auto_map: { AutoModelForCausalLM: 'modeling_mystery.MysteryForCausalLM' } };
    await act(async () => advisor.useLocalModel(modelFromConfig(JSON.stringify(own), './mystery'), 'work/mystery'));
    expect(host.sent).toHaveLength(0);
    await click('model-advisor-measure-button');
    expect(host.sent).toHaveLength(0);
    await click('model-advisor-measure-confirm');
    expect(host.sent).toHaveLength(1);
    expect(host.sent[0].remote).toBe('mystery'); // the folder as the notebook (work/notebook.ipynb) sees it
  });
});

describe('every sentence of the control in three languages', () => {
  it.each(LANGUAGES.filter(l => l !== 'en'))('%s', async lang => {
    panel(new TracingHost(), lang);
    const button = screen.getByTestId('model-advisor-measure-button');
    expect(button.textContent).toBe(t(lang, 'ui.measure.button'));
    expect(button.textContent).not.toBe(t('en', 'ui.measure.button'));
    await click('model-advisor-measure-button');
    expect(screen.getByTestId('model-advisor-measure-traced').textContent).toBe(t(lang, 'ui.measure.traced', { mib: '2,107' }));
  });
});
