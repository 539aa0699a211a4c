import * as React from 'react';
import { usePanelId } from './ids';
import type { KnownPlan, Method } from '../core';
import { strategyLabel } from '../core/memory';
import { Language, MessageKey, t } from '../core/i18n';
import { formatCount, formatMiB } from './format';
import { MemoryBar } from './MemoryBar';
import { adviceText, breakdownRows, isChange, methodName, TimeView, verdictText, warningText } from './rows';
import type { CalibratedFigure } from '../core/runs';

/** The estimate for the chosen model, or why there is none. */
export type EstimateViewState =
  | { ok: true; plan: KnownPlan; maxSeqLen: number | null }
  | { ok: false; reason: 'seq-len'; min: number; max: number }
  | { ok: false; reason: 'error'; message: string };

/**
 * Verdict, breakdown, longest length, advice and loading for one model × method × length,
 * every sentence in the sidebar's language (advice and warnings from their codes).
 */
export function EstimateView(props: { lang: Language; modelId: string; method: Method; state: EstimateViewState; /** How long it takes (rows.ts timeView); absent: not shown. */ time?: TimeView | null; /** In a notebook's output the term-by-term table folds under the bar (the bar's legend names the terms). */ compact?: boolean; /** A calibration the user kept from a run: the verdict is its (RunRecordView says so). */ calibrated?: CalibratedFigure | null; /** What the GPU did in the last run (RunRecordView), below the time. */ run?: React.ReactNode }): JSX.Element {
  const pid = usePanelId();
  const { lang, state } = props;
  let body: JSX.Element;
  if (!state.ok && state.reason === 'seq-len') {
    body = <p className="jp-ModelAdvisor-error">{t(lang, 'ui.seqLenInvalid', { min: formatCount(state.min), max: formatCount(state.max) })}</p>;
  } else if (!state.ok) {
    body = <p className="jp-ModelAdvisor-error">{t(lang, 'ui.estimateFailed', { model: props.modelId, message: state.message })}</p>;
  } else {
    // The plan's figures: on several GPUs the busiest GPU's, under the plan's strategy — what its card says.
    const { plan, maxSeqLen } = state;
    const { settings, estimate } = plan;
    const verdict = props.calibrated?.verdict ?? plan.verdict;
    const rows = breakdownRows(lang, plan.breakdown);
    const notes = plan.advice.filter(a => !isChange(a));
    const changes = plan.advice.filter(isChange);
    const breakdown = (
      <table className="jp-ModelAdvisor-breakdown" data-testid="model-advisor-breakdown">
        <thead>
          <tr>
            <th scope="col">{t(lang, 'ui.term')}</th>
            <th scope="col">MiB</th>
          </tr>
        </thead>
        <tbody>
          {rows.map(row => (
            <tr key={row.term}>
              <th scope="row">{row.label}</th>
              <td>{formatCount(row.mib)}</td>
            </tr>
          ))}
        </tbody>
        <tfoot>
          <tr>
            <th scope="row">{t(lang, 'ui.total')}</th>
            <td>{formatCount(plan.total_mib)}</td>
          </tr>
        </tfoot>
      </table>
    );
    body = (
      <>
        <div className="jp-ModelAdvisor-muted">
          {t(lang, 'ui.estimateFor', { model: props.modelId, method: methodName(lang, props.method), seq_len: formatCount(settings.seqLen), batch: settings.batch, accum: settings.gradAccum })}
        </div>
        {plan.strategy !== 'single' && (
          <div className="jp-ModelAdvisor-muted" data-testid="model-advisor-spread">
            {t(lang, 'ui.estimateSpread', { strategy: t(lang, `ui.strategy.${strategyLabel(plan.strategy, props.method)}` as MessageKey), gpus: plan.spread.gpus })}
          </div>
        )}
        <div className={`jp-ModelAdvisor-verdict jp-ModelAdvisor-verdict-${verdict}`} data-testid="model-advisor-verdict" data-calibrated={props.calibrated ? 'true' : undefined}>
          {verdictText(lang, verdict, props.calibrated?.total_mib ?? plan.total_mib, plan.available_mib)}
        </div>
        {notes.length > 0 && <SentenceList items={notes.map(a => adviceText(lang, a))} />}
        <MemoryBar lang={lang} verdict={plan.verdict} totalMib={plan.total_mib} availableMib={plan.available_mib} rows={rows} />
        {props.compact ? (
          <details className="jp-ModelAdvisor-details">
            <summary>{t(lang, 'ui.breakdown')}</summary>
            {breakdown}
          </details>
        ) : (
          breakdown
        )}
        <div>{maxSeqLen === null ? t(lang, 'ui.maxSeqLenNone') : t(lang, 'ui.maxSeqLen', { tokens: formatCount(maxSeqLen) })}</div>
        {changes.length > 0 && (
          <>
            <h3>{t(lang, 'ui.advice')}</h3>
            <SentenceList items={changes.map(a => adviceText(lang, a))} />
          </>
        )}
        {props.time && (
          <div data-testid="model-advisor-time">
            <h3>{t(lang, 'ui.speed')}</h3>
            {props.time.lines.map(line => (
              <div key={line}>{line}</div>
            ))}
            {props.time.warnings.length > 0 && <SentenceList items={props.time.warnings} warning />}
            {props.time.basis && <div className="jp-ModelAdvisor-muted">{props.time.basis}</div>}
          </div>
        )}
        {props.run}
        <h3>{t(lang, 'ui.loading')}</h3>
        <div>
          {t(lang, 'ui.download', {
            size: estimate.loading.download_mib === null ? '?' : formatMiB(estimate.loading.download_mib),
            ram: formatMiB(estimate.loading.peak_ram_mib)
          })}
        </div>
        {estimate.loading.warnings.length > 0 && <SentenceList items={estimate.loading.warnings.map(w => warningText(lang, w))} warning />}
      </>
    );
  }
  return (
    <section className="jp-ModelAdvisor-section" aria-labelledby={pid('estimateTitle')} aria-live="polite">
      <h2 id={pid('estimateTitle')}>{t(lang, 'ui.estimate')}</h2>
      {body}
    </section>
  );
}

function SentenceList(props: { items: readonly string[]; warning?: boolean }): JSX.Element {
  return (
    <ul className={props.warning ? 'jp-ModelAdvisor-list jp-ModelAdvisor-warning' : 'jp-ModelAdvisor-list'}>
      {props.items.map(item => (
        <li key={item}>{item}</li>
      ))}
    </ul>
  );
}
