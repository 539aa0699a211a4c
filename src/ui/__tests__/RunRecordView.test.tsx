/**
 * @jest-environment jsdom
 *
 * "Your last run" in the whole panel: a host whose runtime reads back the train cell's record
 * (as the sidebar's kernel and the widget's comm do) and keeps calibrations (as JupyterLab's
 * settings and the widget's storage do).
 */
import * as React from 'react';
import { act, fireEvent, render, screen } from '@testing-library/react';
import type { Cell } from '../../core/codegen';
import type { Language } from '../../core/i18n';
import type { Calibration } from '../../core/runs';
import { AdvisorModel } from '../panel/advisor';
import { Emitter, PanelHost, RuntimeState } from '../panel/host';
import { AdvisorPanel } from '../panel/Panel';
import { CPU_ONLY, T4 } from './reports';

class RecordHost implements PanelHost {
  constructor(public runtime: RuntimeState, public answer: (folder: string) => unknown) {}
  readonly changed = new Emitter();
  canInsert = true;
  notebookPath = 'notebook.ipynb';
  asked: string[] = [];
  kept: (readonly Calibration[])[] = [];
  refreshRuntime(): void {}
  insertCells(cells: readonly Cell[]) {
    return { count: cells.length };
  }
  async readRunRecord(folder: string): Promise<unknown> {
    this.asked.push(folder);
    return this.answer(folder);
  }
  keepCalibrations(list: readonly Calibration[]): void {
    this.kept.push(list);
  }
}

/** The record train_peak.py writes for the chosen model, measured at `ratio` × its estimate on `gpu`. */
function recordFor(advisor: AdvisorModel, change: Record<string, unknown> = {}, ratio = 2) {
  const state = advisor.advice;
  if (state.kind !== 'ready' || !state.advice.chosen?.estimate.ok) throw new Error('no plan');
  const { model, method, estimate } = state.advice.chosen;
  const estimated = estimate.plan.total_mib - estimate.plan.breakdown.cuda_context;
  return {
    format: 'model-advisor-run', version: 1, advisor: '0.1.0', date: '2026-12-02T18:30:05+00:00',
    model: model.id, method, settings: { batch: 4, grad_accum: 4, seq_len: 1024, max_steps: 60 },
    planned_gpu: 'Tesla T4', gpu: 'Tesla T4', gpu_count: 1, simulated: false,
    peak_mib: { measured: Math.round(estimated * ratio), allocated: 0, estimated },
    tokens_per_second: { measured: 3100, estimated: 4272 }, steps: 60, tokens: 983040, seconds: 317, ...change
  };
}

async function panel(runtime: RuntimeState, answer: (advisor: AdvisorModel, folder: string) => unknown, lang: Language = 'en') {
  let advisor: AdvisorModel | null = null;
  const host = new RecordHost(runtime, folder => answer(advisor!, folder));
  advisor = new AdvisorModel(host, lang);
  render(<AdvisorPanel advisor={advisor} />);
  await act(async () => {
    advisor!.update({ task: 'chat' }); // any change: the record is read after it settles
    await new Promise(r => setTimeout(r, 0));
  });
  return { host, advisor };
}

const ok = (record: unknown) => ({ path: 'outputs/x/model-advisor-run.json', status: 'ok', record });
const verdict = () => screen.getByTestId('model-advisor-verdict');
const chosenCard = () => screen.getByRole('radio', { checked: true }).closest('.jp-ModelAdvisor-model') as HTMLElement;

describe('what the GPU actually did, in the Estimate section', () => {
  it('reads the record from the folder the cells save to and shows measured against estimated', async () => {
    const { host, advisor } = await panel({ kind: 'ready', report: T4 }, a => ok(recordFor(a)));
    const chosen = advisor.advice.kind === 'ready' ? advisor.advice.advice.chosen! : null;
    expect(host.asked.at(-1)).toBe(`outputs/${chosen!.model.id.split('/').pop()}-${chosen!.method}`);
    const estimated = chosen!.estimate.ok ? chosen!.estimate.plan.total_mib - chosen!.estimate.plan.breakdown.cuda_context : 0;
    expect(screen.getByTestId('model-advisor-run').textContent).toContain('Measured on Tesla T4 on 2026-12-02 18:30 UTC, at batch 4 × 4, 1,024 tokens, 60 steps');
    expect(screen.getByTestId('model-advisor-run-peak').textContent).toBe(`Peak memory: ${(estimated * 2).toLocaleString('en-US')} MiB measured, ${estimated.toLocaleString('en-US')} MiB estimated (× 2.00).`);
    expect(screen.getByTestId('model-advisor-run-speed').textContent).toBe('Speed: 3,100 tokens/s measured, 4,272 tokens/s estimated.');
  });

  it('"use the measured peak" keeps a calibration, the verdict and the card use it, and dropping it restores both', async () => {
    const { host } = await panel({ kind: 'ready', report: T4 }, a => ok(recordFor(a)));
    const before = verdict().textContent;
    expect(chosenCard().textContent).toContain(before!);
    const use = screen.getByRole('button', { name: 'Use the measured peak for this runtime' });
    // Keyboard: a real button, described by the sentence that says where it is kept.
    expect(use.getAttribute('aria-describedby')).toBeTruthy();
    expect(document.getElementById(use.getAttribute('aria-describedby')!)!.textContent).toContain('never sent anywhere');
    act(() => {
      fireEvent.click(use);
    });
    expect(host.kept.at(-1)).toHaveLength(1);
    expect(host.kept.at(-1)![0]).toMatchObject({ gpu: 'Tesla T4', ratio: 2 });
    expect(verdict().dataset.calibrated).toBe('true');
    expect(verdict().textContent).not.toBe(before);
    expect(verdict().textContent).toMatch(/^(Tight|Does not fit)/);
    expect(chosenCard().textContent).toContain(verdict().textContent!);
    expect(screen.getByTestId('model-advisor-calibrated').textContent).toContain('Calibrated from your run on 2026-12-02 18:30 UTC');
    // Kept already: not offered twice.
    expect(screen.queryByRole('button', { name: 'Use the measured peak for this runtime' })).toBeNull();
    act(() => {
      fireEvent.click(screen.getByRole('button', { name: 'Drop the calibration' }));
    });
    expect(host.kept.at(-1)).toEqual([]);
    expect(verdict().textContent).toBe(before);
    expect(verdict().dataset.calibrated).toBeUndefined();
  });

  it('a calibration kept in the settings applies before any record is read', async () => {
    let c: Calibration | null = null;
    const { advisor } = await panel({ kind: 'ready', report: T4 }, a => {
      const r = recordFor(a);
      c = { gpu: 'Tesla T4', model: r.model as string, method: r.method as Calibration['method'], ratio: 2, measured_mib: 2, estimated_mib: 1, date: '2026-11-30T10:00:00+00:00' };
      return { path: 'p', status: 'none' };
    });
    act(() => advisor.setCalibrations([c]));
    expect(screen.getByTestId('model-advisor-calibrated').textContent).toContain('2026-11-30 10:00 UTC');
    expect(screen.queryByTestId('model-advisor-run-peak')).toBeNull();
  });

  it('a corrupt record, or one for another model or GPU, is ignored in one line', async () => {
    await panel({ kind: 'ready', report: T4 }, () => ({ path: 'outputs/x/model-advisor-run.json', status: 'corrupt', message: 'JSONDecodeError: Expecting value' }));
    expect(screen.getByTestId('model-advisor-run-ignored').textContent).toBe('The run record outputs/x/model-advisor-run.json is ignored: the advisor cannot read it (JSONDecodeError: Expecting value).');
    expect(screen.queryByRole('button', { name: 'Use the measured peak for this runtime' })).toBeNull();
  });

  it.each([
    [{ model: 'someone/else' }, 'is for someone/else'],
    [{ gpu: 'NVIDIA L4' }, "it was measured on NVIDIA L4, not this runtime's Tesla T4"]
  ])('ignores %j', async (change, words) => {
    await panel({ kind: 'ready', report: T4 }, a => ok(recordFor(a, change)));
    expect(screen.getByTestId('model-advisor-run-ignored').textContent).toContain(words);
  });

  it('a CPU run says its figures are not a GPU’s and offers no calibration, in 繁體中文 too', async () => {
    const cpu = (a: AdvisorModel) => ok(recordFor(a, { gpu: null, gpu_count: 0, simulated: true, peak_mib: { measured: null, estimated: 1000 }, tokens_per_second: { measured: 42, estimated: 4272 } }));
    await panel({ kind: 'ready', report: CPU_ONLY }, cpu, 'zh-Hant');
    expect(screen.getByTestId('model-advisor-run-cpu').textContent).toBe('2026-12-02 18:30 UTC 在 CPU 上執行（模擬 Tesla T4 的設定）：這些數字不是 GPU 上的，也沒有測量 GPU 記憶體。');
    expect(screen.getByTestId('model-advisor-run').textContent).toContain('速度：實測每秒 42 個 token；沒有可比較的估算。');
    expect(screen.queryByTestId('model-advisor-calibrate')).toBeNull();
  });
});
