import * as React from 'react';
import type { CalibratedFigure, Calibration, RecordState } from '../core/runs';
import { Language, t } from '../core/i18n';
import { formatCount } from './format';
import { usePanelId } from './ids';
import { methodName } from './rows';
import type { Method } from '../core';

/** "2026-12-02 18:30 UTC": the record's own date, the same in every language. */
export function runDate(iso: string): string {
  const m = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
  return m ? `${m[1]} ${m[2]} UTC` : iso;
}

const ratioText = (r: number) => r.toFixed(2);
const rate = (x: number) => formatCount(Math.round(x));

export interface RunRecordViewProps {
  lang: Language;
  /** The record the train cell left for this model and method on this runtime, or why it is ignored. */
  record: RecordState;
  /** The calibration kept for this GPU, model and method, and what it makes of the plan; null: none applies. */
  calibrated: CalibratedFigure | null;
  /** What "Use the measured peak" would keep; null: nothing to offer (no GPU peak, already kept, no place to keep it). */
  offer: Calibration | null;
  onUse(): void;
  onDrop(c: Calibration): void;
}

/**
 * "Your last run" in the Estimate section: what the GPU did beside what was estimated, read
 * from the train cell's record; a record that is corrupt or for another model or GPU in one
 * line; and the calibration the user may keep from it, shown as such and reversible.
 */
export function RunRecordView(props: RunRecordViewProps): JSX.Element | null {
  const pid = usePanelId();
  const { lang, record, calibrated, offer } = props;
  if (record.kind === 'none' && calibrated === null) return null;
  let body: JSX.Element | null = null;
  if (record.kind === 'ignored') {
    const path = record.path;
    const line =
      record.reason === 'corrupt'
        ? t(lang, 'ui.run.ignored.corrupt', { path, reason: record.message })
        : record.reason === 'model'
          ? t(lang, 'ui.run.ignored.model', { path, model: record.model, method: methodName(lang, record.method as Method) })
          : t(lang, 'ui.run.ignored.gpu', { path, gpu: record.gpu, runtime: record.runtime });
    body = (
      <p className="jp-ModelAdvisor-muted" data-testid="model-advisor-run-ignored">
        {line}
      </p>
    );
  } else if (record.kind === 'ok') {
    const r = record.record;
    const date = runDate(r.date);
    const tps = r.tokens_per_second;
    const speed =
      tps.measured === null
        ? null
        : tps.estimated === null || r.gpu === null
          ? t(lang, 'ui.run.speed.noestimate', { measured: rate(tps.measured) })
          : t(lang, 'ui.run.speed', { measured: rate(tps.measured), estimated: rate(tps.estimated) });
    if (r.gpu === null) {
      const what = r.simulated ? t(lang, 'ui.run.cpu.simulated', { gpu: r.planned_gpu ?? '?' }) : t(lang, 'ui.run.cpu.smoke');
      body = (
        <>
          <p data-testid="model-advisor-run-cpu">{t(lang, 'ui.run.cpu', { date, what })}</p>
          {speed && <p className="jp-ModelAdvisor-muted">{speed}</p>}
        </>
      );
    } else {
      const { measured, estimated } = r.peak_mib;
      body = (
        <>
          <p className="jp-ModelAdvisor-muted">{t(lang, 'ui.run.gpu', { gpu: r.gpu, date, batch: r.settings.batch, accum: r.settings.grad_accum, seq_len: formatCount(r.settings.seq_len), steps: r.steps })}</p>
          <ul className="jp-ModelAdvisor-list">
            {measured !== null && estimated !== null && estimated > 0 && (
              <li data-testid="model-advisor-run-peak">{t(lang, 'ui.run.peak', { measured: formatCount(measured), estimated: formatCount(estimated), ratio: ratioText(measured / estimated) })}</li>
            )}
            {speed && <li data-testid="model-advisor-run-speed">{speed}</li>}
          </ul>
        </>
      );
    }
  }
  return (
    <div className="jp-ModelAdvisor-run" data-testid="model-advisor-run">
      <h3>{t(lang, 'ui.run')}</h3>
      {body}
      {calibrated !== null && (
        <div className="jp-ModelAdvisor-calibrated" data-testid="model-advisor-calibrated">
          <p>{t(lang, 'ui.run.calibrated', { date: runDate(calibrated.calibration.date), ratio: ratioText(calibrated.calibration.ratio), gpu: calibrated.calibration.gpu })}</p>
          <button type="button" data-testid="model-advisor-calibration-drop" onClick={() => props.onDrop(calibrated.calibration)}>
            {t(lang, 'ui.run.drop')}
          </button>
        </div>
      )}
      {offer !== null && (
        <div className="jp-ModelAdvisor-calibrate">
          <button type="button" data-testid="model-advisor-calibrate" aria-describedby={pid('calibrateHint')} onClick={() => props.onUse()}>
            {t(lang, 'ui.run.calibrate')}
          </button>
          <p className="jp-ModelAdvisor-muted" id={pid('calibrateHint')}>{t(lang, 'ui.run.calibrateHint', { gpu: offer.gpu, model: offer.model, ratio: ratioText(offer.ratio) })}</p>
        </div>
      )}
    </div>
  );
}
