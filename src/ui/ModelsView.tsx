import * as React from 'react';
import { usePanelId } from './ids';
import { Language, t } from '../core/i18n';
import { MemoryBar } from './MemoryBar';
import type { ModelRow } from './rows';

/** What the list can say: still waiting for the GPU, a failure, or the rows to choose from. */
export type ModelsViewState =
  | { kind: 'waiting' }
  | { kind: 'error'; message: string }
  | { kind: 'ready'; rows: ModelRow[]; chosenId: string | null; extra: ModelRow | null };

/**
 * The recommendations as one radio group: native radios, so Tab enters the group and the
 * arrow keys move the choice. Reasons describe each radio (aria-describedby) instead of
 * lengthening its name.
 */
export function ModelsView(props: { lang: Language; state: ModelsViewState; onChoose(id: string): void; /** A slider is moving: the verdicts are of the last length until it is let go. */ stale?: boolean }): JSX.Element {
  const pid = usePanelId();
  const { lang, state } = props;
  let body: JSX.Element;
  if (state.kind === 'waiting') {
    body = <p className="jp-ModelAdvisor-muted">{t(lang, 'ui.modelsWaiting')}</p>;
  } else if (state.kind === 'error') {
    body = <p className="jp-ModelAdvisor-error">{state.message}</p>;
  } else {
    const rows = state.extra ? [...state.rows, state.extra] : state.rows;
    body = (
      <>
        {state.rows.length === 0 && <p className="jp-ModelAdvisor-muted">{t(lang, 'ui.modelsNone')}</p>}
        <div className="jp-ModelAdvisor-models" data-testid="model-advisor-models" role="radiogroup" aria-labelledby={pid('modelsTitle')}>
          {rows.map((row, i) => {
            const id = pid(`model-${i}`);
            return (
              <div key={row.id} className="jp-ModelAdvisor-model">
                <label className="jp-ModelAdvisor-choice">
                  <input
                    type="radio"
                    name={pid('model')}
                    value={row.id}
                    checked={row.id === state.chosenId}
                    aria-describedby={`${id}-why`}
                    onChange={() => props.onChoose(row.id)}
                  />
                  <span className="jp-ModelAdvisor-modelId">{row.id}</span>
                </label>
                <div className="jp-ModelAdvisor-why">
                  <div id={`${id}-why`}>
                    <div className={`jp-ModelAdvisor-verdict-${row.verdict}`} data-testid="model-advisor-card-verdict">
                      {row.verdictText}
                    </div>
                    {row.timeText && (
                      <div className="jp-ModelAdvisor-muted" data-testid="model-advisor-card-time">
                        {row.timeText}
                      </div>
                    )}
                    {row === state.extra && <div className="jp-ModelAdvisor-muted">{t(lang, 'ui.notRecommended')}</div>}
                  </div>
                  {row.totalMib !== undefined && row.availableMib !== undefined && (
                    <MemoryBar lang={lang} verdict={row.verdict} totalMib={row.totalMib} availableMib={row.availableMib} rows={[]} compact />
                  )}
                  {row.reasons.length > 0 && (
                    // Collapsed: the verdict is what a learner compares; the reasons are there when asked for.
                    <details className="jp-ModelAdvisor-details">
                      <summary>{t(lang, 'ui.why')}</summary>
                      <ul className="jp-ModelAdvisor-reasons">
                        {row.reasons.map(reason => (
                          <li key={reason}>{reason}</li>
                        ))}
                      </ul>
                    </details>
                  )}
                </div>
              </div>
            );
          })}
        </div>
      </>
    );
  }
  return (
    <section className={`jp-ModelAdvisor-section${props.stale ? ' jp-ModelAdvisor-stale' : ''}`} aria-labelledby={pid('modelsTitle')} aria-busy={props.stale ? true : undefined}>
      <h2 id={pid('modelsTitle')}>{t(lang, 'ui.models')}</h2>
      {body}
    </section>
  );
}
